/*
 * Batches: finalized visits leaving an inspector's database as a signed
 * JSON Lines file, and arriving at a supervisor's.  See anfang-batch(5).
 *
 *	line 1	header: format, version, batch id, signer key id, sequence,
 *		creation time, visit and form counts
 *	then	one line per form version used (its full text and hash)
 *	then	one line per visit
 *
 * The .minisig beside it is minisign's prehashed Ed25519 signature with
 * the trusted comment "anfang batch ID sequence N visits K".
 */
#ifndef ANFANG_BATCH_H
#define ANFANG_BATCH_H

#include <stddef.h>

#include "anfang/crypt-seal.h"
#include "anfang/crypt-sign.h"

struct store;
struct batch;

#define BATCH_FORMAT  "anfang-batch"
#define BATCH_VERSION 2 /* written; 1 and 2 are read */

/* What failed, one per check; the message says the details. */
enum batch_fail {
	BATCH_OK = 0,
	BATCH_EREAD,      /* unreadable, missing, too large */
	BATCH_ESEALED,    /* a sealed file that cannot be opened here */
	BATCH_ESIGNATURE, /* the file does not match its signature */
	BATCH_ETRUSTED,   /* the trusted comment does not match */
	BATCH_ESIGNER,    /* not a trusted key */
	BATCH_EFORMAT,    /* malformed content */
	BATCH_EFORM,      /* a form's text does not match its hash */
	BATCH_ESEQUENCE,  /* a gap, or an older batch replayed */
	BATCH_EDUPLICATE, /* this batch was received before */
};

struct batch_verdict {
	enum batch_fail fail;
	char *message; /* what failed, or NULL */
	char *id;
	char signer[17];
	char *label; /* the signer's keyring label, if known */
	long long sequence;
	long long visits;
};

/*
 * Sequence numbers taken in this run, per signer (for several batches):
 * only a batch that verified (verify) or was imported (import) goes in, so
 * that a failed batch leaves a gap behind it, not a step forward.
 */
struct batch_run {
	struct {
		char signer[17];
		long long last;
	} * v;
	size_t n;
};

/*
 * Where export writes: dir when it is a directory, or made (0700) when
 * only its last part is missing, never its parents, so that a removable
 * disk that is not mounted never becomes a folder on the local one.
 * -1 with *cause ("DIR: reason") otherwise.
 */
int batch_out_dir(const char *dir, char **cause);

/*
 * Write a batch of the named finalized visits (all finalized, not yet
 * exported ones when n is 0) into dir, sealed to seal_to when not NULL;
 * mark them exported.  *paths (caller frees) lists the files written.
 * Visits that would make a file larger than verify and import take go in
 * further batches, with the next sequence numbers.  Returns 0, 1 when
 * there was nothing to export, or with *cause -1 (storing or writing
 * failed) or BATCH_EXPORT_EDATA (a visit alone is too large for a batch).
 */
#define BATCH_EXPORT_EDATA (-2)
int batch_export(struct store *, const char *dir, char **ids, size_t n,
    const struct crypt_seal_key *seal_to, char ***paths, size_t *npaths,
    char **cause);
/* Write a sent batch's files again, byte for byte. */
int batch_export_again(struct store *, const char *id, const char *dir,
    const struct crypt_seal_key *seal_to, char ***paths, size_t *npaths,
    char **cause);

/*
 * Read a batch (FILE.jsonl with FILE.jsonl.minisig, or a sealed file,
 * opened with the store's box key) and check it: against key when given,
 * else against the store's keyring, and then, when run is not NULL, its
 * sequence as batch_sequence does.  Returns the batch for import when it
 * verified (caller frees), else NULL.
 */
struct batch *batch_verify(const char *path, struct store *,
    const struct crypt_sign_key *key, const struct batch_run *,
    struct batch_verdict *);
/*
 * A verified batch's place in its signer's sequence: not received before
 * (BATCH_EDUPLICATE), not older than the last received or taken in run
 * (replay), not beyond the next (gap).  0, or -1 with the verdict set.
 */
int batch_sequence(struct batch *, struct store *, const struct batch_run *,
    struct batch_verdict *);
/* Take a batch's sequence into run (after it verified or was imported). */
void batch_run_take(struct batch_run *, const struct batch_verdict *);
/*
 * Order verdicts for checking: those that failed first (as given), then by
 * signer and sequence, so that a batch comes after the one it follows
 * however the files were named.  order[] gets indexes into v.
 */
void batch_order(const struct batch_verdict *v, size_t n, size_t *order);
/*
 * Add a verified batch's visits to the store, all or none: 0, or with
 * *cause BATCH_IMPORT_EDATA when the batch's content is at fault, or
 * BATCH_IMPORT_EIO when storing failed (the database, the disk) or the
 * file went away.
 */
#define BATCH_IMPORT_EDATA (-1)
#define BATCH_IMPORT_EIO   (-2)
int batch_import(
    struct batch *, struct store *, size_t *imported, char **cause);
void batch_free(struct batch *);
void batch_verdict_clear(struct batch_verdict *);
void batch_run_clear(struct batch_run *);
/* The check that failed, in English (JSON says it so); _() translates it. */
const char *batch_fail_name(enum batch_fail);

#endif
