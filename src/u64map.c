/*
 * u64map.c - linear probing with a multiplicative mix; no deletion (the
 * correlator only overwrites), which keeps probing trivially correct.
 */
#include <stdlib.h>
#include <string.h>

#include "u64map.h"
#include "xalloc.h"

static size_t slot_of(uint64_t key, size_t nslots)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (nslots - 1);
}

void u64map_init(struct u64map *m)
{
	m->nslots = 1024;
	m->count = 0;
	m->keys = xcalloc(m->nslots, sizeof *m->keys);
	m->vals = xmalloc(m->nslots * sizeof *m->vals);
}

void u64map_release(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

uint32_t u64map_get(const struct u64map *m, uint64_t key, uint32_t def)
{
	for (size_t i = slot_of(key, m->nslots);; i = (i + 1) & (m->nslots - 1)) {
		if (m->keys[i] == key)
			return m->vals[i];
		if (m->keys[i] == 0)
			return def;
	}
}

static void rehash(struct u64map *m)
{
	size_t n = m->nslots * 2;
	uint64_t *keys = xcalloc(n, sizeof *keys);
	uint32_t *vals = xmalloc(n * sizeof *vals);
	for (size_t i = 0; i < m->nslots; i++) {
		if (!m->keys[i])
			continue;
		size_t j = slot_of(m->keys[i], n);
		while (keys[j])
			j = (j + 1) & (n - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->nslots = n;
}

void u64map_put(struct u64map *m, uint64_t key, uint32_t val)
{
	size_t i = slot_of(key, m->nslots);
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->nslots - 1);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->count++;
	}
	m->vals[i] = val;
	if (m->count * 4 > m->nslots * 3)
		rehash(m);
}
