/*
 * test_store.c - the store's event lists: live pushes in time order,
 * packing into the byte arena, decoding through store_msg_events(), the
 * free list of recycled slots, and trace_build on packed messages.
 *
 * Events are shaped after real lines (times and byte offsets computed by
 * hand from them, see each table):
 *   - Postfix: message 6526CDB7400B, lines 15-21 of
 *     /work/shared/samples/postfix/youyo_postfix-log-parser_test.log
 *     ("Oct 10 15:59:31", year 2018 from the "1539154772" in the file),
 *     placed 5,000,000,000 bytes into a big rotated mail.log;
 *   - Exim with millisecond stamps: the "=>" line of
 *     /work/shared/samples/exim/exim_exporter-pr1_millisec-pid.log
 *     ("2020-10-29 20:22:59.803"), with its "<=" and "Completed" around it.
 * Expected orders are written out by hand, or (for the 1000-event case)
 * computed by a separate reference insertion sort in this file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "trace.h"

/* date -u -d '2018-10-10 15:59:31' +%s */
#define PF_T0 (INT64_C(1539187171) * 1000000)
/* date -u -d '2020-10-29 20:22:59' +%s */
#define EX_T0 (INT64_C(1604002979) * 1000000)
#define MS(x) (INT64_C(x) * 1000)
#define SEC(x) (INT64_C(x) * 1000000)
#define BIG_OFF UINT64_C(5000000000) /* past 4 GiB */

struct ev_want {
	int64_t ts;
	uint32_t file;
	uint64_t off;
	uint8_t kind, outcome;
	uint16_t smtp;
};

static struct store st;

static int setup(void **state)
{
	(void)state;
	store_init(&st);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_release(&st);
	return 0;
}

static uint32_t push(uint32_t m, const struct ev_want *w)
{
	struct event e = {w->ts, event_loc(w->file, w->off), 12345, w->kind, w->outcome, w->smtp};
	uint32_t ev = store_add_event(&st, &e);
	store_msg_push_event(&st, m, ev);
	return ev;
}

static void check_one(const struct event *got, const struct ev_want *w, size_t i)
{
	if (got->ts_us != w->ts || event_file(got) != w->file || event_offset(got) != w->off ||
	    got->kind != w->kind || got->outcome != w->outcome || got->smtp_code != w->smtp)
		fail_msg("event %zu: ts %lld file %u off %llu kind %u outcome %u smtp %u; want ts "
			 "%lld file %u off %llu kind %u outcome %u smtp %u",
			 i, (long long)got->ts_us, event_file(got),
			 (unsigned long long)event_offset(got), got->kind, got->outcome,
			 got->smtp_code, (long long)w->ts, w->file, (unsigned long long)w->off,
			 w->kind, w->outcome, w->smtp);
}

/* store_msg_events(m) must give exactly want[0..n), and nev must be n. */
static void expect_events(uint32_t m, const struct ev_want *want, size_t n)
{
	assert_int_equal(store_msg_nev(&st, m), n);
	struct event *got = calloc(n + 1, sizeof *got);
	assert_non_null(got);
	size_t k = store_msg_events(&st, m, got, n + 1);
	assert_int_equal(k, n);
	for (size_t i = 0; i < n; i++)
		check_one(&got[i], &want[i], i);
	free(got);
}

/* The store's order, written out independently: by time, then file,
 * then offset; equal ones in arrival order. */
static int want_before(const struct ev_want *a, const struct ev_want *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts;
	if (a->file != b->file)
		return a->file < b->file;
	return a->off < b->off;
}

/* The live list walked by hand: circular, live_ev is the newest and its
 * next the oldest. */
static size_t walk_live(uint32_t m, struct event *out, size_t cap)
{
	size_t n = 0;
	uint32_t tail = st.msgs[m].live_ev;
	if (tail == EVENT_NONE)
		return 0;
	for (uint32_t e = st.events[tail].next; n < cap; e = st.events[e].next) {
		out[n++] = st.events[e];
		if (e == tail)
			break;
	}
	return n;
}

/* youyo test.log lines 15-21: message 6526CDB7400B, one line after the
 * other in the file (line lengths 78 86 108 81 115 212 64). */
static const struct ev_want pf_msg[] = {
	/* Oct 10 15:59:31 mail postfix/smtpd[1830]: connect from example.com[127.0.0.1] */
	{PF_T0, 0, BIG_OFF, EV_CONNECT, OUT_NONE, 0},
	/* ... postfix/smtpd[1830]: 6526CDB7400B: client=example.com[127.0.0.1] */
	{PF_T0, 0, BIG_OFF + 78, EV_CLIENT, OUT_NONE, 0},
	/* ... postfix/cleanup[1894]: 6526CDB7400B: message-id=<1539154767...@example.aaa> */
	{PF_T0, 0, BIG_OFF + 164, EV_MSGID, OUT_NONE, 0},
	/* ... postfix/smtpd[1830]: disconnect from example.com[127.0.0.1] */
	{PF_T0, 0, BIG_OFF + 272, EV_DISCONNECT, OUT_NONE, 0},
	/* ... postfix/qmgr[18719]: 6526CDB7400B: from=<test@example.bbb>, size=4118, ... */
	{PF_T0, 0, BIG_OFF + 353, EV_QUEUED, OUT_QUEUED, 0},
	/* ... postfix/smtp[1417]: 6526CDB7400B: to=<test@example.ccc>, ... status=sent (250 ...) */
	{PF_T0, 0, BIG_OFF + 468, EV_DELIVERED, OUT_DELIVERED, 250},
	/* ... postfix/qmgr[18719]: 6526CDB7400B: removed */
	{PF_T0, 0, BIG_OFF + 680, EV_DONE, OUT_NONE, 0},
};
#define PF_N (sizeof pf_msg / sizeof pf_msg[0])

static uint32_t add_pf_msg(void)
{
	uint32_t m = store_add_message(&st);
	for (size_t i = 0; i < PF_N; i++)
		push(m, &pf_msg[i]);
	return m;
}

static void test_in_order_pack_roundtrip(void **state)
{
	(void)state;
	uint32_t m = add_pf_msg();
	assert_int_equal(st.msgs[m].pack_off, UINT32_MAX);
	expect_events(m, pf_msg, PF_N);

	struct event before[PF_N];
	assert_int_equal(walk_live(m, before, PF_N), PF_N);
	store_msg_pack_events(&st, m);
	assert_int_equal(st.msgs[m].live_ev, EVENT_NONE);
	assert_int_equal(st.msgs[m].pack_off, 0);
	assert_int_equal(store_msg_nev(&st, m), PF_N);
	assert_int_equal(st.msgs[m].first_ts, PF_T0);
	assert_int_equal(st.msgs[m].last_ts, PF_T0);

	struct event after[PF_N + 1];
	assert_int_equal(store_msg_events(&st, m, after, PF_N + 1), PF_N);
	for (size_t i = 0; i < PF_N; i++) {
		assert_int_equal(after[i].ts_us, before[i].ts_us);
		assert_int_equal(after[i].loc, before[i].loc);
		assert_int_equal(after[i].kind, before[i].kind);
		assert_int_equal(after[i].outcome, before[i].outcome);
		assert_int_equal(after[i].smtp_code, before[i].smtp_code);
	}
	expect_events(m, pf_msg, PF_N);
}

/*
 * Bytes in the arena for the 7 Postfix events (all at :31, one file):
 *   count 1
 *   connect     head 1, time 1 (delta 0), file 1, offset 5e9 (33 bits) 5 = 8
 *   client      head 1, time 1, offset +78 (zigzag 156) 2            = 4
 *   message-id  +86                                                 = 4
 *   disconnect  +108                                                = 4
 *   qmgr from=  head 1, outcome 1, time 1, +81 2                    = 5
 *   sent        head 1, 250<<3|2 = 2002 2, time 1, +115 2           = 6
 *   removed     +212                                                = 4
 * = 36 bytes, 5.1 per event (24 live).
 */
static void test_bytes_per_event_postfix(void **state)
{
	(void)state;
	uint32_t m = add_pf_msg();
	store_msg_pack_events(&st, m);
	print_message("packed 7 Postfix events into %llu bytes (%.2f per event)\n",
		      (unsigned long long)st.packed_len, (double)st.packed_len / PF_N);
	assert_true(st.packed_len <= 8 * PF_N);
	assert_int_equal(st.packed_len, 36);
}

/* Exim (ms stamps) from two files read out of order: the "=>" of
 * mainlog.1 (file 4999, a late rotation) arrives before the "<=". */
static void test_out_of_order_push(void **state)
{
	(void)state;
	/* 2020-10-29 20:22:59.803 [30056] 1kYERi-0007oc-5P => user@example.com ... */
	const struct ev_want dlv = {EX_T0 + MS(803), 4999, 7386, EV_DELIVERED, OUT_DELIVERED, 250};
	/* 20:22:59.626 1kYERi-0007oc-5P <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386 */
	const struct ev_want arr = {EX_T0 + MS(626), 0, BIG_OFF + 1234, EV_QUEUED, OUT_QUEUED, 0};
	/* 20:22:59.804 1kYERi-0007oc-5P Completed */
	const struct ev_want done = {EX_T0 + MS(804), 0, BIG_OFF + 1500, EV_DONE, OUT_NONE, 0};
	/* a second "=>" at the same .803, arriving last but from file 0:
	 * equal times are ordered by file and offset, so it comes first */
	const struct ev_want dlv2 = {EX_T0 + MS(803), 0, BIG_OFF + 1400, EV_DELIVERED,
				     OUT_DELIVERED, 250};
	uint32_t m = store_add_message(&st);
	push(m, &dlv);
	push(m, &arr);
	const struct ev_want w1[] = {arr, dlv};
	expect_events(m, w1, 2);
	push(m, &done);
	push(m, &dlv2);
	const struct ev_want w2[] = {arr, dlv2, dlv, done};
	expect_events(m, w2, 4);
	assert_int_equal(st.msgs[m].first_ts, EX_T0 + MS(626));
	assert_int_equal(st.msgs[m].last_ts, EX_T0 + MS(804));

	store_msg_pack_events(&st, m);
	assert_int_equal(st.msgs[m].live_ev, EVENT_NONE);
	expect_events(m, w2, 4);
	/*
	 * count 1
	 * <=          head 1, outcome 1, time 0 1, file 0 1, offset 5e9 5  = 9
	 * => (0)      head 1, 2002 2, time +177 ms (354<<2|1 = 1417) 2,
	 *             offset +166 (zigzag 332) 2                         = 7
	 * => (4999)   head 1, 2002 2, time 0 1, file 4999 2, offset 7386 2 = 8
	 * Completed   head 1, time +1 ms 1, file 0 1, offset 5e9+1500 5    = 8
	 * = 33 (in microseconds the two steps would take 3 + 2 bytes)
	 */
	assert_int_equal(st.packed_len, 33);
}

/* Equal times between packed and live events when the two have to be
 * merged: ordered by file, then offset, whichever arrived first. */
static void test_merge_ties(void **state)
{
	(void)state;
	const struct ev_want a = {EX_T0 + MS(626), 0, BIG_OFF, EV_QUEUED, OUT_QUEUED, 0};
	const struct ev_want b = {EX_T0 + MS(803), 0, BIG_OFF + 300, EV_DELIVERED, OUT_DELIVERED,
				  250};
	const struct ev_want d = {EX_T0 + MS(803), 0, BIG_OFF + 400, EV_BOUNCED, OUT_BOUNCED, 550};
	const struct ev_want c = {EX_T0 + MS(700), 1, 64, EV_HOST_ERROR, OUT_NONE, 0};
	const struct ev_want e = {EX_T0 + MS(803), 1, 128, EV_DEFERRED, OUT_DEFERRED, 451};
	uint32_t m = store_add_message(&st);
	push(m, &a);
	push(m, &b);
	push(m, &d);
	store_msg_pack_events(&st, m);
	push(m, &c); /* between packed events: live, merged on read */
	push(m, &e); /* same .803 as two packed ones of file 0: after both */
	const struct ev_want w[] = {a, c, b, d, e};
	expect_events(m, w, 5);
	store_msg_pack_events(&st, m);
	expect_events(m, w, 5);
}

/* Lines that arrive after packing: newer, equal time, and older than
 * everything packed (which moves first_ts). */
static void test_push_after_pack(void **state)
{
	(void)state;
	uint32_t m = add_pf_msg();
	store_msg_pack_events(&st, m);
	uint32_t off = st.msgs[m].pack_off;

	/* Oct 10 15:59:32: a late bounce notice (file 1, another host) */
	const struct ev_want late = {PF_T0 + SEC(1), 1, 900, EV_NOTE, OUT_NONE, 0};
	/* same second as the packed ones, from file 1: after all of them (file 0) */
	const struct ev_want same = {PF_T0, 1, 850, EV_WARNING, OUT_NONE, 0};
	push(m, &late);
	push(m, &same);
	struct ev_want w[PF_N + 3];
	memcpy(w, pf_msg, sizeof pf_msg);
	w[PF_N] = same;
	w[PF_N + 1] = late;
	expect_events(m, w, PF_N + 2);
	assert_int_equal(st.msgs[m].pack_off, off); /* still packed + 2 live */
	assert_int_not_equal(st.msgs[m].live_ev, EVENT_NONE);

	/* Oct 10 15:59:30: older than every packed event */
	const struct ev_want old = {PF_T0 - SEC(1), 1, 100, EV_CONNECT, OUT_NONE, 0};
	push(m, &old);
	assert_int_equal(st.msgs[m].first_ts, PF_T0 - SEC(1));
	assert_int_equal(st.msgs[m].last_ts, PF_T0 + SEC(1));
	struct ev_want w2[PF_N + 3];
	w2[0] = old;
	memcpy(w2 + 1, w, (PF_N + 2) * sizeof *w);
	expect_events(m, w2, PF_N + 3);

	/* unpacked once, it stays live (a crafted log could otherwise make
	 * it unpack and re-pack on every line) until the end of the load */
	assert_true(st.msgs[m].flags & MSG_KEEP_LIVE);
	store_msg_pack_events(&st, m);
	assert_int_not_equal(st.msgs[m].live_ev, EVENT_NONE);
	assert_int_equal(st.msgs[m].pack_off, UINT32_MAX);
	expect_events(m, w2, PF_N + 3);
	store_pack_all(&st);
	assert_int_equal(st.msgs[m].live_ev, EVENT_NONE);
	assert_int_not_equal(st.msgs[m].pack_off, UINT32_MAX);
	assert_false(st.msgs[m].flags & MSG_KEEP_LIVE);
	expect_events(m, w2, PF_N + 3);
}

/* Events arriving out of time order (a zigzag: each second pair swapped,
 * and every 100th from long before) are appended, not walked into place,
 * and still come out in (time, file, offset) order, live and packed. */
static void test_unsorted_live(void **state)
{
	(void)state;
	enum { N = 3000 };
	uint32_t m = store_add_message(&st);
	static struct ev_want in[N], want[N];
	for (int i = 0; i < N; i++) {
		int t = i % 2 ? i - 1 : i + 1;     /* 1 0 3 2 5 4 ... */
		if (i % 100 == 99)
			t = -i;                    /* long before */
		in[i] = (struct ev_want){PF_T0 + (int64_t)t * 1000000, 0, (uint64_t)(1000 + i), EV_DELIVERED,
					 OUT_DELIVERED, 250};
	}
	for (int i = 0; i < N; i++)
		push(m, &in[i]);
	assert_true(st.msgs[m].flags & MSG_LIVE_UNSORTED);
	memcpy(want, in, sizeof in);
	for (int i = 1; i < N; i++) /* insertion sort in the store's order */
		for (int j = i; j > 0 && want_before(&want[j], &want[j - 1]); j--) {
			struct ev_want x = want[j];
			want[j] = want[j - 1];
			want[j - 1] = x;
		}
	expect_events(m, want, N);
	store_msg_pack_events(&st, m);
	assert_int_equal(st.msgs[m].live_ev, EVENT_NONE);
	assert_false(st.msgs[m].flags & MSG_LIVE_UNSORTED);
	expect_events(m, want, N);
}

/* The end of a load: every message packed and the live array handed
 * back; a line placed afterwards (a mailbox save) starts a new one. */
static void test_pack_all(void **state)
{
	(void)state;
	uint32_t a = add_pf_msg();
	uint32_t b = add_pf_msg();
	store_msg_pack_events(&st, a); /* one packed, one still live */
	assert_int_not_equal(st.msgs[b].live_ev, EVENT_NONE);
	store_pack_all(&st);
	assert_null(st.events);
	assert_int_equal(st.nevents, 0);
	assert_int_equal(st.msgs[b].live_ev, EVENT_NONE);
	expect_events(a, pf_msg, PF_N);
	expect_events(b, pf_msg, PF_N);
	/* Oct 10 15:59:33 dovecot: lmtp(...): msgid=<...>: saved mail to INBOX */
	const struct ev_want save = {PF_T0 + SEC(5), 0, 7000, EV_MAILBOX, OUT_NONE, 0};
	push(b, &save);
	struct ev_want w[PF_N + 1];
	memcpy(w, pf_msg, sizeof pf_msg);
	w[PF_N] = save;
	expect_events(b, w, PF_N + 1);
	/* an event on no message keeps the array */
	struct event orphan = {PF_T0, 0, EVENT_NONE, EV_NOTE, OUT_NONE, 0};
	store_add_event(&st, &orphan);
	store_pack_all(&st);
	assert_non_null(st.events);
	expect_events(b, w, PF_N + 1);
}

/* HELO, protocol, account and script are one shared combination per
 * message: equal combinations share an entry, a change makes or finds
 * another without touching the other messages. */
static void test_extras_shared(void **state)
{
	(void)state;
	uint32_t helo = strtab_intern(&st.strs, "pc", 2);
	uint32_t proto = strtab_intern(&st.strs, "esmtpsa", 7);
	uint32_t acct = strtab_intern(&st.strs, "fred@example.pl", 15);
	uint32_t a = store_add_message(&st), b = store_add_message(&st), c = store_add_message(&st);
	for (int x = 0; x < MSG_X__COUNT; x++)
		assert_int_equal(store_msg_extra(&st, &st.msgs[a], (enum msg_extra)x), 0);
	store_msg_set_extra(&st, a, MSG_X_HELO, helo);
	store_msg_set_extra(&st, a, MSG_X_PROTO, proto);
	store_msg_set_extra(&st, b, MSG_X_PROTO, proto);
	store_msg_set_extra(&st, b, MSG_X_HELO, helo);
	assert_int_equal(st.msgs[a].extra, st.msgs[b].extra); /* shared */
	uint32_t before = st.nextras;
	store_msg_set_extra(&st, b, MSG_X_ACCOUNT, acct);
	assert_int_not_equal(st.msgs[a].extra, st.msgs[b].extra);
	assert_int_equal(st.nextras, before + 1);
	assert_int_equal(store_msg_extra(&st, &st.msgs[a], MSG_X_ACCOUNT), 0);
	assert_int_equal(store_msg_extra(&st, &st.msgs[b], MSG_X_ACCOUNT), acct);
	assert_int_equal(store_msg_extra(&st, &st.msgs[b], MSG_X_HELO), helo);
	assert_int_equal(store_msg_extra(&st, &st.msgs[b], MSG_X_PROTO), proto);
	/* the same steps on another message land on the existing entries */
	store_msg_set_extra(&st, c, MSG_X_ACCOUNT, acct);
	store_msg_set_extra(&st, c, MSG_X_HELO, helo);
	store_msg_set_extra(&st, c, MSG_X_PROTO, proto);
	assert_int_equal(st.msgs[c].extra, st.msgs[b].extra);
	/* back to nothing: the shared empty entry */
	for (int x = 0; x < MSG_X__COUNT; x++)
		store_msg_set_extra(&st, c, (enum msg_extra)x, 0);
	assert_int_equal(st.msgs[c].extra, 0);
	/* 2000 distinct HELO names: the table grows, every one reads back */
	uint32_t ids[2000];
	for (int i = 0; i < 2000; i++) {
		char name[32];
		int n = snprintf(name, sizeof name, "host-%d.example.net", i);
		ids[i] = strtab_intern(&st.strs, name, (size_t)n);
		uint32_t m = store_add_message(&st);
		store_msg_set_extra(&st, m, MSG_X_HELO, ids[i]);
	}
	for (int i = 0; i < 2000; i++)
		assert_int_equal(store_msg_extra(&st, &st.msgs[c + 1 + (uint32_t)i], MSG_X_HELO), ids[i]);
}

/* Sizes: unknown, ordinary, and past 32 bits (kept as the largest). */
static void test_size(void **state)
{
	(void)state;
	uint32_t m = store_add_message(&st);
	struct message *msg = &st.msgs[m];
	assert_int_equal(store_msg_size(msg), -1);
	store_msg_set_size(msg, 88397); /* qmgr: size=88397 */
	assert_int_equal(store_msg_size(msg), 88397);
	store_msg_set_size(msg, 0);
	assert_int_equal(store_msg_size(msg), 0);
	store_msg_set_size(msg, INT64_C(6000000000));
	assert_int_equal(store_msg_size(msg), INT64_C(4294967294));
	store_msg_set_size(msg, -1);
	assert_int_equal(store_msg_size(msg), -1);
}

/* Recipients are counted in 8 bits and walked past that: a 300-recipient
 * newsletter still says 300, and the list keeps its order. */
static void test_many_rcpts(void **state)
{
	(void)state;
	uint32_t m = store_add_message(&st);
	uint32_t first = RCPT_NONE, last = RCPT_NONE;
	for (int i = 0; i < 300; i++) {
		uint32_t r = store_add_rcpt(&st, m);
		if (i == 0)
			first = r;
		last = r;
		assert_int_equal(store_msg_nrcpt(&st, &st.msgs[m]), (uint32_t)i + 1);
	}
	assert_int_equal(st.msgs[m].first_rcpt, first);
	uint32_t n = 0, r = first, prev = RCPT_NONE;
	for (; r != RCPT_NONE; prev = r, r = st.rcpts[r].next)
		n++;
	assert_int_equal(n, 300);
	assert_int_equal(prev, last);
}

static void test_pack_twice(void **state)
{
	(void)state;
	uint32_t m = add_pf_msg();
	store_msg_pack_events(&st, m);
	uint64_t len1 = st.packed_len;
	/* nothing live: a second call writes nothing */
	store_msg_pack_events(&st, m);
	assert_int_equal(st.packed_len, len1);
	assert_int_equal(st.msgs[m].pack_off, 0);

	const struct ev_want more = {PF_T0 + SEC(300), 0, BIG_OFF + 99000, EV_DEFERRED,
				     OUT_DEFERRED, 451};
	push(m, &more);
	store_msg_pack_events(&st, m);
	assert_int_equal(st.msgs[m].pack_off, len1);
	/* the 36 bytes of the first blob again, then the deferral: head 1,
	 * 451<<3|3 2, +300 s (600<<2 = 2400) 2, +98320 B (zigzag 18 bits) 3 */
	assert_int_equal(st.packed_len, len1 + 36 + 8);
	assert_int_equal(st.msgs[m].live_ev, EVENT_NONE);
	struct ev_want w[PF_N + 1];
	memcpy(w, pf_msg, sizeof pf_msg);
	w[PF_N] = more;
	expect_events(m, w, PF_N + 1);
}

static void test_free_list_reuse(void **state)
{
	(void)state;
	uint32_t a = add_pf_msg();
	assert_int_equal(st.nevents, PF_N);
	store_msg_pack_events(&st, a);
	assert_int_equal(st.nfree, PF_N);

	uint32_t b = store_add_message(&st);
	for (size_t i = 0; i < PF_N; i++)
		push(b, &pf_msg[i]);
	assert_int_equal(st.nevents, PF_N); /* all seven slots reused */
	assert_int_equal(st.nfree, 0);
	expect_events(a, pf_msg, PF_N);
	expect_events(b, pf_msg, PF_N);

	push(b, &pf_msg[0]); /* no free slot left: the array grows */
	assert_int_equal(st.nevents, PF_N + 1);
}

static void test_no_events(void **state)
{
	(void)state;
	uint32_t m = store_add_message(&st);
	struct event out[1];
	assert_int_equal(store_msg_events(&st, m, out, 1), 0);
	store_msg_pack_events(&st, m);
	assert_int_equal(st.msgs[m].pack_off, UINT32_MAX);
	assert_int_equal(st.packed_len, 0);
	assert_int_equal(store_msg_events(&st, m, NULL, 0), 0);
}

static void ref_insert(struct ev_want *ref, size_t n, const struct ev_want *w)
{
	size_t j = 0;
	while (j < n && !want_before(w, &ref[j]))
		j++;
	memmove(ref + j + 1, ref + j, (n - j) * sizeof *ref);
	ref[j] = *w;
}

/* A message retried for days: 1000 events, seconds, ms and us stamps,
 * equal times, out-of-order arrivals, files 0 and 4999, offsets past
 * 4 GiB going back and forth, every outcome and several SMTP codes;
 * packed three times along the way. */
static void test_thousand_events(void **state)
{
	(void)state;
	enum { N = 1000 };
	static const uint16_t codes[] = {0, 250, 451, 550, 421, 0};
	struct ev_want *ref = calloc(N, sizeof *ref);
	assert_non_null(ref);
	uint32_t m = store_add_message(&st);
	uint32_t seed = 12345;
	int64_t t = PF_T0;
	for (size_t i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t r = seed >> 8;
		struct ev_want w;
		switch (r % 4) {
		case 0: t += SEC(r % 600); break;         /* syslog: whole seconds */
		case 1: t += MS(r % 5000); break;         /* Exim: ms */
		case 2: t += (int64_t)(r % 999983); break; /* RFC 5424: us */
		default: break;                           /* same time */
		}
		w.ts = t;
		if (r % 17 == 0)
			w.ts = t - SEC(3600); /* a line of the other file, an hour back */
		w.file = (r & 0x100) ? 4999 : 0;
		w.off = BIG_OFF + (uint64_t)i * 180 - (r % 7 == 0 ? 100000 : 0);
		w.kind = (uint8_t)(r % EV__COUNT);
		w.outcome = (uint8_t)((r >> 4) % OUT__COUNT);
		w.smtp = codes[(r >> 9) % 6];
		push(m, &w);
		ref_insert(ref, i, &w);
		if (i == 300 || i == 650)
			store_msg_pack_events(&st, m);
	}
	expect_events(m, ref, N);
	store_msg_pack_events(&st, m);
	expect_events(m, ref, N);

	/* cap below the count: the first cap in time order */
	struct event few[10];
	assert_int_equal(store_msg_events(&st, m, few, 10), 10);
	for (size_t i = 0; i < 10; i++)
		check_one(&few[i], &ref[i], i);
	free(ref);
}

/* Stamps before 1970 and at the ends of int64_t (garbage years), and
 * offsets going backwards in one file: deltas that are negative or do not
 * fit the unit encoding. */
static void test_negative_and_extreme(void **state)
{
	(void)state;
	const struct ev_want w[] = {
		{INT64_MIN, 3, 0, EV_UNKNOWN, OUT_NONE, 0},
		{-SEC(86400), 3, (UINT64_C(1) << 48) - 1, EV_NOTE, OUT_NONE, 0},
		{-MS(1500), 3, 17, EV_NOTE, OUT_NONE, 0},
		{-1, 3, 16, EV_NOTE, OUT_NONE, 0},
		{0, 65535, BIG_OFF, EV_NOTE, OUT_NONE, 0},
		{INT64_MAX, 65535, 0, EV_NOTE, OUT_NONE, 0},
	};
	size_t n = sizeof w / sizeof w[0];
	uint32_t m = store_add_message(&st);
	/* newest first: every push lands in front */
	for (size_t i = n; i-- > 0;)
		push(m, &w[i]);
	expect_events(m, w, n);
	store_msg_pack_events(&st, m);
	expect_events(m, w, n);
}

/* Every kind, every outcome, out-of-range values too (kind 200, outcome
 * 250, code 65535): the blob keeps every bit of struct event but next. */
static void test_all_fields(void **state)
{
	(void)state;
	struct ev_want w[EV__COUNT + OUT__COUNT + 2];
	size_t n = 0;
	for (unsigned k = 0; k < EV__COUNT; k++)
		w[n++] = (struct ev_want){PF_T0 + (int64_t)k * 1000, k % 2 ? 4999 : 0, BIG_OFF + k * 100, (uint8_t)k,
					  OUT_NONE, k % 3 ? 0 : 550};
	for (unsigned o = 0; o < OUT__COUNT; o++)
		w[n++] = (struct ev_want){PF_T0 + SEC(1) + (int64_t)o, 0, BIG_OFF + 9000 + o,
					  EV_STEP, (uint8_t)o, o % 2 ? 451 : 0};
	w[n++] = (struct ev_want){PF_T0 + SEC(2), 0, BIG_OFF, 200, 250, 65535};
	w[n++] = (struct ev_want){PF_T0 + SEC(2), 0, BIG_OFF, 63, 7, 8191};
	uint32_t m = store_add_message(&st);
	for (size_t i = 0; i < n; i++)
		push(m, &w[i]);
	store_msg_pack_events(&st, m);
	expect_events(m, w, n);
}

/* An arena that would pass 4 GiB: the events stay live and correct. */
static void test_arena_full(void **state)
{
	(void)state;
	uint32_t m = add_pf_msg();
	uint64_t saved = st.packed_len;
	st.packed_len = UINT32_MAX - 20; /* pretend; nothing is written */
	store_msg_pack_events(&st, m);
	assert_int_equal(st.packed_len, UINT32_MAX - 20);
	st.packed_len = saved;
	assert_int_equal(st.msgs[m].pack_off, UINT32_MAX);
	assert_int_not_equal(st.msgs[m].live_ev, EVENT_NONE);
	assert_int_equal(st.nfree, 0);
	expect_events(m, pf_msg, PF_N);
}

/* trace_build / trace_build_single read packed and live events alike. */
static void test_trace_reads_packed(void **state)
{
	(void)state;
	uint32_t m = add_pf_msg();
	store_msg_pack_events(&st, m);
	const struct ev_want late = {PF_T0 + SEC(1), 1, 900, EV_NOTE, OUT_NONE, 0};
	push(m, &late);

	struct trace t;
	trace_build(&st, m, 0, &t);
	assert_int_equal(t.nmsgs, 1);
	assert_int_equal(t.nevents, PF_N + 1);
	for (size_t i = 0; i < t.nevents; i++) {
		const struct ev_want *w = i < PF_N ? &pf_msg[i] : &late;
		assert_int_equal(t.events[i].msg, m);
		assert_int_equal(t.events[i].ts_us, w->ts);
		assert_int_equal(t.events[i].file, w->file);
		assert_int_equal(t.events[i].offset, w->off);
		assert_int_equal(t.events[i].kind, w->kind);
		assert_int_equal(t.events[i].outcome, w->outcome);
		assert_int_equal(t.events[i].smtp_code, w->smtp);
	}
	trace_release(&t);

	trace_build_single(&st, m, &t);
	assert_int_equal(t.nevents, PF_N + 1);
	assert_int_equal(t.events[5].kind, EV_DELIVERED);
	assert_int_equal(t.events[5].smtp_code, 250);
	assert_int_equal(t.events[5].offset, BIG_OFF + 468);
	assert_int_equal(t.events[PF_N].file, 1);
	trace_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_in_order_pack_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bytes_per_event_postfix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order_push, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_ties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_push_after_pack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsorted_live, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extras_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_rcpts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_list_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thousand_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_and_extreme, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arena_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_reads_packed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
