/* The form model: names of types, look-ups, scores and freeing. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "anfang/form-expr.h"
#include "anfang/form.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

static const char *const form_type_names[FORM_NTYPES] = {
	[FORM_YESNO] = "yesno",
	[FORM_CHOICE] = "choice",
	[FORM_MULTI] = "multi",
	[FORM_NUMBER] = "number",
	[FORM_SCALE] = "scale",
	[FORM_TEXT] = "text",
	[FORM_DATE] = "date",
	[FORM_TIME] = "time",
	[FORM_TIMER] = "timer",
	[FORM_COUNT] = "count",
	[FORM_NOTE] = "note",
};

const char *
form_type_name(enum form_type t)
{
	if ((unsigned)t >= FORM_NTYPES)
		return "?";
	return form_type_names[t];
}

int
form_type_from_name(const char *name, enum form_type *t)
{
	int i;

	for (i = 0; i < FORM_NTYPES; i++) {
		if (strcmp(name, form_type_names[i]) == 0) {
			*t = (enum form_type)i;
			return 0;
		}
	}
	return -1;
}

/* The words of languages that forms are written in, by primary subtag. */
static const struct {
	const char *lang;
	const char *yes;
	const char *no;
} form_yesno_words[] = {
	/* 是, 否: Simplified and Traditional alike */
	{ "zh", "\xe6\x98\xaf", "\xe5\x90\xa6" },
	{ "en", "yes", "no" },
};

const char *
form_yesno_label(const struct form *f, int yes)
{
	size_t i, n;

	if (f->yes_label != NULL && f->no_label != NULL)
		return yes ? f->yes_label : f->no_label;
	n = f->language ? strcspn(f->language, "-_") : 0;
	for (i = 0; i < sizeof form_yesno_words / sizeof *form_yesno_words;
	     i++) {
		if (n == strlen(form_yesno_words[i].lang) &&
		    strncasecmp(f->language, form_yesno_words[i].lang, n) == 0)
			return yes ? form_yesno_words[i].yes
			           : form_yesno_words[i].no;
	}
	return yes ? "yes" : "no";
}

const char *
form_severity_name(enum form_severity s)
{
	switch (s) {
	case FORM_SEVERITY_LOW:
		return "low";
	case FORM_SEVERITY_MEDIUM:
		return "medium";
	case FORM_SEVERITY_HIGH:
		return "high";
	}
	return "?";
}

int
form_type_answers(enum form_type t)
{
	return t != FORM_NOTE;
}

enum value_kind
form_type_value_kind(enum form_type t)
{
	switch (t) {
	case FORM_YESNO:
		return VALUE_BOOL;
	case FORM_NUMBER:
	case FORM_SCALE:
	case FORM_TIMER:
	case FORM_COUNT:
		return VALUE_NUMBER;
	case FORM_CHOICE:
	case FORM_TEXT:
	case FORM_DATE:
	case FORM_TIME:
		return VALUE_STRING;
	case FORM_MULTI:
		return VALUE_SET;
	case FORM_NOTE:
	case FORM_NTYPES:
		break;
	}
	return VALUE_NONE;
}

static size_t
form_hash_id(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
form_index_put(size_t *index, size_t cap, const char *id, size_t i)
{
	size_t k = form_hash_id(id) & (cap - 1);

	while (index[k] != 0)
		k = (k + 1) & (cap - 1);
	index[k] = i + 1;
}

void
form_index_add(struct form *f, size_t i)
{
	size_t j;

	/* Grow at half full, so probes stay short. */
	if ((i + 1) * 2 > f->index_cap) {
		free(f->index);
		f->index_cap = f->index_cap ? f->index_cap * 2 : 64;
		while ((i + 1) * 2 > f->index_cap)
			f->index_cap *= 2;
		f->index = xcalloc(f->index_cap, sizeof *f->index);
		for (j = 0; j < i; j++)
			form_index_put(
			    f->index, f->index_cap, f->questions[j].id, j);
	}
	form_index_put(f->index, f->index_cap, f->questions[i].id, i);
}

const char *
form_family(const struct form *f)
{
	return f->family != NULL ? f->family : f->id;
}

long
form_find(const struct form *f, const char *id)
{
	size_t i, k;

	if (f->index_cap == 0) {
		for (i = 0; i < f->nquestions; i++) {
			if (strcmp(f->questions[i].id, id) == 0)
				return (long)i;
		}
		return -1;
	}
	for (k = form_hash_id(id) & (f->index_cap - 1); f->index[k] != 0;
	     k = (k + 1) & (f->index_cap - 1)) {
		i = f->index[k] - 1;
		if (i < f->nquestions && strcmp(f->questions[i].id, id) == 0)
			return (long)i;
	}
	return -1;
}

const struct form_choice *
form_find_choice(const struct form_question *q, const char *value)
{
	size_t i;

	for (i = 0; i < q->nchoices; i++) {
		if (strcmp(q->choices[i].value, value) == 0)
			return &q->choices[i];
	}
	return NULL;
}

int
form_valid_date(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int y, m, d, i;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	if (s[10] != '\0')
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	/* 29 February only in leap years */
	return !(m == 2 && d == 29 &&
	         !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

int
form_valid_time(const char *s)
{
	int i;

	for (i = 0; i < 5; i++) {
		if (i == 2 ? s[i] != ':' : !isdigit((unsigned char)s[i]))
			return 0;
	}
	return s[5] == '\0' && atoi(s) < 24 && atoi(s + 3) < 60;
}

char *
form_number_fits(const struct form_question *q, double d)
{
	double scaled = d;
	int i;

	if (!isfinite(d))
		return xstrdup(_("is not a number"));
	/* the limit named: what to type instead */
	if (q->has_min && d < q->min)
		return xasprintf(_("is below the minimum, %g"), q->min);
	if (q->has_max && d > q->max)
		return xasprintf(_("is above the maximum, %g"), q->max);
	/* scale and count take whole numbers; number takes its decimals */
	for (i = 0; q->type == FORM_NUMBER && i < q->decimals; i++)
		scaled *= 10;
	if (fabs(scaled - nearbyint(scaled)) > 1e-6 * fmax(1, fabs(scaled))) {
		if (q->type == FORM_NUMBER && q->decimals)
			return xasprintf(
			    ngettext("has more than %d decimal",
			        "has more than %d decimals", q->decimals),
			    q->decimals);
		return xstrdup(_("is not a whole number"));
	}
	return NULL;
}

static double
form_score_of(const struct form_question *q, const char *answer)
{
	size_t i;

	for (i = 0; i < q->nscores; i++) {
		if (strcmp(q->scores[i].answer, answer) == 0)
			return q->scores[i].points;
	}
	return 0;
}

double
form_score(const struct form_question *q, const struct value *v)
{
	char buf[32];
	double sum = 0;
	size_t i;

	switch (v->kind) {
	case VALUE_BOOL:
		return form_score_of(q, v->b ? "yes" : "no");
	case VALUE_STRING:
		return form_score_of(q, v->s);
	case VALUE_SET:
		for (i = 0; i < v->nset; i++)
			sum += form_score_of(q, v->set[i]);
		return sum;
	case VALUE_NUMBER:
		if (q->type != FORM_SCALE)
			return 0;
		snprintf(buf, sizeof buf, "%.0f", v->n);
		return form_score_of(q, buf);
	case VALUE_NONE:
		break;
	}
	return 0;
}

static void
form_free_question(struct form_question *q)
{
	size_t i;

	free(q->id);
	free(q->label);
	free(q->hint);
	value_clear(&q->dflt);
	form_expr_free(q->show_if);
	form_expr_free(q->constraint);
	form_expr_free(q->warn_if);
	form_expr_free(q->alert_if);
	free(q->constraint_message);
	free(q->warn_message);
	free(q->alert_message);
	for (i = 0; i < q->nchoices; i++) {
		free(q->choices[i].value);
		free(q->choices[i].label);
	}
	free(q->choices);
	for (i = 0; i < q->nscores; i++)
		free(q->scores[i].answer);
	free(q->scores);
	free(q->unit);
	free(q->target.of);
	for (i = 0; i < q->nlabels; i++)
		free(q->labels[i]);
	free(q->labels);
}

const char *
form_figure_name(enum form_figure fig)
{
	static const char *const names[] = { [FORM_FIGURE_NONE] = "none",
		[FORM_FIGURE_SHARE] = "share",
		[FORM_FIGURE_MEDIAN] = "median",
		[FORM_FIGURE_P90] = "p90",
		[FORM_FIGURE_MEAN] = "mean" };

	return (unsigned)fig < sizeof names / sizeof *names ? names[fig] : "?";
}

int
form_target_met(const struct form_question *q, double value)
{
	if (q->target.figure == FORM_FIGURE_NONE)
		return 1;
	return q->target.at_most ? value <= q->target.bound
	                         : value >= q->target.bound;
}

struct form *
form_ref(struct form *f)
{
	f->refs++;
	return f;
}

void
form_free(struct form *f)
{
	size_t i;

	if (f == NULL)
		return;
	if (f->refs > 0) {
		f->refs--;
		return;
	}
	free(f->id);
	free(f->title);
	free(f->language);
	free(f->description);
	free(f->family);
	free(f->yes_label);
	free(f->no_label);
	for (i = 0; i < f->nunits; i++) {
		free(f->units[i].id);
		free(f->units[i].name);
	}
	free(f->units);
	free(f->units_file);
	for (i = 0; i < f->nsections; i++)
		free(f->sections[i].title);
	free(f->sections);
	for (i = 0; i < f->nquestions; i++)
		form_free_question(&f->questions[i]);
	free(f->questions);
	free(f->index);
	free(f->show_order);
	free(f->path);
	free(f->text);
	free(f);
}
