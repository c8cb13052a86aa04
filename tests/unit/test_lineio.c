/*
 * test_lineio.c - the line readers (plain, gzip, memory) and random access
 * back into them (source_fetch_lines).
 *
 * Inputs are generated here, byte by byte, from a fixed-seed PRNG, so the
 * expected lines come from a tiny reference splitter over the same bytes
 * (split at '\n', drop one '\r' before it, cut at LINEIO_MAX_LINE), never
 * from the code under test.  Files go to a mkdtemp() directory under /tmp
 * that the teardown removes.  Standard input ("-", a memory source) is
 * simulated by dup2()ing a temporary file onto fd 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lineio.h"
#include "tbuf.h"

/* --- fixtures ------------------------------------------------------------- */

static char tmpdir[64];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/mailtrail-lineio-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *de;
		char p[512];
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(tmpdir);
	return 0;
}

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s ? s : 0x9E3779B97F4A7C15ull;
}

static uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t rng_below(size_t n)
{
	return n ? (size_t)(rng() % n) : 0;
}

struct bytes {
	unsigned char *p;
	size_t n, cap;
};

static void b_put(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		size_t c = b->cap ? b->cap : 4096;
		while (c < b->n + n)
			c *= 2;
		b->p = realloc(b->p, c);
		assert_non_null(b->p);
		b->cap = c;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void b_putc(struct bytes *b, unsigned char c)
{
	b_put(b, &c, 1);
}

static void b_free(struct bytes *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

static void path_of(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const void *p, size_t n)
{
	char path[512];
	path_of(path, sizeof path, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* One gzip member of p[0..n) appended to out. */
static void gz_member(struct bytes *out, const void *p, size_t n, int level)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	unsigned char chunk[1 << 16];
	int rc;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		rc = deflate(&z, Z_FINISH);
		assert_true(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR);
		b_put(out, chunk, sizeof chunk - z.avail_out);
	} while (rc != Z_STREAM_END);
	deflateEnd(&z);
}

/* --- the reference splitter ----------------------------------------------- */

struct ref_line {
	uint64_t off;
	size_t len;     /* after cutting and dropping '\r' */
	int cut;
};

struct ref {
	struct ref_line *v;
	size_t n, cap;
};

/* Lines of data[0..n) as the contract in lineio.h describes them. */
static void ref_split(const unsigned char *data, size_t n, struct ref *out)
{
	memset(out, 0, sizeof *out);
	size_t i = 0;
	while (i < n) {
		const unsigned char *nl = memchr(data + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - data) : n;
		size_t len = end - i;
		int cut = 0;
		if (len > LINEIO_MAX_LINE) {
			len = LINEIO_MAX_LINE;
			cut = 1;
		}
		if (len && data[i + len - 1] == '\r')
			len--;
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 1024;
			out->v = realloc(out->v, out->cap * sizeof *out->v);
			assert_non_null(out->v);
		}
		out->v[out->n++] = (struct ref_line){i, len, cut};
		i = end + 1;
	}
}

/* Generated log-like text: lines of assorted lengths (empty ones too),
 * some CRLF, some with NUL bytes and invalid UTF-8 inside. */
static void gen_lines(struct bytes *b, size_t target, int spice)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789 .:;=<>@[]/-_";
	char head[64];
	size_t k = 0;
	while (b->n < target) {
		int hn = snprintf(head, sizeof head, "L%08zu ", k++);
		b_put(b, head, (size_t)hn);
		size_t len = rng_below(8) == 0 ? 0 : rng_below(rng_below(4) == 0 ? 1200 : 160);
		for (size_t j = 0; j < len; j++)
			b_putc(b, (unsigned char)alpha[rng_below(sizeof alpha - 1)]);
		if (spice) {
			size_t r = rng_below(20);
			if (r == 0)
				b_putc(b, '\0');
			else if (r == 1)
				b_put(b, "\xff\xc3(", 3);
			else if (r == 2)
				b_putc(b, '\r');
		}
		b_putc(b, '\n');
	}
}

struct got_line {
	uint64_t off;
	size_t len;
	int cut;
	unsigned char *text;
};

struct got {
	struct got_line *v;
	size_t n, cap;
	char error[256];
};

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].text);
	free(g->v);
	memset(g, 0, sizeof *g);
}

/* Every line of [start, end) of src, appended to g. */
static void read_range(struct source *src, uint64_t start, uint64_t end, int record, struct got *g)
{
	struct line_reader r;
	assert_int_equal(line_reader_open(&r, src, start, end, record), 0);
	const char *line;
	size_t len;
	uint64_t off;
	uint64_t count = 0;
	while (line_reader_next(&r, &line, &len, &off)) {
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 1024;
			g->v = realloc(g->v, g->cap * sizeof *g->v);
			assert_non_null(g->v);
		}
		assert_int_equal(line[len], '\0');
		struct got_line *gl = &g->v[g->n++];
		gl->off = off;
		gl->len = len;
		gl->cut = r.cut;
		gl->text = malloc(len + 1);
		assert_non_null(gl->text);
		memcpy(gl->text, line, len);
		count++;
	}
	assert_int_equal(r.lines, count);
	snprintf(g->error, sizeof g->error, "%s", r.error);
	line_reader_close(&r);
}

static void ref_free(struct ref *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* Everything a test allocates lives here, so that a failing assertion
 * (which leaves the test by longjmp) leaks nothing: the per-test teardown
 * frees whatever is left. */
static struct {
	struct bytes b, plain, gz, first, second;
	struct ref ref;
	struct got g, g2;
	struct source src, s2;
	size_t *fq_idx;
	uint64_t *fq_offs, *fq_lineno;
	struct tbuf *fq_out;
	size_t fq_n;
} T;

static void fetch_free(void)
{
	for (size_t i = 0; T.fq_out && i < T.fq_n; i++)
		tbuf_release(&T.fq_out[i]);
	free(T.fq_idx);
	free(T.fq_offs);
	free(T.fq_lineno);
	free(T.fq_out);
	T.fq_idx = NULL;
	T.fq_offs = T.fq_lineno = NULL;
	T.fq_out = NULL;
	T.fq_n = 0;
}

static int cleanup(void **state)
{
	(void)state;
	b_free(&T.b);
	b_free(&T.plain);
	b_free(&T.gz);
	b_free(&T.first);
	b_free(&T.second);
	ref_free(&T.ref);
	got_free(&T.g);
	got_free(&T.g2);
	if (T.src.path)
		source_release(&T.src);
	if (T.s2.path)
		source_release(&T.s2);
	fetch_free();
	return 0;
}

/* g must equal the reference lines [from, from + g->n) of data. */
static void check_lines(const struct got *g, const unsigned char *data, const struct ref *ref,
			size_t from, size_t expect_n)
{
	if (g->n != expect_n)
		fail_msg("got %zu lines, want %zu", g->n, expect_n);
	for (size_t i = 0; i < g->n; i++) {
		const struct ref_line *rl = &ref->v[from + i];
		const struct got_line *gl = &g->v[i];
		if (gl->off != rl->off)
			fail_msg("line %zu: offset %llu, want %llu", from + i,
				 (unsigned long long)gl->off, (unsigned long long)rl->off);
		if (gl->len != rl->len)
			fail_msg("line %zu (offset %llu): length %zu, want %zu", from + i,
				 (unsigned long long)rl->off, gl->len, rl->len);
		if (gl->len && memcmp(gl->text, data + rl->off, gl->len) != 0)
			fail_msg("line %zu: text differs", from + i);
		if (gl->cut != rl->cut)
			fail_msg("line %zu: cut=%d, want %d", from + i, gl->cut, rl->cut);
	}
}

static void open_named(struct source *src, const char *name)
{
	char path[512], err[300] = "";
	path_of(path, sizeof path, name);
	if (source_open(src, path, err, sizeof err) != 0)
		fail_msg("source_open(%s): %s", path, err);
}

/* "-" with fd 0 redirected from a temporary file. */
static void open_stdin_from(struct source *src, const char *name, char *err, size_t errlen)
{
	char path[512];
	path_of(path, sizeof path, name);
	int saved = dup(0);
	assert_true(saved >= 0);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_true(dup2(fd, 0) == 0);
	close(fd);
	err[0] = '\0';
	int rc = source_open(src, "-", err, errlen);
	assert_true(dup2(saved, 0) == 0);
	close(saved);
	assert_int_equal(rc, 0);
	assert_int_equal(src->kind, SOURCE_MEMORY);
}

/* --- plain files ---------------------------------------------------------- */

/* Lines straddle the 1 MiB block boundary many times; one line ends
 * exactly at the boundary and the next starts on it. */
static void test_plain_blocks(void **state)
{
	(void)state;
	rng_seed(1);
	gen_lines(&T.b, LINEIO_BLOCK - 4000, 1);
	/* pad so that a '\n' is the last byte of the first block */
	assert_true(T.b.n < LINEIO_BLOCK - 1);
	size_t pad = LINEIO_BLOCK - 1 - T.b.n;
	for (size_t i = 0; i < pad; i++)
		b_putc(&T.b, 'x');
	b_putc(&T.b, '\n');
	assert_int_equal(T.b.n, LINEIO_BLOCK);
	gen_lines(&T.b, 3 * LINEIO_BLOCK + 12345, 1);
	write_file("blocks.log", T.b.p, T.b.n);

	ref_split(T.b.p, T.b.n, &T.ref);
	open_named(&T.src, "blocks.log");
	assert_int_equal(T.src.kind, SOURCE_PLAIN);
	assert_int_equal(T.src.size, T.b.n);
	read_range(&T.src, 0, UINT64_MAX, 0, &T.g);
	assert_string_equal(T.g.error, "");
	check_lines(&T.g, T.b.p, &T.ref, 0, T.ref.n);
	/* the line on the boundary is there as itself */
	int found = 0;
	for (size_t i = 0; i < T.g.n; i++)
		if (T.g.v[i].off == LINEIO_BLOCK)
			found = 1;
	assert_true(found);
	got_free(&T.g);
	source_release(&T.src);
	ref_free(&T.ref);
	b_free(&T.b);
}

static void read_all_text(const char *name, const char *content, size_t n, struct got *g)
{
	write_file(name, content, n);
	open_named(&T.s2, name);
	read_range(&T.s2, 0, UINT64_MAX, 0, g);
	source_release(&T.s2);
}

static void expect_line(const struct got *g, size_t i, const char *text, size_t len, uint64_t off)
{
	assert_true(i < g->n);
	assert_int_equal(g->v[i].len, len);
	assert_memory_equal(g->v[i].text, text, len);
	assert_int_equal(g->v[i].off, off);
	assert_int_equal(g->v[i].cut, 0);
}

static void test_crlf_and_final_line(void **state)
{
	(void)state;
	/* CRLF endings (a Windows copy of a log), only one CR dropped */
	read_all_text("crlf.log", "a b\r\n\r\nc\r\r\nd", 12, &T.g);
	assert_int_equal(T.g.n, 4);
	expect_line(&T.g, 0, "a b", 3, 0);
	expect_line(&T.g, 1, "", 0, 5);
	expect_line(&T.g, 2, "c\r", 2, 7);
	expect_line(&T.g, 3, "d", 1, 11); /* no final newline */
	assert_string_equal(T.g.error, "");
	got_free(&T.g);

	/* empty file, a lone newline, a lone CR */
	read_all_text("empty.log", "", 0, &T.g);
	assert_int_equal(T.g.n, 0);
	got_free(&T.g);
	read_all_text("nl.log", "\n", 1, &T.g);
	assert_int_equal(T.g.n, 1);
	expect_line(&T.g, 0, "", 0, 0);
	got_free(&T.g);
	read_all_text("cr.log", "\r", 1, &T.g);
	assert_int_equal(T.g.n, 1);
	expect_line(&T.g, 0, "", 0, 0);
	got_free(&T.g);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	static const char content[] = "Nov 19 08:30:44 mail x[1]: a\0b\0\n\0\0\nend\0";
	read_all_text("nul.log", content, sizeof content - 1, &T.g);
	assert_int_equal(T.g.n, 3);
	expect_line(&T.g, 0, "Nov 19 08:30:44 mail x[1]: a\0b\0", 31, 0);
	expect_line(&T.g, 1, "\0\0", 2, 32);
	expect_line(&T.g, 2, "end\0", 4, 35);
	got_free(&T.g);
}

/* A line longer than LINEIO_MAX_LINE is cut (r.cut), the rest of it is
 * dropped, and the next line is intact - also for a 3 MiB line spanning
 * several blocks. */
static void test_overlong_lines(void **state)
{
	(void)state;
	b_put(&T.b, "first\n", 6);
	for (size_t i = 0; i < 100000; i++)
		b_putc(&T.b, (unsigned char)('a' + i % 26));
	b_put(&T.b, "\nsecond line\n", 13);
	for (size_t i = 0; i < 3u * LINEIO_BLOCK; i++)
		b_putc(&T.b, (unsigned char)('A' + i % 26));
	b_put(&T.b, "\r\nthird\n", 8);
	/* just under the limit: kept whole and not flagged */
	for (size_t i = 0; i < LINEIO_MAX_LINE - 1; i++)
		b_putc(&T.b, 'z');
	b_put(&T.b, "\nlast", 5);
	write_file("long.log", T.b.p, T.b.n);

	ref_split(T.b.p, T.b.n, &T.ref);
	assert_int_equal(T.ref.n, 7);
	open_named(&T.src, "long.log");
	read_range(&T.src, 0, UINT64_MAX, 0, &T.g);
	check_lines(&T.g, T.b.p, &T.ref, 0, T.ref.n);
	assert_int_equal(T.g.v[1].len, LINEIO_MAX_LINE);
	assert_int_equal(T.g.v[1].cut, 1);
	assert_memory_equal(T.g.v[2].text, "second line", 11);
	assert_int_equal(T.g.v[3].cut, 1);
	assert_memory_equal(T.g.v[4].text, "third", 5);
	assert_int_equal(T.g.v[5].len, LINEIO_MAX_LINE - 1);
	assert_int_equal(T.g.v[5].cut, 0);
	got_free(&T.g);
	source_release(&T.src);
	ref_free(&T.ref);
	b_free(&T.b);
}

/* A line of exactly LINEIO_MAX_LINE bytes is not longer than the limit:
 * it is handed out whole, the line after it is read as usual, and it is
 * not reported as cut (the loader counts cut lines and tells the user
 * "line longer than 64 KiB"). */
static void test_exact_max_line_not_cut(void **state)
{
	(void)state;
	for (size_t i = 0; i < LINEIO_MAX_LINE; i++)
		b_putc(&T.b, 'm');
	b_put(&T.b, "\nnext\n", 6);
	write_file("exact.log", T.b.p, T.b.n);
	open_named(&T.src, "exact.log");
	read_range(&T.src, 0, UINT64_MAX, 0, &T.g);
	if (T.g.n != 2)
		fail_msg("a line of exactly LINEIO_MAX_LINE bytes: %zu lines read, want 2 (the "
			 "line after it was lost)", T.g.n);
	assert_int_equal(T.g.v[0].len, LINEIO_MAX_LINE);
	assert_int_equal(T.g.v[1].len, 4);
	assert_memory_equal(T.g.v[1].text, "next", 4);
	if (T.g.v[0].cut)
		fail_msg("a line of exactly LINEIO_MAX_LINE bytes is flagged cut");
	got_free(&T.g);
	source_release(&T.src);
	b_free(&T.b);
	/* the same as the file's last line, without a newline: whole, not
	 * cut; one byte more: cut to LINEIO_MAX_LINE */
	for (size_t extra = 0; extra < 2; extra++) {
		b_put(&T.b, "first\n", 6);
		for (size_t i = 0; i < LINEIO_MAX_LINE + extra; i++)
			b_putc(&T.b, 'm');
		write_file("exact-last.log", T.b.p, T.b.n);
		open_named(&T.src, "exact-last.log");
		read_range(&T.src, 0, UINT64_MAX, 0, &T.g);
		assert_int_equal(T.g.n, 2);
		assert_int_equal(T.g.v[1].len, LINEIO_MAX_LINE);
		if (T.g.v[1].cut != (int)extra)
			fail_msg("a last line of LINEIO_MAX_LINE + %zu bytes without newline: cut %d",
				 extra, T.g.v[1].cut);
		got_free(&T.g);
		source_release(&T.src);
		b_free(&T.b);
	}
}

/* Adjacent ranges with random split points deliver every line exactly
 * once, in order, each from the range its first byte falls in. */
static void ranges_property(struct source *src, const unsigned char *data, size_t n,
			    const struct ref *ref, int rounds)
{
	for (int round = 0; round < rounds; round++) {
		size_t nsplit = 1 + rng_below(6);
		uint64_t cuts[8];
		for (size_t i = 0; i < nsplit; i++) {
			size_t r = rng_below(10);
			if (r == 0) {
				cuts[i] = ref->v[rng_below(ref->n)].off; /* a line start */
			} else if (r == 1) {
				uint64_t s = ref->v[rng_below(ref->n)].off;
				cuts[i] = s ? s - 1 : 0; /* on a newline */
			} else if (r == 2) {
				cuts[i] = rng_below(2) ? 1 : n - 1;
			} else {
				cuts[i] = rng_below(n + 1);
			}
		}
		/* sort */
		for (size_t i = 1; i < nsplit; i++)
			for (size_t j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
				uint64_t t = cuts[j];
				cuts[j] = cuts[j - 1];
				cuts[j - 1] = t;
			}
		struct got *g = &T.g2;
		uint64_t start = 0;
		for (size_t i = 0; i <= nsplit; i++) {
			uint64_t end = i < nsplit ? cuts[i] : (rng_below(2) ? UINT64_MAX : n);
			if (end < start)
				end = start;
			size_t before = g->n;
			read_range(src, start, end, 0, g);
			for (size_t k = before; k < g->n; k++)
				if (g->v[k].off < start || g->v[k].off >= end)
					fail_msg("round %d: line at %llu delivered by range [%llu,%llu)",
						 round, (unsigned long long)g->v[k].off,
						 (unsigned long long)start, (unsigned long long)end);
			start = end;
		}
		check_lines(g, data, ref, 0, ref->n);
		got_free(g);
	}
}

static void test_ranges_plain(void **state)
{
	(void)state;
	rng_seed(7);
	gen_lines(&T.b, 60000, 1);
	b_put(&T.b, "tail without newline", 20);
	write_file("ranges.log", T.b.p, T.b.n);
	ref_split(T.b.p, T.b.n, &T.ref);
	open_named(&T.src, "ranges.log");
	ranges_property(&T.src, T.b.p, T.b.n, &T.ref, 300);
	source_release(&T.src);
	ref_free(&T.ref);
	b_free(&T.b);
}

static void test_ranges_memory(void **state)
{
	(void)state;
	rng_seed(8);
	gen_lines(&T.b, 40000, 1);
	write_file("ranges-stdin.log", T.b.p, T.b.n);
	ref_split(T.b.p, T.b.n, &T.ref);
	char err[300];
	open_stdin_from(&T.src, "ranges-stdin.log", err, sizeof err);
	assert_string_equal(err, "");
	assert_int_equal(T.src.mem_len, T.b.n);
	ranges_property(&T.src, T.b.p, T.b.n, &T.ref, 300);
	source_release(&T.src);
	ref_free(&T.ref);
	b_free(&T.b);
}

/* --- gzip ----------------------------------------------------------------- */

static void test_gzip_members(void **state)
{
	(void)state;
	rng_seed(11);
	gen_lines(&T.plain, 3 * LINEIO_BLOCK, 1);
	/* three members, split in the middle of lines, plus an empty one */
	size_t a = T.plain.n / 3 + 17, c = 2 * T.plain.n / 3 + 5;
	gz_member(&T.gz, T.plain.p, a, 6);
	gz_member(&T.gz, T.plain.p + a, 0, 6);
	gz_member(&T.gz, T.plain.p + a, c - a, 1);
	gz_member(&T.gz, T.plain.p + c, T.plain.n - c, 9);
	write_file("members.log.gz", T.gz.p, T.gz.n);

	ref_split(T.plain.p, T.plain.n, &T.ref);
	open_named(&T.src, "members.log.gz");
	assert_int_equal(T.src.kind, SOURCE_GZIP);
	read_range(&T.src, 0, UINT64_MAX, 1, &T.g);
	assert_string_equal(T.g.error, "");
	check_lines(&T.g, T.plain.p, &T.ref, 0, T.ref.n);
	got_free(&T.g);
	source_release(&T.src);

	/* the same through standard input */
	char err[300];
	open_stdin_from(&T.src, "members.log.gz", err, sizeof err);
	assert_string_equal(err, "");
	assert_int_equal(T.src.mem_len, T.plain.n);
	read_range(&T.src, 0, UINT64_MAX, 0, &T.g);
	check_lines(&T.g, T.plain.p, &T.ref, 0, T.ref.n);
	got_free(&T.g);
	source_release(&T.src);

	ref_free(&T.ref);
	b_free(&T.gz);
	b_free(&T.plain);
}

/* Lines before the damage are delivered; the pass ends with an error. */
static void check_prefix(const struct got *g, const unsigned char *data, const struct ref *ref)
{
	assert_true(g->n > 0);
	assert_true(g->n <= ref->n);
	/* all but the last line are whole; the last may be cut short */
	for (size_t i = 0; i + 1 < g->n; i++) {
		assert_int_equal(g->v[i].off, ref->v[i].off);
		assert_int_equal(g->v[i].len, ref->v[i].len);
		assert_memory_equal(g->v[i].text, data + ref->v[i].off, g->v[i].len);
	}
	const struct got_line *last = &g->v[g->n - 1];
	assert_int_equal(last->off, ref->v[g->n - 1].off);
	assert_true(last->len <= ref->v[g->n - 1].len);
	if (last->len)
		assert_memory_equal(last->text, data + last->off, last->len);
}

static void test_gzip_truncated(void **state)
{
	(void)state;
	rng_seed(12);
	gen_lines(&T.plain, 2 * LINEIO_BLOCK, 0);
	gz_member(&T.gz, T.plain.p, T.plain.n, 6);
	size_t keep = T.gz.n * 6 / 10;
	write_file("trunc.log.gz", T.gz.p, keep);
	ref_split(T.plain.p, T.plain.n, &T.ref);

	open_named(&T.src, "trunc.log.gz");
	read_range(&T.src, 0, UINT64_MAX, 1, &T.g);
	if (!strstr(T.g.error, "truncated"))
		fail_msg("error \"%s\" does not say truncated", T.g.error);
	check_prefix(&T.g, T.plain.p, &T.ref);
	assert_true(T.g.n > T.ref.n / 3); /* most of what was there was read */
	got_free(&T.g);
	source_release(&T.src);

	/* the same on standard input */
	char err[300];
	open_stdin_from(&T.src, "trunc.log.gz", err, sizeof err);
	if (!strstr(err, "truncated"))
		fail_msg("stdin error \"%s\" does not say truncated", err);
	read_range(&T.src, 0, UINT64_MAX, 0, &T.g);
	check_prefix(&T.g, T.plain.p, &T.ref);
	got_free(&T.g);
	source_release(&T.src);

	ref_free(&T.ref);
	b_free(&T.gz);
	b_free(&T.plain);
}

static void test_gzip_corrupt(void **state)
{
	(void)state;
	rng_seed(13);
	gen_lines(&T.first, 300000, 0);
	gen_lines(&T.second, 300000, 0);
	gz_member(&T.gz, T.first.p, T.first.n, 6);
	size_t second_at = T.gz.n;
	gz_member(&T.gz, T.second.p, T.second.n, 6);
	/* smash the deflate data of the second member */
	for (size_t i = second_at + 200; i < second_at + 1200 && i < T.gz.n; i++)
		T.gz.p[i] = 0xff;
	write_file("corrupt.log.gz", T.gz.p, T.gz.n);

	ref_split(T.first.p, T.first.n, &T.ref);
	open_named(&T.src, "corrupt.log.gz");
	read_range(&T.src, 0, UINT64_MAX, 1, &T.g);
	if (!strstr(T.g.error, "corrupt"))
		fail_msg("error \"%s\" does not say corrupt", T.g.error);
	/* every line of the intact first member was delivered */
	assert_true(T.g.n >= T.ref.n);
	for (size_t i = 0; i < T.ref.n; i++) {
		assert_int_equal(T.g.v[i].off, T.ref.v[i].off);
		assert_int_equal(T.g.v[i].len, T.ref.v[i].len);
		assert_memory_equal(T.g.v[i].text, T.first.p + T.ref.v[i].off, T.ref.v[i].len);
	}
	got_free(&T.g);
	source_release(&T.src);

	/* not gzip at all after the magic */
	write_file("junk.gz", "\x1f\x8bjunk junk junk\n", 17);
	open_named(&T.src, "junk.gz");
	read_range(&T.src, 0, UINT64_MAX, 1, &T.g);
	assert_true(T.g.error[0] != '\0');
	got_free(&T.g);
	source_release(&T.src);

	ref_free(&T.ref);
	b_free(&T.gz);
	b_free(&T.first);
	b_free(&T.second);
}

/* Bytes after the gzip data are reported, the lines are all there. */
static void test_gzip_trailing_garbage(void **state)
{
	(void)state;
	static const char text[] = "one\ntwo\nthree\n";
	gz_member(&T.gz, text, sizeof text - 1, 6);
	b_put(&T.gz, "GARBAGE\n", 8);
	write_file("trail.log.gz", T.gz.p, T.gz.n);
	open_named(&T.src, "trail.log.gz");
	read_range(&T.src, 0, UINT64_MAX, 1, &T.g);
	assert_int_equal(T.g.n, 3);
	expect_line(&T.g, 2, "three", 5, 8);
	assert_non_null(strstr(T.g.error, "not gzip"));
	got_free(&T.g);
	source_release(&T.src);
	b_free(&T.gz);
}

/* --- random access -------------------------------------------------------- */

/* Fetch nq random lines (sorted, some twice) and compare raw text and
 * 1-based line number with the reference. */
static void check_fetch(struct source *src, const unsigned char *data, const struct ref *ref,
			size_t nq)
{
	size_t *idx = T.fq_idx = calloc(nq, sizeof *idx);
	uint64_t *offs = T.fq_offs = calloc(nq, sizeof *offs);
	uint64_t *lineno = T.fq_lineno = calloc(nq, sizeof *lineno);
	struct tbuf *out = T.fq_out = calloc(nq, sizeof *out);
	T.fq_n = nq;
	assert_true(idx && offs && lineno && out);
	for (size_t i = 0; i < nq; i++) {
		if (i > 0 && rng_below(8) == 0)
			idx[i] = idx[i - 1]; /* the same line twice */
		else if (i < 3)
			idx[i] = i == 0 ? 0 : ref->n - 1; /* first and last */
		else
			idx[i] = rng_below(ref->n);
	}
	for (size_t i = 1; i < nq; i++)
		for (size_t j = i; j > 0 && idx[j - 1] > idx[j]; j--) {
			size_t t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	for (size_t i = 0; i < nq; i++) {
		offs[i] = ref->v[idx[i]].off;
		tbuf_init(&out[i]);
	}
	char err[300] = "";
	int rc = source_fetch_lines(src, offs, nq, out, lineno, err, sizeof err);
	if (rc != 0)
		fail_msg("source_fetch_lines: %s", err);
	for (size_t i = 0; i < nq; i++) {
		const struct ref_line *rl = &ref->v[idx[i]];
		if (lineno[i] != idx[i] + 1)
			fail_msg("offset %llu: line number %llu, want %zu",
				 (unsigned long long)offs[i], (unsigned long long)lineno[i], idx[i] + 1);
		if (out[i].len != rl->len)
			fail_msg("line %zu: fetched %zu bytes, want %zu", idx[i] + 1, out[i].len,
				 rl->len);
		if (rl->len && memcmp(out[i].data, data + rl->off, rl->len) != 0)
			fail_msg("line %zu: fetched text differs", idx[i] + 1);
	}
	fetch_free();
}

static void test_fetch_plain(void **state)
{
	(void)state;
	rng_seed(21);
	gen_lines(&T.b, 9 * LINEIO_BLOCK, 1);
	write_file("fetch.log", T.b.p, T.b.n);
	ref_split(T.b.p, T.b.n, &T.ref);

	/* without marks: counted from the start */
	open_named(&T.src, "fetch.log");
	check_fetch(&T.src, T.b.p, &T.ref, 150);

	/* with marks recorded by two range readers, as the loader does */
	uint64_t mid = T.b.n / 2;
	struct line_reader r;
	const char *line;
	size_t len;
	uint64_t off, first_lines;
	assert_int_equal(line_reader_open(&r, &T.src, 0, mid, 1), 0);
	while (line_reader_next(&r, &line, &len, &off))
		;
	first_lines = r.lines;
	source_add_marks(&T.src, r.marks, r.nmarks, 0);
	line_reader_close(&r);
	assert_int_equal(line_reader_open(&r, &T.src, mid, UINT64_MAX, 1), 0);
	while (line_reader_next(&r, &line, &len, &off))
		;
	assert_int_equal(first_lines + r.lines, T.ref.n);
	source_add_marks(&T.src, r.marks, r.nmarks, first_lines);
	line_reader_close(&r);
	assert_true(T.src.nmarks >= 2);
	check_fetch(&T.src, T.b.p, &T.ref, 300);
	source_release(&T.src);
	ref_free(&T.ref);
	b_free(&T.b);
}

static void first_pass(struct source *src)
{
	struct line_reader r;
	const char *line;
	size_t len;
	uint64_t off;
	assert_int_equal(line_reader_open(&r, src, 0, UINT64_MAX, 1), 0);
	while (line_reader_next(&r, &line, &len, &off))
		;
	assert_string_equal(r.error, "");
	line_reader_close(&r);
}

/* ~20 MB of lines in one gzip member: several access points. */
static void test_fetch_gzip_big(void **state)
{
	(void)state;
	rng_seed(22);
	gen_lines(&T.b, 20u << 20, 1);
	assert_true(T.b.n > 2 * LINEIO_SPAN);
	gz_member(&T.gz, T.b.p, T.b.n, 1);
	write_file("big.log.gz", T.gz.p, T.gz.n);
	b_free(&T.gz);
	ref_split(T.b.p, T.b.n, &T.ref);

	open_named(&T.src, "big.log.gz");
	first_pass(&T.src);
	assert_true(T.src.npoints >= 4);
	for (int round = 0; round < 3; round++)
		check_fetch(&T.src, T.b.p, &T.ref, 200);
	source_release(&T.src);
	ref_free(&T.ref);
	b_free(&T.b);
}

/* Several members, split mid-line, with access points inside them. */
static void test_fetch_gzip_members(void **state)
{
	(void)state;
	rng_seed(23);
	gen_lines(&T.b, 14u << 20, 0);
	size_t cuts[4] = {0, T.b.n / 4 + 3, T.b.n / 2 + 77, T.b.n};
	for (int i = 0; i < 3; i++)
		gz_member(&T.gz, T.b.p + cuts[i], cuts[i + 1] - cuts[i], 1);
	write_file("bigm.log.gz", T.gz.p, T.gz.n);
	b_free(&T.gz);
	ref_split(T.b.p, T.b.n, &T.ref);
	open_named(&T.src, "bigm.log.gz");
	first_pass(&T.src);
	assert_true(T.src.npoints >= 4);
	check_fetch(&T.src, T.b.p, &T.ref, 300);
	source_release(&T.src);
	ref_free(&T.ref);
	b_free(&T.b);
}

/* Over-long lines in a gzip file: the line numbers restored from access
 * points must count each long line once.  Every line here is longer than
 * LINEIO_MAX_LINE, so at each access point the reader is skipping the
 * tail of a line whose head it already handed out. */
static void test_fetch_gzip_long_lines(void **state)
{
	(void)state;
	rng_seed(24);
	char head[32];
	size_t k = 0;
	while (T.b.n < 3 * LINEIO_SPAN) {
		int hn = snprintf(head, sizeof head, "LONG%06zu ", k++);
		b_put(&T.b, head, (size_t)hn);
		size_t len = LINEIO_MAX_LINE + 1000 + rng_below(300000);
		for (size_t j = 0; j < len; j++)
			b_putc(&T.b, (unsigned char)('a' + rng_below(26)));
		b_putc(&T.b, '\n');
	}
	gz_member(&T.gz, T.b.p, T.b.n, 6);
	write_file("longs.log.gz", T.gz.p, T.gz.n);
	b_free(&T.gz);
	ref_split(T.b.p, T.b.n, &T.ref);

	open_named(&T.src, "longs.log.gz");
	first_pass(&T.src);
	assert_true(T.src.npoints >= 2);
	/* each point's line count is the number of newlines before it */
	for (size_t i = 0; i < T.src.npoints; i++) {
		uint64_t nl = 0;
		for (uint64_t p = 0; p < T.src.points[i].out_off; p++)
			nl += T.b.p[p] == '\n';
		if (T.src.points[i].line != nl)
			fail_msg("access point %zu at %llu: line %llu, want %llu", i,
				 (unsigned long long)T.src.points[i].out_off,
				 (unsigned long long)T.src.points[i].line, (unsigned long long)nl);
	}
	check_fetch(&T.src, T.b.p, &T.ref, 40);
	source_release(&T.src);
	ref_free(&T.ref);
	b_free(&T.b);
}

static void test_fetch_memory(void **state)
{
	(void)state;
	rng_seed(25);
	gen_lines(&T.b, 3 * LINEIO_BLOCK, 1);
	write_file("mem.log", T.b.p, T.b.n);
	ref_split(T.b.p, T.b.n, &T.ref);
	char err[300];
	open_stdin_from(&T.src, "mem.log", err, sizeof err);
	first_pass(&T.src);
	check_fetch(&T.src, T.b.p, &T.ref, 200);
	source_release(&T.src);

	/* gzip on standard input is inflated into memory */
	gz_member(&T.gz, T.b.p, T.b.n, 6);
	write_file("mem.log.gz", T.gz.p, T.gz.n);
	open_stdin_from(&T.src, "mem.log.gz", err, sizeof err);
	assert_string_equal(err, "");
	assert_int_equal(T.src.mem_len, T.b.n);
	check_fetch(&T.src, T.b.p, &T.ref, 200);
	source_release(&T.src);
	b_free(&T.gz);
	ref_free(&T.ref);
	b_free(&T.b);
}

/* A plain file that shrank since it was loaded: an error, no crash. */
static void test_fetch_file_changed(void **state)
{
	(void)state;
	write_file("shrink.log", "aaa\nbbb\nccc\n", 12);
	open_named(&T.src, "shrink.log");
	write_file("shrink.log", "", 0);
	uint64_t offs[2] = {4, 8};
	uint64_t lineno[2];
	struct tbuf out[2] = {TBUF_INIT, TBUF_INIT};
	char err[300] = "";
	(void)source_fetch_lines(&T.src, offs, 2, out, lineno, err, sizeof err);
	/* whatever the verdict, nothing from the old content is invented */
	assert_int_equal(out[0].len, 0);
	assert_int_equal(out[1].len, 0);
	tbuf_release(&out[0]);
	tbuf_release(&out[1]);
	source_release(&T.src);

	/* a path that is gone */
	char path[512], e2[300] = "";
	path_of(path, sizeof path, "gone.log");
	assert_int_equal(source_open(&T.s2, path, e2, sizeof e2), -1);
	assert_non_null(strstr(e2, "gone.log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_plain_blocks, cleanup),
		cmocka_unit_test_teardown(test_crlf_and_final_line, cleanup),
		cmocka_unit_test_teardown(test_nul_bytes, cleanup),
		cmocka_unit_test_teardown(test_overlong_lines, cleanup),
		cmocka_unit_test_teardown(test_exact_max_line_not_cut, cleanup),
		cmocka_unit_test_teardown(test_ranges_plain, cleanup),
		cmocka_unit_test_teardown(test_ranges_memory, cleanup),
		cmocka_unit_test_teardown(test_gzip_members, cleanup),
		cmocka_unit_test_teardown(test_gzip_truncated, cleanup),
		cmocka_unit_test_teardown(test_gzip_corrupt, cleanup),
		cmocka_unit_test_teardown(test_gzip_trailing_garbage, cleanup),
		cmocka_unit_test_teardown(test_fetch_plain, cleanup),
		cmocka_unit_test_teardown(test_fetch_gzip_big, cleanup),
		cmocka_unit_test_teardown(test_fetch_gzip_members, cleanup),
		cmocka_unit_test_teardown(test_fetch_gzip_long_lines, cleanup),
		cmocka_unit_test_teardown(test_fetch_memory, cleanup),
		cmocka_unit_test_teardown(test_fetch_file_changed, cleanup),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
