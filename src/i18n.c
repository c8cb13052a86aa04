/*
 * i18n.c - locale set-up and catalogue discovery for gettext.
 *
 * Design: find the catalogue directory so that an uninstalled build
 * (build/mailtrail, build/tests/test_x, build-asan/...) uses the freshly
 * compiled build/locale, and an installed binary uses LOCALEDIR; and keep
 * the user's language even when their locale is not generated on this
 * machine (see i18n.h).  Everything here runs once at start-up, before any
 * thread exists.
 */
#include "i18n.h"

#include <dirent.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

#define I18N_DOMAIN "mailtrail"

static char bound_dir[PATH_MAX];

/* Does dir hold <lang>/LC_MESSAGES/mailtrail.mo for some lang? */
static int has_catalogue(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		char p[PATH_MAX];
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(p, sizeof p, "%s/%s/LC_MESSAGES/%s.mo", dir, de->d_name, I18N_DOMAIN) >=
		    (int)sizeof p)
			continue;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			found = 1;
	}
	closedir(d);
	return found;
}

/* Directory of the running executable into buf; -1 if unknown. */
static int exe_dir(char *buf, size_t n)
{
	ssize_t r = readlink("/proc/self/exe", buf, n - 1);
	char *slash;

	if (r <= 0)
		return -1;
	buf[r] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

static void pick_dir(void)
{
	static const char *const rel[] = {
		"locale", "../locale", "../build/locale", "../../build/locale",
	};
	const char *env = getenv("MAILTRAIL_LOCALEDIR");
	char exe[PATH_MAX];

	if (env && env[0]) {
		snprintf(bound_dir, sizeof bound_dir, "%s", env);
		return;
	}
	if (exe_dir(exe, sizeof exe) == 0) {
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			char cand[PATH_MAX], real[PATH_MAX];
			if (snprintf(cand, sizeof cand, "%s/%s", exe, rel[i]) >= (int)sizeof cand)
				continue;
			if (!has_catalogue(cand))
				continue;
			snprintf(bound_dir, sizeof bound_dir, "%s", realpath(cand, real) ? real : cand);
			return;
		}
	}
	snprintf(bound_dir, sizeof bound_dir, "%s", LOCALEDIR);
}

/* The user's locale is missing: keep UTF-8 and the language they asked for. */
static void locale_fallback(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *language = getenv("LANGUAGE");
	const char *src = NULL;
	char tag[64];
	size_t n = 0;

	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8"))
		setlocale(LC_ALL, "C");
	if (language && language[0])
		return;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0] && !src; i++) {
		const char *v = getenv(vars[i]);
		if (v && v[0])
			src = v;
	}
	if (!src)
		return;
	while (src[n] && src[n] != '.' && src[n] != '@' && n < sizeof tag - 1) {
		tag[n] = src[n];
		n++;
	}
	tag[n] = '\0';
	if (n == 0 || strcmp(tag, "C") == 0 || strcmp(tag, "POSIX") == 0)
		return;
	setenv("LANGUAGE", tag, 0);
}

void i18n_init(void)
{
	if (!setlocale(LC_ALL, ""))
		locale_fallback();
	pick_dir();
	bindtextdomain(I18N_DOMAIN, bound_dir);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
}

const char *i18n_localedir(void)
{
	return bound_dir;
}

int i18n_set_language(const char *lang)
{
	char cur[256];
	const char *c;

	if (lang && lang[0]) {
		for (const char *p = lang; *p; p++) {
			int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				 (*p >= '0' && *p <= '9') || strchr("_@.-:", *p);
			if (!ok || p - lang > 200)
				return -1;
		}
		setenv("LANGUAGE", lang, 1);
	} else {
		unsetenv("LANGUAGE");
	}
	c = setlocale(LC_MESSAGES, NULL);
	snprintf(cur, sizeof cur, "%s", c ? c : "C");
	/* gettext ignores LANGUAGE under the plain "C" locale. */
	if (lang && lang[0] && (strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)) {
		if (!setlocale(LC_MESSAGES, "C.UTF-8"))
			setlocale(LC_MESSAGES, "C.utf8");
	} else {
		setlocale(LC_MESSAGES, cur);
	}
	/* textdomain() bumps gettext's catalogue generation: drop its cache. */
	textdomain(I18N_DOMAIN);
	return 0;
}
