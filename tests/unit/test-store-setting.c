/*
 * The UI's small store functions on a real database: settings kept in the
 * meta table (absent, set, replaced, removed, kept across reopening), and
 * the version that moves when another connection commits.
 */
#include "unit.h"
#include "unit-db.h"

#include "anfang/crypt.h"
#include "anfang/store-setting.h"
#include "anfang/store-watch.h"

struct fixture {
	char dir[64];
	char *path;
	struct crypt_mem *pass;
};

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct store *s = NULL;
	char *cause = NULL;

	if (crypt_init(&cause) != 0)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/anfang-unit-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	fx->path = xasprintf("%s/a.db", fx->dir);
	fx->pass = unit_secret("setting pass");
	if (store_create(fx->path, fx->pass, CRYPT_KDF_INTERACTIVE, NULL, NULL,
	        &s, &cause) != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		return -1;
	}
	store_close(s);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	unit_remove_tree(fx->dir);
	free(fx->path);
	crypt_mem_free(fx->pass);
	free(fx);
	return 0;
}

static struct store *
open_db(struct fixture *fx)
{
	struct store *s = NULL;
	char *cause = NULL;

	assert_int_equal(store_open(fx->path, fx->pass, &s, &cause), STORE_OK);
	return s;
}

static void
test_setting(void **state)
{
	struct fixture *fx = *state;
	struct store *s = open_db(fx);
	char *value = NULL, *cause = NULL;

	assert_int_equal(
	    store_setting_get(s, "ui.export_dir", &value, &cause), 0);
	assert_null(value);
	assert_int_equal(
	    store_setting_set(s, "ui.export_dir", "/media/usb/訪", &cause), 0);
	assert_int_equal(store_setting_set(s, "ui.other", "x", &cause), 0);
	assert_int_equal(
	    store_setting_get(s, "ui.export_dir", &value, &cause), 1);
	assert_string_equal(value, "/media/usb/訪");
	free(value);
	assert_int_equal(
	    store_setting_set(s, "ui.export_dir", "/media/b", &cause), 0);
	store_close(s);
	/* kept in the file */
	s = open_db(fx);
	assert_int_equal(
	    store_setting_get(s, "ui.export_dir", &value, &cause), 1);
	assert_string_equal(value, "/media/b");
	free(value);
	assert_int_equal(
	    store_setting_set(s, "ui.export_dir", NULL, &cause), 0);
	assert_int_equal(
	    store_setting_get(s, "ui.export_dir", &value, &cause), 0);
	/* the others stay */
	assert_int_equal(store_setting_get(s, "ui.other", &value, &cause), 1);
	assert_string_equal(value, "x");
	free(value);
	store_close(s);
}

static void
test_watch(void **state)
{
	struct fixture *fx = *state;
	struct store *a = open_db(fx), *b = open_db(fx);
	long long v0, v1, v2;
	char *cause = NULL;

	assert_int_equal(store_watch_version(a, &v0, &cause), 0);
	/* a's own commit leaves its version */
	assert_int_equal(store_setting_set(a, "ui.k", "1", &cause), 0);
	assert_int_equal(store_watch_version(a, &v1, &cause), 0);
	assert_true(v1 == v0);
	/* b's moves it */
	assert_int_equal(store_setting_set(b, "ui.k", "2", &cause), 0);
	assert_int_equal(store_watch_version(a, &v2, &cause), 0);
	assert_true(v2 != v1);
	store_close(b);
	store_close(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setting),
		cmocka_unit_test(test_watch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
