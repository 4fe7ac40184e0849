/*
 * db-sql: run SQL on a database behind anfang's back, with the key its
 * passphrase gives, for tests that make the store fail underneath a
 * running program (a trigger that aborts a write), or that need to know
 * where something lies in the file (a table's first page).
 *
 *   db-sql DB SQL
 *
 * The passphrase is read from standard input.  Rows a query gives are
 * printed one a line, columns joined by "|".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SQLITE_HAS_CODEC 1
#include <sqlite3.h>

#include "anfang/crypt-kdf.h"
#include "anfang/crypt-mem.h"
#include "anfang/crypt.h"
#include "anfang/passphrase.h"

static int
print_row(void *arg, int n, char **values, char **names)
{
	int i;

	(void)arg;
	(void)names;
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "|" : "", values[i] ? values[i] : "");
	putchar('\n');
	return 0;
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "db-sql: %s: %s\n", what, why);
	exit(1);
}

int
main(int argc, char **argv)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char h[CRYPT_KDF_HEADER_BYTES];
	char text[3 + 2 * CRYPT_KDF_KEY_BYTES + 1], *cause = NULL, *err = NULL;
	struct crypt_mem *pass, *key;
	struct crypt_kdf kdf;
	sqlite3 *db = NULL;
	size_t i, k = 0;
	int fd;

	if (argc != 3)
		die("usage", "db-sql DB SQL");
	if (crypt_init(&cause) != 0)
		die("libsodium", cause);
	if ((pass = passphrase_read(0, "", NULL, &cause)) == NULL)
		die("passphrase", cause);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || read(fd, h, sizeof h) != (ssize_t)sizeof h)
		die(argv[1], "cannot read its header");
	close(fd);
	if (crypt_kdf_parse(&kdf, h, &cause) != 0 ||
	    (key = crypt_kdf_derive(&kdf, pass, &cause)) == NULL)
		die("key", cause);
	crypt_mem_free(pass);
	text[k++] = 'x';
	text[k++] = '\'';
	for (i = 0; i < key->len; i++) {
		text[k++] = hex[key->p[i] >> 4];
		text[k++] = hex[key->p[i] & 15];
	}
	text[k++] = '\'';
	crypt_mem_free(key);
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) !=
	        SQLITE_OK ||
	    sqlite3_key_v2(db, "main", text, (int)k) != SQLITE_OK)
		die(argv[1], sqlite3_errmsg(db));
	memset(text, 0, sizeof text);
	/* the store's settings (4.x needs the first; 3.4 ignores it) */
	if (sqlite3_exec(db,
	        "PRAGMA cipher_compatibility = 3;"
	        "PRAGMA cipher_page_size = 1024;"
	        "PRAGMA busy_timeout = 5000",
	        NULL, NULL, &err) != SQLITE_OK ||
	    sqlite3_exec(db, argv[2], print_row, NULL, &err) != SQLITE_OK)
		die(argv[2], err ? err : sqlite3_errmsg(db));
	sqlite3_close(db);
	return 0;
}
