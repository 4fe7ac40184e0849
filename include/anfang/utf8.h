/* UTF-8 validity (columns and cutting live in text-width). */
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

#endif
