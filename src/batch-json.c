/* Answers and visits as JSON, with jansson. */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "anfang/batch-json.h"
#include "anfang/batch.h"
#include "anfang/clock.h"
#include "anfang/diag.h"
#include "anfang/i18n.h"
#include "anfang/report.h"
#include "anfang/utf8.h"
#include "anfang/xmalloc.h"

static const char *batch_json_str(json_t *, const char *key);
static const unsigned char batch_json_zero[CRYPT_HASH_BYTES];

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
		*cause = xasprintf(
		    _("%s: a yesno answer is \"yes\" or \"no\""), q->id);
		return -1;
	case VALUE_NUMBER:
		if (json_is_number(j)) {
			value_number(out, json_number_value(j));
			return 0;
		}
		*cause = xasprintf(_("%s: a %s answer is a number"), q->id,
		    form_type_name(q->type));
		return -1;
	case VALUE_STRING:
		if (json_is_string(j)) {
			if (strlen(json_string_value(j)) !=
			    json_string_length(j)) {
				*cause = xasprintf(_("%s: text with a NUL "
				                     "character"),
				    q->id);
				return -1;
			}
			value_string(out, json_string_value(j));
			return 0;
		}
		*cause = xasprintf(_("%s: a %s answer is a string"), q->id,
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
		*cause = xasprintf(_("%s: a note takes no answer"), q->id);
		return -1;
	}
set_fail:
	*cause = xasprintf(
	    _("%s: a multi answer is a list of choice values"), q->id);
	return -1;
}

int
batch_json_answers(const struct form *f, const char *text, size_t len,
    struct value *out, char **cause)
{
	json_error_t err;
	const char *key;
	json_t *root, *j;
	char *all = NULL, *one, *tmp;
	long q;
	int rc = 0;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		*cause = xasprintf(_("line %d, column %d: %s"), err.line,
		    err.column, err.text);
		return -1;
	}
	if (!json_is_object(root)) {
		*cause = xstrdup(_("answers must be a JSON object keyed by "
		                   "question id"));
		json_decref(root);
		return -1;
	}
	/* Every problem, one per line, not just the first. */
	json_object_foreach(root, key, j)
	{
		one = NULL;
		if ((q = form_find(f, key)) < 0)
			one = xasprintf(
			    _("%s: no such question in form %s"), key, f->id);
		else if (!json_is_null(j) &&
		         batch_json_to_value(
		             &f->questions[q], j, &out[q], &one) == 0)
			continue;
		if (one == NULL)
			continue;
		if (all != NULL) {
			tmp = xasprintf("%s\n%s", all, one);
			free(all);
			free(one);
			one = tmp;
		}
		all = one;
		rc = -1;
	}
	json_decref(root);
	if (rc != 0)
		*cause = all;
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
		*cause = xasprintf(_("%s: not valid UTF-8"), q->id);
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

/* When a visit took place, at the place's own UTC offset. */
static json_t *
batch_json_took(int64_t ms, int offset)
{
	char iso[CLOCK_ISO_OFFSET_LEN];

	clock_iso_offset(iso, ms, offset);
	return json_string(iso);
}

/*
 * "took_place" of a visit line; lines without it (written before visits
 * had it) took place at their start.
 */
static int
batch_json_took_parse(json_t *o, struct visit *v)
{
	json_t *j = json_object_get(o, "took_place");

	if (j == NULL) {
		v->took = v->started;
		v->took_offset = 0;
		return 0;
	}
	return json_is_string(j) ? clock_parse_iso_offset(json_string_value(j),
	                               &v->took, &v->took_offset)
	                         : -1;
}

static json_t *
batch_json_opt(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void
batch_json_checks(const struct visit *v, const struct store_alert_row *handled,
    size_t nhandled, json_t *o)
{
	const struct form_question *q;
	const struct store_alert_row *h;
	json_t *alerts = json_array(), *warnings = json_array(), *e;
	size_t i, k;

	for (i = 0; i < v->form->nquestions; i++) {
		q = &v->form->questions[i];
		if (visit_alerts(v, i)) {
			e = json_object();
			json_object_set_new(e, "question", json_string(q->id));
			json_object_set_new(e, "severity",
			    json_string(form_severity_name(q->severity)));
			json_object_set_new(
			    e, "message", json_string(q->alert_message));
			/* How it was last handled (alerts close / reopen),
			 * named as in the report's alerts. */
			for (k = 0, h = NULL; k < nhandled && h == NULL; k++) {
				if (strcmp(handled[k].question, q->id) == 0)
					h = &handled[k];
			}
			json_object_set_new(e, "state",
			    json_string(
			        h != NULL && h->closed ? "closed" : "open"));
			json_object_set_new(e, "note",
			    batch_json_opt(h != NULL ? h->note : NULL));
			json_object_set_new(e, "handled_by",
			    batch_json_opt(h != NULL ? h->by : NULL));
			json_object_set_new(e, "handled_at",
			    h != NULL && h->by != NULL ? batch_json_time(h->at)
			                               : json_null());
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
batch_json_visit(const struct visit *v, const struct audit_chain *audit,
    const char *problem, const struct store_alert_row *handled, size_t nhandled)
{
	const struct form_question *q;
	json_t *o = json_object(), *form, *unit, *answers, *amended, *amends,
	       *e;
	const struct value *cur;
	size_t i, k;
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
	json_object_set_new(
	    o, "took_place", batch_json_took(v->took, v->took_offset));

	/* The answers that count (amended where amended), as the score and
	 * alerts read them; each amended one under "amended" with what was
	 * first given and the amendment that set it. */
	answers = json_object();
	amended = json_object();
	for (i = 0; i < v->form->nquestions; i++) {
		q = &v->form->questions[i];
		if ((cur = visit_value(v, i)) != NULL)
			json_object_set_new(
			    answers, q->id, batch_json_value(q, cur));
		for (k = v->namendments; k > 0; k--) {
			if (v->amendments[k - 1].question == i)
				break;
		}
		if (k == 0 || !visit_visible(v, i))
			continue;
		e = json_object();
		json_object_set_new(
		    e, "original", batch_json_value(q, &v->answers[i]));
		json_object_set_new(
		    e, "at", batch_json_time(v->amendments[k - 1].at));
		json_object_set_new(
		    e, "reason", json_string(v->amendments[k - 1].reason));
		json_object_set_new(amended, q->id, e);
	}
	json_object_set_new(o, "answers", answers);
	json_object_set_new(o, "amended", amended);
	json_object_set_new(o, "score", json_real(visit_score(v)));
	batch_json_checks(v, handled, nhandled, o);
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
batch_json_truth(const struct visit *v, const char *inspector)
{
	const struct form *f = v->form;
	char iso[CLOCK_ISO_OFFSET_LEN];
	json_t *o = json_object(), *answers = json_object(), *alerts, *a;
	const struct value *val;
	char *out;
	size_t q;

	clock_iso_offset(iso, v->took, v->took_offset);
	iso[10] = ' ';
	iso[16] = '\0';
	json_object_set_new(o, "id", json_string(v->id));
	json_object_set_new(o, "form", json_string(f->id));
	json_object_set_new(o, "unit_id", json_string(v->unit_id));
	json_object_set_new(o, "unit", json_string(v->unit_name));
	json_object_set_new(o, "division", batch_json_opt(v->division));
	json_object_set_new(o, "person", batch_json_opt(v->person));
	json_object_set_new(o, "inspector", json_string(inspector));
	json_object_set_new(o, "took", json_string(iso));
	json_object_set_new(o, "offset", json_integer(v->took_offset));
	alerts = json_array();
	for (q = 0; q < f->nquestions; q++) {
		if (!form_type_answers(f->questions[q].type) ||
		    !visit_visible(v, q))
			continue;
		val = visit_value(v, q);
		json_object_set_new(answers, f->questions[q].id,
		    val ? batch_json_value(&f->questions[q], val)
		        : json_null());
		if (visit_alerts(v, q)) {
			a = json_array();
			json_array_append_new(
			    a, json_string(f->questions[q].id));
			json_array_append_new(a,
			    json_string(
			        form_severity_name(f->questions[q].severity)));
			json_array_append_new(alerts, a);
		}
	}
	json_object_set_new(o, "answers", answers);
	json_object_set_new(o, "score", json_real(visit_score(v)));
	json_object_set_new(o, "score_max", json_real(visit_score_max(v)));
	json_object_set_new(o, "alerts", alerts);
	out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
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
	json_object_set_new(
	    o, "took_place", batch_json_took(r->took, r->took_offset));
	json_object_set_new(o, "answered", json_integer(r->answered));
	json_object_set_new(o, "visible", json_integer(r->visible));
	json_object_set_new(o, "alerts", json_integer(r->alerts));
	out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return out ? out : xstrdup("{}");
}

static void
batch_json_hex(char out[CRYPT_HASH_BYTES * 2 + 1], const unsigned char *h)
{
	static const char hex[] = "0123456789abcdef";
	size_t k;

	for (k = 0; k < CRYPT_HASH_BYTES; k++) {
		out[2 * k] = hex[h[k] >> 4];
		out[2 * k + 1] = hex[h[k] & 15];
	}
	out[2 * CRYPT_HASH_BYTES] = '\0';
}

/* Lower-case hex only, as batch_json_hex writes it. */
static int
batch_json_nibble(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	                              : -1;
}

static int
batch_json_unhex(const char *s, unsigned char out[CRYPT_HASH_BYTES])
{
	size_t k;
	int hi, lo;

	if (s == NULL)
		return -1;
	for (k = 0; k < CRYPT_HASH_BYTES; k++) {
		if ((hi = batch_json_nibble(s[2 * k])) < 0 ||
		    (lo = batch_json_nibble(s[2 * k + 1])) < 0)
			return -1;
		out[k] = (unsigned char)(hi << 4 | lo);
	}
	return s[2 * CRYPT_HASH_BYTES] == '\0' ? 0 : -1;
}

char *
batch_json_header(const char *id, const char *signer, long long seq,
    int64_t created, size_t visits, size_t forms)
{
	char iso[CLOCK_ISO_LEN], *out;
	json_t *h = json_object();

	clock_iso(iso, created);
	json_object_set_new(h, "format", json_string(BATCH_FORMAT));
	json_object_set_new(h, "version", json_integer(BATCH_VERSION));
	json_object_set_new(h, "batch", json_string(id));
	json_object_set_new(h, "signer", json_string(signer));
	json_object_set_new(h, "sequence", json_integer(seq));
	json_object_set_new(h, "created", json_string(iso));
	json_object_set_new(h, "visits", json_integer((json_int_t)visits));
	json_object_set_new(h, "forms", json_integer((json_int_t)forms));
	out = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(h);
	return out ? out : xstrdup("{}");
}

int
batch_json_header_parse(const char *line, size_t len, int *version, char **id,
    char **signer, long long *seq, long long *visits, long long *forms)
{
	json_error_t err;
	json_t *h = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	const char *fmt, *i, *sg;

	fmt = batch_json_str(h, "format");
	i = batch_json_str(h, "batch");
	sg = batch_json_str(h, "signer");
	if (h == NULL || fmt == NULL || strcmp(fmt, BATCH_FORMAT) != 0 ||
	    !json_is_integer(json_object_get(h, "version")) ||
	    json_integer_value(json_object_get(h, "version")) < 1 ||
	    json_integer_value(json_object_get(h, "version")) > BATCH_VERSION ||
	    i == NULL || sg == NULL ||
	    !json_is_integer(json_object_get(h, "sequence")) ||
	    !json_is_integer(json_object_get(h, "visits")) ||
	    !json_is_integer(json_object_get(h, "forms"))) {
		json_decref(h);
		return -1;
	}
	*version = (int)json_integer_value(json_object_get(h, "version"));
	*id = xstrdup(i);
	*signer = xstrdup(sg);
	*seq = json_integer_value(json_object_get(h, "sequence"));
	*visits = json_integer_value(json_object_get(h, "visits"));
	*forms = json_integer_value(json_object_get(h, "forms"));
	json_decref(h);
	return 0;
}

char *
batch_json_form_line(const struct form *f)
{
	json_t *h = json_object();
	char *out;

	json_object_set_new(h, "form", json_string(f->id));
	json_object_set_new(h, "version", json_integer(f->version));
	json_object_set_new(h, "hash", json_string(f->hash));
	json_object_set_new(h, "text", json_stringn(f->text, f->textlen));
	out = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(h);
	return out ? out : xstrdup("{}");
}

int
batch_json_form_parse(const char *line, size_t len, char **text,
    size_t *textlen, char **hash, char **form_id)
{
	json_error_t err;
	json_t *h = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	json_t *t = json_object_get(h, "text");
	const char *hs = batch_json_str(h, "hash");
	const char *id = batch_json_str(h, "form");

	if (!json_is_string(t) || hs == NULL) {
		json_decref(h);
		return -1;
	}
	*textlen = json_string_length(t);
	*text = xmalloc(*textlen + 1);
	memcpy(*text, json_string_value(t), *textlen);
	(*text)[*textlen] = '\0';
	*hash = xstrdup(hs);
	*form_id = xstrdup(id ? id : "?");
	json_decref(h);
	return 0;
}

char *
batch_json_visit_line(const struct visit *v, const struct audit_chain *c)
{
	const struct form_question *q;
	json_t *o = json_object(), *unit, *answers, *reasons, *amends, *audit;
	json_t *e;
	char hex[CRYPT_HASH_BYTES * 2 + 1], *out;
	size_t i;

	json_object_set_new(o, "visit", json_string(v->id));
	json_object_set_new(
	    o, "status", json_string(visit_status_name(v->status)));
	json_object_set_new(o, "form", json_string(v->form->hash));
	unit = json_object();
	json_object_set_new(unit, "id", json_string(v->unit_id));
	json_object_set_new(unit, "name", json_string(v->unit_name));
	json_object_set_new(o, "unit", unit);
	json_object_set_new(o, "division", batch_json_opt(v->division));
	json_object_set_new(o, "person", batch_json_opt(v->person));
	json_object_set_new(o, "started", batch_json_time(v->started));
	json_object_set_new(o, "finalized", batch_json_time(v->finalized));
	json_object_set_new(
	    o, "took_place", batch_json_took(v->took, v->took_offset));
	answers = json_object();
	reasons = json_object();
	for (i = 0; i < v->form->nquestions; i++) {
		q = &v->form->questions[i];
		if (v->answers[i].kind != VALUE_NONE)
			json_object_set_new(answers, q->id,
			    batch_json_value(q, &v->answers[i]));
		if (v->reasons[i] != NULL)
			json_object_set_new(
			    reasons, q->id, json_string(v->reasons[i]));
	}
	json_object_set_new(o, "answers", answers);
	json_object_set_new(o, "reasons", reasons);
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
	/* Format 2: no score, alerts, warnings, entry numbers or per-entry
	 * hashes (the reader recomputes them), only the head of the trail. */
	audit = json_array();
	for (i = 0; c != NULL && i < c->n; i++) {
		e = json_object();
		json_object_set_new(e, "at", batch_json_time(c->v[i].at));
		json_object_set_new(e, "event", json_string(c->v[i].event));
		json_object_set_new(e, "detail", json_string(c->v[i].detail));
		json_array_append_new(audit, e);
	}
	json_object_set_new(o, "audit", audit);
	batch_json_hex(
	    hex, c != NULL && c->n > 0 ? c->v[c->n - 1].hash : batch_json_zero);
	json_object_set_new(o, "audit_head", json_string(hex));
	/* UTF-8 as UTF-8: never JSON_ENSURE_ASCII (\uXXXX is 6 bytes). */
	out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return out ? out : xstrdup("{}");
}

/* Writing a visit line without a JSON tree: see batch-json.h. */

static void
batch_json_put(struct batch_json_out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->p = xreallocarray(o->p, o->cap, 1);
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

#define BATCH_JSON_LIT(o, s) batch_json_put(o, s, sizeof s - 1)

/* s as a JSON string, escaped as jansson's dump does it (JSON_COMPACT,
 * neither JSON_ENSURE_ASCII nor JSON_ESCAPE_SLASH). */
static void
batch_json_put_str(struct batch_json_out *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t i, from, n;
	char esc[7];

	if (s == NULL) {
		o->bad = 1;
		return;
	}
	n = strlen(s);
	if (utf8_check(s, n) != n) {
		o->bad = 1;
		return;
	}
	BATCH_JSON_LIT(o, "\"");
	for (i = from = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\')
			continue;
		batch_json_put(o, s + from, i - from);
		from = i + 1;
		switch (p[i]) {
		case '"':
			BATCH_JSON_LIT(o, "\\\"");
			break;
		case '\\':
			BATCH_JSON_LIT(o, "\\\\");
			break;
		case '\b':
			BATCH_JSON_LIT(o, "\\b");
			break;
		case '\f':
			BATCH_JSON_LIT(o, "\\f");
			break;
		case '\n':
			BATCH_JSON_LIT(o, "\\n");
			break;
		case '\r':
			BATCH_JSON_LIT(o, "\\r");
			break;
		case '\t':
			BATCH_JSON_LIT(o, "\\t");
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[p[i] >> 4];
			esc[5] = hex[p[i] & 15];
			batch_json_put(o, esc, 6);
			break;
		}
	}
	batch_json_put(o, s + from, n - from);
	BATCH_JSON_LIT(o, "\"");
}

/* "key": (keys here are the writer's own, plain ASCII) */
static void
batch_json_put_key(struct batch_json_out *o, const char *key, int first)
{
	if (!first)
		BATCH_JSON_LIT(o, ",");
	batch_json_put_str(o, key);
	BATCH_JSON_LIT(o, ":");
}

static void
batch_json_put_time(struct batch_json_out *o, int64_t ms)
{
	char iso[CLOCK_ISO_LEN];

	if (ms == 0) {
		BATCH_JSON_LIT(o, "null");
		return;
	}
	clock_iso(iso, ms);
	batch_json_put_str(o, iso);
}

/* A value as batch_json_value makes it; the rarer kinds through it. */
static void
batch_json_put_value(struct batch_json_out *o, const struct form_question *q,
    const struct value *v)
{
	char num[32];
	json_t *j;
	char *text;

	switch (v->kind) {
	case VALUE_BOOL:
		if (v->b)
			BATCH_JSON_LIT(o, "\"yes\"");
		else
			BATCH_JSON_LIT(o, "\"no\"");
		return;
	case VALUE_STRING:
		batch_json_put_str(o, v->s);
		return;
	case VALUE_NONE:
		BATCH_JSON_LIT(o, "null");
		return;
	case VALUE_NUMBER:
		if (v->n == floor(v->n) && fabs(v->n) < 9e15 &&
		    (q == NULL || q->type != FORM_NUMBER || q->decimals == 0)) {
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			    (json_int_t)v->n);
			batch_json_put(o, num, strlen(num));
			return;
		}
		break;
	case VALUE_SET:
		break;
	}
	j = batch_json_value(q, v);
	text = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	if (text == NULL) {
		o->bad = 1;
		return;
	}
	batch_json_put(o, text, strlen(text));
	free(text);
}

void
batch_json_line_begin(struct batch_json_out *o, const struct visit *v)
{
	const struct form_question *q;
	char took[CLOCK_ISO_OFFSET_LEN];
	size_t i;
	int first;

	o->len = 0;
	o->bad = 0;
	BATCH_JSON_LIT(o, "{");
	batch_json_put_key(o, "visit", 1);
	batch_json_put_str(o, v->id);
	batch_json_put_key(o, "status", 0);
	batch_json_put_str(o, visit_status_name(v->status));
	batch_json_put_key(o, "form", 0);
	batch_json_put_str(o, v->form->hash);
	batch_json_put_key(o, "unit", 0);
	BATCH_JSON_LIT(o, "{");
	batch_json_put_key(o, "id", 1);
	batch_json_put_str(o, v->unit_id);
	batch_json_put_key(o, "name", 0);
	batch_json_put_str(o, v->unit_name);
	BATCH_JSON_LIT(o, "}");
	batch_json_put_key(o, "division", 0);
	if (v->division != NULL)
		batch_json_put_str(o, v->division);
	else
		BATCH_JSON_LIT(o, "null");
	batch_json_put_key(o, "person", 0);
	if (v->person != NULL)
		batch_json_put_str(o, v->person);
	else
		BATCH_JSON_LIT(o, "null");
	batch_json_put_key(o, "started", 0);
	batch_json_put_time(o, v->started);
	batch_json_put_key(o, "finalized", 0);
	batch_json_put_time(o, v->finalized);
	batch_json_put_key(o, "took_place", 0);
	clock_iso_offset(took, v->took, v->took_offset);
	batch_json_put_str(o, took);
	batch_json_put_key(o, "answers", 0);
	BATCH_JSON_LIT(o, "{");
	for (i = 0, first = 1; i < v->form->nquestions; i++) {
		q = &v->form->questions[i];
		if (v->answers[i].kind == VALUE_NONE)
			continue;
		batch_json_put_key(o, q->id, first);
		batch_json_put_value(o, q, &v->answers[i]);
		first = 0;
	}
	BATCH_JSON_LIT(o, "}");
	batch_json_put_key(o, "reasons", 0);
	BATCH_JSON_LIT(o, "{");
	for (i = 0, first = 1; i < v->form->nquestions; i++) {
		if (v->reasons[i] == NULL)
			continue;
		batch_json_put_key(o, v->form->questions[i].id, first);
		batch_json_put_str(o, v->reasons[i]);
		first = 0;
	}
	BATCH_JSON_LIT(o, "}");
	batch_json_put_key(o, "amendments", 0);
	BATCH_JSON_LIT(o, "[");
	for (i = 0; i < v->namendments; i++) {
		q = &v->form->questions[v->amendments[i].question];
		if (i > 0)
			BATCH_JSON_LIT(o, ",");
		BATCH_JSON_LIT(o, "{");
		batch_json_put_key(o, "question", 1);
		batch_json_put_str(o, q->id);
		batch_json_put_key(o, "value", 0);
		batch_json_put_value(o, q, &v->amendments[i].value);
		batch_json_put_key(o, "reason", 0);
		batch_json_put_str(o, v->amendments[i].reason);
		batch_json_put_key(o, "at", 0);
		batch_json_put_time(o, v->amendments[i].at);
		BATCH_JSON_LIT(o, "}");
	}
	BATCH_JSON_LIT(o, "]");
	batch_json_put_key(o, "audit", 0);
	BATCH_JSON_LIT(o, "[");
}

void
batch_json_line_entry(
    struct batch_json_out *o, int64_t at, const char *event, const char *detail)
{
	if (o->p[o->len - 1] != '[')
		BATCH_JSON_LIT(o, ",");
	BATCH_JSON_LIT(o, "{");
	batch_json_put_key(o, "at", 1);
	batch_json_put_time(o, at);
	batch_json_put_key(o, "event", 0);
	batch_json_put_str(o, event);
	batch_json_put_key(o, "detail", 0);
	batch_json_put_str(o, detail);
	BATCH_JSON_LIT(o, "}");
}

int
batch_json_line_end(
    struct batch_json_out *o, const unsigned char last[CRYPT_HASH_BYTES])
{
	char hex[CRYPT_HASH_BYTES * 2 + 1];

	BATCH_JSON_LIT(o, "]");
	batch_json_put_key(o, "audit_head", 0);
	batch_json_hex(hex, last);
	batch_json_put_str(o, hex);
	BATCH_JSON_LIT(o, "}");
	return o->bad ? -1 : 0;
}

static const char *
batch_json_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
batch_json_ms(json_t *o, const char *key, int64_t *ms, int optional)
{
	json_t *j = json_object_get(o, key);

	*ms = 0;
	if (optional && (j == NULL || json_is_null(j)))
		return 0;
	return json_is_string(j) ? clock_parse_iso(json_string_value(j), ms)
	                         : -1;
}

static char *
batch_json_optstr(json_t *o, const char *key, int *bad)
{
	json_t *j = json_object_get(o, key);

	if (j == NULL || json_is_null(j))
		return NULL;
	if (!json_is_string(j)) {
		*bad = 1;
		return NULL;
	}
	return xstrdup(json_string_value(j));
}

/* The answers, reasons and amendments of a visit line. */
static int
batch_json_parse_answers(struct visit *v, json_t *o, char **cause)
{
	const struct form *f = v->form;
	const char *key;
	json_t *j, *e;
	size_t i;
	long q;

	json_object_foreach(json_object_get(o, "answers"), key, j)
	{
		if ((q = form_find(f, key)) < 0) {
			*cause = xasprintf(_("answer to an unknown question "
			                     "\"%s\""),
			    key);
			return -1;
		}
		if (batch_json_to_value(
		        &f->questions[q], j, &v->answers[q], cause) != 0 ||
		    visit_check_value(v, (size_t)q, &v->answers[q], cause) != 0)
			return -1;
	}
	json_object_foreach(json_object_get(o, "reasons"), key, j)
	{
		if ((q = form_find(f, key)) < 0 || !json_is_string(j)) {
			*cause = xasprintf(_("bad reason for \"%s\""), key);
			return -1;
		}
		v->reasons[q] = xstrdup(json_string_value(j));
	}
	json_array_foreach(json_object_get(o, "amendments"), i, e)
	{
		struct visit_amendment *a;
		const char *qid = batch_json_str(e, "question");

		if (qid == NULL || (q = form_find(f, qid)) < 0 ||
		    batch_json_str(e, "reason") == NULL) {
			*cause = xstrdup(_("malformed amendment"));
			return -1;
		}
		v->amendments = xreallocarray(
		    v->amendments, v->namendments + 1, sizeof *v->amendments);
		a = &v->amendments[v->namendments++];
		memset(a, 0, sizeof *a);
		a->question = (size_t)q;
		a->reason = xstrdup(batch_json_str(e, "reason"));
		if (batch_json_ms(e, "at", &a->at, 0) != 0 ||
		    (!json_is_null(json_object_get(e, "value")) &&
		        batch_json_to_value(&f->questions[q],
		            json_object_get(e, "value"), &a->value,
		            cause) != 0)) {
			if (*cause == NULL)
				*cause = xstrdup(_("malformed amendment"));
			return -1;
		}
	}
	return 0;
}

/* The version of a visit line: 2 when it carries the trail's head. */
static int
batch_json_line_version(json_t *o)
{
	return json_object_get(o, "audit_head") != NULL ? 2 : 1;
}

/*
 * The audit trail of a visit line.  Format 1 gives each entry's n, prev
 * and hash; format 2 gives neither, so the chain is rebuilt here, and the
 * head it carries stands as the last entry's hash: audit_verify then
 * checks it as it checks format 1's hashes, and in the same order as the
 * rest of a visit's checks.
 */
static int
batch_json_parse_audit(
    json_t *o, const char *id, struct audit_chain *c, char **cause)
{
	unsigned char head[CRYPT_HASH_BYTES];
	const unsigned char *prev = batch_json_zero;
	int v2 = batch_json_line_version(o) == 2;
	struct audit_entry e;
	size_t i, first = c->n;
	json_t *j;

	if (v2 &&
	    batch_json_unhex(batch_json_str(o, "audit_head"), head) != 0) {
		*cause = xstrdup(_("malformed audit head"));
		return -1;
	}
	json_array_foreach(json_object_get(o, "audit"), i, j)
	{
		memset(&e, 0, sizeof e);
		e.visit = (char *)id;
		e.event = (char *)batch_json_str(j, "event");
		e.detail = (char *)batch_json_str(j, "detail");
		if (e.event == NULL || e.detail == NULL ||
		    batch_json_ms(j, "at", &e.at, 0) != 0 ||
		    (v2 ? json_object_get(j, "n") != NULL ||
		                json_object_get(j, "prev") != NULL ||
		                json_object_get(j, "hash") != NULL
		        : !json_is_integer(json_object_get(j, "n")) ||
		                batch_json_unhex(
		                    batch_json_str(j, "prev"), e.prev) != 0 ||
		                batch_json_unhex(
		                    batch_json_str(j, "hash"), e.hash) != 0)) {
			*cause =
			    xasprintf(_("malformed audit entry %zu"), i + 1);
			return -1;
		}
		if (v2) {
			e.n = (int64_t)(i + 1);
			memcpy(e.prev, prev, CRYPT_HASH_BYTES);
			audit_hash(&e);
		} else
			e.n = json_integer_value(json_object_get(j, "n"));
		audit_chain_add(c, &e);
		prev = c->v[c->n - 1].hash;
	}
	if (v2 && c->n > first) {
		c->sound = first == 0 && memcmp(c->v[c->n - 1].hash, head,
		                             CRYPT_HASH_BYTES) == 0;
		memcpy(c->v[c->n - 1].hash, head, CRYPT_HASH_BYTES);
	}
	return 0;
}

/*
 * jansson allocates every node, key and string of a line apart (some 500
 * for a visit line) and frees them all together when the line is done:
 * while a thread parses a visit line they come from a block on its stack
 * instead, and freeing them is nothing.  What does not fit, and anything
 * allocated elsewhere, goes through malloc and free as before.
 */
#define BATCH_JSON_ARENA (96 * 1024)

struct batch_json_arena {
	unsigned char *p;
	size_t used;
};

static _Thread_local struct batch_json_arena *batch_json_arena;

static void *
batch_json_alloc(size_t n)
{
	struct batch_json_arena *a = batch_json_arena;
	void *p;

	n = (n + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
	if (a == NULL || n > BATCH_JSON_ARENA - a->used)
		return malloc(n);
	p = a->p + a->used;
	a->used += n;
	return p;
}

static void
batch_json_release(void *p)
{
	struct batch_json_arena *a = batch_json_arena;

	if (a != NULL && (uintptr_t)p >= (uintptr_t)a->p &&
	    (uintptr_t)p < (uintptr_t)a->p + BATCH_JSON_ARENA)
		return;
	free(p);
}

static void
batch_json_alloc_init(void)
{
	json_set_alloc_funcs(batch_json_alloc, batch_json_release);
}

static struct visit *batch_json_visit_parse_tree(const char *line, size_t len,
    int version, struct form *(*form_of)(void *, const char *), void *arg,
    struct audit_chain *audit, char **cause);

struct visit *
batch_json_visit_parse(const char *line, size_t len, int version,
    struct form *(*form_of)(void *, const char *), void *arg,
    struct audit_chain *audit, char **cause)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	_Alignas(max_align_t) unsigned char block[BATCH_JSON_ARENA];
	struct batch_json_arena a = { block, 0 };
	struct visit *v;

	pthread_once(&once, batch_json_alloc_init);
	/* A reader's SIGBUS jump (batch.c) leaves this pointer behind, but
	 * ends that reader's thread, and the pointer is the thread's own. */
	batch_json_arena = &a;
	v = batch_json_visit_parse_tree(
	    line, len, version, form_of, arg, audit, cause);
	batch_json_arena = NULL;
	return v;
}

static struct visit *
batch_json_visit_parse_tree(const char *line, size_t len, int version,
    struct form *(*form_of)(void *, const char *), void *arg,
    struct audit_chain *audit, char **cause)
{
	json_error_t err;
	struct form *f;
	struct visit *v = NULL;
	const char *id, *status;
	json_t *o, *unit;
	int bad = 0;

	memset(audit, 0, sizeof *audit);
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	if (o == NULL) {
		*cause = xasprintf(_("column %d: %s"), err.column, err.text);
		return NULL;
	}
	id = batch_json_str(o, "visit");
	status = batch_json_str(o, "status");
	unit = json_object_get(o, "unit");
	if (!json_is_object(o) || id == NULL || strlen(id) != VISIT_ID_LEN ||
	    status == NULL || !json_is_object(unit) ||
	    batch_json_str(unit, "id") == NULL ||
	    batch_json_str(unit, "name") == NULL ||
	    !json_is_object(json_object_get(o, "answers")) ||
	    !json_is_object(json_object_get(o, "reasons")) ||
	    !json_is_array(json_object_get(o, "amendments")) ||
	    !json_is_array(json_object_get(o, "audit"))) {
		*cause = xstrdup(_("not a visit line"));
		goto out;
	}
	if (batch_json_line_version(o) != version) {
		*cause = xasprintf(_("not a visit line of format %d"), version);
		goto out;
	}
	if (batch_json_str(o, "form") == NULL ||
	    (f = form_of(arg, batch_json_str(o, "form"))) == NULL) {
		*cause = xstrdup(_("its form is not in the batch"));
		goto out;
	}
	v = visit_alloc(f, 0);
	memcpy(v->id, id, VISIT_ID_LEN);
	v->unit_id = xstrdup(batch_json_str(unit, "id"));
	v->unit_name = xstrdup(batch_json_str(unit, "name"));
	v->division = batch_json_optstr(o, "division", &bad);
	v->person = batch_json_optstr(o, "person", &bad);
	if (bad || visit_status_from_name(status, &v->status) != 0 ||
	    batch_json_ms(o, "started", &v->started, 0) != 0 ||
	    batch_json_ms(o, "finalized", &v->finalized, 1) != 0 ||
	    batch_json_took_parse(o, v) != 0) {
		*cause = xstrdup(_("malformed visit fields"));
		goto fail;
	}
	if (batch_json_parse_answers(v, o, cause) != 0 ||
	    batch_json_parse_audit(o, v->id, audit, cause) != 0)
		goto fail;
	visit_changed(v);
	json_decref(o);
	return v;
fail:
	visit_free(v);
	audit_chain_free(audit);
	v = NULL;
out:
	json_decref(o);
	return v;
}

int
batch_json_visit_fill(const char *line, size_t len, struct visit *v,
    const char *id, struct audit_chain *audit, char **cause)
{
	json_error_t err;
	json_t *o;
	int rc = 0;

	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	if (o == NULL || !json_is_object(o)) {
		*cause =
		    xasprintf(_("visit %s: its stored line is unreadable"), id);
		json_decref(o);
		return -1;
	}
	if (v != NULL && batch_json_parse_answers(v, o, cause) != 0)
		rc = -1;
	else if (audit != NULL &&
	         batch_json_parse_audit(o, id, audit, cause) != 0)
		rc = -1;
	if (rc == 0 && v != NULL)
		visit_changed(v);
	json_decref(o);
	return rc;
}

/* ---- a report (anfang(1), REPORT JSON) ---- */

/* Text for JSON: invalid UTF-8 (never from a checked batch) made visible
 * rather than dropped. */
static json_t *
batch_json_text(const char *s)
{
	json_t *j;
	char *v;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	v = diag_visible(s, 1);
	j = json_string(v);
	free(v);
	return j != NULL ? j : json_null();
}

static json_t *
batch_json_num(int has, double v)
{
	return has ? json_real(v) : json_null();
}

static json_t *
batch_json_period(const struct report_period *p)
{
	char label[REPORT_LABEL_LEN], day[16];
	json_t *o = json_object();

	json_object_set_new(o, "span", json_string(report_span_name(p->span)));
	report_day(p->from, day, sizeof day);
	json_object_set_new(o, "from", json_string(day));
	report_day(p->to - 1, day, sizeof day);
	json_object_set_new(o, "to", json_string(day));
	report_period_label(p, label, sizeof label);
	json_object_set_new(o, "label", batch_json_text(label));
	return o;
}

static json_t *
batch_json_alerts_by(const struct report_alerts *a)
{
	json_t *o = json_object();

	json_object_set_new(
	    o, "high", json_integer((json_int_t)a->n[FORM_SEVERITY_HIGH]));
	json_object_set_new(
	    o, "medium", json_integer((json_int_t)a->n[FORM_SEVERITY_MEDIUM]));
	json_object_set_new(
	    o, "low", json_integer((json_int_t)a->n[FORM_SEVERITY_LOW]));
	json_object_set_new(o, "open", json_integer((json_int_t)a->open));
	return o;
}

static json_t *
batch_json_figures(const struct report_figures *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "visits", json_integer((json_int_t)f->visits));
	json_object_set_new(o, "units", json_integer((json_int_t)f->units));
	json_object_set_new(
	    o, "inspectors", json_integer((json_int_t)f->inspectors));
	json_object_set_new(o, "alerts", batch_json_alerts_by(&f->alerts));
	json_object_set_new(o, "score", batch_json_num(f->has_score, f->score));
	json_object_set_new(o, "scored", json_integer((json_int_t)f->scored));
	return o;
}

static json_t *
batch_json_entry(const struct report *r, const struct report_entry *e)
{
	json_t *o = json_object(), *failed = json_array(), *f;
	size_t i;

	json_object_set_new(o, "rank",
	    e->rank > 0 ? json_integer((json_int_t)e->rank) : json_null());
	json_object_set_new(o, "key", batch_json_text(e->key));
	json_object_set_new(o, "name", batch_json_text(e->name));
	json_object_set_new(o, "unit_id", batch_json_text(e->unit_id));
	json_object_set_new(o, "unit_name", batch_json_text(e->unit_name));
	json_object_set_new(o, "visits", json_integer((json_int_t)e->visits));
	json_object_set_new(o, "score", batch_json_num(e->has_score, e->score));
	json_object_set_new(o, "alerts", batch_json_alerts_by(&e->alerts));
	for (i = 0; i < e->nfailed; i++) {
		f = json_object();
		json_object_set_new(f, "question",
		    json_string(r->questions[e->failed[i].question].id));
		json_object_set_new(
		    f, "count", json_integer((json_int_t)e->failed[i].count));
		json_array_append_new(failed, f);
	}
	json_object_set_new(o, "failed", failed);
	json_object_set_new(o, "previous_rank",
	    e->previous_rank > 0 ? json_integer((json_int_t)e->previous_rank)
	                         : json_null());
	json_object_set_new(o, "rank_change",
	    e->has_change ? json_integer(e->rank_change) : json_null());
	json_object_set_new(o, "previous_score",
	    batch_json_num(e->has_previous_score, e->previous_score));
	return o;
}

static json_t *
batch_json_question(const struct report_question *q)
{
	json_t *o = json_object(), *counts, *c;
	size_t j;

	json_object_set_new(o, "id", json_string(q->id));
	json_object_set_new(o, "label", batch_json_text(q->label));
	json_object_set_new(o, "section", batch_json_text(q->section));
	json_object_set_new(o, "type", json_string(form_type_name(q->type)));
	json_object_set_new(o, "unit", batch_json_text(q->unit));
	json_object_set_new(o, "saw", json_integer((json_int_t)q->saw));
	json_object_set_new(
	    o, "answered", json_integer((json_int_t)q->answered));
	if (q->type == FORM_YESNO) {
		json_object_set_new(o, "yes", json_integer((json_int_t)q->yes));
		json_object_set_new(o, "no", json_integer((json_int_t)q->no));
		json_object_set_new(
		    o, "yes_share", batch_json_num(q->has_share, q->yes_share));
	}
	if (q->type == FORM_CHOICE || q->type == FORM_MULTI) {
		counts = json_array();
		for (j = 0; j < q->ncounts; j++) {
			c = json_object();
			json_object_set_new(
			    c, "value", json_string(q->counts[j].value));
			json_object_set_new(
			    c, "label", batch_json_text(q->counts[j].label));
			json_object_set_new(
			    c, "n", json_integer((json_int_t)q->counts[j].n));
			json_object_set_new(c, "share",
			    batch_json_num(
			        q->answered > 0, q->counts[j].share));
			json_array_append_new(counts, c);
		}
		json_object_set_new(o, "counts", counts);
	}
	if (form_type_value_kind(q->type) == VALUE_NUMBER) {
		json_object_set_new(
		    o, "median", batch_json_num(q->has_stats, q->median));
		json_object_set_new(
		    o, "p90", batch_json_num(q->has_stats, q->p90));
		json_object_set_new(
		    o, "mean", batch_json_num(q->has_stats, q->mean));
		json_object_set_new(
		    o, "min", batch_json_num(q->has_stats, q->min));
		json_object_set_new(
		    o, "max", batch_json_num(q->has_stats, q->max));
	}
	json_object_set_new(o, "failed",
	    q->scored ? json_integer((json_int_t)q->failed) : json_null());
	json_object_set_new(o, "target",
	    q->target >= 0 ? json_integer(q->target) : json_null());
	return o;
}

static json_t *
batch_json_target(const struct report *r, const struct report_target *t)
{
	json_t *o = json_object();

	json_object_set_new(
	    o, "question", json_string(r->questions[t->question].id));
	json_object_set_new(
	    o, "figure", json_string(form_figure_name(t->figure)));
	json_object_set_new(o, "of", batch_json_text(t->of));
	json_object_set_new(o, "at_most", json_boolean(t->at_most));
	json_object_set_new(o, "bound", json_real(t->bound));
	json_object_set_new(o, "n", json_integer((json_int_t)t->n));
	json_object_set_new(o, "value", batch_json_num(t->has_value, t->value));
	json_object_set_new(
	    o, "met", t->has_value ? json_boolean(t->met) : json_null());
	json_object_set_new(
	    o, "previous", batch_json_num(t->has_previous, t->previous));
	json_object_set_new(o, "change",
	    batch_json_num(t->has_value && t->has_previous, t->change));
	return o;
}

static json_t *
batch_json_alert_row(const struct report *r, const struct report_alert_row *a)
{
	json_t *o = json_object();
	char when[REPORT_MINUTE_LEN];

	report_minute(a->took, when, sizeof when);
	json_object_set_new(
	    o, "severity", json_string(form_severity_name(a->severity)));
	json_object_set_new(o, "state",
	    json_string(a->state == REPORT_ALERT_OPEN ? "open" : "closed"));
	json_object_set_new(o, "took", json_string(when));
	json_object_set_new(o, "visit", batch_json_text(a->visit_id));
	json_object_set_new(o, "unit_id", batch_json_text(a->unit_id));
	json_object_set_new(o, "unit_name", batch_json_text(a->unit_name));
	json_object_set_new(o, "division", batch_json_text(a->division));
	json_object_set_new(o, "person", batch_json_text(a->person));
	json_object_set_new(o, "inspector", batch_json_text(a->inspector));
	json_object_set_new(
	    o, "question", json_string(r->questions[a->question].id));
	json_object_set_new(o, "message", batch_json_text(a->message));
	json_object_set_new(o, "note", batch_json_text(a->note));
	json_object_set_new(o, "handled_by", batch_json_text(a->by));
	json_object_set_new(o, "handled_at", batch_json_time(a->at));
	return o;
}

char *
batch_json_report(const struct report *r)
{
	const struct report_headline *h = &r->headline;
	const struct report_ranking *k;
	json_t *o = json_object(), *a, *e, *ch, *by;
	size_t i, j;
	char *out;

	json_object_set_new(o, "format", json_string("anfang-report"));
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "family", batch_json_text(r->family));
	if (r->form != NULL) {
		e = json_object();
		json_object_set_new(e, "id", batch_json_text(r->form->id));
		json_object_set_new(
		    e, "version", json_integer(r->form->version));
		json_object_set_new(
		    e, "title", batch_json_text(r->form->title));
		json_object_set_new(
		    e, "language", batch_json_text(r->form->language));
		json_object_set_new(o, "form", e);
	} else
		json_object_set_new(o, "form", json_null());
	json_object_set_new(o, "period", batch_json_period(&h->period));
	json_object_set_new(o, "previous",
	    h->has_previous ? batch_json_period(&h->previous) : json_null());
	json_object_set_new(
	    o, "min_visits", json_integer((json_int_t)r->options.min_visits));

	e = json_object();
	json_object_set_new(e, "now", batch_json_figures(&h->now));
	json_object_set_new(e, "before",
	    h->has_previous ? batch_json_figures(&h->before) : json_null());
	if (h->has_previous) {
		ch = json_object();
		json_object_set_new(ch, "visits", json_integer(h->d_visits));
		json_object_set_new(ch, "units", json_integer(h->d_units));
		json_object_set_new(
		    ch, "inspectors", json_integer(h->d_inspectors));
		json_object_set_new(
		    ch, "score", batch_json_num(h->has_d_score, h->d_score));
		json_object_set_new(e, "change", ch);
	} else
		json_object_set_new(e, "change", json_null());
	json_object_set_new(o, "headline", e);

	a = json_array();
	for (i = 0; i < r->nalerts; i++)
		json_array_append_new(
		    a, batch_json_alert_row(r, &r->alerts[i]));
	json_object_set_new(o, "alerts", a);
	a = json_array();
	for (i = 0; i < r->ntargets; i++)
		json_array_append_new(a, batch_json_target(r, &r->targets[i]));
	json_object_set_new(o, "targets", a);

	by = json_object();
	for (i = 0; i < REPORT_BY_N; i++) {
		if (!r->present[i])
			continue;
		k = &r->rankings[i];
		e = json_object();
		a = json_array();
		for (j = 0; j < k->nranked; j++)
			json_array_append_new(
			    a, batch_json_entry(r, &k->ranked[j]));
		json_object_set_new(e, "ranked", a);
		a = json_array();
		for (j = 0; j < k->nunranked; j++)
			json_array_append_new(
			    a, batch_json_entry(r, &k->unranked[j]));
		json_object_set_new(e, "unranked", a);
		json_object_set_new(
		    e, "without", json_integer((json_int_t)k->without));
		json_object_set_new(by, report_by_name(k->by), e);
	}
	json_object_set_new(o, "rankings", by);

	a = json_array();
	for (i = 0; i < r->nquestions; i++)
		json_array_append_new(a, batch_json_question(&r->questions[i]));
	json_object_set_new(o, "questions", a);

	a = json_array();
	for (i = 0; i < r->ntrend; i++) {
		const struct report_trend_point *p = &r->trend[i];

		e = json_object();
		json_object_set_new(e, "period", batch_json_period(&p->period));
		json_object_set_new(
		    e, "visits", json_integer((json_int_t)p->visits));
		json_object_set_new(
		    e, "score", batch_json_num(p->has_score, p->score));
		ch = json_array();
		for (j = 0; j < r->ntargets; j++)
			json_array_append_new(
			    ch, batch_json_num(p->has_target[j], p->target[j]));
		json_object_set_new(e, "targets", ch);
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "trend", a);

	out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return out != NULL ? out : xstrdup("{}");
}
