/*
 * query.c - compiled filters with a per-string verdict cache.
 *
 * The cache is an array by string id, so it covers interned ids only
 * (below strtab_id_limit); tagged ids (strtab_add: values unique to one
 * message, such as queue ids and Message-IDs) are matched every time, as
 * a cache would never be hit for them and could not be indexed by them.
 */
#include <ctype.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "correlate.h"
#include "query.h"
#include "tbuf.h"
#include "timeparse.h"
#include "xalloc.h"

enum { T_FROM, T_TO, T_IP, T_SUBJECT, T_MSGID, T_ACCOUNT, T_TEXT, T__COUNT };

struct matcher {
	int active;
	char *needle;            /* lower-cased substring */
	size_t len;
	pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	uint8_t *cache;          /* per untagged string id: 0 unknown, 1 no,
				  * 2 yes */
	size_t cache_len;
	struct tbuf folded;      /* scratch: the candidate string folded */
	const char *opt;         /* the option it came from, for messages */
	uint64_t limit_hits;     /* values the regex gave up on (match limits) */
};

struct query {
	int64_t since, until;
	int has_since, has_until;
	unsigned status_mask;
	struct matcher m[T__COUNT];
};

int query_is_empty(const struct query_spec *s)
{
	return !s->since && !s->until && !s->from && !s->to && !s->ip && !s->subject &&
	       !s->msgid && !s->status && !s->account && !(s->text && *s->text);
}

static int64_t local_midnight(int64_t now_us, int days_back)
{
	time_t t = (time_t)(now_us / US_PER_SEC);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days_back;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * US_PER_SEC;
}

int query_parse_time(const char *s, int64_t now_us, int end, int64_t *out)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	if (strcasecmp(s, "now") == 0) {
		*out = now_us;
		return 0;
	}
	if (strcasecmp(s, "today") == 0 || strcasecmp(s, "dzisiaj") == 0) {
		*out = end ? local_midnight(now_us, -1) - 1 : local_midnight(now_us, 0);
		return 0;
	}
	if (strcasecmp(s, "yesterday") == 0 || strcasecmp(s, "wczoraj") == 0) {
		*out = end ? local_midnight(now_us, 0) - 1 : local_midnight(now_us, 1);
		return 0;
	}
	if (s[0] == '-' && n >= 2) {
		char *e;
		long v = strtol(s + 1, &e, 10);
		int64_t unit = 0;
		if (*e == 'm' && e[1] == '\0')
			unit = 60;
		else if (*e == 'h' && e[1] == '\0')
			unit = 3600;
		else if (*e == 'd' && e[1] == '\0')
			unit = 86400;
		else if (*e == 'w' && e[1] == '\0')
			unit = 7 * 86400;
		/* beyond ~100 years is a typo, and would overflow */
		if (!unit || v < 0 || e == s + 1 || v > INT64_C(36600) * 86400 / unit)
			return -1;
		*out = now_us - (int64_t)v * unit * US_PER_SEC;
		return 0;
	}
	int64_t us;
	unsigned flags = 0;
	size_t used = tp_iso(s, n, &us, &flags);
	int date_only = 0;
	if (!used || used != n) {
		/* "2026-11-20" and "2026-11-20 10:00" */
		unsigned y, mo, d, hh = 0, mi = 0;
		int k = 0;
		if (sscanf(s, "%4u-%2u-%2u%n", &y, &mo, &d, &k) == 3 && (size_t)k == n) {
			date_only = 1;
		} else if (sscanf(s, "%4u-%2u-%2u %2u:%2u%n", &y, &mo, &d, &hh, &mi, &k) == 5 &&
			   (size_t)k == n) {
			;
		} else {
			return -1;
		}
		/* (sscanf's %u takes "-6" as a huge year) */
		if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 ||
		    mi > 59)
			return -1;
		us = (tp_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60) * US_PER_SEC;
		if (date_only && end)
			us += 86400 * US_PER_SEC - 1;
		flags = PL_LOCALTIME;
	}
	if (flags & PL_LOCALTIME) {
		struct tz_cache c = {0, 0, 0};
		us -= (int64_t)tz_offset_for_local(&c, us) * US_PER_SEC;
	}
	*out = us;
	return 0;
}

/* Case folding for substring search, byte length preserving: ASCII,
 * Latin-1 and Latin Extended-A (every Polish letter: Ą Ć Ę Ł Ń Ó Ś Ź Ż).
 * Not the locale's tolower(): that would fold single bytes of UTF-8.
 * Turkish İ and ı fold to nothing: their partners, i and I, are a byte
 * shorter (and İ is not i's capital outside Turkish; -E does not pair
 * them either).  Ÿ's partner ÿ is in Latin-1. */
static uint32_t fold_cp(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c == 0x130 || c == 0x131)
		return c;
	if (c == 0x178)
		return 0xFF;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1u;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1u) ? c + 1 : c;
	return c;
}

static void fold_text(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned char c = p[i];
		if (c < 0x80) {
			out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
		} else if ((c & 0xE0) == 0xC0 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
			uint32_t cp = fold_cp(((uint32_t)(c & 0x1F) << 6) | (p[i + 1] & 0x3F));
			/* two-byte code points stay two bytes */
			out[i] = (char)(0xC0 | (cp >> 6));
			out[i + 1] = (char)(0x80 | (cp & 0x3F));
			i += 2;
		} else {
			out[i] = (char)c;
			i++;
		}
	}
}

static int matcher_init(struct matcher *mt, const char *pat, int regex, const char *opt, char *err,
			size_t errlen)
{
	if (!pat || !*pat)
		return 0;
	mt->active = 1;
	mt->opt = opt;
	if (regex) {
		int ec;
		PCRE2_SIZE eo;
		mt->re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				       PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &eo,
				       NULL);
		if (!mt->re) {
			char msg[160];
			pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg);
			snprintf(err, errlen, _("%s: bad regular expression at offset %zu: %s"), opt,
				 (size_t)eo, msg);
			return -1;
		}
		pcre2_jit_compile(mt->re, PCRE2_JIT_COMPLETE);
		mt->md = pcre2_match_data_create_from_pattern(mt->re, NULL);
		/* A user's pattern must not hang the tool on a long line. */
		mt->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mt->mctx, 1000000);
		pcre2_set_depth_limit(mt->mctx, 10000);
		return 0;
	}
	size_t n = strlen(pat);
	mt->needle = xmalloc(n + 1);
	fold_text(pat, n, mt->needle);
	mt->needle[n] = '\0';
	mt->len = n;
	return 0;
}

static void matcher_free(struct matcher *mt)
{
	free(mt->needle);
	free(mt->cache);
	tbuf_release(&mt->folded);
	if (mt->md)
		pcre2_match_data_free(mt->md);
	if (mt->mctx)
		pcre2_match_context_free(mt->mctx);
	if (mt->re)
		pcre2_code_free(mt->re);
}

static int raw_match(struct matcher *mt, const char *s, size_t n)
{
	if (mt->re) {
		int rc = pcre2_match(mt->re, (PCRE2_SPTR)s, n, 0, 0, mt->md, mt->mctx);
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
		    rc == PCRE2_ERROR_HEAPLIMIT)
			mt->limit_hits++;
		return rc >= 0;
	}
	if (n < mt->len)
		return 0;
	tbuf_reset(&mt->folded);
	tbuf_grow(&mt->folded, n);
	fold_text(s, n, mt->folded.data);
	return memmem(mt->folded.data, n, mt->needle, mt->len) != NULL;
}

/* Verdict for a string id, cached unless the id is tagged. */
static int str_match(struct matcher *mt, const struct store *st, uint32_t id)
{
	if (!id)
		return 0;
	if (strtab_is_tagged(id))
		return raw_match(mt, store_str(st, id), strtab_len(&st->strs, id));
	if (id >= mt->cache_len) {
		size_t n = strtab_id_limit(&st->strs) + 1024;
		mt->cache = xrealloc(mt->cache, n);
		memset(mt->cache + mt->cache_len, 0, n - mt->cache_len);
		mt->cache_len = n;
	}
	if (mt->cache[id])
		return mt->cache[id] == 2;
	int yes = raw_match(mt, store_str(st, id), strtab_len(&st->strs, id));
	mt->cache[id] = yes ? 2 : 1;
	return yes;
}

struct query *query_compile(const struct query_spec *spec, int64_t now_us, char *err, size_t errlen)
{
	struct query *q = xcalloc(1, sizeof *q);
	if (spec->since) {
		if (query_parse_time(spec->since, now_us, 0, &q->since) != 0) {
			snprintf(err, errlen, _("--since: cannot read \"%s\" as a time (try 2026-11-20, "
				 "\"2026-11-20 10:00\", today, yesterday, -2h, -3d)"), spec->since);
			goto fail;
		}
		q->has_since = 1;
	}
	if (spec->until) {
		if (query_parse_time(spec->until, now_us, 1, &q->until) != 0) {
			snprintf(err, errlen, _("--until: cannot read \"%s\" as a time (try 2026-11-20, "
				 "\"2026-11-20 18:00\", today, -1h)"), spec->until);
			goto fail;
		}
		q->has_until = 1;
	}
	if (spec->status) {
		const char *p = spec->status;
		while (*p) {
			size_t n = strcspn(p, ",| ");
			if (n) {
				int o = outcome_from_name(p, n);
				if (o < 0) {
					snprintf(err, errlen, _("--status: unknown status \"%.*s\" (use delivered, "
						 "bounced, deferred, expired, rejected, partial, queued)"),
						 (int)n, p);
					goto fail;
				}
				q->status_mask |= 1u << o;
			}
			p += n;
			while (*p == ',' || *p == '|' || *p == ' ')
				p++;
		}
	}
	static const char *const opt[T__COUNT] = {"--from", "--to", "--ip", "--subject",
						  "--msgid", "--account", "search"};
	const char *pats[T__COUNT] = {spec->from, spec->to, spec->ip, spec->subject, NULL,
				      spec->account, spec->text};
	char norm[512];
	if (spec->msgid) {
		/* Pasted from a header: "<abc@x>" and "Message-ID: <abc@x>". */
		const char *s = spec->msgid;
		if (strncasecmp(s, "message-id:", 11) == 0)
			s += 11;
		size_t n = corr_norm_msgid(s, strlen(s), norm, sizeof norm - 1);
		norm[n] = '\0';
		pats[T_MSGID] = norm;
	}
	for (int i = 0; i < T__COUNT; i++)
		if (matcher_init(&q->m[i], pats[i], spec->regex && i != T_MSGID, opt[i], err, errlen))
			goto fail;
	return q;
fail:
	query_free(q);
	return NULL;
}

void query_free(struct query *q)
{
	if (!q)
		return;
	for (int i = 0; i < T__COUNT; i++)
		matcher_free(&q->m[i]);
	free(q);
}

static int any_rcpt(struct matcher *mt, const struct store *st, const struct message *msg)
{
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next)
		if (str_match(mt, st, st->rcpts[r].addr) || str_match(mt, st, st->rcpts[r].orig))
			return 1;
	return 0;
}

static int msgid_match(struct matcher *mt, const struct store *st, const struct message *msg)
{
	/* An exact queue id or Message-ID is what people paste; allow a
	 * substring too so a partial id still finds it. */
	return str_match(mt, st, msg->msgid) || str_match(mt, st, msg->qid);
}

size_t query_limit_report(const struct query *q, char *buf, size_t cap)
{
	size_t used = 0;
	if (cap)
		buf[0] = '\0';
	for (int i = 0; i < T__COUNT; i++) {
		const struct matcher *mt = &q->m[i];
		if (!mt->limit_hits || used >= cap)
			continue;
		int w = snprintf(buf + used, cap - used,
				 P_("%s%s: the pattern needed too much work on %llu value, which was "
				    "treated as not matching; simplify it (avoid nested repeats like (a+)+)",
				    "%s%s: the pattern needed too much work on %llu values, which were "
				    "treated as not matching; simplify it (avoid nested repeats like (a+)+)",
				    mt->limit_hits),
				 used ? "; " : "", mt->opt, (unsigned long long)mt->limit_hits);
		if (w > 0)
			used += (size_t)w < cap - used ? (size_t)w : cap - used - 1;
	}
	return used;
}

int query_match(struct query *q, const struct store *st, uint32_t m)
{
	const struct message *msg = &st->msgs[m];
	if (q->has_since && msg->last_ts < q->since)
		return 0;
	if (q->has_until && msg->first_ts > q->until)
		return 0;
	if (q->status_mask && !(q->status_mask & (1u << msg->status)))
		return 0;
	struct matcher *mt = q->m;
	if (mt[T_FROM].active && !str_match(&mt[T_FROM], st, msg->sender))
		return 0;
	if (mt[T_TO].active && !any_rcpt(&mt[T_TO], st, msg))
		return 0;
	if (mt[T_IP].active && !str_match(&mt[T_IP], st, msg->client_ip) &&
	    !str_match(&mt[T_IP], st, msg->client_host))
		return 0;
	if (mt[T_SUBJECT].active && !str_match(&mt[T_SUBJECT], st, msg->subject))
		return 0;
	if (mt[T_MSGID].active && !msgid_match(&mt[T_MSGID], st, msg))
		return 0;
	if (mt[T_ACCOUNT].active && !str_match(&mt[T_ACCOUNT], st, store_msg_extra(st, msg, MSG_X_ACCOUNT)) &&
	    !str_match(&mt[T_ACCOUNT], st, msg->auth))
		return 0;
	if (mt[T_TEXT].active) {
		struct matcher *t = &mt[T_TEXT];
		if (!(str_match(t, st, msg->sender) || any_rcpt(t, st, msg) ||
		      str_match(t, st, msg->subject) || str_match(t, st, msg->qid) ||
		      str_match(t, st, msg->msgid) || str_match(t, st, msg->client_ip) ||
		      str_match(t, st, msg->client_host) || str_match(t, st, msg->auth) ||
		      str_match(t, st, store_msg_extra(st, msg, MSG_X_ACCOUNT))))
			return 0;
	}
	return 1;
}

/* One thread's share of query_select: messages [lo, hi) into out. */
struct select_part {
	struct query *q;
	const struct store *st;
	uint32_t lo, hi;
	uint32_t *out;
	size_t n;
};

static void *select_part_main(void *arg)
{
	struct select_part *p = arg;
	p->n = 0;
	for (uint32_t m = p->lo; m < p->hi; m++)
		if (query_match(p->q, p->st, m))
			p->out[p->n++] = m;
	return NULL;
}

size_t query_select(struct query *q, struct query *q2, const struct store *st, uint32_t *out)
{
	/* matching is a cache miss or two per message: a tenth of a second
	 * per million, worth a second core */
	uint32_t half = q2 && st->nmsgs >= QUERY_SPLIT_MIN ? st->nmsgs / 2 : st->nmsgs;
	struct select_part lower = {q, st, 0, half, out, 0};
	struct select_part upper = {q2, st, half, st->nmsgs, out + half, 0};
	pthread_t helper;
	int threaded = half < st->nmsgs && pthread_create(&helper, NULL, select_part_main, &upper) == 0;
	select_part_main(&lower);
	if (threaded)
		pthread_join(helper, NULL);
	else if (half < st->nmsgs)
		select_part_main(&upper);
	memmove(out + lower.n, out + half, upper.n * sizeof *out);
	return lower.n + upper.n;
}
