/* Loading a form (and its sites file) from YAML; the only user of yaml.h. */
#ifndef ANFANG_FORM_LOAD_H
#define ANFANG_FORM_LOAD_H

#include <stddef.h>

#include "anfang/diag.h"
#include "anfang/form.h"

/* Largest form or sites file accepted. */
#define FORM_LOAD_MAX_BYTES (4u * 1024 * 1024)

/*
 * Load and fully check a form.  Returns NULL when there is any error, all of
 * which are added to diags as file:line:col messages.  Caller frees.
 */
struct form *form_load_file(const char *path, struct diag_list *);
/*
 * The same from memory; name is used in messages and dir is where a sites
 * file is looked for.  With dir NULL a sites file is not read (the form
 * has no units): that is how stored form texts are loaded.
 */
struct form *form_load_mem(const char *name, const char *dir, const char *buf,
    size_t len, struct diag_list *);

#endif
