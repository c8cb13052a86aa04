/*
 * test_u64map.c - the correlator's hash table: put/get/overwrite, and
 * deletion by backward shift (by_qid drops messages that left the queue),
 * checked against a plain array on long random runs that wrap around the
 * table and build long probe chains.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "u64map.h"

static void test_put_get_overwrite(void **state)
{
	(void)state;
	struct u64map m;
	u64map_init(&m);
	/* keys as the correlator makes them: (host, queue id) of Postfix ids */
	uint64_t a = corr_qid_key(3, corr_qid_hash("AED59D5604", 10));
	uint64_t b = corr_qid_key(3, corr_qid_hash("5A6A0CAFDB", 10));
	uint64_t a_other_host = corr_qid_key(4, corr_qid_hash("AED59D5604", 10));
	assert_true(a != b && a != a_other_host);
	u64map_put(&m, a, 7);
	u64map_put(&m, b, 8);
	assert_int_equal(u64map_get(&m, a, 99), 7);
	assert_int_equal(u64map_get(&m, b, 99), 8);
	assert_int_equal(u64map_get(&m, a_other_host, 99), 99);
	u64map_put(&m, a, 9); /* a reused queue id: the latest message wins */
	assert_int_equal(u64map_get(&m, a, 99), 9);
	assert_int_equal(m.count, 2);
	u64map_del(&m, a);
	assert_int_equal(u64map_get(&m, a, 99), 99);
	assert_int_equal(u64map_get(&m, b, 99), 8);
	u64map_del(&m, a); /* absent: nothing happens */
	assert_int_equal(m.count, 1);
	u64map_release(&m);
}

/* Random puts and deletes mirrored in an array of (key, value, live). */
static void test_random_against_array(void **state)
{
	(void)state;
	enum { N = 60000 };
	uint64_t *keys = calloc(N, sizeof *keys);
	uint32_t *vals = calloc(N, sizeof *vals);
	unsigned char *live = calloc(N, 1);
	assert_non_null(keys);
	assert_non_null(vals);
	assert_non_null(live);
	struct u64map m;
	u64map_init(&m);
	uint64_t seed = 88172645463325252ull;
	size_t nlive = 0;
	for (size_t i = 0; i < N; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		/* a quarter of the keys share their low bits: long runs */
		keys[i] = (i % 4 == 0) ? ((seed & ~0xfffull) | 1) : (seed | 1);
	}
	for (size_t step = 0; step < 400000; step++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		size_t k = (size_t)(seed % N);
		if ((seed >> 40) % 3 == 0 && live[k]) {
			u64map_del(&m, keys[k]);
			live[k] = 0;
			nlive--;
		} else {
			if (!live[k])
				nlive++;
			live[k] = 1;
			vals[k] = (uint32_t)step;
			u64map_put(&m, keys[k], (uint32_t)step);
		}
		if (step % 50000 == 0 || step == 399999) {
			assert_int_equal(m.count, nlive);
			for (size_t i = 0; i < N; i++)
				assert_int_equal(u64map_get(&m, keys[i], UINT32_MAX),
						 live[i] ? vals[i] : UINT32_MAX);
		}
	}
	/* delete everything: the table is empty again */
	for (size_t i = 0; i < N; i++)
		if (live[i])
			u64map_del(&m, keys[i]);
	assert_int_equal(m.count, 0);
	for (size_t i = 0; i < m.nslots; i++)
		assert_true(m.slots[i].key == 0);
	u64map_release(&m);
	free(keys);
	free(vals);
	free(live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_overwrite),
		cmocka_unit_test(test_random_against_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
