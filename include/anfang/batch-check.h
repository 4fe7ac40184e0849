/*
 * What import checks in each received visit beyond its shape, since a
 * trusted key can sign anything: that it is a finalized visit, that its
 * audit trail replays to the answers, reasons and amendments it claims,
 * and that the form's rules hold as finalizing and amending apply them.
 * Pure rules, no database: see anfang-batch(5).
 */
#ifndef ANFANG_BATCH_CHECK_H
#define ANFANG_BATCH_CHECK_H

#include "anfang/audit.h"
#include "anfang/visit.h"

/*
 * 0 when v (as read from a batch line, with its trail c) is one that
 * anfang could have written: an id of its alphabet, an intact chain; else
 * -1 with *cause
 * naming the visit, the question where there is one, and the reason.
 * v is left as it was.
 */
int batch_check_visit(
    struct visit *v, const struct audit_chain *c, char **cause);

#endif
