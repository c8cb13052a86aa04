/*
 * view.h - the curses-free half of the TUI: what a screen row says and
 * where the window onto a long list sits.
 *
 * Key design decision: everything that can be decided without a terminal
 * (column widths, the text of a list row cut to its column, escaping of
 * log text, wrapping, the scroll window, the progress bar, the line editor,
 * the key bar layout, sorting of the visible index) lives here as pure
 * functions on plain buffers, so it is unit-tested (tests/unit/
 * test_tui_view.c) and the curses files only copy finished text to the
 * screen.  Every string from a log enters a row through view_escape(), so
 * no control character or invalid UTF-8 byte can reach the terminal, and
 * widths are display columns (textsafe_width), never bytes.
 *
 * Nothing here allocates per row: callers pass reusable tbufs.
 */
#ifndef MAILTRAIL_VIEW_H
#define MAILTRAIL_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "tbuf.h"

/* --- escaping and cells ---------------------------------------------------- */

/*
 * Append s[0..n) (raw log bytes: any content) to out as display-safe text:
 * textsafe escaping (controls, bidi overrides and invalid bytes become
 * visible escapes), then, for the terminal, code points the locale cannot
 * show with a known width (wcwidth() < 0) become U+FFFD; with ascii set
 * (the locale is not UTF-8) every non-ASCII character becomes '?', so a
 * column is exactly as wide as textsafe_width() says.
 */
void view_escape(struct tbuf *out, const char *s, size_t n, int ascii);

/*
 * Append escaped text s[0..n) to out cut or padded to exactly width
 * columns.  When the text is cut, its last column shows an ellipsis
 * ("..." as one U+2026, or '~' with ascii).  right: pad on the left.
 * Returns the bytes appended.
 */
size_t view_cell(struct tbuf *out, const char *s, size_t n, size_t width, int right, int ascii);

/* --- the message list row ---------------------------------------------------- */

enum view_col { VIEW_COL_TIME, VIEW_COL_STATUS, VIEW_COL_SENDER, VIEW_COL_RCPT,
		VIEW_COL_SUBJECT, VIEW_COL_SIZE, VIEW_NCOLS };

/* Column widths for a screen width.  Columns are separated by one blank;
 * the sum of the widths plus separators equals width for width >= 40
 * (narrower screens get the minimum and are cut by the caller). */
struct view_cols {
	size_t width;
	size_t w[VIEW_NCOLS];
	int long_time;   /* "2026-11-20 10:15:02" instead of "11-20 10:15" */
};
void view_cols_compute(struct view_cols *c, size_t width);

/* One message as the list shows it.  Strings are raw store bytes (any
 * content, need not be NUL-terminated); NULL or length 0 means absent. */
struct view_row {
	int64_t ts_us;
	int status;              /* enum outcome */
	const char *sender;
	size_t sender_len;
	const char *rcpt;        /* first recipient */
	size_t rcpt_len;
	unsigned nrcpt;          /* all recipients (for "+N") */
	const char *subject;
	size_t subject_len;
	int64_t size;            /* bytes, -1 unknown */
};

/* Byte range of one column inside a formatted row (for colouring). */
struct view_span {
	size_t off, len;
};

/*
 * Replace out's content with the row, exactly c->width columns wide
 * (every cell escaped, cut with an ellipsis or padded).  spans receives
 * each column's byte range.  tmp is scratch (reused, never shrinks).
 */
void view_format_row(struct tbuf *out, const struct view_row *r, const struct view_cols *c,
		     int ascii, struct view_span spans[VIEW_NCOLS], struct tbuf *tmp);

/* The column titles in the same layout. */
void view_format_header(struct tbuf *out, const struct view_cols *c, int ascii);

/* Translated display word of an outcome ("bounced"); "" for OUT_NONE. */
const char *view_status_word(int status);

/* "2026-11-20 10:15:02" (long) or "11-20 10:15" in local time; "-" when
 * us is INT64_MIN/INT64_MAX.  buf holds 32 bytes. */
void view_time(int64_t us, int long_form, char buf[32]);

/* Message size for a 5-column cell: "512", "1.2K", "34K", "5.6M", "1.1G";
 * "" when negative (unknown). */
void view_size(int64_t bytes, char buf[16]);

/* Bytes for people: "512 B", "12.3 KB", "456.7 MB", "1.2 GB" (decimal). */
void view_bytes(uint64_t bytes, char buf[32]);

/* 1234567 -> "1,234,567". */
void view_count(uint64_t n, char buf[32]);

/* --- scrolling ---------------------------------------------------------------- */

/* A cursor in [0, n) and the first visible item; rows visible at once. */
struct view_scroll {
	size_t top, cur;
};

/* Clamp cur into [0, n) (0 when n == 0) and move top the least needed
 * so cur is visible and the window does not run past the end while there
 * are more items than rows. */
void view_scroll_fix(struct view_scroll *s, size_t n, size_t rows);
/* Move the cursor by delta items (arrows, j/k). */
void view_scroll_move(struct view_scroll *s, size_t n, size_t rows, long delta);
/* Page down (dir > 0) or up: window and cursor move by rows - 1 together. */
void view_scroll_page(struct view_scroll *s, size_t n, size_t rows, int dir);
/* Scroll the window by delta (mouse wheel); the cursor stays on screen. */
void view_scroll_wheel(struct view_scroll *s, size_t n, size_t rows, long delta);
/* Window only (no cursor, e.g. a text page): clamp top for n lines. */
size_t view_scroll_top_clamp(long top, size_t n, size_t rows);

/* --- loading progress ------------------------------------------------------------ */

/*
 * Replace out with a one-line progress report fitting width columns, e.g.
 * "Loading [#####.....]  45%  123.4/456.7 MB  3/10 files  45.6 MB/s  ETA 0:07".
 * elapsed_us: time since loading started (rate and ETA need > 0.2 s).
 * Parts are dropped from the right when the width is short.
 */
void view_progress(struct tbuf *out, size_t width, uint64_t done, uint64_t total,
		   unsigned files_done, unsigned files_total, int64_t elapsed_us);

/* "0:07", "12:34", "1:02:03"; "--:--" when secs < 0. */
void view_duration(int64_t secs, char buf[32]);

/* --- wrapping --------------------------------------------------------------------- */

/*
 * Bytes of escaped text s[0..n) for the next screen row of width columns:
 * breaks after the last blank when the rest does not fit and a blank is
 * past a third of the row, else at the last character that fits.  Always
 * at least one character (so a loop over a string ends even when one
 * character is wider than the row).  0 only when n == 0.
 */
size_t view_wrap(const char *s, size_t n, size_t width);

/*
 * Columns to indent the continuation rows of a wrapped line: the start of
 * a second column ("  Esc, q           back to ...": where "back" starts)
 * when one begins in the left half of the width, else the line's own
 * leading blanks plus 2 (0 when that is past half the width).
 */
size_t view_hanging_indent(const char *s, size_t n, size_t width);

/* --- search inside displayed text ---------------------------------------------- */

/* Case-insensitive (ASCII) substring search, or a PCRE2 pattern. */
struct view_matcher {
	char *needle;            /* lower-cased; NULL when inactive */
	size_t len;
	void *re, *md;           /* pcre2 code / match data when regex */
};

/* Set from text (NULL/"" = inactive).  Returns 0, -1 for a bad pattern
 * (the matcher stays inactive).  view_matcher_clear frees. */
int view_matcher_set(struct view_matcher *m, const char *text, int regex);
void view_matcher_clear(struct view_matcher *m);
static inline int view_matcher_active(const struct view_matcher *m)
{
	return m->needle != NULL;
}
/* First match in s[0..n) at or after byte from: 1 and [*start, *end),
 * or 0.  Empty matches do not count. */
int view_matcher_find(const struct view_matcher *m, const char *s, size_t n, size_t from,
		      size_t *start, size_t *end);

/* --- the line editor ----------------------------------------------------------- */

#define VIEW_EDIT_MAX 512

/* Single-line UTF-8 text with a cursor (byte offset on a character start). */
struct view_edit {
	char buf[VIEW_EDIT_MAX];
	size_t len, cur;
};

void view_edit_set(struct view_edit *e, const char *s);
/* Insert valid UTF-8 at the cursor.  Returns 0, -1 when it does not fit. */
int view_edit_insert(struct view_edit *e, const char *s, size_t n);
void view_edit_backspace(struct view_edit *e);
void view_edit_delete(struct view_edit *e);
void view_edit_left(struct view_edit *e);
void view_edit_right(struct view_edit *e);
void view_edit_home(struct view_edit *e);
void view_edit_end(struct view_edit *e);
/* Ctrl-U: delete from the start to the cursor. */
void view_edit_kill_start(struct view_edit *e);
/* Ctrl-W: delete the word before the cursor. */
void view_edit_kill_word(struct view_edit *e);
/* Horizontal window for width columns: the first visible byte and the
 * cursor's column inside the window.  Returns the visible byte count. */
size_t view_edit_window(const struct view_edit *e, size_t width, size_t *start,
			size_t *cursor_col);

/* --- key bar ------------------------------------------------------------------- */

struct view_key {
	const char *key;    /* "F1", "/", "Enter" (ASCII) */
	const char *label;  /* translated */
	int code;           /* key code a click on it sends */
};

/*
 * Lay out keys left to right in width columns as "KEY label" cells
 * separated by a blank.  x[i] receives the start column of key i and
 * w[i] its width, or SIZE_MAX / 0 when it did not fit (later keys are
 * still tried, so a short one at the end can fit).  Returns the keys shown.
 */
size_t view_keybar_layout(const struct view_key *keys, size_t n, size_t width, size_t *x,
			  size_t *w);

/* --- the filter line --------------------------------------------------------------- */

/* "from=anna  status=bounced  search=foo  (regex)" with every value
 * escaped; "" when the spec has no condition. */
void view_filter_summary(struct tbuf *out, const struct query_spec *s, int ascii);

/* --- sorting the visible index -------------------------------------------------------- */

/*
 * Stable LSD radix sort of ids[0..n) by keys[0..n) (the two arrays move
 * together), looking at the low key_bits bits.  tmp_ids/tmp_keys are
 * scratch of n elements.  Passes whose digit is the same for every key are
 * skipped, so an already uniform key costs one counting pass.  O(n).
 */
void view_radix_sort(uint32_t *ids, uint64_t *keys, size_t n, unsigned key_bits,
		     uint32_t *tmp_ids, uint64_t *tmp_keys);

/* Case-insensitive (ASCII letters) byte order of a[0..an) and b[0..bn):
 * <0, 0, >0.  Bytes >= 0x80 compare as unsigned values. */
int view_cmp_ci(const char *a, size_t an, const char *b, size_t bn);

/* The first 8 bytes of s, ASCII letters lower-cased, big-endian, padded
 * with 0: keys in this order agree with view_cmp_ci on the prefix. */
uint64_t view_prefix_key(const char *s, size_t n);

/* Key for time order: signed microseconds mapped to unsigned order. */
static inline uint64_t view_time_key(int64_t us)
{
	return (uint64_t)us ^ (UINT64_C(1) << 63);
}

/* A safe default file name for a saved trace: "mailtrail-trace-<id>.txt"
 * where id keeps only [A-Za-z0-9._-] (others become '_'), at most 64. */
void view_trace_filename(const char *id, char *buf, size_t cap);

#endif
