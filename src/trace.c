/*
 * trace.c - related messages and re-read raw lines.
 *
 * Raw lines are fetched per file in one sorted batch, so a gzip file is
 * inflated from one access point forward rather than once per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "xalloc.h"

static int in_set(const uint32_t *set, size_t n, uint32_t m)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == m)
			return 1;
	return 0;
}

size_t trace_related(const struct store *st, uint32_t m, uint32_t *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0 || m >= st->nmsgs)
		return 0;
	out[n++] = m;
	/* Breadth first over parent, children and Message-ID copies. */
	for (size_t i = 0; i < n && n < cap; i++) {
		const struct message *msg = &st->msgs[out[i]];
		if (msg->parent != MSG_NONE && !in_set(out, n, msg->parent))
			out[n++] = msg->parent;
		for (uint32_t ch = msg->first_child; ch != MSG_NONE && n < cap;
		     ch = st->msgs[ch].next_sibling)
			if (!in_set(out, n, ch))
				out[n++] = ch;
		for (uint32_t x = msg->same_msgid; x != out[i] && n < cap; x = st->msgs[x].same_msgid)
			if (!in_set(out, n, x))
				out[n++] = x;
	}
	/* oldest first: that is the order the mail travelled */
	for (size_t i = 1; i < n; i++) {
		uint32_t v = out[i];
		size_t j = i;
		while (j > 0 && st->msgs[out[j - 1]].first_ts > st->msgs[v].first_ts) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = v;
	}
	return n;
}

struct fetch_ref {
	uint64_t offset;
	size_t index;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct fetch_ref *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int trace_build(const struct store *st, uint32_t m, int with_raw, struct trace *t)
{
	memset(t, 0, sizeof *t);
	t->root = m;
	t->nmsgs = trace_related(st, m, t->msgs, TRACE_MAX_MSGS);
	size_t total = 0;
	for (size_t i = 0; i < t->nmsgs; i++)
		total += st->msgs[t->msgs[i]].nev;
	t->events = xcalloc(total ? total : 1, sizeof *t->events);
	for (size_t i = 0; i < t->nmsgs; i++) {
		const struct message *msg = &st->msgs[t->msgs[i]];
		for (uint32_t e = msg->first_ev; e != EVENT_NONE && t->nevents < total;
		     e = st->events[e].next) {
			const struct event *ev = &st->events[e];
			struct trace_event *te = &t->events[t->nevents++];
			te->msg = t->msgs[i];
			te->ts_us = ev->ts_us;
			te->kind = ev->kind;
			te->outcome = ev->outcome;
			te->smtp_code = ev->smtp_code;
			te->file = event_file(ev);
			te->offset = event_offset(ev);
			tbuf_init(&te->raw);
		}
	}
	if (!with_raw || !t->nevents)
		return 0;
	struct fetch_ref *refs = xmalloc(t->nevents * sizeof *refs);
	uint64_t *offs = xmalloc(t->nevents * sizeof *offs);
	uint64_t *lines = xmalloc(t->nevents * sizeof *lines);
	struct tbuf *bufs = xmalloc(t->nevents * sizeof *bufs);
	int *done = xcalloc(t->nevents, sizeof *done);
	for (size_t i = 0; i < t->nevents; i++) {
		if (done[i])
			continue;
		uint32_t file = t->events[i].file;
		size_t n = 0;
		for (size_t k = i; k < t->nevents; k++)
			if (t->events[k].file == file) {
				refs[n].offset = t->events[k].offset;
				refs[n].index = k;
				n++;
				done[k] = 1;
			}
		qsort(refs, n, sizeof *refs, cmp_ref);
		for (size_t k = 0; k < n; k++) {
			offs[k] = refs[k].offset;
			tbuf_init(&bufs[k]);
		}
		char err[256] = "";
		if (file < st->nfiles &&
		    source_fetch_lines((struct source *)&st->files[file].src, offs, n, bufs, lines, err,
				       sizeof err) != 0 && !t->error[0])
			snprintf(t->error, sizeof t->error, "%s: %s", st->files[file].src.path, err);
		for (size_t k = 0; k < n; k++) {
			struct trace_event *te = &t->events[refs[k].index];
			tbuf_release(&te->raw);
			te->raw = bufs[k];
			te->line = lines[k];
		}
	}
	free(done);
	free(bufs);
	free(lines);
	free(offs);
	free(refs);
	return 0;
}

void trace_release(struct trace *t)
{
	for (size_t i = 0; i < t->nevents; i++)
		tbuf_release(&t->events[i].raw);
	free(t->events);
	memset(t, 0, sizeof *t);
}

void trace_events_of(const struct trace *t, uint32_t msg, size_t *first, size_t *count)
{
	size_t i = 0;
	while (i < t->nevents && t->events[i].msg != msg)
		i++;
	size_t j = i;
	while (j < t->nevents && t->events[j].msg == msg)
		j++;
	*first = i;
	*count = j - i;
}
