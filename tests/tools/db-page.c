/*
 * db-page: the first page of a table in a database, for tests that damage
 * one page of the file on purpose.
 *
 *   db-page DB TABLE
 *
 * The passphrase is read from standard input.  Prints the page number
 * (1-based; the page starts at (N - 1) * 1024 bytes).  It reads the file
 * with the raw key, behind the store's back, as an attacker holding the key
 * would; it changes nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SQLITE_HAS_CODEC 1
#include <sqlite3.h>

#include "anfang/crypt-kdf.h"
#include "anfang/crypt.h"
#include "anfang/passphrase.h"
#include "anfang/xmalloc.h"

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "db-page: %s: %s\n", what, why);
	exit(1);
}

int
main(int argc, char **argv)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char h[CRYPT_KDF_HEADER_BYTES];
	char text[3 + 2 * CRYPT_KDF_KEY_BYTES + 1], *cause = NULL;
	struct crypt_mem *pass, *key;
	struct crypt_kdf kdf;
	sqlite3_stmt *st;
	sqlite3 *db;
	size_t i, k = 0;
	int fd;

	if (argc != 3)
		die("usage", "db-page DB TABLE");
	if (crypt_init(&cause) != 0)
		die("libsodium", cause);
	if ((fd = open(argv[1], O_RDONLY)) < 0 ||
	    read(fd, h, sizeof h) != (ssize_t)sizeof h)
		die(argv[1], "cannot read its header");
	close(fd);
	if ((pass = passphrase_read(0, "", NULL, &cause)) == NULL)
		die("passphrase", cause);
	if (crypt_kdf_parse(&kdf, h, &cause) != 0 ||
	    (key = crypt_kdf_derive(&kdf, pass, &cause)) == NULL)
		die("key", cause);
	text[k++] = 'x';
	text[k++] = '\'';
	for (i = 0; i < key->len; i++) {
		text[k++] = hex[key->p[i] >> 4];
		text[k++] = hex[key->p[i] & 15];
	}
	text[k++] = '\'';
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) !=
	        SQLITE_OK ||
	    sqlite3_key_v2(db, "main", text, (int)k) != SQLITE_OK)
		die(argv[1], "cannot open");
	/* the store's settings (4.x needs the first; 3.4 ignores it) */
	sqlite3_exec(db, "PRAGMA cipher_compatibility = 3", NULL, NULL, NULL);
	sqlite3_exec(db, "PRAGMA cipher_page_size = 1024", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db,
	        "SELECT rootpage FROM sqlite_master WHERE name = ?", -1, &st,
	        NULL) != SQLITE_OK)
		die(argv[1], sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, argv[2], -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		die(argv[2], "no such table");
	printf("%d\n", sqlite3_column_int(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	crypt_mem_free(key);
	crypt_mem_free(pass);
	return 0;
}
