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
	free(st->msgs);
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
	uint64_t c = *cap ? *cap : 1024;
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
	st->events = grow(st->events, &st->events_cap, sizeof *st->events, st->nevents + 1);
	st->events[st->nevents] = *e;
	st->events[st->nevents].next = EVENT_NONE;
	if (e->ts_us < st->min_ts)
		st->min_ts = e->ts_us;
	if (e->ts_us > st->max_ts)
		st->max_ts = e->ts_us;
	return st->nevents++;
}

uint32_t store_add_message(struct store *st)
{
	st->msgs = grow(st->msgs, &st->msgs_cap, sizeof *st->msgs, st->nmsgs + 1);
	uint32_t m = st->nmsgs++;
	struct message *msg = &st->msgs[m];
	memset(msg, 0, sizeof *msg);
	msg->size = -1;
	msg->first_ts = INT64_MAX;
	msg->last_ts = INT64_MIN;
	msg->first_ev = msg->last_ev = EVENT_NONE;
	msg->first_rcpt = msg->last_rcpt = RCPT_NONE;
	msg->parent = msg->first_child = msg->next_sibling = MSG_NONE;
	msg->same_msgid = m;
	msg->status = OUT_QUEUED;
	return m;
}

uint32_t store_add_rcpt(struct store *st, uint32_t m)
{
	st->rcpts = grow(st->rcpts, &st->rcpts_cap, sizeof *st->rcpts, st->nrcpts + 1);
	uint32_t r = st->nrcpts++;
	struct rcpt *rc = &st->rcpts[r];
	memset(rc, 0, sizeof *rc);
	rc->next = RCPT_NONE;
	rc->hop = MSG_NONE;
	rc->status = OUT_QUEUED;
	struct message *msg = &st->msgs[m];
	if (msg->last_rcpt == RCPT_NONE)
		msg->first_rcpt = r;
	else
		st->rcpts[msg->last_rcpt].next = r;
	msg->last_rcpt = r;
	if (msg->nrcpt < UINT16_MAX)
		msg->nrcpt++;
	return r;
}

void store_msg_push_event(struct store *st, uint32_t m, uint32_t ev)
{
	struct message *msg = &st->msgs[m];
	struct event *e = &st->events[ev];
	e->next = EVENT_NONE;
	if (msg->last_ev == EVENT_NONE) {
		msg->first_ev = ev;
	} else if (st->events[msg->last_ev].ts_us <= e->ts_us) {
		st->events[msg->last_ev].next = ev;
	} else {
		/* Out of order (two files of one host interleaved): insert in
		 * time order.  Rare, so the walk is fine. */
		uint32_t prev = EVENT_NONE, cur = msg->first_ev;
		while (cur != EVENT_NONE && st->events[cur].ts_us <= e->ts_us) {
			prev = cur;
			cur = st->events[cur].next;
		}
		e->next = cur;
		if (prev == EVENT_NONE)
			msg->first_ev = ev;
		else
			st->events[prev].next = ev;
		if (cur == EVENT_NONE)
			msg->last_ev = ev;
		goto counted;
	}
	msg->last_ev = ev;
counted:
	msg->nev++;
	if (e->ts_us < msg->first_ts)
		msg->first_ts = e->ts_us;
	if (e->ts_us > msg->last_ts)
		msg->last_ts = e->ts_us;
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
