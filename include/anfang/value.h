/*
 * An answer's value, as the forms engine and the visit core see it: no JSON,
 * no SQL.  yesno is a boolean; number, scale, count and timer are numbers;
 * choice, text, date and time are strings; multi is a set of strings.
 */
#ifndef ANFANG_VALUE_H
#define ANFANG_VALUE_H

#include <stddef.h>

enum value_kind {
	VALUE_NONE = 0,
	VALUE_BOOL,
	VALUE_NUMBER,
	VALUE_STRING,
	VALUE_SET,
};

struct value {
	enum value_kind kind;
	int b;
	double n;
	char *s;
	char **set;
	size_t nset;
};

void value_bool(struct value *, int);
void value_number(struct value *, double);
void value_string(struct value *, const char *);
void value_set(struct value *, const char *const *, size_t);
void value_copy(struct value *dst, const struct value *src);
int value_equal(const struct value *, const struct value *);
int value_set_has(const struct value *, const char *);
void value_clear(struct value *);
/*
 * Text for people and the audit trail: yes, 12.5, "text" (quoted, with
 * \" \\ and \n escaped), ["a", "b"], or - when absent.  Caller frees.
 */
char *value_format(const struct value *);

#endif
