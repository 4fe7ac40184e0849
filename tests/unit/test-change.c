/*
 * change: each kind of change to a visit through a real database, and
 * the same change when the store fails underneath.  The failure is the
 * real store's: a trigger, made behind the store's back, that aborts the
 * change's audit entry (every change writes one, last) or one of its
 * rows.  After a failed change the visit in memory must be exactly what
 * it was, and exactly what the database holds.
 */
#include "unit.h"
#include "unit-db.h"

#include "anfang/change.h"
#include "anfang/crypt-kdf.h"
#include "anfang/crypt.h"
#include "anfang/load.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

#define T0 1795728204123LL

static const char change_form[] =
    "form: c\n"
    "version: 1\n"
    "title: C\n"
    "language: en\n"
    "units: [here]\n"
    "sections:\n"
    "  - title: S\n"
    "    questions:\n"
    "      - {id: ok, type: yesno, label: L, required: true}\n"
    "      - id: why\n"
    "        type: choice\n"
    "        label: L\n"
    "        show_if: ok == no\n"
    "        required: true\n"
    "        choices: [a, b]\n"
    "      - id: fee\n"
    "        type: number\n"
    "        label: L\n"
    "        constraint: . > 0\n"
    "        constraint_message: positive\n"
    "      - id: wait\n"
    "        type: timer\n"
    "        label: L\n"
    "        warn_if: . > 1800\n"
    "        warn_message: slow\n"
    "      - {id: people, type: count, label: L}\n"
    "      - id: trips\n"
    "        type: number\n"
    "        label: L\n"
    "        default: 1\n"
    "        warn_if: . > 1\n"
    "        warn_message: more than one trip\n"
    "      - {id: notes, type: text, label: L}\n";

struct fixture {
	char *dir;
	char *path;
	struct crypt_mem *key;
	struct store *s;
	sqlite3 *raw;       /* the same database behind the store's back */
	const char *broken; /* the table broken_table broke, until mended */
	struct visit *v;
};

static int
change_setup(void **state)
{
	struct fixture *fx;
	struct crypt_mem *pass;
	struct crypt_kdf kdf;
	unsigned char h[CRYPT_KDF_HEADER_BYTES];
	char *cause = NULL;
	int fd;

	if (crypt_init(&cause) != 0)
		return -1;
	fx = xcalloc(1, sizeof *fx);
	fx->dir = xstrdup("/tmp/anfang-test-change-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	*state = fx;
	fx->path = xasprintf("%s/c.db", fx->dir);
	pass = unit_secret("變更 layer");
	if (store_create(fx->path, pass, CRYPT_KDF_INTERACTIVE, NULL, NULL,
	        &fx->s, &cause) != STORE_OK) {
		fprintf(stderr, "create: %s\n", cause);
		return -1;
	}
	fd = open(fx->path, O_RDONLY);
	if (fd < 0 || read(fd, h, sizeof h) != (ssize_t)sizeof h)
		return -1;
	close(fd);
	if (crypt_kdf_parse(&kdf, h, &cause) != 0 ||
	    (fx->key = crypt_kdf_derive(&kdf, pass, &cause)) == NULL)
		return -1;
	crypt_mem_free(pass);
	return 0;
}

static int
change_teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx == NULL)
		return 0;
	if (fx->raw != NULL)
		sqlite3_close(fx->raw);
	store_close(fx->s);
	unit_remove_tree(fx->dir);
	free(fx->dir);
	free(fx->path);
	crypt_mem_free(fx->key);
	free(fx);
	return 0;
}

/* SQL on the database behind the store's back; it must work. */
static void
raw(struct fixture *fx, const char *sql)
{
	if (fx->raw == NULL)
		fx->raw = unit_raw_open(fx->key, fx->path);
	unit_raw_exec(fx->raw, sql);
}

/* From now on, writing to table fails inside SQLite. */
static void
break_table(struct fixture *fx, const char *table)
{
	char *sql = xasprintf("CREATE TRIGGER broken_%s BEFORE INSERT ON %s"
	                      " BEGIN SELECT RAISE(ABORT, 'injected'); END;"
	                      "CREATE TRIGGER broken_del_%s BEFORE DELETE ON %s"
	                      " BEGIN SELECT RAISE(ABORT, 'injected'); END",
	    table, table, table, table);

	raw(fx, sql);
	free(sql);
	fx->broken = table;
}

static void
mend_table(struct fixture *fx, const char *table)
{
	char *sql = xasprintf("DROP TRIGGER broken_%s; DROP TRIGGER "
	                      "broken_del_%s",
	    table, table);

	raw(fx, sql);
	free(sql);
	fx->broken = NULL;
}

/* Each test's visit is freed here, even when the test fails. */
static int
visit_teardown(void **state)
{
	struct fixture *fx = *state;

	/* a test that failed half-way leaves the next ones a working store */
	if (fx->broken != NULL)
		mend_table(fx, fx->broken);
	visit_free(fx->v);
	fx->v = NULL;
	return 0;
}

/* The visit in memory is what the database holds. */
static void
assert_stored(struct fixture *fx)
{
	struct visit *back = NULL;
	char *cause = NULL;

	if (load_visit(fx->s, fx->v->id, &back, &cause) != 0) {
		fprintf(stderr, "  load: %s\n", cause);
		fail();
	}
	if (!unit_same_visit(fx->v, back, "memory against disk")) {
		visit_free(back);
		fail();
	}
	visit_free(back);
}

/* A stored draft of change_form in fx->v. */
static struct visit *
new_visit(struct fixture *fx)
{
	char *cause = NULL;

	fx->v = visit_new(
	    unit_form_ok(change_form), 1, "here", NULL, NULL, T0, &cause);
	assert_non_null(fx->v);
	assert_int_equal(change_insert(fx->s, fx->v, T0, &cause), 0);
	return fx->v;
}

static size_t
qi(struct fixture *fx, const char *id)
{
	return unit_qi(fx->v, id);
}

/* A change that must work. */
#define WORKS(call)                                                            \
	do {                                                                   \
		char *cause_ = NULL;                                           \
		int rc_ = (call);                                              \
		if (rc_ != 0)                                                  \
			fprintf(stderr, "  %s: %s\n", #call, cause_);          \
		assert_int_equal(rc_, 0);                                      \
	} while (0)

/*
 * With table broken, call fails as unsaved and leaves the visit as it was
 * and as stored; mended, it works.
 */
#define UNSAVED(fx, table, call)                                               \
	do {                                                                   \
		struct visit *before_ = visit_snapshot((fx)->v);               \
		char *cause_ = NULL;                                           \
		break_table((fx), (table));                                    \
		assert_int_equal((call), CHANGE_UNSAVED);                      \
		assert_non_null(cause_);                                       \
		assert_non_null(strstr(cause_, "injected"));                   \
		free(cause_);                                                  \
		cause_ = NULL;                                                 \
		if (!unit_same_visit((fx)->v, before_, #call " failed")) {     \
			visit_free(before_);                                   \
			fail();                                                \
		}                                                              \
		visit_free(before_);                                           \
		assert_stored(fx);                                             \
		mend_table((fx), (table));                                     \
		if ((call) != 0)                                               \
			fprintf(stderr, "  %s: %s\n", #call, cause_);          \
		assert_null(cause_);                                           \
		assert_stored(fx);                                             \
	} while (0)

static void
test_answer(void **state)
{
	struct fixture *fx = *state;
	struct value yes = { 0 }, no = { 0 }, text = { 0 };

	new_visit(fx);
	value_bool(&yes, 1);
	value_bool(&no, 0);
	value_string(&text, "第一");
	WORKS(change_answer(fx->s, fx->v, qi(fx, "ok"), &yes, T0 + 1, &cause_));
	/* a change that shows another question */
	UNSAVED(fx, "audit",
	    change_answer(fx->s, fx->v, qi(fx, "ok"), &no, T0 + 2, &cause_));
	assert_true(visit_visible(fx->v, qi(fx, "why")));
	UNSAVED(fx, "answers",
	    change_answer(
	        fx->s, fx->v, qi(fx, "notes"), &text, T0 + 3, &cause_));
	assert_string_equal(visit_value(fx->v, qi(fx, "notes"))->s, "第一");
	/* clearing */
	UNSAVED(fx, "answers",
	    change_answer(
	        fx->s, fx->v, qi(fx, "notes"), NULL, T0 + 4, &cause_));
	assert_null(visit_value(fx->v, qi(fx, "notes")));
	value_clear(&yes);
	value_clear(&no);
	value_clear(&text);
}

static void
test_refused(void **state)
{
	struct fixture *fx = *state;
	struct visit *before;
	struct value big = { 0 };
	char *cause = NULL;

	new_visit(fx);
	before = visit_snapshot(fx->v);
	value_string(&big, "not a number");
	assert_int_equal(
	    change_answer(fx->s, fx->v, qi(fx, "fee"), &big, T0 + 1, &cause),
	    CHANGE_REFUSED);
	free(cause);
	assert_true(unit_same_visit(fx->v, before, "refused"));
	visit_free(before);
	assert_stored(fx);
	value_clear(&big);
}

static void
test_reason(void **state)
{
	struct fixture *fx = *state;
	struct value two = { 0 };

	new_visit(fx);
	value_number(&two, 2);
	WORKS(change_answer(
	    fx->s, fx->v, qi(fx, "trips"), &two, T0 + 1, &cause_));
	UNSAVED(fx, "reasons",
	    change_reason(
	        fx->s, fx->v, qi(fx, "trips"), "twice", T0 + 2, &cause_));
	assert_string_equal(fx->v->reasons[qi(fx, "trips")], "twice");
	UNSAVED(fx, "audit",
	    change_reason(
	        fx->s, fx->v, qi(fx, "trips"), NULL, T0 + 3, &cause_));
	assert_null(fx->v->reasons[qi(fx, "trips")]);
	value_clear(&two);
}

static void
test_timer(void **state)
{
	struct fixture *fx = *state;
	size_t wait;

	new_visit(fx);
	wait = qi(fx, "wait");
	UNSAVED(fx, "timers",
	    change_timer(
	        fx->s, fx->v, wait, CHANGE_TIMER_START, T0 + 1000, &cause_));
	assert_int_equal(fx->v->timers[wait].running_since, T0 + 1000);
	UNSAVED(fx, "audit",
	    change_timer(
	        fx->s, fx->v, wait, CHANGE_TIMER_STOP, T0 + 6000, &cause_));
	assert_true(visit_value(fx->v, wait)->n == 5);
	UNSAVED(fx, "answers",
	    change_timer(
	        fx->s, fx->v, wait, CHANGE_TIMER_RESET, T0 + 7000, &cause_));
	assert_null(visit_value(fx->v, wait));
}

static void
test_count(void **state)
{
	struct fixture *fx = *state;

	new_visit(fx);
	UNSAVED(fx, "answers",
	    change_count(fx->s, fx->v, qi(fx, "people"), 1, T0 + 1, &cause_));
	UNSAVED(fx, "audit",
	    change_count(fx->s, fx->v, qi(fx, "people"), 1, T0 + 2, &cause_));
	assert_true(visit_value(fx->v, qi(fx, "people"))->n == 2);
}

static void
test_keep_default(void **state)
{
	struct fixture *fx = *state;
	size_t trips;

	new_visit(fx);
	trips = qi(fx, "trips");
	/* a new visit stores no default */
	assert_null(visit_value(fx->v, trips));
	assert_stored(fx);
	UNSAVED(fx, "answers",
	    change_keep_default(fx->s, fx->v, trips, T0 + 1, &cause_));
	assert_true(visit_value(fx->v, trips)->n == 1);
	/* once answered there is nothing to keep */
	WORKS(change_keep_default(fx->s, fx->v, trips, T0 + 2, &cause_));
	assert_int_equal(fx->v->answered_at[trips], T0 + 1);
}

/* A final visit: ok yes, fee 5. */
/* fx->v answered so that it may be finalized. */
static void
final_visit_of(struct fixture *fx)
{
	struct value yes = { 0 }, five = { 0 };

	value_bool(&yes, 1);
	value_number(&five, 5);
	WORKS(change_answer(fx->s, fx->v, qi(fx, "ok"), &yes, T0 + 1, &cause_));
	WORKS(
	    change_answer(fx->s, fx->v, qi(fx, "fee"), &five, T0 + 2, &cause_));
	value_clear(&yes);
	value_clear(&five);
}

static void
final_visit(struct fixture *fx)
{
	new_visit(fx);
	final_visit_of(fx);
}

static void
test_finalize(void **state)
{
	struct fixture *fx = *state;

	final_visit(fx);
	UNSAVED(fx, "audit", change_finalize(fx->s, fx->v, T0 + 10, &cause_));
	assert_int_equal(fx->v->status, VISIT_FINAL);
	assert_int_equal(fx->v->finalized, T0 + 10);
}

static void
test_amend(void **state)
{
	struct fixture *fx = *state;
	struct value no = { 0 }, b = { 0 }, secs = { 0 };
	struct visit_amend_answer three[3];
	char **warn;

	final_visit(fx);
	WORKS(change_finalize(fx->s, fx->v, T0 + 10, &cause_));
	warn = xcalloc(fx->v->form->nquestions, sizeof *warn);
	value_bool(&no, 0);
	value_string(&b, "b");
	value_number(&secs, 2000);
	/* ok to no with the follow-up it shows, and a long wait with the
	 * reason its soft check asks for: three amendments, one reason */
	three[0] = (struct visit_amend_answer){ qi(fx, "ok"), &no };
	three[1] = (struct visit_amend_answer){ qi(fx, "why"), &b };
	three[2] = (struct visit_amend_answer){ qi(fx, "wait"), &secs };
	warn[qi(fx, "wait")] = (char *)"a long queue";
	UNSAVED(fx, "amendments",
	    change_amend(
	        fx->s, fx->v, three, 3, "misread", warn, T0 + 20, &cause_));
	assert_int_equal(fx->v->namendments, 3);
	assert_string_equal(fx->v->reasons[qi(fx, "wait")], "a long queue");
	/* the failure may come after the amendments, at the reason or the
	 * audit entry: all of it goes */
	three[0] = (struct visit_amend_answer){ qi(fx, "wait"), &secs };
	value_number(&secs, 2400);
	warn[qi(fx, "wait")] = (char *)"longer still";
	UNSAVED(fx, "reasons",
	    change_amend(
	        fx->s, fx->v, three, 1, "again", warn, T0 + 30, &cause_));
	assert_int_equal(fx->v->namendments, 4);
	assert_string_equal(fx->v->reasons[qi(fx, "wait")], "longer still");
	value_number(&secs, 2500);
	UNSAVED(fx, "audit",
	    change_amend(
	        fx->s, fx->v, three, 1, "and again", NULL, T0 + 40, &cause_));
	assert_true(visit_value(fx->v, qi(fx, "wait"))->n == 2500);
	free(warn);
	value_clear(&no);
	value_clear(&b);
	value_clear(&secs);
}

/* When the visit took place: stored, restored when storing fails, refused
 * in the future and after finalizing. */
static void
test_took(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;

	new_visit(fx);
	assert_true(fx->v->took == T0);
	UNSAVED(fx, "audit",
	    change_took(fx->s, fx->v, T0 - 86400000, 480, T0 + 1, &cause_));
	assert_true(fx->v->took == T0 - 86400000);
	assert_int_equal(fx->v->took_offset, 480);
	assert_int_equal(change_took(fx->s, fx->v, T0 + 5, 0, T0 + 2, &cause),
	    CHANGE_REFUSED);
	assert_non_null(strstr(cause, "future"));
	free(cause);
	cause = NULL;
	assert_stored(fx);
	final_visit_of(fx);
	WORKS(change_finalize(fx->s, fx->v, T0 + 10, &cause_));
	assert_int_equal(change_took(fx->s, fx->v, T0 - 5, 0, T0 + 20, &cause),
	    CHANGE_REFUSED);
	free(cause);
	assert_true(fx->v->took == T0 - 86400000);
	assert_stored(fx);
}

/* A new visit that cannot be stored leaves nothing behind. */
static void
test_insert(void **state)
{
	struct fixture *fx = *state;
	struct visit *back = NULL;
	char *cause = NULL;

	fx->v = visit_new(
	    unit_form_ok(change_form), 1, "here", NULL, NULL, T0, &cause);
	assert_non_null(fx->v);
	break_table(fx, "audit");
	assert_int_equal(
	    change_insert(fx->s, fx->v, T0, &cause), CHANGE_UNSAVED);
	free(cause);
	cause = NULL;
	mend_table(fx, "audit");
	assert_int_equal(load_visit(fx->s, fx->v->id, &back, &cause), -1);
	free(cause);
	visit_free(back);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_answer, visit_teardown),
		cmocka_unit_test_teardown(test_refused, visit_teardown),
		cmocka_unit_test_teardown(test_reason, visit_teardown),
		cmocka_unit_test_teardown(test_timer, visit_teardown),
		cmocka_unit_test_teardown(test_count, visit_teardown),
		cmocka_unit_test_teardown(test_took, visit_teardown),
		cmocka_unit_test_teardown(test_keep_default, visit_teardown),
		cmocka_unit_test_teardown(test_finalize, visit_teardown),
		cmocka_unit_test_teardown(test_amend, visit_teardown),
		cmocka_unit_test_teardown(test_insert, visit_teardown),
	};

	return cmocka_run_group_tests(tests, change_setup, change_teardown);
}
