/*
 * test_query.c - --since/--until parsing, filter compilation errors, and
 * matching on a store built by hand.
 *
 * The store holds messages shaped after logs-sample (addresses, subjects,
 * Message-IDs and queue ids copied from it).  Times were computed with
 *   date -u -d '2026-11-20 09:15:02' +%s
 * and the tests run with TZ=Europe/Warsaw (CET +01:00 in November, CEST
 * +02:00 from 29 March 2026).  The cache test compares query_match with a
 * brute-force reference written here from the contract in query.h
 * (case-insensitive substring, or PCRE2 caseless UTF), never with the
 * code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "query.h"
#include "store.h"

#define SEC(s) ((int64_t)(s) * 1000000)

/* 2026-11-20 15:30:00 CET = 14:30:00 UTC */
#define NOW SEC(1795185000)

static int setup_tz(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Warsaw", 1);
	tzset();
	return 0;
}

/* --- time parsing ---------------------------------------------------------- */

static int64_t parse_ok(const char *s, int64_t now, int end)
{
	int64_t out = 0;
	if (query_parse_time(s, now, end, &out) != 0)
		fail_msg("query_parse_time(\"%s\", end=%d) failed", s, end);
	return out;
}

static void test_parse_time(void **state)
{
	(void)state;
	/* RFC 3339 with an offset, and in UTC: 2026-11-20 09:15:02 UTC */
	assert_int_equal(parse_ok("2026-11-20T10:15:02+01:00", NOW, 0), SEC(1795166102));
	assert_int_equal(parse_ok("2026-11-20T09:15:02Z", NOW, 0), SEC(1795166102));
	assert_int_equal(parse_ok("2026-11-20T09:15:02Z", NOW, 1), SEC(1795166102));
	/* a bare date is local midnight, or the end of that day with end */
	assert_int_equal(parse_ok("2026-11-20", NOW, 0), SEC(1795129200));      /* 11-19 23:00 UTC */
	assert_int_equal(parse_ok("2026-11-20", NOW, 1), SEC(1795215599) + 999999); /* 22:59:59.999999 */
	/* date and local time */
	assert_int_equal(parse_ok("2026-11-20 10:00", NOW, 0), SEC(1795165200)); /* 09:00 UTC */
	assert_int_equal(parse_ok("2026-11-20 10:00", NOW, 1), SEC(1795165200));
	/* leading blanks are allowed */
	assert_int_equal(parse_ok("  2026-11-20 10:00", NOW, 0), SEC(1795165200));
	/* relative */
	assert_int_equal(parse_ok("today", NOW, 0), SEC(1795129200));
	assert_int_equal(parse_ok("today", NOW, 1), SEC(1795215600) - 1);
	assert_int_equal(parse_ok("TODAY", NOW, 0), SEC(1795129200));
	assert_int_equal(parse_ok("yesterday", NOW, 0), SEC(1795042800)); /* 11-18 23:00 UTC */
	assert_int_equal(parse_ok("yesterday", NOW, 1), SEC(1795129200) - 1);
	assert_int_equal(parse_ok("-2h", NOW, 0), NOW - SEC(7200));
	assert_int_equal(parse_ok("-3d", NOW, 0), NOW - SEC(3 * 86400));
	assert_int_equal(parse_ok("-30m", NOW, 0), NOW - SEC(1800));
	assert_int_equal(parse_ok("-1w", NOW, 0), NOW - SEC(7 * 86400));
	assert_int_equal(parse_ok("-0h", NOW, 0), NOW);
	assert_int_equal(parse_ok("now", NOW, 0), NOW);
	/* Polish words of the TUI */
	assert_int_equal(parse_ok("dzisiaj", NOW, 0), SEC(1795129200));
	assert_int_equal(parse_ok("wczoraj", NOW, 0), SEC(1795042800));
}

/* Days around the DST changes are 23 and 25 hours long. */
static void test_parse_time_dst(void **state)
{
	(void)state;
	/* now: 2026-03-29 12:00 CEST = 10:00 UTC (clocks went forward at 02:00) */
	int64_t now = SEC(1774778400);
	assert_int_equal(parse_ok("today", now, 0), SEC(1774738800));         /* 03-28 23:00 UTC */
	assert_int_equal(parse_ok("today", now, 1), SEC(1774821600) - 1);     /* 03-29 22:00 UTC - 1us */
	assert_int_equal(parse_ok("yesterday", now, 0), SEC(1774652400));     /* 03-27 23:00 UTC */
	assert_int_equal(parse_ok("2026-03-29", now, 1), SEC(1774821599) + 999999);
	/* 2026-10-25 starts at 00:00 CEST = 10-24 22:00 UTC */
	assert_int_equal(parse_ok("2026-10-25", now, 0), SEC(1792879200));
}

static void test_parse_time_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", " ", "abc", "-", "-h", "-2", "-2x", "-2hours", "--2h", "2h", "tomorrow",
		"2026-13-01", "2026-00-10", "2026-11-32", "2026-11-20 25:00", "2026-11-20 10:61",
		"2026-11-20T", "2026/11/20", "20-11-2026", "2026-11-20 10:00 junk", "today junk",
		"2026-11-20x", "-3d ", "-99999999999999999999h", "-9223372036854775807d",
		"-106751991167d", "-6-1-2", "-6-1-2 10:00", "+0-1-2", "0-01-02",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t out = 12345;
		if (query_parse_time(bad[i], NOW, 0, &out) != -1)
			fail_msg("\"%s\" was accepted as %lld", bad[i], (long long)out);
		if (query_parse_time(bad[i], NOW, 1, &out) != -1)
			fail_msg("\"%s\" (end) was accepted", bad[i]);
	}
}

/* --- compile errors --------------------------------------------------------- */

static void expect_error(const struct query_spec *spec, const char *opt, const char *also)
{
	char err[300] = "";
	struct query *q = query_compile(spec, NOW, err, sizeof err);
	if (q) {
		query_free(q);
		fail_msg("compiled, want an error naming %s", opt);
	}
	if (!strstr(err, opt))
		fail_msg("error \"%s\" does not name %s", err, opt);
	if (also && !strstr(err, also))
		fail_msg("error \"%s\" does not mention \"%s\"", err, also);
	assert_null(strchr(err, '\n'));
}

static void test_compile_errors(void **state)
{
	(void)state;
	struct query_spec s;
	memset(&s, 0, sizeof s);
	s.since = "2026-99-99";
	expect_error(&s, "--since", "2026-99-99");
	memset(&s, 0, sizeof s);
	s.until = "next week";
	expect_error(&s, "--until", "next week");
	memset(&s, 0, sizeof s);
	s.status = "delivered,bouncd";
	expect_error(&s, "--status", "bouncd");
	memset(&s, 0, sizeof s);
	s.regex = 1;
	s.from = "(anna";
	expect_error(&s, "--from", NULL);
	memset(&s, 0, sizeof s);
	s.regex = 1;
	s.to = "[a-";
	expect_error(&s, "--to", NULL);
	memset(&s, 0, sizeof s);
	s.regex = 1;
	s.subject = "*x";
	expect_error(&s, "--subject", NULL);
	memset(&s, 0, sizeof s);
	s.regex = 1;
	s.ip = "89.64.12.7)";
	expect_error(&s, "--ip", NULL);
	memset(&s, 0, sizeof s);
	s.regex = 1;
	s.account = "fred(";
	expect_error(&s, "--account", NULL);
	/* the same patterns are fine as substrings */
	memset(&s, 0, sizeof s);
	s.from = "(anna";
	s.to = "[a-";
	s.subject = "*x";
	char err[300] = "";
	struct query *q = query_compile(&s, NOW, err, sizeof err);
	assert_non_null(q);
	query_free(q);
}

static void test_is_empty(void **state)
{
	(void)state;
	struct query_spec s;
	memset(&s, 0, sizeof s);
	assert_true(query_is_empty(&s));
	s.text = "";
	assert_true(query_is_empty(&s));
	s.regex = 1;
	assert_true(query_is_empty(&s));
	s.text = "anna";
	assert_false(query_is_empty(&s));
	memset(&s, 0, sizeof s);
	s.status = "bounced";
	assert_false(query_is_empty(&s));
	memset(&s, 0, sizeof s);
	s.msgid = "B7E21E0517";
	assert_false(query_is_empty(&s));
}

/* The store of the running test: a failed assertion leaves the test by
 * longjmp, so the per-test teardown releases it (and the open query). */
static struct store qs;
static int qs_live;
static struct query *live_q;

static void release_qs(void)
{
	if (qs_live)
		store_release(&qs);
	qs_live = 0;
}

static int cleanup(void **state)
{
	(void)state;
	query_free(live_q);
	live_q = NULL;
	release_qs();
	return 0;
}

/* --- a store built by hand -------------------------------------------------- */

struct hand_rcpt {
	const char *addr, *orig;
};

struct hand_msg {
	const char *qid, *msgid, *sender, *subject, *client_ip, *client_host, *auth, *account;
	uint8_t status;
	int64_t first, last; /* seconds */
	struct hand_rcpt rcpt[3];
};

/* From logs-sample: B7E21E0517 (mail.log.1), 3A1C2E0412 (mail.log.2.gz),
 * the relay attempt from 185.220.101.47, D41E2E0A10 (mail.log), Exim
 * 1mYMRt-00061G-Nx with its DirectAdmin account, and an export row. */
static const struct hand_msg hand[] = {
	{"B7E21E0517", "a81f-22c9-4e0b@example.pl", "anna@example.pl", "Faktura za październik",
	 "89.64.12.7", "89-64-12-7.dynamic.chello.pl", "anna@example.pl", NULL, OUT_BOUNCED,
	 1795073444, 1795073446, {{"j.wisniewski@onet.pl", NULL}}},
	{"3A1C2E0412", "CAF8xQz1u7kP@mail.gmail.com", "jan.kowalski@gmail.com", "Zapytanie o spotkanie",
	 "209.85.221.54", "mail-wr1-f54.google.com", NULL, NULL, OUT_DELIVERED, 1794989643,
	 1794989645, {{"biuro@example.pl", NULL}}},
	{NULL, NULL, "spammer@domain.tld", NULL, "185.220.101.47", "unknown", NULL, NULL, OUT_REJECTED,
	 1794998451, 1794998452, {{"victim@yahoo.com", NULL}}},
	{"D41E2E0A10", "nl-2026-11-20.0001@example.pl", "marketing@example.pl",
	 "Listopadowa promocja – rabat 20%", "91.150.2.18", "static-91-150-2-18.ip.example.net",
	 "marketing@example.pl", NULL, OUT_PARTIAL, 1795162359, 1795162363,
	 {{"jan@firma-a.pl", NULL}, {"ola@firma-b.com", NULL}}},
	{"1mYMRt-00061G-Nx", "20261120101502.1234@example.pl", "fred@example.pl", "Spotkanie w czwartek",
	 "203.0.113.45", NULL, "fred@example.pl", "fred@example.pl", OUT_DELIVERED, 1795166102,
	 1795166103, {{"anna@firma-klient.pl", NULL}}},
	{"1mYPu6-0007lT-I2", "nl.20261120.88121@shop.example.com", "newsletter@shop.example.com",
	 "Nowości w sklepie", "198.51.100.14", "mail.shop.example.com", NULL, "fred@example.pl",
	 OUT_DELIVERED, 1795168964, 1795168964, {{"fred@example.pl", "fred"}}},
};

#define NHAND (sizeof hand / sizeof hand[0])

static uint32_t id_of(struct store *st, const char *s)
{
	return s ? strtab_intern(&st->strs, s, strlen(s)) : 0;
}

static void build_hand(struct store *st)
{
	store_init(st);
	for (size_t i = 0; i < NHAND; i++) {
		const struct hand_msg *h = &hand[i];
		uint32_t m = store_add_message(st);
		st->msgs[m].qid = id_of(st, h->qid);
		st->msgs[m].msgid = id_of(st, h->msgid);
		st->msgs[m].sender = id_of(st, h->sender);
		st->msgs[m].subject = id_of(st, h->subject);
		st->msgs[m].client_ip = id_of(st, h->client_ip);
		st->msgs[m].client_host = id_of(st, h->client_host);
		st->msgs[m].auth = id_of(st, h->auth);
		store_msg_set_extra(st, m, MSG_X_ACCOUNT, id_of(st, h->account));
		st->msgs[m].first_ts = SEC(h->first);
		st->msgs[m].last_ts = SEC(h->last);
		for (size_t k = 0; k < 3 && h->rcpt[k].addr; k++) {
			uint32_t r = store_add_rcpt(st, m);
			st->rcpts[r].addr = id_of(st, h->rcpt[k].addr);
			st->rcpts[r].orig = id_of(st, h->rcpt[k].orig);
		}
		st->msgs[m].status = h->status;
	}
}

/* The indexes of the messages spec selects, as a bit set. */
static unsigned selected(const struct store *st, const struct query_spec *spec)
{
	char err[300] = "";
	struct query *q = live_q = query_compile(spec, NOW, err, sizeof err);
	if (!q)
		fail_msg("query_compile: %s", err);
	unsigned set = 0;
	for (uint32_t m = 0; m < st->nmsgs; m++)
		if (query_match(q, st, m))
			set |= 1u << m;
	/* asking again (verdicts now cached) gives the same */
	for (uint32_t m = 0; m < st->nmsgs; m++)
		assert_int_equal(query_match(q, st, m) != 0, (set >> m) & 1);
	query_free(q);
	live_q = NULL;
	return set;
}

#define B(i) (1u << (i))

static void test_fields(void **state)
{
	(void)state;
	release_qs();
	build_hand(&qs);
	qs_live = 1;
	struct query_spec s;

	memset(&s, 0, sizeof s);
	assert_int_equal(selected(&qs, &s), B(0) | B(1) | B(2) | B(3) | B(4) | B(5));

	/* sender, case-insensitive substring */
	memset(&s, 0, sizeof s);
	s.from = "ANNA@";
	assert_int_equal(selected(&qs, &s), B(0));
	s.from = "example.pl";
	assert_int_equal(selected(&qs, &s), B(0) | B(3) | B(4));
	s.from = "nobody@nowhere";
	assert_int_equal(selected(&qs, &s), 0);

	/* any recipient, final or original address */
	memset(&s, 0, sizeof s);
	s.to = "Ola@Firma-B";
	assert_int_equal(selected(&qs, &s), B(3));
	s.to = "firma";
	assert_int_equal(selected(&qs, &s), B(3) | B(4));
	s.to = "fred";
	assert_int_equal(selected(&qs, &s), B(5));

	/* client address or name */
	memset(&s, 0, sizeof s);
	s.ip = "185.220.101.47";
	assert_int_equal(selected(&qs, &s), B(2));
	s.ip = "CHELLO.PL";
	assert_int_equal(selected(&qs, &s), B(0));
	s.ip = "203.0.113";
	assert_int_equal(selected(&qs, &s), B(4));

	/* subject (decoded UTF-8) */
	memset(&s, 0, sizeof s);
	s.subject = "październik";
	assert_int_equal(selected(&qs, &s), B(0));
	s.subject = "RABAT 20%";
	assert_int_equal(selected(&qs, &s), B(3));

	/* DirectAdmin account or authenticated login */
	memset(&s, 0, sizeof s);
	s.account = "fred@";
	assert_int_equal(selected(&qs, &s), B(4) | B(5));
	s.account = "marketing";
	assert_int_equal(selected(&qs, &s), B(3));

	release_qs();
}

/* Message-ID as pasted from a header (brackets, "Message-ID:", any case)
 * or a queue id, whole or in part. */
static void test_msgid(void **state)
{
	(void)state;
	release_qs();
	build_hand(&qs);
	qs_live = 1;
	struct query_spec s;
	memset(&s, 0, sizeof s);
	static const char *const forms[] = {
		"a81f-22c9-4e0b@example.pl", "<a81f-22c9-4e0b@example.pl>", "<A81F-22C9-4E0B@EXAMPLE.PL>",
		"Message-ID: <a81f-22c9-4e0b@example.pl>", "message-id:<a81f-22c9-4e0b@example.pl>",
		" <a81f-22c9-4e0b@example.pl> ", "B7E21E0517", "b7e21e0517", "B7E21",
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		s.msgid = forms[i];
		if (selected(&qs, &s) != B(0))
			fail_msg("--msgid \"%s\" selects %#x, want message 0", forms[i], selected(&qs, &s));
	}
	s.msgid = "<caf8xqz1u7kp@MAIL.gmail.com>";
	assert_int_equal(selected(&qs, &s), B(1));
	s.msgid = "1mYMRt-00061G-Nx";
	assert_int_equal(selected(&qs, &s), B(4));
	s.msgid = "<nothing@here>";
	assert_int_equal(selected(&qs, &s), 0);
	/* the message without a queue id nor a Message-ID never matches */
	s.msgid = "spammer";
	assert_int_equal(selected(&qs, &s), 0);
	/* regex mode leaves --msgid a literal */
	s.regex = 1;
	s.msgid = "<a81f-22c9-4e0b@example.pl>";
	assert_int_equal(selected(&qs, &s), B(0));
	s.msgid = "a81f.*";
	assert_int_equal(selected(&qs, &s), 0);
	release_qs();
}

static void test_status_and_time(void **state)
{
	(void)state;
	release_qs();
	build_hand(&qs);
	qs_live = 1;
	struct query_spec s;
	memset(&s, 0, sizeof s);
	s.status = "bounced";
	assert_int_equal(selected(&qs, &s), B(0));
	s.status = "bounced,partial";
	assert_int_equal(selected(&qs, &s), B(0) | B(3));
	s.status = "rejected|delivered";
	assert_int_equal(selected(&qs, &s), B(1) | B(2) | B(4) | B(5));
	s.status = "deferred, expired";
	assert_int_equal(selected(&qs, &s), 0);
	s.status = "Bounced";
	assert_int_equal(selected(&qs, &s), B(0));

	/* --since keeps messages still active after it, --until those that
	 * began before it (an overlap test) */
	memset(&s, 0, sizeof s);
	s.since = "2026-11-20";          /* 2026-11-19 23:00 UTC */
	assert_int_equal(selected(&qs, &s), B(3) | B(4) | B(5));
	s.since = NULL;
	s.until = "2026-11-19";          /* to 2026-11-19 22:59:59.999999 UTC */
	assert_int_equal(selected(&qs, &s), B(0) | B(1) | B(2));
	s.since = "2026-11-19 08:30";    /* 07:30 UTC, B7E21E0517 ends at 07:30:46 */
	assert_int_equal(selected(&qs, &s), B(0));
	s.since = "2026-11-19T08:30:46+01:00"; /* B7E21E0517's last second */
	s.until = "2026-11-19T08:30:46+01:00";
	assert_int_equal(selected(&qs, &s), B(0));
	s.since = "-2h";                 /* since 12:30 UTC: nothing */
	s.until = NULL;
	assert_int_equal(selected(&qs, &s), 0);
	s.since = "-3d";
	assert_int_equal(selected(&qs, &s), B(0) | B(1) | B(2) | B(3) | B(4) | B(5));
	release_qs();
}

static void test_and_combination(void **state)
{
	(void)state;
	release_qs();
	build_hand(&qs);
	qs_live = 1;
	struct query_spec s;
	memset(&s, 0, sizeof s);
	s.from = "example.pl";
	s.status = "delivered";
	assert_int_equal(selected(&qs, &s), B(4));
	s.subject = "czwartek";
	assert_int_equal(selected(&qs, &s), B(4));
	s.subject = "faktura";
	assert_int_equal(selected(&qs, &s), 0);
	memset(&s, 0, sizeof s);
	s.to = "firma";
	s.ip = "91.150";
	s.status = "partial";
	s.since = "2026-11-20";
	assert_int_equal(selected(&qs, &s), B(3));
	s.account = "anna";
	assert_int_equal(selected(&qs, &s), 0);
	release_qs();
}

static void test_regex(void **state)
{
	(void)state;
	release_qs();
	build_hand(&qs);
	qs_live = 1;
	struct query_spec s;
	memset(&s, 0, sizeof s);
	s.regex = 1;
	s.from = "^anna@";
	assert_int_equal(selected(&qs, &s), B(0));
	s.from = "@example\\.pl$";
	assert_int_equal(selected(&qs, &s), B(0) | B(3) | B(4));
	s.from = "^ANNA"; /* caseless */
	assert_int_equal(selected(&qs, &s), B(0));
	s.from = NULL;
	s.to = "^(jan|ola)@";
	assert_int_equal(selected(&qs, &s), B(3));
	s.to = "^fred$"; /* the original address */
	assert_int_equal(selected(&qs, &s), B(5));
	s.to = NULL;
	s.subject = "^PAŹDZIERNIK$";
	assert_int_equal(selected(&qs, &s), 0);
	s.subject = "PAŹDZIERNIK$"; /* caseless in UTF mode */
	assert_int_equal(selected(&qs, &s), B(0));
	s.subject = "\\d+%";
	assert_int_equal(selected(&qs, &s), B(3));
	s.subject = NULL;
	s.ip = "^(185|209)\\.";
	assert_int_equal(selected(&qs, &s), B(1) | B(2));
	release_qs();
}

/* Case-insensitive substrings on the Polish subjects and names support
 * staff type (query.h: "Text fields match as case-insensitive
 * substrings"): upper-case Polish letters find the lower-case ones. */
static void test_substring_caseless_polish(void **state)
{
	(void)state;
	release_qs();
	build_hand(&qs);
	qs_live = 1;
	struct query_spec s;
	memset(&s, 0, sizeof s);
	s.subject = "FAKTURA ZA PAŹDZIERNIK";
	assert_int_equal(selected(&qs, &s), B(0));
	s.subject = "NOWOŚCI";
	assert_int_equal(selected(&qs, &s), B(5));
	release_qs();
}

/* Beyond Polish: Ÿ/ÿ fold together (Unicode's pair, both in two bytes);
 * Turkish dotted İ and dotless ı are not each other's capital, so
 * neither finds the other (before, İ folded to ı) - the same answer -E
 * gives on these subjects. */
static void test_substring_caseless_edges(void **state)
{
	(void)state;
	static const char *const subjects[] = {"ŸVONNE wrote", "İSTANBUL ofisi", "ıstanbul ofisi"};
	store_init(&qs);
	qs_live = 1;
	for (size_t i = 0; i < 3; i++) {
		uint32_t m = store_add_message(&qs);
		qs.msgs[m].subject = id_of(&qs, subjects[i]);
	}
	struct query_spec s;
	memset(&s, 0, sizeof s);
	for (int regex = 0; regex < 2; regex++) {
		s.regex = regex;
		s.subject = "ÿvonne";
		assert_int_equal(selected(&qs, &s), B(0));
		s.subject = "İstanbul";
		assert_int_equal(selected(&qs, &s), B(1));
		s.subject = "ıSTANBUL";
		assert_int_equal(selected(&qs, &s), B(2));
		s.subject = "OFISI";
		assert_int_equal(selected(&qs, &s), B(1) | B(2));
	}
	release_qs();
}

/* query_select on more than QUERY_SPLIT_MIN messages (two threads, a
 * query each) picks exactly what query_match picks one by one, in index
 * order: senders cycle through 1000 addresses, so "user7@" (and user70..
 * user79, user700..) match about one message in 90. */
static void test_select_two_threads(void **state)
{
	(void)state;
	enum { N = QUERY_SPLIT_MIN + 4321 };
	store_init(&qs);
	qs_live = 1;
	char addr[64];
	for (uint32_t i = 0; i < N; i++) {
		uint32_t m = store_add_message(&qs);
		snprintf(addr, sizeof addr, "user%u@example.pl", i % 1000);
		qs.msgs[m].sender = id_of(&qs, addr);
		qs.msgs[m].first_ts = qs.msgs[m].last_ts = SEC(1795073444 + i);
	}
	struct query_spec s;
	memset(&s, 0, sizeof s);
	s.from = "USER7";
	char err[300] = "";
	struct query *q = live_q = query_compile(&s, NOW, err, sizeof err);
	assert_non_null(q);
	struct query *q2 = query_compile(&s, NOW, err, sizeof err);
	assert_non_null(q2);
	uint32_t *got = malloc(N * sizeof *got), *want = malloc(N * sizeof *want);
	assert_true(got && want);
	size_t n = query_select(q, q2, &qs, got);
	query_free(q2);
	size_t k = 0;
	for (uint32_t m = 0; m < N; m++)
		if (query_match(q, &qs, m))
			want[k++] = m;
	assert_true(k > N / 100);
	assert_int_equal(n, k);
	assert_memory_equal(got, want, k * sizeof *got);
	/* one query: the same, on one thread */
	assert_int_equal(query_select(q, NULL, &qs, got), k);
	assert_memory_equal(got, want, k * sizeof *got);
	free(got);
	free(want);
	query_free(q);
	live_q = NULL;
	release_qs();
}

/* The quick search looks at every field. */
static void test_text_search(void **state)
{
	(void)state;
	release_qs();
	store_init(&qs);
	qs_live = 1;
	/* one message per field holding the token */
	enum { T_SND, T_RCPT_A, T_RCPT_O, T_SUBJ, T_QID, T_MSGID, T_IP, T_HOSTN, T_AUTH, T_ACCT, T_NONE, NF };
	for (int i = 0; i < NF; i++) {
		uint32_t m = store_add_message(&qs);
		struct message *msg = &qs.msgs[m];
		msg->first_ts = msg->last_ts = SEC(1795165202);
		msg->sender = id_of(&qs, i == T_SND ? "Zz9Token@example.pl" : "anna@example.pl");
		msg->subject = id_of(&qs, i == T_SUBJ ? "zz9token: Re w czwartek" : "Spotkanie");
		msg->qid = id_of(&qs, i == T_QID ? "ZZ9TOKEN00" : "B7E21E0517");
		msg->msgid = id_of(&qs, i == T_MSGID ? "zz9token.1@example.pl" : "a81f@example.pl");
		msg->client_ip = id_of(&qs, i == T_IP ? "zz9token-ip" : "89.64.12.7");
		msg->client_host = id_of(&qs, i == T_HOSTN ? "zz9token.example.net" : "chello.pl");
		msg->auth = id_of(&qs, i == T_AUTH ? "zz9token" : "anna@example.pl");
		store_msg_set_extra(&qs, m, MSG_X_ACCOUNT,
				    id_of(&qs, i == T_ACCT ? "zz9token@example.pl" : "fred@example.pl"));
		uint32_t r = store_add_rcpt(&qs, m);
		qs.rcpts[r].addr = id_of(&qs, i == T_RCPT_A ? "zz9token@onet.pl" : "jan@onet.pl");
		qs.rcpts[r].orig = id_of(&qs, i == T_RCPT_O ? "ZZ9TOKEN" : NULL);
	}
	struct query_spec s;
	memset(&s, 0, sizeof s);
	s.text = "zz9TOKEN";
	unsigned all = (1u << T_NONE) - 1;
	unsigned got = selected(&qs, &s);
	if (got != all)
		fail_msg("search selects %#x, want %#x (one bit per field)", got, all);
	s.regex = 1;
	s.text = "^zz9token";
	assert_int_equal(selected(&qs, &s), all);
	/* search combines with the other fields (AND) */
	s.regex = 0;
	s.text = "zz9token";
	s.status = "queued";
	assert_int_equal(selected(&qs, &s), all);
	s.status = "bounced";
	assert_int_equal(selected(&qs, &s), 0);
	release_qs();
}

/* --- the cache against a brute-force reference ----------------------------- */

static const char *const pool_addr[] = {
	"anna@example.pl", "Anna@Example.PL", "jan.kowalski@gmail.com", "biuro@example.pl",
	"j.wisniewski@onet.pl", "ola@firma-b.com", "fred@example.pl", "fred", "<>",
	"newsletter@shop.example.com", "zamowienia@wwp.pl", "kontakt@firma-c.pl",
	"\xc5\xbc\xc3\xb3\xc5\x82w@example.pl", "bad\xff\xfe@example.pl", "ŻÓŁW@Example.PL",
	"ŁUKASZ@Zażółć.pl",
};
static const char *const pool_subj[] = {
	"Faktura za październik", "Zapytanie o spotkanie", "Re: Spotkanie w czwartek",
	"Listopadowa promocja – rabat 20%", "Nowości w sklepie", "Mail delivery failed: returning message to sender",
	"FAKTURA 2026/11/0457", "=?UTF-8?B?broken", "\x1b]52;c;SGVsbG8=\x07 hi", "",
	"FAKTURA ZA PAŹDZIERNIK", "Zażółć gęślą jaźń", "ZAŻÓŁĆ GĘŚLĄ JAŹŃ",
};
static const char *const pool_ip[] = {
	"89.64.12.7", "185.220.101.47", "209.85.221.54", "203.0.113.45", "2001:db8::25", "unknown",
	"mail-wr1-f54.google.com", "89-64-12-7.dynamic.chello.pl",
};
static const char *const pool_id[] = {
	"B7E21E0517", "3A1C2E0412", "1mYMRt-00061G-Nx", "a81f-22c9-4e0b@example.pl",
	"CAF8xQz1u7kP@mail.gmail.com", "nl.20261120.88121@shop.example.com", "",
};

#define PICK(pool) (pool)[rng_below(sizeof(pool) / sizeof(pool)[0])]

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static size_t rng_below(size_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (size_t)((rng_state * 0x2545F4914F6CDD1Dull) % n);
}

static uint32_t maybe(struct store *st, const char *s)
{
	return (s && *s && rng_below(6)) ? id_of(st, s) : 0;
}

/* Reference matching, from the contract. */
struct ref_matcher {
	const char *pat;
	pcre2_code *re;
	pcre2_match_data *md;
};

static void ref_init(struct ref_matcher *rm, const char *pat, int regex)
{
	memset(rm, 0, sizeof *rm);
	rm->pat = pat && *pat ? pat : NULL;
	if (rm->pat && regex) {
		int ec;
		PCRE2_SIZE eo;
		rm->re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				       PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &eo, NULL);
		assert_non_null(rm->re);
		rm->md = pcre2_match_data_create_from_pattern(rm->re, NULL);
	}
}

static void ref_free(struct ref_matcher *rm)
{
	if (rm->md)
		pcre2_match_data_free(rm->md);
	if (rm->re)
		pcre2_code_free(rm->re);
}

/* Case folding as query.h promises it to Polish users: ASCII, Latin-1
 * capitals and the Polish capitals of Latin Extended-A become lower case;
 * anything else (invalid UTF-8 included) stays as it is.  Written from
 * the Unicode tables, not from query.c. */
static uint32_t ref_fold_cp(uint32_t c)
{
	static const uint32_t polish[][2] = {
		{0x104, 0x105}, {0x106, 0x107}, {0x118, 0x119}, {0x141, 0x142},
		{0x143, 0x144}, {0x15A, 0x15B}, {0x179, 0x17A}, {0x17B, 0x17C},
	};
	if (c >= 'A' && c <= 'Z')
		return c + 0x20;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 0x20;
	for (size_t i = 0; i < sizeof polish / sizeof polish[0]; i++)
		if (c == polish[i][0])
			return polish[i][1];
	return c;
}

static size_t ref_fold(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
			uint32_t c = ref_fold_cp(((uint32_t)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F));
			out[o++] = (char)(0xC0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3F));
			i += 2;
		} else {
			out[o++] = (char)ref_fold_cp(p[i]);
			i++;
		}
	}
	return o;
}

/* Case-insensitive substring of s[0..n) (may hold NULs). */
static int ref_contains(const char *s, size_t n, const char *pat)
{
	size_t pn = strlen(pat);
	char *fs = malloc(n + 1), *fp = malloc(pn + 1);
	assert_true(fs && fp);
	size_t fn = ref_fold(s, n, fs);
	size_t fpn = ref_fold(pat, pn, fp);
	int found = fpn == 0 || memmem(fs, fn, fp, fpn) != NULL;
	free(fs);
	free(fp);
	return found;
}

static int ref_str(const struct ref_matcher *rm, const struct store *st, uint32_t id)
{
	if (!id)
		return 0;
	const char *s = store_str(st, id);
	size_t n = strtab_len(&st->strs, id);
	if (rm->re)
		return pcre2_match(rm->re, (PCRE2_SPTR)s, n, 0, 0, rm->md, NULL) >= 0;
	return ref_contains(s, n, rm->pat);
}

static int ref_any_rcpt(const struct ref_matcher *rm, const struct store *st, uint32_t m)
{
	for (uint32_t r = st->msgs[m].first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next)
		if (ref_str(rm, st, st->rcpts[r].addr) || ref_str(rm, st, st->rcpts[r].orig))
			return 1;
	return 0;
}

static int ref_match(const struct query_spec *spec, const struct store *st, uint32_t m)
{
	const struct message *msg = &st->msgs[m];
	struct ref_matcher f, t, ip, sub, acc, txt;
	ref_init(&f, spec->from, spec->regex);
	ref_init(&t, spec->to, spec->regex);
	ref_init(&ip, spec->ip, spec->regex);
	ref_init(&sub, spec->subject, spec->regex);
	ref_init(&acc, spec->account, spec->regex);
	ref_init(&txt, spec->text, spec->regex);
	int ok = 1;
	if (f.pat && !ref_str(&f, st, msg->sender))
		ok = 0;
	if (t.pat && !ref_any_rcpt(&t, st, m))
		ok = 0;
	if (ip.pat && !ref_str(&ip, st, msg->client_ip) && !ref_str(&ip, st, msg->client_host))
		ok = 0;
	if (sub.pat && !ref_str(&sub, st, msg->subject))
		ok = 0;
	uint32_t account = store_msg_extra(st, msg, MSG_X_ACCOUNT);
	if (acc.pat && !ref_str(&acc, st, account) && !ref_str(&acc, st, msg->auth))
		ok = 0;
	if (txt.pat &&
	    !(ref_str(&txt, st, msg->sender) || ref_any_rcpt(&txt, st, m) ||
	      ref_str(&txt, st, msg->subject) || ref_str(&txt, st, msg->qid) ||
	      ref_str(&txt, st, msg->msgid) || ref_str(&txt, st, msg->client_ip) ||
	      ref_str(&txt, st, msg->client_host) || ref_str(&txt, st, msg->auth) ||
	      ref_str(&txt, st, account)))
		ok = 0;
	ref_free(&f);
	ref_free(&t);
	ref_free(&ip);
	ref_free(&sub);
	ref_free(&acc);
	ref_free(&txt);
	return ok;
}

static void test_cache_matches_reference(void **state)
{
	(void)state;
	release_qs();
	store_init(&qs);
	qs_live = 1;
	for (int i = 0; i < 3000; i++) {
		uint32_t m = store_add_message(&qs);
		struct message *msg = &qs.msgs[m];
		msg->first_ts = msg->last_ts = SEC(1795165202) + i;
		msg->sender = maybe(&qs, PICK(pool_addr));
		msg->subject = maybe(&qs, PICK(pool_subj));
		msg->client_ip = maybe(&qs, PICK(pool_ip));
		msg->client_host = maybe(&qs, PICK(pool_ip));
		msg->qid = maybe(&qs, PICK(pool_id));
		msg->msgid = maybe(&qs, PICK(pool_id));
		msg->auth = maybe(&qs, PICK(pool_addr));
		store_msg_set_extra(&qs, m, MSG_X_ACCOUNT, maybe(&qs, PICK(pool_addr)));
		size_t nr = rng_below(4);
		for (size_t k = 0; k < nr; k++) {
			uint32_t r = store_add_rcpt(&qs, m);
			qs.rcpts[r].addr = id_of(&qs, PICK(pool_addr));
			qs.rcpts[r].orig = maybe(&qs, rng_below(3) ? NULL : PICK(pool_addr));
		}
		msg->status = (uint8_t)(OUT_QUEUED + rng_below(OUT_PARTIAL));
	}
	static const struct query_spec specs[] = {
		{.from = "anna"},
		{.from = "EXAMPLE.PL"},
		{.to = "fred"},
		{.to = "@"},
		{.ip = "89."},
		{.ip = "chello"},
		{.subject = "faktura"},
		{.subject = "spotkanie", .from = "example"},
		{.account = "fred@"},
		{.text = "example"},
		{.text = "B7E21"},
		{.text = "żółw"},
		{.text = "ŻÓŁW"},
		{.subject = "październik"},
		{.subject = "gęślą JAŹŃ"},
		{.from = "łukasz@"},
		{.text = "\xff"},
		{.from = "^anna@", .regex = 1},
		{.to = "(fred|biuro)@example\\.pl$", .regex = 1},
		{.subject = "październik|czwartek", .regex = 1},
		{.ip = "^\\d+\\.\\d+\\.", .regex = 1},
		{.text = "gmail\\.com$", .regex = 1},
		{.text = "ŻÓŁW", .regex = 1},
		{.account = "^fred", .to = "onet|wp\\.pl", .regex = 1},
	};
	for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++) {
		char err[300] = "";
		struct query *cached = live_q = query_compile(&specs[k], NOW, err, sizeof err);
		if (!cached)
			fail_msg("spec %zu: %s", k, err);
		size_t hits = 0;
		for (int pass = 0; pass < 2; pass++)
			for (uint32_t m = 0; m < qs.nmsgs; m++) {
				int want = ref_match(&specs[k], &qs, m);
				int got = query_match(cached, &qs, m) != 0;
				if (got != want)
					fail_msg("spec %zu, message %u, pass %d: %d, reference %d", k, m, pass,
						 got, want);
				/* a fresh query: nothing cached */
				if (m % 97 == 0) {
					struct query *fresh = query_compile(&specs[k], NOW, err, sizeof err);
					assert_non_null(fresh);
					int fresh_got = query_match(fresh, &qs, m) != 0;
					query_free(fresh);
					assert_int_equal(fresh_got, want);
				}
				hits += (size_t)want;
			}
		/* the specs are chosen to select some but not all messages */
		if (k != 3 && (hits == 0 || hits == 2 * qs.nmsgs))
			fail_msg("spec %zu selects %s", k, hits ? "everything" : "nothing");
		query_free(cached);
		live_q = NULL;
	}
	/* strings interned after the first matches (loading goes on) */
	char err[300] = "";
	struct query_spec late = {.from = "late-sender"};
	struct query *q = query_compile(&late, NOW, err, sizeof err);
	assert_non_null(q);
	assert_false(query_match(q, &qs, 0));
	for (int i = 0; i < 5000; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "filler-%d@example.pl", i);
		(void)id_of(&qs, buf);
	}
	uint32_t m = store_add_message(&qs);
	qs.msgs[m].sender = id_of(&qs, "Late-Sender@example.pl");
	qs.msgs[m].first_ts = qs.msgs[m].last_ts = SEC(1795165202);
	assert_true(query_match(q, &qs, m));
	assert_false(query_match(q, &qs, 0));
	query_free(q);
	release_qs();
}

/* (a+)+$ on "aaaa...b" backtracks exponentially without a limit. */
static void test_pathological_regex(void **state)
{
	(void)state;
	release_qs();
	store_init(&qs);
	qs_live = 1;
	size_t n = 20000;
	char *subj = malloc(n + 2);
	assert_non_null(subj);
	memset(subj, 'a', n);
	subj[n] = 'b';
	subj[n + 1] = '\0';
	uint32_t m = store_add_message(&qs);
	qs.msgs[m].subject = id_of(&qs, subj);
	qs.msgs[m].sender = id_of(&qs, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab@example.pl");
	qs.msgs[m].first_ts = qs.msgs[m].last_ts = SEC(1795165202);
	free(subj);
	struct query_spec s;
	memset(&s, 0, sizeof s);
	s.regex = 1;
	s.subject = "(a+)+$";
	char err[300] = "";
	struct query *q = query_compile(&s, NOW, err, sizeof err);
	assert_non_null(q);
	assert_false(query_match(q, &qs, m));
	query_free(q);
	s.subject = NULL;
	s.text = "^(a|aa)+$";
	q = query_compile(&s, NOW, err, sizeof err);
	assert_non_null(q);
	assert_false(query_match(q, &qs, m));
	query_free(q);
	release_qs();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_parse_time_dst),
		cmocka_unit_test(test_parse_time_garbage),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_is_empty),
		cmocka_unit_test_teardown(test_fields, cleanup),
		cmocka_unit_test_teardown(test_msgid, cleanup),
		cmocka_unit_test_teardown(test_status_and_time, cleanup),
		cmocka_unit_test_teardown(test_and_combination, cleanup),
		cmocka_unit_test_teardown(test_regex, cleanup),
		cmocka_unit_test_teardown(test_substring_caseless_polish, cleanup),
		cmocka_unit_test_teardown(test_substring_caseless_edges, cleanup),
		cmocka_unit_test_teardown(test_select_two_threads, cleanup),
		cmocka_unit_test_teardown(test_text_search, cleanup),
		cmocka_unit_test_teardown(test_cache_matches_reference, cleanup),
		cmocka_unit_test_teardown(test_pathological_regex, cleanup),
	};
	return cmocka_run_group_tests(tests, setup_tz, NULL);
}
