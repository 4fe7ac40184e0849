/*
 * A failing SQLite VFS for the unit tests, in the spirit of SQLite's own
 * fault tests: a shim over the default VFS that fails the Nth read, write,
 * sync or truncate after it is armed, once (an I/O error) or from then on
 * (a full disk: every later write fails with SQLITE_FULL, as ENOSPC does).
 * unit_vfs_install registers it as the default VFS, so the store opens
 * through it without knowing; disarmed, it only passes calls on.
 *
 * Include after unit-db.h (it needs sqlite3.h).
 */
#ifndef ANFANG_TESTS_UNIT_VFS_H
#define ANFANG_TESTS_UNIT_VFS_H

#include <string.h>

#define UNIT_VFS_READ     1u
#define UNIT_VFS_WRITE    2u
#define UNIT_VFS_SYNC     4u
#define UNIT_VFS_TRUNCATE 8u
#define UNIT_VFS_ALL      15u

static struct {
	sqlite3_vfs vfs;
	sqlite3_vfs *real;
	long fail_at; /* 0: disarmed */
	long count;   /* operations of the armed kinds so far */
	unsigned kinds;
	int full;  /* the fault is a full disk: it stays, SQLITE_FULL */
	int fired; /* the fault happened since arming */
} unit_vfs;

struct unit_vfs_file {
	sqlite3_file base;
	sqlite3_file *real; /* right after this struct */
};

#define UNIT_VFS_REAL(f) (((struct unit_vfs_file *)(f))->real)

/*
 * Arm: the nth operation of the given kinds from now fails (n from 1);
 * full: that one and every later write fail with SQLITE_FULL.
 */
static inline void
unit_vfs_arm(long n, unsigned kinds, int full)
{
	unit_vfs.fail_at = n;
	unit_vfs.count = 0;
	unit_vfs.kinds = kinds;
	unit_vfs.full = full;
	unit_vfs.fired = 0;
}

/* Disarm; whether the fault happened. */
static inline int
unit_vfs_disarm(void)
{
	int fired = unit_vfs.fired;

	unit_vfs.fail_at = 0;
	return fired;
}

static inline int
unit_vfs_fails(unsigned kind)
{
	if (unit_vfs.fail_at == 0)
		return 0;
	if (unit_vfs.fired && unit_vfs.full)
		return kind == UNIT_VFS_WRITE;
	if ((unit_vfs.kinds & kind) == 0)
		return 0;
	if (++unit_vfs.count != unit_vfs.fail_at)
		return 0;
	unit_vfs.fired = 1;
	return 1;
}

static int
unit_vfs_close(sqlite3_file *f)
{
	return UNIT_VFS_REAL(f)->pMethods->xClose(UNIT_VFS_REAL(f));
}

static int
unit_vfs_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (unit_vfs_fails(UNIT_VFS_READ))
		return SQLITE_IOERR_READ;
	return UNIT_VFS_REAL(f)->pMethods->xRead(UNIT_VFS_REAL(f), buf, n, off);
}

static int
unit_vfs_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (unit_vfs_fails(UNIT_VFS_WRITE))
		return unit_vfs.full ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return UNIT_VFS_REAL(f)->pMethods->xWrite(
	    UNIT_VFS_REAL(f), buf, n, off);
}

static int
unit_vfs_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (unit_vfs_fails(UNIT_VFS_TRUNCATE))
		return SQLITE_IOERR_TRUNCATE;
	return UNIT_VFS_REAL(f)->pMethods->xTruncate(UNIT_VFS_REAL(f), size);
}

static int
unit_vfs_sync(sqlite3_file *f, int flags)
{
	if (unit_vfs_fails(UNIT_VFS_SYNC))
		return SQLITE_IOERR_FSYNC;
	return UNIT_VFS_REAL(f)->pMethods->xSync(UNIT_VFS_REAL(f), flags);
}

static int
unit_vfs_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return UNIT_VFS_REAL(f)->pMethods->xFileSize(UNIT_VFS_REAL(f), size);
}

static int
unit_vfs_lock(sqlite3_file *f, int level)
{
	return UNIT_VFS_REAL(f)->pMethods->xLock(UNIT_VFS_REAL(f), level);
}

static int
unit_vfs_unlock(sqlite3_file *f, int level)
{
	return UNIT_VFS_REAL(f)->pMethods->xUnlock(UNIT_VFS_REAL(f), level);
}

static int
unit_vfs_reserved(sqlite3_file *f, int *out)
{
	return UNIT_VFS_REAL(f)->pMethods->xCheckReservedLock(
	    UNIT_VFS_REAL(f), out);
}

static int
unit_vfs_control(sqlite3_file *f, int op, void *arg)
{
	return UNIT_VFS_REAL(f)->pMethods->xFileControl(
	    UNIT_VFS_REAL(f), op, arg);
}

static int
unit_vfs_sector(sqlite3_file *f)
{
	return UNIT_VFS_REAL(f)->pMethods->xSectorSize(UNIT_VFS_REAL(f));
}

static int
unit_vfs_device(sqlite3_file *f)
{
	return UNIT_VFS_REAL(f)->pMethods->xDeviceCharacteristics(
	    UNIT_VFS_REAL(f));
}

static int
unit_vfs_shm_map(
    sqlite3_file *f, int region, int size, int extend, void volatile **pp)
{
	return UNIT_VFS_REAL(f)->pMethods->xShmMap(
	    UNIT_VFS_REAL(f), region, size, extend, pp);
}

static int
unit_vfs_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return UNIT_VFS_REAL(f)->pMethods->xShmLock(
	    UNIT_VFS_REAL(f), off, n, flags);
}

static void
unit_vfs_shm_barrier(sqlite3_file *f)
{
	UNIT_VFS_REAL(f)->pMethods->xShmBarrier(UNIT_VFS_REAL(f));
}

static int
unit_vfs_shm_unmap(sqlite3_file *f, int del)
{
	return UNIT_VFS_REAL(f)->pMethods->xShmUnmap(UNIT_VFS_REAL(f), del);
}

static int
unit_vfs_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return UNIT_VFS_REAL(f)->pMethods->xFetch(UNIT_VFS_REAL(f), off, n, pp);
}

static int
unit_vfs_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return UNIT_VFS_REAL(f)->pMethods->xUnfetch(UNIT_VFS_REAL(f), off, p);
}

static const sqlite3_io_methods unit_vfs_io = {
	3,
	unit_vfs_close,
	unit_vfs_read,
	unit_vfs_write,
	unit_vfs_truncate,
	unit_vfs_sync,
	unit_vfs_size,
	unit_vfs_lock,
	unit_vfs_unlock,
	unit_vfs_reserved,
	unit_vfs_control,
	unit_vfs_sector,
	unit_vfs_device,
	unit_vfs_shm_map,
	unit_vfs_shm_lock,
	unit_vfs_shm_barrier,
	unit_vfs_shm_unmap,
	unit_vfs_fetch,
	unit_vfs_unfetch,
};

static int
unit_vfs_open(
    sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct unit_vfs_file *p = (struct unit_vfs_file *)f;
	int rc;

	(void)vfs;
	p->real = (sqlite3_file *)(p + 1);
	memset(p->real, 0, (size_t)unit_vfs.real->szOsFile);
	rc = unit_vfs.real->xOpen(unit_vfs.real, name, p->real, flags, out);
	p->base.pMethods = p->real->pMethods != NULL ? &unit_vfs_io : NULL;
	return rc;
}

static int
unit_vfs_delete(sqlite3_vfs *vfs, const char *name, int dirsync)
{
	(void)vfs;
	return unit_vfs.real->xDelete(unit_vfs.real, name, dirsync);
}

static int
unit_vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return unit_vfs.real->xAccess(unit_vfs.real, name, flags, out);
}

static int
unit_vfs_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return unit_vfs.real->xFullPathname(unit_vfs.real, name, n, out);
}

static void *
unit_vfs_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return unit_vfs.real->xDlOpen(unit_vfs.real, name);
}

static void
unit_vfs_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	unit_vfs.real->xDlError(unit_vfs.real, n, out);
}

static void (*unit_vfs_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return unit_vfs.real->xDlSym(unit_vfs.real, h, sym);
}

static void
unit_vfs_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	unit_vfs.real->xDlClose(unit_vfs.real, h);
}

static int
unit_vfs_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return unit_vfs.real->xRandomness(unit_vfs.real, n, out);
}

static int
unit_vfs_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return unit_vfs.real->xSleep(unit_vfs.real, us);
}

static int
unit_vfs_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return unit_vfs.real->xCurrentTime(unit_vfs.real, out);
}

static int
unit_vfs_lasterror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return unit_vfs.real->xGetLastError(unit_vfs.real, n, out);
}

static int
unit_vfs_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return unit_vfs.real->xCurrentTimeInt64(unit_vfs.real, out);
}

/* The shim as the default VFS, over the one that was; once per process. */
static inline void
unit_vfs_install(void)
{
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);

	if (unit_vfs.real != NULL)
		return;
	unit_vfs.real = real;
	unit_vfs.vfs.iVersion = 2;
	unit_vfs.vfs.szOsFile =
	    (int)sizeof(struct unit_vfs_file) + real->szOsFile;
	unit_vfs.vfs.mxPathname = real->mxPathname;
	unit_vfs.vfs.zName = "unit-fault";
	unit_vfs.vfs.xOpen = unit_vfs_open;
	unit_vfs.vfs.xDelete = unit_vfs_delete;
	unit_vfs.vfs.xAccess = unit_vfs_access;
	unit_vfs.vfs.xFullPathname = unit_vfs_fullpath;
	unit_vfs.vfs.xDlOpen = unit_vfs_dlopen;
	unit_vfs.vfs.xDlError = unit_vfs_dlerror;
	unit_vfs.vfs.xDlSym = unit_vfs_dlsym;
	unit_vfs.vfs.xDlClose = unit_vfs_dlclose;
	unit_vfs.vfs.xRandomness = unit_vfs_random;
	unit_vfs.vfs.xSleep = unit_vfs_sleep;
	unit_vfs.vfs.xCurrentTime = unit_vfs_time;
	unit_vfs.vfs.xGetLastError = unit_vfs_lasterror;
	unit_vfs.vfs.xCurrentTimeInt64 = unit_vfs_time64;
	assert_int_equal(sqlite3_vfs_register(&unit_vfs.vfs, 1), SQLITE_OK);
}

#endif
