/*
 * crypt-seal: box key pairs and sealed files.  Besides round trips, every
 * byte of a sealed file is changed and every length cut, each with the
 * class of failure its place gives; and files made here by hand with
 * libsodium (any messages, tags and part framing, under the right file
 * key) show what the reader refuses once the crypto holds.
 */
#include "unit.h"

#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "anfang/crypt-seal.h"
#include "anfang/crypt-sign.h"
#include "anfang/crypt.h"
#include "anfang/xmalloc.h"

#define R_OK_       CRYPT_SEAL_OK
#define R_FORMAT    CRYPT_SEAL_EFORMAT
#define R_RECIPIENT CRYPT_SEAL_ERECIPIENT
#define R_DAMAGED   CRYPT_SEAL_EDAMAGED
#define R_TRUNCATED CRYPT_SEAL_ETRUNCATED

/* The layout, as the header comment gives it. */
#define HDR       120 /* magic, key id, sealed file key, stream header */
#define AD        16  /* magic and key id */
#define BOX_AT    16
#define SS_AT     96
#define CHUNK     (64u * 1024)
#define ABYTES    17
#define MSG_EXTRA (4 + ABYTES)
#define TAG_MSG   crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define TAG_PUSH  crypto_secretstream_xchacha20poly1305_TAG_PUSH
#define TAG_REKEY crypto_secretstream_xchacha20poly1305_TAG_REKEY
#define TAG_FINAL crypto_secretstream_xchacha20poly1305_TAG_FINAL

static struct crypt_seal_key test_key;

/* ---- helpers ---------------------------------------------------------- */

/* A growing byte buffer, for plaintext streams made by hand. */
struct sbuf {
	unsigned char *p;
	size_t len, cap;
};

static void
sb_add(struct sbuf *b, const void *p, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2 + 16;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	if (len > 0)
		memcpy(b->p + b->len, p, len);
	b->len += len;
}

static void
sb_u32(struct sbuf *b, uint32_t v)
{
	unsigned char p[4];
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	sb_add(b, p, 4);
}

static void
sb_u64(struct sbuf *b, uint64_t v)
{
	sb_u32(b, (uint32_t)v);
	sb_u32(b, (uint32_t)(v >> 32));
}

/* A well-framed part. */
static void
sb_part(struct sbuf *b, const char *name, const void *data, size_t len)
{
	sb_u32(b, (uint32_t)strlen(name));
	sb_add(b, name, strlen(name));
	sb_u64(b, len);
	sb_add(b, data, len);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

struct forge_msg {
	size_t len;
	unsigned char tag;
};

/*
 * A sealed file for to, made by hand: the plaintext pt cut into the
 * messages given, with their tags; ad, when not NULL, replaces the 16
 * bytes of additional data.
 */
static unsigned char *
forge(const struct crypt_seal_key *to, const unsigned char *pt, size_t ptlen,
    const struct forge_msg *msgs, size_t nmsgs, const unsigned char *ad,
    size_t *outlen)
{
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned long long clen;
	size_t size = HDR, i, pos, off = 0;
	unsigned char *out;

	for (i = 0; i < nmsgs; i++)
		size += MSG_EXTRA + msgs[i].len;
	out = xmalloc(size);
	memcpy(out, "ANFSEAL1", 8);
	memcpy(out + 8, to->keyid, 8);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	assert_int_equal(
	    crypto_box_seal(out + BOX_AT, key, sizeof key, to->pk), 0);
	crypto_secretstream_xchacha20poly1305_init_push(&st, out + SS_AT, key);
	if (ad == NULL)
		ad = out;
	pos = HDR;
	for (i = 0; i < nmsgs; i++) {
		uint32_t l = (uint32_t)(msgs[i].len + ABYTES);

		assert_true(off + msgs[i].len <= ptlen);
		out[pos] = (unsigned char)l;
		out[pos + 1] = (unsigned char)(l >> 8);
		out[pos + 2] = (unsigned char)(l >> 16);
		out[pos + 3] = (unsigned char)(l >> 24);
		pos += 4;
		crypto_secretstream_xchacha20poly1305_push(&st, out + pos,
		    &clen, pt != NULL ? pt + off : NULL, msgs[i].len, ad, AD,
		    msgs[i].tag);
		pos += (size_t)clen;
		off += msgs[i].len;
	}
	assert_int_equal(pos, size);
	assert_int_equal(off, ptlen);
	sodium_memzero(key, sizeof key);
	sodium_memzero(&st, sizeof st);
	*outlen = size;
	return out;
}

/* A file of one final message holding all of pt. */
static unsigned char *
forge1(const unsigned char *pt, size_t ptlen, size_t *outlen)
{
	struct forge_msg m = { ptlen, TAG_FINAL };

	return forge(&test_key, pt, ptlen, &m, 1, NULL, outlen);
}

/* Open an exactly sized heap copy, so ASan sees any over-read. */
static enum crypt_seal_result
open_exact(const struct crypt_seal_key *me, const void *buf, size_t len,
    struct crypt_seal_part **parts, size_t *nparts)
{
	enum crypt_seal_result r;
	void *copy = xmalloc(len > 0 ? len : 1);

	if (len > 0)
		memcpy(copy, buf, len);
	r = crypt_seal_open(me, copy, len, parts, nparts);
	free(copy);
	if (r != R_OK_) {
		assert_null(*parts);
		assert_int_equal(*nparts, 0);
	}
	return r;
}

/* The result of opening, the parts freed. */
static enum crypt_seal_result
open_class(const struct crypt_seal_key *me, const void *buf, size_t len)
{
	struct crypt_seal_part *parts = (void *)1;
	size_t nparts = 99;
	enum crypt_seal_result r;

	r = open_exact(me, buf, len, &parts, &nparts);
	crypt_seal_parts_free(parts, nparts);
	return r;
}

static unsigned char *
seal_ok(const struct crypt_seal_key *to, const struct crypt_seal_part *parts,
    size_t nparts, size_t *len)
{
	unsigned char *out = NULL;
	char *cause = NULL;

	if (crypt_seal(to, parts, nparts, &out, len, &cause) != 0)
		fprintf(stderr, "  crypt_seal: %s\n", cause);
	assert_null(cause);
	assert_non_null(out);
	return out;
}

/* Seal, check the size and header, open, and compare. */
static void
round_trip(const struct crypt_seal_part *parts, size_t nparts)
{
	struct crypt_seal_part *got = NULL;
	unsigned char *sealed, keyid[CRYPT_SEAL_KEYID_BYTES];
	size_t len, ngot = 0, total = 0, nmsg, i, pos;
	uint32_t mlen;

	for (i = 0; i < nparts; i++)
		total += 12 + strlen(parts[i].name) + parts[i].len;
	nmsg = total == 0 ? 1 : (total + CHUNK - 1) / CHUNK;

	sealed = seal_ok(&test_key, parts, nparts, &len);
	assert_int_equal(len, HDR + nmsg * MSG_EXTRA + total);
	assert_memory_equal(sealed, "ANFSEAL1", 8);
	assert_memory_equal(sealed + 8, test_key.keyid, 8);
	assert_true(crypt_seal_is_sealed(sealed, len));
	assert_int_equal(crypt_seal_recipient(sealed, len, keyid), 0);
	assert_memory_equal(keyid, test_key.keyid, sizeof keyid);
	/* Whole chunks, then the rest. */
	for (i = 0, pos = HDR; i < nmsg; i++) {
		mlen = get32(sealed + pos);
		if (i + 1 < nmsg)
			assert_int_equal(mlen, CHUNK + ABYTES);
		else
			assert_int_equal(mlen, total - i * CHUNK + ABYTES);
		pos += 4 + mlen;
	}
	assert_int_equal(pos, len);

	assert_int_equal(
	    open_exact(&test_key, sealed, len, &got, &ngot), R_OK_);
	assert_int_equal(ngot, nparts);
	for (i = 0; i < nparts; i++) {
		assert_string_equal(got[i].name, parts[i].name);
		assert_int_equal(got[i].len, parts[i].len);
		assert_non_null(got[i].data);
		if (parts[i].len > 0)
			assert_memory_equal(
			    got[i].data, parts[i].data, parts[i].len);
	}
	crypt_seal_parts_free(got, ngot);
	free(sealed);
}

/* A small sealed file: a few hundred bytes. */
static unsigned char *
seal_small(size_t *len)
{
	static char batch[] = "{\"format\":\"anfang-batch\",\"seq\":1}\n"
	                      "{\"visit\":1,\"answers\":{\"ok\":true}}\n";
	static char sig[] = "untrusted comment: x\nRUQ...\n";
	struct crypt_seal_part parts[2] = {
		{ (char *)"batch.jsonl", (unsigned char *)batch,
		    sizeof batch - 1 },
		{ (char *)"batch.jsonl.minisig", (unsigned char *)sig,
		    sizeof sig - 1 },
	};

	return seal_ok(&test_key, parts, 2, len);
}

static int
group_setup(void **state)
{
	char *cause = NULL;

	(void)state;
	if (crypt_init(&cause) != 0 ||
	    crypt_seal_generate(&test_key, &cause) != 0) {
		fprintf(stderr, "setup: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	crypt_seal_key_free(&test_key);
	assert_null(test_key.sk);
	return 0;
}

/* ---- tests ------------------------------------------------------------ */

static void
test_keyid_hex(void **state)
{
	static const unsigned char id1[8] = { 0x01, 0x23, 0x45, 0x67, 0x89,
		0xab, 0xcd, 0xef };
	char hex[17], sign_hex[17];

	(void)state;
	memset(hex, 'Z', sizeof hex);
	crypt_seal_keyid_hex(hex, id1);
	assert_string_equal(hex, "EFCDAB8967452301");
	crypt_sign_keyid_hex(sign_hex, test_key.keyid);
	crypt_seal_keyid_hex(hex, test_key.keyid);
	assert_string_equal(hex, sign_hex);
}

static void
test_generate(void **state)
{
	unsigned char pk[CRYPT_SEAL_PUBLIC_BYTES];
	struct crypt_seal_key other;
	char *cause = NULL;

	(void)state;
	assert_non_null(test_key.sk);
	assert_int_equal(crypto_scalarmult_base(pk, test_key.sk), 0);
	assert_memory_equal(pk, test_key.pk, sizeof pk);
	assert_int_equal(crypt_seal_generate(&other, &cause), 0);
	assert_memory_not_equal(other.pk, test_key.pk, sizeof pk);
	assert_memory_not_equal(other.keyid, test_key.keyid, 8);
	crypt_seal_key_free(&other);
	assert_null(other.sk);
	crypt_seal_key_free(&other); /* twice is harmless */
}

static void
test_round_trip(void **state)
{
	size_t big = 200 * 1024 + 12345, i;
	unsigned char *bigdata = xmalloc(big);
	static char small[] = "small part";
	struct crypt_seal_part three[3] = {
		{ (char *)"batch.jsonl", bigdata, big },
		{ (char *)"empty", NULL, 0 },
		{ (char *)"batch.jsonl.minisig", (unsigned char *)small,
		    sizeof small - 1 },
	};
	struct crypt_seal_part one = { (char *)"only", (unsigned char *)small,
		sizeof small - 1 };
	struct crypt_seal_part empty_name = { (char *)"",
		(unsigned char *)small, 3 };

	(void)state;
	for (i = 0; i < big; i++)
		bigdata[i] = (unsigned char)(i * 131 + (i >> 9));
	round_trip(NULL, 0);
	round_trip(&one, 1);
	round_trip(three, 3);
	round_trip(&three[1], 1); /* one empty part */
	round_trip(&empty_name, 1);

	/* Streams of exactly one chunk and one byte more. */
	one.name = (char *)"x";
	one.data = bigdata;
	one.len = CHUNK - 13;
	round_trip(&one, 1);
	one.len = CHUNK - 12;
	round_trip(&one, 1);
	one.len = 2 * CHUNK - 13;
	round_trip(&one, 1);
	free(bigdata);
}

static void
test_seal_errors(void **state)
{
	struct crypt_seal_part part = { NULL, NULL, 0 };
	struct crypt_seal_key bad;
	unsigned char *out;
	char *cause = NULL, *name;
	size_t len;

	(void)state;
	name = xmalloc(4098);
	memset(name, 'n', 4097);
	name[4097] = '\0';
	part.name = name;
	out = (void *)1;
	assert_int_equal(
	    crypt_seal(&test_key, &part, 1, &out, &len, &cause), -1);
	assert_null(out);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	name[4096] = '\0'; /* 4096 is the longest name */
	round_trip(&part, 1);
	free(name);

	part.name = NULL;
	assert_int_equal(
	    crypt_seal(&test_key, &part, 1, &out, &len, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	part.name = (char *)"x";
	part.len = 1;
	assert_int_equal(
	    crypt_seal(&test_key, &part, 1, &out, &len, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	/* A public key of small order: no box can be made to it. */
	memset(&bad, 0, sizeof bad);
	assert_int_equal(crypt_seal(&bad, NULL, 0, &out, &len, &cause), -1);
	assert_null(out);
	assert_non_null(cause);
	free(cause);
}

static void
test_wrong_key(void **state)
{
	struct crypt_seal_key other, pub;
	unsigned char *sealed;
	char *cause = NULL;
	size_t len;

	(void)state;
	sealed = seal_small(&len);
	assert_int_equal(crypt_seal_generate(&other, &cause), 0);
	assert_int_equal(open_class(&other, sealed, len), R_RECIPIENT);
	/* The same key id, another secret: the box does not open. */
	memcpy(other.keyid, test_key.keyid, sizeof other.keyid);
	assert_int_equal(open_class(&other, sealed, len), R_DAMAGED);
	crypt_seal_key_free(&other);
	/* A public key alone cannot open. */
	pub = test_key;
	pub.sk = NULL;
	assert_int_equal(open_class(&pub, sealed, len), R_RECIPIENT);
	assert_int_equal(open_class(&test_key, sealed, len), R_OK_);
	free(sealed);
}

/*
 * Every byte of a small sealed file changed in three ways: the magic says
 * "not sealed", the key id "another recipient", anything else "damaged".
 */
static void
test_flip_every_byte(void **state)
{
	static const int masks[] = { 0x01, 0x80, 0xff };
	enum crypt_seal_result want, got;
	unsigned char *sealed;
	size_t len, i, m;

	(void)state;
	sealed = seal_small(&len);
	assert_true(len > 200 && len < 400);
	for (i = 0; i < len; i++) {
		if (i < 8)
			want = R_FORMAT;
		else if (i < 16)
			want = R_RECIPIENT;
		else
			want = R_DAMAGED;
		for (m = 0; m < sizeof masks / sizeof masks[0]; m++) {
			sealed[i] ^= (unsigned char)masks[m];
			got = open_class(&test_key, sealed, len);
			sealed[i] ^= (unsigned char)masks[m];
			if (got != want)
				fprintf(stderr,
				    "  byte %zu ^ 0x%02x: got %d, want %d\n", i,
				    masks[m], got, want);
			assert_int_equal(got, want);
		}
	}
	assert_int_equal(open_class(&test_key, sealed, len), R_OK_);
	free(sealed);
}

/* Every shorter length of a small file; boundaries of a long one. */
static void
test_truncate(void **state)
{
	unsigned char *sealed, *big, keyid[8];
	enum crypt_seal_result want, got;
	struct crypt_seal_part part;
	size_t len, i, k, bound;

	(void)state;
	sealed = seal_small(&len);
	for (i = 0; i < len; i++) {
		want = i < HDR ? R_FORMAT : i == HDR ? R_TRUNCATED : R_DAMAGED;
		got = open_class(&test_key, sealed, i);
		if (got != want)
			fprintf(stderr, "  length %zu: got %d, want %d\n", i,
			    got, want);
		assert_int_equal(got, want);
		assert_int_equal(
		    crypt_seal_recipient(sealed, i, keyid), i < HDR ? -1 : 0);
		assert_int_equal(crypt_seal_is_sealed(sealed, i), i >= 8);
	}
	free(sealed);

	/* Three messages: cut at each boundary, and around it. */
	part.name = (char *)"big";
	part.len = 2 * CHUNK + 1000;
	part.data = xcalloc(1, part.len);
	big = seal_ok(&test_key, &part, 1, &len);
	for (k = 0; k < 3; k++) {
		bound = HDR + k * (CHUNK + MSG_EXTRA);
		assert_int_equal(
		    open_class(&test_key, big, bound), R_TRUNCATED);
		for (i = 1; i <= 30; i++) {
			assert_int_equal(
			    open_class(&test_key, big, bound + i), R_DAMAGED);
			assert_int_equal(open_class(&test_key, big, bound - i),
			    bound - i < HDR ? R_FORMAT : R_DAMAGED);
		}
	}
	for (i = HDR + 1; i < len; i += 997) {
		got = open_class(&test_key, big, i);
		assert_true(got == R_DAMAGED || got == R_TRUNCATED);
	}
	assert_int_equal(open_class(&test_key, big, len - 1), R_DAMAGED);
	assert_int_equal(open_class(&test_key, big, len), R_OK_);
	free(big);
	free(part.data);
}

static void
test_appended(void **state)
{
	unsigned char *sealed, *longer;
	size_t len, i, add;
	uint32_t mlen;

	(void)state;
	sealed = seal_small(&len);
	mlen = get32(sealed + HDR);
	longer = xmalloc(2 * len);
	memcpy(longer, sealed, len);
	for (add = 1; add <= 64; add++) {
		for (i = 0; i < add; i++)
			longer[len + i] = (unsigned char)(i * 7);
		assert_int_equal(
		    open_class(&test_key, longer, len + add), R_DAMAGED);
		memset(longer + len, 0, add);
		assert_int_equal(
		    open_class(&test_key, longer, len + add), R_DAMAGED);
	}
	/* Its own final message again. */
	memcpy(longer + len, sealed + HDR, 4 + mlen);
	assert_int_equal(
	    open_class(&test_key, longer, len + 4 + mlen), R_DAMAGED);
	/* A whole second file. */
	memcpy(longer + len, sealed, len);
	assert_int_equal(open_class(&test_key, longer, 2 * len), R_DAMAGED);
	free(longer);
	free(sealed);
}

/* What a file with the right key must still get right, made by hand. */
static void
test_forged_messages(void **state)
{
	struct crypt_seal_part *parts = NULL;
	struct sbuf b = { NULL, 0, 0 };
	unsigned char *f, *data, ad[AD];
	size_t flen, nparts = 0, n;
	struct forge_msg m[3];

	(void)state;
	data = xcalloc(1, 3 * CHUNK);
	sb_part(&b, "a", "xyz", 3);
	sb_part(&b, "big", data, 2 * CHUNK);
	n = b.len;
	assert_true(n > 2 * CHUNK && n < 3 * CHUNK);

	/* The way crypt_seal cuts it: opens. */
	m[0] = (struct forge_msg){ CHUNK, TAG_MSG };
	m[1] = (struct forge_msg){ CHUNK, TAG_MSG };
	m[2] = (struct forge_msg){ n - 2 * CHUNK, TAG_FINAL };
	f = forge(&test_key, b.p, n, m, 3, NULL, &flen);
	assert_int_equal(
	    open_exact(&test_key, f, flen, &parts, &nparts), R_OK_);
	assert_int_equal(nparts, 2);
	assert_string_equal(parts[0].name, "a");
	assert_memory_equal(parts[0].data, "xyz", 3);
	assert_int_equal(parts[1].len, 2 * CHUNK);
	crypt_seal_parts_free(parts, nparts);
	free(f);

	/* Only the final message may be short. */
	m[0].len = CHUNK - 1;
	m[2].len = n - 2 * CHUNK + 1;
	f = forge(&test_key, b.p, n, m, 3, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);

	/* One message of a whole chunk, and of one byte more. */
	free(b.p);
	memset(&b, 0, sizeof b);
	sb_part(&b, "x", data, CHUNK - 13);
	assert_int_equal(b.len, CHUNK);
	m[0] = (struct forge_msg){ CHUNK, TAG_FINAL };
	f = forge(&test_key, b.p, CHUNK, m, 1, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_OK_);
	free(f);
	/* An empty final message after it. */
	m[0].tag = TAG_MSG;
	m[1] = (struct forge_msg){ 0, TAG_FINAL };
	f = forge(&test_key, b.p, CHUNK, m, 2, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);
	free(b.p);
	memset(&b, 0, sizeof b);
	sb_part(&b, "x", data, CHUNK - 12);
	m[0] = (struct forge_msg){ CHUNK + 1, TAG_FINAL };
	f = forge(&test_key, b.p, CHUNK + 1, m, 1, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);
	free(b.p);
	memset(&b, 0, sizeof b);
	sb_part(&b, "a", "xyz", 3);
	sb_part(&b, "big", data, 2 * CHUNK);

	/* Other tags: PUSH or REKEY, before the end or at it. */
	m[0] = (struct forge_msg){ CHUNK, TAG_PUSH };
	m[1] = (struct forge_msg){ CHUNK, TAG_MSG };
	m[2] = (struct forge_msg){ n - 2 * CHUNK, TAG_FINAL };
	f = forge(&test_key, b.p, n, m, 3, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);
	m[0].tag = TAG_REKEY;
	f = forge(&test_key, b.p, n, m, 3, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);
	m[0].tag = TAG_MSG;
	m[2].tag = TAG_PUSH;
	f = forge(&test_key, b.p, n, m, 3, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);

	/* No final message: truncated. */
	f = forge(&test_key, b.p, 2 * CHUNK, m, 2, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_TRUNCATED);
	free(f);
	f = forge(&test_key, NULL, 0, m, 0, NULL, &flen);
	assert_int_equal(flen, HDR);
	assert_int_equal(open_class(&test_key, f, flen), R_TRUNCATED);
	free(f);

	/* A final message, then another. */
	m[0] = (struct forge_msg){ 16, TAG_FINAL };
	m[1] = (struct forge_msg){ 0, TAG_FINAL };
	f = forge(&test_key, b.p, 16, m, 2, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);
	m[1].tag = TAG_MSG;
	f = forge(&test_key, b.p, 16, m, 2, NULL, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);

	/* An empty final message alone: no parts. */
	m[1] = (struct forge_msg){ 0, TAG_FINAL };
	f = forge(&test_key, NULL, 0, m + 1, 1, NULL, &flen);
	assert_int_equal(
	    open_exact(&test_key, f, flen, &parts, &nparts), R_OK_);
	assert_int_equal(nparts, 0);
	crypt_seal_parts_free(parts, nparts);
	free(f);

	/* Additional data other than the file's first 16 bytes. */
	m[0] = (struct forge_msg){ 16, TAG_FINAL };
	memcpy(ad, "ANFSEAL1", 8);
	memcpy(ad + 8, test_key.keyid, 8);
	f = forge(&test_key, b.p, 16, m, 1, ad, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_OK_);
	free(f);
	ad[15] ^= 1;
	f = forge(&test_key, b.p, 16, m, 1, ad, &flen);
	assert_int_equal(open_class(&test_key, f, flen), R_DAMAGED);
	free(f);

	free(b.p);
	free(data);
}

/* Part framing that does not hold, under a sound stream. */
static void
check_framing(struct sbuf *b, enum crypt_seal_result want)
{
	unsigned char *f;
	size_t flen;

	f = forge1(b->p, b->len, &flen);
	assert_int_equal(open_class(&test_key, f, flen), want);
	free(f);
	free(b->p);
	memset(b, 0, sizeof *b);
}

static void
test_forged_parts(void **state)
{
	struct crypt_seal_part *parts = NULL;
	struct sbuf b = { NULL, 0, 0 };
	unsigned char *f;
	size_t flen, nparts = 0;
	char name[4098];

	(void)state;
	memset(name, 'n', sizeof name);

	/* The longest name, and one byte more. */
	sb_u32(&b, 4096);
	sb_add(&b, name, 4096);
	sb_u64(&b, 0);
	check_framing(&b, R_OK_);
	sb_u32(&b, 4097);
	sb_add(&b, name, 4097);
	sb_u64(&b, 0);
	check_framing(&b, R_DAMAGED);
	/* A name holding a NUL. */
	sb_u32(&b, 3);
	sb_add(&b, "a\0b", 3);
	sb_u64(&b, 0);
	check_framing(&b, R_DAMAGED);
	/* A name or data longer than what remains, by one; or huge. */
	sb_u32(&b, 5);
	sb_add(&b, "name", 4);
	check_framing(&b, R_DAMAGED);
	sb_part(&b, "ok", "data", 4);
	sb_u32(&b, 1);
	sb_add(&b, "x", 1);
	sb_u64(&b, 5);
	sb_add(&b, "data", 4);
	check_framing(&b, R_DAMAGED);
	sb_u32(&b, 1);
	sb_add(&b, "x", 1);
	sb_u64(&b, UINT64_MAX);
	sb_add(&b, "data", 4);
	check_framing(&b, R_DAMAGED);
	sb_u32(&b, 1);
	sb_add(&b, "x", 1);
	sb_u64(&b, (uint64_t)1 << 40);
	check_framing(&b, R_DAMAGED);
	sb_u32(&b, UINT32_MAX);
	sb_add(&b, "x", 1);
	check_framing(&b, R_DAMAGED);
	/* Ends inside a part's framing. */
	sb_part(&b, "ok", "data", 4);
	sb_add(&b, "\1\0\0", 3);
	check_framing(&b, R_DAMAGED);
	sb_part(&b, "ok", "data", 4);
	sb_u32(&b, 1);
	sb_add(&b, "x", 1);
	sb_add(&b, "\0\0\0\0\0\0\0", 7);
	check_framing(&b, R_DAMAGED);

	/* Many empty parts: all of them come back. */
	{
		size_t i;

		for (i = 0; i < 1000; i++)
			sb_part(&b, "p", NULL, 0);
		f = forge1(b.p, b.len, &flen);
		assert_int_equal(
		    open_exact(&test_key, f, flen, &parts, &nparts), R_OK_);
		assert_int_equal(nparts, 1000);
		for (i = 0; i < 1000; i++) {
			assert_string_equal(parts[i].name, "p");
			assert_int_equal(parts[i].len, 0);
			assert_non_null(parts[i].data);
		}
		crypt_seal_parts_free(parts, nparts);
		free(f);
		free(b.p);
	}
}

/* Lengths and headers that claim much are refused (how fast is for the
 * benchmarks, not a test: a timed assertion fails on a loaded machine). */
static void
test_garbage(void **state)
{
	size_t big = 50u << 20, i;
	unsigned char *buf, keyid[8];

	(void)state;
	buf = xcalloc(1, big);
	assert_int_equal(open_class(&test_key, buf, big), R_FORMAT);
	assert_false(crypt_seal_is_sealed(buf, big));
	assert_int_equal(crypt_seal_recipient(buf, big, keyid), -1);
	assert_false(crypt_seal_is_sealed(NULL, 0));
	assert_int_equal(open_class(&test_key, NULL, 0), R_FORMAT);

	memcpy(buf, "ANFSEAL1", 8);
	memcpy(buf + 8, test_key.keyid, 8);
	assert_int_equal(open_class(&test_key, buf, big), R_DAMAGED);
	/* The box opens, then a message claims 4 GiB or 64 KiB + 18. */
	{
		unsigned char *f;
		size_t flen;

		f = forge1(NULL, 0, &flen);
		memcpy(buf, f, HDR);
		free(f);
	}
	for (i = 0; i < 4; i++)
		buf[HDR + i] = 0xff;
	assert_int_equal(open_class(&test_key, buf, big), R_DAMAGED);
	buf[HDR] = (unsigned char)(CHUNK + ABYTES + 1);
	buf[HDR + 1] = (unsigned char)((CHUNK + ABYTES + 1) >> 8);
	buf[HDR + 2] = (unsigned char)((CHUNK + ABYTES + 1) >> 16);
	buf[HDR + 3] = 0;
	assert_int_equal(open_class(&test_key, buf, big), R_DAMAGED);
	/* Shorter than a message's tag and MAC. */
	buf[HDR] = ABYTES - 1;
	buf[HDR + 1] = buf[HDR + 2] = 0;
	assert_int_equal(open_class(&test_key, buf, big), R_DAMAGED);
	assert_int_equal(open_class(&test_key, buf, HDR + 2), R_DAMAGED);
	free(buf);
}

static void
test_public_round_trip(void **state)
{
	static const char *const ends[] = { "", "\n", "\r\n" };
	struct crypt_seal_key pub;
	char *file, *b64, *text, *cause = NULL, hex[17], *want, *nl;
	unsigned char *sealed;
	size_t i, len;

	(void)state;
	file = crypt_seal_public_file(&test_key);
	crypt_seal_keyid_hex(hex, test_key.keyid);
	nl = strchr(file, '\n');
	assert_non_null(nl);
	b64 = xstrndup(nl + 1, strcspn(nl + 1, "\n"));
	want = xasprintf(
	    "untrusted comment: anfang box public key %s\n%s\n", hex, b64);
	assert_string_equal(file, want);
	free(want);
	assert_int_equal(strlen(b64), 56);
	assert_true(strncmp(b64, "Qn", 2) == 0); /* "Bx" */

	assert_int_equal(
	    crypt_seal_public_parse(&pub, file, strlen(file), &cause), 0);
	assert_memory_equal(pub.keyid, test_key.keyid, sizeof pub.keyid);
	assert_memory_equal(pub.pk, test_key.pk, sizeof pub.pk);
	assert_null(pub.sk);

	for (i = 0; i < 3; i++) {
		text = xasprintf("%s%s", b64, ends[i]);
		memset(&pub, 0xaa, sizeof pub);
		assert_int_equal(
		    crypt_seal_public_parse(&pub, text, strlen(text), &cause),
		    0);
		assert_memory_equal(pub.pk, test_key.pk, sizeof pub.pk);
		assert_memory_equal(
		    pub.keyid, test_key.keyid, sizeof pub.keyid);
		assert_null(pub.sk);
		free(text);

		text =
		    xasprintf("untrusted comment: mine\r\n%s%s", b64, ends[i]);
		assert_int_equal(
		    crypt_seal_public_parse(&pub, text, strlen(text), &cause),
		    0);
		assert_memory_equal(pub.pk, test_key.pk, sizeof pub.pk);
		free(text);
	}
	/* A key parsed this way seals what the secret key opens. */
	sealed = seal_ok(&pub, NULL, 0, &len);
	assert_int_equal(open_class(&test_key, sealed, len), R_OK_);
	free(sealed);
	free(file);
	free(b64);
}

static void
bad_public(const char *text, size_t len, const char *why)
{
	struct crypt_seal_key pub;
	char *cause = NULL;

	if (crypt_seal_public_parse(&pub, text, len, &cause) == 0)
		fprintf(stderr, "  accepted: \"%.*s\"\n", (int)len, text);
	assert_non_null(cause);
	assert_null(pub.sk);
	if (why != NULL && strstr(cause, why) == NULL)
		fprintf(stderr, "  cause: %s\n", cause);
	if (why != NULL)
		assert_non_null(strstr(cause, why));
	free(cause);
}

static void
test_public_bad(void **state)
{
	struct crypt_sign_key sk;
	struct crypt_seal_key pub;
	char *file, *b64, *text, *cause = NULL, *copy, *nl;
	size_t i, len;

	(void)state;
	file = crypt_seal_public_file(&test_key);
	nl = strchr(file, '\n');
	b64 = xstrndup(nl + 1, strcspn(nl + 1, "\n"));
	len = strlen(b64);

	bad_public("", 0, NULL);
	bad_public("\n", 1, NULL);
	bad_public("untrusted comment: x\n", 21, NULL);
	bad_public("junk", 4, NULL);
	bad_public("ANFSEAL1", 8, NULL);
	text = xasprintf("comment: x\n%s\n", b64);
	bad_public(text, strlen(text), NULL);
	free(text);
	text = xasprintf("untrusted comment: x\n%s\n\n", b64);
	bad_public(text, strlen(text), NULL);
	free(text);
	text =
	    xasprintf("untrusted comment: x\nuntrusted comment: y\n%s\n", b64);
	bad_public(text, strlen(text), NULL);
	free(text);
	text = xasprintf(" %s", b64);
	bad_public(text, strlen(text), NULL);
	free(text);
	text = xasprintf("%s \n", b64);
	bad_public(text, strlen(text), NULL);
	free(text);
	text = xasprintf("%s\r\r\n", b64);
	bad_public(text, strlen(text), NULL);
	free(text);
	bad_public(b64, len - 4, NULL);
	text = xasprintf("%sAAAA", b64);
	bad_public(text, strlen(text), NULL);
	free(text);
	/* Another algorithm tag: "Bx" is "Qn", "Cx" is "Q3". */
	text = xstrdup(b64);
	text[1] = '3';
	bad_public(text, strlen(text), "not an anfang box public key");
	free(text);

	/* A minisign signing key, file or base64. */
	assert_int_equal(crypt_sign_generate(&sk, &cause), 0);
	text = crypt_sign_public_file(&sk);
	bad_public(text, strlen(text), "this is a signing key, not a box key");
	free(text);
	text = crypt_sign_public_base64(&sk);
	bad_public(text, strlen(text), "this is a signing key, not a box key");
	free(text);
	crypt_sign_key_free(&sk);

	/* Every changed byte of the base64: refused or another key. */
	for (i = 0; i < len; i++) {
		copy = xmalloc(len);
		memcpy(copy, b64, len);
		copy[i] ^= 0x01;
		if (crypt_seal_public_parse(&pub, copy, len, &cause) == 0) {
			assert_true(memcmp(pub.pk, test_key.pk, 32) != 0 ||
			            memcmp(pub.keyid, test_key.keyid, 8) != 0);
		} else {
			free(cause);
			cause = NULL;
		}
		/* No byte from 0x80 up is base64. */
		copy[i] = (char)(b64[i] | 0x80);
		assert_int_equal(
		    crypt_seal_public_parse(&pub, copy, len, &cause), -1);
		free(cause);
		cause = NULL;
		free(copy);
	}
	free(b64);
	free(file);
}

static void
test_from_secret(void **state)
{
	unsigned char sk[CRYPT_SEAL_SECRET_BYTES], pk[32], *sealed;
	struct crypt_seal_key k;
	char *cause = NULL;
	size_t len;

	(void)state;
	memcpy(sk, test_key.sk, sizeof sk);
	assert_int_equal(
	    crypt_seal_from_secret(&k, test_key.keyid, sk, sizeof sk, &cause),
	    0);
	assert_non_null(k.sk);
	assert_memory_equal(k.sk, test_key.sk, sizeof sk);
	assert_memory_equal(k.pk, test_key.pk, sizeof k.pk);
	assert_memory_equal(k.keyid, test_key.keyid, sizeof k.keyid);
	sealed = seal_small(&len);
	assert_int_equal(open_class(&k, sealed, len), R_OK_);
	crypt_seal_key_free(&k);
	assert_null(k.sk);

	/* The wrong size. */
	assert_int_equal(
	    crypt_seal_from_secret(&k, test_key.keyid, sk, 31, &cause), -1);
	assert_non_null(cause);
	assert_null(k.sk);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    crypt_seal_from_secret(&k, test_key.keyid, sk, 64, &cause), -1);
	assert_non_null(cause);
	assert_null(k.sk);
	free(cause);
	cause = NULL;

	/* Another secret under the same key id: its own public key, and
	 * the file does not open. */
	sk[5] ^= 0x10;
	assert_int_equal(
	    crypt_seal_from_secret(&k, test_key.keyid, sk, sizeof sk, &cause),
	    0);
	assert_int_equal(crypto_scalarmult_base(pk, sk), 0);
	assert_memory_equal(k.pk, pk, sizeof pk);
	assert_memory_not_equal(k.pk, test_key.pk, sizeof pk);
	assert_int_equal(open_class(&k, sealed, len), R_DAMAGED);
	crypt_seal_key_free(&k);
	sodium_memzero(sk, sizeof sk);
	free(sealed);
}

/* Where a stream's bytes go: a growing buffer that can be told to fail
 * after some bytes, as a full disk would. */
struct sink {
	unsigned char *p;
	size_t len;
	size_t fail_after; /* 0: never */
	size_t calls;
};

static int
sink_out(void *arg, const void *buf, size_t len, char **cause)
{
	struct sink *k = arg;

	k->calls++;
	if (k->fail_after != 0 && k->len + len > k->fail_after) {
		*cause = xstrdup("sink: full");
		return -1;
	}
	k->p = xreallocarray(k->p, k->len + len + 1, 1);
	memcpy(k->p + k->len, buf, len);
	k->len += len;
	return 0;
}

/*
 * A stream written in pieces of odd sizes is a sealed file that opens to
 * the same parts, with the size crypt_seal gives, each message sent as
 * it is made (memory holds one); and a stream refuses a part longer or
 * shorter than it said, and stops when its output fails.
 */
static void
test_stream(void **state)
{
	static const size_t sizes[] = { 0, 1, 7, CHUNK - 13, CHUNK,
		3 * CHUNK + 5 };
	struct crypt_seal_part *got = NULL;
	struct crypt_seal_stream *w;
	struct sink k;
	unsigned char *data;
	char *cause = NULL;
	size_t i, off, n, ngot = 0, total, nmsg;

	(void)state;
	data = xmalloc(3 * CHUNK + 5);
	for (i = 0; i < 3 * CHUNK + 5; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		memset(&k, 0, sizeof k);
		w = crypt_seal_stream_new(&test_key, sink_out, &k, &cause);
		assert_non_null(w);
		assert_int_equal(k.len, HDR);
		assert_int_equal(
		    crypt_seal_stream_part(w, "a.jsonl", sizes[i], &cause), 0);
		for (off = 0; off < sizes[i]; off += n) {
			n = sizes[i] - off < 1000 + off % 77 ? sizes[i] - off
			                                     : 1000 + off % 77;
			assert_int_equal(
			    crypt_seal_stream_write(w, data + off, n, &cause),
			    0);
		}
		assert_int_equal(
		    crypt_seal_stream_part(w, "a.jsonl.minisig", 3, &cause), 0);
		assert_int_equal(
		    crypt_seal_stream_write(w, "sig", 3, &cause), 0);
		assert_int_equal(crypt_seal_stream_end(w, &cause), 0);
		total = 12 + 7 + sizes[i] + 12 + 15 + 3;
		nmsg = (total + CHUNK - 1) / CHUNK;
		assert_int_equal(k.len, HDR + nmsg * MSG_EXTRA + total);
		assert_int_equal(k.calls, 1 + nmsg);
		assert_int_equal(
		    open_exact(&test_key, k.p, k.len, &got, &ngot), R_OK_);
		assert_int_equal(ngot, 2);
		assert_string_equal(got[0].name, "a.jsonl");
		assert_int_equal(got[0].len, sizes[i]);
		if (sizes[i] > 0)
			assert_memory_equal(got[0].data, data, sizes[i]);
		assert_string_equal(got[1].name, "a.jsonl.minisig");
		assert_memory_equal(got[1].data, "sig", 3);
		crypt_seal_parts_free(got, ngot);
		got = NULL;
		ngot = 0;
		free(k.p);
	}

	/* more than the part said */
	memset(&k, 0, sizeof k);
	w = crypt_seal_stream_new(&test_key, sink_out, &k, &cause);
	assert_int_equal(crypt_seal_stream_part(w, "p", 2, &cause), 0);
	assert_int_equal(crypt_seal_stream_write(w, "abc", 3, &cause), -1);
	assert_non_null(strstr(cause, "longer"));
	free(cause);
	cause = NULL;
	assert_int_equal(crypt_seal_stream_end(w, &cause), -1);
	free(k.p);
	/* less, at the next part and at the end */
	memset(&k, 0, sizeof k);
	w = crypt_seal_stream_new(&test_key, sink_out, &k, &cause);
	assert_int_equal(crypt_seal_stream_part(w, "p", 2, &cause), 0);
	assert_int_equal(crypt_seal_stream_write(w, "a", 1, &cause), 0);
	assert_int_equal(crypt_seal_stream_part(w, "q", 0, &cause), -1);
	assert_non_null(strstr(cause, "shorter"));
	free(cause);
	cause = NULL;
	crypt_seal_stream_free(w);
	free(k.p);
	memset(&k, 0, sizeof k);
	w = crypt_seal_stream_new(&test_key, sink_out, &k, &cause);
	assert_int_equal(crypt_seal_stream_part(w, "p", 2, &cause), 0);
	assert_int_equal(crypt_seal_stream_end(w, &cause), -1);
	assert_non_null(strstr(cause, "shorter"));
	free(cause);
	cause = NULL;
	free(k.p);
	/* the output fails in the middle: the stream says so, and stays
	 * failed */
	memset(&k, 0, sizeof k);
	k.fail_after = HDR + CHUNK;
	w = crypt_seal_stream_new(&test_key, sink_out, &k, &cause);
	assert_int_equal(
	    crypt_seal_stream_part(w, "p", 3 * CHUNK + 5, &cause), 0);
	assert_int_equal(
	    crypt_seal_stream_write(w, data, 3 * CHUNK + 5, &cause), -1);
	assert_string_equal(cause, "sink: full");
	free(cause);
	cause = NULL;
	assert_int_equal(crypt_seal_stream_end(w, &cause), -1);
	assert_null(cause);
	free(k.p);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyid_hex),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_seal_errors),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_flip_every_byte),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_appended),
		cmocka_unit_test(test_forged_messages),
		cmocka_unit_test(test_forged_parts),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_public_round_trip),
		cmocka_unit_test(test_public_bad),
		cmocka_unit_test(test_from_secret),
		cmocka_unit_test(test_stream),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
