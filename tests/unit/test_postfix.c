/*
 * test_postfix.c - the Postfix maillog parser (with its dovecot and amavis
 * lines) on real sample lines, its format probe, and hostile input.
 *
 * Every table row is a line copied verbatim from the sample file named in
 * it (FORMATS.md section 7 lists where those came from); whyscream rows are
 * message bodies only in that sample, so they carry the synthetic prefix
 * "Oct 26 18:13:50 mx postfix/<program>[4242]: " built from the file's
 * "# program:" comment.  Expected values were written by hand from the line
 * text and FORMATS.md section 2, never by running the parser.  Time stamps
 * were computed with `date -u -d '2000-03-22 18:18:15' +%s` and the like:
 * syslog stamps carry no year, so the parser counts them in year 2000 as
 * wall-clock time (PL_YEARLESS | PL_LOCALTIME); RFC 3339 stamps are UTC.
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

extern const struct parser parser_postfix;

#define SYS (PL_YEARLESS | PL_LOCALTIME)
#define TS(sec, usec) (INT64_C(sec) * 1000000 + (usec))

struct pf_case {
	const char *src; /* sample file the line was copied from */
	const char *line;
	enum parse_result res;
	enum ev_kind kind;
	enum outcome outcome;
	enum link_kind link;
	uint16_t code;
	uint32_t pid;
	int64_t ts;
	unsigned flags;
	int has_size;
	int64_t size;
	const char *f[F__COUNT]; /* NULL: the field must be absent */
};

#define PIX "postfix/pixelpark_postfix-logsums_test_mail.log.curated.log"
#define PMG1 "postfix/pmg-log-tracker_test_input_mixed_excerpt.log"
#define PMG2 "postfix/pmg-log-tracker_test_input_time_rfc3339_mixed.log"
#define WHY "postfix/whyscream_postfix-grok-patterns_test-bodies.log (body; prefix added)"
#define KUM "postfix/kumina_postfix_exporter_test.log"
#define K76 "postfix/kumina-postfix_exporter-issue76.log"
#define FORUM "postfix/forum-thread-2011_bounce-chain-dovecot-deliver.log"
#define LINODE "postfix/linode-docs_email-with-postfix-dovecot-and-mysql.log"
#define MFE2 "dovecot-amavis/mfe2-java-comments_dovecot23-postfix.log"
#define LRD "dovecot-amavis/lograptor_tests_samples_dovecot.log"
#define LRP "postfix/lograptor_tests_samples_postfix.log"
#define F2B "postfix/fail2ban_postfix.log"
#define CSEC "postfix/crowdsec_postfix-logs_postfix-logs.log"
#define CSDOV "dovecot-amavis/crowdsec_dovecot-logs_dovecot-logs.log"
#define MAILCOW "postfix/mailcow-issue339_duplicated-lines.log"
#define SERGEY "postfix/sergeymakinen_postfix_exporter_testdata_mail.fixture.log"

/* WHY rows: "Oct 26 18:13:50" -> date -u -d '2000-10-26 18:13:50' = 972584030 */
#define WHY_TS TS(972584030, 0)

static const struct pf_case pf_cases[] = {
	/* ---- pixelpark: RFC 3339, long queue ids, amavis, multi-service names ---- */
	{PIX, "2023-03-14T00:08:33.348115+01:00 helga postfix/smtpd[297535]: connect from mail.nistoresio.co.cz[185.31.160.120]",
	 PARSE_OK, EV_CONNECT, OUT_NONE, LINK_NONE, 0, 297535, TS(1678748913, 348115), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/smtpd",
	       [F_CLIENT_HOST] = "mail.nistoresio.co.cz", [F_CLIENT_IP] = "185.31.160.120"}},
	{PIX, "2023-03-14T00:08:33.579644+01:00 helga postfix/smtpd[297535]: 4PbC4x469Jz3tBr: client=mail.nistoresio.co.cz[185.31.160.120]",
	 PARSE_OK, EV_CLIENT, OUT_NONE, LINK_NONE, 0, 297535, TS(1678748913, 579644), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/smtpd", [F_QID] = "4PbC4x469Jz3tBr",
	       [F_CLIENT_HOST] = "mail.nistoresio.co.cz", [F_CLIENT_IP] = "185.31.160.120"}},
	{PIX, "2023-03-14T00:08:33.628392+01:00 helga postfix/cleanup[302604]: 4PbC4x469Jz3tBr: message-id=<71816687N65284230Y01410375Q67285060N@ajmyjyz>",
	 PARSE_OK, EV_MSGID, OUT_NONE, LINK_NONE, 0, 302604, TS(1678748913, 628392), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/cleanup", [F_QID] = "4PbC4x469Jz3tBr",
	       [F_MSGID] = "<71816687N65284230Y01410375Q67285060N@ajmyjyz>"}},
	{PIX, "2023-03-14T00:08:33.787870+01:00 helga postfix/qmgr[3163066]: 4PbC4x469Jz3tBr: from=<ajmyjyz@nistoresio.co.cz>, size=175061, nrcpt=1 (queue active)",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, 0, 3163066, TS(1678748913, 787870), 0, 1, 175061,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/qmgr", [F_QID] = "4PbC4x469Jz3tBr",
	       [F_SENDER] = "ajmyjyz@nistoresio.co.cz"}},
	{PIX, "2023-03-14T00:08:33.786682+01:00 helga postfix/smtpd[297535]: disconnect from mail.nistoresio.co.cz[185.31.160.120] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, 0, 297535, TS(1678748913, 786682), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/smtpd",
	       [F_CLIENT_HOST] = "mail.nistoresio.co.cz", [F_CLIENT_IP] = "185.31.160.120",
	       [F_DETAIL] = "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"}},
	{PIX, "2023-03-14T00:08:35.940347+01:00 helga amavis[237978]: (237978-11) Passed CLEAN {RelayedInbound}, [185.31.160.120]:41695 [45.141.85.146] ESMTP/ESMTP <ajmyjyz@nistoresio.co.cz> -> <user01.test@uhu-banane.net>, (ESMTP://[185.31.160.120]:41695 < ESMTPA://45.141.85.146), Queue-ID: 4PbC4x469Jz3tBr, Message-ID: <71816687N65284230Y01410375Q67285060N@ajmyjyz>, mail_id: VQpGETLS8yJc, b: _dAm-dg2M, Hits: 2.913, size: 175061, queued_as: 4PbC4z6W5Qz3tG3, Subject: \"Individuelle Prognose für den Gewichtsverlust (raw: =?utf-8?B?SW5kaXZpZHVlbGxlIFByb2dub3NlIGbDvHIgZGVuIEdld2ljaHRzdmVybHVzdA==?=)\", From: <ajmyjyz@nistoresio.co.cz>, helo=mail.nistoresio.co.cz, Tests: [BAYES_20=-0.001,HTML_IMAGE_ONLY_08=1.651,HTML_IMAGE_RATIO_02=0.001,HTML_MESSAGE=0.001,HTML_SHORT_LINK_IMG_1=0.001,SPF_HELO_NONE=0.001,SPF_PASS=-0.001,T_TVD_MIME_EPI=0.01,URIBL_ABUSE_SURBL=1.25], autolearn=no autolearn_force=no, autolearnscore=3.881, 2131 ms",
	 PARSE_OK, EV_FILTER, OUT_NONE, LINK_NEXT_HOP, 0, 237978, TS(1678748915, 940347), 0, 1, 175061,
	 .f = {[F_HOST] = "helga", [F_PROG] = "amavis", [F_QID] = "4PbC4x469Jz3tBr",
	       [F_LINK] = "4PbC4z6W5Qz3tG3", [F_SENDER] = "ajmyjyz@nistoresio.co.cz",
	       [F_RCPT] = "user01.test@uhu-banane.net", [F_RCPTS] = "user01.test@uhu-banane.net",
	       [F_CLIENT_IP] = "185.31.160.120",
	       [F_MSGID] = "<71816687N65284230Y01410375Q67285060N@ajmyjyz>",
	       [F_SUBJECT] = "=?utf-8?B?SW5kaXZpZHVlbGxlIFByb2dub3NlIGbDvHIgZGVuIEdld2ljaHRzdmVybHVzdA==?=",
	       [F_DETAIL] = "Passed CLEAN"}},
	{PIX, "2023-03-14T00:08:35.948047+01:00 helga postfix/amavis/smtp[302609]: 4PbC4x469Jz3tBr: to=<user01.test@uhu-banane.net>, orig_to=<frank@brehm-berlin.de>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.4, delays=0.29/0.02/0.01/2.1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3)",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, 250, 302609, TS(1678748915, 948047), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/amavis/smtp", [F_QID] = "4PbC4x469Jz3tBr",
	       [F_LINK] = "4PbC4z6W5Qz3tG3", [F_RCPT] = "user01.test@uhu-banane.net",
	       [F_ORIG_RCPT] = "frank@brehm-berlin.de", [F_RELAY] = "127.0.0.1[127.0.0.1]:10024",
	       [F_DSN] = "2.0.0",
	       [F_REPLY] = "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3",
	       [F_DETAIL] = "delay=2.4 delays=0.29/0.02/0.01/2.1"}},
	{PIX, "2023-03-14T00:08:35.948639+01:00 helga postfix/qmgr[3163066]: 4PbC4x469Jz3tBr: removed",
	 PARSE_OK, EV_DONE, OUT_NONE, LINK_NONE, 0, 3163066, TS(1678748915, 948639), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/qmgr", [F_QID] = "4PbC4x469Jz3tBr"}},
	{PIX, "2023-03-14T00:26:51.985219+01:00 helga postfix/postscreen[3163107]: NOQUEUE: reject: RCPT from [185.246.220.193]:62795: 550 5.7.1 Service unavailable; client [185.246.220.193] blocked using zen.spamhaus.org; from=<ripe@uhu-banane.de>, to=<zzzzzzzzzzzzzzzzzezihe@hotmail.com>, proto=ESMTP, helo=<3BqSwxw>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 550, 3163107, TS(1678750011, 985219), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/postscreen", [F_SENDER] = "ripe@uhu-banane.de",
	       [F_RCPT] = "zzzzzzzzzzzzzzzzzezihe@hotmail.com", [F_DSN] = "5.7.1",
	       [F_REPLY] = "550 5.7.1 Service unavailable; client [185.246.220.193] blocked using zen.spamhaus.org",
	       [F_CLIENT_IP] = "185.246.220.193", [F_HELO] = "3BqSwxw", [F_PROTO] = "ESMTP",
	       [F_DETAIL] = "RCPT"}},
	{PIX, "2023-03-14T00:31:06.621091+01:00 helga postfix/submission/smtpd[303987]: 4PbCZy4PWKz3tBr: client=unknown[2a02:8109:b240:41c8:9264:99a9:1b0d:15c8], sasl_method=PLAIN, sasl_username=vmail@uhu-banane.net",
	 PARSE_OK, EV_CLIENT, OUT_NONE, LINK_NONE, 0, 303987, TS(1678750266, 621091), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/submission/smtpd", [F_QID] = "4PbCZy4PWKz3tBr",
	       [F_CLIENT_HOST] = "unknown", [F_CLIENT_IP] = "2a02:8109:b240:41c8:9264:99a9:1b0d:15c8",
	       [F_AUTH] = "vmail@uhu-banane.net"}},
	{PIX, "2023-03-16T02:27:29.827273+01:00 helga postfix/smtp[505058]: 4PcV4K5FPLz3tBr: to=<user02.test@uhu-banane.com>, relay=none, delay=0.07, delays=0.01/0.02/0.04/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=hennig-berlin.com type=AAAA: Host not found)",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, 0, 505058, TS(1678930049, 827273), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/smtp", [F_QID] = "4PcV4K5FPLz3tBr",
	       [F_RCPT] = "user02.test@uhu-banane.com", [F_RELAY] = "none", [F_DSN] = "5.4.4",
	       [F_REPLY] = "Host or domain name not found. Name service error for name=hennig-berlin.com type=AAAA: Host not found",
	       [F_DETAIL] = "delay=0.07 delays=0.01/0.02/0.04/0"}},
	{PIX, "2023-03-16T02:27:29.834732+01:00 helga postfix/bounce[505059]: 4PcV4K5FPLz3tBr: sender non-delivery notification: 4PcV4K5tFpz3tG5",
	 PARSE_OK, EV_BOUNCE_SENT, OUT_NONE, LINK_BOUNCE_CHILD, 0, 505059, TS(1678930049, 834732), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/bounce", [F_QID] = "4PcV4K5FPLz3tBr",
	       [F_LINK] = "4PcV4K5tFpz3tG5", [F_DETAIL] = "sender non-delivery notification"}},
	{PIX, "2023-03-14T06:27:35.281454+01:00 helga postfix/local[326895]: 4PbMVH1gW1z3tBr: to=<root@mail.uhu-banane.de>, relay=local, delay=0.05, delays=0.01/0.03/0/0.01, dsn=2.0.0, status=sent (forwarded as 4PbMVH1yTpz3tG3)",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_FORWARDED, 0, 326895, TS(1678771655, 281454), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/local", [F_QID] = "4PbMVH1gW1z3tBr",
	       [F_LINK] = "4PbMVH1yTpz3tG3", [F_RCPT] = "root@mail.uhu-banane.de", [F_RELAY] = "local",
	       [F_DSN] = "2.0.0", [F_REPLY] = "forwarded as 4PbMVH1yTpz3tG3",
	       [F_DETAIL] = "delay=0.05 delays=0.01/0.03/0/0.01"}},
	{PIX, "2023-03-14T06:27:34.913959+01:00 helga postfix/pickup[320974]: 4PbMVG6Tmjz3tG3: uid=0 from=<root>",
	 PARSE_OK, EV_CLIENT, OUT_NONE, LINK_NONE, 0, 320974, TS(1678771654, 913959), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/pickup", [F_QID] = "4PbMVG6Tmjz3tG3",
	       [F_SENDER] = "root", [F_DETAIL] = "uid=0"}},
	{.src = PIX, .line = "2023-03-14T00:06:33.303973+01:00 helga postfix/anvil[3163161]: statistics: max connection count 1 for (smtpd:185.48.118.128) at Mar 13 23:57:31",
	 .res = PARSE_SKIP},
	{.src = PIX, .line = "2023-03-14T00:00:31.292246+01:00 helga postfix/postscreen[3163107]: PASS OLD [185.48.118.128]:36942",
	 .res = PARSE_SKIP},
	{PIX, "2023-03-14T00:00:31.185246+01:00 helga postfix/postscreen[3163107]: CONNECT from [185.48.118.128]:36942 to [188.34.187.246]:25",
	 PARSE_OK, EV_CONNECT, OUT_NONE, LINK_NONE, 0, 3163107, TS(1678748431, 185246), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/postscreen", [F_CLIENT_IP] = "185.48.118.128"}},
	{PIX, "2023-03-15T09:33:43.248715+01:00 helga amavis[351462]: (351462-17) Blocked BANNED (.exe,.exe-ms,Purchase Order-20230315-pdf.scr) {DiscardedInbound,Quarantined}, [212.227.15.19]:46759 [35.188.35.122] ESMTP/ESMTP <user01.test@gmx.de> -> <user01.test@uhu-banane.net>, (ESMTPS://[212.227.15.19]:46759 < ESMTPS://67.220.184.242 < esmtpsa___tls_TLS_AES_256_GCM_SHA384://35.188.35.122), quarantine: t3d7qJkAoigg, Queue-ID: 4Pc3ZX1jFxz3tBr, Message-ID: <20230315083320.C472106BAA31721C@howunited.com>, mail_id: t3d7qJkAoigg, b: yBZPxzWx2, Hits: -, size: 3233426, Subject: \"Re: New Order\", From: <bassam.elmasri@howunited.com>, helo=mout.gmx.net, b.key=(?^:^\\\\.(exe-ms|dll)$), b.com=(?^:^\\\\.(exe-ms|dll)$), b.rhs=1, b.parts=P=p003,L=1,M=multipart/mixed | P=p002,L=1/2,M=application/x-iso9660-image,T=iso,N=Purchase Order-20230315 & Leaflets.IMG | P=p004,L=1/2/1,T=exe,T=exe-ms,N=Purchase Order-20230315-pdf.scr, dkim_i=@oisltdng.com, dkim_sd=default:oisltdng.com, 2680 ms",
	 PARSE_OK, EV_FILTER, OUT_BOUNCED, LINK_NONE, 0, 351462, TS(1678869223, 248715), 0, 1, 3233426,
	 .f = {[F_HOST] = "helga", [F_PROG] = "amavis", [F_QID] = "4Pc3ZX1jFxz3tBr",
	       [F_SENDER] = "user01.test@gmx.de", [F_RCPT] = "user01.test@uhu-banane.net",
	       [F_RCPTS] = "user01.test@uhu-banane.net", [F_CLIENT_IP] = "212.227.15.19",
	       [F_MSGID] = "<20230315083320.C472106BAA31721C@howunited.com>",
	       [F_SUBJECT] = "Re: New Order",
	       [F_REPLY] = "Blocked BANNED (.exe,.exe-ms,Purchase Order-20230315-pdf.scr)",
	       [F_DETAIL] = "Blocked BANNED (.exe,.exe-ms,Purchase Order-20230315-pdf.scr)"}},
	{.src = PIX, .line = "2023-03-14T06:07:20.214469+01:00 helga amavis[237978]: (237978-14) ...-m-preis-v.de, 1324 ms",
	 .res = PARSE_SKIP},
	{PIX, "2023-03-15T06:27:22.101427+01:00 helga amavis[351462]: (351462-13) Passed CLEAN {RelayedInternal}, ORIGINATING LOCAL [127.0.0.1] /ESMTP <root@mail.uhu-banane.de> -> <root@mail.uhu-banane.de>, (), Message-ID: <4PbzRY4stSz3tG3@mail.brehm-berlin.de>, mail_id: EvOeucT1p9sI, b: mXycMkH5I, Hits: -, size: 227356, queued_as: 4PbzRZ0V1Dz3tBr, Subject: \"Logwatch for helga (Linux)\", From: <logwatch@mail.brehm-berlin.de>, helo=, dkim_new=dkim:uhu-banane.net, 356 ms",
	 PARSE_OK, EV_FILTER, OUT_NONE, LINK_NEXT_HOP, 0, 351462, TS(1678858042, 101427), 0, 1, 227356,
	 .f = {[F_HOST] = "helga", [F_PROG] = "amavis", [F_LINK] = "4PbzRZ0V1Dz3tBr",
	       [F_SENDER] = "root@mail.uhu-banane.de", [F_RCPT] = "root@mail.uhu-banane.de",
	       [F_RCPTS] = "root@mail.uhu-banane.de",
	       [F_MSGID] = "<4PbzRY4stSz3tG3@mail.brehm-berlin.de>",
	       [F_SUBJECT] = "Logwatch for helga (Linux)", [F_DETAIL] = "Passed CLEAN"}},
	{PIX, "2023-03-16T15:53:39.580618+01:00 helga postfix/smtpd[558237]: timeout after CONNECT from unknown[192.210.206.189]",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, 0, 558237, TS(1678978419, 580618), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "unknown",
	       [F_CLIENT_IP] = "192.210.206.189", [F_DETAIL] = "timeout after CONNECT"}},
	{PIX, "2023-03-16T02:27:30.328538+01:00 helga postfix/smtp[505058]: Trusted TLS connection established to aspmx.l.google.com[2a00:1450:400c:c00::1a]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256",
	 PARSE_OK, EV_TLS, OUT_NONE, LINK_NONE, 0, 505058, TS(1678930050, 328538), 0, 0, 0,
	 .f = {[F_HOST] = "helga", [F_PROG] = "postfix/smtp",
	       [F_RELAY] = "aspmx.l.google.com[2a00:1450:400c:c00::1a]:25",
	       [F_DETAIL] = "Trusted TLS connection established to aspmx.l.google.com[2a00:1450:400c:c00::1a]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256"}},

	/* ---- PMG: before-queue proxy lines, Z and -02:00 zones ---- */
	{PMG1, "Dec 18 15:04:15 pmg postfix/smtpd[21842]: proxy-reject: END-OF-MESSAGE: 554 5.7.1 Rejected for policy reasons (381C4E5DFA31DF9E90F); from=<mailtestsender2@localhost.localdomain> to=<pmgtest@localhost.localdomain> proto=ESMTP helo=<localhost.localdomain>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 554, 21842, TS(977151855, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "pmg", [F_PROG] = "postfix/smtpd",
	       [F_SENDER] = "mailtestsender2@localhost.localdomain",
	       [F_RCPT] = "pmgtest@localhost.localdomain", [F_DSN] = "5.7.1",
	       [F_REPLY] = "554 5.7.1 Rejected for policy reasons (381C4E5DFA31DF9E90F)",
	       [F_HELO] = "localhost.localdomain", [F_PROTO] = "ESMTP", [F_DETAIL] = "END-OF-MESSAGE"}},
	{PMG1, "Dec 18 15:06:26 pmg postfix/smtpd[21949]: proxy-accept: END-OF-MESSAGE: 250 2.5.0 OK (381C4E5DFA32622BFC4); from=<mailtestsender2@localhost.localdomain> to=<pmgtest@localhost.localdomain> proto=ESMTP helo=<localhost.localdomain>",
	 PARSE_OK, EV_NOTE, OUT_NONE, LINK_NONE, 250, 21949, TS(977151986, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "pmg", [F_PROG] = "postfix/smtpd",
	       [F_SENDER] = "mailtestsender2@localhost.localdomain",
	       [F_RCPT] = "pmgtest@localhost.localdomain", [F_DSN] = "2.5.0",
	       [F_REPLY] = "250 2.5.0 OK (381C4E5DFA32622BFC4)",
	       [F_HELO] = "localhost.localdomain", [F_PROTO] = "ESMTP", [F_DETAIL] = "proxy-accept"}},
	{PMG1, "Dec 18 15:04:15 pmg postfix/smtpd[21842]: NOQUEUE: client=pmg.localhost[192.168.22.40]",
	 PARSE_OK, EV_CLIENT, OUT_NONE, LINK_NONE, 0, 21842, TS(977151855, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "pmg", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "pmg.localhost",
	       [F_CLIENT_IP] = "192.168.22.40"}},
	{.src = PMG1, .line = "Dec 18 15:04:15 pmg pmg-smtp-filter[1565]: 381C4E5DFA31DF9E90F: new mail message-id=<xyz>",
	 .res = PARSE_SKIP},
	{PMG1, "Dec 18 15:36:37 proxmox-new postfix/smtpd[29713]: 1C6B541C5D: client=localhost.localdomain[127.0.0.1], orig_client=test.localdomain[192.168.22.40]",
	 PARSE_OK, EV_CLIENT, OUT_NONE, LINK_NONE, 0, 29713, TS(977153797, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "proxmox-new", [F_PROG] = "postfix/smtpd", [F_QID] = "1C6B541C5D",
	       [F_CLIENT_HOST] = "localhost.localdomain", [F_CLIENT_IP] = "127.0.0.1"}},
	{PMG2, "2023-06-23T14:28:23.806755-02:00 pmg1 postfix/smtpd[1181]: C4EC9C0192: client=pmghost.mydomain.tld[192.168.1.001]",
	 PARSE_OK, EV_CLIENT, OUT_NONE, LINK_NONE, 0, 1181, TS(1687537703, 806755), 0, 0, 0,
	 .f = {[F_HOST] = "pmg1", [F_PROG] = "postfix/smtpd", [F_QID] = "C4EC9C0192",
	       [F_CLIENT_HOST] = "pmghost.mydomain.tld", [F_CLIENT_IP] = "192.168.1.001"}},
	{PMG2, "2023-06-23T14:27:41.385756Z pmg1 postfix/lmtp[1186]: 866B7C0192: to=<test@mydomain.tld>, relay=127.0.0.1[127.0.0.1]:10024, delay=0.84, delays=0.05/0/0.05/0.74, dsn=2.5.0, status=sent (250 2.5.0 OK (C019B64958FBC9EA20))",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, 250, 1186, TS(1687530461, 385756), 0, 0, 0,
	 .f = {[F_HOST] = "pmg1", [F_PROG] = "postfix/lmtp", [F_QID] = "866B7C0192",
	       [F_RCPT] = "test@mydomain.tld", [F_RELAY] = "127.0.0.1[127.0.0.1]:10024",
	       [F_DSN] = "2.5.0", [F_REPLY] = "250 2.5.0 OK (C019B64958FBC9EA20)",
	       [F_DETAIL] = "delay=0.84 delays=0.05/0/0.05/0.74"}},
	{.src = PMG2, .line = "2023-06-23T14:27:33.001794+02:00 pmg1 systemd[1]: Started session-9.scope - Session 9 of User root.",
	 .res = PARSE_SKIP},

	/* ---- whyscream bodies (synthetic prefix, see the file comment) ---- */
	{WHY, "Oct 26 18:13:50 mx postfix/cleanup[4242]: D8B07E3DB6: warning: header Subject: https://drive.google.com/file/d/0B8wxcvprDYVdlVsdf1kzOVkdisarmed/view?usp=sharing from o1678917x173.outbound-mail.sendgrid.net[167.89.17.173]; from=<bounces+2320708-7653-frank.test=hsdjasdd.co.uk@sendgrid.net> to=<frank.test@hsdjasdd.co.uk> proto=ESMTP helo=<o1678917x173.outbound-mail.sendgrid.net>",
	 PARSE_OK, EV_HEADER, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/cleanup", [F_QID] = "D8B07E3DB6",
	       [F_SUBJECT] = "https://drive.google.com/file/d/0B8wxcvprDYVdlVsdf1kzOVkdisarmed/view?usp=sharing",
	       [F_CLIENT_HOST] = "o1678917x173.outbound-mail.sendgrid.net", [F_CLIENT_IP] = "167.89.17.173",
	       [F_SENDER] = "bounces+2320708-7653-frank.test=hsdjasdd.co.uk@sendgrid.net",
	       [F_RCPT] = "frank.test@hsdjasdd.co.uk", [F_PROTO] = "ESMTP",
	       [F_HELO] = "o1678917x173.outbound-mail.sendgrid.net"}},
	{WHY, "Oct 26 18:13:50 mx postfix/cleanup[4242]: D95341E50350: info: header Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?= =?utf-8?Q?_=E2=80=92?= test from local; from=<from@example.com> to=<to@example.com>",
	 PARSE_OK, EV_HEADER, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/cleanup", [F_QID] = "D95341E50350",
	       [F_SUBJECT] = "=?utf-8?Q?Gr=C3=BC=C3=9Fe?= =?utf-8?Q?_=E2=80=92?= test",
	       [F_SENDER] = "from@example.com", [F_RCPT] = "to@example.com"}},
	{WHY, "Oct 26 18:13:50 mx postfix/cleanup[4242]: 4104E3D: milter-reject: END-OF-MESSAGE from 061238241086.static.ctinets.com[61.238.241.86]: 5.7.1 Blocked by SpamAssassin; from=<wumt5@cchfdc.com> to=<voorzitter@example.com> proto=ESMTP helo=<ecsolved.com>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/cleanup", [F_QID] = "4104E3D",
	       [F_CLIENT_HOST] = "061238241086.static.ctinets.com", [F_CLIENT_IP] = "61.238.241.86",
	       [F_DSN] = "5.7.1", [F_REPLY] = "5.7.1 Blocked by SpamAssassin",
	       [F_SENDER] = "wumt5@cchfdc.com", [F_RCPT] = "voorzitter@example.com",
	       [F_PROTO] = "ESMTP", [F_HELO] = "ecsolved.com", [F_DETAIL] = "END-OF-MESSAGE"}},
	{WHY, "Oct 26 18:13:50 mx postfix/cleanup[4242]: 48rT2v1hQrz1J0N: prepend: header X-Spam-Status: Yes, score=45.1 required=10.0 tests=ADVANCE_FE from mx2.example.org[192.0.2.41]; from=<SRS0=1sN3=5P=example.org=noreply@srs.example.org> to=<recipient@example.net> proto=ESMTP helo=<mx2.example.org>: X-Spam-Status: Yes",
	 PARSE_OK, EV_HEADER, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/cleanup", [F_QID] = "48rT2v1hQrz1J0N",
	       [F_DETAIL] = "X-Spam-Status: Yes, score=45.1 required=10.0 tests=ADVANCE_FE",
	       [F_CLIENT_HOST] = "mx2.example.org", [F_CLIENT_IP] = "192.0.2.41",
	       [F_SENDER] = "SRS0=1sN3=5P=example.org=noreply@srs.example.org",
	       [F_RCPT] = "recipient@example.net", [F_PROTO] = "ESMTP", [F_HELO] = "mx2.example.org",
	       [F_REPLY] = "X-Spam-Status: Yes"}},
	{WHY, "Oct 26 18:13:50 mx postfix/cleanup[4242]: ADD961003206D: message-id==?UTF-8?B?PDE5?=? =?UTF-8?B?MTIyMDExMjkxNjYxMUBDbGllbnQtMDQ1LnJ1YmluZXR0ZXJpZS5sb2NhbD4=?=",
	 PARSE_OK, EV_MSGID, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/cleanup", [F_QID] = "ADD961003206D",
	       [F_MSGID] = "=?UTF-8?B?PDE5?=? =?UTF-8?B?MTIyMDExMjkxNjYxMUBDbGllbnQtMDQ1LnJ1YmluZXR0ZXJpZS5sb2NhbD4=?="}},
	{WHY, "Oct 26 18:13:50 mx postfix/cleanup[4242]: warning: 9BECF3F19D: sender_canonical_maps map lookup problem for sender@example.com -- message not accepted, try again later",
	 PARSE_OK, EV_WARNING, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/cleanup", [F_QID] = "9BECF3F19D",
	       [F_REPLY] = "sender_canonical_maps map lookup problem for sender@example.com -- message not accepted, try again later"}},
	{WHY, "Oct 26 18:13:50 mx postfix/postsuper[4242]: D4F2023DB: removed",
	 PARSE_OK, EV_DELETED, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/postsuper", [F_QID] = "D4F2023DB"}},
	{WHY, "Oct 26 18:13:50 mx postfix/postsuper[4242]: D4F2023DB: placed on hold",
	 PARSE_OK, EV_HOLD, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/postsuper", [F_QID] = "D4F2023DB"}},
	{WHY, "Oct 26 18:13:50 mx postfix/postsuper[4242]: D4F2023DB: released from hold",
	 PARSE_OK, EV_RELEASE, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/postsuper", [F_QID] = "D4F2023DB"}},
	{WHY, "Oct 26 18:13:50 mx postfix/postsuper[4242]: D4F2023DB: requeued",
	 PARSE_OK, EV_NOTE, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/postsuper", [F_QID] = "D4F2023DB",
	       [F_DETAIL] = "requeued"}},
	{.src = WHY, .line = "Oct 26 18:13:50 mx postfix/postsuper[4242]: Deleted: 115 messages", .res = PARSE_SKIP},
	{WHY, "Oct 26 18:13:50 mx postfix/error[4242]: 2DC5552A34: to=<user@yahoo.com>, relay=none, delay=63495, delays=63350/144/0/0, dsn=4.4.2, status=deferred (delivery temporarily suspended: lost connection with mta7.am0.yahoodns.net[98.136.216.22] while sending RCPT TO)",
	 PARSE_OK, EV_DEFERRED, OUT_DEFERRED, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/error", [F_QID] = "2DC5552A34",
	       [F_RCPT] = "user@yahoo.com", [F_RELAY] = "none", [F_DSN] = "4.4.2",
	       [F_REPLY] = "delivery temporarily suspended: lost connection with mta7.am0.yahoodns.net[98.136.216.22] while sending RCPT TO",
	       [F_DETAIL] = "delay=63495 delays=63350/144/0/0"}},
	{WHY, "Oct 26 18:13:50 mx postfix/error[4242]: 3E29030F8637E: to=<user@yahoo.com>, relay=none, delay=0.01, delays=0.01/0/0/0, dsn=5.1.1, status=undeliverable-but-not-cached (User unknown in virtual alias table)",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/error", [F_QID] = "3E29030F8637E",
	       [F_RCPT] = "user@yahoo.com", [F_RELAY] = "none", [F_DSN] = "5.1.1",
	       [F_REPLY] = "User unknown in virtual alias table",
	       [F_DETAIL] = "delay=0.01 delays=0.01/0/0/0"}},
	{WHY, "Oct 26 18:13:50 mx postfix/local[4242]: 892A0205B6: to=ghdsgfhdslfh@localhost, relay=local, delay=0.05, delays=0.02/0/0/0.02, dsn=5.1.1, status=bounced (unknown user: \"ghdsgfhdslfh\")",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/local", [F_QID] = "892A0205B6",
	       [F_RCPT] = "ghdsgfhdslfh@localhost", [F_RELAY] = "local", [F_DSN] = "5.1.1",
	       [F_REPLY] = "unknown user: \"ghdsgfhdslfh\"",
	       [F_DETAIL] = "delay=0.05 delays=0.02/0/0/0.02"}},
	{WHY, "Oct 26 18:13:50 mx postfix/local[4242]: 2A22C263F6: to=user@hostname.example.com, orig_to=root@localhost, relay=local, delay=0.07, delays=0.04/0/0/0.03, dsn=2.0.0, status=sent (delivered to command: procmail -a \"$EXTENSION\")",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/local", [F_QID] = "2A22C263F6",
	       [F_RCPT] = "user@hostname.example.com", [F_ORIG_RCPT] = "root@localhost",
	       [F_RELAY] = "local", [F_DSN] = "2.0.0",
	       [F_REPLY] = "delivered to command: procmail -a \"$EXTENSION\"",
	       [F_DETAIL] = "delay=0.07 delays=0.04/0/0/0.03"}},
	{WHY, "Oct 26 18:13:50 mx postfix/smtp[4242]: ED59C3D: host mail2.example.com[1.74.253.23] said: 450 4.7.1 <user@example.com>: Recipient address rejected: Greylisted for 5 minutes (in reply to RCPT TO command)",
	 PARSE_OK, EV_HOST_ERROR, OUT_NONE, LINK_NONE, 450, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/smtp", [F_QID] = "ED59C3D",
	       [F_RELAY] = "mail2.example.com[1.74.253.23]", [F_DSN] = "4.7.1",
	       [F_REPLY] = "host mail2.example.com[1.74.253.23] said: 450 4.7.1 <user@example.com>: Recipient address rejected: Greylisted for 5 minutes (in reply to RCPT TO command)"}},
	{WHY, "Oct 26 18:13:50 mx postfix/smtp[4242]: connect to intern.nl[194.109.6.98]:25: Connection timed out",
	 PARSE_OK, EV_HOST_ERROR, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/smtp", [F_RELAY] = "intern.nl[194.109.6.98]:25",
	       [F_REPLY] = "connect to intern.nl[194.109.6.98]:25: Connection timed out"}},
	{WHY, "Oct 26 18:13:50 mx postfix/smtp[4242]: B99FE3D: lost connection with mx3.hotmail.com[65.55.37.72] while receiving the initial server greeting",
	 PARSE_OK, EV_HOST_ERROR, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/smtp", [F_QID] = "B99FE3D",
	       [F_RELAY] = "mx3.hotmail.com[65.55.37.72]",
	       [F_REPLY] = "lost connection with mx3.hotmail.com[65.55.37.72] while receiving the initial server greeting"}},
	{WHY, "Oct 26 18:13:50 mx postfix/smtp[4242]: 40197AA: host mg2.egov.bg[213.91.191.86] refused to talk to me: 450 4.3.2 try again later",
	 PARSE_OK, EV_HOST_ERROR, OUT_NONE, LINK_NONE, 450, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/smtp", [F_QID] = "40197AA",
	       [F_RELAY] = "mg2.egov.bg[213.91.191.86]", [F_DSN] = "4.3.2",
	       [F_REPLY] = "host mg2.egov.bg[213.91.191.86] refused to talk to me: 450 4.3.2 try again later"}},
	{WHY, "Oct 26 18:13:50 mx postfix/bounce[4242]: 482E4404AC8: postmaster non-delivery notification: 47335405A44",
	 PARSE_OK, EV_BOUNCE_SENT, OUT_NONE, LINK_BOUNCE_CHILD, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/bounce", [F_QID] = "482E4404AC8",
	       [F_LINK] = "47335405A44", [F_DETAIL] = "postmaster non-delivery notification"}},
	{WHY, "Oct 26 18:13:50 mx postfix/qmgr[4242]: 585BC3F: from=<>, status=expired, returned to sender",
	 PARSE_OK, EV_EXPIRED, OUT_EXPIRED, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/qmgr", [F_QID] = "585BC3F", [F_SENDER] = "<>",
	       [F_DETAIL] = "expired"}},
	{WHY, "Oct 26 18:13:50 mx postfix/smtpd[4242]: NOQUEUE: discard: MAIL from ccm231.constantcontact.com[208.75.123.231]: <bsdbdsfbw==_4343_sdfbddw==@in.constantcontact.com>: Sender address SPAM; from=<bsdbdsfbw==_4343_sdfbddw==@in.constantcontact.com> proto=ESMTP helo=<ccm231.constantcontact.com>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/smtpd",
	       [F_CLIENT_HOST] = "ccm231.constantcontact.com", [F_CLIENT_IP] = "208.75.123.231",
	       [F_REPLY] = "<bsdbdsfbw==_4343_sdfbddw==@in.constantcontact.com>: Sender address SPAM",
	       [F_SENDER] = "bsdbdsfbw==_4343_sdfbddw==@in.constantcontact.com",
	       [F_PROTO] = "ESMTP", [F_HELO] = "ccm231.constantcontact.com", [F_DETAIL] = "discard"}},
	{WHY, "Oct 26 18:13:50 mx postfix/smtpd[4242]: NOQUEUE: reject_warning: RCPT from example.com[93.184.216.34]: 553 5.7.1 <sender@example.com>: Sender address rejected: not owned by user ph123; from=<sender@example.com> to=<recipient@example.com> proto=ESMTP helo=<example.com>",
	 PARSE_OK, EV_WARNING, OUT_NONE, LINK_NONE, 553, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "example.com",
	       [F_CLIENT_IP] = "93.184.216.34", [F_DSN] = "5.7.1",
	       [F_REPLY] = "553 5.7.1 <sender@example.com>: Sender address rejected: not owned by user ph123",
	       [F_SENDER] = "sender@example.com", [F_RCPT] = "recipient@example.com",
	       [F_PROTO] = "ESMTP", [F_HELO] = "example.com", [F_DETAIL] = "RCPT"}},
	{WHY, "Oct 26 18:13:50 mx postfix/smtpd[4242]: lost connection after DATA (7774180 bytes) from unknown[72.13.58.7]",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, 0, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "unknown",
	       [F_CLIENT_IP] = "72.13.58.7", [F_DETAIL] = "lost connection after DATA (7774180 bytes)"}},
	{WHY, "Oct 26 18:13:50 mx postfix/smtp[4242]: 7EE668039: to=<user@example.com>, relay=mail.example.com[1.2.3.4]:25, delay=3.6, delays=0.08/0.02/0.85/0.14, tls=dane, dsn=2.1.5, status=sent (250 2.0.0 Ok: queued as 153053D)",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, 250, 4242, WHY_TS, SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix/smtp", [F_QID] = "7EE668039", [F_LINK] = "153053D",
	       [F_RCPT] = "user@example.com", [F_RELAY] = "mail.example.com[1.2.3.4]:25",
	       [F_DSN] = "2.1.5", [F_REPLY] = "250 2.0.0 Ok: queued as 153053D",
	       [F_DETAIL] = "delay=3.6 delays=0.08/0.02/0.85/0.14"}},

	/* ---- kumina: traditional syslog; issue 76: Greek month, multi-instance ---- */
	{K76, "\xce\x91\xcf\x80\xcf\x81 15 12:20:28 mx2 postfix/submission/smtpd[6833]: Anonymous TLS connection established from  xx[5.5.5.5]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
	 PARSE_OK, EV_TLS, OUT_NONE, LINK_NONE, 0, 6833, TS(955801228, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mx2", [F_PROG] = "postfix/submission/smtpd", [F_CLIENT_HOST] = "xx",
	       [F_CLIENT_IP] = "5.5.5.5",
	       [F_DETAIL] = "Anonymous TLS connection established from  xx[5.5.5.5]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)"}},
	{K76, "Nov 08 08:08:59 mx postfix-mx/content-filter/smtp[273144]: 4HnkK60lBRz6tl1: to=<a@b.c>, relay=192.168.1.1[192.168.1.1]:20202, delay=1.9, delays=1.7/0/0.05/0.18, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[192.168.1.2]:10025): 250 2.0.0 Ok: queued as 4HnkK74hXyz6tl6)",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, 250, 273144, TS(973670939, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mx", [F_PROG] = "postfix-mx/content-filter/smtp", [F_QID] = "4HnkK60lBRz6tl1",
	       [F_LINK] = "4HnkK74hXyz6tl6", [F_RCPT] = "a@b.c",
	       [F_RELAY] = "192.168.1.1[192.168.1.1]:20202", [F_DSN] = "2.0.0",
	       [F_REPLY] = "250 2.0.0 from MTA(smtp:[192.168.1.2]:10025): 250 2.0.0 Ok: queued as 4HnkK74hXyz6tl6",
	       [F_DETAIL] = "delay=1.9 delays=1.7/0/0.05/0.18"}},
	{KUM, "Apr 10 14:50:16 mail postfix/qmgr[3663]: BACE842E73: from=<noreply@domain.com>, status=force-expired, returned to sender",
	 PARSE_OK, EV_EXPIRED, OUT_EXPIRED, LINK_NONE, 0, 3663, TS(955378216, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mail", [F_PROG] = "postfix/qmgr", [F_QID] = "BACE842E73",
	       [F_SENDER] = "noreply@domain.com", [F_DETAIL] = "force-expired"}},
	{KUM, "Apr 26 10:55:19 tcc1 postfix/smtpd[21126]: warning: laptop.local[192.168.1.2]: SASL PLAIN authentication failed: generic failure",
	 PARSE_OK, EV_AUTH_FAIL, OUT_NONE, LINK_NONE, 0, 21126, TS(956746519, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "tcc1", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "laptop.local",
	       [F_CLIENT_IP] = "192.168.1.2",
	       [F_REPLY] = "laptop.local[192.168.1.2]: SASL PLAIN authentication failed: generic failure"}},
	{KUM, "Apr 26 10:55:19 tcc1 postfix/smtpd[21126]: warning: SASL authentication failure: cannot connect to saslauthd server: Permission denied",
	 PARSE_OK, EV_WARNING, OUT_NONE, LINK_NONE, 0, 21126, TS(956746519, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "tcc1", [F_PROG] = "postfix/smtpd",
	       [F_REPLY] = "SASL authentication failure: cannot connect to saslauthd server: Permission denied"}},
	{KUM, "Mar 16 12:28:02 123-mail postfix/smtpd[16268]: fatal: file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody",
	 PARSE_OK, EV_WARNING, OUT_NONE, LINK_NONE, 0, 16268, TS(953209682, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "123-mail", [F_PROG] = "postfix/smtpd", [F_DETAIL] = "fatal",
	       [F_REPLY] = "file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody"}},
	{KUM, "Dec 29 02:54:09 mail postfix/smtp[7648]: 732BB407C3: host mail.domain.com[1.1.1.1] said: 451 DT:SPM 163 mx13,P8CowECpNVM_oEVaenoEAQ--.23796S3 1514512449, please try again 15min later (in reply to end of DATA command)",
	 PARSE_OK, EV_HOST_ERROR, OUT_NONE, LINK_NONE, 451, 7648, TS(978058449, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mail", [F_PROG] = "postfix/smtp", [F_QID] = "732BB407C3",
	       [F_RELAY] = "mail.domain.com[1.1.1.1]",
	       [F_REPLY] = "host mail.domain.com[1.1.1.1] said: 451 DT:SPM 163 mx13,P8CowECpNVM_oEVaenoEAQ--.23796S3 1514512449, please try again 15min later (in reply to end of DATA command)"}},
	{KUM, "Dec 29 02:54:12 mail postfix/smtp[7648]: 732BB407C3: to=<redacted@domain.com>, relay=mail.domain.com[1.1.1.1]:25, delay=6.2, delays=0.1/0/5.2/0.87, dsn=4.0.0, status=deferred (host mail.domain.com[1.1.1.1] said: 451 DT:SPM 163 mx40,WsCowAAnEhlCoEVa5GjcAA--.20089S3 1514512452, please try again 15min later (in reply to end of DATA command))",
	 PARSE_OK, EV_DEFERRED, OUT_DEFERRED, LINK_NONE, 451, 7648, TS(978058452, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mail", [F_PROG] = "postfix/smtp", [F_QID] = "732BB407C3",
	       [F_RCPT] = "redacted@domain.com", [F_RELAY] = "mail.domain.com[1.1.1.1]:25",
	       [F_DSN] = "4.0.0",
	       [F_REPLY] = "host mail.domain.com[1.1.1.1] said: 451 DT:SPM 163 mx40,WsCowAAnEhlCoEVa5GjcAA--.20089S3 1514512452, please try again 15min later (in reply to end of DATA command)",
	       [F_DETAIL] = "delay=6.2 delays=0.1/0/5.2/0.87"}},

	/* ---- forum thread 2011: bounce chain with dovecot deliver ---- */
	{FORUM, "Jun  3 08:27:16 newmail dovecot: deliver(degcit): msgid=<20110603122716.8C06E19C1F72@newmail.testdegc.net>: saved mail to INBOX",
	 PARSE_OK, EV_MAILBOX, OUT_NONE, LINK_NONE, 0, 0, TS(960020836, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "newmail", [F_PROG] = "dovecot", [F_RCPT] = "degcit",
	       [F_MSGID] = "<20110603122716.8C06E19C1F72@newmail.testdegc.net>",
	       [F_DETAIL] = "saved mail to INBOX"}},
	{FORUM, "Jun  3 08:27:16 newmail postfix/qmgr[3793]: 8C06E19C1F72: from=<>, size=2304, nrcpt=1 (queue active)",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, 0, 3793, TS(960020836, 0), SYS, 1, 2304,
	 .f = {[F_HOST] = "newmail", [F_PROG] = "postfix/qmgr", [F_QID] = "8C06E19C1F72",
	       [F_SENDER] = "<>"}},
	{FORUM, "Jun  7 14:08:43 newmail postfix/smtp[2102]: C342219C0AAE: to=<fakeuser@test.net>, orig_to=<fakeuser@localhost>, relay=test.net[10.1.0.11]:25, delay=0.17, delays=0.06/0.01/0/0.1, dsn=5.7.1, status=bounced (host test.net[10.1.0.11] said: 550 5.7.1 Unable to relay for fakeuser@test.net (in reply to RCPT TO command))",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, 550, 2102, TS(960386923, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "newmail", [F_PROG] = "postfix/smtp", [F_QID] = "C342219C0AAE",
	       [F_RCPT] = "fakeuser@test.net", [F_ORIG_RCPT] = "fakeuser@localhost",
	       [F_RELAY] = "test.net[10.1.0.11]:25", [F_DSN] = "5.7.1",
	       [F_REPLY] = "host test.net[10.1.0.11] said: 550 5.7.1 Unable to relay for fakeuser@test.net (in reply to RCPT TO command)",
	       [F_DETAIL] = "delay=0.17 delays=0.06/0.01/0/0.1"}},
	{FORUM, "Jun  3 08:27:16 newmail postfix/local[4048]: 8C06E19C1F72: to=<degcit@newmail.testdegc.net>, orig_to=<root@newmail.testdegc.net>, relay=local, delay=0.16, delays=0.06/0.01/0/0.1, dsn=2.0.0, status=sent (delivered to command: /usr/lib/dovecot/deliver -c /etc/dovecot/conf.d/01-dovecot-postfix.conf -n -m \"${EXTENSION}\")",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, 0, 4048, TS(960020836, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "newmail", [F_PROG] = "postfix/local", [F_QID] = "8C06E19C1F72",
	       [F_RCPT] = "degcit@newmail.testdegc.net", [F_ORIG_RCPT] = "root@newmail.testdegc.net",
	       [F_RELAY] = "local", [F_DSN] = "2.0.0",
	       [F_REPLY] = "delivered to command: /usr/lib/dovecot/deliver -c /etc/dovecot/conf.d/01-dovecot-postfix.conf -n -m \"${EXTENSION}\"",
	       [F_DETAIL] = "delay=0.16 delays=0.06/0.01/0/0.1"}},

	/* ---- Linode: dovecot 2.2 LMTP ---- */
	{LINODE, "Mar 22 18:18:15 host dovecot: lmtp(22587, email1@example.com): 5GjrDafYTFE7WAAABf1gKA: msgid=<D4887A5E-DEAC-45CE-BDDF-3C89DEA84236@linode.com>: saved mail to INBOX",
	 PARSE_OK, EV_MAILBOX, OUT_NONE, LINK_NONE, 0, 0, TS(953749095, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "host", [F_PROG] = "dovecot", [F_RCPT] = "email1@example.com",
	       [F_MSGID] = "<D4887A5E-DEAC-45CE-BDDF-3C89DEA84236@linode.com>",
	       [F_DETAIL] = "saved mail to INBOX"}},
	{.src = LINODE, .line = "Mar 22 18:18:15 host dovecot: lmtp(22587): Connect from local", .res = PARSE_SKIP},
	{.src = LINODE, .line = "Mar 22 18:20:29 host dovecot: auth-worker: mysql(127.0.0.1): Connected to database mailserver", .res = PARSE_SKIP},
	{LINODE, "Mar 22 18:18:15 host postfix/lmtp[22586]: 2BD192839B: to=<email1@example.com>, relay=host.example.com[private/dovecot-lmtp], delay=0.09, delays=0.03/0.02/0.03/0.01, dsn=2.0.0, status=sent (250 2.0.0 <email1@example.com> 5GjrDafYTFE7WAAABf1gKA Saved)",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, 250, 22586, TS(953749095, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "host", [F_PROG] = "postfix/lmtp", [F_QID] = "2BD192839B",
	       [F_RCPT] = "email1@example.com", [F_RELAY] = "host.example.com[private/dovecot-lmtp]",
	       [F_DSN] = "2.0.0", [F_REPLY] = "250 2.0.0 <email1@example.com> 5GjrDafYTFE7WAAABf1gKA Saved",
	       [F_DETAIL] = "delay=0.09 delays=0.03/0.02/0.03/0.01"}},

	/* ---- mfe2: dovecot 2.3 prefixes, a garbled milter-reject ---- */
	{MFE2, "Feb  1 08:45:57 afef27cd6bf6 dovecot: lda(kurio)<1640><8ntICTWUfmloBgAA8Bi3+g>: msgid=<64ef0110-b09b-4f9c-ac7b-43fb15eb18c6@r16.geese-solutions.net>: saved mail to INBOX",
	 PARSE_OK, EV_MAILBOX, OUT_NONE, LINK_NONE, 0, 0, TS(949394757, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "afef27cd6bf6", [F_PROG] = "dovecot", [F_RCPT] = "kurio",
	       [F_MSGID] = "<64ef0110-b09b-4f9c-ac7b-43fb15eb18c6@r16.geese-solutions.net>",
	       [F_DETAIL] = "saved mail to INBOX"}},
	{MFE2, "Feb  1 06:06:05 afef27cd6bf6 dovecot: lda(delta)<218><sbuvCr1ufmnaAAAA8Bi3+g>: sieve: msgid=<697e6ebc.Ja2ThT4kue/ojPj8%delta@d77.jp>: fileinto action: stored mail into mailbox '10,ServerAdmin.01,jobmail'",
	 PARSE_OK, EV_MAILBOX, OUT_NONE, LINK_NONE, 0, 0, TS(949385165, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "afef27cd6bf6", [F_PROG] = "dovecot", [F_RCPT] = "delta",
	       [F_MSGID] = "<697e6ebc.Ja2ThT4kue/ojPj8%delta@d77.jp>",
	       [F_DETAIL] = "fileinto action: stored mail into mailbox '10,ServerAdmin.01,jobmail'"}},
	{MFE2, "Feb 1 00:00:18 afef27cd6bf6 postfix/cleanup[41559]: 05D2881B3AE2: milter-reject: END-OF-MESSAGE from ab218251.f.west.v6connect.net[183.76.218.251]: 5.7.1 Spam message rejected; from= to= proto=ESMTP helo=",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 0, 41559, TS(949363218, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "afef27cd6bf6", [F_PROG] = "postfix/cleanup", [F_QID] = "05D2881B3AE2",
	       [F_CLIENT_HOST] = "ab218251.f.west.v6connect.net", [F_CLIENT_IP] = "183.76.218.251",
	       [F_DSN] = "5.7.1", [F_REPLY] = "5.7.1 Spam message rejected", [F_PROTO] = "ESMTP",
	       [F_DETAIL] = "END-OF-MESSAGE"}},
	{.src = MFE2, .line = "Feb  1 07:40:57 afef27cd6bf6 dovecot: imap-login: Login: user=<delta>, method=PLAIN, rip=172.30.0.1, lip=172.30.4.22, mpid=809, session=<W+mHyLZJFsisHgAB>",
	 .res = PARSE_SKIP},

	/* ---- lograptor dovecot 1.x: tag-less deliver(user) ---- */
	{LRD, "Apr  1 10:00:09 raptor deliver(apatosaurus): msgid=<moodlepost1111@sauropoda.dinos.test>: saved mail to INBOX",
	 PARSE_OK, EV_MAILBOX, OUT_NONE, LINK_NONE, 0, 0, TS(954583209, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "raptor", [F_PROG] = "deliver", [F_RCPT] = "apatosaurus",
	       [F_MSGID] = "<moodlepost1111@sauropoda.dinos.test>", [F_DETAIL] = "saved mail to INBOX"}},
	{LRD, "Apr  1 10:00:14 raptor deliver(baryonyx): msgid=<moodlepost1111@sauropoda.dinos.test>: forwarded to <baryonyx@ceratops.dinos.test>",
	 PARSE_OK, EV_MAILBOX, OUT_NONE, LINK_NONE, 0, 0, TS(954583214, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "raptor", [F_PROG] = "deliver", [F_RCPT] = "baryonyx",
	       [F_MSGID] = "<moodlepost1111@sauropoda.dinos.test>",
	       [F_DETAIL] = "forwarded to <baryonyx@ceratops.dinos.test>"}},
	{LRD, "Apr  1 10:00:03 raptor dovecot: lda(allosaurus): sieve: msgid=<1411372801.459659.538183694@raptor.dinos.test>: stored mail into mailbox 'INBOX'",
	 PARSE_OK, EV_MAILBOX, OUT_NONE, LINK_NONE, 0, 0, TS(954583203, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "raptor", [F_PROG] = "dovecot", [F_RCPT] = "allosaurus",
	       [F_MSGID] = "<1411372801.459659.538183694@raptor.dinos.test>",
	       [F_DETAIL] = "stored mail into mailbox 'INBOX'"}},

	/* ---- crowdsec dovecot/amavis ---- */
	{CSDOV, "Sep 8 07:46:30 canyon dovecot: auth-worker(24544): pam(toto,1.1.1.1): unknown user",
	 PARSE_OK, EV_WARNING, OUT_NONE, LINK_NONE, 0, 0, TS(968399190, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "canyon", [F_PROG] = "dovecot", [F_AUTH] = "toto", [F_CLIENT_IP] = "1.1.1.1",
	       [F_REPLY] = "auth-worker(24544): pam(toto,1.1.1.1): unknown user"}},
	{CSDOV, "Sep 8 07:16:27 canyon dovecot[7508]: imap-login: Disconnected (auth failed, 1 attempts in 6 secs): user=<toto@toto.com>, method=PLAIN, rip=1.1.1.1, lip=7.7.7.7, TLS, session=<azdaDADSqqsvf-za>",
	 PARSE_OK, EV_AUTH_FAIL, OUT_NONE, LINK_NONE, 0, 7508, TS(968397387, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "canyon", [F_PROG] = "dovecot", [F_AUTH] = "toto@toto.com",
	       [F_CLIENT_IP] = "1.1.1.1",
	       [F_REPLY] = "imap-login: Disconnected (auth failed, 1 attempts in 6 secs): user=<toto@toto.com>, method=PLAIN, rip=1.1.1.1, lip=7.7.7.7, TLS, session=<azdaDADSqqsvf-za>"}},
	{"dovecot-amavis/crowdsec_amavis-blocked_amavis-blocked.log",
	 "Feb 23 04:55:57 mrelmx42 amavis[4051607]: (4051607-09) Blocked INFECTED (Porcupine.Phishing.55542.UNOFFICIAL) {DiscardedInbound,Quarantined}, [192.168.0.1]:1434 [192.168.0.1] <someone1@something1.com> -> <someon2@something2.com>, quarantine: 2/virus-26W2lJY63nCZ, Queue-ID: 83B741009CD35, Message-ID: <20240223075525.8CD9941B67@xxx.xxx.shop>, mail_id: 26W2lJY63nCZ, Hits: -, size: 28646, 104 ms",
	 PARSE_OK, EV_FILTER, OUT_BOUNCED, LINK_NONE, 0, 4051607, TS(951281757, 0), SYS, 1, 28646,
	 .f = {[F_HOST] = "mrelmx42", [F_PROG] = "amavis", [F_QID] = "83B741009CD35",
	       [F_SENDER] = "someone1@something1.com", [F_RCPT] = "someon2@something2.com",
	       [F_RCPTS] = "someon2@something2.com", [F_CLIENT_IP] = "192.168.0.1",
	       [F_MSGID] = "<20240223075525.8CD9941B67@xxx.xxx.shop>",
	       [F_REPLY] = "Blocked INFECTED (Porcupine.Phishing.55542.UNOFFICIAL)",
	       [F_DETAIL] = "Blocked INFECTED (Porcupine.Phishing.55542.UNOFFICIAL)"}},

	/* ---- fail2ban / crowdsec: rejects and SASL failures ---- */
	{F2B, "Feb 21 09:21:54 xxx postfix/smtpd[14398]: NOQUEUE: reject: RCPT from example.com[192.0.43.10]: 450 4.7.1 : Helo command rejected: Host not found; from=<> to=<> proto=ESMTP helo=",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 450, 14398, TS(951124914, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "xxx", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "example.com",
	       [F_CLIENT_IP] = "192.0.43.10", [F_DSN] = "4.7.1",
	       [F_REPLY] = "450 4.7.1 : Helo command rejected: Host not found", [F_SENDER] = "<>",
	       [F_PROTO] = "ESMTP", [F_DETAIL] = "RCPT"}},
	{F2B, "Aug 13 15:45:46 server postfix/smtpd[13844]: 00ADB3C0899: reject: RCPT from example.com[192.0.2.1]: 550 5.1.1 <sales@server.com>: Recipient address rejected: User unknown in local recipient table; from=<xxxxxx@example.com> to=<sales@server.com> proto=ESMTP helo=<mail.example.com>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 550, 13844, TS(966181546, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "server", [F_PROG] = "postfix/smtpd", [F_QID] = "00ADB3C0899",
	       [F_CLIENT_HOST] = "example.com", [F_CLIENT_IP] = "192.0.2.1", [F_DSN] = "5.1.1",
	       [F_REPLY] = "550 5.1.1 <sales@server.com>: Recipient address rejected: User unknown in local recipient table",
	       [F_SENDER] = "xxxxxx@example.com", [F_RCPT] = "sales@server.com", [F_PROTO] = "ESMTP",
	       [F_HELO] = "mail.example.com", [F_DETAIL] = "RCPT"}},
	{F2B, "Mar 11 23:27:54 server postfix-smo/submission/smtpd[22427]: 44JCRG5tYPzCqt2: reject: BDAT from signing-milter.example.com[192.0.2.109]: 550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce; from=<> to=<some@example.com> proto=ESMTP helo=<domain.tld>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 550, 22427, TS(952817274, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "server", [F_PROG] = "postfix-smo/submission/smtpd", [F_QID] = "44JCRG5tYPzCqt2",
	       [F_CLIENT_HOST] = "signing-milter.example.com", [F_CLIENT_IP] = "192.0.2.109",
	       [F_DSN] = "5.5.3",
	       [F_REPLY] = "550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce",
	       [F_SENDER] = "<>", [F_RCPT] = "some@example.com", [F_PROTO] = "ESMTP",
	       [F_HELO] = "domain.tld", [F_DETAIL] = "BDAT"}},
	{F2B, "Dec 30 18:19:15 xxx postfix/smtpd[1574]: NOQUEUE: reject: RCPT from badguy.example.com[93.184.216.34]: 454 4.7.1 Service unavailable; Client host [93.184.216.34] blocked using rbl.example.com; http://www.example.com/query?ip=93.184.216.34; from=<spammer@example.com> to=<goodguy@example.com> proto=ESMTP helo=<badguy.example.com>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 454, 1574, TS(978200355, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "xxx", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "badguy.example.com",
	       [F_CLIENT_IP] = "93.184.216.34", [F_DSN] = "4.7.1",
	       [F_REPLY] = "454 4.7.1 Service unavailable; Client host [93.184.216.34] blocked using rbl.example.com; http://www.example.com/query?ip=93.184.216.34",
	       [F_SENDER] = "spammer@example.com", [F_RCPT] = "goodguy@example.com",
	       [F_PROTO] = "ESMTP", [F_HELO] = "badguy.example.com", [F_DETAIL] = "RCPT"}},
	{F2B, "Sep 17 18:19:20 mxhost postfix/smtpd[12345]: NOQUEUE: lost connection after CONNECT from unknown[192.0.2.25]",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, 0, 12345, TS(969214760, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mxhost", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "unknown",
	       [F_CLIENT_IP] = "192.0.2.25", [F_DETAIL] = "lost connection after CONNECT"}},
	{F2B, "Aug 4 16:47:52 mail3 postfix/smtpd[31152]: warning: unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: authentication failure",
	 PARSE_OK, EV_AUTH_FAIL, OUT_NONE, LINK_NONE, 0, 31152, TS(965407672, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mail3", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "unknown",
	       [F_CLIENT_IP] = "192.0.2.237",
	       [F_REPLY] = "unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: authentication failure"}},
	{F2B, "Nov  4 09:11:01 mail postfix/smtpd[1234]: warning: unknown[192.0.2.152]: SASL LOGIN authentication failed: (reason unavailable), sasl_username=admin",
	 PARSE_OK, EV_AUTH_FAIL, OUT_NONE, LINK_NONE, 0, 1234, TS(973329061, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mail", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "unknown",
	       [F_CLIENT_IP] = "192.0.2.152", [F_AUTH] = "admin",
	       [F_REPLY] = "unknown[192.0.2.152]: SASL LOGIN authentication failed: (reason unavailable), sasl_username=admin"}},
	{F2B, "Jan 31 13:55:24 xxx postfix/smtpd[3462]: NOQUEUE: reject: EHLO from s271272.static.corbina.ru[78.107.251.238]: 504 5.5.2 <User>: Helo command rejected: need fully-qualified hostname; proto=SMTP helo=<User>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 504, 3462, TS(949326924, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "xxx", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "s271272.static.corbina.ru",
	       [F_CLIENT_IP] = "78.107.251.238", [F_DSN] = "5.5.2",
	       [F_REPLY] = "504 5.5.2 <User>: Helo command rejected: need fully-qualified hostname",
	       [F_PROTO] = "SMTP", [F_HELO] = "User", [F_DETAIL] = "EHLO"}},
	{F2B, "May  5 15:51:11 xxx postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<spammer@example.com>, to=<goodguy@example.com>, proto=ESMTP, helo=<badguy.example.com>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 550, 1148, TS(957541871, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "xxx", [F_PROG] = "postfix/postscreen", [F_CLIENT_IP] = "216.245.194.173",
	       [F_DSN] = "5.7.1",
	       [F_REPLY] = "550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com",
	       [F_SENDER] = "spammer@example.com", [F_RCPT] = "goodguy@example.com",
	       [F_PROTO] = "ESMTP", [F_HELO] = "badguy.example.com", [F_DETAIL] = "RCPT"}},
	{CSEC, "Jun 04 22:24:28 machine postfix/smtpd[3967801]: NOQUEUE: reject: RCPT from static.1.1.168.192.client.domain.xyz[192.168.1.1]: 454 4.7.1 <spameri@tiscali.it>: Relay access denied; from=<spammer@domain.tld> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-CLJ1B0GQ6JP>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 454, 3967801, TS(960157468, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "machine", [F_PROG] = "postfix/smtpd",
	       [F_CLIENT_HOST] = "static.1.1.168.192.client.domain.xyz", [F_CLIENT_IP] = "192.168.1.1",
	       [F_DSN] = "4.7.1", [F_REPLY] = "454 4.7.1 <spameri@tiscali.it>: Relay access denied",
	       [F_SENDER] = "spammer@domain.tld", [F_RCPT] = "spammer@domain.tld",
	       [F_PROTO] = "ESMTP", [F_HELO] = "WIN-CLJ1B0GQ6JP", [F_DETAIL] = "RCPT"}},
	{"postfix/crowdsec_postfix-helo_postfix-spam.log",
	 "2024-08-29T01:08:59.764590+00:00 machine postfix/smtpd[1938053]: NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 504 5.5.2 <WIN-9QL4SDRB93L>: Helo command rejected: need fully-qualifiedhostname; from=<spammer@domain.tld> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-9QL4SDRB93L>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 504, 1938053, TS(1724893739, 764590), 0, 0, 0,
	 .f = {[F_HOST] = "machine", [F_PROG] = "postfix/smtpd", [F_CLIENT_HOST] = "unknown",
	       [F_CLIENT_IP] = "192.168.1.1", [F_DSN] = "5.5.2",
	       [F_REPLY] = "504 5.5.2 <WIN-9QL4SDRB93L>: Helo command rejected: need fully-qualifiedhostname",
	       [F_SENDER] = "spammer@domain.tld", [F_RCPT] = "spammer@domain.tld",
	       [F_PROTO] = "ESMTP", [F_HELO] = "WIN-9QL4SDRB93L", [F_DETAIL] = "RCPT"}},

	/* ---- youyo (ISO and traditional), lograptor postfix, mailcow ---- */
	{"postfix/youyo_postfix-log-parser_test-iso8601.log",
	 "2020-01-30T06:26:07.404714+09:00 mail postfix/smtp[1810]: 3D74ADB7400B: to=<test@example.to>, relay=example.to[192.168.0.20]:25, delay=1.7, delays=0.02/0/1.7/0.06, dsn=2.0.0, status=sent (250 [Sniper] OK 1539154772 snipe-queue 10549)",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, 250, 1810, TS(1580333167, 404714), 0, 0, 0,
	 .f = {[F_HOST] = "mail", [F_PROG] = "postfix/smtp", [F_QID] = "3D74ADB7400B",
	       [F_RCPT] = "test@example.to", [F_RELAY] = "example.to[192.168.0.20]:25",
	       [F_DSN] = "2.0.0", [F_REPLY] = "250 [Sniper] OK 1539154772 snipe-queue 10549",
	       [F_DETAIL] = "delay=1.7 delays=0.02/0/1.7/0.06"}},
	{"postfix/youyo_postfix-log-parser_test.log",
	 "Oct 10 15:59:30 mail postfix/qmgr[18719]: 3D74ADB7400B: removed",
	 PARSE_OK, EV_DONE, OUT_NONE, LINK_NONE, 0, 18719, TS(971193570, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "mail", [F_PROG] = "postfix/qmgr", [F_QID] = "3D74ADB7400B"}},
	{LRP, "Jan 31 09:50:08 raptor postfix/smtpd[15802]: TLS connection established from stegosaurus.dinos.test[192.168.4.150]: TLSv1 with cipher DHE-RSA-AES256-SHA (256/256 bits)",
	 PARSE_OK, EV_TLS, OUT_NONE, LINK_NONE, 0, 15802, TS(949312208, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "raptor", [F_PROG] = "postfix/smtpd",
	       [F_CLIENT_HOST] = "stegosaurus.dinos.test", [F_CLIENT_IP] = "192.168.4.150",
	       [F_DETAIL] = "TLS connection established from stegosaurus.dinos.test[192.168.4.150]: TLSv1 with cipher DHE-RSA-AES256-SHA (256/256 bits)"}},
	{.src = LRP, .line = "Jan 31 09:50:08 raptor postfix/smtpd[15802]: setting up TLS connection from stegosaurus.dinos.test[192.168.4.150]",
	 .res = PARSE_SKIP},
	{.src = MAILCOW, .line = "Apr 13 14:56:58 mx postfix/postscreen[14266]: DNSBL rank 17 for [185.125.4.192]:58166", .res = PARSE_SKIP},
	{.src = MAILCOW, .line = "Apr 13 14:56:58 mx postfix/postscreen[14266]: DNSBL rank 17 for [185.125.4.192]:58166", .res = PARSE_SKIP},

	/* ---- sergeymakinen hand-made malformed lines ---- */
	{.src = SERGEY, .line = "Jan 1 00:00:00 hostname postfix1[12345]: foo", .res = PARSE_SKIP},
	{.src = SERGEY, .line = "Jan 1 00:00:00 hostname postfix/postscreen[abcde]: foo", .res = PARSE_BAD},
	{.src = SERGEY, .line = "Jan 1 00:00:00 hostname postfix/postscreen[12345", .res = PARSE_BAD},
	{.src = SERGEY, .line = "Jan 1 00:00:00 hostname postfix/postscreen", .res = PARSE_BAD},
	{.src = SERGEY, .line = "Jan: 1 00:00:00 hostname postfix/postscreen[12345]: foo", .res = PARSE_NOMATCH},
	{.src = SERGEY, .line = "Foo 1 00:00:00 hostname", .res = PARSE_NOMATCH},
	{.src = SERGEY, .line = "Jan 1 00:00:00", .res = PARSE_NOMATCH},
	{.src = SERGEY, .line = "Jan", .res = PARSE_NOMATCH},
	{.src = SERGEY, .line = "Jan 1 00:00:00 hostname postfix/smtpd[12345]: NOQUEUE: reject: Unsupported", .res = PARSE_BAD},
	{.src = SERGEY, .line = "Jan 1 00:00:00 hostname postfix/smtpd[12345]: Unsupported", .res = PARSE_SKIP},
	{SERGEY, "Jan 1 00:00:00 hostname postfix/postscreen[12345]: NOQUEUE: reject: CONNECT from [123.45.67.89]:12345: too many connections",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 0, 12345, TS(946684800, 0), SYS, 0, 0,
	 .f = {[F_HOST] = "hostname", [F_PROG] = "postfix/postscreen", [F_CLIENT_IP] = "123.45.67.89",
	       [F_REPLY] = "too many connections", [F_DETAIL] = "CONNECT"}},

	/* ---- other formats: never ours ---- */
	{.src = "exim/gvengel_exim_exporter_mainlog.log",
	 .line = "2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386",
	 .res = PARSE_NOMATCH},
	{.src = "exim/fail2ban_exim.log",
	 .line = "2013-01-04 17:03:46 login authenticator failed for rrcs-24-106-174-74.se.biz.rr.com ([192.168.2.33]) [24.106.174.74]: 535 Incorrect authentication data (set_id=brian)",
	 .res = PARSE_NOMATCH},
	{.src = "exim/mailgraph-pr19_exim-syslog.log",
	 .line = "May 23 10:28:30 mx01 exim[27789]: 2019-05-23 10:28:30 1hTohn-0007EB-Nq Completed", .res = PARSE_SKIP},
};

static const char *const pf_field_names[F__COUNT] = {
	"HOST", "PROG", "QID", "LINK", "SENDER", "RCPT", "RCPTS", "ORIG_RCPT", "RELAY", "DSN", "REPLY",
	"CLIENT_HOST", "CLIENT_IP", "HELO", "AUTH", "MSGID", "SUBJECT", "PROTO", "SCRIPT", "ACCOUNT",
	"STATUS_RAW", "DETAIL",
};

static void pf_reset(struct pline *o)
{
	memset(o, 0, sizeof *o);
	o->size = -1;
}

static int pf_slice_is(struct slice s, const char *want)
{
	size_t n = strlen(want);
	return s.n == n && memcmp(s.p, want, n) == 0;
}

/* Compare one parsed line with its row; print every difference. */
static int pf_check(size_t i, const struct pf_case *c, enum parse_result r, const struct pline *o,
		    const char *why)
{
	int bad = 0;
#define PF_EXPECT(cond, ...)                                                         \
	do {                                                                         \
		if (!(cond)) {                                                       \
			print_error("row %zu (%s): ", i, c->src);                    \
			print_error(__VA_ARGS__);                                    \
			print_error("\n    line: %.160s\n", c->line);               \
			bad++;                                                       \
		}                                                                    \
	} while (0)
	PF_EXPECT(r == c->res, "result %d, want %d", (int)r, (int)c->res);
	if (r != c->res)
		return bad;
	if (r == PARSE_BAD)
		PF_EXPECT(why && why[0], "PARSE_BAD without a reason");
	if (r != PARSE_OK)
		return bad;
	PF_EXPECT(o->kind == c->kind, "kind %s, want %s", ev_kind_name(o->kind), ev_kind_name(c->kind));
	PF_EXPECT(o->outcome == c->outcome, "outcome %s, want %s", outcome_name(o->outcome),
		  outcome_name(c->outcome));
	PF_EXPECT(o->link == c->link, "link %d, want %d", o->link, (int)c->link);
	PF_EXPECT(o->smtp_code == c->code, "smtp_code %u, want %u", o->smtp_code, c->code);
	PF_EXPECT(o->pid == c->pid, "pid %u, want %u", o->pid, c->pid);
	PF_EXPECT(o->ts_us == c->ts, "ts %lld, want %lld", (long long)o->ts_us, (long long)c->ts);
	PF_EXPECT(o->flags == c->flags, "flags %u, want %u", o->flags, c->flags);
	PF_EXPECT(o->size == (c->has_size ? c->size : -1), "size %lld, want %lld", (long long)o->size,
		  (long long)(c->has_size ? c->size : -1));
	for (int f = 0; f < F__COUNT; f++) {
		if (c->f[f])
			PF_EXPECT(pf_slice_is(o->f[f], c->f[f]), "F_%s = '%.*s', want '%s'",
				  pf_field_names[f], (int)o->f[f].n, o->f[f].p ? o->f[f].p : "",
				  c->f[f]);
		else
			PF_EXPECT(o->f[f].n == 0, "F_%s = '%.*s', want absent", pf_field_names[f],
				  (int)o->f[f].n, o->f[f].p);
	}
#undef PF_EXPECT
	return bad;
}

static void test_sample_lines(void **ctx)
{
	(void)ctx;
	void *st = parser_postfix.begin();
	assert_non_null(st);
	int bad = 0;
	for (size_t i = 0; i < sizeof pf_cases / sizeof pf_cases[0]; i++) {
		const struct pf_case *c = &pf_cases[i];
		/* A private copy so that a read past the end trips ASan. */
		size_t n = strlen(c->line);
		char *buf = malloc(n + 1);
		assert_non_null(buf);
		memcpy(buf, c->line, n + 1);
		struct pline o;
		pf_reset(&o);
		const char *why = NULL;
		enum parse_result r = parser_postfix.line(st, buf, n, &o, &why);
		bad += pf_check(i, c, r, &o, why);
		free(buf);
	}
	parser_postfix.end(st);
	assert_int_equal(bad, 0);
}

/* The table must keep the breadth the parser is meant to cover. */
static void test_table_breadth(void **ctx)
{
	(void)ctx;
	size_t ok = 0;
	uint64_t kinds = 0;
	for (size_t i = 0; i < sizeof pf_cases / sizeof pf_cases[0]; i++)
		if (pf_cases[i].res == PARSE_OK) {
			ok++;
			kinds |= UINT64_C(1) << pf_cases[i].kind;
		}
	assert_true(ok >= 40);
	const enum ev_kind need[] = {EV_CONNECT, EV_DISCONNECT, EV_CLIENT, EV_REJECT, EV_MSGID,
				     EV_HEADER, EV_QUEUED, EV_DELIVERED, EV_DEFERRED, EV_BOUNCED,
				     EV_EXPIRED, EV_DONE, EV_BOUNCE_SENT, EV_HOLD, EV_RELEASE,
				     EV_DELETED, EV_FILTER, EV_MAILBOX, EV_HOST_ERROR, EV_WARNING,
				     EV_AUTH_FAIL, EV_TLS, EV_NOTE};
	for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
		assert_true(kinds & (UINT64_C(1) << need[k]));
}

/* --- probe ------------------------------------------------------------ */

static int pf_probe_of(const char *const *lines, size_t n)
{
	size_t lens[32];
	assert_true(n <= 32);
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(lines[i]);
	return parser_postfix.probe(lines, lens, n);
}

#define PF_PROBE(arr) pf_probe_of((arr), sizeof(arr) / sizeof((arr)[0]))

static void test_probe(void **ctx)
{
	(void)ctx;
	/* pixelpark, first lines of a trace (RFC 3339, amavis in between) */
	static const char *const pixel[] = {
		"2023-03-14T00:08:33.348115+01:00 helga postfix/smtpd[297535]: connect from mail.nistoresio.co.cz[185.31.160.120]",
		"2023-03-14T00:08:33.579644+01:00 helga postfix/smtpd[297535]: 4PbC4x469Jz3tBr: client=mail.nistoresio.co.cz[185.31.160.120]",
		"2023-03-14T00:08:33.628392+01:00 helga postfix/cleanup[302604]: 4PbC4x469Jz3tBr: message-id=<71816687N65284230Y01410375Q67285060N@ajmyjyz>",
		"2023-03-14T00:08:35.940347+01:00 helga amavis[237978]: (237978-11) Passed CLEAN {RelayedInbound}, [185.31.160.120]:41695 [45.141.85.146] ESMTP/ESMTP <ajmyjyz@nistoresio.co.cz> -> <user01.test@uhu-banane.net>, Queue-ID: 4PbC4x469Jz3tBr",
		"2023-03-14T00:08:35.948639+01:00 helga postfix/qmgr[3163066]: 4PbC4x469Jz3tBr: removed",
	};
	/* kumina: traditional syslog */
	static const char *const kumina[] = {
		"Feb 11 16:49:24 letterman postfix/qmgr[8204]: AAB4D259B1: removed",
		"Apr 10 14:50:16 mail postfix/qmgr[3663]: BACE842E72: from=<noreply@domain.com>, status=expired, returned to sender",
		"Apr 26 10:55:19 tcc1 postfix/smtpd[21126]: warning: SASL authentication failure: Password verification failed",
		"Feb 24 16:42:00 letterman postfix/smtpd[24906]: 1CF582025C: client=xxx[2.3.4.5]",
	};
	/* pmg mixed: postfix among pmg-smtp-filter and other programs */
	static const char *const pmg[] = {
		"Dec 18 15:00:00 pmg something[12345]: BEFORE QUEUE LOGS START",
		"Dec 18 15:04:15 pmg postfix/smtpd[21842]: connect from pmg.localhost[192.168.22.40]",
		"Dec 18 15:04:15 pmg postfix/smtpd[21842]: NOQUEUE: client=pmg.localhost[192.168.22.40]",
		"Dec 18 15:04:15 pmg pmg-smtp-filter[1565]: 381C4E5DFA31DF9E90F: new mail message-id=<xyz>",
		"Dec 18 15:04:15 pmg postfix/smtpd[21842]: disconnect from pmg.localhost[192.168.22.40] ehlo=1 mail=1 rcpt=1 data=0/1 commands=3/4",
	};
	/* kumina issue 76: Greek month + zero-padded day */
	static const char *const issue76[] = {
		"\xce\x91\xcf\x80\xcf\x81 15 12:20:28 mx2 postfix/submission/smtpd[6833]: Anonymous TLS connection established from  xx[5.5.5.5]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
		"Nov 08 08:08:59 mx postfix-mx/content-filter/smtp[273144]: 4HnkK60lBRz6tl1: to=<a@b.c>, relay=192.168.1.1[192.168.1.1]:20202, delay=1.9, delays=1.7/0/0.05/0.18, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4HnkK74hXyz6tl6)",
	};
	assert_true(PF_PROBE(pixel) >= 60);
	assert_true(PF_PROBE(kumina) >= 60);
	assert_true(PF_PROBE(pmg) >= 60);
	assert_true(PF_PROBE(issue76) >= 60);

	/* exim/gvengel_exim_exporter_mainlog.log */
	static const char *const exim_main[] = {
		"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386",
		"2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out",
	};
	/* exim/crowdsec_exim-syslog-logs_exim-logs.log, mailgraph-pr19 */
	static const char *const exim_syslog[] = {
		"Jun 29 16:04:19 server exim[1234]: dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=abuse@test.com)",
		"May 23 10:28:30 mx01 exim[27789]: 2019-05-23 10:28:30 1hTohn-0007EB-Nq Completed",
	};
	/* google-workspace/els_export_header_and_values.csv */
	static const char *const csv[] = {
		"Message ID,Start date,End date,Sender,Message size,Subject,Direction,Attachments,Recipient address,Event target,Event date,Event status,Event target IP address,Has encryption,Event SMTP reply code,Event description,Client Type,Device User Session ID",
	};
	/* directadmin/exim-pl_bytes_format.txt (template shape) */
	static const char *const bytes[] = {
		"$message_size=type=email&email=$lp@$dmn&method=incoming&log_time=$timestamp&id=$mid&sender=$sender&path=$ENV{PWD}",
	};
	/* an Exim syslog box that also runs dovecot: still not Postfix */
	static const char *const exim_dovecot[] = {
		"Jun 29 16:04:19 server exim[1234]: dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=abuse@test.com)",
		"Jun 29 16:04:05 server exim[1234]: dovecot_plain authenticator failed for (mail.test.com) [202.137.142.181]:47807: 535 Incorrect authentication data (set_id=dave)",
		"Sep 8 07:46:30 canyon dovecot: auth-worker(24544): pam(toto,1.1.1.1): unknown user",
	};
	assert_true(PF_PROBE(exim_main) < 30);
	assert_true(PF_PROBE(exim_syslog) < 30);
	assert_true(PF_PROBE(csv) < 30);
	assert_true(PF_PROBE(bytes) < 30);
	assert_true(PF_PROBE(exim_dovecot) < 30);
	assert_int_equal(pf_probe_of(NULL, 0), 0);
}

/* --- hostile input ------------------------------------------------------ */

/* Every slice must lie inside the line, or be one of the fields built in
 * the parser's own buffer (recipient list, delay summary), or a constant. */
static void pf_assert_sane(const char *line, size_t len, enum parse_result r, const struct pline *o)
{
	assert_true(r == PARSE_OK || r == PARSE_SKIP || r == PARSE_NOMATCH || r == PARSE_BAD);
	if (r != PARSE_OK)
		return;
	assert_true(o->kind < EV__COUNT);
	assert_true(o->outcome < OUT__COUNT);
	assert_true(o->link < LINK__COUNT);
	for (int f = 0; f < F__COUNT; f++) {
		struct slice s = o->f[f];
		if (!s.n)
			continue;
		int inside = s.p >= line && s.p + s.n <= line + len;
		if (!inside) {
			assert_true(f == F_RCPTS || f == F_DETAIL || f == F_SENDER);
			assert_true(s.n <= 8192);
		}
	}
}

static enum parse_result pf_run(void *st, const char *line, size_t len, struct pline *o)
{
	const char *why = NULL;
	pf_reset(o);
	enum parse_result r = parser_postfix.line(st, line, len, o, &why);
	if (r == PARSE_BAD)
		assert_true(why != NULL && why[0] != '\0');
	pf_assert_sane(line, len, r, o);
	return r;
}

static void test_hostile(void **ctx)
{
	(void)ctx;
	void *st = parser_postfix.begin();
	assert_non_null(st);
	struct pline o;

	/* A NUL byte in the middle of a real line (fail2ban_postfix.log). */
	static const char nul_line[] =
		"Aug 13 15:45:46 server postfix/smtpd[13844]: 00ADB3C0899: reject: RCPT from exa\0mple.com[192.0.2.1]: 550 5.1.1 <sales@server.com>: Recipient address rejected; from=<xxxxxx@example.com> to=<sales@server.com> proto=ESMTP helo=<mail.example.com>";
	assert_int_equal(pf_run(st, nul_line, sizeof nul_line - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_REJECT);
	assert_int_equal(o.f[F_CLIENT_HOST].n, 12); /* "exa\0mple.com": the NUL is just a byte */
	assert_true(pf_slice_is(o.f[F_RCPT], "sales@server.com"));

	/* NUL right inside the time stamp and inside the tag. */
	static const char nul_ts[] = "Aug 13 15:4\0:46 server postfix/smtpd[13844]: connect from a[1.2.3.4]";
	assert_int_equal(pf_run(st, nul_ts, sizeof nul_ts - 1, &o), PARSE_NOMATCH);
	static const char nul_tag[] = "Aug 13 15:45:46 server postfix/smtpd[13\0844]: connect from a[1.2.3.4]";
	assert_int_equal(pf_run(st, nul_tag, sizeof nul_tag - 1, &o), PARSE_BAD);

	/* Cut in the middle of to=< (linode lmtp line, truncated). */
	static const char cut_to[] = "Mar 22 18:18:15 host postfix/lmtp[22586]: 2BD192839B: to=<email1@exa";
	assert_int_equal(pf_run(st, cut_to, sizeof cut_to - 1, &o), PARSE_BAD);
	static const char cut_to2[] = "Mar 22 18:18:15 host postfix/lmtp[22586]: 2BD192839B: to=<";
	assert_int_equal(pf_run(st, cut_to2, sizeof cut_to2 - 1, &o), PARSE_BAD);
	static const char cut_status[] = "Mar 22 18:18:15 host postfix/lmtp[22586]: 2BD192839B: to=<email1@example.com>, relay=host.example.com[private/dovecot-lmtp], delay=0.09, del";
	assert_int_equal(pf_run(st, cut_status, sizeof cut_status - 1, &o), PARSE_BAD);
	/* Cut inside the reply text: kept, the outcome is known. */
	static const char cut_text[] = "Mar 22 18:18:15 host postfix/lmtp[22586]: 2BD192839B: to=<email1@example.com>, relay=local, delay=0.09, delays=0.03/0.02/0.03/0.01, dsn=5.1.1, status=bounced (host x[1.2.3.4] said: 550 5.1.1 us";
	assert_int_equal(pf_run(st, cut_text, sizeof cut_text - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_BOUNCED);
	assert_int_equal(o.smtp_code, 550);
	/* A reject cut inside its envelope tail keeps what it has. */
	static const char cut_tail[] = "Dec 30 18:19:15 xxx postfix/smtpd[1574]: NOQUEUE: reject: RCPT from badguy.example.com[93.184.216.34]: 454 4.7.1 Service unavailable; from=<spammer@example.com> to=<goodg";
	assert_int_equal(pf_run(st, cut_tail, sizeof cut_tail - 1, &o), PARSE_OK);
	assert_true(pf_slice_is(o.f[F_SENDER], "spammer@example.com"));
	assert_int_equal(o.f[F_RCPT].n, 0);
	static const char cut_client[] = "Mar 22 18:18:15 host postfix/smtpd[22574]: 2BD192839B: client=mail1.linode.com[96.12";
	assert_int_equal(pf_run(st, cut_client, sizeof cut_client - 1, &o), PARSE_BAD);

	/* Invalid UTF-8 in a header-check subject and in an amavis verdict. */
	static const char bad_utf8[] = "Oct 26 18:13:50 mx postfix/cleanup[4242]: D8B07E3DB6: warning: header Subject: \xff\xfe\xc3( \xed\xa0\x80 from local; from=<a@b> to=<c@d>";
	assert_int_equal(pf_run(st, bad_utf8, sizeof bad_utf8 - 1, &o), PARSE_OK);
	assert_true(pf_slice_is(o.f[F_SUBJECT], "\xff\xfe\xc3( \xed\xa0\x80"));
	static const char bad_utf8b[] = "Feb 23 04:55:57 m amavis[1]: (1-09) Blocked \xc0\xaf {D}, [1.2.3.4]:1 <\xff@x> -> <\xfe@y>,<z@\x80>, Queue-ID: 83B741009CD35";
	assert_int_equal(pf_run(st, bad_utf8b, sizeof bad_utf8b - 1, &o), PARSE_OK);
	assert_true(pf_slice_is(o.f[F_RCPTS], "\xfe@y z@\x80"));
	assert_int_equal(o.f[F_RCPT].n, 0);

	/* 1 MB lines: one huge recipient, one huge reply tail of "; from=<",
	 * a megabyte of one letter, and an amavis line with many recipients. */
	size_t big = 1u << 20;
	char *buf = malloc(big + 512);
	assert_non_null(buf);
	int k = snprintf(buf, 512, "Mar 22 18:18:15 host postfix/smtp[1]: 2BD192839B: to=<");
	memset(buf + k, 'a', big);
	size_t len = (size_t)k + big;
	len += (size_t)snprintf(buf + len, 512, ">, relay=none, delay=1, delays=1/0/0/0, dsn=5.0.0, status=bounced (x)");
	assert_int_equal(pf_run(st, buf, len, &o), PARSE_OK);
	assert_int_equal(o.f[F_RCPT].n, big);

	k = snprintf(buf, 512, "Dec 30 18:19:15 x postfix/smtpd[1]: NOQUEUE: reject: RCPT from h[1.2.3.4]: 554 ");
	for (len = (size_t)k; len + 8 < (size_t)k + big; len += 8)
		memcpy(buf + len, "; from=<", 8);
	buf[len] = '\0';
	pf_run(st, buf, len, &o);

	k = snprintf(buf, 512, "Dec 30 18:19:15 x postfix/smtpd[1]: ");
	memset(buf + k, 'A', big);
	len = (size_t)k + big;
	buf[len] = '\0';
	pf_run(st, buf, len, &o);

	memset(buf, 'J', big);
	buf[big] = '\0';
	assert_int_equal(pf_run(st, buf, big, &o), PARSE_NOMATCH);

	k = snprintf(buf, 512, "Feb 23 04:55:57 m amavis[1]: (1-09) Passed CLEAN {R}, [1.2.3.4]:1 <s@x> -> ");
	for (len = (size_t)k; len + 8 < (size_t)k + big; len += 8)
		memcpy(buf + len, "<r@x.y>,", 8);
	memcpy(buf + len - 1, ", Queue-ID: 83B741009CD35", 25);
	len += 24;
	buf[len] = '\0';
	assert_int_equal(pf_run(st, buf, len, &o), PARSE_OK);
	assert_true(o.f[F_RCPTS].n > 1000 && o.f[F_RCPTS].n <= 8192);
	assert_true(pf_slice_is(o.f[F_QID], "83B741009CD35"));
	free(buf);

	/* Empty and near-empty lines. */
	assert_int_equal(pf_run(st, "", 0, &o), PARSE_NOMATCH);
	assert_int_equal(pf_run(st, "Mar 22 18:18:15 host postfix/smtp[1]: ", 38, &o), PARSE_SKIP);
	assert_int_equal(pf_run(st, "Mar 22 18:18:15 host postfix/smtp[1]: 2BD192839B: ", 50, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_UNKNOWN);
	assert_true(pf_slice_is(o.f[F_QID], "2BD192839B"));

	parser_postfix.end(st);
}

/* Lines with a queue id that the parser does not understand are kept. */
static void test_unknown_with_qid(void **ctx)
{
	(void)ctx;
	void *st = parser_postfix.begin();
	struct pline o;
	/* whyscream smtp_0031 body, synthetic prefix */
	static const char pix[] = "Oct 26 18:13:50 mx postfix/smtp[4242]: B0ADE20FC7: enabling PIX workarounds: disable_esmtp delay_dotcrlf for example.com[93.184.216.34]:25";
	assert_int_equal(pf_run(st, pix, sizeof pix - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_UNKNOWN);
	assert_true(pf_slice_is(o.f[F_QID], "B0ADE20FC7"));
	assert_true(pf_slice_is(o.f[F_DETAIL], "enabling PIX workarounds: disable_esmtp delay_dotcrlf for example.com[93.184.216.34]:25"));
	parser_postfix.end(st);
}

/* SMTP codes: the first 2xx/4xx/5xx word of the text, with the enhanced
 * code after it; digits glued to other text are not a code. */
static void test_reply_codes(void **ctx)
{
	(void)ctx;
	void *st = parser_postfix.begin();
	struct pline o;
	/* whyscream smtp_0023 body (multi-line reply "421-4.7.0"), synthetic prefix */
	static const char multi[] = "Oct 26 18:13:50 mx postfix/smtp[4242]: 644D53D: host gmail-smtp-in.l.google.com[74.125.136.26] said: 421-4.7.0 [1.2.3.4      15] Our system has detected an unusual rate of 421-4.7.0 unsolicited mail originating from your IP address.";
	assert_int_equal(pf_run(st, multi, sizeof multi - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_HOST_ERROR);
	assert_int_equal(o.smtp_code, 421);
	assert_true(pf_slice_is(o.f[F_DSN], "4.7.0"));
	/* EDITED from the forum-thread-2011 relay=none bounce: the looked-up
	 * name holds "-550 " to check that glued digits are not taken. */
	static const char glued[] = "Jun  3 08:27:16 newmail postfix/smtp[4041]: 50B0319C1E64: to=<testit@testdegc.net>, relay=none, delay=15, delays=0.11/0.12/15/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=mx-550 type=AAAA: Host not found)";
	assert_int_equal(pf_run(st, glued, sizeof glued - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_BOUNCED);
	assert_int_equal(o.smtp_code, 0);
	assert_true(pf_slice_is(o.f[F_DSN], "5.4.4"));
	parser_postfix.end(st);
}

/* Prefix forms no sample file holds: real lines EDITED into the shape that
 * journalctl -o short-precise / short-iso, a host-less syslog and a tag
 * without [pid] produce (FORMATS.md 2.1). */
static void test_prefix_variants(void **ctx)
{
	(void)ctx;
	void *st = parser_postfix.begin();
	struct pline o;
	/* linode connect line, short-precise: 2000-03-22 18:18:15.250001 */
	static const char precise[] = "Mar 22 18:18:15.250001 host postfix/smtpd[22574]: connect from mail1.linode.com[96.126.108.55]";
	assert_int_equal(pf_run(st, precise, sizeof precise - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_CONNECT);
	assert_true(o.ts_us == TS(953749095, 250001));
	assert_int_equal(o.flags, SYS);
	/* same line, short-iso "+0100": date -u -d '2023-03-22T18:18:15+01:00' = 1679505495 */
	static const char iso[] = "2023-03-22T18:18:15+0100 host postfix/smtpd[22574]: connect from mail1.linode.com[96.126.108.55]";
	assert_int_equal(pf_run(st, iso, sizeof iso - 1, &o), PARSE_OK);
	assert_true(o.ts_us == TS(1679505495, 0));
	assert_int_equal(o.flags, 0);
	/* no zone at all: wall-clock time, the loader applies the zone */
	static const char nozone[] = "2023-03-22T18:18:15 host postfix/smtpd[22574]: connect from mail1.linode.com[96.126.108.55]";
	assert_int_equal(pf_run(st, nozone, sizeof nozone - 1, &o), PARSE_OK);
	assert_int_equal(o.flags, PL_LOCALTIME);
	/* tag without [pid] */
	static const char nopid[] = "Mar 22 18:18:15 host postfix/qmgr: 2BD192839B: removed";
	assert_int_equal(pf_run(st, nopid, sizeof nopid - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_DONE);
	assert_int_equal(o.pid, 0);
	assert_true(pf_slice_is(o.f[F_PROG], "postfix/qmgr"));
	assert_true(pf_slice_is(o.f[F_HOST], "host"));
	/* no host field */
	static const char nohost[] = "Mar 22 18:18:15 postfix/qmgr[15878]: 2BD192839B: removed";
	assert_int_equal(pf_run(st, nohost, sizeof nohost - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_DONE);
	assert_int_equal(o.pid, 15878);
	assert_int_equal(o.f[F_HOST].n, 0);
	/* postsuper run by hand logs without the postfix/ prefix */
	static const char bare[] = "Mar 22 18:18:15 host postsuper[999]: 2BD192839B: removed";
	assert_int_equal(pf_run(st, bare, sizeof bare - 1, &o), PARSE_OK);
	assert_int_equal(o.kind, EV_DELETED);
	parser_postfix.end(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_lines),
		cmocka_unit_test(test_table_breadth),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_unknown_with_qid),
		cmocka_unit_test(test_reply_codes),
		cmocka_unit_test(test_prefix_variants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
