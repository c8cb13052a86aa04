/*
 * i18n.h - message translation (gettext, text domain "mailtrail").
 *
 * Design: plain GNU gettext from glibc (no extra library).  Strings that
 * live in static tables are marked N_() so xgettext finds them, and are
 * translated where they are shown (_()), because a table is initialised
 * before the language is known.  Catalogues are looked up in, first match:
 *   $MAILTRAIL_LOCALEDIR, the build tree next to the executable
 *   (<exe dir>/locale, <exe dir>/../locale, <exe dir>/../build/locale,
 *   <exe dir>/../../build/locale: the first that holds some
 *   <lang>/LC_MESSAGES/mailtrail.mo), else the compiled-in LOCALEDIR.
 *
 * Language choice follows gettext: LANGUAGE, then LC_ALL, LC_MESSAGES,
 * LANG.  Hosting servers often lack generated locales (pl_PL.UTF-8 absent,
 * setlocale() fails and gettext would stay English), so when the user's
 * locale cannot be set, i18n_init() falls back to C.UTF-8 and, if LANGUAGE
 * is unset, derives it from LC_ALL/LC_MESSAGES/LANG ("pl_PL.UTF-8" ->
 * "pl_PL"): `LANG=pl_PL.UTF-8 mailtrail` is Polish with or without the
 * pl_PL locale installed.  Note that gettext ignores LANGUAGE when the
 * locale is plain "C"; "C.UTF-8" is fine.
 */
#ifndef MAILTRAIL_I18N_H
#define MAILTRAIL_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/*
 * A string with a count: P_("%u file", "%u files", n) is ngettext(), which
 * picks the catalogue's form for n (Polish has three: 1 plik, 2 pliki,
 * 5 plików); untranslated, the first string for n == 1, else the second.
 * The count is still passed to the format by the caller.  n may be any
 * unsigned count (size_t, uint64_t): see i18n_plural_n().  xgettext finds
 * these with --keyword=P_:1,2.  When a message holds two counts, say in a
 * "TRANSLATORS:" comment which one picks the form.
 */
#define P_(s, p, n) ngettext((s), (p), i18n_plural_n(n))

/* n as ngettext()'s unsigned long.  Where unsigned long is narrower than
 * the count, a larger count keeps its last six digits (all that any
 * Plural-Forms rule looks at) and stays above 1, instead of being cut to
 * a value with other last digits. */
static inline unsigned long i18n_plural_n(unsigned long long n)
{
	unsigned long c = (unsigned long)n;
	return c == n ? c : (unsigned long)(n % 1000000u) + 1000000u;
}

/* Set the locale from the environment (with the fallback above), bind the
 * "mailtrail" text domain to the catalogue directory, make it the default
 * domain and ask for UTF-8 output.  Call once, early in main(), before any
 * thread starts (it may call setenv()).  Never fails: without a catalogue
 * the program simply stays English. */
void i18n_init(void);

/* The directory bound by i18n_init() (static storage; "" before it ran). */
const char *i18n_localedir(void);

/*
 * Switch the message language at run time ("pl", "en", "pl_PL"; NULL or ""
 * returns to the environment's choice): sets LANGUAGE and re-applies the
 * current LC_MESSAGES so that gettext drops its cache.  Not thread-safe
 * (setenv); for a --lang option and for tests.  Returns 0, or -1 if lang
 * is not a plausible language tag (letters, '_', '@', '.', '-', ':' only).
 */
int i18n_set_language(const char *lang);

#endif
