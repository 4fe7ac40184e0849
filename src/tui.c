/*
 * The event loop.  Keys go to the top screen's table (or to the screen
 * itself while it takes text); only this loop draws and switches screens.
 * Resizing is curses' KEY_RESIZE; signals only set a flag that the loop
 * reads.  Locking (the panic key, or idleness) blanks the screen, saves and
 * drops what screens hold, and closes the store, which wipes the key.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/clock.h"
#include "anfang/crypt-mem.h"
#include "anfang/passphrase.h"
#include "anfang/store.h"
#include "anfang/text-width.h"
#include "anfang/tui-edit.h"
#include "anfang/tui.h"
#include "anfang/utf8.h"
#include "anfang/xmalloc.h"

/* Last: term.h defines macros (lines, columns) that clash with names. */
#include <term.h>

#define TUI_DEPTH    8
#define TUI_MIN_COLS 50
#define TUI_MIN_ROWS 12

struct tui_frame {
	const struct screen *s;
	void *state;
};

struct tui {
	struct cmd_ctx *ctx;
	char *db_path;
	struct store *store;
	struct form_dir_list forms;
	struct tui_frame stack[TUI_DEPTH];
	int depth;
	int pressed; /* the character of the key being handled */
	char message[512];

	int locked;
	int lock_after; /* seconds of idleness before locking; 0 never */
	int64_t last_input;
	struct crypt_mem *typed; /* the passphrase typed at the lock */
	size_t ntyped;
	int fails;

	/* A yes/no question on the message row: the next key answers it,
	 * and y calls ask_fn again with yes set (see tui_confirm). */
	char asking[512];
	enum tui_action (*ask_fn)(struct tui *, void *state);
	void *ask_state;
	int yes;
};

static volatile sig_atomic_t tui_signal;
static int tui_has_colour;

static void
tui_on_signal(int sig)
{
	tui_signal = sig;
}

int64_t
tui_now(void)
{
	return clock_now();
}

int
tui_colour(void)
{
	return tui_has_colour;
}

struct store *
tui_store(struct tui *t)
{
	return t->store;
}

void
tui_set_store(struct tui *t, struct store *s)
{
	t->store = s;
}

const struct form_dir_list *
tui_forms(struct tui *t)
{
	return &t->forms;
}

const char *
tui_db_path(struct tui *t)
{
	return t->db_path;
}

struct cmd_ctx *
tui_ctx(struct tui *t)
{
	return t->ctx;
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->message, sizeof t->message, fmt, ap);
	va_end(ap);
}

const struct screen *
tui_below(struct tui *t)
{
	return t->depth >= 2 ? t->stack[t->depth - 2].s : NULL;
}

int
tui_push(struct tui *t, const struct screen *s, void *arg)
{
	char *cause = NULL;
	void *state;

	if (t->depth == TUI_DEPTH)
		return -1;
	if ((state = s->open(t, arg, &cause)) == NULL) {
		tui_message(t, "%s", cause ? cause : _("cannot open"));
		free(cause);
		return -1;
	}
	t->stack[t->depth].s = s;
	t->stack[t->depth].state = state;
	t->depth++;
	return 0;
}

static void
tui_pop(struct tui *t)
{
	struct tui_frame *f;

	if (t->depth == 0)
		return;
	f = &t->stack[--t->depth];
	f->s->close(f->state);
}

int
tui_replace(struct tui *t, const struct screen *s, void *arg)
{
	struct tui_frame old;
	char *cause = NULL;
	void *state;

	if ((state = s->open(t, arg, &cause)) == NULL) {
		tui_message(t, "%s", cause ? cause : _("cannot open"));
		free(cause);
		return -1;
	}
	old = t->stack[t->depth - 1];
	t->stack[t->depth - 1].s = s;
	t->stack[t->depth - 1].state = state;
	old.s->close(old.state);
	return 0;
}

/* A key's name for the bar and the help screen. */
static void
tui_key_name(int k, char *buf, size_t len)
{
	if (k >= KEY_F(1) && k <= KEY_F(24))
		snprintf(buf, len, "F%d", k - KEY_F(0));
	else if (k == '\n' || k == '\r' || k == KEY_ENTER)
		snprintf(buf, len, "Enter");
	else if (k == TUI_ESC)
		snprintf(buf, len, "Esc");
	else if (k == TUI_KEYS_DIGITS)
		snprintf(buf, len, "1-9");
	else if (k == TUI_KEYS_NUMBER)
		snprintf(buf, len, "0-9");
	else if (k == ' ')
		snprintf(buf, len, "Space");
	else if (k == '\t')
		snprintf(buf, len, "Tab");
	else if (k == KEY_BTAB)
		snprintf(buf, len, "S-Tab");
	else if (k == KEY_LEFT)
		snprintf(buf, len, "Left");
	else if (k == KEY_RIGHT)
		snprintf(buf, len, "Right");
	else if (k == KEY_BACKSPACE || k == 127 || k == 8)
		snprintf(buf, len, "Bksp");
	else if (k == KEY_UP)
		snprintf(buf, len, "Up");
	else if (k == KEY_DOWN)
		snprintf(buf, len, "Down");
	else if (k == KEY_PPAGE)
		snprintf(buf, len, "PgUp");
	else if (k == KEY_NPAGE)
		snprintf(buf, len, "PgDn");
	else if (k == KEY_DC)
		snprintf(buf, len, "Del");
	else if (k == KEY_HOME)
		snprintf(buf, len, "Home");
	else if (k == KEY_END)
		snprintf(buf, len, "End");
	else if (k > 0 && k < 32)
		snprintf(buf, len, "^%c", k + '@');
	else
		snprintf(buf, len, "%c", k);
}

/* The characters of a class key, or NULL. */
static const char *
tui_key_class(int key)
{
	return key == TUI_KEYS_DIGITS   ? "123456789"
	       : key == TUI_KEYS_NUMBER ? "0123456789.-"
	                                : NULL;
}

/* Whether k is pressed by ch: 1, with *as the character it stands for. */
static int
tui_key_is(const struct tui_key *k, int ch, int iskey, int *as)
{
	const char *class = tui_key_class(k->key);

	*as = ch;
	if (class != NULL)
		return !iskey && (*as = tui_edit_takes(class, ch)) != 0;
	return ch == k->key || (k->twin != 0 && ch == k->twin);
}

/* "r/F9": the letter first, it is what most people press. */
void
tui_key_label(const struct tui_key *k, char *buf, size_t len)
{
	char a[16], b[16];

	tui_key_name(k->key, a, sizeof a);
	if (k->twin == 0) {
		snprintf(buf, len, "%s", a);
		return;
	}
	tui_key_name(k->twin, b, sizeof b);
	if (strcmp(a, b) == 0)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s/%s", a, b);
}

/* The keys every screen has, after its own in the bar and the help. */
static const struct tui_key tui_global_keys[] = {
	{ TUI_CTRL('l'), KEY_F(12), N_("lock"),
	    N_("panic: blank the screen and lock, even while typing"), NULL },
	{ '?', KEY_F(1), N_("help"), N_("help for this screen"), NULL },
	{ 'q', KEY_F(10), N_("back"),
	    N_("back; on the visits screen, quit (everything is saved)"),
	    NULL },
	{ TUI_ESC, 0, NULL, N_("cancel the edit or question in progress"),
	    NULL },
	{ 0, 0, NULL, NULL, NULL },
};

const struct tui_key *
tui_globals(void)
{
	return tui_global_keys;
}

/*
 * Drawing keeps curses' screen between keys: a draw records what each row
 * gets (tui_put), and only a row whose record differs from the last draw's
 * is cleared and put again (tui_frame_end).  Rows that stay the same are
 * not touched, so neither the drawing nor curses' comparison of the screen
 * is paid for them; what reaches the terminal is curses' difference
 * either way.
 */
struct tui_row {
	char *ops; /* struct tui_op, then its text, one after the other */
	size_t len, cap;
};

struct tui_op {
	int x;
	attr_t attr;
	short pair;
	size_t len;
};

static struct tui_row *tui_rows, *tui_rows_last;
static int tui_nrows, tui_ncols; /* the size both were drawn for */
static int tui_framing;          /* recording a draw */
static int tui_stale = 1;        /* the screen is not the last draw's */

/* The screen was changed outside a draw (locked, resized): the next draw
 * puts every row. */
static void
tui_frame_stale(void)
{
	tui_stale = 1;
}

static void
tui_frame_free(void)
{
	int y;

	for (y = 0; y < tui_nrows; y++) {
		free(tui_rows[y].ops);
		free(tui_rows_last[y].ops);
	}
	free(tui_rows);
	free(tui_rows_last);
	tui_rows = tui_rows_last = NULL;
	tui_nrows = tui_ncols = 0;
	tui_stale = 1;
}

static void
tui_frame_begin(void)
{
	int y;

	if (LINES != tui_nrows || COLS != tui_ncols) {
		tui_frame_free();
		tui_nrows = LINES > 0 ? LINES : 0;
		tui_ncols = COLS;
		tui_rows = xcalloc((size_t)tui_nrows + 1, sizeof *tui_rows);
		tui_rows_last =
		    xcalloc((size_t)tui_nrows + 1, sizeof *tui_rows_last);
		tui_stale = 1;
	}
	for (y = 0; y < tui_nrows; y++)
		tui_rows[y].len = 0;
	tui_framing = 1;
}

static void
tui_row_add(struct tui_row *r, const void *p, size_t n)
{
	if (r->len + n > r->cap) {
		r->cap = (r->len + n) * 2;
		r->ops = xreallocarray(r->ops, r->cap, 1);
	}
	memcpy(r->ops + r->len, p, n);
	r->len += n;
}

/* Put the rows that changed, in the order their text was given. */
static void
tui_frame_end(void)
{
	struct tui_row *r, *last, *swap;
	struct tui_op op;
	attr_t attr;
	short pair;
	size_t at;
	int y;

	tui_framing = 0;
	wattr_get(stdscr, &attr, &pair, NULL);
	for (y = 0; y < tui_nrows; y++) {
		r = &tui_rows[y];
		last = &tui_rows_last[y];
		if (!tui_stale && r->len == last->len &&
		    (r->len == 0 || memcmp(r->ops, last->ops, r->len) == 0))
			continue;
		move(y, 0);
		clrtoeol();
		for (at = 0; at < r->len; at += sizeof op + op.len) {
			memcpy(&op, r->ops + at, sizeof op);
			wattr_set(stdscr, op.attr, op.pair, NULL);
			mvaddnstr(
			    y, op.x, r->ops + at + sizeof op, (int)op.len);
		}
	}
	wattr_set(stdscr, attr, pair, NULL);
	swap = tui_rows_last;
	tui_rows_last = tui_rows;
	tui_rows = swap;
	tui_stale = 0;
}

void
tui_put(int y, int x, const char *s, size_t cols, int pad)
{
	struct tui_op op;
	char *cell;

	if (y < 0 || y >= LINES || x >= COLS)
		return;
	if ((size_t)(COLS - x) < cols)
		cols = (size_t)(COLS - x);
	/* every cut shows: "…" */
	cell = text_width_cell(s, cols, pad, 1);
	if (!tui_framing || y >= tui_nrows) {
		mvaddstr(y, x, cell);
		free(cell);
		return;
	}
	memset(&op, 0, sizeof op); /* (compared whole, padding too) */
	op.x = x;
	wattr_get(stdscr, &op.attr, &op.pair, NULL);
	op.len = strlen(cell);
	tui_row_add(&tui_rows[y], &op, sizeof op);
	tui_row_add(&tui_rows[y], cell, op.len);
	free(cell);
}

/* Where a screen wants the cursor in the draw under way (-1: hidden). */
static int tui_cursor_y = -1, tui_cursor_x;

void
tui_cursor(int y, int x)
{
	tui_cursor_y = y;
	tui_cursor_x = x;
}

/*
 * The cursor as the draw left it.  Hidden: curses leaves it wherever the
 * last change put it (no move back each key).  Shown: put back after the
 * bar; its visibility changed only when it changes, so typing does not
 * send hide-then-show each key.
 */
static void
tui_place_cursor(void)
{
	if (tui_cursor_y < 0) {
		curs_set(0);
		leaveok(stdscr, TRUE);
		return;
	}
	leaveok(stdscr, FALSE);
	move(tui_cursor_y, tui_cursor_x);
	curs_set(1);
}

int
tui_offers(const struct screen *s, void *state, const struct tui_key *k)
{
	return s->offers == NULL || s->offers(state, k);
}

int
tui_pressed(const struct tui *t)
{
	return t->pressed;
}

int
tui_key_in(const struct tui_key *table, int key)
{
	int as;

	for (; table->key != 0; table++) {
		if (tui_key_is(table, key, 0, &as))
			return 1;
	}
	return 0;
}

/* Whether the bar already shows k's action (under another key). */
static int
tui_bar_has(
    const struct tui_key *const *shown, size_t n, const struct tui_key *k)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (k->fn != NULL && shown[i]->fn == k->fn)
			return 1;
	}
	return 0;
}

static void
tui_draw_bar(struct tui *t, const struct tui_frame *f)
{
	char label[32], item[96], *line = xstrdup("");
	const struct tui_key *tables[2] = { tui_global_keys, f->s->keys };
	const struct tui_key *k, *shown[64];
	int typing = f->s->typing != NULL && f->s->typing(f->state);
	size_t i, n = 0;
	char *tmp, *every = NULL;

	(void)t;
	for (i = 0; i < 2; i++) {
		for (k = tables[i]; k->key != 0; k++) {
			if (k->label == NULL ||
			    (i == 1 && !tui_offers(f->s, f->state, k)))
				continue;
			/* a screen's own meaning of a global key wins, and
			 * while typing only the lock is a key */
			if (i == 0 && (tui_key_in(f->s->keys, k->key) ||
			                  (typing && k->key != TUI_CTRL('l'))))
				continue;
			/* the bar is short: one item an action, its first key
			 * (the help lists every key) */
			if (tui_bar_has(shown, n, k))
				continue;
			if (n < sizeof shown / sizeof shown[0])
				shown[n++] = k;
			tui_key_name(k->key, label, sizeof label);
			snprintf(
			    item, sizeof item, "%s %s", label, _(k->label));
			tmp =
			    xasprintf("%s%s%s", line, *line ? "  " : "", item);
			free(line);
			line = tmp;
		}
		if (i == 0)
			every = xstrdup(line);
	}
	/* Reversed over the keys every screen has, which stay; the screen's
	 * own keys after them plain, for they change (a question's type has
	 * its own), and an attribute would be sent with each change.  The
	 * blanks after them are one erase when the keys change, and the last
	 * cell (which costs an auto-margin dance) is left alone. */
	tui_put(LINES - 1, 0, line, (size_t)COLS, 1);
	attron(A_REVERSE);
	tui_put(LINES - 1, 0, every, (size_t)COLS, 0);
	attroff(A_REVERSE);
	free(every);
	free(line);
}

static void
tui_draw(struct tui *t)
{
	struct tui_frame *f = &t->stack[t->depth - 1];
	const char *head;
	char *s, **part;
	size_t n, i;

	tui_frame_begin();
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS) {
		s = xasprintf(_("terminal too small (%dx%d; needs %dx%d)"),
		    COLS, LINES, TUI_MIN_COLS, TUI_MIN_ROWS);
		/* Wrapped: a narrow terminal must still read all of it. */
		n = text_width_wrap(s, COLS > 0 ? (size_t)COLS : 1, &part);
		for (i = 0; i < n; i++) {
			tui_put((int)i, 0, part[i], (size_t)COLS, 0);
			free(part[i]);
		}
		free(part);
		free(s);
		tui_frame_end();
		refresh();
		return;
	}
	head = f->s->heading ? f->s->heading(t, f->state) : _(f->s->title);
	s = xasprintf("anfang  %s", head);
	attron(A_REVERSE | A_BOLD);
	tui_put(0, 0, s, (size_t)COLS, 1);
	attroff(A_REVERSE | A_BOLD);
	free(s);
	tui_cursor_y = -1;
	f->s->draw(t, f->state);
	if (t->asking[0] != '\0' || t->message[0] != '\0') {
		attron(A_BOLD);
		tui_put(LINES - 2, 0, t->asking[0] ? t->asking : t->message,
		    (size_t)COLS, 1);
		attroff(A_BOLD);
	}
	tui_draw_bar(t, f);
	tui_frame_end();
	tui_place_cursor();
	refresh();
}

/*
 * No scroll-back to read the visit from.  A terminal without an alternate
 * screen (smcup: vt100, the Linux console) keeps what a clear or a scroll
 * pushes off the top, so every full redraw may have left a visit there;
 * E3 erases it, and where terminfo does not know E3 its usual value, ED 3,
 * is sent anyway: a terminal that does not know it ignores it (ECMA-48).
 */
static void
tui_scrub_history(void)
{
	char *e3 = tigetstr("E3");

	putp(e3 != NULL && e3 != (char *)-1 ? e3 : "\033[3J");
	refresh();
	fflush(stdout);
}

/* Whether this terminal has an alternate screen, which has no history. */
static int
tui_alt_screen(void)
{
	char *s = tigetstr("smcup");

	return s != NULL && s != (char *)-1 && *s != '\0';
}

/* Locking: everything saved, dropped and closed; the screen blank. */
static void
tui_lock(struct tui *t)
{
	int i;

	/* Nothing is open before the first unlock: nothing to lock. */
	if (t->locked || t->store == NULL)
		return;
	for (i = t->depth - 1; i >= 0; i--) {
		if (t->stack[i].s->save != NULL)
			t->stack[i].s->save(t, t->stack[i].state);
		if (t->stack[i].s->lock != NULL)
			t->stack[i].s->lock(t, t->stack[i].state);
	}
	if (t->store != NULL) {
		store_close(t->store); /* wipes the key */
		t->store = NULL;
	}
	t->locked = 1;
	t->ntyped = 0;
	t->message[0] = '\0';
	t->asking[0] = '\0'; /* a question locked is a "no" */
	/* Something innocuous: an empty shell prompt. */
	clearok(curscr, TRUE);
	erase();
	tui_frame_stale();
	mvaddstr(0, 0, "$ ");
	leaveok(stdscr, FALSE); /* the cursor after the prompt */
	curs_set(1);
	refresh();
	tui_scrub_history();
}

/* A key typed at the lock: collect the passphrase, try it on Enter. */
static void
tui_locked_key(struct tui *t, int ch, int iskey)
{
	struct crypt_mem *pass;
	enum store_err err;
	char *cause = NULL;
	int i;

	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		if (t->ntyped == 0)
			return;
		pass = crypt_mem_new(t->ntyped);
		memcpy(pass->p, t->typed->p, t->ntyped);
		crypt_mem_wipe(t->typed->p, t->typed->len);
		t->ntyped = 0;
		err = store_open(t->db_path, pass, &t->store, &cause);
		crypt_mem_free(pass);
		if (err != STORE_OK) {
			free(cause);
			/* Stay innocuous; slow down guessing. */
			t->fails++;
			sleep(t->fails < 6 ? 1u << (t->fails - 1) : 30);
			flushinp();
			return;
		}
		t->fails = 0;
		t->locked = 0;
		for (i = 0; i < t->depth; i++) {
			if (t->stack[i].s->unlock != NULL &&
			    t->stack[i].s->unlock(
			        t, t->stack[i].state, &cause) != 0) {
				tui_message(t, "%s", cause);
				free(cause);
			}
		}
		curs_set(0);
		clearok(curscr, TRUE);
		return;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		t->ntyped = utf8_prev((const char *)t->typed->p, t->ntyped);
		return;
	}
	if (ch == TUI_ESC) {
		t->ntyped = 0;
		return;
	}
	if (iskey || ch < 32 || ch == 127)
		return;
	/* UTF-8 straight into guarded memory (nothing if it is full) */
	t->ntyped += utf8_encode(
	    ch, (char *)t->typed->p + t->ntyped, t->typed->len - t->ntyped);
}

/* A key: the screen's table, the screen's own handler, then globals. */
static enum tui_action
tui_dispatch(struct tui *t, int ch, int iskey)
{
	struct tui_frame *f = &t->stack[t->depth - 1];
	const struct tui_key *k;
	int typing = f->s->typing != NULL && f->s->typing(f->state);
	int printable = !iskey && ch >= 32 && ch != 127;
	enum tui_action a;
	int as;

	if (typing && f->s->key != NULL) {
		a = f->s->key(t, f->state, ch, iskey);
		if (a != TUI_UNHANDLED || printable)
			return a;
	}
	for (k = f->s->keys; k->key != 0; k++) {
		if (!tui_key_is(k, ch, iskey, &as) ||
		    !tui_offers(f->s, f->state, k))
			continue;
		if (k->fn != NULL) {
			t->pressed = as;
			return k->fn(t, f->state);
		}
	}
	if (!typing && f->s->key != NULL) {
		a = f->s->key(t, f->state, ch, iskey);
		if (a != TUI_UNHANDLED)
			return a;
	}
	if (!typing && (ch == '?' || ch == KEY_F(1))) {
		if (f->s != &screen_help)
			tui_push(t, &screen_help, (void *)f->s);
		return TUI_DONE;
	}
	if (!typing && (ch == 'q' || ch == KEY_F(10)))
		return TUI_POP;
	return TUI_DONE;
}

/* The key that answers a question: y does what was asked, any other
 * key does not. */
static enum tui_action
tui_answer(struct tui *t, int ch, int iskey)
{
	enum tui_action a = TUI_DONE;

	t->asking[0] = '\0';
	if (!iskey && (ch == 'y' || ch == 'Y')) {
		t->yes = 1;
		a = t->ask_fn(t, t->ask_state);
		t->yes = 0;
	}
	return a;
}

static void
tui_finish(struct tui *t)
{
	int i;

	/* Whatever is being typed is kept, as if Enter had been pressed. */
	for (i = t->depth - 1; i >= 0; i--) {
		if (t->stack[i].s->save != NULL)
			t->stack[i].s->save(t, t->stack[i].state);
	}
	while (t->depth > 0)
		tui_pop(t);
}

static void
tui_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGQUIT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_on_signal;
	/* No SA_RESTART: a signal must wake the loop out of its read. */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
tui_loop(struct tui *t)
{
	enum tui_action a;
	int64_t now, last_tick = 0;
	wint_t wch;
	int rc, ch, dirty = 1;

	while (t->depth > 0 && !tui_signal) {
		/* Drawn after a key, and once a second for live clocks; idle,
		 * nothing is done. */
		if (!t->locked && dirty) {
			tui_draw(t);
			dirty = 0;
		}
		rc = get_wch(&wch);
		if (tui_signal)
			break;
		now = tui_now();
		if (rc == ERR) {
			struct tui_frame *f = &t->stack[t->depth - 1];

			if (!t->locked && t->lock_after > 0 &&
			    now - t->last_input > t->lock_after * 1000LL)
				tui_lock(t);
			else if (!t->locked && now - last_tick >= 1000) {
				if (f->s->tick != NULL)
					f->s->tick(t, f->state);
				last_tick = now;
				dirty = 1;
			}
			continue;
		}
		dirty = 1;
		t->last_input = now;
		ch = (int)wch;
		/* One Enter and one Backspace, whatever the terminal sends. */
		if ((rc == KEY_CODE_YES && ch == KEY_ENTER) ||
		    (rc == OK && ch == '\n'))
			rc = OK, ch = '\r';
		if ((rc == KEY_CODE_YES && ch == KEY_BACKSPACE) ||
		    (rc == OK && ch == 8))
			rc = OK, ch = 127;
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			tui_frame_stale(); /* the next draw lays out again */
			continue;
		}
		if (!t->locked &&
		    (ch == TUI_CTRL('l') ||
		        (rc == KEY_CODE_YES && ch == KEY_F(12)))) {
			tui_lock(t);
			continue;
		}
		if (t->locked) {
			tui_locked_key(t, ch, rc == KEY_CODE_YES);
			continue;
		}
		t->message[0] = '\0';
		if (t->asking[0] != '\0')
			a = tui_answer(t, ch, rc == KEY_CODE_YES);
		else
			a = tui_dispatch(t, ch, rc == KEY_CODE_YES);
		if (a == TUI_POP)
			tui_pop(t);
		else if (a == TUI_QUIT)
			break;
	}
}

void
tui_pop_to(struct tui *t, const struct screen *s)
{
	while (t->depth > 1 && t->stack[t->depth - 1].s != s)
		tui_pop(t);
}

int
tui_confirm(struct tui *t, const char *question,
    enum tui_action (*again)(struct tui *, void *state), void *state)
{
	if (t->yes) {
		t->yes = 0;
		return 1;
	}
	snprintf(t->asking, sizeof t->asking, "%s %s", question, _("(y/n)"));
	t->ask_fn = again;
	t->ask_state = state;
	return 0;
}

int
tui_main(struct cmd_ctx *ctx, int lock_after)
{
	struct diag_list diags = { 0 };
	struct tui t;
	const char *codeset;
	enum store_err err;
	char *cause = NULL;
	SCREEN *scr;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error(_("the terminal UI needs a terminal; see anfang "
		            "--help for the commands"));
		return CMD_USAGE;
	}
	codeset = nl_langinfo(CODESET);
	text_width_init(strcmp(codeset, "UTF-8") == 0);

	memset(&t, 0, sizeof t);
	t.ctx = ctx;
	t.db_path = cmd_db_path(ctx);
	/* A path that cannot be a database (a directory, say) is said before
	 * anyone types a passphrase for it, and before curses has the
	 * terminal. */
	if (access(t.db_path, F_OK) == 0 &&
	    (err = store_check(t.db_path, &cause)) != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		free(t.db_path);
		return cmd_store_exit(err);
	}
	t.lock_after = lock_after;
	t.last_input = tui_now();
	t.typed = crypt_mem_new(PASSPHRASE_MAX);
	form_dir_load(ctx->forms_dir, &t.forms, &diags);
	diag_clear(&diags);

	tui_signals();
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		cmd_error(_("cannot use this terminal (TERM=%s)"),
		    getenv("TERM") ? getenv("TERM") : "");
		crypt_mem_free(t.typed);
		free(t.db_path);
		form_dir_free(&t.forms);
		return CMD_USAGE;
	}
	set_term(scr);
	if (tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1) {
		endwin();
		delscreen(scr);
		cmd_error(_("this terminal (TERM=%s) cannot move the cursor: "
		            "use another, or the commands (anfang --help)"),
		    getenv("TERM") ? getenv("TERM") : "");
		crypt_mem_free(t.typed);
		free(t.db_path);
		form_dir_free(&t.forms);
		return CMD_USAGE;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(250);
	curs_set(0);
	tui_has_colour = has_colors() && getenv("NO_COLOR") == NULL;
	if (tui_has_colour) {
		start_color();
		use_default_colors();
	}
	if (tui_push(&t, &screen_unlock, NULL) == 0)
		tui_loop(&t);
	tui_finish(&t);
	/* Leave no trace of the visit on screen, nor above it where there
	 * is no alternate screen (with one, the user's own scroll-back is
	 * kept: the visit was never in it). */
	erase();
	refresh();
	if (!tui_alt_screen())
		tui_scrub_history();
	endwin();
	delscreen(scr);
	tui_frame_free();
	if (t.store != NULL)
		store_close(t.store);
	crypt_mem_free(t.typed);
	form_dir_free(&t.forms);
	free(t.db_path);
	return CMD_OK;
}
