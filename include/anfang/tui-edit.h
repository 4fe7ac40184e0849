/* A line (or lines) of text being typed: UTF-8, measured in columns. */
#ifndef ANFANG_TUI_EDIT_H
#define ANFANG_TUI_EDIT_H

#include <stddef.h>

enum tui_edit_result {
	TUI_EDIT_GOING,  /* the key changed the text or the cursor */
	TUI_EDIT_DONE,   /* Enter (one line) or Ctrl-D (several lines) */
	TUI_EDIT_CANCEL, /* Esc */
	TUI_EDIT_IGNORED /* not an editing key */
};

struct tui_edit {
	char *buf;
	size_t len;
	size_t cap;
	size_t cursor; /* byte offset, always between characters */
	int multiline;
	size_t max_chars;   /* 0: no limit */
	const char *accept; /* if not NULL, the only characters taken */
};

/* (Re)start an editor; the struct must be zeroed or initialised. */
void tui_edit_init(struct tui_edit *, const char *text, int multiline,
    size_t max_chars, const char *accept);
void tui_edit_free(struct tui_edit *);
void tui_edit_set(struct tui_edit *, const char *);
enum tui_edit_result tui_edit_key(struct tui_edit *, int ch, int iskey);
/* Draw in rows lines of cols columns from y, x; the cursor is placed
 * there (and shown) when focus. */
void tui_edit_draw(
    const struct tui_edit *, int y, int x, int cols, int rows, int focus);

#endif
