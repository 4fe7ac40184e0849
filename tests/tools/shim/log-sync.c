/*
 * An LD_PRELOAD shim for the e2e tests: each rename, link and fsync the
 * program makes is appended, one a line, to the file ANFANG_SYNC_LOG
 * ("rename FROM TO", "link FROM TO", "sync PATH"), so that a test can
 * tell that a file's new name was written out after it was given: an
 * fsync of its directory after the rename.  Without ANFANG_SYNC_LOG it
 * only passes calls on.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The next definition of name (libc's). */
#define REAL(name, type)                                                       \
	static type real;                                                      \
	if (real == NULL)                                                      \
	*(void **)&real = dlsym(RTLD_NEXT, name)

static void
log_line(const char *what, const char *a, const char *b)
{
	const char *path = getenv("ANFANG_SYNC_LOG");
	char line[2 * PATH_MAX + 32];
	int fd, n;

	if (path == NULL || *path == '\0')
		return;
	n = snprintf(line, sizeof line, "%s %s%s%s\n", what, a, b ? " " : "",
	    b ? b : "");
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	/* One write of the whole line: threads do not interleave. */
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) <
	    0)
		return;
	if (write(fd, line, (size_t)n) != n)
		abort();
	close(fd);
}

static void
log_fd(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) < 0)
		return;
	path[n] = '\0';
	log_line("sync", path, NULL);
}

typedef int (*sync_fn)(int);
typedef int (*rename_fn)(const char *, const char *);
typedef int (*renameat_fn)(int, const char *, int, const char *);
typedef int (*link_fn)(const char *, const char *);
typedef int (*linkat_fn)(int, const char *, int, const char *, int);

int
fsync(int fd)
{
	int rc;

	REAL("fsync", sync_fn);
	if ((rc = real(fd)) == 0)
		log_fd(fd);
	return rc;
}

int
fdatasync(int fd)
{
	int rc;

	REAL("fdatasync", sync_fn);
	if ((rc = real(fd)) == 0)
		log_fd(fd);
	return rc;
}

int
rename(const char *from, const char *to)
{
	int rc;

	REAL("rename", rename_fn);
	if ((rc = real(from, to)) == 0)
		log_line("rename", from, to);
	return rc;
}

int
renameat(int dfrom, const char *from, int dto, const char *to)
{
	int rc;

	REAL("renameat", renameat_fn);
	if ((rc = real(dfrom, from, dto, to)) == 0)
		log_line("rename", from, to);
	return rc;
}

int
link(const char *from, const char *to)
{
	int rc;

	REAL("link", link_fn);
	if ((rc = real(from, to)) == 0)
		log_line("link", from, to);
	return rc;
}

int
linkat(int dfrom, const char *from, int dto, const char *to, int flags)
{
	int rc;

	REAL("linkat", linkat_fn);
	if ((rc = real(dfrom, from, dto, to, flags)) == 0)
		log_line("link", from, to);
	return rc;
}
