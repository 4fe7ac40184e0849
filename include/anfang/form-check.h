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

#endif
