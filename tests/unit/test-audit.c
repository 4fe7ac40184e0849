/*
 * audit: the hash of an entry covers each of its fields (in the layout
 * audit.h documents), and audit_verify names the first broken entry of a
 * chain that was edited, cut, reordered or extended.
 */
#include "unit.h"

#include <stdlib.h>

#include "anfang/audit.h"
#include "anfang/crypt.h"
#include "anfang/xmalloc.h"

#define T0 1700000000000LL

static int
audit_setup(void **state)
{
	char *cause = NULL;

	(void)state;
	if (crypt_init(&cause) != 0) {
		fprintf(stderr, "crypt_init: %s\n", cause);
		return -1;
	}
	return 0;
}

static void
entry(struct audit_entry *e, int64_t n, int64_t at, const char *visit,
    const char *event, const char *detail)
{
	memset(e, 0, sizeof *e);
	e->n = n;
	e->at = at;
	e->visit = (char *)visit;
	e->event = (char *)event;
	e->detail = (char *)detail;
}

/* A chain of n entries as the store writes them. */
static void
chain(struct audit_chain *c, size_t n)
{
	static const char *const events[] = { "visit started", "answer set",
		"answer set", "reason given", "finalized", "amended" };
	struct audit_entry e;
	char detail[64];
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < n; i++) {
		snprintf(detail, sizeof detail, "q%zu: - -> 窗口 %zu", i, i);
		entry(&e, (int64_t)i + 1, T0 + 1000 * (int64_t)i,
		    "abcdefghjkmn", events[i % 6], detail);
		if (i > 0)
			memcpy(e.prev, c->v[i - 1].hash, sizeof e.prev);
		audit_hash(&e);
		audit_chain_add(c, &e);
	}
}

static const unsigned char *
head(const struct audit_chain *c)
{
	return c->v[c->n - 1].hash;
}

/* audit_verify fails and its message holds each of the texts. */
static void
broken(const struct audit_chain *c, const unsigned char *h, int64_t count,
    const char *want, const char *also)
{
	char *cause = NULL;

	assert_int_equal(audit_verify(c, h, count, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL ||
	    (also != NULL && strstr(cause, also) == NULL)) {
		fprintf(stderr, "  \"%s\" lacks \"%s\"%s%s\n", cause, want,
		    also ? " or " : "", also ? also : "");
		free(cause);
		fail();
	}
	free(cause);
}

static void
put_u64(unsigned char *b, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

static size_t
put_str(unsigned char *b, const char *s)
{
	size_t n = strlen(s);
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (unsigned char)(n >> (8 * i));
	memcpy(b + 4, s, n);
	return 4 + n;
}

static void
test_hash_layout(void **state)
{
	unsigned char buf[256], want[CRYPT_HASH_BYTES];
	struct audit_entry e;
	size_t len = 0, i;

	(void)state;
	/* BLAKE2b-256(prev || u64le n || u64le at || u32le len || visit ||
	 * u32le len || event || u32le len || detail) */
	entry(&e, 0x0102030405060708LL, T0, "visit1", "answer set",
	    "fee: - -> 12");
	for (i = 0; i < CRYPT_HASH_BYTES; i++)
		e.prev[i] = (unsigned char)(0xa0 + i);
	memcpy(buf, e.prev, CRYPT_HASH_BYTES);
	len = CRYPT_HASH_BYTES;
	put_u64(buf + len, (uint64_t)e.n);
	len += 8;
	put_u64(buf + len, (uint64_t)e.at);
	len += 8;
	len += put_str(buf + len, e.visit);
	len += put_str(buf + len, e.event);
	len += put_str(buf + len, e.detail);
	crypt_hash(want, buf, len);
	audit_hash(&e);
	assert_memory_equal(e.hash, want, CRYPT_HASH_BYTES);
}

static void
test_hash_deterministic(void **state)
{
	struct audit_entry a, b;

	(void)state;
	entry(&a, 3, T0, "v", "answer set", "x: - -> 1");
	entry(&b, 3, T0, "v", "answer set", "x: - -> 1");
	memset(a.hash, 0x55, sizeof a.hash);
	audit_hash(&a);
	audit_hash(&b);
	assert_memory_equal(a.hash, b.hash, CRYPT_HASH_BYTES);
	/* the old hash field is not an input */
	memset(b.hash, 0xff, sizeof b.hash);
	audit_hash(&b);
	assert_memory_equal(a.hash, b.hash, CRYPT_HASH_BYTES);
}

static void
test_hash_each_field(void **state)
{
	struct audit_entry base, e;
	unsigned char h[CRYPT_HASH_BYTES];
	int field;

	(void)state;
	entry(&base, 3, T0, "visit", "answer set", "detail");
	audit_hash(&base);
	for (field = 0; field < 9; field++) {
		e = base;
		switch (field) {
		case 0:
			e.prev[CRYPT_HASH_BYTES - 1] ^= 1;
			break;
		case 1:
			e.n = 4;
			break;
		case 2:
			e.at = T0 + 1;
			break;
		case 3:
			e.visit = (char *)"visiT";
			break;
		case 4:
			e.event = (char *)"answer sex";
			break;
		case 5:
			e.detail = (char *)"detail ";
			break;
		case 6:
			/* moving a byte from one field to the next */
			e.visit = (char *)"visita";
			e.event = (char *)"nswer set";
			break;
		case 7:
			e.event = (char *)"answer setd";
			e.detail = (char *)"etail";
			break;
		case 8:
			/* n and at swapped */
			e.n = T0;
			e.at = 3;
			break;
		}
		memcpy(h, base.hash, sizeof h);
		audit_hash(&e);
		if (memcmp(h, e.hash, sizeof h) == 0) {
			fprintf(
			    stderr, "  field change %d: same hash\n", field);
			fail();
		}
	}
}

static void
test_verify_good(void **state)
{
	struct audit_chain c, empty = { 0 };
	char *cause = NULL;

	(void)state;
	chain(&c, 5);
	assert_int_equal(audit_verify(&c, head(&c), 5, &cause), 0);
	assert_null(cause);
	/* without a head to compare, the count still counts */
	assert_int_equal(audit_verify(&c, NULL, 5, &cause), 0);
	/* an empty chain with nothing recorded */
	assert_int_equal(audit_verify(&empty, NULL, 0, &cause), 0);
	audit_chain_free(&c);
	assert_int_equal(c.n, 0);
	assert_null(c.v);
}

static void
test_verify_edited(void **state)
{
	struct audit_chain c;
	size_t k;
	char name[32];

	(void)state;
	for (k = 1; k <= 5; k++) {
		chain(&c, 5);
		free(c.v[k - 1].detail);
		c.v[k - 1].detail = xstrdup("q0: - -> 窗口 9");
		snprintf(name, sizeof name, "entry %zu:", k);
		broken(&c, head(&c), 5, name, "changed");
		audit_chain_free(&c);
	}
	/* the time, the event and the visit are covered too */
	chain(&c, 5);
	c.v[1].at++;
	broken(&c, head(&c), 5, "entry 2:", NULL);
	audit_chain_free(&c);
	chain(&c, 5);
	free(c.v[3].event);
	c.v[3].event = xstrdup("exported");
	broken(&c, head(&c), 5, "entry 4:", NULL);
	audit_chain_free(&c);
	chain(&c, 5);
	free(c.v[0].visit);
	c.v[0].visit = xstrdup("otherotherot");
	broken(&c, head(&c), 5, "entry 1:", NULL);
	audit_chain_free(&c);
}

static void
test_verify_edited_and_rehashed(void **state)
{
	struct audit_chain c;

	(void)state;
	/* an edit with the entry's own hash recomputed breaks the link to
	 * the next entry */
	chain(&c, 5);
	free(c.v[2].detail);
	c.v[2].detail = xstrdup("forged");
	audit_hash(&c.v[2]);
	broken(&c, head(&c), 5, "entry 4:", "follow");
	audit_chain_free(&c);
	/* the same at the last entry: only the recorded head shows it */
	chain(&c, 5);
	{
		unsigned char h[CRYPT_HASH_BYTES];

		memcpy(h, head(&c), sizeof h);
		free(c.v[4].detail);
		c.v[4].detail = xstrdup("forged");
		audit_hash(&c.v[4]);
		broken(&c, h, 5, "entry 5", NULL);
	}
	audit_chain_free(&c);
}

static void
remove_entry(struct audit_chain *c, size_t i)
{
	free(c->v[i].visit);
	free(c->v[i].event);
	free(c->v[i].detail);
	memmove(&c->v[i], &c->v[i + 1], (c->n - i - 1) * sizeof c->v[0]);
	c->n--;
}

static void
test_verify_deleted(void **state)
{
	struct audit_chain c;
	unsigned char h[CRYPT_HASH_BYTES];

	(void)state;
	/* entry 3 of 5 removed: 4 is where 3 should be */
	chain(&c, 5);
	memcpy(h, head(&c), sizeof h);
	remove_entry(&c, 2);
	broken(&c, h, 5, "entry 3:", "entry 4 is there");
	audit_chain_free(&c);
	/* the first entry removed */
	chain(&c, 5);
	memcpy(h, head(&c), sizeof h);
	remove_entry(&c, 0);
	broken(&c, h, 5, "entry 1:", NULL);
	audit_chain_free(&c);
	/* removed and the rest renumbered: the link shows it */
	chain(&c, 5);
	memcpy(h, head(&c), sizeof h);
	remove_entry(&c, 2);
	c.v[2].n = 3;
	c.v[3].n = 4;
	broken(&c, h, 5, "entry 3:", NULL);
	audit_chain_free(&c);
}

static void
test_verify_swapped(void **state)
{
	struct audit_chain c;
	struct audit_entry tmp;

	(void)state;
	/* entries 2 and 3 read back in the wrong order */
	chain(&c, 5);
	tmp = c.v[1];
	c.v[1] = c.v[2];
	c.v[2] = tmp;
	broken(&c, head(&c), 5, "entry 2:", "entry 3 is there");
	audit_chain_free(&c);
	/* their numbers swapped too (as ORDER BY n reads them back) */
	chain(&c, 5);
	tmp = c.v[1];
	c.v[1] = c.v[2];
	c.v[2] = tmp;
	c.v[1].n = 2;
	c.v[2].n = 3;
	broken(&c, head(&c), 5, "entry 2:", "follow");
	audit_chain_free(&c);
}

static void
test_verify_truncated(void **state)
{
	struct audit_chain c;
	unsigned char h[CRYPT_HASH_BYTES];

	(void)state;
	/* the last entry gone: the count and head recorded say so */
	chain(&c, 5);
	memcpy(h, head(&c), sizeof h);
	remove_entry(&c, 4);
	broken(&c, h, 5, "entry 5", "5 entries recorded, 4 found");
	/* even with a head that matches what is left, the count does not */
	broken(&c, head(&c), 5, "entry 5", NULL);
	audit_chain_free(&c);
	/* the last two gone: entry 4 is the first missing */
	chain(&c, 5);
	memcpy(h, head(&c), sizeof h);
	remove_entry(&c, 4);
	remove_entry(&c, 3);
	broken(&c, h, 5, "entry 4", "3 found");
	audit_chain_free(&c);
	/* everything gone */
	chain(&c, 5);
	memcpy(h, head(&c), sizeof h);
	while (c.n > 0)
		remove_entry(&c, c.n - 1);
	broken(&c, h, 5, "entry 1", "0 found");
	audit_chain_free(&c);
}

static void
test_verify_wrong_head(void **state)
{
	struct audit_chain c;
	unsigned char h[CRYPT_HASH_BYTES];

	(void)state;
	chain(&c, 5);
	memcpy(h, head(&c), sizeof h);
	h[7] ^= 0x20;
	broken(&c, h, 5, "entry 5", NULL);
	/* the head of an earlier entry */
	broken(&c, c.v[3].hash, 5, "entry 5", NULL);
	audit_chain_free(&c);
}

static void
test_verify_appended(void **state)
{
	static struct audit_chain c;
	unsigned char h[CRYPT_HASH_BYTES];

	*state = &c;
	/* a fifth entry added after the recorded head of 4: the fifth is
	 * the first that does not belong, entry 4 is intact */
	chain(&c, 5);
	memcpy(h, c.v[3].hash, sizeof h);
	broken(&c, h, 4, "entry 5", NULL);
}

/* Frees the chain a test left in *state, even when it failed. */
static int
chain_teardown(void **state)
{
	audit_chain_free(*state);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_layout),
		cmocka_unit_test(test_hash_deterministic),
		cmocka_unit_test(test_hash_each_field),
		cmocka_unit_test(test_verify_good),
		cmocka_unit_test(test_verify_edited),
		cmocka_unit_test(test_verify_edited_and_rehashed),
		cmocka_unit_test(test_verify_deleted),
		cmocka_unit_test(test_verify_swapped),
		cmocka_unit_test(test_verify_truncated),
		cmocka_unit_test(test_verify_wrong_head),
		cmocka_unit_test_teardown(test_verify_appended, chain_teardown),
	};

	return cmocka_run_group_tests(tests, audit_setup, NULL);
}
