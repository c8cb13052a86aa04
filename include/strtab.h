/*
 * strtab.h - string interning: every distinct string once, named by a
 * uint32_t id.
 *
 * Log fields repeat endlessly (hosts, relays, senders, reply texts), so the
 * store keeps ids, not strings.  Id 0 is the empty/absent string.  Strings
 * live in fixed chunks that never move, so a pointer from strtab_get() stays
 * valid until strtab_release() even as the table grows.  A strtab is not
 * thread-safe: the loader gives each worker its own and re-interns into the
 * store's table on one thread (only distinct strings cross over).
 */
#ifndef MAILTRAIL_STRTAB_H
#define MAILTRAIL_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct strtab {
	uint32_t *slots;      /* open addressing: id, 0 = empty */
	uint32_t *hashes;     /* hash of each id, to skip compares and rehash */
	const char **strs;    /* id -> NUL-terminated bytes (may contain NULs) */
	uint32_t *lens;       /* id -> length */
	uint32_t count;       /* ids in use, including id 0 */
	uint32_t cap;         /* capacity of strs/lens/hashes */
	uint32_t nslots;      /* power of two */
	char *chunk;          /* current chunk being filled */
	size_t chunk_used, chunk_cap;
	char **chunks;        /* every chunk, for release */
	size_t nchunks, chunks_cap;
	size_t bytes;         /* bytes of string data held */
};

void strtab_init(struct strtab *t);
/* Free everything; pointers from strtab_get() die here. */
void strtab_release(struct strtab *t);

/* Id of s[0..n) (0 when n == 0), interning it if new.  Dies on OOM. */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t n);

/* Id of s[0..n) if interned, else 0.  Never allocates. */
uint32_t strtab_lookup(const struct strtab *t, const char *s, size_t n);

/* The string of id (borrowed, NUL-terminated), "" for 0 or a bad id. */
static inline const char *strtab_get(const struct strtab *t, uint32_t id)
{
	return id < t->count ? t->strs[id] : "";
}

static inline uint32_t strtab_len(const struct strtab *t, uint32_t id)
{
	return id < t->count ? t->lens[id] : 0;
}

/* FNV-1a-style 32-bit hash used by the table (exposed for tests). */
uint32_t strtab_hash(const char *s, size_t n);

#endif
