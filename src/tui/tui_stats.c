/*
 * tui_stats.c - the statistics screen ('s' in the message list) and the
 * list of the messages behind one of its rows.
 *
 * Key design decision: the figures count exactly the messages the list
 * shows (ui->cur, which only the loop's thread touches) and are drawn from
 * a finished document (stats_view.h), so drawing and moving never wait for
 * them.  While the logs load, stats_compute() needs the store lock and runs
 * on the loop's thread, at most every 500 ms and never more often than ten
 * times its own cost, so a big set keeps loading at full speed; once
 * loading is over the store is read-only and new figures (after the list's
 * result changed) are computed on a thread of their own while the old ones
 * stay on screen.  Enter lists the messages behind a row on a second screen
 * of this file rather than in the main list: the user's filter stays as it
 * was, rows no filter could express (an hour, a failure reason, a deferred
 * domain) can be listed too, and Esc comes back to the same row.
 *
 * The screens' state lives in one file-scope pointer because struct tui
 * has no slot for it; there is only ever one TUI, and the statistics
 * screen frees it in its leave callback (tui_run pops every screen before
 * it returns, so a computing thread is always joined before the store
 * goes away).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "stats.h"
#include "stats_view.h"
#include "textsafe.h"
#include "tui_int.h"
#include "xalloc.h"

#define STATS_MIN_GAP_US 500000
#define STATS_WAIT_US 30000 /* wait this long for a small set's figures
			     * rather than flash "computing" */

/* What a set of figures was computed from. */
struct stats_input {
	uint64_t gen;      /* ui->cur_gen */
	size_t n;          /* ui->cur.n */
	int loading;
};

struct stats_job {
	pthread_t th;
	const struct store *st;
	uint32_t *ids;
	size_t n;
	struct stats out;
	struct stats_input in;
	atomic_int done;
};

struct tui_stats {
	struct stats s;
	int have;                 /* s holds figures */
	struct stats_input in;    /* what s counts */
	struct stats_view v;
	int view_ok;              /* v was built from s */
	struct stats_view_pos pos;
	size_t rows_seen;         /* body rows at the last draw */
	enum stats_table sel_table; /* the row the user moved to, kept */
	size_t sel_row;           /* across new figures; SIZE_MAX: not moved */
	struct stats_job *job;    /* figures being computed, NULL none */
	int64_t next_at_us;       /* earliest next computation */

	/* the messages behind a row */
	uint32_t *ids;
	size_t nids;
	struct view_scroll sc;
	struct tbuf label;        /* escaped: what the messages are */
	struct tbuf rowtext;      /* escaped: the row as the statistics show it */
};

static struct tui_stats *stats_state;

static const struct tui_screen tui_screen_stats_msgs;

static size_t body_rows(void)
{
	return LINES > 3 ? (size_t)(LINES - 3) : 1;
}

/* --- computing the figures --------------------------------------------------- */

static struct stats_input current_input(const struct tui *ui)
{
	struct stats_input in = {ui->cur_gen, ui->cur.n, ui->loader_running};
	return in;
}

static void *job_main(void *arg)
{
	struct stats_job *j = arg;
	stats_compute(j->st, j->ids, j->n, &j->out);
	atomic_store(&j->done, 1);
	return NULL;
}

static void remember_selection(struct tui_stats *S)
{
	if (S->view_ok && S->pos.item < S->v.nitems) {
		S->sel_table = S->v.items[S->pos.item].table;
		S->sel_row = S->v.items[S->pos.item].row;
	}
}

static void install(struct tui_stats *S, struct stats *ns, struct stats_input in)
{
	stats_release(&S->s);
	S->s = *ns;
	memset(ns, 0, sizeof *ns);
	S->in = in;
	S->have = 1;
	S->view_ok = 0;
}

static void job_free(struct stats_job *j)
{
	stats_release(&j->out);
	free(j->ids);
	free(j);
}

/* Take a finished job's figures (wait: join a running one and drop it). */
static void job_collect(struct tui_stats *S, int wait)
{
	struct stats_job *j = S->job;
	if (!j || (!wait && !atomic_load(&j->done)))
		return;
	pthread_join(j->th, NULL);
	S->job = NULL;
	if (!wait)
		install(S, &j->out, j->in);
	job_free(j);
}

static void compute_now(struct tui *ui, struct tui_stats *S, struct stats_input in)
{
	struct stats ns;
	int64_t t0 = tui_now_us();
	tui_lock(ui);
	stats_compute(ui->st, ui->cur.ids, ui->cur.n, &ns);
	tui_unlock(ui);
	int64_t now = tui_now_us(), gap = (now - t0) * 10;
	S->next_at_us = now + (gap > STATS_MIN_GAP_US ? gap : STATS_MIN_GAP_US);
	install(S, &ns, in);
}

/* Start new figures when the list's result changed (and, while loading,
 * now and then anyway: statuses arrive for messages already counted). */
static void poll_figures(struct tui *ui, struct tui_stats *S)
{
	job_collect(S, 0);
	if (S->job)
		return;
	struct stats_input in = current_input(ui);
	int stale = !S->have || in.gen != S->in.gen || in.n != S->in.n ||
		    in.loading != S->in.loading || in.loading;
	int64_t now = tui_now_us();
	/* after loading, the result changes only when a filter run ends:
	 * no need to wait */
	if (!stale || (S->have && in.loading && now < S->next_at_us))
		return;
	if (ui->loader_running) {
		compute_now(ui, S, in);
		return;
	}
	struct stats_job *j = xcalloc(1, sizeof *j);
	j->st = ui->st;
	j->n = ui->cur.n;
	j->ids = xmalloc((j->n ? j->n : 1) * sizeof *j->ids);
	if (j->n)
		memcpy(j->ids, ui->cur.ids, j->n * sizeof *j->ids);
	j->in = in;
	atomic_init(&j->done, 0);
	if (pthread_create(&j->th, NULL, job_main, j) != 0) {
		job_free(j);
		compute_now(ui, S, in);
		return;
	}
	S->job = j;
	for (int64_t waited = 0; waited < STATS_WAIT_US && !atomic_load(&j->done);
	     waited += 1000) {
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
	job_collect(S, 0);
}

/* Lay the figures out for the current width (store reads: locked). */
static void rebuild(struct tui *ui, struct tui_stats *S)
{
	tui_lock(ui);
	stats_view_build(&S->v, ui->st, &S->s, (size_t)COLS, ui->ascii);
	tui_unlock(ui);
	S->view_ok = 1;
	if (S->sel_row != SIZE_MAX) {
		size_t i = stats_view_find(&S->v, S->sel_table, S->sel_row);
		if (i != SIZE_MAX)
			S->pos.item = i;
	} else {
		/* not moved yet: stay on the first row (a suspect when the
		 * new figures have one) */
		S->pos.item = 0;
		S->pos.top = 0;
	}
	stats_view_fix(&S->v, &S->pos, body_rows());
}

/* --- drawing ------------------------------------------------------------------- */

static int line_attr(const struct tui *ui, int cls)
{
	switch (cls) {
	case SV_SECTION:
	case SV_TOTAL:
		return ui->attrs[TA_INFO];
	case SV_HEADER:
		return ui->attrs[TA_HEADER];
	case SV_SUSPECT:
		return ui->attrs[TA_ERROR];
	case SV_EXPLAIN:
		return ui->attrs[TA_EXPLAIN];
	case SV_NOTE:
		return ui->attrs[TA_DIM];
	case SV_SPARK:
		return ui->attrs[TA_LINK];
	default:
		return A_NORMAL;
	}
}

static void stats_draw(struct tui *ui)
{
	struct tui_stats *S = stats_state;
	if (tui_too_small(ui) || !S)
		return;
	poll_figures(ui, S);
	size_t rows = body_rows();
	if (S->have && (!S->view_ok || S->v.width != (size_t)COLS || S->v.ascii != ui->ascii))
		rebuild(ui, S);
	/* a new height: keep the cursor on screen (not every frame: the
	 * wheel may have moved the window away from it on purpose) */
	if (S->view_ok && S->rows_seen != rows)
		stats_view_fix(&S->v, &S->pos, rows);
	S->rows_seen = rows;

	struct query_spec qs;
	tui_spec_view(&ui->cur_spec, &qs);
	view_filter_summary(&ui->tmp2, &qs, ui->ascii);
	stats_view_title(&ui->line, S->have ? S->s.nmsgs : ui->cur.n, tbuf_str(&ui->tmp2),
			 ui->ascii);
	char right[160], where[64];
	size_t n = S->view_ok ? S->v.nlines : 0, top = S->view_ok ? S->pos.top : 0;
	const char *busy = S->job ? _("computing...") : ui->loader_running ? _("loading...") : "";
	snprintf(where, sizeof where, "%zu-%zu / %zu", n ? top + 1 : 0,
		 top + rows < n ? top + rows : n, n);
	/* the filter matters more than the position: the position goes when
	 * both do not fit */
	size_t lw = textsafe_width(ui->line.data, ui->line.len);
	size_t bw = textsafe_width(busy, strlen(busy)), ww = strlen(where);
	if (lw + bw + (bw ? 2 : 0) + ww + 4 <= (size_t)COLS)
		snprintf(right, sizeof right, "%s%s%s", busy, bw ? "  " : "", where);
	else
		snprintf(right, sizeof right, "%s", busy);
	tui_title(ui, tbuf_str(&ui->line), right[0] ? right : NULL);

	if (!S->view_ok) {
		const char *msg = _("Computing the figures...");
		tui_put(ui, 2, 2, msg, strlen(msg), (size_t)COLS - 2, ui->attrs[TA_INFO], NULL, 0);
	} else {
		const struct stats_view *v = &S->v;
		for (size_t r = 0; r < rows && top + r < v->nlines; r++) {
			const struct stats_view_line *l = &v->lines[top + r];
			int sel = l->item != SIZE_MAX && l->item == S->pos.item;
			int base = sel ? ui->attrs[TA_SELECT] : line_attr(ui, l->cls);
			const char *s = v->text.data + l->off;
			int *at = tui_attrs(ui, l->len, base);
			if (l->span_len && l->span_off + l->span_len <= l->len) {
				int sa = ui->attrs[TA_OUTCOME +
						   (l->outcome < OUT__COUNT ? l->outcome : 0)];
				if (sel)
					sa |= A_REVERSE;
				for (size_t k = 0; k < l->span_len; k++)
					at[l->span_off + k] = sa;
			}
			tui_put(ui, 1 + (int)r, 0, s, l->len, (size_t)COLS, base, at,
				sel || l->cls == SV_HEADER);
		}
	}
	tui_status_line(ui);
	const struct view_key keys[] = {
		{"F1", _("Help"), TUI_FN(KEY_F(1))},
		{"Esc", _("Back"), TUI_ESC},
		{"Enter", _("Messages"), '\r'},
		{"Tab", _("Section"), '\t'},
		{"h", _("Keys"), 'h'},
		{"Q", _("Quit"), 'Q'},
	};
	tui_keybar(ui, keys, sizeof keys / sizeof keys[0]);
}

/* --- the messages behind a row ---------------------------------------------------- */

static void open_rows(struct tui *ui, struct tui_stats *S)
{
	if (!S->view_ok || !S->v.nitems || S->pos.item >= S->v.nitems) {
		tui_message(ui, 0, "%s", _("Nothing to list: move to a row of a table first"));
		return;
	}
	const struct stats_view_item *it = &S->v.items[S->pos.item];
	uint32_t *ids = NULL;
	size_t n = 0, cap = 0;
	tui_lock(ui);
	for (size_t r = it->row; r < it->row + it->nrows; r++) {
		uint32_t *part;
		size_t k = stats_row_messages(&S->s, ui->st, it->table, r, &part);
		if (k && n + k > cap) {
			cap = (n + k) * 2;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		if (k)
			memcpy(ids + n, part, k * sizeof *ids);
		n += k;
		free(part);
	}
	stats_view_item_label(&S->label, ui->st, &S->s, it, ui->ascii);
	tui_unlock(ui);
	if (!n) {
		free(ids);
		tui_message(ui, 0, "%s",
			    _("No message behind this row any more (the figures are being "
			      "refreshed)"));
		return;
	}
	free(S->ids);
	S->ids = ids;
	S->nids = n;
	memset(&S->sc, 0, sizeof S->sc);
	const struct stats_view_line *l = &S->v.lines[it->line];
	tbuf_reset(&S->rowtext);
	tbuf_putn(&S->rowtext, S->v.text.data + l->off, l->len);
	tui_push(ui, &tui_screen_stats_msgs);
}

#define MSGS_TOP 3 /* title, the row, column titles */

static size_t msgs_rows(void)
{
	return LINES > MSGS_TOP + 2 ? (size_t)(LINES - MSGS_TOP - 2) : 1;
}

static void msgs_draw(struct tui *ui)
{
	struct tui_stats *S = stats_state;
	if (tui_too_small(ui) || !S)
		return;
	size_t rows = msgs_rows();
	view_scroll_fix(&S->sc, S->nids, rows);
	char a[32], right[96];
	view_count(S->nids, a);
	/* TRANSLATORS: %s is a number of messages with thousands separators */
	snprintf(right, sizeof right, P_("%s message", "%s messages", S->nids), a);
	tbuf_reset(&ui->tmp2);
	tbuf_printf(&ui->tmp2, _("Statistics: %s"), tbuf_str(&S->label));
	tui_title(ui, tbuf_str(&ui->tmp2), right);
	tui_put(ui, 1, 0, tbuf_str(&S->rowtext), S->rowtext.len, (size_t)COLS, ui->attrs[TA_INFO],
		NULL, 0);
	struct view_cols cols;
	tui_draw_msg_header(ui, &cols);
	tui_lock(ui);
	const struct store *st = ui->st;
	for (size_t r = 0; r < rows && S->sc.top + r < S->nids; r++) {
		size_t i = S->sc.top + r;
		uint32_t m = S->ids[i];
		if (m >= st->nmsgs)
			continue;
		tui_draw_msg_row(ui, MSGS_TOP + (int)r, m, &cols, i == S->sc.cur, NULL);
	}
	tui_unlock(ui);
	tui_status_line(ui);
	const struct view_key keys[] = {
		{"F1", _("Help"), TUI_FN(KEY_F(1))},
		{"Esc", _("Back"), TUI_ESC},
		{"Enter", _("Trace"), '\r'},
		{"Q", _("Quit"), 'Q'},
	};
	tui_keybar(ui, keys, sizeof keys / sizeof keys[0]);
}

static void msgs_open(struct tui *ui, struct tui_stats *S)
{
	if (S->sc.cur < S->nids)
		tui_trace_open(ui, S->ids[S->sc.cur]);
}

static void msgs_mouse(struct tui *ui, struct tui_stats *S)
{
	MEVENT *ev = &ui->mouse;
	size_t rows = msgs_rows();
	int wheel = tui_wheel(ev);
	if (wheel) {
		view_scroll_wheel(&S->sc, S->nids, rows, wheel);
		return;
	}
	if (!(ev->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) || ev->y < MSGS_TOP ||
	    ev->y >= MSGS_TOP + (int)rows)
		return;
	size_t i = S->sc.top + (size_t)(ev->y - MSGS_TOP);
	if (i >= S->nids)
		return;
	if (i == S->sc.cur)
		msgs_open(ui, S);
	else
		S->sc.cur = i;
}

static void msgs_key(struct tui *ui, int key)
{
	struct tui_stats *S = stats_state;
	if (!S) {
		tui_pop(ui);
		return;
	}
	size_t rows = msgs_rows();
	if (tui_scroll_key(&S->sc, S->nids, rows, key))
		return;
	switch (key) {
	case TUI_ESC:
	case 'q':
	case 'h':
	case TUI_FN(KEY_LEFT):
	case TUI_FN(KEY_BACKSPACE):
	case 127:
	case 8:
		tui_pop(ui);
		return;
	case '\r':
	case '\n':
	case TUI_FN(KEY_ENTER):
	case TUI_FN(KEY_RIGHT):
	case 'l':
		msgs_open(ui, S);
		return;
	case TUI_FN(KEY_MOUSE):
		msgs_mouse(ui, S);
		return;
	default:
		return;
	}
}

static void msgs_leave(struct tui *ui)
{
	(void)ui;
	struct tui_stats *S = stats_state;
	if (!S)
		return;
	free(S->ids);
	S->ids = NULL;
	S->nids = 0;
}

static const struct tui_screen tui_screen_stats_msgs = {
	.name = "stats-messages",
	.leave = msgs_leave,
	.draw = msgs_draw,
	.key = msgs_key,
};

/* --- the statistics screen: keys and life cycle --------------------------------------- */

static void open_help(struct tui *ui)
{
	tbuf_reset(&ui->page);
	stats_view_help(&ui->page);
	ui->page_title = _("Help: statistics");
	ui->page_top = 0;
	if (tui_top(ui) != &tui_screen_page)
		tui_push(ui, &tui_screen_page);
}

static void stats_mouse(struct tui *ui, struct tui_stats *S)
{
	MEVENT *ev = &ui->mouse;
	size_t rows = body_rows();
	int wheel = tui_wheel(ev);
	if (wheel) {
		stats_view_scroll(&S->v, &S->pos, rows, wheel);
		return;
	}
	if (!(ev->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) || ev->y < 1 ||
	    (size_t)ev->y > rows)
		return;
	size_t line = S->pos.top + (size_t)(ev->y - 1);
	if (line >= S->v.nlines || S->v.lines[line].item == SIZE_MAX)
		return;
	if (S->v.lines[line].item == S->pos.item)
		open_rows(ui, S);
	else
		S->pos.item = S->v.lines[line].item;
}

static void stats_key(struct tui *ui, int key)
{
	struct tui_stats *S = stats_state;
	if (!S) {
		tui_pop(ui);
		return;
	}
	size_t rows = body_rows();
	switch (key) {
	case TUI_ESC:
	case 'q':
	case TUI_FN(KEY_LEFT):
	case TUI_FN(KEY_BACKSPACE):
	case 127:
	case 8:
		tui_pop(ui);
		return;
	case 'h':
		open_help(ui);
		return;
	default:
		break;
	}
	if (!S->view_ok)
		return;
	switch (key) {
	case 'k':
	case TUI_FN(KEY_UP):
	case TUI_CTRL('p'):
		stats_view_move(&S->v, &S->pos, rows, -1);
		break;
	case 'j':
	case TUI_FN(KEY_DOWN):
	case TUI_CTRL('n'):
		stats_view_move(&S->v, &S->pos, rows, 1);
		break;
	case TUI_FN(KEY_PPAGE):
	case TUI_CTRL('b'):
	case 'b':
		stats_view_page(&S->v, &S->pos, rows, -1);
		break;
	case TUI_FN(KEY_NPAGE):
	case TUI_CTRL('f'):
	case ' ':
		stats_view_page(&S->v, &S->pos, rows, 1);
		break;
	case 'g':
	case TUI_FN(KEY_HOME):
		stats_view_ends(&S->v, &S->pos, rows, 0);
		break;
	case 'G':
	case TUI_FN(KEY_END):
		stats_view_ends(&S->v, &S->pos, rows, 1);
		break;
	case '\t':
	case ']':
		stats_view_section(&S->v, &S->pos, rows, 1);
		break;
	case TUI_FN(KEY_BTAB):
	case '[':
		stats_view_section(&S->v, &S->pos, rows, -1);
		break;
	case '\r':
	case '\n':
	case TUI_FN(KEY_ENTER):
	case TUI_FN(KEY_RIGHT):
	case 'l':
		open_rows(ui, S);
		return;
	case TUI_FN(KEY_MOUSE):
		stats_mouse(ui, S);
		break;
	default:
		return;
	}
	remember_selection(S);
}

static void stats_free(struct tui_stats *S)
{
	job_collect(S, 1);
	stats_release(&S->s);
	stats_view_release(&S->v);
	free(S->ids);
	tbuf_release(&S->label);
	tbuf_release(&S->rowtext);
	free(S);
}

static void stats_enter(struct tui *ui)
{
	(void)ui;
	if (stats_state)
		stats_free(stats_state);
	stats_state = xcalloc(1, sizeof *stats_state);
	stats_state->sel_row = SIZE_MAX;
}

static void stats_leave(struct tui *ui)
{
	(void)ui;
	if (!stats_state)
		return;
	stats_free(stats_state);
	stats_state = NULL;
}

const struct tui_screen tui_screen_stats = {
	.name = "stats",
	.hotkey = 's',
	.enter = stats_enter,
	.leave = stats_leave,
	.draw = stats_draw,
	.key = stats_key,
	.help = stats_view_help,
};
