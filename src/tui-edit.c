/* The line editor shared by every text field of the terminal UI. */
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/crypt-mem.h"
#include "anfang/text-width.h"
#include "anfang/tui-edit.h"
#include "anfang/tui.h"
#include "anfang/utf8.h"
#include "anfang/xmalloc.h"

void
tui_edit_init(struct tui_edit *e, const char *text, int multiline,
    size_t max_chars, const char *accept)
{
	tui_edit_free(e); /* callers' structs start zeroed */
	e->multiline = multiline;
	e->max_chars = max_chars;
	e->accept = accept;
	tui_edit_set(e, text ? text : "");
}

void
tui_edit_free(struct tui_edit *e)
{
	/* answers and reasons typed do not stay behind in freed memory */
	if (e->buf != NULL)
		crypt_mem_wipe(e->buf, e->cap);
	free(e->buf);
	memset(e, 0, sizeof *e);
}

void
tui_edit_set(struct tui_edit *e, const char *text)
{
	size_t n = strlen(text);

	if (n + 1 > e->cap) {
		e->cap = n + 64;
		e->buf = xreallocarray(e->buf, e->cap, 1);
	}
	memcpy(e->buf, text, n + 1);
	e->len = n;
	e->cursor = n;
}

static void
tui_edit_insert(struct tui_edit *e, long cp)
{
	char u[4];
	size_t n;

	if ((n = utf8_encode(cp, u, sizeof u)) == 0)
		return;
	if (e->max_chars && utf8_length(e->buf, e->len) >= e->max_chars)
		return;
	if (e->len + n + 1 > e->cap) {
		e->cap = (e->len + n + 1) * 2;
		e->buf = xreallocarray(e->buf, e->cap, 1);
	}
	memmove(
	    e->buf + e->cursor + n, e->buf + e->cursor, e->len - e->cursor + 1);
	memcpy(e->buf + e->cursor, u, n);
	e->len += n;
	e->cursor += n;
}

static void
tui_edit_delete(struct tui_edit *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->cursor = from;
}

enum tui_edit_result
tui_edit_key(struct tui_edit *e, int ch, int iskey)
{
	if (!iskey) {
		if (ch == '\r' || ch == '\n') {
			if (!e->multiline)
				return TUI_EDIT_DONE;
			tui_edit_insert(e, '\n');
			return TUI_EDIT_GOING;
		}
		if (ch == TUI_CTRL('d'))
			return TUI_EDIT_DONE;
		if (ch == TUI_ESC)
			return TUI_EDIT_CANCEL;
		if (ch == 127 || ch == 8) {
			tui_edit_delete(
			    e, utf8_prev(e->buf, e->cursor), e->cursor);
			return TUI_EDIT_GOING;
		}
		if (ch == TUI_CTRL('a')) {
			e->cursor = 0;
			return TUI_EDIT_GOING;
		}
		if (ch == TUI_CTRL('e')) {
			e->cursor = e->len;
			return TUI_EDIT_GOING;
		}
		if (ch == TUI_CTRL('u')) {
			tui_edit_delete(e, 0, e->cursor);
			return TUI_EDIT_GOING;
		}
		if (ch < 32 || ch == 127)
			return TUI_EDIT_IGNORED;
		/* A filtered field (number, date, time) takes only its ASCII
		 * characters: swallowed, not inserted. */
		if (e->accept != NULL &&
		    (ch >= 128 || strchr(e->accept, ch) == NULL))
			return TUI_EDIT_GOING;
		tui_edit_insert(e, ch);
		return TUI_EDIT_GOING;
	}
	switch (ch) {
	case KEY_ENTER:
		return e->multiline ? (tui_edit_insert(e, '\n'), TUI_EDIT_GOING)
		                    : TUI_EDIT_DONE;
	case KEY_BACKSPACE:
		tui_edit_delete(e, utf8_prev(e->buf, e->cursor), e->cursor);
		return TUI_EDIT_GOING;
	case KEY_DC:
		tui_edit_delete(
		    e, e->cursor, utf8_next(e->buf, e->len, e->cursor));
		return TUI_EDIT_GOING;
	case KEY_LEFT:
		e->cursor = utf8_prev(e->buf, e->cursor);
		return TUI_EDIT_GOING;
	case KEY_RIGHT:
		e->cursor = utf8_next(e->buf, e->len, e->cursor);
		return TUI_EDIT_GOING;
	case KEY_HOME:
		e->cursor = 0;
		return TUI_EDIT_GOING;
	case KEY_END:
		e->cursor = e->len;
		return TUI_EDIT_GOING;
	}
	return TUI_EDIT_IGNORED;
}

void
tui_edit_draw(
    const struct tui_edit *e, int y, int x, int cols, int rows, int focus)
{
	char **lines, *before;
	size_t n, i, first = 0, cur_line, cur_col;

	if (cols <= 1 || rows <= 0)
		return;
	/* Where the cursor falls: wrap the text before it the same way. */
	before = xstrndup(e->buf, e->cursor);
	cur_line = text_width_wrap(before, (size_t)cols - 1, &lines) - 1;
	cur_col = text_width(lines[cur_line]);
	for (i = 0; i <= cur_line; i++)
		free(lines[i]);
	free(lines);
	free(before);

	n = text_width_wrap(e->buf, (size_t)cols - 1, &lines);
	if (cur_line >= (size_t)rows)
		first = cur_line - (size_t)rows + 1;
	for (i = 0; i < (size_t)rows; i++) {
		move(y + (int)i, x);
		attron(A_UNDERLINE);
		tui_put(y + (int)i, x, first + i < n ? lines[first + i] : "",
		    (size_t)cols, 1);
		attroff(A_UNDERLINE);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	if (focus) {
		move(y + (int)(cur_line - first), x + (int)cur_col);
		curs_set(1);
	}
}
