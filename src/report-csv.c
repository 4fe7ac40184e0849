/*
 * A report's tables as CSV (RFC 4180: commas, fields quoted when they
 * hold a comma, quote or line break, quotes doubled, CRLF line ends),
 * UTF-8 with an optional byte-order mark for spreadsheet programs.
 *
 * Text comes from batches, which anyone may have written: its control
 * characters are shown as the text report shows them ("\x1b", "\u202e";
 * only a newline is kept), and text that starts with = + - @ is written
 * after a single quote, so that a spreadsheet shows it instead of running
 * it as a formula (OWASP's list; a leading tab or carriage return is
 * already shown as "\x09", "\x0d").  Numbers are written as numbers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/clock.h"
#include "anfang/diag.h"
#include "anfang/i18n.h"
#include "anfang/report.h"
#include "anfang/visit.h"
#include "anfang/xmalloc.h"

struct csv {
	FILE *fp;
	int first; /* no field yet on this row */
};

static void
csv_raw(struct csv *c, const char *s)
{
	if (!c->first)
		fputc(',', c->fp);
	c->first = 0;
	fputs(s, c->fp);
}

/*
 * A text field, its controls made visible as the text report shows them
 * (a newline kept: a quoted field may hold one, and a text answer's lines
 * are the analyst's data), quoted when it must be, defused when it is a
 * formula.
 */
static void
csv_text(struct csv *c, const char *raw)
{
	const unsigned char *u;
	const char *p, *s = raw;
	char *vis = NULL;

	if (!c->first)
		fputc(',', c->fp);
	c->first = 0;
	if (raw == NULL)
		return;
	/* Printable ASCII (ids, choice values) is shown as it is: no copy
	 * for most fields of the visits table. */
	for (u = (const unsigned char *)raw; *u >= 0x20 && *u < 0x7f; u++)
		;
	if (*u != '\0')
		s = vis = diag_visible(raw, 1);
	/* An empty answer ("" for a multi with nothing ticked) is quoted,
	   apart from no answer at all. */
	if (*s != '\0' && strpbrk(s, ",\"\n") == NULL &&
	    strchr("=+-@", *s) == NULL) {
		fputs(s, c->fp);
		free(vis);
		return;
	}
	fputc('"', c->fp);
	if (*s != '\0' && strchr("=+-@", *s) != NULL)
		fputc('\'', c->fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', c->fp);
		fputc(*p, c->fp);
	}
	fputc('"', c->fp);
	free(vis);
}

/* The shortest decimal that reads back as the same double; a value that
 * is not a finite number is written empty, as a missing one ("nan" and
 * "inf" are no number a spreadsheet or R reads). */
static void
csv_number(struct csv *c, double v)
{
	char buf[40];
	int prec;

	if (!isfinite(v)) {
		csv_raw(c, "");
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	csv_raw(c, buf);
}

static void
csv_size(struct csv *c, size_t n)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%zu", n);
	csv_raw(c, buf);
}

static void
csv_opt(struct csv *c, int has, double v)
{
	if (has)
		csv_number(c, v);
	else
		csv_raw(c, "");
}

static void
csv_end(struct csv *c)
{
	fputs("\r\n", c->fp);
	c->first = 1;
}

static void
csv_header(struct csv *c, const char *const *names)
{
	for (; *names != NULL; names++)
		csv_raw(c, *names);
	csv_end(c);
}

static int
csv_done(FILE *fp, char **cause)
{
	if (fflush(fp) != 0 || ferror(fp)) {
		*cause = xasprintf(_("writing the report failed"));
		return -1;
	}
	return 0;
}

static void
csv_rankings(struct csv *c, const struct report *r)
{
	static const char *const head[] = { "ranking", "rank", "key", "unit_id",
		"unit_name", "name", "visits", "mean_score", "alerts_high",
		"alerts_medium", "alerts_low", "alerts_open", "previous_rank",
		"rank_change", "previous_score", "failed_1", "failed_1_count",
		"failed_2", "failed_2_count", "failed_3", "failed_3_count",
		NULL };
	const struct report_ranking *k;
	const struct report_entry *e;
	size_t by, i, j;

	csv_header(c, head);
	for (by = 0; by < REPORT_BY_N; by++) {
		if (!r->present[by])
			continue;
		k = &r->rankings[by];
		for (i = 0; i < k->nranked + k->nunranked; i++) {
			e = i < k->nranked ? &k->ranked[i]
			                   : &k->unranked[i - k->nranked];
			csv_raw(c, report_by_name(k->by));
			if (e->rank > 0)
				csv_size(c, e->rank);
			else
				csv_raw(c, "");
			csv_text(c, e->key);
			csv_text(c, e->unit_id);
			csv_text(c, e->unit_name);
			csv_text(c, e->name);
			csv_size(c, e->visits);
			csv_opt(c, e->has_score, e->score);
			csv_size(c, e->alerts.n[FORM_SEVERITY_HIGH]);
			csv_size(c, e->alerts.n[FORM_SEVERITY_MEDIUM]);
			csv_size(c, e->alerts.n[FORM_SEVERITY_LOW]);
			csv_size(c, e->alerts.open);
			if (e->previous_rank > 0)
				csv_size(c, e->previous_rank);
			else
				csv_raw(c, "");
			csv_opt(c, e->has_change, (double)e->rank_change);
			csv_opt(c, e->has_previous_score, e->previous_score);
			for (j = 0; j < REPORT_TOP_FAILED; j++) {
				if (j < e->nfailed) {
					csv_text(c,
					    r->questions[e->failed[j].question]
					        .id);
					csv_size(c, e->failed[j].count);
				} else {
					csv_raw(c, "");
					csv_raw(c, "");
				}
			}
			csv_end(c);
		}
	}
}

/* One row of the questions table: the question, then one answer. */
static void
csv_question_row(struct csv *c, const struct report_question *q,
    const char *answer, const char *label, int has_n, size_t n, double share)
{
	csv_text(c, q->id);
	csv_text(c, q->label);
	csv_raw(c, form_type_name(q->type));
	csv_size(c, q->saw);
	csv_size(c, q->answered);
	csv_text(c, answer);
	csv_text(c, label);
	if (has_n)
		csv_size(c, n);
	else
		csv_raw(c, "");
	csv_opt(c, has_n && q->answered > 0, share);
	csv_opt(c, q->has_stats, q->median);
	csv_opt(c, q->has_stats, q->p90);
	csv_opt(c, q->has_stats, q->mean);
	csv_opt(c, q->has_stats, q->min);
	csv_opt(c, q->has_stats, q->max);
	if (q->scored)
		csv_size(c, q->failed);
	else
		csv_raw(c, "");
	csv_end(c);
}

static void
csv_questions(struct csv *c, const struct report *r)
{
	static const char *const head[] = { "question", "label", "type", "saw",
		"answered", "answer", "answer_label", "count", "share",
		"median", "p90", "mean", "min", "max", "failed", NULL };
	const struct report_question *q;
	size_t i, j;

	csv_header(c, head);
	for (i = 0; i < r->nquestions; i++) {
		q = &r->questions[i];
		if (q->type == FORM_YESNO) {
			csv_question_row(c, q, "yes", NULL, 1, q->yes,
			    q->has_share ? q->yes_share : 0);
			csv_question_row(c, q, "no", NULL, 1, q->no,
			    q->has_share
			        ? 100.0 * (double)q->no / (double)q->answered
			        : 0);
		} else if (q->ncounts > 0) {
			for (j = 0; j < q->ncounts; j++)
				csv_question_row(c, q, q->counts[j].value,
				    q->counts[j].label, 1, q->counts[j].n,
				    q->counts[j].share);
		} else
			csv_question_row(c, q, NULL, NULL, 0, 0, 0);
	}
}

static void
csv_alerts(struct csv *c, const struct report *r)
{
	static const char *const head[] = { "severity", "state", "took",
		"visit", "unit_id", "unit_name", "division", "person",
		"inspector", "question", "message", "note", "handled_by",
		"handled_at", NULL };
	const struct report_alert_row *a;
	char iso[CLOCK_ISO_LEN], when[REPORT_MINUTE_LEN];
	size_t i;

	csv_header(c, head);
	for (i = 0; i < r->nalerts; i++) {
		a = &r->alerts[i];
		csv_raw(c, form_severity_name(a->severity));
		csv_raw(c, a->state == REPORT_ALERT_OPEN ? "open" : "closed");
		report_minute(a->took, when, sizeof when);
		csv_raw(c, when);
		csv_text(c, a->visit_id);
		csv_text(c, a->unit_id);
		csv_text(c, a->unit_name);
		csv_text(c, a->division);
		csv_text(c, a->person);
		csv_text(c, a->inspector);
		csv_text(c, r->questions[a->question].id);
		csv_text(c, a->message);
		csv_text(c, a->note);
		csv_text(c, a->by);
		if (a->at != 0) {
			clock_iso(iso, a->at);
			csv_raw(c, iso);
		} else
			csv_raw(c, "");
		csv_end(c);
	}
}

int
report_csv_write(const struct report *r, enum report_table t, int bom, FILE *fp,
    char **cause)
{
	struct csv c = { fp, 1 };

	if (bom)
		fputs("\xef\xbb\xbf", fp);
	switch (t) {
	case REPORT_TABLE_RANKINGS:
		csv_rankings(&c, r);
		break;
	case REPORT_TABLE_QUESTIONS:
		csv_questions(&c, r);
		break;
	case REPORT_TABLE_ALERTS:
		csv_alerts(&c, r);
		break;
	case REPORT_TABLE_VISITS:
		*cause = xasprintf(_("the visits table is written from the "
		                     "source"));
		return -1;
	}
	return csv_done(fp, cause);
}

/* ---- the flat table, streamed ---- */

struct csv_visits {
	struct csv c;
	size_t rows;
	const struct form *form; /* the report's: its questions are columns */
	const struct form **forms;
	long **maps; /* per form seen: report question -> its question */
	size_t nforms;
};

static const long *
csv_map(struct csv_visits *cv, const struct form *f)
{
	size_t i;
	long *m;

	for (i = 0; i < cv->nforms; i++) {
		if (cv->forms[i] == f)
			return cv->maps[i];
	}
	m = xcalloc(cv->form->nquestions + 1, sizeof *m);
	for (i = 0; i < cv->form->nquestions; i++)
		m[i] = form_find(f, cv->form->questions[i].id);
	cv->forms = xreallocarray(cv->forms, cv->nforms + 1, sizeof *cv->forms);
	cv->maps = xreallocarray(cv->maps, cv->nforms + 1, sizeof *cv->maps);
	cv->forms[cv->nforms] = f;
	cv->maps[cv->nforms++] = m;
	return m;
}

static void
csv_value(struct csv *c, const struct value *v)
{
	char *s;
	size_t i, len;

	switch (v->kind) {
	case VALUE_NONE:
		csv_raw(c, "");
		break;
	case VALUE_BOOL:
		csv_raw(c, v->b ? "yes" : "no");
		break;
	case VALUE_NUMBER:
		csv_number(c, v->n);
		break;
	case VALUE_STRING:
		csv_text(c, v->s);
		break;
	case VALUE_SET:
		/* Options joined by ';' (choice values hold none). */
		for (i = 0, len = 1; i < v->nset; i++)
			len += strlen(v->set[i]) + 1;
		s = xmalloc(len);
		s[0] = '\0';
		for (i = 0; i < v->nset; i++) {
			if (i > 0)
				strcat(s, ";");
			strcat(s, v->set[i]);
		}
		csv_text(c, s);
		free(s);
		break;
	}
}

static int
csv_visit(void *arg, const struct report_visit *v)
{
	struct csv_visits *cv = arg;
	struct csv *c = &cv->c;
	const long *m = csv_map(cv, v->form);
	char when[CLOCK_ISO_OFFSET_LEN], iso[CLOCK_ISO_LEN];
	size_t i;

	csv_text(c, v->id);
	csv_text(c, v->form->id);
	csv_size(c, (size_t)v->form->version);
	csv_raw(c, visit_status_name((enum visit_status)v->status));
	clock_iso_offset(when, v->took, v->took_offset);
	csv_raw(c, when);
	clock_iso(iso, v->finalized);
	csv_raw(c, v->finalized != 0 ? iso : "");
	csv_text(c, v->unit_id);
	csv_text(c, v->unit_name);
	csv_text(c, v->division);
	csv_text(c, v->person);
	csv_text(c, v->inspector);
	csv_number(c, v->score);
	csv_number(c, v->score_max);
	csv_size(c, v->nalerts);
	for (i = 0; i < cv->form->nquestions; i++) {
		if (!form_type_answers(cv->form->questions[i].type))
			continue;
		if (m[i] < 0)
			csv_raw(c, "");
		else
			csv_value(c, &v->values[m[i]]);
	}
	csv_end(c);
	cv->rows++;
	return ferror(c->fp) ? 1 : 0;
}

int
report_csv_visits(struct report_source *src, const char *family,
    const struct form *form, const struct report_period *p, int bom, FILE *fp,
    size_t *rows, char **cause)
{
	static const char *const head[] = { "visit", "form", "form_version",
		"status", "took", "finalized", "unit_id", "unit_name",
		"division", "person", "inspector", "score", "score_max",
		"alerts", NULL };
	struct csv_visits cv;
	size_t i;
	int rc = 0;

	memset(&cv, 0, sizeof cv);
	cv.c.fp = fp;
	cv.c.first = 1;
	cv.form = form;
	if (bom)
		fputs("\xef\xbb\xbf", fp);
	for (i = 0; head[i] != NULL; i++)
		csv_raw(&cv.c, head[i]);
	for (i = 0; form != NULL && i < form->nquestions; i++) {
		if (form_type_answers(form->questions[i].type))
			csv_text(&cv.c, form->questions[i].id);
	}
	csv_end(&cv.c);
	if (family != NULL && form != NULL)
		rc = src->each(
		    src, family, p->from, p->to, 1, csv_visit, &cv, cause);
	for (i = 0; i < cv.nforms; i++)
		free(cv.maps[i]);
	free(cv.maps);
	free(cv.forms);
	if (rows != NULL)
		*rows = cv.rows;
	if (rc == -1)
		return -1;
	if (rc != 0) {
		*cause = xasprintf(_("writing the report failed"));
		return -1;
	}
	return csv_done(fp, cause);
}
