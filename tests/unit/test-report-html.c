/*
 * report-html: a report built by hand, written as a page and read back
 * structurally.  Names from batches come out as text, never as markup;
 * one bar per ranked entry, the worst highlighted; nothing outside the
 * file; the lang attribute; numbers with a '.' in any locale; an empty
 * report is still a page that says so.
 */
#include "unit.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "anfang/report.h"

#define SCRIPT "<script>alert(1)</script>"
/* 40 characters, 80 columns: longer than a chart's label. */
#define LONG_ZH                                                                                            \
	"臺北市政府民政局第一區行政服務中心綜合櫃檯暨市民諮詢服務第二窗口" \
	"聯合辦公室"

/* A literal as the model's char *: the writer only reads it. */
#define S(s) ((char *)(s))

static char f_title[] = "Service & \"window\" <check>";
static char f_lang[] = "zh-Hant";
static char f_family[] = "service-window";

static char *hostile_names[] = {
	S(SCRIPT),
	S("O'Brien \"the\" <b>bold</b>"),
	S("A & B"),
	S("ctl\x01\x1b[31mred\x7f\xe2\x80\xae"),
	S(LONG_ZH),
};

/* The first day of month m of 2026 (13: January 2027), as local ms. */
static int64_t
month(int m)
{
	char d[16];
	int64_t t;

	if (m == 13)
		snprintf(d, sizeof d, "2027-01-01");
	else
		snprintf(d, sizeof d, "2026-%02d-01", m);
	assert_int_equal(report_date_parse(d, &t), 0);
	return t;
}

struct fixture {
	struct form form;
	struct report r;
	struct report_entry ranked[5];
	struct report_entry unranked[2];
	struct report_entry inspectors[1];
	struct report_entry divisions[2];
	struct report_alert_row alerts[2];
	struct report_question questions[3];
	struct report_count counts[2];
	struct report_target targets[2];
	struct report_trend_point trend[3];
	int has_target[3][2];
	double target[3][2];
};

static void
fixture_init(struct fixture *x)
{
	struct report *r = &x->r;
	size_t i;

	memset(x, 0, sizeof *x);
	x->form.title = f_title;
	x->form.language = f_lang;
	r->family = f_family;
	r->form = &x->form;
	r->language = f_lang;
	report_options_init(&r->options);
	r->headline.period.span = REPORT_MONTH;
	r->headline.period.from = month(11);
	r->headline.period.to = month(12);
	r->headline.has_previous = 1;
	r->headline.previous.span = REPORT_MONTH;
	r->headline.previous.from = month(10);
	r->headline.previous.to = month(11);
	r->headline.now.visits = 23;
	r->headline.now.units = 7;
	r->headline.now.inspectors = 2;
	r->headline.now.has_score = 1;
	r->headline.now.score = 71.25;
	r->headline.now.alerts.n[FORM_SEVERITY_HIGH] = 1;
	r->headline.now.alerts.n[FORM_SEVERITY_LOW] = 1;
	r->headline.now.alerts.open = 1;
	r->headline.before.visits = 20;
	r->headline.before.has_score = 1;
	r->headline.before.score = 67.85;
	r->headline.d_visits = 3;
	r->headline.has_d_score = 1;
	r->headline.d_score = 3.4;

	x->alerts[0] = (struct report_alert_row){ .visit_id = S("v-0001"),
		.unit_id = S("u1"),
		.unit_name = hostile_names[0],
		.division = hostile_names[2],
		.person = hostile_names[1],
		.inspector = hostile_names[3],
		.took = month(11) + 3 * REPORT_DAY_MS,
		.question = 0,
		.message = S("refused <i>service</i> & left"),
		.severity = FORM_SEVERITY_HIGH,
		.state = REPORT_ALERT_OPEN };
	x->alerts[1] = (struct report_alert_row){ .visit_id = S("v-0002"),
		.unit_id = S("u2"),
		.unit_name = S("Unit 2"),
		.inspector = S("insp"),
		.took = month(11) + 5 * REPORT_DAY_MS,
		.question = 1,
		.message = S("slow"),
		.severity = FORM_SEVERITY_LOW,
		.state = REPORT_ALERT_CLOSED,
		.note = S("called them\n<img src=x onerror=alert(2)>"),
		.by = S("k1"),
		.at = month(11) + 9 * REPORT_DAY_MS };
	r->alerts = x->alerts;
	r->nalerts = 2;

	x->counts[0] = (struct report_count){ "a", "Counter <A>", 10, 62.5 };
	x->counts[1] = (struct report_count){ "b", "Counter B", 6, 37.5 };
	x->questions[0] = (struct report_question){ .id = "settled",
		.label = "Settled on the spot?",
		.section = "Service",
		.type = FORM_YESNO,
		.saw = 23,
		.answered = 20,
		.yes = 13,
		.no = 7,
		.has_share = 1,
		.yes_share = 65.0,
		.scored = 1,
		.failed = 7,
		.target = 0 };
	x->questions[1] = (struct report_question){ .id = "wait",
		.label = "Wait",
		.section = "Service",
		.type = FORM_TIMER,
		.saw = 23,
		.answered = 23,
		.has_stats = 1,
		.median = 905,
		.p90 = 1800,
		.mean = 1000.5,
		.min = 30,
		.max = 3725,
		.target = 1 };
	x->questions[2] = (struct report_question){ .id = "counter",
		.label = "Which counter",
		.section = "Place",
		.type = FORM_CHOICE,
		.saw = 16,
		.answered = 16,
		.counts = x->counts,
		.ncounts = 2,
		.target = -1 };
	r->questions = x->questions;
	r->nquestions = 3;

	x->targets[0] = (struct report_target){ .question = 0,
		.figure = FORM_FIGURE_SHARE,
		.of = "yes",
		.bound = 70,
		.n = 20,
		.has_value = 1,
		.value = 65.0,
		.met = 0,
		.has_previous = 1,
		.previous = 60.0,
		.change = 5.0 };
	x->targets[1] = (struct report_target){ .question = 1,
		.figure = FORM_FIGURE_MEDIAN,
		.at_most = 1,
		.bound = 900,
		.n = 23,
		.has_value = 1,
		.value = 905,
		.met = 0 };
	r->targets = x->targets;
	r->ntargets = 2;

	for (i = 0; i < 5; i++) {
		x->ranked[i] = (struct report_entry){ .key = hostile_names[i],
			.name = hostile_names[i],
			.visits = 3 + i,
			.has_score = 1,
			.score = 40.0 + 10.0 * (double)i,
			.rank = i + 1,
			.nfailed = 1,
			.failed = { { 0, 2 } },
			.has_change = i > 0,
			.rank_change = (long)i - 2,
			.previous_rank = 3 };
	}
	x->ranked[4].key = S("u5");
	x->unranked[0] = (struct report_entry){ .key = S("u6"),
		.name = S("Lonely & small"),
		.visits = 1,
		.has_score = 1,
		.score = 12.5 };
	x->unranked[1] = (struct report_entry){
		.key = S("u7"), .name = S("Unit 7"), .visits = 2
	};
	r->present[REPORT_BY_UNIT] = 1;
	r->rankings[REPORT_BY_UNIT] =
	    (struct report_ranking){ .by = REPORT_BY_UNIT,
		    .ranked = x->ranked,
		    .nranked = 5,
		    .unranked = x->unranked,
		    .nunranked = 2 };
	x->inspectors[0] = (struct report_entry){ .key = S("insp"),
		.name = S("insp"),
		.visits = 23,
		.has_score = 1,
		.score = 71.25,
		.rank = 1 };
	r->present[REPORT_BY_INSPECTOR] = 1;
	r->rankings[REPORT_BY_INSPECTOR] = (struct report_ranking){
		.by = REPORT_BY_INSPECTOR,
		.ranked = x->inspectors,
		.nranked = 1,
	};
	/* A division of the same name in two units: two entries. */
	for (i = 0; i < 2; i++)
		x->divisions[i] = (struct report_entry){ .key = S("Window 3"),
			.name = S("Window 3"),
			.unit_id = i ? S("u2") : S("u1"),
			.unit_name = i ? S("Unit <2>") : S("Unit 1"),
			.visits = 4,
			.has_score = 1,
			.score = 50.0 + (double)i,
			.rank = i + 1 };
	r->present[REPORT_BY_DIVISION] = 1;
	r->rankings[REPORT_BY_DIVISION] = (struct report_ranking){
		.by = REPORT_BY_DIVISION,
		.ranked = x->divisions,
		.nranked = 2,
	};
	r->rankings[REPORT_BY_PERSON].by = REPORT_BY_PERSON;

	for (i = 0; i < 3; i++) {
		x->trend[i].period.span = REPORT_MONTH;
		x->trend[i].period.from = month(9 + (int)i);
		x->trend[i].period.to = month(10 + (int)i);
		x->trend[i].has_target = x->has_target[i];
		x->trend[i].target = x->target[i];
	}
	/* September had no visits: no point, no line to it. */
	x->trend[1] = (struct report_trend_point){ x->trend[1].period, 20, 1,
		67.85, x->has_target[1], x->target[1] };
	x->trend[2] = (struct report_trend_point){ x->trend[2].period, 23, 1,
		71.25, x->has_target[2], x->target[2] };
	x->has_target[1][0] = x->has_target[2][0] = 1;
	x->target[1][0] = 60;
	x->target[2][0] = 65;
	x->has_target[2][1] = 1;
	x->target[2][1] = 905;
	r->trend = x->trend;
	r->ntrend = 3;
}

/* The page report_html_write makes of r. Caller frees. */
static char *
write_page(const struct report *r)
{
	char *buf = NULL, *cause = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(report_html_write(r, fp, &cause), 0);
	assert_null(cause);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The part of the page from the tag opening section id to its end. */
static char *
section(const char *page, const char *id)
{
	char open[64];
	const char *a, *b;

	snprintf(open, sizeof open, "id=\"%s\"", id);
	a = strstr(page, open);
	if (a == NULL)
		return NULL;
	b = strstr(a, "</section>");
	assert_non_null(b);
	return strndup(a, (size_t)(b - a));
}

static const char *const allowed_tags[] = { "html", "head", "meta", "title",
	"style", "body", "header", "section", "h1", "h2", "h3", "p", "table",
	"thead", "tbody", "tr", "th", "td", "small", "figure", "figcaption",
	"svg", "g", "rect", "line", "polyline", "circle", "text", "span", "div",
	NULL };

/*
 * Read the page as a tokenizer would: only the tags this writer makes,
 * every attribute value in double quotes, text with no raw '>' or quote
 * and no '&' but the five references html_text writes, no control byte
 * but '\n'.  Anything that came in from a batch and escaped the escaping
 * would show up as one of these.
 */
static void
assert_well_formed(const char *page)
{
	const char *p = page, *q;
	size_t i, n;
	int ok;

	assert_true(strncmp(page, "<!DOCTYPE html>\n<html lang=\"", 28) == 0);
	p = strchr(page, '\n') + 1;
	while (*p != '\0') {
		if ((unsigned char)*p < 0x20 && *p != '\n')
			fail_msg(
			    "control byte 0x%02x at %ld", *p, (long)(p - page));
		if (*p == '>' || *p == '"' || *p == '\'')
			fail_msg("raw %c in text at %ld: %.40s", *p,
			    (long)(p - page), p);
		if (*p == '&') {
			if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
			    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) &&
			    strncmp(p, "&#39;", 5))
				fail_msg("stray & at %ld: %.20s",
				    (long)(p - page), p);
			p++;
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		q = p + 1 + (p[1] == '/');
		n = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789");
		ok = 0;
		for (i = 0; allowed_tags[i] != NULL; i++)
			if (strlen(allowed_tags[i]) == n &&
			    strncmp(q, allowed_tags[i], n) == 0)
				ok = 1;
		if (!ok)
			fail_msg("unexpected tag at %ld: %.40s",
			    (long)(p - page), p);
		/* Attributes: name="value" with no '<', '>' or quote inside. */
		q += n;
		while (*q != '>') {
			if (*q == '"') {
				q++;
				n = strcspn(q, "\"<>'");
				if (q[n] != '"')
					fail_msg("bad attribute at %ld: %.40s",
					    (long)(q - page), q);
				q += n + 1;
				continue;
			}
			if (*q == '\0' || *q == '<' || *q == '\'')
				fail_msg("bad tag at %ld: %.40s",
				    (long)(p - page), p);
			q++;
		}
		p = q + 1;
		/* The style sheet is this file's own, with its quotes. */
		if (strncmp(p - 7, "<style>", 7) == 0) {
			q = strstr(p, "</style>");
			assert_non_null(q);
			p = q;
		}
	}
	n = strlen(page);
	assert_true(n > 16);
	assert_string_equal(page + n - 16, "</body>\n</html>\n");
}

static void
test_hostile_names_are_text(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	char *page;

	(void)state;
	fixture_init(x);
	page = write_page(&x->r);
	assert_well_formed(page);
	/* As text, escaped, in the table and the bars' titles. */
	assert_null(strstr(page, "<script"));
	assert_null(strstr(page, "<img"));
	assert_null(strstr(page, "<b>"));
	assert_null(strstr(page, "<i>"));
	assert_true(count(page, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 3);
	assert_non_null(strstr(
	    page, "O&#39;Brien &quot;the&quot; &lt;b&gt;bold&lt;/b&gt;"));
	assert_non_null(strstr(page, ">A &amp; B<"));
	assert_non_null(
	    strstr(page, "refused &lt;i&gt;service&lt;/i&gt; &amp; left"));
	/* Controls, DEL, bad bytes and a bidi override made visible. */
	assert_non_null(strstr(page, "ctl\\x01\\x1b[31mred\\x7f\\u202e"));
	assert_null(strchr(page, '\x1b'));
	assert_null(strstr(page, "\xe2\x80\xae"));
	/* A note keeps its line break and shows its markup as text. */
	assert_non_null(
	    strstr(page, "called them\n&lt;img src=x onerror=alert(2)&gt;"));
	/* The long Chinese name whole, in the table and the chart's
	   labels, which are clipped to their own viewport. */
	assert_non_null(strstr(page, "<td class=\"w name\">" LONG_ZH));
	assert_non_null(strstr(page, ">5. " LONG_ZH "</text>"));
	assert_non_null(strstr(page, "<svg class=\"labels\" x=\"0\" y=\"0\" "
	                             "width=\"244\""));
	/* The form's title too. */
	assert_non_null(strstr(page, "Service &amp; &quot;window&quot; "
	                             "&lt;check&gt;"));
	free(page);
	free(x);
}

static void
test_one_bar_per_ranked_entry(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	char *page, *unit, *insp, *div, *w;

	(void)state;
	fixture_init(x);
	page = write_page(&x->r);
	unit = section(page, "ranking-unit");
	assert_non_null(unit);
	assert_int_equal(count(unit, "<rect class=\"bar"), 5);
	assert_int_equal(count(unit, "<rect class=\"bar worst\""), 1);
	/* The worst is the one ranked first, and only it. */
	w = strstr(unit, "<rect class=\"bar worst\"");
	assert_ptr_equal(w, strstr(unit, "<rect class=\"bar worst\" "
	                                 "data-rank=\"1\" data-key=\"&lt;"
	                                 "script&gt;"));
	assert_int_equal(count(unit, "data-rank=\"5\" data-key=\"u5\""), 1);
	/* Each bar says what it is, and its width is its score. */
	assert_int_equal(count(unit, "<title>"), 6); /* and the chart's */
	assert_non_null(strstr(unit, "data-key=\"u5\" x=\"250\" y=\"88\" "
	                             "width=\"304.0\""));
	assert_non_null(
	    strstr(unit, "5. " LONG_ZH ": 80.0 %, 7 visits</title>"));
	/* The unranked apart, with no bar. */
	assert_null(strstr(unit, "data-key=\"u6\""));
	assert_non_null(strstr(unit, "class=\"unranked\""));
	assert_non_null(strstr(unit, "Lonely &amp; small"));
	insp = section(page, "ranking-inspector");
	assert_non_null(insp);
	assert_int_equal(count(insp, "<rect class=\"bar"), 1);
	/* A division named with its unit, in the chart and the table. */
	div = section(page, "ranking-division");
	assert_non_null(div);
	assert_int_equal(count(div, "<rect class=\"bar"), 2);
	assert_non_null(
	    strstr(div, ">2. Window 3 \u00b7 Unit &lt;2&gt;</text>"));
	assert_non_null(strstr(div, "2. Window 3 (Unit &lt;2&gt;): 51.0 %, "
	                            "4 visits</title>"));
	assert_non_null(
	    strstr(div, "Window 3 <small>(Unit &lt;2&gt;)</small>"));
	/* Not asked for: no section. */
	assert_null(section(page, "ranking-person"));
	free(unit);
	free(insp);
	free(div);
	free(page);
	free(x);
}

static void
test_figures(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	char *page, *s;

	(void)state;
	fixture_init(x);
	page = write_page(&x->r);
	/* Sections in the order the issue asks: alerts first. */
	assert_true(
	    strstr(page, "id=\"headline\"") < strstr(page, "id=\"alerts\""));
	assert_true(
	    strstr(page, "id=\"alerts\"") < strstr(page, "id=\"targets\""));
	assert_true(strstr(page, "id=\"targets\"") <
	            strstr(page, "id=\"ranking-unit\""));
	assert_true(strstr(page, "id=\"ranking-inspector\"") <
	            strstr(page, "id=\"questions\""));
	assert_true(
	    strstr(page, "id=\"questions\"") < strstr(page, "id=\"trend\""));
	/* Headline and its changes. */
	assert_non_null(strstr(page, "<td class=\"n\">71.3 %</td>"));
	assert_non_null(strstr(page, "<td class=\"n better\">+3.4</td>"));
	assert_non_null(strstr(page, "<td class=\"n\">+3</td>"));
	/* The alerts, high first as the model has them, open and handled. */
	s = section(page, "alerts");
	assert_true(strstr(s, "v-0001") < strstr(s, "v-0002"));
	assert_non_null(strstr(s, "<tr class=\"alert open\"><td "
	                          "class=\"k sev-high\">"));
	assert_non_null(strstr(s, "<tr class=\"alert handled\">"));
	/* in the words of anfang alerts: open or closed */
	assert_non_null(strstr(s, "<td class=\"k\">closed</td>"));
	assert_null(strstr(s, "<td class=\"k\">handled</td>"));
	assert_non_null(strstr(s, "2026-11-04"));
	assert_non_null(strstr(s, "by k1 on 2026-11-10: "));
	free(s);
	/* Targets: value, met or not, change. */
	s = section(page, "targets");
	/* yes and no in the form's language (zh-Hant) */
	assert_non_null(strstr(s, "share of 是 at least 70.0 %"));
	assert_non_null(strstr(s, "<td class=\"n\">65.0 %</td>"));
	assert_int_equal(count(s, "class=\"not-met\""), 2);
	assert_non_null(strstr(s, "<td class=\"n\">+5.0</td>"));
	assert_non_null(strstr(s, "median at most 15:00"));
	assert_non_null(strstr(s, "<td class=\"n\">15:05</td>"));
	free(s);
	/* Every question's figures. */
	s = section(page, "questions");
	assert_int_equal(count(s, "<div class=\"question\""), 3);
	assert_non_null(strstr(s, "<tr class=\"count\" data-value=\"yes\">"
	                          "<td class=\"w\">是</td><td class=\"n\">13"
	                          "</td><td class=\"n\">65.0 %</td>"));
	assert_non_null(strstr(s, "<td class=\"w\">否</td><td class=\"n\">7"
	                          "</td><td class=\"n\">35.0 %</td>"));
	assert_non_null(strstr(s, "Counter &lt;A&gt;</td><td class=\"n\">10"
	                          "</td><td class=\"n\">62.5 %</td>"));
	assert_non_null(strstr(s, "<td class=\"n\">15:05</td><td class=\"n\">"
	                          "30:00</td><td class=\"n\">16:41</td>"
	                          "<td class=\"n\">0:30</td><td class=\"n\">"
	                          "1:02:05</td>"));
	free(s);
	/* Trend: three charts, a target line in each target's, the line
	   broken where September has no value. */
	s = section(page, "trend");
	assert_int_equal(count(s, "<svg class=\"trend\""), 3);
	assert_int_equal(count(s, "class=\"target-line\""), 2);
	assert_int_equal(count(s, "<polyline"), 2);
	assert_int_equal(count(s, "<circle"), 2 + 2 + 1);
	free(s);
	free(page);
	free(x);
}

static void
test_nothing_from_outside(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	char *page;

	(void)state;
	fixture_init(x);
	page = write_page(&x->r);
	assert_null(strstr(page, "http:"));
	assert_null(strstr(page, "https:"));
	assert_null(strstr(page, "src=\""));
	assert_null(strstr(page, "href=\""));
	assert_null(strstr(page, "url("));
	assert_null(strstr(page, "@import"));
	assert_null(strstr(page, "<link"));
	/* Print styles for A4, a page per section. */
	assert_non_null(strstr(page, "@page{size:A4"));
	assert_non_null(strstr(page, "break-before:page"));
	free(page);
	free(x);
}

static void
test_lang(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	char *page, bad[] = "en\" onload=\"alert(3)", posix[] = "zh_TW";

	(void)state;
	fixture_init(x);
	page = write_page(&x->r);
	assert_true(
	    strncmp(page, "<!DOCTYPE html>\n<html lang=\"zh-Hant\">", 37) == 0);
	free(page);
	x->r.language = x->form.language = posix;
	page = write_page(&x->r);
	assert_non_null(strstr(page, "<html lang=\"zh-TW\">"));
	free(page);
	x->r.language = x->form.language = bad;
	page = write_page(&x->r);
	assert_non_null(strstr(page, "<html lang=\"und\">"));
	assert_null(strstr(page, "onload"));
	free(page);
	free(x);
}

static void
test_empty_report(void **state)
{
	struct report r;
	char *page;

	(void)state;
	memset(&r, 0, sizeof r);
	report_options_init(&r.options);
	r.headline.period.span = REPORT_MONTH;
	r.headline.period.from = month(11);
	r.headline.period.to = month(12);
	r.headline.has_previous = 1;
	r.headline.previous.span = REPORT_MONTH;
	r.headline.previous.from = month(10);
	r.headline.previous.to = month(11);
	r.headline.before.visits = 4;
	page = write_page(&r);
	assert_well_formed(page);
	assert_non_null(strstr(page, "<html lang=\"und\">"));
	assert_non_null(strstr(page, "id=\"no-visits\">No visits in this "
	                             "period. The period before had 4 "
	                             "visits.</p>"));
	assert_null(strstr(page, "id=\"alerts\""));
	assert_null(strstr(page, "<svg"));
	assert_non_null(strstr(page, "2026-11"));
	free(page);
}

/* A locale whose decimal point is a comma, made for the test. */
static int
comma_locale(void)
{
	char dir[] = "/tmp/anfang-html-XXXXXX", cmd[512], def[300];
	int rc = -1;
	FILE *fp;

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(def, sizeof def, "%s/comma", dir);
	fp = fopen(def, "w");
	if (fp != NULL) {
		fputs("LC_NUMERIC\ndecimal_point \",\"\nthousands_sep \".\"\n"
		      "grouping 3;3\nEND LC_NUMERIC\n",
		    fp);
		fclose(fp);
		snprintf(cmd, sizeof cmd,
		    "localedef -c -i %s -f UTF-8 %s/xx_XX.UTF-8 "
		    ">/dev/null 2>&1",
		    def, dir);
		if (system(cmd) != -1) {
			setenv("LOCPATH", dir, 1);
			if (setlocale(LC_NUMERIC, "xx_XX.UTF-8") != NULL)
				rc = 0;
		}
	}
	/* setlocale has read the locale in: its files can go. */
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = -1;
	return rc;
}

static void
test_numbers_ignore_locale(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	char probe[16], *page, *s;

	(void)state;
	if (comma_locale() != 0) {
		free(x);
		skip(); /* no localedef or no UTF-8 charmap here */
	}
	/* The locale is in force: printf itself now writes a comma. */
	snprintf(probe, sizeof probe, "%.1f", 1.5);
	assert_string_equal(probe, "1,5");
	fixture_init(x);
	page = write_page(&x->r);
	setlocale(LC_NUMERIC, "C");
	assert_non_null(strstr(page, "71.3 %"));
	assert_non_null(strstr(page, "+3.4"));
	s = section(page, "ranking-unit");
	assert_non_null(strstr(s, "width=\"304.0\""));
	free(s);
	free(page);
	free(x);
}

/* 100 units: a chart per 40 bars, so that each fits a printed page. */
static void
test_many_bars_split(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	struct report_entry *many = calloc(100, sizeof *many);
	char keys[100][8], *page, *unit, *p;
	size_t i;

	(void)state;
	fixture_init(x);
	for (i = 0; i < 100; i++) {
		snprintf(keys[i], sizeof keys[i], "k%03zu", i);
		many[i] = (struct report_entry){ .key = keys[i],
			.name = keys[i],
			.visits = 3,
			.has_score = 1,
			.score = (double)i,
			.rank = i + 1 };
	}
	x->r.rankings[REPORT_BY_UNIT].ranked = many;
	x->r.rankings[REPORT_BY_UNIT].nranked = 100;
	page = write_page(&x->r);
	unit = section(page, "ranking-unit");
	assert_int_equal(count(unit, "<svg class=\"ranking\""), 3);
	assert_int_equal(count(unit, "<rect class=\"bar"), 100);
	assert_int_equal(count(unit, "<rect class=\"bar worst\""), 1);
	/* In order across the charts; the third holds the last 20. */
	p = strstr(unit, "data-key=\"k039\"");
	assert_non_null(p);
	assert_true(strstr(unit, "data-key=\"k040\"") > p);
	p = strstr(p, "<svg class=\"ranking\" role=\"img\" viewBox=\"0 0 720 "
	              "830\"");
	assert_non_null(p);
	assert_non_null(strstr(unit, "viewBox=\"0 0 720 430\""));
	free(unit);
	free(page);
	free(many);
	free(x);
}

/* Figures no form meant but a batch can hold: still fixed text. */
static void
test_extreme_numbers(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	char *page, *s;

	(void)state;
	fixture_init(x);
	x->questions[1].type = FORM_NUMBER;
	x->questions[1].median = 1e300;
	x->questions[1].p90 = -1234567.891;
	x->questions[1].mean = NAN;
	x->questions[1].min = -0.0004;
	x->questions[1].max = INFINITY;
	page = write_page(&x->r);
	s = section(page, "questions");
	assert_non_null(strstr(s, "<td class=\"n\">1.000e300</td>"
	                          "<td class=\"n\">-1234567.89</td>"
	                          "<td class=\"n\">-</td>"
	                          "<td class=\"n\">0.00</td>"
	                          "<td class=\"n\">-</td>"));
	free(s);
	free(page);
	free(x);
}

static void
test_write_error(void **state)
{
	struct fixture *x = malloc(sizeof *x);
	char *cause = NULL;
	FILE *fp = fopen("/dev/full", "w");

	(void)state;
	assert_non_null(fp);
	fixture_init(x);
	assert_int_equal(report_html_write(&x->r, fp, &cause), -1);
	assert_non_null(cause);
	free(cause);
	fclose(fp);
	free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_names_are_text),
		cmocka_unit_test(test_one_bar_per_ranked_entry),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_nothing_from_outside),
		cmocka_unit_test(test_lang),
		cmocka_unit_test(test_empty_report),
		cmocka_unit_test(test_numbers_ignore_locale),
		cmocka_unit_test(test_many_bars_split),
		cmocka_unit_test(test_extreme_numbers),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
