/*
 * strtab.h - string interning: every distinct string once, named by a
 * uint32_t id.
 *
 * Log fields repeat endlessly (hosts, relays, senders, reply texts), so the
 * store keeps ids, not strings.  Id 0 is the empty/absent string.
 *
 * Two kinds of id:
 *
 *  - interned (top bit clear): strtab_intern/strtab_lookup.  The table is
 *    split into STRTAB_SHARDS shards by hash, each with its own lock, so
 *    the loader's worker threads intern in parallel.  Each string costs an
 *    8-byte head (local index, length), its bytes and a NUL in a shard's
 *    chunks, plus an 8-byte page pointer (local index -> bytes) and a
 *    lookup slot.  These ids are
 *    dense: the shard is in the low bits, so an array indexed by id (a
 *    per-string cache) needs strtab_id_limit() entries.
 *
 *  - tagged (top bit set, STRTAB_TAG): strtab_add, for values unique to one
 *    message (queue ids, Message-IDs, replies naming a remote queue id),
 *    which are most of the strings of a big log.  They live in one compact
 *    arena: a 2-byte length, the bytes and a NUL (n + 3 bytes), no page
 *    pointer, no lookup slot.  The id *is* the address: the low
 *    STRTAB_ARENA_OFF_BITS bits are the byte offset in a 1 MiB chunk, the
 *    bits above (up to the tag) the chunk's index in a fixed directory.
 *    So tagged ids are NOT dense and never below strtab_id_limit(): never
 *    index an array with one (strtab_is_tagged() tells).  Limits: strings
 *    shorter than 65535 bytes and 2 GiB of arena in all; beyond either,
 *    strtab_add hands out an interned-kind id (without dedupe) instead.
 *
 * Reading a string by id (strtab_get/strtab_len) takes no lock: string
 * bytes live in chunks that never move, the id -> string pages never move
 * and the arena's chunk directory is an array inside struct strtab, so an
 * id handed from one thread to another through any mutex (the loader's
 * queues, the store lock) is safe to read.
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
#define STRTAB_PAGES (1u << (31 - STRTAB_SHARD_BITS - STRTAB_PAGE_BITS))
#define STRTAB_CHUNK_OFF_BITS 20
#define STRTAB_SHARD_CHUNKS (1u << (32 - STRTAB_CHUNK_OFF_BITS))

/* Tagged (arena) ids: see the top of this file. */
#define STRTAB_TAG 0x80000000u
#define STRTAB_ARENA_OFF_BITS 20
#define STRTAB_ARENA_CHUNK (1u << STRTAB_ARENA_OFF_BITS)
#define STRTAB_ARENA_CHUNKS (1u << (31 - STRTAB_ARENA_OFF_BITS))
#define STRTAB_ARENA_MAX_LEN 65534u   /* longest string the arena takes */
#define STRTAB_LANE_BITS 3
#define STRTAB_LANES (1u << STRTAB_LANE_BITS)

/* One generation of a shard's lookup table.  A slot is hash << 32 |
 * ref, 0 = empty, where ref = chunk << STRTAB_CHUNK_OFF_BITS | offset
 * of the string's entry (local index, length, bytes, NUL): a probe reads
 * the slot and then the entry, nothing in between.  Growing makes a new
 * generation; the old one stays readable (lock-free probes may still be
 * in it) until strtab_quiesce(). */
struct strtab_slots {
	struct strtab_slots *older;
	uint32_t mask;           /* slots - 1, slots a power of two */
	_Atomic uint64_t slot[];
};

struct strtab_shard {
	pthread_mutex_t lock;
	_Atomic(struct strtab_slots *) table;
	uint32_t nslotted;       /* strings in slots (strtab_add's are not) */
	atomic_uint count;       /* local indexes in use (0 is reserved) */
	const char ***pages;     /* [STRTAB_PAGES]: local index -> bytes
				  * (after the 8-byte entry head); the
				  * directory is calloc'd, so untouched pages
				  * cost no memory */
	char **chunks;           /* [STRTAB_SHARD_CHUNKS], never moves:
				  * lock-free probes index it by ref */
	uint32_t nchunks;
	char *chunk;             /* string bytes being filled ... */
	uint32_t chunk_no;       /* ... chunks[chunk_no] */
	size_t chunk_used;
	size_t bytes;
};

/* One writer's place in the arena: each thread that adds keeps to its
 * own lane (strtab_add's lane argument), so they never share a lock. */
struct strtab_lane {
	pthread_mutex_t lock;
	char *chunk;             /* being filled, NULL before the first add */
	uint32_t chunk_no;       /* its index in arena[] */
	uint32_t used, cap;      /* bytes of chunk taken / usable */
	int full;                /* the arena has no chunk left for us */
	atomic_size_t count, bytes; /* written under lock, read by reports */
	char pad[48];            /* 128 bytes on LP64 glibc: neighbouring
				  * lanes' locks on different cache lines */
};

struct strtab {
	struct strtab_shard shards[STRTAB_SHARDS];
	/* Arena for tagged ids.  arena[] is filled in order under arena_lock
	 * and a slot never changes once set; readers index it lock-free. */
	char *arena[STRTAB_ARENA_CHUNKS];
	pthread_mutex_t arena_lock;
	uint32_t arena_nchunks;  /* directory slots handed out */
	uint32_t arena_limit;    /* STRTAB_ARENA_CHUNKS; tests lower it to
				  * reach the "arena full" fallback */
	struct strtab_lane lanes[STRTAB_LANES];
};

void strtab_init(struct strtab *t);
/* Free everything; pointers from strtab_get() die here. */
void strtab_release(struct strtab *t);

/* Free the lookup tables that growth superseded.  Call only while no
 * other thread is in strtab_intern* or strtab_lookup (the loader does,
 * after joining its workers): those probe without a lock and may still
 * be reading one. */
void strtab_quiesce(struct strtab *t);

/* Id of s[0..n) (0 when n == 0), interning it if new.  Never a tagged id.
 * Thread-safe: a string already there is found without a lock, a new
 * one is added under its shard's lock.  Dies on OOM.  Strings longer
 * than 4 GiB - 10 are cut. */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t n);

/* The same with hash == strtab_hash(s, n) already computed. */
uint32_t strtab_intern_hashed(struct strtab *t, const char *s, size_t n, uint32_t hash);

/* A new id for s[0..n) without looking for an equal string and without
 * entering it in the lookup table (strtab_lookup never finds it), for
 * values that are unique by nature: queue ids, Message-IDs, replies that
 * name the remote queue id.  Interning those would cost a table slot and
 * a cache-missing probe each for nothing.  The id is tagged (arena, n + 3
 * bytes) when n <= STRTAB_ARENA_MAX_LEN and the arena has room, else an
 * interned-kind id that no lookup finds.  lane (taken modulo
 * STRTAB_LANES) picks where it is written: any value is correct, but each
 * thread that adds should keep to a lane of its own (its worker number),
 * so that the lane's lock stays in that core's cache instead of bouncing
 * between cores on every call.  Thread-safe; dies on OOM; 0 when n == 0. */
uint32_t strtab_add(struct strtab *t, const char *s, size_t n, unsigned lane);

/* Id of s[0..n) if interned, else 0.  Never allocates.  Thread-safe
 * (without a lock, like strtab_intern's lookups). */
uint32_t strtab_lookup(struct strtab *t, const char *s, size_t n);

/* One more than the largest untagged id handed out so far (for arrays by
 * id; tagged ids are outside it: check strtab_is_tagged first). */
uint32_t strtab_id_limit(const struct strtab *t);

/* Strings stored (interned and added, "" counted once) and the bytes
 * they take in chunks and arena, length prefixes and NULs included (for
 * reports and benchmarks). */
size_t strtab_count(const struct strtab *t);
size_t strtab_bytes(const struct strtab *t);

/* 1 for an arena id from strtab_add (not dense: no array by id). */
static inline int strtab_is_tagged(uint32_t id)
{
	return (id & STRTAB_TAG) != 0;
}

/* Entry of a tagged id: 2-byte length (unaligned), bytes, NUL. */
static inline const char *strtab_arena_entry(const struct strtab *t, uint32_t id)
{
	return t->arena[(id >> STRTAB_ARENA_OFF_BITS) & (STRTAB_ARENA_CHUNKS - 1)] +
	       (id & (STRTAB_ARENA_CHUNK - 1));
}

/* Bytes of a nonzero untagged id (after its entry head: 4-byte local
 * index, 4-byte length). */
static inline const char *strtab_paged_bytes(const struct strtab *t, uint32_t id)
{
	const struct strtab_shard *sh = &t->shards[id & (STRTAB_SHARDS - 1)];
	uint32_t local = id >> STRTAB_SHARD_BITS;
	return sh->pages[local >> STRTAB_PAGE_BITS][local & (STRTAB_PAGE - 1)];
}

/* The string of id (borrowed, NUL-terminated, may contain NULs), "" for
 * 0.  The id must come from this table. */
static inline const char *strtab_get(const struct strtab *t, uint32_t id)
{
	if (id & STRTAB_TAG)
		return strtab_arena_entry(t, id) + sizeof(uint16_t);
	if (id == 0)
		return "";
	return strtab_paged_bytes(t, id);
}

static inline uint32_t strtab_len(const struct strtab *t, uint32_t id)
{
	if (id & STRTAB_TAG) {
		uint16_t n16;
		memcpy(&n16, strtab_arena_entry(t, id), sizeof n16);
		return n16;
	}
	if (id == 0)
		return 0;
	uint32_t n;
	memcpy(&n, strtab_paged_bytes(t, id) - sizeof n, sizeof n);
	return n;
}

/* 32-bit hash used by the table (exposed so workers can precompute). */
uint32_t strtab_hash(const char *s, size_t n);

/* Start loading the table slot where the string of hash h would be, so
 * that a strtab_intern_hashed soon after does not wait for it (callers
 * with several strings to intern prefetch them all first). */
void strtab_prefetch(struct strtab *t, uint32_t h);

/* Then, once that slot has arrived, start loading the string it names
 * (when its hash is h): the second miss of a lookup, overlapped too. */
void strtab_prefetch_entry(struct strtab *t, uint32_t h);

/* The 64-bit mix behind it (the correlator keys queue ids by it). */
uint64_t strtab_hash64(const char *s, size_t n);

#endif
