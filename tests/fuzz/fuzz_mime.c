/*
 * fuzz_mime.c - libFuzzer target: the RFC 2047 decoder (mime.h).
 *
 * The input is a header value.  It is decoded from an exact-size heap
 * copy WITHOUT a terminating NUL (the function takes a length, so ASan
 * must see no read at s[n]) and appended after some existing text.
 * Checks, from the contract in mime.h: the existing text is kept; no
 * encoded word decoded means the value was copied unchanged; text without
 * "=?" decodes no word; valid UTF-8 in gives valid UTF-8 out (decoded
 * words are always valid, literal text is copied); the output grows at
 * most threefold (one byte -> U+FFFD).  The result, escaped as callers do,
 * must be terminal-safe.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mime.h"
#include "tbuf.h"
#include "textsafe.h"

#define PREFIX "Subject: "

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	FUZZ_ASSERT(s);
	if (size)
		memcpy(s, data, size);

	struct tbuf out = TBUF_INIT;
	tbuf_puts(&out, PREFIX);
	const size_t pre = strlen(PREFIX);
	size_t words = mime_decode_header(s, size, &out);
	FUZZ_ASSERT(out.len >= pre && memcmp(out.data, PREFIX, pre) == 0);
	FUZZ_ASSERT(out.data[out.len] == '\0');
	const char *dec = out.data + pre;
	size_t dlen = out.len - pre;
	if (words == 0) {
		FUZZ_ASSERT(dlen == size);
		FUZZ_ASSERT(size == 0 || memcmp(dec, s, size) == 0);
	}
	if (!memmem(s, size, "=?", 2))
		FUZZ_ASSERT(words == 0);
	if (fuzz_utf8_valid(s, size))
		FUZZ_ASSERT(fuzz_utf8_valid(dec, dlen));
	FUZZ_ASSERT(dlen <= 3 * size);

	struct tbuf esc = TBUF_INIT;
	tbuf_escape(&esc, dec, dlen);
	FUZZ_ASSERT(fuzz_terminal_safe(tbuf_str(&esc), esc.len));
	tbuf_release(&esc);

	/* The same value NUL-terminated decodes the same. */
	char *z = fuzz_dup(data, size);
	struct tbuf out2 = TBUF_INIT;
	size_t words2 = mime_decode_header(z, size, &out2);
	FUZZ_ASSERT(words2 == words && out2.len == dlen);
	FUZZ_ASSERT(dlen == 0 || memcmp(out2.data, dec, dlen) == 0);
	tbuf_release(&out2);
	free(z);

	tbuf_release(&out);
	free(s);
	return 0;
}
