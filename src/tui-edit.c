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
	e->selected = 0;
	e->note[0] = '\0';
}

void
tui_edit_select(struct tui_edit *e)
{
	e->selected = e->len > 0;
	e->cursor = e->len;
}

int
tui_edit_takes(const char *accept, long cp)
{
	/* What a Chinese input method gives for digits and the point. */
	if (cp >= 0xff10 && cp <= 0xff19)
		cp = '0' + (cp - 0xff10);
	else if (cp == 0x3002 || cp == 0xff0e || cp == 0xff61)
		cp = '.';
	else if (cp == 0xff0d || cp == 0x2212)
		cp = '-';
	else if (cp == 0xff1a)
		cp = ':';
	if (cp <= 32 || cp >= 127 || strchr(accept, (int)cp) == NULL)
		return 0;
	return (int)cp;
}

void
tui_edit_pad_time(struct tui_edit *e)
{
	const char *b = e->buf;

	if (e->len == 4 && b[0] >= '0' && b[0] <= '9' && b[1] == ':' &&
	    b[2] >= '0' && b[2] <= '9' && b[3] >= '0' && b[3] <= '9') {
		char t[6] = { '0', b[0], ':', b[2], b[3], '\0' };

		tui_edit_set(e, t);
	}
}

/* The characters accept allows, for people: "0-9 . -". */
static void
tui_edit_allowed(const char *accept, char *out, size_t len)
{
	size_t n = 0;
	const char *p;

	out[0] = '\0';
	if (strstr(accept, "0123456789") != NULL)
		n += (size_t)snprintf(out, len, "0-9");
	for (p = accept; *p != '\0' && n + 3 < len; p++) {
		if (*p >= '0' && *p <= '9')
			continue;
		n += (size_t)snprintf(
		    out + n, len - n, "%s%c", n ? " " : "", *p);
	}
}

/* A character refused: the text stays, the note says why. */
static void
tui_edit_refuse(struct tui_edit *e, long cp)
{
	char ch[5] = { 0 }, allowed[64];

	tui_edit_allowed(e->accept, allowed, sizeof allowed);
	/* a control or unprintable character is not shown back */
	if (cp < 32 || utf8_encode(cp, ch, sizeof ch - 1) == 0 ||
	    (cp >= 0x7f && cp < 0xa0))
		snprintf(e->note, sizeof e->note, _("not taken here (only %s)"),
		    allowed);
	else
		snprintf(e->note, sizeof e->note,
		    _("\"%s\" is not taken here (only %s)"), ch, allowed);
}

static void
tui_edit_insert(struct tui_edit *e, long cp)
{
	char u[4];
	size_t n;

	if ((n = utf8_encode(cp, u, sizeof u)) == 0)
		return;
	if (e->selected)
		tui_edit_set(e, ""); /* the suggestion gives way */
	if (e->max_chars && utf8_length(e->buf, e->len) >= e->max_chars) {
		snprintf(e->note, sizeof e->note,
		    _("no more than %zu characters here"), e->max_chars);
		return;
	}
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
	if (e->selected) {
		tui_edit_set(e, ""); /* deleting a suggestion deletes it all */
		return;
	}
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->cursor = from;
}

/* Whether word (n bytes) is in hay, ASCII letters in either case. */
static int
tui_edit_has(const char *hay, const char *word, size_t n)
{
	size_t i, j;

	for (i = 0; hay[i] != '\0'; i++) {
		for (j = 0; j < n && hay[i + j] != '\0'; j++) {
			unsigned char a = (unsigned char)hay[i + j];
			unsigned char b = (unsigned char)word[j];

			if (a != b &&
			    !(a < 128 && b < 128 && (a | 32) == (b | 32) &&
			        (a | 32) >= 'a' && (a | 32) <= 'z'))
				break;
		}
		if (j == n)
			return 1;
	}
	return 0;
}

/* Whether the characters of word (n bytes) are in hay in that order. */
static int
tui_edit_in_order(const char *hay, const char *word, size_t n)
{
	size_t hlen = strlen(hay), h = 0, w = 0, hn, wn;

	while (w < n && h < hlen) {
		wn = utf8_next(word, n, w) - w;
		hn = utf8_next(hay, hlen, h) - h;
		if (hn == wn && memcmp(hay + h, word + w, wn) == 0)
			w += wn;
		h += hn;
	}
	return w == n;
}

/* The length of the space at s between words (U+3000 too), or 0. */
static size_t
tui_edit_space(const char *s)
{
	if (s[0] == ' ' || s[0] == '\t')
		return 1;
	return s[0] == '\xe3' && s[1] == '\x80' && s[2] == '\x80' ? 3 : 0;
}

int
tui_edit_match(const char *query, const char *name, const char *id)
{
	size_t i = 0, start, k, sp;
	int level = 1, ascii;

	for (;;) {
		while ((sp = tui_edit_space(query + i)) > 0)
			i += sp;
		if (query[i] == '\0')
			return level;
		start = i;
		ascii = 0;
		while (query[i] != '\0' && tui_edit_space(query + i) == 0)
			ascii |= (unsigned char)query[i++] < 128;
		k = i - start;
		if (tui_edit_has(name, query + start, k) ||
		    (id != NULL && tui_edit_has(id, query + start, k)))
			continue;
		/* Chinese names are shortened by leaving characters out */
		if (!ascii && tui_edit_in_order(name, query + start, k)) {
			level = 2;
			continue;
		}
		return 0;
	}
}

enum tui_edit_result
tui_edit_key(struct tui_edit *e, int ch, int iskey)
{
	int c;

	e->note[0] = '\0';
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
			e->selected = 0;
			e->cursor = 0;
			return TUI_EDIT_GOING;
		}
		if (ch == TUI_CTRL('e')) {
			e->selected = 0;
			e->cursor = e->len;
			return TUI_EDIT_GOING;
		}
		if (ch == TUI_CTRL('u')) {
			tui_edit_delete(e, 0, e->cursor);
			return TUI_EDIT_GOING;
		}
		if (ch < 32 || ch == 127)
			return TUI_EDIT_IGNORED;
		/* A filtered field (number, date, time) takes its ASCII
		 * characters and their full-width forms; anything else is
		 * refused where it can be seen, not dropped unseen. */
		if (e->accept != NULL) {
			if ((c = tui_edit_takes(e->accept, ch)) == 0) {
				tui_edit_refuse(e, ch);
				return TUI_EDIT_GOING;
			}
			ch = c;
		}
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
		/* a move keeps the suggestion, to be edited */
		e->selected = 0;
		e->cursor = utf8_prev(e->buf, e->cursor);
		return TUI_EDIT_GOING;
	case KEY_RIGHT:
		e->selected = 0;
		e->cursor = utf8_next(e->buf, e->len, e->cursor);
		return TUI_EDIT_GOING;
	case KEY_HOME:
		e->selected = 0;
		e->cursor = 0;
		return TUI_EDIT_GOING;
	case KEY_END:
		e->selected = 0;
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
		const char *line = first + i < n ? lines[first + i] : "";

		attron(A_UNDERLINE);
		tui_put(y + (int)i, x, line, (size_t)cols, 1);
		attroff(A_UNDERLINE);
		if (e->selected && *line != '\0') {
			/* a suggestion, shown as selected text is */
			attron(A_REVERSE);
			tui_put(y + (int)i, x, line, (size_t)cols, 0);
			attroff(A_REVERSE);
		}
	}
	if (e->note[0] != '\0' && cur_line - first < (size_t)rows) {
		/* after the text on the cursor's line, or over its end */
		size_t used = cur_line < n ? text_width(lines[cur_line]) : 0;
		size_t w = text_width(e->note), at = used + 2;

		if (at + w > (size_t)cols)
			at = w < (size_t)cols ? (size_t)cols - w : 0;
		attron(A_BOLD);
		tui_put(y + (int)(cur_line - first), x + (int)at, e->note,
		    (size_t)cols - at, 0);
		attroff(A_BOLD);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	if (focus) {
		tui_cursor(y + (int)(cur_line - first), x + (int)cur_col);
	}
}
