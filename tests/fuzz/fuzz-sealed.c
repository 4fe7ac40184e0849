/*
 * Arbitrary bytes as a sealed file (crypt_seal_open, crypt_seal_recipient,
 * crypt_seal_is_sealed) and as a box public key (crypt_seal_public_parse).
 *
 * The key pair is fixed, not random, so that the seed corpus (files sealed
 * to it, whole and cut short) reaches the stream and the part framing.
 * Besides memory errors, these properties are checked:
 *  - crypt_seal_recipient fails exactly when open says EFORMAT, and open
 *    says ERECIPIENT exactly when the key id is another;
 *  - a failed open hands back no parts;
 *  - the parts of a file that opens are well formed (names NUL-terminated
 *    and at most 4096 bytes, data present, their framing no longer than
 *    the input), and sealing them again makes a file of exactly the
 *    input's size (each plaintext has one encoding) that opens to the
 *    same parts;
 *  - a public key that parses re-encodes to the base64 it came from.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/crypt-seal.h"
#include "anfang/crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* BLAKE2b-256("anfang fuzz-sealed key"). */
static const unsigned char fuzz_sk[CRYPT_SEAL_SECRET_BYTES] = { 0x01, 0x98,
	0xf1, 0xb3, 0x05, 0x22, 0x43, 0x29, 0xa4, 0xd4, 0x08, 0x04, 0xf8, 0xf1,
	0x69, 0x86, 0x52, 0x94, 0xba, 0xa6, 0x00, 0xc1, 0x25, 0x93, 0x68, 0xb6,
	0xf4, 0xd5, 0xfa, 0x5c, 0x7f, 0xb7 };
static const unsigned char fuzz_keyid[CRYPT_SEAL_KEYID_BYTES] = { 'a', 'n', 'f',
	's', 'e', 'a', 'l', 'z' };

static struct crypt_seal_key fuzz_key;

static void
fuzz_setup(void)
{
	static int ready;
	char *cause = NULL;

	if (ready)
		return;
	if (crypt_init(&cause) != 0 ||
	    crypt_seal_from_secret(
	        &fuzz_key, fuzz_keyid, fuzz_sk, sizeof fuzz_sk, &cause) != 0) {
		fprintf(stderr, "fuzz-sealed: %s\n", cause);
		abort();
	}
	ready = 1;
}

static void
fuzz_fail(const char *why)
{
	fprintf(stderr, "fuzz-sealed: %s\n", why);
	abort();
}

/* Sealed again, the parts make a file of len bytes that opens to them. */
static void
fuzz_reseal(const struct crypt_seal_part *parts, size_t nparts, size_t len)
{
	struct crypt_seal_part *again;
	unsigned char *out;
	size_t outlen, nagain, i;
	char *cause = NULL;

	if (crypt_seal(&fuzz_key, parts, nparts, &out, &outlen, &cause) != 0)
		fuzz_fail(cause);
	if (outlen != len)
		fuzz_fail("opened a file that is not sealed as we seal");
	if (crypt_seal_open(&fuzz_key, out, outlen, &again, &nagain) !=
	        CRYPT_SEAL_OK ||
	    nagain != nparts)
		fuzz_fail("what we sealed again does not open");
	for (i = 0; i < nparts; i++) {
		if (strcmp(again[i].name, parts[i].name) != 0 ||
		    again[i].len != parts[i].len ||
		    memcmp(again[i].data, parts[i].data, parts[i].len) != 0)
			fuzz_fail("what we sealed again opens to other parts");
	}
	crypt_seal_parts_free(again, nagain);
	free(out);
}

static void
fuzz_open(const unsigned char *buf, size_t len)
{
	unsigned char keyid[CRYPT_SEAL_KEYID_BYTES];
	struct crypt_seal_part *parts = NULL;
	enum crypt_seal_result r;
	size_t nparts = 0, i, sum = 0, namelen;
	int k;

	r = crypt_seal_open(&fuzz_key, buf, len, &parts, &nparts);
	k = crypt_seal_recipient(buf, len, keyid);
	if ((k != 0) != (r == CRYPT_SEAL_EFORMAT))
		fuzz_fail("recipient and open disagree on the format");
	if (!crypt_seal_is_sealed(buf, len) && k == 0)
		fuzz_fail("a recipient named by what is not sealed");
	if (k == 0 && (memcmp(keyid, fuzz_keyid, sizeof keyid) != 0) !=
	                  (r == CRYPT_SEAL_ERECIPIENT))
		fuzz_fail("ERECIPIENT but for another key id");
	if (r != CRYPT_SEAL_OK) {
		if (parts != NULL || nparts != 0)
			fuzz_fail("parts from a file that did not open");
		return;
	}
	if (nparts > 0 && parts == NULL)
		fuzz_fail("no parts array");
	for (i = 0; i < nparts; i++) {
		if (parts[i].name == NULL || parts[i].data == NULL)
			fuzz_fail("a part without name or data");
		namelen = strlen(parts[i].name);
		if (namelen > 4096)
			fuzz_fail("a part name longer than 4096 bytes");
		sum += 12 + namelen + parts[i].len;
		if (sum > len)
			fuzz_fail("parts longer than the file");
	}
	fuzz_reseal(parts, nparts, len);
	crypt_seal_parts_free(parts, nparts);
}

static void
fuzz_public(const char *text, size_t len)
{
	struct crypt_seal_key pub;
	char *cause = NULL, *file, *b64;
	size_t blen, end = len;

	if (crypt_seal_public_parse(&pub, text, len, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return;
	}
	if (pub.sk != NULL)
		abort();
	/* The last line, without its "\n" or "\r\n", is the key's base64. */
	file = crypt_seal_public_file(&pub);
	if ((b64 = strchr(file, '\n')) == NULL)
		abort();
	b64++;
	blen = strcspn(b64, "\n");
	if (end > 0 && text[end - 1] == '\n')
		end--;
	if (end > 0 && text[end - 1] == '\r')
		end--;
	if (end < blen || memcmp(text + end - blen, b64, blen) != 0 ||
	    (end > blen && text[end - blen - 1] != '\n'))
		fuzz_fail("a public key that is not what it encodes to");
	free(file);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy;

	fuzz_setup();
	/* An exactly sized copy, so reading past size is caught. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(copy, data, size);
	fuzz_open(copy, size);
	fuzz_public((const char *)copy, size);
	free(copy);
	return 0;
}
