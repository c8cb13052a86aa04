/*
 * query.h - which messages the user asked for.
 *
 * One filter language for the CLI and the TUI: every given field must
 * match (AND).  Text fields match as case-insensitive substrings, or as
 * PCRE2 patterns with regex set.  Because most strings repeat across
 * messages (senders, relays), each compiled query caches its verdict per
 * interned string id, so filtering millions of messages touches each
 * distinct string once (values unique to a message - tagged ids, see
 * strtab.h - are matched directly: a cache would buy nothing).
 */
#ifndef MAILTRAIL_QUERY_H
#define MAILTRAIL_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct query_spec {
	const char *since, *until;  /* "2026-11-20", "2026-11-20 10:00", "today",
				     * "yesterday", "-2h", "-3d", "-30m" */
	const char *from;           /* sender */
	const char *to;             /* any recipient (final or original) */
	const char *ip;             /* client IP or host name */
	const char *subject;
	const char *msgid;          /* Message-ID header or any queue id */
	const char *status;         /* "bounced", or a comma list */
	const char *account;        /* DirectAdmin account / authenticated user */
	const char *text;           /* any of the above (TUI quick search) */
	int regex;                  /* PCRE2 instead of substring */
};

struct query;

/* Compile spec.  now_us anchors relative times; Returns NULL with a
 * one-line message in err (e.g. a bad regex or date, naming the option). */
struct query *query_compile(const struct query_spec *spec, int64_t now_us, char *err,
			    size_t errlen);
void query_free(struct query *q);

/* Does message m match?  The caller holds the store lock while loading.
 * Not thread-safe per query (the cache is written). */
int query_match(struct query *q, const struct store *st, uint32_t m);

/* Arrays of at least this many messages are matched on two threads by
 * query_select. */
#define QUERY_SPLIT_MIN 65536

/*
 * The messages q selects, in index order, into out (room for st->nmsgs);
 * returns how many.  With a second query q2 compiled from the same spec
 * (queries cache verdicts, so each is one thread's; NULL: one thread) and
 * at least QUERY_SPLIT_MIN messages, the upper half is matched on a
 * helper thread with q2, joined before return.  Both queries may then
 * have limit reports.  Not for a store still loading.
 */
size_t query_select(struct query *q, struct query *q2, const struct store *st, uint32_t *out);

/* When a regular expression gave up on some values (PCRE2 match limits
 * stop pathological patterns), a one-line message naming the option;
 * returns its length, 0 when nothing was cut short. */
size_t query_limit_report(const struct query *q, char *buf, size_t cap);

/* 1 when the spec has no condition at all. */
int query_is_empty(const struct query_spec *spec);

/* Parse a --since/--until value into UTC microseconds.  end: for a bare
 * date, the end of that day rather than its start.  Returns 0 or -1. */
int query_parse_time(const char *s, int64_t now_us, int end, int64_t *out);

#endif
