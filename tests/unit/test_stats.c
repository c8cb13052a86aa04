/*
 * test_stats.c - the --stats model and renderers on hand-built stores:
 * a spam burst that must be flagged, steady busy senders that must not,
 * rule boundaries, top tables, the hour histogram, qshape age buckets,
 * failure reasons grouped by explanation, the messages behind a row, and
 * JSON that parses and escapes a hostile sender.  Every expected number
 * below is counted by hand from the store the test builds.
 *
 * The time zone is pinned to UTC so hour boundaries are known.
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
#include <time.h>

#include "explain.h"
#include "stats.h"
#include "store.h"
#include "strtab.h"
#include "tbuf.h"
#include "textsafe.h"
#include "timeparse.h"
#include "xalloc.h"

#define SEC US_PER_SEC
#define MIN (60 * SEC)
#define HOUR (3600 * SEC)
#define DAY (24 * HOUR)

/* 2026-11-20 00:00:00 UTC */
static int64_t day0(void)
{
	return tp_days_from_civil(2026, 11, 20) * 86400 * SEC;
}

static uint32_t str(struct store *st, const char *s)
{
	return s ? strtab_intern(&st->strs, s, strlen(s)) : 0;
}

struct msg_spec {
	int64_t ts;
	const char *sender, *auth, *ip, *script;
	uint16_t flags;
};

static uint32_t add_msg(struct store *st, const struct msg_spec *sp)
{
	uint32_t m = store_add_message(st);
	struct message *msg = &st->msgs[m];
	msg->first_ts = sp->ts;
	msg->last_ts = sp->ts;
	msg->sender = str(st, sp->sender);
	msg->auth = str(st, sp->auth);
	msg->client_ip = str(st, sp->ip);
	store_msg_set_extra(st, m, MSG_X_SCRIPT, str(st, sp->script));
	msg->flags = sp->flags;
	if (sp->ts < st->min_ts)
		st->min_ts = sp->ts;
	if (sp->ts > st->max_ts)
		st->max_ts = sp->ts;
	return m;
}

static uint32_t add_rcpt(struct store *st, uint32_t m, const char *addr, enum outcome o,
			 const char *dsn, uint16_t code, const char *reply)
{
	uint32_t r = store_add_rcpt(st, m);
	struct rcpt *rc = &st->rcpts[r];
	rc->addr = str(st, addr);
	rc->status = (uint8_t)o;
	rc->dsn = str(st, dsn);
	rc->smtp_code = code;
	rc->reply = str(st, reply);
	rc->at = st->msgs[m].first_ts;
	store_msg_update_status(st, m);
	return r;
}

/* One message with one recipient. */
static uint32_t msg1(struct store *st, int64_t ts, const char *sender, const char *auth,
		     const char *ip, const char *rcpt, enum outcome o)
{
	struct msg_spec sp = {ts, sender, auth, ip, NULL, 0};
	uint32_t m = add_msg(st, &sp);
	add_rcpt(st, m, rcpt, o, o == OUT_BOUNCED ? "5.1.1" : NULL, o == OUT_BOUNCED ? 550 : 0,
		 o == OUT_BOUNCED ? "550 5.1.1 <x@example.net>: Recipient address rejected: User "
				    "unknown in virtual mailbox table"
				  : NULL);
	return m;
}

/* Every message of the store, in reverse order (stats must sort). */
static uint32_t *all_msgs(const struct store *st)
{
	uint32_t *v = xmalloc((st->nmsgs ? st->nmsgs : 1) * sizeof *v);
	for (uint32_t i = 0; i < st->nmsgs; i++)
		v[i] = st->nmsgs - 1 - i;
	return v;
}

static void compute_all(const struct store *st, struct stats *s)
{
	uint32_t *v = all_msgs(st);
	stats_compute(st, v, st->nmsgs, s);
	free(v);
}

static const struct stats_suspect *find_suspect(const struct store *st, const struct stats *s,
						enum stats_kind k, const char *who)
{
	for (size_t i = 0; i < s->nsuspects; i++)
		if (s->suspects[i].kind == k && strcmp(store_str(st, s->suspects[i].who), who) == 0)
			return &s->suspects[i];
	return NULL;
}

static const struct stats_top_row *find_top(const struct store *st, const struct stats *s,
					    enum stats_kind k, const char *who)
{
	for (size_t i = 0; i < s->top[k].nrows; i++)
		if (strcmp(store_str(st, s->top[k].rows[i].who), who) == 0)
			return &s->top[k].rows[i];
	return NULL;
}

static void check_counts(const struct stats_counts *c, uint32_t msgs, uint32_t rcpts,
			 uint32_t bounced, uint32_t deferred, uint32_t rejected)
{
	assert_int_equal(c->messages, msgs);
	assert_int_equal(c->recipients, rcpts);
	assert_int_equal(c->bounced, bounced);
	assert_int_equal(c->deferred, deferred);
	assert_int_equal(c->rejected, rejected);
}

/* --- a tiny JSON parser (validating, with a DOM) ----------------------- */

enum jtype { JNULL, JBOOL, JNUM, JSTR, JARR, JOBJ };

struct jv {
	enum jtype t;
	double num;
	char *str;          /* JSTR: decoded UTF-8; n bytes */
	size_t n;
	struct jv *items;   /* JARR / JOBJ values */
	char **keys;        /* JOBJ keys (decoded) */
	size_t count;
};

struct jp {
	const char *p, *end;
	int err;
};

static void jfree(struct jv *v)
{
	free(v->str);
	for (size_t i = 0; i < v->count; i++) {
		jfree(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	memset(v, 0, sizeof *v);
}

static void jws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static int jhex(struct jp *j, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		if (j->p >= j->end)
			return -1;
		char c = *j->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(struct tbuf *b, unsigned cp)
{
	if (cp < 0x80) {
		tbuf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		tbuf_putc(b, (char)(0xc0 | cp >> 6));
		tbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		tbuf_putc(b, (char)(0xe0 | cp >> 12));
		tbuf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		tbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		tbuf_putc(b, (char)(0xf0 | cp >> 18));
		tbuf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		tbuf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		tbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static int jstring(struct jp *j, struct jv *v)
{
	struct tbuf b = TBUF_INIT;
	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			goto bad; /* raw control characters are invalid JSON */
		if (c != '\\') {
			uint32_t cp;
			int len = utf8_decode(j->p, (size_t)(j->end - j->p), &cp);
			if (len < 0)
				goto bad;
			tbuf_putn(&b, j->p, (size_t)len);
			j->p += len;
			continue;
		}
		if (++j->p >= j->end)
			goto bad;
		char e = *j->p++;
		unsigned cp, lo;
		switch (e) {
		case '"': tbuf_putc(&b, '"'); break;
		case '\\': tbuf_putc(&b, '\\'); break;
		case '/': tbuf_putc(&b, '/'); break;
		case 'b': tbuf_putc(&b, '\b'); break;
		case 'f': tbuf_putc(&b, '\f'); break;
		case 'n': tbuf_putc(&b, '\n'); break;
		case 'r': tbuf_putc(&b, '\r'); break;
		case 't': tbuf_putc(&b, '\t'); break;
		case 'u':
			if (jhex(j, &cp))
				goto bad;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u')
					goto bad;
				j->p += 2;
				if (jhex(j, &lo) || lo < 0xdc00 || lo > 0xdfff)
					goto bad;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				goto bad;
			}
			put_utf8(&b, cp);
			break;
		default:
			goto bad;
		}
	}
	if (j->p >= j->end)
		goto bad;
	j->p++;
	v->t = JSTR;
	v->n = b.len;
	v->str = xstrndup(tbuf_str(&b), b.len);
	if (b.len && memchr(tbuf_str(&b), '\0', b.len)) {
		/* keep embedded NULs: copy by length */
		free(v->str);
		v->str = xmalloc(b.len + 1);
		memcpy(v->str, b.data, b.len);
		v->str[b.len] = '\0';
	}
	tbuf_release(&b);
	return 0;
bad:
	tbuf_release(&b);
	return -1;
}

static int jvalue(struct jp *j, struct jv *v, int depth);

static int jnumber(struct jp *j, struct jv *v)
{
	const char *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end)
		return -1;
	if (*j->p == '0')
		j->p++;
	else if (*j->p >= '1' && *j->p <= '9')
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	else
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return -1;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return -1;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	char buf[64];
	size_t n = (size_t)(j->p - s);
	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	v->t = JNUM;
	v->num = strtod(buf, NULL);
	return 0;
}

static int jlit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static void jpush(struct jv *v, const char *key, struct jv *item)
{
	v->items = xrealloc(v->items, (v->count + 1) * sizeof *v->items);
	if (v->t == JOBJ) {
		v->keys = xrealloc(v->keys, (v->count + 1) * sizeof *v->keys);
		v->keys[v->count] = xstrdup(key);
	}
	v->items[v->count++] = *item;
}

static int jvalue(struct jp *j, struct jv *v, int depth)
{
	memset(v, 0, sizeof *v);
	if (depth > 64)
		return -1;
	jws(j);
	if (j->p >= j->end)
		return -1;
	switch (*j->p) {
	case '"':
		return jstring(j, v);
	case 'n':
		v->t = JNULL;
		return jlit(j, "null");
	case 't':
		v->t = JBOOL;
		v->num = 1;
		return jlit(j, "true");
	case 'f':
		v->t = JBOOL;
		return jlit(j, "false");
	case '[':
		v->t = JARR;
		j->p++;
		jws(j);
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return 0;
		}
		for (;;) {
			struct jv item;
			if (jvalue(j, &item, depth + 1)) {
				jfree(&item);
				return -1;
			}
			jpush(v, NULL, &item);
			jws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == ']') {
				j->p++;
				return 0;
			}
			return -1;
		}
	case '{':
		v->t = JOBJ;
		j->p++;
		jws(j);
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return 0;
		}
		for (;;) {
			struct jv key, item;
			jws(j);
			memset(&key, 0, sizeof key);
			if (jstring(j, &key))
				return -1;
			jws(j);
			if (j->p >= j->end || *j->p != ':') {
				jfree(&key);
				return -1;
			}
			j->p++;
			for (size_t i = 0; i < v->count; i++)
				if (strcmp(v->keys[i], key.str) == 0) {
					jfree(&key);
					return -1; /* duplicate key */
				}
			if (jvalue(j, &item, depth + 1)) {
				jfree(&key);
				jfree(&item);
				return -1;
			}
			jpush(v, key.str, &item);
			jfree(&key);
			jws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == '}') {
				j->p++;
				return 0;
			}
			return -1;
		}
	default:
		return jnumber(j, v);
	}
}

/* Parse a whole document: exactly one value, nothing after it. */
static int jparse(const char *s, size_t n, struct jv *out)
{
	struct jp j = {s, s + n, 0};
	if (jvalue(&j, out, 0)) {
		jfree(out);
		return -1;
	}
	jws(&j);
	if (j.p != j.end) {
		jfree(out);
		return -1;
	}
	return 0;
}

static const struct jv *jget(const struct jv *o, const char *key)
{
	if (!o || o->t != JOBJ)
		return NULL;
	for (size_t i = 0; i < o->count; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->items[i];
	return NULL;
}

static double jnumof(const struct jv *o, const char *key)
{
	const struct jv *v = jget(o, key);
	assert_non_null(v);
	assert_int_equal(v->t, JNUM);
	return v->num;
}

static const char *jstrof(const struct jv *o, const char *key)
{
	const struct jv *v = jget(o, key);
	assert_non_null(v);
	assert_int_equal(v->t, JSTR);
	return v->str;
}

static void test_json_parser_rejects_bad(void **state)
{
	(void)state;
	/* the validator must be able to fail, or the JSON tests prove nothing */
	static const char *const bad[] = {
		"{\"a\":1,}", "{\"a\":1", "[1,2", "{\"a\":\"\x1b\"}", "{\"a\":01}",
		"{\"a\":1}{", "{\"a\":1,\"a\":2}", "\"\\x\"", "{\"a\":tru}", "{\"a\":\"\xff\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct jv v;
		assert_int_equal(jparse(bad[i], strlen(bad[i]), &v), -1);
	}
	struct jv v;
	const char *ok = "{\"a\":[1,-2.5e3,\"\\u001b[\\ud83d\\ude00\",null,true,{}]}";
	assert_int_equal(jparse(ok, strlen(ok), &v), 0);
	const struct jv *a = jget(&v, "a");
	assert_non_null(a);
	assert_int_equal(a->count, 6);
	assert_true(a->items[1].num == -2500);
	assert_string_equal(a->items[2].str, "\x1b[\xf0\x9f\x98\x80");
	jfree(&v);
}

/* --- the burst store ----------------------------------------------------- */

/*
 * Busy shop: 2000 messages every 18 s from 08:00:00 (last 17:59:42) to 50
 * customers, every 100th bounced (20).  Spam burst: 300 messages from the
 * hijacked login within 57 s from 12:15:00, 300 distinct recipients on 3
 * domains; i % 5 in {0,1} bounced (120), i % 10 == 2 deferred (30).
 */
static void build_burst_store(struct store *st)
{
	int64_t t0 = day0() + 8 * HOUR;
	char addr[64];
	for (int i = 0; i < 2000; i++) {
		snprintf(addr, sizeof addr, "customer%d@example.net", i % 50);
		msg1(st, t0 + (int64_t)i * 18 * SEC, "shop@example.com", "shop@example.com",
		     "203.0.113.10", addr, i % 100 == 0 ? OUT_BOUNCED : OUT_DELIVERED);
	}
	static const char *const doms[3] = {"wp.pl", "o2.pl", "onet.pl"};
	int64_t tb = day0() + 12 * HOUR + 15 * MIN;
	for (int i = 0; i < 300; i++) {
		snprintf(addr, sizeof addr, "victim%d@%s", i, doms[i % 3]);
		enum outcome o = i % 5 < 2 ? OUT_BOUNCED : i % 10 == 2 ? OUT_DEFERRED : OUT_DELIVERED;
		msg1(st, tb + (int64_t)i * 190 * 1000, "hacked@example.org", "hacked@example.org",
		     "198.51.100.7", addr, o);
	}
}

static void test_burst_flagged_busy_not(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	build_burst_store(&st);
	struct stats s;
	compute_all(&st, &s);

	assert_int_equal(s.nmsgs, 2300);
	/* the hijacked login, its sender address and its IP; nothing else */
	assert_int_equal(s.nsuspects, 3);
	static const enum stats_kind kinds[3] = {STATS_SENDER, STATS_AUTH, STATS_IP};
	static const char *const whos[3] = {"hacked@example.org", "hacked@example.org",
					    "198.51.100.7"};
	for (int k = 0; k < 3; k++) {
		const struct stats_suspect *x = find_suspect(&st, &s, kinds[k], whos[k]);
		assert_non_null(x);
		assert_int_equal(x->rules, STATS_RULE_BURST | STATS_RULE_RCPTS | STATS_RULE_BOUNCES);
		check_counts(&x->c, 300, 300, 120, 30, 0);
		assert_int_equal(x->burst, 300);
		assert_true(x->burst_at == day0() + 12 * HOUR + 15 * MIN);
		assert_int_equal(x->burst_usual, 0);
		assert_int_equal(x->hour_rcpts, 300);
		assert_true(x->hour_rcpts_at == day0() + 12 * HOUR);
		assert_string_equal(x->reason,
				    "300 messages in one minute at 2026-11-20 12:15 (usual: 0/hour); "
				    "300 distinct recipients in one hour from 2026-11-20 12:00 "
				    "(usual: 0/hour); 120 of 300 messages bounced (40%)");
	}
	assert_null(find_suspect(&st, &s, STATS_SENDER, "shop@example.com"));
	assert_null(find_suspect(&st, &s, STATS_AUTH, "shop@example.com"));
	assert_null(find_suspect(&st, &s, STATS_IP, "203.0.113.10"));

	/* the shop tops the tables with its own, unflagged numbers */
	const struct stats_top_row *shop = &s.top[STATS_SENDER].rows[0];
	assert_string_equal(store_str(&st, shop->who), "shop@example.com");
	check_counts(&shop->c, 2000, 50, 20, 0, 0);
	assert_int_equal(s.top[STATS_SENDER].distinct, 2);
	assert_int_equal(s.top[STATS_SENDER].messages, 2300);
	assert_int_equal(s.top[STATS_SCRIPT].distinct, 0);

	/* hours 08..17: 200 each, the burst hour 12 has 300 more */
	assert_int_equal(s.nhours, 10);
	assert_true(s.bucket_us == HOUR);
	assert_true(s.hour0 == day0() + 8 * HOUR);
	for (size_t h = 0; h < 10; h++)
		assert_int_equal(s.hours[h], h == 4 ? 500 : 200);
	assert_int_equal(s.hours_max, 500);

	/* Enter on the first suspect: its 300 messages, in time order */
	uint32_t *ms = NULL;
	size_t n = stats_row_messages(&s, &st, STATS_T_SUSPECTS, 0, &ms);
	assert_int_equal(n, 300);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ms[i], 2000 + i);
	}
	free(ms);
	n = stats_row_messages(&s, &st, STATS_T_HOURS, 4, &ms);
	assert_int_equal(n, 500);
	free(ms);
	assert_int_equal(stats_row_messages(&s, &st, STATS_T_SUSPECTS, 3, &ms), 0);
	assert_null(ms);

	stats_release(&s);
	stats_release(&s); /* twice is harmless */
	store_release(&st);
}

/* A steady newsletter: 6000 messages every 6 s for 10 h, each to a new
 * recipient (600 distinct an hour, over the 300 limit), 1% bounced, all
 * to the same few domains.  No minute and no hour stands out against its
 * own rate, so it must not be flagged. */
static void test_steady_newsletter_not_flagged(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	int64_t t0 = day0() + 8 * HOUR + 30 * MIN;
	char addr[64];
	for (int i = 0; i < 6000; i++) {
		snprintf(addr, sizeof addr, "reader%d@example.net", i);
		msg1(&st, t0 + (int64_t)i * 6 * SEC, "news@shop.example", "news@shop.example",
		     "203.0.113.20", addr, i % 100 == 7 ? OUT_BOUNCED : OUT_DELIVERED);
	}
	struct stats s;
	compute_all(&st, &s);
	assert_int_equal(s.nsuspects, 0);
	check_counts(&s.top[STATS_AUTH].rows[0].c, 6000, 6000, 60, 0, 0);
	stats_release(&s);
	store_release(&st);
}

/* A big steady relay: 300 messages a minute for two hours (over the 250
 * limit every minute) to 100 regular recipients.  Its busiest minute is
 * its usual minute, so the burst rule must not fire. */
static void test_steady_high_rate_not_flagged(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	int64_t t0 = day0() + 8 * HOUR;
	char addr[64];
	for (int i = 0; i < 36000; i++) {
		snprintf(addr, sizeof addr, "branch%d@example.net", i % 100);
		msg1(&st, t0 + (int64_t)i * 200 * 1000, "erp@corp.example", NULL, "203.0.113.30",
		     addr, OUT_DELIVERED);
	}
	struct stats s;
	compute_all(&st, &s);
	const struct stats_top_row *erp = find_top(&st, &s, STATS_SENDER, "erp@corp.example");
	assert_non_null(erp);
	check_counts(&erp->c, 36000, 100, 0, 0, 0);
	assert_int_equal(s.nsuspects, 0);
	stats_release(&s);
	store_release(&st);
}

/* Rule boundaries: > 250 a minute (sliding), >= 30 % of >= 20 bounced. */
static void test_rule_boundaries(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	int64_t t0 = day0() + 9 * HOUR;
	/* 251 messages within 50 s: flagged; 250: not; 251 spread over
	 * exactly 60 s: the first and the last are not in one window. */
	for (int i = 0; i < 251; i++)
		msg1(&st, t0 + (int64_t)i * 200 * 1000, "b251@x.example", NULL, NULL,
		     "one@y.example", OUT_DELIVERED);
	for (int i = 0; i < 250; i++)
		msg1(&st, t0 + HOUR + (int64_t)i * 200 * 1000, "b250@x.example", NULL, NULL,
		     "one@y.example", OUT_DELIVERED);
	for (int i = 0; i < 251; i++)
		msg1(&st, t0 + 2 * HOUR + (int64_t)i * 240 * 1000, "w60@x.example", NULL, NULL,
		     "one@y.example", OUT_DELIVERED);
	/* bounce shares, one message every 5 minutes */
	struct {
		const char *who;
		int n, bounced;
	} b[] = {{"p30@x.example", 100, 30}, {"p29@x.example", 100, 29},
		 {"n19@x.example", 19, 19}, {"n20@x.example", 20, 6}};
	for (size_t k = 0; k < sizeof b / sizeof b[0]; k++)
		for (int i = 0; i < b[k].n; i++)
			msg1(&st, t0 + (int64_t)i * 5 * MIN, b[k].who, NULL, NULL, "one@y.example",
			     i < b[k].bounced ? OUT_BOUNCED : OUT_DELIVERED);
	struct stats s;
	compute_all(&st, &s);

	const struct stats_suspect *x = find_suspect(&st, &s, STATS_SENDER, "b251@x.example");
	assert_non_null(x);
	assert_int_equal(x->rules, STATS_RULE_BURST);
	assert_int_equal(x->burst, 251);
	assert_null(find_suspect(&st, &s, STATS_SENDER, "b250@x.example"));
	assert_null(find_suspect(&st, &s, STATS_SENDER, "w60@x.example"));
	const struct stats_top_row *w60 = find_top(&st, &s, STATS_SENDER, "w60@x.example");
	assert_non_null(w60);
	/* a single recipient: distinct counts it once */
	check_counts(&w60->c, 251, 1, 0, 0, 0);

	x = find_suspect(&st, &s, STATS_SENDER, "p30@x.example");
	assert_non_null(x);
	assert_int_equal(x->rules, STATS_RULE_BOUNCES);
	assert_string_equal(x->reason, "30 of 100 messages bounced (30%)");
	x = find_suspect(&st, &s, STATS_SENDER, "n20@x.example");
	assert_non_null(x);
	assert_int_equal(x->rules, STATS_RULE_BOUNCES);
	assert_null(find_suspect(&st, &s, STATS_SENDER, "p29@x.example"));
	assert_null(find_suspect(&st, &s, STATS_SENDER, "n19@x.example"));
	assert_int_equal(s.nsuspects, 3);
	stats_release(&s);
	store_release(&st);
}

/* --- hand-counted top tables -------------------------------------------- */

/*
 * m0 10:00 a@x.example  login a@x.example  10.0.0.1  to r1 (handed to m5,
 *          which bounced it) and r2 (bounced)
 * m1 10:10 a@x.example  -                  10.0.0.1  to r1 deferred
 * m2 10:20 b@y.example  -     10.0.0.2  script /home/u/public_html
 *          to r3 rejected (an SMTP attempt)
 * m3 10:30 <> (a bounce)                  -         to a@x.example delivered
 * m4 10:40 a@x.example  login a@x.example  10.0.0.2  to r1, r4 delivered
 * m5 10:01 a@x.example  (re-queued copy of m0, 127.0.0.1) to r1 bounced
 */
static void build_small_store(struct store *st, uint32_t m[6])
{
	int64_t t = day0() + 10 * HOUR;
	struct msg_spec s0 = {t, "a@x.example", "a@x.example", "10.0.0.1", NULL, 0};
	m[0] = add_msg(st, &s0);
	uint32_t r0 = add_rcpt(st, m[0], "r1@d1.example", OUT_DELIVERED, "2.0.0", 250,
			       "250 2.0.0 Ok: queued as 4F5A1");
	add_rcpt(st, m[0], "r2@d2.example", OUT_BOUNCED, "5.1.1", 550,
		 "550 5.1.1 <r2@d2.example>: Recipient address rejected: User unknown in "
		 "virtual mailbox table");
	struct msg_spec s1 = {t + 10 * MIN, "a@x.example", NULL, "10.0.0.1", NULL, 0};
	m[1] = add_msg(st, &s1);
	add_rcpt(st, m[1], "r1@d1.example", OUT_DEFERRED, "4.0.0", 451,
		 "host mail.domain.com[1.1.1.1] said: 451 DT:SPM 163 mx40,WsCowAAnEhlCoEVa5GjcAA--"
		 ".20089S3 1514512452, please try again 15min later (in reply to end of DATA "
		 "command)");
	struct msg_spec s2 = {t + 20 * MIN, "b@y.example", NULL, "10.0.0.2", "/home/u/public_html",
			      MSG_ATTEMPT};
	m[2] = add_msg(st, &s2);
	add_rcpt(st, m[2], "r3@d3.example", OUT_REJECTED, "5.7.1", 550,
		 "550 5.7.1 Service unavailable; client [10.0.0.2] blocked using zen.spamhaus.org");
	struct msg_spec s3 = {t + 30 * MIN, "<>", NULL, NULL, NULL, MSG_IS_BOUNCE};
	m[3] = add_msg(st, &s3);
	add_rcpt(st, m[3], "a@x.example", OUT_DELIVERED, NULL, 0, NULL);
	struct msg_spec s4 = {t + 40 * MIN, "a@x.example", "a@x.example", "10.0.0.2", NULL, 0};
	m[4] = add_msg(st, &s4);
	add_rcpt(st, m[4], "r1@d1.example", OUT_DELIVERED, NULL, 0, NULL);
	add_rcpt(st, m[4], "r4@d1.example", OUT_DELIVERED, NULL, 0, NULL);
	struct msg_spec s5 = {t + 1 * MIN, "a@x.example", NULL, "127.0.0.1", NULL, MSG_HOP};
	m[5] = add_msg(st, &s5);
	st->msgs[m[5]].parent = m[0];
	add_rcpt(st, m[5], "r1@d1.example", OUT_BOUNCED, "5.4.4", 0,
		 "Host or domain name not found. Name service error for name=testdegc.net "
		 "type=AAAA: Host not found");
	st->rcpts[r0].hop = m[5];
	store_msg_update_status(st, m[0]);
}

static void test_top_tables_hand_counted(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	uint32_t m[6];
	build_small_store(&st, m);
	struct stats s;
	compute_all(&st, &s);

	assert_int_equal(s.nmsgs, 5);
	assert_int_equal(s.skipped_hops, 1);
	assert_int_equal(s.recipients, 7);

	const struct stats_top *t = &s.top[STATS_SENDER];
	assert_int_equal(t->distinct, 2);
	assert_int_equal(t->messages, 4);
	assert_int_equal(t->excluded, 1); /* the bounce m3 */
	assert_int_equal(t->nrows, 2);
	assert_string_equal(store_str(&st, t->rows[0].who), "a@x.example");
	check_counts(&t->rows[0].c, 3, 3, 1, 1, 0);
	assert_string_equal(store_str(&st, t->rows[1].who), "b@y.example");
	check_counts(&t->rows[1].c, 1, 1, 0, 0, 1);

	t = &s.top[STATS_AUTH];
	assert_int_equal(t->nrows, 1);
	assert_int_equal(t->excluded, 0);
	check_counts(&t->rows[0].c, 2, 3, 1, 0, 0);

	t = &s.top[STATS_IP];
	assert_int_equal(t->nrows, 2); /* 127.0.0.1 belonged to the skipped copy */
	assert_string_equal(store_str(&st, t->rows[0].who), "10.0.0.1"); /* tie: by name */
	check_counts(&t->rows[0].c, 2, 2, 1, 1, 0);
	assert_string_equal(store_str(&st, t->rows[1].who), "10.0.0.2");
	check_counts(&t->rows[1].c, 2, 3, 0, 0, 1);

	t = &s.top[STATS_SCRIPT];
	assert_int_equal(t->nrows, 1);
	assert_string_equal(store_str(&st, t->rows[0].who), "/home/u/public_html");
	check_counts(&t->rows[0].c, 1, 1, 0, 0, 1);

	/* outcomes by final recipient outcome: m0 bounced (r1 bounced after
	 * the hand-off), m1 deferred, m2 rejected, m3 and m4 delivered */
	assert_int_equal(s.noutcomes, 4);
	assert_int_equal(s.outcomes[0].outcome, OUT_DELIVERED);
	assert_int_equal(s.outcomes[0].messages, 2);
	assert_int_equal(s.outcomes[0].recipients, 3);
	for (size_t i = 1; i < 4; i++) {
		assert_int_equal(s.outcomes[i].messages, 1);
		switch (s.outcomes[i].outcome) {
		case OUT_BOUNCED:
			assert_int_equal(s.outcomes[i].recipients, 2);
			break;
		case OUT_DEFERRED:
		case OUT_REJECTED:
			assert_int_equal(s.outcomes[i].recipients, 1);
			break;
		default:
			fail_msg("unexpected outcome %d", s.outcomes[i].outcome);
		}
	}

	/* the messages behind rows */
	uint32_t *ms;
	size_t n = stats_row_messages(&s, &st, STATS_T_SENDERS, 0, &ms);
	assert_int_equal(n, 3);
	assert_int_equal(ms[0], m[0]);
	assert_int_equal(ms[1], m[1]);
	assert_int_equal(ms[2], m[4]);
	free(ms);
	n = stats_row_messages(&s, &st, STATS_T_IPS, 1, &ms);
	assert_int_equal(n, 2);
	assert_int_equal(ms[0], m[2]);
	assert_int_equal(ms[1], m[4]);
	free(ms);
	for (size_t i = 0; i < s.noutcomes; i++) {
		if (s.outcomes[i].outcome != OUT_BOUNCED)
			continue;
		n = stats_row_messages(&s, &st, STATS_T_OUTCOMES, i, &ms);
		assert_int_equal(n, 1);
		assert_int_equal(ms[0], m[0]);
		free(ms);
	}
	assert_int_equal(s.ndeferred, 1);
	assert_string_equal(s.deferred[0].domain, "d1.example");
	n = stats_row_messages(&s, &st, STATS_T_DEFERRED, 0, &ms);
	assert_int_equal(n, 1);
	assert_int_equal(ms[0], m[1]);
	free(ms);

	/* a filter that selected only the re-queued copy still counts it */
	stats_release(&s);
	stats_compute(&st, &m[5], 1, &s);
	assert_int_equal(s.nmsgs, 1);
	assert_int_equal(s.skipped_hops, 0);
	stats_release(&s);
	store_release(&st);
}

/* Failure reasons grouped by explanation id, replies from
 * samples/postfix (youyo_postfix-log-parser_test.log, kumina_postfix_
 * exporter_test.log, crowdsec_postfix-*.log) and FORMATS.md section 2.3. */
static void test_failure_reasons(void **state)
{
	(void)state;
	static const char *const unknown1 =
		"550 5.1.1 <toernooicommissie@example.com>: Recipient address rejected: User "
		"unknown in virtual mailbox table";
	static const char *const unknown2 =
		"550 5.1.1 <does-not-exist@example.com>: Recipient address rejected: User unknown "
		"in virtual mailbox table";
	static const char *const unknown_temp =
		"450 4.1.1 <a@example.com>: Recipient address rejected: User unknown in virtual "
		"mailbox table";
	/* precondition on the explanation table: the three are one problem */
	struct explanation e1, e2, e3;
	assert_int_equal(explain_outcome(OUT_BOUNCED, "5.1.1", 550, unknown1, strlen(unknown1), &e1), 0);
	assert_int_equal(explain_outcome(OUT_BOUNCED, "5.1.1", 550, unknown2, strlen(unknown2), &e2), 0);
	assert_int_equal(explain_outcome(OUT_DEFERRED, "4.1.1", 450, unknown_temp,
					 strlen(unknown_temp), &e3), 0);
	assert_string_equal(e1.id, e2.id);
	assert_string_equal(e1.id, e3.id);

	struct store st;
	store_init(&st);
	int64_t t = day0() + 10 * HOUR;
	struct msg_spec sp = {t, "s@x.example", NULL, NULL, NULL, 0};
	uint32_t m0 = add_msg(&st, &sp); /* the deferred one comes first */
	add_rcpt(&st, m0, "a@example.com", OUT_DEFERRED, "4.1.1", 450, unknown_temp);
	sp.ts += MIN;
	uint32_t m1 = add_msg(&st, &sp);
	uint32_t r1 = add_rcpt(&st, m1, "toernooicommissie@example.com", OUT_BOUNCED, "5.1.1", 550,
			       unknown1);
	add_rcpt(&st, m1, "ok@example.com", OUT_DELIVERED, NULL, 0, NULL);
	sp.ts += MIN;
	uint32_t m2 = add_msg(&st, &sp);
	add_rcpt(&st, m2, "does-not-exist@example.com", OUT_BOUNCED, "5.1.1", 550, unknown2);
	sp.ts += MIN;
	sp.flags = MSG_ATTEMPT;
	uint32_t m3 = add_msg(&st, &sp); /* refused, no recipient known */
	store_msg_update_status(&st, m3);
	assert_int_equal(st.msgs[m3].status, OUT_REJECTED);
	sp.flags = 0;
	sp.ts += MIN;
	uint32_t m4 = add_msg(&st, &sp);
	add_rcpt(&st, m4, "testit@testdegc.net", OUT_BOUNCED, "5.4.4", 0,
		 "Host or domain name not found. Name service error for name=testdegc.net "
		 "type=AAAA: Host not found");

	struct stats s;
	compute_all(&st, &s);
	assert_int_equal(s.failures, 5);
	assert_int_equal(s.nreasons, 3);
	const struct stats_reason_row *r = &s.reasons[0];
	assert_string_equal(r->id, e1.id);
	assert_int_equal(r->count, 3);
	assert_int_equal(r->bounced, 2);
	assert_int_equal(r->deferred, 1);
	assert_int_equal(r->rejected, 0);
	/* the permanent failure is preferred as the example */
	assert_int_equal(r->example_msg, m1);
	assert_int_equal(r->example_rcpt, r1);
	assert_string_equal(r->cause, e1.cause);
	for (size_t i = 1; i < 3; i++) {
		assert_int_equal(s.reasons[i].count, 1);
		assert_string_not_equal(s.reasons[i].id, e1.id);
	}
	uint32_t *ms;
	size_t n = stats_row_messages(&s, &st, STATS_T_REASONS, 0, &ms);
	assert_int_equal(n, 3);
	assert_int_equal(ms[0], m0);
	assert_int_equal(ms[1], m1);
	assert_int_equal(ms[2], m2);
	free(ms);
	/* rows with one failure each, ordered by id; each lists its own */
	assert_true(strcmp(s.reasons[1].id, s.reasons[2].id) < 0);
	int found_m3 = 0;
	for (size_t i = 1; i < 3; i++) {
		n = stats_row_messages(&s, &st, STATS_T_REASONS, i, &ms);
		assert_int_equal(n, 1);
		found_m3 |= ms[0] == m3;
		assert_true(ms[0] == m3 || ms[0] == m4);
		assert_int_equal(ms[0], s.reasons[i].example_msg);
		free(ms);
	}
	assert_true(found_m3);

	/* outcomes: m0 deferred, m1 partial, m2 and m4 bounced, m3 rejected;
	 * "delivered" is a row of one recipient (inside m1) and no message */
	static const struct {
		uint8_t o;
		uint32_t msgs, rcpts;
	} want[] = {{OUT_BOUNCED, 2, 3}, {OUT_DEFERRED, 1, 1}, {OUT_REJECTED, 1, 0},
		    {OUT_PARTIAL, 1, 0}, {OUT_DELIVERED, 0, 1}};
	assert_int_equal(s.noutcomes, 5);
	for (size_t i = 0; i < 5; i++) {
		size_t k = 0;
		while (k < s.noutcomes && s.outcomes[k].outcome != want[i].o)
			k++;
		assert_true(k < s.noutcomes);
		assert_int_equal(s.outcomes[k].messages, want[i].msgs);
		assert_int_equal(s.outcomes[k].recipients, want[i].rcpts);
		n = stats_row_messages(&s, &st, STATS_T_OUTCOMES, k, &ms);
		if (want[i].o == OUT_DELIVERED || want[i].o == OUT_PARTIAL) {
			assert_int_equal(n, 1);
			assert_int_equal(ms[0], m1);
		} else {
			assert_int_equal(n, want[i].msgs);
		}
		free(ms);
	}
	assert_int_equal(s.outcomes[0].outcome, OUT_BOUNCED);
	stats_release(&s);
	store_release(&st);
}

/* qshape: deferred recipients by domain and age at the end of the logs. */
static void test_qshape_buckets(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	int64_t end = day0() + 20 * HOUR;
	struct {
		int64_t age;
		const char *rcpt;
	} d[] = {
		{30 * MIN, "a@WP.pl"},              /* < 1 h */
		{HOUR - 1, "b@wp.pl"},              /* < 1 h */
		{HOUR, "c@wp.pl"},                  /* 1-4 h */
		{4 * HOUR - SEC, "d@o2.pl"},        /* 1-4 h */
		{4 * HOUR, "e@wp.pl"},              /* 4-24 h */
		{23 * HOUR, "f@o2.pl"},             /* 4-24 h */
		{DAY, "g@wp.pl."},                  /* 1-5 d, trailing dot dropped */
		{5 * DAY - SEC, "h@interia.pl"},    /* 1-5 d */
		{5 * DAY, "i@wp.pl"},               /* > 5 d */
		{10 * DAY, "j@o2.pl"},              /* > 5 d */
		{2 * HOUR, "local-no-domain"},      /* 1-4 h, no domain */
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		msg1(&st, end - d[i].age, "s@x.example", NULL, NULL, d[i].rcpt, OUT_DEFERRED);
	/* delivered and bounced mail is not in the queue */
	msg1(&st, end - 2 * HOUR, "s@x.example", NULL, NULL, "z@wp.pl", OUT_DELIVERED);
	msg1(&st, end - 2 * HOUR, "s@x.example", NULL, NULL, "y@wp.pl", OUT_BOUNCED);
	st.max_ts = end;

	struct stats s;
	compute_all(&st, &s);
	assert_true(s.end_ts == end);
	static const uint32_t total[STATS_AGE__COUNT + 1] = {2, 3, 2, 2, 2, 11};
	for (int a = 0; a <= STATS_AGE__COUNT; a++)
		assert_int_equal(s.deferred_total[a], total[a]);
	assert_int_equal(s.deferred_domains, 4);
	assert_int_equal(s.ndeferred, 4);
	assert_string_equal(s.deferred[0].domain, "wp.pl");
	static const uint32_t wp[STATS_AGE__COUNT] = {2, 1, 1, 1, 1};
	assert_int_equal(s.deferred[0].total, 6);
	for (int a = 0; a < STATS_AGE__COUNT; a++)
		assert_int_equal(s.deferred[0].age[a], wp[a]);
	assert_string_equal(s.deferred[1].domain, "o2.pl");
	static const uint32_t o2[STATS_AGE__COUNT] = {0, 1, 1, 0, 1};
	assert_int_equal(s.deferred[1].total, 3);
	for (int a = 0; a < STATS_AGE__COUNT; a++)
		assert_int_equal(s.deferred[1].age[a], o2[a]);
	/* ties by name: "" (no domain) before interia.pl */
	assert_string_equal(s.deferred[2].domain, "");
	assert_int_equal(s.deferred[2].age[STATS_AGE_4H], 1);
	assert_string_equal(s.deferred[3].domain, "interia.pl");
	assert_int_equal(s.deferred[3].age[STATS_AGE_5D], 1);
	uint32_t *ms;
	assert_int_equal(stats_row_messages(&s, &st, STATS_T_DEFERRED, 0, &ms), 6);
	free(ms);
	stats_release(&s);
	store_release(&st);
}

/* What is still queued: an expired or deleted message is not; a message
 * handed to a content filter (and gone from the queue itself) is, when
 * its copy still waits, aged from the original's arrival. */
static void test_queue_state(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	int64_t end = day0() + 20 * HOUR;
	uint32_t exp = msg1(&st, end - 6 * DAY, "s@x.example", NULL, NULL, "a@wp.pl", OUT_DEFERRED);
	st.msgs[exp].flags |= MSG_EXPIRED | MSG_DONE;
	uint32_t del = msg1(&st, end - 2 * DAY, "s@x.example", NULL, NULL, "b@wp.pl", OUT_DEFERRED);
	st.msgs[del].flags |= MSG_DELETED | MSG_DONE;
	/* original -> filter copy, copy still deferred */
	uint32_t orig = msg1(&st, end - 3 * HOUR, "s@x.example", NULL, NULL, "c@o2.pl", OUT_DELIVERED);
	st.msgs[orig].flags |= MSG_DONE;
	struct msg_spec cp = {end - 3 * HOUR + SEC, "s@x.example", NULL, "127.0.0.1", NULL, MSG_HOP};
	uint32_t copy = add_msg(&st, &cp);
	st.msgs[copy].parent = orig;
	add_rcpt(&st, copy, "c@o2.pl", OUT_DEFERRED, "4.4.1", 0,
		 "connect to mx.o2.pl[193.17.41.99]:25: Connection timed out");
	st.rcpts[st.msgs[orig].first_rcpt].hop = copy;
	/* original -> copy, the copy expired */
	uint32_t orig2 = msg1(&st, end - 7 * DAY, "s@x.example", NULL, NULL, "d@o2.pl", OUT_DELIVERED);
	st.msgs[orig2].flags |= MSG_DONE;
	cp.ts = end - 7 * DAY + SEC;
	uint32_t copy2 = add_msg(&st, &cp);
	st.msgs[copy2].parent = orig2;
	st.msgs[copy2].flags |= MSG_EXPIRED | MSG_DONE;
	add_rcpt(&st, copy2, "d@o2.pl", OUT_DEFERRED, "4.4.1", 0,
		 "connect to mx.o2.pl[193.17.41.99]:25: Connection timed out");
	st.rcpts[st.msgs[orig2].first_rcpt].hop = copy2;
	st.max_ts = end;

	struct stats s;
	compute_all(&st, &s);
	assert_int_equal(s.nmsgs, 4);
	assert_int_equal(s.skipped_hops, 2);
	assert_int_equal(s.deferred_total[STATS_AGE__COUNT], 1);
	assert_int_equal(s.deferred_total[STATS_AGE_4H], 1);
	assert_int_equal(s.ndeferred, 1);
	assert_string_equal(s.deferred[0].domain, "o2.pl");
	uint32_t *ms;
	assert_int_equal(stats_row_messages(&s, &st, STATS_T_DEFERRED, 0, &ms), 1);
	assert_int_equal(ms[0], orig);
	free(ms);
	/* outcomes: exp and orig2 expired, del and orig deferred */
	for (size_t i = 0; i < s.noutcomes; i++) {
		if (s.outcomes[i].outcome == OUT_EXPIRED)
			assert_int_equal(s.outcomes[i].messages, 2);
		else if (s.outcomes[i].outcome == OUT_DEFERRED)
			assert_int_equal(s.outcomes[i].messages, 2);
		else
			fail_msg("unexpected outcome %d", s.outcomes[i].outcome);
	}
	check_counts(&s.top[STATS_SENDER].rows[0].c, 4, 4, 2, 2, 0);
	stats_release(&s);
	store_release(&st);
}

static void check_text_width(const char *text)
{
	size_t lines = 0;
	for (const char *p = text, *nl; (nl = strchr(p, '\n')); p = nl + 1, lines++)
		if (textsafe_width(p, (size_t)(nl - p)) > 80)
			fail_msg("line wider than 80 columns: %.*s", (int)(nl - p), p);
	assert_true(lines > 0);
}

/* Hour buckets: edges belong to the later hour, empty hours stay. */
static void test_hour_buckets(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	int64_t h10 = day0() + 10 * HOUR;
	static const int64_t at[] = {
		20 * MIN,                /* 10:20 -> bucket 0 */
		HOUR - 1,                /* 10:59:59.999999 -> 0 */
		HOUR,                    /* 11:00 -> 1 */
		HOUR + 59 * MIN,         /* 11:59 -> 1 */
		HOUR + 30 * MIN,         /* 11:30 -> 1 */
		3 * HOUR + 5 * MIN,      /* 13:05 -> 3 (12:00 stays empty) */
	};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		msg1(&st, h10 + at[i], "s@x.example", NULL, NULL, "r@y.example", OUT_DELIVERED);
	struct stats s;
	compute_all(&st, &s);
	assert_true(s.hour0 == h10);
	assert_int_equal(s.nhours, 4);
	static const uint32_t want[4] = {2, 3, 0, 1};
	for (int i = 0; i < 4; i++)
		assert_int_equal(s.hours[i], want[i]);
	assert_int_equal(stats_rows(&s, STATS_T_HOURS), 4);
	uint32_t *ms;
	assert_int_equal(stats_row_messages(&s, &st, STATS_T_HOURS, 2, &ms), 0);
	assert_null(ms);
	assert_int_equal(stats_row_messages(&s, &st, STATS_T_HOURS, 1, &ms), 3);
	free(ms);
	/* text: one bar per hour, the empty 12:00 kept (a run of one) */
	struct tbuf b = TBUF_INIT;
	stats_format_text(&b, &st, &s, 0);
	assert_non_null(strstr(b.data, "\n  2026-11-20 10:00        2 ####"));
	assert_non_null(strstr(b.data, "\n  2026-11-20 11:00        3 ####"));
	assert_non_null(strstr(b.data, "\n  2026-11-20 12:00        0\n"));
	assert_non_null(strstr(b.data, "\n  2026-11-20 13:00        1 ####"));
	tbuf_release(&b);
	stats_release(&s);

	/* a long period widens the buckets instead of growing without end */
	msg1(&st, h10 + 730 * DAY, "s@x.example", NULL, NULL, "r@y.example", OUT_DELIVERED);
	compute_all(&st, &s);
	assert_true(s.nhours <= STATS_HOURS_MAX);
	assert_true(s.bucket_us == 2 * HOUR);
	assert_int_equal(s.hours[0], 5);
	assert_int_equal(s.hours[s.nhours - 1], 1);
	/* the two years of nothing between are one line in the text */
	tbuf_reset(&b);
	stats_format_text(&b, &st, &s, 0);
	assert_non_null(strstr(b.data, "Messages per 2 hours"));
	assert_non_null(strstr(b.data, "no mail\n"));
	check_text_width(b.data);
	tbuf_release(&b);
	stats_release(&s);
	store_release(&st);
}

/* --- renderers ---------------------------------------------------------- */

static const char hostile[] = "\x1b[31mevil@x.example";

static void build_hostile_store(struct store *st)
{
	build_burst_store(st);
	int64_t t = day0() + 9 * HOUR;
	for (int i = 0; i < 20; i++)
		msg1(st, t + (int64_t)i * MIN, hostile, NULL, "192.0.2.66\xe2\x80\xae",
		     "target@x\x07.example", i < 10 ? OUT_BOUNCED : OUT_DEFERRED);
}

static void test_json_output(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	build_hostile_store(&st);
	struct stats s;
	compute_all(&st, &s);
	struct tbuf b = TBUF_INIT;
	stats_format_json(&b, &st, &s);

	/* nothing raw that a terminal would act on */
	for (size_t i = 0; i < b.len; i++)
		assert_true((unsigned char)b.data[i] >= 0x20);
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_non_null(strstr(b.data, "\"\\u001b[31mevil@x.example\""));

	struct jv doc;
	assert_int_equal(jparse(b.data, b.len, &doc), 0);
	assert_int_equal(doc.t, JOBJ);
	assert_true(jnumof(&doc, "messages") == 2320);
	assert_true(jnumof(&doc, "skipped_hops") == 0);
	const struct jv *period = jget(&doc, "period");
	assert_non_null(period);
	assert_string_equal(jstrof(period, "first"), "2026-11-20T08:00:00Z");

	const struct jv *ph = jget(&doc, "per_hour");
	assert_true(jnumof(ph, "bucket_seconds") == 3600);
	const struct jv *counts = jget(ph, "counts");
	assert_non_null(counts);
	assert_int_equal(counts->count, 10);
	assert_true(counts->items[1].num == 220); /* 09:00: 200 + the 20 hostile */
	assert_true(counts->items[4].num == 500);

	/* suspects: the 3 of the burst, the hostile sender and its IP (50 %
	 * bounced each) */
	const struct jv *sus = jget(&doc, "suspects");
	assert_non_null(sus);
	assert_int_equal(sus->t, JARR);
	assert_int_equal(sus->count, 5);
	int seen_hostile = 0, seen_ip = 0;
	for (size_t i = 0; i < sus->count; i++) {
		const struct jv *x = &sus->items[i];
		const char *who = jstrof(x, "who");
		const char *kind = jstrof(x, "kind");
		assert_true(strlen(jstrof(x, "reason")) > 10);
		assert_non_null(jget(x, "rules"));
		if (strcmp(who, hostile) == 0) {
			seen_hostile = 1;
			assert_string_equal(kind, "sender");
			assert_true(jnumof(x, "count") == 20);
			assert_true(jnumof(x, "recipients") == 1);
			assert_true(jnumof(x, "bounced") == 10);
			assert_true(jnumof(x, "deferred") == 10);
			assert_true(jnumof(x, "rejected") == 0);
			assert_string_equal(jstrof(x, "reason"), "10 of 20 messages bounced (50%)");
		} else if (strcmp(who, "192.0.2.66\xe2\x80\xae") == 0) {
			seen_ip = 1;
			assert_string_equal(kind, "ip");
			assert_true(jnumof(x, "count") == 20);
			assert_string_equal(jstrof(x, "reason"), "10 of 20 messages bounced (50%)");
		} else {
			assert_true(jnumof(x, "count") == 300);
			assert_true(jnumof(x, "bounced") == 120);
			assert_true(strcmp(kind, "sender") == 0 || strcmp(kind, "auth") == 0 ||
				    strcmp(kind, "ip") == 0);
			const struct jv *burst = jget(x, "burst");
			assert_true(jnumof(burst, "messages") == 300);
			assert_string_equal(jstrof(burst, "at"), "2026-11-20T12:15:00Z");
		}
	}
	assert_true(seen_hostile && seen_ip);

	const struct jv *ts = jget(&doc, "top_senders");
	assert_true(jnumof(ts, "distinct") == 3);
	assert_true(jnumof(ts, "excluded_bounces") == 0);
	const struct jv *rows = jget(ts, "rows");
	assert_int_equal(rows->count, 3);
	assert_string_equal(jstrof(&rows->items[0], "who"), "shop@example.com");
	assert_true(jnumof(&rows->items[0], "count") == 2000);
	assert_true(jnumof(&rows->items[0], "recipients") == 50);
	const struct jv *ips = jget(&doc, "top_ips");
	assert_string_equal(jstrof(&jget(ips, "rows")->items[2], "who"), "192.0.2.66\xe2\x80\xae");

	const struct jv *fr = jget(&doc, "failure_reasons");
	assert_int_equal(fr->t, JARR);
	assert_true(fr->count >= 1);
	const struct jv *ex = jget(&fr->items[0], "example");
	assert_non_null(ex);
	assert_non_null(jget(ex, "reply"));

	const struct jv *q = jget(&doc, "deferred");
	assert_true(jnumof(q, "count") == 40); /* 30 of the burst, 10 hostile */
	const struct jv *buckets = jget(q, "buckets");
	assert_int_equal(buckets->count, STATS_AGE__COUNT);
	assert_string_equal(buckets->items[0].str, "lt_1h");
	const struct jv *doms = jget(q, "domains");
	assert_int_equal(doms->count, 4);
	/* 10 each: ties by name, the hostile one last */
	assert_string_equal(jstrof(&doms->items[0], "domain"), "o2.pl");
	assert_string_equal(jstrof(&doms->items[3], "domain"), "x\x07.example");
	assert_true(jnumof(&doms->items[3], "count") == 10);
	jfree(&doc);

	/* an empty selection is still one valid object */
	stats_release(&s);
	stats_compute(&st, NULL, 0, &s);
	tbuf_reset(&b);
	stats_format_json(&b, &st, &s);
	assert_int_equal(jparse(b.data, b.len, &doc), 0);
	assert_true(jnumof(&doc, "messages") == 0);
	assert_int_equal(jget(&doc, "period")->items[0].t, JNULL);
	jfree(&doc);

	tbuf_release(&b);
	stats_release(&s);
	store_release(&st);
}

static void check_text(const char *text, int utf8)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl); /* every line ends */
		size_t w = textsafe_width(p, (size_t)(nl - p));
		if (w > 80)
			fail_msg("line wider than 80 columns (%zu): %.*s", w, (int)(nl - p), p);
		for (const char *c = p; c < nl; c++) {
			assert_true((unsigned char)*c >= 0x20 && *c != 0x7f);
			/* the test's log strings are ASCII once escaped */
			if (!utf8)
				assert_true((unsigned char)*c < 0x80);
		}
		p = nl + 1;
	}
}

static void test_text_output(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	build_hostile_store(&st);
	struct stats s;
	compute_all(&st, &s);
	for (int utf8 = 0; utf8 <= 1; utf8++) {
		struct tbuf b = TBUF_INIT;
		stats_format_text(&b, &st, &s, utf8);
		check_text(b.data, utf8);
		static const char *const titles[] = {
			"Mail statistics", "Messages per hour", "Outcomes",
			"Possible spam sources", "Top senders", "Top authenticated users",
			"Top client IPs", "Top script paths", "Top reasons for failure",
			"Deferred mail by destination domain and age",
		};
		for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
			if (!strstr(b.data, titles[i]))
				fail_msg("missing section %s", titles[i]);
		/* the hostile sender is shown escaped, never raw */
		assert_non_null(strstr(b.data, "\\x1b[31mevil@x.example"));
		assert_non_null(strstr(b.data, "192.0.2.66\\u202e"));
		assert_non_null(strstr(b.data, "bounces (sender <>) not counted: 0"));
		assert_non_null(strstr(b.data, "300 messages in one minute at 2026-11-20 12:15"));
		/* the busy shop is listed but not suspected */
		const char *susp = strstr(b.data, "Possible spam sources");
		const char *tops = strstr(b.data, "Top senders");
		assert_true(susp < tops);
		const char *shop = strstr(susp, "shop@example.com");
		assert_true(shop == NULL || shop > tops);
		if (utf8)
			assert_non_null(strstr(b.data, "\xe2\x96\x88")); /* a full block */
		else
			assert_non_null(strstr(b.data, "##"));
		tbuf_release(&b);
	}
	stats_release(&s);

	/* nothing selected */
	stats_compute(&st, NULL, 0, &s);
	struct tbuf b = TBUF_INIT;
	stats_format_text(&b, &st, &s, 0);
	check_text(b.data, 0);
	assert_non_null(strstr(b.data, "0 messages"));
	tbuf_release(&b);
	stats_release(&s);
	store_release(&st);
}

static void test_print(void **state)
{
	(void)state;
	struct store st;
	store_init(&st);
	uint32_t m[6];
	build_small_store(&st, m);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	uint32_t *v = all_msgs(&st);
	stats_print(f, &st, v, st.nmsgs, 1);
	fclose(f);
	assert_true(len > 2 && buf[len - 1] == '\n');
	struct jv doc;
	assert_int_equal(jparse(buf, len - 1, &doc), 0);
	assert_true(jnumof(&doc, "messages") == 5);
	jfree(&doc);
	free(buf);
	f = open_memstream(&buf, &len);
	stats_print(f, &st, v, st.nmsgs, 0);
	fclose(f);
	assert_non_null(strstr(buf, "Top senders"));
	free(buf);
	free(v);
	store_release(&st);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(stats_kind_name(STATS_SENDER), "sender");
	assert_string_equal(stats_kind_name(STATS_AUTH), "auth");
	assert_string_equal(stats_kind_name(STATS_IP), "ip");
	assert_string_equal(stats_kind_name(STATS_SCRIPT), "script");
	assert_string_equal(stats_age_label(STATS_AGE_1H), "< 1 h");
	assert_string_equal(stats_age_label(STATS_AGE_OLDER), "> 5 d");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	/* widths of block characters need a UTF-8 LC_CTYPE; messages stay
	 * English because LC_MESSAGES is left at "C" */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parser_rejects_bad),
		cmocka_unit_test(test_burst_flagged_busy_not),
		cmocka_unit_test(test_steady_newsletter_not_flagged),
		cmocka_unit_test(test_steady_high_rate_not_flagged),
		cmocka_unit_test(test_rule_boundaries),
		cmocka_unit_test(test_top_tables_hand_counted),
		cmocka_unit_test(test_failure_reasons),
		cmocka_unit_test(test_qshape_buckets),
		cmocka_unit_test(test_queue_state),
		cmocka_unit_test(test_hour_buckets),
		cmocka_unit_test(test_json_output),
		cmocka_unit_test(test_text_output),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
