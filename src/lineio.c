/*
 * lineio.c - line splitting over plain, gzip and in-memory sources, and
 * random access back into them.
 *
 * The first pass streams: a 1 MiB block is read (or inflated) and split
 * with memchr; a partial line at the end of the block moves to the front
 * before the next refill.  For gzip, inflate runs with Z_BLOCK so it stops
 * at deflate block boundaries, where an access point (input position, bit
 * offset, 32 KiB window from inflateGetDictionary) can be taken - the
 * approach of zlib's zran example, written here from its description.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "i18n.h"
#include "lineio.h"
#include "xalloc.h"

#define WINDOW_SIZE 32768u
#define MARK_SPAN (4u << 20)

static void set_err(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	if (err && errlen)
		snprintf(err, errlen, fmt, a, b);
}

static int is_gzip_magic(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* Inflate a whole in-memory gzip (stdin) into a new buffer. */
static int inflate_all(const unsigned char *in, size_t n, unsigned char **out, uint64_t *outlen,
		       char *err, size_t errlen)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK) {
		set_err(err, errlen, "%s%s", "cannot start gzip decoder", "");
		return -1;
	}
	size_t cap = n * 4 + 4096, len = 0;
	unsigned char *buf = xmalloc(cap);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	int rc = Z_OK;
	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		z.next_out = buf + len;
		z.avail_out = (uInt)(cap - len > UINT32_MAX ? UINT32_MAX : cap - len);
		uInt before = z.avail_out;
		rc = inflate(&z, Z_NO_FLUSH);
		len += before - z.avail_out;
		if (rc == Z_STREAM_END) {
			if (z.avail_in >= 2 && is_gzip_magic(z.next_in, z.avail_in)) {
				inflateReset(&z);
				continue;
			}
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			break;
		if (rc == Z_BUF_ERROR && z.avail_in == 0)
			break;
	}
	if (rc != Z_STREAM_END)
		set_err(err, errlen, "gzip data on standard input is %s%s; reading what was decoded",
			rc == Z_BUF_ERROR ? "truncated" : "corrupt", "");
	inflateEnd(&z);
	*out = buf;
	*outlen = len;
	return 0;
}

int source_open(struct source *src, const char *path, char *err, size_t errlen)
{
	memset(src, 0, sizeof *src);
	pthread_mutex_init(&src->lock, NULL);
	src->path = xstrdup(path);
	if (strcmp(path, "-") == 0) {
		size_t cap = 1 << 20, len = 0;
		unsigned char *buf = xmalloc(cap);
		for (;;) {
			if (len == cap) {
				cap *= 2;
				buf = xrealloc(buf, cap);
			}
			ssize_t r = read(0, buf + len, cap - len);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			len += (size_t)r;
		}
		src->kind = SOURCE_MEMORY;
		src->mtime = time(NULL);
		src->size = len;
		if (is_gzip_magic(buf, len)) {
			unsigned char *out = NULL;
			uint64_t outlen = 0;
			if (inflate_all(buf, len, &out, &outlen, err, errlen) == 0) {
				free(buf);
				buf = out;
				len = outlen;
			}
		}
		src->mem = buf;
		src->mem_len = len;
		return 0;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		source_release(src);
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		set_err(err, errlen, "%s: %s", path, S_ISDIR(st.st_mode) ? _("is a directory") :
			_("not a regular file (pipes and devices: use - for standard input)"));
		close(fd);
		source_release(src);
		return -1;
	}
	unsigned char magic[2];
	ssize_t r = pread(fd, magic, 2, 0);
	close(fd);
	src->kind = is_gzip_magic(magic, r > 0 ? (size_t)r : 0) ? SOURCE_GZIP : SOURCE_PLAIN;
	src->size = (uint64_t)st.st_size;
	src->mtime = st.st_mtime;
	return 0;
}

void source_release(struct source *src)
{
	for (size_t i = 0; i < src->npoints; i++)
		free(src->points[i].window);
	free(src->points);
	free(src->marks);
	free(src->mem);
	free(src->path);
	pthread_mutex_destroy(&src->lock);
	memset(src, 0, sizeof *src);
}

/* --- first pass ---------------------------------------------------------- */

static void add_point(struct source *src, z_stream *z, uint64_t in_off, uint64_t out_off,
		      uint64_t line, int bits)
{
	struct gz_point p;
	memset(&p, 0, sizeof p);
	p.in_off = in_off;
	p.out_off = out_off;
	p.line = line;
	p.bits = bits;
	if (bits >= 0) {
		unsigned char window[WINDOW_SIZE];
		uInt wl = WINDOW_SIZE;
		if (inflateGetDictionary(z, window, &wl) != Z_OK)
			return;
		/* Kept deflated: one point per 4 MiB, so uncompressed windows
		 * would be ~0.8% of the log's size in memory. */
		uLongf zl = compressBound(wl);
		unsigned char *packed = xmalloc(zl);
		if (compress2(packed, &zl, window, wl, 1) != Z_OK) {
			free(packed);
			return;
		}
		p.window = xrealloc(packed, zl ? zl : 1);
		p.window_len = wl;
		p.window_zlen = (unsigned)zl;
	}
	pthread_mutex_lock(&src->lock);
	if (src->npoints == src->points_cap) {
		src->points_cap = src->points_cap ? src->points_cap * 2 : 16;
		src->points = xrealloc(src->points, src->points_cap * sizeof *src->points);
	}
	src->points[src->npoints++] = p;
	pthread_mutex_unlock(&src->lock);
}

int line_reader_open(struct line_reader *r, struct source *src, uint64_t start, uint64_t end,
		     int record)
{
	memset(r, 0, sizeof *r);
	r->src = src;
	r->fd = -1;
	r->start = start;
	r->end = end;
	r->record = record;
	r->next_mark = start;
	r->buf = xmalloc(LINEIO_BLOCK + LINEIO_MAX_LINE + 1);
	if (src->kind == SOURCE_GZIP) {
		/* Deflate cannot be entered mid-stream without an access
		 * point, so a gzip range is always the whole file. */
		r->start = start = 0;
		r->end = UINT64_MAX;
	}
	if (src->kind != SOURCE_MEMORY) {
		r->fd = open(src->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (r->fd < 0) {
			snprintf(r->error, sizeof r->error, "cannot open: %s", strerror(errno));
			return -1;
		}
	}
	if (src->kind == SOURCE_GZIP) {
		z_stream *z = xcalloc(1, sizeof *z);
		if (inflateInit2(z, 15 + 16) != Z_OK) {
			free(z);
			snprintf(r->error, sizeof r->error, "cannot start the gzip decoder");
			return -1;
		}
		r->z = z;
		r->inbuf = xmalloc(1 << 16);
		if (record)
			add_point(src, z, 0, 0, 0, -1);
		r->next_point = LINEIO_SPAN;
		return 0;
	}
	if (start > 0) {
		/* Start one byte early: that byte tells whether a line begins
		 * at start; if not, the partial line belongs to the range
		 * before and is skipped. */
		r->buf_off = start - 1;
		r->skip = 2;
		if (src->kind == SOURCE_PLAIN && lseek(r->fd, (off_t)(start - 1), SEEK_SET) < 0) {
			snprintf(r->error, sizeof r->error, "cannot seek: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Newlines before buf[upto]: those already passed plus those in
 * buf[pos..upto).  Inside the dropped tail of a cut line (skip == 1) that
 * line was counted when its head was handed out, but its newline is still
 * ahead (in the range, or after it). */
static uint64_t lines_before(const struct line_reader *r, size_t upto)
{
	uint64_t nl = 0;
	const unsigned char *q = r->buf + r->pos, *qe = r->buf + upto;
	while (q < qe && (q = memchr(q, '\n', (size_t)(qe - q))) != NULL) {
		nl++;
		q++;
	}
	return r->lines - (r->skip == 1 ? 1 : 0) + nl;
}

static size_t refill_gzip(struct line_reader *r, size_t room)
{
	z_stream *z = r->z;
	unsigned char *out = r->buf + r->buf_len;
	size_t produced = 0;
	while (produced < room) {
		if (z->avail_in == 0) {
			ssize_t n;
			do
				n = pread(r->fd, r->inbuf, 1 << 16, (off_t)r->read_off);
			while (n < 0 && errno == EINTR);
			if (n < 0) {
				snprintf(r->error, sizeof r->error, "read error: %s", strerror(errno));
				r->eof = 1;
				break;
			}
			if (n == 0) {
				snprintf(r->error, sizeof r->error,
					 _("gzip data is truncated at byte %llu (the file was cut short or "
					 "is still being written); the lines before it were read"),
					 (unsigned long long)r->in_off);
				r->eof = 1;
				break;
			}
			r->read_off += (uint64_t)n;
			z->next_in = r->inbuf;
			z->avail_in = (uInt)n;
		}
		uInt in_before = z->avail_in;
		z->next_out = out + produced;
		z->avail_out = (uInt)(room - produced);
		uInt out_before = z->avail_out;
		int rc = inflate(z, r->record ? Z_BLOCK : Z_NO_FLUSH);
		produced += out_before - z->avail_out;
		r->in_off += in_before - z->avail_in;
		r->bytes_in += in_before - z->avail_in;
		if (rc == Z_STREAM_END) {
			/* Concatenated members read as one stream. */
			unsigned char magic[2];
			size_t have = 0;
			if (z->avail_in >= 2) {
				memcpy(magic, z->next_in, 2);
				have = 2;
			} else {
				ssize_t m = pread(r->fd, magic, 2, (off_t)r->in_off);
				have = m > 0 ? (size_t)m : 0;
			}
			if (have == 2 && is_gzip_magic(magic, 2)) {
				inflateReset(z);
				if (r->record)
					add_point(r->src, z, r->in_off, r->buf_off + r->buf_len + produced,
						  lines_before(r, r->buf_len + produced), -1);
				continue;
			}
			if (have > 0) {
				unsigned long long junk = r->src->size > r->in_off ?
								  r->src->size - r->in_off : 0;
				snprintf(r->error, sizeof r->error,
					 P_("%llu byte after the end of the gzip data is not gzip and "
					    "was ignored",
					    "%llu bytes after the end of the gzip data are not gzip and "
					    "were ignored",
					    junk),
					 junk);
			}
			r->eof = 1;
			break;
		}
		if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR ||
		    rc == Z_STREAM_ERROR) {
			snprintf(r->error, sizeof r->error,
				 _("gzip data is corrupt near byte %llu (%s); the lines before it were "
				 "read"), (unsigned long long)r->in_off, z->msg ? z->msg : "inflate error");
			r->eof = 1;
			break;
		}
		if (r->record && (z->data_type & 128) && !(z->data_type & 64)) {
			uint64_t out_off = r->buf_off + r->buf_len + produced;
			if (out_off >= r->next_point) {
				add_point(r->src, z, r->in_off, out_off,
					  lines_before(r, r->buf_len + produced), z->data_type & 7);
				r->next_point = out_off + LINEIO_SPAN;
			}
		}
		if (produced > 0 && z->avail_in == 0)
			break; /* hand out what we have before blocking on read */
	}
	return produced;
}

/* Append up to room new bytes at buf + buf_len; 0 at EOF or error. */
static size_t refill(struct line_reader *r, size_t room)
{
	struct source *src = r->src;
	if (r->eof)
		return 0;
	if (src->kind == SOURCE_GZIP)
		return refill_gzip(r, room);
	if (src->kind == SOURCE_MEMORY) {
		uint64_t at = r->buf_off + r->buf_len;
		if (at >= src->mem_len) {
			r->eof = 1;
			return 0;
		}
		size_t n = src->mem_len - at < room ? (size_t)(src->mem_len - at) : room;
		memcpy(r->buf + r->buf_len, src->mem + at, n);
		r->bytes_in += n;
		return n;
	}
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->buf_len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(r->error, sizeof r->error, "read error: %s", strerror(errno));
			r->eof = 1;
			return 0;
		}
		if (n == 0)
			r->eof = 1;
		r->bytes_in += (uint64_t)n;
		return (size_t)n;
	}
}

static void reader_mark(struct line_reader *r, uint64_t off)
{
	if (r->nmarks == r->marks_cap) {
		r->marks_cap = r->marks_cap ? r->marks_cap * 2 : 16;
		r->marks = xrealloc(r->marks, r->marks_cap * sizeof *r->marks);
	}
	r->marks[r->nmarks].offset = off;
	r->marks[r->nmarks].line = r->lines;
	r->nmarks++;
	r->next_mark = off + MARK_SPAN;
}

int line_reader_next(struct line_reader *r, const char **line, size_t *len, uint64_t *offset)
{
	for (;;) {
		unsigned char *p = r->buf + r->pos;
		size_t avail = r->buf_len - r->pos;
		if (r->skip == 2 && avail > 0) {
			r->pos++;
			r->skip = p[0] == '\n' ? 0 : 1;
			continue;
		}
		unsigned char *nl = avail ? memchr(p, '\n', avail) : NULL;
		if (r->skip == 1) {
			if (nl) {
				r->pos = (size_t)(nl - r->buf) + 1;
				r->skip = 0;
				continue;
			}
			r->pos = r->buf_len;
		} else if (nl || (r->eof && avail > 0) || avail > LINEIO_MAX_LINE) {
			uint64_t off = r->buf_off + r->pos;
			if (off >= r->end)
				return 0;
			size_t n = nl ? (size_t)(nl - p) : avail;
			r->cut = 0;
			/* (a last line of exactly LINEIO_MAX_LINE bytes and no
			 * newline arrives whole: more bytes were read to see) */
			if (n > LINEIO_MAX_LINE) {
				/* Hand out the head of an over-long line, drop
				 * the rest up to its newline. */
				n = LINEIO_MAX_LINE;
				r->cut = 1;
				if (nl) {
					r->pos = (size_t)(nl - r->buf) + 1;
				} else {
					r->pos += n;
					r->skip = 1;
				}
			} else {
				r->pos += n + (nl ? 1 : 0);
			}
			if (r->record && r->src->kind != SOURCE_GZIP && off >= r->next_mark)
				reader_mark(r, off);
			r->lines++;
			if (n && p[n - 1] == '\r')
				n--;
			p[n] = '\0';
			*line = (const char *)p;
			*len = n;
			*offset = off;
			return 1;
		}
		if (r->eof)
			return 0;
		size_t rest = r->buf_len - r->pos;
		if (rest && r->pos)
			memmove(r->buf, r->buf + r->pos, rest);
		r->buf_off += r->pos;
		r->pos = 0;
		r->buf_len = rest;
		size_t room = LINEIO_BLOCK + LINEIO_MAX_LINE - rest;
		if (room > LINEIO_BLOCK)
			room = LINEIO_BLOCK;
		r->buf_len += refill(r, room);
	}
}

void line_reader_close(struct line_reader *r)
{
	if (r->z) {
		inflateEnd(r->z);
		free(r->z);
	}
	if (r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r->inbuf);
	free(r->marks);
	memset(r, 0, sizeof *r);
	r->fd = -1;
}

void source_add_marks(struct source *src, const struct line_mark *marks, size_t n, uint64_t base)
{
	pthread_mutex_lock(&src->lock);
	for (size_t i = 0; i < n; i++) {
		if (src->nmarks == src->marks_cap) {
			src->marks_cap = src->marks_cap ? src->marks_cap * 2 : 64;
			src->marks = xrealloc(src->marks, src->marks_cap * sizeof *src->marks);
		}
		struct line_mark m = marks[i];
		m.line += base;
		/* keep sorted: ranges may finish out of order */
		size_t at = src->nmarks;
		while (at > 0 && src->marks[at - 1].offset > m.offset)
			at--;
		memmove(src->marks + at + 1, src->marks + at, (src->nmarks - at) * sizeof m);
		src->marks[at] = m;
		src->nmarks++;
	}
	pthread_mutex_unlock(&src->lock);
}

/* --- random access ------------------------------------------------------- */

/* A forward-only reader positioned at an uncompressed offset with a known
 * line number; restarted from the nearest access point or mark when a
 * target lies behind it or far ahead. */
struct cursor {
	struct source *src;
	int fd;
	uint64_t pos;          /* uncompressed offset of the next byte */
	uint64_t line;         /* newlines before pos */
	int line_known;
	z_stream z;
	int z_live;
	unsigned char in[1 << 15];
	uint64_t in_off;       /* next compressed byte to read */
	unsigned char out[1 << 16];
	size_t out_len, out_pos;
	unsigned fills;        /* blocks loaded into out[] so far */
};

static void cursor_stop_z(struct cursor *c)
{
	if (c->z_live)
		inflateEnd(&c->z);
	c->z_live = 0;
}

/* Position the cursor at or before target. */
static int cursor_seek(struct cursor *c, uint64_t target, char *err, size_t errlen)
{
	struct source *src = c->src;
	c->out_len = c->out_pos = 0;
	if (src->kind != SOURCE_GZIP) {
		/* Nearest mark at or before target gives the line number. */
		pthread_mutex_lock(&src->lock);
		size_t lo = 0, hi = src->nmarks;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (src->marks[mid].offset <= target)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0) {
			c->pos = src->marks[lo - 1].offset;
			c->line = src->marks[lo - 1].line;
			c->line_known = 1;
		} else {
			c->pos = 0;
			c->line = 0;
			c->line_known = 1;
		}
		pthread_mutex_unlock(&src->lock);
		return 0;
	}
	pthread_mutex_lock(&src->lock);
	size_t lo = 0, hi = src->npoints;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (src->points[mid].out_off <= target)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		pthread_mutex_unlock(&src->lock);
		set_err(err, errlen, "%s%s", "no access point for this offset (the file is still "
			"being loaded)", "");
		return -1;
	}
	struct gz_point pt = src->points[lo - 1];
	unsigned char window[WINDOW_SIZE];
	uLongf wl = sizeof window;
	if (pt.window && (uncompress(window, &wl, pt.window, pt.window_zlen) != Z_OK ||
			  wl != pt.window_len)) {
		pthread_mutex_unlock(&src->lock);
		set_err(err, errlen, "%s%s", "an access point of this file is damaged", "");
		return -1;
	}
	pthread_mutex_unlock(&src->lock);

	cursor_stop_z(c);
	memset(&c->z, 0, sizeof c->z);
	if (inflateInit2(&c->z, pt.bits < 0 ? 15 + 16 : -15) != Z_OK) {
		set_err(err, errlen, "%s%s", "cannot start the gzip decoder", "");
		return -1;
	}
	c->z_live = 1;
	c->in_off = pt.in_off;
	if (pt.bits > 0) {
		unsigned char byte;
		if (pread(c->fd, &byte, 1, (off_t)(pt.in_off - 1)) != 1) {
			set_err(err, errlen, "%s%s", "the file changed since it was loaded", "");
			return -1;
		}
		inflatePrime(&c->z, pt.bits, byte >> (8 - pt.bits));
	}
	if (pt.bits >= 0 && pt.window_len)
		inflateSetDictionary(&c->z, window, pt.window_len);
	c->pos = pt.out_off;
	c->line = pt.line;
	c->line_known = 1;
	return 0;
}

/* Make c->out[out_pos..out_len) non-empty; 0 at EOF, -1 on error. */
static int cursor_fill(struct cursor *c, char *err, size_t errlen)
{
	if (c->out_pos < c->out_len)
		return 1;
	c->out_pos = c->out_len = 0;
	c->fills++;
	struct source *src = c->src;
	if (src->kind == SOURCE_MEMORY) {
		if (c->pos >= src->mem_len)
			return 0;
		size_t n = src->mem_len - c->pos < sizeof c->out ? (size_t)(src->mem_len - c->pos)
								  : sizeof c->out;
		memcpy(c->out, src->mem + c->pos, n);
		c->out_len = n;
		return 1;
	}
	if (src->kind == SOURCE_PLAIN) {
		ssize_t n;
		do
			n = pread(c->fd, c->out, sizeof c->out, (off_t)c->pos);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			set_err(err, errlen, "read error: %s%s", strerror(errno), "");
			return -1;
		}
		c->out_len = (size_t)n;
		return n > 0;
	}
	while (c->out_len == 0) {
		if (c->z.avail_in == 0) {
			ssize_t n;
			do
				n = pread(c->fd, c->in, sizeof c->in, (off_t)c->in_off);
			while (n < 0 && errno == EINTR);
			if (n <= 0)
				return 0;
			c->in_off += (uint64_t)n;
			c->z.next_in = c->in;
			c->z.avail_in = (uInt)n;
		}
		c->z.next_out = c->out;
		c->z.avail_out = sizeof c->out;
		int rc = inflate(&c->z, Z_NO_FLUSH);
		c->out_len = sizeof c->out - c->z.avail_out;
		if (rc == Z_STREAM_END) {
			/* Step over the trailer into the next member: find
			 * its header in the remaining input. */
			uint64_t consumed_to = c->in_off - c->z.avail_in;
			inflateEnd(&c->z);
			memset(&c->z, 0, sizeof c->z);
			if (inflateInit2(&c->z, 15 + 16) != Z_OK) {
				c->z_live = 0;
				return c->out_len > 0;
			}
			/* A raw stream (restored from a point) stops before
			 * the 8-byte gzip trailer; a gzip-mode stream stops
			 * after it.  Look for the magic at either place. */
			unsigned char m[10];
			ssize_t got = pread(c->fd, m, sizeof m, (off_t)consumed_to);
			uint64_t next = consumed_to;
			if (got >= 10 && !is_gzip_magic(m, 2) && is_gzip_magic(m + 8, 2))
				next = consumed_to + 8;
			c->in_off = next;
			c->z.avail_in = 0;
			if (got <= 0 || (next == consumed_to && !is_gzip_magic(m, (size_t)got)))
				return c->out_len > 0;
			continue;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			if (c->out_len)
				return 1;
			set_err(err, errlen, "gzip data is corrupt (%s)%s", c->z.msg ? c->z.msg : "", "");
			return -1;
		}
		if (rc == Z_BUF_ERROR && c->out_len == 0 && c->z.avail_in != 0)
			return 0;
	}
	return 1;
}

int source_fetch_lines(struct source *src, const uint64_t *offsets, size_t n,
		       struct tbuf *out, uint64_t *lineno, char *err, size_t errlen)
{
	struct cursor *c = xcalloc(1, sizeof *c);
	c->src = src;
	c->fd = -1;
	int rc = 0;
	if (src->kind != SOURCE_MEMORY) {
		c->fd = open(src->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (c->fd < 0) {
			set_err(err, errlen, "%s: %s", src->path, strerror(errno));
			free(c);
			return -1;
		}
	}
	int positioned = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t target = offsets[i];
		lineno[i] = 0;
		/* Restart only when the target is behind us or a fresh
		 * point/mark would skip a long stretch. */
		if (!positioned || target < c->pos || target - c->pos > 2 * LINEIO_SPAN) {
			if (cursor_seek(c, target, err, errlen) != 0) {
				rc = -1;
				break;
			}
			positioned = 1;
		}
		int fill = 1;
		while (c->pos < target && (fill = cursor_fill(c, err, errlen)) > 0) {
			size_t avail = c->out_len - c->out_pos;
			size_t step = target - c->pos < avail ? (size_t)(target - c->pos) : avail;
			const unsigned char *q = c->out + c->out_pos, *qe = q + step;
			while (q < qe && (q = memchr(q, '\n', (size_t)(qe - q))) != NULL) {
				c->line++;
				q++;
			}
			c->out_pos += step;
			c->pos += step;
		}
		if (fill < 0) {
			rc = -1;
			break;
		}
		lineno[i] = c->line_known ? c->line + 1 : 0;
		/* Copy the line, but do not consume it: the next offset may
		 * be the same line (two events, one line). */
		size_t save_pos = c->out_pos;
		uint64_t save_abs = c->pos;
		unsigned save_fills = c->fills;
		size_t copied = 0;
		int done = 0;
		while (!done && copied < LINEIO_MAX_LINE && (fill = cursor_fill(c, err, errlen)) > 0) {
			const unsigned char *q = c->out + c->out_pos;
			size_t avail = c->out_len - c->out_pos;
			const unsigned char *e = memchr(q, '\n', avail);
			size_t take = e ? (size_t)(e - q) : avail;
			if (copied + take > LINEIO_MAX_LINE)
				take = LINEIO_MAX_LINE - copied;
			tbuf_putn(&out[i], (const char *)q, take);
			copied += take;
			if (e)
				done = 1;
			else {
				/* the line continues in the next block */
				c->out_pos += avail;
				c->pos += avail;
			}
		}
		if (out[i].len && out[i].data[out[i].len - 1] == '\r')
			out[i].data[--out[i].len] = '\0';
		if (c->pos != save_abs)
			positioned = 0; /* crossed blocks: restart next time */
		else if (c->fills == save_fills)
			c->out_pos = save_pos;
		/* else: the line began exactly at a block end; the block now
		 * in out[] starts at pos, and out_pos is 0 already */
	}
	cursor_stop_z(c);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return rc;
}
