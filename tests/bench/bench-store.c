/*
 * bench-store: store figures that need the library, not the command line.
 *
 *   bench-store commit DB N   time to commit one answer, N times
 *   bench-store list DB N     from a known key to the first page of list
 *   bench-store listall DB N  every row of list, from a known key, in a
 *                             child process: time and its peak memory
 *   bench-store report DB N [month|all]
 *                             the text report of the last month (or of
 *                             all), from a known key, as listall
 *   bench-store csv DB N [month|all]
 *                             the csv table of the visits of the last
 *                             month (or of all), free texts included, as
 *                             report
 *   bench-store page DB N     what the visits screen reads to show the
 *                             list (its count, to 10,000, and its first
 *                             128 rows), to go to its end (the last 128),
 *                             and more, on a store already open
 *
 * The passphrase is read from standard input.  Prints key=value figures
 * like bench-run: median and 99th percentile in milliseconds.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "anfang/change.h"
#include "anfang/clock.h"
#include "anfang/crypt-kdf.h"
#include "anfang/crypt.h"
#include "anfang/form-load.h"
#include "anfang/passphrase.h"
#include "anfang/report.h"
#include "anfang/store-report.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"

static const char bench_form[] =
    "form: bench\nversion: 1\ntitle: T\nlanguage: en\nunits: [u]\n"
    "sections:\n  - title: S\n    questions:\n"
    "      - {id: n, type: number, label: N}\n";

static double
bench_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
bench_report(const char *what, double *t, size_t n)
{
	size_t p99 = (n * 99 + 99) / 100;

	qsort(t, n, sizeof *t, bench_cmp);
	printf("%s runs=%zu median_ms=%.3f p99_ms=%.3f min_ms=%.3f "
	       "max_ms=%.3f\n",
	    what, n, n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2,
	    t[p99 ? p99 - 1 : 0], t[0], t[n - 1]);
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "bench-store: %s: %s\n", what, why);
	exit(1);
}

static void
bench_commit(struct store *s, size_t n)
{
	struct diag_list diags = { 0 };
	struct value v = { 0 };
	struct visit *vis;
	struct form *f;
	double *t = calloc(n, sizeof *t), t0;
	char *cause = NULL;
	size_t i;

	f = form_load_mem(
	    "bench", NULL, bench_form, strlen(bench_form), &diags);
	if (f == NULL)
		die("form", diags.v[0].msg);
	vis = visit_new(f, 1, "u", NULL, NULL, clock_now(), &cause);
	if (vis == NULL || change_insert(s, vis, clock_now(), &cause))
		die("visit", cause);
	for (i = 0; i < n; i++) {
		value_number(&v, (double)i);
		t0 = bench_ms();
		/* what the terminal UI does for each answer given */
		if (change_answer(s, vis, 0, &v, clock_now(), &cause) != 0)
			die("answer", cause);
		t[i] = bench_ms() - t0;
	}
	bench_report("commit", t, n);
	value_clear(&v);
	visit_free(vis);
	free(t);
}

static int
bench_row(void *arg, const struct store_visit_row *r)
{
	(*(size_t *)arg) += strlen(r->unit_name) > 0;
	return 0;
}

static void
bench_list(const char *path, const struct crypt_mem *key, size_t n)
{
	double *t = calloc(n, sizeof *t), t0;
	struct store *s;
	char *cause = NULL;
	size_t i, rows;

	for (i = 0; i < n; i++) {
		rows = 0;
		t0 = bench_ms();
		if (store_open_key(path, key, &s, &cause) != STORE_OK ||
		    store_visit_list(s, -1, 0, 25, bench_row, &rows, &cause))
			die(path, cause);
		store_close(s);
		t[i] = bench_ms() - t0;
		if (rows != 25)
			die("list", "fewer than 25 visits");
	}
	bench_report("list_first_page", t, n);
	free(t);
}

/*
 * The whole list in a child, so that its peak memory is the listing's
 * own and not Argon2's, which the parent paid for.
 */
static void
bench_listall(const char *path, const struct crypt_mem *key, size_t n)
{
	double *t = calloc(n, sizeof *t), t0, peak = 0;
	struct rusage ru;
	struct store *s;
	char *cause = NULL;
	size_t i, rows = 0;
	int status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		t0 = bench_ms();
		if ((pid = fork()) == 0) {
			if (store_open_key(path, key, &s, &cause) != STORE_OK ||
			    store_visit_list(
			        s, -1, 0, 0, bench_row, &rows, &cause))
				die(path, cause);
			store_close(s);
			_exit(rows > 0 ? 0 : 1);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			die("listall", "the child failed");
		t[i] = bench_ms() - t0;
		if (ru.ru_maxrss / 1024.0 > peak)
			peak = ru.ru_maxrss / 1024.0;
	}
	printf("maxrss_mib=%.1f ", peak);
	bench_report("list_all", t, n);
	free(t);
}

/* The CPU time of a child, user and system, in milliseconds. */
static double
bench_cpu_ms(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
	       (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

/* The csv table of the visits (report --format csv --table visits). */
static int
bench_csv(struct report_source *src, const struct report_options *o, FILE *out,
    char **cause)
{
	struct report_period p;
	struct form *form = NULL;
	char *family = NULL;
	int rc = -1;

	if (report_resolve(src, o, &family, &p, cause) == REPORT_OK &&
	    family != NULL &&
	    report_form(src, family, o, &form, cause) == REPORT_OK)
		rc = report_csv_visits(
		    src, family, form, &p, 0, out, NULL, cause);
	if (form != NULL)
		form_free(form);
	free(family);
	return rc;
}

/* One report (the csv table of the visits when csv) in a child, as
 * bench_listall: what the command does once its key is derived.  Its CPU
 * time too: steadier than the wall clock on a busy machine. */
static void
bench_report_text(
    const char *path, const struct crypt_mem *key, size_t n, int all, int csv)
{
	double *t = calloc(n, sizeof *t), *cpu = calloc(n, sizeof *cpu), t0;
	double peak = 0;
	struct report_options o;
	struct report_source *src;
	struct report *r;
	struct rusage ru;
	struct store *s;
	char *cause = NULL;
	FILE *null;
	size_t i;
	int status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		t0 = bench_ms();
		if ((pid = fork()) == 0) {
			report_options_init(&o);
			o.language = "en";
			if (all) {
				o.span = REPORT_ALL;
				o.span_given = 1;
			}
			if ((null = fopen("/dev/null", "w")) == NULL ||
			    store_open_key(path, key, &s, &cause) != STORE_OK ||
			    (src = store_report_source(s, &cause)) == NULL)
				die(path, cause);
			if (csv) {
				if (bench_csv(src, &o, null, &cause) != 0)
					die(path, cause);
				_exit(0);
			}
			if (report_build(src, &o, &r, &cause) != REPORT_OK ||
			    report_text_write(r, null, &cause) != 0)
				die(path, cause);
			_exit(r->headline.now.visits > 0 ? 0 : 1);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			die("report", "the child failed");
		t[i] = bench_ms() - t0;
		cpu[i] = bench_cpu_ms(&ru);
		if (ru.ru_maxrss / 1024.0 > peak)
			peak = ru.ru_maxrss / 1024.0;
	}
	qsort(cpu, n, sizeof *cpu, bench_cmp);
	printf("maxrss_mib=%.1f cpu_median_ms=%.0f ", peak,
	    n % 2 ? cpu[n / 2] : (cpu[n / 2 - 1] + cpu[n / 2]) / 2);
	bench_report(csv ? (all ? "csv_all" : "csv_month")
	                 : (all ? "report_all" : "report_month"),
	    t, n);
	free(t);
	free(cpu);
}

static int
bench_page_row(void *arg, const struct store_visit_row *r)
{
	(*(size_t *)arg) += r->id[0] != '\0';
	return 0;
}

/* The screen's reads: its figures must not grow with the visits. */
static void
bench_page(const char *path, const struct crypt_mem *key, size_t n)
{
	static const struct {
		const char *what;
		int status;
		int back;
		const char *text;
	} runs[] = {
		{ "page_first", -1, 0, NULL },
		{ "page_end", -1, 1, NULL },
		{ "page_first_drafts", VISIT_DRAFT, 0, NULL },
		/* no index helps a text: a filter matching little reads the
		 * whole list (the worst case, for the record) */
		{ "page_first_text_nomatch", -1, 0, "no such text" },
	};
	struct store_visit_filter f = { -1, NULL };
	double *t = calloc(n, sizeof *t), t0;
	struct store *s;
	char *cause = NULL;
	size_t i, k, rows, count;

	if (store_open_key(path, key, &s, &cause) != STORE_OK)
		die(path, cause);
	for (k = 0; k < sizeof runs / sizeof runs[0]; k++) {
		f.status = runs[k].status;
		f.text = runs[k].text;
		for (i = 0; i < n; i++) {
			rows = 0;
			t0 = bench_ms();
			if ((!runs[k].back && store_visit_count(s, &f, 10000,
			                          &count, &cause) != 0) ||
			    store_visit_page(s, &f, NULL, runs[k].back, 128,
			        bench_page_row, &rows, &cause) != 0)
				die("page", cause);
			t[i] = bench_ms() - t0;
			if (rows == 0 && runs[k].text == NULL)
				die("page", "no visits");
		}
		bench_report(runs[k].what, t, n);
	}
	store_close(s);
	free(t);
}

int
main(int argc, char **argv)
{
	unsigned char header[CRYPT_KDF_HEADER_BYTES];
	struct crypt_mem *pass, *key;
	struct crypt_kdf kdf;
	struct store *s;
	char *cause = NULL;
	size_t n;
	FILE *f;

	if (argc != 4 && !(argc == 5 && (strcmp(argv[1], "report") == 0 ||
	                                    strcmp(argv[1], "csv") == 0)))
		die("usage",
		    "bench-store commit|list|listall|report|csv|page DB N");
	n = (size_t)atol(argv[3]);
	if (crypt_init(&cause) != 0)
		die("libsodium", cause);
	if ((pass = passphrase_read(0, "", NULL, &cause)) == NULL)
		die("passphrase", cause);
	if (strcmp(argv[1], "commit") == 0) {
		if (store_open(argv[2], pass, &s, &cause) != STORE_OK)
			die(argv[2], cause);
		bench_commit(s, n);
		store_close(s);
	} else {
		/* The key is derived once, outside what is timed. */
		if ((f = fopen(argv[2], "rb")) == NULL ||
		    fread(header, 1, sizeof header, f) != sizeof header)
			die(argv[2], "cannot read");
		fclose(f);
		if (crypt_kdf_parse(&kdf, header, &cause) != 0 ||
		    (key = crypt_kdf_derive(&kdf, pass, &cause)) == NULL)
			die("key", cause);
		if (strcmp(argv[1], "list") == 0)
			bench_list(argv[2], key, n);
		else if (strcmp(argv[1], "report") == 0 ||
		         strcmp(argv[1], "csv") == 0)
			bench_report_text(argv[2], key, n,
			    argc == 5 && strcmp(argv[4], "all") == 0,
			    strcmp(argv[1], "csv") == 0);
		else if (strcmp(argv[1], "page") == 0)
			bench_page(argv[2], key, n);
		else
			bench_listall(argv[2], key, n);
		crypt_mem_free(key);
	}
	crypt_mem_free(pass);
	return 0;
}
