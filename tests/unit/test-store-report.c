/*
 * store-report: the visits a report reads, from a real store.  An
 * inspector's database holds visits of twin forms (one family) and of a
 * lone form, one of them amended, at the edges of a month in places with
 * different UTC offsets, one with the offset unknown (from before schema
 * 4); exported as a real batch, they are imported by a supervisor, and
 * both databases must give the same visits: current values, what was
 * shown, scores, alerts with their state, free texts (apart: only when
 * asked for), in order of when they took place, and who signed them.
 */
#include "unit.h"
#include "unit-db.h"
#include "unit-vfs.h"

#include <sys/stat.h>

#include <stdlib.h>

#include "anfang/batch.h"
#include "anfang/change.h"
#include "anfang/crypt-sign.h"
#include "anfang/crypt.h"
#include "anfang/load.h"
#include "anfang/store-batch.h"
#include "anfang/store-key.h"
#include "anfang/store-report.h"
#include "anfang/store-visit.h"
#include "anfang/xmalloc.h"

#define FORM_BODY                                                              \
	"units:\n"                                                             \
	"  - {id: u1, name: Unit One}\n"                                       \
	"  - {id: u2, name: 第二單位}\n"                                   \
	"visit: {division: optional, person: optional}\n"                      \
	"sections:\n"                                                          \
	"  - title: S\n"                                                       \
	"    questions:\n"                                                     \
	"      - {id: ok, type: yesno, label: L, required: true,"              \
	" score: {yes: 2, no: 0}}\n"                                           \
	"      - id: why\n"                                                    \
	"        type: choice\n"                                               \
	"        label: L\n"                                                   \
	"        show_if: ok == no\n"                                          \
	"        choices: [a, b]\n"                                            \
	"        score: {a: 1}\n"                                              \
	"      - {id: wait, type: number, label: L}\n"                         \
	"      - id: favours\n"                                                \
	"        type: yesno\n"                                                \
	"        label: L\n"                                                   \
	"        alert_if: . == yes\n"                                         \
	"        severity: high\n"                                             \
	"        alert_message: M\n"                                           \
	"      - {id: note, type: text, label: L}\n"

static const char form_en[] = "form: tw-en\nversion: 1\ntitle: T\n"
                              "language: en\nfamily: tw\n" FORM_BODY;
static const char form_zh[] = "form: tw-zh\nversion: 1\ntitle: 表\n"
                              "language: zh\nfamily: tw\n" FORM_BODY;
static const char form_solo[] = "form: solo\nversion: 1\ntitle: S\n"
                                "language: en\n" FORM_BODY;

/* ms since the epoch of a date and time, as if local time were UTC. */
static int64_t
at(int y, int mo, int d, int h, int mi)
{
	int64_t era, yoe, doy, doe, days;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;
	return ((days * 24 + h) * 60 + mi) * 60000;
}

#define NOW at(2026, 4, 1, 0, 0)
#define FEB at(2026, 2, 1, 0, 0)
#define MAR at(2026, 3, 1, 0, 0)

/* What each visit is, to be found again. */
struct want {
	const char *form;
	const char *unit;
	int64_t local;
	int offset; /* minutes; INT_MIN: unknown (stored NULL) */
	int ok;     /* 1 yes, 0 no */
	const char *why;
	int favours;
	int amend;        /* amended to ok no, why b */
	const char *note; /* its free text; NULL: unanswered */
	char id[VISIT_ID_LEN + 1];
};

#define UNKNOWN (-100000)

static struct want wants[] = {
	/* just before February there (UTC+8) */
	{ "tw-en", "u1", 0, 480, 1, NULL, 0, 0, NULL, "" },
	/* February's first minute there: January's in UTC */
	{ "tw-en", "u1", 0, 480, 0, "a", 1, 0, "排隊 \"long\"", "" },
	/* February's last minute at UTC-5: March's in UTC */
	{ "tw-zh", "u2", 0, -300, 1, NULL, 1, 0, "窗口人員態度冷淡", "" },
	/* March's first minute at UTC-5 */
	{ "tw-zh", "u2", 0, -300, 1, NULL, 0, 0, NULL, "" },
	/* offset unknown: this machine's (TZ CST-8), 1 Feb 00:30 there */
	{ "tw-en", "u2", 0, UNKNOWN, 1, NULL, 0, 1, NULL, "" },
	/* another family in February */
	{ "solo", "u1", 0, 0, 1, NULL, 0, 0, "b", "" },
};
#define NWANTS (sizeof wants / sizeof wants[0])

struct fixture {
	char *dir, *insp, *sup;
	struct crypt_mem *pass, *insp_key, *sup_key;
	char own[17];
};

static int
init_fill(struct store *s, void *arg, char **cause)
{
	return store_key_create_sign(s, arg, cause);
}

static void
answer(struct store *s, struct visit *v, const char *q, const struct value *x)
{
	char *cause = NULL;

	if (change_answer(s, v, unit_qi(v, q), x, NOW - 1000, &cause) != 0) {
		fprintf(stderr, "  answer %s: %s\n", q, cause);
		fail();
	}
}

static void
make_visit(struct store *s, struct form **forms, struct want *w)
{
	struct form *f = NULL;
	struct visit *v;
	struct value x = { 0 };
	struct visit_amend_answer am[2];
	char *cause = NULL;
	size_t i;
	int off = w->offset == UNKNOWN ? 480 : w->offset;

	for (i = 0; i < 3; i++) {
		if (strcmp(forms[i]->id, w->form) == 0)
			f = forms[i];
	}
	assert_non_null(f);
	v = visit_new(f, 0, w->unit, "窗口 <1>", NULL, NOW - 5000, &cause);
	assert_non_null(v);
	assert_int_equal(visit_set_took(v, w->local - (int64_t)off * 60000, off,
	                     NOW - 5000, &cause),
	    0);
	assert_int_equal(change_insert(s, v, NOW - 5000, &cause), 0);
	value_bool(&x, w->ok);
	answer(s, v, "ok", &x);
	if (w->why != NULL) {
		value_string(&x, w->why);
		answer(s, v, "why", &x);
	}
	value_bool(&x, w->favours);
	answer(s, v, "favours", &x);
	if (w->note != NULL) {
		value_string(&x, w->note);
		answer(s, v, "note", &x);
	}
	value_clear(&x);
	assert_int_equal(change_finalize(s, v, NOW - 500, &cause), 0);
	if (w->amend) {
		struct value no = { 0 }, b = { 0 };

		value_bool(&no, 0);
		value_string(&b, "b");
		am[0] = (struct visit_amend_answer){ unit_qi(v, "ok"), &no };
		am[1] = (struct visit_amend_answer){ unit_qi(v, "why"), &b };
		if (change_amend(
		        s, v, am, 2, "misread", NULL, NOW - 100, &cause) != 0) {
			fprintf(stderr, "  amend: %s\n", cause);
			fail();
		}
		value_clear(&no);
		value_clear(&b);
	}
	memcpy(w->id, v->id, sizeof w->id);
	visit_free(v);
}

/* The inspector's visits, exported; the supervisor imports them. */
static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct batch_verdict vd;
	struct batch *b;
	struct store *s = NULL;
	struct form *forms[3];
	char *cause = NULL, *out, **paths = NULL, *ids[NWANTS], keyid[17];
	struct crypt_sign_key k;
	size_t i, npaths = 0, imported = 0;
	sqlite3 *raw;
	char *sql;

	if (crypt_init(&cause) != 0)
		return -1;
	setenv("TZ", "CST-8", 1);
	unit_vfs_install();
	*state = fx;
	fx->dir = xstrdup("/tmp/anfang-test-store-report-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	fx->insp = xasprintf("%s/insp.db", fx->dir);
	fx->sup = xasprintf("%s/sup.db", fx->dir);
	fx->pass = unit_secret("報表 source");
	wants[0].local = at(2026, 1, 31, 23, 59);
	wants[1].local = FEB;
	wants[2].local = at(2026, 2, 28, 23, 59);
	wants[3].local = MAR;
	wants[4].local = at(2026, 2, 1, 0, 30);
	wants[5].local = at(2026, 2, 10, 12, 0);

	if (store_create(fx->insp, fx->pass, CRYPT_KDF_INTERACTIVE, init_fill,
	        fx->own, &s, &cause) != STORE_OK)
		return -1;
	forms[0] = unit_form_ok(form_en);
	forms[1] = unit_form_ok(form_zh);
	forms[2] = unit_form_ok(form_solo);
	for (i = 0; i < NWANTS; i++) {
		make_visit(s, forms, &wants[i]);
		ids[i] = wants[i].id;
	}
	for (i = 0; i < 3; i++)
		form_free(forms[i]);
	assert_int_equal(store_key_get_sign(s, &k, 0, &cause), 1);
	out = xasprintf("%s/out", fx->dir);
	assert_int_equal(mkdir(out, 0700), 0);
	if (batch_export(s, out, ids, NWANTS, NULL, &paths, &npaths, &cause) !=
	    0) {
		fprintf(stderr, "export: %s\n", cause);
		return -1;
	}
	store_close(s);
	free(out);
	fx->insp_key = unit_raw_key(fx->insp, fx->pass);
	/* The visit from before schema 4 does not know its offset. */
	raw = unit_raw_open(fx->insp_key, fx->insp);
	sql = xasprintf("UPDATE visits SET took_offset = NULL WHERE id = '%s'",
	    wants[4].id);
	unit_raw_exec(raw, sql);
	free(sql);
	sqlite3_close(raw);

	if (store_create(fx->sup, fx->pass, CRYPT_KDF_INTERACTIVE, init_fill,
	        keyid, &s, &cause) != STORE_OK)
		return -1;
	crypt_sign_keyid_hex(keyid, k.keyid);
	assert_int_equal(
	    store_keyring_add(s, keyid, "檢查員 \"甲\"", k.pk, NOW, &cause), 0);
	memset(&vd, 0, sizeof vd);
	b = batch_verify(paths[0], s, NULL, NULL, &vd);
	if (b == NULL) {
		fprintf(stderr, "verify: %s\n", vd.message);
		return -1;
	}
	assert_int_equal(batch_import(b, s, &imported, &cause), 0);
	assert_int_equal(imported, NWANTS);
	batch_free(b);
	batch_verdict_clear(&vd);
	store_close(s);
	fx->sup_key = unit_raw_key(fx->sup, fx->pass);
	raw = unit_raw_open(fx->sup_key, fx->sup);
	sql = xasprintf("UPDATE visits SET took_offset = NULL WHERE id = '%s'",
	    wants[4].id);
	unit_raw_exec(raw, sql);
	free(sql);
	sqlite3_close(raw);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx == NULL)
		return 0;
	unit_remove_tree(fx->dir);
	free(fx->dir);
	free(fx->insp);
	free(fx->sup);
	crypt_mem_free(fx->pass);
	crypt_mem_free(fx->insp_key);
	crypt_mem_free(fx->sup_key);
	free(fx);
	return 0;
}

/* What each() gave, kept as text to compare. */
struct seen {
	char lines[16][256];
	int status[16];
	size_t n;
	size_t stop_after; /* 0: never */
};

static int
collect(void *arg, const struct report_visit *v)
{
	struct seen *got = arg;
	const struct form *f = v->form;
	char *line = got->lines[got->n];
	size_t q, i;
	int n;

	n = snprintf(line, 256, "%s %s %s %s %g/%g", v->id, f->id, v->unit_id,
	    v->inspector, v->score, v->score_max);
	for (q = 0; q < f->nquestions; q++) {
		char *val = value_format(&v->values[q]);

		n += snprintf(line + n, 256 - (size_t)n, " %s%s=%s",
		    v->seen[q] ? "" : "!", f->questions[q].id, val);
		free(val);
	}
	for (i = 0; i < v->nalerts; i++) {
		n += snprintf(line + n, 256 - (size_t)n, " alert:%s:%d:%s",
		    f->questions[v->alerts[i].question].id,
		    (int)v->alerts[i].severity,
		    v->alerts[i].state == REPORT_ALERT_OPEN
		        ? "open"
		        : v->alerts[i].note);
	}
	got->status[got->n] = v->status;
	got->n++;
	return got->stop_after && got->n == got->stop_after ? 7 : 0;
}

static struct report_source *
source(const struct crypt_mem *key, const char *path, struct store **s)
{
	struct report_source *src;
	char *cause = NULL;

	*s = unit_open_key(key, path);
	src = store_report_source(*s, &cause);
	if (src == NULL)
		fprintf(stderr, "  source: %s\n", cause);
	assert_non_null(src);
	return src;
}

/* The line collect() gives for wants[i], signed by who; its free text
 * if texts, else the empty string. */
static char *
expect(size_t i, const char *who, int texts)
{
	const struct want *w = &wants[i];
	int ok = w->amend ? 0 : w->ok;
	const char *why = w->amend ? "\"b\"" : w->why ? "\"a\"" : NULL;
	struct value note = { 0 };
	char *line, *n;

	if (w->note != NULL)
		value_string(&note, texts ? w->note : "");
	n = value_format(&note);
	/* wait: shown, never answered */
	line = xasprintf("%s %s %s %s %g/%g ok=%s %swhy=%s wait=- "
	                 "favours=%s note=%s%s",
	    w->id, w->form, w->unit, who,
	    (ok ? 2.0 : 0.0) + (why && strcmp(why, "\"a\"") == 0 ? 1 : 0),
	    ok ? 2.0 : 3.0, ok ? "yes" : "no", why ? "" : "!", why ? why : "-",
	    w->favours ? "yes" : "no", n,
	    w->favours ? " alert:favours:3:open" : "");
	free(n);
	value_clear(&note);
	return line;
}

static void
check_month(
    const struct crypt_mem *key, const char *path, const char *who, int status)
{
	static const size_t feb[] = { 1, 4, 2 }; /* by took, then id */
	struct report_source *src;
	struct store *s;
	struct seen got;
	char *cause = NULL, *want;
	size_t i;

	int texts;

	src = source(key, path, &s);
	for (texts = 0; texts <= 1; texts++) {
		memset(&got, 0, sizeof got);
		assert_int_equal(src->each(src, "tw", FEB, MAR, texts, collect,
		                     &got, &cause),
		    0);
		assert_int_equal(got.n, 3);
		for (i = 0; i < 3; i++) {
			want = expect(feb[i], who, texts);
			assert_string_equal(got.lines[i], want);
			assert_int_equal(got.status[i], status);
			free(want);
		}
	}
	src->free(src);
	store_close(s);
}

/* The free texts lie apart, a row for each visit that has any: the rows
 * a report reads hold none of them. */
static void
check_apart(const struct crypt_mem *key, const char *path)
{
	sqlite3 *raw = unit_raw_open(key, path);
	sqlite3_stmt *st;
	size_t i, notes = 0;

	for (i = 0; i < NWANTS; i++)
		notes += wants[i].note != NULL;
	assert_int_equal(sqlite3_prepare_v2(raw,
	                     "SELECT (SELECT count(*) FROM report_texts),"
	                     " (SELECT count(*) FROM report_visits r"
	                     " JOIN report_texts t USING (family, took, id)),"
	                     " (SELECT count(*) FROM report_visits"
	                     " WHERE instr(answers, CAST(?1 AS BLOB)) > 0)",
	                     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, wants[2].note, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), notes);
	assert_int_equal(sqlite3_column_int(st, 1), notes);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
}

/* Each report row holds its visit's own columns as its visits row has
 * them (a received visit's are bound from the visit just stored, not
 * read back from its row), and the signer its row's origin names; the
 * visit from before schema 4 lost its offset after (setup). */
static void
check_from_row(const struct crypt_mem *key, const char *path)
{
	sqlite3 *raw = unit_raw_open(key, path);
	sqlite3_stmt *st;

	assert_int_equal(
	    sqlite3_prepare_v2(raw,
	        "SELECT (SELECT count(*) FROM report_visits),"
	        " (SELECT count(*) FROM report_visits r JOIN visits v"
	        " ON v.id = r.id AND v.took IS r.took"
	        " AND (v.took_offset IS r.took_offset"
	        " OR (v.id = ?1 AND v.took_offset IS NULL))"
	        " AND v.unit_id IS r.unit_id AND v.unit_name IS r.unit_name"
	        " AND v.division IS r.division AND v.person IS r.person"
	        " AND (CASE WHEN substr(v.origin, 1, 7) = 'signer '"
	        " THEN substr(v.origin, 8, 16) END) IS r.signer)",
	        -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, wants[4].id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), NWANTS);
	assert_int_equal(sqlite3_column_int(st, 1), NWANTS);
	sqlite3_finalize(st);
	sqlite3_close(raw);
}

static void
test_month_own(void **state)
{
	struct fixture *fx = *state;

	/* Exporting them changed their status: reports see it. */
	check_month(fx->insp_key, fx->insp, fx->own, VISIT_EXPORTED);
	check_apart(fx->insp_key, fx->insp);
	check_from_row(fx->insp_key, fx->insp);
}

static void
test_month_received(void **state)
{
	struct fixture *fx = *state;

	check_month(fx->sup_key, fx->sup, "檢查員 \"甲\"", VISIT_RECEIVED);
	check_apart(fx->sup_key, fx->sup);
	check_from_row(fx->sup_key, fx->sup);
}

static void
test_families_forms_span(void **state)
{
	struct fixture *fx = *state;
	struct report_source *src;
	struct store *s;
	const char *const *names;
	struct form *const *forms;
	char *cause = NULL;
	int64_t first, last;
	size_t n;
	int any;

	src = source(fx->sup_key, fx->sup, &s);
	assert_int_equal(src->families(src, &names, &n, &cause), 0);
	/* tw's latest visit (1 March there) is after solo's */
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "tw");
	assert_string_equal(names[1], "solo");
	assert_int_equal(src->forms(src, "tw", &forms, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_true(strcmp(forms[0]->id, forms[1]->id) != 0);
	assert_string_equal(forms[0]->family, "tw");
	assert_int_equal(src->forms(src, "solo", &forms, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(forms[0]->id, "solo");
	assert_int_equal(src->forms(src, "none", &forms, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(src->span(src, "tw", &any, &first, &last, &cause), 0);
	assert_int_equal(any, 1);
	assert_true(first == at(2026, 1, 31, 23, 59));
	assert_true(last == MAR);
	assert_int_equal(
	    src->span(src, "none", &any, &first, &last, &cause), 0);
	assert_int_equal(any, 0);
	src->free(src);
	store_close(s);
}

static void
test_bounds_and_stop(void **state)
{
	struct fixture *fx = *state;
	struct report_source *src;
	struct store *s;
	struct seen got;
	char *cause = NULL;

	src = source(fx->sup_key, fx->sup, &s);
	/* January holds only its last minute at UTC+8 */
	memset(&got, 0, sizeof got);
	assert_int_equal(src->each(src, "tw", at(2026, 1, 1, 0, 0), FEB, 0,
	                     collect, &got, &cause),
	    0);
	assert_int_equal(got.n, 1);
	assert_int_equal(strncmp(got.lines[0], wants[0].id, VISIT_ID_LEN), 0);
	/* March: its first minute at UTC-5 */
	memset(&got, 0, sizeof got);
	assert_int_equal(src->each(src, "tw", MAR, at(2026, 4, 1, 0, 0), 0,
	                     collect, &got, &cause),
	    0);
	assert_int_equal(got.n, 1);
	assert_int_equal(strncmp(got.lines[0], wants[3].id, VISIT_ID_LEN), 0);
	/* all time, stopped after two: fn's value comes back */
	memset(&got, 0, sizeof got);
	got.stop_after = 2;
	assert_int_equal(src->each(src, "tw", INT64_MIN, INT64_MAX, 0, collect,
	                     &got, &cause),
	    7);
	assert_int_equal(got.n, 2);
	/* an empty period, an unknown family: nothing, no error */
	memset(&got, 0, sizeof got);
	assert_int_equal(src->each(src, "tw", at(2025, 1, 1, 0, 0),
	                     at(2025, 2, 1, 0, 0), 0, collect, &got, &cause),
	    0);
	assert_int_equal(src->each(src, "none", INT64_MIN, INT64_MAX, 0,
	                     collect, &got, &cause),
	    0);
	assert_int_equal(got.n, 0);
	src->free(src);
	store_close(s);
}

/* A handled alert comes with its note, who and when. */
static void
test_alert_closed(void **state)
{
	struct fixture *fx = *state;
	struct report_source *src;
	struct store *s;
	struct seen got;
	sqlite3 *raw;
	char *cause = NULL, *sql;

	raw = unit_raw_open(fx->sup_key, fx->sup);
	sql = xasprintf("INSERT INTO alert_states VALUES ('%s', 'favours', 1,"
	                " 'called them', 'ABCD', 5)",
	    wants[1].id);
	unit_raw_exec(raw, sql);
	free(sql);
	sqlite3_close(raw);
	src = source(fx->sup_key, fx->sup, &s);
	memset(&got, 0, sizeof got);
	assert_int_equal(
	    src->each(src, "tw", FEB, FEB + 60000, 0, collect, &got, &cause),
	    0);
	assert_int_equal(got.n, 1);
	assert_non_null(strstr(got.lines[0], "alert:favours:3:called them"));
	src->free(src);
	store_close(s);
}

/* A database that cannot be read is an error, never an empty report. */
static void
test_error(void **state)
{
	struct fixture *fx = *state;
	struct report_source *src;
	struct store *s;
	struct seen got;
	char *copy = xasprintf("%s/broken.db", fx->dir), *cause = NULL;
	sqlite3 *raw;

	unit_copy_file(fx->sup, copy);
	src = source(fx->sup_key, copy, &s);
	raw = unit_raw_open(fx->sup_key, copy);
	unit_raw_exec(raw, "DROP TABLE report_visits");
	sqlite3_close(raw);
	memset(&got, 0, sizeof got);
	assert_int_equal(src->each(src, "tw", INT64_MIN, INT64_MAX, 0, collect,
	                     &got, &cause),
	    -1);
	assert_non_null(cause);
	assert_int_equal(got.n, 0);
	free(cause);
	src->free(src);
	store_close(s);
	free(copy);
}

/*
 * A visit whose packed answers are damaged stops the report with an error
 * naming it and saying what is wrong; the visits before it were given.
 */
static void
test_damaged(void **state)
{
	struct fixture *fx = *state;
	struct report_source *src;
	struct store *s;
	struct seen all, got;
	char *copy = xasprintf("%s/damaged.db", fx->dir), *cause = NULL;
	char *sql, *want;
	sqlite3 *raw;

	unit_copy_file(fx->sup, copy);
	src = source(fx->sup_key, copy, &s);
	memset(&all, 0, sizeof all);
	assert_int_equal(src->each(src, "tw", INT64_MIN, INT64_MAX, 0, collect,
	                     &all, &cause),
	    0);
	assert_true(all.n >= 2);
	/* The second visit read loses its last byte. */
	raw = unit_raw_open(fx->sup_key, copy);
	sql = sqlite3_mprintf("UPDATE report_visits SET answers ="
	                      " substr(answers, 1, length(answers) - 1)"
	                      " WHERE id = (SELECT id FROM report_visits"
	                      " WHERE family = 'tw' ORDER BY took, id"
	                      " LIMIT 1 OFFSET 1)");
	unit_raw_exec(raw, sql);
	sqlite3_free(sql);
	sqlite3_close(raw);
	memset(&got, 0, sizeof got);
	assert_int_equal(src->each(src, "tw", INT64_MIN, INT64_MAX, 0, collect,
	                     &got, &cause),
	    -1);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.lines[0], all.lines[0]);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "damaged"));
	want = xstrndup(all.lines[1], 12); /* the visit's id */
	assert_non_null(strstr(cause, want));
	free(want);
	free(cause);
	src->free(src);
	store_close(s);
	free(copy);
}

/*
 * Damaged free texts: an error naming the visit for what reads them; what
 * does not (a report's counts) never looks at them.
 */
static void
test_damaged_texts(void **state)
{
	struct fixture *fx = *state;
	struct report_source *src;
	struct store *s;
	struct seen got;
	char *copy = xasprintf("%s/damaged-texts.db", fx->dir), *cause = NULL;
	char *sql;
	sqlite3 *raw;

	unit_copy_file(fx->sup, copy);
	raw = unit_raw_open(fx->sup_key, copy);
	sql = sqlite3_mprintf("UPDATE report_texts SET texts ="
	                      " substr(texts, 1, length(texts) - 1)"
	                      " WHERE id = '%q'",
	    wants[1].id);
	unit_raw_exec(raw, sql);
	sqlite3_free(sql);
	sqlite3_close(raw);
	src = source(fx->sup_key, copy, &s);
	memset(&got, 0, sizeof got);
	assert_int_equal(
	    src->each(src, "tw", FEB, MAR, 0, collect, &got, &cause), 0);
	assert_int_equal(got.n, 3);
	memset(&got, 0, sizeof got);
	assert_int_equal(
	    src->each(src, "tw", FEB, MAR, 1, collect, &got, &cause), -1);
	assert_int_equal(got.n, 0);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "damaged"));
	assert_non_null(strstr(cause, wants[1].id));
	free(cause);
	src->free(src);
	store_close(s);
	free(copy);
}

/* A database with no signing key (0, no cause) has no visits of its
 * own: they are shown signed by "?". */
static void
test_no_key(void **state)
{
	struct fixture *fx = *state;
	struct report_source *src;
	struct crypt_sign_key k;
	struct store *s;
	struct seen got;
	char *copy = xasprintf("%s/nokey.db", fx->dir), *cause = NULL, *want;
	sqlite3 *raw;

	unit_copy_file(fx->insp, copy);
	raw = unit_raw_open(fx->insp_key, copy);
	unit_raw_exec(raw, "DELETE FROM keys WHERE name = 'sign'");
	sqlite3_close(raw);
	src = source(fx->insp_key, copy, &s);
	assert_int_equal(store_key_get_sign(s, &k, 0, &cause), 0);
	assert_null(cause);
	memset(&got, 0, sizeof got);
	assert_int_equal(
	    src->each(src, "tw", FEB, MAR, 0, collect, &got, &cause), 0);
	want = expect(1, "?", 0);
	assert_string_equal(got.lines[0], want);
	free(want);
	src->free(src);
	store_close(s);
	free(copy);
}

/*
 * A read that fails while the source is made is an error, never "this
 * database has no signing key": every read from the first on fails in
 * turn, and the source is either not made (with a cause) or names the
 * database's own visits by its key id, not "?".
 */
static void
test_read_errors(void **state)
{
	struct fixture *fx = *state;
	struct report_source *src;
	struct store *s;
	struct seen got;
	char *cause, *want;
	long n;
	int fired, faults = 0;

	for (n = 1;; n++) {
		s = unit_open_key(fx->insp_key, fx->insp);
		cause = NULL;
		unit_vfs_arm(n, UNIT_VFS_READ, 0);
		src = store_report_source(s, &cause);
		fired = unit_vfs_disarm();
		if (src == NULL) {
			assert_true(fired);
			assert_non_null(cause);
			free(cause);
			store_close(s);
			faults++;
			continue;
		}
		memset(&got, 0, sizeof got);
		assert_int_equal(
		    src->each(src, "tw", FEB, MAR, 0, collect, &got, &cause),
		    0);
		assert_int_equal(got.n, 3);
		want = expect(1, fx->own, 0);
		if (strcmp(got.lines[0], want) != 0)
			fail_msg("read %ld failing: %s, not %s", n,
			    got.lines[0], want);
		free(want);
		src->free(src);
		store_close(s);
		if (!fired)
			break;
	}
	/* The source did read the database. */
	assert_true(faults > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month_own),
		cmocka_unit_test(test_month_received),
		cmocka_unit_test(test_families_forms_span),
		cmocka_unit_test(test_bounds_and_stop),
		cmocka_unit_test(test_alert_closed),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_damaged_texts),
		cmocka_unit_test(test_no_key),
		cmocka_unit_test(test_read_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
