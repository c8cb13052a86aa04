/*
 * csv.c - the shared CSV reader (see csv.h for the dialect).
 *
 * Key design decision: a character-level state machine that survives
 * between physical lines.  The only thing carried over a quoted newline is
 * the machine's state and the cells already decoded into the reader's one
 * buffer, so PARSE_MORE costs nothing extra and no record is ever
 * re-scanned.  Cells of columns nobody asked for are walked but not
 * copied.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* Longest header name that can match an alias; longer ones never do. */
#define KEY_MAX 64
/* Header text remembered per recognised column / for ignored columns. */
#define HDR_TEXT 40
#define IGNORED_TEXT 240
/* Room kept for each later wanted cell when one cell is huge, so a 300 KB
 * subject cannot crowd out the status and date after it. */
#define CELL_RESERVE 1024
/* Header spellings a schema may list in all (their keys are folded once
 * per reader or probe, not once per header cell). */
#define MAX_ALIASES 256

enum cell_state {
	CS_START,   /* at the start of a cell (leading spaces are skipped) */
	CS_PLAIN,   /* inside an unquoted cell */
	CS_QUOTED,  /* inside a quoted cell */
	CS_QUOTE,   /* just saw a '"' inside a quoted cell */
	CS_AFTER,   /* spaces after a closing quote */
};

enum rd_phase { PH_HEADER, PH_ROWS, PH_DEAD };

/* A schema's header spelling, folded (name_key) once. */
struct alias_key {
	uint8_t slot, len;
	char key[KEY_MAX];
};

struct csv_reader {
	const struct csv_schema *schema;
	enum rd_phase phase;
	char delim;
	int seen_line;               /* a line was fed: no BOM after this */
	unsigned hdr_cells;
	uint32_t mask;               /* slots the header has */
	int32_t col_of[CSV_MAX_SLOTS];
	uint32_t pair_col[CSV_MAX_SLOTS]; /* mapped columns, ascending ... */
	uint8_t pair_slot[CSV_MAX_SLOTS]; /* ... and their slots */
	unsigned npairs;
	unsigned need_cells;         /* a short row must have this many cells */
	char hdr_text[CSV_MAX_SLOTS][HDR_TEXT];
	char ignored[IGNORED_TEXT];
	size_t ignored_len;
	unsigned n_ignored;

	/* the record in progress */
	int open;                    /* PARSE_MORE was returned for it */
	enum cell_state cs;
	unsigned col;                /* index of the current cell */
	unsigned next_pair;          /* first pair whose column is >= col */
	int keep;                    /* the current cell is copied into buf */
	int keep_slot;
	int cell_content;            /* the current cell has a non-space byte */
	int any_content;             /* some cell of the record had one */
	int extra_content;           /* a cell past the header's count had one */
	size_t cell_start;           /* offset in buf of the current cell */
	size_t plain_end;            /* buf length without trailing spaces */
	size_t cell_limit;           /* buf length the current cell may reach */
	size_t raw;                  /* raw bytes of the record so far */
	unsigned lines;              /* physical lines of the record so far */
	uint32_t have;               /* slots filled in the current row */
	uint32_t off[CSV_MAX_SLOTS];
	uint32_t flen[CSV_MAX_SLOTS];
	char *buf;
	size_t blen, bcap;
	char *scratch;
	unsigned naliases;
	struct alias_key *alias;     /* [MAX_ALIASES] */
};

/* --- header names --------------------------------------------------------- */

/*
 * Comparison key of a header name: ASCII and Polish capitals folded, BOM,
 * blanks, '_', '-', '.', ':', quotes and "(...)" dropped.  "Message ID",
 * "message_id", "MESSAGE-ID" and "Message ID (header)" all give
 * "messageid".  Returns the key length; 0 when empty or too long to match.
 */
static size_t name_key(const char *s, size_t n, char *out)
{
	size_t o = 0, i = 0;
	int depth = 0;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '(') {
			depth++;
			continue;
		}
		if (c == ')') {
			if (depth)
				depth--;
			continue;
		}
		if (depth)
			continue;
		if (c == ' ' || c == '_' || c == '-' || c == '.' || c == ':' || c == '\t' ||
		    c == '\n' || c == '\r' || c == '"' || c == '\'')
			continue;
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
			i++; /* NO-BREAK SPACE, as spreadsheets paste it */
			continue;
		}
		if (o + 2 >= KEY_MAX)
			return 0;
		if (c >= 'A' && c <= 'Z') {
			out[o++] = (char)(c - 'A' + 'a');
			continue;
		}
		if ((c == 0xc4 || c == 0xc5 || c == 0xc3) && i + 1 < n) {
			unsigned char d = (unsigned char)s[i + 1];
			/* Polish capitals: Ą Ć Ę (C4 84/86/98), Ł Ń Ś Ź Ż
			 * (C5 81/83/9A/B9/BB) are one below their small letter;
			 * Ó is C3 93 -> C3 B3. */
			if ((c == 0xc4 && (d == 0x84 || d == 0x86 || d == 0x98)) ||
			    (c == 0xc5 && (d == 0x81 || d == 0x83 || d == 0x9a || d == 0xb9 ||
					   d == 0xbb)))
				d++;
			else if (c == 0xc3 && d == 0x93)
				d = 0xb3;
			out[o++] = (char)c;
			out[o++] = (char)d;
			i++;
			continue;
		}
		out[o++] = (char)c;
	}
	return o;
}

/* The schema's header spellings folded into out[0..MAX_ALIASES);
 * returns how many. */
static unsigned fold_aliases(const struct csv_schema *s, struct alias_key *out)
{
	unsigned n = 0;
	for (unsigned i = 0; i < s->ncols && i < CSV_MAX_SLOTS; i++) {
		for (const char *const *a = s->cols[i].aliases; a && *a; a++) {
			if (n == MAX_ALIASES)
				return n;
			size_t kl = name_key(*a, strlen(*a), out[n].key);
			if (!kl)
				continue;
			out[n].slot = (uint8_t)i;
			out[n].len = (uint8_t)kl;
			n++;
		}
	}
	return n;
}

/* Slot whose aliases include this header key, or -1. */
static int alias_slot(const struct alias_key *a, unsigned n, const char *key, size_t klen)
{
	for (unsigned i = 0; klen && i < n; i++)
		if (a[i].len == klen && memcmp(a[i].key, key, klen) == 0)
			return a[i].slot;
	return -1;
}

/* Header text for a description: at most cap-1 bytes, not cut inside a
 * UTF-8 sequence, control characters (a quoted newline) as spaces. */
static size_t copy_label(char *dst, size_t cap, const char *s, size_t n)
{
	if (n > cap - 1) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	dst[n] = '\0';
	return n;
}

static int schema_ok(const struct csv_schema *s, uint32_t mask)
{
	return (mask & s->need_all) == s->need_all && (!s->need_any || (mask & s->need_any));
}

/* The delimiter is the most frequent of ',' ';' TAB outside quotes on the
 * header line; ',' on ties and when there is none (one column). */
static char detect_delim(const char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	int q = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '"')
			q = !q;
		else if (!q && c == ',')
			comma++;
		else if (!q && c == ';')
			semi++;
		else if (!q && c == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

/* --- the reader ----------------------------------------------------------- */

struct csv_reader *csv_reader_new(const struct csv_schema *schema)
{
	struct csv_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->schema = schema;
	/* Decoded cells never outgrow the raw record plus one '\n' per
	 * quoted newline; a single physical line can be longer than the
	 * record limit, and then its kept cells are cut at bcap. */
	r->bcap = CSV_MAX_RECORD + CSV_MAX_LINES;
	r->buf = malloc(r->bcap + 1);
	if (schema->scratch)
		r->scratch = malloc(schema->scratch);
	if (!r->buf || (schema->scratch && !r->scratch)) {
		free(r->buf);
		free(r->scratch);
		free(r);
		return NULL;
	}
	r->alias = malloc(MAX_ALIASES * sizeof *r->alias);
	if (!r->alias) {
		csv_reader_free(r);
		return NULL;
	}
	r->naliases = fold_aliases(schema, r->alias);
	for (unsigned i = 0; i < CSV_MAX_SLOTS; i++)
		r->col_of[i] = -1;
	r->delim = ',';
	return r;
}

void csv_reader_free(void *state)
{
	struct csv_reader *r = state;
	if (!r)
		return;
	free(r->buf);
	free(r->scratch);
	free(r->alias);
	free(r);
}

int csv_parser_is_csv(const struct parser *p)
{
	return p && p->end == csv_reader_free;
}

char *csv_scratch(struct csv_reader *r)
{
	return r->scratch;
}

static void begin_record(struct csv_reader *r)
{
	r->open = 0;
	r->cs = CS_START;
	r->col = 0;
	r->next_pair = 0;
	r->any_content = 0;
	r->extra_content = 0;
	r->raw = 0;
	r->lines = 0;
	r->have = 0;
	r->blen = 0;
}

static void begin_cell(struct csv_reader *r)
{
	r->cs = CS_START;
	r->cell_content = 0;
	r->cell_start = r->blen;
	r->plain_end = r->blen;
	r->cell_limit = r->bcap;
	if (r->phase == PH_HEADER) {
		r->keep = 1;
		r->keep_slot = -1;
	} else {
		r->keep = r->next_pair < r->npairs && r->pair_col[r->next_pair] == r->col;
		r->keep_slot = r->keep ? r->pair_slot[r->next_pair] : -1;
		size_t later = r->npairs - r->next_pair - (r->keep ? 1u : 0u);
		size_t reserve = later * CELL_RESERVE;
		r->cell_limit = r->bcap > reserve ? r->bcap - reserve : 0;
	}
}

static void put(struct csv_reader *r, char c, int trims)
{
	if (c != ' ' && c != '\t')
		r->cell_content = 1;
	if (!r->keep)
		return;
	if (r->blen < r->cell_limit)
		r->buf[r->blen++] = c;
	if (!trims || (c != ' ' && c != '\t'))
		r->plain_end = r->blen;
}

static void remember_ignored(struct csv_reader *r, const char *name, size_t n)
{
	char label[HDR_TEXT];
	r->n_ignored++;
	n = copy_label(label, sizeof label, name, n);
	size_t need = n + (r->ignored_len ? 2 : 0);
	if (r->ignored_len + need + 1 > IGNORED_TEXT)
		return;
	if (r->ignored_len) {
		memcpy(r->ignored + r->ignored_len, ", ", 2);
		r->ignored_len += 2;
	}
	memcpy(r->ignored + r->ignored_len, label, n);
	r->ignored_len += n;
	r->ignored[r->ignored_len] = '\0';
}

static void header_cell(struct csv_reader *r, const char *text, size_t n)
{
	char key[KEY_MAX];
	size_t kl = name_key(text, n, key);
	int slot = alias_slot(r->alias, r->naliases, key, kl);
	if (slot < 0 || (r->mask & (UINT32_C(1) << slot))) {
		/* Unknown, or a second column of a slot: the first one wins. */
		remember_ignored(r, text, n);
		return;
	}
	r->mask |= UINT32_C(1) << slot;
	r->col_of[slot] = (int32_t)r->col;
	r->pair_col[r->npairs] = r->col;
	r->pair_slot[r->npairs] = (uint8_t)slot;
	r->npairs++;
	copy_label(r->hdr_text[slot], HDR_TEXT, text, n);
}

static void end_cell(struct csv_reader *r)
{
	if (r->cs == CS_START || r->cs == CS_PLAIN)
		r->blen = r->plain_end;
	if (r->cell_content) {
		r->any_content = 1;
		if (r->phase == PH_ROWS && r->col >= r->hdr_cells)
			r->extra_content = 1;
	}
	if (r->phase == PH_HEADER) {
		header_cell(r, r->buf + r->cell_start, r->blen - r->cell_start);
		r->blen = 0;
	} else if (r->keep) {
		r->off[r->keep_slot] = (uint32_t)r->cell_start;
		r->flen[r->keep_slot] = (uint32_t)(r->blen - r->cell_start);
		r->have |= UINT32_C(1) << r->keep_slot;
		r->next_pair++;
	}
	r->col++;
}

static enum parse_result end_header(struct csv_reader *r)
{
	if (!r->any_content) {
		/* A blank line before the header: still waiting for it. */
		r->col = 0;
		r->mask = 0;
		r->npairs = 0;
		r->n_ignored = 0;
		r->ignored_len = 0;
		return PARSE_SKIP;
	}
	r->hdr_cells = r->col;
	if (!schema_ok(r->schema, r->mask)) {
		r->phase = PH_DEAD;
		return PARSE_NOMATCH;
	}
	r->need_cells = 0;
	for (unsigned i = 0; i < r->schema->ncols && i < CSV_MAX_SLOTS; i++)
		if ((r->schema->need_all & (UINT32_C(1) << i)) &&
		    (unsigned)r->col_of[i] + 1 > r->need_cells)
			r->need_cells = (unsigned)r->col_of[i] + 1;
	r->phase = PH_ROWS;
	return PARSE_SKIP;
}

static enum parse_result end_row(struct csv_reader *r, const char **why)
{
	if (!r->any_content)
		return PARSE_SKIP;
	/* Short rows are read with the missing cells empty as long as they
	 * reach every required column; a single cell under a wider header is
	 * the signature of a wrong delimiter, whatever the columns. */
	if (r->col < r->hdr_cells && (r->col < r->need_cells || r->col == 1)) {
		*why = "row has fewer fields than the header (wrong delimiter or broken quoting?)";
		return PARSE_BAD;
	}
	if (r->col > r->hdr_cells && r->extra_content) {
		*why = "row has more fields than the header (unquoted delimiter in a value?)";
		return PARSE_BAD;
	}
	return PARSE_OK;
}

enum parse_result csv_reader_line(struct csv_reader *r, const char *line, size_t len,
				  const char **why)
{
	static const char *const no_reason = "malformed CSV record";
	*why = no_reason;
	if (!r->seen_line) {
		r->seen_line = 1;
		if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			line += 3;
			len -= 3;
		}
	}
	if (len && line[len - 1] == '\r')
		len--;
	if (r->phase == PH_DEAD)
		return PARSE_NOMATCH;

	if (!r->open) {
		begin_record(r);
		if (r->phase == PH_HEADER)
			r->delim = detect_delim(line, len);
		begin_cell(r);
	} else {
		if (r->lines + 1 > CSV_MAX_LINES || r->raw + len > CSV_MAX_RECORD) {
			/* Runaway quote: drop the record; the next line starts
			 * a new one, so one bad quote costs a bounded number
			 * of lines. */
			*why = r->lines + 1 > CSV_MAX_LINES
				       ? "unbalanced quote: record runs past 200 lines"
				       : "unbalanced quote: record longer than 64 KiB";
			int hdr = r->phase == PH_HEADER;
			begin_record(r);
			if (hdr) {
				/* A header that never ends is no header. */
				r->phase = PH_DEAD;
				return PARSE_NOMATCH;
			}
			return PARSE_BAD;
		}
		/* The quoted cell goes on: the newline is part of it. */
		put(r, '\n', 0);
	}
	r->raw += len + 1;
	r->lines++;

	const char delim = r->delim;
	for (size_t i = 0; i < len; i++) {
		char c = line[i];
		switch (r->cs) {
		case CS_START:
			if (c == delim) {
				end_cell(r);
				begin_cell(r);
			} else if (c == '"') {
				r->cs = CS_QUOTED;
			} else if (c != ' ') {
				r->cs = CS_PLAIN;
				put(r, c, 1);
			}
			break;
		case CS_PLAIN:
			if (c == delim) {
				end_cell(r);
				begin_cell(r);
			} else {
				put(r, c, 1);
			}
			break;
		case CS_QUOTED:
			if (c == '"') {
				r->cs = CS_QUOTE;
			} else if (!r->keep) {
				/* Fast path through a quoted cell nobody wants. */
				const char *q = memchr(line + i, '"', len - i);
				size_t stop = q ? (size_t)(q - line) : len;
				r->cell_content = 1;
				i = stop - 1;
			} else {
				put(r, c, 0);
			}
			break;
		case CS_QUOTE:
			if (c == '"') {
				put(r, '"', 0);
				r->cs = CS_QUOTED;
			} else if (c == delim) {
				end_cell(r);
				begin_cell(r);
			} else if (c == ' ') {
				r->cs = CS_AFTER;
			} else {
				/* "abc"def: keep the stray text, as spreadsheets do. */
				r->cs = CS_PLAIN;
				put(r, c, 1);
			}
			break;
		case CS_AFTER:
			if (c == delim) {
				end_cell(r);
				begin_cell(r);
			} else if (c != ' ') {
				r->cs = CS_PLAIN;
				put(r, c, 1);
			}
			break;
		}
	}
	if (r->cs == CS_QUOTED) {
		r->open = 1;
		return PARSE_MORE;
	}
	r->open = 0;
	end_cell(r);
	if (r->phase == PH_HEADER)
		return end_header(r);
	return end_row(r, why);
}

struct slice csv_field(const struct csv_reader *r, unsigned slot)
{
	struct slice s = {"", 0};
	if (slot < CSV_MAX_SLOTS && (r->have & (UINT32_C(1) << slot))) {
		s.p = r->buf + r->off[slot];
		s.n = r->flen[slot];
	}
	return s;
}

int csv_has_column(const struct csv_reader *r, unsigned slot)
{
	return slot < CSV_MAX_SLOTS && (r->mask & (UINT32_C(1) << slot));
}

int csv_record_open(const void *state)
{
	const struct csv_reader *r = state;
	return r && r->open;
}

/* --- description ---------------------------------------------------------- */

struct sbuf {
	char *p;
	size_t cap, len;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->cap == 0)
		return;
	size_t room = b->cap - 1 - (b->len < b->cap - 1 ? b->len : b->cap - 1);
	size_t c = n < room ? n : room;
	memcpy(b->p + b->len, s, c);
	b->len += c;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_uint(struct sbuf *b, unsigned v)
{
	char tmp[16];
	size_t n = 0;
	do {
		tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof tmp);
	sb_add(b, tmp + sizeof tmp - n, n);
}

size_t csv_header_describe(const void *state, char *buf, size_t cap)
{
	const struct csv_reader *r = state;
	struct sbuf b = {buf, cap, 0};
	if (cap)
		buf[0] = '\0';
	if (!r)
		return 0;
	if (r->phase == PH_HEADER) {
		sb_str(&b, "no header row yet");
		return b.len;
	}
	if (r->phase == PH_DEAD)
		sb_str(&b, "header not recognised; ");
	sb_str(&b, "delimiter ");
	sb_str(&b, r->delim == '\t' ? "TAB" : r->delim == ';' ? "';'" : "','");
	sb_str(&b, ", ");
	sb_uint(&b, r->hdr_cells);
	sb_str(&b, " columns; recognised ");
	sb_uint(&b, r->npairs);
	for (unsigned i = 0; i < r->npairs; i++) {
		unsigned slot = r->pair_slot[i];
		sb_str(&b, i ? ", " : ": ");
		sb_str(&b, r->hdr_text[slot]);
		sb_str(&b, "=");
		sb_str(&b, r->schema->cols[slot].name);
	}
	if (r->n_ignored) {
		sb_str(&b, "; ignored ");
		sb_uint(&b, r->n_ignored);
		sb_str(&b, ": ");
		/* The name list may be cut short; the count is exact. */
		sb_add(&b, r->ignored, r->ignored_len);
	}
	uint32_t missing = r->schema->need_all & ~r->mask;
	int any_missing = r->schema->need_any && !(r->mask & r->schema->need_any);
	if (missing || any_missing) {
		sb_str(&b, "; missing: ");
		int first = 1;
		for (unsigned i = 0; i < r->schema->ncols && i < CSV_MAX_SLOTS; i++) {
			uint32_t bit = UINT32_C(1) << i;
			if (!(missing & bit) && !(any_missing && (r->schema->need_any & bit)))
				continue;
			sb_str(&b, first ? "" : (missing & bit) ? ", " : " or ");
			sb_str(&b, r->schema->cols[i].name);
			first = 0;
		}
	}
	return b.len;
}

/* --- probing ---------------------------------------------------------------- */

/* Decode the next cell of a single physical line starting at *pos.  An
 * unclosed quote runs to the end of the line.  Returns 0 at end of line. */
static int next_cell(const char *s, size_t n, size_t *pos, char delim, char *buf, size_t cap,
		     size_t *blen)
{
	size_t p = *pos, o = 0, keep_end = 0;
	if (p > n)
		return 0;
	while (p < n && s[p] == ' ')
		p++;
	if (p < n && s[p] == '"') {
		p++;
		while (p < n) {
			if (s[p] == '"') {
				if (p + 1 < n && s[p + 1] == '"') {
					if (o + 1 < cap)
						buf[o++] = '"';
					p += 2;
					continue;
				}
				p++;
				break;
			}
			if (o + 1 < cap)
				buf[o++] = s[p];
			p++;
		}
		keep_end = o;
	}
	while (p < n && s[p] != delim) {
		if (o + 1 < cap)
			buf[o++] = s[p];
		if (s[p] != ' ')
			keep_end = o;
		p++;
	}
	o = keep_end;
	if (cap)
		buf[o] = '\0';
	*blen = o;
	*pos = p + 1; /* past the delimiter; n + 1 after the last cell */
	return 1;
}

void csv_probe_header(const struct csv_schema *s, const char *line, size_t len,
		      struct csv_probe *out)
{
	memset(out, 0, sizeof *out);
	for (unsigned i = 0; i < CSV_MAX_SLOTS; i++)
		out->col[i] = -1;
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	if (len && line[len - 1] == '\r')
		len--;
	out->delim = detect_delim(line, len);
	/* folded once per probe, not once per cell: a line of 10,000
	 * commas is probed too */
	struct alias_key aliases[MAX_ALIASES];
	unsigned naliases = fold_aliases(s, aliases);
	size_t pos = 0, cl;
	char cell[KEY_MAX * 2], key[KEY_MAX];
	while (next_cell(line, len, &pos, out->delim, cell, sizeof cell, &cl)) {
		size_t kl = name_key(cell, cl, key);
		int slot = alias_slot(aliases, naliases, key, kl);
		if (slot >= 0 && !(out->mask & (UINT32_C(1) << slot))) {
			out->mask |= UINT32_C(1) << slot;
			out->col[slot] = (int)out->ncells;
			out->mapped++;
		}
		out->ncells++;
	}
	out->ok = out->mapped > 0 && schema_ok(s, out->mask);
}

size_t csv_probe_cell(const char *line, size_t len, char delim, unsigned col, char *buf,
		      size_t cap)
{
	size_t pos = 0, cl = 0;
	if (len && line[len - 1] == '\r')
		len--;
	for (unsigned i = 0;; i++) {
		if (!next_cell(line, len, &pos, delim, buf, cap, &cl))
			return (size_t)-1;
		if (i == col)
			return cl;
	}
}

/* --- helpers for export cells ------------------------------------------------ */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

unsigned csv_smtp_code(struct slice s)
{
	for (size_t i = 0; i + 3 <= s.n; i++) {
		if (s.p[i] < '2' || s.p[i] > '5' || !is_digit(s.p[i + 1]) || !is_digit(s.p[i + 2]))
			continue;
		if (i > 0 && (is_alnum(s.p[i - 1]) || s.p[i - 1] == '.'))
			continue;
		if (i + 3 < s.n && (is_alnum(s.p[i + 3]) || s.p[i + 3] == '.'))
			continue;
		return (unsigned)((s.p[i] - '0') * 100 + (s.p[i + 1] - '0') * 10 +
				  (s.p[i + 2] - '0'));
	}
	return 0;
}

struct slice csv_dsn(struct slice s)
{
	struct slice none = {"", 0};
	for (size_t i = 0; i + 5 <= s.n; i++) {
		if ((s.p[i] != '2' && s.p[i] != '4' && s.p[i] != '5') || s.p[i + 1] != '.')
			continue;
		if (i > 0 && (is_alnum(s.p[i - 1]) || s.p[i - 1] == '.'))
			continue;
		size_t p = i + 2, d = 0;
		while (p < s.n && is_digit(s.p[p]) && d < 3) {
			p++;
			d++;
		}
		if (!d || p >= s.n || s.p[p] != '.')
			continue;
		p++;
		d = 0;
		while (p < s.n && is_digit(s.p[p]) && d < 3) {
			p++;
			d++;
		}
		if (!d || (p < s.n && (is_alnum(s.p[p]) || s.p[p] == '.')))
			continue;
		struct slice r = {s.p + i, (uint32_t)(p - i)};
		return r;
	}
	return none;
}

struct slice csv_trim(struct slice s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\n' || s.p[0] == '\r')) {
		s.p++;
		s.n--;
	}
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\n' ||
		       s.p[s.n - 1] == '\r'))
		s.n--;
	return s;
}

int csv_ieq(struct slice s, const char *lit)
{
	size_t i = 0;
	for (; i < s.n; i++) {
		char a = s.p[i], b = lit[i];
		if (b == '\0')
			return 0;
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return lit[i] == '\0';
}
