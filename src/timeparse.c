/*
 * timeparse.c - hand-written time stamp parsers.
 *
 * strptime/mktime are locale- and TZ-dependent, take locks and cost
 * microseconds per call; a log line needs its stamp in tens of
 * nanoseconds.  So the stamps are scanned by hand and turned into epoch
 * values with the days-from-civil arithmetic; only the local-zone offset
 * comes from libc, cached per wall-clock hour.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "timeparse.h"

int64_t tp_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm: exact for the proleptic Gregorian
	 * calendar, no tables, no loops. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void tp_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static int digits(const char *s, size_t n, size_t at, size_t count, unsigned *out)
{
	unsigned v = 0;
	if (at + count > n)
		return 0;
	for (size_t i = 0; i < count; i++) {
		unsigned c = (unsigned char)s[at + i] - '0';
		if (c > 9)
			return 0;
		v = v * 10 + c;
	}
	*out = v;
	return 1;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Month names as the glibc %b tables of the locales our users' hosts
 * run in (FORMATS.md §2.1): the token is compared up to the next space. */
static const struct {
	const char *name;
	unsigned char month;
} month_names[] = {
	{"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"may", 5}, {"jun", 6},
	{"jul", 7}, {"aug", 8}, {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
	/* pl_PL */
	{"sty", 1}, {"lut", 2}, {"kwi", 4}, {"maj", 5}, {"cze", 6}, {"lip", 7},
	{"sie", 8}, {"wrz", 9}, {"pa\xc5\xba", 10}, {"lis", 11}, {"gru", 12},
	/* de_DE */
	{"m\xc3\xa4r", 3}, {"mai", 5}, {"okt", 10}, {"dez", 12},
	/* fr_FR */
	{"janv.", 1}, {"f\xc3\xa9vr.", 2}, {"mars", 3}, {"avril", 4}, {"juin", 6},
	{"juil.", 7}, {"ao\xc3\xbbt", 8}, {"sept.", 9}, {"oct.", 10}, {"nov.", 11},
	{"d\xc3\xa9""c.", 12},
	/* el_GR */
	{"\xce\x99\xce\xb1\xce\xbd", 1}, {"\xce\xa6\xce\xb5\xce\xb2", 2},
	{"\xce\x9c\xce\xb1\xcf\x81", 3}, {"\xce\x91\xcf\x80\xcf\x81", 4},
	{"\xce\x9c\xce\xb1\xce\x90", 5}, {"\xce\x99\xce\xbf\xcf\x85\xce\xbd", 6},
	{"\xce\x99\xce\xbf\xcf\x85\xce\xbb", 7}, {"\xce\x91\xcf\x85\xce\xb3", 8},
	{"\xce\xa3\xce\xb5\xcf\x80", 9}, {"\xce\x9f\xce\xba\xcf\x84", 10},
	{"\xce\x9d\xce\xbf\xce\xb5", 11}, {"\xce\x94\xce\xb5\xce\xba", 12},
	/* ru_RU */
	{"\xd1\x8f\xd0\xbd\xd0\xb2", 1}, {"\xd1\x84\xd0\xb5\xd0\xb2", 2},
	{"\xd0\xbc\xd0\xb0\xd1\x80", 3}, {"\xd0\xb0\xd0\xbf\xd1\x80", 4},
	{"\xd0\xbc\xd0\xb0\xd1\x8f", 5}, {"\xd0\xb8\xd1\x8e\xd0\xbd", 6},
	{"\xd0\xb8\xd1\x8e\xd0\xbb", 7}, {"\xd0\xb0\xd0\xb2\xd0\xb3", 8},
	{"\xd1\x81\xd0\xb5\xd0\xbd", 9}, {"\xd0\xbe\xd0\xba\xd1\x82", 10},
	{"\xd0\xbd\xd0\xbe\xd1\x8f", 11}, {"\xd0\xb4\xd0\xb5\xd0\xba", 12},
};

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int tp_month(const char *s, size_t n, size_t *used)
{
	size_t len = 0;
	while (len < n && len < 12 && s[len] != ' ' && s[len] != '\0')
		len++;
	if (len < 3 || len >= 12)
		return 0;
	/* Fast path: the English three-letter names. */
	if (len == 3) {
		char a = ascii_lower(s[0]), b = ascii_lower(s[1]), c = ascii_lower(s[2]);
		for (size_t i = 0; i < 12; i++) {
			const char *m = month_names[i].name;
			if (m[0] == a && m[1] == b && m[2] == c) {
				*used = 3;
				return month_names[i].month;
			}
		}
	}
	for (size_t i = 12; i < sizeof month_names / sizeof month_names[0]; i++) {
		const char *m = month_names[i].name;
		size_t ml = strlen(m);
		if (ml != len)
			continue;
		size_t k = 0;
		/* Greek and Russian tables are compared byte-exact; the
		 * capitalised forms are the ones glibc prints for el_GR, and
		 * ru_RU prints lower case. */
		while (k < len && ascii_lower(s[k]) == m[k])
			k++;
		if (k == len) {
			*used = len;
			return month_names[i].month;
		}
	}
	return 0;
}

/* "HH:MM:SS" at s+at, optional ".fraction" (1-9 digits). */
static size_t clock_part(const char *s, size_t n, size_t at, int64_t *us)
{
	unsigned hh, mm, ss;
	if (!digits(s, n, at, 2, &hh) || at + 2 >= n || s[at + 2] != ':' ||
	    !digits(s, n, at + 3, 2, &mm) || at + 5 >= n || s[at + 5] != ':' ||
	    !digits(s, n, at + 6, 2, &ss))
		return 0;
	if (hh > 23 || mm > 59 || ss > 60)
		return 0;
	size_t p = at + 8;
	int64_t frac = 0;
	if (p < n && (s[p] == '.' || s[p] == ',') && p + 1 < n && is_digit(s[p + 1])) {
		p++;
		int64_t scale = 100000;
		while (p < n && is_digit(s[p])) {
			if (scale > 0) {
				frac += (s[p] - '0') * scale;
				scale /= 10;
			}
			p++;
		}
	}
	*us = ((int64_t)hh * 3600 + mm * 60 + (ss > 59 ? 59 : ss)) * US_PER_SEC + frac;
	return p - at;
}

size_t tp_syslog(const char *s, size_t n, int64_t *us, unsigned *flags)
{
	size_t used;
	int mon = tp_month(s, n, &used);
	if (!mon)
		return 0;
	size_t p = used;
	/* "Nov  2", "Nov 02", "Sep 8" */
	while (p < n && s[p] == ' ' && p - used < 2)
		p++;
	if (p == used)
		return 0;
	unsigned day = 0;
	if (p < n && is_digit(s[p])) {
		day = (unsigned)(s[p] - '0');
		p++;
		if (p < n && is_digit(s[p])) {
			day = day * 10 + (unsigned)(s[p] - '0');
			p++;
		}
	}
	if (day < 1 || day > 31 || p >= n || s[p] != ' ')
		return 0;
	p++;
	int64_t clock;
	size_t c = clock_part(s, n, p, &clock);
	if (!c)
		return 0;
	*us = tp_days_from_civil(2000, (unsigned)mon, day) * 86400 * US_PER_SEC + clock;
	*flags = PL_YEARLESS | PL_LOCALTIME;
	return p + c;
}

/* Zone after a time: "Z", "+01:00", "+0100", "-02".  Returns bytes used,
 * 0 when there is none; *off_s gets seconds east of UTC. */
static size_t zone_part(const char *s, size_t n, size_t at, int32_t *off_s)
{
	if (at >= n)
		return 0;
	if (s[at] == 'Z' || s[at] == 'z') {
		*off_s = 0;
		return 1;
	}
	if (s[at] != '+' && s[at] != '-')
		return 0;
	int sign = s[at] == '-' ? -1 : 1;
	unsigned hh, mm = 0;
	if (!digits(s, n, at + 1, 2, &hh) || hh > 14)
		return 0;
	size_t p = at + 3;
	if (p < n && s[p] == ':') {
		if (!digits(s, n, p + 1, 2, &mm))
			return 0;
		p += 3;
	} else if (digits(s, n, p, 2, &mm)) {
		p += 2;
	}
	if (mm > 59)
		return 0;
	*off_s = sign * (int32_t)(hh * 3600 + mm * 60);
	return p - at;
}

static int valid_date(unsigned y, unsigned m, unsigned d)
{
	return y >= 1970 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* "YYYY-MM-DD" with the given separator; returns 10 or 0. */
static size_t ymd(const char *s, size_t n, char sep, unsigned *y, unsigned *m, unsigned *d)
{
	if (!digits(s, n, 0, 4, y) || n < 10 || s[4] != sep || !digits(s, n, 5, 2, m) ||
	    s[7] != sep || !digits(s, n, 8, 2, d) || !valid_date(*y, *m, *d))
		return 0;
	return 10;
}

size_t tp_iso(const char *s, size_t n, int64_t *us, unsigned *flags)
{
	unsigned y, m, d;
	if (!ymd(s, n, '-', &y, &m, &d) || n < 11 || (s[10] != 'T' && s[10] != ' '))
		return 0;
	int64_t clock;
	size_t c = clock_part(s, n, 11, &clock);
	if (!c)
		return 0;
	size_t p = 11 + c;
	int32_t off = 0;
	size_t z = zone_part(s, n, p, &off);
	int64_t v = tp_days_from_civil(y, m, d) * 86400 * US_PER_SEC + clock;
	if (z) {
		*us = v - (int64_t)off * US_PER_SEC;
		*flags = 0;
	} else {
		*us = v;
		*flags = PL_LOCALTIME;
	}
	return p + z;
}

size_t tp_exim(const char *s, size_t n, int64_t *us, unsigned *flags)
{
	unsigned y, m, d;
	if (!ymd(s, n, '-', &y, &m, &d) || n < 11 || s[10] != ' ')
		return 0;
	int64_t clock;
	size_t c = clock_part(s, n, 11, &clock);
	if (!c)
		return 0;
	size_t p = 11 + c;
	int64_t v = tp_days_from_civil(y, m, d) * 86400 * US_PER_SEC + clock;
	int32_t off;
	/* log_timezone: " +0200".  Require 4 digits so "[pid]" or an id that
	 * happens to follow is never taken for a zone. */
	if (p + 6 <= n && s[p] == ' ' && (s[p + 1] == '+' || s[p + 1] == '-')) {
		unsigned hhmm;
		if (digits(s, n, p + 2, 4, &hhmm) && (p + 6 == n || s[p + 6] == ' ') &&
		    zone_part(s, n, p + 1, &off) == 5) {
			*us = v - (int64_t)off * US_PER_SEC;
			*flags = 0;
			return p + 6;
		}
	}
	*us = v;
	*flags = PL_LOCALTIME;
	return p;
}

/* Trailing zone word of export dates: " UTC", " GMT", " Z", " +02:00". */
static size_t export_zone(const char *s, size_t n, size_t p, int32_t *off, int *have)
{
	*have = 0;
	size_t q = p;
	while (q < n && s[q] == ' ')
		q++;
	if (q + 3 <= n && (memcmp(s + q, "UTC", 3) == 0 || memcmp(s + q, "GMT", 3) == 0)) {
		*off = 0;
		*have = 1;
		q += 3;
		size_t z = zone_part(s, n, q, off); /* "UTC+02:00" */
		return q + z - p;
	}
	size_t z = zone_part(s, n, q, off);
	if (z) {
		*have = 1;
		return q + z - p;
	}
	return 0;
}

size_t tp_export(const char *s, size_t n, int64_t *us, unsigned *flags)
{
	unsigned y = 0, m = 0, d = 0;
	size_t p;
	while (n > 0 && s[0] == ' ') {
		s++;
		n--;
	}
	if (n >= 10 && (ymd(s, n, '/', &y, &m, &d) || ymd(s, n, '-', &y, &m, &d))) {
		p = 10;
	} else {
		/* Day-first "04.05.2023", "4.5.2023", "04/05/2023"; or US
		 * "5/4/2023 9:12:33 AM" (month first) recognised by AM/PM. */
		unsigned a = 0, b = 0;
		size_t q = 0, da = 0, db = 0;
		while (q < n && is_digit(s[q]) && da < 2) {
			a = a * 10 + (unsigned)(s[q++] - '0');
			da++;
		}
		if (!da || q >= n || (s[q] != '.' && s[q] != '/' && s[q] != '-'))
			goto epoch;
		char sep = s[q++];
		while (q < n && is_digit(s[q]) && db < 2) {
			b = b * 10 + (unsigned)(s[q++] - '0');
			db++;
		}
		if (!db || q >= n || s[q] != sep || !digits(s, n, q + 1, 4, &y))
			goto epoch;
		q += 5;
		d = a;
		m = b;
		if (sep == '/') {
			/* Look for AM/PM to tell US order. */
			const char *ampm = NULL;
			for (size_t k = q; k + 1 < n && k < q + 16; k++)
				if ((s[k] == 'A' || s[k] == 'P') && s[k + 1] == 'M')
					ampm = s + k;
			if (ampm || b > 12) {
				m = a;
				d = b;
			}
		}
		if (!valid_date(y, m, d))
			return 0;
		p = q;
	}
	{
		int64_t clock = 0;
		size_t c = 0;
		if (p < n && (s[p] == ' ' || s[p] == 'T')) {
			/* "9:12:33" and "09:12" are common in spreadsheets. */
			unsigned hh = 0, mm = 0, ss = 0;
			size_t q = p + 1, dh = 0;
			while (q < n && is_digit(s[q]) && dh < 2) {
				hh = hh * 10 + (unsigned)(s[q++] - '0');
				dh++;
			}
			if (dh && q < n && s[q] == ':' && digits(s, n, q + 1, 2, &mm)) {
				q += 3;
				if (q < n && s[q] == ':' && digits(s, n, q + 1, 2, &ss))
					q += 3;
				int64_t frac = 0;
				if (q < n && s[q] == '.' && q + 1 < n && is_digit(s[q + 1])) {
					int64_t scale = 100000;
					for (q++; q < n && is_digit(s[q]); q++) {
						if (scale > 0) {
							frac += (s[q] - '0') * scale;
							scale /= 10;
						}
					}
				}
				if (q + 2 < n + 1 && q + 3 <= n && s[q] == ' ' &&
				    (s[q + 1] == 'A' || s[q + 1] == 'P') && s[q + 2] == 'M') {
					if (hh == 12)
						hh = 0;
					if (s[q + 1] == 'P')
						hh += 12;
					q += 3;
				}
				if (hh > 23 || mm > 59 || ss > 60)
					return 0;
				clock = ((int64_t)hh * 3600 + mm * 60 + (ss > 59 ? 59 : ss)) *
						US_PER_SEC + frac;
				c = q - p;
			}
		}
		p += c;
		int64_t v = tp_days_from_civil(y, m, d) * 86400 * US_PER_SEC + clock;
		int32_t off = 0;
		int have = 0;
		size_t z = c ? export_zone(s, n, p, &off, &have) : 0;
		if (have) {
			*us = v - (int64_t)off * US_PER_SEC;
			*flags = 0;
		} else {
			*us = v;
			*flags = PL_LOCALTIME;
		}
		return p + z;
	}
epoch:;
	/* Unix epoch seconds (10 digits) with optional fraction. */
	size_t q = 0;
	int64_t secs = 0;
	while (q < n && is_digit(s[q]) && q < 12)
		secs = secs * 10 + (s[q++] - '0');
	if (q < 9 || q > 11 || (q < n && s[q] != '.' && s[q] != ' ' && s[q] != '\0'))
		return 0;
	int64_t frac = 0;
	if (q < n && s[q] == '.') {
		int64_t scale = 100000;
		for (q++; q < n && is_digit(s[q]); q++)
			if (scale > 0) {
				frac += (s[q] - '0') * scale;
				scale /= 10;
			}
	}
	*us = secs * US_PER_SEC + frac;
	*flags = 0;
	return q;
}

size_t tp_format_rfc3339(int64_t us, int32_t offset_s, char *buf)
{
	int64_t local = us + (int64_t)offset_s * US_PER_SEC;
	int64_t secs = local / US_PER_SEC, frac = local % US_PER_SEC;
	if (frac < 0) {
		frac += US_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	tp_civil_from_days(days, &y, &m, &d);
	char *p = buf;
	p += sprintf(p, "%04lld-%02u-%02uT%02u:%02u:%02u", (long long)y, m, d,
		     (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
	if (frac)
		p += sprintf(p, ".%06lld", (long long)frac);
	if (offset_s == 0) {
		*p++ = 'Z';
		*p = '\0';
	} else {
		int32_t a = offset_s < 0 ? -offset_s : offset_s;
		p += sprintf(p, "%c%02d:%02d", offset_s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	}
	return (size_t)(p - buf);
}

int32_t tz_offset_for_local(struct tz_cache *c, int64_t local_us)
{
	int64_t hour = local_us / (3600 * US_PER_SEC);
	if (local_us < 0 && local_us % (3600 * US_PER_SEC))
		hour--;
	if (c->valid && c->hour_key == hour)
		return c->offset_s;
	int64_t secs = hour * 3600;
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	tp_civil_from_days(days, &y, &m, &d);
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)(rem / 3600);
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	int32_t off = 0;
	if (t != (time_t)-1)
		off = (int32_t)((int64_t)secs - (int64_t)t);
	c->hour_key = hour;
	c->offset_s = off;
	c->valid = 1;
	return off;
}

int32_t tz_offset_for_utc(int64_t utc_us)
{
	time_t t = (time_t)(utc_us / US_PER_SEC);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return 0;
	return (int32_t)tm.tm_gmtoff;
}
