/*
 * emaillabs.c - EmailLabs (Vercom) message reports as CSV.
 *
 * EmailLabs documents no per-message CSV export (FORMATS.md §5.2: only the
 * Blacklist exports to CSV); the CSVs support staff get are copies of the
 * panel's Raporty > Mail table or made from the API's emails /
 * smtp_events data.  So the header is mapped through aliases of both:
 *   panel (Polish):  Czas wysłania;Od;Do;Temat;Status;Data statusu;
 *                    Szczegóły statusu;Rozmiar;ID wiadomości;Konto
 *   API-style:       message_id,to,from,subject,status,created_at,
 *                    updated_at,response,size,account
 * and a header is accepted when it has a status column and a recipient or
 * a message id.  No real export row exists publicly: the panel labels are
 * from docs.emaillabs.io (szczegolowe-logi-wiadomosci), the API names from
 * emaillabs/emaillabs-php-api@4d1d507.
 *
 * Key design decision: one row is one status of one message (EV_STEP), or
 * a tracking event (open -> EV_OPENED, track -> EV_CLICKED, feedback ->
 * EV_COMPLAINT).  The row's message_id is both the folding key (F_QID)
 * and the Message-ID that links it to local MTA logs; F_HOST "emaillabs"
 * keeps it apart from local queue ids.  The row's time is the status time
 * when there is one, else the send time; panel times carry no zone and are
 * left as local time (--tz).
 *
 * Statuses (FORMATS.md §5.1): injected -> queued, ok -> delivered,
 * deferred -> deferred, soft/hard/spambounce -> bounced, dropped ->
 * rejected (never sent: blacklisted address or plan limit).
 */
#include <string.h>

#include "csv.h"
#include "event.h"
#include "parser.h"
#include "timeparse.h"

enum el_slot {
	E_MSGID, E_TO, E_FROM, E_SUBJECT, E_STATUS, E_SENT_AT, E_STATUS_AT, E_DETAILS,
	E_SIZE, E_ACCOUNT, E_OPENED, E_OPEN_AT, E_CLICKED, E_CLICK_AT, E__COUNT
};

/* Panel labels (Polish, docs.emaillabs.io), API field names
 * (emaillabs-php-api filters and the FORMATS.md §5.2 suggestion), and a
 * few obvious synonyms.  "event" is deliberately NOT a status alias: the
 * Google Investigation-tool CSV has an "event" column. */
static const char *const a_msgid[] = {"message_id", "ID wiadomości", "Identyfikator wiadomości",
				      "Message-ID", "msgid", NULL};
static const char *const a_to[] = {"to", "Do", "Odbiorca", "Adresat", "recipient", "rcpt",
				   "to_email", NULL};
static const char *const a_from[] = {"from", "Od", "Nadawca", "sender", "from_email",
				     "mail_from", NULL};
static const char *const a_subject[] = {"subject", "Temat", NULL};
static const char *const a_status[] = {"status", "Status wiadomości", "Ostatni status",
				       "last_status", NULL};
static const char *const a_sent_at[] = {"created_at", "Czas wysłania", "Data wysłania",
					"injected_time", "sent_at", "send_time", "date", "Data",
					NULL};
static const char *const a_status_at[] = {"Data statusu", "Czas statusu", "status_date",
					  "updated_at", "event_time", "status_time", "timestamp",
					  NULL};
static const char *const a_details[] = {"Szczegóły statusu", "response", "reason",
					"status_details", "smtp_response", "details",
					"Odpowiedź serwera", "Opis", NULL};
static const char *const a_size[] = {"size", "Rozmiar", "Rozmiar wiadomości", "message_size",
				     NULL};
static const char *const a_account[] = {"account", "Konto", "Konto SMTP", "smtp_account",
					"subaccount", "Subkonto", NULL};
static const char *const a_opened[] = {"Otwarty", "opened", NULL};
static const char *const a_open_at[] = {"Czas otwarcia", "opened_at", "open_time", NULL};
static const char *const a_clicked[] = {"Kliknięty", "clicked", NULL};
static const char *const a_click_at[] = {"Czas kliknięcia", "clicked_at", "click_time", NULL};

static const struct csv_column el_cols[E__COUNT] = {
	[E_MSGID] = {"message_id", a_msgid},
	[E_TO] = {"to", a_to},
	[E_FROM] = {"from", a_from},
	[E_SUBJECT] = {"subject", a_subject},
	[E_STATUS] = {"status", a_status},
	[E_SENT_AT] = {"sent_at", a_sent_at},
	[E_STATUS_AT] = {"status_at", a_status_at},
	[E_DETAILS] = {"status_details", a_details},
	[E_SIZE] = {"size", a_size},
	[E_ACCOUNT] = {"account", a_account},
	[E_OPENED] = {"opened", a_opened},
	[E_OPEN_AT] = {"opened_at", a_open_at},
	[E_CLICKED] = {"clicked", a_clicked},
	[E_CLICK_AT] = {"clicked_at", a_click_at},
};

#define BIT(s) (UINT32_C(1) << (s))
#define EL_SCRATCH 512

static const struct csv_schema el_schema = {
	.cols = el_cols,
	.ncols = E__COUNT,
	.need_all = BIT(E_STATUS),
	.need_any = BIT(E_TO) | BIT(E_MSGID),
	.scratch = EL_SCRATCH,
};

/* EmailLabs status words (FORMATS.md §5.1), plus the API/webhook spellings
 * "click" and "spam_complaint" and plain-English synonyms. */
static const struct {
	const char *word;
	uint8_t kind;
	uint8_t outcome;
	const char *note;
} el_status[] = {
	{"injected", EV_STEP, OUT_QUEUED, NULL},
	{"ok", EV_STEP, OUT_DELIVERED, NULL},
	{"deferred", EV_STEP, OUT_DEFERRED, "temporary problem; EmailLabs retries for 48 hours"},
	{"softbounce", EV_STEP, OUT_BOUNCED,
	 "temporary problem at the recipient (mailbox full, server down, message too big)"},
	{"hardbounce", EV_STEP, OUT_BOUNCED,
	 "permanent failure; EmailLabs adds the address to its blacklist"},
	{"spambounce", EV_STEP, OUT_BOUNCED, "rejected by the recipient's server as spam"},
	{"dropped", EV_STEP, OUT_REJECTED, "not sent: blacklisted address or plan limit"},
	{"open", EV_OPENED, OUT_NONE, NULL},
	{"track", EV_CLICKED, OUT_NONE, NULL},
	{"click", EV_CLICKED, OUT_NONE, NULL},
	{"feedback", EV_COMPLAINT, OUT_NONE, "the recipient marked it as spam"},
	{"spam_complaint", EV_COMPLAINT, OUT_NONE, "the recipient marked it as spam"},
	{"delivered", EV_STEP, OUT_DELIVERED, NULL},
	{"bounced", EV_STEP, OUT_BOUNCED, NULL},
};

static int el_known_status(struct slice s, size_t *idx)
{
	s = csv_trim(s);
	for (size_t k = 0; k < sizeof el_status / sizeof el_status[0]; k++) {
		if (csv_ieq(s, el_status[k].word)) {
			if (idx)
				*idx = k;
			return 1;
		}
	}
	return 0;
}

static struct slice address(struct slice s)
{
	if (s.n > 2 && s.p[0] == '<' && s.p[s.n - 1] == '>') {
		s.p++;
		s.n -= 2;
	}
	return s;
}

/* "12345", "12345 B", "12,3 kB", "1.2 MB" -> bytes; -1 if not a size.
 * The panel's unit base is unknown; 1024 as mail tools usually use. */
static int64_t el_size(struct slice s)
{
	int64_t whole = 0, frac = 0, scale = 1;
	size_t i = 0, d = 0;
	while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && d < 15) {
		whole = whole * 10 + (s.p[i++] - '0');
		d++;
	}
	if (!d)
		return -1;
	if (i < s.n && (s.p[i] == '.' || s.p[i] == ',')) {
		i++;
		while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && scale < 1000000) {
			frac = frac * 10 + (s.p[i++] - '0');
			scale *= 10;
		}
	}
	while (i < s.n && s.p[i] == ' ')
		i++;
	struct slice unit = {s.p + i, (uint32_t)(s.n - i)};
	int64_t mult;
	if (unit.n == 0 || csv_ieq(unit, "B"))
		mult = 1;
	else if (csv_ieq(unit, "KB") || csv_ieq(unit, "KiB"))
		mult = 1024;
	else if (csv_ieq(unit, "MB") || csv_ieq(unit, "MiB"))
		mult = 1024 * 1024;
	else
		return -1;
	if (mult == 1 && scale > 1)
		return -1; /* "1,234" without a unit: a thousands separator? */
	return whole * mult + frac * mult / scale;
}

static int truthy(struct slice s)
{
	return csv_ieq(s, "tak") || csv_ieq(s, "yes") || csv_ieq(s, "true") || slice_eq(s, "1");
}

struct det {
	char *p;
	size_t n, cap;
};

static void det_add(struct det *d, const char *s, size_t n)
{
	if (d->n && d->n + 2 <= d->cap) {
		memcpy(d->p + d->n, "; ", 2);
		d->n += 2;
	}
	if (n > d->cap - d->n)
		n = d->cap - d->n;
	memcpy(d->p + d->n, s, n);
	d->n += n;
}

static void det_cat(struct det *d, const char *s, size_t n)
{
	if (n > d->cap - d->n)
		n = d->cap - d->n;
	memcpy(d->p + d->n, s, n);
	d->n += n;
}

static enum parse_result el_line(void *state, const char *line, size_t len, struct pline *out,
				 const char **why)
{
	struct csv_reader *r = state;
	enum parse_result pr = csv_reader_line(r, line, len, why);
	if (pr != PARSE_OK)
		return pr;

	struct slice c[E__COUNT];
	for (unsigned i = 0; i < E__COUNT; i++)
		c[i] = csv_trim(csv_field(r, i));
	struct det d = {csv_scratch(r), 0, EL_SCRATCH};

	/* When the status happened, else when the message was sent. */
	struct slice t = c[E_STATUS_AT].n ? c[E_STATUS_AT] : c[E_SENT_AT];
	if (t.n) {
		unsigned fl = 0;
		if (!tp_export(t.p, t.n, &out->ts_us, &fl)) {
			*why = c[E_STATUS_AT].n ? "status date is not a date" : "send time is not a date";
			return PARSE_BAD;
		}
		out->flags |= (uint8_t)fl;
	} else {
		out->flags |= PL_NOTIME;
	}

	out->f[F_HOST].p = "emaillabs";
	out->f[F_HOST].n = 9;
	out->flags |= PL_OUTBOUND;
	out->f[F_QID] = c[E_MSGID];
	out->f[F_MSGID] = c[E_MSGID];
	out->f[F_SENDER] = address(c[E_FROM]);
	out->f[F_RCPT] = address(c[E_TO]);
	out->f[F_SUBJECT] = c[E_SUBJECT];
	out->f[F_ACCOUNT] = c[E_ACCOUNT];
	out->f[F_STATUS_RAW] = c[E_STATUS];
	out->f[F_REPLY] = c[E_DETAILS];
	out->smtp_code = (uint16_t)csv_smtp_code(c[E_DETAILS]);
	out->f[F_DSN] = csv_dsn(c[E_DETAILS]);
	if (c[E_SIZE].n)
		out->size = el_size(c[E_SIZE]);

	size_t k;
	out->kind = EV_STEP;
	if (el_known_status(c[E_STATUS], &k)) {
		out->kind = el_status[k].kind;
		out->outcome = el_status[k].outcome;
		if (el_status[k].note)
			det_add(&d, el_status[k].note, strlen(el_status[k].note));
	}

	/* Panel rows carry the tracking columns next to the delivery
	 * status; keep them for the trace. */
	if (c[E_OPEN_AT].n || truthy(c[E_OPENED])) {
		det_add(&d, "opened", 6);
		if (c[E_OPEN_AT].n) {
			det_cat(&d, " ", 1);
			det_cat(&d, c[E_OPEN_AT].p, c[E_OPEN_AT].n);
		}
	}
	if (c[E_CLICK_AT].n || truthy(c[E_CLICKED])) {
		det_add(&d, "clicked", 7);
		if (c[E_CLICK_AT].n) {
			det_cat(&d, " ", 1);
			det_cat(&d, c[E_CLICK_AT].p, c[E_CLICK_AT].n);
		}
	}
	if (d.n) {
		out->f[F_DETAIL].p = d.p;
		out->f[F_DETAIL].n = (uint32_t)d.n;
	}
	return PARSE_OK;
}

static int el_probe(const char *const *lines, const size_t *lens, size_t n)
{
	size_t i = 0;
	while (i < n && !lens[i])
		i++;
	if (i == n)
		return 0;
	struct csv_probe pr;
	csv_probe_header(&el_schema, lines[i], lens[i], &pr);
	if (!pr.ok)
		return 0;
	int score = 40 + 6 * (int)pr.mapped;
	if (score > 80)
		score = 80;
	/* The data rows' statuses tell a real EmailLabs report from any CSV
	 * that happens to have "to" and "status" columns. */
	size_t rows = 0, known = 0;
	char buf[32];
	for (i++; i < n; i++) {
		if (!lens[i])
			continue;
		size_t cl = csv_probe_cell(lines[i], lens[i], pr.delim, (unsigned)pr.col[E_STATUS], buf,
					   sizeof buf);
		if (cl == (size_t)-1)
			continue; /* a quoted newline's continuation, or short */
		struct slice s = {buf, (uint32_t)cl};
		rows++;
		known += (size_t)el_known_status(s, NULL);
	}
	if (rows && !known)
		return score < 35 ? score : 35;
	if (rows)
		score += (int)(20 * known / rows);
	return score > PROBE_MAX ? PROBE_MAX : score;
}

static void *el_begin(void)
{
	return csv_reader_new(&el_schema);
}

const struct parser parser_emaillabs = {
	.name = "emaillabs",
	.title = "EmailLabs message report (CSV)",
	.init = NULL,
	.probe = el_probe,
	.begin = el_begin,
	.line = el_line,
	.end = csv_reader_free,
};
