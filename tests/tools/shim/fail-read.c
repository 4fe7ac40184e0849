/*
 * An LD_PRELOAD shim for the e2e tests: while the file named by
 * ANFANG_FAIL_READS exists, every read of a database file (a path ending
 * in ".db" or ".db-wal") fails with EIO, as a failing disk's would; the
 * test makes and removes that file to start and end the fault.  Without
 * ANFANG_FAIL_READS it only passes calls on.
 */
#define _GNU_SOURCE
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef ssize_t (*read_fn)(int, void *, size_t);
typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);
typedef ssize_t (*pread64_fn)(int, void *, size_t, off64_t);

static int
ends(const char *s, size_t n, const char *end)
{
	size_t e = strlen(end);

	return n >= e && memcmp(s + n - e, end, e) == 0;
}

/* Reading fd fails now. */
static int
failing(int fd)
{
	const char *flag = getenv("ANFANG_FAIL_READS");
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (flag == NULL || *flag == '\0' || access(flag, F_OK) != 0)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) < 0)
		return 0;
	path[n] = '\0';
	if (!ends(path, (size_t)n, ".db") && !ends(path, (size_t)n, ".db-wal"))
		return 0;
	errno = EIO;
	return 1;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	static read_fn real;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "read");
	return failing(fd) ? -1 : real(fd, buf, n);
}

ssize_t
pread(int fd, void *buf, size_t n, off_t off)
{
	static pread_fn real;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "pread");
	return failing(fd) ? -1 : real(fd, buf, n, off);
}

ssize_t
pread64(int fd, void *buf, size_t n, off64_t off)
{
	static pread64_fn real;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "pread64");
	return failing(fd) ? -1 : real(fd, buf, n, off);
}
