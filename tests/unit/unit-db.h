/*
 * Helpers shared by the unit tests that work on real database files
 * (test-store.c, test-batch.c).  Include after unit.h.
 */
#ifndef ANFANG_TESTS_UNIT_DB_H
#define ANFANG_TESTS_UNIT_DB_H

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define SQLITE_HAS_CODEC 1
#include <sqlite3.h>

#include "anfang/crypt-kdf.h"
#include "anfang/crypt-mem.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

/* A passphrase in locked memory, as the commands hold one. */
static inline struct crypt_mem *
unit_secret(const char *s)
{
	struct crypt_mem *m = crypt_mem_new(strlen(s));

	memcpy(m->p, s, strlen(s));
	return m;
}

/* A form from YAML that must load. */
static inline struct form *
unit_form_ok(const char *yaml)
{
	struct diag_list diags = { 0 };
	struct form *f = unit_form(yaml, &diags);

	if (f == NULL)
		unit_dump(&diags);
	diag_clear(&diags);
	return f;
}

/* The index of question id in v's form, which must have it. */
static inline size_t
unit_qi(const struct visit *v, const char *id)
{
	long i = form_find(v->form, id);

	assert_true(i >= 0);
	return (size_t)i;
}

/* Copy a file to a new name (never over an old one). */
static inline void
unit_copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	in = open(from, O_RDONLY);
	assert_true(in >= 0);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(out >= 0);
	while ((n = read(in, buf, sizeof buf)) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	assert_int_equal(n, 0);
	close(in);
	close(out);
}

/* rm -r path. */
static inline void
unit_remove_tree(const char *path)
{
	struct dirent *d;
	struct stat st;
	DIR *dp;
	char *sub;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (dp = opendir(path)) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			sub = xasprintf("%s/%s", path, d->d_name);
			unit_remove_tree(sub);
			free(sub);
		}
		closedir(dp);
		rmdir(path);
	} else
		unlink(path);
}

/* The store at path, opened with its raw key (no KDF); it must open. */
static inline struct store *
unit_open_key(const struct crypt_mem *key, const char *path)
{
	struct store *s = NULL;
	char *cause = NULL;
	enum store_err err;

	err = store_open_key(path, key, &s, &cause);
	if (err != STORE_OK)
		fprintf(stderr, "  open %s: %s\n", path, cause);
	assert_int_equal(err, STORE_OK);
	assert_non_null(s);
	return s;
}

/*
 * The database at path opened with its raw key directly, behind the
 * store's back: the way an attacker holding the key would.
 */
static inline sqlite3 *
unit_raw_open(const struct crypt_mem *key, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char text[3 + 2 * CRYPT_KDF_KEY_BYTES + 1];
	sqlite3 *db = NULL;
	size_t i, k = 0;

	text[k++] = 'x';
	text[k++] = '\'';
	for (i = 0; i < key->len; i++) {
		text[k++] = hex[key->p[i] >> 4];
		text[k++] = hex[key->p[i] & 15];
	}
	text[k++] = '\'';
	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_key_v2(db, "main", text, (int)k), SQLITE_OK);
	/* the store's settings (4.x needs the first; 3.4 ignores it) */
	assert_int_equal(sqlite3_exec(db, "PRAGMA cipher_compatibility = 3",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA cipher_page_size = 1024",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "SELECT count(*) FROM sqlite_master",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	return db;
}

/* Run SQL on a raw connection; it must work. */
static inline void
unit_raw_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "  %s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		fail();
	}
}

#endif
