/*
 * report-source.h over the store: a family's visits in one statement,
 * streamed in order of when they took place, each from its row kept for
 * reports (report_visits, schema 5: one range of its key per period, its
 * answers packed by store-pack.c), with the state of its alerts, and its
 * free texts (report_texts, schema 7) only when they are asked for.
 *
 * A visit's local time is took + took_offset minutes, the offset NULL for
 * visits from before schema 4: this machine's offset then (clock_offset),
 * which SQL cannot work out; anfang_local() does it in the statement.
 */
#include <stdlib.h>
#include <string.h>

#include "anfang/clock.h"
#include "anfang/crypt-sign.h"
#include "anfang/diag.h"
#include "anfang/form-load.h"
#include "anfang/i18n.h"
#include "anfang/store-key.h"
#include "anfang/store-pack.h"
#include "anfang/store-report.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"
#include "store-int.h"

/* The widest offset from UTC: bounds in local time widened by it select
 * on took, whose index is ordered. */
#define STORE_REPORT_SLACK (18LL * 60 * 60 * 1000)

struct store_report_family {
	char *name;
	struct form **forms; /* borrowed from the source */
	size_t n;
	int64_t last; /* the latest took, for ordering the families */
};

/* A form as report_forms numbers it. */
struct store_report_num {
	sqlite3_int64 n;
	const struct form *form;
};

struct store_report_ring {
	char *keyid;
	char *label;
};

struct store_report {
	struct report_source src;
	struct store *s;
	struct form **forms; /* every stored form */
	size_t nforms;
	struct store_report_family *fam;
	size_t nfam;
	struct store_report_num *nums; /* sorted by n */
	size_t nnums;
	const char **names;
	struct store_report_ring *ring;
	size_t nring;
	char own[17]; /* this database's key id; "?" when it has none */

	/* The visit being assembled, reused from one to the next. */
	struct report_visit v;
	struct value *values;
	unsigned char *seen;
	struct report_alert *alerts;
	unsigned char *severity;
	size_t cap;
	char *id, *unit_id, *unit_name, *division, *person, *inspector;
};

static struct store_report *
store_report_of(struct report_source *src)
{
	return src->data;
}

/* local ms of a took and its offset (NULL: this machine's then). */
static void
store_report_local_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t took = sqlite3_value_int64(argv[0]);
	int offset;

	(void)argc;
	offset = sqlite3_value_type(argv[1]) == SQLITE_NULL
	             ? clock_offset(took)
	             : sqlite3_value_int(argv[1]);
	sqlite3_result_int64(ctx, took + (int64_t)offset * 60000);
}

static char *
store_report_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? xstrdup((const char *)t) : NULL;
}

static struct store_report_family *
store_report_family(struct store_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfam; i++) {
		if (strcmp(r->fam[i].name, name) == 0)
			return &r->fam[i];
	}
	return NULL;
}

/* Every stored form, parsed from its own text, grouped into families. */
static int
store_report_load_forms(struct store_report *r, char **cause)
{
	struct diag_list diags = { 0 };
	struct store_report_family *fm;
	sqlite3_stmt *st;
	struct form *f;
	char *name;
	int rc;

	st = store_prepare(r->s,
	    "SELECT hash, form_id, version, text FROM forms ORDER BY hash",
	    cause);
	if (st == NULL)
		return -1;
	while ((rc = store_step(r->s, st, cause)) == 1) {
		name = xasprintf(_("%s version %lld (stored)"),
		    (const char *)sqlite3_column_text(st, 1),
		    (long long)sqlite3_column_int64(st, 2));
		f = form_load_mem(name, NULL, sqlite3_column_blob(st, 3),
		    (size_t)sqlite3_column_bytes(st, 3), &diags);
		free(name);
		if (f == NULL) {
			*cause = diags.n ? diag_format(&diags.v[0])
			                 : xstrdup(_("stored form unreadable"));
			diag_clear(&diags);
			rc = -1;
			break;
		}
		r->forms =
		    xreallocarray(r->forms, r->nforms + 1, sizeof *r->forms);
		r->forms[r->nforms++] = f;
		if ((fm = store_report_family(r, form_family(f))) == NULL) {
			r->fam =
			    xreallocarray(r->fam, r->nfam + 1, sizeof *r->fam);
			fm = &r->fam[r->nfam++];
			memset(fm, 0, sizeof *fm);
			fm->name = xstrdup(form_family(f));
		}
		fm->forms =
		    xreallocarray(fm->forms, fm->n + 1, sizeof *fm->forms);
		fm->forms[fm->n++] = f;
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

/* The keyring's labels, and this database's own key id. */
static int
store_report_load_keys(struct store_report *r, char **cause)
{
	struct crypt_sign_key k;
	sqlite3_stmt *st;
	char *ignored = NULL;
	int rc;

	st = store_prepare(r->s, "SELECT keyid, label FROM keyring", cause);
	if (st == NULL)
		return -1;
	while ((rc = store_step(r->s, st, cause)) == 1) {
		r->ring = xreallocarray(r->ring, r->nring + 1, sizeof *r->ring);
		r->ring[r->nring].keyid = store_report_dup(st, 0);
		r->ring[r->nring].label = store_report_dup(st, 1);
		r->nring++;
	}
	store_release(st);
	if (rc < 0)
		return -1;
	/* A database without a signing key has no visits of its own. */
	if ((rc = store_key_get_sign(r->s, &k, 0, cause)) == 1)
		crypt_sign_keyid_hex(r->own, k.keyid);
	else {
		free(ignored);
		strcpy(r->own, "?");
	}
	return rc < 0 ? -1 : 0;
}

/* The numbers report_forms gives the stored forms, in order. */
static int
store_report_load_nums(struct store_report *r, char **cause)
{
	sqlite3_stmt *st;
	const char *hash;
	size_t i;
	int rc;

	st = store_prepare(
	    r->s, "SELECT n, hash FROM report_forms ORDER BY n", cause);
	if (st == NULL)
		return -1;
	while ((rc = store_step(r->s, st, cause)) == 1) {
		hash = (const char *)sqlite3_column_text(st, 1);
		for (i = 0; i < r->nforms; i++) {
			if (strcmp(r->forms[i]->hash, hash) == 0)
				break;
		}
		if (i == r->nforms)
			continue; /* its visits say so when read */
		r->nums = xreallocarray(r->nums, r->nnums + 1, sizeof *r->nums);
		r->nums[r->nnums].n = sqlite3_column_int64(st, 0);
		r->nums[r->nnums++].form = r->forms[i];
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

/* Who signed a visit, from its status and its signer's key id. */
static char *
store_report_inspector(
    const struct store_report *r, int status, const char *signer)
{
	size_t i;

	if (status != VISIT_RECEIVED)
		return xstrdup(r->own);
	if (signer == NULL || strlen(signer) != 16)
		return xstrdup("?");
	for (i = 0; i < r->nring; i++) {
		if (strcmp(r->ring[i].keyid, signer) == 0 &&
		    r->ring[i].label != NULL && *r->ring[i].label != '\0')
			return xstrdup(r->ring[i].label);
	}
	return xstrdup(signer);
}

/* The first (or last) took of a family; 0 when it has no visit. */
static int
store_report_edge(struct store_report *r, const char *family, int last,
    int64_t *took, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	/* Each is one step down the key. */
	st = store_prepare(r->s,
	    last ? "SELECT max(took) FROM report_visits WHERE family = ?"
	         : "SELECT min(took) FROM report_visits WHERE family = ?",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, family, -1, SQLITE_STATIC);
	if ((rc = store_step(r->s, st, cause)) == 1) {
		rc = sqlite3_column_type(st, 0) != SQLITE_NULL;
		*took = sqlite3_column_int64(st, 0);
	}
	store_release(st);
	return rc;
}

static int
store_report_families(struct report_source *src, const char *const **names,
    size_t *n, char **cause)
{
	struct store_report *r = store_report_of(src);
	struct store_report_family *fm, tmp;
	size_t i, j, k;
	int rc;

	for (i = 0; i < r->nfam; i++) {
		r->fam[i].last = INT64_MIN;
		rc = store_report_edge(
		    r, r->fam[i].name, 1, &r->fam[i].last, cause);
		if (rc < 0)
			return -1;
		if (rc == 0)
			r->fam[i].last = INT64_MIN;
	}
	/* The most recently taken first; a name breaks ties. */
	for (i = 1; i < r->nfam; i++) {
		for (j = i; j > 0; j--) {
			fm = &r->fam[j - 1];
			if (fm->last > fm[1].last ||
			    (fm->last == fm[1].last &&
			        strcmp(fm->name, fm[1].name) <= 0))
				break;
			tmp = *fm;
			*fm = fm[1];
			fm[1] = tmp;
		}
	}
	free(r->names);
	r->names = xcalloc(r->nfam + 1, sizeof *r->names);
	for (i = k = 0; i < r->nfam; i++) {
		if (r->fam[i].last != INT64_MIN)
			r->names[k++] = r->fam[i].name;
	}
	*names = r->names;
	*n = k;
	return 0;
}

static int
store_report_forms(struct report_source *src, const char *family,
    struct form *const **forms, size_t *n, char **cause)
{
	struct store_report_family *fm =
	    store_report_family(store_report_of(src), family);

	(void)cause;
	*forms = fm ? fm->forms : NULL;
	*n = fm ? fm->n : 0;
	return 0;
}

/* Add or take away the widest offset, without overflowing. */
static int64_t
store_report_widen(int64_t t, int up)
{
	if (up)
		return t > INT64_MAX - STORE_REPORT_SLACK
		           ? INT64_MAX
		           : t + STORE_REPORT_SLACK;
	return t < INT64_MIN + STORE_REPORT_SLACK ? INT64_MIN
	                                          : t - STORE_REPORT_SLACK;
}

static int
store_report_span(struct report_source *src, const char *family, int *any,
    int64_t *first, int64_t *last, char **cause)
{
	struct store_report *r = store_report_of(src);
	int64_t lo, hi;
	sqlite3_stmt *st;
	int rc;

	*any = 0;
	*first = *last = 0;
	if (store_report_family(r, family) == NULL)
		return 0;
	if ((rc = store_report_edge(r, family, 0, &lo, cause)) <= 0 ||
	    (rc = store_report_edge(r, family, 1, &hi, cause)) <= 0)
		return rc;
	/*
	 * The earliest local time is that of a visit taken at most twice the
	 * widest offset after the first took, the latest one at most that
	 * before the last: two short ranges of the key, not every visit.
	 */
	st = store_prepare(r->s,
	    "SELECT (SELECT min(anfang_local(took, took_offset))"
	    " FROM report_visits WHERE family = ?1 AND took <= ?2),"
	    " (SELECT max(anfang_local(took, took_offset))"
	    " FROM report_visits WHERE family = ?1 AND took >= ?3)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, family, -1, SQLITE_STATIC);
	sqlite3_bind_int64(
	    st, 2, store_report_widen(store_report_widen(lo, 1), 1));
	sqlite3_bind_int64(
	    st, 3, store_report_widen(store_report_widen(hi, 0), 0));
	if ((rc = store_step(r->s, st, cause)) == 1) {
		*any = 1;
		*first = sqlite3_column_int64(st, 0);
		*last = sqlite3_column_int64(st, 1);
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

/* Forget the visit assembled last. */
static void
store_report_clear(struct store_report *r)
{
	size_t i;

	for (i = 0; i < r->cap; i++)
		value_clear(&r->values[i]);
	for (i = 0; i < r->v.nalerts; i++) {
		free((char *)r->alerts[i].note);
		free((char *)r->alerts[i].by);
	}
	free(r->id);
	free(r->unit_id);
	free(r->unit_name);
	free(r->division);
	free(r->person);
	free(r->inspector);
	r->id = r->unit_id = r->unit_name = r->division = r->person =
	    r->inspector = NULL;
	memset(&r->v, 0, sizeof r->v);
}

static const struct form *
store_report_form(const struct store_report *r, sqlite3_int64 n)
{
	size_t lo = 0, hi = r->nnums, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->nums[mid].n == n)
			return r->nums[mid].form;
		if (r->nums[mid].n < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* How the alerts of the visit being assembled were handled. */
static int
store_report_handled(struct store_report *r, char **cause)
{
	struct report_alert *a;
	sqlite3_stmt *st;
	size_t i;
	long q;
	int rc;

	st = store_prepare(r->s,
	    "SELECT question, note, by, at FROM alert_states"
	    " WHERE visit = ? AND closed != 0",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	while ((rc = store_step(r->s, st, cause)) == 1) {
		q = form_find(
		    r->v.form, (const char *)sqlite3_column_text(st, 0));
		for (i = 0; q >= 0 && i < r->v.nalerts; i++) {
			a = &r->alerts[i];
			if (a->question != (size_t)q ||
			    a->state == REPORT_ALERT_CLOSED)
				continue;
			a->state = REPORT_ALERT_CLOSED;
			a->note = store_report_dup(st, 1);
			a->by = store_report_dup(st, 2);
			a->at = sqlite3_column_int64(st, 3);
		}
	}
	store_release(st);
	return rc < 0 ? -1 : 0;
}

/* The visit of the current row of each's statement; its free texts
 * with_texts, else empty strings. */
static int
store_report_visit(
    struct store_report *r, sqlite3_stmt *st, int with_texts, char **cause)
{
	const unsigned char *texts;
	const struct form *f;
	struct report_alert *a;
	char *why = NULL;
	size_t n, q;

	r->id = store_report_dup(st, 1);
	f = store_report_form(r, sqlite3_column_int64(st, 2));
	if (f == NULL) {
		*cause = xasprintf(_("visit %s: its form is missing from the "
		                     "database"),
		    r->id);
		return -1;
	}
	n = f->nquestions;
	if (n > r->cap) {
		r->values = xreallocarray(r->values, n, sizeof *r->values);
		r->seen = xreallocarray(r->seen, n, 1);
		r->severity = xreallocarray(r->severity, n, 1);
		r->alerts = xreallocarray(r->alerts, n, sizeof *r->alerts);
		memset(r->values + r->cap, 0, (n - r->cap) * sizeof *r->values);
		r->cap = n;
	}
	texts = NULL;
	if (with_texts) {
		/* No row: the visit has no free text. */
		texts = sqlite3_column_blob(st, 13);
		if (texts == NULL)
			texts = (const unsigned char *)"";
	}
	if (store_pack_read(sqlite3_column_blob(st, 12),
	        (size_t)sqlite3_column_bytes(st, 12), texts,
	        (size_t)sqlite3_column_bytes(st, 13), f->questions, n,
	        &r->v.score, &r->v.score_max, r->values, r->seen, r->severity,
	        &why) != 0) {
		*cause = xasprintf(_("visit %s: %s"), r->id, why);
		free(why);
		return -1;
	}
	r->unit_id = store_report_dup(st, 6);
	r->unit_name = store_report_dup(st, 7);
	r->division = store_report_dup(st, 8);
	r->person = store_report_dup(st, 9);
	r->inspector = store_report_inspector(r, sqlite3_column_int(st, 4),
	    (const char *)sqlite3_column_text(st, 10));
	r->v.id = r->id;
	r->v.form = f;
	r->v.unit_id = r->unit_id;
	r->v.unit_name = r->unit_name;
	r->v.division = r->division;
	r->v.person = r->person;
	r->v.inspector = r->inspector;
	r->v.took = sqlite3_column_int64(st, 0);
	r->v.took_offset = sqlite3_column_type(st, 3) == SQLITE_NULL
	                       ? clock_offset(r->v.took)
	                       : sqlite3_column_int(st, 3);
	r->v.finalized = sqlite3_column_int64(st, 5);
	r->v.status = sqlite3_column_int(st, 4);
	r->v.values = r->values;
	r->v.seen = r->seen;
	r->v.alerts = r->alerts;
	for (q = 0; q < n; q++) {
		if (r->severity[q] == 0)
			continue;
		a = &r->alerts[r->v.nalerts++];
		memset(a, 0, sizeof *a);
		a->question = q;
		a->severity = (enum form_severity)r->severity[q];
		a->state = REPORT_ALERT_OPEN;
	}
	/* Few visits have alerts: only theirs look at how they were
	 * handled. */
	return r->v.nalerts > 0 ? store_report_handled(r, cause) : 0;
}

static int
store_report_each(struct report_source *src, const char *family, int64_t from,
    int64_t to, int texts, report_visit_fn fn, void *arg, char **cause)
{
	/*
	 * One range of the key, in its order: no sort.  The texts, when
	 * wanted, from the same range of theirs, in step: each lookup is on
	 * the page the one before read.
	 */
	static const char *const sql[] = {
		"SELECT took, id, form, took_offset, status, finalized,"
		" unit_id, unit_name, division, person, signer, alerts,"
		" answers, NULL"
		" FROM report_visits"
		" WHERE family = ?1 AND took >= ?2 AND took < ?3"
		" AND anfang_local(took, took_offset) >= ?4"
		" AND anfang_local(took, took_offset) < ?5"
		" ORDER BY family, took, id",
		"SELECT r.took, r.id, r.form, r.took_offset, r.status,"
		" r.finalized, r.unit_id, r.unit_name, r.division, r.person,"
		" r.signer, r.alerts, r.answers, t.texts"
		" FROM report_visits r LEFT JOIN report_texts t"
		" ON t.family = r.family AND t.took = r.took AND t.id = r.id"
		" WHERE r.family = ?1 AND r.took >= ?2 AND r.took < ?3"
		" AND anfang_local(r.took, r.took_offset) >= ?4"
		" AND anfang_local(r.took, r.took_offset) < ?5"
		" ORDER BY r.family, r.took, r.id",
	};
	struct store_report *r = store_report_of(src);
	sqlite3_stmt *st;
	int rc, stop = 0;

	if (store_report_family(r, family) == NULL || from >= to)
		return 0;
	st = store_prepare(r->s, sql[texts != 0], cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, family, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_report_widen(from, 0));
	sqlite3_bind_int64(st, 3, store_report_widen(to, 1));
	sqlite3_bind_int64(st, 4, from);
	sqlite3_bind_int64(st, 5, to);
	while ((rc = store_step(r->s, st, cause)) == 1) {
		if (store_report_visit(r, st, texts, cause) != 0) {
			rc = -1;
			break;
		}
		stop = fn(arg, &r->v);
		store_report_clear(r);
		if (stop != 0)
			break;
	}
	store_release(st);
	store_report_clear(r);
	if (rc < 0)
		return -1;
	return stop;
}

static void
store_report_free(struct report_source *src)
{
	struct store_report *r;
	size_t i;

	if (src == NULL)
		return;
	r = store_report_of(src);
	store_report_clear(r);
	free(r->values);
	free(r->seen);
	free(r->alerts);
	free(r->severity);
	free(r->nums);
	for (i = 0; i < r->nfam; i++) {
		free(r->fam[i].name);
		free(r->fam[i].forms);
	}
	free(r->fam);
	free(r->names);
	for (i = 0; i < r->nring; i++) {
		free(r->ring[i].keyid);
		free(r->ring[i].label);
	}
	free(r->ring);
	for (i = 0; i < r->nforms; i++)
		form_free(r->forms[i]);
	free(r->forms);
	free(r);
}

struct report_source *
store_report_source(struct store *s, char **cause)
{
	struct store_report *r = xcalloc(1, sizeof *r);

	r->s = s;
	r->src.families = store_report_families;
	r->src.forms = store_report_forms;
	r->src.span = store_report_span;
	r->src.each = store_report_each;
	r->src.free = store_report_free;
	r->src.data = r;
	if (sqlite3_create_function(s->db, "anfang_local", 2,
	        SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, store_report_local_fn,
	        NULL, NULL) != SQLITE_OK) {
		store_cause(s, cause, _("database"));
		free(r);
		return NULL;
	}
	if (store_report_load_forms(r, cause) != 0 ||
	    store_report_load_nums(r, cause) != 0 ||
	    store_report_load_keys(r, cause) != 0) {
		store_report_free(&r->src);
		return NULL;
	}
	return &r->src;
}
