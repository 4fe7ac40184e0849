/*
 * The alert queue over schema 5's rows: the alerts that fired, with the
 * state of each kept in alert_states and every change of it in the
 * database's own audit trail.
 */
#include <stdlib.h>
#include <string.h>

#include "anfang/clock.h"
#include "anfang/i18n.h"
#include "anfang/store-alert.h"
#include "anfang/xmalloc.h"
#include "store-int.h"

/* The alert queue's columns, and the filters of store_alert_list. */
#define STORE_ALERT_SELECT                                                     \
	"SELECT a.visit, a.question, a.severity, v.form_hash,"                 \
	" v.unit_name, v.division, v.person, v.took, v.took_offset,"           \
	" coalesce(h.closed, 0), h.note, h.by, h.at"
#define STORE_ALERT_WHERE                                                      \
	" JOIN visits v ON v.id = a.visit"                                     \
	" LEFT JOIN alert_states h ON h.visit = a.visit"                       \
	" AND h.question = a.question"                                         \
	" WHERE v.status IN (1, 2, 3)"                                         \
	" AND (?1 = 0 OR coalesce(h.closed, 0) = 0)"                           \
	" AND (?2 = 0 OR a.severity = ?2)"                                     \
	" AND (?3 IS NULL OR a.visit = ?3)"                                    \
	" ORDER BY a.severity DESC, v.took DESC, a.visit, a.question"

int
store_alert_list(struct store *s, const struct store_alert_filter *f,
    int (*fn)(void *, const struct store_alert_row *), void *arg, char **cause)
{
	struct store_alert_row r;
	sqlite3_stmt *st;
	int rc;

	/* The filters are checked on each alert; a batch's are found from
	 * its visits (received_visits_batch), not among all of them. */
	static const char all[] =
	    STORE_ALERT_SELECT " FROM report_alerts a" STORE_ALERT_WHERE;
	static const char of_batch[] = STORE_ALERT_SELECT
	    " FROM received_visits r JOIN report_alerts a"
	    " ON a.visit = r.visit AND r.batch = ?4" STORE_ALERT_WHERE;

	st = store_prepare(s, f->batch == NULL ? all : of_batch, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, f->open_only);
	sqlite3_bind_int(st, 2, f->severity);
	if (f->visit != NULL)
		sqlite3_bind_text(st, 3, f->visit, -1, SQLITE_STATIC);
	if (f->batch != NULL)
		sqlite3_bind_text(st, 4, f->batch, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		r.visit = (const char *)sqlite3_column_text(st, 0);
		r.question = (const char *)sqlite3_column_text(st, 1);
		r.severity = sqlite3_column_int(st, 2);
		r.form_hash = (const char *)sqlite3_column_text(st, 3);
		r.unit_name = (const char *)sqlite3_column_text(st, 4);
		r.division = (const char *)sqlite3_column_text(st, 5);
		r.person = (const char *)sqlite3_column_text(st, 6);
		r.took = sqlite3_column_int64(st, 7);
		r.took_offset = sqlite3_column_type(st, 8) == SQLITE_NULL
		                    ? clock_offset(r.took)
		                    : sqlite3_column_int(st, 8);
		r.closed = sqlite3_column_int(st, 9);
		r.note = (const char *)sqlite3_column_text(st, 10);
		r.by = (const char *)sqlite3_column_text(st, 11);
		r.at = sqlite3_column_int64(st, 12);
		if (fn(arg, &r) != 0)
			break;
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

/*
 * The full id of the visit with an alert on question, and whether it is
 * closed: 1 found, 0 no such visit, 2 no such alert (*cause says which),
 * -1 with *cause.
 */
static int
store_alert_find(struct store *s, const char *visit, const char *question,
    char **id, int *closed, char **cause)
{
	sqlite3_stmt *st;
	int rc, n = 0, has = 0;

	*id = NULL;
	st = store_prepare(s,
	    "SELECT v.id, a.question IS NOT NULL, coalesce(h.closed, 0)"
	    " FROM visits v"
	    " LEFT JOIN report_alerts a ON a.visit = v.id AND a.question = ?2"
	    " LEFT JOIN alert_states h ON h.visit = a.visit"
	    " AND h.question = a.question"
	    " WHERE v.id >= ?1 AND v.id < ?1 || '~' AND v.status IN (1, 2, 3)"
	    " ORDER BY v.id = ?1 DESC, v.id LIMIT 2",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, visit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, question, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		const char *got = (const char *)sqlite3_column_text(st, 0);

		if (n++ == 0) {
			*id = xstrdup(got);
			*closed = sqlite3_column_int(st, 2);
			has = sqlite3_column_int(st, 1);
			if (strcmp(got, visit) == 0) {
				n = 1;
				rc = 0;
				break;
			}
		}
	}
	store_release(st);
	if (rc < 0) {
		free(*id);
		*id = NULL;
		return -1;
	}
	if (n != 1 || *visit == '\0') {
		*cause = xasprintf(n == 0 || *visit == '\0'
		                       ? _("no final or received visit \"%s\"")
		                       : _("\"%s\" names more than one visit"),
		    visit);
		free(*id);
		*id = NULL;
		return 0;
	}
	if (!has) {
		*cause = xasprintf(
		    _("visit %s has no alert on \"%s\""), *id, question);
		free(*id);
		*id = NULL;
		return 2;
	}
	return 1;
}

int
store_alert_handle(struct store *s, const char *visit, const char *question,
    int closed, const char *note, const char *by, int64_t at, char **cause)
{
	sqlite3_stmt *st;
	char *id = NULL, *detail;
	int rc, was = 0;

	if (store_begin(s, cause) != 0)
		return -1;
	if ((rc = store_alert_find(s, visit, question, &id, &was, cause)) != 1)
		goto out;
	if (was == closed) {
		*cause = xasprintf(closed ? _("the alert on %s of visit %s is "
		                              "already closed")
		                          : _("the alert on %s of visit %s is "
		                              "open"),
		    question, id);
		rc = 2;
		goto out;
	}
	rc = -1;
	st = store_prepare(s,
	    "INSERT OR REPLACE INTO alert_states (visit, question, closed,"
	    " note, by, at) VALUES (?, ?, ?, ?, ?, ?)",
	    cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, question, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, closed);
	if (note != NULL)
		sqlite3_bind_text(st, 4, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, at);
	if (store_done(s, st, cause) != 0)
		goto out;
	detail = xasprintf("%s %s: %s", id, question, note ? note : "");
	rc = store_audit(s, "", closed ? "alert closed" : "alert reopened",
	    detail, at, cause);
	free(detail);
	if (rc == 0)
		rc = 1;
out:
	free(id);
	if (rc != 1) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, cause) == 0 ? 1 : -1;
}
