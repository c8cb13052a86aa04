/*
 * output.h - the non-interactive renderings of the store: the --list
 * rows, the --trace text, NDJSON (docs/json.md is the contract) and the
 * per-file "what was understood" report.
 *
 * Every string that came from a log is escaped on the way out (textsafe.h):
 * control characters never reach the terminal, and JSON is always valid.
 */
#ifndef MAILTRAIL_OUTPUT_H
#define MAILTRAIL_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "store.h"
#include "tbuf.h"
#include "trace.h"

/* "2026-11-20 10:15:02" in local time (the TZ mailtrail runs with). */
void output_time_local(int64_t us, char buf[32]);

/* RFC 3339 with the local offset: "2026-11-20T10:15:02+01:00". */
void output_time_rfc3339(int64_t us, char buf[40]);

/* Stable id of a message for JSON and --trace ("host/QUEUEID" or
 * "format#index" for messages without a queue id). */
void output_msg_id(const struct store *st, uint32_t m, struct tbuf *out);

/* "anna@gmail.com +2" */
void output_first_rcpt(const struct store *st, uint32_t m, struct tbuf *out);

/* One aligned row per message. */
void output_list(FILE *out, const struct store *st, const uint32_t *msgs, size_t n);

/* A trace as text for a human (also what the TUI's "write to file" saves). */
void output_trace_text(struct tbuf *out, const struct store *st, const struct trace *t);

/* One NDJSON object (no trailing newline) for message m.  t: its trace
 * built with raw lines, for events[] (NULL: events without raw text). */
void output_json_message(struct tbuf *out, const struct store *st, uint32_t m,
			 const struct trace *t);

/* Per-file report: recognised / skipped / not understood, with the first
 * unrecognised lines quoted.  quiet: only files with problems. */
void output_file_report(FILE *err, const struct store *st, int quiet);

/* Totals over all files. */
void output_totals(const struct store *st, uint64_t *lines, uint64_t *ok, uint64_t *unknown);

#endif
