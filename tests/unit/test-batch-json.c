/*
 * batch-json: answers read from JSON (each type, and each way of getting
 * it wrong), single answers typed as JSON or plain text, and the JSON of a
 * whole visit read back with jansson.
 */
#include "unit.h"

#include <stdlib.h>

#include <jansson.h>

#include "anfang/batch-json.h"
#include "anfang/crypt.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

static const char json_form[] =
    "form: j\n"
    "version: 4\n"
    "title: 檢查表\n"
    "language: zh-Hant\n"
    "units:\n"
    "  - {id: c1, name: 第一中心}\n"
    "visit:\n"
    "  division: optional\n"
    "  person: optional\n"
    "sections:\n"
    "  - title: S\n"
    "    questions:\n"
    "      - {id: ok, type: yesno, label: L, score: {yes: 2, no: 0}}\n"
    "      - id: why\n"
    "        type: choice\n"
    "        label: L\n"
    "        choices: [referred, missing_docs, other]\n"
    "      - id: posted\n"
    "        type: multi\n"
    "        label: L\n"
    "        choices: [fees, steps, deadline]\n"
    "      - {id: n_int, type: number, label: L}\n"
    "      - {id: n_dec, type: number, label: L, decimals: 1}\n"
    "      - {id: mood, type: scale, label: L}\n"
    "      - {id: people, type: count, label: L}\n"
    "      - id: wait\n"
    "        type: timer\n"
    "        label: L\n"
    "        warn_if: . > 1800\n"
    "        warn_message: 等候超過 30 分鐘\n"
    "      - {id: notes, type: text, label: L, lines: 4}\n"
    "      - {id: day, type: date, label: L}\n"
    "      - {id: at, type: time, label: L}\n"
    "      - id: favours\n"
    "        type: yesno\n"
    "        label: L\n"
    "        alert_if: . == yes\n"
    "        severity: high\n"
    "        alert_message: 疑似吃拿卡要\n"
    "      - id: hidden\n"
    "        type: text\n"
    "        label: L\n"
    "        show_if: ok == no\n"
    "      - {id: read, type: note, label: L}\n";

#define T0 1795728204123LL

struct fixture {
	struct form *form;
	struct value *v; /* one per question */
};

static int
json_setup(void **state)
{
	struct diag_list diags = { 0 };
	struct fixture *fx;
	char *cause = NULL;

	if (crypt_init(&cause) != 0)
		return -1;
	fx = calloc(1, sizeof *fx);
	fx->form = unit_form(json_form, &diags);
	if (fx->form == NULL) {
		unit_dump(&diags);
		diag_clear(&diags);
		free(fx);
		return -1;
	}
	fx->v = calloc(fx->form->nquestions, sizeof *fx->v);
	*state = fx;
	return 0;
}

static void
clear_values(struct fixture *fx)
{
	size_t i;

	for (i = 0; i < fx->form->nquestions; i++)
		value_clear(&fx->v[i]);
}

static int
json_teardown(void **state)
{
	struct fixture *fx = *state;

	clear_values(fx);
	free(fx->v);
	form_free(fx->form);
	free(fx);
	return 0;
}

static struct value *
val(struct fixture *fx, const char *id)
{
	long i = form_find(fx->form, id);

	assert_true(i >= 0);
	return &fx->v[i];
}

static const struct form_question *
question(struct fixture *fx, const char *id)
{
	long i = form_find(fx->form, id);

	assert_true(i >= 0);
	return &fx->form->questions[i];
}

static int
parse(struct fixture *fx, const char *text, char **cause)
{
	clear_values(fx);
	*cause = NULL;
	return batch_json_answers(fx->form, text, strlen(text), fx->v, cause);
}

/* The answers text is refused with a message holding want (and also). */
static void
refused(
    struct fixture *fx, const char *text, const char *want, const char *also)
{
	char *cause = NULL;

	if (parse(fx, text, &cause) != -1) {
		fprintf(stderr, "  accepted %s\n", text);
		fail();
	}
	assert_non_null(cause);
	if (strstr(cause, want) == NULL ||
	    (also != NULL && strstr(cause, also) == NULL)) {
		fprintf(
		    stderr, "  %s: \"%s\" lacks \"%s\"\n", text, cause, want);
		free(cause);
		fail();
	}
	free(cause);
}

static void
test_answers_every_type(void **state)
{
	struct fixture *fx = *state;
	struct value *p;
	char *cause = NULL;

	assert_int_equal(parse(fx,
	                     "{\"ok\": \"yes\", \"favours\": \"no\","
	                     " \"why\": \"referred\","
	                     " \"posted\": [\"fees\", \"deadline\"],"
	                     " \"n_int\": 12, \"n_dec\": 12.5, \"mood\": 4,"
	                     " \"people\": 3, \"wait\": 125,"
	                     " \"notes\": \"窗口人員不在\\n第二行\","
	                     " \"day\": \"2026-03-01\", \"at\": \"09:30\"}",
	                     &cause),
	    0);
	assert_null(cause);
	assert_int_equal(val(fx, "ok")->kind, VALUE_BOOL);
	assert_int_equal(val(fx, "ok")->b, 1);
	assert_int_equal(val(fx, "favours")->kind, VALUE_BOOL);
	assert_int_equal(val(fx, "favours")->b, 0);
	assert_int_equal(val(fx, "why")->kind, VALUE_STRING);
	assert_string_equal(val(fx, "why")->s, "referred");
	p = val(fx, "posted");
	assert_int_equal(p->kind, VALUE_SET);
	assert_int_equal(p->nset, 2);
	assert_string_equal(p->set[0], "fees");
	assert_string_equal(p->set[1], "deadline");
	assert_int_equal(val(fx, "n_int")->kind, VALUE_NUMBER);
	assert_true(val(fx, "n_int")->n == 12);
	assert_true(val(fx, "n_dec")->n == 12.5);
	assert_true(val(fx, "mood")->n == 4);
	assert_true(val(fx, "people")->n == 3);
	assert_int_equal(val(fx, "wait")->kind, VALUE_NUMBER);
	assert_true(val(fx, "wait")->n == 125);
	assert_string_equal(val(fx, "notes")->s, "窗口人員不在\n第二行");
	assert_string_equal(val(fx, "day")->s, "2026-03-01");
	assert_string_equal(val(fx, "at")->s, "09:30");
	/* what is absent stays absent */
	assert_int_equal(val(fx, "hidden")->kind, VALUE_NONE);
	assert_int_equal(val(fx, "read")->kind, VALUE_NONE);

	/* an empty multi and an empty object */
	assert_int_equal(parse(fx, "{\"posted\": []}", &cause), 0);
	assert_int_equal(val(fx, "posted")->kind, VALUE_SET);
	assert_int_equal(val(fx, "posted")->nset, 0);
	assert_int_equal(parse(fx, "{}", &cause), 0);
	assert_int_equal(val(fx, "posted")->kind, VALUE_NONE);
}

static void
test_answers_null(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;

	assert_int_equal(
	    parse(fx, "{\"ok\": null, \"n_int\": 3, \"day\": null}", &cause),
	    0);
	assert_int_equal(val(fx, "ok")->kind, VALUE_NONE);
	assert_int_equal(val(fx, "day")->kind, VALUE_NONE);
	assert_true(val(fx, "n_int")->n == 3);
	/* null is absent even for a question that takes no answer */
	assert_int_equal(parse(fx, "{\"read\": null}", &cause), 0);
}

static void
test_answers_unknown_id(void **state)
{
	struct fixture *fx = *state;

	refused(fx, "{\"ok\": \"yes\", \"staff\": \"yes\"}", "staff", "j");
	/* ids are exact */
	refused(fx, "{\"OK\": \"yes\"}", "OK", NULL);
	/* even when null */
	refused(fx, "{\"nope\": null}", "nope", NULL);
}

static void
test_answers_wrong_type(void **state)
{
	struct fixture *fx = *state;

	refused(fx, "{\"ok\": true}", "ok:", "\"yes\" or \"no\"");
	refused(fx, "{\"ok\": \"Yes\"}", "ok:", NULL);
	refused(fx, "{\"ok\": 1}", "ok:", NULL);
	refused(fx, "{\"why\": 2}", "why:", "string");
	refused(fx, "{\"why\": [\"referred\"]}", "why:", NULL);
	refused(fx, "{\"posted\": \"fees\"}", "posted:", "list");
	refused(fx, "{\"posted\": [\"fees\", 2]}", "posted:", "list");
	refused(fx, "{\"posted\": {\"fees\": true}}", "posted:", NULL);
	refused(fx, "{\"n_int\": \"12\"}", "n_int:", "number");
	refused(fx, "{\"n_dec\": true}", "n_dec:", "number");
	refused(fx, "{\"mood\": \"4\"}", "mood:", "number");
	refused(fx, "{\"people\": [3]}", "people:", "number");
	refused(fx, "{\"wait\": \"125\"}", "wait:", "number");
	refused(fx, "{\"notes\": 5}", "notes:", "string");
	refused(fx, "{\"notes\": {}}", "notes:", NULL);
	refused(fx, "{\"day\": 20260301}", "day:", "string");
	refused(fx, "{\"at\": 930}", "at:", "string");
	refused(fx, "{\"read\": \"x\"}", "read:", "note");
	/* the first wrong one is named, after others that were fine */
	refused(fx, "{\"ok\": \"yes\", \"mood\": \"x\", \"day\": 1}",
	    "mood:", NULL);
}

static void
test_answers_not_object(void **state)
{
	struct fixture *fx = *state;

	refused(fx, "[\"yes\"]", "object", NULL);
	refused(fx, "[]", "object", NULL);
	/* a bare value is not answers either */
	refused(fx, "\"yes\"", "line 1", NULL);
	refused(fx, "12", "line 1", NULL);
	refused(fx, "", "line 1", NULL);
}

static void
test_answers_malformed(void **state)
{
	struct fixture *fx = *state;

	refused(fx, "{\n  \"ok\": \"yes\",\n  \"why\" \"other\"\n}", "line 3",
	    "column");
	refused(fx, "{\"ok\": \"yes\",}", "line 1, column", NULL);
	refused(fx, "{\"ok\": \"yes\"} trailing", "line 1", NULL);
	refused(fx, "{\"ok\": \"yes\"", "line 1", NULL);
	/* a NUL in text cannot be written as a C string */
	refused(fx, "{\"notes\": \"a\\u0000b\"}", "line 1", NULL);
	/* invalid UTF-8 */
	refused(fx, "{\"notes\": \"\xff\"}", "line 1", NULL);
}

static void
test_answers_duplicate(void **state)
{
	struct fixture *fx = *state;

	refused(fx, "{\"ok\": \"yes\", \"ok\": \"no\"}", "duplicate", NULL);
	refused(fx, "{\"ok\": \"yes\", \"n_int\": 1, \"ok\": \"yes\"}",
	    "duplicate", NULL);
}

/* A single answer typed for question id. */
static int
one(struct fixture *fx, const char *id, const char *text, struct value *out,
    char **cause)
{
	*cause = NULL;
	return batch_json_answer(question(fx, id), text, out, cause);
}

static void
test_answer_text_fallback(void **state)
{
	struct fixture *fx = *state;
	struct value out = { 0 };
	char *cause = NULL;

	/* plain text is the text itself */
	assert_int_equal(one(fx, "notes", "窗口 沒有人", &out, &cause), 0);
	assert_int_equal(out.kind, VALUE_STRING);
	assert_string_equal(out.s, "窗口 沒有人");
	/* text that happens to be JSON of another type is still text */
	assert_int_equal(one(fx, "notes", "12", &out, &cause), 0);
	assert_int_equal(out.kind, VALUE_STRING);
	assert_string_equal(out.s, "12");
	assert_int_equal(one(fx, "notes", "true", &out, &cause), 0);
	assert_string_equal(out.s, "true");
	assert_int_equal(one(fx, "notes", "[1, 2]", &out, &cause), 0);
	assert_string_equal(out.s, "[1, 2]");
	/* a JSON string is its content */
	assert_int_equal(one(fx, "notes", "\"a\\nb\"", &out, &cause), 0);
	assert_string_equal(out.s, "a\nb");
	/* choices, dates and times as typed */
	assert_int_equal(one(fx, "why", "referred", &out, &cause), 0);
	assert_string_equal(out.s, "referred");
	assert_int_equal(one(fx, "why", "\"other\"", &out, &cause), 0);
	assert_string_equal(out.s, "other");
	assert_int_equal(one(fx, "day", "2026-03-01", &out, &cause), 0);
	assert_string_equal(out.s, "2026-03-01");
	assert_int_equal(one(fx, "at", "09:30", &out, &cause), 0);
	assert_string_equal(out.s, "09:30");
	/* yes and no need no quotes */
	assert_int_equal(one(fx, "ok", "yes", &out, &cause), 0);
	assert_int_equal(out.kind, VALUE_BOOL);
	assert_int_equal(out.b, 1);
	assert_int_equal(one(fx, "ok", "\"no\"", &out, &cause), 0);
	assert_int_equal(out.b, 0);
	assert_int_equal(one(fx, "ok", "maybe", &out, &cause), -1);
	assert_non_null(strstr(cause, "ok:"));
	free(cause);
	value_clear(&out);
}

static void
test_answer_json(void **state)
{
	struct fixture *fx = *state;
	struct value out = { 0 };
	char *cause = NULL;

	assert_int_equal(one(fx, "n_dec", "12.5", &out, &cause), 0);
	assert_int_equal(out.kind, VALUE_NUMBER);
	assert_true(out.n == 12.5);
	assert_int_equal(one(fx, "people", "3", &out, &cause), 0);
	assert_true(out.n == 3);
	assert_int_equal(one(fx, "wait", "1800", &out, &cause), 0);
	assert_true(out.n == 1800);
	assert_int_equal(one(fx, "mood", "5", &out, &cause), 0);
	assert_true(out.n == 5);
	assert_int_equal(
	    one(fx, "posted", "[\"fees\", \"steps\"]", &out, &cause), 0);
	assert_int_equal(out.kind, VALUE_SET);
	assert_int_equal(out.nset, 2);
	assert_string_equal(out.set[1], "steps");
	/* what is not a number is refused, naming the question */
	assert_int_equal(one(fx, "n_int", "twelve", &out, &cause), -1);
	assert_non_null(strstr(cause, "n_int:"));
	free(cause);
	assert_int_equal(one(fx, "n_int", "\"12\"", &out, &cause), -1);
	free(cause);
	assert_int_equal(one(fx, "posted", "fees", &out, &cause), -1);
	assert_non_null(strstr(cause, "posted:"));
	free(cause);
	/* null clears */
	assert_int_equal(one(fx, "n_int", "12", &out, &cause), 0);
	assert_int_equal(one(fx, "n_int", "null", &out, &cause), 0);
	assert_int_equal(out.kind, VALUE_NONE);
	value_clear(&out);
}

static void
set_answer(struct visit *v, const char *id, struct value *x)
{
	char *cause = NULL;
	long q = form_find(v->form, id);

	assert_true(q >= 0);
	if (visit_answer(v, (size_t)q, x, T0 + 1000, &cause) != 0) {
		fprintf(stderr, "  %s: %s\n", id, cause);
		fail();
	}
	value_clear(x);
}

/* A final visit answering every type, with a reason and an amendment. */
static struct visit *
full_visit(struct fixture *fx)
{
	static const char *const posted[] = { "fees", "steps" };
	struct visit *v;
	struct value x = { 0 };
	char *cause = NULL;

	v = visit_new(fx->form, 0, "第一中心", "窗口 3", NULL, T0, &cause);
	assert_non_null(v);
	value_bool(&x, 1);
	set_answer(v, "ok", &x);
	value_string(&x, "other");
	set_answer(v, "why", &x);
	value_set(&x, posted, 2);
	set_answer(v, "posted", &x);
	value_number(&x, 12);
	set_answer(v, "n_int", &x);
	value_number(&x, 12.5);
	set_answer(v, "n_dec", &x);
	value_number(&x, 4);
	set_answer(v, "mood", &x);
	value_number(&x, 0);
	set_answer(v, "people", &x);
	value_number(&x, 2000);
	set_answer(v, "wait", &x);
	value_string(&x, "窗口人員不在\n\"引號\"");
	set_answer(v, "notes", &x);
	value_string(&x, "2026-03-01");
	set_answer(v, "day", &x);
	value_string(&x, "09:30");
	set_answer(v, "at", &x);
	value_bool(&x, 1);
	set_answer(v, "favours", &x);
	/* answered, then hidden by ok = yes */
	value_string(&x, "never shown");
	assert_int_equal(visit_answer(v, (size_t)form_find(v->form, "hidden"),
	                     &x, T0, &cause),
	    0);
	value_clear(&x);
	assert_int_equal(visit_set_reason(v, (size_t)form_find(v->form, "wait"),
	                     "人很多", &cause),
	    0);
	assert_int_equal(visit_finalize(v, T0 + 60000, &cause), 0);
	value_number(&x, 13);
	assert_int_equal(visit_amend(v, (size_t)form_find(v->form, "n_int"), &x,
	                     "miscounted", T0 + 120000, &cause),
	    0);
	value_clear(&x);
	return v;
}

static json_t *
load_json(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (j == NULL)
		fprintf(
		    stderr, "  %d:%d: %s\n", err.line, err.column, err.text);
	assert_non_null(j);
	return j;
}

static void
test_visit_json(void **state)
{
	struct fixture *fx = *state;
	struct visit *v = full_visit(fx);
	json_t *o, *a, *e, *x;
	char *text;

	text = batch_json_visit(v, NULL, NULL, NULL, 0);
	assert_non_null(text);
	o = load_json(text);
	free(text);

	assert_string_equal(json_string_value(json_object_get(o, "id")), v->id);
	assert_string_equal(
	    json_string_value(json_object_get(o, "status")), "final");
	x = json_object_get(o, "form");
	assert_string_equal(json_string_value(json_object_get(x, "id")), "j");
	assert_int_equal(json_integer_value(json_object_get(x, "version")), 4);
	assert_string_equal(
	    json_string_value(json_object_get(x, "title")), "檢查表");
	assert_string_equal(
	    json_string_value(json_object_get(x, "hash")), fx->form->hash);
	x = json_object_get(o, "unit");
	assert_string_equal(json_string_value(json_object_get(x, "id")), "c1");
	assert_string_equal(
	    json_string_value(json_object_get(x, "name")), "第一中心");
	assert_string_equal(
	    json_string_value(json_object_get(o, "division")), "窗口 3");
	assert_true(json_is_null(json_object_get(o, "person")));
	assert_string_equal(json_string_value(json_object_get(o, "started")),
	    "2026-11-26T21:23:24.123Z");
	assert_string_equal(json_string_value(json_object_get(o, "finalized")),
	    "2026-11-26T21:24:24.123Z");

	/* answers, each with its JSON type, the ones that count (n_int as
	 * amended) */
	a = json_object_get(o, "answers");
	assert_true(json_is_object(a));
	assert_string_equal(json_string_value(json_object_get(a, "ok")), "yes");
	assert_string_equal(
	    json_string_value(json_object_get(a, "why")), "other");
	x = json_object_get(a, "posted");
	assert_true(json_is_array(x));
	assert_int_equal(json_array_size(x), 2);
	assert_string_equal(json_string_value(json_array_get(x, 0)), "fees");
	assert_string_equal(json_string_value(json_array_get(x, 1)), "steps");
	x = json_object_get(a, "n_int");
	assert_true(json_is_integer(x));
	assert_int_equal(json_integer_value(x), 13);
	x = json_object_get(a, "n_dec");
	assert_true(json_is_number(x));
	assert_true(json_number_value(x) == 12.5);
	x = json_object_get(a, "mood");
	assert_true(json_is_integer(x));
	assert_int_equal(json_integer_value(x), 4);
	x = json_object_get(a, "people");
	assert_true(json_is_integer(x));
	assert_int_equal(json_integer_value(x), 0);
	x = json_object_get(a, "wait");
	assert_true(json_is_integer(x));
	assert_int_equal(json_integer_value(x), 2000);
	assert_string_equal(json_string_value(json_object_get(a, "notes")),
	    "窗口人員不在\n\"引號\"");
	assert_string_equal(
	    json_string_value(json_object_get(a, "day")), "2026-03-01");
	assert_string_equal(
	    json_string_value(json_object_get(a, "at")), "09:30");
	assert_string_equal(
	    json_string_value(json_object_get(a, "favours")), "yes");
	/* hidden and unanswered questions are absent, not null */
	assert_null(json_object_get(a, "hidden"));
	assert_null(json_object_get(a, "read"));
	assert_int_equal(json_object_size(a), 12);
	/* ok yes scores 2 */
	assert_true(json_number_value(json_object_get(o, "score")) == 2);

	a = json_object_get(o, "alerts");
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), 1);
	e = json_array_get(a, 0);
	assert_string_equal(
	    json_string_value(json_object_get(e, "question")), "favours");
	assert_string_equal(
	    json_string_value(json_object_get(e, "severity")), "high");
	assert_string_equal(
	    json_string_value(json_object_get(e, "message")), "疑似吃拿卡要");
	/* no handling given: open, never handled */
	assert_string_equal(
	    json_string_value(json_object_get(e, "state")), "open");
	assert_true(json_is_null(json_object_get(e, "note")));
	assert_true(json_is_null(json_object_get(e, "handled_by")));
	assert_true(json_is_null(json_object_get(e, "handled_at")));

	a = json_object_get(o, "warnings");
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), 1);
	e = json_array_get(a, 0);
	assert_string_equal(
	    json_string_value(json_object_get(e, "question")), "wait");
	assert_string_equal(json_string_value(json_object_get(e, "message")),
	    "等候超過 30 分鐘");
	assert_string_equal(
	    json_string_value(json_object_get(e, "reason")), "人很多");

	/* the amended answer marked: what it was first, when, why */
	a = json_object_get(o, "amended");
	assert_true(json_is_object(a));
	assert_int_equal(json_object_size(a), 1);
	e = json_object_get(a, "n_int");
	assert_true(json_is_object(e));
	x = json_object_get(e, "original");
	assert_true(json_is_integer(x));
	assert_int_equal(json_integer_value(x), 12);
	assert_string_equal(
	    json_string_value(json_object_get(e, "reason")), "miscounted");
	assert_string_equal(json_string_value(json_object_get(e, "at")),
	    "2026-11-26T21:25:24.123Z");

	a = json_object_get(o, "amendments");
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), 1);
	e = json_array_get(a, 0);
	assert_string_equal(
	    json_string_value(json_object_get(e, "question")), "n_int");
	x = json_object_get(e, "value");
	assert_true(json_is_integer(x));
	assert_int_equal(json_integer_value(x), 13);
	assert_string_equal(
	    json_string_value(json_object_get(e, "reason")), "miscounted");
	assert_string_equal(json_string_value(json_object_get(e, "at")),
	    "2026-11-26T21:25:24.123Z");

	/* no trail given: an empty one, intact */
	x = json_object_get(o, "audit");
	assert_true(json_is_true(json_object_get(x, "intact")));
	assert_true(json_is_null(json_object_get(x, "problem")));
	assert_int_equal(json_array_size(json_object_get(x, "entries")), 0);
	json_decref(o);
	visit_free(v);
}

static void
test_visit_json_audit(void **state)
{
	struct fixture *fx = *state;
	struct visit *v = full_visit(fx);
	struct audit_chain c = { 0 };
	struct audit_entry e;
	json_t *o, *x, *en;
	char *text, hex[CRYPT_HASH_BYTES * 2 + 1];
	size_t i;

	memset(&e, 0, sizeof e);
	e.n = 1;
	e.at = T0;
	e.visit = v->id;
	e.event = (char *)"visit started";
	e.detail = (char *)"form j version 4";
	audit_hash(&e);
	audit_chain_add(&c, &e);
	memcpy(e.prev, e.hash, sizeof e.prev);
	e.n = 2;
	e.at = T0 + 5;
	e.event = (char *)"answer set";
	e.detail = (char *)"ok: - -> yes";
	audit_hash(&e);
	audit_chain_add(&c, &e);

	text = batch_json_visit(
	    v, &c, "audit trail broken at entry 2: x", NULL, 0);
	o = load_json(text);
	free(text);
	x = json_object_get(o, "audit");
	assert_true(json_is_false(json_object_get(x, "intact")));
	assert_string_equal(json_string_value(json_object_get(x, "problem")),
	    "audit trail broken at entry 2: x");
	x = json_object_get(x, "entries");
	assert_int_equal(json_array_size(x), 2);
	en = json_array_get(x, 1);
	assert_int_equal(json_integer_value(json_object_get(en, "n")), 2);
	assert_string_equal(json_string_value(json_object_get(en, "at")),
	    "2026-11-26T21:23:24.128Z");
	assert_string_equal(
	    json_string_value(json_object_get(en, "event")), "answer set");
	assert_string_equal(
	    json_string_value(json_object_get(en, "detail")), "ok: - -> yes");
	for (i = 0; i < CRYPT_HASH_BYTES; i++)
		sprintf(hex + 2 * i, "%02x", c.v[1].hash[i]);
	assert_string_equal(
	    json_string_value(json_object_get(en, "hash")), hex);
	json_decref(o);
	audit_chain_free(&c);
	visit_free(v);
}

static void
test_visit_json_draft(void **state)
{
	struct fixture *fx = *state;
	struct visit *v;
	struct value x = { 0 };
	json_t *o;
	char *text, *cause = NULL;

	v = visit_new(fx->form, 0, "c1", NULL, "badge 9", T0, &cause);
	assert_non_null(v);
	/* a whole number on a question with decimals stays a number */
	value_number(&x, 12);
	set_answer(v, "n_dec", &x);
	text = batch_json_visit(v, NULL, NULL, NULL, 0);
	o = load_json(text);
	free(text);
	assert_string_equal(
	    json_string_value(json_object_get(o, "status")), "draft");
	assert_true(json_is_null(json_object_get(o, "finalized")));
	assert_true(json_is_null(json_object_get(o, "division")));
	assert_string_equal(
	    json_string_value(json_object_get(o, "person")), "badge 9");
	assert_true(json_number_value(json_object_get(
	                json_object_get(o, "answers"), "n_dec")) == 12);
	assert_int_equal(json_array_size(json_object_get(o, "alerts")), 0);
	assert_int_equal(json_array_size(json_object_get(o, "warnings")), 0);
	assert_int_equal(json_array_size(json_object_get(o, "amendments")), 0);
	json_decref(o);
	visit_free(v);
}

/* The audit trail of test_visit_json_audit: two entries, chained. */
static void
two_entries(struct visit *v, struct audit_chain *c)
{
	struct audit_entry e;

	memset(&e, 0, sizeof e);
	e.n = 1;
	e.at = T0;
	e.visit = v->id;
	e.event = (char *)"visit started";
	e.detail = (char *)"form j version 4, 第一中心";
	audit_hash(&e);
	audit_chain_add(c, &e);
	memcpy(e.prev, e.hash, sizeof e.prev);
	e.n = 2;
	e.at = T0 + 5;
	e.event = (char *)"answer set";
	e.detail = (char *)"notes: - -> 窗口人員不在";
	audit_hash(&e);
	audit_chain_add(c, &e);
}

/* The line as export writes it, entry by entry from the trail. */
static char *
direct_line(const struct visit *v, const struct audit_chain *c, int *rc)
{
	static const unsigned char zero[CRYPT_HASH_BYTES];
	struct batch_json_out o = { NULL, 0, 0, 0 };
	size_t i;

	batch_json_line_begin(&o, v);
	for (i = 0; i < c->n; i++)
		batch_json_line_entry(
		    &o, c->v[i].at, c->v[i].event, c->v[i].detail);
	*rc = batch_json_line_end(&o, c->n ? c->v[c->n - 1].hash : zero);
	assert_int_equal(o.len, strlen(o.p));
	return o.p;
}

/*
 * Export writes each visit line straight from the visit and its trail's
 * rows: byte for byte the line batch_json_visit_line makes, whatever the
 * texts hold (every ASCII control, quotes, backslashes, slashes, DEL,
 * CJK), the values (sets, decimals, large and negative numbers, cleared
 * by an amendment) and the trail (none, or entries); a text that is not
 * UTF-8 is said, for the slow way to write that line.
 */
static void
test_visit_line_direct(void **state)
{
	struct fixture *fx = *state;
	struct visit *v = full_visit(fx);
	struct audit_chain c = { 0 };
	struct audit_entry e;
	struct value x = { 0 };
	char all[128], *slow, *fast, *cause = NULL;
	size_t i;
	int rc;

	/* no trail at all */
	slow = batch_json_visit_line(v, &c);
	fast = direct_line(v, &c, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(fast, slow);
	free(slow);
	free(fast);

	for (i = 1; i < sizeof all; i++)
		all[i - 1] = (char)i;
	all[sizeof all - 1] = '\0';
	value_number(&x, 0.1);
	assert_int_equal(visit_amend(v, (size_t)form_find(v->form, "n_dec"), &x,
	                     "tenth", T0 + 130000, &cause),
	    0);
	value_number(&x, -1e20);
	assert_int_equal(visit_amend(v, (size_t)form_find(v->form, "n_int"), &x,
	                     all, T0 + 140000, &cause),
	    0);
	value_clear(&x);
	assert_int_equal(visit_amend(v, (size_t)form_find(v->form, "notes"), &x,
	                     "cleared / \\ \"", T0 + 150000, &cause),
	    0);
	free(v->person);
	v->person = xstrdup("badge \t7 \x7f");
	two_entries(v, &c);
	memset(&e, 0, sizeof e);
	e.n = 3;
	e.at = 0;
	e.visit = v->id;
	e.event = all;
	e.detail = (char *)"";
	audit_chain_add(&c, &e);
	slow = batch_json_visit_line(v, &c);
	fast = direct_line(v, &c, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(fast, slow);
	free(slow);
	free(fast);

	/* not UTF-8: the fast way says so */
	free(c.v[2].detail);
	c.v[2].detail = xstrdup("\xe7\xaa");
	fast = direct_line(v, &c, &rc);
	assert_int_equal(rc, -1);
	free(fast);
	audit_chain_free(&c);
	visit_free(v);
}

static struct form *
form_of_fx(void *arg, const char *hash)
{
	struct fixture *fx = arg;

	return strcmp(hash, fx->form->hash) == 0 ? fx->form : NULL;
}

/*
 * A visit line of format 2: UTF-8 as UTF-8, no entry numbers, hashes,
 * score, alerts or warnings, the trail's head; read back (as format 2
 * only), its trail is rebuilt hash for hash and checks, and a changed
 * head or entry breaks it.
 */
static void
test_visit_line_format2(void **state)
{
	struct fixture *fx = *state;
	struct visit *v = full_visit(fx), *r;
	struct audit_chain c = { 0 }, got;
	char *line, *changed, *p, *cause = NULL, hex[CRYPT_HASH_BYTES * 2 + 1];
	size_t i;

	two_entries(v, &c);
	line = batch_json_visit_line(v, &c);
	assert_null(strstr(line, "\\u"));
	assert_non_null(
	    strstr(line, "\"notes\":\"窗口人員不在\\n\\\"引號\\\"\""));
	assert_non_null(
	    strstr(line, "\"detail\":\"notes: - -> 窗口人員不在\""));
	assert_null(strstr(line, "\"n\":"));
	assert_null(strstr(line, "\"prev\""));
	assert_null(strstr(line, "\"hash\""));
	assert_null(strstr(line, "\"score\""));
	assert_null(strstr(line, "\"alerts\""));
	assert_null(strstr(line, "\"warnings\""));
	assert_null(strstr(line, "\"form_id\""));
	for (i = 0; i < CRYPT_HASH_BYTES; i++)
		sprintf(hex + 2 * i, "%02x", c.v[1].hash[i]);
	p = xasprintf("],\"audit_head\":\"%s\"}", hex);
	assert_non_null(strstr(line, p));
	free(p);

	r = batch_json_visit_parse(
	    line, strlen(line), 2, form_of_fx, fx, &got, &cause);
	assert_non_null(r);
	assert_int_equal(got.n, 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(got.v[i].n, c.v[i].n);
		assert_int_equal(got.v[i].at, c.v[i].at);
		assert_memory_equal(
		    got.v[i].prev, c.v[i].prev, CRYPT_HASH_BYTES);
		assert_memory_equal(
		    got.v[i].hash, c.v[i].hash, CRYPT_HASH_BYTES);
	}
	assert_int_equal(audit_verify(&got, got.v[1].hash, 2, &cause), 0);
	/* hashed once, as read: batch_check_visit need not hash it again */
	assert_true(got.sound);
	assert_true(value_equal(&r->answers[form_find(fx->form, "notes")],
	    &v->answers[form_find(fx->form, "notes")]));
	visit_free(r);
	audit_chain_free(&got);

	/* a line of format 2 is not one of format 1 */
	assert_null(batch_json_visit_parse(
	    line, strlen(line), 1, form_of_fx, fx, &got, &cause));
	assert_non_null(strstr(cause, "format 1"));
	free(cause);
	cause = NULL;

	/* a changed head, or a changed entry, breaks the trail */
	changed = xstrdup(line);
	p = strstr(changed, "\"audit_head\":\"") + strlen("\"audit_head\":\"");
	*p = *p == '0' ? '1' : '0';
	r = batch_json_visit_parse(
	    changed, strlen(changed), 2, form_of_fx, fx, &got, &cause);
	assert_non_null(r);
	assert_false(got.sound);
	assert_int_equal(audit_verify(&got, got.v[1].hash, 2, &cause), -1);
	assert_non_null(strstr(cause, "entry 2"));
	free(cause);
	cause = NULL;
	visit_free(r);
	audit_chain_free(&got);
	free(changed);
	changed = xstrdup(line);
	p = strstr(changed, "\"event\":\"visit started\"");
	memcpy(p, "\"event\":\"visit Started\"", 23);
	r = batch_json_visit_parse(
	    changed, strlen(changed), 2, form_of_fx, fx, &got, &cause);
	assert_non_null(r);
	assert_false(got.sound);
	assert_int_equal(audit_verify(&got, got.v[1].hash, 2, &cause), -1);
	free(cause);
	visit_free(r);
	audit_chain_free(&got);
	free(changed);

	free(line);
	audit_chain_free(&c);
	visit_free(v);
}

static void
test_visit_json_reparse(void **state)
{
	struct fixture *fx = *state;
	struct visit *v = full_visit(fx);
	json_t *o;
	char *text, *answers, *cause = NULL;
	size_t i;

	/* the answers written are answers batch_json_answers reads back */
	text = batch_json_visit(v, NULL, NULL, NULL, 0);
	o = load_json(text);
	free(text);
	answers = json_dumps(json_object_get(o, "answers"), 0);
	json_decref(o);
	assert_int_equal(parse(fx, answers, &cause), 0);
	free(answers);
	for (i = 0; i < fx->form->nquestions; i++) {
		if (visit_value(v, i) != NULL)
			assert_true(value_equal(&fx->v[i], visit_value(v, i)));
		else
			assert_int_equal(fx->v[i].kind, VALUE_NONE);
	}
	visit_free(v);
}

static void
test_row(void **state)
{
	struct store_visit_row r;
	json_t *o;
	char *text;

	(void)state;
	memset(&r, 0, sizeof r);
	r.id = "abcdefghjkmn";
	r.status = VISIT_FINAL;
	r.form_id = "j";
	r.form_version = 4;
	r.form_title = "檢查表";
	r.unit_name = "第一中心";
	r.division = NULL;
	r.person = "p";
	r.started = T0;
	r.finalized = 0;
	r.answered = 7;
	r.visible = 9;
	r.alerts = 1;
	text = batch_json_row(&r);
	/* one line */
	assert_null(strchr(text, '\n'));
	o = load_json(text);
	free(text);
	assert_string_equal(
	    json_string_value(json_object_get(o, "id")), "abcdefghjkmn");
	assert_string_equal(
	    json_string_value(json_object_get(o, "status")), "final");
	assert_int_equal(json_integer_value(json_object_get(o, "version")), 4);
	assert_string_equal(
	    json_string_value(json_object_get(o, "unit")), "第一中心");
	assert_true(json_is_null(json_object_get(o, "division")));
	assert_true(json_is_null(json_object_get(o, "finalized")));
	assert_int_equal(json_integer_value(json_object_get(o, "answered")), 7);
	assert_int_equal(json_integer_value(json_object_get(o, "visible")), 9);
	assert_int_equal(json_integer_value(json_object_get(o, "alerts")), 1);
	json_decref(o);
}

/* An alert's handling (anfang alerts close / reopen) in show --json. */
static void
test_visit_json_handled(void **state)
{
	struct fixture *fx = *state;
	struct visit *v = full_visit(fx);
	struct store_alert_row h[2];
	json_t *o, *e;
	char *text;
	int i;

	memset(h, 0, sizeof h);
	/* another question's row is not this alert's */
	h[0].question = "wait";
	h[0].closed = 1;
	h[0].note = "wrong";
	h[0].by = "0000000000000000";
	h[0].at = 1;
	h[1].question = "favours";
	h[1].closed = 1;
	h[1].note = "單位已整改 & \"done\"";
	h[1].by = "ACF37BF6D6EC91D4";
	h[1].at = 1796440000123;
	for (i = 0; i < 2; i++) {
		text = batch_json_visit(v, NULL, NULL, h, 2);
		o = load_json(text);
		free(text);
		e = json_array_get(json_object_get(o, "alerts"), 0);
		assert_string_equal(
		    json_string_value(json_object_get(e, "question")),
		    "favours");
		assert_string_equal(
		    json_string_value(json_object_get(e, "state")),
		    i == 0 ? "closed" : "open");
		assert_string_equal(
		    json_string_value(json_object_get(e, "note")),
		    i == 0 ? "單位已整改 & \"done\"" : "not fixed");
		assert_string_equal(
		    json_string_value(json_object_get(e, "handled_by")),
		    "ACF37BF6D6EC91D4");
		assert_string_equal(
		    json_string_value(json_object_get(e, "handled_at")),
		    "2026-12-05T03:06:40.123Z");
		json_decref(o);
		/* reopened: open again, with who reopened it and why */
		h[1].closed = 0;
		h[1].note = "not fixed";
	}
	visit_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers_every_type),
		cmocka_unit_test(test_answers_null),
		cmocka_unit_test(test_answers_unknown_id),
		cmocka_unit_test(test_answers_wrong_type),
		cmocka_unit_test(test_answers_not_object),
		cmocka_unit_test(test_answers_malformed),
		cmocka_unit_test(test_answers_duplicate),
		cmocka_unit_test(test_answer_text_fallback),
		cmocka_unit_test(test_answer_json),
		cmocka_unit_test(test_visit_json),
		cmocka_unit_test(test_visit_json_audit),
		cmocka_unit_test(test_visit_json_handled),
		cmocka_unit_test(test_visit_json_draft),
		cmocka_unit_test(test_visit_json_reparse),
		cmocka_unit_test(test_visit_line_format2),
		cmocka_unit_test(test_visit_line_direct),
		cmocka_unit_test(test_row),
	};

	return cmocka_run_group_tests(tests, json_setup, json_teardown);
}
