/* anfang list: the visits, newest first. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/batch-json.h"
#include "anfang/clock.h"
#include "anfang/cmd.h"
#include "anfang/diag.h"
#include "anfang/i18n.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/text-width.h"

static void
list_help(void)
{
	puts(_("Usage: anfang list [--status draft|final|exported|received]\n"
	       "                   [--json] [--limit N]\n"
	       "\n"
	       "The visits, newest first: id, status, start, form, answered of "
	       "shown\n"
	       "questions, alerts and unit. --json prints one JSON object per "
	       "line."));
}

struct list_state {
	int json;
	size_t n;
};

static int
list_row(void *arg, const struct store_visit_row *r)
{
	struct list_state *st = arg;
	char when[32], *j, *form, *unit, *status;

	st->n++;
	if (st->json) {
		j = batch_json_row(r);
		puts(j);
		free(j);
		return 0;
	}
	/* When it took place, as the clock there showed it. */
	clock_local_offset(when, sizeof when, r->took, r->took_offset);
	when[16] = '\0';
	/* A received visit's form id and unit came in a batch. */
	form = diag_visible(r->form_id, 0);
	unit = diag_visible(r->unit_name, 0);
	/* padded by columns: a translated status may be wide */
	status = text_width_cell(visit_status_label(r->status), 8, 1, 0);
	printf("%s  %s  %s  %s@%ld  %ld/%ld  %s  %s\n", r->id, status, when,
	    form, r->form_version, r->answered, r->visible,
	    r->alerts ? "!" : "-", unit);
	free(status);
	free(form);
	free(unit);
	return 0;
}

static int
list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct list_state st = { 0, 0 };
	enum visit_status status;
	struct store *s;
	char *cause = NULL;
	long limit = 0;
	int i, rc, filter = -1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			st.json = 1;
		else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc) {
			if (visit_status_from_name(argv[++i], &status) != 0) {
				cmd_error(_("--status: \"%s\" is not draft, "
				            "final, exported or received"),
				    argv[i]);
				return CMD_USAGE;
			}
			filter = (int)status;
		} else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
			if (cmd_number(
			        "--limit", argv[++i], 0, INT_MAX, &limit) != 0)
				return CMD_USAGE;
		} else {
			return cmd_usage(
			    "list", "[--status S] [--json] [--limit N]");
		}
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	if (store_visit_list(
	        s, filter, 0, (size_t)limit, list_row, &st, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_close(s);
		return CMD_IOERR;
	}
	store_close(s);
	return CMD_OK;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "[--status S] [--json]",
	.summary = N_("the visits, newest first"),
	.exec = list_exec,
	.help = list_help,
};
