/*
 * strtab.h - string interning: every distinct string once, named by a
 * uint32_t id.
 *
 * Log fields repeat endlessly (hosts, relays, senders, reply texts), so the
 * store keeps ids, not strings.  Id 0 is the empty/absent string.
 *
 * Concurrency: the table is split into STRTAB_SHARDS shards by hash, each
 * with its own lock, so the loader's worker threads intern in parallel.
 * Reading a string by id (strtab_get/strtab_len) takes no lock: string
 * bytes live in chunks that never move and the id -> string pages never
 * move either, so an id handed from one thread to another through any
 * mutex (the loader's queues, the store lock) is safe to read.
 *
 * Ids are dense: the shard is in the low bits, so an array indexed by id
 * (a per-string cache) needs strtab_id_limit() entries.
 */
#ifndef MAILTRAIL_STRTAB_H
#define MAILTRAIL_STRTAB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define STRTAB_SHARD_BITS 4
#define STRTAB_SHARDS (1u << STRTAB_SHARD_BITS)
#define STRTAB_PAGE_BITS 14
#define STRTAB_PAGE (1u << STRTAB_PAGE_BITS)
#define STRTAB_PAGES (1u << (32 - STRTAB_SHARD_BITS - STRTAB_PAGE_BITS))

struct strtab_shard {
	pthread_mutex_t lock;
	uint64_t *slots;         /* hash << 32 | local index, 0 = empty */
	uint32_t nslots;         /* power of two */
	atomic_uint count;       /* local indexes in use (0 is reserved) */
	uint32_t nslotted;       /* strings in slots (strtab_add's are not) */
	const char ***pages;     /* [STRTAB_PAGES]: local index -> bytes
				  * (after a 4-byte length prefix); the
				  * directory is calloc'd, so untouched pages
				  * cost no memory */
	char *chunk;             /* string bytes being filled */
	size_t chunk_used, chunk_cap;
	char **chunks;
	size_t nchunks, chunks_cap;
	size_t bytes;
};

struct strtab {
	struct strtab_shard shards[STRTAB_SHARDS];
};

void strtab_init(struct strtab *t);
/* Free everything; pointers from strtab_get() die here. */
void strtab_release(struct strtab *t);

/* Id of s[0..n) (0 when n == 0), interning it if new.  Thread-safe.
 * Dies on OOM.  Strings longer than 4 GiB - 2 are cut. */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t n);

/* The same with hash == strtab_hash(s, n) already computed. */
uint32_t strtab_intern_hashed(struct strtab *t, const char *s, size_t n, uint32_t hash);

/* A new id for s[0..n) without looking for an equal string and without
 * entering it in the lookup table (strtab_lookup never finds it), for
 * values that are unique by nature: queue ids, Message-IDs, replies that
 * name the remote queue id.  Interning those would cost a table slot and
 * a cache-missing probe each for nothing.  spread picks the shard (any
 * number that varies, e.g. a hash: it spreads lock contention).
 * Thread-safe; dies on OOM; 0 when n == 0. */
uint32_t strtab_add(struct strtab *t, const char *s, size_t n, uint32_t spread);

/* Id of s[0..n) if interned, else 0.  Never allocates.  Thread-safe. */
uint32_t strtab_lookup(struct strtab *t, const char *s, size_t n);

/* One more than the largest id handed out so far (for arrays by id). */
uint32_t strtab_id_limit(const struct strtab *t);

/* Distinct strings and their bytes (for reports and benchmarks). */
size_t strtab_count(const struct strtab *t);
size_t strtab_bytes(const struct strtab *t);

/* The string of id (borrowed, NUL-terminated, may contain NULs), "" for
 * 0.  The id must come from this table. */
static inline const char *strtab_get(const struct strtab *t, uint32_t id)
{
	if (id == 0)
		return "";
	const struct strtab_shard *sh = &t->shards[id & (STRTAB_SHARDS - 1)];
	uint32_t local = id >> STRTAB_SHARD_BITS;
	return sh->pages[local >> STRTAB_PAGE_BITS][local & (STRTAB_PAGE - 1)];
}

static inline uint32_t strtab_len(const struct strtab *t, uint32_t id)
{
	if (id == 0)
		return 0;
	uint32_t n;
	memcpy(&n, strtab_get(t, id) - sizeof n, sizeof n);
	return n;
}

/* 32-bit hash used by the table (exposed so workers can precompute). */
uint32_t strtab_hash(const char *s, size_t n);

#endif
