/*
 * form-load (with form-check): every type and option into the model, every
 * validation error at its exact line and column, malformed YAML, sites
 * files and size limits.
 */
#include "unit.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <unistd.h>

#include "anfang/form-check.h"
#include "anfang/form-expr.h"
#include "anfang/xmalloc.h"

/* Eight lines, so that the first question is on line 9. */
#define HEAD                                                                   \
	"form: t\n"                                                            \
	"version: 1\n"                                                         \
	"title: T\n"                                                           \
	"language: en\n"                                                       \
	"units: [u]\n"                                                         \
	"sections:\n"                                                          \
	"  - title: S\n"                                                       \
	"    questions:\n"

static const char full_form[] =
    "# every type and key\n"
    "form: service-window\n"
    "version: 3\n"
    "title: 政務服務窗口暗訪檢查表\n"
    "language: zh-Hant\n"
    "description: 測試\n"
    "units:\n"
    "  - 中心一\n"
    "  - {id: c2, name: 中心二}\n"
    "visit:\n"
    "  division: required\n"
    "  person: optional\n"
    "sections:\n"
    "  - title: 到達與等候\n"
    "    questions:\n"
    "      - id: staff_present\n"
    "        type: yesno\n"
    "        label: 窗口人員是否在崗？\n"
    "        hint: 看窗口\n"
    "        required: true\n"
    "        default: yes\n"
    "        score: {yes: 2, no: 0}\n"
    "      - id: wait\n"
    "        type: timer\n"
    "        label: 等候時間\n"
    "        warn_if: . > 1800\n"
    "        warn_message: 等候超過 30 分鐘\n"
    "      - id: people\n"
    "        type: count\n"
    "        label: 排隊人數\n"
    "        max: 500\n"
    "      - id: guide\n"
    "        type: note\n"
    "        label: 保持匿名\n"
    "        show_if: staff_present == yes\n"
    "  - title: 辦理\n"
    "    questions:\n"
    "      - id: reason\n"
    "        type: choice\n"
    "        label: 原因\n"
    "        required: true\n"
    "        show_if: staff_present == no\n"
    "        default: referred\n"
    "        choices:\n"
    "          - {value: missing_docs, label: 材料不全}\n"
    "          - {value: referred, label: 被推到其他部門}\n"
    "        score: {missing_docs: -1, referred: -2}\n"
    "      - id: fee\n"
    "        type: number\n"
    "        label: 索要金額\n"
    "        unit: 元\n"
    "        min: 0\n"
    "        max: 1000000\n"
    "        decimals: 2\n"
    "        default: 0.5\n"
    "        constraint: . > 0\n"
    "        constraint_message: 金額必須大於 0\n"
    "        alert_if: . >= 100\n"
    "        severity: high\n"
    "        alert_message: 疑似吃拿卡要\n"
    "      - id: attitude\n"
    "        type: scale\n"
    "        label: 服務態度\n"
    "        min: 1\n"
    "        max: 5\n"
    "        labels: [很差, 差, 一般, 好, 很好]\n"
    "        score: {1: 0, 2: 1, 3: 2, 4: 3, 5: 4}\n"
    "      - id: posted\n"
    "        type: multi\n"
    "        label: 公開了哪些信息？\n"
    "        choices: [辦事依據, 收費標準]\n"
    "        default: [收費標準]\n"
    "        score: {辦事依據: 1, 收費標準: 2}\n"
    "      - id: notes\n"
    "        type: text\n"
    "        lines: 4\n"
    "        max_length: 500\n"
    "        label: 備註\n"
    "      - {id: day, type: date, label: 日期, default: 2026-11-26}\n"
    "      - {id: at, type: time, label: 時間, default: '09:30'}\n";

static const struct form_question *
question(const struct form *f, const char *id)
{
	long i = form_find(f, id);

	assert_true(i >= 0);
	return &f->questions[i];
}

static void
test_every_type_and_key(void **state)
{
	struct diag_list diags = { 0 };
	const struct form_question *q;
	struct form *f;
	char hash[CRYPT_HASH_HEX];

	(void)state;
	f = unit_form(full_form, &diags);
	if (f == NULL)
		unit_dump(&diags);
	assert_non_null(f);
	assert_string_equal(f->id, "service-window");
	assert_int_equal(f->version, 3);
	assert_string_equal(f->title, "政務服務窗口暗訪檢查表");
	assert_string_equal(f->language, "zh-Hant");
	assert_string_equal(f->description, "測試");
	assert_int_equal(f->division, FORM_FIELD_REQUIRED);
	assert_int_equal(f->person, FORM_FIELD_OPTIONAL);
	assert_int_equal(f->nunits, 2);
	assert_string_equal(f->units[0].id, "中心一");
	assert_string_equal(f->units[0].name, "中心一");
	assert_string_equal(f->units[1].id, "c2");
	assert_string_equal(f->units[1].name, "中心二");
	assert_int_equal(f->nsections, 2);
	assert_string_equal(f->sections[1].title, "辦理");
	assert_int_equal(f->sections[0].first, 0);
	assert_int_equal(f->sections[0].count, 4);
	assert_int_equal(f->sections[1].first, 4);
	assert_int_equal(f->sections[1].count, 7);
	assert_int_equal(f->nquestions, 11);

	q = question(f, "staff_present");
	assert_int_equal(q->type, FORM_YESNO);
	assert_string_equal(q->label, "窗口人員是否在崗？");
	assert_string_equal(q->hint, "看窗口");
	assert_true(q->required);
	assert_int_equal(q->dflt.kind, VALUE_BOOL);
	assert_true(q->dflt.b);
	assert_int_equal(q->nscores, 2);
	assert_int_equal(q->pos.line, 16);
	assert_int_equal(q->pos.col, 9);

	q = question(f, "wait");
	assert_int_equal(q->type, FORM_TIMER);
	assert_false(q->required);
	assert_non_null(q->warn_if);
	assert_string_equal(form_expr_text(q->warn_if), ". > 1800");
	assert_string_equal(q->warn_message, "等候超過 30 分鐘");

	q = question(f, "people");
	assert_int_equal(q->type, FORM_COUNT);
	assert_true(q->has_min && q->min == 0);
	assert_true(q->has_max && q->max == 500);

	q = question(f, "guide");
	assert_int_equal(q->type, FORM_NOTE);
	assert_non_null(q->show_if);

	q = question(f, "reason");
	assert_int_equal(q->type, FORM_CHOICE);
	assert_int_equal(q->nchoices, 2);
	assert_string_equal(q->choices[1].value, "referred");
	assert_string_equal(q->choices[1].label, "被推到其他部門");
	assert_string_equal(q->dflt.s, "referred");
	assert_int_equal(q->section, 1);

	q = question(f, "fee");
	assert_int_equal(q->type, FORM_NUMBER);
	assert_string_equal(q->unit, "元");
	assert_true(q->has_min && q->min == 0);
	assert_true(q->has_max && q->max == 1000000);
	assert_int_equal(q->decimals, 2);
	assert_true(q->dflt.kind == VALUE_NUMBER && q->dflt.n == 0.5);
	assert_string_equal(q->constraint_message, "金額必須大於 0");
	assert_int_equal(q->severity, FORM_SEVERITY_HIGH);
	assert_string_equal(q->alert_message, "疑似吃拿卡要");
	assert_non_null(q->alert_if);

	q = question(f, "attitude");
	assert_int_equal(q->type, FORM_SCALE);
	assert_true(q->min == 1 && q->max == 5);
	assert_int_equal(q->nlabels, 5);
	assert_string_equal(q->labels[4], "很好");
	assert_int_equal(q->nscores, 5);

	q = question(f, "posted");
	assert_int_equal(q->type, FORM_MULTI);
	assert_string_equal(q->choices[0].value, "辦事依據");
	assert_string_equal(q->choices[0].label, "辦事依據");
	assert_int_equal(q->dflt.kind, VALUE_SET);
	assert_int_equal(q->dflt.nset, 1);

	q = question(f, "notes");
	assert_int_equal(q->type, FORM_TEXT);
	assert_int_equal(q->lines, 4);
	assert_int_equal(q->max_length, 500);

	q = question(f, "day");
	assert_int_equal(q->type, FORM_DATE);
	assert_string_equal(q->dflt.s, "2026-11-26");
	q = question(f, "at");
	assert_int_equal(q->type, FORM_TIME);
	assert_string_equal(q->dflt.s, "09:30");

	/* the hash is over the exact bytes, and the text is kept */
	assert_int_equal(f->textlen, strlen(full_form));
	assert_memory_equal(f->text, full_form, f->textlen);
	crypt_hash_hex(hash, full_form, strlen(full_form));
	assert_string_equal(f->hash, hash);
	assert_int_equal(strlen(f->hash), 64);
	form_free(f);
}

static void
test_defaults_when_absent(void **state)
{
	struct diag_list diags = { 0 };
	const struct form_question *q;
	struct form *f;

	(void)state;
	f = unit_form(HEAD "      - {id: s, type: scale, label: L}\n"
	                   "      - {id: t, type: text, label: L}\n"
	                   "      - {id: a, type: yesno, label: L, alert_if: ."
	                   " == yes, alert_message: M}\n",
	    &diags);
	assert_non_null(f);
	q = question(f, "s");
	assert_true(q->min == 1 && q->max == 5);
	q = question(f, "t");
	assert_int_equal(q->lines, 1);
	assert_int_equal(q->max_length, 2000);
	q = question(f, "a");
	assert_int_equal(q->severity, FORM_SEVERITY_MEDIUM);
	assert_int_equal(q->dflt.kind, VALUE_NONE);
	assert_int_equal(f->division, FORM_FIELD_ABSENT);
	assert_int_equal(f->person, FORM_FIELD_ABSENT);
	form_free(f);
}

/* Targets into the model; a family's name. */
static void
test_targets(void **state)
{
	struct diag_list diags = { 0 };
	const struct form_question *q;
	struct form *f;

	(void)state;
	f = unit_form(HEAD
	    "      - {id: a, type: yesno, label: L,\n"
	    "         target: {figure: share, of: \"yes\", at_least: 70%}}\n"
	    "      - {id: w, type: timer, label: L,\n"
	    "         target: {figure: median, at_most: 900}}\n"
	    "      - {id: m, type: multi, label: L, choices: [x, y],\n"
	    "         target: {figure: share, of: y, at_most: 12.5%}}\n"
	    "      - {id: s, type: scale, label: L,\n"
	    "         target: {figure: mean, at_least: 3.5}}\n"
	    "      - {id: n, type: number, label: L,\n"
	    "         target: {figure: p90, at_most: -3}}\n"
	    "      - {id: c, type: count, label: L}\n"
	    "family: tee\n",
	    &diags);
	assert_non_null(f);
	assert_string_equal(f->family, "tee");
	q = question(f, "a");
	assert_int_equal(q->target.figure, FORM_FIGURE_SHARE);
	assert_string_equal(q->target.of, "yes");
	assert_false(q->target.at_most);
	assert_true(q->target.bound == 70);
	assert_int_equal(q->target.pos.line, 10);
	assert_int_equal(q->target.pos.col, 18);
	assert_true(form_target_met(q, 70));
	assert_false(form_target_met(q, 69.9));
	q = question(f, "w");
	assert_int_equal(q->target.figure, FORM_FIGURE_MEDIAN);
	assert_null(q->target.of);
	assert_true(q->target.at_most);
	assert_true(q->target.bound == 900);
	assert_true(form_target_met(q, 900));
	assert_false(form_target_met(q, 901));
	q = question(f, "m");
	assert_int_equal(q->target.figure, FORM_FIGURE_SHARE);
	assert_string_equal(q->target.of, "y");
	assert_true(q->target.bound == 12.5);
	q = question(f, "s");
	assert_int_equal(q->target.figure, FORM_FIGURE_MEAN);
	assert_true(q->target.bound == 3.5);
	q = question(f, "n");
	assert_int_equal(q->target.figure, FORM_FIGURE_P90);
	assert_true(q->target.bound == -3);
	q = question(f, "c");
	assert_int_equal(q->target.figure, FORM_FIGURE_NONE);
	assert_true(form_target_met(q, 1e9));
	assert_string_equal(form_figure_name(FORM_FIGURE_P90), "p90");
	form_free(f);
	/* no family: NULL */
	f = unit_form(HEAD "      - {id: a, type: yesno, label: L}\n", &diags);
	assert_non_null(f);
	assert_null(f->family);
	form_free(f);
}

/* How yes/no answers read: the form's own labels, else by its language. */
static void
test_yesno_labels(void **state)
{
	static const struct {
		const char *language;
		const char *yes;
		const char *no;
	} by_language[] = {
		{ "zh-Hans", "是", "否" }, { "zh-Hant", "是", "否" },
		{ "zh", "是", "否" }, { "ZH_cn", "是", "否" },
		{ "en", "yes", "no" }, { "en-GB", "yes", "no" },
		{ "de", "yes", "no" },  /* no words of its own: yes/no */
		{ "zhx", "yes", "no" }, /* a whole subtag, not a prefix */
	};
	struct diag_list diags = { 0 };
	struct form *f;
	char *yaml;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof by_language / sizeof *by_language; i++) {
		yaml = xasprintf("form: t\nversion: 1\ntitle: T\n"
		                 "language: %s\nunits: [u]\nsections:\n"
		                 "  - title: S\n    questions:\n"
		                 "      - {id: a, type: yesno, label: L}\n",
		    by_language[i].language);
		f = unit_form(yaml, &diags);
		free(yaml);
		assert_non_null(f);
		assert_null(f->yes_label);
		assert_null(f->no_label);
		assert_string_equal(form_yesno_label(f, 1), by_language[i].yes);
		assert_string_equal(form_yesno_label(f, 0), by_language[i].no);
		form_free(f);
	}
	/* given: they win over the language's words, on an English form too */
	f = unit_form(HEAD "      - {id: a, type: yesno, label: L}\n"
	                   "yes: 在崗\nno: 不在崗\n",
	    &diags);
	assert_non_null(f);
	assert_string_equal(f->yes_label, "在崗");
	assert_string_equal(f->no_label, "不在崗");
	assert_string_equal(form_yesno_label(f, 1), "在崗");
	assert_string_equal(form_yesno_label(f, 0), "不在崗");
	/* the answers themselves stay yes/no: scores and checks read them */
	form_free(f);
	f = unit_form(HEAD "      - {id: a, type: yesno, label: L,\n"
	                   "         score: {yes: 2, no: 0}}\n"
	                   "      - {id: b, type: yesno, label: L,\n"
	                   "         show_if: a == no}\n"
	                   "yes: Ja\nno: Nein\n",
	    &diags);
	assert_non_null(f);
	assert_string_equal(form_yesno_label(f, 0), "Nein");
	assert_true(f->questions[0].nscores == 2);
	form_free(f);
	assert_int_equal(diags.n, 0);
}

/*
 * Twins agree on ids, types, choice values, targets, scores and checks, in
 * order; the first difference is reported where it is in the second.
 */
static void
test_family(void **state)
{
	static const char *const twins[][4] = {
		{ "same",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a == yes}\n",
		    "", "" },
		{ "another id",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: d, type: choice, label: L, choices: [x, "
		    "y]}\n",
		    "12:9", "question 2 is \"d\" here, \"c\" in " },
		{ "another type",
		    "      - {id: a, type: count, label: L}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a > 1}\n",
		    "9:9", "a is a count question here, a yesno in " },
		{ "another choice value",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "z]}\n",
		    "12:9", "c's choices are x, z here, x, y in " },
		{ "a choice more",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, y, "
		    "z]}\n",
		    "12:9", "c's choices are x, y, z here, x, y in " },
		{ "a target",
		    "      - {id: a, type: yesno, label: L, target: {figure: "
		    "share, of: yes, at_least: 5%}}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a == yes}\n",
		    "9:48", "a's target is not the one in " },
		{ "a question more",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, y],\n"
		    "         show_if: a == yes}\n"
		    "      - {id: e, type: yesno, label: L}\n",
		    "14:9", "3 questions here, 2 in " },
		{ "another score",
		    "      - {id: a, type: yesno, label: L, score: {no: 0, "
		    "yes: 3},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a == yes}\n",
		    "9:9", "a's score is not the one in " },
		{ "the same score in another order, another message",
		    "      - {id: a, type: yesno, label: L, score: {no: 0, "
		    "yes: 2},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: N}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a == yes}\n",
		    "", "" },
		{ "another show_if",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a == no}\n",
		    "12:9", "c's show_if is not the one in " },
		{ "no show_if",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y]}\n",
		    "12:9", "c's show_if is not the one in " },
		{ "another alert_if",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == yes, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a == yes}\n",
		    "9:9", "a's alert_if is not the one in " },
		{ "another severity",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: low,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a == yes}\n",
		    "9:9", "a's severity is not the one in " },
		{ "required here only",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a == yes, required: true}\n",
		    "12:9", "c's required is not the one in " },
		{ "blanks laid out otherwise",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a ==\n            yes}\n",
		    "", "" },
		{ "blanks left out",
		    "      - {id: a, type: yesno, label: L, score: {yes: 2, "
		    "no: 0},\n"
		    "         alert_if: . == no, severity: high,\n"
		    "         alert_message: M}\n"
		    "      - {id: c, type: choice, label: L, choices: [x, "
		    "y], show_if: a==yes}\n",
		    "12:9", "c's show_if is not the one in " },
	};
	struct diag_list diags = { 0 };
	struct form *first, *f;
	char where[32];
	size_t i;

	(void)state;
	first = unit_form(HEAD "      - {id: a, type: yesno, label: L, score: "
	                       "{yes: 2, no: 0},\n"
	                       "         alert_if: . == no, severity: high,\n"
	                       "         alert_message: M}\n"
	                       "      - {id: c, type: choice, label: L, "
	                       "choices: [x, y], show_if: a  ==  yes}\n"
	                       "family: tee\n",
	    &diags);
	assert_non_null(first);
	for (i = 0; i < sizeof twins / sizeof twins[0]; i++) {
		char *yaml = xasprintf(HEAD "%sfamily: tee\n", twins[i][1]);

		f = unit_form(yaml, &diags);
		free(yaml);
		if (f == NULL)
			fail_msg("%s: does not load", twins[i][0]);
		if (*twins[i][2] == '\0') {
			assert_int_equal(
			    form_check_family(first, f, "u.yaml", &diags), 0);
			assert_int_equal(diags.n, 0);
		} else {
			assert_int_equal(
			    form_check_family(first, f, "u.yaml", &diags), -1);
			assert_int_equal(diags.n, 1);
			snprintf(where, sizeof where, "%d:%d", diags.v[0].line,
			    diags.v[0].col);
			if (strcmp(where, twins[i][2]) != 0 ||
			    strstr(diags.v[0].msg, twins[i][3]) == NULL ||
			    strncmp(diags.v[0].msg, "family tee: ", 12) != 0)
				fail_msg("%s: got %s %s", twins[i][0], where,
				    diags.v[0].msg);
			assert_string_equal(diags.v[0].file, "u.yaml");
		}
		diag_clear(&diags);
		form_free(f);
	}
	form_free(first);
}

/* One bad form, one expected diagnostic at an exact place. */
struct bad {
	const char *name;
	const char *yaml;
	int line;
	int col;
	const char *msg;
};

static const struct bad bad_forms[] = {
	{ "unknown top-level key",
	    HEAD "      - {id: a, type: yesno, label: "
	         "L}\ncolour: red\n",
	    10, 1, "unknown key \"colour\" in a form" },
	{ "unknown question key",
	    HEAD "      - id: a\n        type: yesno\n        lable: L\n", 11,
	    9, "unknown key \"lable\" in a question" },
	{ "key of another type",
	    HEAD "      - {id: a, type: yesno, label: L, min: 3}\n", 9, 40,
	    "\"min\" does not apply to a yesno question" },
	{ "unknown type", HEAD "      - {id: a, type: yesnoo, label: L}\n", 9,
	    23, "unknown type \"yesnoo\"" },
	{ "duplicate id",
	    HEAD "      - {id: a, type: yesno, label: L}\n"
	         "      - {id: a, type: count, label: L}\n",
	    10, 14, "duplicate question id \"a\" (first at line 9)" },
	{ "unknown question in show_if",
	    HEAD "      - {id: a, type: yesno, label: L, show_if: b == yes}\n",
	    9, 49, "unknown question \"b\"" },
	{ "unknown question in constraint",
	    HEAD "      - id: a\n        type: number\n        label: L\n"
	         "        constraint: . > limit\n"
	         "        constraint_message: M\n",
	    12, 25, "unknown question \"limit\"" },
	{ "self cycle through show_if",
	    HEAD "      - {id: a, type: yesno, label: L, show_if: a == yes}\n",
	    9, 9, "show_if cycle: a -> a" },
	{ "longer cycle",
	    HEAD "      - {id: a, type: yesno, label: L, show_if: c == yes}\n"
	         "      - {id: b, type: yesno, label: L, show_if: a == yes}\n"
	         "      - {id: c, type: yesno, label: L, show_if: b == yes}\n",
	    9, 9, "show_if cycle: a -> c -> b -> a" },
	{ "type mismatch string > number",
	    HEAD "      - id: a\n        type: number\n        label: L\n"
	         "        warn_if: '\"abc\" > 3'\n        warn_message: M\n",
	    12, 19, "type mismatch: cannot compare a string with a number" },
	{ "type mismatch question and literal",
	    HEAD "      - {id: a, type: yesno, label: L}\n"
	         "      - {id: b, type: count, label: L, show_if: a > 3}\n",
	    10, 49, "type mismatch: cannot compare a yes/no answer" },
	{ "choice that does not exist",
	    HEAD
	    "      - {id: a, type: choice, label: L, choices: [x, y]}\n"
	    "      - {id: b, type: count, label: L, show_if: a == \"z\"}\n",
	    10, 54, "\"z\" is not a choice of \"a\"" },
	{ "default that is not a choice",
	    HEAD "      - {id: a, type: choice, label: L, choices: [x, y], "
	         "default: z}\n",
	    9, 67, "default: \"z\" is not a choice" },
	{ "score of a choice that does not exist",
	    HEAD "      - id: a\n        type: multi\n        label: L\n"
	         "        choices: [x, y]\n        score: {x: 1, w: 2}\n",
	    13, 23, "score: \"w\" is not a choice" },
	{ "min greater than max",
	    HEAD "      - {id: a, type: number, label: L, min: 10, max: 5}\n",
	    9, 55, "min (10) is greater than max (5)" },
	{ "scale min not below max",
	    HEAD "      - {id: a, type: scale, label: L, min: 5, max: 3}\n", 9,
	    53, "a scale's min (5) must be below its max (3)" },
	{ "scale labels count",
	    HEAD "      - {id: a, type: scale, label: L, labels: [a, b]}\n", 9,
	    48, "needs 5 labels, not 2" },
	{ "no sections",
	    "form: t\nversion: 1\ntitle: T\nlanguage: en\n"
	    "units: [u]\nsections: []\n",
	    6, 11, "\"sections\" is an empty list" },
	{ "no questions", HEAD "      []\n", 9, 7,
	    "\"questions\" is an empty list" },
	{ "only notes", HEAD "      - {id: a, type: note, label: L}\n", 1, 1,
	    "only notes" },
	{ "missing key",
	    "form: t\nversion: 1\ntitle: T\nunits: [u]\n"
	    "sections: [{title: s, questions: [{id: a, "
	    "type: yesno, label: L}]}]\n",
	    1, 1, "missing key \"language\"" },
	{ "empty file", "", 1, 1, "empty file" },
	{ "comments only", "# nothing\n", 1, 1, "empty file" },
	{ "not a mapping", "- a\n- b\n", 1, 1, "a form must be a mapping" },
	{ "a sites file", "units: [a, b]\n", 1, 1, "this is a sites file" },
	{ "bad form id", "form: Bad_Id\nversion: 1\n", 1, 7,
	    "invalid form id \"Bad_Id\"" },
	{ "bad version", "form: t\nversion: two\n", 2, 10,
	    "\"version\" must be a whole number" },
	{ "bad question id", HEAD "      - {id: 2a, type: yesno, label: L}\n",
	    9, 14, "invalid question id \"2a\"" },
	{ "reserved id", HEAD "      - {id: answered, type: yesno, label: L}\n",
	    9, 14, "\"answered\" is a reserved word" },
	{ "missing label", HEAD "      - {id: a, type: yesno}\n", 9, 9,
	    "a question needs a \"label\"" },
	{ "choice without choices",
	    HEAD "      - {id: a, type: choice, label: "
	         "L}\n",
	    9, 9, "a choice question needs \"choices\"" },
	{ "duplicate choice",
	    HEAD "      - {id: a, type: choice, label: L, choices: [x, x]}\n",
	    9, 54, "duplicate choice \"x\"" },
	{ "duplicate key",
	    HEAD "      - {id: a, type: yesno, label: L, label: M}\n", 9, 40,
	    "duplicate key \"label\"" },
	{ "expression without message",
	    HEAD "      - {id: a, type: yesno, label: L, warn_if: . == yes}\n",
	    9, 49, "\"warn_if\" needs a \"warn_message\"" },
	{ "message without expression",
	    HEAD "      - {id: a, type: yesno, label: L, alert_message: M}\n",
	    9, 55, "\"alert_message\" without \"alert_if\"" },
	{ "bad severity",
	    HEAD "      - {id: a, type: yesno, label: L, alert_if: . == yes,\n"
	         "         alert_message: M, severity: urgent}\n",
	    10, 38, "severity must be low, medium or high" },
	{ "syntax error in expression",
	    HEAD "      - {id: a, type: yesno, label: L, show_if: a = yes}\n",
	    9, 51, "show_if: \"=\" must be \"==\"" },
	{ "dot in show_if",
	    HEAD "      - {id: a, type: yesno, label: L, show_if: . == yes}\n",
	    9, 49, "\".\" cannot be used in show_if" },
	{ "reference to a note",
	    HEAD
	    "      - {id: a, type: note, label: L}\n"
	    "      - {id: b, type: yesno, label: L, show_if: answered(a)}\n",
	    10, 58, "\"a\" is a note" },
	{ "bad required",
	    HEAD "      - {id: a, type: yesno, label: L, "
	         "required: maybe}\n",
	    9, 50, "\"required\" must be true or false" },
	{ "bad default date",
	    HEAD "      - {id: a, type: date, label: L, default: 26/11/2026}\n",
	    9, 48, "default must be a date" },
	{ "default not on the calendar",
	    HEAD "      - {id: a, type: date, label: L, default: 2026-02-29}\n",
	    9, 48, "default must be a date" },
	{ "in . on a question that is not multi",
	    HEAD
	    "      - {id: a, type: text, label: L, constraint: '\"x\" in .',"
	    " constraint_message: M}\n",
	    9, 59, "\"in\" needs a list [...] or a multi question" },
	{ "default beyond max",
	    HEAD
	    "      - {id: a, type: number, label: L, max: 5, default: 9}\n",
	    9, 58, "default 9 is above the maximum, 5" },
	{ "decimals out of range",
	    HEAD "      - {id: a, type: number, label: L, decimals: 9}\n", 9,
	    51, "\"decimals\" must be a whole number from 0 to 6" },
	{ "bad visit field", "form: t\nvisit: {division: maybe}\n", 2, 19,
	    "\"division\" must be required or optional" },
	{ "empty unit list", "form: t\nunits: []\n", 2, 8,
	    "\"units\" is an empty list" },
	{ "unit without name", "form: t\nunits: [{id: a}]\n", 2, 9,
	    "a unit needs both \"id\" and \"name\"" },
	{ "absolute sites file", "form: t\nunits: /etc/sites.yaml\n", 2, 8,
	    "the sites file must be named relative to the form's directory" },
	{ "alias", "form: &x t\nversion: *x\n", 2, 10,
	    "YAML aliases (*name) are not supported" },
	{ "tab indentation", "form: t\nsections:\n\t- title: S\n", 3, 1,
	    "tab character: YAML indents with spaces only" },
	{ "unclosed quote", "form: t\ntitle: \"abc\nversion: 1\n", 4, 1,
	    "YAML: found unexpected end of stream while scanning a quoted "
	    "scalar (line 2)" },
	{ "bad indentation", "form: t\n  title: x\n", 2, 8,
	    "YAML: mapping values are not allowed in this context" },
	{ "two documents", "form: t\n---\nform: u\n", 2, 1,
	    "only one YAML document is allowed" },
	{ "invalid UTF-8", "form: t\ntitle: caf\xc3\n", 2, 11,
	    "invalid UTF-8" },
	{ "overlong UTF-8", "form: t\ntitle: \xc0\xaf\n", 2, 8,
	    "invalid UTF-8" },
	{ "target: of an answer a yes/no question has not",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "share, of: maybe, at_least: 70%}}\n",
	    9, 68,
	    "of: a yes/no question's answers are \"yes\" and \"no\", not "
	    "\"maybe\"" },
	{ "target: median of a yes/no",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "median, at_most: 3}}\n",
	    9, 57,
	    "a yesno question's target is a share of one answer, not a "
	    "median" },
	{ "target: share of a count",
	    HEAD "      - {id: a, type: count, label: L, target: {figure: "
	         "share, of: yes, at_least: 70%}}\n",
	    9, 57,
	    "a count question's target is a median, p90 or mean, not a share" },
	{ "target: on a text question",
	    HEAD "      - {id: a, type: text, label: L, target: {figure: "
	         "share, of: x, at_least: 70%}}\n",
	    9, 39, "\"target\" does not apply to a text question" },
	{ "target: unknown figure",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "rate, of: yes, at_least: 70%}}\n",
	    9, 57, "figure must be share, median, p90 or mean, not \"rate\"" },
	{ "target: no figure",
	    HEAD "      - {id: a, type: yesno, label: L, target: {of: yes, "
	         "at_least: 70%}}\n",
	    9, 48, "a target needs a \"figure\"" },
	{ "target: no bound",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "share, of: yes}}\n",
	    9, 48, "a target needs one bound: \"at_least\" or \"at_most\"" },
	{ "target: two bounds",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "share, of: yes, at_least: 70%, at_most: 80%}}\n",
	    9, 97, "a target needs one bound" },
	{ "target: share without of",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "share, at_least: 70%}}\n",
	    9, 48, "a share needs \"of\"" },
	{ "target: of with a median",
	    HEAD "      - {id: a, type: timer, label: L, target: {figure: "
	         "median, of: yes, at_most: 900}}\n",
	    9, 69, "\"of\" is for a share only" },
	{ "target: share without %",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "share, of: yes, at_least: 70}}\n",
	    9, 83,
	    "a share is a percentage from 0% to 100%, like 70%, not \"70\"" },
	{ "target: share above 100%",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "share, of: yes, at_least: 170%}}\n",
	    9, 83, "not \"170%\"" },
	{ "target: always met",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "share, of: yes, at_most: 100%}}\n",
	    9, 82, "\"at_most: 100%\" is always met: no target" },
	{ "target: beyond a scale",
	    HEAD "      - {id: a, type: scale, label: L, target: {figure: "
	         "mean, at_least: 6}}\n",
	    9, 73, "the bound 6 is outside the answers the question takes" },
	{ "target: a negative time",
	    HEAD "      - {id: a, type: timer, label: L, target: {figure: p90, "
	         "at_most: -5}}\n",
	    9, 71, "the bound -5 is outside the answers the question takes" },
	{ "target: bound not a number",
	    HEAD "      - {id: a, type: timer, label: L, target: {figure: p90, "
	         "at_most: soon}}\n",
	    9, 71, "\"at_most\" must be a number, not \"soon\"" },
	{ "target: of a choice that does not exist",
	    HEAD "      - {id: a, type: choice, label: L, choices: [x, y], "
	         "target: {figure: share, of: z, at_least: 10%}}\n",
	    9, 86, "of: \"z\" is not a choice" },
	{ "target: unknown key",
	    HEAD "      - {id: a, type: yesno, label: L, target: {figure: "
	         "share, of: yes, at_least: 70%, colour: red}}\n",
	    9, 88, "unknown key \"colour\" in target" },
	{ "target: not a mapping",
	    HEAD "      - {id: a, type: yesno, label: L, target: yes}\n", 9, 48,
	    "target must be a mapping, not a value" },
	{ "bad family", "form: t\nfamily: Bad_F\n", 2, 9,
	    "invalid family \"Bad_F\"" },
	{ "yes label without no",
	    HEAD "      - {id: a, type: yesno, label: L}\nyes: 在崗\n", 10, 6,
	    "\"yes\" needs \"no\" too" },
	{ "no label without yes",
	    HEAD "      - {id: a, type: yesno, label: L}\nno: 否\n", 10, 5,
	    "\"no\" needs \"yes\" too" },
	{ "yes and no labels alike",
	    HEAD "      - {id: a, type: yesno, label: L}\nyes: 是\nno: 是\n",
	    11, 5, "\"yes\" and \"no\" read the same (\"是\")" },
	{ "a yes label of two lines",
	    HEAD "      - {id: a, type: yesno, label: L}\n"
	         "yes: \"是\\n的\"\nno: 否\n",
	    10, 6, "\"yes\" must be one line, without control characters" },
	{ "a no label with a tab",
	    HEAD "      - {id: a, type: yesno, label: L}\n"
	         "yes: 是\nno: \"不\\t是\"\n",
	    11, 5, "\"no\" must be one line, without control characters" },
	{ "an empty yes label",
	    HEAD "      - {id: a, type: yesno, label: L}\nyes: ''\nno: n\n", 10,
	    6, "\"yes\" is empty" },
	{ "a yes label that is a list",
	    HEAD "      - {id: a, type: yesno, label: L}\nyes: [y]\nno: n\n",
	    10, 6, "\"yes\" must be" },
};

static void
test_bad_forms(void **state)
{
	struct diag_list diags = { 0 };
	struct form *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad_forms / sizeof bad_forms[0]; i++) {
		f = unit_form(bad_forms[i].yaml, &diags);
		if (f != NULL)
			fail_msg("%s: loaded", bad_forms[i].name);
		if (!unit_has_diag(&diags, bad_forms[i].line, bad_forms[i].col,
		        bad_forms[i].msg))
			fail_msg("%s: no \"%s\" at %d:%d", bad_forms[i].name,
			    bad_forms[i].msg, bad_forms[i].line,
			    bad_forms[i].col);
		for (size_t k = 0; k < diags.n; k++) {
			assert_string_equal(diags.v[k].file, "t.yaml");
			assert_null(strchr(diags.v[k].msg, '\n'));
		}
		diag_clear(&diags);
	}
}

/* All errors of a file, not only the first. */
static void
test_all_errors_reported(void **state)
{
	struct diag_list diags = { 0 };

	(void)state;
	assert_null(unit_form(
	    "form: t\nversion: 0\ntitle: T\nlanguage: en\nunits: [u, u]\n"
	    "sections:\n  - title: S\n    questions:\n"
	    "      - {id: a, type: yesnoo, label: L}\n"
	    "      - {id: b, type: number, label: L, min: 9, max: 1}\n"
	    "      - {id: c, type: yesno, label: L, show_if: a == yes or z}\n"
	    "      - {id: d, type: yesno, label: L, show_if: '\"x\" > 1'}\n",
	    &diags));
	assert_diag(&diags, 2, 10, "\"version\" must be a whole number");
	assert_diag(&diags, 5, 12, "duplicate unit \"u\"");
	assert_diag(&diags, 9, 23, "unknown type \"yesnoo\"");
	assert_diag(&diags, 10, 54, "min (9) is greater than max (1)");
	assert_diag(&diags, 11, 61, "unknown question \"z\"");
	assert_diag(&diags, 12, 50, "type mismatch");
	/* a question of unknown type is not also an unknown question */
	assert_int_equal(diags.n, 6);
	diag_clear(&diags);
}

/* Without a directory, a sites file is named but not read. */
static void
test_sites_without_dir(void **state)
{
	struct diag_list diags = { 0 };
	struct form *f;

	(void)state;
	f = unit_form(
	    "form: t\nversion: 1\ntitle: T\nlanguage: en\n"
	    "units: sites/s.yaml\nsections:\n  - title: S\n"
	    "    questions:\n      - {id: a, type: yesno, label: L}\n",
	    &diags);
	assert_non_null(f);
	assert_int_equal(f->nunits, 0);
	assert_string_equal(f->units_file, "sites/s.yaml");
	form_free(f);
}

/* A multi question's own answer: "value" in . */
static void
test_in_self(void **state)
{
	struct diag_list diags = { 0 };
	struct form *f;

	(void)state;
	f = unit_form(HEAD
	    "      - id: a\n        type: multi\n"
	    "        label: L\n        choices: [x, y]\n"
	    "        constraint: not (\"x\" in . and \"y\" in .)\n"
	    "        constraint_message: M\n",
	    &diags);
	if (f == NULL)
		unit_dump(&diags);
	assert_non_null(f);
	form_free(f);
}

static void
test_binary_garbage(void **state)
{
	struct diag_list diags = { 0 };
	unsigned char buf[4096];
	size_t i;
	unsigned seed = 1;

	(void)state;
	for (i = 0; i < sizeof buf; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	assert_null(form_load_mem(
	    "t.yaml", NULL, (const char *)buf, sizeof buf, &diags));
	assert_int_equal(diags.n, 1);
	assert_true(strstr(diags.v[0].msg, "invalid UTF-8") != NULL ||
	            strstr(diags.v[0].msg, "NUL byte") != NULL);
	diag_clear(&diags);

	assert_null(
	    form_load_mem("t.yaml", NULL, "form: t\n\0\0\0", 11, &diags));
	assert_diag(&diags, 2, 1, "NUL byte: this is not a text file");
	diag_clear(&diags);
}

static char *
unit_tmpdir(void)
{
	char *dir = xstrdup("/tmp/anfang-unit-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void
unit_write(const char *dir, const char *name, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(path);
}

static void
unit_rm(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);

	unlink(path);
	free(path);
}

static void
test_oversized(void **state)
{
	struct diag_list diags = { 0 };
	size_t len = 10 * 1024 * 1024;
	char *big = xmalloc(len), *dir, *path;

	(void)state;
	/* 10 MB of valid YAML comments: refused before parsing */
	memset(big, '#', len);
	assert_null(form_load_mem("t.yaml", NULL, big, len, &diags));
	assert_diag(&diags, 1, 1, "file too large (10485760 bytes, limit");
	diag_clear(&diags);

	dir = unit_tmpdir();
	unit_write(dir, "big.yaml", big, len);
	path = xasprintf("%s/big.yaml", dir);
	assert_null(form_load_file(path, &diags));
	assert_int_equal(diags.n, 1);
	assert_non_null(strstr(diags.v[0].msg, "file too large"));
	diag_clear(&diags);
	unit_rm(dir, "big.yaml");
	rmdir(dir);
	free(path);
	free(dir);
	free(big);
}

static void
test_sites_file(void **state)
{
	static const char form[] = "form: t\nversion: 1\ntitle: T\n"
	                           "language: en\nunits: sites/s.yaml\n"
	                           "sections:\n  - title: S\n    questions:\n"
	                           "      - {id: a, type: yesno, label: L}\n";
	static const char sites[] = "units:\n  - 東城區政務服務中心\n"
	                            "  - {id: x-2, name: 西城區稅務大廳}\n";
	struct diag_list diags = { 0 };
	struct form *f;
	char *dir, *sub, *path;

	(void)state;
	dir = unit_tmpdir();
	sub = xasprintf("%s/sites", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	unit_write(dir, "f.yaml", form, strlen(form));
	unit_write(dir, "sites/s.yaml", sites, strlen(sites));
	path = xasprintf("%s/f.yaml", dir);

	f = form_load_file(path, &diags);
	if (f == NULL)
		unit_dump(&diags);
	assert_non_null(f);
	assert_int_equal(f->nunits, 2);
	assert_string_equal(f->units[0].name, "東城區政務服務中心");
	assert_string_equal(f->units[1].id, "x-2");
	assert_string_equal(f->units_file, "sites/s.yaml");
	assert_string_equal(f->path, path);
	form_free(f);

	/* errors in the sites file name the sites file */
	{
		static const char bad[] = "units:\n  - a\n  - a\n  - [x]\n";

		unit_write(dir, "sites/s.yaml", bad, strlen(bad));
	}
	assert_null(form_load_file(path, &diags));
	{
		char *spath = xasprintf("%s/sites/s.yaml", dir);
		int found = 0;

		for (size_t i = 0; i < diags.n; i++)
			found += strcmp(diags.v[i].file, spath) == 0 &&
			         diags.v[i].line == 3 && diags.v[i].col == 5;
		assert_int_equal(found, 1);
		free(spath);
	}
	diag_clear(&diags);

	/* a missing sites file is reported where the form names it */
	unit_rm(dir, "sites/s.yaml");
	assert_null(form_load_file(path, &diags));
	assert_diag(&diags, 5, 8, "No such file or directory");
	diag_clear(&diags);

	unit_rm(dir, "f.yaml");
	rmdir(sub);
	rmdir(dir);
	free(path);
	free(sub);
	free(dir);
}

static void
test_missing_file(void **state)
{
	struct diag_list diags = { 0 };

	(void)state;
	assert_null(form_load_file("/nonexistent/f.yaml", &diags));
	assert_int_equal(diags.n, 1);
	assert_string_equal(diags.v[0].file, "/nonexistent/f.yaml");
	assert_int_equal(diags.v[0].line, 0);
	assert_string_equal(diags.v[0].msg, "No such file or directory");
	diag_clear(&diags);

	assert_null(form_load_file("/tmp", &diags));
	assert_string_equal(diags.v[0].msg, "is a directory");
	diag_clear(&diags);
}

static void
test_deep_nesting(void **state)
{
	struct diag_list diags = { 0 };
	char buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++)
		buf[i] = '[';
	buf[i] = '\0';
	assert_null(unit_form(buf, &diags));
	assert_true(diags.n >= 1);
	assert_non_null(strstr(diags.v[0].msg, "nested too deeply"));
	diag_clear(&diags);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type_and_key),
		cmocka_unit_test(test_defaults_when_absent),
		cmocka_unit_test(test_bad_forms),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_yesno_labels),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_in_self),
		cmocka_unit_test(test_sites_without_dir),
		cmocka_unit_test(test_binary_garbage),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_sites_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_deep_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
