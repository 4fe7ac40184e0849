/*
 * Where a report's visits come from.  The aggregation (report.c) reads
 * visits through this interface only, never SQL, so that the same report
 * can later run over another store (a shared PostgreSQL, say).
 * store-report.c implements it over this program's store.
 *
 * A report covers one family of forms: translations that share question
 * ids, types and choice values (form.family), or one form by its id when
 * it names no family.
 *
 * Times: took is UTC (ms since the epoch); a visit's local time is
 * took + took_offset minutes.  Periods are in local time, written as ms
 * since the epoch as if local time were UTC ("local ms").
 */
#ifndef ANFANG_REPORT_SOURCE_H
#define ANFANG_REPORT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/form.h"
#include "anfang/value.h"

enum report_alert_state {
	REPORT_ALERT_OPEN,
	REPORT_ALERT_CLOSED,
};

/* One alert_if that fired on a visit, and what became of it. */
struct report_alert {
	size_t question; /* index in the visit's form */
	enum form_severity severity;
	enum report_alert_state state;
	const char *note; /* how it was handled; NULL while open */
	const char *by;   /* key id of who handled it; NULL while open */
	int64_t at;       /* when it was handled (ms, UTC); 0 while open */
};

/* One final, exported or received visit, with its current values. */
struct report_visit {
	const char *id;
	const struct form *form; /* the visit's own form, one of the family */
	const char *unit_id;
	const char *unit_name;
	const char *division; /* NULL when not given */
	const char *person;   /* NULL when not given */
	/*
	 * Who signed it: the keyring label of a received visit's signer (its
	 * key id when the keyring has no label), this database's own signing
	 * key label for its own visits.
	 */
	const char *inspector;
	int64_t took;    /* when it took place: ms since the epoch, UTC */
	int took_offset; /* the place's UTC offset then, in minutes */
	int64_t finalized;
	int status;       /* enum visit_status: final, exported or received */
	double score;     /* points of the current answers */
	double score_max; /* the most points reachable on the questions shown */
	/*
	 * One of each per question of form: the current (amended) value,
	 * VALUE_NONE when unanswered or hidden; whether it was shown.
	 */
	const struct value *values;
	const unsigned char *seen;
	const struct report_alert *alerts;
	size_t nalerts;
};

/* Called once per visit; a non-zero return stops the walk and is returned. */
typedef int (*report_visit_fn)(void *arg, const struct report_visit *);

struct report_source {
	/*
	 * Every family (or lone form id) that has at least one visit, the
	 * most recently taken first.  The source owns the strings.
	 */
	int (*families)(struct report_source *, const char *const **names,
	    size_t *n, char **cause);
	/*
	 * The forms of a family, any order; a lone form by its id.  *n is 0
	 * when nothing is called so.  The source owns the forms.
	 */
	int (*forms)(struct report_source *, const char *family,
	    struct form *const **forms, size_t *n, char **cause);
	/*
	 * The local times of the family's first and last visits; 0 with
	 * *any 0 when it has none.
	 */
	int (*span)(struct report_source *, const char *family, int *any,
	    int64_t *first, int64_t *last, char **cause);
	/*
	 * Every visit of the family whose local time lies in [from, to),
	 * in order of took then id, streamed: memory does not grow with the
	 * number of visits.  What fn is given lives until it returns.
	 * texts: whether fn reads free texts (answers that are none of their
	 * question's choices: text, date, time); without, each is the empty
	 * string, and the source need not read them (most of the bytes).
	 * 0 when done, fn's non-zero return, or -1 with *cause.
	 */
	int (*each)(struct report_source *, const char *family, int64_t from,
	    int64_t to, int texts, report_visit_fn fn, void *arg, char **cause);
	void (*free)(struct report_source *);
	void *data;
};

#endif
