/*
 * explain.c - the explanation engine: picks the entry of explain_table.c
 * that fits a delivery outcome or a server warning, and translates it.
 *
 * Design: evidence is tried from the most to the least specific - reply
 * text patterns, enhanced status code, basic reply code, outcome - and the
 * first hit wins.  Patterns are compiled once (pthread_once) into
 * read-only pcre2 codes shared by all threads; each call owns its match
 * data, so the engine is thread-safe and holds no mutable state after
 * initialisation.  Input is examined up to EXPLAIN_SCAN_MAX bytes, as raw
 * bytes (no UTF mode): NUL bytes and invalid UTF-8 are just bytes.
 */
#include "explain.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "event.h"
#include "i18n.h"

/* Backtracking budget per pattern and subject: patterns are simple, so a
 * hit needs far less; this only bounds hostile input. */
#define MATCH_LIMIT 200000u
#define DEPTH_LIMIT 2000u

struct rule_list {
	const struct explain_rule *rules;
	const size_t *count;
	pcre2_code **re;
};

static struct rule_list lists[] = {
	[EXPLAIN_LIST_REPLY] = { explain_reply_rules, &explain_reply_rules_count, NULL },
	[EXPLAIN_LIST_DELIVERED] = { explain_delivered_rules, &explain_delivered_rules_count, NULL },
	[EXPLAIN_LIST_WARNING] = { explain_warning_rules, &explain_warning_rules_count, NULL },
};
#define N_LISTS (sizeof lists / sizeof lists[0])

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pcre2_match_context *match_ctx;
static char init_error[256]; /* first compile problem, "" if none */

static void compile_all(void)
{
	match_ctx = pcre2_match_context_create(NULL);
	if (match_ctx) {
		pcre2_set_match_limit(match_ctx, MATCH_LIMIT);
		pcre2_set_depth_limit(match_ctx, DEPTH_LIMIT);
	}
	for (size_t l = 0; l < N_LISTS; l++) {
		size_t n = *lists[l].count;
		lists[l].re = calloc(n ? n : 1, sizeof *lists[l].re);
		if (!lists[l].re) {
			snprintf(init_error, sizeof init_error, "out of memory");
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			int err;
			PCRE2_SIZE off;
			/* DOTALL: replies may be joined multi-line texts. */
			lists[l].re[i] = pcre2_compile(
				(PCRE2_SPTR)lists[l].rules[i].pattern, PCRE2_ZERO_TERMINATED,
				PCRE2_CASELESS | PCRE2_DOTALL, &err, &off, NULL);
			/* JIT when available (an order of magnitude faster);
			 * pcre2_match() falls back to the interpreter if not. */
			if (lists[l].re[i])
				(void)pcre2_jit_compile(lists[l].re[i], PCRE2_JIT_COMPLETE);
			if (!lists[l].re[i] && !init_error[0]) {
				PCRE2_UCHAR msg[120];
				pcre2_get_error_message(err, msg, sizeof msg);
				snprintf(init_error, sizeof init_error,
					 "list %zu rule %zu (%s) at offset %zu: %s", l, i,
					 lists[l].rules[i].id, (size_t)off, (const char *)msg);
			}
		}
	}
}

static void ensure_init(void)
{
	pthread_once(&init_once, compile_all);
}

/* First rule of list l matching t[0..len), or -1.  md: caller's match data. */
static int match_list(size_t l, const char *t, size_t len, pcre2_match_data *md)
{
	if (!lists[l].re || !md || !t)
		return -1;
	for (size_t i = 0; i < *lists[l].count; i++) {
		if (!lists[l].re[i])
			continue;
		int rc = pcre2_match(lists[l].re[i], (PCRE2_SPTR)t, len, 0, 0, md, match_ctx);
		if (rc >= 0)
			return (int)i;
		/* Any error (match limit on hostile text) counts as no match. */
	}
	return -1;
}

const struct explain_entry *explain_entry_find(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < explain_entries_count; i++)
		if (strcmp(explain_entries[i].id, id) == 0)
			return &explain_entries[i];
	return NULL;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits at s[*i..n), at most max of them; value in *v.  0 if none. */
static int take_num(const char *s, size_t n, size_t *i, int max, int *v)
{
	int k = 0;
	*v = 0;
	while (*i < n && is_digit(s[*i]) && k < max) {
		*v = *v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k > 0 && !(*i < n && is_digit(s[*i]));
}

/*
 * Parse an enhanced status code starting at s[at]: class (2, 4, 5), '.',
 * subject (1-3 digits), '.', detail (1-3 digits), not followed by another
 * digit or ".digit" (so "4.4.4.4" of an IP address is not a code).
 * Returns the class, or 0.
 */
static int parse_dsn_at(const char *s, size_t n, size_t at, int *subj, int *det)
{
	size_t i = at;
	if (i >= n || (s[i] != '2' && s[i] != '4' && s[i] != '5'))
		return 0;
	int cls = s[i] - '0';
	i++;
	if (i >= n || s[i] != '.')
		return 0;
	i++;
	if (!take_num(s, n, &i, 3, subj))
		return 0;
	if (i >= n || s[i] != '.')
		return 0;
	i++;
	if (!take_num(s, n, &i, 3, det))
		return 0;
	if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1]))
		return 0;
	return cls;
}

/* Find an enhanced status code in free text.  When want_cls != 0 (the
 * class of the basic reply code) only a code of that class counts: "550
 * ... Postfix 2.11.3" must not yield a success code. */
static int find_dsn(const char *s, size_t n, int want_cls, int *subj, int *det)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			char p = s[i - 1];
			if (is_digit(p) || p == '.' || (p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z'))
				continue;
		}
		int su, de;
		int c = parse_dsn_at(s, n, i, &su, &de);
		if (c && (!want_cls || c == want_cls)) {
			*subj = su;
			*det = de;
			return c;
		}
	}
	return 0;
}

/* Find a basic reply code: [245][0-5]d, on a word start, followed by
 * space, '-' or the end ("550 5.1.1", "421-4.7.0", C="250 OK"). */
static int find_code(const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++) {
		if (i > 0) {
			char p = s[i - 1];
			if (p != ' ' && p != '\t' && p != ':' && p != '(' && p != '"')
				continue;
		}
		if ((s[i] != '2' && s[i] != '4' && s[i] != '5') || s[i + 1] < '0' ||
		    s[i + 1] > '5' || !is_digit(s[i + 2]))
			continue;
		if (i + 3 < n && s[i + 3] != ' ' && s[i + 3] != '-' && s[i + 3] != '\t')
			continue;
		return (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
	}
	return 0;
}

static const struct explain_entry *dsn_entry(int subj, int det, int *generic)
{
	const char *id = NULL;
	*generic = 0;
	for (size_t i = 0; i < explain_dsn_table_count && !id; i++)
		if (explain_dsn_table[i].subject == subj && explain_dsn_table[i].detail == det)
			id = explain_dsn_table[i].id;
	for (size_t i = 0; i < explain_dsn_table_count && !id; i++)
		if (explain_dsn_table[i].subject == subj && explain_dsn_table[i].detail == 0)
			id = explain_dsn_table[i].id;
	if (!id) {
		*generic = 1;
		id = "other";
	}
	if (subj == 0 && det == 0)
		*generic = 1;
	return explain_entry_find(id);
}

static const struct explain_entry *code_entry(int code)
{
	for (size_t i = 0; i < explain_code_table_count; i++)
		if (explain_code_table[i].code == code)
			return explain_entry_find(explain_code_table[i].id);
	return NULL;
}

static void fill(const struct explain_entry *e, int temporary, enum explain_basis basis,
		 struct explanation *out)
{
	const char *cause = temporary && e->cause_temp ? e->cause_temp : e->cause;
	const char *const *steps = temporary && e->steps_temp[0] ? e->steps_temp : e->steps;
	size_t n = 0;

	out->id = e->id;
	out->side = e->side;
	out->cause = _(cause);
	for (size_t i = 0; i < EXPLAIN_MAX_STEPS; i++)
		if (steps[i])
			out->steps[n++] = _(steps[i]);
	out->steps[n] = NULL;
	out->temporary = temporary;
	out->basis = basis;
}

int explain_outcome(int outcome, const char *dsn, int smtp_code, const char *reply,
		    size_t reply_len, struct explanation *out)
{
	const struct explain_entry *e = NULL;
	enum explain_basis basis = EXPLAIN_BY_NONE;
	int cls = 0, subj = 0, det = 0, code = 0, temporary;

	if (!out)
		return -1;
	memset(out, 0, sizeof *out);
	ensure_init();
	if (!reply)
		reply_len = 0;
	if (reply_len > EXPLAIN_SCAN_MAX)
		reply_len = EXPLAIN_SCAN_MAX;

	code = smtp_code >= 200 && smtp_code <= 599 ? smtp_code : find_code(reply, reply_len);
	if (dsn && dsn[0])
		cls = parse_dsn_at(dsn, strnlen(dsn, 16), 0, &subj, &det);
	if (!cls)
		cls = find_dsn(reply, reply_len, code / 100, &subj, &det);

	switch (outcome) {
	case OUT_DEFERRED:
		temporary = 1;
		break;
	case OUT_BOUNCED:
	case OUT_EXPIRED:
	case OUT_DELIVERED:
	case OUT_PARTIAL:
		temporary = 0;
		break;
	default: /* NONE, QUEUED, REJECTED: the reply class decides */
		temporary = (cls ? cls : code / 100) == 4;
		break;
	}

	if (outcome == OUT_DELIVERED) {
		pcre2_match_data *md = reply_len ? pcre2_match_data_create(1, NULL) : NULL;
		int r = match_list(EXPLAIN_LIST_DELIVERED, reply, reply_len, md);
		pcre2_match_data_free(md);
		if (r >= 0) {
			e = explain_entry_find(explain_delivered_rules[r].id);
			basis = EXPLAIN_BY_TEXT;
		}
		goto outcome_only;
	}

	if (reply_len) {
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);
		int r = match_list(EXPLAIN_LIST_REPLY, reply, reply_len, md);
		pcre2_match_data_free(md);
		if (r >= 0) {
			e = explain_entry_find(explain_reply_rules[r].id);
			basis = EXPLAIN_BY_TEXT;
		}
	}

	/* A success code only means something when nothing failed. */
	int success_ok = outcome == OUT_NONE || outcome == OUT_QUEUED;
	if (!e && (cls == 4 || cls == 5 || (cls == 2 && success_ok))) {
		int generic;
		const struct explain_entry *d = cls == 2 ? explain_entry_find("accepted")
							 : dsn_entry(subj, det, &generic);
		/* Postfix makes up X.0.0 when the reply had no enhanced code:
		 * then the basic code ("554") says more. */
		const struct explain_entry *c = cls != 2 && generic && code / 100 == cls ? code_entry(code) : NULL;
		if (c) {
			e = c;
			basis = EXPLAIN_BY_CODE;
		} else {
			e = d;
			basis = EXPLAIN_BY_DSN;
		}
	}
	if (!e && code) {
		int ccls = code / 100;
		if (ccls == 4 || ccls == 5)
			e = code_entry(code);
		if (!e && (ccls == 4 || ccls == 5))
			e = explain_entry_find("other");
		if (!e && ccls == 2 && success_ok)
			e = explain_entry_find("accepted");
		if (e)
			basis = EXPLAIN_BY_CODE;
	}

outcome_only:
	if (!e) {
		for (size_t i = 0; i < explain_outcome_table_count; i++)
			if (explain_outcome_table[i].outcome == outcome)
				e = explain_entry_find(explain_outcome_table[i].id);
		basis = EXPLAIN_BY_OUTCOME;
	}
	if (!e)
		return -1;
	if (outcome == OUT_REJECTED && e->incoming_id) {
		const struct explain_entry *in = explain_entry_find(e->incoming_id);
		if (in)
			e = in;
	}
	fill(e, temporary, basis, out);
	return 0;
}

int explain_warning(const char *text, size_t len, struct explanation *out)
{
	if (!out)
		return -1;
	memset(out, 0, sizeof *out);
	if (!text || !len)
		return -1;
	ensure_init();
	if (len > EXPLAIN_SCAN_MAX)
		len = EXPLAIN_SCAN_MAX;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int r = match_list(EXPLAIN_LIST_WARNING, text, len, md);
	pcre2_match_data_free(md);
	if (r < 0)
		return -1;
	const struct explain_entry *e = explain_entry_find(explain_warning_rules[r].id);
	if (!e)
		return -1;
	fill(e, 0, EXPLAIN_BY_TEXT, out);
	return 0;
}

int explain_rule_index(enum explain_list list, const char *text, size_t len)
{
	if ((size_t)list >= N_LISTS || !text)
		return -1;
	ensure_init();
	if (len > EXPLAIN_SCAN_MAX)
		len = EXPLAIN_SCAN_MAX;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int r = match_list(list, text, len, md);
	pcre2_match_data_free(md);
	return r;
}

static const char *const side_names[SIDE__COUNT] = {
	[SIDE_NONE] = "none",
	[SIDE_RECIPIENT_ADDRESS] = "recipient_address",
	[SIDE_RECIPIENT_SERVER] = "recipient_server",
	[SIDE_OUR_SERVER] = "our_server",
	[SIDE_SENDER_CONTENT] = "sender_content",
	[SIDE_SENDER_CLIENT] = "sender_client",
	[SIDE_TEMPORARY] = "temporary",
	[SIDE_SENDER_DOMAIN] = "sender_domain",
};

const char *explain_side_name(enum explain_side s)
{
	if ((unsigned)s >= SIDE__COUNT)
		return "none";
	return side_names[s];
}

const char *explain_side_label(enum explain_side s)
{
	if ((unsigned)s >= SIDE__COUNT)
		s = SIDE_NONE;
	return _(explain_side_labels[s]);
}

static int id_ok(const char *id, const char *what, size_t i, char *err, size_t errlen)
{
	if (explain_entry_find(id))
		return 1;
	snprintf(err, errlen, "%s %zu names unknown entry \"%s\"", what, i, id ? id : "(null)");
	return 0;
}

int explain_check_table(char *err, size_t errlen)
{
	char dummy[1];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	ensure_init();
	if (init_error[0]) {
		snprintf(err, errlen, "%s", init_error);
		return -1;
	}
	for (size_t i = 0; i < explain_entries_count; i++) {
		const struct explain_entry *e = &explain_entries[i];
		if (!e->id || !e->cause || !e->cause[0] || !e->steps[0]) {
			snprintf(err, errlen, "entry %zu (%s) lacks id, cause or steps", i,
				 e->id ? e->id : "(null)");
			return -1;
		}
		if ((unsigned)e->side >= SIDE__COUNT) {
			snprintf(err, errlen, "entry %s has a bad side", e->id);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(explain_entries[j].id, e->id) == 0) {
				snprintf(err, errlen, "duplicate entry id \"%s\"", e->id);
				return -1;
			}
		if (e->incoming_id && !id_ok(e->incoming_id, "incoming_id of entry", i, err, errlen))
			return -1;
	}
	for (size_t l = 0; l < N_LISTS; l++)
		for (size_t i = 0; i < *lists[l].count; i++)
			if (!id_ok(lists[l].rules[i].id, "rule", i, err, errlen))
				return -1;
	for (size_t i = 0; i < explain_dsn_table_count; i++)
		if (!id_ok(explain_dsn_table[i].id, "dsn map row", i, err, errlen))
			return -1;
	for (size_t i = 0; i < explain_code_table_count; i++)
		if (!id_ok(explain_code_table[i].id, "code map row", i, err, errlen))
			return -1;
	for (size_t i = 0; i < explain_outcome_table_count; i++)
		if (!id_ok(explain_outcome_table[i].id, "outcome map row", i, err, errlen))
			return -1;
	for (size_t s = 0; s < SIDE__COUNT; s++)
		if (!explain_side_labels[s] || !side_names[s]) {
			snprintf(err, errlen, "side %zu has no label or name", s);
			return -1;
		}
	return 0;
}
