/*
 * trace.c - related messages and re-read raw lines.
 *
 * Raw lines are fetched per file in one sorted batch, so a gzip file is
 * inflated from one access point forward rather than once per line.
 * Events are read only through store_msg_events(), which decodes a
 * message's packed blob and merges its live events (store.h).
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
	uint32_t file;
	uint64_t offset;
	struct trace_event *ev;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct fetch_ref *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Re-read the raw line of every event in refs[0..n): sorted by file and
 * offset, one sequential pass per file (a gzip file is inflated from one
 * access point forward, not once per line).  err gets the first problem. */
static void fetch_refs(const struct store *st, struct fetch_ref *refs, size_t n, char *error,
		       size_t errlen)
{
	qsort(refs, n, sizeof *refs, cmp_ref);
	uint64_t *offs = xmalloc((n ? n : 1) * sizeof *offs);
	uint64_t *lines = xmalloc((n ? n : 1) * sizeof *lines);
	struct tbuf *bufs = xmalloc((n ? n : 1) * sizeof *bufs);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && refs[j].file == refs[i].file)
			j++;
		for (size_t k = i; k < j; k++) {
			offs[k - i] = refs[k].offset;
			tbuf_init(&bufs[k - i]);
		}
		char err[256] = "";
		uint32_t file = refs[i].file;
		/* the source's lock is the only thing written: cast is safe */
		if (file < st->nfiles &&
		    source_fetch_lines((struct source *)&st->files[file].src, offs, j - i, bufs, lines,
				       err, sizeof err) != 0 && !error[0])
			snprintf(error, errlen, "%s: %s", st->files[file].src.path, err);
		for (size_t k = i; k < j; k++) {
			struct trace_event *te = refs[k].ev;
			tbuf_release(&te->raw);
			te->raw = bufs[k - i];
			te->line = lines[k - i];
		}
		i = j;
	}
	free(bufs);
	free(lines);
	free(offs);
}

static size_t add_refs(struct trace *t, struct fetch_ref *refs)
{
	for (size_t i = 0; i < t->nevents; i++) {
		refs[i].file = t->events[i].file;
		refs[i].offset = t->events[i].offset;
		refs[i].ev = &t->events[i];
	}
	return t->nevents;
}

int trace_fetch_raw(const struct store *st, struct trace *traces, size_t n)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += traces[i].nevents;
	struct fetch_ref *refs = xmalloc((total ? total : 1) * sizeof *refs);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += add_refs(&traces[i], refs + k);
	char error[300] = "";
	fetch_refs(st, refs, k, error, sizeof error);
	for (size_t i = 0; i < n && error[0]; i++)
		if (!traces[i].error[0])
			snprintf(traces[i].error, sizeof traces[i].error, "%s", error);
	free(refs);
	return error[0] ? -1 : 0;
}

static void fill_event(struct trace_event *te, uint32_t m, const struct event *ev)
{
	te->msg = m;
	te->ts_us = ev->ts_us;
	te->kind = ev->kind;
	te->outcome = ev->outcome;
	te->smtp_code = ev->smtp_code;
	te->file = event_file(ev);
	te->offset = event_offset(ev);
	tbuf_init(&te->raw);
}

int trace_build(const struct store *st, uint32_t m, int with_raw, struct trace *t)
{
	memset(t, 0, sizeof *t);
	t->root = m;
	t->nmsgs = trace_related(st, m, t->msgs, TRACE_MAX_MSGS);
	size_t total = 0, most = 0;
	for (size_t i = 0; i < t->nmsgs; i++) {
		uint32_t nev = store_msg_nev(st, t->msgs[i]);
		total += nev;
		most = nev > most ? nev : most;
	}
	t->events = xcalloc(total ? total : 1, sizeof *t->events);
	/* events may be packed: decoded one message at a time */
	struct event *evs = xmalloc((most ? most : 1) * sizeof *evs);
	for (size_t i = 0; i < t->nmsgs; i++) {
		uint32_t mi = t->msgs[i];
		size_t n = store_msg_events(st, mi, evs, store_msg_nev(st, mi));
		for (size_t k = 0; k < n && t->nevents < total; k++)
			fill_event(&t->events[t->nevents++], mi, &evs[k]);
	}
	free(evs);
	if (with_raw && t->nevents)
		trace_fetch_raw(st, t, 1);
	return 0;
}

int trace_build_single(const struct store *st, uint32_t m, struct trace *t)
{
	memset(t, 0, sizeof *t);
	t->root = m;
	t->msgs[0] = m;
	t->nmsgs = 1;
	uint32_t nev = store_msg_nev(st, m);
	t->events = xcalloc(nev ? nev : 1, sizeof *t->events);
	struct event *evs = xmalloc((nev ? nev : 1) * sizeof *evs);
	size_t n = store_msg_events(st, m, evs, nev);
	for (size_t k = 0; k < n; k++)
		fill_event(&t->events[t->nevents++], m, &evs[k]);
	free(evs);
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
