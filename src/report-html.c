/*
 * A report as one self-contained HTML page: inline CSS and SVG charts, no
 * script, nothing fetched, print styles for A4.  It only draws the model:
 * every figure comes from report.h as report_build worked it out.
 *
 * Names, labels, notes and messages came from batches and forms, which a
 * signature proves the origin of, not the harmlessness: every text goes
 * through html_text, the one escaping function, and only markup this
 * file writes is written raw.  Numbers go through html_fixed: printf's
 * %f follows LC_NUMERIC, and a page must read the same on every machine.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/diag.h"
#include "anfang/i18n.h"
#include "anfang/report.h"
#include "anfang/xmalloc.h"

#define HTML_NUM 48 /* room for any figure this file writes */
#define HTML_FIX 24 /* room for any number html_fixed writes */

/* Ranking charts: a label column, a bar for 0..100 %, the figure after. */
#define HTML_RANK_W     720
#define HTML_RANK_LABEL 250
#define HTML_RANK_BAR   380
#define HTML_RANK_ROW   20
#define HTML_RANK_PAGE  40 /* bars in one chart: 830 pixels, an A4 page */

/* Trend charts: the plot inside margins for the axes' labels. */
#define HTML_TREND_W     720
#define HTML_TREND_H     240
#define HTML_TREND_LEFT  60
#define HTML_TREND_RIGHT 20
#define HTML_TREND_TOP   20
#define HTML_TREND_BOT   50

static const char html_style[] =
    "body{font-family:system-ui,\"Noto Sans CJK TC\",\"Noto Sans CJK SC\","
    "\"WenQuanYi Zen Hei\",sans-serif;color:#1a1a1a;background:#fff;"
    "margin:1.5em auto;max-width:60em;padding:0 1em;line-height:1.4}\n"
    "h1{font-size:1.6em;margin:0 0 .2em}\n"
    "h2{font-size:1.25em;border-bottom:2px solid #345;padding-bottom:.15em;"
    "margin-top:1.6em}\n"
    "h3{font-size:1.05em;margin:1.2em 0 .3em}\n"
    "table{border-collapse:collapse;margin:.4em 0 1em;font-size:.92em}\n"
    "th,td{border:1px solid #bbb;padding:.2em .45em;text-align:left;"
    "vertical-align:top}\n"
    /* names and messages from batches may be one long word */
    "td.w{overflow-wrap:anywhere;min-width:4em}\n"
    "td.name{min-width:10em}\n"
    "td.failed{font-size:.85em}\n"
    "th{background:#eef1f4}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "th,td.k{white-space:nowrap}\n"
    ".empty{font-style:italic;color:#555}\n"
    ".sev-high{color:#fff;background:#b3261e;font-weight:bold}\n"
    ".sev-medium{background:#f6c445}\n"
    ".sev-low{background:#dde7f0}\n"
    ".open{font-weight:bold}\n"
    ".met{color:#1e6b2f;font-weight:bold}\n"
    ".not-met{color:#b3261e;font-weight:bold}\n"
    ".note{white-space:pre-wrap}\n"
    ".worse{color:#b3261e}\n"
    ".better{color:#1e6b2f}\n"
    "svg{display:block;max-width:100%;height:auto;font-size:12px}\n"
    "svg text{fill:#1a1a1a}\n"
    "svg .bar{fill:#5b7fa6}\n"
    "svg .bar.worst{fill:#b3261e}\n"
    "svg .label.worst{font-weight:bold;fill:#b3261e}\n"
    "svg .axis{stroke:#888;stroke-width:1}\n"
    "svg .grid{stroke:#ddd;stroke-width:1}\n"
    "svg .line{fill:none;stroke:#345;stroke-width:2}\n"
    "svg .point{fill:#345}\n"
    "svg .target-line{stroke:#b3261e;stroke-width:1.5;"
    "stroke-dasharray:6 4}\n"
    "svg .target-label{fill:#b3261e;font-size:11px}\n"
    ".share{display:inline-block;height:.8em;background:#5b7fa6;"
    "vertical-align:middle}\n"
    "figure{margin:.5em 0 1em}\n"
    "figcaption{font-size:.9em;color:#444}\n"
    ".question{break-inside:avoid;page-break-inside:avoid}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{body{margin:0;max-width:none;font-size:10pt}"
    "section{break-before:page;page-break-before:always}"
    "section.headline{break-before:auto;page-break-before:auto}"
    /* long tables break between rows, short ones not at all */
    "table.figures,table.targets,table.counts,table.stats,svg,tr"
    "{break-inside:avoid;page-break-inside:avoid}"
    "table.alerts,table.ranked,table.unranked,table.trend{width:100%}"
    "thead{display:table-header-group}"
    "h2,h3{break-after:avoid;page-break-after:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/*
 * v with decimals digits after a '.', whatever the locale; "-" when it is
 * not a number.
 */
static void
html_fixed(char *out, size_t len, double v, int decimals)
{
	long long scale = 1, n;
	int i, neg;

	if (!isfinite(v)) {
		snprintf(out, len, "-");
		return;
	}
	for (i = 0; i < decimals; i++)
		scale *= 10;
	if (fabs(v) >= 1e12) {
		/* Past whole numbers of ms: as 1.234e15, in these digits. */
		char m[24];
		int e = (int)floor(log10(fabs(v)));
		double mant = v / pow(10, e);

		if (fabs(mant) >= 9.9995) {
			mant /= 10;
			e++;
		}
		html_fixed(m, sizeof m, mant, 3);
		snprintf(out, len, "%se%d", m, e);
		return;
	}
	n = llround(fabs(v) * (double)scale);
	neg = v < 0 && n != 0;
	if (decimals == 0)
		snprintf(out, len, "%s%lld", neg ? "-" : "", n);
	else
		snprintf(out, len, "%s%lld.%0*lld", neg ? "-" : "", n / scale,
		    decimals, n % scale);
}

/*
 * Text as HTML, for an element's content or a quoted attribute: controls,
 * bidi overrides and bad UTF-8 made visible as diag_visible does for a
 * terminal (newlines kept when newlines), then & < > " ' as references.
 */
static void
html_text(FILE *fp, const char *s, int newlines)
{
	char *v = diag_visible(s != NULL ? s : "", newlines);
	const char *p;

	for (p = v; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*p, fp);
		}
	}
	free(v);
}

/* A formatted text, escaped as a whole (arguments may come from batches). */
static void html_textf(FILE *fp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
html_textf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	html_text(fp, s, 0);
	free(s);
}

/* An element holding escaped text: <tag attrs>text</tag>. */
static void
html_elem(FILE *fp, const char *tag, const char *attrs, const char *s)
{
	fprintf(fp, "<%s%s%s>", tag, attrs != NULL ? " " : "",
	    attrs != NULL ? attrs : "");
	html_text(fp, s, 0);
	fprintf(fp, "</%s>", tag);
}

/* A per cent figure: "62.5 %". */
static void
html_percent(char *out, size_t len, double v)
{
	char n[HTML_FIX];

	html_fixed(n, sizeof n, v, 1);
	snprintf(out, len, "%s %%", n);
}

/* A figure of a question of type t: timers as m:ss, else 0 or 2 decimals. */
static void
html_number(char *out, size_t len, enum form_type t, double v)
{
	long long s;

	if (t == FORM_TIMER && isfinite(v) && fabs(v) < 1e12) {
		s = llround(fabs(v));
		if (s >= 3600)
			snprintf(out, len, "%s%lld:%02lld:%02lld",
			    v < 0 ? "-" : "", s / 3600, s / 60 % 60, s % 60);
		else
			snprintf(out, len, "%s%lld:%02lld", v < 0 ? "-" : "",
			    s / 60, s % 60);
	} else if (isfinite(v) && fabs(v - round(v)) < 1e-9)
		html_fixed(out, len, v, 0);
	else
		html_fixed(out, len, v, 2);
}

/* A signed change: "+1.5", "-3", "0" (also for what rounds to 0). */
static void
html_signed(char *out, size_t len, double v, int decimals)
{
	char n[HTML_FIX];

	html_fixed(n, sizeof n, v, decimals);
	if (strspn(n, "0.") == strlen(n))
		snprintf(out, len, "0");
	else if (n[0] != '-' && strcmp(n, "-") != 0)
		snprintf(out, len, "+%s", n);
	else
		snprintf(out, len, "%s", n);
}

static void
html_cell_num(FILE *fp, const char *s)
{
	fputs("<td class=\"n\">", fp);
	html_text(fp, s, 0);
	fputs("</td>", fp);
}

static void
html_cell_size(FILE *fp, size_t n)
{
	fprintf(fp, "<td class=\"n\">%zu</td>", n);
}

/*
 * The page's language: the form's BCP 47 tag when it looks like one (it
 * came with the form, so it is checked before it goes in an attribute),
 * else "und" (undetermined).
 */
static void
html_lang(FILE *fp, const struct report *r)
{
	const char *l = r->language;
	size_t i, n;

	if (l == NULL && r->form != NULL)
		l = r->form->language;
	n = l != NULL ? strlen(l) : 0;
	if (n == 0 || n > 35 ||
	    !((l[0] >= 'a' && l[0] <= 'z') || (l[0] >= 'A' && l[0] <= 'Z'))) {
		fputs("und", fp);
		return;
	}
	for (i = 0; i < n; i++) {
		char c = l[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '-' || c == '_')) {
			fputs("und", fp);
			return;
		}
	}
	/* zh_TW written the POSIX way is zh-TW in BCP 47. */
	for (i = 0; i < n; i++)
		fputc(l[i] == '_' ? '-' : l[i], fp);
}

static void
html_head(FILE *fp, const struct report *r)
{
	char period[REPORT_LABEL_LEN];

	report_period_label(&r->headline.period, period, sizeof period);
	fputs("<!DOCTYPE html>\n<html lang=\"", fp);
	html_lang(fp, r);
	fputs("\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>",
	    fp);
	if (r->form != NULL)
		html_textf(fp, _("%s, %s"), r->form->title, period);
	else
		html_textf(fp, _("Report, %s"), period);
	fprintf(
	    fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", html_style);
}

/*
 * A change against the previous period; sense 1 when more is better, -1
 * when more is worse (alerts, places towards the worst), 0 when neither.
 */
static void
html_change_cell(FILE *fp, int has, double d, int decimals, int sense)
{
	char s[HTML_NUM];
	const char *cls = "";

	if (!has) {
		fputs("<td class=\"n\"></td>", fp);
		return;
	}
	html_signed(s, sizeof s, d, decimals);
	if (strcmp(s, "0") != 0 && sense != 0)
		cls = (d > 0) == (sense > 0) ? " better" : " worse";
	fprintf(fp, "<td class=\"n%s\">", cls);
	html_text(fp, s, 0);
	fputs("</td>", fp);
}

static void
html_figure_row(FILE *fp, const char *label, size_t now, size_t before,
    int has_previous, int sense)
{
	fputs("<tr>", fp);
	html_elem(fp, "th", "scope=\"row\"", label);
	html_cell_size(fp, now);
	if (has_previous) {
		html_cell_size(fp, before);
		html_change_cell(fp, 1, (double)now - (double)before, 0, sense);
	}
	fputs("</tr>\n", fp);
}

static void
html_headline(FILE *fp, const struct report *r)
{
	const struct report_headline *h = &r->headline;
	char period[REPORT_LABEL_LEN], prev[REPORT_LABEL_LEN], s[HTML_NUM];

	report_period_label(&h->period, period, sizeof period);
	fputs("<header>\n<h1>", fp);
	if (r->form != NULL && r->family != NULL)
		html_textf(fp, _("Report: %s (%s)"), r->form->title, r->family);
	else
		html_textf(fp, "%s", _("Report"));
	fputs("</h1>\n<p class=\"period\">", fp);
	if (h->has_previous) {
		report_period_label(&h->previous, prev, sizeof prev);
		html_textf(fp, _("Period: %s, compared with %s"), period, prev);
	} else
		html_textf(fp, _("Period: %s"), period);
	fputs("</p>\n</header>\n<section class=\"headline\" id=\"headline\">\n",
	    fp);
	html_elem(fp, "h2", NULL, _("Headline"));
	fputc('\n', fp);
	if (h->now.visits == 0) {
		fputs("<p class=\"empty\" id=\"no-visits\">", fp);
		html_textf(fp, "%s", _("No visits in this period."));
		if (h->has_previous) {
			fputc(' ', fp);
			html_textf(fp, _("The period before had %zu visits."),
			    h->before.visits);
		}
		fputs("</p>\n</section>\n", fp);
		return;
	}
	fputs("<table class=\"figures\">\n<thead><tr>", fp);
	html_elem(fp, "th", NULL, "");
	html_elem(fp, "th", "class=\"n\"", period);
	if (h->has_previous) {
		html_elem(fp, "th", "class=\"n\"", prev);
		html_elem(fp, "th", "class=\"n\"", _("change"));
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	/* The changes are the model's d_ figures: now minus before. */
	html_figure_row(fp, _("Visits"), h->now.visits, h->before.visits,
	    h->has_previous, 0);
	html_figure_row(
	    fp, _("Units"), h->now.units, h->before.units, h->has_previous, 0);
	html_figure_row(fp, _("Inspectors"), h->now.inspectors,
	    h->before.inspectors, h->has_previous, 0);
	fputs("<tr>", fp);
	html_elem(fp, "th", "scope=\"row\"", _("Mean score"));
	if (h->now.has_score)
		html_percent(s, sizeof s, h->now.score);
	else
		snprintf(s, sizeof s, "-");
	html_cell_num(fp, s);
	if (h->has_previous) {
		if (h->before.has_score)
			html_percent(s, sizeof s, h->before.score);
		else
			snprintf(s, sizeof s, "-");
		html_cell_num(fp, s);
		html_change_cell(fp, h->has_d_score, h->d_score, 1, 1);
	}
	fputs("</tr>\n", fp);
	html_figure_row(fp, _("High alerts"),
	    h->now.alerts.n[FORM_SEVERITY_HIGH],
	    h->before.alerts.n[FORM_SEVERITY_HIGH], h->has_previous, -1);
	html_figure_row(fp, _("Medium alerts"),
	    h->now.alerts.n[FORM_SEVERITY_MEDIUM],
	    h->before.alerts.n[FORM_SEVERITY_MEDIUM], h->has_previous, -1);
	html_figure_row(fp, _("Low alerts"), h->now.alerts.n[FORM_SEVERITY_LOW],
	    h->before.alerts.n[FORM_SEVERITY_LOW], h->has_previous, -1);
	html_figure_row(fp, _("Alerts still open"), h->now.alerts.open,
	    h->before.alerts.open, h->has_previous, -1);
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

static const char *
html_severity_class(enum form_severity s)
{
	switch (s) {
	case FORM_SEVERITY_HIGH:
		return "sev-high";
	case FORM_SEVERITY_MEDIUM:
		return "sev-medium";
	default:
		return "sev-low";
	}
}

/* A cell of text from a batch, which may break anywhere to fit. */
static void
html_cell_text(FILE *fp, const char *s)
{
	fputs("<td class=\"w\">", fp);
	html_text(fp, s, 0);
	fputs("</td>", fp);
}

static void
html_alerts(FILE *fp, const struct report *r)
{
	const struct report_alert_row *a;
	char day[16];
	size_t i;

	fputs("<section class=\"alerts\" id=\"alerts\">\n<h2>", fp);
	html_textf(fp, _("Alerts (%zu), high first"), r->nalerts);
	fputs("</h2>\n", fp);
	if (r->nalerts == 0) {
		html_elem(
		    fp, "p", "class=\"empty\"", _("No alerts in this period."));
		fputs("\n</section>\n", fp);
		return;
	}
	fputs("<table class=\"alerts\">\n<thead><tr>", fp);
	html_elem(fp, "th", NULL, _("severity"));
	html_elem(fp, "th", NULL, _("state"));
	html_elem(fp, "th", NULL, _("date"));
	html_elem(fp, "th", NULL, _("unit"));
	html_elem(fp, "th", NULL, _("division"));
	html_elem(fp, "th", NULL, _("person"));
	html_elem(fp, "th", NULL, _("inspector"));
	html_elem(fp, "th", NULL, _("message"));
	html_elem(fp, "th", NULL, _("handled"));
	html_elem(fp, "th", NULL, _("visit"));
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < r->nalerts; i++) {
		a = &r->alerts[i];
		fprintf(fp, "<tr class=\"alert %s\">",
		    a->state == REPORT_ALERT_OPEN ? "open" : "handled");
		fprintf(fp, "<td class=\"k %s\">",
		    html_severity_class(a->severity));
		html_text(fp, report_severity_word(a->severity), 0);
		fputs("</td>", fp);
		html_elem(fp, "td", "class=\"k\"",
		    a->state == REPORT_ALERT_OPEN ? C_("alert", "open")
		                                  : _("closed"));
		report_day(a->took, day, sizeof day);
		html_elem(fp, "td", "class=\"k\"", day);
		html_cell_text(fp, a->unit_name);
		html_cell_text(fp, a->division);
		html_cell_text(fp, a->person);
		html_cell_text(fp, a->inspector);
		fputs("<td class=\"note\">", fp);
		html_text(fp, a->message, 1);
		fputs("</td><td class=\"note\">", fp);
		if (a->state != REPORT_ALERT_OPEN) {
			char at[16];

			/* handled at: UTC ms, shown as its UTC day */
			report_day(a->at, at, sizeof at);
			html_textf(fp, _("by %s on %s: "),
			    a->by != NULL ? a->by : "?", at);
			html_text(fp, a->note, 1);
		}
		fputs("</td>", fp);
		html_cell_text(fp, a->visit_id);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

/* A value of target t's kind: per cent for a share, else q's figure. */
static void
html_target_value(char *out, size_t len, const struct report *r,
    const struct report_target *t, double v)
{
	if (t->figure == FORM_FIGURE_SHARE)
		html_percent(out, len, v);
	else
		html_number(out, len, r->questions[t->question].type, v);
}

/* What target t asks for: "share of yes at least 70.0 %". Caller frees. */
static char *
html_target_goal(const struct report *r, const struct report_target *t)
{
	char bound[HTML_NUM];

	html_target_value(bound, sizeof bound, r, t, t->bound);
	if (t->figure == FORM_FIGURE_SHARE)
		return xasprintf(t->at_most ? _("share of %s at most %s")
		                            : _("share of %s at least %s"),
		    report_answer_label(r, &r->questions[t->question], t->of),
		    bound);
	return xasprintf(t->at_most ? _("%s at most %s") : _("%s at least %s"),
	    report_figure_word(t->figure), bound);
}

static void
html_targets(FILE *fp, const struct report *r)
{
	const struct report_target *t;
	char v[HTML_NUM], *goal;
	size_t i;

	if (r->ntargets == 0)
		return;
	fputs("<section class=\"targets\" id=\"targets\">\n", fp);
	html_elem(fp, "h2", NULL, _("Targets"));
	fputs("\n<table class=\"targets\">\n<thead><tr>", fp);
	html_elem(fp, "th", NULL, _("question"));
	html_elem(fp, "th", NULL, _("target"));
	html_elem(fp, "th", "class=\"n\"", _("value"));
	html_elem(fp, "th", NULL, _("met"));
	html_elem(fp, "th", "class=\"n\"", _("previous"));
	html_elem(fp, "th", "class=\"n\"", _("change"));
	html_elem(fp, "th", "class=\"n\"", _("answers"));
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < r->ntargets; i++) {
		t = &r->targets[i];
		fputs("<tr class=\"target\" data-question=\"", fp);
		html_text(fp, r->questions[t->question].id, 0);
		fputs("\">", fp);
		html_cell_text(fp, r->questions[t->question].label);
		goal = html_target_goal(r, t);
		html_cell_text(fp, goal);
		free(goal);
		if (t->has_value) {
			html_target_value(v, sizeof v, r, t, t->value);
			html_cell_num(fp, v);
			if (t->met)
				html_elem(
				    fp, "td", "class=\"met\"", _("\u2714 met"));
			else
				html_elem(fp, "td", "class=\"not-met\"",
				    _("\u2718 not met"));
		} else {
			html_elem(fp, "td", "class=\"n empty\"", "-");
			html_elem(fp, "td", "class=\"empty\"", _("no answers"));
		}
		if (t->has_previous) {
			html_target_value(v, sizeof v, r, t, t->previous);
			html_cell_num(fp, v);
		} else
			html_cell_num(fp, "");
		if (t->has_value && t->has_previous) {
			if (t->figure == FORM_FIGURE_SHARE)
				html_signed(v, sizeof v, t->change, 1);
			else {
				char a[HTML_FIX];

				html_number(a, sizeof a,
				    r->questions[t->question].type,
				    fabs(t->change));
				snprintf(v, sizeof v, "%s%s",
				    t->change < 0 ? "-" : "+", a);
			}
			html_cell_num(fp, v);
		} else
			html_cell_num(fp, "");
		html_cell_size(fp, t->n);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

static const char *
html_by_title(enum report_by by)
{
	switch (by) {
	case REPORT_BY_UNIT:
		return _("Ranking by unit");
	case REPORT_BY_DIVISION:
		return _("Ranking by division");
	case REPORT_BY_PERSON:
		return _("Ranking by person");
	default:
		return _("Ranking by inspector");
	}
}

/*
 * One bar per ranked entry from..from+n, worst first and the worst
 * highlighted; each bar's <title> and the text beside it say what it
 * shows without colour.
 */
static void
html_ranking_chart(FILE *fp, const struct report_ranking *k, const char *title,
    size_t from, size_t n)
{
	const struct report_entry *e;
	char w[HTML_NUM], x[HTML_NUM], s[HTML_NUM];
	size_t i, h = (n + 1) * HTML_RANK_ROW + 10, y;

	fprintf(fp,
	    "<svg class=\"ranking\" role=\"img\" "
	    "viewBox=\"0 0 %d %zu\" width=\"%d\" height=\"%zu\">\n<title>",
	    HTML_RANK_W, h, HTML_RANK_W, h);
	html_text(fp, title, 0);
	fputs("</title>\n", fp);
	/* The 0, 50 and 100 % lines. */
	for (i = 0; i <= 2; i++) {
		int gx = HTML_RANK_LABEL + (int)i * HTML_RANK_BAR / 2;

		fprintf(fp,
		    "<line class=\"grid\" x1=\"%d\" y1=\"4\" x2=\"%d\" "
		    "y2=\"%zu\"/><text x=\"%d\" y=\"%zu\" "
		    "text-anchor=\"middle\">%zu %%</text>\n",
		    gx, gx, h - 16, gx, h - 4, i * 50);
	}
	for (i = 0; i < n; i++) {
		e = &k->ranked[from + i];
		y = 6 + i * HTML_RANK_ROW;
		if (e->has_score) {
			double sc = e->score < 0     ? 0
			            : e->score > 100 ? 100
			                             : e->score;

			html_fixed(w, sizeof w, sc * HTML_RANK_BAR / 100, 1);
			html_fixed(x, sizeof x,
			    HTML_RANK_LABEL + sc * HTML_RANK_BAR / 100 + 5, 1);
			html_percent(s, sizeof s, e->score);
		} else {
			snprintf(w, sizeof w, "0");
			snprintf(x, sizeof x, "%d", HTML_RANK_LABEL + 5);
			snprintf(s, sizeof s, "%s", _("no score"));
		}
		fprintf(fp,
		    "<rect class=\"bar%s\" data-rank=\"%zu\" data-key=\"",
		    e->rank == 1 ? " worst" : "", e->rank);
		html_text(fp, e->key, 0);
		fprintf(fp,
		    "\" x=\"%d\" y=\"%zu\" width=\"%s\" height=\"%d\">"
		    "<title>",
		    HTML_RANK_LABEL, y + 2, w, HTML_RANK_ROW - 5);
		if (e->unit_name != NULL)
			html_textf(fp, _("%zu. %s (%s): %s, %zu visits"),
			    e->rank, e->name, e->unit_name, s, e->visits);
		else
			html_textf(fp, _("%zu. %s: %s, %zu visits"), e->rank,
			    e->name, s, e->visits);
		fprintf(fp,
		    "</title></rect><text class=\"value\" x=\"%s\" "
		    "y=\"%zu\">",
		    x, y + 13);
		html_text(fp, s, 0);
		fputs("</text>\n", fp);
	}
	/*
	 * The names in a viewport of their own, which clips what does not
	 * fit (the whole name is in the bar's title and the table): no
	 * guess at how wide a font draws it.
	 */
	fprintf(fp,
	    "<svg class=\"labels\" x=\"0\" y=\"0\" width=\"%d\" "
	    "height=\"%zu\">\n",
	    HTML_RANK_LABEL - 6, h);
	for (i = 0; i < n; i++) {
		e = &k->ranked[from + i];
		fprintf(fp, "<text class=\"label%s\" x=\"2\" y=\"%zu\">",
		    e->rank == 1 ? " worst" : "", 6 + i * HTML_RANK_ROW + 13);
		/* A division or person belongs to its unit: both named. */
		if (e->unit_name != NULL)
			html_textf(fp, "%zu. %s \u00b7 %s", e->rank, e->name,
			    e->unit_name);
		else
			html_textf(fp, "%zu. %s", e->rank, e->name);
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n</svg>\n", fp);
}

static void
html_entry_head(FILE *fp, int ranked)
{
	fputs("<thead><tr>", fp);
	if (ranked)
		html_elem(fp, "th", "class=\"n\"", _("rank"));
	html_elem(fp, "th", NULL, _("name"));
	html_elem(fp, "th", "class=\"n\"", _("visits"));
	html_elem(fp, "th", "class=\"n\"", _("score"));
	html_elem(fp, "th", "class=\"n\"", _("previous score"));
	html_elem(fp, "th", "class=\"n\"", _("high"));
	html_elem(fp, "th", "class=\"n\"", _("medium"));
	html_elem(fp, "th", "class=\"n\"", _("low"));
	if (ranked) {
		html_elem(fp, "th", NULL, _("most failed"));
		html_elem(fp, "th", "class=\"n\"", _("move"));
	}
	fputs("</tr></thead>\n", fp);
}

static void
html_entry(FILE *fp, const struct report *r, const struct report_entry *e)
{
	char s[HTML_NUM];
	size_t i;

	fprintf(fp, "<tr class=\"entry%s\">", e->rank == 1 ? " worst" : "");
	if (e->rank > 0)
		fprintf(fp, "<td class=\"n\">%zu</td>", e->rank);
	fputs("<td class=\"w name\">", fp);
	html_text(fp, e->name, 0);
	if (e->unit_name != NULL) {
		fputs(" <small>(", fp);
		html_text(fp, e->unit_name, 0);
		fputs(")</small>", fp);
	} else if (strcmp(e->name, e->key) != 0) {
		fputs(" <small>(", fp);
		html_text(fp, e->key, 0);
		fputs(")</small>", fp);
	}
	fputs("</td>", fp);
	html_cell_size(fp, e->visits);
	if (e->has_score)
		html_percent(s, sizeof s, e->score);
	else
		snprintf(s, sizeof s, "-");
	html_cell_num(fp, s);
	if (e->has_previous_score)
		html_percent(s, sizeof s, e->previous_score);
	else
		s[0] = '\0';
	html_cell_num(fp, s);
	html_cell_size(fp, e->alerts.n[FORM_SEVERITY_HIGH]);
	html_cell_size(fp, e->alerts.n[FORM_SEVERITY_MEDIUM]);
	html_cell_size(fp, e->alerts.n[FORM_SEVERITY_LOW]);
	if (e->rank == 0) {
		fputs("</tr>\n", fp);
		return;
	}
	fputs("<td class=\"failed\">", fp);
	for (i = 0; i < e->nfailed; i++) {
		if (i > 0)
			fputs("; ", fp);
		html_textf(fp, "%s (%zu)",
		    r->questions[e->failed[i].question].label,
		    e->failed[i].count);
	}
	fputs("</td>", fp);
	if (!e->has_change)
		html_elem(fp, "td", "class=\"n\"", C_("rank", "new"));
	else if (e->rank_change == 0)
		html_elem(fp, "td", "class=\"n\"", "=");
	else
		html_change_cell(fp, 1, (double)e->rank_change, 0, -1);
	fputs("</tr>\n", fp);
}

static void
html_ranking(FILE *fp, const struct report *r, const struct report_ranking *k)
{
	const char *title = html_by_title(k->by);
	size_t i;

	fprintf(fp, "<section class=\"ranking\" id=\"ranking-%s\">\n",
	    report_by_name(k->by));
	html_elem(fp, "h2", NULL, title);
	fputs("\n<p>", fp);
	html_textf(fp,
	    _("Worst first: lowest mean score, then most alerts. Ranked with "
	      "%zu visits or more; move is how many places closer to the "
	      "worst than in the period before."),
	    r->options.min_visits);
	fputs("</p>\n", fp);
	if (k->nranked == 0 && k->nunranked == 0) {
		html_elem(fp, "p", "class=\"empty\"", _("Nothing to rank."));
		fputs("\n</section>\n", fp);
		return;
	}
	if (k->nranked > 0) {
		/*
		 * A printer cannot split one picture over pages: a chart
		 * per HTML_RANK_PAGE entries, each fitting an A4 page.
		 */
		fputs("<figure class=\"chart\">\n", fp);
		for (i = 0; i < k->nranked; i += HTML_RANK_PAGE)
			html_ranking_chart(fp, k, title, i,
			    k->nranked - i < HTML_RANK_PAGE ? k->nranked - i
			                                    : HTML_RANK_PAGE);
		fputs("<figcaption>", fp);
		html_textf(fp, "%s",
		    _("Mean score as a share of the highest reachable, worst "
		      "first; the worst in red."));
		fputs("</figcaption>\n</figure>\n", fp);
		fputs("<table class=\"ranked\">\n", fp);
		html_entry_head(fp, 1);
		fputs("<tbody>\n", fp);
		for (i = 0; i < k->nranked; i++)
			html_entry(fp, r, &k->ranked[i]);
		fputs("</tbody>\n</table>\n", fp);
	}
	if (k->nunranked > 0) {
		fputs("<h3>", fp);
		html_textf(fp, _("Fewer than %zu visits, not ranked"),
		    r->options.min_visits);
		fputs("</h3>\n<table class=\"unranked\">\n", fp);
		html_entry_head(fp, 0);
		fputs("<tbody>\n", fp);
		for (i = 0; i < k->nunranked; i++)
			html_entry(fp, r, &k->unranked[i]);
		fputs("</tbody>\n</table>\n", fp);
	}
	if (k->without > 0) {
		fputs("<p>", fp);
		html_textf(fp, _("%zu visits name none."), k->without);
		fputs("</p>\n", fp);
	}
	fputs("</section>\n", fp);
}

/* A row of a count: label, n, share with a bar drawn by CSS. */
static void
html_count_row(
    FILE *fp, const char *value, const char *label, size_t n, double share)
{
	char s[HTML_NUM], w[HTML_NUM];

	fputs("<tr class=\"count\" data-value=\"", fp);
	html_text(fp, value, 0);
	fputs("\">", fp);
	html_cell_text(fp, label);
	html_cell_size(fp, n);
	html_percent(s, sizeof s, share);
	html_cell_num(fp, s);
	html_fixed(w, sizeof w,
	    share < 0     ? 0
	    : share > 100 ? 8
	                  : share * 8 / 100,
	    2);
	fprintf(fp,
	    "<td><span class=\"share\" style=\"width:%sem\">"
	    "</span></td></tr>\n",
	    w);
}

static void
html_stat_cell(FILE *fp, const struct report_question *q, double v)
{
	char s[HTML_NUM];

	html_number(s, sizeof s, q->type, v);
	html_cell_num(fp, s);
}

static void
html_question(FILE *fp, const struct report *r, const struct report_question *q)
{
	size_t j;

	fputs("<div class=\"question\" data-question=\"", fp);
	html_text(fp, q->id, 0);
	fputs("\">\n<h3>", fp);
	html_text(fp, q->label, 0);
	fputs("</h3>\n<p>", fp);
	html_textf(fp,
	    _("%s, %s: answered in %zu of the %zu visits that "
	      "showed it."),
	    q->section != NULL ? q->section : "", q->id, q->answered, q->saw);
	if (q->scored) {
		fputc(' ', fp);
		html_textf(
		    fp, _("Scored below its best in %zu visits."), q->failed);
	}
	if (q->target >= 0 && (size_t)q->target < r->ntargets) {
		char *goal = html_target_goal(r, &r->targets[q->target]);

		fputc(' ', fp);
		html_textf(fp, _("Target: %s."), goal);
		free(goal);
	}
	fputs("</p>\n", fp);
	if ((q->type == FORM_YESNO && q->has_share) || q->ncounts > 0) {
		fputs("<table class=\"counts\">\n<thead><tr>", fp);
		html_elem(fp, "th", NULL, _("answer"));
		html_elem(fp, "th", "class=\"n\"", _("visits"));
		html_elem(fp, "th", "class=\"n\"", _("share"));
		html_elem(fp, "th", NULL, "");
		fputs("</tr></thead>\n<tbody>\n", fp);
		if (q->type == FORM_YESNO && q->has_share) {
			html_count_row(fp, "yes",
			    report_answer_label(r, q, "yes"), q->yes,
			    q->yes_share);
			html_count_row(fp, "no",
			    report_answer_label(r, q, "no"), q->no,
			    100.0 - q->yes_share);
		}
		for (j = 0; j < q->ncounts; j++)
			html_count_row(fp, q->counts[j].value,
			    q->counts[j].label, q->counts[j].n,
			    q->counts[j].share);
		fputs("</tbody>\n</table>\n", fp);
	}
	if (q->has_stats) {
		fputs("<table class=\"stats\">\n<thead><tr>", fp);
		html_elem(fp, "th", "class=\"n\"", _("median"));
		html_elem(fp, "th", "class=\"n\"", _("90th percentile"));
		html_elem(fp, "th", "class=\"n\"", _("mean"));
		html_elem(fp, "th", "class=\"n\"", _("least"));
		html_elem(fp, "th", "class=\"n\"", _("most"));
		if (q->unit != NULL)
			html_elem(fp, "th", NULL, _("unit"));
		fputs("</tr></thead>\n<tbody><tr>", fp);
		html_stat_cell(fp, q, q->median);
		html_stat_cell(fp, q, q->p90);
		html_stat_cell(fp, q, q->mean);
		html_stat_cell(fp, q, q->min);
		html_stat_cell(fp, q, q->max);
		if (q->unit != NULL)
			html_cell_text(fp, q->unit);
		fputs("</tr></tbody>\n</table>\n", fp);
	}
	fputs("</div>\n", fp);
}

static void
html_questions(FILE *fp, const struct report *r)
{
	size_t i;

	if (r->nquestions == 0)
		return;
	fputs("<section class=\"questions\" id=\"questions\">\n", fp);
	html_elem(fp, "h2", NULL, _("Every question"));
	fputc('\n', fp);
	for (i = 0; i < r->nquestions; i++)
		html_question(fp, r, &r->questions[i]);
	fputs("</section>\n", fp);
}

/* One trend series: a value per trend point, where it has one. */
struct html_series {
	const char *title;
	const int *has; /* NULL: read has_score/score of each point */
	const double *v;
	const struct report_target *target; /* NULL for the mean score */
};

static int
html_series_has(const struct report *r, const struct html_series *s, size_t i)
{
	return s->target == NULL ? r->trend[i].has_score : s->has[i];
}

static double
html_series_value(const struct report *r, const struct html_series *s, size_t i)
{
	return s->target == NULL ? r->trend[i].score : s->v[i];
}

static void
html_series_label(char *out, size_t len, const struct report *r,
    const struct html_series *s, double v)
{
	if (s->target == NULL)
		html_percent(out, len, v);
	else
		html_target_value(out, len, r, s->target, v);
}

/*
 * The top of an axis of four steps that holds v: steps of 1, 2, 2.5 or 5
 * times a power of ten, or of whole minutes and hours for timers, so the
 * ticks read as round figures.
 */
static double
html_axis_top(double v, int timer)
{
	static const double mult[] = { 1, 2, 2.5, 5 };
	static const double secs[] = { 15, 30, 60, 120, 300, 600, 900, 1800,
		3600, 7200, 14400, 28800, 86400 };
	double step, p;
	size_t i;

	if (!(v > 0) || !isfinite(v))
		return 1;
	if (timer) {
		for (i = 0; i < sizeof secs / sizeof secs[0]; i++)
			if (secs[i] * 4 >= v)
				return secs[i] * 4;
	}
	p = pow(10, floor(log10(v / 4)));
	for (step = p;; p *= 10) {
		for (i = 0; i < sizeof mult / sizeof mult[0]; i++) {
			step = mult[i] * p;
			if (step * 4 >= v)
				return step * 4;
		}
	}
}

/*
 * A line over the trend's periods, broken where a period has no value,
 * with a dot and its <title> at each value and the target as a dashed
 * line.
 */
static void
html_trend_chart(FILE *fp, const struct report *r, const struct html_series *s)
{
	const double pw = HTML_TREND_W - HTML_TREND_LEFT - HTML_TREND_RIGHT;
	const double ph = HTML_TREND_H - HTML_TREND_TOP - HTML_TREND_BOT;
	char label[REPORT_LABEL_LEN], a[HTML_NUM], b[HTML_NUM], v[HTML_NUM];
	double top = 100, y;
	size_t i, j, run;
	int tick;

	/* Shares and scores on 0..100; other figures up to the largest
	   value or bound, with room above. */
	if (s->target != NULL && s->target->figure != FORM_FIGURE_SHARE) {
		top = s->target->bound;
		for (i = 0; i < r->ntrend; i++)
			if (html_series_has(r, s, i) &&
			    html_series_value(r, s, i) > top)
				top = html_series_value(r, s, i);
		top = html_axis_top(top * 1.1,
		    r->questions[s->target->question].type == FORM_TIMER);
	}
#define HTML_X(i)                                                              \
	(HTML_TREND_LEFT + (r->ntrend > 1                                      \
	                           ? (double)(i)*pw / (double)(r->ntrend - 1)  \
	                           : pw / 2))
#define HTML_Y(val)                                                            \
	(HTML_TREND_TOP + ph * (1 - ((val) < 0        ? 0                      \
	                                : (val) > top ? 1                      \
	                                              : (val) / top)))

	fputs(
	    "<figure class=\"chart\">\n<svg class=\"trend\" role=\"img\" ", fp);
	fprintf(fp, "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n",
	    HTML_TREND_W, HTML_TREND_H, HTML_TREND_W, HTML_TREND_H);
	fputs("<title>", fp);
	html_text(fp, s->title, 0);
	fputs("</title>\n", fp);
	for (tick = 0; tick <= 4; tick++) {
		html_fixed(a, sizeof a, HTML_Y(top * tick / 4), 1);
		html_series_label(v, sizeof v, r, s, top * tick / 4);
		fprintf(fp,
		    "<line class=\"grid\" x1=\"%d\" y1=\"%s\" x2=\"%d\" "
		    "y2=\"%s\"/><text x=\"%d\" y=\"%s\" text-anchor=\"end\" "
		    "dy=\"4\">",
		    HTML_TREND_LEFT, a, HTML_TREND_W - HTML_TREND_RIGHT, a,
		    HTML_TREND_LEFT - 6, a);
		html_text(fp, v, 0);
		fputs("</text>\n", fp);
	}
	fprintf(fp,
	    "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
	    HTML_TREND_LEFT, HTML_TREND_H - HTML_TREND_BOT,
	    HTML_TREND_W - HTML_TREND_RIGHT, HTML_TREND_H - HTML_TREND_BOT);
	for (i = 0; i < r->ntrend; i++) {
		report_period_label(&r->trend[i].period, label, sizeof label);
		html_fixed(a, sizeof a, HTML_X(i), 1);
		/* Two rows of labels when many periods share the width. */
		fprintf(fp,
		    "<text class=\"period\" x=\"%s\" y=\"%d\" "
		    "text-anchor=\"middle\" font-size=\"10\">",
		    a,
		    HTML_TREND_H - HTML_TREND_BOT + 16 +
		        (r->ntrend > 6 && i % 2 ? 14 : 0));
		html_text(fp, label, 0);
		fputs("</text>\n", fp);
	}
	if (s->target != NULL) {
		html_fixed(a, sizeof a, HTML_Y(s->target->bound), 1);
		fprintf(fp,
		    "<line class=\"target-line\" x1=\"%d\" y1=\"%s\" x2=\"%d\" "
		    "y2=\"%s\"><title>",
		    HTML_TREND_LEFT, a, HTML_TREND_W - HTML_TREND_RIGHT, a);
		{
			char *goal = html_target_goal(r, s->target);

			html_textf(fp, _("Target: %s"), goal);
			fputs("</title></line>\n", fp);
			fprintf(fp,
			    "<text class=\"target-label\" x=\"%d\" y=\"%s\" "
			    "text-anchor=\"end\" dy=\"-4\">",
			    HTML_TREND_W - HTML_TREND_RIGHT, a);
			html_textf(fp, _("target: %s"), goal);
			fputs("</text>\n", fp);
			free(goal);
		}
	}
	/* The line, in runs of consecutive periods that have a value. */
	for (i = 0; i < r->ntrend; i = run) {
		if (!html_series_has(r, s, i)) {
			run = i + 1;
			continue;
		}
		for (run = i; run < r->ntrend && html_series_has(r, s, run);
		     run++)
			;
		if (run - i < 2)
			continue;
		fputs("<polyline class=\"line\" points=\"", fp);
		for (j = i; j < run; j++) {
			html_fixed(a, sizeof a, HTML_X(j), 1);
			html_fixed(
			    b, sizeof b, HTML_Y(html_series_value(r, s, j)), 1);
			fprintf(fp, "%s%s,%s", j > i ? " " : "", a, b);
		}
		fputs("\"/>\n", fp);
	}
	for (i = 0; i < r->ntrend; i++) {
		if (!html_series_has(r, s, i))
			continue;
		y = html_series_value(r, s, i);
		html_fixed(a, sizeof a, HTML_X(i), 1);
		html_fixed(b, sizeof b, HTML_Y(y), 1);
		fprintf(fp,
		    "<circle class=\"point\" cx=\"%s\" cy=\"%s\" r=\"3.5\">"
		    "<title>",
		    a, b);
		report_period_label(&r->trend[i].period, label, sizeof label);
		html_series_label(v, sizeof v, r, s, y);
		html_textf(fp, "%s: %s", label, v);
		fputs("</title></circle>\n", fp);
	}
#undef HTML_X
#undef HTML_Y
	fputs("</svg>\n<figcaption>", fp);
	html_text(fp, s->title, 0);
	fputs("</figcaption>\n</figure>\n", fp);
}

static void
html_trend(FILE *fp, const struct report *r)
{
	struct html_series s;
	char label[REPORT_LABEL_LEN], v[HTML_NUM], *title;
	size_t i, k;

	if (r->ntrend == 0)
		return;
	fputs("<section class=\"trend\" id=\"trend\">\n", fp);
	html_elem(fp, "h2", NULL, _("Trend"));
	fputc('\n', fp);
	memset(&s, 0, sizeof s);
	s.title = _("Mean score");
	html_trend_chart(fp, r, &s);
	for (k = 0; k < r->ntargets; k++) {
		double *vals = xcalloc(r->ntrend, sizeof *vals);
		int *has = xcalloc(r->ntrend, sizeof *has);

		for (i = 0; i < r->ntrend; i++) {
			has[i] = r->trend[i].has_target[k];
			vals[i] = r->trend[i].target[k];
		}
		title = xasprintf("%s: %s",
		    r->questions[r->targets[k].question].label,
		    report_figure_word(r->targets[k].figure));
		s.title = title;
		s.has = has;
		s.v = vals;
		s.target = &r->targets[k];
		html_trend_chart(fp, r, &s);
		free(title);
		free(vals);
		free(has);
	}
	/* The same figures as a table, exact and for those who cannot see
	   the charts. */
	fputs("<table class=\"trend\">\n<thead><tr>", fp);
	html_elem(fp, "th", NULL, _("period"));
	html_elem(fp, "th", "class=\"n\"", _("visits"));
	html_elem(fp, "th", "class=\"n\"", _("mean score"));
	for (k = 0; k < r->ntargets; k++)
		html_elem(fp, "th", "class=\"n\"",
		    r->questions[r->targets[k].question].id);
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < r->ntrend; i++) {
		fputs("<tr>", fp);
		report_period_label(&r->trend[i].period, label, sizeof label);
		html_cell_text(fp, label);
		html_cell_size(fp, r->trend[i].visits);
		if (r->trend[i].has_score)
			html_percent(v, sizeof v, r->trend[i].score);
		else
			snprintf(v, sizeof v, "-");
		html_cell_num(fp, v);
		for (k = 0; k < r->ntargets; k++) {
			if (r->trend[i].has_target[k])
				html_target_value(v, sizeof v, r,
				    &r->targets[k], r->trend[i].target[k]);
			else
				snprintf(v, sizeof v, "-");
			html_cell_num(fp, v);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

int
report_html_write(const struct report *r, FILE *fp, char **cause)
{
	size_t by;

	html_head(fp, r);
	html_headline(fp, r);
	if (r->headline.now.visits > 0) {
		html_alerts(fp, r);
		html_targets(fp, r);
		for (by = 0; by < REPORT_BY_N; by++) {
			if (r->present[by])
				html_ranking(fp, r, &r->rankings[by]);
		}
		html_questions(fp, r);
		html_trend(fp, r);
	}
	fputs("</body>\n</html>\n", fp);
	if (fflush(fp) != 0 || ferror(fp)) {
		*cause = xasprintf("%s", _("writing the report failed"));
		return -1;
	}
	return 0;
}
