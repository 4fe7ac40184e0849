/*
 * One answer read back whole and read only: the question, its hint, every
 * line of the answer, the reason given for a soft check and the checks'
 * messages, scrolled when it is longer than the screen.  The review of a
 * finalized or received visit opens it, and v on the form.
 */
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/load.h"
#include "anfang/report.h"
#include "anfang/store-visit.h"
#include "anfang/text-width.h"
#include "anfang/tui-answer.h"
#include "anfang/tui.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

struct answer_line {
	char *text;
	int attr;
};

struct answer {
	char id[VISIT_ID_LEN + 1];
	size_t q;
	struct visit *v; /* NULL while locked */
	struct answer_line *lines;
	size_t nlines;
	size_t top;
};

static int
answer_load(struct tui *t, struct answer *a, char **cause)
{
	if (load_visit(tui_store(t), a->id, &a->v, cause) != 0)
		return -1;
	if (a->q >= a->v->form->nquestions) {
		*cause = xstrdup(_("no such question"));
		visit_free(a->v);
		a->v = NULL;
		return -1;
	}
	return 0;
}

static void *
answer_open(struct tui *t, void *arg, char **cause)
{
	const struct tui_answer_arg *aa = arg;
	struct answer *a = xcalloc(1, sizeof *a);

	snprintf(a->id, sizeof a->id, "%s", aa->id);
	a->q = aa->question;
	if (answer_load(t, a, cause) != 0) {
		free(a);
		return NULL;
	}
	return a;
}

static void
answer_free_lines(struct answer *a)
{
	size_t i;

	for (i = 0; i < a->nlines; i++)
		free(a->lines[i].text);
	free(a->lines);
	a->lines = NULL;
	a->nlines = 0;
}

static void
answer_close(void *state)
{
	struct answer *a = state;

	answer_free_lines(a);
	visit_free(a->v);
	free(a);
}

/* text wrapped to the screen, each line indented and drawn with attr */
static void
answer_add(struct answer *a, const char *text, const char *indent, int attr)
{
	char **lines;
	size_t n, i, w = text_width(indent);

	n = text_width_wrap(text, (size_t)COLS - 2 - w, &lines);
	a->lines = xreallocarray(a->lines, a->nlines + n, sizeof *a->lines);
	for (i = 0; i < n; i++) {
		a->lines[a->nlines].text = xasprintf("%s%s", indent, lines[i]);
		a->lines[a->nlines++].attr = attr;
		free(lines[i]);
	}
	free(lines);
}

static void
answer_build(struct answer *a)
{
	const struct form_question *q = &a->v->form->questions[a->q];
	char *s;

	answer_free_lines(a);
	s = xasprintf("%s%s", q->required ? "* " : "", q->label);
	answer_add(a, s, "", A_BOLD);
	free(s);
	if (q->hint != NULL)
		answer_add(a, q->hint, "", A_DIM);
	answer_add(a, "", "", 0);
	s = tui_answer_full(a->v, a->q, tui_now());
	answer_add(a, s, "  ", 0);
	free(s);
	if (a->v->reasons[a->q] != NULL) {
		answer_add(a, "", "", 0);
		s = xasprintf("%s %s", _("Reason:"), a->v->reasons[a->q]);
		answer_add(a, s, "", 0);
		free(s);
	}
	s = NULL;
	if (visit_alerts(a->v, a->q))
		s = xasprintf("! %s [%s]", q->alert_message,
		    report_severity_word(q->severity));
	else if (visit_constraint_fails(a->v, a->q))
		s = xasprintf("x %s", q->constraint_message);
	else if (visit_warns(a->v, a->q))
		s = xasprintf("? %s", q->warn_message);
	if (s != NULL) {
		answer_add(a, "", "", 0);
		answer_add(a, s, "", A_BOLD);
		free(s);
	}
}

static void
answer_draw(struct tui *t, void *state)
{
	struct answer *a = state;
	size_t rows = (size_t)(LINES - 4), i;
	int y;

	(void)t;
	if (a->v == NULL)
		return;
	answer_build(a); /* the width may have changed */
	if (a->nlines <= rows)
		a->top = 0;
	else if (a->top > a->nlines - rows)
		a->top = a->nlines - rows;
	for (i = a->top, y = 1; i < a->nlines && i < a->top + rows; i++, y++) {
		attron(a->lines[i].attr);
		tui_put(y, 1, a->lines[i].text, (size_t)COLS - 2, 0);
		attroff(a->lines[i].attr);
	}
	if (a->top + rows < a->nlines)
		tui_message(
		    t, _("%zu more line(s): Down"), a->nlines - a->top - rows);
}

static enum tui_action
answer_scroll(struct answer *a, long by)
{
	long to = (long)a->top + by;

	a->top = to < 0 ? 0 : (size_t)to; /* the draw keeps it in range */
	return TUI_DONE;
}

static enum tui_action
answer_down(struct tui *t, void *state)
{
	(void)t;
	return answer_scroll(state, 1);
}

static enum tui_action
answer_up(struct tui *t, void *state)
{
	(void)t;
	return answer_scroll(state, -1);
}

static enum tui_action
answer_pgdn(struct tui *t, void *state)
{
	(void)t;
	return answer_scroll(state, LINES - 5);
}

static enum tui_action
answer_pgup(struct tui *t, void *state)
{
	(void)t;
	return answer_scroll(state, -(LINES - 5));
}

static enum tui_action
answer_back(struct tui *t, void *state)
{
	(void)t;
	(void)state;
	return TUI_POP;
}

static void
answer_lock(struct tui *t, void *state)
{
	struct answer *a = state;

	(void)t;
	answer_free_lines(a);
	visit_free(a->v);
	a->v = NULL;
}

static int
answer_unlock(struct tui *t, void *state, char **cause)
{
	return answer_load(t, state, cause);
}

static const char *
answer_heading(struct tui *t, void *state)
{
	static char buf[256];
	struct answer *a = state;

	(void)t;
	if (a->v == NULL)
		return "";
	/* TRANSLATORS: a screen's heading: the form's title, then the
	   unit observed. */
	snprintf(buf, sizeof buf, _("answer: %s  |  %s"), a->v->form->title,
	    a->v->unit_name);
	return buf;
}

static const struct tui_key answer_keys[] = {
	{ KEY_DOWN, 'j', NULL, N_("scroll down"), answer_down },
	{ KEY_UP, 'k', NULL, N_("scroll up"), answer_up },
	{ KEY_NPAGE, ' ', NULL, N_("a page down"), answer_pgdn },
	{ KEY_PPAGE, 0, NULL, N_("a page up"), answer_pgup },
	{ '\r', TUI_ESC, NULL, N_("back"), answer_back },
	{ 0, 0, NULL, NULL, NULL },
};

const struct screen screen_answer = {
	.title = N_("an answer, read only"),
	.keys = answer_keys,
	.open = answer_open,
	.close = answer_close,
	.draw = answer_draw,
	.lock = answer_lock,
	.unlock = answer_unlock,
	.heading = answer_heading,
};
