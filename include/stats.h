/*
 * stats.h - server health and spam-source figures over a set of messages:
 * traffic per hour, outcomes, top senders / logins / client IPs / script
 * paths, failure reasons grouped by explanation, the deferred queue by
 * destination domain and age (like Postfix's qshape), and suspects (likely
 * compromised accounts or spamming scripts) with the reason.
 *
 * Design: a curses-free model.  stats_compute() walks the messages once
 * (in time order) and fills plain arrays of rows; the CLI text and JSON
 * renderers below and the TUI stats screen all draw from the same model,
 * so the three can never disagree.  Rows name strings by store string id
 * and messages by store index; nothing is escaped in the model (renderers
 * escape on the way out).  "Which messages are behind this row" is not
 * stored: stats_row_messages() re-tests each message against the row, so
 * the model costs a few bytes per message, not one list per row.
 *
 * Counting rules (also in docs/json-stats.md):
 *  - a MSG_HOP message (the copy a content filter or alias re-queued) is
 *    skipped when its parent is among the messages: it is the same mail;
 *    recipients are judged by their FINAL outcome (store_rcpt_final);
 *  - a message counts as bounced / deferred / rejected when at least one
 *    of its recipients ended that way (expired counts as bounced); with no
 *    recipients the message's own status decides;
 *  - the sender table leaves out bounces (MSG_IS_BOUNCE, sender <>) and
 *    says how many; the other tables count every message with the field.
 */
#ifndef MAILTRAIL_STATS_H
#define MAILTRAIL_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "explain.h"
#include "store.h"
#include "tbuf.h"

struct stats_reason_cache;

/* --- thresholds of the suspect rules ----------------------------------- */

/* Burst: more than STATS_BURST_LIMIT messages in any STATS_BURST_WINDOW_S
 * seconds (sliding window over message times), and at least
 * STATS_BURST_FACTOR times the key's usual per-minute rate outside it. */
#define STATS_BURST_WINDOW_S 60
#define STATS_BURST_LIMIT 250
#define STATS_BURST_FACTOR 10
/* Recipients: at least STATS_RCPT_HOUR_LIMIT distinct recipients within one
 * clock hour, and at least STATS_RCPT_FACTOR times the key's usual number
 * of distinct recipients per hour in the other hours of the period. */
#define STATS_RCPT_HOUR_LIMIT 300
#define STATS_RCPT_FACTOR 5
/* Bounces: at least STATS_BOUNCE_PCT percent of at least
 * STATS_BOUNCE_MIN_MSGS messages bounced. */
#define STATS_BOUNCE_PCT 30
#define STATS_BOUNCE_MIN_MSGS 20

/* Rows kept per top table / deferred domains, and suspects kept. */
#define STATS_TOP_MAX 50
#define STATS_SUSPECTS_MAX 100
/* At most this many histogram buckets; beyond it buckets widen. */
#define STATS_HOURS_MAX 8784

/* --- the model --------------------------------------------------------- */

/* Who a top table / suspect is about. */
enum stats_kind {
	STATS_SENDER = 0, /* envelope sender (message.sender) */
	STATS_AUTH,       /* authenticated user (message.auth) */
	STATS_IP,         /* client IP (message.client_ip) */
	STATS_SCRIPT,     /* script path (message.script, DirectAdmin path=) */
	STATS_KIND__COUNT
};

/* The tables of the model, for stats_rows() / stats_row_messages(). */
enum stats_table {
	STATS_T_HOURS = 0,  /* row i = histogram bucket i */
	STATS_T_OUTCOMES,
	STATS_T_SENDERS,
	STATS_T_AUTH,
	STATS_T_IPS,
	STATS_T_SCRIPTS,
	STATS_T_SUSPECTS,
	STATS_T_REASONS,
	STATS_T_DEFERRED,   /* qshape rows: one per destination domain */
	STATS_T__COUNT
};

/* Messages and what became of them. */
struct stats_counts {
	uint32_t messages;
	uint32_t recipients; /* distinct recipient addresses */
	uint32_t bounced;    /* messages with a recipient bounced or expired */
	uint32_t deferred;   /* ... with a recipient still deferred */
	uint32_t rejected;   /* ... refused in SMTP */
};

struct stats_top_row {
	uint32_t who;        /* store string id of the sender / login / IP / path */
	struct stats_counts c;
};

struct stats_top {
	struct stats_top_row *rows; /* by messages, most first; <= STATS_TOP_MAX */
	size_t nrows;
	uint32_t distinct;   /* distinct values in all (also beyond the rows) */
	uint32_t messages;   /* messages that have the field */
	uint32_t excluded;   /* sender table: bounces left out; else 0 */
};

struct stats_outcome_row {
	uint8_t outcome;     /* enum outcome; OUT_PARTIAL: recipients differ */
	uint32_t messages;   /* messages whose final outcome this is */
	uint32_t recipients; /* recipients with this final outcome */
};

/* Suspect rules (stats_suspect.rules). */
#define STATS_RULE_BURST   0x1u
#define STATS_RULE_RCPTS   0x2u
#define STATS_RULE_BOUNCES 0x4u

struct stats_suspect {
	enum stats_kind kind;
	uint32_t who;             /* store string id */
	struct stats_counts c;
	unsigned rules;           /* STATS_RULE_* that fired */
	uint32_t burst;           /* most messages in one window */
	int64_t burst_at;         /* first message of that window (us) */
	uint32_t burst_usual;     /* usual messages per hour outside it */
	uint32_t hour_rcpts;      /* most distinct recipients in one clock hour */
	int64_t hour_rcpts_at;    /* start of that hour (us) */
	uint32_t hour_rcpts_usual;/* usual distinct recipients per hour */
	char *reason;             /* translated, plain text (no log bytes),
				   * owned by the stats */
};

struct stats_reason_row {
	const char *id;           /* explanation id ("no_such_user"), static */
	const char *cause;        /* translated cause of the example, static */
	enum explain_side side;
	uint32_t count;           /* failed recipients (a refused message
				   * without recipients counts once) */
	uint32_t bounced, deferred, rejected; /* count split by final outcome */
	uint32_t example_msg;     /* message of the example */
	uint32_t example_rcpt;    /* its (final) recipient, RCPT_NONE if none */
};

/* qshape age buckets, measured from message.first_ts to the end of the
 * loaded period (store.max_ts). */
enum stats_age {
	STATS_AGE_1H = 0,  /* < 1 h */
	STATS_AGE_4H,      /* 1-4 h */
	STATS_AGE_24H,     /* 4-24 h */
	STATS_AGE_5D,      /* 1-5 d */
	STATS_AGE_OLDER,   /* > 5 d */
	STATS_AGE__COUNT
};

struct stats_deferred_row {
	char *domain;             /* lower-cased recipient domain, raw bytes
				   * (escape to show); "" when none; owned */
	uint32_t total;           /* deferred recipients still queued (not
				   * expired, deleted or gone) */
	uint32_t age[STATS_AGE__COUNT];
};

struct stats {
	uint32_t *msgs;           /* the messages counted, time order; owned */
	size_t nmsgs;
	uint32_t skipped_hops;    /* re-queued copies not counted */

	int64_t first_ts, last_ts;/* first / last message time; INT64_MAX /
				   * INT64_MIN when there are none */
	int64_t end_ts;           /* end of the loaded period (ages) */

	int64_t hour0;            /* start of bucket 0 (local hour boundary) */
	int64_t bucket_us;        /* bucket width: one hour unless the
				   * period is longer than STATS_HOURS_MAX h */
	uint32_t *hours;          /* messages by first_ts, per bucket */
	size_t nhours;
	uint32_t hours_max;

	struct stats_outcome_row outcomes[OUT__COUNT]; /* by messages, most
							* first; nonzero only */
	size_t noutcomes;
	uint32_t recipients;      /* recipients of the counted messages */

	struct stats_top top[STATS_KIND__COUNT];

	struct stats_suspect *suspects; /* most rules, then most messages */
	size_t nsuspects;

	struct stats_reason_row *reasons; /* by count, most first */
	size_t nreasons;
	uint32_t failures;        /* sum of reasons[].count */
	struct stats_reason_cache *reason_cache; /* private (stats.c) */

	struct stats_deferred_row *deferred; /* by total; <= STATS_TOP_MAX */
	size_t ndeferred;
	uint32_t deferred_domains;/* distinct domains in all */
	uint32_t deferred_total[STATS_AGE__COUNT + 1]; /* per bucket, then all */
};

/*
 * Compute the figures for msgs[0..n) (store indexes, any order) into *out.
 * Keeps a sorted copy of msgs; borrows nothing else, but row fields are
 * store string / message ids, so the store must outlive the result.  While
 * the store is loading, the caller holds store_lock() around this call.
 * Translated texts (suspect reasons, causes) use the current language.
 * Never fails (dies on OOM).  Release with stats_release().
 */
void stats_compute(const struct store *st, const uint32_t *msgs, size_t n, struct stats *out);

/* Free what stats_compute() allocated; *s is zeroed (safe to call twice). */
void stats_release(struct stats *s);

/* Number of rows of table t. */
size_t stats_rows(const struct stats *s, enum stats_table t);

/*
 * The messages behind one row (what the TUI lists on Enter): for a top
 * table or suspect, the counted messages with that sender / login / IP /
 * script (bounces left out of senders); an hour: messages first seen in
 * that bucket; an outcome: messages with that final outcome (for a row
 * with no such message, those with a recipient ending so); a reason:
 * messages with a failed recipient of that explanation; a deferred domain:
 * messages with a recipient deferred at that domain.  Stores a new array
 * (time order) in *out, which the caller frees, and returns its length;
 * returns 0 and sets *out to NULL when the row is out of range or empty.
 * Same locking rule as stats_compute().
 */
size_t stats_row_messages(const struct stats *s, const struct store *st, enum stats_table t,
			  size_t row, uint32_t **out);

/* "sender", "auth", "ip", "script" (JSON kind). */
const char *stats_kind_name(enum stats_kind k);
/* The same for people, translated ("login"). */
const char *stats_kind_label(enum stats_kind k);

/* The translated title of a top table ("Top senders") and the line under
 * it (distinct values, messages, bounces left out), appended to out. */
const char *stats_top_title(enum stats_kind k);
void stats_top_note(const struct stats *s, enum stats_kind k, struct tbuf *out);

/* The summary's sentences, in this order; each appended to out by
 * stats_summary_sentence, which returns 0 when it does not apply (no
 * message with a time; the logs end less than a minute after the last
 * message). */
enum stats_summary {
	STATS_SUMMARY_PERIOD,  /* "Messages first seen: a .. z" */
	STATS_SUMMARY_END,     /* "The logs end at z." */
	STATS_SUMMARY_COUNTS,  /* messages, recipients, hops counted once */
	STATS_SUMMARY__COUNT
};
int stats_summary_sentence(const struct stats *s, enum stats_summary which, struct tbuf *out);

/* The suspect rules as one translated sentence, into buf (cap bytes). */
void stats_rules_text(char *buf, size_t cap);

/* --- drawing helpers shared by the text renderer and the TUI ----------- */

/*
 * Append a sparkline of v[0..n) at most width characters long: one mark
 * per group of g consecutive values (g the smallest that fits), eight
 * levels by the group sum relative to the largest group, blank for 0
 * (block characters, or ".,:-=+*#" with ascii).  Returns g (0 when n or
 * width is 0); *max_out (may be NULL) gets the largest group sum.
 */
size_t stats_sparkline(struct tbuf *out, const uint32_t *v, size_t n, size_t width, int ascii,
		       uint32_t *max_out);

/* Append a bar of v relative to vmax, width columns for vmax: eighths of
 * a column in block characters (at least one eighth for any v > 0), or
 * whole '#' columns with ascii.  Nothing for v or vmax 0. */
void stats_bar(struct tbuf *out, uint32_t v, uint32_t vmax, size_t width, int ascii);

/* s->hours grouped into at most max_rows rows (max_rows > 0): rows[r] the
 * sum of *group consecutive buckets (saturating), *max the largest row.
 * Returns the number of rows (0 without hours). */
size_t stats_hour_rows(const struct stats *s, size_t max_rows, uint32_t *rows, size_t *group,
		       uint32_t *max);

/* "2026-11-20 10:15", local time. */
void stats_time_minute(int64_t us, char buf[32]);

/* The hourly section's translated title: "Messages per hour", or "per N
 * hours" when buckets were widened. */
void stats_hour_title(const struct stats *s, char *buf, size_t cap);

/* Append the sparkline's legend: the time span, the hours one mark
 * stands for (buckets_per_mark buckets) and the busiest count. */
void stats_hour_legend(struct tbuf *out, const struct stats *s, size_t buckets_per_mark,
		       uint32_t busiest);

/* Translated label of an age bucket ("< 1 h"). */
const char *stats_age_label(enum stats_age a);

/* --- renderers --------------------------------------------------------- */

/* Text for a terminal, at most 80 columns.  utf8: draw the sparkline and
 * bars with block characters, else plain ASCII. */
void stats_format_text(struct tbuf *out, const struct store *st, const struct stats *s, int utf8);

/* One JSON object (docs/json-stats.md), no trailing newline. */
void stats_format_json(struct tbuf *out, const struct store *st, const struct stats *s);

/* Print the figures for msgs[0..n) as text (json = 0; block characters
 * when the LC_CTYPE codeset is UTF-8) or as one JSON object plus a
 * newline (docs/json.md, "--stats --json"). */
void stats_print(FILE *out, const struct store *st, const uint32_t *msgs, size_t n, int json);

#endif
