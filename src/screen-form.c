/*
 * Filling a form.  The list of visible questions, each with its answer,
 * fills the top; the current question's detail (what its row cuts, hint,
 * choices, editor, checks) the bottom.  Every answer is committed to the
 * store when it is given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/change.h"
#include "anfang/clock.h"
#include "anfang/form-expr.h"
#include "anfang/load.h"
#include "anfang/report.h"
#include "anfang/store-visit.h"
#include "anfang/text-width.h"
#include "anfang/tui-answer.h"
#include "anfang/tui-edit.h"
#include "anfang/tui.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

#define DETAIL_ROWS 9

enum form_mode {
	FORM_MODE_IDLE,
	FORM_MODE_EDIT,   /* number, text, date, time */
	FORM_MODE_REASON, /* the reason for a soft check */
	FORM_MODE_PICK,   /* a cursor in a choice or multi list */
};

struct formscr {
	char id[VISIT_ID_LEN + 1];
	struct visit *v; /* NULL while locked */
	size_t cur;      /* the current question */
	size_t top;      /* the first row of the list */
	enum form_mode mode;
	struct tui_edit edit;
	size_t pick;
	long jump; /* set by the review screen: go to this question */
};

static const struct form_question *
form_q(const struct formscr *s)
{
	return &s->v->form->questions[s->cur];
}

static int
form_load(struct tui *t, struct formscr *s, char **cause)
{
	if (load_visit(tui_store(t), s->id, &s->v, cause) != 0)
		return -1;
	if (s->cur >= s->v->form->nquestions)
		s->cur = 0;
	return 0;
}

/* The next visible question from q in direction dir, or q itself. */
static size_t
form_step(const struct formscr *s, size_t q, int dir)
{
	size_t n = s->v->form->nquestions, i = q;

	for (;;) {
		if (dir > 0 ? i + 1 >= n : i == 0)
			return q;
		i = dir > 0 ? i + 1 : i - 1;
		if (visit_visible(s->v, i))
			return i;
	}
}

static void *
form_open(struct tui *t, void *arg, char **cause)
{
	struct formscr *s = xcalloc(1, sizeof *s);

	snprintf(s->id, sizeof s->id, "%s", (const char *)arg);
	s->jump = -1;
	tui_edit_init(&s->edit, "", 0, 0, NULL);
	if (form_load(t, s, cause) != 0) {
		tui_edit_free(&s->edit);
		free(s);
		return NULL;
	}
	if (!visit_visible(s->v, s->cur))
		s->cur = form_step(s, s->cur, 1);
	return s;
}

static void
form_close(void *state)
{
	struct formscr *s = state;

	visit_free(s->v);
	tui_edit_free(&s->edit);
	free(s);
}

/*
 * The inspector leaves the current question having seen it: a default
 * shown there becomes its answer.  -1 (message shown) when that cannot be
 * stored; the cursor should then stay.
 */
static int
form_leave(struct tui *t, struct formscr *s)
{
	char *cause = NULL;

	if (change_keep_default(
	        tui_store(t), s->v, s->cur, tui_now(), &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* The fewest columns a row leaves its answer beside a long label: a time,
 * a yes or a count shows whole. */
#define FORM_ANSWER_MIN 6

/*
 * A row of the list, as drawn: after the marks, the label on the left and
 * the answer ending at the row's end.  The question's text comes first:
 * the answer has what the label leaves, but at least FORM_ANSWER_MIN
 * columns.  What a row cuts, the detail shows whole (form_draw_detail):
 * nothing is on screen twice, and a move redraws only what differs.
 */
struct form_row {
	char *label, *answer;
	int label_cut;
	int answer_cut; /* not all of it shown (said of the current row) */
};

static void
form_row(const struct formscr *s, size_t q, int64_t now, struct form_row *r)
{
	const struct form_question *fq = &s->v->form->questions[q];
	char *label = xasprintf("%s%s", fq->required ? "*" : " ", fq->label);
	char *ans = tui_answer_short(s->v, q, now), *whole;
	size_t avail = COLS > 8 ? (size_t)COLS - 3 : 5, lw, aw;

	lw = text_width(label);
	aw = text_width(ans);
	/* two blanks between them; a short answer keeps its own width (the
	 * least is a floor for long ones, not a width to pad to) */
	if (aw > 0 && lw + 2 + aw > avail) {
		size_t most = avail > lw + 2 + FORM_ANSWER_MIN ? avail - lw - 2
		              : FORM_ANSWER_MIN < avail / 2    ? FORM_ANSWER_MIN
		                                               : avail / 2;
		aw = aw < most ? aw : most;
	}
	r->label_cut = lw + (aw > 0 ? aw + 2 : 0) > avail;
	lw = avail - (aw > 0 ? aw + 2 : 0);
	r->label = text_width_cell(label, lw, 1, 1);
	r->answer = text_width_cell(ans, aw, 0, 1);
	r->answer_cut = 0;
	if (q == s->cur) {
		whole = tui_answer_full(s->v, q, now);
		r->answer_cut = strcmp(r->answer, whole) != 0;
		free(whole);
	}
	free(label);
	free(ans);
}

static void
form_row_free(struct form_row *r)
{
	free(r->label);
	free(r->answer);
}

static void
form_draw_list(struct tui *t, struct formscr *s, int y0, int rows)
{
	const struct form *f = s->v->form;
	size_t i, vis[4096], nvis = 0, at = 0, k, page = (size_t)rows;
	int64_t now = tui_now();
	struct form_row r;
	char *line;
	int y;

	(void)t;
	/* The visible questions around the current one. */
	for (i = 0; i < f->nquestions && nvis < 4096; i++) {
		if (!visit_visible(s->v, i))
			continue;
		if (i == s->cur)
			at = nvis;
		vis[nvis++] = i;
	}
	/* Past an end of the list, it turns a page, not a row (a row at a
	 * time re-sends a whole row every move); the row left stays in
	 * sight at the other end. */
	if (at < s->top)
		s->top = at + 2 > page ? at + 2 - page : 0;
	if (at >= s->top + page)
		s->top = at - 1;
	if (s->top + page > nvis)
		s->top = nvis > page ? nvis - page : 0;
	for (k = s->top, y = y0; k < nvis && y < y0 + rows; k++, y++) {
		form_row(s, vis[k], now, &r);
		line = xasprintf("%s%s %s%s%s", vis[k] == s->cur ? ">" : " ",
		    visit_alerts(s->v, vis[k])                            ? "!"
		    : visit_constraint_fails(s->v, vis[k])                ? "x"
		    : visit_warns(s->v, vis[k]) && !s->v->reasons[vis[k]] ? "?"
		                                                          : " ",
		    r.label, *r.answer ? "  " : "", r.answer);
		/* The current row is marked by its ">" alone: an attribute
		 * there would cost its changes twice a move. */
		tui_put(y, 0, line, (size_t)COLS, 0);
		form_row_free(&r);
		free(line);
	}
}

/*
 * The choices (or scale points) of q from row y in at most rows rows:
 * across the row in reading order, two blanks apart, as many as fit (a
 * row each when they are long), so that a short list takes one row that
 * a move sends at once; scrolled by rows to keep the one picked (or the
 * answer) in sight.  Radio marks for one choice, boxes for several.
 * Returns the rows used.
 */
static int
form_draw_choices(const struct formscr *s, int y, int rows)
{
	const struct form_question *q = form_q(s);
	const struct value *val = visit_value(s->v, s->cur);
	int multi = q->type == FORM_MULTI, chosen, k;
	size_t i, j, n, w, x, nr, avail, top = 0, *at;
	size_t focus = (size_t)-1;
	char **items, num[16], *line, *tmp;

	if (val == NULL) /* a default, shown pre-filled */
		val = visit_suggestion(s->v, s->cur);
	if (rows < 1)
		rows = 1;
	avail = COLS > 6 ? (size_t)COLS - 4 : 2;
	n = q->type == FORM_SCALE ? (size_t)(q->max - q->min + 1) : q->nchoices;
	items = xcalloc(n + 1, sizeof *items);
	at = xcalloc(n + 1, sizeof *at);
	for (i = 0, nr = 0, x = 0; i < n; i++) {
		if (q->type == FORM_SCALE) {
			k = (int)q->min + (int)i;
			chosen =
			    val && val->kind == VALUE_NUMBER && val->n == k;
			snprintf(num, sizeof num, "%d", k);
		} else {
			chosen =
			    val &&
			    (val->kind == VALUE_SET
			            ? value_set_has(val, q->choices[i].value)
			            : val->kind == VALUE_STRING &&
			                  strcmp(val->s, q->choices[i].value) ==
			                      0);
			snprintf(num, sizeof num, "%s",
			    i < 9 ? (char[]){ (char)('1' + i), 0 } : " ");
		}
		if (chosen && focus == (size_t)-1)
			focus = i;
		items[i] = xasprintf("%s%s %s%s%s",
		    s->mode == FORM_MODE_PICK && s->pick == i ? ">" : " ",
		    multi ? (chosen ? "[x]" : "[ ]") : (chosen ? "(*)" : "( )"),
		    num, q->type == FORM_SCALE && q->nlabels == 0 ? "" : " ",
		    q->type == FORM_SCALE ? (i < q->nlabels ? q->labels[i] : "")
		                          : q->choices[i].label);
		/* the row each one falls on */
		w = text_width(items[i]);
		if (x > 0 && x + w > avail) {
			nr++;
			x = 0;
		}
		at[i] = nr;
		x += w + 2;
	}
	nr = n > 0 ? nr + 1 : 0;
	if (s->mode == FORM_MODE_PICK)
		focus = s->pick;
	if (nr > (size_t)rows && focus != (size_t)-1 &&
	    at[focus] >= (size_t)rows)
		top = at[focus] - (size_t)rows + 1;
	for (i = 0; i < n; i = j) {
		line = xstrdup(items[i]);
		for (j = i + 1; j < n && at[j] == at[i]; j++) {
			tmp = xasprintf("%s  %s", line, items[j]);
			free(line);
			line = tmp;
		}
		if (at[i] >= top && at[i] < top + (size_t)rows)
			tui_put(y + (int)(at[i] - top), 2, line, avail, 0);
		free(line);
	}
	for (i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(at);
	/* more above or below: say so at the row's end */
	if (top > 0)
		tui_put(y, COLS - 2, text_width_utf8() ? "\xe2\x86\x91" : "^",
		    1, 0);
	if (top + (size_t)rows < nr)
		tui_put(y + rows - 1, COLS - 2,
		    text_width_utf8() ? "\xe2\x86\x93" : "v", 1, 0);
	return nr < (size_t)rows ? (int)nr : rows;
}

/*
 * text wrapped from row y, column x, in at most rows rows; when it takes
 * more, the last row shown ends in "…" (v reads it whole).  Returns the
 * rows used.
 */
static int
form_draw_text(int y, int x, const char *text, int rows, int attr)
{
	size_t cols = COLS > x + 1 ? (size_t)(COLS - x - 1) : 1, n, i;
	char **lines, *cut, *last;
	int used = 0;

	n = text_width_wrap(text, cols, &lines);
	attron(attr);
	for (i = 0; i < n; i++) {
		if ((int)i < rows - 1 || ((int)i == rows - 1 && i + 1 == n))
			tui_put(y + used++, x, lines[i], cols, 0);
		else if ((int)i == rows - 1) {
			cut = text_width_cell(lines[i], cols - 1, 0, 0);
			last = xasprintf("%s%s", cut,
			    text_width_utf8() ? "\xe2\x80\xa6" : "~");
			tui_put(y + used++, x, last, cols, 0);
			free(cut);
			free(last);
		}
		free(lines[i]);
	}
	attroff(attr);
	free(lines);
	return used;
}

static void
form_draw_detail(struct tui *t, struct formscr *s, int y)
{
	const struct form_question *q = form_q(s);
	char **lines, *label, *msg = NULL, *ans, *rule;
	const char *dash = text_width_utf8() ? "\xe2\x94\x80" : "-";
	struct form_row r;
	size_t n, i, dlen = strlen(dash);
	int row = y + 1, hl, last = LINES - 3, msg_rows = 0, left;
	int64_t now = tui_now();

	(void)t;
	rule = xmalloc((size_t)COLS * dlen + 1);
	for (i = 0; i < (size_t)COLS; i++)
		memcpy(rule + i * dlen, dash, dlen);
	rule[(size_t)COLS * dlen] = '\0';
	tui_put(y, 0, rule, (size_t)COLS, 0);
	free(rule);
	/* What the current row shows whole is not shown again: its label
	 * and its answer only when the row cuts them. */
	form_row(s, s->cur, now, &r);
	label = xasprintf("%s%s", q->required ? "* " : "", q->label);
	/* A note is text to read: it may take every row the pane has. */
	if (r.label_cut)
		row += form_draw_text(row, 1, label,
		    q->type == FORM_NOTE && last - row > 2 ? last - row : 2,
		    A_BOLD);
	free(label);
	/* (plain, like the rows: an attribute is sent with each change) */
	if (q->hint != NULL)
		row += form_draw_text(row, 1, q->hint, 1, 0);
	if (visit_alerts(s->v, s->cur))
		msg = xasprintf("! %s [%s]", q->alert_message,
		    report_severity_word(q->severity));
	else if (visit_constraint_fails(s->v, s->cur))
		msg = xasprintf("x %s", q->constraint_message);
	else if (visit_warns(s->v, s->cur))
		msg = xasprintf("? %s%s%s", q->warn_message,
		    s->v->reasons[s->cur] ? _("; reason: ") : _(" (w: reason)"),
		    s->v->reasons[s->cur] ? s->v->reasons[s->cur] : "");
	if (msg != NULL) {
		/* the message (and a reason) wrapped, in up to 3 rows */
		n = text_width_wrap(msg, (size_t)COLS - 2, &lines);
		msg_rows = n < 3 ? (int)n : 3;
		for (i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
	}
	switch (q->type) {
	case FORM_CHOICE:
	case FORM_MULTI:
	case FORM_SCALE:
		/* all the rows down to the editor's and the message's */
		left = last + 1 - row - (msg ? 1 : 0) -
		       (s->mode == FORM_MODE_REASON ? 1 : 0);
		row += form_draw_choices(s, row, left);
		break;
	default:
		break;
	}
	hl = s->mode == FORM_MODE_EDIT || s->mode == FORM_MODE_REASON;
	if (hl) {
		const char *p =
		    s->mode == FORM_MODE_REASON ? _("Reason: ") : "> ";

		tui_put(row, 1, p, 20, 0);
		tui_edit_draw(&s->edit, row, 1 + (int)text_width(p),
		    COLS - 2 - (int)text_width(p), s->edit.multiline ? 3 : 1,
		    1);
		row += s->edit.multiline ? 3 : 1;
	} else if (q->type != FORM_CHOICE && q->type != FORM_MULTI &&
	           q->type != FORM_SCALE && q->type != FORM_NOTE &&
	           r.answer_cut) {
		/* the whole answer, as far as the rows go */
		left = last + 1 - row - (msg ? 1 : 0);
		ans = tui_answer_full(s->v, s->cur, now);
		row += form_draw_text(row, 2, ans, left > 1 ? left : 1, 0);
		free(ans);
	}
	if (msg != NULL) {
		left = last + 1 - row;
		if (left > msg_rows)
			left = msg_rows;
		if (left > 0)
			form_draw_text(row, 1, msg, left, A_BOLD);
		free(msg);
	}
	form_row_free(&r);
}

static void
form_draw(struct tui *t, void *state)
{
	struct formscr *s = state;
	int detail = LINES - 3 - DETAIL_ROWS, list;

	if (s->v == NULL)
		return;
	if (s->jump >= 0 && (size_t)s->jump < s->v->form->nquestions) {
		s->cur = (size_t)s->jump;
		s->jump = -1;
	}
	if (!visit_visible(s->v, s->cur)) {
		size_t next = form_step(s, s->cur, 1);

		s->cur = next != s->cur ? next : form_step(s, s->cur, -1);
	}
	if (detail < 3)
		detail = 3;
	list = detail - 1;
	tui_put(1, 0, s->v->form->sections[form_q(s)->section].title,
	    (size_t)COLS, 0);
	form_draw_list(t, s, 2, list - 1);
	form_draw_detail(t, s, detail);
}

static const char *
form_heading(struct tui *t, void *state)
{
	static char buf[1024];
	struct formscr *s = state;
	size_t answered, visible;
	char right[128], *title, *unit;
	int avail, tw, uw, umin;

	(void)t;
	if (s->v == NULL)
		return "";
	visit_progress(s->v, &answered, &visible);
	snprintf(right, sizeof right, "  |  %zu/%zu  %s", answered, visible,
	    visit_alert_count(s->v) ? _("alerts!") : "");
	/* "anfang  " comes first; N/M and the alert flag always show: the
	 * unit's name is cut first (down to a few columns), then the title */
	avail = COLS - 8 - (int)text_width(right);
	tw = (int)text_width(s->v->form->title);
	uw = (int)text_width(s->v->unit_name);
	umin = uw < 12 ? uw : 12;
	if (tw + 5 + uw > avail) {
		uw = avail - tw - 5 > umin ? avail - tw - 5 : umin;
		if (tw + 5 + uw > avail)
			tw = avail - 5 - uw > 4 ? avail - 5 - uw : 4;
	}
	title = text_width_cell(s->v->form->title, (size_t)tw, 0, 1);
	unit = text_width_cell(s->v->unit_name, (size_t)uw, 0, 1);
	snprintf(buf, sizeof buf, "%s  |  %s%s", title, unit, right);
	free(title);
	free(unit);
	return buf;
}

static int
form_typing(void *state)
{
	struct formscr *s = state;

	/* picking takes its keys from the table, not as text */
	return s->mode == FORM_MODE_EDIT || s->mode == FORM_MODE_REASON;
}

/* Commit the current question's answer (NULL clears). */
static int
form_commit_typed(struct tui *t, struct formscr *s, const struct value *val,
    const char *typed)
{
	char *cause = NULL;

	if (change_answer_typed(tui_store(t), s->v, s->cur, val, typed,
	        tui_now(), &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
form_commit(struct tui *t, struct formscr *s, const struct value *val)
{
	return form_commit_typed(t, s, val, NULL);
}

/* After an answer: ask for a reason if a soft check fires, else go on. */
static void
form_after(struct tui *t, struct formscr *s, int advance)
{
	if (visit_warns(s->v, s->cur) && s->v->reasons[s->cur] == NULL) {
		s->mode = FORM_MODE_REASON;
		tui_edit_free(&s->edit);
		tui_edit_init(&s->edit, "", 0, 500, NULL);
		tui_message(t, "%s", form_q(s)->warn_message);
		return;
	}
	if (visit_constraint_fails(s->v, s->cur)) {
		tui_message(t, "%s", form_q(s)->constraint_message);
		return;
	}
	if (visit_alerts(s->v, s->cur))
		tui_message(t, "%s", form_q(s)->alert_message);
	if (advance)
		s->cur = form_step(s, s->cur, 1);
}

/* What the number, date and time editors take (and full-width forms). */
#define FORM_NUMBER_KEYS "0123456789.-"
#define FORM_DATE_KEYS   "0123456789-"
#define FORM_TIME_KEYS   "0123456789:"

static void
form_start_edit(struct formscr *s, const char *initial)
{
	const struct form_question *q = form_q(s);
	const struct value *val = visit_value(s->v, s->cur);
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;
	char *text = NULL;

	if (val == NULL) /* the editor opens on the default */
		val = visit_suggestion(s->v, s->cur);
	localtime_r(&now, &tm);
	if (initial != NULL)
		text = xstrdup(initial);
	else if (val != NULL && val->kind == VALUE_STRING)
		text = xstrdup(val->s);
	else if (val != NULL)
		text = value_format(val);
	else if (q->type == FORM_DATE) {
		strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
		text = xstrdup(buf);
	} else if (q->type == FORM_TIME) {
		strftime(buf, sizeof buf, "%H:%M", &tm);
		text = xstrdup(buf);
	} else
		text = xstrdup("");
	tui_edit_free(&s->edit);
	tui_edit_init(&s->edit, text, q->type == FORM_TEXT && q->lines > 1,
	    q->type == FORM_TEXT ? q->max_length : 32,
	    q->type == FORM_NUMBER  ? FORM_NUMBER_KEYS
	    : q->type == FORM_TIMER ? "0123456789:."
	    : q->type == FORM_DATE  ? FORM_DATE_KEYS
	    : q->type == FORM_TIME  ? FORM_TIME_KEYS
	                            : NULL);
	/* A number, date or time shown (now, or the saved answer) is a
	 * suggestion: Enter keeps it, typing replaces it. */
	if (initial == NULL && q->type != FORM_TEXT)
		tui_edit_select(&s->edit);
	free(text);
	s->mode = FORM_MODE_EDIT;
}

/* A stopwatch's time typed as m:ss or as minutes (a point allowed):
 * whole seconds, or -1. */
static double
form_duration(const char *text)
{
	char *end;
	double m, sec = 0;

	if (*text < '0' || *text > '9')
		return -1;
	m = strtod(text, &end);
	if (*end == ':') {
		if (m != (long)m || end[1] < '0' || end[1] > '9')
			return -1;
		sec = strtod(end + 1, &end);
		if (sec >= 60 || sec != (long)sec)
			return -1;
	}
	if (*end != '\0' || m > 1e6)
		return -1;
	return (double)(long)(m * 60 + sec + 0.5);
}

/* Enter in an edit: check and keep the answer. */
static void
form_edit_done(struct tui *t, struct formscr *s, int advance)
{
	const struct form_question *q = form_q(s);
	struct value val = { 0 };
	char *end, *cause = NULL;
	double d;

	if (s->mode == FORM_MODE_REASON) {
		if (s->edit.buf[0] == '\0') {
			tui_message(t, "%s", _("a reason is needed here"));
			return;
		}
		if (change_reason(tui_store(t), s->v, s->cur, s->edit.buf,
		        tui_now(), &cause) != 0) {
			tui_message(t, "%s", cause);
			free(cause);
			return;
		}
		s->mode = FORM_MODE_IDLE;
		if (advance)
			s->cur = form_step(s, s->cur, 1);
		return;
	}
	if (s->edit.buf[0] == '\0') {
		/* Nothing typed keeps what is saved: clearing is x (or
		 * Delete), which asks first. */
		s->mode = FORM_MODE_IDLE;
		if (visit_value(s->v, s->cur) != NULL) {
			tui_message(t, "%s",
			    _("nothing typed: the saved answer is kept (x "
			      "clears it)"));
			if (advance)
				s->cur = form_step(s, s->cur, 1);
		}
		return;
	}
	if (q->type == FORM_TIME)
		tui_edit_pad_time(&s->edit);
	if (q->type == FORM_TIMER) {
		if ((d = form_duration(s->edit.buf)) < 0) {
			tui_message(t, "%s",
			    _("a duration: minutes:seconds (12:30) or minutes "
			      "(12)"));
			return;
		}
		value_number(&val, d);
	} else if (q->type == FORM_NUMBER) {
		d = strtod(s->edit.buf, &end);
		if (*end != '\0') {
			tui_message(t, "%s", _("not a number"));
			return;
		}
		value_number(&val, d);
	} else
		value_string(&val, s->edit.buf);
	if (visit_check_value(s->v, s->cur, &val, &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		value_clear(&val);
		return;
	}
	/* a stopwatch's time typed is in the trail as typed */
	if (form_commit_typed(
	        t, s, &val, q->type == FORM_TIMER ? s->edit.buf : NULL) == 0) {
		s->mode = FORM_MODE_IDLE;
		form_after(t, s, advance);
	}
	value_clear(&val);
}

static void
form_toggle(struct tui *t, struct formscr *s, size_t i)
{
	const struct form_question *q = form_q(s);
	const struct value *cur = visit_value(s->v, s->cur);
	struct value val = { 0 };
	const char **items;
	size_t n = 0, k;

	if (i >= q->nchoices)
		return;
	items = xcalloc(q->nchoices + 1, sizeof *items);
	for (k = 0; k < q->nchoices; k++) {
		int on = cur != NULL && value_set_has(cur, q->choices[k].value);

		if (k == i)
			on = !on;
		if (on)
			items[n++] = q->choices[k].value;
	}
	value_set(&val, items, n);
	free(items);
	if (form_commit(t, s, n ? &val : NULL) == 0)
		form_after(t, s, 0);
	value_clear(&val);
}

static void
form_choose(struct tui *t, struct formscr *s, size_t i)
{
	const struct form_question *q = form_q(s);
	struct value val = { 0 };

	if (q->type == FORM_SCALE) {
		if (i > (size_t)(q->max - q->min))
			return;
		value_number(&val, q->min + (double)i);
	} else {
		if (i >= q->nchoices)
			return;
		value_string(&val, q->choices[i].value);
	}
	if (form_commit(t, s, &val) == 0)
		form_after(t, s, 1);
	value_clear(&val);
}

static void
form_timer(struct tui *t, struct formscr *s, const char *event)
{
	enum change_timer op = CHANGE_TIMER_START;
	char *cause = NULL;
	int rc;

	if (strcmp(event, "timer reset") == 0)
		op = CHANGE_TIMER_RESET;
	else if (s->v->timers[s->cur].running_since != 0)
		op = CHANGE_TIMER_STOP, event = "timer stopped";
	rc = change_timer(tui_store(t), s->v, s->cur, op, tui_now(), &cause);
	if (rc != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		return;
	}
	if (strcmp(event, "timer stopped") == 0)
		form_after(t, s, 0);
}

static void
form_count(struct tui *t, struct formscr *s, int delta)
{
	char *cause = NULL;

	if (change_count(
	        tui_store(t), s->v, s->cur, delta, tui_now(), &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		return;
	}
	form_after(t, s, 0);
}

static enum tui_action
form_reset_timer(struct tui *t, void *state)
{
	struct formscr *s = state;

	/* nothing to reset on a stopwatch that never ran */
	if (visit_timer_ms(s->v, s->cur, tui_now()) == 0 &&
	    s->v->timers[s->cur].running_since == 0)
		return TUI_UNHANDLED;
	if (tui_confirm(
	        t, _("Reset this stopwatch to zero?"), form_reset_timer, s))
		form_timer(t, s, "timer reset");
	return TUI_DONE;
}

static enum tui_action
form_reset_count(struct tui *t, void *state)
{
	struct formscr *s = state;

	if (tui_confirm(t, _("Reset this count?"), form_reset_count, s) &&
	    form_commit(t, s, NULL) == 0)
		tui_message(t, "%s", _("count cleared"));
	return TUI_DONE;
}

/* While editing: Enter (^D for lines) keeps, Esc cancels. */
static enum tui_action
form_edit_keep(struct tui *t, void *state)
{
	form_edit_done(t, state, 1);
	return TUI_DONE;
}

static enum tui_action
form_edit_cancel(struct tui *t, void *state)
{
	(void)t;
	((struct formscr *)state)->mode = FORM_MODE_IDLE;
	return TUI_DONE;
}

/* Typing: the editor takes every key, Enter and Esc through the
 * table's handlers (form_offers shows them). */
static enum tui_action
form_key(struct tui *t, void *state, int ch, int iskey)
{
	struct formscr *s = state;

	if (s->v == NULL)
		return TUI_DONE;
	if (s->mode != FORM_MODE_EDIT && s->mode != FORM_MODE_REASON)
		return TUI_UNHANDLED;
	/* While typing, other keys do nothing: moving away would give the
	 * text to another question. */
	switch (tui_edit_key(&s->edit, ch, iskey)) {
	case TUI_EDIT_DONE:
		return form_edit_keep(t, s);
	case TUI_EDIT_CANCEL:
		return form_edit_cancel(t, s);
	default:
		return TUI_DONE;
	}
}

/* Choice, scale: 1 to 9 answers (a scale's 0 is 10, or its 0). */
static enum tui_action
form_digit(struct tui *t, void *state)
{
	struct formscr *s = state;
	const struct form_question *q = form_q(s);
	int ch = tui_pressed(t);

	if (ch == '0')
		form_choose(t, s, q->min == 0 ? 0 : 9);
	else
		form_choose(t, s, (size_t)(ch - '1'));
	return TUI_DONE;
}

/* Multi: 1 to 9 toggles, picking or not. */
static enum tui_action
form_toggle_digit(struct tui *t, void *state)
{
	form_toggle(t, state, (size_t)(tui_pressed(t) - '1'));
	return TUI_DONE;
}

/* Number: typing a digit starts the editor with it. */
static enum tui_action
form_type_number(struct tui *t, void *state)
{
	char digit[2] = { (char)tui_pressed(t), '\0' };

	form_start_edit(state, digit);
	return TUI_DONE;
}

/* Enter keeps a default shown here and goes on. */
static enum tui_action
form_keep_default(struct tui *t, void *state)
{
	struct formscr *s = state;

	if (form_leave(t, s) == 0)
		s->cur = form_step(s, s->cur, 1);
	return TUI_DONE;
}

/* Picking: a cursor in the list of a choice or multi. */
static enum tui_action
form_pick_down(struct tui *t, void *state)
{
	struct formscr *s = state;

	(void)t;
	if (s->pick + 1 < form_q(s)->nchoices)
		s->pick++;
	return TUI_DONE;
}

static enum tui_action
form_pick_up(struct tui *t, void *state)
{
	struct formscr *s = state;

	(void)t;
	if (s->pick > 0)
		s->pick--;
	return TUI_DONE;
}

static enum tui_action
form_pick_toggle(struct tui *t, void *state)
{
	struct formscr *s = state;

	form_toggle(t, s, s->pick);
	return TUI_DONE;
}

static enum tui_action
form_pick_choose(struct tui *t, void *state)
{
	struct formscr *s = state;

	s->mode = FORM_MODE_IDLE;
	form_choose(t, s, s->pick);
	return TUI_DONE;
}

static enum tui_action
form_pick_done(struct tui *t, void *state)
{
	(void)t;
	((struct formscr *)state)->mode = FORM_MODE_IDLE;
	return TUI_DONE;
}

static enum tui_action
form_yes_no(struct tui *t, struct formscr *s, int yes)
{
	struct value val = { 0 };

	value_bool(&val, yes);
	if (form_commit(t, s, &val) == 0)
		form_after(t, s, 1);
	value_clear(&val);
	return TUI_DONE;
}

static enum tui_action
form_yes(struct tui *t, void *state)
{
	return form_yes_no(t, state, 1);
}

static enum tui_action
form_no(struct tui *t, void *state)
{
	return form_yes_no(t, state, 0);
}

/* Choice, multi: a cursor in the list (Up/Down, Space, Enter). */
static enum tui_action
form_pick(struct tui *t, void *state)
{
	struct formscr *s = state;

	(void)t;
	s->mode = FORM_MODE_PICK;
	s->pick = 0;
	return TUI_DONE;
}

static enum tui_action
form_start_stop(struct tui *t, void *state)
{
	form_timer(t, state, "");
	return TUI_DONE;
}

static enum tui_action
form_plus(struct tui *t, void *state)
{
	form_count(t, state, 1);
	return TUI_DONE;
}

static enum tui_action
form_minus(struct tui *t, void *state)
{
	form_count(t, state, -1);
	return TUI_DONE;
}

static enum tui_action
form_reset(struct tui *t, void *state)
{
	struct formscr *s = state;

	return form_q(s)->type == FORM_TIMER ? form_reset_timer(t, s)
	                                     : form_reset_count(t, s);
}

/* Enter: the editor of a number, text, date or time; a stopwatch's time
 * typed when it was not started (the audit trail has it as an answer
 * set, not timed). */
static enum tui_action
form_enter(struct tui *t, void *state)
{
	struct formscr *s = state;
	char *ans;

	if (form_q(s)->type != FORM_TIMER) {
		form_start_edit(s, NULL);
		return TUI_DONE;
	}
	if (s->v->timers[s->cur].running_since != 0) {
		tui_message(
		    t, "%s", _("the stopwatch is running: Space stops it"));
		return TUI_DONE;
	}
	ans = visit_value(s->v, s->cur) != NULL
	          ? tui_answer_short(s->v, s->cur, tui_now())
	          : xstrdup("");
	form_start_edit(s, ans);
	if (*ans != '\0') /* typing replaces it */
		tui_edit_select(&s->edit);
	free(ans);
	return TUI_DONE;
}

static enum tui_action
form_next(struct tui *t, void *state)
{
	struct formscr *s = state;

	if (form_leave(t, s) == 0)
		s->cur = form_step(s, s->cur, 1);
	return TUI_DONE;
}

static enum tui_action
form_prev(struct tui *t, void *state)
{
	struct formscr *s = state;

	if (form_leave(t, s) == 0)
		s->cur = form_step(s, s->cur, -1);
	return TUI_DONE;
}

static enum tui_action
form_page(struct tui *t, struct formscr *s, int dir)
{
	int i, rows = LINES - DETAIL_ROWS - 6;

	if (form_leave(t, s) != 0)
		return TUI_DONE;
	for (i = 0; i < (rows > 1 ? rows : 1); i++)
		s->cur = form_step(s, s->cur, dir);
	return TUI_DONE;
}

static enum tui_action
form_pgdn(struct tui *t, void *state)
{
	return form_page(t, state, 1);
}

static enum tui_action
form_pgup(struct tui *t, void *state)
{
	return form_page(t, state, -1);
}

static enum tui_action
form_home(struct tui *t, void *state)
{
	struct formscr *s = state;

	if (form_leave(t, s) != 0)
		return TUI_DONE;
	s->cur = 0;
	if (!visit_visible(s->v, 0))
		s->cur = form_step(s, 0, 1);
	return TUI_DONE;
}

static enum tui_action
form_end(struct tui *t, void *state)
{
	struct formscr *s = state;
	size_t last = s->v->form->nquestions - 1;

	if (form_leave(t, s) != 0)
		return TUI_DONE;
	s->cur = last;
	if (!visit_visible(s->v, last))
		s->cur = form_step(s, last, -1);
	return TUI_DONE;
}

static enum tui_action
form_review(struct tui *t, void *state)
{
	struct formscr *s = state;
	struct tui_review_arg arg = { s->id, &s->jump };

	if (form_leave(t, s) != 0)
		return TUI_DONE;
	tui_push(t, &screen_review, &arg);
	return TUI_DONE;
}

static enum tui_action
form_reason(struct tui *t, void *state)
{
	struct formscr *s = state;

	if (!visit_warns(s->v, s->cur)) {
		tui_message(t, "%s", _("no soft check to answer here"));
		return TUI_DONE;
	}
	s->mode = FORM_MODE_REASON;
	tui_edit_free(&s->edit);
	tui_edit_init(&s->edit, s->v->reasons[s->cur], 0, 500, NULL);
	return TUI_DONE;
}

static enum tui_action
form_clear(struct tui *t, void *state)
{
	struct formscr *s = state;

	if (visit_value(s->v, s->cur) == NULL)
		return TUI_DONE;
	if (tui_confirm(t, _("Clear this answer?"), form_clear, s) &&
	    form_commit(t, s, NULL) == 0)
		tui_message(t, "%s", _("answer cleared"));
	return TUI_DONE;
}

static enum tui_action
form_view(struct tui *t, void *state)
{
	struct formscr *s = state;
	struct tui_answer_arg arg = { s->id, s->cur };

	tui_push(t, &screen_answer, &arg);
	return TUI_DONE;
}

static void
form_tick(struct tui *t, void *state)
{
	(void)t;
	(void)state; /* the stopwatch is redrawn with the screen */
}

/* Whatever is being typed is kept, as if Enter had been pressed. */
static void
form_save(struct tui *t, void *state)
{
	struct formscr *s = state;

	/* (a suggestion still untouched was not typed) */
	if (s->v != NULL &&
	    (s->mode == FORM_MODE_EDIT || s->mode == FORM_MODE_REASON) &&
	    s->edit.buf[0] != '\0' && !s->edit.selected)
		form_edit_done(t, s, 0);
	s->mode = FORM_MODE_IDLE;
}

static void
form_lock(struct tui *t, void *state)
{
	struct formscr *s = state;

	(void)t;
	visit_free(s->v); /* answers leave memory with the key */
	s->v = NULL;
	tui_edit_set(&s->edit, "");
	s->mode = FORM_MODE_IDLE;
}

static int
form_unlock(struct tui *t, void *state, char **cause)
{
	return form_load(t, state, cause);
}

static const struct tui_key form_keys[] = {
	/* while editing (form_key hands Enter and Esc to these) */
	/* (the help is short: these modes are told in the lines below) */
	{ '\r', KEY_ENTER, N_("keep"), NULL, form_edit_keep },
	{ TUI_CTRL('d'), 0, N_("keep"), NULL, form_edit_keep },
	{ TUI_ESC, 0, N_("cancel"), N_("cancel the edit, or the picking"),
	    form_edit_cancel },
	/* while picking */
	{ KEY_DOWN, 'j', N_("move"), NULL, form_pick_down },
	{ KEY_UP, 'k', NULL, NULL, form_pick_up },
	{ ' ', 0, N_("toggle"), NULL, form_pick_toggle },
	{ '\r', KEY_ENTER, N_("choose"), NULL, form_pick_choose },
	{ '\r', KEY_ENTER, N_("done"), NULL, form_pick_done },
	{ TUI_ESC, 0, N_("back"), NULL, form_pick_done },
	{ 'r', KEY_F(9), N_("review"), N_("review and finalize"), form_review },
	/* the keys of the current question's type (form_offers), in the
	 * bar after the keys every screen has, the most used first; the
	 * help has one line for a key */
	{ 'y', 0, N_("yes"), N_("yes/no: answer yes (n: no), then the next"),
	    form_yes },
	{ 'n', 0, N_("no"), NULL, form_no },
	{ TUI_KEYS_DIGITS, 0, N_("answer"),
	    N_("choice, scale: answer 1 to 9 (0: 10); multi: toggle"),
	    /* (a number's digit starts its edit: no line of its own) */
	    form_digit },
	{ '0', 0, NULL, NULL, form_digit },
	{ TUI_KEYS_DIGITS, 0, N_("toggle"), NULL, form_toggle_digit },
	/* (Enter first: a stopwatch's keys are then a time's and its own
	 * after them, so a move between the two sends only that tail) */
	{ '\r', KEY_ENTER, N_("edit"),
	    N_("edit (a stopwatch: 12:30, or minutes); pick; keep a default"),
	    form_enter },
	{ ' ', 0, N_("start/stop"),
	    N_("stopwatch: start or stop; multi: pick with Up/Down, Space"),
	    form_start_stop },
	{ ' ', 0, N_("pick"), NULL, form_pick },
	{ '+', 0, N_("add"), N_("count: add one (-: take one back)"),
	    form_plus },
	{ '-', 0, N_("take"), NULL, form_minus },
	{ 127, KEY_BACKSPACE, N_("reset"),
	    N_("stopwatch, count: reset to zero (asks first)"), form_reset },
	{ '\r', KEY_ENTER, N_("pick"), NULL, form_pick },
	{ '\r', KEY_ENTER, N_("keep"), NULL, form_keep_default },
	{ TUI_KEYS_NUMBER, 0, NULL, NULL, form_type_number },
	{ KEY_DOWN, 'j', NULL, N_("next question"), form_next },
	{ KEY_UP, 'k', NULL, N_("previous question"), form_prev },
	{ KEY_NPAGE, 0, NULL, N_("a page down"), form_pgdn },
	{ KEY_PPAGE, 0, NULL, N_("a page up"), form_pgup },
	{ KEY_HOME, 0, NULL, N_("the first question"), form_home },
	{ KEY_END, 0, NULL, N_("the last question"), form_end },
	/* Not in the bar (a stopwatch's keys leave no room for them in 80
	 * columns): the less used keys, the same on every type, are in the
	 * help.  A soft check asks for its reason by itself. */
	{ 'w', 0, NULL, N_("give the reason a soft check asks for"),
	    form_reason },
	{ KEY_DC, 'x', NULL,
	    N_("clear the answer, asks first (an emptied edit keeps it)"),
	    form_clear },
	{ 'v', 0, NULL, N_("read the whole answer and reason"), form_view },
	{ 0, 0, NULL, NULL, NULL },
};

/* The entries of a mode: editing, picking, or what a type takes. */
static int
form_offers_edit(const struct formscr *s, const struct tui_key *k)
{
	if (k->fn == form_edit_keep)
		return (k->key == '\r') == !s->edit.multiline;
	return k->fn == form_edit_cancel;
}

static int
form_offers_pick(const struct formscr *s, const struct tui_key *k)
{
	enum form_type type = form_q(s)->type;

	if (k->fn == form_pick_down || k->fn == form_pick_up ||
	    (k->fn == form_pick_done && k->key == TUI_ESC))
		return 1;
	if (k->fn == form_pick_toggle || k->fn == form_toggle_digit ||
	    k->fn == form_pick_done)
		return type == FORM_MULTI;
	if (k->fn == form_pick_choose)
		return type == FORM_CHOICE;
	return 0;
}

static int
form_offers_type(const struct formscr *s, const struct tui_key *k)
{
	enum form_type type = form_q(s)->type;

	if (k->fn == form_yes || k->fn == form_no)
		return type == FORM_YESNO;
	if (k->fn == form_start_stop)
		return type == FORM_TIMER;
	if (k->fn == form_pick)
		return type == FORM_MULTI ||
		       (type == FORM_CHOICE && k->key != ' ');
	if (k->fn == form_plus || k->fn == form_minus)
		return type == FORM_COUNT;
	if (k->fn == form_reset)
		return type == FORM_TIMER || type == FORM_COUNT;
	if (k->fn == form_enter)
		return type == FORM_NUMBER || type == FORM_TEXT ||
		       type == FORM_DATE || type == FORM_TIME ||
		       type == FORM_TIMER;
	if (k->fn == form_keep_default)
		return type != FORM_NUMBER && type != FORM_TEXT &&
		       type != FORM_DATE && type != FORM_TIME &&
		       type != FORM_TIMER && type != FORM_CHOICE &&
		       type != FORM_MULTI &&
		       visit_suggestion(s->v, s->cur) != NULL;
	if (k->fn == form_digit)
		return type == FORM_SCALE ||
		       (type == FORM_CHOICE && k->key != '0');
	if (k->fn == form_toggle_digit)
		return type == FORM_MULTI;
	if (k->fn == form_type_number)
		return type == FORM_NUMBER;
	/* A note has no answer to give a reason for, clear or view. */
	if (k->fn == form_reason || k->fn == form_clear || k->fn == form_view)
		return type != FORM_NOTE;
	return 1;
}

/* Which of form_keys the screen takes now: the bar shows these and only
 * these dispatch. */
static int
form_offers(void *state, const struct tui_key *k)
{
	struct formscr *s = state;
	int moded = k->fn == form_edit_keep || k->fn == form_edit_cancel ||
	            k->fn == form_pick_down || k->fn == form_pick_up ||
	            k->fn == form_pick_toggle || k->fn == form_pick_choose ||
	            k->fn == form_pick_done;

	/* No visit loaded: only the keys every screen has (no handler). */
	if (s->v == NULL)
		return k->fn == NULL;
	if (s->mode == FORM_MODE_EDIT || s->mode == FORM_MODE_REASON)
		return form_offers_edit(s, k);
	if (s->mode == FORM_MODE_PICK)
		return form_offers_pick(s, k);
	return !moded && form_offers_type(s, k);
}

const struct screen screen_form = {
	.title = N_("filling the form"),
	.keys = form_keys,
	.open = form_open,
	.close = form_close,
	.draw = form_draw,
	.key = form_key,
	.typing = form_typing,
	.tick = form_tick,
	.lock = form_lock,
	.unlock = form_unlock,
	.save = form_save,
	.heading = form_heading,
	.offers = form_offers,
};
