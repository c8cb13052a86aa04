/*
 * main.c - command line: options, then either the TUI (a terminal and no
 * output option) or one of the non-interactive outputs.
 *
 * Exit status: 0 something matched, 1 nothing matched, 2 error (bad
 * option, nothing readable, nothing recognised).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <malloc.h>

#include "correlate.h"
#include "i18n.h"
#include "load.h"
#include "output.h"
#include "parser.h"
#include "query.h"
#include "stats.h"
#include "timeparse.h"
#include "trace.h"
#include "tui.h"
#include "xalloc.h"

enum mode { MODE_AUTO, MODE_LIST, MODE_TRACE, MODE_JSON, MODE_STATS };

struct cli {
	enum mode mode;
	int json;
	const char *trace_key;
	struct query_spec spec;
	struct load_opts load;
	const char *tz;
	int quiet;
};

static void usage(FILE *f)
{
	fprintf(f, "%s", _(
"Usage: mailtrail [OPTIONS] [FILE|DIR|-]...\n"
"What happened to this mail?  Reads Postfix, Exim, DirectAdmin usage logs and\n"
"Google Workspace / EmailLabs CSV exports (plain, .gz, rotated sets, stdin).\n"
"With no FILE it reads /var/log/mail.log*, /var/log/maillog*, Exim's mainlog*.\n"
"\n"
"Output (default on a terminal: the interactive screen):\n"
"  -l, --list            one line per message\n"
"  -t, --trace KEY       follow messages end to end; KEY is a queue id,\n"
"                        a Message-ID or an e-mail address\n"
"  -j, --json            NDJSON, one object per message (docs/json.md)\n"
"      --stats           traffic, top senders, failure reasons, spam suspects\n"
"\n"
"Filters (all given ones must match; text is a case-insensitive substring):\n"
"      --since WHEN      2026-11-20, \"2026-11-20 10:00\", today, yesterday, -2h, -3d\n"
"      --until WHEN\n"
"  -f, --from ADDR       sender\n"
"  -r, --to ADDR         any recipient\n"
"      --ip ADDR         client IP or host name\n"
"  -s, --subject TEXT\n"
"  -m, --msgid ID        Message-ID header or queue id (<> optional)\n"
"      --status LIST     delivered,bounced,deferred,expired,rejected,partial,queued\n"
"      --account USER    DirectAdmin account or authenticated login\n"
"  -E, --regex           filters are PCRE2 regular expressions\n"
"\n"
"Input:\n"
"      --format NAME     do not detect: postfix, exim, directadmin, gws, emaillabs\n"
"      --year YYYY       year for syslog stamps without one (default: from file time)\n"
"      --tz ZONE         time zone of stamps without one, e.g. Europe/Warsaw\n"
"      --threads N       parser threads (default: one per core)\n"
"  -q, --quiet           report only files with problems\n"
"  -h, --help            this text\n"
"  -V, --version\n"
"\n"
"Examples:\n"
"  mailtrail --list --from anna@example.com --to @gmail.com --since yesterday\n"
"  mailtrail --trace 4HnkK60lBRz6tl1 /var/log/mail.log*\n"
"  mailtrail --list --status bounced --since today\n"
"  journalctl -u postfix | mailtrail --list -\n"));
}

static int parse_args(int argc, char **argv, struct cli *c)
{
	enum { O_SINCE = 256, O_UNTIL, O_IP, O_STATUS, O_ACCOUNT, O_FORMAT, O_YEAR, O_TZ, O_THREADS,
	       O_STATS };
	static const struct option opts[] = {
		{"list", no_argument, NULL, 'l'},       {"trace", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},       {"stats", no_argument, NULL, O_STATS},
		{"since", required_argument, NULL, O_SINCE},
		{"until", required_argument, NULL, O_UNTIL},
		{"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 'r'},
		{"ip", required_argument, NULL, O_IP},  {"subject", required_argument, NULL, 's'},
		{"msgid", required_argument, NULL, 'm'},
		{"status", required_argument, NULL, O_STATUS},
		{"account", required_argument, NULL, O_ACCOUNT},
		{"regex", no_argument, NULL, 'E'},      {"format", required_argument, NULL, O_FORMAT},
		{"year", required_argument, NULL, O_YEAR}, {"tz", required_argument, NULL, O_TZ},
		{"threads", required_argument, NULL, O_THREADS},
		{"quiet", no_argument, NULL, 'q'},      {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0},
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "lt:jf:r:s:m:EqhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			c->mode = MODE_LIST;
			break;
		case 't':
			c->mode = MODE_TRACE;
			c->trace_key = optarg;
			break;
		case 'j':
			c->json = 1;
			break;
		case O_STATS:
			c->mode = MODE_STATS;
			break;
		case O_SINCE:
			c->spec.since = optarg;
			break;
		case O_UNTIL:
			c->spec.until = optarg;
			break;
		case 'f':
			c->spec.from = optarg;
			break;
		case 'r':
			c->spec.to = optarg;
			break;
		case O_IP:
			c->spec.ip = optarg;
			break;
		case 's':
			c->spec.subject = optarg;
			break;
		case 'm':
			c->spec.msgid = optarg;
			break;
		case O_STATUS:
			c->spec.status = optarg;
			break;
		case O_ACCOUNT:
			c->spec.account = optarg;
			break;
		case 'E':
			c->spec.regex = 1;
			break;
		case O_FORMAT:
			if (!parser_by_name(optarg)) {
				fprintf(stderr, _("mailtrail: --format: unknown format \"%s\" (known: "),
					optarg);
				for (size_t i = 0; i < parser_registry_len; i++)
					fprintf(stderr, "%s%s", i ? ", " : "", parser_registry[i]->name);
				fprintf(stderr, ")\n");
				return -1;
			}
			c->load.format = optarg;
			break;
		case O_YEAR: {
			char *e;
			long y = strtol(optarg, &e, 10);
			if (*e || y < 1970 || y > 2200) {
				fprintf(stderr, _("mailtrail: --year: \"%s\" is not a year like 2026\n"),
					optarg);
				return -1;
			}
			c->load.year = (int)y;
			break;
		}
		case O_TZ:
			c->tz = optarg;
			break;
		case O_THREADS:
			c->load.threads = atoi(optarg);
			break;
		case 'q':
			c->quiet = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("mailtrail %s\n", MAILTRAIL_VERSION);
			exit(0);
		default:
			fprintf(stderr, _("Try 'mailtrail --help' for the options.\n"));
			return -1;
		}
	}
	c->load.paths = (const char *const *)(argv + optind);
	c->load.npaths = (size_t)(argc - optind);
	return 0;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * US_PER_SEC + ts.tv_nsec / 1000;
}

static int cmp_by_time_st(const void *a, const void *b, void *arg)
{
	const struct store *st = arg;
	const struct message *x = &st->msgs[*(const uint32_t *)a];
	const struct message *y = &st->msgs[*(const uint32_t *)b];
	if (x->first_ts != y->first_ts)
		return x->first_ts < y->first_ts ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int key_matches(const struct store *st, uint32_t m, const char *key, const char *norm,
		       size_t nlen)
{
	const struct message *msg = &st->msgs[m];
	if (msg->qid && strcmp(store_str(st, msg->qid), key) == 0)
		return 1;
	if (msg->msgid && strtab_len(&st->strs, msg->msgid) == nlen &&
	    strncasecmp(store_str(st, msg->msgid), norm, nlen) == 0)
		return 1;
	if (msg->sender && strcasecmp(store_str(st, msg->sender), key) == 0)
		return 1;
	for (uint32_t r = msg->first_rcpt; r != RCPT_NONE; r = st->rcpts[r].next)
		if (strcasecmp(store_str(st, st->rcpts[r].addr), key) == 0 ||
		    (st->rcpts[r].orig && strcasecmp(store_str(st, st->rcpts[r].orig), key) == 0))
			return 1;
	return 0;
}

static int run_cli(struct cli *c, struct store *st)
{
	char err[400];
	int64_t now = now_us();
	struct query *q = query_compile(&c->spec, now, err, sizeof err);
	if (!q) {
		fprintf(stderr, "mailtrail: %s\n", err);
		return 2;
	}
	struct query *q2 = query_compile(&c->spec, now, err, sizeof err);
	uint32_t *sel = xmalloc((st->nmsgs ? st->nmsgs : 1) * sizeof *sel);
	size_t n = query_select(q, q2, st, sel);
	if (query_limit_report(q, err, sizeof err) ||
	    (q2 && query_limit_report(q2, err, sizeof err)))
		fprintf(stderr, "mailtrail: %s\n", err);
	query_free(q2);
	qsort_r(sel, n, sizeof *sel, cmp_by_time_st, st);
	int rc = 0;
	struct tbuf out = TBUF_INIT;

	if (c->mode == MODE_STATS) {
		stats_print(stdout, st, sel, n, c->json);
		rc = n ? 0 : 1;
	} else if (c->mode == MODE_TRACE) {
		const char *key = c->trace_key;
		if (strncasecmp(key, "message-id:", 11) == 0)
			key += 11;
		while (*key == ' ')
			key++;
		char norm[512];
		size_t nlen = corr_norm_msgid(key, strlen(key), norm, sizeof norm - 1);
		norm[nlen] = '\0';
		uint8_t *shown = xcalloc(st->nmsgs ? st->nmsgs : 1, 1);
		size_t matched = 0;
		for (size_t i = 0; i < n; i++) {
			uint32_t m = sel[i];
			if (shown[m] || !key_matches(st, m, key, norm, nlen))
				continue;
			matched++;
			struct trace t;
			trace_build(st, m, 1, &t);
			for (size_t k = 0; k < t.nmsgs; k++)
				shown[t.msgs[k]] = 1;
			tbuf_reset(&out);
			if (c->json) {
				for (size_t k = 0; k < t.nmsgs; k++) {
					tbuf_reset(&out);
					output_json_message(&out, st, t.msgs[k], &t);
					fprintf(stdout, "%s\n", out.data);
				}
			} else {
				output_trace_text(&out, st, &t);
				fputs(out.data, stdout);
			}
			trace_release(&t);
		}
		free(shown);
		if (!matched) {
			fprintf(stderr,
				P_("mailtrail: no message matches \"%s\" (%u message loaded)\n",
				   "mailtrail: no message matches \"%s\" (%u messages loaded)\n",
				   st->nmsgs),
				c->trace_key, st->nmsgs);
			rc = 1;
		}
	} else if (c->json) {
		/* Raw lines are re-read for a batch of messages at a time: the
		 * messages are in time order, so each file is read forward once
		 * per batch instead of once per message. */
		enum { BATCH = 4096 };
		struct trace *tr = xcalloc(BATCH, sizeof *tr);
		for (size_t i = 0; i < n; i += BATCH) {
			size_t k = n - i < BATCH ? n - i : BATCH;
			for (size_t j = 0; j < k; j++)
				trace_build_single(st, sel[i + j], &tr[j]);
			trace_fetch_raw(st, tr, k);
			for (size_t j = 0; j < k; j++) {
				tbuf_reset(&out);
				output_json_message(&out, st, sel[i + j], &tr[j]);
				fprintf(stdout, "%s\n", out.data);
				trace_release(&tr[j]);
			}
		}
		free(tr);
		rc = n ? 0 : 1;
	} else {
		output_list(stdout, st, sel, n);
		rc = n ? 0 : 1;
	}
	if (rc == 1 && c->mode != MODE_TRACE)
		fprintf(stderr,
			P_("mailtrail: no message matches the filters (%u message loaded)\n",
			   "mailtrail: no message matches the filters (%u messages loaded)\n",
			   st->nmsgs),
			st->nmsgs);
	tbuf_release(&out);
	free(sel);
	query_free(q);
	return rc;
}

int main(int argc, char **argv)
{
	/* Large allocations (the store's arrays, string chunks, hash tables)
	 * come from mmap and go back to the system when freed.  glibc's
	 * default raises this threshold after the first such free, and the
	 * correlator's freed tables would then stay in the heap and count in
	 * the peak. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	i18n_init();
	struct cli c;
	memset(&c, 0, sizeof c);
	if (parse_args(argc, argv, &c) != 0)
		return 2;
	if (c.tz) {
		setenv("TZ", c.tz, 1);
		tzset();
	}
	if (c.json && c.mode == MODE_AUTO)
		c.mode = MODE_JSON;
	int interactive = c.mode == MODE_AUTO && isatty(1) && isatty(0);
	for (size_t i = 0; i < c.load.npaths; i++)
		if (strcmp(c.load.paths[i], "-") == 0)
			interactive = 0; /* stdin is the log, not the keyboard */
	if (c.mode == MODE_AUTO)
		c.mode = MODE_LIST;

	parser_init_all();
	struct store st;
	store_init(&st);
	struct tbuf notes = TBUF_INIT;
	size_t nfiles = load_expand(&st, &c.load, &notes);
	if (notes.len && !c.quiet)
		fputs(notes.data, stderr);
	tbuf_release(&notes);
	if (nfiles == 0) {
		if (c.load.npaths == 0)
			fprintf(stderr, "%s", _("mailtrail: no mail log found in /var/log (mail.log, "
						"maillog, exim4/mainlog, exim/mainlog); name the files "
						"to read, or - for standard input\n"));
		store_release(&st);
		return 2;
	}
	if (interactive) {
		int rc = tui_run(&st, &c.load, &c.spec);
		store_release(&st);
		return rc;
	}
	load_run(&st, &c.load, NULL);
	output_file_report(stderr, &st, c.quiet);
	uint64_t lines, ok, unknown;
	output_totals(&st, &lines, &ok, &unknown);
	int rc;
	if (ok == 0) {
		char nlines[96];
		snprintf(nlines, sizeof nlines, P_("%llu line read", "%llu lines read", lines),
			 (unsigned long long)lines);
		fprintf(stderr,
			/* TRANSLATORS: %u is the number of files (it picks the
			 * plural form); %s is "N lines read", translated on its own */
			P_("mailtrail: nothing was recognised in %u file (%s): this is not \"no "
			   "match\"; see the report above\n",
			   "mailtrail: nothing was recognised in %u files (%s): this is not \"no "
			   "match\"; see the report above\n",
			   st.nfiles),
			st.nfiles, nlines);
		rc = 2;
	} else {
		rc = run_cli(&c, &st);
	}
	store_release(&st);
	return rc;
}
