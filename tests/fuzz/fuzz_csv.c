/*
 * fuzz_csv.c - libFuzzer target: the shared CSV reader (csv.h).
 *
 * The input is a CSV file, split into physical lines and fed to two
 * readers: one with a demanding schema (two required columns, one of two
 * more) and one that accepts any header, so data rows, short and long
 * rows and PARSE_MORE records are reached even when the fuzzer has not
 * spelled a known column name.  Every cell of every complete row is read
 * and put through the cell helpers; the header probe and the cell probe
 * run on every line.
 *
 * Key design decision: the probe functions and the reader are two
 * separate decoders of the same dialect, so where the dialect is simple
 * (no quotes, no tabs, short lines) they are checked against each other:
 * the probe's column map against csv_has_column and the reader's verdict
 * on the header, the probe's cells against csv_field.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fuzz.h"

#define BIT(i) (UINT32_C(1) << (i))
#define SCRATCH 300

static const char *const a_id[] = {"Message ID", "message_id", "ID wiadomości", NULL};
static const char *const a_status[] = {"Status", "Status wiadomości", NULL};
static const char *const a_date[] = {"Date", "Data", "Czas wysłania", NULL};
static const char *const a_end[] = {"End date", "Data statusu", NULL};
static const char *const a_from[] = {"From", "Od", "Nadawca", NULL};
static const char *const a_subject[] = {"Subject", "Temat", NULL};
static const char *const a_detail[] = {"Szczegóły statusu", "response", "(x)", NULL};
static const char *const a_size[] = {"Size", "Rozmiar", "ŁĄCZNIE ŻÓŁĆ", NULL};

static const struct csv_column cols[] = {
	{"id", a_id},     {"status", a_status},   {"date", a_date},     {"end", a_end},
	{"from", a_from}, {"subject", a_subject}, {"detail", a_detail}, {"size", a_size},
};
#define NCOLS (sizeof cols / sizeof cols[0])

static const struct csv_schema strict = {cols, NCOLS, BIT(0) | BIT(1), BIT(2) | BIT(3), SCRATCH};
static const struct csv_schema open_schema = {cols, NCOLS, 0, 0, SCRATCH};

static int simple(const char *s, size_t n)
{
	return !memchr(s, '"', n) && !memchr(s, '\t', n);
}

static int has_content(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != ',' && s[i] != ';' && s[i] != '\t')
			return 1;
	return 0;
}

static void check_cell_helpers(struct slice f)
{
	unsigned code = csv_smtp_code(f);
	FUZZ_ASSERT(code == 0 || (code >= 200 && code <= 599));
	struct slice d = csv_dsn(f);
	if (d.n) {
		FUZZ_ASSERT(d.p >= f.p && d.p + d.n <= f.p + f.n);
		FUZZ_ASSERT(d.n >= 5 && d.n <= 9);
	}
	struct slice t = csv_trim(f);
	FUZZ_ASSERT(t.n <= f.n);
	if (t.n)
		FUZZ_ASSERT(t.p >= f.p && t.p + t.n <= f.p + f.n);
	fuzz_sink += (unsigned)csv_ieq(f, "status") + (unsigned)csv_ieq(t, "");
}

static void run(const struct csv_schema *sc, char **lines, const size_t *lens, size_t n)
{
	struct csv_reader *r = csv_reader_new(sc);
	FUZZ_ASSERT(r);
	struct csv_probe pr;
	memset(&pr, 0, sizeof pr);
	pr.delim = ',';
	int header_simple = 0;
	enum parse_result prev = PARSE_OK;
	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;
		enum parse_result res = csv_reader_line(r, lines[i], lens[i], &why);
		FUZZ_ASSERT(res >= PARSE_OK && res <= PARSE_MORE);
		if (res == PARSE_BAD)
			FUZZ_ASSERT(why != NULL);
		if (why)
			fuzz_touch(why, strlen(why));

		if (i == 0) {
			csv_probe_header(sc, lines[0], lens[0], &pr);
			FUZZ_ASSERT(pr.delim == ',' || pr.delim == ';' || pr.delim == '\t');
			unsigned mapped = 0;
			for (unsigned k = 0; k < CSV_MAX_SLOTS; k++) {
				FUZZ_ASSERT((pr.col[k] >= 0) == !!(pr.mask & BIT(k)));
				FUZZ_ASSERT(pr.col[k] < (int)pr.ncells);
				mapped += pr.col[k] >= 0;
			}
			FUZZ_ASSERT(mapped == pr.mapped);
			FUZZ_ASSERT((pr.mask >> NCOLS) == 0);
			header_simple = simple(lines[0], lens[0]) && lens[0] < 120 &&
					has_content(lines[0], lens[0]) &&
					!(lens[0] >= 3 && memcmp(lines[0], "\xef\xbb\xbf", 3) == 0);
			if (header_simple) {
				for (unsigned k = 0; k < NCOLS; k++)
					FUZZ_ASSERT(csv_has_column(r, k) == !!(pr.mask & BIT(k)));
				if (pr.mapped > 0)
					FUZZ_ASSERT((res == PARSE_SKIP) == pr.ok);
			}
		}

		/* cells of this line alone, small buffers included */
		for (unsigned col = 0; col < 4; col++) {
			static const size_t caps[] = {1, 5, 64};
			for (size_t k = 0; k < 3; k++) {
				char *buf = malloc(caps[k]);
				FUZZ_ASSERT(buf);
				size_t cl = csv_probe_cell(lines[i], lens[i], pr.delim, col, buf, caps[k]);
				if (cl != (size_t)-1) {
					FUZZ_ASSERT(cl < caps[k]);
					FUZZ_ASSERT(buf[cl] == '\0');
				}
				free(buf);
			}
		}

		if (res == PARSE_OK) {
			for (unsigned k = 0; k < CSV_MAX_SLOTS; k++) {
				struct slice f = csv_field(r, k);
				FUZZ_ASSERT(f.p != NULL);
				fuzz_touch(f.p, f.n);
				if (k >= NCOLS)
					FUZZ_ASSERT(f.n == 0);
				if (!csv_has_column(r, k))
					FUZZ_ASSERT(f.n == 0);
				check_cell_helpers(f);
			}
			memset(csv_scratch(r), 'x', SCRATCH);
			if (header_simple && prev != PARSE_MORE && simple(lines[i], lens[i]) &&
			    lens[i] < 16384) {
				for (unsigned k = 0; k < NCOLS; k++) {
					if (pr.col[k] < 0)
						continue;
					char *buf = malloc(lens[i] + 1);
					FUZZ_ASSERT(buf);
					size_t cl = csv_probe_cell(lines[i], lens[i], pr.delim,
								   (unsigned)pr.col[k], buf, lens[i] + 1);
					struct slice f = csv_field(r, k);
					if (cl == (size_t)-1)
						cl = 0; /* short row: the cell is empty */
					FUZZ_ASSERT(f.n == cl);
					FUZZ_ASSERT(cl == 0 || memcmp(f.p, buf, cl) == 0);
					free(buf);
				}
			}
		}
		prev = res;

		static const size_t dcaps[] = {1, 3, 100, 600};
		for (size_t k = 0; i < 2 && k < 4; k++) {
			char *buf = malloc(dcaps[k]);
			FUZZ_ASSERT(buf);
			size_t dl = csv_header_describe(r, buf, dcaps[k]);
			FUZZ_ASSERT(dl < dcaps[k] && strlen(buf) == dl);
			free(buf);
		}
	}
	FUZZ_ASSERT(csv_record_open(r) == (n > 0 && prev == PARSE_MORE));
	csv_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **lines = calloc(FUZZ_MAX_LINES, sizeof *lines);
	size_t *lens = calloc(FUZZ_MAX_LINES, sizeof *lens);
	FUZZ_ASSERT(lines && lens);
	size_t n = fuzz_split_lines(data, size, lines, lens, FUZZ_MAX_LINES);
	run(&strict, lines, lens, n);
	run(&open_schema, lines, lens, n);
	fuzz_lines_free(lines, n);
	free(lines);
	free(lens);
	return 0;
}
