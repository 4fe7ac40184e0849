/*
 * anfang verify and anfang import: check batches (signature, signer,
 * trusted comment, forms, sequence); import adds the visits of those that
 * verify, and nothing of those that do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/batch.h"
#include "anfang/cmd.h"
#include "anfang/crypt-sign.h"
#include "anfang/diag.h"
#include "anfang/i18n.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
verify_help(void)
{
	puts(_("Usage: anfang verify BATCH... [--json]\n"
	       "       anfang verify --key FILE.pub BATCH...\n"
	       "\n"
	       "Check each batch (BATCH.jsonl with BATCH.jsonl.minisig beside "
	       "it, or a\n"
	       "sealed BATCH.sealed): the signature, the signer (in this "
	       "database's\n"
	       "keyring, or the one --key names, without any database), the "
	       "trusted\n"
	       "comment, each form's hash, the lines' count and shape, and the "
	       "sequence\n"
	       "(no gap, no replay). One line per batch; exit 0 only when all "
	       "verify.\n"
	       "Several batches are taken in their signers' sequence, in "
	       "whatever order\n"
	       "the files are named. import also replays every visit's audit "
	       "trail and\n"
	       "applies its form's rules (see anfang-batch(5))."));
}

static void
import_help(void)
{
	puts(_("Usage: anfang import BATCH...\n"
	       "\n"
	       "Verify each batch as anfang verify does, then add its visits, "
	       "marked as\n"
	       "received with their signer, batch and sequence. A batch that "
	       "fails adds\n"
	       "nothing and leaves its place in the sequence free; a batch "
	       "imported before\n"
	       "changes nothing. Each visit's audit trail must give its "
	       "answers, and its\n"
	       "form's rules must hold as at finalizing; a visit another "
	       "signer sent\n"
	       "first is refused."));
}

/* A JSON string's contents: quotes, backslashes and controls escaped. */
static void
verify_json_string(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
}

/* path as given (JSON escapes it), and as shown: a batch's file name
 * comes from elsewhere, a stick or a mail. */
static void
verify_print(const char *path, const char *shown, const struct batch_verdict *v,
    int json)
{
	char *label, *msg;

	if (json) {
		printf("{\"file\":\"");
		verify_json_string(path);
		printf("\",\"verified\":%s,\"failed\":",
		    v->fail == BATCH_OK ? "true" : "false");
		if (v->fail == BATCH_OK)
			printf("null");
		else
			printf("\"%s\"", batch_fail_name(v->fail));
		printf(",\"batch\":\"");
		verify_json_string(v->id ? v->id : "");
		printf("\",\"signer\":\"%s\",\"label\":\"", v->signer);
		verify_json_string(v->label ? v->label : "");
		printf("\",\"sequence\":%lld,\"visits\":%lld,\"message\":\"",
		    v->sequence, v->visits);
		verify_json_string(v->message ? v->message : "");
		printf("\"}\n");
		return;
	}
	/* What a batch says is printed with its controls made visible. */
	label = diag_visible(v->label ? v->label : "", 0);
	msg = diag_visible(v->message ? v->message : "", 0);
	if (v->fail == BATCH_OK)
		printf(ngettext("%s: verified: batch %s, signer %s%s%s%s, "
		                "sequence %lld, %lld visit\n",
		           "%s: verified: batch %s, signer %s%s%s%s, "
		           "sequence %lld, %lld visits\n",
		           (unsigned long)v->visits),
		    shown, v->id, v->label ? "\"" : "", label,
		    v->label ? "\" " : "", v->signer, v->sequence, v->visits);
	else
		printf(_("%s: FAILED (%s): %s\n"), shown,
		    _(batch_fail_name(v->fail)), msg);
	free(label);
	free(msg);
}

static int
verify_key(const char *file, struct crypt_sign_key *k)
{
	char *text, *cause = NULL;
	size_t len;
	int rc;

	if ((rc = cmd_read_key(file, &text, &len)) != CMD_OK)
		return rc;
	rc = crypt_sign_public_parse(k, text, len, &cause);
	free(text);
	if (rc != 0) {
		cmd_error("%s: %s", file, cause);
		free(cause);
		return CMD_DATAERR;
	}
	return CMD_OK;
}

/*
 * Whether the batch at order[k] was already taken in this run under
 * another name: the same file named twice, or BATCH.jsonl and its
 * BATCH.jsonl.minisig (a glob of the whole folder names both).  It is
 * no replay.
 */
static int
verify_seen(const struct batch_verdict *vs, const size_t *order, size_t k)
{
	const struct batch_verdict *v = &vs[order[k]], *w;
	size_t m;

	for (m = 0; m < k; m++) {
		w = &vs[order[m]];
		if (w->fail == BATCH_OK && w->id != NULL && v->id != NULL &&
		    strcmp(w->id, v->id) == 0 &&
		    strcmp(w->signer, v->signer) == 0 &&
		    w->sequence == v->sequence && w->visits == v->visits)
			return 1;
	}
	return 0;
}

static int
verify_run(struct cmd_ctx *ctx, int argc, char **argv, int import)
{
	struct crypt_sign_key key, *keyp = NULL;
	struct batch_run run = { NULL, 0 };
	struct batch_verdict *vs;
	struct store *s = NULL;
	struct batch *b, **bs;
	const char **files;
	char *cause = NULL, *msg, *file;
	size_t n = 0, imported, i, k, *order;
	int json = 0, rc = CMD_OK, j, err;

	files = xcalloc((size_t)argc, sizeof *files);
	for (j = 1; j < argc; j++) {
		if (!import && strcmp(argv[j], "--json") == 0)
			json = 1;
		else if (!import && strcmp(argv[j], "--key") == 0 &&
		         j + 1 < argc) {
			if ((rc = verify_key(argv[++j], &key)) != CMD_OK) {
				free(files);
				return rc;
			}
			keyp = &key;
		} else if (argv[j][0] == '-' && argv[j][1] != '\0') {
			free(files);
			return cmd_usage(import ? "import" : "verify",
			    import ? "BATCH..."
			           : "[--json] [--key FILE.pub] BATCH...");
		} else
			files[n++] = argv[j];
	}
	if (n == 0) {
		free(files);
		return cmd_usage(import ? "import" : "verify",
		    import ? "BATCH..." : "[--json] [--key FILE.pub] BATCH...");
	}
	if (keyp == NULL && (rc = cmd_open(ctx, &s)) != CMD_OK) {
		free(files);
		return rc;
	}
	rc = CMD_OK;
	/* Every batch is read and checked first; then, in the order of
	 * their signers' sequences (file names are random), each takes its
	 * place in the sequence and is imported.  Only a batch that verified
	 * (or, importing, was imported) moves its signer's sequence. */
	vs = xcalloc(n, sizeof *vs);
	bs = xcalloc(n, sizeof *bs);
	order = xcalloc(n, sizeof *order);
	for (i = 0; i < n; i++)
		bs[i] = batch_verify(files[i], s, keyp, NULL, &vs[i]);
	batch_order(vs, n, order);
	for (k = 0; k < n; k++) {
		i = order[k];
		b = bs[i];
		file = diag_visible(files[i], 0);
		/* importing, the second name finds the batch received */
		if (b != NULL && keyp == NULL &&
		    (import || !verify_seen(vs, order, k)) &&
		    batch_sequence(b, s, &run, &vs[i]) != 0) {
			batch_free(b);
			b = bs[i] = NULL;
		}
		if (import && vs[i].fail == BATCH_EDUPLICATE) {
			printf(_("%s: batch %s was imported before: nothing "
			         "changed\n"),
			    file, vs[i].id ? vs[i].id : "");
		} else if (import && b != NULL) {
			if ((err = batch_import(b, s, &imported, &cause)) !=
			    0) {
				msg = diag_visible(cause, 0);
				printf(
				    _("%s: FAILED (import): %s\n"), file, msg);
				free(msg);
				free(cause);
				cause = NULL;
				rc = err == BATCH_IMPORT_EIO ? CMD_IOERR
				                             : CMD_DATAERR;
			} else {
				batch_run_take(&run, &vs[i]);
				printf(
				    ngettext("%s: imported %zu visit (batch "
				             "%s, signer %s, sequence %lld)\n",
				        "%s: imported %zu visits (batch %s, "
				        "signer %s, sequence %lld)\n",
				        imported),
				    file, imported, vs[i].id, vs[i].signer,
				    vs[i].sequence);
				/* The early warning: what needs acting on at
				 * once, from what just came in. */
				if (cmd_alerts_print_batch(
				        s, vs[i].id, &cause) != 0) {
					cmd_error("%s", cause);
					free(cause);
					cause = NULL;
					rc = CMD_IOERR;
				}
			}
		} else {
			if (vs[i].fail == BATCH_OK)
				batch_run_take(&run, &vs[i]);
			verify_print(files[i], file, &vs[i], json);
			if (vs[i].fail != BATCH_OK)
				rc = vs[i].fail == BATCH_ESIGNER ? CMD_NOPERM
				                                 : CMD_DATAERR;
		}
		free(file);
	}
	for (i = 0; i < n; i++) {
		batch_free(bs[i]);
		batch_verdict_clear(&vs[i]);
	}
	free(order);
	free(bs);
	free(vs);
	batch_run_clear(&run);
	if (s != NULL)
		store_close(s);
	free(files);
	return rc;
}

static int
verify_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return verify_run(ctx, argc, argv, 0);
}

static int
import_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return verify_run(ctx, argc, argv, 1);
}

const struct cmd_entry cmd_verify_entry = {
	.name = "verify",
	.usage = "BATCH... [--json] | --key FILE.pub BATCH...",
	.summary = N_("check batches: signature, signer, sequence, forms"),
	.exec = verify_exec,
	.help = verify_help,
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "BATCH...",
	.summary = N_("verify batches, then add their visits (idempotent)"),
	.exec = import_exec,
	.help = import_help,
};
