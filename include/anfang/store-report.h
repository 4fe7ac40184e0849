/*
 * The visits a report reads (report-source.h), from this program's store:
 * the rows kept for reports with each final, exported or received visit
 * (schema 5), never a received visit's line.
 */
#ifndef ANFANG_STORE_REPORT_H
#define ANFANG_STORE_REPORT_H

#include "anfang/report-source.h"
#include "anfang/store.h"

/*
 * A source over s, which must outlive it (free it with its free).  NULL
 * with *cause when the stored forms or keys cannot be read.
 */
struct report_source *store_report_source(struct store *, char **cause);

#endif
