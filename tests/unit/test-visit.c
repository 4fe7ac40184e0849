/*
 * visit: the pure rules of a visit, without a database: creating one,
 * visibility, what an answer may be, stopwatches, tallies, the checks that
 * stop finalizing, amendments, scores and progress.
 */
#include "unit.h"

#include <math.h>
#include <stdlib.h>

#include "anfang/crypt.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

/* Every type, a show_if chain, each kind of check, scores and a default. */
static const char visit_form[] =
    "form: t\n"
    "version: 1\n"
    "title: T\n"
    "language: en\n"
    "units:\n"
    "  - {id: u1, name: Unit One}\n"
    "  - {id: u2, name: 第二單位}\n"
    "visit:\n"
    "  division: optional\n"
    "  person: optional\n"
    "sections:\n"
    "  - title: S\n"
    "    questions:\n"
    "      - id: ok\n"
    "        type: yesno\n"
    "        label: L\n"
    "        required: true\n"
    "        score: {yes: 2, no: 0}\n"
    "      - id: why\n"
    "        type: choice\n"
    "        label: L\n"
    "        show_if: ok == no\n"
    "        required: true\n"
    "        choices: [referred, missing_docs, other]\n"
    "        score: {referred: 5}\n"
    "      - id: detail\n"
    "        type: text\n"
    "        label: L\n"
    "        show_if: why == \"other\"\n"
    "        required: true\n"
    "      - id: posted\n"
    "        type: multi\n"
    "        label: L\n"
    "        choices: [fees, steps, deadline]\n"
    "        score: {fees: 1, steps: 1}\n"
    "      - id: fee\n"
    "        type: number\n"
    "        label: L\n"
    "        min: 0\n"
    "        max: 1000\n"
    "        decimals: 2\n"
    "        constraint: . > 0\n"
    "        constraint_message: the fee must be above 0\n"
    "      - id: mood\n"
    "        type: scale\n"
    "        label: L\n"
    "        score: {1: 0, 5: 4}\n"
    "      - {id: people, type: count, label: L, max: 3}\n"
    "      - id: wait\n"
    "        type: timer\n"
    "        label: L\n"
    "        warn_if: . > 1800\n"
    "        warn_message: a long wait\n"
    "      - {id: name, type: text, label: L, max_length: 5}\n"
    "      - {id: notes, type: text, label: L, lines: 4}\n"
    "      - {id: day, type: date, label: L}\n"
    "      - {id: at, type: time, label: L, default: \"09:30\"}\n"
    "      - id: favours\n"
    "        type: yesno\n"
    "        label: L\n"
    "        alert_if: . == yes\n"
    "        severity: high\n"
    "        alert_message: asked for a bribe\n"
    "      - id: amount\n"
    "        type: number\n"
    "        label: L\n"
    "        show_if: favours == yes\n"
    "        alert_if: . > 100\n"
    "        alert_message: a large bribe\n"
    "      - id: limit\n"
    "        type: number\n"
    "        label: L\n"
    "      - id: spent\n"
    "        type: number\n"
    "        label: L\n"
    "        constraint: . <= limit\n"
    "        constraint_message: more than the limit\n"
    "      - {id: read, type: note, label: L}\n";

#define T0 1700000000000LL

static struct form *
load(const char *yaml)
{
	struct diag_list diags = { 0 };
	struct form *f = unit_form(yaml, &diags);

	if (f == NULL)
		unit_dump(&diags);
	diag_clear(&diags);
	assert_non_null(f);
	return f;
}

static size_t
qi(const struct visit *v, const char *id)
{
	long i = form_find(v->form, id);

	assert_true(i >= 0);
	return (size_t)i;
}

/* A fresh draft of visit_form, owning its form. */
static struct visit *
draft(void)
{
	struct visit *v;
	char *cause = NULL;

	v = visit_new(load(visit_form), 1, "u1", NULL, NULL, T0, &cause);
	if (v == NULL)
		fprintf(stderr, "  visit_new: %s\n", cause);
	assert_non_null(v);
	return v;
}

static void
set(struct visit *v, const char *id, const struct value *val)
{
	char *cause = NULL;

	if (visit_answer(v, qi(v, id), val, T0 + 1000, &cause) != 0) {
		fprintf(stderr, "  answer %s: %s\n", id, cause);
		free(cause);
		fail();
	}
}

static void
set_bool(struct visit *v, const char *id, int b)
{
	struct value val = { 0 };

	value_bool(&val, b);
	set(v, id, &val);
	value_clear(&val);
}

static void
set_number(struct visit *v, const char *id, double n)
{
	struct value val = { 0 };

	value_number(&val, n);
	set(v, id, &val);
	value_clear(&val);
}

static void
set_string(struct visit *v, const char *id, const char *s)
{
	struct value val = { 0 };

	value_string(&val, s);
	set(v, id, &val);
	value_clear(&val);
}

static void
set_set(struct visit *v, const char *id, const char *const *items, size_t n)
{
	struct value val = { 0 };

	value_set(&val, items, n);
	set(v, id, &val);
	value_clear(&val);
}

/*
 * Whether val is refused for question id; when it is and want is not NULL,
 * the cause must contain want.
 */
static int
refused(struct visit *v, const char *id, struct value *val, const char *want)
{
	char *cause = NULL;
	int rc;

	rc = visit_check_value(v, qi(v, id), val, &cause);
	value_clear(val);
	if (rc == 0)
		return 0;
	assert_non_null(cause);
	if (want != NULL && strstr(cause, want) == NULL) {
		fprintf(stderr, "  %s: \"%s\" lacks \"%s\"\n", id, cause, want);
		free(cause);
		return 0;
	}
	free(cause);
	return 1;
}

static int
refused_bool(struct visit *v, const char *id, int b, const char *want)
{
	struct value val = { 0 };

	value_bool(&val, b);
	return refused(v, id, &val, want);
}

static int
refused_number(struct visit *v, const char *id, double n, const char *want)
{
	struct value val = { 0 };

	value_number(&val, n);
	return refused(v, id, &val, want);
}

static int
refused_string(struct visit *v, const char *id, const char *s, const char *want)
{
	struct value val = { 0 };

	value_string(&val, s);
	return refused(v, id, &val, want);
}

static int
refused_set(struct visit *v, const char *id, const char *const *items, size_t n,
    const char *want)
{
	struct value val = { 0 };

	value_set(&val, items, n);
	return refused(v, id, &val, want);
}

/* Whether the problems hold one of this kind for question id. */
static int
has_problem(struct visit *v, enum visit_problem_kind kind, const char *id)
{
	struct visit_problem *p;
	size_t n, i;
	int found = 0;

	n = visit_problems(v, &p);
	for (i = 0; i < n; i++) {
		if (p[i].kind == kind && p[i].question == qi(v, id))
			found = 1;
	}
	free(p);
	return found;
}

static int
visit_setup(void **state)
{
	char *cause = NULL;

	(void)state;
	if (crypt_init(&cause) != 0) {
		fprintf(stderr, "crypt_init: %s\n", cause);
		return -1;
	}
	return 0;
}

/*
 * For the tests that keep their visit in *state: freed here even when the
 * test fails half-way, so a failure is not also reported as leaks.
 */
static int
visit_teardown(void **state)
{
	visit_free(*state);
	*state = NULL;
	return 0;
}

static void
test_status_names(void **state)
{
	static const enum visit_status all[] = { VISIT_DRAFT, VISIT_FINAL,
		VISIT_EXPORTED, VISIT_RECEIVED };
	static const char *const names[] = { "draft", "final", "exported",
		"received" };
	enum visit_status s;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		assert_string_equal(visit_status_name(all[i]), names[i]);
		s = (enum visit_status)99;
		assert_int_equal(visit_status_from_name(names[i], &s), 0);
		assert_int_equal(s, all[i]);
	}
	s = VISIT_FINAL;
	assert_int_equal(visit_status_from_name("finalized", &s), -1);
	assert_int_equal(visit_status_from_name("Draft", &s), -1);
	assert_int_equal(visit_status_from_name("", &s), -1);
	assert_int_equal(s, VISIT_FINAL);
	assert_string_equal(visit_status_name((enum visit_status)17), "?");
}

static void
test_new_unit(void **state)
{
	static const char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
	struct form *f = load(visit_form);
	struct visit *v, *w;
	char *cause = NULL;
	size_t i;

	(void)state;
	/* by id */
	v = visit_new(f, 0, "u2", NULL, NULL, T0, &cause);
	assert_non_null(v);
	assert_string_equal(v->unit_id, "u2");
	assert_string_equal(v->unit_name, "第二單位");
	assert_int_equal(v->status, VISIT_DRAFT);
	assert_int_equal(v->started, T0);
	assert_int_equal(v->finalized, 0);
	assert_int_equal(v->namendments, 0);
	assert_int_equal(strlen(v->id), VISIT_ID_LEN);
	for (i = 0; i < VISIT_ID_LEN; i++)
		assert_non_null(strchr(alphabet, v->id[i]));
	assert_null(v->division);
	assert_null(v->person);

	/* by name, and each visit has its own id */
	w = visit_new(f, 0, "Unit One", NULL, NULL, T0 + 5, &cause);
	assert_non_null(w);
	assert_string_equal(w->unit_id, "u1");
	assert_string_equal(w->unit_name, "Unit One");
	assert_string_not_equal(w->id, v->id);
	visit_free(w);
	visit_free(v);

	/* unknown: named in the message */
	assert_null(visit_new(f, 0, "u3", NULL, NULL, T0, &cause));
	assert_non_null(strstr(cause, "\"u3\""));
	free(cause);
	cause = NULL;
	/* a prefix of a name is not the name */
	assert_null(visit_new(f, 0, "Unit", NULL, NULL, T0, &cause));
	free(cause);
	cause = NULL;
	assert_null(visit_new(f, 0, "", NULL, NULL, T0, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_null(visit_new(f, 0, NULL, NULL, NULL, T0, &cause));
	assert_non_null(cause);
	free(cause);
	form_free(f);
}

static const char fields_form[] = "form: t\n"
                                  "version: 1\n"
                                  "title: T\n"
                                  "language: en\n"
                                  "units: [a, b]\n"
                                  "visit:\n"
                                  "  division: required\n"
                                  "sections:\n"
                                  "  - title: S\n"
                                  "    questions:\n"
                                  "      - {id: ok, type: yesno, label: L}\n";

static const char optional_form[] = "form: t\n"
                                    "version: 1\n"
                                    "title: T\n"
                                    "language: en\n"
                                    "units: [a, b]\n"
                                    "visit:\n"
                                    "  person: optional\n"
                                    "sections:\n"
                                    "  - title: S\n"
                                    "    questions:\n"
                                    "      - {id: ok, type: yesno, label: L}\n";

static void
test_new_division_person(void **state)
{
	struct form *f = load(fields_form), *g = load(optional_form);
	struct visit *v;
	char *cause = NULL;

	(void)state;
	/* division required: absent or empty is refused */
	assert_null(visit_new(f, 0, "a", NULL, NULL, T0, &cause));
	assert_non_null(strstr(cause, "division"));
	free(cause);
	cause = NULL;
	assert_null(visit_new(f, 0, "a", "", NULL, T0, &cause));
	assert_non_null(strstr(cause, "division"));
	free(cause);
	cause = NULL;
	/* person absent from the form: giving one is refused */
	assert_null(visit_new(f, 0, "a", "2", "badge 7", T0, &cause));
	assert_non_null(strstr(cause, "person"));
	free(cause);
	cause = NULL;
	v = visit_new(f, 0, "b", "窗口 2", NULL, T0, &cause);
	assert_non_null(v);
	assert_string_equal(v->division, "窗口 2");
	assert_null(v->person);
	/* inline plain units: the name is the id */
	assert_string_equal(v->unit_id, "b");
	assert_string_equal(v->unit_name, "b");
	visit_free(v);

	/* optional person: absent, empty (kept as absent) or given */
	v = visit_new(g, 0, "a", NULL, NULL, T0, &cause);
	assert_non_null(v);
	assert_null(v->person);
	visit_free(v);
	v = visit_new(g, 0, "a", NULL, "", T0, &cause);
	assert_non_null(v);
	assert_null(v->person);
	visit_free(v);
	v = visit_new(g, 0, "a", NULL, "badge 7", T0, &cause);
	assert_non_null(v);
	assert_string_equal(v->person, "badge 7");
	visit_free(v);
	/* division absent from this form */
	assert_null(visit_new(g, 0, "a", "2", NULL, T0, &cause));
	assert_non_null(strstr(cause, "division"));
	free(cause);
	form_free(g);
	form_free(f);
}

/* A default is a suggestion: shown, not an answer, until it is kept. */
static void
test_new_defaults(void **state)
{
	struct visit *v = draft();
	size_t at = qi(v, "at"), ok = qi(v, "ok");
	const struct value *sug;
	struct value want = { 0 };
	size_t answered, visible;
	char *cause = NULL;

	(void)state;
	value_string(&want, "09:30");
	assert_int_equal(v->answers[at].kind, VALUE_NONE);
	assert_int_equal(v->answered_at[at], 0);
	assert_null(visit_value(v, at));
	sug = visit_suggestion(v, at);
	assert_non_null(sug);
	assert_true(value_equal(sug, &want));
	assert_null(visit_suggestion(v, ok)); /* no default */
	visit_progress(v, &answered, &visible);
	assert_int_equal(answered, 0);
	assert_false(visit_alerts(v, at) || visit_warns(v, at));

	/* kept: an answer like any other, no longer a suggestion */
	set(v, "at", sug);
	assert_true(value_equal(visit_value(v, at), &want));
	assert_null(visit_suggestion(v, at));
	visit_progress(v, &answered, &visible);
	assert_int_equal(answered, 1);
	/* cleared again: the suggestion is back */
	assert_int_equal(visit_answer(v, at, NULL, T0 + 2000, &cause), 0);
	assert_non_null(visit_suggestion(v, at));

	/* a final visit has no suggestions: the unkept default is absent */
	set_bool(v, "ok", 1);
	set_number(v, "fee", 5);
	assert_int_equal(visit_finalize(v, T0 + 3000, &cause), 0);
	assert_null(visit_suggestion(v, at));
	assert_null(visit_value(v, at));
	value_clear(&want);
	visit_free(v);
}

static void
test_visibility_chain(void **state)
{
	struct visit *v = draft();
	size_t why = qi(v, "why"), detail = qi(v, "detail");
	const struct value *got;

	(void)state;
	/* ok unanswered: unknown hides why, and so detail */
	assert_false(visit_visible(v, why));
	assert_false(visit_visible(v, detail));
	assert_true(visit_visible(v, qi(v, "ok")));
	set_bool(v, "ok", 0);
	assert_true(visit_visible(v, why));
	assert_false(visit_visible(v, detail));
	set_string(v, "why", "other");
	assert_true(visit_visible(v, detail));
	set_string(v, "detail", "說明");
	assert_non_null(visit_value(v, detail));

	/* ok = yes hides why; detail depends on why and goes with it */
	set_bool(v, "ok", 1);
	assert_false(visit_visible(v, why));
	assert_false(visit_visible(v, detail));
	assert_null(visit_value(v, why));
	assert_null(visit_value(v, detail));
	/* the answers are kept */
	assert_int_equal(v->answers[why].kind, VALUE_STRING);
	assert_string_equal(v->answers[detail].s, "說明");
	/* hidden required questions are not missing */
	assert_false(has_problem(v, VISIT_MISSING, "why"));
	assert_false(has_problem(v, VISIT_MISSING, "detail"));

	/* and they come back */
	set_bool(v, "ok", 0);
	assert_true(visit_visible(v, detail));
	got = visit_value(v, why);
	assert_non_null(got);
	assert_string_equal(got->s, "other");
	got = visit_value(v, detail);
	assert_non_null(got);
	assert_string_equal(got->s, "說明");

	/* a different answer to why hides detail again */
	set_string(v, "why", "referred");
	assert_false(visit_visible(v, detail));
	assert_null(visit_value(v, detail));
	/* clearing why: detail's condition is unknown, so hidden */
	set(v, "why", NULL);
	assert_null(visit_value(v, why));
	assert_false(visit_visible(v, detail));
	assert_true(has_problem(v, VISIT_MISSING, "why"));
	visit_free(v);
}

static void
test_check_kind(void **state)
{
	struct visit *v = draft();
	struct value val = { 0 };

	(void)state;
	/* each type wants its kind of value */
	assert_true(refused_number(v, "ok", 1, "yes or no"));
	assert_true(refused_bool(v, "why", 1, "string"));
	assert_true(refused_string(v, "posted", "fees", "list"));
	assert_true(refused_string(v, "fee", "12", "number"));
	assert_true(refused_bool(v, "mood", 1, "number"));
	assert_true(refused_string(v, "people", "3", "number"));
	assert_true(refused_bool(v, "wait", 0, "number"));
	assert_true(refused_number(v, "name", 3, "string"));
	assert_true(refused_number(v, "day", 20260101, "string"));
	assert_true(refused_bool(v, "at", 1, "string"));
	/* nothing is a value of nothing, and a note takes no answer */
	assert_true(refused(v, "ok", &val, NULL));
	assert_true(refused_string(v, "read", "x", "note"));
	/* the right kinds pass */
	assert_false(refused_bool(v, "ok", 0, NULL));
	assert_false(refused_string(v, "why", "other", NULL));
	visit_free(v);
}

static void
test_check_choice_multi(void **state)
{
	static const char *const good[] = { "fees", "deadline" };
	static const char *const twice[] = { "fees", "steps", "fees" };
	static const char *const bad[] = { "steps", "hours" };
	struct visit *v = draft();

	(void)state;
	assert_true(refused_string(v, "why", "elsewhere", "\"elsewhere\""));
	/* a label or a different case is not a value */
	assert_true(refused_string(v, "why", "Other", NULL));
	assert_true(refused_string(v, "why", "", NULL));
	assert_false(refused_string(v, "why", "missing_docs", NULL));
	assert_false(refused_set(v, "posted", good, 2, NULL));
	assert_false(refused_set(v, "posted", good, 0, NULL));
	assert_true(refused_set(v, "posted", twice, 3, "twice"));
	assert_true(refused_set(v, "posted", bad, 2, "\"hours\""));
	visit_free(v);
}

static void
test_check_numbers(void **state)
{
	struct visit *v = draft();

	(void)state;
	/* number: min 0, max 1000, 2 decimals */
	assert_false(refused_number(v, "fee", 0, NULL));
	assert_false(refused_number(v, "fee", 1000, NULL));
	assert_false(refused_number(v, "fee", 12.34, NULL));
	assert_false(refused_number(v, "fee", 0.1 + 0.2, NULL));
	/* each refusal names the limit */
	assert_true(refused_number(v, "fee", -0.01, "below the minimum, 0"));
	assert_true(
	    refused_number(v, "fee", 1000.01, "above the maximum, 1000"));
	assert_true(refused_number(v, "fee", 12.345, "more than 2 decimals"));
	assert_true(refused_number(v, "fee", NAN, NULL));
	assert_true(refused_number(v, "fee", INFINITY, NULL));
	/* a number with no decimals takes whole numbers */
	assert_false(refused_number(v, "limit", -7, NULL));
	assert_true(refused_number(v, "limit", 2.5, "whole"));

	/* scale: 1..5, whole */
	assert_false(refused_number(v, "mood", 1, NULL));
	assert_false(refused_number(v, "mood", 5, NULL));
	assert_true(refused_number(v, "mood", 0, "minimum"));
	assert_true(refused_number(v, "mood", 6, "maximum"));
	assert_true(refused_number(v, "mood", 2.5, "whole"));

	/* count: 0..3 here, whole */
	assert_false(refused_number(v, "people", 0, NULL));
	assert_false(refused_number(v, "people", 3, NULL));
	assert_true(refused_number(v, "people", -1, "minimum"));
	assert_true(refused_number(v, "people", 4, "maximum"));
	assert_true(refused_number(v, "people", 1.5, "whole"));

	/* timer: whole seconds, 0 or more */
	assert_false(refused_number(v, "wait", 0, NULL));
	assert_false(refused_number(v, "wait", 3600, NULL));
	assert_true(refused_number(v, "wait", -1, "seconds"));
	assert_true(refused_number(v, "wait", 1.5, "seconds"));
	assert_true(refused_number(v, "wait", INFINITY, NULL));
	visit_free(v);
}

static void
test_check_text(void **state)
{
	struct visit *v = draft();

	(void)state;
	/* max_length 5 counts characters, not bytes: 5 Chinese characters
	 * are 15 bytes and fit; 6 do not */
	assert_false(refused_string(v, "name", "窗口人員在", NULL));
	assert_true(refused_string(v, "name", "窗口人員在崗", "5 characters"));
	assert_false(refused_string(v, "name", "abcde", NULL));
	assert_true(refused_string(v, "name", "abcdef", "5 characters"));
	/* default max_length is 2000 characters */
	{
		char *big = xmalloc(2001 * 3 + 1);
		size_t i;

		for (i = 0; i < 2000; i++)
			memcpy(big + 3 * i, "字", 3);
		big[3 * 2000] = '\0';
		assert_false(refused_string(v, "notes", big, NULL));
		memcpy(big + 3 * 2000, "字", 4);
		assert_true(refused_string(v, "notes", big, "2000"));
		free(big);
	}
	/* a new line: one-line text refuses it, lines: 4 takes it */
	assert_true(refused_string(v, "name", "a\nb", "new line"));
	assert_false(refused_string(v, "notes", "第一行\n第二行", NULL));
	/* other control characters, in both; a tab is fine */
	assert_true(refused_string(v, "notes", "a\rb", "control"));
	assert_true(refused_string(v, "name", "a\x1b[2J", "control"));
	assert_true(refused_string(v, "notes", "a\x01", "control"));
	assert_false(refused_string(v, "name", "a\tb", NULL));
	/* invalid UTF-8 and empty text */
	assert_true(refused_string(v, "notes", "a\xff", "UTF-8"));
	assert_true(refused_string(v, "notes", "\xe5\xad", "UTF-8"));
	assert_true(refused_string(v, "notes", "", "empty"));
	visit_free(v);
}

static void
test_check_text_controls(void **state)
{
	struct visit *v = *state = draft();

	/* DEL and the C1 controls (U+0080..U+009F; U+009B is CSI, a
	 * terminal escape on its own) are control characters too */
	assert_true(refused_string(v, "notes", "a\x7f", "control"));
	assert_true(refused_string(v, "notes",
	    "a\xc2\x9b"
	    "2J",
	    "control"));
	assert_true(refused_string(v, "name", "\xc2\x85", "control"));
	/* the characters just after them are fine */
	assert_false(refused_string(v, "name", "\xc2\xa0x", NULL));
}

static void
test_check_date_time(void **state)
{
	struct visit *v = draft();

	(void)state;
	assert_false(refused_string(v, "day", "2026-02-28", NULL));
	assert_false(refused_string(v, "day", "2024-02-29", NULL));
	assert_true(refused_string(v, "day", "2026-02-30", "2026-02-30"));
	assert_true(refused_string(v, "day", "2026-02-29", NULL));
	assert_true(refused_string(v, "day", "2100-02-29", NULL));
	assert_false(refused_string(v, "day", "2000-02-29", NULL));
	assert_true(refused_string(v, "day", "2026-13-01", NULL));
	assert_true(refused_string(v, "day", "2026-00-10", NULL));
	assert_true(refused_string(v, "day", "2026-4-01", NULL));
	assert_true(refused_string(v, "day", "2026-04-01 ", NULL));
	assert_true(refused_string(v, "day", "", NULL));
	assert_false(refused_string(v, "at", "00:00", NULL));
	assert_false(refused_string(v, "at", "23:59", NULL));
	assert_true(refused_string(v, "at", "24:00", "24:00"));
	assert_true(refused_string(v, "at", "12:60", NULL));
	assert_true(refused_string(v, "at", "9:30", NULL));
	assert_true(refused_string(v, "at", "09:30:00", NULL));
	assert_true(refused_string(v, "at", "", NULL));
	visit_free(v);
}

static void
test_answer(void **state)
{
	struct visit *v = draft();
	size_t fee = qi(v, "fee");
	struct value val = { 0 };
	char *cause = NULL;

	(void)state;
	/* a refused answer leaves the previous one */
	set_number(v, "fee", 12.5);
	value_number(&val, -3);
	assert_int_equal(visit_answer(v, fee, &val, T0 + 9, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_true(v->answers[fee].n == 12.5);
	assert_int_equal(v->answered_at[fee], T0 + 1000);
	/* VALUE_NONE clears, like NULL */
	value_clear(&val);
	assert_int_equal(visit_answer(v, fee, &val, T0 + 9, &cause), 0);
	assert_int_equal(v->answers[fee].kind, VALUE_NONE);
	assert_null(visit_value(v, fee));
	assert_int_equal(v->answered_at[fee], T0 + 9);

	/* a final visit takes no answers, not even a clear */
	set_bool(v, "ok", 1);
	assert_int_equal(visit_finalize(v, T0 + 10, &cause), 0);
	value_number(&val, 5);
	assert_int_equal(visit_answer(v, fee, &val, T0 + 11, &cause), -1);
	assert_non_null(strstr(cause, "amendment"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->answers[fee].kind, VALUE_NONE);
	assert_int_equal(
	    visit_answer(v, qi(v, "ok"), NULL, T0 + 11, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(v->answers[qi(v, "ok")].kind, VALUE_BOOL);
	assert_int_equal(
	    visit_set_reason(v, qi(v, "wait"), "queue", &cause), -1);
	free(cause);
	assert_null(v->reasons[qi(v, "wait")]);
	value_clear(&val);
	visit_free(v);
}

static void
test_timer(void **state)
{
	struct visit *v = draft();
	size_t w = qi(v, "wait");
	char *cause = NULL;

	(void)state;
	assert_int_equal(visit_timer_ms(v, w, T0), 0);
	/* 2.5 s, then 0.6 s: 3100 ms, answered as 3 whole seconds */
	assert_int_equal(visit_timer_start(v, w, T0 + 1000, &cause), 0);
	assert_int_equal(v->timers[w].running_since, T0 + 1000);
	assert_int_equal(visit_timer_ms(v, w, T0 + 2000), 1000);
	assert_int_equal(visit_timer_stop(v, w, T0 + 3500, &cause), 0);
	assert_int_equal(v->timers[w].running_since, 0);
	assert_int_equal(v->timers[w].elapsed_ms, 2500);
	assert_int_equal(v->answers[w].kind, VALUE_NUMBER);
	assert_true(v->answers[w].n == 2);
	assert_int_equal(v->answered_at[w], T0 + 3500);
	/* stopped: time passing changes nothing */
	assert_int_equal(visit_timer_ms(v, w, T0 + 9000), 2500);

	assert_int_equal(visit_timer_start(v, w, T0 + 10000, &cause), 0);
	/* while running: the stopped part plus the running one */
	assert_int_equal(visit_timer_ms(v, w, T0 + 10400), 2900);
	/* the answer is still the stopped part's */
	assert_true(v->answers[w].n == 2);
	/* started twice is refused and keeps the first start */
	assert_int_equal(visit_timer_start(v, w, T0 + 10500, &cause), -1);
	assert_non_null(strstr(cause, "running"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->timers[w].running_since, T0 + 10000);
	assert_int_equal(visit_timer_stop(v, w, T0 + 10600, &cause), 0);
	assert_int_equal(v->timers[w].elapsed_ms, 3100);
	assert_true(v->answers[w].n == 3);
	/* stopping a stopped stopwatch */
	assert_int_equal(visit_timer_stop(v, w, T0 + 11000, &cause), -1);
	assert_non_null(strstr(cause, "not running"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->timers[w].elapsed_ms, 3100);

	/* reset: no answer, nothing elapsed; starting again counts from 0 */
	assert_int_equal(visit_timer_reset(v, w, &cause), 0);
	assert_int_equal(v->answers[w].kind, VALUE_NONE);
	assert_int_equal(v->timers[w].elapsed_ms, 0);
	assert_int_equal(v->timers[w].running_since, 0);
	assert_int_equal(visit_timer_ms(v, w, T0 + 20000), 0);
	assert_int_equal(visit_timer_start(v, w, T0 + 20000, &cause), 0);
	assert_int_equal(visit_timer_stop(v, w, T0 + 21999, &cause), 0);
	assert_true(v->answers[w].n == 1);

	/* only a timer has a stopwatch */
	assert_int_equal(visit_timer_start(v, qi(v, "people"), T0, &cause), -1);
	assert_non_null(strstr(cause, "not a timer"));
	free(cause);
	visit_free(v);
}

static void
test_timer_typed_base(void **state)
{
	struct visit *v = draft();
	size_t w = qi(v, "wait");
	char *cause = NULL;

	(void)state;
	/* an answer typed in is where the stopwatch goes on from */
	set_number(v, "wait", 60);
	assert_int_equal(visit_timer_ms(v, w, T0 + 5000), 60000);
	assert_int_equal(visit_timer_start(v, w, T0 + 5000, &cause), 0);
	assert_int_equal(visit_timer_stop(v, w, T0 + 7000, &cause), 0);
	assert_true(v->answers[w].n == 62);
	visit_free(v);
}

static void
test_timer_retyped(void **state)
{
	struct visit *v = *state = draft();
	size_t w = qi(v, "wait");
	char *cause = NULL;

	/* measured 5 s, then corrected by hand to 100 s: the stopwatch
	 * must show and go on from the answer, not the old measure */
	assert_int_equal(visit_timer_start(v, w, T0, &cause), 0);
	assert_int_equal(visit_timer_stop(v, w, T0 + 5000, &cause), 0);
	set_number(v, "wait", 100);
	assert_int_equal(visit_timer_ms(v, w, T0 + 6000), 100000);
	assert_int_equal(visit_timer_start(v, w, T0 + 6000, &cause), 0);
	assert_int_equal(visit_timer_stop(v, w, T0 + 7000, &cause), 0);
	assert_true(v->answers[w].n == 101);
}

static void
test_timer_running_blocks_finalize(void **state)
{
	struct visit *v = draft();
	size_t w = qi(v, "wait");
	char *cause = NULL;

	(void)state;
	set_bool(v, "ok", 1);
	assert_int_equal(visit_timer_start(v, w, T0 + 100, &cause), 0);
	assert_true(has_problem(v, VISIT_TIMER_RUNNING, "wait"));
	assert_int_equal(visit_finalize(v, T0 + 200, &cause), -1);
	assert_non_null(strstr(cause, "wait: the stopwatch is still running"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->status, VISIT_DRAFT);
	assert_int_equal(v->finalized, 0);
	assert_int_equal(visit_timer_stop(v, w, T0 + 300, &cause), 0);
	assert_false(has_problem(v, VISIT_TIMER_RUNNING, "wait"));
	assert_int_equal(visit_finalize(v, T0 + 400, &cause), 0);
	/* and a final visit's stopwatch is not to be touched */
	assert_int_equal(visit_timer_start(v, w, T0 + 500, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(visit_timer_reset(v, w, &cause), -1);
	free(cause);
	assert_true(v->answers[w].kind == VALUE_NUMBER);
	visit_free(v);
}

static const char hidden_timer_form[] =
    "form: t\n"
    "version: 1\n"
    "title: T\n"
    "language: en\n"
    "units: [a]\n"
    "sections:\n"
    "  - title: S\n"
    "    questions:\n"
    "      - {id: busy, type: yesno, label: L}\n"
    "      - {id: wait, type: timer, label: L, show_if: busy == yes}\n";

static const char limit_form[] =
    "form: t\n"
    "version: 1\n"
    "title: T\n"
    "language: en\n"
    "units: [a]\n"
    "sections:\n"
    "  - title: S\n"
    "    questions:\n"
    "      - {id: limit, type: number, label: L}\n"
    "      - {id: spent, type: number, label: L, constraint: . <= limit,\n"
    "         constraint_message: over the limit}\n";

/* An amendment may not break another question's constraint. */
static void
test_amend_other_constraint(void **state)
{
	struct value val = { 0 };
	struct visit *v;
	char *cause = NULL;

	v = visit_new(load(limit_form), 1, "a", NULL, NULL, T0, &cause);
	assert_non_null(v);
	*state = v;
	value_number(&val, 100);
	assert_int_equal(visit_answer(v, 0, &val, T0, &cause), 0);
	value_number(&val, 80);
	assert_int_equal(visit_answer(v, 1, &val, T0, &cause), 0);
	assert_int_equal(visit_finalize(v, T0 + 1, &cause), 0);
	/* limit 50 would leave spent 80 over it */
	value_number(&val, 50);
	assert_int_equal(visit_amend(v, 0, &val, "typo", T0 + 2, &cause), -1);
	assert_non_null(strstr(cause, "spent: over the limit"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->namendments, 0);
	assert_true(visit_value(v, 0)->n == 100);
	/* 90 keeps it: accepted */
	value_number(&val, 90);
	assert_int_equal(visit_amend(v, 0, &val, "typo", T0 + 3, &cause), 0);
	assert_true(visit_value(v, 0)->n == 90);
	value_clear(&val);
}

static void
test_timer_hidden_running(void **state)
{
	struct visit *v;
	char *cause = NULL;
	int rc;

	v = visit_new(load(hidden_timer_form), 1, "a", NULL, NULL, T0, &cause);
	assert_non_null(v);
	*state = v;
	set_bool(v, "busy", 1);
	assert_int_equal(visit_timer_start(v, 1, T0 + 1000, &cause), 0);
	/* the question is hidden while its stopwatch runs */
	set_bool(v, "busy", 0);
	rc = visit_finalize(v, T0 + 5000, &cause);
	free(cause);
	/* a final visit cannot have a stopwatch left running: it could
	 * never be stopped (a final visit is not editable) and would count
	 * on for ever */
	if (rc == 0)
		assert_int_equal(v->timers[1].running_since, 0);
	else
		assert_int_equal(v->status, VISIT_DRAFT);
}

static void
test_count(void **state)
{
	struct visit *v = draft();
	size_t c = qi(v, "people");
	char *cause = NULL;

	(void)state;
	/* unanswered counts from the minimum */
	assert_int_equal(visit_count_add(v, c, 1, T0 + 1, &cause), 0);
	assert_true(v->answers[c].n == 1);
	assert_int_equal(v->answered_at[c], T0 + 1);
	assert_int_equal(visit_count_add(v, c, 1, T0 + 2, &cause), 0);
	assert_true(v->answers[c].n == 2);
	assert_int_equal(visit_count_add(v, c, -1, T0 + 3, &cause), 0);
	assert_true(v->answers[c].n == 1);
	assert_int_equal(visit_count_add(v, c, -1, T0 + 4, &cause), 0);
	assert_true(v->answers[c].n == 0);
	/* never below the minimum */
	free(cause);
	cause = NULL;
	(void)visit_count_add(v, c, -1, T0 + 5, &cause);
	assert_int_equal(v->answers[c].kind, VALUE_NUMBER);
	assert_true(v->answers[c].n == 0);
	free(cause);
	cause = NULL;
	/* max 3: the fourth is refused and the tally stays */
	assert_int_equal(visit_count_add(v, c, 1, T0 + 6, &cause), 0);
	assert_int_equal(visit_count_add(v, c, 1, T0 + 7, &cause), 0);
	assert_int_equal(visit_count_add(v, c, 1, T0 + 8, &cause), 0);
	assert_true(v->answers[c].n == 3);
	assert_int_equal(visit_count_add(v, c, 1, T0 + 9, &cause), -1);
	assert_non_null(strstr(cause, "maximum"));
	free(cause);
	cause = NULL;
	assert_true(v->answers[c].n == 3);
	assert_int_equal(v->answered_at[c], T0 + 8);
	/* only a count is a tally */
	assert_int_equal(visit_count_add(v, qi(v, "fee"), 1, T0, &cause), -1);
	assert_non_null(strstr(cause, "not a count"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->answers[qi(v, "fee")].kind, VALUE_NONE);
	/* nor on a final visit */
	set_bool(v, "ok", 1);
	assert_int_equal(visit_finalize(v, T0 + 10, &cause), 0);
	assert_int_equal(visit_count_add(v, c, -1, T0 + 11, &cause), -1);
	free(cause);
	assert_true(v->answers[c].n == 3);
	visit_free(v);
}

static const char count_min_form[] =
    "form: t\n"
    "version: 1\n"
    "title: T\n"
    "language: en\n"
    "units: [a]\n"
    "sections:\n"
    "  - title: S\n"
    "    questions:\n"
    "      - {id: c, type: count, label: L, min: 2}\n";

static void
test_count_min(void **state)
{
	struct visit *v;
	char *cause = NULL;

	(void)state;
	v = visit_new(load(count_min_form), 1, "a", NULL, NULL, T0, &cause);
	assert_non_null(v);
	/* unanswered, taking one back cannot go below the minimum */
	(void)visit_count_add(v, 0, -1, T0, &cause);
	assert_true(v->answers[0].kind == VALUE_NONE || v->answers[0].n >= 2);
	free(cause);
	cause = NULL;
	assert_int_equal(visit_count_add(v, 0, 1, T0, &cause), 0);
	assert_true(v->answers[0].n >= 2);
	visit_free(v);
}

static void
test_problems_missing(void **state)
{
	struct visit *v = draft();
	struct visit_problem *p;
	size_t n;
	char *text;

	(void)state;
	/* only ok is required and visible at first */
	n = visit_problems(v, &p);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].kind, VISIT_MISSING);
	assert_int_equal(p[0].question, qi(v, "ok"));
	text = visit_problem_text(v, &p[0]);
	assert_string_equal(text, "ok: required, not answered");
	free(text);
	free(p);
	/* ok = no shows why, which is required in turn */
	set_bool(v, "ok", 0);
	assert_false(has_problem(v, VISIT_MISSING, "ok"));
	assert_true(has_problem(v, VISIT_MISSING, "why"));
	assert_false(has_problem(v, VISIT_MISSING, "detail"));
	set_string(v, "why", "other");
	assert_true(has_problem(v, VISIT_MISSING, "detail"));
	set_string(v, "detail", "x");
	n = visit_problems(v, &p);
	assert_int_equal(n, 0);
	free(p);
	visit_free(v);
}

static void
test_problems_constraint(void **state)
{
	struct visit *v = draft();
	size_t fee = qi(v, "fee"), spent = qi(v, "spent");
	struct visit_problem *p;
	size_t n;
	char *text;

	(void)state;
	set_bool(v, "ok", 1);
	/* unanswered: nothing to judge */
	assert_false(visit_constraint_fails(v, fee));
	set_number(v, "fee", 0);
	assert_true(visit_constraint_fails(v, fee));
	n = visit_problems(v, &p);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].kind, VISIT_CONSTRAINT);
	assert_int_equal(p[0].question, fee);
	text = visit_problem_text(v, &p[0]);
	assert_string_equal(text, "fee: the fee must be above 0");
	free(text);
	free(p);
	set_number(v, "fee", 0.5);
	assert_false(visit_constraint_fails(v, fee));

	/* a constraint on another, unanswered question is unknown: passes */
	set_number(v, "spent", 500);
	assert_false(visit_constraint_fails(v, spent));
	set_number(v, "limit", 100);
	assert_true(visit_constraint_fails(v, spent));
	assert_true(has_problem(v, VISIT_CONSTRAINT, "spent"));
	set_number(v, "limit", 500);
	assert_false(visit_constraint_fails(v, spent));
	visit_free(v);
}

static void
test_warn_reason(void **state)
{
	struct visit *v = draft();
	size_t w = qi(v, "wait");
	struct visit_problem *p;
	char *cause = NULL, *text;
	size_t n;

	(void)state;
	set_bool(v, "ok", 1);
	set_number(v, "wait", 1800);
	assert_false(visit_warns(v, w));
	set_number(v, "wait", 1801);
	assert_true(visit_warns(v, w));
	n = visit_problems(v, &p);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].kind, VISIT_NEEDS_REASON);
	assert_int_equal(p[0].question, w);
	text = visit_problem_text(v, &p[0]);
	assert_non_null(strstr(text, "wait: a long wait"));
	assert_non_null(strstr(text, "reason"));
	free(text);
	free(p);
	/* an empty reason is no reason */
	assert_int_equal(visit_set_reason(v, w, "", &cause), 0);
	assert_true(has_problem(v, VISIT_NEEDS_REASON, "wait"));
	assert_int_equal(visit_set_reason(v, w, "排隊的人很多", &cause), 0);
	assert_string_equal(v->reasons[w], "排隊的人很多");
	/* the warning still shows; it just no longer stops finalizing */
	assert_true(visit_warns(v, w));
	assert_false(has_problem(v, VISIT_NEEDS_REASON, "wait"));
	assert_int_equal(visit_finalize(v, T0 + 5, &cause), 0);
	visit_free(v);
}

static void
test_alerts(void **state)
{
	struct visit *v = draft();
	size_t f = qi(v, "favours"), a = qi(v, "amount");

	(void)state;
	assert_false(visit_alerts(v, f));
	assert_int_equal(visit_alert_count(v), 0);
	set_bool(v, "favours", 0);
	assert_false(visit_alerts(v, f));
	set_bool(v, "favours", 1);
	assert_true(visit_alerts(v, f));
	assert_int_equal(visit_alert_count(v), 1);
	set_number(v, "amount", 500);
	assert_true(visit_alerts(v, a));
	assert_int_equal(visit_alert_count(v), 2);
	/* alerts are not problems: they do not stop finalizing */
	assert_false(has_problem(v, VISIT_CONSTRAINT, "favours"));
	/* a hidden question raises no alert, though its answer is kept */
	set_bool(v, "favours", 0);
	assert_false(visit_alerts(v, a));
	assert_int_equal(visit_alert_count(v), 0);
	assert_true(v->answers[a].n == 500);
	visit_free(v);
}

static void
test_finalize(void **state)
{
	struct visit *v = draft();
	char *cause = NULL;

	(void)state;
	set_number(v, "fee", 0);
	set_number(v, "wait", 4000);
	assert_int_equal(visit_finalize(v, T0 + 50, &cause), -1);
	/* every problem, each named, in form order */
	assert_non_null(strstr(cause, "3 problems"));
	assert_non_null(strstr(cause, "ok: required, not answered"));
	assert_non_null(strstr(cause, "fee: the fee must be above 0"));
	assert_non_null(strstr(cause, "wait: a long wait"));
	assert_true(strstr(cause, "ok:") < strstr(cause, "fee:"));
	assert_true(strstr(cause, "fee:") < strstr(cause, "wait:"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->status, VISIT_DRAFT);
	assert_int_equal(v->finalized, 0);

	set_bool(v, "ok", 1);
	set_number(v, "fee", 3);
	assert_int_equal(visit_finalize(v, T0 + 60, &cause), -1);
	assert_non_null(strstr(cause, "1 problem:"));
	assert_null(strstr(cause, "fee"));
	free(cause);
	cause = NULL;
	assert_int_equal(visit_set_reason(v, qi(v, "wait"), "busy", &cause), 0);
	assert_int_equal(visit_finalize(v, T0 + 70, &cause), 0);
	assert_int_equal(v->status, VISIT_FINAL);
	assert_int_equal(v->finalized, T0 + 70);
	/* once only */
	assert_int_equal(visit_finalize(v, T0 + 80, &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(v->finalized, T0 + 70);
	visit_free(v);
}

/* A final visit with fee 5 and ok yes. */
static struct visit *
final(void)
{
	struct visit *v = draft();
	char *cause = NULL;

	set_bool(v, "ok", 1);
	set_number(v, "fee", 5);
	set_number(v, "mood", 5);
	assert_int_equal(visit_finalize(v, T0 + 100, &cause), 0);
	return v;
}

static void
test_amend(void **state)
{
	struct visit *v = draft();
	size_t fee = qi(v, "fee");
	struct value val = { 0 };
	const struct value *got;
	char *cause = NULL;

	(void)state;
	value_number(&val, 7);
	/* a draft is corrected by answering, not amending */
	set_bool(v, "ok", 1);
	assert_int_equal(
	    visit_amend(v, fee, &val, "typo", T0 + 200, &cause), -1);
	assert_non_null(strstr(cause, "draft"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->namendments, 0);
	visit_free(v);

	v = final();
	/* a reason is needed */
	assert_int_equal(visit_amend(v, fee, &val, NULL, T0 + 200, &cause), -1);
	assert_non_null(strstr(cause, "reason"));
	free(cause);
	cause = NULL;
	assert_int_equal(visit_amend(v, fee, &val, "", T0 + 200, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(v->namendments, 0);

	assert_int_equal(
	    visit_amend(v, fee, &val, "misread the receipt", T0 + 200, &cause),
	    0);
	assert_int_equal(v->namendments, 1);
	assert_int_equal(v->amendments[0].question, fee);
	assert_string_equal(v->amendments[0].reason, "misread the receipt");
	assert_int_equal(v->amendments[0].at, T0 + 200);
	/* the original stays, the amendment counts */
	assert_true(v->answers[fee].n == 5);
	got = visit_value(v, fee);
	assert_non_null(got);
	assert_true(got->n == 7);
	assert_int_equal(v->status, VISIT_FINAL);

	/* a second amendment of the same question wins over the first */
	value_number(&val, 8);
	assert_int_equal(
	    visit_amend(v, fee, &val, "again", T0 + 300, &cause), 0);
	assert_int_equal(v->namendments, 2);
	assert_true(visit_value(v, fee)->n == 8);

	/* breaking the constraint (fee > 0) is refused, leaving nothing */
	value_number(&val, 0);
	assert_int_equal(
	    visit_amend(v, fee, &val, "zero", T0 + 400, &cause), -1);
	assert_non_null(strstr(cause, "the fee must be above 0"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->namendments, 2);
	assert_true(visit_value(v, fee)->n == 8);
	assert_false(visit_constraint_fails(v, fee));

	/* a value the question cannot take */
	value_number(&val, 5000);
	assert_int_equal(
	    visit_amend(v, fee, &val, "big", T0 + 400, &cause), -1);
	free(cause);
	cause = NULL;
	value_string(&val, "8");
	assert_int_equal(
	    visit_amend(v, fee, &val, "text", T0 + 400, &cause), -1);
	free(cause);
	cause = NULL;
	/* a required answer cannot be amended away */
	value_clear(&val);
	assert_int_equal(
	    visit_amend(v, qi(v, "ok"), &val, "gone", T0 + 400, &cause), -1);
	assert_non_null(strstr(cause, "required"));
	free(cause);
	cause = NULL;
	/* a hidden question cannot be amended */
	value_string(&val, "referred");
	assert_int_equal(
	    visit_amend(v, qi(v, "why"), &val, "x", T0 + 400, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(v->namendments, 2);
	assert_int_equal(v->status, VISIT_FINAL);
	value_clear(&val);
	visit_free(v);
}

static void
test_amend_visibility(void **state)
{
	struct visit *v = final();
	size_t ok = qi(v, "ok"), why = qi(v, "why");
	struct value val = { 0 }, no = { 0 };
	struct visit_amend_answer both[2] = { { 0, NULL }, { 0, NULL } };
	char *cause = NULL;

	(void)state;

	/* ok to no alone would leave why (shown by it, required) empty */
	value_bool(&no, 0);
	assert_int_equal(visit_amend(v, ok, &no, "no", T0 + 200, &cause), -1);
	assert_non_null(strstr(cause, "why: required, not answered"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->namendments, 0);
	assert_false(visit_visible(v, why));
	assert_true(visit_value(v, ok)->b);
	/* why first and ok after: one amendment, judged as a whole */
	value_string(&val, "referred");
	both[0].question = why;
	both[0].value = &val;
	both[1].question = ok;
	both[1].value = &no;
	assert_int_equal(
	    visit_amend_answers(v, both, 2, "forgot", NULL, T0 + 300, &cause),
	    0);
	assert_int_equal(v->namendments, 2);
	assert_true(visit_visible(v, why));
	assert_true(v->answers[ok].b); /* the original stays */
	assert_false(visit_value(v, ok)->b);
	assert_string_equal(visit_value(v, why)->s, "referred");
	value_clear(&val);
	value_clear(&no);
	visit_free(v);
}

/*
 * An amendment that raises a soft check needs its reason; every problem
 * is listed at once, and a refused amendment leaves the visit as it was.
 */
static void
test_amend_checks(void **state)
{
	struct visit *v = final();
	size_t ok = qi(v, "ok"), wait = qi(v, "wait"), mood = qi(v, "mood");
	struct value no = { 0 }, secs = { 0 }, one = { 0 };
	struct visit_amend_answer two[2];
	struct visit_problem *p;
	char **warn, *cause = NULL;

	(void)state;
	warn = xcalloc(v->form->nquestions, sizeof *warn);
	value_bool(&no, 0);
	value_number(&secs, 2000);
	two[0] = (struct visit_amend_answer){ ok, &no };
	two[1] = (struct visit_amend_answer){ wait, &secs };
	/* why left empty, and the long wait without a reason: both said */
	assert_int_equal(
	    visit_amend_answers(v, two, 2, "misread", warn, T0 + 200, &cause),
	    -1);
	assert_non_null(strstr(cause, "cannot amend: 2 problems"));
	assert_non_null(strstr(cause, "why: required, not answered"));
	assert_non_null(strstr(cause, "wait: a long wait (give a reason)"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->namendments, 0);
	assert_null(v->reasons[wait]);
	assert_true(visit_value(v, ok)->b);
	assert_null(visit_value(v, wait));

	/* a reason for a soft check that does not fire is refused too */
	warn[mood] = (char *)"why not";
	value_number(&one, 1);
	two[0] = (struct visit_amend_answer){ wait, &secs };
	two[1] = (struct visit_amend_answer){ mood, &one };
	assert_int_equal(
	    visit_amend_answers(v, two, 2, "misread", warn, T0 + 200, &cause),
	    -1);
	assert_non_null(strstr(cause, "mood: no soft check"));
	assert_non_null(strstr(cause, "wait: a long wait"));
	free(cause);
	cause = NULL;
	assert_int_equal(v->namendments, 0);
	assert_true(visit_value(v, mood)->n == 5);

	/* the same question twice in one amendment */
	warn[mood] = NULL;
	two[1] = (struct visit_amend_answer){ wait, &secs };
	warn[wait] = (char *)"a long queue";
	assert_int_equal(
	    visit_amend_answers(v, two, 2, "misread", warn, T0 + 200, &cause),
	    -1);
	assert_non_null(strstr(cause, "wait: given twice"));
	free(cause);
	cause = NULL;
	assert_null(v->reasons[wait]);

	/* a hidden question given many times: every copy is refused, and
	 * the list of problems has room for all of them (ASan) */
	{
		size_t nmany = v->form->nquestions + 3, i;
		struct visit_amend_answer *many;
		struct value none = { 0 };

		many = xcalloc(nmany, sizeof *many);
		for (i = 0; i < nmany; i++)
			many[i] =
			    (struct visit_amend_answer){ qi(v, "why"), &none };
		assert_int_equal(visit_amend_answers(v, many, nmany, "misread",
		                     NULL, T0 + 200, &cause),
		    -1);
		assert_non_null(strstr(cause, "why: given twice"));
		assert_non_null(strstr(cause, "why: not shown"));
		assert_int_equal(v->namendments, 0);
		free(cause);
		cause = NULL;
		free(many);
	}

	/* with its reason: accepted, and the reason counts */
	assert_int_equal(
	    visit_amend_answers(v, two, 1, "misread", warn, T0 + 200, &cause),
	    0);
	assert_int_equal(v->namendments, 1);
	assert_string_equal(v->reasons[wait], "a long queue");
	assert_true(visit_value(v, wait)->n == 2000);
	assert_true(visit_warns(v, wait));
	assert_int_equal(visit_problems(v, &p), 0);
	free(p);
	free(warn);
	value_clear(&no);
	value_clear(&secs);
	value_clear(&one);
	visit_free(v);
}

/* A snapshot put back undoes every kind of change. */
static void
test_snapshot_restore(void **state)
{
	struct visit *v = draft(), *snap;
	size_t wait = qi(v, "wait"), people = qi(v, "people");
	char *cause = NULL;

	(void)state;
	set_bool(v, "ok", 1);
	set_number(v, "fee", 5);
	assert_int_equal(visit_timer_start(v, wait, T0 + 10, &cause), 0);
	snap = visit_snapshot(v);
	set_bool(v, "ok", 0);
	assert_int_equal(visit_timer_stop(v, wait, T0 + 5000, &cause), 0);
	assert_int_equal(visit_count_add(v, people, 1, T0 + 20, &cause), 0);
	assert_int_equal(visit_set_reason(v, wait, "r", &cause), 0);
	visit_restore(v, snap);
	assert_true(visit_value(v, qi(v, "ok"))->b);
	assert_false(visit_visible(v, qi(v, "why")));
	assert_int_equal(v->timers[wait].running_since, T0 + 10);
	assert_null(visit_value(v, wait));
	assert_null(visit_value(v, people));
	assert_null(v->reasons[wait]);
	assert_int_equal(v->status, VISIT_DRAFT);
	visit_free(v);
}

static void
test_score(void **state)
{
	static const char *const posted[] = { "fees", "steps", "deadline" };
	struct visit *v = draft();
	struct value val = { 0 };
	char *cause = NULL;

	(void)state;
	assert_true(visit_score(v) == 0);
	set_bool(v, "ok", 1);
	assert_true(visit_score(v) == 2);
	set_set(v, "posted", posted, 3);
	assert_true(visit_score(v) == 4);
	set_number(v, "mood", 5);
	assert_true(visit_score(v) == 8);
	set_number(v, "mood", 3); /* unscored point */
	assert_true(visit_score(v) == 4);
	/* ok = no (0 points) shows why: referred scores 5 */
	set_bool(v, "ok", 0);
	set_string(v, "why", "referred");
	assert_true(visit_score(v) == 7);
	/* hidden again: why's 5 no longer count, though kept */
	set_bool(v, "ok", 1);
	assert_true(visit_score(v) == 4);
	/* an amendment counts instead of the answer */
	set_number(v, "fee", 1);
	assert_int_equal(visit_finalize(v, T0 + 100, &cause), 0);
	value_number(&val, 5);
	assert_int_equal(
	    visit_amend(v, qi(v, "mood"), &val, "x", T0 + 200, &cause), 0);
	assert_true(visit_score(v) == 8);
	value_clear(&val);
	visit_free(v);
}

/*
 * The most reachable: ok's best is 2, posted's fees and steps together 2,
 * mood's 5 gives 4; why (referred: 5) only while it is shown.
 */
static void
test_score_max(void **state)
{
	static const char *const fees[] = { "fees" };
	static const char scale_form[] =
	    "form: m\nversion: 1\ntitle: M\nlanguage: en\nunits: [{id: x, "
	    "name: X}]\n"
	    "sections:\n  - title: S\n    questions:\n"
	    "      - {id: a, type: yesno, label: L, score: {yes: -1, no: -3}}\n"
	    "      - {id: b, type: yesno, label: L, required: true,"
	    " score: {yes: -1, no: -3}}\n"
	    "      - {id: c, type: scale, label: L, min: 0, max: 9,"
	    " score: {0: 1, 7: 6, 9: 2}}\n";
	struct visit *v = draft();
	char *cause = NULL;

	(void)state;
	assert_true(visit_score_max(v) == 8);
	/* answers do not change the maximum, only what is shown does */
	set_set(v, "posted", fees, 1);
	set_number(v, "mood", 1);
	assert_true(visit_score_max(v) == 8);
	set_bool(v, "ok", 0);
	assert_true(visit_score_max(v) == 13);
	set_string(v, "why", "other");
	assert_true(visit_score_max(v) == 13);
	set_bool(v, "ok", 1);
	assert_true(visit_score_max(v) == 8);
	visit_free(v);

	/* optional: leaving it scores 0, above -1; required: -1 at best;
	 * a scale's best point anywhere in its range */
	v = visit_new(load(scale_form), 1, "x", NULL, NULL, T0, &cause);
	assert_non_null(v);
	assert_true(visit_score_max(v) == 0 + -1 + 6);
	visit_free(v);
}

static void
test_progress(void **state)
{
	struct visit *v = draft();
	size_t answered, visible;

	(void)state;
	/* 16 answerable questions, why/detail/amount hidden, the note is
	 * no question; the default of "at" is not an answer */
	visit_progress(v, &answered, &visible);
	assert_int_equal(visible, 13);
	assert_int_equal(answered, 0);
	set_bool(v, "ok", 0);
	visit_progress(v, &answered, &visible);
	assert_int_equal(visible, 14);
	assert_int_equal(answered, 1);
	set_string(v, "why", "other");
	set_string(v, "detail", "d");
	visit_progress(v, &answered, &visible);
	assert_int_equal(visible, 15);
	assert_int_equal(answered, 3);
	/* hiding why and detail takes their answers out of both counts */
	set_bool(v, "ok", 1);
	visit_progress(v, &answered, &visible);
	assert_int_equal(visible, 13);
	assert_int_equal(answered, 1);
	visit_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_new_unit),
		cmocka_unit_test(test_new_division_person),
		cmocka_unit_test(test_new_defaults),
		cmocka_unit_test(test_visibility_chain),
		cmocka_unit_test(test_check_kind),
		cmocka_unit_test(test_check_choice_multi),
		cmocka_unit_test(test_check_numbers),
		cmocka_unit_test(test_check_text),
		cmocka_unit_test_teardown(
		    test_check_text_controls, visit_teardown),
		cmocka_unit_test(test_check_date_time),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_timer_typed_base),
		cmocka_unit_test_teardown(test_timer_retyped, visit_teardown),
		cmocka_unit_test(test_timer_running_blocks_finalize),
		cmocka_unit_test_teardown(
		    test_timer_hidden_running, visit_teardown),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_count_min),
		cmocka_unit_test(test_problems_missing),
		cmocka_unit_test(test_problems_constraint),
		cmocka_unit_test(test_warn_reason),
		cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_finalize),
		cmocka_unit_test(test_amend),
		cmocka_unit_test(test_amend_visibility),
		cmocka_unit_test_teardown(
		    test_amend_other_constraint, visit_teardown),
		cmocka_unit_test(test_amend_checks),
		cmocka_unit_test(test_snapshot_restore),
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_score_max),
		cmocka_unit_test(test_progress),
	};

	return cmocka_run_group_tests(tests, visit_setup, NULL);
}
