/*
 * fuzz_directadmin.c - libFuzzer target: the directadmin parser's line function.
 *
 * The input is a whole file: it is split into lines and fed through
 * begin / line / end with one state, as the loader does (fuzz.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser_run("directadmin", data, size);
}
