/*
 * correlate.h - turning the time-ordered stream of parsed lines into
 * messages: grouping by host and queue id, tying connection-level lines to
 * messages through the SMTP session (host, program, pid), and linking
 * messages to their next hop, their bounce and their copies elsewhere.
 *
 * State is global across all inputs: the loader feeds records of every
 * file in one time-merged stream, so a message whose lines straddle a log
 * rotation is one message.  One thread only.
 */
#ifndef MAILTRAIL_CORRELATE_H
#define MAILTRAIL_CORRELATE_H

#include <stdint.h>

#include "event.h"
#include "store.h"

/* The string-table lane the correlator adds its unique values to (see
 * strtab_add); the loader's workers use lanes 0, 1, ... */
#define CORR_STRTAB_LANE (STRTAB_LANES - 1)

/*
 * One parsed line.  Fields the store keeps as they are arrive interned
 * (f[] only); fields the correlator transforms before keeping (Message-ID,
 * Subject, recipient lists, link targets) or never keeps arrive only as
 * bytes (s[]), so nothing is interned that is not stored.  s[] is valid
 * for the call.
 */
struct crec {
	int64_t ts_us;
	uint64_t loc;
	int64_t size;
	uint32_t pid;
	uint16_t smtp_code;
	uint8_t kind, outcome, link, flags;
	uint8_t format;          /* index in parser_registry */
	uint64_t qid_hash;       /* corr_qid_hash of s[F_QID], 0 when absent */
	uint64_t qid_key;        /* corr_qid_key(f[F_HOST], qid_hash) */
	uint64_t link_hash;      /* corr_qid_hash of s[F_LINK], 0 when absent */
	uint32_t f[F__COUNT];    /* strtab ids of kept fields, 0 = absent */
	struct slice s[F__COUNT];/* bytes of the fields NOT kept (corr_fields) */
	/* F_RCPTS as the loader sends it: each address of the list already
	 * interned (corr_rcpt_list_next's order); NULL without a list */
	const uint32_t *rcpt_ids;
	uint32_t nrcpt_ids;
};

struct corr;

/* Which fields the correlator reads at all from a line of this kind,
 * with or without a queue id: the loader sends nothing else.  *kept gets
 * those of them the store keeps as they are (bit per enum pfield): the
 * loader interns just these, the others travel as bytes.  A disconnect
 * or TLS line only finds its session, so its client address is neither
 * interned nor copied; the queue id is never kept as is: it is unique to
 * its message, so it travels as bytes plus its hash and is stored once,
 * when its message is created. */
uint32_t corr_fields(uint8_t kind, int has_qid, uint32_t *kept);

/* The next address of a recipient list ("a b,c", Exim's "<= ... for"),
 * without <>: 0 when there is none after *pos.  The loader interns a
 * list's addresses with it (crec.rcpt_ids). */
int corr_rcpt_list_next(struct slice list, size_t *pos, struct slice *addr);

/* The bytes to keep for a kept field: the value itself, except a
 * Subject, which is kept decoded from RFC 2047 (into scratch). */
struct tbuf;
struct slice corr_kept_value(int field, struct slice raw, struct tbuf *scratch);

/* Whether a kept value is unique by nature, so interning it would only
 * fill the lookup table (see strtab_add): the reply to a delivery names
 * the remote server's queue id ("250 2.0.0 Ok: queued as 36EF7E18"). */
int corr_value_unique(uint8_t kind, int field, const char *s, size_t n);

/* 64-bit hash of a queue id's text, never 0: computed by the loader's
 * workers for F_QID and F_LINK (crec.qid_hash, crec.link_hash), so the
 * one merging thread only looks it up. */
uint64_t corr_qid_hash(const char *s, size_t n);

/* The key of (host id, queue id hash) in the correlator's table, also
 * computed by the workers (crec.qid_key). */
uint64_t corr_qid_key(uint32_t host, uint64_t qid_hash);

/* Hint that a record with this qid_key comes next (see u64map_prefetch). */
void corr_prefetch(const struct corr *c, uint64_t qid_key);

struct corr;

/* A correlator writing into st.  Caller frees with corr_free(). */
struct corr *corr_new(struct store *st);

/* Apply one record.  Records must come in time order (ties: file order). */
void corr_add(struct corr *c, const struct crec *r);

/* End of input: close open SMTP sessions, resolve links to queue ids seen
 * later, group copies by Message-ID, compute every status. */
void corr_finish(struct corr *c);

void corr_free(struct corr *c);

/* Message-ID normalised for matching: without <>, surrounding space, and
 * lower-cased.  Writes into buf (cap bytes) and returns the length. */
size_t corr_norm_msgid(const char *s, size_t n, char *buf, size_t cap);

#endif
