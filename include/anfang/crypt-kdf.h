/*
 * The database key: Argon2id (crypto_pwhash) over the passphrase.  The
 * salt and the limits travel together in a 16-byte header that SQLCipher
 * keeps in clear at the start of the database file (see crypt-kdf.c).
 */
#ifndef ANFANG_CRYPT_KDF_H
#define ANFANG_CRYPT_KDF_H

#include <stddef.h>

#include "anfang/crypt-mem.h"

#define CRYPT_KDF_KEY_BYTES    32
#define CRYPT_KDF_HEADER_BYTES 16

enum crypt_kdf_level {
	CRYPT_KDF_INTERACTIVE,
	CRYPT_KDF_MODERATE,
	CRYPT_KDF_SENSITIVE,
};

struct crypt_kdf {
	unsigned opslimit;
	unsigned memlog; /* memory limit as a power of two, in bytes */
	unsigned char header[CRYPT_KDF_HEADER_BYTES];
};

int crypt_kdf_level_from_name(const char *, enum crypt_kdf_level *);
/* A new random salt with the limits of a level. */
void crypt_kdf_new(struct crypt_kdf *, enum crypt_kdf_level);
/* Read the header; -1 with *cause when it is not an anfang database. */
int crypt_kdf_parse(struct crypt_kdf *,
    const unsigned char header[CRYPT_KDF_HEADER_BYTES], char **cause);
/* "Argon2id, 3 passes, 256 MiB" (static storage). */
const char *crypt_kdf_describe(const struct crypt_kdf *);
/* Derive the key into guarded memory; NULL with *cause on failure. */
struct crypt_mem *crypt_kdf_derive(
    const struct crypt_kdf *, const struct crypt_mem *passphrase, char **cause);

#endif
