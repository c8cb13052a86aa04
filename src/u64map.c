/*
 * u64map.c - linear probing with a multiplicative mix.  Deletion shifts
 * the entries after the hole back (no tombstones), so lookups stay a
 * plain scan up to the first empty slot.
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
	m->slots = xcalloc(m->nslots, sizeof *m->slots);
}

void u64map_release(struct u64map *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

uint32_t u64map_get(const struct u64map *m, uint64_t key, uint32_t def)
{
	for (size_t i = slot_of(key, m->nslots);; i = (i + 1) & (m->nslots - 1)) {
		if (m->slots[i].key == key)
			return m->slots[i].val;
		if (m->slots[i].key == 0)
			return def;
	}
}

static void rehash(struct u64map *m)
{
	size_t n = m->nslots * 2;
	struct u64map_slot *slots = xcalloc(n, sizeof *slots);
	for (size_t i = 0; i < m->nslots; i++) {
		if (!m->slots[i].key)
			continue;
		size_t j = slot_of(m->slots[i].key, n);
		while (slots[j].key)
			j = (j + 1) & (n - 1);
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
}

void u64map_put(struct u64map *m, uint64_t key, uint32_t val)
{
	size_t i = slot_of(key, m->nslots);
	while (m->slots[i].key && m->slots[i].key != key)
		i = (i + 1) & (m->nslots - 1);
	if (!m->slots[i].key) {
		m->slots[i].key = key;
		m->count++;
	}
	m->slots[i].val = val;
	if (m->count * 4 > m->nslots * 3)
		rehash(m);
}

void u64map_prefetch(const struct u64map *m, uint64_t key)
{
	__builtin_prefetch(&m->slots[slot_of(key, m->nslots)]);
}

void u64map_del(struct u64map *m, uint64_t key)
{
	if (!m->nslots || !key)
		return;
	size_t mask = m->nslots - 1;
	size_t i = slot_of(key, m->nslots);
	while (m->slots[i].key != key) {
		if (!m->slots[i].key)
			return;
		i = (i + 1) & mask;
	}
	/* Move back every later entry of the run whose home slot is not
	 * between the hole and itself (cyclically). */
	for (size_t j = i;;) {
		j = (j + 1) & mask;
		if (!m->slots[j].key)
			break;
		size_t home = slot_of(m->slots[j].key, m->nslots);
		int stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].key = 0;
	m->count--;
}
