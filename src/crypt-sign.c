/*
 * Ed25519 keys and signatures in minisign's formats
 * (https://jedisct1.github.io/minisign/).
 *
 * A public key is the base64 of "Ed" || key id (8) || public key (32), under
 * an untrusted comment line.  A .minisig file is four lines:
 *
 *	untrusted comment: <text, not signed>
 *	base64("ED" || key id || Ed25519(BLAKE2b-512(file)))
 *	trusted comment: <text>
 *	base64(Ed25519(signature (64) || trusted comment text))
 *
 * The secret key lives only in sodium_malloc'd memory, which is locked and
 * guarded, and is wiped when it is freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "anfang/crypt-sign.h"
#include "anfang/crypt-text.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

#define SIGN_ALG        "Ed" /* public keys; legacy whole-file signatures */
#define SIGN_ALG_HASHED "ED" /* signatures over BLAKE2b-512 of the file */
#define SIGN_ALG_BYTES  2

#define SIGN_UNTRUSTED     "untrusted comment: "
#define SIGN_UNTRUSTED_LEN (sizeof SIGN_UNTRUSTED - 1)
#define SIGN_TRUSTED       "trusted comment: "
#define SIGN_TRUSTED_LEN   (sizeof SIGN_TRUSTED - 1)
/* A public key file's comment line, as parsed: no space needed after ':'. */
#define SIGN_PK_COMMENT     "untrusted comment:"
#define SIGN_PK_COMMENT_LEN (sizeof SIGN_PK_COMMENT - 1)

/*
 * The longest comments minisign reads back: it reads the lines with fgets
 * into COMMENTMAXBYTES (1024) and TRUSTEDCOMMENTMAXBYTES (8192) buffers, so
 * prefix, text and newline must fit in 1023 and 8191 bytes.  minisign's own
 * signer refuses longer trusted comments.
 */
#define SIGN_UNTRUSTED_MAX (1023 - SIGN_UNTRUSTED_LEN - 1)
#define SIGN_TRUSTED_MAX   (8191 - SIGN_TRUSTED_LEN - 1)

#define SIGN_ED_BYTES crypto_sign_BYTES
/* The decoded public key line and signature line. */
#define SIGN_PK_BYTES                                                          \
	(SIGN_ALG_BYTES + CRYPT_SIGN_KEYID_BYTES + CRYPT_SIGN_PUBLIC_BYTES)
#define SIGN_SIG_BYTES (SIGN_ALG_BYTES + CRYPT_SIGN_KEYID_BYTES + SIGN_ED_BYTES)

_Static_assert(
    CRYPT_SIGN_PUBLIC_BYTES == crypto_sign_PUBLICKEYBYTES, "public key size");
_Static_assert(
    CRYPT_SIGN_SECRET_BYTES == crypto_sign_SECRETKEYBYTES, "secret key size");
_Static_assert(
    CRYPT_SIGN_PREHASH_BYTES == crypto_generichash_BYTES_MAX, "prehash size");

struct crypt_sign_prehash {
	crypto_generichash_state state;
};

/* A .minisig text taken apart; the pointers are into the text. */
struct sign_parsed {
	unsigned char sig[SIGN_SIG_BYTES]; /* alg || key id || signature */
	unsigned char global[SIGN_ED_BYTES];
	const char *trusted;
	size_t trustedlen;
};

/* The base64 (standard alphabet, padded) of len bytes. Caller frees. */
/*
 * Decode base64 that must hold exactly outlen bytes.  libsodium accepts
 * only the canonical encoding (exact padding, zero spare bits) when no
 * characters are ignored, so any changed character is an error or a
 * changed byte; but libsodium 1.0.18 reads every byte from 0x80 up as
 * '/', so the alphabet is checked here first.
 */
/* Whether a comment given for signing fits on its line. */
static int
sign_comment_ok(const char *comment, size_t max)
{
	return strlen(comment) <= max && strpbrk(comment, "\r\n") == NULL;
}

int
crypt_sign_generate(struct crypt_sign_key *key, char **cause)
{
	memset(key, 0, sizeof *key);
	if ((key->sk = sodium_malloc(CRYPT_SIGN_SECRET_BYTES)) == NULL) {
		*cause =
		    xstrdup(_("cannot allocate secure memory for the key"));
		return -1;
	}
	randombytes_buf(key->keyid, sizeof key->keyid);
	crypto_sign_keypair(key->pk, key->sk);
	return 0;
}

/*
 * The secret key is seed || public key.  Rebuild it from the seed and
 * compare, so a damaged key is refused rather than making signatures that
 * never verify.
 */
int
crypt_sign_from_secret(struct crypt_sign_key *key,
    const unsigned char keyid[CRYPT_SIGN_KEYID_BYTES], const unsigned char *sk,
    size_t sklen, char **cause)
{
	unsigned char seed[crypto_sign_SEEDBYTES];

	memset(key, 0, sizeof *key);
	if (sklen != CRYPT_SIGN_SECRET_BYTES) {
		*cause = xasprintf(_("secret key is %zu bytes, not %d"), sklen,
		    CRYPT_SIGN_SECRET_BYTES);
		return -1;
	}
	if ((key->sk = sodium_malloc(CRYPT_SIGN_SECRET_BYTES)) == NULL) {
		*cause =
		    xstrdup(_("cannot allocate secure memory for the key"));
		return -1;
	}
	crypto_sign_ed25519_sk_to_seed(seed, sk);
	crypto_sign_seed_keypair(key->pk, key->sk, seed);
	sodium_memzero(seed, sizeof seed);
	if (sodium_memcmp(key->sk, sk, CRYPT_SIGN_SECRET_BYTES) != 0) {
		crypt_sign_key_free(key);
		memset(key, 0, sizeof *key);
		*cause =
		    xstrdup(_("secret key does not match its public half"));
		return -1;
	}
	memcpy(key->keyid, keyid, sizeof key->keyid);
	return 0;
}

void
crypt_sign_key_free(struct crypt_sign_key *key)
{
	if (key == NULL || key->sk == NULL)
		return;
	/* sodium_free wipes too; say so here as well. */
	sodium_memzero(key->sk, CRYPT_SIGN_SECRET_BYTES);
	sodium_free(key->sk);
	key->sk = NULL;
}

/* minisign prints the key id as a little-endian 64-bit number. */
void
crypt_sign_keyid_hex(
    char out[17], const unsigned char keyid[CRYPT_SIGN_KEYID_BYTES])
{
	crypt_text_keyid(out, keyid);
}

char *
crypt_sign_public_base64(const struct crypt_sign_key *key)
{
	unsigned char raw[SIGN_PK_BYTES];

	memcpy(raw, SIGN_ALG, SIGN_ALG_BYTES);
	memcpy(raw + SIGN_ALG_BYTES, key->keyid, CRYPT_SIGN_KEYID_BYTES);
	memcpy(raw + SIGN_ALG_BYTES + CRYPT_SIGN_KEYID_BYTES, key->pk,
	    CRYPT_SIGN_PUBLIC_BYTES);
	return crypt_text_b64(raw, sizeof raw);
}

char *
crypt_sign_public_file(const struct crypt_sign_key *key)
{
	char hex[17], *b64, *text;

	crypt_sign_keyid_hex(hex, key->keyid);
	b64 = crypt_sign_public_base64(key);
	text =
	    xasprintf(SIGN_UNTRUSTED "minisign public key %s\n%s\n", hex, b64);
	free(b64);
	return text;
}

/*
 * Either "comment\nbase64" or "base64", each line ending in "\n" or "\r\n"
 * or (the last) in nothing.
 */
int
crypt_sign_public_parse(
    struct crypt_sign_key *key, const char *text, size_t len, char **cause)
{
	unsigned char raw[SIGN_PK_BYTES];
	const char *b64;
	size_t b64len;

	memset(key, 0, sizeof *key);
	if (crypt_text_keyline(
	        text, len, SIGN_PK_COMMENT, &b64, &b64len, cause) != 0)
		return -1;
	if (crypt_text_unb64(raw, sizeof raw, b64, b64len) != 0) {
		*cause = xstrdup(_("not a minisign public key"));
		return -1;
	}
	if (memcmp(raw, SIGN_ALG, SIGN_ALG_BYTES) != 0) {
		*cause = xstrdup(_("not an Ed25519 minisign public key"));
		return -1;
	}
	memcpy(key->keyid, raw + SIGN_ALG_BYTES, CRYPT_SIGN_KEYID_BYTES);
	memcpy(key->pk, raw + SIGN_ALG_BYTES + CRYPT_SIGN_KEYID_BYTES,
	    CRYPT_SIGN_PUBLIC_BYTES);
	return 0;
}

/*
 * crypto_generichash_state must be 64-byte aligned, more than malloc
 * promises; sizeof is a multiple of the alignment, as aligned_alloc needs.
 */
struct crypt_sign_prehash *
crypt_sign_prehash_new(void)
{
	struct crypt_sign_prehash *ph;

	ph = aligned_alloc(_Alignof(struct crypt_sign_prehash), sizeof *ph);
	if (ph == NULL) {
		fputs("anfang: out of memory\n", stderr);
		abort();
	}
	crypto_generichash_init(&ph->state, NULL, 0, CRYPT_SIGN_PREHASH_BYTES);
	return ph;
}

void
crypt_sign_prehash_update(
    struct crypt_sign_prehash *ph, const void *buf, size_t len)
{
	if (len > 0)
		crypto_generichash_update(&ph->state, buf, len);
}

/* Write the hash and free ph. */
void
crypt_sign_prehash_final(
    struct crypt_sign_prehash *ph, unsigned char out[CRYPT_SIGN_PREHASH_BYTES])
{
	crypto_generichash_final(&ph->state, out, CRYPT_SIGN_PREHASH_BYTES);
	sodium_memzero(ph, sizeof *ph);
	free(ph);
}

char *
crypt_sign_minisig(const struct crypt_sign_key *key,
    const unsigned char prehash[CRYPT_SIGN_PREHASH_BYTES],
    const char *untrusted_comment, const char *trusted_comment)
{
	unsigned char sig[SIGN_SIG_BYTES], global[SIGN_ED_BYTES];
	unsigned char *signed_part,
	    *ed = sig + SIGN_ALG_BYTES + CRYPT_SIGN_KEYID_BYTES;
	size_t tlen;
	char *sig64, *global64, *text;

	if (untrusted_comment == NULL)
		untrusted_comment = "";
	if (trusted_comment == NULL)
		trusted_comment = "";
	if (key->sk == NULL ||
	    !sign_comment_ok(untrusted_comment, SIGN_UNTRUSTED_MAX) ||
	    !sign_comment_ok(trusted_comment, SIGN_TRUSTED_MAX))
		return NULL;

	memcpy(sig, SIGN_ALG_HASHED, SIGN_ALG_BYTES);
	memcpy(sig + SIGN_ALG_BYTES, key->keyid, CRYPT_SIGN_KEYID_BYTES);
	crypto_sign_detached(
	    ed, NULL, prehash, CRYPT_SIGN_PREHASH_BYTES, key->sk);

	tlen = strlen(trusted_comment);
	signed_part = xmalloc(SIGN_ED_BYTES + tlen);
	memcpy(signed_part, ed, SIGN_ED_BYTES);
	memcpy(signed_part + SIGN_ED_BYTES, trusted_comment, tlen);
	crypto_sign_detached(
	    global, NULL, signed_part, SIGN_ED_BYTES + tlen, key->sk);
	free(signed_part);

	sig64 = crypt_text_b64(sig, sizeof sig);
	global64 = crypt_text_b64(global, sizeof global);
	text = xasprintf(SIGN_UNTRUSTED "%s\n%s\n" SIGN_TRUSTED "%s\n%s\n",
	    untrusted_comment, sig64, trusted_comment, global64);
	free(sig64);
	free(global64);
	return text;
}

char *
crypt_sign_minisig_buffer(const struct crypt_sign_key *key, const void *buf,
    size_t len, const char *untrusted_comment, const char *trusted_comment)
{
	unsigned char prehash[CRYPT_SIGN_PREHASH_BYTES];

	crypto_generichash(prehash, sizeof prehash, buf, len, NULL, 0);
	return crypt_sign_minisig(
	    key, prehash, untrusted_comment, trusted_comment);
}

/*
 * Take a .minisig apart, strictly: exactly four lines, each ending in "\n"
 * (no "\r"), the two prefixes, base64 of exactly the right sizes, and the
 * prehashed algorithm.  minisign's legacy "Ed" signatures (Ed25519 over the
 * whole file rather than its hash) are refused: anfang never makes them
 * and has no use for a second way to accept a file.
 */
static int
sign_parse(const char *text, size_t len, struct sign_parsed *p)
{
	const char *line[4], *at = text, *end, *nl;
	size_t linelen[4], i;

	if (text == NULL)
		return -1;
	end = text + len;
	for (i = 0; i < 4; i++) {
		if ((nl = memchr(at, '\n', (size_t)(end - at))) == NULL)
			return -1;
		line[i] = at;
		linelen[i] = (size_t)(nl - at);
		at = nl + 1;
	}
	if (at != end)
		return -1;

	/* Line 1: the untrusted comment, anything but its prefix unchecked. */
	if (linelen[0] < SIGN_UNTRUSTED_LEN ||
	    memcmp(line[0], SIGN_UNTRUSTED, SIGN_UNTRUSTED_LEN) != 0)
		return -1;

	if (crypt_text_unb64(p->sig, sizeof p->sig, line[1], linelen[1]) != 0)
		return -1;
	if (memcmp(p->sig, SIGN_ALG_HASHED, SIGN_ALG_BYTES) != 0)
		return -1;

	/*
	 * The trusted comment goes back to the caller as a C string and
	 * minisign reads it with fgets and trims line ends, so NUL and CR
	 * would make it mean something else to one of them.
	 */
	if (linelen[2] < SIGN_TRUSTED_LEN ||
	    memcmp(line[2], SIGN_TRUSTED, SIGN_TRUSTED_LEN) != 0)
		return -1;
	p->trusted = line[2] + SIGN_TRUSTED_LEN;
	p->trustedlen = linelen[2] - SIGN_TRUSTED_LEN;
	if (p->trustedlen > SIGN_TRUSTED_MAX ||
	    memchr(p->trusted, '\0', p->trustedlen) != NULL ||
	    memchr(p->trusted, '\r', p->trustedlen) != NULL)
		return -1;

	if (crypt_text_unb64(
	        p->global, sizeof p->global, line[3], linelen[3]) != 0)
		return -1;
	return 0;
}

enum crypt_sign_result
crypt_sign_verify(const struct crypt_sign_key *pub,
    const unsigned char prehash[CRYPT_SIGN_PREHASH_BYTES], const char *sig,
    size_t siglen, char **trusted)
{
	struct sign_parsed p;
	unsigned char *ed = p.sig + SIGN_ALG_BYTES + CRYPT_SIGN_KEYID_BYTES;
	unsigned char *signed_part;
	int bad;

	if (sign_parse(sig, siglen, &p) != 0)
		return CRYPT_SIGN_EFORMAT;
	if (memcmp(p.sig + SIGN_ALG_BYTES, pub->keyid,
	        CRYPT_SIGN_KEYID_BYTES) != 0)
		return CRYPT_SIGN_EKEYID;
	if (crypto_sign_verify_detached(
	        ed, prehash, CRYPT_SIGN_PREHASH_BYTES, pub->pk) != 0)
		return CRYPT_SIGN_ESIG;

	signed_part = xmalloc(SIGN_ED_BYTES + p.trustedlen);
	memcpy(signed_part, ed, SIGN_ED_BYTES);
	memcpy(signed_part + SIGN_ED_BYTES, p.trusted, p.trustedlen);
	bad = crypto_sign_verify_detached(
	    p.global, signed_part, SIGN_ED_BYTES + p.trustedlen, pub->pk);
	free(signed_part);
	if (bad != 0)
		return CRYPT_SIGN_ETRUSTED;

	if (trusted != NULL)
		*trusted = xstrndup(p.trusted, p.trustedlen);
	return CRYPT_SIGN_OK;
}

/* The same checks as crypt_sign_verify makes of the format. */
int
crypt_sign_minisig_keyid(
    const char *sig, size_t siglen, unsigned char keyid[CRYPT_SIGN_KEYID_BYTES])
{
	struct sign_parsed p;

	if (sign_parse(sig, siglen, &p) != 0)
		return -1;
	memcpy(keyid, p.sig + SIGN_ALG_BYTES, CRYPT_SIGN_KEYID_BYTES);
	return 0;
}
