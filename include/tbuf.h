/*
 * tbuf.h - a growable byte buffer, always NUL-terminated.
 *
 * Used wherever output is assembled (JSON, trace text, escaped fields).
 * Growth dies on OOM (xalloc.h).  (Shared module: extend it, keep names.)
 */
#ifndef MAILTRAIL_TBUF_H
#define MAILTRAIL_TBUF_H

#include <stdarg.h>
#include <stddef.h>

struct tbuf {
	char *data;   /* NUL-terminated; NULL until the first write */
	size_t len;
	size_t cap;
};

#define TBUF_INIT {NULL, 0, 0}

void tbuf_init(struct tbuf *b);
void tbuf_release(struct tbuf *b);
/* Empty the buffer, keep its memory. */
void tbuf_reset(struct tbuf *b);
/* Make room for n more bytes (plus the NUL); dies when the size would
 * overflow.  Every writer below may move data. */
void tbuf_grow(struct tbuf *b, size_t n);
void tbuf_putc(struct tbuf *b, char c);
void tbuf_putn(struct tbuf *b, const char *s, size_t n);
void tbuf_puts(struct tbuf *b, const char *s);
__attribute__((format(printf, 2, 3))) void tbuf_printf(struct tbuf *b, const char *fmt, ...);
void tbuf_vprintf(struct tbuf *b, const char *fmt, va_list ap);
/* The contents ("" when empty), valid until the next write. */
static inline const char *tbuf_str(const struct tbuf *b)
{
	return b->data ? b->data : "";
}

#endif
