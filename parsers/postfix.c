/*
 * postfix.c - Postfix maillog parser, including the dovecot and amavis
 * lines that share mail.log (FORMATS.md section 2).
 *
 * Key design decision: no regular expressions.  A maillog line is a syslog
 * prefix (three time-stamp forms, host, program[pid]) and a body whose shape
 * is fixed by the Postfix source; the body is recognised by the queue id
 * that starts it and then by its first word, using memcmp/memchr/memmem
 * only.  That keeps the parser at memory-bandwidth speed and makes every
 * accepted shape explicit below, each with a real sample line.  Fields are
 * slices into the line; the only copies (amavis recipient lists, the
 * composed delay detail) go to a fixed buffer in the per-file state, so
 * nothing is allocated per line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event.h"
#include "parser.h"
#include "timeparse.h"

#define PF_RCPTS_MAX 8192  /* amavis recipient list, space separated */
#define PF_DETAIL_MAX 160  /* "delay=D delays=a/b/c/d" */
#define PF_SUBJECT_MAX 1000

struct pf_state {
	char detail[PF_DETAIL_MAX];
	char rcpts[PF_RCPTS_MAX];
};

enum pf_class { PF_OTHER, PF_POSTFIX, PF_DOVECOT, PF_AMAVIS };

/* The syslog prefix of a line, split. */
struct pf_prefix {
	int64_t ts;
	unsigned flags;
	const char *host, *host_end;
	const char *prog, *prog_end;
	const char *daemon, *daemon_end; /* last '/' component of prog */
	uint32_t pid;
	enum pf_class cls;
	const char *text, *end;          /* the message after "prog[pid]: " */
};

/* "host[addr]" or "[addr]", with an optional ":port". */
struct pf_peer {
	const char *h, *he, *a, *ae, *end;
};

#define LIT(s) (s), (sizeof(s) - 1)

/* --- small string helpers (all bounded by an end pointer: lines may hold
 * NUL bytes, so no str* function is used on them) ----------------------- */

static int pf_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int pf_starts(const char *p, const char *e, const char *lit, size_t n)
{
	return p <= e && (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

static const char *pf_find(const char *p, const char *e, const char *lit, size_t n)
{
	if (!p || p >= e || (size_t)(e - p) < n)
		return NULL;
	return memmem(p, (size_t)(e - p), lit, n);
}

static const char *pf_rfind(const char *p, const char *e, const char *lit, size_t n)
{
	if (!p || p >= e || (size_t)(e - p) < n)
		return NULL;
	for (const char *q = e - n;; q--) {
		if (*q == lit[0] && memcmp(q, lit, n) == 0)
			return q;
		if (q == p)
			return NULL;
	}
}

static const char *pf_chr(const char *p, const char *e, char c)
{
	if (!p || p >= e)
		return NULL;
	return memchr(p, c, (size_t)(e - p));
}

static void pf_put(struct pline *o, enum pfield f, const char *p, const char *e)
{
	size_t n = (p && e > p) ? (size_t)(e - p) : 0;
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	o->f[f].p = p;
	o->f[f].n = (uint32_t)n;
}

/* Envelope address value "<a@b>" -> a@b; "<>" stays "<>" for the sender
 * (the null sender must stay visible) and is absent for a recipient. */
static void pf_put_addr(struct pline *o, enum pfield f, const char *p, const char *e)
{
	if (e - p >= 2 && p[0] == '<' && e[-1] == '>') {
		if (e - p == 2) {
			if (f == F_SENDER)
				pf_put(o, f, p, e);
			return;
		}
		p++;
		e--;
	}
	pf_put(o, f, p, e);
}

/* Cut a slice to at most max bytes without splitting a UTF-8 sequence. */
static const char *pf_cap_utf8(const char *p, const char *e, size_t max)
{
	if ((size_t)(e - p) <= max)
		return e;
	const char *c = p + max;
	while (c > p && ((unsigned char)*c & 0xC0) == 0x80)
		c--;
	return c;
}

/* --- queue ids (FORMATS.md 2.2, Postfix src/global/mail_queue.h) -------- */

static int pf_hex_upper(unsigned char c)
{
	return pf_digit((char)c) || (c >= 'A' && c <= 'F');
}

/* Long-id alphabet: digits and consonants of both cases. */
static int pf_long_char(unsigned char c)
{
	if (pf_digit((char)c))
		return 1;
	unsigned char l = (unsigned char)(c | 0x20);
	if (l < 'a' || l > 'z')
		return 0;
	return l != 'a' && l != 'e' && l != 'i' && l != 'o' && l != 'u';
}

/*
 * Length of the queue id at p, 0 when p does not start with one.
 * Short: [0-9A-F]{6,} ("C6E0DDB74006").  Long: >= 10 base-52 time chars,
 * 'z', >= 1 base-51 inode chars ("4PbC4x469Jz3tBr"); the time part may
 * itself contain 'z', so the LAST 'z' is the separator.
 */
static size_t pf_qid_len(const char *p, const char *e)
{
	size_t n = 0, lastz = 0;
	int hex = 1, lng = 1, seenz = 0;
	while (p + n < e) {
		unsigned char c = (unsigned char)p[n];
		int h = pf_hex_upper(c), l = pf_long_char(c);
		if (!h && !l)
			break;
		hex &= h;
		lng &= l;
		if (c == 'z') {
			lastz = n;
			seenz = 1;
		}
		n++;
	}
	if (hex && n >= 6)
		return n;
	if (lng && n >= 12 && seenz && lastz >= 10 && lastz + 1 < n)
		return n;
	return 0;
}

/* "QID: " at p: length of the id, else 0. */
static size_t pf_qid_prefix(const char *p, const char *e)
{
	size_t n = pf_qid_len(p, e);
	if (n && p + n + 1 < e && p[n] == ':' && p[n + 1] == ' ')
		return n;
	return 0;
}

/* A queue id handed on by another server: any run of id-ish characters. */
static const char *pf_id_end(const char *p, const char *e)
{
	const char *q = p;
	while (q < e && (pf_digit(*q) || ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') ||
			 *q == '-' || *q == '_' || *q == '.'))
		q++;
	while (q > p && q[-1] == '.')
		q--;
	return q;
}

/* --- SMTP reply codes ------------------------------------------------- */

/* Enhanced status code "5.7.1" at p (class 2/4/5, 1-3 digit parts). */
static const char *pf_dsn_end(const char *p, const char *e)
{
	if (p >= e || (*p != '2' && *p != '4' && *p != '5'))
		return NULL;
	const char *q = p + 1;
	for (int part = 0; part < 2; part++) {
		if (q >= e || *q != '.')
			return NULL;
		q++;
		const char *d = q;
		while (q < e && pf_digit(*q) && q - d < 3)
			q++;
		if (q == d)
			return NULL;
	}
	if (q < e && (pf_digit(*q) || *q == '.'))
		return NULL;
	return q;
}

/*
 * First basic SMTP code (2xx/4xx/5xx, a word of its own followed by a
 * space, '-' or the end) in p..e, and the enhanced code right after it.
 * "host mx[1.2.3.4] said: 550 5.1.1 <x>: ..." -> 550, "5.1.1".
 */
static uint16_t pf_code(const char *p, const char *e, const char **dsn, const char **dsn_end)
{
	for (const char *q = p; q + 3 <= e; q++) {
		if (*q != '2' && *q != '4' && *q != '5')
			continue;
		if (q > p && q[-1] != ' ' && q[-1] != '(')
			continue;
		if (!pf_digit(q[1]) || !pf_digit(q[2]))
			continue;
		if (q + 3 < e && q[3] != ' ' && q[3] != '-')
			continue;
		if (dsn) {
			const char *d = q + 4;
			const char *de = d <= e ? pf_dsn_end(d, e) : NULL;
			*dsn = de ? d : NULL;
			*dsn_end = de;
		}
		return (uint16_t)((q[0] - '0') * 100 + (q[1] - '0') * 10 + (q[2] - '0'));
	}
	return 0;
}

/* Reply text: smtp_code, and F_DSN when the reply carries one (also a
 * bare "5.7.1 text" as milters write it). */
static void pf_reply(struct pline *o, const char *p, const char *e, int set_reply)
{
	const char *d = NULL, *de = NULL;
	if (set_reply)
		pf_put(o, F_REPLY, p, e);
	o->smtp_code = pf_code(p, e, &d, &de);
	if (!o->smtp_code && (de = pf_dsn_end(p, e)) != NULL)
		d = p;
	if (d && de && !o->f[F_DSN].n)
		pf_put(o, F_DSN, d, de);
}

/* --- hosts ------------------------------------------------------------ */

static int pf_peer(const char *p, const char *e, struct pf_peer *c)
{
	const char *q = p;
	while (q < e && *q != '[' && *q != ' ')
		q++;
	if (q >= e || *q != '[')
		return 0;
	const char *a = q + 1;
	const char *ae = a;
	while (ae < e && *ae != ']' && *ae != ' ')
		ae++;
	if (ae >= e || *ae != ']')
		return 0;
	c->h = p;
	c->he = q;
	c->a = a;
	c->ae = ae;
	q = ae + 1;
	if (q + 1 < e && *q == ':' && pf_digit(q[1])) {
		q++;
		while (q < e && pf_digit(*q))
			q++;
	}
	c->end = q;
	return 1;
}

static void pf_put_client(struct pline *o, const struct pf_peer *c)
{
	pf_put(o, F_CLIENT_HOST, c->h, c->he);
	pf_put(o, F_CLIENT_IP, c->a, c->ae);
}

/* --- the syslog prefix (FORMATS.md 2.1) ------------------------------- */

static enum pf_class pf_classify(const char *p, const char *e)
{
	size_t n = (size_t)(e - p);
	/* "postfix/smtpd", "postfix-out/smtp": the common case first, then
	 * a name merely containing it ("mx1-postfix/qmgr") */
	if (pf_starts(p, e, LIT("postfix")) || pf_find(p, e, LIT("postfix")) ||
	    (n == 9 && memcmp(p, "postsuper", 9) == 0))
		return PF_POSTFIX;
	if (pf_starts(p, e, LIT("dovecot")) || pf_starts(p, e, LIT("deliver(")) ||
	    pf_starts(p, e, LIT("lda(")) || pf_starts(p, e, LIT("lmtp(")))
		return PF_DOVECOT;
	if (pf_starts(p, e, LIT("amavis")))
		return PF_AMAVIS;
	return PF_OTHER;
}

/*
 * Split the prefix of
 *   "Nov  2 23:37:17 host prog[pid]: text"            (syslog, postlogd "Apr 07")
 *   "2023-03-14T00:00:31.185246+01:00 host prog[pid]: text"  (RFC 3339)
 *   "Jan 29 09:33:58 prog: text"                       (no host)
 * NOMATCH: not syslog-shaped at all.  BAD: a Postfix tag that is cut or
 * garbled ("postfix/postscreen[12345").
 */
static enum parse_result pf_prefix(const char *line, size_t len, struct pf_prefix *x,
				   const char **why)
{
	const char *e = line + len, *p;
	size_t used;
	unsigned fl = 0;
	int64_t us = 0;

	if (len && pf_digit(line[0]))
		used = tp_iso(line, len, &us, &fl);
	else
		used = tp_syslog(line, len, &us, &fl);
	if (!used)
		return PARSE_NOMATCH;
	x->ts = us;
	x->flags = fl;
	p = line + used;
	if (p >= e || *p != ' ')
		return PARSE_NOMATCH;
	while (p < e && *p == ' ')
		p++;

	const char *h = p;
	while (p < e && *p != ' ')
		p++;
	if (p == h)
		return PARSE_NOMATCH;
	if (p[-1] == ':') {
		/* No host field: the token is already the tag. */
		x->host = x->host_end = NULL;
		p = h;
	} else {
		x->host = h;
		x->host_end = p;
		while (p < e && *p == ' ')
			p++;
	}

	/* Program: up to '[' or ':'; parentheses may hold spaces
	 * ("lmtp(22587, user@x): ..." used as a tag by old dovecot). */
	const char *t = p;
	int paren = 0;
	while (p < e && *p != '[' && *p != ':' && (*p != ' ' || paren)) {
		if (*p == '(')
			paren = 1;
		else if (*p == ')')
			paren = 0;
		p++;
	}
	if (p == t)
		return PARSE_NOMATCH;
	x->prog = t;
	x->prog_end = p;
	x->cls = pf_classify(t, p);
	x->pid = 0;

	const char *d = x->prog_end;
	while (d > t && d[-1] != '/')
		d--;
	x->daemon = d;
	x->daemon_end = x->prog_end;

	if (p < e && *p == '[') {
		uint64_t pid = 0;
		const char *q = p + 1;
		while (q < e && pf_digit(*q) && pid <= UINT32_MAX) {
			pid = pid * 10 + (uint64_t)(*q - '0');
			q++;
		}
		if (q == p + 1 || q >= e || *q != ']' || pid > UINT32_MAX) {
			if (x->cls != PF_POSTFIX)
				return PARSE_NOMATCH;
			*why = q >= e ? "truncated in the program[pid] tag" : "bad pid in the program tag";
			return PARSE_BAD;
		}
		x->pid = (uint32_t)pid;
		p = q + 1;
	}
	if (p >= e || *p != ':') {
		if (x->cls != PF_POSTFIX)
			return PARSE_NOMATCH;
		*why = "truncated syslog tag";
		return PARSE_BAD;
	}
	p++;
	if (p < e && *p == ' ')
		p++;
	x->text = p;
	x->end = e;
	return PARSE_OK;
}

/* --- key=value tails -------------------------------------------------- */

/* End of a "<...>" value starting at p: after the first '>' that is
 * followed by the end, ' ', ',' or ':'.  NULL when the line is cut. */
static const char *pf_bracket_end(const char *p, const char *e)
{
	const char *q = p + 1;
	while ((q = pf_chr(q, e, '>')) != NULL) {
		q++;
		if (q == e || *q == ' ' || *q == ',' || *q == ':')
			return q;
	}
	return NULL;
}

/*
 * The envelope tail of smtpd/cleanup action lines:
 *   "from=<s> to=<r> proto=ESMTP helo=<h>[ sasl_username=u][: optional text]"
 * (postscreen and old versions separate with ", ").  Returns the optional
 * text after ": ", or NULL.  A value cut by the end of the line is dropped.
 */
static const char *pf_tail(const char *p, const char *e, struct pline *o)
{
	while (p < e) {
		const char *k = p;
		while (p < e && ((*p >= 'a' && *p <= 'z') || *p == '_'))
			p++;
		if (p == k || p >= e || *p != '=')
			return NULL;
		const char *ke = p++;
		const char *v = p, *ve;
		if (p < e && *p == '<') {
			ve = pf_bracket_end(p, e);
			if (!ve)
				return NULL;
		} else {
			ve = p;
			while (ve < e && *ve != ' ' && *ve != ',')
				ve++;
		}
		p = ve;
		const char *opt = NULL;
		if (p + 1 < e && p[0] == ':' && p[1] == ' ') {
			opt = p + 2;
		} else if (ve > v && ve[-1] == ':' && ve < e && *ve == ' ') {
			ve--;
			opt = p + 1;
		}
		size_t kn = (size_t)(ke - k);
		if (kn == 4 && memcmp(k, "from", 4) == 0)
			pf_put_addr(o, F_SENDER, v, ve);
		else if (kn == 2 && memcmp(k, "to", 2) == 0)
			pf_put_addr(o, F_RCPT, v, ve);
		else if (kn == 5 && memcmp(k, "proto", 5) == 0)
			pf_put(o, F_PROTO, v, ve);
		else if (kn == 4 && memcmp(k, "helo", 4) == 0)
			pf_put_addr(o, F_HELO, v, ve);
		else if (kn == 13 && memcmp(k, "sasl_username", 13) == 0)
			pf_put(o, F_AUTH, v, ve);
		if (opt)
			return opt;
		if (p < e && *p == ',')
			p++;
		while (p < e && *p == ' ')
			p++;
	}
	return NULL;
}

/* Where the envelope tail of an action line starts: the last "; from="
 * (the reply text before it may itself contain "; "), else the last
 * "; to=", "; proto=", "; helo=".  Returns the "; " position or NULL. */
static const char *pf_tail_start(const char *p, const char *e)
{
	const char *t;
	if ((t = pf_rfind(p, e, LIT("; from="))) != NULL)
		return t;
	if ((t = pf_rfind(p, e, LIT("; to="))) != NULL)
		return t;
	if ((t = pf_rfind(p, e, LIT("; proto="))) != NULL)
		return t;
	return pf_rfind(p, e, LIT("; helo="));
}

/* --- action lines (smtpd_check.c log_whatsup, cleanup_act_log) -------- */

enum pf_act { ACT_REJECT, ACT_WARN, ACT_HOLD, ACT_DISCARD, ACT_INFO, ACT_OTHER };

static const struct {
	const char *word;
	unsigned char len;
	unsigned char act;
} pf_actions[] = {
	{"reject", 6, ACT_REJECT},        {"defer", 5, ACT_REJECT},
	{"milter-reject", 13, ACT_REJECT}, {"proxy-reject", 12, ACT_REJECT},
	{"warn", 4, ACT_WARN},            {"warning", 7, ACT_WARN},
	{"reject_warning", 14, ACT_WARN}, {"info", 4, ACT_INFO},
	{"hold", 4, ACT_HOLD},            {"milter-hold", 11, ACT_HOLD},
	{"discard", 7, ACT_DISCARD},      {"milter-discard", 14, ACT_DISCARD},
	{"redirect", 8, ACT_OTHER},       {"filter", 6, ACT_OTHER},
	{"prepend", 7, ACT_OTHER},        {"replace", 7, ACT_OTHER},
	{"strip", 5, ACT_OTHER},          {"bcc", 3, ACT_OTHER},
	{"proxy-accept", 12, ACT_OTHER},  {"milter-header-redirect", 22, ACT_OTHER},
};

/* "reject: " at p -> action, *rest after it; -1 when p is no action. */
static int pf_action_word(const char *p, const char *e, const char **rest)
{
	const char *q = p;
	while (q < e && ((*q >= 'a' && *q <= 'z') || *q == '-' || *q == '_'))
		q++;
	if (q == p || q + 1 >= e || q[0] != ':' || q[1] != ' ')
		return -1;
	size_t n = (size_t)(q - p);
	for (size_t i = 0; i < sizeof pf_actions / sizeof pf_actions[0]; i++)
		if (pf_actions[i].len == n && memcmp(pf_actions[i].word, p, n) == 0) {
			*rest = q + 2;
			return pf_actions[i].act;
		}
	return -1;
}

static int pf_is_word(const char *p, const char *e, const char *w, size_t n)
{
	return pf_starts(p, e, w, n) && (p + n == e || p[n] == ' ');
}

/*
 * cleanup header/body checks (cleanup_act_log):
 * "D8B07E3DB6: warning: header Subject: https://drive... from o1678917x173.outbound-mail.sendgrid.net[167.89.17.173]; from=<..> to=<..> proto=ESMTP helo=<..>"
 * "4104E3D: milter-header-redirect: header X-Spam-Status: Yes, ... from h[ip]; from=<..> to=<..> proto=ESMTP helo=<..>: tom@example.com"
 * Action words: warning info reject discard hold redirect filter prepend replace ...
 */
static enum parse_result pf_cleanup_act(int act, const char *cls, const char *e, struct pline *o)
{
	const char *sp = pf_chr(cls, e, ' ');
	const char *content = sp ? sp + 1 : e;
	const char *tail = pf_rfind(content, e, LIT("; from="));
	const char *cend = tail ? tail : e;
	const char *opt = NULL;
	if (tail) {
		const char *fr = pf_rfind(content, tail, LIT(" from "));
		if (fr) {
			struct pf_peer c;
			if (pf_peer(fr + 6, tail, &c) && c.end == tail)
				pf_put_client(o, &c);
			cend = fr;
		}
		opt = pf_tail(tail + 2, e, o);
	}
	int is_header = pf_starts(cls, e, LIT("header "));
	if (is_header && content + 8 <= cend && strncasecmp(content, "subject:", 8) == 0) {
		const char *v = content + 8;
		if (v < cend && *v == ' ')
			v++;
		pf_put(o, F_SUBJECT, v, pf_cap_utf8(v, cend, PF_SUBJECT_MAX));
	} else {
		pf_put(o, F_DETAIL, is_header ? content : cls, cend);
	}
	if (opt)
		pf_reply(o, opt, e, 1);

	switch (act) {
	case ACT_REJECT:
		o->kind = EV_REJECT;
		o->outcome = OUT_REJECTED;
		break;
	case ACT_DISCARD:
		o->kind = EV_REJECT;
		o->outcome = OUT_REJECTED;
		if (!opt)
			pf_put(o, F_REPLY, o->f[F_DETAIL].n ? content : cls, cend);
		o->f[F_DETAIL].p = "discard";
		o->f[F_DETAIL].n = 7;
		break;
	case ACT_HOLD:
		o->kind = EV_HOLD;
		break;
	default:
		o->kind = EV_HEADER;
		break;
	}
	return PARSE_OK;
}

/*
 * smtpd/postscreen/cleanup rejections and other actions (log_whatsup):
 * "NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 454 4.7.1 <spammer@domain.tld>: Relay access denied; from=<spammer@domain.tld> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-9QL4SDRB93L>"
 * "NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<..>, to=<..>, proto=ESMTP, helo=<..>"
 * "proxy-reject: END-OF-MESSAGE: 554 5.7.1 Rejected for policy reasons (381C4E5DFA31DF9E90F); from=<..> to=<..> proto=ESMTP helo=<..>"
 */
static enum parse_result pf_smtpd_act(int act, const char *aw, const char *r, const char *e,
				      struct pline *o, const char **why)
{
	const char *s = r;
	while (r < e && ((*r >= 'A' && *r <= 'Z') || *r == '-'))
		r++;
	if (r == s) {
		*why = "malformed action line: no SMTP stage";
		return PARSE_BAD;
	}
	const char *stage_end = r;
	const char *reply;
	if (pf_starts(r, e, LIT(" from "))) {
		struct pf_peer c;
		if (!pf_peer(r + 6, e, &c) || !pf_starts(c.end, e, LIT(": "))) {
			*why = "malformed action line: no client";
			return PARSE_BAD;
		}
		pf_put_client(o, &c);
		reply = c.end + 2;
	} else if (pf_starts(r, e, LIT(": "))) {
		reply = r + 2;
	} else if (r == e) {
		*why = "action line cut after the SMTP stage";
		return PARSE_BAD;
	} else {
		*why = "malformed action line";
		return PARSE_BAD;
	}
	const char *tail = pf_tail_start(reply, e);
	const char *rend = tail ? tail : e;
	pf_reply(o, reply, rend, 1);
	if (tail)
		pf_tail(tail + 2, e, o);
	pf_put(o, F_DETAIL, s, stage_end);

	switch (act) {
	case ACT_REJECT:
		o->kind = EV_REJECT;
		o->outcome = OUT_REJECTED;
		break;
	case ACT_DISCARD:
		o->kind = EV_REJECT;
		o->outcome = OUT_REJECTED;
		o->f[F_DETAIL].p = "discard";
		o->f[F_DETAIL].n = 7;
		break;
	case ACT_HOLD:
		o->kind = EV_HOLD;
		break;
	case ACT_WARN:
		o->kind = EV_WARNING;
		break;
	default:
		/* filter, redirect, proxy-accept ...: worth a line in a trace. */
		o->kind = EV_NOTE;
		pf_put(o, F_DETAIL, aw, pf_chr(aw, e, ':'));
		break;
	}
	return PARSE_OK;
}

static enum parse_result pf_action(int act, const char *aw, const char *r, const char *e,
				   struct pline *o, const char **why)
{
	if (pf_is_word(r, e, LIT("header")) || pf_is_word(r, e, LIT("body")) ||
	    pf_is_word(r, e, LIT("mime-header")) || pf_is_word(r, e, LIT("nested-header")))
		return pf_cleanup_act(act, r, e, o);
	if (act == ACT_WARN && r - aw == 9 && memcmp(aw, "warning", 7) == 0) {
		/* "QID: warning: ..." that is not a header check. */
		o->kind = EV_WARNING;
		pf_put(o, F_REPLY, r, e);
		return PARSE_OK;
	}
	if (act == ACT_INFO) {
		o->kind = EV_NOTE;
		pf_put(o, F_REPLY, r, e);
		return PARSE_OK;
	}
	return pf_smtpd_act(act, aw, r, e, o, why);
}

/* --- delivery status lines (log_adhoc.c) ------------------------------ */

/*
 * "5270320179: to=<hebj@telia.com>, relay=mail.telia.com[81.236.60.210]:25, delay=2017, delays=0.1/2017/0.03/0.05, dsn=2.0.0, status=sent (250 2.0.0 6FVIjIMwUJwU66FVIjAEB0 mail accepted for delivery)"
 * "2A22C263F6: to=user@hostname.example.com, orig_to=root@localhost, relay=local, ..., status=sent (delivered to command: procmail -a "$EXTENSION")"
 * Items: to, orig_to, relay, conn_use, delay, delays, tls, dsn, status (TEXT).
 */
static enum parse_result pf_delivery(struct pf_state *st, const char *p, const char *e,
				     struct pline *o, const char **why)
{
	const char *delay = NULL, *delay_e = NULL, *delays = NULL, *delays_e = NULL;
	const char *status = NULL, *status_e = NULL, *text = NULL;

	while (p < e) {
		const char *k = p;
		while (p < e && ((*p >= 'a' && *p <= 'z') || *p == '_'))
			p++;
		if (p == k || p >= e || *p != '=') {
			*why = "malformed delivery line";
			return PARSE_BAD;
		}
		size_t kn = (size_t)(p - k);
		const char *v = ++p, *ve;
		int is_addr = (kn == 2 && memcmp(k, "to", 2) == 0) ||
			      (kn == 7 && memcmp(k, "orig_to", 7) == 0);
		if (kn == 6 && memcmp(k, "status", 6) == 0) {
			ve = v;
			while (ve < e && *ve != ' ' && *ve != ',')
				ve++;
			status = v;
			status_e = ve;
			if (ve + 1 < e && ve[0] == ' ' && ve[1] == '(')
				text = ve + 2;
			break;
		}
		if (is_addr && v < e && *v == '<') {
			ve = pf_bracket_end(v, e);
			if (!ve) {
				*why = "delivery line cut in the recipient";
				return PARSE_BAD;
			}
		} else {
			ve = v;
			while (ve < e && *ve != ',')
				ve++;
		}
		if (kn == 2 && is_addr)
			pf_put_addr(o, F_RCPT, v, ve);
		else if (is_addr)
			pf_put_addr(o, F_ORIG_RCPT, v, ve);
		else if (kn == 5 && memcmp(k, "relay", 5) == 0)
			pf_put(o, F_RELAY, v, ve);
		else if (kn == 5 && memcmp(k, "delay", 5) == 0)
			delay = v, delay_e = ve;
		else if (kn == 6 && memcmp(k, "delays", 6) == 0)
			delays = v, delays_e = ve;
		else if (kn == 3 && memcmp(k, "dsn", 3) == 0)
			pf_put(o, F_DSN, v, ve);
		p = ve;
		if (p < e && *p == ',')
			p++;
		while (p < e && *p == ' ')
			p++;
	}
	if (!o->f[F_RCPT].n) {
		*why = "delivery line without recipient";
		return PARSE_BAD;
	}
	if (!status) {
		*why = "delivery line cut before status=";
		return PARSE_BAD;
	}

	size_t sn = (size_t)(status_e - status);
	if ((sn == 4 && memcmp(status, "sent", 4) == 0) ||
	    (sn == 11 && memcmp(status, "deliverable", 11) == 0)) {
		o->kind = EV_DELIVERED;
		o->outcome = OUT_DELIVERED;
	} else if (sn == 8 && memcmp(status, "deferred", 8) == 0) {
		o->kind = EV_DEFERRED;
		o->outcome = OUT_DEFERRED;
	} else if ((sn == 7 && memcmp(status, "bounced", 7) == 0) ||
		   pf_starts(status, status_e, LIT("undeliverable"))) {
		o->kind = EV_BOUNCED;
		o->outcome = OUT_BOUNCED;
	} else if (sn == 7 && memcmp(status, "expired", 7) == 0) {
		o->kind = EV_EXPIRED;
		o->outcome = OUT_EXPIRED;
	} else {
		*why = "unknown delivery status";
		return PARSE_BAD;
	}

	if (text) {
		/* The outer parentheses close at the end of the line; the text
		 * may hold parentheses of its own ("OK (C019B64958F756CDA5)").
		 * A line cut inside the text keeps what is there. */
		const char *te = (e > text && e[-1] == ')') ? e - 1 : e;
		pf_reply(o, text, te, 1);
		const char *q;
		if (pf_starts(text, te, LIT("forwarded as "))) {
			q = text + 13;
			pf_put(o, F_LINK, q, pf_id_end(q, te));
			o->link = LINK_FORWARDED;
		} else if ((q = pf_find(text, te, LIT("queued as "))) != NULL) {
			q += 10;
			const char *qe = pf_id_end(q, te);
			if (qe > q) {
				pf_put(o, F_LINK, q, qe);
				o->link = LINK_NEXT_HOP;
			}
		}
		if (!o->f[F_LINK].n)
			o->link = LINK_NONE;
	}

	if (delay) {
		/* "delay=D delays=a/b/c/d": one short line for a trace. */
		size_t k = 0, n;
		char *b = st->detail;
		memcpy(b, "delay=", 6);
		k = 6;
		n = (size_t)(delay_e - delay);
		if (n > 48)
			n = 48;
		memcpy(b + k, delay, n);
		k += n;
		if (delays) {
			memcpy(b + k, " delays=", 8);
			k += 8;
			n = (size_t)(delays_e - delays);
			if (n > 64)
				n = 64;
			memcpy(b + k, delays, n);
			k += n;
		}
		pf_put(o, F_DETAIL, b, b + k);
	}
	return PARSE_OK;
}

/* --- interim per-host errors (smtp/lmtp) ------------------------------ */

/* Relay "host[ip][:port]" at p; falls back to the text up to stop. */
static void pf_put_relay(struct pline *o, const char *p, const char *stop)
{
	struct pf_peer c;
	if (pf_peer(p, stop, &c))
		pf_put(o, F_RELAY, p, c.end);
	else
		pf_put(o, F_RELAY, p, stop);
}

/*
 * "732BB407C3: host mail.domain.com[1.1.1.1] said: 451 DT:SPM 163 ... (in reply to end of DATA command)"
 * "B99FE3D: lost connection with mx3.hotmail.com[65.55.37.72] while receiving the initial server greeting"
 * "78D6B41: conversation with mx00.gmx.com[74.208.5.4] timed out while receiving the initial server greeting"
 * "40197AA: host mg2.egov.bg[213.91.191.86] refused to talk to me: 450 4.3.2 try again later"
 * "D0F29603B4: SASL authentication failed; server xyz.example.com[1.2.3.4] said: 535 5.7.8 Error: ..."
 * "connect to intern.nl[194.109.6.98]:25: Connection timed out"
 * Returns 1 when r is one of these.
 */
static int pf_host_error(const char *r, const char *e, struct pline *o)
{
	const char *x = NULL, *stop = NULL;
	if (pf_starts(r, e, LIT("host "))) {
		x = r + 5;
		stop = pf_find(x, e, LIT(" said: "));
		if (!stop)
			stop = pf_find(x, e, LIT(" refused to talk to me"));
	} else if (pf_starts(r, e, LIT("lost connection with "))) {
		x = r + 21;
		stop = pf_find(x, e, LIT(" while "));
		if (!stop)
			stop = e;
	} else if (pf_starts(r, e, LIT("conversation with "))) {
		x = r + 18;
		stop = pf_find(x, e, LIT(" timed out"));
	} else if (pf_starts(r, e, LIT("connect to "))) {
		x = r + 11;
		stop = pf_find(x, e, LIT(": "));
		if (!stop)
			stop = e;
	} else if (pf_starts(r, e, LIT("SASL authentication failed; server "))) {
		x = r + 35;
		stop = pf_find(x, e, LIT(" said: "));
	}
	if (!x || !stop)
		return 0;
	o->kind = EV_HOST_ERROR;
	pf_put_relay(o, x, stop);
	pf_reply(o, r, e, 1);
	return 1;
}

/* --- lines that carry a queue id -------------------------------------- */

/* "(sender|postmaster) <kind> notification: NEWQID" (bounce daemons). */
static int pf_bounce(const char *r, const char *e, struct pline *o)
{
	if (!pf_starts(r, e, LIT("sender ")) && !pf_starts(r, e, LIT("postmaster ")))
		return 0;
	const char *c = pf_find(r, e, LIT(" notification: "));
	if (!c)
		return 0;
	const char *id = c + 15;
	const char *ide = id + pf_qid_len(id, e);
	if (ide == id)
		return 0;
	o->kind = EV_BOUNCE_SENT;
	o->link = LINK_BOUNCE_CHILD;
	pf_put(o, F_LINK, id, ide);
	pf_put(o, F_DETAIL, r, c + 13);
	return 1;
}

static int pf_daemon_is(const struct pf_prefix *x, const char *w, size_t n)
{
	return (size_t)(x->daemon_end - x->daemon) == n && memcmp(x->daemon, w, n) == 0;
}

/*
 * Body after "QID: " (qid non-NULL) or after "NOQUEUE: " (qid NULL).
 * Returns PARSE_NOMATCH when nothing fits, for the caller to decide.
 */
static enum parse_result pf_queued(struct pf_state *st, const struct pf_prefix *x,
				   const char *r, const char *e, struct pline *o,
				   const char **why)
{
	const char *rest;
	if (r >= e)
		return PARSE_NOMATCH;
	int act = pf_action_word(r, e, &rest);
	if (act >= 0)
		return pf_action(act, r, rest, e, o, why);

	switch (*r) {
	case 't':
		if (pf_starts(r, e, LIT("to=")))
			return pf_delivery(st, r, e, o, why);
		break;
	case 'c':
		/* "4PbC4x469Jz3tBr: client=mail.nistoresio.co.cz[185.31.160.120]"
		 * "EB4B2C19E2: client=xxx[1.2.3.4], sasl_method=PLAIN, sasl_username=user@domain"
		 * "..., orig_queue_id=X, orig_client=h[ip]" (smtpd.c) */
		if (pf_starts(r, e, LIT("client="))) {
			struct pf_peer c;
			if (!pf_peer(r + 7, e, &c)) {
				*why = "client= without host[address]";
				return PARSE_BAD;
			}
			pf_put_client(o, &c);
			o->kind = EV_CLIENT;
			const char *q = c.end;
			while (pf_starts(q, e, LIT(", "))) {
				const char *k = q + 2, *v, *ve;
				v = pf_chr(k, e, '=');
				if (!v)
					break;
				v++;
				ve = pf_find(v, e, LIT(", "));
				if (!ve)
					ve = e;
				if (pf_starts(k, v, LIT("sasl_username=")))
					pf_put(o, F_AUTH, v, ve);
				else if (pf_starts(k, v, LIT("orig_queue_id="))) {
					pf_put(o, F_LINK, v, ve);
					o->link = LINK_ORIG_QUEUE;
				}
				q = ve;
			}
			return PARSE_OK;
		}
		break;
	case 'u':
		/* pickup: "50B0319C1E64: uid=0 from=<root>" */
		if (pf_starts(r, e, LIT("uid="))) {
			const char *q = r + 4;
			while (q < e && pf_digit(*q))
				q++;
			o->kind = EV_CLIENT;
			pf_put(o, F_DETAIL, r, q);
			if (pf_starts(q, e, LIT(" from=<"))) {
				const char *ve = pf_bracket_end(q + 6, e);
				if (ve)
					pf_put_addr(o, F_SENDER, q + 6, ve);
			}
			return PARSE_OK;
		}
		break;
	case 'm':
		/* cleanup: "0F5383D: message-id=<544D2523.30609@rhsoft.net>",
		 * also "message-id=<>" and "message-id==?UTF-8?B?...": verbatim. */
		if (pf_starts(r, e, LIT("message-id="))) {
			o->kind = EV_MSGID;
			pf_put(o, F_MSGID, r + 11, e);
			return PARSE_OK;
		}
		break;
	case 'r':
		if (pf_starts(r, e, LIT("removed")) && r + 7 == e) {
			o->kind = pf_daemon_is(x, LIT("postsuper")) ? EV_DELETED : EV_DONE;
			return PARSE_OK;
		}
		if (pf_starts(r, e, LIT("resent-message-id="))) {
			o->kind = EV_NOTE;
			pf_put(o, F_DETAIL, r, e);
			return PARSE_OK;
		}
		if (pf_starts(r, e, LIT("requeued"))) {
			o->kind = EV_NOTE;
			pf_put(o, F_DETAIL, r, e);
			return PARSE_OK;
		}
		if (pf_starts(r, e, LIT("released from hold"))) {
			o->kind = EV_RELEASE;
			return PARSE_OK;
		}
		break;
	case 'p':
		if (pf_starts(r, e, LIT("placed on hold"))) {
			o->kind = EV_HOLD;
			return PARSE_OK;
		}
		if (pf_bounce(r, e, o))
			return PARSE_OK;
		break;
	case 's':
		if (pf_bounce(r, e, o))
			return PARSE_OK;
		if (pf_starts(r, e, LIT("skipped, still being delivered"))) {
			o->kind = EV_NOTE;
			pf_put(o, F_DETAIL, r, e);
			return PARSE_OK;
		}
		break;
	case 'f':
		/* qmgr: "0F5383D: from=<owner-postfix-users@postfix.org>, size=5360, nrcpt=1 (queue active)"
		 * "BACE842E72: from=<noreply@domain.com>, status=expired, returned to sender" */
		if (pf_starts(r, e, LIT("from="))) {
			const char *v = r + 5, *ve;
			if (v < e && *v == '<') {
				ve = pf_bracket_end(v, e);
				if (!ve) {
					*why = "qmgr line cut in from=";
					return PARSE_BAD;
				}
			} else {
				ve = pf_chr(v, e, ',');
				if (!ve)
					ve = e;
			}
			pf_put_addr(o, F_SENDER, v, ve);
			if (pf_starts(ve, e, LIT(", size="))) {
				const char *q = ve + 7;
				int64_t size = 0;
				while (q < e && pf_digit(*q) && size < INT64_MAX / 10 - 10)
					size = size * 10 + (*q++ - '0');
				if (q == ve + 7) {
					*why = "qmgr line without a size";
					return PARSE_BAD;
				}
				o->size = size;
				o->kind = EV_QUEUED;
				o->outcome = OUT_QUEUED;
				return PARSE_OK;
			}
			if (pf_starts(ve, e, LIT(", status="))) {
				const char *s = ve + 9, *se = s;
				while (se < e && *se != ',' && *se != ' ')
					se++;
				if (pf_starts(s, se, LIT("expired")) ||
				    pf_starts(s, se, LIT("force-expired"))) {
					o->kind = EV_EXPIRED;
					o->outcome = OUT_EXPIRED;
					pf_put(o, F_DETAIL, s, se);
					return PARSE_OK;
				}
			}
			if (ve == e) {
				*why = "qmgr line cut after from=";
				return PARSE_BAD;
			}
		}
		break;
	default:
		break;
	}
	if (pf_host_error(r, e, o))
		return PARSE_OK;
	return PARSE_NOMATCH;
}

/* --- lines without a queue id ----------------------------------------- */

/* "(Anonymous|Trusted|Verified|Untrusted) TLS connection established (from|to) X: ..." */
static int pf_tls(const char *r, const char *e, struct pline *o)
{
	/* The phrase sits within the first words, before any "host[ip]:". */
	const char *colon = pf_chr(r, e, ':');
	const char *q = pf_find(r, colon ? colon : e, LIT("TLS connection established "));
	if (q && (q == r || q[-1] == ' ') && q - r <= 12) {
		q += 27;
		struct pf_peer c;
		if (pf_starts(q, e, LIT("from "))) {
			q += 5;
			while (q < e && *q == ' ')
				q++;
			if (pf_peer(q, e, &c))
				pf_put_client(o, &c);
		} else if (pf_starts(q, e, LIT("to "))) {
			q += 3;
			if (pf_peer(q, e, &c))
				pf_put(o, F_RELAY, q, c.end);
		}
		o->kind = EV_TLS;
		pf_put(o, F_DETAIL, r, e);
		return 1;
	}
	/* Failures: "SSL_accept error from unknown[72.13.58.7]: lost connection",
	 * "SSL_connect error to mail.example.org[112.63.65.2]:25: -1",
	 * "certificate verification failed for mail.example.com[113.169.17.115]:25: ...",
	 * "TLS handshake failed for service=smtpd peer=[114.223.181.147]:59869" */
	if (pf_starts(r, e, LIT("SSL_accept error from ")) ||
	    pf_starts(r, e, LIT("SSL_connect error to ")) ||
	    pf_starts(r, e, LIT("certificate verification failed for ")) ||
	    pf_starts(r, e, LIT("TLS handshake failed "))) {
		o->kind = EV_TLS;
		pf_put(o, F_REPLY, r, e);
		struct pf_peer c;
		if (pf_starts(r, e, LIT("SSL_accept error from ")) && pf_peer(r + 22, e, &c))
			pf_put_client(o, &c);
		else if (pf_starts(r, e, LIT("SSL_connect error to ")) && pf_peer(r + 21, e, &c))
			pf_put(o, F_RELAY, r + 21, c.end);
		else if (r[0] == 'c' && pf_peer(r + 36, e, &c))
			pf_put(o, F_RELAY, r + 36, c.end);
		return 1;
	}
	return 0;
}

/*
 * "lost connection after RCPT from host[ip]", "timeout after DATA (0 bytes) from host[ip]",
 * "too many errors after RCPT from host[ip]": the session ended early.
 */
static enum parse_result pf_session_end(const char *r, const char *after, const char *e,
					struct pline *o, const char **why)
{
	const char *fr = pf_find(after, e, LIT(" from "));
	struct pf_peer c;
	if (!fr || !pf_peer(fr + 6, e, &c)) {
		*why = "session line without client";
		return PARSE_BAD;
	}
	pf_put_client(o, &c);
	pf_put(o, F_DETAIL, r, fr);
	o->kind = EV_DISCONNECT;
	return PARSE_OK;
}

static enum parse_result pf_noqid(const struct pf_prefix *x, const char *r, const char *e,
				  struct pline *o, const char **why)
{
	struct pf_peer c;
	const char *rest;

	if (r >= e)
		return PARSE_SKIP;
	switch (*r) {
	case 'c':
		/* "connect from example.com[127.0.0.1]" */
		if (pf_starts(r, e, LIT("connect from "))) {
			if (!pf_peer(r + 13, e, &c)) {
				*why = "connect line without client";
				return PARSE_BAD;
			}
			pf_put_client(o, &c);
			o->kind = EV_CONNECT;
			return PARSE_OK;
		}
		break;
	case 'd':
		/* "disconnect from unknown[72.10.165.66] ehlo=2 starttls=1 mail=1 rcpt=0/1 data=0/1 quit=1 commands=5/7" */
		if (pf_starts(r, e, LIT("disconnect from "))) {
			if (!pf_peer(r + 16, e, &c)) {
				*why = "disconnect line without client";
				return PARSE_BAD;
			}
			pf_put_client(o, &c);
			if (c.end + 1 < e && *c.end == ' ')
				pf_put(o, F_DETAIL, c.end + 1, e);
			o->kind = EV_DISCONNECT;
			return PARSE_OK;
		}
		break;
	case 'l':
		if (pf_starts(r, e, LIT("lost connection after ")))
			return pf_session_end(r, r + 22, e, o, why);
		break;
	case 't':
		if (pf_starts(r, e, LIT("timeout after ")))
			return pf_session_end(r, r + 14, e, o, why);
		if (pf_starts(r, e, LIT("too many errors after ")))
			return pf_session_end(r, r + 22, e, o, why);
		break;
	case 'i':
		/* "improper command pipelining after DATA from unknown[181.21.131.88]: ..." */
		if (pf_starts(r, e, LIT("improper command pipelining after "))) {
			const char *fr = pf_find(r + 34, e, LIT(" from "));
			if (fr && pf_peer(fr + 6, e, &c))
				pf_put_client(o, &c);
			o->kind = EV_WARNING;
			pf_put(o, F_REPLY, r, e);
			return PARSE_OK;
		}
		break;
	case 'C':
		/* postscreen: "CONNECT from [61.238.241.86]:53024 to [89.105.204.244]:25" */
		if (pf_daemon_is(x, LIT("postscreen")) && pf_starts(r, e, LIT("CONNECT from ")) &&
		    pf_peer(r + 13, e, &c)) {
			pf_put_client(o, &c);
			o->kind = EV_CONNECT;
			return PARSE_OK;
		}
		break;
	default:
		break;
	}
	if (pf_tls(r, e, o))
		return PARSE_OK;
	if (pf_starts(r, e, LIT("connect to ")) && pf_host_error(r, e, o))
		return PARSE_OK;
	/* Before-queue filter verdicts carry no queue id:
	 * "proxy-accept: END-OF-MESSAGE: 250 2.5.0 OK (381C4E5DFA32622BFC4); from=<..> ..." */
	int act = pf_action_word(r, e, &rest);
	if (act >= 0 && act != ACT_INFO)
		return pf_smtpd_act(act, r, rest, e, o, why);
	return PARSE_SKIP;
}

/* "warning: ...", "fatal: ...", "panic: ...", "error: ..." */
static enum parse_result pf_severity(const char *sev, const char *r, const char *e,
				     struct pline *o)
{
	size_t ql = pf_qid_prefix(r, e);
	o->kind = EV_WARNING;
	if (sev[0] != 'w') {
		o->f[F_DETAIL].p = sev;
		o->f[F_DETAIL].n = (uint32_t)strlen(sev);
	}
	if (ql) {
		/* "warning: 9BECF3F19D: sender_canonical_maps map lookup problem ..." */
		pf_put(o, F_QID, r, r + ql);
		pf_put(o, F_REPLY, r + ql + 2, e);
		return PARSE_OK;
	}
	pf_put(o, F_REPLY, r, e);
	/* "warning: unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: authentication failure"
	 * "warning: unknown[192.0.2.152]: SASL LOGIN authentication failed: (reason unavailable), sasl_username=admin" */
	struct pf_peer c;
	if (sev[0] == 'w' && pf_peer(r, e, &c) && pf_starts(c.end, e, LIT(": SASL ")) &&
	    pf_find(c.end, e, LIT(" authentication failed"))) {
		pf_put_client(o, &c);
		o->kind = EV_AUTH_FAIL;
		const char *u = pf_rfind(c.end, e, LIT("sasl_username="));
		if (u) {
			const char *ue = u + 14;
			while (ue < e && *ue != ',' && *ue != ' ')
				ue++;
			pf_put(o, F_AUTH, u + 14, ue);
		}
	}
	return PARSE_OK;
}

static enum parse_result pf_postfix(struct pf_state *st, const struct pf_prefix *x,
				    struct pline *o, const char **why)
{
	const char *r = x->text, *e = x->end;
	if (r >= e)
		return PARSE_SKIP;

	if (pf_starts(r, e, LIT("warning: ")))
		return pf_severity("warning", r + 9, e, o);
	if (pf_starts(r, e, LIT("fatal: ")))
		return pf_severity("fatal", r + 7, e, o);
	if (pf_starts(r, e, LIT("panic: ")))
		return pf_severity("panic", r + 7, e, o);
	if (pf_starts(r, e, LIT("error: ")))
		return pf_severity("error", r + 7, e, o);

	size_t ql = pf_qid_prefix(r, e);
	if (ql) {
		pf_put(o, F_QID, r, r + ql);
		r += ql + 2;
		enum parse_result res = pf_queued(st, x, r, e, o, why);
		if (res != PARSE_NOMATCH)
			return res;
		/* Kept, not understood: "B0ADE20FC7: enabling PIX workarounds: ..." */
		o->kind = EV_UNKNOWN;
		pf_put(o, F_DETAIL, r, e);
		return PARSE_OK;
	}
	if (pf_starts(r, e, LIT("NOQUEUE: "))) {
		r += 9;
		enum parse_result res = pf_queued(st, x, r, e, o, why);
		if (res != PARSE_NOMATCH)
			return res;
		/* "NOQUEUE: lost connection after CONNECT from unknown[192.0.2.25]" */
	}
	return pf_noqid(x, r, e, o, why);
}

/* --- dovecot (FORMATS.md 2.6) ----------------------------------------- */

/* "pam(user,ip[,<session>]): MARK" ending at m (the ')'): user and ip. */
static void pf_dovecot_userip(const char *start, const char *m, struct pline *o)
{
	const char *op = m;
	while (op > start && op[-1] != '(')
		op--;
	if (op == start)
		return;
	const char *c1 = pf_chr(op, m, ',');
	pf_put(o, F_AUTH, op, c1 ? c1 : m);
	if (c1) {
		const char *c2 = pf_chr(c1 + 1, m, ',');
		pf_put(o, F_CLIENT_IP, c1 + 1, c2 ? c2 : m);
	}
}

/*
 * Authentication noise that still explains a problem:
 * "auth-worker(24544): pam(toto,1.1.1.1): unknown user"
 * "auth: sql(admin@example.ru,192.168.144.226,<6rXunFtu493AqJDi>): Password mismatch"
 * "imap-login: Disconnected (auth failed, 1 attempts in 6 secs): user=<toto@toto.com>, method=PLAIN, rip=1.1.1.1, ..."
 */
static enum parse_result pf_dovecot_auth(const char *r, const char *e, struct pline *o)
{
	const char *m;
	if ((m = pf_find(r, e, LIT("): unknown user"))) != NULL) {
		o->kind = EV_WARNING;
		pf_dovecot_userip(r, m, o);
		pf_put(o, F_REPLY, r, e);
		return PARSE_OK;
	}
	if ((m = pf_find(r, e, LIT("): pam_authenticate() failed"))) != NULL ||
	    (m = pf_find(r, e, LIT("): Password mismatch"))) != NULL ||
	    (m = pf_find(r, e, LIT("): invalid credentials"))) != NULL) {
		o->kind = EV_AUTH_FAIL;
		pf_dovecot_userip(r, m, o);
		pf_put(o, F_REPLY, r, e);
		return PARSE_OK;
	}
	if (pf_find(r, e, LIT("(auth failed, "))) {
		o->kind = EV_AUTH_FAIL;
		pf_put(o, F_REPLY, r, e);
		const char *u = pf_find(r, e, LIT("user=<"));
		if (u) {
			const char *ue = pf_chr(u + 6, e, '>');
			if (ue)
				pf_put(o, F_AUTH, u + 6, ue);
		}
		const char *ip = pf_find(r, e, LIT("rip="));
		if (ip) {
			const char *ipe = ip + 4;
			while (ipe < e && *ipe != ',' && *ipe != ' ')
				ipe++;
			pf_put(o, F_CLIENT_IP, ip + 4, ipe);
		}
		return PARSE_OK;
	}
	return PARSE_SKIP;
}

/*
 * Local delivery, three prefix generations:
 * "dovecot: lda(kurio)<1640><8ntICTWUfmloBgAA8Bi3+g>: msgid=<...>: saved mail to INBOX"   (2.3)
 * "dovecot: lmtp(22587, email1@example.com): 5GjrDafYTFE7WAAABf1gKA: msgid=<...>: saved mail to INBOX" (2.2)
 * "dovecot: deliver(degcit): msgid=<...>: saved mail to INBOX", "deliver(u): msgid=<..>: forwarded to <..>" (1.x)
 * "dovecot: lda(delta)<218><sbuv..>: sieve: msgid=<...>: fileinto action: stored mail into mailbox '...'"
 */
static enum parse_result pf_dovecot(const struct pf_prefix *x, struct pline *o)
{
	const char *e = x->end;
	const char *r = (x->prog_end > x->prog && x->prog_end[-1] == ')') ? x->prog : x->text;
	const char *p = r;

	if (r == x->prog) {
		/* "deliver(user): ..." used as the syslog tag itself. */
		const char *op = pf_chr(x->prog, x->prog_end, '(');
		pf_put(o, F_PROG, x->prog, op ? op : x->prog_end);
	}
	while (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			 pf_digit(*p) || *p == '-' || *p == '_'))
		p++;
	const char *svc = r, *svc_e = p;
	const char *in = NULL, *in_e = NULL;
	if (p < e && *p == '(') {
		in = p + 1;
		in_e = pf_chr(in, e, ')');
		if (!in_e)
			return pf_dovecot_auth(r, e, o);
		p = in_e + 1;
	}
	while (p < e && *p == '<') {
		const char *gt = pf_chr(p, e, '>');
		if (!gt)
			break;
		p = gt + 1;
	}
	int deliv = in && (pf_starts(svc, svc_e, LIT("lmtp")) || pf_starts(svc, svc_e, LIT("lda")) ||
			   pf_starts(svc, svc_e, LIT("deliver"))) && (svc_e - svc) <= 7;
	if (!deliv || !pf_starts(p, e, LIT(": ")))
		return pf_dovecot_auth(r, e, o);
	p += 2;

	/* The user: "(user)", "(pid, user)"; "(pid)" alone is a session line. */
	const char *u = in, *ue = in_e;
	const char *cm = pf_find(in, in_e, LIT(", "));
	if (cm)
		u = cm + 2;
	else {
		const char *d = in;
		while (d < in_e && pf_digit(*d))
			d++;
		if (d == in_e)
			u = ue;
	}

	if (pf_starts(p, e, LIT("Info: ")))
		p += 6;
	if (!pf_starts(p, e, LIT("msgid=")) && !pf_starts(p, e, LIT("sieve: "))) {
		/* 2.2 LMTP puts the session id first: "5GjrDafYTFE7WAAABf1gKA: " */
		const char *s = p;
		while (s < e && *s != ' ' && *s != ':')
			s++;
		if (s > p && pf_starts(s, e, LIT(": ")))
			p = s + 2;
	}
	if (pf_starts(p, e, LIT("sieve: ")))
		p += 7;
	if (!pf_starts(p, e, LIT("msgid=")))
		return pf_dovecot_auth(r, e, o);
	const char *v = p + 6, *ve;
	if (v < e && *v == '<') {
		ve = pf_find(v, e, LIT(">: "));
		ve = ve ? ve + 1 : NULL;
	} else {
		ve = pf_find(v, e, LIT(": "));
	}
	if (!ve)
		return PARSE_SKIP;
	pf_put(o, F_MSGID, v, ve);
	if (u < ue)
		pf_put(o, F_RCPT, u, ue);
	const char *what = ve + 2;
	if (pf_find(what, e, LIT("saved mail to")) || pf_find(what, e, LIT("stored mail into")) ||
	    pf_starts(what, e, LIT("forwarded to"))) {
		o->kind = EV_MAILBOX;
		pf_put(o, F_DETAIL, what, e);
	} else {
		/* "save failed to INBOX: Quota exceeded", "rejected: ..." */
		o->kind = EV_WARNING;
		pf_put(o, F_REPLY, what, e);
	}
	return PARSE_OK;
}

/* --- amavis (FORMATS.md 2.5) ------------------------------------------ */

/* Value after "key" up to the next ", " (or the end), NULL if absent. */
static const char *pf_amavis_key(const char *p, const char *e, const char *key, size_t kn,
				 const char **ve)
{
	const char *k = pf_find(p, e, key, kn);
	if (!k)
		return NULL;
	const char *v = k + kn;
	const char *end = pf_find(v, e, LIT(", "));
	*ve = end ? end : e;
	return v;
}

/*
 * "amavis[237978]: (237978-11) Passed CLEAN {RelayedInbound}, [185.31.160.120]:41695 [45.141.85.146] ESMTP/ESMTP <a@b> -> <c@d>, (...), Queue-ID: 4PbC4x469Jz3tBr, Message-ID: <..>, mail_id: .., b: .., Hits: 2.913, size: 175061, queued_as: 4PbC4z6W5Qz3tG3, Subject: "decoded (raw: =?utf-8?B?...?=)", From: <..>, ..."
 * "amavis[4051607]: (4051607-09) Blocked INFECTED (Porcupine.Phishing.55542.UNOFFICIAL) {DiscardedInbound,Quarantined}, [192.168.0.1]:1434 [192.168.0.1] <s> -> <r>, quarantine: .., Queue-ID: 83B741009CD35, ..."
 * Continuation records "(pid-seq) ...rest" are skipped.
 */
static enum parse_result pf_amavis(struct pf_state *st, const struct pf_prefix *x,
				   struct pline *o, const char **why)
{
	const char *p = x->text, *e = x->end;
	if (p >= e || *p != '(')
		return PARSE_SKIP;
	const char *cl = pf_find(p, e, LIT(") "));
	if (!cl)
		return PARSE_SKIP;
	p = cl + 2;
	int blocked = pf_starts(p, e, LIT("Blocked "));
	if (!blocked && !pf_starts(p, e, LIT("Passed ")))
		return PARSE_SKIP;
	const char *vend = pf_find(p, e, LIT(" {"));
	if (!vend) {
		*why = "amavis verdict line cut before {...}";
		return PARSE_BAD;
	}
	o->kind = EV_FILTER;
	pf_put(o, F_DETAIL, p, vend);
	if (blocked) {
		pf_put(o, F_REPLY, p, vend);
		o->outcome = OUT_BOUNCED;
	}
	const char *c = pf_find(vend, e, LIT("}, "));
	if (!c)
		return PARSE_OK;
	c += 3;
	if (c < e && *c == '[') {
		const char *ce = pf_chr(c, e, ']');
		if (ce)
			pf_put(o, F_CLIENT_IP, c + 1, ce);
	}

	const char *after = c;
	const char *arrow = pf_find(c, e, LIT("> -> <"));
	if (arrow) {
		const char *lt = arrow;
		while (lt > c && *lt != '<')
			lt--;
		if (*lt == '<')
			pf_put_addr(o, F_SENDER, lt, arrow + 1);
		/* Recipients "<r1>,<r2>" -> "r1 r2" in the state buffer. */
		const char *q = arrow + 5;
		size_t k = 0, count = 0;
		const char *one = NULL, *one_e = NULL;
		while (q < e && *q == '<') {
			const char *gt = pf_chr(q + 1, e, '>');
			if (!gt)
				break;
			size_t n = (size_t)(gt - q - 1);
			if (k + n + 1 <= sizeof st->rcpts) {
				if (k)
					st->rcpts[k++] = ' ';
				memcpy(st->rcpts + k, q + 1, n);
				k += n;
				count++;
				one = q + 1;
				one_e = gt;
			}
			q = gt + 1;
			if (q + 1 < e && *q == ',' && q[1] == '<')
				q++;
			else
				break;
		}
		if (k)
			pf_put(o, F_RCPTS, st->rcpts, st->rcpts + k);
		if (count == 1)
			pf_put(o, F_RCPT, one, one_e);
		after = q;
	}

	/* Keys before the Subject only: the subject is free text. */
	const char *subj = pf_find(after, e, LIT(", Subject: \""));
	const char *lim = subj ? subj : e;
	const char *v, *ve;
	if ((v = pf_amavis_key(after, lim, LIT(", Queue-ID: "), &ve)) != NULL)
		pf_put(o, F_QID, v, v + pf_qid_len(v, ve));
	if ((v = pf_amavis_key(after, lim, LIT(", Message-ID: "), &ve)) != NULL) {
		if (v < ve && *v == '<') {
			const char *gt = pf_bracket_end(v, ve);
			if (gt)
				ve = gt;
		}
		pf_put(o, F_MSGID, v, ve);
	}
	if ((v = pf_amavis_key(after, lim, LIT(", size: "), &ve)) != NULL) {
		int64_t size = 0;
		const char *q = v;
		while (q < ve && pf_digit(*q) && size < INT64_MAX / 10 - 10)
			size = size * 10 + (*q++ - '0');
		if (q > v)
			o->size = size;
	}
	if ((v = pf_amavis_key(after, lim, LIT(", queued_as: "), &ve)) != NULL) {
		const char *id_e = v + pf_qid_len(v, ve);
		if (id_e > v) {
			pf_put(o, F_LINK, v, id_e);
			o->link = LINK_NEXT_HOP;
		}
	}
	if (subj) {
		const char *s = subj + 12, *se = s;
		/* Closing quote: '"' followed by ", " and not escaped. */
		for (;;) {
			se = pf_find(se, e, LIT("\", "));
			if (!se || se[-1] != '\\')
				break;
			se++;
		}
		if (!se)
			se = (e > s && e[-1] == '"') ? e - 1 : e;
		/* "decoded text (raw: =?utf-8?B?...?=)": keep the raw form. */
		const char *raw = pf_rfind(s, se, LIT(" (raw: "));
		if (raw && se[-1] == ')') {
			s = raw + 7;
			se--;
		}
		pf_put(o, F_SUBJECT, s, pf_cap_utf8(s, se, PF_SUBJECT_MAX));
	}
	return PARSE_OK;
}

/* --- the parser interface --------------------------------------------- */

static int pf_probe(const char *const *lines, const size_t *lens, size_t n)
{
	size_t considered = 0, sys = 0, pf = 0, mail = 0;
	for (size_t i = 0; i < n; i++) {
		if (!lines[i] || lens[i] == 0 || lines[i][0] == '#')
			continue;
		considered++;
		struct pf_prefix x;
		const char *why = NULL;
		enum parse_result r = pf_prefix(lines[i], lens[i], &x, &why);
		if (r == PARSE_NOMATCH)
			continue;
		sys++;
		if (x.cls == PF_POSTFIX)
			pf++;
		else if (r == PARSE_OK && (x.cls == PF_DOVECOT || x.cls == PF_AMAVIS))
			mail++;
	}
	if (!considered || (!pf && !mail))
		return 0;
	/* Postfix lines make the file ours; dovecot/amavis lines alone only
	 * half as much (they also sit beside Exim), and other programs in a
	 * mixed syslog count for a little when Postfix is there at all. */
	size_t score = (100 * pf + 50 * mail) / considered;
	if (pf)
		score += 20 * sys / considered;
	return score > PROBE_MAX ? PROBE_MAX : (int)score;
}

static void *pf_begin(void)
{
	return calloc(1, sizeof(struct pf_state));
}

static void pf_end(void *state)
{
	free(state);
}

static enum parse_result pf_line(void *state, const char *line, size_t len, struct pline *out,
				 const char **why)
{
	struct pf_state *st = state;
	struct pf_prefix x;
	const char *w = "malformed line";
	enum parse_result r = pf_prefix(line, len, &x, &w);
	if (r != PARSE_OK) {
		if (r == PARSE_BAD)
			*why = w;
		return r;
	}
	out->ts_us = x.ts;
	out->flags = (uint8_t)x.flags;
	out->pid = x.pid;
	pf_put(out, F_HOST, x.host, x.host_end);
	pf_put(out, F_PROG, x.prog, x.prog_end);

	switch (x.cls) {
	case PF_POSTFIX:
		r = pf_postfix(st, &x, out, &w);
		break;
	case PF_DOVECOT:
		r = pf_dovecot(&x, out);
		break;
	case PF_AMAVIS:
		r = pf_amavis(st, &x, out, &w);
		break;
	default:
		r = PARSE_SKIP;
		break;
	}
	if (r == PARSE_BAD)
		*why = w;
	return r;
}

const struct parser parser_postfix = {
	.name = "postfix",
	.title = "Postfix maillog",
	.init = NULL,
	.probe = pf_probe,
	.begin = pf_begin,
	.line = pf_line,
	.end = pf_end,
};
