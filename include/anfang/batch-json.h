/*
 * The JSON forms of answers and visits (DESIGN.md section 3): read by
 * `record --answers`, written by `show --json` and `list --json`, and
 * carried by batches.  The only user of jansson.h.
 */
#ifndef ANFANG_BATCH_JSON_H
#define ANFANG_BATCH_JSON_H

#include <stddef.h>

#include "anfang/audit.h"
#include "anfang/form.h"
#include "anfang/store-visit.h"
#include "anfang/value.h"
#include "anfang/visit.h"

/*
 * Parse a JSON object of answers keyed by question id into out (one value
 * per question of f; absent stays VALUE_NONE).  -1 with *cause naming the
 * question and what is wrong.
 */
int batch_json_answers(const struct form *, const char *text, size_t len,
    struct value *out, char **cause);
/* A single answer given as JSON text (or, failing that, as plain text). */
int batch_json_answer(const struct form_question *, const char *text,
    struct value *out, char **cause);
/* The whole visit, audit trail included. Caller frees. */
char *batch_json_visit(const struct visit *, const struct audit_chain *,
    const char *audit_problem);
/* One line of `list --json`, without a newline. Caller frees. */
char *batch_json_row(const struct store_visit_row *);

#endif
