/*
 * event.h - the one event model every log format is normalised into.
 *
 * Two shapes live here:
 *
 *  - struct pline: what a parser fills for ONE input line.  Its string
 *    fields are slices pointing into the line buffer (or the parser's own
 *    state), so a parser allocates nothing per line.  The loader interns
 *    the slices and hands the result to the correlator, then forgets it.
 *
 *  - struct event: what the store keeps for every recognised line for the
 *    whole session.  It is small (24 bytes, asserted below), and only the
 *    events of messages still in the queue stay in this form: the others
 *    are packed into ~6 bytes each (store.h), since a 1 GiB log is ~6 M
 *    lines.  Parsed fields are kept once per message and per recipient
 *    (store.h), and the raw text is re-read from the source file on demand
 *    (lineio.h).
 */
#ifndef MAILTRAIL_EVENT_H
#define MAILTRAIL_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* What a line says happened.  Shared by every format; a format that has
 * no equivalent simply never emits a kind.  Keep EV_UNKNOWN first: it is
 * the "kept but not understood" bucket for lines that carry a queue id. */
enum ev_kind {
	EV_UNKNOWN = 0,  /* line on a known message, not classified */
	EV_CONNECT,      /* client connected (smtpd connect / Exim SMTP connection) */
	EV_DISCONNECT,   /* client session ended */
	EV_CLIENT,       /* message opened for a client (Postfix client=, pickup uid=) */
	EV_REJECT,       /* refused in SMTP (NOQUEUE reject, Exim rejected RCPT) */
	EV_MSGID,        /* Message-ID header seen (Postfix cleanup) */
	EV_HEADER,       /* a header logged by header_checks (Subject: ...) */
	EV_QUEUED,       /* message accepted into the queue (qmgr from=, Exim <=) */
	EV_DELIVERED,    /* one recipient delivered (status=sent, =>, ->) */
	EV_DEFERRED,     /* one recipient deferred (status=deferred, ==) */
	EV_BOUNCED,      /* one recipient failed permanently (status=bounced, **) */
	EV_EXPIRED,      /* queue lifetime exceeded, returned to sender */
	EV_DONE,         /* message left the queue (removed, Completed) */
	EV_BOUNCE_SENT,  /* a DSN/NDR was generated: link names the new message */
	EV_HOLD,         /* placed on hold / frozen */
	EV_RELEASE,      /* released from hold / unfrozen */
	EV_DELETED,      /* removed by an administrator (postsuper -d, exim -Mrm) */
	EV_FILTER,       /* content filter verdict (amavis Passed/Blocked) */
	EV_MAILBOX,      /* final local save (dovecot "saved mail to") */
	EV_RETRY_WAIT,   /* Exim "retry time not reached": nothing tried */
	EV_HOST_ERROR,   /* per-host problem before a deferral (Connection refused) */
	EV_WARNING,      /* warning that explains server trouble */
	EV_AUTH_FAIL,    /* SMTP AUTH failed */
	EV_TLS,          /* TLS session established / failed */
	EV_DKIM,         /* DKIM verification / signing line */
	EV_SUPPRESSED,   /* Exim *> (delivery suppressed by -N) */
	EV_USAGE_IN,     /* DirectAdmin .bytes: mail received for the account */
	EV_USAGE_OUT,    /* DirectAdmin .bytes: mail sent by the account */
	EV_STEP,         /* one delivery step from a CSV export (GWS, EmailLabs) */
	EV_OPENED,       /* tracking: recipient opened */
	EV_CLICKED,      /* tracking: recipient clicked */
	EV_COMPLAINT,    /* tracking: recipient marked as spam */
	EV_NOTE,         /* informative line on a message (amavis continuation, ...) */
	EV__COUNT
};

/* Final word about a recipient (and, summarised, about a message).
 * Order matters: store.c picks the message status from these. */
enum outcome {
	OUT_NONE = 0,    /* this line says nothing about an outcome */
	OUT_QUEUED,      /* accepted, nothing after */
	OUT_DELIVERED,
	OUT_DEFERRED,    /* last attempt was temporary failure, no final word */
	OUT_BOUNCED,
	OUT_EXPIRED,
	OUT_REJECTED,    /* refused in SMTP, never queued */
	OUT_PARTIAL,     /* message only: recipients differ */
	OUT__COUNT
};

/* How the message named by F_LINK relates to the message of this line. */
enum link_kind {
	LINK_NONE = 0,
	LINK_NEXT_HOP,     /* this message was handed on and re-queued as F_LINK
			    * ("queued as ID", amavis queued_as, Exim C="... id=X") */
	LINK_FORWARDED,    /* local alias/.forward re-injected it as F_LINK */
	LINK_BOUNCE_CHILD, /* F_LINK is the bounce/DSN this message caused */
	LINK_BOUNCE_PARENT,/* this message IS a bounce of F_LINK (Exim R=) */
	LINK_ORIG_QUEUE,   /* F_LINK is the queue id it had before (orig_queue_id=) */
	LINK__COUNT
};

/* Named string fields of a parsed line.  0 length = absent. */
enum pfield {
	F_HOST = 0,   /* host that wrote the line (syslog host), if any */
	F_PROG,       /* program incl. instance (postfix-out/smtp), if any */
	F_QID,        /* queue id / Exim message id / export message key */
	F_LINK,       /* the other queue id, meaning given by pline.link */
	F_SENDER,     /* envelope sender; "<>" slice for the null sender */
	F_RCPT,       /* one recipient (delivery lines) */
	F_RCPTS,      /* space-separated recipient list (Exim <= ... for a b) */
	F_ORIG_RCPT,  /* original recipient before alias expansion */
	F_RELAY,      /* where it went: host[ip]:port, local, transport */
	F_DSN,        /* enhanced status code 5.1.1 */
	F_REPLY,      /* the reply / reason text */
	F_CLIENT_HOST,/* connecting client's name */
	F_CLIENT_IP,  /* connecting client's address */
	F_HELO,       /* HELO/EHLO name */
	F_AUTH,       /* authenticated user (sasl_username, A=...:id) */
	F_MSGID,      /* Message-ID header, as logged (with or without <>) */
	F_SUBJECT,    /* Subject, raw (may be RFC 2047 encoded) */
	F_PROTO,      /* received protocol (esmtpsa ...) */
	F_SCRIPT,     /* script path / cwd (DirectAdmin path=) */
	F_ACCOUNT,    /* mailbox account the line is about (DA email=) */
	F_STATUS_RAW, /* the source's own status word (EmailLabs hardbounce) */
	F_DETAIL,     /* anything else worth showing in a trace line */
	F__COUNT
};

struct slice {
	const char *p;
	uint32_t n;
};

/* pline.flags */
#define PL_YEARLESS  0x01u  /* ts_us counted in year 2000; loader fixes year */
#define PL_LOCALTIME 0x02u  /* ts_us is wall-clock local time, not UTC */
#define PL_NOTIME    0x04u  /* line had no usable time; loader uses previous */
#define PL_OUTBOUND  0x08u  /* direction: sent by the account (usage, exports) */
#define PL_INBOUND   0x10u  /* direction: received for the account */

/*
 * One parsed input line.  Filled by parser->line(); the caller zeroes it
 * before each call, so a parser only sets what it found.
 *
 * ts_us: microseconds since the Unix epoch.  With PL_LOCALTIME it is the
 * wall-clock value as if it were UTC; the loader applies the zone.  With
 * PL_YEARLESS it was computed for year 2000 (a leap year, so 29 Feb parses)
 * and the loader moves it to the right year (mtime + Dec->Jan walk).
 */
struct pline {
	int64_t ts_us;
	uint8_t kind;       /* enum ev_kind */
	uint8_t outcome;    /* enum outcome this line gives F_RCPT (or the message) */
	uint8_t link;       /* enum link_kind for F_LINK */
	uint8_t flags;      /* PL_* */
	uint16_t smtp_code; /* basic reply code 550, 0 if none */
	uint32_t pid;       /* process id from the line prefix, 0 if none */
	int64_t size;       /* message size in bytes, -1 if unknown */
	struct slice f[F__COUNT];
};

/* --- the stored record -------------------------------------------------- */

#define EVENT_FILE_BITS 16
#define EVENT_OFFSET_BITS 48
#define EVENT_MAX_FILES (1u << EVENT_FILE_BITS)

/*
 * One recognised line, kept for the session.  24 bytes (asserted): time,
 * where the raw line is (re-read on demand, never stored twice), what it
 * was, and the next event of the same message (the correlator threads a
 * message's events into a list in time order, so a trace needs no search).
 * Line numbers are not stored: lineio counts them on demand from per-file
 * checkpoints, which costs a few milliseconds per trace instead of 4 bytes
 * on every one of millions of lines.
 */
struct event {
	int64_t ts_us;      /* UTC microseconds */
	uint64_t loc;       /* file id << 48 | byte offset of the line start */
	uint32_t next;      /* next event of the same message, EVENT_NONE at end */
	uint8_t kind;       /* enum ev_kind */
	uint8_t outcome;    /* enum outcome */
	uint16_t smtp_code; /* basic SMTP reply code, 0 if none */
};
_Static_assert(sizeof(struct event) == 24, "struct event must stay 24 bytes");

#define EVENT_NONE UINT32_MAX

static inline uint32_t event_file(const struct event *e)
{
	return (uint32_t)(e->loc >> EVENT_OFFSET_BITS);
}

static inline uint64_t event_offset(const struct event *e)
{
	return e->loc & ((UINT64_C(1) << EVENT_OFFSET_BITS) - 1);
}

static inline uint64_t event_loc(uint32_t file, uint64_t offset)
{
	return ((uint64_t)file << EVENT_OFFSET_BITS) |
	       (offset & ((UINT64_C(1) << EVENT_OFFSET_BITS) - 1));
}

/* Short lower-case names for JSON and the CLI ("delivered", "connect"). */
const char *ev_kind_name(enum ev_kind k);
const char *outcome_name(enum outcome o);
/* The outcome for people, in their language ("doręczona"); the names
 * above are for machines (JSON, --status) and never translated. */
const char *outcome_label(enum outcome o);
/* Parse an outcome name as typed by a user ("bounced"); -1 if unknown. */
int outcome_from_name(const char *s, size_t n);

static inline int slice_eq(struct slice s, const char *lit)
{
	size_t i = 0;
	for (; i < s.n; i++)
		if (lit[i] != s.p[i] || lit[i] == '\0')
			return 0;
	return lit[i] == '\0';
}

#endif
