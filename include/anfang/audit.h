/*
 * The audit trail: every change is an entry holding the hash of the entry
 * before it, so that an entry removed, reordered or edited shows.  Each
 * visit has its own chain (so a visit's trail travels with it in a batch
 * and can be checked there); events outside any visit have the chain "".
 *
 *	hash = BLAKE2b-256(prev || u64le n || u64le at ||
 *			   u32le len || visit || u32le len || event ||
 *			   u32le len || detail)
 *
 * n counts from 1 within a chain; the first entry's prev is all zeros.
 */
#ifndef ANFANG_AUDIT_H
#define ANFANG_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/crypt-hash.h"

struct audit_entry {
	int64_t n;
	int64_t at; /* ms since the epoch */
	char *visit;
	char *event;
	char *detail;
	unsigned char prev[CRYPT_HASH_BYTES];
	unsigned char hash[CRYPT_HASH_BYTES];
};

struct audit_chain {
	struct audit_entry *v;
	size_t n;
	/* Built here from bare entries, each hashed and linked to the one
	 * before, the last coming out as the head it was given: audit_verify
	 * would find nothing more (a batch line of format 2 is hashed once). */
	int sound;
};

/* Fill e->hash from the other fields. */
void audit_hash(struct audit_entry *e);
/*
 * Check a chain read back in order against the head (hash of the last
 * entry) and count recorded with it.  Returns 0 when intact; otherwise -1
 * with *cause naming the first broken entry.
 */
int audit_verify(const struct audit_chain *, const unsigned char *head,
    int64_t count, char **cause);
void audit_chain_add(struct audit_chain *, const struct audit_entry *);
void audit_chain_free(struct audit_chain *);

#endif
