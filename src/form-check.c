/*
 * Whole-form checks, once every question is loaded: expressions are bound
 * to questions and type-checked, and show_if conditions must not form a
 * cycle (a question whose visibility depends, at some remove, on itself).
 */
#include <stdlib.h>
#include <string.h>

#include "anfang/form-check.h"
#include "anfang/form-expr.h"
#include "anfang/xmalloc.h"

enum { WHITE, GREY, BLACK };

struct walk {
	const struct form *f;
	const char *file;
	struct diag_list *diags;
	int *colour;
	size_t *path;
	size_t depth;
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
	const struct form_question *q = &w->f->questions[w->path[from]];
	size_t i, len = 0;
	char *msg, *p;

	for (i = from; i < w->depth; i++)
		len += strlen(w->f->questions[w->path[i]].id) + 4;
	len += strlen(q->id) + 1;
	msg = p = xmalloc(len);
	for (i = from; i < w->depth; i++)
		p += sprintf(p, "%s -> ", w->f->questions[w->path[i]].id);
	strcpy(p, q->id);
	diag_add(w->diags, w->file, q->pos.line, q->pos.col,
	    "show_if cycle: %s (a question cannot depend on itself)", msg);
	free(msg);
	w->errors++;
}

/* Depth-first search; recursion is at most as deep as the form is long. */
static void
check_visit(struct walk *w, size_t i)
{
	size_t *refs, n, k, j;

	w->colour[i] = GREY;
	w->path[w->depth++] = i;
	n = check_refs(&w->f->questions[i], &refs);
	for (k = 0; k < n; k++) {
		if (w->colour[refs[k]] == GREY) {
			for (j = 0; w->path[j] != refs[k]; j++)
				;
			check_report_cycle(w, j);
		} else if (w->colour[refs[k]] == WHITE)
			check_visit(w, refs[k]);
	}
	free(refs);
	w->depth--;
	w->colour[i] = BLACK;
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
	w.path = xcalloc(f->nquestions + 1, sizeof *w.path);
	for (i = 0; i < f->nquestions; i++) {
		if (w.colour[i] == WHITE)
			check_visit(&w, i);
	}
	free(w.colour);
	free(w.path);
	return errors + w.errors;
}
