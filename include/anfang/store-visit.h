/*
 * Visits in the database.  Each call that changes a visit is one
 * transaction (or a savepoint inside the caller's) that also appends the
 * matching audit entry, so the draft on disk is always current.
 */
#ifndef ANFANG_STORE_VISIT_H
#define ANFANG_STORE_VISIT_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/store.h"
#include "anfang/visit.h"

/* One line of the visits list, without loading the visit. */
struct store_visit_row {
	const char *id;
	enum visit_status status;
	const char *form_id;
	long form_version;
	const char *form_title;
	const char *unit_name;
	const char *division; /* may be NULL */
	const char *person;
	int64_t started;
	int64_t finalized; /* 0 when not final */
	int64_t took;      /* when the visit took place */
	int took_offset;   /* minutes east of UTC there */
	long answered;
	long visible;
	long alerts;
};

/* A new visit, its form text (stored once) and its first answers. */
int store_visit_insert(
    struct store *, const struct visit *, int64_t now, char **cause);
/* Question q was answered (or cleared); old is the previous value. */
int store_visit_answer(struct store *, const struct visit *, size_t q,
    const struct value *old, int64_t now, char **cause);
/*
 * The same for an answer as typed (a stopwatch's time, "12:34"): the audit
 * entry keeps the text, "Q: OLD -> NEW (typed TEXT)".
 */
int store_visit_answer_typed(struct store *, const struct visit *, size_t q,
    const struct value *old, const char *typed, int64_t now, char **cause);
/* A stopwatch event ("timer started", "timer stopped", "timer reset"). */
int store_visit_timer(struct store *, const struct visit *, size_t q,
    const char *event, int64_t now, char **cause);
int store_visit_reason(
    struct store *, const struct visit *, size_t q, int64_t now, char **cause);
/* When the visit took place changed ("took place": the time with its
 * offset). */
int store_visit_took(
    struct store *, const struct visit *, int64_t now, char **cause);
int store_visit_finalize(struct store *, const struct visit *, char **cause);
/* The last amendment of v was just made. */
int store_visit_amend(struct store *, const struct visit *,
    const struct value *old, char **cause);
/*
 * What reports read of a final, exported or received visit, in step with
 * it: its score and the most reachable, the current (amended) value of
 * each question shown (VALUE_NONE when unanswered; hidden ones have no
 * row) and each alert that fires, replacing what was there.  Nothing for a
 * draft.  Inside the transaction that changes the visit: finalize, amend
 * and receive call it.
 */
int store_visit_derive(struct store *, const struct visit *, char **cause);
/* Delete a draft; finalized visits cannot be deleted. */
int store_visit_delete(
    struct store *, const char *id, int64_t now, char **cause);
/*
 * Load by id or a unique prefix of it (caller frees with visit_free): 1
 * found, 0 no such visit or more than one (*cause says which), -1 with
 * *cause when the database cannot be read.  A received visit's answers
 * are in the line it arrived in: then *line (caller frees) and *len hold
 * it, for the caller to decode (load.h), and v has none; otherwise *line
 * is NULL.
 */
int store_visit_find(struct store *, const char *id, struct visit **,
    char **line, size_t *len, char **cause);
/*
 * Call fn for each visit, newest first, optionally of one status (-1:
 * all), from offset, at most limit (0: all).  fn returning non-zero stops.
 */
int store_visit_list(struct store *, int status, size_t offset, size_t limit,
    int (*fn)(void *, const struct store_visit_row *), void *arg, char **cause);

/* A visit's place in the list's order: newest start first, then by id. */
struct store_visit_key {
	int64_t started;
	char id[VISIT_ID_LEN + 1];
};

/* Which visits the list shows. */
struct store_visit_filter {
	int status;       /* -1: all */
	const char *text; /* NULL or "": all; else in the unit's name or the
	                     form's title, or how the id begins */
};

/*
 * A page of the list, read by its key and not by counting from the top,
 * so that a page costs the same however far down it is: up to limit
 * visits passing f, strictly after *from in the list's order, nearest
 * first; with back, strictly before *from, nearest first (the list's
 * order reversed).  from NULL starts at the newest (back: the oldest).
 * A text filter reads past the visits it does not take.  fn returning
 * non-zero stops.  0, or -1 with *cause.
 */
int store_visit_page(struct store *, const struct store_visit_filter *f,
    const struct store_visit_key *from, int back, size_t limit,
    int (*fn)(void *, const struct store_visit_row *), void *arg, char **cause);
/*
 * Up to limit ids of the visits of one status, strictly after the id after
 * ("" from the first), in the order of ids: the order in which a visit's
 * answers and trail lie, so that going through many visits this way reads
 * and writes each page of those once.  fn returning non-zero stops.  0,
 * or -1 with *cause.
 */
int store_visit_ids(struct store *, int status, const char *after, size_t limit,
    int (*fn)(void *, const char *), void *arg, char **cause);
/*
 * How many visits pass f, counting no further than max: *n is max + 1
 * when there are more, so that counting costs no more than max rows.
 */
int store_visit_count(struct store *, const struct store_visit_filter *f,
    size_t max, size_t *n, char **cause);

#endif
