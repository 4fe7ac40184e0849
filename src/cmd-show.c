/* anfang show VISIT: one visit with its answers, checks and audit trail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/audit.h"
#include "anfang/batch-json.h"
#include "anfang/clock.h"
#include "anfang/cmd.h"
#include "anfang/diag.h"
#include "anfang/i18n.h"
#include "anfang/load.h"
#include "anfang/store-alert.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

static void
show_help(void)
{
	puts(
	    _("Usage: anfang show VISIT [--json]\n"
	      "\n"
	      "One visit (its id or a unique prefix of it): answers with their "
	      "labels,\n"
	      "alerts, warnings with reasons, amendments, and the audit trail "
	      "with\n"
	      "whether its hash chain is intact. Answers are the ones that "
	      "count: an\n"
	      "amended answer shows its amended value, marked with the "
	      "original value,\n"
	      "the amendment's time and its reason (in JSON: \"amended\")."));
}

/* An answer for people: choices by label too, yes/no in the form's
 * language. */
static char *
show_value(
    const struct form *f, const struct form_question *q, const struct value *v)
{
	const struct form_choice *c;
	char *s, *t;
	size_t i;

	if (v->kind == VALUE_BOOL)
		return xstrdup(form_yesno_label(f, v->b));
	if (v->kind == VALUE_STRING && q->type == FORM_CHOICE &&
	    (c = form_find_choice(q, v->s)) != NULL &&
	    strcmp(c->label, c->value) != 0)
		return xasprintf("%s (%s)", c->value, c->label);
	if (v->kind == VALUE_STRING) {
		/* further lines of a text under the first */
		size_t n = 1;
		const char *p;
		char *o;

		for (p = v->s; *p != '\0'; p++)
			n += *p == '\n' ? 7 : 1;
		s = o = xmalloc(n);
		for (p = v->s; *p != '\0'; p++) {
			*o++ = *p;
			if (*p == '\n') {
				memcpy(o, "      ", 6);
				o += 6;
			}
		}
		*o = '\0';
		return s;
	}
	if (v->kind == VALUE_NUMBER && q->type == FORM_SCALE &&
	    q->nlabels > 0 && v->n >= q->min && v->n <= q->max)
		return xasprintf(
		    "%g (%s)", v->n, q->labels[(size_t)(v->n - q->min)]);
	if (v->kind == VALUE_SET) {
		s = xstrdup("");
		for (i = 0; i < v->nset; i++) {
			c = form_find_choice(q, v->set[i]);
			t = xasprintf("%s%s%s", s, i ? ", " : "",
			    c ? c->label : v->set[i]);
			free(s);
			s = t;
		}
		return s;
	}
	s = value_format(v);
	if (v->kind == VALUE_NUMBER && q->unit != NULL) {
		t = xasprintf("%s %s", s, q->unit);
		free(s);
		return t;
	}
	if (v->kind == VALUE_NUMBER && q->type == FORM_TIMER) {
		t = xasprintf(
		    "%s s (%d:%02d)", s, (int)v->n / 60, (int)v->n % 60);
		free(s);
		return t;
	}
	return s;
}

/* Under an amended answer: when, what it was first, and why. */
static void
show_amended(const struct visit *v, size_t q)
{
	const struct visit_amendment *a = NULL;
	char when[32], *was, *vis_was, *vis_why;
	size_t k;

	for (k = v->namendments; k > 0 && a == NULL; k--) {
		if (v->amendments[k - 1].question == q)
			a = &v->amendments[k - 1];
	}
	if (a == NULL)
		return;
	clock_local(when, sizeof when, a->at);
	was = v->answers[q].kind != VALUE_NONE
	          ? show_value(v->form, &v->form->questions[q], &v->answers[q])
	          : xstrdup("-");
	/* received text: its controls made visible */
	vis_was = diag_visible(was, 1);
	vis_why = diag_visible(a->reason, 0);
	printf(_("      (amended %s; originally %s; because: %s)\n"), when,
	    vis_was, vis_why);
	free(vis_was);
	free(vis_why);
	free(was);
}

/*
 * Text that came from elsewhere (a received batch, its form) made visible
 * for printing; kept until show_text returns.
 */
struct show_vis {
	char **v;
	size_t n;
};

static const char *
show_vis(struct show_vis *p, const char *s, int newlines)
{
	if (s == NULL)
		return NULL;
	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	return p->v[p->n++] = diag_visible(s, newlines);
}

/*
 * How the visit's alerts were handled (anfang alerts close): their state,
 * and the entries of the database's audit trail about them.
 */
struct show_alerts {
	struct store_alert_row *v;
	size_t n;
	struct audit_chain trail; /* the database's, this visit's entries */
	char *problem;            /* the database trail's, NULL if intact */
};

static int
show_alert_row(void *arg, const struct store_alert_row *r)
{
	struct show_alerts *a = arg;
	struct store_alert_row *c;

	a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
	c = &a->v[a->n++];
	memset(c, 0, sizeof *c);
	c->question = xstrdup(r->question);
	c->closed = r->closed;
	c->note = r->note ? xstrdup(r->note) : NULL;
	c->by = r->by ? xstrdup(r->by) : NULL;
	c->at = r->at;
	return 0;
}

static int
show_alerts_load(
    struct store *s, const char *id, struct show_alerts *a, char **cause)
{
	struct store_alert_filter f = { 0, 0, id, NULL };
	unsigned char head[CRYPT_HASH_BYTES];
	struct audit_chain all;
	int64_t count;
	size_t i, len = strlen(id);

	memset(a, 0, sizeof *a);
	if (store_alert_list(s, &f, show_alert_row, a, cause) != 0)
		return -1;
	if (a->n == 0)
		return 0;
	if (store_audit_chain(s, "", &all, head, &count, cause) != 0)
		return -1;
	audit_verify(&all, head, count, &a->problem);
	for (i = 0; i < all.n; i++) {
		if (strncmp(all.v[i].event, "alert ", 6) == 0 &&
		    strncmp(all.v[i].detail, id, len) == 0 &&
		    all.v[i].detail[len] == ' ')
			audit_chain_add(&a->trail, &all.v[i]);
	}
	audit_chain_free(&all);
	return 0;
}

static void
show_alerts_free(struct show_alerts *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free((char *)a->v[i].question);
		free((char *)a->v[i].note);
		free((char *)a->v[i].by);
	}
	free(a->v);
	audit_chain_free(&a->trail);
	free(a->problem);
}

static const struct store_alert_row *
show_alert_state(const struct show_alerts *a, const char *question)
{
	size_t i;

	for (i = 0; a != NULL && i < a->n; i++) {
		if (strcmp(a->v[i].question, question) == 0)
			return &a->v[i];
	}
	return NULL;
}

/*
 * The audit trail's events are stored in English (the chain hashes them):
 * the ones anfang writes are shown in the interface language, anything
 * else (a received batch may say anything) as it is.
 */
static const char *
show_event(const char *event)
{
	static const char *const known[] = {
		N_("visit started"),
		N_("answer set"),
		N_("reason given"),
		N_("timer started"),
		N_("timer stopped"),
		N_("timer reset"),
		N_("took place"),
		N_("finalized"),
		N_("amended"),
		N_("exported"),
		N_("batch imported"),
		N_("alert closed"),
		N_("alert reopened"),
	};
	size_t i;

	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcmp(event, known[i]) == 0)
			return _(known[i]);
	}
	return event;
}

static void
show_text(const struct visit *v, const struct audit_chain *c,
    const char *problem, const struct show_alerts *handled)
{
	const struct store_alert_row *h;
	const struct form *f = v->form;
	const struct form_question *q;
	const struct value *val;
	struct show_vis p = { NULL, 0 };
	char when[32], fin[32], *s;
	size_t i, sec = (size_t)-1, answered, visible;

	clock_local(when, sizeof when, v->started);
	printf(_("visit %s  %s  form %s version %ld (%.16s)\n"), v->id,
	    visit_status_label(v->status), f->id, f->version, f->hash);
	printf(_("unit      %s (%s)\n"), show_vis(&p, v->unit_name, 0),
	    show_vis(&p, v->unit_id, 0));
	if (v->division)
		printf(_("division  %s\n"), show_vis(&p, v->division, 0));
	if (v->person)
		printf(_("person    %s\n"), show_vis(&p, v->person, 0));
	printf(_("started   %s"), when);
	if (v->finalized) {
		clock_local(fin, sizeof fin, v->finalized);
		printf(_("   finalized %s"), fin);
	}
	clock_local_offset(when, sizeof when, v->took, v->took_offset);
	printf(_("\ntook place %s"), when);
	visit_progress(v, &answered, &visible);
	printf(_("\nscore     %g   answered %zu of %zu   alerts %zu\n"),
	    visit_score(v), answered, visible, visit_alert_count(v));

	for (i = 0; i < f->nquestions; i++) {
		q = &f->questions[i];
		if (!form_type_answers(q->type) || !visit_visible(v, i))
			continue;
		if (q->section != sec) {
			sec = q->section;
			printf(
			    "\n%s\n", show_vis(&p, f->sections[sec].title, 0));
		}
		/* The answer that counts, as the score and alerts read it. */
		val = visit_value(v, i);
		s = val ? show_value(f, q, val) : xstrdup("-");
		printf("  %s%s  %s\n      %s\n", q->id, q->required ? "*" : "",
		    show_vis(&p, q->label, 0), show_vis(&p, s, 1));
		free(s);
		show_amended(v, i);
	}
	printf(_("\nalerts\n"));
	for (i = 0; i < f->nquestions; i++) {
		if (!visit_alerts(v, i))
			continue;
		printf("  [%s] %s: %s\n",
		    form_severity_name(f->questions[i].severity),
		    f->questions[i].id,
		    show_vis(&p, f->questions[i].alert_message, 0));
		h = show_alert_state(handled, f->questions[i].id);
		if (h == NULL || h->by == NULL)
			continue;
		clock_local(when, sizeof when, h->at);
		printf(h->closed ? _("      closed %s by %s: %s\n")
		                 : _("      reopened %s by %s: %s\n"),
		    when, h->by, show_vis(&p, h->note ? h->note : "", 0));
	}
	printf(_("warnings\n"));
	for (i = 0; i < f->nquestions; i++) {
		if (visit_warns(v, i))
			printf(_("  %s: %s; reason: %s\n"), f->questions[i].id,
			    show_vis(&p, f->questions[i].warn_message, 0),
			    v->reasons[i] ? show_vis(&p, v->reasons[i], 0)
			                  : _("(none given)"));
	}
	printf(_("amendments\n"));
	for (i = 0; i < v->namendments; i++) {
		q = &f->questions[v->amendments[i].question];
		clock_local(when, sizeof when, v->amendments[i].at);
		s = show_value(f, q, &v->amendments[i].value);
		printf(_("  %s  %s: %s, because: %s\n"), when, q->id,
		    show_vis(&p, s, 1),
		    show_vis(&p, v->amendments[i].reason, 0));
		free(s);
	}
	printf(_("audit trail: %s (%zu entries)\n"),
	    problem ? problem : _("intact"), c->n);
	for (i = 0; i < c->n; i++) {
		clock_local(when, sizeof when, c->v[i].at);
		printf("  %3lld  %s  %s: %s\n", (long long)c->v[i].n, when,
		    show_vis(&p, show_event(c->v[i].event), 0),
		    show_vis(&p, c->v[i].detail, 0));
	}
	if (handled != NULL && handled->trail.n > 0) {
		printf(_("alerts handled, in the database's audit trail: %s "
		         "(%zu entries)\n"),
		    handled->problem ? handled->problem : _("intact"),
		    handled->trail.n);
		for (i = 0; i < handled->trail.n; i++) {
			const struct audit_entry *e = &handled->trail.v[i];

			clock_local(when, sizeof when, e->at);
			printf("  %3lld  %s  %s: %s\n", (long long)e->n, when,
			    show_vis(&p, show_event(e->event), 0),
			    show_vis(&p, e->detail, 0));
		}
	}
	while (p.n > 0)
		free(p.v[--p.n]);
	free(p.v);
}

static int
show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	unsigned char head[CRYPT_HASH_BYTES];
	struct audit_chain chain;
	struct show_alerts handled;
	struct visit *v;
	struct store *s;
	const char *id = NULL;
	char *cause = NULL, *problem = NULL, *j;
	int64_t count;
	int i, json = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (id == NULL)
			id = argv[i];
		else {
			return cmd_usage("show", "VISIT [--json]");
		}
	}
	if (id == NULL) {
		return cmd_usage("show", "VISIT [--json]");
	}
	if ((rc = cmd_open(ctx, &s)) != CMD_OK)
		return rc;
	if ((rc = load_visit_find(s, id, &v, &cause)) != 1) {
		cmd_error("%s", cause);
		free(cause);
		store_close(s);
		return rc == 0 ? CMD_NOINPUT : CMD_IOERR;
	}
	if (load_chain(s, v->id, &chain, head, &count, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		visit_free(v);
		store_close(s);
		return CMD_IOERR;
	}
	audit_verify(&chain, head, count, &problem);
	if (show_alerts_load(s, v->id, &handled, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		free(problem);
		show_alerts_free(&handled);
		audit_chain_free(&chain);
		visit_free(v);
		store_close(s);
		return CMD_IOERR;
	}
	if (json) {
		j = batch_json_visit(v, &chain, problem, handled.v, handled.n);
		puts(j);
		free(j);
	} else
		show_text(v, &chain, problem, &handled);
	show_alerts_free(&handled);
	/* A broken trail is bad data: say so in the exit code too. */
	rc = problem ? CMD_DATAERR : CMD_OK;
	if (problem)
		cmd_error(_("visit %s: %s"), v->id, problem);
	free(problem);
	audit_chain_free(&chain);
	visit_free(v);
	store_close(s);
	return rc;
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "VISIT [--json]",
	.summary = N_("one visit with its answers, alerts and audit trail"),
	.exec = show_exec,
	.help = show_help,
};
