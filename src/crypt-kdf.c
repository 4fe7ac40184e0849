/*
 * Argon2id over the passphrase, with the salt and limits kept in the
 * database file itself.
 *
 * SQLCipher stores a 16-byte salt in clear at the start of the file, and
 * takes it from us when the key is given as x'<key><salt>'.  That salt is
 * our KDF header: 12 random bytes, then 'A', a format version, the Argon2
 * pass count and log2 of its memory.  So the limits are read before the
 * key is derived, a later version can raise them for new passphrases
 * without locking out old files, a cheap test database is never taken for
 * a strong one, and passwd stays one atomic rename of one file.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "anfang/crypt-kdf.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

#define KDF_RANDOM  12
#define KDF_MAGIC   'A'
#define KDF_VERSION 1

static const struct {
	const char *name;
	enum crypt_kdf_level level;
} kdf_names[] = {
	{ "interactive", CRYPT_KDF_INTERACTIVE },
	{ "moderate", CRYPT_KDF_MODERATE },
	{ "sensitive", CRYPT_KDF_SENSITIVE },
};

int
crypt_kdf_level_from_name(const char *name, enum crypt_kdf_level *level)
{
	size_t i;

	for (i = 0; i < sizeof kdf_names / sizeof kdf_names[0]; i++) {
		if (strcmp(kdf_names[i].name, name) == 0) {
			*level = kdf_names[i].level;
			return 0;
		}
	}
	return -1;
}

static unsigned
kdf_log2(size_t n)
{
	unsigned l = 0;

	while (((size_t)1 << (l + 1)) <= n)
		l++;
	return l;
}

void
crypt_kdf_new(struct crypt_kdf *k, enum crypt_kdf_level level)
{
	size_t ops, mem;

	switch (level) {
	case CRYPT_KDF_INTERACTIVE:
		ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	case CRYPT_KDF_SENSITIVE:
		ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
		mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
		break;
	default:
		ops = crypto_pwhash_OPSLIMIT_MODERATE;
		mem = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	}
	k->opslimit = (unsigned)ops;
	k->memlog = kdf_log2(mem);
	randombytes_buf(k->header, KDF_RANDOM);
	k->header[12] = KDF_MAGIC;
	k->header[13] = KDF_VERSION;
	k->header[14] = (unsigned char)k->opslimit;
	k->header[15] = (unsigned char)k->memlog;
}

int
crypt_kdf_parse(struct crypt_kdf *k,
    const unsigned char header[CRYPT_KDF_HEADER_BYTES], char **cause)
{
	if (header[12] != KDF_MAGIC) {
		*cause = xstrdup(_("not an anfang database"));
		return -1;
	}
	if (header[13] != KDF_VERSION) {
		*cause =
		    xasprintf(_("database key format %u is newer than this "
		                "program understands"),
		        header[13]);
		return -1;
	}
	/* Bounds keep a forged header from asking for absurd work. */
	if (header[14] < crypto_pwhash_OPSLIMIT_MIN || header[14] > 16 ||
	    header[15] < 13 || header[15] > 32) {
		*cause = xstrdup(_("not an anfang database (bad key header)"));
		return -1;
	}
	memcpy(k->header, header, CRYPT_KDF_HEADER_BYTES);
	k->opslimit = header[14];
	k->memlog = header[15];
	return 0;
}

const char *
crypt_kdf_describe(const struct crypt_kdf *k)
{
	static char buf[64];

	if (k->memlog >= 20)
		snprintf(buf, sizeof buf, _("Argon2id, %u passes, %llu MiB"),
		    k->opslimit,
		    (unsigned long long)(((size_t)1 << k->memlog) >> 20));
	else
		snprintf(buf, sizeof buf, _("Argon2id, %u passes, %llu KiB"),
		    k->opslimit,
		    (unsigned long long)(((size_t)1 << k->memlog) >> 10));
	return buf;
}

struct crypt_mem *
crypt_kdf_derive(
    const struct crypt_kdf *k, const struct crypt_mem *pass, char **cause)
{
	struct crypt_mem *key = crypt_mem_new(CRYPT_KDF_KEY_BYTES);

	/* The whole header salts the hash, limits included. */
	if (crypto_pwhash(key->p, key->len, (const char *)pass->p, pass->len,
	        k->header, k->opslimit, (size_t)1 << k->memlog,
	        crypto_pwhash_ALG_ARGON2ID13) != 0) {
		crypt_mem_free(key);
		*cause = xstrdup(_("not enough memory to derive the key"));
		return NULL;
	}
	return key;
}
