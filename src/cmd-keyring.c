/* anfang keyring add | list | remove: the inspectors' keys a supervisor
 * trusts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/clock.h"
#include "anfang/cmd.h"
#include "anfang/crypt-sign.h"
#include "anfang/diag.h"
#include "anfang/i18n.h"
#include "anfang/store-batch.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
keyring_help(void)
{
	puts(_("Usage: anfang keyring add FILE.pub --label NAME\n"
	       "       anfang keyring list\n"
	       "       anfang keyring remove KEYID\n"
	       "\n"
	       "The inspectors' public keys (minisign format, from anfang key "
	       "show)\n"
	       "whose batches this database accepts."));
}

static int
keyring_row(void *arg, const struct store_keyring_row *r)
{
	char when[32], *label = diag_visible(r->label, 0);

	(void)arg;
	clock_local(when, sizeof when, r->added);
	printf("%s  %s  %s\n", r->keyid, when, label);
	free(label);
	return 0;
}

static int
keyring_add(struct store *s, const char *file, const char *label)
{
	struct crypt_sign_key k;
	char hex[17], *cause = NULL, *text;
	size_t len;
	int rc;

	if ((rc = cmd_read_key(file, &text, &len)) != CMD_OK)
		return rc;
	rc = crypt_sign_public_parse(&k, text, len, &cause);
	free(text);
	if (rc != 0) {
		cmd_error("%s: %s", file, cause);
		free(cause);
		return CMD_DATAERR;
	}
	crypt_sign_keyid_hex(hex, k.keyid);
	if (store_keyring_add(s, hex, label, k.pk, clock_now(), &cause) != 0) {
		cmd_error(_("keyring: key %s: %s"), hex,
		    strstr(cause, "UNIQUE") ? _("already in the keyring")
		                            : cause);
		free(cause);
		return CMD_DATAERR;
	}
	printf(_("added %s \"%s\"\n"), hex, label);
	return CMD_OK;
}

static int
keyring_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *label = NULL;
	struct store *s;
	char *cause = NULL;
	int rc, i;

	if (argc < 2) {
		return cmd_usage("keyring",
		    "add FILE.pub --label NAME | list | remove KEYID");
	}
	if (strcmp(argv[1], "add") == 0) {
		for (i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--label") == 0 && i + 1 < argc)
				label = argv[++i];
			else
				label = NULL, i = argc;
		}
		if (argc < 3 || label == NULL || *label == '\0') {
			cmd_error("keyring add FILE.pub --label NAME");
			return CMD_USAGE;
		}
		if (cmd_text("--label", label, CMD_MAX_LABEL) != 0)
			return CMD_USAGE;
	} else if (!(strcmp(argv[1], "list") == 0 && argc == 2) &&
	           !(strcmp(argv[1], "remove") == 0 && argc == 3)) {
		return cmd_usage("keyring",
		    "add FILE.pub --label NAME | list | remove KEYID");
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	if (strcmp(argv[1], "add") == 0)
		rc = keyring_add(s, argv[2], label);
	else if (strcmp(argv[1], "list") == 0)
		rc = store_keyring_list(s, keyring_row, NULL, &cause) == 0
		         ? CMD_OK
		         : CMD_IOERR;
	else {
		rc = store_keyring_remove(s, argv[2], &cause);
		if (rc == 0)
			cmd_error(_("keyring: no key %s"), argv[2]);
		rc = rc == 1 ? CMD_OK : rc == 0 ? CMD_DATAERR : CMD_IOERR;
		if (rc == CMD_OK)
			printf(_("removed %s\n"), argv[2]);
	}
	if (cause != NULL) {
		cmd_error(_("keyring: %s"), cause);
		free(cause);
	}
	store_close(s);
	return rc;
}

const struct cmd_entry cmd_keyring_entry = {
	.name = "keyring",
	.usage = "add FILE.pub --label NAME | list | remove KEYID",
	.summary = N_("the inspectors' keys this database trusts"),
	.exec = keyring_exec,
	.help = keyring_help,
};
