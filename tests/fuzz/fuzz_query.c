/*
 * fuzz_query.c - libFuzzer target: the filter compiler and matcher
 * (query.h).
 *
 * The input is up to ten lines, one per field of struct query_spec in
 * order: since, until, from, to, ip, subject, msgid, status, account,
 * text (a missing line leaves the field unset, an empty one sets "").
 * The spec is compiled twice, as substrings and as PCRE2 patterns, and
 * each query is matched (twice: the second answer comes from the cache)
 * against a small store: fixed messages with Polish, invalid UTF-8, NUL
 * and long strings, one message made of the input's own fields, and an
 * empty one.  Checks: a failed compile says why; an empty spec matches
 * everything; a --from substring query agrees with an independent
 * case-insensitive substring search.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "query.h"
#include "store.h"
#include "strtab.h"

#define NFIELDS 10
#define ERRLEN 256

static uint32_t intern(struct store *st, const char *s, size_t n)
{
	return strtab_intern(&st->strs, s, n);
}

static uint32_t intern_z(struct store *st, const char *s)
{
	return s ? intern(st, s, strlen(s)) : 0;
}

static void build_store(struct store *st, char *const *f)
{
	static char longsub[2049];
	if (!longsub[0]) {
		memset(longsub, 'a', sizeof longsub - 2);
		longsub[sizeof longsub - 2] = 'b';
	}
	uint32_t m = store_add_message(st);
	struct message *msg = &st->msgs[m];
	msg->sender = intern_z(st, "Alice.Smith@Example.com");
	msg->subject = intern_z(st, "Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85");
	msg->qid = intern_z(st, "4BQ2Yb3Kz1z9sXY");
	msg->msgid = intern_z(st, "abc.123@example.com");
	msg->client_ip = intern_z(st, "192.0.2.1");
	msg->client_host = intern_z(st, "mail.example.com");
	msg->auth = intern_z(st, "alice");
	msg->account = intern_z(st, "alice@example.com");
	msg->first_ts = INT64_C(1795400000) * 1000000;
	msg->last_ts = INT64_C(1795450000) * 1000000;
	msg->status = OUT_DELIVERED;
	uint32_t r = store_add_rcpt(st, m);
	st->rcpts[r].addr = intern_z(st, "bob@example.org");
	st->rcpts[r].orig = intern_z(st, "team@example.org");
	r = store_add_rcpt(st, m);
	st->rcpts[r].addr = intern_z(st, "carol@example.net");

	m = store_add_message(st);
	msg = &st->msgs[m];
	msg->sender = intern_z(st, "<>");
	msg->subject = intern(st, "\xff\xfe =?utf-8?q?x?= \0nul\xc3", 21);
	msg->client_host = intern(st, longsub, sizeof longsub - 1);
	msg->first_ts = msg->last_ts = 0;
	msg->status = OUT_BOUNCED;

	m = store_add_message(st);
	msg = &st->msgs[m];
	msg->sender = intern_z(st, f[2]);
	msg->subject = intern_z(st, f[5]);
	msg->msgid = intern_z(st, f[6]);
	msg->qid = intern_z(st, f[9]);
	msg->client_ip = intern_z(st, f[4]);
	msg->account = intern_z(st, f[8]);
	msg->first_ts = -1;
	msg->last_ts = INT64_MAX;
	msg->status = OUT_PARTIAL;
	r = store_add_rcpt(st, m);
	st->rcpts[r].addr = intern_z(st, f[3]);

	store_add_message(st); /* empty */
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int contains_ci(const char *h, size_t hn, const char *n, size_t nn)
{
	for (size_t i = 0; i + nn <= hn; i++) {
		size_t k = 0;
		while (k < nn && lower((unsigned char)h[i + k]) == lower((unsigned char)n[k]))
			k++;
		if (k == nn)
			return 1;
	}
	return 0;
}

static void run(const struct query_spec *spec, const struct store *st, int check_from)
{
	char *err = malloc(ERRLEN);
	FUZZ_ASSERT(err);
	err[0] = '\0';
	const int64_t now = INT64_C(1795456800) * 1000000;
	struct query *q = query_compile(spec, now, err, ERRLEN);
	if (!q) {
		FUZZ_ASSERT(memchr(err, '\0', ERRLEN) && err[0] != '\0');
		free(err);
		return;
	}
	for (uint32_t m = 0; m < st->nmsgs; m++) {
		int a = query_match(q, st, m);
		int b = query_match(q, st, m);
		FUZZ_ASSERT(a == b);
		if (query_is_empty(spec))
			FUZZ_ASSERT(a == 1);
		if (check_from) {
			uint32_t id = st->msgs[m].sender;
			const char *s = store_str(st, id);
			size_t n = strtab_len(&st->strs, id);
			int want = id && contains_ci(s, n, spec->from, strlen(spec->from));
			FUZZ_ASSERT(a == want);
		}
	}
	query_free(q);
	free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		setenv("TZ", "Europe/Warsaw", 1);
		tzset();
		ready = 1;
	}
	char *f[NFIELDS] = {NULL};
	size_t i = 0;
	for (int k = 0; k < NFIELDS && i <= size; k++) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - data) : size;
		f[k] = fuzz_dup(data + i, end - i);
		i = end + 1;
		if (!nl)
			break;
	}

	struct store *st = malloc(sizeof *st);
	FUZZ_ASSERT(st);
	store_init(st);
	build_store(st, f);

	struct query_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.since = f[0];
	spec.until = f[1];
	spec.from = f[2];
	spec.to = f[3];
	spec.ip = f[4];
	spec.subject = f[5];
	spec.msgid = f[6];
	spec.status = f[7];
	spec.account = f[8];
	spec.text = f[9];
	for (int regex = 0; regex < 2; regex++) {
		spec.regex = regex;
		run(&spec, st, 0);
	}

	/* --from alone, as substrings: checked against contains_ci */
	if (f[2] && f[2][0]) {
		struct query_spec one;
		memset(&one, 0, sizeof one);
		one.from = f[2];
		run(&one, st, 1);
	}
	struct query_spec none;
	memset(&none, 0, sizeof none);
	run(&none, st, 0);

	store_release(st);
	free(st);
	for (int k = 0; k < NFIELDS; k++)
		free(f[k]);
	return 0;
}
