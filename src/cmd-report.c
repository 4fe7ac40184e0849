/*
 * anfang report: what the visits of one form family in one period say,
 * as text, CSV, JSON or HTML, on standard output or into a file written
 * whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "anfang/batch-json.h"
#include "anfang/clock.h"
#include "anfang/cmd.h"
#include "anfang/diag.h"
#include "anfang/file.h"
#include "anfang/form-dir.h"
#include "anfang/i18n.h"
#include "anfang/report.h"
#include "anfang/store-report.h"
#include "anfang/store.h"
#include "anfang/text-width.h"
#include "anfang/xmalloc.h"

/* In anfang --help's list, which fits 80 columns; report --help has all. */
#define REPORT_USAGE                                                           \
	"[--form ID] [--period P] [--from DATE] [--to DATE] [--format F] "     \
	"[...]"

static void
report_help(void)
{
	fputs(
	    _("Usage: anfang report [--form ID] [--period "
	      "month|quarter|year|all]\n"
	      "                     [--from DATE] [--to DATE]\n"
	      "                     [--by unit|division|person|inspector]...\n"
	      "                     [--min-visits N] [--format "
	      "text|csv|json|html]\n"
	      "                     [--table "
	      "rankings|questions|alerts|visits]\n"
	      "                     [--bom] [--out FILE]\n"
	      "\n"
	      "What the final, exported and received visits of one form family "
	      "say\n"
	      "about one period, compared with the period before: headline, "
	      "alerts\n"
	      "(high first), targets, rankings worst first, every question, "
	      "and the\n"
	      "trend of the last 12 periods.\n"
	      "\n"
	      "By default the last month that has visits, of the family "
	      "visited\n"
	      "last, all four rankings, as text. Visits count in the period "
	      "in\n"
	      "which they took place, in local time. --from and --to "
	      "(YYYY-MM-DD,\n"
	      "both days included) give a range of days; with --period, the\n"
	      "month, quarter or year that holds that day. Entries with fewer\n"
	      "than --min-visits visits (3) are listed apart, not ranked.\n"
	      "\n"
	      "--format csv writes one table (--table, rankings by default);\n"
	      "--table visits is one row per visit with one column per\n"
	      "question. --bom starts it with the byte-order mark spreadsheet\n"
	      "programs need for Chinese. --out writes FILE (mode 0600) whole\n"
	      "or not at all.\n"),
	    stdout);
}

/* A temporary file beside path, to be renamed onto it when complete. */
static FILE *
report_open_out(const char *path, char **tmp)
{
	char *copy = xstrdup(path), *dir = dirname(copy);
	char *base_copy = xstrdup(path), *base = basename(base_copy);
	FILE *fp;
	int fd;

	*tmp = xasprintf("%s/.%s.tmp-XXXXXX", dir, base);
	free(copy);
	free(base_copy);
	if ((fd = mkstemp(*tmp)) < 0) {
		cmd_error("%s: %s", path, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	/* Names of units and people, and alerts: for the user alone. */
	fchmod(fd, 0600);
	if ((fp = fdopen(fd, "w")) == NULL) {
		cmd_error("%s: %s", path, strerror(errno));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return fp;
}

/*
 * The temporary file complete, renamed onto path; else removed.  ok: the
 * report was written; werr: the errno of a write that failed (the stream's
 * error flag set), to name the reason ("No space left on device").  One
 * line "PATH: why" when it is the file that failed.
 */
static int
report_close_out(FILE *fp, const char *tmp, const char *path, int ok, int werr)
{
	int err = 0;

	if (ferror(fp))
		err = werr ? werr : EIO;
	if (ok && err == 0 && (fflush(fp) != 0 || fsync(fileno(fp)) != 0))
		err = errno ? errno : EIO;
	if (fclose(fp) != 0 && ok && err == 0)
		err = errno ? errno : EIO;
	/* The new name in the directory too, or a power cut can undo it. */
	if (ok && err == 0 &&
	    (rename(tmp, path) != 0 || file_sync_parent(path) != 0))
		err = errno;
	if (!ok || err != 0) {
		unlink(tmp);
		if (err != 0)
			cmd_error("%s: %s", path, strerror(err));
		return err != 0 ? CMD_IOERR : CMD_OK;
	}
	return CMD_OK;
}

struct report_args {
	struct report_options o;
	enum report_table table;
	int table_given;
	int bom;
	const char *format;
	const char *out;
};

static int
report_args(int argc, char **argv, struct report_args *a)
{
	enum report_by by;
	const char *why;
	long n;
	int i;

	memset(a, 0, sizeof *a);
	report_options_init(&a->o);
	a->format = "text";
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i],
		           *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--bom") == 0) {
			a->bom = 1;
			continue;
		}
		if (val == NULL ||
		    (strcmp(opt, "--form") != 0 &&
		        strcmp(opt, "--period") != 0 &&
		        strcmp(opt, "--from") != 0 &&
		        strcmp(opt, "--to") != 0 && strcmp(opt, "--by") != 0 &&
		        strcmp(opt, "--min-visits") != 0 &&
		        strcmp(opt, "--format") != 0 &&
		        strcmp(opt, "--table") != 0 &&
		        strcmp(opt, "--out") != 0))
			return cmd_usage("report", REPORT_USAGE);
		i++;
		if (strcmp(opt, "--form") == 0)
			a->o.form = val;
		else if (strcmp(opt, "--period") == 0) {
			if (report_span_parse(val, &a->o.span) != 0) {
				cmd_error(
				    _("--period: \"%s\" is not month, quarter, "
				      "year or all"),
				    val);
				return CMD_USAGE;
			}
			a->o.span_given = 1;
		} else if (strcmp(opt, "--from") == 0) {
			if (cmd_date(opt, val, &a->o.from) != 0)
				return CMD_USAGE;
			a->o.has_from = 1;
		} else if (strcmp(opt, "--to") == 0) {
			if (cmd_date(opt, val, &a->o.to) != 0)
				return CMD_USAGE;
			a->o.has_to = 1;
		} else if (strcmp(opt, "--by") == 0) {
			if (report_by_parse(val, &by) != 0) {
				cmd_error(
				    _("--by: \"%s\" is not unit, division, "
				      "person or inspector"),
				    val);
				return CMD_USAGE;
			}
			a->o.by |= 1u << by;
		} else if (strcmp(opt, "--min-visits") == 0) {
			if (cmd_number(opt, val, 1, 1000000, &n) != 0)
				return CMD_USAGE;
			a->o.min_visits = (size_t)n;
		} else if (strcmp(opt, "--format") == 0) {
			if (strcmp(val, "text") != 0 &&
			    strcmp(val, "csv") != 0 &&
			    strcmp(val, "json") != 0 &&
			    strcmp(val, "html") != 0) {
				cmd_error(
				    _("--format: \"%s\" is not text, csv, json "
				      "or html"),
				    val);
				return CMD_USAGE;
			}
			a->format = val;
		} else if (strcmp(opt, "--table") == 0) {
			if (report_table_parse(val, &a->table) != 0) {
				cmd_error(_("--table: \"%s\" is not rankings, "
				            "questions, alerts or visits"),
				    val);
				return CMD_USAGE;
			}
			a->table_given = 1;
		} else
			a->out = val;
	}
	if ((a->table_given || a->bom) && strcmp(a->format, "csv") != 0) {
		cmd_error(_("--table and --bom go with --format csv"));
		return CMD_USAGE;
	}
	if ((why = report_options_conflict(&a->o)) != NULL) {
		cmd_error("%s", why);
		return CMD_USAGE;
	}
	return CMD_OK;
}

/*
 * An empty period is a report too, said in one line on stderr; the text
 * report on standard output says it itself.
 */
static void
report_note_empty(const struct report_args *a, const struct report_period *p)
{
	char label[REPORT_LABEL_LEN];

	if (strcmp(a->format, "text") == 0 && a->out == NULL)
		return;
	report_period_label(p, label, sizeof label);
	cmd_error(_("no visits in %s"), label);
}

/* The flat table, streamed: no report is built. */
static int
report_visits(struct report_source *src, const struct report_args *a, FILE *fp,
    char **cause)
{
	struct report_period p;
	struct form *form = NULL;
	char *family = NULL;
	enum report_result r;
	size_t rows = 0;
	int rc;

	r = report_resolve(src, &a->o, &family, &p, cause);
	if (r == REPORT_OK && family != NULL)
		r = report_form(src, family, &a->o, &form, cause);
	if (r != REPORT_OK) {
		free(family);
		return r == REPORT_NO_FORM ? CMD_NOINPUT : CMD_IOERR;
	}
	rc = report_csv_visits(src, family, form, &p, a->bom, fp, &rows, cause);
	if (rc == 0 && rows == 0)
		report_note_empty(a, &p);
	if (form != NULL)
		form_free(form);
	free(family);
	return rc == 0 ? CMD_OK : CMD_IOERR;
}

static int
report_write(struct report_source *src, const struct report_args *a, FILE *fp,
    char **cause)
{
	struct report *r = NULL;
	enum report_result res;
	char *j;
	int rc = 0;

	if (strcmp(a->format, "csv") == 0 && a->table == REPORT_TABLE_VISITS)
		return report_visits(src, a, fp, cause);
	res = report_build(src, &a->o, &r, cause);
	if (res != REPORT_OK)
		return res == REPORT_NO_FORM ? CMD_NOINPUT : CMD_IOERR;
	if (r->headline.now.visits == 0)
		report_note_empty(a, &r->headline.period);
	if (strcmp(a->format, "text") == 0) {
		text_width_init(strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
		rc = report_text_write(r, fp, cause);
	} else if (strcmp(a->format, "csv") == 0)
		rc = report_csv_write(r, a->table, a->bom, fp, cause);
	else if (strcmp(a->format, "json") == 0) {
		j = batch_json_report(r);
		if (fputs(j, fp) == EOF || fputc('\n', fp) == EOF ||
		    fflush(fp) != 0) {
			*cause = xasprintf(_("writing the report failed"));
			rc = -1;
		}
		free(j);
	} else
		rc = report_html_write(r, fp, cause);
	report_free(r);
	return rc == 0 ? CMD_OK : CMD_IOERR;
}

static int
report_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct diag_list diags = { 0 };
	struct form_dir_list known = { 0 };
	struct report_source *src;
	struct report_args a;
	struct store *s;
	char *cause = NULL, *tmp = NULL;
	int64_t now;
	FILE *fp = stdout;
	int rc, werr;

	if ((rc = report_args(argc, argv, &a)) != CMD_OK)
		return rc;
	now = clock_now();
	a.o.now = now + (int64_t)clock_offset(now) * 60000;
	a.o.language = report_locale_language();
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	if ((src = store_report_source(s, &cause)) == NULL) {
		cmd_error("%s", cause);
		free(cause);
		store_close(s);
		return CMD_IOERR;
	}
	/* A form named that has no visits yet is an empty report, not an
	 * unknown one: the forms that exist (broken ones are forms check's
	 * business). */
	if (a.o.form != NULL) {
		form_dir_load(ctx->forms_dir, &known, &diags);
		diag_clear(&diags);
		a.o.known = known.forms;
		a.o.nknown = known.n;
	}
	if (a.out != NULL && (fp = report_open_out(a.out, &tmp)) == NULL) {
		src->free(src);
		store_close(s);
		form_dir_free(&known);
		return CMD_CANTCREAT;
	}
	errno = 0;
	rc = report_write(src, &a, fp, &cause);
	/* A write that failed: its reason, and the file, said once. */
	werr = errno;
	if (!ferror(fp) && rc == CMD_OK && fflush(fp) != 0)
		werr = errno;
	if (ferror(fp)) {
		werr = werr ? werr : EIO;
		free(cause);
		cause = NULL;
		rc = CMD_IOERR;
		if (a.out == NULL)
			cmd_error(_("writing to standard output failed: %s"),
			    strerror(werr));
	}
	if (a.out != NULL) {
		int wrc = report_close_out(fp, tmp, a.out, rc == CMD_OK, werr);

		if (rc == CMD_OK || wrc != CMD_OK)
			rc = wrc;
		free(tmp);
	}
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	src->free(src);
	store_close(s);
	form_dir_free(&known);
	return rc;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = REPORT_USAGE,
	.summary = N_("rankings, targets, alerts and trends over a period"),
	.exec = report_exec,
	.help = report_help,
};
