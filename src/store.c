/*
 * The SQLCipher database: creating, unlocking, settings, schema, passphrase
 * changes and backups.
 *
 * The key is Argon2id of the passphrase (crypt-kdf), handed to SQLCipher as
 * a raw key, x'<key>', with our KDF header as SQLCipher's file salt.  The
 * file is kept openable by SQLCipher 3.4 (Debian 12) and 4.x: 4.x is told
 * cipher_compatibility = 3, which 3.4 silently ignores, so every setting
 * that matters is read back rather than trusted.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anfang/clock.h"
#include "anfang/file.h"
#include "anfang/form.h"
#include "anfang/i18n.h"
#include "anfang/store-pack.h"
#include "anfang/xmalloc.h"
#include "store-int.h"

/* Each schema version's statements; STORE_SCHEMA is the last. */
static const char *const store_schema_v1 =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE forms (hash TEXT PRIMARY KEY, form_id TEXT NOT NULL,"
    " version INTEGER NOT NULL, title TEXT NOT NULL, text BLOB NOT NULL);"
    "CREATE TABLE visits (id TEXT PRIMARY KEY,"
    " form_hash TEXT NOT NULL REFERENCES forms(hash),"
    " unit_id TEXT NOT NULL, unit_name TEXT NOT NULL, division TEXT,"
    " person TEXT, started INTEGER NOT NULL, finalized INTEGER,"
    " status INTEGER NOT NULL, answered INTEGER NOT NULL DEFAULT 0,"
    " visible INTEGER NOT NULL DEFAULT 0, alerts INTEGER NOT NULL DEFAULT 0,"
    " origin TEXT);"
    "CREATE INDEX visits_started ON visits(started DESC, id);"
    "CREATE TABLE answers (visit TEXT NOT NULL REFERENCES visits(id)"
    " ON DELETE CASCADE, question TEXT NOT NULL, kind INTEGER NOT NULL,"
    " num REAL, txt TEXT, at INTEGER NOT NULL,"
    " PRIMARY KEY (visit, question)) WITHOUT ROWID;"
    "CREATE TABLE timers (visit TEXT NOT NULL REFERENCES visits(id)"
    " ON DELETE CASCADE, question TEXT NOT NULL,"
    " elapsed_ms INTEGER NOT NULL, running_since INTEGER NOT NULL,"
    " PRIMARY KEY (visit, question)) WITHOUT ROWID;"
    "CREATE TABLE reasons (visit TEXT NOT NULL REFERENCES visits(id)"
    " ON DELETE CASCADE, question TEXT NOT NULL, reason TEXT NOT NULL,"
    " PRIMARY KEY (visit, question)) WITHOUT ROWID;"
    "CREATE TABLE amendments (visit TEXT NOT NULL REFERENCES visits(id)"
    " ON DELETE CASCADE, seq INTEGER NOT NULL, question TEXT NOT NULL,"
    " kind INTEGER NOT NULL, num REAL, txt TEXT, reason TEXT NOT NULL,"
    " at INTEGER NOT NULL, PRIMARY KEY (visit, seq)) WITHOUT ROWID;"
    /* A visit's chain head lives with its entries' count in audit_heads,
     * so that removing the last entry shows too. */
    "CREATE TABLE audit (visit TEXT NOT NULL, n INTEGER NOT NULL,"
    " at INTEGER NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL,"
    " prev BLOB NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY (visit, n)) WITHOUT ROWID;"
    "CREATE TABLE audit_heads (visit TEXT PRIMARY KEY,"
    " n INTEGER NOT NULL, hash BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE keys (name TEXT PRIMARY KEY, keyid BLOB NOT NULL,"
    " pk BLOB NOT NULL, sk BLOB) WITHOUT ROWID;";

/*
 * "what: message"; with the system's own words first when the disk is
 * full or a read or write failed ("database or disk is full" alone does
 * not say which, nor what to do).
 */
static char *
store_message(struct store *s, const char *what, const char *msg)
{
	int code, err;

	if (s->db == NULL)
		return xasprintf("%s: %s", what, msg ? msg : _("no database"));
	if (msg == NULL)
		msg = sqlite3_errmsg(s->db);
	code = sqlite3_extended_errcode(s->db);
	err = sqlite3_system_errno(s->db);
	if ((code & 0xff) == SQLITE_FULL)
		return xasprintf("%s: %s (%s)", what,
		    strerror(err == EFBIG || err == EDQUOT ? err : ENOSPC),
		    msg);
	if ((code & 0xff) == SQLITE_IOERR && err != 0)
		return xasprintf("%s: %s (%s)", what, strerror(err), msg);
	return xasprintf("%s: %s", what, msg);
}

void
store_cause(struct store *s, char **cause, const char *what)
{
	*cause = store_message(s, what, NULL);
}

sqlite3_stmt *
store_prepare(struct store *s, const char *sql, char **cause)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < STORE_CACHE && s->cache[i].sql != NULL; i++) {
		if (s->cache[i].sql == sql)
			return s->cache[i].st;
	}
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_cause(s, cause, _("database"));
		return NULL;
	}
	if (i < STORE_CACHE) {
		s->cache[i].sql = sql;
		s->cache[i].st = st;
	}
	return st;
}

void
store_release(sqlite3_stmt *st)
{
	/* Cached: reset for the next use (a full cache is not expected;
	 * STORE_CACHE is above the number of statements in the store). */
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int
store_step(struct store *s, sqlite3_stmt *st, char **cause)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	/* sqlite3_errmsg of the connection: the statement's own error */
	store_cause(s, cause, _("database"));
	return -1;
}

int
store_done(struct store *s, sqlite3_stmt *st, char **cause)
{
	int rc;

	while ((rc = store_step(s, st, cause)) == 1)
		;
	store_release(st);
	return rc;
}

int
store_found(struct store *s, sqlite3_stmt *st, const char *what, char **cause)
{
	int rc = store_step(s, st, cause);

	if (rc < 0) {
		free(*cause);
		store_cause(s, cause, what);
	}
	store_release(st);
	return rc;
}

int
store_exec(struct store *s, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		*cause = store_message(s, _("database"), err);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* Run SQL whose failure is already being handled. */
static void
store_exec_quiet(struct store *s, const char *sql)
{
	/* sqlite3_exec directly: only the outcome matters here */
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

int
store_begin(struct store *s, char **cause)
{
	/* The outermost takes the write lock at once, waiting its turn: a
	 * transaction that read first and then wanted to write could not
	 * wait for a writer that committed in between. */
	if (store_exec(s,
	        s->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT anfang",
	        cause) != 0)
		return -1;
	s->depth++;
	return 0;
}

int
store_commit(struct store *s, char **cause)
{
	/* The outermost commits, durably (FULL). */
	if (store_exec(s, s->depth == 1 ? "COMMIT" : "RELEASE anfang", cause) !=
	    0) {
		store_rollback(s);
		return -1;
	}
	s->depth--;
	return 0;
}

void
store_rollback(struct store *s)
{
	if (s->depth == 0)
		return;
	/* After a failed COMMIT, SQLite may have rolled back already. */
	store_exec_quiet(s,
	    s->depth == 1 ? "ROLLBACK" : "ROLLBACK TO anfang; RELEASE anfang");
	s->depth--;
}

char *
store_default_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/anfang/anfang.db", xdg);
	if (home == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/.local/share/anfang/anfang.db", home);
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

const struct crypt_kdf *
store_kdf(const struct store *s)
{
	return &s->kdf;
}

/* "x'<key hex>'" or "x'<key hex><salt hex>'" in guarded memory. */
static struct crypt_mem *
store_key_text(const struct crypt_mem *key, const unsigned char *salt)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 3 + key->len * 2 + (salt ? CRYPT_KDF_HEADER_BYTES * 2 : 0);
	struct crypt_mem *t = crypt_mem_new(n);
	size_t i, k = 0;

	t->p[k++] = 'x';
	t->p[k++] = '\'';
	for (i = 0; i < key->len; i++) {
		t->p[k++] = hex[key->p[i] >> 4];
		t->p[k++] = hex[key->p[i] & 15];
	}
	for (i = 0; salt != NULL && i < CRYPT_KDF_HEADER_BYTES; i++) {
		t->p[k++] = hex[salt[i] >> 4];
		t->p[k++] = hex[salt[i] & 15];
	}
	t->p[k++] = '\'';
	t->len = k;
	return t;
}

/* One integer from a pragma or query; -1 with *cause. */
static int
store_int(struct store *s, const char *sql, long long *out, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_prepare(s, sql, cause)) == NULL)
		return -1;
	if ((rc = store_step(s, st, cause)) != 1) {
		if (rc == 0)
			*cause = xasprintf(_("database: %s gave nothing"), sql);
		store_release(st);
		return -1;
	}
	*out = sqlite3_column_int64(st, 0);
	store_release(st);
	return 0;
}

/* Set a pragma and read it back, since unknown ones are ignored. */
static int
store_pragma(struct store *s, const char *name, const char *value,
    const char *want, char **cause)
{
	sqlite3_stmt *st;
	char *sql = xasprintf("PRAGMA %s = %s", name, value);
	const unsigned char *got;
	int ok;

	if (store_exec(s, sql, cause) != 0) {
		free(sql);
		return -1;
	}
	free(sql);
	/* Not through the statement cache: this SQL text is not a literal. */
	sql = xasprintf("PRAGMA %s", name);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		store_cause(s, cause, _("database"));
		return -1;
	}
	free(sql);
	if ((ok = store_step(s, st, cause)) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	ok = ok == 1 && (got = sqlite3_column_text(st, 0)) != NULL &&
	     strcmp((const char *)got, want) == 0;
	sqlite3_finalize(st);
	if (!ok) {
		*cause = xasprintf(
		    _("database: PRAGMA %s did not take effect"), name);
		return -1;
	}
	return 0;
}

static void
store_free(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < STORE_CACHE && s->cache[i].sql != NULL; i++)
		sqlite3_finalize(s->cache[i].st);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	if (s->db != NULL)
		sqlite3_close_v2(s->db);
	while (s->nforms > 0)
		form_free(s->forms[--s->nforms]);
	free(s->forms);
	crypt_mem_free(s->key);
	free(s->path);
	free(s);
}

void
store_bulk(struct store *s, int on)
{
	if (on) {
		/* Rows keyed by random visit ids land all over their trees:
		 * with SQLite's 2 MiB default, pages would be written out, and
		 * so encrypted, many times over in one long transaction. */
		store_exec_quiet(s, "PRAGMA cache_size = -65536");
		/* A rollback journal writes each new page once; WAL writes it
		 * twice and searches a longer index on every read.  Possible
		 * only when no other connection is open; else it stays WAL. */
		store_exec_quiet(s, "PRAGMA journal_mode = DELETE");
	} else {
		store_exec_quiet(s, "PRAGMA journal_mode = WAL");
		store_exec_quiet(s, "PRAGMA cache_size = -2000");
	}
}

void
store_close(struct store *s)
{
	store_free(s);
}

/*
 * Version 2: batches.  Sent batches keep their exact bytes, so that a batch
 * can be written again identically; the keyring holds trusted inspectors'
 * keys; received batches record each signer's sequence.
 */
static const char *const store_schema_v2 =
    "CREATE TABLE batches (id TEXT PRIMARY KEY,"
    " sequence INTEGER NOT NULL UNIQUE, created INTEGER NOT NULL,"
    " visits INTEGER NOT NULL, file_hash TEXT NOT NULL,"
    " text BLOB NOT NULL, sig TEXT NOT NULL);"
    "CREATE TABLE keyring (keyid TEXT PRIMARY KEY, label TEXT NOT NULL,"
    " pk BLOB NOT NULL, added INTEGER NOT NULL);"
    "CREATE TABLE received (batch TEXT PRIMARY KEY, signer TEXT NOT NULL,"
    " sequence INTEGER NOT NULL, visits INTEGER NOT NULL,"
    " file_hash TEXT NOT NULL, imported INTEGER NOT NULL,"
    " UNIQUE (signer, sequence));";

/*
 * Version 3: room for big batches.  A sent batch's bytes are kept in parts
 * (SQLite refuses a value over a gigabyte), and a received visit is kept
 * as the line it arrived in, checked, in one row: its summary stays in
 * visits for listing.
 */
static const char *const store_schema_v3 =
    "CREATE TABLE batch_parts (batch TEXT NOT NULL REFERENCES batches(id),"
    " n INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (batch, n));"
    "INSERT INTO batch_parts (batch, n, data) SELECT id, 0, text"
    " FROM batches;"
    "UPDATE batches SET text = X'';"
    "CREATE TABLE received_visits (visit TEXT PRIMARY KEY"
    " REFERENCES visits(id), batch TEXT NOT NULL, line BLOB NOT NULL);";

/*
 * Version 4: when a visit took place (reports count by it), at first its
 * start.  The UTC offset of the place is unknown for visits from before:
 * NULL, read as this machine's offset then.
 */
static const char *const store_schema_v4 =
    "ALTER TABLE visits ADD COLUMN took INTEGER;"
    "ALTER TABLE visits ADD COLUMN took_offset INTEGER;"
    "UPDATE visits SET took = started;"
    "CREATE INDEX visits_took ON visits(took);";

/*
 * Version 5: what reports read, kept in step with each final, exported or
 * received visit (store_visit_derive), so that a report never decodes a
 * received visit's line, and reads a period of visits as one range of one
 * table, in order of when they took place (report_visits: its key is the
 * order a report reads in, so that a month is a few hundred consecutive
 * pages rather than a page or more per visit).  A row holds what a report
 * shows of the visit, and its answers packed in one blob (store-pack.h):
 * the visit's score and the most it could reach, the current (amended)
 * value of each question shown and the alerts that fired.  report_forms
 * numbers the forms reports have seen, each with its family (the form's
 * family, or its id when it names none).  The visit's score stays on its
 * row too, and each alert that fired has a row in report_alerts, for the
 * alert queue.  Alerts handled (anfang alerts close) keep their state
 * apart from the visit: a received visit is kept as it arrived.
 */
static const char *const store_schema_v5 =
    "ALTER TABLE visits ADD COLUMN score REAL;"
    "ALTER TABLE visits ADD COLUMN score_max REAL;"
    "DROP INDEX visits_took;"
    "CREATE INDEX visits_took ON visits(took, id);"
    "CREATE TABLE report_forms (n INTEGER PRIMARY KEY,"
    " hash TEXT NOT NULL UNIQUE, family TEXT NOT NULL);"
    "CREATE TABLE report_visits (family TEXT NOT NULL,"
    " took INTEGER NOT NULL, id TEXT NOT NULL,"
    " form INTEGER NOT NULL REFERENCES report_forms(n),"
    " took_offset INTEGER, status INTEGER NOT NULL, finalized INTEGER,"
    " unit_id TEXT NOT NULL, unit_name TEXT, division TEXT, person TEXT,"
    " signer TEXT, alerts INTEGER NOT NULL, answers BLOB NOT NULL,"
    " PRIMARY KEY (family, took, id)) WITHOUT ROWID;"
    "CREATE TABLE report_alerts (visit TEXT NOT NULL REFERENCES visits(id)"
    " ON DELETE CASCADE, question TEXT NOT NULL,"
    " severity INTEGER NOT NULL, PRIMARY KEY (visit, question))"
    " WITHOUT ROWID;"
    "CREATE INDEX report_alerts_severity ON report_alerts(severity);"
    "CREATE TABLE alert_states (visit TEXT NOT NULL,"
    " question TEXT NOT NULL, closed INTEGER NOT NULL, note TEXT,"
    " by TEXT NOT NULL, at INTEGER NOT NULL,"
    " PRIMARY KEY (visit, question)) WITHOUT ROWID;";

/*
 * Version 6: the visits list of one status, a page at a time however many
 * visits there are of the others (a few drafts among a million received).
 */
static const char *const store_schema_v6 =
    "CREATE INDEX visits_status ON visits(status, started DESC, id);";

/*
 * Version 7: a report's rows small enough for a page to hold several.
 * Pages are 1 KiB, and a row of a WITHOUT ROWID table over about 220
 * bytes spills into a page of its own: most report_visits rows did, for
 * their free texts (store-pack.h), so that a report read and decrypted a
 * page or more per visit.  Free texts now lie apart, in report_texts, in
 * the same order, read only by what shows them; a visit without any has
 * no row there.
 */
static const char *const store_schema_v7 =
    "CREATE TABLE report_texts (family TEXT NOT NULL,"
    " took INTEGER NOT NULL, id TEXT NOT NULL, texts BLOB NOT NULL,"
    " PRIMARY KEY (family, took, id)) WITHOUT ROWID;";

/*
 * Version 8: the visits a batch brought in, found by the batch.  Import
 * shows the new batch's high alerts; without this it walked every alert
 * in the database to find them, a cost that grew with the database and
 * not with the batch.
 */
static const char *const store_schema_v8 =
    "CREATE INDEX received_visits_batch ON received_visits(batch);";

/* The statements that take a database from version - 1 to version. */
static const char *const *const store_migrations[] = {
	NULL,
	&store_schema_v1,
	&store_schema_v2,
	&store_schema_v3,
	&store_schema_v4,
	&store_schema_v5,
	&store_schema_v6,
	&store_schema_v7,
	&store_schema_v8,
};

static int (*store_deriver)(struct store *, const char *, char **);

void
store_set_deriver(int (*derive)(struct store *, const char *, char **))
{
	store_deriver = derive;
}

/* Version 5's rows for the visits already there, in the upgrade's
 * transaction. */
static int
store_derive_all(struct store *s, char **cause)
{
	sqlite3_stmt *st;
	char **ids = NULL;
	size_t n = 0, i;
	int rc;

	st = store_prepare(s,
	    "SELECT id FROM visits WHERE status IN (1, 2, 3) ORDER BY id",
	    cause);
	if (st == NULL)
		return -1;
	while ((rc = store_step(s, st, cause)) == 1) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	store_release(st);
	if (rc == 0 && n > 0 && store_deriver == NULL) {
		*cause = xstrdup(_("cannot upgrade the database here: its "
		                   "visits need the report rows of schema 5"));
		rc = -1;
	}
	/* Many visits: pages are read and written many times over. */
	if (rc == 0 && n > 0)
		store_exec_quiet(s, "PRAGMA cache_size = -65536");
	for (i = 0; rc == 0 && i < n; i++)
		rc = store_deriver(s, ids[i], cause);
	store_exec_quiet(s, "PRAGMA cache_size = -2000");
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc < 0 ? -1 : 0;
}

/* One report row's blobs of version 2 (k), over its version 1 blob. */
static int
store_split_put(struct store *s, const char *family, sqlite3_int64 took,
    const char *id, const struct store_pack *k, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "UPDATE report_visits SET answers = ?4"
	    " WHERE family = ?1 AND took = ?2 AND id = ?3",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, family, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, took);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 4, k->answers.p, k->answers.len, SQLITE_STATIC);
	if (store_done(s, st, cause) != 0)
		return -1;
	return store_visit_put_texts(s, family, took, id, k, cause);
}

/*
 * Version 7's rows: the free texts of report rows packed by version 1
 * (store-pack.h) moved to report_texts.  Rows derived by this program
 * (version 5's, just before) are of version 2 already and left alone;
 * so is a row that cannot be read, which the report that reaches it
 * reports, as it did before.  A row at a time, each found after the
 * last: no statement reads the table while it is written.
 */
static int
store_split_texts(struct store *s, char **cause)
{
	static const char *const next[] = {
		"SELECT family, took, id, answers FROM report_visits"
		" ORDER BY family, took, id LIMIT 1",
		"SELECT family, took, id, answers FROM report_visits"
		" WHERE (family, took, id) > (?1, ?2, ?3)"
		" ORDER BY family, took, id LIMIT 1",
	};
	struct store_pack k = { 0 };
	const unsigned char *a;
	sqlite3_stmt *st;
	char *family = NULL, *id = NULL, *why = NULL;
	sqlite3_int64 took = 0;
	size_t len;
	int rc, split = 0;

	store_exec_quiet(s, "PRAGMA cache_size = -65536");
	for (;;) {
		if ((st = store_prepare(s, next[family != NULL], cause)) ==
		    NULL) {
			rc = -1;
			break;
		}
		if (family != NULL) {
			sqlite3_bind_text(st, 1, family, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, took);
			sqlite3_bind_text(st, 3, id, -1, SQLITE_TRANSIENT);
		}
		if ((rc = store_step(s, st, cause)) == 1) {
			free(family);
			free(id);
			family =
			    xstrdup((const char *)sqlite3_column_text(st, 0));
			took = sqlite3_column_int64(st, 1);
			id = xstrdup((const char *)sqlite3_column_text(st, 2));
			a = sqlite3_column_blob(st, 3);
			len = (size_t)sqlite3_column_bytes(st, 3);
			split = len > 0 && a[0] == 1 &&
			        store_pack_split(a, len, &k, &why) == 0;
			free(why);
			why = NULL;
		}
		store_release(st);
		if (rc != 1)
			break;
		if (split &&
		    store_split_put(s, family, took, id, &k, cause) != 0) {
			rc = -1;
			break;
		}
	}
	free(family);
	free(id);
	store_pack_free(&k);
	store_exec_quiet(s, "PRAGMA cache_size = -2000");
	return rc < 0 ? -1 : 0;
}

/*
 * What a version needs beyond its statements, written for the current
 * schema (version 5's derives report rows as this program does).
 */
static int (*const store_migration_steps[])(struct store *, char **) = {
	[5] = store_derive_all,
	[7] = store_split_texts,
};

static enum store_err
store_schema(struct store *s, long long version, char **cause)
{
	char *sql;
	long long v;

	if (version >= STORE_SCHEMA)
		return STORE_OK;
	/*
	 * One transaction from the version found to this one: the database
	 * is upgraded whole or not at all.  Each version's statements in
	 * turn, then what they need beyond SQL, which this program's code
	 * does for this program's schema.
	 */
	if (store_begin(s, cause) != 0)
		return STORE_EIO;
	for (v = version + 1; v <= STORE_SCHEMA; v++) {
		if (store_exec(s, *store_migrations[v], cause) != 0)
			goto fail;
	}
	for (v = version + 1; v <= STORE_SCHEMA; v++) {
		if (v < (long long)(sizeof store_migration_steps /
		                    sizeof store_migration_steps[0]) &&
		    store_migration_steps[v] != NULL &&
		    store_migration_steps[v](s, cause) != 0)
			goto fail;
	}
	sql = xasprintf("PRAGMA user_version = %d", STORE_SCHEMA);
	if (store_exec(s, sql, cause) != 0) {
		free(sql);
		goto fail;
	}
	free(sql);
	if (store_commit(s, cause) != 0)
		return STORE_EIO;
	return STORE_OK;
fail:
	store_rollback(s);
	return STORE_EIO;
}

/* A file: URI for path with query q, escaping what URIs reserve. */
static char *
store_uri(const char *path, const char *q)
{
	static const char hex[] = "0123456789ABCDEF";
	char *u = xmalloc(strlen(path) * 3 + strlen(q) + 8), *o = u;
	const unsigned char *c;

	o += sprintf(o, "file:");
	for (c = (const unsigned char *)path; *c != '\0'; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("/._-~", *c) != NULL)
			*o++ = (char)*c;
		else {
			*o++ = '%';
			*o++ = hex[*c >> 4];
			*o++ = hex[*c & 15];
		}
	}
	sprintf(o, "?%s", q);
	return u;
}

/* Whether path's file exists and is not empty. */
static int
store_nonempty(const char *path, const char *suffix)
{
	struct stat st;
	char *p = xasprintf("%s%s", path, suffix);
	int yes = stat(p, &st) == 0 && st.st_size > 0;

	free(p);
	return yes;
}

/*
 * One look at page 1 with the key on a read-only connection.  immutable:
 * the file alone, no lock taken and nothing made beside it, but blind to
 * the WAL and to other processes; else with SQLite's locks and the WAL,
 * waiting while the database is busy.
 */
static enum store_err
store_probe_once(
    const char *path, const struct crypt_mem *key, int immutable, char **cause)
{
	struct store p;
	struct crypt_mem *text;
	enum store_err err = STORE_EIO;
	long long n;
	char *uri;

	memset(&p, 0, sizeof p);
	p.lock_fd = -1;
	uri = store_uri(path, immutable ? "mode=ro&immutable=1" : "mode=ro");
	if (sqlite3_open_v2(uri, &p.db,
	        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		free(uri);
		store_cause(&p, cause, path);
		goto out;
	}
	free(uri);
	sqlite3_busy_timeout(p.db, STORE_BUSY_MS);
	text = store_key_text(key, NULL);
	sqlite3_key_v2(p.db, "main", text->p, (int)text->len);
	crypt_mem_free(text);
	store_exec_quiet(&p, "PRAGMA cipher_compatibility = 3");
	/* Page 1 alone: its MAC checks the key. */
	if (store_int(&p, "PRAGMA user_version", &n, cause) != 0) {
		free(*cause);
		*cause = NULL;
		if (sqlite3_errcode(p.db) == SQLITE_NOTADB) {
			*cause = xstrdup(_("wrong passphrase"));
			err = STORE_EPASS;
		} else
			store_cause(&p, cause, path);
		goto out;
	}
	if (n > STORE_SCHEMA) {
		*cause = xasprintf(_("%s was written by a newer anfang (schema "
		                     "%lld, this one knows %d): not opened"),
		    path, n, STORE_SCHEMA);
		err = STORE_ENEWER;
		goto out;
	}
	err = STORE_OK;
out:
	/* the statement cache of p was never used: store_int finalizes
	 * through store_release, so finalize what it prepared */
	for (size_t i = 0; i < STORE_CACHE && p.cache[i].sql != NULL; i++)
		sqlite3_finalize(p.cache[i].st);
	sqlite3_close_v2(p.db);
	return err;
}

/*
 * Try the key on a read-only connection first: a wrong key, or a database
 * newer than this program, must leave every file as it was, and closing a
 * read-write connection could checkpoint a waiting WAL into the file.
 */
static enum store_err
store_probe(const char *path, const struct crypt_mem *key, char **cause)
{
	enum store_err err;

	/* A WAL holds the newest pages (after a checkpoint that found no
	 * room, page 1 in the file may be ahead of the file's end): look
	 * through it, with the locks. */
	if (store_nonempty(path, "-wal"))
		return store_probe_once(path, key, 0, cause);
	if ((err = store_probe_once(path, key, 1, cause)) == STORE_OK ||
	    err == STORE_ENEWER)
		return err;
	if (store_nonempty(path, "-journal")) {
		/* A commit killed halfway: this look ignores the journal, so
		 * the file seems torn until the real open rolls it back.
		 * Unless page 1 failed its MAC, the key is right. */
		if (err == STORE_EPASS)
			return err;
		free(*cause);
		*cause = NULL;
		return STORE_OK;
	}
	/* The file alone may have been caught while another process wrote
	 * it: the verdict is the locked look's.  (With a wrong key it
	 * stops at page 1, before making a -wal or -shm.) */
	free(*cause);
	*cause = NULL;
	return store_probe_once(path, key, 0, cause);
}

/*
 * Whether this process may write path, the -wal and -shm beside it (when
 * they exist) and its directory: SQLite would otherwise open the database
 * read-only without a word, and make a -wal and -shm with the file's own
 * modes that the next open, after a chmod, could not use.
 */
static int
store_writable(const char *path, char **cause)
{
	static const char *const beside[] = { "", "-wal", "-shm" };
	char *dir = xstrdup(path), *p, *f;
	size_t i;
	int fd;

	for (i = 0; i < sizeof beside / sizeof *beside; i++) {
		f = xasprintf("%s%s", path, beside[i]);
		fd = open(f, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 && (i == 0 || errno != ENOENT)) {
			*cause = xasprintf(_("%s: %s: anfang needs to write to "
			                     "it; nothing changed"),
			    f, strerror(errno));
			free(f);
			free(dir);
			return -1;
		}
		if (fd >= 0)
			close(fd);
		free(f);
	}
	if ((p = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (p == dir)
		p[1] = '\0';
	else
		*p = '\0';
	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) != 0) {
		*cause =
		    xasprintf(_("%s: %s: anfang needs to write the database's "
		                "directory (its -wal and -shm files); nothing "
		                "changed"),
		        dir, strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	return 0;
}

/*
 * Open path with a key.  salt is given only when creating: SQLCipher then
 * writes it as the file's first 16 bytes.
 */
static enum store_err
store_connect(const char *path, const struct crypt_mem *key,
    const struct crypt_kdf *kdf, int create, struct store **out, char **cause)
{
	struct store *s = xcalloc(1, sizeof *s);
	struct crypt_mem *text;
	long long n;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, rc;
	enum store_err err = STORE_EIO;

	s->path = xstrdup(path);
	s->kdf = *kdf;
	/* flock, apart from SQLite's fcntl locks: every open database holds
	 * it shared, so that passwd can tell when it is not alone. */
	if ((s->lock_fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0)
		flock(s->lock_fd, LOCK_SH);
	s->key = crypt_mem_new(key->len);
	memcpy(s->key->p, key->p, key->len);
	if (store_writable(path, cause) != 0)
		goto fail;
	if (!create && (err = store_probe(path, key, cause)) != STORE_OK)
		goto fail;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		store_cause(s, cause, path);
		goto fail;
	}
	/* Opened read-only all the same (changed since the look above):
	 * stop before the first read makes a -wal or -shm. */
	if (sqlite3_db_readonly(s->db, "main") != 0) {
		*cause = xasprintf(
		    _("%s: read-only: anfang needs to write to it"), path);
		goto fail;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	text = store_key_text(key, create ? kdf->header : NULL);
	rc = sqlite3_key_v2(s->db, "main", text->p, (int)text->len);
	crypt_mem_free(text);
	if (rc != SQLITE_OK) {
		store_cause(s, cause, _("cannot set the database key"));
		goto fail;
	}
	/* SQLCipher 4.x: keep the 3.x format. 3.4 ignores it. */
	if (store_exec(s, "PRAGMA cipher_compatibility = 3", cause) != 0)
		goto fail;
	if (store_pragma(s, "cipher_page_size", "1024", "1024", cause) != 0) {
		free(*cause);
		*cause = xstrdup(_("this SQLite has no SQLCipher encryption: "
		                   "refusing to store anything"));
		goto fail;
	}
	if (store_int(s, "SELECT count(*) FROM sqlite_master", &n, cause) !=
	    0) {
		free(*cause);
		if (sqlite3_errcode(s->db) == SQLITE_NOTADB) {
			*cause = xstrdup(_("wrong passphrase"));
			err = STORE_EPASS;
		} else
			store_cause(s, cause, path);
		goto fail;
	}
	if (store_int(s, "PRAGMA user_version", &n, cause) != 0)
		goto fail;
	if (n > STORE_SCHEMA) {
		*cause = xasprintf(_("%s was written by a newer anfang (schema "
		                     "%lld, this one knows %d): not opened"),
		    path, n, STORE_SCHEMA);
		err = STORE_ENEWER;
		goto fail;
	}
	if (n == 0 && !create) {
		*cause = xasprintf(_("%s: not an anfang database"), path);
		err = STORE_ENOTDB;
		goto fail;
	}
	/* WAL with FULL sync: a commit is on disk when it returns. */
	if (store_pragma(s, "journal_mode", "WAL", "wal", cause) != 0 ||
	    store_pragma(s, "synchronous", "FULL", "2", cause) != 0 ||
	    store_pragma(s, "temp_store", "MEMORY", "2", cause) != 0 ||
	    store_pragma(s, "foreign_keys", "ON", "1", cause) != 0)
		goto fail;
	if ((err = store_schema(s, n, cause)) != STORE_OK)
		goto fail;
	*out = s;
	return STORE_OK;
fail:
	if (err == STORE_OK)
		err = STORE_EIO;
	store_free(s);
	return err;
}

/* The KDF header at the start of an existing database. */
static enum store_err
store_read_header(const char *path, struct crypt_kdf *kdf, char **cause)
{
	unsigned char h[CRYPT_KDF_HEADER_BYTES];
	char *why;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return errno == ENOENT ? STORE_ENOENT : STORE_EIO;
	}
	n = read(fd, h, sizeof h);
	if (n < 0) {
		/* EISDIR: a directory opens, but does not read */
		int err = errno;

		*cause = xasprintf("%s: %s", path, strerror(err));
		close(fd);
		return err == EISDIR ? STORE_ENOTDB : STORE_EIO;
	}
	close(fd);
	if (n != (ssize_t)sizeof h) {
		*cause = xasprintf(_("%s: not an anfang database"), path);
		return STORE_ENOTDB;
	}
	if (crypt_kdf_parse(kdf, h, &why) != 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		return STORE_ENOTDB;
	}
	return STORE_OK;
}

enum store_err
store_check(const char *path, char **cause)
{
	struct crypt_kdf kdf;

	return store_read_header(path, &kdf, cause);
}

enum store_err
store_open_key(const char *path, const struct crypt_mem *key,
    struct store **out, char **cause)
{
	struct crypt_kdf kdf;
	enum store_err err;

	if ((err = store_read_header(path, &kdf, cause)) != STORE_OK)
		return err;
	return store_connect(path, key, &kdf, 0, out, cause);
}

enum store_err
store_open(const char *path, const struct crypt_mem *pass, struct store **out,
    char **cause)
{
	struct crypt_kdf kdf;
	struct crypt_mem *key;
	enum store_err err;

	if ((err = store_read_header(path, &kdf, cause)) != STORE_OK)
		return err;
	if ((key = crypt_kdf_derive(&kdf, pass, cause)) == NULL)
		return STORE_EIO;
	err = store_connect(path, key, &kdf, 0, out, cause);
	crypt_mem_free(key);
	return err;
}

/* Create the directories of path that are missing, 0700. */
static int
store_mkdirs(const char *path, char **cause)
{
	char *dir = xstrdup(path), *p;

	if ((p = strrchr(dir, '/')) == NULL || p == dir) {
		free(dir);
		return 0;
	}
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		goto fail;
	free(dir);
	return 0;
fail:
	*cause = xasprintf("%s: %s", dir, strerror(errno));
	free(dir);
	return -1;
}

/* An empty 0600 file beside path, to be renamed or linked into place. */
static char *
store_temp(const char *path, char **cause)
{
	char *tmp = xasprintf("%s.new-XXXXXX", path);
	int fd;

	if ((fd = mkstemp(tmp)) < 0) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		return NULL;
	}
	fchmod(fd, 0600);
	close(fd);
	return tmp;
}

/* Remove a temporary database and what SQLite may have left beside it. */
static void
store_unlink_all(const char *path)
{
	char *p;

	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-journal", path);
	unlink(p);
	free(p);
}

/*
 * Everything in the WAL into the file itself, the WAL emptied: before a
 * new file is published and its -wal removed.  Closing would try too, but
 * a checkpoint that fails there (no room) says nothing, and the file
 * published without its WAL would be incomplete or torn.
 */
static int
store_checkpoint(struct store *s, char **cause)
{
	int log = -1, done = -1;

	if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	        &log, &done) != SQLITE_OK) {
		store_cause(s, cause, _("database"));
		return -1;
	}
	if (log != done) {
		*cause = xstrdup(_("database: checkpoint incomplete"));
		return -1;
	}
	return 0;
}

/* Link tmp to dest, failing if dest exists; fsync both. */
static enum store_err
store_publish(const char *tmp, const char *dest, char **cause)
{
	if (file_sync(tmp) != 0) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		return STORE_EIO;
	}
	if (link(tmp, dest) != 0) {
		*cause = xasprintf("%s: %s", dest,
		    errno == EEXIST ? _("already exists: not overwritten")
		                    : strerror(errno));
		return errno == EEXIST ? STORE_EEXISTS : STORE_EIO;
	}
	unlink(tmp);
	if (file_sync_parent(dest) != 0) {
		*cause = xasprintf("%s: %s", dest, strerror(errno));
		return STORE_EIO;
	}
	return STORE_OK;
}

enum store_err
store_create(const char *path, const struct crypt_mem *pass,
    enum crypt_kdf_level level, int (*fill)(struct store *, void *, char **),
    void *arg, struct store **out, char **cause)
{
	struct crypt_kdf kdf;
	struct crypt_mem *key;
	struct store *s;
	struct stat st;
	enum store_err err;
	char *tmp;

	if (lstat(path, &st) == 0) {
		*cause =
		    xasprintf(_("%s already exists: not overwritten"), path);
		return STORE_EEXISTS;
	}
	if (store_mkdirs(path, cause) != 0)
		return STORE_EIO;
	if ((tmp = store_temp(path, cause)) == NULL)
		return STORE_EIO;
	crypt_kdf_new(&kdf, level);
	if ((key = crypt_kdf_derive(&kdf, pass, cause)) == NULL) {
		store_unlink_all(tmp);
		free(tmp);
		return STORE_EIO;
	}
	err = store_connect(tmp, key, &kdf, 1, &s, cause);
	if (err == STORE_OK) {
		if ((fill != NULL && fill(s, arg, cause) != 0) ||
		    store_checkpoint(s, cause) != 0)
			err = STORE_EIO;
		store_close(s);
		if (err == STORE_OK)
			err = store_publish(tmp, path, cause);
	}
	store_unlink_all(tmp);
	free(tmp);
	if (err == STORE_OK)
		err = store_connect(path, key, &kdf, 0, out, cause);
	crypt_mem_free(key);
	return err;
}

/* Copy the whole database into dest, encrypted with key and header. */
static enum store_err
store_export(struct store *s, const char *dest, const struct crypt_mem *key,
    const struct crypt_kdf *kdf, char **cause)
{
	struct crypt_mem *text = store_key_text(key, kdf->header);
	sqlite3_stmt *st;
	long long version;
	char *sql;
	int rc;

	st = store_prepare(s, "ATTACH DATABASE ?1 AS copy KEY ?2", cause);
	if (st == NULL) {
		crypt_mem_free(text);
		return STORE_EIO;
	}
	sqlite3_bind_text(st, 1, dest, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 2, text->p, (int)text->len, SQLITE_TRANSIENT);
	rc = store_done(s, st, cause);
	crypt_mem_free(text);
	if (rc != 0)
		return STORE_EIO;
	/* sqlcipher_export copies everything but the schema version. */
	sql = NULL;
	if (store_int(s, "PRAGMA main.user_version", &version, cause) != 0 ||
	    store_exec(s, "SELECT sqlcipher_export('copy')", cause) != 0 ||
	    store_exec(s,
	        (sql = xasprintf("PRAGMA copy.user_version = %lld", version)),
	        cause) != 0) {
		free(sql);
		store_exec_quiet(s, "DETACH DATABASE copy");
		return STORE_EIO;
	}
	free(sql);
	if (store_exec(s, "DETACH DATABASE copy", cause) != 0)
		return STORE_EIO;
	return STORE_OK;
}

enum store_err
store_backup(struct store *s, const char *dest, char **cause)
{
	struct stat st;
	enum store_err err;
	char *tmp;

	if (lstat(dest, &st) == 0) {
		*cause =
		    xasprintf(_("%s already exists: not overwritten"), dest);
		return STORE_EEXISTS;
	}
	if ((tmp = store_temp(dest, cause)) == NULL)
		return STORE_EIO;
	err = store_export(s, tmp, s->key, &s->kdf, cause);
	if (err == STORE_OK)
		err = store_publish(tmp, dest, cause);
	store_unlink_all(tmp);
	free(tmp);
	return err;
}

/* Temporary copies left by a passwd or backup that was killed. */
static void
store_clean_temps(const char *path)
{
	char *copy = xstrdup(path), *slash = strrchr(copy, '/'), *prefix, *p;
	const char *dir = ".", *base = copy;
	struct dirent *de;
	DIR *d;

	if (slash != NULL) {
		*slash = '\0';
		dir = slash == copy ? "/" : copy;
		base = slash + 1;
	}
	prefix = xasprintf("%s.new-", base);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
				continue;
			p = xasprintf("%s/%s", dir, de->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	free(prefix);
	free(copy);
}

enum store_err
store_passwd(
    struct store **sp, const struct crypt_mem *pass, int level, char **cause)
{
	struct store *s = *sp, *fresh;
	struct crypt_kdf kdf, oldkdf = s->kdf;
	struct crypt_mem *key, *oldkey;
	struct stat st;
	enum store_err err;
	char *tmp, *path, *wal, *ignored = NULL;

	/* Alone with the database, or no change: another process writing to
	 * the old file after the rename would lose its work. */
	flock(s->lock_fd, LOCK_UN);
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		flock(s->lock_fd, LOCK_SH);
		*cause = xasprintf(_("%s is open in another anfang: close it "
		                     "first; passphrase not changed"),
		    s->path);
		return STORE_EIO;
	}
	store_clean_temps(s->path);
	if (level >= 0)
		crypt_kdf_new(&kdf, (enum crypt_kdf_level)level);
	else {
		/* same limits, new salt */
		kdf = s->kdf;
		crypt_mem_random(kdf.header, 12);
	}
	if ((key = crypt_kdf_derive(&kdf, pass, cause)) == NULL)
		return STORE_EIO;
	if ((tmp = store_temp(s->path, cause)) == NULL) {
		crypt_mem_free(key);
		return STORE_EIO;
	}
	err = store_export(s, tmp, key, &kdf, cause);
	if (err == STORE_OK) {
		/* The audit entry goes into the new file only. */
		if ((err = store_connect(tmp, key, &kdf, 0, &fresh, cause)) ==
		    STORE_OK) {
			if (store_audit(fresh, "", "passphrase changed",
			        crypt_kdf_describe(&kdf), clock_now(),
			        cause) != 0 ||
			    store_checkpoint(fresh, cause) != 0)
				err = STORE_EIO;
			store_close(fresh);
		}
	}
	if (err != STORE_OK) {
		store_unlink_all(tmp);
		free(tmp);
		crypt_mem_free(key);
		return err;
	}

	path = xstrdup(s->path);
	oldkey = crypt_mem_new(s->key->len);
	memcpy(oldkey->p, s->key->p, s->key->len);
	store_close(s);
	*sp = NULL;
	/* A WAL left by another process would be replayed into the new
	 * file: refuse while the database is in use. */
	wal = xasprintf("%s-wal", path);
	if (stat(wal, &st) == 0 && st.st_size > 0) {
		*cause = xasprintf(_("%s is in use by another anfang: "
		                     "passphrase not changed"),
		    path);
		err = STORE_EIO;
	} else if (file_sync(tmp) != 0 || rename(tmp, path) != 0 ||
	           file_sync_parent(path) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		err = STORE_EIO;
	}
	free(wal);
	store_unlink_all(tmp);
	free(tmp);
	/* Reopen whichever file is now in place. */
	if (err == STORE_OK)
		err = store_connect(path, key, &kdf, 0, sp, cause);
	else if (store_connect(path, oldkey, &oldkdf, 0, sp, &ignored) !=
	         STORE_OK)
		free(ignored);
	free(path);
	crypt_mem_free(oldkey);
	crypt_mem_free(key);
	return err;
}
