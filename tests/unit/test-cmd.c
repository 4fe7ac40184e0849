/*
 * cmd: the common options are taken out of argv wherever they are, the
 * rest stays in order, and a missing or bad value is a usage error.
 */
#include "unit.h"

#include <limits.h>

#include "anfang/cmd.h"

#define MAXARGS 16

/*
 * Run cmd_options on a NULL-terminated list of arguments (argv[0] first),
 * with ctx as main sets it up.  The arguments left are in argv.
 */
static int
opts(struct cmd_ctx *ctx, char **argv, const char *const *args)
{
	int argc = 0;

	while (args[argc] != NULL) {
		assert_true(argc < MAXARGS);
		/* cmd_options moves pointers, never writes the strings. */
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	memset(ctx, 0, sizeof *ctx);
	ctx->passphrase_fd = -1;
	return cmd_options(ctx, argc, argv);
}

static void
test_nothing(void **state)
{
	const char *args[] = { "anfang", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	assert_int_equal(opts(&ctx, argv, args), 1);
	assert_string_equal(argv[0], "anfang");
	assert_null(argv[1]);
	assert_null(ctx.db);
	assert_null(ctx.forms_dir);
	assert_int_equal(ctx.passphrase_fd, -1);
	assert_int_equal(ctx.help, 0);
}

static void
test_db_separate(void **state)
{
	const char *args[] = { "anfang", "--db", "X", "forms", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	assert_int_equal(opts(&ctx, argv, args), 2);
	assert_string_equal(ctx.db, "X");
	assert_string_equal(argv[0], "anfang");
	assert_string_equal(argv[1], "forms");
	assert_null(argv[2]);
	assert_null(ctx.forms_dir);
	assert_int_equal(ctx.passphrase_fd, -1);
}

static void
test_db_equals(void **state)
{
	const char *args[] = { "anfang", "forms", "--db=/tmp/a=b.db", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	assert_int_equal(opts(&ctx, argv, args), 2);
	/* Only the first = separates; the value may hold more. */
	assert_string_equal(ctx.db, "/tmp/a=b.db");
	assert_string_equal(argv[1], "forms");
	assert_null(argv[2]);
}

static void
test_forms_dir(void **state)
{
	const char *args[] = { "anfang", "forms", "check", "--forms", "DIR",
		"x.yaml", NULL };
	const char *eq[] = { "anfang", "--forms=/usr/share/f", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	assert_int_equal(opts(&ctx, argv, args), 4);
	assert_string_equal(ctx.forms_dir, "DIR");
	assert_null(ctx.db);
	assert_string_equal(argv[1], "forms");
	assert_string_equal(argv[2], "check");
	assert_string_equal(argv[3], "x.yaml");
	assert_null(argv[4]);
	assert_int_equal(opts(&ctx, argv, eq), 1);
	assert_string_equal(ctx.forms_dir, "/usr/share/f");
}

static void
test_passphrase_fd(void **state)
{
	const char *args[] = { "anfang", "--passphrase-fd", "3", "open", NULL };
	const char *eq[] = { "anfang", "open", "--passphrase-fd=0", NULL };
	const char *big[] = { "anfang", "--passphrase-fd", "1024", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	assert_int_equal(opts(&ctx, argv, args), 2);
	assert_int_equal(ctx.passphrase_fd, 3);
	assert_string_equal(argv[1], "open");
	assert_null(argv[2]);
	assert_int_equal(opts(&ctx, argv, eq), 2);
	assert_int_equal(ctx.passphrase_fd, 0);
	assert_string_equal(argv[1], "open");
	assert_int_equal(opts(&ctx, argv, big), 1);
	assert_int_equal(ctx.passphrase_fd, 1024);
}

static void
test_help(void **state)
{
	const char *end[] = { "anfang", "forms", "--help", NULL };
	const char *first[] = { "anfang", "--help", "forms", "check", NULL };
	const char *shortopt[] = { "anfang", "forms", "-h", "x", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	assert_int_equal(opts(&ctx, argv, end), 2);
	assert_int_equal(ctx.help, 1);
	assert_string_equal(argv[1], "forms");
	assert_null(argv[2]);
	assert_int_equal(opts(&ctx, argv, first), 3);
	assert_int_equal(ctx.help, 1);
	assert_string_equal(argv[1], "forms");
	assert_string_equal(argv[2], "check");
	assert_int_equal(opts(&ctx, argv, shortopt), 3);
	assert_int_equal(ctx.help, 1);
	assert_string_equal(argv[1], "forms");
	assert_string_equal(argv[2], "x");
}

static void
test_all_interleaved(void **state)
{
	const char *args[] = { "anfang", "a", "--passphrase-fd=5", "b", "--db",
		"D", "c", "--help", "--forms=F", "d", "--unknown", "e", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	/* Every option taken, every other argument kept, in order. */
	assert_int_equal(opts(&ctx, argv, args), 7);
	assert_string_equal(ctx.db, "D");
	assert_string_equal(ctx.forms_dir, "F");
	assert_int_equal(ctx.passphrase_fd, 5);
	assert_int_equal(ctx.help, 1);
	assert_string_equal(argv[0], "anfang");
	assert_string_equal(argv[1], "a");
	assert_string_equal(argv[2], "b");
	assert_string_equal(argv[3], "c");
	assert_string_equal(argv[4], "d");
	assert_string_equal(argv[5], "--unknown");
	assert_string_equal(argv[6], "e");
	assert_null(argv[7]);
}

static void
test_later_wins(void **state)
{
	const char *args[] = { "anfang", "--db", "one", "--db=two", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	assert_int_equal(opts(&ctx, argv, args), 1);
	assert_string_equal(ctx.db, "two");
}

static void
test_value_looks_like_option(void **state)
{
	const char *args[] = { "anfang", "--db", "--help", "x", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	/* The word after --db is its value, whatever it looks like. */
	assert_int_equal(opts(&ctx, argv, args), 2);
	assert_string_equal(ctx.db, "--help");
	assert_int_equal(ctx.help, 0);
	assert_string_equal(argv[1], "x");
}

static void
test_similar_names_kept(void **state)
{
	const char *args[] = { "anfang", "--d", "--dbx=1", "--forms-dir=2",
		"--passphrase", "-db", "--DB=3", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;
	int i;

	(void)state;
	/* No abbreviations and no near misses: these belong to commands. */
	assert_int_equal(opts(&ctx, argv, args), 7);
	for (i = 1; i < 7; i++)
		assert_string_equal(argv[i], args[i]);
	assert_null(ctx.db);
	assert_null(ctx.forms_dir);
	assert_int_equal(ctx.passphrase_fd, -1);
}

static void
test_double_dash(void **state)
{
	const char *args[] = { "anfang", "--forms", "F", "--", "--db", "x",
		"--help", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	/* After --, nothing is an option; the rest goes to the command. */
	assert_int_equal(opts(&ctx, argv, args), 5);
	assert_string_equal(ctx.forms_dir, "F");
	assert_null(ctx.db);
	assert_int_equal(ctx.help, 0);
	assert_string_equal(argv[1], "--");
	assert_string_equal(argv[2], "--db");
	assert_string_equal(argv[3], "x");
	assert_string_equal(argv[4], "--help");
	assert_null(argv[5]);
}

static void
test_missing_value(void **state)
{
	const char *db[] = { "anfang", "forms", "--db", NULL };
	const char *forms[] = { "anfang", "--forms", NULL };
	const char *fd[] = { "anfang", "x", "--passphrase-fd", NULL };
	char *argv[MAXARGS + 1];
	struct cmd_ctx ctx;

	(void)state;
	assert_int_equal(opts(&ctx, argv, db), -1);
	assert_int_equal(opts(&ctx, argv, forms), -1);
	assert_int_equal(opts(&ctx, argv, fd), -1);
}

static void
test_bad_fd(void **state)
{
	static const char *const bad[] = { "abc", "3x", "x3", "", "-1", "1025",
		"99999999999999999999", "3.0", "0x3" };
	const char *args[] = { "anfang", "--passphrase-fd", NULL, "open",
		NULL };
	char *argv[MAXARGS + 1];
	char eq[64];
	const char *eqargs[] = { "anfang", eq, NULL };
	struct cmd_ctx ctx;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		args[2] = bad[i];
		assert_int_equal(opts(&ctx, argv, args), -1);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(eq, sizeof eq, "--passphrase-fd=%s", bad[i]);
		assert_int_equal(opts(&ctx, argv, eqargs), -1);
	}
}

/* Numbers: digits only, within the range, no overflow wrapping round. */
static void
test_number(void **state)
{
	static const char *const bad[] = { "", "-1", "+3", " 3", "3 ", "0x10",
		"1e3", "3.0", "11", "99999999999999999999999",
		"9223372036854775808", "18446744073709551626" };
	long v = -1;
	size_t i;

	(void)state;
	assert_int_equal(cmd_number("--n", "0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cmd_number("--n", "10", 0, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(cmd_number("--n", "007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		v = -1;
		assert_int_equal(cmd_number("--n", bad[i], 0, 10, &v), -1);
		assert_int_equal(v, -1); /* untouched */
	}
	assert_int_equal(cmd_number("--n", "0", 1, 10, &v), -1);
	assert_int_equal(
	    cmd_number("--n", "9223372036854775807", 0, LONG_MAX, &v), 0);
	assert_true(v == LONG_MAX);
	assert_int_equal(
	    cmd_number("--n", "9223372036854775808", 0, LONG_MAX, &v), -1);
}

/* Free text: capped in characters, no control characters. */
static void
test_text(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(cmd_text("--t", "", 3), 0);
	assert_int_equal(cmd_text("--t", "abc", 3), 0);
	assert_int_equal(cmd_text("--t", "abcd", 3), -1);
	/* three characters of three bytes each */
	assert_int_equal(cmd_text("--t", "\u540d\u540d\u540d", 3), 0);
	assert_int_equal(cmd_text("--t", "\u540d\u540d\u540d\u540d", 3), -1);
	assert_int_equal(cmd_text("--t", "a\x1b]0;x\a", 100), -1);
	assert_int_equal(cmd_text("--t", "a\nb", 100), -1);
	assert_int_equal(cmd_text("--t", "a\x7f", 100), -1);
	assert_int_equal(cmd_text("--t", "a\xc2\x9b", 100), -1); /* C1 CSI */
	assert_int_equal(cmd_text("--t", "\xff", 100), -1);
	snprintf(buf, sizeof buf, "tab\there");
	assert_int_equal(cmd_text("--t", buf, 100), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_db_separate),
		cmocka_unit_test(test_db_equals),
		cmocka_unit_test(test_forms_dir),
		cmocka_unit_test(test_passphrase_fd),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_all_interleaved),
		cmocka_unit_test(test_later_wins),
		cmocka_unit_test(test_value_looks_like_option),
		cmocka_unit_test(test_similar_names_kept),
		cmocka_unit_test(test_double_dash),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_bad_fd),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
