/*
 * textsafe.h - making attacker-controlled log text safe to show.
 *
 * Every field mailtrail shows comes from a log line someone else wrote: a
 * Subject, a HELO name or an SMTP reply can carry terminal escape sequences
 * (CSI colours, OSC 52 clipboard writes, window-title changes), C1 controls,
 * bidi overrides that reorder what the reader sees, or bytes that are not
 * UTF-8 at all.  Key design decision: text is escaped ONCE, into plain
 * printable valid UTF-8, before it reaches any renderer; renderers (curses,
 * plain text, JSON) then measure and cut that escaped text and never see a
 * raw control byte.  The escapes are for reading, not for round-tripping: a
 * literal backslash in the log is shown as is (doubling it would turn every
 * "DOMAIN\user" into "DOMAIN\\user" for the support staff reading it).
 *
 * What becomes an escape (everything else valid and printable passes through):
 *   NUL                          \0
 *   TAB, LF, CR                  \t  \n  \r
 *   other C0 (0x01-0x1f), DEL    \xNN   (lower-case hex: ESC is \x1b)
 *   C1 controls U+0080-U+009F    \u0080 .. \u009f (the UTF-8 encoded form,
 *                                 C2 80..C2 9F; a raw byte 0x9b is invalid
 *                                 UTF-8 and becomes \x9b)
 *   bidi formatting U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069,
 *   line/paragraph separators U+2028, U+2029            \uNNNN
 *   each byte of invalid UTF-8 (overlong, surrogate, > U+10FFFF, stray
 *   continuation, truncated sequence)                    \xNN
 * One input byte never becomes more than TEXTSAFE_MAX_EXPANSION bytes.
 *
 * All functions are pure and thread-safe (no state; textsafe_width and
 * textsafe_fit read the process locale, see below).
 */
#ifndef MAILTRAIL_TEXTSAFE_H
#define MAILTRAIL_TEXTSAFE_H

#include <stddef.h>
#include <stdint.h>

#include "tbuf.h"

/* Worst case output bytes per input byte (a lone byte becomes "\xNN").
 * A buffer of n * TEXTSAFE_MAX_EXPANSION + 1 bytes never truncates. */
#define TEXTSAFE_MAX_EXPANSION 4

/*
 * Decode one UTF-8 character from s[0..n).  Returns the bytes it uses
 * (1..4) and stores the code point in *cp, or returns -1 (and leaves *cp
 * alone) when s does not start with a valid, shortest-form sequence:
 * overlong forms, surrogates U+D800-U+DFFF, values above U+10FFFF, stray
 * continuation bytes, and sequences cut short by n (including n == 0).
 * Never reads s[n] or beyond.
 */
int utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * Escape s[0..n) (may contain NULs; need not be NUL-terminated) into out,
 * which has room for cap bytes.  Writes at most cap bytes including the
 * terminating NUL, which is always written when cap > 0.  When the result
 * does not fit it is cut before the first escape or character that does not
 * fit entirely, so the output never ends in half a character or half an
 * escape.  Returns the bytes written, excluding the NUL (0 when cap == 0).
 * The output is valid UTF-8 with no byte below 0x20 and no 0x7f.
 */
size_t textsafe_escape(const char *s, size_t n, char *out, size_t cap);

/* The same escaping, appended to b (never truncates; dies on OOM). */
void tbuf_escape(struct tbuf *b, const char *s, size_t n);

/*
 * Append s[0..n) to b as a JSON string literal, quotes included.  '"' and
 * '\\' are backslash-escaped; U+0000-U+001F become \b \f \n \r \t or
 * \u00XX; DEL, C1 controls, and the bidi and separator code points listed
 * above become \u007f / \u0080 / \u202e ... so raw JSON is safe to cat to a
 * terminal.  Invalid UTF-8 cannot be carried by JSON without changing its
 * meaning ("\u00e9" would claim the text contained U+00E9): each invalid
 * byte becomes U+FFFD (written as its 3 UTF-8 bytes).  The result is always
 * valid JSON and valid UTF-8.  Dies on OOM.
 */
void tbuf_json_string(struct tbuf *b, const char *s, size_t n);

/*
 * Display columns of s[0..n), which should be ALREADY ESCAPED text (valid
 * UTF-8, no controls).  Each code point counts wcwidth(): wide East Asian
 * characters 2, combining marks and other zero-width characters 0; a code
 * point wcwidth() does not know (returns -1) counts 1, and so does each
 * invalid byte.  The caller must have called setlocale(LC_CTYPE, "") (or
 * another UTF-8 locale) first.  When the LC_CTYPE locale's codeset is not
 * UTF-8, wcwidth() knows nothing useful, so every non-ASCII code point
 * counts 1 without calling it.
 */
size_t textsafe_width(const char *s, size_t n);

/*
 * How many leading bytes of s[0..n) (escaped text, as for textsafe_width)
 * fit in cols display columns without splitting a character.  Zero-width
 * characters (combining marks) that follow the last character that fits
 * are included, so a mark is never separated from its base; a character
 * that does not fit is left out together with its marks.  Stores the
 * columns those bytes use in *used_cols when used_cols is not NULL.
 */
size_t textsafe_fit(const char *s, size_t n, size_t cols, size_t *used_cols);

#endif
