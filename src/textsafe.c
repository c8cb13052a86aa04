/*
 * textsafe.c - escaping attacker-controlled text for terminals and JSON,
 * and measuring the escaped result in display columns.
 *
 * Key design decision: one classifier (escape_one) turns the next input
 * character into an atomic output token; the bounded and the growable
 * escapers both just copy tokens, so they cannot disagree, and a bounded
 * copy is cut only between tokens.  Runs of printable ASCII, which is
 * nearly all of a mail log, are copied in bulk.
 */
#include <langinfo.h>
#include <string.h>
#include <wchar.h>

#include "tbuf.h"
#include "textsafe.h"

static const char hex_digits[] = "0123456789abcdef";

/* The longest token: "\u202e" (6 bytes). */
#define TOKEN_MAX 8

int utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t v, min;
	size_t len;

	if (n == 0)
		return -1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* 0xc0, 0xc1 can only start overlong forms and 0xf5.. only values
	 * above U+10FFFF, so they are rejected as lead bytes right away. */
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2;
		v = u[0] & 0x1fu;
		min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3;
		v = u[0] & 0x0fu;
		min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4;
		v = u[0] & 0x07u;
		min = 0x10000;
	} else {
		return -1;
	}
	if (n < len)
		return -1;
	for (size_t k = 1; k < len; k++) {
		if ((u[k] & 0xc0) != 0x80)
			return -1;
		v = (v << 6) | (u[k] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return -1;
	*cp = v;
	return (int)len;
}

/* Code points that are valid but must not reach a terminal raw: C1
 * controls (CSI is U+009B) and the bidi/separator characters that make
 * displayed text differ from its logical order (Trojan Source). */
static int cp_is_dangerous(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||
	       cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static int is_print_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

static size_t put_hex_byte(char *tok, unsigned char c)
{
	tok[0] = '\\';
	tok[1] = 'x';
	tok[2] = hex_digits[c >> 4];
	tok[3] = hex_digits[c & 0xf];
	return 4;
}

static size_t put_u4(char *tok, uint32_t cp)
{
	tok[0] = '\\';
	tok[1] = 'u';
	tok[2] = hex_digits[(cp >> 12) & 0xf];
	tok[3] = hex_digits[(cp >> 8) & 0xf];
	tok[4] = hex_digits[(cp >> 4) & 0xf];
	tok[5] = hex_digits[cp & 0xf];
	return 6;
}

/* Escape the character starting at s[0] (n > 0) into tok.  Returns the
 * input bytes consumed; *tok_len gets the token length. */
static size_t escape_one(const char *s, size_t n, char *tok, size_t *tok_len)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;
	int len;

	if (is_print_ascii(c)) {
		tok[0] = (char)c;
		*tok_len = 1;
		return 1;
	}
	if (c < 0x80) {
		char short_form = 0;
		switch (c) {
		case '\0': short_form = '0'; break;
		case '\t': short_form = 't'; break;
		case '\n': short_form = 'n'; break;
		case '\r': short_form = 'r'; break;
		default: break;
		}
		if (short_form) {
			tok[0] = '\\';
			tok[1] = short_form;
			*tok_len = 2;
		} else {
			*tok_len = put_hex_byte(tok, c);
		}
		return 1;
	}
	len = utf8_decode(s, n, &cp);
	if (len < 0) {
		*tok_len = put_hex_byte(tok, c);
		return 1;
	}
	if (cp_is_dangerous(cp)) {
		*tok_len = put_u4(tok, cp);
		return (size_t)len;
	}
	memcpy(tok, s, (size_t)len);
	*tok_len = (size_t)len;
	return (size_t)len;
}

static size_t ascii_run(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && is_print_ascii((unsigned char)s[k]))
		k++;
	return k;
}

size_t textsafe_escape(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0, room;

	if (cap == 0)
		return 0;
	room = cap - 1;
	while (i < n && o < room) {
		size_t run = ascii_run(s + i, n - i);
		char tok[TOKEN_MAX];
		size_t tok_len, used;

		if (run > 0) {
			if (run > room - o)
				run = room - o;
			memcpy(out + o, s + i, run);
			o += run;
			i += run;
			continue;
		}
		used = escape_one(s + i, n - i, tok, &tok_len);
		if (tok_len > room - o)
			break;
		memcpy(out + o, tok, tok_len);
		o += tok_len;
		i += used;
	}
	out[o] = '\0';
	return o;
}

void tbuf_escape(struct tbuf *b, const char *s, size_t n)
{
	size_t i = 0;

	/* Mostly clean text: reserve once for the common case. */
	tbuf_grow(b, n);
	while (i < n) {
		size_t run = ascii_run(s + i, n - i);
		char tok[TOKEN_MAX];
		size_t tok_len;

		if (run > 0) {
			tbuf_putn(b, s + i, run);
			i += run;
			continue;
		}
		i += escape_one(s + i, n - i, tok, &tok_len);
		tbuf_putn(b, tok, tok_len);
	}
}

void tbuf_json_string(struct tbuf *b, const char *s, size_t n)
{
	size_t i = 0;

	tbuf_grow(b, n + 2);
	tbuf_putc(b, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		char tok[TOKEN_MAX];
		uint32_t cp;
		int len;
		size_t k = i;

		while (k < n && is_print_ascii((unsigned char)s[k]) &&
		       s[k] != '"' && s[k] != '\\')
			k++;
		if (k > i) {
			tbuf_putn(b, s + i, k - i);
			i = k;
			continue;
		}
		if (c == '"' || c == '\\') {
			tok[0] = '\\';
			tok[1] = (char)c;
			tbuf_putn(b, tok, 2);
			i++;
			continue;
		}
		if (c < 0x80) {
			char short_form = 0;
			switch (c) {
			case '\b': short_form = 'b'; break;
			case '\f': short_form = 'f'; break;
			case '\n': short_form = 'n'; break;
			case '\r': short_form = 'r'; break;
			case '\t': short_form = 't'; break;
			default: break;
			}
			if (short_form) {
				tok[0] = '\\';
				tok[1] = short_form;
				tbuf_putn(b, tok, 2);
			} else {
				tbuf_putn(b, tok, put_u4(tok, c));
			}
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len < 0) {
			tbuf_putn(b, "\xef\xbf\xbd", 3);
			i++;
		} else if (cp_is_dangerous(cp)) {
			tbuf_putn(b, tok, put_u4(tok, cp));
			i += (size_t)len;
		} else {
			tbuf_putn(b, s + i, (size_t)len);
			i += (size_t)len;
		}
	}
	tbuf_putc(b, '"');
}

/* Whether LC_CTYPE is UTF-8.  glibc says "UTF-8"; other libcs have been
 * seen to say "utf8", so compare loosely. */
static int locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	const char *want = "utf8";

	if (!cs)
		return 0;
	for (; *cs; cs++) {
		char c = *cs;

		if (c == '-' || c == '_')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *want)
			return 0;
		want++;
	}
	return *want == '\0';
}

static size_t cp_width(uint32_t cp, int utf8)
{
	int w;

	if (cp < 0x80 || !utf8)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

size_t textsafe_width(const char *s, size_t n)
{
	int utf8 = locale_is_utf8();
	size_t i = 0, cols = 0;

	while (i < n) {
		uint32_t cp;
		int len;

		if (is_print_ascii((unsigned char)s[i])) {
			cols++;
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len < 0) {
			cols++;
			i++;
			continue;
		}
		cols += cp_width(cp, utf8);
		i += (size_t)len;
	}
	return cols;
}

size_t textsafe_fit(const char *s, size_t n, size_t cols, size_t *used_cols)
{
	int utf8 = locale_is_utf8();
	size_t i = 0, used = 0;

	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		size_t w;

		if (len < 0) {
			len = 1;
			w = 1;
		} else {
			w = cp_width(cp, utf8);
		}
		/* used <= cols always holds, so the subtraction is safe; a
		 * zero-width mark passes whenever its base did. */
		if (w > cols - used)
			break;
		used += w;
		i += (size_t)len;
	}
	if (used_cols)
		*used_cols = used;
	return i;
}
