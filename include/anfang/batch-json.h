/*
 * The JSON forms of answers and visits (DESIGN.md section 3): read by
 * `record --answers`, written by `show --json` and `list --json`, and
 * carried by batches.  The only user of jansson.h.
 */
#ifndef ANFANG_BATCH_JSON_H
#define ANFANG_BATCH_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/audit.h"
#include "anfang/form.h"
#include "anfang/store-alert.h"
#include "anfang/store-visit.h"
#include "anfang/value.h"
#include "anfang/visit.h"

/*
 * Parse a JSON object of answers keyed by question id into out (one value
 * per question of f; absent stays VALUE_NONE).  -1 with *cause naming
 * each question and what is wrong, one line each.
 */
int batch_json_answers(const struct form *, const char *text, size_t len,
    struct value *out, char **cause);
/* A single answer given as JSON text (or, failing that, as plain text). */
int batch_json_answer(const struct form_question *, const char *text,
    struct value *out, char **cause);
/*
 * The whole visit, audit trail included; each alert with its state and
 * last handling from handled (the store's alert rows of this visit; NULL
 * and 0: every alert open, never handled).  Caller frees.
 */
char *batch_json_visit(const struct visit *, const struct audit_chain *,
    const char *audit_problem, const struct store_alert_row *handled,
    size_t nhandled);
/* One line of `list --json`, without a newline. Caller frees. */
char *batch_json_row(const struct store_visit_row *);
/*
 * A visit's current state, flat, on one line: id, form, unit_id, unit,
 * division, person, inspector (as given), took ("YYYY-MM-DD HH:MM" in the
 * place's local time), offset (minutes), answers (each question shown, by
 * id: its current value, amended if amended, null when unanswered; hidden
 * questions absent), score, score_max and alerts ([question, severity]
 * of each alert_if that fires).  What tests compare reports against.
 */
char *batch_json_truth(const struct visit *, const char *inspector);

/* A batch's header line (anfang-batch(5)), without a newline. */
char *batch_json_header(const char *id, const char *signer, long long seq,
    int64_t created, size_t visits, size_t forms);
/*
 * Read a header line: 0 with its version (1 or 2), id and signer (caller
 * frees), or -1 when it is not a header of this format and a version read.
 */
int batch_json_header_parse(const char *line, size_t len, int *version,
    char **id, char **signer, long long *seq, long long *visits,
    long long *forms);
/* A form line: the form's id, version, hash and text. */
char *batch_json_form_line(const struct form *);
/* Read a form line: 0 with its text, hash and form id (caller frees). */
int batch_json_form_parse(const char *line, size_t len, char **text,
    size_t *textlen, char **hash, char **form_id);

/*
 * A visit as one batch line of format 2 (compact JSON, stable key order,
 * UTF-8 unescaped): ids, form, unit, times, answers as given, reasons,
 * amendments, and the audit trail without what can be recomputed (entry
 * numbers and hashes), ended by the trail's head hash.  Caller frees.
 */
char *batch_json_visit_line(const struct visit *, const struct audit_chain *);
/*
 * The same line written straight into out, without building it in memory
 * first (export writes a line per visit): begin with the visit, an entry
 * of its trail at a time as it is read, then end with the hash of the last
 * entry.  The bytes are batch_json_visit_line's; end returns -1 when a
 * text is not UTF-8 (that line leaves such a value out: make it with
 * batch_json_visit_line), else 0.  out->len is the line's length (no
 * newline); the caller frees out->p.
 */
struct batch_json_out {
	char *p;
	size_t len;
	size_t cap;
	int bad; /* a text was not UTF-8 */
};
void batch_json_line_begin(struct batch_json_out *, const struct visit *);
void batch_json_line_entry(
    struct batch_json_out *, int64_t at, const char *event, const char *detail);
int batch_json_line_end(
    struct batch_json_out *, const unsigned char last[CRYPT_HASH_BYTES]);
/*
 * Read a visit line of the batch's format version back.  form_of finds a
 * form by its hash.  The visit does not own its form.  Format 2's trail is
 * rebuilt and must end at its head hash.  NULL with *cause when the line
 * is malformed.
 */
struct visit *batch_json_visit_parse(const char *line, size_t len, int version,
    struct form *(*form_of)(void *, const char *hash), void *arg,
    struct audit_chain *audit, char **cause);
/*
 * From a visit line as stored (one that was parsed whole before): the
 * answers, reasons and amendments into v, whose form and fields are set,
 * and the audit entries onto the end of audit, visit id; either may be
 * NULL.  -1 with *cause when the line is not what it was.
 */
int batch_json_visit_fill(const char *line, size_t len, struct visit *v,
    const char *id, struct audit_chain *audit, char **cause);

struct report;
/*
 * The whole report as one JSON document (anfang(1), REPORT JSON):
 * indented, keys in a fixed order, UTF-8 unescaped.  Caller frees.
 */
char *batch_json_report(const struct report *);

#endif
