/*
 * form-expr: parsing, binding (ids and types) and the three-valued truth
 * table of the evaluator.
 */
#include "unit.h"

#include <stdlib.h>

#include "anfang/form-expr.h"
#include "anfang/xmalloc.h"

static const char expr_form[] =
    "form: t\n"
    "version: 1\n"
    "title: T\n"
    "language: en\n"
    "units: [u]\n"
    "sections:\n"
    "  - title: S\n"
    "    questions:\n"
    "      - {id: ok, type: yesno, label: L}\n"
    "      - {id: other, type: yesno, label: L}\n"
    "      - {id: n, type: number, label: L,"
    " decimals: 2}\n"
    "      - {id: m, type: count, label: L}\n"
    "      - id: reason\n"
    "        type: choice\n"
    "        label: L\n"
    "        choices: [referred, missing_docs, other]\n"
    "      - id: posted\n"
    "        type: multi\n"
    "        label: L\n"
    "        choices: [fees, steps, deadline]\n"
    "      - {id: words, type: text, label: L}\n"
    "      - {id: day, type: date, label: L}\n"
    "      - {id: at, type: time, label: L}\n"
    "      - {id: wait, type: timer, label: L}\n"
    "      - {id: mood, type: scale, label: L}\n"
    "      - {id: read, type: note, label: L}\n";

struct answers {
	const struct form *form;
	struct value v[32];
};

static const struct value *
expr_lookup(void *arg, size_t i)
{
	struct answers *a = arg;

	return a->v[i].kind == VALUE_NONE ? NULL : &a->v[i];
}

static struct value *
ans(struct answers *a, const char *id)
{
	long i = form_find(a->form, id);

	assert_true(i >= 0);
	return &a->v[i];
}

static int
expr_setup(void **state)
{
	struct diag_list diags = { 0 };
	struct answers *a = xcalloc(1, sizeof *a);

	a->form = unit_form(expr_form, &diags);
	if (a->form == NULL)
		unit_dump(&diags);
	diag_clear(&diags);
	*state = a;
	return a->form == NULL ? -1 : 0;
}

static int
expr_teardown(void **state)
{
	struct answers *a = *state;
	size_t i;

	for (i = 0; i < 32; i++)
		value_clear(&a->v[i]);
	form_free((struct form *)a->form);
	free(a);
	return 0;
}

/* Parse, bind as an expression of question n (so `.` is n), evaluate. */
static enum form_expr_truth
eval(struct answers *a, const char *text)
{
	struct form_pos pos = { 1, 1 }, errpos;
	struct diag_list diags = { 0 };
	struct form_expr *e;
	enum form_expr_truth t;
	char *cause = NULL;

	e = form_expr_parse(text, pos, &cause, &errpos);
	if (e == NULL)
		fprintf(stderr, "  parse \"%s\": %s\n", text, cause);
	assert_non_null(e);
	if (form_expr_bind(e, a->form, (size_t)form_find(a->form, "n"), 1,
	        "t.yaml", &diags) != 0)
		unit_dump(&diags);
	assert_int_equal(diags.n, 0);
	t = form_expr_eval(e, expr_lookup, a);
	form_expr_free(e);
	return t;
}

#define T FORM_EXPR_TRUE
#define F FORM_EXPR_FALSE
#define U FORM_EXPR_UNKNOWN

static void
test_unanswered_is_unknown(void **state)
{
	struct answers *a = *state;

	assert_int_equal(eval(a, "ok == yes"), U);
	assert_int_equal(eval(a, "ok != yes"), U);
	assert_int_equal(eval(a, "n > 3"), U);
	assert_int_equal(eval(a, ". > 3"), U);
	assert_int_equal(eval(a, "reason == \"referred\""), U);
	assert_int_equal(eval(a, "reason in [\"referred\", \"other\"]"), U);
	assert_int_equal(eval(a, "\"fees\" in posted"), U);
	assert_int_equal(eval(a, "ok"), U);
	assert_int_equal(eval(a, "not ok"), U);
	/* answered() is never unknown */
	assert_int_equal(eval(a, "answered(ok)"), F);
	assert_int_equal(eval(a, "not answered(n)"), T);
}

static void
test_comparisons(void **state)
{
	struct answers *a = *state;

	value_bool(ans(a, "ok"), 1);
	value_number(ans(a, "n"), 2.5);
	value_number(ans(a, "m"), 3);
	value_string(ans(a, "reason"), "referred");
	value_string(ans(a, "words"), "abc");
	value_string(ans(a, "day"), "2026-11-26");
	value_string(ans(a, "at"), "09:30");
	value_number(ans(a, "wait"), 1801);

	assert_int_equal(eval(a, "ok == yes"), T);
	assert_int_equal(eval(a, "ok == no"), F);
	assert_int_equal(eval(a, "ok != no"), T);
	assert_int_equal(eval(a, "ok"), T);
	assert_int_equal(eval(a, "n > 2"), T);
	assert_int_equal(eval(a, "n >= 2.5"), T);
	assert_int_equal(eval(a, "n > 2.5"), F);
	assert_int_equal(eval(a, "n < 2.5"), F);
	assert_int_equal(eval(a, "n <= 2.5"), T);
	assert_int_equal(eval(a, "n == 2.5"), T);
	assert_int_equal(eval(a, "n > -1"), T);
	assert_int_equal(eval(a, ". == 2.5"), T);
	assert_int_equal(eval(a, "n < m"), T);
	assert_int_equal(eval(a, "wait > 1800"), T);
	assert_int_equal(eval(a, "reason == \"referred\""), T);
	assert_int_equal(eval(a, "reason == 'other'"), F);
	assert_int_equal(eval(a, "reason != \"other\""), T);
	assert_int_equal(eval(a, "words == \"abc\""), T);
	assert_int_equal(eval(a, "day < \"2027-01-01\""), T);
	assert_int_equal(eval(a, "day >= \"2026-11-27\""), F);
	assert_int_equal(eval(a, "at > \"09:00\""), T);
	/* a comparison with one side unknown stays unknown */
	assert_int_equal(eval(a, "n < mood"), U);
}

static void
test_in(void **state)
{
	struct answers *a = *state;
	const char *chosen[] = { "fees", "deadline" };

	value_string(ans(a, "reason"), "missing_docs");
	value_set(ans(a, "posted"), chosen, 2);
	value_number(ans(a, "m"), 4);

	assert_int_equal(
	    eval(a, "reason in [\"referred\", \"missing_docs\"]"), T);
	assert_int_equal(eval(a, "reason in [\"referred\", \"other\"]"), F);
	assert_int_equal(eval(a, "m in [1, 2, 4]"), T);
	assert_int_equal(eval(a, "m in [1, 2]"), F);
	/* no item matches, but one item is unknown: unknown */
	assert_int_equal(eval(a, "m in [1, n]"), U);
	/* an item matches: true even with an unknown one */
	assert_int_equal(eval(a, "m in [n, 4]"), T);
	assert_int_equal(eval(a, "\"fees\" in posted"), T);
	assert_int_equal(eval(a, "\"steps\" in posted"), F);
	assert_int_equal(eval(a, "not \"steps\" in posted"), T);
}

/* Kleene's tables: every pair of T, F, U through and, or, not. */
static void
test_three_valued_logic(void **state)
{
	struct answers *a = *state;
	static const struct {
		const char *expr;
		enum form_expr_truth want;
	} table[] = {
		/* ok is yes (T), other is no (F), n is unanswered (U) */
		{ "ok and ok", T },
		{ "ok and other", F },
		{ "ok and n > 1", U },
		{ "other and ok", F },
		{ "other and other", F },
		{ "other and n > 1", F },
		{ "n > 1 and ok", U },
		{ "n > 1 and other", F },
		{ "n > 1 and n > 1", U },
		{ "ok or ok", T },
		{ "ok or other", T },
		{ "ok or n > 1", T },
		{ "other or ok", T },
		{ "other or other", F },
		{ "other or n > 1", U },
		{ "n > 1 or ok", T },
		{ "n > 1 or other", U },
		{ "n > 1 or n > 1", U },
		{ "not ok", F },
		{ "not other", T },
		{ "not n > 1", U },
		{ "not not ok", T },
		/* precedence: not > and > or */
		{ "other and other or ok", T },
		{ "other and (other or ok)", F },
		{ "not other and other", F },
		{ "not (other and other)", T },
		{ "answered(n) or ok", T },
		{ "answered(ok) and not answered(n)", T },
	};
	size_t i;

	value_bool(ans(a, "ok"), 1);
	value_bool(ans(a, "other"), 0);
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		if (eval(a, table[i].expr) != table[i].want)
			fail_msg("\"%s\" should be %d", table[i].expr,
			    table[i].want);
	}
}

/* Parse errors: message and the column they point at. */
static void
test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		int col;
		const char *msg;
	} table[] = {
		{ "", 1, "empty expression" },
		{ "ok ==", 6, "expected a value" },
		{ "ok = yes", 4, "\"=\" must be \"==\"" },
		{ "(ok == yes", 11, "expected \")\"" },
		{ "reason == \"x", 11, "unclosed string" },
		{ "ok yes", 4, "expected an operator" },
		{ "n > 3 4", 7, "expected an operator" },
		{ "m in 3", 6, "expected \"[\" or a question id" },
		{ "m in [1,", 9, "expected a value" },
		{ "answered(3)", 10, "expected a question id" },
		{ "n > 3x", 5, "invalid number" },
		{ "ok == yes ;", 11, "unexpected character \";\"" },
		{ "ok == yes and", 14, "expected a value" },
		{ "n == (ok)", 6, "expected a value, found a condition" },
		{ "ok == answered(n)", 7, "found a condition" },
		{ "n in [1, (ok and ok)]", 10, "found a condition" },
	};
	struct form_pos pos = { 7, 10 }, errpos;
	struct form_expr *e;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		cause = NULL;
		e = form_expr_parse(table[i].text, pos, &cause, &errpos);
		assert_null(e);
		assert_non_null(cause);
		if (strstr(cause, table[i].msg) == NULL ||
		    errpos.col != 10 + table[i].col - 1 || errpos.line != 7)
			fail_msg("\"%s\": got %d:%d %s", table[i].text,
			    errpos.line, errpos.col, cause);
		free(cause);
	}
}

static void
test_nesting_limit(void **state)
{
	struct form_pos pos = { 1, 1 }, errpos;
	char buf[FORM_EXPR_MAX_LEN + 2], *cause = NULL;
	struct form_expr *e;
	size_t i;

	(void)state;
	/* deep parentheses are refused, not a stack overflow */
	for (i = 0; i < 1000; i++)
		buf[i] = '(';
	strcpy(buf + i, "ok");
	e = form_expr_parse(buf, pos, &cause, &errpos);
	assert_null(e);
	assert_non_null(strstr(cause, "nested too deeply"));
	free(cause);

	for (i = 0; i < 1000; i++)
		memcpy(buf + 4 * i, "not ", 4);
	strcpy(buf + 4000, "ok");
	cause = NULL;
	assert_null(form_expr_parse(buf, pos, &cause, &errpos));
	assert_non_null(strstr(cause, "nested too deeply"));
	free(cause);

	memset(buf, ' ', sizeof buf - 1);
	buf[sizeof buf - 1] = '\0';
	cause = NULL;
	assert_null(form_expr_parse(buf, pos, &cause, &errpos));
	assert_non_null(strstr(cause, "too long"));
	free(cause);
}

/* Binding: unknown ids, types, choices; the position of each error. */
static void
test_bind_errors(void **state)
{
	struct answers *a = *state;
	static const struct {
		const char *text;
		int self_ok;
		int col;
		const char *msg;
	} table[] = {
		{ "nope == yes", 1, 1, "unknown question \"nope\"" },
		{ "\"abc\" > 3", 1, 1,
		    "type mismatch: cannot compare a string with a number" },
		{ "ok > no", 1, 1, "can only be compared with == or !=" },
		{ "ok == 3", 1, 1, "type mismatch" },
		{ "n == yes", 1, 1, "type mismatch" },
		{ "n == \"3\"", 1, 1, "type mismatch" },
		{ "reason == \"refered\"", 1, 11,
		    "\"refered\" is not a choice of \"reason\"" },
		{ "reason in [\"other\", \"nah\"]", 1, 21, "not a choice" },
		{ "reason > \"other\"", 1, 1, "only be compared with ==" },
		{ "words < \"x\"", 1, 1, "only be compared with ==" },
		{ "posted == \"fees\"", 1, 1,
		    "multi answer cannot be compared" },
		{ "\"nah\" in posted", 1, 1, "\"nah\" is not a choice" },
		{ "m in posted", 1, 1, "needs a quoted choice value" },
		{ "\"x\" in reason", 1, 8, "needs a list" },
		{ "day > \"2026-13-01\"", 1, 7, "is not a date" },
		{ "day > \"2026-02-30\"", 1, 7, "is not a date" },
		{ "at < \"25:00\"", 1, 6, "is not a time" },
		{ "n", 1, 1, "a number is not a condition" },
		{ "read == yes", 1, 1, "is a note and has no answer" },
		{ "answered(read)", 1, 10, "is a note" },
		{ ". > 3", 0, 1, "\".\" cannot be used in show_if" },
		{ "ok == yes and zz > 1 and yy", 1, 15, "unknown question" },
	};
	struct form_pos pos = { 3, 5 }, errpos;
	struct diag_list diags = { 0 };
	struct form_expr *e;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		e = form_expr_parse(table[i].text, pos, &cause, &errpos);
		assert_non_null(e);
		assert_true(form_expr_bind(e, a->form, 2, table[i].self_ok,
		                "t.yaml", &diags) > 0);
		if (!unit_has_diag(
		        &diags, 3, 5 + table[i].col - 1, table[i].msg))
			fail_msg("\"%s\"", table[i].text);
		diag_clear(&diags);
		form_expr_free(e);
	}
	/* every error is reported, not only the first */
	e = form_expr_parse("zz == 1 or yy == 2", pos, &cause, &errpos);
	assert_int_equal(form_expr_bind(e, a->form, 2, 1, "t.yaml", &diags), 2);
	diag_clear(&diags);
	form_expr_free(e);
}

static void
test_refs(void **state)
{
	struct answers *a = *state;
	struct form_pos pos = { 1, 1 }, errpos;
	struct diag_list diags = { 0 };
	struct form_expr *e;
	size_t refs[8], n;
	char *cause = NULL;

	e = form_expr_parse(
	    "ok == yes and (m > 1 or answered(words))", pos, &cause, &errpos);
	assert_int_equal(form_expr_bind(e, a->form, 0, 1, "t", &diags), 0);
	n = form_expr_refs(e, refs, 8);
	assert_int_equal(n, 3);
	assert_int_equal(refs[0], form_find(a->form, "ok"));
	assert_int_equal(refs[1], form_find(a->form, "m"));
	assert_int_equal(refs[2], form_find(a->form, "words"));
	assert_string_equal(
	    form_expr_text(e), "ok == yes and (m > 1 or answered(words))");
	form_expr_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_unanswered_is_unknown, expr_setup, expr_teardown),
		cmocka_unit_test_setup_teardown(
		    test_comparisons, expr_setup, expr_teardown),
		cmocka_unit_test_setup_teardown(
		    test_in, expr_setup, expr_teardown),
		cmocka_unit_test_setup_teardown(
		    test_three_valued_logic, expr_setup, expr_teardown),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test_setup_teardown(
		    test_bind_errors, expr_setup, expr_teardown),
		cmocka_unit_test_setup_teardown(
		    test_refs, expr_setup, expr_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
