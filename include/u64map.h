/*
 * u64map.h - open-addressing hash map from a uint64_t key to a uint32_t
 * value, for the correlator's indexes (queue id -> message, session key ->
 * session).  Keys are never 0 (reserved for empty slots).
 */
#ifndef MAILTRAIL_U64MAP_H
#define MAILTRAIL_U64MAP_H

#include <stddef.h>
#include <stdint.h>

/* Key and value share a slot: a lookup costs one cache miss, not two
 * (the correlator looks up every line's queue id). */
struct u64map_slot {
	uint64_t key;    /* 0 = empty */
	uint32_t val;
};

struct u64map {
	struct u64map_slot *slots;
	size_t nslots;   /* power of two */
	size_t count;
};

void u64map_init(struct u64map *m);
void u64map_release(struct u64map *m);
/* Value for key, or def when absent. */
uint32_t u64map_get(const struct u64map *m, uint64_t key, uint32_t def);
/* Insert or overwrite.  key must not be 0. */
void u64map_put(struct u64map *m, uint64_t key, uint32_t val);
/* Remove key if present (backward-shift deletion: no tombstones, so a
 * table that only ever holds the live entries stays that small). */
void u64map_del(struct u64map *m, uint64_t key);
/* Start loading key's slot into the cache: a get a little later finds it
 * there (the correlator looks up one queue id per line, each a cache miss
 * in a table of millions). */
void u64map_prefetch(const struct u64map *m, uint64_t key);

static inline uint64_t u64map_key2(uint32_t a, uint32_t b)
{
	return ((uint64_t)a << 32 | b) + 1; /* never 0 for (0, 0) */
}

#endif
