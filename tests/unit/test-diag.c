/*
 * diag: collecting messages, formatting them as file:line:col, sorting
 * them stably by position and clearing the list.
 */
#include "unit.h"

#include <stdlib.h>

#include "anfang/diag.h"

static void
assert_format(const struct diag *d, const char *want)
{
	char *s = diag_format(d);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void
test_add_formats(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	diag_add(&l, "f.yaml", 3, 7, "unknown key \"%s\" (%d)", "colour", 2);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].file, "f.yaml");
	assert_int_equal(l.v[0].line, 3);
	assert_int_equal(l.v[0].col, 7);
	assert_string_equal(l.v[0].msg, "unknown key \"colour\" (2)");
	diag_clear(&l);
}

static void
test_add_copies_file(void **state)
{
	struct diag_list l = { 0 };
	char file[] = "a.yaml";

	(void)state;
	diag_add(&l, file, 1, 1, "m");
	file[0] = 'b';
	assert_string_equal(l.v[0].file, "a.yaml");
	diag_add(&l, NULL, 0, 0, "no file");
	assert_null(l.v[1].file);
	diag_clear(&l);
}

static void
test_add_many_and_long(void **state)
{
	struct diag_list l = { 0 };
	char big[3000];
	size_t i;

	(void)state;
	/* Past the first allocation, with every message kept intact. */
	for (i = 0; i < 100; i++)
		diag_add(&l, "f", (int)i + 1, 1, "message %zu", i);
	assert_int_equal(l.n, 100);
	assert_true(l.cap >= 100);
	assert_string_equal(l.v[0].msg, "message 0");
	assert_string_equal(l.v[57].msg, "message 57");
	assert_string_equal(l.v[99].msg, "message 99");
	assert_int_equal(l.v[99].line, 100);

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	diag_add(&l, "f", 1, 1, "<%s>", big);
	assert_int_equal(strlen(l.v[100].msg), sizeof big + 1);
	assert_int_equal(l.v[100].msg[0], '<');
	assert_int_equal(l.v[100].msg[sizeof big], '>');
	diag_clear(&l);
}

static void
test_format_full(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	diag_add(&l, "forms/x.yaml", 12, 5, "bad");
	diag_add(&l, "政務.yaml", 1, 30, "坏");
	assert_format(&l.v[0], "forms/x.yaml:12:5: bad");
	assert_format(&l.v[1], "政務.yaml:1:30: 坏");
	diag_clear(&l);
}

static void
test_format_without_position(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	/* Line 0 means no position: only the file is named. */
	diag_add(&l, "x.yaml", 0, 0, "No such file or directory");
	assert_format(&l.v[0], "x.yaml: No such file or directory");
	diag_add(&l, "x.yaml", 0, 9, "m");
	assert_format(&l.v[1], "x.yaml: m");
	diag_clear(&l);
}

static void
test_format_without_file(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	diag_add(&l, NULL, 0, 0, "cannot initialise");
	assert_format(&l.v[0], "cannot initialise");
	/* A position without a file has nothing to refer to. */
	diag_add(&l, NULL, 4, 2, "m");
	assert_format(&l.v[1], "m");
	diag_clear(&l);
}

static void
test_print(void **state)
{
	struct diag_list l = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	diag_add(&l, "a.yaml", 2, 3, "one");
	diag_add(&l, NULL, 0, 0, "two");
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	diag_print(&l, f, "  > ");
	diag_print(&l, f, NULL);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "  > a.yaml:2:3: one\n"
	                         "  > two\n"
	                         "a.yaml:2:3: one\n"
	                         "two\n");
	free(buf);
	diag_clear(&l);
}

/* A form's text, or its file's name, may hold controls: a diagnostic
 * quoting them never sends them to the terminal. */
static void
test_print_visible(void **state)
{
	struct diag_list l = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	diag_add(&l, "a\x1b[2J.yaml", 10, 15, "unknown type \"%s\"",
	    "yes\x1b]0;x\x07no");
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	diag_print(&l, f, "anfang: ");
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "anfang: a\\x1b[2J.yaml:10:15: unknown type "
	                         "\"yes\\x1b]0;x\\x07no\"\n");
	free(buf);
	diag_clear(&l);
}

static void
test_sort_line_then_column(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	diag_add(&l, "f", 10, 1, "10:1");
	diag_add(&l, "f", 2, 9, "2:9");
	diag_add(&l, "f", 2, 3, "2:3");
	diag_add(&l, "f", 1, 40, "1:40");
	diag_add(&l, "f", 10, 0, "10:0");
	diag_add(&l, "f", 3, 1, "3:1");
	diag_sort(&l);
	assert_int_equal(l.n, 6);
	assert_string_equal(l.v[0].msg, "1:40");
	assert_string_equal(l.v[1].msg, "2:3");
	assert_string_equal(l.v[2].msg, "2:9");
	assert_string_equal(l.v[3].msg, "3:1");
	assert_string_equal(l.v[4].msg, "10:0");
	assert_string_equal(l.v[5].msg, "10:1");
	/* Positions and files travel with their messages. */
	assert_int_equal(l.v[0].line, 1);
	assert_int_equal(l.v[0].col, 40);
	assert_int_equal(l.v[5].line, 10);
	assert_int_equal(l.v[5].col, 1);
	assert_string_equal(l.v[3].file, "f");
	diag_clear(&l);
}

static void
test_sort_stable(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	/* Ties keep the order they were added in. */
	diag_add(&l, "f", 5, 2, "first");
	diag_add(&l, "f", 1, 1, "early");
	diag_add(&l, "f", 5, 2, "second");
	diag_add(&l, "f", 5, 1, "before");
	diag_add(&l, "f", 5, 2, "third");
	diag_sort(&l);
	assert_string_equal(l.v[0].msg, "early");
	assert_string_equal(l.v[1].msg, "before");
	assert_string_equal(l.v[2].msg, "first");
	assert_string_equal(l.v[3].msg, "second");
	assert_string_equal(l.v[4].msg, "third");
	/* Sorting a sorted list changes nothing. */
	diag_sort(&l);
	assert_string_equal(l.v[2].msg, "first");
	assert_string_equal(l.v[3].msg, "second");
	assert_string_equal(l.v[4].msg, "third");
	diag_clear(&l);
}

static void
test_sort_keeps_file_blocks(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	/* Files stay in the order they first appear, each sorted inside. */
	diag_add(&l, "b.yaml", 9, 1, "b9");
	diag_add(&l, "b.yaml", 2, 1, "b2");
	diag_add(&l, "a.yaml", 7, 1, "a7");
	diag_add(&l, "a.yaml", 1, 1, "a1");
	diag_sort(&l);
	assert_string_equal(l.v[0].msg, "b2");
	assert_string_equal(l.v[1].msg, "b9");
	assert_string_equal(l.v[2].msg, "a1");
	assert_string_equal(l.v[3].msg, "a7");
	diag_clear(&l);
}

/* A file's messages gather behind its first one, each in position order. */
static void
test_sort_interleaved_files(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	diag_add(&l, "a.yaml", 5, 1, "a5");
	diag_add(&l, "b.yaml", 1, 1, "b1");
	diag_add(&l, "a.yaml", 2, 1, "a2");
	diag_sort(&l);
	assert_string_equal(l.v[0].msg, "a2");
	assert_string_equal(l.v[1].msg, "a5");
	assert_string_equal(l.v[2].msg, "b1");
	diag_clear(&l);
}

static void
test_sort_trivial(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	diag_sort(&l);
	assert_int_equal(l.n, 0);
	diag_add(&l, "f", 3, 3, "only");
	diag_sort(&l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].msg, "only");
	diag_clear(&l);
}

static void
test_clear(void **state)
{
	struct diag_list l = { 0 };

	(void)state;
	diag_add(&l, "f", 1, 1, "a");
	diag_add(&l, NULL, 0, 0, "b");
	diag_clear(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.cap, 0);
	/* A cleared list is empty and can be used again. */
	diag_add(&l, "g", 2, 2, "c");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].msg, "c");
	diag_clear(&l);
	diag_clear(&l);
	assert_int_equal(l.n, 0);
}

/* Received text made safe to print: controls, C1, DEL, bidi, bad bytes. */
static void
test_visible(void **state)
{
	static const struct {
		const char *in, *want;
		int newlines;
	} cases[] = {
		{ "plain 西城稅務", "plain 西城稅務", 0 },
		{ "\033]0;TITLE\007", "\\x1b]0;TITLE\\x07", 0 },
		{ "\033[2J", "\\x1b[2J", 0 },
		{ "a\nb\tc", "a\\x0ab\\x09c", 0 },
		{ "a\nb", "a\nb", 1 },
		{ "del\177", "del\\x7f", 0 },
		{ "c1 \302\233", "c1 \\u009b", 0 },
		{ "rlo \342\200\256x", "rlo \\u202ex", 0 },
		{ "iso \342\201\247x", "iso \\u2067x", 0 },
		{ "bad \377\300", "bad \\xff\\xc0", 0 },
		{ "", "", 0 },
	};
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		out = diag_visible(cases[i].in, cases[i].newlines);
		assert_string_equal(out, cases[i].want);
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_add_formats),
		cmocka_unit_test(test_add_copies_file),
		cmocka_unit_test(test_add_many_and_long),
		cmocka_unit_test(test_format_full),
		cmocka_unit_test(test_format_without_position),
		cmocka_unit_test(test_format_without_file),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_print_visible),
		cmocka_unit_test(test_sort_line_then_column),
		cmocka_unit_test(test_sort_stable),
		cmocka_unit_test(test_sort_keeps_file_blocks),
		cmocka_unit_test(test_sort_interleaved_files),
		cmocka_unit_test(test_sort_trivial),
		cmocka_unit_test(test_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
