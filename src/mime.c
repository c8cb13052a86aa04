/*
 * mime.c - RFC 2047 encoded-word decoding into UTF-8.
 *
 * Key design decision: charsets are 128-entry tables written out here, not
 * iconv, so decoding works without glibc's gconv modules.  Each word is
 * first checked and decoded to bytes on its own (a bad word stays literal
 * text); the bytes of adjacent words in the same charset are then joined
 * and converted together, which repairs UTF-8 characters that senders split
 * across two words.
 *
 * Sample, from /work/shared/samples/postfix/whyscream_postfix-grok-patterns_test-bodies.log
 * (Postfix header_checks, RFC 2047 sections 2, 4 and 6.2):
 *   D95341E50350: info: header Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?= =?utf-8?Q?_=E2=80=92?= test from local; ...
 */
#include <stdint.h>
#include <string.h>

#include "mime.h"
#include "tbuf.h"

/* Charset names longer than this are not real; it also bounds how far a
 * lone "=?" makes the scanner look ahead. */
#define MIME_CHARSET_MAX 64

enum mime_cs {
	MIME_CS_UNKNOWN,
	MIME_CS_UTF8,
	MIME_CS_ASCII,
	MIME_CS_LATIN2,
	MIME_CS_LATIN9,
	MIME_CS_CP1250,
	MIME_CS_CP1252,
	MIME_CS_KOI8R,
};

/*
 * Upper halves (bytes 0x80-0xFF) of the single-byte code pages, as Unicode
 * code points.  From the Unicode consortium mapping files
 * (unicode.org/Public/MAPPINGS: ISO8859/8859-2.TXT, ISO8859/8859-15.TXT,
 * VENDORS/MICSFT/WINDOWS/CP1250.TXT, CP1252.TXT, VENDORS/MISC/KOI8-R.TXT,
 * the last being RFC 1489).  0xFFFD marks bytes the code page leaves
 * undefined.
 */
static const uint16_t cs_latin2[128] = {
	/* 80 */ 0x0080, 0x0081, 0x0082, 0x0083, 0x0084, 0x0085, 0x0086, 0x0087,
	/* 88 */ 0x0088, 0x0089, 0x008A, 0x008B, 0x008C, 0x008D, 0x008E, 0x008F,
	/* 90 */ 0x0090, 0x0091, 0x0092, 0x0093, 0x0094, 0x0095, 0x0096, 0x0097,
	/* 98 */ 0x0098, 0x0099, 0x009A, 0x009B, 0x009C, 0x009D, 0x009E, 0x009F,
	/* A0 */ 0x00A0, 0x0104, 0x02D8, 0x0141, 0x00A4, 0x013D, 0x015A, 0x00A7,
	/* A8 */ 0x00A8, 0x0160, 0x015E, 0x0164, 0x0179, 0x00AD, 0x017D, 0x017B,
	/* B0 */ 0x00B0, 0x0105, 0x02DB, 0x0142, 0x00B4, 0x013E, 0x015B, 0x02C7,
	/* B8 */ 0x00B8, 0x0161, 0x015F, 0x0165, 0x017A, 0x02DD, 0x017E, 0x017C,
	/* C0 */ 0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,
	/* C8 */ 0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E,
	/* D0 */ 0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7,
	/* D8 */ 0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,
	/* E0 */ 0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7,
	/* E8 */ 0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F,
	/* F0 */ 0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,
	/* F8 */ 0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,
};

static const uint16_t cs_latin9[128] = {
	/* 80 */ 0x0080, 0x0081, 0x0082, 0x0083, 0x0084, 0x0085, 0x0086, 0x0087,
	/* 88 */ 0x0088, 0x0089, 0x008A, 0x008B, 0x008C, 0x008D, 0x008E, 0x008F,
	/* 90 */ 0x0090, 0x0091, 0x0092, 0x0093, 0x0094, 0x0095, 0x0096, 0x0097,
	/* 98 */ 0x0098, 0x0099, 0x009A, 0x009B, 0x009C, 0x009D, 0x009E, 0x009F,
	/* A0 */ 0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x20AC, 0x00A5, 0x0160, 0x00A7,
	/* A8 */ 0x0161, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
	/* B0 */ 0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x017D, 0x00B5, 0x00B6, 0x00B7,
	/* B8 */ 0x017E, 0x00B9, 0x00BA, 0x00BB, 0x0152, 0x0153, 0x0178, 0x00BF,
	/* C0 */ 0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
	/* C8 */ 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
	/* D0 */ 0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
	/* D8 */ 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
	/* E0 */ 0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
	/* E8 */ 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
	/* F0 */ 0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
	/* F8 */ 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
};

static const uint16_t cs_cp1250[128] = {
	/* 80 */ 0x20AC, 0xFFFD, 0x201A, 0xFFFD, 0x201E, 0x2026, 0x2020, 0x2021,
	/* 88 */ 0xFFFD, 0x2030, 0x0160, 0x2039, 0x015A, 0x0164, 0x017D, 0x0179,
	/* 90 */ 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	/* 98 */ 0xFFFD, 0x2122, 0x0161, 0x203A, 0x015B, 0x0165, 0x017E, 0x017A,
	/* A0 */ 0x00A0, 0x02C7, 0x02D8, 0x0141, 0x00A4, 0x0104, 0x00A6, 0x00A7,
	/* A8 */ 0x00A8, 0x00A9, 0x015E, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x017B,
	/* B0 */ 0x00B0, 0x00B1, 0x02DB, 0x0142, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
	/* B8 */ 0x00B8, 0x0105, 0x015F, 0x00BB, 0x013D, 0x02DD, 0x013E, 0x017C,
	/* C0 */ 0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,
	/* C8 */ 0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E,
	/* D0 */ 0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7,
	/* D8 */ 0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,
	/* E0 */ 0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7,
	/* E8 */ 0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F,
	/* F0 */ 0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,
	/* F8 */ 0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,
};

static const uint16_t cs_cp1252[128] = {
	/* 80 */ 0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	/* 88 */ 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	/* 90 */ 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	/* 98 */ 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
	/* A0 */ 0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
	/* A8 */ 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
	/* B0 */ 0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
	/* B8 */ 0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
	/* C0 */ 0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
	/* C8 */ 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
	/* D0 */ 0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
	/* D8 */ 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
	/* E0 */ 0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
	/* E8 */ 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
	/* F0 */ 0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
	/* F8 */ 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
};

static const uint16_t cs_koi8r[128] = {
	/* 80 */ 0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518, 0x251C, 0x2524,
	/* 88 */ 0x252C, 0x2534, 0x253C, 0x2580, 0x2584, 0x2588, 0x258C, 0x2590,
	/* 90 */ 0x2591, 0x2592, 0x2593, 0x2320, 0x25A0, 0x2219, 0x221A, 0x2248,
	/* 98 */ 0x2264, 0x2265, 0x00A0, 0x2321, 0x00B0, 0x00B2, 0x00B7, 0x00F7,
	/* A0 */ 0x2550, 0x2551, 0x2552, 0x0451, 0x2553, 0x2554, 0x2555, 0x2556,
	/* A8 */ 0x2557, 0x2558, 0x2559, 0x255A, 0x255B, 0x255C, 0x255D, 0x255E,
	/* B0 */ 0x255F, 0x2560, 0x2561, 0x0401, 0x2562, 0x2563, 0x2564, 0x2565,
	/* B8 */ 0x2566, 0x2567, 0x2568, 0x2569, 0x256A, 0x256B, 0x256C, 0x00A9,
	/* C0 */ 0x044E, 0x0430, 0x0431, 0x0446, 0x0434, 0x0435, 0x0444, 0x0433,
	/* C8 */ 0x0445, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E,
	/* D0 */ 0x043F, 0x044F, 0x0440, 0x0441, 0x0442, 0x0443, 0x0436, 0x0432,
	/* D8 */ 0x044C, 0x044B, 0x0437, 0x0448, 0x044D, 0x0449, 0x0447, 0x044A,
	/* E0 */ 0x042E, 0x0410, 0x0411, 0x0426, 0x0414, 0x0415, 0x0424, 0x0413,
	/* E8 */ 0x0425, 0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E,
	/* F0 */ 0x041F, 0x042F, 0x0420, 0x0421, 0x0422, 0x0423, 0x0416, 0x0412,
	/* F8 */ 0x042C, 0x042B, 0x0417, 0x0428, 0x042D, 0x0429, 0x0427, 0x042A,
};

/* Names are compared lower-cased with '-' and '_' dropped, so "ISO_8859-2",
 * "iso-8859-2" and "ISO8859-2" are one entry.  ISO-8859-1 maps to
 * Windows-1252 on purpose (see mime.h). */
static const struct {
	const char *name;
	enum mime_cs cs;
} cs_names[] = {
	{ "utf8", MIME_CS_UTF8 },
	{ "usascii", MIME_CS_ASCII },
	{ "ascii", MIME_CS_ASCII },
	{ "iso88591", MIME_CS_CP1252 },
	{ "iso88591:1987", MIME_CS_CP1252 },
	{ "latin1", MIME_CS_CP1252 },
	{ "l1", MIME_CS_CP1252 },
	{ "windows1252", MIME_CS_CP1252 },
	{ "cp1252", MIME_CS_CP1252 },
	{ "xcp1252", MIME_CS_CP1252 },
	{ "iso88592", MIME_CS_LATIN2 },
	{ "iso88592:1987", MIME_CS_LATIN2 },
	{ "latin2", MIME_CS_LATIN2 },
	{ "l2", MIME_CS_LATIN2 },
	{ "iso885915", MIME_CS_LATIN9 },
	{ "latin9", MIME_CS_LATIN9 },
	{ "windows1250", MIME_CS_CP1250 },
	{ "cp1250", MIME_CS_CP1250 },
	{ "xcp1250", MIME_CS_CP1250 },
	{ "koi8r", MIME_CS_KOI8R },
	{ "cskoi8r", MIME_CS_KOI8R },
};

/* One syntactically valid encoded word: =?charset[*lang]?enc?text?= */
struct mime_word {
	const char *charset;   /* without the *lang suffix */
	size_t charset_len;
	char enc;              /* 'B' or 'Q' */
	const char *text;
	size_t text_len;
	size_t end;            /* offset just past "?=" */
};

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static enum mime_cs cs_lookup(const char *name, size_t len)
{
	char norm[MIME_CHARSET_MAX + 1];
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		if (name[i] == '-' || name[i] == '_')
			continue;
		norm[k++] = (char)ascii_lower((unsigned char)name[i]);
	}
	norm[k] = '\0';
	for (size_t i = 0; i < sizeof cs_names / sizeof cs_names[0]; i++)
		if (strcmp(norm, cs_names[i].name) == 0)
			return cs_names[i].cs;
	return MIME_CS_UNKNOWN;
}

static int names_equal_ci(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Encoded-text and charset characters: printable ASCII except '?' and
 * space (RFC 2047 section 2).  Especials are tolerated in charset names. */
static int is_word_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '?';
}

/* Recognise an encoded word starting at s[i] ("=?" already seen).
 * Returns 0 and fills *w, or -1 when the syntax is wrong. */
static int word_parse(const char *s, size_t n, size_t i, struct mime_word *w)
{
	size_t j = i + 2, cs_start = j, cs_len, k;

	while (j < n && j - cs_start <= MIME_CHARSET_MAX && is_word_char((unsigned char)s[j]))
		j++;
	if (j - cs_start > MIME_CHARSET_MAX || j >= n || s[j] != '?')
		return -1;
	for (k = cs_start; k < j; k++)
		if (s[k] == '*')
			break;
	cs_len = k - cs_start;
	if (cs_len == 0)
		return -1;
	/* j is at the '?' after the charset: need "B?" or "Q?". */
	if (n - j < 3 || s[j + 2] != '?')
		return -1;
	w->enc = (char)(ascii_lower((unsigned char)s[j + 1]) == 'b' ? 'B' :
			ascii_lower((unsigned char)s[j + 1]) == 'q' ? 'Q' : 0);
	if (!w->enc)
		return -1;
	k = j + 3;
	while (k < n && is_word_char((unsigned char)s[k]))
		k++;
	if (n - k < 2 || s[k] != '?' || s[k + 1] != '=')
		return -1;
	w->charset = s + cs_start;
	w->charset_len = cs_len;
	w->text = s + j + 3;
	w->text_len = k - (j + 3);
	w->end = k + 2;
	return 0;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Base64 with optional padding.  Anything outside the alphabet, data after
 * padding, more than two '=' or a lone trailing sextet is malformed. */
static int decode_b(const char *t, size_t n, struct tbuf *raw)
{
	unsigned acc = 0, bits = 0;
	size_t k, data, pad;

	for (k = 0; k < n && t[k] != '='; k++) {
		int v = b64_value((unsigned char)t[k]);

		if (v < 0)
			return -1;
		acc = ((acc << 6) | (unsigned)v) & 0xfffu;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			tbuf_putc(raw, (char)((acc >> bits) & 0xffu));
		}
	}
	data = k;
	for (pad = 0; k < n; k++, pad++)
		if (t[k] != '=')
			return -1;
	if (data % 4 == 1 || pad > 2)
		return -1;
	return 0;
}

/* Q encoding (RFC 2047 section 4.2).  A '=' not followed by two hex digits
 * is malformed. */
static int decode_q(const char *t, size_t n, struct tbuf *raw)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)t[k];

		if (c == '_') {
			tbuf_putc(raw, ' ');
		} else if (c == '=') {
			int hi, lo;

			if (n - k < 3)
				return -1;
			hi = hex_value((unsigned char)t[k + 1]);
			lo = hex_value((unsigned char)t[k + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			tbuf_putc(raw, (char)(hi << 4 | lo));
			k += 2;
		} else {
			tbuf_putc(raw, (char)c);
		}
	}
	return 0;
}

static void put_utf8(struct tbuf *out, uint32_t cp)
{
	char u[3];

	if (cp < 0x80) {
		tbuf_putc(out, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		tbuf_putn(out, u, 2);
	} else {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		tbuf_putn(out, u, 3);
	}
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0.  Kept local (not
 * textsafe's utf8_decode) so this module depends on tbuf alone. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t v;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	v = s[0] & (0x7fu >> len);
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3fu);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return len;
}

static int utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t len = utf8_seq(u + i, n - i);

		if (len == 0)
			return 0;
		i += len;
	}
	return 1;
}

/* Convert the joined bytes of one run of words from charset cs to UTF-8. */
static void run_flush(struct tbuf *out, const struct tbuf *raw, enum mime_cs cs)
{
	const unsigned char *u = (const unsigned char *)raw->data;
	const uint16_t *table = NULL;
	size_t n = raw->len;

	switch (cs) {
	case MIME_CS_LATIN2: table = cs_latin2; break;
	case MIME_CS_LATIN9: table = cs_latin9; break;
	case MIME_CS_CP1250: table = cs_cp1250; break;
	case MIME_CS_CP1252: table = cs_cp1252; break;
	case MIME_CS_KOI8R:  table = cs_koi8r; break;
	default: break;
	}
	if (n == 0)
		return;
	if (table) {
		for (size_t i = 0; i < n; i++)
			put_utf8(out, u[i] < 0x80 ? u[i] : table[u[i] - 0x80]);
		return;
	}
	if (cs == MIME_CS_UTF8) {
		size_t i = 0;

		while (i < n) {
			size_t len = utf8_seq(u + i, n - i);

			if (len == 0) {
				put_utf8(out, 0xfffd);
				i++;
			} else {
				tbuf_putn(out, raw->data + i, len);
				i += len;
			}
		}
		return;
	}
	/* US-ASCII or unknown: mislabelled UTF-8 is common enough to keep. */
	if (utf8_valid(raw->data, n)) {
		tbuf_putn(out, raw->data, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		put_utf8(out, u[i] < 0x80 ? u[i] : 0xfffd);
}

static int is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int all_fws(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_fws(s[i]))
			return 0;
	return 1;
}

size_t mime_decode_header(const char *s, size_t n, struct tbuf *out)
{
	struct tbuf raw = TBUF_INIT;    /* joined bytes of the current run */
	struct tbuf word = TBUF_INIT;   /* bytes of the word being checked */
	struct mime_word run = { 0 };   /* first word of the current run */
	enum mime_cs run_cs = MIME_CS_UNKNOWN;
	int in_run = 0;
	size_t i = 0, lit = 0, words = 0;

	while (i + 1 < n) {
		const char *eq = memchr(s + i, '=', n - i - 1);
		struct mime_word w;
		enum mime_cs cs;
		int rc;

		if (!eq)
			break;
		i = (size_t)(eq - s);
		if (s[i + 1] != '?' || word_parse(s, n, i, &w) < 0) {
			i++;
			continue;
		}
		tbuf_reset(&word);
		rc = w.enc == 'B' ? decode_b(w.text, w.text_len, &word)
				  : decode_q(w.text, w.text_len, &word);
		if (rc < 0) {
			i++;
			continue;
		}
		cs = cs_lookup(w.charset, w.charset_len);
		if (in_run && all_fws(s + lit, i - lit)) {
			if (cs != run_cs || (cs == MIME_CS_UNKNOWN &&
			    !names_equal_ci(run.charset, run.charset_len,
					    w.charset, w.charset_len))) {
				run_flush(out, &raw, run_cs);
				tbuf_reset(&raw);
				run = w;
				run_cs = cs;
			}
		} else {
			if (in_run) {
				run_flush(out, &raw, run_cs);
				tbuf_reset(&raw);
			}
			tbuf_putn(out, s + lit, i - lit);
			in_run = 1;
			run = w;
			run_cs = cs;
		}
		tbuf_putn(&raw, word.data, word.len);
		words++;
		i = lit = w.end;
	}
	if (in_run)
		run_flush(out, &raw, run_cs);
	if (n > lit)
		tbuf_putn(out, s + lit, n - lit);
	tbuf_release(&raw);
	tbuf_release(&word);
	return words;
}
