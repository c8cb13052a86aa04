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
 * case-insensitive substring search (Unicode simple case folding of the
 * Latin blocks query.c folds).
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

/* Queue ids and Message-IDs are stored as the loader stores them: in the
 * string arena, with tagged ids (strtab_add). */
static uint32_t unique_z(struct store *st, const char *s)
{
	return s ? strtab_add(&st->strs, s, strlen(s), 0) : 0;
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
	msg->qid = unique_z(st, "4BQ2Yb3Kz1z9sXY");
	msg->msgid = unique_z(st, "abc.123@example.com");
	msg->client_ip = intern_z(st, "192.0.2.1");
	msg->client_host = intern_z(st, "mail.example.com");
	msg->auth = intern_z(st, "alice");
	store_msg_set_extra(st, m, MSG_X_ACCOUNT, intern_z(st, "alice@example.com"));
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
	msg->msgid = unique_z(st, f[6]);
	msg->qid = unique_z(st, f[9]);
	msg->client_ip = intern_z(st, f[4]);
	store_msg_set_extra(st, m, MSG_X_ACCOUNT, intern_z(st, f[8]));
	msg->first_ts = -1;
	msg->last_ts = INT64_MAX;
	msg->status = OUT_PARTIAL;
	r = store_add_rcpt(st, m);
	st->rcpts[r].addr = intern_z(st, f[3]);

	m = store_add_message(st);
	msg = &st->msgs[m];
	msg->sender = intern_z(st, "\xc5\xbb" "aneta.\xc5\x81ukasik@Przyk\xc5\x82" "ad.pl \xc3\x80\xc3\x89\xc3\x8e"
				   "\xc4\xb0\xc5\xb8\xc5\xbf");
	msg->status = OUT_DEFERRED;

	store_add_message(st); /* empty */
}

/*
 * The oracle for substring search (query.c: case-insensitive for ASCII,
 * Latin-1 and Latin Extended-A, so every Polish letter): Unicode simple
 * case folding of U+0000-U+017F, applied to code points.  It judges only
 * valid UTF-8 without the few letters whose folding leaves those blocks
 * or is language-specific (U+00B5, U+0130, U+0178, U+017F); for the rest
 * answers -1 ("no opinion").
 */
static uint32_t fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
		return c % 2 == 0 ? c + 1 : c;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return c % 2 == 1 ? c + 1 : c;
	return c;
}

/* Folded code points of s[0..n) into out (n entries at most); -1 when
 * the oracle has no opinion on s. */
static long folded(const char *s, size_t n, uint32_t *out)
{
	size_t i = 0, k = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = fuzz_utf8_seq((const unsigned char *)s + i, n - i, &cp);
		if (!len || cp == 0xb5 || cp == 0x130 || cp == 0x178 || cp == 0x17f)
			return -1;
		out[k++] = fold(cp);
		i += len;
	}
	return (long)k;
}

static int contains_folded(const char *h, size_t hn, const char *nd, size_t nn)
{
	uint32_t *a = malloc((hn + 1) * sizeof *a), *b = malloc((nn + 1) * sizeof *b);
	FUZZ_ASSERT(a && b);
	long ha = folded(h, hn, a), nb = folded(nd, nn, b);
	int r = -1;
	if (ha >= 0 && nb >= 0) {
		r = 0;
		for (long i = 0; !r && i + nb <= ha; i++)
			r = memcmp(a + i, b, (size_t)nb * sizeof *b) == 0;
	}
	free(a);
	free(b);
	return r;
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
			int want = id ? contains_folded(s, n, spec->from, strlen(spec->from)) : 0;
			if (want >= 0)
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

	/* Setting up a string table costs megabytes of zeroed pages, so the
	 * store lives across inputs: its messages are rebuilt per input,
	 * its strings (the inputs' among them) are dropped every 1024
	 * inputs.  Reachable from a static, so not a leak at exit. */
	static struct store *st;
	static unsigned uses;
	if (!st) {
		st = malloc(sizeof *st);
		FUZZ_ASSERT(st);
		store_init(st);
	} else if (++uses % 1024 == 0) {
		store_release(st);
		store_init(st);
	}
	st->nmsgs = 0;
	st->nrcpts = 0;
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

	/* --from alone, as substrings: checked against contains_folded */
	if (f[2] && f[2][0]) {
		struct query_spec one;
		memset(&one, 0, sizeof one);
		one.from = f[2];
		run(&one, st, 1);
	}
	struct query_spec none;
	memset(&none, 0, sizeof none);
	run(&none, st, 0);

	for (int k = 0; k < NFIELDS; k++)
		free(f[k]);
	return 0;
}
