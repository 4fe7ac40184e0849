/* What the store*.c files share; nothing outside them includes this. */
#ifndef ANFANG_STORE_INT_H
#define ANFANG_STORE_INT_H

#define SQLITE_HAS_CODEC 1
#include <sqlite3.h>

#include "anfang/store.h"
#include "anfang/value.h"

/* Above the number of SQL texts the store*.c files prepare (about 60). */
#define STORE_CACHE 128
/* How long a connection waits for another process's lock. */
#define STORE_BUSY_MS 10000

struct store {
	sqlite3 *db;
	/* Prepared statements, by the address of their SQL text. */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[STORE_CACHE];
	char *path;
	struct crypt_kdf kdf;
	struct crypt_mem *key;
	int depth;   /* open savepoints */
	int lock_fd; /* a shared flock while open: passwd needs it alone */
	/* Stored forms already read, so that each is parsed once. */
	struct form **forms;
	size_t nforms;
};

/*
 * A prepared statement for sql, which must be a string literal: it is
 * prepared once and kept.  NULL with *cause from SQLite.  Give it back
 * with store_release (or store_done) when finished with it.
 */
sqlite3_stmt *store_prepare(struct store *, const char *sql, char **cause);
void store_release(sqlite3_stmt *);
/*
 * The one way to step a statement: 1 a row, 0 no more rows, -1 with
 * *cause ("database: ..." from SQLite).  An error is never taken for the
 * end of the rows: a damaged page must not read as missing answers.
 */
int store_step(struct store *, sqlite3_stmt *, char **cause);
/* Run a statement to completion, then release it; -1 with *cause. */
int store_done(struct store *, sqlite3_stmt *, char **cause);
/* Whether a bound query finds a row (1) or not (0), then release it; -1
 * with *cause (what failed: what) when it cannot tell. */
int store_found(struct store *, sqlite3_stmt *, const char *what, char **cause);
/* Run SQL without results; -1 with *cause. */
int store_exec(struct store *, const char *sql, char **cause);
/* *cause from the connection's last error, prefixed. */
void store_cause(struct store *, char **cause, const char *what);

/* A value stored as (kind, num, txt) from column col on (store-visit.c). */
void store_visit_column_value(sqlite3_stmt *, int col, struct value *);
/* The row of free texts (k's) of a visit's report row, when it has any
 * (store-visit.c). */
struct store_pack;
int store_visit_put_texts(struct store *, const char *family,
    sqlite3_int64 took, const char *id, const struct store_pack *k,
    char **cause);

/*
 * store_audit without a savepoint of its own, for a caller whose
 * transaction is rolled back whole if this fails (export marks each visit
 * it writes: a savepoint each is a tenth of the export's time).
 */
int store_audit_append(struct store *, const char *visit, const char *event,
    const char *detail, int64_t at, char **cause);
/* store_audit_append after a head the caller has read (n entries, the
 * last's hash prev; 0 and zero for a new chain). */
int store_audit_append_after(struct store *, const char *visit,
    const char *event, const char *detail, int64_t at, int64_t n,
    const unsigned char prev[CRYPT_HASH_BYTES], char **cause);
/* An audit row as it is, and a chain's head (store-audit.c). */
int store_audit_put(struct store *, const struct audit_entry *, char **cause);
int store_audit_head(struct store *, const char *visit, int64_t n,
    const unsigned char hash[CRYPT_HASH_BYTES], int fresh, char **cause);

#endif
