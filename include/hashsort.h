/*
 * hashsort.h - in-place sort of an array by a 64-bit hash key.
 */
#ifndef MAILTRAIL_HASHSORT_H
#define MAILTRAIL_HASHSORT_H

#include <stddef.h>
#include <stdint.h>

/* Arrays of at least this many entries are sorted on two threads. */
#define SORT_SPLIT_MIN 65536

/* Largest element size sort_by_hash takes. */
#define SORT_MAX_SIZE 32

/*
 * Sort n elements of size bytes (<= SORT_MAX_SIZE) at base into the order
 * of less(), which must order by key() first (ascending) and then break
 * ties, so that the result does not depend on the input order.  key() is
 * what the elements are distributed by (its top bits): it should be a
 * hash, the sort is slow on keys that share their top 16 bits.  No second buffer (1 MiB
 * of bucket counts per thread); with n >= SORT_SPLIT_MIN a helper thread
 * sorts half, joined before return.  Dies on OOM.
 */
void sort_by_hash(void *base, size_t n, size_t size, uint64_t (*key)(const void *),
		  int (*less)(const void *, const void *));

#endif
