/*
 * The visits: newest first, with status, start, form, unit, progress and
 * alerts; filtered by status and by typed text; open, new, delete a draft.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/batch.h"
#include "anfang/clock.h"
#include "anfang/crypt-seal.h"
#include "anfang/store-setting.h"
#include "anfang/store-visit.h"
#include "anfang/store-watch.h"
#include "anfang/store.h"
#include "anfang/text-width.h"
#include "anfang/tui-edit.h"
#include "anfang/tui.h"
#include "anfang/xmalloc.h"

/*
 * The list is read a page at a time from where the cursor is (by key, not
 * by counting from the top): memory and the time to show it or to move
 * do not grow with the number of visits.  Rows read at a time, and the
 * most kept around the cursor.
 */
#define VISITS_CHUNK 128
#define VISITS_KEEP  (4 * VISITS_CHUNK)
/* The heading counts the list no further than this ("10000+"). */
#define VISITS_COUNT_MAX 10000
/* Where e last exported to, and the supervisor's key it sealed to. */
#define VISITS_SET_DIR  "ui.export_dir"
#define VISITS_SET_SEAL "ui.export_seal_key"
/* A key file is a few lines. */
#define VISITS_KEY_MAX 4096

struct visits_row {
	char *id;
	enum visit_status status;
	char *form;
	char *unit;
	int64_t started;
	long answered;
	long visible;
	long alerts;
};

/* Rows as read from the store, in the order read. */
struct visits_rows {
	struct visits_row *v;
	size_t n;
};

struct visits {
	/* A window of the list as filtered, around the cursor. */
	struct visits_row *rows;
	size_t nrows;
	int at_first; /* rows[0] is the first of the list */
	int at_last;  /* rows[nrows - 1] is the last */
	size_t count; /* the list's length, to VISITS_COUNT_MAX + 1 */
	int any;      /* whether there are visits at all */
	size_t cur;   /* in rows */
	size_t top;   /* in rows: the first on screen */
	int status;   /* -1: all */
	struct tui_edit filter;
	int filtering;
	/* e asks where (1), then for a supervisor's key to seal to (2) */
	int exporting;
	struct tui_edit ask;
	char *export_dir;
	int stale;         /* reload before drawing */
	long long version; /* the store's, when loaded: others' changes */
	/* The draft asked about: the list may reload while the question is
	 * shown (another process wrote), so the answer goes by id. */
	char *deleting;
};

static void
visits_row_free(struct visits_row *r)
{
	free(r->id);
	free(r->form);
	free(r->unit);
}

static void
visits_free_rows(struct visits *v)
{
	size_t i;

	for (i = 0; i < v->nrows; i++)
		visits_row_free(&v->rows[i]);
	free(v->rows);
	v->rows = NULL;
	v->nrows = v->cur = v->top = 0;
	v->at_first = v->at_last = 1;
}

static int
visits_add(void *arg, const struct store_visit_row *r)
{
	struct visits_rows *got = arg;
	struct visits_row *w;

	got->v = xreallocarray(got->v, got->n + 1, sizeof *got->v);
	w = &got->v[got->n++];
	w->id = xstrdup(r->id);
	w->status = r->status;
	w->form = xstrdup(r->form_title);
	w->unit = xstrdup(r->unit_name);
	w->started = r->started;
	w->answered = r->answered;
	w->visible = r->visible;
	w->alerts = r->alerts;
	return 0;
}

static void
visits_key_of(const struct visits_row *r, struct store_visit_key *k)
{
	k->started = r->started;
	snprintf(k->id, sizeof k->id, "%s", r->id);
}

/*
 * Up to VISITS_CHUNK rows of the list after key `from` (NULL: from the
 * first), or before it (back; NULL: from the last), nearest first.  0, or
 * -1 when the read failed (said on the screen; the rows read before the
 * error are kept).
 */
static int
visits_read_at(struct tui *t, struct visits *v,
    const struct store_visit_key *from, int back, struct visits_rows *got)
{
	struct store_visit_filter f = { v->status, v->filter.buf };
	char *cause = NULL;

	got->v = NULL;
	got->n = 0;
	if (tui_store(t) == NULL)
		return 0;
	if (store_visit_page(tui_store(t), &f, from, back, VISITS_CHUNK,
	        visits_add, got, &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* The same after (back: before) a row of the window. */
static int
visits_read(struct tui *t, struct visits *v, const struct visits_row *from,
    int back, struct visits_rows *got)
{
	struct store_visit_key k;

	if (from != NULL)
		visits_key_of(from, &k);
	return visits_read_at(t, v, from ? &k : NULL, back, got);
}

/* The rows read, at the end of the window or (front) reversed before it. */
static void
visits_put(struct visits *v, struct visits_rows *got, int front)
{
	size_t i;

	v->rows =
	    xreallocarray(v->rows, v->nrows + got->n + 1, sizeof *v->rows);
	if (front) {
		memmove(v->rows + got->n, v->rows, v->nrows * sizeof *v->rows);
		for (i = 0; i < got->n; i++)
			v->rows[got->n - 1 - i] = got->v[i];
		v->cur += got->n;
		v->top += got->n;
	} else if (got->n > 0) /* got->v is NULL when nothing was read */
		memcpy(v->rows + v->nrows, got->v, got->n * sizeof *v->rows);
	v->nrows += got->n;
	free(got->v);
}

/* Read on past the last row, and forget rows far above the screen. */
static void
visits_more_after(struct tui *t, struct visits *v)
{
	struct visits_rows got;
	size_t drop, i;

	/* A read that failed is no end of the list: the next move tries
	 * again. */
	if (visits_read(
	        t, v, v->nrows ? &v->rows[v->nrows - 1] : NULL, 0, &got) == 0)
		v->at_last = got.n < VISITS_CHUNK;
	visits_put(v, &got, 0);
	if (v->nrows <= VISITS_KEEP)
		return;
	drop = v->nrows - VISITS_KEEP;
	if (drop > v->top)
		drop = v->top;
	if (drop > v->cur)
		drop = v->cur;
	for (i = 0; i < drop; i++)
		visits_row_free(&v->rows[i]);
	memmove(v->rows, v->rows + drop, (v->nrows - drop) * sizeof *v->rows);
	v->nrows -= drop;
	v->cur -= drop;
	v->top -= drop;
	if (drop > 0)
		v->at_first = 0;
}

/* Read on before the first row, and forget rows far below the screen. */
static void
visits_more_before(struct tui *t, struct visits *v)
{
	struct visits_rows got;
	size_t keep, drop;

	if (visits_read(t, v, v->nrows ? &v->rows[0] : NULL, 1, &got) == 0)
		v->at_first = got.n < VISITS_CHUNK;
	visits_put(v, &got, 1);
	if (v->nrows <= VISITS_KEEP)
		return;
	/* what the screen shows from top stays */
	keep = v->top + (size_t)(LINES > 0 ? LINES : 0) + 1;
	if (keep < v->cur + 1)
		keep = v->cur + 1;
	if (keep < VISITS_KEEP)
		keep = VISITS_KEEP;
	if (keep >= v->nrows)
		return;
	for (drop = keep; drop < v->nrows; drop++)
		visits_row_free(&v->rows[drop]);
	v->nrows = keep;
	v->at_last = 0;
}

/*
 * How many visits the list has (to VISITS_COUNT_MAX), and whether there
 * are any at all, once its rows are read.  A list the window holds whole
 * is counted there: a text filter is matched row by row, and a text that
 * matches few visits must not read them all twice.
 */
static void
visits_count(struct tui *t, struct visits *v)
{
	struct store_visit_filter f = { v->status, v->filter.buf },
	                          all = { -1, NULL };
	char *cause = NULL;
	size_t n = 0;
	int rc = 0;

	v->count = v->nrows;
	v->any = v->nrows > 0;
	if (tui_store(t) == NULL)
		return;
	if (!v->at_first || !v->at_last)
		rc = store_visit_count(
		    tui_store(t), &f, VISITS_COUNT_MAX, &v->count, &cause);
	if (rc == 0 && !v->any &&
	    (rc = store_visit_count(tui_store(t), &all, 0, &n, &cause)) == 0)
		v->any = n > 0;
	if (rc != 0) {
		tui_message(t, "%s", cause);
		free(cause);
	}
}

/* The list from its first row (or, last, ending at its last). */
static void
visits_from_end(struct tui *t, struct visits *v, int last)
{
	struct visits_rows got;
	int ok;

	visits_free_rows(v);
	ok = visits_read(t, v, NULL, last, &got) == 0;
	visits_put(v, &got, last);
	if (last)
		v->at_first = ok && v->nrows < VISITS_CHUNK;
	else
		v->at_last = ok && v->nrows < VISITS_CHUNK;
	/* the draw puts the top where the cursor shows */
	v->cur = last && v->nrows ? v->nrows - 1 : 0;
	v->top = 0;
}

/*
 * Read the list again where the cursor is: on its visit, or where that
 * visit was if it is gone, at the same place on the screen.
 */
static void
visits_load(struct tui *t, struct visits *v)
{
	struct visits_rows got;
	struct store_visit_key at;
	size_t off = v->cur - v->top, nb;
	char *cause = NULL;
	int ok;

	if (tui_store(t) != NULL &&
	    store_watch_version(tui_store(t), &v->version, &cause) != 0) {
		free(cause);
		v->version = -1;
	}
	v->stale = 0;
	/* On the first row, the cursor stays on the first (a new visit comes
	 * under it); elsewhere it stays on its visit. */
	if (v->nrows == 0 || (v->at_first && v->cur == 0)) {
		visits_from_end(t, v, 0);
		visits_count(t, v);
		return;
	}
	visits_key_of(&v->rows[v->cur], &at);
	visits_free_rows(v);
	ok = visits_read_at(t, v, &at, 1, &got) == 0;
	v->at_first = ok && got.n < VISITS_CHUNK;
	visits_put(v, &got, 1);
	nb = v->nrows;
	/* from the row before it: the visit itself, if it is still there */
	ok = visits_read(t, v, nb ? &v->rows[nb - 1] : NULL, 0, &got) == 0;
	v->at_last = ok && got.n < VISITS_CHUNK;
	visits_put(v, &got, 0);
	v->cur = nb < v->nrows ? nb : v->nrows ? v->nrows - 1 : 0;
	v->top = v->cur >= off ? v->cur - off : 0;
	visits_count(t, v);
}

/* The filter or the status changed: the list from its first row. */
static void
visits_refilter(struct tui *t, struct visits *v)
{
	visits_from_end(t, v, 0);
	visits_count(t, v);
}

static void *
visits_open(struct tui *t, void *arg, char **cause)
{
	struct visits *v = xcalloc(1, sizeof *v);

	(void)arg;
	(void)cause;
	v->status = -1;
	tui_edit_init(&v->filter, "", 0, 200, NULL);
	tui_edit_init(&v->ask, "", 0, 1024, NULL);
	visits_load(t, v);
	return v;
}

static void
visits_close(void *state)
{
	struct visits *v = state;

	visits_free_rows(v);
	tui_edit_free(&v->filter);
	tui_edit_free(&v->ask);
	free(v->export_dir);
	free(v->deleting);
	free(v);
}

/* The list as it is now: after screens above changed it, after unlocking,
 * and after another process (a command) recorded or imported visits. */
static void
visits_fresh(struct tui *t, struct visits *v)
{
	long long version;
	char *cause = NULL;

	if (!v->stale && tui_store(t) != NULL) {
		if (store_watch_version(tui_store(t), &version, &cause) != 0)
			free(cause);
		else if (version != v->version)
			v->stale = 1;
	}
	if (v->stale)
		visits_load(t, v);
}

static void
visits_draw(struct tui *t, void *state)
{
	struct visits *v = state;
	const struct visits_row *r;
	int rows = LINES - 5, y, unit_cols, x, rest, uw, fw;
	char when[32], *line, *unit, *status;
	size_t i;

	visits_fresh(t, v);
	/* TRANSLATORS: which visits the list shows: all, or a status. */
	line = xasprintf(_("show: %s"),
	    v->status < 0 ? _("all")
	                  : visit_status_label((enum visit_status)v->status));
	tui_put(1, 1, line, 36, 0);
	free(line);
	if (v->exporting) {
		const char *p = v->exporting == 1
		                    ? _("Export to folder: ")
		                    : _("Seal to key (.pub; empty: none): ");

		tui_put(LINES - 3, 1, p, (size_t)COLS - 2, 0);
		x = 1 + (int)text_width(p);
		tui_edit_draw(&v->ask, LINES - 3, x, COLS - x - 1, 1, 1);
		rows--;
	}
	tui_put(1, 38, _("filter:"), 10, 0);
	x = 39 + (int)text_width(_("filter:"));
	if (v->filtering && !v->exporting)
		tui_edit_draw(&v->filter, 1, x, COLS - x - 1, 1, 1);
	else
		tui_put(1, x, v->filter.buf, (size_t)(COLS - x - 1), 0);
	if (v->nrows == 0) {
		tui_put(3, 2,
		    v->any ? _("No visit matches.")
		           : _("No visits yet: press n to start one."),
		    (size_t)COLS - 4, 0);
		return;
	}
	if (v->cur < v->top)
		v->top = v->cur;
	if (v->cur >= v->top + (size_t)rows)
		v->top = v->cur - (size_t)rows + 1;
	/* the rows the screen shows, read if they are not yet */
	while (v->top + (size_t)rows > v->nrows && !v->at_last) {
		size_t n = v->nrows;

		visits_more_after(t, v);
		if (v->nrows == n)
			break;
	}
	/* the list ends on the screen: no empty rows below it while there
	 * are rows above (after a reload) */
	if (v->at_last && v->top > 0 && v->top + (size_t)rows > v->nrows) {
		if (v->nrows < (size_t)rows && !v->at_first)
			visits_more_before(t, v);
		v->top = v->nrows > (size_t)rows ? v->nrows - (size_t)rows : 0;
	}
	/* The unit tells visits apart, the form's title less so (a few
	 * forms for many visits): the unit gets what it needs first, and
	 * the title whatever is left, at least 2/5 of it. */
	rest = COLS - 40;
	for (i = v->top, uw = 0, fw = 0;
	     i < v->nrows && i < v->top + (size_t)rows; i++) {
		r = &v->rows[i];
		if ((int)text_width(r->unit) > uw)
			uw = (int)text_width(r->unit);
		if ((int)text_width(r->form) > fw)
			fw = (int)text_width(r->form);
	}
	unit_cols = uw + fw <= rest            ? uw
	            : rest - fw > rest * 3 / 5 ? rest - fw
	            : uw < rest * 3 / 5        ? uw
	                                       : rest * 3 / 5;
	if (unit_cols < 1)
		unit_cols = 1;
	for (i = v->top, y = 2; i < v->nrows && y < 2 + rows; i++, y++) {
		r = &v->rows[i];
		clock_local(when, sizeof when, r->started);
		unit = text_width_cell(r->unit, (size_t)unit_cols, 1, 1);
		/* padded by columns: a translated status may be wide */
		status =
		    text_width_cell(visit_status_label(r->status), 8, 1, 0);
		line = xasprintf("%s %s %s %3ld/%-3ld %s %s  %s",
		    i == v->cur ? ">" : " ", status, when, r->answered,
		    r->visible, r->alerts ? "!" : " ", unit, r->form);
		free(status);
		tui_put(y, 0, line, (size_t)COLS, 1);
		/* Its ">" alone reversed, to stand out in a long list: a
		 * reversed row would be sent whole twice a move. */
		if (i == v->cur) {
			attron(A_REVERSE);
			tui_put(y, 0, ">", 1, 0);
			attroff(A_REVERSE);
		}
		free(unit);
		free(line);
	}
}

static int
visits_typing(void *state)
{
	struct visits *v = state;

	return v->filtering || v->exporting;
}

static void visits_export_key(struct tui *, struct visits *, int, int);

static enum tui_action
visits_key(struct tui *t, void *state, int ch, int iskey)
{
	struct visits *v = state;

	if (v->exporting) {
		visits_export_key(t, v, ch, iskey);
		return TUI_DONE;
	}
	if (!v->filtering)
		return TUI_UNHANDLED;
	switch (tui_edit_key(&v->filter, ch, iskey)) {
	case TUI_EDIT_DONE:
		v->filtering = 0;
		break;
	case TUI_EDIT_CANCEL:
		tui_edit_set(&v->filter, "");
		v->filtering = 0;
		break;
	case TUI_EDIT_IGNORED:
		return TUI_UNHANDLED;
	case TUI_EDIT_GOING:
		break;
	}
	visits_refilter(t, v);
	return TUI_DONE;
}

/* By rows down (or up), reading on where the window ends. */
static enum tui_action
visits_move(struct tui *t, struct visits *v, long by)
{
	size_t n, step = (size_t)(by < 0 ? -by : by);

	for (;;) {
		n = v->nrows;
		if (by > 0 && v->cur + step < v->nrows) {
			v->cur += step;
			break;
		}
		if (by < 0 && v->cur >= step) {
			v->cur -= step;
			break;
		}
		if (by > 0 ? v->at_last : v->at_first) {
			v->cur = by > 0 && v->nrows ? v->nrows - 1 : 0;
			break;
		}
		/* the cursor's row keeps its index's meaning: reading
		 * before the window moves it with the rows */
		if (by > 0)
			visits_more_after(t, v);
		else
			visits_more_before(t, v);
		if (v->nrows == n) {
			v->cur = by > 0 && v->nrows ? v->nrows - 1 : 0;
			break;
		}
	}
	return TUI_DONE;
}

static enum tui_action
visits_down(struct tui *t, void *state)
{
	return visits_move(t, state, 1);
}

static enum tui_action
visits_up(struct tui *t, void *state)
{
	return visits_move(t, state, -1);
}

static enum tui_action
visits_pgdn(struct tui *t, void *state)
{
	return visits_move(t, state, LINES - 6);
}

static enum tui_action
visits_pgup(struct tui *t, void *state)
{
	return visits_move(t, state, -(LINES - 6));
}

static enum tui_action
visits_home(struct tui *t, void *state)
{
	visits_from_end(t, state, 0);
	return TUI_DONE;
}

static enum tui_action
visits_end(struct tui *t, void *state)
{
	visits_from_end(t, state, 1);
	return TUI_DONE;
}

static enum tui_action
visits_enter(struct tui *t, void *state)
{
	struct visits *v = state;
	const struct visits_row *r;
	struct tui_review_arg arg = { NULL, NULL };

	if (v->nrows == 0)
		return TUI_DONE;
	r = &v->rows[v->cur];
	v->stale = 1;
	arg.id = r->id;
	if (r->status == VISIT_DRAFT)
		tui_push(t, &screen_form, r->id);
	else
		tui_push(t, &screen_review, &arg);
	return TUI_DONE;
}

static enum tui_action
visits_new(struct tui *t, void *state)
{
	struct visits *v = state;

	v->stale = 1;
	tui_push(t, &screen_new, NULL);
	return TUI_DONE;
}

/* y to the question visits_delete asked: delete the draft it named. */
static enum tui_action
visits_delete_yes(struct tui *t, void *state)
{
	struct visits *v = state;
	char *cause = NULL;

	if (!tui_confirm(t, "", visits_delete_yes, state) ||
	    v->deleting == NULL)
		return TUI_DONE;
	if (store_visit_delete(tui_store(t), v->deleting, tui_now(), &cause) !=
	    0) {
		tui_message(t, "%s", cause);
		free(cause);
	} else
		tui_message(t, "%s", _("draft deleted"));
	free(v->deleting);
	v->deleting = NULL;
	visits_load(t, v);
	return TUI_DONE;
}

static enum tui_action
visits_delete(struct tui *t, void *state)
{
	struct visits *v = state;
	const struct visits_row *r;

	if (v->nrows == 0)
		return TUI_DONE;
	r = &v->rows[v->cur];
	if (r->status != VISIT_DRAFT) {
		tui_message(t, "%s",
		    _("only drafts can be deleted; a finalized visit stays"));
		return TUI_DONE;
	}
	free(v->deleting);
	v->deleting = xstrdup(r->id);
	tui_confirm(t, _("Delete this draft and its answers?"),
	    visits_delete_yes, state);
	return TUI_DONE;
}

/* A setting, or def when it is not set (or cannot be read). Caller
 * frees. */
static char *
visits_setting(struct tui *t, const char *key, const char *def)
{
	char *value = NULL, *cause = NULL;
	int rc = store_setting_get(tui_store(t), key, &value, &cause);

	if (rc < 0)
		free(cause);
	return rc == 1 ? value : xstrdup(def);
}

static void
visits_remember(struct tui *t, const char *key, const char *value)
{
	char *cause = NULL;

	/* not remembered is no reason to fail an export */
	if (store_setting_set(tui_store(t), key, value, &cause) != 0)
		free(cause);
}

/* A supervisor's box key from a file (cmd_read_key prints, and nothing
 * may be printed while curses owns the terminal). */
static int
visits_read_key(const char *path, struct crypt_seal_key *to, char **cause)
{
	char buf[VISITS_KEY_MAX];
	struct stat st;
	size_t len;
	FILE *f;
	int rc;

	errno = 0;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path,
		    errno ? strerror(errno) : _("not a regular file"));
		return -1;
	}
	len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (len == sizeof buf) {
		*cause = xasprintf("%s: %s", path, _("too long for a key"));
		return -1;
	}
	if ((rc = crypt_seal_public_parse(to, buf, len, cause)) != 0) {
		char *why = *cause;

		*cause = xasprintf("%s: %s", path, why);
		free(why);
	}
	return rc;
}

/* The answers given: write the batch, say where. */
static void
visits_export_run(struct tui *t, struct visits *v, const char *key)
{
	struct crypt_seal_key to;
	char **paths = NULL, *cause = NULL;
	size_t npaths = 0, i;
	int rc;

	if (*key != '\0' && visits_read_key(key, &to, &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		return; /* still asking: the path can be corrected */
	}
	v->exporting = 0;
	if (batch_out_dir(v->export_dir, &cause) != 0) {
		tui_message(t, "%s %s", _("export failed:"), cause);
		free(cause);
		return;
	}
	rc = batch_export(tui_store(t), v->export_dir, NULL, 0,
	    *key != '\0' ? &to : NULL, &paths, &npaths, &cause);
	if (rc < 0) {
		tui_message(t, "%s %s", _("export failed:"), cause);
		free(cause);
	} else if (rc == 1)
		tui_message(t, "%s", _("no finalized visits to export"));
	else {
		visits_remember(t, VISITS_SET_DIR, v->export_dir);
		visits_remember(t, VISITS_SET_SEAL, *key ? key : NULL);
		if (*key != '\0')
			tui_message(t, _("exported, sealed, to %s"),
			    npaths ? paths[0] : v->export_dir);
		else
			tui_message(t, _("exported to %s (and its .minisig)"),
			    npaths ? paths[0] : v->export_dir);
	}
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	visits_load(t, v);
}

static void
visits_export_key(struct tui *t, struct visits *v, int ch, int iskey)
{
	char *seal;

	switch (tui_edit_key(&v->ask, ch, iskey)) {
	case TUI_EDIT_CANCEL:
		v->exporting = 0;
		tui_message(t, "%s", _("export cancelled"));
		return;
	case TUI_EDIT_DONE:
		break;
	default:
		return;
	}
	if (v->exporting == 1) {
		if (v->ask.buf[0] == '\0') {
			tui_message(t, "%s", _("a folder is needed"));
			return;
		}
		free(v->export_dir);
		v->export_dir = xstrdup(v->ask.buf);
		seal = visits_setting(t, VISITS_SET_SEAL, "");
		tui_edit_set(&v->ask, seal);
		free(seal);
		v->exporting = 2;
		tui_message(t, "%s",
		    _("a supervisor's box key seals the batch (Enter; Esc "
		      "cancels)"));
		return;
	}
	seal = xstrdup(v->ask.buf);
	visits_export_run(t, v, seal);
	free(seal);
}

/* e: the finalized visits out as a signed batch; asks where (the last
 * folder first, else the one anfang was started from) and for the key of
 * a supervisor to seal it to (the last one first). */
static enum tui_action
visits_export(struct tui *t, void *state)
{
	struct visits *v = state;
	struct store_visit_filter f = { VISIT_FINAL, NULL };
	char cwd[4096], *dir, *cause = NULL;
	size_t final = 0;

	if (store_visit_count(tui_store(t), &f, SIZE_MAX, &final, &cause) !=
	    0) {
		tui_message(t, "%s", cause);
		free(cause);
		return TUI_DONE;
	}
	if (final == 0) {
		tui_message(t, "%s", _("no finalized visits to export"));
		return TUI_DONE;
	}
	if (getcwd(cwd, sizeof cwd) == NULL)
		snprintf(cwd, sizeof cwd, ".");
	dir = visits_setting(t, VISITS_SET_DIR, cwd);
	tui_edit_set(&v->ask, dir);
	free(dir);
	v->exporting = 1;
	tui_message(t,
	    _("%zu finalized visit(s) to export: the folder (Enter; Esc "
	      "cancels)"),
	    final);
	return TUI_DONE;
}

/* r: the report of the latest month of the family last visited. */
static enum tui_action
visits_report(struct tui *t, void *state)
{
	(void)state;
	tui_push(t, &screen_report, NULL);
	return TUI_DONE;
}

static enum tui_action
visits_status(struct tui *t, void *state)
{
	struct visits *v = state;

	v->status = v->status >= VISIT_RECEIVED ? -1 : v->status + 1;
	visits_refilter(t, v);
	return TUI_DONE;
}

static enum tui_action
visits_filter(struct tui *t, void *state)
{
	(void)t;
	((struct visits *)state)->filtering = 1;
	return TUI_DONE;
}

static enum tui_action
visits_quit(struct tui *t, void *state)
{
	(void)t;
	(void)state;
	return TUI_QUIT;
}

static void
visits_lock(struct tui *t, void *state)
{
	struct visits *v = state;

	(void)t;
	visits_free_rows(v);
	v->count = 0;
	v->any = 0;
	tui_edit_set(&v->filter, "");
	tui_edit_set(&v->ask, "");
	v->exporting = 0;
	v->stale = 1;
}

static int
visits_unlock(struct tui *t, void *state, char **cause)
{
	(void)t;
	(void)cause;
	/* reloaded when next shown: screens above may change it first */
	((struct visits *)state)->stale = 1;
	return 0;
}

static const char *
visits_heading(struct tui *t, void *state)
{
	static char buf[128];
	struct visits *v = state;

	/* drawn before the list: load it first, or the count is the old */
	visits_fresh(t, v);
	if (v->count > VISITS_COUNT_MAX)
		snprintf(buf, sizeof buf, _("visits (%zu+)"),
		    (size_t)VISITS_COUNT_MAX);
	else
		snprintf(buf, sizeof buf, _("visits (%zu)"), v->count);
	return buf;
}

static const struct tui_key visits_keys[] = {
	{ '\r', KEY_ENTER, NULL, N_("open the visit"), visits_enter },
	{ 'n', 0, N_("new"), N_("start a new visit"), visits_new },
	{ 'e', 0, N_("export"),
	    N_("export the finalized visits as a signed batch, sealed to a "
	       "supervisor's key if given (asks where)"),
	    visits_export },
	{ 'd', 0, N_("delete"), N_("delete a draft (asks first)"),
	    visits_delete },
	{ 'r', 0, N_("report"),
	    N_("the report: rankings, alerts and the visits behind them, "
	       "of the latest month of the form last visited"),
	    visits_report },
	{ 's', 0, N_("status"), N_("show all, drafts, final, exported"),
	    visits_status },
	{ '/', 0, N_("filter"), N_("filter by typed text (unit, form, id)"),
	    visits_filter },
	{ KEY_DOWN, 'j', NULL, N_("next visit"), visits_down },
	{ KEY_UP, 'k', NULL, N_("previous visit"), visits_up },
	{ KEY_NPAGE, 0, NULL, N_("a page down"), visits_pgdn },
	{ KEY_PPAGE, 0, NULL, N_("a page up"), visits_pgup },
	{ KEY_HOME, 0, NULL, N_("the newest"), visits_home },
	{ KEY_END, 0, NULL, N_("the oldest"), visits_end },
	{ 'q', KEY_F(10), N_("quit"), N_("quit (everything is saved)"),
	    visits_quit },
	/* while a filter, a folder or a key is typed: the bar's only (the
	 * typing takes Enter and Esc before this table) */
	{ '\r', KEY_ENTER, N_("keep"), NULL, NULL },
	{ TUI_ESC, 0, N_("cancel"),
	    N_("cancel what is being typed: a filter, a folder, a key"), NULL },
	{ '\n', 0, NULL, NULL, visits_enter },
	{ 0, 0, NULL, NULL, NULL },
};

/*
 * While something is typed, the bar says how it ends, and no letter is
 * a key: they are the text.  Moving through the list still works.
 */
static int
visits_offers(void *state, const struct tui_key *k)
{
	struct visits *v = state;
	int typing = v->filtering || v->exporting;

	if (k->fn == NULL)
		return typing;
	return !typing || k->label == NULL;
}

const struct screen screen_visits = {
	.title = N_("visits"),
	.keys = visits_keys,
	.open = visits_open,
	.close = visits_close,
	.draw = visits_draw,
	.key = visits_key,
	.typing = visits_typing,
	.offers = visits_offers,
	.lock = visits_lock,
	.unlock = visits_unlock,
	.heading = visits_heading,
};
