/*
 * Each change: keep what it may touch, apply it to the visit, store it;
 * when storing fails, put back what was kept.  A change of one question
 * keeps that question only (a keystroke on a long form stays cheap);
 * finalizing and amending keep a snapshot of the whole visit.
 */
#include <stdlib.h>
#include <string.h>

#include "anfang/change.h"
#include "anfang/store-visit.h"
#include "anfang/xmalloc.h"

/* What a change of one question may touch. */
struct change_kept {
	size_t q;
	struct value answer;
	int64_t at;
	struct visit_timer timer;
	char *reason;
};

static void
change_keep(const struct visit *v, size_t q, struct change_kept *k)
{
	memset(k, 0, sizeof *k);
	k->q = q;
	value_copy(&k->answer, &v->answers[q]);
	k->at = v->answered_at[q];
	k->timer = v->timers[q];
	k->reason = v->reasons[q] ? xstrdup(v->reasons[q]) : NULL;
}

static void
change_drop(struct change_kept *k)
{
	value_clear(&k->answer);
	free(k->reason);
}

/* Store failed (rc != 0): put the question back as it was. */
static int
change_done(struct visit *v, struct change_kept *k, int rc)
{
	size_t q = k->q;

	if (rc != 0) {
		value_clear(&v->answers[q]);
		v->answers[q] = k->answer;
		memset(&k->answer, 0, sizeof k->answer);
		v->answered_at[q] = k->at;
		v->timers[q] = k->timer;
		free(v->reasons[q]);
		v->reasons[q] = k->reason;
		k->reason = NULL;
		visit_changed(v);
	}
	change_drop(k);
	return rc;
}

int
change_insert(struct store *s, struct visit *v, int64_t now, char **cause)
{
	struct value none = { 0 };
	size_t q;

	if (store_begin(s, cause) != 0)
		return CHANGE_UNSAVED;
	if (store_visit_insert(s, v, now, cause) != 0)
		goto fail;
	/* A visit given another time than its start says so in its trail. */
	if (v->took != v->started && store_visit_took(s, v, now, cause) != 0)
		goto fail;
	for (q = 0; q < v->form->nquestions; q++) {
		if (v->answers[q].kind != VALUE_NONE &&
		    store_visit_answer(s, v, q, &none, now, cause) != 0)
			goto fail;
		if (v->reasons[q] != NULL &&
		    store_visit_reason(s, v, q, now, cause) != 0)
			goto fail;
	}
	return store_commit(s, cause) != 0 ? CHANGE_UNSAVED : 0;
fail:
	store_rollback(s);
	return CHANGE_UNSAVED;
}

int
change_answer(struct store *s, struct visit *v, size_t q,
    const struct value *val, int64_t now, char **cause)
{
	return change_answer_typed(s, v, q, val, NULL, now, cause);
}

int
change_answer_typed(struct store *s, struct visit *v, size_t q,
    const struct value *val, const char *typed, int64_t now, char **cause)
{
	struct change_kept k;
	int rc;

	change_keep(v, q, &k);
	rc = visit_answer(v, q, val, now, cause) != 0 ? CHANGE_REFUSED : 0;
	if (rc == 0 && store_visit_answer_typed(
	                   s, v, q, &k.answer, typed, now, cause) != 0)
		rc = CHANGE_UNSAVED;
	return change_done(v, &k, rc);
}

int
change_keep_default(
    struct store *s, struct visit *v, size_t q, int64_t now, char **cause)
{
	const struct value *d = visit_suggestion(v, q);

	return d == NULL ? 0 : change_answer(s, v, q, d, now, cause);
}

int
change_reason(struct store *s, struct visit *v, size_t q, const char *reason,
    int64_t now, char **cause)
{
	struct change_kept k;
	int rc;

	change_keep(v, q, &k);
	rc = visit_set_reason(v, q, reason, cause) != 0 ? CHANGE_REFUSED : 0;
	if (rc == 0 && store_visit_reason(s, v, q, now, cause) != 0)
		rc = CHANGE_UNSAVED;
	return change_done(v, &k, rc);
}

int
change_timer(struct store *s, struct visit *v, size_t q, enum change_timer op,
    int64_t now, char **cause)
{
	static const char *const events[] = {
		[CHANGE_TIMER_START] = "timer started",
		[CHANGE_TIMER_STOP] = "timer stopped",
		[CHANGE_TIMER_RESET] = "timer reset",
	};
	struct change_kept k;
	int rc;

	change_keep(v, q, &k);
	switch (op) {
	case CHANGE_TIMER_START:
		rc = visit_timer_start(v, q, now, cause);
		break;
	case CHANGE_TIMER_STOP:
		rc = visit_timer_stop(v, q, now, cause);
		break;
	default:
		rc = visit_timer_reset(v, q, cause);
		break;
	}
	if (rc != 0)
		rc = CHANGE_REFUSED;
	else if (store_visit_timer(s, v, q, events[op], now, cause) != 0)
		rc = CHANGE_UNSAVED;
	return change_done(v, &k, rc);
}

int
change_count(struct store *s, struct visit *v, size_t q, int delta, int64_t now,
    char **cause)
{
	struct change_kept k;
	int rc;

	change_keep(v, q, &k);
	rc = visit_count_add(v, q, delta, now, cause) != 0 ? CHANGE_REFUSED : 0;
	if (rc == 0 && store_visit_answer(s, v, q, &k.answer, now, cause) != 0)
		rc = CHANGE_UNSAVED;
	return change_done(v, &k, rc);
}

int
change_took(struct store *s, struct visit *v, int64_t ms, int offset,
    int64_t now, char **cause)
{
	int64_t took = v->took;
	int took_offset = v->took_offset;

	if (visit_set_took(v, ms, offset, now, cause) != 0)
		return CHANGE_REFUSED;
	if (store_visit_took(s, v, now, cause) != 0) {
		v->took = took;
		v->took_offset = took_offset;
		return CHANGE_UNSAVED;
	}
	return 0;
}

int
change_finalize(struct store *s, struct visit *v, int64_t now, char **cause)
{
	enum visit_status status = v->status;
	int64_t finalized = v->finalized;

	if (visit_finalize(v, now, cause) != 0)
		return CHANGE_REFUSED;
	if (store_visit_finalize(s, v, cause) != 0) {
		v->status = status;
		v->finalized = finalized;
		visit_changed(v);
		return CHANGE_UNSAVED;
	}
	return 0;
}

/* Amendment k of v and the answer it replaced, stored. */
static int
change_store_amendment(
    struct store *s, struct visit *v, size_t k, size_t total, char **cause)
{
	const struct value *cur;
	struct value old = { 0 };
	int rc;

	/* Each as if made one after the other: the visit as it stood. */
	v->namendments = k;
	visit_changed(v);
	if ((cur = visit_value(v, v->amendments[k].question)) != NULL)
		value_copy(&old, cur);
	v->namendments = k + 1;
	visit_changed(v);
	rc = store_visit_amend(s, v, &old, cause);
	value_clear(&old);
	v->namendments = total;
	visit_changed(v);
	return rc;
}

static int
change_same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

int
change_amend(struct store *s, struct visit *v,
    const struct visit_amend_answer *given, size_t n, const char *reason,
    char *const *warn_reasons, int64_t now, char **cause)
{
	struct visit *snap = visit_snapshot(v);
	size_t k, total, q;

	if (visit_amend_answers(
	        v, given, n, reason, warn_reasons, now, cause) != 0) {
		visit_free(snap);
		return CHANGE_REFUSED;
	}
	total = v->namendments;
	if (store_begin(s, cause) != 0)
		goto fail;
	for (k = snap->namendments; k < total; k++) {
		if (change_store_amendment(s, v, k, total, cause) != 0)
			goto rollback;
	}
	for (q = 0; q < v->form->nquestions; q++) {
		if (!change_same(v->reasons[q], snap->reasons[q]) &&
		    store_visit_reason(s, v, q, now, cause) != 0)
			goto rollback;
	}
	if (store_commit(s, cause) != 0)
		goto fail;
	visit_free(snap);
	return 0;
rollback:
	store_rollback(s);
fail:
	visit_restore(v, snap);
	return CHANGE_UNSAVED;
}
