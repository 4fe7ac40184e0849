/*
 * Helpers shared by the unit tests that work on real database files
 * (test-store.c, test-batch.c, test-change.c, test-store-fault.c ...).
 * Include after unit.h.
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

/* The raw key of the database at path, from its header. */
static inline struct crypt_mem *
unit_raw_key(const char *path, const struct crypt_mem *pass)
{
	unsigned char h[CRYPT_KDF_HEADER_BYTES];
	struct crypt_mem *key;
	struct crypt_kdf kdf;
	char *cause = NULL;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, h, sizeof h) != (ssize_t)sizeof h)
		return NULL;
	close(fd);
	if (crypt_kdf_parse(&kdf, h, &cause) != 0 ||
	    (key = crypt_kdf_derive(&kdf, pass, &cause)) == NULL) {
		fprintf(stderr, "key: %s\n", cause);
		return NULL;
	}
	return key;
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

static inline int
unit_same_text(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * Whether two visits of one form hold the same state (answers, times,
 * stopwatches, reasons, visibility, amendments); says where not.
 */
static inline int
unit_same_visit(const struct visit *a, const struct visit *b, const char *what)
{
	const struct form *f = a->form;
	size_t q, k;

#define DIFFER(...)                                                            \
	do {                                                                   \
		fprintf(stderr, "  %s: ", what);                               \
		fprintf(stderr, __VA_ARGS__);                                  \
		fprintf(stderr, "\n");                                         \
		return 0;                                                      \
	} while (0)
	if (a->status != b->status || a->finalized != b->finalized)
		DIFFER("status or finalized");
	if (a->took != b->took || a->took_offset != b->took_offset)
		DIFFER("took place");
	for (q = 0; q < f->nquestions; q++) {
		const char *id = f->questions[q].id;

		if (!value_equal(&a->answers[q], &b->answers[q]))
			DIFFER("answer %s", id);
		if (a->answers[q].kind != VALUE_NONE &&
		    a->answered_at[q] != b->answered_at[q])
			DIFFER("answered_at %s", id);
		if (a->timers[q].elapsed_ms != b->timers[q].elapsed_ms ||
		    a->timers[q].running_since != b->timers[q].running_since)
			DIFFER("timer %s", id);
		if (!unit_same_text(a->reasons[q], b->reasons[q]))
			DIFFER("reason %s", id);
		if (visit_visible(a, q) != visit_visible(b, q))
			DIFFER("visibility %s", id);
	}
	if (a->namendments != b->namendments)
		DIFFER(
		    "%zu amendments, not %zu", a->namendments, b->namendments);
	for (k = 0; k < a->namendments; k++) {
		if (a->amendments[k].question != b->amendments[k].question ||
		    !value_equal(
		        &a->amendments[k].value, &b->amendments[k].value) ||
		    !unit_same_text(
		        a->amendments[k].reason, b->amendments[k].reason) ||
		    a->amendments[k].at != b->amendments[k].at)
			DIFFER("amendment %zu", k + 1);
	}
#undef DIFFER
	return 1;
}

#endif
