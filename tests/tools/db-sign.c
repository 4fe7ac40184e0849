/*
 * db-sign: sign a file with a database's key, the way `anfang export` will,
 * so that tests can check the signature with the stock minisign tool.
 *
 *   db-sign DB FILE [TRUSTED-COMMENT]
 *
 * The passphrase is read from standard input.  Writes FILE.minisig with the
 * untrusted comment "signature from anfang" and the trusted comment given
 * (default "trusted comment text").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/crypt-sign.h"
#include "anfang/crypt.h"
#include "anfang/load.h"
#include "anfang/passphrase.h"
#include "anfang/store-key.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "db-sign: %s: %s\n", what, why);
	exit(1);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n;

	if (f == NULL)
		die(path, "cannot open");
	*len = 0;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	if (ferror(f))
		die(path, "cannot read");
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	const char *trusted = "trusted comment text";
	struct crypt_sign_key k;
	struct crypt_mem *pass;
	struct store *s;
	unsigned char *data;
	char *cause = NULL, *sig, *out;
	size_t len;
	FILE *f;

	if (argc < 3 || argc > 4)
		die("usage", "db-sign DB FILE [TRUSTED-COMMENT]");
	if (argc == 4)
		trusted = argv[3];
	if (crypt_init(&cause) != 0)
		die("libsodium", cause);
	store_set_deriver(load_derive);
	if ((pass = passphrase_read(0, "", NULL, &cause)) == NULL)
		die("passphrase", cause);
	if (store_open(argv[1], pass, &s, &cause) != STORE_OK)
		die(argv[1], cause);
	crypt_mem_free(pass);
	if (store_key_get_sign(s, &k, 1, &cause) != 1)
		die(argv[1], cause != NULL ? cause : "no signing key");
	store_close(s);

	data = slurp(argv[2], &len);
	sig = crypt_sign_minisig_buffer(
	    &k, data, len, "signature from anfang", trusted);
	crypt_sign_key_free(&k);
	if (sig == NULL)
		die(argv[2], "cannot sign (bad comment?)");
	out = xasprintf("%s.minisig", argv[2]);
	if ((f = fopen(out, "wx")) == NULL)
		die(out, "cannot create (exists?)");
	if (fputs(sig, f) == EOF || fclose(f) != 0)
		die(out, "cannot write");
	free(out);
	free(sig);
	free(data);
	return 0;
}
