/*
 * Arbitrary bytes as a batch: batch_verify against a fixed Ed25519 key,
 * the way `anfang verify --key` reads one, from files (written under a
 * private directory, made once, in /dev/shm when it can be written, else
 * in /tmp: ext4 writes a rewritten file out when it is closed, which
 * halves the speed).  The input is one of:
 *
 *  - "ANFSEAL1...": a sealed file.  batch_verify without a store must
 *    refuse it as sealed; then crypt_seal_open with a fixed box key opens
 *    it, and its .jsonl and .minisig parts (chosen by name, as batch.c
 *    chooses them) are verified as below.
 *  - JSONL "\n----\n" MINISIG: the batch and its signature as given
 *    (JSONL keeps its last "\n").
 *  - anything else: the batch alone, signed here with the fixed key and
 *    the trusted comment its header asks for, so that mutations reach the
 *    header, form and visit checks behind the signature.
 *
 * A batch that verifies against the key is then verified again the way
 * `anfang import` does, against the keyring of a database made once (its
 * only key the fixed one, nothing received), and imported into it inside
 * a transaction that is rolled back, so the database stays empty.
 *
 * The keys are fixed, not random, so that the seed corpus (batches of a
 * real database, re-signed and sealed for them, sequence 1) reaches the
 * accepting path.  Besides memory errors, these properties are checked:
 *  - a batch comes back exactly when the verdict is "verified", a refusal
 *    has a message and a verified batch none, and a verified batch names
 *    the fixed key and at most as many visits as it has lines;
 *  - a batch signed here is never refused for its signature or signer;
 *  - a verified batch with any one byte changed (here: the middle one),
 *    its signature kept, is refused for its signature;
 *  - what verifies with the key verifies with the keyring too, unless its
 *    sequence is not 1 (then: refused for the sequence);
 *  - a failed import imports nothing and says why; after a successful
 *    one the same batch is refused as a duplicate.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "anfang/batch.h"
#include "anfang/crypt-mem.h"
#include "anfang/crypt-seal.h"
#include "anfang/crypt-sign.h"
#include "anfang/crypt.h"
#include "anfang/store-batch.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Seed BLAKE2b-256("anfang fuzz-batch key") and its public key. */
static const unsigned char fuzz_sign_sk[CRYPT_SIGN_SECRET_BYTES] = { 0xe2, 0xea,
	0x46, 0x5a, 0xad, 0x72, 0xa8, 0x12, 0x93, 0x48, 0x47, 0x98, 0x86, 0x1c,
	0x62, 0x0a, 0x23, 0xce, 0xeb, 0x7a, 0x4a, 0xe3, 0x5d, 0x41, 0x45, 0xe2,
	0x7a, 0x86, 0xfd, 0xd7, 0x7f, 0xde, 0x85, 0x2c, 0x24, 0x48, 0xc1, 0x90,
	0xff, 0x18, 0x85, 0x7f, 0xd0, 0x64, 0xb0, 0xe9, 0x6b, 0x3f, 0x6c, 0xb7,
	0x23, 0xf8, 0xe1, 0xfb, 0x0f, 0x9f, 0x86, 0x62, 0xe3, 0xc1, 0x53, 0x85,
	0xa5, 0x26 };
static const unsigned char fuzz_sign_keyid[CRYPT_SIGN_KEYID_BYTES] = { 'a', 'n',
	'f', 'b', 'a', 't', 'c', 'h' };
/* BLAKE2b-256("anfang fuzz-batch box key"). */
static const unsigned char fuzz_box_sk[CRYPT_SEAL_SECRET_BYTES] = { 0xba, 0xc7,
	0x26, 0x4b, 0x5b, 0xdf, 0xe9, 0x20, 0x34, 0x40, 0x3d, 0xc3, 0x3d, 0x1c,
	0x56, 0x84, 0xa9, 0x61, 0xb1, 0xac, 0xd8, 0xda, 0xd8, 0x94, 0x4d, 0x0b,
	0x97, 0xaf, 0x03, 0xe4, 0xec, 0x11 };
static const unsigned char fuzz_box_keyid[CRYPT_SEAL_KEYID_BYTES] = { 'a', 'n',
	'f', 'b', 'o', 'x', 'f', 'z' };

static const char fuzz_split[] = "\n----\n";
#define FUZZ_SPLIT_LEN (sizeof fuzz_split - 1)

static struct crypt_sign_key fuzz_sign;
static struct crypt_seal_key fuzz_box;
static char fuzz_signer[17];
static char *fuzz_dir;
static char *fuzz_jsonl, *fuzz_minisig, *fuzz_sealed, *fuzz_db;
static struct store *fuzz_store;

static void
fuzz_fail(const char *why)
{
	fprintf(stderr, "fuzz-batch: %s\n", why);
	abort();
}

static void
fuzz_cleanup(void)
{
	char *journal = xasprintf("%s-journal", fuzz_db);

	store_close(fuzz_store);
	unlink(fuzz_db);
	unlink(journal);
	free(journal);
	unlink(fuzz_jsonl);
	unlink(fuzz_minisig);
	unlink(fuzz_sealed);
	rmdir(fuzz_dir);
}

static void
fuzz_setup(void)
{
	static int ready;
	struct crypt_mem *pass;
	char *cause = NULL;

	if (ready)
		return;
	if (crypt_init(&cause) != 0 ||
	    crypt_sign_from_secret(&fuzz_sign, fuzz_sign_keyid, fuzz_sign_sk,
	        sizeof fuzz_sign_sk, &cause) != 0 ||
	    crypt_seal_from_secret(&fuzz_box, fuzz_box_keyid, fuzz_box_sk,
	        sizeof fuzz_box_sk, &cause) != 0)
		fuzz_fail(cause);
	crypt_sign_keyid_hex(fuzz_signer, fuzz_sign.keyid);
	fuzz_dir = xasprintf("%s/fuzz-batch.XXXXXX",
	    access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("cannot make a temporary directory");
	fuzz_jsonl = xasprintf("%s/b.jsonl", fuzz_dir);
	fuzz_minisig = xasprintf("%s/b.jsonl.minisig", fuzz_dir);
	fuzz_sealed = xasprintf("%s/b.sealed", fuzz_dir);
	fuzz_db = xasprintf("%s/fuzz.db", fuzz_dir);
	pass = crypt_mem_new(4);
	memcpy(pass->p, "fuzz", 4);
	if (store_create(fuzz_db, pass, CRYPT_KDF_INTERACTIVE, NULL, NULL,
	        &fuzz_store, &cause) != STORE_OK ||
	    store_keyring_add(
	        fuzz_store, fuzz_signer, "fuzz", fuzz_sign.pk, 0, &cause) != 0)
		fuzz_fail(cause);
	crypt_mem_free(pass);
	atexit(fuzz_cleanup);
	ready = 1;
}

static void
fuzz_write(const char *path, const void *data, size_t len)
{
	FILE *f;

	unlink(path); /* a new file, not one truncated and rewritten */
	if ((f = fopen(path, "wb")) == NULL ||
	    (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		fuzz_fail("cannot write a temporary file");
}

/* Where the first "\n----\n" starts, or -1. */
static long
fuzz_find_split(const unsigned char *data, size_t size)
{
	size_t i;

	for (i = 0; i + FUZZ_SPLIT_LEN <= size; i++) {
		if (data[i] == '\n' &&
		    memcmp(data + i, fuzz_split, FUZZ_SPLIT_LEN) == 0)
			return (long)i;
	}
	return -1;
}

/* Lines in text: "\n"-ended ones, and a last one without. */
static size_t
fuzz_lines(const unsigned char *text, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += text[i] == '\n';
	return n + (len > 0 && text[len - 1] != '\n');
}

/* The trusted comment the header (the first line) asks for, or NULL. */
static char *
fuzz_trusted(const unsigned char *text, size_t len)
{
	const unsigned char *nl = memchr(text, '\n', len);
	json_t *h, *id, *seq, *visits;
	char *out = NULL;

	h = json_loadb(
	    (const char *)text, nl ? (size_t)(nl - text) : len, 0, NULL);
	id = json_object_get(h, "batch");
	seq = json_object_get(h, "sequence");
	visits = json_object_get(h, "visits");
	if (json_is_string(id) && json_is_integer(seq) &&
	    json_is_integer(visits))
		out = xasprintf("anfang batch %s sequence %lld visits %lld",
		    json_string_value(id), (long long)json_integer_value(seq),
		    (long long)json_integer_value(visits));
	json_decref(h);
	return out;
}

/* b.jsonl, verified with the key, through the keyring and imported. */
static void
fuzz_import(void)
{
	struct batch_run run = { NULL, 0 };
	struct batch_verdict v;
	struct batch *b;
	char *cause = NULL;
	size_t imported = 99;

	b = batch_verify(fuzz_jsonl, fuzz_store, NULL, &run, &v);
	if (b == NULL && (v.fail != BATCH_ESEQUENCE || v.sequence == 1))
		fuzz_fail("verified with the key, not with the keyring");
	if (b == NULL) {
		batch_verdict_clear(&v);
		batch_run_clear(&run);
		return;
	}
	batch_verdict_clear(&v);
	if (store_begin(fuzz_store, &cause) != 0)
		fuzz_fail(cause);
	if (batch_import(b, fuzz_store, &imported, &cause) != 0) {
		if (imported != 0 || cause == NULL)
			fuzz_fail(
			    "a failed import that imported or said nothing");
		free(cause);
	} else {
		batch_free(b);
		batch_run_clear(&run);
		b = batch_verify(fuzz_jsonl, fuzz_store, NULL, &run, &v);
		if (b != NULL || v.fail != BATCH_EDUPLICATE)
			fuzz_fail(
			    "an imported batch not refused as a duplicate");
		batch_verdict_clear(&v);
	}
	store_rollback(fuzz_store);
	batch_free(b);
	batch_run_clear(&run);
}

/*
 * Verify text and sig (NULL: no .minisig) as b.jsonl; signed_here says
 * that the signature was made here, for text.
 */
static void
fuzz_verify(const unsigned char *text, size_t len, const char *sig,
    size_t siglen, int signed_here)
{
	struct batch_run run = { NULL, 0 };
	struct batch_verdict v;
	struct batch *b;
	unsigned char *changed;
	int verified;

	fuzz_write(fuzz_jsonl, text, len);
	if (sig != NULL)
		fuzz_write(fuzz_minisig, sig, siglen);
	else
		unlink(fuzz_minisig);
	b = batch_verify(fuzz_jsonl, NULL, &fuzz_sign, &run, &v);
	verified = b != NULL;
	if ((b != NULL) != (v.fail == BATCH_OK))
		fuzz_fail("a batch and its verdict disagree");
	if (v.fail != BATCH_OK && (v.message == NULL || *v.message == '\0'))
		fuzz_fail("a refusal without a message");
	if (signed_here &&
	    (v.fail == BATCH_ESIGNATURE || v.fail == BATCH_ESIGNER ||
	        v.fail == BATCH_EREAD || v.fail == BATCH_ESEALED))
		fuzz_fail(v.message);
	if (b != NULL) {
		if (v.message != NULL)
			fuzz_fail("a verified batch with a message");
		if (v.id == NULL || strcmp(v.signer, fuzz_signer) != 0)
			fuzz_fail("a verified batch without id or signer");
		if (v.visits < 0 || (size_t)v.visits > fuzz_lines(text, len))
			fuzz_fail("more visits than lines");
		batch_free(b);
	}
	batch_verdict_clear(&v);
	batch_run_clear(&run);
	if (!verified)
		return;
	fuzz_import();
	if (len == 0)
		return;
	changed = xmalloc(len);
	memcpy(changed, text, len);
	changed[len / 2] ^= 0x01;
	fuzz_write(fuzz_jsonl, changed, len);
	free(changed);
	b = batch_verify(fuzz_jsonl, NULL, &fuzz_sign, &run, &v);
	if (b != NULL || v.fail != BATCH_ESIGNATURE)
		fuzz_fail("a changed byte was not refused for the signature");
	batch_verdict_clear(&v);
	batch_run_clear(&run);
}

static void
fuzz_sealed_input(const unsigned char *buf, size_t len)
{
	struct batch_run run = { NULL, 0 };
	struct crypt_seal_part *parts = NULL;
	struct batch_verdict v;
	struct batch *b;
	const struct crypt_seal_part *text = NULL, *sig = NULL;
	size_t nparts = 0, i, nl;
	char *sigz;

	/* Without a store it cannot be opened, only refused. */
	fuzz_write(fuzz_sealed, buf, len);
	b = batch_verify(fuzz_sealed, NULL, &fuzz_sign, &run, &v);
	if (b != NULL || v.fail != BATCH_ESEALED)
		fuzz_fail(
		    "a sealed file not refused as sealed without a store");
	batch_verdict_clear(&v);
	batch_run_clear(&run);

	if (crypt_seal_open(&fuzz_box, buf, len, &parts, &nparts) !=
	    CRYPT_SEAL_OK)
		return;
	for (i = 0; i < nparts; i++) {
		nl = strlen(parts[i].name);
		if (nl > 8 && strcmp(parts[i].name + nl - 8, ".minisig") == 0 &&
		    sig == NULL)
			sig = &parts[i];
		else if (nl > 6 &&
		         strcmp(parts[i].name + nl - 6, ".jsonl") == 0 &&
		         text == NULL)
			text = &parts[i];
	}
	if (text != NULL && sig != NULL) {
		/* batch.c reads the signature as a C string */
		sigz = xmalloc(sig->len + 1);
		memcpy(sigz, sig->data, sig->len);
		sigz[sig->len] = '\0';
		fuzz_verify(text->data, text->len, sigz, strlen(sigz), 0);
		free(sigz);
	}
	crypt_seal_parts_free(parts, nparts);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *trusted, *sig;
	long split;
	size_t at;

	fuzz_setup();
	if (crypt_seal_is_sealed(data, size)) {
		fuzz_sealed_input(data, size);
		return 0;
	}
	if ((split = fuzz_find_split(data, size)) >= 0) {
		/* the batch keeps its "\n", the signature follows "----\n" */
		at = (size_t)split + 1;
		fuzz_verify(
		    data, at, (const char *)data + at + 5, size - at - 5, 0);
		return 0;
	}
	trusted = fuzz_trusted(data, size);
	sig = crypt_sign_minisig_buffer(
	    &fuzz_sign, data, size, "fuzz-batch", trusted ? trusted : "");
	fuzz_verify(data, size, sig, sig ? strlen(sig) : 0, sig != NULL);
	free(sig);
	free(trusted);
	return 0;
}
