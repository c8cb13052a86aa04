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
	uint32_t f[F__COUNT];    /* strtab ids of kept fields, 0 = absent */
	struct slice s[F__COUNT];/* bytes of the fields NOT kept (corr_kept_fields) */
};

/* Which fields of a line with this kind the store keeps (bit per enum
 * pfield): the loader interns just these. */
uint32_t corr_kept_fields(uint8_t kind);

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
