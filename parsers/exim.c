/*
 * exim.c - Exim mainlog / rejectlog parser (plain files and Exim via syslog).
 *
 * Key design decision: every line is read once, left to right, by hand
 * (memchr/memcmp and a tiny tokenizer for Exim's `TAG=value` fields), not by
 * a chain of regular expressions: a mainlog is millions of lines and the
 * goal is hundreds of MB/s per core.  The tokenizer knows the three shapes
 * Exim writes after a tag - a host spec (`H=name (helo) [ip]:port`), a
 * quoted string with backslash escapes (`T="..."`, `C="..."`) and a plain
 * word - and notices the ": " / " : " separator that starts free text.
 * Meaning is given per line type, because the same tag means different
 * things: on `<=` P= is the protocol, T= the subject and R= the bounce
 * parent; on deliveries they are return path, transport and router
 * (FORMATS.md §1.10).
 *
 * Quoted values are unescaped (\" and \\) into a per-file scratch buffer,
 * reset on every line; a value that does not fit is left escaped in place.
 * Nothing is allocated per line and the parser keeps no globals.
 *
 * Grammar and samples: FORMATS.md §1 (Exim source log.c, receive.c,
 * deliver.c; spec chapter "Log files").
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "parser.h"
#include "timeparse.h"

/* Large enough for T= (100 chars, escaped) and C= (1024 chars, escaped). */
#define EXIM_SCRATCH 8192

struct exim_state {
	size_t used;
	char buf[EXIM_SCRATCH];
};

/* The line being parsed, and what the parse of it has learnt so far. */
struct ln {
	const char *s;
	size_t n;
	struct exim_state *st;
	struct pline *out;
	size_t no_close_from; /* no ')' at or after this offset */
	int has_id;
};

/* ---- small helpers -------------------------------------------------- */

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(unsigned char c)
{
	return is_digit(c) || is_alpha(c);
}

/* Does s[p..] start with lit? */
static int at_lit(const char *s, size_t n, size_t p, const char *lit, size_t ln)
{
	return p <= n && n - p >= ln && memcmp(s + p, lit, ln) == 0;
}
#define AT(L, p, lit) at_lit((L)->s, (L)->n, (p), lit, sizeof lit - 1)
#define LEN(lit) (sizeof lit - 1)

/* End of the space-delimited token starting at p. */
static size_t tok_end(const char *s, size_t n, size_t p)
{
	const char *e = p < n ? memchr(s + p, ' ', n - p) : NULL;
	return e ? (size_t)(e - s) : n;
}

static size_t skip_sp(const char *s, size_t n, size_t p)
{
	while (p < n && s[p] == ' ')
		p++;
	return p;
}

static size_t trim_end(const char *s, size_t a, size_t b)
{
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	return b;
}

static size_t find(const char *s, size_t n, size_t from, const char *lit, size_t ln)
{
	if (from >= n)
		return n;
	const char *r = memmem(s + from, n - from, lit, ln);
	return r ? (size_t)(r - s) : n;
}
#define FIND(L, from, lit) find((L)->s, (L)->n, (from), lit, sizeof lit - 1)

static void put(struct ln *L, enum pfield f, size_t a, size_t b)
{
	if (b <= a)
		return;
	if (b - a > UINT32_MAX)
		b = a + UINT32_MAX;
	L->out->f[f].p = L->s + a;
	L->out->f[f].n = (uint32_t)(b - a);
}

/* Like put, but drops one pair of enclosing angle brackets.  The null
 * sender keeps its brackets: "<>" is how the store spells it. */
static void put_addr(struct ln *L, enum pfield f, size_t a, size_t b)
{
	if (b - a > 2 && L->s[a] == '<' && L->s[b - 1] == '>') {
		a++;
		b--;
	}
	put(L, f, a, b);
}

/* Position of the first ')' at or after p, or n.  Remembers a miss so a
 * hostile line full of '(' costs linear time, not quadratic. */
static size_t find_close(struct ln *L, size_t p)
{
	if (p >= L->n || p >= L->no_close_from)
		return L->n;
	const char *c = memchr(L->s + p, ')', L->n - p);
	if (!c) {
		L->no_close_from = p;
		return L->n;
	}
	return (size_t)(c - L->s);
}

/* Unescape a quoted value's inside [a,b) into the scratch buffer (\" and
 * \\; other escapes such as \n stay as Exim printed them).  Values without
 * a backslash, and values that no longer fit, stay slices of the line. */
static void put_quoted(struct ln *L, enum pfield f, size_t a, size_t b)
{
	const char *s = L->s;
	if (b <= a)
		return;
	if (!memchr(s + a, '\\', b - a) || b - a > EXIM_SCRATCH - L->st->used) {
		put(L, f, a, b);
		return;
	}
	char *d = L->st->buf + L->st->used, *d0 = d;
	for (size_t i = a; i < b; i++) {
		if (s[i] == '\\' && i + 1 < b && (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		*d++ = s[i];
	}
	L->out->f[f].p = d0;
	L->out->f[f].n = (uint32_t)(d - d0);
	L->st->used += (size_t)(d - d0);
}

/* ---- message ids ----------------------------------------------------- */

static int b62_run(const char *s, size_t p, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (!is_alnum((unsigned char)s[p + i]))
			return 0;
	return 1;
}

/*
 * Exim message id at s+p: old "1jmFYj-00039V-QX" (6-6-2 base62) or new
 * "10HmaX-000000005vi-0000" (6-11-4), FORMATS.md §1.2 (Exim's msgid.frag).
 * Returns 16, 23 or 0; the id must not run on into more id characters.
 */
static size_t exim_id_len(const char *s, size_t n, size_t p)
{
	size_t len;
	if (p > n || n - p < 16 || !b62_run(s, p, 6) || s[p + 6] != '-')
		return 0;
	if (b62_run(s, p + 7, 6) && s[p + 13] == '-' && b62_run(s, p + 14, 2))
		len = 16;
	else if (n - p >= 23 && b62_run(s, p + 7, 11) && s[p + 18] == '-' &&
		 b62_run(s, p + 19, 4))
		len = 23;
	else
		return 0;
	if (p + len < n && (is_alnum((unsigned char)s[p + len]) || s[p + len] == '-'))
		return 0;
	return len;
}

/* ---- line prefix ----------------------------------------------------- */

struct prefix {
	int64_t ts;
	unsigned flags;
	uint32_t pid;
	size_t host0, host1, prog0, prog1;
	size_t end;      /* first byte after the prefix (id or text) */
	int exim_tag;    /* a syslog "exim[pid]:" tag was seen */
};

enum pfx_result { PFX_NONE, PFX_OK, PFX_CONT, PFX_EMPTY };

/* "[12345]" at p; returns bytes used (incl. ']') or 0. */
static size_t bracket_pid(const char *s, size_t n, size_t p, uint32_t *pid)
{
	if (p >= n || s[p] != '[')
		return 0;
	size_t q = p + 1;
	uint64_t v = 0;
	while (q < n && is_digit((unsigned char)s[q]) && q - p <= 10)
		v = v * 10 + (uint64_t)(s[q++] - '0');
	if (q == p + 1 || q >= n || s[q] != ']' || v > UINT32_MAX)
		return 0;
	*pid = (uint32_t)v;
	return q + 1 - p;
}

/* Syslog program tag "exim[47994]: " (the program name must start with
 * "exim": exim, exim4), optionally preceded by a host name.  Returns the
 * offset after ": ", or 0. */
static size_t syslog_tag(const char *s, size_t n, size_t p, struct prefix *pf)
{
	for (int with_host = 0; with_host < 2; with_host++) {
		size_t q = p, h0 = 0, h1 = 0;
		if (with_host) {
			h0 = p;
			h1 = tok_end(s, n, p);
			if (h1 == h0 || h1 >= n)
				return 0;
			q = h1 + 1;
		}
		if (!at_lit(s, n, q, "exim", 4))
			continue;
		size_t r = q + 4;
		while (r < n && (is_alnum((unsigned char)s[r]) || s[r] == '_' || s[r] == '-' ||
				 s[r] == '.' || s[r] == '/'))
			r++;
		size_t prog1 = r;
		uint32_t pid = 0;
		r += bracket_pid(s, n, r, &pid);
		if (r >= n || s[r] != ':' || (r + 1 < n && s[r + 1] != ' '))
			continue;
		pf->host0 = h0;
		pf->host1 = h1;
		pf->prog0 = q;
		pf->prog1 = prog1;
		pf->pid = pid;
		pf->exim_tag = 1;
		return r + 1 < n ? r + 2 : n;
	}
	return 0;
}

/*
 * Everything before the message id:
 *   2020-06-20 01:32:57 +0200 [789] 1jmKso-...        (tod_log_zone, +pid)
 *   2021-10-07 08:00:05.746 [23142] 1mYMRt-...        (+millisec +pid)
 *   Feb 19 22:41:18 ns1 exim[47994]: 1PqsgA-...       (syslog)
 *   May 23 10:28:30 mx01 exim[27789]: 2019-05-23 10:28:30 1hTohn-...
 *   mail.example.com exim[3751842]: 2021-07-17 23:20:49 plain_server ...
 *   2016-04-01 11:08:00 info exim[8003]: [8003] SMTP protocol error ...
 * FORMATS.md §1.1.  An inner Exim stamp after a syslog tag wins.
 */
static enum pfx_result parse_prefix(const char *s, size_t n, struct prefix *pf)
{
	memset(pf, 0, sizeof *pf);
	int64_t us;
	unsigned fl;
	size_t p, k = tp_exim(s, n, &us, &fl);
	int have_time = 0;
	if (k) {
		if (k < n && s[k] != ' ')
			return PFX_NONE;
		pf->ts = us;
		pf->flags = fl;
		have_time = 1;
		p = skip_sp(s, n, k);
		size_t t = syslog_tag(s, n, p, pf);
		if (t)
			p = t;
	} else {
		k = tp_syslog(s, n, &us, &fl);
		if (!k)
			k = tp_iso(s, n, &us, &fl);
		if (k) {
			if (k >= n || s[k] != ' ')
				return PFX_NONE;
			pf->ts = us;
			pf->flags = fl;
			have_time = 1;
			p = skip_sp(s, n, k);
		} else {
			p = 0;
		}
		size_t t = syslog_tag(s, n, p, pf);
		if (!t)
			return PFX_NONE;
		p = t;
	}
	if (pf->exim_tag) {
		/* Syslog splits long lines: "[2/3] ..." parts carry no id. */
		if (p + 4 < n && s[p] == '[' && is_digit((unsigned char)s[p + 1])) {
			size_t q = p + 1;
			unsigned part = 0;
			while (q < n && is_digit((unsigned char)s[q]) && q - p < 5)
				part = part * 10 + (unsigned)(s[q++] - '0');
			if (q < n && (s[q] == '/' || s[q] == '\\')) {
				size_t r = q + 1;
				while (r < n && is_digit((unsigned char)s[r]))
					r++;
				if (r > q + 1 && r < n && s[r] == ']') {
					if (part > 1)
						return PFX_CONT;
					p = skip_sp(s, n, r + 1);
				}
			}
		}
		k = tp_exim(s + p, n - p, &us, &fl);
		if (k && (p + k == n || s[p + k] == ' ')) {
			pf->ts = us;
			pf->flags = fl;
			have_time = 1;
			p = skip_sp(s, n, p + k);
		}
	}
	if (!have_time)
		return PFX_NONE;
	uint32_t pid;
	size_t b = bracket_pid(s, n, p, &pid);
	if (b && (p + b == n || s[p + b] == ' ')) {
		pf->pid = pid;
		p = skip_sp(s, n, p + b);
	}
	pf->end = p;
	return p >= n ? PFX_EMPTY : PFX_OK;
}

/* ---- host specs and tags --------------------------------------------- */

struct hostspec {
	size_t n0, n1;  /* host name */
	size_t h0, h1;  /* HELO, inside the parentheses */
	size_t i0, i1;  /* address, inside the brackets */
	size_t s0, s1;  /* the whole spec, name .. "]:port" */
};

static int is_portch(unsigned char c)
{
	return is_alnum(c) || c == '_';
}

/*
 * Host as Exim prints it (FORMATS.md §1.4 H=, spec "only the final
 * bracketed address is reliable"):
 *   mail.zee.corp [3.3.3.3]   (test.corp) [2.2.2.2]
 *   localhost (myhost.test.ex) [127.0.0.1]:10002   [127.0.0.1]:53343
 *   l-sec.test.ex DS [127.0.0.1]   127.0.0.1 [127.0.0.1]*
 * In tag mode (the value of H=) a bare name is a host; elsewhere a name
 * counts only when "(helo)" or "[ip]" follows.  Returns the end (after a
 * trailing '*'), or p when nothing matched.
 */
static size_t hostspec(struct ln *L, size_t p, int tag, struct hostspec *hs)
{
	const char *s = L->s;
	size_t n = L->n, q = p;
	memset(hs, 0, sizeof *hs);
	if (q >= n || s[q] == ' ')
		return p;
	hs->s0 = p;
	if (s[q] != '[' && s[q] != '(') {
		size_t e = tok_end(s, n, q), r = e;
		if (tag && r + 3 < n && s[r] == ' ' && s[r + 1] == 'D' && s[r + 2] == 'S' &&
		    s[r + 3] == ' ')
			r += 3;
		int more = r + 1 < n && s[r] == ' ' && (s[r + 1] == '(' || s[r + 1] == '[');
		if (!more && !tag)
			return p;
		hs->n0 = q;
		hs->n1 = e;
		hs->s1 = e;
		if (!more)
			return e;
		q = r + 1;
	}
	if (s[q] == '(') {
		size_t c = find_close(L, q + 1);
		if (c >= n)
			return hs->n1 > hs->n0 ? hs->n1 : p;
		hs->h0 = q + 1;
		hs->h1 = c;
		q = c + 1;
		hs->s1 = q;
		if (!(q + 1 < n && s[q] == ' ' && s[q + 1] == '['))
			return q;
		q++;
	}
	size_t r = q + 1;
	while (r < n && s[r] != ']' && s[r] != ' ')
		r++;
	hs->i0 = q + 1;
	hs->i1 = r;
	if (r < n && s[r] == ']') {
		q = r + 1;
		if (q + 1 < n && s[q] == ':' && is_portch((unsigned char)s[q + 1])) {
			q++;
			while (q < n && is_portch((unsigned char)s[q]))
				q++;
		}
		hs->s1 = q;
		if (q < n && s[q] == '*')
			q++;
		return q;
	}
	/* "[4.4.4.4: SMTP error ..." - a real anonymised log lost the ']':
	 * keep the address and leave the ": " separator to the caller. */
	if (hs->i1 > hs->i0 && s[hs->i1 - 1] == ':')
		hs->i1--;
	hs->s1 = hs->i1;
	return hs->i1;
}

enum tok_kind { TK_END, TK_TAG, TK_WORD, TK_GROUP, TK_SEP };

struct tok {
	enum tok_kind kind;
	size_t start, end;   /* the token (for TK_WORD without a trailing ':') */
	size_t k0, k1;       /* TK_TAG: key */
	size_t v0, v1;       /* TK_TAG: value (inside the quotes if quoted) */
	int quoted;
	int sep_after;       /* ": " follows: free text starts after it */
	struct hostspec hs;  /* TK_TAG with key "H" */
};

static int key_is(const struct ln *L, const struct tok *t, const char *k)
{
	size_t kl = strlen(k);
	return t->k1 - t->k0 == kl && memcmp(L->s + t->k0, k, kl) == 0;
}

static int word_is(const struct ln *L, const struct tok *t, const char *w)
{
	size_t wl = strlen(w);
	return t->end - t->start == wl && memcmp(L->s + t->start, w, wl) == 0;
}

/* ':' directly followed by a space or the end: the message separator. */
static int sep_at(const struct ln *L, size_t p)
{
	return p < L->n && L->s[p] == ':' && (p + 1 == L->n || L->s[p + 1] == ' ');
}

/*
 * Next field at *pp:  KEY=value | KEY="quoted \" value" | H=<hostspec> |
 * (group) | word | ":" (the Exim 4.99 " : " separator).  A ':' right after
 * a value or word (Exim <= 4.98, "[3.3.3.3]: SMTP error") sets sep_after.
 */
static void tok_next(struct ln *L, size_t *pp, struct tok *t)
{
	const char *s = L->s;
	size_t n = L->n, p = skip_sp(s, n, *pp);
	t->kind = TK_END;
	t->sep_after = 0;
	t->quoted = 0;
	t->start = t->end = p;
	if (p >= n) {
		*pp = n;
		return;
	}
	if (sep_at(L, p)) {
		t->kind = TK_SEP;
		t->end = p + 1;
		*pp = p + 1;
		return;
	}
	size_t k = p;
	if (is_alpha((unsigned char)s[p]))
		while (k < n && k - p < 8 && (is_alnum((unsigned char)s[k]) || s[k] == '*'))
			k++;
	if (k > p && k < n && s[k] == '=') {
		size_t v = k + 1, e;
		t->kind = TK_TAG;
		t->k0 = p;
		t->k1 = k;
		if (k - p == 1 && s[p] == 'H' && (e = hostspec(L, v, 1, &t->hs)) > v) {
			t->v0 = t->hs.s0;
			t->v1 = t->hs.s1;
		} else if (v < n && s[v] == '"') {
			size_t q = v + 1;
			while (q < n && s[q] != '"')
				q += s[q] == '\\' ? 2 : 1;
			if (q > n)
				q = n;
			t->quoted = 1;
			t->v0 = v + 1;
			t->v1 = q;
			e = q < n ? q + 1 : n;
		} else {
			e = tok_end(s, n, v);
			t->v0 = v;
			t->v1 = e;
			/* "R=r0: bounced (:fail:)" */
			if (e > v && s[e - 1] == ':') {
				t->v1 = e - 1;
				t->sep_after = 1;
			}
		}
		t->end = e;
		if (!t->sep_after && sep_at(L, e)) {
			t->sep_after = 1;
			e++;
		}
		*pp = e;
		return;
	}
	if (s[p] == '(') {
		size_t c = find_close(L, p + 1);
		if (c < n) {
			t->kind = TK_GROUP;
			t->end = c + 1;
			*pp = c + 1;
			if (sep_at(L, c + 1)) {
				t->sep_after = 1;
				*pp = c + 2;
			}
			return;
		}
	}
	size_t e = tok_end(s, n, p);
	t->kind = TK_WORD;
	t->end = e;
	*pp = e;
	if (e > p + 1 && s[e - 1] == ':') {
		t->end = e - 1;
		t->sep_after = 1;
	}
}

/* Bare words Exim puts between the tags of delivery lines. */
static int is_flag_word(const struct ln *L, const struct tok *t)
{
	static const char *const words[] = {"DS", "L", "L*", "L.", "L-", "K", "PRDR",
					    "TFO", "TFO*", "*", "ARC", "SPF", "DMARC"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (word_is(L, t, words[i]))
			return 1;
	return 0;
}

/* ---- reply codes and links ------------------------------------------- */

/* "5.1.1" at p (class 2/4/5, 1-3 digits, 1-3 digits). Returns its length. */
static size_t dsn_at(const char *s, size_t n, size_t p)
{
	if (p + 5 > n || (s[p] != '2' && s[p] != '4' && s[p] != '5') || s[p + 1] != '.')
		return 0;
	size_t q = p + 2, d = 0;
	while (q < n && is_digit((unsigned char)s[q]) && d < 3) {
		q++;
		d++;
	}
	if (!d || q >= n || s[q] != '.')
		return 0;
	q++;
	d = 0;
	while (q < n && is_digit((unsigned char)s[q]) && d < 3) {
		q++;
		d++;
	}
	if (!d || (q < n && (is_digit((unsigned char)s[q]) || s[q] == '.')))
		return 0;
	return q - p;
}

/*
 * Basic and enhanced code from a reply or error text.  The code is taken
 * at the start or right after a ": ":
 *   250 2.0.0 Ok: queued as 385EB81403
 *   SMTP error from remote mail server after RCPT TO:<x>: 550 5.1.1 <x>: ...
 * and a qmail-style "(#5.1.1)" anywhere gives the enhanced code.
 */
static void reply_codes(struct ln *L, size_t a, size_t b)
{
	const char *s = L->s;
	size_t p = a;
	while (p < b) {
		if (p + 3 <= b && s[p] >= '2' && s[p] <= '5' && is_digit((unsigned char)s[p + 1]) &&
		    is_digit((unsigned char)s[p + 2]) &&
		    (p + 3 == b || s[p + 3] == ' ' || s[p + 3] == '-')) {
			L->out->smtp_code = (uint16_t)((s[p] - '0') * 100 + (s[p + 1] - '0') * 10 +
						       (s[p + 2] - '0'));
			size_t q = p + 3;
			while (q < b && (s[q] == ' ' || s[q] == '-'))
				q++;
			size_t d = dsn_at(s, b, q);
			if (d)
				put(L, F_DSN, q, q + d);
			break;
		}
		/* memchr, not memmem: sanitizer builds check memmem's whole
		 * haystack per call, which made this loop quadratic there. */
		const char *c = memchr(s + p, ':', b - p);
		while (c && (size_t)(c - s) + 1 < b && c[1] != ' ')
			c = memchr(c + 1, ':', b - (size_t)(c + 1 - s));
		if (!c || (size_t)(c - s) + 1 >= b)
			break;
		p = (size_t)(c - s) + 2;
	}
	if (!L->out->f[F_DSN].n) {
		size_t h = find(s, b, a, "(#", 2);
		size_t d = h < b ? dsn_at(s, b, h + 2) : 0;
		if (d)
			put(L, F_DSN, h + 2, h + 2 + d);
	}
}

/* Next-hop queue id in a C="..." confirmation (FORMATS.md §1.5, §1.12):
 *   250 2.0.0 Ok: queued as 385EB81403     (Postfix next hop)
 *   250 OK id=10HmaY-000000005vi-0000      (Exim next hop) */
static void confirm_link(struct ln *L, const char *c, size_t n)
{
	const char *q = memmem(c, n, "queued as ", 10);
	if (q) {
		size_t a = (size_t)(q - c) + 10, b = a;
		while (b < n && is_alnum((unsigned char)c[b]))
			b++;
		if (b > a) {
			L->out->f[F_LINK].p = c + a;
			L->out->f[F_LINK].n = (uint32_t)(b - a);
			L->out->link = LINK_NEXT_HOP;
			return;
		}
	}
	for (const char *p = c; (p = memchr(p, '=', n - (size_t)(p - c))) != NULL; p++) {
		size_t a = (size_t)(p - c) + 1;
		if (p - c < 2 || p[-1] != 'd' || p[-2] != 'i' || (p - c > 2 && p[-3] != ' '))
			continue;
		size_t len = exim_id_len(c, n, a);
		if (len) {
			L->out->f[F_LINK].p = c + a;
			L->out->f[F_LINK].n = (uint32_t)len;
			L->out->link = LINK_NEXT_HOP;
			return;
		}
	}
}

/* ---- arrival --------------------------------------------------------- */

/*
 * 2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386
 * 2020-06-19 04:54:02 1jmFas-0004f6-EB <= <> R=1jmFYj-00039V-QX U=Debian-exim P=local S=8656
 * 2018-07-15 18:30:17 1fekqf-00088g-Ra <= no-reply@x.tk H=(www.x.tk) [209.97.191.180]:49466 P=esmtpsa
 *     X=... A=dovecot_login:no-reply@x.tk S=9645 id=44c3...@www.x.tk T="Confirm" for a@b.com
 * Field order: FORMATS.md §1.4 (receive.c).  "(=" is the same line for a
 * fakereject.
 */
static enum parse_result h_arrival(struct ln *L, size_t p, int fake, const char **why)
{
	const char *s = L->s;
	size_t n = L->n;
	struct pline *o = L->out;
	p = skip_sp(s, n, p);
	size_t e = tok_end(s, n, p);
	if (e == p) {
		*why = "arrival line without sender";
		return PARSE_BAD;
	}
	put_addr(L, F_SENDER, p, e);
	o->kind = fake ? EV_REJECT : EV_QUEUED;
	o->outcome = fake ? OUT_REJECTED : OUT_QUEUED;
	size_t q = e;
	struct tok t;
	for (;;) {
		tok_next(L, &q, &t);
		if (t.kind == TK_END)
			break;
		if (t.kind == TK_WORD) {
			if (word_is(L, &t, "for")) {
				size_t a = skip_sp(s, n, q);
				put(L, F_RCPTS, a, trim_end(s, a, n));
				break;
			}
			/* " from <raw_sender>" (selector received_sender) */
			if (word_is(L, &t, "from") && q + 1 < n && s[q + 1] == '<') {
				size_t tmp = q + 1;
				tok_next(L, &tmp, &t);
				q = tmp;
			}
			continue;
		}
		if (t.kind != TK_TAG)
			continue;
		size_t v0 = t.v0, v1 = t.v1;
		if (key_is(L, &t, "R")) {
			size_t len = exim_id_len(s, v1, v0);
			if (len == v1 - v0) {
				put(L, F_LINK, v0, v1);
				o->link = LINK_BOUNCE_PARENT;
			}
		} else if (key_is(L, &t, "H")) {
			put(L, F_CLIENT_HOST, t.hs.n0, t.hs.n1);
			put(L, F_HELO, t.hs.h0, t.hs.h1);
			put(L, F_CLIENT_IP, t.hs.i0, t.hs.i1);
		} else if (key_is(L, &t, "U")) {
			put(L, F_DETAIL, t.k0, v1);
		} else if (key_is(L, &t, "P")) {
			put(L, F_PROTO, v0, v1);
		} else if (key_is(L, &t, "A")) {
			/* authenticator[:set_id[:auth_sender]] */
			const char *c = memchr(s + v0, ':', v1 - v0);
			if (c) {
				size_t a = (size_t)(c - s) + 1;
				const char *c2 = a < v1 ? memchr(s + a, ':', v1 - a) : NULL;
				put(L, F_AUTH, a, c2 ? (size_t)(c2 - s) : v1);
			} else {
				put(L, F_AUTH, v0, v1);
			}
		} else if (key_is(L, &t, "S")) {
			int64_t sz = 0;
			size_t i = v0;
			while (i < v1 && is_digit((unsigned char)s[i]) && i - v0 < 18)
				sz = sz * 10 + (s[i++] - '0');
			if (i == v1 && v1 > v0)
				o->size = sz;
		} else if (key_is(L, &t, "id") || key_is(L, &t, "id*")) {
			put_addr(L, F_MSGID, v0, v1);
		} else if (key_is(L, &t, "T")) {
			if (t.quoted)
				put_quoted(L, F_SUBJECT, v0, v1);
			else
				put(L, F_SUBJECT, v0, v1);
		}
	}
	return PARSE_OK;
}

/* ---- deliveries, deferrals, failures ---------------------------------- */

/*
 * The address part of a delivery line (deliver.c string_log_address):
 *   bob@x.corp    userx <userx@test.ex>    :blackhole: <hole@nowhere.example>
 *   userx@domain.com (ruserx@domain.com, rruserx@domain.com) <rrruserx@domain.com>
 *   |/bin/sh -c "cat >x" <pipe@test.ex>    e0@test.ex: retry timeout exceeded
 * Returns the offset after it; *sep is set when a ':' separator ended it.
 */
static size_t addr_part(struct ln *L, size_t p, int *sep)
{
	const char *s = L->s;
	size_t n = L->n;
	*sep = 0;
	if (s[p] == '|') {
		/* A pipe command may hold spaces: it runs to the first tag. */
		size_t lim = FIND(L, p, " R="), lt = FIND(L, p, " T=");
		if (lt < lim)
			lim = lt;
		size_t b = lim;
		if (b > p + 1 && s[b - 1] == '>') {
			for (size_t q = b - 1; q > p; q--) {
				if (s[q] == '<' && s[q - 1] == ' ') {
					put(L, F_ORIG_RCPT, q + 1, b - 1);
					b = q - 1;
					break;
				}
			}
		}
		put(L, F_RCPT, p, b);
		return lim;
	}
	size_t e = tok_end(s, n, p), a = p, b = e;
	if (s[a] == '>' && b > a + 1) /* filter auto-reply */
		a++;
	if (b > a + 1 && s[b - 1] == ':' && s[a] != ':') {
		b--;
		*sep = 1;
	}
	put(L, F_RCPT, a, b);
	size_t q = e;
	int seen_parent = 0, seen_orig = 0;
	while (!*sep) {
		size_t r = skip_sp(s, n, q);
		if (r >= n)
			break;
		if (s[r] == '(' && !seen_parent && !seen_orig) {
			size_t c = find_close(L, r + 1);
			if (c >= n)
				break;
			seen_parent = 1;
			q = c + 1;
		} else if (s[r] == '<' && !seen_orig) {
			size_t c = r + 1;
			while (c < n && s[c] != '>' && s[c] != ' ')
				c++;
			if (c >= n || s[c] != '>')
				break;
			put(L, F_ORIG_RCPT, r + 1, c);
			seen_orig = 1;
			q = c + 1;
		} else {
			break;
		}
		if (sep_at(L, q)) {
			*sep = 1;
			q++;
		}
	}
	return q;
}

/*
 * 2020-06-19 06:26:02 1jmH1s-000AVD-5t => dave@foo.corp R=dnslookup T=remote_smtp H=mail.foo.corp [1.1.1.1] C="250 2.0.0 Ok: queued"
 * 2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out
 * 1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** c@test.ex R=all T=smtp H=127.0.0.1 [127.0.0.1]* : SMTP error from remote mail server after RCPT TO:<c@test.ex>: 550 Recipient not OK
 * FORMATS.md §1.5-1.7 (deliver.c delivery_log, deferral_log, failure_log).
 * flag: '>' for => -> >>, '*' for *>, '=' for ==, '!' for **.
 */
static enum parse_result h_delivery(struct ln *L, size_t p, char flag, const char **why)
{
	const char *s = L->s;
	size_t n = L->n;
	struct pline *o = L->out;
	p = skip_sp(s, n, p);
	if (p >= n) {
		*why = "delivery line without address";
		return PARSE_BAD;
	}
	int failing = flag == '=' || flag == '!';
	int sep;
	size_t q = addr_part(L, p, &sep);
	size_t det0 = n, det1 = 0, reply0 = n;
	size_t rel0 = 0, rel1 = 0, tr0 = 0, tr1 = 0, rp0 = 0, rp1 = 0;
	int have_sender = 0;
	struct tok t;
	while (!sep) {
		tok_next(L, &q, &t);
		if (t.kind == TK_END)
			break;
		if (t.kind == TK_SEP) {
			sep = 1;
			break;
		}
		if (t.kind == TK_TAG) {
			size_t v0 = t.v0, v1 = t.v1;
			if (key_is(L, &t, "R") || key_is(L, &t, "T")) {
				if (t.k0 < det0)
					det0 = t.k0;
				if (v1 > det1)
					det1 = v1;
				if (s[t.k0] == 'T') {
					tr0 = v0;
					tr1 = v1;
				}
			} else if (key_is(L, &t, "H")) {
				rel0 = v0;
				rel1 = v1;
			} else if (key_is(L, &t, "F")) {
				put_addr(L, F_SENDER, v0, v1);
				have_sender = 1;
			} else if (key_is(L, &t, "P")) {
				rp0 = v0;
				rp1 = v1;
			} else if (key_is(L, &t, "C")) {
				if (t.quoted)
					put_quoted(L, F_REPLY, v0, v1);
				else
					put(L, F_REPLY, v0, v1);
			} else if (key_is(L, &t, "S")) {
				int64_t sz = 0;
				size_t i = v0;
				while (i < v1 && is_digit((unsigned char)s[i]) && i - v0 < 18)
					sz = sz * 10 + (s[i++] - '0');
				if (i == v1 && v1 > v0)
					o->size = sz;
			}
		} else if (t.kind == TK_WORD) {
			if (word_is(L, &t, "defer") ||
			    (word_is(L, &t, "routing") && AT(L, skip_sp(s, n, q), "defer "))) {
				if (t.start < det0)
					det0 = t.start;
				if (t.end > det1)
					det1 = t.end;
			} else if (!is_flag_word(L, &t) && failing) {
				/* "** file@x.y routing yielded a local delivery" */
				reply0 = t.start;
				break;
			}
		} else if (t.kind == TK_GROUP) {
			/* "defer (110)" errno, or "ST=t (reason)" */
			if (det1 && det1 + 1 == t.start)
				det1 = t.end;
		}
		if (t.sep_after) {
			sep = 1;
			break;
		}
	}
	if (sep)
		reply0 = skip_sp(s, n, q);
	if (reply0 < n && failing)
		put(L, F_REPLY, reply0, trim_end(s, reply0, n));
	if (!have_sender && rp1 > rp0)
		put_addr(L, F_SENDER, rp0, rp1);
	if (rel1 > rel0)
		put(L, F_RELAY, rel0, rel1);
	else
		put(L, F_RELAY, tr0, tr1);
	if (det1 > det0)
		put(L, F_DETAIL, det0, det1);

	struct slice r = o->f[F_REPLY];
	if (r.p && r.n) {
		/* The reply may live in scratch: scan it as its own buffer. */
		struct ln R = *L;
		R.s = r.p;
		R.n = r.n;
		R.no_close_from = r.n;
		reply_codes(&R, 0, r.n);
		if (flag == '>' || flag == '*')
			confirm_link(L, r.p, r.n);
	}
	switch (flag) {
	case '>':
		o->kind = EV_DELIVERED;
		o->outcome = OUT_DELIVERED;
		break;
	case '*':
		o->kind = EV_SUPPRESSED;
		break;
	case '=':
		o->kind = EV_DEFERRED;
		o->outcome = OUT_DEFERRED;
		if (r.p && r.n && (memmem(r.p, r.n, "etry time not reached", 21) ||
			    memmem(r.p, r.n, "etry time not yet reached", 25)))
			o->kind = EV_RETRY_WAIT;
		break;
	default:
		o->kind = EV_BOUNCED;
		o->outcome = OUT_BOUNCED;
		break;
	}
	return PARSE_OK;
}

/* ---- connection-level lines ------------------------------------------ */

static void put_client(struct ln *L, const struct hostspec *hs)
{
	put(L, F_CLIENT_HOST, hs->n0, hs->n1);
	put(L, F_HELO, hs->h0, hs->h1);
	put(L, F_CLIENT_IP, hs->i0, hs->i1);
}

/* An address argument: "<a@b>", "<>", or bare "a@b" / "a@b:". */
static size_t addr_arg(struct ln *L, size_t q, enum pfield f)
{
	const char *s = L->s;
	size_t n = L->n;
	if (q >= n)
		return q;
	if (s[q] == '<') {
		const char *c = memchr(s + q, '>', n - q);
		if (c) {
			size_t e = (size_t)(c - s) + 1;
			if (!L->out->f[f].n)
				put_addr(L, f, q, e);
			return e;
		}
	}
	size_t e = tok_end(s, n, q), b = e;
	if (b > q && s[b - 1] == ':')
		b--;
	if (!L->out->f[f].n)
		put(L, f, q, b);
	return b;
}

/* Reason after the first ": " from q, with its codes. */
static void reason_from(struct ln *L, size_t q)
{
	size_t c = FIND(L, q, ": ");
	if (c >= L->n)
		return;
	size_t a = skip_sp(L->s, L->n, c + 2);
	size_t b = trim_end(L->s, a, L->n);
	put(L, F_REPLY, a, b);
	if (b > a)
		reply_codes(L, a, b);
}

/*
 * Rejections (FORMATS.md §1.9), after any leading tags:
 *   H=test.com [1.2.3.4]:53343 F=<info@test.com> rejected RCPT <toto@toto.com>: "JunkMail rejected - ..."
 *   U=CALLER rejected MAIL <userx@broken.example>: Sender verify failed
 *   H=tata.test.biz [1.2.3.4]:41584 sender verify fail for <toto@test.biz>: The mail server ...
 *   H=test.sa.com [1.2.3.4]:18146 temporarily rejected connection in "connect" ACL: "Host is ratelimited"
 *   1Unmew-0000ea-SE H=... F=auguriesvbd40@google.com rejected after DATA: This message contains a virus
 * q is at the verb; returns 0 when the verb is not a rejection.
 */
static int reject_verb(struct ln *L, size_t q)
{
	const char *s = L->s;
	size_t n = L->n;
	if (AT(L, q, "temporarily "))
		q += LEN("temporarily ");
	if (AT(L, q, "rejected ")) {
		q += LEN("rejected ");
		if (AT(L, q, "RCPT ")) {
			q = addr_arg(L, skip_sp(s, n, q + LEN("RCPT ")), F_RCPT);
		} else if (AT(L, q, "MAIL ")) {
			q += LEN("MAIL ");
			if (AT(L, q, "FROM:"))
				q += LEN("FROM:");
			if (q < n && s[q] == '<')
				q = addr_arg(L, q, F_SENDER);
		} else if (AT(L, q, "EHLO or HELO ")) {
			q = addr_arg(L, q + LEN("EHLO or HELO "), F_HELO);
		} else if (AT(L, q, "from <")) {
			q = addr_arg(L, q + LEN("from "), F_SENDER);
		} else if (AT(L, q, "EHLO from ") || AT(L, q, "HELO from ")) {
			/* rejected EHLO from ([IPV6:...]) [ip6]: syntactically invalid argument(s): ... */
			struct hostspec hs;
			q = hostspec(L, q + LEN("EHLO from "), 0, &hs);
			put_client(L, &hs);
		}
	} else if (AT(L, q, "sender verify fail") || AT(L, q, "sender verify defer")) {
		size_t f = FIND(L, q, " for ");
		if (f < n)
			q = addr_arg(L, f + LEN(" for "), F_SENDER);
	} else if (!AT(L, q, "dropped by ")) {
		return 0;
	}
	reason_from(L, q);
	L->out->kind = EV_REJECT;
	L->out->outcome = OUT_REJECTED;
	return 1;
}

/*
 * Lines that start with connection tags (H= U= F= I= X= ...), with or
 * without a message id: rejections, "Warning:", and on a message the
 * per-host error before a deferral:
 *   1jmFYj-00039V-QX H=null.corp [6.6.6.6] Connection timed out
 *   10HmbA-000000005vi-0000 H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after ...: 451 Temp error
 */
static enum parse_result h_tagged(struct ln *L, size_t p)
{
	const char *s = L->s;
	size_t n = L->n;
	struct pline *o = L->out;
	struct hostspec hs;
	int have_h = 0, after_sep = 0;
	memset(&hs, 0, sizeof hs);
	size_t q = p, rest = n;
	struct tok t;
	for (;;) {
		size_t before = q;
		tok_next(L, &q, &t);
		if (t.kind != TK_TAG) {
			rest = t.kind == TK_SEP ? skip_sp(s, n, q) : skip_sp(s, n, before);
			after_sep = t.kind == TK_SEP;
			break;
		}
		if (key_is(L, &t, "H")) {
			hs = t.hs;
			have_h = 1;
		} else if (key_is(L, &t, "F")) {
			put_addr(L, F_SENDER, t.v0, t.v1);
		} else if (key_is(L, &t, "P")) {
			put(L, F_PROTO, t.v0, t.v1);
		} else if (key_is(L, &t, "A")) {
			const char *c = memchr(s + t.v0, ':', t.v1 - t.v0);
			put(L, F_AUTH, c ? (size_t)(c - s) + 1 : t.v0, t.v1);
		}
		if (t.sep_after) {
			rest = skip_sp(s, n, q);
			after_sep = 1;
			break;
		}
	}
	if (!after_sep && reject_verb(L, rest)) {
		put_client(L, &hs);
		return PARSE_OK;
	}
	if (!after_sep && AT(L, rest, "Warning: ")) {
		put_client(L, &hs);
		size_t a = rest + LEN("Warning: ");
		put(L, F_REPLY, a, trim_end(s, a, n));
		o->kind = EV_WARNING;
		return PARSE_OK;
	}
	if (L->has_id && have_h) {
		put(L, F_RELAY, hs.s0, hs.s1);
		put(L, F_REPLY, rest, trim_end(s, rest, n));
		if (rest < n)
			reply_codes(L, rest, trim_end(s, rest, n));
		o->kind = EV_HOST_ERROR;
		return PARSE_OK;
	}
	/* Not understood: keep only what identifies the message. */
	for (int f = F_LINK; f < F__COUNT; f++) {
		o->f[f].p = NULL;
		o->f[f].n = 0;
	}
	o->kind = EV_UNKNOWN;
	o->outcome = OUT_NONE;
	o->smtp_code = 0;
	return PARSE_OK;
}

/* Skip "KEY=value" fields; returns where the first other word starts. */
static size_t skip_tags(struct ln *L, size_t q)
{
	struct tok t;
	for (;;) {
		size_t before = q;
		tok_next(L, &q, &t);
		if (t.kind != TK_TAG)
			return skip_sp(L->s, L->n, before);
	}
}

/*
 * SMTP connection lines (selector smtp_connection, lost_incoming_connection):
 *   SMTP connection from [ip4.ip4.ip4.ip4]:10005 I=[...]:PORT_D Ci=p1241 (TCP/IP connection count = 1)
 *   SMTP connection from localhost (myhost.test.ex) [127.0.0.1] D=qqs closed by QUIT
 *   SMTP connection Ci=p1241 from (rhubarb) [ip4.ip4.ip4.ip4]:10005 I=[...] D=qqs closed by QUIT
 *   1ahr79-0006jK-G9 SMTP connection from (voyeur.webair.com) [174.137.147.204]:44884 ... closed by DROP in ACL
 *   10HmaX-000000005vi-0000 SMTP connection lost after final dot H=(test) [127.0.0.1] P=smtps
 *   1fefVb-0004tv-AC SMTP connection outbound 1531655291 1fefVb-0004tv-AC dom rcpt   (cPanel)
 */
static enum parse_result h_smtp_connection(struct ln *L, size_t p)
{
	const char *s = L->s;
	size_t n = L->n;
	struct pline *o = L->out;
	size_t q = p + LEN("SMTP connection ");
	struct hostspec hs;
	if (AT(L, q, "outbound ")) {
		put(L, F_DETAIL, p, trim_end(s, p, n));
		o->kind = EV_NOTE;
		return PARSE_OK;
	}
	if (AT(L, q, "Ci="))
		q = skip_sp(s, n, tok_end(s, n, q));
	if (AT(L, q, "from ")) {
		q += LEN("from ");
		size_t h = hostspec(L, q, 0, &hs);
		put_client(L, &hs);
		/* "from root D=qqs closed by QUIT": a local user, not a host */
		if (h == q && q < n && s[q] != '(' && s[q] != '[')
			h = tok_end(s, n, q);
		size_t r = skip_tags(L, h);
		if (AT(L, r, "(TCP/IP connection count")) {
			o->kind = EV_CONNECT;
			return PARSE_OK;
		}
		if (r >= n && !L->has_id) {
			o->kind = EV_CONNECT;
			return PARSE_OK;
		}
		put(L, F_REPLY, r, trim_end(s, r, n));
		o->kind = EV_DISCONNECT;
		return PARSE_OK;
	}
	size_t h = FIND(L, q, " H=");
	if (h < n) {
		hostspec(L, h + LEN(" H="), 1, &hs);
		put_client(L, &hs);
	}
	put(L, F_REPLY, p, trim_end(s, p, h));
	o->kind = EV_DISCONNECT;
	return PARSE_OK;
}

/*
 * Authentication failure (FORMATS.md §1.9; fail2ban, crowdsec samples):
 *   dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=abuse@test.com)
 *   auth_plain authenticator failed for (rom182) [193.254.202.35]:41556 I=[10.0.0.1]:25: 535 Incorrect ...
 */
static enum parse_result h_auth_fail(struct ln *L, size_t p, size_t name_end)
{
	const char *s = L->s;
	size_t n = L->n;
	struct hostspec hs;
	size_t q = name_end + LEN(" authenticator failed for ");
	q = hostspec(L, q, 0, &hs);
	put_client(L, &hs);
	put(L, F_DETAIL, p, name_end);
	reason_from(L, q);
	struct slice r = L->out->f[F_REPLY];
	if (r.n) {
		const char *id = memmem(r.p, r.n, "(set_id=", 8);
		if (id) {
			size_t a = (size_t)(id - s) + 8;
			size_t b = a;
			while (b < n && s[b] != ')')
				b++;
			put(L, F_AUTH, a, b);
		}
	}
	L->out->kind = EV_AUTH_FAIL;
	return PARSE_OK;
}

/* "X authenticator failed for": returns the end of X, or 0. */
static size_t auth_fail_at(const char *s, size_t n, size_t p)
{
	size_t e = tok_end(s, n, p);
	if (e > p && at_lit(s, n, e, " authenticator failed for ", 26))
		return e;
	return 0;
}

/* Lines Exim writes for the daemon, not for mail (PARSE_SKIP):
 *   Start queue run: pid=12762   End queue run: pid=p1234 -qf
 *   exim 4.92 daemon started: pid=1234, -q30m, listening for SMTP on port 25
 *   cwd=/var/spool/exim 3 args: /usr/sbin/sendmail -t -i
 *   ETRN #one received from (rhu.barb) [127.0.0.1] */
static int is_skip_text(const char *s, size_t n, size_t p)
{
	if (at_lit(s, n, p, "Start queue run", 15) || at_lit(s, n, p, "End queue run", 13) ||
	    at_lit(s, n, p, "cwd=", 4) || at_lit(s, n, p, "ETRN ", 5))
		return 1;
	if (at_lit(s, n, p, "exim ", 5)) {
		size_t lim = n - p < 80 ? n - p : 80;
		return memmem(s + p, lim, "daemon started", 14) != NULL;
	}
	return 0;
}

/* Texts of lines without a message id that this parser knows (probe). */
static int is_known_noid(const char *s, size_t n, size_t p)
{
	static const char *const pre[] = {
		"H=", "U=", "F=", "SMTP ", "no MAIL ", "rejected ", "temporarily rejected ",
		"sender verify ", "TLS error ", "no host name found", "no IP address found",
		"unexpected disconnection", "Warning: ", "DKIM",
	};
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
		if (at_lit(s, n, p, pre[i], strlen(pre[i])))
			return 1;
	return is_skip_text(s, n, p) || auth_fail_at(s, n, p) != 0;
}

/* ---- dispatch --------------------------------------------------------- */

/* Text of a message-id line that is not a flag line (FORMATS.md §1.8). */
static int h_message_text(struct ln *L, size_t p)
{
	const char *s = L->s;
	size_t n = L->n;
	struct pline *o = L->out;
	size_t end = trim_end(s, p, n);
	/* 2020-06-19 04:54:02 [456] 1jmFYj-00039V-QX Completed */
	if (AT(L, p, "Completed") && (p + 9 == n || s[p + 9] == ' ')) {
		o->kind = EV_DONE;
		return 1;
	}
	/* 10HmbC-000000005vi-0000 Frozen (delivery error message) / frozen by root */
	if (AT(L, p, "Frozen") || AT(L, p, "frozen by ")) {
		o->kind = EV_HOLD;
	} else if (AT(L, p, "Unfrozen") || AT(L, p, "unfrozen by ")) {
		o->kind = EV_RELEASE;
	} else if (AT(L, p, "removed by ") || AT(L, p, "cancelled by ")) {
		o->kind = EV_DELETED;
	} else if (AT(L, p, "Message is frozen") || AT(L, p, "Spool file ") ||
		   AT(L, p, "no immediate delivery") || AT(L, p, "Sender identification ") ||
		   AT(L, p, "PRDR ") ||
		   (end - p >= 15 && memcmp(s + end - 15, ": error ignored", 15) == 0)) {
		o->kind = EV_NOTE;
	} else if (AT(L, p, "SA: ")) {
		/* SpamAssassin via sa-exim: "SA: Action: flagged as Spam but accepted: ..." */
		o->kind = EV_FILTER;
		p += LEN("SA: ");
	} else if (AT(L, p, "malware acl condition") || AT(L, p, "spam acl condition")) {
		put(L, F_REPLY, p, end);
		o->kind = EV_WARNING;
		return 1;
	} else if (AT(L, p, "SMTP error from remote")) {
		put(L, F_REPLY, p, end);
		reply_codes(L, p, end);
		o->kind = EV_HOST_ERROR;
		return 1;
	} else if (AT(L, p, "rejected from <")) {
		/* 10HmaX-000000005vi-0000 rejected from <CALLER@myhost.test.ex> U=CALLER: message too big: read=225 max=100 */
		return reject_verb(L, p);
	} else {
		return 0;
	}
	put(L, F_DETAIL, p, end);
	return 1;
}

static enum parse_result dispatch(struct ln *L, size_t p, const char **why)
{
	const char *s = L->s;
	size_t n = L->n;
	struct pline *o = L->out;

	if (L->has_id && p + 2 <= n && (p + 2 == n || s[p + 2] == ' ')) {
		char a = s[p], b = s[p + 1];
		if (a == '<' && b == '=')
			return h_arrival(L, p + 2, 0, why);
		if (a == '(' && b == '=')
			return h_arrival(L, p + 2, 1, why);
		if ((a == '=' || a == '-' || a == '>') && b == '>')
			return h_delivery(L, p + 2, '>', why);
		if (a == '*' && b == '>')
			return h_delivery(L, p + 2, '*', why);
		if (a == '=' && b == '=')
			return h_delivery(L, p + 2, '=', why);
		if (a == '*' && b == '*')
			return h_delivery(L, p + 2, '!', why);
	}
	if (L->has_id && h_message_text(L, p))
		return PARSE_OK;

	size_t end = trim_end(s, p, n);
	/* 10HmaX-000000005vi-0000 DKIM: d=test.ex s=sel c=relaxed/relaxed a=rsa-sha512 b=1024 [verification succeeded]
	 * 2021-10-07 08:00:05.746 [23142] 1mYMRt-00061G-Nx DKIM TEST:   (DirectAdmin logwrite) */
	if (AT(L, p, "DKIM") && p + 4 < n && (s[p + 4] == ':' || s[p + 4] == ' ')) {
		size_t a = AT(L, p, "DKIM: ") ? p + LEN("DKIM: ") : p;
		put(L, F_DETAIL, a, end);
		o->kind = EV_DKIM;
		return PARSE_OK;
	}
	if (!L->has_id && is_skip_text(s, n, p))
		return PARSE_SKIP;
	if (AT(L, p, "SMTP connection "))
		return h_smtp_connection(L, p);
	struct hostspec hs;
	/* no MAIL in SMTP connection from www3005.sakura.ne.jp [49.212.207.15]:28890 I=[172.89.0.6]:25 D=21s C=EHLO,STARTTLS */
	if (AT(L, p, "no MAIL in SMTP connection from ")) {
		size_t q = hostspec(L, p + LEN("no MAIL in SMTP connection from "), 0, &hs);
		put_client(L, &hs);
		put(L, F_REPLY, p, p + LEN("no MAIL in SMTP connection"));
		q = skip_sp(s, n, q);
		put(L, F_DETAIL, q, end);
		o->kind = EV_DISCONNECT;
		return PARSE_OK;
	}
	/* SMTP call from pc012-6201.spo.scu.edu.tw [163.14.21.161]:3767 I=[1.2.3.4]:25 dropped: too many nonmail commands (last was "RSET") */
	if (AT(L, p, "SMTP call from ")) {
		hostspec(L, p + LEN("SMTP call from "), 0, &hs);
		put_client(L, &hs);
		size_t d = FIND(L, p, " dropped: ");
		size_t a = d < n ? d + LEN(" dropped: ") : p;
		put(L, F_REPLY, a, end);
		o->kind = EV_DISCONNECT;
		return PARSE_OK;
	}
	/* unexpected disconnection while reading SMTP command from (test) [127.0.0.1] D=qqs */
	if (AT(L, p, "unexpected disconnection while reading SMTP command from ")) {
		hostspec(L, p + LEN("unexpected disconnection while reading SMTP command from "), 0,
			 &hs);
		put_client(L, &hs);
		put(L, F_REPLY, p, p + LEN("unexpected disconnection while reading SMTP command"));
		o->kind = EV_DISCONNECT;
		return PARSE_OK;
	}
	size_t ae = auth_fail_at(s, n, p);
	if (ae)
		return h_auth_fail(L, p, ae);
	/* TLS error on connection from (rhu.barb) [ip4.ip4.ip4.ip4] (gnutls_handshake): The peer did not send any certificate. */
	if (AT(L, p, "TLS error on connection from ")) {
		size_t q = hostspec(L, p + LEN("TLS error on connection from "), 0, &hs);
		put_client(L, &hs);
		q = skip_sp(s, n, q);
		put(L, F_REPLY, q, end);
		o->kind = EV_TLS;
		return PARSE_OK;
	}
	/* SMTP protocol error in "AUTH LOGIN" H=(ylmf-pc) [45.32.34.167]:60723 I=[172.89.0.6]:587 AUTH command used when not advertised
	 * SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[211.148.195.192]:25936 ... */
	if (AT(L, p, "SMTP protocol ") || AT(L, p, "SMTP syntax error")) {
		size_t h = FIND(L, p, " H=");
		if (h < n) {
			hostspec(L, h + LEN(" H="), 1, &hs);
			put_client(L, &hs);
		}
		put(L, F_REPLY, p, end);
		o->kind = EV_REJECT;
		o->outcome = OUT_REJECTED;
		return PARSE_OK;
	}
	/* no host name found for IP address 192.0.2.8 */
	if (AT(L, p, "no host name found for IP address ")) {
		size_t a = p + LEN("no host name found for IP address ");
		put(L, F_CLIENT_IP, a, tok_end(s, n, a));
		put(L, F_REPLY, p, end);
		o->kind = EV_WARNING;
		return PARSE_OK;
	}
	if (AT(L, p, "no IP address found for host ")) {
		put(L, F_REPLY, p, end);
		o->kind = EV_WARNING;
		return PARSE_OK;
	}
	if (AT(L, p, "Warning: ")) {
		put(L, F_REPLY, p + LEN("Warning: "), end);
		o->kind = EV_WARNING;
		return PARSE_OK;
	}
	/* Connection tags first, or a bare rejection verb. */
	size_t k = p;
	while (k < n && k - p < 8 && (is_alnum((unsigned char)s[k]) || s[k] == '*'))
		k++;
	if ((k > p && k < n && s[k] == '=') || AT(L, p, "rejected ") ||
	    AT(L, p, "temporarily rejected ") || AT(L, p, "sender verify ") ||
	    AT(L, p, "dropped by "))
		return h_tagged(L, p);
	o->kind = EV_UNKNOWN;
	return PARSE_OK;
}

/* ---- parser callbacks -------------------------------------------------- */

static void *exim_begin(void)
{
	struct exim_state *st = malloc(sizeof *st);
	if (st)
		st->used = 0;
	return st;
}

static void exim_end(void *state)
{
	free(state);
}

static enum parse_result exim_line(void *state, const char *line, size_t len,
				   struct pline *out, const char **why)
{
	struct prefix pf;
	enum pfx_result r = parse_prefix(line, len, &pf);
	if (r == PFX_NONE)
		return PARSE_NOMATCH;
	if (r == PFX_CONT)
		return PARSE_SKIP;
	if (r == PFX_EMPTY) {
		*why = "time stamp without text";
		return PARSE_BAD;
	}
	struct ln L = {
		.s = line, .n = len, .st = state, .out = out, .no_close_from = len,
	};
	L.st->used = 0;
	out->ts_us = pf.ts;
	out->flags = (uint8_t)pf.flags;
	out->pid = pf.pid;
	put(&L, F_HOST, pf.host0, pf.host1);
	put(&L, F_PROG, pf.prog0, pf.prog1);
	size_t p = pf.end;
	size_t idl = exim_id_len(line, len, p);
	if (idl && (p + idl == len || line[p + idl] == ' ')) {
		put(&L, F_QID, p, p + idl);
		L.has_id = 1;
		p = p + idl < len ? p + idl + 1 : len;
		if (p >= len) {
			out->kind = EV_UNKNOWN;
			return PARSE_OK;
		}
	}
	return dispatch(&L, p, why);
}

/*
 * Score: each considered line gives 100 when it carries an Exim message
 * id after an Exim (or Exim-tagged syslog) prefix, 80 for a known line
 * without id or any line tagged "exim[pid]:", 0 otherwise.  Rejectlog
 * header dumps ("P Received: ...", "  Subject: ...") are not considered.
 */
static int exim_probe(const char *const *lines, const size_t *lens, size_t n)
{
	size_t considered = 0, sum = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = lines[i];
		size_t len = lens[i];
		if (len == 0 || s[0] == ' ' || s[0] == '\t')
			continue;
		if (len > 2 && s[1] == ' ' && (is_alpha((unsigned char)s[0]) || s[0] == '*') &&
		    !is_digit((unsigned char)s[2]))
			continue;
		if (at_lit(s, len, 0, "Envelope-", 9))
			continue;
		considered++;
		struct prefix pf;
		enum pfx_result r = parse_prefix(s, len, &pf);
		if (r == PFX_CONT) {
			sum += 80;
			continue;
		}
		if (r != PFX_OK)
			continue;
		if (exim_id_len(s, len, pf.end))
			sum += 100;
		else if (pf.exim_tag || is_known_noid(s, len, pf.end))
			sum += 80;
	}
	if (!considered)
		return 0;
	return (int)(sum / considered);
}

const struct parser parser_exim = {
	.name = "exim",
	.title = "Exim mainlog",
	.init = NULL,
	.probe = exim_probe,
	.begin = exim_begin,
	.line = exim_line,
	.end = exim_end,
};
