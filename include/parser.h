/*
 * parser.h - the one interface every log format implements.
 *
 * A format is one file in parsers/ exporting a `const struct parser`, plus
 * one line in parsers/registry.c.  Detection scores every format on the
 * first lines of a file (best score wins, not first match), so adding a
 * format never changes which existing format a file is given to unless the
 * new one really fits better.
 *
 * Parsers never print, never touch the store and hold no mutable globals:
 * files are parsed on several threads at once, each with its own state.
 */
#ifndef MAILTRAIL_PARSER_H
#define MAILTRAIL_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

enum parse_result {
	PARSE_OK = 0,   /* out is filled: an event */
	PARSE_SKIP,     /* understood, carries nothing worth keeping (header row,
			 * daemon started, comment) */
	PARSE_NOMATCH,  /* not a line of this format at all */
	PARSE_BAD,      /* looks like this format but is malformed; *why says how */
	PARSE_MORE,     /* the record continues on the next line (quoted CSV
			 * newline): the parser copied what it needs; feed the
			 * next line.  The record takes the first line's position. */
};

/* Highest probe score; a file is given to the best format scoring at least
 * PROBE_THRESHOLD. */
#define PROBE_MAX 100
#define PROBE_THRESHOLD 30

struct parser {
	const char *name;   /* short id for --format and JSON: "postfix" */
	const char *title;  /* shown to users: "Postfix maillog" */

	/* Called once, single-threaded, before any other call (compile
	 * regexes here).  May be NULL.  Returns 0, or -1 when the format cannot
	 * work (then it is left out of detection). */
	int (*init)(void);

	/* Score 0..PROBE_MAX how well these first lines fit the format.
	 * lines[i] is NUL-terminated at lens[i] (no newline).  n may be small
	 * (a short file).  Must not allocate. */
	int (*probe)(const char *const *lines, const size_t *lens, size_t n);

	/* Per-file state.  Returns NULL on allocation failure. */
	void *(*begin)(void);

	/* Parse one physical line: NUL-terminated at len, no trailing newline
	 * or CR; it may contain NUL bytes and invalid UTF-8 before len.  *out
	 * was zeroed (size = -1) by the caller.  Slices may point into line
	 * (valid until the next call) or into the state.  On PARSE_BAD, *why
	 * is set to a static English reason. */
	enum parse_result (*line)(void *state, const char *line, size_t len,
				  struct pline *out, const char **why);

	/* Free the state.  May be NULL-tolerant. */
	void (*end)(void *state);
};

/* The registry: every format, in one list (parsers/registry.c). */
extern const struct parser *const parser_registry[];
extern const size_t parser_registry_len;

/* Call every parser's init once; formats whose init fails are disabled.
 * Returns the number of usable formats. */
size_t parser_init_all(void);

/* Best parser for these lines, or NULL when none reaches the threshold.
 * *score gets the winning score (may be NULL). */
const struct parser *parser_detect(const char *const *lines, const size_t *lens,
				   size_t n, int *score);

/* Parser by name ("postfix"), or NULL. */
const struct parser *parser_by_name(const char *name);

/* Reset *out to the empty line (all slices empty, size -1). */
void pline_clear(struct pline *out);

#endif
