/*
 * libFuzzer target: load arbitrary bytes as a form.  When a form loads,
 * every expression of every question is evaluated twice, once with no
 * answers at all and once with a simple answer of the right kind for each
 * question, so that the evaluator runs over whatever the binder accepted.
 * Then the same answers go into a visit, as record and the UI give them,
 * and every question's visibility, checks and the visit's problems are
 * worked out: whatever forms check accepts must evaluate in bounded stack
 * and time (a long chain of show_if once overflowed the stack).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/diag.h"
#include "anfang/form-expr.h"
#include "anfang/form-load.h"
#include "anfang/form.h"
#include "anfang/value.h"
#include "anfang/visit.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct answers {
	struct value *v;
	size_t n;
};

static const struct value *
fuzz_lookup(void *arg, size_t i)
{
	struct answers *a = arg;

	/* A bound expression only ever reads questions of its form. */
	if (i >= a->n)
		abort();
	return a->v[i].kind == VALUE_NONE ? NULL : &a->v[i];
}

/* A plausible answer to q, varied a little by the byte b. */
static void
fuzz_answer(const struct form_question *q, unsigned b, struct value *v)
{
	const char *item;

	switch (form_type_value_kind(q->type)) {
	case VALUE_BOOL:
		value_bool(v, b & 1);
		break;
	case VALUE_NUMBER:
		if (q->has_min && (b & 1))
			value_number(v, q->min);
		else if (q->has_max && (b & 2))
			value_number(v, q->max);
		else
			value_number(v, (double)(b % 11));
		break;
	case VALUE_STRING:
		if (q->nchoices > 0)
			value_string(v, q->choices[b % q->nchoices].value);
		else if (q->type == FORM_DATE)
			value_string(v, (b & 1) ? "2024-02-29" : "1999-12-31");
		else if (q->type == FORM_TIME)
			value_string(v, (b & 1) ? "09:30" : "23:59");
		else
			value_string(v, (b & 1) ? "x" : "");
		break;
	case VALUE_SET:
		if (q->nchoices > 0 && (b & 1)) {
			item = q->choices[b % q->nchoices].value;
			value_set(v, &item, 1);
		} else
			value_set(v, NULL, 0);
		break;
	case VALUE_NONE:
		value_clear(v);
		break;
	}
}

static void
fuzz_eval(const struct form_expr *e, struct answers *a)
{
	enum form_expr_truth t;
	size_t refs[8], n, i;

	if (e == NULL)
		return;
	t = form_expr_eval(e, fuzz_lookup, a);
	if (t != FORM_EXPR_FALSE && t != FORM_EXPR_TRUE &&
	    t != FORM_EXPR_UNKNOWN)
		abort();
	n = form_expr_refs(e, refs, 8);
	for (i = 0; i < n && i < 8; i++) {
		if (refs[i] >= a->n)
			abort();
	}
	if (form_expr_text(e) == NULL)
		abort();
}

static void
fuzz_eval_all(const struct form *f, struct answers *a)
{
	const struct form_question *q;
	size_t i;

	for (i = 0; i < f->nquestions; i++) {
		q = &f->questions[i];
		fuzz_eval(q->show_if, a);
		fuzz_eval(q->constraint, a);
		fuzz_eval(q->warn_if, a);
		fuzz_eval(q->alert_if, a);
		(void)form_score(q, &a->v[i]);
	}
}

/* The answers given to a visit (each refused one left out), then all of
 * what a screen or record asks of it. */
static void
fuzz_visit(struct form *f, struct answers *a)
{
	struct visit_problem *p;
	struct visit *v;
	char *cause = NULL;
	size_t i, n, shown, answered;

	v = visit_new(f, 0, f->nunits ? f->units[0].id : "unit",
	    f->division != FORM_FIELD_ABSENT ? "division" : NULL,
	    f->person != FORM_FIELD_ABSENT ? "person" : NULL, 0, &cause);
	if (v == NULL)
		abort(); /* a unit and the fields asked for are given */
	for (i = 0; i < a->n; i++) {
		if (a->v[i].kind == VALUE_NONE)
			continue;
		if (visit_answer(v, i, &a->v[i], 1, &cause) != 0) {
			if (cause == NULL)
				abort(); /* refused with a reason */
			free(cause);
			cause = NULL;
		}
	}
	for (i = 0; i < f->nquestions; i++) {
		shown = (size_t)visit_visible(v, i);
		if (!shown && visit_value(v, i) != NULL)
			abort(); /* a hidden question has no answer */
		(void)visit_constraint_fails(v, i);
		(void)visit_warns(v, i);
		(void)visit_alerts(v, i);
	}
	visit_progress(v, &answered, &shown);
	if (answered > shown)
		abort();
	n = visit_problems(v, &p);
	for (i = 0; i < n; i++)
		free(visit_problem_text(v, &p[i]));
	free(p);
	visit_free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list diags = { 0 };
	struct answers a;
	struct form *f;
	char *s;
	size_t i;

	f = form_load_mem("fuzz.yaml", NULL, (const char *)data, size, &diags);
	/* Every form refused is refused with a reason. */
	if (f == NULL && diags.n == 0)
		abort();
	diag_sort(&diags);
	for (i = 0; i < diags.n; i++) {
		s = diag_format(&diags.v[i]);
		free(s);
	}
	diag_clear(&diags);
	if (f == NULL)
		return 0;

	a.n = f->nquestions;
	a.v = calloc(a.n ? a.n : 1, sizeof *a.v);
	if (a.v == NULL)
		abort();
	fuzz_eval_all(f, &a);
	for (i = 0; i < a.n; i++)
		fuzz_answer(
		    &f->questions[i], size ? data[i % size] : 0, &a.v[i]);
	fuzz_eval_all(f, &a);
	fuzz_visit(f, &a);
	for (i = 0; i < a.n; i++)
		value_clear(&a.v[i]);
	free(a.v);
	form_free(f);
	return 0;
}
