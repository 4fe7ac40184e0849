/* The rules of a visit, independent of any store or screen. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/crypt-mem.h"
#include "anfang/form-expr.h"
#include "anfang/i18n.h"
#include "anfang/utf8.h"
#include "anfang/clock.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

static const char *const visit_status_names[] = {
	[VISIT_DRAFT] = "draft",
	[VISIT_FINAL] = "final",
	[VISIT_EXPORTED] = "exported",
	[VISIT_RECEIVED] = "received",
};

const char *
visit_status_name(enum visit_status s)
{
	if ((unsigned)s > VISIT_RECEIVED)
		return "?";
	return visit_status_names[s];
}

const char *
visit_status_label(enum visit_status s)
{
	switch (s) {
	case VISIT_DRAFT:
		return _("draft");
	case VISIT_FINAL:
		return _("final");
	case VISIT_EXPORTED:
		return _("exported");
	case VISIT_RECEIVED:
		return _("received");
	}
	return visit_status_name(s);
}

int
visit_status_from_name(const char *name, enum visit_status *s)
{
	int i;

	for (i = 0; i <= VISIT_RECEIVED; i++) {
		if (strcmp(visit_status_names[i], name) == 0) {
			*s = (enum visit_status)i;
			return 0;
		}
	}
	return -1;
}

void
visit_changed(struct visit *v)
{
	/* Visibility depends on other answers: any change forgets it. */
	memset(v->visible, -1, v->form->nquestions + 1);
}

struct visit *
visit_alloc(struct form *f, int owns_form)
{
	struct visit *v = xcalloc(1, sizeof *v);
	size_t n = f->nquestions;

	v->form = f;
	v->owns_form = owns_form;
	v->answers = xcalloc(n + 1, sizeof *v->answers);
	v->answered_at = xcalloc(n + 1, sizeof *v->answered_at);
	v->timers = xcalloc(n + 1, sizeof *v->timers);
	v->reasons = xcalloc(n + 1, sizeof *v->reasons);
	v->visible = xmalloc(n + 1);
	visit_changed(v);
	return v;
}

void
visit_free(struct visit *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->form->nquestions; i++) {
		value_clear(&v->answers[i]);
		free(v->reasons[i]);
	}
	free(v->visible);
	for (i = 0; i < v->namendments; i++) {
		value_clear(&v->amendments[i].value);
		free(v->amendments[i].reason);
	}
	free(v->amendments);
	free(v->answers);
	free(v->answered_at);
	free(v->timers);
	free(v->reasons);
	free(v->unit_id);
	free(v->unit_name);
	free(v->division);
	free(v->person);
	if (v->owns_form)
		form_free(v->form);
	free(v);
}

static int
visit_field(
    enum form_field want, const char *given, const char *name, char **cause)
{
	if (want == FORM_FIELD_ABSENT && given != NULL) {
		*cause = xasprintf(_("this form does not ask for a %s"), name);
		return -1;
	}
	if (want == FORM_FIELD_REQUIRED && (given == NULL || *given == '\0')) {
		*cause = xasprintf(_("this form needs a %s"), name);
		return -1;
	}
	return 0;
}

struct visit *
visit_new(struct form *f, int owns_form, const char *unit, const char *division,
    const char *person, int64_t now, char **cause)
{
	const struct form_unit *u = NULL;
	struct visit *v;
	size_t i;

	if (unit == NULL || *unit == '\0') {
		*cause = xstrdup(_("a visit needs the unit observed"));
		return NULL;
	}
	for (i = 0; i < f->nunits && u == NULL; i++) {
		if (strcmp(f->units[i].id, unit) == 0 ||
		    strcmp(f->units[i].name, unit) == 0)
			u = &f->units[i];
	}
	if (f->nunits > 0 && u == NULL) {
		*cause = xasprintf(_("unknown unit \"%s\""), unit);
		return NULL;
	}
	if (visit_field(f->division, division, "division", cause) != 0 ||
	    visit_field(f->person, person, "person", cause) != 0)
		return NULL;

	v = visit_alloc(f, owns_form);
	crypt_mem_random_id(v->id, VISIT_ID_LEN);
	v->unit_id = xstrdup(u ? u->id : unit);
	v->unit_name = xstrdup(u ? u->name : unit);
	v->division = division && *division ? xstrdup(division) : NULL;
	v->person = person && *person ? xstrdup(person) : NULL;
	v->started = now;
	v->took = now;
	v->took_offset = clock_offset(now);
	v->status = VISIT_DRAFT;
	/* Defaults are suggestions (visit_suggestion), not answers: only
	 * what the inspector saw and kept is an answer. */
	return v;
}

struct visit *
visit_snapshot(const struct visit *v)
{
	struct visit *c = visit_alloc(v->form, 0);
	struct visit_amendment *a;
	size_t i;

	c->status = v->status;
	c->finalized = v->finalized;
	c->took = v->took;
	c->took_offset = v->took_offset;
	for (i = 0; i < v->form->nquestions; i++) {
		value_copy(&c->answers[i], &v->answers[i]);
		c->answered_at[i] = v->answered_at[i];
		c->timers[i] = v->timers[i];
		c->reasons[i] = v->reasons[i] ? xstrdup(v->reasons[i]) : NULL;
	}
	if (v->namendments > 0)
		c->amendments = xcalloc(v->namendments, sizeof *c->amendments);
	for (i = 0; i < v->namendments; i++) {
		a = &c->amendments[i];
		a->question = v->amendments[i].question;
		value_copy(&a->value, &v->amendments[i].value);
		a->reason = xstrdup(v->amendments[i].reason);
		a->at = v->amendments[i].at;
	}
	c->namendments = v->namendments;
	return c;
}

#define VISIT_SWAP(a, b, type)                                                 \
	do {                                                                   \
		type tmp_ = (a);                                               \
		(a) = (b);                                                     \
		(b) = tmp_;                                                    \
	} while (0)

void
visit_restore(struct visit *v, struct visit *snap)
{
	VISIT_SWAP(v->answers, snap->answers, struct value *);
	VISIT_SWAP(v->answered_at, snap->answered_at, int64_t *);
	VISIT_SWAP(v->timers, snap->timers, struct visit_timer *);
	VISIT_SWAP(v->reasons, snap->reasons, char **);
	VISIT_SWAP(v->amendments, snap->amendments, struct visit_amendment *);
	VISIT_SWAP(v->namendments, snap->namendments, size_t);
	v->status = snap->status;
	v->finalized = snap->finalized;
	v->took = snap->took;
	v->took_offset = snap->took_offset;
	visit_changed(v);
	visit_free(snap); /* with what v held */
}

const struct value *
visit_suggestion(const struct visit *v, size_t q)
{
	const struct value *d = &v->form->questions[q].dflt;

	if (d->kind == VALUE_NONE || v->status != VISIT_DRAFT ||
	    v->answers[q].kind != VALUE_NONE || !visit_visible(v, q))
		return NULL;
	return d;
}

static const struct value *
visit_lookup(void *arg, size_t i)
{
	return visit_value(arg, i);
}

static void
visit_visible_one(const struct visit *v, size_t q)
{
	const struct form_question *fq = &v->form->questions[q];

	if (v->visible[q] < 0) {
		v->visible[q] = fq->show_if == NULL ||
		                form_expr_eval(fq->show_if, visit_lookup,
		                    (void *)v) == FORM_EXPR_TRUE;
	}
}

int
visit_visible(const struct visit *v, size_t q)
{
	const size_t *order = v->form->show_order;
	size_t i;

	/* Every question in the checked form's order, each after those its
	 * show_if reads: then no evaluation recurses into another, however
	 * long a chain of show_if the form has. */
	if (v->visible[q] < 0 && order != NULL) {
		for (i = 0; i < v->form->nquestions; i++)
			visit_visible_one(v, order[i]);
	}
	visit_visible_one(v, q);
	return v->visible[q];
}

static const struct value *
visit_raw_value(const struct visit *v, size_t q)
{
	size_t i;

	for (i = v->namendments; i > 0; i--) {
		if (v->amendments[i - 1].question == q)
			return &v->amendments[i - 1].value;
	}
	return &v->answers[q];
}

const struct value *
visit_value(const struct visit *v, size_t q)
{
	const struct value *val;

	if (!visit_visible(v, q))
		return NULL;
	val = visit_raw_value(v, q);
	return val->kind == VALUE_NONE ? NULL : val;
}

static int
visit_check_string(const struct form_question *q, const char *s, char **cause)
{
	size_t len = strlen(s), i;

	if (utf8_check(s, len) != len) {
		*cause = xstrdup(_("not valid UTF-8 text"));
		return -1;
	}
	switch (q->type) {
	case FORM_CHOICE:
		if (form_find_choice(q, s) == NULL) {
			*cause =
			    xasprintf(_("\"%s\" is not one of the choices"), s);
			return -1;
		}
		return 0;
	case FORM_DATE:
		if (!form_valid_date(s)) {
			*cause =
			    xasprintf(_("\"%s\" is not a date YYYY-MM-DD"), s);
			return -1;
		}
		return 0;
	case FORM_TIME:
		if (!form_valid_time(s)) {
			*cause = xasprintf(_("\"%s\" is not a time HH:MM"), s);
			return -1;
		}
		return 0;
	default:
		break;
	}
	if (len == 0) {
		*cause = xstrdup(_("empty text (clear the answer instead)"));
		return -1;
	}
	if (utf8_length(s, len) > q->max_length) {
		*cause =
		    xasprintf(_("longer than %zu characters"), q->max_length);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' && q->lines > 1)
			continue;
		/* C0, DEL and C1 (U+0080..U+009F, C2 80..C2 9F in UTF-8)
		 * could drive a terminal that shows the text. */
		if ((c < 0x20 && c != '\t') || c == 0x7f ||
		    (c == 0xc2 && i + 1 < len &&
		        (unsigned char)s[i + 1] >= 0x80 &&
		        (unsigned char)s[i + 1] <= 0x9f)) {
			*cause = xstrdup(
			    c == '\n'
			        ? _("a one-line answer cannot hold a new line")
			        : _("control characters are not allowed"));
			return -1;
		}
	}
	return 0;
}

int
visit_check_value(
    const struct visit *v, size_t q, const struct value *val, char **cause)
{
	const struct form_question *fq = &v->form->questions[q];
	char *why;
	size_t i, j;

	if (fq->type == FORM_NOTE) {
		*cause = xstrdup(_("a note takes no answer"));
		return -1;
	}
	if (val->kind != form_type_value_kind(fq->type)) {
		static const char *const want[] = {
			[VALUE_BOOL] = N_("yes or no"),
			[VALUE_NUMBER] = N_("a number"),
			[VALUE_STRING] = N_("a string"),
			[VALUE_SET] = N_("a list of choices"),
		};
		*cause = xasprintf(_("a %s answer must be %s"),
		    form_type_name(fq->type),
		    _(want[form_type_value_kind(fq->type)]));
		return -1;
	}
	switch (val->kind) {
	case VALUE_NUMBER:
		if (fq->type == FORM_TIMER) {
			if (!isfinite(val->n) || val->n < 0 ||
			    val->n != floor(val->n) || val->n > 1e9) {
				*cause =
				    xstrdup(_("a timer is whole seconds, 0 "
				              "or more"));
				return -1;
			}
			return 0;
		}
		if ((why = form_number_fits(fq, val->n)) != NULL) {
			*cause = xasprintf("%g %s", val->n, why);
			free(why);
			return -1;
		}
		return 0;
	case VALUE_STRING:
		return visit_check_string(fq, val->s, cause);
	case VALUE_SET:
		for (i = 0; i < val->nset; i++) {
			if (form_find_choice(fq, val->set[i]) == NULL) {
				*cause = xasprintf(_("\"%s\" is not one of the "
				                     "choices"),
				    val->set[i]);
				return -1;
			}
			for (j = 0; j < i; j++) {
				if (strcmp(val->set[i], val->set[j]) == 0) {
					*cause = xasprintf(_("\"%s\" is chosen "
					                     "twice"),
					    val->set[i]);
					return -1;
				}
			}
		}
		return 0;
	default:
		return 0;
	}
}

static int
visit_editable(const struct visit *v, char **cause)
{
	if (v->status != VISIT_DRAFT) {
		*cause = xasprintf(_("this visit is %s: correct it with an "
		                     "amendment"),
		    visit_status_label(v->status));
		return -1;
	}
	return 0;
}

int
visit_answer(struct visit *v, size_t q, const struct value *val, int64_t now,
    char **cause)
{
	if (visit_editable(v, cause) != 0)
		return -1;
	if (val != NULL && val->kind != VALUE_NONE &&
	    visit_check_value(v, q, val, cause) != 0)
		return -1;
	if (val == NULL || val->kind == VALUE_NONE)
		value_clear(&v->answers[q]);
	else
		value_copy(&v->answers[q], val);
	/* A typed timer answer is where the stopwatch goes on from. */
	if (v->form->questions[q].type == FORM_TIMER) {
		v->timers[q].running_since = 0;
		v->timers[q].elapsed_ms = v->answers[q].kind == VALUE_NUMBER
		                              ? (int64_t)v->answers[q].n * 1000
		                              : 0;
	}
	v->answered_at[q] = now;
	visit_changed(v);
	return 0;
}

int
visit_set_took(
    struct visit *v, int64_t ms, int offset, int64_t now, char **cause)
{
	if (v->status != VISIT_DRAFT) {
		*cause = xstrdup(_("when a visit took place is set before "
		                   "finalizing it"));
		return -1;
	}
	if (ms > now) {
		*cause = xstrdup(_("a visit cannot take place in the future"));
		return -1;
	}
	if (offset < -18 * 60 || offset > 18 * 60) {
		*cause = xstrdup(_("no place is that far from UTC"));
		return -1;
	}
	v->took = ms;
	v->took_offset = offset;
	return 0;
}

int
visit_set_reason(struct visit *v, size_t q, const char *reason, char **cause)
{
	if (visit_editable(v, cause) != 0)
		return -1;
	free(v->reasons[q]);
	v->reasons[q] = reason && *reason ? xstrdup(reason) : NULL;
	return 0;
}

static int
visit_is_timer(const struct visit *v, size_t q, char **cause)
{
	if (v->form->questions[q].type != FORM_TIMER) {
		*cause = xasprintf(
		    _("\"%s\" is not a timer"), v->form->questions[q].id);
		return -1;
	}
	return visit_editable(v, cause);
}

int64_t
visit_timer_ms(const struct visit *v, size_t q, int64_t now)
{
	const struct visit_timer *t = &v->timers[q];
	int64_t ms = t->elapsed_ms;

	/* An answer given directly (typed, or by record) is the base. */
	if (ms == 0 && t->running_since == 0 &&
	    v->answers[q].kind == VALUE_NUMBER)
		ms = (int64_t)v->answers[q].n * 1000;
	if (t->running_since != 0 && now > t->running_since)
		ms += now - t->running_since;
	return ms;
}

int
visit_timer_start(struct visit *v, size_t q, int64_t now, char **cause)
{
	struct visit_timer *t = &v->timers[q];

	if (visit_is_timer(v, q, cause) != 0)
		return -1;
	if (t->running_since != 0) {
		*cause = xstrdup(_("the stopwatch is already running"));
		return -1;
	}
	t->elapsed_ms = visit_timer_ms(v, q, now);
	t->running_since = now;
	return 0;
}

int
visit_timer_stop(struct visit *v, size_t q, int64_t now, char **cause)
{
	struct visit_timer *t = &v->timers[q];
	struct value secs = { 0 };

	if (visit_is_timer(v, q, cause) != 0)
		return -1;
	if (t->running_since == 0) {
		*cause = xstrdup(_("the stopwatch is not running"));
		return -1;
	}
	t->elapsed_ms = visit_timer_ms(v, q, now);
	t->running_since = 0;
	value_number(&secs, (double)(t->elapsed_ms / 1000));
	value_copy(&v->answers[q], &secs);
	v->answered_at[q] = now;
	visit_changed(v);
	return 0;
}

int
visit_timer_reset(struct visit *v, size_t q, char **cause)
{
	if (visit_is_timer(v, q, cause) != 0)
		return -1;
	memset(&v->timers[q], 0, sizeof v->timers[q]);
	value_clear(&v->answers[q]);
	visit_changed(v);
	return 0;
}

int
visit_count_add(struct visit *v, size_t q, int delta, int64_t now, char **cause)
{
	const struct form_question *fq = &v->form->questions[q];
	struct value n = { 0 };
	double cur;
	int rc;

	if (fq->type != FORM_COUNT) {
		*cause = xasprintf(_("\"%s\" is not a count"), fq->id);
		return -1;
	}
	cur = v->answers[q].kind == VALUE_NUMBER ? v->answers[q].n : fq->min;
	value_number(&n, cur + delta);
	if (v->answers[q].kind != VALUE_NUMBER && delta > 0)
		value_number(&n, fq->min + delta);
	rc = visit_answer(v, q, &n, now, cause);
	value_clear(&n);
	return rc;
}

static int
visit_truth(const struct visit *v, const struct form_expr *e)
{
	if (e == NULL)
		return FORM_EXPR_UNKNOWN;
	return form_expr_eval(e, visit_lookup, (void *)v);
}

int
visit_constraint_fails(const struct visit *v, size_t q)
{
	/* A constraint judges an answer: nothing to judge, nothing fails. */
	if (visit_value(v, q) == NULL)
		return 0;
	return visit_truth(v, v->form->questions[q].constraint) ==
	       FORM_EXPR_FALSE;
}

int
visit_warns(const struct visit *v, size_t q)
{
	return visit_visible(v, q) &&
	       visit_truth(v, v->form->questions[q].warn_if) == FORM_EXPR_TRUE;
}

int
visit_alerts(const struct visit *v, size_t q)
{
	return visit_visible(v, q) &&
	       visit_truth(v, v->form->questions[q].alert_if) == FORM_EXPR_TRUE;
}

size_t
visit_problems(const struct visit *v, struct visit_problem **out)
{
	const struct form_question *fq;
	struct visit_problem *p = NULL;
	size_t n = 0, q;

	for (q = 0; q < v->form->nquestions; q++) {
		fq = &v->form->questions[q];
		p = xreallocarray(p, n + 4, sizeof *p);
		/* Even hidden: a final visit could never stop it. */
		if (v->timers[q].running_since != 0)
			p[n++] =
			    (struct visit_problem){ VISIT_TIMER_RUNNING, q };
		if (!form_type_answers(fq->type) || !visit_visible(v, q))
			continue;
		if (fq->required && visit_value(v, q) == NULL)
			p[n++] = (struct visit_problem){ VISIT_MISSING, q };
		if (visit_constraint_fails(v, q))
			p[n++] = (struct visit_problem){ VISIT_CONSTRAINT, q };
		if (visit_warns(v, q) && v->reasons[q] == NULL)
			p[n++] =
			    (struct visit_problem){ VISIT_NEEDS_REASON, q };
	}
	*out = p;
	return n;
}

char *
visit_problem_text(const struct visit *v, const struct visit_problem *p)
{
	const struct form_question *fq = &v->form->questions[p->question];

	switch (p->kind) {
	case VISIT_MISSING:
		return xasprintf(_("%s: required, not answered"), fq->id);
	case VISIT_CONSTRAINT:
		return xasprintf("%s: %s", fq->id, fq->constraint_message);
	case VISIT_NEEDS_REASON:
		/* cmd-amend.c looks for the same translated words */
		return xasprintf("%s: %s %s", fq->id, fq->warn_message,
		    _("(give a reason)"));
	case VISIT_TIMER_RUNNING:
		return xasprintf(
		    _("%s: the stopwatch is still running"), fq->id);
	}
	return xstrdup(fq->id);
}

/* "what: N problems: a; b; c", from texts (freed). Caller frees. */
static char *
visit_join(const char *what, char **texts, size_t n)
{
	char *all, *tmp;
	size_t i;

	all = xasprintf(
	    ngettext("%s: %zu problem:", "%s: %zu problems:", n), what, n);
	for (i = 0; i < n; i++) {
		tmp = xasprintf("%s%s %s", all, i ? ";" : "", texts[i]);
		free(texts[i]);
		free(all);
		all = tmp;
	}
	return all;
}

/* Append the texts of v's problems to *texts (n of them). */
static size_t
visit_problem_texts(const struct visit *v, char ***texts, size_t n)
{
	struct visit_problem *p;
	size_t k, i;

	k = visit_problems(v, &p);
	*texts = xreallocarray(*texts, n + k + 1, sizeof **texts);
	for (i = 0; i < k; i++)
		(*texts)[n++] = visit_problem_text(v, &p[i]);
	free(p);
	return n;
}

int
visit_finalize(struct visit *v, int64_t now, char **cause)
{
	char **texts = NULL;
	size_t n;

	if (visit_editable(v, cause) != 0)
		return -1;
	if ((n = visit_problem_texts(v, &texts, 0)) != 0) {
		*cause = visit_join(_("cannot finalize"), texts, n);
		free(texts);
		return -1;
	}
	free(texts);
	v->status = VISIT_FINAL;
	v->finalized = now;
	return 0;
}

int
visit_amend_answers(struct visit *v, const struct visit_amend_answer *given,
    size_t n, const char *reason, char *const *warn_reasons, int64_t now,
    char **cause)
{
	const struct form *f = v->form;
	const struct form_question *fq;
	struct visit_amendment *a;
	struct visit *snap;
	char **texts = NULL, *why;
	size_t i, k, nt = 0, q;

	if (v->status != VISIT_FINAL && v->status != VISIT_EXPORTED) {
		*cause = xasprintf(_("only a final or exported visit can be "
		                     "amended; this one is %s"),
		    visit_status_label(v->status));
		return -1;
	}
	if (reason == NULL || *reason == '\0') {
		*cause = xstrdup(_("an amendment needs a reason"));
		return -1;
	}
	if (n == 0) {
		*cause = xstrdup(_("an amendment needs an answer to change"));
		return -1;
	}
	snap = visit_snapshot(v);
	/* At most two texts per given answer (its value, its visibility)
	 * and one per soft-check reason. */
	texts = xcalloc(2 * n + f->nquestions + 1, sizeof *texts);
	for (i = 0; i < n; i++) {
		q = given[i].question;
		fq = &f->questions[q];
		for (k = 0; k < i && given[k].question != q; k++)
			;
		if (k < i) {
			texts[nt++] = xasprintf(_("%s: given twice"), fq->id);
			continue;
		}
		if (given[i].value->kind != VALUE_NONE &&
		    visit_check_value(v, q, given[i].value, &why) != 0) {
			texts[nt++] = xasprintf("%s: %s", fq->id, why);
			free(why);
			continue;
		}
		v->amendments = xreallocarray(
		    v->amendments, v->namendments + 1, sizeof *v->amendments);
		a = &v->amendments[v->namendments++];
		memset(a, 0, sizeof *a);
		a->question = q;
		value_copy(&a->value, given[i].value);
		a->reason = xstrdup(reason);
		a->at = now;
	}
	visit_changed(v);
	/* Visibility is judged on the whole amendment: favours and the
	 * follow-up it shows are amended together. */
	for (i = 0; i < n; i++) {
		q = given[i].question;
		if (!visit_visible(v, q))
			texts[nt++] = xasprintf(_("%s: not shown in this visit "
			                          "(show_if: %s)"),
			    f->questions[q].id,
			    form_expr_text(f->questions[q].show_if));
	}
	for (q = 0; warn_reasons != NULL && q < f->nquestions; q++) {
		if (warn_reasons[q] == NULL)
			continue;
		if (*warn_reasons[q] == '\0') {
			texts[nt++] = xasprintf(
			    _("%s: an empty reason"), f->questions[q].id);
		} else if (!visit_warns(v, q)) {
			texts[nt++] =
			    xasprintf(_("%s: no soft check asks for a "
			                "reason here"),
			        f->questions[q].id);
		} else {
			free(v->reasons[q]);
			v->reasons[q] = xstrdup(warn_reasons[q]);
		}
	}
	/* What finalizing would refuse, amending refuses too. */
	nt = visit_problem_texts(v, &texts, nt);
	if (nt != 0) {
		visit_restore(v, snap);
		*cause = visit_join(_("cannot amend"), texts, nt);
		free(texts);
		return -1;
	}
	free(texts);
	visit_free(snap);
	/* Amended after its export, it goes out again in the next batch,
	 * whose copy takes the place of the one received (anfang-batch(5)). */
	v->status = VISIT_FINAL;
	return 0;
}

int
visit_amend(struct visit *v, size_t q, const struct value *val,
    const char *reason, int64_t now, char **cause)
{
	struct visit_amend_answer one = { q, val };

	return visit_amend_answers(v, &one, 1, reason, NULL, now, cause);
}

double
visit_score(const struct visit *v)
{
	const struct value *val;
	double sum = 0;
	size_t q;

	for (q = 0; q < v->form->nquestions; q++) {
		if ((val = visit_value(v, q)) != NULL)
			sum += form_score(&v->form->questions[q], val);
	}
	return sum;
}

/* The best points one answer to q can score. */
static double
visit_best(const struct form_question *fq)
{
	struct value v = { 0 };
	double best = 0, p, x;
	int any = 0;
	size_t i;

	switch (fq->type) {
	case FORM_YESNO:
		for (i = 0; i < 2; i++) {
			value_bool(&v, (int)i);
			p = form_score(fq, &v);
			best = any++ ? (p > best ? p : best) : p;
		}
		break;
	case FORM_CHOICE:
		for (i = 0; i < fq->nchoices; i++) {
			value_string(&v, fq->choices[i].value);
			p = form_score(fq, &v);
			best = any++ ? (p > best ? p : best) : p;
		}
		break;
	case FORM_MULTI:
		/* Options add up: every option worth something, and no
		 * option at all scores 0. */
		for (i = 0; i < fq->nchoices; i++) {
			const char *one = fq->choices[i].value;

			value_set(&v, &one, 1);
			if ((p = form_score(fq, &v)) > 0)
				best += p;
		}
		any = 1;
		break;
	case FORM_SCALE:
		for (x = ceil(fq->min); x <= fq->max; x++) {
			value_number(&v, x);
			p = form_score(fq, &v);
			best = any++ ? (p > best ? p : best) : p;
		}
		break;
	default:
		break;
	}
	value_clear(&v);
	if (!any || (!fq->required && best < 0))
		return 0;
	return best;
}

double
visit_score_max(const struct visit *v)
{
	const struct form_question *fq;
	double sum = 0;
	size_t q;

	for (q = 0; q < v->form->nquestions; q++) {
		fq = &v->form->questions[q];
		if (fq->nscores > 0 && visit_visible(v, q))
			sum += visit_best(fq);
	}
	return sum;
}

void
visit_progress(const struct visit *v, size_t *answered, size_t *visible)
{
	size_t q;

	*answered = *visible = 0;
	for (q = 0; q < v->form->nquestions; q++) {
		if (!form_type_answers(v->form->questions[q].type) ||
		    !visit_visible(v, q))
			continue;
		(*visible)++;
		if (visit_value(v, q) != NULL)
			(*answered)++;
	}
}

size_t
visit_alert_count(const struct visit *v)
{
	size_t q, n = 0;

	for (q = 0; q < v->form->nquestions; q++)
		n += visit_alerts(v, q) != 0;
	return n;
}
