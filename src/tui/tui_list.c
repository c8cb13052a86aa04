/*
 * tui_list.c - the message list: the display order over the filtered
 * messages, and the list screen with its quick search.
 *
 * Key design decision: the list is virtual.  A filter produces one array
 * of matching message indices (4 bytes per match, nothing per row; built
 * by tui_filter.c without ever blocking a keystroke); rows are formatted
 * only for the ~20 lines on screen.  Messages arrive in time order from the loader,
 * so the filtered array is usually already in time order and is shown as
 * it is; other orders (status, sender, or out-of-order stamps) use a sorted
 * copy made by an O(n) radix sort.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "textsafe.h"
#include "tui_int.h"
#include "xalloc.h"

#define LIST_TOP 3 /* title, filter line, column titles */

static size_t list_rows(void)
{
	return LINES > LIST_TOP + 2 ? (size_t)(LINES - LIST_TOP - 2) : 0;
}


/* --- display order ------------------------------------------------------------------ */

static uint32_t list_at(const struct tui *ui, size_t i)
{
	return ui->disp[ui->reverse ? ui->ndisp - 1 - i : i];
}

static void remember_selection(struct tui *ui)
{
	ui->sel_msg = ui->ndisp ? list_at(ui, ui->sc.cur) : MSG_NONE;
}

/* Put the cursor back on ui->sel_msg after the order changed, at the same
 * screen row when possible. */
static void relocate(struct tui *ui)
{
	size_t rows = list_rows();
	if (ui->sel_msg == MSG_NONE || ui->ndisp == 0) {
		view_scroll_fix(&ui->sc, ui->ndisp, rows);
		remember_selection(ui);
		return;
	}
	size_t pos = SIZE_MAX;
	if (ui->disp == ui->cur.ids) {
		/* scan order: message indices, or their time ranks, ascend */
		const uint32_t *rank = ui->cur.by_rank ? ui->rank : NULL;
		uint32_t want = rank ? rank[ui->sel_msg] : ui->sel_msg;
		size_t lo = 0, hi = ui->ndisp;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			uint32_t k = rank ? rank[ui->disp[mid]] : ui->disp[mid];
			if (k < want)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < ui->ndisp && ui->disp[lo] == ui->sel_msg)
			pos = lo;
	} else {
		for (size_t i = 0; i < ui->ndisp; i++)
			if (ui->disp[i] == ui->sel_msg) {
				pos = i;
				break;
			}
	}
	if (pos == SIZE_MAX) {
		view_scroll_fix(&ui->sc, ui->ndisp, rows);
		remember_selection(ui);
		return;
	}
	size_t idx = ui->reverse ? ui->ndisp - 1 - pos : pos;
	size_t off = ui->sc.cur >= ui->sc.top ? ui->sc.cur - ui->sc.top : 0;
	ui->sc.cur = idx;
	ui->sc.top = idx >= off ? idx - off : 0;
	view_scroll_fix(&ui->sc, ui->ndisp, rows);
}

static int cmp_sender(const void *a, const void *b, void *arg)
{
	const struct store *st = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = view_cmp_ci(store_str(st, x), strtab_len(&st->strs, x), store_str(st, y),
			    strtab_len(&st->strs, y));
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/*
 * keys[i] = rank of the sender of ids[i] in case-insensitive name order.
 * O(n) apart from the distinct names: positions are grouped by sender id
 * (radix), the distinct names are ordered by a 24-byte lower-case prefix
 * (radix) and only names sharing all of it are compared in full.
 */
static void sender_keys(const struct store *st, const uint32_t *ids, size_t n, uint64_t *keys,
			uint32_t *tids, uint64_t *tkeys)
{
	uint32_t *pos = xmalloc((n ? n : 1) * sizeof *pos);
	uint64_t *sk = xmalloc((n ? n : 1) * sizeof *sk);
	for (size_t i = 0; i < n; i++) {
		pos[i] = (uint32_t)i;
		sk[i] = st->msgs[ids[i]].sender;
	}
	view_radix_sort(pos, sk, n, 32, tids, tkeys);
	/* distinct senders (in id order) and where each group starts */
	uint32_t *dist = xmalloc((n ? n : 1) * sizeof *dist);
	uint32_t *start = xmalloc((n + 1) * sizeof *start);
	size_t nd = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || sk[i] != sk[i - 1]) {
			dist[nd] = (uint32_t)sk[i];
			start[nd++] = (uint32_t)i;
		}
	start[nd] = (uint32_t)n;
	/* order the distinct names: radix on a 24-byte lower-case prefix
	 * (three 8-byte keys, least significant first), then full compares
	 * only inside runs that share the whole prefix */
	uint32_t *order = xmalloc((nd ? nd : 1) * sizeof *order);
	uint64_t *pk = xmalloc((nd ? nd : 1) * sizeof *pk);
	/* the three keys of every name, read from the string table once */
	uint64_t *k3 = xmalloc((nd ? nd : 1) * 3 * sizeof *k3);
	for (size_t d = 0; d < nd; d++) {
		const char *str = store_str(st, dist[d]);
		size_t len = strtab_len(&st->strs, dist[d]);
		for (size_t part = 0; part < 3; part++)
			k3[d * 3 + part] =
				len > part * 8 ? view_prefix_key(str + part * 8, len - part * 8) : 0;
		order[d] = (uint32_t)d;
	}
	for (int part = 2; part >= 0; part--) {
		for (size_t k = 0; k < nd; k++)
			pk[k] = k3[(size_t)order[k] * 3 + (size_t)part];
		view_radix_sort(order, pk, nd, 64, tids, tkeys);
	}
	uint32_t *names = xmalloc((nd ? nd : 1) * sizeof *names);
	for (size_t d = 0; d < nd; d++)
		names[d] = dist[order[d]];
	/* runs are found on the keys of the sorted names (order[] is
	 * rewritten run by run below, after its run was measured) */
	for (size_t a = 0; a < nd;) {
		size_t b = a + 1;
		while (b < nd && memcmp(k3 + (size_t)order[a] * 3, k3 + (size_t)order[b] * 3,
					3 * sizeof *k3) == 0)
			b++;
		if (b - a > 1) {
			qsort_r(names + a, b - a, sizeof *names, cmp_sender, (void *)st);
			/* names are ids: map each back to its group by id */
			for (size_t k = a; k < b; k++) {
				size_t lo = 0, hi = nd;
				while (lo < hi) {
					size_t mid = lo + (hi - lo) / 2;
					if (dist[mid] < names[k])
						lo = mid + 1;
					else
						hi = mid;
				}
				order[k] = (uint32_t)lo;
			}
		}
		a = b;
	}
	/* order[r] is the group of rank r */
	for (size_t r = 0; r < nd; r++)
		for (uint32_t k = start[order[r]]; k < start[order[r] + 1]; k++)
			keys[pos[k]] = r;
	free(names);
	free(k3);
	free(pk);
	free(order);
	free(start);
	free(dist);
	free(sk);
	free(pos);
}

/* Sort ids[0..n) for a mode: by time, then (stable) by status or sender.
 * Reads the store: the caller holds the lock while loading goes on. */
static void sort_ids(const struct store *st, uint32_t *ids, size_t n, enum tui_sort sort)
{
	uint64_t *keys = xmalloc((n ? n : 1) * sizeof *keys);
	uint64_t *tkeys = xmalloc((n ? n : 1) * sizeof *tkeys);
	uint32_t *tids = xmalloc((n ? n : 1) * sizeof *tids);
	for (size_t i = 0; i < n; i++)
		keys[i] = view_time_key(st->msgs[ids[i]].first_ts);
	view_radix_sort(ids, keys, n, 64, tids, tkeys);
	if (sort == TUI_SORT_STATUS) {
		/* stable: time order stays inside each status */
		for (size_t i = 0; i < n; i++)
			keys[i] = st->msgs[ids[i]].status;
		view_radix_sort(ids, keys, n, 8, tids, tkeys);
	} else if (sort == TUI_SORT_SENDER) {
		sender_keys(st, ids, n, keys, tids, tkeys);
		view_radix_sort(ids, keys, n, 32, tids, tkeys);
	}
	free(keys);
	free(tkeys);
	free(tids);
}

static void install_sorted(struct tui *ui, uint32_t *ids, size_t n)
{
	free(ui->sorted);
	ui->sorted = ids;
	ui->sorted_cap = n;
	ui->disp = ids;
	ui->ndisp = n;
	ui->sorted_src_n = n;
	ui->sorted_at_us = tui_now_us();
}

/* A sort of a copy of the result on its own thread (after loading, when
 * the store is read-only), so a key never waits for it. */
struct tui_sorter {
	pthread_t th;
	const struct store *st;
	uint32_t *ids;
	size_t n;
	enum tui_sort sort;
	uint64_t gen;
	atomic_int done;
};

static void *sorter_main(void *arg)
{
	struct tui_sorter *s = arg;
	sort_ids(s->st, s->ids, s->n, s->sort);
	atomic_store(&s->done, 1);
	return NULL;
}

static void sorter_collect(struct tui *ui, int wait)
{
	struct tui_sorter *s = ui->sorter;
	if (!s || (!wait && !atomic_load(&s->done)))
		return;
	pthread_join(s->th, NULL);
	ui->sorter = NULL;
	if (!wait && s->gen == ui->cur_gen && s->sort == ui->sort && s->n <= ui->cur.n) {
		install_sorted(ui, s->ids, s->n);
		relocate(ui);
	} else {
		free(s->ids);
	}
	free(s);
}

int tui_list_busy(const struct tui *ui)
{
	return ui->sorter != NULL;
}

void tui_list_sync(struct tui *ui, int force)
{
	sorter_collect(ui, 0);
	if (ui->sort == TUI_SORT_TIME && ui->cur.in_order) {
		size_t old = ui->ndisp;
		int was = ui->disp == ui->cur.ids;
		ui->disp = ui->cur.ids;
		ui->ndisp = ui->cur.n;
		/* growing at the end keeps positions, unless reversed */
		if (ui->sort_dirty || !was || (ui->reverse && old != ui->ndisp))
			relocate(ui);
		ui->sort_dirty = 0;
		return;
	}
	int grown = ui->cur.n != ui->sorted_src_n || ui->disp != ui->sorted;
	if (!ui->sort_dirty && !grown)
		return;
	/* while rows stream in, re-sort at most twice a second */
	if (!ui->sort_dirty && !force && tui_now_us() - ui->sorted_at_us < 500000)
		return;
	size_t n = ui->cur.n;
	uint32_t *ids = xmalloc((n ? n : 1) * sizeof *ids);
	memcpy(ids, ui->cur.ids, n * sizeof *ids);
	if (!ui->loader_running) {
		if (ui->sorter) {
			free(ids); /* one at a time: a later turn starts it */
			return;
		}
		struct tui_sorter *s = xcalloc(1, sizeof *s);
		s->st = ui->st;
		s->ids = ids;
		s->n = n;
		s->sort = ui->sort;
		s->gen = ui->cur_gen;
		if (pthread_create(&s->th, NULL, sorter_main, s) == 0) {
			ui->sorter = s;
			ui->sort_dirty = 0;
			ui->sorted_at_us = tui_now_us();
			return;
		}
		free(s);
	}
	/* while loading (the store needs the lock), or without a thread */
	tui_lock(ui);
	sort_ids(ui->st, ids, n, ui->sort);
	tui_unlock(ui);
	install_sorted(ui, ids, n);
	ui->sort_dirty = 0;
	relocate(ui);
}

void tui_list_release(struct tui *ui)
{
	sorter_collect(ui, 1);
	tui_filter_release(ui);
	free(ui->sorted);
	ui->sorted = NULL;
	ui->disp = NULL;
}

/* --- drawing ----------------------------------------------------------------------------- */

static void fill_row(const struct store *st, uint32_t m, struct view_row *vr)
{
	const struct message *msg = &st->msgs[m];
	memset(vr, 0, sizeof *vr);
	vr->ts_us = msg->first_ts;
	vr->status = msg->status;
	vr->sender = store_str(st, msg->sender);
	vr->sender_len = strtab_len(&st->strs, msg->sender);
	if (msg->first_rcpt != RCPT_NONE && msg->first_rcpt < st->nrcpts) {
		uint32_t a = st->rcpts[msg->first_rcpt].addr;
		vr->rcpt = store_str(st, a);
		vr->rcpt_len = strtab_len(&st->strs, a);
	}
	vr->nrcpt = store_msg_nrcpt(st, msg);
	vr->subject = store_str(st, msg->subject);
	vr->subject_len = strtab_len(&st->strs, msg->subject);
	vr->size = store_msg_size(msg);
}

void tui_draw_msg_header(struct tui *ui, struct view_cols *cols)
{
	view_cols_compute(cols, (size_t)COLS);
	view_format_header(&ui->line, cols, ui->ascii);
	tui_put(ui, 2, 0, ui->line.data, ui->line.len, (size_t)COLS, ui->attrs[TA_HEADER], NULL, 1);
}

void tui_draw_msg_row(struct tui *ui, int y, uint32_t m, const struct view_cols *cols, int sel,
		      const struct view_matcher *hl)
{
	struct view_span spans[VIEW_NCOLS];
	struct view_row vr;
	fill_row(ui->st, m, &vr);
	view_format_row(&ui->line, &vr, cols, ui->ascii, spans, &ui->tmp);
	int base = ui->attrs[sel ? TA_SELECT : TA_NORMAL];
	int *at = tui_attrs(ui, ui->line.len, base);
	int sa = ui->attrs[TA_OUTCOME + (vr.status < OUT__COUNT ? vr.status : 0)];
	if (sel)
		sa |= A_REVERSE;
	for (size_t k = 0; k < spans[VIEW_COL_STATUS].len; k++)
		at[spans[VIEW_COL_STATUS].off + k] = sa;
	if (hl)
		for (int c = VIEW_COL_SENDER; c <= VIEW_COL_SUBJECT; c++)
			tui_mark_matches(hl, ui->line.data + spans[c].off, spans[c].len,
					 at + spans[c].off, ui->attrs[TA_MATCH] | (sel ? A_BOLD : 0));
	tui_put(ui, y, 0, ui->line.data, ui->line.len, (size_t)COLS, base, at, 1);
}

static const char *sort_name(const struct tui *ui)
{
	switch (ui->sort) {
	case TUI_SORT_STATUS:
		return ui->reverse ? _("by status, reversed") : _("by status");
	case TUI_SORT_SENDER:
		return ui->reverse ? _("by sender, reversed") : _("by sender");
	default:
		return ui->reverse ? _("newest first") : _("oldest first");
	}
}

static void draw_filter_line(struct tui *ui)
{
	int y = 1;
	char right[96] = "";
	unsigned pct;
	int refresh;
	if (tui_filter_progress(ui, &pct, &refresh))
		snprintf(right, sizeof right, refresh ? _("refreshing %u%%") : _("filtering %u%%"),
			 pct);
	size_t rw = textsafe_width(right, strlen(right));
	size_t room = (size_t)COLS > rw + 2 ? (size_t)COLS - rw - 2 : 0;
	if (ui->searching) {
		const char *label = _("Search:");
		size_t lw = tui_put(ui, y, 0, label, strlen(label), room, ui->attrs[TA_INFO], NULL, 0);
		size_t fw = room > lw + 1 ? room - lw - 1 : 1;
		size_t start, ccol;
		size_t vis = view_edit_window(&ui->search, fw, &start, &ccol);
		tui_put(ui, y, (int)lw + 1, ui->search.buf + start, vis, fw, ui->attrs[TA_FIELD], NULL,
			1);
		ui->cursor_y = y;
		ui->cursor_x = (int)(lw + 1 + ccol);
	} else {
		struct query_spec qs;
		tui_spec_view(&ui->spec, &qs);
		view_filter_summary(&ui->tmp2, &qs, ui->ascii);
		tbuf_reset(&ui->line);
		tbuf_puts(&ui->line, _("Filter:"));
		tbuf_putc(&ui->line, ' ');
		if (ui->tmp2.len)
			tbuf_puts(&ui->line, tbuf_str(&ui->tmp2));
		else
			tbuf_puts(&ui->line, _("none (/ quick search, f filter form)"));
		int *at = tui_attrs(ui, ui->line.len, A_NORMAL);
		size_t lw = strlen(_("Filter:"));
		for (size_t i = 0; i < lw && i < ui->line.len; i++)
			at[i] = ui->attrs[TA_INFO];
		tui_put(ui, y, 0, ui->line.data, ui->line.len, room, A_NORMAL, at, 0);
	}
	if (rw)
		tui_put(ui, y, (int)((size_t)COLS - rw - 1), right, strlen(right), rw,
			ui->attrs[TA_INFO], NULL, 0);
}

static void draw_empty(struct tui *ui, size_t rows)
{
	const char *s;
	unsigned pct;
	int refresh;
	struct query_spec qs;
	tui_spec_view(&ui->spec, &qs);
	if (ui->total == 0 && ui->loader_running)
		s = _("Reading the logs... messages appear here as they are found.");
	else if (ui->total == 0)
		s = _("No messages were found in these files. Press i for the file report.");
	else if (tui_filter_progress(ui, &pct, &refresh) && !refresh)
		s = _("Searching...");
	else if (!query_is_empty(&qs))
		s = _("No message matches the filter. Esc clears the quick search, f edits the "
		      "filter, c clears every filter.");
	else
		s = "";
	size_t n = strlen(s);
	size_t width = (size_t)COLS > 4 ? (size_t)COLS - 4 : 1;
	for (int y = LIST_TOP + 1; n && y < LIST_TOP + (int)rows; y++) {
		size_t k = view_wrap(s, n, width);
		tui_put(ui, y, 2, s, k, width, ui->attrs[TA_INFO], NULL, 0);
		s += k;
		n -= k;
	}
}

static void list_draw(struct tui *ui)
{
	if (tui_too_small(ui))
		return;
	size_t rows = list_rows();
	view_scroll_fix(&ui->sc, ui->ndisp, rows);

	char a[32], b[32], right[160];
	view_count(ui->ndisp, a);
	view_count(ui->total, b);
	snprintf(right, sizeof right,
		 /* TRANSLATORS: "12 of 1,234 messages, newest first"; the second
		  * number (all messages) picks the plural form */
		 P_("%s of %s message, %s%s", "%s of %s messages, %s%s", ui->total), a, b,
		 sort_name(ui), ui->sorter ? _(" (sorting...)") : "");
	tui_title(ui, _("mailtrail: message list"), right);
	draw_filter_line(ui);

	struct view_cols cols;
	tui_draw_msg_header(ui, &cols);

	tui_lock(ui);
	const struct store *st = ui->st;
	for (size_t r = 0; r < rows; r++) {
		size_t i = ui->sc.top + r;
		if (i >= ui->ndisp)
			break;
		uint32_t m = list_at(ui, i);
		if (m >= st->nmsgs)
			continue;
		tui_draw_msg_row(ui, LIST_TOP + (int)r, m, &cols, i == ui->sc.cur,
				 view_matcher_active(&ui->hl) ? &ui->hl : NULL);
	}
	tui_unlock(ui);
	if (ui->ndisp == 0)
		draw_empty(ui, rows);
	tui_status_line(ui);

	const struct view_key keys[] = {
		{"F1", _("Help"), TUI_FN(KEY_F(1))},
		{"/", _("Search"), '/'},
		{"f", _("Filter"), 'f'},
		{"Enter", _("Trace"), '\r'},
		{"o", _("Sort"), 'o'},
		{"n", _("Next"), 'n'},
		{"i", _("Files"), 'i'},
		{"s", _("Stats"), 's'},
		{"q", _("Quit"), 'q'},
	};
	tui_keybar(ui, keys, sizeof keys / sizeof keys[0]);
}

/* --- keys ----------------------------------------------------------------------------------- */

/* Move to the next (dir 1) or previous (-1) row whose visible text shows
 * the quick search.  Bounded in time: a miss over millions of rows stops
 * and says how far it looked. */
static void list_find(struct tui *ui, int dir)
{
	if (!view_matcher_active(&ui->hl)) {
		tui_message(ui, 0, "%s", _("No search text: press / and type what to look for"));
		return;
	}
	if (ui->ndisp == 0)
		return;
	struct view_cols cols;
	view_cols_compute(&cols, (size_t)COLS);
	struct view_span spans[VIEW_NCOLS];
	int64_t deadline = tui_now_us() + 150000;
	size_t n = ui->ndisp, i = ui->sc.cur, looked = 0, found = SIZE_MAX;
	tui_lock(ui);
	const struct store *st = ui->st;
	while (looked + 1 < n) {
		i = dir > 0 ? (i + 1) % n : (i + n - 1) % n;
		looked++;
		uint32_t m = list_at(ui, i);
		if (m >= st->nmsgs)
			continue;
		struct view_row vr;
		fill_row(st, m, &vr);
		view_format_row(&ui->line, &vr, &cols, ui->ascii, spans, &ui->tmp);
		size_t off = spans[VIEW_COL_SENDER].off;
		size_t end = spans[VIEW_COL_SUBJECT].off + spans[VIEW_COL_SUBJECT].len;
		size_t s0, s1;
		if (view_matcher_find(&ui->hl, ui->line.data + off, end - off, 0, &s0, &s1)) {
			found = i;
			break;
		}
		if ((looked & 255) == 0 && tui_now_us() > deadline)
			break;
	}
	tui_unlock(ui);
	if (found != SIZE_MAX) {
		if ((dir > 0 && found < ui->sc.cur) || (dir < 0 && found > ui->sc.cur))
			tui_message(ui, 0, "%s", _("Search wrapped around"));
		ui->sc.cur = found;
		view_scroll_fix(&ui->sc, ui->ndisp, list_rows());
		remember_selection(ui);
	} else if (looked + 1 >= n) {
		tui_message(ui, 0, "%s",
			    _("No other row shows the search text (it matched in a hidden field: "
			      "open the trace)"));
	} else {
		char a[32];
		view_count(looked, a);
		ui->sc.cur = i;
		view_scroll_fix(&ui->sc, ui->ndisp, list_rows());
		remember_selection(ui);
		tui_message(ui, 0,
			    P_("Looked at %s row without a visible match; press n again to go on",
			       "Looked at %s rows without a visible match; press n again to go on",
			       looked),
			    a);
	}
}

static void search_changed(struct tui *ui)
{
	snprintf(ui->spec.text, sizeof ui->spec.text, "%s", ui->search.buf);
	/* a half-typed regex is normal while typing: keep the last result */
	tui_filter_apply(ui, 1, NULL, 0);
}

static void search_end(struct tui *ui)
{
	ui->searching = 0;
}

/* Returns 1 when the key was consumed by the search field. */
static int search_key(struct tui *ui, int key)
{
	switch (key) {
	case '\r':
	case '\n':
	case TUI_FN(KEY_ENTER):
		search_end(ui);
		return 1;
	case TUI_ESC:
	case TUI_CTRL('g'):
		search_end(ui);
		if (strcmp(ui->spec.text, ui->search_before) != 0) {
			snprintf(ui->spec.text, sizeof ui->spec.text, "%s", ui->search_before);
			tui_filter_apply(ui, 1, NULL, 0);
		}
		return 1;
	case TUI_FN(KEY_UP):
	case TUI_FN(KEY_DOWN):
	case TUI_FN(KEY_PPAGE):
	case TUI_FN(KEY_NPAGE):
	case TUI_FN(KEY_MOUSE):
		search_end(ui);
		return 0;
	default:
		break;
	}
	char before[VIEW_EDIT_MAX];
	memcpy(before, ui->search.buf, ui->search.len + 1);
	if (!tui_edit_key(&ui->search, key))
		return 1;
	if (strcmp(before, ui->search.buf) != 0)
		search_changed(ui);
	return 1;
}

static void open_current(struct tui *ui)
{
	if (ui->ndisp == 0) {
		tui_message(ui, 0, "%s", _("No message to open"));
		return;
	}
	remember_selection(ui);
	tui_trace_open(ui, ui->sel_msg);
}

static void list_mouse(struct tui *ui)
{
	MEVENT *ev = &ui->mouse;
	size_t rows = list_rows();
	int wheel = tui_wheel(ev);
	if (wheel) {
		view_scroll_wheel(&ui->sc, ui->ndisp, rows, wheel);
		remember_selection(ui);
		return;
	}
	if (!(ev->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (ev->y == 1) {
		ui->searching = 1;
		snprintf(ui->search_before, sizeof ui->search_before, "%s", ui->spec.text);
		view_edit_set(&ui->search, ui->spec.text);
		return;
	}
	if (ev->y == 2) {
		ui->sort = (ui->sort + 1) % TUI_SORT__COUNT;
		ui->sort_dirty = 1;
		return;
	}
	if (ev->y < LIST_TOP || ev->y >= LIST_TOP + (int)rows)
		return;
	size_t i = ui->sc.top + (size_t)(ev->y - LIST_TOP);
	if (i >= ui->ndisp)
		return;
	if (i == ui->sc.cur) {
		open_current(ui);
		return;
	}
	ui->sc.cur = i;
	remember_selection(ui);
}

static void list_key(struct tui *ui, int key)
{
	size_t rows = list_rows();
	if (ui->searching && search_key(ui, key))
		return;
	if (tui_scroll_key(&ui->sc, ui->ndisp, rows, key)) {
		remember_selection(ui);
		return;
	}
	switch (key) {
	case '\r':
	case '\n':
	case TUI_FN(KEY_ENTER):
	case TUI_FN(KEY_RIGHT):
	case 'l':
		open_current(ui);
		return;
	case '/':
		ui->searching = 1;
		snprintf(ui->search_before, sizeof ui->search_before, "%s", ui->spec.text);
		view_edit_set(&ui->search, ui->spec.text);
		return;
	case 'f':
		tui_push(ui, &tui_screen_form);
		return;
	case 'c': {
		memset(&ui->spec, 0, sizeof ui->spec);
		tui_filter_apply(ui, 1, NULL, 0);
		tui_message(ui, 0, "%s", _("Every filter cleared"));
		return;
	}
	case TUI_ESC:
		if (ui->spec.text[0]) {
			ui->spec.text[0] = '\0';
			tui_filter_apply(ui, 1, NULL, 0);
			tui_message(ui, 0, "%s", _("Quick search cleared"));
		} else {
			tui_message(ui, 0, "%s", _("This is the first screen: q quits, F1 shows the keys"));
		}
		return;
	case 'o':
		ui->sort = (ui->sort + 1) % TUI_SORT__COUNT;
		ui->sort_dirty = 1;
		tui_message(ui, 0, _("Sorted %s"), sort_name(ui));
		return;
	case 'O':
		ui->reverse = !ui->reverse;
		ui->sort_dirty = 1;
		tui_message(ui, 0, _("Sorted %s"), sort_name(ui));
		return;
	case 'n':
		list_find(ui, 1);
		return;
	case 'N':
		list_find(ui, -1);
		return;
	case 'i':
		tui_open_files(ui);
		return;
	case 'q':
		ui->quit = 1;
		return;
	case TUI_FN(KEY_MOUSE):
		list_mouse(ui);
		return;
	default: {
		const struct tui_screen *extra = key & TUI_FN_BIT ? NULL : tui_extra_screen(key);
		if (extra)
			tui_push(ui, extra);
		else if (key == 's')
			tui_message(ui, 0, "%s",
				    _("The statistics screen is not available yet: run mailtrail "
				      "--stats for the figures"));
		return;
	}
	}
	remember_selection(ui);
}

static void list_leave(struct tui *ui)
{
	ui->searching = 0;
}

const struct tui_screen tui_screen_list = {
	.name = "list",
	.leave = list_leave,
	.draw = list_draw,
	.key = list_key,
};
