/* anfang backup FILE: a consistent, encrypted copy. */
#include <stdio.h>
#include <stdlib.h>

#include "anfang/cmd.h"
#include "anfang/i18n.h"
#include "anfang/store.h"

static void
backup_help(void)
{
	puts(_("Usage: anfang backup [--db PATH] FILE\n"
	       "\n"
	       "Write a consistent copy of the database to FILE, encrypted and "
	       "opening\n"
	       "with the same passphrase. FILE must not exist."));
}

static int
backup_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store *s;
	enum store_err err;
	char *cause = NULL;
	int rc;

	if (argc != 2) {
		return cmd_usage("backup", "FILE");
	}
	if (cmd_exists(argv[1])) {
		cmd_error(_("%s already exists: not overwritten"), argv[1]);
		return CMD_CANTCREAT;
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	if ((err = store_backup(s, argv[1], &cause)) != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		store_close(s);
		return cmd_store_exit(err);
	}
	printf(_("backup written to %s\n"), argv[1]);
	store_close(s);
	return CMD_OK;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "FILE",
	.summary = N_("an encrypted, consistent copy of the database"),
	.exec = backup_exec,
	.help = backup_help,
};
