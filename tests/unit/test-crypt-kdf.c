/*
 * crypt-kdf: the 16-byte header (12 random bytes, 'A', format 1, Argon2
 * passes, log2 of its memory) for each level, what parsing it accepts, and
 * a derivation that depends on the whole header and the passphrase.
 */
#include "unit.h"

#include <stdlib.h>

#include <sodium.h>

#include "anfang/crypt-kdf.h"
#include "anfang/crypt.h"

static int
kdf_setup(void **state)
{
	char *cause = NULL;

	(void)state;
	if (crypt_init(&cause) != 0) {
		fprintf(stderr, "crypt_init: %s\n", cause);
		return -1;
	}
	return 0;
}

static unsigned
log2_of(size_t n)
{
	unsigned l = 0;

	while (((size_t)1 << (l + 1)) <= n)
		l++;
	return l;
}

static struct crypt_mem *
secret(const char *s)
{
	struct crypt_mem *m = crypt_mem_new(strlen(s));

	memcpy(m->p, s, strlen(s));
	return m;
}

static void
check_level(enum crypt_kdf_level level, size_t ops, size_t mem)
{
	struct crypt_kdf a, b, parsed;
	char *cause = NULL;

	crypt_kdf_new(&a, level);
	crypt_kdf_new(&b, level);
	assert_int_equal(a.header[12], 'A');
	assert_int_equal(a.header[13], 1);
	assert_int_equal(a.header[14], ops);
	assert_int_equal(a.header[15], log2_of(mem));
	assert_int_equal(a.opslimit, ops);
	assert_int_equal(a.memlog, log2_of(mem));
	/* the limits are libsodium's, exactly: a power of two */
	assert_int_equal((size_t)1 << a.memlog, mem);
	/* a new salt each time, the same limits */
	assert_memory_not_equal(a.header, b.header, 12);
	assert_memory_equal(a.header + 12, b.header + 12, 4);
	/* what new writes, parse reads back */
	memset(&parsed, 0, sizeof parsed);
	assert_int_equal(crypt_kdf_parse(&parsed, a.header, &cause), 0);
	assert_memory_equal(parsed.header, a.header, CRYPT_KDF_HEADER_BYTES);
	assert_int_equal(parsed.opslimit, a.opslimit);
	assert_int_equal(parsed.memlog, a.memlog);
}

static void
test_header_levels(void **state)
{
	(void)state;
	check_level(CRYPT_KDF_INTERACTIVE, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	check_level(CRYPT_KDF_MODERATE, crypto_pwhash_OPSLIMIT_MODERATE,
	    crypto_pwhash_MEMLIMIT_MODERATE);
	check_level(CRYPT_KDF_SENSITIVE, crypto_pwhash_OPSLIMIT_SENSITIVE,
	    crypto_pwhash_MEMLIMIT_SENSITIVE);
}

static void
test_level_names(void **state)
{
	enum crypt_kdf_level l = CRYPT_KDF_SENSITIVE;

	(void)state;
	assert_int_equal(crypt_kdf_level_from_name("interactive", &l), 0);
	assert_int_equal(l, CRYPT_KDF_INTERACTIVE);
	assert_int_equal(crypt_kdf_level_from_name("moderate", &l), 0);
	assert_int_equal(l, CRYPT_KDF_MODERATE);
	assert_int_equal(crypt_kdf_level_from_name("sensitive", &l), 0);
	assert_int_equal(l, CRYPT_KDF_SENSITIVE);
	assert_int_equal(crypt_kdf_level_from_name("Moderate", &l), -1);
	assert_int_equal(crypt_kdf_level_from_name("", &l), -1);
	assert_int_equal(crypt_kdf_level_from_name("high", &l), -1);
	assert_int_equal(l, CRYPT_KDF_SENSITIVE);
}

/* parse refuses h, with a message holding want; k is untouched. */
static void
refused(const unsigned char *h, const char *want)
{
	struct crypt_kdf k;
	char *cause = NULL;

	memset(&k, 0x5a, sizeof k);
	assert_int_equal(crypt_kdf_parse(&k, h, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL) {
		fprintf(stderr, "  \"%s\" lacks \"%s\"\n", cause, want);
		free(cause);
		fail();
	}
	free(cause);
	assert_int_equal(k.opslimit, 0x5a5a5a5a);
	assert_int_equal(k.header[0], 0x5a);
}

static void
test_parse_refuses(void **state)
{
	struct crypt_kdf good, k;
	unsigned char h[CRYPT_KDF_HEADER_BYTES];
	char *cause = NULL;

	(void)state;
	crypt_kdf_new(&good, CRYPT_KDF_INTERACTIVE);
	/* a plain SQLite file starts "SQLite format 3\0" */
	refused((const unsigned char *)"SQLite format 3", "not an anfang");
	memcpy(h, good.header, sizeof h);
	h[12] = 'B';
	refused(h, "not an anfang");
	memcpy(h, good.header, sizeof h);
	h[13] = 2;
	refused(h, "newer");
	h[13] = 0;
	refused(h, "format 0");
	/* absurd limits: no passes, too many, too little or too much memory */
	memcpy(h, good.header, sizeof h);
	h[14] = 0;
	refused(h, "bad key header");
	h[14] = 17;
	refused(h, "bad key header");
	h[14] = 255;
	refused(h, "bad key header");
	memcpy(h, good.header, sizeof h);
	h[15] = 12;
	refused(h, "bad key header");
	h[15] = 33;
	refused(h, "bad key header");
	h[15] = 255;
	refused(h, "bad key header");
	/* the edges that are allowed */
	memcpy(h, good.header, sizeof h);
	h[14] = 1;
	h[15] = 13;
	assert_int_equal(crypt_kdf_parse(&k, h, &cause), 0);
	assert_int_equal(k.opslimit, 1);
	assert_int_equal(k.memlog, 13);
	h[14] = 16;
	h[15] = 32;
	assert_int_equal(crypt_kdf_parse(&k, h, &cause), 0);
	assert_int_equal(k.opslimit, 16);
	assert_int_equal(k.memlog, 32);
}

static void
test_describe(void **state)
{
	struct crypt_kdf k;

	(void)state;
	crypt_kdf_new(&k, CRYPT_KDF_INTERACTIVE);
	assert_string_equal(
	    crypt_kdf_describe(&k), "Argon2id, 2 passes, 64 MiB");
	crypt_kdf_new(&k, CRYPT_KDF_MODERATE);
	assert_string_equal(
	    crypt_kdf_describe(&k), "Argon2id, 3 passes, 256 MiB");
	crypt_kdf_new(&k, CRYPT_KDF_SENSITIVE);
	assert_string_equal(
	    crypt_kdf_describe(&k), "Argon2id, 4 passes, 1024 MiB");
}

static void
test_derive(void **state)
{
	struct crypt_mem *pass = secret("correct horse 電池 staple");
	struct crypt_mem *other = secret("correct horse 電池 stapler");
	struct crypt_mem *a, *b, *c, *d;
	struct crypt_kdf k, salted;
	char *cause = NULL;

	(void)state;
	crypt_kdf_new(&k, CRYPT_KDF_INTERACTIVE);
	a = crypt_kdf_derive(&k, pass, &cause);
	b = crypt_kdf_derive(&k, pass, &cause);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->len, CRYPT_KDF_KEY_BYTES);
	assert_memory_equal(a->p, b->p, CRYPT_KDF_KEY_BYTES);
	assert_true(crypt_mem_equal(a, b));

	/* one bit of the salt changes the key */
	salted = k;
	salted.header[0] ^= 1;
	c = crypt_kdf_derive(&salted, pass, &cause);
	assert_non_null(c);
	assert_false(crypt_mem_equal(a, c));
	/* the key depends on the limits bytes too (the whole header) */
	salted = k;
	salted.header[13] ^= 0x80;
	crypt_mem_free(c);
	c = crypt_kdf_derive(&salted, pass, &cause);
	assert_non_null(c);
	assert_false(crypt_mem_equal(a, c));
	/* one more character of passphrase */
	d = crypt_kdf_derive(&k, other, &cause);
	assert_non_null(d);
	assert_false(crypt_mem_equal(a, d));

	/* the same passphrase and header on a parsed copy: the same key */
	crypt_mem_free(b);
	assert_int_equal(crypt_kdf_parse(&salted, k.header, &cause), 0);
	b = crypt_kdf_derive(&salted, pass, &cause);
	assert_true(crypt_mem_equal(a, b));

	crypt_mem_free(a);
	crypt_mem_free(b);
	crypt_mem_free(c);
	crypt_mem_free(d);
	crypt_mem_free(pass);
	crypt_mem_free(other);
}

static void
test_derive_known(void **state)
{
	struct crypt_mem *pass = secret("pw"), *key;
	unsigned char want[CRYPT_KDF_KEY_BYTES];
	struct crypt_kdf k;
	char *cause = NULL;
	int i;

	(void)state;
	/* Argon2id over the passphrase salted by the whole 16-byte header,
	 * as crypto_pwhash computes it: the format other programs follow */
	for (i = 0; i < 12; i++)
		k.header[i] = (unsigned char)i;
	memcpy(k.header + 12, "A\001\002\032", 4);
	assert_int_equal(crypt_kdf_parse(&k, k.header, &cause), 0);
	key = crypt_kdf_derive(&k, pass, &cause);
	assert_non_null(key);
	assert_int_equal(crypto_pwhash(want, sizeof want, "pw", 2, k.header, 2,
	                     (size_t)1 << 26, crypto_pwhash_ALG_ARGON2ID13),
	    0);
	assert_memory_equal(key->p, want, sizeof want);
	crypt_mem_free(key);
	crypt_mem_free(pass);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_levels),
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_derive_known),
	};

	return cmocka_run_group_tests(tests, kdf_setup, NULL);
}
