/*
 * Where forms are found: --forms DIR alone, or else the user's
 * $XDG_CONFIG_HOME/anfang/forms and then the installed forms directory.
 */
#ifndef ANFANG_FORM_DIR_H
#define ANFANG_FORM_DIR_H

#include <stddef.h>

#include "anfang/diag.h"
#include "anfang/form.h"

struct form_dir_list {
	struct form **forms;
	size_t n;
};

/*
 * Load every form (form_dir_is_form) of the search path; broken ones are
 * left out and their errors added to diags, and so is one whose id and
 * version an earlier directory has.  Caller frees with form_dir_free.
 */
void form_dir_load(
    const char *override, struct form_dir_list *, struct diag_list *);
/* Whether a directory entry's name is a form's: NAME.yaml or NAME.yml,
 * not hidden. */
int form_dir_is_form(const char *name);
/* The directories searched, in order; NULL-terminated. Caller frees. */
char **form_dir_path(const char *override);
void form_dir_free(struct form_dir_list *);

#endif
