/* Answers made text for the screens (no curses: the screens draw it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/i18n.h"
#include "anfang/text-width.h"
#include "anfang/tui-answer.h"
#include "anfang/xmalloc.h"

/* A set's labels, joined by sep. Caller frees. */
static char *
tui_answer_set(
    const struct form_question *fq, const struct value *val, const char *sep)
{
	const struct form_choice *c;
	char *s = xstrdup(""), *tmp;
	size_t i;

	for (i = 0; i < val->nset; i++) {
		c = form_find_choice(fq, val->set[i]);
		tmp = xasprintf(
		    "%s%s%s", s, i ? sep : "", c ? c->label : val->set[i]);
		free(s);
		s = tmp;
	}
	return s;
}

static char *
tui_answer_value(const struct visit *v, size_t q, const struct value *val,
    int64_t now, int whole)
{
	const struct form_question *fq = &v->form->questions[q];
	const struct form_choice *c;
	const char *nl;
	int64_t ms;

	if (fq->type == FORM_TIMER &&
	    (val != NULL || v->timers[q].running_since != 0)) {
		ms = visit_timer_ms(v, q, now);
		return xasprintf("%02lld:%02lld%s", (long long)(ms / 60000),
		    (long long)(ms / 1000 % 60),
		    v->timers[q].running_since ? _(" (running)") : "");
	}
	if (val == NULL)
		return xstrdup(fq->type == FORM_NOTE ? "" : "-");
	switch (val->kind) {
	case VALUE_BOOL:
		/* in the form's language, not the interface's */
		return xstrdup(form_yesno_label(v->form, val->b));
	case VALUE_NUMBER:
		if (fq->type == FORM_SCALE && fq->nlabels > 0 &&
		    val->n >= fq->min && val->n - fq->min < fq->nlabels)
			return xasprintf("%g %s", val->n,
			    fq->labels[(size_t)(val->n - fq->min)]);
		return xasprintf("%g%s%s", val->n, fq->unit ? " " : "",
		    fq->unit ? fq->unit : "");
	case VALUE_STRING:
		if (fq->type == FORM_CHOICE &&
		    (c = form_find_choice(fq, val->s)) != NULL)
			return xstrdup(c->label);
		/* the first line, marked when there is more */
		if (!whole && (nl = strchr(val->s, '\n')) != NULL)
			return xasprintf("%.*s%s", (int)(nl - val->s), val->s,
			    text_width_utf8() ? "\xe2\x80\xa6" : "~");
		return xstrdup(val->s);
	case VALUE_SET:
		return tui_answer_set(fq, val, whole ? "\n" : ", ");
	default:
		return xstrdup("-");
	}
}

/* The answer, or the default it suggests, marked. */
static char *
tui_answer(const struct visit *v, size_t q, int64_t now, int whole)
{
	const struct value *sug;
	char *text, *marked;

	if (visit_value(v, q) != NULL || (sug = visit_suggestion(v, q)) == NULL)
		return tui_answer_value(v, q, visit_value(v, q), now, whole);
	text = tui_answer_value(v, q, sug, now, whole);
	marked = xasprintf(_("%s (default)"), text);
	free(text);
	return marked;
}

char *
tui_answer_short(const struct visit *v, size_t q, int64_t now)
{
	return tui_answer(v, q, now, 0);
}

char *
tui_answer_full(const struct visit *v, size_t q, int64_t now)
{
	return tui_answer(v, q, now, 1);
}
