/*
 * test_directadmin.c - the DirectAdmin usage parser (parsers/directadmin.c).
 *
 * No real .bytes file is public (FORMATS.md §3.2): the lines below are the
 * exim.pl printf templates of samples/directadmin/exim-pl_bytes_format.txt
 * with values filled in, and lines of logs-sample/directadmin/usage/
 * fred.bytes (built the same way).  Expected times are the log_time values
 * written out, checked against `date -u -d ...` in the comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "parser.h"

extern const struct parser parser_directadmin;

struct fexp {
	int f;          /* enum pfield */
	const char *v;  /* NULL ends the list */
};

struct da_case {
	const char *line;
	enum parse_result res;
	uint8_t kind, outcome, flags;
	int64_t ts_s;   /* seconds; 0 with PL_NOTIME */
	int64_t size;
	struct fexp f[12];
};

#define US INT64_C(1000000)

static const struct da_case cases[] = {
	/* exim-pl_bytes_format.txt template 1 (outgoing), = fred.bytes line 5.
	 * log_time 1795166102 = 2026-11-20 09:15:02 UTC (10:15:02 +01:00). */
	{"2043=type=email&email=fred@example.pl&method=outgoing&id=1mYMRt-00061G-Nx&authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&log_time=1795166102&message_size=2043&local_part=anna&domain=gmail.com&path=/var/spool/exim",
	 PARSE_OK, EV_USAGE_OUT, OUT_NONE, PL_OUTBOUND, 1795166102, 2043,
	 {{F_QID, "1mYMRt-00061G-Nx"}, {F_ACCOUNT, "fred@example.pl"}, {F_SENDER, "fred@example.pl"},
	  {F_AUTH, "fred@example.pl"}, {F_CLIENT_IP, "203.0.113.45"},
	  {F_RCPT, "anna@gmail.com"}, {F_SCRIPT, "/var/spool/exim"}, {0, NULL}}},
	/* template 2 (incoming with sender=), = fred.bytes line 6.
	 * 1795168964 = 2026-11-20 10:02:44 UTC. */
	{"15320=type=email&email=fred@example.pl&method=incoming&log_time=1795168964&id=1mYPu6-0007lT-I2&sender=newsletter@shop.example.com&path=/var/spool/exim",
	 PARSE_OK, EV_USAGE_IN, OUT_NONE, PL_INBOUND, 1795168964, 15320,
	 {{F_QID, "1mYPu6-0007lT-I2"}, {F_ACCOUNT, "fred@example.pl"}, {F_RCPT, "fred@example.pl"},
	  {F_SENDER, "newsletter@shop.example.com"}, {F_SCRIPT, "/var/spool/exim"}, {0, NULL}}},
	/* template 3 (older incoming, no sender=): sender absent, not "<>".
	 * 1633586405 = 2021-10-07 06:00:05 UTC (support guide's 08:00:05 +02). */
	{"982=type=email&email=bob@domain.com&method=incoming&log_time=1633586405&id=1mYMRt-00061G-Nx&path=/var/spool/exim",
	 PARSE_OK, EV_USAGE_IN, OUT_NONE, PL_INBOUND, 1633586405, 982,
	 {{F_QID, "1mYMRt-00061G-Nx"}, {F_ACCOUNT, "bob@domain.com"}, {F_RCPT, "bob@domain.com"},
	  {F_SCRIPT, "/var/spool/exim"}, {0, NULL}}},
	/* template 4 (oldest outgoing: no time, no recipient). */
	{"1234=type=email&email=fred@example.pl&method=outgoing&id=1mYMRt-00061G-Nx&path=/home/fred",
	 PARSE_OK, EV_USAGE_OUT, OUT_NONE, PL_OUTBOUND | PL_NOTIME, 0, 1234,
	 {{F_QID, "1mYMRt-00061G-Nx"}, {F_ACCOUNT, "fred@example.pl"}, {F_SENDER, "fred@example.pl"},
	  {F_SCRIPT, "/home/fred"}, {0, NULL}}},
	/* fred.bytes line 8: PHP mail() from a contact form; no client IP.
	 * 1795174210 = 2026-11-20 11:30:10 UTC. */
	{"1190=type=email&email=fred@example.pl&method=outgoing&id=1mYQa1-0001Zk-7b&authenticated_id=fred&sender_host_address=&log_time=1795174210&message_size=1190&local_part=kontakt&domain=firma-c.pl&path=/home/fred/domains/example.pl/public_html/contact",
	 PARSE_OK, EV_USAGE_OUT, OUT_NONE, PL_OUTBOUND, 1795174210, 1190,
	 {{F_QID, "1mYQa1-0001Zk-7b"}, {F_ACCOUNT, "fred@example.pl"},
	  {F_SENDER, "fred@example.pl"}, {F_AUTH, "fred"}, {F_RCPT, "kontakt@firma-c.pl"},
	  {F_SCRIPT, "/home/fred/domains/example.pl/public_html/contact"}, {0, NULL}}},
	/* fred.bytes line 12: no log_time. */
	{"2210=type=email&email=biuro@example.pl&method=incoming&id=1mYS0h-0003kQ-Ua&sender=faktury@operator-telekom.example&path=/var/spool/exim",
	 PARSE_OK, EV_USAGE_IN, OUT_NONE, PL_INBOUND | PL_NOTIME, 0, 2210,
	 {{F_QID, "1mYS0h-0003kQ-Ua"}, {F_ACCOUNT, "biuro@example.pl"}, {F_RCPT, "biuro@example.pl"},
	  {F_SENDER, "faktury@operator-telekom.example"}, {F_SCRIPT, "/var/spool/exim"}, {0, NULL}}},
	/* fred.bytes line 16: an unknown key goes to F_DETAIL.
	 * 1795186110 = 2026-11-20 14:48:30 UTC. */
	{"7734=type=email&email=biuro@example.pl&method=outgoing&id=1mYUbq-0005Mm-Ke&authenticated_id=biuro@example.pl&sender_host_address=203.0.113.45&sender_host_name=host-203-0-113-45.dsl.example.net&log_time=1795186110&message_size=7734&local_part=zamowienia&domain=hurtownia-abc.pl&path=/var/spool/exim",
	 PARSE_OK, EV_USAGE_OUT, OUT_NONE, PL_OUTBOUND, 1795186110, 7734,
	 {{F_QID, "1mYUbq-0005Mm-Ke"}, {F_ACCOUNT, "biuro@example.pl"}, {F_SENDER, "biuro@example.pl"},
	  {F_AUTH, "biuro@example.pl"}, {F_CLIENT_IP, "203.0.113.45"},
	  {F_RCPT, "zamowienia@hurtownia-abc.pl"}, {F_SCRIPT, "/var/spool/exim"},
	  {F_DETAIL, "sender_host_name=host-203-0-113-45.dsl.example.net"}, {0, NULL}}},
	/* fred.bytes line 14: a bounce (null sender) arriving for the account.
	 * 1795180242 = 2026-11-20 13:10:42 UTC. */
	{"2987=type=email&email=fred@example.pl&method=incoming&log_time=1795180242&id=1mYTuk-0006dJ-1x&sender=&path=/var/spool/exim",
	 PARSE_OK, EV_USAGE_IN, OUT_NONE, PL_INBOUND, 1795180242, 2987,
	 {{F_QID, "1mYTuk-0006dJ-1x"}, {F_ACCOUNT, "fred@example.pl"}, {F_RCPT, "fred@example.pl"},
	  {F_SENDER, "<>"}, {F_SCRIPT, "/var/spool/exim"}, {0, NULL}}},
	/* Keys in another order; no message_size: the leading size counts;
	 * Exim 4.97+ 23-character id. */
	{"777=type=email&log_time=1795168800&id=1rFqXe-00000001Bhf-2Ahx&method=outgoing&domain=example.com&local_part=x&email=a@b.pl&path=/",
	 PARSE_OK, EV_USAGE_OUT, OUT_NONE, PL_OUTBOUND, 1795168800, 777,
	 {{F_QID, "1rFqXe-00000001Bhf-2Ahx"}, {F_ACCOUNT, "a@b.pl"}, {F_SENDER, "a@b.pl"},
	  {F_RCPT, "x@example.com"}, {F_SCRIPT, "/"}, {0, NULL}}},
	/* Raw '&' in a sender (exim.pl does not escape): the forged "id="
	 * inside it is not an Exim id, so it stays part of the address. */
	{"10=type=email&email=a&id=x@evil.example&method=outgoing&id=1mYMRt-00061G-Nx&log_time=1795168800&local_part=b&domain=c.pl&path=/",
	 PARSE_OK, EV_USAGE_OUT, OUT_NONE, PL_OUTBOUND, 1795168800, 10,
	 {{F_QID, "1mYMRt-00061G-Nx"}, {F_ACCOUNT, "a&id=x@evil.example"},
	  {F_SENDER, "a&id=x@evil.example"}, {F_RCPT, "b@c.pl"}, {F_SCRIPT, "/"}, {0, NULL}}},
	/* A second, well-shaped id after the real one (inside sender=) is a
	 * duplicate: glued back onto the sender. */
	{"10=type=email&email=f@example.pl&method=incoming&log_time=1795168800&id=1mYPu6-0007lT-I2&sender=x&id=1aaaaa-bbbbbb-cc&path=/",
	 PARSE_OK, EV_USAGE_IN, OUT_NONE, PL_INBOUND, 1795168800, 10,
	 {{F_QID, "1mYPu6-0007lT-I2"}, {F_ACCOUNT, "f@example.pl"}, {F_RCPT, "f@example.pl"},
	  {F_SENDER, "x&id=1aaaaa-bbbbbb-cc"}, {F_SCRIPT, "/"}, {0, NULL}}},
	/* Everything after path= is the path (exim.pl writes it last). */
	{"10=type=email&email=f@example.pl&method=outgoing&id=1mYQa1-0001Zk-7b&path=/home/f/public_html/a&b=c&d=e",
	 PARSE_OK, EV_USAGE_OUT, OUT_NONE, PL_OUTBOUND | PL_NOTIME, 0, 10,
	 {{F_QID, "1mYQa1-0001Zk-7b"}, {F_ACCOUNT, "f@example.pl"}, {F_SENDER, "f@example.pl"},
	  {F_SCRIPT, "/home/f/public_html/a&b=c&d=e"}, {0, NULL}}},
	/* Percent-decoding; %00 and bad escapes stay literal; '+' is not a
	 * space (addresses use it). */
	{"10=type=email&email=fred%40example.pl&method=incoming&id=1mYPu6-0007lT-I2&sender=user+tag@example.com&path=/home/fred/Nowy%20folder%2Fx+y%00%zz%4",
	 PARSE_OK, EV_USAGE_IN, OUT_NONE, PL_INBOUND | PL_NOTIME, 0, 10,
	 {{F_QID, "1mYPu6-0007lT-I2"}, {F_ACCOUNT, "fred@example.pl"}, {F_RCPT, "fred@example.pl"},
	  {F_SENDER, "user+tag@example.com"}, {F_SCRIPT, "/home/fred/Nowy folder/x+y%00%zz%4"},
	  {0, NULL}}},
	/* Unknown keys, one percent-encoded, kept in order. */
	{"5=type=email&email=f@e.pl&method=outgoing&zeta=1&id=1mYQa1-0001Zk-7b&alpha=a%20b&path=/",
	 PARSE_OK, EV_USAGE_OUT, OUT_NONE, PL_OUTBOUND | PL_NOTIME, 0, 5,
	 {{F_QID, "1mYQa1-0001Zk-7b"}, {F_ACCOUNT, "f@e.pl"}, {F_SENDER, "f@e.pl"},
	  {F_SCRIPT, "/"}, {F_DETAIL, "zeta=1 alpha=a b"}, {0, NULL}}},
	/* mail_task.queue templates (exim-pl_bytes_format.txt).
	 * 1795170000 = 2026-11-20 10:20:00 UTC. */
	{"action=limit&username=fred&count=501&limit=500&email=fred@example.pl&authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&log_time=1795170000",
	 PARSE_OK, EV_WARNING, OUT_NONE, 0, 1795170000, -1,
	 {{F_ACCOUNT, "fred@example.pl"}, {F_SENDER, "fred@example.pl"}, {F_AUTH, "fred@example.pl"},
	  {F_CLIENT_IP, "203.0.113.45"},
	  {F_DETAIL, "DirectAdmin sending limit reached for user fred: 501 sent, limit 500"},
	  {0, NULL}}},
	{"action=userlimit&username=fred&count=201&limit=200&email=biuro@example.pl&authenticated_id=biuro@example.pl&sender_host_address=&log_time=1795170000",
	 PARSE_OK, EV_WARNING, OUT_NONE, 0, 1795170000, -1,
	 {{F_ACCOUNT, "biuro@example.pl"}, {F_SENDER, "biuro@example.pl"}, {F_AUTH, "biuro@example.pl"},
	  {F_DETAIL, "DirectAdmin per-address sending limit reached for user fred: 201 sent, limit 200"},
	  {0, NULL}}},
	{"action=block_cracking&type=script&authenticated_id=fred&script_path=/home/fred/domains/example.pl/public_html/wp-content/plugins/old-gallery/inc&sender_host_address=&log_time=1795170000",
	 PARSE_OK, EV_WARNING, OUT_NONE, 0, 1795170000, -1,
	 {{F_AUTH, "fred"},
	  {F_SCRIPT, "/home/fred/domains/example.pl/public_html/wp-content/plugins/old-gallery/inc"},
	  {F_DETAIL, "DirectAdmin BlockCracking blocked sending (script)"}, {0, NULL}}},
	/* Understood, nothing to keep. */
	{"0=type=timestamp&time=1795129200", PARSE_SKIP, 0, 0, 0, 0, -1, {{0, NULL}}},
	{"-1=type=email&email=fred@example.pl&method=outgoing&id=1mYMRt-00061G-Nx&path=/", PARSE_SKIP,
	 0, 0, 0, 0, -1, {{0, NULL}}},
	{"4096=type=imap&email=fred@example.pl&method=incoming", PARSE_SKIP, 0, 0, 0, 0, -1, {{0, NULL}}},
	{"action=rewrite&value=all", PARSE_SKIP, 0, 0, 0, 0, -1, {{0, NULL}}},
	/* Broken: truncated before method=, no type=, no pairs. */
	{"2874=type=email&email=fred@example.pl&meth", PARSE_BAD, 0, 0, 0, 0, -1, {{0, NULL}}},
	{"2874=garbage", PARSE_BAD, 0, 0, 0, 0, -1, {{0, NULL}}},
	/* Not this format: samples/exim/gvengel_exim_exporter_mainlog.log,
	 * samples/postfix/kumina_postfix_exporter_test.log, the GWS header. */
	{"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386",
	 PARSE_NOMATCH, 0, 0, 0, 0, -1, {{0, NULL}}},
	{"Feb 11 16:49:24 letterman postfix/qmgr[8204]: AAB4D259B1: removed", PARSE_NOMATCH, 0, 0, 0,
	 0, -1, {{0, NULL}}},
	{"Message ID,Start date,End date,Sender", PARSE_NOMATCH, 0, 0, 0, 0, -1, {{0, NULL}}},
	{"", PARSE_NOMATCH, 0, 0, 0, 0, -1, {{0, NULL}}},
	{"=type=email", PARSE_NOMATCH, 0, 0, 0, 0, -1, {{0, NULL}}},
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

static void test_table(void **st)
{
	(void)st;
	void *state = parser_directadmin.begin();
	assert_non_null(state);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct da_case *c = &cases[i];
		struct pline out;
		pline_clear(&out);
		const char *why = NULL;
		enum parse_result r = parser_directadmin.line(state, c->line, strlen(c->line), &out, &why);
		if (r != c->res)
			fail_msg("case %zu: result %d, want %d (%s)", i, r, c->res, why ? why : "");
		if (r == PARSE_BAD)
			assert_non_null(why);
		if (r != PARSE_OK)
			continue;
		if (out.kind != c->kind || out.outcome != c->outcome || out.flags != c->flags)
			fail_msg("case %zu: kind %d outcome %d flags %#x, want %d %d %#x", i, out.kind,
				 out.outcome, out.flags, c->kind, c->outcome, c->flags);
		assert_int_equal(out.ts_us, c->ts_s * US);
		assert_int_equal(out.size, c->size);
		assert_int_equal(out.smtp_code, 0);
		check_fields(&out, c->f, i);
	}
	parser_directadmin.end(state);
}

static void test_sample_file_lines(void **st)
{
	(void)st;
	/* logs-sample/directadmin/usage/fred.bytes lines 1 (a queue-run
	 * retry, path=retry) and 2 (one of two recipients). */
	static const char *const lines[] = {
		"1874=type=email&email=fred@example.pl&method=outgoing&id=1mY1Gz-0003eI-Ab&authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&log_time=1795156811&message_size=1874&local_part=zamowienia&domain=wwp.pl&path=retry",
		"48211=type=email&email=fred@example.pl&method=outgoing&id=1mYK2a-0004Qb-3F&authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&log_time=1795160477&message_size=48211&local_part=biuro&domain=hurtownia-abc.pl&path=/var/spool/exim",
	};
	void *state = parser_directadmin.begin();
	for (size_t i = 0; i < 2; i++) {
		struct pline out;
		pline_clear(&out);
		const char *why;
		assert_int_equal(parser_directadmin.line(state, lines[i], strlen(lines[i]), &out, &why),
				 PARSE_OK);
		assert_int_equal(out.kind, EV_USAGE_OUT);
	}
	parser_directadmin.end(state);
}

static void test_probe(void **st)
{
	(void)st;
	/* fred.bytes lines, a bandwidth.tally day marker, a mail_task line. */
	const char *da[] = {
		"2043=type=email&email=fred@example.pl&method=outgoing&id=1mYMRt-00061G-Nx&authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&log_time=1795166102&message_size=2043&local_part=anna&domain=gmail.com&path=/var/spool/exim",
		"0=type=timestamp&time=1795129200",
		"15320=type=email&email=fred@example.pl&method=incoming&log_time=1795168964&id=1mYPu6-0007lT-I2&sender=newsletter@shop.example.com&path=/var/spool/exim",
		"action=limit&username=fred&count=501&limit=500&email=fred@example.pl&authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&log_time=1795170000",
	};
	size_t dl[4];
	for (size_t i = 0; i < 4; i++)
		dl[i] = strlen(da[i]);
	assert_int_equal(parser_directadmin.probe(da, dl, 4), 100);
	assert_int_equal(parser_directadmin.probe(da, dl, 1), 100);

	/* Other formats' first lines: Exim (gvengel_exim_exporter_mainlog.log,
	 * support-guide_line.txt), Postfix (kumina, youyo iso8601), the GWS
	 * header (els_export_header_and_values.csv), an EmailLabs header. */
	const char *other[] = {
		"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386",
		"2021-10-07 08:00:05.746 [23142] 1mYMRt-00061G-Nx DKIM TEST: ",
		"Feb 11 16:49:24 letterman postfix/qmgr[8204]: AAB4D259B1: removed",
		"2020-01-30T06:26:05.404714+09:00 mail postfix/smtpd[1830]: connect from example.com[127.0.0.1]",
		"Message ID,Start date,End date,Sender,Message size,Subject,Direction,Attachments,Recipient address,Event target,Event date,Event status,Event target IP address,Has encryption,Event SMTP reply code,Event description,Client Type,Device User Session ID",
		"Czas wysłania;Od;Do;Temat;Status;Data statusu;Szczegóły statusu;Rozmiar;ID wiadomości;Konto",
	};
	size_t ol[6];
	for (size_t i = 0; i < 6; i++)
		ol[i] = strlen(other[i]);
	assert_true(parser_directadmin.probe(other, ol, 6) <= 10);
	for (size_t i = 0; i < 6; i++)
		assert_true(parser_directadmin.probe(other + i, ol + i, 1) <= 10);
	assert_int_equal(parser_directadmin.probe(other, ol, 0), 0);
}

static void test_hostile(void **st)
{
	(void)st;
	void *state = parser_directadmin.begin();
	struct pline out;
	const char *why;

	/* A 1 MB sender; and 1 MB of %41 to decode (the decode buffer is cut,
	 * the parse still succeeds). */
	size_t big = 1u << 20;
	char *line = malloc(big + 200);
	assert_non_null(line);
	int n = sprintf(line, "1=type=email&method=outgoing&id=1mYMRt-00061G-Nx&email=");
	memset(line + n, 'a', big);
	line[n + big] = '\0';
	pline_clear(&out);
	assert_int_equal(parser_directadmin.line(state, line, n + big, &out, &why), PARSE_OK);
	assert_int_equal(out.f[F_SENDER].n, big);
	for (size_t i = 0; i + 3 <= big; i += 3)
		memcpy(line + n + i, "%41", 3);
	pline_clear(&out);
	assert_int_equal(parser_directadmin.line(state, line, n + big, &out, &why), PARSE_OK);
	assert_true(out.f[F_SENDER].n > 0 && out.f[F_SENDER].n <= (64u << 10));
	assert_int_equal(out.f[F_SENDER].p[0], 'A');

	/* 200 unknown pairs: only the first 64 are split, no overflow. */
	n = sprintf(line, "1=type=email&method=incoming&email=x@y.pl");
	for (int i = 0; i < 200; i++)
		n += sprintf(line + n, "&k%d=v%d", i, i);
	pline_clear(&out);
	assert_int_equal(parser_directadmin.line(state, line, (size_t)n, &out, &why), PARSE_OK);
	assert_true(out.f[F_DETAIL].n > 0);
	assert_int_equal(memcmp(out.f[F_DETAIL].p, "k0=v0 k1=v1", 11), 0);

	/* NUL bytes inside values. */
	static const char nul[] = "9=type=email&email=a\0b@c.pl&method=incoming&id=1mYPu6-0007lT-I2";
	pline_clear(&out);
	assert_int_equal(parser_directadmin.line(state, nul, sizeof nul - 1, &out, &why), PARSE_OK);
	assert_int_equal(out.f[F_ACCOUNT].n, 8);
	assert_int_equal(out.f[F_QID].n, 16);

	/* Truncations of a real line at every length never crash. */
	const char *full = cases[0].line;
	for (size_t len = 0; len <= strlen(full); len++) {
		memcpy(line, full, len);
		line[len] = '\0';
		pline_clear(&out);
		enum parse_result r = parser_directadmin.line(state, line, len, &out, &why);
		assert_true(r == PARSE_OK || r == PARSE_BAD || r == PARSE_NOMATCH || r == PARSE_SKIP);
	}
	free(line);
	parser_directadmin.end(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sample_file_lines),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
