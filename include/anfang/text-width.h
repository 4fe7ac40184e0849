/*
 * Text measured in terminal columns, never in bytes: the one module that
 * knows how wide a character is.  Chinese and other wide characters take
 * two columns, combining marks none; text is cut only between characters.
 * Control characters, bidi controls and invalid UTF-8 are shown as their
 * escapes ("\x1b", "\u202e"), as diag_visible shows them: whatever the
 * text, the terminal is never told to do anything, and the reader sees
 * what was there.
 */
#ifndef ANFANG_TEXT_WIDTH_H
#define ANFANG_TEXT_WIDTH_H

#include <stddef.h>

/*
 * Whether the terminal takes UTF-8; without it every non-ASCII character
 * is shown as '?', one column.  Call once, after setlocale.
 */
void text_width_init(int utf8);
int text_width_utf8(void);

/* Decode one character at s (len bytes left): its code point, or -1 for
 * an invalid sequence; *n is the bytes it takes (at least 1). */
long text_width_decode(const char *s, size_t len, size_t *n);
/* Columns of one code point as displayed: 0, 1 or 2, or its escape's. */
int text_width_char(long cp);
/*
 * The escape a character is shown as, written to out (at most 6 bytes,
 * not terminated): C0 and C1 controls, DEL, the bidi overrides and
 * isolates, and a byte that is not UTF-8 (cp < 0, s its first byte), as
 * "\x1b" or "\u202e".  Returns its length, or 0 for a character shown as
 * it is.  cp is text_width_decode's of s.
 */
size_t text_width_escape(const char *s, long cp, char *out);
/* Columns of a whole string. */
size_t text_width(const char *);
/*
 * How many bytes of s fit in cols columns without splitting a character;
 * *used (may be NULL) is the columns they take.
 */
size_t text_width_fit(const char *s, size_t cols, size_t *used);
/*
 * s made displayable and cut to cols columns, padded with spaces to
 * exactly cols when pad; "…" (or "~") marks a cut when ellipsis.
 * Caller frees.
 */
char *text_width_cell(const char *s, size_t cols, int pad, int ellipsis);
/*
 * Split s into lines of at most cols columns, breaking at spaces where it
 * can and between characters where it must (CJK has no spaces); '\n'
 * breaks too.  A character wider than cols (an escape, in a very narrow
 * column) has a line of its own.  Returns the line count; *lines (caller
 * frees each and the array) holds displayable text.
 */
size_t text_width_wrap(const char *s, size_t cols, char ***lines);
/* s right-aligned in cols columns (not cut when wider).  Caller frees. */
char *text_width_right(const char *s, size_t cols);
/*
 * A bar of value out of max, max filling width columns, in eighths of a
 * column with block characters ('#' per whole column without UTF-8).
 * Caller frees.
 */
char *text_width_bar(double value, double max, size_t width);

#endif
