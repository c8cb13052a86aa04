/*
 * registry.c - the one list of formats, and detection by score.
 *
 * Adding a format:
 *   1. write parsers/<name>.c exporting `const struct parser parser_<name>`
 *      (see include/parser.h for the contract of each callback);
 *   2. add it to parser_registry[] below;
 *   3. add its real sample lines to tests/unit/test_<name>.c and to the
 *      probe matrix in tests/unit/test_detect.c (every sample must be
 *      detected as its own format and never as another);
 *   4. document it in README.md and mailtrail.1.
 */
#include <string.h>

#include "parser.h"

extern const struct parser parser_postfix;
extern const struct parser parser_exim;
extern const struct parser parser_directadmin;
extern const struct parser parser_gws;
extern const struct parser parser_emaillabs;

const struct parser *const parser_registry[] = {
	&parser_postfix,
	&parser_exim,
	&parser_directadmin,
	&parser_gws,
	&parser_emaillabs,
};
const size_t parser_registry_len = sizeof parser_registry / sizeof parser_registry[0];

/* Formats whose init() failed are not offered to detection. */
static unsigned char disabled[sizeof parser_registry / sizeof parser_registry[0]];

size_t parser_init_all(void)
{
	size_t ok = 0;
	for (size_t i = 0; i < parser_registry_len; i++) {
		disabled[i] = parser_registry[i]->init && parser_registry[i]->init() != 0;
		ok += !disabled[i];
	}
	return ok;
}

const struct parser *parser_detect(const char *const *lines, const size_t *lens, size_t n,
				   int *score)
{
	const struct parser *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < parser_registry_len; i++) {
		if (disabled[i])
			continue;
		int s = parser_registry[i]->probe(lines, lens, n);
		if (s > best_score) {
			best_score = s;
			best = parser_registry[i];
		}
	}
	if (score)
		*score = best_score;
	return best_score >= PROBE_THRESHOLD ? best : NULL;
}

const struct parser *parser_by_name(const char *name)
{
	for (size_t i = 0; i < parser_registry_len; i++)
		if (strcmp(parser_registry[i]->name, name) == 0)
			return parser_registry[i];
	return NULL;
}

void pline_clear(struct pline *out)
{
	memset(out, 0, sizeof *out);
	out->size = -1;
}
