/*
 * crypt-sign: minisign keys and prehashed signatures.  Besides round trips
 * and tampering, the files are checked against the real minisign tool both
 * ways: minisign verifies what we sign, and we verify what minisign signs.
 */
#include "unit.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "anfang/crypt-sign.h"
#include "anfang/crypt.h"
#include "anfang/xmalloc.h"

#define R_OK_     CRYPT_SIGN_OK
#define R_FORMAT  CRYPT_SIGN_EFORMAT
#define R_KEYID   CRYPT_SIGN_EKEYID
#define R_SIG     CRYPT_SIGN_ESIG
#define R_TRUSTED CRYPT_SIGN_ETRUSTED

static const char b64_abc[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static struct crypt_sign_key test_key;

static const char data_text[] = "{\"format\":\"anfang-batch\",\"seq\":1}\n"
                                "{\"visit\":1,\"answers\":{\"ok\":true}}\n";

/* ---- helpers ---------------------------------------------------------- */

static int
b64_index(int c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64_abc, c)) == NULL)
		return -1;
	return (int)(p - b64_abc);
}

/* A plain base64 decoder for the test's own use (minisign's secret key). */
static size_t
b64_decode(unsigned char *out, size_t max, const char *s, size_t len)
{
	unsigned acc = 0, bits = 0;
	size_t n = 0, i;
	int v;

	for (i = 0; i < len && s[i] != '='; i++) {
		assert_true((v = b64_index((unsigned char)s[i])) >= 0);
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			assert_true(n < max);
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return n;
}

static void
prehash_of(
    unsigned char out[CRYPT_SIGN_PREHASH_BYTES], const void *buf, size_t len)
{
	struct crypt_sign_prehash *ph = crypt_sign_prehash_new();

	crypt_sign_prehash_update(ph, buf, len);
	crypt_sign_prehash_final(ph, out);
}

/* Verify sig as an exactly sized heap copy, so ASan sees any over-read. */
static enum crypt_sign_result
verify_exact(const struct crypt_sign_key *pub,
    const unsigned char prehash[CRYPT_SIGN_PREHASH_BYTES], const char *sig,
    size_t len, char **trusted)
{
	enum crypt_sign_result r;
	char *copy = xmalloc(len);

	memcpy(copy, sig, len);
	r = crypt_sign_verify(pub, prehash, copy, len, trusted);
	free(copy);
	return r;
}

static char *
sign_data(const char *untrusted, const char *trusted)
{
	char *sig = crypt_sign_minisig_buffer(
	    &test_key, data_text, sizeof data_text - 1, untrusted, trusted);

	assert_non_null(sig);
	return sig;
}

/* Start of line n (0-based) of text, and its length without "\n". */
static size_t
line_at(const char *text, int n, size_t *len)
{
	const char *p = text, *nl;

	while (n-- > 0) {
		assert_non_null(nl = strchr(p, '\n'));
		p = nl + 1;
	}
	assert_non_null(nl = strchr(p, '\n'));
	*len = (size_t)(nl - p);
	return (size_t)(p - text);
}

static char *
tmp_dir(void)
{
	char *dir = xstrdup("/tmp/anfang-sign.XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void
tmp_remove(char *dir)
{
	struct dirent *de;
	DIR *d;
	char *path;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		assert_int_equal(unlink(path), 0);
		free(path);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

static void
file_write(const char *dir, const char *name, const void *buf, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f;

	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(path);
}

/* The whole file, NUL-terminated too; *len without the NUL. */
static char *
file_read(const char *dir, const char *name, size_t *len)
{
	char *path = xasprintf("%s/%s", dir, name), *buf;
	struct stat st;
	FILE *f;

	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fstat(fileno(f), &st), 0);
	*len = (size_t)st.st_size;
	buf = xmalloc(*len + 1);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	buf[*len] = '\0';
	fclose(f);
	free(path);
	return buf;
}

/*
 * Run minisign with the arguments (NULL-terminated) in dir, stdin from
 * /dev/null, stdout and stderr into dir/out.  Its exit status, or -1.
 */
static int
minisign(const char *dir, ...)
{
	char *argv[16], *out = xasprintf("%s/out", dir);
	va_list ap;
	pid_t pid;
	int n = 0, status, fd;

	argv[n++] = (char *)"minisign";
	va_start(ap, dir);
	while ((argv[n] = va_arg(ap, char *)) != NULL) {
		n++;
		assert_true(n < 15);
	}
	va_end(ap);

	fflush(stdout);
	fflush(stderr);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		if (chdir(dir) != 0 || (fd = open("/dev/null", O_RDONLY)) < 0 ||
		    dup2(fd, 0) < 0 ||
		    (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execvp("minisign", argv);
		_exit(127);
	}
	free(out);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status))
		return -1;
	/* 127: minisign is not installed, and it is required for the tests. */
	assert_int_not_equal(WEXITSTATUS(status), 127);
	return WEXITSTATUS(status);
}

static int
out_has(const char *dir, const char *text)
{
	size_t len;
	char *out = file_read(dir, "out", &len);
	int found = strstr(out, text) != NULL;

	if (!found)
		fprintf(stderr, "  minisign said: %s", out);
	free(out);
	return found;
}

static int
group_setup(void **state)
{
	char *cause = NULL;

	(void)state;
	if (crypt_init(&cause) != 0 ||
	    crypt_sign_generate(&test_key, &cause) != 0) {
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
	crypt_sign_key_free(&test_key);
	assert_null(test_key.sk);
	return 0;
}

/* ---- tests ------------------------------------------------------------ */

static void
test_keyid_hex(void **state)
{
	static const unsigned char id1[8] = { 0x01, 0x23, 0x45, 0x67, 0x89,
		0xab, 0xcd, 0xef };
	static const unsigned char id2[8] = { 0xff, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char id3[8] = { 0, 0, 0, 0, 0, 0, 0, 0x0a };
	char hex[17];

	(void)state;
	memset(hex, 'Z', sizeof hex);
	crypt_sign_keyid_hex(hex, id1);
	assert_string_equal(hex, "EFCDAB8967452301");
	crypt_sign_keyid_hex(hex, id2);
	assert_string_equal(hex, "00000000000000FF");
	crypt_sign_keyid_hex(hex, id3);
	assert_string_equal(hex, "0A00000000000000");
}

static void
test_sign_verify(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES];
	unsigned char keyid[CRYPT_SIGN_KEYID_BYTES];
	char *sig, *trusted = NULL;
	size_t len;

	(void)state;
	sig = sign_data("signature from anfang", "batch:b1\tseq:1\tcount:2");
	assert_true(strncmp(sig, "untrusted comment: signature from anfang\n",
	                41) == 0);
	assert_non_null(strstr(sig, "\ntrusted comment: batch:b1\tseq:1\t"
	                            "count:2\n"));
	len = strlen(sig);
	assert_int_equal(sig[len - 1], '\n');
	/* "ED" || key id || signature, base64: 100 characters, "RU" first. */
	line_at(sig, 1, &len);
	assert_int_equal(len, 100);
	assert_true(strncmp(strchr(sig, '\n') + 1, "RU", 2) == 0);
	line_at(sig, 3, &len);
	assert_int_equal(len, 88);

	prehash_of(ph, data_text, sizeof data_text - 1);
	assert_int_equal(
	    verify_exact(&test_key, ph, sig, strlen(sig), &trusted), R_OK_);
	assert_string_equal(trusted, "batch:b1\tseq:1\tcount:2");
	free(trusted);
	/* trusted may be NULL. */
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, strlen(sig), NULL), R_OK_);

	assert_int_equal(crypt_sign_minisig_keyid(sig, strlen(sig), keyid), 0);
	assert_memory_equal(keyid, test_key.keyid, sizeof keyid);
	free(sig);

	/* Empty comments, and NULL as empty. */
	sig = sign_data(NULL, NULL);
	assert_true(strncmp(sig, "untrusted comment: \n", 20) == 0);
	assert_int_equal(
	    verify_exact(&test_key, ph, sig, strlen(sig), &trusted), R_OK_);
	assert_string_equal(trusted, "");
	free(trusted);
	free(sig);
}

static void
test_prehash_streaming(void **state)
{
	unsigned char a[CRYPT_SIGN_PREHASH_BYTES], b[CRYPT_SIGN_PREHASH_BYTES];
	struct crypt_sign_prehash *ph;
	size_t big = 1 << 20, i, step;
	unsigned char *buf = xmalloc(big);
	char *sig;

	(void)state;
	for (i = 0; i < big; i++)
		buf[i] = (unsigned char)(i * 131 + (i >> 9));
	prehash_of(a, buf, big);
	ph = crypt_sign_prehash_new();
	for (i = 0, step = 1; i < big; i += step, step = step * 3 + 1) {
		if (step > big - i)
			step = big - i;
		crypt_sign_prehash_update(ph, buf + i, step);
	}
	crypt_sign_prehash_update(ph, NULL, 0);
	crypt_sign_prehash_final(ph, b);
	assert_memory_equal(a, b, sizeof a);

	sig = crypt_sign_minisig_buffer(&test_key, buf, big, "u", "t");
	assert_non_null(sig);
	assert_int_equal(
	    crypt_sign_verify(&test_key, b, sig, strlen(sig), NULL), R_OK_);
	buf[big / 2] ^= 1;
	prehash_of(b, buf, big);
	assert_int_equal(
	    crypt_sign_verify(&test_key, b, sig, strlen(sig), NULL), R_SIG);
	free(sig);
	free(buf);

	/* The empty file. */
	prehash_of(a, NULL, 0);
	sig = crypt_sign_minisig(&test_key, a, "u", "t");
	assert_int_equal(
	    crypt_sign_verify(&test_key, a, sig, strlen(sig), NULL), R_OK_);
	free(sig);
}

/*
 * What changing character j of a base64 line holding nbytes bytes to c
 * must give: a format error when c is not base64, when the line's padding
 * or spare bits change; otherwise the class of the first changed byte.
 */
static enum crypt_sign_result
b64_flip_class(const char *line, size_t j, int c, size_t nbytes, int is_sig)
{
	int old = b64_index((unsigned char)line[j]), new = b64_index(c);
	size_t first = SIZE_MAX, bit, byte;
	int k, d;

	if (old < 0 || new < 0)
		return R_FORMAT;
	d = old ^ new;
	for (k = 0; k < 6; k++) {
		if ((d & (0x20 >> k)) == 0)
			continue;
		bit = 6 * j + (size_t)k;
		byte = bit / 8;
		if (byte >= nbytes)
			return R_FORMAT;
		if (byte < first)
			first = byte;
	}
	if (!is_sig)
		return R_TRUSTED;
	if (first < 2)
		return R_FORMAT; /* the algorithm */
	if (first < 2 + CRYPT_SIGN_KEYID_BYTES)
		return R_KEYID;
	return R_SIG;
}

/*
 * Every byte of the .minisig, changed in nine ways: each must fail, with
 * the class that byte's place gives, except in the untrusted comment text.
 */
static void
test_tamper_every_byte(void **state)
{
	static const int masks[] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40,
		0x80, 0xff };
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES];
	size_t start[4], len[4], i, m, n[5] = { 0 };
	enum crypt_sign_result want, got;
	char *sig, *trusted;
	size_t siglen;
	int line, c;

	(void)state;
	sig = sign_data("made by anfang", "batch:b7\tseq:7");
	siglen = strlen(sig);
	prehash_of(ph, data_text, sizeof data_text - 1);
	for (line = 0; line < 4; line++)
		start[line] = line_at(sig, line, &len[line]);

	for (i = 0; i < siglen; i++) {
		for (line = 3; line > 0 && i < start[line]; line--)
			;
		for (m = 0; m < sizeof masks / sizeof masks[0]; m++) {
			c = (unsigned char)sig[i] ^ masks[m];
			if (i == start[line] + len[line] || c == '\n')
				want = R_FORMAT; /* a line end moves */
			else if (line == 0)
				want = i < start[0] + 19 ? R_FORMAT : R_OK_;
			else if (line == 1)
				want = b64_flip_class(
				    sig + start[1], i - start[1], c, 74, 1);
			else if (line == 2)
				want =
				    i < start[2] + 17 || c == '\r' || c == '\0'
				        ? R_FORMAT
				        : R_TRUSTED;
			else
				want = b64_flip_class(
				    sig + start[3], i - start[3], c, 64, 0);

			sig[i] = (char)c;
			trusted = NULL;
			got =
			    verify_exact(&test_key, ph, sig, siglen, &trusted);
			sig[i] = (char)(c ^ masks[m]);
			if (got != want)
				fprintf(stderr,
				    "  byte %zu (line %d) ^ 0x%02x: "
				    "got %d, want %d\n",
				    i, line + 1, masks[m], got, want);
			assert_int_equal(got, want);
			if (got == R_OK_) {
				assert_string_equal(trusted, "batch:b7\tseq:7");
				free(trusted);
			} else
				assert_null(trusted);
			n[got]++;
		}
	}
	/* Every class was reached. */
	for (i = 0; i < 5; i++)
		assert_true(n[i] > 0);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, siglen, NULL), R_OK_);
	free(sig);
}

static void
test_tamper_data(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES];
	char data[sizeof data_text];
	size_t i, n = sizeof data_text - 1;
	char *sig;

	(void)state;
	sig = sign_data("u", "t");
	memcpy(data, data_text, sizeof data);
	for (i = 0; i < n; i++) {
		data[i] ^= 0x01;
		prehash_of(ph, data, n);
		assert_int_equal(
		    crypt_sign_verify(&test_key, ph, sig, strlen(sig), NULL),
		    R_SIG);
		data[i] ^= 0x01;
	}
	/* Shorter and longer. */
	prehash_of(ph, data, n - 1);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, strlen(sig), NULL), R_SIG);
	prehash_of(ph, data, n + 1);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, strlen(sig), NULL), R_SIG);
	free(sig);
}

static void
test_untrusted_comment_free(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES];
	char *sig, *other, *trusted;
	size_t i, start, len;

	(void)state;
	sig = sign_data("signature from anfang secret key", "tc");
	prehash_of(ph, data_text, sizeof data_text - 1);
	start = line_at(sig, 0, &len);
	for (i = start + 19; i < start + len; i++) {
		sig[i] ^= 0x01;
		assert_int_equal(
		    verify_exact(&test_key, ph, sig, strlen(sig), &trusted),
		    R_OK_);
		assert_string_equal(trusted, "tc");
		free(trusted);
		sig[i] ^= 0x01;
	}
	/* Another text of any length, bytes included, still verifies. */
	other =
	    xasprintf("untrusted comment: \x01\xff\t\r%s", strchr(sig, '\n'));
	assert_int_equal(
	    verify_exact(&test_key, ph, other, strlen(other), NULL), R_OK_);
	free(other);
	other = xasprintf("untrusted comment: %s", strchr(sig, '\n'));
	assert_int_equal(
	    verify_exact(&test_key, ph, other, strlen(other), NULL), R_OK_);
	free(other);
	/* But not without its prefix. */
	other = xasprintf("untrusted comment:%s", strchr(sig, '\n'));
	assert_int_equal(
	    verify_exact(&test_key, ph, other, strlen(other), NULL), R_FORMAT);
	free(other);
	free(sig);
}

static void
test_other_key(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES];
	struct crypt_sign_key other;
	char *sig, *cause = NULL;

	(void)state;
	assert_int_equal(crypt_sign_generate(&other, &cause), 0);
	assert_non_null(other.sk);
	assert_memory_not_equal(other.pk, test_key.pk, sizeof other.pk);
	sig = crypt_sign_minisig_buffer(
	    &other, data_text, sizeof data_text - 1, "u", "t");
	prehash_of(ph, data_text, sizeof data_text - 1);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, strlen(sig), NULL), R_KEYID);
	assert_int_equal(
	    crypt_sign_verify(&other, ph, sig, strlen(sig), NULL), R_OK_);
	/* Same key id, another key: the signature does not hold. */
	memcpy(other.keyid, test_key.keyid, sizeof other.keyid);
	free(sig);
	sig = crypt_sign_minisig_buffer(
	    &other, data_text, sizeof data_text - 1, "u", "t");
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, strlen(sig), NULL), R_SIG);
	free(sig);
	crypt_sign_key_free(&other);
	assert_null(other.sk);
	crypt_sign_key_free(&other); /* twice is harmless */
}

static void
test_public_round_trip(void **state)
{
	static const char *const ends[] = { "", "\n", "\r\n" };
	struct crypt_sign_key pub;
	char *file, *b64, *text, *cause = NULL, hex[17], *want;
	size_t i;

	(void)state;
	file = crypt_sign_public_file(&test_key);
	b64 = crypt_sign_public_base64(&test_key);
	crypt_sign_keyid_hex(hex, test_key.keyid);
	want = xasprintf(
	    "untrusted comment: minisign public key %s\n%s\n", hex, b64);
	assert_string_equal(file, want);
	free(want);
	assert_int_equal(strlen(b64), 56);
	assert_true(strncmp(b64, "RW", 2) == 0); /* "Ed" */

	assert_int_equal(
	    crypt_sign_public_parse(&pub, file, strlen(file), &cause), 0);
	assert_memory_equal(pub.keyid, test_key.keyid, sizeof pub.keyid);
	assert_memory_equal(pub.pk, test_key.pk, sizeof pub.pk);
	assert_null(pub.sk);

	for (i = 0; i < 3; i++) {
		text = xasprintf("%s%s", b64, ends[i]);
		memset(&pub, 0xaa, sizeof pub);
		assert_int_equal(
		    crypt_sign_public_parse(&pub, text, strlen(text), &cause),
		    0);
		assert_memory_equal(pub.pk, test_key.pk, sizeof pub.pk);
		assert_memory_equal(
		    pub.keyid, test_key.keyid, sizeof pub.keyid);
		assert_null(pub.sk);
		free(text);

		text =
		    xasprintf("untrusted comment: mine\r\n%s%s", b64, ends[i]);
		assert_int_equal(
		    crypt_sign_public_parse(&pub, text, strlen(text), &cause),
		    0);
		assert_memory_equal(pub.pk, test_key.pk, sizeof pub.pk);
		free(text);
	}
	/* A public key parsed this way verifies our signatures. */
	{
		unsigned char ph[CRYPT_SIGN_PREHASH_BYTES];
		char *sig = sign_data("u", "t");

		prehash_of(ph, data_text, sizeof data_text - 1);
		assert_int_equal(
		    crypt_sign_verify(&pub, ph, sig, strlen(sig), NULL), R_OK_);
		free(sig);
	}
	free(file);
	free(b64);
}

static void
bad_public(const char *text, size_t len)
{
	struct crypt_sign_key pub;
	char *cause = NULL;

	if (crypt_sign_public_parse(&pub, text, len, &cause) == 0)
		fprintf(stderr, "  accepted: \"%.*s\"\n", (int)len, text);
	else
		assert_non_null(cause);
	assert_non_null(cause);
	assert_null(pub.sk);
	free(cause);
}

static void
test_public_bad(void **state)
{
	char *b64, *text, *copy;
	size_t i, len;

	(void)state;
	b64 = crypt_sign_public_base64(&test_key);
	bad_public("", 0);
	bad_public("\n", 1);
	bad_public("untrusted comment: x\n", 21);
	text = xasprintf("comment: x\n%s\n", b64);
	bad_public(text, strlen(text));
	free(text);
	text = xasprintf("untrusted comment: x\n%s\n\n", b64);
	bad_public(text, strlen(text));
	free(text);
	text =
	    xasprintf("untrusted comment: x\nuntrusted comment: y\n%s\n", b64);
	bad_public(text, strlen(text));
	free(text);
	text = xasprintf(" %s", b64);
	bad_public(text, strlen(text));
	free(text);
	text = xasprintf("%s \n", b64);
	bad_public(text, strlen(text));
	free(text);
	/* Short, long, and a base64 "RUQ": "ED" is no key algorithm. */
	bad_public(b64, strlen(b64) - 4);
	text = xasprintf("%sAAAA", b64);
	bad_public(text, strlen(text));
	free(text);
	text = xstrdup(b64);
	text[2] = 'Q';
	text[1] = 'U';
	bad_public(text, strlen(text));
	free(text);

	/* Every changed byte of the base64 line is refused or changes it. */
	len = strlen(b64);
	for (i = 0; i < len; i++) {
		struct crypt_sign_key pub;
		char *cause = NULL;

		copy = xmalloc(len);
		memcpy(copy, b64, len);
		copy[i] ^= 0x01;
		if (crypt_sign_public_parse(&pub, copy, len, &cause) == 0) {
			assert_true(memcmp(pub.pk, test_key.pk, 32) != 0 ||
			            memcmp(pub.keyid, test_key.keyid, 8) != 0);
		} else
			free(cause);
		free(copy);
	}
	free(b64);
}

static void
test_from_secret(void **state)
{
	unsigned char sk[CRYPT_SIGN_SECRET_BYTES], ph[CRYPT_SIGN_PREHASH_BYTES];
	struct crypt_sign_key k;
	char *cause = NULL, *sig;

	(void)state;
	memcpy(sk, test_key.sk, sizeof sk);
	assert_int_equal(
	    crypt_sign_from_secret(&k, test_key.keyid, sk, sizeof sk, &cause),
	    0);
	assert_non_null(k.sk);
	assert_memory_equal(k.sk, test_key.sk, sizeof sk);
	assert_memory_equal(k.pk, test_key.pk, sizeof k.pk);
	assert_memory_equal(k.keyid, test_key.keyid, sizeof k.keyid);
	sig = crypt_sign_minisig_buffer(
	    &k, data_text, sizeof data_text - 1, "u", "from secret");
	prehash_of(ph, data_text, sizeof data_text - 1);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, strlen(sig), NULL), R_OK_);
	free(sig);
	crypt_sign_key_free(&k);
	assert_null(k.sk);

	/* The wrong size, and a public half that does not match the seed. */
	assert_int_equal(
	    crypt_sign_from_secret(&k, test_key.keyid, sk, 32, &cause), -1);
	assert_non_null(cause);
	assert_null(k.sk);
	free(cause);
	cause = NULL;
	sk[40] ^= 0x10;
	assert_int_equal(
	    crypt_sign_from_secret(&k, test_key.keyid, sk, sizeof sk, &cause),
	    -1);
	assert_non_null(cause);
	assert_null(k.sk);
	free(cause);
	memset(sk, 0, sizeof sk);
}

static void
test_comments_rejected(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES];
	struct crypt_sign_key pub = test_key;
	char *long_text, *sig, *trusted;

	(void)state;
	prehash_of(ph, data_text, sizeof data_text - 1);
	assert_null(crypt_sign_minisig(&test_key, ph, "a\nb", "t"));
	assert_null(crypt_sign_minisig(&test_key, ph, "a\rb", "t"));
	assert_null(crypt_sign_minisig(&test_key, ph, "u", "t\n"));
	assert_null(crypt_sign_minisig(&test_key, ph, "u", "\rt"));
	/* A public key cannot sign. */
	pub.sk = NULL;
	assert_null(crypt_sign_minisig(&pub, ph, "u", "t"));

	/* minisign's limits: 1003 and 8173 bytes. */
	long_text = xmalloc(8175);
	memset(long_text, 'x', 8174);
	long_text[8174] = '\0';
	assert_null(crypt_sign_minisig(&test_key, ph, "u", long_text));
	long_text[8173] = '\0';
	sig = crypt_sign_minisig(&test_key, ph, "u", long_text);
	assert_non_null(sig);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, strlen(sig), &trusted),
	    R_OK_);
	assert_string_equal(trusted, long_text);
	free(trusted);
	free(sig);
	long_text[1004] = '\0';
	assert_null(crypt_sign_minisig(&test_key, ph, long_text, "t"));
	long_text[1003] = '\0';
	sig = crypt_sign_minisig(&test_key, ph, long_text, "t");
	assert_non_null(sig);
	free(sig);
	free(long_text);
}

/* A .minisig with its trusted comment line replaced, re-signed. */
static char *
with_trusted_line(const char *sig, const char *line3)
{
	size_t s2, l2, s3, l3;

	s2 = line_at(sig, 1, &l2);
	s3 = line_at(sig, 3, &l3);
	return xasprintf("%.*s%s\n%.*s\n", (int)(s2 + l2 + 1), sig, line3,
	    (int)l3, sig + s3);
}

static void
test_structure(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES], keyid[8];
	char *sig, *text;
	size_t len, i;
	char *p, *q;

	(void)state;
	sig = sign_data("u", "t");
	len = strlen(sig);
	prehash_of(ph, data_text, sizeof data_text - 1);

	/* Every truncation, as an exactly sized buffer. */
	for (i = 0; i < len; i++) {
		assert_int_equal(
		    verify_exact(&test_key, ph, sig, i, NULL), R_FORMAT);
		text = xmalloc(i > 0 ? i : 1);
		memcpy(text, sig, i);
		assert_int_equal(crypt_sign_minisig_keyid(text, i, keyid), -1);
		free(text);
	}
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, NULL, 0, NULL), R_FORMAT);

	/* Anything after, CRLF line ends, a blank line. */
	text = xasprintf("%s\n", sig);
	assert_int_equal(
	    verify_exact(&test_key, ph, text, strlen(text), NULL), R_FORMAT);
	free(text);
	text = xasprintf("%sx", sig);
	assert_int_equal(
	    verify_exact(&test_key, ph, text, strlen(text), NULL), R_FORMAT);
	free(text);
	text = xmalloc(len + 1);
	memcpy(text, sig, len + 1);
	text[len - 1] = '\0'; /* a NUL where the last newline was */
	assert_int_equal(
	    verify_exact(&test_key, ph, text, len, NULL), R_FORMAT);
	free(text);
	text = xmalloc(2 * len);
	for (p = sig, q = text; *p != '\0'; p++) {
		if (*p == '\n')
			*q++ = '\r';
		*q++ = *p;
	}
	assert_int_equal(
	    verify_exact(&test_key, ph, text, (size_t)(q - text), NULL),
	    R_FORMAT);
	free(text);

	/* Trusted comment lines that are not: no prefix, NUL, CR, too long. */
	text = with_trusted_line(sig, "trusted comment:t");
	assert_int_equal(
	    verify_exact(&test_key, ph, text, strlen(text), NULL), R_FORMAT);
	free(text);
	text = with_trusted_line(sig, "trusted comment: t\r");
	assert_int_equal(
	    verify_exact(&test_key, ph, text, strlen(text), NULL), R_FORMAT);
	free(text);
	text = with_trusted_line(sig, "trusted comment: t");
	assert_int_equal(
	    verify_exact(&test_key, ph, text, strlen(text), NULL), R_OK_);
	p = strstr(text, "trusted comment: t") + 17;
	*p = '\0';
	assert_int_equal(verify_exact(&test_key, ph, text,
	                     strlen(text) + 1 + strlen(p + 1), NULL),
	    R_FORMAT);
	free(text);
	free(sig);
}

/*
 * No byte from 0x80 up is base64, anywhere in the two base64 lines (old
 * libsodium decodes them all as '/').
 */
static void
test_b64_high_bytes(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES];
	size_t s, len, i, siglen;
	char *sig, *b64, old;
	int line, c;

	(void)state;
	sig = sign_data("u", "t");
	siglen = strlen(sig);
	prehash_of(ph, data_text, sizeof data_text - 1);
	for (line = 1; line < 4; line += 2) {
		s = line_at(sig, line, &len);
		for (i = s; i < s + len; i++) {
			old = sig[i];
			for (c = 0x80; c < 0x100; c++) {
				sig[i] = (char)c;
				assert_int_equal(verify_exact(&test_key, ph,
				                     sig, siglen, NULL),
				    R_FORMAT);
			}
			sig[i] = old;
		}
	}
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, siglen, NULL), R_OK_);
	free(sig);

	b64 = crypt_sign_public_base64(&test_key);
	len = strlen(b64);
	for (i = 0; i < len; i++) {
		struct crypt_sign_key pub;
		char *cause = NULL;

		old = b64[i];
		b64[i] = (char)0xaf; /* '/' | 0x80 */
		assert_int_equal(
		    crypt_sign_public_parse(&pub, b64, len, &cause), -1);
		free(cause);
		b64[i] = old;
	}
	free(b64);
}

/* Big garbage is refused (how fast is the benchmarks' business). */
static void
test_garbage(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES], keyid[8];
	size_t big = 50u << 20, i, s3, l3;
	char *buf, *sig;

	(void)state;
	prehash_of(ph, data_text, sizeof data_text - 1);
	sig = sign_data("u", "t");
	buf = xmalloc(big);

	/* One long line; then lines everywhere; then base64 everywhere. */
	memset(buf, 'A', big);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, buf, big, NULL), R_FORMAT);
	assert_int_equal(crypt_sign_minisig_keyid(buf, big, keyid), -1);
	for (i = 0; i < big; i += 7)
		buf[i] = '\n';
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, buf, big, NULL), R_FORMAT);
	memset(buf, 'A', big);
	memcpy(buf, "untrusted comment: \n", 20);
	buf[big / 2] = '\n';
	buf[big / 2 + 1000] = '\n';
	buf[big - 1] = '\n';
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, buf, big, NULL), R_FORMAT);

	/* A real signature whose trusted comment is 50 MB. */
	s3 = line_at(sig, 2, &l3);
	memcpy(buf, sig, s3 + 17);
	memset(buf + s3 + 17, 'x', big - (s3 + 17));
	line_at(sig, 3, &l3);
	memcpy(buf + big - l3 - 2, sig + strlen(sig) - l3 - 2, l3 + 2);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, buf, big, NULL), R_FORMAT);
	free(buf);
	free(sig);
}

/* minisign verifies what we sign, by file and by -P, and only that. */
static void
test_minisign_verifies_ours(void **state)
{
	char *dir = tmp_dir(), *pubfile, *b64, *sig, *tc, *ltc, *luc;
	char data[sizeof data_text];

	(void)state;
	pubfile = crypt_sign_public_file(&test_key);
	b64 = crypt_sign_public_base64(&test_key);
	file_write(dir, "key.pub", pubfile, strlen(pubfile));
	file_write(dir, "data", data_text, sizeof data_text - 1);
	sig = sign_data("signature from anfang", "batch:b1\tseq:3\tcount:2");
	file_write(dir, "data.minisig", sig, strlen(sig));

	assert_int_equal(
	    minisign(dir, "-Vm", "data", "-p", "key.pub", NULL), 0);
	assert_true(
	    out_has(dir, "Trusted comment: batch:b1\tseq:3\tcount:2\n"));
	assert_int_equal(minisign(dir, "-Vm", "data", "-P", b64, NULL), 0);
	assert_true(
	    out_has(dir, "Trusted comment: batch:b1\tseq:3\tcount:2\n"));
	/* Prehashed, so it passes -H (no legacy signatures) too. */
	assert_int_equal(
	    minisign(dir, "-VHm", "data", "-p", "key.pub", NULL), 0);

	/* One changed byte of the data. */
	memcpy(data, data_text, sizeof data);
	data[5] ^= 0x01;
	file_write(dir, "data", data, sizeof data - 1);
	assert_int_not_equal(
	    minisign(dir, "-Vm", "data", "-p", "key.pub", NULL), 0);
	assert_int_not_equal(minisign(dir, "-Vm", "data", "-P", b64, NULL), 0);
	file_write(dir, "data", data_text, sizeof data_text - 1);

	/* One changed byte of the trusted comment. */
	tc = strstr(sig, "seq:3");
	tc[4] = '4';
	file_write(dir, "data.minisig", sig, strlen(sig));
	assert_int_not_equal(
	    minisign(dir, "-Vm", "data", "-p", "key.pub", NULL), 0);
	assert_true(out_has(dir, "Comment signature verification failed"));
	free(sig);

	/* The longest comments we make are still read by minisign. */
	ltc = xmalloc(8174);
	memset(ltc, 'y', 8173);
	ltc[8173] = '\0';
	luc = xmalloc(1004);
	memset(luc, 'z', 1003);
	luc[1003] = '\0';
	sig = crypt_sign_minisig_buffer(
	    &test_key, data_text, sizeof data_text - 1, luc, ltc);
	assert_non_null(sig);
	file_write(dir, "data.minisig", sig, strlen(sig));
	assert_int_equal(
	    minisign(dir, "-Vm", "data", "-p", "key.pub", NULL), 0);
	free(sig);
	free(ltc);
	free(luc);

	free(pubfile);
	free(b64);
	tmp_remove(dir);
}

/* We verify what minisign signs, and sign with minisign's secret key. */
static void
test_we_verify_minisigns(void **state)
{
	unsigned char ph[CRYPT_SIGN_PREHASH_BYTES], raw[200], keyid[8];
	char *dir = tmp_dir(), *pubtext, *sectext, *sig, *trusted = NULL;
	char *cause = NULL, hex[17], *line2, *ours;
	struct crypt_sign_key pub, sec;
	size_t len, n;
	const char *comment;

	(void)state;
	assert_int_equal(
	    minisign(dir, "-G", "-W", "-f", "-p", "pub", "-s", "sec", NULL), 0);
	file_write(dir, "data", data_text, sizeof data_text - 1);
	assert_int_equal(minisign(dir, "-Sm", "data", "-s", "sec", "-t",
	                     "trusted text", "-c", "from minisign", NULL),
	    0);

	pubtext = file_read(dir, "pub", &len);
	assert_int_equal(
	    crypt_sign_public_parse(&pub, pubtext, len, &cause), 0);
	/* Its comment names the same key id (0.11 prints it unpadded). */
	crypt_sign_keyid_hex(hex, pub.keyid);
	comment = "untrusted comment: minisign public key ";
	assert_true(strncmp(pubtext, comment, strlen(comment)) == 0);
	assert_true(strtoull(pubtext + strlen(comment), NULL, 16) ==
	            strtoull(hex, NULL, 16));

	sig = file_read(dir, "data.minisig", &len);
	prehash_of(ph, data_text, sizeof data_text - 1);
	assert_int_equal(verify_exact(&pub, ph, sig, len, &trusted), R_OK_);
	assert_string_equal(trusted, "trusted text");
	free(trusted);
	assert_int_equal(crypt_sign_minisig_keyid(sig, len, keyid), 0);
	assert_memory_equal(keyid, pub.keyid, sizeof keyid);
	assert_int_equal(
	    crypt_sign_verify(&test_key, ph, sig, len, NULL), R_KEYID);
	free(sig);

	/* minisign's default trusted comment, no -t. */
	assert_int_equal(minisign(dir, "-Sm", "data", "-s", "sec", NULL), 0);
	sig = file_read(dir, "data.minisig", &len);
	assert_int_equal(verify_exact(&pub, ph, sig, len, &trusted), R_OK_);
	assert_true(strncmp(trusted, "timestamp:", 10) == 0);
	assert_non_null(strstr(trusted, "\tfile:data\thashed"));
	free(trusted);
	free(sig);

	/* Legacy (-l, "Ed", not prehashed): minisign takes it, we do not. */
	assert_int_equal(
	    minisign(dir, "-Slm", "data", "-s", "sec", "-t", "legacy", NULL),
	    0);
	assert_int_equal(minisign(dir, "-Vm", "data", "-p", "pub", NULL), 0);
	sig = file_read(dir, "data.minisig", &len);
	assert_int_equal(verify_exact(&pub, ph, sig, len, NULL), R_FORMAT);
	assert_int_equal(crypt_sign_minisig_keyid(sig, len, keyid), -1);
	free(sig);

	/*
	 * Its unencrypted secret key: "Ed", kdf "\0\0", "B2", salt (32),
	 * opslimit (8), memlimit (8), key id (8), secret key (64), check (32).
	 */
	sectext = file_read(dir, "sec", &len);
	assert_non_null(line2 = strchr(sectext, '\n'));
	line2++;
	n = b64_decode(raw, sizeof raw, line2, strcspn(line2, "\r\n"));
	assert_int_equal(n, 158);
	assert_memory_equal(raw, "Ed\0\0B2", 6);
	assert_memory_equal(raw + 54, pub.keyid, 8);
	assert_int_equal(
	    crypt_sign_from_secret(&sec, raw + 54, raw + 62, 64, &cause), 0);
	memset(raw, 0, sizeof raw);
	assert_memory_equal(sec.pk, pub.pk, sizeof pub.pk);
	/* A secret key file is not a public key. */
	assert_int_equal(
	    crypt_sign_public_parse(&pub, sectext, len, &cause), -1);
	free(cause);
	free(sectext);

	ours = crypt_sign_minisig_buffer(
	    &sec, data_text, sizeof data_text - 1, "ours", "signed by anfang");
	file_write(dir, "data.minisig", ours, strlen(ours));
	assert_int_equal(minisign(dir, "-VHm", "data", "-p", "pub", NULL), 0);
	assert_true(out_has(dir, "Trusted comment: signed by anfang\n"));
	free(ours);
	crypt_sign_key_free(&sec);

	free(pubtext);
	tmp_remove(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyid_hex),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_prehash_streaming),
		cmocka_unit_test(test_tamper_every_byte),
		cmocka_unit_test(test_tamper_data),
		cmocka_unit_test(test_untrusted_comment_free),
		cmocka_unit_test(test_other_key),
		cmocka_unit_test(test_public_round_trip),
		cmocka_unit_test(test_public_bad),
		cmocka_unit_test(test_from_secret),
		cmocka_unit_test(test_comments_rejected),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_b64_high_bytes),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_minisign_verifies_ours),
		cmocka_unit_test(test_we_verify_minisigns),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
