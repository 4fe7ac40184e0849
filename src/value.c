/* Answer values: small, owned, deep-copied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/value.h"
#include "anfang/xmalloc.h"

void
value_bool(struct value *v, int b)
{
	value_clear(v);
	v->kind = VALUE_BOOL;
	v->b = b != 0;
}

void
value_number(struct value *v, double n)
{
	value_clear(v);
	v->kind = VALUE_NUMBER;
	v->n = n;
}

void
value_string(struct value *v, const char *s)
{
	value_clear(v);
	v->kind = VALUE_STRING;
	v->s = xstrdup(s);
}

void
value_set(struct value *v, const char *const *items, size_t n)
{
	size_t i;

	value_clear(v);
	v->kind = VALUE_SET;
	v->set = xcalloc(n ? n : 1, sizeof *v->set);
	for (i = 0; i < n; i++)
		v->set[i] = xstrdup(items[i]);
	v->nset = n;
}

void
value_copy(struct value *dst, const struct value *src)
{
	switch (src->kind) {
	case VALUE_NONE:
		value_clear(dst);
		break;
	case VALUE_BOOL:
		value_bool(dst, src->b);
		break;
	case VALUE_NUMBER:
		value_number(dst, src->n);
		break;
	case VALUE_STRING:
		value_string(dst, src->s);
		break;
	case VALUE_SET:
		value_set(dst, (const char *const *)src->set, src->nset);
		break;
	}
}

int
value_set_has(const struct value *v, const char *s)
{
	size_t i;

	if (v->kind != VALUE_SET)
		return 0;
	for (i = 0; i < v->nset; i++) {
		if (strcmp(v->set[i], s) == 0)
			return 1;
	}
	return 0;
}

int
value_equal(const struct value *a, const struct value *b)
{
	size_t i;

	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case VALUE_NONE:
		return 1;
	case VALUE_BOOL:
		return a->b == b->b;
	case VALUE_NUMBER:
		return a->n == b->n;
	case VALUE_STRING:
		return strcmp(a->s, b->s) == 0;
	case VALUE_SET:
		/* Sets compare regardless of order. */
		if (a->nset != b->nset)
			return 0;
		for (i = 0; i < a->nset; i++) {
			if (!value_set_has(b, a->set[i]))
				return 0;
		}
		return 1;
	}
	return 0;
}

void
value_clear(struct value *v)
{
	size_t i;

	free(v->s);
	for (i = 0; i < v->nset; i++)
		free(v->set[i]);
	free(v->set);
	memset(v, 0, sizeof *v);
}

static void
value_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void
value_append_quoted(char **buf, size_t *len, size_t *cap, const char *s)
{
	value_append(buf, len, cap, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			value_append(buf, len, cap, "\\", 1);
		if (*s == '\n')
			value_append(buf, len, cap, "\\n", 2);
		else
			value_append(buf, len, cap, s, 1);
	}
	value_append(buf, len, cap, "\"", 1);
}

char *
value_format(const struct value *v)
{
	char *buf = NULL, num[64];
	size_t len = 0, cap = 0, i;

	switch (v->kind) {
	case VALUE_NONE:
		return xstrdup("-");
	case VALUE_BOOL:
		return xstrdup(v->b ? "yes" : "no");
	case VALUE_NUMBER:
		snprintf(num, sizeof num, "%.15g", v->n);
		return xstrdup(num);
	case VALUE_STRING:
		value_append_quoted(&buf, &len, &cap, v->s);
		return buf;
	case VALUE_SET:
		value_append(&buf, &len, &cap, "[", 1);
		for (i = 0; i < v->nset; i++) {
			if (i > 0)
				value_append(&buf, &len, &cap, ", ", 2);
			value_append_quoted(&buf, &len, &cap, v->set[i]);
		}
		value_append(&buf, &len, &cap, "]", 1);
		return buf;
	}
	return xstrdup("?");
}
