/*
 * The visits behind one entry of a report's ranking: those of a unit,
 * division, person or inspector in the report's period, in order of when
 * they took place, read through the same report source as the report
 * (filtered here by the entry's key); Enter reads one, read only, on the
 * review screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/diag.h"
#include "anfang/report.h"
#include "anfang/store-report.h"
#include "anfang/text-width.h"
#include "anfang/tui.h"
#include "anfang/xmalloc.h"

/* More would only slow the screen: a period of one entry is far less. */
#define RV_MAX 20000

struct rv_row {
	char *id;
	int64_t took; /* local ms */
	int has_score;
	double score; /* per cent */
	size_t alerts;
	char *who; /* unit / division / person, inspector */
};

struct rv {
	char *family;
	struct report_period period;
	enum report_by by;
	char *key;
	char *unit_id;
	char *name;
	struct rv_row *rows; /* NULL while locked */
	size_t nrows;
	int more; /* rows left out past RV_MAX */
	size_t cur;
	size_t top;
	int stale;
};

static int
rv_same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Whether the visit is one of the entry's, as report.c keys it. */
static int
rv_matches(const struct rv *r, const struct report_visit *v)
{
	switch (r->by) {
	case REPORT_BY_UNIT:
		return rv_same(v->unit_id, r->key);
	case REPORT_BY_DIVISION:
		return rv_same(v->division, r->key) &&
		       rv_same(v->unit_id, r->unit_id);
	case REPORT_BY_PERSON:
		return rv_same(v->person, r->key) &&
		       rv_same(v->unit_id, r->unit_id);
	default:
		return rv_same(v->inspector, r->key);
	}
}

static int
rv_add(void *arg, const struct report_visit *v)
{
	struct rv *r = arg;
	struct rv_row *w;
	char *where;

	if (!rv_matches(r, v))
		return 0;
	if (r->nrows == RV_MAX) {
		r->more = 1;
		return 0;
	}
	if ((r->nrows & (r->nrows - 1)) == 0)
		r->rows = xreallocarray(
		    r->rows, r->nrows ? r->nrows * 2 : 16, sizeof *r->rows);
	w = &r->rows[r->nrows++];
	w->id = xstrdup(v->id);
	w->took = v->took + (int64_t)v->took_offset * 60000;
	w->has_score = v->score_max > 0;
	w->score = w->has_score ? v->score / v->score_max * 100 : 0;
	w->alerts = v->nalerts;
	where = report_where(v->unit_name, v->division, v->person);
	w->who = xasprintf("%s  %s", where, v->inspector ? v->inspector : "");
	free(where);
	return 0;
}

static void
rv_free_rows(struct rv *r)
{
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].id);
		free(r->rows[i].who);
	}
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
}

static int
rv_load(struct tui *t, struct rv *r, char **cause)
{
	struct report_source *src;
	int rc;

	rv_free_rows(r);
	r->more = 0;
	if ((src = store_report_source(tui_store(t), cause)) == NULL)
		return -1;
	rc = src->each(
	    src, r->family, r->period.from, r->period.to, 0, rv_add, r, cause);
	src->free(src);
	r->stale = 0;
	if (r->cur >= r->nrows)
		r->cur = r->nrows ? r->nrows - 1 : 0;
	return rc == 0 ? 0 : -1;
}

static void
rv_close(void *state)
{
	struct rv *r = state;

	rv_free_rows(r);
	free(r->family);
	free(r->key);
	free(r->unit_id);
	free(r->name);
	free(r);
}

static void *
rv_open(struct tui *t, void *arg, char **cause)
{
	const struct tui_report_visits_arg *a = arg;
	struct rv *r = xcalloc(1, sizeof *r);

	r->family = xstrdup(a->family);
	r->period = a->period;
	r->by = a->by;
	r->key = xstrdup(a->key);
	r->unit_id = a->unit_id ? xstrdup(a->unit_id) : NULL;
	r->name = xstrdup(a->name);
	if (rv_load(t, r, cause) != 0) {
		rv_close(r);
		return NULL;
	}
	return r;
}

static void
rv_draw(struct tui *t, void *state)
{
	struct rv *r = state;
	const struct rv_row *w;
	char when[REPORT_MINUTE_LEN], score[16], *who, *v, *line;
	int rows = LINES - 5, y;
	size_t i;

	if (r->stale) {
		char *cause = NULL;

		if (rv_load(t, r, &cause) != 0) {
			tui_message(t, "%s", cause);
			free(cause);
		}
	}
	if (r->nrows == 0) {
		tui_put(2, 2, _("No visits of it in this period."),
		    (size_t)COLS - 4, 0);
		return;
	}
	line = xasprintf(_("%zu visit(s)%s; Enter reads one"), r->nrows,
	    r->more ? _(" (the first only)") : "");
	tui_put(1, 1, line, (size_t)COLS - 2, 0);
	free(line);
	line = xasprintf("  %-10s %-5s %6s %3s  %s", _("date"), _("time"),
	    _("score"), _("!"), _("unit / division / person  inspector"));
	attron(A_BOLD);
	tui_put(2, 0, line, (size_t)COLS, 0);
	attroff(A_BOLD);
	free(line);
	if (r->cur < r->top)
		r->top = r->cur;
	if (r->cur >= r->top + (size_t)rows)
		r->top = r->cur - (size_t)rows + 1;
	for (i = r->top, y = 3; i < r->nrows && y < 3 + rows; i++, y++) {
		w = &r->rows[i];
		report_minute(w->took, when, sizeof when);
		if (w->has_score)
			snprintf(score, sizeof score, "%.1f%%", w->score);
		else
			snprintf(score, sizeof score, "-");
		v = diag_visible(w->who, 0);
		who = text_width_cell(v, (size_t)COLS, 0, 1);
		line = xasprintf("%s %s %6s %3zu  %s", i == r->cur ? ">" : " ",
		    when, score, w->alerts, who);
		tui_put(y, 0, line, (size_t)COLS, 1);
		if (i == r->cur) {
			attron(A_REVERSE);
			tui_put(y, 0, ">", 1, 0);
			attroff(A_REVERSE);
		}
		free(v);
		free(who);
		free(line);
	}
}

static enum tui_action
rv_move(struct rv *r, long by)
{
	long to = (long)r->cur + by;

	if (to >= (long)r->nrows)
		to = (long)r->nrows - 1;
	if (to < 0)
		to = 0;
	r->cur = (size_t)to;
	return TUI_DONE;
}

static enum tui_action
rv_down(struct tui *t, void *state)
{
	(void)t;
	return rv_move(state, 1);
}

static enum tui_action
rv_up(struct tui *t, void *state)
{
	(void)t;
	return rv_move(state, -1);
}

static enum tui_action
rv_pgdn(struct tui *t, void *state)
{
	(void)t;
	return rv_move(state, LINES - 6);
}

static enum tui_action
rv_pgup(struct tui *t, void *state)
{
	(void)t;
	return rv_move(state, -(LINES - 6));
}

static enum tui_action
rv_enter(struct tui *t, void *state)
{
	struct rv *r = state;
	struct tui_review_arg arg = { NULL, NULL };

	if (r->nrows == 0)
		return TUI_DONE;
	arg.id = r->rows[r->cur].id;
	tui_push(t, &screen_review, &arg);
	return TUI_DONE;
}

static void
rv_lock(struct tui *t, void *state)
{
	struct rv *r = state;

	(void)t;
	rv_free_rows(r);
	r->stale = 1;
}

static int
rv_unlock(struct tui *t, void *state, char **cause)
{
	(void)t;
	(void)cause;
	((struct rv *)state)->stale = 1;
	return 0;
}

static const char *
rv_heading(struct tui *t, void *state)
{
	static char buf[256];
	struct rv *r = state;
	char label[REPORT_LABEL_LEN], *name, *v;

	(void)t;
	report_period_label(&r->period, label, sizeof label);
	v = diag_visible(r->name, 0);
	name = text_width_cell(v, 40, 0, 1);
	/* TRANSLATORS: a screen's heading: a ranked unit, division,
	   person or inspector, then the period. */
	snprintf(buf, sizeof buf, _("visits of: %s  |  %s"), name, label);
	free(v);
	free(name);
	return buf;
}

static const struct tui_key rv_keys[] = {
	{ '\r', 0, N_("read"), N_("read that visit's answers"), rv_enter },
	{ KEY_DOWN, 'j', NULL, N_("next visit"), rv_down },
	{ KEY_UP, 'k', NULL, N_("previous visit"), rv_up },
	{ KEY_NPAGE, 0, NULL, N_("a page down"), rv_pgdn },
	{ KEY_PPAGE, 0, NULL, N_("a page up"), rv_pgup },
	{ 0, 0, NULL, NULL, NULL },
};

const struct screen screen_report_visits = {
	.title = N_("visits of a ranked entry"),
	.keys = rv_keys,
	.open = rv_open,
	.close = rv_close,
	.draw = rv_draw,
	.lock = rv_lock,
	.unlock = rv_unlock,
	.heading = rv_heading,
};
