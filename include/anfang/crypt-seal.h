/*
 * Sealing a batch to one supervisor: X25519 box key pairs, and a file
 * that only the holder of the recipient's secret key can open.  A random
 * file key is sealed to the recipient (crypto_box_seal); the contents are
 * encrypted with it by crypto_secretstream_xchacha20poly1305, whose final
 * tag must be seen, so a truncated file fails.
 *
 *	"ANFSEAL1" | recipient key id (8) | sealed file key (80) |
 *	secretstream header (24) | messages: u32le length | ciphertext
 *
 * The first 16 bytes are additional data of every message.  The plaintext
 * stream is a list of named parts: u32le name length | name | u64le data
 * length | data.
 */
#ifndef ANFANG_CRYPT_SEAL_H
#define ANFANG_CRYPT_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define CRYPT_SEAL_KEYID_BYTES  8
#define CRYPT_SEAL_PUBLIC_BYTES 32
#define CRYPT_SEAL_SECRET_BYTES 32

struct crypt_seal_key {
	unsigned char keyid[CRYPT_SEAL_KEYID_BYTES];
	unsigned char pk[CRYPT_SEAL_PUBLIC_BYTES];
	unsigned char *sk; /* sodium_malloc'd, or NULL for a public key */
};

struct crypt_seal_part {
	char *name;
	unsigned char *data;
	size_t len;
};

enum crypt_seal_result {
	CRYPT_SEAL_OK = 0,
	CRYPT_SEAL_EFORMAT,    /* not a sealed file */
	CRYPT_SEAL_ERECIPIENT, /* sealed for another key */
	CRYPT_SEAL_EDAMAGED,   /* cannot be opened: changed or corrupt */
	CRYPT_SEAL_ETRUNCATED, /* ends before its final message */
};

int crypt_seal_generate(struct crypt_seal_key *, char **cause);
int crypt_seal_from_secret(struct crypt_seal_key *,
    const unsigned char keyid[CRYPT_SEAL_KEYID_BYTES], const unsigned char *sk,
    size_t sklen, char **cause);
void crypt_seal_key_free(struct crypt_seal_key *);

/* "untrusted comment: anfang box public key KEYID" and base64 of
 * "Bx" | key id | public key. Caller frees. */
char *crypt_seal_public_file(const struct crypt_seal_key *);
int crypt_seal_public_parse(
    struct crypt_seal_key *, const char *text, size_t len, char **cause);
void crypt_seal_keyid_hex(
    char out[17], const unsigned char keyid[CRYPT_SEAL_KEYID_BYTES]);

/* Whether buf starts like a sealed file. */
int crypt_seal_is_sealed(const void *buf, size_t len);
/* The recipient key id a sealed file names; -1 if it is not one. */
int crypt_seal_recipient(
    const void *buf, size_t len, unsigned char keyid[CRYPT_SEAL_KEYID_BYTES]);
/*
 * A sealed file written as it is made, in the same format as crypt_seal
 * writes: its bytes go to out (which returns non-zero, with *cause, when
 * it cannot take them; the stream has then failed).  After new, each part
 * is its name and length, then exactly that many bytes in any number of
 * writes; end sends the final message and frees the stream (free alone
 * abandons it).  Each returns 0, or -1 with *cause.
 */
struct crypt_seal_stream;
struct crypt_seal_stream *crypt_seal_stream_new(
    const struct crypt_seal_key *recipient,
    int (*out)(void *, const void *, size_t, char **), void *arg, char **cause);
int crypt_seal_stream_part(
    struct crypt_seal_stream *, const char *name, uint64_t len, char **cause);
int crypt_seal_stream_write(
    struct crypt_seal_stream *, const void *, size_t, char **cause);
int crypt_seal_stream_end(struct crypt_seal_stream *, char **cause);
void crypt_seal_stream_free(struct crypt_seal_stream *);
/* Seal parts for recipient (public key). Caller frees *out. */
int crypt_seal(const struct crypt_seal_key *recipient,
    const struct crypt_seal_part *parts, size_t nparts, unsigned char **out,
    size_t *outlen, char **cause);
/* Open with my key pair (sk needed). Parts are the caller's to free. */
enum crypt_seal_result crypt_seal_open(const struct crypt_seal_key *me,
    const void *buf, size_t len, struct crypt_seal_part **parts,
    size_t *nparts);
void crypt_seal_parts_free(struct crypt_seal_part *, size_t);

#endif
