/*
 * test_textsafe.c - unit tests for textsafe (escaping, JSON strings,
 * display width) and the shared tbuf/xalloc modules it builds on.
 *
 * Every expected output is written out by hand; the invariants (no control
 * byte, valid UTF-8, valid JSON) are checked with validators written here,
 * independently of src/textsafe.c.  The hostile strings are the classic
 * terminal attacks: CSI colour, OSC 52 clipboard write, OSC 0 title set,
 * 8-bit CSI, Trojan Source bidi override, and malformed UTF-8 of every kind.
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
#include <sys/wait.h>
#include <unistd.h>

#include "tbuf.h"
#include "textsafe.h"
#include "xalloc.h"

/* Let the OOM test see malloc fail under ASan instead of ASan aborting on
 * a huge request.  Read by the sanitizer runtime only; harmless without. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

#define S(lit) lit, sizeof(lit) - 1

/* ---- independent validators ---------------------------------------- */

/* Well-formed UTF-8 per Unicode 15, Table 3-7, written as byte ranges
 * rather than by decoding, so it shares no logic with utf8_decode(). */
static int check_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char a = s[i];
		unsigned char lo = 0x80, hi = 0xbf;
		size_t len;

		if (a <= 0x7f) {
			i++;
			continue;
		}
		if (a >= 0xc2 && a <= 0xdf) {
			len = 2;
		} else if (a == 0xe0) {
			len = 3; lo = 0xa0;
		} else if ((a >= 0xe1 && a <= 0xec) || a == 0xee || a == 0xef) {
			len = 3;
		} else if (a == 0xed) {
			len = 3; hi = 0x9f;
		} else if (a == 0xf0) {
			len = 4; lo = 0x90;
		} else if (a >= 0xf1 && a <= 0xf3) {
			len = 4;
		} else if (a == 0xf4) {
			len = 4; hi = 0x8f;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return 0;
		i += len;
	}
	return 1;
}

/* What escaped text must never contain: C0, DEL, UTF-8 encoded C1
 * (C2 80..C2 9F), bidi controls and separators. */
static void assert_display_safe(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n; i++) {
		assert_true(u[i] >= 0x20);
		assert_true(u[i] != 0x7f);
		if (u[i] == 0xc2 && i + 1 < n)
			assert_false(u[i + 1] >= 0x80 && u[i + 1] <= 0x9f);
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x80)
			assert_false((u[i + 2] >= 0x8e && u[i + 2] <= 0x8f) ||
				     (u[i + 2] >= 0xa8 && u[i + 2] <= 0xae));
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x81)
			assert_false(u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9);
	}
	assert_true(check_utf8(u, n));
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 8259 section 7: the whole of s must be exactly one JSON string. */
static int check_json_string(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 1;

	if (n < 2 || u[0] != '"' || !check_utf8(u, n))
		return 0;
	while (i < n) {
		if (u[i] == '"')
			return i == n - 1;
		if (u[i] < 0x20)
			return 0;
		if (u[i] == '\\') {
			if (i + 1 >= n)
				return 0;
			switch (u[i + 1]) {
			case '"': case '\\': case '/': case 'b':
			case 'f': case 'n': case 'r': case 't':
				i += 2;
				break;
			case 'u':
				if (n - i < 6 || !is_hex(u[i + 2]) || !is_hex(u[i + 3]) ||
				    !is_hex(u[i + 4]) || !is_hex(u[i + 5]))
					return 0;
				i += 6;
				break;
			default:
				return 0;
			}
			continue;
		}
		i++;
	}
	return 0;
}

/* ---- utf8_decode ---------------------------------------------------- */

struct decode_case {
	const char *in;
	size_t n;
	int len;        /* expected return */
	uint32_t cp;    /* expected code point when len > 0 */
};

static void test_utf8_decode(void **state)
{
	static const struct decode_case cases[] = {
		{ S("A"), 1, 0x41 },
		{ S("\x7f"), 1, 0x7f },
		{ "\0", 1, 1, 0x00 },
		{ S("\xc2\x80"), 2, 0x80 },
		{ S("\xc5\xbc"), 2, 0x17c },             /* ż */
		{ S("\xdf\xbf"), 2, 0x7ff },
		{ S("\xe0\xa0\x80"), 3, 0x800 },
		{ S("\xe6\x97\xa5"), 3, 0x65e5 },        /* 日 */
		{ S("\xed\x9f\xbf"), 3, 0xd7ff },
		{ S("\xee\x80\x80"), 3, 0xe000 },
		{ S("\xef\xbf\xbf"), 3, 0xffff },
		{ S("\xf0\x90\x80\x80"), 4, 0x10000 },
		{ S("\xf0\x9f\x98\x80"), 4, 0x1f600 },   /* 😀 */
		{ S("\xf4\x8f\xbf\xbf"), 4, 0x10ffff },
		{ S("\xc5\xbc" "rest"), 2, 0x17c },      /* stops after one */
		/* invalid */
		{ "", 0, -1, 0 },
		{ S("\x80"), -1, 0 },                    /* lone continuation */
		{ S("\xbf"), -1, 0 },
		{ S("\xc0\xaf"), -1, 0 },                /* overlong '/' */
		{ S("\xc1\xbf"), -1, 0 },                /* overlong U+7F */
		{ S("\xe0\x80\xaf"), -1, 0 },            /* overlong, 3 bytes */
		{ S("\xe0\x9f\xbf"), -1, 0 },            /* overlong U+7FF */
		{ S("\xf0\x80\x80\xaf"), -1, 0 },        /* overlong, 4 bytes */
		{ S("\xf0\x8f\xbf\xbf"), -1, 0 },        /* overlong U+FFFF */
		{ S("\xed\xa0\x80"), -1, 0 },            /* surrogate D800 */
		{ S("\xed\xbf\xbf"), -1, 0 },            /* surrogate DFFF */
		{ S("\xf4\x90\x80\x80"), -1, 0 },        /* U+110000 */
		{ S("\xf5\x80\x80\x80"), -1, 0 },
		{ S("\xff"), -1, 0 },
		{ S("\xfe"), -1, 0 },
		{ S("\xc5"), -1, 0 },                    /* truncated 2 */
		{ S("\xe6\x97"), -1, 0 },                /* truncated 3 */
		{ S("\xf0\x9f\x98"), -1, 0 },            /* truncated 4 */
		{ S("\xf0\x9f\x98" "A"), -1, 0 },        /* bad continuation */
		{ S("\xc5" "A"), -1, 0 },
		/* n cuts a valid sequence: must not look past n */
		{ "\xe6\x97\xa5", 2, -1, 0 },
		{ "\xf0\x9f\x98\x80", 3, -1, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t cp = 0xdeadbeef;
		int len = utf8_decode(cases[i].in, cases[i].n, &cp);

		assert_int_equal(len, cases[i].len);
		if (len > 0)
			assert_int_equal(cp, cases[i].cp);
		else
			assert_int_equal(cp, 0xdeadbeef);
	}
}

/* ---- escaping ------------------------------------------------------- */

struct esc_case {
	const char *in;
	size_t n;
	const char *want;
};

static const struct esc_case esc_cases[] = {
	{ S("hello, world"), "hello, world" },
	{ S(""), "" },
	/* CSI SGR colour */
	{ S("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m" },
	/* OSC 52: write "hello" to the clipboard */
	{ S("\x1b]52;c;aGVsbG8=\x07"), "\\x1b]52;c;aGVsbG8=\\x07" },
	/* OSC 0: set the window title */
	{ S("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07" },
	/* OSC terminated by ST (ESC \) */
	{ S("\x1b]0;x\x1b\\"), "\\x1b]0;x\\x1b\\" },
	/* 8-bit CSI, UTF-8 encoded (U+009B) and as a raw byte */
	{ S("\xc2\x9b" "31m"), "\\u009b31m" },
	{ S("\x9b" "31m"), "\\x9b31m" },
	{ S("\xc2\x80\xc2\x9f"), "\\u0080\\u009f" },
	{ S("\xc2\xa0"), "\xc2\xa0" },                 /* NBSP is fine */
	/* Trojan Source: RLO makes "exe.txt" read backwards */
	{ S("invoice\xe2\x80\xae" "txt.exe"), "invoice\\u202etxt.exe" },
	{ S("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"),
	  "\\u202a\\u202b\\u202c\\u202d" },
	{ S("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
	  "\\u2066\\u2067\\u2068\\u2069" },
	{ S("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"), "\\u200e\\u200f\\u061c" },
	{ S("a\xe2\x80\xa8" "b\xe2\x80\xa9"), "a\\u2028b\\u2029" },
	{ S("\xe2\x80\x8d"), "\xe2\x80\x8d" },         /* ZWJ stays */
	/* C0 and DEL */
	{ S("a\tb\nc\rd"), "a\\tb\\nc\\rd" },
	{ S("\x01\x08\x0b\x0c\x1f\x7f"), "\\x01\\x08\\x0b\\x0c\\x1f\\x7f" },
	{ "a\0b", 3, "a\\0b" },
	{ "\0\0", 2, "\\0\\0" },
	/* invalid UTF-8: every byte on its own */
	{ S("\xc0\xaf"), "\\xc0\\xaf" },
	{ S("\xe0\x80\xaf"), "\\xe0\\x80\\xaf" },
	{ S("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf" },
	{ S("\xed\xa0\x80"), "\\xed\\xa0\\x80" },
	{ S("\xed\xb0\x80\xed\xa0\x80"), "\\xed\\xb0\\x80\\xed\\xa0\\x80" },
	{ S("\x80\xbf" "x\x80"), "\\x80\\xbfx\\x80" },
	{ S("\xf0\x9f\x98"), "\\xf0\\x9f\\x98" },
	{ S("\xf0\x9f\x98" "A"), "\\xf0\\x9f\\x98" "A" },
	{ S("\xf0\x9f\x98\xf0\x9f\x98\x80"), "\\xf0\\x9f\\x98" "\xf0\x9f\x98\x80" },
	{ S("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80" },
	{ S("\xfe\xff"), "\\xfe\\xff" },
	{ S("\xc5"), "\\xc5" },
	/* valid text passes through untouched */
	{ S("Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85"),
	  "Zażółć gęślą" },
	{ S("\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"), "日本 😀" },
	{ S("e\xcc\x81"), "e\xcc\x81" },
	/* a backslash is shown as is (display escape, not a codec) */
	{ S("DOMAIN\\user"), "DOMAIN\\user" },
};

static void test_escape_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof esc_cases / sizeof esc_cases[0]; i++) {
		const struct esc_case *c = &esc_cases[i];
		size_t cap = c->n * TEXTSAFE_MAX_EXPANSION + 1;
		char *out = malloc(cap);
		struct tbuf b = TBUF_INIT;
		size_t len;

		assert_non_null(out);
		len = textsafe_escape(c->in, c->n, out, cap);
		assert_string_equal(out, c->want);
		assert_int_equal(len, strlen(c->want));
		assert_display_safe(out, len);

		tbuf_puts(&b, "pre:");
		tbuf_escape(&b, c->in, c->n);
		assert_int_equal(b.len, 4 + len);
		assert_memory_equal(b.data, "pre:", 4);
		assert_memory_equal(b.data + 4, c->want, len);
		assert_int_equal(b.data[b.len], '\0');
		tbuf_release(&b);
		free(out);
	}
}

/* One input piece and its escape, so the test knows every place a cut
 * may legally fall. */
struct piece {
	const char *in;
	size_t n;
	const char *out;
};

static void test_escape_truncation(void **state)
{
	static const struct piece pieces[] = {
		{ S("a"), "a" },
		{ S("\x1b"), "\\x1b" },
		{ S("\xc5\xbc"), "\xc5\xbc" },
		{ S("\xe2\x80\xae"), "\\u202e" },
		{ S("b"), "b" },
		{ S("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80" },
		{ S("\xff"), "\\xff" },
		{ "\0", 1, "\\0" },
		{ S("\xe6\x97\xa5"), "\xe6\x97\xa5" },
		{ S("\n"), "\\n" },
		{ S("c"), "c" },
	};
	enum { NP = sizeof pieces / sizeof pieces[0] };
	char in[64], full[128], out[160];
	size_t bound[NP + 1], n = 0, m = 0;

	(void)state;
	bound[0] = 0;
	for (size_t p = 0; p < NP; p++) {
		memcpy(in + n, pieces[p].in, pieces[p].n);
		n += pieces[p].n;
		memcpy(full + m, pieces[p].out, strlen(pieces[p].out));
		m += strlen(pieces[p].out);
		bound[p + 1] = m;
	}
	/* every cap from 0 to more than enough; bytes past cap stay 0xAA */
	for (size_t cap = 0; cap <= m + 2; cap++) {
		size_t want = 0, len;

		for (size_t p = 0; p <= NP; p++)
			if (cap > 0 && bound[p] <= cap - 1)
				want = bound[p];
		memset(out, 0xaa, sizeof out);
		len = textsafe_escape(in, n, out, cap);
		assert_int_equal(len, want);
		if (cap > 0) {
			assert_memory_equal(out, full, len);
			assert_int_equal(out[len], '\0');
			assert_display_safe(out, len);
		}
		for (size_t k = cap; k < sizeof out; k++)
			assert_int_equal((unsigned char)out[k], 0xaa);
	}
}

/* Exact-size heap buffers, so ASan sees any write past cap. */
static void test_escape_exact_caps(void **state)
{
	static const char in[] = "\x1b]52;c;aGVsbG8=\x07\xc2\x9b\xe2\x80\xae\xed\xa0\x80\xc0\xaf";
	(void)state;
	for (size_t cap = 1; cap < 80; cap++) {
		char *out = malloc(cap);
		size_t len;

		assert_non_null(out);
		len = textsafe_escape(in, sizeof in - 1, out, cap);
		assert_true(len < cap);
		assert_int_equal(out[len], '\0');
		assert_display_safe(out, len);
		free(out);
	}
}

/* A fixed hostile unit repeated to 1 MB: the expectation is the unit's
 * hand-written escape repeated. */
static void test_escape_1mb(void **state)
{
	static const char unit[] =
		"\x1b[31mX\xc2\x9b\xe2\x80\xae\xe6\x97\xa5\xff\xc0\xaf\xed\xa0\x80\t";
	static const char unit_esc[] =
		"\\x1b[31mX\\u009b\\u202e\xe6\x97\xa5\\xff\\xc0\\xaf\\xed\\xa0\\x80\\t";
	size_t ulen = sizeof unit - 1, elen = sizeof unit_esc - 1;
	size_t reps = (1u << 20) / ulen + 1, n = reps * ulen;
	char *in = malloc(n), *out = malloc(n * TEXTSAFE_MAX_EXPANSION + 1);
	struct tbuf b = TBUF_INIT;
	size_t len;

	(void)state;
	assert_non_null(in);
	assert_non_null(out);
	for (size_t r = 0; r < reps; r++)
		memcpy(in + r * ulen, unit, ulen);
	len = textsafe_escape(in, n, out, n * TEXTSAFE_MAX_EXPANSION + 1);
	assert_int_equal(len, reps * elen);
	for (size_t r = 0; r < reps; r++)
		assert_memory_equal(out + r * elen, unit_esc, elen);
	assert_display_safe(out, len);

	tbuf_escape(&b, in, n);
	assert_int_equal(b.len, len);
	assert_memory_equal(b.data, out, len);
	tbuf_release(&b);
	free(in);
	free(out);
}

static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 16;
}

/* 1 MB of random bytes biased toward the dangerous ranges: only the
 * invariants can be checked, and the two escapers must agree. */
static void test_escape_random(void **state)
{
	static const unsigned char bias[] = {
		0x00, 0x1b, 0x07, 0x7f, 0x9b, 0xc2, 0xe2, 0x80, 0xae, 0xed,
		0xa0, 0xf0, 0x9f, 0xf4, 0x90, 0xc0, 0xff, '\\', '"', 'a'
	};
	size_t n = 1u << 20;
	char *in = malloc(n), *out = malloc(n * TEXTSAFE_MAX_EXPANSION + 1);
	struct tbuf b = TBUF_INIT, j = TBUF_INIT;
	uint32_t x = 42;
	size_t len;

	(void)state;
	assert_non_null(in);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		uint32_t r = lcg(&x);

		in[i] = (char)((r & 1) ? bias[(r >> 1) % sizeof bias] : (r >> 8) & 0xff);
	}
	len = textsafe_escape(in, n, out, n * TEXTSAFE_MAX_EXPANSION + 1);
	assert_true(len >= n);
	assert_display_safe(out, len);
	tbuf_escape(&b, in, n);
	assert_int_equal(b.len, len);
	assert_memory_equal(b.data, out, len);

	tbuf_json_string(&j, in, n);
	assert_true(check_json_string(j.data, j.len));
	tbuf_release(&b);
	tbuf_release(&j);
	free(in);
	free(out);
}

/* ---- JSON ----------------------------------------------------------- */

static void test_json_string(void **state)
{
	static const struct esc_case cases[] = {
		{ S(""), "\"\"" },
		{ S("plain"), "\"plain\"" },
		{ S("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"" },
		{ S("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"" },
		{ S("\x01\x1b\x1f\x7f"), "\"\\u0001\\u001b\\u001f\\u007f\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ S("\x1b]52;c;aGVsbG8=\x07"), "\"\\u001b]52;c;aGVsbG8=\\u0007\"" },
		{ S("\xc2\x9b" "1m"), "\"\\u009b1m\"" },
		{ S("x\xe2\x80\xae" "y\xe2\x81\xa9"), "\"x\\u202ey\\u2069\"" },
		{ S("\xe2\x80\xa8"), "\"\\u2028\"" },
		{ S("Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 \xf0\x9f\x98\x80"),
		  "\"Zażółć 😀\"" },
		/* invalid bytes become U+FFFD, one per byte */
		{ S("\xff"), "\"\xef\xbf\xbd\"" },
		{ S("a\xc0\xaf" "b"), "\"a\xef\xbf\xbd\xef\xbf\xbd" "b\"" },
		{ S("\xed\xa0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ S("\xf0\x9f\x98"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ S("\x9b"), "\"\xef\xbf\xbd\"" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tbuf b = TBUF_INIT;

		tbuf_putc(&b, '[');
		tbuf_json_string(&b, cases[i].in, cases[i].n);
		assert_int_equal(b.len, 1 + strlen(cases[i].want));
		assert_memory_equal(b.data + 1, cases[i].want, b.len - 1);
		assert_true(check_json_string(b.data + 1, b.len - 1));
		tbuf_release(&b);
	}
	/* the validator itself must reject what is not JSON */
	assert_false(check_json_string(S("\"a\"b\"")));
	assert_false(check_json_string(S("\"\x01\"")));
	assert_false(check_json_string(S("\"\\x1b\"")));
	assert_false(check_json_string(S("\"\\u12\"")));
	assert_false(check_json_string(S("\"\xff\"")));
	assert_false(check_json_string(S("\"abc")));
}

/* ---- width and fitting --------------------------------------------- */

static int setup_utf8(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

static int teardown_locale(void **state)
{
	(void)state;
	setlocale(LC_CTYPE, "C");
	return 0;
}

static void test_width_utf8(void **state)
{
	(void)state;
	assert_int_equal(textsafe_width(S("")), 0);
	assert_int_equal(textsafe_width(S("abc")), 3);
	assert_int_equal(textsafe_width(S("za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87")), 6);
	assert_int_equal(textsafe_width(S("\xe6\x97\xa5\xe6\x9c\xac")), 4);
	assert_int_equal(textsafe_width(S("e\xcc\x81")), 1);
	assert_int_equal(textsafe_width(S("\\x1b[31m")), 8);
	/* an invalid byte that slipped through counts one column */
	assert_int_equal(textsafe_width(S("a\xff")), 2);
}

static void test_width_c_locale(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C"));
	assert_int_equal(textsafe_width(S("\xe6\x97\xa5\xe6\x9c\xac")), 2);
	assert_int_equal(textsafe_width(S("e\xcc\x81")), 2);
	assert_int_equal(textsafe_width(S("za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87")), 6);
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
}

struct fit_case {
	const char *in;
	size_t n;
	size_t cols;
	size_t bytes;   /* expected return */
	size_t used;    /* expected *used_cols */
};

static void test_fit(void **state)
{
	static const struct fit_case cases[] = {
		{ S("abcdef"), 3, 3, 3 },
		{ S("abc"), 10, 3, 3 },
		{ S("abc"), 0, 0, 0 },
		{ S(""), 5, 0, 0 },
		/* 日本語: a wide character never half fits */
		{ S("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), 5, 6, 4 },
		{ S("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), 6, 9, 6 },
		{ S("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), 1, 0, 0 },
		/* combining acute stays with its e ... */
		{ S("e\xcc\x81x"), 1, 3, 1 },
		{ S("e\xcc\x81\xcc\xa7x"), 1, 5, 1 },
		/* ... and leaves with it */
		{ S("ae\xcc\x81"), 1, 1, 1 },
		/* zażółć: multi-byte but one column each */
		{ S("za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87"), 3, 4, 3 },
		{ S("za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87"), 6, 10, 6 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t used = 999;

		assert_int_equal(textsafe_fit(cases[i].in, cases[i].n, cases[i].cols, &used),
				 cases[i].bytes);
		assert_int_equal(used, cases[i].used);
		assert_int_equal(textsafe_fit(cases[i].in, cases[i].n, cases[i].cols, NULL),
				 cases[i].bytes);
	}
}

/* ---- tbuf and xalloc ------------------------------------------------ */

static void test_tbuf_basics(void **state)
{
	struct tbuf b;
	char big[1000];

	(void)state;
	tbuf_init(&b);
	assert_string_equal(tbuf_str(&b), "");
	tbuf_putc(&b, 'x');
	tbuf_puts(&b, "yz");
	tbuf_putn(&b, "\0w", 2);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "xyz\0w", 6);
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	tbuf_printf(&b, "[%d|%s]", 42, big);
	assert_int_equal(b.len, 5 + 4 + 999 + 1);
	assert_memory_equal(b.data + 5, "[42|", 4);
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], '\0');
	tbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(tbuf_str(&b), "");
	tbuf_release(&b);
	assert_null(b.data);
}

static void test_xstrndup(void **state)
{
	char *p;

	(void)state;
	p = xstrndup("abcdef", 3);
	assert_string_equal(p, "abc");
	free(p);
	/* stops at the NUL like strndup: must not read past "ab" */
	p = xstrndup("ab", 100);
	assert_string_equal(p, "ab");
	free(p);
	p = xstrdup("");
	assert_string_equal(p, "");
	free(p);
}

static void oom_hook(void)
{
	static const char msg[] = "hook ran\n";

	/* What the TUI does here is endwin(); a marker proves the order. */
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(3);
}

enum oom_how { OOM_MALLOC, OOM_CALLOC, OOM_TBUF };

/* Run one OOM in a child; return what it wrote to stderr and its status. */
static void run_oom_child(enum oom_how how, char *err, size_t cap, int *status)
{
	int fd[2];
	pid_t pid;
	size_t got = 0;
	ssize_t r;

	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct tbuf b = TBUF_INIT;
		volatile size_t huge = SIZE_MAX - 64;

		dup2(fd[1], 2);
		close(fd[0]);
		xalloc_set_fatal_hook(oom_hook);
		switch (how) {
		case OOM_MALLOC: free(xmalloc(huge)); break;
		case OOM_CALLOC: free(xcalloc(huge, 16)); break;
		case OOM_TBUF:   tbuf_grow(&b, huge + 64); break;
		}
		_exit(0);
	}
	close(fd[1]);
	while (got + 1 < cap && (r = read(fd[0], err + got, cap - 1 - got)) > 0)
		got += (size_t)r;
	err[got] = '\0';
	close(fd[0]);
	assert_int_equal(waitpid(pid, status, 0), pid);
}

static void test_xalloc_oom(void **state)
{
	static const enum oom_how hows[] = { OOM_MALLOC, OOM_CALLOC, OOM_TBUF };
	(void)state;
	for (size_t i = 0; i < sizeof hows / sizeof hows[0]; i++) {
		static const char want[] = "hook ran\nmailtrail: out of memory\n";
		char err[512];
		int status;

		run_oom_child(hows[i], err, sizeof err, &status);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 2);
		/* suffix: under ASan a "failed to allocate" warning comes first */
		assert_true(strlen(err) >= sizeof want - 1);
		assert_string_equal(err + strlen(err) - (sizeof want - 1), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_escape_table),
		cmocka_unit_test(test_escape_truncation),
		cmocka_unit_test(test_escape_exact_caps),
		cmocka_unit_test(test_escape_1mb),
		cmocka_unit_test(test_escape_random),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test_setup_teardown(test_width_utf8, setup_utf8, teardown_locale),
		cmocka_unit_test_setup_teardown(test_width_c_locale, setup_utf8, teardown_locale),
		cmocka_unit_test_setup_teardown(test_fit, setup_utf8, teardown_locale),
		cmocka_unit_test(test_tbuf_basics),
		cmocka_unit_test(test_xstrndup),
		cmocka_unit_test(test_xalloc_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
