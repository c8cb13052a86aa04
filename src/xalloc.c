/*
 * xalloc.c - dying allocators.  Log analysis has no sensible way to go on
 * without memory, and every caller checking NULL would triple the code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void (*fatal_hook)(void);

void xalloc_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

_Noreturn void xalloc_die(const char *msg)
{
	void (*hook)(void) = fatal_hook;

	/* Cleared first: a hook that itself runs out of memory must not
	 * recurse forever. */
	fatal_hook = NULL;
	if (hook)
		hook();
	fprintf(stderr, "mailtrail: %s\n", msg);
	exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		xalloc_die("out of memory");
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		xalloc_die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		xalloc_die("out of memory");
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	/* strndup semantics: stop at a NUL, never read past it. */
	n = strnlen(s, n);
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}
