/*
 * u64map.h - open-addressing hash map from a uint64_t key to a uint32_t
 * value, for the correlator's indexes (queue id -> message, session key ->
 * session).  Keys are never 0 (reserved for empty slots).
 */
#ifndef MAILTRAIL_U64MAP_H
#define MAILTRAIL_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint64_t *keys;
	uint32_t *vals;
	size_t nslots;   /* power of two */
	size_t count;
};

void u64map_init(struct u64map *m);
void u64map_release(struct u64map *m);
/* Value for key, or def when absent. */
uint32_t u64map_get(const struct u64map *m, uint64_t key, uint32_t def);
/* Insert or overwrite.  key must not be 0. */
void u64map_put(struct u64map *m, uint64_t key, uint32_t val);

static inline uint64_t u64map_key2(uint32_t a, uint32_t b)
{
	return ((uint64_t)a << 32 | b) + 1; /* never 0 for (0, 0) */
}

#endif
