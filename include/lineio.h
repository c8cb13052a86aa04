/*
 * lineio.h - reading log sources line by line, and re-reading one line
 * later from its byte offset.
 *
 * A source is a plain file, a gzip file (detected by magic bytes, any
 * number of concatenated members) or standard input (kept in memory, since
 * it cannot be read twice).  Files are opened read-only and never written.
 *
 * The store keeps only the byte offset of each line.  To show raw text
 * later, gzip sources remember "access points" while they are first read
 * (every LINEIO_SPAN bytes of output: the compressed position plus zlib's
 * 32 KiB window), so a re-read inflates at most LINEIO_SPAN bytes instead
 * of the whole file.  Line numbers are likewise recovered from sparse
 * marks instead of being stored per line.
 */
#ifndef MAILTRAIL_LINEIO_H
#define MAILTRAIL_LINEIO_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "tbuf.h"

#define LINEIO_SPAN (4u << 20)      /* bytes of output between access points */
#define LINEIO_MAX_LINE (64u << 10) /* longer lines are cut for parsing */
#define LINEIO_BLOCK (1u << 20)     /* read/inflate block */

enum source_kind { SOURCE_PLAIN, SOURCE_GZIP, SOURCE_MEMORY };

struct gz_point {
	uint64_t in_off;    /* compressed byte offset of the next input byte */
	uint64_t out_off;   /* uncompressed offset this point restores to */
	uint64_t line;      /* newlines before out_off */
	int bits;           /* unused bits of the byte before in_off; -1: a gzip
			     * member header starts at in_off */
	unsigned char *window; /* the 32 KiB dictionary, deflated (a window of
				* log text shrinks 4-5 times; NULL for member
				* starts) */
	unsigned window_len;   /* dictionary bytes when inflated */
	unsigned window_zlen;  /* bytes at window */
};

struct line_mark {
	uint64_t offset;    /* start of a line */
	uint64_t line;      /* its 0-based line index */
};

struct source {
	char *path;           /* as the user named it; "-" for stdin */
	enum source_kind kind;
	uint64_t size;        /* on-disk (compressed) size at open */
	int64_t mtime;        /* seconds; now for stdin */
	unsigned char *mem;   /* SOURCE_MEMORY: the whole content */
	uint64_t mem_len;

	pthread_mutex_t lock; /* guards points/marks while loading goes on */
	struct gz_point *points;
	size_t npoints, points_cap;
	struct line_mark *marks;
	size_t nmarks, marks_cap;
};

/* Set up a source for path (not opened yet). "-" means stdin: its whole
 * content is read into memory now (gzip is inflated).  Returns 0, or -1
 * with a message in err; on error src holds nothing to release. */
int source_open(struct source *src, const char *path, char *err, size_t errlen);
void source_release(struct source *src);

/* One pass over [start, end) of a source, line by line.  A line belongs to
 * the range its first byte falls in; end = UINT64_MAX reads to EOF.  Only
 * a reader started at 0 of a gzip source can record access points (the
 * whole stream goes through it). */
struct line_reader {
	struct source *src;
	int fd;
	int eof;
	uint64_t start, end;
	unsigned char *buf;     /* LINEIO_BLOCK + LINEIO_MAX_LINE + 1 */
	size_t buf_len, pos;    /* valid bytes, next unread */
	uint64_t buf_off;       /* uncompressed offset of buf[0] */
	uint64_t in_off;        /* compressed bytes consumed (gzip) */
	uint64_t lines;         /* lines returned so far */
	uint64_t next_mark;     /* next uncompressed offset for a line mark */
	void *z;                /* z_stream for gzip */
	uint64_t next_point;    /* next output offset for an access point */
	int record;             /* record access points and marks */
	int skip;               /* 0, or discarding up to the next newline:
				 * 1 partial line before the range / tail of a
				 * cut line, 2 first decide from the byte before */
	int cut;                /* the last line returned was cut */
	unsigned char *inbuf;   /* gzip input */
	uint64_t read_off;      /* next compressed byte to read from the file */
	struct line_mark *marks;/* range-relative marks (plain and memory) */
	size_t nmarks, marks_cap;
	char error[256];        /* set when the pass ended on an error */
	uint64_t bytes_in;      /* input bytes consumed (for progress) */
};

/* Start a pass.  record: keep gzip access points in the source, and line
 * marks in r->marks with line numbers relative to the range start (the
 * loader passes them to source_add_marks once it knows the range's first
 * line number).  Returns
 * 0, or -1 with r->error set. */
int line_reader_open(struct line_reader *r, struct source *src, uint64_t start, uint64_t end,
		     int record);

/* Next line: *line is NUL-terminated at *len (no '\n', no trailing '\r');
 * it may contain NUL bytes.  *offset is its uncompressed byte offset.
 * Over-long lines are cut at LINEIO_MAX_LINE (r->cut is then set).  Returns 1, or 0 at the end of the range or on an
 * error (r->error non-empty: truncated gzip, read error ...; everything
 * before it was delivered). */
int line_reader_next(struct line_reader *r, const char **line, size_t *len, uint64_t *offset);

void line_reader_close(struct line_reader *r);

/* Add marks recorded by a range reader whose first line has absolute
 * index base (the loader knows base once earlier ranges are done). */
void source_add_marks(struct source *src, const struct line_mark *marks, size_t n, uint64_t base);

/*
 * Re-read lines by offset.  offsets must be sorted ascending; for each,
 * the raw line (cut at LINEIO_MAX_LINE) is appended to out[i] (which the
 * caller initialised) and its 1-based line number stored in lineno[i]
 * (0 when unknown).  Returns 0, or -1 with err set (the file changed or
 * vanished); lines fetched before the failure are kept.  Thread-safe with
 * respect to a concurrent first pass.
 */
int source_fetch_lines(struct source *src, const uint64_t *offsets, size_t n,
		       struct tbuf *out, uint64_t *lineno, char *err, size_t errlen);

#endif
