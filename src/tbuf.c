/*
 * tbuf.c - growable byte buffer.  Doubling growth keeps appends amortised
 * O(1); the buffer is NUL-terminated after every write so it can be handed
 * to C string functions without a copy.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tbuf.h"
#include "xalloc.h"

void tbuf_init(struct tbuf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void tbuf_release(struct tbuf *b)
{
	free(b->data);
	tbuf_init(b);
}

void tbuf_reset(struct tbuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void tbuf_grow(struct tbuf *b, size_t n)
{
	/* A wrapped size would make the buffer look big enough. */
	if (n > SIZE_MAX - 1 - b->len)
		xalloc_die("out of memory");
	if (b->len + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1)
		cap = cap > SIZE_MAX / 2 ? b->len + n + 1 : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void tbuf_putc(struct tbuf *b, char c)
{
	tbuf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void tbuf_putn(struct tbuf *b, const char *s, size_t n)
{
	tbuf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void tbuf_puts(struct tbuf *b, const char *s)
{
	tbuf_putn(b, s, strlen(s));
}

void tbuf_vprintf(struct tbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n < sizeof small) {
		tbuf_putn(b, small, (size_t)n);
	} else {
		tbuf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
}

void tbuf_printf(struct tbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tbuf_vprintf(b, fmt, ap);
	va_end(ap);
}
