/*
 * test_strtab.c - the string table: interning with dedupe, and the arena
 * of tagged ids strtab_add hands out for per-message unique values.
 *
 * Values are shaped after real log fields:
 *  - Postfix queue ids "AED59D5604", "4PbC4z6W5Qz3tG3" (long form) and the
 *    reply "250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3"
 *    (samples/postfix/pixelpark_postfix-logsums_test_mail.log.curated.log),
 *  - Exim ids "1jmFYj-00039V-QX" (samples/exim/gvengel_exim_exporter_mainlog.log)
 *    and "1mYPu6-0007lT-I2" (tests/unit/test_query.c),
 *  - Message-IDs "20110603122701.50B0319C1E64@newmail.testdegc.net"
 *    (samples/postfix/forum-thread-2011_bounce-chain-dovecot-deliver.log),
 *    "0MQxQc-1q6K263NPS-00UHOf@gmx.net"
 *    (samples/postfix/pixelpark_postfix-logsums_test_mail.log.curated.log),
 *    "d83fc620.AED59D5604@example.pl" (queue id "AED59D5604" inside),
 *  - "250 2.0.0 Ok: queued as 385EB81403"
 *    (samples/exim/pastebin-tBX0RZJd_cpanel-exigrep.log).
 * Bulk values are generated from an index by gen_value() below (same
 * shapes), so every id can be checked against text made independently of
 * the table.  Sizes expected by strtab_bytes follow the documented layout:
 * interned n + 9 (4-byte local index, 4-byte length, NUL), arena n + 3
 * (2-byte length, NUL).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "store.h"
#include "strtab.h"

/* bytes an interned string costs in chunks besides its own: 4-byte local
 * index, 4-byte length, NUL */
#define INTERNED_EXTRA 9

/* The i-th value of a family: 0 Postfix queue id, 1 Exim id, 2 Message-ID,
 * 3 remote reply.  Distinct for distinct (family, i, salt). */
static size_t gen_value(char *buf, size_t cap, unsigned family, uint32_t i, unsigned salt)
{
	static const char b62[] =
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	int n = 0;
	uint32_t x = i * 2654435761u;
	switch (family & 3) {
	case 0:
		n = snprintf(buf, cap, "%02X%08X", salt & 0xff, i);
		break;
	case 1:
		n = snprintf(buf, cap, "1m%c%c%c%c-%06u-%c%c", b62[i % 62], b62[i / 62 % 62],
			     b62[i / 3844 % 62], b62[i / 238328 % 62], i % 1000000u, b62[salt % 62],
			     b62[i / 14776336 % 62]);
		break;
	case 2:
		n = snprintf(buf, cap, "%08x.%02X%08X@example.pl", x, salt & 0xff, i);
		break;
	default:
		n = snprintf(buf, cap, "250 2.0.0 Ok: queued as %u%08X", salt, i);
		break;
	}
	return (size_t)n;
}

static void check_id(const struct strtab *t, uint32_t id, const char *s, size_t n)
{
	if (strtab_len(t, id) != n)
		fail_msg("id %#x: length %u, want %zu (\"%.*s\")", id, strtab_len(t, id), n,
			 (int)n, s);
	const char *got = strtab_get(t, id);
	if (memcmp(got, s, n) != 0 || got[n] != '\0')
		fail_msg("id %#x: \"%.*s\", want \"%.*s\"", id, (int)n, got, (int)n, s);
}

static void test_intern_dedupe(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	static const char *const vals[] = {
		"mx.example.pl", "relay=gmail-smtp-in.l.google.com[142.250.27.27]:25",
		"fred@example.pl", "anna@firma-klient.pl", "2.0.0",
	};
	uint32_t ids[5];
	for (int i = 0; i < 5; i++) {
		ids[i] = strtab_intern(&t, vals[i], strlen(vals[i]));
		assert_int_not_equal(ids[i], 0);
		assert_false(strtab_is_tagged(ids[i]));
		check_id(&t, ids[i], vals[i], strlen(vals[i]));
	}
	for (int i = 0; i < 5; i++) {
		for (int k = 0; k < i; k++)
			assert_int_not_equal(ids[i], ids[k]);
		/* a copy in another buffer finds the same id */
		char copy[80];
		strcpy(copy, vals[i]);
		assert_int_equal(strtab_intern(&t, copy, strlen(copy)), ids[i]);
		assert_int_equal(strtab_lookup(&t, copy, strlen(copy)), ids[i]);
		assert_int_equal(strtab_intern_hashed(&t, copy, strlen(copy),
						      strtab_hash(copy, strlen(copy))),
				 ids[i]);
	}
	/* prefixes are other strings */
	assert_int_equal(strtab_lookup(&t, "mx.example", 10), 0);
	assert_int_equal(strtab_intern(&t, "", 0), 0);
	assert_string_equal(strtab_get(&t, 0), "");
	assert_int_equal(strtab_len(&t, 0), 0);
	/* embedded NUL */
	uint32_t z = strtab_intern(&t, "a\0b", 3);
	check_id(&t, z, "a\0b", 3);
	assert_int_not_equal(z, strtab_intern(&t, "a", 1));
	assert_int_equal(strtab_count(&t), 1 + 5 + 2);
	size_t want = 0;
	for (int i = 0; i < 5; i++)
		want += strlen(vals[i]) + INTERNED_EXTRA;
	want += 3 + INTERNED_EXTRA + 1 + INTERNED_EXTRA;
	assert_int_equal(strtab_bytes(&t), want);
	strtab_release(&t);
}

static void test_add_roundtrip(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	static const char *const vals[] = {
		"AED59D5604", "4PbC4z6W5Qz3tG3", "1jmFYj-00039V-QX", "1mYPu6-0007lT-I2",
		"d83fc620.AED59D5604@example.pl",
		"20110603122701.50B0319C1E64@newmail.testdegc.net",
		"0MQxQc-1q6K263NPS-00UHOf@gmx.net",
		"250 2.0.0 Ok: queued as 36EF7E18", "250 2.0.0 Ok: queued as 385EB81403",
		"x",
	};
	enum { N = sizeof vals / sizeof vals[0] };
	uint32_t ids[N];
	size_t want_bytes = 0;
	for (unsigned i = 0; i < N; i++) {
		size_t n = strlen(vals[i]);
		ids[i] = strtab_add(&t, vals[i], n, i * 7919u);
		assert_true(strtab_is_tagged(ids[i]));
		want_bytes += n + 3;
	}
	for (unsigned i = 0; i < N; i++) {
		check_id(&t, ids[i], vals[i], strlen(vals[i]));
		/* never entered in the lookup table */
		assert_int_equal(strtab_lookup(&t, vals[i], strlen(vals[i])), 0);
	}
	/* no dedupe: the same value twice is two ids */
	uint32_t again = strtab_add(&t, "AED59D5604", 10, 0);
	assert_true(strtab_is_tagged(again));
	assert_int_not_equal(again, ids[0]);
	check_id(&t, again, "AED59D5604", 10);
	want_bytes += 13;
	/* interning the same text gives an ordinary id, found by lookup */
	uint32_t in = strtab_intern(&t, "AED59D5604", 10);
	assert_false(strtab_is_tagged(in));
	assert_int_equal(strtab_lookup(&t, "AED59D5604", 10), in);
	check_id(&t, in, "AED59D5604", 10);
	want_bytes += 10 + INTERNED_EXTRA;
	assert_int_equal(strtab_add(&t, "", 0, 1), 0);
	/* NUL bytes inside an added value survive */
	uint32_t nul = strtab_add(&t, "<\0>", 3, 5);
	assert_true(strtab_is_tagged(nul));
	check_id(&t, nul, "<\0>", 3);
	want_bytes += 6;
	/* every earlier value is intact after the later adds */
	for (unsigned i = 0; i < N; i++)
		check_id(&t, ids[i], vals[i], strlen(vals[i]));
	assert_int_equal(strtab_count(&t), 1 + N + 1 + 1 + 1);
	assert_int_equal(strtab_bytes(&t), want_bytes);
	strtab_release(&t);
}

/* Lengths at and past the arena's 2-byte limit. */
static void test_add_long(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	static const size_t lens[] = {65533, 65534, 65535, 65536, 100000, 1, 2};
	enum { N = sizeof lens / sizeof lens[0] };
	char *bufs[N];
	uint32_t ids[N];
	size_t want = 0;
	for (unsigned i = 0; i < N; i++) {
		bufs[i] = malloc(lens[i] + 1);
		assert_non_null(bufs[i]);
		/* a long remote reply: the text repeated, a different start
		 * per string so a mix-up shows */
		static const char reply[] = "550 5.7.1 Service unavailable; client host blocked ";
		for (size_t k = 0; k < lens[i]; k++)
			bufs[i][k] = reply[(k + i) % (sizeof reply - 1)];
		bufs[i][lens[i]] = '\0';
		ids[i] = strtab_add(&t, bufs[i], lens[i], i);
		assert_int_not_equal(ids[i], 0);
		if (lens[i] <= 65534) {
			assert_true(strtab_is_tagged(ids[i]));
			want += lens[i] + 3;
		} else {
			/* falls back to an untagged id, still without dedupe */
			assert_false(strtab_is_tagged(ids[i]));
			assert_true(ids[i] < strtab_id_limit(&t));
			want += lens[i] + INTERNED_EXTRA;
		}
	}
	for (unsigned i = 0; i < N; i++) {
		check_id(&t, ids[i], bufs[i], lens[i]);
		assert_int_equal(strtab_lookup(&t, bufs[i], lens[i]), 0);
	}
	assert_int_equal(strtab_count(&t), 1 + N);
	assert_int_equal(strtab_bytes(&t), want);
	for (unsigned i = 0; i < N; i++)
		free(bufs[i]);
	strtab_release(&t);
}

/* Fill several arena chunks through one lane (a fixed spread), then the
 * first and last string of every chunk, and all between, read back. */
static void test_add_chunks(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	enum { N = 250000 };
	uint32_t *ids = malloc(N * sizeof *ids);
	assert_non_null(ids);
	char buf[128];
	size_t want = 0;
	for (uint32_t i = 0; i < N; i++) {
		size_t n = gen_value(buf, sizeof buf, i, i, 7);
		ids[i] = strtab_add(&t, buf, n, 12345);
		assert_true(strtab_is_tagged(ids[i]));
		want += n + 3;
	}
	/* about 6 MiB (~25 B an entry): the chunk field of the ids moved on
	 * at least 5 times */
	unsigned changes = 0;
	uint32_t chunk_bits = ~STRTAB_TAG & ~(STRTAB_ARENA_CHUNK - 1);
	for (uint32_t i = 1; i < N; i++)
		if ((ids[i] & chunk_bits) != (ids[i - 1] & chunk_bits)) {
			changes++;
			/* the last of a chunk and the first of the next */
			size_t n = gen_value(buf, sizeof buf, i - 1, i - 1, 7);
			check_id(&t, ids[i - 1], buf, n);
			n = gen_value(buf, sizeof buf, i, i, 7);
			check_id(&t, ids[i], buf, n);
			/* a new chunk starts at its first byte */
			assert_int_equal(ids[i] & (STRTAB_ARENA_CHUNK - 1), 0);
		}
	assert_true(changes >= 5);
	for (uint32_t i = 0; i < N; i++) {
		size_t n = gen_value(buf, sizeof buf, i, i, 7);
		check_id(&t, ids[i], buf, n);
	}
	/* big entries: about 16 per chunk, so the chunk end is reached with
	 * less than a whole entry left */
	char *big = malloc(65534);
	assert_non_null(big);
	uint32_t bids[40];
	for (unsigned k = 0; k < 40; k++) {
		memset(big, 'A' + (int)(k % 26), 65534);
		bids[k] = strtab_add(&t, big, 65534 - k, 12345);
		assert_true(strtab_is_tagged(bids[k]));
		want += 65534 - k + 3;
	}
	for (unsigned k = 0; k < 40; k++) {
		memset(big, 'A' + (int)(k % 26), 65534);
		check_id(&t, bids[k], big, 65534 - k);
	}
	assert_int_equal(strtab_count(&t), 1 + N + 40);
	assert_int_equal(strtab_bytes(&t), want);
	free(big);
	free(ids);
	strtab_release(&t);
}

/* A full arena: strtab_add goes on with untagged ids.  The arena is cut
 * to two chunks; all adds but the last 1000 go through one lane. */
static void test_arena_full(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	t.arena_limit = 2;
	enum { N = 80000 };
	uint32_t *ids = malloc(N * sizeof *ids);
	assert_non_null(ids);
	char buf[128];
	size_t want = 0;
	unsigned tagged = 0, untagged = 0;
	for (uint32_t i = 0; i < N; i++) {
		size_t n = gen_value(buf, sizeof buf, 2, i, 3);
		assert_int_equal(n, 30); /* "%08x.%02X%08X@example.pl" */
		ids[i] = strtab_add(&t, buf, n, i < N - 1000 ? 77 : i);
		if (strtab_is_tagged(ids[i])) {
			tagged++;
			want += n + 3;
			/* only the first two chunks were ever given out */
			assert_true(((ids[i] & ~STRTAB_TAG) >> STRTAB_ARENA_OFF_BITS) < 2);
			/* tagged ones come first: once full, full for good */
			assert_int_equal(untagged, 0);
		} else {
			untagged++;
			want += n + INTERNED_EXTRA;
		}
	}
	/* two 1 MiB chunks hold 2 MiB / 33 B of them, less a few bytes of
	 * bookkeeping per chunk */
	assert_true(tagged <= 2 * STRTAB_ARENA_CHUNK / 33);
	assert_true(tagged >= 2 * (STRTAB_ARENA_CHUNK - 256) / 33);
	assert_int_equal(tagged + untagged, N);
	uint32_t limit = strtab_id_limit(&t);
	for (uint32_t i = 0; i < N; i++) {
		size_t n = gen_value(buf, sizeof buf, 2, i, 3);
		check_id(&t, ids[i], buf, n);
		if (!strtab_is_tagged(ids[i]))
			assert_true(ids[i] < limit);
		assert_int_equal(strtab_lookup(&t, buf, n), 0);
	}
	assert_int_equal(strtab_count(&t), 1 + N);
	assert_int_equal(strtab_bytes(&t), want);
	free(ids);
	strtab_release(&t);
}

static void test_id_limit(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	char buf[128];
	uint32_t hosts[300];
	for (uint32_t i = 0; i < 300; i++) {
		int n = snprintf(buf, sizeof buf, "mx%u.example.pl", i);
		hosts[i] = strtab_intern(&t, buf, (size_t)n);
	}
	uint32_t limit = strtab_id_limit(&t);
	for (uint32_t i = 0; i < 300; i++)
		assert_true(hosts[i] < limit);
	for (uint32_t i = 0; i < 50000; i++) {
		size_t n = gen_value(buf, sizeof buf, i, i, 1);
		uint32_t id = strtab_add(&t, buf, n, i);
		assert_true(strtab_is_tagged(id));
		assert_true(id >= limit);
	}
	assert_int_equal(strtab_id_limit(&t), limit);
	/* a new interned string moves it as before (dense ids) */
	uint32_t more = strtab_intern(&t, "smtp.example.com", 16);
	assert_true(more < strtab_id_limit(&t));
	assert_true(strtab_id_limit(&t) <= limit + STRTAB_SHARDS);
	strtab_release(&t);
}

/* Two threads add unique values and intern shared ones at once. */
enum { THREAD_ADDS = 300000, THREAD_HOSTS = 500 };

struct worker {
	struct strtab *t;
	unsigned salt;
	uint32_t *ids;           /* THREAD_ADDS */
	uint32_t hosts[THREAD_HOSTS];
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char buf[128];
	for (uint32_t i = 0; i < THREAD_ADDS; i++) {
		size_t n = gen_value(buf, sizeof buf, i, i, w->salt);
		w->ids[i] = strtab_add(w->t, buf, n, i * 131u + w->salt);
		if (i % 600 < THREAD_HOSTS) {
			uint32_t h = i % 600;
			int k = snprintf(buf, sizeof buf, "mail%u.example.pl", h);
			w->hosts[h] = strtab_intern(w->t, buf, (size_t)k);
		}
	}
	return NULL;
}

/* Two threads intern the same strings at once, in opposite orders, past
 * the point where every shard's lookup table grows, so lock-free probes
 * race inserts and growth.  Value i is family i % 3 (queue id, Exim id,
 * Message-ID) with salt i % 7; both threads intern every value. */
enum { RACE_VALUES = 600000 };

struct racer {
	struct strtab *t;
	int backwards;
	uint32_t *ids;           /* RACE_VALUES, by value */
};

static size_t race_value(char *buf, size_t cap, uint32_t i)
{
	return gen_value(buf, cap, i % 3, i, i % 7);
}

static void *racer_main(void *arg)
{
	struct racer *r = arg;
	char buf[128];
	for (uint32_t k = 0; k < RACE_VALUES; k++) {
		uint32_t i = r->backwards ? RACE_VALUES - 1 - k : k;
		size_t n = race_value(buf, sizeof buf, i);
		r->ids[i] = strtab_intern(r->t, buf, n);
	}
	return NULL;
}

static void test_intern_race(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	struct racer r[2];
	pthread_t tid[2];
	for (int k = 0; k < 2; k++) {
		r[k].t = &t;
		r[k].backwards = k;
		r[k].ids = malloc(RACE_VALUES * sizeof *r[k].ids);
		assert_non_null(r[k].ids);
	}
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&tid[k], NULL, racer_main, &r[k]), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_join(tid[k], NULL), 0);
	strtab_quiesce(&t);
	char buf[128];
	size_t want = 0;
	for (uint32_t i = 0; i < RACE_VALUES; i++) {
		/* one id per string, whichever thread added it */
		if (r[0].ids[i] != r[1].ids[i])
			fail_msg("value %u interned twice: %#x and %#x", i, r[0].ids[i], r[1].ids[i]);
		assert_false(strtab_is_tagged(r[0].ids[i]));
		size_t n = race_value(buf, sizeof buf, i);
		check_id(&t, r[0].ids[i], buf, n);
		assert_int_equal(strtab_lookup(&t, buf, n), r[0].ids[i]);
		want += n + INTERNED_EXTRA;
	}
	/* no duplicate entries hide behind the agreeing ids */
	assert_int_equal(strtab_count(&t), 1 + RACE_VALUES);
	assert_int_equal(strtab_bytes(&t), want);
	for (int k = 0; k < 2; k++)
		free(r[k].ids);
	strtab_release(&t);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void test_threads(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	struct worker w[2];
	pthread_t tid[2];
	for (int k = 0; k < 2; k++) {
		memset(&w[k], 0, sizeof w[k]);
		w[k].t = &t;
		w[k].salt = 40u + (unsigned)k;
		w[k].ids = malloc(THREAD_ADDS * sizeof *w[k].ids);
		assert_non_null(w[k].ids);
	}
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&tid[k], NULL, worker_main, &w[k]), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_join(tid[k], NULL), 0);
	char buf[128];
	size_t want = 0;
	for (int k = 0; k < 2; k++)
		for (uint32_t i = 0; i < THREAD_ADDS; i++) {
			assert_true(strtab_is_tagged(w[k].ids[i]));
			size_t n = gen_value(buf, sizeof buf, i, i, w[k].salt);
			check_id(&t, w[k].ids[i], buf, n);
			want += n + 3;
		}
	/* every tagged id is distinct */
	uint32_t *all = malloc(2 * THREAD_ADDS * sizeof *all);
	assert_non_null(all);
	memcpy(all, w[0].ids, THREAD_ADDS * sizeof *all);
	memcpy(all + THREAD_ADDS, w[1].ids, THREAD_ADDS * sizeof *all);
	qsort(all, 2 * THREAD_ADDS, sizeof *all, cmp_u32);
	for (size_t i = 1; i < 2u * THREAD_ADDS; i++)
		if (all[i] == all[i - 1])
			fail_msg("id %#x handed out twice", all[i]);
	free(all);
	/* both threads agree on every interned host */
	for (uint32_t h = 0; h < THREAD_HOSTS; h++) {
		assert_int_equal(w[0].hosts[h], w[1].hosts[h]);
		assert_false(strtab_is_tagged(w[0].hosts[h]));
		int n = snprintf(buf, sizeof buf, "mail%u.example.pl", h);
		check_id(&t, w[0].hosts[h], buf, (size_t)n);
		want += (size_t)n + INTERNED_EXTRA;
	}
	assert_int_equal(strtab_count(&t), 1 + 2 * THREAD_ADDS + THREAD_HOSTS);
	assert_int_equal(strtab_bytes(&t), want);
	for (int k = 0; k < 2; k++)
		free(w[k].ids);
	strtab_release(&t);
}

/* Filtering on tagged ids: queue ids and Message-IDs stored the way the
 * correlator stores them (strtab_add), next to interned senders. */
static void test_query_tagged(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	static const struct {
		const char *qid, *msgid, *sender;
	} msgs[] = {
		{"AED59D5604", "d83fc620.AED59D5604@example.pl", "fred@example.pl"},
		{"4PbC4z6W5Qz3tG3", "20110603122701.50B0319C1E64@newmail.testdegc.net",
		 "user01.test@uhu-banane.net"},
		{"1mYPu6-0007lT-I2", "0MQxQc-1q6K263NPS-00UHOf@gmx.net", "fred@example.pl"},
	};
	for (unsigned i = 0; i < 3; i++) {
		uint32_t m = store_add_message(&st);
		st.msgs[m].qid = strtab_add(&st.strs, msgs[i].qid, strlen(msgs[i].qid), i);
		st.msgs[m].msgid = strtab_add(&st.strs, msgs[i].msgid, strlen(msgs[i].msgid), i + 9);
		st.msgs[m].sender = strtab_intern(&st.strs, msgs[i].sender, strlen(msgs[i].sender));
		assert_true(strtab_is_tagged(st.msgs[m].qid));
		assert_true(strtab_is_tagged(st.msgs[m].msgid));
	}
	static const struct {
		const char *msgid, *text, *from;
		int regex;
		unsigned want;
	} cases[] = {
		{"AED59D5604", NULL, NULL, 0, 1u << 0},
		{"<20110603122701.50B0319C1E64@newmail.testdegc.net>", NULL, NULL, 0, 1u << 1},
		{"Message-ID: <0MQxQc-1q6K263NPS-00UHOf@gmx.net>", NULL, NULL, 0, 1u << 2},
		{"aed59d", NULL, NULL, 0, 1u << 0},
		{"nowhere", NULL, NULL, 0, 0},
		{NULL, "0007lT", NULL, 0, 1u << 2},
		{NULL, "^4Pb.*G3$", NULL, 1, 1u << 1},
		{NULL, "example", NULL, 0, 1u << 0 | 1u << 2},
		{"1mYPu6", NULL, "fred@", 0, 1u << 2},
	};
	for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct query_spec spec;
		memset(&spec, 0, sizeof spec);
		spec.msgid = cases[c].msgid;
		spec.text = cases[c].text;
		spec.from = cases[c].from;
		spec.regex = cases[c].regex;
		char err[300] = "";
		struct query *q = query_compile(&spec, 0, err, sizeof err);
		if (!q)
			fail_msg("case %u: %s", c, err);
		/* twice: the second pass sees the cached verdicts */
		for (int pass = 0; pass < 2; pass++) {
			unsigned got = 0;
			for (uint32_t m = 0; m < st.nmsgs; m++)
				if (query_match(q, &st, m))
					got |= 1u << m;
			if (got != cases[c].want)
				fail_msg("case %u pass %d: matched %#x, want %#x", c, pass, got,
					 cases[c].want);
		}
		query_free(q);
	}
	store_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern_dedupe),
		cmocka_unit_test(test_add_roundtrip),
		cmocka_unit_test(test_add_long),
		cmocka_unit_test(test_add_chunks),
		cmocka_unit_test(test_arena_full),
		cmocka_unit_test(test_id_limit),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_intern_race),
		cmocka_unit_test(test_query_tagged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
