/*
 * Whole-form checks, once every question is loaded: expressions are bound
 * to questions and type-checked, and show_if conditions must not form a
 * cycle (a question whose visibility depends, at some remove, on itself).
 */
#include <stdlib.h>
#include <string.h>

#include "anfang/form-check.h"
#include "anfang/form-expr.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

enum { WHITE, GREY, BLACK };

/* One question on the walk's stack, with the show_if references left. */
struct frame {
	size_t q;
	size_t *refs;
	size_t nrefs;
	size_t next;
};

struct walk {
	const struct form *f;
	const char *file;
	struct diag_list *diags;
	int *colour;
	struct frame *stack; /* the questions being visited, outermost first */
	size_t depth;
	size_t *order; /* questions finished, each after those it reads */
	size_t norder;
	int errors;
};

static size_t
check_refs(const struct form_question *q, size_t **out)
{
	size_t n;

	*out = NULL;
	if (q->show_if == NULL)
		return 0;
	n = form_expr_refs(q->show_if, NULL, 0);
	*out = xcalloc(n ? n : 1, sizeof **out);
	form_expr_refs(q->show_if, *out, n);
	return n;
}

static void
check_report_cycle(struct walk *w, size_t from)
{
	const struct form_question *q = &w->f->questions[w->stack[from].q];
	size_t i, len = 0;
	char *msg, *p;

	for (i = from; i < w->depth; i++)
		len += strlen(w->f->questions[w->stack[i].q].id) + 4;
	len += strlen(q->id) + 1;
	msg = p = xmalloc(len);
	for (i = from; i < w->depth; i++)
		p += sprintf(p, "%s -> ", w->f->questions[w->stack[i].q].id);
	strcpy(p, q->id);
	diag_add(w->diags, w->file, q->pos.line, q->pos.col,
	    _("show_if cycle: %s (a question cannot depend on itself)"), msg);
	free(msg);
	w->errors++;
}

static void
check_push(struct walk *w, size_t q)
{
	struct frame *fr = &w->stack[w->depth++];

	w->colour[q] = GREY;
	fr->q = q;
	fr->nrefs = check_refs(&w->f->questions[q], &fr->refs);
	fr->next = 0;
}

/*
 * Depth-first search from question i, with its own stack rather than the
 * program's: a chain of show_if as long as the form must not overflow it.
 * Each question is added to the order once everything it reads is.
 */
static void
check_visit(struct walk *w, size_t i)
{
	struct frame *fr;
	size_t r, j;

	check_push(w, i);
	while (w->depth > 0) {
		fr = &w->stack[w->depth - 1];
		if (fr->next == fr->nrefs) {
			free(fr->refs);
			w->colour[fr->q] = BLACK;
			w->order[w->norder++] = fr->q;
			w->depth--;
			continue;
		}
		r = fr->refs[fr->next++];
		if (w->colour[r] == GREY) {
			for (j = 0; w->stack[j].q != r; j++)
				;
			check_report_cycle(w, j);
		} else if (w->colour[r] == WHITE)
			check_push(w, r);
	}
}

int
form_check(struct form *f, const char *file, struct diag_list *diags)
{
	struct form_question *q;
	struct walk w;
	int errors = 0;
	size_t i;

	for (i = 0; i < f->nquestions; i++) {
		q = &f->questions[i];
		if (q->show_if != NULL)
			errors +=
			    form_expr_bind(q->show_if, f, i, 0, file, diags);
		if (q->constraint != NULL)
			errors +=
			    form_expr_bind(q->constraint, f, i, 1, file, diags);
		if (q->warn_if != NULL)
			errors +=
			    form_expr_bind(q->warn_if, f, i, 1, file, diags);
		if (q->alert_if != NULL)
			errors +=
			    form_expr_bind(q->alert_if, f, i, 1, file, diags);
	}
	memset(&w, 0, sizeof w);
	w.f = f;
	w.file = file;
	w.diags = diags;
	w.colour = xcalloc(f->nquestions + 1, sizeof *w.colour);
	w.stack = xcalloc(f->nquestions + 1, sizeof *w.stack);
	w.order = xcalloc(f->nquestions + 1, sizeof *w.order);
	for (i = 0; i < f->nquestions; i++) {
		if (w.colour[i] == WHITE)
			check_visit(&w, i);
	}
	free(w.colour);
	free(w.stack);
	free(f->show_order);
	f->show_order = NULL;
	if (errors + w.errors == 0)
		f->show_order = w.order;
	else
		free(w.order);
	return errors + w.errors;
}

/* q's choice values as one text "a, b, c"; caller frees. */
static char *
check_choice_list(const struct form_question *q)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < q->nchoices; i++) {
		t = xasprintf("%s%s%s", s, i ? ", " : "", q->choices[i].value);
		free(s);
		s = t;
	}
	return s;
}

static int
check_same_target(const struct form_target *a, const struct form_target *b)
{
	return a->figure == b->figure && a->at_most == b->at_most &&
	       a->bound == b->bound &&
	       (a->of == b->of || (a->of != NULL && b->of != NULL &&
	                              strcmp(a->of, b->of) == 0));
}

static const char *const check_expr_names[] = { "show_if", "constraint",
	"warn_if", "alert_if" };

/* A question's check k, in the order of check_expr_names. */
static const struct form_expr *
check_expr_at(const struct form_question *q, size_t k)
{
	const struct form_expr *const e[] = { q->show_if, q->constraint,
		q->warn_if, q->alert_if };

	return e[k];
}

/* Whether twins give every answer the same points, whatever the order. */
static int
check_same_scores(const struct form_question *a, const struct form_question *b)
{
	size_t i, j;

	if (a->nscores != b->nscores)
		return 0;
	for (i = 0; i < a->nscores; i++) {
		for (j = 0; j < b->nscores; j++) {
			if (strcmp(a->scores[i].answer, b->scores[j].answer) ==
			    0)
				break;
		}
		if (j == b->nscores ||
		    a->scores[i].points != b->scores[j].points)
			return 0;
	}
	return 1;
}

/*
 * Whether two checks say the same: their texts alike, a run of blanks
 * counting as one (their words are ids and choice values, never
 * translated, so twins write them alike).
 */
static int
check_same_expr(const struct form_expr *a, const struct form_expr *b)
{
	const char *x, *y;

	if (a == NULL || b == NULL)
		return a == b;
	x = form_expr_text(a);
	y = form_expr_text(b);
	for (;;) {
		while (*x == ' ' || *x == '\t' || *x == '\n')
			x++;
		while (*y == ' ' || *y == '\t' || *y == '\n')
			y++;
		if (*x != *y)
			return 0;
		if (*x == '\0')
			return 1;
		/* a blank between two words still counts */
		if ((x[1] == ' ' || x[1] == '\t' || x[1] == '\n') !=
		    (y[1] == ' ' || y[1] == '\t' || y[1] == '\n'))
			return 0;
		x++;
		y++;
	}
}

int
form_check_family(const struct form *first, const struct form *f,
    const char *file, struct diag_list *diags)
{
	const struct form_question *a, *b;
	const char *there = first->path ? first->path : first->id;
	char *x, *y;
	size_t i, k;

	for (i = 0; i < f->nquestions && i < first->nquestions; i++) {
		a = &first->questions[i];
		b = &f->questions[i];
		if (strcmp(a->id, b->id) != 0) {
			diag_add(diags, file, b->pos.line, b->pos.col,
			    _("family %s: question %zu is \"%s\" here, \"%s\" "
			      "in "
			      "%s"),
			    f->family, i + 1, b->id, a->id, there);
			return -1;
		}
		if (a->type != b->type) {
			diag_add(diags, file, b->pos.line, b->pos.col,
			    _("family %s: %s is a %s question here, a %s in "
			      "%s"),
			    f->family, b->id, form_type_name(b->type),
			    form_type_name(a->type), there);
			return -1;
		}
		for (k = 0; k < a->nchoices && k < b->nchoices; k++) {
			if (strcmp(a->choices[k].value, b->choices[k].value) !=
			    0)
				break;
		}
		if (k < a->nchoices || k < b->nchoices) {
			x = check_choice_list(b);
			y = check_choice_list(a);
			diag_add(diags, file, b->pos.line, b->pos.col,
			    _("family %s: %s's choices are %s here, %s in %s"),
			    f->family, b->id, x, y, there);
			free(x);
			free(y);
			return -1;
		}
		if (!check_same_target(&a->target, &b->target)) {
			diag_add(diags, file,
			    b->target.figure ? b->target.pos.line : b->pos.line,
			    b->target.figure ? b->target.pos.col : b->pos.col,
			    _("family %s: %s's target is not the one in %s"),
			    f->family, b->id, there);
			return -1;
		}
		if (!check_same_scores(a, b)) {
			diag_add(diags, file, b->pos.line, b->pos.col,
			    _("family %s: %s's score is not the one in %s"),
			    f->family, b->id, there);
			return -1;
		}
		for (k = 0; k < 4; k++) {
			if (!check_same_expr(
			        check_expr_at(a, k), check_expr_at(b, k)))
				break;
		}
		if (k < 4 || a->severity != b->severity ||
		    a->required != b->required) {
			diag_add(diags, file, b->pos.line, b->pos.col,
			    _("family %s: %s's %s is not the one in %s"),
			    f->family, b->id,
			    k < 4                        ? check_expr_names[k]
			    : a->severity != b->severity ? "severity"
			                                 : "required",
			    there);
			return -1;
		}
	}
	if (f->nquestions != first->nquestions) {
		b = f->nquestions > i ? &f->questions[i] : NULL;
		diag_add(diags, file, b ? b->pos.line : 1, b ? b->pos.col : 1,
		    _("family %s: %zu questions here, %zu in %s"), f->family,
		    f->nquestions, first->nquestions, there);
		return -1;
	}
	return 0;
}
