/*
 * strtab.c - sharded interning with open addressing, plus an arena for
 * strings that are never looked up.
 *
 * The shard is chosen by the top bits of the hash and the slot by the low
 * bits, so the two never correlate.  A slot holds the 32-bit hash and
 * where the string's entry is (chunk, offset): a probe costs two cache
 * misses, the slot and the entry (local index, length and bytes side by
 * side), and growing a shard never touches string bytes.  Each string is
 * stored once in 1 MiB chunks that never move.
 *
 * Lookups take no lock.  The loader's workers intern millions of fields
 * that are mostly there already; a lock per lookup cost a cache line
 * bouncing between the cores on top of the misses.  Entries are complete
 * before the slot naming them is published, a table is complete before
 * it is published, and a table that growth superseded stays readable
 * until strtab_quiesce(), so a probe racing an insert or a growth sees
 * either the string or an empty slot - and an empty slot sends it to
 * the locked path, which looks again in the current table before adding.
 *
 * strtab_add's strings (unique per message: most of a big log's strings)
 * go to the arena instead, where the id encodes the address, so they need
 * no page pointer and only a 2-byte length: n + 3 bytes instead of
 * n + 13.  Writers fill per-lane chunks under the lane's lock; only taking
 * a new chunk's directory slot goes through the one arena lock.
 */
#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "xalloc.h"

#define STRTAB_CHUNK_SIZE (1u << STRTAB_CHUNK_OFF_BITS)

/* An arena chunk is allocated a little under 1 MiB so that with malloc's
 * header it fills whole pages (chunks are mmap'd); the last bytes are
 * never handed out, so PCRE2's JIT, which reads words past a subject's
 * end, stays inside the zeroed block. */
#define ARENA_ALLOC (STRTAB_ARENA_CHUNK - 32)
#define ARENA_SLACK 16
_Static_assert(STRTAB_ARENA_MAX_LEN + 3 <= ARENA_ALLOC - ARENA_SLACK,
	       "an arena entry must fit in one chunk");
_Static_assert(STRTAB_ARENA_MAX_LEN < UINT16_MAX, "arena lengths are 16-bit");
_Static_assert(STRTAB_LANE_BITS >= 1 && STRTAB_LANE_BITS <= 8, "lane index is a shift");

uint64_t strtab_hash64(const char *s, size_t n)
{
	/* 64-bit multiply-mix over 8-byte words: several times faster than
	 * byte-wise FNV on the 10-60 byte strings logs are made of. */
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return h;
}

uint32_t strtab_hash(const char *s, size_t n)
{
	uint64_t h = strtab_hash64(s, n);
	/* Every bit must vary: the low bits pick the slot, the high ones the
	 * shard.  (Forcing a bit to 1 to avoid 0 would leave half the slots
	 * unused and make probe chains long.) */
	uint32_t v = (uint32_t)h ^ (uint32_t)(h >> 32);
	return v ? v : 1;
}

static const char empty_entry[sizeof(uint32_t) + 1]; /* length 0, "" */

/* A shard's first lookup table: 256 KiB, so it is mmap'd and only the
 * pages that slots land in cost memory, and a big log (~20 k strings a
 * shard per GiB) rarely has to grow it, so few superseded tables wait
 * for strtab_quiesce. */
#define STRTAB_FIRST_SLOTS 32768u

/* An entry: 4-byte local index, 4-byte length, the bytes, a NUL. */
#define ENTRY_HEAD (2 * sizeof(uint32_t))

static struct strtab_slots *slots_new(uint32_t nslots, struct strtab_slots *older)
{
	struct strtab_slots *g = xcalloc(1, sizeof *g + (size_t)nslots * sizeof g->slot[0]);
	g->older = older;
	g->mask = nslots - 1;
	return g;
}

static void slots_free_older(struct strtab_slots *g)
{
	struct strtab_slots *o = g->older;
	g->older = NULL;
	while (o) {
		struct strtab_slots *next = o->older;
		free(o);
		o = next;
	}
}

void strtab_init(struct strtab *t)
{
	/* Held for an append only: spin a little before sleeping, since a
	 * sleep costs more than the wait. */
	pthread_mutexattr_t adaptive;
	pthread_mutexattr_init(&adaptive);
	pthread_mutexattr_settype(&adaptive, PTHREAD_MUTEX_ADAPTIVE_NP);
	memset(t, 0, sizeof *t);
	/* One block for every shard's chunk directory: big enough to be
	 * mmap'd, so each shard's unused tail costs no memory. */
	char **dirs = xcalloc((size_t)STRTAB_SHARDS * STRTAB_SHARD_CHUNKS, sizeof *dirs);
	for (unsigned i = 0; i < STRTAB_SHARDS; i++) {
		struct strtab_shard *sh = &t->shards[i];
		pthread_mutex_init(&sh->lock, &adaptive);
		atomic_init(&sh->table, slots_new(STRTAB_FIRST_SLOTS, NULL));
		sh->pages = xcalloc(STRTAB_PAGES, sizeof *sh->pages);
		sh->pages[0] = xcalloc(STRTAB_PAGE, sizeof *sh->pages[0]);
		/* local index 0 is reserved in every shard; id 0 is "" */
		sh->pages[0][0] = empty_entry + sizeof(uint32_t);
		sh->chunks = dirs + (size_t)i * STRTAB_SHARD_CHUNKS;
		atomic_store(&sh->count, 1);
	}
	pthread_mutex_init(&t->arena_lock, NULL);
	t->arena_limit = STRTAB_ARENA_CHUNKS;
	for (unsigned i = 0; i < STRTAB_LANES; i++)
		pthread_mutex_init(&t->lanes[i].lock, &adaptive);
	pthread_mutexattr_destroy(&adaptive);
}

void strtab_quiesce(struct strtab *t)
{
	for (unsigned i = 0; i < STRTAB_SHARDS; i++) {
		struct strtab_shard *sh = &t->shards[i];
		pthread_mutex_lock(&sh->lock);
		slots_free_older(atomic_load_explicit(&sh->table, memory_order_relaxed));
		pthread_mutex_unlock(&sh->lock);
	}
}

void strtab_release(struct strtab *t)
{
	for (unsigned i = 0; i < STRTAB_SHARDS; i++) {
		struct strtab_shard *sh = &t->shards[i];
		for (uint32_t k = 0; sh->chunks && k < sh->nchunks; k++)
			free(sh->chunks[k]);
		struct strtab_slots *g = atomic_load(&sh->table);
		if (g) {
			slots_free_older(g);
			free(g);
		}
		for (size_t p = 0; sh->pages && p < STRTAB_PAGES && sh->pages[p]; p++)
			free((void *)sh->pages[p]);
		free(sh->pages);
		pthread_mutex_destroy(&sh->lock);
	}
	free(t->shards[0].chunks); /* every shard's directory: see strtab_init */
	for (uint32_t c = 0; c < t->arena_nchunks; c++)
		free(t->arena[c]);
	for (unsigned i = 0; i < STRTAB_LANES; i++)
		pthread_mutex_destroy(&t->lanes[i].lock);
	pthread_mutex_destroy(&t->arena_lock);
	memset(t, 0, sizeof *t);
}

/* A new chunk of cap bytes in the shard's directory; NULL when the
 * directory is full.  Shard locked. */
static char *shard_new_chunk(struct strtab_shard *sh, size_t cap)
{
	if (sh->nchunks >= STRTAB_SHARD_CHUNKS)
		return NULL;
	/* zeroed: PCRE2's JIT reads whole words past a subject's end,
	 * which must not be uninitialised memory (valgrind) */
	char *c = xcalloc(1, cap);
	sh->chunks[sh->nchunks++] = c;
	return c;
}

/* Store s as an entry for local index `local'; returns its ref (see
 * struct strtab_slots), or UINT32_MAX when the shard has no room left.
 * Shard locked. */
static uint32_t store_entry(struct strtab_shard *sh, uint32_t local, const char *s, uint32_t n,
			    char **bytes)
{
	size_t need = ENTRY_HEAD + n + 1;
	char *p;
	uint32_t ref;
	if (need > STRTAB_CHUNK_SIZE / 4) {
		/* big strings get a chunk of their own so chunks stay dense */
		if (!(p = shard_new_chunk(sh, need)))
			return UINT32_MAX;
		ref = (sh->nchunks - 1) << STRTAB_CHUNK_OFF_BITS;
	} else {
		if (!sh->chunk || sh->chunk_used + need > STRTAB_CHUNK_SIZE) {
			if (!(sh->chunk = shard_new_chunk(sh, STRTAB_CHUNK_SIZE)))
				return UINT32_MAX;
			sh->chunk_no = sh->nchunks - 1;
			sh->chunk_used = 0;
		}
		p = sh->chunk + sh->chunk_used;
		ref = sh->chunk_no << STRTAB_CHUNK_OFF_BITS | (uint32_t)sh->chunk_used;
		sh->chunk_used += need;
	}
	memcpy(p, &local, sizeof local);
	memcpy(p + sizeof local, &n, sizeof n);
	memcpy(p + ENTRY_HEAD, s, n);
	p[ENTRY_HEAD + n] = '\0';
	sh->bytes += need;
	*bytes = p + ENTRY_HEAD;
	return ref;
}

static void grow_slots(struct strtab_shard *sh)
{
	struct strtab_slots *old = atomic_load_explicit(&sh->table, memory_order_relaxed);
	uint32_t nslots = (old->mask + 1) * 2;
	struct strtab_slots *g = slots_new(nslots, old);
	for (uint32_t i = 0; i <= old->mask; i++) {
		uint64_t v = atomic_load_explicit(&old->slot[i], memory_order_relaxed);
		if (!v)
			continue;
		uint32_t j = (uint32_t)(v >> 32) & g->mask;
		while (atomic_load_explicit(&g->slot[j], memory_order_relaxed))
			j = (j + 1) & g->mask;
		atomic_store_explicit(&g->slot[j], v, memory_order_relaxed);
	}
	/* publish the filled table: a lock-free probe that loads the
	 * pointer sees every slot written above */
	atomic_store_explicit(&sh->table, g, memory_order_release);
}

static struct strtab_shard *shard_of(struct strtab *t, uint32_t h, unsigned *index)
{
	*index = h >> (32 - STRTAB_SHARD_BITS);
	return &t->shards[*index];
}

/* Probe generation g for s; returns the slot index where it is or would
 * go, with *local its local index or 0.  Safe without the shard lock:
 * slots are loaded with acquire, and an entry is complete before the
 * slot naming it is published. */
static uint32_t probe(const struct strtab_shard *sh, const struct strtab_slots *g, const char *s,
		      uint32_t n, uint32_t h, uint32_t *local)
{
	for (uint32_t i = h & g->mask;; i = (i + 1) & g->mask) {
		uint64_t v = atomic_load_explicit(&g->slot[i], memory_order_acquire);
		if (!v) {
			*local = 0;
			return i;
		}
		if ((uint32_t)(v >> 32) != h)
			continue;
		uint32_t ref = (uint32_t)v;
		const char *e = sh->chunks[ref >> STRTAB_CHUNK_OFF_BITS] +
				(ref & ((1u << STRTAB_CHUNK_OFF_BITS) - 1));
		uint32_t len;
		memcpy(&len, e + sizeof(uint32_t), sizeof len);
		if (len == n && memcmp(e + ENTRY_HEAD, s, n) == 0) {
			memcpy(local, e, sizeof *local);
			return i;
		}
	}
}

void strtab_prefetch(struct strtab *t, uint32_t h)
{
	unsigned si;
	const struct strtab_shard *sh = shard_of(t, h, &si);
	const struct strtab_slots *g = atomic_load_explicit(&sh->table, memory_order_acquire);
	__builtin_prefetch(&g->slot[h & g->mask]);
}

void strtab_prefetch_entry(struct strtab *t, uint32_t h)
{
	unsigned si;
	const struct strtab_shard *sh = shard_of(t, h, &si);
	const struct strtab_slots *g = atomic_load_explicit(&sh->table, memory_order_acquire);
	uint64_t v = atomic_load_explicit(&g->slot[h & g->mask], memory_order_acquire);
	if (v && (uint32_t)(v >> 32) == h) {
		uint32_t ref = (uint32_t)v;
		__builtin_prefetch(sh->chunks[ref >> STRTAB_CHUNK_OFF_BITS] +
				   (ref & ((1u << STRTAB_CHUNK_OFF_BITS) - 1)));
	}
}

/* Store s as the shard's next local index (page directory); the shard is
 * locked by the caller.  Dies when the shard is full.  *ref gets the
 * entry's ref. */
static uint32_t append_paged(struct strtab_shard *sh, const char *s, uint32_t n, uint32_t *ref)
{
	uint32_t local = atomic_load_explicit(&sh->count, memory_order_relaxed);
	char *bytes = NULL;
	if (local >= (1u << (31 - STRTAB_SHARD_BITS)) ||
	    (*ref = store_entry(sh, local, s, n, &bytes)) == UINT32_MAX) {
		pthread_mutex_unlock(&sh->lock);
		xalloc_die("too many distinct strings");
	}
	uint32_t page = local >> STRTAB_PAGE_BITS;
	if (!sh->pages[page])
		sh->pages[page] = xcalloc(STRTAB_PAGE, sizeof *sh->pages[page]);
	sh->pages[page][local & (STRTAB_PAGE - 1)] = bytes;
	atomic_store_explicit(&sh->count, local + 1, memory_order_release);
	return local;
}

uint32_t strtab_lookup(struct strtab *t, const char *s, size_t n)
{
	if (n == 0 || n > UINT32_MAX - ENTRY_HEAD - 1)
		return 0;
	uint32_t h = strtab_hash(s, n);
	unsigned si;
	struct strtab_shard *sh = shard_of(t, h, &si);
	uint32_t local;
	probe(sh, atomic_load_explicit(&sh->table, memory_order_acquire), s, (uint32_t)n, h, &local);
	return local ? local << STRTAB_SHARD_BITS | si : 0;
}

uint32_t strtab_intern_hashed(struct strtab *t, const char *s, size_t n, uint32_t h)
{
	if (n == 0)
		return 0;
	if (n > UINT32_MAX - ENTRY_HEAD - 1)
		n = UINT32_MAX - ENTRY_HEAD - 1;
	unsigned si;
	struct strtab_shard *sh = shard_of(t, h, &si);
	uint32_t local;
	/* Most strings are there already: find them without the lock.  A
	 * miss may be a string added meanwhile (or into a newer table), so
	 * it is looked for again under the lock before adding. */
	probe(sh, atomic_load_explicit(&sh->table, memory_order_acquire), s, (uint32_t)n, h, &local);
	if (local)
		return local << STRTAB_SHARD_BITS | si;
	pthread_mutex_lock(&sh->lock);
	struct strtab_slots *g = atomic_load_explicit(&sh->table, memory_order_relaxed);
	uint32_t slot = probe(sh, g, s, (uint32_t)n, h, &local);
	if (!local) {
		uint32_t ref;
		local = append_paged(sh, s, (uint32_t)n, &ref);
		atomic_store_explicit(&g->slot[slot], (uint64_t)h << 32 | ref, memory_order_release);
		if ((uint64_t)++sh->nslotted * 4 > (uint64_t)(g->mask + 1) * 3)
			grow_slots(sh);
	}
	pthread_mutex_unlock(&sh->lock);
	return local << STRTAB_SHARD_BITS | si;
}

/* strtab_add without the arena: a page-directory id, not in the slots. */
static uint32_t add_paged(struct strtab *t, const char *s, size_t n, unsigned lane)
{
	if (n > UINT32_MAX - ENTRY_HEAD - 1)
		n = UINT32_MAX - ENTRY_HEAD - 1;
	unsigned si = lane & (STRTAB_SHARDS - 1);
	struct strtab_shard *sh = &t->shards[si];
	pthread_mutex_lock(&sh->lock);
	uint32_t ref;
	uint32_t local = append_paged(sh, s, (uint32_t)n, &ref);
	pthread_mutex_unlock(&sh->lock);
	return local << STRTAB_SHARD_BITS | si;
}

/* Give lane ln a fresh chunk; 0 when the arena is full.  Lane lock held. */
static int lane_new_chunk(struct strtab *t, struct strtab_lane *ln)
{
	pthread_mutex_lock(&t->arena_lock);
	uint32_t no = t->arena_nchunks;
	int ok = no < t->arena_limit && no < STRTAB_ARENA_CHUNKS;
	if (ok)
		t->arena_nchunks = no + 1;
	pthread_mutex_unlock(&t->arena_lock);
	if (!ok) {
		ln->full = 1;
		return 0;
	}
	/* zeroed: PCRE2's JIT reads whole words past a subject's end, which
	 * must not be uninitialised memory (valgrind).  The slot is ours
	 * alone, and readers reach it only through an id published later. */
	char *c = xcalloc(1, ARENA_ALLOC);
	t->arena[no] = c;
	ln->chunk = c;
	ln->chunk_no = no;
	ln->used = 0;
	ln->cap = ARENA_ALLOC - ARENA_SLACK;
	return 1;
}

uint32_t strtab_add(struct strtab *t, const char *s, size_t n, unsigned lane)
{
	if (n == 0)
		return 0;
	if (n > STRTAB_ARENA_MAX_LEN)
		return add_paged(t, s, n, lane);
	struct strtab_lane *ln = &t->lanes[lane & (STRTAB_LANES - 1)];
	uint32_t need = (uint32_t)n + 3;
	pthread_mutex_lock(&ln->lock);
	if (!ln->chunk || ln->used + need > ln->cap) {
		if (ln->full || !lane_new_chunk(t, ln)) {
			pthread_mutex_unlock(&ln->lock);
			return add_paged(t, s, n, lane);
		}
	}
	uint32_t off = ln->used;
	char *p = ln->chunk + off;
	uint16_t n16 = (uint16_t)n;
	memcpy(p, &n16, sizeof n16);
	memcpy(p + sizeof n16, s, n);
	p[sizeof n16 + n] = '\0';
	ln->used = off + need;
	atomic_store_explicit(&ln->count,
			      atomic_load_explicit(&ln->count, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	atomic_store_explicit(&ln->bytes,
			      atomic_load_explicit(&ln->bytes, memory_order_relaxed) + need,
			      memory_order_relaxed);
	uint32_t id = STRTAB_TAG | ln->chunk_no << STRTAB_ARENA_OFF_BITS | off;
	pthread_mutex_unlock(&ln->lock);
	return id;
}

uint32_t strtab_intern(struct strtab *t, const char *s, size_t n)
{
	return n ? strtab_intern_hashed(t, s, n, strtab_hash(s, n)) : 0;
}

uint32_t strtab_id_limit(const struct strtab *t)
{
	uint32_t max = 1;
	for (unsigned i = 0; i < STRTAB_SHARDS; i++) {
		uint32_t c = atomic_load_explicit(&t->shards[i].count, memory_order_acquire);
		if (c > max)
			max = c;
	}
	return max << STRTAB_SHARD_BITS;
}

size_t strtab_count(const struct strtab *t)
{
	size_t n = 1;
	for (unsigned i = 0; i < STRTAB_SHARDS; i++)
		n += atomic_load(&t->shards[i].count) - 1;
	for (unsigned i = 0; i < STRTAB_LANES; i++)
		n += atomic_load_explicit(&t->lanes[i].count, memory_order_relaxed);
	return n;
}

size_t strtab_bytes(const struct strtab *t)
{
	size_t n = 0;
	for (unsigned i = 0; i < STRTAB_SHARDS; i++)
		n += t->shards[i].bytes;
	for (unsigned i = 0; i < STRTAB_LANES; i++)
		n += atomic_load_explicit(&t->lanes[i].bytes, memory_order_relaxed);
	return n;
}
