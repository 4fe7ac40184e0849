/* anfang amend: correct a finalized visit, keeping the original. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/batch-json.h"
#include "anfang/clock.h"
#include "anfang/cmd.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"

static void
amend_help(void)
{
	puts("Usage: anfang amend VISIT QUESTION VALUE --reason TEXT\n"
	     "\n"
	     "Correct one answer of a finalized visit. The original stays, "
	     "the\n"
	     "amendment (value, reason, time) is kept beside it and in the "
	     "audit\n"
	     "trail. VALUE is JSON (\"yes\", 12, [\"a\",\"b\"], null to clear) "
	     "or plain text.");
}

static int
amend_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *args[3], *reason = NULL;
	struct value val = { 0 }, old = { 0 };
	const struct value *cur;
	struct visit *v = NULL;
	struct store *s;
	char *cause = NULL;
	int i, n = 0, rc;
	long q = -1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
			reason = argv[++i];
		else if (n < 3)
			args[n++] = argv[i];
		else
			n = 4;
	}
	if (n != 3 || reason == NULL) {
		return cmd_usage("amend", "VISIT QUESTION VALUE --reason TEXT");
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	rc = CMD_DATAERR;
	if (store_visit_load(s, args[0], &v, &cause) != 0)
		goto fail;
	if ((q = form_find(v->form, args[1])) < 0) {
		cmd_error("%s: no question \"%s\" in form %s", v->id, args[1],
		    v->form->id);
		goto out;
	}
	if (batch_json_answer(&v->form->questions[q], args[2], &val, &cause) !=
	    0)
		goto fail;
	if ((cur = visit_value(v, (size_t)q)) != NULL)
		value_copy(&old, cur);
	if (visit_amend(v, (size_t)q, &val, reason, clock_now(), &cause) != 0)
		goto fail;
	if (store_visit_amend(s, v, &old, &cause) != 0) {
		rc = CMD_IOERR;
		goto fail;
	}
	printf("%s: %s amended\n", v->id, args[1]);
	rc = CMD_OK;
	goto out;
fail:
	cmd_error("%s%s%s", v != NULL && q >= 0 ? args[1] : "",
	    v != NULL && q >= 0 ? ": " : "", cause);
	free(cause);
out:
	value_clear(&val);
	value_clear(&old);
	visit_free(v);
	store_close(s);
	return rc;
}

const struct cmd_entry cmd_amend_entry = {
	.name = "amend",
	.usage = "VISIT QUESTION VALUE --reason TEXT",
	.summary = "correct a finalized visit, keeping the original",
	.exec = amend_exec,
	.help = amend_help,
};
