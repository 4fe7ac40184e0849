/*
 * form: type names both ways, the value kind of each type, dates and
 * times, look-ups of questions and choices, and scores of answers.
 */
#include "unit.h"

#include "anfang/form.h"
#include "anfang/value.h"

static const char *const type_names[FORM_NTYPES] = {
	[FORM_YESNO] = "yesno",
	[FORM_CHOICE] = "choice",
	[FORM_MULTI] = "multi",
	[FORM_NUMBER] = "number",
	[FORM_SCALE] = "scale",
	[FORM_TEXT] = "text",
	[FORM_DATE] = "date",
	[FORM_TIME] = "time",
	[FORM_TIMER] = "timer",
	[FORM_COUNT] = "count",
	[FORM_NOTE] = "note",
};

static const char score_form[] =
    "form: score-test\n"
    "version: 1\n"
    "title: T\n"
    "language: en\n"
    "units: [u]\n"
    "sections:\n"
    "  - title: First\n"
    "    questions:\n"
    "      - id: ok\n"
    "        type: yesno\n"
    "        label: L\n"
    "        score: {yes: 2, no: -1}\n"
    "      - id: pick\n"
    "        type: choice\n"
    "        label: L\n"
    "        choices:\n"
    "          - {value: a, label: Alpha}\n"
    "          - {value: b, label: Beta}\n"
    "          - c\n"
    "        score: {a: 3, b: 1.5}\n"
    "  - title: Second\n"
    "    questions:\n"
    "      - id: many\n"
    "        type: multi\n"
    "        label: L\n"
    "        choices: [x, y, z, w]\n"
    "        score: {x: 1, y: 2, z: 4}\n"
    "      - id: mood\n"
    "        type: scale\n"
    "        label: L\n"
    "        min: 1\n"
    "        max: 5\n"
    "        score: {\"01\": -2, 2: 0.5, \"+5\": 10}\n"
    "      - {id: plain, type: yesno, label: L}\n"
    "      - {id: n, type: number, label: L}\n"
    "      - {id: read, type: note, label: L}\n"
    "      - id: level\n"
    "        type: choice\n"
    "        label: L\n"
    "        choices: [\"1\", \"2\"]\n"
    "        score: {\"1\": 3}\n";

static int
form_setup(void **state)
{
	struct diag_list diags = { 0 };
	struct form *f;

	f = unit_form(score_form, &diags);
	if (f == NULL)
		unit_dump(&diags);
	diag_clear(&diags);
	*state = f;
	return f == NULL ? -1 : 0;
}

static int
form_teardown(void **state)
{
	form_free(*state);
	return 0;
}

static const struct form_question *
question(const struct form *f, const char *id)
{
	long i = form_find(f, id);

	assert_true(i >= 0);
	return &f->questions[i];
}

static void
test_type_names(void **state)
{
	enum form_type t, back;

	(void)state;
	for (t = 0; t < FORM_NTYPES; t++) {
		assert_string_equal(form_type_name(t), type_names[t]);
		back = FORM_NTYPES;
		assert_int_equal(form_type_from_name(type_names[t], &back), 0);
		assert_int_equal(back, t);
	}
	assert_string_equal(form_type_name(FORM_NTYPES), "?");
	assert_string_equal(form_type_name((enum form_type)99), "?");
}

static void
test_type_unknown_names(void **state)
{
	static const char *const bad[] = { "", "Yesno", "YESNO", "yes",
		"yesno ", " yesno", "notes", "integer", "string", "?",
		"multi\n", "datetime", "choices" };
	enum form_type t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = FORM_TIMER;
		assert_int_equal(form_type_from_name(bad[i], &t), -1);
		/* A failed look-up leaves the result alone. */
		assert_int_equal(t, FORM_TIMER);
	}
}

static void
test_type_value_kind(void **state)
{
	(void)state;
	assert_int_equal(form_type_value_kind(FORM_YESNO), VALUE_BOOL);
	assert_int_equal(form_type_value_kind(FORM_CHOICE), VALUE_STRING);
	assert_int_equal(form_type_value_kind(FORM_MULTI), VALUE_SET);
	assert_int_equal(form_type_value_kind(FORM_NUMBER), VALUE_NUMBER);
	assert_int_equal(form_type_value_kind(FORM_SCALE), VALUE_NUMBER);
	assert_int_equal(form_type_value_kind(FORM_TEXT), VALUE_STRING);
	assert_int_equal(form_type_value_kind(FORM_DATE), VALUE_STRING);
	assert_int_equal(form_type_value_kind(FORM_TIME), VALUE_STRING);
	assert_int_equal(form_type_value_kind(FORM_TIMER), VALUE_NUMBER);
	assert_int_equal(form_type_value_kind(FORM_COUNT), VALUE_NUMBER);
	assert_int_equal(form_type_value_kind(FORM_NOTE), VALUE_NONE);
	assert_int_equal(form_type_value_kind(FORM_NTYPES), VALUE_NONE);
}

static void
test_type_answers(void **state)
{
	enum form_type t;

	(void)state;
	/* Every type but note holds an answer, of some kind. */
	for (t = 0; t < FORM_NTYPES; t++) {
		assert_int_equal(form_type_answers(t) != 0, t != FORM_NOTE);
		assert_int_equal(
		    form_type_value_kind(t) != VALUE_NONE, t != FORM_NOTE);
	}
}

static void
test_severity_names(void **state)
{
	(void)state;
	assert_string_equal(form_severity_name(FORM_SEVERITY_LOW), "low");
	assert_string_equal(form_severity_name(FORM_SEVERITY_MEDIUM), "medium");
	assert_string_equal(form_severity_name(FORM_SEVERITY_HIGH), "high");
	assert_string_equal(form_severity_name((enum form_severity)0), "?");
}

static void
test_valid_date(void **state)
{
	static const char *const good[] = { "2024-02-29", "2000-02-29",
		"2023-02-28", "2024-12-31", "2024-01-01", "1999-04-30",
		"0001-01-01" };
	static const char *const bad[] = { "2023-02-29", "1900-02-29",
		"2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10",
		"2024-01-00", "2024-01-32", "2024-1-01", "24-01-01",
		"+123-01-01", " 2024-01-01", "2024-01-01 ", "2024-01-01x",
		"2024/01/01", "2024-01-0a", "", "yesterday" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!form_valid_date(good[i]))
			fail_msg("\"%s\" should be a date", good[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (form_valid_date(bad[i]))
			fail_msg("\"%s\" should not be a date", bad[i]);
	}
}

static void
test_valid_time(void **state)
{
	static const char *const good[] = { "00:00", "09:30", "12:05",
		"23:59" };
	static const char *const bad[] = { "24:00", "12:60", "99:99", "9:30",
		"09:3", "09:30:00", "09-30", "0930", " 9:30", "09:30 ", "ab:cd",
		"" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!form_valid_time(good[i]))
			fail_msg("\"%s\" should be a time", good[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (form_valid_time(bad[i]))
			fail_msg("\"%s\" should not be a time", bad[i]);
	}
}

static void
test_find(void **state)
{
	const struct form *f = *state;

	assert_int_equal(f->nquestions, 8);
	assert_int_equal(form_find(f, "ok"), 0);
	assert_int_equal(form_find(f, "pick"), 1);
	assert_int_equal(form_find(f, "many"), 2);
	assert_int_equal(form_find(f, "mood"), 3);
	assert_int_equal(form_find(f, "read"), 6);
	assert_string_equal(f->questions[form_find(f, "n")].id, "n");
	/* Exact, case-sensitive matches only. */
	assert_int_equal(form_find(f, "OK"), -1);
	assert_int_equal(form_find(f, "o"), -1);
	assert_int_equal(form_find(f, "okay"), -1);
	assert_int_equal(form_find(f, ""), -1);
	assert_int_equal(form_find(f, "First"), -1);
}

static void
test_find_choice(void **state)
{
	const struct form *f = *state;
	const struct form_question *q = question(f, "pick");
	const struct form_choice *c;

	c = form_find_choice(q, "a");
	assert_non_null(c);
	assert_ptr_equal(c, &q->choices[0]);
	assert_string_equal(c->label, "Alpha");
	c = form_find_choice(q, "b");
	assert_non_null(c);
	assert_string_equal(c->label, "Beta");
	/* A bare choice is its own label. */
	c = form_find_choice(q, "c");
	assert_non_null(c);
	assert_string_equal(c->label, "c");
	/* Values, not labels; exact matches only. */
	assert_null(form_find_choice(q, "Alpha"));
	assert_null(form_find_choice(q, "A"));
	assert_null(form_find_choice(q, ""));
	assert_null(form_find_choice(q, "d"));
	/* A question without choices has none to find. */
	assert_null(form_find_choice(question(f, "ok"), "yes"));
	assert_non_null(form_find_choice(question(f, "many"), "w"));
}

static void
test_score_yesno(void **state)
{
	const struct form *f = *state;
	const struct form_question *q = question(f, "ok");
	struct value v = { 0 };

	value_bool(&v, 1);
	assert_true(form_score(q, &v) == 2);
	value_bool(&v, 0);
	assert_true(form_score(q, &v) == -1);
	/* The same answer to an unscored question scores nothing. */
	value_bool(&v, 1);
	assert_true(form_score(question(f, "plain"), &v) == 0);
	value_clear(&v);
}

static void
test_score_choice(void **state)
{
	const struct form *f = *state;
	const struct form_question *q = question(f, "pick");
	struct value v = { 0 };

	value_string(&v, "a");
	assert_true(form_score(q, &v) == 3);
	value_string(&v, "b");
	assert_true(form_score(q, &v) == 1.5);
	value_string(&v, "c"); /* a choice without a score */
	assert_true(form_score(q, &v) == 0);
	value_string(&v, "Alpha"); /* a label is not a value */
	assert_true(form_score(q, &v) == 0);
	value_clear(&v);
}

static void
test_score_multi_sums(void **state)
{
	const struct form *f = *state;
	const struct form_question *q = question(f, "many");
	const char *xz[] = { "x", "z" };
	const char *all[] = { "w", "z", "y", "x" };
	const char *unscored[] = { "w" };
	struct value v = { 0 };

	value_set(&v, xz, 2);
	assert_true(form_score(q, &v) == 5);
	value_set(&v, all, 4);
	assert_true(form_score(q, &v) == 7);
	value_set(&v, unscored, 1);
	assert_true(form_score(q, &v) == 0);
	value_set(&v, NULL, 0);
	assert_true(form_score(q, &v) == 0);
	value_clear(&v);
}

static void
test_score_scale(void **state)
{
	const struct form *f = *state;
	const struct form_question *q = question(f, "mood");
	struct value v = { 0 };

	value_number(&v, 5);
	assert_true(form_score(q, &v) == 10);
	value_number(&v, 1);
	assert_true(form_score(q, &v) == -2);
	value_number(&v, 2);
	assert_true(form_score(q, &v) == 0.5);
	value_number(&v, 3); /* a point without a score */
	assert_true(form_score(q, &v) == 0);
	value_number(&v, 4);
	assert_true(form_score(q, &v) == 0);
	/* Only a scale scores numbers: a number question does not, nor a
	 * choice whose value reads like the number. */
	value_number(&v, 5);
	assert_true(form_score(question(f, "n"), &v) == 0);
	value_string(&v, "1");
	assert_true(form_score(question(f, "level"), &v) == 3);
	value_number(&v, 1);
	assert_true(form_score(question(f, "level"), &v) == 0);
	value_clear(&v);
}

static void
test_score_unanswered(void **state)
{
	const struct form *f = *state;
	struct value none = { 0 };
	size_t i;

	/* Nothing scores when there is no answer. */
	for (i = 0; i < f->nquestions; i++)
		assert_true(form_score(&f->questions[i], &none) == 0);
}

static void
test_sections(void **state)
{
	const struct form *f = *state;

	/* The loaded model the look-ups above rely on. */
	assert_int_equal(f->nsections, 2);
	assert_string_equal(f->sections[1].title, "Second");
	assert_int_equal(f->sections[1].first, 2);
	assert_int_equal(f->sections[1].count, 6);
	assert_int_equal(question(f, "mood")->section, 1);
	assert_int_equal(question(f, "mood")->type, FORM_SCALE);
	assert_int_equal(question(f, "pick")->nscores, 2);
}

static void
test_free_null(void **state)
{
	(void)state;
	form_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_type_unknown_names),
		cmocka_unit_test(test_type_value_kind),
		cmocka_unit_test(test_type_answers),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_valid_date),
		cmocka_unit_test(test_valid_time),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_choice),
		cmocka_unit_test(test_score_yesno),
		cmocka_unit_test(test_score_choice),
		cmocka_unit_test(test_score_multi_sums),
		cmocka_unit_test(test_score_scale),
		cmocka_unit_test(test_score_unanswered),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, form_setup, form_teardown);
}
