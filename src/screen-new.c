/*
 * A new visit: the form, then the unit (typing filters the list, which may
 * hold thousands), then division and person when the form asks for them.
 */
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/change.h"
#include "anfang/form-load.h"
#include "anfang/store-visit.h"
#include "anfang/text-width.h"
#include "anfang/tui-edit.h"
#include "anfang/tui.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

enum new_step {
	NEW_FORM,
	NEW_UNIT,
	NEW_DIVISION,
	NEW_PERSON,
};

struct newv {
	enum new_step step;
	size_t form;   /* index in the forms list */
	size_t *match; /* units (or forms) passing the filter */
	size_t nmatch;
	size_t cur;
	size_t top;
	struct tui_edit edit; /* the filter, or division / person */
	char *unit;
	char *division;
};

static const struct form *
new_form(struct tui *t, const struct newv *n)
{
	return tui_forms(t)->forms[n->form];
}

/* What the filter finds: the lines with every word as typed; only when
 * there are none, those where a Chinese word matches with characters left
 * out (so that 東城 does not list every 東...城). */
static void
new_filter(struct tui *t, struct newv *n)
{
	const struct form_dir_list *l = tui_forms(t);
	const struct form *f;
	size_t i, count;
	int level, pass;

	count = n->step == NEW_FORM ? l->n : new_form(t, n)->nunits;
	free(n->match);
	n->match = xcalloc(count + 1, sizeof *n->match);
	n->nmatch = 0;
	for (pass = 1; pass <= 2 && n->nmatch == 0; pass++) {
		for (i = 0; i < count; i++) {
			if (n->step == NEW_FORM) {
				f = l->forms[i];
				level = tui_edit_match(
				    n->edit.buf, f->title, f->id);
			} else {
				f = new_form(t, n);
				level = tui_edit_match(n->edit.buf,
				    f->units[i].name, f->units[i].id);
			}
			if (level == pass)
				n->match[n->nmatch++] = i;
		}
	}
	n->cur = 0;
	n->top = 0;
}

static void *
new_open(struct tui *t, void *arg, char **cause)
{
	struct newv *n;

	(void)arg;
	if (tui_forms(t)->n == 0) {
		*cause = xstrdup(_("no forms found: put forms in "
		                   "$XDG_CONFIG_HOME/anfang/forms or use "
		                   "--forms DIR"));
		return NULL;
	}
	n = xcalloc(1, sizeof *n);
	tui_edit_init(&n->edit, "", 0, 200, NULL);
	new_filter(t, n);
	return n;
}

static void
new_close(void *state)
{
	struct newv *n = state;

	tui_edit_free(&n->edit);
	free(n->match);
	free(n->unit);
	free(n->division);
	free(n);
}

static void
new_draw_list(struct tui *t, struct newv *n)
{
	const struct form_dir_list *l = tui_forms(t);
	const struct form *f;
	int rows = LINES - 6, y;
	size_t i;
	char *line;

	if (n->cur < n->top)
		n->top = n->cur;
	if (n->cur >= n->top + (size_t)rows)
		n->top = n->cur - (size_t)rows + 1;
	for (i = n->top, y = 3; i < n->nmatch && y < 3 + rows; i++, y++) {
		if (n->step == NEW_FORM) {
			f = l->forms[n->match[i]];
			line = xasprintf("%s %s  (%s %ld, %s)",
			    i == n->cur ? ">" : " ", f->title, f->id,
			    f->version, f->language);
		} else {
			f = new_form(t, n);
			/* without UTF-8 a Chinese name is all '?': the id
			 * is what can be read and typed */
			line = text_width_utf8()
			           ? xasprintf("%s %s", i == n->cur ? ">" : " ",
			                 f->units[n->match[i]].name)
			           : xasprintf("%s %s  %s",
			                 i == n->cur ? ">" : " ",
			                 f->units[n->match[i]].id,
			                 f->units[n->match[i]].name);
		}
		if (i == n->cur)
			attron(A_REVERSE);
		tui_put(y, 0, line, (size_t)COLS, 1);
		if (i == n->cur)
			attroff(A_REVERSE);
		free(line);
	}
	if (n->nmatch == 0)
		tui_put(3, 2, _("nothing matches what you typed"),
		    (size_t)COLS - 4, 0);
}

static void
new_draw(struct tui *t, void *state)
{
	struct newv *n = state;
	const char *prompt;
	int x;

	switch (n->step) {
	case NEW_FORM:
		prompt = _("Form (type to filter):");
		break;
	case NEW_UNIT:
		prompt = _("Unit observed (type to filter):");
		break;
	case NEW_DIVISION:
		prompt = new_form(t, n)->division == FORM_FIELD_REQUIRED
		             ? _("Division:")
		             : _("Division (optional, Enter to skip):");
		break;
	default:
		prompt = new_form(t, n)->person == FORM_FIELD_REQUIRED
		             ? _("Window or badge number:")
		             : _("Window or badge number (optional, Enter to "
		                 "skip):");
		break;
	}
	tui_put(1, 1, prompt, (size_t)COLS - 2, 0);
	x = 2 + (int)text_width(prompt);
	if (x > COLS - 20)
		x = 2;
	if (n->step == NEW_FORM || n->step == NEW_UNIT) {
		char *count = xasprintf(_("%zu match"), n->nmatch);

		tui_put(2, 1, count, (size_t)COLS - 2, 0);
		free(count);
		new_draw_list(t, n);
	}
	tui_edit_draw(&n->edit, x == 2 ? 2 : 1, x, COLS - x - 1, 1, 1);
}

static int
new_typing(void *state)
{
	(void)state;
	return 1;
}

/* The visit, stored, and its form opened. */
static enum tui_action
new_create(struct tui *t, struct newv *n)
{
	const struct form *src = new_form(t, n);
	struct diag_list diags = { 0 };
	struct form *f;
	struct visit *v;
	char *cause = NULL, *person;

	/* The visit keeps its own copy of the form (and its text). */
	f = form_load_file(src->path, &diags);
	diag_clear(&diags);
	if (f == NULL || strcmp(f->hash, src->hash) != 0) {
		form_free(f);
		tui_message(
		    t, "%s", _("the form file changed; restart anfang"));
		return TUI_DONE;
	}
	person = n->edit.buf[0] ? n->edit.buf : NULL;
	v = visit_new(f, 1, n->unit, n->division, person, tui_now(), &cause);
	if (v == NULL) {
		form_free(f);
		tui_message(t, "%s", cause);
		free(cause);
		return TUI_DONE;
	}
	if (change_insert(tui_store(t), v, tui_now(), &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		visit_free(v);
		return TUI_DONE;
	}
	tui_replace(t, &screen_form, v->id);
	visit_free(v);
	return TUI_DONE;
}

/* Enter: take the chosen line or the typed text, go on. */
static enum tui_action
new_next(struct tui *t, struct newv *n)
{
	const struct form *f;

	switch (n->step) {
	case NEW_FORM:
		if (n->nmatch == 0)
			return TUI_DONE;
		n->form = n->match[n->cur];
		n->step = NEW_UNIT;
		tui_edit_set(&n->edit, "");
		new_filter(t, n);
		if (new_form(t, n)->nunits == 0) {
			tui_message(t, "%s",
			    _("this form has no units (its sites file is "
			      "missing?)"));
			n->step = NEW_FORM;
			new_filter(t, n);
		}
		return TUI_DONE;
	case NEW_UNIT:
		if (n->nmatch == 0)
			return TUI_DONE;
		f = new_form(t, n);
		n->unit = xstrdup(f->units[n->match[n->cur]].id);
		tui_edit_set(&n->edit, "");
		n->step = NEW_DIVISION;
		if (f->division != FORM_FIELD_ABSENT)
			return TUI_DONE;
		/* FALLTHROUGH */
	case NEW_DIVISION:
		f = new_form(t, n);
		if (f->division == FORM_FIELD_REQUIRED && n->edit.buf[0] == 0) {
			tui_message(t, "%s", _("this form needs a division"));
			return TUI_DONE;
		}
		if (n->edit.buf[0] != '\0')
			n->division = xstrdup(n->edit.buf);
		tui_edit_set(&n->edit, "");
		n->step = NEW_PERSON;
		if (f->person != FORM_FIELD_ABSENT)
			return TUI_DONE;
		/* FALLTHROUGH */
	case NEW_PERSON:
		f = new_form(t, n);
		if (f->person == FORM_FIELD_REQUIRED && n->edit.buf[0] == 0) {
			tui_message(t, "%s",
			    _("this form needs a window or badge number"));
			return TUI_DONE;
		}
		return new_create(t, n);
	}
	return TUI_DONE;
}

static enum tui_action
new_key(struct tui *t, void *state, int ch, int iskey)
{
	struct newv *n = state;
	int listing = n->step == NEW_FORM || n->step == NEW_UNIT;

	if ((!iskey && (ch == '\r' || ch == '\n')) ||
	    (iskey && ch == KEY_ENTER))
		return new_next(t, n);
	if (!iskey && ch == TUI_ESC)
		return TUI_POP;
	/* '/' filters lists elsewhere; here typing does, so a '/' first is
	 * that key, not text to look for */
	if (listing && !iskey && ch == '/' && n->edit.len == 0)
		return TUI_DONE;
	if (listing && iskey) {
		switch (ch) {
		case KEY_DOWN:
			if (n->cur + 1 < n->nmatch)
				n->cur++;
			return TUI_DONE;
		case KEY_UP:
			if (n->cur > 0)
				n->cur--;
			return TUI_DONE;
		case KEY_NPAGE:
			n->cur = n->cur + (size_t)(LINES - 7) < n->nmatch
			             ? n->cur + (size_t)(LINES - 7)
			             : (n->nmatch ? n->nmatch - 1 : 0);
			return TUI_DONE;
		case KEY_PPAGE:
			n->cur = n->cur > (size_t)(LINES - 7)
			             ? n->cur - (size_t)(LINES - 7)
			             : 0;
			return TUI_DONE;
		}
	}
	switch (tui_edit_key(&n->edit, ch, iskey)) {
	case TUI_EDIT_GOING:
		if (listing)
			new_filter(t, n);
		return TUI_DONE;
	case TUI_EDIT_IGNORED:
		return TUI_UNHANDLED;
	default:
		return TUI_DONE;
	}
}

static const char *
new_heading(struct tui *t, void *state)
{
	(void)t;
	(void)state;
	return _("new visit");
}

static const struct tui_key new_keys[] = {
	{ KEY_ENTER, 0, N_("choose"), N_("choose the line, or keep the text"),
	    NULL },
	{ TUI_ESC, 0, N_("cancel"), N_("back to the visits, nothing made"),
	    NULL },
	{ 0, 0, NULL, NULL, NULL },
};

const struct screen screen_new = {
	.title = N_("new visit"),
	.keys = new_keys,
	.open = new_open,
	.close = new_close,
	.draw = new_draw,
	.key = new_key,
	.typing = new_typing,
	.heading = new_heading,
};
