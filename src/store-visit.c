/*
 * Visits, answers, stopwatches, reasons and amendments in the database.
 *
 * A value is stored as (kind, num, txt): yes/no and numbers in num, text in
 * txt, and a multi answer's values in txt joined by U+001F (choice values
 * cannot hold control characters).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/clock.h"
#include "anfang/form-load.h"
#include "anfang/i18n.h"
#include "anfang/store-batch.h"
#include "anfang/store-pack.h"
#include "anfang/store-visit.h"
#include "anfang/xmalloc.h"
#include "store-int.h"

#define SET_SEPARATOR '\x1f'

static void
store_visit_bind_value(sqlite3_stmt *st, int col, const struct value *v)
{
	char *joined;
	size_t i, len = 0;

	sqlite3_bind_int(st, col, (int)v->kind);
	switch (v->kind) {
	case VALUE_BOOL:
		sqlite3_bind_double(st, col + 1, v->b);
		sqlite3_bind_null(st, col + 2);
		break;
	case VALUE_NUMBER:
		sqlite3_bind_double(st, col + 1, v->n);
		sqlite3_bind_null(st, col + 2);
		break;
	case VALUE_STRING:
		sqlite3_bind_null(st, col + 1);
		sqlite3_bind_text(st, col + 2, v->s, -1, SQLITE_TRANSIENT);
		break;
	case VALUE_SET:
		for (i = 0; i < v->nset; i++)
			len += strlen(v->set[i]) + 1;
		joined = xcalloc(len + 1, 1);
		for (i = 0; i < v->nset; i++) {
			if (i > 0)
				joined[strlen(joined)] = SET_SEPARATOR;
			strcat(joined, v->set[i]);
		}
		sqlite3_bind_null(st, col + 1);
		sqlite3_bind_text(st, col + 2, joined, -1, free);
		break;
	case VALUE_NONE:
		sqlite3_bind_null(st, col + 1);
		sqlite3_bind_null(st, col + 2);
		break;
	}
}

void
store_visit_column_value(sqlite3_stmt *st, int col, struct value *v)
{
	const char *txt = (const char *)sqlite3_column_text(st, col + 2);
	const char **items;
	char *copy, *p;
	size_t n = 0;

	switch (sqlite3_column_int(st, col)) {
	case VALUE_BOOL:
		value_bool(v, sqlite3_column_double(st, col + 1) != 0);
		break;
	case VALUE_NUMBER:
		value_number(v, sqlite3_column_double(st, col + 1));
		break;
	case VALUE_STRING:
		value_string(v, txt ? txt : "");
		break;
	case VALUE_SET:
		copy = xstrdup(txt ? txt : "");
		items = xcalloc(strlen(copy) + 1, sizeof *items);
		for (p = copy; *copy != '\0';) {
			items[n++] = p;
			if ((p = strchr(p, SET_SEPARATOR)) == NULL)
				break;
			*p++ = '\0';
		}
		value_set(v, items, n);
		free(items);
		free(copy);
		break;
	default:
		value_clear(v);
		break;
	}
}

static void
store_visit_bind_opt(sqlite3_stmt *st, int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
}

/* Counts kept on the visit's row so that listing needs no evaluation. */
static int
store_visit_progress(struct store *s, const struct visit *v, char **cause)
{
	sqlite3_stmt *st;
	size_t answered, visible;

	visit_progress(v, &answered, &visible);
	st = store_prepare(s,
	    "UPDATE visits SET answered = ?, visible = ?, alerts = ?,"
	    " status = ?, finalized = ? WHERE id = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)answered);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)visible);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)visit_alert_count(v));
	sqlite3_bind_int(st, 4, (int)v->status);
	if (v->finalized)
		sqlite3_bind_int64(st, 5, v->finalized);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_text(st, 6, v->id, -1, SQLITE_STATIC);
	return store_done(s, st, cause);
}

static int
store_visit_put_answer(
    struct store *s, const struct visit *v, size_t q, char **cause)
{
	sqlite3_stmt *st;

	if (v->answers[q].kind == VALUE_NONE) {
		st = store_prepare(s,
		    "DELETE FROM answers WHERE visit = ? AND question = ?",
		    cause);
		if (st == NULL)
			return -1;
	} else {
		st = store_prepare(s,
		    "INSERT OR REPLACE INTO answers (visit, question, kind,"
		    " num, txt, at) VALUES (?, ?, ?, ?, ?, ?)",
		    cause);
		if (st == NULL)
			return -1;
		store_visit_bind_value(st, 3, &v->answers[q]);
		sqlite3_bind_int64(st, 6, v->answered_at[q]);
	}
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v->form->questions[q].id, -1, SQLITE_STATIC);
	return store_done(s, st, cause);
}

static int
store_visit_put_reason(
    struct store *s, const struct visit *v, size_t q, char **cause)
{
	const char *reason = v->reasons[q];
	sqlite3_stmt *st;

	st = store_prepare(s,
	    reason ? "INSERT OR REPLACE INTO reasons (visit, question, reason)"
	             " VALUES (?1, ?2, ?3)"
	           : "DELETE FROM reasons WHERE visit = ?1 AND question = ?2",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v->form->questions[q].id, -1, SQLITE_STATIC);
	if (reason)
		sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	return store_done(s, st, cause);
}

/* Amendment k (0-based) of v. */
static int
store_visit_put_amendment(
    struct store *s, const struct visit *v, size_t k, char **cause)
{
	const struct visit_amendment *a = &v->amendments[k];
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "INSERT INTO amendments (visit, seq, question, kind, num, txt,"
	    " reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)k + 1);
	sqlite3_bind_text(
	    st, 3, v->form->questions[a->question].id, -1, SQLITE_STATIC);
	store_visit_bind_value(st, 4, &a->value);
	sqlite3_bind_text(st, 7, a->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, a->at);
	return store_done(s, st, cause);
}

/* The number reports know f by (report_forms), given it the first time. */
static int
store_visit_report_form(
    struct store *s, const struct form *f, sqlite3_int64 *n, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	for (;;) {
		st = store_prepare(
		    s, "SELECT n FROM report_forms WHERE hash = ?", cause);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, f->hash, -1, SQLITE_STATIC);
		if ((rc = store_step(s, st, cause)) == 1)
			*n = sqlite3_column_int64(st, 0);
		store_release(st);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		st = store_prepare(s,
		    "INSERT INTO report_forms (hash, family) VALUES (?, ?)",
		    cause);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, f->hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, form_family(f), -1, SQLITE_STATIC);
		if (store_done(s, st, cause) != 0)
			return -1;
	}
}

/*
 * The report rows of v that are not its report_visits row; fresh: its row
 * was just inserted, with its score (store_visit_put_row), and has none.
 */
static int
store_visit_report_alerts(
    struct store *s, const struct visit *v, int fresh, char **cause)
{
	sqlite3_stmt *st;
	size_t q;

	if (!fresh) {
		st = store_prepare(
		    s, "DELETE FROM report_alerts WHERE visit = ?", cause);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
		if (store_done(s, st, cause) != 0)
			return -1;
	}
	for (q = 0; q < v->form->nquestions; q++) {
		if (!visit_visible(v, q) || !visit_alerts(v, q))
			continue;
		st = store_prepare(s,
		    "INSERT INTO report_alerts (visit, question, severity)"
		    " VALUES (?, ?, ?)",
		    cause);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(
		    st, 2, v->form->questions[q].id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, (int)v->form->questions[q].severity);
		if (store_done(s, st, cause) != 0)
			return -1;
	}
	if (fresh)
		return 0; /* its score went in with its row */
	st = store_prepare(s,
	    "UPDATE visits SET score = ?, score_max = ? WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_double(st, 1, visit_score(v));
	sqlite3_bind_double(st, 2, visit_score_max(v));
	sqlite3_bind_text(st, 3, v->id, -1, SQLITE_STATIC);
	return store_done(s, st, cause);
}

/* The texts of v's report row (k's), when it has any; fresh as for
 * store_visit_report_alerts. */
static int
store_visit_report_texts(struct store *s, const struct visit *v,
    const struct store_pack *k, int fresh, char **cause)
{
	const char *family = v->form->family ? v->form->family : v->form->id;
	sqlite3_stmt *st;

	if (!fresh) {
		st = store_prepare(s,
		    "DELETE FROM report_texts WHERE family = ?1"
		    " AND took = (SELECT took FROM visits WHERE id = ?2)"
		    " AND id = ?2",
		    cause);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, family, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, v->id, -1, SQLITE_STATIC);
		if (store_done(s, st, cause) != 0)
			return -1;
	}
	/* v's took is its row's (store_visit_put_row, load_visit). */
	return store_visit_put_texts(s, family, v->took, v->id, k, cause);
}

int
store_visit_put_texts(struct store *s, const char *family, sqlite3_int64 took,
    const char *id, const struct store_pack *k, char **cause)
{
	sqlite3_stmt *st;

	if (k->texts.len == 0)
		return 0;
	st = store_prepare(s,
	    "INSERT INTO report_texts (family, took, id, texts)"
	    " VALUES (?1, ?2, ?3, ?4)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, family, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, took);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 4, k->texts.p, k->texts.len, SQLITE_STATIC);
	return store_done(s, st, cause);
}

#define STORE_VISIT_REPORT_COLUMNS                                             \
	"family, took, id, form, took_offset, status, finalized, unit_id,"     \
	" unit_name, division, person, signer, alerts, answers"
/* The signer of a received visit, from its row's origin. */
#define STORE_VISIT_SIGNER                                                     \
	"CASE WHEN substr(origin, 1, 7) = 'signer '"                           \
	" AND length(origin) >= 23 THEN substr(origin, 8, 16) END"

/* store_visit_derive; fresh as for store_visit_report_alerts. */
static int
store_visit_report_rows(
    struct store *s, const struct visit *v, int fresh, char **cause)
{
	static const struct value none = { 0 };
	struct store_pack k = { 0 };
	const struct value *val;
	sqlite3_int64 form = 0;
	sqlite3_stmt *st;
	size_t q, alerts = 0;
	int sev, rc;

	if (v->status == VISIT_DRAFT)
		return 0;
	if (store_visit_report_alerts(s, v, fresh, cause) != 0 ||
	    store_visit_report_form(s, v->form, &form, cause) != 0)
		return -1;
	store_pack_begin(
	    &k, v->form->nquestions, visit_score(v), visit_score_max(v));
	for (q = 0; q < v->form->nquestions; q++) {
		if (!visit_visible(v, q))
			continue;
		sev = visit_alerts(v, q) ? (int)v->form->questions[q].severity
		                         : 0;
		alerts += sev != 0;
		val = visit_value(v, q);
		store_pack_add(
		    &k, v->form->questions, q, val ? val : &none, sev);
	}
	/* Fresh, the row was just put from v: its columns come from v, in a
	 * plain one-row INSERT.  INSERT OR REPLACE, or INSERT ... SELECT,
	 * would make SQLite open a statement journal for each row, writing
	 * (and so encrypting) every page it touches a second time: that was
	 * most of this row's cost in an import.  Else the visit's own
	 * columns from its row, as stored: its status and finalized time
	 * change in the same transaction, after this. */
	st = store_prepare(s,
	    fresh ? "INSERT INTO report_visits (" STORE_VISIT_REPORT_COLUMNS
	            ") VALUES (?1, ?8, ?7, ?2, ?9, ?3, ?4, ?10, ?11, ?12, ?13,"
	            " (SELECT " STORE_VISIT_SIGNER " FROM visits"
	            " WHERE id = ?7), ?5, ?6)"
	          : "INSERT OR REPLACE INTO report_visits "
	            "(" STORE_VISIT_REPORT_COLUMNS ")"
	            " SELECT ?1, took, id, ?2, took_offset, ?3, ?4, unit_id,"
	            " unit_name, division, person, " STORE_VISIT_SIGNER ","
	            " ?5, ?6 FROM visits WHERE id = ?7",
	    cause);
	if (st == NULL) {
		store_pack_free(&k);
		return -1;
	}
	if (fresh) {
		sqlite3_bind_int64(st, 8, v->took);
		sqlite3_bind_int(st, 9, v->took_offset);
		sqlite3_bind_text(st, 10, v->unit_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 11, v->unit_name, -1, SQLITE_STATIC);
		store_visit_bind_opt(st, 12, v->division);
		store_visit_bind_opt(st, 13, v->person);
	}
	sqlite3_bind_text(st, 1, form_family(v->form), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, form);
	sqlite3_bind_int(st, 3, (int)v->status);
	if (v->finalized)
		sqlite3_bind_int64(st, 4, v->finalized);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)alerts);
	sqlite3_bind_blob64(st, 6, k.answers.p, k.answers.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, v->id, -1, SQLITE_STATIC);
	rc = store_done(s, st, cause);
	if (rc == 0 && sqlite3_changes(s->db) != 1) {
		*cause = xasprintf(_("visit %s: no such visit"), v->id);
		rc = -1;
	}
	if (rc == 0)
		rc = store_visit_report_texts(s, v, &k, fresh, cause);
	store_pack_free(&k);
	return rc;
}

int
store_visit_derive(struct store *s, const struct visit *v, char **cause)
{
	return store_visit_report_rows(s, v, 0, cause);
}

/*
 * Finish a change begun with store_begin: the progress counts, the audit
 * line (detail is freed), then commit, or roll back when rc is an error.
 */
static int
store_visit_change(struct store *s, const struct visit *v, int rc,
    const char *event, char *detail, int64_t now, char **cause)
{
	if (rc == 0)
		rc = store_visit_progress(s, v, cause);
	if (rc == 0)
		rc = store_audit(s, v->id, event, detail, now, cause);
	free(detail);
	if (rc != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, cause);
}

/* The visit's own row; origin says where a received visit came from. */
static int
store_visit_put_row(
    struct store *s, const struct visit *v, const char *origin, char **cause)
{
	sqlite3_stmt *st;
	size_t answered, visible;

	visit_progress(v, &answered, &visible);
	st = store_prepare(s,
	    "INSERT INTO visits (id, form_hash, unit_id, unit_name, division,"
	    " person, started, finalized, status, origin, answered, visible,"
	    " alerts, took, took_offset, score, score_max)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v->form->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, v->unit_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, v->unit_name, -1, SQLITE_STATIC);
	store_visit_bind_opt(st, 5, v->division);
	store_visit_bind_opt(st, 6, v->person);
	sqlite3_bind_int64(st, 7, v->started);
	if (v->finalized)
		sqlite3_bind_int64(st, 8, v->finalized);
	else
		sqlite3_bind_null(st, 8);
	sqlite3_bind_int(st, 9, (int)v->status);
	store_visit_bind_opt(st, 10, origin);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)answered);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)visible);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)visit_alert_count(v));
	sqlite3_bind_int64(st, 14, v->took);
	sqlite3_bind_int(st, 15, v->took_offset);
	/* What reports read: a draft has none yet (store_visit_derive). */
	if (v->status != VISIT_DRAFT) {
		sqlite3_bind_double(st, 16, visit_score(v));
		sqlite3_bind_double(st, 17, visit_score_max(v));
	}
	return store_done(s, st, cause);
}

/* The form's text, once per version. */
static int
store_visit_put_form(struct store *s, const struct form *f, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "INSERT OR IGNORE INTO forms (hash, form_id, version, title, text)"
	    " VALUES (?, ?, ?, ?, ?)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, f->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->version);
	sqlite3_bind_text(st, 4, f->title, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, f->text, (int)f->textlen, SQLITE_STATIC);
	return store_done(s, st, cause);
}

int
store_visit_insert(
    struct store *s, const struct visit *v, int64_t now, char **cause)
{
	const struct form *f = v->form;
	size_t q;
	int rc;

	if (store_begin(s, cause) != 0)
		return -1;
	if (store_visit_put_form(s, f, cause) != 0)
		goto fail;

	if (store_visit_put_row(s, v, NULL, cause) != 0)
		goto fail;
	for (q = 0; q < f->nquestions; q++) {
		if (v->answers[q].kind != VALUE_NONE &&
		    store_visit_put_answer(s, v, q, cause) != 0)
			goto fail;
	}
	rc = 0;
	return store_visit_change(s, v, rc, "visit started",
	    xasprintf("form %s version %ld (%.16s), unit \"%s\"%s%s%s%s%s%s",
	        f->id, f->version, f->hash, v->unit_name,
	        v->division ? ", division \"" : "",
	        v->division ? v->division : "", v->division ? "\"" : "",
	        v->person ? ", person \"" : "", v->person ? v->person : "",
	        v->person ? "\"" : ""),
	    now, cause);
fail:
	store_rollback(s);
	return -1;
}

int
store_visit_answer(struct store *s, const struct visit *v, size_t q,
    const struct value *old, int64_t now, char **cause)
{
	return store_visit_answer_typed(s, v, q, old, NULL, now, cause);
}

int
store_visit_answer_typed(struct store *s, const struct visit *v, size_t q,
    const struct value *old, const char *typed, int64_t now, char **cause)
{
	char *a, *b, *detail;
	int rc;

	if (store_begin(s, cause) != 0)
		return -1;
	rc = store_visit_put_answer(s, v, q, cause);
	a = value_format(old);
	b = value_format(&v->answers[q]);
	detail = xasprintf("%s: %s -> %s%s%s%s", v->form->questions[q].id, a, b,
	    typed ? " (typed " : "", typed ? typed : "", typed ? ")" : "");
	free(a);
	free(b);
	return store_visit_change(s, v, rc, "answer set", detail, now, cause);
}

int
store_visit_timer(struct store *s, const struct visit *v, size_t q,
    const char *event, int64_t now, char **cause)
{
	const struct visit_timer *t = &v->timers[q];
	sqlite3_stmt *st;
	int rc = -1;

	if (store_begin(s, cause) != 0)
		return -1;
	st = store_prepare(s,
	    "INSERT OR REPLACE INTO timers (visit, question, elapsed_ms,"
	    " running_since) VALUES (?, ?, ?, ?)",
	    cause);
	if (st != NULL) {
		sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(
		    st, 2, v->form->questions[q].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, t->elapsed_ms);
		sqlite3_bind_int64(st, 4, t->running_since);
		rc = store_done(s, st, cause);
	}
	if (rc == 0)
		rc = store_visit_put_answer(s, v, q, cause);
	return store_visit_change(s, v, rc, event,
	    xasprintf("%s: %lld ms", v->form->questions[q].id,
	        (long long)visit_timer_ms(v, q, now)),
	    now, cause);
}

int
store_visit_reason(
    struct store *s, const struct visit *v, size_t q, int64_t now, char **cause)
{
	const char *reason = v->reasons[q];
	struct value r = { 0 };
	char *text, *detail;
	int rc;

	if (store_begin(s, cause) != 0)
		return -1;
	rc = store_visit_put_reason(s, v, q, cause);
	if (reason)
		value_string(&r, reason);
	text = value_format(&r);
	value_clear(&r);
	detail = xasprintf("%s: %s", v->form->questions[q].id, text);
	free(text);
	return store_visit_change(s, v, rc, "reason given", detail, now, cause);
}

int
store_visit_took(
    struct store *s, const struct visit *v, int64_t now, char **cause)
{
	char iso[CLOCK_ISO_OFFSET_LEN];
	sqlite3_stmt *st;
	int rc = -1;

	if (store_begin(s, cause) != 0)
		return -1;
	st = store_prepare(s,
	    "UPDATE visits SET took = ?, took_offset = ? WHERE id = ?", cause);
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, v->took);
		sqlite3_bind_int(st, 2, v->took_offset);
		sqlite3_bind_text(st, 3, v->id, -1, SQLITE_STATIC);
		rc = store_done(s, st, cause);
	}
	clock_iso_offset(iso, v->took, v->took_offset);
	return store_visit_change(
	    s, v, rc, "took place", xstrdup(iso), now, cause);
}

int
store_visit_finalize(struct store *s, const struct visit *v, char **cause)
{
	if (store_begin(s, cause) != 0)
		return -1;
	return store_visit_change(s, v, store_visit_derive(s, v, cause),
	    "finalized",
	    xasprintf("score %g, %zu alert%s", visit_score(v),
	        visit_alert_count(v), visit_alert_count(v) == 1 ? "" : "s"),
	    v->finalized, cause);
}

int
store_visit_amend(struct store *s, const struct visit *v,
    const struct value *old, char **cause)
{
	const struct visit_amendment *a = &v->amendments[v->namendments - 1];
	char *was, *now;
	int rc;

	if (store_begin(s, cause) != 0)
		return -1;
	rc = store_visit_put_amendment(s, v, v->namendments - 1, cause);
	if (rc == 0)
		rc = store_visit_derive(s, v, cause);
	was = value_format(old);
	now = value_format(&a->value);
	rc = store_visit_change(s, v, rc, "amended",
	    xasprintf("%s: %s -> %s, because: %s",
	        v->form->questions[a->question].id, was, now, a->reason),
	    a->at, cause);
	free(was);
	free(now);
	return rc;
}

int
store_visit_delete(struct store *s, const char *id, int64_t now, char **cause)
{
	sqlite3_stmt *st;

	if (store_begin(s, cause) != 0)
		return -1;
	st = store_prepare(
	    s, "DELETE FROM visits WHERE id = ? AND status = ?", cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, VISIT_DRAFT);
	if (store_done(s, st, cause) != 0)
		goto fail;
	if (sqlite3_changes(s->db) != 1) {
		*cause = xasprintf(_("%s: no such draft (finalized visits "
		                     "cannot be deleted)"),
		    id);
		goto fail;
	}
	/* The visit's own trail stays: the audit trail is append-only. */
	if (store_audit(s, "", "draft deleted", id, now, cause) != 0)
		goto fail;
	return store_commit(s, cause);
fail:
	store_rollback(s);
	return -1;
}

/*
 * The full id for an id or unique prefix (caller frees): 1 found, 0 none
 * or more than one (*cause says which), -1 with *cause.
 */
static int
store_visit_resolve(struct store *s, const char *id, char **out, char **cause)
{
	sqlite3_stmt *st;
	char *found = NULL;
	int n = 0, rc;

	st = store_prepare(s,
	    "SELECT id FROM visits WHERE id >= ?1 AND id < ?1 || '~'"
	    " ORDER BY id LIMIT 2",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		const char *got = (const char *)sqlite3_column_text(st, 0);

		if (strcmp(got, id) == 0) {
			free(found);
			found = xstrdup(got);
			n = 1;
			break;
		}
		if (n++ == 0)
			found = xstrdup(got);
	}
	store_release(st);
	if (rc < 0) {
		free(found);
		return -1;
	}
	if (n == 1 && *id != '\0') {
		*out = found;
		return 1;
	}
	free(found);
	if (*id == '\0')
		*cause = xstrdup(_("no visit given"));
	else
		*cause =
		    xasprintf(n == 0 ? _("no visit \"%s\"")
		                     : _("\"%s\" names more than one visit"),
		        id);
	return 0;
}

/* Question index by id for rows read back; -1 when the form lacks it. */
static long
store_visit_question(const struct visit *v, sqlite3_stmt *st, int col)
{
	return form_find(v->form, (const char *)sqlite3_column_text(st, col));
}

static int
store_visit_load_rows(struct store *s, struct visit *v, char **cause)
{
	sqlite3_stmt *st;
	struct visit_amendment *a;
	long q;
	int rc;

	st = store_prepare(s,
	    "SELECT question, kind, num, txt, at FROM answers WHERE visit = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		if ((q = store_visit_question(v, st, 0)) < 0)
			continue;
		store_visit_column_value(st, 1, &v->answers[q]);
		v->answered_at[q] = sqlite3_column_int64(st, 4);
	}
	store_release(st);
	if (rc < 0)
		return -1;

	st = store_prepare(s,
	    "SELECT question, elapsed_ms, running_since FROM timers"
	    " WHERE visit = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		if ((q = store_visit_question(v, st, 0)) < 0)
			continue;
		v->timers[q].elapsed_ms = sqlite3_column_int64(st, 1);
		v->timers[q].running_since = sqlite3_column_int64(st, 2);
	}
	store_release(st);
	if (rc < 0)
		return -1;

	st = store_prepare(
	    s, "SELECT question, reason FROM reasons WHERE visit = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		if ((q = store_visit_question(v, st, 0)) < 0)
			continue;
		free(v->reasons[q]);
		v->reasons[q] =
		    xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	store_release(st);
	if (rc < 0)
		return -1;

	st = store_prepare(s,
	    "SELECT question, kind, num, txt, reason, at FROM amendments"
	    " WHERE visit = ? ORDER BY seq",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	while ((rc = store_step(s, st, cause)) == 1) {
		if ((q = store_visit_question(v, st, 0)) < 0)
			continue;
		v->amendments = xreallocarray(
		    v->amendments, v->namendments + 1, sizeof *v->amendments);
		a = &v->amendments[v->namendments++];
		memset(a, 0, sizeof *a);
		a->question = (size_t)q;
		store_visit_column_value(st, 1, &a->value);
		a->reason = xstrdup((const char *)sqlite3_column_text(st, 4));
		a->at = sqlite3_column_int64(st, 5);
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

static char *
store_visit_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? xstrdup((const char *)t) : NULL;
}

/*
 * The stored form with this hash, from its own text whatever the files say
 * now; read once per store and shared (the visit holds a reference).  The
 * text is read only then: visits are read many times over (export).
 */
static struct form *
store_visit_form(
    struct store *s, const char *id, const char *hash, char **cause)
{
	struct diag_list diags = { 0 };
	struct form *f;
	sqlite3_stmt *st;
	char *name;
	size_t i;
	int rc;

	for (i = 0; i < s->nforms; i++) {
		if (strcmp(s->forms[i]->hash, hash) == 0)
			return form_ref(s->forms[i]);
	}
	st = store_prepare(s,
	    "SELECT form_id, version, text FROM forms WHERE hash = ?", cause);
	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) != 1) {
		if (rc == 0)
			*cause =
			    xasprintf(_("visit %s: its form is missing from "
			                "the database"),
			        id);
		store_release(st);
		return NULL;
	}
	name = xasprintf(_("%s version %lld (stored)"),
	    (const char *)sqlite3_column_text(st, 0),
	    (long long)sqlite3_column_int64(st, 1));
	f = form_load_mem(name, NULL, sqlite3_column_blob(st, 2),
	    (size_t)sqlite3_column_bytes(st, 2), &diags);
	free(name);
	store_release(st);
	if (f == NULL) {
		*cause = diags.n ? diag_format(&diags.v[0])
		                 : xstrdup(_("stored form unreadable"));
		diag_clear(&diags);
		return NULL;
	}
	s->forms = xreallocarray(s->forms, s->nforms + 1, sizeof *s->forms);
	s->forms[s->nforms++] = f;
	return form_ref(f);
}

int
store_visit_find(struct store *s, const char *idprefix, struct visit **out,
    char **line, size_t *len, char **cause)
{
	struct form *f;
	struct visit *v;
	sqlite3_stmt *st;
	char *id;
	int rc;

	if ((rc = store_visit_resolve(s, idprefix, &id, cause)) != 1)
		return rc;
	st = store_prepare(s,
	    "SELECT unit_id, unit_name, division, person, started, finalized,"
	    " status, form_hash, took, took_offset FROM visits WHERE id = ?",
	    cause);
	if (st == NULL) {
		free(id);
		return -1;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) != 1) {
		/* the id was just found: its row is missing */
		if (rc == 0)
			*cause =
			    xasprintf(_("visit %s: its form is missing from "
			                "the database"),
			        id);
		goto fail;
	}
	if ((f = store_visit_form(s, id,
	         (const char *)sqlite3_column_text(st, 7), cause)) == NULL)
		goto fail;
	v = visit_alloc(f, 1);
	memcpy(
	    v->id, id, strlen(id) < VISIT_ID_LEN ? strlen(id) : VISIT_ID_LEN);
	v->unit_id = store_visit_text(st, 0);
	v->unit_name = store_visit_text(st, 1);
	v->division = store_visit_text(st, 2);
	v->person = store_visit_text(st, 3);
	v->started = sqlite3_column_int64(st, 4);
	v->finalized = sqlite3_column_int64(st, 5);
	v->status = (enum visit_status)sqlite3_column_int(st, 6);
	v->took = sqlite3_column_int64(st, 8);
	v->took_offset = sqlite3_column_type(st, 9) == SQLITE_NULL
	                     ? clock_offset(v->took)
	                     : sqlite3_column_int(st, 9);
	store_release(st);
	free(id);
	*line = NULL;
	rc = 0;
	if (v->status == VISIT_RECEIVED &&
	    (rc = store_received_line(s, v->id, line, len, cause)) < 0) {
		visit_free(v);
		return -1;
	}
	/* a received line holds the answers: the caller decodes it */
	if (rc == 0 && store_visit_load_rows(s, v, cause) != 0) {
		visit_free(v);
		return -1;
	}
	visit_changed(v);
	*out = v;
	return 1;
fail:
	store_release(st);
	free(id);
	return -1;
}

/* The columns every listing reads, in store_visit_row_read's order. */
#define STORE_VISIT_ROW_COLS                                                   \
	"v.id, v.status, f.form_id, f.version, f.title, v.unit_name,"          \
	" v.division, v.person, v.started, v.finalized, v.answered,"           \
	" v.visible, v.alerts, v.took, v.took_offset"

static void
store_visit_row_read(sqlite3_stmt *st, struct store_visit_row *r)
{
	r->id = (const char *)sqlite3_column_text(st, 0);
	r->status = (enum visit_status)sqlite3_column_int(st, 1);
	r->form_id = (const char *)sqlite3_column_text(st, 2);
	r->form_version = (long)sqlite3_column_int64(st, 3);
	r->form_title = (const char *)sqlite3_column_text(st, 4);
	r->unit_name = (const char *)sqlite3_column_text(st, 5);
	r->division = (const char *)sqlite3_column_text(st, 6);
	r->person = (const char *)sqlite3_column_text(st, 7);
	r->started = sqlite3_column_int64(st, 8);
	r->finalized = sqlite3_column_int64(st, 9);
	r->answered = (long)sqlite3_column_int64(st, 10);
	r->visible = (long)sqlite3_column_int64(st, 11);
	r->alerts = (long)sqlite3_column_int64(st, 12);
	r->took = sqlite3_column_int64(st, 13);
	r->took_offset = sqlite3_column_type(st, 14) == SQLITE_NULL
	                     ? clock_offset(r->took)
	                     : sqlite3_column_int(st, 14);
}

/* Call fn for each row st gives, then release it. */
static int
store_visit_rows(struct store *s, sqlite3_stmt *st,
    int (*fn)(void *, const struct store_visit_row *), void *arg, char **cause)
{
	struct store_visit_row r;
	int rc;

	while ((rc = store_step(s, st, cause)) == 1) {
		store_visit_row_read(st, &r);
		if (fn(arg, &r) != 0)
			break;
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

int
store_visit_list(struct store *s, int status, size_t offset, size_t limit,
    int (*fn)(void *, const struct store_visit_row *), void *arg, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "SELECT " STORE_VISIT_ROW_COLS
	    " FROM visits v JOIN forms f ON f.hash = v.form_hash"
	    " WHERE ?1 < 0 OR v.status = ?1"
	    " ORDER BY v.started DESC, v.id LIMIT ?2 OFFSET ?3",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, status);
	sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)offset);
	return store_visit_rows(s, st, fn, arg, cause);
}

/*
 * The page statements.  visits comes first (CROSS JOIN keeps it there), so
 * that the rows are read in the order of an index, from the key on:
 * visits_started, or visits_status for one status.  ?1 and ?2 are the
 * key; a key's start is never the smallest or largest integer, so those
 * start from either end.  ?3 is the text ('' for none), ?4 the limit, ?5
 * the status.
 */
#define STORE_VISIT_PAGE_FROM                                                  \
	"SELECT " STORE_VISIT_ROW_COLS                                         \
	" FROM visits v CROSS JOIN forms f ON f.hash = v.form_hash WHERE "
/* The text matches ASCII letters in either case, as the new-visit
 * filter does (SQLite's lower() folds ASCII only). */
#define STORE_VISIT_PAGE_TEXT                                                  \
	" AND (?3 = '' OR instr(lower(v.unit_name), lower(?3)) > 0"            \
	" OR instr(lower(f.title), lower(?3)) > 0"                             \
	" OR substr(v.id, 1, length(?3)) = lower(?3))"
#define STORE_VISIT_PAGE_AFTER                                                 \
	"v.started <= ?1 AND (v.started < ?1 OR v.id > ?2)"
#define STORE_VISIT_PAGE_BEFORE                                                \
	"v.started >= ?1 AND (v.started > ?1 OR v.id < ?2)"
#define STORE_VISIT_PAGE_DOWN " ORDER BY v.started DESC, v.id LIMIT ?4"
#define STORE_VISIT_PAGE_UP   " ORDER BY v.started, v.id DESC LIMIT ?4"

static const char store_visit_page_after[] =
    STORE_VISIT_PAGE_FROM STORE_VISIT_PAGE_AFTER STORE_VISIT_PAGE_TEXT
        STORE_VISIT_PAGE_DOWN;
static const char store_visit_page_before[] =
    STORE_VISIT_PAGE_FROM STORE_VISIT_PAGE_BEFORE STORE_VISIT_PAGE_TEXT
        STORE_VISIT_PAGE_UP;
static const char store_visit_page_after_status[] = STORE_VISIT_PAGE_FROM
    "v.status = ?5 AND " STORE_VISIT_PAGE_AFTER STORE_VISIT_PAGE_TEXT
        STORE_VISIT_PAGE_DOWN;
static const char store_visit_page_before_status[] = STORE_VISIT_PAGE_FROM
    "v.status = ?5 AND " STORE_VISIT_PAGE_BEFORE STORE_VISIT_PAGE_TEXT
        STORE_VISIT_PAGE_UP;

int
store_visit_page(struct store *s, const struct store_visit_filter *f,
    const struct store_visit_key *from, int back, size_t limit,
    int (*fn)(void *, const struct store_visit_row *), void *arg, char **cause)
{
	sqlite3_stmt *st;

	if (f->status < 0)
		st = store_prepare(s,
		    back ? store_visit_page_before : store_visit_page_after,
		    cause);
	else
		st = store_prepare(s,
		    back ? store_visit_page_before_status
		         : store_visit_page_after_status,
		    cause);
	if (st == NULL)
		return -1;
	if (from != NULL) {
		sqlite3_bind_int64(st, 1, from->started);
		sqlite3_bind_text(st, 2, from->id, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 1, back ? INT64_MIN : INT64_MAX);
		sqlite3_bind_text(st, 2, "", -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(
	    st, 3, f->text != NULL ? f->text : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, limit ? (sqlite3_int64)limit : -1);
	if (f->status >= 0)
		sqlite3_bind_int(st, 5, f->status);
	return store_visit_rows(s, st, fn, arg, cause);
}

int
store_visit_ids(struct store *s, int status, const char *after, size_t limit,
    int (*fn)(void *, const char *), void *arg, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	/* "+status": along the ids, status checked on each; by the status
	 * index, every page would sort all the visits of that status. */
	st = store_prepare(s,
	    "SELECT id FROM visits WHERE +status = ?1 AND id > ?2"
	    " ORDER BY id LIMIT ?3",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, status);
	sqlite3_bind_text(st, 2, after, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, limit ? (sqlite3_int64)limit : -1);
	while ((rc = store_step(s, st, cause)) == 1 &&
	       fn(arg, (const char *)sqlite3_column_text(st, 0)) == 0)
		;
	store_release(st);
	return rc < 0 ? -1 : 0;
}

/* Counting statements: [text given][one status]; ?1 the status, ?2 the
 * most rows to read, ?3 the text.  Without a text, forms is not read and
 * the count is of an index. */
#define STORE_VISIT_COUNT_TEXT                                                 \
	"SELECT count(*) FROM (SELECT 1"                                       \
	" FROM visits v CROSS JOIN forms f ON f.hash = v.form_hash"            \
	" WHERE (instr(lower(v.unit_name), lower(?3)) > 0"                     \
	" OR instr(lower(f.title), lower(?3)) > 0"                             \
	" OR substr(v.id, 1, length(?3)) = lower(?3))"
static const char *const store_visit_counts[2][2] = {
	{ "SELECT count(*) FROM (SELECT 1 FROM visits LIMIT ?2)",
	    "SELECT count(*) FROM (SELECT 1 FROM visits WHERE status = ?1"
	    " LIMIT ?2)" },
	{ STORE_VISIT_COUNT_TEXT " LIMIT ?2)",
	    STORE_VISIT_COUNT_TEXT " AND v.status = ?1 LIMIT ?2)" },
};

int
store_visit_count(struct store *s, const struct store_visit_filter *f,
    size_t max, size_t *n, char **cause)
{
	int text = f->text != NULL && *f->text != '\0', rc;
	sqlite3_stmt *st;

	st = store_prepare(s, store_visit_counts[text][f->status >= 0], cause);
	if (st == NULL)
		return -1;
	if (f->status >= 0)
		sqlite3_bind_int(st, 1, f->status);
	sqlite3_bind_int64(
	    st, 2, max < (size_t)INT64_MAX ? (sqlite3_int64)max + 1 : -1);
	if (text)
		sqlite3_bind_text(st, 3, f->text, -1, SQLITE_STATIC);
	if ((rc = store_step(s, st, cause)) == 1)
		*n = (size_t)sqlite3_column_int64(st, 0);
	else if (rc == 0)
		*cause = xstrdup(_("database: no count"));
	store_release(st);
	return rc == 1 ? 0 : -1;
}

int
store_visit_exists(struct store *s, const char *id, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s, "SELECT 1 FROM visits WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_found(s, st, _("visits"), cause);
}

int
store_visit_receive(struct store *s, const struct visit *v, const char *line,
    size_t len, const struct audit_chain *c, const char *batch,
    const char *origin, int64_t at, char **cause)
{
	struct audit_entry e;
	sqlite3_stmt *st;

	if (v->status != VISIT_RECEIVED) {
		*cause = xasprintf(_("visit %s is %s, not received"), v->id,
		    visit_status_label(v->status));
		return -1;
	}
	if (store_visit_put_form(s, v->form, cause) != 0 ||
	    store_visit_put_row(s, v, origin, cause) != 0 ||
	    store_visit_report_rows(s, v, 1, cause) != 0)
		return -1;
	st = store_prepare(s,
	    "INSERT INTO received_visits (visit, batch, line) VALUES (?, ?, ?)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, batch, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 3, line, len, SQLITE_STATIC);
	if (store_done(s, st, cause) != 0)
		return -1;

	/* Its arrival goes on the end of the trail it came with. */
	memset(&e, 0, sizeof e);
	e.visit = (char *)v->id;
	e.n = c->n > 0 ? c->v[c->n - 1].n + 1 : 1;
	e.at = at;
	e.event = (char *)"received";
	e.detail = (char *)origin;
	if (c->n > 0)
		memcpy(e.prev, c->v[c->n - 1].hash, CRYPT_HASH_BYTES);
	audit_hash(&e);
	if (store_audit_put(s, &e, cause) != 0)
		return -1;
	/* Its row is new (a copy received before went first): so is its head.
	 */
	return store_audit_head(s, v->id, e.n, e.hash, 1, cause);
}
