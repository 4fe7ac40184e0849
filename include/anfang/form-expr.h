/*
 * Expressions of show_if, constraint, warn_if and alert_if, with
 * three-valued logic: a comparison with an unanswered question is unknown.
 * Unknown hides a question, passes a constraint and raises no alert.
 */
#ifndef ANFANG_FORM_EXPR_H
#define ANFANG_FORM_EXPR_H

#include <stddef.h>

#include "anfang/diag.h"
#include "anfang/form.h"
#include "anfang/value.h"

enum form_expr_truth {
	FORM_EXPR_FALSE = 0,
	FORM_EXPR_TRUE = 1,
	FORM_EXPR_UNKNOWN = 2,
};

/* Longest expression accepted, and deepest nesting. */
#define FORM_EXPR_MAX_LEN   4096
#define FORM_EXPR_MAX_DEPTH 64

/*
 * Parse text.  pos is where the text starts in its file (for messages);
 * on error returns NULL and sets *cause and *errpos (the error's position).
 */
struct form_expr *form_expr_parse(const char *text, struct form_pos pos,
    char **cause, struct form_pos *errpos);
void form_expr_free(struct form_expr *);
const char *form_expr_text(const struct form_expr *);

/*
 * Resolve question ids against the form and check types, for the
 * expression of question self (the one `.` stands for, allowed only when
 * self_ok).  Every problem is added to diags; returns how many there were.
 */
int form_expr_bind(struct form_expr *, const struct form *, size_t self,
    int self_ok, const char *file, struct diag_list *diags);

/* Indices of the questions the (bound) expression reads, `.` included. */
size_t form_expr_refs(const struct form_expr *, size_t *out, size_t max);

/* The answer of question i, or NULL when it has none. */
typedef const struct value *(*form_expr_lookup)(void *arg, size_t i);

enum form_expr_truth form_expr_eval(
    const struct form_expr *, form_expr_lookup, void *arg);

#endif
