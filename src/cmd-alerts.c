/*
 * anfang alerts: the alert queue of the final, exported and received
 * visits, and closing or reopening an alert (who, when and how go into the
 * database's audit trail).  import prints the high ones it brought in
 * through cmd_alerts_print_batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/clock.h"
#include "anfang/cmd.h"
#include "anfang/crypt-sign.h"
#include "anfang/diag.h"
#include "anfang/form-dir.h"
#include "anfang/form.h"
#include "anfang/i18n.h"
#include "anfang/report.h"
#include "anfang/store-alert.h"
#include "anfang/store-key.h"
#include "anfang/store-report.h"
#include "anfang/store.h"
#include "anfang/text-width.h"
#include "anfang/xmalloc.h"

/* Every line fits this many columns; lines under an alert's first are
 * indented so. */
#define ALERTS_COLS   80
#define ALERTS_INDENT "        "

#define ALERTS_USAGE                                                           \
	"[--open] [--severity low|medium|high] [--form ID] "                   \
	"[--period month|quarter|year|all] [--from DATE] [--to DATE] | "       \
	"close VISIT QUESTION --note TEXT | reopen VISIT QUESTION [--note "    \
	"TEXT]"

static void
alerts_help(void)
{
	puts(_("Usage: anfang alerts [--open] [--severity low|medium|high] "
	       "[--form ID]\n"
	       "                     [--period month|quarter|year|all] "
	       "[--from DATE] [--to DATE]\n"
	       "\n"
	       "Close or reopen one alert:\n"
	       "       anfang alerts close VISIT QUESTION --note TEXT\n"
	       "       anfang alerts reopen VISIT QUESTION [--note TEXT]\n"
	       "\n"
	       "The alert queue: every alert of the final, exported and "
	       "received visits,\n"
	       "high severity first, then the newest: severity, open or "
	       "closed, when the\n"
	       "visit took place (its local time), visit id, question, unit, "
	       "division and\n"
	       "person, the alert's message, and how it was handled.\n"
	       "\n"
	       "  --open            only the alerts not closed\n"
	       "  --severity LEVEL  only low, medium or high ones\n"
	       "  --form ID         one form's family (or one form by its "
	       "id)\n"
	       "  --period P        the month, quarter or year that holds "
	       "--from or --to,\n"
	       "                    else the last one with visits; all: "
	       "every visit\n"
	       "  --from, --to      dates YYYY-MM-DD, both included, in each "
	       "visit's local\n"
	       "                    time; alone, a range of days (with "
	       "--period, one of\n"
	       "                    them)\n"
	       "\n"
	       "With no --period, --from or --to: every alert. Periods are "
	       "those of\n"
	       "`anfang report`.\n"
	       "\n"
	       "close records that the alert was handled, and how (--note); "
	       "reopen puts\n"
	       "it back in the queue. Both record who (this database's key "
	       "id) and when\n"
	       "in the database's audit trail; `anfang show VISIT` shows "
	       "them. A received\n"
	       "visit itself is not changed."));
}

/*
 * Every stored form, from the report source, to find one by its hash;
 * and per family the member the report shows in the interface language
 * (report_form): an alert says what the report says, in its form's
 * language.
 */
struct alerts_forms {
	struct report_source *src;
	struct form **v;
	size_t n;
	char **families;     /* copies: a later families() call frees the
	                        source's */
	struct form **shown; /* one per family, form_ref'd */
	size_t nfam;
};

static int
alerts_forms_load(struct alerts_forms *af, struct store *s, char **cause)
{
	const char *const *names;
	struct report_options o;
	struct form *const *forms;
	size_t k, i;

	memset(af, 0, sizeof *af);
	if ((af->src = store_report_source(s, cause)) == NULL)
		return -1;
	if (af->src->families(af->src, &names, &af->nfam, cause) != 0)
		return -1;
	report_options_init(&o);
	o.language = report_locale_language();
	af->families = xcalloc(af->nfam + 1, sizeof *af->families);
	af->shown = xcalloc(af->nfam + 1, sizeof *af->shown);
	for (i = 0; i < af->nfam; i++)
		af->families[i] = xstrdup(names[i]);
	for (i = 0; i < af->nfam; i++) {
		if (af->src->forms(
		        af->src, af->families[i], &forms, &k, cause) != 0 ||
		    report_form(af->src, af->families[i], &o, &af->shown[i],
		        cause) != REPORT_OK)
			return -1;
		af->v = xreallocarray(af->v, af->n + k + 1, sizeof *af->v);
		memcpy(af->v + af->n, forms, k * sizeof *forms);
		af->n += k;
	}
	return 0;
}

static void
alerts_forms_free(struct alerts_forms *af)
{
	size_t i;

	for (i = 0; af->shown != NULL && i < af->nfam; i++) {
		if (af->shown[i] != NULL)
			form_free(af->shown[i]);
		free(af->families[i]);
	}
	free(af->shown);
	free(af->families);
	if (af->src != NULL)
		af->src->free(af->src);
	free(af->v);
}

static const struct form *
alerts_form(const struct alerts_forms *af, const char *hash)
{
	size_t i;

	for (i = 0; i < af->n; i++) {
		if (strcmp(af->v[i]->hash, hash) == 0)
			return af->v[i];
	}
	return NULL;
}

/* What the alert on question of a visit on form f says, as the report
 * says it: from the member of f's family the report shows. */
static const char *
alerts_message(
    const struct alerts_forms *af, const struct form *f, const char *question)
{
	const struct form *shown = NULL;
	size_t i;
	long q;

	for (i = 0; f != NULL && i < af->nfam; i++) {
		if (strcmp(af->families[i], form_family(f)) == 0)
			shown = af->shown[i];
	}
	if (shown != NULL && (q = form_find(shown, question)) >= 0)
		return report_alert_message(&shown->questions[q]);
	if (f != NULL && (q = form_find(f, question)) >= 0)
		return report_alert_message(&f->questions[q]);
	return "";
}

/* Lines under an alert's first: s visible, wrapped to fit 80 columns. */
static void
alerts_wrapped(const char *s)
{
	char **lines, *v = diag_visible(s, 0);
	size_t n, i;

	n = text_width_wrap(v, ALERTS_COLS - strlen(ALERTS_INDENT), &lines);
	for (i = 0; i < n; i++) {
		printf("%s%s\n", ALERTS_INDENT, lines[i]);
		free(lines[i]);
	}
	free(lines);
	free(v);
}

/* A word of this program in a column of 6 or more (its width, not its
 * bytes: a Chinese word is two columns a character), never cut. */
static char *
alerts_word(const char *w)
{
	size_t cols = text_width(w);

	return text_width_cell(w, cols > 6 ? cols : 6, 1, 0);
}

struct alerts_list {
	const struct alerts_forms *forms;
	const char *hashes; /* --form: the family's forms; NULL: all */
	int bounded;
	int64_t from, to;   /* local ms, [from, to) */
	const char *header; /* printed before the first alert, if any */
	size_t n;
};

/*
 * One alert in 80 columns: a line of severity, state, when, visit and
 * question (those two whole: they are copied into alerts close), then,
 * wrapped under it, where, the message and how it was handled.
 */
static int
alerts_print(void *arg, const struct store_alert_row *r)
{
	struct alerts_list *l = arg;
	const struct form *f = alerts_form(l->forms, r->form_hash);
	char when[REPORT_MINUTE_LEN], at[32], *sev, *state, *s;
	int64_t local = r->took + (int64_t)r->took_offset * 60000;

	if (l->hashes != NULL && strstr(l->hashes, r->form_hash) == NULL)
		return 0;
	if (l->bounded && (local < l->from || local >= l->to))
		return 0;
	if (l->n++ == 0 && l->header != NULL)
		fputs(l->header, stdout);
	report_minute(local, when, sizeof when);
	sev =
	    alerts_word(report_severity_word((enum form_severity)r->severity));
	state = alerts_word(r->closed ? _("closed") : C_("alert", "open"));
	printf("%s  %s  %s  %s  %s\n", sev, state, when, r->visit, r->question);
	free(sev);
	free(state);
	/* Everything below but the words of this program came in a batch:
	 * alerts_wrapped makes it visible. */
	s = report_where(r->unit_name, r->division, r->person);
	alerts_wrapped(s);
	free(s);
	alerts_wrapped(alerts_message(l->forms, f, r->question));
	if (r->by != NULL) {
		clock_local(at, sizeof at, r->at);
		s = xasprintf(r->closed ? _("closed %s by %s: %s")
		                        : _("reopened %s by %s: %s"),
		    at, r->by, r->note ? r->note : "");
		alerts_wrapped(s);
		free(s);
	}
	return 0;
}

int
cmd_alerts_print_batch(struct store *s, const char *batch, char **cause)
{
	struct store_alert_filter f = { 0, FORM_SEVERITY_HIGH, NULL, batch };
	struct alerts_list l;
	struct alerts_forms af;
	char *header;
	int rc;

	memset(&l, 0, sizeof l);
	if (alerts_forms_load(&af, s, cause) != 0) {
		alerts_forms_free(&af);
		return -1;
	}
	l.forms = &af;
	header = xasprintf(
	    _("high-severity alerts just brought in (batch %s):\n"), batch);
	l.header = header;
	rc = store_alert_list(s, &f, alerts_print, &l, cause);
	free(header);
	alerts_forms_free(&af);
	return rc;
}

/* --form: the hashes of its family's forms, or of the one form so
 * called, into *out: 1, 0 when there are none, -1 with *cause. */
static int
alerts_hashes(
    const struct alerts_forms *af, const char *id, char **out, char **cause)
{
	struct form *const *forms;
	char *h, *t;
	size_t n, i;

	*out = NULL;
	if (af->src->forms(af->src, id, &forms, &n, cause) != 0)
		return -1;
	h = xstrdup("");
	for (i = 0; i < n; i++) {
		t = xasprintf("%s%s,", h, forms[i]->hash);
		free(h);
		h = t;
	}
	for (i = 0; *h == '\0' && i < af->n; i++) {
		if (strcmp(af->v[i]->id, id) != 0)
			continue;
		t = xasprintf("%s%s,", h, af->v[i]->hash);
		free(h);
		h = t;
	}
	if (*h == '\0') {
		free(h);
		return 0;
	}
	*out = h;
	return 1;
}

/* The first and latest local times of the visits of the families holding
 * hashes (NULL: every family); *any 0 when there are none. */
static int
alerts_span(const struct alerts_forms *af, const char *hashes, int *any,
    int64_t *first, int64_t *latest, char **cause)
{
	const char *const *names;
	struct form *const *forms;
	int64_t one_first, last;
	size_t n, i, k, j;
	int one, in;

	*any = 0;
	if (af->src->families(af->src, &names, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (af->src->forms(af->src, names[i], &forms, &k, cause) != 0)
			return -1;
		for (j = 0, in = hashes == NULL; j < k && !in; j++)
			in = strstr(hashes, forms[j]->hash) != NULL;
		if (!in)
			continue;
		if (af->src->span(
		        af->src, names[i], &one, &one_first, &last, cause) != 0)
			return -1;
		if (!one)
			continue;
		if (!*any || one_first < *first)
			*first = one_first;
		if (!*any || last > *latest)
			*latest = last;
		*any = 1;
	}
	return 0;
}

/*
 * The family --form names among the forms of the forms directory too, as
 * anfang report finds it, into *family (caller frees): 1; 0 after saying
 * it names nothing (as report says it); -1 with *cause.
 */
static int
alerts_known(const struct cmd_ctx *ctx, const struct alerts_forms *af,
    struct report_options *o, char **family, char **cause)
{
	struct diag_list diags = { 0 };
	struct form_dir_list known = { 0 };
	struct report_period p;
	enum report_result res;

	form_dir_load(ctx->forms_dir, &known, &diags);
	diag_clear(&diags);
	o->known = known.forms;
	o->nknown = known.n;
	res = report_resolve(af->src, o, family, &p, cause);
	o->known = NULL;
	o->nknown = 0;
	form_dir_free(&known);
	if (res == REPORT_NO_FORM) {
		cmd_error("%s", *cause);
		free(*cause);
		*cause = NULL;
	}
	return res == REPORT_OK ? 1 : res == REPORT_NO_FORM ? 0 : -1;
}

static int
alerts_handle(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *visit = NULL, *question = NULL, *note = NULL;
	int closing = strcmp(argv[0], "close") == 0, i, rc;
	struct crypt_sign_key k;
	struct store *s;
	char keyid[17], *cause = NULL;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
			note = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cmd_usage("alerts", ALERTS_USAGE);
		else if (visit == NULL)
			visit = argv[i];
		else if (question == NULL)
			question = argv[i];
		else
			return cmd_usage("alerts", ALERTS_USAGE);
	}
	if (visit == NULL || question == NULL) {
		cmd_error(
		    _("alerts %s: give the visit and the question"), argv[0]);
		return CMD_USAGE;
	}
	if (closing && (note == NULL || *note == '\0')) {
		cmd_error(_("alerts close: say how it was handled (--note "
		            "TEXT)"));
		return CMD_USAGE;
	}
	if (note != NULL && cmd_text("--note", note, CMD_MAX_REASON) != 0)
		return CMD_USAGE;
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	if ((rc = store_key_get_sign(s, &k, 0, &cause)) != 1) {
		cmd_error("%s",
		    rc == 0 ? _("this database has no signing key") : cause);
		free(cause);
		store_close(s);
		return rc == 0 ? CMD_DATAERR : CMD_IOERR;
	}
	crypt_sign_keyid_hex(keyid, k.keyid);
	rc = store_alert_handle(
	    s, visit, question, closing, note, keyid, clock_now(), &cause);
	store_close(s);
	if (rc != 1) {
		cmd_error("%s", cause);
		free(cause);
		return rc == 0   ? CMD_NOINPUT
		       : rc == 2 ? CMD_DATAERR
		                 : CMD_IOERR;
	}
	printf(closing ? _("closed the alert on %s of visit %s\n")
	               : _("reopened the alert on %s of visit %s\n"),
	    question, visit);
	return CMD_OK;
}

static int
alerts_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_alert_filter f = { 0, 0, NULL, NULL };
	struct report_options o;
	struct report_period p;
	struct alerts_forms af;
	struct alerts_list l;
	struct store *s;
	const char *why;
	char *cause = NULL, *hashes = NULL, *family = NULL;
	int64_t first = 0, latest = 0, now;
	int i, rc, any = 0;

	if (argc >= 2 &&
	    (strcmp(argv[1], "close") == 0 || strcmp(argv[1], "reopen") == 0))
		return alerts_handle(ctx, argc - 1, argv + 1);
	report_options_init(&o);
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i],
		           *a = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--open") == 0)
			f.open_only = 1;
		else if (strcmp(opt, "--severity") == 0 && a != NULL) {
			i++;
			if (strcmp(a, "low") == 0)
				f.severity = FORM_SEVERITY_LOW;
			else if (strcmp(a, "medium") == 0)
				f.severity = FORM_SEVERITY_MEDIUM;
			else if (strcmp(a, "high") == 0)
				f.severity = FORM_SEVERITY_HIGH;
			else {
				cmd_error(_("--severity: \"%s\" is not low, "
				            "medium or high"),
				    a);
				return CMD_USAGE;
			}
		} else if (strcmp(opt, "--form") == 0 && a != NULL)
			o.form = argv[++i];
		else if (strcmp(opt, "--period") == 0 && a != NULL) {
			i++;
			if (report_span_parse(a, &o.span) != 0) {
				cmd_error(_("--period: \"%s\" is not month, "
				            "quarter, year or all"),
				    a);
				return CMD_USAGE;
			}
			o.span_given = 1;
		} else if (strcmp(opt, "--from") == 0 && a != NULL) {
			if (cmd_date(opt, argv[++i], &o.from) != 0)
				return CMD_USAGE;
			o.has_from = 1;
		} else if (strcmp(opt, "--to") == 0 && a != NULL) {
			if (cmd_date(opt, argv[++i], &o.to) != 0)
				return CMD_USAGE;
			o.has_to = 1;
		} else
			return cmd_usage("alerts", ALERTS_USAGE);
	}
	if ((why = report_options_conflict(&o)) != NULL) {
		cmd_error("%s", why);
		return CMD_USAGE;
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	memset(&l, 0, sizeof l);
	if (alerts_forms_load(&af, s, &cause) != 0)
		goto fail;
	l.forms = &af;
	if (o.form != NULL &&
	    (rc = alerts_hashes(&af, o.form, &hashes, &cause)) < 0)
		goto fail;
	if (o.form != NULL && rc == 0) {
		/* As anfang report takes it: a form of the forms directory
		 * names its family, visited or not (then it has no alerts). */
		if ((rc = alerts_known(ctx, &af, &o, &family, &cause)) < 0)
			goto fail;
		if (rc == 0) {
			alerts_forms_free(&af);
			store_close(s);
			return CMD_NOINPUT;
		}
		if ((rc = alerts_hashes(&af, family, &hashes, &cause)) < 0)
			goto fail;
		if (rc == 0)
			hashes = xstrdup("");
	}
	l.hashes = hashes;
	/* With no period option, every alert; else the period report
	 * would take, over the visits of the families listed. */
	if (o.span_given || o.has_from || o.has_to) {
		if (alerts_span(&af, hashes, &any, &first, &latest, &cause) !=
		    0)
			goto fail;
		now = clock_now();
		o.now = now + (int64_t)clock_offset(now) * 60000;
		report_period_select(&o, any, first, latest, &p);
		l.bounded = 1;
		l.from = p.from;
		l.to = p.to;
	}
	if (store_alert_list(s, &f, alerts_print, &l, &cause) != 0)
		goto fail;
	if (l.n == 0)
		printf("%s\n", _("no alerts"));
	free(family);
	free(hashes);
	alerts_forms_free(&af);
	store_close(s);
	return CMD_OK;
fail:
	cmd_error("%s", cause);
	free(cause);
	free(family);
	free(hashes);
	alerts_forms_free(&af);
	store_close(s);
	return CMD_IOERR;
}

const struct cmd_entry cmd_alerts_entry = {
	.name = "alerts",
	.usage = "[--open] [--severity S] [--period P] | close|reopen VISIT "
	         "QUESTION",
	.summary = N_("the alert queue; close or reopen an alert"),
	.exec = alerts_exec,
	.help = alerts_help,
};
