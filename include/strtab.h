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
	uint64_t *slots;      /* open addressing: hash << 32 | id, 0 = empty;
			       * the hash in the slot spares a cache miss per
			       * probe and makes growing need no string */
	const char **strs;    /* id -> NUL-terminated bytes (may contain NULs) */
	uint32_t *lens;       /* id -> length */
	uint32_t count;       /* ids in use, including id 0 */
	uint32_t cap;         /* capacity of strs/lens */
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

/* The same with hash == strtab_hash(s, n) already computed (the loader's
 * workers hash on their own thread). */
uint32_t strtab_intern_hashed(struct strtab *t, const char *s, size_t n, uint32_t hash);

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
