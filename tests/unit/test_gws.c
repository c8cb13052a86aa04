/*
 * test_gws.c - the Google Workspace Email Log Search parser (parsers/gws.c).
 *
 * No real ELS export row exists publicly (FORMATS.md §4.1): the header is
 * the exact one of samples/google-workspace/els_export_header_and_values.csv
 * and the rows are its template rows with the placeholders filled in, and
 * rows of logs-sample/google-workspace/email-log-search.csv (built the
 * same way).  Expected epochs were computed with `date -u -d` (in the
 * comments), not by the code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "event.h"
#include "parser.h"

extern const struct parser parser_gws;

#define US INT64_C(1000000)

/* samples/google-workspace/els_export_header_and_values.csv, line 7. */
static const char header18[] =
	"Message ID,Start date,End date,Sender,Message size,Subject,Direction,Attachments,"
	"Recipient address,Event target,Event date,Event status,Event target IP address,"
	"Has encryption,Event SMTP reply code,Event description,Client Type,"
	"Device User Session ID";

/* The 16-column form SOF-ELK's 2022 parser maps (FORMATS.md §4.1). */
static const char header16[] =
	"Message ID,Start date,End date,Sender,Message size,Subject,Direction,Attachments,"
	"Recipient address,Event target,Event date,Event status,Event target IP address,"
	"Has encryption,Event SMTP reply code,Event description";

struct fexp {
	int f;
	const char *v;
};

struct gws_case {
	const char *header;
	const char *rec;        /* physical lines separated by '\n' */
	enum parse_result res;  /* of the last physical line */
	uint8_t kind, outcome, flags;
	int64_t ts_s;
	int64_t size;
	uint16_t code;
	struct fexp f[16];
};

static const struct gws_case cases[] = {
	/* els_export_header_and_values.csv template row 2, placeholders
	 * filled.  2023/05/04 09:12:34 UTC = 1683191554. */
	{header18,
	 "\"<msgid@example.com>\",\"2023/05/04 09:12:33 UTC\",\"2023/05/04 09:12:34 UTC\",\"<sender@example.com>\",\"2048\",\"Subject, with comma\",\"Sent\",\"0\",\"<rcpt@example.org>\",\"SMTP_OUT\",\"2023/05/04 09:12:34 UTC\",\"DELIVERED\",\"198.51.100.7\",\"Encrypted\",\"250\",\"No Error\",\"\",\"\"",
	 PARSE_OK, EV_STEP, OUT_DELIVERED, PL_OUTBOUND, 1683191554, 2048, 250,
	 {{F_HOST, "google"}, {F_QID, "<msgid@example.com>"}, {F_MSGID, "<msgid@example.com>"},
	  {F_SENDER, "sender@example.com"}, {F_RCPT, "rcpt@example.org"},
	  {F_SUBJECT, "Subject, with comma"}, {F_RELAY, "SMTP_OUT"}, {F_CLIENT_IP, "198.51.100.7"},
	  {F_REPLY, "No Error"}, {F_STATUS_RAW, "DELIVERED"}, {0, NULL}}},
	/* template row 1 (Received, GMAIL_INBOX, no code) = email-log-search.csv
	 * line 12.  2026/11/20 09:15:04 UTC = 1795166104. */
	{header18,
	 "\"<20261120101502.1234@example.pl>\",\"2026/11/20 09:15:03 UTC\",\"2026/11/20 09:41:37 UTC\",\"fred@example.pl\",\"2118\",\"Spotkanie w czwartek\",\"Received\",\"0\",\"anna@gmail.com\",\"GMAIL_INBOX\",\"2026/11/20 09:15:04 UTC\",\"DELIVERED\",\"\",\"Encrypted\",\"\",\"No Error\",\"\",\"\"",
	 PARSE_OK, EV_STEP, OUT_DELIVERED, PL_INBOUND, 1795166104, 2118, 0,
	 {{F_HOST, "google"}, {F_QID, "<20261120101502.1234@example.pl>"},
	  {F_MSGID, "<20261120101502.1234@example.pl>"}, {F_SENDER, "fred@example.pl"},
	  {F_RCPT, "anna@gmail.com"}, {F_SUBJECT, "Spotkanie w czwartek"},
	  {F_RELAY, "GMAIL_INBOX"}, {F_REPLY, "No Error"}, {F_STATUS_RAW, "DELIVERED"}, {0, NULL}}},
	/* email-log-search.csv: a subject with a quoted newline (2 physical
	 * lines), routed to spam.  07:31:13 UTC = 1795159873. */
	{header18,
	 "\"<0102018f3a2b.77e1@promo-mailer.example>\",\"2026/11/20 07:31:12 UTC\",\"2026/11/20 07:31:13 UTC\",\"oferty@promo-mailer.example\",\"48990\",\"Oferta świąteczna!\n–50% na wszystko, tylko dziś\",\"Received\",\"0\",\"ewa.zielinska@firma-klient.pl\",\"GMAIL_SPAM\",\"2026/11/20 07:31:13 UTC\",\"Marked spam\",\"\",\"Not encrypted\",\"\",\"No Error\",\"\",\"\"",
	 PARSE_OK, EV_STEP, OUT_DELIVERED, PL_INBOUND, 1795159873, 48990, 0,
	 {{F_HOST, "google"}, {F_QID, "<0102018f3a2b.77e1@promo-mailer.example>"},
	  {F_MSGID, "<0102018f3a2b.77e1@promo-mailer.example>"},
	  {F_SENDER, "oferty@promo-mailer.example"}, {F_RCPT, "ewa.zielinska@firma-klient.pl"},
	  {F_SUBJECT, "Oferta świąteczna!\n–50% na wszystko, tylko dziś"},
	  {F_RELAY, "GMAIL_SPAM"}, {F_REPLY, "No Error"}, {F_STATUS_RAW, "Marked spam"},
	  {F_DETAIL, "delivered to the recipient's spam folder; Not encrypted"}, {0, NULL}}},
	/* email-log-search.csv: the 550 5.1.1 bounce, CRLF line end.
	 * 08:02:55 UTC = 1795161775. */
	{header18,
	 "\"<CAF3k9x2Lq7wR0d@mail.gmail.com>\",\"2026/11/20 08:02:55 UTC\",\"2026/11/20 08:02:55 UTC\",\"jan.kowalski@firma-klient.pl\",\"16120\",\"Zamówienie nr 4512, faktura i potwierdzenie\",\"Sent\",\"1\",\"zamowienia@example.pl\",\"SMTP_OUT\",\"2026/11/20 08:02:55 UTC\",\"BOUNCED\",\"198.51.100.10\",\"Encrypted\",\"550\",\"550 5.1.1 <zamowienia@example.pl>: No such recipient here\",\"\",\"\"\r",
	 PARSE_OK, EV_STEP, OUT_BOUNCED, PL_OUTBOUND, 1795161775, 16120, 550,
	 {{F_HOST, "google"}, {F_QID, "<CAF3k9x2Lq7wR0d@mail.gmail.com>"},
	  {F_MSGID, "<CAF3k9x2Lq7wR0d@mail.gmail.com>"}, {F_SENDER, "jan.kowalski@firma-klient.pl"},
	  {F_RCPT, "zamowienia@example.pl"}, {F_SUBJECT, "Zamówienie nr 4512, faktura i potwierdzenie"},
	  {F_RELAY, "SMTP_OUT"}, {F_CLIENT_IP, "198.51.100.10"}, {F_DSN, "5.1.1"},
	  {F_REPLY, "550 5.1.1 <zamowienia@example.pl>: No such recipient here"},
	  {F_STATUS_RAW, "BOUNCED"}, {F_DETAIL, "attachments: 1"}, {0, NULL}}},
	/* email-log-search.csv: refused in SMTP, N/A everywhere, no key.
	 * 06:12:44 UTC = 1795155164. */
	{header18,
	 "\"673d9a1c.4f2b610a.SMTPIN_ADDED_REJECT_SESSION.2e1f.ffffd72a.GMR@mx.google.com\",\"2026/11/20 06:12:44 UTC\",\"2026/11/20 06:12:44 UTC\",\"N/A\",\"N/A\",\"N/A\",\"N/A\",\"N/A\",\"N/A\",\"SMTP_IN\",\"2026/11/20 06:12:44 UTC\",\"REJECTED\",\"192.0.2.200\",\"Not encrypted\",\"550\",\"550 5.7.1 [192.0.2.200] The IP you're using to send mail is not authorized to send email directly to our servers.\",\"\",\"\"",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, 0, 1795155164, -1, 550,
	 {{F_HOST, "google"}, {F_RELAY, "SMTP_IN"}, {F_CLIENT_IP, "192.0.2.200"}, {F_DSN, "5.7.1"},
	  {F_REPLY, "550 5.7.1 [192.0.2.200] The IP you're using to send mail is not authorized to send email directly to our servers."},
	  {F_STATUS_RAW, "REJECTED"},
	  {F_DETAIL, "refused in SMTP before a Message-ID existed (Google id 673d9a1c.4f2b610a.SMTPIN_ADDED_REJECT_SESSION.2e1f.ffffd72a.GMR@mx.google.com); Not encrypted"},
	  {0, NULL}}},
	/* email-log-search.csv: quarantine.  12:44:10 UTC = 1795178650. */
	{header18,
	 "\"<a81c2f.3321@faktury-online.example>\",\"2026/11/20 12:44:09 UTC\",\"2026/11/20 12:44:10 UTC\",\"faktury@faktury-online.example\",\"187333\",\"Faktura VAT 11/2026, zaległa płatność\",\"Received\",\"1\",\"ksiegowosc@firma-klient.pl\",\"INTERNAL_SERVER\",\"2026/11/20 12:44:10 UTC\",\"Quarantined\",\"\",\"Encrypted\",\"\",\"Quarantined by rule: Blokada archiwów ZIP w załącznikach\",\"\",\"\"",
	 PARSE_OK, EV_HOLD, OUT_QUEUED, PL_INBOUND, 1795178650, 187333, 0,
	 {{F_HOST, "google"}, {F_QID, "<a81c2f.3321@faktury-online.example>"},
	  {F_MSGID, "<a81c2f.3321@faktury-online.example>"},
	  {F_SENDER, "faktury@faktury-online.example"}, {F_RCPT, "ksiegowosc@firma-klient.pl"},
	  {F_SUBJECT, "Faktura VAT 11/2026, zaległa płatność"}, {F_RELAY, "INTERNAL_SERVER"},
	  {F_REPLY, "Quarantined by rule: Blokada archiwów ZIP w załącznikach"},
	  {F_STATUS_RAW, "Quarantined"},
	  {F_DETAIL, "held in the admin quarantine: an administrator can release it; attachments: 1"},
	  {0, NULL}}},
	/* email-log-search.csv: VIEWED with a client type.
	 * 09:41:37 UTC = 1795167697. */
	{header18,
	 "\"<20261120101502.1234@example.pl>\",\"2026/11/20 09:15:03 UTC\",\"2026/11/20 09:41:37 UTC\",\"fred@example.pl\",\"2118\",\"Spotkanie w czwartek\",\"Received\",\"0\",\"anna@gmail.com\",\"GMAIL_INBOX\",\"2026/11/20 09:41:37 UTC\",\"VIEWED\",\"\",\"Encrypted\",\"\",\"No Error\",\"Web\",\"c7d04e1a-58b2-4f0e-9a61-3e2b8f5d1c94\"",
	 PARSE_OK, EV_OPENED, OUT_NONE, PL_INBOUND, 1795167697, 2118, 0,
	 {{F_HOST, "google"}, {F_QID, "<20261120101502.1234@example.pl>"},
	  {F_MSGID, "<20261120101502.1234@example.pl>"}, {F_SENDER, "fred@example.pl"},
	  {F_RCPT, "anna@gmail.com"}, {F_SUBJECT, "Spotkanie w czwartek"},
	  {F_RELAY, "GMAIL_INBOX"}, {F_REPLY, "No Error"}, {F_STATUS_RAW, "VIEWED"},
	  {F_DETAIL, "client: Web"}, {0, NULL}}},
	/* email-log-search.csv: DEFERRED.  10:20:05 UTC = 1795170005. */
	{header18,
	 "\"<CAF3m1pQ8vVx9e@mail.gmail.com>\",\"2026/11/20 10:20:05 UTC\",\"2026/11/20 10:35:41 UTC\",\"jan.kowalski@firma-klient.pl\",\"6420\",\"Pytanie o termin dostawy\",\"Sent\",\"0\",\"kontakt@wolna-poczta.example\",\"SMTP_OUT\",\"2026/11/20 10:20:05 UTC\",\"DEFERRED\",\"203.0.113.9\",\"Not encrypted\",\"421\",\"421 4.7.0 Try again later, closing connection.\",\"\",\"\"",
	 PARSE_OK, EV_STEP, OUT_DEFERRED, PL_OUTBOUND, 1795170005, 6420, 421,
	 {{F_HOST, "google"}, {F_QID, "<CAF3m1pQ8vVx9e@mail.gmail.com>"},
	  {F_MSGID, "<CAF3m1pQ8vVx9e@mail.gmail.com>"}, {F_SENDER, "jan.kowalski@firma-klient.pl"},
	  {F_RCPT, "kontakt@wolna-poczta.example"}, {F_SUBJECT, "Pytanie o termin dostawy"},
	  {F_RELAY, "SMTP_OUT"}, {F_CLIENT_IP, "203.0.113.9"}, {F_DSN, "4.7.0"},
	  {F_REPLY, "421 4.7.0 Try again later, closing connection."},
	  {F_STATUS_RAW, "DEFERRED"}, {F_DETAIL, "Not encrypted"}, {0, NULL}}},
	/* email-log-search.csv: internal (Mixed) to a group; "" in the
	 * subject.  13:02:10 UTC = 1795179730. */
	{header18,
	 "\"<CAF3n4Tz0aaQ1k@mail.gmail.com>\",\"2026/11/20 13:02:10 UTC\",\"2026/11/20 13:02:11 UTC\",\"ewa.zielinska@firma-klient.pl\",\"9800\",\"Re: „Umowa ramowa” – \"\"pilne\"\"\",\"Mixed\",\"0\",\"zespol@firma-klient.pl\",\"LIST_SERVER\",\"2026/11/20 13:02:10 UTC\",\"DELIVERED\",\"\",\"Encrypted\",\"\",\"No Error\",\"\",\"\"",
	 PARSE_OK, EV_STEP, OUT_DELIVERED, 0, 1795179730, 9800, 0,
	 {{F_HOST, "google"}, {F_QID, "<CAF3n4Tz0aaQ1k@mail.gmail.com>"},
	  {F_MSGID, "<CAF3n4Tz0aaQ1k@mail.gmail.com>"}, {F_SENDER, "ewa.zielinska@firma-klient.pl"},
	  {F_RCPT, "zespol@firma-klient.pl"}, {F_SUBJECT, "Re: „Umowa ramowa” – \"pilne\""},
	  {F_RELAY, "LIST_SERVER"}, {F_REPLY, "No Error"}, {F_STATUS_RAW, "DELIVERED"}, {0, NULL}}},
	/* Only an End date: it is the time.  No zone word -> local time.
	 * "2026-11-20 10:15:04" as wall clock = 1795169704. */
	{header18,
	 "id1,,2026-11-20 10:15:04,,,,Received,,a@b.pl,GMAIL_INBOX,,Archived,,,,,,",
	 PARSE_OK, EV_STEP, OUT_NONE, PL_INBOUND | PL_LOCALTIME, 1795169704, -1, 0,
	 {{F_HOST, "google"}, {F_QID, "id1"}, {F_MSGID, "id1"}, {F_RCPT, "a@b.pl"},
	  {F_RELAY, "GMAIL_INBOX"}, {F_STATUS_RAW, "Archived"}, {0, NULL}}},
	/* A zone word instead of UTC: 10:15:04 CET = 09:15:04 UTC = 1795166104. */
	{header18,
	 "id2,,,,,,,,,,2026/11/20 10:15:04 CET,Delivered to Gmail inbox,,,,,,",
	 PARSE_OK, EV_STEP, OUT_DELIVERED, 0, 1795166104, -1, 0,
	 {{F_HOST, "google"}, {F_QID, "id2"}, {F_MSGID, "id2"},
	  {F_STATUS_RAW, "Delivered to Gmail inbox"}, {0, NULL}}},
	/* No date at all. */
	{header18, "id3,,,,,,,,,,,dropped,,,,,,",
	 PARSE_OK, EV_STEP, OUT_REJECTED, PL_NOTIME, 0, -1, 0,
	 {{F_HOST, "google"}, {F_QID, "id3"}, {F_MSGID, "id3"}, {F_STATUS_RAW, "dropped"}, {0, NULL}}},
	/* Broken rows. */
	{header18, "id4,,,,,,,,,,yesterday,DELIVERED,,,,,,", PARSE_BAD, 0, 0, 0, 0, -1, 0, {{0, NULL}}},
	{header18, "id5;2026/11/20 10:15:04 UTC;DELIVERED", PARSE_BAD, 0, 0, 0, 0, -1, 0, {{0, NULL}}},
	{header18, "\"id6\",\"2026/11/20 10:15:04 UTC\",\"unclosed\n", PARSE_MORE, 0, 0, 0, 0, -1, 0,
	 {{0, NULL}}},
	/* The older 16-column export. */
	{header16,
	 "\"<m@x>\",\"2026/11/20 09:15:03 UTC\",\"2026/11/20 09:15:03 UTC\",\"<>\",\"10\",\"s\",\"Received\",\"0\",\"r@x\",\"SMTP_IN\",\"2026/11/20 09:15:03 UTC\",\"DELIVERED\",\"192.0.2.1\",\"Encrypted\",\"250\",\"No Error\"",
	 PARSE_OK, EV_STEP, OUT_DELIVERED, PL_INBOUND, 1795166103, 10, 250,
	 {{F_HOST, "google"}, {F_QID, "<m@x>"}, {F_MSGID, "<m@x>"}, {F_SENDER, "<>"},
	  {F_RCPT, "r@x"}, {F_SUBJECT, "s"}, {F_RELAY, "SMTP_IN"}, {F_CLIENT_IP, "192.0.2.1"},
	  {F_REPLY, "No Error"}, {F_STATUS_RAW, "DELIVERED"}, {0, NULL}}},
	/* A guessed Polish header, ';'-separated (spreadsheet), day-first
	 * local dates: "20.11.2026 10:15:04" wall clock = 1795169704. */
	{"Identyfikator wiadomości;Nadawca;Temat;Kierunek;Adres odbiorcy;Cel zdarzenia;Data zdarzenia;Stan zdarzenia;Opis zdarzenia",
	 "<p@x>;a@x;Zażółć; gęślą;Wysłane;b@y;SMTP_OUT;20.11.2026 10:15:04;Dostarczono;No Error",
	 PARSE_BAD, 0, 0, 0, 0, -1, 0, {{0, NULL}}}, /* unquoted ';' in the subject */
	{"Identyfikator wiadomości;Nadawca;Temat;Kierunek;Adres odbiorcy;Cel zdarzenia;Data zdarzenia;Stan zdarzenia;Opis zdarzenia",
	 "<p@x>;a@x;\"Zażółć; gęślą\";Wysłane;b@y;SMTP_OUT;20.11.2026 10:15:04;Dostarczono;No Error",
	 PARSE_OK, EV_STEP, OUT_DELIVERED, PL_OUTBOUND | PL_LOCALTIME, 1795169704, -1, 0,
	 {{F_HOST, "google"}, {F_QID, "<p@x>"}, {F_MSGID, "<p@x>"}, {F_SENDER, "a@x"},
	  {F_RCPT, "b@y"}, {F_SUBJECT, "Zażółć; gęślą"}, {F_RELAY, "SMTP_OUT"},
	  {F_REPLY, "No Error"}, {F_STATUS_RAW, "Dostarczono"}, {0, NULL}}},
};

static const char *const field_names[F__COUNT] = {
	"host", "prog", "qid", "link", "sender", "rcpt", "rcpts", "orig_rcpt", "relay", "dsn",
	"reply", "client_host", "client_ip", "helo", "auth", "msgid", "subject", "proto",
	"script", "account", "status_raw", "detail",
};

static void check_fields(const struct pline *out, const struct fexp *want, size_t ci)
{
	int listed[F__COUNT] = {0};
	for (const struct fexp *e = want; e->v; e++) {
		struct slice s = out->f[e->f];
		listed[e->f] = 1;
		if (s.n != strlen(e->v) || memcmp(s.p, e->v, s.n) != 0)
			fail_msg("case %zu: %s = [%.*s], want [%s]", ci, field_names[e->f], (int)s.n,
				 s.p, e->v);
	}
	for (int f = 0; f < F__COUNT; f++)
		if (!listed[f] && out->f[f].n)
			fail_msg("case %zu: %s = [%.*s], want empty", ci, field_names[f],
				 (int)out->f[f].n, out->f[f].p);
}

/* Feed rec line by line: every line but the last must answer MORE. */
static enum parse_result feed_record(void *state, const char *rec, struct pline *out,
				     const char **why, size_t ci)
{
	const char *p = rec;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		pline_clear(out);
		enum parse_result r = parser_gws.line(state, p, len, out, why);
		if (!nl)
			return r;
		if (nl[1] == '\0')
			return r; /* a record ending in '\n': the last line was fed */
		if (r != PARSE_MORE)
			fail_msg("case %zu: physical line answered %d, want MORE", ci, r);
		p = nl + 1;
	}
}

static void test_table(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct gws_case *c = &cases[i];
		void *state = parser_gws.begin();
		assert_non_null(state);
		struct pline out;
		const char *why = NULL;
		pline_clear(&out);
		assert_int_equal(parser_gws.line(state, c->header, strlen(c->header), &out, &why),
				 PARSE_SKIP);
		enum parse_result r = feed_record(state, c->rec, &out, &why, i);
		if (r != c->res)
			fail_msg("case %zu: result %d, want %d (%s)", i, r, c->res,
				 r == PARSE_BAD ? why : "");
		if (r == PARSE_OK) {
			if (out.kind != c->kind || out.outcome != c->outcome || out.flags != c->flags)
				fail_msg("case %zu: kind %d outcome %d flags %#x, want %d %d %#x", i,
					 out.kind, out.outcome, out.flags, c->kind, c->outcome,
					 c->flags);
			assert_int_equal(out.ts_us, c->ts_s * US);
			assert_int_equal(out.size, c->size);
			assert_int_equal(out.smtp_code, c->code);
			check_fields(&out, c->f, i);
		}
		/* After a bad row the next one reads normally. */
		static const char ok_row[] = "x,,,,,,,,,,2026/11/20 09:15:04 UTC,DELIVERED,,,,,,";
		if (r == PARSE_BAD && c->header == header18) {
			pline_clear(&out);
			assert_int_equal(parser_gws.line(state, ok_row, sizeof ok_row - 1, &out, &why),
					 PARSE_OK);
			assert_int_equal(out.ts_us, INT64_C(1795166104) * US);
		}
		parser_gws.end(state);
	}
}

static void test_header(void **st)
{
	(void)st;
	char buf[1024];
	struct pline out;
	const char *why;
	void *state = parser_gws.begin();
	assert_true(csv_parser_is_csv(&parser_gws));
	pline_clear(&out);
	assert_int_equal(parser_gws.line(state, header16, strlen(header16), &out, &why), PARSE_SKIP);
	csv_header_describe(state, buf, sizeof buf);
	assert_non_null(strstr(buf, "16 columns; recognised 16: Message ID=message_id, "));
	assert_null(strstr(buf, "ignored"));
	parser_gws.end(state);

	/* Unknown extra columns and a BOM; the required columns only. */
	static const char h[] = "\xef\xbb\xbf" "Event status,Foo,message_id,Event date,Bar";
	state = parser_gws.begin();
	assert_int_equal(parser_gws.line(state, h, sizeof h - 1, &out, &why), PARSE_SKIP);
	csv_header_describe(state, buf, sizeof buf);
	assert_string_equal(buf, "delimiter ',', 5 columns; recognised 3: Event status=event_status, "
				 "message_id=message_id, Event date=event_date; ignored 2: Foo, Bar");
	static const char row[] = "BOUNCED,zzz,<a@b>,2026/11/20 09:15:04 UTC,yyy";
	pline_clear(&out);
	assert_int_equal(parser_gws.line(state, row, sizeof row - 1, &out, &why), PARSE_OK);
	assert_int_equal(out.outcome, OUT_BOUNCED);
	parser_gws.end(state);

	/* Not an ELS header: every line is NOMATCH. */
	static const char inv[] = "date,message_id,subject,event,sender_header_address";
	state = parser_gws.begin();
	assert_int_equal(parser_gws.line(state, inv, sizeof inv - 1, &out, &why), PARSE_NOMATCH);
	assert_int_equal(parser_gws.line(state, row, sizeof row - 1, &out, &why), PARSE_NOMATCH);
	parser_gws.end(state);
}

static int probe1(const char *line)
{
	const char *lines[1] = {line};
	size_t lens[1] = {strlen(line)};
	return parser_gws.probe(lines, lens, 1);
}

static void test_probe(void **st)
{
	(void)st;
	assert_int_equal(probe1(header18), 100);
	assert_true(probe1(header16) >= 90);
	const char *two[] = {"", header18};
	size_t tl[] = {0, strlen(header18)};
	assert_int_equal(parser_gws.probe(two, tl, 2), 100);
	assert_int_equal(parser_gws.probe(two, tl, 0), 0);
	/* Other formats' first lines (samples/exim/gvengel_exim_exporter_mainlog.log,
	 * samples/postfix/kumina_postfix_exporter_test.log, the DA .bytes
	 * template of samples/directadmin/exim-pl_bytes_format.txt, the
	 * EmailLabs panel and API headers, the Google Investigation-tool
	 * header of samples/google-workspace/investigation-tool_gmail-csv-columns.txt). */
	static const char *const other[] = {
		"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386",
		"Feb 11 16:49:24 letterman postfix/qmgr[8204]: AAB4D259B1: removed",
		"2874=type=email&email=fred@example.pl&method=outgoing&id=1mYMRt-00061G-Nx&log_time=1795166102&path=/",
		"Czas wysłania;Od;Do;Temat;Status;Data statusu;Szczegóły statusu;Rozmiar;ID wiadomości;Konto",
		"message_id,to,from,subject,status,created_at,updated_at,response,size,account",
		"date,message_id,subject,event,sender_header_address,sender_envelope,recipient_envelope,owner",
		"subject,message_id,owner,date,sender,recipient,label,attachment_name",
	};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (probe1(other[i]) > 10)
			fail_msg("probe of other[%zu] = %d", i, probe1(other[i]));
}

static void test_hostile(void **st)
{
	(void)st;
	void *state = parser_gws.begin();
	struct pline out;
	const char *why;
	pline_clear(&out);
	assert_int_equal(parser_gws.line(state, header18, strlen(header18), &out, &why), PARSE_SKIP);
	/* Huge cells and NULs in a row. */
	size_t n = 300000;
	char *row = malloc(n + 400);
	assert_non_null(row);
	size_t w = 0;
	memcpy(row, "\"<big@x>\",,,,,\"", 15);
	w = 15;
	memset(row + w, 'S', n);
	w += n;
	static const char tail[] = "\",Sent,0,r@x,SMTP_OUT,2026/11/20 09:15:04 UTC,DELIVERED,,,250,\0x,,";
	memcpy(row + w, tail, sizeof tail - 1);
	w += sizeof tail - 1;
	pline_clear(&out);
	assert_int_equal(parser_gws.line(state, row, w, &out, &why), PARSE_OK);
	assert_int_equal(out.f[F_QID].n, 7);
	assert_true(out.f[F_SUBJECT].n > 0 && out.f[F_SUBJECT].n <= n);
	assert_int_equal(out.f[F_REPLY].n, 2); /* "\0x" */
	/* The cells after the huge one still made it. */
	assert_int_equal(out.ts_us, INT64_C(1795166104) * US);
	assert_int_equal(out.outcome, OUT_DELIVERED);
	assert_int_equal(out.smtp_code, 250);
	/* Every prefix of a sample row: never a crash. */
	const char *full = cases[0].rec;
	for (size_t len = 0; len <= strlen(full); len += 7) {
		void *s2 = parser_gws.begin();
		assert_int_equal(parser_gws.line(s2, header18, strlen(header18), &out, &why), PARSE_SKIP);
		memcpy(row, full, len);
		row[len] = '\0';
		pline_clear(&out);
		enum parse_result r = parser_gws.line(s2, row, len, &out, &why);
		assert_true(r == PARSE_OK || r == PARSE_BAD || r == PARSE_MORE || r == PARSE_SKIP);
		parser_gws.end(s2);
	}
	free(row);
	parser_gws.end(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
