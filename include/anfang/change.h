/*
 * A change to a visit is one call: it applies the change to the visit in
 * memory and stores it (with its audit entry) in one transaction.  When
 * either step fails the visit in memory is left exactly as it was, so
 * what a screen or command shows is what is on disk.  Screens and
 * commands change visits only through here.
 */
#ifndef ANFANG_CHANGE_H
#define ANFANG_CHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/store.h"
#include "anfang/visit.h"

/*
 * Every change returns 0, CHANGE_REFUSED when the visit's rules refuse it,
 * or CHANGE_UNSAVED when storing it failed; *cause says why.
 */
#define CHANGE_REFUSED (-1)
#define CHANGE_UNSAVED (-2)

enum change_timer {
	CHANGE_TIMER_START,
	CHANGE_TIMER_STOP,
	CHANGE_TIMER_RESET,
};

/*
 * A new visit, with whatever it already holds (answers and reasons, each
 * with its audit entry as if given one by one).  Nothing in v changes.
 */
int change_insert(struct store *, struct visit *, int64_t now, char **cause);
/* Answer q (v NULL or VALUE_NONE clears it). */
int change_answer(struct store *, struct visit *, size_t q,
    const struct value *val, int64_t now, char **cause);
/* The same, the answer as typed kept in the audit trail (a stopwatch's
 * time: "12:34"). */
int change_answer_typed(struct store *, struct visit *, size_t q,
    const struct value *val, const char *typed, int64_t now, char **cause);
/*
 * The inspector has seen q and kept its default: it becomes the answer.
 * 0 also when there is nothing to keep (answered, no default, hidden).
 */
int change_keep_default(
    struct store *, struct visit *, size_t q, int64_t now, char **cause);
/* The reason for q's soft check (NULL or "" removes it). */
int change_reason(struct store *, struct visit *, size_t q, const char *reason,
    int64_t now, char **cause);
int change_timer(struct store *, struct visit *, size_t q, enum change_timer,
    int64_t now, char **cause);
/* count: add delta (+1 or -1). */
int change_count(struct store *, struct visit *, size_t q, int delta,
    int64_t now, char **cause);
/* When the visit took place (visit_set_took). */
int change_took(struct store *, struct visit *, int64_t ms, int offset,
    int64_t now, char **cause);
int change_finalize(struct store *, struct visit *, int64_t now, char **cause);
/* visit_amend_answers, stored: one audit entry per answer and per reason. */
int change_amend(struct store *, struct visit *,
    const struct visit_amend_answer *, size_t n, const char *reason,
    char *const *warn_reasons, int64_t now, char **cause);

#endif
