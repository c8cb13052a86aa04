/*
 * store.h - everything loaded, owned in one place: the string table, the
 * sources (files), the events, the messages and their recipients.
 *
 * Design: arrays of small fixed records indexed by uint32_t, strings as
 * strtab ids.  Messages hold the parsed fields once; events hold only time,
 * location (file + byte offset: the raw line is re-read on demand), kind,
 * outcome and SMTP code.
 *
 * Events live in one of two forms, because at ~6 M lines per GiB of log
 * they are the largest single item in memory:
 *
 *  - live: a 24-byte struct event in st->events, threaded into its
 *    message's circular list (live_ev, time order).  Cheap to insert into
 *    while the message is still being logged.
 *  - packed: once the correlator knows a message is finished it calls
 *    store_msg_pack_events(), which encodes the live list into a varint
 *    blob in one append-only arena (st->packed, ~5.6 bytes per event instead
 *    of 24) and returns the slots to a free list that store_add_event()
 *    takes from before it grows the array.
 *
 * A message may have both (a line that arrives after packing is live until
 * the next pack), so readers never walk the list themselves: they call
 * store_msg_events(), which merges the two in time order.
 *
 * Threads: the loader appends (and packs) while the TUI reads, so readers
 * take store_lock() around any access while st->loading is set, and must
 * not keep pointers into the arrays or the arena across an unlock (they
 * move when they grow).  Packing writes only under the same lock as any
 * other store write; no extra locking is involved.
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
#include "u64map.h"

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
#define MSG_KEEP_LIVE 0x0200u /* unpacked once (an event older than its blob):
			       * its events stay live until store_pack_all,
			       * so a crafted log cannot make it unpack and
			       * re-pack on every line */
#define MSG_LIVE_UNSORTED 0x0400u /* its live list is in arrival order, not
			       * time order (store_msg_events sorts) */

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

/*
 * One message: 88 bytes (asserted), since there is one per ~900 bytes of
 * log.  Fields that few messages differ in - HELO name, protocol,
 * DirectAdmin account and script - are one shared combination
 * (store_msg_extra), the size is 32 bits, the live events are a circular
 * list known by its newest entry, the small enums share one word with
 * the flags, and the event count and the last recipient are found when
 * needed instead of being kept.
 */
struct message {
	int64_t first_ts, last_ts; /* written only by store.c: first_ts is
				    * also the time base of the packed blob */
	uint32_t size;       /* bytes (saturating); store_msg_size() */
	uint32_t host, qid, msgid, sender, subject; /* subject decoded to UTF-8 */
	uint32_t client_ip, client_host, auth;
	uint32_t extra;      /* index into st->extras: store_msg_extra() */
	uint32_t live_ev;    /* newest live event, EVENT_NONE when none; the
			      * list is circular: its next is the oldest */
	uint32_t pack_off;   /* packed events: byte offset in st->packed,
			      * STORE_PACK_NONE when none (store.c) */
	uint32_t first_rcpt; /* recipient list (store_add_rcpt appends) */
	uint32_t parent;     /* MSG_NONE, or the message this one came from */
	uint32_t first_child, next_sibling;
	uint32_t same_msgid; /* next message with the same Message-ID header
			      * (a ring; itself when alone) */
	uint32_t flags : 12;      /* MSG_* */
	uint32_t status : 4;      /* enum outcome, summarised (store_finish) */
	uint32_t parent_link : 4; /* enum link_kind from the parent's side */
	uint32_t format : 4;      /* index into parser_registry (< 16) of the
				   * first line */
	uint32_t nrcpt : 8;       /* recipients, saturating: store_msg_nrcpt() */
};
_Static_assert(sizeof(struct message) == 88, "struct message must stay 88 bytes");
#define STORE_NRCPT_MAX 255u

#define STORE_SIZE_UNKNOWN UINT32_MAX

/* The message's size in bytes, -1 when no line gave it. */
static inline int64_t store_msg_size(const struct message *msg)
{
	return msg->size == STORE_SIZE_UNKNOWN ? -1 : (int64_t)msg->size;
}

/* Set the size (-1: unknown); 4 GiB and more is kept as 4 GiB - 2. */
static inline void store_msg_set_size(struct message *msg, int64_t size)
{
	msg->size = size < 0 ? STORE_SIZE_UNKNOWN
		    : size >= (int64_t)STORE_SIZE_UNKNOWN ? STORE_SIZE_UNKNOWN - 1 : (uint32_t)size;
}

/* The per-message fields kept as one shared combination. */
enum msg_extra {
	MSG_X_HELO,     /* HELO/EHLO name */
	MSG_X_PROTO,    /* received protocol (esmtpsa) */
	MSG_X_ACCOUNT,  /* DirectAdmin mailbox account */
	MSG_X_SCRIPT,   /* DirectAdmin script path */
	MSG_X__COUNT
};

struct msg_extra_set {
	uint32_t id[MSG_X__COUNT]; /* strtab ids, 0 = absent */
};

#define STORE_PACK_NONE UINT32_MAX

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

	/* Live events.  nevents is the high-water mark of the array, not a
	 * count of events: slots freed by packing are chained from free_ev
	 * through their next field (nfree of them) and reused first. */
	struct event *events;
	uint32_t nevents, events_cap;
	uint32_t free_ev, nfree;

	/* Packed events: append-only blobs, one per packed message (a
	 * re-packed message leaves its old blob behind, unreferenced).
	 * Offsets are uint32_t, so the arena stops growing at 4 GiB and
	 * messages past that stay live. */
	unsigned char *packed;
	uint64_t packed_len, packed_cap;
	struct event *pack_tmp;      /* loader's scratch for packing */
	uint32_t pack_tmp_cap;
	unsigned char *pack_buf;
	uint32_t pack_buf_cap;

	struct message *msgs;
	uint32_t nmsgs, msgs_cap;

	/* Distinct (helo, proto, account, script) combinations; [0] is all
	 * absent.  extras_index finds one by hash (store_msg_set_extra). */
	struct msg_extra_set *extras;
	uint32_t nextras, extras_cap;
	struct u64map extras_index;

	struct rcpt *rcpts;
	uint32_t nrcpts, rcpts_cap;

	int64_t min_ts, max_ts;
};

void store_init(struct store *st);
/* Free everything the store owns (sources, strings, records). */
void store_release(struct store *st);

void store_lock(struct store *st);
void store_unlock(struct store *st);

/* Append; die on OOM.  Return the new index.  store_add_event reuses a
 * slot freed by store_msg_pack_events() when there is one, so event
 * indexes are not in arrival order; the event's next is reset. */
uint32_t store_add_file(struct store *st, const char *path);
uint32_t store_add_event(struct store *st, const struct event *e);
uint32_t store_add_message(struct store *st);
uint32_t store_add_rcpt(struct store *st, uint32_t msg);
/* The same when the caller knows msg's last recipient (RCPT_NONE: none). */
uint32_t store_add_rcpt_after(struct store *st, uint32_t msg, uint32_t tail);
/* n recipients with addresses addr[0..n) appended to msg's list at once
 * (one walk to the tail, not one per recipient: Exim logs thousands on
 * one line).  The caller has removed duplicates. */
void store_add_rcpts(struct store *st, uint32_t msg, const uint32_t *addr, size_t n);

/* Attach live event ev to message m.  In time order, (time, file,
 * offset), when it comes after the last one (nearly always); otherwise
 * it is appended and the list marked MSG_LIVE_UNSORTED (readers sort), as
 * keeping it sorted would walk the list per event.  An event older than
 * everything of an already packed message turns the blob back into live
 * events first (the blob's time base is first_ts, which has to move) and
 * marks the message MSG_KEEP_LIVE. */
void store_msg_push_event(struct store *st, uint32_t m, uint32_t ev);

/* Encode m's live events, together with its earlier blob if it has one,
 * into one new blob at the end of st->packed, and give the live slots to
 * the free list.  Afterwards live_ev = EVENT_NONE; the event count, first_ts
 * and last_ts are unchanged.  Call it when m is unlikely to get more lines
 * (more may still come: they are live until the next call).  No-op when m
 * has no live events, is MSG_KEEP_LIVE, or when the arena would pass
 * 4 GiB (events stay live).  Every call leaves the old blob behind:
 * callers pack a message once or twice, not on every line.  Dies on OOM
 * like every store write. */
void store_msg_pack_events(struct store *st, uint32_t m);

/* Pack every message's live events and, when that leaves every slot free,
 * give the live array back: the end of a load, when memory peaks.  Later
 * events (few) start a new array. */
void store_pack_all(struct store *st);

/* All events of m, packed and live, in (time, file, offset) order, written
 * to out[0..cap).  Returns how many were written: min(cap, nev).  out[i].next
 * is unspecified.  Reader: needs the store lock while loading goes on; the
 * caller owns out (m->nev entries are always enough). */
size_t store_msg_events(const struct store *st, uint32_t m, struct event *out, size_t cap);

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

/* One of the message's shared fields (strtab id, 0 = absent). */
static inline uint32_t store_msg_extra(const struct store *st, const struct message *msg,
				       enum msg_extra x)
{
	return st->extras[msg->extra].id[x];
}

/* Set one shared field of m to id (the combination is looked up or
 * added).  Writer: the loader, under the store lock. */
void store_msg_set_extra(struct store *st, uint32_t m, enum msg_extra x, uint32_t id);

/* How many recipients m has (counted when there are 255 or more). */
uint32_t store_msg_nrcpt(const struct store *st, const struct message *msg);

/* How many events m has, packed and live (enough room for
 * store_msg_events). */
uint32_t store_msg_nev(const struct store *st, uint32_t m);

/* Human label of the message's source format ("postfix"). */
const char *store_msg_format(const struct store *st, uint32_t m);

#endif
