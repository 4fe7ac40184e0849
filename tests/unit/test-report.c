/*
 * The report's aggregation over a source built here in memory: eleven
 * visits of two twin forms, with every expected figure worked out by hand
 * in the comments beside it.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "unit.h"

#include "anfang/batch-json.h"
#include "anfang/report.h"
#include "anfang/text-width.h"
#include "anfang/xmalloc.h"

static const char *form_en =
    "form: t-en\n"
    "version: 1\n"
    "title: T\n"
    "language: en\n"
    "family: fam\n"
    "visit: {division: optional, person: optional}\n"
    "units: [{id: u1, name: One}]\n"
    "sections:\n"
    "  - title: S\n"
    "    questions:\n"
    "      - {id: n, type: note, label: Note}\n"
    "      - {id: ok, type: yesno, label: Settled, score: {yes: 1, no: 0},\n"
    "         alert_if: . == no, severity: high, alert_message: Not settled,\n"
    "         target: {figure: share, of: \"yes\", at_least: 70%}}\n"
    "      - {id: wait, type: timer, label: Wait,\n"
    "         target: {figure: median, at_most: 900}}\n"
    "      - {id: pick, type: choice, label: Pick,\n"
    "         choices: [{value: a, label: A}, {value: b, label: B},\n"
    "                   {value: c, label: C}],\n"
    "         score: {a: 2, b: 1, c: 0}}\n"
    "      - {id: tags, type: multi, label: Tags, choices: [x, y]}\n"
    "      - {id: txt, type: text, label: Text}\n";

/* The Chinese twin: the same ids and values, in another order. */
static const char *form_zh =
    "form: t-zh\n"
    "version: 1\n"
    "title: T\n"
    "language: zh\n"
    "family: fam\n"
    "visit: {division: optional, person: optional}\n"
    "units: [{id: u1, name: One}]\n"
    "sections:\n"
    "  - title: 節\n"
    "    questions:\n"
    "      - {id: pick, type: choice, label: 選擇,\n"
    "         choices: [{value: a, label: 甲}, {value: b, label: 乙},\n"
    "                   {value: c, label: 丙}],\n"
    "         score: {a: 2, b: 1, c: 0}}\n"
    "      - {id: ok, type: yesno, label: 辦結, score: {yes: 1, no: 0},\n"
    "         target: {figure: share, of: \"yes\", at_least: 70%}}\n"
    "      - {id: wait, type: timer, label: 等候,\n"
    "         target: {figure: median, at_most: 900}}\n"
    "      - {id: tags, type: multi, label: 標記, choices: [x, y]}\n"
    "      - {id: txt, type: text, label: 文字}\n"
    "      - {id: n, type: note, label: 說明}\n";

/* The Simplified twin: no visit uses it, yet it names the questions for
 * a reader in mainland China. */
static const char *form_hans =
    "form: t-hans\n"
    "version: 1\n"
    "title: T\n"
    "language: zh-Hans\n"
    "family: fam\n"
    "visit: {division: optional, person: optional}\n"
    "units: [{id: u1, name: One}]\n"
    "sections:\n"
    "  - title: 节\n"
    "    questions:\n"
    "      - {id: pick, type: choice, label: 选择,\n"
    "         choices: [{value: a, label: 甲}, {value: b, label: 乙},\n"
    "                   {value: c, label: 丙}],\n"
    "         score: {a: 2, b: 1, c: 0}}\n"
    "      - {id: ok, type: yesno, label: 办结, score: {yes: 1, no: 0},\n"
    "         target: {figure: share, of: \"yes\", at_least: 70%}}\n"
    "      - {id: wait, type: timer, label: 等候,\n"
    "         target: {figure: median, at_most: 900}}\n"
    "      - {id: tags, type: multi, label: 标记, choices: [x, y]}\n"
    "      - {id: txt, type: text, label: 文字}\n"
    "      - {id: n, type: note, label: 说明}\n";

#define NONE (-1)

/* One visit as written in the test: ok and wait NONE when unanswered. */
struct spec {
	const char *id;
	int zh;
	const char *unit;
	const char *division;
	const char *person;
	const char *inspector;
	const char *local; /* "YYYY-MM-DD HH:MM", local time */
	int offset;        /* minutes east of UTC */
	double score;
	double score_max;
	int ok; /* 1, 0, NONE */
	int ok_seen;
	double wait; /* NONE when unanswered */
	int wait_seen;
	const char *pick; /* NULL: not shown */
	const char *tags; /* NULL: not shown; "" empty; "x", "xy" */
	int alert;        /* 0, or a severity on ok */
	int closed;
};

/* Kept in order of took: W1-W4 in November, V1-V7 in December, V6 in
 * January 2027 by local time (still December in UTC). */
static const struct spec specs[] = {
	{ "W1", 0, "u1", "A", "p1", "ann", "2026-11-10 10:00", 0, 1, 3, 1, 1,
	    200, 1, "a", NULL, 0, 0 },
	{ "W2", 0, "u2", "A", NULL, "bob", "2026-11-11 10:00", 0, 3, 3, 1, 1,
	    400, 1, "a", NULL, 0, 0 },
	{ "W3", 0, "u2", NULL, NULL, "bob", "2026-11-12 10:00", 0, 2, 3, 0, 1,
	    600, 1, "c", NULL, 0, 0 },
	{ "W4", 0, "u1", NULL, NULL, "ann", "2026-11-13 10:00", 0, 3, 3, 1, 1,
	    800, 1, "a", NULL, 0, 0 },
	{ "V1", 0, "u1", "A", "p1", "ann", "2026-12-01 09:00", 0, 3, 3, 1, 1,
	    100, 1, "a", "x", 0, 0 },
	{ "V2", 0, "u1", "A", "p2", "ann", "2026-12-02 09:00", 0, 1, 3, 0, 1,
	    1000, 1, "b", "xy", FORM_SEVERITY_HIGH, 0 },
	{ "V3", 1, "u1", "B", "p1", "bob", "2026-12-03 09:00", 0, 1, 3, 1, 1,
	    300, 1, "c", "", 0, 0 },
	{ "V4", 0, "u2", "A", NULL, "bob", "2026-12-04 09:00", 0, 2, 3, 0, 1,
	    500, 1, "a", NULL, FORM_SEVERITY_LOW, 1 },
	{ "V7", 0, "u3", NULL, NULL, "cid", "2026-12-15 09:00", 0, 0, 0, 1, 1,
	    NONE, 1, NULL, NULL, 0, 0 },
	{ "V5", 0, "u2", NULL, NULL, "bob", "2026-12-31 23:30", 480, 1, 3, NONE,
	    1, 2000, 1, "b", NULL, 0, 0 },
	{ "V6", 0, "u1", NULL, NULL, "ann", "2027-01-01 00:30", 480, 3, 3, 1, 1,
	    NONE, 0, "a", NULL, 0, 0 },
};
#define NSPECS (sizeof specs / sizeof specs[0])

struct tsrc {
	struct form *forms[3];
	struct report_visit v[NSPECS];
	struct value *values[NSPECS];
	unsigned char *seen[NSPECS];
	struct report_alert alerts[NSPECS];
	int64_t local[NSPECS];
	int walks; /* each() calls */
	int texts; /* whether the last asked for free texts */
};

static int64_t
local_ms(const char *s)
{
	int64_t day;
	char d[11];

	memcpy(d, s, 10);
	d[10] = '\0';
	assert_int_equal(report_date_parse(d, &day), 0);
	return day + (atoi(s + 11) * 60 + atoi(s + 14)) * 60000;
}

static void
period_is(const struct report_period *p, const char *from, const char *to)
{
	int64_t f, t;

	assert_int_equal(report_date_parse(from, &f), 0);
	assert_int_equal(report_date_parse(to, &t), 0);
	assert_true(p->from == f);
	assert_true(p->to == t);
}

static int
tsrc_families(
    struct report_source *s, const char *const **names, size_t *n, char **cause)
{
	static const char *const fam[] = { "fam" };

	(void)s;
	(void)cause;
	*names = fam;
	*n = 1;
	return 0;
}

static int
tsrc_forms(struct report_source *s, const char *family,
    struct form *const **forms, size_t *n, char **cause)
{
	struct tsrc *t = s->data;

	(void)cause;
	*forms = t->forms;
	*n = strcmp(family, "fam") == 0 ? 3 : 0;
	return 0;
}

static int
tsrc_span(struct report_source *s, const char *family, int *any, int64_t *first,
    int64_t *last, char **cause)
{
	struct tsrc *t = s->data;

	(void)cause;
	*any = strcmp(family, "fam") == 0;
	*first = *any ? t->local[0] : 0;
	*last = *any ? t->local[NSPECS - 1] : 0;
	return 0;
}

static int
tsrc_each(struct report_source *s, const char *family, int64_t from, int64_t to,
    int texts, report_visit_fn fn, void *arg, char **cause)
{
	struct tsrc *t = s->data;
	size_t i;
	int rc;

	(void)cause;
	t->walks++;
	t->texts = texts;
	for (i = 0; i < NSPECS && strcmp(family, "fam") == 0; i++) {
		if (t->local[i] >= from && t->local[i] < to &&
		    (rc = fn(arg, &t->v[i])) != 0)
			return rc;
	}
	return 0;
}

static void
put(const struct form *f, struct value *vals, unsigned char *seen,
    const char *id, int shown)
{
	long q = form_find(f, id);

	assert_true(q >= 0);
	seen[q] = (unsigned char)shown;
	(void)vals;
}

static void
tsrc_init(struct tsrc *t, struct report_source *src)
{
	struct diag_list diags;
	const struct spec *sp;
	struct report_visit *v;
	const struct form *f;
	struct value *vals;
	const char *items[2];
	size_t i, n;
	long q;

	memset(t, 0, sizeof *t);
	memset(&diags, 0, sizeof diags);
	t->forms[0] = unit_form(form_en, &diags);
	t->forms[1] = unit_form(form_zh, &diags);
	t->forms[2] = unit_form(form_hans, &diags);
	if (t->forms[0] == NULL || t->forms[1] == NULL || t->forms[2] == NULL)
		unit_dump(&diags);
	assert_non_null(t->forms[0]);
	assert_non_null(t->forms[1]);
	assert_non_null(t->forms[2]);
	diag_clear(&diags);
	for (i = 0; i < NSPECS; i++) {
		sp = &specs[i];
		f = t->forms[sp->zh];
		v = &t->v[i];
		vals = t->values[i] = xcalloc(f->nquestions, sizeof *vals);
		t->seen[i] = xcalloc(f->nquestions, 1);
		t->local[i] = local_ms(sp->local);
		v->id = sp->id;
		v->form = f;
		v->unit_id = sp->unit;
		v->unit_name = strcmp(sp->unit, "u1") == 0 ? "Unit One"
		               : strcmp(sp->unit, "u2") == 0
		                   ? "單位二"
		                   : "Bad\x1b[2J\"<x>&";
		v->division = sp->division;
		v->person = sp->person;
		v->inspector = sp->inspector;
		v->took = t->local[i] - sp->offset * 60000;
		v->took_offset = sp->offset;
		v->status = 3;
		v->score = sp->score;
		v->score_max = sp->score_max;
		v->values = vals;
		v->seen = t->seen[i];
		put(f, vals, t->seen[i], "ok", sp->ok_seen);
		if (sp->ok != NONE)
			value_bool(&vals[form_find(f, "ok")], sp->ok);
		put(f, vals, t->seen[i], "wait", sp->wait_seen);
		if (sp->wait != NONE)
			value_number(&vals[form_find(f, "wait")], sp->wait);
		put(f, vals, t->seen[i], "pick", sp->pick != NULL);
		if (sp->pick != NULL)
			value_string(&vals[form_find(f, "pick")], sp->pick);
		put(f, vals, t->seen[i], "tags", sp->tags != NULL);
		if (sp->tags != NULL) {
			for (n = 0; sp->tags[n] != '\0'; n++)
				items[n] = sp->tags[n] == 'x' ? "x" : "y";
			value_set(&vals[form_find(f, "tags")], items, n);
		}
		put(f, vals, t->seen[i], "txt", 1);
		if (sp->alert) {
			q = form_find(f, "ok");
			t->alerts[i].question = (size_t)q;
			t->alerts[i].severity = (enum form_severity)sp->alert;
			t->alerts[i].state = sp->closed ? REPORT_ALERT_CLOSED
			                                : REPORT_ALERT_OPEN;
			t->alerts[i].note = sp->closed ? "called them" : NULL;
			t->alerts[i].by = sp->closed ? "key1" : NULL;
			t->alerts[i].at = sp->closed ? 1000 : 0;
			v->alerts = &t->alerts[i];
			v->nalerts = 1;
		}
	}
	memset(src, 0, sizeof *src);
	src->families = tsrc_families;
	src->forms = tsrc_forms;
	src->span = tsrc_span;
	src->each = tsrc_each;
	src->data = t;
}

static void
tsrc_free(struct tsrc *t)
{
	size_t i, q;

	for (i = 0; i < NSPECS; i++) {
		for (q = 0; q < t->v[i].form->nquestions; q++)
			value_clear(&t->values[i][q]);
		free(t->values[i]);
		free(t->seen[i]);
	}
	form_free(t->forms[0]);
	form_free(t->forms[1]);
	form_free(t->forms[2]);
}

#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/* December 2026, compared with November, ranked from 2 visits, over a
 * source the test may have changed. */
static struct report *
december_built(struct tsrc *t, struct report_source *src, const char *lang)
{
	struct report_options o;
	struct report *r = NULL;
	char *cause = NULL;

	report_options_init(&o);
	o.span_given = 1;
	o.has_from = 1;
	assert_int_equal(report_date_parse("2026-12-10", &o.from), 0);
	o.min_visits = 2;
	o.language = lang;
	assert_int_equal(report_build(src, &o, &r, &cause), REPORT_OK);
	assert_non_null(r);
	/* One walk over the trend's periods, not one per period. */
	assert_int_equal(t->walks, 1);
	/* Counts only: no free text read (most of a store's bytes). */
	assert_int_equal(t->texts, 0);
	return r;
}

/* The same over the source as tsrc_init makes it. */
static struct report *
december(struct tsrc *t, struct report_source *src, const char *lang)
{
	tsrc_init(t, src);
	return december_built(t, src, lang);
}

static const struct report_question *
question(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nquestions; i++) {
		if (strcmp(r->questions[i].id, id) == 0)
			return &r->questions[i];
	}
	fail_msg("no question %s", id);
	return NULL;
}

static void
test_headline(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;
	const struct report_headline *h;
	char label[REPORT_LABEL_LEN];

	(void)state;
	r = december(&t, &src, "en");
	h = &r->headline;
	assert_string_equal(r->family, "fam");
	report_period_label(&h->period, label, sizeof label);
	assert_string_equal(label, "2026-12");
	assert_true(h->has_previous);
	report_period_label(&h->previous, label, sizeof label);
	assert_string_equal(label, "2026-11");
	/* V1-V5 and V7 (V5 is 31 December 23:30 at +08:00; V6 is
	 * January locally although December in UTC). */
	assert_int_equal(h->now.visits, 6);
	assert_int_equal(h->now.units, 3);      /* u1 u2 u3 */
	assert_int_equal(h->now.inspectors, 3); /* ann bob cid */
	/* V7 has nothing to reach and stays out of the mean:
	 * (1 + 1/3 + 1/3 + 2/3 + 1/3) / 5 = 8/15. */
	assert_int_equal(h->now.scored, 5);
	assert_true(h->now.has_score);
	assert_near(h->now.score, 100.0 * 8 / 15);
	assert_int_equal(h->now.alerts.n[FORM_SEVERITY_HIGH], 1);
	assert_int_equal(h->now.alerts.n[FORM_SEVERITY_LOW], 1);
	assert_int_equal(h->now.alerts.open, 1);
	/* November: W1-W4, (1/3 + 1 + 2/3 + 1) / 4 = 3/4. */
	assert_int_equal(h->before.visits, 4);
	assert_int_equal(h->before.units, 2);
	assert_near(h->before.score, 75.0);
	assert_int_equal(h->d_visits, 2);
	assert_int_equal(h->d_units, 1);
	assert_int_equal(h->d_inspectors, 1);
	assert_true(h->has_d_score);
	assert_near(h->d_score, 100.0 * 8 / 15 - 75.0);
	report_free(r);
	tsrc_free(&t);
}

/* A visit whose score overflowed (inf of inf, from a form scoring 1e308
 * on two questions) is left out of every mean, as one with nothing to
 * reach is: it cannot make the unit's, the headline's or the trend's
 * score not a number. */
static void
test_score_not_finite(void **state)
{
	struct report_source src;
	struct report_options o;
	const struct report_ranking *k;
	struct report *r = NULL;
	char *cause = NULL;
	struct tsrc t;
	size_t i;

	(void)state;
	tsrc_init(&t, &src);
	for (i = 0; i < NSPECS; i++) {
		if (strcmp(t.v[i].id, "V7") == 0) {
			t.v[i].score = INFINITY;
			t.v[i].score_max = INFINITY;
		}
	}
	report_options_init(&o);
	o.span_given = 1;
	o.has_from = 1;
	assert_int_equal(report_date_parse("2026-12-10", &o.from), 0);
	o.min_visits = 2;
	o.language = "en";
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_OK);
	assert_int_equal(r->headline.now.scored, 5);
	assert_near(r->headline.now.score, 100.0 * 8 / 15);
	k = &r->rankings[REPORT_BY_UNIT];
	assert_int_equal(k->nunranked, 1);
	assert_string_equal(k->unranked[0].key, "u3");
	assert_false(k->unranked[0].has_score);
	for (i = 0; i < r->ntrend; i++) {
		if (r->trend[i].has_score)
			assert_true(isfinite(r->trend[i].score));
	}
	report_free(r);
	tsrc_free(&t);
}

static void
test_questions_twins_together(void **state)
{
	const struct report_question *q;
	struct report_source src;
	struct tsrc t;
	struct report *r;

	(void)state;
	r = december(&t, &src, "en");
	/* The note takes no answer: five questions, in the English order. */
	assert_int_equal(r->nquestions, 5);
	assert_string_equal(r->questions[0].id, "ok");
	assert_string_equal(r->questions[2].id, "pick");
	assert_string_equal(r->language, "en");

	/* ok: shown in all six, V5 left it empty; yes V1 V3(zh) V7, no V2
	 * V4: 3 of 5 = 60 %. */
	q = question(r, "ok");
	assert_int_equal(q->saw, 6);
	assert_int_equal(q->answered, 5);
	assert_int_equal(q->yes, 3);
	assert_int_equal(q->no, 2);
	assert_true(q->has_share);
	assert_near(q->yes_share, 60.0);
	assert_int_equal(q->failed, 2); /* V2 and V4 said no */

	/* wait: 100 1000 300(zh) 500 2000; sorted 100 300 500 1000 2000;
	 * nearest rank: median at ceil(2.5) = 3rd, p90 at ceil(4.5) = 5th. */
	q = question(r, "wait");
	assert_int_equal(q->saw, 6);
	assert_int_equal(q->answered, 5);
	assert_true(q->has_stats);
	assert_near(q->median, 500);
	assert_near(q->p90, 2000);
	assert_near(q->mean, 780);
	assert_near(q->min, 100);
	assert_near(q->max, 2000);

	/* pick: a (V1 V4), b (V2 V5), c (V3, from the Chinese twin). */
	q = question(r, "pick");
	assert_int_equal(q->saw, 5);
	assert_int_equal(q->ncounts, 3);
	assert_string_equal(q->counts[0].value, "a");
	assert_string_equal(q->counts[0].label, "A");
	assert_int_equal(q->counts[0].n, 2);
	assert_int_equal(q->counts[1].n, 2);
	assert_int_equal(q->counts[2].n, 1);
	assert_near(q->counts[2].share, 20.0);
	assert_int_equal(q->failed, 3); /* b, b and c score below 2 */

	/* tags: {x}, {x y}, {} (answered, nothing ticked). */
	q = question(r, "tags");
	assert_int_equal(q->answered, 3);
	assert_int_equal(q->counts[0].n, 2);
	assert_int_equal(q->counts[1].n, 1);
	assert_near(q->counts[0].share, 200.0 / 3);
	report_free(r);
	tsrc_free(&t);
}

static void
test_labels_in_language(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;

	(void)state;
	r = december(&t, &src, "zh_TW.UTF-8");
	assert_string_equal(r->language, "zh");
	assert_string_equal(r->questions[0].id, "pick");
	assert_string_equal(r->questions[0].label, "選擇");
	assert_string_equal(r->questions[0].counts[2].label, "丙");
	/* The same figures whichever twin names them. */
	assert_int_equal(r->questions[0].counts[2].n, 1);
	assert_near(r->questions[1].yes_share, 60.0);
	report_free(r);
	tsrc_free(&t);
}

static void
test_targets(void **state)
{
	const struct report_target *tg;
	struct report_source src;
	struct tsrc t;
	struct report *r;

	(void)state;
	r = december(&t, &src, "en");
	assert_int_equal(r->ntargets, 2);
	/* ok: 60 % against at least 70 %; November 3 of 4 = 75 %. */
	tg = &r->targets[0];
	assert_string_equal(r->questions[tg->question].id, "ok");
	assert_int_equal(r->questions[tg->question].target, 0);
	assert_int_equal(tg->figure, FORM_FIGURE_SHARE);
	assert_string_equal(tg->of, "yes");
	assert_false(tg->at_most);
	assert_near(tg->bound, 70);
	assert_int_equal(tg->n, 5);
	assert_true(tg->has_value);
	assert_near(tg->value, 60);
	assert_false(tg->met);
	assert_true(tg->has_previous);
	assert_near(tg->previous, 75);
	assert_near(tg->change, -15);
	/* wait: median 500 at most 900, met; November 200 400 600 800,
	 * median at ceil(2) = 2nd = 400. */
	tg = &r->targets[1];
	assert_string_equal(r->questions[tg->question].id, "wait");
	assert_true(tg->at_most);
	assert_near(tg->value, 500);
	assert_true(tg->met);
	assert_near(tg->previous, 400);
	assert_near(tg->change, 100);
	report_free(r);
	tsrc_free(&t);
}

static void
test_rankings(void **state)
{
	const struct report_ranking *k;
	const struct report_entry *e;
	struct report_source src;
	struct tsrc t;
	struct report *r;

	(void)state;
	r = december(&t, &src, "en");
	/* Units: u1 V1 V2 V3 = (1 + 1/3 + 1/3) / 3 = 5/9; u2 V4 V5 =
	 * (2/3 + 1/3) / 2 = 1/2, the worst; u3 has one visit of two. */
	k = &r->rankings[REPORT_BY_UNIT];
	assert_true(r->present[REPORT_BY_UNIT]);
	assert_int_equal(k->nranked, 2);
	e = &k->ranked[0];
	assert_string_equal(e->key, "u2");
	assert_string_equal(e->name, "單位二");
	assert_int_equal(e->rank, 1);
	assert_int_equal(e->visits, 2);
	assert_near(e->score, 50.0);
	assert_int_equal(e->alerts.n[FORM_SEVERITY_LOW], 1);
	/* November: u1 (1/3 + 1) / 2 = 2/3 was worst, u2 (1 + 2/3) / 2. */
	assert_int_equal(e->previous_rank, 2);
	assert_true(e->has_change);
	assert_int_equal(e->rank_change, 1);
	assert_near(e->previous_score, 500.0 / 6);
	e = &k->ranked[1];
	assert_string_equal(e->key, "u1");
	assert_near(e->score, 500.0 / 9);
	assert_int_equal(e->rank_change, -1);
	assert_int_equal(e->alerts.n[FORM_SEVERITY_HIGH], 1);
	/* u1 failed pick twice (V2 b, V3 c) and ok once (V2). */
	assert_int_equal(e->nfailed, 2);
	assert_string_equal(r->questions[e->failed[0].question].id, "pick");
	assert_int_equal(e->failed[0].count, 2);
	assert_string_equal(r->questions[e->failed[1].question].id, "ok");
	assert_int_equal(e->failed[1].count, 1);
	assert_int_equal(k->nunranked, 1);
	assert_string_equal(k->unranked[0].key, "u3");
	assert_int_equal(k->unranked[0].rank, 0);
	assert_false(k->unranked[0].has_score); /* score_max 0 */

	/* Divisions within their unit: (u1, A) V1 V2 = 2/3 ranked;
	 * (u1, B) and (u2, A) one visit each; V5 and V7 name none. */
	k = &r->rankings[REPORT_BY_DIVISION];
	assert_int_equal(k->nranked, 1);
	assert_string_equal(k->ranked[0].key, "A");
	assert_string_equal(k->ranked[0].unit_id, "u1");
	assert_string_equal(k->ranked[0].unit_name, "Unit One");
	assert_near(k->ranked[0].score, 200.0 / 3);
	assert_int_equal(k->nunranked, 2);
	/* Listed by name, then unit: A of u2, then B of u1. */
	assert_string_equal(k->unranked[0].key, "A");
	assert_string_equal(k->unranked[0].unit_id, "u2");
	assert_string_equal(k->unranked[0].unit_name, "單位二");
	assert_string_equal(k->unranked[1].key, "B");
	assert_string_equal(k->unranked[1].unit_id, "u1");
	assert_int_equal(k->without, 2);

	/* Persons: (u1, p1) V1 V3 ranked, (u1, p2) not; three without. */
	k = &r->rankings[REPORT_BY_PERSON];
	assert_int_equal(k->nranked, 1);
	assert_string_equal(k->ranked[0].key, "p1");
	assert_int_equal(k->without, 3);

	/* Inspectors: bob V3 V4 V5 = (1/3 + 2/3 + 1/3) / 3 = 4/9 worst,
	 * ann V1 V2 = 2/3; cid one visit. November: ann W1 W4 = 2/3 and
	 * bob W2 W3 = 5/6, so bob climbs from 2 to 1. */
	k = &r->rankings[REPORT_BY_INSPECTOR];
	assert_int_equal(k->nranked, 2);
	assert_string_equal(k->ranked[0].key, "bob");
	assert_near(k->ranked[0].score, 400.0 / 9);
	assert_int_equal(k->ranked[0].rank_change, 1);
	assert_string_equal(k->ranked[1].key, "ann");
	assert_string_equal(k->unranked[0].key, "cid");
	report_free(r);
	tsrc_free(&t);
}

static void
test_alerts_high_first(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;

	(void)state;
	r = december(&t, &src, "en");
	assert_int_equal(r->nalerts, 2);
	assert_string_equal(r->alerts[0].visit_id, "V2");
	assert_int_equal(r->alerts[0].severity, FORM_SEVERITY_HIGH);
	assert_int_equal(r->alerts[0].state, REPORT_ALERT_OPEN);
	assert_string_equal(r->alerts[0].message, "Not settled");
	assert_string_equal(r->alerts[0].division, "A");
	assert_string_equal(r->alerts[0].person, "p2");
	assert_string_equal(r->questions[r->alerts[0].question].id, "ok");
	assert_true(r->alerts[0].took == local_ms("2026-12-02 09:00"));
	assert_string_equal(r->alerts[1].visit_id, "V4");
	assert_int_equal(r->alerts[1].state, REPORT_ALERT_CLOSED);
	assert_string_equal(r->alerts[1].note, "called them");
	assert_string_equal(r->alerts[1].by, "key1");
	report_free(r);
	tsrc_free(&t);
}

static void
test_trend(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char label[REPORT_LABEL_LEN];

	(void)state;
	r = december(&t, &src, "en");
	/* Twelve months back, less those before the first visit (W1). */
	assert_int_equal(r->ntrend, 2);
	report_period_label(&r->trend[0].period, label, sizeof label);
	assert_string_equal(label, "2026-11");
	assert_int_equal(r->trend[0].visits, 4);
	assert_near(r->trend[0].score, 75);
	assert_true(r->trend[0].has_target[0]);
	assert_near(r->trend[0].target[0], 75);
	assert_near(r->trend[0].target[1], 400);
	assert_int_equal(r->trend[1].visits, 6);
	assert_near(r->trend[1].score, 100.0 * 8 / 15);
	assert_near(r->trend[1].target[0], 60);
	assert_near(r->trend[1].target[1], 500);
	report_free(r);
	tsrc_free(&t);
}

/* No period given: the month of the last visit by local time. */
static void
test_default_last_month(void **state)
{
	struct report_options o;
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *cause = NULL, label[REPORT_LABEL_LEN];

	(void)state;
	tsrc_init(&t, &src);
	report_options_init(&o);
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_OK);
	report_period_label(&r->headline.period, label, sizeof label);
	assert_string_equal(label, "2027-01");
	assert_int_equal(r->headline.now.visits, 1); /* V6 */
	assert_int_equal(r->headline.before.visits, 6);
	/* min 3 by default: u1's single visit is not ranked. */
	assert_int_equal(r->rankings[REPORT_BY_UNIT].nranked, 0);
	assert_int_equal(r->rankings[REPORT_BY_UNIT].nunranked, 1);
	/* December's u1 and u2 had fewer than 3... u1 had 3: ranked then. */
	assert_int_equal(
	    r->rankings[REPORT_BY_UNIT].unranked[0].previous_rank, 1);
	assert_false(r->rankings[REPORT_BY_UNIT].unranked[0].has_change);
	assert_int_equal(r->ntrend, 3);
	report_free(r);
	tsrc_free(&t);
}

static void
test_empty_period(void **state)
{
	struct report_options o;
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *cause = NULL;
	size_t by;

	(void)state;
	tsrc_init(&t, &src);
	report_options_init(&o);
	o.has_from = o.has_to = 1;
	assert_int_equal(report_date_parse("2025-01-01", &o.from), 0);
	assert_int_equal(report_date_parse("2025-01-31", &o.to), 0);
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_OK);
	assert_int_equal(r->headline.period.span, REPORT_RANGE);
	assert_int_equal(r->headline.now.visits, 0);
	assert_false(r->headline.now.has_score);
	assert_int_equal(r->nalerts, 0);
	for (by = 0; by < REPORT_BY_N; by++)
		assert_int_equal(
		    r->rankings[by].nranked + r->rankings[by].nunranked, 0);
	assert_int_equal(question(r, "ok")->saw, 0);
	assert_false(question(r, "wait")->has_stats);
	assert_false(r->targets[0].has_value);
	assert_int_equal(r->ntrend, 1);
	report_free(r);
	tsrc_free(&t);
}

static void
test_form_names(void **state)
{
	struct report_options o;
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *cause = NULL;

	(void)state;
	tsrc_init(&t, &src);
	report_options_init(&o);
	o.form = "t-zh"; /* a member names its family */
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_OK);
	assert_string_equal(r->family, "fam");
	report_free(r);
	o.form = "nope";
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_NO_FORM);
	assert_null(r);
	assert_non_null(strstr(cause, "nope"));
	free(cause);
	tsrc_free(&t);
}

/* A form that exists but was never visited (options.known, the forms
 * directory): an empty report with its questions, not an unknown form. */
static void
test_known_form(void **state)
{
	struct diag_list diags = { 0 };
	struct report_options o;
	struct report_source src;
	struct form *known[1], *f;
	struct tsrc t;
	struct report *r;
	char *cause = NULL;

	(void)state;
	tsrc_init(&t, &src);
	known[0] = unit_form("form: lone\n"
	                     "version: 2\n"
	                     "title: Lone\n"
	                     "language: en\n"
	                     "units: [{id: u9, name: Nine}]\n"
	                     "sections:\n"
	                     "  - title: S\n"
	                     "    questions:\n"
	                     "      - {id: fine, type: yesno, label: Fine,\n"
	                     "         target: {figure: share, of: \"yes\","
	                     " at_least: 70%}}\n",
	    &diags);
	if (known[0] == NULL)
		unit_dump(&diags);
	report_options_init(&o);
	o.known = known;
	o.nknown = 1;
	o.now = local_ms("2027-03-15 10:00");
	o.form = "lone";
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_OK);
	assert_string_equal(r->family, "lone");
	assert_non_null(r->form);
	assert_string_equal(r->form->id, "lone");
	period_is(&r->headline.period, "2027-03-01", "2027-04-01");
	assert_int_equal(r->headline.now.visits, 0);
	assert_int_equal(r->nalerts, 0);
	assert_int_equal(r->nquestions, 1);
	assert_int_equal(question(r, "fine")->saw, 0);
	assert_int_equal(r->ntargets, 1);
	assert_false(r->targets[0].has_value);
	assert_int_equal(r->rankings[REPORT_BY_UNIT].nranked, 0);
	report_free(r);
	assert_int_equal(report_form(&src, "lone", &o, &f, &cause), REPORT_OK);
	assert_string_equal(f->id, "lone");
	form_free(f);
	/* Still no such form, known or visited. */
	o.form = "nope";
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_NO_FORM);
	free(cause);
	/* A visited family is the source's, whatever is known. */
	o.form = "fam";
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_OK);
	assert_true(r->headline.now.visits > 0);
	report_free(r);
	form_free(known[0]);
	tsrc_free(&t);
}

static void
test_by_subset(void **state)
{
	struct report_options o;
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *cause = NULL;

	(void)state;
	tsrc_init(&t, &src);
	report_options_init(&o);
	o.by = 1u << REPORT_BY_PERSON;
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_OK);
	assert_false(r->present[REPORT_BY_UNIT]);
	assert_true(r->present[REPORT_BY_PERSON]);
	/* The headline still counts units. */
	assert_int_equal(r->headline.now.units, 1);
	report_free(r);
	tsrc_free(&t);
}

/* --period all: every visit, no previous period, a trend by month. */
static void
test_all_period(void **state)
{
	const struct report_question *q;
	struct report_options o;
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *cause = NULL, label[REPORT_LABEL_LEN];

	(void)state;
	tsrc_init(&t, &src);
	report_options_init(&o);
	o.span = REPORT_ALL;
	o.span_given = 1;
	assert_int_equal(report_build(&src, &o, &r, &cause), REPORT_OK);
	report_period_label(&r->headline.period, label, sizeof label);
	assert_string_equal(label, "2026-11-10 to 2027-01-01");
	assert_false(r->headline.has_previous);
	assert_int_equal(r->headline.now.visits, 11);
	/* Ten scored: 3 (November) + 8/3 (December) + 1 (V6) over 10. */
	assert_near(r->headline.now.score, 100.0 * 2 / 3);
	/* wait: 100 200 300 400 500 600 800 1000 2000: the median at
	 * ceil(4.5) = 5th, the 90th percentile at ceil(8.1) = 9th. */
	q = question(r, "wait");
	assert_int_equal(q->answered, 9);
	assert_near(q->median, 500);
	assert_near(q->p90, 2000);
	assert_false(r->targets[0].has_previous);
	assert_int_equal(r->ntrend, 3); /* November to January */
	report_period_label(&r->trend[2].period, label, sizeof label);
	assert_string_equal(label, "2027-01");
	/* Ranked over everything, min 3: u1 (W1 W4 V1 V2 V3 V6) =
	 * (1/3 + 1 + 1 + 1/3 + 1/3 + 1) / 6 = 2/3 and u2 (W2 W3 V4 V5) =
	 * (1 + 2/3 + 2/3 + 1/3) / 4 = 2/3: equal, so by alerts: u1 has a
	 * high one. */
	assert_int_equal(r->rankings[REPORT_BY_UNIT].nranked, 2);
	assert_string_equal(r->rankings[REPORT_BY_UNIT].ranked[0].key, "u1");
	assert_false(r->rankings[REPORT_BY_UNIT].ranked[0].has_change);
	report_free(r);
	tsrc_free(&t);
}

/* r as report_text_write writes it. Caller frees. */
static char *
text_of(const struct report *r)
{
	char *cause = NULL, *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(report_text_write(r, fp, &cause), 0);
	fclose(fp);
	return buf;
}

/* Text: never wider than 80 columns, Chinese names aligned, controls
 * from a batch shown, not sent to the terminal. */
static void
test_text(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *buf, *line, *save = NULL;
	size_t lines = 0;

	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	text_width_init(1);
	r = december(&t, &src, "en");
	buf = text_of(r);
	if (getenv("SHOW") != NULL)
		fputs(buf, stderr);
	assert_null(strchr(buf, '\x1b'));
	assert_non_null(strstr(buf, "\\x1b[2J"));
	assert_non_null(strstr(buf, "單位二"));
	assert_non_null(strstr(buf, "Period: 2026-12, compared with 2026-11"));
	assert_non_null(strstr(buf, "Mean score    53.3 %  (-21.7 points)"));
	assert_non_null(strstr(
	    buf, "share of yes at least 70.0 %: 60.0 %, NOT MET (-15.0)"));
	assert_non_null(strstr(buf, "median at most 15:00: 8:20, met (+1:40)"));
	/* alerts open or closed, as anfang alerts says; when, who, how; a
	 * severity is one word in every format, screen and command */
	assert_string_equal(report_severity_word(FORM_SEVERITY_HIGH), "high");
	assert_non_null(strstr(buf, "  high    open    2026-12-02  V2  ann\n"));
	assert_non_null(strstr(buf, "  low     closed  2026-12-04  V4  bob\n"));
	assert_non_null(
	    strstr(buf, "closed 1970-01-01 by key1: called them\n"));
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		assert_true(text_width(line) <= 80);
		lines++;
	}
	assert_true(lines > 30);
	free(buf);
	report_free(r);
	tsrc_free(&t);
}

/* A target on a yes/no question says yes in the form's language, as the
 * questions and the HTML page do: 是 on the zh form of the family. */
static void
test_text_target_words(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *buf;

	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	text_width_init(1);
	r = december(&t, &src, "zh");
	buf = text_of(r);
	assert_non_null(strstr(buf, "share of 是 at least 70.0 %: 60.0 %"));
	assert_null(strstr(buf, "share of yes"));
	free(buf);
	report_free(r);
	tsrc_free(&t);
}

/* Under a locale that is not UTF-8: ASCII only, bars of '#'. */
static void
test_text_ascii(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *cause = NULL, *buf = NULL, *p;
	size_t len = 0;
	FILE *fp;

	(void)state;
	text_width_init(0);
	r = december(&t, &src, "en");
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(report_text_write(r, fp, &cause), 0);
	fclose(fp);
	for (p = buf; *p != '\0'; p++)
		assert_true((unsigned char)*p < 0x80);
	/* u2 at 50 %: eight of sixteen columns. */
	assert_non_null(strstr(buf, "  50.0% ######## "));
	text_width_init(1);
	free(buf);
	report_free(r);
	tsrc_free(&t);
}

static char *
csv_of(const struct report *r, enum report_table tb, int bom)
{
	char *cause = NULL, *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(report_csv_write(r, tb, bom, fp, &cause), 0);
	fclose(fp);
	return buf;
}

/* The flat table of r's period over src. */
static char *
csv_visits_of(const struct report *r, struct report_source *src)
{
	char *cause = NULL, *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(report_csv_visits(src, r->family, r->form,
	                     &r->headline.period, 0, fp, NULL, &cause),
	    0);
	fclose(fp);
	return buf;
}

/* Text from batches that a spreadsheet would run as a formula (= + - @)
 * is written after a quote. */
static void
test_csv_formulas(void **state)
{
	static const struct {
		const char *id, *person, *want;
	} cases[] = {
		{ "V1", "=1+2", ",\"'=1+2\"," },
		{ "V2", "+1", ",\"'+1\"," },
		{ "V3", "-2+3", ",\"'-2+3\"," },
		{ "V4", "@SUM(A1)", ",\"'@SUM(A1)\"," },
		/* A leading tab or carriage return is shown, as a control. */
		{ "V5", "\t=1", ",\\x09=1," },
		{ "V7", "\r=1", ",\\x0d=1," },
	};
	struct report_source src;
	struct report *r;
	char *buf = NULL;
	size_t i, j;
	struct tsrc t;

	(void)state;
	r = december(&t, &src, "en");
	for (i = 0; i < NSPECS; i++) {
		for (j = 0; j < sizeof cases / sizeof cases[0]; j++) {
			if (strcmp(t.v[i].id, cases[j].id) == 0)
				t.v[i].person = cases[j].person;
		}
	}
	buf = csv_visits_of(r, &src);
	/* The table shows every answer: free texts too. */
	assert_int_equal(t.texts, 1);
	for (j = 0; j < sizeof cases / sizeof cases[0]; j++) {
		if (strstr(buf, cases[j].want) == NULL)
			fail_msg("%s: no %s in\n%s", cases[j].id, cases[j].want,
			    buf);
	}
	free(buf);
	report_free(r);
	tsrc_free(&t);
}

/* A CSV table has no raw control character but the CRLF that ends a row
 * and a newline inside a quoted field: no C0 or C1 control, DEL or bidi
 * override. */
static void
csv_no_controls(const char *buf)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i;

	for (i = 0; p[i] != '\0'; i++) {
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\r') ||
		    (p[i] == '\r' && p[i + 1] != '\n') || p[i] == 0x7f ||
		    (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) ||
		    (p[i] == 0xe2 && p[i + 1] == 0x80 && p[i + 2] >= 0xaa &&
		        p[i + 2] <= 0xae))
			fail_msg("a raw control at byte %zu of\n%s", i, buf);
	}
}

/*
 * Names and answers from a batch: every table shows their controls as
 * the text report does (ESC, BEL, DEL, a bare CR, U+0085, U+202E), keeps
 * a text answer's newline inside a quoted field, and still defuses a
 * formula behind a control.
 */
static void
test_csv_controls(void **state)
{
	static const char person[] = "p\x1b[2J\x07\x7f\xc2\x85\xe2\x80\xae"
	                             "9";
	static const char shown[] = "p\\x1b[2J\\x07\\x7f\\u0085\\u202e9";
	static const enum report_table tables[] = { REPORT_TABLE_RANKINGS,
		REPORT_TABLE_QUESTIONS, REPORT_TABLE_ALERTS };
	struct report_source src;
	struct report *r;
	char *buf = NULL;
	size_t i;
	struct tsrc t;

	(void)state;
	tsrc_init(&t, &src);
	/* V2: the high alert of December, so in the alerts table too. */
	t.v[5].person = person;
	t.v[5].division = "line one\nline two";
	t.v[5].unit_name = "=cmd|' /C calc'!A0\x1b";
	value_string(&t.values[5][form_find(t.v[5].form, "txt")],
	    "first\r\nsecond\nthird");
	r = december_built(&t, &src, "en");
	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		buf = csv_of(r, tables[i], 0);
		if (getenv("SHOW"))
			fputs(buf, stderr);
		csv_no_controls(buf);
		if (tables[i] != REPORT_TABLE_QUESTIONS)
			assert_non_null(strstr(buf, shown));
		free(buf);
	}
	buf = csv_of(r, REPORT_TABLE_ALERTS, 0);
	assert_non_null(strstr(buf, ",\"line one\nline two\","));
	assert_non_null(strstr(buf, ",\"'=cmd|' /C calc'!A0\\x1b\","));
	free(buf);
	buf = csv_visits_of(r, &src);
	if (getenv("SHOW"))
		fputs(buf, stderr);
	csv_no_controls(buf);
	assert_non_null(strstr(buf, "\r\nV2,"));
	assert_non_null(strstr(buf, shown));
	assert_non_null(strstr(buf, ",\"first\\x0d\nsecond\nthird\""));
	free(buf);
	report_free(r);
	tsrc_free(&t);
}

/* A score that is not a number, or not finite, is written empty, as a
 * missing one: never "nan" or "inf", which no spreadsheet reads back. */
/* An entry's cells, as the text report and the report screen show them. */
static void
test_entry_cells(void **state)
{
	struct report_entry e;
	struct report_cells c;

	(void)state;
	memset(&e, 0, sizeof e);
	e.visits = 12;
	e.alerts.n[FORM_SEVERITY_HIGH] = 1;
	e.alerts.n[FORM_SEVERITY_LOW] = 2;
	report_entry_cells(&e, &c); /* unranked, no score */
	assert_string_equal(c.rank, "");
	assert_string_equal(c.visits, "12");
	assert_string_equal(c.score, "-");
	assert_string_equal(c.alerts, "1/0/2");
	assert_string_equal(c.move, "");
	e.rank = 3;
	e.has_score = 1;
	e.score = 84.25;
	report_entry_cells(&e, &c); /* ranked now, not before */
	assert_string_equal(c.rank, "3");
	assert_string_equal(c.score, "84.2%");
	assert_string_equal(c.move, "new");
	e.has_change = 1;
	report_entry_cells(&e, &c);
	assert_string_equal(c.move, "=");
	e.rank_change = -2;
	report_entry_cells(&e, &c);
	assert_string_equal(c.move, "-2");
	e.rank_change = 4;
	report_entry_cells(&e, &c);
	assert_string_equal(c.move, "+4");
}

static void
test_csv_not_finite(void **state)
{
	struct report_source src;
	struct report *r;
	char *buf = NULL;
	size_t i;
	struct tsrc t;

	(void)state;
	r = december(&t, &src, "en");
	for (i = 0; i < NSPECS; i++) {
		if (strcmp(t.v[i].id, "V3") == 0) {
			t.v[i].score = INFINITY;
			t.v[i].score_max = INFINITY;
		} else if (strcmp(t.v[i].id, "V2") == 0)
			t.v[i].score = NAN;
	}
	buf = csv_visits_of(r, &src);
	if (getenv("SHOW"))
		fputs(buf, stderr);
	assert_non_null(strstr(buf, ",u1,Unit One,B,p1,bob,,,0,yes,"));
	assert_non_null(strstr(buf, ",u1,Unit One,A,p2,ann,,3,1,no,"));
	assert_null(strstr(buf, "nan"));
	assert_null(strstr(buf, "inf"));
	free(buf);
	report_free(r);
	tsrc_free(&t);
}

static void
test_csv(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *buf;

	(void)state;
	r = december(&t, &src, "en");
	buf = csv_of(r, REPORT_TABLE_RANKINGS, 1);
	if (getenv("SHOW"))
		fputs(buf, stderr);
	assert_memory_equal(buf, "\xef\xbb\xbfranking,rank,key,", 19);
	/* u2 first: rank 1, 50 %, one low alert, 2 before, moved +1;
	 * quotes doubled, the field quoted, lines ended by CRLF. */
	assert_non_null(strstr(buf, "\r\nunit,1,u2,,,單位二,2,50,0,0,1,0,2,1,"
	                            "83.33333333333333,ok,1,pick,1,,\r\n"));
	assert_non_null(strstr(buf, ",\"Bad\\x1b[2J\"\"<x>&\","));
	free(buf);
	buf = csv_of(r, REPORT_TABLE_QUESTIONS, 0);
	assert_non_null(
	    strstr(buf, "\r\nok,Settled,yesno,6,5,yes,,3,60,,,,,,2\r\n"));
	assert_non_null(strstr(
	    buf, "\r\nwait,Wait,timer,6,5,,,,,500,2000,780,100,2000,\r\n"));
	assert_non_null(
	    strstr(buf, "\r\npick,Pick,choice,5,5,c,C,1,20,,,,,,3\r\n"));
	free(buf);
	buf = csv_of(r, REPORT_TABLE_ALERTS, 0);
	assert_non_null(strstr(buf, "\r\nhigh,open,2026-12-02 09:00,V2,u1,Unit "
	                            "One,A,p2,ann,ok,Not settled,,,\r\n"));
	free(buf);

	/* The flat table: one row per visit, one column per question. */
	buf = csv_visits_of(r, &src);
	if (getenv("SHOW"))
		fputs(buf, stderr);
	assert_memory_equal(buf,
	    "visit,form,form_version,status,took,finalized,unit_id,"
	    "unit_name,division,person,inspector,score,score_max,alerts,"
	    "ok,wait,pick,tags,txt\r\n",
	    strlen("visit,form,form_version,status,took,finalized,unit_id,"
	           "unit_name,division,person,inspector,score,score_max,"
	           "alerts,ok,wait,pick,tags,txt\r\n"));
	/* V3 came on the Chinese twin: its answers under the same ids. */
	assert_non_null(
	    strstr(buf, "\r\nV3,t-zh,1,received,2026-12-03T09:00:00.000+00:00,"
	                ",u1,Unit One,B,p1,bob,1,3,0,yes,300,c,\"\",\r\n"));
	assert_non_null(
	    strstr(buf, "\r\nV2,t-en,1,received,2026-12-02T09:00:00.000+00:00,"
	                ",u1,Unit One,A,p2,ann,1,3,1,no,1000,b,x;y,\r\n"));
	assert_non_null(strstr(
	    buf, "\r\nV5,t-en,1,received,2026-12-31T23:30:00.000+08:00,"));
	assert_null(strstr(buf, "V6"));
	assert_null(strstr(buf, "W1"));
	free(buf);
	report_free(r);
	tsrc_free(&t);
}

static void
test_json(void **state)
{
	struct report_source src;
	struct tsrc t;
	struct report *r;
	char *j;

	(void)state;
	r = december(&t, &src, "en");
	j = batch_json_report(r);
	if (getenv("SHOW"))
		fputs(j, stderr);
	assert_non_null(strstr(j, "\"format\": \"anfang-report\""));
	assert_non_null(strstr(j, "\"label\": \"2026-11\""));
	assert_non_null(strstr(j, "\"yes_share\": 60.0"));
	assert_non_null(strstr(j, "\"p90\": 2000.0"));
	assert_non_null(strstr(j, "\"name\": \"單位二\""));
	/* Controls escaped by JSON itself. */
	assert_non_null(strstr(j, "Bad\\u001B[2J\\\"<x>&"));
	assert_non_null(strstr(j, "\"rank_change\": -1"));
	free(j);
	report_free(r);
	tsrc_free(&t);
}

/* Traditional for Taiwan and Hong Kong, Simplified for mainland China,
 * English for C; the figures the same whichever names them. */
static void
test_language_script(void **state)
{
	static const struct {
		const char *locale, *form;
	} cases[] = {
		{ "zh_TW.UTF-8", "t-zh" }, { "zh_HK", "t-zh" },
		{ "zh_CN.UTF-8", "t-hans" }, { "zh_SG.GB2312", "t-hans" },
		{ "zh", "t-zh" }, { "en_GB.UTF-8", "t-en" },
		{ "fr_FR.UTF-8", "t-en" }, /* none: the first by id */
	};
	struct report_options o;
	struct report_source src;
	struct form *f;
	struct tsrc t;
	char *cause = NULL;
	size_t i;

	(void)state;
	tsrc_init(&t, &src);
	report_options_init(&o);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		o.language = cases[i].locale;
		assert_int_equal(
		    report_form(&src, "fam", &o, &f, &cause), REPORT_OK);
		assert_string_equal(f->id, cases[i].form);
		form_free(f);
	}
	tsrc_free(&t);
}

static void
test_periods(void **state)
{
	struct report_period p, q;
	char label[REPORT_LABEL_LEN];
	int64_t t;

	(void)state;
	t = local_ms("2026-11-15 12:00");
	report_period_of(REPORT_QUARTER, t, &p);
	period_is(&p, "2026-10-01", "2027-01-01");
	report_period_label(&p, label, sizeof label);
	assert_string_equal(label, "2026 Q4");
	assert_int_equal(report_period_previous(&p, &q), 0);
	period_is(&q, "2026-07-01", "2026-10-01");
	assert_int_equal(report_period_next(&p, &q), 0);
	period_is(&q, "2027-01-01", "2027-04-01");
	report_period_of(REPORT_YEAR, t, &p);
	period_is(&p, "2026-01-01", "2027-01-01");
	report_period_of(REPORT_MONTH, local_ms("2024-03-01 00:00"), &p);
	assert_int_equal(report_period_previous(&p, &q), 0);
	period_is(&q, "2024-02-01", "2024-03-01"); /* 29 days */
	report_period_of(REPORT_MONTH, local_ms("2027-01-01 00:00") - 1, &p);
	period_is(&p, "2026-12-01", "2027-01-01");
	/* A range of ten days; before it the ten days before. */
	p.span = REPORT_RANGE;
	assert_int_equal(report_date_parse("2026-03-01", &p.from), 0);
	assert_int_equal(report_date_parse("2026-03-11", &p.to), 0);
	assert_int_equal(report_period_previous(&p, &q), 0);
	period_is(&q, "2026-02-19", "2026-03-01");
	report_period_label(&p, label, sizeof label);
	assert_string_equal(label, "2026-03-01 to 2026-03-10");
	p.span = REPORT_ALL;
	assert_int_equal(report_period_previous(&p, &q), -1);
	/* Before 1970 too. */
	report_period_of(REPORT_MONTH, local_ms("1969-12-31 23:59"), &p);
	period_is(&p, "1969-12-01", "1970-01-01");
}

static void
test_dates(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(report_date_parse("1970-01-02", &t), 0);
	assert_true(t == REPORT_DAY_MS);
	assert_int_equal(report_date_parse("2024-02-29", &t), 0);
	assert_int_equal(report_date_parse("2000-02-29", &t), 0);
	assert_int_equal(report_date_parse("2026-02-29", &t), -1);
	assert_int_equal(report_date_parse("1900-02-29", &t), -1);
	assert_int_equal(report_date_parse("2026-04-31", &t), -1);
	assert_int_equal(report_date_parse("2026-13-01", &t), -1);
	assert_int_equal(report_date_parse("2026-1-01", &t), -1);
	assert_int_equal(report_date_parse("2026-01-01x", &t), -1);
	assert_int_equal(report_date_parse("0000-01-01", &t), -1);
	assert_int_equal(report_date_parse("2026/01/01", &t), -1);
	assert_int_equal(report_date_parse("", &t), -1);
}

/* report_minute of local ms t is want. */
static void
minute_is(int64_t t, const char *want)
{
	char got[REPORT_MINUTE_LEN];

	report_minute(t, got, sizeof got);
	assert_string_equal(got, want);
}

static void
test_minutes(void **state)
{
	(void)state;
	minute_is(0, "1970-01-01 00:00");
	minute_is(local_ms("2026-11-15 09:05"), "2026-11-15 09:05");
	/* The minute that holds t: seconds are dropped, never rounded. */
	minute_is(local_ms("2026-11-15 23:59") + 59999, "2026-11-15 23:59");
	minute_is(local_ms("2024-02-29 00:00"), "2024-02-29 00:00");
	minute_is(local_ms("2024-03-01 00:00") - 1, "2024-02-29 23:59");
	minute_is(local_ms("2000-02-29 12:34"), "2000-02-29 12:34");
	/* Before 1970: the day and the time of day both count down. */
	minute_is(-1, "1969-12-31 23:59");
	minute_is(-60000, "1969-12-31 23:59");
	minute_is(-60001, "1969-12-31 23:58");
	minute_is(local_ms("1969-12-31 23:59"), "1969-12-31 23:59");
	minute_is(local_ms("1960-02-29 08:07") + 30000, "1960-02-29 08:07");
	minute_is(local_ms("1960-03-01 00:00") - 1, "1960-02-29 23:59");
}

static void
test_names(void **state)
{
	enum report_span s;
	enum report_by b;
	enum report_table tb;

	(void)state;
	assert_int_equal(report_span_parse("quarter", &s), 0);
	assert_int_equal(s, REPORT_QUARTER);
	assert_int_equal(report_span_parse("range", &s), -1);
	assert_int_equal(report_span_parse("Month", &s), -1);
	assert_int_equal(report_by_parse("inspector", &b), 0);
	assert_int_equal(b, REPORT_BY_INSPECTOR);
	assert_int_equal(report_by_parse("units", &b), -1);
	assert_int_equal(report_table_parse("visits", &tb), 0);
	assert_int_equal(tb, REPORT_TABLE_VISITS);
	assert_string_equal(report_by_name(REPORT_BY_DIVISION), "division");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headline),
		cmocka_unit_test(test_score_not_finite),
		cmocka_unit_test(test_questions_twins_together),
		cmocka_unit_test(test_labels_in_language),
		cmocka_unit_test(test_language_script),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_rankings),
		cmocka_unit_test(test_alerts_high_first),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_default_last_month),
		cmocka_unit_test(test_empty_period),
		cmocka_unit_test(test_form_names),
		cmocka_unit_test(test_known_form),
		cmocka_unit_test(test_by_subset),
		cmocka_unit_test(test_all_period),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_target_words),
		cmocka_unit_test(test_text_ascii),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_formulas),
		cmocka_unit_test(test_csv_controls),
		cmocka_unit_test(test_csv_not_finite),
		cmocka_unit_test(test_entry_cells),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_minutes),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
