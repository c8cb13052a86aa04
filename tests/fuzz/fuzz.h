/*
 * fuzz.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * Key design decision: every target is a plain libFuzzer file
 * (LLVMFuzzerTestOneInput) so it runs unchanged under clang's
 * -fsanitize=fuzzer; the regression replay (replay.c, normal compiler)
 * builds each target with -DLLVMFuzzerTestOneInput=fuzz_<name>_one, so the
 * helpers here are all static and a target holds no other external
 * symbol.  Every copy of fuzzer input is a heap block of exactly len + 1
 * bytes ending in NUL, so a read one byte past the NUL is an ASan report.
 *
 * The checks here are independent re-implementations (UTF-8 validity, a
 * JSON string reader): a target must not judge the code under test with
 * that same code.
 */
#ifndef MAILTRAIL_FUZZ_H
#define MAILTRAIL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "event.h"
#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a crash, so libFuzzer keeps the input. */
#define FUZZ_ASSERT(c)                                                                      \
	do {                                                                                \
		if (!(c)) {                                                                 \
			fprintf(stderr, "fuzz: check failed: %s (%s:%d)\n", #c, __FILE__,  \
				__LINE__);                                                  \
			abort();                                                            \
		}                                                                           \
	} while (0)

/* Lines given to parsers at most (the loader's detection peeks at 50). */
#define FUZZ_MAX_LINES 4096

/* Sink for fuzz_touch: the reads must not be optimised away. */
static volatile unsigned fuzz_sink;

/* Read every byte of p[0..n): ASan reports a slice pointing outside live
 * memory. */
static inline void fuzz_touch(const void *p, size_t n)
{
	const unsigned char *u = p;
	unsigned acc = 0;
	for (size_t i = 0; i < n; i++)
		acc += u[i];
	fuzz_sink += acc;
}

/* A heap copy of s[0..n) with a NUL at n, exactly n + 1 bytes.  Caller
 * frees. */
static inline char *fuzz_dup(const void *s, size_t n)
{
	char *p = malloc(n + 1);
	FUZZ_ASSERT(p);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Split data into physical lines as lineio does: at '\n', one trailing
 * '\r' dropped, a last line without '\n' kept.  Each line is its own
 * exact-size NUL-terminated heap block.  Returns the number of lines
 * (at most max); free with fuzz_lines_free. */
static inline size_t fuzz_split_lines(const uint8_t *data, size_t size, char **lines,
				      size_t *lens, size_t max)
{
	size_t n = 0, i = 0;
	while (i < size && n < max) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - data) : size;
		size_t len = end - i;
		if (len && data[i + len - 1] == '\r')
			len--;
		lines[n] = fuzz_dup(data + i, len);
		lens[n] = len;
		n++;
		i = end + 1;
	}
	return n;
}

static inline void fuzz_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
}

/* Length of the valid shortest-form UTF-8 sequence at s[0..n), or 0. */
static inline size_t fuzz_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	size_t len;
	uint32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3f);
	}
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static inline int fuzz_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;
	while (i < n) {
		size_t k = fuzz_utf8_seq(u + i, n - i, &cp);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* Code points that must never reach a terminal raw: C0, DEL, C1, bidi
 * formatting and line/paragraph separators (textsafe.h). */
static inline int fuzz_cp_dangerous(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

/* s[0..n) is valid UTF-8 holding no dangerous code point. */
static inline int fuzz_terminal_safe(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;
	while (i < n) {
		size_t k = fuzz_utf8_seq(u + i, n - i, &cp);
		if (!k || fuzz_cp_dangerous(cp))
			return 0;
		i += k;
	}
	return 1;
}

/* Check what a parser's line() returned, the way the loader uses it: on
 * PARSE_OK every slice is read (it must point at live memory), enums are
 * in range; on PARSE_BAD a reason is given. */
static inline void fuzz_check_pline(const struct pline *pl, enum parse_result res,
				    const char *why)
{
	FUZZ_ASSERT(res >= PARSE_OK && res <= PARSE_MORE);
	if (res == PARSE_BAD) {
		FUZZ_ASSERT(why != NULL);
	}
	if (why)
		fuzz_touch(why, strlen(why));
	if (res != PARSE_OK)
		return;
	FUZZ_ASSERT(pl->kind < EV__COUNT);
	FUZZ_ASSERT(pl->outcome < OUT__COUNT);
	FUZZ_ASSERT(pl->link < LINK__COUNT);
	for (int i = 0; i < F__COUNT; i++) {
		if (pl->f[i].n == 0)
			continue;
		FUZZ_ASSERT(pl->f[i].p != NULL);
		fuzz_touch(pl->f[i].p, pl->f[i].n);
	}
}

/* Detection looks at this many first lines (load.c PEEK_LINES). */
#define FUZZ_PROBE_LINES 50

/*
 * The body of every parser target: the input is a file, split into lines
 * and fed through begin / line / end exactly as the loader does, so state
 * kept across lines (CSV headers, PARSE_MORE records, multi-line Exim
 * entries) is exercised.  The format's probe gets the first lines too,
 * and a CSV format's header description and open-record query are called
 * as the loader's report does.
 */
static inline int fuzz_parser_run(const char *name, const uint8_t *data, size_t size)
{
	static const struct parser *p;
	if (!p) {
		parser_init_all();
		p = parser_by_name(name);
		FUZZ_ASSERT(p);
	}
	char **lines = calloc(FUZZ_MAX_LINES, sizeof *lines);
	size_t *lens = calloc(FUZZ_MAX_LINES, sizeof *lens);
	FUZZ_ASSERT(lines && lens);
	size_t n = fuzz_split_lines(data, size, lines, lens, FUZZ_MAX_LINES);

	if (n) {
		int score = p->probe((const char *const *)lines, lens,
				     n < FUZZ_PROBE_LINES ? n : FUZZ_PROBE_LINES);
		FUZZ_ASSERT(score >= 0 && score <= PROBE_MAX);
	}

	void *state = p->begin();
	FUZZ_ASSERT(state);
	int is_csv = csv_parser_is_csv(p);
	for (size_t i = 0; i < n; i++) {
		struct pline pl;
		const char *why = NULL;
		pline_clear(&pl);
		enum parse_result res = p->line(state, lines[i], lens[i], &pl, &why);
		fuzz_check_pline(&pl, res, why);
		if (is_csv && i < 3) {
			/* Small caps check the truncation; the loader uses 512. */
			static const size_t caps[] = {1, 2, 17, 512};
			for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
				char *buf = malloc(caps[k]);
				FUZZ_ASSERT(buf);
				size_t dl = csv_header_describe(state, buf, caps[k]);
				FUZZ_ASSERT(dl < caps[k]);
				FUZZ_ASSERT(strlen(buf) == dl);
				free(buf);
			}
		}
	}
	if (is_csv)
		fuzz_sink += (unsigned)csv_record_open(state);
	p->end(state);

	fuzz_lines_free(lines, n);
	free(lines);
	free(lens);
	return 0;
}

#endif
