/* Keys kept inside the encrypted database. */
#ifndef ANFANG_STORE_KEY_H
#define ANFANG_STORE_KEY_H

#include "anfang/crypt-seal.h"
#include "anfang/crypt-sign.h"
#include "anfang/store.h"

/*
 * Make this database's signing key pair and record it in the audit trail
 * (for a new database); out gets the key id in hex.
 */
int store_key_create_sign(struct store *, char out[17], char **cause);
/* This database's signing key pair ("sign"). */
int store_key_put_sign(
    struct store *, const struct crypt_sign_key *, char **cause);
/*
 * This database's signing key: 1 found, 0 when it has none (*cause not
 * set), -1 with *cause when it cannot be read.  With secret 0 only the
 * public part is read (sk stays NULL).
 */
int store_key_get_sign(
    struct store *, struct crypt_sign_key *, int secret, char **cause);

/*
 * This database's box key pair ("box"), for batches sealed to it; made on
 * first use when create.  With create 0 and no key: -1 with *cause.
 */
int store_key_get_box(
    struct store *, struct crypt_seal_key *, int create, char **cause);

#endif
