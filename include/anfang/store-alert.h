/*
 * The alert queue: each alert_if that fired on a final, exported or
 * received visit (schema 5's report rows), and what a supervisor did about
 * it.  Closing and reopening keep the current state beside the visit and
 * an entry in the database's own audit trail (the chain ""), so that a
 * received visit stays exactly as it arrived, its trail intact.
 */
#ifndef ANFANG_STORE_ALERT_H
#define ANFANG_STORE_ALERT_H

#include <stdint.h>

#include "anfang/store.h"

struct store_alert_row {
	const char *visit;
	const char *question;
	int severity; /* enum form_severity */
	const char *form_hash;
	const char *unit_name;
	const char *division; /* NULL when not given */
	const char *person;   /* NULL when not given */
	int64_t took;         /* when the visit took place (UTC ms) */
	int took_offset;      /* minutes; this machine's then when unknown */
	int closed;           /* 1 closed, 0 open */
	/* The last handling (closed, or reopened): NULL and 0 when none. */
	const char *note;
	const char *by;
	int64_t at;
};

struct store_alert_filter {
	int open_only;
	int severity;      /* 0: any */
	const char *visit; /* NULL: any */
	const char *batch; /* visits received in this batch; NULL: any */
};

/* Matching alerts, high severity first, then the newest; fn non-zero
 * stops. */
int store_alert_list(struct store *, const struct store_alert_filter *,
    int (*fn)(void *, const struct store_alert_row *), void *arg, char **cause);
/*
 * Close (closed 1) or reopen (0) the alert of question on visit (its id or
 * a unique prefix), by key id by at time at, with a note (NULL for none),
 * and its entry in the database's audit trail: "alert closed" or "alert
 * reopened", "VISIT QUESTION: NOTE".  1 done; 0 with *cause when there is
 * no such visit (final, exported or received); 2 with *cause when it has
 * no such alert or the alert is already closed (open); -1 with *cause.
 */
int store_alert_handle(struct store *, const char *visit, const char *question,
    int closed, const char *note, const char *by, int64_t at, char **cause);

#endif
