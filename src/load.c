/*
 * load.c - the loading pipeline: expand -> detect -> parse (workers) ->
 * merge in time order -> correlate (this thread).
 *
 * Workers parse, intern the fields the store keeps into the store's
 * (sharded, thread-safe) string table, and write records into 256 KiB
 * blocks: numbers, string ids, and the bytes of the few fields the
 * correlator transforms before keeping.  The merger only merges by time
 * and correlates, so the work splits evenly over the cores.  Blocks are
 * freed as soon as they are merged: peak memory is the store plus a
 * bounded backlog.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "correlate.h"
#include "csv.h"
#include "load.h"
#include "parser.h"
#include "tbuf.h"
#include "timeparse.h"
#include "xalloc.h"

#define UNIT_SPAN (64ull << 20)       /* plain files are split at this size */
#define BLOCK_SIZE (256u << 10)
#define BACKLOG_LIMIT (32ull << 20)   /* parsed bytes waiting for the merger */
#define BACKLOG_LIMIT_MAX (128ull << 20) /* ... early in a big load */
#define BACKLOG_LIMIT_END (4ull << 20) /* the same once every unit is taken */
#define PEEK_BYTES (64u << 10)
#define PEEK_LINES 50
#define MERGE_BATCH 4096

/* --- expanding paths ----------------------------------------------------- */

static const char *const default_paths[] = {
	"/var/log/mail.log", "/var/log/maillog", "/var/log/exim4/mainlog",
	"/var/log/exim/mainlog", "/var/log/exim_mainlog",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_path(struct store *st, const char *path)
{
	uint32_t i = store_add_file(st, path);
	struct file_info *f = &st->files[i];
	char *keep = f->src.path;
	char err[300] = "";
	if (source_open(&f->src, path, err, sizeof err) == 0) {
		free(keep);
		f->opened = 1;
		if (err[0] && strcmp(path, "-") == 0)
			snprintf(f->error, sizeof f->error, "%s", err);
	} else {
		f->src.path = keep;
		snprintf(f->error, sizeof f->error, "%s", err);
	}
}

static void walk_dir(struct store *st, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		uint32_t i = store_add_file(st, dir);
		snprintf(st->files[i].error, sizeof st->files[i].error, "%s: %s", dir, strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		size_t len = strlen(dir) + strlen(de->d_name) + 2;
		names[n] = xmalloc(len);
		snprintf(names[n], len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
			 de->d_name);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (stat(names[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (depth < 8)
				walk_dir(st, names[i], depth + 1);
		} else if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
			add_path(st, names[i]);
		}
		free(names[i]);
	}
	free(names);
}

/* Logrotate's names for older generations of path: "path.1",
 * "path.2.gz", "path-20261115", "path.20261115-103000.gz" (Postfix's own
 * rotation).  The suffix after the separator is digits and dashes, then
 * an optional ".gz". */
static int rotation_suffix(const char *s)
{
	size_t n = strlen(s);
	if (n > 3 && strcmp(s + n - 3, ".gz") == 0)
		n -= 3;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && i > 0)))
			return 0;
	return 1;
}

/* A standard location and its rotated generations; the loader orders
 * them by their first time stamp, i.e. oldest first. */
static void add_with_rotations(struct store *st, const char *path)
{
	add_path(st, path);
	size_t len = strlen(path);
	char *pat = xmalloc(len + 8);
	snprintf(pat, len + 8, "%s[.-]*", path);
	glob_t g;
	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			if (rotation_suffix(g.gl_pathv[i] + len + 1))
				add_path(st, g.gl_pathv[i]);
		globfree(&g);
	}
	free(pat);
}

size_t load_expand(struct store *st, const struct load_opts *o, struct tbuf *notes)
{
	uint32_t before = st->nfiles;
	if (o->npaths == 0) {
		for (size_t i = 0; i < sizeof default_paths / sizeof default_paths[0]; i++) {
			if (access(default_paths[i], F_OK) != 0)
				continue;
			uint32_t from = st->nfiles;
			add_with_rotations(st, default_paths[i]);
			if (notes)
				for (uint32_t k = from; k < st->nfiles; k++)
					tbuf_printf(notes, "reading %s\n", st->files[k].src.path);
		}
		return st->nfiles - before;
	}
	for (size_t i = 0; i < o->npaths; i++) {
		const char *p = o->paths[i];
		struct stat sb;
		if (strcmp(p, "-") == 0) {
			add_path(st, p);
		} else if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			walk_dir(st, p, 0);
		} else if (stat(p, &sb) != 0 && strpbrk(p, "*?[")) {
			/* A quoted glob (the shell did not expand it). */
			glob_t g;
			if (glob(p, 0, NULL, &g) == 0) {
				for (size_t k = 0; k < g.gl_pathc; k++)
					add_path(st, g.gl_pathv[k]);
				globfree(&g);
			} else {
				uint32_t k = store_add_file(st, p);
				snprintf(st->files[k].error, sizeof st->files[k].error,
					 _("%s: no file matches this pattern"), p);
			}
		} else {
			add_path(st, p);
		}
	}
	return st->nfiles - before;
}

/* --- detection ----------------------------------------------------------- */

struct file_plan {
	uint32_t file;
	const struct parser *parser;
	uint8_t format;          /* index in parser_registry */
	int start_year;          /* for yearless stamps */
	int first_month;
	int64_t first_ts;        /* UTC estimate, for ordering */
	uint32_t first_unit, nunits;
	uint64_t line_base;      /* lines in units already merged */
	uint32_t cur_unit;       /* unit being merged */
};

static int year_of(int64_t secs)
{
	int64_t y;
	unsigned m, d;
	tp_civil_from_days(secs / 86400, &y, &m, &d);
	return (int)y;
}

static int month_of_days(int64_t days)
{
	int64_t y;
	unsigned m, d;
	tp_civil_from_days(days, &y, &m, &d);
	return (int)m;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static void detect(struct store *st, struct file_plan *plan, const struct load_opts *o)
{
	struct file_info *f = &st->files[plan->file];
	plan->parser = NULL;
	plan->first_ts = INT64_MAX;
	if (!f->opened)
		return;
	/* The first lines, for the probes.  Over-long lines are passed over
	 * (a 100 MB junk line must not hide the log behind it), up to a
	 * scanning budget. */
	struct line_reader r;
	if (line_reader_open(&r, &f->src, 0, UINT64_MAX, 0) != 0) {
		snprintf(f->error, sizeof f->error, "%s: %s", f->src.path, r.error);
		line_reader_close(&r);
		return;
	}
	char *buf = xmalloc(PEEK_BYTES + PEEK_LINES);
	const char *lines[PEEK_LINES];
	size_t lens[PEEK_LINES], nl = 0, used = 0;
	const char *line;
	size_t len;
	uint64_t off = 0;
	int saw_cut = 0;
	while (nl < PEEK_LINES && line_reader_next(&r, &line, &len, &off)) {
		if (r.cut) {
			saw_cut = 1;
			if (off > (256u << 20))
				break;
			continue;
		}
		if (used + len + 1 > PEEK_BYTES + PEEK_LINES)
			break;
		memcpy(buf + used, line, len);
		buf[used + len] = '\0';
		lines[nl] = buf + used;
		lens[nl] = len;
		nl++;
		used += len + 1;
	}
	int read_failed = r.error[0] && nl == 0;
	if (read_failed)
		snprintf(f->error, sizeof f->error, "%s: %s", f->src.path, r.error);
	line_reader_close(&r);
	if (read_failed) {
		free(buf);
		return;
	}
	if (nl == 0) {
		f->format = NULL;
		snprintf(f->error, sizeof f->error, "%s: %s", f->src.path,
			 saw_cut ? _("only over-long lines (over 64 KiB): not a mail log") :
				   "the file is empty");
		free(buf);
		return;
	}
	const struct parser *ps = NULL;
	int score = 0;
	if (o->format) {
		ps = parser_by_name(o->format);
		score = PROBE_MAX;
	} else {
		ps = parser_detect(lines, lens, nl, &score);
	}
	f->score = score;
	if (!ps) {
		char first[120];
		size_t k = 0;
		for (size_t i = 0; i < lens[0] && k < sizeof first - 5; i++) {
			unsigned char ch = (unsigned char)lines[0][i];
			if (ch >= 0x20 && ch < 0x7f)
				first[k++] = (char)ch;
			else
				k += (size_t)snprintf(first + k, sizeof first - k, "\\x%02x", ch);
		}
		first[k < sizeof first ? k : sizeof first - 1] = '\0';
		snprintf(f->error, sizeof f->error,
			 _("%s: not a mail log mailtrail knows (first line: \"%.100s\"); "
			 "use --format to force one"), f->src.path, first);
		free(buf);
		return;
	}
	plan->parser = ps;
	for (size_t i = 0; i < parser_registry_len; i++)
		if (parser_registry[i] == ps)
			plan->format = (uint8_t)i;
	f->format = ps->name;
	f->format_title = ps->title;

	/* First stamp: orders the files and anchors the year. */
	void *state = ps->begin();
	int mtime_year = year_of(f->src.mtime);
	int mtime_month = month_of_days(floor_div(f->src.mtime, 86400));
	for (size_t i = 0; i < nl && state; i++) {
		struct pline pl;
		const char *why = NULL;
		pline_clear(&pl);
		enum parse_result res = ps->line(state, lines[i], lens[i], &pl, &why);
		if (res != PARSE_OK || (pl.flags & PL_NOTIME))
			continue;
		int64_t ts = pl.ts_us;
		if (pl.flags & PL_YEARLESS) {
			int64_t days = floor_div(ts, 86400 * US_PER_SEC);
			int month = month_of_days(days);
			plan->first_month = month;
			plan->start_year = o->year ? o->year :
					   (month <= mtime_month ? mtime_year : mtime_year - 1);
			int64_t y;
			unsigned mm, dd;
			tp_civil_from_days(days, &y, &mm, &dd);
			int64_t tod = ts - days * 86400 * US_PER_SEC;
			ts = tp_days_from_civil(plan->start_year, mm, dd) * 86400 * US_PER_SEC + tod;
		}
		plan->first_ts = ts; /* zone ignored: ordering only */
		break;
	}
	if (state)
		ps->end(state);
	if (!plan->start_year)
		plan->start_year = o->year ? o->year : mtime_year;
	free(buf);
}

/* --- work units and blocks ----------------------------------------------- */

struct block {
	struct block *next;
	size_t used, cap;
	unsigned char data[];
};

/* Merged blocks wait here for a worker to refill them: a load moves a
 * gigabyte through 256 KiB blocks, and handing each back to malloc costs
 * page faults (and, in glibc, leaves freed blocks in per-thread arenas
 * that count in the peak). */
#define SPARE_BLOCKS 4

/* Record header in a block; followed by nf field entries. */
struct rec_hdr {
	int64_t ts_us;
	uint64_t qid_hash, link_hash; /* corr_qid_hash, 0 when absent */
	uint64_t qid_key;             /* corr_qid_key, 0 when no queue id */
	uint64_t offset;     /* uncompressed byte offset */
	int64_t size;
	uint32_t pid;
	uint16_t smtp_code;
	uint8_t kind, outcome, link, flags, nf, pad;
};

struct rec_field {
	uint8_t field;
	uint8_t interned;    /* REC_BYTES, REC_ID or REC_ID_LIST */
	uint8_t pad[2];
	uint32_t value;      /* REC_BYTES: the length of the bytes that follow
			      * (padded to 8); REC_ID: the strtab id;
			      * REC_ID_LIST: how many ids follow (4 bytes
			      * each, padded to 8) */
};
enum { REC_BYTES, REC_ID, REC_ID_LIST };

struct unit {
	uint32_t plan;       /* index into plans */
	uint64_t start, end;
	uint64_t disk_bytes;     /* its share of the file as stored */
	/* produced by the worker, consumed by the merger (under mtx) */
	struct block *head, *tail;
	int started, done;
	size_t backlog;      /* bytes in blocks not yet merged */
	/* results, read by the merger after done */
	uint64_t lines, ok, skipped, unknown, bad, cut;
	struct file_sample samples[FILE_SAMPLES];
	uint32_t nsamples;
	struct line_mark *marks;
	size_t nmarks;
	char error[256];
	char header_note[300];   /* CSV: which columns were recognised */
	int64_t first_ts, last_ts;
};

struct loader {
	struct store *st;
	const struct load_opts *o;
	struct load_progress *progress;
	struct file_plan *plans;
	size_t nplans;
	struct unit *units;
	size_t nunits;
	size_t next_unit;            /* next unit for a worker */
	uint64_t unstarted_bytes;    /* input bytes (on disk) of the units
				      * from next_unit on */
	pthread_mutex_t mtx;
	pthread_cond_t produced;     /* a block or a unit end is available */
	pthread_cond_t consumed;     /* backlog went down / merger waits */
	size_t backlog;              /* total over units */
	int merger_waiting;
	struct unit *wanted;         /* the unit the merger waits for; NULL:
				      * any (nobody merges yet) */
	struct block *spare;         /* recycled blocks of BLOCK_SIZE */
	size_t nspare;
};

/* Per-worker memo of each field's last few values: the host and program
 * of every line, the protocol, the relay, the DSN recur line after line,
 * and a hit here costs no hash, no table probe and no cache miss.
 * Lengths first, so a miss is decided on one cache line.  (A bigger
 * per-worker cache of recent strings was tried: its own misses cost
 * about what the lock-free table probe it saved costs.) */
#define MEMO_MAX 48              /* longest value a memo keeps */
#define MEMO_WAYS 8              /* values kept per field */
struct field_memo {
	uint64_t head[MEMO_WAYS];    /* first 8 bytes (zero-padded): most
				      * misses are decided without memcmp */
	uint32_t n[MEMO_WAYS];
	uint32_t id[MEMO_WAYS];      /* 0 while the value's lookup waits ... */
	uint32_t pending[MEMO_WAYS]; /* ... in worker_ctx.pending[this - 1] */
	unsigned next;               /* way replaced next (round robin) */
	char bytes[MEMO_WAYS][MEMO_MAX];
};

/* A field value waiting to be interned, and where its id goes. */
struct pending_intern {
	unsigned char *dst;      /* the rec_field value in the worker's block */
	uint32_t hash, n;
	uint32_t at;             /* its bytes in worker_ctx.pending_bytes */
	uint32_t same;           /* 1 + the earlier entry with the same value
				  * (no lookup of its own), else 0 */
	uint32_t id;             /* the answer, once flushed */
	int field;
	int way;                 /* its memo way, -1 if too long for one */
};

/* Lines whose lookups are interned together (intern_flush), and the
 * most lookups waiting at once (a long recipient list flushes early). */
#define INTERN_BATCH_LINES 16
#define PENDING_MAX (INTERN_BATCH_LINES * F__COUNT)

struct worker_ctx {
	struct loader *ld;
	unsigned lane;           /* this worker's string-arena lane */
	struct tz_cache tz;
	struct block *blk;
	struct tbuf scratch;     /* a kept value transformed (corr_kept_value) */
	struct field_memo memo[F__COUNT];
	struct pending_intern pending[PENDING_MAX];
	unsigned npending, batched_lines;
	struct tbuf pending_bytes;
};

static uint64_t memo_head(const char *s, uint32_t n)
{
	uint64_t h = 0;
	memcpy(&h, s, n < sizeof h ? n : sizeof h);
	return h;
}

/* The id of a field value from the worker's memo, else 0 with *pending
 * set when the value's lookup is already waiting (1 + its index). */
static uint32_t intern_memo(const struct worker_ctx *w, int field, const char *s, uint32_t n,
			    uint32_t *pending)
{
	const struct field_memo *fm = &w->memo[field];
	uint64_t head = memo_head(s, n);
	*pending = 0;
	for (int k = 0; k < MEMO_WAYS; k++)
		if (fm->n[k] == n && fm->head[k] == head && (fm->id[k] || fm->pending[k]) &&
		    (n <= sizeof head || memcmp(fm->bytes[k] + sizeof head, s + sizeof head,
						n - sizeof head) == 0)) {
			*pending = fm->pending[k];
			return fm->id[k];
		}
	return 0;
}

/* Remember s in a memo way: with its id, or waiting for pending entry
 * `pending'.  Returns the way, -1 when s is too long to keep. */
static int intern_remember(struct worker_ctx *w, int field, const char *s, uint32_t n, uint32_t id,
			   uint32_t pending)
{
	if (n > MEMO_MAX || n == 0)
		return -1;
	struct field_memo *fm = &w->memo[field];
	int k = (int)fm->next;
	fm->next = (fm->next + 1) % MEMO_WAYS;
	fm->n[k] = n;
	fm->head[k] = memo_head(s, n);
	fm->id[k] = id;
	fm->pending[k] = pending;
	memcpy(fm->bytes[k], s, n);
	return k;
}

/*
 * Interning is batched over INTERN_BATCH_LINES lines.  A lookup is two
 * cache misses (the table slot, then the string it names), about as long
 * as parsing a line; done one at a time they stall the worker for most of
 * that.  So a line's record is written with its interned fields left 0
 * and noted here; the slot is prefetched at once, and intern_flush, some
 * lines later, prefetches every noted string and then looks them all up,
 * so the misses overlap each other and the parsing in between.  The
 * records stay in the worker's own block until flushed (publish flushes
 * before handing a block over, worker_main before the last one).  The
 * memo knows the waiting values, so a value repeated within the batch is
 * looked up once.
 */
static void intern_later(struct worker_ctx *w, int field, const char *s, uint32_t n,
			 unsigned char *dst, uint32_t same)
{
	uint32_t index = w->npending++;
	struct pending_intern *pi = &w->pending[index];
	pi->dst = dst;
	pi->field = field;
	pi->same = same;
	if (same)
		return;
	pi->hash = strtab_hash(s, n);
	pi->n = n;
	pi->at = (uint32_t)w->pending_bytes.len;
	tbuf_putn(&w->pending_bytes, s, n);
	strtab_prefetch(&w->ld->st->strs, pi->hash);
	pi->way = intern_remember(w, field, s, n, 0, index + 1);
}

static void intern_flush(struct worker_ctx *w)
{
	struct strtab *strs = &w->ld->st->strs;
	for (unsigned k = 0; k < w->npending; k++)
		if (!w->pending[k].same)
			strtab_prefetch_entry(strs, w->pending[k].hash);
	for (unsigned k = 0; k < w->npending; k++) {
		struct pending_intern *pi = &w->pending[k];
		if (pi->same) {
			/* the entry it repeats comes earlier: already answered */
			pi->id = w->pending[pi->same - 1].id;
		} else {
			const char *s = tbuf_str(&w->pending_bytes) + pi->at;
			pi->id = strtab_intern_hashed(strs, s, pi->n, pi->hash);
			struct field_memo *fm = &w->memo[pi->field];
			if (pi->way >= 0 && fm->pending[pi->way] == k + 1) {
				fm->id[pi->way] = pi->id;
				fm->pending[pi->way] = 0;
			}
		}
		memcpy(pi->dst, &pi->id, sizeof pi->id);
	}
	w->npending = 0;
	w->batched_lines = 0;
	tbuf_reset(&w->pending_bytes);
}

/* Intern s[0..n) (n > 0) as field `field' into the 4 bytes at dst, in
 * the worker's block: at once from the memo, else by the next flush. */
static void intern_field(struct worker_ctx *w, int field, const char *s, uint32_t n,
			 unsigned char *dst)
{
	if (w->npending == PENDING_MAX)
		intern_flush(w); /* a long recipient list; the memo is answered */
	uint32_t pending;
	uint32_t id = intern_memo(w, field, s, n, &pending);
	if (id)
		memcpy(dst, &id, sizeof id);
	else
		intern_later(w, field, s, n, dst, pending);
}

/* Wait for a signal, but wake up now and then to see a cancel: the one
 * who cancels (the TUI, on quit) does not know our condition variables. */
static void timed_wait(pthread_cond_t *cond, pthread_mutex_t *mtx)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(cond, mtx, &ts);
}

/* Hand the worker's block over to the merger (interning what its
 * records still wait for first) and pause if the merger is far behind. */
static void publish(struct worker_ctx *w, struct unit *u, struct block *b)
{
	struct loader *ld = w->ld;
	intern_flush(w);
	pthread_mutex_lock(&ld->mtx);
	if (b) {
		if (u->tail)
			u->tail->next = b;
		else
			u->head = b;
		u->tail = b;
		u->backlog += b->used;
		ld->backlog += b->used;
	}
	pthread_cond_broadcast(&ld->produced);
	/* Pause while the merger has plenty to do, unless it waits for this
	 * unit, or for one nobody has started (then every worker must go on
	 * to free itself for it).  A worker running ahead on a unit the
	 * merger does not need yet is held at the limit, which is what
	 * bounds memory when one file is slower than the others. */
	/* Memory peaks at the end, when the store is largest, so records
	 * may wait only while what they cost stays below what the store
	 * will still grow by: about 0.28 of the input not yet parsed, which
	 * is more than its size on disk.  Early in a big load that lets a
	 * worker parse the next day's file while the merger still needs
	 * the day before from the other (a day of Postfix log takes longer
	 * than the day of Exim beside it); once every unit is taken, only a
	 * little may wait. */
	size_t limit = BACKLOG_LIMIT_END;
	if (ld->next_unit < ld->nunits) {
		limit = BACKLOG_LIMIT;
		if (ld->unstarted_bytes / 4 > limit)
			limit = ld->unstarted_bytes / 4 < BACKLOG_LIMIT_MAX ? ld->unstarted_bytes / 4
									: BACKLOG_LIMIT_MAX;
	}
	while (!atomic_load(&ld->progress->cancel) && ld->backlog > limit &&
	       !(ld->merger_waiting &&
		 (!ld->wanted || ld->wanted == u || !ld->wanted->started)))
		timed_wait(&ld->consumed, &ld->mtx);
	pthread_mutex_unlock(&ld->mtx);
}

static void *block_room(struct worker_ctx *w, struct unit *u, size_t need)
{
	if (w->blk && w->blk->used + need <= w->blk->cap)
		return w->blk->data + w->blk->used;
	if (w->blk)
		publish(w, u, w->blk);
	size_t cap = need > BLOCK_SIZE ? need : BLOCK_SIZE;
	struct block *b = NULL;
	if (cap == BLOCK_SIZE) {
		pthread_mutex_lock(&w->ld->mtx);
		if ((b = w->ld->spare) != NULL) {
			w->ld->spare = b->next;
			w->ld->nspare--;
		}
		pthread_mutex_unlock(&w->ld->mtx);
	}
	if (!b) {
		b = xmalloc(sizeof *b + cap);
		b->cap = cap;
	}
	b->next = NULL;
	b->used = 0;
	w->blk = b;
	return b->data;
}

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static void emit(struct worker_ctx *w, struct unit *u, const struct pline *pl, uint64_t offset)
{
	/* Fields the store keeps are interned here, on the worker, so the
	 * merger only moves ids; the others travel as bytes. */
	uint32_t keep;
	uint32_t use = corr_fields(pl->kind, pl->f[F_QID].n != 0, &keep);
	size_t need = sizeof(struct rec_hdr);
	uint8_t nf = 0;
	/* A recipient list is sent as the ids of its addresses, interned
	 * here like any kept field rather than on the merger. */
	uint32_t nlist = 0;
	if (pl->f[F_RCPTS].n && (use & 1u << F_RCPTS)) {
		size_t pos = 0;
		struct slice addr;
		while (corr_rcpt_list_next(pl->f[F_RCPTS], &pos, &addr))
			nlist++;
	}
	for (int i = 0; i < F__COUNT; i++)
		if (pl->f[i].n && (use & (1u << i))) {
			need += sizeof(struct rec_field);
			if (i == F_RCPTS)
				need += pad8((size_t)nlist * sizeof(uint32_t));
			else if (!(keep & (1u << i)))
				need += pad8(pl->f[i].n);
			nf++;
		}
	need = pad8(need); /* keep every header 8-byte aligned */
	unsigned char *p = block_room(w, u, need);
	struct strtab *strs = &w->ld->st->strs;
	/* The merger's table key is computed here, in parallel; it needs
	 * the host's id now (nearly always the memo's). */
	uint32_t host = 0, pending;
	if (pl->f[F_HOST].n) {
		host = intern_memo(w, F_HOST, pl->f[F_HOST].p, pl->f[F_HOST].n, &pending);
		if (!host) {
			host = strtab_intern(strs, pl->f[F_HOST].p, pl->f[F_HOST].n);
			intern_remember(w, F_HOST, pl->f[F_HOST].p, pl->f[F_HOST].n, host, 0);
		}
	}
	uint64_t qid_hash = pl->f[F_QID].n ? corr_qid_hash(pl->f[F_QID].p, pl->f[F_QID].n) : 0;
	struct rec_hdr h = {pl->ts_us, qid_hash,
			    pl->f[F_LINK].n ? corr_qid_hash(pl->f[F_LINK].p, pl->f[F_LINK].n) : 0,
			    qid_hash ? corr_qid_key(host, qid_hash) : 0,
			    offset, pl->size, pl->pid, pl->smtp_code, pl->kind,
			    pl->outcome, pl->link, pl->flags, nf, 0};
	memcpy(p, &h, sizeof h);
	size_t at = sizeof h;
	for (int i = 0; i < F__COUNT; i++) {
		if (!pl->f[i].n || !(use & (1u << i)))
			continue;
		struct rec_field rf = {(uint8_t)i, REC_BYTES, {0, 0}, pl->f[i].n};
		if (i == F_RCPTS) {
			rf.interned = REC_ID_LIST;
			rf.value = nlist;
			memcpy(p + at, &rf, sizeof rf);
			at += sizeof rf;
			unsigned char *ids = p + at;
			memset(ids, 0, pad8((size_t)nlist * sizeof(uint32_t)));
			size_t pos = 0;
			struct slice addr;
			for (uint32_t k = 0; corr_rcpt_list_next(pl->f[F_RCPTS], &pos, &addr); k++)
				intern_field(w, F_RCPT, addr.p, addr.n, ids + k * sizeof(uint32_t));
			at += pad8((size_t)nlist * sizeof(uint32_t));
			continue;
		}
		if (keep & (1u << i)) {
			rf.interned = REC_ID;
			rf.value = 0;
			struct slice v = corr_kept_value(i, pl->f[i], &w->scratch);
			if (i == F_HOST) {
				rf.value = host;
			} else if (corr_value_unique(pl->kind, i, v.p, v.n)) {
				rf.value = strtab_add(strs, v.p, v.n, w->lane);
			} else if (v.n) {
				memcpy(p + at, &rf, sizeof rf);
				intern_field(w, i, v.p, v.n, p + at + offsetof(struct rec_field, value));
				at += sizeof rf;
				continue;
			}
		}
		memcpy(p + at, &rf, sizeof rf);
		at += sizeof rf;
		if (rf.interned == REC_BYTES) {
			memcpy(p + at, pl->f[i].p, pl->f[i].n);
			at += pad8(pl->f[i].n);
		}
	}
	w->blk->used += need;
	if (w->npending && ++w->batched_lines >= INTERN_BATCH_LINES)
		intern_flush(w);
}

static void sample(struct unit *u, uint64_t line, const char *text, size_t len, const char *why)
{
	if (u->nsamples >= FILE_SAMPLES)
		return;
	struct file_sample *s = &u->samples[u->nsamples++];
	s->line = line;
	size_t n = len < sizeof s->text - 1 ? len : sizeof s->text - 1;
	memcpy(s->text, text, n);
	s->text[n] = '\0';
	s->why = why;
}

/* Year and zone for stamps that lack them; see PL_YEARLESS. */
struct clock_fix {
	int year;
	int last_month;
	int64_t prev_ts;
	/* the last stamp's day as parsed and what it moved by: consecutive
	 * lines share their day, and the answer for one day never changes */
	int64_t day, shift;
	int have_day;
};

static int64_t fix_time(struct worker_ctx *w, const struct file_plan *plan, struct clock_fix *cf,
			const struct pline *pl)
{
	if (pl->flags & PL_NOTIME)
		return cf->prev_ts;
	int64_t ts = pl->ts_us;
	if ((pl->flags & PL_YEARLESS) && cf->have_day &&
	    floor_div(ts, 86400 * US_PER_SEC) == cf->day) {
		ts += cf->shift;
	} else if (pl->flags & PL_YEARLESS) {
		int64_t days = floor_div(ts, 86400 * US_PER_SEC);
		int64_t tod = ts - days * 86400 * US_PER_SEC;
		int64_t y;
		unsigned m, d;
		tp_civil_from_days(days, &y, &m, &d);
		int month = (int)m;
		if (!cf->last_month) {
			cf->year = plan->start_year + (month < plan->first_month ? 1 : 0);
			cf->last_month = month;
		}
		int year = cf->year;
		if (month + 6 < cf->last_month) {
			cf->year++; /* Dec -> Jan */
			year = cf->year;
			cf->last_month = month;
		} else if (month > cf->last_month + 6) {
			year = cf->year - 1; /* a straggler from last year */
		} else {
			cf->last_month = month;
		}
		int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		if (m == 2 && d == 29 && !leap)
			d = 28;
		ts = tp_days_from_civil(year, m, d) * 86400 * US_PER_SEC + tod;
		cf->day = days;
		cf->shift = ts - pl->ts_us;
		cf->have_day = 1;
	}
	if (pl->flags & PL_LOCALTIME)
		ts -= (int64_t)tz_offset_for_local(&w->tz, ts) * US_PER_SEC;
	cf->prev_ts = ts;
	return ts;
}

static void run_unit(struct worker_ctx *w, struct unit *u)
{
	struct loader *ld = w->ld;
	struct file_plan *plan = &ld->plans[u->plan];
	struct file_info *f = &ld->st->files[plan->file];
	const struct parser *ps = plan->parser;
	struct line_reader r;
	u->first_ts = INT64_MAX;
	u->last_ts = INT64_MIN;
	if (line_reader_open(&r, &f->src, u->start, u->end, 1) != 0) {
		snprintf(u->error, sizeof u->error, "%s", r.error);
		line_reader_close(&r);
		return;
	}
	void *state = ps->begin();
	if (!state) {
		snprintf(u->error, sizeof u->error, "out of memory");
		line_reader_close(&r);
		return;
	}
	struct clock_fix cf = {0, 0, plan->first_ts == INT64_MAX ? 0 : plan->first_ts, 0, 0, 0};
	const char *line;
	size_t len;
	uint64_t off, more_off = 0, more_line = 0;
	int in_more = 0;
	uint64_t reported = 0;
	struct pline pl;
	while (line_reader_next(&r, &line, &len, &off)) {
		if (r.bytes_in - reported >= (1u << 20)) {
			atomic_fetch_add(&ld->progress->bytes_done, r.bytes_in - reported);
			reported = r.bytes_in;
			if (atomic_load(&ld->progress->cancel))
				break;
		}
		u->lines++;
		if (r.cut) {
			u->cut++;
			sample(u, r.lines, line, len, _("line longer than 64 KiB: only its start was read"));
		}
		const char *why = NULL;
		pline_clear(&pl);
		enum parse_result res = ps->line(state, line, len, &pl, &why);
		if (r.lines == 1 && u->start == 0 && csv_parser_is_csv(ps))
			csv_header_describe(state, u->header_note, sizeof u->header_note);
		uint64_t rec_off = in_more ? more_off : off;
		uint64_t rec_line = in_more ? more_line : r.lines;
		switch (res) {
		case PARSE_MORE:
			if (!in_more) {
				in_more = 1;
				more_off = off;
				more_line = r.lines;
			}
			continue;
		case PARSE_OK:
			in_more = 0;
			pl.ts_us = fix_time(w, plan, &cf, &pl);
			if (pl.ts_us < u->first_ts)
				u->first_ts = pl.ts_us;
			if (pl.ts_us > u->last_ts)
				u->last_ts = pl.ts_us;
			if (pl.kind == EV_UNKNOWN && !pl.f[F_QID].n) {
				u->unknown++;
				sample(u, rec_line, line, len, "not understood");
				continue;
			}
			u->ok++;
			emit(w, u, &pl, rec_off);
			break;
		case PARSE_SKIP:
			in_more = 0;
			u->skipped++;
			break;
		case PARSE_NOMATCH:
			in_more = 0;
			u->unknown++;
			sample(u, rec_line, line, len, why ? why : "not a line of this format");
			break;
		case PARSE_BAD:
		default:
			in_more = 0;
			u->bad++;
			sample(u, rec_line, line, len, why ? why : "malformed");
			break;
		}
	}
	atomic_fetch_add(&ld->progress->bytes_done, r.bytes_in - reported);
	if (in_more) {
		u->bad++;
		sample(u, more_line, "", 0,
		       _("a quoted field opened here is never closed: the record was not read"));
	}
	if (r.error[0])
		snprintf(u->error, sizeof u->error, "%s", r.error);
	/* hand the marks over; the merger rebases them */
	u->marks = r.marks;
	u->nmarks = r.nmarks;
	r.marks = NULL;
	ps->end(state);
	line_reader_close(&r);
}

static void *worker_main(void *arg)
{
	struct worker_ctx *w = arg;
	struct loader *ld = w->ld;
	for (;;) {
		pthread_mutex_lock(&ld->mtx);
		if (ld->next_unit >= ld->nunits || atomic_load(&ld->progress->cancel)) {
			pthread_mutex_unlock(&ld->mtx);
			break;
		}
		struct unit *u = &ld->units[ld->next_unit++];
		u->started = 1;
		ld->unstarted_bytes -= u->disk_bytes;
		pthread_mutex_unlock(&ld->mtx);
		w->blk = NULL;
		run_unit(w, u);
		intern_flush(w); /* into the last block, handed over below */
		struct block *last = w->blk;
		w->blk = NULL;
		pthread_mutex_lock(&ld->mtx);
		if (last) {
			if (u->tail)
				u->tail->next = last;
			else
				u->head = last;
			u->tail = last;
			u->backlog += last->used;
			ld->backlog += last->used;
		}
		u->done = 1;
		pthread_cond_broadcast(&ld->produced);
		pthread_mutex_unlock(&ld->mtx);
	}
	return NULL;
}

/* --- merging ------------------------------------------------------------- */

struct cursor_state {
	struct block *blk;   /* block being read (owned by the merger) */
	size_t pos;
	int eof;             /* all units of the file merged */
};

/* Make the head record of plan p available; waits for workers.  Returns
 * a pointer to the record header or NULL when the file is exhausted. */
static const struct rec_hdr *head_of(struct loader *ld, size_t p, struct cursor_state *cs)
{
	struct file_plan *plan = &ld->plans[p];
	for (;;) {
		if (cs->eof)
			return NULL;
		if (cs->blk && cs->pos < cs->blk->used)
			return (const struct rec_hdr *)(cs->blk->data + cs->pos);
		struct unit *u = &ld->units[plan->first_unit + plan->cur_unit];
		pthread_mutex_lock(&ld->mtx);
		if (cs->blk) {
			if (cs->blk->cap == BLOCK_SIZE && ld->nspare < SPARE_BLOCKS) {
				cs->blk->next = ld->spare;
				ld->spare = cs->blk;
				ld->nspare++;
			} else {
				free(cs->blk);
			}
			cs->blk = NULL;
		}
		while (!u->head && !u->done) {
			if (atomic_load(&ld->progress->cancel)) {
				/* workers stop taking units: do not wait for them */
				ld->merger_waiting = 0;
				pthread_mutex_unlock(&ld->mtx);
				cs->eof = 1;
				return NULL;
			}
			ld->merger_waiting = 1;
			ld->wanted = u;
			pthread_cond_broadcast(&ld->consumed);
			timed_wait(&ld->produced, &ld->mtx);
		}
		ld->merger_waiting = 0;
		if (u->head) {
			cs->blk = u->head;
			u->head = u->head->next;
			if (!u->head)
				u->tail = NULL;
			u->backlog -= cs->blk->used;
			ld->backlog -= cs->blk->used;
			cs->pos = 0;
			pthread_cond_broadcast(&ld->consumed);
			pthread_mutex_unlock(&ld->mtx);
			continue;
		}
		pthread_mutex_unlock(&ld->mtx);
		/* Unit finished and drained: fold its report into the file. */
		struct file_info *f = &ld->st->files[plan->file];
		store_lock(ld->st);
		f->lines += u->lines;
		f->ok += u->ok;
		f->skipped += u->skipped;
		f->unknown += u->unknown;
		f->bad += u->bad;
		f->cut += u->cut;
		for (uint32_t i = 0; i < u->nsamples && f->nsamples < FILE_SAMPLES; i++) {
			f->samples[f->nsamples] = u->samples[i];
			f->samples[f->nsamples].line += plan->line_base;
			f->nsamples++;
		}
		if (u->error[0] && !f->error[0])
			snprintf(f->error, sizeof f->error, "%s: %s", f->src.path, u->error);
		if (u->header_note[0] && !f->header_note[0])
			snprintf(f->header_note, sizeof f->header_note, "%s", u->header_note);
		if (u->first_ts < f->first_ts)
			f->first_ts = u->first_ts;
		if (u->last_ts > f->last_ts)
			f->last_ts = u->last_ts;
		store_unlock(ld->st);
		if (u->nmarks)
			source_add_marks(&f->src, u->marks, u->nmarks, plan->line_base);
		free(u->marks);
		u->marks = NULL;
		plan->line_base += u->lines;
		plan->cur_unit++;
		if (plan->cur_unit >= plan->nunits) {
			cs->eof = 1;
			atomic_fetch_add(&ld->progress->files_done, 1);
		}
	}
}

/*
 * The record at h as a struct crec for the correlator; returns the
 * record's size in the block.  out is reused from record to record: only
 * the fields the previous record set are cleared (a full memset of the
 * 400-byte struct per line showed in profiles).  Kept fields arrive as
 * ids only: the correlator reads the bytes (s[]) just of the fields it
 * transforms, and touching every interned string here would cost a cache
 * miss per field on the one thread that cannot be parallelised.
 */
static size_t to_crec(const struct rec_hdr *h, const struct file_plan *plan, uint32_t file,
		      struct crec *out, uint32_t *present)
{
	for (uint32_t m = *present; m; m &= m - 1) {
		int i = __builtin_ctz(m);
		out->f[i] = 0;
		out->s[i].p = NULL;
		out->s[i].n = 0;
	}
	out->rcpt_ids = NULL;
	out->nrcpt_ids = 0;
	*present = 0;
	out->ts_us = h->ts_us;
	out->qid_hash = h->qid_hash;
	out->link_hash = h->link_hash;
	out->qid_key = h->qid_key;
	out->loc = event_loc(file, h->offset);
	out->size = h->size;
	out->pid = h->pid;
	out->smtp_code = h->smtp_code;
	out->kind = h->kind;
	out->outcome = h->outcome;
	out->link = h->link;
	out->flags = h->flags;
	out->format = plan->format;
	const unsigned char *base = (const unsigned char *)h;
	size_t n = sizeof *h;
	for (uint8_t i = 0; i < h->nf; i++) {
		struct rec_field rf;
		memcpy(&rf, base + n, sizeof rf);
		n += sizeof rf;
		if (rf.field < F__COUNT) {
			*present |= 1u << rf.field;
			if (rf.interned == REC_ID) {
				out->f[rf.field] = rf.value;
			} else if (rf.interned == REC_ID_LIST) {
				/* 8-byte aligned in the block */
				out->rcpt_ids = (const uint32_t *)(const void *)(base + n);
				out->nrcpt_ids = rf.value;
			} else {
				out->s[rf.field].p = (const char *)base + n;
				out->s[rf.field].n = rf.value;
			}
		}
		if (rf.interned == REC_ID_LIST)
			n += pad8((size_t)rf.value * sizeof(uint32_t));
		else if (rf.interned == REC_BYTES)
			n += pad8(rf.value);
	}
	return pad8(n);
}

static int cmp_plan(const void *a, const void *b)
{
	const struct file_plan *x = a, *y = b;
	if (x->first_ts != y->first_ts)
		return x->first_ts < y->first_ts ? -1 : 1;
	return x->file < y->file ? -1 : x->file > y->file;
}

int load_run(struct store *st, const struct load_opts *o, struct load_progress *progress)
{
	struct load_progress local_progress;
	if (!progress) {
		memset(&local_progress, 0, sizeof local_progress);
		progress = &local_progress;
	}
	atomic_store(&st->loading, 1);
	struct loader ld;
	memset(&ld, 0, sizeof ld);
	ld.st = st;
	ld.o = o;
	ld.progress = progress;
	pthread_mutex_init(&ld.mtx, NULL);
	pthread_cond_init(&ld.produced, NULL);
	pthread_cond_init(&ld.consumed, NULL);

	uint64_t total = 0;
	for (uint32_t i = 0; i < st->nfiles; i++)
		if (st->files[i].opened)
			total += st->files[i].src.kind == SOURCE_MEMORY ? st->files[i].src.mem_len
									 : st->files[i].src.size;
	atomic_store(&progress->bytes_total, total);
	atomic_store(&progress->files_total, st->nfiles);

	ld.plans = xcalloc(st->nfiles ? st->nfiles : 1, sizeof *ld.plans);
	for (uint32_t i = 0; i < st->nfiles; i++) {
		struct file_plan pl;
		memset(&pl, 0, sizeof pl);
		pl.file = i;
		detect(st, &pl, o);
		if (pl.parser) {
			ld.plans[ld.nplans++] = pl;
		} else {
			atomic_fetch_add(&progress->files_done, 1);
			if (st->files[i].opened)
				atomic_fetch_add(&progress->bytes_done, st->files[i].src.size);
		}
	}
	qsort(ld.plans, ld.nplans, sizeof *ld.plans, cmp_plan);

	/* Units: a gzip file is one; a plain one is cut every UNIT_SPAN. */
	size_t ucap = 0;
	for (size_t p = 0; p < ld.nplans; p++) {
		struct source *src = &st->files[ld.plans[p].file].src;
		uint64_t size = src->kind == SOURCE_MEMORY ? src->mem_len : src->size;
		uint32_t n = 1;
		if (src->kind != SOURCE_GZIP && size > UNIT_SPAN)
			n = (uint32_t)((size + UNIT_SPAN - 1) / UNIT_SPAN);
		ld.plans[p].first_unit = (uint32_t)ld.nunits;
		ld.plans[p].nunits = n;
		for (uint32_t k = 0; k < n; k++) {
			if (ld.nunits == ucap) {
				ucap = ucap ? ucap * 2 : 64;
				ld.units = xrealloc(ld.units, ucap * sizeof *ld.units);
			}
			struct unit *u = &ld.units[ld.nunits++];
			memset(u, 0, sizeof *u);
			u->plan = (uint32_t)p;
			u->start = k * UNIT_SPAN;
			/* the last range reads on: the file may still grow */
			u->end = k + 1 == n ? UINT64_MAX : (k + 1) * UNIT_SPAN;
			u->disk_bytes = (k + 1 == n ? size : u->end) - u->start;
			ld.unstarted_bytes += u->disk_bytes;
		}
	}

	int nthreads = o->threads;
	if (nthreads <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = cpus > 0 ? (int)cpus : 1;
	}
	if (nthreads > 8)
		nthreads = 8;
	if ((size_t)nthreads > ld.nunits)
		nthreads = (int)(ld.nunits ? ld.nunits : 1);
	pthread_t tids[8];
	struct worker_ctx *ctx = xcalloc(8, sizeof *ctx);
	int started = 0;
	for (int i = 0; i < nthreads && ld.nunits; i++) {
		memset(&ctx[i], 0, sizeof ctx[i]);
		ctx[i].ld = &ld;
		ctx[i].lane = (unsigned)i;
		if (pthread_create(&tids[i], NULL, worker_main, &ctx[i]) == 0)
			started++;
	}
	if (!started && ld.nunits) {
		memset(&ctx[0], 0, sizeof ctx[0]);
		ctx[0].ld = &ld;
		ld.merger_waiting = 1; /* nobody merges yet: never pause */
		worker_main(&ctx[0]); /* no threads: parse first, merge after */
		ld.merger_waiting = 0;
	}

	struct corr *corr = corr_new(st);
	struct cursor_state *cs = xcalloc(ld.nplans ? ld.nplans : 1, sizeof *cs);
	size_t lead = 0; /* files before lead are exhausted */
	struct crec rec;
	uint32_t present = 0;
	memset(&rec, 0, sizeof rec);
	unsigned batch = 0;
	store_lock(st);
	for (;;) {
		while (lead < ld.nplans && cs[lead].eof)
			lead++;
		if (lead >= ld.nplans)
			break;
		size_t best = SIZE_MAX;
		int64_t best_ts = INT64_MAX;
		for (size_t p = lead; p < ld.nplans; p++) {
			/* Files are ordered by first stamp: a later file cannot
			 * hold an earlier line (unless out of order inside). */
			if (best != SIZE_MAX && ld.plans[p].first_ts > best_ts)
				break;
			if (cs[p].eof)
				continue;
			const struct rec_hdr *h;
			if (cs[p].blk && cs[p].pos < cs[p].blk->used) {
				h = (const struct rec_hdr *)(cs[p].blk->data + cs[p].pos);
			} else {
				/* may wait for a worker: let readers in meanwhile */
				store_unlock(st);
				h = head_of(&ld, p, &cs[p]);
				store_lock(st);
			}
			if (!h)
				continue;
			if (best == SIZE_MAX || h->ts_us < best_ts) {
				best = p;
				best_ts = h->ts_us;
			}
		}
		if (best == SIZE_MAX)
			continue;
		const struct rec_hdr *h = (const struct rec_hdr *)(cs[best].blk->data + cs[best].pos);
		cs[best].pos += to_crec(h, &ld.plans[best], ld.plans[best].file, &rec, &present);
		if (cs[best].pos < cs[best].blk->used) {
			const struct rec_hdr *next =
				(const struct rec_hdr *)(cs[best].blk->data + cs[best].pos);
			if (next->qid_key)
				corr_prefetch(corr, next->qid_key);
		}
		corr_add(corr, &rec);
		if (++batch >= MERGE_BATCH) {
			/* let readers (the TUI) in between batches */
			batch = 0;
			store_unlock(st);
			store_lock(st);
		}
		if (atomic_load(&progress->cancel))
			break;
	}
	/* The workers are done: give their memory back before the
	 * correlator's end-of-load work, where memory peaks. */
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	strtab_quiesce(&st->strs); /* nobody interns concurrently any more */
	/* Blocks left after a cancel. */
	for (size_t p = 0; p < ld.nplans; p++)
		free(cs[p].blk);
	for (size_t i = 0; i < ld.nunits; i++) {
		struct block *b = ld.units[i].head;
		while (b) {
			struct block *nb = b->next;
			free(b);
			b = nb;
		}
		free(ld.units[i].marks);
	}
	while (ld.spare) {
		struct block *nb = ld.spare->next;
		free(ld.spare);
		ld.spare = nb;
	}
	free(cs);
	for (int i = 0; i < 8; i++) {
		tbuf_release(&ctx[i].scratch);
		tbuf_release(&ctx[i].pending_bytes);
	}
	free(ctx);
	corr_finish(corr);
	store_unlock(st);
	corr_free(corr);
	free(ld.units);
	free(ld.plans);
	pthread_mutex_destroy(&ld.mtx);
	pthread_cond_destroy(&ld.produced);
	pthread_cond_destroy(&ld.consumed);
	atomic_store(&st->loading, 0);
	atomic_store(&progress->finished, 1);
	return 0;
}
