/*
 * crypt-mem: guarded secrets, their comparison, wiping, and the random
 * bytes and ids the rest of the program relies on.
 */
#include "unit.h"

#include <stdlib.h>

#include "anfang/crypt-mem.h"
#include "anfang/crypt.h"

static const char id_alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";

static int
mem_setup(void **state)
{
	char *cause = NULL;

	(void)state;
	if (crypt_init(&cause) != 0) {
		fprintf(stderr, "crypt_init: %s\n", cause);
		return -1;
	}
	return 0;
}

static struct crypt_mem *
secret(const void *p, size_t len)
{
	struct crypt_mem *m = crypt_mem_new(len);

	memcpy(m->p, p, len);
	return m;
}

static void
test_new_free(void **state)
{
	struct crypt_mem *m, *z;
	size_t i;

	(void)state;
	m = crypt_mem_new(100);
	assert_non_null(m);
	assert_non_null(m->p);
	assert_int_equal(m->len, 100);
	/* all of it is usable */
	for (i = 0; i < 100; i++)
		m->p[i] = (unsigned char)i;
	for (i = 0; i < 100; i++)
		assert_int_equal(m->p[i], i);
	/* an empty secret still has somewhere to point */
	z = crypt_mem_new(0);
	assert_non_null(z);
	assert_non_null(z->p);
	assert_int_equal(z->len, 0);
	crypt_mem_free(z);
	crypt_mem_free(m);
	crypt_mem_free(NULL);
}

static void
test_equal(void **state)
{
	struct crypt_mem *a = secret("passphrase", 10);
	struct crypt_mem *same = secret("passphrase", 10);
	struct crypt_mem *prefix = secret("passphrase", 9);
	struct crypt_mem *longer = secret("passphrase!", 11);
	struct crypt_mem *first = secret("Passphrase", 10);
	struct crypt_mem *last = secret("passphrasE", 10);
	struct crypt_mem *e1 = crypt_mem_new(0), *e2 = crypt_mem_new(0);
	struct crypt_mem *nul1 = secret("a\0b", 3), *nul2 = secret("a\0c", 3);

	(void)state;
	assert_true(crypt_mem_equal(a, same));
	assert_true(crypt_mem_equal(same, a));
	assert_true(crypt_mem_equal(a, a));
	/* a prefix is not equal, whichever side it is on */
	assert_false(crypt_mem_equal(a, prefix));
	assert_false(crypt_mem_equal(prefix, a));
	assert_false(crypt_mem_equal(a, longer));
	assert_false(crypt_mem_equal(longer, a));
	/* one byte differing, at either end */
	assert_false(crypt_mem_equal(a, first));
	assert_false(crypt_mem_equal(a, last));
	/* bytes, not C strings: past a NUL still counts */
	assert_false(crypt_mem_equal(nul1, nul2));
	assert_true(crypt_mem_equal(e1, e2));
	assert_false(crypt_mem_equal(e1, a));
	crypt_mem_free(a);
	crypt_mem_free(same);
	crypt_mem_free(prefix);
	crypt_mem_free(longer);
	crypt_mem_free(first);
	crypt_mem_free(last);
	crypt_mem_free(e1);
	crypt_mem_free(e2);
	crypt_mem_free(nul1);
	crypt_mem_free(nul2);
}

static void
test_wipe(void **state)
{
	unsigned char buf[64], zero[64] = { 0 };

	(void)state;
	memset(buf, 0xa5, sizeof buf);
	crypt_mem_wipe(buf, 32);
	assert_memory_equal(buf, zero, 32);
	/* only what was asked */
	assert_int_equal(buf[32], 0xa5);
	assert_int_equal(buf[63], 0xa5);
}

static void
test_random_id(void **state)
{
	char id[40];
	int seen[256] = { 0 };
	size_t i, k;

	(void)state;
	for (i = 0; i < 2000; i++) {
		memset(id, '#', sizeof id);
		crypt_mem_random_id(id, 12);
		assert_int_equal(id[12], '\0');
		/* nothing written past the terminator */
		assert_int_equal(id[13], '#');
		for (k = 0; k < 12; k++) {
			if (strchr(id_alphabet, id[k]) == NULL) {
				fprintf(
				    stderr, "  '%c' in \"%s\"\n", id[k], id);
				fail();
			}
			seen[(unsigned char)id[k]]++;
		}
	}
	/* 24000 draws: every letter of the alphabet shows up, and none is
	 * far from its share (774) */
	for (k = 0; id_alphabet[k] != '\0'; k++) {
		assert_true(seen[(unsigned char)id_alphabet[k]] > 500);
		assert_true(seen[(unsigned char)id_alphabet[k]] < 1100);
	}
	/* those read aloud badly are never used */
	assert_int_equal(
	    seen['0'] + seen['1'] + seen['o'] + seen['l'] + seen['i'], 0);

	memset(id, '#', sizeof id);
	crypt_mem_random_id(id, 0);
	assert_int_equal(id[0], '\0');
	assert_int_equal(id[1], '#');
	crypt_mem_random_id(id, 1);
	assert_int_equal(strlen(id), 1);
	crypt_mem_random_id(id, 32);
	assert_int_equal(strlen(id), 32);
}

static void
test_random_ids_differ(void **state)
{
	char a[13], b[13];

	(void)state;
	crypt_mem_random_id(a, 12);
	crypt_mem_random_id(b, 12);
	/* 31^12 ids: a clash means no randomness */
	assert_string_not_equal(a, b);
}

static void
test_random_bytes(void **state)
{
	unsigned char a[32], b[32], zero[32] = { 0 };
	unsigned char big[4096];
	int counts[256] = { 0 };
	size_t i;

	(void)state;
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	crypt_mem_random(a, sizeof a);
	crypt_mem_random(b, sizeof b);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_memory_not_equal(a, b, sizeof a);
	/* the whole length is filled: the last bytes too */
	memset(big, 0, sizeof big);
	crypt_mem_random(big, sizeof big);
	assert_memory_not_equal(big + sizeof big - 32, zero, 32);
	for (i = 0; i < sizeof big; i++)
		counts[big[i]]++;
	/* 16 expected per byte value; no value takes over */
	for (i = 0; i < 256; i++)
		assert_true(counts[i] < 60);
	/* zero bytes asked, nothing written */
	memset(a, 7, sizeof a);
	crypt_mem_random(a, 0);
	assert_int_equal(a[0], 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_free),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_wipe),
		cmocka_unit_test(test_random_id),
		cmocka_unit_test(test_random_ids_differ),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, mem_setup, NULL);
}
