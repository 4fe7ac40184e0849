/*
 * store: real SQLCipher files in a temporary directory.  Creating (modes,
 * no overwriting), unlocking (right and wrong passphrase, the raw key),
 * refusing a newer schema without touching the file, backups, passphrase
 * changes, the audit trail against tampering done behind the store's
 * back, every question type through the database and back, listing,
 * deleting, and a process killed right after a commit.
 *
 * Argon2id is the slow part: one database is created per run (the
 * master), its raw key derived once, and the tests work on copies of it
 * opened with that key.
 */
#include "unit.h"
#include "unit-db.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "anfang/audit.h"
#include "anfang/batch-json.h"
#include "anfang/crypt-kdf.h"
#include "anfang/crypt.h"
#include "anfang/form-load.h"
#include "anfang/load.h"
#include "anfang/store-batch.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

#define T0 1795728204123LL

static const char master_form[] = "form: m\n"
                                  "version: 1\n"
                                  "title: M\n"
                                  "language: en\n"
                                  "units: [here, there]\n"
                                  "sections:\n"
                                  "  - title: S\n"
                                  "    questions:\n"
                                  "      - {id: ok, type: yesno, label: L}\n"
                                  "      - {id: fee, type: number, label: L}\n"
                                  "      - {id: notes, type: text, label: L}\n"
                                  "      - {id: wait, type: timer, label: L}\n";

/* Every type; a soft check on t1, a constraint on nu. */
static const char all_form[] =
    "form: all\n"
    "version: 2\n"
    "title: 全部題型\n"
    "language: zh-Hant\n"
    "units:\n"
    "  - {id: c1, name: 第一中心}\n"
    "  - {id: c2, name: 第二中心}\n"
    "visit:\n"
    "  division: optional\n"
    "  person: required\n"
    "sections:\n"
    "  - title: A\n"
    "    questions:\n"
    "      - {id: yn, type: yesno, label: L, required: true}\n"
    "      - {id: ch, type: choice, label: L, choices: [a, b, c]}\n"
    "      - {id: mu, type: multi, label: L, choices: [x, y, z]}\n"
    "      - id: nu\n"
    "        type: number\n"
    "        label: L\n"
    "        decimals: 2\n"
    "        constraint: . > 0\n"
    "        constraint_message: positive\n"
    "      - {id: sc, type: scale, label: L}\n"
    "  - title: B\n"
    "    questions:\n"
    "      - {id: tx, type: text, label: L, lines: 3}\n"
    "      - {id: da, type: date, label: L}\n"
    "      - {id: ti, type: time, label: L}\n"
    "      - id: t1\n"
    "        type: timer\n"
    "        label: L\n"
    "        warn_if: . > 5\n"
    "        warn_message: slow\n"
    "      - {id: t2, type: timer, label: L}\n"
    "      - {id: co, type: count, label: L}\n"
    "      - id: al\n"
    "        type: yesno\n"
    "        label: L\n"
    "        alert_if: . == yes\n"
    "        alert_message: bad\n"
    "      - {id: nt, type: note, label: L}\n";

struct fixture {
	char *dir;
	char *master; /* a database holding one visit, see store_setup */
	char visit[VISIT_ID_LEN + 1];
	struct crypt_mem *pass;
	struct crypt_mem *key; /* the master's raw key */
	unsigned char header[CRYPT_KDF_HEADER_BYTES];
	int copies;
};

/* A fresh copy of the master, under a new name. Caller frees. */
static char *
copy_master(struct fixture *fx)
{
	char *path = xasprintf("%s/copy%d.db", fx->dir, fx->copies++);

	unit_copy_file(fx->master, path);
	return path;
}

static void
file_hash(const char *path, unsigned char out[CRYPT_HASH_BYTES])
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = xmalloc((size_t)st.st_size + 1);
	n = read(fd, buf, (size_t)st.st_size);
	assert_int_equal(n, st.st_size);
	close(fd);
	crypt_hash(out, buf, (size_t)n);
	free(buf);
}

/* Names in dir holding part, joined by spaces ("" when none). */
static char *
names_with(const char *dir, const char *part)
{
	struct dirent *d;
	char *all = xstrdup(""), *tmp;
	DIR *dp;

	dp = opendir(dir);
	assert_non_null(dp);
	while ((d = readdir(dp)) != NULL) {
		if (strstr(d->d_name, part) == NULL)
			continue;
		tmp = xasprintf("%s%s ", all, d->d_name);
		free(all);
		all = tmp;
	}
	closedir(dp);
	return all;
}

static int
file_mode(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	return (int)(st.st_mode & 07777);
}

/* The store of path, opened with the master's raw key. */
static struct store *
open_key(struct fixture *fx, const char *path)
{
	return unit_open_key(fx->key, path);
}

static struct visit *
reload(struct store *s, const char *id)
{
	struct visit *v = NULL;
	char *cause = NULL;

	if (load_visit(s, id, &v, &cause) != 0) {
		fprintf(stderr, "  load %s: %s\n", id, cause);
		fail();
	}
	return v;
}

/* Answer question id and record it, as a command would. */
static void
answer(struct store *s, struct visit *v, const char *id, const struct value *x,
    int64_t now)
{
	struct value old = { 0 };
	char *cause = NULL;
	size_t q = unit_qi(v, id);

	value_copy(&old, &v->answers[q]);
	if (visit_answer(v, q, x, now, &cause) != 0 ||
	    store_visit_answer(s, v, q, &old, now, &cause) != 0) {
		fprintf(stderr, "  answer %s: %s\n", id, cause);
		fail();
	}
	value_clear(&old);
}

static void
answer_number(
    struct store *s, struct visit *v, const char *id, double n, int64_t now)
{
	struct value x = { 0 };

	value_number(&x, n);
	answer(s, v, id, &x, now);
	value_clear(&x);
}

static void
answer_string(struct store *s, struct visit *v, const char *id, const char *str,
    int64_t now)
{
	struct value x = { 0 };

	value_string(&x, str);
	answer(s, v, id, &x, now);
	value_clear(&x);
}

static void
answer_bool(
    struct store *s, struct visit *v, const char *id, int b, int64_t now)
{
	struct value x = { 0 };

	value_bool(&x, b);
	answer(s, v, id, &x, now);
	value_clear(&x);
}

/* A new visit on a form (the visit owns it), recorded. */
static struct visit *
start_visit(struct store *s, const char *yaml, const char *unit,
    const char *division, const char *person, int64_t now)
{
	struct visit *v;
	char *cause = NULL;

	v = visit_new(
	    unit_form_ok(yaml), 1, unit, division, person, now, &cause);
	if (v == NULL)
		fprintf(stderr, "  visit_new: %s\n", cause);
	assert_non_null(v);
	if (store_visit_insert(s, v, now, &cause) != 0) {
		fprintf(stderr, "  insert: %s\n", cause);
		fail();
	}
	return v;
}

/* The master: one draft visit, five audit entries. */
static int
make_master(struct fixture *fx)
{
	struct store *s = NULL;
	struct crypt_kdf kdf;
	struct visit *v;
	unsigned char h[CRYPT_KDF_HEADER_BYTES];
	char *cause = NULL;
	int fd;

	if (store_create(fx->master, fx->pass, CRYPT_KDF_INTERACTIVE, NULL,
	        NULL, &s, &cause) != STORE_OK) {
		fprintf(stderr, "create: %s\n", cause);
		return -1;
	}
	v = start_visit(s, master_form, "here", NULL, NULL, T0);
	answer_bool(s, v, "ok", 0, T0 + 1000);
	answer_number(s, v, "fee", 200, T0 + 2000);
	answer_string(s, v, "notes", "收了 200 元", T0 + 3000);
	answer_number(s, v, "wait", 2000, T0 + 4000);
	memcpy(fx->visit, v->id, sizeof fx->visit);
	visit_free(v);
	store_close(s);

	/* the raw key, from the header at the start of the file */
	fd = open(fx->master, O_RDONLY);
	if (fd < 0 || read(fd, h, sizeof h) != (ssize_t)sizeof h)
		return -1;
	close(fd);
	memcpy(fx->header, h, sizeof h);
	if (crypt_kdf_parse(&kdf, h, &cause) != 0 ||
	    (fx->key = crypt_kdf_derive(&kdf, fx->pass, &cause)) == NULL) {
		fprintf(stderr, "key: %s\n", cause);
		return -1;
	}
	return 0;
}

static int
store_setup(void **state)
{
	struct fixture *fx;
	char *cause = NULL;

	if (crypt_init(&cause) != 0)
		return -1;
	fx = xcalloc(1, sizeof *fx);
	fx->dir = xstrdup("/tmp/anfang-test-store-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx->dir);
		free(fx);
		return -1;
	}
	fx->master = xasprintf("%s/master.db", fx->dir);
	fx->pass = unit_secret("暗訪 correct horse");
	*state = fx;
	return make_master(fx);
}

static int
store_teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx == NULL)
		return 0;
	unit_remove_tree(fx->dir);
	free(fx->dir);
	free(fx->master);
	crypt_mem_free(fx->pass);
	crypt_mem_free(fx->key);
	free(fx);
	return 0;
}

/* Direct access with the raw key, the way an attacker with it would. */
static sqlite3 *
raw_open(struct fixture *fx, const char *path)
{
	return unit_raw_open(fx->key, path);
}

/* Run sql (with %s for the visit id) on a copy of the master by hand. */
static char *
tampered(struct fixture *fx, const char *sql)
{
	char *path = copy_master(fx), *q;
	sqlite3 *db = raw_open(fx, path);

	q = sqlite3_mprintf(sql, fx->visit, fx->visit, fx->visit);
	unit_raw_exec(db, q);
	sqlite3_free(q);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return path;
}

/* The visit's chain in path; audit_verify's verdict, message in *cause. */
static int
verify_chain(
    struct fixture *fx, const char *path, const char *visit, char **cause)
{
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	struct store *s = open_key(fx, path);
	int64_t count;
	int rc;

	*cause = NULL;
	assert_int_equal(load_chain(s, visit, &c, head, &count, cause), 0);
	rc = audit_verify(&c, head, count, cause);
	audit_chain_free(&c);
	store_close(s);
	return rc;
}

static void
chain_broken(
    struct fixture *fx, const char *sql, const char *want, const char *also)
{
	char *path = tampered(fx, sql), *cause;

	assert_int_equal(verify_chain(fx, path, fx->visit, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL ||
	    (also != NULL && strstr(cause, also) == NULL)) {
		fprintf(stderr, "  \"%s\" lacks \"%s\"\n", cause, want);
		fail();
	}
	free(cause);
	free(path);
}

static void
test_master_chain(void **state)
{
	struct fixture *fx = *state;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	struct store *s = open_key(fx, fx->master);
	int64_t count;
	char *cause = NULL;

	/* visit started and four answers */
	assert_int_equal(load_chain(s, fx->visit, &c, head, &count, &cause), 0);
	assert_int_equal(count, 5);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.v[0].event, "visit started");
	assert_non_null(strstr(c.v[0].detail, "unit \"here\""));
	assert_string_equal(c.v[1].event, "answer set");
	assert_string_equal(c.v[1].detail, "ok: - -> no");
	assert_string_equal(c.v[3].detail, "notes: - -> \"收了 200 元\"");
	assert_int_equal(c.v[4].at, T0 + 4000);
	assert_memory_equal(head, c.v[4].hash, CRYPT_HASH_BYTES);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	audit_chain_free(&c);
	/* a chain never written is empty and intact */
	assert_int_equal(
	    load_chain(s, "nosuchvisit", &c, head, &count, &cause), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(count, 0);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	audit_chain_free(&c);
	store_close(s);
}

static void
test_audit_edited(void **state)
{
	chain_broken(*state,
	    "UPDATE audit SET detail = 'fee: - -> 0' WHERE visit = '%q'"
	    " AND n = 3",
	    "entry 3:", "changed");
	chain_broken(*state,
	    "UPDATE audit SET at = at + 1 WHERE visit = '%q' AND n = 1",
	    "entry 1:", NULL);
}

static void
test_audit_deleted_middle(void **state)
{
	chain_broken(*state, "DELETE FROM audit WHERE visit = '%q' AND n = 3",
	    "entry 3:", "entry 4 is there");
}

static void
test_audit_deleted_last(void **state)
{
	chain_broken(*state, "DELETE FROM audit WHERE visit = '%q' AND n = 5",
	    "entry 5", "5 entries recorded, 4 found");
}

static void
test_audit_swapped(void **state)
{
	chain_broken(*state,
	    "UPDATE audit SET n = -2 WHERE visit = '%q' AND n = 2;"
	    "UPDATE audit SET n = 2 WHERE visit = '%q' AND n = 3;"
	    "UPDATE audit SET n = 3 WHERE visit = '%q' AND n = -2",
	    "entry 2:", NULL);
}

static void
test_audit_head_moved(void **state)
{
	/* the last entry removed and the recorded count lowered to match:
	 * the recorded head is still the removed entry's hash */
	chain_broken(*state,
	    "DELETE FROM audit WHERE visit = '%q' AND n = 5;"
	    "UPDATE audit_heads SET n = 4 WHERE visit = '%q'",
	    "entry 4", NULL);
}

static void
test_create(void **state)
{
	struct fixture *fx = *state;
	struct store *s = NULL;
	unsigned char before[CRYPT_HASH_BYTES], after[CRYPT_HASH_BYTES];
	char *top = xasprintf("%s/new", fx->dir);
	char *sub = xasprintf("%s/new/sub", fx->dir);
	char *path = xasprintf("%s/new/sub/x.db", fx->dir);
	char *cause = NULL, *left;
	mode_t old = umask(022);
	enum store_err err;

	err = store_create(
	    path, fx->pass, CRYPT_KDF_INTERACTIVE, NULL, NULL, &s, &cause);
	umask(old);
	if (err != STORE_OK)
		fprintf(stderr, "  %s\n", cause);
	assert_int_equal(err, STORE_OK);
	assert_non_null(s);
	assert_string_equal(store_path(s), path);
	assert_int_equal(store_kdf(s)->header[12], 'A');
	assert_int_equal(store_kdf(s)->header[13], 1);
	assert_string_equal(
	    crypt_kdf_describe(store_kdf(s)), "Argon2id, 2 passes, 64 MiB");
	store_close(s);
	/* made by us: 0700 directories, a 0600 file, whatever the umask */
	assert_int_equal(file_mode(top), 0700);
	assert_int_equal(file_mode(sub), 0700);
	assert_int_equal(file_mode(path), 0600);
	/* nothing left beside it */
	left = names_with(sub, ".new-");
	assert_string_equal(left, "");
	free(left);

	/* never overwritten */
	file_hash(path, before);
	s = NULL;
	assert_int_equal(store_create(path, fx->pass, CRYPT_KDF_INTERACTIVE,
	                     NULL, NULL, &s, &cause),
	    STORE_EEXISTS);
	assert_null(s);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	file_hash(path, after);
	assert_memory_equal(before, after, CRYPT_HASH_BYTES);
	free(top);
	free(sub);
	free(path);
}

static int
fill_ok(struct store *s, void *arg, char **cause)
{
	(*(int *)arg)++;
	return store_audit(s, "", "keys made", "test", T0, cause);
}

static int
fill_fails(struct store *s, void *arg, char **cause)
{
	(*(int *)arg)++;
	if (store_audit(s, "", "keys made", "test", T0, cause) != 0)
		return -1;
	*cause = xstrdup("no entropy today");
	return -1;
}

static void
test_create_fill(void **state)
{
	struct fixture *fx = *state;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	struct store *s = NULL;
	char *path = xasprintf("%s/filled.db", fx->dir);
	char *bad = xasprintf("%s/failed.db", fx->dir);
	char *cause = NULL, *left;
	int64_t count;
	int calls = 0;

	assert_int_equal(store_create(path, fx->pass, CRYPT_KDF_INTERACTIVE,
	                     fill_ok, &calls, &s, &cause),
	    STORE_OK);
	assert_int_equal(calls, 1);
	/* what fill wrote is in the file that was published */
	assert_int_equal(load_chain(s, "", &c, head, &count, &cause), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].event, "keys made");
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	audit_chain_free(&c);
	store_close(s);

	/* a fill that fails leaves nothing at all */
	s = NULL;
	calls = 0;
	assert_int_not_equal(store_create(bad, fx->pass, CRYPT_KDF_INTERACTIVE,
	                         fill_fails, &calls, &s, &cause),
	    STORE_OK);
	assert_int_equal(calls, 1);
	assert_null(s);
	assert_non_null(strstr(cause, "no entropy today"));
	free(cause);
	assert_int_equal(access(bad, F_OK), -1);
	left = names_with(fx->dir, "failed.db");
	assert_string_equal(left, "");
	free(left);
	free(path);
	free(bad);
}

static void
test_open_passphrase(void **state)
{
	struct fixture *fx = *state;
	unsigned char before[CRYPT_HASH_BYTES], after[CRYPT_HASH_BYTES];
	struct crypt_mem *wrong = unit_secret("暗訪 correct horsE");
	struct visit *v = NULL;
	struct store *s = NULL;
	char *path = copy_master(fx), *cause = NULL, *files, *files2;

	file_hash(path, before);
	files = names_with(fx->dir, "copy");
	assert_int_equal(store_open(path, wrong, &s, &cause), STORE_EPASS);
	assert_null(s);
	assert_non_null(strstr(cause, "wrong passphrase"));
	free(cause);
	cause = NULL;
	/* not a byte changed, nothing created beside it */
	file_hash(path, after);
	assert_memory_equal(before, after, CRYPT_HASH_BYTES);
	files2 = names_with(fx->dir, "copy");
	assert_string_equal(files, files2);
	free(files2);

	assert_int_equal(store_open(path, fx->pass, &s, &cause), STORE_OK);
	assert_non_null(s);
	assert_int_equal(load_visit(s, fx->visit, &v, &cause), 0);
	assert_string_equal(v->answers[unit_qi(v, "notes")].s, "收了 200 元");
	visit_free(v);
	store_close(s);
	crypt_mem_free(wrong);
	free(files);
	free(path);
}

static void
test_open_key(void **state)
{
	struct fixture *fx = *state;
	struct crypt_mem *wrong;
	struct store *s = NULL;
	struct visit *v = NULL;
	char *cause = NULL;

	/* the key from crypt_kdf_parse + derive (setup) opens the file */
	s = open_key(fx, fx->master);
	assert_memory_equal(
	    store_kdf(s)->header, fx->header, CRYPT_KDF_HEADER_BYTES);
	assert_int_equal(load_visit(s, fx->visit, &v, &cause), 0);
	visit_free(v);
	store_close(s);
	/* one bit off */
	wrong = crypt_mem_new(fx->key->len);
	memcpy(wrong->p, fx->key->p, fx->key->len);
	wrong->p[31] ^= 1;
	s = NULL;
	assert_int_equal(
	    store_open_key(fx->master, wrong, &s, &cause), STORE_EPASS);
	assert_null(s);
	free(cause);
	crypt_mem_free(wrong);
}

static void
test_open_not_db(void **state)
{
	struct fixture *fx = *state;
	struct store *s = NULL;
	char *missing = xasprintf("%s/missing.db", fx->dir);
	char *text = xasprintf("%s/text.db", fx->dir);
	char *shortf = xasprintf("%s/short.db", fx->dir);
	char *plain = xasprintf("%s/plain.db", fx->dir);
	char *cause = NULL;
	sqlite3 *db;
	FILE *f;

	assert_int_equal(
	    store_open(missing, fx->pass, &s, &cause), STORE_ENOENT);
	free(cause);
	f = fopen(text, "w");
	fputs("units: [a, b, c]\nthis is not a database at all\n", f);
	fclose(f);
	assert_int_equal(store_open(text, fx->pass, &s, &cause), STORE_ENOTDB);
	assert_non_null(strstr(cause, "not an anfang database"));
	free(cause);
	f = fopen(shortf, "w");
	fputs("short", f);
	fclose(f);
	assert_int_equal(
	    store_open(shortf, fx->pass, &s, &cause), STORE_ENOTDB);
	free(cause);
	/* a plain SQLite database */
	assert_int_equal(sqlite3_open(plain, &db), SQLITE_OK);
	unit_raw_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
	sqlite3_close(db);
	assert_int_equal(store_open(plain, fx->pass, &s, &cause), STORE_ENOTDB);
	free(cause);
	assert_null(s);
	free(missing);
	free(text);
	free(shortf);
	free(plain);
}

static void
test_newer_schema(void **state)
{
	struct fixture *fx = *state;
	unsigned char before[CRYPT_HASH_BYTES], after[CRYPT_HASH_BYTES];
	struct store *s = NULL;
	char *path = copy_master(fx), *cause = NULL, *files, *files2, *sql;
	sqlite3 *db;

	db = raw_open(fx, path);
	sql = sqlite3_mprintf("PRAGMA user_version = %d", STORE_SCHEMA + 1);
	unit_raw_exec(db, sql);
	sqlite3_free(sql);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	file_hash(path, before);
	files = names_with(fx->dir, "copy");

	assert_int_equal(store_open(path, fx->pass, &s, &cause), STORE_ENEWER);
	assert_null(s);
	assert_non_null(strstr(cause, "newer"));
	free(cause);
	cause = NULL;
	assert_int_equal(
	    store_open_key(path, fx->key, &s, &cause), STORE_ENEWER);
	free(cause);
	file_hash(path, after);
	assert_memory_equal(before, after, CRYPT_HASH_BYTES);
	files2 = names_with(fx->dir, "copy");
	assert_string_equal(files, files2);
	free(files);
	free(files2);
	free(path);
}

static void
test_backup(void **state)
{
	struct fixture *fx = *state;
	unsigned char before[CRYPT_HASH_BYTES], after[CRYPT_HASH_BYTES];
	struct store *s = open_key(fx, fx->master), *b = NULL;
	struct visit *v = NULL;
	char *dest = xasprintf("%s/backup.db", fx->dir), *cause = NULL, *left;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	int64_t count;

	assert_int_equal(store_backup(s, dest, &cause), STORE_OK);
	assert_int_equal(file_mode(dest), 0600);
	left = names_with(fx->dir, ".new-");
	assert_string_equal(left, "");
	free(left);
	/* never over an existing file */
	file_hash(dest, before);
	assert_int_equal(store_backup(s, dest, &cause), STORE_EEXISTS);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	cause = NULL;
	file_hash(dest, after);
	assert_memory_equal(before, after, CRYPT_HASH_BYTES);
	store_close(s);

	/* the same passphrase opens it; the content and trail came along */
	assert_int_equal(store_open(dest, fx->pass, &b, &cause), STORE_OK);
	assert_int_equal(load_visit(b, fx->visit, &v, &cause), 0);
	assert_true(v->answers[unit_qi(v, "fee")].n == 200);
	assert_int_equal(v->status, VISIT_DRAFT);
	visit_free(v);
	assert_int_equal(load_chain(b, fx->visit, &c, head, &count, &cause), 0);
	assert_int_equal(count, 5);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	audit_chain_free(&c);
	store_close(b);
	free(dest);
}

static void
test_passwd(void **state)
{
	struct fixture *fx = *state;
	struct crypt_mem *newpass = unit_secret("new 新的 passphrase");
	struct store *s = NULL;
	struct visit *v = NULL;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	char *path = copy_master(fx), *cause = NULL, *left;
	int64_t count;

	s = open_key(fx, path);
	assert_int_equal(store_passwd(&s, newpass, -1, &cause), STORE_OK);
	assert_non_null(s);
	/* reopened on the new file, same limits, a new salt */
	assert_memory_equal(store_kdf(s)->header + 12, fx->header + 12, 4);
	assert_memory_not_equal(store_kdf(s)->header, fx->header, 12);
	{
		unsigned char h[CRYPT_KDF_HEADER_BYTES];
		int fd = open(path, O_RDONLY);

		/* and the file starts with it */
		assert_true(fd >= 0);
		assert_int_equal(read(fd, h, sizeof h), (ssize_t)sizeof h);
		close(fd);
		assert_memory_equal(h, store_kdf(s)->header, sizeof h);
	}
	assert_int_equal(load_visit(s, fx->visit, &v, &cause), 0);
	visit_free(v);
	store_close(s);
	assert_int_equal(file_mode(path), 0600);
	left = names_with(fx->dir, ".new-");
	assert_string_equal(left, "");
	free(left);

	/* the old passphrase (and the old key) no longer open it */
	s = NULL;
	assert_int_equal(store_open(path, fx->pass, &s, &cause), STORE_EPASS);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    store_open_key(path, fx->key, &s, &cause), STORE_EPASS);
	free(cause);
	cause = NULL;
	assert_null(s);

	assert_int_equal(store_open(path, newpass, &s, &cause), STORE_OK);
	assert_int_equal(load_visit(s, fx->visit, &v, &cause), 0);
	assert_true(v->answers[unit_qi(v, "fee")].n == 200);
	assert_string_equal(v->answers[unit_qi(v, "notes")].s, "收了 200 元");
	visit_free(v);
	/* the visit's trail is intact, and the change is on record */
	assert_int_equal(load_chain(s, fx->visit, &c, head, &count, &cause), 0);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	assert_int_equal(c.n, 5);
	audit_chain_free(&c);
	assert_int_equal(load_chain(s, "", &c, head, &count, &cause), 0);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	assert_true(c.n >= 1);
	assert_string_equal(c.v[c.n - 1].event, "passphrase changed");
	audit_chain_free(&c);
	store_close(s);
	crypt_mem_free(newpass);
	free(path);
}

static void
test_passwd_while_open(void **state)
{
	struct fixture *fx = *state;
	struct crypt_mem *newpass = unit_secret("another one");
	char *path = copy_master(fx), *cause = NULL;
	struct store *s = NULL;
	struct visit *back;
	enum store_err err;
	int down[2], up[2], status, kept;
	char c = 0;
	pid_t pid;

	/*
	 * Another anfang (the terminal UI, say) has the database open but
	 * has not written yet; passwd runs meanwhile; then the other one
	 * records an answer.  That answer must not be lost: passwd must
	 * either refuse while the database is open elsewhere, or the
	 * answer must be in the file that opens afterwards.
	 */
	assert_int_equal(pipe(down), 0);
	assert_int_equal(pipe(up), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *cs = NULL;
		struct visit *v = NULL;
		struct value x = { 0 }, old = { 0 };
		char *why = NULL;

		close(down[1]);
		close(up[0]);
		if (store_open_key(path, fx->key, &cs, &why) != STORE_OK)
			_exit(2);
		if (write(up[1], "r", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(3);
		if (load_visit(cs, fx->visit, &v, &why) != 0)
			_exit(4);
		value_copy(&old, &v->answers[2]);
		value_string(&x, "written after passwd");
		if (visit_answer(v, 2, &x, T0 + 50000, &why) != 0 ||
		    store_visit_answer(cs, v, 2, &old, T0 + 50000, &why) != 0)
			_exit(5);
		store_close(cs);
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	assert_int_equal(read(up[0], &c, 1), 1);
	s = open_key(fx, path);
	err = store_passwd(&s, newpass, -1, &cause);
	free(cause);
	cause = NULL;
	store_close(s);
	s = NULL;
	assert_int_equal(write(down[1], "g", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(down[1]);
	close(up[0]);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	if (err == STORE_OK)
		assert_int_equal(
		    store_open(path, newpass, &s, &cause), STORE_OK);
	else
		s = open_key(fx, path);
	back = reload(s, fx->visit);
	kept = back->answers[2].kind == VALUE_STRING &&
	       strcmp(back->answers[2].s, "written after passwd") == 0;
	if (!kept)
		fprintf(stderr, "  passwd %s; the answer is lost\n",
		    err == STORE_OK ? "went ahead" : "refused");
	visit_free(back);
	store_close(s);
	crypt_mem_free(newpass);
	free(path);
	assert_true(kept);
}

static void
test_transactions(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL, *id;
	struct store *s = open_key(fx, path);
	struct visit *v, *w = NULL;

	/* a visit recorded inside a transaction that is rolled back */
	assert_int_equal(store_begin(s, &cause), 0);
	v = start_visit(s, master_form, "there", NULL, NULL, T0 + 50);
	answer_bool(s, v, "ok", 1, T0 + 51);
	id = xstrdup(v->id);
	/* nested: the inner commit is not yet durable */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_audit(s, "", "inner", "", T0, &cause), 0);
	assert_int_equal(store_commit(s, &cause), 0);
	store_rollback(s);
	assert_int_equal(load_visit(s, id, &w, &cause), -1);
	assert_non_null(strstr(cause, "no visit"));
	free(cause);
	cause = NULL;
	visit_free(v);
	store_close(s);
	s = open_key(fx, path);
	assert_int_equal(load_visit(s, id, &w, &cause), -1);
	free(cause);
	store_close(s);
	free(id);
	free(path);
}

static void
same_visit(const struct visit *a, const struct visit *b)
{
	size_t q, i;

	assert_string_equal(a->id, b->id);
	assert_string_equal(a->form->hash, b->form->hash);
	assert_int_equal(a->form->nquestions, b->form->nquestions);
	assert_string_equal(a->unit_id, b->unit_id);
	assert_string_equal(a->unit_name, b->unit_name);
	if (a->division == NULL)
		assert_null(b->division);
	else
		assert_string_equal(a->division, b->division);
	if (a->person == NULL)
		assert_null(b->person);
	else
		assert_string_equal(a->person, b->person);
	assert_int_equal(a->started, b->started);
	assert_int_equal(a->finalized, b->finalized);
	assert_int_equal(a->status, b->status);
	for (q = 0; q < a->form->nquestions; q++) {
		if (!value_equal(&a->answers[q], &b->answers[q])) {
			fprintf(
			    stderr, "  %s differs\n", a->form->questions[q].id);
			fail();
		}
		if (a->answers[q].kind != VALUE_NONE)
			assert_int_equal(a->answered_at[q], b->answered_at[q]);
		assert_int_equal(
		    a->timers[q].elapsed_ms, b->timers[q].elapsed_ms);
		assert_int_equal(
		    a->timers[q].running_since, b->timers[q].running_since);
		if (a->reasons[q] == NULL)
			assert_null(b->reasons[q]);
		else
			assert_string_equal(a->reasons[q], b->reasons[q]);
	}
	assert_int_equal(a->namendments, b->namendments);
	for (i = 0; i < a->namendments; i++) {
		assert_int_equal(
		    a->amendments[i].question, b->amendments[i].question);
		assert_true(value_equal(
		    &a->amendments[i].value, &b->amendments[i].value));
		assert_string_equal(
		    a->amendments[i].reason, b->amendments[i].reason);
		assert_int_equal(a->amendments[i].at, b->amendments[i].at);
	}
}

static void
timer(struct store *s, struct visit *v, const char *id, int start, int64_t now)
{
	char *cause = NULL;
	size_t q = unit_qi(v, id);

	if ((start ? visit_timer_start(v, q, now, &cause)
	           : visit_timer_stop(v, q, now, &cause)) != 0 ||
	    store_visit_timer(s, v, q,
	        start ? "timer started" : "timer stopped", now, &cause) != 0) {
		fprintf(stderr, "  timer %s: %s\n", id, cause);
		fail();
	}
}

static void
test_round_trip(void **state)
{
	static const char *const mu[] = { "z", "x" };
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL;
	struct store *s = open_key(fx, path);
	struct visit *v, *back;
	struct value x = { 0 }, old = { 0 };
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	int64_t count;
	size_t q;

	v = start_visit(s, all_form, "第二中心", "窗口 1", "工號 7", T0);
	answer_bool(s, v, "yn", 1, T0 + 10);
	answer_string(s, v, "ch", "b", T0 + 20);
	value_set(&x, mu, 2);
	answer(s, v, "mu", &x, T0 + 30);
	value_clear(&x);
	answer_number(s, v, "nu", 12.75, T0 + 40);
	answer_number(s, v, "sc", 4, T0 + 50);
	answer_string(
	    s, v, "tx", "窗口人員不在崗\n第二行 \"引號\"\ttab", T0 + 60);
	answer_string(s, v, "da", "2026-02-28", T0 + 70);
	answer_string(s, v, "ti", "23:59", T0 + 80);
	timer(s, v, "t1", 1, T0 + 1000);
	timer(s, v, "t1", 0, T0 + 4500);
	timer(s, v, "t1", 1, T0 + 5000);
	timer(s, v, "t1", 0, T0 + 9000);
	timer(s, v, "t2", 1, T0 + 2000);
	q = unit_qi(v, "co");
	assert_int_equal(visit_count_add(v, q, 1, T0 + 90, &cause), 0);
	assert_int_equal(store_visit_answer(s, v, q, &old, T0 + 90, &cause), 0);
	value_number(&old, 1);
	assert_int_equal(visit_count_add(v, q, 1, T0 + 91, &cause), 0);
	assert_int_equal(store_visit_answer(s, v, q, &old, T0 + 91, &cause), 0);
	value_clear(&old);
	answer_bool(s, v, "al", 1, T0 + 95);
	/* t1: 3.5 s + 4 s = 7 s > 5: needs a reason */
	assert_true(v->answers[unit_qi(v, "t1")].n == 7);
	q = unit_qi(v, "t1");
	assert_int_equal(visit_set_reason(v, q, "隊伍很長", &cause), 0);
	assert_int_equal(store_visit_reason(s, v, q, T0 + 9500, &cause), 0);

	/* the draft, with t2 still running */
	back = reload(s, v->id);
	same_visit(v, back);
	assert_int_equal(
	    back->timers[unit_qi(back, "t2")].running_since, T0 + 2000);
	assert_int_equal(back->answers[unit_qi(back, "t2")].kind, VALUE_NONE);
	assert_int_equal(
	    visit_timer_ms(back, unit_qi(back, "t2"), T0 + 3000), 1000);
	assert_int_equal(back->timers[unit_qi(back, "t1")].elapsed_ms, 7500);
	assert_int_equal(back->answers[unit_qi(back, "mu")].nset, 2);
	assert_int_equal(back->status, VISIT_DRAFT);
	/* the loaded draft goes on where the other left off */
	assert_int_equal(
	    visit_timer_stop(back, unit_qi(back, "t2"), T0 + 3000, &cause), 0);
	assert_true(back->answers[unit_qi(back, "t2")].n == 1);
	visit_free(back);

	/* by a unique prefix too */
	{
		char prefix[7];

		memcpy(prefix, v->id, 6);
		prefix[6] = '\0';
		back = reload(s, prefix);
		assert_string_equal(back->id, v->id);
		visit_free(back);
	}

	/* stop t2, finalize, amend */
	timer(s, v, "t2", 0, T0 + 3000);
	assert_int_equal(visit_finalize(v, T0 + 20000, &cause), 0);
	assert_int_equal(store_visit_finalize(s, v, &cause), 0);
	value_copy(&old, visit_value(v, unit_qi(v, "nu")));
	value_number(&x, 13.25);
	assert_int_equal(visit_amend(v, unit_qi(v, "nu"), &x, "看錯收據",
	                     T0 + 30000, &cause),
	    0);
	assert_int_equal(store_visit_amend(s, v, &old, &cause), 0);
	value_clear(&old);
	value_set(&x, mu, 1);
	value_copy(&old, visit_value(v, unit_qi(v, "mu")));
	assert_int_equal(
	    visit_amend(v, unit_qi(v, "mu"), &x, "only z", T0 + 31000, &cause),
	    0);
	assert_int_equal(store_visit_amend(s, v, &old, &cause), 0);
	value_clear(&old);
	value_clear(&x);
	store_close(s);

	/* after closing and reopening, all of it */
	s = open_key(fx, path);
	back = reload(s, v->id);
	same_visit(v, back);
	assert_int_equal(back->status, VISIT_FINAL);
	assert_int_equal(back->finalized, T0 + 20000);
	assert_string_equal(back->unit_id, "c2");
	assert_string_equal(back->unit_name, "第二中心");
	assert_string_equal(back->division, "窗口 1");
	assert_string_equal(back->person, "工號 7");
	assert_true(back->answers[unit_qi(back, "nu")].n == 12.75);
	assert_true(visit_value(back, unit_qi(back, "nu"))->n == 13.25);
	assert_int_equal(visit_value(back, unit_qi(back, "mu"))->nset, 1);
	assert_int_equal(back->namendments, 2);
	assert_string_equal(back->amendments[0].reason, "看錯收據");
	assert_string_equal(back->reasons[unit_qi(back, "t1")], "隊伍很長");
	assert_int_equal(back->timers[unit_qi(back, "t2")].running_since, 0);
	assert_int_equal(back->timers[unit_qi(back, "t2")].elapsed_ms, 1000);
	assert_int_equal(visit_alert_count(back), 1);
	/* final means final, loaded or not */
	assert_int_equal(
	    visit_answer(back, unit_qi(back, "yn"), NULL, T0, &cause), -1);
	free(cause);
	cause = NULL;
	visit_free(back);

	/* every step is in the visit's trail, which is intact */
	assert_int_equal(load_chain(s, v->id, &c, head, &count, &cause), 0);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	/* started, 8 answers, 5 timer events, 2 counts, 1 answer, reason,
	 * t2 stopped, finalized, 2 amendments */
	assert_int_equal(c.n, 22);
	assert_string_equal(c.v[c.n - 3].event, "finalized");
	assert_string_equal(c.v[c.n - 1].event, "amended");
	assert_non_null(strstr(c.v[c.n - 2].detail, "看錯收據"));
	assert_non_null(strstr(c.v[c.n - 2].detail, "12.75"));
	assert_non_null(strstr(c.v[c.n - 2].detail, "13.25"));
	audit_chain_free(&c);
	store_close(s);
	visit_free(v);
	free(path);
}

static void
test_answer_cleared(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_master(fx);
	struct store *s = open_key(fx, path);
	struct visit *v, *back;

	v = reload(s, fx->visit);
	/* cleared answers are gone from the database, not kept empty */
	answer(s, v, "fee", NULL, T0 + 9000);
	answer_string(s, v, "notes", "改了", T0 + 9001);
	store_close(s);
	s = open_key(fx, path);
	back = reload(s, fx->visit);
	assert_int_equal(back->answers[unit_qi(back, "fee")].kind, VALUE_NONE);
	assert_string_equal(back->answers[unit_qi(back, "notes")].s, "改了");
	assert_int_equal(back->answered_at[unit_qi(back, "notes")], T0 + 9001);
	visit_free(back);
	visit_free(v);
	store_close(s);
	free(path);
}

static void
test_timer_reset_stored(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL;
	struct store *s = open_key(fx, path);
	struct visit *v, *back;
	size_t w;

	/* the master's wait was typed (2000 s); reset, then measured */
	v = reload(s, fx->visit);
	w = unit_qi(v, "wait");
	assert_int_equal(visit_timer_ms(v, w, T0), 2000000);
	assert_int_equal(visit_timer_reset(v, w, &cause), 0);
	assert_int_equal(
	    store_visit_timer(s, v, w, "timer reset", T0 + 10, &cause), 0);
	back = reload(s, fx->visit);
	assert_int_equal(back->answers[w].kind, VALUE_NONE);
	assert_int_equal(visit_timer_ms(back, w, T0 + 99999), 0);
	visit_free(back);
	timer(s, v, "wait", 1, T0 + 20000);
	timer(s, v, "wait", 0, T0 + 23400);
	store_close(s);
	s = open_key(fx, path);
	back = reload(s, fx->visit);
	assert_true(back->answers[w].n == 3);
	assert_int_equal(back->timers[w].elapsed_ms, 3400);
	visit_free(back);
	visit_free(v);
	store_close(s);
	free(path);
}

static void
test_sites_form(void **state)
{
	static const char form[] = "form: sf\n"
	                           "version: 1\n"
	                           "title: T\n"
	                           "language: en\n"
	                           "units: sites.yaml\n"
	                           "sections:\n"
	                           "  - title: S\n"
	                           "    questions:\n"
	                           "      - {id: ok, type: yesno, label: L}\n";
	static const char sites[] = "units:\n"
	                            "  - {id: s1, name: 南區中心}\n"
	                            "  - {id: s2, name: 北區中心}\n";
	struct fixture *fx = *state;
	struct diag_list diags = { 0 };
	char *path = copy_master(fx), *cause = NULL;
	char *formdir = xasprintf("%s/forms", fx->dir);
	char *formpath = xasprintf("%s/sf.yaml", formdir);
	char *sitespath = xasprintf("%s/sites.yaml", formdir);
	struct store *s = open_key(fx, path);
	struct visit *v, *back;
	struct form *f;
	FILE *fp;

	/* a visit on a form whose units are in a sites file beside it: the
	 * stored copy of the form loads without the sites file */
	assert_int_equal(mkdir(formdir, 0700), 0);
	fp = fopen(formpath, "w");
	fputs(form, fp);
	fclose(fp);
	fp = fopen(sitespath, "w");
	fputs(sites, fp);
	fclose(fp);
	f = form_load_file(formpath, &diags);
	if (f == NULL)
		unit_dump(&diags);
	assert_non_null(f);
	assert_int_equal(f->nunits, 2);
	v = visit_new(f, 1, "北區中心", NULL, NULL, T0, &cause);
	assert_non_null(v);
	assert_int_equal(store_visit_insert(s, v, T0, &cause), 0);
	answer_bool(s, v, "ok", 1, T0 + 1);
	/* the files may go away: the visit stays readable */
	unlink(sitespath);
	unlink(formpath);
	back = reload(s, v->id);
	assert_string_equal(back->unit_id, "s2");
	assert_string_equal(back->unit_name, "北區中心");
	assert_string_equal(back->form->hash, f->hash);
	assert_true(back->answers[0].b);
	visit_free(back);
	visit_free(v);
	store_close(s);
	free(formdir);
	free(formpath);
	free(sitespath);
	free(path);
}

static void
test_load_prefix(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL;
	struct store *s = open_key(fx, path);
	struct visit *a, *b, *back = NULL;

	a = visit_new(
	    unit_form_ok(master_form), 1, "here", NULL, NULL, T0, &cause);
	b = visit_new(
	    unit_form_ok(master_form), 1, "here", NULL, NULL, T0, &cause);
	assert_non_null(a);
	assert_non_null(b);
	memcpy(a->id, "zzzz2222bbbb", VISIT_ID_LEN);
	memcpy(b->id, "zzzz3333cccc", VISIT_ID_LEN);
	assert_int_equal(store_visit_insert(s, a, T0, &cause), 0);
	assert_int_equal(store_visit_insert(s, b, T0, &cause), 0);
	/* a prefix of two is refused, saying so */
	assert_int_equal(load_visit(s, "zzzz", &back, &cause), -1);
	assert_non_null(strstr(cause, "more than one"));
	free(cause);
	cause = NULL;
	back = reload(s, "zzzz2");
	assert_string_equal(back->id, a->id);
	visit_free(back);
	back = reload(s, "zzzz3333cccc");
	assert_string_equal(back->id, b->id);
	visit_free(back);
	back = NULL;
	/* no match, a longer string, the empty string */
	assert_int_equal(load_visit(s, "zzzy", &back, &cause), -1);
	assert_non_null(strstr(cause, "no visit"));
	free(cause);
	cause = NULL;
	assert_int_equal(load_visit(s, "zzzz2222bbbbb", &back, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(load_visit(s, "", &back, &cause), -1);
	free(cause);
	assert_null(back);
	visit_free(a);
	visit_free(b);
	store_close(s);
	free(path);
}

struct listed {
	char ids[16][VISIT_ID_LEN + 1];
	enum visit_status status[16];
	long answered[16];
	long alerts[16];
	size_t n;
	size_t stop_after;
};

static int
list_fn(void *arg, const struct store_visit_row *r)
{
	struct listed *l = arg;

	assert_true(l->n < 16);
	assert_int_equal(strlen(r->id), VISIT_ID_LEN);
	memcpy(l->ids[l->n], r->id, VISIT_ID_LEN + 1);
	l->status[l->n] = r->status;
	l->answered[l->n] = r->answered;
	l->alerts[l->n] = r->alerts;
	l->n++;
	return l->stop_after != 0 && l->n >= l->stop_after;
}

static void
list(struct store *s, int status, size_t offset, size_t limit, struct listed *l)
{
	char *cause = NULL;
	size_t stop = l->stop_after;

	memset(l, 0, sizeof *l);
	l->stop_after = stop;
	assert_int_equal(
	    store_visit_list(s, status, offset, limit, list_fn, l, &cause), 0);
}

static void
test_list(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL;
	struct store *s = open_key(fx, path);
	struct visit *v[4];
	struct listed l;
	int i;

	/* the master's draft started at T0; these a minute apart after,
	 * the second and fourth finalized */
	for (i = 0; i < 4; i++) {
		v[i] = start_visit(
		    s, all_form, "c1", NULL, "p", T0 + 60000 * (i + 1));
		answer_bool(s, v[i], "yn", i % 2, T0 + 60000 * (i + 1) + 1);
		if (i % 2) {
			answer_bool(s, v[i], "al", 1, T0 + 60000 * (i + 1) + 2);
			assert_int_equal(visit_finalize(v[i],
			                     T0 + 60000 * (i + 1) + 3, &cause),
			    0);
			assert_int_equal(
			    store_visit_finalize(s, v[i], &cause), 0);
		}
	}
	memset(&l, 0, sizeof l);
	list(s, -1, 0, 0, &l);
	assert_int_equal(l.n, 5);
	/* newest first */
	for (i = 0; i < 4; i++)
		assert_string_equal(l.ids[i], v[3 - i]->id);
	assert_string_equal(l.ids[4], fx->visit);
	assert_int_equal(l.status[0], VISIT_FINAL);
	assert_int_equal(l.status[1], VISIT_DRAFT);
	/* the counts kept on the row */
	assert_int_equal(l.answered[0], 2);
	assert_int_equal(l.alerts[0], 1);
	assert_int_equal(l.alerts[1], 0);
	assert_int_equal(l.answered[4], 4);

	list(s, VISIT_FINAL, 0, 0, &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.ids[0], v[3]->id);
	assert_string_equal(l.ids[1], v[1]->id);
	list(s, VISIT_DRAFT, 0, 0, &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.ids[0], v[2]->id);
	assert_string_equal(l.ids[2], fx->visit);
	list(s, VISIT_EXPORTED, 0, 0, &l);
	assert_int_equal(l.n, 0);

	/* a page: 2 from the second */
	list(s, -1, 1, 2, &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.ids[0], v[2]->id);
	assert_string_equal(l.ids[1], v[1]->id);
	list(s, VISIT_DRAFT, 2, 5, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.ids[0], fx->visit);
	list(s, -1, 10, 0, &l);
	assert_int_equal(l.n, 0);
	/* the callback stops it */
	l.stop_after = 3;
	list(s, -1, 0, 0, &l);
	assert_int_equal(l.n, 3);

	for (i = 0; i < 4; i++)
		visit_free(v[i]);
	store_close(s);
	free(path);
}

static int
row_fn(void *arg, const struct store_visit_row *r)
{
	struct store_visit_row *got = arg;

	/* the strings live as long as the call: check them here */
	assert_string_equal(r->form_id, "m");
	assert_string_equal(r->form_title, "M");
	assert_string_equal(r->unit_name, "here");
	assert_null(r->division);
	assert_null(r->person);
	*got = *r;
	got->id = NULL;
	got->form_id = got->form_title = got->unit_name = NULL;
	return 0;
}

static void
test_list_row(void **state)
{
	struct fixture *fx = *state;
	struct store *s = open_key(fx, fx->master);
	struct store_visit_row got;
	char *cause = NULL;

	memset(&got, 0xff, sizeof got);
	assert_int_equal(
	    store_visit_list(s, -1, 0, 1, row_fn, &got, &cause), 0);
	assert_int_equal(got.status, VISIT_DRAFT);
	assert_int_equal(got.form_version, 1);
	assert_int_equal(got.started, T0);
	assert_int_equal(got.finalized, 0);
	assert_int_equal(got.answered, 4);
	assert_int_equal(got.visible, 4);
	assert_int_equal(got.alerts, 0);
	store_close(s);
}

/* Rows as a page gives them, whole. */
struct paged {
	struct {
		char id[VISIT_ID_LEN + 1];
		int64_t started;
		enum visit_status status;
		char unit[64];
		char title[64];
	} v[32];
	size_t n;
};

static int
paged_fn(void *arg, const struct store_visit_row *r)
{
	struct paged *p = arg;

	assert_true(p->n < 32);
	snprintf(p->v[p->n].id, sizeof p->v[p->n].id, "%s", r->id);
	p->v[p->n].started = r->started;
	p->v[p->n].status = r->status;
	snprintf(p->v[p->n].unit, sizeof p->v[p->n].unit, "%s", r->unit_name);
	snprintf(
	    p->v[p->n].title, sizeof p->v[p->n].title, "%s", r->form_title);
	p->n++;
	return 0;
}

/* Whether t is in s, ASCII letters in either case. */
static int
paged_has(const char *s, const char *t)
{
	size_t i, j;

	for (i = 0; s[i] != '\0'; i++) {
		for (j = 0; t[j] != '\0' && tolower((unsigned char)s[i + j]) ==
		                                tolower((unsigned char)t[j]);
		     j++)
			;
		if (t[j] == '\0')
			return 1;
	}
	return 0;
}

/* What the filter takes, said again here in C: the store's SQL must agree. */
static int
paged_passes(
    const struct paged *all, size_t i, const struct store_visit_filter *f)
{
	const char *t = f->text ? f->text : "";

	if (f->status >= 0 && (int)all->v[i].status != f->status)
		return 0;
	return *t == '\0' || paged_has(all->v[i].unit, t) ||
	       paged_has(all->v[i].title, t) ||
	       strncasecmp(all->v[i].id, t, strlen(t)) == 0;
}

/*
 * The whole list read page by page, limit at a time, forwards from the
 * first (or backwards from the last), each page starting at the key of
 * the row before it, equals the list read whole, filtered.
 */
static void
paged_check(struct store *s, const struct paged *all,
    const struct store_visit_filter *f, size_t limit, int back)
{
	struct paged want = { 0 }, got = { 0 }, page;
	struct store_visit_key k;
	char *cause = NULL;
	size_t i, pages = 0;

	for (i = 0; i < all->n; i++) {
		size_t j = back ? all->n - 1 - i : i;

		if (paged_passes(all, j, f))
			want.v[want.n++] = all->v[j];
	}
	for (;;) {
		memset(&page, 0, sizeof page);
		assert_int_equal(store_visit_page(s, f, got.n ? &k : NULL, back,
		                     limit, paged_fn, &page, &cause),
		    0);
		assert_true(page.n <= limit);
		for (i = 0; i < page.n; i++)
			got.v[got.n++] = page.v[i];
		if (page.n < limit)
			break;
		k.started = page.v[page.n - 1].started;
		memcpy(k.id, page.v[page.n - 1].id, sizeof k.id);
		assert_true(++pages < 64);
	}
	assert_int_equal(got.n, want.n);
	for (i = 0; i < want.n; i++)
		assert_string_equal(got.v[i].id, want.v[i].id);
}

struct ids {
	char v[32][VISIT_ID_LEN + 1];
	size_t n;
};

static int
ids_fn(void *arg, const char *id)
{
	struct ids *p = arg;

	assert_true(p->n < 32);
	snprintf(p->v[p->n++], VISIT_ID_LEN + 1, "%s", id);
	return 0;
}

static int
ids_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * The visits of one status read by id, limit at a time, each page from
 * the last id of the one before: each of that status once, in the order
 * of ids, and none of another.
 */
static void
ids_check(struct store *s, const struct paged *all, int status, size_t limit)
{
	struct ids want = { 0 }, got = { 0 }, page;
	char *cause = NULL;
	size_t i, pages = 0;

	for (i = 0; i < all->n; i++) {
		if ((int)all->v[i].status == status)
			memcpy(
			    want.v[want.n++], all->v[i].id, VISIT_ID_LEN + 1);
	}
	qsort(want.v, want.n, sizeof want.v[0], ids_cmp);
	for (;;) {
		memset(&page, 0, sizeof page);
		assert_int_equal(
		    store_visit_ids(s, status, got.n ? got.v[got.n - 1] : "",
		        limit, ids_fn, &page, &cause),
		    0);
		assert_true(page.n <= limit);
		for (i = 0; i < page.n; i++)
			memcpy(got.v[got.n++], page.v[i], VISIT_ID_LEN + 1);
		if (page.n < limit)
			break;
		assert_true(++pages < 64);
	}
	assert_int_equal(got.n, want.n);
	for (i = 0; i < want.n; i++)
		assert_string_equal(got.v[i], want.v[i]);
}

static void
test_page(void **state)
{
	static const char *const texts[] = { NULL, "", "第二", "全部", "M",
		"m" /* either case */, NULL /* an id's start */,
		"nothing like it" };
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL, prefix[5];
	struct store *s = open_key(fx, path);
	struct store_visit_filter f;
	struct store_visit_key k;
	struct paged all = { 0 }, page;
	struct visit *v;
	size_t i, limit, n;
	int status, t, back;

	/* Nine visits besides the master's draft (at T0): three started at
	 * the same moment (ties on the time: then by id), the others a
	 * minute apart; every third finalized; two units. */
	for (i = 0; i < 9; i++) {
		int64_t at = T0 + 60000 * (i < 3 ? 1 : (int64_t)i);

		v = start_visit(
		    s, all_form, i % 2 ? "c2" : "c1", NULL, "p", at);
		if (i % 3 == 0) {
			answer_bool(s, v, "yn", 1, at + 1);
			answer_bool(s, v, "al", 0, at + 2);
			assert_int_equal(visit_finalize(v, at + 3, &cause), 0);
			assert_int_equal(store_visit_finalize(s, v, &cause), 0);
		}
		visit_free(v);
	}
	/* the reference: the list read whole (by offset, as list does) */
	assert_int_equal(
	    store_visit_list(s, -1, 0, 0, paged_fn, &all, &cause), 0);
	assert_int_equal(all.n, 10);
	for (i = 1; i < all.n; i++) {
		assert_true(all.v[i - 1].started > all.v[i].started ||
		            (all.v[i - 1].started == all.v[i].started &&
		                strcmp(all.v[i - 1].id, all.v[i].id) < 0));
	}
	assert_int_equal(all.v[6].started, all.v[8].started);
	memcpy(prefix, all.v[7].id, 4);
	prefix[4] = '\0';

	for (status = -1; status <= VISIT_RECEIVED; status++) {
		for (t = 0; t < (int)(sizeof texts / sizeof texts[0]); t++) {
			f.status = status;
			f.text = texts[t] == NULL && t > 0 ? prefix : texts[t];
			for (limit = 1; limit <= 11; limit++) {
				for (back = 0; back < 2; back++)
					paged_check(s, &all, &f, limit, back);
			}
			/* counted to a bound: the bound plus one past it */
			for (i = n = 0; i < all.n; i++)
				n += (size_t)paged_passes(&all, i, &f);
			for (limit = 0; limit <= 11; limit++) {
				size_t got = 99;

				assert_int_equal(store_visit_count(s, &f, limit,
				                     &got, &cause),
				    0);
				assert_int_equal(
				    got, n <= limit ? n : limit + 1);
			}
		}
	}

	/* by id, as a whole export reads the finalized */
	for (status = VISIT_DRAFT; status <= VISIT_RECEIVED; status++) {
		for (limit = 1; limit <= 11; limit++)
			ids_check(s, &all, status, limit);
	}

	/* "m" finds what "M" finds (the visit on the form titled M, and
	 * any whose id starts with m), as the new-visit filter would */
	f.status = -1;
	f.text = "M";
	n = 99;
	assert_int_equal(store_visit_count(s, &f, 20, &n, &cause), 0);
	assert_true(n >= 1);
	f.text = "m";
	i = 99;
	assert_int_equal(store_visit_count(s, &f, 20, &i, &cause), 0);
	assert_int_equal(i, n);

	/* From the key of a visit that is not there (deleted while shown):
	 * the list goes on where it would have been, between the ties. */
	f.status = -1;
	f.text = NULL;
	k.started = all.v[7].started;
	snprintf(k.id, sizeof k.id, "%.*s~", VISIT_ID_LEN - 1, all.v[7].id);
	memset(&page, 0, sizeof page);
	assert_int_equal(
	    store_visit_page(s, &f, &k, 0, 2, paged_fn, &page, &cause), 0);
	assert_int_equal(page.n, 2);
	assert_string_equal(page.v[0].id, all.v[8].id);
	assert_string_equal(page.v[1].id, all.v[9].id);
	memset(&page, 0, sizeof page);
	assert_int_equal(
	    store_visit_page(s, &f, &k, 1, 1, paged_fn, &page, &cause), 0);
	assert_int_equal(page.n, 1);
	assert_string_equal(page.v[0].id, all.v[7].id);
	/* the last page, backwards from the end, is the oldest first */
	memset(&page, 0, sizeof page);
	assert_int_equal(
	    store_visit_page(s, &f, NULL, 1, 3, paged_fn, &page, &cause), 0);
	assert_int_equal(page.n, 3);
	assert_string_equal(page.v[0].id, all.v[9].id);
	assert_string_equal(page.v[2].id, all.v[7].id);
	/* limit 0: no limit */
	memset(&page, 0, sizeof page);
	assert_int_equal(
	    store_visit_page(s, &f, NULL, 0, 0, paged_fn, &page, &cause), 0);
	assert_int_equal(page.n, 10);

	store_close(s);
	free(path);
}

static void
test_delete(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL;
	struct store *s = open_key(fx, path);
	struct visit *fin, *back = NULL;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	int64_t count;
	struct listed l;

	/* a final visit cannot be deleted */
	fin = start_visit(s, master_form, "there", NULL, NULL, T0 + 100);
	assert_int_equal(visit_finalize(fin, T0 + 200, &cause), 0);
	assert_int_equal(store_visit_finalize(s, fin, &cause), 0);
	assert_int_equal(store_visit_delete(s, fin->id, T0 + 300, &cause), -1);
	assert_non_null(strstr(cause, fin->id));
	free(cause);
	cause = NULL;
	back = reload(s, fin->id);
	assert_int_equal(back->status, VISIT_FINAL);
	visit_free(back);
	back = NULL;

	/* nor one that is not there */
	assert_int_equal(
	    store_visit_delete(s, "nosuchvisit2", T0 + 300, &cause), -1);
	free(cause);
	cause = NULL;

	/* a draft goes, answers and all */
	assert_int_equal(store_visit_delete(s, fx->visit, T0 + 400, &cause), 0);
	assert_int_equal(load_visit(s, fx->visit, &back, &cause), -1);
	assert_non_null(strstr(cause, "no visit"));
	free(cause);
	cause = NULL;
	memset(&l, 0, sizeof l);
	list(s, -1, 0, 0, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.ids[0], fin->id);
	/* twice is once too many */
	assert_int_equal(
	    store_visit_delete(s, fx->visit, T0 + 500, &cause), -1);
	free(cause);
	cause = NULL;
	/* and the deletion is on record, the trail intact */
	assert_int_equal(load_chain(s, "", &c, head, &count, &cause), 0);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	assert_true(c.n >= 1);
	assert_string_equal(c.v[c.n - 1].event, "draft deleted");
	assert_string_equal(c.v[c.n - 1].detail, fx->visit);
	assert_int_equal(c.v[c.n - 1].at, T0 + 400);
	audit_chain_free(&c);
	store_close(s);

	/* nothing of the visit's answers is left in the file */
	{
		sqlite3 *db = raw_open(fx, path);
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db,
		                     "SELECT (SELECT count(*) FROM answers"
		                     " WHERE visit = ?1) + (SELECT count(*)"
		                     " FROM visits WHERE id = ?1)",
		                     -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(st, 1, fx->visit, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 0);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	visit_free(fin);
	free(path);
}

/* Remove the master's visit from a copy, as if it had never been here. */
static void
forget_visit(struct fixture *fx, const char *path)
{
	static const char *const sql[] = {
		"DELETE FROM answers WHERE visit = '%q'",
		"DELETE FROM timers WHERE visit = '%q'",
		"DELETE FROM audit WHERE visit = '%q'",
		"DELETE FROM audit_heads WHERE visit = '%q'",
		"DELETE FROM visits WHERE id = '%q'",
	};
	sqlite3 *db = raw_open(fx, path);
	char *q;
	size_t i;

	for (i = 0; i < sizeof sql / sizeof *sql; i++) {
		q = sqlite3_mprintf(sql[i], fx->visit);
		unit_raw_exec(db, q);
		sqlite3_free(q);
	}
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/*
 * A received visit is kept as its line: it loads with its answers, its
 * trail is the line's entries with "received" chained on, and a changed
 * line shows as a broken trail.
 */
static void
test_received(void **state)
{
	struct fixture *fx = *state;
	unsigned char head[CRYPT_HASH_BYTES];
	struct audit_chain c, got;
	struct visit *v, *r;
	struct store *s;
	char *path = copy_master(fx), *line, *cause = NULL, *bad, *want;
	int64_t count;
	sqlite3 *db;

	s = open_key(fx, path);
	v = reload(s, fx->visit);
	assert_int_equal(load_chain(s, fx->visit, &c, head, &count, &cause), 0);
	line = batch_json_visit_line(v, &c);
	store_close(s);
	forget_visit(fx, path);

	s = open_key(fx, path);
	assert_int_equal(store_begin(s, &cause), 0);
	/* only as received */
	assert_int_equal(
	    store_visit_receive(s, v, line, strlen(line), &c, "batch0000001",
	        "signer X (A), batch 1", T0 + 9000, &cause),
	    -1);
	assert_non_null(strstr(cause, "not received"));
	free(cause);
	cause = NULL;
	v->status = VISIT_RECEIVED;
	assert_int_equal(
	    store_visit_receive(s, v, line, strlen(line), &c, "batch0000001",
	        "signer X (A), batch 1", T0 + 9000, &cause),
	    0);
	assert_int_equal(store_commit(s, &cause), 0);
	r = reload(s, fx->visit);
	assert_int_equal(r->status, VISIT_RECEIVED);
	assert_string_equal(r->unit_name, "here");
	assert_true(r->answers[unit_qi(r, "ok")].kind == VALUE_BOOL);
	assert_false(r->answers[unit_qi(r, "ok")].b);
	assert_true(r->answers[unit_qi(r, "fee")].n == 200);
	assert_string_equal(r->answers[unit_qi(r, "notes")].s, "收了 200 元");
	visit_free(r);
	assert_int_equal(
	    load_chain(s, fx->visit, &got, head, &count, &cause), 0);
	assert_int_equal(got.n, c.n + 1);
	assert_int_equal(count, (int64_t)c.n + 1);
	assert_string_equal(got.v[0].event, "visit started");
	assert_string_equal(got.v[c.n].event, "received");
	assert_string_equal(got.v[c.n].detail, "signer X (A), batch 1");
	assert_int_equal(audit_verify(&got, head, count, &cause), 0);
	audit_chain_free(&got);
	/* the same visit twice is refused by the database */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_visit_receive(s, v, line, strlen(line), &c,
	                     "batch0000002", "again", T0, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	store_rollback(s);
	store_close(s);

	/* an answer changed in the stored line: its trail says so */
	db = raw_open(fx, path);
	unit_raw_exec(db,
	    "UPDATE received_visits SET line = CAST(replace("
	    "CAST(line AS TEXT), '收了 200 元', '收了 0 元') AS BLOB)");
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_int_equal(verify_chain(fx, path, fx->visit, &bad), -1);
	/* a line of format 2 carries only its trail's head: the break shows
	 * at the line's last entry */
	want = xasprintf("entry %zu:", c.n);
	assert_non_null(strstr(bad, want));
	free(want);
	free(bad);

	audit_chain_free(&c);
	visit_free(v);
	free(line);
	free(path);
}

static int
exists(const char *path, const char *suffix)
{
	char *p = xasprintf("%s%s", path, suffix);
	int rc = access(p, F_OK) == 0;

	free(p);
	return rc;
}

/* A bulk transaction leaves WAL while it is alone, and comes back to it. */
static void
test_bulk(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	struct store *a, *b;
	int64_t count;

	a = open_key(fx, path);
	assert_true(exists(path, "-wal"));
	store_bulk(a, 1);
	assert_false(exists(path, "-wal")); /* a rollback journal now */
	assert_int_equal(
	    store_audit(a, fx->visit, "note", "alone", T0, &cause), 0);
	assert_false(exists(path, "-journal")); /* committed */
	store_bulk(a, 0);
	assert_int_equal(
	    store_audit(a, fx->visit, "note", "wal", T0, &cause), 0);
	assert_true(exists(path, "-wal"));

	/* with a second connection open it stays WAL, and both work */
	b = open_key(fx, path);
	store_bulk(a, 1);
	assert_true(exists(path, "-wal"));
	assert_int_equal(
	    store_audit(a, fx->visit, "note", "beside", T0, &cause), 0);
	store_bulk(a, 0);
	assert_int_equal(load_chain(b, fx->visit, &c, head, &count, &cause), 0);
	assert_int_equal(c.n, 8);
	assert_string_equal(c.v[7].detail, "beside");
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	audit_chain_free(&c);
	store_close(b);
	store_close(a);
	free(path);
}

/* The first page of table name in path, read with the raw key. */
static int
root_page(struct fixture *fx, const char *path, const char *name)
{
	sqlite3 *db = raw_open(fx, path);
	sqlite3_stmt *st;
	int page;

	assert_int_equal(
	    sqlite3_prepare_v2(db,
	        "SELECT rootpage FROM sqlite_master WHERE name = ?", -1, &st,
	        NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	page = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_true(page > 1);
	return page;
}

/* A copy of the master with one byte flipped in table name's first page
 * (a leaf: the master's tables are small).  Caller frees. */
static char *
damaged(struct fixture *fx, const char *name)
{
	char *path = copy_master(fx);
	off_t at = (off_t)(root_page(fx, path, name) - 1) * 1024 + 300;
	unsigned char b;
	int fd;

	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, at), 1);
	b ^= 0x55;
	assert_int_equal(pwrite(fd, &b, 1, at), 1);
	close(fd);
	return path;
}

static int
count_fn(void *arg, const struct store_visit_row *r)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

/* A damaged chain head is an error: the next entry never starts a new
 * chain that would hide the entries before it. */
static void
test_damaged_head(void **state)
{
	struct fixture *fx = *state;
	char *path = tampered(
	    fx, "UPDATE audit_heads SET hash = x'00' WHERE visit = '%s'");
	struct store *s = open_key(fx, path);
	char *cause = NULL;

	assert_int_equal(store_audit(s, fx->visit, "note", "x", 1, &cause), -1);
	assert_non_null(strstr(cause, "damaged"));
	free(cause);
	store_close(s);
	free(path);
}

/* A damaged page is an error, never fewer rows: loading, listing and the
 * audit trail each fail with a cause instead of giving partial data. */
static void
test_damaged_page(void **state)
{
	struct fixture *fx = *state;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	struct visit *v = NULL;
	struct store *s;
	int64_t count;
	char *path, *cause = NULL;
	int n = 0;

	/* the answers: the visit loads with none of them, or not at all */
	path = damaged(fx, "answers");
	s = open_key(fx, path);
	assert_int_equal(load_visit_find(s, fx->visit, &v, &cause), -1);
	assert_null(v);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(load_visit(s, fx->visit, &v, &cause), -1);
	free(cause);
	cause = NULL;
	/* the list reads only the visits' rows: it is whole */
	assert_int_equal(
	    store_visit_list(s, -1, 0, 0, count_fn, &n, &cause), 0);
	assert_int_equal(n, 1);
	store_close(s);
	free(path);

	/* the visits' rows: neither "no such visit" nor an empty list */
	path = damaged(fx, "visits");
	s = open_key(fx, path);
	assert_int_equal(load_visit_find(s, fx->visit, &v, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	n = 0;
	assert_int_equal(
	    store_visit_list(s, -1, 0, 0, count_fn, &n, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	store_close(s);
	free(path);

	/* the trail's head: not "no entries yet" */
	path = damaged(fx, "audit_heads");
	s = open_key(fx, path);
	assert_int_equal(
	    load_chain(s, fx->visit, &c, head, &count, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	/* nor a new chain started over it */
	assert_int_equal(
	    store_audit(s, fx->visit, "x", "y", T0 + 9, &cause), -1);
	free(cause);
	store_close(s);
	free(path);
}

static void
test_killed_after_commit(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_master(fx), *cause = NULL;
	char id[VISIT_ID_LEN + 1];
	struct store *s;
	struct visit *back;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	int64_t count;
	int p[2], status;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *cs = NULL;
		struct visit *v;
		struct value x = { 0 };
		struct form *f;
		char *why = NULL;

		close(p[0]);
		if (store_open_key(path, fx->key, &cs, &why) != STORE_OK)
			_exit(2);
		if ((f = unit_form_ok(master_form)) == NULL)
			_exit(3);
		v = visit_new(f, 1, "there", NULL, NULL, T0 + 7, &why);
		if (v == NULL || store_visit_insert(cs, v, T0 + 7, &why) != 0)
			_exit(4);
		value_string(&x, "最後一筆");
		if (visit_answer(v, 2, &x, T0 + 8, &why) != 0)
			_exit(5);
		value_clear(&x);
		if (store_visit_answer(cs, v, 2, &x, T0 + 8, &why) != 0)
			_exit(6);
		if (write(p[1], v->id, VISIT_ID_LEN) != VISIT_ID_LEN)
			_exit(7);
		/* no close, no checkpoint, no atexit */
		raise(SIGKILL);
		_exit(8);
	}
	close(p[1]);
	memset(id, 0, sizeof id);
	assert_int_equal(read(p[0], id, VISIT_ID_LEN), VISIT_ID_LEN);
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);

	s = open_key(fx, path);
	back = reload(s, id);
	assert_int_equal(back->answers[2].kind, VALUE_STRING);
	assert_string_equal(back->answers[2].s, "最後一筆");
	assert_int_equal(back->answered_at[2], T0 + 8);
	visit_free(back);
	assert_int_equal(load_chain(s, id, &c, head, &count, &cause), 0);
	assert_int_equal(count, 2);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	audit_chain_free(&c);
	store_close(s);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_master_chain),
		cmocka_unit_test(test_audit_edited),
		cmocka_unit_test(test_audit_deleted_middle),
		cmocka_unit_test(test_audit_deleted_last),
		cmocka_unit_test(test_audit_swapped),
		cmocka_unit_test(test_audit_head_moved),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_create_fill),
		cmocka_unit_test(test_open_passphrase),
		cmocka_unit_test(test_open_key),
		cmocka_unit_test(test_open_not_db),
		cmocka_unit_test(test_newer_schema),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_passwd),
		cmocka_unit_test(test_passwd_while_open),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_answer_cleared),
		cmocka_unit_test(test_timer_reset_stored),
		cmocka_unit_test(test_sites_form),
		cmocka_unit_test(test_load_prefix),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_row),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_received),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_killed_after_commit),
		cmocka_unit_test(test_damaged_page),
		cmocka_unit_test(test_damaged_head),
	};

	return cmocka_run_group_tests(tests, store_setup, store_teardown);
}
