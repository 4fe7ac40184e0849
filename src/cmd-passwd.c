/* anfang passwd: change the passphrase, atomically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/passphrase.h"
#include "anfang/store.h"

static void
passwd_help(void)
{
	puts("Usage: anfang passwd [--db PATH] [--kdf interactive|moderate|"
	     "sensitive]\n"
	     "\n"
	     "Change the database passphrase: the current one, then the new "
	     "one twice\n"
	     "(or two lines from --passphrase-fd N). The database is "
	     "re-encrypted into\n"
	     "a new file that replaces the old one in one step: interrupted "
	     "at any\n"
	     "point, it opens with either the old or the new passphrase.");
}

static int
passwd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct crypt_mem *pass;
	struct store *s;
	enum store_err err;
	char *cause = NULL;
	int rc, lvl = -1;

	if (argc == 3 && strcmp(argv[1], "--kdf") == 0) {
		if ((lvl = cmd_kdf(argv[2])) < 0)
			return CMD_USAGE;
	} else if (argc != 1) {
		return cmd_usage("passwd", "[--kdf LEVEL]");
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	pass = passphrase_read(
	    ctx->passphrase_fd, "New passphrase: ", "Again: ", &cause);
	if (pass == NULL) {
		cmd_error("%s", cause);
		free(cause);
		store_close(s);
		return CMD_USAGE;
	}
	err = store_passwd(&s, pass, lvl, &cause);
	crypt_mem_free(pass);
	if (err != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		store_close(s);
		return cmd_store_exit(err);
	}
	printf("passphrase changed (%s)\n", crypt_kdf_describe(store_kdf(s)));
	store_close(s);
	return CMD_OK;
}

const struct cmd_entry cmd_passwd_entry = {
	.name = "passwd",
	.usage = "[--kdf LEVEL]",
	.summary = "change the passphrase",
	.exec = passwd_exec,
	.help = passwd_help,
};
