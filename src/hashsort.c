/*
 * hashsort.c - in-place sorting of arrays keyed by a 64-bit hash.
 *
 * The correlator's end-of-load joins (links still open, Message-ID
 * copies) sort millions of (hash, message) pairs when memory peaks, so
 * this sorts in place, in sequential passes, and on two threads when the
 * array is big.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hashsort.h"
#include "xalloc.h"

static void swap_elems(unsigned char *a, unsigned char *b, size_t size)
{
	unsigned char x[SORT_MAX_SIZE];
	memcpy(x, a, size);
	memcpy(a, b, size);
	memcpy(b, x, size);
}

static void sift_down(unsigned char *v, size_t size, size_t root, size_t n,
		      int (*less)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && less(v + child * size, v + (child + 1) * size))
			child++;
		if (!less(v + root * size, v + child * size))
			return;
		swap_elems(v + root * size, v + child * size, size);
		root = child;
	}
}

/* For buckets too big for an insertion sort: hashes of hostile input
 * (Message-IDs, queue ids) can be made to share their top bits, and an
 * insertion sort of one big bucket would be quadratic. */
static void heap_sort(unsigned char *v, size_t n, size_t size,
		      int (*less)(const void *, const void *))
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, size, i, n, less);
	for (size_t end = n; end-- > 1;) {
		swap_elems(v, v + end * size, size);
		sift_down(v, size, 0, end, less);
	}
}

/* Buckets up to this size get an insertion sort (hashes leave a few). */
#define INSERTION_MAX 32

/* Sort in place: the keys are hashes, so distributing by their top 16
 * bits (in place, by cycles) leaves a few entries per bucket for an
 * insertion sort by less().  Sequential passes where a
 * hash table would take a cache miss per entry, and no second buffer:
 * this runs at the end of a load, when memory peaks. */
static void sort_serial(void *base, size_t n, size_t size, uint64_t (*key)(const void *),
			int (*less)(const void *, const void *))
{
	enum { NB = 1 << 16 };
	if (n < 2)
		return;
	unsigned char *v = base;
	unsigned char x[SORT_MAX_SIZE], y[SORT_MAX_SIZE];
	size_t *next = xcalloc(NB, sizeof *next);
	size_t *end = xmalloc(NB * sizeof *end);
	for (size_t i = 0; i < n; i++)
		next[key(v + i * size) >> 48]++;
	size_t sum = 0;
	for (size_t b = 0; b < NB; b++) {
		size_t c = next[b];
		next[b] = sum;
		sum += c;
		end[b] = sum;
	}
	for (size_t b = 0; b < NB; b++) {
		while (next[b] < end[b]) {
			memcpy(x, v + next[b] * size, size);
			size_t d = key(x) >> 48;
			while (d != b) {
				memcpy(y, v + next[d] * size, size);
				memcpy(v + next[d]++ * size, x, size);
				memcpy(x, y, size);
				d = key(x) >> 48;
			}
			memcpy(v + next[b]++ * size, x, size);
		}
	}
	for (size_t b = 0, lo = 0; b < NB; lo = end[b++]) {
		if (end[b] - lo > INSERTION_MAX) {
			heap_sort(v + lo * size, end[b] - lo, size, less);
			continue;
		}
		for (size_t i = lo + 1; i < end[b]; i++) {
			memcpy(x, v + i * size, size);
			size_t j = i;
			while (j > lo && less(x, v + (j - 1) * size)) {
				memcpy(v + j * size, v + (j - 1) * size, size);
				j--;
			}
			memcpy(v + j * size, x, size);
		}
	}
	free(next);
	free(end);
}

struct sort_half {
	void *base;
	size_t n, size;
	uint64_t (*key)(const void *);
	int (*less)(const void *, const void *);
};

static void *sort_half_main(void *arg)
{
	struct sort_half *h = arg;
	sort_serial(h->base, h->n, h->size, h->key, h->less);
	return NULL;
}

/* Big arrays use both cores: split in place by the key's top bit (one
 * streaming pass; hashes split evenly), then each half is sorted on its
 * own thread. */
void sort_by_hash(void *base, size_t n, size_t size, uint64_t (*key)(const void *),
		  int (*less)(const void *, const void *))
{
	if (size == 0 || size > SORT_MAX_SIZE)
		xalloc_die("sort_by_hash: element size out of range");
	if (n < SORT_SPLIT_MIN) {
		sort_serial(base, n, size, key, less);
		return;
	}
	unsigned char *v = base;
	size_t lo = 0, hi = n;
	for (;;) {
		while (lo < hi && !(key(v + lo * size) >> 63))
			lo++;
		while (lo < hi && key(v + (hi - 1) * size) >> 63)
			hi--;
		if (hi - lo < 2)
			break;
		swap_elems(v + lo * size, v + (hi - 1) * size, size);
		lo++;
		hi--;
	}
	struct sort_half upper = {v + lo * size, n - lo, size, key, less};
	pthread_t helper;
	int threaded = pthread_create(&helper, NULL, sort_half_main, &upper) == 0;
	sort_serial(v, lo, size, key, less);
	if (threaded)
		pthread_join(helper, NULL);
	else
		sort_half_main(&upper);
}
