/* The audit trail's tables: append an entry, read a chain back. */
#include <stdlib.h>
#include <string.h>

#include "anfang/i18n.h"
#include "anfang/xmalloc.h"
#include "store-int.h"

int
store_audit_put(struct store *s, const struct audit_entry *e, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "INSERT INTO audit (visit, n, at, event, detail, prev, hash)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, e->visit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, e->n);
	sqlite3_bind_int64(st, 3, e->at);
	sqlite3_bind_text(st, 4, e->event, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->detail, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, e->prev, CRYPT_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, e->hash, CRYPT_HASH_BYTES, SQLITE_STATIC);
	return store_done(s, st, cause);
}

int
store_audit_head(struct store *s, const char *visit, int64_t n,
    const unsigned char hash[CRYPT_HASH_BYTES], int fresh, char **cause)
{
	sqlite3_stmt *st;

	/* REPLACE may delete before it inserts, so SQLite keeps a copy of
	 * each page it changes (encrypted) to undo the statement: a new
	 * chain's head is a plain insert, several times cheaper. */
	st = store_prepare(s,
	    fresh ? "INSERT INTO audit_heads (visit, n, hash) VALUES (?, ?, ?)"
	          : "INSERT OR REPLACE INTO audit_heads (visit, n, hash)"
	            " VALUES (?, ?, ?)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, visit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_blob(st, 3, hash, CRYPT_HASH_BYTES, SQLITE_STATIC);
	return store_done(s, st, cause);
}

/* The head of visit's chain: 1 with *n and hash, 0 none, -1. */
static int
store_audit_head_get(struct store *s, const char *visit, int64_t *n,
    unsigned char hash[CRYPT_HASH_BYTES], char **cause)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	memset(hash, 0, CRYPT_HASH_BYTES);
	st = store_prepare(
	    s, "SELECT n, hash FROM audit_heads WHERE visit = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, visit, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) == 1) {
		/* A damaged head is an error, never a new chain. */
		if (sqlite3_column_bytes(st, 1) != CRYPT_HASH_BYTES) {
			*cause = xasprintf(
			    _("the audit trail's head of %s is damaged"),
			    *visit ? visit : _("the database"));
			rc = -1;
		} else {
			*n = sqlite3_column_int64(st, 0);
			memcpy(
			    hash, sqlite3_column_blob(st, 1), CRYPT_HASH_BYTES);
		}
	}
	store_release(st);
	return rc;
}

/* The entry after head (n, prev), its head moved; fresh: there was none. */
static int
store_audit_next(struct store *s, const char *visit, const char *event,
    const char *detail, int64_t at, int64_t n,
    const unsigned char prev[CRYPT_HASH_BYTES], int fresh, char **cause)
{
	struct audit_entry e;
	sqlite3_stmt *st;

	memset(&e, 0, sizeof e);
	e.visit = (char *)visit;
	e.event = (char *)event;
	e.detail = (char *)(detail ? detail : "");
	e.at = at;
	e.n = n + 1;
	memcpy(e.prev, prev, CRYPT_HASH_BYTES);
	audit_hash(&e);
	if (store_audit_put(s, &e, cause) != 0)
		return -1;
	if (fresh || n == 0)
		return store_audit_head(s, visit, e.n, e.hash, fresh, cause);
	/* An existing head moves with an UPDATE of its one row: REPLACE
	 * would keep a statement journal, as store_audit_head says. */
	st = store_prepare(
	    s, "UPDATE audit_heads SET n = ?, hash = ? WHERE visit = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, e.n);
	sqlite3_bind_blob(st, 2, e.hash, CRYPT_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, visit, -1, SQLITE_STATIC);
	if (store_done(s, st, cause) != 0)
		return -1;
	if (sqlite3_changes(s->db) == 1)
		return 0;
	return store_audit_head(s, visit, e.n, e.hash, 0, cause);
}

int
store_audit_append_after(struct store *s, const char *visit, const char *event,
    const char *detail, int64_t at, int64_t n,
    const unsigned char prev[CRYPT_HASH_BYTES], char **cause)
{
	return store_audit_next(s, visit, event, detail, at, n, prev, 0, cause);
}

int
store_audit_append(struct store *s, const char *visit, const char *event,
    const char *detail, int64_t at, char **cause)
{
	unsigned char prev[CRYPT_HASH_BYTES];
	int64_t n;
	int rc;

	if ((rc = store_audit_head_get(s, visit, &n, prev, cause)) < 0)
		return -1;
	return store_audit_next(
	    s, visit, event, detail, at, n, prev, rc == 0, cause);
}

int
store_audit_walk(struct store *s, const char *visit,
    void (*fn)(void *, int64_t, const char *, const char *), void *arg,
    unsigned char last[CRYPT_HASH_BYTES], int64_t *count,
    unsigned char head[CRYPT_HASH_BYTES], char **cause)
{
	sqlite3_stmt *st;
	int rc;

	memset(last, 0, CRYPT_HASH_BYTES);
	if (store_audit_head_get(s, visit, count, head, cause) < 0)
		return -1;
	st = store_prepare(s,
	    "SELECT at, event, detail, hash FROM audit"
	    " WHERE visit = ? ORDER BY n",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, visit, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		fn(arg, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
		/* a blob of the wrong size reads as zero, as in a chain */
		if (sqlite3_column_bytes(st, 3) == CRYPT_HASH_BYTES)
			memcpy(
			    last, sqlite3_column_blob(st, 3), CRYPT_HASH_BYTES);
		else
			memset(last, 0, CRYPT_HASH_BYTES);
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

int
store_audit(struct store *s, const char *visit, const char *event,
    const char *detail, int64_t at, char **cause)
{
	/* The head is read inside the transaction: another process may be
	 * appending to the same chain. */
	if (store_begin(s, cause) != 0)
		return -1;
	if (store_audit_append(s, visit, event, detail, at, cause) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, cause);
}

int
store_audit_chain(struct store *s, const char *visit, struct audit_chain *c,
    unsigned char head[CRYPT_HASH_BYTES], int64_t *count, char **cause)
{
	struct audit_entry e;
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof *c);
	memset(head, 0, CRYPT_HASH_BYTES);
	*count = 0;
	st = store_prepare(
	    s, "SELECT n, hash FROM audit_heads WHERE visit = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, visit, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) == 1) {
		*count = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == CRYPT_HASH_BYTES)
			memcpy(
			    head, sqlite3_column_blob(st, 1), CRYPT_HASH_BYTES);
	}
	store_release(st);
	if (rc < 0)
		return -1;

	st = store_prepare(s,
	    "SELECT n, at, event, detail, prev, hash FROM audit"
	    " WHERE visit = ? ORDER BY n",
	    cause);
	if (st == NULL) {
		audit_chain_free(c);
		return -1;
	}
	sqlite3_bind_text(st, 1, visit, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		memset(&e, 0, sizeof e);
		e.n = sqlite3_column_int64(st, 0);
		e.at = sqlite3_column_int64(st, 1);
		e.visit = (char *)visit;
		e.event = (char *)sqlite3_column_text(st, 2);
		e.detail = (char *)sqlite3_column_text(st, 3);
		/* a blob of the wrong size stays zero and fails the check */
		if (sqlite3_column_bytes(st, 4) == CRYPT_HASH_BYTES)
			memcpy(e.prev, sqlite3_column_blob(st, 4),
			    CRYPT_HASH_BYTES);
		if (sqlite3_column_bytes(st, 5) == CRYPT_HASH_BYTES)
			memcpy(e.hash, sqlite3_column_blob(st, 5),
			    CRYPT_HASH_BYTES);
		audit_chain_add(c, &e);
	}
	store_release(st);
	if (rc < 0) {
		audit_chain_free(c);
		return -1;
	}
	return 0;
}
