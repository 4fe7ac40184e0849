/*
 * store-pack.h: the packed answers of a visit for reports.  Reading checks
 * every length against what is left and every field against what the
 * form allows, so that a damaged blob is an error, never a crash or a
 * wrong figure read silently.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/i18n.h"
#include "anfang/store-pack.h"
#include "anfang/xmalloc.h"

enum {
	PACK_NONE,
	PACK_NO,
	PACK_YES,
	PACK_DOUBLE,
	PACK_WHOLE,
	PACK_STRING,
	PACK_SET,
	PACK_APART,
};

/* Tag bit: a string or set given by its choices' positions in the form. */
#define PACK_BY_CHOICE 0x20

/* Whole numbers beyond 2^53 are not all doubles: they go as doubles. */
#define PACK_WHOLE_MAX 9007199254740992.0

static void
pack_room(struct store_pack_buf *b, size_t n)
{
	if (b->cap - b->len >= n)
		return;
	while (b->cap - b->len < n)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->p = xreallocarray(b->p, b->cap, 1);
}

static void
pack_byte(struct store_pack_buf *b, unsigned char c)
{
	pack_room(b, 1);
	b->p[b->len++] = c;
}

static void
pack_uint(struct store_pack_buf *b, uint64_t u)
{
	pack_room(b, 10);
	while (u >= 0x80) {
		b->p[b->len++] = (unsigned char)(u | 0x80);
		u >>= 7;
	}
	b->p[b->len++] = (unsigned char)u;
}

static void
pack_raw(struct store_pack_buf *b, const void *p, size_t n)
{
	pack_room(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
pack_bytes(struct store_pack_buf *b, const char *s)
{
	size_t n = strlen(s);

	pack_uint(b, n);
	pack_raw(b, s, n);
}

/* A number's tag with its payload; high holds the tag's upper bits. */
static void
pack_number(struct store_pack_buf *b, double d, unsigned char high)
{
	uint64_t bits;
	int64_t w;
	int i;

	if (d == floor(d) && fabs(d) <= PACK_WHOLE_MAX &&
	    !(d == 0 && signbit(d))) {
		w = (int64_t)d;
		pack_byte(b, PACK_WHOLE | high);
		pack_uint(b, ((uint64_t)w << 1) ^ (uint64_t)(w >> 63));
		return;
	}
	pack_byte(b, PACK_DOUBLE | high);
	memcpy(&bits, &d, sizeof bits);
	pack_room(b, 8);
	for (i = 0; i < 8; i++)
		b->p[b->len++] = (unsigned char)(bits >> (8 * i));
}

void
store_pack_begin(
    struct store_pack *k, size_t nquestions, double score, double score_max)
{
	k->answers.len = 0;
	k->texts.len = 0;
	k->next = 0;
	pack_byte(&k->answers, STORE_PACK_VERSION);
	pack_uint(&k->answers, nquestions);
	pack_number(&k->answers, score, 0);
	pack_number(&k->answers, score_max, 0);
}

/* A free text: its place among the answers, its bytes to the texts. */
static void
pack_apart(struct store_pack *k, const char *s, unsigned char high)
{
	pack_byte(&k->answers, PACK_APART | high);
	if (k->texts.len == 0)
		pack_byte(&k->texts, STORE_PACK_VERSION);
	pack_bytes(&k->texts, s);
}

/* The position of s among q's choices, or -1 (q NULL: no choices). */
static long
pack_choice(const struct form_question *q, const char *s)
{
	size_t i;

	for (i = 0; q != NULL && i < q->nchoices; i++) {
		if (strcmp(q->choices[i].value, s) == 0)
			return (long)i;
	}
	return -1;
}

/* Whether every item of a set is one of q's choices. */
static int
pack_all_choices(const struct form_question *q, const struct value *v)
{
	size_t i;

	for (i = 0; i < v->nset; i++) {
		if (pack_choice(q, v->set[i]) < 0)
			return 0;
	}
	return 1;
}

void
store_pack_add(struct store_pack *k, const struct form_question *questions,
    size_t question, const struct value *v, int severity)
{
	const struct form_question *fq =
	    questions ? &questions[question] : NULL;
	struct store_pack_buf *b = &k->answers;
	unsigned char high = (unsigned char)((severity & 3) << 3);
	size_t i;
	long c;

	pack_uint(b, question - k->next);
	k->next = question + 1;
	switch (v->kind) {
	case VALUE_BOOL:
		pack_byte(b, (v->b ? PACK_YES : PACK_NO) | high);
		break;
	case VALUE_NUMBER:
		pack_number(b, v->n, high);
		break;
	case VALUE_STRING:
		if ((c = pack_choice(fq, v->s)) >= 0) {
			pack_byte(b, PACK_STRING | PACK_BY_CHOICE | high);
			pack_uint(b, (uint64_t)c);
			break;
		}
		pack_apart(k, v->s, high);
		break;
	case VALUE_SET:
		if (v->nset > 0 && fq != NULL && pack_all_choices(fq, v)) {
			pack_byte(b, PACK_SET | PACK_BY_CHOICE | high);
			pack_uint(b, v->nset);
			for (i = 0; i < v->nset; i++)
				pack_uint(
				    b, (uint64_t)pack_choice(fq, v->set[i]));
			break;
		}
		pack_byte(b, PACK_SET | high);
		pack_uint(b, v->nset);
		for (i = 0; i < v->nset; i++)
			pack_bytes(b, v->set[i]);
		break;
	default:
		pack_byte(b, PACK_NONE | high);
		break;
	}
}

void
store_pack_free(struct store_pack *k)
{
	free(k->answers.p);
	free(k->texts.p);
	memset(k, 0, sizeof *k);
}

/* ------------------------------------------------------------------ */

struct unpack {
	const unsigned char *p;
	size_t left;
	const char *bad; /* what is wrong, once something is */
};

static int
unpack_uint(struct unpack *u, uint64_t *out)
{
	uint64_t r = 0;
	int shift;

	for (shift = 0; shift < 64; shift += 7) {
		if (u->left == 0) {
			u->bad = N_("it ends in the middle of a number");
			return -1;
		}
		u->left--;
		r |= (uint64_t)(*u->p & 0x7f) << shift;
		if ((*u->p++ & 0x80) == 0) {
			*out = r;
			return 0;
		}
	}
	u->bad = N_("a number is too long");
	return -1;
}

/* A size that must fit in what is left (each item at least min bytes). */
static int
unpack_size(struct unpack *u, size_t min, size_t *out)
{
	uint64_t n;

	if (unpack_uint(u, &n) != 0)
		return -1;
	if (min > 0 && n > u->left / min) {
		u->bad = N_("a length runs past its end");
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

/* A string: its bytes, NUL-terminated in a new allocation. */
static char *
unpack_string(struct unpack *u)
{
	size_t n;
	char *s;

	if (unpack_size(u, 1, &n) != 0)
		return NULL;
	if (memchr(u->p, '\0', n) != NULL) {
		u->bad = N_("a text holds a NUL byte");
		return NULL;
	}
	s = xmalloc(n + 1);
	memcpy(s, u->p, n);
	s[n] = '\0';
	u->p += n;
	u->left -= n;
	return s;
}

static int
unpack_number(struct unpack *u, int tag, double *d)
{
	uint64_t w, bits = 0;
	int i;

	if (tag == PACK_WHOLE) {
		if (unpack_uint(u, &w) != 0)
			return -1;
		*d = (double)(int64_t)((w >> 1) ^ (~(w & 1) + 1));
		return 0;
	}
	if (u->left < 8) {
		u->bad = N_("it ends in the middle of a number");
		return -1;
	}
	for (i = 0; i < 8; i++)
		bits |= (uint64_t)u->p[i] << (8 * i);
	u->p += 8;
	u->left -= 8;
	memcpy(d, &bits, sizeof *d);
	return 0;
}

static int
unpack_score(struct unpack *u, double *d)
{
	int tag;

	if (u->left == 0) {
		u->bad = N_("it ends before its score");
		return -1;
	}
	tag = *u->p++;
	u->left--;
	if (tag != PACK_DOUBLE && tag != PACK_WHOLE) {
		u->bad = N_("its score is not a number");
		return -1;
	}
	return unpack_number(u, tag, d);
}

/* A choice of q by its position. */
static const char *
unpack_choice(struct unpack *u, const struct form_question *q)
{
	uint64_t c;

	if (unpack_uint(u, &c) != 0)
		return NULL;
	if (q == NULL || c >= q->nchoices) {
		u->bad = N_("a choice is not one of its question's");
		return NULL;
	}
	return q->choices[c].value;
}

/* A value given by its choices' positions (tag's kind: string or set). */
static int
unpack_by_choice(
    struct unpack *u, int tag, const struct form_question *q, struct value *v)
{
	const char **items;
	const char *c;
	size_t n, i;

	if (tag == PACK_STRING) {
		if ((c = unpack_choice(u, q)) == NULL)
			return -1;
		value_string(v, c);
		return 0;
	}
	if (tag != PACK_SET) {
		u->bad = N_("a value is of an unknown kind");
		return -1;
	}
	if (unpack_size(u, 1, &n) != 0)
		return -1;
	items = xcalloc(n + 1, sizeof *items);
	for (i = 0; i < n; i++) {
		if ((items[i] = unpack_choice(u, q)) == NULL) {
			free(items);
			return -1;
		}
	}
	value_set(v, items, n);
	free(items);
	return 0;
}

/* One value of kind tag (the low bits) into v. */
static int
unpack_value(struct unpack *u, int tag, struct value *v)
{
	const char **items;
	size_t n, i;
	double d;
	int rc = 0;

	switch (tag) {
	case PACK_NONE:
		return 0;
	case PACK_NO:
	case PACK_YES:
		value_bool(v, tag == PACK_YES);
		return 0;
	case PACK_DOUBLE:
	case PACK_WHOLE:
		if (unpack_number(u, tag, &d) != 0)
			return -1;
		value_number(v, d);
		return 0;
	case PACK_SET:
		/* Each item takes at least its length's byte. */
		if (unpack_size(u, 1, &n) != 0)
			return -1;
		items = xcalloc(n + 1, sizeof *items);
		for (i = 0; i < n; i++) {
			if ((items[i] = unpack_string(u)) == NULL) {
				rc = -1;
				break;
			}
		}
		if (rc == 0)
			value_set(v, items, n);
		for (i = 0; i < n; i++)
			free((char *)items[i]);
		free(items);
		return rc;
	default:
		u->bad = N_("a value is of an unknown kind");
		return -1;
	}
}

/*
 * The next question shown, after next (the index after the one before)
 * in a form of n questions: its gap, its index (*q) and its tag.
 */
static int
unpack_next(struct unpack *u, uint64_t n, size_t next, uint64_t *gap, size_t *q,
    int *tag)
{
	if (unpack_uint(u, gap) != 0)
		return -1;
	if (*gap >= n - next) {
		u->bad = N_("a question lies beyond its form");
		return -1;
	}
	*q = next + (size_t)*gap;
	if (u->left == 0) {
		u->bad = N_("it ends before a value");
		return -1;
	}
	*tag = *u->p++;
	u->left--;
	if ((*tag & 0xc0) != 0) {
		u->bad = N_("a value is of an unknown kind");
		return -1;
	}
	return 0;
}

/*
 * A free text from the texts t; the empty string when they are not
 * wanted (t->p NULL).
 */
static int
unpack_apart(struct unpack *t, struct value *v)
{
	char *s;

	if (t->p == NULL) {
		value_string(v, "");
		return 0;
	}
	if (t->left == 0) {
		t->bad = N_("a free text is missing from its texts");
		return -1;
	}
	if ((s = unpack_string(t)) == NULL)
		return -1;
	value_string(v, s);
	free(s);
	return 0;
}

int
store_pack_read(const unsigned char *p, size_t len, const unsigned char *texts,
    size_t tlen, const struct form_question *questions, size_t nquestions,
    double *score, double *score_max, struct value *values, unsigned char *seen,
    unsigned char *severity, char **cause)
{
	struct unpack u = { p, len, NULL };
	struct unpack t = { texts, texts != NULL ? tlen : 0, NULL };
	uint64_t n, gap;
	size_t i, q;
	int tag, rc;

	for (i = 0; i < nquestions; i++)
		value_clear(&values[i]);
	memset(seen, 0, nquestions);
	memset(severity, 0, nquestions);
	if (len == 0 || p[0] != STORE_PACK_VERSION) {
		*cause = len == 0 ? xstrdup(_("its report values are empty"))
		                  : xasprintf(_("its report values are of "
		                                "version %d, not %d"),
		                        p[0], STORE_PACK_VERSION);
		return -1;
	}
	if (t.left > 0 && texts[0] != STORE_PACK_VERSION) {
		*cause = xasprintf(_("its report texts are of version %d, "
		                     "not %d"),
		    texts[0], STORE_PACK_VERSION);
		return -1;
	}
	u.p++;
	u.left--;
	if (t.left > 0) {
		t.p++;
		t.left--;
	}
	if (unpack_uint(&u, &n) != 0)
		goto bad;
	if (n != nquestions) {
		*cause = xasprintf(_("its report values are of a form of %llu "
		                     "questions, its form has %zu"),
		    (unsigned long long)n, nquestions);
		return -1;
	}
	if (unpack_score(&u, score) != 0 || unpack_score(&u, score_max) != 0)
		goto bad;
	for (q = 0; u.left > 0; q++) {
		if (unpack_next(&u, nquestions, q, &gap, &q, &tag) != 0)
			goto bad;
		seen[q] = 1;
		severity[q] = (unsigned char)((tag >> 3) & 3);
		if (tag & PACK_BY_CHOICE)
			rc = unpack_by_choice(&u, tag & 7,
			    questions ? &questions[q] : NULL, &values[q]);
		else if ((tag & 7) == PACK_APART) {
			if ((rc = unpack_apart(&t, &values[q])) != 0)
				u.bad = t.bad;
		} else
			rc = unpack_value(&u, tag & 7, &values[q]);
		if (rc != 0)
			goto bad;
	}
	if (t.left > 0) {
		u.bad = N_("its texts hold more than its answers give them");
		goto bad;
	}
	return 0;
bad:
	for (i = 0; i < nquestions; i++)
		value_clear(&values[i]);
	*cause = xasprintf(_("its report values are damaged: %s"), _(u.bad));
	return -1;
}

/* Past a version 1 value of kind (the tag's low bits and bit 5). */
static int
unpack_skip(struct unpack *u, int kind)
{
	uint64_t w;
	size_t n, i;
	double d;
	char *s;

	switch (kind) {
	case PACK_NONE:
	case PACK_NO:
	case PACK_YES:
		return 0;
	case PACK_DOUBLE:
	case PACK_WHOLE:
		return unpack_number(u, kind, &d);
	case PACK_STRING | PACK_BY_CHOICE:
		return unpack_uint(u, &w);
	case PACK_SET | PACK_BY_CHOICE:
		if (unpack_size(u, 1, &n) != 0)
			return -1;
		for (i = 0; i < n; i++) {
			if (unpack_uint(u, &w) != 0)
				return -1;
		}
		return 0;
	case PACK_SET:
		if (unpack_size(u, 1, &n) != 0)
			return -1;
		for (i = 0; i < n; i++) {
			if ((s = unpack_string(u)) == NULL)
				return -1;
			free(s);
		}
		return 0;
	default:
		u->bad = N_("a value is of an unknown kind");
		return -1;
	}
}

int
store_pack_split(
    const unsigned char *p, size_t len, struct store_pack *out, char **cause)
{
	struct unpack u = { p, len, NULL };
	const unsigned char *from;
	uint64_t n, gap;
	double score, max;
	size_t q;
	char *s;
	int tag;

	if (len == 0 || p[0] != 1) {
		*cause = len == 0 ? xstrdup(_("its report values are empty"))
		                  : xasprintf(_("its report values are of "
		                                "version %d, not %d"),
		                        p[0], 1);
		return -1;
	}
	u.p++;
	u.left--;
	if (unpack_uint(&u, &n) != 0 || unpack_score(&u, &score) != 0 ||
	    unpack_score(&u, &max) != 0)
		goto bad;
	store_pack_begin(out, (size_t)n, score, max);
	for (q = 0; u.left > 0; q++) {
		if (unpack_next(&u, n, q, &gap, &q, &tag) != 0)
			goto bad;
		pack_uint(&out->answers, gap);
		/* Its free text: a string not given by position. */
		if ((tag & (PACK_BY_CHOICE | 7)) == PACK_STRING) {
			if ((s = unpack_string(&u)) == NULL)
				goto bad;
			pack_apart(out, s, (unsigned char)(tag & 0x18));
			free(s);
			continue;
		}
		/* Else its bytes as they are. */
		from = u.p;
		if (unpack_skip(&u, tag & (PACK_BY_CHOICE | 7)) != 0)
			goto bad;
		pack_byte(&out->answers, (unsigned char)tag);
		pack_raw(&out->answers, from, (size_t)(u.p - from));
	}
	out->next = q;
	return 0;
bad:
	*cause = xasprintf(_("its report values are damaged: %s"), _(u.bad));
	return -1;
}
