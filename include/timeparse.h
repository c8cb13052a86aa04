/*
 * timeparse.h - the time stamps mail logs use, parsed without libc locale
 * or time-zone state (so any thread may call them, and no call allocates).
 *
 * Every function parses at the start of s (NUL-terminated at n or later)
 * and returns the number of bytes consumed, or 0 when s does not start with
 * that form.  Results are microseconds since the epoch; *flags gets PL_*
 * bits (event.h) saying whether the value still needs a year or a zone.
 */
#ifndef MAILTRAIL_TIMEPARSE_H
#define MAILTRAIL_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

#define US_PER_SEC INT64_C(1000000)

/* Days since 1970-01-01 of a proleptic Gregorian date (any year). */
int64_t tp_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of tp_days_from_civil. */
void tp_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Month from an abbreviated name: English, Polish, German, French, Greek,
 * Russian (the glibc %b tables), case-insensitive for ASCII.  The token
 * runs to the next space.  Returns 1..12 and sets *used, or 0. */
int tp_month(const char *s, size_t n, size_t *used);

/* Traditional syslog "Nov  2 23:37:17" / "Nov 02 23:37:17" / journalctl
 * short-precise "Nov  2 23:37:17.123456".  No year, no zone: the result
 * is for year 2000 with PL_YEARLESS | PL_LOCALTIME. */
size_t tp_syslog(const char *s, size_t n, int64_t *us, unsigned *flags);

/* RFC 3339 / ISO 8601: "2023-03-14T00:00:31.185246+01:00", "...Z",
 * "2024-03-22 08:00:01" (space), "+0100" zones.  Without a zone the value
 * is local time (PL_LOCALTIME). */
size_t tp_iso(const char *s, size_t n, int64_t *us, unsigned *flags);

/* Exim: "2021-10-07 08:00:05[.746][ +0200]".  Zone only when followed by
 * a space and [+-]HHMM.  Without a zone: PL_LOCALTIME. */
size_t tp_exim(const char *s, size_t n, int64_t *us, unsigned *flags);

/* Dates as exports write them: "2023/05/04 09:12:33 UTC",
 * "2023-05-04 09:12:33", "04.05.2023 09:12[:33]", "04/05/2023 09:12:33"
 * (day first), "5/4/2023 9:12:33 AM" (US month first, with AM/PM), unix
 * epoch seconds.  A trailing "UTC"/"GMT"/"Z"/"+02:00" zone is applied;
 * otherwise PL_LOCALTIME. */
size_t tp_export(const char *s, size_t n, int64_t *us, unsigned *flags);

/* Format a UTC time as RFC 3339 with the given offset in seconds
 * ("2026-11-23T18:46:09.123456+01:00"; fraction only when non-zero).
 * buf must hold 40 bytes.  Returns the length. */
size_t tp_format_rfc3339(int64_t us, int32_t offset_s, char *buf);

/*
 * Local-time conversion.  A zone is either the process's TZ (tz_local) or
 * a fixed/named zone the user gave with --tz.  Conversion results are
 * cached per hour, so calling this per line is cheap.  Each thread must
 * use its own struct tz_cache.
 */
struct tz_cache {
	int64_t hour_key;   /* local wall-clock hour of the cached entry */
	int32_t offset_s;   /* UTC offset for that hour */
	int valid;
};

/* Offset from UTC (seconds) in effect at the local wall-clock time
 * local_us (a value with PL_LOCALTIME).  Uses the process TZ, which the
 * program sets once at start (setenv TZ + tzset) before threads start. */
int32_t tz_offset_for_local(struct tz_cache *c, int64_t local_us);

/* Offset from UTC (seconds) in effect at UTC time utc_us, for display. */
int32_t tz_offset_for_utc(int64_t utc_us);

#endif
