/* Collected diagnostics, printed in one place as file:line:col: message. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/diag.h"
#include "anfang/text-width.h"
#include "anfang/xmalloc.h"

void
diag_vadd(struct diag_list *l, const char *file, int line, int col,
    const char *fmt, va_list ap)
{
	struct diag *d;
	va_list ap2;
	int n;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	d = &l->v[l->n++];
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	d->col = col;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	d->msg = xmalloc(n < 0 ? 1 : (size_t)n + 1);
	if (n < 0)
		d->msg[0] = '\0';
	else
		vsnprintf(d->msg, (size_t)n + 1, fmt, ap);
}

void
diag_add(struct diag_list *l, const char *file, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(l, file, line, col, fmt, ap);
	va_end(ap);
}

char *
diag_format(const struct diag *d)
{
	if (d->file == NULL)
		return xstrdup(d->msg);
	if (d->line <= 0)
		return xasprintf("%s: %s", d->file, d->msg);
	return xasprintf("%s:%d:%d: %s", d->file, d->line, d->col, d->msg);
}

/* Rank of d's file: the order in which files first appear in l. */
static size_t
diag_rank(const struct diag_list *l, const struct diag *d)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct diag *e = &l->v[i];

		if ((e->file == NULL && d->file == NULL) ||
		    (e->file != NULL && d->file != NULL &&
		        strcmp(e->file, d->file) == 0))
			return i;
	}
	return l->n;
}

void
diag_sort(struct diag_list *l)
{
	struct diag tmp;
	size_t *rank, i, j, r;

	rank = xcalloc(l->n + 1, sizeof *rank);
	for (i = 0; i < l->n; i++)
		rank[i] = diag_rank(l, &l->v[i]);
	/* Insertion sort: stable, and lists are short. */
	for (i = 1; i < l->n; i++) {
		tmp = l->v[i];
		r = rank[i];
		for (j = i; j > 0; j--) {
			const struct diag *p = &l->v[j - 1];

			if (rank[j - 1] < r ||
			    (rank[j - 1] == r &&
			        (p->line < tmp.line || (p->line == tmp.line &&
			                                   p->col <= tmp.col))))
				break;
			l->v[j] = l->v[j - 1];
			rank[j] = rank[j - 1];
		}
		l->v[j] = tmp;
		rank[j] = r;
	}
	free(rank);
}

void
diag_print(const struct diag_list *l, FILE *f, const char *prefix)
{
	size_t i;
	char *s, *vis;

	/* A form's text and its file's name are the author's: their controls
	 * are shown, not sent to the terminal. */
	for (i = 0; i < l->n; i++) {
		s = diag_format(&l->v[i]);
		vis = diag_visible(s, 0);
		fprintf(f, "%s%s\n", prefix ? prefix : "", vis);
		free(vis);
		free(s);
	}
}

void
diag_clear(struct diag_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].msg);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

char *
diag_visible(const char *s, int newlines)
{
	size_t len = strlen(s), i = 0, n, o = 0, e;
	char *out = xmalloc(len * 4 + 1);
	long cp;

	while (i < len) {
		cp = text_width_decode(s + i, len - i, &n);
		e = newlines && cp == '\n'
		        ? 0
		        : text_width_escape(s + i, cp, out + o);
		if (e > 0)
			o += e;
		else {
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return out;
}
