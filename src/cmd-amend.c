/*
 * anfang amend: correct a finalized visit, keeping the original.  One
 * amendment may change several answers (a question and the follow-up it
 * shows); the amended visit must pass every check finalizing makes, or
 * nothing is stored and every problem is listed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/batch-json.h"
#include "anfang/change.h"
#include "anfang/clock.h"
#include "anfang/cmd.h"
#include "anfang/i18n.h"
#include "anfang/load.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

/* Q is a question id; it fits the 80 columns of `anfang --help`. */
#define AMEND_USAGE                                                            \
	"VISIT Q VALUE [Q VALUE]... --reason TEXT [--warn-reason Q=TEXT]..."

static void
amend_help(void)
{
	puts(_("Usage: anfang amend VISIT QUESTION VALUE [QUESTION VALUE]...\n"
	       "                    --reason TEXT [--warn-reason "
	       "QUESTION=TEXT]...\n"
	       "\n"
	       "Correct answers of a finalized visit. The originals stay; the "
	       "amendment\n"
	       "(values, reason, time) is kept beside them and in the audit "
	       "trail.\n"
	       "VALUE is JSON (\"yes\", 12, [\"a\",\"b\"], null to clear) or "
	       "plain text.\n"
	       "--reason says why the answers are corrected. The amended visit "
	       "must pass\n"
	       "every check of finalizing: amend a question together with the "
	       "required\n"
	       "follow-ups it shows, and give --warn-reason QUESTION=TEXT for "
	       "each soft\n"
	       "check (warn_if) the amendment raises. Otherwise nothing is "
	       "stored and\n"
	       "every problem is listed (exit 65)."));
}

struct amend_args {
	const char *visit;
	const char *reason;
	const char **pairs; /* question, value, question, value ... */
	size_t npairs;      /* strings in pairs */
	const char **warn;  /* "question=text" */
	size_t nwarn;
};

static int
amend_parse(int argc, char **argv, struct amend_args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc) {
			if (a->reason != NULL)
				return -1;
			a->reason = argv[++i];
		} else if (strcmp(argv[i], "--warn-reason") == 0 &&
		           i + 1 < argc) {
			a->warn = xreallocarray(
			    a->warn, a->nwarn + 1, sizeof *a->warn);
			a->warn[a->nwarn++] = argv[++i];
		} else if (strncmp(argv[i], "--", 2) == 0 &&
		           strcmp(argv[i], "--") != 0)
			return -1;
		else if (a->visit == NULL)
			a->visit = argv[i];
		else {
			a->pairs = xreallocarray(
			    a->pairs, a->npairs + 1, sizeof *a->pairs);
			a->pairs[a->npairs++] = argv[i];
		}
	}
	if (a->visit == NULL || a->npairs == 0 || a->npairs % 2 != 0 ||
	    a->reason == NULL)
		return -1;
	return 0;
}

/*
 * The answers and soft-check reasons of the command line, for v's form;
 * each one that is not understood is reported.  The number reported.
 */
static size_t
amend_read(const struct amend_args *a, const struct visit *v,
    struct visit_amend_answer *given, struct value *vals, size_t *ngiven,
    char **warn)
{
	const struct form *f = v->form;
	char *cause = NULL, *id;
	const char *eq;
	size_t i, bad = 0;
	long q;

	*ngiven = 0;
	for (i = 0; i < a->npairs; i += 2) {
		if ((q = form_find(f, a->pairs[i])) < 0) {
			cmd_error(_("amend: %s: no question \"%s\" in form %s"),
			    v->id, a->pairs[i], f->id);
			bad++;
			continue;
		}
		if (batch_json_answer(&f->questions[q], a->pairs[i + 1],
		        &vals[*ngiven], &cause) != 0) {
			cmd_error(_("amend: %s"), cause);
			free(cause);
			cause = NULL;
			bad++;
			continue;
		}
		given[*ngiven].question = (size_t)q;
		given[*ngiven].value = &vals[*ngiven];
		(*ngiven)++;
	}
	for (i = 0; i < a->nwarn; i++) {
		eq = strchr(a->warn[i], '=');
		id = xstrndup(a->warn[i], eq ? (size_t)(eq - a->warn[i]) : 0);
		if (eq == NULL || (q = form_find(f, id)) < 0) {
			cmd_error(_("amend: --warn-reason %s: no such question "
			            "(QUESTION=TEXT)"),
			    a->warn[i]);
			bad++;
		} else if (warn[q] != NULL) {
			cmd_error(
			    _("amend: --warn-reason %s: given twice"), id);
			bad++;
		} else
			warn[q] = xstrdup(eq + 1);
		free(id);
	}
	return bad;
}

static int
amend_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct amend_args a;
	struct visit_amend_answer *given = NULL;
	struct value *vals = NULL;
	struct visit *v = NULL;
	struct store *s;
	char *cause = NULL, **warn = NULL;
	size_t n = 0, i, bad;
	int rc;

	memset(&a, 0, sizeof a);
	if (amend_parse(argc, argv, &a) != 0) {
		free(a.pairs);
		free(a.warn);
		return cmd_usage("amend", AMEND_USAGE);
	}
	bad = cmd_text("--reason", a.reason, CMD_MAX_REASON) != 0;
	for (i = 0; i < a.nwarn && !bad; i++) {
		const char *eq = strchr(a.warn[i], '=');

		bad = cmd_text("--warn-reason", eq ? eq + 1 : a.warn[i],
		          CMD_MAX_REASON) != 0;
	}
	if (bad) {
		free(a.pairs);
		free(a.warn);
		return CMD_USAGE;
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		goto out;
	if ((rc = load_visit_find(s, a.visit, &v, &cause)) != 1) {
		rc = rc == 0 ? CMD_NOINPUT : CMD_IOERR;
		cmd_error(_("amend: %s"), cause);
		free(cause);
		goto close;
	}
	rc = CMD_DATAERR;
	given = xcalloc(a.npairs / 2 + 1, sizeof *given);
	vals = xcalloc(a.npairs / 2 + 1, sizeof *vals);
	warn = xcalloc(v->form->nquestions + 1, sizeof *warn);
	bad = amend_read(&a, v, given, vals, &n, warn);
	if (bad != 0) {
		/* Nothing is stored; the rest is checked in memory only, so
		 * that every problem is listed at once. */
		if (n > 0 && visit_amend_answers(v, given, n, a.reason, warn,
		                 clock_now(), &cause) != 0) {
			cmd_error(_("amend: %s: %s"), v->id, cause);
			free(cause);
		}
		goto close;
	}
	if ((rc = change_amend(
	         s, v, given, n, a.reason, warn, clock_now(), &cause)) != 0) {
		rc = rc == CHANGE_UNSAVED ? CMD_IOERR : CMD_DATAERR;
		cmd_error(_("amend: %s: %s%s"), v->id, cause,
		    strstr(cause, _("(give a reason)")) != NULL
		        ? _(" (--warn-reason QUESTION=TEXT gives one)")
		        : "");
		free(cause);
		goto close;
	}
	printf(_("%s: amended"), v->id);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? ", " : " ",
		    v->form->questions[given[i].question].id);
	printf("\n");
	rc = CMD_OK;
close:
	for (i = 0; vals != NULL && i < a.npairs / 2; i++)
		value_clear(&vals[i]);
	for (i = 0; warn != NULL && i < v->form->nquestions; i++)
		free(warn[i]);
	free(warn);
	free(vals);
	free(given);
	visit_free(v);
	store_close(s);
out:
	free(a.pairs);
	free(a.warn);
	return rc;
}

const struct cmd_entry cmd_amend_entry = {
	.name = "amend",
	.usage = AMEND_USAGE,
	.summary = N_("correct a finalized visit, keeping the original"),
	.exec = amend_exec,
	.help = amend_help,
};
