/*
 * store.h - everything loaded, owned in one place: the string table, the
 * sources (files), the events, the messages and their recipients.
 *
 * Design: arrays of small fixed records indexed by uint32_t, strings as
 * strtab ids.  Messages hold the parsed fields once; events hold only time,
 * location, kind and the link to the next event of their message.  The
 * loader appends while the TUI reads, so readers take store_lock() around
 * any access while st->loading is set, and must not keep pointers into the
 * arrays across an unlock (they may move when they grow).
 *
 * Readers use the const accessors below; only the loader and correlator
 * write.
 */
#ifndef MAILTRAIL_STORE_H
#define MAILTRAIL_STORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "lineio.h"
#include "strtab.h"

#define MSG_NONE UINT32_MAX
#define RCPT_NONE UINT32_MAX

/* message.flags */
#define MSG_DONE      0x0001u /* left the queue (removed / Completed) */
#define MSG_HELD      0x0002u /* on hold / frozen at last sight */
#define MSG_IS_BOUNCE 0x0004u /* a DSN / non-delivery report (sender <>) */
#define MSG_ATTEMPT   0x0008u /* an SMTP attempt refused before queueing */
#define MSG_INBOUND   0x0010u /* received for a local account */
#define MSG_OUTBOUND  0x0020u /* sent by a local account */
#define MSG_EXPIRED   0x0040u /* queue lifetime ran out */
#define MSG_DELETED   0x0080u /* removed by an administrator */
#define MSG_HOP       0x0100u /* re-queued copy of a message on the same host
			       * (content filter, alias forward): its parent
			       * is the copy before */

struct rcpt {
	int64_t at;          /* time of the last word about this recipient */
	uint32_t addr;       /* final address */
	uint32_t orig;       /* original address (alias expansion), 0 = same */
	uint32_t relay;      /* where it went */
	uint32_t dsn;        /* enhanced status code */
	uint32_t reply;      /* reply / reason text */
	uint32_t next;       /* next recipient of the message, RCPT_NONE */
	uint32_t hop;        /* message it was handed to, MSG_NONE */
	uint16_t smtp_code;
	uint8_t status;      /* enum outcome as logged for this message */
	uint8_t attempts;    /* delivery attempts seen (saturates at 255) */
};

struct message {
	int64_t first_ts, last_ts;
	int64_t size;        /* bytes, -1 unknown */
	uint32_t host, qid, msgid, sender, subject; /* subject decoded to UTF-8 */
	uint32_t client_ip, client_host, helo, auth, proto;
	uint32_t account, script;   /* DirectAdmin usage */
	uint32_t first_ev, last_ev; /* event list, EVENT_NONE when empty */
	uint32_t nev;
	uint32_t first_rcpt, last_rcpt;
	uint32_t parent;     /* MSG_NONE, or the message this one came from */
	uint32_t first_child, next_sibling;
	uint32_t same_msgid; /* next message with the same Message-ID header
			      * (a ring; itself when alone) */
	uint16_t nrcpt;
	uint16_t flags;      /* MSG_* */
	uint8_t status;      /* enum outcome, summarised (store_finish) */
	uint8_t parent_link; /* enum link_kind from the parent's side */
	uint8_t format;      /* index into parser_registry of the first line */
	uint8_t pad;
};

/* Per-file report: what was and was not understood. */
#define FILE_SAMPLES 5
struct file_sample {
	uint64_t line;       /* 1-based */
	char text[160];      /* raw head of the line (not escaped) */
	const char *why;     /* static reason, may be NULL */
};

struct file_info {
	struct source src;
	const char *format;      /* parser name, NULL if none detected */
	const char *format_title;
	int score;
	uint64_t lines, ok, skipped, unknown, bad, cut;
	uint32_t nsamples;
	struct file_sample samples[FILE_SAMPLES];
	char error[320];         /* open/read/gzip problem, "" if none */
	char header_note[300];   /* CSV exports: the columns recognised */
	int opened;              /* source_open succeeded */
	int64_t first_ts, last_ts;
};

struct store {
	pthread_mutex_t lock;
	atomic_int loading;          /* the loader still appends */

	struct strtab strs;

	struct file_info *files;
	uint32_t nfiles, files_cap;

	struct event *events;
	uint32_t nevents, events_cap;

	struct message *msgs;
	uint32_t nmsgs, msgs_cap;

	struct rcpt *rcpts;
	uint32_t nrcpts, rcpts_cap;

	int64_t min_ts, max_ts;
};

void store_init(struct store *st);
/* Free everything the store owns (sources, strings, records). */
void store_release(struct store *st);

void store_lock(struct store *st);
void store_unlock(struct store *st);

/* Append; die on OOM.  Return the new index. */
uint32_t store_add_file(struct store *st, const char *path);
uint32_t store_add_event(struct store *st, const struct event *e);
uint32_t store_add_message(struct store *st);
uint32_t store_add_rcpt(struct store *st, uint32_t msg);

/* Attach event ev to the end of message m's event list. */
void store_msg_push_event(struct store *st, uint32_t m, uint32_t ev);

/* Recompute m's summary status from its recipients and flags. */
void store_msg_update_status(struct store *st, uint32_t m);

/* Final status of a recipient after following hand-offs ("queued as") to
 * the message that carried it on.  depth guards against link loops. */
enum outcome store_rcpt_final(const struct store *st, uint32_t r, uint32_t *final_rcpt);

static inline const char *store_str(const struct store *st, uint32_t id)
{
	return strtab_get(&st->strs, id);
}

static inline const struct message *store_msg(const struct store *st, uint32_t m)
{
	return &st->msgs[m];
}

/* Human label of the message's source format ("postfix"). */
const char *store_msg_format(const struct store *st, uint32_t m);

#endif
