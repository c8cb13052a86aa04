/*
 * fuzz_textsafe.c - libFuzzer target: escaping for terminals and JSON,
 * and measuring escaped text (textsafe.h).
 *
 * Key design decision: the expected output is computed here by an
 * independent model of the table in textsafe.h (a token per character or
 * per invalid byte), so the checks are exact, not just "looks safe":
 *  - textsafe_escape with room for everything gives the model's text
 *    (hex digits compared without case); with less room it gives the
 *    longest prefix of whole tokens that fits; cap 0 writes nothing;
 *  - tbuf_escape gives the same text as textsafe_escape;
 *  - tbuf_json_string is one valid JSON string, valid UTF-8 with no raw
 *    control, DEL, C1, bidi or separator character, and decoding it gives
 *    the input with each invalid byte replaced by U+FFFD;
 *  - utf8_decode agrees with an independent decoder at every offset;
 *  - textsafe_width / textsafe_fit on escaped text: a fit is a character
 *    boundary, uses at most the columns asked, and measures as it says.
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tbuf.h"
#include "textsafe.h"

static const char hexd[] = "0123456789abcdef";

/* The model: escaped text of s[0..n) into b; boundaries after each token
 * into cuts (cuts[0] = 0).  Returns the number of tokens. */
static size_t model_escape(const unsigned char *s, size_t n, struct tbuf *b, size_t *cuts)
{
	size_t i = 0, t = 0;
	cuts[0] = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = fuzz_utf8_seq(s + i, n - i, &cp);
		char tok[8];
		size_t tl = 0;
		if (!k) {
			tok[0] = '\\', tok[1] = 'x', tok[2] = hexd[s[i] >> 4], tok[3] = hexd[s[i] & 15];
			tl = 4;
			k = 1;
		} else if (cp == 0) {
			memcpy(tok, "\\0", 2), tl = 2;
		} else if (cp == '\t') {
			memcpy(tok, "\\t", 2), tl = 2;
		} else if (cp == '\n') {
			memcpy(tok, "\\n", 2), tl = 2;
		} else if (cp == '\r') {
			memcpy(tok, "\\r", 2), tl = 2;
		} else if (cp < 0x20 || cp == 0x7f) {
			tok[0] = '\\', tok[1] = 'x', tok[2] = hexd[cp >> 4], tok[3] = hexd[cp & 15];
			tl = 4;
		} else if (fuzz_cp_dangerous(cp)) {
			tok[0] = '\\', tok[1] = 'u';
			for (int d = 0; d < 4; d++)
				tok[2 + d] = hexd[(cp >> (12 - 4 * d)) & 15];
			tl = 6;
		} else {
			memcpy(tok, s + i, k);
			tl = k;
		}
		tbuf_putn(b, tok, tl);
		i += k;
		cuts[++t] = b->len;
	}
	return t;
}

/* Byte-exact comparison except that ASCII letters compare without case
 * (the hex digits of escapes). */
static int eq_hexcase(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_cp(struct tbuf *b, uint32_t cp)
{
	char u[4];
	size_t k;
	if (cp < 0x80) {
		u[0] = (char)cp, k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 63)), k = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 63));
		u[2] = (char)(0x80 | (cp & 63)), k = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 63));
		u[2] = (char)(0x80 | ((cp >> 6) & 63)), u[3] = (char)(0x80 | (cp & 63)), k = 4;
	}
	tbuf_putn(b, u, k);
}

/* Decode one JSON string literal occupying all of j[0..n) into b.
 * Returns 0, or -1 when it is not exactly one valid JSON string. */
static int json_decode(const char *j, size_t n, struct tbuf *b)
{
	if (n < 2 || j[0] != '"' || j[n - 1] != '"')
		return -1;
	size_t i = 1, end = n - 1;
	while (i < end) {
		unsigned char c = (unsigned char)j[i];
		if (c < 0x20 || c == '"')
			return -1;
		if (c != '\\') {
			tbuf_putc(b, (char)c);
			i++;
			continue;
		}
		if (i + 1 >= end)
			return -1;
		char e = j[i + 1];
		i += 2;
		switch (e) {
		case '"': tbuf_putc(b, '"'); break;
		case '\\': tbuf_putc(b, '\\'); break;
		case '/': tbuf_putc(b, '/'); break;
		case 'b': tbuf_putc(b, '\b'); break;
		case 'f': tbuf_putc(b, '\f'); break;
		case 'n': tbuf_putc(b, '\n'); break;
		case 'r': tbuf_putc(b, '\r'); break;
		case 't': tbuf_putc(b, '\t'); break;
		case 'u': {
			if (i + 4 > end)
				return -1;
			uint32_t cp = 0;
			for (int d = 0; d < 4; d++) {
				int v = hexval(j[i + d]);
				if (v < 0)
					return -1;
				cp = cp << 4 | (uint32_t)v;
			}
			i += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (i + 6 > end || j[i] != '\\' || j[i + 1] != 'u')
					return -1;
				uint32_t lo = 0;
				for (int d = 0; d < 4; d++) {
					int v = hexval(j[i + 2 + d]);
					if (v < 0)
						return -1;
					lo = lo << 4 | (uint32_t)v;
				}
				if (lo < 0xdc00 || lo > 0xdfff)
					return -1;
				i += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				return -1;
			}
			put_cp(b, cp);
			break;
		}
		default:
			return -1;
		}
	}
	return 0;
}

/* The input with every invalid byte replaced by U+FFFD. */
static void model_json_text(const unsigned char *s, size_t n, struct tbuf *b)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = fuzz_utf8_seq(s + i, n - i, &cp);
		if (k) {
			tbuf_putn(b, (const char *)s + i, k);
			i += k;
		} else {
			tbuf_putn(b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
}

static void check_fit(const char *e, size_t n)
{
	size_t w = textsafe_width(e, n);
	FUZZ_ASSERT(w <= 2 * n);
	size_t cols_list[] = {0, 1, 2, w / 3, w / 2, w > 0 ? w - 1 : 0, w, w + 3};
	size_t prev_k = 0, prev_cols = 0;
	for (size_t c = 0; c < sizeof cols_list / sizeof cols_list[0]; c++) {
		size_t cols = cols_list[c], used = (size_t)-1;
		size_t k = textsafe_fit(e, n, cols, &used);
		FUZZ_ASSERT(k <= n);
		FUZZ_ASSERT(used <= cols);
		FUZZ_ASSERT(fuzz_utf8_valid(e, k));
		FUZZ_ASSERT(textsafe_width(e, k) == used);
		FUZZ_ASSERT(textsafe_fit(e, n, cols, NULL) == k);
		if (cols >= w) {
			FUZZ_ASSERT(k == n && used == w);
		}
		if (cols >= prev_cols)
			FUZZ_ASSERT(k >= prev_k);
		prev_k = k;
		prev_cols = cols;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		if (!setlocale(LC_CTYPE, "C.UTF-8"))
			setlocale(LC_CTYPE, "");
		ready = 1;
	}
	char *s = fuzz_dup(data, size);
	const unsigned char *u = (const unsigned char *)s;

	/* utf8_decode against the independent decoder, at every offset */
	for (size_t i = 0; i < size; i++) {
		uint32_t a = 0xdeadbeef, b = 0;
		int k = utf8_decode(s + i, size - i, &a);
		size_t want = fuzz_utf8_seq(u + i, size - i, &b);
		FUZZ_ASSERT(k == (want ? (int)want : -1));
		if (want)
			FUZZ_ASSERT(a == b);
		else
			FUZZ_ASSERT(a == 0xdeadbeef);
	}
	uint32_t cp0 = 7;
	FUZZ_ASSERT(utf8_decode(s, 0, &cp0) == -1 && cp0 == 7);

	/* the model */
	struct tbuf model = TBUF_INIT;
	size_t *cuts = malloc((size + 1) * sizeof *cuts);
	FUZZ_ASSERT(cuts);
	size_t ntok = model_escape(u, size, &model, cuts);
	FUZZ_ASSERT(model.len <= size * TEXTSAFE_MAX_EXPANSION);

	/* textsafe_escape with room for everything */
	size_t full_cap = size * TEXTSAFE_MAX_EXPANSION + 1;
	char *full = malloc(full_cap);
	FUZZ_ASSERT(full);
	size_t fl = textsafe_escape(s, size, full, full_cap);
	FUZZ_ASSERT(fl == model.len);
	FUZZ_ASSERT(full[fl] == '\0');
	FUZZ_ASSERT(eq_hexcase(full, tbuf_str(&model), fl));
	FUZZ_ASSERT(fuzz_terminal_safe(full, fl));
	FUZZ_ASSERT(strlen(full) == fl);

	/* tbuf_escape: the same text */
	struct tbuf tb = TBUF_INIT;
	tbuf_puts(&tb, "x");
	tbuf_escape(&tb, s, size);
	FUZZ_ASSERT(tb.len == fl + 1 && tb.data[0] == 'x');
	FUZZ_ASSERT(fl == 0 || memcmp(tb.data + 1, full, fl) == 0);
	tbuf_release(&tb);

	/* bounded: the longest prefix of whole tokens; cap 0 writes nothing */
	size_t caps[4] = {0, 1, size ? (size_t)data[0] % (fl + 2) + 1 : 2,
			  fl /* one short of room for everything */};
	for (size_t c = 0; c < 4; c++) {
		size_t cap = caps[c];
		char *out = malloc(cap ? cap : 1);
		FUZZ_ASSERT(out);
		out[0] = '#';
		size_t got = textsafe_escape(s, size, out, cap);
		if (cap == 0) {
			FUZZ_ASSERT(got == 0 && out[0] == '#');
		} else {
			size_t want = 0;
			for (size_t t = 0; t <= ntok && cuts[t] <= cap - 1; t++)
				want = cuts[t];
			FUZZ_ASSERT(got == want);
			FUZZ_ASSERT(out[got] == '\0');
			FUZZ_ASSERT(got == 0 || memcmp(out, full, got) == 0);
		}
		free(out);
	}

	/* JSON */
	struct tbuf js = TBUF_INIT, dec = TBUF_INIT, want = TBUF_INIT;
	tbuf_json_string(&js, s, size);
	FUZZ_ASSERT(fuzz_terminal_safe(js.data, js.len));
	FUZZ_ASSERT(json_decode(js.data, js.len, &dec) == 0);
	model_json_text(u, size, &want);
	FUZZ_ASSERT(dec.len == want.len);
	FUZZ_ASSERT(want.len == 0 || memcmp(dec.data, want.data, want.len) == 0);
	tbuf_release(&js);
	tbuf_release(&dec);
	tbuf_release(&want);

	/* measuring the escaped text */
	check_fit(full, fl);

	tbuf_release(&model);
	free(cuts);
	free(full);
	free(s);
	return 0;
}
