/*
 * The encrypted database (SQLCipher): opening and unlocking, schema and
 * migrations, passphrase changes, backups and the audit trail.  The
 * store*.c files are the only ones that include sqlite3.h.
 */
#ifndef ANFANG_STORE_H
#define ANFANG_STORE_H

#include <stdint.h>

#include "anfang/audit.h"
#include "anfang/crypt-kdf.h"
#include "anfang/crypt-mem.h"

struct store;

/*
 * Every store function that looks something up returns 1 found, 0 absent,
 * and -1 with *cause when the database cannot tell (an I/O error, a
 * damaged page, a busy lock that did not clear): an error is never
 * reported as "absent" or as fewer rows.  The others return 0 done or -1
 * with *cause.  Commands exit 74 on -1.
 */

/* What went wrong, for the exit code; the message is in *cause. */
enum store_err {
	STORE_OK = 0,
	STORE_EIO,     /* cannot read or write: 74 */
	STORE_EPASS,   /* wrong passphrase: 77 */
	STORE_ENOTDB,  /* not an anfang database: 65 */
	STORE_ENEWER,  /* made by a newer version: 65 */
	STORE_EEXISTS, /* refusing to overwrite: 73 */
	STORE_ENOENT,  /* no such database: 66 */
};

/* The schema this program writes (PRAGMA user_version). */
#define STORE_SCHEMA 8

/*
 * How to derive a stored visit's report rows (store_visit_derive) when a
 * database is upgraded to schema 5: the visit must be loaded, a received
 * one decoded from its line, which the store does not do itself (it does
 * not call the codec).  The program sets load_derive (load.h) before
 * opening anything; without it, a database holding final visits is not
 * upgraded (an error).
 */
void store_set_deriver(
    int (*derive)(struct store *, const char *visit, char **cause));

/* $XDG_DATA_HOME/anfang/anfang.db (or ~/.local/share/...). Caller frees. */
char *store_default_path(void);

/*
 * Create a new database, refusing to overwrite; its directory is made
 * 0700 if needed and the file is 0600.  fill (if not NULL) adds the first
 * content, such as keys; the file appears complete, under its name, or not
 * at all.
 */
enum store_err store_create(const char *path, const struct crypt_mem *pass,
    enum crypt_kdf_level, int (*fill)(struct store *, void *, char **),
    void *arg, struct store **, char **cause);
enum store_err store_open(const char *path, const struct crypt_mem *pass,
    struct store **, char **cause);
/*
 * Whether path can be a database, from its key header alone (no
 * passphrase): a directory, an unreadable file or one too short or
 * without the header is refused before anyone types a passphrase for it.
 */
enum store_err store_check(const char *path, char **cause);
/* Open with the derived key itself (tests and benchmarks: no KDF). */
enum store_err store_open_key(const char *path, const struct crypt_mem *key,
    struct store **, char **cause);
/*
 * Before (on) and after (off) one transaction that reads or writes many
 * visits (export, import): a bigger page cache, and a rollback journal in
 * place of WAL while no other connection has the database open.  Outside
 * any transaction.
 */
void store_bulk(struct store *, int on);
void store_close(struct store *);
const char *store_path(const struct store *);
const struct crypt_kdf *store_kdf(const struct store *);

/*
 * Re-encrypt under a new passphrase (same KDF limits unless level >= 0):
 * a new file is written beside the old one and renamed over it, so a
 * process killed at any point leaves a database that opens with the old
 * passphrase or the new one.  *s is reopened on the new file.
 */
enum store_err store_passwd(
    struct store **s, const struct crypt_mem *pass, int level, char **cause);
/* A consistent encrypted copy, openable with the same passphrase. */
enum store_err store_backup(struct store *, const char *dest, char **cause);

/* Transactions nest (as savepoints). */
int store_begin(struct store *, char **cause);
int store_commit(struct store *, char **cause);
void store_rollback(struct store *);

/* Append to a chain ("" for events outside visits). */
int store_audit(struct store *, const char *visit, const char *event,
    const char *detail, int64_t at, char **cause);
/*
 * Read a chain's rows back with the head and count recorded for it.  A
 * received visit's trail starts in the line it arrived in, which these
 * rows continue (see load.h).
 */
int store_audit_chain(struct store *, const char *visit, struct audit_chain *,
    unsigned char head[CRYPT_HASH_BYTES], int64_t *count, char **cause);
/*
 * A visit's own chain entry by entry, oldest first, without keeping it:
 * fn(arg, at, event, detail) for each row (the texts last until fn
 * returns); *last the hash of the last row (zero with none).  *count and
 * head are the chain's head (0 and zero when it has none); a damaged head
 * is an error, as for appending after it.
 */
int store_audit_walk(struct store *, const char *visit,
    void (*fn)(void *, int64_t, const char *, const char *), void *arg,
    unsigned char last[CRYPT_HASH_BYTES], int64_t *count,
    unsigned char head[CRYPT_HASH_BYTES], char **cause);
/*
 * A received visit's line as it arrived (store-batch.c): 1 with *line
 * (caller frees), 0 for a visit received before schema 3 (kept in rows),
 * or not received, -1 with *cause.
 */
int store_received_line(
    struct store *, const char *visit, char **line, size_t *len, char **cause);

#endif
