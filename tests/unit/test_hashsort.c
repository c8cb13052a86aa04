/*
 * test_hashsort.c - sort_by_hash against qsort on the shapes the
 * correlator sorts: (hash, message) pairs with repeated hashes (copies of
 * one Message-ID, links to one queue id), below and above the size where
 * the halves are sorted on two threads, and with every key in one half.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hashsort.h"

struct pair {
	uint64_t key;
	uint32_t m;
	uint32_t extra;      /* carried along: checks whole elements move */
};

static uint64_t pair_key(const void *p)
{
	return ((const struct pair *)p)->key;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->m < y->m ? -1 : x->m > y->m;
}

/* the correlator's order: hash, then message */
static int pair_less(const void *a, const void *b)
{
	return pair_cmp(a, b) < 0;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x9E3779B97F4A7C15ull;
	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ull;
	return x ^ (x >> 32);
}

/* n pairs, message numbers shuffled; every `dup'-th hash repeats the one
 * before (dup 0: none); `mask'/`set' force key bits (top bit: one half). */
static struct pair *make_pairs(size_t n, unsigned dup, uint64_t mask, uint64_t set)
{
	struct pair *v = malloc((n ? n : 1) * sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = mix(i + 1);
		if (dup && i % dup == 1)
			k = v[i - 1].key;
		v[i].key = (k & ~mask) | set;
		v[i].m = (uint32_t)(mix(i * 7 + 3) % (n * 4 + 1));
		v[i].extra = (uint32_t)(v[i].key ^ v[i].m);
	}
	return v;
}

static void check_sorted_like_qsort(size_t n, unsigned dup, uint64_t mask, uint64_t set)
{
	struct pair *v = make_pairs(n, dup, mask, set);
	struct pair *want = malloc((n ? n : 1) * sizeof *want);
	assert_non_null(want);
	memcpy(want, v, n * sizeof *v);
	qsort(want, n, sizeof *want, pair_cmp);
	sort_by_hash(v, n, sizeof *v, pair_key, pair_less);
	for (size_t i = 0; i < n; i++) {
		if (v[i].key != want[i].key || v[i].m != want[i].m)
			fail_msg("n %zu: entry %zu is (%#llx, %u), want (%#llx, %u)", n, i,
				 (unsigned long long)v[i].key, v[i].m,
				 (unsigned long long)want[i].key, want[i].m);
		assert_int_equal(v[i].extra, (uint32_t)(v[i].key ^ v[i].m));
	}
	free(want);
	free(v);
}

static void test_small(void **state)
{
	(void)state;
	check_sorted_like_qsort(0, 0, 0, 0);
	check_sorted_like_qsort(1, 0, 0, 0);
	check_sorted_like_qsort(2, 2, 0, 0);
	check_sorted_like_qsort(1000, 0, 0, 0);
	check_sorted_like_qsort(SORT_SPLIT_MIN - 1, 3, 0, 0);
}

static void test_two_threads(void **state)
{
	(void)state;
	check_sorted_like_qsort(SORT_SPLIT_MIN, 0, 0, 0);
	check_sorted_like_qsort(300000, 2, 0, 0);   /* every other hash repeated */
	check_sorted_like_qsort(300001, 5, 0, 0);
}

static void test_one_sided(void **state)
{
	(void)state;
	const uint64_t top = UINT64_C(1) << 63;
	check_sorted_like_qsort(200000, 4, top, 0);   /* upper half empty */
	check_sorted_like_qsort(200000, 4, top, top); /* lower half empty */
	/* hostile: every key shares its top 16 bits (one bucket) */
	check_sorted_like_qsort(SORT_SPLIT_MIN + 10, 0, UINT64_C(0xffff) << 48,
				UINT64_C(0x8001) << 48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_two_threads),
		cmocka_unit_test(test_one_sided),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
