/*
 * gen.c - deterministic, realistic benchmark logs for `make bench`.
 *
 * Writes a Postfix maillog set (traditional syslog stamps) and an Exim
 * mainlog set (with +pid +millisec, as DirectAdmin configures it) whose
 * line shapes are those of logs-sample/ (real public lines): SMTP sessions,
 * SASL submissions, amavis hops, deliveries, greylisting deferrals that are
 * retried later, bounces with their notification, NOQUEUE rejections.
 * Each set is rotated logrotate-style: NAME, NAME.1, NAME.2.gz ...
 *
 * usage: gen OUTDIR TOTAL_MB      (same arguments -> same bytes)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
	/* xorshift64*: fast, and identical on every machine */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

static const char *const first[] = {"anna", "jan", "piotr", "kasia", "marek", "ola", "tomasz",
				    "ewa", "biuro", "kontakt", "faktury", "sklep", "info", "admin"};
static const char *const domains[] = {"gmail.com", "wp.pl", "onet.pl", "o2.pl", "interia.pl",
				      "firma-a.pl", "firma-b.com", "example.pl", "outlook.com",
				      "yahoo.com", "gazeta.pl", "poczta.example.org"};
static const char *const subjects[] = {
	"Faktura VAT 11/2026", "Re: Spotkanie w czwartek", "Oferta wspolpracy",
	"=?UTF-8?Q?Listopadowa_promocja_=E2=80=93_rabat_20=25?=", "Potwierdzenie zamowienia",
	"=?ISO-8859-2?Q?Faktura_za_pa=BCdziernik?=", "Raport tygodniowy", "Zaproszenie na szkolenie"};

/* Real traffic repeats: a host's users write to a few thousand
 * correspondents, and most of it comes from a few hundred clients. */
static void addr(char *buf, size_t cap)
{
	snprintf(buf, cap, "%s.%u@%s", first[below(14)], below(300), domains[below(12)]);
}

static void qid(char *buf)
{
	snprintf(buf, 16, "%02X%08X", below(256), rnd());
}

static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void exim_id(char *buf)
{
	for (int i = 0; i < 16; i++)
		buf[i] = (i == 6 || i == 13) ? '-' : b62[below(62)];
	buf[16] = '\0';
}

struct set {
	const char *dir, *name;
	int gz_from;        /* generation from which files are gzipped */
	int generations;
	FILE *out;
	int gen;            /* current generation being written (highest first) */
	uint64_t written, per_file;
};

static void open_gen(struct set *s)
{
	char path[512];
	/* generations >= gz_from are gzipped afterwards by bench.sh */
	if (s->gen == 0)
		snprintf(path, sizeof path, "%s/%s", s->dir, s->name);
	else
		snprintf(path, sizeof path, "%s/%s.%d", s->dir, s->name, s->gen);
	s->out = fopen(path, "w");
	if (!s->out) {
		perror(path);
		exit(1);
	}
	s->written = 0;
}

static void emit(struct set *s, const char *line)
{
	size_t n = strlen(line);
	fwrite(line, 1, n, s->out);
	s->written += n;
}

static int rotate_due(struct set *s)
{
	if (s->written < s->per_file || s->gen == 0)
		return 0;
	fclose(s->out);
	s->gen--;
	open_gen(s);
	return 1;
}

static void syslog_stamp(char *buf, time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%b %e %H:%M:%S", &tm);
}

static void exim_stamp(char *buf, time_t t, unsigned ms)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t n = strftime(buf, 40, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, 40 - n, ".%03u", ms);
}

static void postfix_message(struct set *s, time_t t)
{
	char ts[32], q[16], q2[16], from[96], to[96], line[2048], ip[32];
	unsigned pid = 1000 + below(60000), kind = below(100);
	syslog_stamp(ts, t);
	qid(q);
	addr(from, sizeof from);
	addr(to, sizeof to);
	snprintf(ip, sizeof ip, "%u.%u.%u.%u", 11 + below(4), 64, below(16), 1 + below(254));
	if (kind < 10) {
		snprintf(line, sizeof line,
			 "%s mx postfix/smtpd[%u]: connect from unknown[%s]\n"
			 "%s mx postfix/smtpd[%u]: NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 "
			 "Service unavailable; Client host [%s] blocked using zen.spamhaus.org; "
			 "from=<%s> to=<%s> proto=ESMTP helo=<WIN-CLJ1B0GQ6JP>\n"
			 "%s mx postfix/smtpd[%u]: disconnect from unknown[%s] ehlo=1 mail=1 rcpt=0/1 "
			 "quit=1 commands=3/4\n",
			 ts, pid, ip, ts, pid, ip, ip, from, to, ts, pid, ip);
		emit(s, line);
		return;
	}
	const char *subj = subjects[below(8)];
	snprintf(line, sizeof line,
		 "%s mx postfix/submission/smtpd[%u]: connect from host-%s.dynamic.example.net[%s]\n"
		 "%s mx postfix/submission/smtpd[%u]: Anonymous TLS connection established from "
		 "host-%s.dynamic.example.net[%s]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
		 "(256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) "
		 "server-digest SHA256\n"
		 "%s mx postfix/submission/smtpd[%u]: %s: client=host-%s.dynamic.example.net[%s], "
		 "sasl_method=PLAIN, sasl_username=%s\n"
		 "%s mx postfix/cleanup[%u]: %s: message-id=<%08x.%s@example.pl>\n"
		 "%s mx postfix/cleanup[%u]: %s: info: header Subject: %s from host[%s]; from=<%s> "
		 "to=<%s> proto=ESMTP helo=<pc>\n"
		 "%s mx postfix/qmgr[1102]: %s: from=<%s>, size=%u, nrcpt=1 (queue active)\n"
		 "%s mx postfix/submission/smtpd[%u]: disconnect from host[%s] ehlo=2 starttls=1 auth=1 "
		 "mail=1 rcpt=1 data=1 quit=1 commands=8\n",
		 ts, pid, ip, ip, ts, pid, ip, ip, ts, pid, q, ip, ip, from, ts, pid + 3, q, rnd(), q,
		 ts, pid + 3, q,
		 subj, ip, from, to, ts, q, from, 1000 + below(200000), ts, pid, ip);
	emit(s, line);
	if (kind < 80) {
		const char *dom = strchr(to, '@') + 1;
		unsigned last = below(250);
		snprintf(line, sizeof line,
			 "%s mx postfix/smtp[%u]: Trusted TLS connection established to mx.%s"
			 "[198.51.100.%u]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) "
			 "key-exchange X25519 server-signature RSA-PSS (4096 bits) server-digest SHA256\n"
			 "%s mx postfix/smtp[%u]: %s: to=<%s>, relay=mx.%s[198.51.100.%u]:25, "
			 "delay=1.2, delays=0.1/0.01/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: "
			 "queued as %X)\n%s mx postfix/qmgr[1102]: %s: removed\n",
			 ts, pid + 5, dom, last, ts, pid + 5, q, to, dom, last, rnd(), ts, q);
	} else if (kind < 90) {
		qid(q2);
		snprintf(line, sizeof line,
			 "%s mx postfix/smtp[%u]: %s: to=<%s>, relay=mx.%s[198.51.100.%u]:25, "
			 "delay=1, delays=0.05/0/0.61/0.34, dsn=5.1.1, status=bounced (host mx.%s"
			 "[198.51.100.7] said: 550 5.1.1 <%s>: Recipient address rejected: User unknown "
			 "in virtual mailbox table (in reply to RCPT TO command))\n"
			 "%s mx postfix/cleanup[%u]: %s: message-id=<%s@mx.example.pl>\n"
			 "%s mx postfix/bounce[%u]: %s: sender non-delivery notification: %s\n"
			 "%s mx postfix/qmgr[1102]: %s: from=<>, size=4380, nrcpt=1 (queue active)\n"
			 "%s mx postfix/qmgr[1102]: %s: removed\n"
			 "%s mx postfix/local[%u]: %s: to=<%s>, relay=local, delay=0.02, "
			 "delays=0.01/0/0/0.01, dsn=2.0.0, status=sent (delivered to mailbox)\n"
			 "%s mx postfix/qmgr[1102]: %s: removed\n",
			 ts, pid + 5, q, to, strchr(to, '@') + 1, below(250), strchr(to, '@') + 1, to, ts,
			 pid + 3, q2, q2, ts, pid + 6, q, q2, ts, q2, ts, q, ts, pid + 7, q2, from, ts, q2);
	} else {
		snprintf(line, sizeof line,
			 "%s mx postfix/smtp[%u]: %s: to=<%s>, relay=mx.%s[198.51.100.25]:25, "
			 "delay=1.3, delays=0.1/0.01/0.8/0.39, dsn=4.7.1, status=deferred (host mx.%s"
			 "[198.51.100.25] said: 450 4.7.1 <%s>: Recipient address rejected: Greylisted, "
			 "see http://postgrey.schweikert.ch/help/%s.html (in reply to RCPT TO command))\n",
			 ts, pid + 5, q, to, strchr(to, '@') + 1, strchr(to, '@') + 1, to,
			 strchr(to, '@') + 1);
	}
	emit(s, line);
}

static void exim_message(struct set *s, time_t t)
{
	char ts[40], ts2[40], id[20], id2[20], from[96], to[96], line[2048];
	unsigned pid = 1000 + below(60000), kind = below(100);
	exim_stamp(ts, t, below(1000));
	exim_stamp(ts2, t + 1, below(1000));
	exim_id(id);
	addr(from, sizeof from);
	addr(to, sizeof to);
	if (kind < 8) {
		snprintf(line, sizeof line,
			 "%s [%u] H=(WIN-CLJ1B0GQ6JP) [185.220.%u.%u]:61522 I=[198.51.100.10]:25 F=<%s> "
			 "rejected RCPT <%s>: relay not permitted, authentication required\n",
			 ts, pid, below(256), below(256), from, to);
		emit(s, line);
		return;
	}
	snprintf(line, sizeof line,
		 "%s [%u] %s <= %s H=(pc) [203.0.%u.%u]:53011 I=[198.51.100.10]:587 P=esmtpsa "
		 "X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_login:%s S=%u "
		 "id=%08x.%u@example.pl T=\"%s\" from <%s> for %s\n",
		 ts, pid, id, from, below(256), below(256), from, 1000 + below(90000), rnd(), pid,
		 subjects[below(8)], from, to);
	emit(s, line);
	if (kind < 85) {
		snprintf(line, sizeof line,
			 "%s [%u] %s => %s F=<%s> R=lookuphost T=remote_smtp S=%u H=mx.%s "
			 "[198.51.100.%u] X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=yes "
			 "C=\"250 2.0.0 Ok: queued as %X\"\n%s [%u] %s Completed\n",
			 ts2, pid + 3, id, to, from, 1100 + below(90000), strchr(to, '@') + 1,
			 below(250), rnd(), ts2, pid + 3, id);
	} else if (kind < 93) {
		exim_id(id2);
		snprintf(line, sizeof line,
			 "%s [%u] %s ** %s F=<%s> R=lookuphost T=remote_smtp H=mx.%s [212.77.101.1]: "
			 "SMTP error from remote mail server after RCPT TO:<%s>: 550 5.1.1 <%s>: "
			 "Recipient address rejected: No such user here\n"
			 "%s [%u] %s <= <> R=%s U=mail P=local S=3544 T=\"Mail delivery failed: "
			 "returning message to sender\" from <> for %s\n"
			 "%s [%u] %s Completed\n"
			 "%s [%u] %s => %s F=<> R=virtual_user T=virtual_localdelivery S=3622\n"
			 "%s [%u] %s Completed\n",
			 ts2, pid + 3, id, to, from, strchr(to, '@') + 1, to, to, ts2, pid + 3, id2, id,
			 from, ts2, pid + 3, id, ts2, pid + 4, id2, from, ts2, pid + 4, id2);
	} else {
		snprintf(line, sizeof line,
			 "%s [%u] %s == %s R=lookuphost T=remote_smtp defer (-44) H=mx.%s "
			 "[198.51.100.77]: SMTP error from remote mail server after RCPT TO:<%s>: 451 "
			 "4.7.1 Greylisting in action, please come back later\n",
			 ts2, pid + 3, id, to, strchr(to, '@') + 1, to);
	}
	emit(s, line);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen OUTDIR TOTAL_MB\n");
		return 2;
	}
	uint64_t total = strtoull(argv[2], NULL, 10) << 20;
	struct set pf = {argv[1], "mail.log", 2, 8, NULL, 7, 0, 0};
	struct set ex = {argv[1], "mainlog", 2, 8, NULL, 7, 0, 0};
	/* Postfix lines outnumber Exim's on most hosts: 60/40 */
	pf.per_file = total * 6 / 10 / 8 + 1;
	ex.per_file = total * 4 / 10 / 8 + 1;
	open_gen(&pf);
	open_gen(&ex);
	time_t t = 1793491200; /* 2026-11-01 00:00 UTC */
	uint64_t steps = 0;
	int pf_done = 0, ex_done = 0;
	while (!pf_done || !ex_done) {
		if (!pf_done)
			postfix_message(&pf, t);
		if (!ex_done && below(10) < 7)
			exim_message(&ex, t);
		pf_done = pf.gen == 0 && pf.written >= pf.per_file;
		ex_done = ex.gen == 0 && ex.written >= ex.per_file;
		rotate_due(&pf);
		rotate_due(&ex);
		if (++steps % 3 == 0)
			t++;
	}
	fclose(pf.out);
	fclose(ex.out);
	return 0;
}
