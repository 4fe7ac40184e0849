/*
 * Diagnostics a person must read: "file:line:col: message", collected so that
 * every error of a file is reported, then printed in one place.
 */
#ifndef ANFANG_DIAG_H
#define ANFANG_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct diag {
	char *file; /* may be NULL for errors with no file */
	int line;   /* 1-based; 0 when the error has no position */
	int col;
	char *msg;
};

struct diag_list {
	struct diag *v;
	size_t n;
	size_t cap;
};

void diag_add(struct diag_list *, const char *file, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_vadd(struct diag_list *, const char *file, int line, int col,
    const char *fmt, va_list) __attribute__((format(printf, 5, 0)));
/* "file:line:col: msg" (or shorter when parts are missing). Caller frees. */
char *diag_format(const struct diag *);
/* Sort by file order of appearance, line and column, keeping ties stable. */
void diag_sort(struct diag_list *);
void diag_print(const struct diag_list *, FILE *, const char *prefix);
void diag_clear(struct diag_list *);
/*
 * Text from elsewhere (a received batch, a form, a keyring label) made safe
 * to print on a terminal: C0 and C1 control characters, DEL, the bidi
 * overrides and isolates, and invalid UTF-8 bytes shown as "\x1b" or
 * "\u202e"; newlines kept when newlines is set.  Caller frees.
 */
char *diag_visible(const char *s, int newlines);

#endif
