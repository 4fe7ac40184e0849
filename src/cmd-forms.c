/* anfang forms check FILE... | forms list: for form authors. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"
#include "anfang/diag.h"
#include "anfang/form-check.h"
#include "anfang/form-dir.h"
#include "anfang/form-load.h"
#include "anfang/form.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

static void
forms_usage(FILE *f)
{
	fputs(_("Usage: anfang forms check FILE|DIR...\n"
	        "       anfang forms list [--forms DIR]\n"
	        "\n"
	        "  check  validate form files; every error is printed as\n"
	        "         FILE:LINE:COL: message (exit 65 when any is bad);\n"
	        "         a DIR's *.yaml and *.yml files; forms of one family\n"
	        "         must share question ids, types, choice values,\n"
	        "         targets, scores and checks\n"
	        "  list   the forms found, with id, version, questions and "
	        "hash\n"
	        "\n"
	        "Forms are read from --forms DIR, or else from\n"
	        "$XDG_CONFIG_HOME/anfang/forms and the installed forms.\n"
	        "See anfang-forms(5) for the file format.\n"),
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
forms_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files to check: each file given, and each dir's forms (as forms
 * list finds them) in order; *empty is set when a dir has none. */
static size_t
forms_files(int argc, char **argv, char ***out, int *empty)
{
	char **files = NULL;
	size_t n = 0, first;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int i;

	for (i = 0; i < argc; i++) {
		if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode) ||
		    (d = opendir(argv[i])) == NULL) {
			files = xreallocarray(files, n + 1, sizeof *files);
			files[n++] = xstrdup(argv[i]);
			continue;
		}
		first = n;
		while ((e = readdir(d)) != NULL) {
			if (!form_dir_is_form(e->d_name))
				continue;
			files = xreallocarray(files, n + 1, sizeof *files);
			files[n++] = xpath(argv[i], e->d_name);
		}
		closedir(d);
		if (n > first)
			qsort(files + first, n - first, sizeof *files,
			    forms_by_name);
		/* a wrong directory says so, not nothing */
		if (n == first) {
			cmd_error(
			    _("%s: no forms in it (*.yaml, *.yml)"), argv[i]);
			*empty = 1;
		}
	}
	*out = files;
	return n;
}

/* Forms of one family must agree with the first of it given. */
static int
forms_families(struct form **forms, char **files, size_t n)
{
	struct diag_list diags = { 0 };
	size_t i, j;
	int rc = CMD_OK;

	for (i = 0; i < n; i++) {
		if (forms[i] == NULL || forms[i]->family == NULL)
			continue;
		for (j = 0; j < i; j++) {
			if (forms[j] != NULL && forms[j]->family != NULL &&
			    strcmp(forms[j]->family, forms[i]->family) == 0)
				break;
		}
		if (j < i && form_check_family(
		                 forms[j], forms[i], files[i], &diags) != 0)
			rc = CMD_DATAERR;
	}
	diag_print(&diags, stderr, "anfang: ");
	diag_clear(&diags);
	return rc;
}

static int
forms_check(int argc, char **argv)
{
	struct diag_list diags = { 0 };
	struct form *f, **forms;
	struct stat st;
	char **files, *path;
	size_t i, n;
	int rc = CMD_OK, empty = 0;

	if (argc < 1) {
		cmd_error(_("forms check: no file given"));
		forms_usage(stderr);
		return CMD_USAGE;
	}
	n = forms_files(argc, argv, &files, &empty);
	if (empty)
		rc = CMD_NOINPUT;
	forms = xcalloc(n + 1, sizeof *forms);
	for (i = 0; i < n; i++) {
		if (stat(files[i], &st) != 0) {
			cmd_error("%s: %s", files[i], strerror(errno));
			rc = CMD_NOINPUT;
			continue;
		}
		f = form_load_file(files[i], &diags);
		diag_sort(&diags);
		diag_print(&diags, stderr, "anfang: ");
		diag_clear(&diags);
		if (f == NULL) {
			if (rc == CMD_OK)
				rc = CMD_DATAERR;
			continue;
		}
		path = diag_visible(files[i], 0);
		printf(_("%s: ok: %s version %ld, %zu questions, %zu units, "
		         "blake2b %s\n"),
		    path, f->id, f->version, forms_answerable(f), f->nunits,
		    f->hash);
		free(path);
		forms[i] = f;
	}
	if (forms_families(forms, files, n) != CMD_OK && rc == CMD_OK)
		rc = CMD_DATAERR;
	for (i = 0; i < n; i++) {
		form_free(forms[i]);
		free(files[i]);
	}
	free(forms);
	free(files);
	return rc;
}

static int
forms_list(struct cmd_ctx *ctx, int argc)
{
	struct diag_list diags = { 0 };
	struct form_dir_list l;
	const struct form *f;
	char *path, *title;
	size_t i;
	int rc;

	if (argc != 0) {
		forms_usage(stderr);
		return CMD_USAGE;
	}
	form_dir_load(ctx->forms_dir, &l, &diags);
	for (i = 0; i < l.n; i++) {
		f = l.forms[i];
		/* a form's title and file name are shown, not obeyed */
		path = diag_visible(f->path, 0);
		title = diag_visible(f->title, 0);
		printf("%-24s %4ld %4zu  %.16s  %s  %s\n", f->id, f->version,
		    forms_answerable(f), f->hash, path, title);
		free(path);
		free(title);
	}
	if (l.n == 0 && diags.n == 0)
		cmd_error(_("no forms found (use --forms DIR, or put forms in "
		            "$XDG_CONFIG_HOME/anfang/forms)"));
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
	cmd_error(_("forms: unknown command \"%s\""), argv[1]);
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
	.summary = N_("validate form files; list the forms available"),
	.exec = forms_exec,
	.help = forms_help,
};
