/* What the store*.c files share; nothing outside them includes this. */
#ifndef ANFANG_STORE_INT_H
#define ANFANG_STORE_INT_H

#define SQLITE_HAS_CODEC 1
#include <sqlite3.h>

#include "anfang/store.h"

struct store {
	sqlite3 *db;
	char *path;
	struct crypt_kdf kdf;
	struct crypt_mem *key;
	int depth; /* open savepoints */
};

/* Prepare; on failure NULL with *cause from SQLite. */
sqlite3_stmt *store_prepare(struct store *, const char *sql, char **cause);
/* Run a statement to completion; -1 with *cause. Finalizes it. */
int store_done(struct store *, sqlite3_stmt *, char **cause);
/* Run SQL without results; -1 with *cause. */
int store_exec(struct store *, const char *sql, char **cause);
/* *cause from the connection's last error, prefixed. */
void store_cause(struct store *, char **cause, const char *what);

#endif
