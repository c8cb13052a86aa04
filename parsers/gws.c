/*
 * gws.c - Google Workspace Email Log Search (Admin console > Reporting >
 * Email log search) CSV export.
 *
 * Header of current exports (FORMATS.md §4.1, confirmed by three public
 * consumers and Google's "export fields" page, answer/13828463):
 *   Message ID,Start date,End date,Sender,Message size,Subject,Direction,
 *   Attachments,Recipient address,Event target,Event date,Event status,
 *   Event target IP address,Has encryption,Event SMTP reply code,
 *   Event description,Client Type,Device User Session ID
 * Exports before ~2023 stop after "Event description" (16 columns).  Date
 * cells are "2023/05/04 09:12:33 UTC" (SOF-ELK 6951-gws.conf); other
 * locales' forms are read by tp_export, and a zone-less date is left as
 * local time for --tz.
 *
 * Key design decision: one CSV row is one delivery STEP of one message to
 * one recipient; rows are not merged here.  Every row is an EV_STEP keyed
 * by its Message ID (F_QID = F_MSGID) and labelled F_HOST "google", so the
 * correlator folds the steps into one message and never confuses the key
 * with a local queue id.  Rows whose Message ID contains
 * SMTPIN_ADDED_REJECT_SESSION were refused in SMTP before an id existed:
 * they get an EMPTY F_QID so each stays its own rejected attempt.
 *
 * Decisions on statuses (FORMATS.md §4.1 lists DELIVERED, BOUNCED, VIEWED,
 * "Quarantined", "Marked spam"; the rest are plausible UI words):
 *   - Quarantined -> EV_HOLD with OUT_QUEUED, not bounced: the message sits
 *     in the admin quarantine and can still be released; nothing was sent
 *     back.  F_DETAIL says so.
 *   - Marked spam (and DELIVERED to GMAIL_SPAM) -> OUT_DELIVERED with a
 *     note: it reached the mailbox, in the spam folder.
 *   - VIEWED -> EV_OPENED.  Unknown statuses -> EV_STEP without outcome.
 * "Event target IP address" goes to F_CLIENT_IP as the address Google
 * talked to on that step (the client for SMTP_IN, the next server for
 * SMTP_OUT).
 */
#include <string.h>

#include "csv.h"
#include "event.h"
#include "parser.h"
#include "timeparse.h"

enum gws_slot {
	G_MSGID, G_START, G_END, G_SENDER, G_SIZE, G_SUBJECT, G_DIRECTION, G_ATTACH,
	G_RCPT, G_TARGET, G_EVDATE, G_STATUS, G_TARGET_IP, G_ENCRYPTION, G_REPLY_CODE,
	G_DESCRIPTION, G_CLIENT_TYPE, G_SESSION, G__COUNT
};

/*
 * Header spellings.  The first of each list is the English header (exact,
 * FORMATS.md §4.1); snake_case forms (BigQuery / scripts) fold to the same
 * key.  The Polish ones are GUESSES at the Admin console's translation:
 * whether the export header is translated at all is unknown (FORMATS.md
 * §6.2).  Replace them when a real Polish export is seen.
 */
static const char *const a_msgid[] = {"Message ID", "Identyfikator wiadomości",
				      "ID wiadomości", NULL};
static const char *const a_start[] = {"Start date", "Data rozpoczęcia", "Data początkowa", NULL};
static const char *const a_end[] = {"End date", "Data zakończenia", "Data końcowa", NULL};
static const char *const a_sender[] = {"Sender", "Nadawca", NULL};
static const char *const a_size[] = {"Message size", "Rozmiar wiadomości", NULL};
static const char *const a_subject[] = {"Subject", "Temat", NULL};
static const char *const a_direction[] = {"Direction", "Kierunek", NULL};
static const char *const a_attach[] = {"Attachments", "Załączniki", NULL};
static const char *const a_rcpt[] = {"Recipient address", "Adres odbiorcy", "Odbiorca", NULL};
static const char *const a_target[] = {"Event target", "Cel zdarzenia", NULL};
static const char *const a_evdate[] = {"Event date", "Data zdarzenia", NULL};
static const char *const a_status[] = {"Event status", "Stan zdarzenia", "Status zdarzenia", NULL};
static const char *const a_target_ip[] = {"Event target IP address", "Adres IP celu zdarzenia",
					  "Adres IP celu", NULL};
static const char *const a_encryption[] = {"Has encryption", "Szyfrowanie", NULL};
static const char *const a_reply_code[] = {"Event SMTP reply code",
					   "Kod odpowiedzi SMTP zdarzenia",
					   "Kod odpowiedzi SMTP", NULL};
static const char *const a_description[] = {"Event description", "Opis zdarzenia", NULL};
static const char *const a_client_type[] = {"Client Type", "Typ klienta", NULL};
static const char *const a_session[] = {"Device User Session ID",
					"Identyfikator sesji użytkownika urządzenia", NULL};

static const struct csv_column gws_cols[G__COUNT] = {
	[G_MSGID] = {"message_id", a_msgid},
	[G_START] = {"start_date", a_start},
	[G_END] = {"end_date", a_end},
	[G_SENDER] = {"sender", a_sender},
	[G_SIZE] = {"message_size", a_size},
	[G_SUBJECT] = {"subject", a_subject},
	[G_DIRECTION] = {"direction", a_direction},
	[G_ATTACH] = {"attachments", a_attach},
	[G_RCPT] = {"recipient", a_rcpt},
	[G_TARGET] = {"event_target", a_target},
	[G_EVDATE] = {"event_date", a_evdate},
	[G_STATUS] = {"event_status", a_status},
	[G_TARGET_IP] = {"event_target_ip", a_target_ip},
	[G_ENCRYPTION] = {"has_encryption", a_encryption},
	[G_REPLY_CODE] = {"smtp_reply_code", a_reply_code},
	[G_DESCRIPTION] = {"event_description", a_description},
	[G_CLIENT_TYPE] = {"client_type", a_client_type},
	[G_SESSION] = {"device_user_session_id", a_session},
};

#define BIT(s) (UINT32_C(1) << (s))
#define GWS_SCRATCH 1024

static const struct csv_schema gws_schema = {
	.cols = gws_cols,
	.ncols = G__COUNT,
	.need_all = BIT(G_MSGID) | BIT(G_STATUS),
	.need_any = BIT(G_EVDATE) | BIT(G_START) | BIT(G_END),
	.scratch = GWS_SCRATCH,
};

/* Event status words.  Prefix match, ASCII case-insensitive, so the UI's
 * longer forms ("Delivered to Gmail inbox") map too.  Polish entries are
 * guesses (see the alias comment above). */
static const struct {
	const char *prefix;
	uint8_t kind;
	uint8_t outcome;
	const char *note;
} gws_status[] = {
	{"delivered", EV_STEP, OUT_DELIVERED, NULL},
	{"bounced", EV_STEP, OUT_BOUNCED, NULL},
	{"dropped", EV_STEP, OUT_REJECTED, NULL},
	{"rejected", EV_STEP, OUT_REJECTED, NULL},
	{"deferred", EV_STEP, OUT_DEFERRED, NULL},
	{"quarantined", EV_HOLD, OUT_QUEUED,
	 "held in the admin quarantine: an administrator can release it"},
	{"marked spam", EV_STEP, OUT_DELIVERED, "delivered to the recipient's spam folder"},
	{"viewed", EV_OPENED, OUT_NONE, NULL},
	{"dostarczono", EV_STEP, OUT_DELIVERED, NULL},
	{"odbito", EV_STEP, OUT_BOUNCED, NULL},
	{"odrzucono", EV_STEP, OUT_REJECTED, NULL},
	{"odroczono", EV_STEP, OUT_DEFERRED, NULL},
	{"poddano kwarantannie", EV_HOLD, OUT_QUEUED,
	 "held in the admin quarantine: an administrator can release it"},
	{"oznaczono jako spam", EV_STEP, OUT_DELIVERED, "delivered to the recipient's spam folder"},
	{"wyświetlono", EV_OPENED, OUT_NONE, NULL},
};

static int iprefix(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	if (s.n < n)
		return 0;
	struct slice head = {s.p, (uint32_t)n};
	return csv_ieq(head, lit);
}

static struct slice cell(const struct csv_reader *r, unsigned slot)
{
	struct slice s = csv_trim(csv_field(r, slot));
	/* Reject-session rows fill every other cell with N/A. */
	if (csv_ieq(s, "N/A") || slice_eq(s, "-")) {
		s.n = 0;
	}
	return s;
}

/* "<a@b>" -> "a@b"; "<>" stays the null sender. */
static struct slice address(struct slice s)
{
	if (s.n > 2 && s.p[0] == '<' && s.p[s.n - 1] == '>') {
		s.p++;
		s.n -= 2;
	}
	return s;
}

/* Zone words the export may print instead of UTC (FORMATS.md §4.1: "%Z",
 * only UTC seen so far).  Offsets in hours east of UTC. */
static const struct {
	const char *name;
	int hours;
} zone_words[] = {
	{"CET", 1}, {"CEST", 2}, {"EET", 2}, {"EEST", 3}, {"WET", 0}, {"WEST", 1},
	{"BST", 1}, {"PST", -8}, {"PDT", -7}, {"MST", -7}, {"MDT", -6}, {"CST", -6},
	{"CDT", -5}, {"EST", -5}, {"EDT", -4},
};

/* Parse a date cell.  Returns 0 when the cell is not a date. */
static int gws_time(struct slice s, int64_t *us, unsigned *flags)
{
	size_t used = tp_export(s.p, s.n, us, flags);
	if (!used)
		return 0;
	struct slice rest = {s.p + used, (uint32_t)(s.n - used)};
	rest = csv_trim(rest);
	if (rest.n && (*flags & PL_LOCALTIME)) {
		for (size_t i = 0; i < sizeof zone_words / sizeof zone_words[0]; i++) {
			if (slice_eq(rest, zone_words[i].name)) {
				*us -= (int64_t)zone_words[i].hours * 3600 * US_PER_SEC;
				*flags &= ~PL_LOCALTIME;
				break;
			}
		}
	}
	return 1;
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

static enum parse_result gws_line(void *state, const char *line, size_t len,
				  struct pline *out, const char **why)
{
	struct csv_reader *r = state;
	enum parse_result pr = csv_reader_line(r, line, len, why);
	if (pr != PARSE_OK)
		return pr;

	struct slice c[G__COUNT];
	for (unsigned i = 0; i < G__COUNT; i++)
		c[i] = cell(r, i);
	struct det d = {csv_scratch(r), 0, GWS_SCRATCH};

	/* Time: the event's own date, else the message's end/start. */
	static const unsigned order[] = {G_EVDATE, G_END, G_START};
	int have_time = 0;
	for (size_t i = 0; i < 3 && !have_time; i++) {
		struct slice t = c[order[i]];
		if (!t.n)
			continue;
		unsigned fl = 0;
		if (!gws_time(t, &out->ts_us, &fl)) {
			*why = "date cell is not a date";
			return PARSE_BAD;
		}
		out->flags |= (uint8_t)fl;
		have_time = 1;
	}
	if (!have_time)
		out->flags |= PL_NOTIME;

	out->f[F_HOST].p = "google";
	out->f[F_HOST].n = 6;
	out->kind = EV_STEP;
	out->f[F_SENDER] = address(c[G_SENDER]);
	out->f[F_RCPT] = address(c[G_RCPT]);
	out->f[F_SUBJECT] = c[G_SUBJECT];
	out->f[F_RELAY] = c[G_TARGET];
	out->f[F_CLIENT_IP] = c[G_TARGET_IP];
	out->f[F_STATUS_RAW] = c[G_STATUS];

	int64_t size = 0;
	size_t i;
	for (i = 0; i < c[G_SIZE].n && i < 15 && c[G_SIZE].p[i] >= '0' && c[G_SIZE].p[i] <= '9'; i++)
		size = size * 10 + (c[G_SIZE].p[i] - '0');
	if (i && i == c[G_SIZE].n)
		out->size = size;

	if (csv_ieq(c[G_DIRECTION], "Received") || csv_ieq(c[G_DIRECTION], "Inbound") ||
	    csv_ieq(c[G_DIRECTION], "Odebrane"))
		out->flags |= PL_INBOUND;
	else if (csv_ieq(c[G_DIRECTION], "Sent") || csv_ieq(c[G_DIRECTION], "Outbound") ||
		 csv_ieq(c[G_DIRECTION], "Wysłane"))
		out->flags |= PL_OUTBOUND;

	/* Reply: Google's description ("No Error", the remote server's text);
	 * the code cell may hold just "550" or the whole reply. */
	struct slice code = c[G_REPLY_CODE], desc = c[G_DESCRIPTION];
	out->smtp_code = (uint16_t)csv_smtp_code(code);
	if (!out->smtp_code)
		out->smtp_code = (uint16_t)csv_smtp_code(desc);
	out->f[F_DSN] = csv_dsn(code);
	if (!out->f[F_DSN].n)
		out->f[F_DSN] = csv_dsn(desc);
	if (desc.n)
		out->f[F_REPLY] = desc;
	else if (code.n > 3)
		out->f[F_REPLY] = code;

	for (size_t k = 0; k < sizeof gws_status / sizeof gws_status[0]; k++) {
		if (!iprefix(c[G_STATUS], gws_status[k].prefix))
			continue;
		out->kind = gws_status[k].kind;
		out->outcome = gws_status[k].outcome;
		if (gws_status[k].note)
			det_add(&d, gws_status[k].note, strlen(gws_status[k].note));
		break;
	}
	if (out->outcome == OUT_DELIVERED && !d.n && slice_eq(c[G_TARGET], "GMAIL_SPAM")) {
		static const char spam[] = "delivered to the recipient's spam folder";
		det_add(&d, spam, sizeof spam - 1);
	}

	struct slice id = c[G_MSGID];
	if (id.n && memmem(id.p, id.n, "SMTPIN_ADDED_REJECT_SESSION", 27)) {
		/* Refused in SMTP: no message exists, so no key. */
		static const char rej[] = "refused in SMTP before a Message-ID existed (Google id ";
		out->kind = EV_REJECT;
		out->outcome = OUT_REJECTED;
		det_add(&d, rej, sizeof rej - 1);
		det_cat(&d, id.p, id.n);
		det_cat(&d, ")", 1);
	} else {
		out->f[F_QID] = id;
		out->f[F_MSGID] = id;
	}

	/* Only the exception is worth a word on every step. */
	if (c[G_ENCRYPTION].n && !csv_ieq(c[G_ENCRYPTION], "Encrypted"))
		det_add(&d, c[G_ENCRYPTION].p, c[G_ENCRYPTION].n);
	if (c[G_ATTACH].n && !slice_eq(c[G_ATTACH], "0")) {
		det_add(&d, "attachments: ", 13);
		det_cat(&d, c[G_ATTACH].p, c[G_ATTACH].n);
	}
	if (c[G_CLIENT_TYPE].n) {
		det_add(&d, "client: ", 8);
		det_cat(&d, c[G_CLIENT_TYPE].p, c[G_CLIENT_TYPE].n);
	}
	if (d.n) {
		out->f[F_DETAIL].p = d.p;
		out->f[F_DETAIL].n = (uint32_t)d.n;
	}
	return PARSE_OK;
}

static int gws_probe(const char *const *lines, const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!lens[i])
			continue; /* blank lines before the header */
		struct csv_probe pr;
		csv_probe_header(&gws_schema, lines[i], lens[i], &pr);
		if (!pr.ok)
			return 0;
		/* 3 columns (the minimum) -> 66, all 18 -> 100. */
		int score = 60 + (int)(40 * pr.mapped / G__COUNT);
		return score > PROBE_MAX ? PROBE_MAX : score;
	}
	return 0;
}

static void *gws_begin(void)
{
	return csv_reader_new(&gws_schema);
}

const struct parser parser_gws = {
	.name = "gws",
	.title = "Google Workspace Email Log Search export (CSV)",
	.init = NULL,
	.probe = gws_probe,
	.begin = gws_begin,
	.line = gws_line,
	.end = csv_reader_free,
};
