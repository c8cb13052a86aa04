/*
 * fuzz_detect.c - libFuzzer target: format detection.
 *
 * The input is the head of a file: its first lines go to parser_detect as
 * the loader gives them (load.c: up to 50 lines), then to every format's
 * probe on its own, and to detection on the first line alone (a one-line
 * file).  Checks: every score is 0..PROBE_MAX, and parser_detect returns
 * the best-scoring format exactly when that score reaches the threshold.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"

static void check_detect(char **lines, const size_t *lens, size_t n)
{
	int best = 0;
	for (size_t i = 0; i < parser_registry_len; i++) {
		int s = parser_registry[i]->probe((const char *const *)lines, lens, n);
		FUZZ_ASSERT(s >= 0 && s <= PROBE_MAX);
		if (s > best)
			best = s;
	}
	int score = -1;
	const struct parser *p = parser_detect((const char *const *)lines, lens, n, &score);
	FUZZ_ASSERT(score == best);
	FUZZ_ASSERT((p != NULL) == (best >= PROBE_THRESHOLD));
	if (p) {
		FUZZ_ASSERT(p->probe((const char *const *)lines, lens, n) == best);
		FUZZ_ASSERT(parser_by_name(p->name) == p);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		/* detection below compares against every probe, so all
		 * formats must be enabled */
		FUZZ_ASSERT(parser_init_all() == parser_registry_len);
		ready = 1;
	}
	char *lines[FUZZ_PROBE_LINES];
	size_t lens[FUZZ_PROBE_LINES];
	size_t n = fuzz_split_lines(data, size, lines, lens, FUZZ_PROBE_LINES);
	if (n) {
		check_detect(lines, lens, n);
		if (n > 1)
			check_detect(lines, lens, 1);
	}
	fuzz_lines_free(lines, n);
	return 0;
}
