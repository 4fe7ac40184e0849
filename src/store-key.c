/* The signing key pair, stored only inside the encrypted database. */
#include <stdlib.h>
#include <string.h>

#include "anfang/clock.h"
#include "anfang/i18n.h"
#include "anfang/store-key.h"
#include "anfang/xmalloc.h"
#include "store-int.h"

int
store_key_put_sign(
    struct store *s, const struct crypt_sign_key *k, char **cause)
{
	sqlite3_stmt *st;

	st = store_prepare(s,
	    "INSERT INTO keys (name, keyid, pk, sk) VALUES ('sign', ?, ?, ?)",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, k->keyid, sizeof k->keyid, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, k->pk, sizeof k->pk, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, k->sk, CRYPT_SIGN_SECRET_BYTES, SQLITE_STATIC);
	return store_done(s, st, cause);
}

int
store_key_get_sign(
    struct store *s, struct crypt_sign_key *k, int secret, char **cause)
{
	sqlite3_stmt *st;
	int rc = -1;

	memset(k, 0, sizeof *k);
	st = store_prepare(
	    s, "SELECT keyid, pk, sk FROM keys WHERE name = 'sign'", cause);
	if (st == NULL)
		return -1;
	if ((rc = store_step(s, st, cause)) <= 0)
		goto out;
	if (sqlite3_column_bytes(st, 0) != CRYPT_SIGN_KEYID_BYTES ||
	    sqlite3_column_bytes(st, 1) != CRYPT_SIGN_PUBLIC_BYTES) {
		*cause = xstrdup(_("this database's signing key is damaged"));
		rc = -1;
		goto out;
	}
	memcpy(k->keyid, sqlite3_column_blob(st, 0), CRYPT_SIGN_KEYID_BYTES);
	memcpy(k->pk, sqlite3_column_blob(st, 1), CRYPT_SIGN_PUBLIC_BYTES);
	if (secret) {
		/* from_secret starts by clearing k: keep the id apart */
		unsigned char kid[CRYPT_SIGN_KEYID_BYTES];

		memcpy(kid, k->keyid, sizeof kid);
		if (crypt_sign_from_secret(k, kid, sqlite3_column_blob(st, 2),
		        (size_t)sqlite3_column_bytes(st, 2), cause) != 0)
			rc = -1;
	}
out:
	/* SQLite's copy of the row is encrypted on disk but not in its
	 * page cache; finalizing lets it go. */
	store_release(st);
	return rc;
}

int
store_key_create_sign(struct store *s, char out[17], char **cause)
{
	struct crypt_sign_key k;
	char *detail;
	int rc = -1;

	memset(&k, 0, sizeof k);
	if (crypt_sign_generate(&k, cause) != 0)
		return -1;
	crypt_sign_keyid_hex(out, k.keyid);
	if (store_key_put_sign(s, &k, cause) == 0) {
		detail = xasprintf("signing key %s, %s", out,
		    crypt_kdf_describe(store_kdf(s)));
		rc = store_audit(
		    s, "", "database created", detail, clock_now(), cause);
		free(detail);
	}
	crypt_sign_key_free(&k);
	return rc;
}

int
store_key_get_box(
    struct store *s, struct crypt_seal_key *k, int create, char **cause)
{
	sqlite3_stmt *st;
	char hex[17], *detail;
	int rc = -1, found;

	memset(k, 0, sizeof *k);
	/* Made once, with its audit entry: the look and the making in one
	 * transaction, under the write lock. */
	if (create && store_begin(s, cause) != 0)
		return -1;
	st = store_prepare(
	    s, "SELECT keyid, sk FROM keys WHERE name = 'box'", cause);
	if (st == NULL)
		goto fail;
	if ((found = store_step(s, st, cause)) < 0) {
		store_release(st);
		goto fail;
	}
	found = found && sqlite3_column_bytes(st, 0) == CRYPT_SEAL_KEYID_BYTES;
	if (found)
		rc = crypt_seal_from_secret(k, sqlite3_column_blob(st, 0),
		    sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1), cause);
	store_release(st);
	if (found) {
		if (create)
			store_rollback(s); /* nothing was written */
		return rc;
	}
	if (!create) {
		*cause = xstrdup(_("this database has no box key (anfang key "
		                   "show --box makes one)"));
		return -1;
	}
	if (crypt_seal_generate(k, cause) != 0)
		goto fail;
	st = store_prepare(s,
	    "INSERT INTO keys (name, keyid, pk, sk) VALUES ('box', ?, ?, ?)",
	    cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_blob(
	    st, 1, k->keyid, CRYPT_SEAL_KEYID_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, k->pk, CRYPT_SEAL_PUBLIC_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, k->sk, CRYPT_SEAL_SECRET_BYTES, SQLITE_STATIC);
	if (store_done(s, st, cause) != 0)
		goto fail;
	crypt_seal_keyid_hex(hex, k->keyid);
	detail = xasprintf("box key %s", hex);
	rc = store_audit(s, "", "box key created", detail, clock_now(), cause);
	free(detail);
	if (rc != 0)
		goto fail;
	if (store_commit(s, cause) != 0) {
		crypt_seal_key_free(k);
		return -1;
	}
	return 0;
fail:
	if (create)
		store_rollback(s);
	crypt_seal_key_free(k);
	return -1;
}
