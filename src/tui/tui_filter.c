/*
 * tui_filter.c - which messages the list shows: the active filter applied
 * to every message, incrementally, without ever making a keystroke wait.
 *
 * Key design decision: two regimes.  While the loader runs, the store is
 * shared, so the main loop filters in time-boxed slices (about 12 ms per
 * turn) under the store lock, and the same scan simply continues into the
 * messages that keep arriving.  Once loading is over the store no longer
 * changes and needs no lock, so a long scan is cut into chunks of
 * TUI_CHUNK messages which a small pool of worker threads and the main
 * loop's own slices take in turn, each with its own compiled query (a
 * query's verdict cache is not thread-safe).  Finished chunks are appended
 * strictly in order, so the list fills from the top, stays in arrival
 * order, and a new keystroke just cancels the job in flight.
 *
 * Order: once loading is over, messages are scanned in time order (a
 * permutation by first stamp, built once by tui_filter_build_order()), so
 * every result comes out sorted by time and the list never sorts for the
 * default order.  While loading, arrival order is used (nearly time order;
 * tui_list.c sorts a copy when it is not).
 *
 * Typing narrows: when the quick search only grows ("gm" -> "gma") and
 * nothing else changed, every new match is among the old matches, so the
 * new scan tests the old matches found so far and then only the messages
 * the old scan had not reached.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui_int.h"
#include "xalloc.h"

#define TUI_CHUNK 16384
#define POOL_MAX 4

struct tui_chunk {
	uint32_t *ids;
	uint32_t n;
	uint8_t state;  /* 0 waiting, 1 taken, 2 done */
};

/* One scan of messages [begin, end), shared by its result (the owner)
 * and the workers on it; freed by the last of them (refs, under mu). */
struct tui_job {
	int refs;
	atomic_int cancelled;
	uint32_t begin, end;      /* scan positions */
	const uint32_t *order;    /* position -> message, NULL identity */
	size_t nchunks, next, merged;
	struct tui_chunk *chunks;
	struct query *q[POOL_MAX];
};

struct worker_arg {
	struct tui_pool *pool;
	int idx;
};

struct tui_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th[POOL_MAX];
	struct worker_arg args[POOL_MAX];
	int nth;
	struct tui_job *job;  /* the job workers take chunks from, NULL none */
	int quit;
	const struct store *st;
};

static int64_t realtime_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- jobs ------------------------------------------------------------------ */

/* Caller holds pool->mu. */
static void job_unref(struct tui_job *j)
{
	if (--j->refs > 0)
		return;
	for (size_t i = 0; i < j->nchunks; i++)
		free(j->chunks[i].ids);
	free(j->chunks);
	for (int i = 0; i < POOL_MAX; i++)
		query_free(j->q[i]);
	free(j);
}

static void scan_chunk(struct tui_job *j, size_t c, struct query *q, const struct store *st)
{
	uint32_t a = j->begin + (uint32_t)(c * TUI_CHUNK);
	uint32_t b = j->end - a > TUI_CHUNK ? a + TUI_CHUNK : j->end;
	uint32_t *ids = xmalloc((size_t)(b - a) * sizeof *ids);
	uint32_t n = 0;
	for (uint32_t p = a; p < b; p++) {
		if ((p & 1023) == 0 && atomic_load(&j->cancelled))
			break;
		uint32_t m = j->order ? j->order[p] : p;
		if (query_match(q, st, m))
			ids[n++] = m;
	}
	j->chunks[c].ids = ids;
	j->chunks[c].n = n;
}

static void *worker_main(void *arg)
{
	struct worker_arg *wa = arg;
	struct tui_pool *p = wa->pool;
	pthread_mutex_lock(&p->mu);
	while (!p->quit) {
		struct tui_job *j = p->job;
		if (!j || atomic_load(&j->cancelled) || j->next >= j->nchunks || !j->q[wa->idx]) {
			pthread_cond_wait(&p->cv, &p->mu);
			continue;
		}
		size_t c = j->next++;
		j->chunks[c].state = 1;
		j->refs++;
		pthread_mutex_unlock(&p->mu);
		scan_chunk(j, c, j->q[wa->idx], p->st);
		pthread_mutex_lock(&p->mu);
		j->chunks[c].state = 2;
		job_unref(j);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static struct tui_pool *pool_get(struct tui *ui)
{
	if (ui->pool)
		return ui->pool->nth ? ui->pool : NULL;
	struct tui_pool *p = xcalloc(1, sizeof *p);
	ui->pool = p;
	p->st = ui->st;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	/* the main loop takes chunks too: one worker fewer than cores, and
	 * none on two: measured, a worker competing with the main loop and
	 * the terminal for two cores made the scan slower, not faster */
	int want = cpus > 2 ? (int)cpus - 1 : 0;
	if (want > POOL_MAX)
		want = POOL_MAX;
	for (int i = 0; i < want; i++) {
		p->args[i].pool = p;
		p->args[i].idx = i;
		if (pthread_create(&p->th[p->nth], NULL, worker_main, &p->args[i]) != 0)
			break;
		p->nth++;
	}
	return p->nth ? p : NULL;
}

static void pool_release(struct tui *ui)
{
	struct tui_pool *p = ui->pool;
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nth; i++)
		pthread_join(p->th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	ui->pool = NULL;
}

static void job_cancel(struct tui *ui, struct tui_result *r)
{
	struct tui_job *j = r->job;
	if (!j)
		return;
	struct tui_pool *p = ui->pool;
	pthread_mutex_lock(&p->mu);
	atomic_store(&j->cancelled, 1);
	if (p->job == j)
		p->job = NULL;
	job_unref(j);
	pthread_mutex_unlock(&p->mu);
	r->job = NULL;
}

/* Hand [r->scan, n) to the pool.  Returns 0, -1 when there is no pool. */
static int job_start(struct tui *ui, struct tui_result *r, uint32_t n)
{
	struct tui_pool *p = pool_get(ui);
	if (!p)
		return -1;
	struct tui_job *j = xcalloc(1, sizeof *j);
	struct query_spec qs;
	tui_spec_view(&ui->spec, &qs);
	char err[200];
	int64_t now = realtime_us();
	for (int i = 0; i < p->nth; i++)
		j->q[i] = query_compile(&qs, now, err, sizeof err);
	j->refs = 1;
	j->begin = r->scan;
	j->end = n;
	j->order = r->by_rank ? ui->order : NULL;
	j->nchunks = (n - r->scan + TUI_CHUNK - 1) / TUI_CHUNK;
	j->chunks = xcalloc(j->nchunks, sizeof *j->chunks);
	pthread_mutex_lock(&p->mu);
	/* one job at a time for the workers; a job left behind is finished
	 * by the main loop alone */
	p->job = j;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	r->job = j;
	return 0;
}

static void push_id(struct tui_result *r, const struct store *st, uint32_t m)
{
	int64_t ts = st->msgs[m].first_ts;
	if (ts < r->last_ts)
		r->in_order = 0;
	else
		r->last_ts = ts;
	r->ids[r->n++] = m;
}

static void ensure_cap(struct tui_result *r, uint32_t n)
{
	if (r->cap >= n)
		return;
	size_t cap = r->cap ? r->cap : 4096;
	while (cap < n)
		cap += cap / 2;
	r->ids = xrealloc(r->ids, cap * sizeof *r->ids);
	r->cap = cap;
}

/* Merge finished chunks, take chunks while there is time.  Returns 0 when
 * the job is complete (and gone), 1 when the main loop should come back
 * at once, 2 when only the workers have work left. */
static int job_step(struct tui *ui, struct tui_result *r, int64_t deadline)
{
	struct tui_job *j = r->job;
	struct tui_pool *p = ui->pool;
	const struct store *st = ui->st;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (j->merged < j->nchunks && j->chunks[j->merged].state == 2) {
			struct tui_chunk *c = &j->chunks[j->merged];
			for (uint32_t i = 0; i < c->n; i++)
				push_id(r, st, c->ids[i]);
			free(c->ids);
			c->ids = NULL;
			j->merged++;
			uint64_t upto = (uint64_t)j->begin + (uint64_t)j->merged * TUI_CHUNK;
			r->scan = upto < j->end ? (uint32_t)upto : j->end;
		}
		if (j->merged == j->nchunks) {
			if (p->job == j)
				p->job = NULL;
			job_unref(j);
			pthread_mutex_unlock(&p->mu);
			r->job = NULL;
			return 0;
		}
		int all_taken = j->next >= j->nchunks;
		if (all_taken || tui_now_us() >= deadline) {
			pthread_mutex_unlock(&p->mu);
			return all_taken ? 2 : 1;
		}
		size_t c = j->next++;
		j->chunks[c].state = 1;
		j->refs++;
		pthread_mutex_unlock(&p->mu);
		scan_chunk(j, c, r->q, st);
		pthread_mutex_lock(&p->mu);
		j->chunks[c].state = 2;
		job_unref(j);
	}
}

/* --- results ------------------------------------------------------------------ */

static int contains_ci(const char *hay, const char *needle)
{
	size_t hn = strlen(hay), nn = strlen(needle);
	for (size_t i = 0; i + nn <= hn; i++) {
		size_t k = 0;
		while (k < nn && view_cmp_ci(hay + i + k, 1, needle + k, 1) == 0)
			k++;
		if (k == nn)
			return 1;
	}
	return 0;
}

/* Is every message matching b also a match of a?  True when only the
 * quick search changed and b's text contains a's (plain text search). */
static int narrows(const struct tui_spec *a, const struct tui_spec *b)
{
	if (a->regex || b->regex || !a->text[0] || !contains_ci(b->text, a->text))
		return 0;
	return strcmp(a->since, b->since) == 0 && strcmp(a->until, b->until) == 0 &&
	       strcmp(a->from, b->from) == 0 && strcmp(a->to, b->to) == 0 &&
	       strcmp(a->ip, b->ip) == 0 && strcmp(a->subject, b->subject) == 0 &&
	       strcmp(a->msgid, b->msgid) == 0 && strcmp(a->status, b->status) == 0 &&
	       strcmp(a->account, b->account) == 0;
}

static void result_reset(struct tui *ui, struct tui_result *r, struct query *q)
{
	job_cancel(ui, r);
	query_free(r->q);
	free(r->cand);
	r->cand = NULL;
	r->ncand = r->cand_pos = 0;
	r->range_start = 0;
	r->q = q;
	r->n = 0;
	r->scan = 0;
	r->by_rank = ui->order != NULL;
	r->in_order = 1;
	r->last_ts = INT64_MIN;
	r->started_us = tui_now_us();
}

static void result_free(struct tui *ui, struct tui_result *r)
{
	job_cancel(ui, r);
	query_free(r->q);
	free(r->ids);
	free(r->cand);
	memset(r, 0, sizeof *r);
}

/* Test messages [r->scan, n) on this thread until the deadline.  Returns
 * 1 when done.  The caller holds the store lock while loading. */
static int result_scan(struct tui *ui, struct tui_result *r, uint32_t n, int64_t deadline)
{
	const struct store *st = ui->st;
	const uint32_t *order = r->by_rank ? ui->order : NULL;
	if (!r->q)
		return 1;
	ensure_cap(r, (uint32_t)(r->ncand + n));
	while (r->cand_pos < r->ncand) {
		size_t stop = r->ncand - r->cand_pos > 2048 ? r->cand_pos + 2048 : r->ncand;
		for (; r->cand_pos < stop; r->cand_pos++)
			if (query_match(r->q, st, r->cand[r->cand_pos]))
				push_id(r, st, r->cand[r->cand_pos]);
		if (tui_now_us() >= deadline)
			return 0;
	}
	if (r->cand) {
		free(r->cand);
		r->cand = NULL;
	}
	uint32_t p = r->scan;
	while (p < n) {
		uint32_t stop = n - p > 2048 ? p + 2048 : n;
		for (; p < stop; p++) {
			uint32_t m = order ? order[p] : p;
			if (query_match(r->q, st, m))
				push_id(r, st, m);
		}
		if (tui_now_us() >= deadline)
			break;
	}
	r->scan = p;
	return p >= n;
}

/* Advance r.  Returns 0 done, 1 more for this thread, 2 workers busy. */
static int result_step(struct tui *ui, struct tui_result *r, uint32_t n, int64_t deadline)
{
	if (!r->q)
		return 0;
	if (!r->job && !r->cand && !ui->loader_running && n - r->scan >= 2 * TUI_CHUNK) {
		ensure_cap(r, n);
		job_start(ui, r, n);
	}
	if (r->job) {
		int rc = job_step(ui, r, deadline);
		if (rc)
			return rc;
	}
	return result_scan(ui, r, n, deadline) ? 0 : 1;
}

int tui_filter_apply(struct tui *ui, int progressive, char *err, size_t errlen)
{
	struct query_spec qs;
	tui_spec_view(&ui->spec, &qs);
	char e[400];
	struct query *q = query_compile(&qs, realtime_us(), e, sizeof e);
	if (!q) {
		tbuf_reset(&ui->tmp);
		view_escape(&ui->tmp, e, strlen(e), ui->ascii);
		tui_message(ui, 1, "%s", tbuf_str(&ui->tmp));
		if (err)
			snprintf(err, errlen, "%s", e);
		return -1;
	}
	if (progressive && narrows(&ui->cur_spec, &ui->spec) && ui->cur.q &&
	    ui->cur.by_rank == (ui->order != NULL)) {
		/* keep what the old scan found as candidates; go on from where
		 * it stopped */
		struct tui_result *r = &ui->cur;
		job_cancel(ui, r);
		/* candidates: the matches so far, then the old candidates the
		 * old scan had not tested yet (both ascend) */
		size_t left = r->ncand - r->cand_pos;
		uint32_t *cand = r->ids;
		size_t ncand = r->n;
		if (left) {
			cand = xrealloc(cand, (ncand + left) * sizeof *cand);
			memcpy(cand + ncand, r->cand + r->cand_pos, left * sizeof *cand);
			ncand += left;
		}
		uint32_t from = r->scan;
		r->ids = NULL;
		r->cap = 0;
		result_reset(ui, r, q);
		if (ncand) {
			r->cand = cand;
			r->ncand = ncand;
		} else {
			free(cand);
		}
		r->scan = from;
		r->range_start = from;
		if (ui->next_active) {
			result_reset(ui, &ui->next, NULL);
			ui->next_active = 0;
		}
		ui->sc.cur = ui->sc.top = 0;
		ui->sel_msg = MSG_NONE;
	} else if (progressive) {
		result_reset(ui, &ui->cur, q);
		if (ui->next_active) {
			result_reset(ui, &ui->next, NULL);
			ui->next_active = 0;
		}
		ui->sc.cur = ui->sc.top = 0;
		ui->sel_msg = MSG_NONE;
	} else {
		result_reset(ui, &ui->next, q);
		ui->next_active = 1;
	}
	if (progressive) {
		ui->cur_gen++;
		/* the old display array may be gone: show the new result */
		ui->disp = ui->cur.ids;
		ui->ndisp = ui->cur.n;
	}
	if (progressive || !ui->next_active)
		ui->cur_spec = ui->spec;
	else
		ui->next_spec = ui->spec;
	ui->sort_dirty = 1;
	if (view_matcher_set(&ui->hl, ui->spec.text, ui->spec.regex) != 0)
		view_matcher_clear(&ui->hl);
	return 0;
}

int tui_filter_step(struct tui *ui, int64_t budget_us)
{
	int64_t deadline = tui_now_us() + budget_us;
	int more = 0;
	tui_lock(ui);
	uint32_t n = ui->st->nmsgs;
	ui->total = n;
	if (ui->next_active) {
		int rc = result_step(ui, &ui->next, n, deadline);
		if (rc == 0) {
			struct tui_result old = ui->cur;
			ui->cur = ui->next;
			ui->next = old;
			ui->cur_spec = ui->next_spec;
			ui->cur_gen++;
			result_reset(ui, &ui->next, NULL);
			ui->next_active = 0;
			ui->sort_dirty = 1;
			ui->last_scan_cost_us = tui_now_us() - ui->cur.started_us;
		} else {
			more = rc;
		}
	}
	int rc = result_step(ui, &ui->cur, n, deadline);
	if (rc == 1 || (rc == 2 && more == 0))
		more = rc;
	tui_unlock(ui);
	return more;
}

int tui_filter_progress(const struct tui *ui, unsigned *pct, int *refresh)
{
	const struct tui_result *r = &ui->cur;
	*refresh = 0;
	*pct = 100;
	if (r->q && (r->cand_pos < r->ncand || r->scan < ui->total)) {
		uint64_t todo = r->ncand + (ui->total - r->range_start);
		uint64_t done = r->cand_pos + (r->scan - r->range_start);
		*pct = todo ? (unsigned)(done * 100 / todo) : 0;
		return 1;
	}
	if (ui->next_active && ui->total) {
		*refresh = 1;
		*pct = (unsigned)((uint64_t)ui->next.scan * 100 / ui->total);
		return 1;
	}
	return 0;
}

void tui_filter_build_order(struct tui *ui)
{
	const struct store *st = ui->st;
	uint32_t n = st->nmsgs;
	uint32_t *order = xmalloc((n ? n : 1) * sizeof *order);
	uint32_t *tids = xmalloc((n ? n : 1) * sizeof *tids);
	uint64_t *keys = xmalloc((n ? n : 1) * sizeof *keys);
	uint64_t *tkeys = xmalloc((n ? n : 1) * sizeof *tkeys);
	for (uint32_t m = 0; m < n; m++) {
		order[m] = m;
		keys[m] = view_time_key(st->msgs[m].first_ts);
	}
	view_radix_sort(order, keys, n, 64, tids, tkeys);
	free(keys);
	free(tkeys);
	/* reuse the scratch as the inverse */
	uint32_t *rank = tids;
	for (uint32_t i = 0; i < n; i++)
		rank[order[i]] = i;
	free(ui->order);
	free(ui->rank);
	ui->order = order;
	ui->rank = rank;
	ui->norder = n;
}

void tui_filter_release(struct tui *ui)
{
	result_free(ui, &ui->cur);
	result_free(ui, &ui->next);
	pool_release(ui);
	free(ui->order);
	free(ui->rank);
	ui->order = ui->rank = NULL;
}
