/*
 * explain.h - turn a delivery outcome (or a server warning) into plain
 * language for first-line support: one-line cause, whose side the problem
 * is on, and up to three concrete next steps.
 *
 * Design: all knowledge is DATA in src/explain_table.c (entries = what a
 * problem means and what to do; rules = how to recognise it).  The engine
 * (src/explain.c) tries, in order: well-known reply texts (case-insensitive
 * PCRE2 patterns compiled once, thread-safely, at first use), the enhanced
 * status code (RFC 3463 + later registrations), the basic RFC 5321 reply
 * code, then the outcome alone.  Class 4 (temporary) and class 5
 * (permanent) failures get different wording.  Strings are translated with
 * gettext at lookup time, so the caller gets text in the user's language.
 *
 * Direction: explanations are written for mail OUR server sends, where the
 * reply came from the recipient's server.  OUT_REJECTED means our server
 * refused a message during SMTP (Postfix NOQUEUE reject, Exim "rejected
 * RCPT"): entries whose advice differs in that direction (blocklist,
 * relaying, TLS, reverse DNS, ...) name a separate "incoming" entry.
 */
#ifndef MAILTRAIL_EXPLAIN_H
#define MAILTRAIL_EXPLAIN_H

#include <stddef.h>

/* Whose side the problem is on.  Stable order is not promised: use
 * explain_side_name() for JSON. */
enum explain_side {
	SIDE_NONE = 0,          /* not determined from what we know */
	SIDE_RECIPIENT_ADDRESS, /* wrong, missing, full or disabled address/mailbox */
	SIDE_RECIPIENT_SERVER,  /* the receiving mail server */
	SIDE_OUR_SERVER,        /* our mail server (configuration, IP, network) */
	SIDE_SENDER_CONTENT,    /* the message itself: content, size, attachments */
	SIDE_SENDER_CLIENT,     /* sender's mail program, account or sending server */
	SIDE_TEMPORARY,         /* temporary, resolves itself, nobody needs to act */
	SIDE_SENDER_DOMAIN,     /* sender domain's DNS settings: SPF, DKIM, DMARC */
	SIDE__COUNT
};

/* Which layer produced an explanation (tests, JSON "basis"). */
enum explain_basis {
	EXPLAIN_BY_NONE = 0,
	EXPLAIN_BY_TEXT,    /* a well-known reply / warning text matched */
	EXPLAIN_BY_DSN,     /* the enhanced status code (5.1.1) */
	EXPLAIN_BY_CODE,    /* the basic reply code (550) */
	EXPLAIN_BY_OUTCOME  /* nothing but the outcome */
};

#define EXPLAIN_MAX_STEPS 3

/*
 * The result.  Every pointer refers to static storage (the table or the
 * loaded gettext catalogue) and stays valid for the life of the process;
 * the caller frees nothing.
 */
struct explanation {
	const char *id;       /* stable key, e.g. "no_such_user" (JSON, tests) */
	const char *cause;    /* one line, translated */
	enum explain_side side;
	const char *steps[EXPLAIN_MAX_STEPS + 1]; /* translated, NULL-terminated */
	int temporary;        /* 1: will be retried automatically (4xx/deferred) */
	enum explain_basis basis;
};

/*
 * Explain one recipient's outcome.
 *   outcome   enum outcome from event.h (OUT_DELIVERED, OUT_DEFERRED, ...)
 *   dsn       enhanced status code "5.1.1" (NUL-terminated) or NULL; when
 *             NULL/invalid, one is looked for in the reply text
 *   smtp_code basic reply code (550) or 0; when 0, looked for in the reply
 *   reply     the server's reply / reason text, reply_len bytes, may be
 *             NULL; any bytes allowed (NUL, invalid UTF-8); only the first
 *             EXPLAIN_SCAN_MAX bytes are examined
 * Returns 0 and fills *out, or -1 (and *out zeroed) when nothing applies
 * (OUT_NONE with no usable code or text) or out is NULL.  Thread-safe.
 */
#define EXPLAIN_SCAN_MAX 8192
int explain_outcome(int outcome, const char *dsn, int smtp_code,
		    const char *reply, size_t reply_len,
		    struct explanation *out);

/*
 * Explain a server warning / error line that reveals a broken or attacked
 * server (Postfix "do not list domain X in BOTH mydestination and ...",
 * Dovecot "unknown user", SASL/TLS failures, map lookup problems, ...).
 * text: the line or its message part, len bytes, any content.
 * Returns 0 and fills *out (basis EXPLAIN_BY_TEXT), -1 if nothing matched.
 * Thread-safe.
 */
int explain_warning(const char *text, size_t len, struct explanation *out);

/* "recipient_address", ... stable English ids for JSON; "none" if unknown. */
const char *explain_side_name(enum explain_side s);
/* Translated human label ("Recipient's address or mailbox"). */
const char *explain_side_label(enum explain_side s);

/* --- the table (data in src/explain_table.c; exposed for tests) -------- */

/* What a problem means and what to do.  Strings are untranslated msgids
 * (marked N_); the engine translates them. */
struct explain_entry {
	const char *id;
	enum explain_side side;
	const char *cause;       /* permanent or neutral wording */
	const char *cause_temp;  /* wording when temporary; NULL = cause */
	const char *steps[EXPLAIN_MAX_STEPS];      /* unused slots NULL */
	const char *steps_temp[EXPLAIN_MAX_STEPS]; /* all NULL = steps */
	const char *incoming_id; /* entry used for OUT_REJECTED; NULL = this */
};

/* How to recognise a problem in free text.  pattern: PCRE2, matched
 * caseless, no UTF mode (bytes); id names an entry. */
struct explain_rule {
	const char *pattern;
	const char *id;
};

/* Enhanced status code subject.detail -> entry (class is not part of the
 * key: class 4/5 only changes the wording). */
struct explain_dsn_map {
	unsigned char subject, detail;
	const char *id;
};

/* Basic reply code -> entry. */
struct explain_code_map {
	int code;
	const char *id;
};

/* Outcome (enum outcome) -> entry when nothing else is known. */
struct explain_outcome_map {
	int outcome;
	const char *id;
};

extern const struct explain_entry explain_entries[];
extern const size_t explain_entries_count;
extern const struct explain_rule explain_reply_rules[];
extern const size_t explain_reply_rules_count;
extern const struct explain_rule explain_delivered_rules[];
extern const size_t explain_delivered_rules_count;
extern const struct explain_rule explain_warning_rules[];
extern const size_t explain_warning_rules_count;
extern const struct explain_dsn_map explain_dsn_table[];
extern const size_t explain_dsn_table_count;
extern const struct explain_code_map explain_code_table[];
extern const size_t explain_code_table_count;
extern const struct explain_outcome_map explain_outcome_table[];
extern const size_t explain_outcome_table_count;
/* The side labels (msgids), indexed by enum explain_side. */
extern const char *const explain_side_labels[SIDE__COUNT];

/* Entry by id, NULL if none.  Linear search; the table is small. */
const struct explain_entry *explain_entry_find(const char *id);

/*
 * Consistency check of the whole table: every pattern compiles, every id
 * referenced by a rule/map/incoming_id exists, ids are unique, every entry
 * has a cause and at least one step.  Returns 0, or -1 and writes the
 * first problem into err (errlen bytes, NUL-terminated).
 */
int explain_check_table(char *err, size_t errlen);

enum explain_list {
	EXPLAIN_LIST_REPLY = 0,  /* explain_reply_rules */
	EXPLAIN_LIST_DELIVERED,  /* explain_delivered_rules */
	EXPLAIN_LIST_WARNING     /* explain_warning_rules */
};

/* Index of the first rule of a list that matches text (len bytes), or -1.
 * For tests that prove every pattern is exercised by a real line. */
int explain_rule_index(enum explain_list list, const char *text, size_t len);

#endif
