/* BLAKE2b hashes (libsodium's crypto_generichash). */
#ifndef ANFANG_CRYPT_HASH_H
#define ANFANG_CRYPT_HASH_H

#include <stddef.h>

#define CRYPT_HASH_BYTES 32
#define CRYPT_HASH_HEX   (CRYPT_HASH_BYTES * 2 + 1)

void crypt_hash(unsigned char out[CRYPT_HASH_BYTES], const void *, size_t);
void crypt_hash_hex(char out[CRYPT_HASH_HEX], const void *, size_t);

#endif
