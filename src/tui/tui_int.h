/*
 * tui_int.h - internals shared by the files of the TUI (src/tui/ only).
 *
 * Key design decision: a screen is one `const struct tui_screen` of
 * callbacks (draw the whole screen, handle a key), kept on a small stack:
 * the list is at the bottom, a trace, the filter form or the help page are
 * pushed over it and popped by Esc.  Adding a screen (the statistics
 * screen, for one) is one file exporting such a struct plus one line in
 * tui_extra_screens[] (tui.c); nothing else changes.
 *
 * For the statistics screen (to come): the messages the list shows are
 * ui->cur.ids[0 .. ui->cur.n) (complete when tui_filter_progress() returns
 * 0; in time order after loading), the store is ui->st; draw with
 * tui_title / tui_put / tui_status_line / tui_keybar; to show "the
 * messages behind a row" set fields of ui->spec, call
 * tui_filter_apply(ui, 1, NULL, 0) and tui_pop() back to the list.
 *
 * Concurrency: the loader runs on its own thread and appends to the store.
 * While it runs, every read of the store is made between tui_lock() and
 * tui_unlock(), briefly (one frame's rows, one slice of filtering), and no
 * pointer into the store's arrays is kept across an unlock: the TUI keeps
 * message indices and copies of escaped text only.
 */
#ifndef MAILTRAIL_TUI_INT_H
#define MAILTRAIL_TUI_INT_H

#include <curses.h>
#include <pthread.h>
#include <stdint.h>

#include "load.h"
#include "query.h"
#include "store.h"
#include "tbuf.h"
#include "trace.h"
#include "view.h"

/* Keys: a typed character is its code point; a curses function key
 * (KEY_UP, KEY_RESIZE, KEY_MOUSE, ...) is TUI_FN(code), so the two never
 * collide (KEY_* codes overlap Latin Extended characters). */
#define TUI_FN_BIT 0x40000000
#define TUI_FN(k) (TUI_FN_BIT | (k))
#define TUI_CTRL(c) ((c) & 0x1f)
#define TUI_ESC 27

struct tui;

struct tui_screen {
	const char *name;                /* for tests and the help page */
	int hotkey;                      /* key in the message list that opens it, 0 none */
	void (*enter)(struct tui *ui);   /* after push, may be NULL */
	void (*leave)(struct tui *ui);   /* before pop, may be NULL */
	void (*draw)(struct tui *ui);    /* the whole screen */
	void (*key)(struct tui *ui, int key);
	void (*help)(struct tbuf *out); /* keys of this screen, shown first by F1/?; may be NULL */
};

/* Display attribute classes, mapped to colours or to mono attributes. */
enum tui_attr {
	TA_NORMAL,
	TA_TITLE,      /* title bar */
	TA_KEY,        /* key name in the key bar */
	TA_KEYLABEL,   /* its label */
	TA_HEADER,     /* column titles */
	TA_SELECT,     /* the cursor row */
	TA_MATCH,      /* search text inside a row */
	TA_ERROR,      /* error on the status line or in the form */
	TA_INFO,       /* status line message */
	TA_LINK,       /* a linked message's header line in a trace */
	TA_ROOT,       /* the opened message's header line */
	TA_EXPLAIN,    /* plain-language explanation */
	TA_DIM,        /* raw log lines, hints */
	TA_FIELD,      /* form field */
	TA_OUTCOME,    /* + enum outcome: coloured status words */
	TA__COUNT = TA_OUTCOME + OUT__COUNT
};

/* An owned copy of a query_spec (the CLI's initial filter, the form and
 * the quick search all write here). */
struct tui_spec {
	char since[128], until[128];
	char from[256], to[256], ip[256], subject[256], msgid[512];
	char status[128], account[256];
	char text[VIEW_EDIT_MAX];
	int regex;
};

struct tui_job;
struct tui_pool;
struct tui_sorter;

/* Messages matching one compiled query, in store (arrival) order. */
struct tui_result {
	struct query *q;
	struct tui_job *job;  /* chunks in the worker pool, NULL none */
	uint32_t *ids;
	size_t n, cap;
	uint32_t scan;        /* next scan position to test (a message index,
			       * or with by_rank an index into ui->order) */
	int by_rank;          /* scanned in time order (ui->order) */
	uint32_t *cand;       /* narrowing: earlier matches to test first */
	size_t ncand, cand_pos;
	uint32_t range_start; /* where the index range began (progress) */
	int in_order;         /* ids are in first_ts order */
	int64_t last_ts;
	int64_t started_us;
};

enum tui_sort { TUI_SORT_TIME, TUI_SORT_STATUS, TUI_SORT_SENDER, TUI_SORT__COUNT };

enum tui_prompt { TUI_PROMPT_NONE, TUI_PROMPT_WRITE, TUI_PROMPT_OVERWRITE, TUI_PROMPT_FIND };

#define TUI_MAX_SCREENS 8
#define TUI_MAX_KEYS 16

struct tui_trace;
struct tui_form;

struct tui {
	struct store *st;
	const struct load_opts *o;

	/* loading */
	struct load_progress prog;
	pthread_t loader;
	int loader_running;      /* thread started and not joined: lock the store */
	int64_t t0_us, load_end_us;
	uint32_t total;          /* st->nmsgs at the last look */

	/* terminal */
	int rows, cols;
	int color, ascii;
	int attrs[TA__COUNT];
	const struct tui_screen *stack[TUI_MAX_SCREENS];
	size_t depth;
	int quit;
	int dirty;
	int cursor_y, cursor_x;  /* where the terminal cursor shows, -1 hidden */
	MEVENT mouse;            /* the event behind TUI_FN(KEY_MOUSE) */

	/* filtering: cur is shown; next is a rebuild shown when complete */
	struct tui_spec spec;
	struct tui_spec cur_spec; /* what cur was compiled from */
	struct tui_spec next_spec;
	struct tui_result cur, next;
	int next_active;
	struct tui_pool *pool;   /* filter workers, started at first need */
	uint32_t *order, *rank;  /* after loading: messages by time, inverse */
	uint32_t norder;
	int64_t rescan_at_us;    /* next periodic refresh while loading */
	int64_t last_scan_cost_us;

	/* display order over cur (a sorted copy unless time order holds) */
	uint32_t *disp;          /* == cur.ids, or sorted */
	size_t ndisp;
	uint32_t *sorted;
	size_t sorted_cap;
	size_t sorted_src_n;     /* cur.n when the sorted copy was made */
	struct tui_sorter *sorter; /* a sort running on its own thread */
	uint64_t cur_gen;        /* changes whenever cur is replaced */
	int sort_dirty;
	int64_t sorted_at_us;
	enum tui_sort sort;
	int reverse;
	struct view_scroll sc;
	uint32_t sel_msg;        /* message under the cursor, MSG_NONE */

	/* quick search */
	int searching;
	struct view_edit search;
	char search_before[VIEW_EDIT_MAX];
	struct view_matcher hl;  /* highlights the quick search in rows */

	/* status line */
	char msg[512];
	int msg_error;
	int64_t msg_until_us;

	/* prompt on the status line */
	enum tui_prompt prompt;
	struct view_edit prompt_edit;
	char prompt_label[128];
	char pending_path[VIEW_EDIT_MAX];

	/* screens' state */
	struct tui_trace *tr;
	struct tui_form *form;
	struct tbuf page;        /* text of the help / files page */
	size_t page_top;
	const char *page_title;
	size_t page_lines;

	/* key bar as last drawn, for mouse clicks */
	struct view_key bar[TUI_MAX_KEYS];
	size_t bar_x[TUI_MAX_KEYS], bar_w[TUI_MAX_KEYS], nbar;

	/* scratch */
	struct tbuf line, tmp, tmp2;
	int *attrbuf;
	size_t attrbuf_cap;
};

/* --- tui.c ----------------------------------------------------------------- */

int64_t tui_now_us(void);
void tui_lock(struct tui *ui);
void tui_unlock(struct tui *ui);
void tui_push(struct tui *ui, const struct tui_screen *s);
void tui_pop(struct tui *ui);
const struct tui_screen *tui_top(const struct tui *ui);
/* A message on the status line for a few seconds (printf format; the
 * arguments must already be escaped when they came from a log or a path). */
__attribute__((format(printf, 3, 4))) void tui_message(struct tui *ui, int error,
						      const char *fmt, ...);
/* The query_spec view of ui->spec (pointers into it). */
void tui_spec_view(const struct tui_spec *s, struct query_spec *q);
/* Shared line-editing keys (Backspace, Delete, arrows, Home/End, Ctrl-A/
 * E/B/F/D/U/W, printable characters).  Returns 1 when the key was an
 * editing key (e may have changed), 0 when it is not one. */
int tui_edit_key(struct view_edit *e, int key);
/* Open the help page. */
void tui_open_help(struct tui *ui);
/* Open the per-file report page. */
void tui_open_files(struct tui *ui);
/* Lay out the columns of a message list for the screen's width and draw
 * their titles on row 2 (tui_list.c). */
void tui_draw_msg_header(struct tui *ui, struct view_cols *cols);
/* Draw message m as row y of a message list (tui_list.c): columns,
 * status colour, the selection, and hl's matches marked (hl may be NULL).
 * Reads the store: call with the lock held. */
void tui_draw_msg_row(struct tui *ui, int y, uint32_t m, const struct view_cols *cols, int sel,
		      const struct view_matcher *hl);

/* The screen registered for key in the list (statistics, ...), or NULL. */
const struct tui_screen *tui_extra_screen(int key);

extern const struct tui_screen tui_screen_page;

/* --- tui_draw.c ---------------------------------------------------------------- */

void tui_colors_init(struct tui *ui);
/* Draw escaped text at (y, x) cut to at most maxcols columns; attrs:
 * one attribute per byte of s, or NULL for attr everywhere.  Pads with
 * blanks in attr to maxcols when pad is set.  Returns columns drawn. */
size_t tui_put(struct tui *ui, int y, int x, const char *s, size_t n, size_t maxcols, int attr,
	       const int *attrs, int pad);
/* Lines a mouse wheel event scrolls by: 3 down, -3 up, 0 for any other
 * mouse event (ncurses without BUTTON5 has no wheel down). */
int tui_wheel(const MEVENT *ev);
/* The keys every list moves with (k j arrows, page keys b/space, g G
 * Home End) applied to sc over n rows with rows visible; 1 when key was
 * one of them. */
int tui_scroll_key(struct view_scroll *sc, size_t n, size_t rows, int key);
/* Title bar on row 0: left text, right text (both escaped). */
void tui_title(struct tui *ui, const char *left, const char *right);
/* Key bar on the last row. */
void tui_keybar(struct tui *ui, const struct view_key *keys, size_t n);
/* The status line (row rows-2): prompt, message, or loading progress. */
void tui_status_line(struct tui *ui);
/* A per-byte attribute array of n entries set to attr (scratch in ui). */
int *tui_attrs(struct tui *ui, size_t n, int attr);
/* OR attr onto attrs where the quick-search / find matcher m matches s. */
void tui_mark_matches(const struct view_matcher *m, const char *s, size_t n, int *attrs, int attr);
/* Too small to draw: says so and returns 1. */
int tui_too_small(struct tui *ui);
/* Key bar click: the key code under column x of the last row, or 0. */
int tui_keybar_hit(const struct tui *ui, int x);

/* --- tui_filter.c ---------------------------------------------------------------- */

/* Compile ui->spec and start filtering.  progressive: show the new result
 * as it grows (typing); else keep showing the old one until the new one
 * is complete (refresh).  Returns 0, -1 with the error on the status line
 * (and in err when not NULL). */
int tui_filter_apply(struct tui *ui, int progressive, char *err, size_t errlen);
/* Do filtering work for up to budget_us.  Returns 0 when nothing is left,
 * 1 when this thread has more to do (call again at once), 2 when only the
 * worker threads are busy (call again soon to collect their chunks). */
int tui_filter_step(struct tui *ui, int64_t budget_us);
/* Progress of the shown result's scan in percent; 0 when it is complete
 * (*pct then 100).  refresh: set when a background refresh runs instead. */
int tui_filter_progress(const struct tui *ui, unsigned *pct, int *refresh);
/* Loading is over: sort all messages by time once; later scans follow
 * that order, so their results need no sorting for the time order. */
void tui_filter_build_order(struct tui *ui);
/* Stop the workers, free both results. */
void tui_filter_release(struct tui *ui);

/* --- tui_list.c ------------------------------------------------------------------ */

extern const struct tui_screen tui_screen_list;
/* Bring the display order up to date (cheap when nothing changed). */
void tui_list_sync(struct tui *ui, int force);
/* A background sort is running (poll again soon). */
int tui_list_busy(const struct tui *ui);
void tui_list_release(struct tui *ui);

/* --- tui_trace.c ------------------------------------------------------------------- */

extern const struct tui_screen tui_screen_trace;
/* Open the trace of message m (pushes the trace screen). */
void tui_trace_open(struct tui *ui, uint32_t m);
/* Loading finished: rebuild an open trace with the complete data. */
void tui_trace_refresh(struct tui *ui);
void tui_trace_release(struct tui *ui);
/* Prompt answers (the status-line prompt belongs to the trace screen). */
void tui_trace_prompt_done(struct tui *ui, enum tui_prompt p, const char *text);

/* --- tui_form.c --------------------------------------------------------------------- */

extern const struct tui_screen tui_screen_form;
void tui_form_release(struct tui *ui);

#endif
