/* Sent and received batches, and the keyring. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/clock.h"
#include "anfang/i18n.h"
#include "anfang/store-batch.h"
#include "anfang/xmalloc.h"
#include "store-int.h"

int
store_batch_next(struct store *s, long long *seq, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = store_prepare(s,
	    "SELECT coalesce(max(sequence), 0) + 1 FROM "
	    "batches",
	    cause);
	if (st == NULL)
		return -1;
	if ((rc = store_step(s, st, cause)) != 1) {
		if (rc == 0)
			*cause = xstrdup(_("database: no batch sequence"));
		store_release(st);
		return -1;
	}
	*seq = sqlite3_column_int64(st, 0);
	store_release(st);
	return 0;
}

int
store_batch_begin(struct store *s, const char *id, long long seq,
    int64_t created, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "INSERT INTO batches (id, sequence, created, visits, file_hash,"
	    " text, sig) VALUES (?, ?, ?, 0, '', X'', '')",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, created);
	return store_done(s, st, cause);
}

int
store_batch_part(struct store *s, const char *id, long long n, const void *data,
    size_t len, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "INSERT INTO batch_parts (batch, n, data) VALUES (?, ?, ?)", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_blob64(st, 3, len ? data : "", len, SQLITE_STATIC);
	return store_done(s, st, cause);
}

int
store_batch_done(struct store *s, const char *id, size_t visits,
    const char *file_hash, const char *sig, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "UPDATE batches SET visits = ?, file_hash = ?, sig = ?"
	    " WHERE id = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)visits);
	sqlite3_bind_text(st, 2, file_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sig, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	return store_done(s, st, cause);
}

int
store_batch_sent(struct store *s, const char *id, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s, "SELECT 1 FROM batches WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_found(s, st, _("batch"), cause);
}

int
store_batch_get(
    struct store *s, const char *id, size_t *len, char **sig, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	/* length() of a blob reads its size, not its pages */
	st = store_prepare(s,
	    "SELECT b.sig, (SELECT coalesce(sum(length(p.data)), 0)"
	    " FROM batch_parts p WHERE p.batch = b.id)"
	    " FROM batches b WHERE b.id = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) == 1) {
		*sig = xstrdup((const char *)sqlite3_column_text(st, 0));
		*len = (size_t)sqlite3_column_int64(st, 1);
	}
	store_release(st);
	return rc;
}

int
store_batch_read(struct store *s, const char *id,
    int (*fn)(void *, const void *, size_t, char **), void *arg, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = store_prepare(s,
	    "SELECT data FROM batch_parts WHERE batch = ? ORDER BY n", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		if (fn(arg, sqlite3_column_blob(st, 0),
		        (size_t)sqlite3_column_bytes(st, 0), cause) != 0) {
			rc = -1;
			break;
		}
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

/* The visit's status says it went out (the caller's transaction). */
static int
store_batch_status(struct store *s, const char *visit, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(
	    s, "UPDATE visits SET status = ? WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, VISIT_EXPORTED);
	sqlite3_bind_text(st, 2, visit, -1, SQLITE_STATIC);
	if (store_done(s, st, cause) != 0)
		return -1;
	/* Reports read the status from their own row of the visit. */
	st = store_prepare(s,
	    "UPDATE report_visits SET status = ?1 WHERE family = (SELECT"
	    " f.family FROM visits v JOIN report_forms f"
	    " ON f.hash = v.form_hash WHERE v.id = ?2)"
	    " AND took = (SELECT took FROM visits WHERE id = ?2) AND id = ?2",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, VISIT_EXPORTED);
	sqlite3_bind_text(st, 2, visit, -1, SQLITE_STATIC);
	if (store_done(s, st, cause) != 0)
		return -1;
	return 0;
}

int
store_batch_mark(struct store *s, const char *visit, const char *batch,
    int64_t at, char **cause)
{
	char *detail;
	int rc;

	if (store_batch_status(s, visit, cause) != 0)
		return -1;
	detail = xasprintf("batch %s", batch);
	rc = store_audit_append(s, visit, "exported", detail, at, cause);
	free(detail);
	return rc;
}

int
store_batch_mark_after(struct store *s, const char *visit, const char *batch,
    int64_t at, int64_t n, const unsigned char head[CRYPT_HASH_BYTES],
    char **cause)
{
	char detail[64];

	if (store_batch_status(s, visit, cause) != 0)
		return -1;
	snprintf(detail, sizeof detail, "batch %s", batch);
	return store_audit_append_after(
	    s, visit, "exported", detail, at, n, head, cause);
}

int
store_keyring_add(struct store *s, const char *keyid, const char *label,
    const unsigned char pk[32], int64_t at, char **cause)
{
	sqlite3_stmt *st;
	char *detail;

	/* The key and its audit entry, together or not at all. */
	if (store_begin(s, cause) != 0)
		return -1;
	st = store_prepare(s,
	    "INSERT INTO keyring (keyid, label, pk, added) VALUES (?, ?, ?, ?)",
	    cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, keyid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, pk, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, at);
	if (store_done(s, st, cause) != 0)
		goto fail;
	detail = xasprintf("key %s, \"%s\"", keyid, label);
	if (store_audit(s, "", "keyring add", detail, at, cause) != 0) {
		free(detail);
		goto fail;
	}
	free(detail);
	return store_commit(s, cause);
fail:
	store_rollback(s);
	return -1;
}

int
store_keyring_remove(struct store *s, const char *keyid, char **cause)
{
	sqlite3_stmt *st;
	char *detail;

	if (store_begin(s, cause) != 0)
		return -1;
	st = store_prepare(s, "DELETE FROM keyring WHERE keyid = ?", cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, keyid, -1, SQLITE_STATIC);
	if (store_done(s, st, cause) != 0)
		goto fail;
	if (sqlite3_changes(s->db) == 0) {
		store_rollback(s);
		return 0;
	}
	detail = xasprintf("key %s", keyid);
	if (store_audit(s, "", "keyring remove", detail, clock_now(), cause) !=
	    0) {
		free(detail);
		goto fail;
	}
	free(detail);
	return store_commit(s, cause) == 0 ? 1 : -1;
fail:
	store_rollback(s);
	return -1;
}

int
store_keyring_list(struct store *s,
    int (*fn)(void *, const struct store_keyring_row *), void *arg,
    char **cause)
{
	struct store_keyring_row r;
	sqlite3_stmt *st;
	int rc;

	st = store_prepare(s,
	    "SELECT keyid, label, pk, added FROM keyring ORDER BY label, keyid",
	    cause);
	if (st == NULL)
		return -1;
	while ((rc = store_step(s, st, cause)) == 1) {
		r.keyid = (const char *)sqlite3_column_text(st, 0);
		r.label = (const char *)sqlite3_column_text(st, 1);
		r.pk = sqlite3_column_blob(st, 2);
		r.added = sqlite3_column_int64(st, 3);
		if (fn(arg, &r) != 0)
			break;
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

int
store_keyring_get(struct store *s, const char *keyid, unsigned char pk[32],
    char **label, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = store_prepare(
	    s, "SELECT pk, label FROM keyring WHERE keyid = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, keyid, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) == 1) {
		if (sqlite3_column_bytes(st, 0) == 32) {
			memcpy(pk, sqlite3_column_blob(st, 0), 32);
			*label =
			    xstrdup((const char *)sqlite3_column_text(st, 1));
		} else {
			*cause =
			    xasprintf(_("keyring: key %s is damaged"), keyid);
			rc = -1;
		}
	}
	store_release(st);
	return rc;
}

int
store_received_last(
    struct store *s, const char *signer, long long *seq, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = store_prepare(s,
	    "SELECT coalesce(max(sequence), 0) FROM received WHERE signer = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, signer, -1, SQLITE_STATIC);
	/* an aggregate always gives its one row */
	if ((rc = store_step(s, st, cause)) == 0)
		*cause = xstrdup(_("database: no sequence for the signer"));
	if (rc == 1)
		*seq = sqlite3_column_int64(st, 0);
	store_release(st);
	return rc == 1 ? 0 : -1;
}

int
store_received_has(struct store *s, const char *id, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s, "SELECT 1 FROM received WHERE batch = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_found(s, st, _("received batches"), cause);
}

int
store_received_add(struct store *s, const char *id, const char *signer,
    long long seq, size_t visits, const char *file_hash, int64_t at,
    char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "INSERT INTO received (batch, signer, sequence, visits, file_hash,"
	    " imported) VALUES (?, ?, ?, ?, ?, ?)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, signer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)visits);
	sqlite3_bind_text(st, 5, file_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, at);
	return store_done(s, st, cause);
}

int
store_received_line(
    struct store *s, const char *visit, char **line, size_t *len, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	st = store_prepare(
	    s, "SELECT line FROM received_visits WHERE visit = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, visit, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) == 1) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*line = xmalloc(*len + 1);
		if (*len > 0)
			memcpy(*line, sqlite3_column_blob(st, 0), *len);
		(*line)[*len] = '\0';
	}
	store_release(st);
	return rc;
}

int
store_visit_signer(
    struct store *s, const char *id, char signer[17], char **cause)
{
	sqlite3_stmt *st;
	const char *origin;
	int rc;

	st = store_prepare(
	    s, "SELECT status, origin FROM visits WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) == 1) {
		/* import writes "signer KEYID (label), batch ..." */
		origin = (const char *)sqlite3_column_text(st, 1);
		signer[0] = '\0';
		if (sqlite3_column_int(st, 0) == VISIT_RECEIVED &&
		    origin != NULL && strncmp(origin, "signer ", 7) == 0 &&
		    strlen(origin) >= 7 + 16) {
			memcpy(signer, origin + 7, 16);
			signer[16] = '\0';
		} else if (sqlite3_column_int(st, 0) == VISIT_RECEIVED)
			strcpy(signer, "?");
	}
	store_release(st);
	return rc;
}

int
store_visit_unreceive(struct store *s, const char *id, char **cause)
{
	/* The answers' tables hold visits received before schema 3. */
	static const char *const sql[] = {
		"DELETE FROM received_visits WHERE visit = ?",
		"DELETE FROM answers WHERE visit = ?",
		"DELETE FROM timers WHERE visit = ?",
		"DELETE FROM reasons WHERE visit = ?",
		"DELETE FROM amendments WHERE visit = ?",
		"DELETE FROM report_visits WHERE family = (SELECT f.family"
		" FROM visits v JOIN report_forms f ON f.hash = v.form_hash"
		" WHERE v.id = ?1) AND took = (SELECT took FROM visits"
		" WHERE id = ?1) AND id = ?1",
		"DELETE FROM report_texts WHERE family = (SELECT f.family"
		" FROM visits v JOIN report_forms f ON f.hash = v.form_hash"
		" WHERE v.id = ?1) AND took = (SELECT took FROM visits"
		" WHERE id = ?1) AND id = ?1",
		"DELETE FROM report_alerts WHERE visit = ?",
		"DELETE FROM audit WHERE visit = ?",
		"DELETE FROM audit_heads WHERE visit = ?",
		"DELETE FROM visits WHERE id = ?",
	};
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if ((st = store_prepare(s, sql[i], cause)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (store_done(s, st, cause) != 0)
			return -1;
	}
	return 0;
}
