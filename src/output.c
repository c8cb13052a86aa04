/*
 * output.c - text and JSON renderings for the CLI (and the trace text the
 * TUI saves).  Everything from a log goes through tbuf_escape or
 * tbuf_json_string: this file never writes log bytes raw.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "explain.h"
#include "i18n.h"
#include "output.h"
#include "textsafe.h"
#include "timeparse.h"

/* How a source is named to people: standard input has no path. */
static const char *source_label(const struct file_info *f)
{
	return strcmp(f->src.path, "-") == 0 ? "(stdin)" : f->src.path;
}

void output_time_local(int64_t us, char buf[32])
{
	time_t t = (time_t)(us / US_PER_SEC);
	struct tm tm;
	if (us == INT64_MAX || us == INT64_MIN || !localtime_r(&t, &tm)) {
		strcpy(buf, "-");
		return;
	}
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

void output_time_rfc3339(int64_t us, char buf[40])
{
	if (us == INT64_MAX || us == INT64_MIN) {
		strcpy(buf, "");
		return;
	}
	tp_format_rfc3339(us, tz_offset_for_utc(us), buf);
}

void output_msg_id(const struct store *st, uint32_t m, struct tbuf *out)
{
	const struct message *msg = store_msg(st, m);
	if (msg->qid) {
		if (msg->host) {
			tbuf_escape(out, store_str(st, msg->host), strtab_len(&st->strs, msg->host));
			tbuf_putc(out, '/');
		}
		tbuf_escape(out, store_str(st, msg->qid), strtab_len(&st->strs, msg->qid));
	} else {
		tbuf_printf(out, "%s#%" PRIu32, store_msg_format(st, m), m);
	}
}

/* "   Label:    " with the label padded to 11 columns (not bytes: the
 * Polish labels have letters outside ASCII). */
static void put_label(struct tbuf *out, const char *label)
{
	size_t w = textsafe_width(label, strlen(label));
	tbuf_puts(out, "   ");
	tbuf_puts(out, label);
	do
		tbuf_putc(out, ' ');
	while (++w < 12);
}

static void put_str(struct tbuf *out, const struct store *st, uint32_t id)
{
	tbuf_escape(out, store_str(st, id), strtab_len(&st->strs, id));
}

void output_first_rcpt(const struct store *st, uint32_t m, struct tbuf *out)
{
	const struct message *msg = store_msg(st, m);
	if (msg->first_rcpt == RCPT_NONE) {
		tbuf_puts(out, "-");
		return;
	}
	put_str(out, st, st->rcpts[msg->first_rcpt].addr);
	uint32_t nrcpt = store_msg_nrcpt(st, msg);
	if (nrcpt > 1)
		tbuf_printf(out, " +%u", (unsigned)nrcpt - 1);
}

static const char *sender_text(const struct store *st, const struct message *msg)
{
	if (!msg->sender)
		return "-";
	return store_str(st, msg->sender);
}

/* Pad an escaped UTF-8 cell to width columns (cut when longer). */
static void cell(struct tbuf *line, const char *s, size_t n, size_t width)
{
	size_t used = 0;
	size_t fit = textsafe_fit(s, n, width, &used);
	tbuf_putn(line, s, fit);
	while (used++ < width)
		tbuf_putc(line, ' ');
}

void output_list(FILE *out, const struct store *st, const uint32_t *msgs, size_t n)
{
	struct tbuf line = TBUF_INIT, tmp = TBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		uint32_t m = msgs[i];
		const struct message *msg = store_msg(st, m);
		char ts[32];
		output_time_local(msg->first_ts, ts);
		tbuf_reset(&line);
		tbuf_printf(&line, "%s  ", ts);
		const char *status = outcome_label((enum outcome)msg->status);
		cell(&line, status, strlen(status), 9);
		tbuf_puts(&line, "  ");
		tbuf_reset(&tmp);
		const char *snd = sender_text(st, msg);
		tbuf_escape(&tmp, snd, strlen(snd));
		cell(&line, tmp.data, tmp.len, 30);
		tbuf_puts(&line, "  ");
		tbuf_reset(&tmp);
		output_first_rcpt(st, m, &tmp);
		cell(&line, tmp.data, tmp.len, 32);
		tbuf_puts(&line, "  ");
		put_str(&line, st, msg->subject);
		/* trailing blanks of empty subjects are noise in a pipe */
		while (line.len && line.data[line.len - 1] == ' ')
			line.data[--line.len] = '\0';
		fprintf(out, "%s\n", line.data);
	}
	tbuf_release(&line);
	tbuf_release(&tmp);
}

/* --- trace text ------------------------------------------------------------ */

/* How a message relates to its parent, read from the child's side. */
static const char *link_label(uint8_t link)
{
	switch (link) {
	case LINK_NEXT_HOP:
	case LINK_ORIG_QUEUE:
		return _("re-queued from");
	case LINK_FORWARDED:
		return _("forwarded from");
	case LINK_BOUNCE_CHILD:
	case LINK_BOUNCE_PARENT:
		return _("bounce of");
	default:
		return _("related to");
	}
}

/*
 * explain_outcome() runs a few dozen regular expressions; replies repeat
 * across thousands of recipients, so --json on a big set would spend most
 * of its time there.  Remember the last answers by the (interned) reply.
 * Per thread, so no lock is needed.
 */
#define EXPLAIN_MEMO 1024
struct explain_memo {
	uint32_t reply, dsn;
	uint16_t code;
	uint8_t outcome, valid, found;
	struct explanation ex;
};
static _Thread_local struct explain_memo explain_memo[EXPLAIN_MEMO];

static int explain_cached(const struct store *st, int outcome, uint32_t dsn, int code,
			  uint32_t reply, struct explanation *ex)
{
	uint32_t h = (reply * 2654435761u) ^ (dsn * 40503u) ^ ((uint32_t)code << 4) ^ (uint32_t)outcome;
	struct explain_memo *m = &explain_memo[h & (EXPLAIN_MEMO - 1)];
	if (m->valid && m->reply == reply && m->dsn == dsn && m->code == code &&
	    m->outcome == outcome) {
		*ex = m->ex;
		return m->found ? 0 : -1;
	}
	int rc = explain_outcome(outcome, dsn ? store_str(st, dsn) : NULL, code,
				 store_str(st, reply), strtab_len(&st->strs, reply), ex);
	m->reply = reply;
	m->dsn = dsn;
	m->code = (uint16_t)code;
	m->outcome = (uint8_t)outcome;
	m->valid = 1;
	m->found = rc == 0;
	if (rc == 0)
		m->ex = *ex;
	return rc;
}

static void explain_one(struct tbuf *out, const struct explanation *ex, const char *indent)
{
	tbuf_printf(out, "%s%s %s\n", indent, _("What happened:"), ex->cause);
	if (ex->side != SIDE_NONE)
		tbuf_printf(out, "%s%s %s\n", indent, _("Whose side:"), explain_side_label(ex->side));
	/* further steps line up under the first, whatever the label's
	 * length in the user's language */
	const char *label = _("What to do:");
	size_t width = textsafe_width(label, strlen(label));
	for (int i = 0; i < 4 && ex->steps[i]; i++) {
		if (i == 0)
			tbuf_printf(out, "%s%s %s\n", indent, label, ex->steps[i]);
		else
			tbuf_printf(out, "%s%*s %s\n", indent, (int)width, "", ex->steps[i]);
	}
}

/* The explanation of a recipient's outcome.  An expired recipient gets
 * two: why the server gave up, and what kept failing until then. */
static void explain_rcpt(struct tbuf *out, const struct store *st, const struct rcpt *rc,
			 enum outcome o, const char *indent)
{
	struct explanation ex;
	const char *dsn = rc->dsn ? store_str(st, rc->dsn) : NULL;
	const char *reply = store_str(st, rc->reply);
	size_t reply_len = strtab_len(&st->strs, rc->reply);
	if (o == OUT_EXPIRED && explain_outcome((int)o, NULL, 0, "", 0, &ex) == 0) {
		explain_one(out, &ex, indent);
		if (!reply_len || explain_outcome((int)o, dsn, rc->smtp_code, reply, reply_len,
						  &ex) != 0)
			return;
		tbuf_printf(out, "%s%s\n", indent, _("Until then, every attempt failed because:"));
		explain_one(out, &ex, indent);
		return;
	}
	if (explain_outcome((int)o, dsn, rc->smtp_code, reply, reply_len, &ex) == 0)
		explain_one(out, &ex, indent);
}

static void trace_message_text(struct tbuf *out, const struct store *st, const struct trace *t,
			       uint32_t m)
{
	const struct message *msg = store_msg(st, m);
	char a[32], b[32];
	tbuf_puts(out, m == t->root ? "== " : "-- ");
	tbuf_printf(out, "%s ", _("Message"));
	output_msg_id(st, m, out);
	tbuf_printf(out, "  [%s]  (%s)", outcome_label((enum outcome)msg->status),
		    store_msg_format(st, m));
	if (msg->parent != MSG_NONE) {
		tbuf_printf(out, "  %s ", link_label(msg->parent_link));
		output_msg_id(st, msg->parent, out);
	}
	tbuf_putc(out, '\n');
	put_label(out, _("From:"));
	put_str(out, st, msg->sender);
	if (msg->client_ip || msg->client_host) {
		tbuf_printf(out, "   %s ", _("client"));
		if (msg->client_host) {
			put_str(out, st, msg->client_host);
		} else if (store_msg_extra(st, msg, MSG_X_HELO)) {
			tbuf_putc(out, '(');
			put_str(out, st, store_msg_extra(st, msg, MSG_X_HELO));
			tbuf_putc(out, ')');
		}
		tbuf_puts(out, " [");
		put_str(out, st, msg->client_ip);
		tbuf_puts(out, "]");
	}
	if (msg->auth) {
		tbuf_printf(out, "  %s ", _("login"));
		put_str(out, st, msg->auth);
	}
	tbuf_putc(out, '\n');
	if (msg->subject) {
		put_label(out, _("Subject:"));
		put_str(out, st, msg->subject);
		tbuf_putc(out, '\n');
	}
	if (msg->msgid) {
		put_label(out, "Message-ID:");
		tbuf_putc(out, '<');
		put_str(out, st, msg->msgid);
		tbuf_puts(out, ">\n");
	}
	if (store_msg_extra(st, msg, MSG_X_ACCOUNT) || store_msg_extra(st, msg, MSG_X_SCRIPT)) {
		put_label(out, _("Account:"));
		put_str(out, st, store_msg_extra(st, msg, MSG_X_ACCOUNT));
		if (msg->flags & (MSG_INBOUND | MSG_OUTBOUND))
			tbuf_printf(out, " (%s)", msg->flags & MSG_OUTBOUND ? _("out") : _("in"));
		if (store_msg_extra(st, msg, MSG_X_SCRIPT)) {
			tbuf_printf(out, "  %s ", _("script"));
			put_str(out, st, store_msg_extra(st, msg, MSG_X_SCRIPT));
		}
		tbuf_putc(out, '\n');
	}
	output_time_local(msg->first_ts, a);
	output_time_local(msg->last_ts, b);
	put_label(out, _("Seen:"));
	tbuf_printf(out, "%s .. %s", a, b);
	if (store_msg_size(msg) >= 0)
		tbuf_printf(out, "   %s %" PRId64 " B", _("size"), store_msg_size(msg));
	tbuf_putc(out, '\n');
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
		const struct rcpt *rc = &st->rcpts[r];
		uint32_t fin = r;
		enum outcome o = store_rcpt_final(st, r, &fin);
		const struct rcpt *fr = &st->rcpts[fin];
		tbuf_printf(out, "   %s ", _("To:"));
		put_str(out, st, rc->addr);
		if (rc->orig && rc->orig != rc->addr) {
			tbuf_puts(out, " (");
			put_str(out, st, rc->orig);
			tbuf_puts(out, ")");
		}
		tbuf_printf(out, "  %s", outcome_label(o));
		if (fr->dsn) {
			tbuf_puts(out, " ");
			put_str(out, st, fr->dsn);
		}
		if (fr->smtp_code)
			tbuf_printf(out, " %u", fr->smtp_code);
		if (fr->relay) {
			tbuf_printf(out, "  %s ", _("via"));
			put_str(out, st, fr->relay);
		}
		tbuf_putc(out, '\n');
		if (fr->reply) {
			tbuf_puts(out, "      \"");
			put_str(out, st, fr->reply);
			tbuf_puts(out, "\"\n");
		}
		explain_rcpt(out, st, fr, o, "      ");
	}
	if (msg->first_rcpt == RCPT_NONE && msg->status != OUT_QUEUED) {
		struct rcpt none;
		memset(&none, 0, sizeof none);
		explain_rcpt(out, st, &none, (enum outcome)msg->status, "   ");
	}
	size_t first, count;
	trace_events_of(t, m, &first, &count);
	for (size_t i = first; i < first + count; i++) {
		const struct trace_event *te = &t->events[i];
		char ts[32];
		output_time_local(te->ts_us, ts);
		const struct file_info *f = &st->files[te->file];
		const char *path = source_label(f);
		const char *slash = strrchr(path, '/');
		tbuf_printf(out, "     %s  %-11s ", ts, ev_kind_name((enum ev_kind)te->kind));
		tbuf_escape(out, slash ? slash + 1 : path, strlen(slash ? slash + 1 : path));
		if (te->line)
			tbuf_printf(out, ":%" PRIu64, te->line);
		tbuf_putc(out, '\n');
		if (te->raw.len) {
			tbuf_puts(out, "         ");
			tbuf_escape(out, te->raw.data, te->raw.len);
			tbuf_putc(out, '\n');
		}
	}
}

void output_trace_text(struct tbuf *out, const struct store *st, const struct trace *t)
{
	for (size_t i = 0; i < t->nmsgs; i++) {
		trace_message_text(out, st, t, t->msgs[i]);
		tbuf_putc(out, '\n');
	}
	if (t->error[0]) {
		tbuf_printf(out, "%s ", _("note:"));
		tbuf_escape(out, t->error, strlen(t->error));
		tbuf_putc(out, '\n');
	}
}

/* --- JSON ---------------------------------------------------------------- */

static void json_key(struct tbuf *out, const char *key, int *first)
{
	if (!*first)
		tbuf_putc(out, ',');
	*first = 0;
	tbuf_printf(out, "\"%s\":", key);
}

static void json_str_id(struct tbuf *out, const struct store *st, const char *key, uint32_t id,
			int *first)
{
	json_key(out, key, first);
	if (!id) {
		tbuf_puts(out, "null");
		return;
	}
	tbuf_json_string(out, store_str(st, id), strtab_len(&st->strs, id));
}

static void json_cstr(struct tbuf *out, const char *key, const char *s, int *first)
{
	json_key(out, key, first);
	if (!s)
		tbuf_puts(out, "null");
	else
		tbuf_json_string(out, s, strlen(s));
}

static void json_time(struct tbuf *out, const char *key, int64_t us, int *first)
{
	char buf[40];
	output_time_rfc3339(us, buf);
	json_cstr(out, key, buf[0] ? buf : NULL, first);
}

static void json_msg_ref(struct tbuf *out, const struct store *st, uint32_t m, uint8_t link)
{
	struct tbuf id = TBUF_INIT;
	output_msg_id(st, m, &id);
	tbuf_puts(out, "{\"id\":");
	tbuf_json_string(out, id.data, id.len);
	static const char *const names[LINK__COUNT] = {
		[LINK_NONE] = "related",        [LINK_NEXT_HOP] = "next_hop",
		[LINK_FORWARDED] = "forwarded", [LINK_BOUNCE_CHILD] = "bounce",
		[LINK_BOUNCE_PARENT] = "bounce", [LINK_ORIG_QUEUE] = "requeued",
	};
	tbuf_printf(out, ",\"link\":\"%s\"}", link < LINK__COUNT ? names[link] : "related");
	tbuf_release(&id);
}

void output_json_message(struct tbuf *out, const struct store *st, uint32_t m,
			 const struct trace *t)
{
	const struct message *msg = store_msg(st, m);
	int first = 1;
	struct tbuf id = TBUF_INIT;
	output_msg_id(st, m, &id);
	tbuf_putc(out, '{');
	json_key(out, "id", &first);
	tbuf_json_string(out, id.data, id.len);
	tbuf_release(&id);
	json_str_id(out, st, "host", msg->host, &first);
	json_cstr(out, "format", store_msg_format(st, m), &first);
	json_key(out, "queue_ids", &first);
	tbuf_putc(out, '[');
	if (msg->qid)
		tbuf_json_string(out, store_str(st, msg->qid), strtab_len(&st->strs, msg->qid));
	tbuf_putc(out, ']');
	json_str_id(out, st, "message_id", msg->msgid, &first);
	json_str_id(out, st, "sender", msg->sender, &first);
	json_str_id(out, st, "subject", msg->subject, &first);
	json_str_id(out, st, "client_ip", msg->client_ip, &first);
	json_str_id(out, st, "client_host", msg->client_host, &first);
	json_str_id(out, st, "helo", store_msg_extra(st, msg, MSG_X_HELO), &first);
	json_str_id(out, st, "auth", msg->auth, &first);
	json_str_id(out, st, "account", store_msg_extra(st, msg, MSG_X_ACCOUNT), &first);
	json_str_id(out, st, "script", store_msg_extra(st, msg, MSG_X_SCRIPT), &first);
	json_key(out, "direction", &first);
	tbuf_puts(out, msg->flags & MSG_OUTBOUND ? "\"out\"" : msg->flags & MSG_INBOUND ? "\"in\""
											: "null");
	json_key(out, "size", &first);
	if (store_msg_size(msg) >= 0)
		tbuf_printf(out, "%" PRId64, store_msg_size(msg));
	else
		tbuf_puts(out, "null");
	json_time(out, "first_seen", msg->first_ts, &first);
	json_time(out, "last_seen", msg->last_ts, &first);
	json_cstr(out, "status", outcome_name((enum outcome)msg->status), &first);
	json_key(out, "is_bounce", &first);
	tbuf_puts(out, msg->flags & MSG_IS_BOUNCE ? "true" : "false");
	json_key(out, "recipients", &first);
	tbuf_putc(out, '[');
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next) {
		const struct rcpt *rc = &st->rcpts[r];
		uint32_t fin = r;
		enum outcome o = store_rcpt_final(st, r, &fin);
		const struct rcpt *fr = &st->rcpts[fin];
		int f2 = 1;
		if (r != msg->first_rcpt)
			tbuf_putc(out, ',');
		tbuf_putc(out, '{');
		json_str_id(out, st, "address", rc->addr, &f2);
		json_str_id(out, st, "orig", rc->orig, &f2);
		json_cstr(out, "status", outcome_name(o), &f2);
		json_str_id(out, st, "dsn", fr->dsn, &f2);
		json_key(out, "smtp_code", &f2);
		if (fr->smtp_code)
			tbuf_printf(out, "%u", fr->smtp_code);
		else
			tbuf_puts(out, "null");
		json_str_id(out, st, "relay", fr->relay, &f2);
		json_str_id(out, st, "response", fr->reply, &f2);
		json_time(out, "at", fr->at ? fr->at : INT64_MIN, &f2);
		json_key(out, "explanation", &f2);
		struct explanation ex;
		const char *dsn = fr->dsn ? store_str(st, fr->dsn) : NULL;
		(void)dsn;
		int have = o == OUT_EXPIRED
				   ? explain_outcome((int)o, NULL, 0, "", 0, &ex) == 0
				   : explain_cached(st, (int)o, fr->dsn, fr->smtp_code, fr->reply, &ex) == 0;
		if (have) {
			int f3 = 1;
			tbuf_putc(out, '{');
			json_cstr(out, "id", ex.id, &f3);
			json_cstr(out, "cause", ex.cause, &f3);
			json_cstr(out, "side", explain_side_name(ex.side), &f3);
			json_key(out, "steps", &f3);
			tbuf_putc(out, '[');
			for (int k = 0; k < 4 && ex.steps[k]; k++) {
				if (k)
					tbuf_putc(out, ',');
				tbuf_json_string(out, ex.steps[k], strlen(ex.steps[k]));
			}
			tbuf_puts(out, "]}");
		} else {
			tbuf_puts(out, "null");
		}
		tbuf_putc(out, '}');
	}
	tbuf_putc(out, ']');
	json_key(out, "parent", &first);
	if (msg->parent != MSG_NONE)
		json_msg_ref(out, st, msg->parent, msg->parent_link);
	else
		tbuf_puts(out, "null");
	json_key(out, "children", &first);
	tbuf_putc(out, '[');
	for (uint32_t ch = msg->first_child; ch != MSG_NONE; ch = st->msgs[ch].next_sibling) {
		if (ch != msg->first_child)
			tbuf_putc(out, ',');
		json_msg_ref(out, st, ch, st->msgs[ch].parent_link);
	}
	tbuf_putc(out, ']');
	json_key(out, "events", &first);
	tbuf_putc(out, '[');
	size_t fi = 0, cnt = 0;
	if (t)
		trace_events_of(t, m, &fi, &cnt);
	for (size_t i = 0; i < cnt; i++) {
		const struct trace_event *te = &t->events[fi + i];
		int f4 = 1;
		if (i)
			tbuf_putc(out, ',');
		tbuf_putc(out, '{');
		json_time(out, "ts", te->ts_us, &f4);
		json_cstr(out, "kind", ev_kind_name((enum ev_kind)te->kind), &f4);
		json_cstr(out, "file", source_label(&st->files[te->file]), &f4);
		json_key(out, "line", &f4);
		if (te->line)
			tbuf_printf(out, "%" PRIu64, te->line);
		else
			tbuf_puts(out, "null");
		json_key(out, "raw", &f4);
		tbuf_json_string(out, tbuf_str(&te->raw), te->raw.len);
		tbuf_putc(out, '}');
	}
	tbuf_puts(out, "]}");
}

/* --- report -------------------------------------------------------------- */

void output_totals(const struct store *st, uint64_t *lines, uint64_t *ok, uint64_t *unknown)
{
	*lines = *ok = *unknown = 0;
	for (uint32_t i = 0; i < st->nfiles; i++) {
		*lines += st->files[i].lines;
		*ok += st->files[i].ok;
		*unknown += st->files[i].unknown + st->files[i].bad;
	}
}

void output_file_report(FILE *err, const struct store *st, int quiet)
{
	struct tbuf b = TBUF_INIT;
	for (uint32_t i = 0; i < st->nfiles; i++) {
		const struct file_info *f = &st->files[i];
		uint64_t bad = f->unknown + f->bad;
		int problem = f->error[0] || bad || f->cut || (f->format && f->ok == 0);
		if (quiet && !problem)
			continue;
		tbuf_reset(&b);
		tbuf_puts(&b, "mailtrail: ");
		tbuf_escape(&b, source_label(f), strlen(source_label(f)));
		if (f->format) {
			tbuf_printf(&b, " (%s): ", f->format);
			/* TRANSLATORS: the number of lines picks the form */
			tbuf_printf(&b, P_("%" PRIu64 " line, %" PRIu64 " recognised, %" PRIu64
					   " skipped, %" PRIu64 " not understood",
					   "%" PRIu64 " lines, %" PRIu64 " recognised, %" PRIu64
					   " skipped, %" PRIu64 " not understood",
					   f->lines),
				    f->lines, f->ok, f->skipped, bad);
			if (f->cut)
				tbuf_printf(&b, _(", %" PRIu64 " cut at 64 KiB"), f->cut);
		}
		fprintf(err, "%s\n", b.data);
		if (f->error[0]) {
			tbuf_reset(&b);
			tbuf_puts(&b, "mailtrail: ");
			tbuf_escape(&b, f->error, strlen(f->error));
			fprintf(err, "%s\n", b.data);
		}
		if (f->header_note[0] && !quiet) {
			tbuf_reset(&b);
			tbuf_puts(&b, "  ");
			tbuf_escape(&b, f->header_note, strlen(f->header_note));
			fprintf(err, "%s\n", b.data);
		}
		for (uint32_t k = 0; k < f->nsamples && k < 3; k++) {
			const struct file_sample *s = &f->samples[k];
			tbuf_reset(&b);
			tbuf_puts(&b, "  ");
			tbuf_escape(&b, source_label(f), strlen(source_label(f)));
			tbuf_printf(&b, ":%" PRIu64 ": ", s->line);
			if (s->why)
				tbuf_printf(&b, "%s: ", s->why);
			tbuf_putc(&b, '"');
			tbuf_escape(&b, s->text, strlen(s->text));
			tbuf_putc(&b, '"');
			fprintf(err, "%s\n", b.data);
		}
	}
	tbuf_release(&b);
}
