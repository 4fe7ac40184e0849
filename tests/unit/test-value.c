/*
 * value: constructors own their data, copies are deep, sets compare
 * regardless of order, clearing leaves a zeroed value, and the text form
 * of each kind.
 */
#include "unit.h"

#include <stdlib.h>

#include "anfang/value.h"

/* Every field of v is zero (what value_clear promises). */
static void
assert_zeroed(const struct value *v)
{
	struct value zero;

	memset(&zero, 0, sizeof zero);
	assert_int_equal(v->kind, VALUE_NONE);
	assert_int_equal(v->b, 0);
	assert_true(v->n == 0);
	assert_null(v->s);
	assert_null(v->set);
	assert_int_equal(v->nset, 0);
	assert_memory_equal(v, &zero, sizeof zero);
}

static void
test_bool(void **state)
{
	struct value v = { 0 };

	(void)state;
	value_bool(&v, 1);
	assert_int_equal(v.kind, VALUE_BOOL);
	assert_int_equal(v.b, 1);
	value_bool(&v, 0);
	assert_int_equal(v.kind, VALUE_BOOL);
	assert_int_equal(v.b, 0);
	/* Any non-zero is true, stored as 1 so that equality works. */
	value_bool(&v, 42);
	assert_int_equal(v.b, 1);
	value_clear(&v);
}

static void
test_number(void **state)
{
	struct value v = { 0 };

	(void)state;
	value_number(&v, -2.5);
	assert_int_equal(v.kind, VALUE_NUMBER);
	assert_true(v.n == -2.5);
	value_number(&v, 1e9);
	assert_true(v.n == 1e9);
	value_clear(&v);
}

static void
test_string_owns_copy(void **state)
{
	char buf[] = "政務 window";
	struct value v = { 0 };

	(void)state;
	value_string(&v, buf);
	assert_int_equal(v.kind, VALUE_STRING);
	assert_string_equal(v.s, "政務 window");
	assert_ptr_not_equal(v.s, buf);
	/* Changing the caller's buffer leaves the value alone. */
	buf[0] = 'X';
	assert_string_equal(v.s, "政務 window");
	value_string(&v, "");
	assert_string_equal(v.s, "");
	value_clear(&v);
}

static void
test_set_owns_copies(void **state)
{
	char a[] = "fees", b[] = "steps";
	const char *items[] = { a, b };
	struct value v = { 0 };

	(void)state;
	value_set(&v, items, 2);
	assert_int_equal(v.kind, VALUE_SET);
	assert_int_equal(v.nset, 2);
	assert_string_equal(v.set[0], "fees");
	assert_string_equal(v.set[1], "steps");
	assert_ptr_not_equal(v.set[0], a);
	a[0] = 'X';
	b[0] = 'Y';
	assert_string_equal(v.set[0], "fees");
	assert_string_equal(v.set[1], "steps");
	value_clear(&v);

	/* The empty set is a set, not nothing. */
	value_set(&v, NULL, 0);
	assert_int_equal(v.kind, VALUE_SET);
	assert_int_equal(v.nset, 0);
	assert_false(value_set_has(&v, ""));
	value_clear(&v);
}

static void
test_constructor_replaces(void **state)
{
	const char *items[] = { "a", "b" };
	struct value v = { 0 };

	(void)state;
	/* Each constructor drops the old contents (ASan sees any leak). */
	value_string(&v, "text");
	value_number(&v, 3);
	assert_int_equal(v.kind, VALUE_NUMBER);
	assert_null(v.s);
	value_set(&v, items, 2);
	value_bool(&v, 1);
	assert_int_equal(v.kind, VALUE_BOOL);
	assert_null(v.set);
	assert_int_equal(v.nset, 0);
	value_set(&v, items, 2);
	value_string(&v, "again");
	assert_int_equal(v.kind, VALUE_STRING);
	assert_int_equal(v.nset, 0);
	assert_string_equal(v.s, "again");
	value_clear(&v);
}

static void
test_copy_string_deep(void **state)
{
	struct value a = { 0 }, b = { 0 };

	(void)state;
	value_string(&a, "referred");
	value_copy(&b, &a);
	assert_int_equal(b.kind, VALUE_STRING);
	assert_ptr_not_equal(b.s, a.s);
	assert_true(value_equal(&a, &b));
	a.s[0] = 'X';
	assert_string_equal(b.s, "referred");
	assert_false(value_equal(&a, &b));
	value_clear(&a);
	assert_string_equal(b.s, "referred");
	value_clear(&b);
}

static void
test_copy_set_deep(void **state)
{
	const char *items[] = { "fees", "steps", "deadline" };
	struct value a = { 0 }, b = { 0 };
	size_t i;

	(void)state;
	value_set(&a, items, 3);
	value_copy(&b, &a);
	assert_int_equal(b.kind, VALUE_SET);
	assert_int_equal(b.nset, 3);
	assert_ptr_not_equal(b.set, a.set);
	for (i = 0; i < 3; i++)
		assert_ptr_not_equal(b.set[i], a.set[i]);
	a.set[1][0] = 'X';
	assert_string_equal(b.set[1], "steps");
	value_clear(&a);
	for (i = 0; i < 3; i++)
		assert_string_equal(b.set[i], items[i]);
	value_clear(&b);
}

static void
test_copy_scalars_and_none(void **state)
{
	struct value a = { 0 }, b = { 0 };

	(void)state;
	value_bool(&a, 1);
	value_copy(&b, &a);
	assert_int_equal(b.kind, VALUE_BOOL);
	assert_int_equal(b.b, 1);
	value_number(&a, 7.25);
	value_copy(&b, &a);
	assert_int_equal(b.kind, VALUE_NUMBER);
	assert_true(b.n == 7.25);
	/* Copying nothing over a string empties the destination. */
	value_string(&b, "old");
	value_clear(&a);
	value_copy(&b, &a);
	assert_zeroed(&b);
	/* And a copy replaces what the destination held. */
	value_string(&a, "new");
	value_string(&b, "old");
	value_copy(&b, &a);
	assert_string_equal(b.s, "new");
	value_clear(&a);
	value_clear(&b);
}

static void
test_equal_kinds(void **state)
{
	struct value a = { 0 }, b = { 0 };

	(void)state;
	assert_true(value_equal(&a, &b)); /* none and none */
	value_bool(&a, 1);
	assert_false(value_equal(&a, &b));
	value_number(&b, 1);
	assert_false(value_equal(&a, &b)); /* yes is not 1 */
	value_string(&b, "yes");
	assert_false(value_equal(&a, &b));
	value_bool(&b, 1);
	assert_true(value_equal(&a, &b));
	value_bool(&b, 0);
	assert_false(value_equal(&a, &b));
	value_clear(&a);
	value_clear(&b);
}

static void
test_equal_scalars(void **state)
{
	struct value a = { 0 }, b = { 0 };

	(void)state;
	value_number(&a, 2.5);
	value_number(&b, 2.5);
	assert_true(value_equal(&a, &b));
	value_number(&b, 2.50001);
	assert_false(value_equal(&a, &b));
	value_string(&a, "a");
	value_number(&b, 0);
	assert_false(value_equal(&a, &b));
	value_string(&b, "a");
	assert_true(value_equal(&a, &b));
	value_string(&b, "A");
	assert_false(value_equal(&a, &b));
	value_string(&b, "ab");
	assert_false(value_equal(&a, &b));
	assert_false(value_equal(&b, &a));
	value_clear(&a);
	value_clear(&b);
}

static void
test_equal_sets_any_order(void **state)
{
	const char *abc[] = { "a", "b", "c" };
	const char *cab[] = { "c", "a", "b" };
	const char *ab[] = { "a", "b" };
	const char *abd[] = { "a", "b", "d" };
	struct value x = { 0 }, y = { 0 };

	(void)state;
	value_set(&x, abc, 3);
	value_set(&y, cab, 3);
	assert_true(value_equal(&x, &y));
	assert_true(value_equal(&y, &x));
	/* A subset, either way round. */
	value_set(&y, ab, 2);
	assert_false(value_equal(&x, &y));
	assert_false(value_equal(&y, &x));
	/* Same size, one element different. */
	value_set(&y, abd, 3);
	assert_false(value_equal(&x, &y));
	assert_false(value_equal(&y, &x));
	/* Empty sets are equal to each other and to no other set. */
	value_set(&x, NULL, 0);
	value_set(&y, NULL, 0);
	assert_true(value_equal(&x, &y));
	value_set(&y, ab, 1);
	assert_false(value_equal(&x, &y));
	/* A set of one is not the string it holds. */
	value_string(&x, "a");
	assert_false(value_equal(&x, &y));
	value_clear(&x);
	value_clear(&y);
}

static void
test_set_has(void **state)
{
	const char *items[] = { "fees", "steps" };
	struct value v = { 0 };

	(void)state;
	value_set(&v, items, 2);
	assert_true(value_set_has(&v, "fees"));
	assert_true(value_set_has(&v, "steps"));
	assert_false(value_set_has(&v, "deadline"));
	assert_false(value_set_has(&v, "fee"));
	assert_false(value_set_has(&v, "Fees"));
	assert_false(value_set_has(&v, ""));
	/* Only a set has members, even a string with the same text. */
	value_string(&v, "fees");
	assert_false(value_set_has(&v, "fees"));
	value_clear(&v);
	assert_false(value_set_has(&v, "fees"));
}

static void
test_clear_zeroes(void **state)
{
	const char *items[] = { "a", "b", "c" };
	struct value v;

	(void)state;
	memset(&v, 0, sizeof v);
	value_set(&v, items, 3);
	value_clear(&v);
	assert_zeroed(&v);
	value_string(&v, "s");
	value_clear(&v);
	assert_zeroed(&v);
	value_bool(&v, 1);
	value_clear(&v);
	assert_zeroed(&v);
	value_number(&v, 5);
	value_clear(&v);
	assert_zeroed(&v);
	/* Clearing twice is harmless. */
	value_clear(&v);
	assert_zeroed(&v);
}

static void
assert_formats(const struct value *v, const char *want)
{
	char *s = value_format(v);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void
test_format(void **state)
{
	const char *items[] = { "fees", "a \"b\"" };
	struct value v = { 0 };

	(void)state;
	assert_formats(&v, "-");
	value_bool(&v, 1);
	assert_formats(&v, "yes");
	value_bool(&v, 0);
	assert_formats(&v, "no");
	value_number(&v, 12.5);
	assert_formats(&v, "12.5");
	value_number(&v, -3);
	assert_formats(&v, "-3");
	value_number(&v, 0.1);
	assert_formats(&v, "0.1");
	value_string(&v, "政務");
	assert_formats(&v, "\"政務\"");
	value_string(&v, "");
	assert_formats(&v, "\"\"");
	/* Quotes, backslashes and newlines are escaped; nothing else. */
	value_string(&v, "say \"hi\"\\\nbye\t");
	assert_formats(&v, "\"say \\\"hi\\\"\\\\\\nbye\t\"");
	value_set(&v, items, 2);
	assert_formats(&v, "[\"fees\", \"a \\\"b\\\"\"]");
	value_set(&v, items, 1);
	assert_formats(&v, "[\"fees\"]");
	value_set(&v, NULL, 0);
	assert_formats(&v, "[]");
	value_clear(&v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_string_owns_copy),
		cmocka_unit_test(test_set_owns_copies),
		cmocka_unit_test(test_constructor_replaces),
		cmocka_unit_test(test_copy_string_deep),
		cmocka_unit_test(test_copy_set_deep),
		cmocka_unit_test(test_copy_scalars_and_none),
		cmocka_unit_test(test_equal_kinds),
		cmocka_unit_test(test_equal_scalars),
		cmocka_unit_test(test_equal_sets_any_order),
		cmocka_unit_test(test_set_has),
		cmocka_unit_test(test_clear_zeroes),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
