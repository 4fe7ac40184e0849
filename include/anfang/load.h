/*
 * A visit and its audit trail as the rest of the program sees them: the
 * store's rows, and for a received visit the line it arrived in, decoded
 * by the JSON codec.  Here so that the store does not call the codec.
 */
#ifndef ANFANG_LOAD_H
#define ANFANG_LOAD_H

#include <stdint.h>

#include "anfang/audit.h"
#include "anfang/crypt-hash.h"
#include "anfang/store.h"
#include "anfang/visit.h"

/*
 * Load by id or a unique prefix of it (caller frees with visit_free): 1
 * found, 0 no such visit or more than one (*cause says which), -1 with
 * *cause when the database cannot be read or a received line is not what
 * it was.
 */
int load_visit_find(
    struct store *, const char *id, struct visit **, char **cause);
/* The same, 0 found and -1 otherwise (*cause says why). */
int load_visit(struct store *, const char *id, struct visit **, char **cause);
/*
 * Load visit id and store what reports read of it (store_visit_derive):
 * how the store upgrades to schema 5 (store_set_deriver).
 */
int load_derive(struct store *, const char *id, char **cause);
/*
 * A visit's whole trail (a received visit's from its line, then the rows
 * added here) with the head and count recorded for it.
 */
int load_chain(struct store *, const char *visit, struct audit_chain *,
    unsigned char head[CRYPT_HASH_BYTES], int64_t *count, char **cause);

#endif
