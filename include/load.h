/*
 * load.h - from paths on the command line to a filled store.
 *
 * The loader expands paths (files, directories, globs, "-"), detects each
 * file's format, orders files by their first time stamp, splits the work
 * into units (a gzip file, or a 64 MiB range of a plain file) parsed on
 * worker threads, and merges the parsed lines of all files in time order
 * into the correlator on the calling thread.  Memory stays bounded: workers
 * pause when the merger falls behind, unless the merger is waiting for
 * them.
 */
#ifndef MAILTRAIL_LOAD_H
#define MAILTRAIL_LOAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "tbuf.h"

struct load_opts {
	const char *const *paths;  /* NULL/0: the standard log locations */
	size_t npaths;
	const char *format;        /* force a format by name, NULL = detect */
	int year;                  /* year for stamps without one, 0 = infer */
	int threads;               /* worker threads, 0 = one per core (max 8) */
};

struct load_progress {
	atomic_uint_fast64_t bytes_done;   /* input bytes read (compressed) */
	atomic_uint_fast64_t bytes_total;
	atomic_uint files_done;
	atomic_uint files_total;
	atomic_int finished;
	atomic_int cancel;                 /* set by the caller to stop early */
};

/* Expand paths into the list of files to read, appended to st->files with
 * their sources opened (or file_info.error set).  notes gets one line per
 * standard location used when paths is empty.  Returns the number of
 * files, 0 when nothing could be found. */
size_t load_expand(struct store *st, const struct load_opts *o, struct tbuf *notes);

/* Read every file of st->files into the store.  progress may be NULL.
 * Returns 0; per-file problems are in st->files[i] (error, counts,
 * samples).  Sets st->loading while it runs. */
int load_run(struct store *st, const struct load_opts *o, struct load_progress *progress);

#endif
