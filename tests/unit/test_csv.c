/*
 * test_csv.c - the shared CSV reader (src/csv.c): RFC 4180 quoting,
 * quoted newlines (the PARSE_MORE sequence), delimiter detection, BOM,
 * CRLF, header aliases, runaway quotes and recovery, 10k columns, empty
 * file, header only, wrong delimiter, NUL bytes, and the cell helpers.
 *
 * No real export files exist publicly (FORMATS.md §4.1, §5.2), so the
 * inputs are built by hand from the RFC 4180 grammar; expected values are
 * written out literally, never computed by the code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "parser.h"

enum { S_A, S_B, S_C, S__COUNT };

static const char *const al_a[] = {"a", "Alpha", "Message ID", NULL};
static const char *const al_b[] = {"b", "Beta", NULL};
static const char *const al_c[] = {"c", "Czas wysłania", NULL};

static const struct csv_column test_cols[S__COUNT] = {
	[S_A] = {"alpha", al_a},
	[S_B] = {"beta", al_b},
	[S_C] = {"gamma", al_c},
};

static const struct csv_schema test_schema = {
	.cols = test_cols,
	.ncols = S__COUNT,
	.need_all = 1u << S_A,
	.need_any = (1u << S_B) | (1u << S_C),
	.scratch = 16,
};

static enum parse_result feed(struct csv_reader *r, const char *s, const char **why)
{
	return csv_reader_line(r, s, strlen(s), why);
}

static void assert_field(const struct csv_reader *r, unsigned slot, const char *want)
{
	struct slice s = csv_field(r, slot);
	size_t wl = strlen(want);
	if (s.n != wl || memcmp(s.p, want, wl) != 0)
		fail_msg("slot %u: got [%.*s], want [%s]", slot, (int)s.n, s.p, want);
}

static struct csv_reader *reader_with_header(const char *header)
{
	const char *why = NULL;
	struct csv_reader *r = csv_reader_new(&test_schema);
	assert_non_null(r);
	assert_int_equal(feed(r, header, &why), PARSE_SKIP);
	return r;
}

static void test_rfc4180_quoting(void **st)
{
	(void)st;
	const char *why = NULL;
	struct csv_reader *r = reader_with_header("a,b,c");
	assert_int_equal(feed(r, "\"x, y\",\"he said \"\"hi\"\"\",plain", &why), PARSE_OK);
	assert_field(r, S_A, "x, y");
	assert_field(r, S_B, "he said \"hi\"");
	assert_field(r, S_C, "plain");
	/* Empty cells, an empty quoted cell, spaces trimmed around cells. */
	assert_int_equal(feed(r, "  v  ,\"\",", &why), PARSE_OK);
	assert_field(r, S_A, "v");
	assert_field(r, S_B, "");
	assert_field(r, S_C, "");
	/* Spaces around a quoted cell; text after a closing quote is kept. */
	assert_int_equal(feed(r, "  \" q \"  ,\"abc\"def,\"\"\"\"", &why), PARSE_OK);
	assert_field(r, S_A, " q ");
	assert_field(r, S_B, "abcdef");
	assert_field(r, S_C, "\"");
	/* A quote inside an unquoted cell is an ordinary character. */
	assert_int_equal(feed(r, "5\" disk,b,c", &why), PARSE_OK);
	assert_field(r, S_A, "5\" disk");
	csv_reader_free(r);
}

static void test_quoted_newlines(void **st)
{
	(void)st;
	const char *why = NULL;
	struct csv_reader *r = reader_with_header("a,b,c");
	assert_int_equal(csv_record_open(r), 0);
	assert_int_equal(feed(r, "1,\"first", &why), PARSE_MORE);
	assert_int_equal(csv_record_open(r), 1);
	assert_int_equal(feed(r, "", &why), PARSE_MORE); /* an empty line inside */
	assert_int_equal(feed(r, "second, still \"\"b\"\"", &why), PARSE_MORE);
	assert_int_equal(feed(r, "end\",3", &why), PARSE_OK);
	assert_int_equal(csv_record_open(r), 0);
	assert_field(r, S_A, "1");
	assert_field(r, S_B, "first\n\nsecond, still \"b\"\nend");
	assert_field(r, S_C, "3");
	/* The next record is independent. */
	assert_int_equal(feed(r, "x,y,z", &why), PARSE_OK);
	assert_field(r, S_B, "y");
	/* A quoted newline in the header itself: spreadsheets wrap long
	 * titles, and the newline folds away like a space. */
	csv_reader_free(r);
	r = csv_reader_new(&test_schema);
	assert_int_equal(feed(r, "\"Al", &why), PARSE_MORE);
	assert_int_equal(feed(r, "pha\",b", &why), PARSE_SKIP);
	assert_true(csv_has_column(r, S_A));
	assert_true(csv_has_column(r, S_B));
	csv_reader_free(r);
}

static void test_delimiters(void **st)
{
	(void)st;
	const char *why = NULL;
	char buf[256];
	struct csv_reader *r = reader_with_header("a;b;c");
	assert_int_equal(feed(r, "1,5;\"x;y\";3", &why), PARSE_OK);
	assert_field(r, S_A, "1,5");
	assert_field(r, S_B, "x;y");
	assert_field(r, S_C, "3");
	csv_header_describe(r, buf, sizeof buf);
	assert_non_null(strstr(buf, "delimiter ';'"));
	csv_reader_free(r);

	r = reader_with_header("a\tb\tc");
	assert_int_equal(feed(r, "1\t2, 3\t\"x\ty\"", &why), PARSE_OK);
	assert_field(r, S_A, "1");
	assert_field(r, S_B, "2, 3");
	assert_field(r, S_C, "x\ty");
	csv_header_describe(r, buf, sizeof buf);
	assert_non_null(strstr(buf, "delimiter TAB"));
	csv_reader_free(r);

	/* Commas inside quoted header cells do not vote. */
	r = reader_with_header("a;\"x,y,z\";b");
	csv_header_describe(r, buf, sizeof buf);
	assert_non_null(strstr(buf, "delimiter ';'"));
	csv_reader_free(r);
}

static void test_bom_crlf(void **st)
{
	(void)st;
	const char *why = NULL;
	struct csv_reader *r = reader_with_header("\xef\xbb\xbf" "a,b,c\r");
	assert_true(csv_has_column(r, S_A));
	assert_int_equal(feed(r, "1,2,3\r", &why), PARSE_OK);
	assert_field(r, S_C, "3");
	/* CRLF inside a quoted cell: the CR ends the physical line. */
	assert_int_equal(feed(r, "1,\"two\r", &why), PARSE_MORE);
	assert_int_equal(feed(r, "lines\",3\r", &why), PARSE_OK);
	assert_field(r, S_B, "two\nlines");
	/* A BOM is only stripped from the file's first line. */
	assert_int_equal(feed(r, "\xef\xbb\xbfx,y,z", &why), PARSE_OK);
	assert_field(r, S_A, "\xef\xbb\xbfx");
	csv_reader_free(r);
}

static void test_header_aliases(void **st)
{
	(void)st;
	char buf[512];
	static const char *const headers[] = {
		"ALPHA,BETA",
		" alpha , beta ",
		"MESSAGE-ID,b",
		"message_id,b",
		"Message ID (header),b",
		"\"Message\xc2\xa0ID\",b", /* NO-BREAK SPACE */
		"a,CZAS WYSŁANIA",       /* Polish capital Ł folds to ł */
		"a,Czas Wysłania:",
	};
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		struct csv_reader *r = reader_with_header(headers[i]);
		assert_true(csv_has_column(r, S_A));
		assert_true(csv_has_column(r, S_B) || csv_has_column(r, S_C));
		csv_reader_free(r);
	}
	/* Unknown extra columns are ignored and reported; duplicates too. */
	struct csv_reader *r = reader_with_header("x1,a,b,x2,a");
	const char *why;
	assert_int_equal(feed(r, "p,q,r,s,t", &why), PARSE_OK);
	assert_field(r, S_A, "q");
	assert_field(r, S_B, "r");
	assert_field(r, S_C, "");
	size_t n = csv_header_describe(r, buf, sizeof buf);
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf, "delimiter ',', 5 columns; recognised 2: a=alpha, b=beta; "
				 "ignored 3: x1, x2, a");
	csv_reader_free(r);

	/* Labels in the description stay on one line and are never cut
	 * inside a UTF-8 character (30 x "ą", 2 bytes each, cut to 19). */
	r = csv_reader_new(&test_schema);
	assert_int_equal(feed(r, "\"x", &why), PARSE_MORE);
	assert_int_equal(feed(r, "y\",a,b,ąąąąąąąąąąąąąąąąąąąąąąąąąąąąąą", &why), PARSE_SKIP);
	csv_header_describe(r, buf, sizeof buf);
	assert_string_equal(buf, "delimiter ',', 4 columns; recognised 2: a=alpha, b=beta; "
				 "ignored 2: x y, ąąąąąąąąąąąąąąąąąąą");
	csv_reader_free(r);
}

static void test_header_not_recognised(void **st)
{
	(void)st;
	const char *why = NULL;
	char buf[256];
	struct csv_reader *r = csv_reader_new(&test_schema);
	/* need_all (a) present but none of need_any (b, c). */
	assert_int_equal(feed(r, "a,x,y", &why), PARSE_NOMATCH);
	assert_int_equal(feed(r, "1,2,3", &why), PARSE_NOMATCH);
	assert_int_equal(feed(r, "\"open", &why), PARSE_NOMATCH);
	csv_header_describe(r, buf, sizeof buf);
	assert_string_equal(buf, "header not recognised; delimiter ',', 3 columns; recognised 1: "
				 "a=alpha; ignored 2: x, y; missing: beta or gamma");
	csv_reader_free(r);

	r = csv_reader_new(&test_schema);
	assert_int_equal(feed(r, "b,c", &why), PARSE_NOMATCH);
	csv_header_describe(r, buf, sizeof buf);
	assert_non_null(strstr(buf, "missing: alpha"));
	csv_reader_free(r);
}

static void test_unbalanced_quote_lines(void **st)
{
	(void)st;
	const char *why = NULL;
	struct csv_reader *r = reader_with_header("a,b,c");
	assert_int_equal(feed(r, "1,\"never closed,3", &why), PARSE_MORE);
	/* Lines 2..200 of the record are absorbed... */
	for (int i = 2; i <= 200; i++)
		assert_int_equal(feed(r, "x,y,z", &why), PARSE_MORE);
	/* ...the 201st is one too many: the record is dropped. */
	why = NULL;
	assert_int_equal(feed(r, "x,y,z", &why), PARSE_BAD);
	assert_string_equal(why, "unbalanced quote: record runs past 200 lines");
	assert_int_equal(csv_record_open(r), 0);
	/* Recovery: the next line is a fresh record. */
	assert_int_equal(feed(r, "4,5,6", &why), PARSE_OK);
	assert_field(r, S_A, "4");
	assert_field(r, S_C, "6");
	csv_reader_free(r);
}

static void test_unbalanced_quote_bytes(void **st)
{
	(void)st;
	const char *why = NULL;
	struct csv_reader *r = reader_with_header("a,b,c");
	char *big = malloc(40000);
	assert_non_null(big);
	memset(big, 'q', 39999);
	big[39999] = '\0';
	assert_int_equal(feed(r, "1,\"open", &why), PARSE_MORE);
	assert_int_equal(feed(r, big, &why), PARSE_MORE);
	why = NULL;
	assert_int_equal(feed(r, big, &why), PARSE_BAD); /* 80 KB > 64 KiB */
	assert_string_equal(why, "unbalanced quote: record longer than 64 KiB");
	assert_int_equal(feed(r, "7,8,9", &why), PARSE_OK);
	assert_field(r, S_B, "8");
	/* A single physical line longer than the record limit is fine; its
	 * kept cells are cut to the buffer. */
	size_t n = 200000;
	char *huge = malloc(n + 8);
	assert_non_null(huge);
	memcpy(huge, "1,", 2);
	memset(huge + 2, 'w', n);
	memcpy(huge + 2 + n, ",3", 3);
	assert_int_equal(feed(r, huge, &why), PARSE_OK);
	assert_field(r, S_A, "1");
	assert_true(csv_field(r, S_B).n > 60000 && csv_field(r, S_B).n <= n);
	free(huge);
	free(big);
	csv_reader_free(r);
}

static void test_field_counts(void **st)
{
	(void)st;
	const char *why = NULL;
	struct csv_reader *r = reader_with_header("a,b,c,x");
	/* Wrong delimiter: one cell where the header has four. */
	assert_int_equal(feed(r, "1;2;3;4", &why), PARSE_BAD);
	assert_string_equal(why, "row has fewer fields than the header (wrong delimiter or broken quoting?)");
	/* Missing trailing cells after the required column: read as empty. */
	assert_int_equal(feed(r, "1,2", &why), PARSE_OK);
	assert_field(r, S_A, "1");
	assert_field(r, S_B, "2");
	assert_field(r, S_C, "");
	/* Extra cells with content: the row is shifted. */
	assert_int_equal(feed(r, "1,2,3,4,5", &why), PARSE_BAD);
	assert_string_equal(why, "row has more fields than the header (unquoted delimiter in a value?)");
	/* Extra empty cells (trailing delimiters) are harmless. */
	assert_int_equal(feed(r, "1,2,3,4,,", &why), PARSE_OK);
	assert_field(r, S_C, "3");
	/* Blank and all-empty rows carry nothing. */
	assert_int_equal(feed(r, "", &why), PARSE_SKIP);
	assert_int_equal(feed(r, "   ", &why), PARSE_SKIP);
	assert_int_equal(feed(r, ",,,", &why), PARSE_SKIP);
	csv_reader_free(r);

	/* Required column last: a short row cannot be mapped. */
	r = reader_with_header("b,c,a");
	assert_int_equal(feed(r, "1,2", &why), PARSE_BAD);
	csv_reader_free(r);
}

static void test_ten_thousand_columns(void **st)
{
	(void)st;
	const char *why = NULL;
	char desc[512];
	size_t cols = 10000;
	char *hdr = malloc(cols * 8 + 16), *row = malloc(cols * 8 + 16);
	assert_non_null(hdr);
	assert_non_null(row);
	size_t h = 0, w = 0;
	for (size_t i = 0; i < cols; i++) {
		const char *name = i == 0 ? "b" : i == 5000 ? "a" : i == 9999 ? "c" : "zz";
		h += (size_t)sprintf(hdr + h, "%s%s", i ? "," : "", name);
		w += (size_t)sprintf(row + w, "%s%zu", i ? "," : "", i);
	}
	struct csv_probe pr;
	csv_probe_header(&test_schema, hdr, h, &pr);
	assert_true(pr.ok);
	assert_int_equal(pr.ncells, 10000);
	assert_int_equal(pr.col[S_A], 5000);
	assert_int_equal(pr.col[S_C], 9999);
	char cell[16];
	assert_int_equal(csv_probe_cell(row, w, ',', 9999, cell, sizeof cell), 4);
	assert_string_equal(cell, "9999");
	assert_int_equal(csv_probe_cell(row, w, ',', 10000, cell, sizeof cell), (size_t)-1);

	struct csv_reader *r = csv_reader_new(&test_schema);
	assert_int_equal(csv_reader_line(r, hdr, h, &why), PARSE_SKIP);
	assert_int_equal(csv_reader_line(r, row, w, &why), PARSE_OK);
	assert_field(r, S_A, "5000");
	assert_field(r, S_B, "0");
	assert_field(r, S_C, "9999");
	csv_header_describe(r, desc, sizeof desc);
	assert_non_null(strstr(desc, "10000 columns; recognised 3"));
	assert_non_null(strstr(desc, "ignored 9997"));
	csv_reader_free(r);
	free(hdr);
	free(row);
}

static void test_empty_and_header_only(void **st)
{
	(void)st;
	char buf[64];
	/* Empty file: nothing fed. */
	struct csv_reader *r = csv_reader_new(&test_schema);
	assert_int_equal(csv_record_open(r), 0);
	csv_header_describe(r, buf, sizeof buf);
	assert_string_equal(buf, "no header row yet");
	csv_reader_free(r);
	struct csv_probe pr;
	csv_probe_header(&test_schema, "", 0, &pr);
	assert_false(pr.ok);
	/* Blank lines before the header are skipped; header only. */
	const char *why;
	r = csv_reader_new(&test_schema);
	assert_int_equal(feed(r, "", &why), PARSE_SKIP);
	assert_int_equal(feed(r, "a,b", &why), PARSE_SKIP);
	assert_int_equal(csv_record_open(r), 0);
	csv_header_describe(r, buf, sizeof buf);
	assert_string_equal(buf, "delimiter ',', 2 columns; recognised 2: a=alpha, b=beta");
	/* Truncation: always NUL-terminated, never past cap. */
	memset(buf, 'X', sizeof buf);
	size_t n = csv_header_describe(r, buf, 12);
	assert_int_equal(n, 11);
	assert_string_equal(buf, "delimiter '");
	assert_int_equal(buf[12], 'X');
	assert_int_equal(csv_header_describe(r, buf, 0), 0);
	csv_reader_free(r);
	csv_reader_free(NULL);
}

static void test_nul_and_binary(void **st)
{
	(void)st;
	const char *why = NULL;
	struct csv_reader *r = reader_with_header("a,b,c");
	static const char line[] = "1,x\0y,\"\xff\xfe\0\"";
	assert_int_equal(csv_reader_line(r, line, sizeof line - 1, &why), PARSE_OK);
	struct slice b = csv_field(r, S_B), c = csv_field(r, S_C);
	assert_int_equal(b.n, 3);
	assert_memory_equal(b.p, "x\0y", 3);
	assert_int_equal(c.n, 3);
	assert_memory_equal(c.p, "\xff\xfe\0", 3);
	csv_reader_free(r);
}

static void test_probe(void **st)
{
	(void)st;
	struct csv_probe pr;
	static const char hdr[] = "\xef\xbb\xbf" "x;\"Beta\";A\r";
	csv_probe_header(&test_schema, hdr, sizeof hdr - 1, &pr);
	assert_true(pr.ok);
	assert_int_equal(pr.delim, ';');
	assert_int_equal(pr.ncells, 3);
	assert_int_equal(pr.mapped, 2);
	assert_int_equal(pr.col[S_B], 1);
	assert_int_equal(pr.col[S_A], 2);
	assert_int_equal(pr.col[S_C], -1);
	char cell[8];
	assert_int_equal(csv_probe_cell("1;\"x;\"\"y\";z", 12, ';', 1, cell, sizeof cell), 4);
	assert_string_equal(cell, "x;\"y");
	/* Truncated to the buffer, still terminated. */
	assert_int_equal(csv_probe_cell("abcdefghijkl", 12, ';', 0, cell, 5), 4);
	assert_string_equal(cell, "abcd");
	/* Real log lines are no header of this schema. */
	static const char *const not_csv[] = {
		/* samples/exim/gvengel_exim_exporter_mainlog.log */
		"2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386",
		/* samples/postfix/kumina_postfix_exporter_test.log */
		"Feb 11 16:49:24 letterman postfix/qmgr[8204]: AAB4D259B1: removed",
	};
	for (size_t i = 0; i < 2; i++) {
		csv_probe_header(&test_schema, not_csv[i], strlen(not_csv[i]), &pr);
		assert_false(pr.ok);
	}
}

static void test_is_csv_parser(void **st)
{
	(void)st;
	struct parser p = {0};
	p.end = csv_reader_free;
	assert_true(csv_parser_is_csv(&p));
	p.end = free;
	assert_false(csv_parser_is_csv(&p));
	assert_false(csv_parser_is_csv(NULL));
	struct csv_reader *r = csv_reader_new(&test_schema);
	char *s = csv_scratch(r);
	assert_non_null(s);
	memset(s, 'z', 16); /* the schema asked for 16 bytes */
	csv_reader_free(r);
}

static struct slice sl(const char *s)
{
	struct slice r = {s, (uint32_t)strlen(s)};
	return r;
}

static void test_cell_helpers(void **st)
{
	(void)st;
	static const struct {
		const char *text;
		unsigned code;
		const char *dsn;
	} cases[] = {
		{"550 5.1.1 <zamowienia@example.pl>: No Such User Here", 550, "5.1.1"},
		{"550-5.1.1 The email account that you tried to reach does not exist", 550, "5.1.1"},
		{"421 4.7.0 [192.0.2.201] Our system has detected", 421, "4.7.0"},
		{"250 2.0.0 OK  1795168965 a640c23a62f3a-ab7c.45 - gsmtp", 250, "2.0.0"},
		{"550 5.7.26 Unauthenticated email", 550, "5.7.26"},
		{"Message from (198.51.100.140) temporarily deferred", 0, ""},
		{"user123@example.com 2026/11/20", 0, ""},
		{"No Error", 0, ""},
		{"status 5.1.10.4", 0, ""},
		{"", 0, ""},
		{"552", 552, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(csv_smtp_code(sl(cases[i].text)), cases[i].code);
		struct slice d = csv_dsn(sl(cases[i].text));
		assert_int_equal(d.n, strlen(cases[i].dsn));
		assert_memory_equal(d.p, cases[i].dsn, d.n);
	}
	struct slice t = csv_trim(sl(" \t x y \n"));
	assert_int_equal(t.n, 3);
	assert_memory_equal(t.p, "x y", 3);
	assert_int_equal(csv_trim(sl("   ")).n, 0);
	assert_true(csv_ieq(sl("N/a"), "n/A"));
	assert_false(csv_ieq(sl("N/"), "N/A"));
	assert_false(csv_ieq(sl("N/AB"), "N/A"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4180_quoting),
		cmocka_unit_test(test_quoted_newlines),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_bom_crlf),
		cmocka_unit_test(test_header_aliases),
		cmocka_unit_test(test_header_not_recognised),
		cmocka_unit_test(test_unbalanced_quote_lines),
		cmocka_unit_test(test_unbalanced_quote_bytes),
		cmocka_unit_test(test_field_counts),
		cmocka_unit_test(test_ten_thousand_columns),
		cmocka_unit_test(test_empty_and_header_only),
		cmocka_unit_test(test_nul_and_binary),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_is_csv_parser),
		cmocka_unit_test(test_cell_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
