/*
 * Ed25519 keys and signatures in minisign's formats: public key files
 * ("Ed" + key id + key) and prehashed signatures ("ED": Ed25519 over the
 * BLAKE2b-512 of the file) with a signed trusted comment, so that the stock
 * minisign tool verifies what anfang signs.
 */
#ifndef ANFANG_CRYPT_SIGN_H
#define ANFANG_CRYPT_SIGN_H

#include <stddef.h>

#define CRYPT_SIGN_KEYID_BYTES   8
#define CRYPT_SIGN_PUBLIC_BYTES  32
#define CRYPT_SIGN_SECRET_BYTES  64
#define CRYPT_SIGN_PREHASH_BYTES 64

struct crypt_sign_key {
	unsigned char keyid[CRYPT_SIGN_KEYID_BYTES];
	unsigned char pk[CRYPT_SIGN_PUBLIC_BYTES];
	unsigned char *sk; /* sodium_malloc'd, or NULL for a public key */
};

/* Why a verification failed. */
enum crypt_sign_result {
	CRYPT_SIGN_OK = 0,
	CRYPT_SIGN_EFORMAT,  /* not a minisign signature, or unsupported */
	CRYPT_SIGN_EKEYID,   /* made by another key */
	CRYPT_SIGN_ESIG,     /* the file does not match the signature */
	CRYPT_SIGN_ETRUSTED, /* the trusted comment was changed */
};

/* A new key pair with a random key id. */
int crypt_sign_generate(struct crypt_sign_key *, char **cause);
/* Load a secret key (64 bytes) and its key id; the public key follows. */
int crypt_sign_from_secret(struct crypt_sign_key *,
    const unsigned char keyid[CRYPT_SIGN_KEYID_BYTES], const unsigned char *sk,
    size_t sklen, char **cause);
/* Wipe and free the secret part. */
void crypt_sign_key_free(struct crypt_sign_key *);

/* Key id as minisign prints it: 16 upper-case hex digits. */
void crypt_sign_keyid_hex(
    char out[17], const unsigned char keyid[CRYPT_SIGN_KEYID_BYTES]);
/* The public key file: comment line and base64 line. Caller frees. */
char *crypt_sign_public_file(const struct crypt_sign_key *);
/* The base64 line alone (what `minisign -P` takes). Caller frees. */
char *crypt_sign_public_base64(const struct crypt_sign_key *);
/*
 * Parse a public key: the file text (comment line optional) or the bare
 * base64 line.  -1 with *cause when it is not a minisign Ed25519 key.
 */
int crypt_sign_public_parse(
    struct crypt_sign_key *, const char *text, size_t len, char **cause);

/* Streaming BLAKE2b-512 of a file, for signing and verifying big files. */
struct crypt_sign_prehash;
struct crypt_sign_prehash *crypt_sign_prehash_new(void);
void crypt_sign_prehash_update(
    struct crypt_sign_prehash *, const void *, size_t);
/* Write the hash and free the state. */
void crypt_sign_prehash_final(
    struct crypt_sign_prehash *, unsigned char out[CRYPT_SIGN_PREHASH_BYTES]);

/*
 * The .minisig text for a file whose prehash is given.  Caller frees.
 * Comments must be one line each (no "\n" or "\r") and short enough for
 * minisign to read back: at most 1003 bytes untrusted, 8173 trusted.  NULL
 * is an empty comment.  Returns NULL, and makes no file, when a comment
 * breaks these rules or the key has no secret part.
 */
char *crypt_sign_minisig(const struct crypt_sign_key *,
    const unsigned char prehash[CRYPT_SIGN_PREHASH_BYTES],
    const char *untrusted_comment, const char *trusted_comment);
/* The same over a whole buffer. Caller frees; NULL as above. */
char *crypt_sign_minisig_buffer(const struct crypt_sign_key *, const void *,
    size_t, const char *untrusted_comment, const char *trusted_comment);
/*
 * Check a .minisig text against a public key and a file's prehash.  On
 * success *trusted (if not NULL) is the trusted comment, caller frees; it
 * holds no NUL, CR or LF.
 */
enum crypt_sign_result crypt_sign_verify(const struct crypt_sign_key *pub,
    const unsigned char prehash[CRYPT_SIGN_PREHASH_BYTES], const char *sig,
    size_t siglen, char **trusted);
/*
 * Read the key id a .minisig text names, without verifying; -1 when
 * crypt_sign_verify would find it malformed (CRYPT_SIGN_EFORMAT).
 */
int crypt_sign_minisig_keyid(const char *sig, size_t siglen,
    unsigned char keyid[CRYPT_SIGN_KEYID_BYTES]);

#endif
