/*
 * bench-ceiling: how fast any import of a batch's visits could be on this
 * machine, from the parts it cannot do without, each alone:
 *
 *   bench-ceiling parse FILE.jsonl     jansson reads every visit line
 *                                      (json_loadb, nothing else)
 *   bench-ceiling store FILE.jsonl DIR PAGE
 *                                      every visit line written as one row
 *                                      (id, bytes) into a new SQLCipher
 *                                      database in DIR with the settings
 *                                      of anfang's import (raw key, a
 *                                      rollback journal, synchronous FULL,
 *                                      64 MiB cache, one transaction) and
 *                                      cipher page size PAGE
 *   bench-ceiling file FILE.jsonl DIR  the same bytes into a plain file,
 *                                      then fsync: the disk alone
 *
 * Each prints "what visits=N bytes=B ms=T visits_per_s=R".  The visit
 * lines are the lines after the header and the form lines it counts.
 */
#define SQLITE_HAS_CODEC 1

#include <sys/mman.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

struct lines {
	const char *text;
	size_t len;
	size_t first; /* offset of the first visit line */
};

static double
ceiling_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
ceiling_die(const char *what)
{
	fprintf(stderr, "bench-ceiling: %s\n", what);
	exit(1);
}

static size_t
ceiling_eol(const struct lines *l, size_t off)
{
	const char *nl = memchr(l->text + off, '\n', l->len - off);

	return nl ? (size_t)(nl - l->text) : l->len;
}

/* Map the batch and skip its header and form lines. */
static void
ceiling_open(const char *path, struct lines *l)
{
	struct stat st;
	json_t *h;
	long long forms, i;
	size_t end;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) != 0 ||
	    st.st_size == 0)
		ceiling_die("cannot read the batch");
	l->len = (size_t)st.st_size;
	l->text = mmap(NULL, l->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (l->text == MAP_FAILED)
		ceiling_die("cannot map the batch");
	end = ceiling_eol(l, 0);
	if ((h = json_loadb(l->text, end, 0, NULL)) == NULL)
		ceiling_die("no batch header");
	forms = json_integer_value(json_object_get(h, "forms"));
	json_decref(h);
	for (i = 0; i < forms && end < l->len; i++)
		end = ceiling_eol(l, end + 1);
	l->first = end + 1;
}

static void
ceiling_report(const char *what, size_t n, size_t bytes, double ms)
{
	printf("%s visits=%zu bytes=%zu ms=%.0f visits_per_s=%.0f\n", what, n,
	    bytes, ms, n * 1000.0 / ms);
}

static void
ceiling_parse(const struct lines *l)
{
	size_t off, end, n = 0;
	double t0 = ceiling_ms();
	json_t *o;

	for (off = l->first; off < l->len; off = end + 1) {
		end = ceiling_eol(l, off);
		o = json_loadb(
		    l->text + off, end - off, JSON_REJECT_DUPLICATES, NULL);
		if (o == NULL)
			ceiling_die("a visit line does not parse");
		json_decref(o);
		n++;
	}
	ceiling_report("parse", n, l->len - l->first, ceiling_ms() - t0);
}

static void
ceiling_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(
		    stderr, "bench-ceiling: %s: %s\n", sql, sqlite3_errmsg(db));
		exit(1);
	}
}

static void
ceiling_store(const struct lines *l, const char *dir, int page)
{
	static const char key[] = "PRAGMA key = \"x'"
	                          "000102030405060708090a0b0c0d0e0f"
	                          "101112131415161718191a1b1c1d1e1f'\"";
	char path[4096], sql[64];
	size_t off, end, n = 0;
	sqlite3_stmt *st;
	sqlite3 *db;
	double t0;

	snprintf(path, sizeof path, "%s/ceiling-%d.db", dir, page);
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		ceiling_die("cannot create the database");
	ceiling_exec(db, key);
	snprintf(sql, sizeof sql, "PRAGMA cipher_page_size = %d", page);
	ceiling_exec(db, sql);
	ceiling_exec(db, "PRAGMA journal_mode = DELETE");
	ceiling_exec(db, "PRAGMA synchronous = FULL");
	ceiling_exec(db, "PRAGMA cache_size = -65536");
	ceiling_exec(db, "CREATE TABLE v (id TEXT PRIMARY KEY, line BLOB)");
	t0 = ceiling_ms();
	ceiling_exec(db, "BEGIN");
	if (sqlite3_prepare_v2(
	        db, "INSERT INTO v VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
		ceiling_die("prepare");
	for (off = l->first; off < l->len; off = end + 1) {
		end = ceiling_eol(l, off);
		/* the visit id, which starts every line: {"visit":"ID" */
		sqlite3_bind_text(st, 1, l->text + off + 10, 12, SQLITE_STATIC);
		sqlite3_bind_blob(
		    st, 2, l->text + off, (int)(end - off), SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			ceiling_die(sqlite3_errmsg(db));
		sqlite3_reset(st);
		n++;
	}
	sqlite3_finalize(st);
	ceiling_exec(db, "COMMIT");
	snprintf(sql, sizeof sql, "store_page_%d", page);
	ceiling_report(sql, n, l->len - l->first, ceiling_ms() - t0);
	sqlite3_close(db);
	unlink(path);
}

static void
ceiling_file(const struct lines *l, const char *dir)
{
	const char *p = l->text + l->first;
	size_t left = l->len - l->first, off, end, n = 0;
	char path[4096];
	double t0;
	ssize_t w;
	int fd;

	for (off = l->first; off < l->len; off = end + 1) {
		end = ceiling_eol(l, off);
		n++;
	}
	snprintf(path, sizeof path, "%s/ceiling.plain", dir);
	t0 = ceiling_ms();
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		ceiling_die("cannot create the file");
	while (left > 0) {
		if ((w = write(fd, p, left)) <= 0)
			ceiling_die("cannot write the file");
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0)
		ceiling_die("cannot sync the file");
	ceiling_report("file", n, l->len - l->first, ceiling_ms() - t0);
	unlink(path);
}

int
main(int argc, char **argv)
{
	struct lines l;

	if (argc < 3)
		ceiling_die("usage: bench-ceiling parse|store|file FILE [DIR "
		            "[PAGE]]");
	ceiling_open(argv[2], &l);
	if (strcmp(argv[1], "parse") == 0)
		ceiling_parse(&l);
	else if (strcmp(argv[1], "store") == 0 && argc == 5)
		ceiling_store(&l, argv[3], atoi(argv[4]));
	else if (strcmp(argv[1], "file") == 0 && argc == 4)
		ceiling_file(&l, argv[3]);
	else
		ceiling_die("usage: bench-ceiling parse|store|file FILE [DIR "
		            "[PAGE]]");
	return 0;
}
