/*
 * store.c - the arrays behind store.h and the status summary rules.
 *
 * Status rules (what support staff see in the list):
 *   - a recipient's status is the last word about it; a recipient handed to
 *     another message on the way (content filter, relay, alias) takes the
 *     final status of that message's copy of it (store_rcpt_final);
 *   - a message whose recipients all agree has that status, otherwise it
 *     is "partial";
 *   - with no recipients yet: rejected attempts are "rejected", expired
 *     ones "expired", everything else "queued".
 *
 * Packed events (see store.h for live vs packed).  A blob is
 *
 *   varint count, then per event, in time order:
 *     head     1 byte: bits 0-5 kind (63: a raw kind byte follows),
 *              bit 6 X: outcome or SMTP code present,
 *              bit 7 F: another file than the previous event's
 *     [kind]   raw byte when bits 0-5 are 63
 *     [extra]  if X: varint smtp_code << 3 | min(outcome, 7); a raw outcome
 *              byte follows when that was 7
 *     time     varint zigzag(delta / unit) << 2 | unit, unit 0 = s,
 *              1 = ms, 2 = us: the coarsest that divides the delta, so a
 *              syslog (whole seconds) or Exim (ms) step is 1-2 bytes; 3 =
 *              too large for that, a varint zigzag(delta in us) follows.
 *              delta from the previous event, the first from first_ts
 *              (0 in practice); wrapping arithmetic, so any value fits.
 *     place    if F: varint file id, varint offset;
 *              else: varint zigzag(offset - previous offset)
 *
 * 5.6 bytes per event on the 1.1 GiB bench set (24 live).  Every field but
 * next round-trips exactly (kind/outcome escapes exist for that even
 * though real values never need them).  The blob's time base is the
 * message's first_ts, so store_msg_push_event() unpacks a message whose
 * first_ts would move.
 */
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "store.h"
#include "xalloc.h"

void store_init(struct store *st)
{
	memset(st, 0, sizeof *st);
	pthread_mutex_init(&st->lock, NULL);
	strtab_init(&st->strs);
	st->min_ts = INT64_MAX;
	st->max_ts = INT64_MIN;
	st->free_ev = EVENT_NONE;
	st->extras = xcalloc(1, sizeof *st->extras);
	st->nextras = st->extras_cap = 1;
	u64map_init(&st->extras_index);
}

void store_release(struct store *st)
{
	for (uint32_t i = 0; i < st->nfiles; i++)
		if (st->files[i].opened)
			source_release(&st->files[i].src);
		else
			free(st->files[i].src.path);
	free(st->files);
	free(st->events);
	free(st->packed);
	free(st->pack_tmp);
	free(st->pack_buf);
	free(st->msgs);
	free(st->extras);
	u64map_release(&st->extras_index);
	free(st->rcpts);
	strtab_release(&st->strs);
	pthread_mutex_destroy(&st->lock);
	memset(st, 0, sizeof *st);
}

void store_lock(struct store *st)
{
	pthread_mutex_lock(&st->lock);
}

void store_unlock(struct store *st)
{
	pthread_mutex_unlock(&st->lock);
}

/* Grow an array by a quarter: the big arrays reach hundreds of MB, so
 * doubling would waste up to half of that at the end of a load (large
 * reallocs are mremap()s in glibc, so growing often costs no copying). */
static void *grow(void *p, uint32_t *cap, size_t elem, uint32_t need)
{
	if (need <= *cap)
		return p;
	uint64_t c = *cap >= 1024 ? *cap : 1024;
	while (c < need)
		c += c / 4;
	if (c > UINT32_MAX - 1)
		c = UINT32_MAX - 1;
	if (c < need)
		xalloc_die("too many records for one session (over 4 billion)");
	*cap = (uint32_t)c;
	return xrealloc(p, (size_t)c * elem);
}

uint32_t store_add_file(struct store *st, const char *path)
{
	st->files = grow(st->files, &st->files_cap, sizeof *st->files, st->nfiles + 1);
	struct file_info *f = &st->files[st->nfiles];
	memset(f, 0, sizeof *f);
	f->src.path = xstrdup(path);
	f->first_ts = INT64_MAX;
	f->last_ts = INT64_MIN;
	return st->nfiles++;
}

uint32_t store_add_event(struct store *st, const struct event *e)
{
	uint32_t ev;
	if (st->free_ev != EVENT_NONE) {
		ev = st->free_ev;
		st->free_ev = st->events[ev].next;
		st->nfree--;
	} else {
		st->events = grow(st->events, &st->events_cap, sizeof *st->events,
				  st->nevents + 1);
		ev = st->nevents++;
	}
	st->events[ev] = *e;
	st->events[ev].next = EVENT_NONE;
	if (e->ts_us < st->min_ts)
		st->min_ts = e->ts_us;
	if (e->ts_us > st->max_ts)
		st->max_ts = e->ts_us;
	return ev;
}

uint32_t store_add_message(struct store *st)
{
	st->msgs = grow(st->msgs, &st->msgs_cap, sizeof *st->msgs, st->nmsgs + 1);
	uint32_t m = st->nmsgs++;
	struct message *msg = &st->msgs[m];
	memset(msg, 0, sizeof *msg);
	msg->size = STORE_SIZE_UNKNOWN;
	msg->first_ts = INT64_MAX;
	msg->last_ts = INT64_MIN;
	msg->live_ev = EVENT_NONE;
	msg->first_rcpt = RCPT_NONE;
	msg->parent = msg->first_child = msg->next_sibling = MSG_NONE;
	msg->same_msgid = m;
	msg->status = OUT_QUEUED;
	msg->pack_off = STORE_PACK_NONE;
	return m;
}

/* A new queued recipient, not linked yet. */
static uint32_t new_rcpt(struct store *st)
{
	st->rcpts = grow(st->rcpts, &st->rcpts_cap, sizeof *st->rcpts, st->nrcpts + 1);
	uint32_t r = st->nrcpts++;
	struct rcpt *rc = &st->rcpts[r];
	memset(rc, 0, sizeof *rc);
	rc->next = RCPT_NONE;
	rc->hop = MSG_NONE;
	rc->status = OUT_QUEUED;
	return r;
}

uint32_t store_add_rcpt_after(struct store *st, uint32_t m, uint32_t tail)
{
	uint32_t r = new_rcpt(st);
	struct message *msg = &st->msgs[m];
	if (tail == RCPT_NONE)
		msg->first_rcpt = r;
	else
		st->rcpts[tail].next = r;
	if (msg->nrcpt < STORE_NRCPT_MAX)
		msg->nrcpt++;
	return r;
}

uint32_t store_add_rcpt(struct store *st, uint32_t m)
{
	/* The tail is found by walking: callers look for the recipient in
	 * the list before adding it anyway (a pointer to the tail would cost
	 * 4 bytes on every message for nothing; the correlator keeps one
	 * for the few messages of hundreds of recipients). */
	uint32_t t = st->msgs[m].first_rcpt;
	while (t != RCPT_NONE && st->rcpts[t].next != RCPT_NONE)
		t = st->rcpts[t].next;
	return store_add_rcpt_after(st, m, t);
}

void store_add_rcpts(struct store *st, uint32_t m, const uint32_t *addr, size_t n)
{
	uint32_t tail = st->msgs[m].first_rcpt;
	while (tail != RCPT_NONE && st->rcpts[tail].next != RCPT_NONE)
		tail = st->rcpts[tail].next;
	for (size_t i = 0; i < n; i++) {
		tail = store_add_rcpt_after(st, m, tail);
		st->rcpts[tail].addr = addr[i];
	}
}

static void msg_unpack(struct store *st, uint32_t m);

/* Event order in a message: time, then where the line is (file, offset).
 * A total order, so live insertion and the packed/live merge agree, and a
 * line placed late (a mailbox save matched at the end of the load) still
 * shows where it was logged among lines of the same second. */
static int ev_before(const struct event *a, const struct event *b)
{
	if (a->ts_us != b->ts_us)
		return a->ts_us < b->ts_us;
	return a->loc < b->loc;
}

/* qsort order of ev_before (events of distinct lines never tie). */
static int cmp_events(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	return ev_before(x, y) ? -1 : ev_before(y, x);
}

void store_msg_push_event(struct store *st, uint32_t m, uint32_t ev)
{
	struct message *msg = &st->msgs[m];
	if (msg->pack_off != STORE_PACK_NONE && st->events[ev].ts_us < msg->first_ts) {
		msg_unpack(st, m);
		msg = &st->msgs[m];
	}
	struct event *e = &st->events[ev];
	uint32_t tail = msg->live_ev;
	if (tail == EVENT_NONE) {
		e->next = ev;
		msg->live_ev = ev;
	} else {
		/* Out of order (two files of one host interleaved, a clock
		 * step): appended all the same; readers sort. */
		if (ev_before(e, &st->events[tail]))
			msg->flags |= MSG_LIVE_UNSORTED;
		e->next = st->events[tail].next;
		st->events[tail].next = ev;
		msg->live_ev = ev;
	}
	if (e->ts_us < msg->first_ts)
		msg->first_ts = e->ts_us;
	if (e->ts_us > msg->last_ts)
		msg->last_ts = e->ts_us;
}

/* --- packed events ------------------------------------------------------- */

#define PK_KIND_ESC 63u
#define PK_EXTRA 0x40u
#define PK_FILE 0x80u
#define PK_OUT_ESC 7u
#define PK_UNIT_RAW 3u
/* worst case of one event: head, kind, extra (3), outcome, time (1 + 10),
 * file (3) + offset (7) */
#define PK_EVENT_MAX 32u
#define PK_COUNT_MAX 5u

static const int64_t pk_units[3] = {1000000, 1000, 1};

static uint64_t zigzag(uint64_t v)
{
	/* v is a two's complement int64 held unsigned, so the wrap below is
	 * defined and the sign comes from the top bit */
	return (v << 1) ^ (0 - (v >> 63));
}

static uint64_t unzigzag(uint64_t z)
{
	return (z >> 1) ^ (0 - (z & 1));
}

static unsigned char *put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* The arena is written only by this file, so a blob is trusted: no bounds
 * beyond the count. */
static const unsigned char *get_varint(const unsigned char *p, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;
	while (*p & 0x80) {
		x |= (uint64_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	*v = x | (uint64_t)*p++ << shift;
	return p;
}

/* Blob of n events ev[0..n) (time order) into p; returns the end. */
static unsigned char *pk_encode(unsigned char *p, const struct event *ev, uint32_t n,
				int64_t base)
{
	p = put_varint(p, n);
	uint64_t prev_ts = (uint64_t)base;
	uint32_t prev_file = UINT32_MAX;
	uint64_t prev_off = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct event *e = &ev[i];
		uint32_t file = event_file(e);
		uint64_t off = event_offset(e);
		unsigned head = e->kind < PK_KIND_ESC ? e->kind : PK_KIND_ESC;
		if (e->outcome || e->smtp_code)
			head |= PK_EXTRA;
		if (file != prev_file)
			head |= PK_FILE;
		*p++ = (unsigned char)head;
		if ((head & PK_KIND_ESC) == PK_KIND_ESC)
			*p++ = e->kind;
		if (head & PK_EXTRA) {
			unsigned o = e->outcome < PK_OUT_ESC ? e->outcome : PK_OUT_ESC;
			p = put_varint(p, (uint64_t)e->smtp_code << 3 | o);
			if (o == PK_OUT_ESC)
				*p++ = e->outcome;
		}

		uint64_t d = (uint64_t)e->ts_us - prev_ts;
		int64_t sd = d <= INT64_MAX ? (int64_t)d : -(int64_t)(0 - d - 1) - 1;
		unsigned unit = 2;
		while (unit > 0 && sd % pk_units[unit - 1] == 0)
			unit--;
		uint64_t z = zigzag((uint64_t)(sd / pk_units[unit]));
		if (z >> 62) {
			p = put_varint(p, PK_UNIT_RAW);
			p = put_varint(p, zigzag(d));
		} else {
			p = put_varint(p, z << 2 | unit);
		}

		if (head & PK_FILE) {
			p = put_varint(p, file);
			p = put_varint(p, off);
		} else {
			p = put_varint(p, zigzag(off - prev_off));
		}
		prev_ts = (uint64_t)e->ts_us;
		prev_file = file;
		prev_off = off;
	}
	return p;
}

static uint32_t pk_count(const unsigned char *p)
{
	uint64_t n;
	get_varint(p, &n);
	return (uint32_t)n;
}

/* Decode up to cap events of the blob at p into out; returns how many. */
static size_t pk_decode(const unsigned char *p, int64_t base, struct event *out, size_t cap)
{
	uint64_t n;
	p = get_varint(p, &n);
	uint64_t prev_ts = (uint64_t)base;
	uint64_t file = 0, off = 0;
	size_t i = 0;
	for (; i < n && i < cap; i++) {
		struct event *e = &out[i];
		unsigned head = *p++;
		e->kind = (uint8_t)(head & PK_KIND_ESC);
		if (e->kind == PK_KIND_ESC)
			e->kind = *p++;
		e->outcome = 0;
		e->smtp_code = 0;
		if (head & PK_EXTRA) {
			uint64_t v;
			p = get_varint(p, &v);
			e->smtp_code = (uint16_t)(v >> 3);
			e->outcome = (uint8_t)(v & 7);
			if (e->outcome == PK_OUT_ESC)
				e->outcome = *p++;
		}

		uint64_t v;
		p = get_varint(p, &v);
		unsigned unit = (unsigned)(v & 3);
		uint64_t d;
		if (unit == PK_UNIT_RAW) {
			p = get_varint(p, &v);
			d = unzigzag(v);
		} else {
			d = unzigzag(v >> 2) * (uint64_t)pk_units[unit];
		}
		prev_ts += d;
		e->ts_us = prev_ts <= INT64_MAX ? (int64_t)prev_ts
						: -(int64_t)(0 - prev_ts - 1) - 1;

		if (head & PK_FILE) {
			p = get_varint(p, &file);
			p = get_varint(p, &off);
		} else {
			p = get_varint(p, &v);
			off += unzigzag(v);
		}
		e->loc = event_loc((uint32_t)file, off);
		e->next = EVENT_NONE;
	}
	return i;
}

/* The live list runs from the tail's next (oldest) to the tail. */
static uint32_t live_head(const struct store *st, const struct message *msg)
{
	return msg->live_ev == EVENT_NONE ? EVENT_NONE : st->events[msg->live_ev].next;
}

static uint32_t live_next(const struct store *st, const struct message *msg, uint32_t e)
{
	return e == msg->live_ev ? EVENT_NONE : st->events[e].next;
}

static uint32_t live_count(const struct store *st, const struct message *msg)
{
	uint32_t n = 0;
	for (uint32_t e = live_head(st, msg); e != EVENT_NONE; e = live_next(st, msg, e))
		n++;
	return n;
}

static size_t msg_total(const struct store *st, const struct message *msg)
{
	size_t n = live_count(st, msg);
	if (msg->pack_off != STORE_PACK_NONE)
		n += pk_count(st->packed + msg->pack_off);
	return n;
}

/* out[0..n) holds two runs, each in ev_before order: [0..k) and [k..n).
 * Merge them stably (the first run wins ties: those events arrived
 * first). */
static void merge_runs(struct event *out, size_t k, size_t n)
{
	if (k == 0 || k == n || !ev_before(&out[k], &out[k - 1]))
		return;
	struct event *a = xmalloc(k * sizeof *a);
	memcpy(a, out, k * sizeof *a);
	size_t i = 0, j = k, w = 0;
	/* w = i + (j - k) <= j, so the second run is never overwritten
	 * before it is read */
	while (i < k && j < n)
		out[w++] = ev_before(&out[j], &a[i]) ? out[j++] : a[i++];
	while (i < k)
		out[w++] = a[i++];
	free(a);
}

size_t store_msg_events(const struct store *st, uint32_t m, struct event *out, size_t cap)
{
	const struct message *msg = &st->msgs[m];
	size_t total = msg_total(st, msg);
	if (cap < total) {
		/* the first cap in time order need the whole merge */
		struct event *all = xmalloc((total ? total : 1) * sizeof *all);
		store_msg_events(st, m, all, total);
		if (cap)
			memcpy(out, all, cap * sizeof *out);
		free(all);
		return cap;
	}
	size_t k = 0;
	if (msg->pack_off != STORE_PACK_NONE)
		k = pk_decode(st->packed + msg->pack_off, msg->first_ts, out, cap);
	size_t n = k;
	for (uint32_t e = live_head(st, msg); e != EVENT_NONE && n < cap; e = live_next(st, msg, e))
		out[n++] = st->events[e];
	if (msg->flags & MSG_LIVE_UNSORTED)
		qsort(out + k, n - k, sizeof *out, cmp_events);
	merge_runs(out, k, n);
	return n;
}

static void free_live(struct store *st, struct message *msg)
{
	uint32_t e = live_head(st, msg);
	while (e != EVENT_NONE) {
		uint32_t next = live_next(st, msg, e);
		st->events[e].next = st->free_ev;
		st->free_ev = e;
		st->nfree++;
		e = next;
	}
	msg->live_ev = EVENT_NONE;
	msg->flags &= ~MSG_LIVE_UNSORTED;
}

/* Everything of m, in time order, into st->pack_tmp; returns the count. */
static uint32_t gather(struct store *st, uint32_t m)
{
	size_t n = msg_total(st, &st->msgs[m]);
	if (n > UINT32_MAX - 1)
		xalloc_die("too many events on one message");
	st->pack_tmp = grow(st->pack_tmp, &st->pack_tmp_cap, sizeof *st->pack_tmp,
			    (uint32_t)(n ? n : 1));
	return (uint32_t)store_msg_events(st, m, st->pack_tmp, n);
}

void store_msg_pack_events(struct store *st, uint32_t m)
{
	struct message *msg = &st->msgs[m];
	if (msg->live_ev == EVENT_NONE || (msg->flags & MSG_KEEP_LIVE))
		return;
	uint32_t n = gather(st, m);
	uint64_t need = PK_COUNT_MAX + (uint64_t)n * PK_EVENT_MAX;
	if (need > UINT32_MAX - 1)
		return;
	st->pack_buf = grow(st->pack_buf, &st->pack_buf_cap, 1, (uint32_t)need);
	size_t len = (size_t)(pk_encode(st->pack_buf, st->pack_tmp, n, msg->first_ts) -
			      st->pack_buf);
	/* pack_off must stay below STORE_PACK_NONE and fit uint32_t */
	if (st->packed_len + len > UINT32_MAX)
		return;
	if (st->packed_len + len > st->packed_cap) {
		/* a quarter at a time, like the record arrays */
		uint64_t c = st->packed_cap ? st->packed_cap : 65536;
		while (c < st->packed_len + len)
			c += c / 4;
		if (c > UINT32_MAX)
			c = UINT32_MAX;
		st->packed = xrealloc(st->packed, (size_t)c);
		st->packed_cap = c;
	}
	memcpy(st->packed + st->packed_len, st->pack_buf, len);
	msg->pack_off = (uint32_t)st->packed_len;
	st->packed_len += len;
	free_live(st, msg);
}

/* Back to live events only (a new first_ts is coming, and the blob's time
 * is relative to the old one). */
static void msg_unpack(struct store *st, uint32_t m)
{
	uint32_t n = gather(st, m);
	free_live(st, &st->msgs[m]);
	uint32_t head = EVENT_NONE, prev = EVENT_NONE;
	for (uint32_t i = 0; i < n; i++) {
		/* may reuse the slots just freed; the array may move */
		uint32_t ev = store_add_event(st, &st->pack_tmp[i]);
		if (prev == EVENT_NONE)
			head = ev;
		else
			st->events[prev].next = ev;
		prev = ev;
	}
	if (prev != EVENT_NONE)
		st->events[prev].next = head;
	st->msgs[m].live_ev = prev;
	st->msgs[m].pack_off = STORE_PACK_NONE;
	st->msgs[m].flags |= MSG_KEEP_LIVE; /* (gather sorted them) */
}

enum outcome store_rcpt_final(const struct store *st, uint32_t r, uint32_t *final_rcpt)
{
	uint32_t cur = r, holder = MSG_NONE; /* holder: message of cur, when moved */
	for (int depth = 0; depth < 8; depth++) {
		const struct rcpt *rc = &st->rcpts[cur];
		if (rc->hop == MSG_NONE || rc->status != OUT_DELIVERED)
			break;
		/* Find the same address in the next message. */
		const struct message *next = &st->msgs[rc->hop];
		uint32_t found = RCPT_NONE, only = RCPT_NONE;
		for (uint32_t x = next->first_rcpt; x != RCPT_NONE; x = st->rcpts[x].next) {
			const struct rcpt *y = &st->rcpts[x];
			if (y->addr == rc->addr || (rc->orig && y->orig == rc->orig) ||
			    y->orig == rc->addr) {
				found = x;
				break;
			}
			only = only == RCPT_NONE ? x : only;
		}
		if (found == RCPT_NONE && next->nrcpt == 1)
			found = only;
		if (found == RCPT_NONE)
			break;
		holder = rc->hop;
		cur = found;
	}
	if (final_rcpt)
		*final_rcpt = cur;
	enum outcome o = (enum outcome)st->rcpts[cur].status;
	/* The copy that holds the last word may itself have expired. */
	if (holder != MSG_NONE && (st->msgs[holder].flags & MSG_EXPIRED) &&
	    (o == OUT_DEFERRED || o == OUT_QUEUED))
		o = OUT_EXPIRED;
	return o;
}

void store_msg_update_status(struct store *st, uint32_t m)
{
	struct message *msg = &st->msgs[m];
	int seen = 0;
	enum outcome agreed = OUT_NONE;
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
		enum outcome o = store_rcpt_final(st, r, NULL);
		if (msg->flags & MSG_EXPIRED && (o == OUT_DEFERRED || o == OUT_QUEUED))
			o = OUT_EXPIRED;
		if (!seen) {
			agreed = o;
			seen = 1;
		} else if (o != agreed) {
			agreed = OUT_PARTIAL;
		}
	}
	if (!seen)
		agreed = msg->flags & MSG_ATTEMPT ? OUT_REJECTED :
			 msg->flags & MSG_EXPIRED ? OUT_EXPIRED : OUT_QUEUED;
	msg->status = (uint8_t)agreed;
}

const char *store_msg_format(const struct store *st, uint32_t m)
{
	uint8_t f = st->msgs[m].format;
	return f < parser_registry_len ? parser_registry[f]->name : "unknown";
}

void store_pack_all(struct store *st)
{
	for (uint32_t m = 0; m < st->nmsgs; m++)
		if (st->msgs[m].live_ev != EVENT_NONE) {
			st->msgs[m].flags &= ~MSG_KEEP_LIVE;
			store_msg_pack_events(st, m);
		}
	if (st->nfree != st->nevents)
		return; /* an event on no message (or a full arena): keep all */
	free(st->events);
	st->events = NULL;
	st->nevents = st->events_cap = 0;
	st->free_ev = EVENT_NONE;
	st->nfree = 0;
}

static uint64_t extra_key(const struct msg_extra_set *x)
{
	uint64_t h = 0x9E3779B97F4A7C15ull;
	for (int i = 0; i < MSG_X__COUNT; i++) {
		h = (h ^ x->id[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 31;
	}
	return h ? h : 1;
}

void store_msg_set_extra(struct store *st, uint32_t m, enum msg_extra x, uint32_t id)
{
	struct message *msg = &st->msgs[m];
	struct msg_extra_set want = st->extras[msg->extra];
	if (want.id[x] == id)
		return;
	want.id[x] = id;
	uint64_t key = extra_key(&want);
	uint32_t i = u64map_get(&st->extras_index, key, 0);
	if (i && memcmp(&st->extras[i], &want, sizeof want) == 0) {
		msg->extra = i;
		return;
	}
	if (!memcmp(&st->extras[0], &want, sizeof want)) {
		msg->extra = 0;
		return;
	}
	st->extras = grow(st->extras, &st->extras_cap, sizeof *st->extras, st->nextras + 1);
	i = st->nextras++;
	st->extras[i] = want;
	/* a hash collision leaves the older combination unindexed: it is
	 * still right, only not shared */
	u64map_put(&st->extras_index, key, i);
	msg->extra = i;
}

uint32_t store_msg_nev(const struct store *st, uint32_t m)
{
	return (uint32_t)msg_total(st, &st->msgs[m]);
}

uint32_t store_msg_nrcpt(const struct store *st, const struct message *msg)
{
	if (msg->nrcpt < STORE_NRCPT_MAX)
		return msg->nrcpt;
	uint32_t n = 0;
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next)
		n++;
	return n;
}
