/*
 * Expressions: a recursive-descent parser into a small tree, a binder that
 * resolves question ids and checks types against the form, and a Kleene
 * three-valued evaluator.
 *
 *	expr    := and ("or" and)*
 *	and     := unary ("and" unary)*
 *	unary   := "not" unary | test
 *	test    := operand [cmpop operand | "in" ("[" list "]" | ref)]
 *	operand := "(" expr ")" | "answered" "(" ref ")" | ref | "." |
 *		   number | string | "yes" | "no"
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/form-expr.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

enum tok {
	T_END,
	T_IDENT,
	T_NUMBER,
	T_STRING,
	T_DOT,
	T_LPAREN,
	T_RPAREN,
	T_LBRACK,
	T_RBRACK,
	T_COMMA,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_AND,
	T_OR,
	T_NOT,
	T_IN,
	T_YES,
	T_NO,
	T_ANSWERED,
	T_ERROR,
};

enum node_kind {
	N_OR,
	N_AND,
	N_NOT,
	N_CMP,      /* a op b */
	N_IN,       /* a in b, b a list or a multi question */
	N_ANSWERED, /* answered(a) */
	N_TRUTH,    /* a bare operand used as a condition */
	N_REF,
	N_SELF,
	N_NUMBER,
	N_STRING,
	N_BOOL,
	N_LIST,
};

/* The static type of an operand, after binding. */
enum etype {
	E_BOOL,
	E_NUMBER,
	E_STRING, /* a string literal */
	E_CHOICE,
	E_TEXT,
	E_DATE,
	E_TIME,
	E_SET,
	E_NONE, /* a note, or an unbound reference */
};

struct node {
	enum node_kind kind;
	enum tok op;
	struct node *a;
	struct node *b;
	struct node **items;
	size_t nitems;
	char *s;
	double n;
	int bval;
	size_t ref; /* question index, once bound */
	size_t off; /* byte offset in the text, for messages */
};

#define EXPR_UNBOUND ((size_t)-1)

struct form_expr {
	char *text;
	struct form_pos pos;
	struct node *root;
};

struct parser {
	const char *text;
	size_t len;
	size_t pos; /* next byte to scan */
	enum tok tok;
	size_t tokoff;
	char *tokstr; /* identifier or string contents */
	double toknum;
	int depth;
	char *cause;
	size_t erroff;
};

static struct node *expr_parse_or(struct parser *);

static void
expr_node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	expr_node_free(n->a);
	expr_node_free(n->b);
	for (i = 0; i < n->nitems; i++)
		expr_node_free(n->items[i]);
	free(n->items);
	free(n->s);
	free(n);
}

static struct node *
expr_node(enum node_kind kind, size_t off)
{
	struct node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->off = off;
	return n;
}

static void __attribute__((format(printf, 3, 4)))
expr_error(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	if (p->cause != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	p->cause = xstrdup(buf);
	p->erroff = off;
}

static const char *
expr_tok_name(enum tok t)
{
	switch (t) {
	case T_END:
		return _("end of expression");
	case T_IDENT:
		return _("a question id");
	case T_NUMBER:
		return _("a number");
	case T_STRING:
		return _("a string");
	case T_DOT:
		return "\".\"";
	case T_LPAREN:
		return "\"(\"";
	case T_RPAREN:
		return "\")\"";
	case T_LBRACK:
		return "\"[\"";
	case T_RBRACK:
		return "\"]\"";
	case T_COMMA:
		return "\",\"";
	case T_EQ:
		return "\"==\"";
	case T_NE:
		return "\"!=\"";
	case T_LT:
		return "\"<\"";
	case T_LE:
		return "\"<=\"";
	case T_GT:
		return "\">\"";
	case T_GE:
		return "\">=\"";
	case T_AND:
		return "\"and\"";
	case T_OR:
		return "\"or\"";
	case T_NOT:
		return "\"not\"";
	case T_IN:
		return "\"in\"";
	case T_YES:
		return "\"yes\"";
	case T_NO:
		return "\"no\"";
	case T_ANSWERED:
		return "\"answered\"";
	case T_ERROR:
		break;
	}
	return _("an invalid character");
}

static int
expr_is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int
expr_is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static void
expr_lex_string(struct parser *p, char quote)
{
	size_t start = p->pos, n = 0;
	char *out = xmalloc(p->len - p->pos + 1);

	while (p->pos < p->len && p->text[p->pos] != quote) {
		/* Double-quoted strings may escape the quote and backslash. */
		if (quote == '"' && p->text[p->pos] == '\\' &&
		    p->pos + 1 < p->len &&
		    (p->text[p->pos + 1] == '"' || p->text[p->pos + 1] == '\\'))
			p->pos++;
		out[n++] = p->text[p->pos++];
	}
	out[n] = '\0';
	if (p->pos >= p->len) {
		free(out);
		p->tok = T_ERROR;
		expr_error(p, start - 1, _("unclosed string"));
		return;
	}
	p->pos++;
	p->tok = T_STRING;
	p->tokstr = out;
}

static void
expr_lex_number(struct parser *p)
{
	size_t start = p->pos;
	char *end;

	if (p->text[p->pos] == '-')
		p->pos++;
	while (p->pos < p->len && isdigit((unsigned char)p->text[p->pos]))
		p->pos++;
	if (p->pos + 1 < p->len && p->text[p->pos] == '.' &&
	    isdigit((unsigned char)p->text[p->pos + 1])) {
		p->pos++;
		while (
		    p->pos < p->len && isdigit((unsigned char)p->text[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && expr_is_ident((unsigned char)p->text[p->pos])) {
		p->tok = T_ERROR;
		expr_error(p, start, _("invalid number"));
		return;
	}
	p->tokstr = xstrndup(p->text + start, p->pos - start);
	p->toknum = strtod(p->tokstr, &end);
	p->tok = T_NUMBER;
}

static void
expr_next(struct parser *p)
{
	static const struct {
		const char *word;
		enum tok tok;
	} words[] = {
		{ "and", T_AND },
		{ "or", T_OR },
		{ "not", T_NOT },
		{ "in", T_IN },
		{ "yes", T_YES },
		{ "no", T_NO },
		{ "answered", T_ANSWERED },
	};
	const char *t = p->text;
	size_t i, start;
	int c;

	free(p->tokstr);
	p->tokstr = NULL;
	while (p->pos < p->len && isspace((unsigned char)t[p->pos]))
		p->pos++;
	p->tokoff = p->pos;
	if (p->pos >= p->len) {
		p->tok = T_END;
		return;
	}
	c = (unsigned char)t[p->pos];
	if (expr_is_ident_start(c)) {
		start = p->pos;
		while (
		    p->pos < p->len && expr_is_ident((unsigned char)t[p->pos]))
			p->pos++;
		p->tokstr = xstrndup(t + start, p->pos - start);
		p->tok = T_IDENT;
		for (i = 0; i < sizeof words / sizeof words[0]; i++) {
			if (strcmp(p->tokstr, words[i].word) == 0)
				p->tok = words[i].tok;
		}
		return;
	}
	if (isdigit(c) || (c == '-' && p->pos + 1 < p->len &&
	                      isdigit((unsigned char)t[p->pos + 1]))) {
		expr_lex_number(p);
		return;
	}
	p->pos++;
	switch (c) {
	case '"':
	case '\'':
		expr_lex_string(p, (char)c);
		return;
	case '.':
		p->tok = T_DOT;
		return;
	case '(':
		p->tok = T_LPAREN;
		return;
	case ')':
		p->tok = T_RPAREN;
		return;
	case '[':
		p->tok = T_LBRACK;
		return;
	case ']':
		p->tok = T_RBRACK;
		return;
	case ',':
		p->tok = T_COMMA;
		return;
	case '=':
	case '!':
	case '<':
	case '>':
		if (p->pos < p->len && t[p->pos] == '=') {
			p->pos++;
			p->tok = c == '='   ? T_EQ
			         : c == '!' ? T_NE
			         : c == '<' ? T_LE
			                    : T_GE;
			return;
		}
		if (c == '<' || c == '>') {
			p->tok = c == '<' ? T_LT : T_GT;
			return;
		}
		p->tok = T_ERROR;
		expr_error(p, p->tokoff, _("\"%c\" must be \"%c=\""), c, c);
		return;
	}
	p->tok = T_ERROR;
	if (c >= 0x20 && c < 0x7f)
		expr_error(p, p->tokoff, _("unexpected character \"%c\""), c);
	else
		expr_error(p, p->tokoff, _("unexpected character"));
}

/* Report what was found where something else was expected. */
static void
expr_expected(struct parser *p, const char *what)
{
	if (p->tok == T_ERROR)
		return;
	if (p->tok == T_IDENT || p->tok == T_NUMBER)
		expr_error(p, p->tokoff, _("expected %s, found \"%s\""), what,
		    p->tokstr);
	else
		expr_error(p, p->tokoff, _("expected %s, found %s"), what,
		    expr_tok_name(p->tok));
}

static int
expr_expect(struct parser *p, enum tok t)
{
	if (p->tok != t) {
		expr_expected(p, expr_tok_name(t));
		return -1;
	}
	expr_next(p);
	return 0;
}

static struct node *
expr_parse_ref(struct parser *p)
{
	struct node *n;

	if (p->tok == T_DOT) {
		n = expr_node(N_SELF, p->tokoff);
		n->ref = EXPR_UNBOUND;
		expr_next(p);
		return n;
	}
	if (p->tok != T_IDENT) {
		expr_expected(p, _("a question id"));
		return NULL;
	}
	n = expr_node(N_REF, p->tokoff);
	n->ref = EXPR_UNBOUND;
	n->s = p->tokstr;
	p->tokstr = NULL;
	expr_next(p);
	return n;
}

static struct node *
expr_parse_operand(struct parser *p)
{
	struct node *n;
	size_t off = p->tokoff;

	switch (p->tok) {
	case T_LPAREN:
		expr_next(p);
		n = expr_parse_or(p);
		if (n != NULL && expr_expect(p, T_RPAREN) != 0) {
			expr_node_free(n);
			return NULL;
		}
		return n;
	case T_ANSWERED:
		expr_next(p);
		if (expr_expect(p, T_LPAREN) != 0)
			return NULL;
		n = expr_node(N_ANSWERED, off);
		if ((n->a = expr_parse_ref(p)) == NULL ||
		    expr_expect(p, T_RPAREN) != 0) {
			expr_node_free(n);
			return NULL;
		}
		return n;
	case T_IDENT:
	case T_DOT:
		return expr_parse_ref(p);
	case T_NUMBER:
		n = expr_node(N_NUMBER, off);
		n->n = p->toknum;
		expr_next(p);
		return n;
	case T_STRING:
		n = expr_node(N_STRING, off);
		n->s = p->tokstr;
		p->tokstr = NULL;
		expr_next(p);
		return n;
	case T_YES:
	case T_NO:
		n = expr_node(N_BOOL, off);
		n->bval = p->tok == T_YES;
		expr_next(p);
		return n;
	default:
		expr_expected(p, _("a value"));
		return NULL;
	}
}

/* A value where a value is needed: not a condition in disguise. */
static struct node *
expr_parse_value(struct parser *p)
{
	struct node *n;
	size_t off = p->tokoff;

	if ((n = expr_parse_operand(p)) != NULL && n->kind <= N_TRUTH) {
		expr_error(p, off, _("expected a value, found a condition"));
		expr_node_free(n);
		return NULL;
	}
	return n;
}

static struct node *
expr_parse_list(struct parser *p)
{
	struct node *list, *item;

	list = expr_node(N_LIST, p->tokoff);
	expr_next(p); /* "[" */
	for (;;) {
		if ((item = expr_parse_value(p)) == NULL)
			goto fail;
		list->items = xreallocarray(
		    list->items, list->nitems + 1, sizeof *list->items);
		list->items[list->nitems++] = item;
		if (p->tok == T_RBRACK)
			break;
		if (expr_expect(p, T_COMMA) != 0)
			goto fail;
	}
	expr_next(p);
	return list;
fail:
	expr_node_free(list);
	return NULL;
}

static int
expr_is_cmp(enum tok t)
{
	return t == T_EQ || t == T_NE || t == T_LT || t == T_LE || t == T_GT ||
	       t == T_GE;
}

static struct node *
expr_parse_test(struct parser *p)
{
	struct node *left, *n;
	size_t off = p->tokoff;

	if ((left = expr_parse_operand(p)) == NULL)
		return NULL;
	/* A parenthesised condition or answered() is already a condition. */
	if (left->kind <= N_TRUTH)
		return left;
	if (expr_is_cmp(p->tok)) {
		n = expr_node(N_CMP, off);
		n->op = p->tok;
		n->a = left;
		expr_next(p);
		if ((n->b = expr_parse_value(p)) == NULL) {
			expr_node_free(n);
			return NULL;
		}
		return n;
	}
	if (p->tok == T_IN) {
		n = expr_node(N_IN, off);
		n->a = left;
		expr_next(p);
		if (p->tok == T_LBRACK)
			n->b = expr_parse_list(p);
		else if (p->tok == T_IDENT || p->tok == T_DOT)
			n->b = expr_parse_ref(p);
		else
			expr_expected(p, _("\"[\" or a question id"));
		if (n->b == NULL) {
			expr_node_free(n);
			return NULL;
		}
		return n;
	}
	n = expr_node(N_TRUTH, off);
	n->a = left;
	return n;
}

static struct node *
expr_parse_unary(struct parser *p)
{
	struct node *n;

	if (++p->depth > FORM_EXPR_MAX_DEPTH) {
		expr_error(p, p->tokoff, _("expression nested too deeply"));
		return NULL;
	}
	if (p->tok == T_NOT) {
		n = expr_node(N_NOT, p->tokoff);
		expr_next(p);
		if ((n->a = expr_parse_unary(p)) == NULL) {
			expr_node_free(n);
			n = NULL;
		}
	} else
		n = expr_parse_test(p);
	p->depth--;
	return n;
}

/*
 * a op b op c ... as one node holding every operand, not a chain of pairs:
 * an expression of a few hundred terms would otherwise be a tree as deep,
 * and every walk over it (binding, evaluation, freeing) as deep in stack.
 */
static struct node *
expr_parse_binary(struct parser *p, enum tok op, enum node_kind kind,
    struct node *(*sub)(struct parser *))
{
	struct node *first, *n, *item;
	size_t cap = 0;

	if ((first = sub(p)) == NULL)
		return NULL;
	if (p->tok != op)
		return first;
	n = expr_node(kind, p->tokoff);
	n->items = xreallocarray(NULL, cap = 4, sizeof *n->items);
	n->items[n->nitems++] = first;
	while (p->tok == op) {
		expr_next(p);
		if ((item = sub(p)) == NULL) {
			expr_node_free(n);
			return NULL;
		}
		if (n->nitems == cap)
			n->items =
			    xreallocarray(n->items, cap *= 2, sizeof *n->items);
		n->items[n->nitems++] = item;
	}
	return n;
}

static struct node *
expr_parse_and(struct parser *p)
{
	return expr_parse_binary(p, T_AND, N_AND, expr_parse_unary);
}

static struct node *
expr_parse_or(struct parser *p)
{
	struct node *n;

	if (++p->depth > FORM_EXPR_MAX_DEPTH) {
		expr_error(p, p->tokoff, _("expression nested too deeply"));
		return NULL;
	}
	n = expr_parse_binary(p, T_OR, N_OR, expr_parse_and);
	p->depth--;
	return n;
}

/* Position of byte offset off of the text, counting columns in characters. */
static struct form_pos
expr_position(struct form_pos base, const char *text, size_t off)
{
	struct form_pos pos = base;
	size_t i;

	for (i = 0; i < off && text[i] != '\0'; i++) {
		if ((text[i] & 0xc0) != 0x80)
			pos.col++;
	}
	return pos;
}

struct form_expr *
form_expr_parse(const char *text, struct form_pos pos, char **cause,
    struct form_pos *errpos)
{
	struct parser p;
	struct form_expr *e;
	struct node *root;

	memset(&p, 0, sizeof p);
	p.text = text;
	p.len = strlen(text);
	if (p.len > FORM_EXPR_MAX_LEN) {
		*cause =
		    xasprintf(_("expression too long (%zu bytes, limit %d)"),
		        p.len, FORM_EXPR_MAX_LEN);
		*errpos = pos;
		return NULL;
	}
	expr_next(&p);
	if (p.tok == T_END)
		expr_error(&p, 0, _("empty expression"));
	root = p.cause ? NULL : expr_parse_or(&p);
	if (root != NULL && p.tok != T_END) {
		if (p.tok == T_IDENT || p.tok == T_NUMBER ||
		    p.tok == T_STRING || p.tok == T_DOT || p.tok == T_YES ||
		    p.tok == T_NO)
			expr_error(&p, p.tokoff,
			    _("expected an operator (== != < <= > >= in and or)"
			      " before %s"),
			    expr_tok_name(p.tok));
		else
			expr_expected(&p, _("\"and\", \"or\" or the end"));
	}
	free(p.tokstr);
	if (p.cause != NULL) {
		expr_node_free(root);
		*cause = p.cause;
		*errpos = expr_position(pos, text, p.erroff);
		return NULL;
	}
	e = xcalloc(1, sizeof *e);
	e->text = xstrdup(text);
	e->pos = pos;
	e->root = root;
	return e;
}

void
form_expr_free(struct form_expr *e)
{
	if (e == NULL)
		return;
	expr_node_free(e->root);
	free(e->text);
	free(e);
}

const char *
form_expr_text(const struct form_expr *e)
{
	return e->text;
}

/* Binding: ids to questions, and types. */

struct binder {
	const struct form_expr *e;
	const struct form *form;
	size_t self;
	int self_ok;
	const char *file;
	struct diag_list *diags;
	int errors;
};

static void __attribute__((format(printf, 3, 4)))
expr_bind_error(struct binder *b, const struct node *n, const char *fmt, ...)
{
	struct form_pos pos = expr_position(b->e->pos, b->e->text, n->off);
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(b->diags, b->file, pos.line, pos.col, fmt, ap);
	va_end(ap);
	b->errors++;
}

static enum etype
expr_question_type(const struct form_question *q)
{
	switch (q->type) {
	case FORM_YESNO:
		return E_BOOL;
	case FORM_NUMBER:
	case FORM_SCALE:
	case FORM_TIMER:
	case FORM_COUNT:
		return E_NUMBER;
	case FORM_CHOICE:
		return E_CHOICE;
	case FORM_TEXT:
		return E_TEXT;
	case FORM_DATE:
		return E_DATE;
	case FORM_TIME:
		return E_TIME;
	case FORM_MULTI:
		return E_SET;
	case FORM_NOTE:
	case FORM_NTYPES:
		break;
	}
	return E_NONE;
}

static const char *
expr_type_name(enum etype t)
{
	switch (t) {
	case E_BOOL:
		return _("a yes/no answer");
	case E_NUMBER:
		return _("a number");
	case E_STRING:
		return _("a string");
	case E_CHOICE:
		return _("a choice");
	case E_TEXT:
		return _("a text answer");
	case E_DATE:
		return _("a date");
	case E_TIME:
		return _("a time");
	case E_SET:
		return _("a multi answer");
	case E_NONE:
		break;
	}
	return _("nothing");
}

/* Resolve a reference; E_NONE after reporting an error. */
static enum etype
expr_bind_ref(struct binder *b, struct node *n)
{
	const struct form_question *q;
	long i;

	n->ref = EXPR_UNBOUND;
	if (n->kind == N_SELF) {
		if (!b->self_ok) {
			expr_bind_error(b, n,
			    _("\".\" cannot be used in show_if: a question's "
			      "visibility cannot depend on its own answer"));
			return E_NONE;
		}
		n->ref = b->self;
	} else {
		if ((i = form_find(b->form, n->s)) < 0) {
			expr_bind_error(
			    b, n, _("unknown question \"%s\""), n->s);
			return E_NONE;
		}
		n->ref = (size_t)i;
	}
	q = &b->form->questions[n->ref];
	if (q->type == FORM_NTYPES)
		return E_NONE; /* its type is wrong, and already reported */
	if (q->type == FORM_NOTE) {
		expr_bind_error(
		    b, n, _("\"%s\" is a note and has no answer"), q->id);
		return E_NONE;
	}
	return expr_question_type(q);
}

static enum etype
expr_bind_operand(struct binder *b, struct node *n)
{
	switch (n->kind) {
	case N_REF:
	case N_SELF:
		return expr_bind_ref(b, n);
	case N_NUMBER:
		return E_NUMBER;
	case N_STRING:
		return E_STRING;
	case N_BOOL:
		return E_BOOL;
	default:
		break;
	}
	return E_NONE;
}

/*
 * Check that a string literal suits the question on the other side: a
 * choice that exists, a well-formed date or time.
 */
static void
expr_bind_literal(struct binder *b, const struct node *ref, enum etype t,
    const struct node *lit)
{
	const struct form_question *q = &b->form->questions[ref->ref];

	if (lit->kind != N_STRING)
		return;
	if (t == E_CHOICE && form_find_choice(q, lit->s) == NULL)
		expr_bind_error(b, lit, _("\"%s\" is not a choice of \"%s\""),
		    lit->s, q->id);
	else if (t == E_DATE && !form_valid_date(lit->s))
		expr_bind_error(b, lit,
		    _("\"%s\" is not a date (expected \"YYYY-MM-DD\")"),
		    lit->s);
	else if (t == E_TIME && !form_valid_time(lit->s))
		expr_bind_error(b, lit,
		    _("\"%s\" is not a time (expected \"HH:MM\")"), lit->s);
}

static int
expr_is_ref(const struct node *n)
{
	return n->kind == N_REF || n->kind == N_SELF;
}

/* Whether two operand types compare with op; reports why not. */
static void
expr_bind_compare(struct binder *b, const struct node *at, enum tok op,
    struct node *l, enum etype tl, struct node *r, enum etype tr)
{
	int ordered = op != T_EQ && op != T_NE;
	enum etype s = tl == E_STRING ? tr : tl; /* the non-literal side */

	if (tl == E_NONE || tr == E_NONE)
		return;
	if (tl == E_SET || tr == E_SET) {
		expr_bind_error(b, at,
		    _("a multi answer cannot be compared; use \"value\" in %s"),
		    tl == E_SET ? l->s ? l->s : "."
		    : r->s      ? r->s
		                : ".");
		return;
	}
	/* A string literal stands for a choice, text, date or time. */
	if ((tl == E_STRING && (tr == E_CHOICE || tr == E_TEXT ||
	                           tr == E_DATE || tr == E_TIME)) ||
	    (tr == E_STRING && (tl == E_CHOICE || tl == E_TEXT ||
	                           tl == E_DATE || tl == E_TIME)) ||
	    tl == tr) {
		if (ordered && s != E_NUMBER && s != E_DATE && s != E_TIME) {
			expr_bind_error(b, at,
			    _("%s can only be compared with == or !="),
			    expr_type_name(s));
			return;
		}
		if (expr_is_ref(l) && tr == E_STRING)
			expr_bind_literal(b, l, tl, r);
		if (expr_is_ref(r) && tl == E_STRING)
			expr_bind_literal(b, r, tr, l);
		return;
	}
	expr_bind_error(b, at, _("type mismatch: cannot compare %s with %s"),
	    expr_type_name(tl), expr_type_name(tr));
}

static void expr_bind_cond(struct binder *, struct node *);

static void
expr_bind_in(struct binder *b, struct node *n)
{
	enum etype tl, tr;
	size_t i;

	tl = expr_bind_operand(b, n->a);
	if (n->b->kind == N_LIST) {
		for (i = 0; i < n->b->nitems; i++) {
			tr = expr_bind_operand(b, n->b->items[i]);
			expr_bind_compare(b, n->b->items[i], T_EQ, n->a, tl,
			    n->b->items[i], tr);
		}
		return;
	}
	/* "value" in multi */
	tr = expr_bind_ref(b, n->b);
	if (tr == E_NONE || tl == E_NONE)
		return;
	if (tr != E_SET) {
		expr_bind_error(b, n->b,
		    _("\"in\" needs a list [...] or a multi question, and "
		      "\"%s\" "
		      "is %s"),
		    n->b->s ? n->b->s : ".", expr_type_name(tr));
		return;
	}
	if (n->a->kind != N_STRING) {
		expr_bind_error(b, n->a,
		    _("type mismatch: \"in %s\" needs a quoted choice value"),
		    n->b->s ? n->b->s : ".");
		return;
	}
	if (form_find_choice(&b->form->questions[n->b->ref], n->a->s) == NULL)
		expr_bind_error(b, n->a, _("\"%s\" is not a choice of \"%s\""),
		    n->a->s, b->form->questions[n->b->ref].id);
}

static void
expr_bind_cond(struct binder *b, struct node *n)
{
	enum etype tl, tr;
	size_t i;

	switch (n->kind) {
	case N_OR:
	case N_AND:
		for (i = 0; i < n->nitems; i++)
			expr_bind_cond(b, n->items[i]);
		break;
	case N_NOT:
		expr_bind_cond(b, n->a);
		break;
	case N_CMP:
		tl = expr_bind_operand(b, n->a);
		tr = expr_bind_operand(b, n->b);
		expr_bind_compare(b, n, n->op, n->a, tl, n->b, tr);
		break;
	case N_IN:
		expr_bind_in(b, n);
		break;
	case N_ANSWERED:
		expr_bind_ref(b, n->a);
		break;
	case N_TRUTH:
		tl = expr_bind_operand(b, n->a);
		if (tl != E_BOOL && tl != E_NONE)
			expr_bind_error(b, n,
			    _("%s is not a condition; compare it (==, <, in "
			      "...)"),
			    expr_type_name(tl));
		break;
	default:
		break;
	}
}

int
form_expr_bind(struct form_expr *e, const struct form *f, size_t self,
    int self_ok, const char *file, struct diag_list *diags)
{
	struct binder b;

	memset(&b, 0, sizeof b);
	b.e = e;
	b.form = f;
	b.self = self;
	b.self_ok = self_ok;
	b.file = file;
	b.diags = diags;
	expr_bind_cond(&b, e->root);
	return b.errors;
}

static size_t
expr_refs(const struct node *n, size_t *out, size_t max, size_t k)
{
	size_t i;

	if (n == NULL)
		return k;
	if (n->kind == N_REF || n->kind == N_SELF) {
		if (n->ref == EXPR_UNBOUND)
			return k;
		if (k < max)
			out[k] = n->ref;
		return k + 1;
	}
	k = expr_refs(n->a, out, max, k);
	k = expr_refs(n->b, out, max, k);
	for (i = 0; i < n->nitems; i++)
		k = expr_refs(n->items[i], out, max, k);
	return k;
}

size_t
form_expr_refs(const struct form_expr *e, size_t *out, size_t max)
{
	return expr_refs(e->root, out, max, 0);
}

/* Evaluation. */

struct evaluator {
	form_expr_lookup lookup;
	void *arg;
};

/* An operand's value; NULL when unknown. tmp holds literals. */
static const struct value *
expr_value(const struct evaluator *ev, const struct node *n, struct value *tmp)
{
	switch (n->kind) {
	case N_REF:
	case N_SELF:
		return ev->lookup(ev->arg, n->ref);
	case N_NUMBER:
		tmp->kind = VALUE_NUMBER;
		tmp->n = n->n;
		return tmp;
	case N_STRING:
		tmp->kind = VALUE_STRING;
		tmp->s = n->s;
		return tmp;
	case N_BOOL:
		tmp->kind = VALUE_BOOL;
		tmp->b = n->bval;
		return tmp;
	default:
		break;
	}
	return NULL;
}

static enum form_expr_truth
expr_truth(int b)
{
	return b ? FORM_EXPR_TRUE : FORM_EXPR_FALSE;
}

static enum form_expr_truth
expr_compare(enum tok op, const struct value *a, const struct value *b)
{
	int c;

	if (a == NULL || b == NULL)
		return FORM_EXPR_UNKNOWN;
	if (a->kind != b->kind)
		return FORM_EXPR_UNKNOWN; /* unbound: cannot happen once checked
		                           */
	switch (a->kind) {
	case VALUE_BOOL:
		c = a->b - b->b;
		break;
	case VALUE_NUMBER:
		c = a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
		break;
	case VALUE_STRING:
		c = strcmp(a->s, b->s);
		break;
	default:
		return FORM_EXPR_UNKNOWN;
	}
	switch (op) {
	case T_EQ:
		return expr_truth(c == 0);
	case T_NE:
		return expr_truth(c != 0);
	case T_LT:
		return expr_truth(c < 0);
	case T_LE:
		return expr_truth(c <= 0);
	case T_GT:
		return expr_truth(c > 0);
	case T_GE:
		return expr_truth(c >= 0);
	default:
		break;
	}
	return FORM_EXPR_UNKNOWN;
}

static enum form_expr_truth
expr_eval(const struct evaluator *ev, const struct node *n)
{
	struct value ta, tb;
	const struct value *a, *b;
	enum form_expr_truth l, r, t, stop;
	size_t i;

	memset(&ta, 0, sizeof ta);
	memset(&tb, 0, sizeof tb);
	switch (n->kind) {
	case N_OR:
	case N_AND:
		/* Kleene: "or" is true on the first true operand, "and"
		 * false on the first false; else unknown if any was. */
		stop = n->kind == N_OR ? FORM_EXPR_TRUE : FORM_EXPR_FALSE;
		t = n->kind == N_OR ? FORM_EXPR_FALSE : FORM_EXPR_TRUE;
		for (i = 0; i < n->nitems; i++) {
			if ((l = expr_eval(ev, n->items[i])) == stop)
				return l;
			if (l == FORM_EXPR_UNKNOWN)
				t = l;
		}
		return t;
	case N_NOT:
		l = expr_eval(ev, n->a);
		return l == FORM_EXPR_UNKNOWN
		           ? l
		           : expr_truth(l == FORM_EXPR_FALSE);
	case N_CMP:
		a = expr_value(ev, n->a, &ta);
		b = expr_value(ev, n->b, &tb);
		return expr_compare(n->op, a, b);
	case N_IN:
		if ((a = expr_value(ev, n->a, &ta)) == NULL)
			return FORM_EXPR_UNKNOWN;
		if (n->b->kind != N_LIST) {
			if ((b = expr_value(ev, n->b, &tb)) == NULL ||
			    a->kind != VALUE_STRING)
				return FORM_EXPR_UNKNOWN;
			return expr_truth(value_set_has(b, a->s));
		}
		/* True if any item matches; unknown if none does but some
		 * item is unknown. */
		t = FORM_EXPR_FALSE;
		for (i = 0; i < n->b->nitems; i++) {
			memset(&tb, 0, sizeof tb);
			b = expr_value(ev, n->b->items[i], &tb);
			r = expr_compare(T_EQ, a, b);
			if (r == FORM_EXPR_TRUE)
				return r;
			if (r == FORM_EXPR_UNKNOWN)
				t = r;
		}
		return t;
	case N_ANSWERED:
		return expr_truth(ev->lookup(ev->arg, n->a->ref) != NULL);
	case N_TRUTH:
		if ((a = expr_value(ev, n->a, &ta)) == NULL ||
		    a->kind != VALUE_BOOL)
			return FORM_EXPR_UNKNOWN;
		return expr_truth(a->b);
	default:
		break;
	}
	return FORM_EXPR_UNKNOWN;
}

enum form_expr_truth
form_expr_eval(const struct form_expr *e, form_expr_lookup lookup, void *arg)
{
	struct evaluator ev;

	ev.lookup = lookup;
	ev.arg = arg;
	return expr_eval(&ev, e->root);
}
