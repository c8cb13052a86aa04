/*
 * test_tui_view.c - unit tests for the curses-free view logic of the TUI
 * (src/tui/view.c): escaping for the screen, cells cut to display columns,
 * list rows, column layout, scroll windows, the progress line, wrapping,
 * the line editor, the key bar, search in displayed text and sorting.
 *
 * Field values are real: they come from the sample logs named next to
 * each table (copied here; the samples are never read at run time).
 * Expected strings are written out by hand.  Display widths are checked
 * with libc's wcswidth() after mbstowcs(), independently of
 * textsafe_width(), which view.c itself uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "event.h"
#include "tbuf.h"
#include "../../src/tui/view.h"

#define S(lit) lit, sizeof(lit) - 1

/* Runs of n blanks, for padded cells written out by hand. */
#define B1 " "
#define B3 "   "
#define B4 "    "
#define B5 "     "
#define B6 "      "
#define B7 "       "
#define B8 "        "
#define B9 "         "
#define B11 "           "
#define B14 "              "
#define B16 "                "
#define B18 "                  "

/* Columns of UTF-8 s as libc sees them; -1 if not valid/printable. */
static int cols_of(const char *s)
{
	size_t n = mbstowcs(NULL, s, 0);
	if (n == (size_t)-1)
		return -1;
	wchar_t *w = calloc(n + 1, sizeof *w);
	assert_non_null(w);
	mbstowcs(w, s, n + 1);
	int c = wcswidth(w, n);
	free(w);
	return c;
}

static int no_control_bytes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
		/* C1 controls encoded as UTF-8: C2 80..C2 9F */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			return 0;
	}
	return 1;
}

static int setup_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "en_US.UTF-8"))
		return -1;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/* --- view_escape ------------------------------------------------------------ */

struct esc_case {
	const char *in;
	size_t n;
	int ascii;
	const char *want;
};

static void test_escape(void **state)
{
	(void)state;
	static const struct esc_case cases[] = {
		/* Subject from postfix/pixelpark_postfix-logsums_test_mail.log.curated.log
		 * (amavis line, 2023-03-14T12:46:12): emoji and typographic quotes pass */
		{S("Eine numismatische Reise um die Erde \xf0\x9f\x8c\x8e \xe2\x80\x9eIn 80 Tagen"), 0,
		 "Eine numismatische Reise um die Erde \xf0\x9f\x8c\x8e \xe2\x80\x9eIn 80 Tagen"},
		/* the same without a UTF-8 locale: one '?' per character */
		{S("Erde \xf0\x9f\x8c\x8e \xe2\x80\x9eIn"), 1, "Erde ? ?In"},
		/* Subject "Logwatch for helga (Linux)" (same file, 2023-03-15T06:27:22)
		 * with a CSI colour sequence injected in front: ESC becomes \x1b */
		{S("\x1b[31mLogwatch for helga (Linux)"), 0, "\\x1b[31mLogwatch for helga (Linux)"},
		/* OSC 52 clipboard write ending in BEL */
		{S("\x1b]52;c;bWFpbHRyYWls\x07"), 0, "\\x1b]52;c;bWFpbHRyYWls\\x07"},
		/* tab, newline, NUL inside a field */
		{S("a\tb\nc\0d"), 0, "a\\tb\\nc\\0d"},
		/* bidi override (Trojan Source) and an 8-bit CSI byte (invalid UTF-8) */
		{S("abc\xe2\x80\xae" "def\x9b"), 0, "abc\\u202edef\\x9b"},
		/* C1 control U+009B encoded as UTF-8 */
		{S("x\xc2\x9by"), 0, "x\\u009by"},
		/* truncated UTF-8 at the end of a field */
		{S("Zam\xc3"), 0, "Zam\\xc3"},
		/* an unassigned code point (U+0378): width unknown -> U+FFFD */
		{S("a\xcd\xb8z"), 0, "a\xef\xbf\xbdz"},
		/* Exim test suite sender (exim/exim-testsuite_curated.log, 10HmaX F=<...>) */
		{S("\xe4\xbb\x96\xe4\xbb\xac@hebrew.com"), 0, "\xe4\xbb\x96\xe4\xbb\xac@hebrew.com"},
		{S("\xe4\xbb\x96\xe4\xbb\xac@hebrew.com"), 1, "??@hebrew.com"},
		/* Polish subject from the logs-sample set (Zam\u00f3wienie) */
		{S("Zam\xc3\xb3wienie"), 1, "Zam?wienie"},
	};
	struct tbuf b = TBUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tbuf_reset(&b);
		view_escape(&b, cases[i].in, cases[i].n, cases[i].ascii);
		assert_string_equal(tbuf_str(&b), cases[i].want);
		assert_true(no_control_bytes(b.data, b.len));
		assert_true(cols_of(tbuf_str(&b)) >= 0);
		if (cases[i].ascii)
			for (size_t k = 0; k < b.len; k++)
				assert_true((unsigned char)b.data[k] < 0x80);
	}
	tbuf_release(&b);
}

/* --- view_cell ---------------------------------------------------------------- */

struct cell_case {
	const char *in;
	size_t width;
	int right, ascii;
	const char *want;
};

static void test_cell(void **state)
{
	(void)state;
	static const struct cell_case cases[] = {
		{"anna@example.pl", 20, 0, 0, "anna@example.pl     "},
		{"anna@example.pl", 15, 0, 0, "anna@example.pl"},
		{"anna@example.pl", 10, 0, 0, "anna@exam\xe2\x80\xa6"},
		{"anna@example.pl", 10, 0, 1, "anna@exam~"},
		{"145K", 5, 1, 0, " 145K"},
		{"", 3, 0, 0, "   "},
		{"abc", 0, 0, 0, ""},
		{"abc", 1, 0, 0, "\xe2\x80\xa6"},
		/* Japanese domain from exim/exim-testsuite_curated.log (10HmaY <= line):
		 * 2 columns a character; 5 columns hold 2 of them and the ellipsis */
		{"\xe3\x81\xaa\xe3\x81\x9c\xe3\x81\xbf\xe3\x82\x93\xe3\x81\xaa", 5, 0, 0,
		 "\xe3\x81\xaa\xe3\x81\x9c\xe2\x80\xa6"},
		/* 6 columns: the third does not fit in the 1 left: blank after … */
		{"\xe3\x81\xaa\xe3\x81\x9c\xe3\x81\xbf\xe3\x82\x93\xe3\x81\xaa", 6, 0, 0,
		 "\xe3\x81\xaa\xe3\x81\x9c\xe2\x80\xa6 "},
		/* whole string fits exactly: 10 columns */
		{"\xe3\x81\xaa\xe3\x81\x9c\xe3\x81\xbf\xe3\x82\x93\xe3\x81\xaa", 10, 0, 0,
		 "\xe3\x81\xaa\xe3\x81\x9c\xe3\x81\xbf\xe3\x82\x93\xe3\x81\xaa"},
		/* combining acute (U+0301) takes no column: "Ae\u0301x" is 3 wide */
		{"Ae\xcc\x81x", 3, 0, 0, "Ae\xcc\x81x"},
		{"Ae\xcc\x81xyz", 3, 0, 0, "Ae\xcc\x81\xe2\x80\xa6"},
	};
	struct tbuf b = TBUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tbuf_reset(&b);
		view_cell(&b, cases[i].in, strlen(cases[i].in), cases[i].width, cases[i].right,
			  cases[i].ascii);
		assert_string_equal(tbuf_str(&b), cases[i].want);
		assert_int_equal(cols_of(tbuf_str(&b)), (int)cases[i].width);
	}
	tbuf_release(&b);
}

/* --- columns and rows --------------------------------------------------------------- */

static void test_cols(void **state)
{
	(void)state;
	static const size_t widths[] = {40, 60, 80, 100, 109, 110, 132, 200, 300};
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		struct view_cols c;
		view_cols_compute(&c, widths[i]);
		size_t sum = VIEW_NCOLS - 1;
		for (int k = 0; k < VIEW_NCOLS; k++)
			sum += c.w[k];
		assert_int_equal(sum, widths[i]);
		assert_int_equal(c.long_time, widths[i] >= 110);
		assert_int_equal(c.w[VIEW_COL_TIME], widths[i] >= 110 ? 19 : 11);
		assert_int_equal(c.w[VIEW_COL_SIZE], 5);
		assert_true(c.w[VIEW_COL_SENDER] >= 3);
	}
	/* 80 columns, by hand: 11 + 9 + 15 + 17 + 18 + 5 + 5 blanks */
	struct view_cols c;
	view_cols_compute(&c, 80);
	assert_int_equal(c.w[VIEW_COL_STATUS], 9);
	assert_int_equal(c.w[VIEW_COL_SENDER], 15);
	assert_int_equal(c.w[VIEW_COL_RCPT], 17);
	assert_int_equal(c.w[VIEW_COL_SUBJECT], 18);
}

struct row_case {
	struct view_row r;
	size_t width;
	const char *want;
};

static void test_rows(void **state)
{
	(void)state;
	static const struct row_case cases[] = {
		/* postfix/pixelpark_postfix-logsums_test_mail.log.curated.log,
		 * 2023-03-14T12:46:12.057116+01:00 (11:46:12 UTC), amavis line:
		 * <international@return.mdm.de> -> <user02.test@uhu-banane.eu>,
		 * size: 148201, Subject "Eine numismatische Reise ..." (2 more
		 * recipients and the status are made up for the +N test) */
		{{INT64_C(1678794372057116), OUT_BOUNCED, S("international@return.mdm.de"),
		  S("user02.test@uhu-banane.eu"), 3,
		  S("Eine numismatische Reise um die Erde \xf0\x9f\x8c\x8e"), 148201},
		 80,
		 "03-14 11:46 bounced   international@\xe2\x80\xa6 user02.test@u\xe2\x80\xa6 +2 "
		 "Eine numismatisch\xe2\x80\xa6  145K"},
		/* same file, 2023-03-15T06:27:22 (05:27:22 UTC): root -> root,
		 * size 227356, "Logwatch for helga (Linux)" with an injected CSI */
		{{INT64_C(1678858042101427), OUT_DELIVERED, S("root@mail.uhu-banane.de"),
		  S("root@mail.uhu-banane.de"), 1, S("\x1b[2JLogwatch for helga (Linux)"), 227356},
		 80,
		 "03-15 05:27 delivered root@mail.uhu-\xe2\x80\xa6 root@mail.uhu-ba\xe2\x80\xa6 "
		 "\\x1b[2JLogwatch f\xe2\x80\xa6  222K"},
		/* exim/exim-testsuite_curated.log 1999-03-02 09:44:33, 10HmaX => usery@test.ex,
		 * F=<他们为什么不说中文@hebrew...>: wide characters cut on a column */
		{{INT64_C(920367873000000), OUT_DELIVERED,
		  S("\xe4\xbb\x96\xe4\xbb\xac\xe4\xb8\xba\xe4\xbb\x80\xe4\xb9\x88\xe4\xb8\x8d\xe8\xaf"
		    "\xb4\xe4\xb8\xad\xe6\x96\x87@hebrew.com"),
		  S("usery@test.ex"), 1, NULL, 0, -1},
		 80,
		 "03-02 09:44 delivered \xe4\xbb\x96\xe4\xbb\xac\xe4\xb8\xba\xe4\xbb\x80\xe4\xb9\x88"
		 "\xe4\xb8\x8d\xe8\xaf\xb4\xe2\x80\xa6 usery@test.ex" B4 B1 B18 B1 B5},
		/* a rejected attempt with no sender and no recipient (postfix NOQUEUE) */
		{{INT64_C(1678794372000000), OUT_REJECTED, NULL, 0, NULL, 0, 0, NULL, 0, -1},
		 80,
		 "03-14 11:46 rejected  -" B14 B1 "-" B16 B1 B18 B1 B5},
		/* 120 columns: long time form; sender 24, recipient 28, subject 30 */
		{{INT64_C(1678794372057116), OUT_DEFERRED, S("international@return.mdm.de"),
		  S("user02.test@uhu-banane.eu"), 1, S("Eine numismatische Reise"), 999},
		 120,
		 "2023-03-14 11:46:12 deferred  international@return.md\xe2\x80\xa6" B1
		 "user02.test@uhu-banane.eu" B3 B1 "Eine numismatische Reise" B6 B1 "  999"},
	};
	struct tbuf out = TBUF_INIT, tmp = TBUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct view_cols c;
		struct view_span sp[VIEW_NCOLS];
		view_cols_compute(&c, cases[i].width);
		view_format_row(&out, &cases[i].r, &c, 0, sp, &tmp);
		assert_string_equal(tbuf_str(&out), cases[i].want);
		assert_int_equal(cols_of(tbuf_str(&out)), (int)cases[i].width);
		assert_true(no_control_bytes(out.data, out.len));
		/* spans are in order, separated by one blank, and cover the row */
		assert_int_equal(sp[0].off, 0);
		for (int k = 1; k < VIEW_NCOLS; k++)
			assert_int_equal(sp[k].off, sp[k - 1].off + sp[k - 1].len + 1);
		assert_int_equal(sp[VIEW_NCOLS - 1].off + sp[VIEW_NCOLS - 1].len, out.len);
		assert_memory_equal(out.data + sp[VIEW_COL_STATUS].off,
				    outcome_name((enum outcome)cases[i].r.status),
				    strlen(outcome_name((enum outcome)cases[i].r.status)));
	}
	/* ASCII terminal: the wide sender becomes '?' per character */
	struct view_cols c;
	view_cols_compute(&c, 80);
	view_format_row(&out, &cases[2].r, &c, 1, NULL, &tmp);
	assert_string_equal(tbuf_str(&out),
			    "03-02 09:44 delivered ?????????@hebr~ usery@test.ex" B4 B1 B18 B1 B5);
	for (size_t k = 0; k < out.len; k++)
		assert_true((unsigned char)out.data[k] < 0x80);
	view_format_header(&out, &c, 0);
	assert_string_equal(tbuf_str(&out), "Time" B7 B1 "Status" B3 B1 "Sender" B9 B1 "Recipient" B8 B1
					    "Subject" B11 B1 " Size");
	tbuf_release(&out);
	tbuf_release(&tmp);
}

static void test_numbers(void **state)
{
	(void)state;
	static const struct {
		int64_t v;
		const char *want;
	} sizes[] = {
		{-1, ""},        {0, "0"},           {999, "999"},       {1000, "1.0K"},
		{2310, "2.3K"},  {10189, "10K"},     {148201, "145K"},   {1023487, "999K"},
		{1048064, "1.0M"}, {52428800, "50M"}, {INT64_C(5368709120), "5.0G"},
	};
	char buf[32];
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		view_size(sizes[i].v, buf);
		assert_string_equal(buf, sizes[i].want);
		assert_true(strlen(buf) <= 5);
	}
	view_bytes(512, buf);
	assert_string_equal(buf, "512 B");
	view_bytes(123456789, buf);
	assert_string_equal(buf, "123.5 MB");
	view_bytes(UINT64_C(1073741824), buf);
	assert_string_equal(buf, "1.1 GB");
	view_count(0, buf);
	assert_string_equal(buf, "0");
	view_count(999, buf);
	assert_string_equal(buf, "999");
	view_count(1234567, buf);
	assert_string_equal(buf, "1,234,567");
	view_duration(-1, buf);
	assert_string_equal(buf, "--:--");
	view_duration(7, buf);
	assert_string_equal(buf, "0:07");
	view_duration(754, buf);
	assert_string_equal(buf, "12:34");
	view_duration(3723, buf);
	assert_string_equal(buf, "1:02:03");
	view_time(INT64_MIN, 0, buf);
	assert_string_equal(buf, "-");
	/* 1 µs before the epoch is 23:59:59 of the day before, not 00:00 */
	view_time(-1, 1, buf);
	assert_string_equal(buf, "1969-12-31 23:59:59");
}

/* --- scrolling ------------------------------------------------------------------------ */

struct scroll_case {
	const char *what;
	size_t n, rows, top, cur;
	char op;   /* f fix, m move, p page, w wheel */
	long arg;
	size_t want_top, want_cur;
};

static void test_scroll(void **state)
{
	(void)state;
	static const struct scroll_case cases[] = {
		{"empty list", 0, 19, 5, 7, 'f', 0, 0, 0},
		{"cursor past end", 10, 19, 0, 15, 'f', 0, 0, 9},
		{"cursor below window", 100, 19, 0, 30, 'f', 0, 12, 30},
		{"cursor above window", 100, 19, 50, 10, 'f', 0, 10, 10},
		{"window past the end", 100, 19, 95, 99, 'f', 0, 81, 99},
		{"short list never scrolls", 5, 19, 3, 4, 'f', 0, 0, 4},
		{"down one", 100, 19, 0, 18, 'm', 1, 1, 19},
		{"up at top", 100, 19, 0, 0, 'm', -1, 0, 0},
		{"down at end", 100, 19, 81, 99, 'm', 1, 81, 99},
		{"huge jump down", 100, 19, 0, 0, 'm', 1000000, 81, 99},
		{"huge jump up", 100, 19, 81, 99, 'm', -1000000, 0, 0},
		{"page down", 100, 19, 0, 3, 'p', 1, 18, 21},
		{"page down at end", 100, 19, 81, 90, 'p', 1, 81, 99},
		{"page up", 100, 19, 40, 45, 'p', -1, 22, 27},
		{"page up at top", 100, 19, 5, 10, 'p', -1, 0, 0},
		{"page on a short list", 5, 19, 0, 0, 'p', 1, 0, 4},
		{"wheel down drags the cursor", 100, 19, 0, 0, 'w', 3, 3, 3},
		{"wheel up drags the cursor", 100, 19, 30, 48, 'w', -3, 27, 45},
		{"wheel at the end", 100, 19, 81, 90, 'w', 3, 81, 90},
		{"one row window", 100, 1, 0, 0, 'm', 5, 5, 5},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct scroll_case *c = &cases[i];
		struct view_scroll s = {c->top, c->cur};
		switch (c->op) {
		case 'f':
			view_scroll_fix(&s, c->n, c->rows);
			break;
		case 'm':
			view_scroll_move(&s, c->n, c->rows, c->arg);
			break;
		case 'p':
			view_scroll_page(&s, c->n, c->rows, (int)c->arg);
			break;
		case 'w':
			view_scroll_wheel(&s, c->n, c->rows, c->arg);
			break;
		}
		if (s.top != c->want_top || s.cur != c->want_cur)
			fail_msg("%s: top %zu cur %zu, want %zu %zu", c->what, s.top, s.cur,
				 c->want_top, c->want_cur);
		/* invariant: the cursor is visible */
		if (c->n)
			assert_true(s.cur >= s.top && s.cur < s.top + (c->rows ? c->rows : 1));
	}
	assert_int_equal(view_scroll_top_clamp(-5, 100, 20), 0);
	assert_int_equal(view_scroll_top_clamp(50, 100, 20), 50);
	assert_int_equal(view_scroll_top_clamp(95, 100, 20), 80);
	assert_int_equal(view_scroll_top_clamp(3, 10, 20), 0);
}

/* --- progress line ---------------------------------------------------------------------- */

static void test_progress(void **state)
{
	(void)state;
	struct tbuf b = TBUF_INIT;
	/* 45% of 1 GB after 10 s: 45 MB/s, 12 s left */
	view_progress(&b, 80, 450000000, 1000000000, 3, 10, 10000000);
	assert_string_equal(tbuf_str(&b), "Loading [#####.......]   45%  3/10 files  450.0 MB / "
					  "1.0 GB  45.0 MB/s  ETA 0:12");
	assert_int_equal(cols_of(tbuf_str(&b)), 80);
	/* just started: no rate or ETA yet */
	view_progress(&b, 80, 0, 5000, 0, 2, 1000);
	assert_string_equal(tbuf_str(&b), "Loading [" "......................................."
					  "]    0%  0/2 files  0 B / 5.0 KB");
	/* narrow: ETA, rate and bytes give way to a bar of at least 10 */
	view_progress(&b, 40, 450000000, 1000000000, 3, 10, 10000000);
	assert_string_equal(tbuf_str(&b), "Loading [#####.......]   45%  3/10 files");
	for (size_t w = 1; w < 120; w++) {
		view_progress(&b, w, 7, 9, 1, 1, 5000000);
		assert_true(cols_of(tbuf_str(&b)) <= (int)w);
	}
	/* done > total (a growing file) stays at 100% */
	view_progress(&b, 60, 12000, 10000, 1, 1, 1000000);
	assert_non_null(strstr(tbuf_str(&b), "100%"));
	tbuf_release(&b);
}

/* --- wrapping and indents ------------------------------------------------------------------ */

static void test_wrap(void **state)
{
	(void)state;
	/* exim/gvengel_exim_exporter_mainlog.log, 2020-06-19 10:32:57 ** line */
	const char *reply = "SMTP error from remote mail server after end of data: 554 5.2.0 "
			    "mKr3jsd25ZIfXmKr4jFD2w Recipient Mailbox Full [504]";
	size_t n = strlen(reply);
	static const char *const want[] = {
		"SMTP error from remote mail server after ",
		"end of data: 554 5.2.0 ",
		"mKr3jsd25ZIfXmKr4jFD2w Recipient Mailbox ",
		"Full [504]",
	};
	const char *s = reply;
	size_t k = 0;
	while (n) {
		size_t step = view_wrap(s, n, 42);
		assert_true(k < 4);
		assert_int_equal(step, strlen(want[k]));
		assert_memory_equal(s, want[k], step);
		s += step;
		n -= step;
		k++;
	}
	assert_int_equal(k, 4);
	/* no blank past a third of the row: hard cut at the width */
	assert_int_equal(view_wrap(S("ab cdefghijklmnopqrstuvwxyz"), 10), 10);
	/* wide characters are never split; one wider than the row still moves on */
	assert_int_equal(view_wrap(S("\xe3\x81\xaa\xe3\x81\x9c\xe3\x81\xbf"), 5), 6);
	assert_int_equal(view_wrap(S("\xe3\x81\xaa\xe3\x81\x9c"), 1), 3);
	assert_int_equal(view_wrap("", 0, 10), 0);
	assert_int_equal(view_wrap(S("short"), 10), 5);

	assert_int_equal(view_hanging_indent(S("  Esc, q           back to the previous screen"), 76),
			 19);
	assert_int_equal(view_hanging_indent(S("  f                filter form: dates"), 76), 19);
	assert_int_equal(view_hanging_indent(S("logs-sample/exim/mainlog (exim): 17 lines"), 76), 2);
	assert_int_equal(view_hanging_indent(S("   delimiter ';', 10 columns"), 76), 5);
	/* a second column too far right does not count */
	assert_int_equal(view_hanging_indent(S("  a-very-long-key-name-that-goes-on-and-on-and-on  x"),
					     40),
			 4);
}

/* --- search in displayed text -------------------------------------------------------------- */

static void test_matcher(void **state)
{
	(void)state;
	struct view_matcher m;
	memset(&m, 0, sizeof m);
	size_t a = 0, b = 0;
	/* postfix/forum-thread-2011_bounce-chain-dovecot-deliver.log, Jun 7 14:08:43 */
	const char *row = "to=<fakeuser@test.net>, orig_to=<fakeuser@localhost>, dsn=5.7.1";
	assert_int_equal(view_matcher_set(&m, "FAKEUSER", 0), 0);
	assert_true(view_matcher_active(&m));
	assert_int_equal(view_matcher_find(&m, row, strlen(row), 0, &a, &b), 1);
	assert_int_equal(a, 4);
	assert_int_equal(b, 12);
	assert_int_equal(view_matcher_find(&m, row, strlen(row), 5, &a, &b), 1);
	assert_int_equal(a, 33);
	assert_int_equal(view_matcher_find(&m, row, strlen(row), 34, &a, &b), 0);
	assert_int_equal(view_matcher_set(&m, "dsn=5\\.7\\.[0-9]", 1), 0);
	assert_int_equal(view_matcher_find(&m, row, strlen(row), 0, &a, &b), 1);
	assert_int_equal(a, strlen(row) - 9);
	assert_int_equal(b, strlen(row));
	assert_int_equal(view_matcher_set(&m, "([unclosed", 1), -1);
	assert_false(view_matcher_active(&m));
	assert_int_equal(view_matcher_find(&m, row, strlen(row), 0, &a, &b), 0);
	assert_int_equal(view_matcher_set(&m, "", 0), 0);
	assert_false(view_matcher_active(&m));
	/* an empty regex match is not a match */
	assert_int_equal(view_matcher_set(&m, "x*", 1), 0);
	assert_int_equal(view_matcher_find(&m, S("abc"), 0, &a, &b), 0);
	view_matcher_clear(&m);
}

/* --- the line editor --------------------------------------------------------------------- */

static void test_edit(void **state)
{
	(void)state;
	struct view_edit e;
	view_edit_set(&e, "anna@");
	assert_int_equal(e.len, 5);
	assert_int_equal(e.cur, 5);
	/* typing "ł" (2 bytes) then backspace removes the whole character */
	assert_int_equal(view_edit_insert(&e, S("\xc5\x82")), 0);
	assert_string_equal(e.buf, "anna@\xc5\x82");
	view_edit_backspace(&e);
	assert_string_equal(e.buf, "anna@");
	/* control characters and invalid UTF-8 are refused */
	assert_int_equal(view_edit_insert(&e, S("\x1b")), -1);
	assert_int_equal(view_edit_insert(&e, S("\xc5")), -1);
	assert_int_equal(view_edit_insert(&e, S("\xc2\x9b")), -1);
	assert_string_equal(e.buf, "anna@");
	view_edit_home(&e);
	view_edit_right(&e);
	view_edit_insert(&e, S("X"));
	assert_string_equal(e.buf, "aXnna@");
	assert_int_equal(e.cur, 2);
	view_edit_delete(&e);
	assert_string_equal(e.buf, "aXna@");
	view_edit_kill_start(&e);
	assert_string_equal(e.buf, "na@");
	assert_int_equal(e.cur, 0);
	view_edit_set(&e, "from jan kowalski  ");
	view_edit_kill_word(&e);
	assert_string_equal(e.buf, "from jan ");
	view_edit_end(&e);
	view_edit_left(&e);
	assert_int_equal(e.cur, 8);
	/* full buffer */
	char big[VIEW_EDIT_MAX + 1];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	view_edit_set(&e, "");
	assert_int_equal(view_edit_insert(&e, big, VIEW_EDIT_MAX - 1), 0);
	assert_int_equal(view_edit_insert(&e, S("b")), -1);
	assert_int_equal(e.len, VIEW_EDIT_MAX - 1);
	/* window: cursor at the end of 30 characters in 10 columns */
	view_edit_set(&e, "abcdefghijklmnopqrstuvwxyz0123");
	size_t start, col;
	size_t vis = view_edit_window(&e, 10, &start, &col);
	assert_int_equal(start, 21);
	assert_int_equal(col, 9);
	assert_int_equal(vis, 9);
	view_edit_home(&e);
	vis = view_edit_window(&e, 10, &start, &col);
	assert_int_equal(start, 0);
	assert_int_equal(col, 0);
	assert_int_equal(vis, 10);
	/* wide characters: 2 columns each */
	view_edit_set(&e, "\xe3\x81\xaa\xe3\x81\x9c\xe3\x81\xbf\xe3\x82\x93");
	vis = view_edit_window(&e, 5, &start, &col);
	assert_int_equal(start, 6);
	assert_int_equal(col, 4);
	assert_int_equal(vis, 6);
}

/* --- key bar, filter line, file name, sort ------------------------------------------------ */

static void test_keybar(void **state)
{
	(void)state;
	const struct view_key keys[] = {
		{"F1", "Help", 1}, {"/", "Search", 2}, {"Enter", "Trace", 3}, {"q", "Quit", 4},
	};
	size_t x[4], w[4];
	assert_int_equal(view_keybar_layout(keys, 4, 80, x, w), 4);
	assert_int_equal(x[0], 0);
	assert_int_equal(w[0], 7);
	assert_int_equal(x[1], 8);
	assert_int_equal(w[1], 8);
	assert_int_equal(x[2], 17);
	assert_int_equal(w[2], 11);
	assert_int_equal(x[3], 29);
	/* 24 columns: "Enter Trace" does not fit, "q Quit" still does */
	assert_int_equal(view_keybar_layout(keys, 4, 24, x, w), 3);
	assert_int_equal(x[2], SIZE_MAX);
	assert_int_equal(w[2], 0);
	assert_int_equal(x[3], 17);
	assert_int_equal(view_keybar_layout(keys, 4, 3, x, w), 0);
}

static void test_filter_summary(void **state)
{
	(void)state;
	struct tbuf b = TBUF_INIT;
	struct query_spec s;
	memset(&s, 0, sizeof s);
	view_filter_summary(&b, &s, 0);
	assert_string_equal(tbuf_str(&b), "");
	/* postfix/forum-thread-2011_bounce-chain-dovecot-deliver.log: the
	 * recipient and status of the Jun 7 14:08:43 bounce */
	s.to = "fakeuser@test.net";
	s.status = "bounced";
	s.text = "Unable to relay\x1b[0m";
	s.since = "2026-11-20";
	s.regex = 1;
	view_filter_summary(&b, &s, 0);
	assert_string_equal(tbuf_str(&b), "search=Unable to relay\\x1b[0m  since=2026-11-20  "
					  "to=fakeuser@test.net  status=bounced  (regex)");
	tbuf_release(&b);
	char name[128];
	view_trace_filename("4PbC4x469Jz3tBr", name, sizeof name);
	assert_string_equal(name, "mailtrail-trace-4PbC4x469Jz3tBr.txt");
	view_trace_filename("../../etc/passwd", name, sizeof name);
	assert_string_equal(name, "mailtrail-trace-.._.._etc_passwd.txt");
	view_trace_filename("", name, sizeof name);
	assert_string_equal(name, "mailtrail-trace-message.txt");
	view_trace_filename("a b\x1b", name, sizeof name);
	assert_string_equal(name, "mailtrail-trace-a_b_.txt");
}

static void test_radix(void **state)
{
	(void)state;
	enum { N = 5000 };
	uint32_t *ids = malloc(N * sizeof *ids), *tids = malloc(N * sizeof *tids);
	uint64_t *keys = malloc(N * sizeof *keys), *tkeys = malloc(N * sizeof *tkeys);
	uint32_t *ref = malloc(N * sizeof *ref);
	uint64_t *refk = malloc(N * sizeof *refk);
	assert_true(ids && tids && keys && tkeys && ref && refk);
	uint64_t x = 88172645463325252ull;
	static const unsigned bits[] = {8, 32, 64};
	for (size_t round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < N; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			ids[i] = i;
			/* few distinct keys, so stability is visible */
			keys[i] = round == 0 ? x % 7 : round == 1 ? x % 100000 : x;
			if (round == 2 && i % 3 == 0)
				keys[i] = view_time_key(-(int64_t)(x % 1000));
			ref[i] = i;
			refk[i] = keys[i];
		}
		/* reference: stable insertion sort */
		for (size_t i = 1; i < N; i++) {
			uint32_t v = ref[i];
			uint64_t k = refk[i];
			size_t j = i;
			while (j > 0 && refk[j - 1] > k) {
				ref[j] = ref[j - 1];
				refk[j] = refk[j - 1];
				j--;
			}
			ref[j] = v;
			refk[j] = k;
		}
		view_radix_sort(ids, keys, N, bits[round], tids, tkeys);
		assert_memory_equal(ids, ref, N * sizeof *ids);
		assert_memory_equal(keys, refk, N * sizeof *keys);
	}
	/* sender order: ASCII case folded, bytes >= 0x80 unsigned, prefix first;
	 * senders from postfix/forum-thread-2011_bounce-chain-dovecot-deliver.log */
	assert_true(view_cmp_ci(S("Fakeuser@test.net"), S("fakeuser@test.net")) == 0);
	assert_true(view_cmp_ci(S("fakeuser@localhost"), S("fakeuser@test.net")) < 0);
	assert_true(view_cmp_ci(S("root"), S("root@newmail.test.net")) < 0);
	assert_true(view_cmp_ci(S("zz"), S("\xc5\x82ukasz")) < 0);
	assert_true(view_cmp_ci(S("B"), S("a")) > 0);
	assert_true(view_prefix_key(S("Fakeuser@test.net")) == view_prefix_key(S("fakeuser@x")));
	assert_true(view_prefix_key(S("ab")) < view_prefix_key(S("abc")));
	assert_true(view_prefix_key(S("ABD")) > view_prefix_key(S("abc")));
	assert_true(view_prefix_key("", 0) == 0);
	assert_true(view_prefix_key(S("a")) == UINT64_C(0x6100000000000000));
	/* signed time order */
	assert_true(view_time_key(-1) < view_time_key(0));
	assert_true(view_time_key(INT64_MIN) < view_time_key(INT64_MAX));
	/* already sorted input is left alone (and scratch untouched) */
	for (uint32_t i = 0; i < N; i++) {
		ids[i] = N - i;
		keys[i] = i / 2;
		tids[i] = 0xdeadbeef;
	}
	view_radix_sort(ids, keys, N, 64, tids, tkeys);
	assert_int_equal(ids[0], N);
	assert_int_equal(tids[0], 0xdeadbeef);
	free(ids);
	free(tids);
	free(keys);
	free(tkeys);
	free(ref);
	free(refk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),   cmocka_unit_test(test_cell),
		cmocka_unit_test(test_cols),     cmocka_unit_test(test_rows),
		cmocka_unit_test(test_numbers),  cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_progress), cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_matcher),  cmocka_unit_test(test_edit),
		cmocka_unit_test(test_keybar),   cmocka_unit_test(test_filter_summary),
		cmocka_unit_test(test_radix),
	};
	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
