/*
 * Batches in the database: those sent (with their exact bytes), the
 * keyring of trusted inspectors' keys, and those received (each signer's
 * sequence).
 */
#ifndef ANFANG_STORE_BATCH_H
#define ANFANG_STORE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/audit.h"
#include "anfang/store.h"
#include "anfang/visit.h"

/* The sequence number the next batch from this database takes. */
int store_batch_next(struct store *, long long *seq, char **cause);
/*
 * A batch being sent, inside a transaction the caller holds: its row
 * first, then its bytes in parts numbered in file order (any sizes; the
 * caller keeps each to a few MiB), then its visit count, file hash and
 * signature.
 */
int store_batch_begin(struct store *, const char *id, long long seq,
    int64_t created, char **cause);
int store_batch_part(struct store *, const char *id, long long n,
    const void *data, size_t len, char **cause);
int store_batch_done(struct store *, const char *id, size_t visits,
    const char *file_hash, const char *sig, char **cause);
/* Whether batch id was sent from here: 1 yes, 0 no, without its bytes. */
int store_batch_sent(struct store *, const char *id, char **cause);
/* A sent batch's length and signature (caller frees): 1 found, 0 no such
 * batch. */
int store_batch_get(
    struct store *, const char *id, size_t *len, char **sig, char **cause);
/*
 * A sent batch's bytes to fn, a part at a time, in order, so that memory
 * holds one part: 0, or -1 with *cause (fn's own when it returned
 * non-zero).
 */
int store_batch_read(struct store *, const char *id,
    int (*fn)(void *, const void *, size_t, char **), void *arg, char **cause);
/* The visit went out in batch id: its status and audit trail say so;
 * inside a transaction the caller holds, and rolls back whole on failure. */
int store_batch_mark(struct store *, const char *visit, const char *batch,
    int64_t at, char **cause);
/* The same after the head of its trail that the caller read in this
 * transaction (store_audit_walk: n entries, the last's hash head). */
int store_batch_mark_after(struct store *, const char *visit, const char *batch,
    int64_t at, int64_t n, const unsigned char head[CRYPT_HASH_BYTES],
    char **cause);

struct store_keyring_row {
	const char *keyid;
	const char *label;
	const unsigned char *pk;
	int64_t added;
};

int store_keyring_add(struct store *, const char *keyid, const char *label,
    const unsigned char pk[32], int64_t at, char **cause);
/* 1 removed, 0 there was no such key. */
int store_keyring_remove(struct store *, const char *keyid, char **cause);
int store_keyring_list(struct store *,
    int (*fn)(void *, const struct store_keyring_row *), void *arg,
    char **cause);
/* 1 found (label: caller frees), 0 not in the keyring. */
int store_keyring_get(struct store *, const char *keyid, unsigned char pk[32],
    char **label, char **cause);

/* The highest sequence received from signer (0 for none). */
int store_received_last(
    struct store *, const char *signer, long long *seq, char **cause);
/* Whether batch id was received: 1 yes, 0 no. */
int store_received_has(struct store *, const char *id, char **cause);
int store_received_add(struct store *, const char *id, const char *signer,
    long long seq, size_t visits, const char *file_hash, int64_t at,
    char **cause);

/*
 * A received visit, inside a transaction the caller holds: its summary
 * row, the checked line it came in (answers, reasons, amendments and the
 * audit trail c it holds, kept verbatim so that the chain stays
 * checkable), and a local "received" entry on the end of that trail.
 * The visit's status must be VISIT_RECEIVED.
 */
int store_visit_receive(struct store *, const struct visit *, const char *line,
    size_t len, const struct audit_chain *c, const char *batch,
    const char *origin, int64_t at, char **cause);
/* Whether a visit with this id exists: 1 yes, 0 no. */
int store_visit_exists(struct store *, const char *id, char **cause);
/*
 * Whose visit id is: 1 found, with signer the key id that sent it ("" for
 * one of this database's own, "?" when a received visit does not say); 0
 * no such visit; -1 with *cause.
 */
int store_visit_signer(
    struct store *, const char *id, char signer[17], char **cause);
/*
 * Forget a received visit (its row, its line and the entries of its trail
 * kept here), inside a transaction the caller holds, before its later copy
 * is stored with store_visit_receive.
 */
int store_visit_unreceive(struct store *, const char *id, char **cause);

#endif
