/*
 * xalloc.h - allocation that cannot fail: on out-of-memory the registered
 * fatal hook runs (the TUI restores the terminal there), a one-line message
 * goes to stderr and the process exits with status 2.
 *
 * (Shared module: extend it, keep the names.)
 */
#ifndef MAILTRAIL_XALLOC_H
#define MAILTRAIL_XALLOC_H

#include <stddef.h>

/* malloc/calloc/realloc that never return NULL (a size of 0 is served as
 * 1 so the result is always a unique pointer).  Caller frees.  xcalloc
 * dies, rather than wrapping, when count * size overflows. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Copy of s (xstrndup: of at most n bytes, stopping at a NUL like
 * strndup), always NUL-terminated.  Caller frees. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Called once before exiting on OOM.  NULL clears it. */
void xalloc_set_fatal_hook(void (*hook)(void));

/* Run the fatal hook, print "mailtrail: <msg>" and exit(2). */
_Noreturn void xalloc_die(const char *msg);

#endif
