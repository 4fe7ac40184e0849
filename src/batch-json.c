/* Answers and visits as JSON, with jansson. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "anfang/batch-json.h"
#include "anfang/clock.h"
#include "anfang/xmalloc.h"

static int
batch_json_to_value(
    const struct form_question *q, json_t *j, struct value *out, char **cause)
{
	const char **items;
	size_t i, n;

	switch (form_type_value_kind(q->type)) {
	case VALUE_BOOL:
		if (json_is_string(j) &&
		    (strcmp(json_string_value(j), "yes") == 0 ||
		        strcmp(json_string_value(j), "no") == 0)) {
			value_bool(
			    out, strcmp(json_string_value(j), "yes") == 0);
			return 0;
		}
		*cause =
		    xasprintf("%s: a yesno answer is \"yes\" or \"no\"", q->id);
		return -1;
	case VALUE_NUMBER:
		if (json_is_number(j)) {
			value_number(out, json_number_value(j));
			return 0;
		}
		*cause = xasprintf("%s: a %s answer is a number", q->id,
		    form_type_name(q->type));
		return -1;
	case VALUE_STRING:
		if (json_is_string(j)) {
			if (strlen(json_string_value(j)) !=
			    json_string_length(j)) {
				*cause = xasprintf("%s: text with a NUL "
				                   "character",
				    q->id);
				return -1;
			}
			value_string(out, json_string_value(j));
			return 0;
		}
		*cause = xasprintf("%s: a %s answer is a string", q->id,
		    form_type_name(q->type));
		return -1;
	case VALUE_SET:
		if (!json_is_array(j))
			break;
		n = json_array_size(j);
		items = xcalloc(n + 1, sizeof *items);
		for (i = 0; i < n; i++) {
			if (!json_is_string(json_array_get(j, i))) {
				free(items);
				goto set_fail;
			}
			items[i] = json_string_value(json_array_get(j, i));
		}
		value_set(out, items, n);
		free(items);
		return 0;
	default:
		*cause = xasprintf("%s: a note takes no answer", q->id);
		return -1;
	}
set_fail:
	*cause =
	    xasprintf("%s: a multi answer is a list of choice values", q->id);
	return -1;
}

int
batch_json_answers(const struct form *f, const char *text, size_t len,
    struct value *out, char **cause)
{
	json_error_t err;
	const char *key;
	json_t *root, *j;
	long q;
	int rc = 0;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		*cause = xasprintf(
		    "line %d, column %d: %s", err.line, err.column, err.text);
		return -1;
	}
	if (!json_is_object(root)) {
		*cause = xstrdup("answers must be a JSON object keyed by "
		                 "question id");
		json_decref(root);
		return -1;
	}
	json_object_foreach(root, key, j)
	{
		if ((q = form_find(f, key)) < 0) {
			*cause = xasprintf(
			    "%s: no such question in form %s", key, f->id);
			rc = -1;
			break;
		}
		if (json_is_null(j))
			continue;
		if (batch_json_to_value(&f->questions[q], j, &out[q], cause) !=
		    0) {
			rc = -1;
			break;
		}
	}
	json_decref(root);
	return rc;
}

int
batch_json_answer(const struct form_question *q, const char *text,
    struct value *out, char **cause)
{
	json_t *j;
	int rc;

	/* JSON where it parses ("yes", 12, ["a","b"]); otherwise the text
	 * itself, which is what a person types for text, choices, dates. */
	j = json_loads(text, JSON_DECODE_ANY, NULL);
	if (j == NULL)
		j = json_string(text);
	if (j == NULL) {
		*cause = xasprintf("%s: not valid UTF-8", q->id);
		return -1;
	}
	if (json_is_null(j)) {
		json_decref(j);
		value_clear(out);
		return 0;
	}
	if (form_type_value_kind(q->type) == VALUE_STRING &&
	    !json_is_string(j)) {
		json_decref(j);
		j = json_string(text);
	}
	rc = batch_json_to_value(q, j, out, cause);
	json_decref(j);
	return rc;
}

static json_t *
batch_json_value(const struct form_question *q, const struct value *v)
{
	json_t *a;
	size_t i;

	switch (v->kind) {
	case VALUE_BOOL:
		return json_string(v->b ? "yes" : "no");
	case VALUE_NUMBER:
		/* whole numbers print as integers: counts, timers, scales */
		if (v->n == floor(v->n) && fabs(v->n) < 9e15 &&
		    (q == NULL || q->type != FORM_NUMBER || q->decimals == 0))
			return json_integer((json_int_t)v->n);
		return json_real(v->n);
	case VALUE_STRING:
		return json_string(v->s);
	case VALUE_SET:
		a = json_array();
		for (i = 0; i < v->nset; i++)
			json_array_append_new(a, json_string(v->set[i]));
		return a;
	case VALUE_NONE:
		break;
	}
	return json_null();
}

static json_t *
batch_json_time(int64_t ms)
{
	char iso[CLOCK_ISO_LEN];

	if (ms == 0)
		return json_null();
	clock_iso(iso, ms);
	return json_string(iso);
}

static json_t *
batch_json_opt(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void
batch_json_checks(const struct visit *v, json_t *o)
{
	const struct form_question *q;
	json_t *alerts = json_array(), *warnings = json_array(), *e;
	size_t i;

	for (i = 0; i < v->form->nquestions; i++) {
		q = &v->form->questions[i];
		if (visit_alerts(v, i)) {
			e = json_object();
			json_object_set_new(e, "question", json_string(q->id));
			json_object_set_new(e, "severity",
			    json_string(form_severity_name(q->severity)));
			json_object_set_new(
			    e, "message", json_string(q->alert_message));
			json_array_append_new(alerts, e);
		}
		if (visit_warns(v, i)) {
			e = json_object();
			json_object_set_new(e, "question", json_string(q->id));
			json_object_set_new(
			    e, "message", json_string(q->warn_message));
			json_object_set_new(
			    e, "reason", batch_json_opt(v->reasons[i]));
			json_array_append_new(warnings, e);
		}
	}
	json_object_set_new(o, "alerts", alerts);
	json_object_set_new(o, "warnings", warnings);
}

static json_t *
batch_json_audit(const struct audit_chain *c, const char *problem)
{
	json_t *o = json_object(), *a = json_array(), *e;
	char hex[CRYPT_HASH_BYTES * 2 + 1];
	size_t i, k;

	for (i = 0; c != NULL && i < c->n; i++) {
		e = json_object();
		json_object_set_new(e, "n", json_integer(c->v[i].n));
		json_object_set_new(e, "at", batch_json_time(c->v[i].at));
		json_object_set_new(e, "event", json_string(c->v[i].event));
		json_object_set_new(e, "detail", json_string(c->v[i].detail));
		for (k = 0; k < CRYPT_HASH_BYTES; k++)
			sprintf(hex + 2 * k, "%02x", c->v[i].hash[k]);
		json_object_set_new(e, "hash", json_string(hex));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "intact", json_boolean(problem == NULL));
	json_object_set_new(o, "problem", batch_json_opt(problem));
	json_object_set_new(o, "entries", a);
	return o;
}

char *
batch_json_visit(
    const struct visit *v, const struct audit_chain *audit, const char *problem)
{
	const struct form_question *q;
	json_t *o = json_object(), *form, *unit, *answers, *amends, *e;
	size_t i;
	char *out;

	json_object_set_new(o, "id", json_string(v->id));
	json_object_set_new(
	    o, "status", json_string(visit_status_name(v->status)));
	form = json_object();
	json_object_set_new(form, "id", json_string(v->form->id));
	json_object_set_new(form, "version", json_integer(v->form->version));
	json_object_set_new(form, "title", json_string(v->form->title));
	json_object_set_new(form, "hash", json_string(v->form->hash));
	json_object_set_new(o, "form", form);
	unit = json_object();
	json_object_set_new(unit, "id", json_string(v->unit_id));
	json_object_set_new(unit, "name", json_string(v->unit_name));
	json_object_set_new(o, "unit", unit);
	json_object_set_new(o, "division", batch_json_opt(v->division));
	json_object_set_new(o, "person", batch_json_opt(v->person));
	json_object_set_new(o, "started", batch_json_time(v->started));
	json_object_set_new(o, "finalized", batch_json_time(v->finalized));

	/* As given; corrections are listed under amendments. */
	answers = json_object();
	for (i = 0; i < v->form->nquestions; i++) {
		q = &v->form->questions[i];
		if (v->answers[i].kind != VALUE_NONE && visit_visible(v, i))
			json_object_set_new(answers, q->id,
			    batch_json_value(q, &v->answers[i]));
	}
	json_object_set_new(o, "answers", answers);
	json_object_set_new(o, "score", json_real(visit_score(v)));
	batch_json_checks(v, o);
	amends = json_array();
	for (i = 0; i < v->namendments; i++) {
		q = &v->form->questions[v->amendments[i].question];
		e = json_object();
		json_object_set_new(e, "question", json_string(q->id));
		json_object_set_new(
		    e, "value", batch_json_value(q, &v->amendments[i].value));
		json_object_set_new(
		    e, "reason", json_string(v->amendments[i].reason));
		json_object_set_new(
		    e, "at", batch_json_time(v->amendments[i].at));
		json_array_append_new(amends, e);
	}
	json_object_set_new(o, "amendments", amends);
	json_object_set_new(o, "audit", batch_json_audit(audit, problem));
	out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return out ? out : xstrdup("{}");
}

char *
batch_json_row(const struct store_visit_row *r)
{
	json_t *o = json_object();
	char *out;

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(
	    o, "status", json_string(visit_status_name(r->status)));
	json_object_set_new(o, "form", json_string(r->form_id));
	json_object_set_new(o, "version", json_integer(r->form_version));
	json_object_set_new(o, "title", json_string(r->form_title));
	json_object_set_new(o, "unit", json_string(r->unit_name));
	json_object_set_new(o, "division", batch_json_opt(r->division));
	json_object_set_new(o, "person", batch_json_opt(r->person));
	json_object_set_new(o, "started", batch_json_time(r->started));
	json_object_set_new(o, "finalized", batch_json_time(r->finalized));
	json_object_set_new(o, "answered", json_integer(r->answered));
	json_object_set_new(o, "visible", json_integer(r->visible));
	json_object_set_new(o, "alerts", json_integer(r->alerts));
	out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return out ? out : xstrdup("{}");
}
