/* Help: every key of the screen below, from the table that runs them. */
#include <stdlib.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/text-width.h"
#include "anfang/tui.h"
#include "anfang/xmalloc.h"

struct help {
	const struct screen *of;
	int top;
};

static void *
help_open(struct tui *t, void *arg, char **cause)
{
	struct help *h = xcalloc(1, sizeof *h);

	(void)t;
	(void)cause;
	h->of = arg;
	return h;
}

static void
help_close(void *state)
{
	free(state);
}

static void
help_draw(struct tui *t, void *state)
{
	struct help *h = state;
	const struct tui_key *tables[2] = { h->of->keys, tui_globals() };
	const struct tui_key *k;
	char label[32], *line, **lines;
	/* a key's words wrap beside its label: cut, they could not be read */
	size_t width = COLS > 4 + 13 + 8 ? (size_t)COLS - 4 - 13 : 8, n, j;
	int y = 2, row = 0, i;

	(void)t;
	tui_put(1, 2, _(h->of->title), (size_t)COLS - 4, 0);
	for (i = 0; i < 2; i++) {
		for (k = tables[i]; k->key != 0; k++) {
			if (k->help == NULL)
				continue;
			/* the screen's own meaning of a global key wins */
			if (i == 1 && tui_key_in(h->of->keys, k->key))
				continue;
			tui_key_label(k, label, sizeof label);
			n = text_width_wrap(_(k->help), width, &lines);
			for (j = 0; j < n; j++) {
				if (row++ >= h->top && y < LINES - 2) {
					line = xasprintf("%-12s %s",
					    j == 0 ? label : "", lines[j]);
					tui_put(
					    y++, 2, line, (size_t)COLS - 4, 0);
					free(line);
				}
				free(lines[j]);
			}
			free(lines);
		}
	}
	/* After a blank line: a translated interface keeps the keys. */
	if (row >= h->top && y + 1 < LINES - 2)
		tui_put(y + 1, 2,
		    _("The keys are the same in every interface language."),
		    (size_t)COLS - 4, 0);
}

static enum tui_action
help_down(struct tui *t, void *state)
{
	(void)t;
	((struct help *)state)->top++;
	return TUI_DONE;
}

static enum tui_action
help_up(struct tui *t, void *state)
{
	struct help *h = state;

	(void)t;
	if (h->top > 0)
		h->top--;
	return TUI_DONE;
}

static const char *
help_heading(struct tui *t, void *state)
{
	(void)t;
	(void)state;
	return _("help");
}

static const struct tui_key help_keys[] = {
	{ KEY_DOWN, 'j', NULL, N_("scroll down"), help_down },
	{ KEY_UP, 'k', NULL, N_("scroll up"), help_up },
	{ 0, 0, NULL, NULL, NULL },
};

const struct screen screen_help = {
	.title = N_("help"),
	.keys = help_keys,
	.open = help_open,
	.close = help_close,
	.draw = help_draw,
	.heading = help_heading,
};
