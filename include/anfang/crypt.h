/*
 * The crypto modules (crypt-*.c) are the only place that includes sodium.h.
 * They are named crypt_ rather than crypto_ to stay clear of libsodium's
 * own crypto_* names.
 */
#ifndef ANFANG_CRYPT_H
#define ANFANG_CRYPT_H

/* Initialise libsodium once; -1 with *cause on failure. */
int crypt_init(char **cause);

#endif
