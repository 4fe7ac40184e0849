/*
 * An answer as the screens show it: short, for one row of a list, and
 * whole, for reading it back (every line of a text, every item of a set).
 */
#ifndef ANFANG_TUI_ANSWER_H
#define ANFANG_TUI_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/visit.h"

/* One line: a text's first line with "…" when there is more. Caller
 * frees. */
char *tui_answer_short(const struct visit *, size_t q, int64_t now);
/* All of it, lines apart by '\n' (a set one item a line). Caller frees. */
char *tui_answer_full(const struct visit *, size_t q, int64_t now);

#endif
