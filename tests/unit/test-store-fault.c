/*
 * store under failing I/O: each of the store's operations (create a
 * database, insert a visit, answer, reason, stopwatch, finalize, amend,
 * delete a draft, export a batch, import one, make the box key, close an
 * alert) is run again
 * and again through a VFS that fails its Nth read, write, sync or truncate, N
 * counting up from 1 until the operation runs without a fault; then once
 * more with a full disk from the Nth write on.  After every fault: the
 * operation either failed with a cause or succeeded; the database opens
 * with its key; PRAGMA integrity_check says ok; and its whole content is
 * exactly as before the operation (when it failed) or exactly as after it
 * (when it succeeded): what was committed before is there, nothing
 * half-written is.  Upgrading a database of an older schema is one of the
 * operations: tests/fixtures/schema-6/supervisor.sqlcipher (read from the
 * directory the test runs in, the source tree's top), to the current
 * schema whole or not at all.
 *
 * Argon2id is the slow part: the databases are made once and opened with
 * their raw keys (the key a passphrase gives); creating a database, which
 * derives a key each time, is run under a full disk only, filling at every
 * fifth write.
 */
#include "unit.h"
#include "unit-db.h"
#include "unit-vfs.h"

#include <sys/stat.h>

#include <time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "anfang/batch.h"
#include "anfang/change.h"
#include "anfang/crypt-kdf.h"
#include "anfang/crypt.h"
#include "anfang/load.h"
#include "anfang/store-alert.h"
#include "anfang/store-batch.h"
#include "anfang/store-key.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

#define T0 1795728204123LL

static const char fault_form[] = "form: f\n"
                                 "version: 1\n"
                                 "title: F\n"
                                 "language: en\n"
                                 "units: [here, there]\n"
                                 "sections:\n"
                                 "  - title: S\n"
                                 "    questions:\n"
                                 "      - {id: ok, type: yesno, label: L}\n"
                                 "      - id: fee\n"
                                 "        type: number\n"
                                 "        label: L\n"
                                 "        warn_if: . > 1000\n"
                                 "        warn_message: high\n"
                                 "        alert_if: . > 1500\n"
                                 "        severity: medium\n"
                                 "        alert_message: too much\n"
                                 "      - {id: notes, type: text, label: L}\n"
                                 "      - {id: wait, type: timer, label: L}\n";

struct fixture {
	char *dir;
	struct crypt_mem *pass;
	char *insp, *sup; /* the inspector's and the supervisor's */
	struct crypt_mem *insp_key, *sup_key;
	char *batch; /* two of the inspector's visits, for the supervisor */
	char *old;   /* a supervisor's database of schema 6 */
	struct crypt_mem *old_key;
	struct form *form;
	struct visit *fresh; /* not yet stored: for insert */
	char draft[VISIT_ID_LEN + 1], final[VISIT_ID_LEN + 1];
	char unsent[VISIT_ID_LEN + 1];
	int copies;
};

static struct fixture *fx;

struct buf {
	char *p;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char two[2];
	size_t i;

	for (i = 0; i < n; i++) {
		two[0] = hex[p[i] >> 4];
		two[1] = hex[p[i] & 15];
		buf_add(b, two, 2);
	}
}

/*
 * Whole content, table by table, in one string (caller frees), after
 * checking the database with PRAGMA integrity_check.
 */
static char *
dump(const struct crypt_mem *key, const char *path)
{
	sqlite3 *db = unit_raw_open(key, path);
	sqlite3_stmt *tables, *st;
	struct buf out = { NULL, 0, 0 };
	char *sql, num[32];
	int i, n;

	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		fprintf(stderr, "  integrity_check: %s\n",
		    sqlite3_column_text(st, 0));
		fail();
	}
	sqlite3_finalize(st);
	buf_add(&out, "", 0);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	buf_add(&out, "[user_version]\n", 15);
	buf_add(&out, sqlite3_column_text(st, 0),
	    (size_t)sqlite3_column_bytes(st, 0));
	buf_add(&out, "\n", 1);
	sqlite3_finalize(st);

	assert_int_equal(sqlite3_prepare_v2(db,
	                     "SELECT name FROM sqlite_master WHERE type = "
	                     "'table' ORDER BY name",
	                     -1, &tables, NULL),
	    SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		sql = sqlite3_mprintf(
		    "SELECT * FROM \"%w\"", sqlite3_column_text(tables, 0));
		assert_int_equal(
		    sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		sqlite3_free(sql);
		buf_add(&out, "[", 1);
		buf_add(&out, sqlite3_column_text(tables, 0),
		    (size_t)sqlite3_column_bytes(tables, 0));
		buf_add(&out, "]\n", 2);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(st); i++) {
				n = sqlite3_column_type(st, i);
				snprintf(num, sizeof num, "%d:", n);
				buf_add(&out, num, strlen(num));
				if (n == SQLITE_BLOB)
					buf_hex(&out,
					    sqlite3_column_blob(st, i),
					    (size_t)sqlite3_column_bytes(
					        st, i));
				else if (n != SQLITE_NULL)
					buf_add(&out,
					    sqlite3_column_text(st, i),
					    (size_t)sqlite3_column_bytes(
					        st, i));
				buf_add(&out, "|", 1);
			}
			buf_add(&out, "\n", 1);
		}
		assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	}
	assert_int_equal(sqlite3_finalize(tables), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return out.p;
}

/* A fresh copy of a database, under a new name. Caller frees. */
static char *
copy(const char *from)
{
	char *path = xasprintf("%s/copy%d.db", fx->dir, fx->copies++);

	unit_copy_file(from, path);
	return path;
}

/* The database copy and what SQLite may have left beside it. */
static void
remove_db(const char *path)
{
	static const char *const beside[] = { "", "-wal", "-shm", "-journal" };
	char *p;
	size_t i;

	for (i = 0; i < 4; i++) {
		p = xasprintf("%s%s", path, beside[i]);
		unlink(p);
		free(p);
	}
}

static int
open_key(const struct crypt_mem *key, const char *path, struct store **s,
    char **cause)
{
	*s = NULL;
	return store_open_key(path, key, s, cause) == STORE_OK ? 0 : -1;
}

/*
 * A visit loaded and changed by fn through the change layer.  When storing
 * fails, the visit in memory must be as it was before (the screen never
 * shows what is not on disk); when it succeeds, it must have changed.
 */
static int
on_visit(const char *path, const char *id,
    int (*fn)(struct store *, struct visit *, char **), char **cause)
{
	struct store *s;
	struct visit *v = NULL, *before;
	int rc;

	if (open_key(fx->insp_key, path, &s, cause) != 0)
		return -1;
	rc = load_visit_find(s, id, &v, cause);
	if (rc == 0) {
		fprintf(stderr, "  %s: %s\n", id, *cause);
		fail();
	}
	if (rc == 1) {
		before = visit_snapshot(v);
		rc = fn(s, v, cause);
		if (rc != 0) {
			/* a fault is a store failure, never a refusal */
			assert_int_equal(rc, CHANGE_UNSAVED);
			if (!unit_same_visit(v, before, "after a fault"))
				fail();
			rc = -1;
		} else {
			assert_false(unit_same_visit(v, before, "unchanged"));
		}
		visit_free(before);
	}
	visit_free(v);
	store_close(s);
	return rc;
}

/* The operations. */

static int
do_insert(const char *path, char **cause)
{
	struct store *s;
	int rc;

	if (open_key(fx->insp_key, path, &s, cause) != 0)
		return -1;
	rc = store_visit_insert(s, fx->fresh, T0 + 50000, cause);
	store_close(s);
	return rc;
}

static int
answer_fn(struct store *s, struct visit *v, char **cause)
{
	struct value x = { 0 };
	int rc;

	value_string(&x, "changed");
	rc = change_answer(s, v, unit_qi(v, "notes"), &x, T0 + 60000, cause);
	value_clear(&x);
	return rc;
}

static int
do_answer(const char *path, char **cause)
{
	return on_visit(path, fx->draft, answer_fn, cause);
}

static int
reason_fn(struct store *s, struct visit *v, char **cause)
{
	return change_reason(
	    s, v, unit_qi(v, "fee"), "another reason", T0 + 61000, cause);
}

static int
do_reason(const char *path, char **cause)
{
	return on_visit(path, fx->draft, reason_fn, cause);
}

static int
timer_fn(struct store *s, struct visit *v, char **cause)
{
	return change_timer(
	    s, v, unit_qi(v, "wait"), CHANGE_TIMER_START, T0 + 62000, cause);
}

static int
do_timer(const char *path, char **cause)
{
	return on_visit(path, fx->draft, timer_fn, cause);
}

static int
finalize_fn(struct store *s, struct visit *v, char **cause)
{
	return change_finalize(s, v, T0 + 63000, cause);
}

static int
do_finalize(const char *path, char **cause)
{
	return on_visit(path, fx->draft, finalize_fn, cause);
}

static int
amend_fn(struct store *s, struct visit *v, char **cause)
{
	struct value x = { 0 };
	struct visit_amend_answer a;
	int rc;

	value_number(&x, 7);
	a.question = unit_qi(v, "fee");
	a.value = &x;
	rc =
	    change_amend(s, v, &a, 1, "counted again", NULL, T0 + 64000, cause);
	value_clear(&x);
	return rc;
}

static int
do_amend(const char *path, char **cause)
{
	return on_visit(path, fx->final, amend_fn, cause);
}

static int
do_delete(const char *path, char **cause)
{
	struct store *s;
	int rc;

	if (open_key(fx->insp_key, path, &s, cause) != 0)
		return -1;
	rc = store_visit_delete(s, fx->draft, T0 + 65000, cause);
	store_close(s);
	return rc;
}

/* Export writes its files here: emptied before each run. */
static char *
out_dir(void)
{
	char *out = xasprintf("%s/out", fx->dir);

	unit_remove_tree(out);
	assert_int_equal(mkdir(out, 0700), 0);
	return out;
}

static int
do_export(const char *path, char **cause)
{
	struct store *s;
	char *out = out_dir(), **paths = NULL, *ids[1] = { fx->unsent };
	size_t npaths = 0, i;
	int rc;

	if (open_key(fx->insp_key, path, &s, cause) != 0) {
		free(out);
		return -1;
	}
	rc = batch_export(s, out, ids, 1, NULL, &paths, &npaths, cause);
	store_close(s);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	if (rc != 0) {
		/* no batch file stays behind a failed export */
		assert_int_equal(npaths, 0);
		assert_int_equal(rmdir(out), 0);
		free(out);
		return -1;
	}
	free(out);
	return 0;
}

static int
do_import(const char *path, char **cause)
{
	struct batch_run run = { NULL, 0 };
	struct batch_verdict v;
	struct store *s;
	struct batch *b;
	size_t imported = 0;
	int rc = -1;

	if (open_key(fx->sup_key, path, &s, cause) != 0)
		return -1;
	memset(&v, 0, sizeof v);
	if ((b = batch_verify(fx->batch, s, NULL, &run, &v)) == NULL) {
		/* only a read that failed may stop it */
		assert_int_equal(v.fail, BATCH_EREAD);
		*cause = xstrdup(v.message ? v.message : "verify");
	} else {
		rc = batch_import(b, s, &imported, cause);
		if (rc == 0)
			assert_int_equal(imported, 2);
		else
			assert_int_equal(rc, BATCH_IMPORT_EIO);
		rc = rc == 0 ? 0 : -1;
		batch_free(b);
	}
	batch_verdict_clear(&v);
	batch_run_clear(&run);
	store_close(s);
	return rc;
}

static int
do_box(const char *path, char **cause)
{
	struct crypt_seal_key k;
	struct store *s;
	int rc;

	if (open_key(fx->insp_key, path, &s, cause) != 0)
		return -1;
	rc = store_key_get_box(s, &k, 1, cause);
	if (rc == 0)
		crypt_seal_key_free(&k);
	store_close(s);
	return rc;
}

/* A trusted key and its audit entry: together or not at all. */
static int
do_keyring_add(const char *path, char **cause)
{
	static const unsigned char pk[32] = { 1, 2, 3 };
	struct store *s;
	int rc;

	if (open_key(fx->sup_key, path, &s, cause) != 0)
		return -1;
	rc = store_keyring_add(
	    s, "0011223344556677", "another", pk, T0 + 66000, cause);
	store_close(s);
	return rc;
}

static int
first_key(void *arg, const struct store_keyring_row *row)
{
	snprintf(arg, 2 * 8 + 1, "%s", row->keyid);
	return 1;
}

static int
do_keyring_remove(const char *path, char **cause)
{
	struct store *s;
	char hex[2 * 8 + 1] = "";
	int rc = -1;

	if (open_key(fx->sup_key, path, &s, cause) != 0)
		return -1;
	/* the one key in the supervisor's keyring: the inspector's */
	if (store_keyring_list(s, first_key, hex, cause) == 0 && *hex != '\0')
		rc = store_keyring_remove(s, hex, cause) == 1 ? 0 : -1;
	store_close(s);
	return rc;
}

/* An alert's state and its entry in the database's trail: both or none. */
static int
do_alert_close(const char *path, char **cause)
{
	struct store *s;
	int rc;

	if (open_key(fx->insp_key, path, &s, cause) != 0)
		return -1;
	rc = store_alert_handle(
	    s, fx->final, "fee", 1, "called them", "ABCD", T0 + 67000, cause);
	store_close(s);
	if (rc >= 0)
		/* never "no such alert": the alert is there */
		assert_int_equal(rc, 1);
	return rc == 1 ? 0 : -1;
}

/* Opening a database of schema 6 upgrades it. */
static int
do_upgrade(const char *path, char **cause)
{
	struct store *s;

	if (open_key(fx->old_key, path, &s, cause) != 0)
		return -1;
	store_close(s);
	return 0;
}

enum { ON_INSPECTOR, ON_SUPERVISOR, ON_OLD };

struct scenario {
	const char *name;
	int (*run)(const char *path, char **cause);
	int on;    /* the database: ON_... */
	int exact; /* the result is the same every time (no clock) */
};

static const struct scenario scenarios[] = {
	{ "insert", do_insert, ON_INSPECTOR, 1 },
	{ "answer", do_answer, ON_INSPECTOR, 1 },
	{ "reason", do_reason, ON_INSPECTOR, 1 },
	{ "timer", do_timer, ON_INSPECTOR, 1 },
	{ "finalize", do_finalize, ON_INSPECTOR, 1 },
	{ "amend", do_amend, ON_INSPECTOR, 1 },
	{ "delete", do_delete, ON_INSPECTOR, 1 },
	{ "export", do_export, ON_INSPECTOR, 0 },
	{ "import", do_import, ON_SUPERVISOR, 0 },
	{ "box key", do_box, ON_INSPECTOR, 0 },
	{ "keyring add", do_keyring_add, ON_SUPERVISOR, 1 },
	{ "keyring remove", do_keyring_remove, ON_SUPERVISOR, 0 },
	{ "alert close", do_alert_close, ON_INSPECTOR, 1 },
	{ "upgrade", do_upgrade, ON_OLD, 1 },
};

/* Lines of text that differ from ref's, for a failure's message. */
static void
show_diff(const char *want, const char *got)
{
	size_t i = 0;

	while (want[i] != '\0' && want[i] == got[i])
		i++;
	while (i > 0 && want[i - 1] != '\n')
		i--;
	fprintf(stderr,
	    "  first difference:\n    want %.120s\n    got  %.120s\n", want + i,
	    got + i);
}

/*
 * Run sc with the Nth operation of kinds failing (a full disk when full),
 * N = 1, 2, ... until it runs without a fault.  Returns the faults made.
 */
static long
faults(const struct scenario *sc, unsigned kinds, int full)
{
	const char *base = sc->on == ON_OLD          ? fx->old
	                   : sc->on == ON_SUPERVISOR ? fx->sup
	                                             : fx->insp;
	const struct crypt_mem *key = sc->on == ON_OLD          ? fx->old_key
	                              : sc->on == ON_SUPERVISOR ? fx->sup_key
	                                                        : fx->insp_key;
	char *before, *after = NULL, *now, *path, *cause, *why;
	struct store *s;
	long n;
	int rc, fired;

	before = dump(key, base);
	/* the result without a fault */
	path = copy(base);
	cause = NULL;
	if (sc->run(path, &cause) != 0) {
		fprintf(stderr, "  %s: %s\n", sc->name, cause);
		fail();
	}
	after = dump(key, path);
	assert_string_not_equal(before, after);
	remove_db(path);
	free(path);

	for (n = 1;; n++) {
		path = copy(base);
		cause = NULL;
		unit_vfs_arm(n, kinds, full);
		rc = sc->run(path, &cause);
		fired = unit_vfs_disarm();
		if (rc != 0 && (cause == NULL || *cause == '\0')) {
			fprintf(stderr,
			    "  %s, fault %ld: failed without a cause\n",
			    sc->name, n);
			fail();
		}
		if (rc == 0 && !fired)
			assert_null(cause);
		/* it is whole, it is as before or as after (looked at
		 * before it is opened again: that may upgrade it), and it
		 * opens */
		now = dump(key, path);
		why = NULL;
		if (open_key(key, path, &s, &why) != 0) {
			fprintf(stderr, "  %s, fault %ld: reopen: %s\n",
			    sc->name, n, why);
			fail();
		}
		store_close(s);
		if (rc != 0 && strcmp(now, before) != 0) {
			fprintf(stderr,
			    "  %s, fault %ld%s: failed, yet the database "
			    "changed\n",
			    sc->name, n, full ? " (full disk)" : "");
			show_diff(before, now);
			fail();
		}
		if (rc == 0 && sc->exact && strcmp(now, after) != 0) {
			fprintf(stderr,
			    "  %s, fault %ld%s: succeeded, yet the database "
			    "is not as it should be\n",
			    sc->name, n, full ? " (full disk)" : "");
			show_diff(after, now);
			fail();
		}
		if (rc == 0 && !sc->exact && strcmp(now, before) == 0) {
			fprintf(stderr,
			    "  %s, fault %ld: succeeded, changed "
			    "nothing\n",
			    sc->name, n);
			fail();
		}
		free(now);
		free(cause);
		remove_db(path);
		free(path);
		if (!fired) {
			assert_int_equal(rc, 0);
			break;
		}
	}
	free(before);
	free(after);
	return n - 1;
}

/* Seconds since the last call, for the figures printed. */
static double
lap(void)
{
	static struct timespec last;
	struct timespec now;
	double d;

	clock_gettime(CLOCK_MONOTONIC, &now);
	d = (double)(now.tv_sec - last.tv_sec) +
	    (double)(now.tv_nsec - last.tv_nsec) / 1e9;
	last = now;
	return d;
}

static void
test_io_errors(void **state)
{
	size_t i;
	long n;

	(void)state;
	lap();
	for (i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
		n = faults(&scenarios[i], UNIT_VFS_ALL, 0);
		fprintf(stderr, "  %-8s %4ld faults (any I/O), %.1f s\n",
		    scenarios[i].name, n, lap());
	}
}

static void
test_full_disk(void **state)
{
	size_t i;
	long n;

	(void)state;
	lap();
	for (i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
		n = faults(&scenarios[i], UNIT_VFS_WRITE, 1);
		fprintf(stderr, "  %-8s %4ld faults (full disk), %.1f s\n",
		    scenarios[i].name, n, lap());
	}
}

static int
init_fill(struct store *s, void *arg, char **cause)
{
	return store_key_create_sign(s, arg, cause);
}

/*
 * Creating a database on a disk that fills up: all of it, or no file.
 * Each run derives a key (a fraction of a second): the disk fills at every
 * CREATE_STRIDE-th write only, which still lands in every stage (each
 * writes many pages).
 */
#define CREATE_STRIDE 5

static void
test_create_full_disk(void **state)
{
	char *path = xasprintf("%s/new/made.db", fx->dir), *cause, keyid[17];
	char *dir = xasprintf("%s/new", fx->dir);
	struct store *s;
	enum store_err err;
	struct stat st;
	long n;

	(void)state;
	lap();
	for (n = 1;; n += CREATE_STRIDE) {
		unit_remove_tree(dir);
		cause = NULL;
		s = NULL;
		unit_vfs_arm(n, UNIT_VFS_WRITE, 1);
		err = store_create(path, fx->pass, CRYPT_KDF_INTERACTIVE,
		    init_fill, keyid, &s, &cause);
		if (!unit_vfs_disarm()) {
			assert_int_equal(err, STORE_OK);
			break;
		}
		store_close(s);
		if (err != STORE_OK && stat(path, &st) != 0) {
			assert_non_null(cause);
			/* not there at all, no temporary file left */
			assert_int_equal(rmdir(dir), 0);
		} else {
			/* made whole (the open after it may have failed) */
			s = NULL;
			assert_int_equal(
			    store_open(path, fx->pass, &s, &cause), STORE_OK);
			store_close(s);
		}
		free(cause);
	}
	fprintf(stderr,
	    "  create   %4ld faults (full disk, every %dth), %.1f s\n",
	    (n - 1) / CREATE_STRIDE, CREATE_STRIDE, lap());
	store_close(s);
	s = NULL;
	cause = NULL;
	assert_int_equal(store_open(path, fx->pass, &s, &cause), STORE_OK);
	store_close(s);
	free(path);
	free(dir);
}

/* Setup: the inspector's database and batch, the supervisor's. */

static void
put(struct store *s, struct visit *v, const char *id, const struct value *x,
    int64_t now)
{
	struct value none = { 0 };
	char *cause = NULL;
	size_t q = unit_qi(v, id);

	if (visit_answer(v, q, x, now, &cause) != 0 ||
	    store_visit_answer(s, v, q, &none, now, &cause) != 0) {
		fprintf(stderr, "  %s: %s\n", id, cause);
		fail();
	}
}

/* A visit with every answer; final when asked.  Its id into id. */
static void
make_visit(struct store *s, int64_t t, int final, char *id)
{
	struct value x = { 0 };
	struct visit *v;
	char *cause = NULL;

	v = visit_new(fx->form, 0, "here", NULL, NULL, t, &cause);
	assert_non_null(v);
	assert_int_equal(store_visit_insert(s, v, t, &cause), 0);
	value_bool(&x, 1);
	put(s, v, "ok", &x, t + 1);
	value_clear(&x);
	value_number(&x, 2000);
	put(s, v, "fee", &x, t + 2);
	value_clear(&x);
	assert_int_equal(
	    visit_set_reason(v, unit_qi(v, "fee"), "a big fee", &cause), 0);
	assert_int_equal(
	    store_visit_reason(s, v, unit_qi(v, "fee"), t + 3, &cause), 0);
	value_string(&x, "收了 2000 元");
	put(s, v, "notes", &x, t + 4);
	value_clear(&x);
	if (final) {
		assert_int_equal(visit_finalize(v, t + 5, &cause), 0);
		assert_int_equal(store_visit_finalize(s, v, &cause), 0);
	}
	memcpy(id, v->id, VISIT_ID_LEN + 1);
	visit_free(v);
}

static int
fault_setup(void **state)
{
	struct crypt_sign_key sign;
	struct store *s = NULL;
	char *cause = NULL, keyid[17], hex[17], sent[2][VISIT_ID_LEN + 1];
	char *ids[2] = { sent[0], sent[1] }, *out, **paths = NULL;
	struct crypt_mem *old;
	size_t npaths = 0;

	(void)state;
	if (crypt_init(&cause) != 0)
		return -1;
	unit_vfs_install();
	fx = xcalloc(1, sizeof *fx);
	/* tmpfs when there is one: thousands of fsyncs otherwise */
	fx->dir = xstrdup(access("/dev/shm", W_OK) == 0
	                      ? "/dev/shm/anfang-test-fault-XXXXXX"
	                      : "/tmp/anfang-test-fault-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	fx->pass = unit_secret("失敗 fault pass");
	fx->insp = xasprintf("%s/inspector.db", fx->dir);
	fx->sup = xasprintf("%s/supervisor.db", fx->dir);
	fx->form = unit_form_ok(fault_form);

	if (store_create(fx->insp, fx->pass, CRYPT_KDF_INTERACTIVE, init_fill,
	        keyid, &s, &cause) != STORE_OK) {
		fprintf(stderr, "create: %s\n", cause);
		return -1;
	}
	make_visit(s, T0, 0, fx->draft);
	make_visit(s, T0 + 10000, 1, fx->final);
	make_visit(s, T0 + 20000, 1, fx->unsent);
	make_visit(s, T0 + 30000, 1, sent[0]);
	make_visit(s, T0 + 40000, 1, sent[1]);
	fx->fresh =
	    visit_new(fx->form, 0, "there", NULL, NULL, T0 + 50000, &cause);
	out = xasprintf("%s/batch", fx->dir);
	if (fx->fresh == NULL || mkdir(out, 0700) != 0 ||
	    batch_export(s, out, ids, 2, NULL, &paths, &npaths, &cause) != 0 ||
	    store_key_get_sign(s, &sign, 0, &cause) != 1) {
		fprintf(stderr, "export: %s\n", cause ? cause : "?");
		return -1;
	}
	fx->batch = paths[0];
	free(paths[1]);
	free(paths);
	free(out);
	store_close(s);

	if (store_create(fx->sup, fx->pass, CRYPT_KDF_INTERACTIVE, init_fill,
	        keyid, &s, &cause) != STORE_OK) {
		fprintf(stderr, "create: %s\n", cause);
		return -1;
	}
	crypt_sign_keyid_hex(hex, sign.keyid);
	if (store_keyring_add(s, hex, "inspector", sign.pk, T0, &cause) != 0) {
		fprintf(stderr, "keyring: %s\n", cause);
		return -1;
	}
	store_close(s);
	crypt_sign_key_free(&sign);
	fx->insp_key = unit_raw_key(fx->insp, fx->pass);
	fx->sup_key = unit_raw_key(fx->sup, fx->pass);

	fx->old = xasprintf("%s/schema-6.db", fx->dir);
	if (access("tests/fixtures/schema-6/supervisor.sqlcipher", R_OK) != 0) {
		fprintf(stderr,
		    "run from the source tree's top: no "
		    "tests/fixtures/schema-6/supervisor.sqlcipher\n");
		return -1;
	}
	unit_copy_file("tests/fixtures/schema-6/supervisor.sqlcipher", fx->old);
	old = unit_secret("fixture-pass");
	fx->old_key = unit_raw_key(fx->old, old);
	crypt_mem_free(old);
	return fx->insp_key && fx->sup_key && fx->old_key ? 0 : -1;
}

static int
fault_teardown(void **state)
{
	(void)state;
	if (fx == NULL)
		return 0;
	unit_remove_tree(fx->dir);
	free(fx->dir);
	free(fx->insp);
	free(fx->sup);
	free(fx->batch);
	free(fx->old);
	crypt_mem_free(fx->old_key);
	crypt_mem_free(fx->pass);
	crypt_mem_free(fx->insp_key);
	crypt_mem_free(fx->sup_key);
	visit_free(fx->fresh);
	form_free(fx->form);
	free(fx);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_errors),
		cmocka_unit_test(test_full_disk),
		cmocka_unit_test(test_create_full_disk),
	};

	return cmocka_run_group_tests(tests, fault_setup, fault_teardown);
}
