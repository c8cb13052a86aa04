/*
 * tui_draw.c - the few primitives every screen draws with: colours (or
 * their monochrome stand-ins), width-exact text, the title bar, the key
 * bar and the status line.
 *
 * Key design decision: text reaches curses only through tui_put(), which
 * cuts it to display columns with textsafe_fit(), so a string can never
 * wrap onto the next row or split a wide character; callers hand it text
 * that view_escape() already made safe.  Attributes come from a table
 * filled once (tui_colors_init): with NO_COLOR or a monochrome terminal
 * the same classes map to bold / underline / reverse, and statuses stay
 * readable because the status is always a word, never a colour alone.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "textsafe.h"
#include "tui_int.h"
#include "xalloc.h"

enum {
	P_TITLE = 1,
	P_KEYLABEL,
	P_HEADER,
	P_MATCH,
	P_ERROR,
	P_LINK,
	P_ROOT,
	P_EXPLAIN,
	P_DIM,
	P_FIELD,
	P_OUT /* + outcome */
};

void tui_colors_init(struct tui *ui)
{
	const char *nc = getenv("NO_COLOR");
	/* https://no-color.org: any non-empty value disables colour */
	ui->color = has_colors() && !(nc && *nc);
	int *a = ui->attrs;
	for (int i = 0; i < TA__COUNT; i++)
		a[i] = A_NORMAL;
	if (ui->color && start_color() == OK) {
		short bg = -1;
		if (use_default_colors() == ERR)
			bg = COLOR_BLACK;
		init_pair(P_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(P_KEYLABEL, COLOR_BLACK, COLOR_CYAN);
		init_pair(P_HEADER, COLOR_BLACK, COLOR_GREEN);
		init_pair(P_MATCH, COLOR_BLACK, COLOR_YELLOW);
		init_pair(P_ERROR, COLOR_RED, bg);
		init_pair(P_LINK, COLOR_CYAN, bg);
		init_pair(P_ROOT, COLOR_YELLOW, bg);
		init_pair(P_EXPLAIN, COLOR_GREEN, bg);
		init_pair(P_DIM, COLOR_BLUE, bg);
		init_pair(P_FIELD, COLOR_BLACK, COLOR_WHITE);
		static const short out_fg[OUT__COUNT] = {
			[OUT_NONE] = COLOR_WHITE,     [OUT_QUEUED] = COLOR_BLUE,
			[OUT_DELIVERED] = COLOR_GREEN, [OUT_DEFERRED] = COLOR_YELLOW,
			[OUT_BOUNCED] = COLOR_RED,    [OUT_EXPIRED] = COLOR_MAGENTA,
			[OUT_REJECTED] = COLOR_RED,   [OUT_PARTIAL] = COLOR_CYAN,
		};
		for (int o = 0; o < OUT__COUNT; o++)
			init_pair((short)(P_OUT + o), out_fg[o], bg);
		a[TA_TITLE] = COLOR_PAIR(P_TITLE) | A_BOLD;
		a[TA_KEY] = A_BOLD;
		a[TA_KEYLABEL] = COLOR_PAIR(P_KEYLABEL);
		a[TA_HEADER] = COLOR_PAIR(P_HEADER);
		a[TA_SELECT] = A_REVERSE | A_BOLD;
		a[TA_MATCH] = COLOR_PAIR(P_MATCH);
		a[TA_ERROR] = COLOR_PAIR(P_ERROR) | A_BOLD;
		a[TA_INFO] = A_BOLD;
		a[TA_LINK] = COLOR_PAIR(P_LINK) | A_BOLD;
		a[TA_ROOT] = COLOR_PAIR(P_ROOT) | A_BOLD;
		a[TA_EXPLAIN] = COLOR_PAIR(P_EXPLAIN);
		a[TA_DIM] = COLOR_PAIR(P_DIM);
		a[TA_FIELD] = COLOR_PAIR(P_FIELD);
		for (int o = 0; o < OUT__COUNT; o++)
			a[TA_OUTCOME + o] = COLOR_PAIR(P_OUT + o) |
					    (o == OUT_BOUNCED || o == OUT_REJECTED ? A_BOLD : 0);
		return;
	}
	ui->color = 0;
	a[TA_TITLE] = A_REVERSE | A_BOLD;
	a[TA_KEY] = A_BOLD;
	a[TA_KEYLABEL] = A_REVERSE;
	a[TA_HEADER] = A_UNDERLINE | A_BOLD;
	a[TA_SELECT] = A_REVERSE;
	a[TA_MATCH] = A_UNDERLINE | A_BOLD;
	a[TA_ERROR] = A_BOLD;
	a[TA_INFO] = A_BOLD;
	a[TA_LINK] = A_BOLD;
	a[TA_ROOT] = A_BOLD | A_UNDERLINE;
	a[TA_EXPLAIN] = A_BOLD;
	a[TA_DIM] = A_DIM;
	a[TA_FIELD] = A_UNDERLINE;
	/* without colour, failures stand out by weight as well as by word */
	a[TA_OUTCOME + OUT_BOUNCED] = A_BOLD;
	a[TA_OUTCOME + OUT_REJECTED] = A_BOLD;
	a[TA_OUTCOME + OUT_EXPIRED] = A_BOLD;
	a[TA_OUTCOME + OUT_DEFERRED] = A_UNDERLINE;
	a[TA_OUTCOME + OUT_PARTIAL] = A_UNDERLINE;
}

size_t tui_put(struct tui *ui, int y, int x, const char *s, size_t n, size_t maxcols, int attr,
	       const int *attrs, int pad)
{
	(void)ui;
	if (y < 0 || x < 0 || y >= LINES || x >= COLS)
		return 0;
	if (maxcols > (size_t)(COLS - x))
		maxcols = (size_t)(COLS - x);
	size_t used = 0;
	size_t fit = textsafe_fit(s, n, maxcols, &used);
	move(y, x);
	size_t i = 0;
	while (i < fit) {
		int a = attrs ? attrs[i] : attr;
		size_t j = i + 1;
		if (attrs)
			while (j < fit && attrs[j] == a)
				j++;
		else
			j = fit;
		attrset(a);
		addnstr(s + i, (int)(j - i));
		i = j;
	}
	if (pad && used < maxcols) {
		attrset(attr);
		move(y, x + (int)used);
		hline(' ', (int)(maxcols - used));
	}
	attrset(A_NORMAL);
	return used;
}

int *tui_attrs(struct tui *ui, size_t n, int attr)
{
	if (n + 1 > ui->attrbuf_cap) {
		size_t cap = ui->attrbuf_cap ? ui->attrbuf_cap : 256;
		while (cap < n + 1)
			cap *= 2;
		free(ui->attrbuf);
		ui->attrbuf = xmalloc(cap * sizeof *ui->attrbuf);
		ui->attrbuf_cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		ui->attrbuf[i] = attr;
	return ui->attrbuf;
}

void tui_mark_matches(const struct view_matcher *m, const char *s, size_t n, int *attrs, int attr)
{
	size_t pos = 0, a, b;
	while (pos < n && view_matcher_find(m, s, n, pos, &a, &b)) {
		for (size_t k = a; k < b; k++)
			attrs[k] = attr;
		pos = b;
	}
}

int tui_wheel(const MEVENT *ev)
{
#ifdef BUTTON5_PRESSED
	if (ev->bstate & BUTTON5_PRESSED)
		return 3;
#endif
	return ev->bstate & BUTTON4_PRESSED ? -3 : 0;
}

int tui_scroll_key(struct view_scroll *sc, size_t n, size_t rows, int key)
{
	switch (key) {
	case 'k':
	case TUI_FN(KEY_UP):
	case TUI_CTRL('p'):
		view_scroll_move(sc, n, rows, -1);
		return 1;
	case 'j':
	case TUI_FN(KEY_DOWN):
	case TUI_CTRL('n'):
		view_scroll_move(sc, n, rows, 1);
		return 1;
	case TUI_FN(KEY_PPAGE):
	case TUI_CTRL('b'):
	case 'b':
		view_scroll_page(sc, n, rows, -1);
		return 1;
	case TUI_FN(KEY_NPAGE):
	case TUI_CTRL('f'):
	case ' ':
		view_scroll_page(sc, n, rows, 1);
		return 1;
	case 'g':
	case TUI_FN(KEY_HOME):
		sc->cur = 0;
		view_scroll_fix(sc, n, rows);
		return 1;
	case 'G':
	case TUI_FN(KEY_END):
		sc->cur = n ? n - 1 : 0;
		view_scroll_fix(sc, n, rows);
		return 1;
	default:
		return 0;
	}
}

void tui_title(struct tui *ui, const char *left, const char *right)
{
	int attr = ui->attrs[TA_TITLE];
	move(0, 0);
	attrset(attr);
	hline(' ', COLS);
	size_t rw = right ? textsafe_width(right, strlen(right)) : 0;
	size_t cols = (size_t)COLS;
	if (rw + 2 > cols)
		rw = 0;
	size_t lw = tui_put(ui, 0, 1, left, strlen(left), cols - 1 - (rw ? rw + 2 : 0), attr, NULL,
			    0);
	(void)lw;
	if (rw)
		tui_put(ui, 0, (int)(cols - rw - 1), right, strlen(right), rw, attr, NULL, 0);
	attrset(A_NORMAL);
}

void tui_keybar(struct tui *ui, const struct view_key *keys, size_t n)
{
	if (n > TUI_MAX_KEYS)
		n = TUI_MAX_KEYS;
	int y = LINES - 1;
	move(y, 0);
	attrset(A_NORMAL);
	clrtoeol();
	size_t x[TUI_MAX_KEYS], w[TUI_MAX_KEYS];
	view_keybar_layout(keys, n, (size_t)COLS, x, w);
	ui->nbar = 0;
	for (size_t i = 0; i < n; i++) {
		if (x[i] == SIZE_MAX)
			continue;
		size_t kw = textsafe_width(keys[i].key, strlen(keys[i].key));
		tui_put(ui, y, (int)x[i], keys[i].key, strlen(keys[i].key), kw, ui->attrs[TA_KEY],
			NULL, 0);
		tui_put(ui, y, (int)(x[i] + kw), " ", 1, 1, ui->attrs[TA_KEYLABEL], NULL, 0);
		tui_put(ui, y, (int)(x[i] + kw + 1), keys[i].label, strlen(keys[i].label),
			w[i] - kw - 1, ui->attrs[TA_KEYLABEL], NULL, 0);
		ui->bar[ui->nbar] = keys[i];
		ui->bar_x[ui->nbar] = x[i];
		ui->bar_w[ui->nbar] = w[i];
		ui->nbar++;
	}
}

int tui_keybar_hit(const struct tui *ui, int x)
{
	for (size_t i = 0; i < ui->nbar; i++)
		if ((size_t)x >= ui->bar_x[i] && (size_t)x < ui->bar_x[i] + ui->bar_w[i])
			return ui->bar[i].code;
	return 0;
}

static void draw_prompt(struct tui *ui, int y)
{
	size_t lw = tui_put(ui, y, 0, ui->prompt_label, strlen(ui->prompt_label), (size_t)COLS,
			    ui->attrs[TA_INFO], NULL, 0);
	if (ui->prompt == TUI_PROMPT_OVERWRITE) {
		ui->cursor_y = y;
		ui->cursor_x = (int)lw < COLS ? (int)lw : COLS - 1;
		return;
	}
	size_t room = (size_t)COLS > lw + 1 ? (size_t)COLS - lw - 1 : 1;
	size_t start, ccol;
	size_t vis = view_edit_window(&ui->prompt_edit, room, &start, &ccol);
	tui_put(ui, y, (int)lw + 1, ui->prompt_edit.buf + start, vis, room, ui->attrs[TA_FIELD],
		NULL, 1);
	ui->cursor_y = y;
	ui->cursor_x = (int)(lw + 1 + ccol);
	if (ui->cursor_x >= COLS)
		ui->cursor_x = COLS - 1;
}

void tui_status_line(struct tui *ui)
{
	int y = LINES - 2;
	move(y, 0);
	attrset(A_NORMAL);
	clrtoeol();
	if (ui->prompt != TUI_PROMPT_NONE) {
		draw_prompt(ui, y);
		return;
	}
	int64_t now = tui_now_us();
	if (ui->msg[0] && now < ui->msg_until_us) {
		tui_put(ui, y, 0, ui->msg, strlen(ui->msg), (size_t)COLS,
			ui->attrs[ui->msg_error ? TA_ERROR : TA_INFO], NULL, 0);
		return;
	}
	if (ui->loader_running) {
		view_progress(&ui->tmp2, (size_t)COLS, atomic_load(&ui->prog.bytes_done),
			      atomic_load(&ui->prog.bytes_total), atomic_load(&ui->prog.files_done),
			      atomic_load(&ui->prog.files_total), now - ui->t0_us);
		tui_put(ui, y, 0, tbuf_str(&ui->tmp2), ui->tmp2.len, (size_t)COLS, A_NORMAL, NULL,
			0);
	}
}

int tui_too_small(struct tui *ui)
{
	if (LINES >= 10 && COLS >= 40)
		return 0;
	erase();
	const char *s = _("Terminal too small: need 40x10 (Q quits)");
	size_t n = strlen(s);
	for (int y = 0; y < LINES && n; y++) {
		size_t k = view_wrap(s, n, (size_t)COLS);
		tui_put(ui, y, 0, s, k, (size_t)COLS, A_BOLD, NULL, 0);
		s += k;
		n -= k;
	}
	ui->cursor_y = -1;
	return 1;
}
