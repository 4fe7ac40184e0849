/*
 * anfang record: a visit from a JSON file of answers, through the same
 * rules as the terminal UI.  Everything is checked before anything is
 * stored; then the visit is stored in one transaction.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anfang/batch-json.h"
#include "anfang/change.h"
#include "anfang/clock.h"
#include "anfang/cmd.h"
#include "anfang/form-expr.h"
#include "anfang/i18n.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

#define RECORD_MAX_ANSWERS (16 * 1024 * 1024)

struct record_args {
	const char *form;
	const char *unit;
	const char *division;
	const char *person;
	const char *answers;
	const char *at; /* "YYYY-MM-DD HH:MM", local */
	int finalize;
	int64_t took; /* --at, parsed */
	int offset;
	char **reasons; /* "question=text" */
	size_t nreasons;
};

static void
record_help(void)
{
	puts(
	    _("Usage: anfang record --form ID[@VERSION] --unit UNIT\n"
	      "                     [--division D] [--person P] --answers "
	      "FILE.json\n"
	      "                     [--reason QUESTION=TEXT]... [--at "
	      "\"YYYY-MM-DD HH:MM\"]\n"
	      "                     [--finalize]\n"
	      "\n"
	      "Record a visit from a JSON object of answers keyed by question "
	      "id (see\n"
	      "anfang-forms(5) for each type's JSON). Every rule of the form "
	      "applies;\n"
	      "--reason answers a soft check (warn_if); --at is when the visit "
	      "took\n"
	      "place, in local time (by default, now). Nothing is stored "
	      "unless the\n"
	      "whole visit is valid. Prints the new visit's id."));
}

static int
record_parse(int argc, char **argv, struct record_args *a)
{
	static const char *const opts[] = { "--form", "--unit", "--division",
		"--person", "--answers", "--at", "--reason" };
	const char **slots[] = { &a->form, &a->unit, &a->division, &a->person,
		&a->answers, &a->at, NULL };
	size_t k;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--finalize") == 0) {
			a->finalize = 1;
			continue;
		}
		for (k = 0; k < 7; k++) {
			if (strcmp(argv[i], opts[k]) == 0)
				break;
		}
		if (k == 7 || i + 1 >= argc) {
			cmd_error(_("record: %s \"%s\""),
			    k == 7 ? _("unexpected") : _("no value for"),
			    argv[i]);
			return -1;
		}
		if (slots[k] != NULL)
			*slots[k] = argv[++i];
		else {
			a->reasons = xreallocarray(
			    a->reasons, a->nreasons + 1, sizeof *a->reasons);
			a->reasons[a->nreasons++] = argv[++i];
		}
	}
	if (a->form == NULL || a->unit == NULL || a->answers == NULL) {
		cmd_error(_("record: --form, --unit and --answers are needed"));
		return -1;
	}
	if (cmd_text("--unit", a->unit, CMD_MAX_FIELD) != 0 ||
	    (a->division != NULL &&
	        cmd_text("--division", a->division, CMD_MAX_FIELD) != 0) ||
	    (a->person != NULL &&
	        cmd_text("--person", a->person, CMD_MAX_FIELD) != 0))
		return -1;
	for (k = 0; k < a->nreasons; k++) {
		const char *eq = strchr(a->reasons[k], '=');

		if (cmd_text("--reason", eq ? eq + 1 : a->reasons[k],
		        CMD_MAX_REASON) != 0)
			return -1;
	}
	if (a->at != NULL && clock_parse_local(a->at, &a->took, &a->offset)) {
		cmd_error(_("record: --at \"%s\": not a local time "
		            "\"YYYY-MM-DD HH:MM\""),
		    a->at);
		return -1;
	}
	return 0;
}

static char *
record_read(const char *path, size_t *len, char **cause)
{
	char *buf;
	size_t n = 0;
	ssize_t r;
	int fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = cmd_open_regular(path, cause)) < 0)
		return NULL;
	buf = xmalloc(RECORD_MAX_ANSWERS + 1);
	while (n <= RECORD_MAX_ANSWERS) {
		r = read(fd, buf + n, RECORD_MAX_ANSWERS + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (r < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	if (n > RECORD_MAX_ANSWERS) {
		*cause = xasprintf(
		    _("%s: larger than %d bytes"), path, RECORD_MAX_ANSWERS);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Each line of causes as its own message; frees causes. */
static void
record_errors(const char *file, char *causes)
{
	char *line, *next;

	for (line = causes; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		cmd_error(_("record: %s: %s"), file, line);
	}
	free(causes);
}

/* Apply answers and reasons to a new visit; exit code. */
static int
record_apply(
    struct visit *v, struct value *vals, struct record_args *a, int64_t now)
{
	const struct form *f = v->form;
	struct visit_problem *p;
	char *cause = NULL, *text;
	size_t q, i, n;
	long k;
	int bad = 0;
	char *refused = xcalloc(f->nquestions + 1, 1);

	for (q = 0; q < f->nquestions; q++) {
		if (vals[q].kind == VALUE_NONE)
			continue;
		if (visit_answer(v, q, &vals[q], now, &cause) != 0) {
			cmd_error(
			    _("record: %s: %s"), f->questions[q].id, cause);
			free(cause);
			cause = NULL;
			refused[q] = 1;
			bad = 1;
		}
	}
	/* Only now, with every answer in, is visibility settled. */
	for (q = 0; q < f->nquestions; q++) {
		if (vals[q].kind != VALUE_NONE && !visit_visible(v, q)) {
			cmd_error(_("record: %s: not asked given the other "
			            "answers (show_if: %s)"),
			    f->questions[q].id,
			    form_expr_text(f->questions[q].show_if));
			bad = 1;
		}
	}
	for (i = 0; i < a->nreasons; i++) {
		char *eq = strchr(a->reasons[i], '=');
		char *id = xstrndup(
		    a->reasons[i], eq ? (size_t)(eq - a->reasons[i]) : 0);

		if (eq == NULL || (k = form_find(f, id)) < 0) {
			cmd_error(_("record: --reason %s: no such question"),
			    a->reasons[i]);
			bad = 1;
		} else if (visit_set_reason(v, (size_t)k, eq + 1, &cause) !=
		           0) {
			cmd_error(_("record: %s: %s"), id, cause);
			free(cause);
			bad = 1;
		}
		free(id);
	}
	n = visit_problems(v, &p);
	for (i = 0; i < n; i++) {
		if (refused[p[i].question])
			continue; /* said already: the answer was refused */
		bad = 1;
		text = visit_problem_text(v, &p[i]);
		cmd_error(_("record: %s"), text);
		free(text);
	}
	free(p);
	free(refused);
	return bad ? CMD_DATAERR : CMD_OK;
}

static int
record_store(struct cmd_ctx *ctx, struct visit *v, int finalize, int64_t now)
{
	struct store *s;
	char *cause = NULL;
	int rc;

	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	/* One transaction: the visit appears finalized or not at all. */
	if (store_begin(s, &cause) != 0 ||
	    change_insert(s, v, now, &cause) != 0)
		goto fail;
	if (finalize && change_finalize(s, v, now, &cause) != 0)
		goto fail;
	if (store_commit(s, &cause) != 0)
		goto fail;
	store_close(s);
	return CMD_OK;
fail:
	cmd_error(_("record: %s"), cause);
	free(cause);
	store_rollback(s);
	store_close(s);
	return CMD_IOERR;
}

static int
record_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct record_args a;
	struct value *vals = NULL;
	struct form *f = NULL;
	struct visit *v = NULL;
	char *text = NULL, *cause = NULL;
	int64_t now = clock_now();
	size_t len, q;
	int rc;

	memset(&a, 0, sizeof a);
	if (record_parse(argc, argv, &a) != 0) {
		free(a.reasons);
		return CMD_USAGE;
	}
	if ((rc = cmd_find_form(ctx, a.form, &f)) != CMD_OK)
		goto out;
	rc = CMD_DATAERR;
	if ((text = record_read(a.answers, &len, &cause)) == NULL) {
		cmd_error(_("record: %s"), cause);
		rc = CMD_NOINPUT;
		goto out;
	}
	vals = xcalloc(f->nquestions + 1, sizeof *vals);
	if (batch_json_answers(f, text, len, vals, &cause) != 0) {
		record_errors(a.answers, cause);
		cause = NULL;
		goto out;
	}
	v = visit_new(f, 1, a.unit, a.division, a.person, now, &cause);
	if (v == NULL) {
		cmd_error(_("record: %s"), cause);
		goto out;
	}
	f = NULL; /* the visit owns it now */
	if (a.at != NULL &&
	    visit_set_took(v, a.took, a.offset, now, &cause) != 0) {
		cmd_error(_("record: --at \"%s\": %s"), a.at, cause);
		goto out;
	}
	if ((rc = record_apply(v, vals, &a, now)) != CMD_OK)
		goto out;
	if ((rc = record_store(ctx, v, a.finalize, now)) == CMD_OK)
		printf("%s\n", v->id);
out:
	free(cause);
	if (vals != NULL) {
		for (q = 0; q < (v ? v->form : f)->nquestions; q++)
			value_clear(&vals[q]);
	}
	free(vals);
	free(text);
	free(a.reasons);
	visit_free(v);
	form_free(f);
	return rc;
}

const struct cmd_entry cmd_record_entry = {
	.name = "record",
	.usage = "--form ID --unit U --answers FILE.json [--finalize]",
	.summary = N_("record a visit from a JSON file of answers"),
	.exec = record_exec,
	.help = record_help,
};
