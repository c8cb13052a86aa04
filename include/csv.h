/*
 * csv.h - the shared CSV reader of the export formats (Google Workspace
 * Email Log Search, EmailLabs, and any later export).
 *
 * Key design decision: the reader is fed ONE PHYSICAL LINE at a time, as
 * every parser is (parser.h), and keeps the record in progress in its own
 * state.  A quoted cell that runs over a newline makes the call return
 * PARSE_MORE; the record completes on a later call.  Only the cells of
 * columns the format asked for are copied (decoded) into the state, so a
 * row of 10,000 columns costs one pass and no memory per column, and the
 * reader never allocates after csv_reader_new().
 *
 * Columns are found by NAME, never by position: a format gives a schema of
 * named slots, each with a list of header spellings (English, Polish,
 * API-style).  Header cells are compared after folding case (ASCII and
 * Polish letters), dropping a UTF-8 BOM, spaces, '_', '-', '.', ':' and any
 * "(...)" part, so "Message ID", "message_id" and "MESSAGE-ID" are one name.
 * Unknown columns are ignored; which ones were recognised can be reported
 * with csv_header_describe().
 *
 * Dialect: RFC 4180 (double-quoted cells, "" for a quote, quoted newlines),
 * delimiter ',' ';' or TAB chosen from the header line (the most frequent
 * one outside quotes), UTF-8 BOM on the first line, CRLF.  Lenient where
 * spreadsheets are sloppy: spaces around a quoted cell are dropped, text
 * after a closing quote is kept, unquoted cells are trimmed of spaces.
 */
#ifndef MAILTRAIL_CSV_H
#define MAILTRAIL_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "parser.h"

#define CSV_MAX_RECORD (64u << 10) /* raw bytes a multi-line record may span */
#define CSV_MAX_LINES 200u         /* physical lines a record may span */
#define CSV_MAX_SLOTS 32u          /* named columns one schema may define */

/* One named column of a format.  The first alias is the canonical header
 * text; the rest are other spellings (translations, API names). */
struct csv_column {
	const char *name;             /* short id shown in descriptions: "event_date" */
	const char *const *aliases;   /* NULL-terminated header spellings */
};

/* What a format expects of a header.  A header is accepted when every slot
 * of need_all is present and, if need_any is not 0, at least one of
 * need_any (bit i = slot i). */
struct csv_schema {
	const struct csv_column *cols; /* slot i is cols[i] */
	unsigned ncols;                /* <= CSV_MAX_SLOTS */
	uint32_t need_all;
	uint32_t need_any;
	size_t scratch;                /* bytes of scratch space the format wants
					* in the state (csv_scratch) */
};

struct csv_reader;

/*
 * Per-file state for a format using this reader: use it as (or from) the
 * parser's begin().  The schema must outlive the reader (a static const).
 * Returns NULL on allocation failure.  Freed by csv_reader_free().
 */
struct csv_reader *csv_reader_new(const struct csv_schema *schema);

/* Free a reader made by csv_reader_new (NULL is fine).  Takes void * so it
 * can be a parser's end() directly; csv_parser_is_csv() relies on that. */
void csv_reader_free(void *state);

/*
 * Feed one physical line (NUL-terminated at len, no newline; a trailing CR
 * is dropped; NUL bytes and invalid UTF-8 are ordinary bytes).  Returns:
 *  PARSE_OK       a data row is complete: read it with csv_field();
 *  PARSE_SKIP     the header row (accepted), or a blank/all-empty row;
 *  PARSE_MORE     a quoted cell continues on the next line;
 *  PARSE_NOMATCH  the header did not satisfy the schema: every line of the
 *                 file, header included, answers this;
 *  PARSE_BAD      the record was dropped; *why is a static English reason
 *                 (unbalanced quote past CSV_MAX_RECORD / CSV_MAX_LINES,
 *                 wrong number of fields).  The next line starts afresh.
 */
enum parse_result csv_reader_line(struct csv_reader *r, const char *line, size_t len,
				  const char **why);

/* Cell of a slot in the row just completed (decoded: quotes removed, ""
 * unescaped, a quoted newline is "\n").  Empty when the column is absent
 * or the row is short.  Valid until the next csv_reader_line(). */
struct slice csv_field(const struct csv_reader *r, unsigned slot);

/* 1 when the header has a column for this slot. */
int csv_has_column(const struct csv_reader *r, unsigned slot);

/* The format's scratch space (schema->scratch bytes), for text it builds
 * per row (F_DETAIL).  Owned by the reader. */
char *csv_scratch(struct csv_reader *r);

/*
 * For the loader, given a parser's per-file state (void *) of a CSV
 * format:
 *
 * csv_header_describe writes a one-line English description of the header
 * ("delimiter ',', 18 columns; recognised 16: Message ID=message_id, ...;
 * ignored 2: Foo, Bar; missing: ...") into buf (always NUL-terminated when
 * cap > 0, truncated to fit) and returns its length.
 *
 * csv_record_open tells whether a quoted record is still open, i.e. at end
 * of file its first line is an unterminated record to report as bad.
 */
size_t csv_header_describe(const void *state, char *buf, size_t cap);
int csv_record_open(const void *state);

/* 1 when the parser's state is a struct csv_reader (its end() is
 * csv_reader_free), so the two functions above may be called on it. */
int csv_parser_is_csv(const struct parser *p);

/* --- probing (no state, no allocation) ---------------------------------- */

struct csv_probe {
	char delim;                 /* detected delimiter */
	unsigned ncells;            /* cells in the header line */
	unsigned mapped;            /* schema slots found */
	uint32_t mask;              /* which slots (bit i = slot i) */
	int ok;                     /* need_all / need_any satisfied */
	int col[CSV_MAX_SLOTS];     /* header column of each slot, -1 if none */
};

/* Map one physical header line (a BOM is skipped) against a schema. */
void csv_probe_header(const struct csv_schema *s, const char *line, size_t len,
		      struct csv_probe *out);

/* Decoded cell number col of one physical line, copied into buf (cap > 0,
 * NUL-terminated, truncated to fit).  Returns its length, or (size_t)-1
 * when the line has fewer cells. */
size_t csv_probe_cell(const char *line, size_t len, char delim, unsigned col, char *buf,
		      size_t cap);

/* --- helpers for export cells ------------------------------------------- */

/* First SMTP reply code (200..599, three digits not inside a longer number
 * or a dotted code) in s, or 0. */
unsigned csv_smtp_code(struct slice s);

/* First enhanced status code "5.1.1" / "4.7.0" in s, as a slice of s, or an
 * empty slice. */
struct slice csv_dsn(struct slice s);

/* s without leading/trailing spaces, tabs and newlines. */
struct slice csv_trim(struct slice s);

/* Case-insensitive (ASCII) comparison of a slice with a literal. */
int csv_ieq(struct slice s, const char *lit);

#endif
