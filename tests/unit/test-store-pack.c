/*
 * store-pack: a visit's answers packed for reports come back as they went
 * in (every kind of value, whole and fractional numbers, the edges of a
 * double, alerts, questions not shown), and a damaged blob, whatever the
 * damage, is an error with a cause: never a crash, never values read
 * wrong in silence.
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
	assert_int_equal(store_pack_read(k.p, k.len, x.qs, NQ, &score, &max,
	                     y.v, y.shown, y.sev, &cause),
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
	/* Small whole numbers and choices take a byte each, beside the
	 * question's gap and tag: a blob stays small. */
	store_pack_begin(&k, NQ, 1, 2);
	assert_int_equal(k.len, 6);
	store_pack_add(&k, x.qs, 4, &x.v[4], 0);
	assert_int_equal(k.len, 6 + 3);
	store_pack_add(&k, x.qs, 16, &x.v[16], 0);
	assert_int_equal(k.len, 6 + 3 + 3);
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
	assert_int_equal(store_pack_read(k.p, k.len, NULL, 3, &score, &max, v,
	                     seen, sev, &cause),
	    0);
	assert_int_equal(seen[0] + seen[1] + seen[2], 0);
	store_pack_begin(&k, 3, 0.1, 1e300);
	for (size_t q = 0; q < 3; q++)
		store_pack_add(&k, NULL, q, &none, 0);
	assert_int_equal(store_pack_read(k.p, k.len, NULL, 3, &score, &max, v,
	                     seen, sev, &cause),
	    0);
	assert_int_equal(seen[0] + seen[1] + seen[2], 3);
	assert_true(score == 0.1 && max == 1e300);
	store_pack_free(&k);
}

/* Read a damaged blob: an error with a cause, and values left cleared. */
static void
assert_damaged(const unsigned char *p, size_t len,
    const struct form_question *qs, size_t nq, const char *want)
{
	struct value v[NQ + 1]; /* nq is at most NQ + 1 */
	unsigned char seen[NQ + 1], sev[NQ + 1];
	double score, max;
	char *cause = NULL;

	memset(v, 0, sizeof v);
	assert_int_equal(
	    store_pack_read(p, len, qs, nq, &score, &max, v, seen, sev, &cause),
	    -1);
	assert_non_null(cause);
	if (want != NULL && strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, want);
	free(cause);
	for (size_t q = 0; q < nq; q++)
		assert_int_equal(v[q].kind, VALUE_NONE);
}

static void
test_damaged(void **state)
{
	struct sample x;
	struct store_pack k = { 0 };
	unsigned char *b;
	size_t i;
	int bit;

	(void)state;
	sample_fill(&x);
	sample_pack(&x, &k);
	b = xmalloc(k.len);

	assert_damaged(k.p, 0, x.qs, NQ, "empty");
	memcpy(b, k.p, k.len);
	b[0] = 2;
	assert_damaged(b, k.len, x.qs, NQ, "version 2");
	/* Another form's blob. */
	assert_damaged(k.p, k.len, x.qs, NQ - 1, "17 questions");
	assert_damaged(k.p, k.len, NULL, NQ + 1, "17 questions");
	/* Read without its form's choices: a choice is damage. */
	assert_damaged(k.p, k.len, NULL, NQ, "not one of its question's");
	/* Cut anywhere: every prefix is damaged (the blob's end is its
	 * last question's end). */
	for (i = 1; i < k.len; i++) {
		/* A prefix that ends just after a whole question is a valid
		 * blob of fewer questions shown: only those are accepted. */
		struct value v[NQ];
		unsigned char seen[NQ], sev[NQ];
		double score, max;
		char *cause = NULL;

		memset(v, 0, sizeof v);
		if (store_pack_read(k.p, i, x.qs, NQ, &score, &max, v, seen,
		        sev, &cause) == 0) {
			for (size_t q = 0; q < NQ; q++) {
				if (seen[q])
					assert_true(
					    value_equal(&v[q], &x.v[q]));
				value_clear(&v[q]);
			}
		} else {
			assert_non_null(cause);
			free(cause);
		}
	}
	/* A string whose length runs past the end. */
	{
		struct store_pack s = { 0 };
		struct value str = { 0 };

		value_string(&str, "abc");
		store_pack_begin(&s, 2, 1, 1);
		store_pack_add(&s, NULL, 1, &str, 0);
		s.p[s.len - 4] = 100;
		assert_damaged(s.p, s.len, NULL, 2, "past its end");
		/* A NUL inside a string. */
		s.p[s.len - 4] = 3;
		s.p[s.len - 2] = '\0';
		assert_damaged(s.p, s.len, NULL, 2, "NUL");
		/* A question beyond the form. */
		s.p[s.len - 6] = 2;
		assert_damaged(s.p, s.len, NULL, 2, "beyond its form");
		/* An unknown kind, and bits that must be zero. */
		store_pack_begin(&s, 2, 1, 1);
		store_pack_add(&s, NULL, 0, &str, 0);
		s.p[s.len - 5] = 7;
		assert_damaged(s.p, s.len, NULL, 2, "unknown kind");
		s.p[s.len - 5] = 5 | 0x40;
		assert_damaged(s.p, s.len, NULL, 2, "unknown kind");
		/* A set of more items than bytes left. */
		store_pack_begin(&s, 1, 1, 1);
		store_pack_add(&s, NULL, 0, &str, 0);
		s.p[s.len - 5] = 6;
		s.p[s.len - 4] = 0x7f;
		assert_damaged(s.p, s.len, NULL, 1, "past its end");
		/* A varint that never ends. */
		memset(s.p + 1, 0xff, s.len - 1);
		assert_damaged(s.p, s.len, NULL, 1, NULL);
		value_clear(&str);
		store_pack_free(&s);
	}
	/* Every single bit flipped: an error or a readable blob, never a
	 * crash (run under the sanitizer: never a read out of bounds). */
	for (i = 0; i < k.len; i++) {
		for (bit = 0; bit < 8; bit++) {
			struct value v[NQ];
			unsigned char seen[NQ], sev[NQ];
			double score, max;
			char *cause = NULL;

			memcpy(b, k.p, k.len);
			b[i] ^= (unsigned char)(1 << bit);
			memset(v, 0, sizeof v);
			if (store_pack_read(b, k.len, x.qs, NQ, &score, &max, v,
			        seen, sev, &cause) != 0) {
				assert_non_null(cause);
				free(cause);
			}
			for (size_t q = 0; q < NQ; q++)
				value_clear(&v[q]);
		}
	}
	free(b);
	sample_clear(&x);
	store_pack_free(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
