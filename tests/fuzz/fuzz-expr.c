/*
 * libFuzzer target: arbitrary text as an expression, parsed, bound against
 * a fixed form with one question of each answerable type (as the
 * constraint of a_number, so `.` is allowed) and, when it binds cleanly,
 * evaluated with answers picked by the first input byte, some of them
 * unknown.  The result must be one of the three truth values.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/diag.h"
#include "anfang/form-expr.h"
#include "anfang/form-load.h"
#include "anfang/form.h"
#include "anfang/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fuzz_yaml[] =
    "form: fuzz-expr\n"
    "version: 1\n"
    "title: Expressions\n"
    "language: en\n"
    "units: [u]\n"
    "sections:\n"
    "  - title: All types\n"
    "    questions:\n"
    "      - {id: a_yesno, type: yesno, label: L}\n"
    "      - id: a_choice\n"
    "        type: choice\n"
    "        label: L\n"
    "        choices: [x, y]\n"
    "      - id: a_multi\n"
    "        type: multi\n"
    "        label: L\n"
    "        choices: [x, y, z]\n"
    "      - {id: a_number, type: number, label: L}\n"
    "      - {id: a_scale, type: scale, label: L}\n"
    "      - {id: a_text, type: text, label: L}\n"
    "      - {id: a_date, type: date, label: L}\n"
    "      - {id: a_time, type: time, label: L}\n"
    "      - {id: a_timer, type: timer, label: L}\n"
    "      - {id: a_count, type: count, label: L}\n"
    "      - {id: a_note, type: note, label: L}\n";

#define NQ 11

static struct form *fuzz_form;
static size_t fuzz_self;
/* Two answers for each question: [0][i] and [1][i]. */
static struct value fuzz_values[2][NQ];

struct pick {
	const struct value *v[NQ];
};

static const struct value *
fuzz_lookup(void *arg, size_t i)
{
	struct pick *p = arg;

	if (i >= fuzz_form->nquestions)
		abort();
	return p->v[i];
}

static void
fuzz_setup(void)
{
	static const char *const multi0[] = { "x" };
	static const char *const multi1[] = { "y", "z" };
	struct diag_list diags = { 0 };
	long i;

	fuzz_form = form_load_mem(
	    "fuzz-expr.yaml", NULL, fuzz_yaml, sizeof fuzz_yaml - 1, &diags);
	if (fuzz_form == NULL || fuzz_form->nquestions != NQ) {
		diag_print(&diags, stderr, "fuzz-expr: ");
		abort();
	}
	diag_clear(&diags);
	if ((i = form_find(fuzz_form, "a_number")) < 0)
		abort();
	fuzz_self = (size_t)i;

#define SET(id, k, ctor, ...)                                                  \
	value_##ctor(&fuzz_values[k][form_find(fuzz_form, id)], __VA_ARGS__)
	SET("a_yesno", 0, bool, 1);
	SET("a_yesno", 1, bool, 0);
	SET("a_choice", 0, string, "x");
	SET("a_choice", 1, string, "y");
	SET("a_multi", 0, set, multi0, 1);
	SET("a_multi", 1, set, multi1, 2);
	SET("a_number", 0, number, 5);
	SET("a_number", 1, number, -1.5);
	SET("a_scale", 0, number, 1);
	SET("a_scale", 1, number, 5);
	SET("a_text", 0, string, "x");
	SET("a_text", 1, string, "");
	SET("a_date", 0, string, "2024-02-29");
	SET("a_date", 1, string, "1999-12-31");
	SET("a_time", 0, string, "09:30");
	SET("a_time", 1, string, "23:59");
	SET("a_timer", 0, number, 0);
	SET("a_timer", 1, number, 3600);
	SET("a_count", 0, number, 0);
	SET("a_count", 1, number, 12);
#undef SET
}

/* Two bits per question from the first byte: unknown, or answer 0 or 1. */
static void
fuzz_pick(struct pick *p, unsigned b)
{
	uint32_t h = (uint32_t)b * 2654435761u;
	unsigned sel;
	size_t i;

	for (i = 0; i < NQ; i++) {
		sel = (h >> (2 * i)) & 3;
		if (sel == 0 || fuzz_values[0][i].kind == VALUE_NONE)
			p->v[i] = NULL;
		else
			p->v[i] = &fuzz_values[sel & 1][i];
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list diags = { 0 };
	struct form_pos pos = { 3, 17 }, errpos;
	struct form_expr *e;
	enum form_expr_truth t;
	struct pick p;
	size_t refs[16], n, i;
	char *text, *cause = NULL;
	int errors;

	if (fuzz_form == NULL)
		fuzz_setup();
	text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	e = form_expr_parse(text, pos, &cause, &errpos);
	if (e == NULL) {
		/* An error has a cause and a place on the expression's line. */
		if (cause == NULL || errpos.line != pos.line ||
		    errpos.col < pos.col)
			abort();
		free(cause);
		free(text);
		return 0;
	}
	if (strcmp(form_expr_text(e), text) != 0)
		abort();

	/* As a show_if first, where `.` is refused, then as a constraint. */
	(void)form_expr_bind(e, fuzz_form, fuzz_self, 0, "f", &diags);
	diag_clear(&diags);
	errors = form_expr_bind(e, fuzz_form, fuzz_self, 1, "f", &diags);
	if ((errors == 0) != (diags.n == 0))
		abort();
	if (errors == 0) {
		n = form_expr_refs(e, refs, 16);
		for (i = 0; i < n && i < 16; i++) {
			if (refs[i] >= fuzz_form->nquestions)
				abort();
		}
		fuzz_pick(&p, size > 0 ? data[0] : 0);
		t = form_expr_eval(e, fuzz_lookup, &p);
		if (t != FORM_EXPR_FALSE && t != FORM_EXPR_TRUE &&
		    t != FORM_EXPR_UNKNOWN)
			abort();
	}
	diag_clear(&diags);
	form_expr_free(e);
	free(text);
	return 0;
}
