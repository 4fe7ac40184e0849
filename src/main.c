/* anfang: arguments to one entry of the command table. */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/crypt.h"

extern const struct cmd_entry cmd_amend_entry;
extern const struct cmd_entry cmd_backup_entry;
extern const struct cmd_entry cmd_forms_entry;
extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_key_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_passwd_entry;
extern const struct cmd_entry cmd_record_entry;
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
	&cmd_backup_entry,
	NULL,
};

static void
main_usage(FILE *f)
{
	const struct cmd_entry *const *c;

	fputs("Usage: anfang [--db PATH] [--forms DIR] COMMAND [ARGS]\n"
	      "\n"
	      "anfang records unannounced inspection visits on checklist "
	      "forms.\n"
	      "\n"
	      "Commands:\n",
	    f);
	for (c = main_commands; *c != NULL; c++) {
		fprintf(f, "  %s %s\n", (*c)->name, (*c)->usage);
		fprintf(f, "      %s\n", (*c)->summary);
	}
	fputs("\n"
	      "Options:\n"
	      "  --db PATH          database (default "
	      "$XDG_DATA_HOME/anfang/anfang.db, or $ANFANG_DB)\n"
	      "  --forms DIR        read forms from DIR only\n"
	      "  --passphrase-fd N  read the passphrase from file "
	      "descriptor N\n"
	      "  --help, --version\n"
	      "\n"
	      "`anfang COMMAND --help` tells more; anfang(1), "
	      "anfang-forms(5).\n",
	    f);
}

/* No core dumps: they would hold keys and answers in the clear. */
static void
main_harden(void)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
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
	setlocale(LC_ALL, "");
	memset(&ctx, 0, sizeof ctx);
	ctx.passphrase_fd = -1;
	ctx.db = getenv("ANFANG_DB");
	if (crypt_init(&cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_SOFTWARE;
	}

	/* Common options may come before the command or after it. */
	n = cmd_options(&ctx, argc, argv);
	if (n == -1)
		return CMD_USAGE;
	if (n >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("anfang %s\n", ANFANG_VERSION);
		return CMD_OK;
	}
	if (n >= 2 && argv[1][0] == '-') {
		cmd_error("unknown option \"%s\"", argv[1]);
		main_usage(stderr);
		return CMD_USAGE;
	}
	if (ctx.help) {
		for (c = main_commands; n >= 2 && *c != NULL; c++) {
			if (strcmp((*c)->name, argv[1]) == 0) {
				(*c)->help();
				return CMD_OK;
			}
		}
		main_usage(stdout);
		return CMD_OK;
	}
	if (n < 2) {
		cmd_error("the terminal UI is not available yet; see "
		          "anfang --help");
		return CMD_USAGE;
	}
	for (c = main_commands; *c != NULL; c++) {
		if (strcmp((*c)->name, argv[1]) == 0)
			return (*c)->exec(&ctx, n - 1, argv + 1);
	}
	cmd_error("unknown command \"%s\" (see anfang --help)", argv[1]);
	return CMD_USAGE;
}
