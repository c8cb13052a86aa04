/*
 * test_exim.c - unit tests for the Exim mainlog parser (parsers/exim.c).
 *
 * Table-driven: every case is a real line copied from the public samples
 * (the file it came from is named above each group; a few lines are marked
 * "assembled" where the sample only gives a template or a bare body), and
 * every field of the parsed line is checked: a field the table does not
 * name must be empty.  Expected times were computed outside this code with
 * `date -u -d '<stamp>' +%s` (the command is in the comment next to each).
 * Then the probe, and hostile input that must not crash.
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

extern const struct parser parser_exim;

#define TS(sec, us) ((int64_t)(sec) * INT64_C(1000000) + (us))
#define SZ(x) .has_size = 1, .size = (x)
#define LT PL_LOCALTIME
#define SYSLOG_FLAGS (PL_YEARLESS | PL_LOCALTIME)

struct line_case {
	const char *line;
	enum parse_result res;
	enum ev_kind kind;
	enum outcome outcome;
	enum link_kind link;
	unsigned flags;
	unsigned code;
	uint32_t pid;
	int has_size;
	int64_t size;
	int64_t ts;
	const char *f[F__COUNT]; /* NULL: the field must be empty */
};

static const char *const field_names[F__COUNT] = {
	"F_HOST", "F_PROG", "F_QID", "F_LINK", "F_SENDER", "F_RCPT", "F_RCPTS",
	"F_ORIG_RCPT", "F_RELAY", "F_DSN", "F_REPLY", "F_CLIENT_HOST", "F_CLIENT_IP",
	"F_HELO", "F_AUTH", "F_MSGID", "F_SUBJECT", "F_PROTO", "F_SCRIPT", "F_ACCOUNT",
	"F_STATUS_RAW", "F_DETAIL",
};

static const struct line_case cases[] = {
	/* ---- gvengel_exim_exporter_mainlog.log (+pid, +0200 zones, bounce R= chain) */
	{"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 123, SZ(7386),
	 TS(1592542309, 0) /* date -u -d '2020-06-19 04:51:49' */,
	 {[F_QID] = "1jmFYj-00039V-QX", [F_SENDER] = "noreply@test.corp", [F_CLIENT_IP] = "2.2.2.2",
	  [F_HELO] = "test.corp", [F_PROTO] = "smtp"}},
	{"2020-06-19 04:54:02 1jmFYj-00039V-QX H=null.corp [6.6.6.6] Connection timed out",
	 PARSE_OK, EV_HOST_ERROR, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(1592542442, 0) /* date -u -d '2020-06-19 04:54:02' */,
	 .f = {[F_QID] = "1jmFYj-00039V-QX", [F_RELAY] = "null.corp [6.6.6.6]",
	       [F_REPLY] = "Connection timed out"}},
	{"2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out",
	 PARSE_OK, EV_DEFERRED, OUT_DEFERRED, LINK_NONE, LT, 0, 0, .ts = TS(1592542442, 0) /* date -u -d '2020-06-19 04:54:02' */,
	 .f = {[F_QID] = "1jmFYj-00039V-QX", [F_RCPT] = "bob@null.corp", [F_RELAY] = "remote_smtp",
	       [F_REPLY] = "Connection timed out", [F_DETAIL] = "R=dnslookup T=remote_smtp defer (110)"}},
	{"2020-06-19 04:54:02 1jmFYj-00039V-QX ** bob@null.corp: retry timeout exceeded",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 0, 0, .ts = TS(1592542442, 0) /* date -u -d '2020-06-19 04:54:02' */,
	 .f = {[F_QID] = "1jmFYj-00039V-QX", [F_RCPT] = "bob@null.corp",
	       [F_REPLY] = "retry timeout exceeded"}},
	{"2020-06-19 04:54:02 1jmFas-0004f6-EB <= <> R=1jmFYj-00039V-QX U=Debian-exim P=local S=8656",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_BOUNCE_PARENT, LT, 0, 0, SZ(8656),
	 TS(1592542442, 0) /* date -u -d '2020-06-19 04:54:02' */,
	 {[F_QID] = "1jmFas-0004f6-EB", [F_LINK] = "1jmFYj-00039V-QX", [F_SENDER] = "<>",
	  [F_PROTO] = "local", [F_DETAIL] = "U=Debian-exim"}},
	{"2020-06-19 04:54:02 [456] 1jmFYj-00039V-QX Completed",
	 PARSE_OK, EV_DONE, OUT_NONE, LINK_NONE, LT, 0, 456, .ts = TS(1592542442, 0) /* date -u -d '2020-06-19 04:54:02' */,
	 .f = {[F_QID] = "1jmFYj-00039V-QX"}},
	{"2020-06-19 06:26:02 1jmH1s-000AVD-5t => dave@foo.corp R=dnslookup T=remote_smtp H=mail.foo.corp [1.1.1.1] C=\"250 2.0.0 Ok: queued\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, LT, 250, 0, .ts = TS(1592547962, 0) /* date -u -d '2020-06-19 06:26:02' */,
	 .f = {[F_QID] = "1jmH1s-000AVD-5t", [F_RCPT] = "dave@foo.corp",
	       [F_RELAY] = "mail.foo.corp [1.1.1.1]", [F_DSN] = "2.0.0",
	       [F_REPLY] = "250 2.0.0 Ok: queued", [F_DETAIL] = "R=dnslookup T=remote_smtp"}},
	{"2020-06-19 06:26:03 1jmH1t-0000dO-Un => harry@bar.corp R=dnslookup T=remote_smtp H=mail.bar.corp [7.7.7.7] X=TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256 CV=yes DN=\"C=US,ST=Notia,L=Nowhere,O=Bar Corp,CN=mail.bar.corp\" C=\"250 2.6.0 <E1jmH1t-0000dO-Un@smtp.test.corp> 16655 bytes in 0.342, 47.543 KB/sec Queued mail for delivery -> 250 2.1.5\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, LT, 250, 0, .ts = TS(1592547963, 0) /* date -u -d '2020-06-19 06:26:03' */,
	 .f = {[F_QID] = "1jmH1t-0000dO-Un", [F_RCPT] = "harry@bar.corp",
	       [F_RELAY] = "mail.bar.corp [7.7.7.7]", [F_DSN] = "2.6.0",
	       [F_REPLY] = "250 2.6.0 <E1jmH1t-0000dO-Un@smtp.test.corp> 16655 bytes in 0.342, 47.543 KB/sec Queued mail for delivery -> 250 2.1.5",
	       [F_DETAIL] = "R=dnslookup T=remote_smtp"}},
	{"2020-06-20 00:13:16 1jmXgg-000AIC-89 -> sally@dummy.corp R=dnslookup T=remote_smtp_smarthost H=smarthost.test.corp [5.5.5.5] X=TLS1.2:ECDHE_RSA_AES_128_GCM_SHA256:128 CV=yes DN=\"C=XX,L=Here,O=Text Corp,CN=*.test.corp\" C=\"250 6292145-1592637196662@smarthost.test.corp Received OK [sHQA_0EGOfCC2A2sh3iD5g]\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, LT, 250, 0, .ts = TS(1592611996, 0) /* date -u -d '2020-06-20 00:13:16' */,
	 .f = {[F_QID] = "1jmXgg-000AIC-89", [F_RCPT] = "sally@dummy.corp",
	       [F_RELAY] = "smarthost.test.corp [5.5.5.5]",
	       [F_REPLY] = "250 6292145-1592637196662@smarthost.test.corp Received OK [sHQA_0EGOfCC2A2sh3iD5g]",
	       [F_DETAIL] = "R=dnslookup T=remote_smtp_smarthost"}},
	{"2020-06-20 01:32:57 +0200 [789] 1jmKso-0009d4-Uf ** molly@zee.corp R=dnslookup T=remote_smtp H=mail.zee.corp [3.3.3.3] X=TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256 CV=yes DN=\"C=US,ST=Fake,L=Lost,O=Zee Corp,CN=mail.zee.corp\": SMTP error from remote mail server after end of data: 554 5.2.0 mKr3jsd25ZIfXmKr4jFD2w Recipient Mailbox Full [504]",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, 0, 554, 789, .ts = TS(1592609577, 0) /* date -u -d '2020-06-20 01:32:57 +0200' */,
	 .f = {[F_QID] = "1jmKso-0009d4-Uf", [F_RCPT] = "molly@zee.corp",
	       [F_RELAY] = "mail.zee.corp [3.3.3.3]", [F_DSN] = "5.2.0",
	       [F_REPLY] = "SMTP error from remote mail server after end of data: 554 5.2.0 mKr3jsd25ZIfXmKr4jFD2w Recipient Mailbox Full [504]",
	       [F_DETAIL] = "R=dnslookup T=remote_smtp"}},
	{"2020-06-20 04:32:57 -0200 1jmKsr-00040h-1G <= <> R=1jmKso-0009d4-Uf U=Debian-exim P=local S=9521",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_BOUNCE_PARENT, 0, 0, 0, SZ(9521),
	 TS(1592634777, 0) /* date -u -d '2020-06-20 04:32:57 -0200' */,
	 {[F_QID] = "1jmKsr-00040h-1G", [F_LINK] = "1jmKso-0009d4-Uf", [F_SENDER] = "<>",
	  [F_PROTO] = "local", [F_DETAIL] = "U=Debian-exim"}},
	/* the anonymised sample lost the ']' after the address; the text after it still parses */
	{"2020-06-24 00:20:20 1raAV4-009jr4-9x == jack@test.corp R=dnslookup T=remote_smtp defer (-44) H=(relay.test.corp) [4.4.4.4: SMTP error from remote mail server after RCPT TO:<jack@test.corp>: 450 4.7.1 <jack@test.corp>: Recipient address rejected: Recipient not available",
	 PARSE_OK, EV_DEFERRED, OUT_DEFERRED, LINK_NONE, LT, 450, 0, .ts = TS(1592958020, 0) /* date -u -d '2020-06-24 00:20:20' */,
	 .f = {[F_QID] = "1raAV4-009jr4-9x", [F_RCPT] = "jack@test.corp",
	       [F_RELAY] = "(relay.test.corp) [4.4.4.4", [F_DSN] = "4.7.1",
	       [F_REPLY] = "SMTP error from remote mail server after RCPT TO:<jack@test.corp>: 450 4.7.1 <jack@test.corp>: Recipient address rejected: Recipient not available",
	       [F_DETAIL] = "R=dnslookup T=remote_smtp defer (-44)"}},
	{"2020-06-24 00:13:06 1raAO7-0094KF-7u ** rudy@foo.corp R=dnslookup T=remote_smtp H=(relay.test.corp) [4.4.4.4]: SMTP error from remote mail server after RCPT TO:<rudy@test.corp>: 540 5.7.1 <rudy@test.corp>: recipient address rejected: Blocked",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 540, 0, .ts = TS(1592957586, 0) /* date -u -d '2020-06-24 00:13:06' */,
	 .f = {[F_QID] = "1raAO7-0094KF-7u", [F_RCPT] = "rudy@foo.corp",
	       [F_RELAY] = "(relay.test.corp) [4.4.4.4]", [F_DSN] = "5.7.1",
	       [F_REPLY] = "SMTP error from remote mail server after RCPT TO:<rudy@test.corp>: 540 5.7.1 <rudy@test.corp>: recipient address rejected: Blocked",
	       [F_DETAIL] = "R=dnslookup T=remote_smtp"}},

	/* ---- gvengel_exim_exporter_rejectlog.log */
	{"2020-06-13 19:49:49 +0200 H=(test.corp) [1.1.1.1] F=<noreply@test.corp> rejected RCPT <error!@dummy.corp>: restricted characters in address",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, 0, 0, 0, .ts = TS(1592070589, 0) /* date -u -d '2020-06-13 19:49:49 +0200' */,
	 .f = {[F_SENDER] = "noreply@test.corp", [F_RCPT] = "error!@dummy.corp",
	       [F_REPLY] = "restricted characters in address", [F_CLIENT_IP] = "1.1.1.1",
	       [F_HELO] = "test.corp"}},
	{"2020-06-13 13:55:20 SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(1592056520, 0) /* date -u -d '2020-06-13 13:55:20' */,
	 .f = {[F_REPLY] = "SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected"}},

	/* ---- gvengel_exim_exporter_paniclog.log */
	{"2020-05-26 15:01:40 +0200 1jdghf-00034W-No DKIM: signing failed: RSA_LONG_LINE",
	 PARSE_OK, EV_DKIM, OUT_NONE, LINK_NONE, 0, 0, 0, .ts = TS(1590498100, 0) /* date -u -d '2020-05-26 15:01:40 +0200' */,
	 .f = {[F_QID] = "1jdghf-00034W-No", [F_DETAIL] = "signing failed: RSA_LONG_LINE"}},

	/* ---- exim-testsuite_curated.log (23-char ids, 4.99 " : " separator; S=sss is munged by the harness) */
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 <= a2@bloggs.com H=(xxx) [127.0.0.1] P=smtp S=sss for za@test.ex",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_SENDER] = "a2@bloggs.com", [F_RCPTS] = "za@test.ex",
	       [F_CLIENT_IP] = "127.0.0.1", [F_HELO] = "xxx", [F_PROTO] = "smtp"}},
	{"2017-07-30 18:51:05.712 10HmbS-000000005vi-0000 <= <> R=10HmbO-000000005vi-0000 U=EXIMUSER P=local S=sss for CALLER@myhost.test.ex",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_BOUNCE_PARENT, LT, 0, 0, .ts = TS(1501440665, 712000) /* date -u -d '2017-07-30 18:51:05' */,
	 .f = {[F_QID] = "10HmbS-000000005vi-0000", [F_LINK] = "10HmbO-000000005vi-0000",
	       [F_SENDER] = "<>", [F_RCPTS] = "CALLER@myhost.test.ex", [F_PROTO] = "local",
	       [F_DETAIL] = "U=EXIMUSER"}},
	{"1999-03-02 09:44:33 10HmbC-000000005vi-0000 (= b2@dump.ex H=localhost (myhost.test.ex) [127.0.0.1] P=esmtp S=sss for rmt_fakereject@test.ex",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbC-000000005vi-0000", [F_SENDER] = "b2@dump.ex",
	       [F_RCPTS] = "rmt_fakereject@test.ex", [F_CLIENT_HOST] = "localhost",
	       [F_CLIENT_IP] = "127.0.0.1", [F_HELO] = "myhost.test.ex", [F_PROTO] = "esmtp"}},
	{"1999-03-02 09:44:33 10HmbA-000000005vi-0000 => userx <userx@test.ex> R=localuser T=local_delivery",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbA-000000005vi-0000", [F_RCPT] = "userx", [F_ORIG_RCPT] = "userx@test.ex",
	       [F_RELAY] = "local_delivery", [F_DETAIL] = "R=localuser T=local_delivery"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 => a@test.ex R=client T=send_to_server H=ip4.ip4.ip4.ip4 [ip4.ip4.ip4.ip4] DKIM=test.ex:sel:test.ex:sed C=\"250 OK id=10HmaY-000000005vi-0000\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, LT, 250, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_LINK] = "10HmaY-000000005vi-0000",
	       [F_RCPT] = "a@test.ex", [F_RELAY] = "ip4.ip4.ip4.ip4 [ip4.ip4.ip4.ip4]",
	       [F_REPLY] = "250 OK id=10HmaY-000000005vi-0000", [F_DETAIL] = "R=client T=send_to_server"}},
	{"1999-03-02 09:44:33 10HmbA-000000005vi-0000 >> userx@domain.com (ruserx@domain.com, rruserx@domain.com) <rrruserx@domain.com> P=<CALLER@myhost.test.ex> R=all T=smtp H=127.0.0.1 [127.0.0.1] C=\"250 OK\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, LT, 250, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbA-000000005vi-0000", [F_SENDER] = "CALLER@myhost.test.ex",
	       [F_RCPT] = "userx@domain.com", [F_ORIG_RCPT] = "rrruserx@domain.com",
	       [F_RELAY] = "127.0.0.1 [127.0.0.1]", [F_REPLY] = "250 OK", [F_DETAIL] = "R=all T=smtp"}},
	{"1999-03-02 09:44:33 10HmaY-000000005vi-0000 *> b@test.ex P=<b@aa> R=r1 T=t1 H=127.0.0.1 [127.0.0.1] C=\"delivery bypassed by -N option\"",
	 PARSE_OK, EV_SUPPRESSED, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaY-000000005vi-0000", [F_SENDER] = "b@aa", [F_RCPT] = "b@test.ex",
	       [F_RELAY] = "127.0.0.1 [127.0.0.1]", [F_REPLY] = "delivery bypassed by -N option",
	       [F_DETAIL] = "R=r1 T=t1"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** c@test.ex R=all T=smtp H=127.0.0.1 [127.0.0.1]* : SMTP error from remote mail server after RCPT TO:<c@test.ex>: 550 Recipient not OK",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 550, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_RCPT] = "c@test.ex",
	       [F_RELAY] = "127.0.0.1 [127.0.0.1]",
	       [F_REPLY] = "SMTP error from remote mail server after RCPT TO:<c@test.ex>: 550 Recipient not OK",
	       [F_DETAIL] = "R=all T=smtp"}},
	{"1999-03-02 09:44:33 10HmbU-0005vi-00 ** bounce@test.ex R=r0: bounced (:fail:)",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbU-0005vi-00", [F_RCPT] = "bounce@test.ex", [F_REPLY] = "bounced (:fail:)",
	       [F_DETAIL] = "R=r0"}},
	{"1999-03-02 09:44:33 10HmbE-000000005vi-0000 ** file@x.y routing yielded a local delivery",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbE-000000005vi-0000", [F_RCPT] = "file@x.y",
	       [F_REPLY] = "routing yielded a local delivery"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** hbounce@test.ex <useryx@test.ex> : Unrouteable address",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_RCPT] = "hbounce@test.ex",
	       [F_ORIG_RCPT] = "useryx@test.ex", [F_REPLY] = "Unrouteable address"}},
	{"1999-03-02 09:44:33 10HmbE-000000005vi-0000 ** userx@test.ex R=r1 T=t1 : all hosts for 'test.ex' have been failing for a long time (and retry time not reached)",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbE-000000005vi-0000", [F_RCPT] = "userx@test.ex", [F_RELAY] = "t1",
	       [F_REPLY] = "all hosts for 'test.ex' have been failing for a long time (and retry time not reached)",
	       [F_DETAIL] = "R=r1 T=t1"}},
	{"2017-07-30 18:51:05.712 10HmaX-000000005vi-0000 == bob@test.again.dns routing defer (-52): retry time not reached",
	 PARSE_OK, EV_RETRY_WAIT, OUT_DEFERRED, LINK_NONE, LT, 0, 0, .ts = TS(1501440665, 712000) /* date -u -d '2017-07-30 18:51:05' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_RCPT] = "bob@test.again.dns",
	       [F_REPLY] = "retry time not reached", [F_DETAIL] = "routing defer (-52)"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 == userx@domain.com R=all T=smtp defer (-54): retry time not reached for any host for 'domain.com'",
	 PARSE_OK, EV_RETRY_WAIT, OUT_DEFERRED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_RCPT] = "userx@domain.com", [F_RELAY] = "smtp",
	       [F_REPLY] = "retry time not reached for any host for 'domain.com'",
	       [F_DETAIL] = "R=all T=smtp defer (-54)"}},
	{"1999-03-02 09:44:33 10HmbH-000000005vi-0000 == userx@x.y R=r1 T=t1 defer (-44) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<userx@x.y>: 452 temporary error",
	 PARSE_OK, EV_DEFERRED, OUT_DEFERRED, LINK_NONE, LT, 452, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbH-000000005vi-0000", [F_RCPT] = "userx@x.y",
	       [F_RELAY] = "127.0.0.1 [127.0.0.1]",
	       [F_REPLY] = "SMTP error from remote mail server after RCPT TO:<userx@x.y>: 452 temporary error",
	       [F_DETAIL] = "R=r1 T=t1 defer (-44)"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 == second@test.ex <first@test.ex> R=second defer (-1): deferred by aliasfile",
	 PARSE_OK, EV_DEFERRED, OUT_DEFERRED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_RCPT] = "second@test.ex",
	       [F_ORIG_RCPT] = "first@test.ex", [F_REPLY] = "deferred by aliasfile",
	       [F_DETAIL] = "R=second defer (-1)"}},
	{"2017-07-30 18:51:05.712 10HmaZ-000000005vi-0000 Completed QT=q.qqqs",
	 PARSE_OK, EV_DONE, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(1501440665, 712000) /* date -u -d '2017-07-30 18:51:05' */,
	 .f = {[F_QID] = "10HmaZ-000000005vi-0000"}},
	{"1999-03-02 09:44:33 10HmbC-000000005vi-0000 Frozen (delivery error message)",
	 PARSE_OK, EV_HOLD, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbC-000000005vi-0000", [F_DETAIL] = "Frozen (delivery error message)"}},
	{"1999-03-02 09:44:33 10HmbA-000000005vi-0000 Unfrozen by forced delivery",
	 PARSE_OK, EV_RELEASE, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbA-000000005vi-0000", [F_DETAIL] = "Unfrozen by forced delivery"}},
	{"1999-03-02 09:44:33 10HmbK-000000005vi-0000 removed by CALLER",
	 PARSE_OK, EV_DELETED, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbK-000000005vi-0000", [F_DETAIL] = "removed by CALLER"}},
	{"1999-03-02 09:44:33 10HmaY-000000005vi-0000 cancelled by timeout_frozen_after",
	 PARSE_OK, EV_DELETED, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaY-000000005vi-0000", [F_DETAIL] = "cancelled by timeout_frozen_after"}},
	{"1999-03-02 09:44:33 10HmbA-000000005vi-0000 Message is frozen",
	 PARSE_OK, EV_NOTE, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbA-000000005vi-0000", [F_DETAIL] = "Message is frozen"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 DKIM: d=test.ex s=sel c=relaxed/relaxed a=rsa-sha512 b=1024 [verification succeeded]",
	 PARSE_OK, EV_DKIM, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000",
	       [F_DETAIL] = "d=test.ex s=sel c=relaxed/relaxed a=rsa-sha512 b=1024 [verification succeeded]"}},
	{"1999-03-02 09:44:33 10HmbA-000000005vi-0000 H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after pipelined MAIL FROM:<CALLER@test.ex>: 451 Temp error",
	 PARSE_OK, EV_HOST_ERROR, OUT_NONE, LINK_NONE, LT, 451, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbA-000000005vi-0000", [F_RELAY] = "127.0.0.1 [127.0.0.1]",
	       [F_REPLY] = "SMTP error from remote mail server after pipelined MAIL FROM:<CALLER@test.ex>: 451 Temp error"}},
	{"1999-03-02 09:44:33 10HmaZ-000000005vi-0000 U=CALLER F=<CALLER@myhost.test.ex> rejected after DATA: bcc recipient detected",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaZ-000000005vi-0000", [F_SENDER] = "CALLER@myhost.test.ex",
	       [F_REPLY] = "bcc recipient detected"}},
	{"1999-03-02 09:44:33 U=CALLER F=<> rejected RCPT <a@b.c>",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_SENDER] = "<>", [F_RCPT] = "a@b.c"}},
	{"1999-03-02 09:44:33 U=CALLER rejected MAIL <userx@broken.example>: Sender verify failed",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_SENDER] = "userx@broken.example", [F_REPLY] = "Sender verify failed"}},
	{"1999-03-02 09:44:33 H=(test.ex) [10.9.8.8] U=CALLER rejected EHLO or HELO test.ex",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_CLIENT_IP] = "10.9.8.8", [F_HELO] = "test.ex"}},
	{"1999-03-02 09:44:33 rejected EHLO from ([IPV6:V6NET:0:12:1:a00:20ff:fe86:a062]) [ip6:ip6:ip6:ip6:ip6:ip6:ip6:ip6]: syntactically invalid argument(s): ip6:ip6:ip6:ip6:ip6:ip6:ip6:ip6",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_CLIENT_IP] = "ip6:ip6:ip6:ip6:ip6:ip6:ip6:ip6",
	       [F_HELO] = "[IPV6:V6NET:0:12:1:a00:20ff:fe86:a062]",
	       [F_REPLY] = "syntactically invalid argument(s): ip6:ip6:ip6:ip6:ip6:ip6:ip6:ip6"}},
	{"1999-03-02 09:44:33 H=[127.0.0.1] temporarily rejected connection in \"connect\" ACL: host deferred",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_CLIENT_IP] = "127.0.0.1", [F_REPLY] = "host deferred"}},
	{"1999-03-02 09:44:33 SMTP connection from [ip4.ip4.ip4.ip4]:10005 I=[ip4.ip4.ip4.ip4]:PORT_D Ci=p1241 (TCP/IP connection count = 1)",
	 PARSE_OK, EV_CONNECT, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_CLIENT_IP] = "ip4.ip4.ip4.ip4"}},
	{"1999-03-02 09:44:33 SMTP connection from localhost (myhost.test.ex) [127.0.0.1] D=qqs closed by QUIT",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_CLIENT_HOST] = "localhost", [F_CLIENT_IP] = "127.0.0.1", [F_HELO] = "myhost.test.ex",
	       [F_REPLY] = "closed by QUIT"}},
	{"2017-07-30 18:51:05.712 SMTP connection from root D=q.qqqs closed by QUIT",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(1501440665, 712000) /* date -u -d '2017-07-30 18:51:05' */,
	 .f = {[F_REPLY] = "closed by QUIT"}},
	{"1999-03-02 09:44:33 no MAIL in SMTP connection from (x.y.z) [127.0.0.1] D=qqs C=EHLO,VRFY,QUIT",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_CLIENT_IP] = "127.0.0.1", [F_HELO] = "x.y.z", [F_REPLY] = "no MAIL in SMTP connection",
	       [F_DETAIL] = "D=qqs C=EHLO,VRFY,QUIT"}},
	{.line = "2017-07-30 18:51:05.712 Start queue run: pid=p1235", .res = PARSE_SKIP},
	{.line = "1999-03-02 09:44:33 End queue run: pid=p1234 -qf", .res = PARSE_SKIP},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 => usery@test.ex F=<他们为什么不说中文@hebrew.למההםפשוטלאמדבריםעברית.com> R=rmt T=rmt_smtp H=127.0.0.1 [127.0.0.1] C=\"250 OK id=10HmaY-000000005vi-0000\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, LT, 250, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_LINK] = "10HmaY-000000005vi-0000",
	       [F_SENDER] = "他们为什么不说中文@hebrew.למההםפשוטלאמדבריםעברית.com", [F_RCPT] = "usery@test.ex",
	       [F_RELAY] = "127.0.0.1 [127.0.0.1]", [F_REPLY] = "250 OK id=10HmaY-000000005vi-0000",
	       [F_DETAIL] = "R=rmt T=rmt_smtp"}},
	{"1999-03-02 09:44:33 [1242] 10HmbR-000000005vi-0000 <= CALLER@myhost.test.ex U=CALLER P=local S=sss",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 1242, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbR-000000005vi-0000", [F_SENDER] = "CALLER@myhost.test.ex",
	       [F_PROTO] = "local", [F_DETAIL] = "U=CALLER"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 => |/bin/sh -c \"cat >TESTSUITE/test-mail/pipe\" <pipe@test.ex> R=forward T=pipe",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_RCPT] = "|/bin/sh -c \"cat >TESTSUITE/test-mail/pipe\"",
	       [F_ORIG_RCPT] = "pipe@test.ex", [F_RELAY] = "pipe", [F_DETAIL] = "R=forward T=pipe"}},
	{"1999-03-02 09:44:33 10HmaZ-000000005vi-0000 => withlogging@l-sec.test.ex R=client T=send_to_server H=l-sec.test.ex DS [127.0.0.1] C=\"250 OK id=10HmbA-000000005vi-0000\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, LT, 250, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaZ-000000005vi-0000", [F_LINK] = "10HmbA-000000005vi-0000",
	       [F_RCPT] = "withlogging@l-sec.test.ex", [F_RELAY] = "l-sec.test.ex DS [127.0.0.1]",
	       [F_REPLY] = "250 OK id=10HmbA-000000005vi-0000", [F_DETAIL] = "R=client T=send_to_server"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 => testx@cname46.test.ex F=<CALLER@the.local.host.name> R=all T=out H=localhost.test.ex [::1] C=\"250 OK id=10HmaZ-000000005vi-0000\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, LT, 250, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_LINK] = "10HmaZ-000000005vi-0000",
	       [F_SENDER] = "CALLER@the.local.host.name", [F_RCPT] = "testx@cname46.test.ex",
	       [F_RELAY] = "localhost.test.ex [::1]", [F_REPLY] = "250 OK id=10HmaZ-000000005vi-0000",
	       [F_DETAIL] = "R=all T=out"}},
	{"1999-03-02 09:44:33 10HmbA-000000005vi-0000 ** userq@test.ex R=r0 T=t1 H=127.0.0.1 [127.0.0.1] : PRDR error after DATA: 550 second rcpt does not like content",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 550, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmbA-000000005vi-0000", [F_RCPT] = "userq@test.ex",
	       [F_RELAY] = "127.0.0.1 [127.0.0.1]",
	       [F_REPLY] = "PRDR error after DATA: 550 second rcpt does not like content",
	       [F_DETAIL] = "R=r0 T=t1"}},
	{"1999-03-02 09:44:33 10HmaY-000000005vi-0000 <= CALLER@myhost.test.ex H=localhost (myhost.test.ex) [127.0.0.1] P=esmtpa A=sasl1:ph10 S=sss id=E10HmaX-000000005vi-0000@myhost.test.ex",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaY-000000005vi-0000", [F_SENDER] = "CALLER@myhost.test.ex",
	       [F_CLIENT_HOST] = "localhost", [F_CLIENT_IP] = "127.0.0.1", [F_HELO] = "myhost.test.ex",
	       [F_AUTH] = "ph10", [F_MSGID] = "E10HmaX-000000005vi-0000@myhost.test.ex",
	       [F_PROTO] = "esmtpa"}},
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 <= userx@test.ex H=(rhu.barb) [10.0.0.0] U=CALLER P=esmtpa A=plain S=sss",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_SENDER] = "userx@test.ex",
	       [F_CLIENT_IP] = "10.0.0.0", [F_HELO] = "rhu.barb", [F_AUTH] = "plain",
	       [F_PROTO] = "esmtpa", [F_DETAIL] = "U=CALLER"}},
	/* C= with an escaped backslash: \\n in the log is the two characters \n */
	{"1999-03-02 09:44:33 10HmaX-000000005vi-0000 => za@test.ex <zza@test.ex> R=fwd T=tsmtp H=127.0.0.1 [127.0.0.1] K C=\"250- 3nn byte chunk, total 3nn\\\\n250 OK id=10HmaY-000000005vi-0000\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, LT, 250, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_QID] = "10HmaX-000000005vi-0000", [F_LINK] = "10HmaY-000000005vi-0000",
	       [F_RCPT] = "za@test.ex", [F_ORIG_RCPT] = "zza@test.ex", [F_RELAY] = "127.0.0.1 [127.0.0.1]",
	       [F_REPLY] = "250- 3nn byte chunk, total 3nn\\n250 OK id=10HmaY-000000005vi-0000",
	       [F_DETAIL] = "R=fwd T=tsmtp"}},
	{"1999-03-02 09:44:33 TLS error on connection from (rhu.barb) [ip4.ip4.ip4.ip4] (gnutls_handshake): The peer did not send any certificate.",
	 PARSE_OK, EV_TLS, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */,
	 .f = {[F_CLIENT_IP] = "ip4.ip4.ip4.ip4", [F_HELO] = "rhu.barb",
	       [F_REPLY] = "(gnutls_handshake): The peer did not send any certificate."}},
	{"1999-03-02 09:44:33 [1238] ACL quit",
	 PARSE_OK, EV_UNKNOWN, OUT_NONE, LINK_NONE, LT, 0, 1238, .ts = TS(920367873, 0) /* date -u -d '1999-03-02 09:44:33' */},
	{"2017-07-30 18:51:05.712 [1240] 10HmbL-000000005vi-0000 msg",
	 PARSE_OK, EV_UNKNOWN, OUT_NONE, LINK_NONE, LT, 0, 1240, .ts = TS(1501440665, 712000) /* date -u -d '2017-07-30 18:51:05' */,
	 .f = {[F_QID] = "10HmbL-000000005vi-0000"}},

	/* ---- logstash-patterns-core_exim_spec.log */
	{"2010-09-13 05:00:13 [1487] 1Ov4tU-0000Nz-Rm <= mailling.list@domain.com H=mailhost.domain.com [208.42.54.2]:51792 I=[67.215.162.175]:25 P=esmtps X=TLSv1:AES256-SHA:256 CV=no S=21778 id=384a86a39e83be0d9b3a94d1feb3119f@domain.com T=\"Daily List: Chameleon\" for user@example.com",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 1487, SZ(21778), TS(1284354013, 0) /* date -u -d '2010-09-13 05:00:13' */,
	 {[F_QID] = "1Ov4tU-0000Nz-Rm", [F_SENDER] = "mailling.list@domain.com",
	  [F_RCPTS] = "user@example.com", [F_CLIENT_HOST] = "mailhost.domain.com",
	  [F_CLIENT_IP] = "208.42.54.2", [F_MSGID] = "384a86a39e83be0d9b3a94d1feb3119f@domain.com",
	  [F_SUBJECT] = "Daily List: Chameleon", [F_PROTO] = "esmtps"}},
	{"2020-02-11 17:09:46 1j1Z2g-00Faoy-Uh <= example@strawberry.active-ns.com U=example P=local T=\"[Examples Galore] Please moderate: \\\"Hello world!\\\"\" for admin@example.net",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 0, .ts = TS(1581440986, 0) /* date -u -d '2020-02-11 17:09:46' */,
	 .f = {[F_QID] = "1j1Z2g-00Faoy-Uh", [F_SENDER] = "example@strawberry.active-ns.com",
	       [F_RCPTS] = "admin@example.net",
	       [F_SUBJECT] = "[Examples Galore] Please moderate: \"Hello world!\"",
	       [F_PROTO] = "local", [F_DETAIL] = "U=example"}},
	{"2014-08-10 11:18:35 [28107] 1gsu1C-003dCu-Hb <= aaron@domain.com H=localhost (10.5.40.204) [127.0.0.1]:39753 I=[127.0.0.1]:25 P=esmtpa A=dovecot_plain:aaron@domain.com S=4315 M8S=0 id=d2b648f00f1a1b0813c483d552778dc6@domain.com T=\"what's up?!? ;-)\" for aaron+forward@domain.com",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 28107, SZ(4315), TS(1407669515, 0) /* date -u -d '2014-08-10 11:18:35' */,
	 {[F_QID] = "1gsu1C-003dCu-Hb", [F_SENDER] = "aaron@domain.com",
	  [F_RCPTS] = "aaron+forward@domain.com", [F_CLIENT_HOST] = "localhost",
	  [F_CLIENT_IP] = "127.0.0.1", [F_HELO] = "10.5.40.204", [F_AUTH] = "aaron@domain.com",
	  [F_MSGID] = "d2b648f00f1a1b0813c483d552778dc6@domain.com", [F_SUBJECT] = "what's up?!? ;-)",
	  [F_PROTO] = "esmtpa"}},
	{"2020-02-11 17:09:47 1j1Z2g-00Faoy-Uh ** admin@example.net R=virtual_aliases: No such person at this address.",
	 PARSE_OK, EV_BOUNCED, OUT_BOUNCED, LINK_NONE, LT, 0, 0, .ts = TS(1581440987, 0) /* date -u -d '2020-02-11 17:09:47' */,
	 .f = {[F_QID] = "1j1Z2g-00Faoy-Uh", [F_RCPT] = "admin@example.net",
	       [F_REPLY] = "No such person at this address.", [F_DETAIL] = "R=virtual_aliases"}},

	/* ---- pastebin-tBX0RZJd_cpanel-exigrep.log */
	{"2018-07-15 12:48:11 1fefVb-0004tv-AC <= no-reply@allvirtualshosting.tk U=avh P=local S=10330 id=942439db8e4e9c911aab9d893fc08bac@www.allvirtualhosting.tk T=\"Welcome\" for alan.johnston@allvirtualsocial.com",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 0, SZ(10330), TS(1531658891, 0) /* date -u -d '2018-07-15 12:48:11' */,
	 {[F_QID] = "1fefVb-0004tv-AC", [F_SENDER] = "no-reply@allvirtualshosting.tk",
	  [F_RCPTS] = "alan.johnston@allvirtualsocial.com",
	  [F_MSGID] = "942439db8e4e9c911aab9d893fc08bac@www.allvirtualhosting.tk",
	  [F_SUBJECT] = "Welcome", [F_PROTO] = "local", [F_DETAIL] = "U=avh"}},
	{"2018-07-15 12:48:18 1fefVb-0004tv-AC => alan.johnston@allvirtualsocial.com R=dkim_lookuphost T=dkim_remote_smtp H=mail.allvirtualsocial.com [159.65.94.188] X=TLSv1.2:DHE-RSA-AES256-GCM-SHA384:256 CV=yes C=\"250 2.0.0 Ok: queued as 385EB81403\"",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NEXT_HOP, LT, 250, 0, .ts = TS(1531658898, 0) /* date -u -d '2018-07-15 12:48:18' */,
	 .f = {[F_QID] = "1fefVb-0004tv-AC", [F_LINK] = "385EB81403",
	       [F_RCPT] = "alan.johnston@allvirtualsocial.com",
	       [F_RELAY] = "mail.allvirtualsocial.com [159.65.94.188]", [F_DSN] = "2.0.0",
	       [F_REPLY] = "250 2.0.0 Ok: queued as 385EB81403",
	       [F_DETAIL] = "R=dkim_lookuphost T=dkim_remote_smtp"}},
	{"2018-07-15 18:30:17 1fekqf-00088g-Ra <= no-reply@allvirtualshosting.tk H=(www.allvirtualhosting.tk) [209.97.191.180]:49466 P=esmtpsa X=TLSv1.2:ECDHE-RSA-AES128-GCM-SHA256:128 CV=no A=dovecot_login:no-reply@allvirtualhosting.tk S=9645 id=44c362feb3090940d96e595b519e7a65@www.allvirtualhosting.tk T=\"Confirm Your Registration\" for alan.johnston@allvirtualsocial.com",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, LT, 0, 0, SZ(9645), TS(1531679417, 0) /* date -u -d '2018-07-15 18:30:17' */,
	 {[F_QID] = "1fekqf-00088g-Ra", [F_SENDER] = "no-reply@allvirtualshosting.tk",
	  [F_RCPTS] = "alan.johnston@allvirtualsocial.com", [F_CLIENT_IP] = "209.97.191.180",
	  [F_HELO] = "www.allvirtualhosting.tk", [F_AUTH] = "no-reply@allvirtualhosting.tk",
	  [F_MSGID] = "44c362feb3090940d96e595b519e7a65@www.allvirtualhosting.tk",
	  [F_SUBJECT] = "Confirm Your Registration", [F_PROTO] = "esmtpsa"}},
	{"2018-07-15 12:48:11 1fefVb-0004tv-AC Sender identification U=avh D=allvirtualhosting.tk S=avh",
	 PARSE_OK, EV_NOTE, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(1531658891, 0) /* date -u -d '2018-07-15 12:48:11' */,
	 .f = {[F_QID] = "1fefVb-0004tv-AC",
	       [F_DETAIL] = "Sender identification U=avh D=allvirtualhosting.tk S=avh"}},

	/* ---- renoirb-blog_directadmin-exim-debug.log: the -v echo has no stamp */
	{.line = "  => support <support@renoirboulanger.com> F=<renoirb@web1.renoirboulanger.com> R=virtual_user T=virtual_localdelivery S=571",
	 .res = PARSE_NOMATCH},
	/* assembled: the renoirb DirectAdmin body behind the support guide's mainlog prefix */
	{"2021-10-07 08:00:05.746 [23142] 1mYMRt-00061G-Nx => support <support@renoirboulanger.com> F=<renoirb@web1.renoirboulanger.com> R=virtual_user T=virtual_localdelivery S=571",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, LT, 0, 23142, SZ(571),
	 TS(1633593605, 746000) /* date -u -d '2021-10-07 08:00:05' */,
	 {[F_QID] = "1mYMRt-00061G-Nx", [F_SENDER] = "renoirb@web1.renoirboulanger.com",
	  [F_RCPT] = "support", [F_ORIG_RCPT] = "support@renoirboulanger.com",
	  [F_RELAY] = "virtual_localdelivery", [F_DETAIL] = "R=virtual_user T=virtual_localdelivery"}},

	/* ---- mailgraph-pr19_exim-syslog.log: syslog prefix, Exim's own stamp wins */
	{"May 23 10:28:30 mx01 exim[27789]: 2019-05-23 10:28:30 1hTohn-0007EB-Nq Completed",
	 PARSE_OK, EV_DONE, OUT_NONE, LINK_NONE, LT, 0, 27789, .ts = TS(1558607310, 0) /* date -u -d '2019-05-23 10:28:30' */,
	 .f = {[F_HOST] = "mx01", [F_PROG] = "exim", [F_QID] = "1hTohn-0007EB-Nq"}},
	/* ---- FORMATS.md §1.1 (pastebin.com/xe52Ud13, as quoted there): plain syslog, no year */
	{"Feb 19 22:41:18 ns1 exim[47994]: 1PqsgA-000CU6-GO <= root@... U=root P=local S=1457 from <root@...> for snorov@gmail.com",
	 PARSE_OK, EV_QUEUED, OUT_QUEUED, LINK_NONE, SYSLOG_FLAGS, 0, 47994, SZ(1457),
	 TS(951000078, 0) /* date -u -d '2000-02-19 22:41:18' */,
	 {[F_HOST] = "ns1", [F_PROG] = "exim", [F_QID] = "1PqsgA-000CU6-GO", [F_SENDER] = "root@...",
	  [F_RCPTS] = "snorov@gmail.com", [F_PROTO] = "local", [F_DETAIL] = "U=root"}},

	/* ---- fail2ban_exim-spam.log / fail2ban_exim.log */
	{"2013-06-15 11:19:33 [2249] H=([2.181.148.95]) [2.181.148.95]:52391 I=[1.2.3.4]:25 F=fantasizesg4@google.com rejected RCPT some@email.com: rejected found in dnsbl zen.spamhaus.org",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 2249, .ts = TS(1371295173, 0) /* date -u -d '2013-06-15 11:19:33' */,
	 .f = {[F_SENDER] = "fantasizesg4@google.com", [F_RCPT] = "some@email.com",
	       [F_REPLY] = "rejected found in dnsbl zen.spamhaus.org", [F_CLIENT_IP] = "2.181.148.95",
	       [F_HELO] = "[2.181.148.95]"}},
	{"2013-06-15 11:20:36 [2516] 1Unmew-0000ea-SE H=egeftech.static.otenet.gr [83.235.177.148]:32706 I=[1.2.3.4]:25 F=auguriesvbd40@google.com rejected after DATA: This message contains a virus (Sanesecurity.Junk.39934.UNOFFICIAL).",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 2516, .ts = TS(1371295236, 0) /* date -u -d '2013-06-15 11:20:36' */,
	 .f = {[F_QID] = "1Unmew-0000ea-SE", [F_SENDER] = "auguriesvbd40@google.com",
	       [F_REPLY] = "This message contains a virus (Sanesecurity.Junk.39934.UNOFFICIAL).",
	       [F_CLIENT_HOST] = "egeftech.static.otenet.gr", [F_CLIENT_IP] = "83.235.177.148"}},
	{"2013-12-30 00:24:50 1VxPit-000MMd-U4 SA: Action: flagged as Spam but accepted: score=8.2 required=5.0 (scanned in 6/6 secs | Message-Id: 008701cf04ed_24497d70_6cdc7850_@xxx.xx). From <spammer@xxx.xx> (host=ip-4.net-3-2-1.rev.xxx.xx [178.123.108.196]) for trap@example.com",
	 PARSE_OK, EV_FILTER, OUT_NONE, LINK_NONE, LT, 0, 0, .ts = TS(1388363090, 0) /* date -u -d '2013-12-30 00:24:50' */,
	 .f = {[F_QID] = "1VxPit-000MMd-U4",
	       [F_DETAIL] = "Action: flagged as Spam but accepted: score=8.2 required=5.0 (scanned in 6/6 secs | Message-Id: 008701cf04ed_24497d70_6cdc7850_@xxx.xx). From <spammer@xxx.xx> (host=ip-4.net-3-2-1.rev.xxx.xx [178.123.108.196]) for trap@example.com"}},
	{"mail.example.com exim[3751842]: 2021-07-17 23:20:49 plain_server authenticator failed for ([192.0.2.17]) [192.0.2.27]: 535 Incorrect authentication data",
	 PARSE_OK, EV_AUTH_FAIL, OUT_NONE, LINK_NONE, LT, 535, 3751842, .ts = TS(1626564049, 0) /* date -u -d '2021-07-17 23:20:49' */,
	 .f = {[F_HOST] = "mail.example.com", [F_PROG] = "exim",
	       [F_REPLY] = "535 Incorrect authentication data", [F_CLIENT_IP] = "192.0.2.27",
	       [F_HELO] = "[192.0.2.17]", [F_DETAIL] = "plain_server"}},
	{"2016-04-01 11:08:00 info exim[8001]: [8001] no MAIL in SMTP connection from (User) [192.0.2.29]:20042 I=[192.0.2.1]:25 Ci=8001 D=0.349s C=EHLO,AUTH,QUIT",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, LT, 0, 8001, .ts = TS(1459508880, 0) /* date -u -d '2016-04-01 11:08:00' */,
	 .f = {[F_HOST] = "info", [F_PROG] = "exim", [F_REPLY] = "no MAIL in SMTP connection",
	       [F_CLIENT_IP] = "192.0.2.29", [F_HELO] = "User",
	       [F_DETAIL] = "I=[192.0.2.1]:25 Ci=8001 D=0.349s C=EHLO,AUTH,QUIT"}},
	{"2016-03-21 04:07:49 [25874] 1ahr79-0006jK-G9 SMTP connection from (voyeur.webair.com) [174.137.147.204]:44884 I=[172.89.0.6]:25 closed by DROP in ACL",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, LT, 0, 25874, .ts = TS(1458533269, 0) /* date -u -d '2016-03-21 04:07:49' */,
	 .f = {[F_QID] = "1ahr79-0006jK-G9", [F_REPLY] = "closed by DROP in ACL",
	       [F_CLIENT_IP] = "174.137.147.204", [F_HELO] = "voyeur.webair.com"}},
	{"2013-06-02 09:22:05 [19591] SMTP call from pc012-6201.spo.scu.edu.tw [163.14.21.161]:3767 I=[1.2.3.4]:25 dropped: too many nonmail commands (last was \"RSET\")",
	 PARSE_OK, EV_DISCONNECT, OUT_NONE, LINK_NONE, LT, 0, 19591, .ts = TS(1370164925, 0) /* date -u -d '2013-06-02 09:22:05' */,
	 .f = {[F_REPLY] = "too many nonmail commands (last was \"RSET\")",
	       [F_CLIENT_HOST] = "pc012-6201.spo.scu.edu.tw", [F_CLIENT_IP] = "163.14.21.161"}},
	{"2022-04-03 21:53:54 H=[192.0.2.101]:62839 dropped by 'connect' ACL: Country is banned",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(1649022834, 0) /* date -u -d '2022-04-03 21:53:54' */,
	 .f = {[F_REPLY] = "Country is banned", [F_CLIENT_IP] = "192.0.2.101"}},
	{"2013-06-10 10:10:59 H=ufficioestampa.it (srv.ufficioestampa.it) [193.169.56.211] sender verify fail for <user@example.com>: Unrouteable address",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(1370859059, 0) /* date -u -d '2013-06-10 10:10:59' */,
	 .f = {[F_SENDER] = "user@example.com", [F_REPLY] = "Unrouteable address",
	       [F_CLIENT_HOST] = "ufficioestampa.it", [F_CLIENT_IP] = "193.169.56.211",
	       [F_HELO] = "srv.ufficioestampa.it"}},

	/* ---- crowdsec_exim-logs_exim-logs.log / crowdsec_exim-syslog-logs_exim-logs.log */
	{"2022-06-29 16:07:05 dovecot_login authenticator failed for ppp-1-2-3-4.test.test.co.th ([127.0.0.1]) [1.2.3.4]:51451: 535 Incorrect authentication data (set_id=info@test.com)",
	 PARSE_OK, EV_AUTH_FAIL, OUT_NONE, LINK_NONE, LT, 535, 0, .ts = TS(1656518825, 0) /* date -u -d '2022-06-29 16:07:05' */,
	 .f = {[F_REPLY] = "535 Incorrect authentication data (set_id=info@test.com)",
	       [F_CLIENT_HOST] = "ppp-1-2-3-4.test.test.co.th", [F_CLIENT_IP] = "1.2.3.4",
	       [F_HELO] = "[127.0.0.1]", [F_AUTH] = "info@test.com", [F_DETAIL] = "dovecot_login"}},
	{"2022-06-29 15:33:46 H=test.com [1.2.3.4]:53343 F=<info@test.com> rejected RCPT <toto@toto.com>: \"JunkMail rejected - test.com [1.2.3.4]:53343 is in an RBL: https://www.spamhaus.org/sbl/query/SBLCSS\"",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(1656516826, 0) /* date -u -d '2022-06-29 15:33:46' */,
	 .f = {[F_SENDER] = "info@test.com", [F_RCPT] = "toto@toto.com",
	       [F_REPLY] = "\"JunkMail rejected - test.com [1.2.3.4]:53343 is in an RBL: https://www.spamhaus.org/sbl/query/SBLCSS\"",
	       [F_CLIENT_HOST] = "test.com", [F_CLIENT_IP] = "1.2.3.4"}},
	{"2022-06-29 14:33:43 H=test.sa.com [1.2.3.4]:18146 temporarily rejected connection in \"connect\" ACL: \"Host is ratelimited (1.9/1h max:1.2)\"",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, LT, 0, 0, .ts = TS(1656513223, 0) /* date -u -d '2022-06-29 14:33:43' */,
	 .f = {[F_REPLY] = "\"Host is ratelimited (1.9/1h max:1.2)\"", [F_CLIENT_HOST] = "test.sa.com",
	       [F_CLIENT_IP] = "1.2.3.4"}},
	{"2023-05-30 06:10:13.345 login authenticator failed for millis.example.org [192.0.2.12]:5432: 535 Incorrect authentication data (set_id=user)",
	 PARSE_OK, EV_AUTH_FAIL, OUT_NONE, LINK_NONE, LT, 535, 0, .ts = TS(1685427013, 345000) /* date -u -d '2023-05-30 06:10:13' */,
	 .f = {[F_REPLY] = "535 Incorrect authentication data (set_id=user)",
	       [F_CLIENT_HOST] = "millis.example.org", [F_CLIENT_IP] = "192.0.2.12", [F_AUTH] = "user",
	       [F_DETAIL] = "login"}},
	{"Jun 29 15:47:21 server exim[1234]: H=tata.test.biz [1.2.3.4]:41584 X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no F=<nico@test.biz> rejected RCPT <titi@alpacas.com.au>: Sender verify failed",
	 PARSE_OK, EV_REJECT, OUT_REJECTED, LINK_NONE, SYSLOG_FLAGS, 0, 1234, .ts = TS(962293641, 0) /* date -u -d '2000-06-29 15:47:21' */,
	 .f = {[F_HOST] = "server", [F_PROG] = "exim", [F_SENDER] = "nico@test.biz",
	       [F_RCPT] = "titi@alpacas.com.au", [F_REPLY] = "Sender verify failed",
	       [F_CLIENT_HOST] = "tata.test.biz", [F_CLIENT_IP] = "1.2.3.4"}},

	/* ---- exim_exporter-pr1_millisec-pid.log (recipient and tail anonymised by its author) */
	{"2020-10-29 20:22:59.803 [30056] 1kYERi-0007oc-5P => user@example.com ...",
	 PARSE_OK, EV_DELIVERED, OUT_DELIVERED, LINK_NONE, LT, 0, 30056, .ts = TS(1604002979, 803000) /* date -u -d '2020-10-29 20:22:59' */,
	 .f = {[F_QID] = "1kYERi-0007oc-5P", [F_RCPT] = "user@example.com"}},

	/* ---- directadmin/support-guide_line.txt (a DirectAdmin logwrite line; the guide cuts it) */
	{"2021-10-07 08:00:05.746 [23142] 1mYMRt-00061G-Nx DKIM TEST: ",
	 PARSE_OK, EV_DKIM, OUT_NONE, LINK_NONE, LT, 0, 23142, .ts = TS(1633593605, 746000) /* date -u -d '2021-10-07 08:00:05' */,
	 .f = {[F_QID] = "1mYMRt-00061G-Nx", [F_DETAIL] = "DKIM TEST:"}},
	/* assembled: portsbuild_exim_logwrite_texts.txt templates behind the support guide's prefix */
	{"2021-10-07 08:00:05.746 [23142] 1mYMRt-00061G-Nx DKIM: Failed. reason='signature_incorrect'",
	 PARSE_OK, EV_DKIM, OUT_NONE, LINK_NONE, LT, 0, 23142, .ts = TS(1633593605, 746000) /* date -u -d '2021-10-07 08:00:05' */,
	 .f = {[F_QID] = "1mYMRt-00061G-Nx", [F_DETAIL] = "Failed. reason='signature_incorrect'"}},
	{"2021-10-07 08:00:05.746 [23142] 1mYMRt-00061G-Nx ESF score is 12 / 100",
	 PARSE_OK, EV_UNKNOWN, OUT_NONE, LINK_NONE, LT, 0, 23142, .ts = TS(1633593605, 746000) /* date -u -d '2021-10-07 08:00:05' */,
	 .f = {[F_QID] = "1mYMRt-00061G-Nx"}},
	{"2021-10-07 08:00:05.746 [23142] 192.0.2.1 whitelisted in local hosts whitelist",
	 PARSE_OK, EV_UNKNOWN, OUT_NONE, LINK_NONE, LT, 0, 23142, .ts = TS(1633593605, 746000) /* date -u -d '2021-10-07 08:00:05' */},
};

static int field_eq(struct slice s, const char *want)
{
	size_t n = strlen(want);
	return s.n == n && (n == 0 || memcmp(s.p, want, n) == 0);
}

static void pline_reset(struct pline *o)
{
	memset(o, 0, sizeof *o);
	o->size = -1;
}

/* Parse a heap copy of exactly len bytes + NUL, so ASan sees overreads. */
static enum parse_result parse_copy(void *st, const char *line, size_t len, struct pline *o,
				    const char **why, char **copy)
{
	*copy = malloc(len + 1);
	assert_non_null(*copy);
	memcpy(*copy, line, len);
	(*copy)[len] = '\0';
	pline_reset(o);
	*why = NULL;
	return parser_exim.line(st, *copy, len, o, why);
}

static int check_case(void *st, const struct line_case *c)
{
	struct pline o;
	const char *why;
	char *copy;
	int bad = 0;
	enum parse_result r = parse_copy(st, c->line, strlen(c->line), &o, &why, &copy);
#define EXPECT(cond, ...)                                                          \
	do {                                                                       \
		if (!(cond)) {                                                     \
			if (!bad)                                                  \
				print_error("\nline: %s\n", c->line);              \
			print_error("  " __VA_ARGS__);                             \
			bad = 1;                                                   \
		}                                                                  \
	} while (0)
	EXPECT(r == c->res, "result %d, want %d\n", r, c->res);
	if (r == PARSE_OK && c->res == PARSE_OK) {
		int64_t want_size = c->has_size ? c->size : -1;
		EXPECT(o.kind == c->kind, "kind %s, want %s\n", ev_kind_name(o.kind), ev_kind_name(c->kind));
		EXPECT(o.outcome == c->outcome, "outcome %s, want %s\n", outcome_name(o.outcome),
		       outcome_name(c->outcome));
		EXPECT(o.link == c->link, "link %u, want %u\n", o.link, (unsigned)c->link);
		EXPECT(o.flags == c->flags, "flags %u, want %u\n", o.flags, c->flags);
		EXPECT(o.smtp_code == c->code, "smtp_code %u, want %u\n", o.smtp_code, c->code);
		EXPECT(o.pid == c->pid, "pid %u, want %u\n", o.pid, c->pid);
		EXPECT(o.size == want_size, "size %lld, want %lld\n", (long long)o.size,
		       (long long)want_size);
		EXPECT(o.ts_us == c->ts, "ts %lld, want %lld\n", (long long)o.ts_us, (long long)c->ts);
		for (int f = 0; f < F__COUNT; f++) {
			const char *want = c->f[f] ? c->f[f] : "";
			EXPECT(field_eq(o.f[f], want), "%s = \"%.*s\", want \"%s\"\n", field_names[f],
			       (int)o.f[f].n, o.f[f].p ? o.f[f].p : "", want);
		}
	}
	if (r == PARSE_BAD)
		EXPECT(why != NULL, "PARSE_BAD without a reason\n");
#undef EXPECT
	free(copy);
	return bad;
}

static void test_sample_lines(void **unused)
{
	(void)unused;
	void *st = parser_exim.begin();
	assert_non_null(st);
	int failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		failed += check_case(st, &cases[i]);
	parser_exim.end(st);
	assert_true(sizeof cases / sizeof cases[0] >= 40);
	assert_int_equal(failed, 0);
}

/* ---- probe ----------------------------------------------------------- */

static int probe_of(const char *const *lines, size_t n)
{
	size_t lens[64];
	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(lines[i]);
	return parser_exim.probe(lines, lens, n);
}
#define PROBE(arr) probe_of(arr, sizeof arr / sizeof arr[0])

static void test_probe_exim(void **unused)
{
	(void)unused;
	/* gvengel_exim_exporter_mainlog.log, first lines */
	static const char *const mainlog[] = {
		"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386",
		"2020-06-19 04:54:02 1jmFYj-00039V-QX H=null.corp [6.6.6.6] Connection timed out",
		"2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out",
		"2020-06-19 04:54:02 1jmFYj-00039V-QX ** bob@null.corp: retry timeout exceeded",
		"2020-06-19 04:54:02 1jmFas-0004f6-EB <= <> R=1jmFYj-00039V-QX U=Debian-exim P=local S=8656",
		"2020-06-19 04:54:02 [456] 1jmFYj-00039V-QX Completed",
	};
	/* crowdsec_exim-syslog-logs_exim-logs.log: Exim via syslog, no ids */
	static const char *const syslog_noid[] = {
		"Jun 29 16:04:19 server exim[1234]: dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=abuse@test.com)",
		"Jun 29 15:33:46 server exim[1234]: H=test.com [1.2.3.4]:53343 F=<info@test.com> rejected RCPT <toto@toto.com>: \"JunkMail rejected - test.com [1.2.3.4]:53343 is in an RBL: https://www.spamhaus.org/sbl/query/SBLCSS\"",
		"Jun 29 14:33:43 server exim[1234]: H=test.sa.com [1.2.3.4]:18146 temporarily rejected connection in \"connect\" ACL: \"Host is ratelimited (1.9/1h max:1.2)\"",
	};
	/* mailgraph-pr19_exim-syslog.log */
	static const char *const mailgraph[] = {
		"May 23 10:28:30 mx01 exim[27789]: 2019-05-23 10:28:30 1hTohn-0007EB-Nq Completed",
	};
	/* crowdsec_exim-logs_exim-logs.log: plain file, rejections and auth failures only */
	static const char *const rejects[] = {
		"2022-06-29 16:04:19 dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=abuse@test.com)",
		"2022-06-29 14:34:58 H=imfo.test.biz [1.2.3.4]:35328 X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no F=<jack@test.biz> rejected RCPT <sales@toto.com.au>: No Such User Here",
		"2022-06-29 15:47:21 H=tata.test.biz [1.2.3.4]:41584 sender verify fail for <toto@test.biz>: The mail server does not recognize toto@test.biz as a valid sender.",
	};
	/* assembled rejectlog: the gvengel rejectlog line followed by the header
	 * dump Exim writes after it (FORMATS.md §1.1: flag char, space, header) */
	static const char *const rejectlog[] = {
		"2020-06-13 16:49:49 H=(test.corp) [1.1.1.1] F=<noreply@test.corp> rejected RCPT <error!@dummy.corp>: restricted characters in address",
		"Envelope-from: <noreply@test.corp>",
		"Envelope-to: <error!@dummy.corp>",
		"P Received: from [1.1.1.1] (helo=test.corp)",
		"F From: noreply@test.corp",
		"  Subject: test",
	};
	assert_true(PROBE(mainlog) >= 90);
	assert_true(PROBE(syslog_noid) >= 70);
	assert_true(PROBE(mailgraph) >= 90);
	assert_true(PROBE(rejects) >= 70);
	assert_true(PROBE(rejectlog) >= 70);
}

static void test_probe_not_exim(void **unused)
{
	(void)unused;
	/* postfix/fail2ban_postfix.log: traditional syslog */
	static const char *const postfix_syslog[] = {
		"Feb 21 09:21:54 xxx postfix/smtpd[14398]: NOQUEUE: reject: RCPT from example.com[192.0.43.10]: 450 4.7.1 : Helo command rejected: Host not found; from=<> to=<> proto=ESMTP helo=",
		"Jul 12 07:47:48 saturn postfix/smtpd[8738]: NOQUEUE: reject: RCPT from 1-2-3-4-example.com[1.2.3.4]: 554 5.7.1 <smtp@example.com>: Relay access denied; from=<john@example.com> to=<smtp@example.org> proto=SMTP helo=<198.51.100.17>",
		"Feb 11 16:49:24 letterman postfix/qmgr[8204]: AAB4D259B1: removed",
	};
	/* postfix/pixelpark_postfix-logsums_test_mail.log.curated.log: RFC 3339 */
	static const char *const postfix_iso[] = {
		"2023-03-14T00:07:31.187034+01:00 helga postfix/smtpd[297535]: connect from host1.uhu-banane.de[185.48.118.128]",
		"2023-03-14T00:07:31.233207+01:00 helga postfix/smtpd[297535]: disconnect from host1.uhu-banane.de[185.48.118.128] ehlo=2 starttls=1 quit=1 commands=4",
	};
	/* google-workspace/els_export_header_and_values.csv */
	static const char *const gws_csv[] = {
		"Message ID,Start date,End date,Sender,Message size,Subject,Direction,Attachments,Recipient address,Event target,Event date,Event status,Event target IP address,Has encryption,Event SMTP reply code,Event description,Client Type,Device User Session ID",
	};
	/* assembled from directadmin/exim-pl_bytes_format.txt (the outgoing
	 * template with values filled in); it even carries an Exim id */
	static const char *const da_bytes[] = {
		"0=type=timestamp&time=1633593605",
		"1457=type=email&email=user@example.com&method=outgoing&id=1mYMRt-00061G-Nx&authenticated_id=user@example.com&sender_host_address=192.0.2.1&log_time=1633593605&message_size=1457&local_part=bob&domain=example.net&path=/home/user",
	};
	/* directadmin/fail2ban_directadmin-login.log (panel log, not mail) */
	static const char *const da_login[] = {
		"2014:07:02-00:17:45: '3.2.1.4' 2 failed login attempts. Account 'test'",
	};
	assert_int_equal(PROBE(postfix_syslog), 0);
	assert_int_equal(PROBE(postfix_iso), 0);
	assert_int_equal(PROBE(gws_csv), 0);
	assert_int_equal(PROBE(da_bytes), 0);
	assert_int_equal(PROBE(da_login), 0);
	assert_int_equal(parser_exim.probe(NULL, NULL, 0), 0);
}

/* ---- hostile input ---------------------------------------------------- */

static void test_hostile_nul_in_subject(void **unused)
{
	(void)unused;
	/* logstash spec arrival with a NUL planted inside T="..." */
	static const char line[] = "2020-02-11 17:09:46 1j1Z2g-00Faoy-Uh <= example@strawberry.active-ns.com U=example P=local T=\"ab\0cd\" for admin@example.net";
	void *st = parser_exim.begin();
	struct pline o;
	const char *why;
	char *copy;
	assert_int_equal(parse_copy(st, line, sizeof line - 1, &o, &why, &copy), PARSE_OK);
	assert_int_equal(o.kind, EV_QUEUED);
	assert_int_equal(o.f[F_SUBJECT].n, 5);
	assert_memory_equal(o.f[F_SUBJECT].p, "ab\0cd", 5);
	assert_true(field_eq(o.f[F_RCPTS], "admin@example.net"));
	free(copy);
	parser_exim.end(st);
}

static void test_hostile_unterminated_quote(void **unused)
{
	(void)unused;
	/* logstash spec line cut inside the escaped subject */
	static const char line[] = "2020-02-11 17:09:46 1j1Z2g-00Faoy-Uh <= example@strawberry.active-ns.com U=example P=local T=\"[Examples Galore] Please moderate: \\\"Hello";
	void *st = parser_exim.begin();
	struct pline o;
	const char *why;
	char *copy;
	assert_int_equal(parse_copy(st, line, sizeof line - 1, &o, &why, &copy), PARSE_OK);
	assert_int_equal(o.kind, EV_QUEUED);
	assert_true(field_eq(o.f[F_SUBJECT], "[Examples Galore] Please moderate: \"Hello"));
	assert_int_equal(o.f[F_RCPTS].n, 0);
	free(copy);

	/* a C="..." left open on a delivery */
	static const char line2[] = "2018-07-15 12:48:18 1fefVb-0004tv-AC => alan.johnston@allvirtualsocial.com R=dkim_lookuphost T=dkim_remote_smtp H=mail.allvirtualsocial.com [159.65.94.188] C=\"250 2.0.0 Ok: queued as 385EB81403";
	assert_int_equal(parse_copy(st, line2, sizeof line2 - 1, &o, &why, &copy), PARSE_OK);
	assert_int_equal(o.kind, EV_DELIVERED);
	assert_true(field_eq(o.f[F_REPLY], "250 2.0.0 Ok: queued as 385EB81403"));
	assert_true(field_eq(o.f[F_LINK], "385EB81403"));
	free(copy);
	parser_exim.end(st);
}

static void test_hostile_cut_lines(void **unused)
{
	(void)unused;
	void *st = parser_exim.begin();
	struct pline o;
	const char *why;
	char *copy;
	/* gvengel mainlog lines cut right after the flag */
	static const char *const cut_flag[] = {
		"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <=",
		"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= ",
		"2020-06-19 06:26:02 1jmH1s-000AVD-5t =>",
		"2020-06-19 04:54:02 1jmFYj-00039V-QX **",
		"2020-06-19 04:54:02 1jmFYj-00039V-QX ==",
	};
	for (size_t i = 0; i < sizeof cut_flag / sizeof cut_flag[0]; i++) {
		assert_int_equal(parse_copy(st, cut_flag[i], strlen(cut_flag[i]), &o, &why, &copy),
				 PARSE_BAD);
		assert_non_null(why);
		free(copy);
	}
	/* cut after the id: kept, the id must not be lost */
	assert_int_equal(parse_copy(st, "2020-06-19 04:54:02 1jmFYj-00039V-QX", 36, &o, &why, &copy),
			 PARSE_OK);
	assert_int_equal(o.kind, EV_UNKNOWN);
	assert_true(field_eq(o.f[F_QID], "1jmFYj-00039V-QX"));
	free(copy);
	/* cut after the stamp, and inside it */
	assert_int_equal(parse_copy(st, "2020-06-19 04:54:02", 19, &o, &why, &copy), PARSE_BAD);
	free(copy);
	assert_int_equal(parse_copy(st, "2020-06-19 04:5", 15, &o, &why, &copy), PARSE_NOMATCH);
	free(copy);
	assert_int_equal(parse_copy(st, "", 0, &o, &why, &copy), PARSE_NOMATCH);
	free(copy);
	/* a 17-character near-id is text, not an id */
	assert_int_equal(parse_copy(st, "2020-06-19 04:54:02 1jmFYj-00039V-QXX Completed", 47, &o,
				    &why, &copy),
			 PARSE_OK);
	assert_int_equal(o.f[F_QID].n, 0);
	assert_int_equal(o.kind, EV_UNKNOWN);
	free(copy);
	parser_exim.end(st);
}

static void test_hostile_invalid_utf8(void **unused)
{
	(void)unused;
	/* gvengel arrival with its names replaced by broken UTF-8 */
	static const char line[] = "2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= \xff\xfe@test.corp H=(\xc3\x28) [2.2.2.2] P=smtp S=7386 T=\"\xe2\x82\" for \x80@y";
	void *st = parser_exim.begin();
	struct pline o;
	const char *why;
	char *copy;
	assert_int_equal(parse_copy(st, line, sizeof line - 1, &o, &why, &copy), PARSE_OK);
	assert_int_equal(o.kind, EV_QUEUED);
	assert_true(field_eq(o.f[F_SENDER], "\xff\xfe@test.corp"));
	assert_true(field_eq(o.f[F_HELO], "\xc3\x28"));
	assert_true(field_eq(o.f[F_SUBJECT], "\xe2\x82"));
	assert_true(field_eq(o.f[F_RCPTS], "\x80@y"));
	assert_int_equal(o.size, 7386);
	free(copy);
	parser_exim.end(st);
}

/* Every slice must lie inside the line or the parser state. */
static void check_slices(const struct pline *o)
{
	for (int f = 0; f < F__COUNT; f++) {
		if (!o->f[f].n)
			continue;
		/* in the line or in the scratch buffer: either way reading
		 * its last byte must be valid (ASan checks this read) */
		volatile char last = o->f[f].p[o->f[f].n - 1];
		(void)last;
	}
}

static void test_hostile_megabyte_lines(void **unused)
{
	(void)unused;
	const size_t big = 1u << 20;
	static const struct {
		const char *head, *unit;
		enum parse_result res;
	} shapes[] = {
		{"2020-02-11 17:09:46 1j1Z2g-00Faoy-Uh <= a@b T=\"", "x\\\"", PARSE_OK},
		{"2020-06-19 04:54:02 1jmFYj-00039V-QX ** a@b ", "( ", PARSE_OK},
		{"2020-06-19 04:54:02 1jmFYj-00039V-QX ** a@b : ", ": ", PARSE_OK},
		{"2020-06-19 04:54:02 1jmFYj-00039V-QX => a@b C=\"", " id=1jmFYj-00039V-Q", PARSE_OK},
		{"2020-06-19 04:54:02 1jmFYj-00039V-QX => |", " <a", PARSE_OK},
		{"2020-06-19 04:54:02 H=x ", "H=(y [", PARSE_OK},
		{"2020-06-19 04:54:02 x authenticator failed for ", "([", PARSE_OK},
		{"2020-06-19 04:54:02 1jmFYj-00039V-QX <= ", " ", PARSE_BAD},
		{"Feb 19 22:41:18 ns1 ", "exim", PARSE_NOMATCH},
	};
	void *st = parser_exim.begin();
	char *buf = malloc(big + 1);
	assert_non_null(buf);
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		size_t n = strlen(shapes[i].head), ul = strlen(shapes[i].unit);
		memcpy(buf, shapes[i].head, n);
		while (n + ul <= big) {
			memcpy(buf + n, shapes[i].unit, ul);
			n += ul;
		}
		buf[n] = '\0';
		struct pline o;
		pline_reset(&o);
		const char *why = NULL;
		enum parse_result r = parser_exim.line(st, buf, n, &o, &why);
		assert_int_equal(r, shapes[i].res);
		check_slices(&o);
		const char *lines[1] = {buf};
		size_t lens[1] = {n};
		int score = parser_exim.probe(lines, lens, 1);
		assert_true(score >= 0 && score <= PROBE_MAX);
	}
	/* a huge subject full of escapes no longer fits the scratch buffer:
	 * it stays a (still escaped) slice of the line */
	{
		size_t n = 0;
		const char *head = "2020-02-11 17:09:46 1j1Z2g-00Faoy-Uh <= a@b T=\"";
		memcpy(buf, head, strlen(head));
		n = strlen(head);
		size_t s0 = n;
		for (int k = 0; k < 10000; k++) {
			buf[n++] = '\\';
			buf[n++] = '"';
		}
		size_t s1 = n;
		memcpy(buf + n, "\" for c@d", 9);
		n += 9;
		buf[n] = '\0';
		struct pline o;
		pline_reset(&o);
		const char *why = NULL;
		assert_int_equal(parser_exim.line(st, buf, n, &o, &why), PARSE_OK);
		assert_ptr_equal(o.f[F_SUBJECT].p, buf + s0);
		assert_int_equal(o.f[F_SUBJECT].n, s1 - s0);
		assert_true(field_eq(o.f[F_RCPTS], "c@d"));
	}
	free(buf);
	parser_exim.end(st);
}

/* The scratch buffer is per line: a second line must not see the first
 * line's unescaped text, and two parser states must not share it. */
static void test_scratch_is_per_state(void **unused)
{
	(void)unused;
	static const char a[] = "2020-02-11 17:09:46 1j1Z2g-00Faoy-Uh <= example@strawberry.active-ns.com U=example P=local T=\"[Examples Galore] Please moderate: \\\"Hello world!\\\"\" for admin@example.net";
	static const char b[] = "2020-02-11 17:09:46 1j1Z2g-00Faoy-Uh <= x@y U=example P=local T=\"\\\"quoted\\\"\" for z@w";
	void *s1 = parser_exim.begin(), *s2 = parser_exim.begin();
	struct pline o1, o2;
	const char *why;
	char *c1, *c2;
	assert_int_equal(parse_copy(s1, a, sizeof a - 1, &o1, &why, &c1), PARSE_OK);
	assert_int_equal(parse_copy(s2, b, sizeof b - 1, &o2, &why, &c2), PARSE_OK);
	assert_true(field_eq(o1.f[F_SUBJECT], "[Examples Galore] Please moderate: \"Hello world!\""));
	assert_true(field_eq(o2.f[F_SUBJECT], "\"quoted\""));
	free(c1);
	free(c2);
	parser_exim.end(s1);
	parser_exim.end(s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_lines),
		cmocka_unit_test(test_probe_exim),
		cmocka_unit_test(test_probe_not_exim),
		cmocka_unit_test(test_hostile_nul_in_subject),
		cmocka_unit_test(test_hostile_unterminated_quote),
		cmocka_unit_test(test_hostile_cut_lines),
		cmocka_unit_test(test_hostile_invalid_utf8),
		cmocka_unit_test(test_hostile_megabyte_lines),
		cmocka_unit_test(test_scratch_is_per_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
