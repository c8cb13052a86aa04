/*
 * fuzz_lineio.c - libFuzzer target: the line reader (lineio.h) over every
 * kind of source, and re-reading lines by offset.
 *
 * One input is read five ways, each through source_open() as the program
 * does (files are memfds named by /proc/self/fd/N, created once per run
 * and rewritten per input, so nothing touches the disk):
 *   B  a plain file holding the input (gzip when the input starts with
 *      the gzip magic, so whole .gz seeds are fuzzed as files);
 *   C  a gzip member header followed by the input, so the fuzzer writes
 *      the deflate stream and trailer itself (corrupt gzip);
 *   D  the input compressed here with zlib as 1-3 concatenated gzip
 *      members (level, strategy and split points from a hash of the
 *      input); one input in 32 (of long lines) is first repeated past
 *      LINEIO_SPAN so the reader records real access points (with window
 *      and bit offset);
 *   E  standard input holding the input (fd 0 is pointed at a memfd);
 *   F  standard input holding D's gzip bytes (not when repeated).
 *
 * Key design decision: where the uncompressed content is known (B plain,
 * D, E plain, F) the lines are checked against it byte for byte: offsets
 * partition the content, text is the line minus one trailing CR, cut at
 * LINEIO_MAX_LINE (and flagged cut only when longer).  Plain sources are also read as 1-4 ranges (as the
 * loader's parallel units do) and the ranges together must give exactly
 * the lines of the whole pass; the range marks are added in reverse order
 * (units may finish out of order).  Every source is then re-read with
 * source_fetch_lines at the offsets of its lines (sorted, some twice) and
 * must give the same text and the right 1-based line number; known
 * content is also fetched at arbitrary offsets.  (Every reader pass costs
 * a fresh 1 MiB buffer, which ASan maps and unmaps, so the range check
 * runs on B or E, by a bit of the hash, not on both.)
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz.h"
#include "lineio.h"
#include "tbuf.h"

#define COLLECT_MAX (8u << 20)  /* line bytes kept per pass (gzip bombs) */
#define REPEAT_TO (LINEIO_SPAN + LINEIO_SPAN / 16)
#define FETCH_SAMPLE 64         /* offsets re-read per source at most */

struct got {
	uint64_t off;
	char *text;
	size_t len;
	int cut;
};

struct pass {
	struct got *v;
	size_t n, cap;
	size_t bytes;
	int stopped;            /* COLLECT_MAX reached, pass not finished */
	int open_failed;
	char error[256];
	struct line_mark *marks;
	size_t nmarks;
};

static uint64_t hash64(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

/* Newlines in p[0..n), with memchr: a byte loop here would be most of
 * the run time under coverage instrumentation. */
static uint64_t count_nl(const unsigned char *p, size_t n)
{
	uint64_t k = 0;
	const unsigned char *e = p + n;
	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

static int new_memfd(const char *name, char *path, size_t cap)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0) {
		char tmpl[] = "/tmp/mailtrail-fuzz-XXXXXX";
		fd = mkstemp(tmpl);
		FUZZ_ASSERT(fd >= 0);
		unlink(tmpl);
	}
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

static void put_file(int fd, const void *p, size_t n)
{
	FUZZ_ASSERT(ftruncate(fd, 0) == 0);
	size_t done = 0;
	while (done < n) {
		ssize_t w = pwrite(fd, (const char *)p + done, n - done, (off_t)done);
		FUZZ_ASSERT(w > 0);
		done += (size_t)w;
	}
	FUZZ_ASSERT(lseek(fd, 0, SEEK_SET) == 0);
}

static void pass_free(struct pass *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i].text);
	free(ps->v);
	free(ps->marks);
	memset(ps, 0, sizeof *ps);
}

/* One reader pass over [start, end).  Marks recorded by the reader are
 * kept in ps for the caller to hand to the source. */
static void do_pass(struct source *src, uint64_t start, uint64_t end, int record, struct pass *ps)
{
	memset(ps, 0, sizeof *ps);
	struct line_reader r;
	if (line_reader_open(&r, src, start, end, record) != 0) {
		ps->open_failed = 1;
		snprintf(ps->error, sizeof ps->error, "%s", r.error);
		line_reader_close(&r);
		return;
	}
	const char *line;
	size_t len;
	uint64_t off;
	while (line_reader_next(&r, &line, &len, &off)) {
		FUZZ_ASSERT(len <= LINEIO_MAX_LINE);
		FUZZ_ASSERT(line[len] == '\0');
		FUZZ_ASSERT(r.cut == 0 || r.cut == 1);
		if (ps->n == ps->cap) {
			ps->cap = ps->cap ? ps->cap * 2 : 64;
			ps->v = realloc(ps->v, ps->cap * sizeof *ps->v);
			FUZZ_ASSERT(ps->v);
		}
		struct got *g = &ps->v[ps->n++];
		g->off = off;
		g->text = fuzz_dup(line, len);
		g->len = len;
		g->cut = r.cut;
		ps->bytes += len + 1;
		if (ps->bytes > COLLECT_MAX) {
			ps->stopped = 1;
			break;
		}
	}
	FUZZ_ASSERT(memchr(r.error, '\0', sizeof r.error) != NULL);
	snprintf(ps->error, sizeof ps->error, "%s", r.error);
	ps->marks = r.marks;
	ps->nmarks = r.nmarks;
	r.marks = NULL;
	line_reader_close(&r);
}

/* The lines of ps are exactly the lines of c[0..n). */
static void check_content(const struct pass *ps, const unsigned char *c, size_t n)
{
	FUZZ_ASSERT(!ps->open_failed);
	uint64_t pos = 0;
	for (size_t i = 0; i < ps->n; i++) {
		const struct got *g = &ps->v[i];
		FUZZ_ASSERT(g->off == pos);
		FUZZ_ASSERT(pos < n);
		const unsigned char *nl = memchr(c + pos, '\n', n - pos);
		size_t eol = nl ? (size_t)(nl - c) : n;
		size_t raw = eol - pos;
		size_t want = raw >= LINEIO_MAX_LINE ? LINEIO_MAX_LINE : raw;
		/* Exactly LINEIO_MAX_LINE bytes and a newline is a whole line;
		 * at the end of the input without one it may count as cut. */
		if (raw != LINEIO_MAX_LINE || nl)
			FUZZ_ASSERT(g->cut == (raw > LINEIO_MAX_LINE));
		if (want && c[pos + want - 1] == '\r')
			want--;
		FUZZ_ASSERT(g->len == want);
		FUZZ_ASSERT(memcmp(g->text, c + pos, want) == 0);
		pos = nl ? eol + 1 : n;
	}
	if (!ps->stopped)
		FUZZ_ASSERT(pos == n);
}

static void check_same(const struct pass *a, const struct pass *b)
{
	FUZZ_ASSERT(a->n == b->n);
	for (size_t i = 0; i < a->n; i++) {
		FUZZ_ASSERT(a->v[i].off == b->v[i].off);
		FUZZ_ASSERT(a->v[i].len == b->v[i].len);
		FUZZ_ASSERT(a->v[i].cut == b->v[i].cut);
		FUZZ_ASSERT(memcmp(a->v[i].text, b->v[i].text, a->v[i].len) == 0);
	}
}

/*
 * Read a plain or memory source as k ranges, as the loader's units do
 * (the last one open-ended), and check they give the whole pass's lines.
 * Marks go to the source in reverse order, each range's based on the lines
 * of the ranges before it.
 */
static void check_ranges(struct source *src, size_t size, const struct pass *whole, uint64_t h)
{
	unsigned k = 1 + (unsigned)(h % 4);
	uint64_t cuts[5];
	cuts[0] = 0;
	for (unsigned i = 1; i < k; i++)
		cuts[i] = size ? (h >> (8 * i)) % (size + 1) : 0;
	/* sort the inner cuts */
	for (unsigned i = 1; i < k; i++)
		for (unsigned j = i + 1; j < k; j++)
			if (cuts[j] < cuts[i]) {
				uint64_t t = cuts[i];
				cuts[i] = cuts[j];
				cuts[j] = t;
			}
	struct pass parts[4];
	size_t at = 0;
	uint64_t base[4];
	for (unsigned i = 0; i < k; i++) {
		uint64_t end = i + 1 == k ? UINT64_MAX : cuts[i + 1];
		do_pass(src, cuts[i], end, 1, &parts[i]);
		FUZZ_ASSERT(!parts[i].open_failed);
		FUZZ_ASSERT(parts[i].error[0] == '\0');
		base[i] = at;
		for (size_t j = 0; j < parts[i].n; j++, at++) {
			FUZZ_ASSERT(at < whole->n);
			const struct got *g = &parts[i].v[j], *w = &whole->v[at];
			FUZZ_ASSERT(g->off == w->off);
			FUZZ_ASSERT(g->off >= cuts[i] && g->off < end);
			FUZZ_ASSERT(g->len == w->len && g->cut == w->cut);
			FUZZ_ASSERT(memcmp(g->text, w->text, g->len) == 0);
		}
		for (size_t j = 0; j < parts[i].nmarks; j++)
			FUZZ_ASSERT(parts[i].marks[j].line < parts[i].n);
	}
	FUZZ_ASSERT(at == whole->n);
	for (unsigned i = k; i-- > 0;)
		source_add_marks(src, parts[i].marks, parts[i].nmarks, base[i]);
	for (size_t i = 1; i < src->nmarks; i++)
		FUZZ_ASSERT(src->marks[i - 1].offset <= src->marks[i].offset);
	for (unsigned i = 0; i < k; i++)
		pass_free(&parts[i]);
}

/*
 * Re-read a sample of the pass's lines by offset (ascending, every other
 * one asked twice as two events on one line would).  skip_last: the last
 * line of a damaged gzip may legitimately read differently.
 */
static void check_fetch_lines(struct source *src, const struct pass *ps, uint64_t h,
			      int must_work, int skip_last)
{
	size_t n = ps->n - (skip_last && ps->n ? 1 : 0);
	if (n == 0)
		return;
	size_t step = n > FETCH_SAMPLE ? n / FETCH_SAMPLE + 1 : 1;
	size_t cap = 2 * (n / step + 1), k = 0;
	uint64_t *offs = malloc(cap * sizeof *offs);
	size_t *idx = malloc(cap * sizeof *idx);
	FUZZ_ASSERT(offs && idx);
	for (size_t i = (size_t)(h % step); i < n; i += step) {
		offs[k] = ps->v[i].off;
		idx[k++] = i;
		if ((h >> (i % 61)) & 1) {
			offs[k] = ps->v[i].off;
			idx[k++] = i;
		}
	}
	struct tbuf *out = calloc(k ? k : 1, sizeof *out);
	uint64_t *lineno = calloc(k ? k : 1, sizeof *lineno);
	FUZZ_ASSERT(out && lineno);
	char err[256] = "";
	int rc = source_fetch_lines(src, offs, k, out, lineno, err, sizeof err);
	if (must_work) {
		FUZZ_ASSERT(rc == 0);
	}
	if (rc == 0) {
		for (size_t j = 0; j < k; j++) {
			const struct got *g = &ps->v[idx[j]];
			FUZZ_ASSERT(out[j].len == g->len);
			FUZZ_ASSERT(g->len == 0 || memcmp(out[j].data, g->text, g->len) == 0);
			FUZZ_ASSERT(lineno[j] == idx[j] + 1);
		}
	} else {
		FUZZ_ASSERT(err[0] != '\0');
	}
	for (size_t j = 0; j < k; j++)
		tbuf_release(&out[j]);
	free(out);
	free(lineno);
	free(offs);
	free(idx);
}

/* Fetch content c[0..n) at arbitrary offsets (also mid-line and past the
 * end): the text runs from the offset to the next newline. */
static void check_fetch_any(struct source *src, const unsigned char *c, size_t n, uint64_t h)
{
	uint64_t offs[6];
	size_t k = 0;
	for (unsigned i = 0; i < 6; i++)
		offs[k++] = (h >> (10 * i)) % (n + 3);
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++)
			if (offs[j] < offs[i]) {
				uint64_t t = offs[i];
				offs[i] = offs[j];
				offs[j] = t;
			}
	struct tbuf out[6];
	uint64_t lineno[6];
	for (size_t i = 0; i < k; i++)
		tbuf_init(&out[i]);
	char err[256] = "";
	int rc = source_fetch_lines(src, offs, k, out, lineno, err, sizeof err);
	FUZZ_ASSERT(rc == 0);
	uint64_t nls = 0, counted_to = 0;
	for (size_t i = 0; i < k; i++) {
		if (offs[i] < n) {
			const unsigned char *nl = memchr(c + offs[i], '\n', n - offs[i]);
			size_t raw = nl ? (size_t)(nl - c) - offs[i] : n - offs[i];
			size_t want = raw > LINEIO_MAX_LINE ? LINEIO_MAX_LINE : raw;
			if (want && c[offs[i] + want - 1] == '\r')
				want--;
			FUZZ_ASSERT(out[i].len == want);
			FUZZ_ASSERT(want == 0 || memcmp(out[i].data, c + offs[i], want) == 0);
		}
		if (offs[i] <= n) {
			nls += count_nl(c + counted_to, (size_t)(offs[i] - counted_to));
			counted_to = offs[i];
			FUZZ_ASSERT(lineno[i] == nls + 1);
		}
		tbuf_release(&out[i]);
	}
}

/*
 * Everything done with one opened source.  content: the uncompressed
 * bytes when known (the source is then well formed), else NULL.
 */
static void exercise(struct source *src, const unsigned char *content, size_t clen, uint64_t h,
		     int ranges)
{
	struct pass whole;
	do_pass(src, 0, UINT64_MAX, 1, &whole);
	if (content) {
		check_content(&whole, content, clen);
		FUZZ_ASSERT(whole.error[0] == '\0');
	}
	if (src->kind == SOURCE_GZIP) {
		/* Without recording, inflate runs with Z_NO_FLUSH instead of
		 * Z_BLOCK: the lines must not change. */
		struct pass plain;
		do_pass(src, 0, UINT64_MAX, 0, &plain);
		if (!whole.stopped && !plain.stopped)
			check_same(&whole, &plain);
		pass_free(&plain);
		for (size_t i = 1; i < src->npoints; i++)
			FUZZ_ASSERT(src->points[i - 1].out_off <= src->points[i].out_off);
	} else if (ranges && content && clen <= (1u << 20)) {
		check_ranges(src, clen, &whole, h);
	} else {
		source_add_marks(src, whole.marks, whole.nmarks, 0);
	}
	if (!whole.open_failed) {
		check_fetch_lines(src, &whole, h, content != NULL, content == NULL);
		if (content)
			check_fetch_any(src, content, clen, h);
	}
	pass_free(&whole);
}

static void open_and_exercise(const char *path, const unsigned char *content, size_t clen,
			      uint64_t h, int ranges)
{
	struct source src;
	char err[256] = "";
	int rc = source_open(&src, path, err, sizeof err);
	FUZZ_ASSERT(rc == 0);
	exercise(&src, content, clen, h, ranges);
	source_release(&src);
}

/* The input compressed as 1-3 gzip members; caller frees. */
static unsigned char *gzip_members(const unsigned char *in, size_t n, uint64_t h, int fast,
				   size_t *outlen)
{
	static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE,
					 Z_FIXED};
	unsigned members = 1 + (unsigned)((h >> 5) % 3);
	size_t cut[4];
	cut[0] = 0;
	cut[members] = n;
	for (unsigned i = 1; i < members; i++)
		cut[i] = (size_t)((h >> (11 * i)) % (n + 1));
	for (unsigned i = 1; i < members; i++)
		for (unsigned j = i + 1; j < members; j++)
			if (cut[j] < cut[i]) {
				size_t t = cut[i];
				cut[i] = cut[j];
				cut[j] = t;
			}
	/* (a big input at level 9 would cost more than all the checks) */
	int level = fast ? 1 : (int)((h >> 40) % 10);
	int strategy = strategies[(h >> 44) % 5];
	size_t cap = n + n / 8 + 64 * members + 1024, len = 0;
	unsigned char *out = malloc(cap);
	FUZZ_ASSERT(out);
	for (unsigned i = 0; i < members; i++) {
		z_stream z;
		memset(&z, 0, sizeof z);
		FUZZ_ASSERT(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, strategy) == Z_OK);
		size_t bound = deflateBound(&z, (uLong)(cut[i + 1] - cut[i]));
		if (len + bound > cap) {
			cap = len + bound + 1024;
			out = realloc(out, cap);
			FUZZ_ASSERT(out);
		}
		z.next_in = (unsigned char *)in + cut[i];
		z.avail_in = (uInt)(cut[i + 1] - cut[i]);
		z.next_out = out + len;
		z.avail_out = (uInt)(cap - len);
		FUZZ_ASSERT(deflate(&z, Z_FINISH) == Z_STREAM_END);
		len += z.total_out;
		deflateEnd(&z);
	}
	*outlen = len;
	return out;
}

/* A memory source made the way "-" is read: fd 0 points at the bytes. */
static void stdin_source(int fd_in, const void *bytes, size_t n, struct source *src)
{
	put_file(fd_in, bytes, n);
	FUZZ_ASSERT(dup2(fd_in, 0) == 0);
	char err[256] = "";
	FUZZ_ASSERT(source_open(src, "-", err, sizeof err) == 0);
	FUZZ_ASSERT(src->kind == SOURCE_MEMORY);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd_plain = -1, fd_gz, fd_raw, fd_in;
	static char p_plain[64], p_gz[64], p_raw[64], p_in[64];
	if (fd_plain < 0) {
		fd_plain = new_memfd("plain", p_plain, sizeof p_plain);
		fd_gz = new_memfd("gz", p_gz, sizeof p_gz);
		fd_raw = new_memfd("rawgz", p_raw, sizeof p_raw);
		fd_in = new_memfd("stdin", p_in, sizeof p_in);
	}
	uint64_t h = hash64(data, size);
	char *input = fuzz_dup(data, size);
	const unsigned char *in = (const unsigned char *)input;
	int magic = size >= 2 && in[0] == 0x1f && in[1] == 0x8b;

	/* B: the input as a file */
	put_file(fd_plain, in, size);
	open_and_exercise(p_plain, magic ? NULL : in, size, h, (h >> 3) & 1);

	/* C: the input as the deflate data of a gzip member */
	static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	unsigned char *raw = malloc(sizeof hdr + size);
	FUZZ_ASSERT(raw);
	memcpy(raw, hdr, sizeof hdr);
	memcpy(raw + sizeof hdr, in, size);
	put_file(fd_raw, raw, sizeof hdr + size);
	free(raw);
	open_and_exercise(p_raw, NULL, 0, h, 0);

	/* D: the content gzip-compressed (repeated past an access point
	 * span now and then) */
	const unsigned char *content = in;
	size_t clen = size;
	unsigned char *big = NULL;
	uint64_t newlines = count_nl(in, size);
	/* (only for inputs of long lines: millions of tiny lines would make
	 * the check, not the reader, the cost) */
	if ((h & 31) == 7 && size > 0 && newlines * 64 <= size) {
		big = malloc(REPEAT_TO + size);
		FUZZ_ASSERT(big);
		for (clen = 0; clen < REPEAT_TO; clen += size)
			memcpy(big + clen, in, size);
		content = big;
	}
	size_t gzlen;
	unsigned char *gz = gzip_members(content, clen, h, big != NULL, &gzlen);
	put_file(fd_gz, gz, gzlen);
	open_and_exercise(p_gz, content, clen, h, 0);

	/* E: the input on standard input */
	struct source src;
	stdin_source(fd_in, in, size, &src);
	if (!magic) {
		FUZZ_ASSERT(src.mem_len == size);
		FUZZ_ASSERT(size == 0 || memcmp(src.mem, in, size) == 0);
	}
	exercise(&src, magic ? NULL : in, size, h, !((h >> 3) & 1));
	source_release(&src);

	/* F: the compressed content on standard input (not the repeated
	 * one: D covers access points, this covers inflate_all) */
	if (!big) {
		stdin_source(fd_in, gz, gzlen, &src);
		FUZZ_ASSERT(src.mem_len == clen);
		FUZZ_ASSERT(clen == 0 || memcmp(src.mem, content, clen) == 0);
		exercise(&src, content, clen, h, 0);
		source_release(&src);
	}

	free(gz);
	free(big);
	free(input);
	return 0;
}
