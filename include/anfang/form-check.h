/*
 * Checks that need the whole form: expression ids and types, choices that
 * exist, and cycles among show_if conditions.
 */
#ifndef ANFANG_FORM_CHECK_H
#define ANFANG_FORM_CHECK_H

#include "anfang/diag.h"
#include "anfang/form.h"

/* Adds every problem to diags; returns how many there were. */
int form_check(struct form *, const char *file, struct diag_list *);

/*
 * Forms of one family (translations) are counted together: f must have
 * first's question ids, types, choice values and targets, in order.
 * -1 with a diagnostic at f's first difference.
 */
int form_check_family(const struct form *first, const struct form *f,
    const char *file, struct diag_list *);

#endif
