/*
 * Making a file's new name last.  A rename or link is in the directory,
 * not in the file: until the directory is written out, a power cut can
 * bring back the old name, or none.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anfang/file.h"
#include "anfang/xmalloc.h"

static int
file_sync_open(const char *path, int flags)
{
	int fd, rc, err;

	if ((fd = open(path, flags | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	err = errno;
	close(fd);
	errno = err;
	return rc;
}

int
file_sync(const char *path)
{
	return file_sync_open(path, O_RDWR);
}

int
file_sync_dir(const char *dir)
{
	return file_sync_open(dir, O_RDONLY | O_DIRECTORY);
}

int
file_sync_parent(const char *path)
{
	char *dir = xstrdup(path), *p;
	int rc, err;

	if ((p = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (p == dir)
		p[1] = '\0';
	else
		*p = '\0';
	rc = file_sync_dir(dir);
	err = errno;
	free(dir);
	errno = err;
	return rc;
}
