/*
 * Review: what stops finalizing (unanswered required questions, failing
 * constraints, soft checks without a reason, running stopwatches), the
 * alerts and the score; Enter jumps to a question; f finalizes.  A visit
 * that is no longer a draft is read here: its answers, each opened whole.
 */
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/change.h"
#include "anfang/load.h"
#include "anfang/report.h"
#include "anfang/store-visit.h"
#include "anfang/tui-answer.h"
#include "anfang/tui.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

struct review_line {
	size_t question;
	char *text;
};

struct review {
	char id[VISIT_ID_LEN + 1];
	struct visit *v;
	long *jump; /* NULL: read only */
	struct review_line *lines;
	size_t nlines;
	size_t nproblems; /* the first lines are the problems */
	size_t cur;
	size_t top;
};

static void
review_free_lines(struct review *r)
{
	size_t i;

	for (i = 0; i < r->nlines; i++)
		free(r->lines[i].text);
	free(r->lines);
	r->lines = NULL;
	r->nlines = 0;
}

static void
review_add(struct review *r, size_t q, char *text)
{
	r->lines = xreallocarray(r->lines, r->nlines + 1, sizeof *r->lines);
	r->lines[r->nlines].question = q;
	r->lines[r->nlines++].text = text;
}

/* A problem in words, the question by its label. Caller frees. */
static char *
review_problem(const struct visit *v, const struct visit_problem *p)
{
	const struct form_question *q = &v->form->questions[p->question];

	switch (p->kind) {
	case VISIT_MISSING:
		return xasprintf(
		    "%s: %s", q->label, _("required, not answered"));
	case VISIT_CONSTRAINT:
		return xasprintf("x %s: %s", q->label, q->constraint_message);
	case VISIT_NEEDS_REASON:
		return xasprintf("? %s: %s (%s)", q->label, q->warn_message,
		    _("give a reason"));
	case VISIT_TIMER_RUNNING:
		return xasprintf(
		    "%s: %s", q->label, _("the stopwatch is still running"));
	}
	return xstrdup(q->label);
}

static void
review_collect(struct review *r)
{
	const struct form *f = r->v->form;
	const struct form_question *q;
	struct visit_problem *p;
	size_t n, i;
	char *a;
	int sev;

	review_free_lines(r);
	n = visit_problems(r->v, &p);
	for (i = 0; i < n; i++)
		review_add(r, p[i].question, review_problem(r->v, &p[i]));
	free(p);
	r->nproblems = n;
	/* the most severe alerts first, in the form's order within each */
	for (sev = FORM_SEVERITY_HIGH; sev >= FORM_SEVERITY_LOW; sev--) {
		for (i = 0; i < f->nquestions; i++) {
			q = &f->questions[i];
			if ((int)q->severity == sev && visit_alerts(r->v, i))
				review_add(r, i,
				    xasprintf("! [%s] %s: %s",
				        report_severity_word(q->severity),
				        q->label, q->alert_message));
		}
	}
	for (i = 0; i < f->nquestions; i++) {
		q = &f->questions[i];
		if (visit_alerts(r->v, i) &&
		    (q->severity < FORM_SEVERITY_LOW ||
		        q->severity > FORM_SEVERITY_HIGH))
			review_add(r, i,
			    xasprintf("! %s: %s", q->label, q->alert_message));
	}
	for (i = 0; i < f->nquestions; i++) {
		q = &f->questions[i];
		if (visit_warns(r->v, i) && r->v->reasons[i] != NULL)
			review_add(r, i,
			    xasprintf("? %s: %s; %s %s", q->label,
			        q->warn_message, _("reason:"),
			        r->v->reasons[i]));
	}
	/* A visit that is no longer a draft is read here: all its answers,
	 * each opened whole with Enter. */
	if (r->v->status != VISIT_DRAFT) {
		for (i = 0; i < f->nquestions; i++) {
			q = &f->questions[i];
			if (!visit_visible(r->v, i) || q->type == FORM_NOTE)
				continue;
			a = tui_answer_short(r->v, i, tui_now());
			review_add(r, i, xasprintf("  %s: %s", q->label, a));
			free(a);
		}
	}
	if (r->cur >= r->nlines)
		r->cur = r->nlines ? r->nlines - 1 : 0;
}

static int
review_load(struct tui *t, struct review *r, char **cause)
{
	if (load_visit(tui_store(t), r->id, &r->v, cause) != 0)
		return -1;
	review_collect(r);
	return 0;
}

static void *
review_open(struct tui *t, void *arg, char **cause)
{
	struct review *r = xcalloc(1, sizeof *r);
	const struct tui_review_arg *a = arg;

	r->jump = a->jump;
	snprintf(r->id, sizeof r->id, "%s", a->id);
	if (review_load(t, r, cause) != 0) {
		free(r);
		return NULL;
	}
	return r;
}

static void
review_close(void *state)
{
	struct review *r = state;

	review_free_lines(r);
	visit_free(r->v);
	free(r);
}

static void
review_draw(struct tui *t, void *state)
{
	struct review *r = state;
	size_t answered, visible, i;
	int y, rows = LINES - 7;
	char *line;

	(void)t;
	if (r->v == NULL)
		return;
	visit_progress(r->v, &answered, &visible);
	line = xasprintf(_("%s  answered %zu of %zu  score %g  alerts %zu"),
	    visit_status_label(r->v->status), answered, visible,
	    visit_score(r->v), visit_alert_count(r->v));
	tui_put(1, 1, line, (size_t)COLS - 2, 0);
	free(line);
	if (r->v->status == VISIT_RECEIVED)
		tui_put(2, 1, _("received from an inspector: read only"),
		    (size_t)COLS - 2, 0);
	else if (r->v->status != VISIT_DRAFT)
		tui_put(2, 1,
		    _("finalized: read only (amend from the command "
		      "line)"),
		    (size_t)COLS - 2, 0);
	else if (r->nproblems == 0)
		tui_put(2, 1, _("ready: f finalizes the visit"),
		    (size_t)COLS - 2, 0);
	else {
		line = xasprintf(
		    _("%zu to settle before finalizing:"), r->nproblems);
		tui_put(2, 1, line, (size_t)COLS - 2, 0);
		free(line);
	}
	if (r->cur < r->top)
		r->top = r->cur;
	if (r->cur >= r->top + (size_t)rows)
		r->top = r->cur - (size_t)rows + 1;
	for (i = r->top, y = 4; i < r->nlines && y < 4 + rows; i++, y++) {
		if (i == r->cur)
			attron(A_REVERSE);
		tui_put(y, 0, i == r->cur ? ">" : " ", 1, 0);
		tui_put(y, 2, r->lines[i].text, (size_t)COLS - 2, 1);
		if (i == r->cur)
			attroff(A_REVERSE);
	}
}

static enum tui_action
review_down(struct tui *t, void *state)
{
	struct review *r = state;

	(void)t;
	if (r->cur + 1 < r->nlines)
		r->cur++;
	return TUI_DONE;
}

static enum tui_action
review_up(struct tui *t, void *state)
{
	struct review *r = state;

	(void)t;
	if (r->cur > 0)
		r->cur--;
	return TUI_DONE;
}

static enum tui_action
review_jump(struct tui *t, void *state)
{
	struct review *r = state;

	(void)t;
	if (r->jump == NULL || r->nlines == 0)
		return TUI_DONE;
	*r->jump = (long)r->lines[r->cur].question;
	return TUI_POP;
}

/* Enter where there is no form to go back to: the answer, read only. */
static enum tui_action
review_open_answer(struct tui *t, void *state)
{
	struct review *r = state;
	struct tui_answer_arg arg;

	if (r->v == NULL || r->nlines == 0)
		return TUI_DONE;
	arg.id = r->id;
	arg.question = r->lines[r->cur].question;
	tui_push(t, &screen_answer, &arg);
	return TUI_DONE;
}

static enum tui_action
review_finalize(struct tui *t, void *state)
{
	struct review *r = state;
	char *cause = NULL;

	if (r->v->status != VISIT_DRAFT) {
		tui_message(t, _("only a draft is finalized; this visit is %s"),
		    visit_status_label(r->v->status));
		return TUI_DONE;
	}
	if (r->nproblems > 0) {
		tui_message(t, "%s", _("settle the listed problems first"));
		return TUI_DONE;
	}
	if (!tui_confirm(t,
	        _("Finalize? It cannot be changed afterwards, only amended."),
	        review_finalize, state))
		return TUI_DONE;
	if (change_finalize(tui_store(t), r->v, tui_now(), &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		return TUI_DONE;
	}
	tui_message(t, "%s", _("visit finalized"));
	tui_pop_to(t, &screen_visits);
	return TUI_DONE;
}

static void
review_lock(struct tui *t, void *state)
{
	struct review *r = state;

	(void)t;
	review_free_lines(r);
	visit_free(r->v);
	r->v = NULL;
}

static int
review_unlock(struct tui *t, void *state, char **cause)
{
	return review_load(t, state, cause);
}

static const char *
review_heading(struct tui *t, void *state)
{
	static char buf[256];
	struct review *r = state;

	(void)t;
	if (r->v == NULL)
		return "";
	/* TRANSLATORS: a screen's heading: the form's title, then the
	   unit observed. */
	snprintf(buf, sizeof buf, _("review: %s  |  %s"), r->v->form->title,
	    r->v->unit_name);
	return buf;
}

static int
review_is_draft(const struct review *r)
{
	return r->v != NULL && r->v->status == VISIT_DRAFT;
}

static int
review_offers(void *state, const struct tui_key *k)
{
	struct review *r = state;

	if (k->fn == review_jump)
		return review_is_draft(r) && r->jump != NULL;
	if (k->fn == review_open_answer)
		return !review_is_draft(r) || r->jump == NULL;
	/* f is offered on a draft; elsewhere it only says why not */
	if (k->fn == review_finalize)
		return review_is_draft(r) == (k->label != NULL);
	return 1;
}

static const struct tui_key review_keys[] = {
	{ '\r', 0, N_("go to"), N_("go to that question"), review_jump },
	{ '\r', 0, N_("open"), N_("read that answer whole"),
	    review_open_answer },
	{ 'f', 0, N_("finalize"), N_("finalize the visit (asks first)"),
	    review_finalize },
	{ 'f', 0, NULL, NULL, review_finalize },
	{ KEY_DOWN, 'j', NULL, N_("next line"), review_down },
	{ KEY_UP, 'k', NULL, N_("previous line"), review_up },
	{ 0, 0, NULL, NULL, NULL },
};

const struct screen screen_review = {
	.title = N_("review and finalize"),
	.keys = review_keys,
	.open = review_open,
	.close = review_close,
	.draw = review_draw,
	.lock = review_lock,
	.unlock = review_unlock,
	.heading = review_heading,
	.offers = review_offers,
};
