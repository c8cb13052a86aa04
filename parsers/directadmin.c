/*
 * directadmin.c - DirectAdmin e-mail usage records: /etc/virtual/usage/
 * <user>.bytes, the same lines inside a user's bandwidth.tally, and the
 * limit / BlockCracking lines of /etc/virtual/mail_task.queue.
 *
 * Format (FORMATS.md §3.2, DirectAdmin's exim.pl log_bandwidth:
 * print BYTES "$bytes=$data&path=$work_path\n"):
 *   1234=type=email&email=fred@example.pl&method=outgoing&id=1mYMRt-00061G-Nx&
 *     authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&
 *     log_time=1795166102&message_size=1234&local_part=anna&domain=gmail.com&path=/
 *   982=type=email&email=fred@example.pl&method=incoming&log_time=...&id=...&sender=...&path=...
 *   0=type=timestamp&time=1795132800          (bandwidth.tally day marker)
 *   action=limit&username=fred&count=501&limit=500&email=...&log_time=...
 *
 * Key design decision: exim.pl writes the values RAW although the file is
 * called "urlencoded", so a value may itself contain '&' or '='.  A line
 * is therefore split only at "&<identifier>=", and an occurrence of a key
 * that is a duplicate, or whose value does not have the key's shape (an
 * id that is not an Exim id, a log_time that is not a number), is glued
 * back onto the value before it.  So a sender address
 * "a&id=x@evil.example" stays one address instead of forging the message
 * id, and everything after "&path=" (always written last) is the path.
 * Values are percent-decoded (%XX, never %00); '+' is NOT decoded to a
 * space: exim.pl does not encode, and '+' is common in addresses
 * (user+tag@example.com), so decoding it would corrupt real data.
 */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "parser.h"

#define DA_MAX_PAIRS 64
#define DA_BUF (64u << 10)

enum da_key {
	K_TYPE, K_EMAIL, K_METHOD, K_ID, K_AUTH, K_HOSTADDR, K_LOGTIME, K_MSIZE,
	K_LOCAL, K_DOMAIN, K_PATH, K_SENDER, K_TIME, K_ACTION, K_USERNAME, K_COUNT,
	K_LIMIT, K_SCRIPT_PATH, K__COUNT
};

/* Keys exim.pl and DA's rotate script write (FORMATS.md §3.2). */
static const char *const da_key_names[K__COUNT] = {
	[K_TYPE] = "type", [K_EMAIL] = "email", [K_METHOD] = "method", [K_ID] = "id",
	[K_AUTH] = "authenticated_id", [K_HOSTADDR] = "sender_host_address",
	[K_LOGTIME] = "log_time", [K_MSIZE] = "message_size", [K_LOCAL] = "local_part",
	[K_DOMAIN] = "domain", [K_PATH] = "path", [K_SENDER] = "sender", [K_TIME] = "time",
	[K_ACTION] = "action", [K_USERNAME] = "username", [K_COUNT] = "count",
	[K_LIMIT] = "limit", [K_SCRIPT_PATH] = "script_path",
};

struct da_pair {
	size_t k, kn;  /* key: offset, length in the line */
	size_t v, ve;  /* value: [v, ve) in the line */
	int key;       /* enum da_key, -1 unknown */
};

struct da_state {
	char buf[DA_BUF];
	size_t used;
	struct da_pair pairs[DA_MAX_PAIRS];
};

static int is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_b62(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int key_of(const char *s, size_t n)
{
	for (int i = 0; i < K__COUNT; i++)
		if (strlen(da_key_names[i]) == n && memcmp(da_key_names[i], s, n) == 0)
			return i;
	return -1;
}

/* Exim message id: 1mYMRt-00061G-Nx (6-6-2) or the 4.97+ 6-11-4 form
 * (FORMATS.md §1.2). */
static int exim_id_shape(const char *s, size_t n)
{
	size_t a = 6, b;
	if (n == 16) {
		b = 6;
	} else if (n == 23) {
		b = 11;
	} else {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		int dash = i == a || i == a + 1 + b;
		if (dash ? s[i] != '-' : !is_b62(s[i]))
			return 0;
	}
	return 1;
}

static int number_shape(const char *s, size_t n)
{
	size_t i = n && s[0] == '-';
	if (i == n || n - i > 18)
		return 0;
	for (; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/* Does this value have the shape its key always has?  Keys whose values
 * are free text (addresses, paths) accept anything. */
static int value_shape_ok(int key, const char *s, size_t n)
{
	switch (key) {
	case K_ID:
		return exim_id_shape(s, n);
	case K_LOGTIME: case K_TIME: case K_MSIZE: case K_COUNT: case K_LIMIT:
		return number_shape(s, n);
	case K_METHOD:
		return (n == 8 && (memcmp(s, "incoming", 8) == 0 || memcmp(s, "outgoing", 8) == 0));
	case K_TYPE: case K_ACTION:
		for (size_t i = 0; i < n; i++)
			if (!is_ident(s[i]))
				return 0;
		return n > 0;
	default:
		return 1;
	}
}

/* Split "k=v&k=v..." at "&<identifier>=".  Returns the pair count. */
static size_t split_pairs(const char *s, size_t n, size_t start, struct da_pair *pv)
{
	size_t np = 0, i = start;
	size_t kn = 0;
	while (i + kn < n && is_ident(s[i + kn]) && kn < 64)
		kn++;
	if (!kn || !is_ident_start(s[i]) || i + kn >= n || s[i + kn] != '=')
		return 0;
	pv[0].k = i;
	pv[0].kn = kn;
	pv[0].v = i + kn + 1;
	np = 1;
	for (i = pv[0].v; i < n; i++) {
		if (s[i] != '&' || np == DA_MAX_PAIRS)
			continue;
		size_t j = i + 1;
		if (j >= n || !is_ident_start(s[j]))
			continue;
		while (j < n && is_ident(s[j]) && j - i <= 64)
			j++;
		if (j >= n || s[j] != '=')
			continue;
		pv[np - 1].ve = i;
		pv[np].k = i + 1;
		pv[np].kn = j - i - 1;
		pv[np].v = j + 1;
		np++;
		i = j;
	}
	pv[np - 1].ve = n;
	for (size_t p = 0; p < np; p++)
		pv[p].key = key_of(s + pv[p].k, pv[p].kn);
	return np;
}

/* Choose one occurrence per known key (the first whose value has the
 * key's shape, else the first) and glue every other occurrence, and every
 * unknown key after path=, back onto the value before it.  Returns the
 * new pair count. */
static size_t resolve_pairs(const char *s, struct da_pair *pv, size_t np)
{
	int chosen[K__COUNT];
	for (int k = 0; k < K__COUNT; k++)
		chosen[k] = -1;
	for (size_t p = 0; p < np; p++) {
		int k = pv[p].key;
		if (k < 0)
			continue;
		if (chosen[k] < 0) {
			chosen[k] = (int)p;
		} else if (!value_shape_ok(k, s + pv[chosen[k]].v, pv[chosen[k]].ve - pv[chosen[k]].v) &&
			   value_shape_ok(k, s + pv[p].v, pv[p].ve - pv[p].v)) {
			chosen[k] = (int)p;
		}
	}
	size_t out = 0;
	for (size_t p = 0; p < np; p++) {
		int k = pv[p].key;
		int glue = 0;
		if (out > 0) {
			if (k >= 0 && chosen[k] != (int)p)
				glue = 1;
			else if (k < 0 && pv[out - 1].key == K_PATH)
				glue = 1;
		}
		if (glue) {
			pv[out - 1].ve = pv[p].ve;
			continue;
		}
		pv[out++] = pv[p];
	}
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append bytes to the state buffer; cut when full (a line is at most a few
 * hundred bytes in practice, the buffer 64 KiB). */
static struct slice put(struct da_state *st, const char *s, size_t n)
{
	struct slice r = {st->buf + st->used, 0};
	size_t room = DA_BUF - st->used;
	if (n > room)
		n = room;
	memcpy(st->buf + st->used, s, n);
	st->used += n;
	r.n = (uint32_t)n;
	return r;
}

/* A value: a slice of the line, or its percent-decoded copy. */
static struct slice value(struct da_state *st, const char *line, const struct da_pair *p)
{
	const char *s = line + p->v;
	size_t n = p->ve - p->v;
	struct slice r = {s, (uint32_t)n};
	if (!memchr(s, '%', n))
		return r;
	r.p = st->buf + st->used;
	r.n = 0;
	for (size_t i = 0; i < n && st->used < DA_BUF; i++) {
		char c = s[i];
		int h, l;
		/* %00 stays literal: a NUL inside a field helps nobody. */
		if (c == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
		    (l = hexval(s[i + 2])) >= 0 && (h | l) != 0) {
			c = (char)(h * 16 + l);
			i += 2;
		}
		st->buf[st->used++] = c;
		r.n++;
	}
	return r;
}

static int64_t parse_int(struct slice s, int *ok)
{
	int64_t v = 0;
	size_t i = s.n && s.p[0] == '-';
	*ok = number_shape(s.p, s.n);
	if (!*ok)
		return 0;
	for (; i < s.n; i++)
		v = v * 10 + (s.p[i] - '0');
	return s.p[0] == '-' ? -v : v;
}

static void set_time(struct pline *out, struct slice t)
{
	int ok;
	int64_t secs = parse_int(t, &ok);
	/* Epoch seconds; a missing or broken log_time leaves the time to the
	 * loader (previous line's). */
	if (ok && secs > 0 && secs < INT64_C(100000000000)) {
		out->ts_us = secs * INT64_C(1000000);
	} else {
		out->flags |= PL_NOTIME;
	}
}

static struct slice lit(const char *s)
{
	struct slice r = {s, (uint32_t)strlen(s)};
	return r;
}

/* The mail_task.queue lines exim.pl writes when a limit is hit
 * (FORMATS.md §3.2):
 * action=limit&username=fred&count=501&limit=500&email=fred@example.pl&authenticated_id=fred@example.pl&sender_host_address=203.0.113.45&log_time=1795170000
 * action=block_cracking&type=script&authenticated_id=fred&script_path=/home/fred/public_html&sender_host_address=&log_time=1795170000 */
static enum parse_result task_line(struct da_state *st, const struct slice *v,
				   struct pline *out)
{
	struct slice action = v[K_ACTION];
	const char *what;
	if (slice_eq(action, "limit"))
		what = "DirectAdmin sending limit reached for user ";
	else if (slice_eq(action, "userlimit"))
		what = "DirectAdmin per-address sending limit reached for user ";
	else if (slice_eq(action, "block_cracking"))
		what = "DirectAdmin BlockCracking blocked sending";
	else
		return PARSE_SKIP; /* other DA tasks: not about mail */
	out->kind = EV_WARNING;
	out->f[F_ACCOUNT] = v[K_EMAIL].n ? v[K_EMAIL] : v[K_USERNAME];
	out->f[F_SENDER] = v[K_EMAIL];
	out->f[F_AUTH] = v[K_AUTH];
	out->f[F_CLIENT_IP] = v[K_HOSTADDR];
	out->f[F_SCRIPT] = v[K_SCRIPT_PATH];
	set_time(out, v[K_LOGTIME]);
	struct slice d = put(st, what, strlen(what));
	if (slice_eq(action, "block_cracking")) {
		if (v[K_TYPE].n) {
			d.n += put(st, " (", 2).n;
			d.n += put(st, v[K_TYPE].p, v[K_TYPE].n).n;
			d.n += put(st, ")", 1).n;
		}
	} else {
		d.n += put(st, v[K_USERNAME].p, v[K_USERNAME].n).n;
		d.n += put(st, ": ", 2).n;
		size_t before = st->used;
		struct slice c = v[K_COUNT].n ? v[K_COUNT] : lit("?");
		struct slice l = v[K_LIMIT].n ? v[K_LIMIT] : lit("?");
		put(st, c.p, c.n);
		put(st, " sent, limit ", 13);
		put(st, l.p, l.n);
		d.n += (uint32_t)(st->used - before);
	}
	out->f[F_DETAIL] = d;
	return PARSE_OK;
}

static enum parse_result da_line(void *state, const char *line, size_t len, struct pline *out,
				 const char **why)
{
	struct da_state *st = state;
	size_t p = 0;
	int task = 0;
	int64_t lead = 0;
	st->used = 0;
	*why = "malformed DirectAdmin usage line";

	if (len >= 7 && memcmp(line, "action=", 7) == 0) {
		task = 1;
	} else {
		/* "<message_size>=" */
		if (p < len && line[p] == '-')
			p++;
		size_t d0 = p;
		while (p < len && is_digit(line[p]) && p - d0 < 19)
			p++;
		if (p == d0 || p >= len || line[p] != '=')
			return PARSE_NOMATCH;
		int ok;
		struct slice num = {line, (uint32_t)p};
		lead = parse_int(num, &ok);
		if (!ok)
			return PARSE_NOMATCH;
		p++;
		if (len - p < 5 || memcmp(line + p, "type=", 5) != 0) {
			*why = "no type= after the size";
			return PARSE_BAD;
		}
	}

	struct da_pair *pv = st->pairs;
	size_t np = split_pairs(line, len, p, pv);
	if (!np) {
		*why = "no key=value pairs";
		return PARSE_BAD;
	}
	np = resolve_pairs(line, pv, np);

	struct slice v[K__COUNT];
	memset(v, 0, sizeof v);
	for (int k = 0; k < K__COUNT; k++)
		v[k].p = "";
	for (size_t i = 0; i < np; i++)
		if (pv[i].key >= 0)
			v[pv[i].key] = value(st, line, &pv[i]);

	if (task)
		return task_line(st, v, out);

	if (!slice_eq(v[K_TYPE], "email"))
		return PARSE_SKIP; /* timestamp markers, dovecot/other usage */
	if (lead < 0)
		return PARSE_SKIP; /* exim.pl skips size -1 too */

	if (slice_eq(v[K_METHOD], "outgoing")) {
		out->kind = EV_USAGE_OUT;
		out->flags |= PL_OUTBOUND;
		out->f[F_ACCOUNT] = v[K_EMAIL];
		out->f[F_SENDER] = v[K_EMAIL].n ? v[K_EMAIL] : lit("<>");
		out->f[F_AUTH] = v[K_AUTH];
		out->f[F_CLIENT_IP] = v[K_HOSTADDR];
		if (v[K_LOCAL].n || v[K_DOMAIN].n) {
			struct slice r = put(st, v[K_LOCAL].p, v[K_LOCAL].n);
			if (v[K_DOMAIN].n) {
				r.n += put(st, "@", 1).n;
				r.n += put(st, v[K_DOMAIN].p, v[K_DOMAIN].n).n;
			}
			out->f[F_RCPT] = r;
		}
	} else if (slice_eq(v[K_METHOD], "incoming")) {
		out->kind = EV_USAGE_IN;
		out->flags |= PL_INBOUND;
		out->f[F_ACCOUNT] = v[K_EMAIL];
		out->f[F_RCPT] = v[K_EMAIL];
		/* Older exim.pl wrote no sender= at all: absent, not "<>". */
		for (size_t i = 0; i < np; i++)
			if (pv[i].key == K_SENDER)
				out->f[F_SENDER] = v[K_SENDER].n ? v[K_SENDER] : lit("<>");
	} else {
		*why = "method= is neither incoming nor outgoing";
		return PARSE_BAD;
	}
	out->f[F_QID] = v[K_ID];
	out->f[F_SCRIPT] = v[K_PATH];
	set_time(out, v[K_LOGTIME]);
	int ok;
	int64_t ms = parse_int(v[K_MSIZE], &ok);
	out->size = ok && ms >= 0 ? ms : lead;

	/* Keys nobody maps, kept for the trace as "key=value key=value". */
	struct slice det = {st->buf + st->used, 0};
	for (size_t i = 0; i < np; i++) {
		if (pv[i].key >= 0)
			continue;
		if (det.n)
			det.n += put(st, " ", 1).n;
		det.n += put(st, line + pv[i].k, pv[i].kn).n;
		det.n += put(st, "=", 1).n;
		struct slice dv = value(st, line, &pv[i]);
		if (dv.p == line + pv[i].v)
			det.n += put(st, dv.p, dv.n).n;
		else
			det.n += dv.n; /* decoded in place, right after "key=" */
	}
	if (det.n)
		out->f[F_DETAIL] = det;
	return PARSE_OK;
}

/* Lines that are .bytes / tally / mail_task.queue records. */
static int da_line_shape(const char *s, size_t n)
{
	if (n >= 7 && memcmp(s, "action=", 7) == 0) {
		size_t i = 7;
		while (i < n && is_ident(s[i]))
			i++;
		return i > 7 && i < n && s[i] == '&';
	}
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	size_t d0 = i;
	while (i < n && is_digit(s[i]) && i - d0 < 19)
		i++;
	if (i == d0 || n - i < 7 || memcmp(s + i, "=type=", 6) != 0)
		return 0;
	i += 6;
	size_t t0 = i;
	while (i < n && is_ident(s[i]))
		i++;
	return i > t0 && (i == n || s[i] == '&');
}

static int da_probe(const char *const *lines, const size_t *lens, size_t n)
{
	size_t seen = 0, hit = 0;
	for (size_t i = 0; i < n; i++) {
		if (lens[i] == 0)
			continue;
		seen++;
		hit += (size_t)da_line_shape(lines[i], lens[i]);
	}
	if (!hit)
		return 0;
	return (int)(hit * PROBE_MAX / seen);
}

static void *da_begin(void)
{
	return calloc(1, sizeof(struct da_state));
}

static void da_end(void *state)
{
	free(state);
}

const struct parser parser_directadmin = {
	.name = "directadmin",
	.title = "DirectAdmin e-mail usage (.bytes)",
	.init = NULL,
	.probe = da_probe,
	.begin = da_begin,
	.line = da_line,
	.end = da_end,
};
