/* anfang init: a new encrypted database and its signing key. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/i18n.h"
#include "anfang/passphrase.h"
#include "anfang/store-key.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
init_help(void)
{
	printf(
	    _("Usage: anfang init [--db PATH] [--kdf interactive|moderate|"
	      "sensitive]\n"
	      "\n"
	      "Create an encrypted database and an Ed25519 signing key. The "
	      "passphrase\n"
	      "is asked twice on the terminal (or read once from "
	      "--passphrase-fd N)\n"
	      "and needs at least %d characters. --kdf "
	      "sets the cost of deriving the\n"
	      "key from it: moderate (default), sensitive (slower, stronger), "
	      "or\n"
	      "interactive (fast; for tests and benchmarks). The choice is "
	      "stored in\n"
	      "the database file. With --db PATH (or $ANFANG_DB), the "
	      "directory of\n"
	      "PATH must exist. An existing database is never overwritten.\n"),
	    PASSPHRASE_MIN);
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

/*
 * A database named with --db or $ANFANG_DB goes only into a directory
 * that exists: a mistyped path, or a removable disk not mounted, must not
 * quietly grow a tree elsewhere to hold it.  The default place
 * ($XDG_DATA_HOME/anfang) is created as the XDG base directory rules say.
 */
static int
init_parent(const struct cmd_ctx *ctx, const char *path)
{
	struct stat st;
	char *dir, *slash;
	int rc = 0;

	if (ctx->db == NULL || *ctx->db == '\0')
		return 0;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		return 0;
	}
	slash[slash == dir] = '\0'; /* "/x.db" is in "/" */
	if (stat(dir, &st) != 0) {
		cmd_error(_("%s: %s (the database's directory must exist)"),
		    dir, strerror(errno));
		rc = -1;
	} else if (!S_ISDIR(st.st_mode)) {
		cmd_error(_("%s: not a directory"), dir);
		rc = -1;
	}
	free(dir);
	return rc;
}

static int
init_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum crypt_kdf_level level = CRYPT_KDF_MODERATE;
	struct init_state st;
	struct crypt_mem *pass;
	struct store *s;
	enum store_err err;
	char *path, *prompt, *cause = NULL;
	int i, lvl;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--kdf") == 0 && i + 1 < argc) {
			if ((lvl = cmd_kdf(argv[++i])) < 0)
				return CMD_USAGE;
			level = (enum crypt_kdf_level)lvl;
		} else {
			cmd_error(_("init: unexpected \"%s\""), argv[i]);
			return CMD_USAGE;
		}
	}
	path = cmd_db_path(ctx);
	if (cmd_exists(path)) {
		cmd_error(_("%s already exists: not overwritten"), path);
		free(path);
		return CMD_CANTCREAT;
	}
	if (init_parent(ctx, path) != 0) {
		free(path);
		return CMD_CANTCREAT;
	}
	prompt = passphrase_new_prompt();
	pass =
	    passphrase_read(ctx->passphrase_fd, prompt, _("Again: "), &cause);
	free(prompt);
	if (pass != NULL && passphrase_check_new(pass, &cause) != 0) {
		crypt_mem_free(pass);
		pass = NULL;
		passphrase_release();
	}
	if (pass == NULL) {
		cmd_error("%s", cause);
		free(cause);
		free(path);
		return CMD_USAGE;
	}
	memset(&st, 0, sizeof st);
	cmd_busy(_("creating"));
	err = store_create(path, pass, level, init_fill, &st, &s, &cause);
	cmd_busy(NULL);
	passphrase_release();
	crypt_mem_free(pass);
	if (err != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		free(path);
		return cmd_store_exit(err);
	}
	printf(_("created %s (%s)\nsigning key id %s\n"), path,
	    crypt_kdf_describe(store_kdf(s)), st.keyid);
	store_close(s);
	free(path);
	return CMD_OK;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "[--kdf interactive|moderate|sensitive]",
	.summary = N_("create an encrypted database and a signing key"),
	.exec = init_exec,
	.help = init_help,
};
