/*
 * Sealed batches: X25519 box key pairs, and files only the holder of the
 * recipient's secret key can open.
 *
 * A box public key file looks like a minisign one with its own algorithm
 * tag, so it is not mistaken for a signing key:
 *
 *	untrusted comment: anfang box public key <KEYID>
 *	base64("Bx" || key id (8) || X25519 public key (32))
 *
 * A sealed file is
 *
 *	"ANFSEAL1" | recipient key id (8) | crypto_box_seal(file key) (80) |
 *	secretstream header (24) | messages: u32le length | ciphertext
 *
 * The file key is a random crypto_secretstream_xchacha20poly1305 key; the
 * first 16 bytes are the additional data of every message.  The plaintext
 * stream is the concatenation of the parts, each
 *
 *	u32le name length | name | u64le data length | data
 *
 * cut into messages of SEAL_CHUNK bytes: every message but the last holds
 * exactly SEAL_CHUNK bytes, the last (tagged TAG_FINAL) holds the rest, and
 * is empty only when the whole stream is.  A reader insists on exactly
 * that, so each plaintext has one encoding, and a file that stops between
 * messages is caught by the missing final tag.
 *
 * The file key and the stream state live only in sodium_malloc'd memory;
 * every plaintext buffer is wiped before it is freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "anfang/crypt-seal.h"
#include "anfang/crypt-text.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

#define SEAL_ALG       "Bx" /* box public keys */
#define SEAL_ALG_SIGN  "Ed" /* minisign's signing public keys */
#define SEAL_ALG_BYTES 2

#define SEAL_PK_COMMENT     "untrusted comment:"
#define SEAL_PK_COMMENT_LEN (sizeof SEAL_PK_COMMENT - 1)
#define SEAL_PK_BYTES                                                          \
	(SEAL_ALG_BYTES + CRYPT_SEAL_KEYID_BYTES + CRYPT_SEAL_PUBLIC_BYTES)

#define SEAL_MAGIC       "ANFSEAL1"
#define SEAL_MAGIC_BYTES (sizeof SEAL_MAGIC - 1)
#define SEAL_AD_BYTES    (SEAL_MAGIC_BYTES + CRYPT_SEAL_KEYID_BYTES)
#define SEAL_FKEY_BYTES  crypto_secretstream_xchacha20poly1305_KEYBYTES
#define SEAL_BOX_BYTES   (crypto_box_SEALBYTES + SEAL_FKEY_BYTES)
#define SEAL_SS_HEADER   crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SEAL_ABYTES      crypto_secretstream_xchacha20poly1305_ABYTES
#define SEAL_TAG_MESSAGE crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define SEAL_TAG_FINAL   crypto_secretstream_xchacha20poly1305_TAG_FINAL
/* Offsets of the sealed file key and stream header; the fixed header. */
#define SEAL_BOX_AT    SEAL_AD_BYTES
#define SEAL_SS_AT     (SEAL_BOX_AT + SEAL_BOX_BYTES)
#define SEAL_HEADER    (SEAL_SS_AT + SEAL_SS_HEADER)
#define SEAL_LEN_BYTES 4
/* Plaintext bytes per message, and the framing of one. */
#define SEAL_CHUNK     (64u * 1024)
#define SEAL_MSG_EXTRA (SEAL_LEN_BYTES + SEAL_ABYTES)
/* A part: name length, name (at most SEAL_NAME_MAX), data length, data. */
#define SEAL_NAME_MAX   4096
#define SEAL_PART_EXTRA (4 + 8)

_Static_assert(
    CRYPT_SEAL_PUBLIC_BYTES == crypto_box_PUBLICKEYBYTES, "public key size");
_Static_assert(
    CRYPT_SEAL_SECRET_BYTES == crypto_box_SECRETKEYBYTES, "secret key size");
_Static_assert(
    CRYPT_SEAL_SECRET_BYTES == crypto_scalarmult_SCALARBYTES, "scalar size");
_Static_assert(SEAL_BOX_BYTES == 80, "sealed file key size");
_Static_assert(SEAL_HEADER == 120, "fixed header size");

/*
 * The secrets of one file, in sodium_malloc'd memory.  Only byte arrays,
 * so the unaligned pointer sodium_malloc may return is good for it.
 */
struct seal_secret {
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char key[SEAL_FKEY_BYTES];
};

/*
 * A sealed file as it is written: each message goes to out when it is
 * made, so that a file of any size needs one message of memory.
 */
struct crypt_seal_stream {
	struct seal_secret *sec;
	unsigned char head[SEAL_HEADER]; /* its first bytes: the AD */
	unsigned char *chunk;            /* plaintext of the next message */
	size_t fill;
	unsigned char *msg; /* the message being sent */
	uint64_t left;      /* bytes the current part still needs */
	int failed;
	int (*out)(void *, const void *, size_t, char **);
	void *arg;
};

static void
seal_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
seal_put64(unsigned char *p, uint64_t v)
{
	seal_put32(p, (uint32_t)v);
	seal_put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t
seal_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t
seal_get64(const unsigned char *p)
{
	return (uint64_t)seal_get32(p) | (uint64_t)seal_get32(p + 4) << 32;
}

static struct seal_secret *
seal_secret_new(char **cause)
{
	struct seal_secret *sec;

	if ((sec = sodium_malloc(sizeof *sec)) == NULL) {
		if (cause != NULL)
			*cause = xstrdup(_("cannot allocate secure memory for "
			                   "the file key"));
		return NULL;
	}
	return sec;
}

static void
seal_secret_free(struct seal_secret *sec)
{
	if (sec == NULL)
		return;
	sodium_memzero(sec, sizeof *sec);
	sodium_free(sec);
}

/* Wipe and free a plaintext buffer of len bytes. */
static void
seal_wipe_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	sodium_memzero(p, len);
	free(p);
}

/* ---- keys ------------------------------------------------------------- */

/*
 * Decode base64 that must hold exactly outlen bytes.  libsodium accepts
 * only the canonical encoding when no characters are ignored; but
 * libsodium 1.0.18 reads every byte from 0x80 up as '/', so the alphabet
 * is checked here first.
 */
int
crypt_seal_generate(struct crypt_seal_key *key, char **cause)
{
	memset(key, 0, sizeof *key);
	if ((key->sk = sodium_malloc(CRYPT_SEAL_SECRET_BYTES)) == NULL) {
		*cause =
		    xstrdup(_("cannot allocate secure memory for the key"));
		return -1;
	}
	randombytes_buf(key->keyid, sizeof key->keyid);
	crypto_box_keypair(key->pk, key->sk);
	return 0;
}

/* The public key is the X25519 base point times the secret. */
int
crypt_seal_from_secret(struct crypt_seal_key *key,
    const unsigned char keyid[CRYPT_SEAL_KEYID_BYTES], const unsigned char *sk,
    size_t sklen, char **cause)
{
	memset(key, 0, sizeof *key);
	if (sklen != CRYPT_SEAL_SECRET_BYTES) {
		*cause = xasprintf(_("secret key is %zu bytes, not %d"), sklen,
		    CRYPT_SEAL_SECRET_BYTES);
		return -1;
	}
	if ((key->sk = sodium_malloc(CRYPT_SEAL_SECRET_BYTES)) == NULL) {
		*cause =
		    xstrdup(_("cannot allocate secure memory for the key"));
		return -1;
	}
	memcpy(key->sk, sk, CRYPT_SEAL_SECRET_BYTES);
	if (crypto_scalarmult_base(key->pk, key->sk) != 0) {
		crypt_seal_key_free(key);
		memset(key, 0, sizeof *key);
		*cause = xstrdup(_("not a usable box secret key"));
		return -1;
	}
	memcpy(key->keyid, keyid, sizeof key->keyid);
	return 0;
}

void
crypt_seal_key_free(struct crypt_seal_key *key)
{
	if (key == NULL || key->sk == NULL)
		return;
	/* sodium_free wipes too; say so here as well. */
	sodium_memzero(key->sk, CRYPT_SEAL_SECRET_BYTES);
	sodium_free(key->sk);
	key->sk = NULL;
}

/* As minisign prints key ids: a little-endian 64-bit number in hex. */
void
crypt_seal_keyid_hex(
    char out[17], const unsigned char keyid[CRYPT_SEAL_KEYID_BYTES])
{
	crypt_text_keyid(out, keyid);
}

char *
crypt_seal_public_file(const struct crypt_seal_key *key)
{
	unsigned char raw[SEAL_PK_BYTES];
	char hex[17], *b64, *text;

	memcpy(raw, SEAL_ALG, SEAL_ALG_BYTES);
	memcpy(raw + SEAL_ALG_BYTES, key->keyid, CRYPT_SEAL_KEYID_BYTES);
	memcpy(raw + SEAL_ALG_BYTES + CRYPT_SEAL_KEYID_BYTES, key->pk,
	    CRYPT_SEAL_PUBLIC_BYTES);
	b64 = crypt_text_b64(raw, sizeof raw);
	crypt_seal_keyid_hex(hex, key->keyid);
	text = xasprintf(
	    "untrusted comment: anfang box public key %s\n%s\n", hex, b64);
	free(b64);
	return text;
}

/*
 * Either "comment\nbase64" or "base64", each line ending in "\n" or "\r\n"
 * or (the last) in nothing.
 */
int
crypt_seal_public_parse(
    struct crypt_seal_key *key, const char *text, size_t len, char **cause)
{
	unsigned char raw[SEAL_PK_BYTES];
	const char *b64;
	size_t b64len;

	memset(key, 0, sizeof *key);
	if (crypt_text_keyline(
	        text, len, SEAL_PK_COMMENT, &b64, &b64len, cause) != 0)
		return -1;
	if (crypt_text_unb64(raw, sizeof raw, b64, b64len) != 0) {
		*cause = xstrdup(_("not an anfang box public key"));
		return -1;
	}
	if (memcmp(raw, SEAL_ALG_SIGN, SEAL_ALG_BYTES) == 0) {
		*cause = xstrdup(_("this is a signing key, not a box key"));
		return -1;
	}
	if (memcmp(raw, SEAL_ALG, SEAL_ALG_BYTES) != 0) {
		*cause = xstrdup(_("not an anfang box public key"));
		return -1;
	}
	memcpy(key->keyid, raw + SEAL_ALG_BYTES, CRYPT_SEAL_KEYID_BYTES);
	memcpy(key->pk, raw + SEAL_ALG_BYTES + CRYPT_SEAL_KEYID_BYTES,
	    CRYPT_SEAL_PUBLIC_BYTES);
	return 0;
}

/* ---- sealing ---------------------------------------------------------- */

int
crypt_seal_is_sealed(const void *buf, size_t len)
{
	return buf != NULL && len >= SEAL_MAGIC_BYTES &&
	       memcmp(buf, SEAL_MAGIC, SEAL_MAGIC_BYTES) == 0;
}

/* -1 exactly when crypt_seal_open says CRYPT_SEAL_EFORMAT. */
int
crypt_seal_recipient(
    const void *buf, size_t len, unsigned char keyid[CRYPT_SEAL_KEYID_BYTES])
{
	if (len < SEAL_HEADER || !crypt_seal_is_sealed(buf, len))
		return -1;
	memcpy(keyid, (const unsigned char *)buf + SEAL_MAGIC_BYTES,
	    CRYPT_SEAL_KEYID_BYTES);
	return 0;
}

/* Encrypt the chunk as the next message, tagged tag, and send it. */
static int
seal_push(struct crypt_seal_stream *w, unsigned char tag, char **cause)
{
	unsigned long long clen;

	seal_put32(w->msg, (uint32_t)(w->fill + SEAL_ABYTES));
	crypto_secretstream_xchacha20poly1305_push(&w->sec->st,
	    w->msg + SEAL_LEN_BYTES, &clen, w->chunk, w->fill, w->head,
	    SEAL_AD_BYTES, tag);
	sodium_memzero(w->chunk, w->fill);
	w->fill = 0;
	if (w->out(w->arg, w->msg, SEAL_LEN_BYTES + (size_t)clen, cause) != 0) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * Add plaintext to the stream.  A full chunk is sent only when more comes,
 * so that the last message, whatever its size, is the final one.
 */
static int
seal_feed(
    struct crypt_seal_stream *w, const void *buf, size_t len, char **cause)
{
	const unsigned char *p = buf;
	size_t n;

	while (len > 0) {
		if (w->fill == SEAL_CHUNK &&
		    seal_push(w, SEAL_TAG_MESSAGE, cause) != 0)
			return -1;
		n = SEAL_CHUNK - w->fill;
		if (n > len)
			n = len;
		memcpy(w->chunk + w->fill, p, n);
		w->fill += n;
		p += n;
		len -= n;
	}
	return 0;
}

void
crypt_seal_stream_free(struct crypt_seal_stream *w)
{
	if (w == NULL)
		return;
	seal_wipe_free(w->chunk, SEAL_CHUNK);
	free(w->msg);
	seal_secret_free(w->sec);
	free(w);
}

struct crypt_seal_stream *
crypt_seal_stream_new(const struct crypt_seal_key *recipient,
    int (*out)(void *, const void *, size_t, char **), void *arg, char **cause)
{
	struct crypt_seal_stream *w = xcalloc(1, sizeof *w);

	w->out = out;
	w->arg = arg;
	if ((w->sec = seal_secret_new(cause)) == NULL) {
		free(w);
		return NULL;
	}
	memcpy(w->head, SEAL_MAGIC, SEAL_MAGIC_BYTES);
	memcpy(w->head + SEAL_MAGIC_BYTES, recipient->keyid,
	    CRYPT_SEAL_KEYID_BYTES);
	crypto_secretstream_xchacha20poly1305_keygen(w->sec->key);
	if (crypto_box_seal(w->head + SEAL_BOX_AT, w->sec->key, SEAL_FKEY_BYTES,
	        recipient->pk) != 0) {
		crypt_seal_stream_free(w);
		*cause = xstrdup(_("cannot seal to this public key"));
		return NULL;
	}
	crypto_secretstream_xchacha20poly1305_init_push(
	    &w->sec->st, w->head + SEAL_SS_AT, w->sec->key);
	sodium_memzero(w->sec->key, sizeof w->sec->key);
	w->chunk = xmalloc(SEAL_CHUNK);
	w->msg = xmalloc(SEAL_MSG_EXTRA + SEAL_CHUNK);
	if (out(arg, w->head, SEAL_HEADER, cause) != 0) {
		crypt_seal_stream_free(w);
		return NULL;
	}
	return w;
}

int
crypt_seal_stream_part(
    struct crypt_seal_stream *w, const char *name, uint64_t len, char **cause)
{
	unsigned char hdr[8];
	size_t namelen = strlen(name);

	if (w->failed || w->left != 0) {
		if (!w->failed)
			*cause =
			    xstrdup(_("a sealed part is shorter than said"));
		w->failed = 1;
		return -1;
	}
	if (namelen > SEAL_NAME_MAX) {
		*cause = xasprintf(
		    _("part name is longer than %d bytes"), SEAL_NAME_MAX);
		w->failed = 1;
		return -1;
	}
	seal_put32(hdr, (uint32_t)namelen);
	if (seal_feed(w, hdr, 4, cause) != 0 ||
	    seal_feed(w, name, namelen, cause) != 0)
		return -1;
	seal_put64(hdr, len);
	if (seal_feed(w, hdr, 8, cause) != 0)
		return -1;
	w->left = len;
	return 0;
}

int
crypt_seal_stream_write(
    struct crypt_seal_stream *w, const void *buf, size_t len, char **cause)
{
	if (w->failed)
		return -1;
	if (len > w->left) {
		*cause = xstrdup(_("a sealed part is longer than said"));
		w->failed = 1;
		return -1;
	}
	w->left -= len;
	return seal_feed(w, buf, len, cause);
}

int
crypt_seal_stream_end(struct crypt_seal_stream *w, char **cause)
{
	int rc = -1;

	if (w->failed)
		;
	else if (w->left != 0)
		*cause = xstrdup(_("a sealed part is shorter than said"));
	else
		rc = seal_push(w, SEAL_TAG_FINAL, cause);
	crypt_seal_stream_free(w);
	return rc;
}

/* The plaintext stream's length, or -1 when a part cannot be sealed. */
static int
seal_stream_len(const struct crypt_seal_part *parts, size_t nparts,
    size_t *total, char **cause)
{
	size_t i, namelen, add;

	*total = 0;
	for (i = 0; i < nparts; i++) {
		if (parts[i].name == NULL) {
			*cause = xasprintf(_("part %zu has no name"), i + 1);
			return -1;
		}
		if ((namelen = strlen(parts[i].name)) > SEAL_NAME_MAX) {
			*cause =
			    xasprintf(_("part name is longer than %d bytes"),
			        SEAL_NAME_MAX);
			return -1;
		}
		if (parts[i].data == NULL && parts[i].len > 0) {
			*cause = xasprintf(
			    _("part \"%s\" has no data"), parts[i].name);
			return -1;
		}
		add = SEAL_PART_EXTRA + namelen;
		if (parts[i].len > SIZE_MAX - add ||
		    *total > SIZE_MAX - add - parts[i].len) {
			*cause = xstrdup(_("too much to seal"));
			return -1;
		}
		*total += add + parts[i].len;
	}
	return 0;
}

/* crypt_seal's output: into a buffer of the size worked out first. */
struct seal_mem {
	unsigned char *out;
	size_t pos, size;
};

static int
seal_mem_out(void *arg, const void *buf, size_t len, char **cause)
{
	struct seal_mem *m = arg;

	(void)cause;
	if (len > m->size - m->pos) {
		fputs("anfang: crypt_seal: wrong size\n", stderr);
		abort();
	}
	memcpy(m->out + m->pos, buf, len);
	m->pos += len;
	return 0;
}

int
crypt_seal(const struct crypt_seal_key *recipient,
    const struct crypt_seal_part *parts, size_t nparts, unsigned char **out,
    size_t *outlen, char **cause)
{
	struct crypt_seal_stream *w;
	struct seal_mem m;
	size_t total, nmsg, i;

	*out = NULL;
	*outlen = 0;
	if (seal_stream_len(parts, nparts, &total, cause) != 0)
		return -1;
	nmsg = total == 0 ? 1 : (total - 1) / SEAL_CHUNK + 1;
	if (total > SIZE_MAX - SEAL_HEADER - nmsg * SEAL_MSG_EXTRA) {
		*cause = xstrdup(_("too much to seal"));
		return -1;
	}
	m.size = SEAL_HEADER + nmsg * SEAL_MSG_EXTRA + total;
	m.pos = 0;
	m.out = xmalloc(m.size);
	if ((w = crypt_seal_stream_new(recipient, seal_mem_out, &m, cause)) ==
	    NULL) {
		free(m.out);
		return -1;
	}
	for (i = 0; i < nparts; i++) {
		/* the buffer cannot fail: only the stream's own checks can */
		if (crypt_seal_stream_part(
		        w, parts[i].name, parts[i].len, cause) != 0 ||
		    crypt_seal_stream_write(
		        w, parts[i].data, parts[i].len, cause) != 0) {
			crypt_seal_stream_free(w);
			free(m.out);
			return -1;
		}
	}
	if (crypt_seal_stream_end(w, cause) != 0) {
		free(m.out);
		return -1;
	}
	if (m.pos != m.size) {
		fputs("anfang: crypt_seal: wrong size\n", stderr);
		abort();
	}
	*out = m.out;
	*outlen = m.size;
	return 0;
}

/* ---- opening ---------------------------------------------------------- */

/*
 * Decrypt every message of buf into pt, which has room for len -
 * SEAL_HEADER bytes (no message's plaintext is longer than its
 * ciphertext).  The lengths are checked before each message is touched.
 */
static enum crypt_seal_result
seal_pull_all(struct seal_secret *sec, const unsigned char *buf, size_t len,
    unsigned char *pt, size_t *ptlen)
{
	unsigned long long n;
	unsigned char tag;
	size_t pos = SEAL_HEADER, mlen;

	*ptlen = 0;
	for (;;) {
		if (pos == len)
			return CRYPT_SEAL_ETRUNCATED;
		if (len - pos < SEAL_LEN_BYTES)
			return CRYPT_SEAL_EDAMAGED;
		mlen = seal_get32(buf + pos);
		pos += SEAL_LEN_BYTES;
		if (mlen < SEAL_ABYTES || mlen > SEAL_CHUNK + SEAL_ABYTES ||
		    mlen > len - pos)
			return CRYPT_SEAL_EDAMAGED;
		if (crypto_secretstream_xchacha20poly1305_pull(&sec->st,
		        pt + *ptlen, &n, &tag, buf + pos, mlen, buf,
		        SEAL_AD_BYTES) != 0)
			return CRYPT_SEAL_EDAMAGED;
		pos += mlen;
		*ptlen += (size_t)n;
		if (tag == SEAL_TAG_FINAL)
			break;
		/* Only whole chunks come before the final message. */
		if (tag != SEAL_TAG_MESSAGE || n != SEAL_CHUNK)
			return CRYPT_SEAL_EDAMAGED;
	}
	/* Nothing after the final message, which is empty only alone. */
	if (pos != len || (n == 0 && *ptlen != 0))
		return CRYPT_SEAL_EDAMAGED;
	return CRYPT_SEAL_OK;
}

/* Take the plaintext stream apart into parts. */
static enum crypt_seal_result
seal_parse(const unsigned char *pt, size_t ptlen,
    struct crypt_seal_part **partsp, size_t *npartsp)
{
	struct crypt_seal_part *parts = NULL, *part;
	size_t nparts = 0, cap = 0, pos = 0, namelen;
	uint64_t datalen;

	while (pos < ptlen) {
		if (ptlen - pos < 4)
			goto bad;
		namelen = seal_get32(pt + pos);
		pos += 4;
		if (namelen > SEAL_NAME_MAX || namelen > ptlen - pos ||
		    memchr(pt + pos, '\0', namelen) != NULL)
			goto bad;
		if (ptlen - pos - namelen < 8)
			goto bad;
		datalen = seal_get64(pt + pos + namelen);
		if (datalen > ptlen - pos - namelen - 8)
			goto bad;

		if (nparts == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			parts = xreallocarray(parts, cap, sizeof *parts);
		}
		part = &parts[nparts++];
		part->name = xstrndup((const char *)pt + pos, namelen);
		pos += namelen + 8;
		part->len = (size_t)datalen;
		part->data = xmalloc(part->len > 0 ? part->len : 1);
		if (part->len > 0)
			memcpy(part->data, pt + pos, part->len);
		pos += part->len;
	}
	*partsp = parts;
	*npartsp = nparts;
	return CRYPT_SEAL_OK;

bad:
	crypt_seal_parts_free(parts, nparts);
	return CRYPT_SEAL_EDAMAGED;
}

/*
 * Open buf with my key pair.  The header is checked before any crypto:
 * EFORMAT when it is not a sealed file, ERECIPIENT when it names another
 * key (or mine has no secret part).  On failure *parts is NULL.
 */
enum crypt_seal_result
crypt_seal_open(const struct crypt_seal_key *me, const void *buf, size_t len,
    struct crypt_seal_part **parts, size_t *nparts)
{
	const unsigned char *p = buf;
	unsigned char keyid[CRYPT_SEAL_KEYID_BYTES], *pt;
	struct seal_secret *sec;
	enum crypt_seal_result r;
	size_t ptcap, ptlen;

	*parts = NULL;
	*nparts = 0;
	if (crypt_seal_recipient(buf, len, keyid) != 0)
		return CRYPT_SEAL_EFORMAT;
	if (me->sk == NULL ||
	    memcmp(keyid, me->keyid, CRYPT_SEAL_KEYID_BYTES) != 0)
		return CRYPT_SEAL_ERECIPIENT;
	if ((sec = seal_secret_new(NULL)) == NULL) {
		fputs("anfang: out of secure memory\n", stderr);
		abort();
	}
	if (crypto_box_seal_open(sec->key, p + SEAL_BOX_AT, SEAL_BOX_BYTES,
	        me->pk, me->sk) != 0 ||
	    crypto_secretstream_xchacha20poly1305_init_pull(
	        &sec->st, p + SEAL_SS_AT, sec->key) != 0) {
		seal_secret_free(sec);
		return CRYPT_SEAL_EDAMAGED;
	}
	sodium_memzero(sec->key, sizeof sec->key);

	ptcap = len - SEAL_HEADER;
	pt = xmalloc(ptcap > 0 ? ptcap : 1);
	r = seal_pull_all(sec, p, len, pt, &ptlen);
	seal_secret_free(sec);
	if (r == CRYPT_SEAL_OK)
		r = seal_parse(pt, ptlen, parts, nparts);
	seal_wipe_free(pt, ptcap);
	return r;
}

void
crypt_seal_parts_free(struct crypt_seal_part *parts, size_t nparts)
{
	size_t i;

	if (parts == NULL)
		return;
	for (i = 0; i < nparts; i++) {
		free(parts[i].name);
		seal_wipe_free(parts[i].data, parts[i].len);
	}
	free(parts);
}
