/* anfang passwd: change the passphrase, atomically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/i18n.h"
#include "anfang/passphrase.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
passwd_help(void)
{
	printf(
	    _("Usage: anfang passwd [--db PATH] [--kdf interactive|moderate|"
	      "sensitive]\n"
	      "\n"
	      "Change the database passphrase: the current one, then the new "
	      "one twice\n"
	      "(or three lines from --passphrase-fd N: current, new, new "
	      "again). The\n"
	      "new one needs at least %d characters. "
	      "The database is re-encrypted into\n"
	      "a new file that replaces the old one in one step: interrupted "
	      "at any\n"
	      "point, it opens with either the old or the new passphrase.\n"),
	    PASSPHRASE_MIN);
}

/* The new passphrase, twice, whether from the terminal or from fd. */
static struct crypt_mem *
passwd_new(int fd, char **cause)
{
	struct crypt_mem *a, *b = NULL;
	char *prompt = passphrase_new_prompt();

	a = passphrase_read(fd, prompt, _("Again: "), cause);
	free(prompt);
	if (a != NULL && fd >= 0) {
		if ((b = passphrase_read(fd, NULL, NULL, cause)) == NULL)
			goto fail;
		if (!crypt_mem_equal(a, b)) {
			*cause = xstrdup(_("the new passphrases differ"));
			goto fail;
		}
		crypt_mem_free(b);
		b = NULL;
	}
	if (a != NULL && passphrase_check_new(a, cause) != 0)
		goto fail;
	return a;
fail:
	crypt_mem_free(a);
	crypt_mem_free(b);
	passphrase_release();
	return NULL;
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
	/* Echo off from the first prompt to the next, through the key
	 * derivation between them. */
	ctx->hold_tty = 1;
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	pass = passwd_new(ctx->passphrase_fd, &cause);
	if (pass == NULL) {
		cmd_error("%s", cause);
		free(cause);
		store_close(s);
		return CMD_USAGE;
	}
	cmd_busy(_("re-encrypting"));
	err = store_passwd(&s, pass, lvl, &cause);
	cmd_busy(NULL);
	passphrase_release();
	crypt_mem_free(pass);
	if (err != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		store_close(s);
		return cmd_store_exit(err);
	}
	printf(
	    _("passphrase changed (%s)\n"), crypt_kdf_describe(store_kdf(s)));
	store_close(s);
	return CMD_OK;
}

const struct cmd_entry cmd_passwd_entry = {
	.name = "passwd",
	.usage = "[--kdf LEVEL]",
	.summary = N_("change the passphrase"),
	.exec = passwd_exec,
	.help = passwd_help,
};
