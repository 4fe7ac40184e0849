/* UTF-8 validity and encoding (columns and cutting live in text-width). */
#ifndef ANFANG_UTF8_H
#define ANFANG_UTF8_H

#include <stddef.h>

/* Returns the offset of the first invalid byte, or len when all is valid. */
size_t utf8_check(const char *, size_t len);
/* Number of characters (code points) of valid UTF-8. */
size_t utf8_length(const char *, size_t len);
/* Line and column (1-based, columns in characters) of a byte offset. */
void utf8_position(
    const char *, size_t len, size_t offset, int *line, int *col);
/*
 * The UTF-8 of code point cp into out (room bytes): the byte count, or 0
 * when cp is not a Unicode scalar value (a surrogate, past U+10FFFF) or does
 * not fit.  The one encoder of the program: typed text and passphrases.
 */
size_t utf8_encode(long cp, char *out, size_t room);
/* The start of the character before byte offset off (0 at the start). */
size_t utf8_prev(const char *, size_t off);
/* The start of the character after the one at off (len at the end). */
size_t utf8_next(const char *, size_t len, size_t off);

#endif
