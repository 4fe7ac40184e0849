/*
 * Any form that the checker accepts is evaluated in bounded stack: long
 * chains of show_if, expressions of hundreds of terms and nesting at the
 * limit are loaded, checked and evaluated on a thread with a small stack
 * (a SIGSEGV there is a failed test).  The first case is the form of the
 * report: 200 yes/no questions, each shown if the next one, 400 times.
 */
#include <pthread.h>
#include <stdlib.h>

#include "unit.h"

#include "anfang/form-expr.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

#define T0 1700000000000LL

/* Far below the 8 MiB of a main thread; room for a sanitizer's frames. */
#define SMALL_STACK (512 * 1024)

struct buf {
	char *p;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	while (b->len + (size_t)n + 1 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void
head(struct buf *b)
{
	add(b, "form: bound\nversion: 1\ntitle: Bound\nlanguage: en\n"
	       "units:\n  - {id: u1, name: Unit one}\n"
	       "sections:\n  - title: All\n    questions:\n");
}

/* n yes/no questions; question i is shown if q(i+1) or q(i+1) ... (terms
 * times). */
static char *
chain_form(size_t n, size_t terms)
{
	struct buf b = { 0 };
	size_t i, k;

	head(&b);
	for (i = 1; i <= n; i++) {
		add(&b,
		    "      - id: q%zu\n        type: yesno\n"
		    "        label: Q%zu\n",
		    i, i);
		if (i == n)
			break;
		add(&b, "        show_if: q%zu", i + 1);
		for (k = 1; k < terms; k++)
			add(&b, " or q%zu", i + 1);
		add(&b, "\n");
	}
	return b.p;
}

struct job {
	const char *yaml;
	/* Every yes/no question is answered yes and every number 5; then
	 * answer_id (if not NULL) is answered answer. */
	const char *answer_id;
	int answer;
	/* results */
	int loaded;
	size_t visible;
	size_t problems;
	size_t checks;
};

/* Load, check, answer, then every question's visibility and checks. */
static void *
job_run(void *arg)
{
	struct job *j = arg;
	struct diag_list diags = { 0 };
	struct visit_problem *p;
	struct value val = { 0 };
	struct visit *v;
	struct form *f;
	char *cause = NULL;
	size_t q;

	f = form_load_mem("t.yaml", NULL, j->yaml, strlen(j->yaml), &diags);
	if (f == NULL) {
		unit_dump(&diags);
		diag_clear(&diags);
		return NULL;
	}
	j->loaded = 1;
	v = visit_new(f, 1, "u1", NULL, NULL, T0, &cause);
	if (v == NULL) {
		fprintf(stderr, "  visit_new: %s\n", cause);
		free(cause);
		form_free(f);
		return NULL;
	}
	for (q = 0; q < f->nquestions; q++) {
		if (f->questions[q].type == FORM_YESNO) {
			val.kind = VALUE_BOOL;
			val.b = j->answer_id != NULL &&
			                (long)q == form_find(f, j->answer_id)
			            ? j->answer
			            : 1;
		} else {
			val.kind = VALUE_NUMBER;
			val.n = 5;
		}
		if (visit_answer(v, q, &val, T0, &cause) != 0) {
			fprintf(stderr, "  visit_answer: %s\n", cause);
			free(cause);
			cause = NULL;
		}
	}
	for (q = 0; q < f->nquestions; q++) {
		j->visible += visit_visible(v, q) != 0;
		j->checks += visit_constraint_fails(v, q) + visit_warns(v, q) +
		             visit_alerts(v, q);
	}
	j->problems = visit_problems(v, &p);
	free(p);
	visit_free(v);
	return NULL;
}

/* Run the job on a thread with SMALL_STACK bytes of stack. */
static void
small_stack(struct job *j)
{
	pthread_attr_t attr;
	pthread_t t;

	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setstacksize(&attr, SMALL_STACK), 0);
	assert_int_equal(pthread_create(&t, &attr, job_run, j), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	pthread_attr_destroy(&attr);
}

static void
test_report_form(void **state)
{
	char *yaml = chain_form(200, 400);
	struct job j = { 0 };

	(void)state;
	j.yaml = yaml;
	j.answer_id = "q200";
	j.answer = 1;
	small_stack(&j);
	assert_true(j.loaded);
	assert_int_equal(j.visible, 200); /* q200 yes shows every one */

	memset(&j, 0, sizeof j);
	j.yaml = yaml;
	j.answer_id = "q200";
	j.answer = 0;
	small_stack(&j);
	assert_true(j.loaded);
	assert_int_equal(j.visible, 1); /* q200 no hides the rest */
	free(yaml);
}

/* The longest chain a form can hold: every question hangs on the next. */
static void
test_longest_chain(void **state)
{
	char *yaml = chain_form(10000, 1);
	struct job j = { 0 };

	(void)state;
	j.yaml = yaml;
	j.answer_id = "q10000";
	j.answer = 1;
	small_stack(&j);
	assert_true(j.loaded);
	assert_int_equal(j.visible, 10000);
	free(yaml);
}

/* Expressions as long as allowed, of "and" and "or" in turn. */
static void
test_widest_expression(void **state)
{
	struct buf b = { 0 }, e = { 0 }, x = { 0 };
	struct job j = { 0 };
	size_t k;

	(void)state;
	add(&e, "a");
	add(&x, ". > 0");
	for (k = 0; e.len + 32 < FORM_EXPR_MAX_LEN; k++) {
		add(&e, k % 2 ? " and n > %zu" : " or a", k);
		add(&x, k % 2 ? " and . > %zu" : " or a", k);
	}
	head(&b);
	add(&b,
	    "      - id: a\n        type: yesno\n        label: A\n"
	    "      - id: n\n        type: number\n        label: N\n"
	    "        constraint: %s\n        constraint_message: c\n"
	    "        warn_if: %s\n        warn_message: w\n"
	    "        alert_if: %s\n        alert_message: a\n"
	    "      - id: b\n        type: yesno\n        label: B\n"
	    "        show_if: %s\n",
	    x.p, x.p, x.p, e.p);
	j.yaml = b.p;
	small_stack(&j);
	assert_true(j.loaded);
	assert_int_equal(j.visible, 3);
	assert_int_equal(j.checks, 2); /* the warning and the alert */
	free(x.p);
	free(e.p);
	free(b.p);
}

/* Nesting as deep as the parser takes, on a chain of such questions. */
static void
test_deepest_nesting(void **state)
{
	struct buf b = { 0 }, e = { 0 };
	struct diag_list diags = { 0 };
	struct form_expr *x = NULL;
	struct form_pos pos = { 1, 1 }, errpos;
	struct job j = { 0 };
	char *cause = NULL;
	size_t depth, i, k;

	(void)state;
	/* the deepest "not (not (... q))" the parser accepts */
	for (depth = 1;; depth++) {
		e.len = 0;
		add(&e, "%s", "");
		for (k = 0; k < depth; k++)
			add(&e, "not (");
		add(&e, "next");
		for (k = 0; k < depth; k++)
			add(&e, ")");
		form_expr_free(x);
		if ((x = form_expr_parse(e.p, pos, &cause, &errpos)) == NULL)
			break;
	}
	free(cause);
	assert_true(depth > 4);
	e.len = 0;
	add(&e, "%s", "");
	for (k = 0; k + 1 < depth; k++)
		add(&e, "not (");
	add(&e, "next");
	for (k = 0; k + 1 < depth; k++)
		add(&e, ")");
	head(&b);
	for (i = 1; i <= 2000; i++) {
		add(&b,
		    "      - id: q%zu\n        type: yesno\n"
		    "        label: Q%zu\n",
		    i, i);
		if (i == 2000)
			break;
		add(&b, "        show_if: ");
		for (k = 0; e.p[k] != '\0'; k++) {
			if (strncmp(e.p + k, "next", 4) == 0) {
				add(&b, "q%zu", i + 1);
				k += 3;
			} else
				add(&b, "%c", e.p[k]);
		}
		add(&b, "\n");
	}
	j.yaml = b.p;
	j.answer_id = "q2000";
	j.answer = 1;
	small_stack(&j);
	assert_true(j.loaded);
	/* an even number of "not" shows every one; an odd one hides q1999,
	 * and a hidden question's answer is unknown, hiding the rest */
	assert_int_equal(j.visible, (depth - 1) % 2 == 0 ? 2000 : 1);
	diag_clear(&diags);
	free(e.p);
	free(b.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_form),
		cmocka_unit_test(test_longest_chain),
		cmocka_unit_test(test_widest_expression),
		cmocka_unit_test(test_deepest_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
