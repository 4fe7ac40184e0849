/*
 * A report: what the visits of one form family in one period say, worked
 * out once by report_build from a report_source and then only drawn by the
 * formats (text, csv, json, html) and the report screen.  Everything a
 * format shows is here, already computed: no writer recounts visits.
 *
 * Pure data and arithmetic: no SQL, curses, YAML or JSON.  Times in the
 * model are "local ms" (report-source.h): ms since the epoch as if the
 * visit's local time were UTC.  Per cent figures are 0..100.
 */
#ifndef ANFANG_REPORT_H
#define ANFANG_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "anfang/form.h"
#include "anfang/report-source.h"

/* ---- periods ---- */

enum report_span {
	REPORT_MONTH,
	REPORT_QUARTER,
	REPORT_YEAR,
	REPORT_ALL,   /* from the first visit to the last */
	REPORT_RANGE, /* --from/--to: any whole days */
};

/* [from, to) in local ms; whole days, months, quarters or years. */
struct report_period {
	enum report_span span;
	int64_t from;
	int64_t to;
};

#define REPORT_DAY_MS ((int64_t)86400000)

/* "month", "quarter", "year", "all": 0, or -1 when it is none of them. */
int report_span_parse(const char *, enum report_span *);
const char *report_span_name(enum report_span);
/*
 * A date "YYYY-MM-DD" (a real calendar day, years 1..9999) as the local
 * ms of its midnight.  0, or -1 when it is not one.
 */
int report_date_parse(const char *, int64_t *local_ms);
/* The month, quarter or year that holds local time t. */
void report_period_of(enum report_span, int64_t t, struct report_period *);
/*
 * The period of the same length just before p (the month, quarter or
 * year before; a range of as many days ending where p starts).  0, or
 * -1 for REPORT_ALL, which has none.
 */
int report_period_previous(
    const struct report_period *p, struct report_period *prev);
/* The period just after p, as report_period_previous. */
int report_period_next(
    const struct report_period *p, struct report_period *next);
/*
 * For people, in the interface language: "2026-12" (through strftime
 * with a translatable format, so a catalogue can make it 2026年12月),
 * "2026 Q4", "2026", or "2026-01-01 – 2026-03-31" for a range or all.
 * Fits in REPORT_LABEL_LEN.
 */
#define REPORT_LABEL_LEN 96
void report_period_label(const struct report_period *, char *out, size_t len);
/* "YYYY-MM-DD" of local ms t; out holds at least 11 bytes. */
void report_day(int64_t t, char *out, size_t len);
/* "YYYY-MM-DD HH:MM" of local ms t (the minute that holds it). */
#define REPORT_MINUTE_LEN 17
void report_minute(int64_t t, char *out, size_t len);

/* ---- what is asked for ---- */

enum report_by {
	REPORT_BY_UNIT,
	REPORT_BY_DIVISION,
	REPORT_BY_PERSON,
	REPORT_BY_INSPECTOR,
	REPORT_BY_N
};

/* A severity and a target's figure in words, for people (translated):
 * every format, screen and command says them the same. */
const char *report_severity_word(enum form_severity);
const char *report_figure_word(enum form_figure);
/*
 * What an alert on q says: its alert_message, else its label.  Form
 * content, so in the language of the form it comes from: the report's
 * form (report_form), for the report, its screen and anfang alerts alike.
 */
const char *report_alert_message(const struct form_question *q);
/*
 * Where a visit took place, for people: "unit / division / person", the
 * parts not given left out; as given (make it visible to print it).
 * Caller frees.
 */
char *report_where(const char *unit, const char *division, const char *person);

/* "unit", "division", "person", "inspector": 0, or -1. */
int report_by_parse(const char *, enum report_by *);
const char *report_by_name(enum report_by);

#define REPORT_MIN_VISITS 3  /* --min-visits by default */
#define REPORT_TREND      12 /* periods in the trend */
#define REPORT_TOP_FAILED 3  /* most failed questions kept per entry */

struct report_options {
	/* A family or lone form id; NULL: the family most recently visited. */
	const char *form;
	/* The period: --period, and --from / --to (either may be absent). */
	enum report_span span;
	int span_given; /* --period was given */
	int has_from;
	int has_to;
	int64_t from; /* local ms of the first day */
	int64_t to;   /* local ms of the last day (included) */
	/* Rankings wanted, bit (1 << enum report_by); 0 means all four. */
	unsigned by;
	size_t min_visits;
	/*
	 * Which translation names the questions: the family member in this
	 * language (e.g. "zh", "en"; the part before '_' of LANG), else the
	 * one most recently visited.  NULL for the latter.
	 */
	const char *language;
	/* Local ms of now: the period when nothing has been visited yet. */
	int64_t now;
	/*
	 * Forms that exist whether or not they were visited (the forms
	 * directory): a form or family named by them and not visited has an
	 * empty report with their questions, not REPORT_NO_FORM.
	 */
	struct form *const *known;
	size_t nknown;
};

/*
 * The language a report's labels follow: the messages locale, whole (its
 * territory picks the script of a Chinese twin), "en" for C, so that
 * anfang report and the report screen agree.
 */
const char *report_locale_language(void);

/* Defaults: the last month with visits, all four rankings, min 3. */
void report_options_init(struct report_options *);
/*
 * Why the period options contradict each other (--period all with a
 * date, --period with both dates, --from after --to): one translated
 * line, or NULL when they do not.
 */
const char *report_options_conflict(const struct report_options *);
/*
 * The period the options select among visits that took place from first
 * to last (local ms; any 0 when there are none, and the month of
 * options.now stands for them): report_resolve's calendar, for anything
 * that selects visits as a report does.
 */
void report_period_select(const struct report_options *, int any, int64_t first,
    int64_t last, struct report_period *);

/* ---- the model ---- */

/* Alerts of each severity: n[FORM_SEVERITY_LOW..HIGH]; n[0] unused. */
struct report_alerts {
	size_t n[FORM_SEVERITY_HIGH + 1];
	size_t open; /* of them, not yet handled */
};

/* The headline figures of one period. */
struct report_figures {
	size_t visits;
	size_t units;      /* distinct unit ids */
	size_t inspectors; /* distinct inspectors (signers) */
	struct report_alerts alerts;
	/*
	 * Mean over the visits with score_max > 0 of score / score_max, in
	 * per cent; has_score 0 when no visit had points to reach (a visit
	 * whose score_max is 0 is left out of every mean score).
	 */
	int has_score;
	double score;
	size_t scored; /* visits in the mean score */
};

struct report_headline {
	struct report_period period;
	int has_previous; /* 0 for --period all */
	struct report_period previous;
	struct report_figures now;
	struct report_figures before; /* zero when !has_previous */
	/* now minus before (0 when !has_previous); score only when both
	 * have one. */
	long d_visits;
	long d_units;
	long d_inspectors;
	int has_d_score;
	double d_score; /* percentage points */
};

/* One alert of the period. */
struct report_alert_row {
	char *visit_id;
	char *unit_id;
	char *unit_name;
	char *division; /* NULL when not given */
	char *person;   /* NULL when not given */
	char *inspector;
	int64_t took;    /* local ms */
	size_t question; /* index in report.questions */
	char *message;   /* the form's alert message, else its label */
	enum form_severity severity;
	enum report_alert_state state;
	char *note; /* NULL while open */
	char *by;   /* NULL while open */
	int64_t at; /* ms, UTC; 0 while open */
};

/* A target a question's figure should meet, as in the form. */
struct report_target {
	size_t question; /* index in report.questions */
	enum form_figure figure;
	const char *of; /* share: the answer counted; else NULL */
	int at_most;    /* else at least */
	double bound;   /* share: per cent; else the answer's unit */
	size_t n;       /* the answers the value comes from */
	int has_value;  /* 0 when no visit answered */
	double value;
	int met; /* only when has_value */
	int has_previous;
	double previous;
	double change; /* value - previous, when both */
};

/* A question that lost points in an entry's visits, and how often. */
struct report_failed {
	size_t question; /* index in report.questions */
	size_t count;    /* visits in which it scored below its best */
};

struct report_entry {
	char *key;  /* unit id, division, person or inspector */
	char *name; /* the unit's name, else the key */
	/*
	 * A division or person belongs to its unit ("window 3" of two
	 * units is two entries): the unit's id and name; NULL in the unit
	 * and inspector rankings.
	 */
	char *unit_id;
	char *unit_name;
	size_t visits;
	int has_score;
	double score; /* mean score, per cent, as in report_figures */
	struct report_alerts alerts;
	struct report_failed failed[REPORT_TOP_FAILED]; /* most first */
	size_t nfailed;
	size_t rank; /* 1 is the worst; 0 for an unranked entry */
	/*
	 * Its rank in the previous period (0 when it was not ranked then or
	 * there is none) and rank_change = previous_rank - rank: above 0 it
	 * moved towards the worst, below 0 away from it.  has_change when
	 * both ranks exist.
	 */
	size_t previous_rank;
	int has_change;
	long rank_change;
	/* Its mean score in the previous period, when it had one. */
	int has_previous_score;
	double previous_score;
};

struct report_ranking {
	enum report_by by;
	/* Worst first: lowest mean score (entries without any after those
	 * with one), then more high, medium, low alerts, then key. */
	struct report_entry *ranked;
	size_t nranked;
	/* Fewer than min_visits visits: listed by key, not ranked. */
	struct report_entry *unranked;
	size_t nunranked;
	size_t without; /* visits that name no division / person */
};

/* How many answers were a choice, or held an option. */
struct report_count {
	const char *value; /* the choice value, as in the form */
	const char *label; /* its label in report.form */
	size_t n;
	double share; /* per cent of the question's answered */
};

struct report_question {
	const char *id; /* labels from report.form, owned by it */
	const char *label;
	const char *section; /* the title of its section */
	enum form_type type;
	const char *unit; /* number: its unit, or NULL */
	size_t saw;       /* visits in which it was shown */
	size_t answered;  /* of them, answered */
	/* yesno */
	size_t yes;
	size_t no;
	int has_share;
	double yes_share; /* per cent of answered */
	/* choice, multi: one per choice, in the form's order */
	struct report_count *counts;
	size_t ncounts;
	/*
	 * number, scale, count, timer (seconds): over the answers, the
	 * median and 90th percentile by nearest rank (the value at position
	 * ceil(p * n) of the n answers sorted, p = 0.5 or 0.9), the mean,
	 * least and most.
	 */
	int has_stats;
	double median;
	double p90;
	double mean;
	double min;
	double max;
	/* scored questions: visits in which it scored below its best */
	int scored;
	size_t failed;
	long target; /* index in report.targets, or -1 */
};

/* One period of the trend, oldest first; the last is report.period. */
struct report_trend_point {
	struct report_period period;
	size_t visits;
	int has_score;
	double score;
	/* One per report.targets, in their order. */
	int *has_target;
	double *target;
};

struct report {
	char *family;         /* the family or lone form id; NULL if none */
	struct form *form;    /* labels come from this one (form_ref'd) */
	const char *language; /* form->language */
	struct report_options options; /* as given, resolved (pointers NULL) */
	struct report_headline headline;
	struct report_alert_row *alerts; /* high first, then open first,
	                                    then by time, visit, question */
	size_t nalerts;
	struct report_target *targets; /* in the order of the questions */
	size_t ntargets;
	/* One per enum report_by; present[by] when it was asked for. */
	int present[REPORT_BY_N];
	struct report_ranking rankings[REPORT_BY_N];
	/* Every question of report.form that takes an answer, in order. */
	struct report_question *questions;
	size_t nquestions;
	struct report_trend_point *trend; /* REPORT_TREND or fewer */
	size_t ntrend;
};

/* An entry's figures as a ranking shows them, in every format and screen. */
struct report_cells {
	char rank[24];   /* "3"; empty when unranked */
	char visits[24]; /* "12" */
	char score[32];  /* "84.2%", or "-" */
	char alerts[72]; /* high/medium/low: "1/0/2" */
	char move[24];   /* "+2", "-1", "=", "new"; empty when unranked */
};
void report_entry_cells(const struct report_entry *, struct report_cells *);

enum report_result {
	REPORT_OK = 0,
	REPORT_ERROR = -1,   /* *cause says why */
	REPORT_NO_FORM = -2, /* options.form names nothing visited */
};

/*
 * Work out the family and period the options mean.  *family (caller
 * frees) is NULL when no visit exists at all; the period is then the
 * month of options.now.
 */
enum report_result report_resolve(struct report_source *,
    const struct report_options *, char **family, struct report_period *,
    char **cause);
/*
 * The report of the options over src: one walk of src->each over the
 * trend's periods.  *out (report_free) is an empty report when the
 * period holds no visit.
 */
enum report_result report_build(struct report_source *src,
    const struct report_options *, struct report **out, char **cause);
void report_free(struct report *);
/*
 * An answer value as the form's readers know it: yes/no in the form's
 * language (its words for them), a choice or option by its label, else
 * as it is.  For the report's questions and targets in every format.
 */
const char *report_answer_label(
    const struct report *, const struct report_question *, const char *value);
/*
 * The family member whose questions and labels report_build would show
 * for options.language (form_ref'd: form_free it), from the source's
 * forms, else from options.known; *out NULL when family has none.  For
 * the visits table, which streams without building a report.
 */
enum report_result report_form(struct report_source *, const char *family,
    const struct report_options *, struct form **out, char **cause);

/* ---- formats (report-text.c, report-csv.c, report-html.c, json) ---- */

enum report_table {
	REPORT_TABLE_RANKINGS,
	REPORT_TABLE_QUESTIONS,
	REPORT_TABLE_ALERTS,
	REPORT_TABLE_VISITS,
};

/* "rankings", "questions", "alerts", "visits": 0, or -1. */
int report_table_parse(const char *, enum report_table *);

/* The whole report as text at most 80 columns wide.  0, or -1 with
 * *cause (a write error). */
int report_text_write(const struct report *, FILE *, char **cause);
/* One table (not visits) as RFC 4180 CSV, with a byte-order mark when
 * bom. */
int report_csv_write(
    const struct report *, enum report_table, int bom, FILE *, char **cause);
/*
 * The flat table: one row per visit of family in period, one column per
 * question of form (the report's form), streamed through src->each;
 * *rows (may be NULL) the visits written.
 */
int report_csv_visits(struct report_source *, const char *family,
    const struct form *, const struct report_period *, int bom, FILE *,
    size_t *rows, char **cause);
/* One self-contained HTML page. */
int report_html_write(const struct report *, FILE *, char **cause);

#endif
