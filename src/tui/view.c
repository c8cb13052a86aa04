/*
 * view.c - the curses-free view logic of the TUI (see view.h).
 *
 * Key design decision: rows are built as finished, escaped, width-exact
 * text in reusable buffers; widths are always display columns measured by
 * textsafe_width()/textsafe_fit(), so wide East Asian characters,
 * combining marks and escapes line up in the same columns the terminal
 * uses.  No function here allocates per row or keeps global state.
 */
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "event.h"
#include "i18n.h"
#include "textsafe.h"
#include "view.h"
#include "xalloc.h"

#define ELLIPSIS_UTF8 "\xe2\x80\xa6"

/* --- escaping and cells ---------------------------------------------------- */

void view_escape(struct tbuf *out, const char *s, size_t n, int ascii)
{
	size_t i = 0;
	if (!s)
		return;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			/* runs of printable ASCII are the common case */
			size_t j = i + 1;
			while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7f)
				j++;
			tbuf_putn(out, s + i, j - i);
			i = j;
			continue;
		}
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		size_t take = len < 0 ? 1 : (size_t)len;
		char esc[4 * TEXTSAFE_MAX_EXPANSION + 1];
		size_t k = textsafe_escape(s + i, take, esc, sizeof esc);
		if (len < 0 || k != take || memcmp(esc, s + i, take) != 0) {
			/* textsafe turned it into a visible escape: plain ASCII */
			tbuf_putn(out, esc, k);
		} else if (ascii) {
			tbuf_putc(out, '?');
		} else if (wcwidth((wchar_t)cp) < 0) {
			/* unknown to the terminal's width table: its width
			 * would be a guess, so show a replacement mark */
			tbuf_puts(out, "\xef\xbf\xbd");
		} else {
			tbuf_putn(out, s + i, take);
		}
		i += take;
	}
}

static void pad(struct tbuf *out, size_t n)
{
	while (n--)
		tbuf_putc(out, ' ');
}

size_t view_cell(struct tbuf *out, const char *s, size_t n, size_t width, int right, int ascii)
{
	size_t start = out->len;
	size_t w = textsafe_width(s, n);
	if (w <= width) {
		if (right)
			pad(out, width - w);
		tbuf_putn(out, s, n);
		if (!right)
			pad(out, width - w);
		return out->len - start;
	}
	if (width == 0)
		return 0;
	size_t used = 0;
	size_t fit = textsafe_fit(s, n, width - 1, &used);
	tbuf_putn(out, s, fit);
	tbuf_puts(out, ascii ? "~" : ELLIPSIS_UTF8);
	/* a wide character that did not fit leaves one column over */
	pad(out, width - 1 - used);
	return out->len - start;
}

/* --- the list row -------------------------------------------------------------- */

const char *view_status_word(int status)
{
	switch (status) {
	case OUT_QUEUED:
		return _("queued");
	case OUT_DELIVERED:
		return _("delivered");
	case OUT_DEFERRED:
		return _("deferred");
	case OUT_BOUNCED:
		return _("bounced");
	case OUT_EXPIRED:
		return _("expired");
	case OUT_REJECTED:
		return _("rejected");
	case OUT_PARTIAL:
		return _("partial");
	default:
		return "";
	}
}

static size_t status_width(void)
{
	size_t w = 6;
	for (int o = OUT_QUEUED; o < OUT__COUNT; o++) {
		const char *s = view_status_word(o);
		size_t x = textsafe_width(s, strlen(s));
		if (x > w)
			w = x;
	}
	return w > 12 ? 12 : w;
}

void view_cols_compute(struct view_cols *c, size_t width)
{
	memset(c, 0, sizeof *c);
	c->width = width;
	c->long_time = width >= 110;
	c->w[VIEW_COL_TIME] = c->long_time ? 19 : 11;
	c->w[VIEW_COL_STATUS] = status_width();
	c->w[VIEW_COL_SIZE] = 5;
	size_t fixed = c->w[VIEW_COL_TIME] + c->w[VIEW_COL_STATUS] + c->w[VIEW_COL_SIZE] +
		       (VIEW_NCOLS - 1);
	size_t flex = width > fixed + 9 ? width - fixed : 9;
	size_t snd = flex * 30 / 100, rcp = flex * 35 / 100;
	/* on very wide screens the subject gets the room */
	if (snd > 40)
		snd = 40;
	if (rcp > 44)
		rcp = 44;
	c->w[VIEW_COL_SENDER] = snd;
	c->w[VIEW_COL_RCPT] = rcp;
	c->w[VIEW_COL_SUBJECT] = flex - snd - rcp;
}

void view_time(int64_t us, int long_form, char buf[32])
{
	if (us == INT64_MIN || us == INT64_MAX) {
		strcpy(buf, "-");
		return;
	}
	/* floor division: times before 1970 must not round up */
	int64_t secs = us / 1000000;
	if (us % 1000000 < 0)
		secs--;
	time_t t = (time_t)secs;
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		strcpy(buf, "-");
		return;
	}
	if (!strftime(buf, 32, long_form ? "%Y-%m-%d %H:%M:%S" : "%m-%d %H:%M", &tm))
		strcpy(buf, "-");
}

void view_size(int64_t b, char buf[16])
{
	static const char units[] = "KMGTP";
	if (b < 0) {
		buf[0] = '\0';
		return;
	}
	if (b < 1000) {
		snprintf(buf, 16, "%d", (int)b);
		return;
	}
	uint64_t v = (uint64_t)b;
	for (int u = 0; units[u]; u++) {
		uint64_t tenths = (v * 10 + 512) / 1024;
		if (tenths < 100) {
			snprintf(buf, 16, "%u.%u%c", (unsigned)(tenths / 10), (unsigned)(tenths % 10),
				 units[u]);
			return;
		}
		uint64_t whole = (v + 512) / 1024;
		if (whole < 1000) {
			snprintf(buf, 16, "%u%c", (unsigned)whole, units[u]);
			return;
		}
		v /= 1024;
	}
	strcpy(buf, "huge");
}

void view_bytes(uint64_t b, char buf[32])
{
	static const char *const units[] = {"KB", "MB", "GB", "TB", "PB"};
	if (b < 1000) {
		snprintf(buf, 32, "%u B", (unsigned)b);
		return;
	}
	uint64_t div = 1000;
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++, div *= 1000) {
		uint64_t tenths = (b * 10 + div / 2) / div;
		if (b > UINT64_MAX / 10)
			tenths = (b / div) * 10;
		if (tenths < 10000 || u + 1 == sizeof units / sizeof units[0]) {
			snprintf(buf, 32, "%llu.%u %s", (unsigned long long)(tenths / 10),
				 (unsigned)(tenths % 10), units[u]);
			return;
		}
	}
}

void view_count(uint64_t n, char buf[32])
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)n);
	size_t o = 0;
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
}

static void cell_raw(struct tbuf *out, struct tbuf *tmp, const char *s, size_t n, size_t width,
		     int ascii, const char *absent)
{
	tbuf_reset(tmp);
	if (s && n)
		view_escape(tmp, s, n, ascii);
	else
		tbuf_puts(tmp, absent);
	view_cell(out, tbuf_str(tmp), tmp->len, width, 0, ascii);
}

void view_format_row(struct tbuf *out, const struct view_row *r, const struct view_cols *c,
		     int ascii, struct view_span spans[VIEW_NCOLS], struct tbuf *tmp)
{
	char buf[32];
	tbuf_reset(out);
	for (int col = 0; col < VIEW_NCOLS; col++) {
		if (col)
			tbuf_putc(out, ' ');
		size_t start = out->len;
		size_t w = c->w[col];
		switch (col) {
		case VIEW_COL_TIME:
			view_time(r->ts_us, c->long_time, buf);
			view_cell(out, buf, strlen(buf), w, 0, ascii);
			break;
		case VIEW_COL_STATUS: {
			const char *word = view_status_word(r->status);
			cell_raw(out, tmp, word, strlen(word), w, ascii, "");
			break;
		}
		case VIEW_COL_SENDER:
			cell_raw(out, tmp, r->sender, r->sender_len, w, ascii, "-");
			break;
		case VIEW_COL_RCPT: {
			char more[24] = "";
			if (r->nrcpt > 1)
				snprintf(more, sizeof more, " +%u", r->nrcpt - 1);
			size_t mw = strlen(more);
			if (mw >= w)
				mw = 0, more[0] = '\0';
			/* the "+N" must survive a cut: the address gives way */
			size_t before = out->len;
			cell_raw(out, tmp, r->rcpt, r->rcpt_len, w - mw, ascii, "-");
			if (mw) {
				/* move the padding after the "+N" */
				size_t end = out->len;
				while (end > before && out->data[end - 1] == ' ')
					end--;
				size_t blanks = out->len - end;
				out->len = end;
				out->data[end] = '\0';
				tbuf_puts(out, more);
				pad(out, blanks);
			}
			break;
		}
		case VIEW_COL_SUBJECT:
			cell_raw(out, tmp, r->subject, r->subject_len, w, ascii, "");
			break;
		case VIEW_COL_SIZE:
			view_size(r->size, buf);
			view_cell(out, buf, strlen(buf), w, 1, ascii);
			break;
		}
		if (spans) {
			spans[col].off = start;
			spans[col].len = out->len - start;
		}
	}
}

void view_format_header(struct tbuf *out, const struct view_cols *c, int ascii)
{
	const char *titles[VIEW_NCOLS] = {_("Time"),      _("Status"),  _("Sender"),
					  _("Recipient"), _("Subject"), _("Size")};
	tbuf_reset(out);
	for (int col = 0; col < VIEW_NCOLS; col++) {
		if (col)
			tbuf_putc(out, ' ');
		view_cell(out, titles[col], strlen(titles[col]), c->w[col], col == VIEW_COL_SIZE,
			  ascii);
	}
}

/* --- scrolling ------------------------------------------------------------------- */

void view_scroll_fix(struct view_scroll *s, size_t n, size_t rows)
{
	if (n == 0) {
		s->top = s->cur = 0;
		return;
	}
	if (s->cur >= n)
		s->cur = n - 1;
	if (rows == 0) {
		s->top = s->cur;
		return;
	}
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + rows)
		s->top = s->cur - rows + 1;
	size_t maxtop = n > rows ? n - rows : 0;
	if (s->top > maxtop)
		s->top = maxtop;
}

static size_t add_clamped(size_t v, long delta, size_t n)
{
	if (n == 0)
		return 0;
	if (delta < 0) {
		size_t d = (size_t)(-(delta + 1)) + 1;
		return d > v ? 0 : v - d;
	}
	size_t d = (size_t)delta;
	return d >= n - 1 - (v < n ? v : n - 1) ? n - 1 : v + d;
}

void view_scroll_move(struct view_scroll *s, size_t n, size_t rows, long delta)
{
	s->cur = add_clamped(s->cur, delta, n);
	view_scroll_fix(s, n, rows);
}

void view_scroll_page(struct view_scroll *s, size_t n, size_t rows, int dir)
{
	long step = rows > 1 ? (long)rows - 1 : 1;
	if (dir < 0)
		step = -step;
	size_t maxtop = n > rows ? n - rows : 0;
	s->top = add_clamped(s->top, step, maxtop + 1);
	s->cur = add_clamped(s->cur, step, n);
	view_scroll_fix(s, n, rows);
}

void view_scroll_wheel(struct view_scroll *s, size_t n, size_t rows, long delta)
{
	size_t maxtop = n > rows ? n - rows : 0;
	s->top = add_clamped(s->top, delta, maxtop + 1);
	if (n == 0) {
		s->cur = 0;
		return;
	}
	if (s->cur < s->top)
		s->cur = s->top;
	if (rows && s->cur >= s->top + rows)
		s->cur = s->top + rows - 1;
	if (s->cur >= n)
		s->cur = n - 1;
}

size_t view_scroll_top_clamp(long top, size_t n, size_t rows)
{
	size_t maxtop = n > rows ? n - rows : 0;
	if (top < 0)
		return 0;
	return (size_t)top > maxtop ? maxtop : (size_t)top;
}

/* --- progress --------------------------------------------------------------------- */

void view_duration(int64_t secs, char buf[32])
{
	if (secs < 0) {
		strcpy(buf, "--:--");
		return;
	}
	if (secs >= 3600)
		snprintf(buf, 32, "%lld:%02d:%02d", (long long)(secs / 3600), (int)(secs / 60 % 60),
			 (int)(secs % 60));
	else
		snprintf(buf, 32, "%d:%02d", (int)(secs / 60), (int)(secs % 60));
}

void view_progress(struct tbuf *out, size_t width, uint64_t done, uint64_t total,
		   unsigned files_done, unsigned files_total, int64_t elapsed_us)
{
	enum { P_PCT, P_FILES, P_BYTES, P_RATE, P_ETA, P__N };
	char part[P__N][96];
	char a[32], b[32];
	unsigned pct;
	if (total)
		pct = (unsigned)((done >= total ? total : done) * 100 / total);
	else
		pct = files_total ? files_done * 100 / files_total : 0;
	if (pct > 100)
		pct = 100;
	snprintf(part[P_PCT], sizeof part[0], "%3u%%", pct);
	/* TRANSLATORS: loading progress, "3/10 files": files read so far and
	 * all files; the second number picks the plural form */
	snprintf(part[P_FILES], sizeof part[0], P_("%u/%u file", "%u/%u files", files_total),
		 files_done, files_total);
	view_bytes(done, a);
	view_bytes(total, b);
	snprintf(part[P_BYTES], sizeof part[0], "%s / %s", a, b);
	part[P_RATE][0] = part[P_ETA][0] = '\0';
	if (elapsed_us >= 200000 && done > 0) {
		double rate = (double)done * 1e6 / (double)elapsed_us;
		view_bytes((uint64_t)rate, a);
		snprintf(part[P_RATE], sizeof part[0], "%s/s", a);
		if (total > done && rate > 0) {
			view_duration((int64_t)((double)(total - done) / rate + 0.5), a);
			snprintf(part[P_ETA], sizeof part[0], _("ETA %s"), a);
		}
	}
	const char *label = _("Loading");
	size_t nparts = P__N;
	size_t bar;
	for (;;) {
		size_t text = textsafe_width(label, strlen(label)) + 3; /* " [" "]" */
		for (size_t i = 0; i < nparts; i++)
			if (part[i][0])
				text += 2 + textsafe_width(part[i], strlen(part[i]));
		bar = width > text ? width - text : 0;
		if (bar > 40)
			bar = 40;
		if (bar >= 10 || nparts == 1)
			break;
		nparts--;
	}
	tbuf_reset(out);
	tbuf_puts(out, label);
	tbuf_puts(out, " [");
	size_t fill = bar * pct / 100;
	for (size_t i = 0; i < bar; i++)
		tbuf_putc(out, i < fill ? '#' : '.');
	tbuf_putc(out, ']');
	for (size_t i = 0; i < nparts; i++) {
		if (!part[i][0])
			continue;
		tbuf_puts(out, "  ");
		tbuf_puts(out, part[i]);
	}
	/* never longer than the line, even on a tiny screen */
	size_t used;
	size_t fit = textsafe_fit(out->data, out->len, width, &used);
	out->len = fit;
	out->data[fit] = '\0';
}

/* --- wrapping ------------------------------------------------------------------------- */

size_t view_wrap(const char *s, size_t n, size_t width)
{
	if (n == 0)
		return 0;
	size_t used;
	size_t fit = textsafe_fit(s, n, width, &used);
	if (fit >= n)
		return n;
	if (fit == 0) {
		uint32_t cp;
		int len = utf8_decode(s, n, &cp);
		return len < 0 ? 1 : (size_t)len;
	}
	for (size_t i = fit; i > 0; i--) {
		if (s[i - 1] == ' ') {
			if (textsafe_width(s, i) * 3 >= width)
				return i;
			break;
		}
	}
	return fit;
}

size_t view_hanging_indent(const char *s, size_t n, size_t width)
{
	size_t lead = 0;
	while (lead < n && s[lead] == ' ')
		lead++;
	size_t half = width / 2;
	for (size_t k = lead; k + 2 < n; k++) {
		if (textsafe_width(s, k) >= half)
			break;
		if (s[k] == ' ' && s[k + 1] == ' ') {
			size_t j = k;
			while (j < n && s[j] == ' ')
				j++;
			size_t col = textsafe_width(s, j);
			if (j < n && col < half)
				return col;
			break;
		}
	}
	return lead + 2 <= half ? lead + 2 : 0;
}

/* --- search in displayed text -------------------------------------------------------- */

static char lower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int view_matcher_set(struct view_matcher *m, const char *text, int regex)
{
	view_matcher_clear(m);
	if (!text || !*text)
		return 0;
	if (regex) {
		int ec;
		PCRE2_SIZE eo;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED,
					       PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
					       &ec, &eo, NULL);
		if (!re)
			return -1;
		m->re = re;
		m->md = pcre2_match_data_create_from_pattern(re, NULL);
	}
	size_t n = strlen(text);
	m->needle = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		m->needle[i] = lower_ascii(text[i]);
	m->needle[n] = '\0';
	m->len = n;
	return 0;
}

void view_matcher_clear(struct view_matcher *m)
{
	free(m->needle);
	if (m->md)
		pcre2_match_data_free(m->md);
	if (m->re)
		pcre2_code_free(m->re);
	memset(m, 0, sizeof *m);
}

int view_matcher_find(const struct view_matcher *m, const char *s, size_t n, size_t from,
		      size_t *start, size_t *end)
{
	if (!m->needle || from >= n)
		return 0;
	if (m->re) {
		int rc = pcre2_match(m->re, (PCRE2_SPTR)s, n, from, 0, m->md, NULL);
		if (rc < 0)
			return 0;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		if (ov[1] <= ov[0])
			return 0;
		*start = ov[0];
		*end = ov[1];
		return 1;
	}
	if (m->len == 0 || n - from < m->len)
		return 0;
	for (size_t i = from; i + m->len <= n; i++) {
		size_t k = 0;
		while (k < m->len && lower_ascii(s[i + k]) == m->needle[k])
			k++;
		if (k == m->len) {
			*start = i;
			*end = i + m->len;
			return 1;
		}
	}
	return 0;
}

/* --- the line editor -------------------------------------------------------------------- */

static int is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

void view_edit_set(struct view_edit *e, const char *s)
{
	e->len = e->cur = 0;
	e->buf[0] = '\0';
	if (s)
		view_edit_insert(e, s, strlen(s));
}

int view_edit_insert(struct view_edit *e, const char *s, size_t n)
{
	/* only printable, valid UTF-8: the buffer is shown as typed */
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len < 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return -1;
		i += (size_t)len;
	}
	if (n > sizeof e->buf - 1 - e->len)
		return -1;
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur);
	memcpy(e->buf + e->cur, s, n);
	e->len += n;
	e->cur += n;
	e->buf[e->len] = '\0';
	return 0;
}

static size_t prev_char(const struct view_edit *e, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && is_cont(e->buf[pos]))
		pos--;
	return pos;
}

static size_t next_char(const struct view_edit *e, size_t pos)
{
	if (pos >= e->len)
		return e->len;
	pos++;
	while (pos < e->len && is_cont(e->buf[pos]))
		pos++;
	return pos;
}

static void cut(struct view_edit *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to);
	e->len -= to - from;
	e->buf[e->len] = '\0';
	if (e->cur >= to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
}

void view_edit_backspace(struct view_edit *e)
{
	if (e->cur)
		cut(e, prev_char(e, e->cur), e->cur);
}

void view_edit_delete(struct view_edit *e)
{
	if (e->cur < e->len)
		cut(e, e->cur, next_char(e, e->cur));
}

void view_edit_left(struct view_edit *e)
{
	e->cur = prev_char(e, e->cur);
}

void view_edit_right(struct view_edit *e)
{
	e->cur = next_char(e, e->cur);
}

void view_edit_home(struct view_edit *e)
{
	e->cur = 0;
}

void view_edit_end(struct view_edit *e)
{
	e->cur = e->len;
}

void view_edit_kill_start(struct view_edit *e)
{
	cut(e, 0, e->cur);
}

void view_edit_kill_word(struct view_edit *e)
{
	size_t p = e->cur;
	while (p > 0 && e->buf[p - 1] == ' ')
		p--;
	while (p > 0 && e->buf[p - 1] != ' ')
		p--;
	cut(e, p, e->cur);
}

size_t view_edit_window(const struct view_edit *e, size_t width, size_t *start, size_t *cursor_col)
{
	size_t s = 0;
	if (width == 0) {
		*start = e->cur;
		*cursor_col = 0;
		return 0;
	}
	/* keep one column for the cursor after the last character */
	while (s < e->cur && textsafe_width(e->buf + s, e->cur - s) > width - 1)
		s = next_char(e, s);
	*start = s;
	*cursor_col = textsafe_width(e->buf + s, e->cur - s);
	return textsafe_fit(e->buf + s, e->len - s, width, NULL);
}

/* --- key bar -------------------------------------------------------------------------- */

size_t view_keybar_layout(const struct view_key *keys, size_t n, size_t width, size_t *x,
			  size_t *w)
{
	size_t col = 0, shown = 0;
	for (size_t i = 0; i < n; i++) {
		size_t cw = textsafe_width(keys[i].key, strlen(keys[i].key)) + 1 +
			    textsafe_width(keys[i].label, strlen(keys[i].label));
		size_t need = cw + (shown ? 1 : 0);
		if (col + need > width) {
			x[i] = SIZE_MAX;
			w[i] = 0;
			continue;
		}
		if (shown)
			col++;
		x[i] = col;
		w[i] = cw;
		col += cw;
		shown++;
	}
	return shown;
}

/* --- filter line ------------------------------------------------------------------------ */

static void summary_item(struct tbuf *out, const char *name, const char *v, int ascii)
{
	if (!v || !*v)
		return;
	if (out->len)
		tbuf_puts(out, "  ");
	tbuf_puts(out, name);
	tbuf_putc(out, '=');
	view_escape(out, v, strlen(v), ascii);
}

void view_filter_summary(struct tbuf *out, const struct query_spec *s, int ascii)
{
	tbuf_reset(out);
	summary_item(out, "search", s->text, ascii);
	summary_item(out, "since", s->since, ascii);
	summary_item(out, "until", s->until, ascii);
	summary_item(out, "from", s->from, ascii);
	summary_item(out, "to", s->to, ascii);
	summary_item(out, "ip", s->ip, ascii);
	summary_item(out, "subject", s->subject, ascii);
	summary_item(out, "msgid", s->msgid, ascii);
	summary_item(out, "status", s->status, ascii);
	summary_item(out, "account", s->account, ascii);
	if (out->len && s->regex)
		tbuf_puts(out, "  (regex)");
}

/* --- sorting ------------------------------------------------------------------------------ */

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)

void view_radix_sort(uint32_t *ids, uint64_t *keys, size_t n, unsigned key_bits,
		     uint32_t *tmp_ids, uint64_t *tmp_keys)
{
	size_t i = 1;
	while (i < n && keys[i - 1] <= keys[i])
		i++;
	if (i >= n)
		return; /* already in order: the usual case for time */
	uint32_t *src_i = ids, *dst_i = tmp_ids;
	uint64_t *src_k = keys, *dst_k = tmp_keys;
	size_t count[RADIX_SIZE];
	for (unsigned shift = 0; shift < key_bits && shift < 64; shift += RADIX_BITS) {
		memset(count, 0, sizeof count);
		for (size_t k = 0; k < n; k++)
			count[(src_k[k] >> shift) & (RADIX_SIZE - 1)]++;
		if (count[(src_k[0] >> shift) & (RADIX_SIZE - 1)] == n)
			continue;
		size_t sum = 0;
		for (size_t d = 0; d < RADIX_SIZE; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t k = 0; k < n; k++) {
			size_t d = (src_k[k] >> shift) & (RADIX_SIZE - 1);
			size_t pos = count[d]++;
			dst_i[pos] = src_i[k];
			dst_k[pos] = src_k[k];
		}
		uint32_t *ti = src_i;
		src_i = dst_i;
		dst_i = ti;
		uint64_t *tk = src_k;
		src_k = dst_k;
		dst_k = tk;
	}
	if (src_i != ids) {
		memcpy(ids, src_i, n * sizeof *ids);
		memcpy(keys, src_k, n * sizeof *keys);
	}
}

int view_cmp_ci(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)lower_ascii(a[i]);
		unsigned char y = (unsigned char)lower_ascii(b[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return an < bn ? -1 : an > bn;
}

uint64_t view_prefix_key(const char *s, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < 8; i++)
		k = k << 8 | (i < n ? (unsigned char)lower_ascii(s[i]) : 0);
	return k;
}

void view_trace_filename(const char *id, char *buf, size_t cap)
{
	char clean[65];
	size_t k = 0;
	for (const char *p = id ? id : ""; *p && k < sizeof clean - 1; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '.' || c == '-' || c == '_';
		clean[k++] = ok ? c : '_';
	}
	clean[k] = '\0';
	snprintf(buf, cap, "mailtrail-trace-%s.txt", k ? clean : "message");
}
