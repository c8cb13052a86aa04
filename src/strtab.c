/*
 * strtab.c - sharded interning with open addressing, plus an arena for
 * strings that are never looked up.
 *
 * The shard is chosen by the top bits of the hash and the slot by the low
 * bits, so the two never correlate.  A slot holds the 32-bit hash and the
 * local index together: a probe that misses costs no extra memory access,
 * and growing a shard never touches string bytes.  Each string is stored
 * once, behind a 4-byte length, in 1 MiB chunks that never move.
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

#define CHUNK_SIZE (1u << 20)

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

void strtab_init(struct strtab *t)
{
	/* Held for a probe or an append only: spin a little before
	 * sleeping, since a sleep costs more than the wait. */
	pthread_mutexattr_t adaptive;
	pthread_mutexattr_init(&adaptive);
	pthread_mutexattr_settype(&adaptive, PTHREAD_MUTEX_ADAPTIVE_NP);
	memset(t, 0, sizeof *t);
	for (unsigned i = 0; i < STRTAB_SHARDS; i++) {
		struct strtab_shard *sh = &t->shards[i];
		pthread_mutex_init(&sh->lock, &adaptive);
		sh->nslots = 256;
		sh->slots = xcalloc(sh->nslots, sizeof *sh->slots);
		sh->pages = xcalloc(STRTAB_PAGES, sizeof *sh->pages);
		sh->pages[0] = xcalloc(STRTAB_PAGE, sizeof *sh->pages[0]);
		/* local index 0 is reserved in every shard; id 0 is "" */
		sh->pages[0][0] = empty_entry + sizeof(uint32_t);
		atomic_store(&sh->count, 1);
	}
	pthread_mutex_init(&t->arena_lock, NULL);
	t->arena_limit = STRTAB_ARENA_CHUNKS;
	for (unsigned i = 0; i < STRTAB_LANES; i++)
		pthread_mutex_init(&t->lanes[i].lock, &adaptive);
	pthread_mutexattr_destroy(&adaptive);
}

void strtab_release(struct strtab *t)
{
	for (unsigned i = 0; i < STRTAB_SHARDS; i++) {
		struct strtab_shard *sh = &t->shards[i];
		for (size_t k = 0; k < sh->nchunks; k++)
			free(sh->chunks[k]);
		free(sh->chunks);
		free(sh->slots);
		for (size_t p = 0; sh->pages && p < STRTAB_PAGES && sh->pages[p]; p++)
			free((void *)sh->pages[p]);
		free(sh->pages);
		pthread_mutex_destroy(&sh->lock);
	}
	for (uint32_t c = 0; c < t->arena_nchunks; c++)
		free(t->arena[c]);
	for (unsigned i = 0; i < STRTAB_LANES; i++)
		pthread_mutex_destroy(&t->lanes[i].lock);
	pthread_mutex_destroy(&t->arena_lock);
	memset(t, 0, sizeof *t);
}

static const char *store_bytes(struct strtab_shard *sh, const char *s, uint32_t n)
{
	size_t need = sizeof(uint32_t) + n + 1;
	if (!sh->chunk || sh->chunk_used + need > sh->chunk_cap) {
		if (sh->nchunks == sh->chunks_cap) {
			sh->chunks_cap = sh->chunks_cap ? sh->chunks_cap * 2 : 16;
			sh->chunks = xrealloc(sh->chunks, sh->chunks_cap * sizeof *sh->chunks);
		}
		/* big strings get a block of their own so chunks stay dense */
		size_t cap = need > CHUNK_SIZE / 4 ? need : CHUNK_SIZE;
		/* zeroed: PCRE2's JIT reads whole words past a subject's end,
		 * which must not be uninitialised memory (valgrind) */
		char *c = xcalloc(1, cap);
		sh->chunks[sh->nchunks++] = c;
		if (cap == need) {
			memcpy(c, &n, sizeof n);
			memcpy(c + sizeof n, s, n);
			c[sizeof n + n] = '\0';
			sh->bytes += need;
			return c + sizeof n;
		}
		sh->chunk = c;
		sh->chunk_cap = cap;
		sh->chunk_used = 0;
	}
	char *p = sh->chunk + sh->chunk_used;
	memcpy(p, &n, sizeof n);
	memcpy(p + sizeof n, s, n);
	p[sizeof n + n] = '\0';
	sh->chunk_used += need;
	sh->bytes += need;
	return p + sizeof n;
}

static void grow_slots(struct strtab_shard *sh)
{
	uint32_t nslots = sh->nslots * 2;
	uint64_t *slots = xcalloc(nslots, sizeof *slots);
	for (uint32_t i = 0; i < sh->nslots; i++) {
		uint64_t v = sh->slots[i];
		if (!v)
			continue;
		uint32_t j = (uint32_t)(v >> 32) & (nslots - 1);
		while (slots[j])
			j = (j + 1) & (nslots - 1);
		slots[j] = v;
	}
	free(sh->slots);
	sh->slots = slots;
	sh->nslots = nslots;
}

static struct strtab_shard *shard_of(struct strtab *t, uint32_t h, unsigned *index)
{
	*index = h >> (32 - STRTAB_SHARD_BITS);
	return &t->shards[*index];
}

/* Probe for s; returns the slot index where it is or would go. */
static uint32_t probe(const struct strtab_shard *sh, const char *s, uint32_t n, uint32_t h,
		      uint32_t *local)
{
	uint32_t i = h & (sh->nslots - 1);
	for (;; i = (i + 1) & (sh->nslots - 1)) {
		uint64_t v = sh->slots[i];
		if (!v) {
			*local = 0;
			return i;
		}
		if ((uint32_t)(v >> 32) != h)
			continue;
		uint32_t li = (uint32_t)v;
		const char *p = sh->pages[li >> STRTAB_PAGE_BITS][li & (STRTAB_PAGE - 1)];
		uint32_t len;
		memcpy(&len, p - sizeof len, sizeof len);
		if (len == n && memcmp(p, s, n) == 0) {
			*local = li;
			return i;
		}
	}
}

/* Store s as the shard's next local index (page directory); the shard is
 * locked by the caller.  Dies when the shard is full. */
static uint32_t append_paged(struct strtab_shard *sh, const char *s, uint32_t n)
{
	uint32_t local = atomic_load_explicit(&sh->count, memory_order_relaxed);
	if (local >= (1u << (31 - STRTAB_SHARD_BITS))) {
		pthread_mutex_unlock(&sh->lock);
		xalloc_die("too many distinct strings");
	}
	uint32_t page = local >> STRTAB_PAGE_BITS;
	if (!sh->pages[page])
		sh->pages[page] = xcalloc(STRTAB_PAGE, sizeof *sh->pages[page]);
	sh->pages[page][local & (STRTAB_PAGE - 1)] = store_bytes(sh, s, n);
	atomic_store_explicit(&sh->count, local + 1, memory_order_release);
	return local;
}

uint32_t strtab_lookup(struct strtab *t, const char *s, size_t n)
{
	if (n == 0 || n > UINT32_MAX - 2)
		return 0;
	uint32_t h = strtab_hash(s, n);
	unsigned si;
	struct strtab_shard *sh = shard_of(t, h, &si);
	uint32_t local;
	pthread_mutex_lock(&sh->lock);
	probe(sh, s, (uint32_t)n, h, &local);
	pthread_mutex_unlock(&sh->lock);
	return local ? local << STRTAB_SHARD_BITS | si : 0;
}

uint32_t strtab_intern_hashed(struct strtab *t, const char *s, size_t n, uint32_t h)
{
	if (n == 0)
		return 0;
	if (n > UINT32_MAX - 2)
		n = UINT32_MAX - 2;
	unsigned si;
	struct strtab_shard *sh = shard_of(t, h, &si);
	uint32_t local;
	pthread_mutex_lock(&sh->lock);
	uint32_t slot = probe(sh, s, (uint32_t)n, h, &local);
	if (!local) {
		local = append_paged(sh, s, (uint32_t)n);
		sh->slots[slot] = (uint64_t)h << 32 | local;
		if ((uint64_t)++sh->nslotted * 4 > (uint64_t)sh->nslots * 3)
			grow_slots(sh);
	}
	pthread_mutex_unlock(&sh->lock);
	return local << STRTAB_SHARD_BITS | si;
}

/* strtab_add without the arena: a page-directory id, not in the slots. */
static uint32_t add_paged(struct strtab *t, const char *s, size_t n, uint32_t spread)
{
	if (n > UINT32_MAX - 2)
		n = UINT32_MAX - 2;
	unsigned si = spread & (STRTAB_SHARDS - 1);
	struct strtab_shard *sh = &t->shards[si];
	pthread_mutex_lock(&sh->lock);
	uint32_t local = append_paged(sh, s, (uint32_t)n);
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

uint32_t strtab_add(struct strtab *t, const char *s, size_t n, uint32_t spread)
{
	if (n == 0)
		return 0;
	if (n > STRTAB_ARENA_MAX_LEN)
		return add_paged(t, s, n, spread);
	/* spread may be a pointer or an offset (low bits alike): mix it */
	struct strtab_lane *ln = &t->lanes[(spread * 0x9E3779B1u) >> (32 - STRTAB_LANE_BITS)];
	uint32_t need = (uint32_t)n + 3;
	pthread_mutex_lock(&ln->lock);
	if (!ln->chunk || ln->used + need > ln->cap) {
		if (ln->full || !lane_new_chunk(t, ln)) {
			pthread_mutex_unlock(&ln->lock);
			return add_paged(t, s, n, spread);
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
