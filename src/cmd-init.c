/* anfang init: a new encrypted database and its signing key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/passphrase.h"
#include "anfang/store-key.h"
#include "anfang/store.h"

static void
init_help(void)
{
	puts("Usage: anfang init [--db PATH] [--kdf interactive|moderate|"
	     "sensitive]\n"
	     "\n"
	     "Create an encrypted database and an Ed25519 signing key. The "
	     "passphrase\n"
	     "is asked twice on the terminal (or read once from "
	     "--passphrase-fd N).\n"
	     "--kdf sets the cost of deriving the key from it: moderate "
	     "(default),\n"
	     "sensitive (slower, stronger), or interactive (fast; for tests "
	     "and\n"
	     "benchmarks). The choice is stored in the database file.\n"
	     "An existing database is never overwritten.");
}

struct init_state {
	char keyid[17];
};

/* The signing key goes in before the file gets its name. */
static int
init_fill(struct store *s, void *arg, char **cause)
{
	struct init_state *st = arg;

	return store_key_create_sign(s, st->keyid, cause);
}

static int
init_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum crypt_kdf_level level = CRYPT_KDF_MODERATE;
	struct init_state st;
	struct crypt_mem *pass;
	struct store *s;
	enum store_err err;
	char *path, *cause = NULL;
	int i, lvl;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--kdf") == 0 && i + 1 < argc) {
			if ((lvl = cmd_kdf(argv[++i])) < 0)
				return CMD_USAGE;
			level = (enum crypt_kdf_level)lvl;
		} else {
			cmd_error("init: unexpected \"%s\"", argv[i]);
			return CMD_USAGE;
		}
	}
	path = cmd_db_path(ctx);
	if (cmd_exists(path)) {
		cmd_error("%s already exists: not overwritten", path);
		free(path);
		return CMD_CANTCREAT;
	}
	pass = passphrase_read(
	    ctx->passphrase_fd, "New passphrase: ", "Again: ", &cause);
	if (pass == NULL) {
		cmd_error("%s", cause);
		free(cause);
		free(path);
		return CMD_USAGE;
	}
	memset(&st, 0, sizeof st);
	err = store_create(path, pass, level, init_fill, &st, &s, &cause);
	crypt_mem_free(pass);
	if (err != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		free(path);
		return cmd_store_exit(err);
	}
	printf("created %s (%s)\nsigning key id %s\n", path,
	    crypt_kdf_describe(store_kdf(s)), st.keyid);
	store_close(s);
	free(path);
	return CMD_OK;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "[--kdf interactive|moderate|sensitive]",
	.summary = "create an encrypted database and a signing key",
	.exec = init_exec,
	.help = init_help,
};
