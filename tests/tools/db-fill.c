/*
 * db-fill: add many visits to a database, through the same visit core and
 * store calls as `anfang record`, for tests and benchmarks.
 *
 *   db-fill DB FORMS-DIR FORM-ID ANSWERS.json COUNT [FINAL-EVERY]
 *
 * The passphrase is read from standard input.  Visits cycle through the
 * form's units and start a minute apart; every FINAL-EVERY-th is finalized
 * (default 2).  Commits every 1000 visits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/batch-json.h"
#include "anfang/change.h"
#include "anfang/clock.h"
#include "anfang/crypt.h"
#include "anfang/load.h"
#include "anfang/form-load.h"
#include "anfang/passphrase.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "db-fill: %s: %s\n", what, why);
	exit(1);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = xmalloc(1 << 20);

	if (f == NULL)
		die(path, "cannot open");
	*len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

int
main(int argc, char **argv)
{
	struct diag_list diags = { 0 };
	struct value *vals;
	struct crypt_mem *pass;
	struct store *s;
	struct visit *v;
	struct form *f;
	char *cause = NULL, *path, *text;
	long i, count, every = 2;
	size_t q, len;
	int64_t t0;

	if (argc < 6)
		die("usage", "db-fill DB FORMS-DIR FORM-ID ANSWERS COUNT "
		             "[FINAL-EVERY]");
	count = atol(argv[5]);
	if (argc > 6)
		every = atol(argv[6]);
	if (crypt_init(&cause) != 0)
		die("libsodium", cause);
	store_set_deriver(load_derive);
	path = xasprintf("%s/%s.yaml", argv[2], argv[3]);
	if ((f = form_load_file(path, &diags)) == NULL) {
		/* shipped forms are named ID.LANG.yaml */
		free(path);
		path = xasprintf("%s/%s.zh.yaml", argv[2], argv[3]);
		diag_clear(&diags);
		if ((f = form_load_file(path, &diags)) == NULL)
			die(path, diags.n ? diags.v[0].msg : "cannot load");
	}
	text = slurp(argv[4], &len);
	vals = xcalloc(f->nquestions + 1, sizeof *vals);
	if (batch_json_answers(f, text, len, vals, &cause) != 0)
		die(argv[4], cause);
	if ((pass = passphrase_read(0, "", NULL, &cause)) == NULL)
		die("passphrase", cause);
	if (store_open(argv[1], pass, &s, &cause) != STORE_OK)
		die(argv[1], cause);
	crypt_mem_free(pass);

	t0 = clock_now() - count * 60000;
	if (store_begin(s, &cause) != 0)
		die("begin", cause);
	for (i = 0; i < count; i++) {
		int64_t now = t0 + i * 60000;

		v = visit_new(f, 0, f->units[i % (long)f->nunits].id, NULL,
		    NULL, now, &cause);
		if (v == NULL)
			die("visit", cause);
		for (q = 0; q < f->nquestions; q++) {
			if (vals[q].kind != VALUE_NONE &&
			    visit_answer(v, q, &vals[q], now, &cause) != 0)
				die(f->questions[q].id, cause);
		}
		if (change_insert(s, v, now, &cause) != 0)
			die("insert", cause);
		if (every > 0 && i % every == 0 &&
		    change_finalize(s, v, now, &cause) != 0)
			die("finalize", cause);
		visit_free(v);
		if (i % 1000 == 999 && (store_commit(s, &cause) != 0 ||
		                           store_begin(s, &cause) != 0))
			die("commit", cause);
	}
	if (store_commit(s, &cause) != 0)
		die("commit", cause);
	store_close(s);
	for (q = 0; q < f->nquestions; q++)
		value_clear(&vals[q]);
	free(vals);
	free(text);
	free(path);
	form_free(f);
	return 0;
}
