/* anfang export: finalized visits out as a signed (or sealed) batch. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/batch.h"
#include "anfang/cmd.h"
#include "anfang/crypt-seal.h"
#include "anfang/i18n.h"
#include "anfang/store-batch.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
export_help(void)
{
	puts(
	    _("Usage: anfang export [--out DIR] [--seal SUPERVISOR.pub] "
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
	      "writes a batch sent before, byte for byte."));
}

struct export_visits {
	char **id;
	enum visit_status *status;
	size_t n, cap;
};

static int
export_row(void *arg, const struct store_visit_row *r)
{
	struct export_visits *all = arg;

	if (all->n == all->cap) {
		/* doubled: a database holds up to millions of visits */
		all->cap = all->cap == 0 ? 64 : all->cap * 2;
		all->id = xreallocarray(all->id, all->cap, sizeof *all->id);
		all->status =
		    xreallocarray(all->status, all->cap, sizeof *all->status);
	}
	all->id[all->n] = xstrdup(r->id);
	all->status[all->n++] = r->status;
	return 0;
}

/*
 * The named visits (ids or unique prefixes) must exist (else 66) and be
 * final (else 65); full[i] is then the whole id of ids[i] (the caller
 * frees each).  Checked before anything is written, so that the exit
 * status says which it was.
 */
static int
export_resolve(struct store *s, char **ids, size_t n, char **full)
{
	struct export_visits all = { NULL, NULL, 0, 0 };
	char *cause = NULL;
	size_t i, k, found, hits;
	int rc = CMD_OK;

	if (store_visit_list(s, -1, 0, 0, export_row, &all, &cause) != 0) {
		cmd_error(_("export: %s"), cause);
		free(cause);
		rc = CMD_IOERR;
	}
	for (i = 0; i < n && rc == CMD_OK; i++) {
		found = hits = 0;
		for (k = 0; k < all.n; k++) {
			if (strcmp(all.id[k], ids[i]) == 0) {
				found = k;
				hits = 1;
				break;
			}
			if (*ids[i] != '\0' &&
			    strncmp(all.id[k], ids[i], strlen(ids[i])) == 0 &&
			    hits++ == 0)
				found = k;
		}
		if (hits != 1) {
			cmd_error(hits == 0
			              ? _("export: no visit \"%s\"")
			              : _("export: \"%s\" names more than "
			                  "one visit"),
			    ids[i]);
			rc = CMD_NOINPUT;
		} else if (all.status[found] != VISIT_FINAL) {
			cmd_error(
			    _("export: %s is %s: only finalized visits not "
			      "yet exported go in a batch"),
			    all.id[found],
			    visit_status_label(all.status[found]));
			rc = CMD_DATAERR;
		} else
			full[i] = xstrdup(all.id[found]);
	}
	for (k = 0; k < all.n; k++)
		free(all.id[k]);
	free(all.id);
	free(all.status);
	return rc;
}

/* --again names a batch sent from this database (else 66). */
static int
export_known_batch(struct store *s, const char *id)
{
	char *cause = NULL;
	/* 1 found, 0 absent, -1 an error; the batch itself is read once,
	 * by batch_export_again */
	int rc = store_batch_sent(s, id, &cause);

	if (rc == 1)
		return CMD_OK;
	if (rc == 0) {
		cmd_error(
		    _("export: no batch %s was sent from this database"), id);
		return CMD_NOINPUT;
	}
	cmd_error(_("export: %s"), cause);
	free(cause);
	return CMD_IOERR;
}

/*
 * --out DIR is made (0700) when missing, but not its parents: a removable
 * disk that is not mounted must not turn into a folder on the local one.
 */
static int
export_dir(const char *dir)
{
	char *cause = NULL;

	/* Nowhere to write is an I/O error, as when writing fails. */
	if (batch_out_dir(dir, &cause) != 0) {
		cmd_error(_("export: %s"), cause);
		free(cause);
		return CMD_IOERR;
	}
	return CMD_OK;
}

static int
export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *dir = ".", *seal = NULL, *again = NULL;
	struct crypt_seal_key to, *top = NULL;
	char **ids = NULL, **paths = NULL, **full, *cause = NULL, *text;
	size_t n = 0, npaths = 0, i, len;
	struct store *s;
	int rc, j, made = -1;

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
		cmd_error(_("export: --again takes no visits"));
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
	full = xcalloc(n + 1, sizeof *full);
	if (again != NULL)
		rc = export_known_batch(s, again);
	else
		rc = export_resolve(s, ids, n, full);
	if (rc == CMD_OK)
		rc = export_dir(dir);
	if (rc == CMD_OK && again != NULL)
		made = batch_export_again(
		    s, again, dir, top, &paths, &npaths, &cause);
	else if (rc == CMD_OK)
		made =
		    batch_export(s, dir, full, n, top, &paths, &npaths, &cause);
	store_close(s);
	for (i = 0; i < n; i++)
		free(full[i]);
	free(full);
	free(ids);
	if (rc != CMD_OK)
		return rc; /* the reason already given */
	if (made < 0) {
		cmd_error(_("export: %s"), cause);
		free(cause);
		return made == BATCH_EXPORT_EDATA ? CMD_DATAERR : CMD_IOERR;
	}
	if (made == 1) {
		printf(_("no finalized visits to export\n"));
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
	.summary =
	    N_("write a signed batch of finalized, not yet exported visits"),
	.exec = export_exec,
	.help = export_help,
};
