/*
 * fuzz_load.c - libFuzzer target: the whole pipeline on one input.
 *
 * The input is a log file (format detected as for a user's file).  It is
 * loaded twice through load_run(): whole, and as two files cut at a line
 * near its middle (two files merged by time, messages straddling them).
 * Each store is then read the way the outputs read it: every message's
 * events, its trace with raw lines re-read from the file, its JSON, the
 * list and the statistics.  Checks: every message's events come out in
 * (time, file, offset) order and as many as store_msg_nev() says; the
 * trace, JSON, list and statistics carry no control character (but the
 * newlines between lines) and are valid UTF-8; loading never fails.
 *
 * The files are memfds named by /proc/self/fd/N, so nothing touches the
 * disk and the reader re-reads them as it would a log.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "load.h"
#include "output.h"
#include "stats.h"
#include "store.h"
#include "tbuf.h"
#include "trace.h"

/* A memfd holding data[0..n); its /proc path into path. */
static int memfile(const uint8_t *data, size_t n, char *path, size_t cap)
{
	int fd = memfd_create("fuzz-log", 0);
	FUZZ_ASSERT(fd >= 0);
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, data + done, n - done);
		FUZZ_ASSERT(w > 0);
		done += (size_t)w;
	}
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

/* Text for a terminal: lines of valid UTF-8 without control characters. */
static int text_safe(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		if (!fuzz_terminal_safe(s + i, e - i))
			return 0;
		i = e + 1;
	}
	return 1;
}

static int ev_after(const struct event *a, const struct event *b)
{
	return a->ts_us != b->ts_us ? a->ts_us > b->ts_us : a->loc > b->loc;
}

static void read_store(struct store *st)
{
	struct tbuf out = TBUF_INIT;
	uint32_t *all = malloc((st->nmsgs ? st->nmsgs : 1) * sizeof *all);
	FUZZ_ASSERT(all);
	for (uint32_t m = 0; m < st->nmsgs; m++) {
		all[m] = m;
		size_t n = store_msg_nev(st, m);
		struct event *ev = malloc((n ? n : 1) * sizeof *ev);
		FUZZ_ASSERT(ev);
		FUZZ_ASSERT(store_msg_events(st, m, ev, n) == n);
		for (size_t i = 1; i < n; i++)
			FUZZ_ASSERT(!ev_after(&ev[i - 1], &ev[i]));
		free(ev);
		struct trace t;
		trace_build(st, m, 1, &t);
		tbuf_reset(&out);
		output_trace_text(&out, st, &t);
		FUZZ_ASSERT(text_safe(out.data ? out.data : "", out.len));
		tbuf_reset(&out);
		output_json_message(&out, st, m, &t);
		FUZZ_ASSERT(fuzz_terminal_safe(out.data ? out.data : "", out.len));
		trace_release(&t);
	}
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	FUZZ_ASSERT(f);
	output_list(f, st, all, st->nmsgs);
	stats_print(f, st, all, st->nmsgs, 0);
	stats_print(f, st, all, st->nmsgs, 1);
	fclose(f);
	FUZZ_ASSERT(text_safe(text ? text : "", len));
	free(text);
	free(all);
	tbuf_release(&out);
}

static void load_files(const char *const *paths, size_t n)
{
	struct store st;
	store_init(&st);
	struct load_opts o;
	memset(&o, 0, sizeof o);
	o.paths = paths;
	o.npaths = n;
	o.year = 2026; /* not the memfd's mtime: runs must repeat */
	o.threads = 2;
	if (load_expand(&st, &o, NULL) > 0) {
		FUZZ_ASSERT(load_run(&st, &o, NULL) == 0);
		read_store(&st);
	}
	store_release(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		setenv("TZ", "UTC", 1);
		parser_init_all();
		ready = 1;
	}
	char a[64], b[64];
	int fa = memfile(data, size, a, sizeof a);
	const char *one[1] = {a};
	load_files(one, 1);
	close(fa);

	/* cut after the first newline past the middle */
	size_t cut = size / 2;
	while (cut < size && data[cut] != '\n')
		cut++;
	if (cut < size)
		cut++;
	fa = memfile(data, cut, a, sizeof a);
	int fb = memfile(data + cut, size - cut, b, sizeof b);
	const char *two[2] = {a, b};
	load_files(two, 2);
	close(fa);
	close(fb);
	return 0;
}
