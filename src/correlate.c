/*
 * correlate.c - from parsed lines to messages.
 *
 * Key decisions:
 *  - A message is one queue entry: (host, queue id).  Queue ids are reused
 *    over time (Postfix short ids are inode + microseconds), so an opening
 *    line (client=, <=, pickup) for a queue id whose message already left
 *    the queue starts a new message.
 *  - Lines without a queue id (connect, NOQUEUE reject, disconnect) belong
 *    to the SMTP session of their process: (host, program, pid).  They are
 *    held in the session until a message opens in it; a session that ends
 *    with refusals only becomes one "rejected attempt" message; a session
 *    with nothing becomes nothing (a bare connect is not worth 24 bytes).
 *  - Hand-offs ("queued as", bounce notifications, Exim R=) link messages
 *    as parent and child; the recipient that was handed on takes its final
 *    status from the child (store_rcpt_final).  Targets not seen yet are
 *    resolved at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "hashsort.h"
#include "mime.h"
#include "tbuf.h"
#include "u64map.h"
#include "xalloc.h"

/* A refusal held in its session until a message claims it: the record
 * without its byte slices (they die with the line), under a third of a
 * struct crec. */
#define HELD_REC_BYTES offsetof(struct crec, s)
struct pending_reject {
	uint32_t ev;           /* stored event, attached when placed */
	unsigned char rec[HELD_REC_BYTES];
};

static void held_rec(const struct pending_reject *p, struct crec *out)
{
	memset(out, 0, sizeof *out);
	memcpy(out, p->rec, HELD_REC_BYTES);
}

struct session {
	uint32_t host, prog, pid;
	uint32_t msg;          /* latest message opened in the session */
	int has_connect;
	struct event connect;  /* held until a message claims the session */
	uint32_t client_ip, client_host;
	struct pending_reject *rejects;
	size_t nrejects, rejects_cap;
};

/* Held refusals are few at any time but touch many sessions: the array
 * goes once they are placed. */
static void drop_rejects(struct session *s)
{
	free(s->rejects);
	s->rejects = NULL;
	s->nrejects = s->rejects_cap = 0;
}


/* A link to a queue id not seen (yet).  The id is remembered by hash, not
 * interned: most such ids belong to other hosts whose logs are not loaded,
 * and storing them all would cost more than every other string.  The host
 * is the one of the message it comes from.  16 bytes: on a relay nearly
 * every delivery leaves one ("queued as" on the next server). */
struct pending_link {
	uint64_t key;          /* kind << 61 | queue id hash (low 61 bits) */
	uint32_t from;         /* message */
	uint32_t rcpt;         /* recipient handed on, or RCPT_NONE */
};
#define LINK_HASH_BITS 61
#define LINK_HASH_MASK ((UINT64_C(1) << LINK_HASH_BITS) - 1)

static uint64_t link_hash(uint64_t qid_hash)
{
	uint64_t h = qid_hash & LINK_HASH_MASK;
	return h ? h : 1;
}

/* A message that left the queue, to be dropped from by_qid a while later:
 * the table then holds the messages in the queue, not every message ever,
 * so it stays small and in cache.  Late lines (a disconnect, a link) come
 * within seconds; a link to a retired id is resolved at the end. */
struct retiring {
	uint64_t key;
	int64_t done_ts;
	uint32_t m;
};
#define RETIRE_AFTER_US (15 * 60 * INT64_C(1000000))

/* A mailbox save names its message by Message-ID only; the copies of
 * one Message-ID are known at the end, so the save waits until then. */
struct pending_mailbox {
	struct event ev;
	uint64_t key;          /* msgid_key of the normalised Message-ID */
	uint32_t nmsgs;        /* messages that existed when it was logged */
};

struct corr {
	struct store *st;
	struct u64map by_qid;       /* corr_qid_key(host, qid) -> latest message */
	struct pending_mailbox *mailbox; /* dovecot saves, placed at the end */
	size_t nmailbox, mailbox_cap;
	struct u64map by_session;   /* (host, pid) -> session index */
	struct session *sessions;
	size_t nsessions, sessions_cap;
	uint32_t *free_sessions;    /* slots of ended sessions, reused first */
	size_t nfree_sessions, free_sessions_cap;
	struct pending_link *links;
	size_t nlinks, links_cap;
	struct retiring *retire;    /* ring, oldest at retire_head */
	size_t retire_head, nretire, retire_cap;
	/* Messages with STORE_NRCPT_MAX or more recipients (a bulk mailing,
	 * a spam run) find them here rather than by walking their list on
	 * every line: (m + 1) << 32 | address -> first recipient with that
	 * address, (m + 1) << 32 -> the list's last recipient. */
	struct u64map big_rcpts;
	uint32_t null_sender;       /* the id of "<>": interned strings are
				     * equal when their ids are, so a line's
				     * sender is compared without reading it */
};

struct corr *corr_new(struct store *st)
{
	struct corr *c = xcalloc(1, sizeof *c);
	c->st = st;
	u64map_init(&c->by_qid);
	u64map_init(&c->by_session);
	u64map_init(&c->big_rcpts);
	c->null_sender = strtab_intern(&st->strs, "<>", 2);
	return c;
}

void corr_free(struct corr *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nsessions; i++)
		free(c->sessions[i].rejects);
	free(c->free_sessions);
	free(c->sessions);
	free(c->links);
	free(c->retire);
	u64map_release(&c->by_qid);
	free(c->mailbox);
	u64map_release(&c->by_session);
	u64map_release(&c->big_rcpts);
	free(c);
}

size_t corr_norm_msgid(const char *s, size_t n, char *buf, size_t cap)
{
	while (n && (*s == ' ' || *s == '<' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '>' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n > cap)
		n = cap;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		buf[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	return n;
}

uint64_t corr_qid_hash(const char *s, size_t n)
{
	uint64_t h = strtab_hash64(s, n);
	return h ? h : 1;
}

/* Key of (host, queue id) in by_qid: a collision would need ~2^32 ids. */
uint64_t corr_qid_key(uint32_t host, uint64_t qid_hash)
{
	uint64_t k = qid_hash ^ ((uint64_t)host + 1) * 0x9E3779B97F4A7C15ull;
	k ^= k >> 31;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 29;
	return k ? k : 1;
}

void corr_prefetch(const struct corr *c, uint64_t qid_key)
{
	u64map_prefetch(&c->by_qid, qid_key);
}

/* --- messages ------------------------------------------------------------ */

static uint32_t new_message(struct corr *c, const struct crec *r)
{
	struct store *st = c->st;
	uint32_t m = store_add_message(st);
	struct message *msg = &st->msgs[m];
	msg->host = r->f[F_HOST];
	msg->format = r->format;
	if (r->s[F_QID].n) {
		msg->qid = strtab_add(&st->strs, r->s[F_QID].p, r->s[F_QID].n, CORR_STRTAB_LANE);
		u64map_put(&c->by_qid, r->qid_key, m);
	}
	return m;
}

static int opens_message(const struct crec *r)
{
	return r->kind == EV_CLIENT || r->kind == EV_QUEUED;
}

/* The live message for r's queue id, created when new or when the old one
 * with that id has left the queue and r opens a new one. */
static uint32_t message_for(struct corr *c, const struct crec *r)
{
	uint32_t m = u64map_get(&c->by_qid, r->qid_key, MSG_NONE);
	if (m != MSG_NONE) {
		const struct message *msg = &c->st->msgs[m];
		if (!(msg->flags & MSG_DONE) || !opens_message(r))
			return m;
		/* Exim logs <= before the delivery lines of the same id and
		 * Postfix logs client= first: an opener after the end of the
		 * old entry means the id was reused. */
	}
	return new_message(c, r);
}

static void set_if_empty(uint32_t *field, uint32_t v)
{
	if (!*field && v)
		*field = v;
}

static void set_extra_if_empty(struct store *st, uint32_t m, enum msg_extra x, uint32_t v)
{
	if (v && !store_msg_extra(st, &st->msgs[m], x))
		store_msg_set_extra(st, m, x, v);
}

static void link_child(struct corr *c, uint32_t parent, uint32_t child, uint8_t kind)
{
	struct store *st = c->st;
	if (parent == child || parent == MSG_NONE || child == MSG_NONE)
		return;
	struct message *ch = &st->msgs[child];
	if (ch->parent != MSG_NONE)
		return; /* first parent wins; duplicate lines must not relink */
	/* Refuse cycles (a queue id reused as its own descendant). */
	for (uint32_t up = parent, depth = 0; up != MSG_NONE && depth < 64;
	     up = st->msgs[up].parent, depth++)
		if (up == child)
			return;
	ch->parent = parent;
	ch->parent_link = kind;
	ch->next_sibling = st->msgs[parent].first_child;
	st->msgs[parent].first_child = child;
	if (kind == LINK_BOUNCE_CHILD || kind == LINK_BOUNCE_PARENT)
		ch->flags |= MSG_IS_BOUNCE;
	if ((kind == LINK_NEXT_HOP || kind == LINK_FORWARDED || kind == LINK_ORIG_QUEUE) &&
	    st->msgs[parent].host == ch->host)
		ch->flags |= MSG_HOP;
}

/* Key of a normalised Message-ID in by_msgid: a 64-bit hash, so the
 * lower-cased form never has to be stored (a collision would need ~2^32
 * distinct ids). */
static uint64_t msgid_key(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h ? h : 1;
}

static uint32_t kept_fields(uint8_t kind)
{
	uint32_t keep = 1u << F_HOST | 1u << F_PROG | 1u << F_SENDER |
			1u << F_RCPT | 1u << F_ORIG_RCPT | 1u << F_CLIENT_HOST | 1u << F_CLIENT_IP |
			1u << F_HELO | 1u << F_AUTH | 1u << F_PROTO | 1u << F_ACCOUNT | 1u << F_SCRIPT |
			1u << F_SUBJECT;
	/* Per-recipient results are kept only from lines that give one. */
	switch (kind) {
	case EV_DELIVERED:
	case EV_DEFERRED:
	case EV_BOUNCED:
	case EV_RETRY_WAIT:
	case EV_REJECT:
	case EV_STEP:
	case EV_EXPIRED:
	case EV_SUPPRESSED:
		keep |= 1u << F_RELAY | 1u << F_DSN | 1u << F_REPLY;
		break;
	default:
		break;
	}
	return keep;
}

static uint32_t fields_read(uint8_t kind, int has_qid, uint32_t kept)
{
	uint32_t session = 1u << F_HOST | 1u << F_PROG;
	if (!has_qid) {
		switch (kind) {
		case EV_CONNECT:
			return session | 1u << F_CLIENT_IP | 1u << F_CLIENT_HOST;
		case EV_MAILBOX:
			return session | 1u << F_MSGID;
		case EV_REJECT: /* placed on a message later, with all it says */
		case EV_STEP:
			break;
		default:
			/* disconnect, TLS, warnings: only attached to their
			 * session's message (corr_add) */
			return session;
		}
	}
	uint32_t used = kept | 1u << F_QID | 1u << F_LINK | 1u << F_MSGID |
			1u << F_RCPTS;
	return used;
}

uint32_t corr_fields(uint8_t kind, int has_qid, uint32_t *kept)
{
	uint32_t k = kept_fields(kind);
	uint32_t used = fields_read(kind, has_qid, k);
	/* A logged header (Postfix cleanup) repeats the client of the
	 * client= line before it, which the message nearly always has: the
	 * address travels as bytes and is interned only when it is missing
	 * (the client= line was in a file not read). */
	if (kind == EV_HEADER)
		k &= ~(1u << F_CLIENT_IP | 1u << F_CLIENT_HOST);
	*kept = k & used;
	return used;
}

int corr_value_unique(uint8_t kind, int field, const char *s, size_t n)
{
	/* A remote server's acceptance names its queue id or a tracking
	 * token ("250 2.0.0 Ok: queued as 36EF7E18", "250 OK id=1mYPu6-...",
	 * "250 2.0.0 OK 1699999999 x12si345 - gsmtp"); local deliveries
	 * ("delivered to mailbox") and short "250 OK"s repeat and are
	 * interned. */
	return field == F_REPLY && kind == EV_DELIVERED && n >= 16 && s[0] == '2';
}

static void set_msgid(struct corr *c, uint32_t m, struct slice raw)
{
	struct store *st = c->st;
	if (st->msgs[m].msgid || !raw.n)
		return;
	const char *s = raw.p;
	size_t len = raw.n;
	/* shown as logged (without <>), matched without case */
	while (len && (*s == '<' || *s == ' ')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == '>' || s[len - 1] == ' '))
		len--;
	if (!len)
		return;
	/* unique to its message but for copies: not worth a table slot; the
	 * copies are put in rings at the end (link_msgid_copies) */
	st->msgs[m].msgid = strtab_add(&st->strs, s, len, CORR_STRTAB_LANE);
}

static uint64_t msgid_key_of(const struct store *st, uint32_t m)
{
	char buf[512];
	const struct message *msg = &st->msgs[m];
	size_t n = corr_norm_msgid(store_str(st, msg->msgid), strtab_len(&st->strs, msg->msgid),
				   buf, sizeof buf);
	return msgid_key(buf, n);
}

/* (key, message) pairs for grouping at the end of the load: 12 bytes,
 * since there is one per message at the moment memory peaks. */
struct keyed {
	uint32_t hi, lo, m;
};

static struct keyed keyed(uint64_t key, uint32_t m)
{
	return (struct keyed){(uint32_t)(key >> 32), (uint32_t)key, m};
}

static uint64_t keyed_key(const struct keyed *k)
{
	return (uint64_t)k->hi << 32 | k->lo;
}

static int keyed_less(const struct keyed *a, const struct keyed *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi;
	if (a->lo != b->lo)
		return a->lo < b->lo;
	return a->m < b->m;
}

static uint64_t keyed_key_of(const void *p)
{
	return keyed_key(p);
}

static int keyed_less_of(const void *a, const void *b)
{
	return keyed_less(a, b);
}

static void sort_keyed(struct keyed *v, size_t n)
{
	sort_by_hash(v, n, sizeof *v, keyed_key_of, keyed_less_of);
}

/* Rings of messages with the same Message-ID, built once all are known
 * (a table of every Message-ID during the load would be the largest
 * thing in memory after the store).  A ring runs from the first message
 * to the newest and back down: the order the copies used to be linked
 * in as they appeared.  Then the waiting mailbox saves go to the latest
 * copy that existed when they were logged. */
static void link_msgid_copies(struct corr *c)
{
	struct store *st = c->st;
	size_t n = 0;
	for (uint32_t m = 0; m < st->nmsgs; m++)
		n += st->msgs[m].msgid != 0;
	struct keyed *v = xmalloc((n ? n : 1) * sizeof *v);
	n = 0;
	for (uint32_t m = 0; m < st->nmsgs; m++)
		if (st->msgs[m].msgid)
			v[n++] = keyed(msgid_key_of(st, m), m);
	sort_keyed(v, n);
	for (size_t a = 0, e; a < n; a = e) {
		for (e = a + 1; e < n && keyed_key(&v[e]) == keyed_key(&v[a]);)
			e++;
		if (e - a < 2)
			continue;
		uint32_t head = v[a].m;
		st->msgs[head].same_msgid = v[e - 1].m;
		for (size_t x = e - 1; x > a + 1; x--)
			st->msgs[v[x].m].same_msgid = v[x - 1].m;
		st->msgs[v[a + 1].m].same_msgid = head;
	}
	for (size_t i = 0; i < c->nmailbox; i++) {
		const struct pending_mailbox *p = &c->mailbox[i];
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (keyed_key(&v[mid]) < p->key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == n || keyed_key(&v[lo]) != p->key || v[lo].m >= p->nmsgs)
			continue;
		uint32_t head = v[lo].m, best = head;
		for (uint32_t x = st->msgs[head].same_msgid; x != head; x = st->msgs[x].same_msgid)
			if (x < p->nmsgs && st->msgs[x].first_ts >= st->msgs[best].first_ts)
				best = x;
		uint32_t ev = store_add_event(st, &p->ev);
		store_msg_push_event(st, best, ev);
	}
	free(v);
	free(c->mailbox);
	c->mailbox = NULL;
	c->nmailbox = c->mailbox_cap = 0;
}


struct slice corr_kept_value(int field, struct slice raw, struct tbuf *scratch)
{
	if (field != F_SUBJECT || !memmem(raw.p, raw.n, "=?", 2))
		return raw;
	tbuf_reset(scratch);
	mime_decode_header(raw.p, raw.n, scratch);
	struct slice out = {tbuf_str(scratch), (uint32_t)scratch->len};
	return out;
}

/* The recipient addr (or, for a delivery naming its original address,
 * the recipient listed under that address: Exim logs a local delivery as
 * "=> fred <fred@example.pl>" for the "fred@example.pl" it received). */
static uint32_t find_rcpt(struct store *st, uint32_t m, uint32_t addr, uint32_t orig,
			  int *by_orig)
{
	uint32_t listed = RCPT_NONE;
	*by_orig = 0;
	for (uint32_t r = st->msgs[m].first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
		const struct rcpt *rc = &st->rcpts[r];
		if (rc->addr == addr && (!orig || !rc->orig || rc->orig == orig))
			return r;
		if (orig && rc->addr == orig && !rc->orig && listed == RCPT_NONE)
			listed = r;
	}
	*by_orig = listed != RCPT_NONE;
	return listed;
}

static uint64_t big_key(uint32_t m, uint32_t addr)
{
	return (uint64_t)(m + 1) << 32 | addr;
}

/* Index recipient r of m under its address, unless an earlier one is. */
static void big_note(struct corr *c, uint32_t m, uint32_t r)
{
	uint32_t addr = c->st->rcpts[r].addr;
	if (addr && u64map_get(&c->big_rcpts, big_key(m, addr), RCPT_NONE) == RCPT_NONE)
		u64map_put(&c->big_rcpts, big_key(m, addr), r);
}

/* Index m's recipients (it just reached STORE_NRCPT_MAX). */
static void big_index(struct corr *c, uint32_t m)
{
	struct store *st = c->st;
	uint32_t last = RCPT_NONE;
	for (uint32_t r = st->msgs[m].first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
		big_note(c, m, r);
		last = r;
	}
	u64map_put(&c->big_rcpts, big_key(m, 0), last);
}

/* A new recipient addr at the end of indexed message m's list. */
static uint32_t big_append(struct corr *c, uint32_t m, uint32_t addr)
{
	uint32_t tail = u64map_get(&c->big_rcpts, big_key(m, 0), RCPT_NONE);
	uint32_t r = store_add_rcpt_after(c->st, m, tail);
	c->st->rcpts[r].addr = addr;
	u64map_put(&c->big_rcpts, big_key(m, 0), r);
	big_note(c, m, r);
	return r;
}

/* find_rcpt for an indexed message: the first recipient with the address
 * is the one the walk would find, unless its original address differs;
 * then (a message of hundreds of recipients with one address under two
 * aliases) it is taken as another recipient. */
static uint32_t find_big_rcpt(struct corr *c, uint32_t m, uint32_t addr, uint32_t orig,
			      int *by_orig)
{
	const struct store *st = c->st;
	*by_orig = 0;
	uint32_t r = u64map_get(&c->big_rcpts, big_key(m, addr), RCPT_NONE);
	if (r != RCPT_NONE && (!orig || !st->rcpts[r].orig || st->rcpts[r].orig == orig))
		return r;
	if (orig) {
		uint32_t listed = u64map_get(&c->big_rcpts, big_key(m, orig), RCPT_NONE);
		if (listed != RCPT_NONE && !st->rcpts[listed].orig) {
			*by_orig = 1;
			return listed;
		}
	}
	return RCPT_NONE;
}

static uint32_t ensure_rcpt(struct corr *c, uint32_t m, uint32_t addr, uint32_t orig)
{
	struct store *st = c->st;
	int big = st->msgs[m].nrcpt >= STORE_NRCPT_MAX, by_orig;
	uint32_t r = big ? find_big_rcpt(c, m, addr, orig, &by_orig)
			 : find_rcpt(st, m, addr, orig, &by_orig);
	if (by_orig)
		return r; /* keep the full address the message was sent to */
	if (r == RCPT_NONE) {
		if (big) {
			r = big_append(c, m, addr);
		} else {
			r = store_add_rcpt(st, m);
			st->rcpts[r].addr = addr;
			if (st->msgs[m].nrcpt >= STORE_NRCPT_MAX)
				big_index(c, m);
		}
	}
	if (orig && orig != addr)
		st->rcpts[r].orig = orig;
	return r;
}

int corr_rcpt_list_next(struct slice list, size_t *pos, struct slice *addr)
{
	const char *s = list.p;
	size_t n = list.n, i = *pos;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
		size_t j = i;
		while (j < n && s[j] != ' ' && s[j] != ',')
			j++;
		size_t a = i, b = j;
		i = j;
		if (b > a && s[a] == '<')
			a++;
		if (b > a && s[b - 1] == '>')
			b--;
		if (b > a) {
			*pos = i;
			addr->p = s + a;
			addr->n = (uint32_t)(b - a);
			return 1;
		}
	}
	*pos = n;
	return 0;
}

/* Longer lists than this are added through a hash set, not a walk of
 * the message's list per address (quadratic: a 64 KiB line names ~8,000). */
#define RCPT_LIST_SHORT 16

/* Put nonzero id in the open-addressing set seen[0..cap); 1 if it was
 * not there yet. */
static int id_set_add(uint32_t *seen, size_t cap, uint32_t id)
{
	size_t i = (id * UINT32_C(0x9E3779B1)) & (cap - 1);
	while (seen[i] && seen[i] != id)
		i = (i + 1) & (cap - 1);
	if (seen[i])
		return 0;
	seen[i] = id;
	return 1;
}

static void add_long_rcpt_list(struct corr *c, uint32_t m, const uint32_t *ids, uint32_t n)
{
	struct store *st = c->st;
	int was_big = st->msgs[m].nrcpt >= STORE_NRCPT_MAX;
	/* the set holds the list's addresses and, for a small message, the
	 * ones it has; a big one is asked through its index */
	size_t cap = 64;
	while (cap < 2 * ((size_t)n + (was_big ? 0 : STORE_NRCPT_MAX)))
		cap *= 2;
	uint32_t *seen = xcalloc(cap, sizeof *seen);
	if (!was_big)
		for (uint32_t r = st->msgs[m].first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next)
			if (st->rcpts[r].addr)
				id_set_add(seen, cap, st->rcpts[r].addr);
	uint32_t *fresh = xmalloc((size_t)n * sizeof *fresh);
	size_t nfresh = 0;
	for (uint32_t k = 0; k < n; k++)
		if (ids[k] && id_set_add(seen, cap, ids[k]) &&
		    (!was_big ||
		     u64map_get(&c->big_rcpts, big_key(m, ids[k]), RCPT_NONE) == RCPT_NONE))
			fresh[nfresh++] = ids[k];
	if (was_big) {
		for (size_t k = 0; k < nfresh; k++)
			big_append(c, m, fresh[k]);
	} else {
		store_add_rcpts(st, m, fresh, nfresh);
		if (st->msgs[m].nrcpt >= STORE_NRCPT_MAX)
			big_index(c, m);
	}
	free(fresh);
	free(seen);
}

/* A recipient list (its addresses interned by the loader) ->
 * recipients with status queued. */
static void add_rcpt_list(struct corr *c, uint32_t m, const struct crec *r)
{
	if (r->nrcpt_ids > RCPT_LIST_SHORT) {
		add_long_rcpt_list(c, m, r->rcpt_ids, r->nrcpt_ids);
		return;
	}
	for (uint32_t k = 0; k < r->nrcpt_ids; k++)
		if (r->rcpt_ids[k])
			ensure_rcpt(c, m, r->rcpt_ids[k], 0);
}

static void update_rcpt(struct store *st, uint32_t r, const struct crec *rec)
{
	struct rcpt *rc = &st->rcpts[r];
	if (rec->outcome != OUT_NONE) {
		/* A final word is not undone by an older-looking retry line
		 * that arrived out of order. */
		if (!(rec->ts_us < rc->at &&
		      (rc->status == OUT_DELIVERED || rc->status == OUT_BOUNCED)))
			rc->status = rec->outcome;
	}
	if (rec->f[F_RELAY])
		rc->relay = rec->f[F_RELAY];
	if (rec->f[F_DSN] || rec->outcome != OUT_NONE)
		rc->dsn = rec->f[F_DSN];
	if (rec->f[F_REPLY] || rec->outcome != OUT_NONE)
		rc->reply = rec->f[F_REPLY];
	if (rec->smtp_code || rec->outcome != OUT_NONE)
		rc->smtp_code = rec->smtp_code;
	if (rec->ts_us > rc->at)
		rc->at = rec->ts_us;
	if ((rec->kind == EV_DELIVERED || rec->kind == EV_DEFERRED || rec->kind == EV_BOUNCED ||
	     rec->kind == EV_STEP) && rc->attempts < 255)
		rc->attempts++;
}

static void add_link(struct corr *c, uint32_t from, uint32_t rcpt, uint64_t hash, uint8_t kind)
{
	if (c->nlinks == c->links_cap) {
		c->links_cap = c->links_cap ? c->links_cap + c->links_cap / 2 : 256;
		c->links = xrealloc(c->links, c->links_cap * sizeof *c->links);
	}
	c->links[c->nlinks++] = (struct pending_link){
		(uint64_t)kind << LINK_HASH_BITS | link_hash(hash), from, rcpt};
}

static void retire_later(struct corr *c, uint64_t key, int64_t ts, uint32_t m)
{
	if (c->nretire == c->retire_cap) {
		size_t cap = c->retire_cap ? c->retire_cap * 2 : 1024;
		struct retiring *r = xmalloc(cap * sizeof *r);
		for (size_t i = 0; i < c->nretire; i++)
			r[i] = c->retire[(c->retire_head + i) % c->retire_cap];
		free(c->retire);
		c->retire = r;
		c->retire_cap = cap;
		c->retire_head = 0;
	}
	c->retire[(c->retire_head + c->nretire++) % c->retire_cap] = (struct retiring){key, ts, m};
}

static void retire_old(struct corr *c, int64_t now)
{
	while (c->nretire) {
		const struct retiring *r = &c->retire[c->retire_head];
		if (r->done_ts > now - RETIRE_AFTER_US)
			break;
		if (u64map_get(&c->by_qid, r->key, MSG_NONE) == r->m)
			u64map_del(&c->by_qid, r->key);
		c->retire_head = (c->retire_head + 1) % c->retire_cap;
		c->nretire--;
	}
}

/* Try to resolve a link now; keep it for corr_finish otherwise. */
static void resolve_or_keep(struct corr *c, uint32_t m, uint32_t rcpt, const struct crec *r)
{
	struct store *st = c->st;
	uint32_t target = u64map_get(&c->by_qid, corr_qid_key(r->f[F_HOST], r->link_hash), MSG_NONE);
	if (r->link == LINK_BOUNCE_CHILD && target == MSG_NONE) {
		/* The notification names a queue id that the bounce daemon
		 * just created: make it so later lines find it. */
		struct crec tmp = *r;
		tmp.s[F_QID] = r->s[F_LINK];
		tmp.qid_hash = r->link_hash;
		tmp.qid_key = corr_qid_key(r->f[F_HOST], r->link_hash);
		target = new_message(c, &tmp);
	}
	if (target == MSG_NONE || target == m) {
		add_link(c, m, rcpt, r->link_hash, r->link);
		return;
	}
	switch (r->link) {
	case LINK_NEXT_HOP:
	case LINK_FORWARDED:
	case LINK_BOUNCE_CHILD:
		link_child(c, m, target, r->link);
		if (rcpt != RCPT_NONE && r->link != LINK_BOUNCE_CHILD)
			st->rcpts[rcpt].hop = target;
		break;
	case LINK_BOUNCE_PARENT:
	case LINK_ORIG_QUEUE:
		link_child(c, target, m, r->link);
		break;
	default:
		break;
	}
}

static void apply(struct corr *c, uint32_t m, const struct crec *r)
{
	struct store *st = c->st;
	struct message *msg = &st->msgs[m];
	/* The registry lists the MTA logs first: when a usage line opened
	 * the message, the mainlog that follows is the fuller account. */
	if (r->format < msg->format)
		msg->format = r->format;
	if (r->f[F_SENDER] && (!msg->sender || r->kind == EV_QUEUED))
		msg->sender = r->f[F_SENDER];
	if (r->size >= 0 && (store_msg_size(msg) < 0 || r->kind == EV_QUEUED))
		store_msg_set_size(msg, r->size);
	/* An export step's IP is the server of that step, not a client. */
	if (r->kind != EV_STEP)
		set_if_empty(&msg->client_ip, r->f[F_CLIENT_IP]);
	set_if_empty(&msg->client_host, r->f[F_CLIENT_HOST]);
	if (!msg->client_ip && r->s[F_CLIENT_IP].n)
		msg->client_ip = strtab_intern(&st->strs, r->s[F_CLIENT_IP].p, r->s[F_CLIENT_IP].n);
	if (!msg->client_host && r->s[F_CLIENT_HOST].n)
		msg->client_host =
			strtab_intern(&st->strs, r->s[F_CLIENT_HOST].p, r->s[F_CLIENT_HOST].n);
	set_extra_if_empty(st, m, MSG_X_HELO, r->f[F_HELO]);
	set_if_empty(&msg->auth, r->f[F_AUTH]);
	set_extra_if_empty(st, m, MSG_X_PROTO, r->f[F_PROTO]);
	set_extra_if_empty(st, m, MSG_X_ACCOUNT, r->f[F_ACCOUNT]);
	/* DirectAdmin logs the sender's working directory as path=: for mail
	 * from SMTP clients and queue runs that is Exim's spool ("retry" in
	 * newer exim.pl), not a script, and would only hide the real ones in
	 * the "top script paths" table. */
	if (r->f[F_SCRIPT]) {
		const char *path = store_str(st, r->f[F_SCRIPT]);
		if (strcmp(path, "retry") != 0 && strncmp(path, "/var/spool/", 11) != 0)
			set_extra_if_empty(st, m, MSG_X_SCRIPT, r->f[F_SCRIPT]);
	}
	if (r->flags & PL_INBOUND)
		msg->flags |= MSG_INBOUND;
	if (r->flags & PL_OUTBOUND)
		msg->flags |= MSG_OUTBOUND;
	set_msgid(c, m, r->s[F_MSGID]);
	set_if_empty(&st->msgs[m].subject, r->f[F_SUBJECT]);
	msg = &st->msgs[m];
	if (r->f[F_SENDER] == c->null_sender && r->kind == EV_QUEUED)
		msg->flags |= MSG_IS_BOUNCE;
	if (r->rcpt_ids)
		add_rcpt_list(c, m, r);

	uint32_t rcpt = RCPT_NONE;
	int rcpt_line = r->kind == EV_DELIVERED || r->kind == EV_DEFERRED ||
			r->kind == EV_BOUNCED || r->kind == EV_RETRY_WAIT || r->kind == EV_REJECT ||
			r->kind == EV_STEP || r->kind == EV_USAGE_OUT || r->kind == EV_USAGE_IN ||
			r->kind == EV_SUPPRESSED;
	if (r->f[F_RCPT] && rcpt_line) {
		rcpt = ensure_rcpt(c, m, r->f[F_RCPT], r->f[F_ORIG_RCPT]);
		update_rcpt(st, rcpt, r);
	} else if (r->f[F_RCPT] && r->kind == EV_HEADER) {
		ensure_rcpt(c, m, r->f[F_RCPT], 0);
	}

	switch (r->kind) {
	case EV_DONE:
		st->msgs[m].flags |= MSG_DONE;
		break;
	case EV_EXPIRED:
		st->msgs[m].flags |= MSG_EXPIRED;
		for (uint32_t x = st->msgs[m].first_rcpt; x != RCPT_NONE; x = st->rcpts[x].next)
			if (st->rcpts[x].status == OUT_DEFERRED || st->rcpts[x].status == OUT_QUEUED) {
				st->rcpts[x].status = OUT_EXPIRED;
				st->rcpts[x].at = r->ts_us;
			}
		break;
	case EV_HOLD:
		st->msgs[m].flags |= MSG_HELD;
		break;
	case EV_RELEASE:
		st->msgs[m].flags &= (uint16_t)~MSG_HELD;
		break;
	case EV_DELETED:
		st->msgs[m].flags |= MSG_DELETED | MSG_DONE;
		break;
	case EV_REJECT:
		if (!r->f[F_RCPT] && r->s[F_QID].n) {
			/* Refused at end of DATA (header/body checks, milter):
			 * nobody gets it. */
			st->msgs[m].flags |= MSG_ATTEMPT;
			for (uint32_t x = st->msgs[m].first_rcpt; x != RCPT_NONE;
			     x = st->rcpts[x].next) {
				update_rcpt(st, x, r);
			}
		}
		break;
	default:
		break;
	}
	if (r->s[F_LINK].n && r->link != LINK_NONE)
		resolve_or_keep(c, m, rcpt, r);
	/* The summary walks every recipient: a message of hundreds gets it
	 * at the end of the load (corr_finish), not on each of its lines. */
	if (st->msgs[m].nrcpt < STORE_NRCPT_MAX)
		store_msg_update_status(st, m);
	/* Left the queue: few lines follow (a disconnect, a late link), so
	 * its events move to the compact packed form now, while the pipeline
	 * still has the message in cache. */
	if (r->kind == EV_DONE || r->kind == EV_DELETED) {
		store_msg_pack_events(st, m);
		if (r->qid_key)
			retire_later(c, r->qid_key, r->ts_us, m);
	} else if ((r->kind == EV_DEFERRED || r->kind == EV_RETRY_WAIT || r->kind == EV_HOLD) &&
		   st->msgs[m].pack_off == STORE_PACK_NONE) {
		/* Waiting for the next try, minutes or hours away (or for ever
		 * when the logs end first): pack what it has.  Only the first
		 * time: a re-pack copies the whole blob and leaves the old one
		 * behind, so a message deferred hundreds of times would cost
		 * quadratic time and memory; its later attempts stay live until
		 * it leaves the queue or the load ends. */
		store_msg_pack_events(st, m);
	}
}

static void attach(struct corr *c, uint32_t m, const struct crec *r)
{
	struct event e = {r->ts_us, r->loc, EVENT_NONE, r->kind, r->outcome, r->smtp_code};
	uint32_t ev = store_add_event(c->st, &e);
	store_msg_push_event(c->st, m, ev);
}

/* --- sessions ------------------------------------------------------------ */

static void session_end(struct corr *c, struct session *s, const struct crec *disconnect);

static struct session *session_find(struct corr *c, const struct crec *r, int create)
{
	if (!r->pid)
		return NULL;
	uint64_t key = u64map_key2(r->f[F_HOST], r->pid);
	uint32_t i = u64map_get(&c->by_session, key, UINT32_MAX);
	if (i != UINT32_MAX) {
		struct session *s = &c->sessions[i];
		if (s->prog == r->f[F_PROG])
			return s;
		if (!create)
			return NULL;
		/* Same pid, other program: the pid was reused, so the old
		 * session is over. */
		session_end(c, s, NULL);
	} else if (!create) {
		return NULL;
	}
	if (i == UINT32_MAX) {
		if (c->nfree_sessions) {
			i = c->free_sessions[--c->nfree_sessions];
		} else {
			if (c->nsessions == c->sessions_cap) {
				c->sessions_cap = c->sessions_cap ? c->sessions_cap * 2 : 256;
				c->sessions = xrealloc(c->sessions,
						       c->sessions_cap * sizeof *c->sessions);
			}
			i = (uint32_t)c->nsessions++;
		}
		memset(&c->sessions[i], 0, sizeof c->sessions[i]);
		u64map_put(&c->by_session, key, i);
	}
	struct session *s = &c->sessions[i];
	s->host = r->f[F_HOST];
	s->prog = r->f[F_PROG];
	s->pid = r->pid;
	s->msg = MSG_NONE;
	s->has_connect = 0;
	drop_rejects(s);
	return s;
}

static void session_claim(struct corr *c, struct session *s, uint32_t m)
{
	struct store *st = c->st;
	if (s->has_connect) {
		uint32_t ev = store_add_event(st, &s->connect);
		store_msg_push_event(st, m, ev);
		s->has_connect = 0;
	}
	set_if_empty(&st->msgs[m].client_ip, s->client_ip);
	set_if_empty(&st->msgs[m].client_host, s->client_host);
	for (size_t i = 0; i < s->nrejects; i++) {
		store_msg_push_event(st, m, s->rejects[i].ev);
		struct crec held;
		held_rec(&s->rejects[i], &held);
		const struct crec *rr = &held;
		if (rr->f[F_RCPT]) {
			uint32_t x = ensure_rcpt(c, m, rr->f[F_RCPT], 0);
			update_rcpt(st, x, rr);
		}
	}
	drop_rejects(s);
	s->msg = m;
	store_msg_update_status(st, m);
}

/* A session ended (disconnect, pid reused, end of input). */
static void session_end(struct corr *c, struct session *s, const struct crec *disconnect)
{
	struct store *st = c->st;
	if (s->nrejects > 0) {
		/* Refusals and no message: one rejected attempt. */
		struct crec held;
		held_rec(&s->rejects[0], &held);
		const struct crec *first = &held;
		uint32_t m = new_message(c, first);
		st->msgs[m].flags |= MSG_ATTEMPT;
		session_claim(c, s, m);
		apply(c, m, first);
		store_msg_pack_events(st, m);
	}
	if (disconnect && s->msg != MSG_NONE)
		attach(c, s->msg, disconnect);
	s->msg = MSG_NONE;
	s->has_connect = 0;
	drop_rejects(s);
}

/* A disconnected session is over: its slot is reused, so the table holds
 * the connections open now, not every process id ever seen. */
static void session_forget(struct corr *c, struct session *s)
{
	u64map_del(&c->by_session, u64map_key2(s->host, s->pid));
	if (c->nfree_sessions == c->free_sessions_cap) {
		c->free_sessions_cap = c->free_sessions_cap ? c->free_sessions_cap * 2 : 256;
		c->free_sessions = xrealloc(c->free_sessions,
					    c->free_sessions_cap * sizeof *c->free_sessions);
	}
	c->free_sessions[c->nfree_sessions++] = (uint32_t)(s - c->sessions);
}

static void session_hold_reject(struct corr *c, struct session *s, const struct crec *r)
{
	struct event e = {r->ts_us, r->loc, EVENT_NONE, r->kind, r->outcome, r->smtp_code};
	uint32_t ev = store_add_event(c->st, &e);
	if (s->nrejects == s->rejects_cap) {
		s->rejects_cap = s->rejects_cap ? s->rejects_cap * 2 : 4;
		s->rejects = xrealloc(s->rejects, s->rejects_cap * sizeof *s->rejects);
	}
	s->rejects[s->nrejects].ev = ev;
	memcpy(s->rejects[s->nrejects].rec, r, HELD_REC_BYTES);
	s->nrejects++;
}

/* --- the stream ---------------------------------------------------------- */

void corr_add(struct corr *c, const struct crec *r)
{
	struct store *st = c->st;
	struct session *s;

	if (c->nretire)
		retire_old(c, r->ts_us);
	if (r->s[F_QID].n) {
		uint32_t m = message_for(c, r);
		if (r->kind == EV_CLIENT || (r->kind == EV_QUEUED && r->pid)) {
			s = session_find(c, r, 0);
			if (s && (s->has_connect || s->nrejects || s->msg != MSG_NONE))
				session_claim(c, s, m);
		}
		attach(c, m, r);
		apply(c, m, r);
		return;
	}

	switch (r->kind) {
	case EV_CONNECT:
		s = session_find(c, r, 0);
		if (s)
			session_end(c, s, NULL);
		s = session_find(c, r, 1);
		if (!s)
			return;
		s->has_connect = 1;
		s->connect = (struct event){r->ts_us, r->loc, EVENT_NONE, r->kind, r->outcome,
					    r->smtp_code};
		s->client_ip = r->f[F_CLIENT_IP];
		s->client_host = r->f[F_CLIENT_HOST];
		return;
	case EV_DISCONNECT:
		s = session_find(c, r, 0);
		if (s) {
			session_end(c, s, r);
			session_forget(c, s);
		}
		return;
	case EV_REJECT:
		s = session_find(c, r, 0);
		if (!s && r->pid && r->f[F_PROG])
			s = session_find(c, r, 1); /* the connect line was not logged */
		if (s) {
			if (s->msg != MSG_NONE && (!r->f[F_SENDER] ||
						   r->f[F_SENDER] == st->msgs[s->msg].sender)) {
				attach(c, s->msg, r);
				apply(c, s->msg, r);
			} else {
				if (s->msg != MSG_NONE)
					s->msg = MSG_NONE; /* a new transaction */
				session_hold_reject(c, s, r);
			}
			return;
		}
		/* No session to hold it (Exim without +pid, exports): the
		 * refusal is an attempt of its own. */
		{
			uint32_t m = new_message(c, r);
			st->msgs[m].flags |= MSG_ATTEMPT;
			attach(c, m, r);
			apply(c, m, r);
			store_msg_pack_events(st, m);
		}
		return;
	case EV_STEP:
		if (r->s[F_MSGID].n || r->f[F_RCPT]) {
			uint32_t m = new_message(c, r);
			if (r->outcome == OUT_REJECTED)
				st->msgs[m].flags |= MSG_ATTEMPT;
			attach(c, m, r);
			apply(c, m, r);
			store_msg_pack_events(st, m); /* one row, one message */
		}
		return;
	case EV_MAILBOX:
		if (r->s[F_MSGID].n) {
			/* Dovecot names the Message-ID: the latest message
			 * carrying it is the one being stored. */
			char buf[512];
			size_t n = corr_norm_msgid(r->s[F_MSGID].p, r->s[F_MSGID].n, buf, sizeof buf);
			if (!n)
				return;
			if (c->nmailbox == c->mailbox_cap) {
				c->mailbox_cap = c->mailbox_cap ? c->mailbox_cap * 2 : 64;
				c->mailbox = xrealloc(c->mailbox, c->mailbox_cap * sizeof *c->mailbox);
			}
			c->mailbox[c->nmailbox++] = (struct pending_mailbox){
				{r->ts_us, r->loc, EVENT_NONE, r->kind, r->outcome, r->smtp_code},
				msgid_key(buf, n), st->nmsgs};
		}
		return;
	default:
		/* Session-level lines (TLS, AUTH failures, warnings) go to the
		 * session's message when there is one. */
		s = session_find(c, r, 0);
		if (s && s->msg != MSG_NONE)
			attach(c, s->msg, r);
		return;
	}
}

static void resolve_link(struct corr *c, const struct pending_link *l, uint32_t target)
{
	uint8_t kind = (uint8_t)(l->key >> LINK_HASH_BITS);
	if (kind == LINK_BOUNCE_PARENT || kind == LINK_ORIG_QUEUE) {
		link_child(c, target, l->from, kind);
	} else {
		link_child(c, l->from, target, kind);
		if (l->rcpt != RCPT_NONE && kind != LINK_BOUNCE_CHILD)
			c->st->rcpts[l->rcpt].hop = target;
	}
}

/* Links still open at the end: to queue ids that appeared only later or
 * left by_qid (same host), or that live on another host (an Exim C="...
 * queued as X" naming the next server's Postfix).  The open links are
 * sorted by hash, then the messages' queue ids, a slice of messages at a
 * time (memory peaks here), are sorted and joined with them: the latest
 * message with the id wins, the one on the same host first.  Targets are
 * found first and linked in the order the links were seen, since the
 * first parent of a message wins. */
#define JOIN_SLICE (1u << 16)
#define TARGET_SAME_HOST 0x80000000u

static uint64_t link_sort_key(const void *p)
{
	return (((const struct pending_link *)p)->key & LINK_HASH_MASK) << 3;
}

static int link_less(const void *pa, const void *pb)
{
	const struct pending_link *a = pa, *b = pb;
	uint64_t ka = link_sort_key(a), kb = link_sort_key(b);
	if (ka != kb)
		return ka < kb;
	return a->from != b->from ? a->from < b->from : a->rcpt < b->rcpt;
}

static void resolve_open_links(struct corr *c)
{
	struct store *st = c->st;
	size_t n = c->nlinks;
	/* in place: the links are linked in this order (hash, message),
	 * which decides only when two links claim one child */
	sort_by_hash(c->links, n, sizeof *c->links, link_sort_key, link_less);
	/* target[i]: 0 = none, else message + 1, TARGET_SAME_HOST when on
	 * the link's own host (message indexes stay below 2^31) */
	uint32_t *target = xcalloc(n, sizeof *target);
	struct keyed *mk = xmalloc(JOIN_SLICE * sizeof *mk);
	for (uint32_t m0 = 0; m0 < st->nmsgs; m0 += JOIN_SLICE) {
		uint32_t m1 = st->nmsgs - m0 > JOIN_SLICE ? m0 + JOIN_SLICE : st->nmsgs;
		size_t nm = 0;
		for (uint32_t m = m0; m < m1; m++) {
			const struct message *msg = &st->msgs[m];
			if (msg->qid)
				mk[nm++] = keyed(link_hash(corr_qid_hash(store_str(st, msg->qid),
									 strtab_len(&st->strs, msg->qid)))
							 << 3, m);
		}
		sort_keyed(mk, nm);
		for (size_t a = 0, b = 0; a < nm && b < n;) {
			uint64_t ka = keyed_key(&mk[a]), kb = link_sort_key(&c->links[b]);
			if (ka < kb) {
				a++;
			} else if (ka > kb) {
				b++;
			} else {
				size_t e = a + 1;
				while (e < nm && keyed_key(&mk[e]) == ka)
					e++;
				for (; b < n && link_sort_key(&c->links[b]) == ka; b++) {
					uint32_t i = (uint32_t)b;
					uint32_t host = st->msgs[c->links[i].from].host;
					for (size_t x = a; x < e; x++) {
						if (st->msgs[mk[x].m].host == host)
							target[i] = (mk[x].m + 1) | TARGET_SAME_HOST;
						else if (!(target[i] & TARGET_SAME_HOST))
							target[i] = mk[x].m + 1;
					}
				}
				a = e;
			}
		}
	}
	free(mk);
	for (size_t i = 0; i < n; i++) {
		uint32_t t = target[i] & ~TARGET_SAME_HOST;
		if (t && t - 1 != c->links[i].from)
			resolve_link(c, &c->links[i], t - 1);
	}
	free(target);
}

void corr_finish(struct corr *c)
{
	struct store *st = c->st;
	for (size_t i = 0; i < c->nsessions; i++)
		session_end(c, &c->sessions[i], NULL);

	store_pack_all(st);
	u64map_release(&c->by_qid); /* the load is over: nothing opens */
	if (c->nlinks)
		resolve_open_links(c);
	free(c->links);
	c->links = NULL;
	c->nlinks = c->links_cap = 0;
	link_msgid_copies(c);
	for (uint32_t m = 0; m < st->nmsgs; m++) {
		struct message *msg = &st->msgs[m];
		/* A copy made by a content filter or forward carries the same
		 * Message-ID but its Subject was logged only once: show it. */
		if (!msg->subject)
			for (uint32_t x = msg->same_msgid; x != m; x = st->msgs[x].same_msgid)
				if (st->msgs[x].subject) {
					msg->subject = st->msgs[x].subject;
					break;
				}
		store_msg_update_status(st, m);
	}
}
