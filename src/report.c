/*
 * The report's aggregation: one walk over a report_source, counted into
 * the model of report.h.  No SQL, curses, YAML or JSON here: the same
 * report runs over any source.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "anfang/i18n.h"
#include "anfang/report.h"
#include "anfang/xmalloc.h"

/* ---- calendar arithmetic on local ms (proleptic Gregorian) ---- */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
report_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
report_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t
report_floor_day(int64_t t)
{
	int64_t d = t / REPORT_DAY_MS;

	if (t % REPORT_DAY_MS < 0)
		d--;
	return d;
}

static void
report_civil(int64_t t, int *y, int *m, int *d)
{
	report_civil_from_days(report_floor_day(t), y, m, d);
}

static int64_t
report_ms(int64_t y, int m, int d)
{
	return report_days_from_civil(y, m, d) * REPORT_DAY_MS;
}

static const char *const report_span_names[] = {
	"month",
	"quarter",
	"year",
	"all",
	"range",
};

int
report_span_parse(const char *s, enum report_span *out)
{
	int i;

	for (i = REPORT_MONTH; i <= REPORT_ALL; i++) {
		if (strcmp(s, report_span_names[i]) == 0) {
			*out = (enum report_span)i;
			return 0;
		}
	}
	return -1;
}

const char *
report_span_name(enum report_span s)
{
	return report_span_names[s];
}

int
report_date_parse(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int y, m, d, i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	}
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	*out = report_ms(y, m, d);
	return 0;
}

void
report_period_of(enum report_span span, int64_t t, struct report_period *p)
{
	int y, m, d;

	report_civil(t, &y, &m, &d);
	p->span = span;
	switch (span) {
	case REPORT_MONTH:
		p->from = report_ms(y, m, 1);
		p->to =
		    m == 12 ? report_ms(y + 1, 1, 1) : report_ms(y, m + 1, 1);
		break;
	case REPORT_QUARTER:
		m = (m - 1) / 3 * 3 + 1;
		p->from = report_ms(y, m, 1);
		p->to =
		    m == 10 ? report_ms(y + 1, 1, 1) : report_ms(y, m + 3, 1);
		break;
	case REPORT_YEAR:
		p->from = report_ms(y, 1, 1);
		p->to = report_ms(y + 1, 1, 1);
		break;
	case REPORT_ALL:
	case REPORT_RANGE:
		/* The day that holds t. */
		p->from = report_floor_day(t) * REPORT_DAY_MS;
		p->to = p->from + REPORT_DAY_MS;
		break;
	}
}

int
report_period_previous(
    const struct report_period *p, struct report_period *prev)
{
	switch (p->span) {
	case REPORT_ALL:
		return -1;
	case REPORT_RANGE:
		prev->span = REPORT_RANGE;
		prev->to = p->from;
		prev->from = p->from - (p->to - p->from);
		return 0;
	default:
		report_period_of(p->span, p->from - 1, prev);
		return 0;
	}
}

int
report_period_next(const struct report_period *p, struct report_period *next)
{
	switch (p->span) {
	case REPORT_ALL:
		return -1;
	case REPORT_RANGE:
		next->span = REPORT_RANGE;
		next->from = p->to;
		next->to = p->to + (p->to - p->from);
		return 0;
	default:
		report_period_of(p->span, p->to, next);
		return 0;
	}
}

void
report_day(int64_t t, char *out, size_t len)
{
	int y, m, d;

	report_civil(t, &y, &m, &d);
	snprintf(out, len, "%04d-%02d-%02d", y, m, d);
}

void
report_minute(int64_t t, char *out, size_t len)
{
	int64_t in_day = t - report_floor_day(t) * REPORT_DAY_MS;
	int y, m, d;

	report_civil(t, &y, &m, &d);
	snprintf(out, len, "%04d-%02d-%02d %02d:%02d", y, m, d,
	    (int)(in_day / 3600000), (int)(in_day / 60000 % 60));
}

void
report_period_label(const struct report_period *p, char *out, size_t len)
{
	char a[16], b[16];
	struct tm tm;
	int y, m, d;

	report_civil(p->from, &y, &m, &d);
	switch (p->span) {
	case REPORT_MONTH:
		memset(&tm, 0, sizeof tm);
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = 1;
		/* TRANSLATORS: a month in a report's headings and trend,
		   as strftime(3) writes it, e.g. "%Y年%m月". */
		if (strftime(out, len, _("%Y-%m"), &tm) == 0)
			snprintf(out, len, "%04d-%02d", y, m);
		break;
	case REPORT_QUARTER:
		/* TRANSLATORS: a quarter of a year: the year, then 1 to 4. */
		snprintf(out, len, _("%d Q%d"), y, (m - 1) / 3 + 1);
		break;
	case REPORT_YEAR:
		/* TRANSLATORS: a year in a report's headings and trend,
		   e.g. "%d年". */
		snprintf(out, len, _("%d"), y);
		break;
	case REPORT_ALL:
	case REPORT_RANGE:
		report_day(p->from, a, sizeof a);
		report_day(p->to - 1, b, sizeof b);
		/* TRANSLATORS: a period from one day to another, both
		   included. */
		snprintf(out, len, _("%s to %s"), a, b);
		break;
	}
}

const char *
report_answer_label(
    const struct report *r, const struct report_question *q, const char *value)
{
	size_t j;

	if (value == NULL)
		return "";
	if (q->type == FORM_YESNO && r->form != NULL)
		return form_yesno_label(r->form, strcmp(value, "yes") == 0);
	for (j = 0; j < q->ncounts; j++)
		if (strcmp(q->counts[j].value, value) == 0)
			return q->counts[j].label;
	return value;
}

const char *
report_alert_message(const struct form_question *q)
{
	return q->alert_message != NULL ? q->alert_message : q->label;
}

char *
report_where(const char *unit, const char *division, const char *person)
{
	return xasprintf("%s%s%s%s%s", unit != NULL ? unit : "",
	    division != NULL ? " / " : "", division != NULL ? division : "",
	    person != NULL ? " / " : "", person != NULL ? person : "");
}

const char *
report_severity_word(enum form_severity s)
{
	switch (s) {
	case FORM_SEVERITY_HIGH:
		return _("high");
	case FORM_SEVERITY_MEDIUM:
		return _("medium");
	default:
		return _("low");
	}
}

const char *
report_figure_word(enum form_figure f)
{
	switch (f) {
	case FORM_FIGURE_SHARE:
		return _("share");
	case FORM_FIGURE_MEDIAN:
		return _("median");
	case FORM_FIGURE_P90:
		return _("90th percentile");
	case FORM_FIGURE_MEAN:
		return _("mean");
	default:
		return "";
	}
}

static const char *const report_by_names[] = {
	"unit",
	"division",
	"person",
	"inspector",
};

int
report_by_parse(const char *s, enum report_by *out)
{
	int i;

	for (i = 0; i < REPORT_BY_N; i++) {
		if (strcmp(s, report_by_names[i]) == 0) {
			*out = (enum report_by)i;
			return 0;
		}
	}
	return -1;
}

const char *
report_by_name(enum report_by by)
{
	return report_by_names[by];
}

int
report_table_parse(const char *s, enum report_table *out)
{
	static const char *const names[] = { "rankings", "questions", "alerts",
		"visits" };
	int i;

	for (i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum report_table)i;
			return 0;
		}
	}
	return -1;
}

void
report_entry_cells(const struct report_entry *e, struct report_cells *c)
{
	if (e->rank > 0)
		snprintf(c->rank, sizeof c->rank, "%zu", e->rank);
	else
		c->rank[0] = '\0';
	snprintf(c->visits, sizeof c->visits, "%zu", e->visits);
	if (e->has_score)
		snprintf(c->score, sizeof c->score, "%.1f%%", e->score);
	else
		snprintf(c->score, sizeof c->score, "-");
	snprintf(c->alerts, sizeof c->alerts, "%zu/%zu/%zu",
	    e->alerts.n[FORM_SEVERITY_HIGH], e->alerts.n[FORM_SEVERITY_MEDIUM],
	    e->alerts.n[FORM_SEVERITY_LOW]);
	if (e->rank == 0)
		c->move[0] = '\0';
	else if (!e->has_change)
		snprintf(c->move, sizeof c->move, "%s", C_("rank", "new"));
	else if (e->rank_change == 0)
		snprintf(c->move, sizeof c->move, "=");
	else
		snprintf(c->move, sizeof c->move, "%+ld", e->rank_change);
}

const char *
report_locale_language(void)
{
	const char *l = setlocale(LC_MESSAGES, NULL);

	if (l == NULL || strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0 ||
	    strncmp(l, "C.", 2) == 0)
		return "en";
	return l;
}

void
report_options_init(struct report_options *o)
{
	memset(o, 0, sizeof *o);
	o->span = REPORT_MONTH;
	o->min_visits = REPORT_MIN_VISITS;
}

/* ---- which family, which period ---- */

static enum report_result
report_find_family(struct report_source *src, const struct report_options *o,
    char **family, char **cause)
{
	const char *const *names, *want = o->form;
	struct form *const *forms;
	size_t n, i, j, nf;

	*family = NULL;
	if (src->families(src, &names, &n, cause) == -1)
		return REPORT_ERROR;
	if (want == NULL) {
		if (n > 0)
			*family = xstrdup(names[0]);
		return REPORT_OK;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], want) == 0) {
			*family = xstrdup(names[i]);
			return REPORT_OK;
		}
	}
	/* A member's own id names its family. */
	for (i = 0; i < n; i++) {
		if (src->forms(src, names[i], &forms, &nf, cause) == -1)
			return REPORT_ERROR;
		for (j = 0; j < nf; j++) {
			if (strcmp(forms[j]->id, want) == 0) {
				*family = xstrdup(names[i]);
				return REPORT_OK;
			}
		}
	}
	/* Not visited, yet a form: an empty report, not an error. */
	if (src->forms(src, want, &forms, &nf, cause) == -1)
		return REPORT_ERROR;
	if (nf > 0) {
		*family = xstrdup(want);
		return REPORT_OK;
	}
	for (i = 0; i < o->nknown; i++) {
		if (strcmp(o->known[i]->id, want) == 0 ||
		    strcmp(form_family(o->known[i]), want) == 0) {
			*family = xstrdup(form_family(o->known[i]));
			return REPORT_OK;
		}
	}
	*cause = xasprintf(_("no visits of a form or family called %s"), want);
	return REPORT_NO_FORM;
}

const char *
report_options_conflict(const struct report_options *o)
{
	if (o->span_given && o->span == REPORT_ALL &&
	    (o->has_from || o->has_to))
		return _("--period all takes no --from or --to");
	if (o->span_given && o->has_from && o->has_to)
		return _("--period takes one day, --from or --to, not both");
	if (o->has_from && o->has_to && o->from > o->to)
		return _("--from is after --to");
	return NULL;
}

void
report_period_select(const struct report_options *o, int any, int64_t first,
    int64_t last, struct report_period *p)
{
	int64_t from, to;

	if (!any)
		first = last = o->now;
	if (o->span_given && o->span == REPORT_ALL) {
		report_period_of(REPORT_RANGE, first, p);
		from = p->from;
		report_period_of(REPORT_RANGE, last, p);
		p->from = from;
		p->span = REPORT_ALL;
	} else if (o->span_given) {
		report_period_of(o->span,
		    o->has_from ? o->from
		    : o->has_to ? o->to
		                : last,
		    p);
	} else if (o->has_from || o->has_to) {
		from = o->has_from ? o->from
		                   : report_floor_day(first) * REPORT_DAY_MS;
		to = o->has_to ? o->to + REPORT_DAY_MS
		               : (report_floor_day(last) + 1) * REPORT_DAY_MS;
		if (!o->has_to && to <= from)
			to = from + REPORT_DAY_MS;
		if (!o->has_from && from >= to)
			from = to - REPORT_DAY_MS;
		p->span = REPORT_RANGE;
		p->from = from;
		p->to = to;
	} else {
		report_period_of(REPORT_MONTH, last, p);
	}
}

enum report_result
report_resolve(struct report_source *src, const struct report_options *o,
    char **family, struct report_period *p, char **cause)
{
	enum report_result r;
	int64_t first = 0, last = 0;
	int any = 0;

	if ((r = report_find_family(src, o, family, cause)) != REPORT_OK)
		return r;
	if (*family != NULL &&
	    src->span(src, *family, &any, &first, &last, cause) == -1) {
		free(*family);
		*family = NULL;
		return REPORT_ERROR;
	}
	report_period_select(o, any, first, last, p);
	return REPORT_OK;
}

/* ---- accumulators ---- */

/* One question's answers in one period. */
struct report_qacc {
	size_t saw;
	size_t answered;
	size_t yes;
	size_t no;
	size_t failed;
	size_t *counts; /* one per choice of the report's question */
	double *nums;
	size_t nnums;
	size_t cap;
	int sorted;
	double sum;
};

struct report_ent {
	char *key;
	char *scope; /* unit id of a division or person, else NULL */
	char *name;
	char *unit_name;
	size_t visits;
	size_t scored;
	double score_sum;
	struct report_alerts alerts;
	size_t *failed; /* per report question */
	size_t rank;
};

struct report_tab {
	struct report_ent *v;
	size_t n;
	size_t cap;
	size_t *index; /* hash of key and scope to entry + 1 */
	size_t icap;
	size_t without;
};

/* Everything counted over one period. */
struct report_acc {
	size_t visits;
	size_t scored;
	double score_sum;
	struct report_alerts alerts;
	struct report_tab tables[REPORT_BY_N];
	struct report_qacc *q;
	size_t nq; /* of q */
	int keep_alerts;
	struct report_alert_row *rows;
	size_t nrows;
	size_t rowcap;
};

/* A period of the trend: visits, score and the targeted questions. */
struct report_point {
	size_t visits;
	size_t scored;
	double score_sum;
	struct report_qacc *t; /* one per target */
};

/* How one form of the family maps onto the report's form. */
struct report_fmap {
	const struct form *form;
	long *to_report;   /* its question -> report question, or -1 */
	long *from_report; /* report question -> its question, or -1 */
	double *best;      /* the most points each question can give */
};

struct report_build {
	struct report *r;
	const struct form *form;
	size_t nq; /* questions of r->form */
	struct report_period cur;
	int has_prev;
	struct report_period prev;
	struct report_acc acc_cur;
	struct report_acc acc_prev;
	struct report_point *points;
	struct report_period *pperiods;
	size_t npoints;
	size_t *target_q; /* report question (form index) of each target */
	size_t ntargets;
	struct report_fmap *maps;
	size_t nmaps;
	unsigned char *failed_now; /* per report question, this visit */
	long *qindex; /* form question -> report.questions index, or -1 */
};

static void
report_qacc_init(struct report_qacc *qa, const struct form_question *q)
{
	memset(qa, 0, sizeof *qa);
	if (q->nchoices > 0)
		qa->counts = xcalloc(q->nchoices, sizeof *qa->counts);
}

static void
report_qacc_free(struct report_qacc *qa)
{
	free(qa->counts);
	free(qa->nums);
}

static void
report_qacc_add(struct report_qacc *qa, const struct form_question *rq,
    int seen, const struct value *val)
{
	size_t i, j;

	if (!seen)
		return;
	qa->saw++;
	if (val->kind == VALUE_NONE)
		return;
	qa->answered++;
	switch (val->kind) {
	case VALUE_BOOL:
		if (val->b)
			qa->yes++;
		else
			qa->no++;
		break;
	case VALUE_STRING:
		for (j = 0; j < rq->nchoices; j++) {
			if (strcmp(rq->choices[j].value, val->s) == 0) {
				qa->counts[j]++;
				break;
			}
		}
		break;
	case VALUE_SET:
		for (i = 0; i < val->nset; i++) {
			for (j = 0; j < rq->nchoices; j++) {
				if (strcmp(rq->choices[j].value, val->set[i]) ==
				    0) {
					qa->counts[j]++;
					break;
				}
			}
		}
		break;
	case VALUE_NUMBER:
		if (qa->nnums == qa->cap) {
			qa->cap = qa->cap ? qa->cap * 2 : 64;
			qa->nums =
			    xreallocarray(qa->nums, qa->cap, sizeof *qa->nums);
		}
		qa->nums[qa->nnums++] = val->n;
		qa->sum += val->n;
		break;
	case VALUE_NONE:
		break;
	}
}

static int
report_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The nearest-rank percentile: the value at position ceil(p * n) (from 1)
 * of the n values sorted; p in tenths, so that 5 and 9 are exact.
 */
static double
report_rank_value(struct report_qacc *qa, size_t tenths)
{
	size_t k;

	if (!qa->sorted && qa->nnums > 0) {
		qsort(qa->nums, qa->nnums, sizeof *qa->nums, report_cmp_double);
		qa->sorted = 1;
	}
	k = (tenths * qa->nnums + 9) / 10;
	if (k < 1)
		k = 1;
	return qa->nums[k - 1];
}

/* Answers of q that are `of`: a yes/no, a choice or an option. */
static size_t
report_hits(
    const struct form_question *q, const struct report_qacc *qa, const char *of)
{
	size_t j;

	if (q->type == FORM_YESNO)
		return strcmp(of, "yes") == 0  ? qa->yes
		       : strcmp(of, "no") == 0 ? qa->no
		                               : 0;
	for (j = 0; j < q->nchoices; j++) {
		if (strcmp(q->choices[j].value, of) == 0)
			return qa->counts[j];
	}
	return 0;
}

/* The figure of q's target over qa; 0 when there is none (no answers). */
static int
report_figure(
    const struct form_question *q, struct report_qacc *qa, double *out)
{
	switch (q->target.figure) {
	case FORM_FIGURE_SHARE:
		if (qa->answered == 0)
			return 0;
		*out = 100.0 * (double)report_hits(q, qa, q->target.of) /
		       (double)qa->answered;
		return 1;
	case FORM_FIGURE_MEDIAN:
	case FORM_FIGURE_P90:
	case FORM_FIGURE_MEAN:
		if (qa->nnums == 0)
			return 0;
		if (q->target.figure == FORM_FIGURE_MEAN)
			*out = qa->sum / (double)qa->nnums;
		else
			*out = report_rank_value(
			    qa, q->target.figure == FORM_FIGURE_MEDIAN ? 5 : 9);
		return 1;
	case FORM_FIGURE_NONE:
		break;
	}
	return 0;
}

/* An entry's hash over its key and scope (FNV-1a). */
static size_t
report_hash(const char *key, const char *scope)
{
	size_t h = 2166136261u;
	const char *s;

	for (s = key; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	if (scope != NULL) {
		h = (h ^ 0xff) * 16777619u;
		for (s = scope; *s != '\0'; s++)
			h = (h ^ (unsigned char)*s) * 16777619u;
	}
	return h;
}

static int
report_same(const struct report_ent *e, const char *key, const char *scope)
{
	if (strcmp(e->key, key) != 0)
		return 0;
	if (e->scope == NULL || scope == NULL)
		return e->scope == scope;
	return strcmp(e->scope, scope) == 0;
}

static struct report_ent *
report_table_find(
    const struct report_tab *t, const char *key, const char *scope)
{
	size_t i;

	if (t->icap == 0)
		return NULL;
	for (i = report_hash(key, scope) & (t->icap - 1); t->index[i] != 0;
	     i = (i + 1) & (t->icap - 1)) {
		if (report_same(&t->v[t->index[i] - 1], key, scope))
			return &t->v[t->index[i] - 1];
	}
	return NULL;
}

static void
report_table_rehash(struct report_tab *t)
{
	size_t i, k;

	free(t->index);
	t->icap = t->icap ? t->icap * 2 : 64;
	t->index = xcalloc(t->icap, sizeof *t->index);
	for (k = 0; k < t->n; k++) {
		i = report_hash(t->v[k].key, t->v[k].scope) & (t->icap - 1);
		while (t->index[i] != 0)
			i = (i + 1) & (t->icap - 1);
		t->index[i] = k + 1;
	}
}

static struct report_ent *
report_table_get(
    struct report_tab *t, const char *key, const char *scope, size_t nq)
{
	struct report_ent *e;

	if ((e = report_table_find(t, key, scope)) != NULL)
		return e;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	e = &t->v[t->n++];
	memset(e, 0, sizeof *e);
	e->key = xstrdup(key);
	e->scope = scope != NULL ? xstrdup(scope) : NULL;
	e->failed = xcalloc(nq, sizeof *e->failed);
	if (2 * t->n >= t->icap)
		report_table_rehash(t);
	else {
		size_t i = report_hash(key, scope) & (t->icap - 1);

		while (t->index[i] != 0)
			i = (i + 1) & (t->icap - 1);
		t->index[i] = t->n;
	}
	return e;
}

static void
report_table_free(struct report_tab *t)
{
	size_t k;

	for (k = 0; k < t->n; k++) {
		free(t->v[k].key);
		free(t->v[k].scope);
		free(t->v[k].name);
		free(t->v[k].unit_name);
		free(t->v[k].failed);
	}
	free(t->v);
	free(t->index);
}

static void
report_acc_init(struct report_acc *a, const struct form *f, int keep_alerts)
{
	size_t i;

	memset(a, 0, sizeof *a);
	a->keep_alerts = keep_alerts;
	a->nq = f != NULL ? f->nquestions : 0;
	a->q = xcalloc(
	    f != NULL && f->nquestions ? f->nquestions : 1, sizeof *a->q);
	for (i = 0; f != NULL && i < f->nquestions; i++)
		report_qacc_init(&a->q[i], &f->questions[i]);
}

static void
report_alert_row_free(struct report_alert_row *a)
{
	free(a->visit_id);
	free(a->unit_id);
	free(a->unit_name);
	free(a->division);
	free(a->person);
	free(a->inspector);
	free(a->message);
	free(a->note);
	free(a->by);
}

static void
report_acc_free(struct report_acc *a)
{
	size_t i;

	for (i = 0; i < REPORT_BY_N; i++)
		report_table_free(&a->tables[i]);
	for (i = 0; i < a->nq; i++)
		report_qacc_free(&a->q[i]);
	free(a->q);
	for (i = 0; i < a->nrows; i++)
		report_alert_row_free(&a->rows[i]);
	free(a->rows);
}

static void
report_set(char **dst, const char *s)
{
	if (s == NULL || (*dst != NULL && strcmp(*dst, s) == 0))
		return;
	free(*dst);
	*dst = xstrdup(s);
}

static char *
report_strdup0(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* The mapping of a visit's form onto the report's, made once per form. */
static struct report_fmap *
report_fmap_get(struct report_build *b, const struct form *f)
{
	struct report_fmap *m;
	const struct form_question *q;
	size_t i, j;
	long r;

	for (i = 0; i < b->nmaps; i++) {
		if (b->maps[i].form == f)
			return &b->maps[i];
	}
	b->maps = xreallocarray(b->maps, b->nmaps + 1, sizeof *b->maps);
	m = &b->maps[b->nmaps++];
	m->form = f;
	m->to_report = xcalloc(f->nquestions + 1, sizeof *m->to_report);
	m->from_report = xcalloc(b->nq + 1, sizeof *m->from_report);
	m->best = xcalloc(f->nquestions + 1, sizeof *m->best);
	for (i = 0; i < b->nq; i++)
		m->from_report[i] = -1;
	for (i = 0; i < f->nquestions; i++) {
		q = &f->questions[i];
		r = form_type_answers(q->type) ? form_find(b->form, q->id) : -1;
		m->to_report[i] = r;
		if (r >= 0)
			m->from_report[r] = (long)i;
		for (j = 0; j < q->nscores; j++) {
			if (q->type == FORM_MULTI) {
				if (q->scores[j].points > 0)
					m->best[i] += q->scores[j].points;
			} else if (q->scores[j].points > m->best[i])
				m->best[i] = q->scores[j].points;
		}
	}
	return m;
}

/*
 * A visit's score as a share of what it could reach: 1 when it has one.
 * Nothing to reach, or scores that overflowed (inf of inf: a form may
 * score 1e308 a question), leave it out of the means.
 */
static int
report_visit_share(const struct report_visit *v, double *share)
{
	if (!(v->score_max > 0))
		return 0;
	*share = v->score / v->score_max;
	return isfinite(*share);
}

static void
report_ent_add(struct report_ent *e, const struct report_visit *v,
    const struct report_build *b)
{
	double share;
	size_t i;

	e->visits++;
	if (report_visit_share(v, &share)) {
		e->scored++;
		e->score_sum += share;
	}
	for (i = 0; i < v->nalerts; i++) {
		if (v->alerts[i].severity < FORM_SEVERITY_LOW ||
		    v->alerts[i].severity > FORM_SEVERITY_HIGH)
			continue;
		e->alerts.n[v->alerts[i].severity]++;
		if (v->alerts[i].state == REPORT_ALERT_OPEN)
			e->alerts.open++;
	}
	for (i = 0; i < b->nq; i++)
		e->failed[i] += b->failed_now[i];
}

static void
report_acc_add(struct report_build *b, struct report_acc *a,
    const struct report_visit *v, const struct report_fmap *m, int64_t local)
{
	const struct form *vf = v->form;
	const struct form_question *rq;
	struct report_alert_row *row;
	struct report_ent *e;
	const char *key, *scope;
	double share;
	size_t i, by;
	long r;

	a->visits++;
	if (report_visit_share(v, &share)) {
		a->scored++;
		a->score_sum += share;
	}
	memset(b->failed_now, 0, b->nq);
	for (i = 0; i < vf->nquestions; i++) {
		if ((r = m->to_report[i]) < 0)
			continue;
		rq = &b->form->questions[r];
		report_qacc_add(&a->q[r], rq, v->seen[i], &v->values[i]);
		/* Failed: answered, scoring less than the question can. */
		if (v->seen[i] && v->values[i].kind != VALUE_NONE &&
		    vf->questions[i].nscores > 0 &&
		    form_score(&vf->questions[i], &v->values[i]) < m->best[i]) {
			a->q[r].failed++;
			b->failed_now[r] = 1;
		}
	}
	for (i = 0; i < v->nalerts; i++) {
		const struct report_alert *al = &v->alerts[i];

		if (al->severity < FORM_SEVERITY_LOW ||
		    al->severity > FORM_SEVERITY_HIGH)
			continue;
		a->alerts.n[al->severity]++;
		if (al->state == REPORT_ALERT_OPEN)
			a->alerts.open++;
		if (!a->keep_alerts || al->question >= vf->nquestions ||
		    (r = m->to_report[al->question]) < 0)
			continue;
		if (a->nrows == a->rowcap) {
			a->rowcap = a->rowcap ? a->rowcap * 2 : 16;
			a->rows =
			    xreallocarray(a->rows, a->rowcap, sizeof *a->rows);
		}
		row = &a->rows[a->nrows++];
		memset(row, 0, sizeof *row);
		rq = &b->form->questions[r];
		row->visit_id = xstrdup(v->id);
		row->unit_id = xstrdup(v->unit_id);
		row->unit_name = report_strdup0(v->unit_name);
		row->division = report_strdup0(v->division);
		row->person = report_strdup0(v->person);
		row->inspector = report_strdup0(v->inspector);
		row->took = local;
		row->question = (size_t)b->qindex[r];
		row->message = xstrdup(report_alert_message(rq));
		row->severity = al->severity;
		row->state = al->state;
		row->note = report_strdup0(al->note);
		row->by = report_strdup0(al->by);
		row->at = al->at;
	}
	for (by = 0; by < REPORT_BY_N; by++) {
		scope = NULL;
		switch (by) {
		case REPORT_BY_UNIT:
			key = v->unit_id;
			break;
		case REPORT_BY_DIVISION:
			key = v->division;
			scope = v->unit_id;
			break;
		case REPORT_BY_PERSON:
			key = v->person;
			scope = v->unit_id;
			break;
		default:
			key = v->inspector;
			break;
		}
		if (key == NULL || *key == '\0') {
			a->tables[by].without++;
			continue;
		}
		e = report_table_get(&a->tables[by], key, scope, b->nq);
		report_ent_add(e, v, b);
		if (by == REPORT_BY_UNIT)
			report_set(&e->name, v->unit_name);
		else if (scope != NULL)
			report_set(&e->unit_name, v->unit_name);
	}
}

static int
report_walk(void *arg, const struct report_visit *v)
{
	struct report_build *b = arg;
	const struct report_fmap *m = report_fmap_get(b, v->form);
	int64_t t = v->took + (int64_t)v->took_offset * 60000;
	struct report_point *pt;
	size_t lo, hi, mid, k;
	double share;
	long i;

	if (t >= b->cur.from && t < b->cur.to)
		report_acc_add(b, &b->acc_cur, v, m, t);
	if (b->has_prev && t >= b->prev.from && t < b->prev.to)
		report_acc_add(b, &b->acc_prev, v, m, t);
	if (b->npoints == 0 || t < b->pperiods[0].from ||
	    t >= b->pperiods[b->npoints - 1].to)
		return 0;
	lo = 0;
	hi = b->npoints;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (b->pperiods[mid].from <= t)
			lo = mid;
		else
			hi = mid;
	}
	pt = &b->points[lo];
	pt->visits++;
	if (report_visit_share(v, &share)) {
		pt->scored++;
		pt->score_sum += share;
	}
	for (k = 0; k < b->ntargets; k++) {
		i = m->from_report[b->target_q[k]];
		if (i >= 0)
			report_qacc_add(&pt->t[k],
			    &b->form->questions[b->target_q[k]], v->seen[i],
			    &v->values[i]);
	}
	return 0;
}

/* ---- the model from the accumulators ---- */

static void
report_figures_of(const struct report_acc *a, struct report_figures *f)
{
	memset(f, 0, sizeof *f);
	f->visits = a->visits;
	f->units = a->tables[REPORT_BY_UNIT].n;
	f->inspectors = a->tables[REPORT_BY_INSPECTOR].n;
	f->alerts = a->alerts;
	f->scored = a->scored;
	if (a->scored > 0) {
		f->has_score = 1;
		f->score = 100.0 * a->score_sum / (double)a->scored;
	}
}

static int
report_cmp_ent(const void *pa, const void *pb)
{
	const struct report_ent *a = pa, *b = pb;
	double x, y;
	int s;

	if ((a->scored > 0) != (b->scored > 0))
		return a->scored > 0 ? -1 : 1;
	if (a->scored > 0) {
		x = a->score_sum / (double)a->scored;
		y = b->score_sum / (double)b->scored;
		/* Equal up to rounding: 2/3 summed two ways is one score. */
		if (fabs(x - y) > 1e-9)
			return x < y ? -1 : 1;
	}
	for (s = FORM_SEVERITY_HIGH; s >= FORM_SEVERITY_LOW; s--) {
		if (a->alerts.n[s] != b->alerts.n[s])
			return a->alerts.n[s] > b->alerts.n[s] ? -1 : 1;
	}
	if ((s = strcmp(a->key, b->key)) != 0)
		return s;
	return strcmp(a->scope ? a->scope : "", b->scope ? b->scope : "");
}

static int
report_cmp_key(const void *pa, const void *pb)
{
	const struct report_ent *a = pa, *b = pb;
	int s;

	if ((s = strcmp(a->key, b->key)) != 0)
		return s;
	return strcmp(a->scope ? a->scope : "", b->scope ? b->scope : "");
}

/*
 * Order a period's table: ranked entries (min visits or more) worst
 * first, then the rest by key; each ranked one gets its rank.  Returns
 * how many are ranked.  The table's index is rebuilt for lookups.
 */
static size_t
report_table_order(struct report_tab *t, size_t min_visits)
{
	size_t i, nr = 0;
	struct report_ent tmp;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].visits >= min_visits) {
			tmp = t->v[nr];
			t->v[nr] = t->v[i];
			t->v[i] = tmp;
			nr++;
		}
	}
	if (nr > 0)
		qsort(t->v, nr, sizeof *t->v, report_cmp_ent);
	if (t->n > nr)
		qsort(t->v + nr, t->n - nr, sizeof *t->v, report_cmp_key);
	for (i = 0; i < t->n; i++)
		t->v[i].rank = i < nr ? i + 1 : 0;
	/* Rebuild the index over the new order. */
	t->icap /= 2;
	report_table_rehash(t);
	return nr;
}

static void
report_entry_of(const struct report_build *b, const struct report_ent *e,
    const struct report_tab *prev, struct report_entry *out)
{
	const struct report_ent *p;
	size_t i, k, best;
	unsigned char *taken;

	memset(out, 0, sizeof *out);
	out->key = xstrdup(e->key);
	out->name = xstrdup(e->name != NULL ? e->name : e->key);
	out->unit_id = report_strdup0(e->scope);
	out->unit_name =
	    report_strdup0(e->unit_name != NULL ? e->unit_name : e->scope);
	out->visits = e->visits;
	if (e->scored > 0) {
		out->has_score = 1;
		out->score = 100.0 * e->score_sum / (double)e->scored;
	}
	out->alerts = e->alerts;
	/* The most failed questions: most first, then in form order. */
	taken = xcalloc(b->nq + 1, 1);
	for (k = 0; k < REPORT_TOP_FAILED; k++) {
		best = b->nq;
		for (i = 0; i < b->nq; i++) {
			if (!taken[i] && e->failed[i] > 0 &&
			    (best == b->nq || e->failed[i] > e->failed[best]))
				best = i;
		}
		if (best == b->nq)
			break;
		taken[best] = 1;
		out->failed[k].question = (size_t)b->qindex[best];
		out->failed[k].count = e->failed[best];
		out->nfailed++;
	}
	free(taken);
	out->rank = e->rank;
	if (prev != NULL && (p = report_table_find(prev, e->key, e->scope))) {
		out->previous_rank = p->rank;
		if (p->rank > 0 && e->rank > 0) {
			out->has_change = 1;
			out->rank_change = (long)p->rank - (long)e->rank;
		}
		if (p->scored > 0) {
			out->has_previous_score = 1;
			out->previous_score =
			    100.0 * p->score_sum / (double)p->scored;
		}
	}
}

static void
report_rankings(struct report_build *b)
{
	struct report *r = b->r;
	struct report_tab *t, *pt;
	struct report_ranking *rk;
	size_t by, i, nr;

	for (by = 0; by < REPORT_BY_N; by++) {
		t = &b->acc_cur.tables[by];
		pt = b->has_prev ? &b->acc_prev.tables[by] : NULL;
		nr = report_table_order(t, r->options.min_visits);
		if (pt != NULL)
			report_table_order(pt, r->options.min_visits);
		rk = &r->rankings[by];
		rk->by = (enum report_by)by;
		rk->without = t->without;
		rk->nranked = nr;
		rk->nunranked = t->n - nr;
		rk->ranked = xcalloc(nr + 1, sizeof *rk->ranked);
		rk->unranked = xcalloc(t->n - nr + 1, sizeof *rk->unranked);
		for (i = 0; i < t->n; i++)
			report_entry_of(b, &t->v[i], pt,
			    i < nr ? &rk->ranked[i] : &rk->unranked[i - nr]);
	}
}

static void
report_questions(struct report_build *b)
{
	struct report *r = b->r;
	const struct form_question *q;
	struct report_question *rq;
	struct report_qacc *qa;
	size_t i, j;

	r->questions = xcalloc(b->nq + 1, sizeof *r->questions);
	for (i = 0; i < b->nq; i++) {
		q = &b->form->questions[i];
		if (b->qindex[i] < 0)
			continue;
		qa = &b->acc_cur.q[i];
		rq = &r->questions[r->nquestions++];
		rq->id = q->id;
		rq->label = q->label;
		rq->section = b->form->sections[q->section].title;
		rq->type = q->type;
		rq->unit = q->unit;
		rq->saw = qa->saw;
		rq->answered = qa->answered;
		rq->yes = qa->yes;
		rq->no = qa->no;
		if (q->type == FORM_YESNO && qa->answered > 0) {
			rq->has_share = 1;
			rq->yes_share =
			    100.0 * (double)qa->yes / (double)qa->answered;
		}
		if (q->nchoices > 0 &&
		    (q->type == FORM_CHOICE || q->type == FORM_MULTI)) {
			rq->counts = xcalloc(q->nchoices, sizeof *rq->counts);
			rq->ncounts = q->nchoices;
			for (j = 0; j < q->nchoices; j++) {
				rq->counts[j].value = q->choices[j].value;
				rq->counts[j].label = q->choices[j].label;
				rq->counts[j].n = qa->counts[j];
				if (qa->answered > 0)
					rq->counts[j].share =
					    100.0 * (double)qa->counts[j] /
					    (double)qa->answered;
			}
		}
		if (qa->nnums > 0) {
			rq->has_stats = 1;
			rq->median = report_rank_value(qa, 5);
			rq->p90 = report_rank_value(qa, 9);
			rq->mean = qa->sum / (double)qa->nnums;
			rq->min = qa->nums[0];
			rq->max = qa->nums[qa->nnums - 1];
		}
		rq->scored = q->nscores > 0;
		rq->failed = qa->failed;
		rq->target = -1;
	}
}

static void
report_targets(struct report_build *b)
{
	struct report *r = b->r;
	const struct form_question *q;
	struct report_target *t;
	size_t k, qi;

	r->targets = xcalloc(b->ntargets + 1, sizeof *r->targets);
	r->ntargets = b->ntargets;
	for (k = 0; k < b->ntargets; k++) {
		qi = b->target_q[k];
		q = &b->form->questions[qi];
		t = &r->targets[k];
		t->question = (size_t)b->qindex[qi];
		r->questions[t->question].target = (long)k;
		t->figure = q->target.figure;
		t->of =
		    q->target.figure == FORM_FIGURE_SHARE ? q->target.of : NULL;
		t->at_most = q->target.at_most;
		t->bound = q->target.bound;
		t->n = q->target.figure == FORM_FIGURE_SHARE
		           ? b->acc_cur.q[qi].answered
		           : b->acc_cur.q[qi].nnums;
		t->has_value = report_figure(q, &b->acc_cur.q[qi], &t->value);
		if (t->has_value)
			t->met = form_target_met(q, t->value);
		if (b->has_prev)
			t->has_previous =
			    report_figure(q, &b->acc_prev.q[qi], &t->previous);
		if (t->has_value && t->has_previous)
			t->change = t->value - t->previous;
	}
}

static void
report_trend(struct report_build *b)
{
	struct report *r = b->r;
	struct report_trend_point *tp;
	struct report_point *p;
	size_t i, k;

	r->trend = xcalloc(b->npoints + 1, sizeof *r->trend);
	r->ntrend = b->npoints;
	for (i = 0; i < b->npoints; i++) {
		p = &b->points[i];
		tp = &r->trend[i];
		tp->period = b->pperiods[i];
		tp->visits = p->visits;
		if (p->scored > 0) {
			tp->has_score = 1;
			tp->score = 100.0 * p->score_sum / (double)p->scored;
		}
		tp->has_target =
		    xcalloc(b->ntargets + 1, sizeof *tp->has_target);
		tp->target = xcalloc(b->ntargets + 1, sizeof *tp->target);
		for (k = 0; k < b->ntargets; k++)
			tp->has_target[k] =
			    report_figure(&b->form->questions[b->target_q[k]],
			        &p->t[k], &tp->target[k]);
	}
}

static int
report_cmp_alert(const void *pa, const void *pb)
{
	const struct report_alert_row *a = pa, *b = pb;
	int s;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->state != b->state)
		return a->state == REPORT_ALERT_OPEN ? -1 : 1;
	if (a->took != b->took)
		return a->took < b->took ? -1 : 1;
	if ((s = strcmp(a->visit_id, b->visit_id)) != 0)
		return s;
	return (a->question > b->question) - (a->question < b->question);
}

/*
 * How well a form's language tag ("zh", "zh-Hans", "en") suits a locale
 * name ("zh_CN.UTF-8", "zh_TW", "en_GB"): 0 another language, 1 the same
 * language, 2 its script too (Simplified for mainland China and
 * Singapore, Traditional, or no script named, for the rest).
 */
static int
report_language_fit(const char *form_lang, const char *lang)
{
	size_t n = strcspn(lang, "_-.@");
	const char *script, *region = lang + n;
	int hans;

	if (form_lang == NULL || n == 0 || strncmp(form_lang, lang, n) != 0 ||
	    (form_lang[n] != '\0' && form_lang[n] != '-' &&
	        form_lang[n] != '_'))
		return 0;
	script = form_lang[n] != '\0' ? form_lang + n + 1 : "";
	hans = (*region == '_' || *region == '-') &&
	       (strncmp(region + 1, "CN", 2) == 0 ||
	           strncmp(region + 1, "SG", 2) == 0 ||
	           strncmp(region + 1, "Hans", 4) == 0);
	if (hans)
		return strncmp(script, "Hans", 4) == 0 ? 2 : 1;
	return strncmp(script, "Hans", 4) != 0 ? 2 : 1;
}

/*
 * The family member whose labels the report shows: the highest version in
 * the wanted language (and script), else the highest version of the
 * first id.
 */
static struct form *
report_pick_form(struct form *const *forms, size_t n, const char *lang)
{
	struct form *best = NULL;
	size_t i;
	int m, bm = 0;

	for (i = 0; i < n; i++) {
		m = lang != NULL ? report_language_fit(forms[i]->language, lang)
		                 : 0;
		if (best == NULL || m > bm ||
		    (m == bm && (strcmp(forms[i]->id, best->id) < 0 ||
		                    (strcmp(forms[i]->id, best->id) == 0 &&
		                        forms[i]->version > best->version)))) {
			best = forms[i];
			bm = m;
		}
	}
	return best;
}

enum report_result
report_form(struct report_source *src, const char *family,
    const struct report_options *o, struct form **out, char **cause)
{
	struct form *const *forms;
	struct form **known;
	size_t n, i;

	*out = NULL;
	if (src->forms(src, family, &forms, &n, cause) == -1)
		return REPORT_ERROR;
	if (n > 0) {
		*out = form_ref(report_pick_form(forms, n, o->language));
		return REPORT_OK;
	}
	/* A family never visited: its forms as they are known. */
	known = xcalloc(o->nknown + 1, sizeof *known);
	for (i = 0; i < o->nknown; i++) {
		if (strcmp(form_family(o->known[i]), family) == 0)
			known[n++] = o->known[i];
	}
	if (n > 0)
		*out = form_ref(report_pick_form(known, n, o->language));
	free(known);
	return REPORT_OK;
}

static void
report_build_free(struct report_build *b)
{
	size_t i, k;

	report_acc_free(&b->acc_cur);
	report_acc_free(&b->acc_prev);
	for (i = 0; i < b->npoints; i++) {
		for (k = 0; k < b->ntargets; k++)
			report_qacc_free(&b->points[i].t[k]);
		free(b->points[i].t);
	}
	free(b->points);
	free(b->pperiods);
	free(b->target_q);
	for (i = 0; i < b->nmaps; i++) {
		free(b->maps[i].to_report);
		free(b->maps[i].from_report);
		free(b->maps[i].best);
	}
	free(b->maps);
	free(b->failed_now);
	free(b->qindex);
}

enum report_result
report_build(struct report_source *src, const struct report_options *o,
    struct report **out, char **cause)
{
	struct report_build b;
	struct report *r;
	struct report_period p, first_trend;
	enum report_result res;
	int64_t first = 0, last = 0, walk_from;
	size_t i, k, n;
	int any = 0, rc;

	*out = NULL;
	memset(&b, 0, sizeof b);
	r = xcalloc(1, sizeof *r);
	b.r = r;
	r->options = *o;
	r->options.form = NULL;
	r->options.language = NULL;
	r->options.known = NULL;
	r->options.nknown = 0;
	for (i = 0; i < REPORT_BY_N; i++) {
		r->present[i] = o->by == 0 || (o->by & (1u << i)) != 0;
		r->rankings[i].by = (enum report_by)i;
	}
	res = report_resolve(src, o, &r->family, &b.cur, cause);
	if (res != REPORT_OK) {
		report_free(r);
		return res;
	}
	r->headline.period = b.cur;
	if (r->family != NULL) {
		if (report_form(src, r->family, o, &r->form, cause) !=
		        REPORT_OK ||
		    src->span(src, r->family, &any, &first, &last, cause) == -1)
			goto fail;
		if (r->form != NULL)
			r->language = r->form->language;
	}
	b.form = r->form;
	b.nq = r->form != NULL ? r->form->nquestions : 0;
	b.failed_now = xcalloc(b.nq + 1, 1);
	b.qindex = xcalloc(b.nq + 1, sizeof *b.qindex);
	b.target_q = xcalloc(b.nq + 1, sizeof *b.target_q);
	for (i = 0, n = 0; i < b.nq; i++) {
		const struct form_question *q = &r->form->questions[i];

		b.qindex[i] = form_type_answers(q->type) ? (long)n++ : -1;
		if (b.qindex[i] >= 0 && q->target.figure != FORM_FIGURE_NONE)
			b.target_q[b.ntargets++] = i;
	}
	report_acc_init(&b.acc_cur, b.form, 1);
	b.has_prev = report_period_previous(&b.cur, &b.prev) == 0;
	report_acc_init(&b.acc_prev, b.has_prev ? b.form : NULL, 0);
	r->headline.has_previous = b.has_prev;
	if (b.has_prev)
		r->headline.previous = b.prev;

	/*
	 * The trend: REPORT_TREND periods ending with this one (months for
	 * --period all), leaving out those before the first visit.
	 */
	if (b.cur.span == REPORT_ALL)
		report_period_of(REPORT_MONTH, b.cur.to - 1, &p);
	else
		p = b.cur;
	b.pperiods = xcalloc(REPORT_TREND, sizeof *b.pperiods);
	for (i = 0; i < REPORT_TREND; i++) {
		b.pperiods[REPORT_TREND - 1 - i] = p;
		first_trend = p;
		if (report_period_previous(&first_trend, &p) == -1)
			break;
	}
	for (k = 0; k < REPORT_TREND; k++) {
		/* Keep the last one, and any that ends after the first visit.
		 */
		if (k == REPORT_TREND - 1 || !any || b.pperiods[k].to > first)
			break;
	}
	n = REPORT_TREND - k;
	memmove(b.pperiods, b.pperiods + k, n * sizeof *b.pperiods);
	b.npoints = r->form != NULL ? n : 0;
	b.points = xcalloc(b.npoints + 1, sizeof *b.points);
	for (i = 0; i < b.npoints; i++) {
		b.points[i].t = xcalloc(b.ntargets + 1, sizeof *b.points[i].t);
		for (k = 0; k < b.ntargets; k++)
			report_qacc_init(&b.points[i].t[k],
			    &r->form->questions[b.target_q[k]]);
	}

	if (r->form != NULL) {
		walk_from = b.cur.from;
		if (b.has_prev && b.prev.from < walk_from)
			walk_from = b.prev.from;
		if (b.npoints > 0 && b.pperiods[0].from < walk_from)
			walk_from = b.pperiods[0].from;
		/* Counts only: a free text is never read. */
		rc = src->each(src, r->family, walk_from, b.cur.to, 0,
		    report_walk, &b, cause);
		if (rc != 0) {
			if (rc != -1)
				*cause = xasprintf(
				    _("reading the visits stopped (%d)"), rc);
			goto fail;
		}
	}

	report_figures_of(&b.acc_cur, &r->headline.now);
	if (b.has_prev) {
		struct report_headline *h = &r->headline;

		report_figures_of(&b.acc_prev, &h->before);
		h->d_visits = (long)h->now.visits - (long)h->before.visits;
		h->d_units = (long)h->now.units - (long)h->before.units;
		h->d_inspectors =
		    (long)h->now.inspectors - (long)h->before.inspectors;
		if (h->now.has_score && h->before.has_score) {
			h->has_d_score = 1;
			h->d_score = h->now.score - h->before.score;
		}
	}
	if (b.acc_cur.nrows > 0)
		qsort(b.acc_cur.rows, b.acc_cur.nrows, sizeof *b.acc_cur.rows,
		    report_cmp_alert);
	r->alerts = b.acc_cur.rows;
	r->nalerts = b.acc_cur.nrows;
	b.acc_cur.rows = NULL;
	b.acc_cur.nrows = 0;
	report_questions(&b);
	report_targets(&b);
	report_rankings(&b);
	report_trend(&b);
	report_build_free(&b);
	*out = r;
	return REPORT_OK;

fail:
	report_build_free(&b);
	report_free(r);
	return REPORT_ERROR;
}

static void
report_entries_free(struct report_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].name);
		free(v[i].unit_id);
		free(v[i].unit_name);
	}
	free(v);
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nalerts; i++)
		report_alert_row_free(&r->alerts[i]);
	free(r->alerts);
	free(r->targets);
	for (i = 0; i < REPORT_BY_N; i++) {
		report_entries_free(
		    r->rankings[i].ranked, r->rankings[i].nranked);
		report_entries_free(
		    r->rankings[i].unranked, r->rankings[i].nunranked);
	}
	for (i = 0; i < r->nquestions; i++)
		free(r->questions[i].counts);
	free(r->questions);
	for (i = 0; i < r->ntrend; i++) {
		free(r->trend[i].has_target);
		free(r->trend[i].target);
	}
	free(r->trend);
	if (r->form != NULL)
		form_free(r->form);
	free(r->family);
	free(r);
}
