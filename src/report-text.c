/*
 * A report as text for a terminal or a mail: at most 80 columns, bars of
 * block characters (ASCII '#' when the locale is not UTF-8), names from
 * batches with their control characters made visible.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/diag.h"
#include "anfang/i18n.h"
#include "anfang/report.h"
#include "anfang/text-width.h"
#include "anfang/xmalloc.h"

#define TEXT_COLS 80
#define TEXT_BAR  16 /* columns of a bar at 100 % */
#define TEXT_NAME 30 /* columns of a name in a ranking */

/* One line, cut to 80 columns whatever a translation made of it. */
static void text_line(FILE *fp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_line(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	char *s, *cut;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	cut = text_width_cell(s, TEXT_COLS, 0, 1);
	/* No trailing blanks: padding is for the columns between. */
	n = (int)strlen(cut);
	while (n > 0 && cut[n - 1] == ' ')
		cut[--n] = '\0';
	fprintf(fp, "%s\n", cut);
	free(cut);
	free(s);
}

/* Text from a batch, visible and fitted to cols (padded when pad). */
static char *
text_name(const char *s, size_t cols, int pad)
{
	char *v = diag_visible(s != NULL ? s : "", 0);
	char *c = text_width_cell(v, cols, pad, 1);

	free(v);
	return c;
}

static void
text_num(char *out, size_t len, enum form_type type, double v)
{
	long s;

	if (type == FORM_TIMER) {
		/* Seconds as minutes:seconds, hours when it takes them. */
		s = lround(v);
		if (s >= 3600)
			snprintf(out, len, "%ld:%02ld:%02ld", s / 3600,
			    s / 60 % 60, s % 60);
		else
			snprintf(out, len, "%ld:%02ld", s / 60, s % 60);
	} else if (fabs(v - round(v)) < 1e-9)
		snprintf(out, len, "%.0f", v);
	else
		snprintf(out, len, "%.2f", v);
}

static void
text_signed(char *out, size_t len, double v, int decimals)
{
	if (fabs(v) < 0.05 && decimals > 0)
		snprintf(out, len, "%s", "\u00b10");
	else
		snprintf(out, len, "%+.*f", decimals, v);
	if (!text_width_utf8() && strncmp(out, "\u00b1", 2) == 0)
		snprintf(out, len, "0");
}

static void
text_headline(FILE *fp, const struct report *r)
{
	const struct report_headline *h = &r->headline;
	char period[REPORT_LABEL_LEN], prev[REPORT_LABEL_LEN], d[32];
	char *title, *family;

	report_period_label(&h->period, period, sizeof period);
	title = text_name(r->form != NULL ? r->form->title : "", 50, 0);
	family = text_name(r->family, 20, 0);
	if (r->family != NULL)
		text_line(fp, _("Report: %s (%s)"), title, family);
	else
		text_line(fp, _("Report"));
	free(title);
	free(family);
	if (h->has_previous) {
		report_period_label(&h->previous, prev, sizeof prev);
		text_line(fp, _("Period: %s, compared with %s"), period, prev);
	} else
		text_line(fp, _("Period: %s"), period);
	text_line(fp, "%s", "");
	if (h->now.visits == 0) {
		text_line(fp, _("No visits in this period."));
		if (h->has_previous)
			text_line(fp, _("The period before had %zu visits."),
			    h->before.visits);
		return;
	}
	if (h->has_previous) {
		text_line(fp, _("Visits      %6zu  (%+ld)"), h->now.visits,
		    h->d_visits);
		text_line(fp, _("Units       %6zu  (%+ld)"), h->now.units,
		    h->d_units);
		text_line(fp, _("Inspectors  %6zu  (%+ld)"), h->now.inspectors,
		    h->d_inspectors);
	} else {
		text_line(fp, _("Visits      %6zu"), h->now.visits);
		text_line(fp, _("Units       %6zu"), h->now.units);
		text_line(fp, _("Inspectors  %6zu"), h->now.inspectors);
	}
	if (h->now.has_score && h->has_d_score) {
		text_signed(d, sizeof d, h->d_score, 1);
		text_line(fp, _("Mean score  %6.1f %%  (%s points)"),
		    h->now.score, d);
	} else if (h->now.has_score)
		text_line(fp, _("Mean score  %6.1f %%"), h->now.score);
	text_line(fp, _("Alerts      %6zu high, %zu medium, %zu low; %zu open"),
	    h->now.alerts.n[FORM_SEVERITY_HIGH],
	    h->now.alerts.n[FORM_SEVERITY_MEDIUM],
	    h->now.alerts.n[FORM_SEVERITY_LOW], h->now.alerts.open);
}

static void
text_wrapped(FILE *fp, const char *indent, const char *s)
{
	char **lines, *v = diag_visible(s, 0);
	size_t n, i;

	n = text_width_wrap(v, TEXT_COLS - text_width(indent), &lines);
	for (i = 0; i < n; i++) {
		text_line(fp, "%s%s", indent, lines[i]);
		free(lines[i]);
	}
	free(lines);
	free(v);
}

static void
text_alerts(FILE *fp, const struct report *r)
{
	const struct report_alert_row *a;
	char day[16], at[16], *where, *insp, *sev, *state;
	size_t i;

	if (r->nalerts == 0)
		return;
	text_line(fp, "%s", "");
	text_line(fp, _("ALERTS (%zu), high first"), r->nalerts);
	for (i = 0; i < r->nalerts; i++) {
		a = &r->alerts[i];
		report_day(a->took, day, sizeof day);
		sev =
		    text_width_cell(report_severity_word(a->severity), 6, 1, 0);
		insp = text_name(a->inspector, 20, 0);
		/* The words of anfang alerts and the report screen. */
		state = text_width_cell(a->state == REPORT_ALERT_OPEN
		                            ? C_("alert", "open")
		                            : _("closed"),
		    6, 1, 0);
		text_line(fp, "  %s  %s  %s  %s  %s", sev, state, day,
		    a->visit_id, insp);
		free(sev);
		free(state);
		free(insp);
		/* (text_wrapped makes it visible) */
		where = report_where(a->unit_name, a->division, a->person);
		text_wrapped(fp, "          ", where);
		free(where);
		text_wrapped(fp, "          ", a->message);
		if (a->note != NULL) {
			char *note;

			/* closed at: UTC ms, shown as its UTC day */
			report_day(a->at, at, sizeof at);
			note = xasprintf(_("closed %s by %s: %s"), at,
			    a->by != NULL ? a->by : "?", a->note);

			text_wrapped(fp, "          ", note);
			free(note);
		}
	}
}

/* A figure of a target's kind: "62.5 %", or a number in q's unit. */
static void
text_figure(char *out, size_t len, const struct report_target *t,
    const struct report_question *q, double v)
{
	if (t->figure == FORM_FIGURE_SHARE)
		snprintf(out, len, "%.1f %%", v);
	else
		text_num(out, len, q->type, v);
}

static void
text_targets(FILE *fp, const struct report *r)
{
	const struct report_target *t;
	const struct report_question *q;
	char val[32], bound[32], ch[32], *label, *what;
	size_t i;

	if (r->ntargets == 0)
		return;
	text_line(fp, "%s", "");
	text_line(fp, _("TARGETS"));
	for (i = 0; i < r->ntargets; i++) {
		t = &r->targets[i];
		q = &r->questions[t->question];
		label = text_name(q->label, 76, 0);
		text_line(fp, "  %s", label);
		free(label);
		text_figure(bound, sizeof bound, t, q, t->bound);
		if (t->figure == FORM_FIGURE_SHARE)
			what =
			    xasprintf(t->at_most ? _("share of %s at most %s")
			                         : _("share of %s at least %s"),
			        report_answer_label(r, q, t->of), bound);
		else
			what = xasprintf(t->at_most ? _("%s at most %s")
			                            : _("%s at least %s"),
			    report_figure_word(t->figure), bound);
		if (!t->has_value) {
			text_line(fp, _("    %s: no answers"), what);
			free(what);
			continue;
		}
		text_figure(val, sizeof val, t, q, t->value);
		ch[0] = '\0';
		if (t->has_previous) {
			if (t->figure == FORM_FIGURE_SHARE)
				text_signed(ch, sizeof ch, t->change, 1);
			else {
				ch[0] = t->change < 0 ? '-' : '+';
				text_num(ch + 1, sizeof ch - 1, q->type,
				    fabs(t->change));
			}
		}
		text_line(fp, _("    %s: %s, %s%s%s%s"), what, val,
		    t->met ? _("met") : _("NOT MET"), ch[0] ? " (" : "", ch,
		    ch[0] ? ")" : "");
		free(what);
	}
}

static const char *
text_by_title(enum report_by by)
{
	switch (by) {
	case REPORT_BY_UNIT:
		return _("RANKING BY UNIT");
	case REPORT_BY_DIVISION:
		return _("RANKING BY DIVISION");
	case REPORT_BY_PERSON:
		return _("RANKING BY PERSON");
	default:
		return _("RANKING BY INSPECTOR");
	}
}

static char *
text_entry_name(const struct report_entry *e)
{
	if (e->unit_name != NULL) {
		char *s = xasprintf("%s / %s", e->key, e->unit_name);
		char *c = text_name(s, TEXT_NAME, 1);

		free(s);
		return c;
	}
	return text_name(e->name, TEXT_NAME, 1);
}

static void
text_entry(FILE *fp, const struct report *r, const struct report_entry *e)
{
	struct report_cells c;
	char *name, *bar, *rk, *al, *sc, *vis;
	size_t i;

	report_entry_cells(e, &c);
	name = text_entry_name(e);
	bar = text_width_bar(e->has_score ? e->score : 0, 100, TEXT_BAR);
	rk = text_width_right(c.rank, 3);
	vis = text_width_right(c.visits, 6);
	sc = text_width_right(c.score, 6);
	al = text_width_right(c.alerts, 8);
	{
		/* The bar padded to its width by columns, not bytes. */
		char *pbar = text_width_cell(bar, TEXT_BAR, 1, 0);

		text_line(fp, "%s %s %s %s %s %s %s", rk, name, vis, sc, pbar,
		    al, c.move);
		free(pbar);
	}
	free(rk);
	free(vis);
	free(sc);
	free(al);
	free(name);
	free(bar);
	if (e->nfailed > 0 && e->rank > 0) {
		char *line = xstrdup(_("most failed:")), *next;

		for (i = 0; i < e->nfailed; i++) {
			/* Each label short enough for all three on a line. */
			char *l = text_name(
			    r->questions[e->failed[i].question].label, 15, 0);

			next = xasprintf("%s%s %s (%zu)", line, i ? "," : "", l,
			    e->failed[i].count);
			free(l);
			free(line);
			line = next;
		}
		next = text_name(line, TEXT_COLS - 4, 0);
		text_line(fp, "    %s", next);
		free(next);
		free(line);
	}
}

static void
text_ranking(FILE *fp, const struct report *r, const struct report_ranking *k)
{
	size_t i;

	text_line(fp, "%s", "");
	text_line(fp, _("%s (worst first; %zu visits or more)"),
	    text_by_title(k->by), r->options.min_visits);
	text_line(fp, _("  alerts: high/medium/low; move: places closer to the "
	                "worst than before"));
	if (k->nranked == 0 && k->nunranked == 0) {
		text_line(fp, _("  nothing to rank"));
		return;
	}
	{
		char *n = text_width_cell(_("name"), TEXT_NAME, 1, 1);
		char *v = text_width_cell(_("visits"), 6, 0, 1);
		char *s = text_width_cell(_("score"), 6, 0, 1);
		char *a = text_width_cell(_("alerts"), 8, 0, 1);
		char *m = text_width_cell(_("move"), 4, 0, 1);
		char *vr = text_width_right(v, 6), *sr = text_width_right(s, 6);
		char *ar = text_width_right(a, 8);

		text_line(fp, "  # %s %s %s %*s %s %s", n, vr, sr, TEXT_BAR, "",
		    ar, m);
		free(n);
		free(v);
		free(s);
		free(a);
		free(m);
		free(vr);
		free(sr);
		free(ar);
	}
	for (i = 0; i < k->nranked; i++)
		text_entry(fp, r, &k->ranked[i]);
	if (k->nunranked > 0) {
		text_line(fp, _("  Fewer than %zu visits, not ranked:"),
		    r->options.min_visits);
		for (i = 0; i < k->nunranked; i++)
			text_entry(fp, r, &k->unranked[i]);
	}
	if (k->without > 0)
		text_line(fp, _("  %zu visits name none."), k->without);
}

static void
text_count_row(FILE *fp, const char *label, size_t n, double share)
{
	char *name = text_name(label, 34, 1), *bar, *pbar;

	bar = text_width_bar(share, 100, TEXT_BAR);
	pbar = text_width_cell(bar, TEXT_BAR, 1, 0);
	text_line(fp, "    %s %6zu %5.1f %% %s", name, n, share, pbar);
	free(name);
	free(bar);
	free(pbar);
}

static void
text_questions(FILE *fp, const struct report *r)
{
	const struct report_question *q;
	char a[32], b[32], c[32], *label;
	size_t i, j;

	if (r->nquestions == 0)
		return;
	text_line(fp, "%s", "");
	text_line(fp, _("QUESTIONS"));
	for (i = 0; i < r->nquestions; i++) {
		q = &r->questions[i];
		label = text_name(q->label, 76, 0);
		text_line(fp, "  %s", label);
		free(label);
		text_line(fp, _("    answered %zu of %zu shown"), q->answered,
		    q->saw);
		if (q->type == FORM_YESNO && q->has_share) {
			text_count_row(fp, _("yes"), q->yes, q->yes_share);
			text_count_row(
			    fp, _("no"), q->no, 100.0 - q->yes_share);
		}
		for (j = 0; j < q->ncounts; j++)
			text_count_row(fp, q->counts[j].label, q->counts[j].n,
			    q->counts[j].share);
		if (q->has_stats) {
			text_num(a, sizeof a, q->type, q->median);
			text_num(b, sizeof b, q->type, q->p90);
			text_num(c, sizeof c, q->type, q->mean);
			text_line(fp,
			    _("    median %s, 90th percentile %s, mean %s"), a,
			    b, c);
		}
	}
}

static void
text_trend(FILE *fp, const struct report *r)
{
	const struct report_trend_point *p;
	char label[REPORT_LABEL_LEN], score[16], *l, *bar, *pbar, *row, *next;
	char v[32];
	size_t i, k;

	if (r->ntrend < 2)
		return;
	text_line(fp, "%s", "");
	text_line(fp, _("TREND: mean score and targeted figures"));
	row = xstrdup("");
	for (k = 0; k < r->ntargets && k < 3; k++) {
		char *id =
		    text_name(r->questions[r->targets[k].question].id, 9, 0);
		char *rid = text_width_right(id, 9);

		next = xasprintf("%s %s", row, rid);
		free(row);
		free(id);
		free(rid);
		row = next;
	}
	l = text_width_cell(_("period"), 12, 1, 1);
	text_line(fp, "  %s %6s %6s %*s%s", l, "", "", TEXT_BAR + 1, "", row);
	free(l);
	free(row);
	for (i = 0; i < r->ntrend; i++) {
		p = &r->trend[i];
		report_period_label(&p->period, label, sizeof label);
		if (p->has_score)
			snprintf(score, sizeof score, "%.1f%%", p->score);
		else
			snprintf(score, sizeof score, "-");
		bar =
		    text_width_bar(p->has_score ? p->score : 0, 100, TEXT_BAR);
		pbar = text_width_cell(bar, TEXT_BAR, 1, 0);
		row = xstrdup("");
		for (k = 0; k < r->ntargets && k < 3; k++) {
			if (p->has_target[k])
				text_figure(v, sizeof v, &r->targets[k],
				    &r->questions[r->targets[k].question],
				    p->target[k]);
			else
				snprintf(v, sizeof v, "-");
			next = xasprintf("%s %9s", row, v);
			free(row);
			row = next;
		}
		l = text_width_cell(label, 12, 1, 1);
		text_line(
		    fp, "  %s %6zu %6s %s%s", l, p->visits, score, pbar, row);
		free(l);
		free(bar);
		free(pbar);
		free(row);
	}
}

int
report_text_write(const struct report *r, FILE *fp, char **cause)
{
	size_t by;

	text_headline(fp, r);
	if (r->headline.now.visits > 0) {
		text_alerts(fp, r);
		text_targets(fp, r);
		for (by = 0; by < REPORT_BY_N; by++) {
			if (r->present[by])
				text_ranking(fp, r, &r->rankings[by]);
		}
		text_questions(fp, r);
		text_trend(fp, r);
	}
	if (fflush(fp) != 0 || ferror(fp)) {
		*cause = xasprintf(_("writing the report failed"));
		return -1;
	}
	return 0;
}
