/* anfang: arguments to one entry of the command table. */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/crypt-kdf.h"
#include "anfang/crypt.h"
#include "anfang/i18n.h"
#include "anfang/load.h"
#include "anfang/store.h"
#include "anfang/tui.h"

extern const struct cmd_entry cmd_alerts_entry;
extern const struct cmd_entry cmd_amend_entry;
extern const struct cmd_entry cmd_backup_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_forms_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_keyring_entry;
extern const struct cmd_entry cmd_verify_entry;
extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_key_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_passwd_entry;
extern const struct cmd_entry cmd_record_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_show_entry;

static const struct cmd_entry *const main_commands[] = {
	&cmd_init_entry,
	&cmd_passwd_entry,
	&cmd_forms_entry,
	&cmd_record_entry,
	&cmd_list_entry,
	&cmd_show_entry,
	&cmd_amend_entry,
	&cmd_key_entry,
	&cmd_export_entry,
	&cmd_keyring_entry,
	&cmd_verify_entry,
	&cmd_import_entry,
	&cmd_backup_entry,
	&cmd_report_entry,
	&cmd_alerts_entry,
	NULL,
};

static void
main_usage(FILE *f)
{
	const struct cmd_entry *const *c;

	fputs(_("Usage: anfang [--db PATH] [--forms DIR] COMMAND [ARGS]\n"
	        "       anfang [--db PATH] [--forms DIR] [--kdf LEVEL] "
	        "[--lock-after SECONDS]\n"
	        "\n"
	        "anfang records unannounced inspection visits on checklist "
	        "forms.\n"
	        "With no command it opens the terminal UI.\n"
	        "\n"
	        "Commands:\n"),
	    f);
	for (c = main_commands; *c != NULL; c++) {
		fprintf(f, "  %s %s\n", (*c)->name, (*c)->usage);
		fprintf(f, "      %s\n", _((*c)->summary));
	}
	fputs(_("\n"
	        "Options:\n"
	        "  --db PATH          database (default: $ANFANG_DB, else\n"
	        "                     $XDG_DATA_HOME/anfang/anfang.db)\n"
	        "  --forms DIR        read forms from DIR only\n"
	        "  --passphrase-fd N  read the passphrase from file "
	        "descriptor N\n"
	        "  --help, --version\n"
	        "\n"
	        "Terminal UI options:\n"
	        "  --kdf LEVEL        key cost for a database it creates: "
	        "interactive,\n"
	        "                     moderate (default) or sensitive\n"
	        "  --lock-after SECONDS\n"
	        "                     lock after that much idleness (default "
	        "300; 0 never)\n"
	        "\n"
	        "`anfang COMMAND --help` tells more; anfang(1), "
	        "anfang-forms(5).\n"),
	    f);
}

/*
 * No core dumps: they would hold keys and answers in the clear.  And a
 * file-size limit (ulimit -f) fails a write with EFBIG, reported like a
 * full disk, instead of killing the program halfway through it.
 */
static void
main_harden(void)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(SIGXFSZ, SIG_IGN);
}

/* anfang [--kdf LEVEL] [--lock-after SECONDS]: the terminal UI. */
static int
main_ui(struct cmd_ctx *ctx, int argc, char **argv)
{
	long lock_after = 300;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--kdf") == 0 && i + 1 < argc) {
			if ((ctx->kdf = cmd_kdf(argv[++i])) < 0)
				return CMD_USAGE;
		} else if (strcmp(argv[i], "--lock-after") == 0 &&
		           i + 1 < argc) {
			if (cmd_number("--lock-after", argv[++i], 0, 86400,
			        &lock_after) != 0)
				return CMD_USAGE;
		} else {
			cmd_error(_("unknown option \"%s\""), argv[i]);
			return CMD_USAGE;
		}
	}
	return tui_main(ctx, (int)lock_after);
}

/*
 * What a command printed must have reached its standard output: a full
 * disk or a closed pipe is an error (74), not a silent loss.
 */
static int
main_done(int rc)
{
	int err;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	err = errno;
	if (rc == CMD_OK) {
		if (err != 0)
			cmd_error(_("writing to standard output failed: %s"),
			    strerror(err));
		else
			cmd_error(_("writing to standard output failed"));
	}
	return rc == CMD_OK ? CMD_IOERR : rc;
}

int
main(int argc, char **argv)
{
	const struct cmd_entry *const *c;
	struct cmd_ctx ctx;
	char *cause;
	int n;

	main_harden();
	/* Whatever anfang creates is the user's alone. */
	umask(077);
	i18n_init();
	memset(&ctx, 0, sizeof ctx);
	ctx.passphrase_fd = -1;
	ctx.kdf = -1;
	ctx.db = getenv("ANFANG_DB");
	if (crypt_init(&cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_SOFTWARE;
	}
	/* A database older than schema 5 gets its report rows on opening. */
	store_set_deriver(load_derive);

	/* Common options may come before the command or after it. */
	n = cmd_options(&ctx, argc, argv);
	if (n == -1)
		return CMD_USAGE;
	if (n >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("anfang %s\n", ANFANG_VERSION);
		return CMD_OK;
	}
	if (!ctx.help && (n < 2 || strcmp(argv[1], "--kdf") == 0 ||
	                     strcmp(argv[1], "--lock-after") == 0))
		return main_ui(&ctx, n, argv);
	if (n >= 2 && argv[1][0] == '-') {
		cmd_error(_("unknown option \"%s\""), argv[1]);
		main_usage(stderr);
		return CMD_USAGE;
	}
	if (ctx.help) {
		for (c = main_commands; n >= 2 && *c != NULL; c++) {
			if (strcmp((*c)->name, argv[1]) == 0) {
				(*c)->help();
				return main_done(CMD_OK);
			}
		}
		main_usage(stdout);
		return main_done(CMD_OK);
	}
	for (c = main_commands; *c != NULL; c++) {
		if (strcmp((*c)->name, argv[1]) == 0)
			return main_done((*c)->exec(&ctx, n - 1, argv + 1));
	}
	cmd_error(_("unknown command \"%s\" (see anfang --help)"), argv[1]);
	return CMD_USAGE;
}
