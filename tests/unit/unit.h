/*
 * Shared helpers for the cmocka unit tests: load a form from a string and
 * look for a diagnostic at an exact position.
 */
#ifndef ANFANG_TESTS_UNIT_H
#define ANFANG_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "anfang/diag.h"
#include "anfang/form-load.h"
#include "anfang/form.h"

/* Load a form from YAML text; NULL when it has errors (left in diags). */
static inline struct form *
unit_form(const char *yaml, struct diag_list *diags)
{
	return form_load_mem("t.yaml", NULL, yaml, strlen(yaml), diags);
}

/* Print the diagnostics, to see what went wrong when a test fails. */
static inline void
unit_dump(const struct diag_list *diags)
{
	diag_print(diags, stderr, "  diag: ");
}

/* Whether some diagnostic is at line:col and contains text. */
static inline int
unit_has_diag(
    const struct diag_list *diags, int line, int col, const char *text)
{
	size_t i;

	for (i = 0; i < diags->n; i++) {
		if (diags->v[i].line == line && diags->v[i].col == col &&
		    strstr(diags->v[i].msg, text) != NULL)
			return 1;
	}
	unit_dump(diags);
	return 0;
}

#define assert_diag(diags, line, col, text)                                    \
	assert_true(unit_has_diag((diags), (line), (col), (text)))

#endif
