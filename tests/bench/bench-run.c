/*
 * bench-run: run a command N times and print how long it took.
 *
 *	bench-run [-n N] [-w WARMUP] [-i FILE] [-q] [-v] -- CMD ARGS...
 *
 * Runs CMD WARMUP times (default 1) untimed, then N times (default 10),
 * one run after the other, and prints one line:
 *
 *	runs=N median_ms=M p99_ms=P min_ms=A max_ms=B maxrss_mib=R
 *
 * Times are wall-clock (CLOCK_MONOTONIC) from fork to the end of wait4, in
 * milliseconds; p99 is by nearest rank; maxrss_mib is the largest ru_maxrss
 * of the timed runs.  When runs fail, "failed=K" ends the line and the exit
 * status is 1.
 *
 *	-n N	timed runs (1 to 100000)
 *	-w N	untimed warm-up runs before them (0 to 100000)
 *	-i FILE	standard input of each run (default /dev/null)
 *	-q	quiet: no message about failed runs on stderr
 *	-v	let the command's stdout and stderr through (default /dev/null)
 *
 * Exit status: 0 when every run exited 0, 1 when one did not, 64 for a
 * usage error, 71 when a run could not be started at all (the command is
 * not found, fork failed).
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 100000

struct options {
	long runs;
	long warmup;
	const char *input;
	int quiet;
	int verbose;
	char **argv;
};

struct sample {
	double ms;
	long maxrss_kib;
	int status;
};

static void
usage(void)
{
	fprintf(stderr, "usage: bench-run [-n N] [-w WARMUP] [-i FILE] [-q] "
	                "[-v] -- CMD ARGS...\n");
	exit(64);
}

static long
parse_count(const char *s, long min, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < min || n > max) {
		fprintf(stderr, "bench-run: %s: not a number from %ld to %ld\n",
		    s, min, max);
		exit(64);
	}
	return n;
}

static double
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		perror("bench-run: clock_gettime");
		exit(71);
	}
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/*
 * In the child: point fd at path (opened with flags), or die with 127.
 */
static void
redirect(int fd, const char *path, int flags, int errfd)
{
	int nfd;

	if ((nfd = open(path, flags)) == -1) {
		dprintf(errfd, "bench-run: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (nfd != fd) {
		if (dup2(nfd, fd) == -1)
			_exit(127);
		close(nfd);
	}
}

/*
 * Run the command once.  Returns 0 and fills *s, or -1 when it could not be
 * started (the reason printed).
 */
static int
run_once(const struct options *o, struct sample *s)
{
	struct rusage ru;
	double start;
	pid_t pid;
	ssize_t n;
	int fds[2], err, status, errfd;

	/* A close-on-exec pipe tells the parent when exec failed. */
	if (pipe(fds) == -1) {
		perror("bench-run: pipe");
		return -1;
	}
	if (fcntl(fds[1], F_SETFD, FD_CLOEXEC) == -1) {
		perror("bench-run: fcntl");
		return -1;
	}

	start = now_ms();
	if ((pid = fork()) == -1) {
		perror("bench-run: fork");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		errfd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (errfd == -1)
			errfd = STDERR_FILENO;
		redirect(STDIN_FILENO,
		    o->input != NULL ? o->input : "/dev/null", O_RDONLY, errfd);
		if (!o->verbose) {
			redirect(STDOUT_FILENO, "/dev/null", O_WRONLY, errfd);
			redirect(STDERR_FILENO, "/dev/null", O_WRONLY, errfd);
		}
		execvp(o->argv[0], o->argv);
		err = errno;
		(void)!write(fds[1], &err, sizeof err);
		_exit(127);
	}
	close(fds[1]);

	do
		n = read(fds[0], &err, sizeof err);
	while (n == -1 && errno == EINTR);
	close(fds[0]);

	while (wait4(pid, &status, 0, &ru) == -1) {
		if (errno != EINTR) {
			perror("bench-run: wait4");
			return -1;
		}
	}
	s->ms = now_ms() - start;
	if (n == (ssize_t)sizeof err) {
		fprintf(
		    stderr, "bench-run: %s: %s\n", o->argv[0], strerror(err));
		return -1;
	}
	s->maxrss_kib = ru.ru_maxrss;
	s->status = status;
	return 0;
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
report_failure(const struct options *o, const char *what, long i, int status)
{
	if (o->quiet)
		return;
	if (WIFEXITED(status))
		fprintf(stderr, "bench-run: %s run %ld: exit status %d\n", what,
		    i + 1, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "bench-run: %s run %ld: killed by signal %d\n",
		    what, i + 1, WTERMSIG(status));
}

static int
failed(int status)
{
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int
main(int argc, char **argv)
{
	struct options o = { .runs = 10, .warmup = 1 };
	struct sample s;
	double *ms, median, p99;
	long i, nfailed = 0, maxrss_kib = 0;
	long rank;
	int ch;

	while ((ch = getopt(argc, argv, "+n:w:i:qv")) != -1) {
		switch (ch) {
		case 'n':
			o.runs = parse_count(optarg, 1, MAX_RUNS);
			break;
		case 'w':
			o.warmup = parse_count(optarg, 0, MAX_RUNS);
			break;
		case 'i':
			o.input = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	o.argv = argv + optind;

	if ((ms = calloc((size_t)o.runs, sizeof *ms)) == NULL) {
		perror("bench-run");
		return 71;
	}

	for (i = 0; i < o.warmup; i++) {
		if (run_once(&o, &s) == -1)
			return 71;
		if (failed(s.status)) {
			report_failure(&o, "warm-up", i, s.status);
			nfailed++;
		}
	}
	for (i = 0; i < o.runs; i++) {
		if (run_once(&o, &s) == -1)
			return 71;
		if (failed(s.status)) {
			report_failure(&o, "timed", i, s.status);
			nfailed++;
		}
		ms[i] = s.ms;
		if (s.maxrss_kib > maxrss_kib)
			maxrss_kib = s.maxrss_kib;
	}

	qsort(ms, (size_t)o.runs, sizeof *ms, compare_double);
	if (o.runs % 2 == 1)
		median = ms[o.runs / 2];
	else
		median = (ms[o.runs / 2 - 1] + ms[o.runs / 2]) / 2.0;
	/* Nearest rank: the smallest value with 99 % of the runs at or below.
	 */
	rank = (99 * o.runs + 99) / 100;
	p99 = ms[rank - 1];

	printf("runs=%ld median_ms=%.2f p99_ms=%.2f min_ms=%.2f max_ms=%.2f "
	       "maxrss_mib=%.1f",
	    o.runs, median, p99, ms[0], ms[o.runs - 1],
	    (double)maxrss_kib / 1024.0);
	if (nfailed > 0)
		printf(" failed=%ld", nfailed);
	printf("\n");
	free(ms);
	return nfailed > 0 ? 1 : 0;
}
