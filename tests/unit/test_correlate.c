/*
 * test_correlate.c - the loader and correlator end to end: logs-sample/
 * (a Postfix rotation with a .gz, an Exim mainlog rotation, DirectAdmin
 * .bytes, Google Workspace and EmailLabs exports) is loaded through
 * load_expand + load_run, and messages are looked up by queue id.
 *
 * Every expected value below was read off the log lines by hand (the
 * comments quote the lines); times were computed with
 *   TZ=Europe/Warsaw date -d '2026-11-19 08:30:44' +%s
 * since the tests run with TZ=Europe/Warsaw and syslog stamps are local.
 *
 * The second half builds small files in a mkdtemp() directory from real
 * line shapes (youyo/postfix-log-parser test.log, fail2ban postfix.log,
 * linode-docs, mailcow issue 339 in /work/shared/samples/postfix/, and
 * logs-sample itself): queue id reuse, duplicated lines, a NOQUEUE reject
 * before client= in one smtpd session, and the year of yearless stamps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "correlate.h"
#include "lineio.h"
#include "load.h"
#include "parser.h"
#include "store.h"
#include "tbuf.h"

#define SEC(s) (INT64_C(s) * 1000000)

static struct store sample;  /* logs-sample/, loaded once */
static struct store tst;     /* a test's own files */
static int tst_live;
static char tmpdir[64];

/* --- helpers -------------------------------------------------------------- */

static int str_is(const struct store *st, uint32_t id, const char *want)
{
	size_t n = strlen(want);
	return strtab_len(&st->strs, id) == n && memcmp(store_str(st, id), want, n) == 0;
}

#define assert_str(st, id, want)                                                              \
	do {                                                                                  \
		if (!str_is((st), (id), (want)))                                              \
			fail_msg("%s is \"%s\", want \"%s\"", #id, store_str((st), (id)), (want)); \
	} while (0)

static size_t count_qid(const struct store *st, const char *qid)
{
	size_t n = 0;
	for (uint32_t m = 0; m < st->nmsgs; m++)
		if (str_is(st, st->msgs[m].qid, qid))
			n++;
	return n;
}

/* The one message with this queue id. */
static uint32_t msg_by_qid(const struct store *st, const char *qid)
{
	uint32_t found = MSG_NONE;
	for (uint32_t m = 0; m < st->nmsgs; m++)
		if (str_is(st, st->msgs[m].qid, qid)) {
			if (found != MSG_NONE)
				fail_msg("queue id %s is on messages %u and %u", qid, found, m);
			found = m;
		}
	if (found == MSG_NONE)
		fail_msg("no message with queue id %s", qid);
	return found;
}

static uint32_t rcpt_by_addr(const struct store *st, uint32_t m, const char *addr)
{
	for (uint32_t r = st->msgs[m].first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next)
		if (str_is(st, st->rcpts[r].addr, addr))
			return r;
	fail_msg("message %u has no recipient %s", m, addr);
	return RCPT_NONE;
}

static uint32_t count_rcpts(const struct store *st, uint32_t m)
{
	uint32_t n = 0;
	for (uint32_t r = st->msgs[m].first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next)
		n++;
	assert_int_equal(n, store_msg_nrcpt(st, &st->msgs[m]));
	return n;
}

/* m's events as the store gives them (packed and live, in time order). */
static size_t events_of(const struct store *st, uint32_t m, struct event *out, size_t cap)
{
	return store_msg_events(st, m, out, cap);
}

/* The event kinds of m, in list order, must be exactly want[0..n). */
static void check_kinds(const struct store *st, uint32_t m, const uint8_t *want, size_t n)
{
	size_t i = 0;
	int64_t prev = INT64_MIN;
	struct event evs[64];
	size_t have = events_of(st, m, evs, 64);
	for (; i < have; i++) {
		const struct event *ev = &evs[i];
		if (i >= n)
			fail_msg("message %u: more than %zu events (extra %s)", m, n,
				 ev_kind_name((enum ev_kind)ev->kind));
		if (ev->kind != want[i])
			fail_msg("message %u event %zu: %s, want %s", m, i,
				 ev_kind_name((enum ev_kind)ev->kind), ev_kind_name((enum ev_kind)want[i]));
		if (ev->ts_us < prev)
			fail_msg("message %u event %zu is older than the one before", m, i);
		prev = ev->ts_us;
	}
	if (i != n)
		fail_msg("message %u: %zu events, want %zu", m, i, n);
	assert_int_equal(store_msg_nev(st, m), n);
}

/* Does m have an event read from a file whose path ends with suffix? */
static int has_event_from(const struct store *st, uint32_t m, const char *suffix)
{
	size_t sl = strlen(suffix);
	struct event evs[64];
	size_t have = events_of(st, m, evs, 64);
	for (size_t e = 0; e < have; e++) {
		const char *p = st->files[event_file(&evs[e])].src.path;
		size_t pl = strlen(p);
		if (pl >= sl && strcmp(p + pl - sl, suffix) == 0)
			return 1;
	}
	return 0;
}

static int has_kind(const struct store *st, uint32_t m, uint8_t kind)
{
	struct event evs[64];
	size_t have = events_of(st, m, evs, 64);
	for (size_t e = 0; e < have; e++)
		if (evs[e].kind == kind)
			return 1;
	return 0;
}

static int in_ring(const struct store *st, uint32_t start, uint32_t want)
{
	uint32_t x = start;
	for (uint32_t steps = 0; steps <= st->nmsgs; steps++) {
		if (x == want)
			return 1;
		x = st->msgs[x].same_msgid;
		if (x == start)
			return 0;
	}
	fail_msg("same_msgid ring from %u does not come back", start);
	return 0;
}

static int is_child_of(const struct store *st, uint32_t parent, uint32_t child)
{
	for (uint32_t c = st->msgs[parent].first_child; c != MSG_NONE; c = st->msgs[c].next_sibling)
		if (c == child)
			return 1;
	return 0;
}

static void load_paths(struct store *st, const char *const *paths, size_t n, int year)
{
	store_init(st);
	struct load_opts o;
	memset(&o, 0, sizeof o);
	o.paths = paths;
	o.npaths = n;
	o.year = year;
	if (load_expand(st, &o, NULL) == 0)
		fail_msg("nothing found at %s", paths[0]);
	assert_int_equal(load_run(st, &o, NULL), 0);
	for (uint32_t i = 0; i < st->nfiles; i++)
		if (st->files[i].error[0])
			fail_msg("%s", st->files[i].error);
}

static int setup_sample(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Warsaw", 1);
	tzset();
	if (parser_init_all() != parser_registry_len)
		return -1;
	store_init(&sample);
	const char *paths[1] = {"logs-sample"};
	struct load_opts o;
	memset(&o, 0, sizeof o);
	o.paths = paths;
	o.npaths = 1;
	o.year = 2026;
	if (load_expand(&sample, &o, NULL) < 8)
		return -1;
	if (load_run(&sample, &o, NULL) != 0)
		return -1;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/mailtrail-corr-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_sample(void **state)
{
	(void)state;
	store_release(&sample);
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *de;
		char p[512];
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(tmpdir);
	return 0;
}

/* --- logs-sample ---------------------------------------------------------- */

/* mail.log.1:
 *   Nov 19 08:30:44 ... smtpd[30112]: connect from 89-64-12-7.dynamic.chello.pl[89.64.12.7]
 *   ... B7E21E0517: client=...[89.64.12.7], sasl_method=PLAIN, sasl_username=anna@example.pl
 *   ... B7E21E0517: message-id=<a81f-22c9-4e0b@example.pl>
 *   ... B7E21E0517: info: header Subject: =?ISO-8859-2?Q?Faktura_za_pa=BCdziernik?= ...
 *   ... B7E21E0517: from=<anna@example.pl>, size=92311, nrcpt=1 (queue active)
 *   ... smtpd[30112]: disconnect from ...
 *   Nov 19 08:30:46 ... B7E21E0517: to=<j.wisniewski@onet.pl>, relay=mx.poczta.onet.pl[213.180.147.146]:25,
 *       ... dsn=5.1.1, status=bounced (host ... said: 550 5.1.1 ...)
 *   ... C02A9E0520: message-id=<20261119073046.C02A9E0520@mail.example.pl>
 *   ... B7E21E0517: sender non-delivery notification: C02A9E0520
 *   ... C02A9E0520: from=<>, size=94511, nrcpt=1 (queue active)
 *   ... B7E21E0517: removed
 *   ... dovecot: lmtp(anna@example.pl)...: msgid=<20261119073046.C02A9E0520@...>: saved mail to INBOX
 *   ... C02A9E0520: to=<anna@example.pl>, relay=mail.example.pl[private/dovecot-lmtp], ... status=sent
 *   ... C02A9E0520: removed */
static void test_postfix_bounce(void **state)
{
	(void)state;
	const struct store *st = &sample;
	uint32_t m = msg_by_qid(st, "B7E21E0517");
	const struct message *msg = &st->msgs[m];
	assert_str(st, msg->host, "mail");
	assert_str(st, msg->sender, "anna@example.pl");
	assert_str(st, msg->msgid, "a81f-22c9-4e0b@example.pl");
	assert_str(st, msg->subject, "Faktura za październik");
	assert_str(st, msg->client_ip, "89.64.12.7");
	assert_str(st, msg->client_host, "89-64-12-7.dynamic.chello.pl");
	assert_str(st, msg->auth, "anna@example.pl");
	assert_int_equal(store_msg_size(msg), 92311);
	assert_int_equal(msg->status, OUT_BOUNCED);
	assert_true(msg->flags & MSG_DONE);
	assert_false(msg->flags & (MSG_IS_BOUNCE | MSG_ATTEMPT));
	assert_string_equal(store_msg_format(st, m), "postfix");
	assert_int_equal(msg->first_ts, SEC(1795073444)); /* 2026-11-19 08:30:44 CET */
	assert_int_equal(msg->last_ts, SEC(1795073446));
	assert_int_equal(count_rcpts(st, m), 1);
	uint32_t r = rcpt_by_addr(st, m, "j.wisniewski@onet.pl");
	const struct rcpt *rc = &st->rcpts[r];
	assert_int_equal(rc->status, OUT_BOUNCED);
	assert_str(st, rc->dsn, "5.1.1");
	assert_int_equal(rc->smtp_code, 550);
	assert_str(st, rc->relay, "mx.poczta.onet.pl[213.180.147.146]:25");
	assert_non_null(strstr(store_str(st, rc->reply), "User unknown in virtual mailbox table"));
	assert_int_equal(store_rcpt_final(st, r, NULL), OUT_BOUNCED);

	/* the session's connect and disconnect are the message's */
	static const uint8_t kinds[] = {EV_CONNECT, EV_CLIENT, EV_MSGID,   EV_HEADER,      EV_QUEUED,
					EV_DISCONNECT, EV_BOUNCED, EV_BOUNCE_SENT, EV_DONE};
	check_kinds(st, m, kinds, sizeof kinds);
	assert_true(has_event_from(st, m, "postfix/mail.log.1"));

	/* the non-delivery notification */
	uint32_t c = msg_by_qid(st, "C02A9E0520");
	const struct message *ch = &st->msgs[c];
	assert_int_equal(ch->parent, m);
	assert_int_equal(ch->parent_link, LINK_BOUNCE_CHILD);
	assert_true(ch->flags & MSG_IS_BOUNCE);
	assert_true(is_child_of(st, m, c));
	assert_str(st, ch->sender, "<>");
	assert_int_equal(ch->status, OUT_DELIVERED);
	assert_int_equal(count_rcpts(st, c), 1);
	uint32_t cr = rcpt_by_addr(st, c, "anna@example.pl");
	assert_int_equal(st->rcpts[cr].status, OUT_DELIVERED);
	assert_str(st, st->rcpts[cr].relay, "mail.example.pl[private/dovecot-lmtp]");
	static const uint8_t ckinds[] = {EV_MSGID, EV_QUEUED, EV_MAILBOX, EV_DELIVERED, EV_DONE};
	check_kinds(st, c, ckinds, sizeof ckinds);
}

/* Each stored event points at its own line: re-read them. */
static void test_event_locations(void **state)
{
	(void)state;
	const struct store *st = &sample;
	uint32_t m = msg_by_qid(st, "B7E21E0517");
	uint64_t offs[16];
	size_t n = 0;
	uint32_t file = UINT32_MAX;
	struct event evs[16];
	size_t have = events_of(st, m, evs, 16);
	for (size_t e = 0; e < have; e++) {
		if (file == UINT32_MAX)
			file = event_file(&evs[e]);
		assert_int_equal(event_file(&evs[e]), file);
		offs[n++] = event_offset(&evs[e]);
	}
	assert_int_equal(n, 9);
	struct tbuf out[16];
	uint64_t lineno[16];
	for (size_t i = 0; i < n; i++)
		tbuf_init(&out[i]);
	char err[300] = "";
	assert_int_equal(source_fetch_lines((struct source *)&st->files[file].src, offs, n, out,
					    lineno, err, sizeof err), 0);
	/* mail.log.1 lines 1-7, 9 and 11 */
	static const uint64_t want_line[9] = {1, 2, 3, 4, 5, 6, 7, 9, 11};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(lineno[i], want_line[i]);
		const char *s = tbuf_str(&out[i]);
		if (!strstr(s, "B7E21E0517") && !strstr(s, "smtpd[30112]"))
			fail_msg("event %zu line \"%s\" is not about B7E21E0517", i, s);
		tbuf_release(&out[i]);
	}
}

/* mail.log.2.gz: amavis on 10024 hands the message back on 10025:
 *   3A1C2E0412: to=<biuro@example.pl>, relay=127.0.0.1[127.0.0.1]:10024, ... status=sent
 *       (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 5F0B7E0419)
 *   5F0B7E0419: to=<biuro@example.pl>, relay=mail.example.pl[private/dovecot-lmtp], ... status=sent */
static void test_amavis_hop(void **state)
{
	(void)state;
	const struct store *st = &sample;
	uint32_t a = msg_by_qid(st, "3A1C2E0412");
	uint32_t b = msg_by_qid(st, "5F0B7E0419");
	assert_int_equal(st->msgs[b].parent, a);
	assert_int_equal(st->msgs[b].parent_link, LINK_NEXT_HOP);
	assert_true(st->msgs[b].flags & MSG_HOP);
	assert_false(st->msgs[b].flags & MSG_IS_BOUNCE);
	assert_true(is_child_of(st, a, b));
	assert_str(st, st->msgs[a].subject, "Zapytanie o spotkanie");
	assert_int_equal(store_msg_size(&st->msgs[a]), 4821);
	assert_int_equal(store_msg_size(&st->msgs[b]), 5390);
	uint32_t r = rcpt_by_addr(st, a, "biuro@example.pl");
	assert_int_equal(st->rcpts[r].hop, b);
	assert_str(st, st->rcpts[r].relay, "127.0.0.1[127.0.0.1]:10024");
	uint32_t fin = RCPT_NONE;
	assert_int_equal(store_rcpt_final(st, r, &fin), OUT_DELIVERED);
	/* the final word is the second copy's delivery to dovecot */
	assert_int_equal(fin, rcpt_by_addr(st, b, "biuro@example.pl"));
	assert_str(st, st->rcpts[fin].relay, "mail.example.pl[private/dovecot-lmtp]");
	assert_int_equal(st->msgs[a].status, OUT_DELIVERED);
	/* the amavis verdict line is on the first copy */
	assert_true(has_kind(st, a, EV_FILTER));
	/* both copies carry Message-ID CAF8xQz1u7kP@mail.gmail.com */
	assert_true(in_ring(st, a, b));
}

/* mail.log.2.gz, a refused relay attempt:
 *   Nov 18 11:40:51 mail postfix/smtpd[22310]: connect from unknown[185.220.101.47]
 *   Nov 18 11:40:52 mail postfix/smtpd[22310]: NOQUEUE: reject: RCPT from unknown[185.220.101.47]:
 *       454 4.7.1 <victim@yahoo.com>: Relay access denied; from=<spammer@domain.tld>
 *       to=<victim@yahoo.com> proto=ESMTP helo=<WIN-CLJ1B0GQ6JP>
 *   Nov 18 11:40:52 mail postfix/smtpd[22310]: disconnect from unknown[185.220.101.47] ... */
static void test_noqueue_attempt(void **state)
{
	(void)state;
	const struct store *st = &sample;
	uint32_t found = MSG_NONE;
	for (uint32_t m = 0; m < st->nmsgs; m++) {
		const struct message *msg = &st->msgs[m];
		if (msg->qid || !str_is(st, msg->host, "mail") || !str_is(st, msg->client_ip, "185.220.101.47"))
			continue;
		assert_int_equal(found, MSG_NONE);
		found = m;
	}
	if (found == MSG_NONE)
		fail_msg("no refused attempt from 185.220.101.47 in the Postfix logs");
	const struct message *msg = &st->msgs[found];
	assert_true(msg->flags & MSG_ATTEMPT);
	assert_int_equal(msg->status, OUT_REJECTED);
	assert_str(st, msg->sender, "spammer@domain.tld");
	assert_string_equal(store_msg_format(st, found), "postfix");
	assert_int_equal(count_rcpts(st, found), 1);
	uint32_t r = rcpt_by_addr(st, found, "victim@yahoo.com");
	assert_int_equal(st->rcpts[r].status, OUT_REJECTED);
	assert_int_equal(st->rcpts[r].smtp_code, 454);
	assert_str(st, st->rcpts[r].dsn, "4.7.1");
	assert_non_null(strstr(store_str(st, st->rcpts[r].reply), "Relay access denied"));
	static const uint8_t kinds[] = {EV_CONNECT, EV_REJECT, EV_DISCONNECT};
	check_kinds(st, found, kinds, sizeof kinds);
	assert_true(has_event_from(st, found, "postfix/mail.log.2.gz"));
}

/* 6E2D4E0300: picked up and deferred in mail.log.2.gz (Nov 18 16:20),
 * deferred again in mail.log.1 (Nov 19 16:40), expired in mail.log:
 *   Nov 20 16:21:00 mail postfix/qmgr[1102]: 6E2D4E0300: from=<sklep@example.pl>, status=expired, returned to sender
 *   Nov 20 16:21:00 mail postfix/bounce[8011]: 6E2D4E0300: sender non-delivery notification: 7A9B1E0901
 *   Nov 20 16:21:00 mail postfix/qmgr[1102]: 6E2D4E0300: removed */
static void test_straddles_three_files(void **state)
{
	(void)state;
	const struct store *st = &sample;
	uint32_t m = msg_by_qid(st, "6E2D4E0300");
	const struct message *msg = &st->msgs[m];
	assert_true(has_event_from(st, m, "postfix/mail.log.2.gz"));
	assert_true(has_event_from(st, m, "postfix/mail.log.1"));
	assert_true(has_event_from(st, m, "postfix/mail.log"));
	/* 4 lines in .2.gz (pickup, cleanup, qmgr, smtp), 2 in .1, 3 in mail.log */
	static const uint8_t kinds[] = {EV_CLIENT,   EV_MSGID,    EV_QUEUED,      EV_DEFERRED, EV_QUEUED,
					EV_DEFERRED, EV_EXPIRED, EV_BOUNCE_SENT, EV_DONE};
	check_kinds(st, m, kinds, sizeof kinds);
	assert_int_equal(msg->status, OUT_EXPIRED);
	assert_true(msg->flags & MSG_EXPIRED);
	assert_true(msg->flags & MSG_DONE);
	assert_str(st, msg->sender, "sklep@example.pl");
	assert_int_equal(msg->first_ts, SEC(1795015200)); /* 2026-11-18 16:20:00 CET */
	assert_int_equal(msg->last_ts, SEC(1795188060));  /* 2026-11-20 16:21:00 CET */
	uint32_t r = rcpt_by_addr(st, m, "klient@old-shop-example.com.pl");
	assert_int_equal(st->rcpts[r].status, OUT_EXPIRED);
	assert_str(st, st->rcpts[r].dsn, "4.4.1");
	assert_int_equal(st->rcpts[r].attempts, 2);
	uint32_t b = msg_by_qid(st, "7A9B1E0901");
	assert_int_equal(st->msgs[b].parent, m);
	assert_int_equal(st->msgs[b].parent_link, LINK_BOUNCE_CHILD);
	assert_true(st->msgs[b].flags & MSG_IS_BOUNCE);
	assert_int_equal(st->msgs[b].status, OUT_DELIVERED);
}

/* 9C4A1E0777: greylisted (450 4.7.1) at 23:58:21 in mail.log.1, sent at
 * Nov 20 00:08:26 in mail.log ("250 2.0.0 Ok: queued as 4B2F71C0A3",
 * a queue id on the other server, not in these logs). */
static void test_deferred_then_delivered(void **state)
{
	(void)state;
	const struct store *st = &sample;
	uint32_t m = msg_by_qid(st, "9C4A1E0777");
	assert_true(has_event_from(st, m, "postfix/mail.log.1"));
	assert_true(has_event_from(st, m, "postfix/mail.log"));
	static const uint8_t kinds[] = {EV_CONNECT,   EV_CLIENT, EV_MSGID,     EV_QUEUED, EV_DISCONNECT,
					EV_DEFERRED, EV_QUEUED, EV_DELIVERED, EV_DONE};
	check_kinds(st, m, kinds, sizeof kinds);
	assert_int_equal(st->msgs[m].status, OUT_DELIVERED);
	uint32_t r = rcpt_by_addr(st, m, "office@grey-example.de");
	const struct rcpt *rc = &st->rcpts[r];
	assert_int_equal(rc->status, OUT_DELIVERED);
	assert_str(st, rc->dsn, "2.0.0");
	assert_int_equal(rc->smtp_code, 250);
	assert_int_equal(rc->attempts, 2);
	assert_int_equal(rc->at, SEC(1795129706)); /* 2026-11-20 00:08:26 CET */
	assert_int_equal(rc->hop, MSG_NONE);
	assert_int_equal(store_rcpt_final(st, r, NULL), OUT_DELIVERED);
	assert_int_equal(st->msgs[m].first_ts, SEC(1795129099)); /* Nov 19 23:58:19 */
}

/* D41E2E0A10 (mail.log): jan@firma-a.pl sent (250 2.0.0), ola@firma-b.com
 * bounced "554 5.7.1 This message appears to be unsolicited...". */
static void test_partial(void **state)
{
	(void)state;
	const struct store *st = &sample;
	uint32_t m = msg_by_qid(st, "D41E2E0A10");
	assert_int_equal(st->msgs[m].status, OUT_PARTIAL);
	assert_int_equal(count_rcpts(st, m), 2);
	uint32_t a = rcpt_by_addr(st, m, "jan@firma-a.pl");
	uint32_t b = rcpt_by_addr(st, m, "ola@firma-b.com");
	assert_int_equal(st->rcpts[a].status, OUT_DELIVERED);
	assert_int_equal(st->rcpts[a].smtp_code, 250);
	assert_str(st, st->rcpts[a].dsn, "2.0.0");
	assert_int_equal(st->rcpts[b].status, OUT_BOUNCED);
	assert_int_equal(st->rcpts[b].smtp_code, 554);
	assert_str(st, st->rcpts[b].dsn, "5.7.1");
	assert_str(st, st->rcpts[b].relay, "mx.firma-b.com[198.51.100.88]:25");
	assert_str(st, st->msgs[m].subject, "Listopadowa promocja – rabat 20%");
	uint32_t c = msg_by_qid(st, "E0F33E0A11");
	assert_int_equal(st->msgs[c].parent, m);
	assert_int_equal(st->msgs[c].parent_link, LINK_BOUNCE_CHILD);
}

/* Exim: 1mY1Gz-0003eI-Ab arrives and is deferred in mainlog.1.gz (Nov 19),
 * fails in mainlog (Nov 20):
 *   2026-11-20 14:10:42.120 [25510] 1mY1Gz-0003eI-Ab ** zamowienia@wwp.pl R=lookuphost T=remote_smtp:
 *       all hosts for 'wwp.pl' have been failing for a long time (and retry time not reached)
 *   2026-11-20 14:10:42.126 [25510] 1mYTuk-0006dJ-1x <= <> R=1mY1Gz-0003eI-Ab U=mail P=local S=2987
 *       T="Mail delivery failed: returning message to sender" from <> for fred@example.pl
 *   2026-11-20 14:10:42.152 [25512] 1mYTuk-0006dJ-1x => fred <fred@example.pl> F=<> R=virtual_user ... */
static void test_exim_rotation_and_bounce(void **state)
{
	(void)state;
	const struct store *st = &sample;
	uint32_t m = msg_by_qid(st, "1mY1Gz-0003eI-Ab");
	assert_true(has_event_from(st, m, "exim/mainlog.1.gz"));
	assert_true(has_event_from(st, m, "exim/mainlog"));
	assert_int_equal(st->msgs[m].status, OUT_BOUNCED);
	assert_str(st, st->msgs[m].sender, "fred@example.pl");
	assert_str(st, st->msgs[m].msgid, "20261119154427.7720@example.pl");
	assert_str(st, st->msgs[m].subject, "Potwierdzenie zamowienia");
	assert_int_equal(st->msgs[m].first_ts, SEC(1795099467) + 801000); /* 15:44:27.801 CET */
	assert_int_equal(count_rcpts(st, m), 1);
	uint32_t r = rcpt_by_addr(st, m, "zamowienia@wwp.pl");
	assert_int_equal(st->rcpts[r].status, OUT_BOUNCED);
	assert_non_null(strstr(store_str(st, st->rcpts[r].reply),
			       "all hosts for 'wwp.pl' have been failing for a long time"));
	assert_true(has_kind(st, m, EV_DEFERRED));
	assert_true(has_kind(st, m, EV_BOUNCED));

	uint32_t b = msg_by_qid(st, "1mYTuk-0006dJ-1x");
	assert_int_equal(st->msgs[b].parent, m);
	assert_int_equal(st->msgs[b].parent_link, LINK_BOUNCE_PARENT);
	assert_true(st->msgs[b].flags & MSG_IS_BOUNCE);
	assert_true(is_child_of(st, m, b));
	assert_str(st, st->msgs[b].sender, "<>");
	assert_int_equal(st->msgs[b].status, OUT_DELIVERED);
	/* "for fred@example.pl" then "=> fred <fred@example.pl>": one recipient */
	assert_int_equal(count_rcpts(st, b), 1);
	assert_int_equal(st->rcpts[rcpt_by_addr(st, b, "fred@example.pl")].status, OUT_DELIVERED);
}

/* Local deliveries "=> fred <fred@example.pl>" are the recipient listed as
 * "for fred@example.pl", not a second one (mainlog.1.gz 1mXzKs-0003Fk-4A,
 * mainlog 1mYPu6-0007lT-I2). */
static void test_exim_local_delivery_one_rcpt(void **state)
{
	(void)state;
	const struct store *st = &sample;
	static const char *const ids[] = {"1mXzKs-0003Fk-4A", "1mYPu6-0007lT-I2", "1mYTuk-0006dJ-1x"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		uint32_t m = msg_by_qid(st, ids[i]);
		if (count_rcpts(st, m) != 1)
			fail_msg("%s: %u recipients, want 1", ids[i], st->msgs[m].nrcpt);
		uint32_t r = rcpt_by_addr(st, m, "fred@example.pl");
		assert_int_equal(st->rcpts[r].status, OUT_DELIVERED);
		assert_str(st, st->rcpts[r].relay, "virtual_localdelivery");
		assert_int_equal(st->msgs[m].status, OUT_DELIVERED);
	}
	/* and the bounce of 1mXzKq-0003Fh-2c links back through R= */
	uint32_t p = msg_by_qid(st, "1mXzKq-0003Fh-2c");
	uint32_t c = msg_by_qid(st, "1mXzKs-0003Fk-4A");
	assert_int_equal(st->msgs[c].parent, p);
	assert_int_equal(st->msgs[c].parent_link, LINK_BOUNCE_PARENT);
	assert_int_equal(st->msgs[p].status, OUT_BOUNCED);
}

/* fred.bytes lines carry the Exim message id:
 *   1874=type=email&email=fred@example.pl&method=outgoing&id=1mY1Gz-0003eI-Ab&... (twice)
 *   2043=type=email&email=fred@example.pl&method=outgoing&id=1mYMRt-00061G-Nx&...
 *   15320=type=email&email=fred@example.pl&method=incoming&...&id=1mYPu6-0007lT-I2&...
 *   1190=type=email&email=fred@example.pl&method=outgoing&id=1mYQa1-0001Zk-7b&...
 *   2987=type=email&email=fred@example.pl&method=incoming&...&id=1mYTuk-0006dJ-1x&...
 *   4410=type=email&email=fred@example.pl&method=outgoing&id=1mYUa9-0006q1-Fs&...
 * Each joins the Exim message with that id: one message, both sources. */
static void test_directadmin_joins_exim(void **state)
{
	(void)state;
	const struct store *st = &sample;
	static const struct {
		const char *id;
		int outbound;
	} cases[] = {
		{"1mY1Gz-0003eI-Ab", 1}, {"1mYMRt-00061G-Nx", 1}, {"1mYPu6-0007lT-I2", 0},
		{"1mYQa1-0001Zk-7b", 1}, {"1mYTuk-0006dJ-1x", 0}, {"1mYUa9-0006q1-Fs", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (count_qid(st, cases[i].id) != 1)
			fail_msg("%s: %zu messages, want one", cases[i].id, count_qid(st, cases[i].id));
		uint32_t m = msg_by_qid(st, cases[i].id);
		if (!has_event_from(st, m, "fred.bytes"))
			fail_msg("%s: no event from fred.bytes", cases[i].id);
		if (!has_event_from(st, m, "exim/mainlog") && !has_event_from(st, m, "exim/mainlog.1.gz"))
			fail_msg("%s: no event from the Exim mainlog", cases[i].id);
		assert_str(st, store_msg_extra(st, &st->msgs[m], MSG_X_ACCOUNT), "fred@example.pl");
		assert_true(has_kind(st, m, cases[i].outbound ? EV_USAGE_OUT : EV_USAGE_IN));
		assert_true(st->msgs[m].flags & (cases[i].outbound ? MSG_OUTBOUND : MSG_INBOUND));
		assert_true(has_kind(st, m, EV_QUEUED));
	}
	/* the usage line does not add a recipient "zamowienia@wwp.pl" twice */
	assert_int_equal(count_rcpts(st, msg_by_qid(st, "1mY1Gz-0003eI-Ab")), 1);
}

/* One Message-ID seen by several sources: the copies share a ring.
 *   20261120101502.1234@example.pl: Exim 1mYMRt-00061G-Nx (id=) and the
 *       Google export rows "<20261120101502.1234@example.pl>";
 *   nl.20261120.88121@shop.example.com: Exim 1mYPu6-0007lT-I2 and the
 *       EmailLabs rows;
 *   CAF8xQz1u7kP@mail.gmail.com: Postfix 3A1C2E0412 and 5F0B7E0419. */
static void check_ring_sources(const struct store *st, uint32_t m, const char *msgid,
			       const char *other_format)
{
	assert_str(st, st->msgs[m].msgid, msgid);
	int other = 0;
	size_t steps = 0;
	uint32_t x = m;
	do {
		/* every member carries the same Message-ID (case aside) */
		if (strcasecmp(store_str(st, st->msgs[x].msgid), msgid) != 0)
			fail_msg("ring of %s holds message %u with Message-ID %s", msgid, x,
				 store_str(st, st->msgs[x].msgid));
		if (strcmp(store_msg_format(st, x), other_format) == 0)
			other = 1;
		x = st->msgs[x].same_msgid;
		assert_true(++steps <= st->nmsgs);
	} while (x != m);
	if (!other)
		fail_msg("%s: no %s copy in the ring", msgid, other_format);
	/* and every message with that Message-ID is in the ring */
	for (uint32_t y = 0; y < st->nmsgs; y++)
		if (strcasecmp(store_str(st, st->msgs[y].msgid), msgid) == 0 && !in_ring(st, m, y))
			fail_msg("%s: message %u is not in the ring", msgid, y);
}

static void test_msgid_rings(void **state)
{
	(void)state;
	const struct store *st = &sample;
	check_ring_sources(st, msg_by_qid(st, "1mYMRt-00061G-Nx"), "20261120101502.1234@example.pl",
			   "gws");
	check_ring_sources(st, msg_by_qid(st, "1mYPu6-0007lT-I2"),
			   "nl.20261120.88121@shop.example.com", "emaillabs");
	check_ring_sources(st, msg_by_qid(st, "3A1C2E0412"), "CAF8xQz1u7kP@mail.gmail.com", "postfix");
	/* unrelated messages stay alone */
	uint32_t lone = msg_by_qid(st, "B7E21E0517");
	assert_int_equal(st->msgs[lone].same_msgid, lone);
}

/* Every ring closes, and links are consistent both ways. */
static void test_store_invariants(void **state)
{
	(void)state;
	const struct store *st = &sample;
	assert_true(st->nmsgs > 40);
	for (uint32_t m = 0; m < st->nmsgs; m++) {
		const struct message *msg = &st->msgs[m];
		(void)in_ring(st, m, m);
		if (msg->parent != MSG_NONE) {
			assert_true(msg->parent < st->nmsgs);
			assert_true(is_child_of(st, msg->parent, m));
			assert_true(msg->parent_link > LINK_NONE && msg->parent_link < LINK__COUNT);
		}
		struct event *evs = malloc((store_msg_nev(st, m) ? store_msg_nev(st, m) : 1) * sizeof *evs);
		assert_non_null(evs);
		size_t n = store_msg_events(st, m, evs, store_msg_nev(st, m));
		for (size_t e = 0; e < n; e++) {
			assert_true(event_file(&evs[e]) < st->nfiles);
			if (e)
				assert_true(evs[e - 1].ts_us <= evs[e].ts_us);
		}
		if (msg->live_ev != EVENT_NONE)
			assert_true(msg->live_ev < st->nevents);
		assert_int_equal(n, store_msg_nev(st, m));
		if (store_msg_nev(st, m)) {
			assert_true(msg->first_ts <= msg->last_ts);
			assert_int_equal(evs[0].ts_us, msg->first_ts);
		}
		free(evs);
		assert_true(msg->status < OUT__COUNT && msg->status != OUT_NONE);
	}
}

/* --- synthetic files of real shape ---------------------------------------- */

static void write_tmp(const char *name, const char *text, int64_t mtime, char *path, size_t cap)
{
	snprintf(path, cap, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	if (mtime) {
		struct timeval tv[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
		assert_int_equal(utimes(path, tv), 0);
	}
}

static void release_tst(void)
{
	if (tst_live)
		store_release(&tst);
	tst_live = 0;
}

/* Per-test teardown: a failed assertion leaves by longjmp, so the store
 * is released here too. */
static int cleanup(void **state)
{
	(void)state;
	release_tst();
	return 0;
}

static void load_one(struct store *st, const char *name, const char *text, int64_t mtime, int year)
{
	char path[512];
	write_tmp(name, text, mtime, path, sizeof path);
	const char *paths[1] = {path};
	release_tst();
	tst_live = st == &tst;
	load_paths(st, paths, 1, year);
	assert_string_equal(st->files[0].format, "postfix");
	assert_int_equal(st->files[0].unknown + st->files[0].bad, 0);
}

/* youyo test.log lines of C6E0DDB74006, then 3D74ADB7400B's lines half an
 * hour later carrying the same queue id: Postfix reused the id after the
 * first message was removed. */
static const char reuse_log[] =
	"Oct 10 15:59:28 mail postfix/smtpd[1830]: connect from example.com[127.0.0.1]\n"
	"Oct 10 15:59:28 mail postfix/smtpd[1830]: C6E0DDB74006: client=example.com[127.0.0.1]\n"
	"Oct 10 15:59:28 mail postfix/cleanup[1894]: C6E0DDB74006: message-id=<A40CF64D-7F2D-42E4-8A76-CBFFF64A6EB1@example.com>\n"
	"Oct 10 15:59:28 mail postfix/qmgr[18719]: C6E0DDB74006: from=<test@example.com>, size=309891, nrcpt=1 (queue active)\n"
	"Oct 10 15:59:28 mail postfix/smtpd[1830]: disconnect from example.com[127.0.0.1]\n"
	"Oct 10 15:59:32 mail postfix/smtp[1874]: C6E0DDB74006: to=<test@example.ddd>, relay=example.ddd[192.168.0.30]:25, delay=3.4, delays=0.11/0/0.38/2.9, dsn=2.0.0, status=sent (250 2.0.0 OK 1539154772 az9-v6si5976496plb.190 - gsmtp)\n"
	"Oct 10 15:59:32 mail postfix/qmgr[18719]: C6E0DDB74006: removed\n"
	"Oct 10 16:30:29 mail postfix/smtpd[1827]: connect from example.com[127.0.0.1]\n"
	"Oct 10 16:30:29 mail postfix/smtpd[1827]: C6E0DDB74006: client=example.com[127.0.0.1]\n"
	"Oct 10 16:30:29 mail postfix/cleanup[1695]: C6E0DDB74006: message-id=<f93388828093534f92d85ffe21b2a719@example.info>\n"
	"Oct 10 16:30:29 mail postfix/smtpd[1827]: disconnect from example.com[127.0.0.1]\n"
	"Oct 10 16:30:29 mail postfix/qmgr[18719]: C6E0DDB74006: from=<test2@example.info>, size=2140, nrcpt=1 (queue active)\n"
	"Oct 10 16:30:30 mail postfix/smtp[1810]: C6E0DDB74006: to=<test@example.to>, relay=example.to[192.168.0.20]:25, delay=1.7, delays=0.02/0/1.7/0.06, dsn=2.0.0, status=sent (250 [Sniper] OK 1539154772 snipe-queue 10549)\n"
	"Oct 10 16:30:30 mail postfix/qmgr[18719]: C6E0DDB74006: removed\n";

/* Thousands of messages shaped like reuse_log's first one, each with its
 * own sender, client address, Message-ID and recipient: the parsed
 * records fill many of the loader's blocks, so interned fields that a
 * worker looks up in batches cross block hand-overs.  Every message must
 * come out with exactly its own strings. */
enum { MANY_MSGS = 6000 };

static void test_many_blocks(void **state)
{
	(void)state;
	size_t cap = (size_t)MANY_MSGS * 1200, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (unsigned i = 0; i < MANY_MSGS; i++) {
		unsigned sec = i % 60, min = i / 60 % 60, hour = i / 3600;
		char qid[16];
		snprintf(qid, sizeof qid, "C%05X%05X", i, i * 7u);
		int n = snprintf(text + len, cap - len,
			"Oct 10 %02u:%02u:%02u mail postfix/smtpd[%u]: connect from h%u.example.com[10.%u.%u.%u]\n"
			"Oct 10 %02u:%02u:%02u mail postfix/smtpd[%u]: %s: client=h%u.example.com[10.%u.%u.%u]\n"
			"Oct 10 %02u:%02u:%02u mail postfix/cleanup[1894]: %s: message-id=<m%u.%s@example.com>\n"
			"Oct 10 %02u:%02u:%02u mail postfix/qmgr[18719]: %s: from=<user%u@example.com>, size=%u, nrcpt=1 (queue active)\n"
			"Oct 10 %02u:%02u:%02u mail postfix/smtpd[%u]: disconnect from h%u.example.com[10.%u.%u.%u]\n"
			"Oct 10 %02u:%02u:%02u mail postfix/smtp[1874]: %s: to=<rcpt%u@example.ddd>, relay=example.ddd[192.168.0.30]:25, delay=3.4, delays=0.11/0/0.38/2.9, dsn=2.0.0, status=sent (250 2.0.0 OK %u az9-v6si5976496plb.190 - gsmtp)\n"
			"Oct 10 %02u:%02u:%02u mail postfix/qmgr[18719]: %s: removed\n",
			hour, min, sec, 1000 + i % 50, i, i >> 16, i >> 8 & 255, i & 255,
			hour, min, sec, 1000 + i % 50, qid, i, i >> 16, i >> 8 & 255, i & 255,
			hour, min, sec, qid, i, qid,
			hour, min, sec, qid, i, 1000 + i,
			hour, min, sec, 1000 + i % 50, i, i >> 16, i >> 8 & 255, i & 255,
			hour, min, sec, qid, i, 1539154772u + i,
			hour, min, sec, qid);
		assert_true(n > 0 && (size_t)n < cap - len);
		len += (size_t)n;
	}
	load_one(&tst, "many.log", text, 0, 2025);
	free(text);
	assert_int_equal(tst.nmsgs, MANY_MSGS);
	char want[128];
	for (unsigned i = 0; i < MANY_MSGS; i++) {
		char qid[16];
		snprintf(qid, sizeof qid, "C%05X%05X", i, i * 7u);
		uint32_t m = msg_by_qid(&tst, qid);
		snprintf(want, sizeof want, "user%u@example.com", i);
		assert_str(&tst, tst.msgs[m].sender, want);
		snprintf(want, sizeof want, "10.%u.%u.%u", i >> 16, i >> 8 & 255, i & 255);
		assert_str(&tst, tst.msgs[m].client_ip, want);
		snprintf(want, sizeof want, "h%u.example.com", i);
		assert_str(&tst, tst.msgs[m].client_host, want);
		snprintf(want, sizeof want, "m%u.%s@example.com", i, qid);
		assert_str(&tst, tst.msgs[m].msgid, want);
		snprintf(want, sizeof want, "rcpt%u@example.ddd", i);
		uint32_t r = rcpt_by_addr(&tst, m, want);
		assert_int_equal(tst.rcpts[r].status, OUT_DELIVERED);
		assert_str(&tst, tst.rcpts[r].relay, "example.ddd[192.168.0.30]:25");
	}
	/* the records really filled many blocks (256 KiB each) */
	assert_true(tst.files[0].lines == 7u * MANY_MSGS);
}

static void test_qid_reuse(void **state)
{
	(void)state;
	load_one(&tst, "reuse.log", reuse_log, 0, 2025);
	assert_int_equal(tst.nmsgs, 2);
	assert_int_equal(count_qid(&tst, "C6E0DDB74006"), 2);
	uint32_t a = 0, b = 1;
	if (tst.msgs[a].first_ts > tst.msgs[b].first_ts) {
		a = 1;
		b = 0;
	}
	assert_str(&tst, tst.msgs[a].sender, "test@example.com");
	assert_str(&tst, tst.msgs[a].msgid, "A40CF64D-7F2D-42E4-8A76-CBFFF64A6EB1@example.com");
	assert_int_equal(count_rcpts(&tst, a), 1);
	assert_int_equal(tst.rcpts[rcpt_by_addr(&tst, a, "test@example.ddd")].status, OUT_DELIVERED);
	assert_str(&tst, tst.msgs[b].sender, "test2@example.info");
	assert_str(&tst, tst.msgs[b].msgid, "f93388828093534f92d85ffe21b2a719@example.info");
	assert_int_equal(count_rcpts(&tst, b), 1);
	assert_int_equal(tst.rcpts[rcpt_by_addr(&tst, b, "test@example.to")].status, OUT_DELIVERED);
	static const uint8_t ka[] = {EV_CONNECT, EV_CLIENT, EV_MSGID, EV_QUEUED, EV_DISCONNECT,
				     EV_DELIVERED, EV_DONE};
	static const uint8_t kb[] = {EV_CONNECT, EV_CLIENT, EV_MSGID, EV_DISCONNECT, EV_QUEUED,
				     EV_DELIVERED, EV_DONE};
	check_kinds(&tst, a, ka, sizeof ka);
	check_kinds(&tst, b, kb, sizeof kb);
	assert_true(tst.msgs[a].last_ts < tst.msgs[b].first_ts);
	assert_true(tst.msgs[a].flags & MSG_DONE);
	assert_true(tst.msgs[b].flags & MSG_DONE);
	assert_int_equal(tst.msgs[a].parent, MSG_NONE);
	assert_int_equal(tst.msgs[b].parent, MSG_NONE);
	assert_int_equal(tst.msgs[a].same_msgid, a);
	release_tst();
}

/* The correlator forgets the queue id of a message 15 minutes after it
 * left the queue (its table holds the queue, not the day).  A line naming
 * it later - here an Exim bounce whose R= points at a message completed
 * 40 minutes before, and a Postfix queue id reused an hour later by a
 * line that is not an opener - must still end up on the right message. */
static const char late_exim[] =
	"2026-11-04 12:19:22.319 [55461] CBtOH9-RI76Iu-Cv <= ewa.241@outlook.com H=(pc) [203.0.76.27]:53011 I=[198.51.100.10]:587 P=esmtpsa A=dovecot_login:ewa.241@outlook.com S=28247 id=7c45745c.55461@example.pl T=\"Faktura\" from <ewa.241@outlook.com> for info.240@outlook.com\n"
	"2026-11-04 12:19:23.212 [55464] CBtOH9-RI76Iu-Cv => info.240@outlook.com F=<ewa.241@outlook.com> R=lookuphost T=remote_smtp H=mx.outlook.com [212.77.101.1] C=\"250 2.0.0 OK\"\n"
	"2026-11-04 12:19:23.212 [55464] CBtOH9-RI76Iu-Cv Completed\n"
	"2026-11-04 12:59:23.212 [55470] EUaFWr-6rxE36-HQ <= <> R=CBtOH9-RI76Iu-Cv U=mail P=local S=3544 T=\"Warning: message CBtOH9-RI76Iu-Cv delayed\" from <> for ewa.241@outlook.com\n"
	"2026-11-04 12:59:23.300 [55471] EUaFWr-6rxE36-HQ => ewa.241@outlook.com F=<> R=virtual_user T=virtual_localdelivery S=3622\n"
	"2026-11-04 12:59:23.300 [55471] EUaFWr-6rxE36-HQ Completed\n";

static void test_link_to_retired_message(void **state)
{
	(void)state;
	char path[512];
	write_tmp("mainlog", late_exim, 0, path, sizeof path);
	const char *paths[1] = {path};
	release_tst();
	tst_live = 1;
	load_paths(&tst, paths, 1, 0);
	assert_string_equal(tst.files[0].format, "exim");
	assert_int_equal(tst.nmsgs, 2);
	uint32_t parent = msg_by_qid(&tst, "CBtOH9-RI76Iu-Cv");
	uint32_t bounce = msg_by_qid(&tst, "EUaFWr-6rxE36-HQ");
	assert_int_equal(tst.msgs[bounce].parent, parent);
	assert_int_equal(tst.msgs[bounce].parent_link, LINK_BOUNCE_PARENT);
	assert_true(tst.msgs[bounce].flags & MSG_IS_BOUNCE);
	assert_true(is_child_of(&tst, parent, bounce));
	release_tst();
}

/* late_exim's first line addressed to 1000 recipients (a spam run's
 * shape): the loader interns the list's addresses in batches, and a list
 * longer than a batch flushes part-way through the line.  Every 8th
 * address repeats the one before (looked up once, answered twice; the
 * first flush falls just before a repeat), some are in <>.  The line is
 * logged twice. */
enum { LIST_RCPTS = 1000 };

static void test_long_rcpt_list(void **state)
{
	(void)state;
	size_t cap = 64 + LIST_RCPTS * 40, len;
	char *text = malloc(2 * cap + 400);
	assert_non_null(text);
	len = (size_t)snprintf(text, cap,
		"2026-11-04 12:19:22.319 [55461] CBtOH9-RI76Iu-Cv <= ewa.241@outlook.com H=(pc) [203.0.76.27]:53011 I=[198.51.100.10]:587 P=esmtpsa A=dovecot_login:ewa.241@outlook.com S=28247 id=7c45745c.55461@example.pl T=\"Faktura\" from <ewa.241@outlook.com> for");
	for (unsigned i = 0; i < LIST_RCPTS; i++) {
		unsigned who = i && i % 8 == 0 ? i - 1 : i;
		len += (size_t)snprintf(text + len, cap - len, i % 7 == 3 ? " <info.%u@outlook.com>" : " info.%u@outlook.com", who);
	}
	len += (size_t)snprintf(text + len, 2, "\n");
	/* the line twice, as rsyslog writing mail.* twice logs it: the
	 * second list adds nobody */
	memcpy(text + len, text, len);
	len *= 2;
	len += (size_t)snprintf(text + len, 400, "2026-11-04 12:19:23.212 [55464] CBtOH9-RI76Iu-Cv Completed\n");
	char path[512];
	write_tmp("mainlog", text, 0, path, sizeof path);
	free(text);
	const char *paths[1] = {path};
	release_tst();
	tst_live = 1;
	load_paths(&tst, paths, 1, 0);
	assert_string_equal(tst.files[0].format, "exim");
	assert_int_equal(tst.nmsgs, 1);
	uint32_t m = msg_by_qid(&tst, "CBtOH9-RI76Iu-Cv");
	unsigned distinct = LIST_RCPTS - (LIST_RCPTS - 1) / 8;
	assert_int_equal(count_rcpts(&tst, m), distinct);
	char want[64];
	for (unsigned i = 0; i < LIST_RCPTS; i++) {
		if (i && i % 8 == 0)
			continue;
		snprintf(want, sizeof want, "info.%u@outlook.com", i);
		uint32_t r = rcpt_by_addr(&tst, m, want);
		assert_int_equal(tst.rcpts[r].status, OUT_QUEUED);
	}
	release_tst();
}

/* A message whose client= line is in a rotated file not read: the logged
 * header (whyscream postfix-grok-patterns test-bodies.log, D8B07E3DB6)
 * still names the client, which the message must show. */
static const char header_only_log[] =
	"Oct 10 15:59:28 mail postfix/cleanup[1894]: D8B07E3DB6: warning: header Subject: https://drive.google.com/file/d/0B8wxcvprDYVdlVsdf1kzOVkdisarmed/view?usp=sharing from o1678917x173.outbound-mail.sendgrid.net[167.89.17.173]; from=<bounces+2320708-7653-frank.test=hsdjasdd.co.uk@sendgrid.net> to=<frank.test@hsdjasdd.co.uk> proto=ESMTP helo=<o1678917x173.outbound-mail.sendgrid.net>\n"
	"Oct 10 15:59:28 mail postfix/qmgr[18719]: D8B07E3DB6: from=<bounces+2320708-7653-frank.test=hsdjasdd.co.uk@sendgrid.net>, size=3091, nrcpt=1 (queue active)\n";

static void test_client_from_header_only(void **state)
{
	(void)state;
	load_one(&tst, "header.log", header_only_log, 0, 2025);
	uint32_t m = msg_by_qid(&tst, "D8B07E3DB6");
	assert_str(&tst, tst.msgs[m].client_ip, "167.89.17.173");
	assert_str(&tst, tst.msgs[m].client_host, "o1678917x173.outbound-mail.sendgrid.net");
}

/* ... and with its client= line, the header does not replace it. */
static void test_client_line_wins_over_header(void **state)
{
	(void)state;
	char text[2048];
	snprintf(text, sizeof text, "%s%s",
		 "Oct 10 15:59:27 mail postfix/smtpd[1830]: D8B07E3DB6: client=relay.example.com[192.0.2.7]\n",
		 header_only_log);
	load_one(&tst, "header2.log", text, 0, 2025);
	uint32_t m = msg_by_qid(&tst, "D8B07E3DB6");
	assert_str(&tst, tst.msgs[m].client_ip, "192.0.2.7");
	assert_str(&tst, tst.msgs[m].client_host, "relay.example.com");
}

/* rsyslog writing mail.* twice (mailcow issue 339): every line twice -
 * the mailcow postscreen lines and youyo's 3D74ADB7400B with its two
 * recipients. */
static const char dup_lines[][300] = {
	"Apr 13 14:56:58 mx postfix/postscreen[14266]: DNSBL rank 17 for [185.125.4.192]:58166",
	"Apr 13 14:56:58 mx postfix/postscreen[14266]: HANGUP after 0.12 from [185.125.4.192]:58166 in tests after SMTP handshake",
	"Apr 13 14:56:58 mx postfix/postscreen[14266]: DISCONNECT [185.125.4.192]:58166",
	"Apr 13 15:59:29 mx postfix/smtpd[1827]: connect from example.com[127.0.0.1]",
	"Apr 13 15:59:29 mx postfix/smtpd[1827]: 3D74ADB7400B: client=example.com[127.0.0.1]",
	"Apr 13 15:59:29 mx postfix/cleanup[1695]: 3D74ADB7400B: message-id=<f93388828093534f92d85ffe21b2a719@example.info>",
	"Apr 13 15:59:29 mx postfix/smtpd[1827]: disconnect from example.com[127.0.0.1]",
	"Apr 13 15:59:29 mx postfix/qmgr[18719]: 3D74ADB7400B: from=<test2@example.info>, size=2140, nrcpt=1 (queue active)",
	"Apr 13 15:59:30 mx postfix/smtp[1810]: 3D74ADB7400B: to=<test@example.to>, relay=example.to[192.168.0.20]:25, delay=1.7, delays=0.02/0/1.7/0.06, dsn=2.0.0, status=sent (250 [Sniper] OK 1539154772 snipe-queue 10549)",
	"Apr 13 15:59:30 mx postfix/smtp[1810]: 3D74ADB7400B: to=<test2@example.to>, relay=example.to[192.168.0.20]:25, delay=1.7, delays=0.02/0/1.7/0.06, dsn=2.0.0, status=sent (250 [Sniper] OK 1539154772 snipe-queue 10549)",
	"Apr 13 15:59:30 mx postfix/qmgr[18719]: 3D74ADB7400B: removed",
};

static void test_duplicate_lines(void **state)
{
	(void)state;
	struct tbuf text = TBUF_INIT;
	for (size_t i = 0; i < sizeof dup_lines / sizeof dup_lines[0]; i++)
		tbuf_printf(&text, "%s\n%s\n", dup_lines[i], dup_lines[i]);
	load_one(&tst, "dup.log", tbuf_str(&text), 0, 2026);
	tbuf_release(&text);
	assert_int_equal(tst.nmsgs, 1);
	uint32_t m = msg_by_qid(&tst, "3D74ADB7400B");
	assert_int_equal(count_rcpts(&tst, m), 2);
	assert_int_equal(tst.rcpts[rcpt_by_addr(&tst, m, "test@example.to")].status, OUT_DELIVERED);
	assert_int_equal(tst.rcpts[rcpt_by_addr(&tst, m, "test2@example.to")].status, OUT_DELIVERED);
	assert_int_equal(tst.msgs[m].status, OUT_DELIVERED);
	assert_str(&tst, tst.msgs[m].sender, "test2@example.info");
	assert_false(tst.msgs[m].flags & MSG_ATTEMPT);
	assert_true(has_kind(&tst, m, EV_CONNECT));
	assert_true(has_kind(&tst, m, EV_DISCONNECT));
	release_tst();
}

/* One smtpd session: the first RCPT is refused (the fail2ban postfix.log
 * line), the next one accepted, so the queue file is created after the
 * NOQUEUE line; the refusal belongs to the message. */
static const char reject_then_client_log[] =
	"May 19 00:00:29 proxy2 postfix/smtpd[16123]: connect from example.net[192.0.2.2]\n"
	"May 19 00:00:30 proxy2 postfix/smtpd[16123]: NOQUEUE: reject: RCPT from example.net[192.0.2.2]: 550 5.1.1 <user1@example.com>: Recipient address rejected: undeliverable address: verification failed; from=<user2@example.org> to=<user1@example.com> proto=ESMTP helo=<example.net>\n"
	"May 19 00:00:31 proxy2 postfix/smtpd[16123]: 2BD192839B: client=example.net[192.0.2.2]\n"
	"May 19 00:00:31 proxy2 postfix/cleanup[16125]: 2BD192839B: message-id=<D4887A5E-DEAC-45CE-BDDF-3C89DEA84236@example.com>\n"
	"May 19 00:00:31 proxy2 postfix/qmgr[15878]: 2BD192839B: from=<user2@example.org>, size=1156, nrcpt=1 (queue active)\n"
	"May 19 00:00:31 proxy2 postfix/smtpd[16123]: disconnect from example.net[192.0.2.2]\n"
	"May 19 00:00:32 proxy2 postfix/lmtp[16126]: 2BD192839B: to=<email1@example.com>, relay=host.example.com[private/dovecot-lmtp], delay=0.09, delays=0.03/0.02/0.03/0.01, dsn=2.0.0, status=sent (250 2.0.0 <email1@example.com> 5GjrDafYTFE7WAAABf1gKA Saved)\n"
	"May 19 00:00:32 proxy2 postfix/qmgr[15878]: 2BD192839B: removed\n";

static void test_reject_then_client(void **state)
{
	(void)state;
	load_one(&tst, "rejclient.log", reject_then_client_log, 0, 2026);
	assert_int_equal(tst.nmsgs, 1);
	uint32_t m = msg_by_qid(&tst, "2BD192839B");
	const struct message *msg = &tst.msgs[m];
	assert_false(msg->flags & MSG_ATTEMPT);
	assert_int_equal(count_rcpts(&tst, m), 2);
	uint32_t rej = rcpt_by_addr(&tst, m, "user1@example.com");
	assert_int_equal(tst.rcpts[rej].status, OUT_REJECTED);
	assert_int_equal(tst.rcpts[rej].smtp_code, 550);
	assert_str(&tst, tst.rcpts[rej].dsn, "5.1.1");
	uint32_t ok = rcpt_by_addr(&tst, m, "email1@example.com");
	assert_int_equal(tst.rcpts[ok].status, OUT_DELIVERED);
	assert_int_equal(msg->status, OUT_PARTIAL);
	assert_str(&tst, msg->client_ip, "192.0.2.2");
	assert_str(&tst, msg->sender, "user2@example.org");
	static const uint8_t kinds[] = {EV_CONNECT, EV_REJECT,     EV_CLIENT,    EV_MSGID,
					EV_QUEUED,  EV_DISCONNECT, EV_DELIVERED, EV_DONE};
	check_kinds(&tst, m, kinds, sizeof kinds);
	release_tst();
}

/* A session ends when its pid is reused (correlate.c: "A session ended
 * (disconnect, pid reused, end of input)"), also when the new process is
 * another smtpd service: the refusal held by the first session must still
 * become a rejected attempt.  The reject is fail2ban postfix.log line 25;
 * the submission lines are shaped after logs-sample mail.log. */
static const char pid_reuse_log[] =
	"Jun 12 08:58:34 xxx postfix/smtpd[2931]: connect from unknown[1.2.3.4]\n"
	"Jun 12 08:58:35 xxx postfix/smtpd[2931]: NOQUEUE: reject: RCPT from unknown[1.2.3.4]: 450 4.7.1 <kitty.com>: Helo command rejected: Host not found; from=<meow@kitty.com> to=<kitty@meow.com> proto=SMTP helo=<kitty.com>\n"
	"Jun 12 09:20:00 xxx postfix/submission/smtpd[2931]: connect from 89-64-12-7.dynamic.chello.pl[89.64.12.7]\n"
	"Jun 12 09:20:01 xxx postfix/submission/smtpd[2931]: disconnect from 89-64-12-7.dynamic.chello.pl[89.64.12.7] ehlo=2 starttls=1 quit=1 commands=4\n";

static void test_pid_reused_by_other_service(void **state)
{
	(void)state;
	load_one(&tst, "pidreuse.log", pid_reuse_log, 0, 2026);
	uint32_t found = MSG_NONE;
	for (uint32_t m = 0; m < tst.nmsgs; m++)
		if (tst.msgs[m].flags & MSG_ATTEMPT)
			found = m;
	if (found == MSG_NONE)
		fail_msg("the refused RCPT of smtpd[2931] was lost when submission/smtpd[2931] "
			 "connected (%u messages)", tst.nmsgs);
	assert_int_equal(tst.msgs[found].status, OUT_REJECTED);
	uint32_t r = rcpt_by_addr(&tst, found, "kitty@meow.com");
	assert_int_equal(tst.rcpts[r].smtp_code, 450);
	assert_str(&tst, tst.msgs[found].client_ip, "1.2.3.4");
	assert_true(has_kind(&tst, found, EV_REJECT));
	release_tst();
}

/* Yearless stamps across New Year, the file last written on 1 January
 * 2027 (utimes): December lines are 2026.  Lines shaped after logs-sample
 * mail.log (3D0F2E0D20 from root) and mail.log.1 (2A6D1E0602 local). */
static const char newyear_log[] =
	"Dec 31 23:59:58 mail postfix/pickup[8400]: 3D0F2E0D20: uid=0 from=<root>\n"
	"Dec 31 23:59:58 mail postfix/cleanup[8402]: 3D0F2E0D20: message-id=<20261231225958.3D0F2E0D20@mail.example.pl>\n"
	"Dec 31 23:59:59 mail postfix/qmgr[1102]: 3D0F2E0D20: from=<root@mail.example.pl>, size=1203, nrcpt=1 (queue active)\n"
	"Jan  1 00:00:05 mail postfix/local[30507]: 3D0F2E0D20: to=<www-data@mail.example.pl>, relay=local, delay=7, delays=0.01/0/0/7, dsn=2.0.0, status=sent (delivered to mailbox)\n"
	"Jan  1 00:00:05 mail postfix/qmgr[1102]: 3D0F2E0D20: removed\n";

static void test_year_walk(void **state)
{
	(void)state;
	/* mtime 2027-01-01 12:00:00 UTC, no --year */
	load_one(&tst, "newyear.log", newyear_log, 1798804800, 0);
	uint32_t m = msg_by_qid(&tst, "3D0F2E0D20");
	assert_int_equal(tst.msgs[m].first_ts, SEC(1798757998)); /* 2026-12-31 23:59:58 CET */
	assert_int_equal(tst.msgs[m].last_ts, SEC(1798758005));  /* 2027-01-01 00:00:05 CET */
	uint32_t r = rcpt_by_addr(&tst, m, "www-data@mail.example.pl");
	assert_int_equal(tst.rcpts[r].at, SEC(1798758005));
	assert_int_equal(tst.rcpts[r].status, OUT_DELIVERED);
	release_tst();

	/* only the December lines, still written in January */
	char dec_only[600];
	const char *cut = strstr(newyear_log, "Jan  1");
	assert_non_null(cut);
	snprintf(dec_only, sizeof dec_only, "%.*s", (int)(cut - newyear_log), newyear_log);
	load_one(&tst, "dec.log", dec_only, 1798804800, 0);
	m = msg_by_qid(&tst, "3D0F2E0D20");
	assert_int_equal(tst.msgs[m].first_ts, SEC(1798757998));
	release_tst();

	/* --year overrides the file time for the first line */
	load_one(&tst, "newyear2.log", newyear_log, 1906545600 /* 2030-06-01 */, 2026);
	m = msg_by_qid(&tst, "3D0F2E0D20");
	assert_int_equal(tst.msgs[m].first_ts, SEC(1798757998));
	assert_int_equal(tst.msgs[m].last_ts, SEC(1798758005));
	release_tst();
}

/* youyo test.log has no year in its stamps: --year decides it; without
 * it, the file time does (October is after March, so the year before). */
static void test_year_option(void **state)
{
	(void)state;
	/* mtime 2030-06-01 but --year 2025: Oct 10 15:59:28 CEST 2025 */
	load_one(&tst, "year.log", reuse_log, 1906545600, 2025);
	uint32_t first = tst.msgs[0].first_ts < tst.msgs[1].first_ts ? 0 : 1;
	assert_int_equal(tst.msgs[first].first_ts, SEC(1760104768));
	assert_int_equal(tst.files[0].first_ts, SEC(1760104768));
	release_tst();

	/* no --year, written 2030-03-01: the October lines are 2029 */
	load_one(&tst, "year2.log", reuse_log, 1898596800, 0);
	first = tst.msgs[0].first_ts < tst.msgs[1].first_ts ? 0 : 1;
	assert_int_equal(tst.msgs[first].first_ts, SEC(1886335168)); /* 2029-10-10 15:59:28 CEST */
	release_tst();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postfix_bounce),
		cmocka_unit_test(test_event_locations),
		cmocka_unit_test(test_amavis_hop),
		cmocka_unit_test(test_noqueue_attempt),
		cmocka_unit_test(test_straddles_three_files),
		cmocka_unit_test(test_deferred_then_delivered),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_exim_rotation_and_bounce),
		cmocka_unit_test(test_exim_local_delivery_one_rcpt),
		cmocka_unit_test(test_directadmin_joins_exim),
		cmocka_unit_test(test_msgid_rings),
		cmocka_unit_test(test_store_invariants),
		cmocka_unit_test_teardown(test_qid_reuse, cleanup),
		cmocka_unit_test_teardown(test_link_to_retired_message, cleanup),
		cmocka_unit_test_teardown(test_duplicate_lines, cleanup),
		cmocka_unit_test_teardown(test_reject_then_client, cleanup),
		cmocka_unit_test_teardown(test_pid_reused_by_other_service, cleanup),
		cmocka_unit_test_teardown(test_year_walk, cleanup),
		cmocka_unit_test_teardown(test_year_option, cleanup),
		cmocka_unit_test_teardown(test_many_blocks, cleanup),
		cmocka_unit_test_teardown(test_long_rcpt_list, cleanup),
		cmocka_unit_test_teardown(test_client_from_header_only, cleanup),
		cmocka_unit_test_teardown(test_client_line_wins_over_header, cleanup),
	};
	return cmocka_run_group_tests(tests, setup_sample, teardown_sample);
}
