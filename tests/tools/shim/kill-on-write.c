/*
 * An LD_PRELOAD shim for the e2e tests: the process is killed (SIGKILL,
 * as by a power cut or the OOM killer) at its first write into the folder
 * ANFANG_KILL_DIR, before a byte of it is written.  A test can then kill
 * a program "while it writes its file" every time, not when a poll of
 * /proc happens to catch it.  With ANFANG_KILL_NAME_DIR instead, it is
 * killed at its first rename or link that would give a file a name in
 * that folder, before the name is given: "after writing its files, while
 * it publishes them".  Without either it only passes calls on.
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/uio.h>

#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* fd is a file in ANFANG_KILL_DIR (or was, for an O_TMPFILE one). */
static void
kill_if_there(int fd)
{
	const char *dir = getenv("ANFANG_KILL_DIR");
	char link[64], path[PATH_MAX];
	size_t len;
	ssize_t n;

	if (dir == NULL || *dir == '\0')
		return;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) < 0)
		return;
	path[n] = '\0';
	len = strlen(dir);
	if (strncmp(path, dir, len) == 0 && path[len] == '/')
		raise(SIGKILL);
}

/* to (a path) names a file in ANFANG_KILL_NAME_DIR. */
static void
kill_if_named_there(const char *to)
{
	const char *dir = getenv("ANFANG_KILL_NAME_DIR");
	size_t len;

	if (dir == NULL || *dir == '\0')
		return;
	len = strlen(dir);
	if (strncmp(to, dir, len) == 0 && to[len] == '/')
		raise(SIGKILL);
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*pwrite64_fn)(int, const void *, size_t, off64_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);

/* The next definition of name (libc's). */
#define REAL(name, type)                                                       \
	static type real;                                                      \
	if (real == NULL)                                                      \
	*(void **)&real = dlsym(RTLD_NEXT, name)

ssize_t
write(int fd, const void *buf, size_t n)
{
	REAL("write", write_fn);
	kill_if_there(fd);
	return real(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL("pwrite", pwrite_fn);
	kill_if_there(fd);
	return real(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL("pwrite64", pwrite64_fn);
	kill_if_there(fd);
	return real(fd, buf, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	REAL("writev", writev_fn);
	kill_if_there(fd);
	return real(fd, iov, n);
}

typedef int (*rename_fn)(const char *, const char *);
typedef int (*linkat_fn)(int, const char *, int, const char *, int);

int
rename(const char *from, const char *to)
{
	REAL("rename", rename_fn);
	kill_if_named_there(to);
	return real(from, to);
}

int
linkat(int dfrom, const char *from, int dto, const char *to, int flags)
{
	REAL("linkat", linkat_fn);
	kill_if_named_there(to);
	return real(dfrom, from, dto, to, flags);
}
