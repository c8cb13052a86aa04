/*
 * stats.c - the figures behind --stats, --stats --json and the TUI stats
 * screen: one pass over the messages in time order fills the model
 * (stats.h), then small renderers draw it.
 *
 * Key design decision: every per-key figure (top tables and the suspect
 * rules) comes from the same aggregate, keyed by (kind, string id) in one
 * hash map, so a suspect's numbers are exactly the numbers of its row in
 * the top table.  Suspect rules compare a key against ITS OWN usual rate
 * over the period, not against a global limit alone: a steady busy sender
 * has no minute and no hour far above its own average, while a hijacked
 * login or a spamming script does.
 */
#include <inttypes.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "output.h"
#include "stats.h"
#include "textsafe.h"
#include "timeparse.h"
#include "u64map.h"
#include "xalloc.h"

#define HOUR_US (3600 * US_PER_SEC)
#define MINUTE_US (60 * US_PER_SEC)

/* Rows shown by the text renderer (the model and JSON keep more). */
#define TEXT_TOP 10
#define TEXT_REASONS 10
#define TEXT_DEFERRED 15
#define TEXT_HIST_ROWS 48
#define TEXT_SPARK_COLS 72
#define TEXT_BAR_COLS 50
/* Columns of the name and of each share in the top tables. */
#define NAME_W 31
#define SHARE_W 9

static int has_time(int64_t t)
{
	return t != INT64_MAX && t != INT64_MIN;
}

/* Floor division, so times before 1970 still fall in the right bucket. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* --- a private string set ---------------------------------------------- */

/* Owned strings with dense ids from 1 (0 is ""), for the deferred domains
 * and the reply keys: the store's table is read-only here, and a second
 * store-sized table would cost more than these few strings. */
struct sset {
	char **strs;          /* id - 1 -> NUL-terminated copy (may hold NULs) */
	uint32_t *lens, *hashes;
	uint32_t count, cap;
	uint32_t *slots;      /* id, 0 = empty; nslots a power of two */
	uint32_t nslots;
};

static uint32_t sset_find(const struct sset *t, const char *s, size_t n, uint32_t h)
{
	if (!t->nslots)
		return 0;
	for (uint32_t i = h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
		uint32_t id = t->slots[i];
		if (!id)
			return 0;
		if (t->hashes[id - 1] == h && t->lens[id - 1] == n && memcmp(t->strs[id - 1], s, n) == 0)
			return id;
	}
}

static uint32_t sset_lookup(const struct sset *t, const char *s, size_t n)
{
	return n ? sset_find(t, s, n, strtab_hash(s, n)) : 0;
}

static uint32_t sset_add(struct sset *t, const char *s, size_t n)
{
	if (!n)
		return 0;
	if (n > UINT32_MAX - 1)
		n = UINT32_MAX - 1;
	uint32_t h = strtab_hash(s, n);
	uint32_t id = sset_find(t, s, n, h);
	if (id)
		return id;
	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->strs = xrealloc(t->strs, t->cap * sizeof *t->strs);
		t->lens = xrealloc(t->lens, t->cap * sizeof *t->lens);
		t->hashes = xrealloc(t->hashes, t->cap * sizeof *t->hashes);
	}
	if ((uint64_t)(t->count + 1) * 4 > (uint64_t)t->nslots * 3) {
		uint32_t ns = t->nslots ? t->nslots * 2 : 128;
		uint32_t *slots = xcalloc(ns, sizeof *slots);
		for (uint32_t k = 0; k < t->count; k++) {
			uint32_t i = t->hashes[k] & (ns - 1);
			while (slots[i])
				i = (i + 1) & (ns - 1);
			slots[i] = k + 1;
		}
		free(t->slots);
		t->slots = slots;
		t->nslots = ns;
	}
	char *copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	t->strs[t->count] = copy;
	t->lens[t->count] = (uint32_t)n;
	t->hashes[t->count] = h;
	id = ++t->count;
	uint32_t i = h & (t->nslots - 1);
	while (t->slots[i])
		i = (i + 1) & (t->nslots - 1);
	t->slots[i] = id;
	return id;
}

static const char *sset_get(const struct sset *t, uint32_t id)
{
	return id && id <= t->count ? t->strs[id - 1] : "";
}

static void sset_release(struct sset *t)
{
	for (uint32_t i = 0; i < t->count; i++)
		free(t->strs[i]);
	free(t->strs);
	free(t->lens);
	free(t->hashes);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

/* --- per-message facts ------------------------------------------------- */

struct mfacts {
	uint8_t final;     /* enum outcome over the final recipient outcomes */
	uint8_t bounced, deferred, rejected;
};

static int is_failure(enum outcome o)
{
	return o == OUT_BOUNCED || o == OUT_EXPIRED || o == OUT_DEFERRED || o == OUT_REJECTED;
}

static void mark(struct mfacts *f, enum outcome o)
{
	if (o == OUT_BOUNCED || o == OUT_EXPIRED)
		f->bounced = 1;
	else if (o == OUT_DEFERRED)
		f->deferred = 1;
	else if (o == OUT_REJECTED)
		f->rejected = 1;
}

/* The message holding recipient fin, reached from recipient r of msg by
 * hand-offs (the path store_rcpt_final() follows; at a fork, the first
 * recipient that is handed on further). */
static const struct message *rcpt_owner(const struct store *st, const struct message *msg,
					uint32_t r, uint32_t fin)
{
	const struct message *own = msg;
	uint32_t x = r;
	for (int depth = 0; depth < 8 && x != fin; depth++) {
		uint32_t h = st->rcpts[x].hop;
		if (h >= st->nmsgs)
			break;
		own = &st->msgs[h];
		uint32_t next = RCPT_NONE;
		for (uint32_t y = own->first_rcpt; y != RCPT_NONE; y = st->rcpts[y].next) {
			if (y == fin) {
				next = y;
				break;
			}
			if (st->rcpts[y].hop != MSG_NONE && next == RCPT_NONE)
				next = y;
		}
		if (next == RCPT_NONE)
			break;
		x = next;
	}
	return own;
}

/* Final outcome of recipient r of msg, read as store_msg_update_status()
 * does, but with the flags of the message that holds the final word: a
 * copy whose queue lifetime ran out left no recipient waiting.  *owner
 * (may be NULL) gets that message. */
static enum outcome rcpt_outcome(const struct store *st, const struct message *msg, uint32_t r,
				 uint32_t *fin_out, const struct message **owner)
{
	uint32_t fin = r;
	enum outcome o = store_rcpt_final(st, r, &fin);
	const struct message *own = fin == r ? msg : rcpt_owner(st, msg, r, fin);
	if ((own->flags & MSG_EXPIRED) && (o == OUT_DEFERRED || o == OUT_QUEUED))
		o = OUT_EXPIRED;
	if (fin_out)
		*fin_out = fin;
	if (owner)
		*owner = own;
	return o;
}

/* A deferred recipient is still in the queue at the end of the logs
 * (qshape) unless its message was removed by an administrator or left the
 * queue. */
static int still_queued(const struct message *owner)
{
	return !(owner->flags & (MSG_DELETED | MSG_DONE));
}

static void msg_facts(const struct store *st, uint32_t m, struct mfacts *f)
{
	const struct message *msg = store_msg(st, m);
	memset(f, 0, sizeof *f);
	int first = 1;
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
		uint32_t fin = r;
		enum outcome o = rcpt_outcome(st, msg, r, &fin, NULL);
		mark(f, o);
		if (first)
			f->final = (uint8_t)o;
		else if (f->final != o)
			f->final = OUT_PARTIAL;
		first = 0;
	}
	if (first) {
		f->final = msg->status;
		mark(f, (enum outcome)f->final);
	}
	if (f->final >= OUT__COUNT)
		f->final = OUT_NONE;
}

static int is_null_sender(const struct store *st, const struct message *msg)
{
	if (msg->flags & MSG_IS_BOUNCE)
		return 1;
	return msg->sender && strcmp(store_str(st, msg->sender), "<>") == 0;
}

/* The string id a message has for kind k, 0 if none.  *excluded is set
 * when the message has one but the table leaves it out (bounces). */
static uint32_t msg_key(const struct store *st, const struct message *msg, enum stats_kind k,
			int *excluded)
{
	*excluded = 0;
	switch (k) {
	case STATS_SENDER:
		if (is_null_sender(st, msg)) {
			*excluded = 1;
			return 0;
		}
		return msg->sender;
	case STATS_AUTH:
		return msg->auth;
	case STATS_IP:
		return msg->client_ip;
	case STATS_SCRIPT:
		return store_msg_extra(st, msg, MSG_X_SCRIPT);
	default:
		return 0;
	}
}

/* Explain one failed recipient (fr NULL: a refused message without any). */
static int explain_failure(const struct store *st, const struct rcpt *fr, enum outcome o,
			   struct explanation *ex)
{
	if (!fr)
		return explain_outcome((int)o, NULL, 0, NULL, 0, ex);
	const char *dsn = fr->dsn ? store_str(st, fr->dsn) : NULL;
	return explain_outcome((int)o, dsn, fr->smtp_code, store_str(st, fr->reply),
			       strtab_len(&st->strs, fr->reply), ex);
}

static const char *reason_id(int rc, const struct explanation *ex)
{
	return rc == 0 && ex->id ? ex->id : "unexplained";
}

/* Lower-cased domain of an address into buf (cap bytes), "" if none.
 * Stops at a NUL so that the result compares like a C string. */
static void addr_domain(const char *addr, size_t n, char *buf, size_t cap)
{
	const char *at = NULL;
	for (size_t i = 0; i < n && addr[i]; i++)
		if (addr[i] == '@')
			at = addr + i;
	size_t k = 0;
	if (at) {
		for (const char *p = at + 1; p < addr + n && *p && *p != '>' && k + 1 < cap; p++)
			buf[k++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
		if (k && buf[k - 1] == '.')
			k--;
	}
	if (cap)
		buf[k] = '\0';
}

static enum stats_age age_bucket(int64_t age_us)
{
	if (age_us < HOUR_US)
		return STATS_AGE_1H;
	if (age_us < 4 * HOUR_US)
		return STATS_AGE_4H;
	if (age_us < 24 * HOUR_US)
		return STATS_AGE_24H;
	if (age_us < 5 * 24 * HOUR_US)
		return STATS_AGE_5D;
	return STATS_AGE_OLDER;
}

/* --- names ------------------------------------------------------------- */

const char *stats_kind_name(enum stats_kind k)
{
	static const char *const names[STATS_KIND__COUNT] = {"sender", "auth", "ip", "script"};
	return (unsigned)k < STATS_KIND__COUNT ? names[k] : "unknown";
}

const char *stats_kind_label(enum stats_kind k)
{
	switch (k) {
	case STATS_SENDER:
		return _("sender");
	case STATS_AUTH:
		return _("login");
	case STATS_IP:
		return _("IP");
	case STATS_SCRIPT:
		return _("script");
	default:
		return "?";
	}
}

/* Translated outcome for text (JSON keeps outcome_name()). */
static const char *const age_labels[STATS_AGE__COUNT] = {
	N_("< 1 h"), N_("1-4 h"), N_("4-24 h"), N_("1-5 d"), N_("> 5 d"),
};
static const char *const age_ids[STATS_AGE__COUNT] = {"lt_1h", "1h_4h", "4h_24h", "1d_5d",
						      "gt_5d"};

const char *stats_age_label(enum stats_age a)
{
	return (unsigned)a < STATS_AGE__COUNT ? _(age_labels[a]) : "?";
}

/* --- compute ----------------------------------------------------------- */

struct agg {
	uint32_t who;
	uint8_t kind;
	struct stats_counts c;
	uint32_t timed;          /* messages with a time (burst window) */
	uint32_t cur_hour;       /* hour index + 1 being counted, 0 none */
	uint32_t cur_rcpts;      /* distinct recipients in cur_hour */
	uint32_t max_rcpts, max_hour;
	uint64_t sum_rcpts;      /* sum over hours of distinct recipients */
	uint32_t burst;
	int64_t burst_at;
};

static void agg_close_hour(struct agg *a)
{
	if (!a->cur_hour)
		return;
	if (a->cur_rcpts > a->max_rcpts) {
		a->max_rcpts = a->cur_rcpts;
		a->max_hour = a->cur_hour - 1;
	}
	a->sum_rcpts += a->cur_rcpts;
	a->cur_hour = 0;
	a->cur_rcpts = 0;
}

/*
 * Explanations cost a pass of the reply patterns each, and reply texts
 * differ mostly in the address they quote ("550 5.1.1 <anna@x>: ...").
 * So one explanation is kept per (reply with the contents of <...>
 * dropped, dsn, code, outcome): an address inside angle brackets never
 * decides what a reply means.  The cache stays with the model so that
 * stats_row_messages() on a reason row needs no pattern matching either.
 */
struct reason_key {
	uint32_t norm, dsn;      /* norm: id in stats_reason_cache.norm */
	uint16_t code;
	uint8_t outcome;
	uint32_t row;
};

struct stats_reason_cache {
	struct sset norm;
	struct u64map of;        /* key_hash -> index + 1 into keys */
	struct reason_key *keys;
	size_t nkeys, cap;
};

static void reply_key(const char *s, size_t n, struct tbuf *out)
{
	tbuf_reset(out);
	size_t i = 0;
	while (i < n) {
		const char *gt = NULL;
		if (s[i] == '<')
			gt = memchr(s + i, '>', n - i < 256 ? n - i : 256);
		if (gt) {
			tbuf_puts(out, "<>");
			i = (size_t)(gt - s) + 1;
			continue;
		}
		const char *lt = memchr(s + i, '<', n - i);
		size_t run = lt ? (size_t)(lt - (s + i)) : n - i;
		if (run == 0)
			run = 1; /* a '<' without its '>' */
		tbuf_putn(out, s + i, run);
		i += run;
	}
}

static uint64_t reason_hash(uint32_t norm, uint32_t dsn, uint16_t code, uint8_t o)
{
	return u64map_key2(norm, dsn * 0x9e3779b1u ^ (uint32_t)code << 8 ^ o);
}

/* The reason row of a failure, or UINT32_MAX when not cached.  intern: add
 * the reply key if new (compute only). */
static uint32_t reason_cached(struct stats_reason_cache *c, const struct store *st,
			      const struct rcpt *fr, enum outcome o, struct tbuf *tmp,
			      int intern, struct reason_key *key)
{
	memset(key, 0, sizeof *key);
	if (fr) {
		reply_key(store_str(st, fr->reply), strtab_len(&st->strs, fr->reply), tmp);
		key->norm = intern ? sset_add(&c->norm, tbuf_str(tmp), tmp->len)
				   : sset_lookup(&c->norm, tbuf_str(tmp), tmp->len);
		if (!key->norm && tmp->len)
			return UINT32_MAX;
		key->dsn = fr->dsn;
		key->code = fr->smtp_code;
	}
	key->outcome = (uint8_t)o;
	uint32_t i = u64map_get(&c->of, reason_hash(key->norm, key->dsn, key->code, key->outcome), 0);
	if (!i)
		return UINT32_MAX;
	const struct reason_key *k = &c->keys[i - 1];
	if (k->norm != key->norm || k->dsn != key->dsn || k->code != key->code ||
	    k->outcome != key->outcome)
		return UINT32_MAX; /* a hash collision: explain it afresh */
	return k->row;
}

static void reason_remember(struct stats_reason_cache *c, const struct reason_key *key,
			    uint32_t row)
{
	uint64_t h = reason_hash(key->norm, key->dsn, key->code, key->outcome);
	if (u64map_get(&c->of, h, 0))
		return;
	if (c->nkeys == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->keys = xrealloc(c->keys, c->cap * sizeof *c->keys);
	}
	c->keys[c->nkeys] = *key;
	c->keys[c->nkeys].row = row;
	u64map_put(&c->of, h, (uint32_t)++c->nkeys);
}

struct work {
	const struct store *st;
	struct stats *s;
	struct agg *aggs;
	size_t naggs, aggs_cap;
	struct u64map agg_of;    /* (kind, who) -> agg index */
	struct u64map seen;      /* (agg, addr) -> hour index + 2 last counted */
	size_t reasons_cap;
	struct tbuf tmp;
	struct sset domains;     /* deferred domain -> id */
	struct stats_deferred_row *drows; /* indexed by domain id */
	size_t drows_cap;
};

static uint32_t agg_get(struct work *w, enum stats_kind k, uint32_t who)
{
	uint64_t key = u64map_key2((uint32_t)k, who);
	uint32_t i = u64map_get(&w->agg_of, key, UINT32_MAX);
	if (i != UINT32_MAX)
		return i;
	if (w->naggs == w->aggs_cap) {
		w->aggs_cap = w->aggs_cap ? w->aggs_cap * 2 : 256;
		w->aggs = xrealloc(w->aggs, w->aggs_cap * sizeof *w->aggs);
	}
	i = (uint32_t)w->naggs++;
	memset(&w->aggs[i], 0, sizeof w->aggs[i]);
	w->aggs[i].who = who;
	w->aggs[i].kind = (uint8_t)k;
	u64map_put(&w->agg_of, key, i);
	return i;
}

static void add_reason(struct work *w, const struct rcpt *fr, uint32_t m, uint32_t fin,
		       enum outcome o)
{
	const struct store *st = w->st;
	struct stats *s = w->s;
	struct reason_key key;
	uint32_t row = reason_cached(s->reason_cache, st, fr, o, &w->tmp, 1, &key);
	struct explanation ex;
	int rc = -1;
	if (row == UINT32_MAX) {
		rc = explain_failure(st, fr, o, &ex);
		const char *id = reason_id(rc, &ex);
		for (size_t i = 0; i < s->nreasons; i++)
			if (strcmp(s->reasons[i].id, id) == 0) {
				row = (uint32_t)i;
				break;
			}
		if (row == UINT32_MAX) {
			if (s->nreasons == w->reasons_cap) {
				w->reasons_cap = w->reasons_cap ? w->reasons_cap * 2 : 16;
				s->reasons = xrealloc(s->reasons, w->reasons_cap * sizeof *s->reasons);
			}
			row = (uint32_t)s->nreasons++;
			struct stats_reason_row *nr = &s->reasons[row];
			memset(nr, 0, sizeof *nr);
			nr->id = id;
			nr->cause = rc == 0 ? ex.cause : _("No explanation is known for this reply.");
			nr->side = rc == 0 ? ex.side : SIDE_NONE;
			nr->example_msg = m;
			nr->example_rcpt = fr ? fin : RCPT_NONE;
		}
		reason_remember(s->reason_cache, &key, row);
	}
	struct stats_reason_row *r = &s->reasons[row];
	r->count++;
	s->failures++;
	if (o == OUT_DEFERRED) {
		r->deferred++;
	} else {
		if (o == OUT_REJECTED)
			r->rejected++;
		else
			r->bounced++;
		/* Prefer a permanent failure as the example: its cause is
		 * worded as final, and it is the one support must act on. */
		if (r->bounced + r->rejected == 1 && r->deferred > 0) {
			if (rc == -1 && explain_failure(st, fr, o, &ex) == 0)
				rc = 0;
			if (rc == 0) {
				r->cause = ex.cause;
				r->side = ex.side;
			}
			r->example_msg = m;
			r->example_rcpt = fr ? fin : RCPT_NONE;
		}
	}
}

static void add_deferred(struct work *w, const struct rcpt *fr, const struct message *msg)
{
	const struct store *st = w->st;
	char dom[256];
	addr_domain(store_str(st, fr->addr), strtab_len(&st->strs, fr->addr), dom, sizeof dom);
	/* id 0 is "" in a strtab; keep "" as its own row at index 0 */
	uint32_t id = sset_add(&w->domains, dom, strlen(dom));
	if (id >= w->drows_cap) {
		size_t nc = w->drows_cap ? w->drows_cap : 64;
		while (nc <= id)
			nc *= 2;
		w->drows = xrealloc(w->drows, nc * sizeof *w->drows);
		memset(w->drows + w->drows_cap, 0, (nc - w->drows_cap) * sizeof *w->drows);
		w->drows_cap = nc;
	}
	int64_t age = has_time(msg->first_ts) ? w->s->end_ts - msg->first_ts : 0;
	enum stats_age a = age_bucket(age);
	w->drows[id].total++;
	w->drows[id].age[a]++;
	w->s->deferred_total[a]++;
	w->s->deferred_total[STATS_AGE__COUNT]++;
}

static int cmp_msg_time(const void *a, const void *b, void *arg)
{
	const struct store *st = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int64_t tx = st->msgs[x].first_ts, ty = st->msgs[y].first_ts;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int cmp_top(const void *a, const void *b, void *arg)
{
	const struct store *st = arg;
	const struct stats_top_row *x = a, *y = b;
	if (x->c.messages != y->c.messages)
		return x->c.messages > y->c.messages ? -1 : 1;
	int c = strcmp(store_str(st, x->who), store_str(st, y->who));
	return c ? c : (x->who > y->who) - (x->who < y->who);
}

static int popcount3(unsigned r)
{
	return !!(r & 1) + !!(r & 2) + !!(r & 4);
}

static int cmp_suspect(const void *a, const void *b, void *arg)
{
	const struct store *st = arg;
	const struct stats_suspect *x = a, *y = b;
	int px = popcount3(x->rules), py = popcount3(y->rules);
	if (px != py)
		return px > py ? -1 : 1;
	if (x->c.messages != y->c.messages)
		return x->c.messages > y->c.messages ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(store_str(st, x->who), store_str(st, y->who));
}

static int cmp_reason_idx(const void *a, const void *b, void *arg)
{
	const struct stats_reason_row *rows = arg;
	const struct stats_reason_row *x = &rows[*(const uint32_t *)a];
	const struct stats_reason_row *y = &rows[*(const uint32_t *)b];
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int cmp_outcome(const void *a, const void *b)
{
	const struct stats_outcome_row *x = a, *y = b;
	if (x->messages != y->messages)
		return x->messages > y->messages ? -1 : 1;
	return x->outcome - y->outcome;
}

static int cmp_deferred(const void *a, const void *b)
{
	const struct stats_deferred_row *x = a, *y = b;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->domain, y->domain);
}

/* Sort the reasons and renumber the rows the cache points to. */
static void sort_reasons(struct stats *s)
{
	size_t n = s->nreasons;
	if (n < 2)
		return;
	uint32_t *order = xmalloc(n * sizeof *order), *new_of = xmalloc(n * sizeof *new_of);
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, n, sizeof *order, cmp_reason_idx, s->reasons);
	struct stats_reason_row *rows = xmalloc(n * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		rows[i] = s->reasons[order[i]];
		new_of[order[i]] = (uint32_t)i;
	}
	free(s->reasons);
	s->reasons = rows;
	struct stats_reason_cache *c = s->reason_cache;
	for (size_t i = 0; i < c->nkeys; i++)
		c->keys[i].row = new_of[c->keys[i].row];
	free(order);
	free(new_of);
}

void stats_time_minute(int64_t us, char buf[32])
{
	output_time_local(us, buf);
	if (strlen(buf) > 16)
		buf[16] = '\0';
}

void stats_hour_title(const struct stats *s, char *buf, size_t cap)
{
	unsigned hb = s->bucket_us > 0 ? (unsigned)(s->bucket_us / HOUR_US) : 1;
	if (hb <= 1)
		snprintf(buf, cap, "%s", _("Messages per hour"));
	else
		/* TRANSLATORS: a section title; %u is 2 or more ("Messages per
		 * hour" is used for 1) */
		snprintf(buf, cap, P_("Messages per %u hour", "Messages per %u hours", hb), hb);
}

void stats_hour_legend(struct tbuf *out, const struct stats *s, size_t buckets_per_mark,
		       uint32_t busiest)
{
	unsigned hb = s->bucket_us > 0 ? (unsigned)(s->bucket_us / HOUR_US) : 1;
	char a[32], z[32];
	stats_time_minute(s->hour0, a);
	stats_time_minute(s->hour0 + (int64_t)(s->nhours - 1) * s->bucket_us, z);
	tbuf_printf(out, "%s .. %s, ", a, z);
	tbuf_printf(out,
		    /* TRANSLATORS: "h" is hours; the busiest count (the second
		     * number) picks the plural form */
		    P_("one mark = %zu h, busiest: %" PRIu32 " message",
		       "one mark = %zu h, busiest: %" PRIu32 " messages", busiest),
		    buckets_per_mark * (size_t)(hb ? hb : 1), busiest);
}

static uint32_t round_u32(double v)
{
	if (v <= 0)
		return 0;
	if (v >= (double)UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(v + 0.5);
}

/* Decide the suspect rules for one aggregate; 0 when nothing fires. */
static unsigned judge(const struct stats *s, const struct agg *a, struct stats_suspect *out)
{
	memset(out, 0, sizeof *out);
	unsigned rules = 0;
	double period_min = 0, period_h = 1;
	if (has_time(s->first_ts) && s->last_ts > s->first_ts) {
		period_min = (double)((uint64_t)s->last_ts - (uint64_t)s->first_ts) / (double)MINUTE_US;
		period_h = (double)s->nhours * (double)s->bucket_us / (double)HOUR_US;
	}
	/* Usual rate outside the burst: the rest of the key's messages spread
	 * over the rest of the period. */
	double rest_min = period_min - STATS_BURST_WINDOW_S / 60.0;
	double usual_min = (double)(a->timed - a->burst) / (rest_min > 1 ? rest_min : 1);
	out->burst = a->burst;
	out->burst_at = a->burst_at;
	out->burst_usual = round_u32(usual_min * 60);
	if (a->burst > STATS_BURST_LIMIT && a->burst >= STATS_BURST_FACTOR * usual_min)
		rules |= STATS_RULE_BURST;

	double other_h = period_h - 1;
	double usual_h = (double)(a->sum_rcpts - a->max_rcpts) / (other_h > 1 ? other_h : 1);
	out->hour_rcpts = a->max_rcpts;
	out->hour_rcpts_at = s->hour0 + (int64_t)a->max_hour * HOUR_US;
	out->hour_rcpts_usual = round_u32(usual_h);
	if (a->max_rcpts >= STATS_RCPT_HOUR_LIMIT && a->max_rcpts >= STATS_RCPT_FACTOR * usual_h)
		rules |= STATS_RULE_RCPTS;

	if (a->c.messages >= STATS_BOUNCE_MIN_MSGS &&
	    (uint64_t)a->c.bounced * 100 >= (uint64_t)STATS_BOUNCE_PCT * a->c.messages)
		rules |= STATS_RULE_BOUNCES;
	if (!rules)
		return 0;

	out->kind = (enum stats_kind)a->kind;
	out->who = a->who;
	out->c = a->c;
	out->rules = rules;
	struct tbuf r = TBUF_INIT;
	char when[32];
	if (rules & STATS_RULE_BURST) {
		stats_time_minute(a->burst_at, when);
		tbuf_printf(&r,
			    P_("%" PRIu32 " message in one minute at %s (usual: %" PRIu32 "/hour)",
			       "%" PRIu32 " messages in one minute at %s (usual: %" PRIu32 "/hour)",
			       a->burst),
			    a->burst, when, out->burst_usual);
	}
	if (rules & STATS_RULE_RCPTS) {
		stats_time_minute(out->hour_rcpts_at, when);
		if (r.len)
			tbuf_puts(&r, "; ");
		tbuf_printf(&r,
			    P_("%" PRIu32 " distinct recipient in one hour from %s (usual: %" PRIu32
			       "/hour)",
			       "%" PRIu32 " distinct recipients in one hour from %s (usual: %" PRIu32
			       "/hour)",
			       a->max_rcpts),
			    a->max_rcpts, when, out->hour_rcpts_usual);
	}
	if (rules & STATS_RULE_BOUNCES) {
		if (r.len)
			tbuf_puts(&r, "; ");
		tbuf_printf(&r,
			    /* TRANSLATORS: "5 of 20 messages bounced (25%)"; the
			     * second number (all messages) picks the plural form */
			    P_("%" PRIu32 " of %" PRIu32 " message bounced (%u%%)",
			       "%" PRIu32 " of %" PRIu32 " messages bounced (%u%%)", a->c.messages),
			    a->c.bounced, a->c.messages,
			    (unsigned)((uint64_t)a->c.bounced * 100 / a->c.messages));
	}
	out->reason = xstrdup(tbuf_str(&r));
	tbuf_release(&r);
	return rules;
}

/* Most messages of one key within any burst window: two pointers over the
 * key's message times (ascending). */
static void burst_of(const int64_t *t, const uint32_t *pos, size_t k, uint32_t *best,
		     int64_t *at)
{
	size_t j = 0;
	*best = 0;
	for (size_t i = 0; i < k; i++) {
		while ((uint64_t)t[pos[i]] - (uint64_t)t[pos[j]] >=
		       (uint64_t)STATS_BURST_WINDOW_S * US_PER_SEC)
			j++;
		if (i - j + 1 > *best) {
			*best = (uint32_t)(i - j + 1);
			*at = t[pos[j]];
		}
	}
}

static void compute_bursts(struct work *w, const int64_t *times, const uint32_t *agg_at,
			   size_t nentries)
{
	/* Counting sort of (agg, position) entries by agg; positions stay in
	 * time order within each agg. */
	size_t *start = xcalloc(w->naggs + 1, sizeof *start);
	for (size_t e = 0; e < nentries; e++)
		start[agg_at[2 * e] + 1]++;
	for (size_t a = 0; a < w->naggs; a++)
		start[a + 1] += start[a];
	uint32_t *pos = xmalloc((nentries ? nentries : 1) * sizeof *pos);
	size_t *fill = xmalloc((w->naggs ? w->naggs : 1) * sizeof *fill);
	memcpy(fill, start, w->naggs * sizeof *fill);
	for (size_t e = 0; e < nentries; e++)
		pos[fill[agg_at[2 * e]]++] = agg_at[2 * e + 1];
	for (size_t a = 0; a < w->naggs; a++)
		burst_of(times, pos + start[a], start[a + 1] - start[a], &w->aggs[a].burst,
			 &w->aggs[a].burst_at);
	free(fill);
	free(pos);
	free(start);
}

static void build_tops(struct work *w)
{
	struct stats *s = w->s;
	for (int k = 0; k < STATS_KIND__COUNT; k++) {
		struct stats_top *t = &s->top[k];
		size_t cnt = 0;
		for (size_t a = 0; a < w->naggs; a++)
			cnt += w->aggs[a].kind == k;
		struct stats_top_row *rows = xmalloc((cnt ? cnt : 1) * sizeof *rows);
		size_t i = 0;
		for (size_t a = 0; a < w->naggs; a++)
			if (w->aggs[a].kind == k) {
				rows[i].who = w->aggs[a].who;
				rows[i].c = w->aggs[a].c;
				t->messages += w->aggs[a].c.messages;
				i++;
			}
		qsort_r(rows, cnt, sizeof *rows, cmp_top, (void *)w->st);
		t->distinct = (uint32_t)cnt;
		t->nrows = cnt < STATS_TOP_MAX ? cnt : STATS_TOP_MAX;
		t->rows = xrealloc(rows, (t->nrows ? t->nrows : 1) * sizeof *rows);
	}
}

static void build_suspects(struct work *w)
{
	struct stats *s = w->s;
	size_t cap = 0;
	for (size_t a = 0; a < w->naggs; a++) {
		struct stats_suspect sus;
		if (!judge(s, &w->aggs[a], &sus))
			continue;
		if (s->nsuspects == cap) {
			cap = cap ? cap * 2 : 16;
			s->suspects = xrealloc(s->suspects, cap * sizeof *s->suspects);
		}
		s->suspects[s->nsuspects++] = sus;
	}
	if (s->nsuspects > 1)
		qsort_r(s->suspects, s->nsuspects, sizeof *s->suspects, cmp_suspect, (void *)w->st);
	while (s->nsuspects > STATS_SUSPECTS_MAX)
		free(s->suspects[--s->nsuspects].reason);
}

static void build_deferred(struct work *w)
{
	struct stats *s = w->s;
	size_t n = 0;
	for (uint32_t id = 0; id <= w->domains.count && id < w->drows_cap; id++) {
		if (!w->drows[id].total)
			continue;
		w->drows[n] = w->drows[id];
		w->drows[n].domain = xstrdup(sset_get(&w->domains, id));
		n++;
	}
	if (n > 1)
		qsort(w->drows, n, sizeof *w->drows, cmp_deferred);
	s->deferred_domains = (uint32_t)n;
	s->ndeferred = n < STATS_TOP_MAX ? n : STATS_TOP_MAX;
	for (size_t i = s->ndeferred; i < n; i++)
		free(w->drows[i].domain);
	s->deferred = xmalloc((s->ndeferred ? s->ndeferred : 1) * sizeof *s->deferred);
	if (s->ndeferred)
		memcpy(s->deferred, w->drows, s->ndeferred * sizeof *s->deferred);
}

/* Start of the local hour holding t. */
static int64_t local_hour_floor(int64_t t)
{
	int64_t sec = floor_div(t, US_PER_SEC);
	time_t tt = (time_t)sec;
	struct tm tm;
	int64_t into = floor_div(t, HOUR_US) * HOUR_US; /* UTC hour as a fallback */
	if (localtime_r(&tt, &tm))
		into = (sec - tm.tm_min * 60 - tm.tm_sec) * US_PER_SEC;
	return into;
}

static void set_period(struct stats *s, const struct store *st)
{
	s->first_ts = INT64_MAX;
	s->last_ts = INT64_MIN;
	int64_t last_seen = INT64_MIN;
	for (size_t i = 0; i < s->nmsgs; i++) {
		const struct message *msg = store_msg(st, s->msgs[i]);
		if (has_time(msg->first_ts)) {
			if (msg->first_ts < s->first_ts)
				s->first_ts = msg->first_ts;
			if (msg->first_ts > s->last_ts)
				s->last_ts = msg->first_ts;
		}
		if (has_time(msg->last_ts) && msg->last_ts > last_seen)
			last_seen = msg->last_ts;
	}
	s->end_ts = last_seen > s->last_ts ? last_seen : s->last_ts;
	if (has_time(st->max_ts) && st->max_ts > s->end_ts)
		s->end_ts = st->max_ts;
	s->bucket_us = HOUR_US;
	if (!has_time(s->first_ts))
		return;
	s->hour0 = local_hour_floor(s->first_ts);
	uint64_t span_h = ((uint64_t)s->last_ts - (uint64_t)s->hour0) / (uint64_t)HOUR_US + 1;
	uint64_t k = (span_h + STATS_HOURS_MAX - 1) / STATS_HOURS_MAX;
	s->bucket_us = (int64_t)k * HOUR_US;
	s->nhours = (size_t)(((uint64_t)s->last_ts - (uint64_t)s->hour0) / (uint64_t)s->bucket_us) + 1;
	s->hours = xcalloc(s->nhours, sizeof *s->hours);
}

void stats_compute(const struct store *st, const uint32_t *msgs, size_t n, struct stats *out)
{
	struct stats *s = out;
	memset(s, 0, sizeof *s);

	/* The messages to count: each once, without the re-queued copies
	 * whose original is counted too. */
	uint8_t *in = xcalloc(st->nmsgs ? st->nmsgs : 1, 1);
	for (size_t i = 0; i < n; i++)
		if (msgs[i] < st->nmsgs)
			in[msgs[i]] = 1;
	s->msgs = xmalloc((n ? n : 1) * sizeof *s->msgs);
	for (size_t i = 0; i < n; i++) {
		uint32_t m = msgs[i];
		if (m >= st->nmsgs || in[m] != 1)
			continue;
		in[m] = 2;
		const struct message *msg = store_msg(st, m);
		if ((msg->flags & MSG_HOP) && msg->parent < st->nmsgs && in[msg->parent]) {
			s->skipped_hops++;
			continue;
		}
		s->msgs[s->nmsgs++] = m;
	}
	free(in);
	qsort_r(s->msgs, s->nmsgs, sizeof *s->msgs, cmp_msg_time, (void *)st);
	set_period(s, st);

	struct work w;
	memset(&w, 0, sizeof w);
	w.st = st;
	w.s = s;
	u64map_init(&w.agg_of);
	u64map_init(&w.seen);
	s->reason_cache = xcalloc(1, sizeof *s->reason_cache);
	u64map_init(&s->reason_cache->of);

	uint32_t outcome_msgs[OUT__COUNT] = {0}, outcome_rcpts[OUT__COUNT] = {0};
	int64_t *times = xmalloc((s->nmsgs ? s->nmsgs : 1) * sizeof *times);
	/* (agg, position) pairs of timed messages, for the burst windows */
	size_t nentries = 0, entries_cap = s->nmsgs ? s->nmsgs : 1;
	uint32_t *entries = xmalloc(entries_cap * 2 * sizeof *entries);

	for (size_t p = 0; p < s->nmsgs; p++) {
		uint32_t m = s->msgs[p];
		const struct message *msg = store_msg(st, m);
		int timed = has_time(msg->first_ts);
		times[p] = msg->first_ts;
		uint32_t hour = 0; /* one-hour index from hour0 */
		if (timed) {
			uint64_t off = (uint64_t)msg->first_ts - (uint64_t)s->hour0;
			s->hours[off / (uint64_t)s->bucket_us]++;
			hour = (uint32_t)(off / (uint64_t)HOUR_US);
		}

		struct mfacts f;
		memset(&f, 0, sizeof f);
		int first = 1;
		for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
			uint32_t fin = r;
			const struct message *own;
			enum outcome o = rcpt_outcome(st, msg, r, &fin, &own);
			const struct rcpt *fr = &st->rcpts[fin];
			mark(&f, o);
			f.final = first ? (uint8_t)o : f.final != o ? OUT_PARTIAL : f.final;
			first = 0;
			s->recipients++;
			if ((unsigned)o < OUT__COUNT)
				outcome_rcpts[o]++;
			if (is_failure(o))
				add_reason(&w, fr, m, fin, o);
			if (o == OUT_DEFERRED && still_queued(own))
				add_deferred(&w, fr->addr ? fr : &st->rcpts[r], msg);
		}
		if (first) {
			f.final = msg->status < OUT__COUNT ? msg->status : OUT_NONE;
			mark(&f, (enum outcome)f.final);
			if (is_failure((enum outcome)f.final))
				add_reason(&w, NULL, m, RCPT_NONE, (enum outcome)f.final);
		}
		if (f.final >= OUT__COUNT)
			f.final = OUT_NONE;
		outcome_msgs[f.final]++;

		for (int k = 0; k < STATS_KIND__COUNT; k++) {
			int excluded;
			uint32_t who = msg_key(st, msg, (enum stats_kind)k, &excluded);
			s->top[k].excluded += (uint32_t)excluded;
			if (!who)
				continue;
			uint32_t ai = agg_get(&w, (enum stats_kind)k, who);
			struct agg *a = &w.aggs[ai];
			a->c.messages++;
			a->c.bounced += f.bounced;
			a->c.deferred += f.deferred;
			a->c.rejected += f.rejected;
			if (timed) {
				a->timed++;
				if (nentries == entries_cap) {
					entries_cap *= 2;
					entries = xrealloc(entries, entries_cap * 2 * sizeof *entries);
				}
				entries[2 * nentries] = ai;
				entries[2 * nentries + 1] = (uint32_t)p;
				nentries++;
				if (a->cur_hour != hour + 1) {
					agg_close_hour(a);
					a->cur_hour = hour + 1;
				}
			}
			for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
				uint32_t addr = st->rcpts[r].addr;
				if (!addr)
					continue;
				uint64_t key = u64map_key2(ai, addr);
				uint32_t v = u64map_get(&w.seen, key, 0);
				if (!v)
					a->c.recipients++;
				/* messages come in time order, so a recipient
				 * counted in an earlier hour is new again here */
				if (timed && v != hour + 2) {
					a->cur_rcpts++;
					u64map_put(&w.seen, key, hour + 2);
				} else if (!v) {
					u64map_put(&w.seen, key, 1);
				}
			}
		}
	}
	for (size_t a = 0; a < w.naggs; a++)
		agg_close_hour(&w.aggs[a]);
	for (size_t i = 0; i < s->nhours; i++)
		if (s->hours[i] > s->hours_max)
			s->hours_max = s->hours[i];
	for (int o = 0; o < OUT__COUNT; o++)
		if (outcome_msgs[o] || (o != OUT_PARTIAL && outcome_rcpts[o])) {
			s->outcomes[s->noutcomes].outcome = (uint8_t)o;
			s->outcomes[s->noutcomes].messages = outcome_msgs[o];
			s->outcomes[s->noutcomes].recipients = outcome_rcpts[o];
			s->noutcomes++;
		}
	qsort(s->outcomes, s->noutcomes, sizeof *s->outcomes, cmp_outcome);

	compute_bursts(&w, times, entries, nentries);
	build_tops(&w);
	build_suspects(&w);
	sort_reasons(s);
	build_deferred(&w);

	free(entries);
	free(times);
	free(w.aggs);
	tbuf_release(&w.tmp);
	free(w.drows);
	u64map_release(&w.agg_of);
	u64map_release(&w.seen);
	sset_release(&w.domains);
}

void stats_release(struct stats *s)
{
	if (!s)
		return;
	free(s->msgs);
	free(s->hours);
	for (int k = 0; k < STATS_KIND__COUNT; k++)
		free(s->top[k].rows);
	for (size_t i = 0; i < s->nsuspects; i++)
		free(s->suspects[i].reason);
	free(s->suspects);
	free(s->reasons);
	if (s->reason_cache) {
		sset_release(&s->reason_cache->norm);
		u64map_release(&s->reason_cache->of);
		free(s->reason_cache->keys);
		free(s->reason_cache);
	}
	for (size_t i = 0; i < s->ndeferred; i++)
		free(s->deferred[i].domain);
	free(s->deferred);
	memset(s, 0, sizeof *s);
}

/* --- rows and the messages behind them --------------------------------- */

size_t stats_rows(const struct stats *s, enum stats_table t)
{
	switch (t) {
	case STATS_T_HOURS:
		return s->nhours;
	case STATS_T_OUTCOMES:
		return s->noutcomes;
	case STATS_T_SENDERS:
		return s->top[STATS_SENDER].nrows;
	case STATS_T_AUTH:
		return s->top[STATS_AUTH].nrows;
	case STATS_T_IPS:
		return s->top[STATS_IP].nrows;
	case STATS_T_SCRIPTS:
		return s->top[STATS_SCRIPT].nrows;
	case STATS_T_SUSPECTS:
		return s->nsuspects;
	case STATS_T_REASONS:
		return s->nreasons;
	case STATS_T_DEFERRED:
		return s->ndeferred;
	default:
		return 0;
	}
}

/* Row of one failure: from the cache, else by explaining it. */
static size_t reason_row_of(const struct stats *s, const struct store *st, const struct rcpt *fr,
			    enum outcome o, struct tbuf *tmp)
{
	struct reason_key key;
	uint32_t row = s->reason_cache ? reason_cached(s->reason_cache, st, fr, o, tmp, 0, &key)
				       : UINT32_MAX;
	if (row != UINT32_MAX)
		return row;
	struct explanation ex;
	const char *id = reason_id(explain_failure(st, fr, o, &ex), &ex);
	for (size_t i = 0; i < s->nreasons; i++)
		if (strcmp(s->reasons[i].id, id) == 0)
			return i;
	return SIZE_MAX;
}

static int has_reason(const struct stats *s, const struct store *st, uint32_t m, size_t row,
		      struct tbuf *tmp)
{
	const struct message *msg = store_msg(st, m);
	if (msg->first_rcpt == RCPT_NONE) {
		enum outcome o = (enum outcome)msg->status;
		return is_failure(o) && reason_row_of(s, st, NULL, o, tmp) == row;
	}
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
		uint32_t fin = r;
		enum outcome o = rcpt_outcome(st, msg, r, &fin, NULL);
		if (is_failure(o) && reason_row_of(s, st, &st->rcpts[fin], o, tmp) == row)
			return 1;
	}
	return 0;
}

static int has_deferred_at(const struct store *st, uint32_t m, const char *domain)
{
	const struct message *msg = store_msg(st, m);
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
		uint32_t fin = r;
		const struct message *own;
		if (rcpt_outcome(st, msg, r, &fin, &own) != OUT_DEFERRED || !still_queued(own))
			continue;
		uint32_t addr = st->rcpts[fin].addr ? st->rcpts[fin].addr : st->rcpts[r].addr;
		char dom[256];
		addr_domain(store_str(st, addr), strtab_len(&st->strs, addr), dom, sizeof dom);
		if (strcmp(dom, domain) == 0)
			return 1;
	}
	return 0;
}

static int row_has(const struct stats *s, const struct store *st, enum stats_table t, size_t row,
		   uint32_t m, struct tbuf *tmp)
{
	const struct message *msg = store_msg(st, m);
	int excluded;
	switch (t) {
	case STATS_T_HOURS:
		return has_time(msg->first_ts) &&
		       ((uint64_t)msg->first_ts - (uint64_t)s->hour0) / (uint64_t)s->bucket_us == row;
	case STATS_T_OUTCOMES: {
		uint8_t o = s->outcomes[row].outcome;
		if (s->outcomes[row].messages == 0) {
			/* a row of recipients only (inside partial messages) */
			for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next)
				if (rcpt_outcome(st, msg, r, NULL, NULL) == o)
					return 1;
			return 0;
		}
		struct mfacts f;
		msg_facts(st, m, &f);
		return f.final == o;
	}
	case STATS_T_SENDERS:
	case STATS_T_AUTH:
	case STATS_T_IPS:
	case STATS_T_SCRIPTS: {
		enum stats_kind k = (enum stats_kind)(t - STATS_T_SENDERS);
		return msg_key(st, msg, k, &excluded) == s->top[k].rows[row].who;
	}
	case STATS_T_SUSPECTS:
		return msg_key(st, msg, s->suspects[row].kind, &excluded) == s->suspects[row].who;
	case STATS_T_REASONS:
		return has_reason(s, st, m, row, tmp);
	case STATS_T_DEFERRED:
		return has_deferred_at(st, m, s->deferred[row].domain);
	default:
		return 0;
	}
}

size_t stats_row_messages(const struct stats *s, const struct store *st, enum stats_table t,
			  size_t row, uint32_t **out)
{
	*out = NULL;
	if (row >= stats_rows(s, t))
		return 0;
	uint32_t *v = NULL;
	size_t k = 0, cap = 0;
	struct tbuf tmp = TBUF_INIT;
	for (size_t i = 0; i < s->nmsgs; i++) {
		if (!row_has(s, st, t, row, s->msgs[i], &tmp))
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[k++] = s->msgs[i];
	}
	tbuf_release(&tmp);
	*out = v;
	return k;
}

/* --- text -------------------------------------------------------------- */

/* Append escaped text cut or padded to width columns; right: align right.
 * A cut is marked with an ellipsis so a truncated address is not taken
 * for a whole one. */
static void put_cell(struct tbuf *b, const char *s, size_t n, size_t width, int right, int utf8)
{
	struct tbuf e = TBUF_INIT;
	tbuf_escape(&e, s, n);
	size_t used = 0;
	size_t fit = textsafe_fit(tbuf_str(&e), e.len, width, &used);
	if (fit < e.len && width > 0) {
		fit = textsafe_fit(tbuf_str(&e), e.len, width - 1, &used);
		used++;
	}
	if (right)
		for (size_t i = used; i < width; i++)
			tbuf_putc(b, ' ');
	tbuf_putn(b, tbuf_str(&e), fit);
	if (fit < e.len && width > 0)
		tbuf_puts(b, utf8 ? "\xe2\x80\xa6" : "~");
	if (!right)
		for (size_t i = used; i < width; i++)
			tbuf_putc(b, ' ');
	tbuf_release(&e);
}

/* Like put_cell, but a path too long for the cell keeps its end ("…/
 * public_html/contact"): the tail is what tells two scripts apart. */
static void put_tail_cell(struct tbuf *b, const char *s, size_t n, size_t width, int utf8)
{
	struct tbuf e = TBUF_INIT;
	tbuf_escape(&e, s, n);
	const char *p = tbuf_str(&e);
	size_t len = e.len;
	if (width < 2 || textsafe_width(p, len) <= width) {
		tbuf_release(&e);
		put_cell(b, s, n, width, 0, utf8);
		return;
	}
	size_t start = 0;
	while (start < len && textsafe_width(p + start, len - start) > width - 1) {
		start++;
		while (start < len && ((unsigned char)p[start] & 0xC0) == 0x80)
			start++; /* stay on a character boundary */
	}
	tbuf_puts(b, utf8 ? "\xe2\x80\xa6" : "~");
	tbuf_putn(b, p + start, len - start);
	for (size_t used = 1 + textsafe_width(p + start, len - start); used < width; used++)
		tbuf_putc(b, ' ');
	tbuf_release(&e);
}

static void put_cstr_cell(struct tbuf *b, const char *s, size_t width, int right, int utf8)
{
	put_cell(b, s, strlen(s), width, right, utf8);
}

static void put_id_cell(struct tbuf *b, const struct store *st, uint32_t id, size_t width,
			int utf8)
{
	put_cell(b, store_str(st, id), strtab_len(&st->strs, id), width, 0, utf8);
}

static void put_pct(struct tbuf *b, uint32_t part, uint32_t whole, size_t width)
{
	char buf[32];
	if (!whole)
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%.1f%%", (double)part * 100.0 / (double)whole);
	tbuf_printf(b, "%*s", (int)width, buf);
}

/* Word-wrap plain text at 80 columns, each line starting with indent
 * spaces; a word longer than a line is cut into pieces. */
static void put_wrapped(struct tbuf *b, const char *text, size_t indent)
{
	struct tbuf e = TBUF_INIT;
	tbuf_escape(&e, text, strlen(text));
	const char *p = tbuf_str(&e), *end = p + e.len;
	size_t avail = 80 - indent, col = 0;
	for (size_t i = 0; i < indent; i++)
		tbuf_putc(b, ' ');
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		const char *q = p;
		while (q < end && *q != ' ')
			q++;
		if (q == p)
			break;
		size_t wlen = (size_t)(q - p), wcols = textsafe_width(p, wlen);
		if (col && col + 1 + wcols > avail) {
			tbuf_putc(b, '\n');
			for (size_t i = 0; i < indent; i++)
				tbuf_putc(b, ' ');
			col = 0;
		}
		if (col) {
			tbuf_putc(b, ' ');
			col++;
		}
		while (wcols > avail - col) {
			size_t used = 0, fit = textsafe_fit(p, wlen, avail - col, &used);
			if (fit == 0)
				fit = 1; /* a character wider than a line: give it one */
			tbuf_putn(b, p, fit);
			tbuf_putc(b, '\n');
			for (size_t i = 0; i < indent; i++)
				tbuf_putc(b, ' ');
			p += fit;
			wlen -= fit;
			wcols = textsafe_width(p, wlen);
			col = 0;
		}
		tbuf_putn(b, p, wlen);
		col += wcols;
		p = q;
	}
	tbuf_putc(b, '\n');
	tbuf_release(&e);
}

static void section(struct tbuf *b, const char *title)
{
	tbuf_putc(b, '\n');
	put_wrapped(b, title, 0);
}

size_t stats_sparkline(struct tbuf *out, const uint32_t *v, size_t n, size_t width, int ascii,
		       uint32_t *max_out)
{
	static const char *const blocks[8] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	static const char marks[8] = {'.', ',', ':', '-', '=', '+', '*', '#'};
	if (max_out)
		*max_out = 0;
	if (!n || !width)
		return 0;
	size_t g = (n + width - 1) / width;
	size_t cols = (n + g - 1) / g;
	uint64_t gmax = 0;
	for (size_t c = 0; c < cols; c++) {
		uint64_t sum = 0;
		for (size_t i = c * g; i < (c + 1) * g && i < n; i++)
			sum += v[i];
		gmax = sum > gmax ? sum : gmax;
	}
	for (size_t c = 0; c < cols; c++) {
		uint64_t sum = 0;
		for (size_t i = c * g; i < (c + 1) * g && i < n; i++)
			sum += v[i];
		if (!sum) {
			tbuf_putc(out, ' ');
			continue;
		}
		/* 1..8: any mail shows at least the lowest mark */
		unsigned lvl = (unsigned)((sum * 8 + gmax - 1) / gmax);
		if (ascii)
			tbuf_putc(out, marks[lvl - 1]);
		else
			tbuf_puts(out, blocks[lvl - 1]);
	}
	if (max_out)
		*max_out = gmax > UINT32_MAX ? UINT32_MAX : (uint32_t)gmax;
	return g;
}

void stats_bar(struct tbuf *out, uint32_t v, uint32_t vmax, size_t width, int ascii)
{
	if (!v || !vmax || !width)
		return;
	uint64_t e = ((uint64_t)v * width * 8 + vmax - 1) / vmax;
	if (ascii) {
		for (uint64_t i = 0; i < (e + 7) / 8; i++)
			tbuf_putc(out, '#');
		return;
	}
	static const char *const part[8] = {
		"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
		"\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89",
	};
	for (uint64_t i = 0; i < e / 8; i++)
		tbuf_puts(out, "\xe2\x96\x88");
	tbuf_puts(out, part[e % 8]);
}

size_t stats_hour_rows(const struct stats *s, size_t max_rows, uint32_t *rows, size_t *group,
		       uint32_t *max)
{
	*group = 1;
	*max = 0;
	if (!s->nhours || !s->hours || !max_rows)
		return 0;
	size_t rg = (s->nhours + max_rows - 1) / max_rows;
	size_t nrows = (s->nhours + rg - 1) / rg;
	for (size_t r = 0; r < nrows; r++) {
		uint64_t sum = 0;
		for (size_t i = r * rg; i < (r + 1) * rg && i < s->nhours; i++)
			sum += s->hours[i];
		rows[r] = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
		*max = rows[r] > *max ? rows[r] : *max;
	}
	*group = rg;
	return nrows;
}

static void text_hours(struct tbuf *b, const struct stats *s, int utf8)
{
	char title[128];
	stats_hour_title(s, title, sizeof title);
	section(b, title);
	if (!s->nhours) {
		put_wrapped(b, _("no message has a time"), 2);
		return;
	}
	uint32_t gmax;
	tbuf_puts(b, "  ");
	size_t g = stats_sparkline(b, s->hours, s->nhours, TEXT_SPARK_COLS, !utf8, &gmax);
	tbuf_putc(b, '\n');
	struct tbuf legend = TBUF_INIT;
	stats_hour_legend(&legend, s, g, gmax);
	put_wrapped(b, tbuf_str(&legend), 2);
	tbuf_release(&legend);

	/* Bars: at most TEXT_HIST_ROWS rows; three or more empty rows in a
	 * row become one line, so a long quiet stretch does not hide the
	 * busy hours. */
	uint32_t rows[TEXT_HIST_ROWS], rmax;
	char a[32], z[32];
	size_t rg;
	size_t nrows = stats_hour_rows(s, TEXT_HIST_ROWS, rows, &rg, &rmax);
	tbuf_putc(b, '\n');
	for (size_t r = 0; r < nrows; r++) {
		uint32_t v = rows[r];
		stats_time_minute(s->hour0 + (int64_t)(r * rg) * s->bucket_us, a);
		size_t run = 0;
		while (r + run < nrows && rows[r + run] == 0)
			run++;
		if (run >= 3) {
			stats_time_minute(s->hour0 + (int64_t)((r + run) * rg) * s->bucket_us, z);
			tbuf_printf(b, "  %s .. %s  ", a, z);
			const char *none = _("no mail");
			tbuf_escape(b, none, strlen(none));
			tbuf_putc(b, '\n');
			r += run - 1;
			continue;
		}
		tbuf_printf(b, "  %s %8" PRIu32 " ", a, v);
		stats_bar(b, v, rmax, TEXT_BAR_COLS, !utf8);
		while (b->len && b->data[b->len - 1] == ' ')
			b->data[--b->len] = '\0';
		tbuf_putc(b, '\n');
	}
}

static void text_outcomes(struct tbuf *b, const struct stats *s, int utf8)
{
	section(b, _("Outcomes"));
	tbuf_puts(b, "  ");
	put_cstr_cell(b, _("status"), 24, 0, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("messages"), 10, 1, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("recipients"), 10, 1, utf8);
	tbuf_putc(b, '\n');
	for (size_t i = 0; i < s->noutcomes; i++) {
		const struct stats_outcome_row *o = &s->outcomes[i];
		tbuf_puts(b, "  ");
		put_cstr_cell(b, outcome_label((enum outcome)o->outcome), 24, 0, utf8);
		tbuf_printf(b, " %10" PRIu32, o->messages);
		if (o->outcome != OUT_PARTIAL)
			tbuf_printf(b, " %10" PRIu32, o->recipients);
		tbuf_putc(b, '\n');
	}
}

/* Header and one row share the column layout of the top tables and the
 * suspects: a name, then messages, recipients and three shares
 * (2 + NAME_W + 8 + 8 + 3 * (1 + SHARE_W) = 79 columns). */
static void text_counts_header(struct tbuf *b, const char *name, int utf8)
{
	tbuf_puts(b, "  ");
	put_cstr_cell(b, name, NAME_W, 0, utf8);
	tbuf_putc(b, ' ');
	/* TRANSLATORS: column headers: "msgs" and "rcpts" at most 7
	 * columns, "bounced", "deferred", "rejected" at most 9 (longer text
	 * is cut) */
	put_cstr_cell(b, _("msgs"), 7, 1, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("rcpts"), 7, 1, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("bounced"), SHARE_W, 1, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("deferred"), SHARE_W, 1, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("rejected"), SHARE_W, 1, utf8);
	tbuf_putc(b, '\n');
}

static void text_counts(struct tbuf *b, const struct stats_counts *c)
{
	tbuf_printf(b, " %7" PRIu32 " %7" PRIu32 " ", c->messages, c->recipients);
	put_pct(b, c->bounced, c->messages, SHARE_W);
	tbuf_putc(b, ' ');
	put_pct(b, c->deferred, c->messages, SHARE_W);
	tbuf_putc(b, ' ');
	put_pct(b, c->rejected, c->messages, SHARE_W);
	tbuf_putc(b, '\n');
}

const char *stats_top_title(enum stats_kind k)
{
	static const char *const titles[STATS_KIND__COUNT] = {
		N_("Top senders"),
		N_("Top authenticated users"),
		N_("Top client IPs"),
		N_("Top script paths (DirectAdmin path=)"),
	};
	return k < STATS_KIND__COUNT ? _(titles[k]) : "";
}

void stats_top_note(const struct stats *s, enum stats_kind k, struct tbuf *out)
{
	const struct stats_top *t = &s->top[k];
	if (t->distinct)
		tbuf_printf(out,
			    /* TRANSLATORS: "21 distinct [senders, logins, IPs or
			     * scripts], on 45 messages"; the number of messages
			     * picks the plural form */
			    P_("%" PRIu32 " distinct, on %" PRIu32 " message",
			       "%" PRIu32 " distinct, on %" PRIu32 " messages", t->messages),
			    t->distinct, t->messages);
	else
		tbuf_puts(out, _("None in these messages"));
	if (k == STATS_SENDER)
		tbuf_printf(out, _("; bounces (sender <>) not counted: %" PRIu32), t->excluded);
}

static void text_top(struct tbuf *b, const struct store *st, const struct stats *s,
		     enum stats_kind k, int utf8)
{
	const struct stats_top *t = &s->top[k];
	section(b, stats_top_title(k));
	struct tbuf note = TBUF_INIT;
	stats_top_note(s, k, &note);
	put_wrapped(b, tbuf_str(&note), 2);
	tbuf_release(&note);
	if (!t->nrows)
		return;
	text_counts_header(b, stats_kind_label(k), utf8);
	for (size_t i = 0; i < t->nrows && i < TEXT_TOP; i++) {
		tbuf_puts(b, "  ");
		if (k == STATS_SCRIPT)
			put_tail_cell(b, store_str(st, t->rows[i].who),
				      strtab_len(&st->strs, t->rows[i].who), NAME_W, utf8);
		else
			put_id_cell(b, st, t->rows[i].who, NAME_W, utf8);
		text_counts(b, &t->rows[i].c);
	}
}

void stats_rules_text(char *buf, size_t cap)
{
	snprintf(buf, cap,
		 _("Flagged when: more than %d messages in one minute (%dx the usual rate), "
		   "%d+ distinct recipients in one hour (%dx usual), or %d%%+ of %d+ messages "
		   "bounced."),
		 STATS_BURST_LIMIT, STATS_BURST_FACTOR, STATS_RCPT_HOUR_LIMIT, STATS_RCPT_FACTOR,
		 STATS_BOUNCE_PCT, STATS_BOUNCE_MIN_MSGS);
}

static void text_suspects(struct tbuf *b, const struct store *st, const struct stats *s, int utf8)
{
	section(b, _("Possible spam sources (check these accounts and scripts first)"));
	char rules[400];
	stats_rules_text(rules, sizeof rules);
	put_wrapped(b, rules, 2);
	if (!s->nsuspects) {
		put_wrapped(b, _("None: no sender, login, IP or script matches these rules."), 2);
		return;
	}
	struct tbuf hdr = TBUF_INIT;
	tbuf_printf(&hdr, "%s", _("who"));
	text_counts_header(b, tbuf_str(&hdr), utf8);
	tbuf_release(&hdr);
	for (size_t i = 0; i < s->nsuspects; i++) {
		const struct stats_suspect *x = &s->suspects[i];
		tbuf_puts(b, "  ");
		put_cstr_cell(b, stats_kind_label(x->kind), 7, 0, utf8);
		tbuf_putc(b, ' ');
		put_id_cell(b, st, x->who, NAME_W - 8, utf8);
		text_counts(b, &x->c);
		put_wrapped(b, x->reason, 4);
	}
}

static void text_reasons(struct tbuf *b, const struct store *st, const struct stats *s, int utf8)
{
	section(b, _("Top reasons for failure"));
	if (!s->nreasons) {
		put_wrapped(b, _("No failed delivery."), 2);
		return;
	}
	tbuf_puts(b, "  ");
	put_cstr_cell(b, _("failed"), 7, 1, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("bounced"), SHARE_W, 1, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("deferred"), SHARE_W, 1, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("rejected"), SHARE_W, 1, utf8);
	tbuf_puts(b, "  ");
	put_cstr_cell(b, _("reason"), 40, 0, utf8);
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	tbuf_putc(b, '\n');
	for (size_t i = 0; i < s->nreasons && i < TEXT_REASONS; i++) {
		const struct stats_reason_row *r = &s->reasons[i];
		tbuf_printf(b, "  %7" PRIu32 " %*" PRIu32 " %*" PRIu32 " %*" PRIu32 "  ", r->count,
			    SHARE_W, r->bounced, SHARE_W, r->deferred, SHARE_W, r->rejected);
		tbuf_escape(b, r->id, strlen(r->id));
		tbuf_putc(b, '\n');
		put_wrapped(b, r->cause ? r->cause : "", 6);
		if (r->side != SIDE_NONE) {
			struct tbuf side = TBUF_INIT;
			tbuf_printf(&side, "%s %s", _("Whose side:"), explain_side_label(r->side));
			put_wrapped(b, tbuf_str(&side), 6);
			tbuf_release(&side);
		}
		if (r->example_rcpt != RCPT_NONE && st->rcpts[r->example_rcpt].reply) {
			uint32_t rep = st->rcpts[r->example_rcpt].reply;
			size_t start = b->len;
			tbuf_puts(b, "      ");
			const char *eg = _("e.g.");
			tbuf_escape(b, eg, strlen(eg));
			tbuf_putc(b, ' ');
			size_t used = textsafe_width(b->data + start, b->len - start);
			put_cell(b, store_str(st, rep), strtab_len(&st->strs, rep),
				 used < 79 ? 80 - used : 1, 0, utf8);
			while (b->len && b->data[b->len - 1] == ' ')
				b->data[--b->len] = '\0';
			tbuf_putc(b, '\n');
		}
	}
	if (s->nreasons > TEXT_REASONS) {
		char more[96];
		snprintf(more, sizeof more, _("... and %zu more (see --stats --json)"),
			 s->nreasons - TEXT_REASONS);
		put_wrapped(b, more, 2);
	}
}

static void text_deferred(struct tbuf *b, const struct stats *s, int utf8)
{
	section(b, _("Deferred mail by destination domain and age (like qshape)"));
	if (!s->deferred_total[STATS_AGE__COUNT]) {
		put_wrapped(b, _("Nothing is waiting: no recipient was left deferred."), 2);
		return;
	}
	char note[160];
	snprintf(note, sizeof note,
		 _("Recipients still deferred at the end of the logs; age from first seen."));
	put_wrapped(b, note, 2);
	tbuf_puts(b, "  ");
	put_cstr_cell(b, _("domain"), 26, 0, utf8);
	tbuf_putc(b, ' ');
	put_cstr_cell(b, _("total"), 6, 1, utf8);
	for (int a = 0; a < STATS_AGE__COUNT; a++) {
		tbuf_putc(b, ' ');
		put_cstr_cell(b, stats_age_label((enum stats_age)a), 7, 1, utf8);
	}
	tbuf_putc(b, '\n');
	tbuf_puts(b, "  ");
	put_cstr_cell(b, _("TOTAL"), 26, 0, utf8);
	tbuf_printf(b, " %6" PRIu32, s->deferred_total[STATS_AGE__COUNT]);
	for (int a = 0; a < STATS_AGE__COUNT; a++)
		tbuf_printf(b, " %7" PRIu32, s->deferred_total[a]);
	tbuf_putc(b, '\n');
	for (size_t i = 0; i < s->ndeferred && i < TEXT_DEFERRED; i++) {
		const struct stats_deferred_row *d = &s->deferred[i];
		tbuf_puts(b, "  ");
		if (d->domain[0])
			put_cstr_cell(b, d->domain, 26, 0, utf8);
		else
			put_cstr_cell(b, _("(no domain)"), 26, 0, utf8);
		tbuf_printf(b, " %6" PRIu32, d->total);
		for (int a = 0; a < STATS_AGE__COUNT; a++)
			tbuf_printf(b, " %7" PRIu32, d->age[a]);
		tbuf_putc(b, '\n');
	}
	if (s->deferred_domains > TEXT_DEFERRED) {
		char more[96];
		snprintf(more, sizeof more,
			 P_("... and %" PRIu32 " more domain", "... and %" PRIu32 " more domains",
			    s->deferred_domains - TEXT_DEFERRED),
			 s->deferred_domains - TEXT_DEFERRED);
		put_wrapped(b, more, 2);
	}
}

int stats_summary_sentence(const struct stats *s, enum stats_summary which, struct tbuf *out)
{
	char a[32], z[32];
	switch (which) {
	case STATS_SUMMARY_PERIOD:
		if (!s->nmsgs || !has_time(s->first_ts))
			return 0;
		output_time_local(s->first_ts, a);
		output_time_local(s->last_ts, z);
		tbuf_printf(out, _("Messages first seen: %s .. %s"), a, z);
		return 1;
	case STATS_SUMMARY_END:
		/* a quiet tail is a finding in itself: mail may have stopped */
		if (!s->nmsgs || !has_time(s->first_ts) || s->end_ts - s->last_ts < MINUTE_US)
			return 0;
		output_time_local(s->end_ts, a);
		tbuf_printf(out, _("The logs end at %s."), a);
		return 1;
	case STATS_SUMMARY_COUNTS: {
		char m[48], r[48];
		snprintf(m, sizeof m, P_("%zu message", "%zu messages", s->nmsgs), s->nmsgs);
		snprintf(r, sizeof r, P_("%" PRIu32 " recipient", "%" PRIu32 " recipients",
					 s->recipients),
			 s->recipients);
		/* TRANSLATORS: "55 messages, 58 recipients."; each %s is one
		 * count with its noun, translated on its own ("%zu message",
		 * "%u recipient") so that each takes its own plural form */
		tbuf_printf(out, _("%s, %s."), m, r);
		if (s->skipped_hops)
			tbuf_printf(out,
				    _(" Re-queued copies (content filter, forwarding) counted once "
				      "with their original: %" PRIu32 "."),
				    s->skipped_hops);
		return 1;
	}
	default:
		return 0;
	}
}

void stats_format_text(struct tbuf *b, const struct store *st, const struct stats *s, int utf8)
{
	put_wrapped(b, _("Mail statistics"), 0);
	struct tbuf line = TBUF_INIT;
	for (int i = 0; i < STATS_SUMMARY__COUNT; i++) {
		tbuf_reset(&line);
		if (stats_summary_sentence(s, (enum stats_summary)i, &line))
			put_wrapped(b, tbuf_str(&line), 2);
	}
	tbuf_release(&line);
	if (!s->nmsgs)
		return;
	text_hours(b, s, utf8);
	text_outcomes(b, s, utf8);
	text_suspects(b, st, s, utf8);
	for (int k = 0; k < STATS_KIND__COUNT; k++)
		text_top(b, st, s, (enum stats_kind)k, utf8);
	text_reasons(b, st, s, utf8);
	text_deferred(b, s, utf8);
}

/* --- JSON -------------------------------------------------------------- */

static void jkey(struct tbuf *b, const char *key, int *first)
{
	if (!*first)
		tbuf_putc(b, ',');
	*first = 0;
	tbuf_printf(b, "\"%s\":", key);
}

static void jstr(struct tbuf *b, const char *key, const char *s, int *first)
{
	jkey(b, key, first);
	if (s)
		tbuf_json_string(b, s, strlen(s));
	else
		tbuf_puts(b, "null");
}

static void jid(struct tbuf *b, const struct store *st, const char *key, uint32_t id, int *first)
{
	jkey(b, key, first);
	if (id)
		tbuf_json_string(b, store_str(st, id), strtab_len(&st->strs, id));
	else
		tbuf_puts(b, "null");
}

static void jnum(struct tbuf *b, const char *key, uint64_t v, int *first)
{
	jkey(b, key, first);
	tbuf_printf(b, "%" PRIu64, v);
}

static void jtime(struct tbuf *b, const char *key, int64_t us, int *first)
{
	jkey(b, key, first);
	char buf[40];
	if (!has_time(us)) {
		tbuf_puts(b, "null");
		return;
	}
	output_time_rfc3339(us, buf);
	if (buf[0])
		tbuf_json_string(b, buf, strlen(buf));
	else
		tbuf_puts(b, "null");
}

static void jcounts(struct tbuf *b, const struct stats_counts *c, int *first)
{
	jnum(b, "count", c->messages, first);
	jnum(b, "recipients", c->recipients, first);
	jnum(b, "bounced", c->bounced, first);
	jnum(b, "deferred", c->deferred, first);
	jnum(b, "rejected", c->rejected, first);
}

static void json_top(struct tbuf *b, const struct store *st, const struct stats_top *t)
{
	int f = 1;
	tbuf_putc(b, '{');
	jnum(b, "distinct", t->distinct, &f);
	jnum(b, "messages", t->messages, &f);
	jnum(b, "excluded_bounces", t->excluded, &f);
	jkey(b, "rows", &f);
	tbuf_putc(b, '[');
	for (size_t i = 0; i < t->nrows; i++) {
		int g = 1;
		if (i)
			tbuf_putc(b, ',');
		tbuf_putc(b, '{');
		jid(b, st, "who", t->rows[i].who, &g);
		jcounts(b, &t->rows[i].c, &g);
		tbuf_putc(b, '}');
	}
	tbuf_puts(b, "]}");
}

static void json_suspect(struct tbuf *b, const struct store *st, const struct stats_suspect *x)
{
	int f = 1;
	tbuf_putc(b, '{');
	jid(b, st, "who", x->who, &f);
	jstr(b, "kind", stats_kind_name(x->kind), &f);
	jstr(b, "reason", x->reason, &f);
	jcounts(b, &x->c, &f);
	jkey(b, "rules", &f);
	tbuf_putc(b, '[');
	int r1 = 1;
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{STATS_RULE_BURST, "burst"},
		     {STATS_RULE_RCPTS, "recipients"},
		     {STATS_RULE_BOUNCES, "bounces"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (x->rules & names[i].bit) {
			tbuf_printf(b, "%s\"%s\"", r1 ? "" : ",", names[i].name);
			r1 = 0;
		}
	tbuf_putc(b, ']');
	int g = 1;
	jkey(b, "burst", &f);
	tbuf_putc(b, '{');
	jnum(b, "messages", x->burst, &g);
	jtime(b, "at", x->burst ? x->burst_at : INT64_MIN, &g);
	jnum(b, "usual_per_hour", x->burst_usual, &g);
	tbuf_putc(b, '}');
	g = 1;
	jkey(b, "recipients_per_hour", &f);
	tbuf_putc(b, '{');
	jnum(b, "max", x->hour_rcpts, &g);
	jtime(b, "at", x->hour_rcpts ? x->hour_rcpts_at : INT64_MIN, &g);
	jnum(b, "usual", x->hour_rcpts_usual, &g);
	tbuf_puts(b, "}}");
}

static void json_reason(struct tbuf *b, const struct store *st, const struct stats_reason_row *r)
{
	int f = 1;
	tbuf_putc(b, '{');
	jstr(b, "id", r->id, &f);
	jstr(b, "cause", r->cause, &f);
	jstr(b, "side", explain_side_name(r->side), &f);
	jnum(b, "count", r->count, &f);
	jnum(b, "bounced", r->bounced, &f);
	jnum(b, "deferred", r->deferred, &f);
	jnum(b, "rejected", r->rejected, &f);
	jkey(b, "example", &f);
	int g = 1;
	tbuf_putc(b, '{');
	struct tbuf id = TBUF_INIT;
	output_msg_id(st, r->example_msg, &id);
	jkey(b, "message", &g);
	tbuf_json_string(b, tbuf_str(&id), id.len);
	tbuf_release(&id);
	if (r->example_rcpt != RCPT_NONE) {
		const struct rcpt *rc = &st->rcpts[r->example_rcpt];
		jid(b, st, "recipient", rc->addr, &g);
		jid(b, st, "dsn", rc->dsn, &g);
		jkey(b, "smtp_code", &g);
		if (rc->smtp_code)
			tbuf_printf(b, "%u", (unsigned)rc->smtp_code);
		else
			tbuf_puts(b, "null");
		jid(b, st, "reply", rc->reply, &g);
	} else {
		tbuf_puts(b, ",\"recipient\":null,\"dsn\":null,\"smtp_code\":null,\"reply\":null");
	}
	tbuf_puts(b, "}}");
}

static void json_ages(struct tbuf *b, const uint32_t *age)
{
	tbuf_putc(b, '[');
	for (int a = 0; a < STATS_AGE__COUNT; a++)
		tbuf_printf(b, "%s%" PRIu32, a ? "," : "", age[a]);
	tbuf_putc(b, ']');
}

void stats_format_json(struct tbuf *b, const struct store *st, const struct stats *s)
{
	int f = 1;
	tbuf_putc(b, '{');
	jkey(b, "period", &f);
	{
		int g = 1;
		tbuf_putc(b, '{');
		jtime(b, "first", s->first_ts, &g);
		jtime(b, "last", s->last_ts, &g);
		jtime(b, "end", s->end_ts, &g);
		tbuf_putc(b, '}');
	}
	jnum(b, "messages", s->nmsgs, &f);
	jnum(b, "recipients", s->recipients, &f);
	jnum(b, "skipped_hops", s->skipped_hops, &f);

	jkey(b, "per_hour", &f);
	{
		int g = 1;
		tbuf_putc(b, '{');
		jtime(b, "start", s->nhours ? s->hour0 : INT64_MIN, &g);
		jnum(b, "bucket_seconds", (uint64_t)(s->bucket_us / US_PER_SEC), &g);
		jnum(b, "max", s->hours_max, &g);
		jkey(b, "counts", &g);
		tbuf_putc(b, '[');
		for (size_t i = 0; i < s->nhours; i++)
			tbuf_printf(b, "%s%" PRIu32, i ? "," : "", s->hours[i]);
		tbuf_puts(b, "]}");
	}

	jkey(b, "outcomes", &f);
	tbuf_putc(b, '[');
	for (size_t i = 0; i < s->noutcomes; i++) {
		int g = 1;
		if (i)
			tbuf_putc(b, ',');
		tbuf_putc(b, '{');
		jstr(b, "status", outcome_name((enum outcome)s->outcomes[i].outcome), &g);
		jnum(b, "messages", s->outcomes[i].messages, &g);
		jnum(b, "recipients", s->outcomes[i].recipients, &g);
		tbuf_putc(b, '}');
	}
	tbuf_putc(b, ']');

	static const char *const top_keys[STATS_KIND__COUNT] = {"top_senders", "top_auth",
								 "top_ips", "top_scripts"};
	for (int k = 0; k < STATS_KIND__COUNT; k++) {
		jkey(b, top_keys[k], &f);
		json_top(b, st, &s->top[k]);
	}

	jkey(b, "suspects", &f);
	tbuf_putc(b, '[');
	for (size_t i = 0; i < s->nsuspects; i++) {
		if (i)
			tbuf_putc(b, ',');
		json_suspect(b, st, &s->suspects[i]);
	}
	tbuf_putc(b, ']');

	jnum(b, "failures", s->failures, &f);
	jkey(b, "failure_reasons", &f);
	tbuf_putc(b, '[');
	for (size_t i = 0; i < s->nreasons; i++) {
		if (i)
			tbuf_putc(b, ',');
		json_reason(b, st, &s->reasons[i]);
	}
	tbuf_putc(b, ']');

	jkey(b, "deferred", &f);
	{
		int g = 1;
		tbuf_putc(b, '{');
		jkey(b, "buckets", &g);
		tbuf_putc(b, '[');
		for (int a = 0; a < STATS_AGE__COUNT; a++)
			tbuf_printf(b, "%s\"%s\"", a ? "," : "", age_ids[a]);
		tbuf_putc(b, ']');
		jnum(b, "count", s->deferred_total[STATS_AGE__COUNT], &g);
		jkey(b, "age", &g);
		json_ages(b, s->deferred_total);
		jnum(b, "domains_distinct", s->deferred_domains, &g);
		jkey(b, "domains", &g);
		tbuf_putc(b, '[');
		for (size_t i = 0; i < s->ndeferred; i++) {
			int h = 1;
			if (i)
				tbuf_putc(b, ',');
			tbuf_putc(b, '{');
			jstr(b, "domain", s->deferred[i].domain, &h);
			jnum(b, "count", s->deferred[i].total, &h);
			jkey(b, "age", &h);
			json_ages(b, s->deferred[i].age);
			tbuf_putc(b, '}');
		}
		tbuf_puts(b, "]}");
	}
	tbuf_putc(b, '}');
}

void stats_print(FILE *out, const struct store *st, const uint32_t *msgs, size_t n, int json)
{
	struct stats s;
	stats_compute(st, msgs, n, &s);
	struct tbuf b = TBUF_INIT;
	if (json) {
		stats_format_json(&b, st, &s);
		tbuf_putc(&b, '\n');
	} else {
		const char *cs = nl_langinfo(CODESET);
		stats_format_text(&b, st, &s, cs && strcmp(cs, "UTF-8") == 0);
	}
	fputs(tbuf_str(&b), out);
	tbuf_release(&b);
	stats_release(&s);
}
