/*
 * fuzz_timeparse.c - libFuzzer target: the time stamp parsers
 * (timeparse.h) and the --since/--until parser (query_parse_time).
 *
 * The input is the start of a log line or a user's time argument.  Each
 * parser must consume no more than the input, set only PL_YEARLESS and
 * PL_LOCALTIME, and give a time that survives the calendar round trip
 * (days -> civil -> days), formats as RFC 3339 within 40 bytes, and has a
 * local-zone offset within a day.  The process runs in a zone with
 * daylight saving time (Europe/Warsaw) so the gap and overlap hours of
 * the offset cache are reached.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "query.h"
#include "timeparse.h"

#define DAY_US (INT64_C(86400) * US_PER_SEC)

static void check_time(int64_t us, unsigned flags)
{
	FUZZ_ASSERT((flags & ~(unsigned)(PL_YEARLESS | PL_LOCALTIME)) == 0);
	int64_t days = us / DAY_US;
	if (us % DAY_US < 0)
		days--;
	int64_t y;
	unsigned m, d;
	tp_civil_from_days(days, &y, &m, &d);
	FUZZ_ASSERT(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	FUZZ_ASSERT(tp_days_from_civil(y, m, d) == days);

	static const int32_t offsets[] = {0, 3600, -34200, 50400};
	for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
		char *buf = malloc(40);
		FUZZ_ASSERT(buf);
		size_t n = tp_format_rfc3339(us, offsets[i], buf);
		FUZZ_ASSERT(n < 40 && strlen(buf) == n);
		free(buf);
	}
	struct tz_cache c = {0, 0, 0};
	int32_t off = tz_offset_for_local(&c, us);
	FUZZ_ASSERT(off > -86400 && off < 86400);
	FUZZ_ASSERT(tz_offset_for_local(&c, us) == off); /* cached */
	off = tz_offset_for_utc(us);
	FUZZ_ASSERT(off > -86400 && off < 86400);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		setenv("TZ", "Europe/Warsaw", 1);
		tzset();
		ready = 1;
	}
	char *s = fuzz_dup(data, size);
	size_t (*const parsers[])(const char *, size_t, int64_t *, unsigned *) = {
		tp_syslog, tp_iso, tp_exim, tp_export};
	for (size_t i = 0; i < sizeof parsers / sizeof parsers[0]; i++) {
		int64_t us = 0;
		unsigned flags = 0;
		size_t k = parsers[i](s, size, &us, &flags);
		FUZZ_ASSERT(k <= size);
		if (k)
			check_time(us, flags);
	}
	size_t used = 0;
	int mon = tp_month(s, size, &used);
	FUZZ_ASSERT(mon >= 0 && mon <= 12);
	if (mon)
		FUZZ_ASSERT(used >= 3 && used <= size);

	/* now: 2026-11-23 18:00 UTC */
	const int64_t now = INT64_C(1795456800) * US_PER_SEC;
	for (int end = 0; end < 2; end++) {
		int64_t out = 0;
		if (query_parse_time(s, now, end, &out) == 0)
			check_time(out, 0);
	}
	free(s);
	return 0;
}
