/*
 * The report on screen: the headline of one period of the form family most
 * recently visited, its rankings (unit, division, person, inspector) worst
 * first with bars, and its alert queue; the period before or after; Enter
 * lists a ranked entry's visits (screen-report-visits.c) or opens an
 * alert's visit.  Everything shown comes from the report model
 * (report.h), built once per period: nothing is recounted here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/clock.h"
#include "anfang/crypt-sign.h"
#include "anfang/diag.h"
#include "anfang/report.h"
#include "anfang/store-alert.h"
#include "anfang/store-key.h"
#include "anfang/store-report.h"
#include "anfang/store-watch.h"
#include "anfang/text-width.h"
#include "anfang/tui-edit.h"
#include "anfang/tui.h"
#include "anfang/xmalloc.h"

/* The views Tab goes through: the four rankings, then the alerts. */
#define REP_ALERTS REPORT_BY_N
#define REP_VIEWS  (REPORT_BY_N + 1)
/* Rows above the list: headline (2), views, column heads. */
#define REP_TOP 5
/* A note on how an alert was handled: a few sentences. */
#define REP_NOTE_MAX 500

struct rep {
	char *family; /* NULL until the first build */
	struct report_period period;
	int has_period;
	struct report *r; /* NULL while locked */
	int any;          /* the family's first and last visits */
	int64_t first;
	int64_t last;
	int view; /* enum report_by, or REP_ALERTS */
	size_t cur[REP_VIEWS];
	size_t top;
	long long version; /* the store's when built: others' changes */
	int stale;
	/* c or o asks for a note (1 closing, 2 reopening) for the alert of
	 * question on visit, named by id: the report may be rebuilt while
	 * the note is typed. */
	int noting;
	struct tui_edit note;
	char *note_visit;
	char *note_question;
};

static const char *const rep_view_names[REP_VIEWS] = {
	N_("unit"),
	N_("division"),
	N_("person"),
	N_("inspector"),
	N_("alerts"),
};

/* Local ms of now: the period when nothing is in the family yet. */
static int64_t
rep_local_now(void)
{
	int64_t now = tui_now();

	return now + (int64_t)clock_offset(now) * 60000;
}

/*
 * The report of p->period (the latest month with visits the first time)
 * over a source made for this build: the store is another one after each
 * unlock.
 */
static int
rep_build(struct tui *t, struct rep *p, char **cause)
{
	struct report_options o;
	struct report_source *src;
	struct report *r = NULL;
	enum report_result rc;
	size_t n;
	int v;

	if ((src = store_report_source(tui_store(t), cause)) == NULL)
		return -1;
	report_options_init(&o);
	o.form = p->family;
	o.language = report_locale_language();
	o.now = rep_local_now();
	if (p->has_period) {
		o.span_given = 1;
		o.span = p->period.span;
		o.has_from = 1;
		o.from = p->period.from;
	}
	if (store_watch_version(tui_store(t), &p->version, cause) != 0) {
		free(*cause);
		*cause = NULL;
		p->version = -1;
	}
	rc = report_build(src, &o, &r, cause);
	if (rc == REPORT_OK && r->family != NULL &&
	    src->span(src, r->family, &p->any, &p->first, &p->last, cause) != 0)
		rc = REPORT_ERROR;
	src->free(src);
	if (rc != REPORT_OK) {
		report_free(r);
		return -1;
	}
	if (p->family == NULL && r->family != NULL)
		p->family = xstrdup(r->family);
	p->period = r->headline.period;
	p->has_period = 1;
	report_free(p->r);
	p->r = r;
	p->stale = 0;
	/* fewer entries than before (another process changed the store) */
	for (v = 0; v < REP_VIEWS; v++) {
		n = v < REP_ALERTS
		        ? r->rankings[v].nranked + r->rankings[v].nunranked
		        : r->nalerts;
		if (p->cur[v] >= n)
			p->cur[v] = n ? n - 1 : 0;
	}
	return 0;
}

static void *
rep_open(struct tui *t, void *arg, char **cause)
{
	struct rep *p = xcalloc(1, sizeof *p);

	(void)arg;
	tui_edit_init(&p->note, "", 0, REP_NOTE_MAX, NULL);
	if (rep_build(t, p, cause) != 0)
		goto fail;
	if (p->family == NULL) {
		*cause = xstrdup(_("nothing to report: no visit has been "
		                   "finalized or received yet"));
		goto fail;
	}
	return p;
fail:
	tui_edit_free(&p->note);
	report_free(p->r);
	free(p->family);
	free(p);
	return NULL;
}

static void
rep_close(void *state)
{
	struct rep *p = state;

	tui_edit_free(&p->note);
	free(p->note_visit);
	free(p->note_question);
	report_free(p->r);
	free(p->family);
	free(p);
}

/* Rebuilt when another process changed the store (an import, a closed
 * alert), or after unlocking. */
static void
rep_fresh(struct tui *t, struct rep *p)
{
	long long version;
	char *cause = NULL;

	if (!p->stale && p->r != NULL &&
	    store_watch_version(tui_store(t), &version, &cause) == 0 &&
	    version != p->version)
		p->stale = 1;
	free(cause);
	cause = NULL;
	if (p->stale && rep_build(t, p, &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		p->stale = 0;
	}
}

/* Text from a batch: its controls made visible, fitted to cols. */
static char *
rep_cell(const char *s, size_t cols, int pad)
{
	char *v = diag_visible(s != NULL ? s : "", 0);
	char *c = text_width_cell(v, cols, pad, 1);

	free(v);
	return c;
}

/* A change as "+3", "-1" or "=". */
static void
rep_delta(char *buf, size_t len, long d)
{
	if (d == 0)
		snprintf(buf, len, "=");
	else
		snprintf(buf, len, "%+ld", d);
}

static const struct report_ranking *
rep_ranking(const struct rep *p)
{
	return p->view < REP_ALERTS ? &p->r->rankings[p->view] : NULL;
}

/* Items of the current view: ranked then unranked entries, or alerts. */
static size_t
rep_items(const struct rep *p)
{
	const struct report_ranking *k;

	if (p->r == NULL)
		return 0;
	if ((k = rep_ranking(p)) == NULL)
		return p->r->nalerts;
	return k->nranked + k->nunranked;
}

static const struct report_entry *
rep_entry(const struct rep *p, size_t i)
{
	const struct report_ranking *k = rep_ranking(p);

	if (k == NULL || i >= k->nranked + k->nunranked)
		return NULL;
	return i < k->nranked ? &k->ranked[i] : &k->unranked[i - k->nranked];
}

static void
rep_draw_headline(const struct rep *p)
{
	const struct report_headline *h = &p->r->headline;
	char label[REPORT_LABEL_LEN], dv[24], du[24], di[24], score[64];
	char *line;

	report_period_label(&h->period, label, sizeof label);
	rep_delta(dv, sizeof dv, h->d_visits);
	rep_delta(du, sizeof du, h->d_units);
	rep_delta(di, sizeof di, h->d_inspectors);
	if (h->has_previous)
		line = xasprintf(_("%s  visits %zu (%s)  units %zu (%s)  "
		                   "inspectors %zu (%s)"),
		    label, h->now.visits, dv, h->now.units, du,
		    h->now.inspectors, di);
	else
		line = xasprintf(_("%s  visits %zu  units %zu  inspectors %zu"),
		    label, h->now.visits, h->now.units, h->now.inspectors);
	tui_put(1, 1, line, (size_t)COLS - 2, 0);
	free(line);
	if (!h->now.has_score)
		snprintf(score, sizeof score, "%s", "-");
	else if (h->has_d_score)
		snprintf(score, sizeof score, _("%.1f%% (%+.1f points)"),
		    h->now.score, h->d_score);
	else
		snprintf(score, sizeof score, "%.1f%%", h->now.score);
	line = xasprintf(
	    _("score %s  alerts: high %zu, medium %zu, low %zu; %zu open"),
	    score, h->now.alerts.n[FORM_SEVERITY_HIGH],
	    h->now.alerts.n[FORM_SEVERITY_MEDIUM],
	    h->now.alerts.n[FORM_SEVERITY_LOW], h->now.alerts.open);
	tui_put(2, 1, line, (size_t)COLS - 2, 0);
	free(line);
}

/* The views, the current one reversed. */
static void
rep_draw_views(const struct rep *p)
{
	char buf[64];
	int v, x = 1;
	const char *name;

	for (v = 0; v < REP_VIEWS && x < COLS - 1; v++) {
		name = _(rep_view_names[v]);
		if (v == REP_ALERTS) {
			/* TRANSLATORS: the alert queue's tab, with how many
			   alerts the period has. */
			snprintf(
			    buf, sizeof buf, _("alerts (%zu)"), p->r->nalerts);
			name = buf;
		}
		if (v == p->view)
			attron(A_REVERSE);
		tui_put(3, x, name, (size_t)(COLS - 1 - x), 0);
		if (v == p->view)
			attroff(A_REVERSE);
		x += (int)text_width(name) + 2;
	}
}

/* Column widths of a ranking row for this terminal. */
struct rep_cols {
	size_t name;
	size_t bar;
};

static struct rep_cols
rep_layout(void)
{
	struct rep_cols c;
	/* ">" rank, visits, score, alerts h/m/l, move: 1+3+1 +1+6+1+6
	 * +1+8+1+4, and a blank before the bar */
	int fixed = 34, rest;

	c.bar = COLS >= 72 ? 16 : COLS >= 60 ? 8 : 0;
	rest = COLS - fixed - (int)c.bar - (c.bar ? 1 : 0);
	c.name = rest > 4 ? (size_t)rest : 4;
	return c;
}

/* "division / unit": a division or person belongs to its unit. */
static char *
rep_entry_name(const struct report_entry *e, size_t cols)
{
	char *s, *c;

	if (e->unit_name == NULL)
		return rep_cell(e->name, cols, 1);
	s = xasprintf("%s / %s", e->name, e->unit_name);
	c = rep_cell(s, cols, 1);
	free(s);
	return c;
}

static char *
rep_entry_line(const struct report_entry *e, struct rep_cols c, int here)
{
	struct report_cells cells;
	char *name, *bar, *pbar, *line;

	report_entry_cells(e, &cells);
	name = rep_entry_name(e, c.name);
	bar = text_width_bar(e->has_score ? e->score : 0, 100, c.bar);
	/* padded by columns: a block is 3 bytes and one column */
	pbar = text_width_cell(bar, c.bar, 1, 0);
	line = xasprintf("%s%3s %s %6s %6s %s%s%8s %s", here ? ">" : " ",
	    cells.rank, name, cells.visits, cells.score, pbar, c.bar ? " " : "",
	    cells.alerts, cells.move);
	free(name);
	free(bar);
	free(pbar);
	return line;
}

/* The row of item i (unranked ones come after a heading row). */
static size_t
rep_row_of(const struct rep *p, size_t i)
{
	const struct report_ranking *k = rep_ranking(p);

	return k != NULL && i >= k->nranked ? i + 1 : i;
}

static size_t
rep_rows(const struct rep *p)
{
	const struct report_ranking *k = rep_ranking(p);

	return rep_items(p) + (k != NULL && k->nunranked > 0 ? 1 : 0);
}

/* Scroll so that the current item is on one of n rows. */
static void
rep_scroll(struct rep *p, size_t n)
{
	size_t row;

	if (rep_items(p) == 0) {
		p->top = 0;
		return;
	}
	row = rep_row_of(p, p->cur[p->view]);
	if (row < p->top)
		p->top = row;
	if (row >= p->top + n)
		p->top = row - n + 1;
	/* the heading of the unranked ones with the first of them */
	if (p->top > 0 && rep_ranking(p) != NULL &&
	    p->top == rep_ranking(p)->nranked + 1 && row == p->top)
		p->top--;
}

/* The line under the list: what the current item says beyond its row. */
static void
rep_draw_foot(const struct rep *p)
{
	const struct report_ranking *k = rep_ranking(p);
	const struct report_entry *e = rep_entry(p, p->cur[p->view]);
	const struct report_alert_row *a;
	char *line = NULL, *next, day[16];
	size_t i;

	if (k != NULL && e != NULL && e->nfailed > 0) {
		line = xstrdup(_("most failed:"));
		for (i = 0; i < e->nfailed; i++) {
			next = xasprintf("%s%s %s (%zu)", line, i ? "," : "",
			    p->r->questions[e->failed[i].question].label,
			    e->failed[i].count);
			free(line);
			line = next;
		}
	} else if (k != NULL && k->without > 0 && p->view != REPORT_BY_UNIT) {
		line = xasprintf(p->view == REPORT_BY_DIVISION
		                     ? _("%zu visit(s) name no division")
		                 : p->view == REPORT_BY_PERSON
		                     ? _("%zu visit(s) name no person")
		                     : _("%zu visit(s) name no inspector"),
		    k->without);
	} else if (k == NULL && p->cur[REP_ALERTS] < p->r->nalerts) {
		a = &p->r->alerts[p->cur[REP_ALERTS]];
		if (a->state == REPORT_ALERT_CLOSED) {
			report_day(a->at + (int64_t)clock_offset(a->at) * 60000,
			    day, sizeof day);
			next = xasprintf(_("handled %s by %s: %s"), day,
			    a->by ? a->by : "?", a->note ? a->note : "");
		} else
			next = xasprintf(_("open; visit %s by %s"), a->visit_id,
			    a->inspector ? a->inspector : "?");
		line = rep_cell(next, (size_t)COLS - 2, 0);
		free(next);
	}
	if (line != NULL) {
		tui_put(LINES - 3, 1, line, (size_t)COLS - 2, 0);
		free(line);
	}
}

static void
rep_draw_ranking(struct rep *p, size_t rows)
{
	const struct report_ranking *k = rep_ranking(p);
	struct rep_cols c = rep_layout();
	char *line, *head, *pad, *vis, *sc, *hml;
	size_t i, row;
	int y;

	if (k->nranked + k->nunranked == 0) {
		tui_put(REP_TOP, 2, _("Nothing to rank in this period."),
		    (size_t)COLS - 4, 0);
		return;
	}
	/* the bar has no heading: its columns left blank; headings are
	 * aligned by columns, a translation's may be wide characters */
	head = text_width_cell(_("name"), c.name, 1, 0);
	pad = text_width_cell("", c.bar ? c.bar + 1 : 0, 1, 0);
	vis = text_width_right(_("visits"), 6);
	sc = text_width_right(_("score"), 6);
	hml = text_width_right(_("h/m/l"), 8);
	line = xasprintf(
	    " %3s %s %s %s %s%s %s", "#", head, vis, sc, pad, hml, _("move"));
	free(head);
	free(pad);
	free(vis);
	free(sc);
	free(hml);
	attron(A_BOLD);
	tui_put(REP_TOP - 1, 0, line, (size_t)COLS, 0);
	attroff(A_BOLD);
	free(line);
	for (row = p->top, y = REP_TOP;
	     row < rep_rows(p) && y < REP_TOP + (int)rows; row++, y++) {
		if (k->nunranked > 0 && row == k->nranked) {
			line =
			    xasprintf(_("fewer than %zu visits, not ranked:"),
			        p->r->options.min_visits);
			tui_put(y, 2, line, (size_t)COLS - 4, 0);
			free(line);
			continue;
		}
		i = k->nunranked > 0 && row > k->nranked ? row - 1 : row;
		line = rep_entry_line(rep_entry(p, i), c, i == p->cur[p->view]);
		tui_put(y, 0, line, (size_t)COLS, 1);
		if (i == p->cur[p->view]) {
			attron(A_REVERSE);
			tui_put(y, 0, ">", 1, 0);
			attroff(A_REVERSE);
		}
		free(line);
	}
}

/* "unit / division / person" of an alert. */
static char *
rep_alert_where(const struct report_alert_row *a, size_t cols)
{
	char *s = report_where(a->unit_name, a->division, a->person);
	char *c = rep_cell(s, cols, 1);

	free(s);
	return c;
}

static void
rep_draw_alerts(struct rep *p, size_t rows)
{
	const struct report_alert_row *a;
	char day[16], *where, *sev, *state, *line, *msg;
	size_t i, wcols = (size_t)COLS >= 70 ? 24 : 12;
	int y;

	if (p->r->nalerts == 0) {
		tui_put(REP_TOP, 2, _("No alert in this period."),
		    (size_t)COLS - 4, 0);
		return;
	}
	sev = text_width_cell(_("level"), 6, 1, 0);
	state = text_width_cell(_("state"), 6, 1, 0);
	msg = text_width_cell(_("date"), 10, 1, 0);
	where = text_width_cell(_("where"), wcols, 1, 0);
	line =
	    xasprintf(" %s %s %s %s %s", sev, state, msg, where, _("message"));
	attron(A_BOLD);
	tui_put(REP_TOP - 1, 0, line, (size_t)COLS, 0);
	attroff(A_BOLD);
	free(sev);
	free(state);
	free(msg);
	free(where);
	free(line);
	for (i = p->top, y = REP_TOP;
	     i < p->r->nalerts && y < REP_TOP + (int)rows; i++, y++) {
		a = &p->r->alerts[i];
		report_day(a->took, day, sizeof day);
		where = rep_alert_where(a, wcols);
		sev =
		    text_width_cell(report_severity_word(a->severity), 6, 1, 0);
		state = text_width_cell(a->state == REPORT_ALERT_OPEN
		                            ? C_("alert", "open")
		                            : _("closed"),
		    6, 1, 0);
		msg = rep_cell(a->message, (size_t)COLS, 0);
		line = xasprintf("%s %s %s %s %s %s",
		    i == p->cur[REP_ALERTS] ? ">" : " ", sev, state, day, where,
		    msg);
		tui_put(y, 0, line, (size_t)COLS, 1);
		if (i == p->cur[REP_ALERTS]) {
			attron(A_REVERSE);
			tui_put(y, 0, ">", 1, 0);
			attroff(A_REVERSE);
		}
		free(where);
		free(sev);
		free(state);
		free(msg);
		free(line);
	}
}

static void
rep_draw(struct tui *t, void *state)
{
	struct rep *p = state;
	size_t rows;

	rep_fresh(t, p);
	if (p->r == NULL)
		return;
	rep_draw_headline(p);
	rep_draw_views(p);
	if (p->r->headline.now.visits == 0) {
		tui_put(REP_TOP, 2,
		    _("No visits in this period: < and > go to another."),
		    (size_t)COLS - 4, 0);
		return;
	}
	rows = LINES - 3 - REP_TOP > 1 ? (size_t)(LINES - 3 - REP_TOP) : 1;
	rep_scroll(p, rows);
	if (p->view == REP_ALERTS)
		rep_draw_alerts(p, rows);
	else
		rep_draw_ranking(p, rows);
	if (p->noting) {
		const char *q =
		    p->noting == 1 ? _("Closed, how: ") : _("Reopened, why: ");
		int x = 1 + (int)text_width(q);

		tui_put(LINES - 3, 1, q, (size_t)COLS - 2, 0);
		tui_edit_draw(&p->note, LINES - 3, x, COLS - x - 1, 1, 1);
	} else
		rep_draw_foot(p);
}

static enum tui_action
rep_move(struct rep *p, long by)
{
	long n = (long)rep_items(p), to = (long)p->cur[p->view] + by;

	if (to >= n)
		to = n - 1;
	if (to < 0)
		to = 0;
	p->cur[p->view] = (size_t)to;
	return TUI_DONE;
}

static enum tui_action
rep_down(struct tui *t, void *state)
{
	(void)t;
	return rep_move(state, 1);
}

static enum tui_action
rep_up(struct tui *t, void *state)
{
	(void)t;
	return rep_move(state, -1);
}

static enum tui_action
rep_pgdn(struct tui *t, void *state)
{
	(void)t;
	return rep_move(state, LINES - 3 - REP_TOP);
}

static enum tui_action
rep_pgup(struct tui *t, void *state)
{
	(void)t;
	return rep_move(state, -(LINES - 3 - REP_TOP));
}

static void
rep_set_view(struct rep *p, int view)
{
	p->view = view;
	p->top = 0;
	rep_move(p, 0);
}

static enum tui_action
rep_next_view(struct tui *t, void *state)
{
	struct rep *p = state;

	(void)t;
	rep_set_view(p, (p->view + 1) % REP_VIEWS);
	return TUI_DONE;
}

static enum tui_action
rep_prev_view(struct tui *t, void *state)
{
	struct rep *p = state;

	(void)t;
	rep_set_view(p, (p->view + REP_VIEWS - 1) % REP_VIEWS);
	return TUI_DONE;
}

/* u, d, p, i, a: that view at once. */
static enum tui_action
rep_view_key(struct tui *t, void *state)
{
	static const char keys[] = "udpia";

	rep_set_view(state, (int)(strchr(keys, tui_pressed(t)) - keys));
	return TUI_DONE;
}

/* Another period: rebuilt, the cursors back at the worst. */
static void
rep_go(struct tui *t, struct rep *p, const struct report_period *to)
{
	struct report_period was = p->period;
	char *cause = NULL;

	p->period = *to;
	if (rep_build(t, p, &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		p->period = was;
		return;
	}
	memset(p->cur, 0, sizeof p->cur);
	p->top = 0;
}

static enum tui_action
rep_previous(struct tui *t, void *state)
{
	struct rep *p = state;
	struct report_period to;

	if (p->r == NULL || report_period_previous(&p->period, &to) != 0 ||
	    !p->any || to.to <= p->first) {
		tui_message(t, "%s", _("no visits before this period"));
		return TUI_DONE;
	}
	rep_go(t, p, &to);
	return TUI_DONE;
}

static enum tui_action
rep_next(struct tui *t, void *state)
{
	struct rep *p = state;
	struct report_period to;
	int64_t end = p->last > rep_local_now() ? p->last : rep_local_now();

	if (p->r == NULL || report_period_next(&p->period, &to) != 0 ||
	    to.from > end) {
		tui_message(t, "%s", _("this is the latest period"));
		return TUI_DONE;
	}
	rep_go(t, p, &to);
	return TUI_DONE;
}

/* m: month, quarter, year, month: the one holding the period's start, and
 * back to the month of its last visit (not an empty January). */
static enum tui_action
rep_span(struct tui *t, void *state)
{
	struct rep *p = state;
	struct report_period to;
	enum report_span s = p->period.span == REPORT_MONTH     ? REPORT_QUARTER
	                     : p->period.span == REPORT_QUARTER ? REPORT_YEAR
	                                                        : REPORT_MONTH;
	int64_t at = p->period.from;

	if (s == REPORT_MONTH)
		at = p->any && p->last < p->period.to ? p->last
		                                      : p->period.to - 1;
	report_period_of(s, at, &to);
	rep_go(t, p, &to);
	return TUI_DONE;
}

/* Enter on an entry: its visits in the period. */
static enum tui_action
rep_drill(struct tui *t, void *state)
{
	struct rep *p = state;
	const struct report_entry *e = rep_entry(p, p->cur[p->view]);
	struct tui_report_visits_arg arg;
	char *name;

	if (p->r == NULL || e == NULL || p->r->headline.now.visits == 0)
		return TUI_DONE;
	name = e->unit_name != NULL
	           ? xasprintf("%s / %s", e->name, e->unit_name)
	           : xstrdup(e->name);
	arg.family = p->family;
	arg.period = p->period;
	arg.by = (enum report_by)p->view;
	arg.key = e->key;
	arg.unit_id = e->unit_id;
	arg.name = name;
	tui_push(t, &screen_report_visits, &arg);
	free(name);
	return TUI_DONE;
}

/* Enter on an alert: its visit, read only. */
static enum tui_action
rep_open_alert(struct tui *t, void *state)
{
	struct rep *p = state;
	struct tui_review_arg arg = { NULL, NULL };

	if (p->r == NULL || p->cur[REP_ALERTS] >= p->r->nalerts)
		return TUI_DONE;
	arg.id = p->r->alerts[p->cur[REP_ALERTS]].visit_id;
	tui_push(t, &screen_review, &arg);
	return TUI_DONE;
}

/* The alert under the cursor, or NULL. */
static const struct report_alert_row *
rep_alert(const struct rep *p)
{
	if (p->r == NULL || p->view != REP_ALERTS ||
	    p->cur[REP_ALERTS] >= p->r->nalerts)
		return NULL;
	return &p->r->alerts[p->cur[REP_ALERTS]];
}

/* c and o: ask for the note, then handle the alert (rep_key). */
static enum tui_action
rep_ask_note(struct tui *t, void *state)
{
	struct rep *p = state;
	const struct report_alert_row *a = rep_alert(p);
	int closing = tui_pressed(t) == 'c';

	if (a == NULL)
		return TUI_DONE;
	if (closing != (a->state == REPORT_ALERT_OPEN)) {
		tui_message(t, "%s",
		    closing ? _("this alert is closed: o reopens it")
		            : _("this alert is open: c closes it"));
		return TUI_DONE;
	}
	free(p->note_visit);
	free(p->note_question);
	p->note_visit = xstrdup(a->visit_id);
	p->note_question = xstrdup(p->r->questions[a->question].id);
	tui_edit_set(&p->note, "");
	p->noting = closing ? 1 : 2;
	tui_message(t, "%s",
	    closing ? _("how it was handled (Enter closes the alert; Esc "
	                "cancels)")
	            : _("why it is open again (Enter reopens it; Esc "
	                "cancels)"));
	return TUI_DONE;
}

/* The note typed: the store closes or reopens the alert and keeps who,
 * when and how in the database's audit trail. */
static void
rep_handle(struct tui *t, struct rep *p)
{
	struct crypt_sign_key k;
	char keyid[17], *cause = NULL;
	int closing = p->noting == 1, rc;

	if (closing && p->note.buf[0] == '\0') {
		tui_message(
		    t, "%s", _("a note is needed: how was it handled?"));
		return;
	}
	p->noting = 0;
	if ((rc = store_key_get_sign(tui_store(t), &k, 0, &cause)) != 1) {
		tui_message(t, "%s",
		    rc == 0 ? _("this database has no signing key") : cause);
		free(cause);
		return;
	}
	crypt_sign_keyid_hex(keyid, k.keyid);
	rc = store_alert_handle(tui_store(t), p->note_visit, p->note_question,
	    closing, p->note.buf[0] != '\0' ? p->note.buf : NULL, keyid,
	    tui_now(), &cause);
	if (rc != 1) {
		tui_message(t, "%s", cause);
		free(cause);
	} else
		tui_message(
		    t, "%s", closing ? _("alert closed") : _("alert reopened"));
	tui_edit_set(&p->note, "");
	/* this connection's own change leaves the store's version alone */
	p->stale = 1;
}

static int
rep_typing(void *state)
{
	return ((struct rep *)state)->noting != 0;
}

static enum tui_action
rep_key(struct tui *t, void *state, int ch, int iskey)
{
	struct rep *p = state;

	if (!p->noting)
		return TUI_UNHANDLED;
	switch (tui_edit_key(&p->note, ch, iskey)) {
	case TUI_EDIT_DONE:
		rep_handle(t, p);
		break;
	case TUI_EDIT_CANCEL:
		p->noting = 0;
		tui_edit_set(&p->note, "");
		tui_message(t, "%s", _("cancelled: the alert is as it was"));
		break;
	default:
		break;
	}
	return TUI_DONE;
}

static int
rep_offers(void *state, const struct tui_key *k)
{
	struct rep *p = state;
	const struct report_alert_row *a;

	/* while a note is typed every key is the note's but the lock */
	if (p->noting)
		return 0;
	if (k->fn == rep_drill)
		return p->view != REP_ALERTS;
	if (k->fn == rep_open_alert)
		return p->view == REP_ALERTS;
	/* the bar offers c on an open alert and o on a closed one; the
	 * other only says why not */
	if (k->fn == rep_ask_note) {
		a = rep_alert(p);
		return a != NULL &&
		       ((k->key == 'c') == (a->state == REPORT_ALERT_OPEN)) ==
		           (k->label != NULL);
	}
	return 1;
}

/* Names from batches leave memory with the key. */
static void
rep_lock(struct tui *t, void *state)
{
	struct rep *p = state;

	(void)t;
	report_free(p->r);
	p->r = NULL;
	p->stale = 1;
	/* a note half typed is dropped, as the question it answered */
	p->noting = 0;
	tui_edit_set(&p->note, "");
}

static int
rep_unlock(struct tui *t, void *state, char **cause)
{
	(void)t;
	(void)cause;
	/* rebuilt when next drawn: the store is open again by then */
	((struct rep *)state)->stale = 1;
	return 0;
}

static const char *
rep_heading(struct tui *t, void *state)
{
	static char buf[256];
	struct rep *p = state;
	char label[REPORT_LABEL_LEN], *title;

	rep_fresh(t, p);
	if (p->r == NULL || p->r->form == NULL)
		return _("report");
	report_period_label(&p->period, label, sizeof label);
	title = rep_cell(p->r->form->title, 48, 0);
	/* TRANSLATORS: a screen's heading: the form's title, then the
	   period. */
	snprintf(buf, sizeof buf, _("report: %s  |  %s"), title, label);
	free(title);
	return buf;
}

static const struct tui_key rep_keys[] = {
	{ '\t', 0, N_("ranking"),
	    N_("the next view: by unit, division, person, inspector, the "
	       "alerts"),
	    rep_next_view },
	{ KEY_BTAB, 0, NULL, N_("the view before"), rep_prev_view },
	{ '<', KEY_LEFT, N_("previous"), N_("the period before"),
	    rep_previous },
	{ '>', KEY_RIGHT, N_("next"), N_("the period after"), rep_next },
	{ '\r', 0, N_("visits"), N_("the visits of that entry in the period"),
	    rep_drill },
	{ '\r', 0, N_("open"), N_("read that alert's visit"), rep_open_alert },
	{ 'c', 0, N_("close"),
	    N_("close that alert, with a note on how it was handled (kept "
	       "in the audit trail)"),
	    rep_ask_note },
	{ 'c', 0, NULL, NULL, rep_ask_note },
	{ 'o', 0, N_("reopen"), N_("reopen that alert, with a note"),
	    rep_ask_note },
	{ 'o', 0, NULL, NULL, rep_ask_note },
	{ 'u', 0, NULL, N_("ranked by unit"), rep_view_key },
	{ 'd', 0, NULL, N_("ranked by division"), rep_view_key },
	{ 'p', 0, NULL, N_("ranked by person"), rep_view_key },
	{ 'i', 0, NULL, N_("ranked by inspector"), rep_view_key },
	{ 'a', 0, NULL, N_("the alerts of the period, high first"),
	    rep_view_key },
	{ 'm', 0, NULL, N_("a month, a quarter, a year"), rep_span },
	{ KEY_DOWN, 'j', NULL, N_("next entry"), rep_down },
	{ KEY_UP, 'k', NULL, N_("previous entry"), rep_up },
	{ KEY_NPAGE, 0, NULL, N_("a page down"), rep_pgdn },
	{ KEY_PPAGE, 0, NULL, N_("a page up"), rep_pgup },
	{ 0, 0, NULL, NULL, NULL },
};

const struct screen screen_report = {
	.title = N_("report"),
	.keys = rep_keys,
	.open = rep_open,
	.close = rep_close,
	.draw = rep_draw,
	.key = rep_key,
	.typing = rep_typing,
	.lock = rep_lock,
	.unlock = rep_unlock,
	.heading = rep_heading,
	.offers = rep_offers,
};
