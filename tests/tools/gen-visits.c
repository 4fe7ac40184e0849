/*
 * gen-visits: visits with known answers for report tests and benchmarks,
 * made by inspectors through the real code and exported as real signed
 * batches for a supervisor to import with `anfang import`.
 *
 *   gen-visits OUT FORMS-DIR [--visits N] [--months M] [--units U]
 *       [--inspectors K] [--seed S] [--end YYYY-MM]
 *
 * The passphrase of the inspectors' databases is read from standard input.
 * Deterministic: a seeded generator, no clock (visit ids and times come
 * from it; only the batches' own ids and export times do not).  Writes:
 *
 *   OUT/forms/          the service-window twins (FORMS-DIR's
 *                       service-window.zh.yaml and .en.yaml, as they are)
 *                       with a sites file of U units
 *   OUT/inspector-K.db  each inspector's database (K = 1 ...)
 *   OUT/inspector-K.pub its public key
 *   OUT/inspectors.tsv  "K<TAB>PUB-FILE<TAB>LABEL" for keyring add
 *   OUT/batches/        one signed batch per inspector, all its visits
 *   OUT/truth.jsonl     one line per visit: what it holds now, after its
 *                       amendments (batch_json_truth in batch-json.h)
 *
 * The data: M months ending with --end (default 2026-10), the second of
 * them empty (when M >= 3); visits at the edges of months and at UTC
 * offsets +08:00 (most), +07:00 and +09:00; both twin forms; about one
 * visit in 16 amended (first_asked, whose alert may come or go); each
 * unit's answers as good as its quality, which the seed decides; hostile
 * names and answers (<script>, quotes, &, control characters, U+0085 and
 * U+202E, lines, formulas, long Chinese names);
 * the last two units with one and two visits, and one person with two.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/batch-json.h"
#include "anfang/batch.h"
#include "anfang/change.h"
#include "anfang/crypt-sign.h"
#include "anfang/crypt.h"
#include "anfang/form-load.h"
#include "anfang/load.h"
#include "anfang/passphrase.h"
#include "anfang/store-key.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "gen-visits: %s: %s\n", what, why);
	exit(1);
}

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t gen_state;

static uint64_t
gen_next(void)
{
	uint64_t z = (gen_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A whole number in [0, n). */
static long
gen_below(long n)
{
	return n <= 1 ? 0 : (long)(gen_next() % (uint64_t)n);
}

/* A number in [0, 1). */
static double
gen_unit(void)
{
	return (double)(gen_next() >> 11) / 9007199254740992.0;
}

static int
gen_chance(double p)
{
	return gen_unit() < p;
}

/* Days since 1970-01-01 of a civil date. */
static int64_t
gen_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
gen_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* A YAML double-quoted scalar: every control character escaped. */
static void
gen_yaml_quote(FILE *f, const char *s)
{
	const unsigned char *c;

	fputc('"', f);
	for (c = (const unsigned char *)s; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(f, "\\x%02x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
}

static void
gen_copy(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out;
	size_t n;

	if (in == NULL)
		die(from, strerror(errno));
	if ((out = fopen(to, "wb")) == NULL)
		die(to, strerror(errno));
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) != 0)
		die(to, strerror(errno));
}

static void
gen_mkdir(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		die(path, strerror(errno));
}

/* Hostile and long names first, then ordinary ones. */
static char *
gen_unit_name(long i)
{
	static const char *const hostile[] = {
		"<script>alert(\"單位\")</script>服務中心",
		"\"引號\" & 符號 <b>單位</b>",
		"控制\x1b[31m字元\x07單位",
		"市政務服務中心不動產登記社會保險醫療保障出入境車輛管理稅務"
		"第一辦稅服務廳綜合受理窗口",
	};
	static const char *const places[] = { "東城區", "西城區", "南山縣",
		"北湖區", "市", "高新區", "臨江鎮", "青石街道" };
	static const char *const offices[] = { "政務服務中心", "不動產登記中心",
		"社保經辦大廳", "醫保服務大廳", "出入境辦證大廳",
		"稅務局辦稅服務廳", "車輛管理所", "公積金服務大廳",
		"婚姻登記處", "市場監管登記窗口" };

	if (i < 4)
		return xstrdup(hostile[i]);
	return xasprintf(
	    "%s%s（第%ld）", places[i % 8], offices[(i / 8) % 10], i);
}

struct gen {
	long visits, months, units, inspectors;
	int end_y, end_m;
	double *quality; /* per unit */
	char **unit_ids;
};

/* The form's best-scoring choice (or yes/no), NULL when unscored. */
static const char *
gen_best(const struct form_question *fq)
{
	const char *best = NULL;
	double top = -1e300;
	size_t i;

	for (i = 0; i < fq->nscores; i++) {
		if (fq->scores[i].points > top) {
			top = fq->scores[i].points;
			best = fq->scores[i].answer;
		}
	}
	return best;
}

static const char *const gen_texts[] = {
	"排隊的人很多，但秩序良好。",
	"<script>alert('x')</script> & \"quoted\"",
	"Staff said: come back <tomorrow> & bring \"everything\".",
	"窗口人員態度冷淡，多次離崗接聽私人電話，群眾意見較大，"
	"建議加強管理並在大廳張貼投訴電話。",
	/* lines, a tab and a bidi override: the most a text answer may hold */
	"=1+2 第一行\n第二行\xe2\x80\xae反向\n\t第三行",
};

/* A value for question q of v, as good as quality. */
static void
gen_value(const struct visit *v, size_t q, double quality, int local_hour,
    struct value *val)
{
	const struct form_question *fq = &v->form->questions[q];
	const char *best = gen_best(fq), *items[16];
	char buf[64];
	double lo, hi, x;
	size_t i, n;

	value_clear(val);
	switch (fq->type) {
	case FORM_YESNO:
		if (best != NULL && gen_chance(quality))
			value_bool(val, strcmp(best, "yes") == 0);
		else
			value_bool(val, gen_chance(0.5));
		break;
	case FORM_CHOICE:
		if (best != NULL && gen_chance(quality))
			value_string(val, best);
		else
			value_string(val,
			    fq->choices[gen_below((long)fq->nchoices)].value);
		break;
	case FORM_MULTI:
		for (i = n = 0; i < fq->nchoices && n < 16; i++) {
			if (gen_chance(fq->nscores ? quality : 0.3))
				items[n++] = fq->choices[i].value;
		}
		if (n == 0 && fq->required)
			items[n++] =
			    fq->choices[gen_below((long)fq->nchoices)].value;
		value_set(val, items, n);
		break;
	case FORM_SCALE:
		if (fq->nscores && gen_chance(quality))
			value_number(val, atof(best));
		else
			value_number(
			    val, fq->min + (double)gen_below(
			                       (long)(fq->max - fq->min + 1)));
		break;
	case FORM_NUMBER:
		lo = fq->has_min ? fq->min : 0;
		hi = fq->has_max && fq->max < lo + 5 ? fq->max : lo + 5;
		/* trips and the like: the least is the good answer */
		if (gen_chance(quality))
			x = lo;
		else
			x = lo + floor(gen_unit() * (hi - lo + 1));
		if (fq->decimals > 0)
			x += (double)gen_below(100) / 100;
		value_number(val, x > 0 || !fq->constraint ? x : 1);
		break;
	case FORM_COUNT:
		value_number(val, (double)gen_below(16));
		break;
	case FORM_TIMER:
		/* good: within 15 minutes; else up to 50 */
		value_number(val, gen_chance(quality)
		                      ? (double)(30 + gen_below(870))
		                      : (double)(900 + gen_below(2100)));
		break;
	case FORM_TEXT:
		/* the last, of several lines, where lines are allowed */
		value_string(
		    val, gen_texts[gen_below(
		             (long)(sizeof gen_texts / sizeof *gen_texts) -
		             (fq->lines > 1 ? 0 : 1))]);
		break;
	case FORM_DATE:
		snprintf(buf, sizeof buf, "2026-0%ld-1%ld", 1 + gen_below(9),
		    gen_below(10));
		value_string(val, buf);
		break;
	case FORM_TIME:
		snprintf(
		    buf, sizeof buf, "%02d:%02ld", local_hour, gen_below(60));
		value_string(val, buf);
		break;
	default:
		break;
	}
}

/* Answer what is shown, in form order; alerts rarer than bad answers. */
static void
gen_answers(struct visit *v, double quality, int local_hour, int64_t now)
{
	const struct form *f = v->form;
	struct value val = { 0 };
	char *cause = NULL;
	size_t q;
	int tries;

	for (q = 0; q < f->nquestions; q++) {
		const struct form_question *fq = &f->questions[q];

		if (!form_type_answers(fq->type) || !visit_visible(v, q))
			continue;
		if (!fq->required && gen_chance(0.1))
			continue; /* seen, not answered */
		for (tries = 0; tries < 6; tries++) {
			gen_value(v, q, quality, local_hour, &val);
			if (visit_answer(v, q, &val, now, &cause) != 0)
				die(fq->id, cause);
			if (visit_constraint_fails(v, q))
				continue;
			/* most units behave: an alert in a few visits */
			if (visit_alerts(v, q) &&
			    !gen_chance((1 - quality) * 0.25))
				continue;
			break;
		}
		if (tries == 6 && !fq->required)
			visit_answer(v, q, NULL, now, &cause);
	}
	value_clear(&val);
}

/* Reasons for the soft checks that fire; then it must finalize. */
static void
gen_reasons(struct visit *v)
{
	struct visit_problem *p;
	char *cause = NULL, *text;
	size_t q, n;

	for (q = 0; q < v->form->nquestions; q++) {
		if (visit_warns(v, q) &&
		    visit_set_reason(
		        v, q, "系統故障 & \"排隊\" <長>", &cause) != 0)
			die("reason", cause);
	}
	if ((n = visit_problems(v, &p)) > 0) {
		text = visit_problem_text(v, &p[0]);
		die("a generated visit cannot be finalized", text);
	}
	free(p);
}

/* Another first_asked, for one visit in 16: its alert may come or go. */
static void
gen_amend(struct store *s, struct visit *v, int64_t at)
{
	long q = form_find(v->form, "first_asked");
	const struct form_question *fq;
	const struct value *cur;
	struct visit_amend_answer a;
	struct value val = { 0 };
	char *cause = NULL;
	size_t i;

	if (q < 0 || (cur = visit_value(v, (size_t)q)) == NULL)
		return;
	fq = &v->form->questions[q];
	i = (size_t)gen_below((long)fq->nchoices);
	if (strcmp(fq->choices[i].value, cur->s) == 0)
		i = (i + 1) % fq->nchoices;
	value_string(&val, fq->choices[i].value);
	a.question = (size_t)q;
	a.value = &val;
	if (change_amend(
	        s, v, &a, 1, "核對錄音後更正 & <更正>", NULL, at, &cause) != 0)
		die("amend", cause);
	value_clear(&val);
}

static const char *const gen_labels[] = {
	"檢查員 甲",
	"Inspector \"B\" & <co>",
	"<script>alert(1)</script>",
	"第四組暗訪檢查員（長名字測試用）王小明",
};

static char *
gen_label(long k)
{
	if (k < 4)
		return xstrdup(gen_labels[k]);
	return xasprintf("檢查員 %ld", k + 1);
}

static int
gen_fill(struct store *s, void *arg, char **cause)
{
	return store_key_create_sign(s, arg, cause);
}

struct gen_inspector {
	struct store *s;
	char *label;
	char **ids;
	size_t n;
};

static void
gen_options(struct gen *g, int argc, char **argv, uint64_t *seed)
{
	int i;

	g->visits = 300;
	g->months = 6;
	g->units = 24;
	g->inspectors = 3;
	g->end_y = 2026;
	g->end_m = 10;
	*seed = 1;
	for (i = 3; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--visits") == 0)
			g->visits = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--months") == 0)
			g->months = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--units") == 0)
			g->units = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--inspectors") == 0)
			g->inspectors = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--seed") == 0)
			*seed = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--end") == 0 &&
		         sscanf(argv[i + 1], "%d-%d", &g->end_y, &g->end_m) ==
		             2)
			;
		else
			die(argv[i], "unknown option");
	}
	if (i != argc || g->visits < 3 || g->months < 1 || g->units < 3 ||
	    g->inspectors < 1 || g->end_m < 1 || g->end_m > 12)
		die("usage", "gen-visits OUT FORMS-DIR [--visits N >= 3] "
		             "[--months M] [--units U >= 3] [--inspectors K] "
		             "[--seed S] [--end YYYY-MM]");
}

/* The forms and the sites file of g->units units under out/forms. */
static void
gen_forms(struct gen *g, const char *out, const char *dir, struct form **f)
{
	struct diag_list diags = { 0 };
	char *p, *q;
	FILE *sites;
	long i;

	p = xasprintf("%s/forms", out);
	gen_mkdir(p);
	free(p);
	p = xasprintf("%s/forms/sites", out);
	gen_mkdir(p);
	free(p);
	p = xasprintf("%s/forms/sites/service-centres.yaml", out);
	if ((sites = fopen(p, "w")) == NULL)
		die(p, strerror(errno));
	free(p);
	fputs("units:\n", sites);
	g->unit_ids = xcalloc((size_t)g->units, sizeof *g->unit_ids);
	g->quality = xcalloc((size_t)g->units, sizeof *g->quality);
	for (i = 0; i < g->units; i++) {
		char *name = gen_unit_name(i);

		g->unit_ids[i] = xasprintf("u%03ld", i);
		g->quality[i] = 0.35 + 0.6 * gen_unit();
		fprintf(sites, "  - {id: %s, name: ", g->unit_ids[i]);
		gen_yaml_quote(sites, name);
		fputs("}\n", sites);
		free(name);
	}
	if (fclose(sites) != 0)
		die("sites", strerror(errno));
	for (i = 0; i < 2; i++) {
		const char *lang = i == 0 ? "zh" : "en";

		p = xasprintf("%s/service-window.%s.yaml", dir, lang);
		q = xasprintf("%s/forms/service-window.%s.yaml", out, lang);
		gen_copy(p, q);
		if ((f[i] = form_load_file(q, &diags)) == NULL)
			die(q, diags.n ? diags.v[0].msg : "cannot load");
		free(p);
		free(q);
	}
}

int
main(int argc, char **argv)
{
	static const char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
	struct gen g;
	struct gen_inspector *insp;
	struct crypt_mem *pass;
	struct crypt_sign_key k;
	struct form *forms[2];
	struct visit *v;
	FILE *truth, *tsv;
	char *cause = NULL, *p, *line, keyid[17], **paths;
	const char *out;
	uint64_t seed;
	size_t npaths, j;
	long i, kk, unit, empty, month, person;
	int y, m, day, hour, minute, offset;
	int64_t local, took;

	if (argc < 3)
		die("usage", "gen-visits OUT FORMS-DIR [options]");
	out = argv[1];
	gen_options(&g, argc, argv, &seed);
	gen_state = seed;
	if (crypt_init(&cause) != 0)
		die("libsodium", cause);
	store_set_deriver(load_derive);
	if ((pass = passphrase_read(0, "", NULL, &cause)) == NULL)
		die("passphrase", cause);
	gen_mkdir(out);
	gen_forms(&g, out, argv[2], forms);
	p = xasprintf("%s/batches", out);
	gen_mkdir(p);
	free(p);

	insp = xcalloc((size_t)g.inspectors, sizeof *insp);
	p = xasprintf("%s/inspectors.tsv", out);
	if ((tsv = fopen(p, "w")) == NULL)
		die(p, strerror(errno));
	free(p);
	for (kk = 0; kk < g.inspectors; kk++) {
		p = xasprintf("%s/inspector-%ld.db", out, kk + 1);
		if (store_create(p, pass, CRYPT_KDF_INTERACTIVE, gen_fill,
		        keyid, &insp[kk].s, &cause) != STORE_OK)
			die(p, cause);
		free(p);
		insp[kk].label = gen_label(kk);
		if (store_key_get_sign(insp[kk].s, &k, 0, &cause) != 1)
			die("key", cause != NULL ? cause : "no signing key");
		p = xasprintf("%s/inspector-%ld.pub", out, kk + 1);
		line = crypt_sign_public_file(&k);
		{
			FILE *pub = fopen(p, "w");

			if (pub == NULL || fputs(line, pub) < 0 ||
			    fclose(pub) != 0)
				die(p, strerror(errno));
		}
		fprintf(tsv, "%ld\t%s\t%s\n", kk + 1, p, insp[kk].label);
		free(line);
		free(p);
		if (store_begin(insp[kk].s, &cause) != 0)
			die("begin", cause);
	}
	if (fclose(tsv) != 0)
		die("inspectors.tsv", strerror(errno));
	crypt_mem_free(pass);

	p = xasprintf("%s/truth.jsonl", out);
	if ((truth = fopen(p, "w")) == NULL)
		die(p, strerror(errno));
	free(p);
	empty = g.months >= 3 ? 1 : -1;
	for (i = 0; i < g.visits; i++) {
		/* the last two units: one visit and two */
		if (i == 0)
			unit = g.units - 2;
		else if (i < 3)
			unit = g.units - 1;
		else
			unit = gen_below(g.units - 2);
		do
			month = gen_below(g.months);
		while (month == empty);
		/* month 0 is the earliest; --end the last */
		y = g.end_y;
		m = g.end_m - (int)(g.months - 1 - month);
		while (m < 1) {
			m += 12;
			y--;
		}
		offset = gen_chance(0.9) ? 480 : gen_chance(0.5) ? 420 : 540;
		if (gen_chance(0.02)) {
			/* a month's first or last minute there */
			if (gen_chance(0.5)) {
				day = 1;
				hour = minute = 0;
			} else {
				day = gen_month_days(y, m);
				hour = 23;
				minute = 59;
			}
		} else {
			day = 1 + (int)gen_below(gen_month_days(y, m));
			hour = 8 + (int)gen_below(10);
			minute = (int)gen_below(60);
		}
		local =
		    ((gen_days(y, m, day) * 24 + hour) * 60 + minute) * 60000;
		took = local - (int64_t)offset * 60000;
		kk = gen_below(g.inspectors);

		{
			char division[64], personb[64];

			static const char hostile_person[] =
			    "員工\x1b[31m紅\x07\x7f\xc2\x85\xe2\x80\xae"
			    " \"甲\" & <乙>";
			static const char *const divisions[] = { "綜合受理窗口",
				"第一科", "Tax & Fees 窗口", "<b>專窗</b>" };
			/* persons belong to units; one has two visits */
			person = unit * 3 + gen_below(3);
			if (i == 1 || i == 2)
				snprintf(personb, sizeof personb, "%s",
				    hostile_person);
			else
				snprintf(personb, sizeof personb, "員工 %04ld",
				    person);
			snprintf(division, sizeof division, "%s",
			    divisions[(unit + gen_below(2)) % 4]);
			v = visit_new(forms[gen_chance(0.35) ? 1 : 0], 0,
			    g.unit_ids[unit], division, personb, took, &cause);
		}
		if (v == NULL)
			die("visit", cause);
		for (j = 0; j < VISIT_ID_LEN; j++)
			v->id[j] = alphabet[gen_below(sizeof alphabet - 1)];
		if (visit_set_took(v, took, offset, took, &cause) != 0)
			die("took", cause);
		gen_answers(v, g.quality[unit], hour, took);
		gen_reasons(v);
		if (change_insert(insp[kk].s, v, took, &cause) != 0 ||
		    change_finalize(insp[kk].s, v, took + 1200000, &cause) != 0)
			die("store", cause);
		if (gen_below(16) == 0)
			gen_amend(insp[kk].s, v, took + 86400000);
		line = batch_json_truth(v, insp[kk].label);
		fprintf(truth, "%s\n", line);
		free(line);
		insp[kk].ids = xreallocarray(
		    insp[kk].ids, insp[kk].n + 1, sizeof *insp[kk].ids);
		insp[kk].ids[insp[kk].n++] = xstrdup(v->id);
		visit_free(v);
		if (insp[kk].n % 1000 == 0 &&
		    (store_commit(insp[kk].s, &cause) != 0 ||
		        store_begin(insp[kk].s, &cause) != 0))
			die("commit", cause);
	}
	if (fclose(truth) != 0)
		die("truth.jsonl", strerror(errno));

	p = xasprintf("%s/batches", out);
	for (kk = 0; kk < g.inspectors; kk++) {
		if (store_commit(insp[kk].s, &cause) != 0)
			die("commit", cause);
		if (insp[kk].n > 0 &&
		    batch_export(insp[kk].s, p, insp[kk].ids, insp[kk].n, NULL,
		        &paths, &npaths, &cause) != 0)
			die("export", cause);
		for (j = 0; insp[kk].n > 0 && j < npaths; j++)
			free(paths[j]);
		if (insp[kk].n > 0)
			free(paths);
		for (j = 0; j < insp[kk].n; j++)
			free(insp[kk].ids[j]);
		free(insp[kk].ids);
		free(insp[kk].label);
		store_close(insp[kk].s);
	}
	free(p);
	free(insp);
	for (i = 0; i < g.units; i++)
		free(g.unit_ids[i]);
	free(g.unit_ids);
	free(g.quality);
	form_free(forms[0]);
	form_free(forms[1]);
	return 0;
}
