/*
 * store-pack: a visit's answers packed for reports come back as they went
 * in (every kind of value, whole and fractional numbers, the edges of a
 * double, alerts, questions not shown), free texts from their own blob or,
 * when not wanted, as empty strings; a blob of version 1 splits into the
 * two of version 2; and a damaged blob, whatever the damage, is an error
 * with a cause: never a crash, never values read wrong in silence.
 */
#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "anfang/store-pack.h"
#include "anfang/xmalloc.h"

#define NQ 17

struct sample {
	struct form_question qs[NQ]; /* only their choices */
	struct value v[NQ];
	unsigned char shown[NQ];
	unsigned char sev[NQ];
};

static struct form_choice choices[] = {
	{ (char *)"a", NULL },
	{ (char *)"多選 b", NULL },
	{ (char *)"", NULL },
};

static void
sample_fill(struct sample *x)
{
	static const char *const set[] = { "a", "多選 b", "" };
	static const char *const some[] = { "多選 b", "not a choice" };

	memset(x, 0, sizeof *x);
	/* Choices go by their position; other text as it is. */
	x->qs[10].choices = x->qs[12].choices = x->qs[13].choices = choices;
	x->qs[14].choices = x->qs[16].choices = choices;
	x->qs[10].nchoices = x->qs[12].nchoices = x->qs[13].nchoices = 3;
	x->qs[14].nchoices = x->qs[16].nchoices = 3;
	value_string(&x->v[16], "多選 b");
	value_set(&x->v[14], some, 2);
	/* Question 0 is not shown, 1 shown but unanswered. */
	x->shown[1] = 1;
	value_bool(&x->v[2], 0);
	value_bool(&x->v[3], 1);
	value_number(&x->v[4], 3);
	value_number(&x->v[5], -2.5);
	value_number(&x->v[6], 9007199254740992.0);  /* 2^53: still whole */
	value_number(&x->v[7], 18014398509481988.0); /* beyond: a double */
	value_number(&x->v[8], -0.0);
	value_number(&x->v[9], DBL_MAX);
	value_string(&x->v[10], "窗口 \"ok\"\n");
	value_string(&x->v[11], "");
	value_set(&x->v[12], set, 3);
	value_set(&x->v[13], NULL, 0);
	value_number(&x->v[15], -9007199254740992.0);
	for (size_t q = 2; q < NQ; q++)
		x->shown[q] = 1;
	x->sev[3] = 3;
	x->sev[1] = 1;
	x->sev[12] = 2;
}

static void
sample_clear(struct sample *x)
{
	for (size_t q = 0; q < NQ; q++)
		value_clear(&x->v[q]);
}

static void
sample_pack(const struct sample *x, struct store_pack *k)
{
	store_pack_begin(k, NQ, 7.5, 12);
	for (size_t q = 0; q < NQ; q++) {
		if (x->shown[q])
			store_pack_add(k, x->qs, q, &x->v[q], x->sev[q]);
	}
}

static void
test_round_trip(void **state)
{
	struct sample x, y;
	struct store_pack k = { 0 };
	double score, max;
	char *cause = NULL;

	(void)state;
	sample_fill(&x);
	memset(&y, 0, sizeof y);
	value_string(&y.v[0], "left from before: cleared");
	sample_pack(&x, &k);
	assert_int_equal(
	    store_pack_read(k.answers.p, k.answers.len, k.texts.p, k.texts.len,
	        x.qs, NQ, &score, &max, y.v, y.shown, y.sev, &cause),
	    0);
	assert_true(score == 7.5);
	assert_true(max == 12);
	for (size_t q = 0; q < NQ; q++) {
		assert_int_equal(y.shown[q], x.shown[q]);
		assert_int_equal(y.sev[q], x.shown[q] ? x.sev[q] : 0);
		assert_int_equal(y.v[q].kind, x.v[q].kind);
		assert_true(value_equal(&y.v[q], &x.v[q]));
	}
	/* Exactly, not just equal: the sign of zero, the double's bits. */
	assert_true(signbit(y.v[8].n));
	assert_memory_equal(&y.v[7].n, &x.v[7].n, sizeof(double));
	assert_memory_equal(&y.v[9].n, &x.v[9].n, sizeof(double));
	assert_string_equal(y.v[10].s, "窗口 \"ok\"\n");
	assert_int_equal(y.v[12].nset, 3);
	assert_string_equal(y.v[16].s, "多選 b");
	assert_int_equal(y.v[14].nset, 2);
	/* Without the texts: the same, but each free text empty. */
	assert_int_equal(
	    store_pack_read(k.answers.p, k.answers.len, NULL, k.texts.len, x.qs,
	        NQ, &score, &max, y.v, y.shown, y.sev, &cause),
	    0);
	for (size_t q = 0; q < NQ; q++) {
		assert_int_equal(y.shown[q], x.shown[q]);
		assert_int_equal(y.sev[q], x.shown[q] ? x.sev[q] : 0);
		assert_int_equal(y.v[q].kind, x.v[q].kind);
		if (q == 10 || q == 11)
			assert_string_equal(y.v[q].s, "");
		else
			assert_true(value_equal(&y.v[q], &x.v[q]));
	}
	/* Small whole numbers and choices take a byte each, beside the
	 * question's gap and tag: a blob stays small.  A free text takes
	 * two among the answers. */
	store_pack_begin(&k, NQ, 1, 2);
	assert_int_equal(k.answers.len, 6);
	store_pack_add(&k, x.qs, 4, &x.v[4], 0);
	assert_int_equal(k.answers.len, 6 + 3);
	assert_int_equal(k.texts.len, 0);
	store_pack_add(&k, x.qs, 10, &x.v[10], 0);
	assert_int_equal(k.answers.len, 6 + 3 + 2);
	assert_int_equal(k.texts.len, 1 + 1 + strlen(x.v[10].s));
	store_pack_add(&k, x.qs, 16, &x.v[16], 0);
	assert_int_equal(k.answers.len, 6 + 3 + 2 + 3);
	/* Begun again: no texts left from before. */
	store_pack_begin(&k, NQ, 1, 2);
	assert_int_equal(k.texts.len, 0);
	sample_clear(&x);
	sample_clear(&y);
	store_pack_free(&k);
}

/* A visit with nothing shown, and one with every question shown. */
static void
test_edges(void **state)
{
	struct store_pack k = { 0 };
	struct value v[3] = { { 0 } }, none = { 0 };
	unsigned char seen[3], sev[3];
	double score, max;
	char *cause = NULL;

	(void)state;
	store_pack_begin(&k, 3, 0, 0);
	assert_int_equal(store_pack_read(k.answers.p, k.answers.len, NULL, 0,
	                     NULL, 3, &score, &max, v, seen, sev, &cause),
	    0);
	assert_int_equal(seen[0] + seen[1] + seen[2], 0);
	store_pack_begin(&k, 3, 0.1, 1e300);
	for (size_t q = 0; q < 3; q++)
		store_pack_add(&k, NULL, q, &none, 0);
	assert_int_equal(store_pack_read(k.answers.p, k.answers.len, NULL, 0,
	                     NULL, 3, &score, &max, v, seen, sev, &cause),
	    0);
	assert_int_equal(seen[0] + seen[1] + seen[2], 3);
	assert_true(score == 0.1 && max == 1e300);
	store_pack_free(&k);
}

/* Read damaged blobs: an error with a cause, and values left cleared. */
static void
assert_damaged(const unsigned char *p, size_t len, const unsigned char *t,
    size_t tlen, const struct form_question *qs, size_t nq, const char *want)
{
	struct value v[NQ + 1]; /* nq is at most NQ + 1 */
	unsigned char seen[NQ + 1], sev[NQ + 1];
	double score, max;
	char *cause = NULL;

	memset(v, 0, sizeof v);
	assert_int_equal(store_pack_read(p, len, t, tlen, qs, nq, &score, &max,
	                     v, seen, sev, &cause),
	    -1);
	assert_non_null(cause);
	if (want != NULL && strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, want);
	free(cause);
	for (size_t q = 0; q < nq; q++)
		assert_int_equal(v[q].kind, VALUE_NONE);
}

/* Read p and t with x's choices: 0 with the values of want (if any)
 * where shown, or -1 with a cause; never a crash (run under the
 * sanitizer: never a read out of bounds). */
static int
read_or_fail(const unsigned char *p, size_t len, const unsigned char *t,
    size_t tlen, const struct sample *x, const struct sample *want)
{
	struct value v[NQ];
	unsigned char seen[NQ], sev[NQ];
	double score, max;
	char *cause = NULL;
	int rc;

	memset(v, 0, sizeof v);
	rc = store_pack_read(
	    p, len, t, tlen, x->qs, NQ, &score, &max, v, seen, sev, &cause);
	if (rc != 0) {
		assert_non_null(cause);
		free(cause);
	}
	for (size_t q = 0; q < NQ; q++) {
		if (rc == 0 && want != NULL && seen[q])
			assert_true(value_equal(&v[q], &want->v[q]));
		value_clear(&v[q]);
	}
	return rc;
}

static void
test_damaged(void **state)
{
	struct sample x;
	struct store_pack k = { 0 };
	const unsigned char *a, *t;
	unsigned char *b;
	size_t i, alen, tlen;
	int bit;

	(void)state;
	sample_fill(&x);
	sample_pack(&x, &k);
	a = k.answers.p;
	alen = k.answers.len;
	t = k.texts.p;
	tlen = k.texts.len;
	assert_true(tlen > 0);
	b = xmalloc(alen > tlen ? alen : tlen);

	assert_damaged(a, 0, t, tlen, x.qs, NQ, "empty");
	memcpy(b, a, alen);
	b[0] = 3;
	assert_damaged(b, alen, t, tlen, x.qs, NQ, "version 3");
	/* Another form's blob. */
	assert_damaged(a, alen, t, tlen, x.qs, NQ - 1, "17 questions");
	assert_damaged(a, alen, t, tlen, NULL, NQ + 1, "17 questions");
	/* Read without its form's choices: a choice is damage. */
	assert_damaged(a, alen, t, tlen, NULL, NQ, "not one of its question's");
	/* Texts: missing, of another version, more than the answers say. */
	assert_damaged(a, alen, t, 0, x.qs, NQ, "missing");
	memcpy(b, t, tlen);
	b[0] = 1;
	assert_damaged(a, alen, b, tlen, x.qs, NQ, "texts are of version 1");
	{
		unsigned char more[256];

		assert_true(tlen + 2 <= sizeof more);
		memcpy(more, t, tlen);
		more[tlen] = 1;
		more[tlen + 1] = 'z';
		assert_damaged(a, alen, more, tlen + 2, x.qs, NQ, "hold more");
	}
	/* Answers cut anywhere: damaged, or (cut just after a whole
	 * question other than a free text) a valid blob of fewer questions
	 * shown, read right. */
	for (i = 1; i < alen; i++)
		read_or_fail(a, i, t, tlen, &x, &x);
	/* Texts cut anywhere: always damaged (the answers ask for all). */
	for (i = 0; i < tlen; i++)
		assert_int_equal(read_or_fail(a, alen, t, i, &x, &x), -1);
	{
		struct store_pack s = { 0 };
		struct value str = { 0 }, set = { 0 };
		static const char *const items[] = { "abc" };

		/* A text whose length runs past the end, one with a NUL. */
		value_string(&str, "abc");
		store_pack_begin(&s, 2, 1, 1);
		store_pack_add(&s, NULL, 1, &str, 0);
		assert_int_equal(s.texts.len, 5);
		s.texts.p[1] = 100;
		assert_damaged(s.answers.p, s.answers.len, s.texts.p,
		    s.texts.len, NULL, 2, "past its end");
		s.texts.p[1] = 3;
		s.texts.p[3] = '\0';
		assert_damaged(s.answers.p, s.answers.len, s.texts.p,
		    s.texts.len, NULL, 2, "NUL");
		/* A question beyond the form. */
		s.answers.p[s.answers.len - 2] = 2;
		assert_damaged(s.answers.p, s.answers.len, s.texts.p,
		    s.texts.len, NULL, 2, "beyond its form");
		/* Unknown kinds: a string among the answers (version 1's
		 * free text), a free text by position, bits that must be
		 * zero. */
		store_pack_begin(&s, 2, 1, 1);
		store_pack_add(&s, NULL, 0, &str, 0);
		s.answers.p[s.answers.len - 1] = 5;
		assert_damaged(s.answers.p, s.answers.len, s.texts.p,
		    s.texts.len, NULL, 2, "unknown kind");
		s.answers.p[s.answers.len - 1] = 7 | 0x20;
		assert_damaged(s.answers.p, s.answers.len, s.texts.p,
		    s.texts.len, NULL, 2, "unknown kind");
		s.answers.p[s.answers.len - 1] = 7 | 0x40;
		assert_damaged(s.answers.p, s.answers.len, s.texts.p,
		    s.texts.len, NULL, 2, "unknown kind");
		/* A set of more items than bytes left. */
		value_set(&set, items, 1);
		store_pack_begin(&s, 1, 1, 1);
		store_pack_add(&s, NULL, 0, &set, 0);
		s.answers.p[s.answers.len - 5] = 0x7f;
		assert_damaged(s.answers.p, s.answers.len, NULL, 0, NULL, 1,
		    "past its end");
		/* A varint that never ends. */
		memset(s.answers.p + 1, 0xff, s.answers.len - 1);
		assert_damaged(
		    s.answers.p, s.answers.len, NULL, 0, NULL, 1, NULL);
		value_clear(&str);
		value_clear(&set);
		store_pack_free(&s);
	}
	/* Every single bit flipped, of the answers or of the texts: an
	 * error or a readable blob, never a crash. */
	for (i = 0; i < alen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(b, a, alen);
			b[i] ^= (unsigned char)(1 << bit);
			read_or_fail(b, alen, t, tlen, &x, NULL);
		}
	}
	for (i = 0; i < tlen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(b, t, tlen);
			b[i] ^= (unsigned char)(1 << bit);
			read_or_fail(a, alen, b, tlen, &x, NULL);
		}
	}
	free(b);
	sample_clear(&x);
	store_pack_free(&k);
}

/*
 * A version 1 blob, written here byte by byte: a form of 5 questions,
 * score 3 of 4; 0 yes (a high alert), 1 its second choice, 2 "窗口"
 * (a low alert), 3 "" (free texts, among the answers in version 1),
 * 4 a set of text, "x".
 */
static const unsigned char v1[] = {
	1, 5, 4, 6, 4, 8, /* version, N, scores */
	0, 2 | 0x18,      /* 0: yes, high */
	0, 5 | 0x20, 1,   /* 1: choice 1 */
	0, 5 | 0x08, 6, 0xe7, 0xaa, 0x97, 0xe5, 0x8f, 0xa3, /* 2: 窗口, low */
	0, 5, 0,                                            /* 3: "" */
	0, 6, 1, 1, 'x',                                    /* 4: {"x"} */
};

static void
test_split(void **state)
{
	/* What version 2 makes of it, byte by byte. */
	static const unsigned char answers[] = {
		2,
		5,
		4,
		6,
		4,
		8,
		0,
		2 | 0x18,
		0,
		5 | 0x20,
		1,
		0,
		7 | 0x08,
		0,
		7,
		0,
		6,
		1,
		1,
		'x',
	};
	static const unsigned char texts[] = {
		2,
		6,
		0xe7,
		0xaa,
		0x97,
		0xe5,
		0x8f,
		0xa3,
		0,
	};
	struct form_question qs[5];
	struct store_pack k = { 0 };
	struct value v[5] = { { 0 } };
	unsigned char seen[5], sev[5], b[sizeof v1];
	double score, max;
	char *cause = NULL;
	size_t i;
	int bit;

	(void)state;
	memset(qs, 0, sizeof qs);
	qs[1].choices = choices;
	qs[1].nchoices = 3;
	assert_int_equal(store_pack_split(v1, sizeof v1, &k, &cause), 0);
	assert_int_equal(k.answers.len, sizeof answers);
	assert_memory_equal(k.answers.p, answers, sizeof answers);
	assert_int_equal(k.texts.len, sizeof texts);
	assert_memory_equal(k.texts.p, texts, sizeof texts);
	assert_int_equal(
	    store_pack_read(k.answers.p, k.answers.len, k.texts.p, k.texts.len,
	        qs, 5, &score, &max, v, seen, sev, &cause),
	    0);
	assert_true(score == 3 && max == 4);
	assert_true(v[0].kind == VALUE_BOOL && v[0].b);
	assert_string_equal(v[1].s, "多選 b");
	assert_string_equal(v[2].s, "窗口");
	assert_true(v[3].kind == VALUE_STRING);
	assert_string_equal(v[3].s, "");
	assert_int_equal(v[4].nset, 1);
	assert_string_equal(v[4].set[0], "x");
	assert_memory_equal(seen, "\1\1\1\1\1", 5);
	assert_memory_equal(sev, "\3\0\1\0\0", 5);
	for (i = 0; i < 5; i++)
		value_clear(&v[i]);

	/* Without free text: no texts. */
	assert_int_equal(store_pack_split(v1, 11, &k, &cause), 0);
	assert_int_equal(k.answers.len, 11);
	assert_int_equal(k.texts.len, 0);
	/* Version 2 is not split again; damage is an error. */
	assert_int_equal(
	    store_pack_split(answers, sizeof answers, &k, &cause), -1);
	assert_non_null(strstr(cause, "version 2, not 1"));
	free(cause);
	for (i = 1; i < sizeof v1; i++) {
		cause = NULL;
		/* Cut within a question: damaged.  Cut after one: fewer. */
		if (store_pack_split(v1, i, &k, &cause) != 0) {
			assert_non_null(cause);
			free(cause);
		} else
			assert_true(
			    i == 6 || i == 8 || i == 11 || i == 20 || i == 23);
	}
	for (i = 0; i < sizeof v1; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(b, v1, sizeof v1);
			b[i] ^= (unsigned char)(1 << bit);
			cause = NULL;
			if (store_pack_split(b, sizeof b, &k, &cause) != 0) {
				assert_non_null(cause);
				free(cause);
			}
		}
	}
	store_pack_free(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
