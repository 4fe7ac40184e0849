/*
 * crypt-hash: unkeyed BLAKE2b with a 32-byte output.  The expected digests
 * were computed independently, with `b2sum -l 256` (GNU coreutils) and
 * python3's hashlib.blake2b(digest_size=32), not with the code under test.
 */
#include "unit.h"

#include <ctype.h>

#include "anfang/crypt-hash.h"

#define HASH_EMPTY                                                             \
	"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
#define HASH_ABC                                                               \
	"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
#define HASH_ABD                                                               \
	"d63a93ea9b4bd91fe0b20e6d87a26042d2fe45eec5e4934ec6915a1bdb0c9afa"
#define HASH_AB                                                                \
	"f65a5e77ff5e2690ad316b7b9fc28dd90cc5c9a37e617ac3eee1403de3cf9a55"
#define HASH_A_NUL_B                                                           \
	"f2c67fb755da2d22dea00c49aa161fa4457ada51c50260da341260b4752f74d1"
#define HASH_FOX                                                               \
	"01718cec35cd3d796dd00020e0bfecb473ad23457d063b75eff29c0ffa2e58a9"

static void
test_sizes(void **state)
{
	(void)state;
	assert_int_equal(CRYPT_HASH_BYTES, 32);
	assert_int_equal(CRYPT_HASH_HEX, 65);
}

static void
test_empty(void **state)
{
	char hex[CRYPT_HASH_HEX];

	(void)state;
	memset(hex, 'Z', sizeof hex);
	crypt_hash_hex(hex, "", 0);
	assert_string_equal(hex, HASH_EMPTY);
	/* A NULL buffer of length 0 is the empty input too. */
	memset(hex, 'Z', sizeof hex);
	crypt_hash_hex(hex, NULL, 0);
	assert_string_equal(hex, HASH_EMPTY);
}

static void
test_abc(void **state)
{
	char hex[CRYPT_HASH_HEX];

	(void)state;
	memset(hex, 'Z', sizeof hex);
	crypt_hash_hex(hex, "abc", 3);
	assert_string_equal(hex, HASH_ABC);
	crypt_hash_hex(hex, "The quick brown fox jumps over the lazy dog", 43);
	assert_string_equal(hex, HASH_FOX);
}

static void
test_hex_shape(void **state)
{
	char hex[CRYPT_HASH_HEX];
	size_t i;

	(void)state;
	memset(hex, 'Z', sizeof hex);
	crypt_hash_hex(hex, "abc", 3);
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(hex[64], '\0');
	for (i = 0; i < 64; i++)
		assert_true(isdigit((unsigned char)hex[i]) ||
		            (hex[i] >= 'a' && hex[i] <= 'f'));
}

static void
test_raw_matches_hex(void **state)
{
	static const unsigned char want_start[] = { 0xbd, 0xdd, 0x81, 0x3c };
	static const unsigned char want_end[] = { 0xc0, 0x68, 0xd5, 0x23,
		0x19 };
	unsigned char h[CRYPT_HASH_BYTES];
	char hex[CRYPT_HASH_HEX];
	char two[3];
	size_t i;

	(void)state;
	crypt_hash(h, "abc", 3);
	assert_memory_equal(h, want_start, sizeof want_start);
	assert_memory_equal(
	    h + CRYPT_HASH_BYTES - sizeof want_end, want_end, sizeof want_end);
	crypt_hash_hex(hex, "abc", 3);
	for (i = 0; i < CRYPT_HASH_BYTES; i++) {
		snprintf(two, sizeof two, "%02x", h[i]);
		assert_memory_equal(hex + 2 * i, two, 2);
	}
}

static void
test_one_byte_changes(void **state)
{
	char a[CRYPT_HASH_HEX], b[CRYPT_HASH_HEX];
	char buf[] = "form: t\nversion: 1\n";

	(void)state;
	crypt_hash_hex(a, "abd", 3);
	assert_string_equal(a, HASH_ABD);
	assert_string_not_equal(a, HASH_ABC);

	crypt_hash_hex(a, buf, sizeof buf - 1);
	buf[sizeof buf - 3] = '2';
	crypt_hash_hex(b, buf, sizeof buf - 1);
	assert_string_not_equal(a, b);
	/* The same bytes again give the same hash. */
	buf[sizeof buf - 3] = '1';
	crypt_hash_hex(b, buf, sizeof buf - 1);
	assert_string_equal(a, b);
}

static void
test_length_counts(void **state)
{
	char hex[CRYPT_HASH_HEX];

	(void)state;
	/* Only len bytes are hashed, and a NUL among them is data. */
	crypt_hash_hex(hex, "abc", 2);
	assert_string_equal(hex, HASH_AB);
	crypt_hash_hex(hex, "a\0b", 3);
	assert_string_equal(hex, HASH_A_NUL_B);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_hex_shape),
		cmocka_unit_test(test_raw_matches_hex),
		cmocka_unit_test(test_one_byte_changes),
		cmocka_unit_test(test_length_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
