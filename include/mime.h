/*
 * mime.h - RFC 2047 decoding of header values (Subject, From names) into
 * UTF-8, for the Subject lines Postfix header_checks and amavis log.
 *
 * Key design decision: no iconv.  The charsets that matter to our users
 * (Polish first) are decoded with hand-written 128-entry tables, so the
 * program does not depend on glibc's gconv modules being installed (a
 * static or minimal container build has none).  The result is NOT escaped:
 * it may contain controls the sender encoded (=1B, =00); the caller passes
 * it through textsafe before showing it.
 */
#ifndef MAILTRAIL_MIME_H
#define MAILTRAIL_MIME_H

#include <stddef.h>

#include "tbuf.h"

/*
 * Decode the RFC 2047 encoded words in s[0..n) (may contain NULs; need not
 * be NUL-terminated) and append the result to out.
 *
 *  - An encoded word is =?charset?B?text?= or =?charset?Q?text?= (B/Q in
 *    either case; charset may carry an RFC 2231 "*lang" suffix, which is
 *    ignored).  Q: '_' is a space, =XX a byte (hex in either case).  B:
 *    base64, padding optional.
 *  - Words are recognised anywhere, even touching other text ("Fwd:=?..."),
 *    as mail clients do, although RFC 2047 wants them space-delimited.
 *  - Whitespace (SP, TAB, CR, LF) between two adjacent encoded words is
 *    removed (RFC 2047 section 6.2); all other text is copied unchanged,
 *    including invalid UTF-8 and NUL bytes (the escaper deals with them).
 *  - A malformed encoded word (bad base64 or =XX, a space or control
 *    inside, no closing "?=", a charset name (with *lang) over 64 bytes)
 *    is copied as literal text.  Header logs truncate long values, so a
 *    missing "?=" is common.
 *  - Charsets: UTF-8, US-ASCII, ISO-8859-1, ISO-8859-2, ISO-8859-15,
 *    Windows-1250, Windows-1252, KOI8-R, with their common aliases
 *    (utf8, latin1, latin2, cp1250, ...).  ISO-8859-1 is decoded as
 *    Windows-1252, its superset, as browsers do (WHATWG Encoding): mail
 *    labelled Latin-1 routinely carries Windows quotes and euro signs.
 *    Bytes a code page leaves undefined become U+FFFD.
 *  - Adjacent encoded words in the same charset are joined before the
 *    charset is applied, so a UTF-8 character split across two words (a
 *    common sender bug) still decodes.
 *  - UTF-8 words: each byte of an invalid sequence becomes U+FFFD.
 *    US-ASCII and unknown charsets: the bytes are kept when they are valid
 *    UTF-8 (mislabelled mail usually is), otherwise every byte >= 0x80
 *    becomes U+FFFD.  Decoded words therefore always yield valid UTF-8.
 *
 * Returns the number of encoded words decoded (0: out got s unchanged).
 * Dies on OOM (xalloc.h).  Thread-safe; linear in n.
 */
size_t mime_decode_header(const char *s, size_t n, struct tbuf *out);

#endif
