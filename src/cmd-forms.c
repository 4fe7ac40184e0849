/* anfang forms check FILE... | forms list: for form authors. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/diag.h"
#include "anfang/form-dir.h"
#include "anfang/form-load.h"
#include "anfang/form.h"

static void
forms_usage(FILE *f)
{
	fputs("Usage: anfang forms check FILE...\n"
	      "       anfang forms list [--forms DIR]\n"
	      "\n"
	      "  check  validate form files; every error is printed as\n"
	      "         FILE:LINE:COL: message (exit 65 when any is bad)\n"
	      "  list   the forms found, with id, version, questions and "
	      "hash\n"
	      "\n"
	      "Forms are read from --forms DIR, or else from\n"
	      "$XDG_CONFIG_HOME/anfang/forms and the installed forms.\n"
	      "See anfang-forms(5) for the file format.\n",
	    f);
}

static size_t
forms_answerable(const struct form *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->nquestions; i++)
		n += form_type_answers(f->questions[i].type) != 0;
	return n;
}

static int
forms_check(int argc, char **argv)
{
	struct diag_list diags = { 0 };
	struct form *f;
	struct stat st;
	int i, rc = CMD_OK;

	if (argc < 1) {
		cmd_error("forms check: no file given");
		forms_usage(stderr);
		return CMD_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			cmd_error("%s: %s", argv[i], strerror(errno));
			rc = CMD_NOINPUT;
			continue;
		}
		f = form_load_file(argv[i], &diags);
		diag_sort(&diags);
		diag_print(&diags, stderr, "anfang: ");
		diag_clear(&diags);
		if (f == NULL) {
			if (rc == CMD_OK)
				rc = CMD_DATAERR;
			continue;
		}
		printf("%s: ok: %s version %ld, %zu questions, %zu units, "
		       "blake2b %s\n",
		    argv[i], f->id, f->version, forms_answerable(f), f->nunits,
		    f->hash);
		form_free(f);
	}
	return rc;
}

static int
forms_list(struct cmd_ctx *ctx, int argc)
{
	struct diag_list diags = { 0 };
	struct form_dir_list l;
	const struct form *f;
	size_t i;
	int rc;

	if (argc != 0) {
		forms_usage(stderr);
		return CMD_USAGE;
	}
	form_dir_load(ctx->forms_dir, &l, &diags);
	for (i = 0; i < l.n; i++) {
		f = l.forms[i];
		printf("%-24s %4ld %4zu  %.16s  %s  %s\n", f->id, f->version,
		    forms_answerable(f), f->hash, f->path, f->title);
	}
	if (l.n == 0 && diags.n == 0)
		cmd_error("no forms found (use --forms DIR, or put forms in "
		          "$XDG_CONFIG_HOME/anfang/forms)");
	diag_sort(&diags);
	diag_print(&diags, stderr, "anfang: ");
	rc = diags.n ? CMD_DATAERR : l.n ? CMD_OK : CMD_NOINPUT;
	diag_clear(&diags);
	form_dir_free(&l);
	return rc;
}

static int
forms_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 2) {
		forms_usage(stderr);
		return CMD_USAGE;
	}
	if (strcmp(argv[1], "check") == 0)
		return forms_check(argc - 2, argv + 2);
	if (strcmp(argv[1], "list") == 0)
		return forms_list(ctx, argc - 2);
	cmd_error("forms: unknown command \"%s\"", argv[1]);
	forms_usage(stderr);
	return CMD_USAGE;
}

static void
forms_help(void)
{
	forms_usage(stdout);
}

const struct cmd_entry cmd_forms_entry = {
	.name = "forms",
	.usage = "check FILE... | list",
	.summary = "validate form files; list the forms available",
	.exec = forms_exec,
	.help = forms_help,
};
