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
	const char *accept; /* if not NULL, the only characters taken (ASCII;
	                       their full-width forms are taken as them) */
	int selected;       /* the whole text is a suggestion: the first
	                       character typed replaces it */
	char note[160];     /* why the last key was refused, or "" */
};

/* (Re)start an editor; the struct must be zeroed or initialised. */
void tui_edit_init(struct tui_edit *, const char *text, int multiline,
    size_t max_chars, const char *accept);
void tui_edit_free(struct tui_edit *);
void tui_edit_set(struct tui_edit *, const char *);
/* Select the whole text: typing replaces it, Enter keeps it, a move or
 * Backspace ends the selection (Backspace by clearing it). */
void tui_edit_select(struct tui_edit *);
/*
 * The character an editor taking accept makes of code point cp: cp itself
 * (ASCII) when accept has it, the ASCII of a full-width digit, '.' for the
 * ideographic, full-width and half-width full stops, '-' for the
 * full-width hyphen-minus and U+2212, ':' for the full-width colon (each
 * when accept has it); 0 when it is not taken.
 */
int tui_edit_takes(const char *accept, long cp);
/* Editing a time: "9:05" is "09:05" (a time is kept HH:MM). */
void tui_edit_pad_time(struct tui_edit *);
/* A key refused (not taken by accept, or past max_chars) leaves the text
 * as it was, says why in note, and is TUI_EDIT_GOING. */
enum tui_edit_result tui_edit_key(struct tui_edit *, int ch, int iskey);
/*
 * Whether the text typed in a filter (query) finds a line of a list with
 * name and id (id may be NULL): 0 no, 1 every word of query is in the name
 * or the id, 2 as well but only because a word of CJK (no ASCII in it) is
 * in the name as characters in the same order, not side by side
 * ("西城稅務" for "西城區稅務局"; loose, for when nothing matches 1).  Words
 * are separated by spaces (the ideographic one too) and match in any order;
 * ASCII letters match either case.  An empty query finds everything (1).
 */
int tui_edit_match(const char *query, const char *name, const char *id);
/* Draw in rows lines of cols columns from y, x, with the note after the
 * text; the cursor is placed there (and shown) when focus. */
void tui_edit_draw(
    const struct tui_edit *, int y, int x, int cols, int rows, int focus);

#endif
