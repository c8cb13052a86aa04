/*
 * test_output.c - the renderings: NDJSON message objects (docs/json.md is
 * the contract), the --list rows and the --trace text.
 *
 * JSON is checked by a strict parser written here (RFC 8259: no trailing
 * commas, no leading zeros, no raw control characters, valid UTF-8, paired
 * surrogates, no duplicate keys) that builds a small tree, so values can be
 * compared.  The keys each object must have are read from the tables of
 * docs/json.md itself, so the output and its documentation cannot drift
 * apart.  Expected values for B7E21E0517 are those of the example in
 * docs/json.md and of logs-sample/postfix/mail.log.1.
 *
 * Hostile input: a hand-built store whose every string field carries
 * terminal escapes (CSI, OSC 52 clipboard write), C1 controls, bidi
 * overrides, invalid UTF-8 and NUL, and a log file of real Postfix line
 * shapes carrying the same, read through the loader.  Nothing of it may
 * reach the output raw.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "load.h"
#include "output.h"
#include "parser.h"
#include "store.h"
#include "tbuf.h"
#include "textsafe.h"
#include "trace.h"

/* --- a strict JSON parser ------------------------------------------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype type;
	int boolean;
	int is_int;
	long long ival;
	char *str;              /* J_STR: decoded UTF-8, NUL-terminated */
	size_t slen;
	struct jv **items;      /* J_ARR values, J_OBJ values */
	char **keys;            /* J_OBJ */
	size_t n;
};

/* Every allocation of a parse, freed together (also after a failed
 * assertion, by the teardown). */
static void **arena;
static size_t arena_n, arena_cap;

static void *jalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	assert_non_null(p);
	if (arena_n == arena_cap) {
		arena_cap = arena_cap ? arena_cap * 2 : 256;
		arena = realloc(arena, arena_cap * sizeof *arena);
		assert_non_null(arena);
	}
	arena[arena_n++] = p;
	return p;
}

static void *jrealloc(void *old, size_t n)
{
	void *p = realloc(old, n);
	assert_non_null(p);
	for (size_t i = 0; i < arena_n; i++)
		if (arena[i] == old) {
			arena[i] = p;
			return p;
		}
	if (arena_n == arena_cap) {
		arena_cap = arena_cap ? arena_cap * 2 : 256;
		arena = realloc(arena, arena_cap * sizeof *arena);
		assert_non_null(arena);
	}
	arena[arena_n++] = p;
	return p;
}

static void jfree_all(void)
{
	for (size_t i = 0; i < arena_n; i++)
		free(arena[i]);
	free(arena);
	arena = NULL;
	arena_n = arena_cap = 0;
}

struct jp {
	const unsigned char *s;
	size_t n, i;
	char err[200];
};

static int jfail(struct jp *p, const char *why)
{
	if (!p->err[0])
		snprintf(p->err, sizeof p->err, "%s at byte %zu", why, p->i);
	return -1;
}

static void jws(struct jp *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
			       p->s[p->i] == '\r'))
		p->i++;
}

/* Length of a valid UTF-8 sequence at s[0..n), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	uint32_t cp, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static void put_utf8(char *out, size_t *o, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xC0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xE0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[(*o)++] = (char)(0xF0 | cp >> 18);
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	}
}

static int hex4(struct jp *p, uint32_t *v)
{
	if (p->n - p->i < 4)
		return jfail(p, "short \\u escape");
	*v = 0;
	for (int k = 0; k < 4; k++) {
		unsigned char c = p->s[p->i++];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return jfail(p, "bad hex digit in \\u escape");
	}
	return 0;
}

static int jstring(struct jp *p, char **out, size_t *outlen)
{
	if (p->i >= p->n || p->s[p->i] != '"')
		return jfail(p, "expected a string");
	p->i++;
	/* decoded text is never longer than the source */
	char *buf = jalloc(p->n - p->i + 1);
	size_t o = 0;
	for (;;) {
		if (p->i >= p->n)
			return jfail(p, "unterminated string");
		unsigned char c = p->s[p->i];
		if (c == '"') {
			p->i++;
			break;
		}
		if (c < 0x20)
			return jfail(p, "raw control character in a string");
		if (c == '\\') {
			p->i++;
			if (p->i >= p->n)
				return jfail(p, "unterminated escape");
			unsigned char e = p->s[p->i++];
			switch (e) {
			case '"': buf[o++] = '"'; break;
			case '\\': buf[o++] = '\\'; break;
			case '/': buf[o++] = '/'; break;
			case 'b': buf[o++] = '\b'; break;
			case 'f': buf[o++] = '\f'; break;
			case 'n': buf[o++] = '\n'; break;
			case 'r': buf[o++] = '\r'; break;
			case 't': buf[o++] = '\t'; break;
			case 'u': {
				uint32_t v;
				if (hex4(p, &v))
					return -1;
				if (v >= 0xDC00 && v <= 0xDFFF)
					return jfail(p, "lone low surrogate");
				if (v >= 0xD800 && v <= 0xDBFF) {
					uint32_t lo;
					if (p->n - p->i < 2 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
						return jfail(p, "lone high surrogate");
					p->i += 2;
					if (hex4(p, &lo))
						return -1;
					if (lo < 0xDC00 || lo > 0xDFFF)
						return jfail(p, "bad low surrogate");
					v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
				}
				put_utf8(buf, &o, v);
				break;
			}
			default:
				return jfail(p, "unknown escape");
			}
			continue;
		}
		size_t l = utf8_len(p->s + p->i, p->n - p->i);
		if (!l)
			return jfail(p, "invalid UTF-8 in a string");
		memcpy(buf + o, p->s + p->i, l);
		o += l;
		p->i += l;
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return 0;
}

static int jvalue(struct jp *p, struct jv **out, int depth);

static int jnumber(struct jp *p, struct jv *v)
{
	size_t start = p->i;
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i >= p->n)
		return jfail(p, "bad number");
	if (p->s[p->i] == '0') {
		p->i++;
		if (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			return jfail(p, "leading zero");
	} else if (p->s[p->i] >= '1' && p->s[p->i] <= '9') {
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	} else {
		return jfail(p, "bad number");
	}
	int is_int = 1;
	if (p->i < p->n && p->s[p->i] == '.') {
		is_int = 0;
		p->i++;
		size_t d = p->i;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
		if (p->i == d)
			return jfail(p, "no digits after the point");
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		is_int = 0;
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		size_t d = p->i;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
		if (p->i == d)
			return jfail(p, "no digits in the exponent");
	}
	v->type = J_NUM;
	v->is_int = is_int;
	if (is_int) {
		char tmp[32];
		size_t len = p->i - start;
		if (len >= sizeof tmp)
			return jfail(p, "integer too long");
		memcpy(tmp, p->s + start, len);
		tmp[len] = '\0';
		v->ival = strtoll(tmp, NULL, 10);
	}
	return 0;
}

static int jlit(struct jp *p, const char *lit)
{
	size_t l = strlen(lit);
	if (p->n - p->i < l || memcmp(p->s + p->i, lit, l) != 0)
		return jfail(p, "unexpected text");
	p->i += l;
	return 0;
}

static void jpush(struct jv *v, struct jv *item, char *key)
{
	v->items = jrealloc(v->items, (v->n + 1) * sizeof *v->items);
	v->items[v->n] = item;
	if (v->type == J_OBJ) {
		v->keys = jrealloc(v->keys, (v->n + 1) * sizeof *v->keys);
		v->keys[v->n] = key;
	}
	v->n++;
}

static int jvalue(struct jp *p, struct jv **out, int depth)
{
	if (depth > 64)
		return jfail(p, "too deep");
	jws(p);
	if (p->i >= p->n)
		return jfail(p, "expected a value");
	struct jv *v = jalloc(sizeof *v);
	*out = v;
	unsigned char c = p->s[p->i];
	if (c == '{') {
		v->type = J_OBJ;
		p->i++;
		jws(p);
		if (p->i < p->n && p->s[p->i] == '}') {
			p->i++;
			return 0;
		}
		for (;;) {
			jws(p);
			char *key;
			size_t klen;
			if (jstring(p, &key, &klen))
				return -1;
			if (strlen(key) != klen)
				return jfail(p, "NUL in a key");
			for (size_t k = 0; k < v->n; k++)
				if (strcmp(v->keys[k], key) == 0)
					return jfail(p, "duplicate key");
			jws(p);
			if (p->i >= p->n || p->s[p->i] != ':')
				return jfail(p, "expected ':'");
			p->i++;
			struct jv *item;
			if (jvalue(p, &item, depth + 1))
				return -1;
			jpush(v, item, key);
			jws(p);
			if (p->i < p->n && p->s[p->i] == ',') {
				p->i++;
				continue;
			}
			if (p->i < p->n && p->s[p->i] == '}') {
				p->i++;
				return 0;
			}
			return jfail(p, "expected ',' or '}'");
		}
	}
	if (c == '[') {
		v->type = J_ARR;
		p->i++;
		jws(p);
		if (p->i < p->n && p->s[p->i] == ']') {
			p->i++;
			return 0;
		}
		for (;;) {
			struct jv *item;
			if (jvalue(p, &item, depth + 1))
				return -1;
			jpush(v, item, NULL);
			jws(p);
			if (p->i < p->n && p->s[p->i] == ',') {
				p->i++;
				continue;
			}
			if (p->i < p->n && p->s[p->i] == ']') {
				p->i++;
				return 0;
			}
			return jfail(p, "expected ',' or ']'");
		}
	}
	if (c == '"') {
		v->type = J_STR;
		return jstring(p, &v->str, &v->slen);
	}
	if (c == 't') {
		v->type = J_BOOL;
		v->boolean = 1;
		return jlit(p, "true");
	}
	if (c == 'f') {
		v->type = J_BOOL;
		return jlit(p, "false");
	}
	if (c == 'n') {
		v->type = J_NULL;
		return jlit(p, "null");
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return jnumber(p, v);
	return jfail(p, "unexpected character");
}

/* Parse one whole document: the tree, or NULL with the reason in err. */
static struct jv *jparse_try(const char *text, size_t n, char *err, size_t errlen)
{
	struct jp p = {(const unsigned char *)text, n, 0, ""};
	struct jv *v = NULL;
	if (jvalue(&p, &v, 0) == 0) {
		jws(&p);
		if (p.i != p.n)
			jfail(&p, "text after the value");
	}
	snprintf(err, errlen, "%s", p.err);
	return p.err[0] ? NULL : v;
}

/* The same; an invalid document fails the test with the reason. */
static struct jv *jparse(const char *text, size_t n)
{
	char err[200];
	struct jv *v = jparse_try(text, n, err, sizeof err);
	if (!v)
		fail_msg("invalid JSON: %s in %.300s", err, text);
	return v;
}

static const struct jv *jget(const struct jv *o, const char *key)
{
	assert_int_equal(o->type, J_OBJ);
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return o->items[i];
	fail_msg("no key \"%s\"", key);
	return NULL;
}

static void expect_str(const struct jv *o, const char *key, const char *want)
{
	const struct jv *v = jget(o, key);
	if (!want) {
		if (v->type != J_NULL)
			fail_msg("\"%s\" is not null", key);
		return;
	}
	if (v->type != J_STR || strcmp(v->str, want) != 0)
		fail_msg("\"%s\" is %s, want \"%s\"", key, v->type == J_STR ? v->str : "not a string",
			 want);
}

static void expect_int(const struct jv *o, const char *key, long long want)
{
	const struct jv *v = jget(o, key);
	if (v->type != J_NUM || !v->is_int || v->ival != want)
		fail_msg("\"%s\" is not the integer %lld", key, want);
}

/* The validator itself: it must refuse what RFC 8259 refuses. */
static void test_json_validator(void **state)
{
	(void)state;
	static const char *const good[] = {
		"{}", "[]", "0", "-0", "1.5e3", "-12.25E-2", "\"\"", "null", " true ",
		"{\"a\":[1,-0,1.5e3,true,false,null,\"\\u00e9\\ud83d\\ude00\\/\\n\"],\"b\":{}}",
		"\"za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 \xf0\x9f\x93\xa7\"",
		"\"\x7f raw DEL is valid JSON\"",
	};
	static const char *const bad[] = {
		"", "{", "{\"a\":1,}", "[1,]", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "{\"a\" 1}",
		"{\"a\":1,\"a\":2}", "{a:1}", "[1] x", "[1][2]", "\"abc", "tru", "nul", "[NaN]",
		"\"\\x41\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
		"\"\x01\"", "\"tab\there\"", "\"\xff\"", "\"\xc3(\"", "\"\xed\xa0\x80\"",
		"\"\xc0\xaf\"", "\"\xf4\x90\x80\x80\"", "['a']", "{\"a\":1}\n{}",
	};
	char err[200];
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!jparse_try(good[i], strlen(good[i]), err, sizeof err))
			fail_msg("valid JSON refused: %s: %s", good[i], err);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (jparse_try(bad[i], strlen(bad[i]), err, sizeof err))
			fail_msg("invalid JSON accepted: %s", bad[i]);
	/* a NUL inside the text is not JSON either */
	assert_null(jparse_try("\"a\0b\"", 5, err, sizeof err));
	/* decoding */
	static const char doc[] = "{\"k\":\"\\u0041\\u00e9\\ud83d\\ude00\",\"n\":-42}";
	const struct jv *v = jparse(doc, sizeof doc - 1);
	expect_str(v, "k", "A\xc3\xa9\xf0\x9f\x98\x80");
	expect_int(v, "n", -42);
}

/* --- the contract: keys from docs/json.md ---------------------------------- */

#define MAX_KEYS 40
struct keyset {
	char keys[MAX_KEYS][32];
	size_t n;
};

static struct keyset doc_msg, doc_rcpt, doc_ev;

/* First-column keys of the table under the heading. */
static void doc_table(const char *doc, const char *heading, struct keyset *ks)
{
	memset(ks, 0, sizeof *ks);
	const char *h = strstr(doc, heading);
	if (!h)
		fail_msg("docs/json.md has no \"%s\"", heading);
	const char *p = strchr(h, '\n');
	while (p && *p) {
		p++;
		const char *eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		if (*p == '#')
			break; /* next heading */
		if (*p == '|' && strncmp(p, "| key", 5) != 0 && strncmp(p, "|---", 4) != 0) {
			const char *cell_end = memchr(p + 1, '|', (size_t)(eol - p - 1));
			for (const char *q = p + 1; cell_end && q < cell_end;) {
				const char *a = memchr(q, '`', (size_t)(cell_end - q));
				if (!a)
					break;
				const char *b = memchr(a + 1, '`', (size_t)(cell_end - a - 1));
				if (!b)
					break;
				assert_true(ks->n < MAX_KEYS);
				assert_true((size_t)(b - a - 1) < sizeof ks->keys[0]);
				memcpy(ks->keys[ks->n], a + 1, (size_t)(b - a - 1));
				ks->n++;
				q = b + 1;
			}
		}
		p = *eol ? eol : NULL;
	}
	if (ks->n == 0)
		fail_msg("no keys under \"%s\" in docs/json.md", heading);
}

static void load_doc_keys(void)
{
	FILE *f = fopen("docs/json.md", "rb");
	assert_non_null(f);
	static char doc[1 << 17];
	size_t n = fread(doc, 1, sizeof doc - 1, f);
	fclose(f);
	doc[n] = '\0';
	doc_table(doc, "## Message object", &doc_msg);
	doc_table(doc, "### Recipient", &doc_rcpt);
	doc_table(doc, "### Event", &doc_ev);
}

/* o has exactly the documented keys. */
static void check_keys(const struct jv *o, const struct keyset *ks, const char *what)
{
	assert_int_equal(o->type, J_OBJ);
	for (size_t k = 0; k < ks->n; k++) {
		size_t i = 0;
		while (i < o->n && strcmp(o->keys[i], ks->keys[k]) != 0)
			i++;
		if (i == o->n)
			fail_msg("%s: documented key \"%s\" missing", what, ks->keys[k]);
	}
	for (size_t i = 0; i < o->n; i++) {
		size_t k = 0;
		while (k < ks->n && strcmp(o->keys[i], ks->keys[k]) != 0)
			k++;
		if (k == ks->n)
			fail_msg("%s: key \"%s\" is not in docs/json.md", what, o->keys[i]);
	}
}

static int one_of(const char *s, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static const char *const msg_status[] = {"delivered", "bounced", "deferred", "expired", "rejected",
					  "queued", "partial", NULL};
static const char *const rcpt_status[] = {"delivered", "bounced", "deferred", "expired",
					   "rejected", "queued", NULL};
static const char *const formats[] = {"postfix", "exim", "directadmin", "gws", "emaillabs", NULL};
static const char *const links[] = {"next_hop", "forwarded", "bounce", "requeued", NULL};
static const char *const sides[] = {"recipient_address", "recipient_server", "our_server",
				     "sender_content", "sender_client", "sender_domain", "temporary",
				     "none", NULL};
static const char *const kinds[] = {
	"connect", "disconnect", "client", "reject", "message-id", "header", "queued", "delivered",
	"deferred", "bounced", "expired", "done", "bounce-sent", "hold", "release", "deleted",
	"filter", "mailbox", "retry-wait", "host-error", "warning", "auth-fail", "tls", "dkim",
	"suppressed", "usage-in", "usage-out", "step", "opened", "clicked", "complaint", "note",
	"unknown", NULL};

/* "2026-11-19T08:30:44+01:00" (or ...Z) */
static int is_rfc3339(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
			return 0;
	}
	const char *z = s + sizeof pat - 1;
	if (*z == '.') {
		z++;
		while (*z >= '0' && *z <= '9')
			z++;
	}
	if (strcmp(z, "Z") == 0)
		return 1;
	return (z[0] == '+' || z[0] == '-') && z[1] >= '0' && z[1] <= '9' && z[2] >= '0' &&
	       z[2] <= '9' && z[3] == ':' && z[4] >= '0' && z[4] <= '9' && z[5] >= '0' &&
	       z[5] <= '9' && z[6] == '\0';
}

static void check_str_or_null(const struct jv *o, const char *key, int allow_null)
{
	const struct jv *v = jget(o, key);
	if (v->type == J_NULL && allow_null)
		return;
	if (v->type != J_STR)
		fail_msg("\"%s\" is not a string%s", key, allow_null ? " or null" : "");
	/* "Absent values are null, never empty strings." */
	if (v->slen == 0)
		fail_msg("\"%s\" is an empty string", key);
}

static void check_ref(const struct jv *r)
{
	assert_int_equal(r->type, J_OBJ);
	assert_int_equal(r->n, 2);
	check_str_or_null(r, "id", 0);
	const struct jv *l = jget(r, "link");
	assert_int_equal(l->type, J_STR);
	if (!one_of(l->str, links))
		fail_msg("link \"%s\" is not documented", l->str);
}

/* Every documented key with its documented type. */
static void check_message_object(const struct jv *o)
{
	check_keys(o, &doc_msg, "message");
	check_str_or_null(o, "id", 0);
	check_str_or_null(o, "host", 1);
	const struct jv *fmt = jget(o, "format");
	assert_int_equal(fmt->type, J_STR);
	assert_true(one_of(fmt->str, formats));
	const struct jv *q = jget(o, "queue_ids");
	assert_int_equal(q->type, J_ARR);
	for (size_t i = 0; i < q->n; i++) {
		assert_int_equal(q->items[i]->type, J_STR);
		assert_true(q->items[i]->slen > 0);
	}
	static const char *const opt_str[] = {"message_id", "sender",  "subject", "client_ip",
					      "client_host", "helo",   "auth",    "account",
					      "script",     NULL};
	for (size_t i = 0; opt_str[i]; i++)
		check_str_or_null(o, opt_str[i], 1);
	const struct jv *d = jget(o, "direction");
	assert_true(d->type == J_NULL ||
		    (d->type == J_STR && (strcmp(d->str, "in") == 0 || strcmp(d->str, "out") == 0)));
	const struct jv *sz = jget(o, "size");
	assert_true(sz->type == J_NULL || (sz->type == J_NUM && sz->is_int && sz->ival >= 0));
	for (int k = 0; k < 2; k++) {
		const struct jv *t = jget(o, k ? "last_seen" : "first_seen");
		assert_int_equal(t->type, J_STR);
		if (!is_rfc3339(t->str))
			fail_msg("time \"%s\" is not RFC 3339", t->str);
	}
	const struct jv *st = jget(o, "status");
	assert_int_equal(st->type, J_STR);
	assert_true(one_of(st->str, msg_status));
	assert_int_equal(jget(o, "is_bounce")->type, J_BOOL);

	const struct jv *rs = jget(o, "recipients");
	assert_int_equal(rs->type, J_ARR);
	for (size_t i = 0; i < rs->n; i++) {
		const struct jv *r = rs->items[i];
		check_keys(r, &doc_rcpt, "recipient");
		check_str_or_null(r, "address", 0);
		check_str_or_null(r, "orig", 1);
		const struct jv *rst = jget(r, "status");
		assert_int_equal(rst->type, J_STR);
		if (!one_of(rst->str, rcpt_status))
			fail_msg("recipient status \"%s\" is not documented", rst->str);
		check_str_or_null(r, "dsn", 1);
		const struct jv *code = jget(r, "smtp_code");
		assert_true(code->type == J_NULL ||
			    (code->type == J_NUM && code->is_int && code->ival >= 200 && code->ival < 600));
		check_str_or_null(r, "relay", 1);
		check_str_or_null(r, "response", 1);
		const struct jv *at = jget(r, "at");
		assert_true(at->type == J_NULL || (at->type == J_STR && is_rfc3339(at->str)));
		const struct jv *ex = jget(r, "explanation");
		if (ex->type != J_NULL) {
			assert_int_equal(ex->type, J_OBJ);
			check_str_or_null(ex, "id", 0);
			check_str_or_null(ex, "cause", 0);
			const struct jv *side = jget(ex, "side");
			assert_int_equal(side->type, J_STR);
			if (!one_of(side->str, sides))
				fail_msg("side \"%s\" is not documented", side->str);
			const struct jv *steps = jget(ex, "steps");
			assert_int_equal(steps->type, J_ARR);
			for (size_t k = 0; k < steps->n; k++)
				assert_int_equal(steps->items[k]->type, J_STR);
		}
	}
	const struct jv *par = jget(o, "parent");
	if (par->type != J_NULL)
		check_ref(par);
	const struct jv *ch = jget(o, "children");
	assert_int_equal(ch->type, J_ARR);
	for (size_t i = 0; i < ch->n; i++)
		check_ref(ch->items[i]);
	const struct jv *evs = jget(o, "events");
	assert_int_equal(evs->type, J_ARR);
	for (size_t i = 0; i < evs->n; i++) {
		const struct jv *e = evs->items[i];
		check_keys(e, &doc_ev, "event");
		const struct jv *ts = jget(e, "ts");
		assert_int_equal(ts->type, J_STR);
		assert_true(is_rfc3339(ts->str));
		const struct jv *k = jget(e, "kind");
		assert_int_equal(k->type, J_STR);
		if (!one_of(k->str, kinds))
			fail_msg("event kind \"%s\" is not documented", k->str);
		check_str_or_null(e, "file", 0);
		const struct jv *ln = jget(e, "line");
		assert_true(ln->type == J_NULL || (ln->type == J_NUM && ln->is_int && ln->ival >= 1));
		assert_int_equal(jget(e, "raw")->type, J_STR);
	}
}

/* --- safe output ------------------------------------------------------------ */

/* Text for a terminal: valid UTF-8, no C0 control but '\n', no DEL, no
 * C1 control, no bidi override or line separator. */
static void check_terminal_safe(const char *s, size_t n, const char *what)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			fail_msg("%s: byte 0x%02x at %zu: \"%.*s\"", what, c, i, (int)(n - i < 80 ? n - i : 80),
				 s + i);
		size_t l = utf8_len((const unsigned char *)s + i, n - i);
		if (!l)
			fail_msg("%s: invalid UTF-8 at %zu", what, i);
		if (l == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0)
			fail_msg("%s: C1 control U+%04X at %zu", what, (unsigned char)s[i + 1], i);
		if (l == 3) {
			uint32_t cp = ((uint32_t)(c & 0x0F) << 12) | (((uint32_t)s[i + 1] & 0x3F) << 6) |
				      ((uint32_t)s[i + 2] & 0x3F);
			if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
			    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029)
				fail_msg("%s: U+%04X at %zu", what, cp, i);
		}
		i += l;
	}
}

/* --- logs-sample ------------------------------------------------------------ */

static struct store sample;
static int sample_live;
static struct store hs; /* hand-built */
static int hs_live;
static struct trace tr;
static int tr_live;
static struct tbuf tb = TBUF_INIT;
static char *memtext;
static char tmpdir[64];

static void load_dir(struct store *st, const char *path, int year)
{
	store_init(st);
	const char *paths[1] = {path};
	struct load_opts o;
	memset(&o, 0, sizeof o);
	o.paths = paths;
	o.npaths = 1;
	o.year = year;
	assert_true(load_expand(st, &o, NULL) > 0);
	assert_int_equal(load_run(st, &o, NULL), 0);
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Warsaw", 1);
	tzset();
	/* English explanations, whatever the caller's LANG */
	setenv("LANGUAGE", "en", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setlocale(LC_ALL, "");
	if (parser_init_all() != parser_registry_len)
		return -1;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/mailtrail-out-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *de;
		char p[600];
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(tmpdir);
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	if (tr_live)
		trace_release(&tr);
	tr_live = 0;
	if (sample_live)
		store_release(&sample);
	sample_live = 0;
	if (hs_live)
		store_release(&hs);
	hs_live = 0;
	tbuf_release(&tb);
	free(memtext);
	memtext = NULL;
	jfree_all();
	return 0;
}

static uint32_t msg_by_qid(const struct store *st, const char *qid)
{
	for (uint32_t m = 0; m < st->nmsgs; m++)
		if (strcmp(store_str(st, st->msgs[m].qid), qid) == 0)
			return m;
	fail_msg("no message %s", qid);
	return MSG_NONE;
}

static const struct jv *json_of(const struct store *st, uint32_t m, int with_trace)
{
	if (tr_live)
		trace_release(&tr);
	tr_live = 0;
	if (with_trace) {
		assert_int_equal(trace_build(st, m, 1, &tr), 0);
		tr_live = 1;
		if (tr.error[0])
			fail_msg("trace of %u: %s", m, tr.error);
	}
	tbuf_reset(&tb);
	output_json_message(&tb, st, m, with_trace ? &tr : NULL);
	/* one line, nothing after the object */
	assert_null(memchr(tb.data, '\n', tb.len));
	check_terminal_safe(tb.data, tb.len, "JSON");
	return jparse(tb.data, tb.len);
}

static void test_json_every_sample_message(void **state)
{
	(void)state;
	load_doc_keys();
	load_dir(&sample, "logs-sample", 2026);
	sample_live = 1;
	assert_true(sample.nmsgs > 40);
	for (uint32_t m = 0; m < sample.nmsgs; m++) {
		const struct jv *o = json_of(&sample, m, 1);
		check_message_object(o);
		/* events: as many as the message has, in the trace order */
		const struct jv *evs = jget(o, "events");
		assert_int_equal(evs->n, store_msg_nev(&sample, m));
		for (size_t i = 0; i < evs->n; i++) {
			const struct jv *raw = jget(evs->items[i], "raw");
			if (raw->slen == 0)
				fail_msg("message %u event %zu: empty raw line", m, i);
			assert_int_equal(jget(evs->items[i], "line")->type, J_NUM);
		}
		/* without a trace: the same object with no events */
		const struct jv *o2 = json_of(&sample, m, 0);
		check_message_object(o2);
		assert_int_equal(jget(o2, "events")->n, 0);
		jfree_all();
	}
}

/* The example of docs/json.md, from logs-sample/postfix/mail.log.1. */
static void test_json_example(void **state)
{
	(void)state;
	load_doc_keys();
	load_dir(&sample, "logs-sample", 2026);
	sample_live = 1;
	uint32_t m = msg_by_qid(&sample, "B7E21E0517");
	const struct jv *o = json_of(&sample, m, 1);
	expect_str(o, "id", "mail/B7E21E0517");
	expect_str(o, "host", "mail");
	expect_str(o, "format", "postfix");
	const struct jv *q = jget(o, "queue_ids");
	assert_int_equal(q->n, 1);
	assert_string_equal(q->items[0]->str, "B7E21E0517");
	expect_str(o, "message_id", "a81f-22c9-4e0b@example.pl");
	expect_str(o, "sender", "anna@example.pl");
	expect_str(o, "subject", "Faktura za październik");
	expect_str(o, "client_ip", "89.64.12.7");
	expect_str(o, "client_host", "89-64-12-7.dynamic.chello.pl");
	expect_str(o, "helo", "[192.168.1.20]");
	expect_str(o, "auth", "anna@example.pl");
	expect_str(o, "account", NULL);
	expect_str(o, "script", NULL);
	expect_str(o, "direction", NULL);
	expect_int(o, "size", 92311);
	expect_str(o, "first_seen", "2026-11-19T08:30:44+01:00");
	expect_str(o, "last_seen", "2026-11-19T08:30:46+01:00");
	expect_str(o, "status", "bounced");
	assert_false(jget(o, "is_bounce")->boolean);
	const struct jv *rs = jget(o, "recipients");
	assert_int_equal(rs->n, 1);
	const struct jv *r = rs->items[0];
	expect_str(r, "address", "j.wisniewski@onet.pl");
	expect_str(r, "orig", NULL);
	expect_str(r, "status", "bounced");
	expect_str(r, "dsn", "5.1.1");
	expect_int(r, "smtp_code", 550);
	expect_str(r, "relay", "mx.poczta.onet.pl[213.180.147.146]:25");
	expect_str(r, "response",
		   "host mx.poczta.onet.pl[213.180.147.146] said: 550 5.1.1 <j.wisniewski@onet.pl>: "
		   "Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT "
		   "TO command)");
	expect_str(r, "at", "2026-11-19T08:30:46+01:00");
	const struct jv *ex = jget(r, "explanation");
	expect_str(ex, "id", "no_such_user");
	expect_str(ex, "side", "recipient_address");
	expect_str(o, "parent", NULL);
	const struct jv *ch = jget(o, "children");
	assert_int_equal(ch->n, 1);
	expect_str(ch->items[0], "id", "mail/C02A9E0520");
	expect_str(ch->items[0], "link", "bounce");
	const struct jv *evs = jget(o, "events");
	assert_int_equal(evs->n, 9);
	const struct jv *e0 = evs->items[0];
	expect_str(e0, "ts", "2026-11-19T08:30:44+01:00");
	expect_str(e0, "kind", "connect");
	expect_str(e0, "file", "logs-sample/postfix/mail.log.1");
	expect_int(e0, "line", 1);
	expect_str(e0, "raw",
		   "Nov 19 08:30:44 mail postfix/submission/smtpd[30112]: connect from "
		   "89-64-12-7.dynamic.chello.pl[89.64.12.7]");
	const struct jv *e8 = evs->items[8];
	expect_str(e8, "kind", "done");
	expect_int(e8, "line", 11);
	expect_str(e8, "raw", "Nov 19 08:30:46 mail postfix/qmgr[1102]: B7E21E0517: removed");

	/* the bounce points back */
	jfree_all();
	const struct jv *c = json_of(&sample, msg_by_qid(&sample, "C02A9E0520"), 1);
	assert_true(jget(c, "is_bounce")->boolean);
	expect_str(c, "sender", "<>");
	const struct jv *par = jget(c, "parent");
	expect_str(par, "id", "mail/B7E21E0517");
	expect_str(par, "link", "bounce");

	/* an Exim message: no host, the id is the queue id */
	jfree_all();
	const struct jv *x = json_of(&sample, msg_by_qid(&sample, "1mY1Gz-0003eI-Ab"), 1);
	expect_str(x, "id", "1mY1Gz-0003eI-Ab");
	expect_str(x, "host", NULL);
	expect_str(x, "account", "fred@example.pl");
	expect_str(x, "direction", "out");
}

/* --- hostile strings ------------------------------------------------------- */

/* Terminal attacks and broken bytes, each with its length (NULs inside). */
#define E(lit) {lit, sizeof lit - 1}
static const struct {
	const char *s;
	size_t n;
} evil[] = {
	E("\x1b[2J\x1b[31mred\x1b[0m"),                    /* CSI: clear screen, colour */
	E("\x1b]52;c;cm0gLXJmIH4K\x07"),                    /* OSC 52 clipboard write */
	E("\x1b]0;window title\x1b\\"),                     /* OSC title, ST */
	E("c1 \xc2\x9b" "31m csi and raw \x9b"),            /* C1 CSI, encoded and raw */
	E("bidi \xe2\x80\xae" "gnp.exe"),                   /* RLO */
	E("nul\0inside"),
	E("bad utf8 \xff\xfe\xc3(\xed\xa0\x80 \xf4\x90\x80\x80"),
	E("del\x7f tab\t cr\r lf\n end"),
	E("line sep \xe2\x80\xa8 para \xe2\x80\xa9"),
	E("quote \" backslash \\ slash /"),
	E("\xe4\xb8\xad\xe6\x96\x87 wide"),
};
#define NEVIL (sizeof evil / sizeof evil[0])

static uint32_t evil_id(struct store *st, size_t i)
{
	return strtab_intern(&st->strs, evil[i % NEVIL].s, evil[i % NEVIL].n);
}

static void build_hostile(struct store *st)
{
	store_init(st);
	for (size_t i = 0; i < NEVIL; i++) {
		uint32_t m = store_add_message(st);
		struct message *msg = &st->msgs[m];
		msg->host = evil_id(st, i);
		msg->qid = i % 3 ? evil_id(st, i + 1) : 0;
		msg->msgid = evil_id(st, i + 2);
		msg->sender = evil_id(st, i + 3);
		msg->subject = evil_id(st, i + 4);
		msg->client_ip = evil_id(st, i + 5);
		msg->client_host = evil_id(st, i + 6);
		store_msg_set_extra(st, m, MSG_X_HELO, evil_id(st, i + 7));
		msg->auth = evil_id(st, i + 8);
		store_msg_set_extra(st, m, MSG_X_ACCOUNT, evil_id(st, i + 9));
		store_msg_set_extra(st, m, MSG_X_SCRIPT, evil_id(st, i + 10));
		msg->first_ts = INT64_C(1795073444000000);
		msg->last_ts = INT64_C(1795073446000000);
		store_msg_set_size(msg, (int64_t)i * 1000);
		msg->flags = (uint16_t)(i % 2 ? MSG_OUTBOUND : MSG_INBOUND);
		for (size_t k = 0; k < 2; k++) {
			uint32_t r = store_add_rcpt(st, m);
			struct rcpt *rc = &st->rcpts[r];
			rc->addr = evil_id(st, i + k);
			rc->orig = evil_id(st, i + k + 1);
			rc->relay = evil_id(st, i + k + 2);
			rc->dsn = evil_id(st, i + k + 3);
			rc->reply = evil_id(st, i + k + 4);
			rc->smtp_code = 550;
			rc->status = (uint8_t)(k ? OUT_BOUNCED : OUT_DEFERRED);
			rc->at = INT64_C(1795073446000000);
		}
		store_msg_update_status(st, m);
		if (i > 0 && i % 2 == 0) {
			/* a bounce of the message before */
			msg = &st->msgs[m];
			msg->parent = m - 1;
			msg->parent_link = LINK_BOUNCE_CHILD;
			st->msgs[m - 1].first_child = m;
		}
	}
}

static void test_hostile_store(void **state)
{
	(void)state;
	load_doc_keys();
	build_hostile(&hs);
	hs_live = 1;
	for (uint32_t m = 0; m < hs.nmsgs; m++) {
		const struct jv *o = json_of(&hs, m, 0);
		check_message_object(o);
		/* what the log said survives (escaped, not dropped): the
		 * sender's visible letters are there */
		const struct jv *snd = jget(o, "sender");
		assert_int_equal(snd->type, J_STR);
		jfree_all();
	}
	/* the NUL-bearing subject keeps its tail */
	tbuf_reset(&tb);
	output_json_message(&tb, &hs, 1, NULL); /* subject = evil[5] */
	const struct jv *o = jparse(tb.data, tb.len);
	const struct jv *subj = jget(o, "subject");
	assert_int_equal(subj->slen, 10);
	assert_memory_equal(subj->str, "nul\0inside", 10);
	jfree_all();

	/* the list */
	uint32_t all[NEVIL];
	for (uint32_t m = 0; m < hs.nmsgs; m++)
		all[m] = m;
	size_t len = 0;
	FILE *f = open_memstream(&memtext, &len);
	assert_non_null(f);
	output_list(f, &hs, all, hs.nmsgs);
	assert_int_equal(fclose(f), 0);
	check_terminal_safe(memtext, len, "output_list");
	size_t rows = 0;
	for (size_t i = 0; i < len; i++)
		rows += memtext[i] == '\n';
	assert_int_equal(rows, hs.nmsgs);
	free(memtext);
	memtext = NULL;

	/* the trace text */
	for (uint32_t m = 0; m < hs.nmsgs; m++) {
		assert_int_equal(trace_build(&hs, m, 1, &tr), 0);
		tr_live = 1;
		tbuf_reset(&tb);
		output_trace_text(&tb, &hs, &tr);
		assert_true(tb.len > 0);
		check_terminal_safe(tb.data, tb.len, "output_trace_text");
		trace_release(&tr);
		tr_live = 0;
	}
}

/* The same attacks inside real Postfix line shapes (logs-sample mail.log.1
 * B7E21E0517), read through the loader: the raw lines of the trace carry
 * them too. */
static void test_hostile_log(void **state)
{
	(void)state;
	load_doc_keys();
	struct tbuf text = TBUF_INIT;
	tbuf_puts(&text, "Nov 19 08:30:44 mail postfix/submission/smtpd[30112]: connect from evil\x1b]52;c;cm0gLXJmIH4K\x07.example[89.64.12.7]\n");
	tbuf_puts(&text, "Nov 19 08:30:45 mail postfix/submission/smtpd[30112]: B7E21E0517: client=evil\x1b[2J.example[89.64.12.7], sasl_method=PLAIN, sasl_username=anna\xc2\x9b" "31m@example.pl\n");
	tbuf_puts(&text, "Nov 19 08:30:45 mail postfix/cleanup[30115]: B7E21E0517: message-id=<a81f\x1b[0m-\xff\xfe@example.pl>\n");
	tbuf_puts(&text, "Nov 19 08:30:45 mail postfix/cleanup[30115]: B7E21E0517: info: header Subject: Faktura \x1b]0;pwned\x07 za pa\xbc" "dziernik \xe2\x80\xae" "fdp.exe from evil.example[89.64.12.7]; from=<anna@example.pl> to=<j.wisniewski@onet.pl> proto=ESMTP helo=<[192.168.1.20]\x7f>\n");
	static const char qmgr[] = "Nov 19 08:30:45 mail postfix/qmgr[1102]: B7E21E0517: from=<anna\0\x1b[8m@example.pl>, size=92311, nrcpt=1 (queue active)\n";
	tbuf_putn(&text, qmgr, sizeof qmgr - 1);
	tbuf_puts(&text, "Nov 19 08:30:46 mail postfix/smtp[30117]: B7E21E0517: to=<j.wisniewski@onet.pl>, relay=mx.poczta.onet.pl[213.180.147.146]:25, delay=1.1, delays=0.1/0.01/0.5/0.49, dsn=5.1.1, status=bounced (host mx.poczta.onet.pl[213.180.147.146] said: 550 5.1.1 \x1b]52;c;ZWNobyBwd25lZAo=\x07 \xc2\x85 User unknown\r (in reply to RCPT TO command))\n");
	tbuf_puts(&text, "Nov 19 08:30:46 mail postfix/qmgr[1102]: B7E21E0517: removed\n");
	char path[512];
	snprintf(path, sizeof path, "%s/mail.log", tmpdir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text.data, 1, text.len, f), text.len);
	assert_int_equal(fclose(f), 0);
	tbuf_release(&text);

	load_dir(&sample, path, 2026);
	sample_live = 1;
	assert_true(sample.nmsgs >= 1);
	uint32_t m = msg_by_qid(&sample, "B7E21E0517");
	const struct jv *o = json_of(&sample, m, 1);
	check_message_object(o);
	const struct jv *evs = jget(o, "events");
	assert_true(evs->n >= 6);
	/* the raw line is carried whole, decoded back it holds the ESC */
	const struct jv *raw0 = jget(evs->items[0], "raw");
	assert_non_null(memchr(raw0->str, 0x1b, raw0->slen));

	uint32_t all[1] = {m};
	size_t len = 0;
	FILE *mf = open_memstream(&memtext, &len);
	assert_non_null(mf);
	output_list(mf, &sample, all, 1);
	assert_int_equal(fclose(mf), 0);
	check_terminal_safe(memtext, len, "output_list");
	free(memtext);
	memtext = NULL;

	trace_release(&tr);
	tr_live = 0;
	assert_int_equal(trace_build(&sample, m, 1, &tr), 0);
	tr_live = 1;
	tbuf_reset(&tb);
	output_trace_text(&tb, &sample, &tr);
	check_terminal_safe(tb.data, tb.len, "output_trace_text");
	/* the escapes are visible as text */
	assert_non_null(strstr(tb.data, "\\x1b]52;c;"));
}

/* The per-file report quotes file names and unrecognised lines: a file
 * named with an escape sequence must not reach the terminal raw. */
static void test_file_report_hostile_name(void **state)
{
	(void)state;
	char path[600];
	snprintf(path, sizeof path, "%s/evil\x1b]52;c;cm0gLXJmIH4K\x07.log", tmpdir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	/* youyo test.log lines, then one the Postfix parser does not know */
	fputs("Oct 10 15:59:28 mail postfix/smtpd[1830]: connect from example.com[127.0.0.1]\n"
	      "Oct 10 15:59:28 mail postfix/smtpd[1830]: C6E0DDB74006: client=example.com[127.0.0.1]\n"
	      "Oct 10 15:59:29 mail postfix/qmgr[18719]: C6E0DDB74006: removed\n"
	      "this line \x1b[2J is not a log line\n",
	      f);
	assert_int_equal(fclose(f), 0);
	load_dir(&sample, path, 2025);
	sample_live = 1;
	size_t len = 0;
	FILE *mf = open_memstream(&memtext, &len);
	assert_non_null(mf);
	output_file_report(mf, &sample, 0);
	assert_int_equal(fclose(mf), 0);
	assert_true(len > 0);
	check_terminal_safe(memtext, len, "output_file_report");
	unlink(path);
}

/* --- list alignment -------------------------------------------------------- */

static void test_list_alignment(void **state)
{
	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8"))
		skip();
	static const char *const senders[] = {
		"anna@example.pl",
		"\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\x85\xac\xe5\x8f\xb8", /* 用户@例子.公司 */
		"Zażółć@gęślą.jaźń.pl",
		"e\xcc\x81" "e\xcc\x81" "e\xcc\x81@combining.example",                    /* e + U+0301 */
		"\xe9\x9d\x9e\xe5\xb8\xb8\xe9\x95\xbf\xe7\x9a\x84\xe5\x8f\x91\xe4\xbb\xb6\xe4\xba\xba"
		"\xe5\x9c\xb0\xe5\x9d\x80\xe9\x9d\x9e\xe5\xb8\xb8\xe9\x95\xbf\xe7\x9a\x84@x.cn", /* too wide */
		"a\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"
		"\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"
		"\xe4\xb8\xad\xe4\xb8\xad", /* a + 16 wide: the 30th column splits a wide one */
		"esc\x1b[31m@evil.example",
		"\xf0\x9f\x93\xa7 mail@emoji.example",
		"a-very-long-ascii-sender-address-that-is-cut@example.com",
		"",
	};
	static const char *const rcpts[] = {
		"r0@example.pl", "\xe6\x94\xb6\xe4\xbb\xb6\xe4\xba\xba@example.cn", "r2@example.pl",
		"r3@example.pl", "r4@example.pl", "r5@example.pl", "r6@example.pl", "r7@example.pl",
		"r8@example.pl", "r9@example.pl",
	};
	size_t n = sizeof senders / sizeof senders[0];
	store_init(&hs);
	hs_live = 1;
	uint32_t ids[16];
	for (size_t i = 0; i < n; i++) {
		uint32_t m = store_add_message(&hs);
		ids[i] = m;
		hs.msgs[m].sender = strtab_intern(&hs.strs, senders[i], strlen(senders[i]));
		char subj[32];
		snprintf(subj, sizeof subj, "SUBJ%zu", i);
		hs.msgs[m].subject = strtab_intern(&hs.strs, subj, strlen(subj));
		hs.msgs[m].first_ts = hs.msgs[m].last_ts = INT64_C(1795073444000000);
		uint32_t r = store_add_rcpt(&hs, m);
		hs.rcpts[r].addr = strtab_intern(&hs.strs, rcpts[i], strlen(rcpts[i]));
		hs.rcpts[r].status = (uint8_t)(i % 2 ? OUT_DELIVERED : OUT_BOUNCED);
		store_msg_update_status(&hs, m);
	}
	size_t len = 0;
	FILE *f = open_memstream(&memtext, &len);
	assert_non_null(f);
	output_list(f, &hs, ids, n);
	assert_int_equal(fclose(f), 0);
	check_terminal_safe(memtext, len, "output_list");

	/* "2026-11-19 08:30:44  bounced    <sender 30>  <rcpt 32>  SUBJn" */
	const size_t status_col = 21, sender_col = 32, rcpt_col = 64, subj_col = 98;
	char *line = memtext;
	for (size_t i = 0; i < n; i++) {
		char *eol = strchr(line, '\n');
		assert_non_null(eol);
		*eol = '\0';
		size_t ll = (size_t)(eol - line);
		const char *status = i % 2 ? "delivered" : "bounced";
		char *st = strstr(line, status);
		assert_non_null(st);
		if (textsafe_width(line, (size_t)(st - line)) != status_col)
			fail_msg("row %zu: status at column %zu", i, textsafe_width(line, (size_t)(st - line)));
		/* the sender cell starts after the padded status */
		assert_int_equal(textsafe_width(line, (size_t)(st - line) + 9 + 2), sender_col);
		const char *rc = strstr(line + status_col + 9, rcpts[i]);
		if (!rc)
			fail_msg("row %zu: recipient missing: %s", i, line);
		size_t w = textsafe_width(line, (size_t)(rc - line));
		if (w != rcpt_col)
			fail_msg("row %zu: recipient at column %zu, want %zu: %s", i, w, rcpt_col, line);
		char subj[32];
		snprintf(subj, sizeof subj, "SUBJ%zu", i);
		const char *sj = strstr(line, subj);
		assert_non_null(sj);
		w = textsafe_width(line, (size_t)(sj - line));
		if (w != subj_col)
			fail_msg("row %zu: subject at column %zu, want %zu: %s", i, w, subj_col, line);
		assert_true(ll > 0);
		line = eol + 1;
	}
	assert_int_equal((size_t)(line - memtext), len);
	setlocale(LC_CTYPE, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_json_validator, cleanup),
		cmocka_unit_test_teardown(test_json_every_sample_message, cleanup),
		cmocka_unit_test_teardown(test_json_example, cleanup),
		cmocka_unit_test_teardown(test_hostile_store, cleanup),
		cmocka_unit_test_teardown(test_hostile_log, cleanup),
		cmocka_unit_test_teardown(test_file_report_hostile_name, cleanup),
		cmocka_unit_test_teardown(test_list_alignment, cleanup),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
