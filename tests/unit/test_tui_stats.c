/*
 * test_tui_stats.c - unit tests for the curses-free half of the TUI
 * statistics screen (src/tui/stats_view.c): the sparkline, the title, the
 * document of lines (column layout at 80 and 40 columns, which lines make
 * up each selectable row, outcome colouring spans, escaping of hostile
 * names, the order of sections), the labels of the message list behind a
 * row, the cursor / window movement, the help page, and the Polish
 * wording.
 *
 * The figures are a hand-built struct stats (not stats_compute()), so the
 * expected lines below are written out by hand from the numbers put in.
 * Names and replies are real values from the public samples:
 *   spammer@domain.tld           postfix/crowdsec_postfix-helo_postfix-spam.log
 *   root@mail.uhu-banane.de      postfix/pixelpark_postfix-logsums_test_mail.log.curated.log
 *   192.0.2.152, user@domain     postfix/fail2ban_postfix.log,
 *                                postfix/kumina_postfix_exporter_test.log
 *   "host test.net[10.1.0.11] said: 550 5.7.1 Unable to relay for ..." and
 *   domain.com                   postfix/forum-thread-2011_bounce-chain-dovecot-deliver.log,
 *                                postfix/crowdsec_postfix-logs_postfix-logs.log
 * Display widths are checked with libc's wcswidth(), independently of
 * textsafe_width().  The time zone is pinned to UTC.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "event.h"
#include "explain.h"
#include "i18n.h"
#include "stats.h"
#include "store.h"
#include "strtab.h"
#include "tbuf.h"
#include "timeparse.h"
#include "../../src/tui/stats_view.h"

#define HOUR (INT64_C(3600) * US_PER_SEC)

#define REPLY "host test.net[10.1.0.11] said: 550 5.7.1 Unable to relay for fakeuser@test.net (in reply to RCPT TO command)"
#define CAUSE "The recipient's address does not exist on the receiving mail server."
/* 38 blanks: the column where a failure reason starts at 80 columns */
#define CX "                                      "

static int cols_of(const char *s, size_t n)
{
	char *c = strndup(s, n);
	assert_non_null(c);
	size_t k = mbstowcs(NULL, c, 0);
	if (k == (size_t)-1) {
		free(c);
		return -1;
	}
	wchar_t *w = calloc(k + 1, sizeof *w);
	assert_non_null(w);
	mbstowcs(w, c, k + 1);
	int r = wcswidth(w, k);
	free(w);
	free(c);
	return r;
}

/* --- a hand-built set of figures ------------------------------------------- */

struct fixture {
	struct store st;
	struct stats s;
	struct stats_top_row senders[2], ips[2];
	struct stats_suspect suspect;
	char reason[64];
	struct stats_reason_row cause;
	struct stats_deferred_row def;
	char domain[32];
	uint32_t hours[5];
};

static uint32_t str(struct store *st, const char *s)
{
	return strtab_intern(&st->strs, s, strlen(s));
}

/* 2026-11-20 09:00 UTC */
static int64_t t0(void)
{
	return (tp_days_from_civil(2026, 11, 20) * 86400 + 9 * 3600) * US_PER_SEC;
}

static struct fixture *fixture_new(int hostile)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	store_init(&f->st);
	struct stats *s = &f->s;
	s->nmsgs = 12;
	s->recipients = 14;
	s->first_ts = t0() + 5 * 60 * US_PER_SEC;
	s->last_ts = t0() + 4 * HOUR + 30 * 60 * US_PER_SEC;
	s->end_ts = s->last_ts;
	s->hour0 = t0();
	s->bucket_us = HOUR;
	static const uint32_t h[5] = {3, 0, 0, 0, 9};
	memcpy(f->hours, h, sizeof h);
	s->hours = f->hours;
	s->nhours = 5;
	s->hours_max = 9;
	s->outcomes[0] = (struct stats_outcome_row){OUT_DELIVERED, 7, 8};
	s->outcomes[1] = (struct stats_outcome_row){OUT_BOUNCED, 3, 4};
	s->outcomes[2] = (struct stats_outcome_row){OUT_PARTIAL, 2, 0};
	s->noutcomes = 3;

	uint32_t spammer = str(&f->st, "spammer@domain.tld");
	f->senders[0] = (struct stats_top_row){spammer, {7, 7, 5, 0, 1}};
	f->senders[1] = (struct stats_top_row){str(&f->st, "root@mail.uhu-banane.de"), {3, 3, 0, 1, 0}};
	s->top[STATS_SENDER] = (struct stats_top){f->senders, 2, 2, 10, 2};
	f->ips[0] = (struct stats_top_row){str(&f->st, "192.0.2.152"), {4, 5, 0, 0, 0}};
	/* an attacker-controlled name: ESC [31m and an invalid byte */
	f->ips[1] = (struct stats_top_row){str(&f->st, hostile ? "evil\x1b[31m\xff" : "10.1.0.11"),
					   {1, 1, 0, 0, 0}};
	s->top[STATS_IP] = (struct stats_top){f->ips, 2, 2, 5, 0};
	/* no logins, no scripts */

	snprintf(f->reason, sizeof f->reason, "5 of 7 messages bounced (71%%)");
	f->suspect.kind = STATS_SENDER;
	f->suspect.who = spammer;
	f->suspect.c = f->senders[0].c;
	f->suspect.rules = STATS_RULE_BOUNCES;
	f->suspect.reason = f->reason;
	s->suspects = &f->suspect;
	s->nsuspects = 1;

	uint32_t m = store_add_message(&f->st);
	uint32_t r = store_add_rcpt(&f->st, m);
	f->st.rcpts[r].reply = str(&f->st, REPLY);
	f->cause = (struct stats_reason_row){"no_such_user", CAUSE, SIDE_RECIPIENT_ADDRESS, 3, 3, 0, 0,
					     m, r};
	s->reasons = &f->cause;
	s->nreasons = 1;
	s->failures = 3;

	snprintf(f->domain, sizeof f->domain, "domain.com");
	f->def.domain = f->domain;
	f->def.total = 1;
	f->def.age[STATS_AGE_1H] = 1;
	s->deferred = &f->def;
	s->ndeferred = 1;
	s->deferred_domains = 1;
	s->deferred_total[STATS_AGE_1H] = 1;
	s->deferred_total[STATS_AGE__COUNT] = 1;
	return f;
}

static void fixture_free(struct fixture *f)
{
	store_release(&f->st);
	free(f);
}

static const char *line_text(const struct stats_view *v, size_t i, size_t *len)
{
	assert_true(i < v->nlines);
	*len = v->lines[i].len;
	return v->text.data + v->lines[i].off;
}

/* Index of the first line equal to want, or that starts with it when
 * prefix is set; fails the test when there is none. */
static size_t find_line(const struct stats_view *v, const char *want, int prefix)
{
	size_t wl = strlen(want);
	for (size_t i = 0; i < v->nlines; i++) {
		size_t n;
		const char *s = line_text(v, i, &n);
		if ((prefix ? n >= wl : n == wl) && memcmp(s, want, wl) == 0)
			return i;
	}
	print_error("no line %s \"%s\"\n", prefix ? "starting with" : "equal to", want);
	fail();
	return 0;
}

static void assert_line(const struct stats_view *v, size_t i, const char *want)
{
	size_t n;
	const char *s = line_text(v, i, &n);
	if (n != strlen(want) || memcmp(s, want, n) != 0) {
		print_error("line %zu:\n  got  \"%.*s\"\n  want \"%s\"\n", i, (int)n, s, want);
		fail();
	}
}

/* Every line fits width - 1 columns, is valid UTF-8 without a control
 * byte, and lines and items point at each other consistently. */
static void check_document(const struct stats_view *v, size_t width)
{
	for (size_t i = 0; i < v->nlines; i++) {
		size_t n;
		const char *s = line_text(v, i, &n);
		for (size_t k = 0; k < n; k++)
			assert_false((unsigned char)s[k] < 0x20 || s[k] == 0x7f);
		int c = cols_of(s, n);
		if (c < 0 || (size_t)c > width - 1) {
			print_error("line %zu is %d columns at width %zu: \"%.*s\"\n", i, c, width,
				    (int)n, s);
			fail();
		}
		if (v->lines[i].item != SIZE_MAX) {
			const struct stats_view_item *it = &v->items[v->lines[i].item];
			assert_true(i >= it->line && i < it->line + it->nlines);
		}
	}
	for (size_t k = 0; k < v->nitems; k++) {
		assert_true(v->items[k].nlines >= 1);
		for (size_t i = v->items[k].line; i < v->items[k].line + v->items[k].nlines; i++)
			assert_int_equal(v->lines[i].item, k);
		if (k)
			assert_true(v->items[k].line >= v->items[k - 1].line + v->items[k - 1].nlines);
	}
}

/* --- sparkline and title ------------------------------------------------------ */

static void test_sparkline(void **state)
{
	(void)state;
	static const uint32_t v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct tbuf b = TBUF_INIT;
	uint32_t mx;
	/* one mark per value: level = value when the largest is 8 */
	assert_int_equal(stats_sparkline(&b, v, 8, 8, 0, &mx), 1);
	assert_string_equal(tbuf_str(&b), "▁▂▃▄▅▆▇█");
	assert_int_equal(mx, 8);
	/* 4 columns: pairs 3, 7, 11, 15 -> ceil(8 * sum / 15) = 2, 4, 6, 8 */
	tbuf_reset(&b);
	assert_int_equal(stats_sparkline(&b, v, 8, 4, 0, &mx), 2);
	assert_string_equal(tbuf_str(&b), "▂▄▆█");
	assert_int_equal(mx, 15);
	tbuf_reset(&b);
	assert_int_equal(stats_sparkline(&b, v, 8, 4, 1, NULL), 2);
	assert_string_equal(tbuf_str(&b), ",-+#");
	/* 3 columns: groups of 3: 6, 15, 15 (the last one short) -> 4, 8, 8 */
	tbuf_reset(&b);
	assert_int_equal(stats_sparkline(&b, v, 8, 3, 1, &mx), 3);
	assert_string_equal(tbuf_str(&b), "-##");
	assert_int_equal(mx, 15);
	/* an empty hour is a blank, the smallest mail still shows */
	static const uint32_t w[4] = {1, 0, 1000, 0};
	tbuf_reset(&b);
	assert_int_equal(stats_sparkline(&b, w, 4, 80, 0, NULL), 1);
	assert_string_equal(tbuf_str(&b), "▁ █ ");
	/* nothing to draw */
	tbuf_reset(&b);
	assert_int_equal(stats_sparkline(&b, v, 0, 10, 0, &mx), 0);
	assert_int_equal(stats_sparkline(&b, v, 8, 0, 0, &mx), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(mx, 0);
	tbuf_release(&b);
}

static void test_title(void **state)
{
	(void)state;
	struct tbuf b = TBUF_INIT;
	stats_view_title(&b, 1234, "from=anna", 0);
	assert_string_equal(tbuf_str(&b), "Statistics — 1,234 messages (filter: from=anna)");
	stats_view_title(&b, 1234, "from=anna", 1);
	assert_string_equal(tbuf_str(&b), "Statistics - 1,234 messages (filter: from=anna)");
	stats_view_title(&b, 55, "", 0);
	assert_string_equal(tbuf_str(&b), "Statistics — 55 messages (no filter)");
	stats_view_title(&b, 0, NULL, 1);
	assert_string_equal(tbuf_str(&b), "Statistics - 0 messages (no filter)");
	/* the filter arrives escaped; non-ASCII becomes '?' on an ASCII terminal */
	stats_view_title(&b, 2, "from=zażółć", 1);
	assert_string_equal(tbuf_str(&b), "Statistics - 2 messages (filter: from=za\x3f\x3f\x3f\x3f)");
	tbuf_release(&b);
}

/* --- the document ------------------------------------------------------------------- */

static void test_layout_80(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(0);
	struct stats_view v = {0};
	stats_view_build(&v, &f->st, &f->s, 80, 0);
	check_document(&v, 80);

	/* summary */
	assert_line(&v, 0, "  Messages first seen: 2026-11-20 09:05:00 .. 2026-11-20 13:30:00");
	assert_line(&v, 1, "  12 messages, 14 recipients.");

	/* possible spam sources come first and are items of their own */
	size_t sus = find_line(&v, "Possible spam sources (check these accounts and scripts first)", 0);
	assert_int_equal(v.sections[0], sus);
	assert_line(&v, sus + 1,
		    "  who                                msgs   rcpts   bounced  deferred  rejected");
	assert_int_equal(v.lines[sus + 1].cls, SV_HEADER);
	assert_line(&v, sus + 2,
		    "  sender  spammer@domain.tld            7       7     71.4%      0.0%     14.3%");
	assert_int_equal(v.lines[sus + 2].cls, SV_SUSPECT);
	assert_line(&v, sus + 3, "    5 of 7 messages bounced (71%)");
	assert_int_equal(v.lines[sus + 3].cls, SV_EXPLAIN);
	assert_int_equal(v.items[0].table, STATS_T_SUSPECTS);
	assert_int_equal(v.items[0].row, 0);
	assert_int_equal(v.items[0].line, sus + 2);
	assert_int_equal(v.items[0].nlines, 2);

	/* hours: sparkline, legend, bars; three empty hours fold into one line */
	size_t h = find_line(&v, "Messages per hour", 0);
	assert_true(h > sus);
	assert_line(&v, h + 1, "  ▃   █");
	assert_int_equal(v.lines[h + 1].cls, SV_SPARK);
	assert_line(&v, h + 2,
		    "  2026-11-20 09:00 .. 2026-11-20 13:00, one mark = 1 h, busiest: 9 messages");
	/* bar width 79 - 28 = 51; 3 of 9 is exactly 17 columns */
	assert_line(&v, h + 3,
		    "  2026-11-20 09:00        3 █████████████████");
	assert_line(&v, h + 4, "  2026-11-20 10:00 .. 2026-11-20 13:00  no mail");
	assert_int_equal(v.lines[h + 4].item, SIZE_MAX);
	assert_line(&v, h + 5,
		    "  2026-11-20 13:00        9 "
		    "███████████████████████████████████████████████████");
	size_t i9 = v.lines[h + 5].item;
	assert_int_not_equal(i9, SIZE_MAX);
	assert_int_equal(v.items[i9].table, STATS_T_HOURS);
	assert_int_equal(v.items[i9].row, 4);
	assert_int_equal(v.items[i9].nrows, 1);

	/* outcomes: the status word is a coloured span */
	size_t o = find_line(&v, "Outcomes", 0);
	assert_line(&v, o + 1, "  status                     messages recipients");
	assert_line(&v, o + 2, "  delivered                         7          8");
	assert_int_equal(v.lines[o + 2].span_off, 2);
	assert_int_equal(v.lines[o + 2].span_len, strlen("delivered"));
	assert_int_equal(v.lines[o + 2].outcome, OUT_DELIVERED);
	assert_line(&v, o + 3, "  bounced                           3          4");
	assert_int_equal(v.lines[o + 3].outcome, OUT_BOUNCED);
	assert_line(&v, o + 4, "  partial                           2");
	assert_int_equal(v.items[v.lines[o + 4].item].table, STATS_T_OUTCOMES);
	assert_int_equal(v.items[v.lines[o + 4].item].row, 2);

	/* top senders, with the note on bounces */
	size_t ts = find_line(&v, "Top senders", 0);
	assert_line(&v, ts + 1, "  2 distinct, on 10 messages; bounces (sender <>) not counted: 2");
	assert_line(&v, ts + 2,
		    "  sender                             msgs   rcpts   bounced  deferred  rejected");
	assert_line(&v, ts + 3,
		    "  spammer@domain.tld                    7       7     71.4%      0.0%     14.3%");
	assert_line(&v, ts + 4,
		    "  root@mail.uhu-banane.de               3       3      0.0%     33.3%      0.0%");
	assert_int_equal(v.items[v.lines[ts + 4].item].table, STATS_T_SENDERS);
	assert_int_equal(v.items[v.lines[ts + 4].item].row, 1);
	size_t ta = find_line(&v, "Top authenticated users", 0);
	assert_line(&v, ta + 1, "  None in these messages");
	size_t ti = find_line(&v, "Top client IPs", 0);
	assert_line(&v, ti + 3,
		    "  192.0.2.152                           4       5      0.0%      0.0%      0.0%");
	assert_int_equal(v.items[v.lines[ti + 3].item].table, STATS_T_IPS);

	/* failure reasons: the plain cause wraps in its column */
	size_t fr = find_line(&v, "Top reasons for failure", 0);
	assert_line(&v, fr + 1, "   failed  bounced deferred rejected  reason");
	assert_line(&v, fr + 2, "        3        3        0        0  The recipient's address does not exist");
	assert_line(&v, fr + 3, CX "on the receiving mail server.");
	assert_line(&v, fr + 4, CX "Whose side: Recipient's address or");
	assert_line(&v, fr + 5, CX "mailbox");
	assert_line(&v, fr + 6, CX "e.g. host test.net[10.1.0.11] said: 550 …");
	size_t ri = v.lines[fr + 2].item;
	assert_int_equal(v.items[ri].table, STATS_T_REASONS);
	assert_int_equal(v.items[ri].nlines, 5);

	/* deferred, like qshape */
	size_t dq = find_line(&v, "Deferred mail by destination domain and age (like qshape)", 0);
	assert_line(&v, dq + 2,
		    "  domain                          total   < 1 h   1-4 h  4-24 h   1-5 d   > 5 d");
	assert_line(&v, dq + 3,
		    "  TOTAL                               1       1       0       0       0       0");
	assert_int_equal(v.lines[dq + 3].item, SIZE_MAX);
	assert_line(&v, dq + 4,
		    "  domain.com                          1       1       0       0       0       0");
	assert_int_equal(v.items[v.nitems - 1].table, STATS_T_DEFERRED);

	/* sections in order; 1 suspect + 2 hours + 3 outcomes + 2 senders +
	 * 2 IPs + 1 reason + 1 domain = 12 items */
	assert_int_equal(v.nitems, 12);
	assert_int_equal(v.nsections, 9);
	for (size_t k = 1; k < v.nsections; k++)
		assert_true(v.sections[k] > v.sections[k - 1]);
	assert_int_equal(stats_view_find(&v, STATS_T_HOURS, 4), i9);
	assert_int_equal(stats_view_find(&v, STATS_T_HOURS, 1), SIZE_MAX);
	assert_int_equal(stats_view_find(&v, STATS_T_AUTH, 0), SIZE_MAX);

	stats_view_release(&v);
	stats_view_release(&v);
	fixture_free(f);
}

static void test_layout_40_ascii(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(0);
	struct stats_view v = {0};
	stats_view_build(&v, &f->st, &f->s, 40, 1);
	check_document(&v, 40);
	/* shares and the split of failures are dropped; names get the rest */
	size_t ts = find_line(&v, "Top senders", 0);
	assert_line(&v, ts + 1, "  2 distinct, on 10 messages; bounces");
	assert_line(&v, ts + 2, "  (sender <>) not counted: 2");
	assert_line(&v, ts + 3, "  sender                   msgs   rcpts");
	assert_line(&v, ts + 4, "  spammer@domain.tld          7       7");
	assert_line(&v, ts + 5, "  root@mail.uhu-banane~       3       3");
	/* ASCII bars: 39 - 28 = 11 columns; 3 of 9 -> ceil(11 * 3 / 9) = 4 */
	size_t h = find_line(&v, "Messages per hour", 0);
	assert_line(&v, h + 1, "  :   #");
	find_line(&v, "  2026-11-20 09:00        3 ####", 0);
	size_t fr = find_line(&v, "Top reasons for failure", 0);
	assert_line(&v, fr + 1, "   failed  reason");
	/* (view_wrap breaks at the last blank inside the width) */
	assert_line(&v, fr + 2, "        3  The recipient's address");
	size_t dq = find_line(&v, "  domain", 1);
	assert_line(&v, dq, "  domain                          total");
	assert_line(&v, dq + 2, "  domain.com                          1");
	/* narrower than anything sensible still lays out without overflow */
	stats_view_build(&v, &f->st, &f->s, 12, 1);
	assert_true(v.nlines > 20);
	stats_view_release(&v);
	fixture_free(f);
}

static void test_hostile_name(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(1);
	struct stats_view v = {0};
	stats_view_build(&v, &f->st, &f->s, 80, 0);
	check_document(&v, 80);
	size_t ti = find_line(&v, "Top client IPs", 0);
	assert_line(&v, ti + 4,
		    "  evil\\x1b[31m\\xff                      1       1      0.0%      0.0%      0.0%");
	struct tbuf b = TBUF_INIT;
	stats_view_item_label(&b, &f->st, &f->s, &v.items[v.lines[ti + 4].item], 0);
	assert_string_equal(tbuf_str(&b), "IP evil\\x1b[31m\\xff");
	tbuf_release(&b);
	stats_view_release(&v);
	fixture_free(f);
}

static void test_empty(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	struct stats s;
	memset(&s, 0, sizeof s);
	s.first_ts = INT64_MAX;
	s.last_ts = INT64_MIN;
	struct stats_view v = {0};
	stats_view_build(&v, &st, &s, 80, 0);
	check_document(&v, 80);
	assert_int_equal(v.nitems, 0);
	assert_line(&v, 0, "  0 messages, 0 recipients.");
	assert_line(&v, 1, "  No message to count: the filter of the message list matches nothing.");
	assert_int_equal(v.nlines, 2);
	struct stats_view_pos p = {5, 3};
	stats_view_fix(&v, &p, 10);
	assert_int_equal(p.top, 0);
	stats_view_move(&v, &p, 10, 1);
	stats_view_page(&v, &p, 10, 1);
	stats_view_section(&v, &p, 10, 1);
	stats_view_ends(&v, &p, 10, 1);
	assert_int_equal(p.top, 0);
	stats_view_release(&v);
	store_release(&st);
}

static void test_labels(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(0);
	struct stats_view v = {0};
	stats_view_build(&v, &f->st, &f->s, 80, 0);
	static const struct {
		enum stats_table t;
		size_t row;
		const char *want;
	} cases[] = {
		{STATS_T_SUSPECTS, 0, "possible spam source: sender spammer@domain.tld"},
		{STATS_T_HOURS, 4, "first seen 2026-11-20 13:00 .. 2026-11-20 13:59"},
		{STATS_T_OUTCOMES, 1, "status bounced"},
		{STATS_T_SENDERS, 1, "sender root@mail.uhu-banane.de"},
		{STATS_T_IPS, 0, "IP 192.0.2.152"},
		{STATS_T_REASONS, 0, "failure: " CAUSE},
		{STATS_T_DEFERRED, 0, "deferred at domain.com"},
	};
	struct tbuf b = TBUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t it = stats_view_find(&v, cases[i].t, cases[i].row);
		assert_int_not_equal(it, SIZE_MAX);
		stats_view_item_label(&b, &f->st, &f->s, &v.items[it], 0);
		assert_string_equal(tbuf_str(&b), cases[i].want);
	}
	/* a group of hours names its whole span */
	struct stats_view_item grp = {STATS_T_HOURS, 0, 3, 0, 1, 0};
	stats_view_item_label(&b, &f->st, &f->s, &grp, 0);
	assert_string_equal(tbuf_str(&b), "first seen 2026-11-20 09:00 .. 2026-11-20 11:59");
	/* out of range: empty, never a crash */
	struct stats_view_item bad = {STATS_T_SENDERS, 7, 1, 0, 1, 0};
	stats_view_item_label(&b, &f->st, &f->s, &bad, 0);
	assert_string_equal(tbuf_str(&b), "");
	tbuf_release(&b);
	stats_view_release(&v);
	fixture_free(f);
}

/* --- cursor and window ------------------------------------------------------------- */

/*
 * 30 lines; sections (titles) at 4, 14, 24; items:
 *   0: 5-6   1: 7   2: 8          (section 0)
 *   3: 15-17 4: 18                (section 1)
 *   5: 25                         (section 2)
 * shown 6 rows at a time.
 */
static void cursor_view(struct stats_view *v, struct stats_view_item items[6])
{
	static const size_t at[6][3] = {{5, 2, 0}, {7, 1, 0}, {8, 1, 0},
					{15, 3, 1}, {18, 1, 1}, {25, 1, 2}};
	memset(v, 0, sizeof *v);
	for (size_t i = 0; i < 6; i++)
		items[i] = (struct stats_view_item){STATS_T_SENDERS, i, 1, at[i][0], at[i][1], at[i][2]};
	v->items = items;
	v->nitems = 6;
	v->nlines = 30;
	v->sections[0] = 4;
	v->sections[1] = 14;
	v->sections[2] = 24;
	v->nsections = 3;
}

#define POS(p, t, i)                                                                       \
	do {                                                                               \
		assert_int_equal((p).top, (t));                                            \
		assert_int_equal((p).item, (i));                                           \
	} while (0)

static void test_cursor_move(void **state)
{
	(void)state;
	struct stats_view v;
	struct stats_view_item items[6];
	cursor_view(&v, items);
	struct stats_view_pos p = {0, 0};
	stats_view_fix(&v, &p, 6);
	POS(p, 1, 0); /* lines 5-6 must both show in 6 rows */
	stats_view_move(&v, &p, 6, 1);
	POS(p, 2, 1);
	stats_view_move(&v, &p, 6, 1);
	POS(p, 3, 2);
	stats_view_move(&v, &p, 6, 1);
	POS(p, 12, 3); /* 15-17 at the bottom */
	stats_view_move(&v, &p, 6, -1);
	POS(p, 8, 2);
	stats_view_move(&v, &p, 6, -1);
	POS(p, 7, 1);
	stats_view_move(&v, &p, 6, -1);
	POS(p, 4, 0); /* the first row of a section brings its title */
	stats_view_move(&v, &p, 6, -1);
	POS(p, 1, 0); /* before the first row: towards the top of the text,
		       * as far as the row stays whole on screen */
	stats_view_move(&v, &p, 6, 100);
	POS(p, 24, 5); /* past the last row: the bottom */
	stats_view_ends(&v, &p, 6, 0);
	POS(p, 1, 0);
	stats_view_ends(&v, &p, 6, 1);
	POS(p, 24, 5);
	/* an item taller than the window shows from its first line */
	stats_view_move(&v, &p, 2, -2);
	POS(p, 15, 3);
}

static void test_cursor_page_section_scroll(void **state)
{
	(void)state;
	struct stats_view v;
	struct stats_view_item items[6];
	cursor_view(&v, items);
	struct stats_view_pos p = {0, 0};
	/* PgDn: 5 lines; the cursor keeps its screen row (line 5 -> 10):
	 * the nearest item starts at 8 */
	stats_view_page(&v, &p, 6, 1);
	POS(p, 5, 2);
	stats_view_page(&v, &p, 6, 1);
	POS(p, 12, 3); /* target 13 -> item at 15, shown whole */
	stats_view_page(&v, &p, 6, -1);
	POS(p, 7, 2);
	p = (struct stats_view_pos){24, 5};
	stats_view_page(&v, &p, 6, 1);
	POS(p, 24, 5); /* at the bottom already: stays on the last row */
	p = (struct stats_view_pos){0, 2};
	stats_view_page(&v, &p, 6, -1);
	POS(p, 1, 0); /* at the top already: the first row */

	/* Tab / Shift-Tab: section titles at the top, wrapping around */
	p = (struct stats_view_pos){0, 0};
	stats_view_section(&v, &p, 6, 1);
	POS(p, 14, 3);
	stats_view_section(&v, &p, 6, 1);
	POS(p, 24, 5);
	stats_view_section(&v, &p, 6, 1);
	POS(p, 4, 0);
	stats_view_section(&v, &p, 6, -1);
	POS(p, 24, 5);
	stats_view_section(&v, &p, 6, -1);
	POS(p, 14, 3);
	p.item = 4; /* from inside a section, back to the one before */
	stats_view_section(&v, &p, 6, -1);
	POS(p, 4, 0);

	/* wheel: the cursor follows only when it would leave the window */
	p = (struct stats_view_pos){0, 0};
	stats_view_scroll(&v, &p, 6, 3);
	POS(p, 3, 0);
	stats_view_scroll(&v, &p, 6, 3);
	POS(p, 6, 1);
	stats_view_scroll(&v, &p, 6, -3);
	POS(p, 3, 1);
	stats_view_scroll(&v, &p, 6, 100);
	POS(p, 24, 5);
	stats_view_scroll(&v, &p, 6, -100);
	POS(p, 0, 0); /* the last row starting in lines 0-5 */
	assert_int_equal(stats_view_find(&v, STATS_T_SENDERS, 4), 4);
	assert_int_equal(stats_view_find(&v, STATS_T_IPS, 4), SIZE_MAX);
}

/* --- help and Polish ---------------------------------------------------------------------- */

static void test_help(void **state)
{
	(void)state;
	struct tbuf b = TBUF_INIT;
	stats_view_help(&b);
	assert_non_null(strstr(tbuf_str(&b), "Statistics\n"));
	assert_non_null(strstr(tbuf_str(&b), "  Enter            list the messages behind the row"));
	assert_non_null(strstr(tbuf_str(&b), "  Tab, Shift-Tab   next / previous section\n"));
	tbuf_release(&b);
}

static int catalogue_loaded(void)
{
	i18n_set_language("pl");
	return strcmp(_("Our mail server"), "Our mail server") != 0;
}

static void test_polish(void **state)
{
	(void)state;
	if (!catalogue_loaded())
		print_error("Polish catalogue not found in \"%s\" (msgfmt -o "
			    "build/locale/pl/LC_MESSAGES/mailtrail.mo po/pl.po)\n",
			    i18n_localedir());
	assert_true(catalogue_loaded());
	struct tbuf b = TBUF_INIT;
	stats_view_title(&b, 1234, "", 0);
	assert_string_equal(tbuf_str(&b), "Statystyki — 1,234 wiadomości (bez filtra)");
	stats_view_title(&b, 3, "from=anna", 0);
	assert_string_equal(tbuf_str(&b), "Statystyki — 3 wiadomości (filtr: from=anna)");
	tbuf_reset(&b);
	stats_view_help(&b);
	assert_null(strstr(tbuf_str(&b), "list the messages behind the row"));
	assert_non_null(strstr(tbuf_str(&b), "Statystyki\n"));

	struct fixture *f = fixture_new(0);
	struct stats_view v = {0};
	stats_view_build(&v, &f->st, &f->s, 80, 0);
	check_document(&v, 80);
	find_line(&v, "Najaktywniejsi nadawcy", 0);
	size_t it = stats_view_find(&v, STATS_T_DEFERRED, 0);
	stats_view_item_label(&b, &f->st, &f->s, &v.items[it], 0);
	assert_string_equal(tbuf_str(&b), "odroczone dla domain.com");
	it = stats_view_find(&v, STATS_T_SENDERS, 0);
	stats_view_item_label(&b, &f->st, &f->s, &v.items[it], 0);
	assert_string_equal(tbuf_str(&b), "nadawca spammer@domain.tld");
	stats_view_release(&v);
	fixture_free(f);
	tbuf_release(&b);
	i18n_set_language("en");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	setenv("LC_ALL", "C.UTF-8", 1);
	unsetenv("LANGUAGE");
	i18n_init();
	i18n_set_language("en");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_layout_80),
		cmocka_unit_test(test_layout_40_ascii),
		cmocka_unit_test(test_hostile_name),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_cursor_move),
		cmocka_unit_test(test_cursor_page_section_scroll),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_polish),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
