/*
 * test_detect.c - format detection: the probe matrix.
 *
 * Two tables.  The file table names every fixture file (real lines copied
 * from /work/shared/samples into tests/fixtures/, see tests/fixtures/README)
 * and every logs-sample file with the format it must be detected as; each
 * is read the way the loader peeks at a file (lineio, gzip included, the
 * first lines only), given to parser_detect(), and also scored by every
 * parser: its own format must score at least PROBE_THRESHOLD and strictly
 * more than any other, so it is never given to another format whatever the
 * registry order.  The same files then go through load_expand + load_run
 * to check the loader agrees.  The line table does the same with single
 * real lines.
 *
 * Documented decision (parsers/postfix.c, pf_probe): a syslog file with
 * only dovecot / amavis lines is detected as "postfix", since those
 * programs run beside Postfix and the Postfix parser reads their lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lineio.h"
#include "load.h"
#include "parser.h"
#include "store.h"

#define PEEK_LINES 50

struct file_case {
	const char *path;   /* relative to the repository root */
	const char *format; /* expected parser name */
};

static const struct file_case file_cases[] = {
	/* Postfix: from /work/shared/samples/postfix/ (first comment line dropped) */
	{"tests/fixtures/postfix/youyo-test.log", "postfix"},
	{"tests/fixtures/postfix/youyo-test-iso8601.log", "postfix"},
	{"tests/fixtures/postfix/lograptor-postfix.log", "postfix"},
	{"tests/fixtures/postfix/forum-2013-dovecot-lda.log", "postfix"},
	{"tests/fixtures/postfix/linode-docs.log", "postfix"},
	{"tests/fixtures/postfix/crowdsec-relay.log", "postfix"},
	{"tests/fixtures/postfix/fail2ban-postfix.log", "postfix"},
	{"tests/fixtures/postfix/mailcow-duplicated.log", "postfix"},
	{"logs-sample/postfix/mail.log", "postfix"},
	{"logs-sample/postfix/mail.log.1", "postfix"},
	{"logs-sample/postfix/mail.log.2.gz", "postfix"},
	/* Exim: from /work/shared/samples/exim/ */
	{"tests/fixtures/exim/gvengel-mainlog.log", "exim"},
	{"tests/fixtures/exim/gvengel-rejectlog.log", "exim"},
	{"tests/fixtures/exim/logstash-exim-spec.log", "exim"},
	{"tests/fixtures/exim/fail2ban-exim.log", "exim"},
	{"tests/fixtures/exim/crowdsec-exim-syslog.log", "exim"}, /* syslog-wrapped Exim */
	{"tests/fixtures/exim/cpanel-exigrep.log", "exim"},
	{"logs-sample/exim/mainlog", "exim"},
	{"logs-sample/exim/mainlog.1.gz", "exim"},
	/* Dovecot / amavis only: postfix by decision (see the top comment) */
	{"tests/fixtures/dovecot-amavis/lograptor-dovecot.log", "postfix"},
	{"tests/fixtures/dovecot-amavis/crowdsec-dovecot.log", "postfix"},
	{"tests/fixtures/dovecot-amavis/crowdsec-amavis-blocked.log", "postfix"},
	{"tests/fixtures/dovecot-amavis/mfe2-dovecot23.log", "postfix"},
	/* Exports and panel files from logs-sample */
	{"logs-sample/directadmin/usage/fred.bytes", "directadmin"},
	{"logs-sample/google-workspace/email-log-search.csv", "gws"},
	{"logs-sample/emaillabs/emails.csv", "emaillabs"},
};

#define NFILE_CASES (sizeof file_cases / sizeof file_cases[0])

struct peek {
	char *lines[PEEK_LINES];
	size_t lens[PEEK_LINES];
	size_t n;
};

/* The first lines of a file as the loader peeks at them (over-long lines
 * passed over). */
static void peek_file(const char *path, struct peek *pk)
{
	struct source src;
	char err[300] = "";
	memset(pk, 0, sizeof *pk);
	if (source_open(&src, path, err, sizeof err) != 0)
		fail_msg("cannot open %s: %s", path, err);
	struct line_reader r;
	assert_int_equal(line_reader_open(&r, &src, 0, UINT64_MAX, 0), 0);
	const char *line;
	size_t len;
	uint64_t off;
	while (pk->n < PEEK_LINES && line_reader_next(&r, &line, &len, &off)) {
		if (r.cut)
			continue;
		pk->lines[pk->n] = malloc(len + 1);
		assert_non_null(pk->lines[pk->n]);
		memcpy(pk->lines[pk->n], line, len);
		pk->lines[pk->n][len] = '\0';
		pk->lens[pk->n] = len;
		pk->n++;
	}
	if (r.error[0])
		fail_msg("%s: read error: %s", path, r.error);
	line_reader_close(&r);
	source_release(&src);
	if (pk->n == 0)
		fail_msg("%s: no lines", path);
}

static void peek_free(struct peek *pk)
{
	for (size_t i = 0; i < pk->n; i++)
		free(pk->lines[i]);
}

/* Own format above the threshold and strictly above every other. */
static void check_scores(const char *what, const char *const *lines, const size_t *lens,
			 size_t n, const char *want)
{
	int own = -1;
	for (size_t i = 0; i < parser_registry_len; i++)
		if (strcmp(parser_registry[i]->name, want) == 0)
			own = parser_registry[i]->probe(lines, lens, n);
	if (own < 0)
		fail_msg("no parser named %s", want);
	if (own < PROBE_THRESHOLD)
		fail_msg("%s: %s scores %d, below the threshold %d", what, want, own,
			 PROBE_THRESHOLD);
	if (own > PROBE_MAX)
		fail_msg("%s: %s scores %d, above PROBE_MAX", what, want, own);
	for (size_t i = 0; i < parser_registry_len; i++) {
		const struct parser *p = parser_registry[i];
		if (strcmp(p->name, want) == 0)
			continue;
		int s = p->probe(lines, lens, n);
		if (s < 0 || s > PROBE_MAX)
			fail_msg("%s: %s returns %d, out of 0..%d", what, p->name, s, PROBE_MAX);
		if (s >= own)
			fail_msg("%s: %s scores %d, not below %s's %d", what, p->name, s, want, own);
	}
	int score = -1;
	const struct parser *got = parser_detect(lines, lens, n, &score);
	if (!got)
		fail_msg("%s: nothing detected (best score %d)", what, score);
	if (strcmp(got->name, want) != 0)
		fail_msg("%s: detected as %s, want %s", what, got->name, want);
	assert_int_equal(score, own);
}

static void test_file_matrix(void **state)
{
	(void)state;
	for (size_t i = 0; i < NFILE_CASES; i++) {
		struct peek pk;
		peek_file(file_cases[i].path, &pk);
		check_scores(file_cases[i].path, (const char *const *)pk.lines, pk.lens, pk.n,
			     file_cases[i].format);
		peek_free(&pk);
	}
}

/* The loader reaches the same verdict (and reads every fixture line as
 * that format without a read error). */
static void test_loader_agrees(void **state)
{
	(void)state;
	for (size_t i = 0; i < NFILE_CASES; i++) {
		struct store st;
		store_init(&st);
		const char *paths[1] = {file_cases[i].path};
		struct load_opts o;
		memset(&o, 0, sizeof o);
		o.paths = paths;
		o.npaths = 1;
		o.year = 2026;
		o.threads = 2;
		assert_int_equal(load_expand(&st, &o, NULL), 1);
		assert_int_equal(load_run(&st, &o, NULL), 0);
		const struct file_info *f = &st.files[0];
		if (!f->format)
			fail_msg("%s: loader detected nothing (%s)", file_cases[i].path, f->error);
		if (strcmp(f->format, file_cases[i].format) != 0)
			fail_msg("%s: loader chose %s, want %s", file_cases[i].path, f->format,
				 file_cases[i].format);
		if (f->error[0])
			fail_msg("%s: %s", file_cases[i].path, f->error);
		assert_true(f->lines > 0);
		store_release(&st);
	}
}

/* --- single lines --------------------------------------------------------- */

struct line_case {
	const char *src; /* sample file it was copied from */
	const char *format;
	const char *line;
};

static const struct line_case line_cases[] = {
	{"postfix/youyo_postfix-log-parser_test.log", "postfix",
	 "Oct 10 15:59:28 mail postfix/smtpd[1830]: C6E0DDB74006: client=example.com[127.0.0.1]"},
	{"postfix/youyo_postfix-log-parser_test.log", "postfix",
	 "Oct 10 15:59:31 mail postfix/smtp[1417]: 6526CDB7400B: to=<test@example.ccc>, relay=example.ccc[192.168.0.10]:25, delay=0.1, delays=0.02/0/0.03/0.05, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 71111424269E)"},
	{"postfix/youyo_postfix-log-parser_test-iso8601.log", "postfix",
	 "2020-01-30T06:26:05.404714+09:00 mail postfix/smtpd[1830]: connect from example.com[127.0.0.1]"},
	{"postfix/crowdsec_postfix-relay_postfix-spam.log", "postfix",
	 "2024-08-25T10:04:35.051238+00:00 machine postfix/smtpd[3814725]: NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 454 4.7.1 <spammer@domain.tld>: Relay access denied; from=<spammer@domain.tld> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-9QL4SDRB93L>"},
	{"postfix/kumina_postfix_exporter_test.log", "postfix",
	 "Feb 11 16:49:24 letterman postfix/qmgr[8204]: AAB4D259B1: removed"},
	{"postfix/fail2ban_postfix.log", "postfix",
	 "Jul 12 07:47:48 saturn postfix/smtpd[8738]: NOQUEUE: reject: RCPT from 1-2-3-4-example.com[1.2.3.4]: 554 5.7.1 <smtp@example.com>: Relay access denied; from=<john@example.com> to=<smtp@example.org> proto=SMTP helo=<198.51.100.17>"},
	{"postfix/mailcow-issue339_duplicated-lines.log", "postfix",
	 "Apr 13 14:56:58 mx postfix/postscreen[14266]: DNSBL rank 17 for [185.125.4.192]:58166"},
	/* dovecot / amavis alone: postfix by decision */
	{"dovecot-amavis/lograptor_tests_samples_dovecot.log", "postfix",
	 "Apr  1 10:00:03 raptor dovecot: lda(allosaurus): sieve: msgid=<1411372801.459659.538183694@raptor.dinos.test>: stored mail into mailbox 'INBOX'"},
	{"dovecot-amavis/crowdsec_dovecot-logs_dovecot-logs.log", "postfix",
	 "Sep 8 07:46:30 canyon dovecot: auth-worker(24544): pam(toto,1.1.1.1): unknown user"},
	{"dovecot-amavis/crowdsec_amavis-blocked_amavis-blocked.log", "postfix",
	 "Feb 23 04:55:57 mrelmx42 amavis[4051607]: (4051607-09) Blocked INFECTED (Porcupine.Phishing.55542.UNOFFICIAL) {DiscardedInbound,Quarantined}, [192.168.0.1]:1434 [192.168.0.1] <someone1@something1.com> -> <someon2@something2.com>, quarantine: 2/virus-26W2lJY63nCZ, Queue-ID: 83B741009CD35, Message-ID: <20240223075525.8CD9941B67@xxx.xxx.shop>, mail_id: 26W2lJY63nCZ, Hits: -, size: 28646, 104 ms"},
	/* Exim */
	{"exim/gvengel_exim_exporter_mainlog.log", "exim",
	 "2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386"},
	{"exim/gvengel_exim_exporter_mainlog.log", "exim",
	 "2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out"},
	{"exim/exim_exporter-pr1_millisec-pid.log", "exim",
	 "2020-10-29 20:22:59.803 [30056] 1kYERi-0007oc-5P => user@example.com ..."},
	{"exim/crowdsec_exim-spam_exim-spam.log", "exim",
	 "2022-06-29 15:33:46 H=test.com [1.2.3.4]:53343 F=<info@test.com> rejected RCPT <toto@toto.com>: \"JunkMail rejected - test.com [1.2.3.4]:53343 is in an RBL: https://www.spamhaus.org/sbl/query/SBLCSS\""},
	{"exim/crowdsec_exim-syslog-logs_exim-logs.log", "exim",
	 "Jun 29 16:04:19 server exim[1234]: dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=abuse@test.com)"},
	{"exim/mailgraph-pr19_exim-syslog.log", "exim",
	 "May 23 10:28:30 mx01 exim[27789]: 2019-05-23 10:28:30 1hTohn-0007EB-Nq Completed"},
	/* DirectAdmin .bytes (logs-sample/directadmin/usage/fred.bytes, line 5) */
	{"logs-sample/directadmin/usage/fred.bytes", "directadmin",
	 "2043=type=email&email=fred@example.pl&method=outgoing&id=1mYMRt-00061G-Nx&authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&log_time=1795166102&message_size=2043&local_part=anna&domain=gmail.com&path=/var/spool/exim"},
	{"logs-sample/directadmin/usage/fred.bytes", "directadmin",
	 "15873=type=email&email=biuro@example.pl&method=incoming&log_time=1795161775&id=1mYKNn-0005Hx-Pq&sender=jan.kowalski@firma-klient.pl&path=/var/spool/exim"},
	/* CSV exports: the header row alone */
	{"google-workspace/els_export_header_and_values.csv", "gws",
	 "Message ID,Start date,End date,Sender,Message size,Subject,Direction,Attachments,Recipient address,Event target,Event date,Event status,Event target IP address,Has encryption,Event SMTP reply code,Event description,Client Type,Device User Session ID"},
	{"logs-sample/emaillabs/emails.csv (UTF-8 BOM kept)", "emaillabs",
	 "\xEF\xBB\xBF" "Czas wysłania;Od;Do;Temat;Status;Data statusu;Szczegóły statusu;Rozmiar;ID wiadomości;Konto"},
};

#define NLINE_CASES (sizeof line_cases / sizeof line_cases[0])

static void test_line_matrix(void **state)
{
	(void)state;
	for (size_t i = 0; i < NLINE_CASES; i++) {
		const char *lines[1] = {line_cases[i].line};
		size_t lens[1] = {strlen(line_cases[i].line)};
		char what[200];
		snprintf(what, sizeof what, "line %zu (%s)", i, line_cases[i].src);
		check_scores(what, lines, lens, 1, line_cases[i].format);
	}
}

/* Every parser alone on every line: never a score out of range, and a
 * line of one format never reaches the threshold for a format it does
 * not belong to (dovecot/amavis lines count as postfix). */
static void test_line_cross_threshold(void **state)
{
	(void)state;
	for (size_t i = 0; i < NLINE_CASES; i++) {
		const char *lines[1] = {line_cases[i].line};
		size_t lens[1] = {strlen(line_cases[i].line)};
		for (size_t k = 0; k < parser_registry_len; k++) {
			const struct parser *p = parser_registry[k];
			int s = p->probe(lines, lens, 1);
			if (strcmp(p->name, line_cases[i].format) != 0 && s >= PROBE_THRESHOLD)
				fail_msg("line %zu (%s) scores %d as %s", i, line_cases[i].src, s,
					 p->name);
		}
	}
}

/* Nothing at all, blank lines, and non-mail text are no format. */
static void test_not_a_log(void **state)
{
	(void)state;
	/* /work/shared/samples/directadmin/fail2ban_directadmin-login.log: a
	 * DirectAdmin PANEL login log, not mail */
	const char *panel[2] = {
		"2014:07:02-00:17:45: '3.2.1.4' 2 failed login attempts. Account 'test'",
		"2014:07:02-13:07:40: '40.40.123.231' 13 failed login attempts. Account 'admin'",
	};
	size_t plens[2] = {strlen(panel[0]), strlen(panel[1])};
	int score = -1;
	assert_null(parser_detect(panel, plens, 2, &score));
	assert_true(score < PROBE_THRESHOLD);

	const char *blank[3] = {"", "", ""};
	size_t blens[3] = {0, 0, 0};
	assert_null(parser_detect(blank, blens, 3, &score));
	assert_null(parser_detect(blank, blens, 0, &score));

	const char *prose[2] = {"Hello, this is a README.", "It is not a mail log at all."};
	size_t prlens[2] = {strlen(prose[0]), strlen(prose[1])};
	assert_null(parser_detect(prose, prlens, 2, &score));
}

/* A mixed syslog: a few lines of other programs among Postfix lines do
 * not change the verdict (lines from
 * /work/shared/samples/postfix/forum-thread-2013_dovecot-lda-inbound.log
 * and crowdsec_dovecot-logs_dovecot-logs.log). */
static void test_mixed_syslog(void **state)
{
	(void)state;
	const char *lines[] = {
		"Apr  6 11:31:41 localhost postfix/smtpd[30445]: connect from nm10-vm0.bullet.mail.bf1.yahoo.com[98.139.213.147]",
		"Sep 8 07:46:30 canyon dovecot: auth-worker(24544): pam(toto,1.1.1.1): unknown user",
		"Apr  6 11:31:41 localhost postfix/smtpd[30445]: 9E8BE1A1FF5: client=nm10-vm0.bullet.mail.bf1.yahoo.com[98.139.213.147]",
		"Apr  6 11:31:42 localhost dovecot: lda(argi): msgid=<1365237094.32398.YahooMailNeo@web142706.mail.bf1.yahoo.com>: saved mail to INBOX",
		"Apr  6 11:31:42 localhost postfix/qmgr[30398]: 9E8BE1A1FF5: removed",
	};
	size_t n = sizeof lines / sizeof lines[0];
	size_t lens[5];
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(lines[i]);
	check_scores("mixed syslog", lines, lens, n, "postfix");
}

static int setup(void **state)
{
	(void)state;
	if (parser_init_all() != parser_registry_len)
		return -1;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_matrix),
		cmocka_unit_test(test_loader_agrees),
		cmocka_unit_test(test_line_matrix),
		cmocka_unit_test(test_line_cross_threshold),
		cmocka_unit_test(test_not_a_log),
		cmocka_unit_test(test_mixed_syslog),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
