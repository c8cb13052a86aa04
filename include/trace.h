/*
 * trace.h - one message end to end: the messages linked to it (relay
 * hops, its bounce or the message it bounces, copies with the same
 * Message-ID elsewhere) and every event of each, with the raw log line
 * re-read from its source.
 *
 * Built on demand from the store, so the list view costs nothing for
 * messages nobody opens.  Shared by --trace, --json and the TUI.
 */
#ifndef MAILTRAIL_TRACE_H
#define MAILTRAIL_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "tbuf.h"

#define TRACE_MAX_MSGS 64

struct trace_event {
	uint32_t msg;        /* message it belongs to */
	int64_t ts_us;
	uint8_t kind;        /* enum ev_kind */
	uint8_t outcome;
	uint16_t smtp_code;
	uint32_t file;
	uint64_t offset;
	uint64_t line;       /* 1-based, 0 unknown */
	struct tbuf raw;     /* the log line as read back (not escaped) */
};

struct trace {
	uint32_t root;                  /* the message asked for */
	uint32_t msgs[TRACE_MAX_MSGS];  /* related messages, oldest first */
	size_t nmsgs;
	struct trace_event *events;     /* grouped by msgs[] order, time order */
	size_t nevents;
	char error[300];                /* a source could not be re-read */
};

/* Collect the messages related to m (m included).  Cheap: no I/O.
 * Returns the count written to out (at most cap). */
size_t trace_related(const struct store *st, uint32_t m, uint32_t *out, size_t cap);

/* Build the trace of m.  with_raw: re-read raw lines.  The caller holds
 * the store lock while loading goes on.  Returns 0; t->error is set when
 * some raw lines could not be read (the rest is complete). */
int trace_build(const struct store *st, uint32_t m, int with_raw, struct trace *t);
void trace_release(struct trace *t);

/* Only message m's own events, no raw text (for per-message output such
 * as --json, where the related messages have rows of their own). */
int trace_build_single(const struct store *st, uint32_t m, struct trace *t);

/* Re-read the raw lines of all events of traces[0..n) in one sorted pass
 * per file: much cheaper than one pass per trace when many messages are
 * written (a gzip file is inflated once per batch, not once per message).
 * Returns 0, or -1 when some lines could not be read (traces[i].error). */
int trace_fetch_raw(const struct store *st, struct trace *traces, size_t n);

/* Events of message msg inside t: [*first, *first + *count). */
void trace_events_of(const struct trace *t, uint32_t msg, size_t *first, size_t *count);

#endif
