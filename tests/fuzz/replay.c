/*
 * replay.c - run fuzz targets over saved inputs with the normal compiler
 * (no libFuzzer), for make test.
 *
 *   replay TARGET PATH...    each PATH is a file or a directory of files
 *
 * Every target file is compiled with LLVMFuzzerTestOneInput renamed to
 * fuzz_<target>_one (tests/fuzz/fuzz.mk) and linked here.  Prints
 * "PASS <target>: N inputs" when every input ran; a target that crashes,
 * aborts on a broken check or trips a sanitizer prints
 * "FAIL <target>: <input>" first (from a signal handler or the sanitizer's
 * death callback), so the failing input is named; each input's name also
 * goes to stderr before it runs, for the reports that bypass both.
 *
 * Key design decision: inputs run in one process, in sorted order, without
 * forking; the sanitizers' leak check at exit covers all of them at once.
 * Each input is handed over in an exact-size heap block, as libFuzzer does.
 */
#include <dirent.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TARGETS(X)                                                                          \
	X(postfix) X(exim) X(directadmin) X(gws) X(emaillabs) X(detect) X(lineio) X(csv)    \
	X(mime) X(textsafe) X(query) X(timeparse) X(load)

#define DECLARE(name) int fuzz_##name##_one(const uint8_t *data, size_t size);
TARGETS(DECLARE)

static const struct {
	const char *name;
	int (*one)(const uint8_t *, size_t);
} targets[] = {
#define ENTRY(name) {#name, fuzz_##name##_one},
	TARGETS(ENTRY)
};

static const char *cur_target = "?";
static char cur_input[4096] = "(before the first input)";
static unsigned long ninputs;

/* Async-signal-safe: write(2) only. */
static void say_fail(void)
{
	static const char fail[] = "FAIL ";
	ssize_t r = write(1, fail, sizeof fail - 1);
	r += write(1, cur_target, strlen(cur_target));
	r += write(1, ": ", 2);
	r += write(1, cur_input, strlen(cur_input));
	r += write(1, "\n", 1);
	(void)r;
}

static void on_signal(int sig)
{
	say_fail();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Present under the sanitizers: a callback run before they exit on a
 * report, and the leak check run on demand (then not again at exit). */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));
void __lsan_do_leak_check(void) __attribute__((weak));

static int run_file(int (*one)(const uint8_t *, size_t), const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("FAIL %s: cannot open %s\n", cur_target, path);
		return -1;
	}
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf) {
		printf("FAIL %s: out of memory reading %s\n", cur_target, path);
		return -1;
	}
	/* exact size, so a read past the end is a report */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, len);
	free(buf);
	snprintf(cur_input, sizeof cur_input, "%s", path);
	/* not every sanitizer calls the death callback (gcc's UBSan does
	 * not): replay.sh names the last input from this line */
	fprintf(stderr, "input %s\n", path);
	fflush(stdout);
	one(exact, len);
	free(exact);
	ninputs++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(int (*one)(const uint8_t *, size_t), const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0; /* an absent directory has no inputs */
	if (!S_ISDIR(st.st_mode))
		return run_file(one, path);
	DIR *d = opendir(path);
	if (!d) {
		printf("FAIL %s: cannot read %s\n", cur_target, path);
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				break;
		}
		size_t pl = strlen(path) + strlen(e->d_name) + 2;
		names[n] = malloc(pl);
		if (!names[n])
			break;
		snprintf(names[n], pl, "%s/%s", path, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && run_path(one, names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s TARGET [FILE|DIR]...\n", argv[0]);
		return 2;
	}
	int (*one)(const uint8_t *, size_t) = NULL;
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
		if (strcmp(targets[i].name, argv[1]) == 0) {
			one = targets[i].one;
			cur_target = targets[i].name;
		}
	if (!one) {
		printf("FAIL %s: no such fuzz target in replay.c\n", argv[1]);
		return 1;
	}
	/* A broken check aborts; the sanitizers handle the other signals
	 * themselves (and report better), so only a plain build needs them. */
	signal(SIGABRT, on_signal);
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(say_fail);
	} else {
		signal(SIGSEGV, on_signal);
		signal(SIGBUS, on_signal);
		signal(SIGFPE, on_signal);
		signal(SIGILL, on_signal);
	}
	int rc = 0;
	for (int i = 2; i < argc; i++)
		if (run_path(one, argv[i]) != 0)
			rc = 1;
	snprintf(cur_input, sizeof cur_input, "leak check after %lu inputs", ninputs);
	if (__lsan_do_leak_check)
		__lsan_do_leak_check();
	if (rc == 0)
		printf("PASS %s: %lu inputs\n", cur_target, ninputs);
	return rc;
}
