/*
 * strtab.c - interning with open addressing.
 *
 * A slot holds the 32-bit hash and the id together, so a probe that is
 * not a hit costs no extra memory access and growing the table never
 * touches string bytes.  String bytes are appended to 1 MiB chunks that
 * never move.
 */
#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "xalloc.h"

#define CHUNK_SIZE (1u << 20)

uint32_t strtab_hash(const char *s, size_t n)
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
	return (uint32_t)h | 1u; /* never 0 */
}

void strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof *t);
	t->nslots = 1024;
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	t->cap = 1024;
	t->strs = xmalloc(t->cap * sizeof *t->strs);
	t->lens = xmalloc(t->cap * sizeof *t->lens);
	t->strs[0] = "";
	t->lens[0] = 0;
	t->count = 1;
}

void strtab_release(struct strtab *t)
{
	for (size_t i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->slots);
	free(t->strs);
	free(t->lens);
	memset(t, 0, sizeof *t);
}

static char *store_bytes(struct strtab *t, const char *s, size_t n)
{
	if (n + 1 > CHUNK_SIZE / 4) {
		/* Big strings get their own block so chunks stay dense. */
		char *own = xmalloc(n + 1);
		if (t->nchunks == t->chunks_cap) {
			t->chunks_cap = t->chunks_cap ? t->chunks_cap * 2 : 16;
			t->chunks = xrealloc(t->chunks, t->chunks_cap * sizeof *t->chunks);
		}
		t->chunks[t->nchunks++] = own;
		memcpy(own, s, n);
		own[n] = '\0';
		t->bytes += n + 1;
		return own;
	}
	if (!t->chunk || t->chunk_used + n + 1 > t->chunk_cap) {
		if (t->nchunks == t->chunks_cap) {
			t->chunks_cap = t->chunks_cap ? t->chunks_cap * 2 : 16;
			t->chunks = xrealloc(t->chunks, t->chunks_cap * sizeof *t->chunks);
		}
		t->chunk = xmalloc(CHUNK_SIZE);
		t->chunk_cap = CHUNK_SIZE;
		t->chunk_used = 0;
		t->chunks[t->nchunks++] = t->chunk;
	}
	char *p = t->chunk + t->chunk_used;
	memcpy(p, s, n);
	p[n] = '\0';
	t->chunk_used += n + 1;
	t->bytes += n + 1;
	return p;
}

static void grow_slots(struct strtab *t)
{
	uint32_t nslots = t->nslots * 2;
	uint64_t *slots = xcalloc(nslots, sizeof *slots);
	for (uint32_t i = 0; i < t->nslots; i++) {
		uint64_t v = t->slots[i];
		if (!v)
			continue;
		uint32_t j = (uint32_t)(v >> 32) & (nslots - 1);
		while (slots[j])
			j = (j + 1) & (nslots - 1);
		slots[j] = v;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
}

uint32_t strtab_lookup(const struct strtab *t, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	uint32_t h = strtab_hash(s, n);
	for (uint32_t i = h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
		uint64_t v = t->slots[i];
		if (!v)
			return 0;
		uint32_t id = (uint32_t)v;
		if ((uint32_t)(v >> 32) == h && t->lens[id] == n && memcmp(t->strs[id], s, n) == 0)
			return id;
	}
}

uint32_t strtab_intern_hashed(struct strtab *t, const char *s, size_t n, uint32_t h)
{
	if (n == 0)
		return 0;
	if (n > UINT32_MAX - 1)
		n = UINT32_MAX - 1;
	uint32_t i = h & (t->nslots - 1);
	for (;; i = (i + 1) & (t->nslots - 1)) {
		uint64_t v = t->slots[i];
		if (!v)
			break;
		uint32_t id = (uint32_t)v;
		if ((uint32_t)(v >> 32) == h && t->lens[id] == n && memcmp(t->strs[id], s, n) == 0)
			return id;
	}
	if (t->count == t->cap) {
		/* a quarter more each time: these arrays get large */
		uint32_t cap = t->cap + t->cap / 4;
		if (cap <= t->cap)
			xalloc_die("too many distinct strings");
		t->cap = cap;
		t->strs = xrealloc(t->strs, (size_t)t->cap * sizeof *t->strs);
		t->lens = xrealloc(t->lens, (size_t)t->cap * sizeof *t->lens);
	}
	uint32_t id = t->count++;
	t->strs[id] = store_bytes(t, s, n);
	t->lens[id] = (uint32_t)n;
	t->slots[i] = (uint64_t)h << 32 | id;
	if ((uint64_t)t->count * 4 > (uint64_t)t->nslots * 3)
		grow_slots(t);
	return id;
}

uint32_t strtab_intern(struct strtab *t, const char *s, size_t n)
{
	return n ? strtab_intern_hashed(t, s, n, strtab_hash(s, n)) : 0;
}
