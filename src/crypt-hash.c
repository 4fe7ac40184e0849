/* BLAKE2b-256 over exact bytes (form texts, audit entries). */
#include <sodium.h>

#include "anfang/crypt-hash.h"

void
crypt_hash(unsigned char out[CRYPT_HASH_BYTES], const void *buf, size_t len)
{
	crypto_generichash(out, CRYPT_HASH_BYTES, buf, len, NULL, 0);
}

void
crypt_hash_hex(char out[CRYPT_HASH_HEX], const void *buf, size_t len)
{
	unsigned char h[CRYPT_HASH_BYTES];

	crypt_hash(h, buf, len);
	sodium_bin2hex(out, CRYPT_HASH_HEX, h, sizeof h);
}
