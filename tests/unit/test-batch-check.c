/*
 * batch_check_visit: what import checks in a received visit.  The visits
 * are made in a real database through the store's own calls, so that
 * their audit trails are the ones anfang writes, intact as chains; the
 * bad ones are finalized or amended past the form's rules (the store does
 * not apply them: a changed program signing with a trusted key could do
 * the same).  Each must be refused naming its question and reason; the
 * genuine ones, amended and exported, stopwatch included, pass.
 */
#include "unit.h"
#include "unit-db.h"

#include <stdlib.h>
#include <unistd.h>

#include "anfang/audit.h"
#include "anfang/batch-check.h"
#include "anfang/crypt.h"
#include "anfang/load.h"
#include "anfang/store-batch.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

#define T0 1767225600000LL /* 2026-01-01 */

static const char rules_form[] = "form: rules\n"
                                 "version: 1\n"
                                 "title: Rules\n"
                                 "language: en\n"
                                 "units: [here]\n"
                                 "sections:\n"
                                 "  - title: S\n"
                                 "    questions:\n"
                                 "      - id: fee\n"
                                 "        type: number\n"
                                 "        label: Fee\n"
                                 "        constraint: . > 0\n"
                                 "        constraint_message: more than 0\n"
                                 "      - id: name\n"
                                 "        type: text\n"
                                 "        label: Name\n"
                                 "        required: true\n"
                                 "      - id: temp\n"
                                 "        type: number\n"
                                 "        label: T\n"
                                 "        warn_if: . > 5\n"
                                 "        warn_message: too warm\n"
                                 "      - id: hot\n"
                                 "        type: yesno\n"
                                 "        label: Hot?\n"
                                 "      - id: hot_temp\n"
                                 "        type: number\n"
                                 "        label: Hot T\n"
                                 "        show_if: hot\n"
                                 "        required: true\n"
                                 "      - id: wait\n"
                                 "        type: timer\n"
                                 "        label: Wait\n";

struct fixture {
	char dir[64];
	struct store *s;
	struct form *f;
	struct visit *v;
	struct audit_chain c;
};

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct crypt_mem *pass;
	char *path, *cause = NULL;

	if (crypt_init(&cause) != 0)
		return -1;
	pass = unit_secret("batch check pass");

	strcpy(fx->dir, "/tmp/anfang-check-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	path = xasprintf("%s/db", fx->dir);
	if (store_create(path, pass, CRYPT_KDF_INTERACTIVE, NULL, NULL, &fx->s,
	        &cause) != STORE_OK) {
		fprintf(stderr, "create: %s\n", cause);
		return -1;
	}
	free(path);
	crypt_mem_free(pass);
	fx->f = unit_form_ok(rules_form);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_close(fx->s);
	form_free(fx->f);
	unit_remove_tree(fx->dir);
	free(fx);
	return 0;
}

static int
each_teardown(void **state)
{
	struct fixture *fx = *state;

	visit_free(fx->v);
	fx->v = NULL;
	audit_chain_free(&fx->c);
	return 0;
}

static void
start(struct fixture *fx)
{
	char *cause = NULL;

	fx->v = visit_new(fx->f, 0, "here", NULL, NULL, T0, &cause);
	assert_non_null(fx->v);
	assert_int_equal(store_visit_insert(fx->s, fx->v, T0, &cause), 0);
}

static void
answer(struct fixture *fx, const char *id, const struct value *x, int64_t at)
{
	size_t q = unit_qi(fx->v, id);
	struct value old = { 0 };
	char *cause = NULL;

	value_copy(&old, &fx->v->answers[q]);
	assert_int_equal(visit_answer(fx->v, q, x, at, &cause), 0);
	assert_int_equal(
	    store_visit_answer(fx->s, fx->v, q, &old, at, &cause), 0);
	value_clear(&old);
}

static void
number(struct fixture *fx, const char *id, double n, int64_t at)
{
	struct value x = { 0 };

	value_number(&x, n);
	answer(fx, id, &x, at);
	value_clear(&x);
}

static void
text(struct fixture *fx, const char *id, const char *s, int64_t at)
{
	struct value x = { 0 };

	value_string(&x, s);
	answer(fx, id, &x, at);
	value_clear(&x);
}

static void
reason(struct fixture *fx, const char *id, const char *why, int64_t at)
{
	size_t q = unit_qi(fx->v, id);
	char *cause = NULL;

	assert_int_equal(visit_set_reason(fx->v, q, why, &cause), 0);
	assert_int_equal(store_visit_reason(fx->s, fx->v, q, at, &cause), 0);
}

/* Finalized by the store alone: the form's rules are not applied. */
static void
finalize(struct fixture *fx, int64_t at)
{
	char *cause = NULL;

	fx->v->status = VISIT_FINAL;
	fx->v->finalized = at;
	assert_int_equal(store_visit_finalize(fx->s, fx->v, &cause), 0);
}

/* An amendment the store takes without visit_amend's checks. */
static void
amend_value(
    struct fixture *fx, const char *id, const struct value *x, int64_t at)
{
	struct visit *v = fx->v;
	size_t q = unit_qi(v, id);
	struct visit_amendment *a;
	struct value old = { 0 };
	char *cause = NULL;

	if (visit_value(v, q) != NULL)
		value_copy(&old, visit_value(v, q));
	v->amendments = xreallocarray(
	    v->amendments, v->namendments + 1, sizeof *v->amendments);
	a = &v->amendments[v->namendments++];
	memset(a, 0, sizeof *a);
	a->question = q;
	value_copy(&a->value, x);
	a->reason = xstrdup("corrected");
	a->at = at;
	visit_changed(v);
	assert_int_equal(store_visit_amend(fx->s, v, &old, &cause), 0);
	value_clear(&old);
}

static void
amend(struct fixture *fx, const char *id, double n, int64_t at)
{
	struct value x = { 0 };

	value_number(&x, n);
	amend_value(fx, id, &x, at);
	value_clear(&x);
}

/* A visit that passes everything, up to (not including) finalizing. */
static void
good(struct fixture *fx)
{
	start(fx);
	number(fx, "fee", 200, T0 + 1000);
	text(fx, "name", "Ann", T0 + 2000);
	number(fx, "temp", 7, T0 + 3000);
	reason(fx, "temp", "checked twice", T0 + 4000);
}

/* The check of the visit as it stands with its trail from the store. */
static char *
check(struct fixture *fx)
{
	unsigned char head[CRYPT_HASH_BYTES];
	char *cause = NULL;
	int64_t count;

	audit_chain_free(&fx->c);
	assert_int_equal(
	    load_chain(fx->s, fx->v->id, &fx->c, head, &count, &cause), 0);
	if (batch_check_visit(fx->v, &fx->c, &cause) == 0)
		return NULL;
	return cause;
}

static void
assert_refused(struct fixture *fx, const char *want)
{
	char *why = check(fx);

	if (why == NULL || strstr(why, want) == NULL)
		fprintf(stderr, "  want \"%s\", got \"%s\"\n", want,
		    why ? why : "(passed)");
	assert_non_null(why);
	assert_non_null(strstr(why, fx->v->id));
	assert_non_null(strstr(why, want));
	free(why);
}

static void
test_good_passes(void **state)
{
	struct fixture *fx = *state;

	good(fx);
	finalize(fx, T0 + 5000);
	assert_null(check(fx));
}

static void
test_constraint(void **state)
{
	struct fixture *fx = *state;

	good(fx);
	number(fx, "fee", 0, T0 + 4500);
	finalize(fx, T0 + 5000);
	assert_refused(fx, "fee: more than 0");
}

static void
test_required(void **state)
{
	struct fixture *fx = *state;

	start(fx);
	number(fx, "fee", 200, T0 + 1000);
	finalize(fx, T0 + 5000);
	assert_refused(fx, "name: required, not answered");
}

static void
test_reason(void **state)
{
	struct fixture *fx = *state;

	start(fx);
	number(fx, "fee", 200, T0 + 1000);
	text(fx, "name", "Ann", T0 + 2000);
	number(fx, "temp", 7, T0 + 3000);
	finalize(fx, T0 + 5000);
	assert_refused(fx, "temp: too warm (give a reason)");
}

static void
test_not_final(void **state)
{
	struct fixture *fx = *state;

	good(fx);
	assert_refused(fx, "it is draft, not final");
	fx->v->status = VISIT_FINAL;
	fx->v->finalized = T0 + 5000;
	/* final by its fields, but its trail never finalized it */
	assert_refused(fx, "its audit trail does not finalize it");
}

static void
test_finalized_time(void **state)
{
	struct fixture *fx = *state;

	good(fx);
	finalize(fx, T0 + 5000);
	fx->v->finalized = T0 + 6000;
	assert_refused(fx, "finalized at another time");
}

static void
test_answer_not_in_trail(void **state)
{
	struct fixture *fx = *state;
	size_t q;

	good(fx);
	finalize(fx, T0 + 5000);
	q = unit_qi(fx->v, "fee");
	value_number(&fx->v->answers[q], 0);
	visit_changed(fx->v);
	assert_refused(fx, "fee: the answer is not the one its audit trail "
	                   "gives (200)");
	value_number(&fx->v->answers[q], 200);
	/* an answer to a hidden question the trail never gave */
	value_number(&fx->v->answers[unit_qi(fx->v, "hot_temp")], 70);
	assert_refused(fx, "hot_temp: the answer is not the one");
}

static void
test_reason_not_in_trail(void **state)
{
	struct fixture *fx = *state;
	size_t q;

	good(fx);
	finalize(fx, T0 + 5000);
	q = unit_qi(fx->v, "temp");
	free(fx->v->reasons[q]);
	fx->v->reasons[q] = xstrdup("something else");
	assert_refused(fx, "temp: the reason is not the one");
}

static void
test_trail_cut(void **state)
{
	struct fixture *fx = *state;
	char *why;
	size_t n;

	good(fx);
	finalize(fx, T0 + 5000);
	assert_null(check(fx));
	n = fx->c.n;
	/* the first two entries are a chain of their own */
	fx->c.n = 2;
	assert_int_equal(batch_check_visit(fx->v, &fx->c, &why), -1);
	assert_non_null(strstr(why, "its audit trail does not finalize it"));
	free(why);
	fx->c.n = 0;
	assert_int_equal(batch_check_visit(fx->v, &fx->c, &why), -1);
	assert_non_null(strstr(why, "it has no audit trail"));
	free(why);
	fx->c.n = n; /* as the store made it, for audit_chain_free */
}

static void
test_amendment_breaks_rule(void **state)
{
	struct fixture *fx = *state;

	good(fx);
	finalize(fx, T0 + 5000);
	amend(fx, "fee", 0, T0 + 9000);
	assert_refused(fx, "amended: fee: more than 0");
}

static void
test_amended_exported(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;

	good(fx);
	finalize(fx, T0 + 5000);
	assert_int_equal(store_batch_mark(fx->s, fx->v->id, "222222222222",
	                     T0 + 6000, &cause),
	    0);
	amend(fx, "fee", 150, T0 + 9000);
	amend(fx, "fee", 120, T0 + 9500);
	assert_null(check(fx));
	/* an amendment changed, or one the trail does not have */
	fx->v->amendments[1].value.n = 100;
	assert_refused(fx, "fee: amendment 2 is not the one");
	fx->v->amendments[1].value.n = 120;
	fx->v->namendments = 1;
	assert_refused(fx, "an amendment the visit does not have");
	fx->v->namendments = 2;
}

/*
 * Two answers amended together: the first alone would leave a required
 * follow-up unanswered; together they pass, as amending takes them.
 */
static void
test_amended_together(void **state)
{
	struct fixture *fx = *state;
	struct value yes = { 0 };

	good(fx);
	finalize(fx, T0 + 5000);
	value_bool(&yes, 1);
	amend_value(fx, "hot", &yes, T0 + 9000);
	assert_refused(fx, "amended: hot_temp: required, not answered");
	amend(fx, "hot_temp", 70, T0 + 9000);
	assert_null(check(fx));
}

/* A soft check an amendment raises takes its reason after it. */
static void
test_amendment_reason(void **state)
{
	struct fixture *fx = *state;
	size_t q;
	char *cause = NULL;

	start(fx);
	number(fx, "fee", 200, T0 + 1000);
	text(fx, "name", "Ann", T0 + 2000);
	number(fx, "temp", 3, T0 + 3000);
	finalize(fx, T0 + 5000);
	q = unit_qi(fx->v, "temp");
	/* a reason after finalizing, with no amendment: refused */
	fx->v->reasons[q] = xstrdup("early");
	assert_int_equal(
	    store_visit_reason(fx->s, fx->v, q, T0 + 5500, &cause), 0);
	assert_refused(fx, "temp: reason given after finalizing");
	audit_chain_free(&fx->c);
	visit_free(fx->v);
	fx->v = NULL;

	start(fx);
	number(fx, "fee", 200, T0 + 1000);
	text(fx, "name", "Ann", T0 + 2000);
	number(fx, "temp", 3, T0 + 3000);
	finalize(fx, T0 + 5000);
	amend(fx, "temp", 9, T0 + 9000);
	assert_refused(fx, "amended: temp: too warm (give a reason)");
	fx->v->reasons[q] = xstrdup("the fridge was open");
	assert_int_equal(
	    store_visit_reason(fx->s, fx->v, q, T0 + 9000, &cause), 0);
	assert_null(check(fx));
}

static void
test_stopwatch(void **state)
{
	struct fixture *fx = *state;
	size_t q;
	char *cause = NULL;

	good(fx);
	q = unit_qi(fx->v, "wait");
	assert_int_equal(visit_timer_start(fx->v, q, T0 + 4100, &cause), 0);
	assert_int_equal(store_visit_timer(fx->s, fx->v, q, "timer started",
	                     T0 + 4100, &cause),
	    0);
	assert_int_equal(visit_timer_stop(fx->v, q, T0 + 65100, &cause), 0);
	assert_int_equal(store_visit_timer(fx->s, fx->v, q, "timer stopped",
	                     T0 + 65100, &cause),
	    0);
	finalize(fx, T0 + 70000);
	assert_null(check(fx));
}

static void
test_stopwatch_running(void **state)
{
	struct fixture *fx = *state;
	size_t q;
	char *cause = NULL;

	good(fx);
	q = unit_qi(fx->v, "wait");
	assert_int_equal(visit_timer_start(fx->v, q, T0 + 4100, &cause), 0);
	assert_int_equal(store_visit_timer(fx->s, fx->v, q, "timer started",
	                     T0 + 4100, &cause),
	    0);
	finalize(fx, T0 + 70000);
	assert_refused(fx, "wait: finalized with its stopwatch running");
}

/*
 * A question answered, then hidden by a later answer: the answer is kept
 * (DESIGN: it counts as absent) and its trail gives it, so it passes.
 */
static void
test_hidden_with_trail(void **state)
{
	struct fixture *fx = *state;
	struct value yes = { 0 };

	good(fx);
	value_bool(&yes, 1);
	answer(fx, "hot", &yes, T0 + 4200);
	number(fx, "hot_temp", 70, T0 + 4300);
	value_bool(&yes, 0);
	answer(fx, "hot", &yes, T0 + 4400);
	finalize(fx, T0 + 5000);
	assert_null(check(fx));
}

static void
test_bad_id(void **state)
{
	struct fixture *fx = *state;
	char *why;

	good(fx);
	finalize(fx, T0 + 5000);
	assert_null(check(fx));
	/* not printed: the message names the alphabet instead */
	memcpy(fx->v->id, "../../etc/pa", VISIT_ID_LEN);
	assert_int_equal(batch_check_visit(fx->v, &fx->c, &why), -1);
	assert_non_null(strstr(why, "a visit id is 12 of the characters"));
	assert_null(strstr(why, "../"));
	free(why);
}

/* When it took place: as the last "took place" entry before finalizing
 * says, or at its start when there is none. */
static void
test_took_place(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;

	good(fx);
	fx->v->took = T0 - 86400000;
	fx->v->took_offset = 480;
	assert_int_equal(store_visit_took(fx->s, fx->v, T0 + 4500, &cause), 0);
	fx->v->took = T0 - 3600000;
	assert_int_equal(store_visit_took(fx->s, fx->v, T0 + 4600, &cause), 0);
	finalize(fx, T0 + 5000);
	assert_null(check(fx));
	/* another time, or another offset, than the trail's last */
	fx->v->took = T0 - 86400000;
	assert_refused(fx, "the time it took place is not the one its audit "
	                   "trail gives");
	fx->v->took = T0 - 3600000;
	fx->v->took_offset = 0;
	assert_refused(fx, "the time it took place is not the one");
	fx->v->took_offset = 480;
	/* set after finalizing */
	assert_int_equal(store_visit_took(fx->s, fx->v, T0 + 6000, &cause), 0);
	assert_refused(fx, "took place: set after finalizing");
}

/* Another time than its start with no entry for it. */
static void
test_took_place_not_in_trail(void **state)
{
	struct fixture *fx = *state;

	good(fx);
	finalize(fx, T0 + 5000);
	assert_null(check(fx));
	fx->v->took = T0 - 60000;
	assert_refused(fx, "it took place at another time than it started, "
	                   "and its audit trail does not say so");
}

/* A stopwatch's time as typed: "wait: - -> 754 (typed 12:34)". */
static void
typed(struct fixture *fx, double secs, const char *as, int64_t at)
{
	size_t q = unit_qi(fx->v, "wait");
	struct value x = { 0 }, old = { 0 };
	char *cause = NULL;

	value_number(&x, secs);
	value_copy(&old, &fx->v->answers[q]);
	assert_int_equal(visit_answer(fx->v, q, &x, at, &cause), 0);
	assert_int_equal(
	    store_visit_answer_typed(fx->s, fx->v, q, &old, as, at, &cause), 0);
	value_clear(&old);
	value_clear(&x);
}

static void
test_typed_time(void **state)
{
	struct fixture *fx = *state;
	char *why;
	size_t i;
	int seen = 0;

	good(fx);
	typed(fx, 754, "12:34", T0 + 4500);
	finalize(fx, T0 + 5000);
	why = check(fx);
	if (why != NULL)
		fprintf(stderr, "  refused: %s\n", why);
	assert_null(why);
	for (i = 0; i < fx->c.n; i++)
		seen |= strcmp(fx->c.v[i].detail,
		            "wait: - -> 754 (typed 12:34)") == 0;
	assert_true(seen);
}

static void
test_typed_time_forged(void **state)
{
	struct fixture *fx = *state;

	good(fx);
	typed(fx, 754, "12:34) -> 9 (typed 1", T0 + 4500);
	finalize(fx, T0 + 5000);
	assert_refused(fx, "wait: not a time as typed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, each_teardown)
		T(test_good_passes),
		T(test_constraint),
		T(test_required),
		T(test_reason),
		T(test_not_final),
		T(test_finalized_time),
		T(test_answer_not_in_trail),
		T(test_reason_not_in_trail),
		T(test_trail_cut),
		T(test_amendment_breaks_rule),
		T(test_amended_exported),
		T(test_amended_together),
		T(test_amendment_reason),
		T(test_stopwatch),
		T(test_stopwatch_running),
		T(test_hidden_with_trail),
		T(test_bad_id),
		T(test_took_place),
		T(test_took_place_not_in_trail),
		T(test_typed_time),
		T(test_typed_time_forged),
#undef T
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
