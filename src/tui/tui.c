/*
 * tui.c - the interactive screen: terminal set-up and restore, the loader
 * thread, the main loop, the screen stack, the status-line prompt and the
 * text pages (help, file report).
 *
 * Key design decision: one single-threaded event loop owns the terminal.
 * Loading runs on a background thread (load_run) and the loop never waits
 * for it: each turn does at most a ~12 ms slice of filtering, draws, and
 * waits for a key with a timeout, so typing stays responsive while a big
 * set loads or a filter runs over millions of messages.  The terminal is
 * restored on every way out: normal return, SIGINT/SIGTERM/SIGHUP (the
 * handler only sets a flag the loop checks), exit() (atexit) and fatal
 * out-of-memory (xalloc fatal hook).
 */
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "output.h"
#include "textsafe.h"
#include "tui.h"
#include "tui_int.h"
#include "xalloc.h"

/*
 * Screens reached from the message list by one key, drawn by modules of
 * their own: each is a file exporting a `const struct tui_screen` with its
 * hotkey, declared and listed here (the statistics screen, src/tui/
 * tui_stats.c, key 's').  A key with no screen listed does nothing.
 */
extern const struct tui_screen tui_screen_stats;

static const struct tui_screen *const tui_extra_screens[] = {
	&tui_screen_stats,
};

/* Process-wide because signal handlers, atexit and the xalloc hook have no
 * context argument; there is only ever one TUI. */
static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t curses_active;

static void restore_terminal(void)
{
	if (curses_active) {
		curses_active = 0;
		endwin();
	}
}

static void on_signal(int sig)
{
	got_signal = sig;
}

int64_t tui_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void tui_lock(struct tui *ui)
{
	if (ui->loader_running)
		store_lock(ui->st);
}

void tui_unlock(struct tui *ui)
{
	if (ui->loader_running)
		store_unlock(ui->st);
}

const struct tui_screen *tui_extra_screen(int key)
{
	for (size_t i = 0; i < sizeof tui_extra_screens / sizeof tui_extra_screens[0]; i++)
		if (tui_extra_screens[i] && tui_extra_screens[i]->hotkey == key)
			return tui_extra_screens[i];
	return NULL;
}

void tui_push(struct tui *ui, const struct tui_screen *s)
{
	if (ui->depth >= TUI_MAX_SCREENS)
		return;
	ui->stack[ui->depth++] = s;
	if (s->enter)
		s->enter(ui);
}

void tui_pop(struct tui *ui)
{
	if (ui->depth <= 1)
		return;
	const struct tui_screen *s = ui->stack[ui->depth - 1];
	if (s->leave)
		s->leave(ui);
	ui->depth--;
}

const struct tui_screen *tui_top(const struct tui *ui)
{
	return ui->stack[ui->depth - 1];
}

void tui_message(struct tui *ui, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_error = error;
	ui->msg_until_us = tui_now_us() + (error ? 8000000 : 5000000);
}

static void spec_field(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static void spec_copy(struct tui_spec *d, const struct query_spec *s)
{
	memset(d, 0, sizeof *d);
	if (!s)
		return;
	spec_field(d->since, sizeof d->since, s->since);
	spec_field(d->until, sizeof d->until, s->until);
	spec_field(d->from, sizeof d->from, s->from);
	spec_field(d->to, sizeof d->to, s->to);
	spec_field(d->ip, sizeof d->ip, s->ip);
	spec_field(d->subject, sizeof d->subject, s->subject);
	spec_field(d->msgid, sizeof d->msgid, s->msgid);
	spec_field(d->status, sizeof d->status, s->status);
	spec_field(d->account, sizeof d->account, s->account);
	spec_field(d->text, sizeof d->text, s->text);
	d->regex = s->regex;
}

void tui_spec_view(const struct tui_spec *s, struct query_spec *q)
{
	memset(q, 0, sizeof *q);
	q->since = s->since[0] ? s->since : NULL;
	q->until = s->until[0] ? s->until : NULL;
	q->from = s->from[0] ? s->from : NULL;
	q->to = s->to[0] ? s->to : NULL;
	q->ip = s->ip[0] ? s->ip : NULL;
	q->subject = s->subject[0] ? s->subject : NULL;
	q->msgid = s->msgid[0] ? s->msgid : NULL;
	q->status = s->status[0] ? s->status : NULL;
	q->account = s->account[0] ? s->account : NULL;
	q->text = s->text[0] ? s->text : NULL;
	q->regex = s->regex;
}

/* --- text pages: help and the file report ---------------------------------------- */

static size_t page_rows(struct tui *ui, size_t width, size_t first, int draw, int y0, int ymax)
{
	/* wrap every line to the width; count rows, draw [first, first+rows) */
	const char *p = tbuf_str(&ui->page);
	size_t left = ui->page.len, row = 0;
	while (left) {
		const char *nl = memchr(p, '\n', left);
		size_t len = nl ? (size_t)(nl - p) : left;
		const char *s = p;
		size_t n = len;
		size_t ind = view_hanging_indent(p, len, width);
		do {
			size_t w = s == p ? width : width - ind;
			size_t k = n ? view_wrap(s, n, w) : 0;
			if (draw && row >= first && y0 + (int)(row - first) < ymax) {
				int attr = A_NORMAL;
				/* section titles: lines that start in column 0 */
				if (s == p && len && *p != ' ')
					attr = ui->attrs[TA_INFO];
				tui_put(ui, y0 + (int)(row - first), 1 + (int)(s == p ? 0 : ind), s, k,
					w, attr, NULL, 0);
			}
			row++;
			s += k;
			n -= k;
		} while (n);
		if (!nl)
			break;
		left -= len + 1;
		p = nl + 1;
	}
	return row;
}

static void page_draw(struct tui *ui)
{
	if (tui_too_small(ui))
		return;
	size_t width = (size_t)COLS - 2;
	size_t rows = (size_t)LINES - 3;
	ui->page_lines = page_rows(ui, width, 0, 0, 0, 0);
	ui->page_top = view_scroll_top_clamp((long)ui->page_top, ui->page_lines, rows);
	char right[64];
	snprintf(right, sizeof right, "%zu-%zu / %zu", ui->page_lines ? ui->page_top + 1 : 0,
		 ui->page_top + rows < ui->page_lines ? ui->page_top + rows : ui->page_lines,
		 ui->page_lines);
	tui_title(ui, ui->page_title, right);
	page_rows(ui, width, ui->page_top, 1, 1, LINES - 2);
	tui_status_line(ui);
	const struct view_key keys[] = {
		{"Esc", _("Back"), TUI_ESC},
		{"Up/Down", _("Scroll"), 0},
		{"PgUp/PgDn", _("Page"), 0},
		{"Q", _("Quit"), 'Q'},
	};
	tui_keybar(ui, keys, sizeof keys / sizeof keys[0]);
}

static void page_key(struct tui *ui, int key)
{
	size_t rows = (size_t)LINES - 3;
	long top = (long)ui->page_top;
	switch (key) {
	case 'q':
	case TUI_ESC:
	case '?':
	case TUI_FN(KEY_F(1)):
	case TUI_FN(KEY_BACKSPACE):
	case TUI_FN(KEY_LEFT):
	case 127:
		tui_pop(ui);
		return;
	case 'k':
	case TUI_FN(KEY_UP):
		top--;
		break;
	case 'j':
	case TUI_FN(KEY_DOWN):
	case '\r':
	case '\n':
		top++;
		break;
	case TUI_FN(KEY_PPAGE):
	case 'b':
		top -= (long)rows - 1;
		break;
	case TUI_FN(KEY_NPAGE):
	case ' ':
		top += (long)rows - 1;
		break;
	case 'g':
	case TUI_FN(KEY_HOME):
		top = 0;
		break;
	case 'G':
	case TUI_FN(KEY_END):
		top = (long)ui->page_lines;
		break;
	case TUI_FN(KEY_MOUSE):
		top += tui_wheel(&ui->mouse);
		break;
	default:
		return;
	}
	ui->page_top = view_scroll_top_clamp(top, ui->page_lines, rows);
}

const struct tui_screen tui_screen_page = {
	.name = "page",
	.draw = page_draw,
	.key = page_key,
};

static void open_page(struct tui *ui, const char *title)
{
	ui->page_title = title;
	ui->page_top = 0;
	if (tui_top(ui) == &tui_screen_page)
		return;
	tui_push(ui, &tui_screen_page);
}

void tui_open_help(struct tui *ui)
{
	const struct tui_screen *from = tui_top(ui);
	if (from == &tui_screen_page && ui->page_title && strcmp(ui->page_title, _("Help: keys")) == 0)
		return;
	tbuf_reset(&ui->page);
	struct tbuf *b = &ui->page;
	if (from && from->help) {
		/* the keys of the screen the user is on come first */
		from->help(b);
		tbuf_puts(b, "\n");
	}
	tbuf_puts(b, _("mailtrail shows what happened to each mail in the logs: find the message, "
		       "open it, read the outcome of every recipient and the reason in plain words.\n\n"));
	tbuf_puts(b, _("Everywhere\n"
		       "  F1, ?            this help (Esc returns)\n"
		       "  Esc, q           back to the previous screen\n"
		       "  Q                quit mailtrail\n"
		       "  Ctrl-L           redraw the screen\n"
		       "  mouse            wheel scrolls, click selects, click on the key bar "
		       "presses that key\n\n"));
	tbuf_puts(b, _("Message list\n"
		       "  Up/Down, j/k     move the cursor\n"
		       "  PgUp/PgDn        one page up / down\n"
		       "  Home/End, g/G    first / last message\n"
		       "  Enter            open the trace of the message (click a selected row too)\n"
		       "  /                quick search in all fields while you type; Enter keeps it, "
		       "Esc undoes it\n"
		       "  n, N             next / previous row that shows the search text\n"
		       "  f                filter form: dates, sender, recipient, IP, subject, "
		       "Message-ID or queue id, status, account, regular expressions\n"
		       "  c                clear every filter\n"
		       "  Esc              clear the quick search\n"
		       "  o                sort by time, status or sender; O reverses the order\n"
		       "  i                file report: what was read and what was not understood\n"
		       "  s                statistics: traffic, top senders, failure reasons, "
		       "suspects\n"
		       "  q, Q             quit\n\n"));
	tbuf_puts(b, _("Trace of a message\n"
		       "  Up/Down, j/k     scroll; PgUp/PgDn, Home/End, g/G as in the list\n"
		       "  Tab, ]           select the next linked message (relay hop, bounce, copy)\n"
		       "  Shift-Tab, [     select the previous linked message\n"
		       "  Enter            open the selected linked message\n"
		       "  Esc, Backspace   back to the message before, then to the list\n"
		       "  r                show / hide the raw log lines\n"
		       "  w                write the trace to a text file (asks for the name)\n"
		       "  /                find text in the trace; n, N next / previous\n\n"));
	tbuf_puts(b, _("Filter form\n"
		       "  Tab, Down        next field; Shift-Tab, Up previous field\n"
		       "  Enter            apply the filter (errors are shown in the form)\n"
		       "  Space            on the last field: regular expressions on / off\n"
		       "  Ctrl-U           clear the field; Ctrl-X clear every field\n"
		       "  Esc              cancel\n\n"));
	tbuf_puts(b, _("Statuses\n"
		       "  delivered        accepted by the next server or saved in the mailbox\n"
		       "  bounced          refused for good; the sender gets a bounce message\n"
		       "  deferred         temporary failure; the server keeps trying\n"
		       "  expired          kept failing until the queue lifetime ran out\n"
		       "  rejected         refused during the SMTP conversation, never queued\n"
		       "  partial          recipients of one message ended differently\n"
		       "  queued           accepted, no final word in the logs (yet)\n"));
	open_page(ui, _("Help: keys"));
}

void tui_open_files(struct tui *ui)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	tbuf_reset(&ui->page);
	if (!f) {
		tbuf_printf(&ui->page, "%s\n", strerror(errno));
	} else {
		uint64_t lines, ok, unknown;
		tui_lock(ui);
		output_totals(ui->st, &lines, &ok, &unknown);
		output_file_report(f, ui->st, 0);
		uint32_t nfiles = ui->st->nfiles;
		tui_unlock(ui);
		fclose(f);
		char a[32], b[32], c[32], counts[256];
		view_count(lines, a);
		view_count(ok, b);
		view_count(unknown, c);
		/* TRANSLATORS: the number of lines read (the first %s) picks the
		 * plural form; the other two are counts of those lines */
		snprintf(counts, sizeof counts,
			 P_("%s line read, %s recognised, %s not understood",
			    "%s lines read, %s recognised, %s not understood", lines),
			 a, b, c);
		/* TRANSLATORS: the heading of the file report; %u is the number
		 * of files (it picks the plural form), the first %s is "N lines
		 * read, N recognised, N not understood", the second " (still
		 * loading)" or nothing */
		tbuf_printf(&ui->page, P_("%u file: %s%s\n\n", "%u files: %s%s\n\n", nfiles), nfiles,
			    counts, ui->loader_running ? _(" (still loading)") : "");
		/* the report escaped every log-derived string already; this
		 * pass only adapts it to the screen (U+FFFD, ASCII) */
		const char *p = text ? text : "";
		size_t left = len;
		while (left) {
			const char *nl = memchr(p, '\n', left);
			size_t n = nl ? (size_t)(nl - p) : left;
			tbuf_reset(&ui->tmp);
			view_escape(&ui->tmp, p, n, ui->ascii);
			/* "mailtrail: " prefixes mean nothing on this page */
			const char *s = tbuf_str(&ui->tmp);
			if (strncmp(s, "mailtrail: ", 11) == 0)
				s += 11;
			tbuf_puts(&ui->page, s);
			tbuf_putc(&ui->page, '\n');
			if (!nl)
				break;
			left -= n + 1;
			p = nl + 1;
		}
		free(text);
	}
	open_page(ui, _("Files: what was read"));
}

/* --- the status-line prompt ------------------------------------------------------------ */

static void utf8_put(uint32_t cp, char out[4], size_t *n)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		*n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		*n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		*n = 3;
	} else {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		*n = 4;
	}
}

int tui_edit_key(struct view_edit *e, int key)
{
	switch (key) {
	case TUI_FN(KEY_BACKSPACE):
	case 127:
	case 8:
		view_edit_backspace(e);
		return 1;
	case TUI_FN(KEY_DC):
	case TUI_CTRL('d'):
		view_edit_delete(e);
		return 1;
	case TUI_FN(KEY_LEFT):
	case TUI_CTRL('b'):
		view_edit_left(e);
		return 1;
	case TUI_FN(KEY_RIGHT):
	case TUI_CTRL('f'):
		view_edit_right(e);
		return 1;
	case TUI_FN(KEY_HOME):
	case TUI_CTRL('a'):
		view_edit_home(e);
		return 1;
	case TUI_FN(KEY_END):
	case TUI_CTRL('e'):
		view_edit_end(e);
		return 1;
	case TUI_CTRL('u'):
		view_edit_kill_start(e);
		return 1;
	case TUI_CTRL('w'):
		view_edit_kill_word(e);
		return 1;
	default:
		break;
	}
	if (key & TUI_FN_BIT || key < 0x20 || key == 0x7f || (key >= 0x80 && key < 0xa0) ||
	    key > 0x10ffff)
		return 0;
	char buf[4];
	size_t n;
	utf8_put((uint32_t)key, buf, &n);
	view_edit_insert(e, buf, n);
	return 1;
}

static void prompt_key(struct tui *ui, int key)
{
	enum tui_prompt p = ui->prompt;
	if (p == TUI_PROMPT_OVERWRITE) {
		ui->prompt = TUI_PROMPT_NONE;
		tui_trace_prompt_done(ui, p, key == 'y' || key == 'Y' ? "y" : "n");
		return;
	}
	if (key == TUI_ESC || key == TUI_CTRL('c') || key == TUI_CTRL('g')) {
		ui->prompt = TUI_PROMPT_NONE;
		tui_message(ui, 0, "%s", _("Cancelled"));
		return;
	}
	if (key == '\r' || key == '\n' || key == TUI_FN(KEY_ENTER)) {
		ui->prompt = TUI_PROMPT_NONE;
		tui_trace_prompt_done(ui, p, ui->prompt_edit.buf);
		return;
	}
	tui_edit_key(&ui->prompt_edit, key);
}

/* --- loading ----------------------------------------------------------------------------- */

static void *loader_main(void *arg)
{
	struct tui *ui = arg;
	load_run(ui->st, ui->o, &ui->prog);
	return NULL;
}

/* Quitting: the loader was asked to stop (prog.cancel).  It shares the
 * store, so the store may only be released once it has ended; should it
 * not end in time, the process ends here instead (the terminal is already
 * restored and mailtrail has nothing else to flush). */
static void stop_loader(struct tui *ui, int rc)
{
	if (!ui->loader_running)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 1;
	if (pthread_timedjoin_np(ui->loader, NULL, &ts) != 0) {
		fflush(NULL);
		_exit(rc);
	}
	ui->loader_running = 0;
}

static void loading_done(struct tui *ui)
{
	pthread_join(ui->loader, NULL);
	ui->loader_running = 0;
	ui->load_end_us = tui_now_us();
	uint64_t lines, ok, unknown;
	output_totals(ui->st, &lines, &ok, &unknown);
	int problems = 0;
	for (uint32_t i = 0; i < ui->st->nfiles; i++)
		if (ui->st->files[i].error[0] || !ui->st->files[i].format)
			problems = 1;
	char a[32], d[32], msgs[96];
	view_count(ui->st->nmsgs, a);
	/* TRANSLATORS: %s is a number of messages with thousands separators */
	snprintf(msgs, sizeof msgs, P_("%s message", "%s messages", ui->st->nmsgs), a);
	snprintf(d, sizeof d, "%.1f", (double)(ui->load_end_us - ui->t0_us) / 1e6);
	if (ok == 0)
		tui_message(ui, 1,
			    P_("Nothing was recognised in %u file: press i for the file report",
			       "Nothing was recognised in %u files: press i for the file report",
			       ui->st->nfiles),
			    ui->st->nfiles);
	else
		tui_message(ui, 0,
			    /* TRANSLATORS: the first %s is "N messages" (translated
			     * on its own); %u is the number of files and picks the
			     * plural form; then the seconds taken and an optional
			     * note */
			    P_("Loaded %s from %u file in %s s%s", "Loaded %s from %u files in %s s%s",
			       ui->st->nfiles),
			    msgs, ui->st->nfiles, d,
			    problems || unknown ? _("; some lines were not understood (press i)") : "");
	/* messages got recipients and statuses after they were first
	 * filtered: one complete pass now, in time order, shown when done */
	tui_filter_build_order(ui);
	tui_filter_apply(ui, 0, NULL, 0);
	tui_trace_refresh(ui);
}

/* --- the loop ------------------------------------------------------------------------------ */

/* A text field has the keyboard: 'Q' and '?' are typed, not commands. */
static int text_entry(const struct tui *ui)
{
	const struct tui_screen *t = tui_top(ui);
	return t == &tui_screen_form || (t == &tui_screen_list && ui->searching);
}

static void handle_key(struct tui *ui, int key, int depth)
{
	if (key == TUI_FN(KEY_RESIZE)) {
		ui->rows = LINES;
		ui->cols = COLS;
		return;
	}
	if (key == TUI_CTRL('l')) {
		clearok(curscr, TRUE);
		return;
	}
	if (key == TUI_FN(KEY_MOUSE)) {
		if (getmouse(&ui->mouse) != OK)
			return;
		if (ui->mouse.y == LINES - 1 && depth == 0 &&
		    (ui->mouse.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))) {
			int k = tui_keybar_hit(ui, ui->mouse.x);
			if (k)
				handle_key(ui, k, depth + 1);
			return;
		}
	}
	if (ui->prompt != TUI_PROMPT_NONE) {
		if (key != TUI_FN(KEY_MOUSE))
			prompt_key(ui, key);
		return;
	}
	if (key == TUI_FN(KEY_F(1)) || (!text_entry(ui) && key == '?')) {
		tui_open_help(ui);
		return;
	}
	if (!text_entry(ui) && key == 'Q') {
		ui->quit = 1;
		return;
	}
	tui_top(ui)->key(ui, key);
}

static void draw(struct tui *ui)
{
	ui->cursor_y = -1;
	erase();
	tui_top(ui)->draw(ui);
	if (ui->cursor_y >= 0) {
		curs_set(1);
		move(ui->cursor_y, ui->cursor_x);
	} else {
		curs_set(0);
	}
	refresh();
}

static int setup_terminal(struct tui *ui)
{
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return -1;
	/* a terminal that cannot place the cursor (TERM=dumb, some serial
	 * consoles) would get a stream of garbage */
	const char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		endwin();
		delscreen(scr);
		return -1;
	}
	curses_active = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	mouseinterval(0);
	tui_colors_init(ui);
	ui->rows = LINES;
	ui->cols = COLS;
	return 0;
}

static void release(struct tui *ui)
{
	tui_trace_release(ui);
	tui_form_release(ui);
	tui_list_release(ui);
	view_matcher_clear(&ui->hl);
	tbuf_release(&ui->page);
	tbuf_release(&ui->line);
	tbuf_release(&ui->tmp);
	tbuf_release(&ui->tmp2);
	free(ui->attrbuf);
	free(ui);
}

int tui_run(struct store *st, const struct load_opts *o, const struct query_spec *initial)
{
	static int atexit_done;
	struct tui *ui = xcalloc(1, sizeof *ui);
	ui->st = st;
	ui->o = o;
	ui->sel_msg = MSG_NONE;
	ui->cursor_y = -1;
	spec_copy(&ui->spec, initial);
	const char *cs = nl_langinfo(CODESET);
	ui->ascii = !(cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));

	/* before newterm(): curses leaves handlers it finds installed */
	struct sigaction sa, old[4];
	static const int sigs[4] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &sa, &old[i]);
	if (!atexit_done) {
		atexit(restore_terminal);
		atexit_done = 1;
	}
	xalloc_set_fatal_hook(restore_terminal);

	ui->t0_us = tui_now_us();
	if (pthread_create(&ui->loader, NULL, loader_main, ui) == 0) {
		ui->loader_running = 1;
	} else {
		/* no thread: load first, then show everything at once */
		load_run(st, o, &ui->prog);
		ui->load_end_us = tui_now_us();
	}

	int rc = 0;
	if (setup_terminal(ui) != 0) {
		const char *term = getenv("TERM");
		tbuf_reset(&ui->tmp);
		view_escape(&ui->tmp, term ? term : "", term ? strlen(term) : 0, 1);
		fprintf(stderr,
			_("mailtrail: this terminal (TERM=%s) cannot show the interactive screen; "
			  "use --list, --trace or --json\n"),
			tbuf_str(&ui->tmp));
		rc = 2;
		goto out;
	}
	tui_push(ui, &tui_screen_list);
	char err[400];
	if (tui_filter_apply(ui, 1, err, sizeof err) != 0) {
		/* a bad --since or pattern from the command line: start
		 * unfiltered, and say why */
		memset(&ui->spec, 0, sizeof ui->spec);
		tui_filter_apply(ui, 1, NULL, 0);
		tbuf_reset(&ui->tmp);
		view_escape(&ui->tmp, err, strlen(err), ui->ascii);
		tui_message(ui, 1, "%s", tbuf_str(&ui->tmp));
	}
	draw(ui);

	int64_t last_draw = 0;
	while (!ui->quit && !got_signal) {
		if (ui->loader_running && atomic_load(&ui->prog.finished))
			loading_done(ui);
		int64_t now = tui_now_us();
		if (ui->loader_running && !ui->next_active && now >= ui->rescan_at_us &&
		    ui->cur.scan >= ui->total) {
			/* recipients and statuses keep arriving for messages
			 * already filtered: refresh the result now and then */
			struct query_spec qs;
			tui_spec_view(&ui->spec, &qs);
			if (!query_is_empty(&qs))
				tui_filter_apply(ui, 0, NULL, 0);
			int64_t gap = ui->last_scan_cost_us * 10;
			ui->rescan_at_us = now + (gap > 1000000 ? gap : 1000000);
		}
		int busy = tui_filter_step(ui, 12000);
		tui_list_sync(ui, !busy);
		if (!busy && tui_list_busy(ui))
			busy = 2;
		now = tui_now_us();
		if (ui->dirty || now - last_draw >= 100000) {
			draw(ui);
			ui->dirty = 0;
			last_draw = now;
		}
		timeout(busy == 1 ? 0 : busy == 2 ? 5 : ui->loader_running ? 100 : 200);
		wint_t wch;
		int r = get_wch(&wch);
		if (r == ERR)
			continue;
		/* take every key already typed before drawing again (a paste,
		 * key repeat), but no more than a screenful of work */
		for (int n = 0; r != ERR && n < 64 && !ui->quit; n++) {
			int key = r == KEY_CODE_YES ? TUI_FN((int)wch) : (int)wch;
			handle_key(ui, key, 0);
			timeout(0);
			r = get_wch(&wch);
		}
		if (r != ERR && !ui->quit) {
			int key = r == KEY_CODE_YES ? TUI_FN((int)wch) : (int)wch;
			handle_key(ui, key, 0);
		}
		ui->dirty = 1;
	}
	if (got_signal)
		rc = 128 + got_signal;

out:
	atomic_store(&ui->prog.cancel, 1);
	restore_terminal();
	stop_loader(ui, rc);
	while (ui->depth > 1)
		tui_pop(ui);
	if (ui->depth && ui->stack[0]->leave)
		ui->stack[0]->leave(ui);
	xalloc_set_fatal_hook(NULL);
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	release(ui);
	return rc;
}
