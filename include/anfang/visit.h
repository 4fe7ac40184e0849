/*
 * A visit: one inspection recorded on one form.  Pure rules, no SQL and no
 * terminal: which questions are visible, what an answer may be, the checks
 * (required, constraint, warn_if with its reason, alert_if), stopwatches,
 * finalizing and amendments.  The store persists what this decides.
 *
 * An answer to a hidden question is kept (the question may come back) but
 * counts as absent everywhere: in expressions, checks, scores and output.
 */
#ifndef ANFANG_VISIT_H
#define ANFANG_VISIT_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/form.h"
#include "anfang/value.h"

#define VISIT_ID_LEN 12

enum visit_status {
	VISIT_DRAFT,
	VISIT_FINAL,
	VISIT_EXPORTED,
	VISIT_RECEIVED,
};

struct visit_timer {
	int64_t elapsed_ms;    /* of the intervals already stopped */
	int64_t running_since; /* ms since the epoch, 0 when stopped */
};

struct visit_amendment {
	size_t question;
	struct value value;
	char *reason;
	int64_t at;
};

struct visit {
	char id[VISIT_ID_LEN + 1];
	struct form *form; /* owned when owns_form */
	int owns_form;
	char *unit_id;
	char *unit_name;
	char *division; /* NULL when not given */
	char *person;
	int64_t started; /* ms since the epoch */
	/* When the visit took place (reports count by it), at first its
	 * start; took_offset: the place's UTC offset then, in minutes. */
	int64_t took;
	int took_offset;
	int64_t finalized;
	enum visit_status status;

	/* One of each per question of the form. */
	struct value *answers; /* as given, before amendments */
	int64_t *answered_at;
	struct visit_timer *timers;
	char **reasons; /* why a warn_if check is accepted */

	struct visit_amendment *amendments;
	size_t namendments;

	signed char *visible; /* private: memoised visibility, -1 unknown */
};

enum visit_problem_kind {
	VISIT_MISSING,      /* a required visible question has no answer */
	VISIT_CONSTRAINT,   /* a constraint fails */
	VISIT_NEEDS_REASON, /* a warn_if check fires and has no reason */
	VISIT_TIMER_RUNNING /* a stopwatch is still running */
};

struct visit_problem {
	enum visit_problem_kind kind;
	size_t question;
};

const char *visit_status_name(enum visit_status);
/* The status as a person reads it, in the interface language (the name is
 * what is stored and exchanged). */
const char *visit_status_label(enum visit_status);
int visit_status_from_name(const char *, enum visit_status *);

/*
 * A new draft.  The unit must be one of the form's units (by id or name)
 * when the form lists them; division and person follow the form's visit
 * settings.  NULL with *cause when something is wrong.  The visit owns the
 * form when owns_form.
 */
struct visit *visit_new(struct form *, int owns_form, const char *unit,
    const char *division, const char *person, int64_t now, char **cause);
/*
 * A copy of everything a change may touch (answers, times, stopwatches,
 * reasons, amendments, status), sharing v's form.  visit_restore puts it
 * back into v and frees it; visit_free drops it.
 */
struct visit *visit_snapshot(const struct visit *);
void visit_restore(struct visit *, struct visit *snapshot);
/* An empty visit to be filled by the store. */
struct visit *visit_alloc(struct form *, int owns_form);
void visit_free(struct visit *);
/* Forget memoised state after changing a visit's fields directly. */
void visit_changed(struct visit *);

int visit_visible(const struct visit *, size_t q);
/* The answer that counts (amended if amended), NULL when absent. */
const struct value *visit_value(const struct visit *, size_t q);
/*
 * A default is a suggestion, not an answer, until the inspector keeps it:
 * the default of a visible, unanswered question of a draft, else NULL.
 */
const struct value *visit_suggestion(const struct visit *, size_t q);
/* Whether v is an acceptable answer to q (type, range, choices ...). */
int visit_check_value(
    const struct visit *, size_t q, const struct value *v, char **cause);
/* Answer q (v NULL or VALUE_NONE clears it).  Drafts only. */
int visit_answer(
    struct visit *, size_t q, const struct value *v, int64_t now, char **cause);
int visit_set_reason(
    struct visit *, size_t q, const char *reason, char **cause);

/*
 * When the visit took place: ms since the epoch, at a place offset minutes
 * east of UTC.  Drafts only; not after now.
 */
int visit_set_took(
    struct visit *, int64_t ms, int offset, int64_t now, char **cause);

/* Stopwatches: the answer is the whole seconds of all intervals. */
int visit_timer_start(struct visit *, size_t q, int64_t now, char **cause);
int visit_timer_stop(struct visit *, size_t q, int64_t now, char **cause);
int visit_timer_reset(struct visit *, size_t q, char **cause);
int64_t visit_timer_ms(const struct visit *, size_t q, int64_t now);
/* count: add delta (+1 or -1), never below the minimum. */
int visit_count_add(
    struct visit *, size_t q, int delta, int64_t now, char **cause);

/* Checks of a visible answered question. */
int visit_constraint_fails(const struct visit *, size_t q);
int visit_warns(const struct visit *, size_t q);
int visit_alerts(const struct visit *, size_t q);

/* Everything that stops finalizing, in form order. Caller frees. */
size_t visit_problems(const struct visit *, struct visit_problem **);
/* "fee: 金額必須大於 0" and the like. Caller frees. */
char *visit_problem_text(const struct visit *, const struct visit_problem *);
int visit_finalize(struct visit *, int64_t now, char **cause);

/* One answer of an amendment; VALUE_NONE clears it. */
struct visit_amend_answer {
	size_t question;
	const struct value *value;
};
/*
 * Amend a final visit: n answers (each question once) for one reason, and
 * the reasons for the soft checks they raise (warn_reasons: one per
 * question of the form, NULL where none; may be NULL).  The amended visit
 * must pass everything finalizing checks (required answers, constraints,
 * soft checks with reasons); otherwise v is left as it was and *cause
 * lists every problem.
 */
int visit_amend_answers(struct visit *, const struct visit_amend_answer *,
    size_t n, const char *reason, char *const *warn_reasons, int64_t now,
    char **cause);
/* One answer, no soft-check reasons. */
int visit_amend(struct visit *, size_t q, const struct value *v,
    const char *reason, int64_t now, char **cause);

double visit_score(const struct visit *);
/*
 * The most points reachable on the questions shown: for each visible
 * scored question, its best answer (any answer not listed scores 0, and a
 * question that need not be answered can score 0 by leaving it); a multi
 * question's best is all its options that score above 0.
 */
double visit_score_max(const struct visit *);
void visit_progress(const struct visit *, size_t *answered, size_t *visible);
size_t visit_alert_count(const struct visit *);

#endif
