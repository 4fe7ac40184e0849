/* Allocation that cannot fail: out of memory is the one error that exits. */
#ifndef ANFANG_XMALLOC_H
#define ANFANG_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* DIR/NAME with one slash between, however many DIR ends with. */
char *xpath(const char *dir, const char *name);

#endif
