/*
 * stats_view.h - the curses-free half of the TUI statistics screen: the
 * figures of a struct stats laid out as screen lines for one width, which
 * lines make up each selectable table row, and how the cursor and the
 * window move over them.
 *
 * Key design decision: the screen is a finished document.  Building it
 * reads the store once (row names are store string ids) and escapes every
 * field into one text buffer; after that, drawing, scrolling and moving
 * the cursor never touch the store, so the screen stays drawable while a
 * new set of figures is computed on another thread.  A selectable "item"
 * is a run of lines (a table row plus its explanation lines) naming rows
 * [row, row + nrows) of one stats table: Enter lists the messages of those
 * rows (stats_row_messages()).  Layout is the order of `mailtrail --stats`
 * except that possible spam sources come first, and columns adapt to the
 * width (the shares, bounce/defer/reject split and age buckets are dropped
 * on narrow screens; names get the room that is left).
 *
 * Nothing here includes curses; tests/unit/test_tui_stats.c covers it.
 */
#ifndef MAILTRAIL_STATS_VIEW_H
#define MAILTRAIL_STATS_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"
#include "store.h"
#include "tbuf.h"

/* At most this many rows of hour bars (buckets are grouped to fit). */
#define STATS_VIEW_HOUR_ROWS 24
#define STATS_VIEW_MAX_SECTIONS 12

/* What a line is, for its display attribute. */
enum stats_view_cls {
	SV_TEXT,     /* summary text */
	SV_SECTION,  /* section title */
	SV_HEADER,   /* column titles */
	SV_ROW,      /* a table row (or its wrapped continuation) */
	SV_SUSPECT,  /* a possible spam source: highlighted */
	SV_EXPLAIN,  /* plain-language reason under a row */
	SV_NOTE,     /* secondary text: legends, rules, example replies */
	SV_SPARK,    /* the sparkline */
	SV_TOTAL     /* a totals row (not selectable) */
};

struct stats_view_line {
	size_t off, len;          /* escaped text in stats_view.text */
	size_t span_off, span_len;/* outcome word inside the line (from off);
				   * span_len 0: none */
	size_t item;              /* item the line belongs to, SIZE_MAX none */
	uint8_t cls;              /* enum stats_view_cls */
	uint8_t outcome;          /* enum outcome of the span */
};

struct stats_view_item {
	enum stats_table table;
	size_t row, nrows;        /* rows [row, row + nrows) of the table */
	size_t line, nlines;      /* the lines it covers */
	size_t section;           /* index into stats_view.sections */
};

struct stats_view {
	struct tbuf text;
	struct stats_view_line *lines;
	size_t nlines, lines_cap;
	struct stats_view_item *items;
	size_t nitems, items_cap;
	size_t sections[STATS_VIEW_MAX_SECTIONS]; /* line of each title */
	const char *section_titles[STATS_VIEW_MAX_SECTIONS]; /* translated */
	size_t nsections;
	size_t width;
	int ascii;
};

/*
 * Lay out s for a screen width columns wide (lines never exceed
 * width - 1 columns, so the last column stays free).  Replaces what v
 * held; v starts zeroed.  Reads st (row names): while the store is loading
 * the caller holds store_lock().  ascii: the terminal is not UTF-8 (bars
 * and sparkline in ASCII, non-ASCII shown as '?').  Dies on OOM only.
 */
void stats_view_build(struct stats_view *v, const struct store *st, const struct stats *s,
		      size_t width, int ascii);

/* Free what v owns; v is zeroed (safe to call twice). */
void stats_view_release(struct stats_view *v);


/*
 * Replace out with the title line: "Statistics — 1,234 messages (filter:
 * from=anna)" or "... (no filter)".  filter: the escaped filter summary,
 * "" or NULL for none.  ascii: the dash becomes '-', other non-ASCII '?'.
 */
void stats_view_title(struct tbuf *out, size_t nmsgs, const char *filter, int ascii);

/*
 * Replace out with what an item is about, escaped, for the title of its
 * message list: "sender fred@example.pl", "status bounced", "hours
 * 2026-11-20 09:00 .. 11:59", "failure: <cause>", "deferred at wp.pl".
 * Reads st like stats_view_build().
 */
void stats_view_item_label(struct tbuf *out, const struct store *st, const struct stats *s,
			   const struct stats_view_item *it, int ascii);

/* --- the cursor (an item) and the window (first line shown) ------------- */

struct stats_view_pos {
	size_t top;   /* first line shown */
	size_t item;  /* selected item (ignored when there is none) */
};

/* Clamp item and top, then move top the least needed to show the whole
 * item (and its section title when it is the section's first item). */
void stats_view_fix(const struct stats_view *v, struct stats_view_pos *p, size_t rows);
/* Arrows, j/k: delta items; past the first / last item the window goes
 * on to the top / bottom of the text. */
void stats_view_move(const struct stats_view *v, struct stats_view_pos *p, size_t rows,
		     long delta);
/* PgDn (dir > 0) / PgUp: the window moves rows - 1 lines and the cursor
 * to an item inside it. */
void stats_view_page(const struct stats_view *v, struct stats_view_pos *p, size_t rows, int dir);
/* Home (end 0) / End (end 1). */
void stats_view_ends(const struct stats_view *v, struct stats_view_pos *p, size_t rows, int end);
/* Tab (dir > 0) / Shift-Tab: first item of the next / previous section
 * that has items; the section title is shown at the top. */
void stats_view_section(const struct stats_view *v, struct stats_view_pos *p, size_t rows,
			int dir);
/* Mouse wheel: the window moves delta lines; the cursor follows only
 * when its row left the window (to the nearest row starting inside it).
 * The window is not fixed up afterwards, so it can show any part. */
void stats_view_scroll(const struct stats_view *v, struct stats_view_pos *p, size_t rows,
		       long delta);
/* Item with row `row` of table t, SIZE_MAX when none shows it. */
size_t stats_view_find(const struct stats_view *v, enum stats_table t, size_t row);

/* Append the help page of the statistics screen (translated; lines of
 * "  key   what it does" under titles starting in column 0). */
void stats_view_help(struct tbuf *out);

#endif
