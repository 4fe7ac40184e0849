/*
 * A received visit replayed: its audit trail, entry by entry, must give
 * the answers, reasons and amendments the line claims (the trail is what
 * `show` prints as the visit's history), and the form's rules must hold
 * as they do when finalizing and amending.
 *
 * The details read here are the ones store-visit.c writes:
 *	visit started	form ID version N (HASH16), unit "NAME"[, division
 *			"D"][, person "P"]
 *	answer set	Q: OLD -> NEW		(values as value_format)
 *			[ (typed TEXT)]		(a stopwatch's time as typed)
 *	timer started, timer stopped, timer reset	Q: MS ms
 *	reason given	Q: REASON		("-" when cleared)
 *	took place	TIME			(clock_iso_offset; before
 *					finalizing; none: at the start)
 *	finalized	score S, N alerts	(at the visit's finalized time)
 *	amended		Q: OLD -> NEW, because: REASON	(at its time)
 *	exported	where it went (after finalizing only)
 */
#include <stdlib.h>
#include <string.h>

#include "anfang/batch-check.h"
#include "anfang/clock.h"
#include "anfang/crypt-mem.h"
#include "anfang/i18n.h"
#include "anfang/value.h"
#include "anfang/xmalloc.h"

struct replay {
	struct visit *v;
	char **answer; /* per question: the value as the trail has it */
	char **reason;
	char *running; /* per question: a stopwatch is running */
	int finalized;
	size_t amended;   /* amendments met so far */
	const char *took; /* the last "took place", NULL when none */
};

static char *
replay_format(const struct value *val)
{
	return val ? value_format(val) : xstrdup("-");
}

/*
 * An answer set's new value: for a stopwatch, a time as typed may follow,
 * " (typed 12:34)" (digits, colon, point).  NULL if that is malformed.
 */
static char *
replay_typed(const struct visit *v, size_t q, const char *now)
{
	const char *t = strstr(now, " (typed ");
	size_t n;

	if (v->form->questions[q].type != FORM_TIMER || t == NULL)
		return xstrdup(now);
	n = strspn(t + 8, "0123456789:.");
	if (n == 0 || strcmp(t + 8 + n, ")") != 0)
		return NULL;
	return xstrndup(now, (size_t)(t - now));
}

/* The question an entry's detail starts with ("Q: "), its rest in *rest. */
static long
replay_question(struct replay *r, const char *detail, const char **rest)
{
	const char *colon = strstr(detail, ": ");
	char *id;
	long q;

	if (colon == NULL)
		return -1;
	id = xstrndup(detail, (size_t)(colon - detail));
	q = form_find(r->v->form, id);
	free(id);
	*rest = colon + 2;
	return q;
}

static char *
replay_started(const struct visit *v)
{
	const struct form *f = v->form;

	return xasprintf("form %s version %ld (%.16s), unit \"%s\"%s%s%s%s%s%s",
	    f->id, f->version, f->hash, v->unit_name,
	    v->division ? ", division \"" : "", v->division ? v->division : "",
	    v->division ? "\"" : "", v->person ? ", person \"" : "",
	    v->person ? v->person : "", v->person ? "\"" : "");
}

/*
 * The value of q before amendment k, as amending took it: the one that
 * counted with the amendments before k (none when hidden).  Caller frees.
 */
static char *
replay_before(struct visit *v, size_t q, size_t k)
{
	size_t n = v->namendments;
	char *was;

	v->namendments = k;
	visit_changed(v);
	was = replay_format(visit_value(v, q));
	v->namendments = n;
	visit_changed(v);
	return was;
}

/* One entry after the first; NULL or what is wrong with it. */
static char *
replay_entry(struct replay *r, const struct audit_entry *e)
{
	struct visit *v = r->v;
	const struct visit_amendment *a;
	const char *rest, *end;
	char *want, *was, *now;
	long long ms;
	long q = -1;
	int ok;

	if (strcmp(e->event, "finalized") == 0) {
		if (r->finalized)
			return xstrdup(_("finalized twice"));
		if (e->at != v->finalized)
			return xstrdup(_("finalized at another time than the "
			                 "visit says"));
		for (q = 0; q < (long)v->form->nquestions; q++) {
			if (r->running[q])
				return xasprintf(_("%s: finalized with its "
				                   "stopwatch running"),
				    v->form->questions[q].id);
		}
		r->finalized = 1;
		return NULL;
	}
	if (strcmp(e->event, "took place") == 0) {
		if (r->finalized)
			return xstrdup(_("took place: set after finalizing"));
		r->took = e->detail;
		return NULL;
	}
	if (strcmp(e->event, "exported") == 0)
		return r->finalized ? NULL
		                    : xstrdup(_("exported before final"));
	if (strcmp(e->event, "amended") == 0) {
		if (!r->finalized)
			return xstrdup(_("amended before finalizing"));
		if (r->amended == v->namendments)
			return xstrdup(
			    _("an amendment the visit does not have"));
		a = &v->amendments[r->amended];
		was = replay_before(v, a->question, r->amended);
		now = replay_format(&a->value);
		want = xasprintf("%s: %s -> %s, because: %s",
		    v->form->questions[a->question].id, was, now, a->reason);
		ok = strcmp(want, e->detail) == 0 && e->at == a->at;
		free(was);
		free(now);
		free(want);
		if (!ok)
			return xasprintf(_("%s: amendment %zu is not the one "
			                   "the audit trail records"),
			    v->form->questions[a->question].id, r->amended + 1);
		r->amended++;
		return NULL;
	}
	if (strcmp(e->event, "answer set") != 0 &&
	    strcmp(e->event, "reason given") != 0 &&
	    strncmp(e->event, "timer ", 6) != 0)
		return xasprintf(_("an unknown audit event \"%s\""), e->event);
	if ((q = replay_question(r, e->detail, &rest)) < 0)
		return xasprintf(_("%s: no such question"), e->event);
	/* After finalizing, only the reason for a soft check an amendment
	 * raised. */
	if (r->finalized &&
	    (strcmp(e->event, "reason given") != 0 || r->amended == 0))
		return xasprintf(_("%s: %s after finalizing"),
		    v->form->questions[q].id, e->event);
	if (strcmp(e->event, "reason given") == 0) {
		free(r->reason[q]);
		r->reason[q] = xstrdup(rest);
		return NULL;
	}
	if (strcmp(e->event, "answer set") == 0) {
		size_t n = strlen(r->answer[q]);

		if (strncmp(rest, r->answer[q], n) != 0 ||
		    strncmp(rest + n, " -> ", 4) != 0)
			return xasprintf(_("%s: the audit trail's answers do "
			                   "not follow on"),
			    v->form->questions[q].id);
		free(r->answer[q]);
		r->answer[q] = replay_typed(v, q, rest + n + 4);
		if (r->answer[q] == NULL) {
			r->answer[q] = xstrdup("-");
			return xasprintf(_("%s: not a time as typed"),
			    v->form->questions[q].id);
		}
		return NULL;
	}
	/* A stopwatch: started, stopped (its whole seconds are the answer),
	 * reset (no answer). */
	ms = strtoll(rest, (char **)&end, 10);
	if (v->form->questions[q].type != FORM_TIMER || end == rest ||
	    strcmp(end, " ms") != 0 || ms < 0)
		return xasprintf(_("%s: %s: not a stopwatch entry"),
		    v->form->questions[q].id, e->event);
	if (strcmp(e->event, "timer started") == 0) {
		if (r->running[q])
			return xasprintf(
			    _("%s: started twice"), v->form->questions[q].id);
		r->running[q] = 1;
	} else if (strcmp(e->event, "timer stopped") == 0) {
		struct value secs = { 0 };

		if (!r->running[q])
			return xasprintf(_("%s: stopped, not running"),
			    v->form->questions[q].id);
		r->running[q] = 0;
		value_number(&secs, (double)(ms / 1000));
		free(r->answer[q]);
		r->answer[q] = value_format(&secs);
	} else if (strcmp(e->event, "timer reset") == 0) {
		r->running[q] = 0;
		free(r->answer[q]);
		r->answer[q] = xstrdup("-");
	} else
		return xasprintf(_("an unknown audit event \"%s\""), e->event);
	return NULL;
}

/* The whole trail against the visit's fields; NULL or what is wrong. */
static char *
replay(struct replay *r, const struct audit_chain *c)
{
	struct visit *v = r->v;
	struct value text = { 0 };
	char *want, *why;
	size_t i, q;

	if (c->n == 0)
		return xstrdup(_("it has no audit trail"));
	want = replay_started(v);
	i = strcmp(c->v[0].event, "visit started") == 0 &&
	    strcmp(c->v[0].detail, want) == 0;
	free(want);
	if (!i)
		return xstrdup(
		    _("its audit trail does not start with this "
		      "visit's start (form, unit, division, person)"));
	for (i = 1; i < c->n; i++) {
		if ((why = replay_entry(r, &c->v[i])) != NULL) {
			want = xasprintf(_("audit entry %zu: %s"), i + 1, why);
			free(why);
			return want;
		}
	}
	if (!r->finalized)
		return xstrdup(_("its audit trail does not finalize it"));
	if (r->amended != v->namendments)
		return xasprintf(_("amendment %zu is not in the audit trail"),
		    r->amended + 1);
	if (r->took != NULL) {
		char iso[CLOCK_ISO_OFFSET_LEN];

		clock_iso_offset(iso, v->took, v->took_offset);
		if (strcmp(iso, r->took) != 0)
			return xstrdup(
			    _("the time it took place is not the one "
			      "its audit trail gives"));
	} else if (v->took != v->started)
		return xstrdup(
		    _("it took place at another time than it "
		      "started, and its audit trail does not say so"));
	for (q = 0; q < v->form->nquestions; q++) {
		want = replay_format(&v->answers[q]);
		i = strcmp(want, r->answer[q]) == 0;
		free(want);
		if (!i)
			return xasprintf(_("%s: the answer is not the one its "
			                   "audit trail gives (%s)"),
			    v->form->questions[q].id, r->answer[q]);
		if (v->reasons[q] != NULL)
			value_string(&text, v->reasons[q]);
		want = replay_format(&text);
		value_clear(&text);
		i = strcmp(want, r->reason[q]) == 0;
		free(want);
		if (!i)
			return xasprintf(_("%s: the reason is not the one its "
			                   "audit trail gives"),
			    v->form->questions[q].id);
	}
	return NULL;
}

/* What finalizing would refuse, as one text; NULL when nothing. */
static char *
rules(const struct visit *v)
{
	struct visit_problem *p;
	size_t n = visit_problems(v, &p);
	char *text = n ? visit_problem_text(v, &p[0]) : NULL;

	free(p);
	return text;
}

/*
 * The form's rules: at finalizing (the answers alone) as visit_finalize
 * applies them; each amendment a value its question takes, with a reason;
 * and the amended visit as a whole, as amending leaves it.  (Reasons are
 * the last given: a reason an amendment's soft check asked for counts.)
 */
static char *
check_rules(struct visit *v)
{
	size_t n = v->namendments, k;
	const struct visit_amendment *a;
	char *why = NULL, *cause = NULL;

	v->namendments = 0;
	visit_changed(v);
	why = rules(v);
	v->namendments = n;
	visit_changed(v);
	if (why != NULL)
		return why;
	for (k = 0; k < n; k++) {
		a = &v->amendments[k];
		if (a->reason == NULL || *a->reason == '\0')
			return xasprintf(_("amendment %zu: %s: no reason"),
			    k + 1, v->form->questions[a->question].id);
		if (a->value.kind != VALUE_NONE &&
		    visit_check_value(v, a->question, &a->value, &cause) != 0) {
			why = xasprintf(_("amendment %zu: %s"), k + 1, cause);
			free(cause);
			return why;
		}
	}
	if ((why = rules(v)) != NULL) {
		cause = xasprintf(_("amended: %s"), why);
		free(why);
		return cause;
	}
	return NULL;
}

int
batch_check_visit(struct visit *v, const struct audit_chain *c, char **cause)
{
	struct replay r;
	size_t nq = v->form->nquestions, q;
	char *why = NULL;

	if (!crypt_mem_id_valid(v->id, VISIT_ID_LEN)) {
		*cause = xstrdup(_("a visit id is 12 of the characters "
		                   "23456789abcdefghjkmnpqrstuvwxyz"));
		return -1;
	}
	/* The trail must hold together as it left the inspector (a sound
	 * one was checked as it was read). */
	if (c->n > 0 && !c->sound &&
	    audit_verify(c, c->v[c->n - 1].hash, (int64_t)c->n, &why) != 0) {
		*cause = xasprintf(_("visit %s: %s"), v->id, why);
		free(why);
		return -1;
	}
	for (q = 0; q < v->form->nunits; q++) {
		if (strcmp(v->form->units[q].id, v->unit_id) == 0 &&
		    strcmp(v->form->units[q].name, v->unit_name) == 0)
			break;
	}
	if (v->form->nunits > 0 && q == v->form->nunits)
		why = xstrdup(_("its unit is not one of its form's units"));
	else if (v->status != VISIT_FINAL && v->status != VISIT_EXPORTED)
		why = xasprintf(
		    _("it is %s, not final"), visit_status_label(v->status));
	else if (v->finalized == 0)
		why = xstrdup(_("it has no time of finalizing"));
	if (why == NULL) {
		memset(&r, 0, sizeof r);
		r.v = v;
		r.answer = xcalloc(nq + 1, sizeof *r.answer);
		r.reason = xcalloc(nq + 1, sizeof *r.reason);
		r.running = xcalloc(nq + 1, 1);
		for (q = 0; q < nq; q++) {
			r.answer[q] = xstrdup("-");
			r.reason[q] = xstrdup("-");
		}
		why = replay(&r, c);
		for (q = 0; q < nq; q++) {
			free(r.answer[q]);
			free(r.reason[q]);
		}
		free(r.answer);
		free(r.reason);
		free(r.running);
	}
	if (why == NULL)
		why = check_rules(v);
	if (why == NULL)
		return 0;
	*cause = xasprintf(_("visit %s: %s"), v->id, why);
	free(why);
	return -1;
}
