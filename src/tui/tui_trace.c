/*
 * tui_trace.c - the trace screen: one message end to end, its linked
 * messages (relay hops, bounce and parent, copies with the same
 * Message-ID), per-recipient outcome with the plain-language explanation,
 * the event timeline with file:line and, on request, the raw log lines;
 * writing the trace to a file the user names.
 *
 * Key design decision: the trace is turned into a small document once,
 * when it is opened (under the store lock: trace_build, then every field
 * escaped into one buffer of lines); drawing, scrolling, wrapping on
 * resize and the raw-lines toggle then work on that copy alone and never
 * touch the store, which the loader may be growing meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "explain.h"
#include "i18n.h"
#include "output.h"
#include "textsafe.h"
#include "tui_int.h"
#include "xalloc.h"

enum tline_cls {
	TL_TEXT,
	TL_SUMMARY,
	TL_EXPLAIN,
	TL_HEAD,      /* a message's section header (Tab stops here) */
	TL_OVERVIEW,  /* a message in the "linked messages" list */
	TL_FIELD,
	TL_RCPT,
	TL_REPLY,
	TL_EVENT,
	TL_RAW,
	TL_NOTE,
	TL_TITLE
};

struct tline {
	size_t off, len;         /* in doc */
	size_t span_off, span_len; /* coloured status inside the line */
	uint32_t msg;            /* message the line opens, MSG_NONE */
	uint16_t indent;         /* columns for wrapped continuation rows */
	uint8_t cls;
	uint8_t outcome;
};

struct trow {
	size_t line;
	size_t off, len;
	int cont;
};

struct hist {
	uint32_t root;
	size_t top;
	long sel;
};

#define TRACE_HIST 64

struct tui_trace {
	uint32_t root;
	int have;                /* t holds a built trace */
	struct trace t;
	int stale;               /* built while loading went on */
	char title_id[160];

	struct tbuf doc;
	struct tline *lines;
	size_t nlines, lines_cap;
	size_t heads[TRACE_MAX_MSGS];
	size_t nheads;
	long sel;                /* index into heads, -1 none */

	struct trow *rows;
	size_t nrows, rows_cap;
	size_t layout_width;
	int layout_raw, layout_valid;
	size_t top;
	int raw;

	struct hist hist[TRACE_HIST];
	size_t nhist;

	struct view_matcher find;
	size_t find_row;
};

/* --- building the document --------------------------------------------------- */

static void add_line(struct tui_trace *tr, int cls, unsigned indent, uint32_t msg, int outcome,
		     const struct tbuf *text, size_t span_off, size_t span_len)
{
	if (tr->nlines == tr->lines_cap) {
		tr->lines_cap = tr->lines_cap ? tr->lines_cap * 2 : 128;
		tr->lines = xrealloc(tr->lines, tr->lines_cap * sizeof *tr->lines);
	}
	struct tline *l = &tr->lines[tr->nlines++];
	l->off = tr->doc.len;
	l->len = text->len;
	l->span_off = span_len ? tr->doc.len + span_off : 0;
	l->span_len = span_len;
	l->msg = msg;
	l->indent = (uint16_t)indent;
	l->cls = (uint8_t)cls;
	l->outcome = (uint8_t)outcome;
	tbuf_putn(&tr->doc, tbuf_str(text), text->len);
	if (cls == TL_HEAD && tr->nheads < TRACE_MAX_MSGS)
		tr->heads[tr->nheads++] = tr->nlines - 1;
}

static void add_text(struct tui_trace *tr, int cls, unsigned indent, struct tbuf *b,
		     const char *s)
{
	tbuf_reset(b);
	tbuf_puts(b, s);
	add_line(tr, cls, indent, MSG_NONE, 0, b, 0, 0);
}

static void esc_id(struct tui *ui, struct tbuf *b, uint32_t id)
{
	view_escape(b, store_str(ui->st, id), strtab_len(&ui->st->strs, id), ui->ascii);
}

static void msg_id(struct tui *ui, struct tbuf *b, uint32_t m)
{
	/* output_msg_id escapes already; the second pass adapts it to the
	 * terminal (and is a no-op on ASCII ids) */
	tbuf_reset(&ui->tmp2);
	output_msg_id(ui->st, m, &ui->tmp2);
	view_escape(b, tbuf_str(&ui->tmp2), ui->tmp2.len, ui->ascii);
}

static const char *link_label(uint8_t link)
{
	switch (link) {
	case LINK_NEXT_HOP:
		return _("next hop of");
	case LINK_FORWARDED:
		return _("forwarded from");
	case LINK_BOUNCE_CHILD:
	case LINK_BOUNCE_PARENT:
		return _("bounce of");
	case LINK_ORIG_QUEUE:
		return _("re-queued from");
	default:
		return _("related to");
	}
}

/* "[bounced]" with the span of the word recorded. */
static void status_word(struct tbuf *b, int status, size_t *so, size_t *sl)
{
	const char *w = view_status_word(status);
	tbuf_putc(b, '[');
	*so = b->len;
	tbuf_puts(b, *w ? w : outcome_name((enum outcome)status));
	*sl = b->len - *so;
	tbuf_putc(b, ']');
}

static void head_line(struct tui *ui, struct tui_trace *tr, uint32_t m, int cls)
{
	const struct store *st = ui->st;
	const struct message *msg = &st->msgs[m];
	struct tbuf *b = &ui->line;
	size_t so, sl;
	tbuf_reset(b);
	if (cls == TL_HEAD) {
		tbuf_puts(b, m == tr->root ? "== " : "-- ");
		tbuf_printf(b, "%s ", _("Message"));
	} else {
		tbuf_puts(b, m == tr->root ? "  > " : "    ");
	}
	msg_id(ui, b, m);
	tbuf_puts(b, "  ");
	status_word(b, msg->status, &so, &sl);
	tbuf_puts(b, "  ");
	tbuf_puts(b, store_msg_format(st, m));
	if (msg->parent != MSG_NONE) {
		tbuf_printf(b, "  %s ", link_label(msg->parent_link));
		msg_id(ui, b, msg->parent);
	}
	if (m == tr->root)
		tbuf_printf(b, "  (%s)", _("opened"));
	add_line(tr, cls, 4, m, msg->status, b, so, sl);
}

static void explain_lines(struct tui *ui, struct tui_trace *tr, int outcome, const char *dsn,
			  int code, uint32_t reply, unsigned indent)
{
	const struct store *st = ui->st;
	struct explanation ex;
	if (explain_outcome(outcome, dsn, code, store_str(st, reply), strtab_len(&st->strs, reply),
			    &ex) != 0)
		return;
	struct tbuf *b = &ui->line;
	const char *pfx_what = _("What happened:");
	const char *pfx_side = _("Whose side:");
	const char *pfx_do = _("What to do:");
	size_t pw = textsafe_width(pfx_do, strlen(pfx_do));
	tbuf_reset(b);
	tbuf_printf(b, "%*s%s ", (int)indent, "", pfx_what);
	view_escape(b, ex.cause, strlen(ex.cause), ui->ascii);
	add_line(tr, TL_EXPLAIN, indent + 2, MSG_NONE, 0, b, 0, 0);
	if (ex.side != SIDE_NONE) {
		tbuf_reset(b);
		tbuf_printf(b, "%*s%s ", (int)indent, "", pfx_side);
		const char *side = explain_side_label(ex.side);
		view_escape(b, side, strlen(side), ui->ascii);
		add_line(tr, TL_EXPLAIN, indent + 2, MSG_NONE, 0, b, 0, 0);
	}
	for (int i = 0; i < EXPLAIN_MAX_STEPS && ex.steps[i]; i++) {
		tbuf_reset(b);
		if (i == 0)
			tbuf_printf(b, "%*s%s ", (int)indent, "", pfx_do);
		else
			tbuf_printf(b, "%*s", (int)(indent + pw + 1), "");
		view_escape(b, ex.steps[i], strlen(ex.steps[i]), ui->ascii);
		add_line(tr, TL_EXPLAIN, (unsigned)(indent + pw + 1), MSG_NONE, 0, b, 0, 0);
	}
}

static void rcpt_lines(struct tui *ui, struct tui_trace *tr, uint32_t r)
{
	const struct store *st = ui->st;
	const struct rcpt *rc = &st->rcpts[r];
	uint32_t fin = r;
	enum outcome o = store_rcpt_final(st, r, &fin);
	const struct rcpt *fr = &st->rcpts[fin];
	struct tbuf *b = &ui->line;
	size_t so, sl;
	tbuf_reset(b);
	tbuf_printf(b, "   %s ", _("To:"));
	esc_id(ui, b, rc->addr);
	if (rc->orig && rc->orig != rc->addr) {
		tbuf_puts(b, " (");
		esc_id(ui, b, rc->orig);
		tbuf_putc(b, ')');
	}
	tbuf_puts(b, "  ");
	status_word(b, o, &so, &sl);
	if (fr->dsn) {
		tbuf_printf(b, "  %s ", "DSN");
		esc_id(ui, b, fr->dsn);
	}
	if (fr->smtp_code)
		tbuf_printf(b, "  SMTP %u", fr->smtp_code);
	if (fr->relay) {
		tbuf_printf(b, "  %s ", _("via"));
		esc_id(ui, b, fr->relay);
	}
	if (rc->attempts > 1)
		tbuf_printf(b, P_("  (%u attempt)", "  (%u attempts)", rc->attempts), rc->attempts);
	add_line(tr, TL_RCPT, 7, MSG_NONE, o, b, so, sl);
	if (fr->reply) {
		tbuf_reset(b);
		tbuf_puts(b, "      \"");
		esc_id(ui, b, fr->reply);
		tbuf_putc(b, '"');
		add_line(tr, TL_REPLY, 7, MSG_NONE, 0, b, 0, 0);
	}
	explain_lines(ui, tr, o, fr->dsn ? store_str(st, fr->dsn) : NULL, fr->smtp_code, fr->reply,
		      6);
}

static void field_line(struct tui_trace *tr, const struct tbuf *b)
{
	add_line(tr, TL_FIELD, 16, MSG_NONE, 0, b, 0, 0);
}

static void field_label(struct tbuf *b, const char *l)
{
	tbuf_reset(b);
	tbuf_puts(b, "   ");
	tbuf_puts(b, l);
	size_t w = textsafe_width(l, strlen(l));
	do
		tbuf_putc(b, ' ');
	while (++w < 13);
}

static void message_section(struct tui *ui, struct tui_trace *tr, uint32_t m)
{
	const struct store *st = ui->st;
	const struct message *msg = &st->msgs[m];
	struct tbuf *b = &ui->line;
	char a[32], c[32];

	head_line(ui, tr, m, TL_HEAD);
	field_label(b, _("From:"));
	if (msg->sender)
		esc_id(ui, b, msg->sender);
	else
		tbuf_putc(b, '-');
	if (msg->client_ip || msg->client_host) {
		tbuf_printf(b, "   %s ", _("client"));
		if (msg->client_host) {
			esc_id(ui, b, msg->client_host);
			tbuf_putc(b, ' ');
		} else if (store_msg_extra(st, msg, MSG_X_HELO)) {
			/* the name it gave itself, as Postfix and Exim show it */
			tbuf_putc(b, '(');
			esc_id(ui, b, store_msg_extra(st, msg, MSG_X_HELO));
			tbuf_puts(b, ") ");
		}
		if (msg->client_ip) {
			tbuf_putc(b, '[');
			esc_id(ui, b, msg->client_ip);
			tbuf_putc(b, ']');
		}
	}
	if (msg->auth) {
		tbuf_printf(b, "   %s ", _("login"));
		esc_id(ui, b, msg->auth);
	}
	field_line(tr, b);
	if (msg->subject) {
		field_label(b, _("Subject:"));
		esc_id(ui, b, msg->subject);
		field_line(tr, b);
	}
	if (msg->msgid) {
		field_label(b, "Message-ID:");
		tbuf_putc(b, '<');
		esc_id(ui, b, msg->msgid);
		tbuf_putc(b, '>');
		field_line(tr, b);
	}
	if (msg->host) {
		field_label(b, _("Host:"));
		esc_id(ui, b, msg->host);
		if (store_msg_extra(st, msg, MSG_X_HELO)) {
			tbuf_printf(b, "   %s ", "HELO");
			esc_id(ui, b, store_msg_extra(st, msg, MSG_X_HELO));
		}
		field_line(tr, b);
	}
	if (store_msg_extra(st, msg, MSG_X_ACCOUNT) || store_msg_extra(st, msg, MSG_X_SCRIPT)) {
		field_label(b, _("Account:"));
		esc_id(ui, b, store_msg_extra(st, msg, MSG_X_ACCOUNT));
		if (msg->flags & (MSG_INBOUND | MSG_OUTBOUND))
			tbuf_printf(b, " (%s)", msg->flags & MSG_OUTBOUND ? _("out") : _("in"));
		if (store_msg_extra(st, msg, MSG_X_SCRIPT)) {
			tbuf_printf(b, "   %s ", _("script"));
			esc_id(ui, b, store_msg_extra(st, msg, MSG_X_SCRIPT));
		}
		field_line(tr, b);
	}
	field_label(b, _("Seen:"));
	view_time(msg->first_ts, 1, a);
	view_time(msg->last_ts, 1, c);
	tbuf_printf(b, "%s .. %s", a, c);
	if (store_msg_size(msg) >= 0)
		tbuf_printf(b, "   %s %" PRId64 " B", _("size"), store_msg_size(msg));
	field_line(tr, b);

	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE && r < st->nrcpts; r = st->rcpts[r].next)
		rcpt_lines(ui, tr, r);
	if (msg->first_rcpt == RCPT_NONE && msg->status != OUT_QUEUED)
		explain_lines(ui, tr, msg->status, NULL, 0, 0, 3);

	size_t first, count;
	trace_events_of(&tr->t, m, &first, &count);
	tbuf_reset(b);
	tbuf_printf(b, "   %s (%zu)", _("Events"), count);
	add_line(tr, TL_FIELD, 5, MSG_NONE, 0, b, 0, 0);
	for (size_t i = first; i < first + count; i++) {
		const struct trace_event *te = &tr->t.events[i];
		tbuf_reset(b);
		view_time(te->ts_us, 1, a);
		tbuf_printf(b, "     %s  ", a);
		size_t so = b->len;
		const char *kn = ev_kind_name((enum ev_kind)te->kind);
		tbuf_puts(b, kn);
		size_t sl = b->len - so;
		size_t kw = strlen(kn);
		do
			tbuf_putc(b, ' ');
		while (++kw < 12);
		if (te->file < st->nfiles) {
			const char *path = st->files[te->file].src.path;
			const char *slash = strrchr(path, '/');
			const char *base = slash && slash[1] ? slash + 1 : path;
			view_escape(b, base, strlen(base), ui->ascii);
		}
		if (te->line)
			tbuf_printf(b, ":%" PRIu64, te->line);
		if (te->smtp_code)
			tbuf_printf(b, "  %u", te->smtp_code);
		add_line(tr, TL_EVENT, 9, MSG_NONE, te->outcome, b, te->outcome ? so : 0,
			 te->outcome ? sl : 0);
		if (te->raw.len) {
			tbuf_reset(b);
			tbuf_puts(b, "         ");
			view_escape(b, te->raw.data, te->raw.len, ui->ascii);
			add_line(tr, TL_RAW, 9, MSG_NONE, 0, b, 0, 0);
		}
	}
	add_text(tr, TL_TEXT, 0, b, "");
}

static void summary(struct tui *ui, struct tui_trace *tr)
{
	const struct store *st = ui->st;
	const struct message *msg = &st->msgs[tr->root];
	struct tbuf *b = &ui->line;
	unsigned counts[OUT__COUNT] = {0};
	unsigned nr = 0;
	uint32_t pick = RCPT_NONE;
	int pick_o = OUT_NONE;
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE && r < st->nrcpts; r = st->rcpts[r].next) {
		uint32_t fin = r;
		enum outcome o = store_rcpt_final(st, r, &fin);
		counts[o < OUT__COUNT ? o : 0]++;
		nr++;
		int bad = o == OUT_BOUNCED || o == OUT_EXPIRED || o == OUT_REJECTED ||
			  o == OUT_DEFERRED;
		if (pick == RCPT_NONE || (bad && !(pick_o == OUT_BOUNCED || pick_o == OUT_EXPIRED ||
						   pick_o == OUT_REJECTED || pick_o == OUT_DEFERRED))) {
			pick = fin;
			pick_o = o;
		}
	}
	size_t so, sl;
	tbuf_reset(b);
	tbuf_printf(b, "%s ", _("Outcome:"));
	status_word(b, msg->status, &so, &sl);
	if (nr) {
		tbuf_puts(b, "  ");
		tbuf_printf(b, P_("%u recipient", "%u recipients", nr), nr);
		const char *sep = ": ";
		for (int o = 0; o < OUT__COUNT; o++)
			if (counts[o] && nr > 1) {
				tbuf_puts(b, sep);
				/* TRANSLATORS: recipients with one outcome ("3 delivered");
				 * where the word cannot agree with the number, reorder it
				 * as a label: "%2$s: %1$u" */
				tbuf_printf(b, _("%1$u %2$s"), counts[o], view_status_word(o));
				sep = ", ";
			}
	}
	add_line(tr, TL_SUMMARY, 2, MSG_NONE, msg->status, b, so, sl);
	if (msg->flags & MSG_IS_BOUNCE)
		add_text(tr, TL_SUMMARY, 2, b,
			 _("This message is a bounce (a non-delivery report) sent back to the "
			   "sender of the message it is linked to."));
	struct explanation ex;
	int ok;
	if (pick != RCPT_NONE) {
		const struct rcpt *fr = &st->rcpts[pick];
		ok = explain_outcome(pick_o, fr->dsn ? store_str(st, fr->dsn) : NULL, fr->smtp_code,
				     store_str(st, fr->reply), strtab_len(&st->strs, fr->reply), &ex);
	} else {
		ok = explain_outcome(msg->status, NULL, 0, NULL, 0, &ex);
	}
	if (ok == 0) {
		tbuf_reset(b);
		tbuf_printf(b, "%s ", _("What happened:"));
		view_escape(b, ex.cause, strlen(ex.cause), ui->ascii);
		add_line(tr, TL_EXPLAIN, 2, MSG_NONE, 0, b, 0, 0);
	}
	add_text(tr, TL_TEXT, 0, b, "");
	if (tr->t.nmsgs > 1) {
		tbuf_reset(b);
		tbuf_printf(b, _("Linked messages (%zu), in the order the mail travelled; Tab selects "
				 "one, Enter opens it:"),
			    tr->t.nmsgs);
		add_line(tr, TL_TITLE, 2, MSG_NONE, 0, b, 0, 0);
		for (size_t i = 0; i < tr->t.nmsgs; i++)
			head_line(ui, tr, tr->t.msgs[i], TL_OVERVIEW);
		add_text(tr, TL_TEXT, 0, b, "");
	}
}

static void build(struct tui *ui, struct tui_trace *tr)
{
	if (tr->have)
		trace_release(&tr->t);
	tbuf_reset(&tr->doc);
	tr->nlines = tr->nheads = 0;
	tr->layout_valid = 0;
	tui_lock(ui);
	trace_build(ui->st, tr->root, 1, &tr->t);
	tr->have = 1;
	tr->stale = ui->loader_running;
	tbuf_reset(&ui->line);
	msg_id(ui, &ui->line, tr->root);
	snprintf(tr->title_id, sizeof tr->title_id, "%s", tbuf_str(&ui->line));
	summary(ui, tr);
	for (size_t i = 0; i < tr->t.nmsgs; i++)
		message_section(ui, tr, tr->t.msgs[i]);
	tui_unlock(ui);
	if (tr->t.error[0]) {
		struct tbuf *b = &ui->line;
		tbuf_reset(b);
		tbuf_printf(b, "%s ", _("Note: some raw lines could not be read again:"));
		view_escape(b, tr->t.error, strlen(tr->t.error), ui->ascii);
		add_line(tr, TL_NOTE, 2, MSG_NONE, 0, b, 0, 0);
	}
	if (tr->stale) {
		add_text(tr, TL_NOTE, 2, &ui->line,
			 _("Loading is still going on: this trace is refreshed when it ends."));
	}
	tr->sel = -1;
	for (size_t i = 0; i < tr->nheads; i++)
		if (tr->lines[tr->heads[i]].msg == tr->root)
			tr->sel = (long)i;
}

/* --- layout ----------------------------------------------------------------------- */

static void add_row(struct tui_trace *tr, size_t line, size_t off, size_t len, int cont)
{
	if (tr->nrows == tr->rows_cap) {
		tr->rows_cap = tr->rows_cap ? tr->rows_cap * 2 : 256;
		tr->rows = xrealloc(tr->rows, tr->rows_cap * sizeof *tr->rows);
	}
	struct trow *r = &tr->rows[tr->nrows++];
	r->line = line;
	r->off = off;
	r->len = len;
	r->cont = cont;
}

static void layout(struct tui_trace *tr, size_t width)
{
	if (tr->layout_valid && tr->layout_width == width && tr->layout_raw == tr->raw)
		return;
	/* keep the first visible line in view across a re-layout */
	size_t keep = tr->top < tr->nrows ? tr->rows[tr->top].line : 0;
	tr->nrows = 0;
	for (size_t i = 0; i < tr->nlines; i++) {
		const struct tline *l = &tr->lines[i];
		if (l->cls == TL_RAW && !tr->raw)
			continue;
		const char *s = tr->doc.data + l->off;
		size_t n = l->len;
		if (n == 0) {
			add_row(tr, i, l->off, 0, 0);
			continue;
		}
		int cont = 0;
		while (n) {
			size_t w = width;
			if (cont)
				w = width > (size_t)l->indent + 20 ? width - l->indent : width;
			size_t k = view_wrap(s, n, w);
			add_row(tr, i, (size_t)(s - tr->doc.data), k, cont);
			s += k;
			n -= k;
			cont = 1;
		}
	}
	tr->top = 0;
	if (tr->layout_valid)
		for (size_t r = 0; r < tr->nrows; r++)
			if (tr->rows[r].line >= keep) {
				tr->top = r;
				break;
			}
	tr->layout_width = width;
	tr->layout_raw = tr->raw;
	tr->layout_valid = 1;
}

static size_t body_rows(void)
{
	return LINES > 3 ? (size_t)LINES - 3 : 0;
}

static size_t row_of_line(const struct tui_trace *tr, size_t line)
{
	for (size_t r = 0; r < tr->nrows; r++)
		if (tr->rows[r].line >= line)
			return r;
	return 0;
}

/* --- drawing ------------------------------------------------------------------------ */

static int line_attr(struct tui *ui, const struct tui_trace *tr, const struct tline *l)
{
	switch (l->cls) {
	case TL_HEAD:
	case TL_OVERVIEW: {
		int a = ui->attrs[l->msg == tr->root ? TA_ROOT : TA_LINK];
		if (tr->sel >= 0 && l->msg == tr->lines[tr->heads[tr->sel]].msg)
			a |= A_REVERSE;
		return a;
	}
	case TL_EXPLAIN:
		return ui->attrs[TA_EXPLAIN];
	case TL_RAW:
		return ui->attrs[TA_DIM];
	case TL_NOTE:
		return ui->attrs[TA_ERROR];
	case TL_TITLE:
	case TL_SUMMARY:
		return ui->attrs[TA_INFO];
	default:
		return A_NORMAL;
	}
}

static void trace_draw(struct tui *ui)
{
	struct tui_trace *tr = ui->tr;
	if (tui_too_small(ui) || !tr)
		return;
	size_t width = (size_t)COLS;
	layout(tr, width);
	size_t rows = body_rows();
	tr->top = view_scroll_top_clamp((long)tr->top, tr->nrows, rows);

	char left[256], right[128];
	snprintf(left, sizeof left, "%s %s", _("mailtrail: trace of"), tr->title_id);
	snprintf(right, sizeof right, "%s%s  %zu-%zu/%zu", tr->raw ? _("raw lines on") : "",
		 tr->nhist ? "  <" : "", tr->nrows ? tr->top + 1 : 0,
		 tr->top + rows < tr->nrows ? tr->top + rows : tr->nrows, tr->nrows);
	tui_title(ui, left, right);

	for (size_t r = 0; r < rows && tr->top + r < tr->nrows; r++) {
		const struct trow *row = &tr->rows[tr->top + r];
		const struct tline *l = &tr->lines[row->line];
		int base = line_attr(ui, tr, l);
		const char *s = tr->doc.data + row->off;
		int *at = tui_attrs(ui, row->len, base);
		if (l->span_len) {
			size_t a = l->span_off, b = l->span_off + l->span_len;
			int sa = ui->attrs[TA_OUTCOME + (l->outcome < OUT__COUNT ? l->outcome : 0)];
			if (base & A_REVERSE)
				sa |= A_REVERSE;
			for (size_t k = a; k < b; k++)
				if (k >= row->off && k < row->off + row->len)
					at[k - row->off] = sa;
		}
		if (view_matcher_active(&tr->find))
			tui_mark_matches(&tr->find, s, row->len, at, ui->attrs[TA_MATCH]);
		int x = row->cont ? (int)l->indent : 0;
		if (row->cont && (size_t)x + 20 > width)
			x = 0;
		tui_put(ui, 1 + (int)r, x, s, row->len, width - (size_t)x, base, at,
			l->cls == TL_HEAD || l->cls == TL_OVERVIEW);
	}
	tui_status_line(ui);
	const struct view_key keys[] = {
		{"F1", _("Help"), TUI_FN(KEY_F(1))},
		{"Esc", _("Back"), TUI_ESC},
		{"Tab", _("Link"), '\t'},
		{"Enter", _("Open"), '\r'},
		{"r", _("Raw"), 'r'},
		{"w", _("Write"), 'w'},
		{"/", _("Find"), '/'},
		{"n", _("Next"), 'n'},
		{"Q", _("Quit"), 'Q'},
	};
	tui_keybar(ui, keys, sizeof keys / sizeof keys[0]);
}

/* --- navigation ----------------------------------------------------------------------- */

static void select_head(struct tui *ui, struct tui_trace *tr, long i)
{
	if (tr->nheads == 0)
		return;
	tr->sel = ((i % (long)tr->nheads) + (long)tr->nheads) % (long)tr->nheads;
	layout(tr, (size_t)COLS);
	tr->top = view_scroll_top_clamp((long)row_of_line(tr, tr->heads[tr->sel]), tr->nrows,
					body_rows());
	(void)ui;
}

static void open_root(struct tui *ui, struct tui_trace *tr, uint32_t m, size_t top)
{
	tr->root = m;
	build(ui, tr);
	tr->top = top;
	layout(tr, (size_t)COLS);
}

static void open_selected(struct tui *ui, struct tui_trace *tr)
{
	if (tr->sel < 0 || (size_t)tr->sel >= tr->nheads) {
		tui_message(ui, 0, "%s", _("Press Tab to select a linked message first"));
		return;
	}
	uint32_t m = tr->lines[tr->heads[tr->sel]].msg;
	if (m == tr->root) {
		tui_message(ui, 0, "%s", _("That is the message already open; Tab selects another"));
		return;
	}
	if (tr->nhist == TRACE_HIST)
		memmove(tr->hist, tr->hist + 1, (TRACE_HIST - 1) * sizeof tr->hist[0]);
	else
		tr->nhist++;
	tr->hist[tr->nhist - 1] = (struct hist){tr->root, tr->top, tr->sel};
	open_root(ui, tr, m, 0);
	/* land on the opened message's own section */
	for (size_t i = 0; i < tr->nheads; i++)
		if (tr->lines[tr->heads[i]].msg == m)
			select_head(ui, tr, (long)i);
}

static void go_back(struct tui *ui, struct tui_trace *tr)
{
	if (tr->nhist == 0) {
		tui_pop(ui);
		return;
	}
	struct hist h = tr->hist[--tr->nhist];
	open_root(ui, tr, h.root, h.top);
	if (h.sel >= 0 && (size_t)h.sel < tr->nheads)
		tr->sel = h.sel;
}

static void find_next(struct tui *ui, struct tui_trace *tr, int dir)
{
	if (!view_matcher_active(&tr->find)) {
		tui_message(ui, 0, "%s", _("No search text: press / and type what to find"));
		return;
	}
	layout(tr, (size_t)COLS);
	size_t n = tr->nrows;
	if (!n)
		return;
	size_t start = tr->find_row < n ? tr->find_row : tr->top;
	for (size_t k = 1; k <= n; k++) {
		size_t r = dir > 0 ? (start + k) % n : (start + n - k % n) % n;
		const struct trow *row = &tr->rows[r];
		size_t a, b;
		if (view_matcher_find(&tr->find, tr->doc.data + row->off, row->len, 0, &a, &b)) {
			if ((dir > 0 && r <= start) || (dir < 0 && r >= start))
				tui_message(ui, 0, "%s", _("Search wrapped around"));
			tr->find_row = r;
			size_t rows = body_rows();
			if (r < tr->top || r >= tr->top + rows)
				tr->top = view_scroll_top_clamp((long)r - (long)rows / 3, n, rows);
			return;
		}
	}
	tui_message(ui, 0, "%s", _("Not found in this trace"));
}

static void start_prompt(struct tui *ui, enum tui_prompt p, const char *label, const char *init)
{
	ui->prompt = p;
	snprintf(ui->prompt_label, sizeof ui->prompt_label, "%s", label);
	view_edit_set(&ui->prompt_edit, init);
}

/* --- writing the trace ------------------------------------------------------------------- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The only file mailtrail ever writes, and only on request: never through
 * a symbolic link, never over something that is not a regular file, and
 * over an existing file only after the user said yes. */
static void write_trace(struct tui *ui, struct tui_trace *tr, const char *path, int overwrite)
{
	struct tbuf out = TBUF_INIT;
	tbuf_reset(&ui->tmp);
	view_escape(&ui->tmp, path, strlen(path), ui->ascii);
	int fd;
	if (!overwrite)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	else
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat sb;
	if (fd < 0 && errno == EEXIST && !overwrite) {
		/* do not offer to overwrite what would be refused anyway */
		if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
			tui_message(ui, 1, _("Cannot write %s: %s"), tbuf_str(&ui->tmp),
				    _("it is a symbolic link"));
			return;
		}
		if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			tui_message(ui, 1, _("Cannot write %s: not a regular file"),
				    tbuf_str(&ui->tmp));
			return;
		}
		snprintf(ui->pending_path, sizeof ui->pending_path, "%s", path);
		char label[128];
		snprintf(label, sizeof label, _("%.60s exists. Overwrite it? (y/N)"),
			 tbuf_str(&ui->tmp));
		start_prompt(ui, TUI_PROMPT_OVERWRITE, label, "");
		return;
	}
	if (fd < 0) {
		tui_message(ui, 1, _("Cannot write %s: %s"), tbuf_str(&ui->tmp),
			    errno == ELOOP ? _("it is a symbolic link") : strerror(errno));
		return;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		tui_message(ui, 1, _("Cannot write %s: not a regular file"), tbuf_str(&ui->tmp));
		close(fd);
		return;
	}
	if (overwrite && (fcntl(fd, F_SETFL, 0) != 0 || ftruncate(fd, 0) != 0)) {
		tui_message(ui, 1, _("Cannot write %s: %s"), tbuf_str(&ui->tmp), strerror(errno));
		close(fd);
		return;
	}
	tui_lock(ui);
	output_trace_text(&out, ui->st, &tr->t);
	tui_unlock(ui);
	int rc = write_all(fd, tbuf_str(&out), out.len);
	int e = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc != 0)
		tui_message(ui, 1, _("Cannot write %s: %s"), tbuf_str(&ui->tmp), strerror(e));
	else
		tui_message(ui, 0, P_("Trace written to %s (%zu byte)", "Trace written to %s (%zu bytes)",
				      out.len),
			    tbuf_str(&ui->tmp), out.len);
	tbuf_release(&out);
}

static void expand_home(const char *in, char *out, size_t cap)
{
	const char *home = getenv("HOME");
	if (in[0] == '~' && (in[1] == '/' || in[1] == '\0') && home && *home)
		snprintf(out, cap, "%s%s", home, in + 1);
	else
		snprintf(out, cap, "%s", in);
}

void tui_trace_prompt_done(struct tui *ui, enum tui_prompt p, const char *text)
{
	struct tui_trace *tr = ui->tr;
	if (!tr)
		return;
	if (p == TUI_PROMPT_FIND) {
		if (view_matcher_set(&tr->find, text, ui->spec.regex) != 0) {
			tui_message(ui, 1, "%s", _("Not a valid regular expression"));
			return;
		}
		tr->find_row = tr->top ? tr->top - 1 : SIZE_MAX;
		if (*text) {
			if (tr->find_row == SIZE_MAX)
				tr->find_row = tr->nrows ? tr->nrows - 1 : 0;
			find_next(ui, tr, 1);
		}
		return;
	}
	if (p == TUI_PROMPT_OVERWRITE) {
		if (strcmp(text, "y") == 0) {
			write_trace(ui, tr, ui->pending_path, 1);
		} else {
			tui_message(ui, 0, "%s", _("Not written"));
		}
		return;
	}
	if (p == TUI_PROMPT_WRITE) {
		if (!*text) {
			tui_message(ui, 0, "%s", _("Not written"));
			return;
		}
		char path[VIEW_EDIT_MAX + 256];
		expand_home(text, path, sizeof path);
		write_trace(ui, tr, path, 0);
	}
}

/* --- keys ---------------------------------------------------------------------------------- */

static void trace_mouse(struct tui *ui, struct tui_trace *tr)
{
	MEVENT *ev = &ui->mouse;
	size_t rows = body_rows();
	int wheel = tui_wheel(ev);
	if (wheel) {
		tr->top = view_scroll_top_clamp((long)tr->top + wheel, tr->nrows, rows);
		return;
	}
	if (!(ev->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) || ev->y < 1 ||
	    (size_t)ev->y > rows)
		return;
	size_t r = tr->top + (size_t)(ev->y - 1);
	if (r >= tr->nrows)
		return;
	const struct tline *l = &tr->lines[tr->rows[r].line];
	if (l->msg == MSG_NONE)
		return;
	for (size_t i = 0; i < tr->nheads; i++) {
		if (tr->lines[tr->heads[i]].msg != l->msg)
			continue;
		if (tr->sel == (long)i && l->cls == TL_HEAD)
			open_selected(ui, tr);
		else if (l->cls == TL_OVERVIEW)
			select_head(ui, tr, (long)i);
		else
			tr->sel = (long)i;
		return;
	}
}

static void trace_key(struct tui *ui, int key)
{
	struct tui_trace *tr = ui->tr;
	if (!tr)
		return;
	size_t rows = body_rows();
	layout(tr, (size_t)COLS);
	long top = (long)tr->top;
	switch (key) {
	case TUI_ESC:
	case 'q':
	case 'h':
	case TUI_FN(KEY_BACKSPACE):
	case TUI_FN(KEY_LEFT):
	case 127:
	case 8:
		go_back(ui, tr);
		return;
	case 'k':
	case TUI_FN(KEY_UP):
		top--;
		break;
	case 'j':
	case TUI_FN(KEY_DOWN):
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
		top = (long)tr->nrows;
		break;
	case '\t':
	case ']':
		select_head(ui, tr, tr->sel + 1);
		return;
	case TUI_FN(KEY_BTAB):
	case '[':
		select_head(ui, tr, tr->sel < 0 ? -1 : tr->sel - 1);
		return;
	case '\r':
	case '\n':
	case TUI_FN(KEY_ENTER):
		open_selected(ui, tr);
		return;
	case 'r':
		tr->raw = !tr->raw;
		layout(tr, (size_t)COLS);
		tui_message(ui, 0, "%s", tr->raw ? _("Raw log lines shown") : _("Raw log lines hidden"));
		return;
	case 'w': {
		char name[128];
		tbuf_reset(&ui->tmp);
		tui_lock(ui);
		if (tr->root < ui->st->nmsgs && ui->st->msgs[tr->root].qid)
			tbuf_puts(&ui->tmp, store_str(ui->st, ui->st->msgs[tr->root].qid));
		tui_unlock(ui);
		view_trace_filename(tbuf_str(&ui->tmp), name, sizeof name);
		start_prompt(ui, TUI_PROMPT_WRITE, _("Write the trace to file:"), name);
		return;
	}
	case '/':
		start_prompt(ui, TUI_PROMPT_FIND, _("Find in trace:"), "");
		return;
	case 'n':
		find_next(ui, tr, 1);
		return;
	case 'N':
		find_next(ui, tr, -1);
		return;
	case TUI_FN(KEY_MOUSE):
		trace_mouse(ui, tr);
		return;
	default:
		return;
	}
	tr->top = view_scroll_top_clamp(top, tr->nrows, rows);
}

/* --- life cycle -------------------------------------------------------------------------- */

static void trace_leave(struct tui *ui)
{
	tui_trace_release(ui);
}

const struct tui_screen tui_screen_trace = {
	.name = "trace",
	.leave = trace_leave,
	.draw = trace_draw,
	.key = trace_key,
};

void tui_trace_open(struct tui *ui, uint32_t m)
{
	if (m == MSG_NONE)
		return;
	tui_trace_release(ui);
	struct tui_trace *tr = xcalloc(1, sizeof *tr);
	ui->tr = tr;
	tr->root = m;
	tr->find_row = SIZE_MAX;
	if (ui->spec.text[0])
		view_matcher_set(&tr->find, ui->spec.text, ui->spec.regex);
	build(ui, tr);
	tui_push(ui, &tui_screen_trace);
}

void tui_trace_refresh(struct tui *ui)
{
	struct tui_trace *tr = ui->tr;
	if (!tr || !tr->stale)
		return;
	size_t top = tr->top;
	long sel = tr->sel;
	build(ui, tr);
	tr->top = top;
	if (sel >= 0 && (size_t)sel < tr->nheads)
		tr->sel = sel;
}

void tui_trace_release(struct tui *ui)
{
	struct tui_trace *tr = ui->tr;
	if (!tr)
		return;
	if (tr->have)
		trace_release(&tr->t);
	tbuf_release(&tr->doc);
	free(tr->lines);
	free(tr->rows);
	view_matcher_clear(&tr->find);
	free(tr);
	ui->tr = NULL;
}
