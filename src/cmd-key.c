/* anfang key show: this database's public signing key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/crypt-sign.h"
#include "anfang/i18n.h"
#include "anfang/store-key.h"
#include "anfang/store.h"

static void
key_help(void)
{
	puts(_("Usage: anfang key show [--box] [--db PATH]\n"
	       "\n"
	       "Print this database's public signing key in minisign's format, "
	       "for\n"
	       "supervisors' keyrings (anfang keyring add) or for minisign -V "
	       "-p FILE.\n"
	       "--box prints the box key that inspectors seal batches to "
	       "(export --seal),\n"
	       "making it on first use."));
}

static int
key_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct crypt_sign_key k;
	struct store *s;
	char *cause = NULL, *text;
	int rc;

	if (argc < 2 || argc > 3 || strcmp(argv[1], "show") != 0 ||
	    (argc == 3 && strcmp(argv[2], "--box") != 0)) {
		return cmd_usage("key", "show [--box]");
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	if (argc == 3) {
		struct crypt_seal_key box;

		if (store_key_get_box(s, &box, 1, &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			store_close(s);
			return CMD_IOERR;
		}
		text = crypt_seal_public_file(&box);
		fputs(text, stdout);
		free(text);
		crypt_seal_key_free(&box);
		store_close(s);
		return CMD_OK;
	}
	if ((rc = store_key_get_sign(s, &k, 0, &cause)) != 1) {
		cmd_error("%s",
		    rc == 0 ? _("this database has no signing key") : cause);
		free(cause);
		store_close(s);
		return rc == 0 ? CMD_DATAERR : CMD_IOERR;
	}
	text = crypt_sign_public_file(&k);
	fputs(text, stdout);
	free(text);
	store_close(s);
	return CMD_OK;
}

const struct cmd_entry cmd_key_entry = {
	.name = "key",
	.usage = "show [--box]",
	.summary = N_("this database's public signing key (minisign format)"),
	.exec = key_exec,
	.help = key_help,
};
