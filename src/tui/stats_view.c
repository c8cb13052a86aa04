/*
 * stats_view.c - the statistics screen as a document of escaped lines
 * (see stats_view.h), and the cursor / window arithmetic over it.
 *
 * Key design decision: one pass writes every line into one buffer with
 * its display class and the item (selectable table row) it belongs to;
 * column widths are decided once per table from the width, so a row is
 * never wider than the screen and the renderer only copies text.  The
 * wording reuses the msgids of the `--stats` text renderer (stats.c) so
 * both say the same thing in both languages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "explain.h"
#include "i18n.h"
#include "output.h"
#include "stats_view.h"
#include "textsafe.h"
#include "view.h"
#include "xalloc.h"

#define HOUR_US (INT64_C(3600) * 1000000)
#define MINUTE_US (INT64_C(60) * 1000000)

/* Column widths shared with the --stats text (stats.c). */
#define NUM_W 7
#define SHARE_W 9
#define SPLIT_W 8
#define AGE_W 7
#define NAME_MIN 8
#define NAME_MAX 60

struct builder {
	struct stats_view *v;
	const struct store *st;
	const struct stats *s;
	size_t w;           /* columns a line may use */
	int ascii;
	size_t line_start;  /* offset of the open line */
	size_t item;        /* open item, SIZE_MAX none */
	size_t section;
	struct tbuf tmp;
};

/* --- lines and items ------------------------------------------------------ */

static void begin(struct builder *b)
{
	b->line_start = b->v->text.len;
}

/* Close the open line: trailing blanks go (a selected row is padded to
 * the full width when drawn anyway). */
static struct stats_view_line *end(struct builder *b, int cls)
{
	struct stats_view *v = b->v;
	while (v->text.len > b->line_start && v->text.data[v->text.len - 1] == ' ')
		v->text.data[--v->text.len] = '\0';
	if (v->nlines == v->lines_cap) {
		v->lines_cap = v->lines_cap ? v->lines_cap * 2 : 128;
		v->lines = xrealloc(v->lines, v->lines_cap * sizeof *v->lines);
	}
	struct stats_view_line *l = &v->lines[v->nlines++];
	memset(l, 0, sizeof *l);
	l->off = b->line_start;
	l->len = v->text.len - b->line_start;
	l->item = b->item;
	l->cls = (uint8_t)cls;
	b->line_start = v->text.len;
	return l;
}

static void item_begin(struct builder *b, enum stats_table t, size_t row, size_t nrows)
{
	struct stats_view *v = b->v;
	if (v->nitems == v->items_cap) {
		v->items_cap = v->items_cap ? v->items_cap * 2 : 64;
		v->items = xrealloc(v->items, v->items_cap * sizeof *v->items);
	}
	struct stats_view_item *it = &v->items[v->nitems];
	it->table = t;
	it->row = row;
	it->nrows = nrows;
	it->line = v->nlines;
	it->nlines = 0;
	it->section = b->section;
	b->item = v->nitems++;
}

static void item_end(struct builder *b)
{
	struct stats_view_item *it = &b->v->items[b->item];
	it->nlines = b->v->nlines - it->line;
	b->item = SIZE_MAX;
}

static void spaces(struct builder *b, size_t n)
{
	while (n--)
		tbuf_putc(&b->v->text, ' ');
}

/* Escaped s[0..n) cut or padded to width columns. */
static void cell(struct builder *b, const char *s, size_t n, size_t width, int right)
{
	tbuf_reset(&b->tmp);
	view_escape(&b->tmp, s, n, b->ascii);
	view_cell(&b->v->text, tbuf_str(&b->tmp), b->tmp.len, width, right, b->ascii);
}

static void cell_s(struct builder *b, const char *s, size_t width, int right)
{
	cell(b, s, strlen(s), width, right);
}

static void cell_id(struct builder *b, uint32_t id, size_t width)
{
	cell(b, store_str(b->st, id), strtab_len(&b->st->strs, id), width, 0);
}

/*
 * Text s (not yet escaped) word-wrapped into lines of class cls.  The first
 * row continues the open line, which already uses `used` columns; the
 * following rows start with indent blanks.
 */
static void wrap_on(struct builder *b, const char *s, size_t n, size_t used, size_t indent,
		    int cls)
{
	struct tbuf e = TBUF_INIT;
	view_escape(&e, s, n, b->ascii);
	const char *p = tbuf_str(&e);
	size_t left = e.len;
	size_t avail = b->w > used ? b->w - used : 1;
	size_t cont = b->w > indent ? b->w - indent : 1;
	int first = 1;
	do {
		if (!first) {
			begin(b);
			spaces(b, indent);
			while (left && *p == ' ') {
				p++;
				left--;
			}
		}
		size_t k = view_wrap(p, left, first ? avail : cont);
		tbuf_putn(&b->v->text, p, k);
		end(b, cls);
		p += k;
		left -= k;
		first = 0;
	} while (left);
	tbuf_release(&e);
}

/* A paragraph of its own, every row indented. */
static void para(struct builder *b, const char *s, size_t indent, int cls)
{
	begin(b);
	spaces(b, indent);
	wrap_on(b, s, strlen(s), indent, indent, cls);
}

static void section(struct builder *b, const char *title)
{
	struct stats_view *v = b->v;
	if (v->nlines) {
		begin(b);
		end(b, SV_TEXT);
	}
	if (v->nsections < STATS_VIEW_MAX_SECTIONS) {
		b->section = v->nsections;
		v->sections[v->nsections++] = v->nlines;
	}
	para(b, title, 0, SV_SECTION);
}

/* --- the count columns (top tables and suspects) ------------------------- */

struct count_cols {
	size_t name;
	int shares;
};

static struct count_cols count_cols(size_t w)
{
	struct count_cols c;
	/* 2 + name + 2 x (1 + 7) [+ 3 x (1 + 9)] */
	size_t fixed = 2 + 2 * (1 + NUM_W);
	c.shares = w >= fixed + 3 * (1 + SHARE_W) + 16;
	if (c.shares)
		fixed += 3 * (1 + SHARE_W);
	c.name = w > fixed + NAME_MIN ? w - fixed : NAME_MIN;
	if (c.name > NAME_MAX)
		c.name = NAME_MAX;
	return c;
}

static void counts_header(struct builder *b, const struct count_cols *c, const char *name)
{
	begin(b);
	spaces(b, 2);
	cell_s(b, name, c->name, 0);
	tbuf_putc(&b->v->text, ' ');
	cell_s(b, _("msgs"), NUM_W, 1);
	tbuf_putc(&b->v->text, ' ');
	cell_s(b, _("rcpts"), NUM_W, 1);
	if (c->shares) {
		tbuf_putc(&b->v->text, ' ');
		cell_s(b, _("bounced"), SHARE_W, 1);
		tbuf_putc(&b->v->text, ' ');
		cell_s(b, _("deferred"), SHARE_W, 1);
		tbuf_putc(&b->v->text, ' ');
		cell_s(b, _("rejected"), SHARE_W, 1);
	}
	end(b, SV_HEADER);
}

static void pct(struct builder *b, uint32_t part, uint32_t whole)
{
	char buf[32];
	if (!whole)
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%.1f%%", (double)part * 100.0 / (double)whole);
	tbuf_printf(&b->v->text, " %*s", SHARE_W, buf);
}

static void counts(struct builder *b, const struct count_cols *c, const struct stats_counts *n)
{
	tbuf_printf(&b->v->text, " %*" PRIu32 " %*" PRIu32, NUM_W, n->messages, NUM_W,
		    n->recipients);
	if (c->shares) {
		pct(b, n->bounced, n->messages);
		pct(b, n->deferred, n->messages);
		pct(b, n->rejected, n->messages);
	}
}

/* --- sections -------------------------------------------------------------- */

static void sec_summary(struct builder *b)
{
	const struct stats *s = b->s;
	struct tbuf line = TBUF_INIT;
	for (int i = 0; i < STATS_SUMMARY__COUNT; i++) {
		tbuf_reset(&line);
		if (stats_summary_sentence(s, (enum stats_summary)i, &line))
			para(b, tbuf_str(&line), 2, SV_TEXT);
	}
	if (!s->nmsgs)
		para(b, _("No message to count: the filter of the message list matches nothing."),
		     2, SV_NOTE);
	tbuf_release(&line);
}

static void sec_suspects(struct builder *b)
{
	const struct stats *s = b->s;
	section(b, _("Possible spam sources (check these accounts and scripts first)"));
	char rules[400];
	stats_rules_text(rules, sizeof rules);
	if (!s->nsuspects) {
		para(b, _("None: no sender, login, IP or script matches these rules."), 2, SV_TEXT);
		para(b, rules, 2, SV_NOTE);
		return;
	}
	struct count_cols c = count_cols(b->w);
	counts_header(b, &c, _("who"));
	size_t kw = 7, ww = c.name > kw + 1 + 4 ? c.name - kw - 1 : 4;
	for (size_t i = 0; i < s->nsuspects; i++) {
		const struct stats_suspect *x = &s->suspects[i];
		item_begin(b, STATS_T_SUSPECTS, i, 1);
		begin(b);
		spaces(b, 2);
		cell_s(b, stats_kind_label(x->kind), kw, 0);
		tbuf_putc(&b->v->text, ' ');
		cell_id(b, x->who, ww);
		counts(b, &c, &x->c);
		end(b, SV_SUSPECT);
		para(b, x->reason ? x->reason : "", 4, SV_EXPLAIN);
		item_end(b);
	}
	para(b, rules, 2, SV_NOTE);
}


/* A bar of v relative to vmax in width columns. */
static void bar(struct builder *b, uint32_t v, uint32_t vmax, size_t width)
{
	stats_bar(&b->v->text, v, vmax, width, b->ascii);
}

static void sec_hours(struct builder *b)
{
	const struct stats *s = b->s;
	char title[128];
	stats_hour_title(s, title, sizeof title);
	section(b, title);
	if (!s->nhours || !s->hours) {
		para(b, _("no message has a time"), 2, SV_NOTE);
		return;
	}
	uint32_t gmax;
	begin(b);
	spaces(b, 2);
	size_t g = stats_sparkline(&b->v->text, s->hours, s->nhours, b->w > 2 ? b->w - 2 : 1,
					b->ascii, &gmax);
	end(b, SV_SPARK);
	struct tbuf legend = TBUF_INIT;
	stats_hour_legend(&legend, s, g, gmax);
	para(b, tbuf_str(&legend), 2, SV_NOTE);
	tbuf_release(&legend);

	/* bars: at most STATS_VIEW_HOUR_ROWS rows of grouped buckets; three or
	 * more empty rows in a row become one line */
	uint32_t rows[STATS_VIEW_HOUR_ROWS], rmax;
	char a[32], z[32];
	size_t rg;
	size_t nrows = stats_hour_rows(s, STATS_VIEW_HOUR_ROWS, rows, &rg, &rmax);
	/* "  2026-11-20 09:00 12345678 " then the bar */
	size_t bw = b->w > 2 + 16 + 1 + 8 + 1 + 1 ? b->w - (2 + 16 + 1 + 8 + 1) : 1;
	for (size_t r = 0; r < nrows; r++) {
		stats_time_minute(s->hour0 + (int64_t)(r * rg) * s->bucket_us, a);
		size_t run = 0;
		while (r + run < nrows && rows[r + run] == 0)
			run++;
		if (run >= 3) {
			stats_time_minute(s->hour0 + (int64_t)((r + run) * rg) * s->bucket_us, z);
			struct tbuf t = TBUF_INIT;
			tbuf_printf(&t, "%s .. %s  %s", a, z, _("no mail"));
			para(b, tbuf_str(&t), 2, SV_NOTE);
			tbuf_release(&t);
			r += run - 1;
			continue;
		}
		size_t first = r * rg;
		size_t cnt = first + rg <= s->nhours ? rg : s->nhours - first;
		if (rows[r])
			item_begin(b, STATS_T_HOURS, first, cnt);
		begin(b);
		tbuf_printf(&b->v->text, "  %s %8" PRIu32 " ", a, rows[r]);
		bar(b, rows[r], rmax, bw);
		end(b, rows[r] ? SV_ROW : SV_TEXT);
		if (rows[r])
			item_end(b);
	}
}

static void sec_outcomes(struct builder *b)
{
	const struct stats *s = b->s;
	section(b, _("Outcomes"));
	size_t sw = 24;
	if (b->w < 2 + sw + 2 * 11)
		sw = b->w > 2 + 22 + 8 ? b->w - 2 - 22 : 8;
	begin(b);
	spaces(b, 2);
	cell_s(b, _("status"), sw, 0);
	tbuf_putc(&b->v->text, ' ');
	cell_s(b, _("messages"), 10, 1);
	tbuf_putc(&b->v->text, ' ');
	cell_s(b, _("recipients"), 10, 1);
	end(b, SV_HEADER);
	for (size_t i = 0; i < s->noutcomes && i < OUT__COUNT; i++) {
		const struct stats_outcome_row *o = &s->outcomes[i];
		item_begin(b, STATS_T_OUTCOMES, i, 1);
		begin(b);
		spaces(b, 2);
		size_t so = b->v->text.len - b->line_start;
		const char *label = outcome_label((enum outcome)o->outcome);
		cell_s(b, label, sw, 0);
		size_t sl = b->v->text.len - b->line_start - so;
		while (sl && b->v->text.data[b->line_start + so + sl - 1] == ' ')
			sl--;
		tbuf_printf(&b->v->text, " %10" PRIu32, o->messages);
		if (o->outcome != OUT_PARTIAL)
			tbuf_printf(&b->v->text, " %10" PRIu32, o->recipients);
		struct stats_view_line *l = end(b, SV_ROW);
		l->span_off = so;
		l->span_len = sl;
		l->outcome = o->outcome;
		item_end(b);
	}
}

static void sec_top(struct builder *b, enum stats_kind k)
{
	const struct stats_top *t = &b->s->top[k];
	section(b, stats_top_title(k));
	struct tbuf note = TBUF_INIT;
	stats_top_note(b->s, k, &note);
	para(b, tbuf_str(&note), 2, SV_NOTE);
	tbuf_release(&note);
	if (!t->nrows)
		return;
	struct count_cols c = count_cols(b->w);
	counts_header(b, &c, stats_kind_label(k));
	for (size_t i = 0; i < t->nrows; i++) {
		item_begin(b, (enum stats_table)(STATS_T_SENDERS + k), i, 1);
		begin(b);
		spaces(b, 2);
		cell_id(b, t->rows[i].who, c.name);
		counts(b, &c, &t->rows[i].c);
		end(b, SV_ROW);
		item_end(b);
	}
}

static void sec_reasons(struct builder *b)
{
	const struct stats *s = b->s;
	const struct store *st = b->st;
	section(b, _("Top reasons for failure"));
	if (!s->nreasons) {
		para(b, _("No failed delivery."), 2, SV_TEXT);
		return;
	}
	/* "  failed [bounced deferred rejected]  reason" */
	int split = b->w >= 2 + NUM_W + 3 * (1 + SPLIT_W) + 2 + 30;
	size_t cx = 2 + NUM_W + (split ? 3 * (1 + SPLIT_W) : 0) + 2;
	begin(b);
	spaces(b, 2);
	cell_s(b, _("failed"), NUM_W, 1);
	if (split) {
		tbuf_putc(&b->v->text, ' ');
		cell_s(b, _("bounced"), SPLIT_W, 1);
		tbuf_putc(&b->v->text, ' ');
		cell_s(b, _("deferred"), SPLIT_W, 1);
		tbuf_putc(&b->v->text, ' ');
		cell_s(b, _("rejected"), SPLIT_W, 1);
	}
	spaces(b, 2);
	cell_s(b, _("reason"), b->w > cx ? b->w - cx : 1, 0);
	end(b, SV_HEADER);
	for (size_t i = 0; i < s->nreasons; i++) {
		const struct stats_reason_row *r = &s->reasons[i];
		item_begin(b, STATS_T_REASONS, i, 1);
		begin(b);
		tbuf_printf(&b->v->text, "  %*" PRIu32, NUM_W, r->count);
		if (split)
			tbuf_printf(&b->v->text, " %*" PRIu32 " %*" PRIu32 " %*" PRIu32, SPLIT_W,
				    r->bounced, SPLIT_W, r->deferred, SPLIT_W, r->rejected);
		spaces(b, 2);
		const char *cause = r->cause && *r->cause ? r->cause : r->id ? r->id : "";
		wrap_on(b, cause, strlen(cause), cx, cx, SV_ROW);
		if (r->side != SIDE_NONE) {
			struct tbuf side = TBUF_INIT;
			tbuf_printf(&side, "%s %s", _("Whose side:"), explain_side_label(r->side));
			para(b, tbuf_str(&side), cx, SV_NOTE);
			tbuf_release(&side);
		}
		if (r->example_rcpt != RCPT_NONE && r->example_rcpt < st->nrcpts &&
		    st->rcpts[r->example_rcpt].reply) {
			uint32_t rep = st->rcpts[r->example_rcpt].reply;
			begin(b);
			spaces(b, cx);
			const char *eg = _("e.g.");
			tbuf_reset(&b->tmp);
			view_escape(&b->tmp, eg, strlen(eg), b->ascii);
			tbuf_putn(&b->v->text, tbuf_str(&b->tmp), b->tmp.len);
			tbuf_putc(&b->v->text, ' ');
			size_t used = cx + textsafe_width(tbuf_str(&b->tmp), b->tmp.len) + 1;
			cell(b, store_str(st, rep), strtab_len(&st->strs, rep),
			     b->w > used ? b->w - used : 1, 0);
			end(b, SV_NOTE);
		}
		item_end(b);
	}
}

static void sec_deferred(struct builder *b)
{
	const struct stats *s = b->s;
	section(b, _("Deferred mail by destination domain and age (like qshape)"));
	if (!s->deferred_total[STATS_AGE__COUNT]) {
		para(b, _("Nothing is waiting: no recipient was left deferred."), 2, SV_TEXT);
		return;
	}
	para(b, _("Recipients still deferred at the end of the logs; age from first seen."), 2,
	     SV_NOTE);
	/* "  domain total [ages]" */
	size_t fixed = 2 + 1 + 6;
	int ages = b->w >= fixed + STATS_AGE__COUNT * (1 + AGE_W) + 16;
	if (ages)
		fixed += STATS_AGE__COUNT * (1 + AGE_W);
	size_t dw = b->w > fixed + NAME_MIN ? b->w - fixed : NAME_MIN;
	if (dw > 40)
		dw = 40;
	begin(b);
	spaces(b, 2);
	cell_s(b, _("domain"), dw, 0);
	tbuf_putc(&b->v->text, ' ');
	cell_s(b, _("total"), 6, 1);
	for (int a = 0; ages && a < STATS_AGE__COUNT; a++) {
		tbuf_putc(&b->v->text, ' ');
		cell_s(b, stats_age_label((enum stats_age)a), AGE_W, 1);
	}
	end(b, SV_HEADER);
	begin(b);
	spaces(b, 2);
	cell_s(b, _("TOTAL"), dw, 0);
	tbuf_printf(&b->v->text, " %6" PRIu32, s->deferred_total[STATS_AGE__COUNT]);
	for (int a = 0; ages && a < STATS_AGE__COUNT; a++)
		tbuf_printf(&b->v->text, " %*" PRIu32, AGE_W, s->deferred_total[a]);
	end(b, SV_TOTAL);
	for (size_t i = 0; i < s->ndeferred; i++) {
		const struct stats_deferred_row *d = &s->deferred[i];
		item_begin(b, STATS_T_DEFERRED, i, 1);
		begin(b);
		spaces(b, 2);
		if (d->domain && d->domain[0])
			cell_s(b, d->domain, dw, 0);
		else
			cell_s(b, _("(no domain)"), dw, 0);
		tbuf_printf(&b->v->text, " %6" PRIu32, d->total);
		for (int a = 0; ages && a < STATS_AGE__COUNT; a++)
			tbuf_printf(&b->v->text, " %*" PRIu32, AGE_W, d->age[a]);
		end(b, SV_ROW);
		item_end(b);
	}
	if (s->deferred_domains > s->ndeferred) {
		char more[96];
		uint32_t left = (uint32_t)(s->deferred_domains - s->ndeferred);
		snprintf(more, sizeof more,
			 P_("... and %" PRIu32 " more domain", "... and %" PRIu32 " more domains",
			    left),
			 left);
		para(b, more, 2, SV_NOTE);
	}
}

void stats_view_build(struct stats_view *v, const struct store *st, const struct stats *s,
		      size_t width, int ascii)
{
	tbuf_reset(&v->text);
	v->nlines = 0;
	v->nitems = 0;
	v->nsections = 0;
	v->width = width;
	v->ascii = ascii;
	struct builder b = {
		.v = v,
		.st = st,
		.s = s,
		.w = width > 1 ? width - 1 : 1,
		.ascii = ascii,
		.item = SIZE_MAX,
	};
	sec_summary(&b);
	if (s->nmsgs) {
		sec_suspects(&b);
		sec_hours(&b);
		sec_outcomes(&b);
		for (int k = 0; k < STATS_KIND__COUNT; k++)
			sec_top(&b, (enum stats_kind)k);
		sec_reasons(&b);
		sec_deferred(&b);
	}
	tbuf_release(&b.tmp);
}

void stats_view_release(struct stats_view *v)
{
	tbuf_release(&v->text);
	free(v->lines);
	free(v->items);
	memset(v, 0, sizeof *v);
}

void stats_view_title(struct tbuf *out, size_t nmsgs, const char *filter, int ascii)
{
	char n[32];
	struct tbuf t = TBUF_INIT;
	view_count(nmsgs, n);
	/* TRANSLATORS: title of the statistics screen; %s is the number of
	 * messages with thousands separators */
	tbuf_printf(&t, P_("Statistics — %s message", "Statistics — %s messages", nmsgs), n);
	tbuf_puts(&t, " (");
	if (filter && *filter)
		tbuf_printf(&t, _("filter: %s"), filter);
	else
		tbuf_puts(&t, _("no filter"));
	tbuf_putc(&t, ')');
	tbuf_reset(out);
	if (ascii) {
		/* the dash has a plain stand-in; other letters become '?' */
		const char *p = tbuf_str(&t);
		struct tbuf d = TBUF_INIT;
		for (size_t i = 0; i < t.len; i++) {
			if (i + 3 <= t.len && memcmp(p + i, "\xe2\x80\x94", 3) == 0) {
				tbuf_putc(&d, '-');
				i += 2;
			} else {
				tbuf_putc(&d, p[i]);
			}
		}
		view_escape(out, tbuf_str(&d), d.len, 1);
		tbuf_release(&d);
	} else {
		view_escape(out, tbuf_str(&t), t.len, 0);
	}
	tbuf_release(&t);
}

void stats_view_item_label(struct tbuf *out, const struct store *st, const struct stats *s,
			   const struct stats_view_item *it, int ascii)
{
	struct tbuf raw = TBUF_INIT, who = TBUF_INIT;
	tbuf_reset(out);
	size_t row = it->row;
	switch (it->table) {
	case STATS_T_HOURS: {
		char a[32], z[32];
		stats_time_minute(s->hour0 + (int64_t)row * s->bucket_us, a);
		stats_time_minute(s->hour0 + (int64_t)(row + (it->nrows ? it->nrows : 1)) * s->bucket_us -
				    MINUTE_US,
			    z);
		tbuf_printf(&raw, _("first seen %s .. %s"), a, z);
		break;
	}
	case STATS_T_OUTCOMES:
		if (row < s->noutcomes)
			tbuf_printf(&raw, _("status %s"),
				    outcome_label((enum outcome)s->outcomes[row].outcome));
		break;
	case STATS_T_SENDERS:
	case STATS_T_AUTH:
	case STATS_T_IPS:
	case STATS_T_SCRIPTS: {
		enum stats_kind k = (enum stats_kind)(it->table - STATS_T_SENDERS);
		if (row >= s->top[k].nrows)
			break;
		uint32_t id = s->top[k].rows[row].who;
		tbuf_escape(&who, store_str(st, id), strtab_len(&st->strs, id));
		tbuf_printf(&raw, "%s %s", stats_kind_label(k), tbuf_str(&who));
		break;
	}
	case STATS_T_SUSPECTS: {
		if (row >= s->nsuspects)
			break;
		const struct stats_suspect *x = &s->suspects[row];
		tbuf_escape(&who, store_str(st, x->who), strtab_len(&st->strs, x->who));
		tbuf_printf(&raw, _("possible spam source: %s %s"), stats_kind_label(x->kind),
			    tbuf_str(&who));
		break;
	}
	case STATS_T_REASONS:
		if (row < s->nreasons)
			tbuf_printf(&raw, _("failure: %s"),
				    s->reasons[row].cause ? s->reasons[row].cause
							  : s->reasons[row].id);
		break;
	case STATS_T_DEFERRED:
		if (row < s->ndeferred) {
			const char *d = s->deferred[row].domain;
			if (d && *d)
				tbuf_escape(&who, d, strlen(d));
			else
				tbuf_puts(&who, _("(no domain)"));
			tbuf_printf(&raw, _("deferred at %s"), tbuf_str(&who));
		}
		break;
	default:
		break;
	}
	view_escape(out, tbuf_str(&raw), raw.len, ascii);
	tbuf_release(&raw);
	tbuf_release(&who);
}

/* --- cursor and window ------------------------------------------------------ */

static size_t max_top(const struct stats_view *v, size_t rows)
{
	return v->nlines > rows ? v->nlines - rows : 0;
}

static size_t clamp_top(const struct stats_view *v, long top, size_t rows)
{
	if (top < 0)
		return 0;
	size_t m = max_top(v, rows);
	return (size_t)top > m ? m : (size_t)top;
}

static int first_of_section(const struct stats_view *v, size_t i)
{
	return i == 0 || v->items[i - 1].section != v->items[i].section;
}

void stats_view_fix(const struct stats_view *v, struct stats_view_pos *p, size_t rows)
{
	if (!rows)
		rows = 1;
	if (!v->nitems) {
		p->item = 0;
		p->top = clamp_top(v, (long)p->top, rows);
		return;
	}
	if (p->item >= v->nitems)
		p->item = v->nitems - 1;
	const struct stats_view_item *it = &v->items[p->item];
	size_t first = it->line, last = it->line + (it->nlines ? it->nlines : 1) - 1;
	if (first < p->top) {
		p->top = first;
		/* the first row of a table brings its title and column names */
		if (first_of_section(v, p->item) && it->section < v->nsections) {
			size_t title = v->sections[it->section];
			if (title <= first && last - title < rows)
				p->top = title;
		}
	} else if (last >= p->top + rows) {
		p->top = last + 1 - rows;
		if (p->top > first)
			p->top = first;
	}
	p->top = clamp_top(v, (long)p->top, rows);
	/* clamping must not hide the item (a short document) */
	if (first < p->top)
		p->top = first;
}

void stats_view_move(const struct stats_view *v, struct stats_view_pos *p, size_t rows,
		     long delta)
{
	if (!rows)
		rows = 1;
	if (!v->nitems) {
		p->top = clamp_top(v, (long)p->top + delta, rows);
		return;
	}
	long ni = (long)p->item + delta;
	if (ni < 0) {
		p->item = 0;
		p->top = 0;
	} else if ((size_t)ni >= v->nitems) {
		p->item = v->nitems - 1;
		p->top = max_top(v, rows);
	} else {
		p->item = (size_t)ni;
	}
	stats_view_fix(v, p, rows);
}

void stats_view_page(const struct stats_view *v, struct stats_view_pos *p, size_t rows, int dir)
{
	if (!rows)
		rows = 1;
	long step = rows > 1 ? (long)rows - 1 : 1;
	size_t old = p->top;
	p->top = clamp_top(v, (long)p->top + (dir > 0 ? step : -step), rows);
	if (!v->nitems)
		return;
	if (p->item >= v->nitems)
		p->item = v->nitems - 1;
	if (p->top == old) {
		p->item = dir > 0 ? v->nitems - 1 : 0;
	} else {
		/* the cursor keeps its place on the screen, to the nearest item */
		long target = (long)v->items[p->item].line + ((long)p->top - (long)old);
		size_t best = p->item;
		long bestd = -1;
		for (size_t i = 0; i < v->nitems; i++) {
			long d = (long)v->items[i].line - target;
			if (d < 0)
				d = -d;
			if (bestd < 0 || d < bestd) {
				best = i;
				bestd = d;
			}
		}
		p->item = best;
	}
	stats_view_fix(v, p, rows);
}

void stats_view_ends(const struct stats_view *v, struct stats_view_pos *p, size_t rows, int end)
{
	if (!rows)
		rows = 1;
	if (end) {
		p->item = v->nitems ? v->nitems - 1 : 0;
		p->top = max_top(v, rows);
	} else {
		p->item = 0;
		p->top = 0;
	}
	stats_view_fix(v, p, rows);
}

void stats_view_section(const struct stats_view *v, struct stats_view_pos *p, size_t rows,
			int dir)
{
	if (!rows)
		rows = 1;
	if (!v->nitems)
		return;
	if (p->item >= v->nitems)
		p->item = v->nitems - 1;
	size_t cur = v->items[p->item].section, n = v->nitems, to = p->item;
	if (dir > 0) {
		size_t i = p->item;
		while (i < n && v->items[i].section == cur)
			i++;
		to = i < n ? i : 0; /* past the last section: back to the first */
	} else {
		/* the first item of this section, then of the one before */
		size_t i = p->item;
		while (i > 0 && v->items[i - 1].section == cur)
			i--;
		size_t j = i > 0 ? i - 1 : n - 1;
		size_t prev = v->items[j].section;
		while (j > 0 && v->items[j - 1].section == prev)
			j--;
		to = j;
	}
	p->item = to;
	const struct stats_view_item *it = &v->items[to];
	p->top = it->section < v->nsections ? v->sections[it->section] : it->line;
	p->top = clamp_top(v, (long)p->top, rows);
	stats_view_fix(v, p, rows);
}

void stats_view_scroll(const struct stats_view *v, struct stats_view_pos *p, size_t rows,
		       long delta)
{
	if (!rows)
		rows = 1;
	p->top = clamp_top(v, (long)p->top + delta, rows);
	if (!v->nitems)
		return;
	if (p->item >= v->nitems)
		p->item = v->nitems - 1;
	/* the cursor goes to the item nearest the edge it left by, when one
	 * starts inside the window */
	size_t line = v->items[p->item].line;
	if (line < p->top) {
		for (size_t i = p->item; i < v->nitems; i++)
			if (v->items[i].line >= p->top) {
				if (v->items[i].line < p->top + rows)
					p->item = i;
				break;
			}
	} else if (line >= p->top + rows) {
		for (size_t i = p->item; i-- > 0;)
			if (v->items[i].line < p->top + rows) {
				if (v->items[i].line >= p->top)
					p->item = i;
				break;
			}
	}
}

size_t stats_view_find(const struct stats_view *v, enum stats_table t, size_t row)
{
	for (size_t i = 0; i < v->nitems; i++)
		if (v->items[i].table == t && row >= v->items[i].row &&
		    row < v->items[i].row + v->items[i].nrows)
			return i;
	return SIZE_MAX;
}

void stats_view_help(struct tbuf *out)
{
	tbuf_puts(out, _("Statistics\n"
			 "  Up/Down, j/k     previous / next row of a table\n"
			 "  PgUp/PgDn        one page up / down\n"
			 "  Home/End, g/G    first / last row\n"
			 "  Tab, Shift-Tab   next / previous section\n"
			 "  Enter            list the messages behind the row; Enter there opens "
			 "a message's trace, Esc comes back here\n"
			 "  h                this page\n"
			 "  Esc, q           back to the message list\n"
			 "  Q                quit mailtrail\n\n"));
	tbuf_puts(out, _("What is counted\n"
			 "  The messages of the message list, with its filter (c there clears it). "
			 "While the logs are still loading the figures are refreshed every few "
			 "seconds.\n"
			 "  msgs             messages\n"
			 "  rcpts            distinct recipient addresses\n"
			 "  bounced          share of the messages with a recipient that bounced or "
			 "expired; deferred and rejected likewise\n"
			 "  Possible spam sources  senders, logins, client IPs and scripts that sent "
			 "far more than their usual rate, to unusually many recipients, or with many "
			 "bounces; the reason is shown under each\n"
			 "  Top reasons      failed recipients grouped by the plain-language reason\n"
			 "  Deferred mail    recipients still waiting at the end of the logs, by "
			 "domain and by how long they have waited\n"));
}
