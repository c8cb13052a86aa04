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
