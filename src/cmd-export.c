/* anfang export: finalized visits out as a signed (or sealed) batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/batch.h"
#include "anfang/cmd.h"
#include "anfang/crypt-seal.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
export_help(void)
{
	puts("Usage: anfang export [--out DIR] [--seal SUPERVISOR.pub] "
	     "[VISIT...]\n"
	     "       anfang export --again BATCH [--out DIR] [--seal "
	     "SUPERVISOR.pub]\n"
	     "\n"
	     "Write the finalized visits not yet exported (or the named ones) "
	     "as a\n"
	     "batch: BATCH.jsonl and BATCH.jsonl.minisig in DIR (default: the "
	     "current\n"
	     "directory), signed with this database's key; minisign -Vm "
	     "BATCH.jsonl\n"
	     "-p KEY.pub verifies it. --seal writes one file, BATCH.sealed, "
	     "that only\n"
	     "the holder of that box key (anfang key show --box) can open. "
	     "--again\n"
	     "writes a batch sent before, byte for byte.");
}

static int
export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *dir = ".", *seal = NULL, *again = NULL;
	struct crypt_seal_key to, *top = NULL;
	char **ids = NULL, **paths = NULL, *cause = NULL, *text;
	size_t n = 0, npaths = 0, i, len;
	struct store *s;
	int rc, j;

	for (j = 1; j < argc; j++) {
		if (strcmp(argv[j], "--out") == 0 && j + 1 < argc)
			dir = argv[++j];
		else if (strcmp(argv[j], "--seal") == 0 && j + 1 < argc)
			seal = argv[++j];
		else if (strcmp(argv[j], "--again") == 0 && j + 1 < argc)
			again = argv[++j];
		else if (argv[j][0] == '-') {
			return cmd_usage("export",
			    "[--out DIR] [--seal KEY.pub] [VISIT...]");
		} else {
			ids = xreallocarray(ids, n + 1, sizeof *ids);
			ids[n++] = argv[j];
		}
	}
	if (again != NULL && n > 0) {
		cmd_error("export: --again takes no visits");
		free(ids);
		return CMD_USAGE;
	}
	if (seal != NULL) {
		if ((rc = cmd_read_key(seal, &text, &len)) != CMD_OK) {
			free(ids);
			return rc;
		}
		rc = crypt_seal_public_parse(&to, text, len, &cause);
		free(text);
		if (rc != 0) {
			cmd_error("%s: %s", seal, cause);
			free(cause);
			free(ids);
			return CMD_DATAERR;
		}
		top = &to;
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK) {
		free(ids);
		return rc;
	}
	if (again != NULL)
		rc = batch_export_again(
		    s, again, dir, top, &paths, &npaths, &cause);
	else
		rc = batch_export(s, dir, ids, n, top, &paths, &npaths, &cause);
	store_close(s);
	free(ids);
	if (rc < 0) {
		cmd_error("export: %s", cause);
		free(cause);
		return CMD_IOERR;
	}
	if (rc == 1) {
		printf("no finalized visits to export\n");
		return CMD_OK;
	}
	for (i = 0; i < npaths; i++) {
		printf("%s\n", paths[i]);
		free(paths[i]);
	}
	free(paths);
	return CMD_OK;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "[--out DIR] [--seal KEY.pub] [VISIT...]",
	.summary = "write a signed batch of finalized, not yet exported visits",
	.exec = export_exec,
	.help = export_help,
};
