/*
 * Arbitrary bytes as a .minisig (crypt_sign_verify, crypt_sign_minisig_keyid)
 * and as a public key (crypt_sign_public_parse).
 *
 * The key is fixed, not random, so that the seed corpus (signatures of
 * fuzz_data made with it) reaches the signature checks and the accepting
 * path.  Besides memory errors, three properties are checked:
 *  - crypt_sign_minisig_keyid fails exactly when verify says EFORMAT;
 *  - a .minisig that verifies is, but for its untrusted comment text, byte
 *    for byte what crypt_sign_minisig makes (Ed25519 is deterministic), so
 *    no second spelling of a signature is accepted;
 *  - a public key that parses re-encodes to the base64 it came from.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/crypt-sign.h"
#include "anfang/crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Seed and public key of BLAKE2b-256("anfang fuzz-minisig key"). */
static const unsigned char fuzz_sk[CRYPT_SIGN_SECRET_BYTES] = { 0x6e, 0x1b,
	0xda, 0x7b, 0xe8, 0xfa, 0x53, 0x64, 0x0f, 0x99, 0xa1, 0xbe, 0xd5, 0x67,
	0x4c, 0xff, 0xf2, 0x85, 0x77, 0xb1, 0xb8, 0x65, 0xe1, 0x1e, 0xda, 0x01,
	0x20, 0x00, 0x28, 0x14, 0x11, 0x4a, 0xff, 0xdd, 0x5e, 0xc1, 0x50, 0x78,
	0x25, 0x18, 0xa5, 0x4b, 0xa3, 0x1a, 0xc5, 0xb7, 0x74, 0x49, 0xd4, 0x51,
	0xdf, 0xfa, 0xf1, 0x74, 0x1f, 0x09, 0xe8, 0xc8, 0xac, 0xd7, 0x9a, 0x2f,
	0x21, 0xfc };
static const unsigned char fuzz_keyid[CRYPT_SIGN_KEYID_BYTES] = { 'a', 'n', 'f',
	'a', 'n', 'g', 'f', 'z' };
static const char fuzz_data[] = "{\"format\":\"anfang-batch\",\"seq\":1}\n";

static struct crypt_sign_key fuzz_key;
static unsigned char fuzz_prehash[CRYPT_SIGN_PREHASH_BYTES];

static void
fuzz_setup(void)
{
	static int ready;
	struct crypt_sign_prehash *ph;
	char *cause = NULL;

	if (ready)
		return;
	if (crypt_init(&cause) != 0 ||
	    crypt_sign_from_secret(
	        &fuzz_key, fuzz_keyid, fuzz_sk, sizeof fuzz_sk, &cause) != 0) {
		fprintf(stderr, "fuzz-minisig: %s\n", cause);
		abort();
	}
	ph = crypt_sign_prehash_new();
	crypt_sign_prehash_update(ph, fuzz_data, sizeof fuzz_data - 1);
	crypt_sign_prehash_final(ph, fuzz_prehash);
	ready = 1;
}

/* Signed anew with the untrusted comment taken from the input. */
static void
fuzz_resign(const char *sig, size_t len, const char *trusted)
{
	const char *nl = memchr(sig, '\n', len);
	size_t ulen;
	char *untrusted, *again;

	/* verify checked the "untrusted comment: " prefix and the newline. */
	if (nl == NULL || (size_t)(nl - sig) < 19)
		abort();
	ulen = (size_t)(nl - sig) - 19;
	if (memchr(sig + 19, '\0', ulen) != NULL ||
	    memchr(sig + 19, '\r', ulen) != NULL || ulen > 1003)
		return; /* not a comment we would write */
	if ((untrusted = malloc(ulen + 1)) == NULL)
		abort();
	memcpy(untrusted, sig + 19, ulen);
	untrusted[ulen] = '\0';
	again = crypt_sign_minisig(&fuzz_key, fuzz_prehash, untrusted, trusted);
	if (again == NULL || strlen(again) != len ||
	    memcmp(again, sig, len) != 0) {
		fprintf(stderr, "fuzz-minisig: accepted a signature that is "
		                "not the one we make\n");
		abort();
	}
	free(again);
	free(untrusted);
}

static void
fuzz_minisig(const char *sig, size_t len)
{
	unsigned char keyid[CRYPT_SIGN_KEYID_BYTES];
	enum crypt_sign_result r;
	char *trusted = NULL;
	int k;

	r = crypt_sign_verify(&fuzz_key, fuzz_prehash, sig, len, &trusted);
	k = crypt_sign_minisig_keyid(sig, len, keyid);
	if ((k != 0) != (r == CRYPT_SIGN_EFORMAT))
		abort();
	if (k == 0 && r != CRYPT_SIGN_EKEYID &&
	    memcmp(keyid, fuzz_key.keyid, sizeof keyid) != 0)
		abort();
	if (r != CRYPT_SIGN_OK) {
		if (trusted != NULL)
			abort();
		return;
	}
	if (trusted == NULL)
		abort();
	fuzz_resign(sig, len, trusted);
	free(trusted);
}

static void
fuzz_public(const char *text, size_t len)
{
	struct crypt_sign_key pub;
	char *cause = NULL, *b64;
	size_t blen, end = len;

	if (crypt_sign_public_parse(&pub, text, len, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return;
	}
	if (pub.sk != NULL)
		abort();
	/* The last line, without its "\n" or "\r\n", is the key's base64. */
	b64 = crypt_sign_public_base64(&pub);
	blen = strlen(b64);
	if (end > 0 && text[end - 1] == '\n')
		end--;
	if (end > 0 && text[end - 1] == '\r')
		end--;
	if (end < blen || memcmp(text + end - blen, b64, blen) != 0 ||
	    (end > blen && text[end - blen - 1] != '\n'))
		abort();
	free(b64);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy;

	fuzz_setup();
	/* An exactly sized copy, so reading past size is caught. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(copy, data, size);
	fuzz_minisig(copy, size);
	fuzz_public(copy, size);
	free(copy);
	return 0;
}
