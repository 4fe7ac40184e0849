/*
 * batch: export, verify and import at the library level, with real
 * SQLCipher files in a temporary directory.  A batch of 300 visits (more
 * than the import's queue of 64 holds; the writer is held up so that the
 * reader thread fills it and waits) imports whole and only once; a batch
 * file cut short
 * after it was verified and mapped is refused without a crash and with the
 * SIGBUS handler put back; a visit the database holds already stops the
 * import early without a hang; a visit line in the middle with a broken
 * audit trail (or an answer to no question), signed as it stands, is
 * refused with its line number.  A refused batch imports nothing.
 *
 * Argon2id is the slow part: the inspector's database, its batch and the
 * supervisor's database are made once per run, the supervisor's raw key
 * derived once, and the tests work on copies opened with that key.
 */
#include "unit.h"
#include "unit-db.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "anfang/audit.h"
#include "anfang/batch.h"
#include "anfang/crypt-kdf.h"
#include "anfang/crypt-sign.h"
#include "anfang/crypt.h"
#include "anfang/load.h"
#include "anfang/store-batch.h"
#include "anfang/store-key.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

#define T0 1795728204123LL

/* Visits in the batch: well over the import's queue of 64. */
#define NVISITS 300
/* The visit whose line is broken, and the one reloaded. */
#define MIDDLE 150
/* Seconds an import may take before the test counts it as hung. */
#define HANG_SECONDS 60

static const char tiny_form[] = "form: tiny\n"
                                "version: 1\n"
                                "title: Tiny\n"
                                "language: en\n"
                                "units: [here, there]\n"
                                "sections:\n"
                                "  - title: S\n"
                                "    questions:\n"
                                "      - {id: ok, type: yesno, label: L}\n"
                                "      - {id: fee, type: number, label: L}\n"
                                "      - {id: notes, type: text, label: L}\n";

struct fixture {
	char *dir;
	char *supervisor; /* keyring trusts the inspector; nothing received */
	char *batch;      /* the inspector's batch: dir/out/ID.jsonl */
	char *batch_id;
	char ids[NVISITS][VISIT_ID_LEN + 1]; /* in the batch's order */
	size_t visits_at; /* offset of the first visit line */
	struct crypt_mem *pass;
	struct crypt_mem *key;      /* the supervisor's raw key */
	struct crypt_sign_key sign; /* the inspector's, secret part too */
	int copies;
};

/*
 * The writer stores a line in less time than the reader parses one, so on
 * its own the queue seldom fills.  A hook on every SQLite connection holds
 * the writer up at its statements once the reader thread runs (there are
 * more threads than when armed): a long first stall, in which the reader
 * fills the queue and waits for room, then short ones, in each of which
 * the reader fills the slot the writer freed and waits again.
 */
#define STALL_FIRST_MS 300
#define STALL_MS       20

static int stall_left, stall_threads, stalls;

static int
threads(void)
{
	struct dirent *d;
	DIR *dp = opendir("/proc/self/task");
	int n = 0;

	if (dp == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL)
		n += d->d_name[0] != '.';
	closedir(dp);
	return n;
}

static int
stall_stmt(unsigned type, void *ctx, void *p, void *x)
{
	long ms = stalls == 0 ? STALL_FIRST_MS : STALL_MS;
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	(void)type;
	(void)ctx;
	(void)p;
	(void)x;
	if (stall_left > 0 && threads() > stall_threads) {
		stall_left--;
		stalls++;
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	return 0;
}

static int
stall_hook(sqlite3 *db, const char **err, const void *api)
{
	(void)err;
	(void)api;
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, stall_stmt, NULL);
	return SQLITE_OK;
}

/* Hold up the next import's first n statements (see stall_stmt). */
static void
stall_next_import(int n)
{
	stall_threads = threads();
	assert_true(stall_threads > 0);
	stalls = 0;
	stall_left = n;
}

static char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = xmalloc((size_t)st.st_size + 1);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	buf[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	return buf;
}

static void
spill(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* A fresh copy of the supervisor's database. Caller frees. */
static char *
copy_supervisor(struct fixture *fx)
{
	char *path = xasprintf("%s/supervisor%d.db", fx->dir, fx->copies++);

	unit_copy_file(fx->supervisor, path);
	return path;
}

/* A fresh copy of the batch and its signature, in a new directory. */
static char *
copy_batch(struct fixture *fx)
{
	char *dir = xasprintf("%s/batch%d", fx->dir, fx->copies++);
	char *path, *from, *to;

	assert_int_equal(mkdir(dir, 0700), 0);
	path = xasprintf("%s/%s.jsonl", dir, fx->batch_id);
	unit_copy_file(fx->batch, path);
	from = xasprintf("%s.minisig", fx->batch);
	to = xasprintf("%s.minisig", path);
	unit_copy_file(from, to);
	free(from);
	free(to);
	free(dir);
	return path;
}

/* A copy of the supervisor's database, opened with the raw key. */
static struct store *
open_key(struct fixture *fx, const char *path)
{
	return unit_open_key(fx->key, path);
}

/* Direct access with the raw key, behind the store's back. */
static sqlite3 *
raw_open(struct fixture *fx, const char *path)
{
	return unit_raw_open(fx->key, path);
}

static long long
raw_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

struct listed {
	char (*ids)[VISIT_ID_LEN + 1];
	size_t n;
};

static int
list_row(void *arg, const struct store_visit_row *r)
{
	struct listed *l = arg;

	l->ids = xreallocarray(l->ids, l->n + 1, sizeof *l->ids);
	assert_int_equal(strlen(r->id), VISIT_ID_LEN);
	memcpy(l->ids[l->n++], r->id, VISIT_ID_LEN + 1);
	return 0;
}

/* How many visits store_visit_list gives of this status (-1: any). */
static size_t
count_visits(struct store *s, int status)
{
	struct listed l = { NULL, 0 };
	char *cause = NULL;

	if (store_visit_list(s, status, 0, 0, list_row, &l, &cause) != 0) {
		fprintf(stderr, "  list: %s\n", cause);
		fail();
	}
	free(l.ids);
	return l.n;
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
received(struct store *s, const char *batch)
{
	char *cause = NULL;
	int rc = store_received_has(s, batch, &cause);

	assert_true(rc >= 0);
	return rc;
}

static int64_t
global_entries(struct store *s)
{
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	int64_t count;
	char *cause = NULL;

	assert_int_equal(load_chain(s, "", &c, head, &count, &cause), 0);
	audit_chain_free(&c);
	return count;
}

static void
assert_contains(const char *text, const char *part)
{
	if (text == NULL || strstr(text, part) == NULL) {
		fprintf(stderr, "  \"%s\" lacks \"%s\"\n",
		    text ? text : "(null)", part);
		fail();
	}
}

static void
assert_starts(const char *text, const char *start)
{
	if (text == NULL || strncmp(text, start, strlen(start)) != 0) {
		fprintf(stderr, "  \"%s\" does not start \"%s\"\n",
		    text ? text : "(null)", start);
		fail();
	}
}

/* batch_verify against the store's keyring; it must verify. */
static struct batch *
verified(struct store *s, const char *path)
{
	struct batch_run run = { NULL, 0 };
	struct batch_verdict v;
	struct batch *b;

	b = batch_verify(path, s, NULL, &run, &v);
	if (b == NULL)
		fprintf(stderr, "  verify %s: %s: %s\n", path,
		    batch_fail_name(v.fail), v.message ? v.message : "");
	assert_non_null(b);
	assert_int_equal(v.fail, BATCH_OK);
	assert_int_equal(v.visits, NVISITS);
	assert_int_equal(v.sequence, 1);
	assert_string_equal(v.label, "inspector");
	batch_verdict_clear(&v);
	batch_run_clear(&run);
	return b;
}

/* batch_import, killed (a failure) when it takes as long as a hang. */
static int
import(struct batch *b, struct store *s, size_t *imported, char **cause)
{
	int rc;

	*imported = (size_t)-1;
	*cause = NULL;
	alarm(HANG_SECONDS);
	rc = batch_import(b, s, imported, cause);
	alarm(0);
	stall_left = 0;
	return rc;
}

/* The untouched batch, verified and imported whole into s. */
static void
import_good(struct fixture *fx, struct store *s)
{
	struct batch *b = verified(s, fx->batch);
	size_t imported;
	char *cause;

	if (import(b, s, &imported, &cause) != 0)
		fprintf(stderr, "  import: %s\n", cause);
	assert_null(cause);
	assert_int_equal(imported, NVISITS);
	batch_free(b);
	assert_int_equal(count_visits(s, VISIT_RECEIVED), NVISITS);
	assert_int_equal(received(s, fx->batch_id), 1);
}

/* Nothing of the batch got in: no visit, no record of the batch. */
static void
assert_nothing_imported(struct fixture *fx, struct store *s, int64_t entries)
{
	char *cause = NULL;
	size_t i;

	assert_int_equal(count_visits(s, -1), 0);
	for (i = 0; i < NVISITS; i += 37)
		assert_int_equal(store_visit_exists(s, fx->ids[i], &cause), 0);
	assert_int_equal(received(s, fx->batch_id), 0);
	assert_int_equal(global_entries(s), entries);
}

/* Setup. */

static int
init_fill(struct store *s, void *arg, char **cause)
{
	return store_key_create_sign(s, arg, cause);
}

static void
record(struct store *s, struct visit *v, size_t q, const struct value *x,
    int64_t now)
{
	struct value none = { 0 };
	char *cause = NULL;

	if (visit_answer(v, q, x, now, &cause) != 0 ||
	    store_visit_answer(s, v, q, &none, now, &cause) != 0) {
		fprintf(stderr, "  answer: %s\n", cause);
		fail();
	}
}

/* Visit i: ok is yes for odd i, fee is i + 1, notes "visit i". */
static void
make_visit(struct store *s, struct form *f, size_t i, char *id)
{
	int64_t t = T0 + (int64_t)i * 60000;
	struct value x = { 0 };
	struct visit *v;
	char *cause = NULL, *text;

	v = visit_new(f, 0, "here", NULL, NULL, t, &cause);
	if (v == NULL || store_visit_insert(s, v, t, &cause) != 0) {
		fprintf(stderr, "  visit %zu: %s\n", i, cause);
		fail();
	}
	value_bool(&x, (int)(i % 2));
	record(s, v, unit_qi(v, "ok"), &x, t + 1000);
	value_clear(&x);
	value_number(&x, (double)i + 1);
	record(s, v, unit_qi(v, "fee"), &x, t + 2000);
	value_clear(&x);
	text = xasprintf("visit %zu", i);
	value_string(&x, text);
	record(s, v, unit_qi(v, "notes"), &x, t + 3000);
	value_clear(&x);
	free(text);
	if (visit_finalize(v, t + 4000, &cause) != 0 ||
	    store_visit_finalize(s, v, &cause) != 0) {
		fprintf(stderr, "  finalize %zu: %s\n", i, cause);
		fail();
	}
	memcpy(id, v->id, VISIT_ID_LEN + 1);
	visit_free(v);
}

/* The inspector: NVISITS finalized visits, exported as one batch. */
static int
make_inspector(struct fixture *fx)
{
	char *path = xasprintf("%s/inspector.db", fx->dir);
	char *out = xasprintf("%s/out", fx->dir), **paths = NULL;
	char *ids[NVISITS], *cause = NULL, keyid[17];
	struct store *s = NULL;
	struct form *f;
	size_t npaths = 0, i, n;
	int rc = -1;

	if (store_create(path, fx->pass, CRYPT_KDF_INTERACTIVE, init_fill,
	        keyid, &s, &cause) != STORE_OK) {
		fprintf(stderr, "create: %s\n", cause);
		free(path);
		free(out);
		return -1;
	}
	f = unit_form_ok(tiny_form);
	assert_non_null(f);
	assert_int_equal(store_begin(s, &cause), 0);
	for (i = 0; i < NVISITS; i++) {
		make_visit(s, f, i, fx->ids[i]);
		ids[i] = fx->ids[i];
	}
	assert_int_equal(store_commit(s, &cause), 0);
	if (store_key_get_sign(s, &fx->sign, 1, &cause) != 1 ||
	    mkdir(out, 0700) != 0 ||
	    batch_export(s, out, ids, NVISITS, NULL, &paths, &npaths, &cause) !=
	        0) {
		fprintf(stderr, "export: %s\n", cause ? cause : "mkdir");
		goto out;
	}
	assert_int_equal(npaths, 2);
	fx->batch = paths[0];
	n = strlen(fx->batch);
	assert_true(n > strlen(out) + 7);
	assert_string_equal(fx->batch + n - 6, ".jsonl");
	fx->batch_id =
	    xstrndup(fx->batch + strlen(out) + 1, n - strlen(out) - 1 - 6);
	free(paths[1]);
	free(paths);
	rc = 0;
out:
	store_close(s);
	form_free(f);
	free(path);
	free(out);
	return rc;
}

/* Where the visit lines start; that line 3 + i is visit i's. */
static void
find_lines(struct fixture *fx)
{
	size_t len, off = 0, line = 1, i = 0;
	char *text = slurp(fx->batch, &len), *nl, *want;

	while (off < len) {
		nl = memchr(text + off, '\n', len - off);
		assert_non_null(nl);
		if (line == 3)
			fx->visits_at = off;
		if (line >= 3) {
			want = xasprintf("{\"visit\":\"%s\"", fx->ids[i++]);
			assert_int_equal(
			    strncmp(text + off, want, strlen(want)), 0);
			free(want);
		}
		off = (size_t)(nl - text) + 1;
		line++;
	}
	assert_int_equal(i, NVISITS);
	free(text);
}

/* The supervisor: a keyring that trusts the inspector, as keyring add. */
static int
make_supervisor(struct fixture *fx)
{
	struct store *s = NULL;
	char *cause = NULL, keyid[17], hex[17];

	if (store_create(fx->supervisor, fx->pass, CRYPT_KDF_INTERACTIVE,
	        init_fill, keyid, &s, &cause) != STORE_OK) {
		fprintf(stderr, "create: %s\n", cause);
		return -1;
	}
	crypt_sign_keyid_hex(hex, fx->sign.keyid);
	if (store_keyring_add(s, hex, "inspector", fx->sign.pk, T0, &cause) !=
	    0) {
		fprintf(stderr, "keyring: %s\n", cause);
		store_close(s);
		return -1;
	}
	store_close(s);
	return (fx->key = unit_raw_key(fx->supervisor, fx->pass)) ? 0 : -1;
}

static int
batch_setup(void **state)
{
	struct fixture *fx;
	char *cause = NULL;

	if (crypt_init(&cause) != 0 ||
	    sqlite3_auto_extension((void (*)(void))stall_hook) != SQLITE_OK)
		return -1;
	fx = xcalloc(1, sizeof *fx);
	fx->dir = xstrdup("/tmp/anfang-test-batch-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx->dir);
		free(fx);
		return -1;
	}
	fx->supervisor = xasprintf("%s/supervisor.db", fx->dir);
	fx->pass = unit_secret("暗訪 batch pass");
	*state = fx;
	if (make_inspector(fx) != 0 || make_supervisor(fx) != 0)
		return -1;
	find_lines(fx);
	return 0;
}

static int
batch_teardown(void **state)
{
	struct fixture *fx = *state;

	sqlite3_reset_auto_extension();
	if (fx == NULL)
		return 0;
	unit_remove_tree(fx->dir);
	free(fx->dir);
	free(fx->supervisor);
	free(fx->batch);
	free(fx->batch_id);
	crypt_mem_free(fx->pass);
	crypt_mem_free(fx->key);
	crypt_sign_key_free(&fx->sign);
	free(fx);
	return 0;
}

/* Tests. */

/* All 300 in, as received, with their answers; a second time, nothing. */
static void
test_import_good(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_supervisor(fx), *cause = NULL;
	struct listed l = { NULL, 0 };
	char want[NVISITS][VISIT_ID_LEN + 1];
	struct batch_run run = { NULL, 0 };
	struct batch_verdict v;
	struct audit_chain c;
	unsigned char head[CRYPT_HASH_BYTES];
	struct store *s = open_key(fx, path);
	struct visit *back = NULL;
	struct batch *b;
	int64_t count, entries;
	size_t imported;

	b = verified(s, fx->batch);
	entries = global_entries(s);
	stall_next_import(1);
	assert_int_equal(import(b, s, &imported, &cause), 0);
	assert_int_equal(stalls, 1); /* the queue was full, then emptied */
	assert_null(cause);
	assert_int_equal(imported, NVISITS);
	batch_free(b);
	/* one entry in the database's own trail says so */
	assert_int_equal(global_entries(s), entries + 1);
	store_close(s);

	/* committed: the very visits of the batch, all received */
	s = open_key(fx, path);
	assert_int_equal(
	    store_visit_list(s, VISIT_RECEIVED, 0, 0, list_row, &l, &cause), 0);
	assert_int_equal(l.n, NVISITS);
	assert_int_equal(count_visits(s, -1), NVISITS);
	memcpy(want, fx->ids, sizeof want);
	qsort(want, NVISITS, sizeof want[0], cmp_id);
	qsort(l.ids, l.n, sizeof l.ids[0], cmp_id);
	assert_memory_equal(want, l.ids, sizeof want);
	free(l.ids);
	assert_int_equal(received(s, fx->batch_id), 1);

	/* one of them, as it was recorded */
	assert_int_equal(load_visit(s, fx->ids[MIDDLE], &back, &cause), 0);
	assert_string_equal(back->id, fx->ids[MIDDLE]);
	assert_int_equal(back->status, VISIT_RECEIVED);
	assert_string_equal(back->unit_id, "here");
	assert_int_equal(back->started, T0 + MIDDLE * 60000LL);
	assert_int_equal(back->finalized, T0 + MIDDLE * 60000LL + 4000);
	assert_int_equal(back->answers[unit_qi(back, "ok")].kind, VALUE_BOOL);
	assert_int_equal(back->answers[unit_qi(back, "ok")].b, MIDDLE % 2);
	assert_int_equal(
	    back->answers[unit_qi(back, "fee")].kind, VALUE_NUMBER);
	assert_true(back->answers[unit_qi(back, "fee")].n == MIDDLE + 1);
	assert_int_equal(
	    back->answers[unit_qi(back, "notes")].kind, VALUE_STRING);
	assert_string_equal(
	    back->answers[unit_qi(back, "notes")].s, "visit 150");
	visit_free(back);
	/* its trail came with it, intact, and says it was received */
	assert_int_equal(
	    load_chain(s, fx->ids[MIDDLE], &c, head, &count, &cause), 0);
	assert_int_equal(audit_verify(&c, head, count, &cause), 0);
	assert_true(c.n > 1);
	assert_string_equal(c.v[c.n - 1].event, "received");
	audit_chain_free(&c);

	/* the same batch again: a duplicate, and nothing changes */
	entries = global_entries(s);
	b = batch_verify(fx->batch, s, NULL, &run, &v);
	assert_null(b);
	assert_int_equal(v.fail, BATCH_EDUPLICATE);
	assert_contains(v.message, fx->batch_id);
	batch_verdict_clear(&v);
	batch_run_clear(&run);
	assert_int_equal(count_visits(s, -1), NVISITS);
	assert_int_equal(global_entries(s), entries);
	store_close(s);
	free(path);
}

/*
 * The batch file cut to size after batch_verify mapped it: the reader
 * thread takes a SIGBUS, and the import fails cleanly.
 */
static void
truncated(struct fixture *fx, off_t size)
{
	char *path = copy_supervisor(fx), *bpath = copy_batch(fx), *cause;
	struct sigaction before, after;
	struct store *s = open_key(fx, path);
	struct batch *b;
	int64_t entries = global_entries(s);
	size_t imported;
	int fd;

	b = verified(s, bpath);
	assert_int_equal(sigaction(SIGBUS, NULL, &before), 0);
	fd = open(bpath, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	assert_int_equal(close(fd), 0);

	assert_int_equal(import(b, s, &imported, &cause), BATCH_IMPORT_EIO);
	assert_contains(cause, "changed while it was read");
	assert_int_equal(imported, 0);
	free(cause);
	/* the process's SIGBUS handling is what it was */
	assert_int_equal(sigaction(SIGBUS, NULL, &after), 0);
	assert_ptr_equal(after.sa_handler, before.sa_handler);
	assert_int_equal(after.sa_flags, before.sa_flags);
	batch_free(b);
	assert_nothing_imported(fx, s, entries);

	/* and nothing is left over: the whole batch still goes in */
	import_good(fx, s);
	store_close(s);
	free(bpath);
	free(path);
}

static void
test_truncated_empty(void **state)
{
	truncated(*state, 0);
}

/* Half a page into the visit lines: the first few read, then the fault. */
static void
test_truncated_after_header(void **state)
{
	struct fixture *fx = *state;

	truncated(fx, (off_t)(fx->visits_at + 2048));
}

/* Midway: the queue has been full, the writer has stored many. */
static void
test_truncated_midway(void **state)
{
	struct fixture *fx = *state;
	struct stat st;

	assert_int_equal(stat(fx->batch, &st), 0);
	truncated(fx, st.st_size / 2 + 1000);
}

/*
 * The database holds the batch's second visit already: the writer stops
 * at it while the reader, ahead by a full queue, waits for room.
 */
static void
test_writer_fails_early(void **state)
{
	struct fixture *fx = *state;
	char *path = copy_supervisor(fx), *cause = NULL, *sql;
	sqlite3 *db = raw_open(fx, path);
	struct store *s;
	struct batch *b;
	int64_t entries;
	size_t imported, i;

	sql = sqlite3_mprintf("INSERT INTO visits (id, form_hash, unit_id,"
	                      " unit_name, started, status) VALUES"
	                      " ('%s', 'elsewhere', 'here', 'here', %lld, %d)",
	    fx->ids[1], T0, (int)VISIT_RECEIVED);
	unit_raw_exec(db, sql);
	sqlite3_free(sql);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);

	s = open_key(fx, path);
	entries = global_entries(s);
	b = verified(s, fx->batch);
	stall_next_import(50);
	assert_int_equal(import(b, s, &imported, &cause), BATCH_IMPORT_EDATA);
	/* at the look-up of the second visit too: when the writer stopped,
	 * the reader was waiting for room */
	assert_true(stalls >= 2);
	assert_starts(cause, "line 4:");
	assert_contains(cause, fx->ids[1]);
	assert_contains(cause, "already");
	assert_int_equal(imported, 0);
	free(cause);
	batch_free(b);
	/* the first visit, stored before, went back out with the rest */
	for (i = 0; i < NVISITS; i++) {
		if (i != 1)
			assert_int_equal(
			    store_visit_exists(s, fx->ids[i], &cause), 0);
	}
	assert_int_equal(received(s, fx->batch_id), 0);
	assert_int_equal(global_entries(s), entries);
	store_close(s);

	db = raw_open(fx, path);
	assert_int_equal(raw_count(db, "SELECT count(*) FROM visits"), 1);
	assert_int_equal(
	    raw_count(db, "SELECT count(*) FROM received_visits"), 0);
	assert_int_equal(raw_count(db, "SELECT count(*) FROM received"), 0);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	free(path);
}

/*
 * A copy of the batch whose visit line MIDDLE is changed by change(),
 * signed again with the inspector's key as the inspector would.
 */
static char *
bad_batch(struct fixture *fx, void (*change)(char *line, size_t len))
{
	char *bpath = copy_batch(fx), *sigpath, *text, *sig, *trusted;
	char *untrusted, *line, *nl;
	size_t len, i;

	text = slurp(bpath, &len);
	line = text + fx->visits_at;
	for (i = 0; i < MIDDLE; i++) {
		line = memchr(line, '\n', len - (size_t)(line - text));
		assert_non_null(line);
		line++;
	}
	nl = memchr(line, '\n', len - (size_t)(line - text));
	assert_non_null(nl);
	change(line, (size_t)(nl - line));
	spill(bpath, text, len);

	trusted = xasprintf(
	    "anfang batch %s sequence 1 visits %d", fx->batch_id, NVISITS);
	untrusted = xasprintf("anfang batch %s", fx->batch_id);
	sig =
	    crypt_sign_minisig_buffer(&fx->sign, text, len, untrusted, trusted);
	assert_non_null(sig);
	sigpath = xasprintf("%s.minisig", bpath);
	spill(sigpath, sig, strlen(sig));
	free(sigpath);
	free(sig);
	free(trusted);
	free(untrusted);
	free(text);
	return bpath;
}

/* The first place of part in text[0, len), or NULL. */
static char *
find(char *text, size_t len, const char *part)
{
	size_t n = strlen(part), i;

	for (i = 0; i + n <= len; i++) {
		if (memcmp(text + i, part, n) == 0)
			return text + i;
	}
	return NULL;
}

/* One letter of the first audit detail that starts with one, changed:
 * still valid JSON, but not what the entry's hash covers. */
static void
break_trail(char *line, size_t len)
{
	static const char key[] = "\"detail\":\"";
	char *p = line, *end = line + len;

	while ((p = find(p, (size_t)(end - p), key)) != NULL) {
		p += sizeof key - 1;
		if (p < end &&
		    ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
			*p = *p == 'Z' ? 'Y' : 'Z';
			return;
		}
	}
	fail_msg("no audit detail to change");
}

/* The answer to ok made one to "no", a question the form lacks. */
static void
unknown_answer(char *line, size_t len)
{
	static const char key[] = "\"answers\":{\"ok\":";
	char *p = find(line, len, key);

	assert_non_null(p);
	memcpy(p + strlen("\"answers\":{\""), "no", 2);
}

static void
reader_fails(struct fixture *fx, void (*change)(char *, size_t),
    const char *why, const char *also)
{
	char *path = copy_supervisor(fx), *bpath = bad_batch(fx, change);
	char *cause = NULL, *start;
	struct store *s = open_key(fx, path);
	struct batch *b;
	int64_t entries = global_entries(s);
	size_t imported;

	/* signed right and shaped right: verify lets it through */
	b = verified(s, bpath);
	assert_int_equal(import(b, s, &imported, &cause), BATCH_IMPORT_EDATA);
	/* header line 1, the form line 2, visit i on line 3 + i */
	start = xasprintf("line %d:", 3 + MIDDLE);
	assert_starts(cause, start);
	free(start);
	assert_contains(cause, why);
	assert_contains(cause, also);
	assert_int_equal(imported, 0);
	free(cause);
	batch_free(b);
	assert_nothing_imported(fx, s, entries);

	/* not recorded as received: the intact batch goes in whole */
	import_good(fx, s);
	store_close(s);
	free(bpath);
	free(path);
}

static void
test_reader_fails_trail(void **state)
{
	struct fixture *fx = *state;

	reader_fails(fx, break_trail, fx->ids[MIDDLE], "audit trail broken");
}

static void
test_reader_fails_answer(void **state)
{
	reader_fails(*state, unknown_answer, "unknown question \"no\"", "line");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_good),
		cmocka_unit_test(test_truncated_empty),
		cmocka_unit_test(test_truncated_after_header),
		cmocka_unit_test(test_truncated_midway),
		cmocka_unit_test(test_writer_fails_early),
		cmocka_unit_test(test_reader_fails_trail),
		cmocka_unit_test(test_reader_fails_answer),
	};

	return cmocka_run_group_tests(tests, batch_setup, batch_teardown);
}
