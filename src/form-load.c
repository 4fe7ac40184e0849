/*
 * Loading forms and sites files from YAML.  libyaml's events are first
 * turned into a small tree that keeps every node's line and column (so that
 * each error can say where it is), with a depth limit and no aliases, then
 * the tree is walked into a struct form.  Errors are collected, never
 * printed: every error of a file is reported, not only the first.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "anfang/crypt-hash.h"
#include "anfang/form-check.h"
#include "anfang/form-expr.h"
#include "anfang/form-load.h"
#include "anfang/i18n.h"
#include "anfang/utf8.h"
#include "anfang/xmalloc.h"

#define LOAD_MAX_DEPTH     32
#define LOAD_MAX_STRING    65536
#define LOAD_MAX_QUESTIONS 10000
#define LOAD_MAX_CHOICES   1000
#define LOAD_MAX_UNITS     100000
#define LOAD_MAX_ID        64

enum ykind {
	Y_SCALAR,
	Y_SEQ,
	Y_MAP,
};

/* The tree lives in one arena, freed at once: forms have many nodes. */
struct yarena {
	struct yarena *next;
	size_t used;
	size_t size;
	unsigned char data[];
};

struct ynode {
	struct yarena *arena; /* the root's: every chunk of the tree */
	enum ykind kind;
	int line;
	int col;
	char *s; /* scalar */
	size_t len;
	int quoted;
	struct ynode **kids; /* sequence items, or map keys and values */
	size_t n;
};

struct loader {
	const char *file;
	const char *dir;
	struct diag_list *diags;
	int errors;
	size_t questions_cap; /* of the form being loaded */
};

static void __attribute__((format(printf, 3, 4)))
load_error(struct loader *ld, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(
	    ld->diags, ld->file, at ? at->line : 1, at ? at->col : 1, fmt, ap);
	va_end(ap);
	ld->errors++;
}

static void
load_node_free(struct ynode *root)
{
	struct yarena *a, *next;

	if (root == NULL)
		return;
	for (a = root->arena; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
}

static void *
load_alloc(struct yarena **arena, size_t size)
{
	struct yarena *a = *arena;
	size_t chunk;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (a == NULL || a->size - a->used < size) {
		chunk = size > 65536 ? size : 65536;
		a = xmalloc(sizeof *a + chunk);
		a->next = *arena;
		a->used = 0;
		a->size = chunk;
		*arena = a;
	}
	p = a->data + a->used;
	a->used += size;
	return p;
}

/* The YAML tree. */

struct ybuild {
	yaml_parser_t parser;
	struct yarena *arena;
	struct loader *ld;
	const char *buf;
	size_t len;
	int failed;
};

static void
load_parser_error(struct ybuild *b)
{
	yaml_parser_t *p = &b->parser;
	const char *problem = p->problem ? p->problem : _("malformed YAML");
	int line, col;
	size_t off;

	if (p->error == YAML_READER_ERROR) {
		off = p->problem_offset;
		utf8_position(b->buf, b->len, off, &line, &col);
	} else {
		off = p->problem_mark.index;
		line = (int)p->problem_mark.line + 1;
		col = (int)p->problem_mark.column + 1;
	}
	if (off < b->len && b->buf[off] == '\t') {
		diag_add(b->ld->diags, b->ld->file, line, col,
		    _("tab character: YAML indents with spaces only"));
	} else if (p->context != NULL) {
		diag_add(b->ld->diags, b->ld->file, line, col,
		    _("YAML: %s %s (line %d)"), problem, p->context,
		    (int)p->context_mark.line + 1);
	} else
		diag_add(b->ld->diags, b->ld->file, line, col, _("YAML: %s"),
		    problem);
	b->ld->errors++;
	b->failed = 1;
}

static int
load_event(struct ybuild *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev)) {
		load_parser_error(b);
		return -1;
	}
	return 0;
}

static void
load_build_error(struct ybuild *b, const yaml_mark_t *m, const char *msg)
{
	diag_add(b->ld->diags, b->ld->file, (int)m->line + 1,
	    (int)m->column + 1, "%s", msg);
	b->ld->errors++;
	b->failed = 1;
}

/* Build the node that starts with ev (already read); NULL on error. */
static struct ynode *
load_build(struct ybuild *b, yaml_event_t *ev, int depth)
{
	struct ynode *n, *kid, **kids = NULL;
	yaml_event_t next;
	yaml_event_type_t end;
	size_t cap = 0;

	if (ev->type == YAML_ALIAS_EVENT) {
		load_build_error(b, &ev->start_mark,
		    _("YAML aliases (*name) are not supported in forms"));
		return NULL;
	}
	if (depth > LOAD_MAX_DEPTH) {
		load_build_error(b, &ev->start_mark, _("nested too deeply"));
		return NULL;
	}
	n = load_alloc(&b->arena, sizeof *n);
	memset(n, 0, sizeof *n);
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n->kind = Y_SCALAR;
		n->len = ev->data.scalar.length;
		n->s = load_alloc(&b->arena, n->len + 1);
		memcpy(n->s, ev->data.scalar.value, n->len);
		n->s[n->len] = '\0';
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		return n;
	case YAML_SEQUENCE_START_EVENT:
		n->kind = Y_SEQ;
		end = YAML_SEQUENCE_END_EVENT;
		break;
	case YAML_MAPPING_START_EVENT:
		n->kind = Y_MAP;
		end = YAML_MAPPING_END_EVENT;
		break;
	default:
		load_build_error(
		    b, &ev->start_mark, _("unexpected YAML event"));
		return NULL;
	}
	for (;;) {
		if (load_event(b, &next) != 0)
			goto fail;
		if (next.type == end) {
			yaml_event_delete(&next);
			break;
		}
		kid = load_build(b, &next, depth + 1);
		yaml_event_delete(&next);
		if (kid == NULL)
			goto fail;
		if (n->n == cap) {
			cap = cap ? cap * 2 : 8;
			kids = xreallocarray(kids, cap, sizeof *kids);
		}
		kids[n->n++] = kid;
	}
	n->kids = load_alloc(&b->arena, n->n * sizeof *kids + 1);
	if (n->n > 0)
		memcpy(n->kids, kids, n->n * sizeof *kids);
	free(kids);
	return n;
fail:
	free(kids); /* the nodes themselves go with the arena */
	return NULL;
}

/* Parse buf into a tree: one document whose root is returned. */
static struct ynode *
load_yaml(struct loader *ld, const char *buf, size_t len)
{
	struct ybuild b;
	struct ynode *root = NULL;
	yaml_event_t ev;
	int state = 0; /* 0 before the root, 1 after it */

	memset(&b, 0, sizeof b);
	b.ld = ld;
	b.buf = buf;
	b.len = len;
	if (!yaml_parser_initialize(&b.parser)) {
		load_error(ld, NULL, _("cannot initialise the YAML parser"));
		return NULL;
	}
	yaml_parser_set_input_string(
	    &b.parser, (const unsigned char *)buf, len);
	while (!b.failed) {
		if (load_event(&b, &ev) != 0)
			break;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (state != 0)
				load_build_error(&b, &ev.start_mark,
				    _("only one YAML document is allowed"));
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			goto done;
		default:
			root = load_build(&b, &ev, 0);
			state = 1;
			break;
		}
		yaml_event_delete(&ev);
	}
done:
	yaml_parser_delete(&b.parser);
	if (b.failed || root == NULL) {
		load_node_free(&(struct ynode){ .arena = b.arena });
		root = NULL;
	} else
		root->arena = b.arena;
	if (root == NULL && !b.failed)
		load_error(ld, NULL,
		    _("empty file: a form needs at least "
		      "form, version, title and sections"));
	return root;
}

/* Reading values out of the tree. */

static const char *
load_kind_name(enum ykind k)
{
	switch (k) {
	case Y_SCALAR:
		return _("a value");
	case Y_SEQ:
		return _("a list");
	case Y_MAP:
		return _("a mapping");
	}
	return "?";
}

static int
load_want(
    struct loader *ld, const struct ynode *n, enum ykind kind, const char *key)
{
	if (n->kind == kind)
		return 0;
	load_error(ld, n, _("\"%s\" must be %s, not %s"), key,
	    load_kind_name(kind), load_kind_name(n->kind));
	return -1;
}

/* A string value: not empty, no NUL, not too long. Caller frees. */
static char *
load_string(struct loader *ld, const struct ynode *n, const char *key)
{
	if (load_want(ld, n, Y_SCALAR, key) != 0)
		return NULL;
	if (n->len == 0) {
		load_error(ld, n, _("\"%s\" is empty"), key);
		return NULL;
	}
	if (strlen(n->s) != n->len) {
		load_error(ld, n, _("\"%s\" contains a NUL character"), key);
		return NULL;
	}
	if (n->len > LOAD_MAX_STRING) {
		load_error(ld, n, _("\"%s\" is too long (%zu bytes, limit %d)"),
		    key, n->len, LOAD_MAX_STRING);
		return NULL;
	}
	return xstrdup(n->s);
}

static int
load_bool(struct loader *ld, const struct ynode *n, const char *key, int *out)
{
	static const char *const t[] = { "true", "yes", "True", "Yes" };
	static const char *const f[] = { "false", "no", "False", "No" };
	size_t i;

	if (load_want(ld, n, Y_SCALAR, key) != 0)
		return -1;
	for (i = 0; i < 4; i++) {
		if (strcmp(n->s, t[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(n->s, f[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	load_error(
	    ld, n, _("\"%s\" must be true or false, not \"%s\""), key, n->s);
	return -1;
}

static int
load_parse_number(const char *s, double *out)
{
	char *end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || errno != 0 || !isfinite(*out))
		return -1;
	/* Only plain decimal numbers: no hex, inf or exponents. */
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s) && *s != '.' && *s != '-' &&
		    *s != '+')
			return -1;
	}
	return 0;
}

static int
load_number(
    struct loader *ld, const struct ynode *n, const char *key, double *out)
{
	if (load_want(ld, n, Y_SCALAR, key) != 0)
		return -1;
	if (load_parse_number(n->s, out) != 0) {
		load_error(
		    ld, n, _("\"%s\" must be a number, not \"%s\""), key, n->s);
		return -1;
	}
	return 0;
}

static int
load_integer(struct loader *ld, const struct ynode *n, const char *key, long lo,
    long hi, long *out)
{
	double d;

	if (load_want(ld, n, Y_SCALAR, key) != 0)
		return -1;
	if (load_parse_number(n->s, &d) != 0 || d != floor(d) || d < lo ||
	    d > hi) {
		load_error(ld, n,
		    _("\"%s\" must be a whole number from %ld to "
		      "%ld, not \"%s\""),
		    key, lo, hi, n->s);
		return -1;
	}
	*out = (long)d;
	return 0;
}

/* Find key in a map; NULL when absent. */
static const struct ynode *
load_get(const struct ynode *map, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < map->n; i += 2) {
		if (map->kids[i]->kind == Y_SCALAR &&
		    strcmp(map->kids[i]->s, key) == 0)
			return map->kids[i + 1];
	}
	return NULL;
}

/*
 * Check a map's keys: each a plain string, known, and not repeated.
 * Returns -1 when the node is not a map at all.
 */
static int
load_keys(struct loader *ld, const struct ynode *map, const char *what,
    const char *const *known)
{
	const struct ynode *k;
	size_t i, j;

	if (map->kind != Y_MAP) {
		load_error(ld, map, _("%s must be a mapping, not %s"), what,
		    load_kind_name(map->kind));
		return -1;
	}
	for (i = 0; i + 1 < map->n; i += 2) {
		k = map->kids[i];
		if (k->kind != Y_SCALAR) {
			load_error(ld, k, _("keys must be plain words"));
			continue;
		}
		for (j = 0; j < i; j += 2) {
			if (map->kids[j]->kind == Y_SCALAR &&
			    strcmp(map->kids[j]->s, k->s) == 0) {
				load_error(ld, k,
				    _("duplicate key \"%s\" (first at line "
				      "%d)"),
				    k->s, map->kids[j]->line);
				break;
			}
		}
		if (known == NULL)
			continue;
		for (j = 0; known[j] != NULL; j++) {
			if (strcmp(known[j], k->s) == 0)
				break;
		}
		if (known[j] == NULL)
			load_error(
			    ld, k, _("unknown key \"%s\" in %s"), k->s, what);
	}
	return 0;
}

static int
load_valid_id(const char *s, int form_id)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > LOAD_MAX_ID)
		return 0;
	if (form_id) {
		if (!islower((unsigned char)s[0]))
			return 0;
		for (i = 0; i < n; i++) {
			if (!islower((unsigned char)s[i]) &&
			    !isdigit((unsigned char)s[i]) && s[i] != '-')
				return 0;
		}
		return 1;
	}
	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return 0;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	}
	return 1;
}

static int
load_reserved(const char *s)
{
	static const char *const words[] = { "yes", "no", "and", "or", "not",
		"in", "answered", "true", "false", NULL };
	size_t i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcmp(words[i], s) == 0)
			return 1;
	}
	return 0;
}

/* Units: an inline list, or a sites file beside the form. */

static void
load_unit_list(struct loader *ld, struct form *f, const struct ynode *list)
{
	const struct ynode *item, *id, *name;
	static const char *const keys[] = { "id", "name", NULL };
	struct form_unit *u;
	size_t i, j;

	if (load_want(ld, list, Y_SEQ, "units") != 0)
		return;
	if (list->n == 0) {
		load_error(ld, list, _("\"units\" is an empty list"));
		return;
	}
	if (list->n > LOAD_MAX_UNITS) {
		load_error(ld, list, _("too many units (%zu, limit %d)"),
		    list->n, LOAD_MAX_UNITS);
		return;
	}
	f->units = xcalloc(list->n, sizeof *f->units);
	for (i = 0; i < list->n; i++) {
		item = list->kids[i];
		u = &f->units[f->nunits];
		if (item->kind == Y_SCALAR) {
			if ((u->name = load_string(ld, item, "unit")) == NULL)
				continue;
			u->id = xstrdup(u->name);
		} else {
			if (load_keys(ld, item, _("a unit"), keys) != 0)
				continue;
			id = load_get(item, "id");
			name = load_get(item, "name");
			if (id == NULL || name == NULL) {
				load_error(ld, item,
				    _("a unit needs both \"id\" and \"name\""));
				continue;
			}
			u->id = load_string(ld, id, "id");
			u->name = load_string(ld, name, "name");
			if (u->id == NULL || u->name == NULL) {
				free(u->id);
				free(u->name);
				continue;
			}
		}
		for (j = 0; j < f->nunits; j++) {
			if (strcmp(f->units[j].id, u->id) == 0)
				break;
		}
		if (j < f->nunits) {
			load_error(ld, item, _("duplicate unit \"%s\""), u->id);
			free(u->id);
			free(u->name);
			continue;
		}
		f->nunits++;
	}
}

static int load_read_file(
    const char *path, char **buf, size_t *len, char **cause);

static void
load_sites(struct loader *ld, struct form *f, const struct ynode *n)
{
	static const char *const keys[] = { "units", NULL };
	struct loader sub;
	struct ynode *root;
	const struct ynode *list;
	char *path, *buf, *cause;
	size_t len, bad;

	if (n->s[0] == '/') {
		load_error(ld, n,
		    _("the sites file must be named relative to "
		      "the form's directory"));
		return;
	}
	f->units_file = xstrdup(n->s);
	/* A stored form text is loaded without its directory: its visits
	 * already hold their unit, so the sites file is not needed. */
	if (ld->dir == NULL)
		return;
	path = xasprintf("%s/%s", ld->dir, n->s);
	if (load_read_file(path, &buf, &len, &cause) != 0) {
		load_error(ld, n, _("sites file %s: %s"), path, cause);
		free(cause);
		free(path);
		return;
	}
	sub = *ld;
	sub.file = path;
	sub.errors = 0;
	if ((bad = utf8_check(buf, len)) != len) {
		int line, col;

		utf8_position(buf, len, bad, &line, &col);
		diag_add(ld->diags, path, line, col, _("invalid UTF-8"));
		sub.errors++;
	} else if ((root = load_yaml(&sub, buf, len)) != NULL) {
		if (load_keys(&sub, root, _("a sites file"), keys) == 0) {
			if ((list = load_get(root, "units")) == NULL)
				load_error(&sub, root,
				    _("a sites file has one key, \"units\""));
			else
				load_unit_list(&sub, f, list);
		}
		load_node_free(root);
	}
	ld->errors += sub.errors;
	free(buf);
	free(path);
}

/* Questions. */

/* The types a key applies to, as a bit mask of enum form_type. */
#define T(x)        (1u << (x))
#define ALL_ANSWERS (~T(FORM_NOTE) & ((1u << FORM_NTYPES) - 1))
#define ALL_TYPES   ((1u << FORM_NTYPES) - 1)
#define TARGET_TYPES                                                           \
	(T(FORM_YESNO) | T(FORM_CHOICE) | T(FORM_MULTI) | T(FORM_NUMBER) |     \
	    T(FORM_SCALE) | T(FORM_COUNT) | T(FORM_TIMER))

static const struct {
	const char *key;
	unsigned types;
} load_question_keys[] = {
	{ "id", ALL_TYPES },
	{ "type", ALL_TYPES },
	{ "label", ALL_TYPES },
	{ "hint", ALL_TYPES },
	{ "show_if", ALL_TYPES },
	{ "required", ALL_ANSWERS },
	{ "default", ALL_ANSWERS & ~T(FORM_TIMER) },
	{ "constraint", ALL_ANSWERS },
	{ "constraint_message", ALL_ANSWERS },
	{ "warn_if", ALL_ANSWERS },
	{ "warn_message", ALL_ANSWERS },
	{ "alert_if", ALL_ANSWERS },
	{ "severity", ALL_ANSWERS },
	{ "alert_message", ALL_ANSWERS },
	{ "score",
	    T(FORM_YESNO) | T(FORM_CHOICE) | T(FORM_MULTI) | T(FORM_SCALE) },
	{ "choices", T(FORM_CHOICE) | T(FORM_MULTI) },
	{ "min", T(FORM_NUMBER) | T(FORM_SCALE) | T(FORM_COUNT) },
	{ "max", T(FORM_NUMBER) | T(FORM_SCALE) | T(FORM_COUNT) },
	{ "unit", T(FORM_NUMBER) },
	{ "decimals", T(FORM_NUMBER) },
	{ "labels", T(FORM_SCALE) },
	{ "lines", T(FORM_TEXT) },
	{ "max_length", T(FORM_TEXT) },
	{ "target", TARGET_TYPES },
};

static void
load_choices(struct loader *ld, struct form_question *q, const struct ynode *n)
{
	static const char *const keys[] = { "value", "label", NULL };
	const struct ynode *item, *v, *l;
	struct form_choice *c;
	size_t i;

	if (load_want(ld, n, Y_SEQ, "choices") != 0)
		return;
	if (n->n == 0) {
		load_error(ld, n, _("\"choices\" is an empty list"));
		return;
	}
	if (n->n > LOAD_MAX_CHOICES) {
		load_error(ld, n, _("too many choices (%zu, limit %d)"), n->n,
		    LOAD_MAX_CHOICES);
		return;
	}
	q->choices = xcalloc(n->n, sizeof *q->choices);
	for (i = 0; i < n->n; i++) {
		item = n->kids[i];
		c = &q->choices[q->nchoices];
		if (item->kind == Y_SCALAR) {
			if ((c->value = load_string(ld, item, "choice")) ==
			    NULL)
				continue;
			c->label = xstrdup(c->value);
		} else {
			if (load_keys(ld, item, _("a choice"), keys) != 0)
				continue;
			v = load_get(item, "value");
			l = load_get(item, "label");
			if (v == NULL || l == NULL) {
				load_error(ld, item,
				    _("a choice needs both "
				      "\"value\" and \"label\""));
				continue;
			}
			c->value = load_string(ld, v, "value");
			c->label = load_string(ld, l, "label");
			if (c->value == NULL || c->label == NULL) {
				free(c->value);
				free(c->label);
				continue;
			}
		}
		if (form_find_choice(q, c->value) != NULL) {
			load_error(
			    ld, item, _("duplicate choice \"%s\""), c->value);
			free(c->value);
			free(c->label);
			continue;
		}
		q->nchoices++;
	}
}

static void
load_expr(struct loader *ld, const struct ynode *n, const char *key,
    struct form_expr **out)
{
	struct form_pos pos, errpos;
	char *cause;

	if (load_want(ld, n, Y_SCALAR, key) != 0)
		return;
	pos.line = n->line;
	pos.col = n->col + (n->quoted ? 1 : 0);
	*out = form_expr_parse(n->s, pos, &cause, &errpos);
	if (*out == NULL) {
		diag_add(ld->diags, ld->file, errpos.line, errpos.col, "%s: %s",
		    key, cause);
		ld->errors++;
		free(cause);
	}
}

static void
load_default(struct loader *ld, struct form_question *q, const struct ynode *n)
{
	const struct ynode *item;
	const char **items;
	char *why;
	double d;
	size_t i;

	if (q->type == FORM_MULTI) {
		if (load_want(ld, n, Y_SEQ, "default") != 0)
			return;
		items = xcalloc(n->n ? n->n : 1, sizeof *items);
		for (i = 0; i < n->n; i++) {
			item = n->kids[i];
			if (item->kind != Y_SCALAR ||
			    form_find_choice(q, item->s) == NULL) {
				load_error(ld, item,
				    _("default: \"%s\" is not a choice"),
				    item->kind == Y_SCALAR ? item->s : "?");
				free(items);
				return;
			}
			items[i] = item->s;
		}
		value_set(&q->dflt, items, n->n);
		free(items);
		return;
	}
	if (load_want(ld, n, Y_SCALAR, "default") != 0)
		return;
	switch (q->type) {
	case FORM_YESNO:
		if (strcmp(n->s, "yes") != 0 && strcmp(n->s, "no") != 0) {
			load_error(ld, n, _("default must be yes or no"));
			return;
		}
		value_bool(&q->dflt, strcmp(n->s, "yes") == 0);
		return;
	case FORM_CHOICE:
		if (form_find_choice(q, n->s) == NULL) {
			load_error(
			    ld, n, _("default: \"%s\" is not a choice"), n->s);
			return;
		}
		value_string(&q->dflt, n->s);
		return;
	case FORM_NUMBER:
	case FORM_SCALE:
	case FORM_COUNT:
		if (load_number(ld, n, "default", &d) != 0)
			return;
		if ((why = form_number_fits(q, d)) != NULL) {
			load_error(ld, n, _("default %s %s"), n->s, why);
			free(why);
			return;
		}
		value_number(&q->dflt, d);
		return;
	case FORM_DATE:
		if (!form_valid_date(n->s)) {
			load_error(
			    ld, n, _("default must be a date YYYY-MM-DD"));
			return;
		}
		value_string(&q->dflt, n->s);
		return;
	case FORM_TIME:
		if (!form_valid_time(n->s)) {
			load_error(ld, n, _("default must be a time HH:MM"));
			return;
		}
		value_string(&q->dflt, n->s);
		return;
	case FORM_TEXT:
		if (n->len > 0 && strlen(n->s) == n->len)
			value_string(&q->dflt, n->s);
		return;
	default:
		return;
	}
}

static void
load_scores(struct loader *ld, struct form_question *q, const struct ynode *n)
{
	const struct ynode *k;
	struct form_score *s;
	double pts;
	long v;
	size_t i;

	if (load_keys(ld, n, "score", NULL) != 0)
		return;
	q->scores = xcalloc(n->n / 2 + 1, sizeof *q->scores);
	for (i = 0; i + 1 < n->n; i += 2) {
		k = n->kids[i];
		if (k->kind != Y_SCALAR ||
		    load_number(ld, n->kids[i + 1], "score", &pts) != 0)
			continue;
		switch (q->type) {
		case FORM_YESNO:
			if (strcmp(k->s, "yes") != 0 &&
			    strcmp(k->s, "no") != 0) {
				load_error(ld, k,
				    _("score: a yes/no question scores \"yes\" "
				      "and \"no\", not \"%s\""),
				    k->s);
				continue;
			}
			break;
		case FORM_SCALE:
			if (load_integer(ld, k, "score", (long)q->min,
			        (long)q->max, &v) != 0)
				continue;
			break;
		default:
			if (form_find_choice(q, k->s) == NULL) {
				load_error(ld, k,
				    _("score: \"%s\" is not a choice"), k->s);
				continue;
			}
			break;
		}
		s = &q->scores[q->nscores++];
		/* "03" and "+3" score answer 3: keep the canonical form */
		s->answer =
		    q->type == FORM_SCALE ? xasprintf("%ld", v) : xstrdup(k->s);
		s->points = pts;
		s->pos.line = k->line;
		s->pos.col = k->col;
	}
}

static void
load_scale_labels(
    struct loader *ld, struct form_question *q, const struct ynode *n)
{
	size_t i, want = (size_t)(q->max - q->min + 1);
	char *s;

	if (load_want(ld, n, Y_SEQ, "labels") != 0)
		return;
	if (n->n != want) {
		load_error(ld, n,
		    _("a scale from %.0f to %.0f needs %zu labels, "
		      "not %zu"),
		    q->min, q->max, want, n->n);
		return;
	}
	q->labels = xcalloc(n->n, sizeof *q->labels);
	for (i = 0; i < n->n; i++) {
		if ((s = load_string(ld, n->kids[i], "label")) != NULL)
			q->labels[q->nlabels++] = s;
	}
}

/* A share's bound: "70%", from 0 to 100 per cent. */
static int
load_percent(
    struct loader *ld, const struct ynode *n, const char *key, double *out)
{
	char *num;
	int rc;

	if (load_want(ld, n, Y_SCALAR, key) != 0)
		return -1;
	num = n->len > 1 && n->s[n->len - 1] == '%' ? xstrndup(n->s, n->len - 1)
	                                            : NULL;
	rc = num != NULL && load_parse_number(num, out) == 0 && *out >= 0 &&
	             *out <= 100
	         ? 0
	         : -1;
	free(num);
	if (rc != 0)
		load_error(ld, n,
		    _("\"%s\": a share is a percentage from 0%% to 100%%, like "
		      "70%%, not \"%s\""),
		    key, n->s);
	return rc;
}

/*
 * target: {figure: share, of: ANSWER, at_least|at_most: P%} for yes/no,
 * choice and multi; {figure: median|p90|mean, at_least|at_most: N} for
 * number, scale, count and timer (seconds).  A bound every answer meets,
 * or none can, is no target.
 */
static void
load_target(struct loader *ld, struct form_question *q, const struct ynode *n)
{
	static const char *const keys[] = { "figure", "of", "at_least",
		"at_most", NULL };
	static const enum form_figure figs[] = { FORM_FIGURE_SHARE,
		FORM_FIGURE_MEDIAN, FORM_FIGURE_P90, FORM_FIGURE_MEAN };
	struct form_target *t = &q->target;
	const struct ynode *fig, *of, *least, *most, *b;
	int share = q->type == FORM_YESNO || q->type == FORM_CHOICE ||
	            q->type == FORM_MULTI;
	enum form_figure want = FORM_FIGURE_NONE;
	double lo = -HUGE_VAL, hi = HUGE_VAL, bound;
	size_t i;

	if (load_keys(ld, n, "target", keys) != 0)
		return;
	fig = load_get(n, "figure");
	of = load_get(n, "of");
	least = load_get(n, "at_least");
	most = load_get(n, "at_most");
	if (fig == NULL) {
		load_error(ld, n,
		    _("a target needs a \"figure\" (share, median, p90 or "
		      "mean)"));
		return;
	}
	if (load_want(ld, fig, Y_SCALAR, "figure") != 0)
		return;
	for (i = 0; i < sizeof figs / sizeof *figs; i++) {
		if (strcmp(fig->s, form_figure_name(figs[i])) == 0)
			want = figs[i];
	}
	if (want == FORM_FIGURE_NONE) {
		load_error(ld, fig,
		    _("figure must be share, median, p90 or mean, not \"%s\""),
		    fig->s);
		return;
	}
	if ((want == FORM_FIGURE_SHARE) != share) {
		load_error(ld, fig,
		    share
		        ? _("a %s question's target is a share of one answer, "
		            "not a %s")
		        : _("a %s question's target is a median, p90 or "
		            "mean, not a %s"),
		    form_type_name(q->type), fig->s);
		return;
	}
	if ((least == NULL) == (most == NULL)) {
		load_error(ld, least ? most : n,
		    _("a target needs one bound: \"at_least\" or "
		      "\"at_most\""));
		return;
	}
	b = least ? least : most;
	if (share && of == NULL) {
		load_error(
		    ld, n, _("a share needs \"of\": the answer counted"));
		return;
	}
	if (!share && of != NULL) {
		load_error(ld, of, _("\"of\" is for a share only"));
		return;
	}
	if (share) {
		if (load_want(ld, of, Y_SCALAR, "of") != 0)
			return;
		if (q->type == FORM_YESNO
		        ? strcmp(of->s, "yes") != 0 && strcmp(of->s, "no") != 0
		        : form_find_choice(q, of->s) == NULL) {
			load_error(ld, of,
			    q->type == FORM_YESNO
			        ? _("of: a yes/no question's answers are "
			            "\"yes\" and \"no\", not \"%s\"")
			        : _("of: \"%s\" is not a choice"),
			    of->s);
			return;
		}
		if (load_percent(
		        ld, b, least ? "at_least" : "at_most", &bound) != 0)
			return;
		lo = 0;
		hi = 100;
	} else {
		if (load_number(
		        ld, b, least ? "at_least" : "at_most", &bound) != 0)
			return;
		if (q->has_min)
			lo = q->min;
		else if (q->type == FORM_TIMER)
			lo = 0;
		if (q->has_max)
			hi = q->max;
		if (bound < lo || bound > hi) {
			load_error(ld, b,
			    _("the bound %s is outside the answers the "
			      "question takes"),
			    b->s);
			return;
		}
	}
	if ((least && bound <= lo) || (most && bound >= hi)) {
		load_error(ld, b, _("\"%s: %s\" is always met: no target"),
		    least ? "at_least" : "at_most", b->s);
		return;
	}
	t->figure = want;
	t->of = share ? xstrdup(of->s) : NULL;
	t->at_most = most != NULL;
	t->bound = bound;
	t->pos.line = n->line;
	t->pos.col = n->col;
}

/* The bounds of number, scale and count, with their defaults and checks. */
static void
load_bounds(struct loader *ld, struct form_question *q, const struct ynode *m)
{
	const struct ynode *min = load_get(m, "min"), *max = load_get(m, "max");
	long v;

	switch (q->type) {
	case FORM_SCALE:
		q->has_min = q->has_max = 1;
		q->min = 1;
		q->max = 5;
		if (min != NULL && load_integer(ld, min, "min", 0, 9, &v) == 0)
			q->min = (double)v;
		if (max != NULL && load_integer(ld, max, "max", 1, 10, &v) == 0)
			q->max = (double)v;
		if (q->min >= q->max) {
			load_error(ld,
			    max   ? max
			    : min ? min
			          : m,
			    _("a scale's min (%.0f) must be below its max "
			      "(%.0f)"),
			    q->min, q->max);
			q->max = q->min + 1;
		} else if (q->max - q->min + 1 > 10) {
			load_error(ld, max ? max : m,
			    _("a scale has at most 10 points, not %.0f"),
			    q->max - q->min + 1);
			q->max = q->min + 9;
		}
		return;
	case FORM_COUNT:
		q->has_min = 1;
		q->min = 0;
		if (min != NULL &&
		    load_integer(ld, min, "min", 0, 1000000000, &v) == 0)
			q->min = (double)v;
		if (max != NULL &&
		    load_integer(ld, max, "max", 0, 1000000000, &v) == 0) {
			q->has_max = 1;
			q->max = (double)v;
		}
		break;
	case FORM_NUMBER:
		if (min != NULL && load_number(ld, min, "min", &q->min) == 0)
			q->has_min = 1;
		if (max != NULL && load_number(ld, max, "max", &q->max) == 0)
			q->has_max = 1;
		break;
	default:
		return;
	}
	if (q->has_min && q->has_max && q->min > q->max) {
		load_error(ld, max, _("min (%s) is greater than max (%s)"),
		    min->s, max->s);
		q->has_max = 0;
	}
}

static void
load_question(
    struct loader *ld, struct form *f, const struct ynode *m, size_t section)
{
	const struct ynode *id, *type, *label, *k, *v;
	struct form_question *q;
	enum form_type t;
	size_t i, j;
	long n;
	char *s;

	if (load_keys(ld, m, _("a question"), NULL) != 0)
		return;
	id = load_get(m, "id");
	type = load_get(m, "type");
	label = load_get(m, "label");
	if (id == NULL || type == NULL || label == NULL) {
		load_error(ld, m, _("a question needs %s"),
		    id == NULL     ? _("an \"id\"")
		    : type == NULL ? _("a \"type\"")
		                   : _("a \"label\""));
		if (id == NULL || type == NULL)
			return;
	}
	/* A question of unknown type stays in the model, typed FORM_NTYPES,
	 * so that references to it are not reported as unknown ids too. */
	t = FORM_NTYPES;
	if (load_want(ld, type, Y_SCALAR, "type") == 0 &&
	    form_type_from_name(type->s, &t) != 0)
		load_error(ld, type, _("unknown type \"%s\""), type->s);
	if (id->kind != Y_SCALAR || !load_valid_id(id->s, 0)) {
		load_error(ld, id,
		    _("invalid question id \"%s\" (letters, digits and _, "
		      "starting with a letter, at most %d)"),
		    id->kind == Y_SCALAR ? id->s : "?", LOAD_MAX_ID);
		return;
	}
	if (load_reserved(id->s)) {
		load_error(
		    ld, id, _("\"%s\" is a reserved word, not an id"), id->s);
		return;
	}
	if (form_find(f, id->s) >= 0) {
		load_error(ld, id,
		    _("duplicate question id \"%s\" (first at "
		      "line %d)"),
		    id->s, f->questions[form_find(f, id->s)].pos.line);
		return;
	}
	if (f->nquestions >= LOAD_MAX_QUESTIONS) {
		load_error(ld, m, _("too many questions (limit %d)"),
		    LOAD_MAX_QUESTIONS);
		return;
	}

	/* Doubling: growing by one copies the array once per question,
	 * quadratic on the largest forms allowed. */
	if (f->nquestions == ld->questions_cap) {
		ld->questions_cap =
		    ld->questions_cap ? 2 * ld->questions_cap : 16;
		f->questions = xreallocarray(
		    f->questions, ld->questions_cap, sizeof *f->questions);
	}
	q = &f->questions[f->nquestions++];
	memset(q, 0, sizeof *q);
	q->id = xstrdup(id->s);
	form_index_add(f, f->nquestions - 1);
	q->type = t;
	q->section = section;
	q->pos.line = m->line;
	q->pos.col = m->col;
	q->severity = FORM_SEVERITY_MEDIUM;
	q->lines = 1;
	q->max_length = t == FORM_TEXT ? 2000 : 0;
	q->label = label ? load_string(ld, label, "label") : NULL;
	if (t == FORM_NTYPES)
		return;

	for (i = 0; i + 1 < m->n; i += 2) {
		k = m->kids[i];
		if (k->kind != Y_SCALAR)
			continue;
		for (j = 0; j < sizeof load_question_keys /
		                    sizeof load_question_keys[0];
		     j++) {
			if (strcmp(load_question_keys[j].key, k->s) == 0)
				break;
		}
		if (j ==
		    sizeof load_question_keys / sizeof load_question_keys[0])
			load_error(
			    ld, k, _("unknown key \"%s\" in a question"), k->s);
		else if ((load_question_keys[j].types & T(t)) == 0)
			load_error(ld, k,
			    _("\"%s\" does not apply to a %s "
			      "question"),
			    k->s, form_type_name(t));
	}

	if ((v = load_get(m, "hint")) != NULL)
		q->hint = load_string(ld, v, "hint");
	if ((v = load_get(m, "required")) != NULL && t != FORM_NOTE)
		load_bool(ld, v, "required", &q->required);
	if ((v = load_get(m, "choices")) != NULL)
		load_choices(ld, q, v);
	else if (t == FORM_CHOICE || t == FORM_MULTI)
		load_error(ld, m, _("a %s question needs \"choices\""),
		    form_type_name(t));
	load_bounds(ld, q, m);
	if (t == FORM_NUMBER && (v = load_get(m, "unit")) != NULL)
		q->unit = load_string(ld, v, "unit");
	if (t == FORM_NUMBER && (v = load_get(m, "decimals")) != NULL &&
	    load_integer(ld, v, "decimals", 0, 6, &n) == 0)
		q->decimals = (int)n;
	if (t == FORM_SCALE && (v = load_get(m, "labels")) != NULL)
		load_scale_labels(ld, q, v);
	if (t == FORM_TEXT && (v = load_get(m, "lines")) != NULL &&
	    load_integer(ld, v, "lines", 1, 50, &n) == 0)
		q->lines = (int)n;
	if (t == FORM_TEXT && (v = load_get(m, "max_length")) != NULL &&
	    load_integer(ld, v, "max_length", 1, LOAD_MAX_STRING, &n) == 0)
		q->max_length = (size_t)n;
	if ((v = load_get(m, "default")) != NULL && t != FORM_NOTE &&
	    t != FORM_TIMER)
		load_default(ld, q, v);
	if ((v = load_get(m, "score")) != NULL &&
	    (t == FORM_YESNO || t == FORM_CHOICE || t == FORM_MULTI ||
	        t == FORM_SCALE))
		load_scores(ld, q, v);

	if ((v = load_get(m, "target")) != NULL && (TARGET_TYPES & T(t)) != 0)
		load_target(ld, q, v);
	if ((v = load_get(m, "show_if")) != NULL)
		load_expr(ld, v, "show_if", &q->show_if);
	if (t == FORM_NOTE)
		return;
	if ((v = load_get(m, "constraint")) != NULL)
		load_expr(ld, v, "constraint", &q->constraint);
	if ((v = load_get(m, "warn_if")) != NULL)
		load_expr(ld, v, "warn_if", &q->warn_if);
	if ((v = load_get(m, "alert_if")) != NULL)
		load_expr(ld, v, "alert_if", &q->alert_if);
	if ((v = load_get(m, "constraint_message")) != NULL)
		q->constraint_message =
		    load_string(ld, v, "constraint_message");
	if ((v = load_get(m, "warn_message")) != NULL)
		q->warn_message = load_string(ld, v, "warn_message");
	if ((v = load_get(m, "alert_message")) != NULL)
		q->alert_message = load_string(ld, v, "alert_message");
	if ((v = load_get(m, "severity")) != NULL &&
	    (s = load_string(ld, v, "severity")) != NULL) {
		if (strcmp(s, "low") == 0)
			q->severity = FORM_SEVERITY_LOW;
		else if (strcmp(s, "medium") == 0)
			q->severity = FORM_SEVERITY_MEDIUM;
		else if (strcmp(s, "high") == 0)
			q->severity = FORM_SEVERITY_HIGH;
		else
			load_error(ld, v,
			    _("severity must be low, medium or "
			      "high, not \"%s\""),
			    s);
		free(s);
	}

	/* An expression and its message come as a pair. */
	static const char *const pairs[][2] = {
		{ "constraint", "constraint_message" },
		{ "warn_if", "warn_message" },
		{ "alert_if", "alert_message" },
		{ "alert_if", "severity" },
	};
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		const struct ynode *e = load_get(m, pairs[i][0]);
		const struct ynode *msg = load_get(m, pairs[i][1]);

		if (e != NULL && msg == NULL && i < 3)
			load_error(ld, e, _("\"%s\" needs a \"%s\""),
			    pairs[i][0], pairs[i][1]);
		if (e == NULL && msg != NULL)
			load_error(ld, msg, _("\"%s\" without \"%s\""),
			    pairs[i][1], pairs[i][0]);
	}
}

static void
load_sections(struct loader *ld, struct form *f, const struct ynode *n)
{
	static const char *const keys[] = { "title", "questions", NULL };
	const struct ynode *s, *title, *qs;
	struct form_section *sec;
	size_t i, j;

	if (load_want(ld, n, Y_SEQ, "sections") != 0)
		return;
	if (n->n == 0) {
		load_error(ld, n,
		    _("\"sections\" is an empty list: the form "
		      "has no questions"));
		return;
	}
	f->sections = xcalloc(n->n, sizeof *f->sections);
	for (i = 0; i < n->n; i++) {
		s = n->kids[i];
		if (load_keys(ld, s, _("a section"), keys) != 0)
			continue;
		sec = &f->sections[f->nsections];
		sec->first = f->nquestions;
		if ((title = load_get(s, "title")) == NULL)
			load_error(ld, s, _("a section needs a \"title\""));
		else
			sec->title = load_string(ld, title, "title");
		if ((qs = load_get(s, "questions")) == NULL)
			load_error(ld, s, _("a section needs \"questions\""));
		else if (load_want(ld, qs, Y_SEQ, "questions") == 0) {
			if (qs->n == 0)
				load_error(ld, qs,
				    _("\"questions\" is an empty "
				      "list"));
			for (j = 0; j < qs->n; j++)
				load_question(ld, f, qs->kids[j], f->nsections);
		}
		sec->count = f->nquestions - sec->first;
		if (sec->title == NULL)
			sec->title = xstrdup("");
		f->nsections++;
	}
}

static enum form_field
load_field(struct loader *ld, const struct ynode *n, const char *key)
{
	if (n == NULL)
		return FORM_FIELD_ABSENT;
	if (n->kind == Y_SCALAR && strcmp(n->s, "required") == 0)
		return FORM_FIELD_REQUIRED;
	if (n->kind == Y_SCALAR && strcmp(n->s, "optional") == 0)
		return FORM_FIELD_OPTIONAL;
	load_error(ld, n, _("\"%s\" must be required or optional"), key);
	return FORM_FIELD_ABSENT;
}

/* A label shown as an answer: one line, so a row of a list stays one row. */
static char *
load_answer_label(struct loader *ld, const struct ynode *n, const char *key)
{
	char *s = load_string(ld, n, key);
	const unsigned char *p;

	if (s == NULL)
		return NULL;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			load_error(ld, n,
			    _("\"%s\" must be one line, without control "
			      "characters"),
			    key);
			free(s);
			return NULL;
		}
	}
	return s;
}

/* `yes:` and `no:`, how yes/no answers read: both or neither. */
static void
load_yesno_labels(struct loader *ld, struct form *f, const struct ynode *root)
{
	const struct ynode *y = load_get(root, "yes"),
	                   *n = load_get(root, "no");

	if (y == NULL && n == NULL)
		return;
	if (y == NULL || n == NULL) {
		load_error(ld, y ? y : n,
		    _("\"%s\" needs \"%s\" too (how yes and no answers "
		      "read)"),
		    y ? "yes" : "no", y ? "no" : "yes");
		return;
	}
	f->yes_label = load_answer_label(ld, y, "yes");
	f->no_label = load_answer_label(ld, n, "no");
	if (f->yes_label != NULL && f->no_label != NULL &&
	    strcmp(f->yes_label, f->no_label) == 0)
		load_error(ld, n,
		    _("\"yes\" and \"no\" read the same (\"%s\"): "
		      "answers could not be told apart"),
		    f->no_label);
}

static void
load_form(struct loader *ld, struct form *f, const struct ynode *root)
{
	static const char *const keys[] = { "form", "version", "title",
		"language", "description", "family", "yes", "no", "units",
		"visit", "sections", NULL };
	static const char *const visit_keys[] = { "division", "person", NULL };
	static const char *const required[] = { "form", "version", "title",
		"language", "units", "sections", NULL };
	const struct ynode *v;
	size_t i;
	long n;

	if (root->kind != Y_MAP) {
		load_error(ld, root,
		    _("a form must be a mapping of keys "
		      "(form, version, title, ...)"));
		return;
	}
	if (load_get(root, "units") != NULL && load_get(root, "form") == NULL &&
	    load_get(root, "sections") == NULL) {
		load_error(ld, root,
		    _("this is a sites file (only \"units\"), "
		      "not a form"));
		return;
	}
	load_keys(ld, root, _("a form"), keys);
	for (i = 0; required[i] != NULL; i++) {
		if (load_get(root, required[i]) == NULL)
			load_error(
			    ld, root, _("missing key \"%s\""), required[i]);
	}
	if ((v = load_get(root, "form")) != NULL &&
	    (f->id = load_string(ld, v, "form")) != NULL &&
	    !load_valid_id(f->id, 1))
		load_error(ld, v,
		    _("invalid form id \"%s\" (lowercase letters, "
		      "digits and -, starting with a letter)"),
		    f->id);
	if ((v = load_get(root, "version")) != NULL &&
	    load_integer(ld, v, "version", 1, INT_MAX, &n) == 0)
		f->version = n;
	if ((v = load_get(root, "title")) != NULL)
		f->title = load_string(ld, v, "title");
	if ((v = load_get(root, "language")) != NULL)
		f->language = load_string(ld, v, "language");
	if ((v = load_get(root, "description")) != NULL)
		f->description = load_string(ld, v, "description");
	if ((v = load_get(root, "family")) != NULL &&
	    (f->family = load_string(ld, v, "family")) != NULL &&
	    !load_valid_id(f->family, 1))
		load_error(ld, v,
		    _("invalid family \"%s\" (lowercase letters, digits and -, "
		      "starting with a letter)"),
		    f->family);
	load_yesno_labels(ld, f, root);
	if ((v = load_get(root, "visit")) != NULL &&
	    load_keys(ld, v, "visit", visit_keys) == 0) {
		f->division =
		    load_field(ld, load_get(v, "division"), "division");
		f->person = load_field(ld, load_get(v, "person"), "person");
	}
	if ((v = load_get(root, "units")) != NULL) {
		if (v->kind == Y_SCALAR && v->len > 0)
			load_sites(ld, f, v);
		else
			load_unit_list(ld, f, v);
	}
	if ((v = load_get(root, "sections")) != NULL)
		load_sections(ld, f, v);
	if (ld->errors == 0 && f->nquestions > 0) {
		for (i = 0; i < f->nquestions; i++) {
			if (form_type_answers(f->questions[i].type))
				break;
		}
		if (i == f->nquestions)
			load_error(ld, root,
			    _("the form has only notes, no "
			      "questions to answer"));
	}
}

struct form *
form_load_mem(const char *name, const char *dir, const char *buf, size_t len,
    struct diag_list *diags)
{
	struct loader ld;
	struct ynode *root;
	struct form *f;
	size_t bad;
	int line, col;

	memset(&ld, 0, sizeof ld);
	ld.file = name;
	ld.dir = dir;
	ld.diags = diags;
	if (len > FORM_LOAD_MAX_BYTES) {
		diag_add(diags, name, 1, 1,
		    _("file too large (%zu bytes, limit "
		      "%u)"),
		    len, FORM_LOAD_MAX_BYTES);
		return NULL;
	}
	/* libyaml stops at a NUL and reports bad UTF-8 by byte offset only. */
	if ((bad = utf8_check(buf, len)) != len || memchr(buf, '\0', len)) {
		if (bad == len)
			bad = (size_t)((const char *)memchr(buf, '\0', len) -
			               buf);
		utf8_position(buf, len, bad, &line, &col);
		diag_add(diags, name, line, col, "%s",
		    buf[bad] == '\0' ? _("NUL byte: this is not a text file")
		                     : _("invalid UTF-8"));
		return NULL;
	}
	if ((root = load_yaml(&ld, buf, len)) == NULL)
		return NULL;

	f = xcalloc(1, sizeof *f);
	load_form(&ld, f, root);
	load_node_free(root);
	ld.errors += form_check(f, name, diags);
	if (ld.errors != 0) {
		form_free(f);
		return NULL;
	}
	f->path = xstrdup(name);
	f->text = xmalloc(len + 1);
	memcpy(f->text, buf, len);
	f->text[len] = '\0';
	f->textlen = len;
	crypt_hash_hex(f->hash, buf, len);
	return f;
}

/* Read a whole regular file of at most FORM_LOAD_MAX_BYTES. */
static int
load_read_file(const char *path, char **buf, size_t *len, char **cause)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	/* O_NONBLOCK: opening a FIFO would wait for a writer for ever;
	 * anything but a regular file is refused before a read. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		*cause = xstrdup(strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*cause = xstrdup(strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xstrdup(S_ISDIR(st.st_mode) ? _("is a directory")
		                                     : _("not a regular file"));
		close(fd);
		return -1;
	}
	if (st.st_size > (off_t)FORM_LOAD_MAX_BYTES) {
		*cause = xasprintf(_("file too large (%lld bytes, limit %u)"),
		    (long long)st.st_size, FORM_LOAD_MAX_BYTES);
		close(fd);
		return -1;
	}
	*buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause =
			    xstrdup(n < 0 ? strerror(errno)
			                  : _("file shrank while reading"));
			free(*buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	return 0;
}

struct form *
form_load_file(const char *path, struct diag_list *diags)
{
	struct form *f;
	char *buf, *cause, *dir, *slash;
	size_t len;

	if (load_read_file(path, &buf, &len, &cause) != 0) {
		diag_add(diags, path, 0, 0, "%s", cause);
		free(cause);
		return NULL;
	}
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	f = form_load_mem(path, dir, buf, len, diags);
	free(dir);
	free(buf);
	return f;
}
