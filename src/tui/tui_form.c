/*
 * tui_form.c - the filter form: every condition the CLI knows (--since,
 * --until, --from, --to, --ip, --subject, --msgid, --status, --account,
 * the quick search and -E), one field each.
 *
 * Key design decision: the form edits a copy of the active filter and
 * compiles it with the same query_compile() as the CLI before anything
 * changes, so a bad date or regular expression is reported inside the
 * form, next to the fields, and the list keeps its current filter.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "textsafe.h"
#include "tui_int.h"
#include "xalloc.h"

struct form_field {
	const char *label; /* msgid, translated when drawn */
	const char *hint;
	size_t off, cap;   /* where the value lives in struct tui_spec */
};

static const struct form_field fields[] = {
	{N_("Since"), N_("From this time on: 2026-11-20, \"2026-11-20 10:00\", today, yesterday, "
			 "-2h, -3d, -30m"),
	 offsetof(struct tui_spec, since), sizeof(((struct tui_spec *)0)->since)},
	{N_("Until"), N_("Up to this time, same forms as Since (a bare date means the end of "
			 "that day)"),
	 offsetof(struct tui_spec, until), sizeof(((struct tui_spec *)0)->until)},
	{N_("From (sender)"), N_("Envelope sender; any part is enough: anna@, @example.com"),
	 offsetof(struct tui_spec, from), sizeof(((struct tui_spec *)0)->from)},
	{N_("To (recipient)"), N_("Any recipient, also the address before alias expansion"),
	 offsetof(struct tui_spec, to), sizeof(((struct tui_spec *)0)->to)},
	{N_("Client IP or host"), N_("Address or name of the server or computer that sent it"),
	 offsetof(struct tui_spec, ip), sizeof(((struct tui_spec *)0)->ip)},
	{N_("Subject"), N_("Part of the subject (decoded, any language)"),
	 offsetof(struct tui_spec, subject), sizeof(((struct tui_spec *)0)->subject)},
	{N_("Message-ID / queue id"), N_("Paste a Message-ID header (with or without <>) or a "
					 "queue id such as 4HnkK60lBRz6tl1"),
	 offsetof(struct tui_spec, msgid), sizeof(((struct tui_spec *)0)->msgid)},
	{N_("Status"), N_("One or more of: delivered, bounced, deferred, expired, rejected, "
			  "partial, queued (comma separated)"),
	 offsetof(struct tui_spec, status), sizeof(((struct tui_spec *)0)->status)},
	{N_("Account / login"), N_("DirectAdmin account or the authenticated login"),
	 offsetof(struct tui_spec, account), sizeof(((struct tui_spec *)0)->account)},
	{N_("Any field"), N_("Quick search: matches sender, recipients, subject, ids, client, "
			     "login (same as /)"),
	 offsetof(struct tui_spec, text), sizeof(((struct tui_spec *)0)->text)},
};
#define NFIELDS (sizeof fields / sizeof fields[0])
#define F_REGEX NFIELDS /* the check box after the text fields */

struct tui_form {
	struct view_edit edit[NFIELDS];
	int regex;
	size_t focus;
	char err[512];
};

static char *spec_at(struct tui_spec *s, size_t i)
{
	return (char *)s + fields[i].off;
}

static void form_enter(struct tui *ui)
{
	tui_form_release(ui);
	struct tui_form *f = xcalloc(1, sizeof *f);
	for (size_t i = 0; i < NFIELDS; i++)
		view_edit_set(&f->edit[i], spec_at(&ui->spec, i));
	f->regex = ui->spec.regex;
	ui->form = f;
}

static void form_leave(struct tui *ui)
{
	tui_form_release(ui);
}

void tui_form_release(struct tui *ui)
{
	free(ui->form);
	ui->form = NULL;
}

static size_t label_width(void)
{
	size_t w = 0;
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *l = _(fields[i].label);
		size_t x = textsafe_width(l, strlen(l));
		if (x > w)
			w = x;
	}
	const char *r = _("Regular expressions");
	size_t x = textsafe_width(r, strlen(r));
	return (x > w ? x : w) + 2;
}

/* Rows [y0, y0 + visible) hold fields first..; returns first. */
static size_t first_visible(const struct tui_form *f, size_t visible)
{
	size_t total = NFIELDS + 1;
	if (visible >= total || f->focus < visible)
		return 0;
	return f->focus - visible + 1;
}

static int field_rows(int *y0, size_t *visible)
{
	/* title, intro (2), fields, hint (2), error (2), status, keys */
	*y0 = 4;
	int room = LINES - *y0 - 7;
	*visible = room > 1 ? (size_t)room : 1;
	if (*visible > NFIELDS + 1)
		*visible = NFIELDS + 1;
	return 0;
}

static void put_wrapped(struct tui *ui, int y, int ymax, const char *s, int attr)
{
	size_t n = strlen(s);
	size_t width = (size_t)COLS > 4 ? (size_t)COLS - 4 : 1;
	for (; n && y < ymax; y++) {
		size_t k = view_wrap(s, n, width);
		tui_put(ui, y, 2, s, k, width, attr, NULL, 0);
		s += k;
		n -= k;
	}
}

static void form_draw(struct tui *ui)
{
	struct tui_form *f = ui->form;
	if (tui_too_small(ui) || !f)
		return;
	tui_title(ui, _("mailtrail: filter messages"), _("all filled fields must match"));
	put_wrapped(ui, 1, 3,
		    _("Fill in what you know and press Enter. Text matches any part of the field, "
		      "upper and lower case alike, unless regular expressions are on."),
		    A_NORMAL);
	int y0;
	size_t visible;
	field_rows(&y0, &visible);
	size_t lw = label_width();
	size_t fx = lw + 2;
	size_t fw = (size_t)COLS > fx + 2 ? (size_t)COLS - fx - 2 : 1;
	if (fw > 60)
		fw = 60;
	size_t first = first_visible(f, visible);
	for (size_t k = 0; k < visible && first + k <= NFIELDS; k++) {
		size_t i = first + k;
		int y = y0 + (int)k;
		int focus = i == f->focus;
		if (i == F_REGEX) {
			const char *l = _("Regular expressions");
			tui_put(ui, y, 1, l, strlen(l), lw, focus ? ui->attrs[TA_INFO] : (int)A_NORMAL, NULL,
				0);
			const char *box = f->regex ? "[x]" : "[ ]";
			tui_put(ui, y, (int)fx, box, 3, 3,
				focus ? ui->attrs[TA_SELECT] : ui->attrs[TA_FIELD], NULL, 0);
			const char *h = f->regex ? _("on: fields are PCRE2 patterns (-E)")
						 : _("off: plain text (Space switches)");
			tui_put(ui, y, (int)fx + 4, h, strlen(h), fw > 4 ? fw - 4 : 0, A_NORMAL, NULL,
				0);
			if (focus) {
				ui->cursor_y = y;
				ui->cursor_x = (int)fx + 1;
			}
			continue;
		}
		const char *l = _(fields[i].label);
		tui_put(ui, y, 1, l, strlen(l), lw, focus ? ui->attrs[TA_INFO] : (int)A_NORMAL, NULL, 0);
		size_t start, ccol;
		size_t vis = view_edit_window(&f->edit[i], fw, &start, &ccol);
		tui_put(ui, y, (int)fx, f->edit[i].buf + start, vis, fw, ui->attrs[TA_FIELD], NULL, 1);
		if (focus) {
			ui->cursor_y = y;
			ui->cursor_x = (int)(fx + ccol);
		}
	}
	int yh = y0 + (int)visible + 1;
	const char *hint = f->focus < NFIELDS ? _(fields[f->focus].hint)
					      : _("Space switches regular expressions on and off");
	put_wrapped(ui, yh, yh + 2, hint, ui->attrs[TA_DIM]);
	if (f->err[0])
		put_wrapped(ui, yh + 2, LINES - 2, f->err, ui->attrs[TA_ERROR]);
	tui_status_line(ui);
	const struct view_key keys[] = {
		{"Enter", _("Apply"), '\r'},
		{"Esc", _("Cancel"), TUI_ESC},
		{"Tab", _("Next field"), '\t'},
		{"^U", _("Clear field"), TUI_CTRL('u')},
		{"^X", _("Clear all"), TUI_CTRL('x')},
		{"F1", _("Help"), TUI_FN(KEY_F(1))},
	};
	tui_keybar(ui, keys, sizeof keys / sizeof keys[0]);
}

static void form_apply(struct tui *ui)
{
	struct tui_form *f = ui->form;
	struct tui_spec s;
	memset(&s, 0, sizeof s);
	for (size_t i = 0; i < NFIELDS; i++)
		snprintf(spec_at(&s, i), fields[i].cap, "%s", f->edit[i].buf);
	s.regex = f->regex;
	struct query_spec qs;
	tui_spec_view(&s, &qs);
	char err[400];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct query *q =
		query_compile(&qs, (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, err, sizeof err);
	if (!q) {
		tbuf_reset(&ui->tmp);
		view_escape(&ui->tmp, err, strlen(err), ui->ascii);
		snprintf(f->err, sizeof f->err, "%s", tbuf_str(&ui->tmp));
		return;
	}
	query_free(q);
	ui->spec = s;
	tui_pop(ui);
	tui_filter_apply(ui, 1, NULL, 0);
	tui_message(ui, 0, "%s",
		    query_is_empty(&qs) ? _("No filter: all messages") : _("Filter applied"));
}

static void form_key(struct tui *ui, int key)
{
	struct tui_form *f = ui->form;
	if (!f)
		return;
	switch (key) {
	case TUI_ESC:
		tui_pop(ui);
		return;
	case '\r':
	case '\n':
	case TUI_FN(KEY_ENTER):
		form_apply(ui);
		return;
	case '\t':
	case TUI_FN(KEY_DOWN):
	case TUI_CTRL('n'):
		f->focus = (f->focus + 1) % (NFIELDS + 1);
		return;
	case TUI_FN(KEY_BTAB):
	case TUI_FN(KEY_UP):
	case TUI_CTRL('p'):
		f->focus = (f->focus + NFIELDS) % (NFIELDS + 1);
		return;
	case TUI_CTRL('x'):
		for (size_t i = 0; i < NFIELDS; i++)
			view_edit_set(&f->edit[i], "");
		f->regex = 0;
		f->err[0] = '\0';
		return;
	case TUI_FN(KEY_MOUSE): {
		int y0;
		size_t visible;
		field_rows(&y0, &visible);
		if (!(ui->mouse.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
			return;
		int k = ui->mouse.y - y0;
		if (k < 0 || (size_t)k >= visible)
			return;
		size_t i = first_visible(f, visible) + (size_t)k;
		if (i > NFIELDS)
			return;
		if (i == F_REGEX && f->focus == F_REGEX)
			f->regex = !f->regex;
		f->focus = i;
		return;
	}
	default:
		break;
	}
	if (f->focus == F_REGEX) {
		if (key == ' ' || key == 'x' || key == TUI_FN(KEY_LEFT) || key == TUI_FN(KEY_RIGHT))
			f->regex = !f->regex;
		else if (key == TUI_CTRL('u'))
			f->regex = 0;
		return;
	}
	if (key == TUI_CTRL('u')) {
		view_edit_set(&f->edit[f->focus], "");
		return;
	}
	if (tui_edit_key(&f->edit[f->focus], key))
		f->err[0] = '\0';
}

const struct tui_screen tui_screen_form = {
	.name = "form",
	.enter = form_enter,
	.leave = form_leave,
	.draw = form_draw,
	.key = form_key,
};
