/*
 * The terminal UI: one event loop (tui.c), a stack of screens (screen-*.c,
 * each exporting one struct screen), and key tables from which both the
 * bottom bar and the help screen are made, so labels and behaviour cannot
 * drift apart.  Only the tui*.c and screen-*.c files include curses.
 */
#ifndef ANFANG_TUI_H
#define ANFANG_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "anfang/cmd.h"
#include "anfang/form-dir.h"
#include "anfang/i18n.h"
#include "anfang/report.h"

struct tui;
struct store;

/* What a key handler asks of the loop. */
enum tui_action {
	TUI_DONE = 0,  /* handled */
	TUI_UNHANDLED, /* not this screen's key */
	TUI_POP,       /* close this screen */
	TUI_QUIT,      /* leave the program */
};

/* Key codes beyond curses': control keys as themselves (Ctrl-L is 12). */
#define TUI_CTRL(c) ((c)&0x1f)
#define TUI_ESC     27
/*
 * A table entry's key for a class of characters (their full-width forms
 * too, as tui_edit_takes); its handler reads the one pressed with
 * tui_pressed.  Beyond curses' and Unicode's codes.
 */
#define TUI_KEYS_DIGITS 0x7fff0001 /* 1 to 9 */
#define TUI_KEYS_NUMBER 0x7fff0002 /* 0 to 9, point, minus */

struct tui_key {
	int key;
	int twin;          /* another key that does the same, or 0 */
	const char *label; /* in the bottom bar (already N_()), or NULL */
	const char *help;  /* in the help screen (N_()) */
	enum tui_action (*fn)(struct tui *, void *state);
};

struct screen {
	const char *title;          /* for the help screen (N_()) */
	const struct tui_key *keys; /* ends with key 0 */
	/* Make the state for arg; NULL with *cause refuses to open. */
	void *(*open)(struct tui *, void *arg, char **cause);
	void (*close)(void *state);
	/* Draw rows 1 .. LINES-3 (the title row, message row and key bar
	 * are the loop's). */
	void (*draw)(struct tui *, void *state);
	/* Keys not in the table: typing. May be NULL. */
	enum tui_action (*key)(struct tui *, void *state, int ch, int iskey);
	/* Whether the screen is taking text (q and ? are then characters). */
	int (*typing)(void *state);
	/* Once a second, for live clocks. May be NULL. */
	void (*tick)(struct tui *, void *state);
	/* Before locking: drop what must not stay in memory; after unlocking,
	 * load it again. May be NULL. */
	void (*lock)(struct tui *, void *state);
	int (*unlock)(struct tui *, void *state, char **cause);
	/* Save what is being typed (SIGHUP, SIGTERM, lock). May be NULL. */
	void (*save)(struct tui *, void *state);
	/* Whether an entry of keys works now (NULL: all do); one that does
	 * not is neither in the bar nor dispatched, and another entry for the
	 * same key may take it. */
	int (*offers)(void *state, const struct tui_key *);
	/* The title row's text. May be NULL. */
	const char *(*heading)(struct tui *, void *state);
};

/* What the answer screen opens on: one question of a visit, read only. */
struct tui_answer_arg {
	const char *id;
	size_t question;
};

/* What the review screen opens on; jump (may be NULL: read only) is where
 * the form screen below goes when a line is chosen. */
struct tui_review_arg {
	const char *id;
	long *jump;
};

/* What the drill-down from a report opens on: the visits of one ranked
 * entry (its key; a division's or person's unit too) in one period. */
struct tui_report_visits_arg {
	const char *family;
	struct report_period period;
	enum report_by by;
	const char *key;
	const char *unit_id; /* NULL but for a division or person */
	const char *name;    /* as the ranking shows it */
};

extern const struct screen screen_unlock;
extern const struct screen screen_visits;
extern const struct screen screen_new;
extern const struct screen screen_form;
extern const struct screen screen_review;
extern const struct screen screen_help;
extern const struct screen screen_answer;
extern const struct screen screen_report;
extern const struct screen screen_report_visits;

/* Run the UI until the user quits; the exit code. */
int tui_main(struct cmd_ctx *, int lock_after);

/* What screens may use. */
struct store *tui_store(struct tui *);
void tui_set_store(struct tui *, struct store *);
const struct form_dir_list *tui_forms(struct tui *);
const char *tui_db_path(struct tui *);
struct cmd_ctx *tui_ctx(struct tui *);
/* Open a screen on top; returns -1 (message shown) when it refuses. */
int tui_push(struct tui *, const struct screen *, void *arg);
/* Close screens until s is on top (or only one is left). */
void tui_pop_to(struct tui *, const struct screen *s);
/* Replace the top screen. */
int tui_replace(struct tui *, const struct screen *, void *arg);
/* A one-line message on the message row until the next key. */
void tui_message(struct tui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * A yes/no question, asked in the one loop (the panic key and the idle
 * lock work as anywhere; locking is "no").  A key handler calls it where
 * it needs the answer: the first time it asks and returns 0 (return at
 * once); when y is pressed the loop calls again(state), the same handler,
 * and there it returns 1.
 */
int tui_confirm(struct tui *, const char *question,
    enum tui_action (*again)(struct tui *, void *state), void *state);
/* The key table of the screen under the top one (for help). */
const struct screen *tui_below(struct tui *);
/* Put text at y, x in at most cols columns, padded when pad. */
void tui_put(int y, int x, const char *s, size_t cols, int pad);
/* The visible cursor at (y, x) once this draw is done; without a call the
 * cursor is hidden. */
void tui_cursor(int y, int x);
/* "r/F9": a key and its twin, as the bar shows them. */
void tui_key_label(const struct tui_key *, char *buf, size_t len);
/* Whether a screen's key entry works now (its offers). */
int tui_offers(const struct screen *, void *state, const struct tui_key *);
/* Whether a key (or twin) is in a table. */
int tui_key_in(const struct tui_key *, int key);
/* The character that called the handler running now (ASCII). */
int tui_pressed(const struct tui *);
/* The keys every screen has (help, back, lock, cancel). */
const struct tui_key *tui_globals(void);
/* Milliseconds since the epoch (the visit clock). */
int64_t tui_now(void);
/* Whether colour may be used (a terminal with colours and no NO_COLOR). */
int tui_colour(void);

#endif
