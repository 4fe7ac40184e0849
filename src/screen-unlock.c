/*
 * The first screen: the passphrase, or on the first run an offer to create
 * the database with a new passphrase typed twice.  Nothing typed is shown.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/crypt-kdf.h"
#include "anfang/crypt-mem.h"
#include "anfang/passphrase.h"
#include "anfang/store-key.h"
#include "anfang/store.h"
#include "anfang/tui.h"
#include "anfang/utf8.h"
#include "anfang/xmalloc.h"

enum unlock_step {
	UNLOCK_ASK_CREATE,
	UNLOCK_NEW,
	UNLOCK_AGAIN,
	UNLOCK_PASS,
};

struct unlock {
	enum unlock_step step;
	struct crypt_mem *typed;
	size_t n;
	struct crypt_mem *first; /* the new passphrase, to compare */
	int fails;
};

static void *
unlock_open(struct tui *t, void *arg, char **cause)
{
	struct unlock *u = xcalloc(1, sizeof *u);

	(void)arg;
	(void)cause;
	u->typed = crypt_mem_new(PASSPHRASE_MAX);
	u->step =
	    access(tui_db_path(t), F_OK) == 0 ? UNLOCK_PASS : UNLOCK_ASK_CREATE;
	return u;
}

static void
unlock_close(void *state)
{
	struct unlock *u = state;

	crypt_mem_free(u->typed);
	crypt_mem_free(u->first);
	free(u);
}

static void
unlock_draw(struct tui *t, void *state)
{
	struct unlock *u = state;
	const char *prompt = NULL;
	char *s;

	s = xasprintf(_("Database: %s"), tui_db_path(t));
	tui_put(2, 2, s, (size_t)COLS - 4, 0);
	free(s);
	switch (u->step) {
	case UNLOCK_ASK_CREATE:
		tui_put(4, 2, _("There is no database here yet."),
		    (size_t)COLS - 4, 0);
		tui_put(5, 2,
		    _("Create it, encrypted with a new passphrase? (y/n)"),
		    (size_t)COLS - 4, 0);
		return;
	case UNLOCK_NEW:
		prompt = _("New passphrase: ");
		break;
	case UNLOCK_AGAIN:
		prompt = _("The same again: ");
		break;
	case UNLOCK_PASS:
		prompt = _("Passphrase: ");
		break;
	}
	tui_put(4, 2, prompt, (size_t)COLS - 4, 0);
	tui_put(6, 2, _("(nothing is shown while you type; Esc clears)"),
	    (size_t)COLS - 4, 0);
	tui_cursor(
	    4, 2 + (int)strlen(prompt) < COLS ? 2 + (int)strlen(prompt) : 0);
}

static int
unlock_typing(void *state)
{
	return ((struct unlock *)state)->step != UNLOCK_ASK_CREATE;
}

static int
unlock_fill(struct store *s, void *arg, char **cause)
{
	return store_key_create_sign(s, arg, cause);
}

/* Enter: create or open, then the visits. */
static enum tui_action
unlock_enter(struct tui *t, struct unlock *u)
{
	struct crypt_mem *pass;
	struct store *s = NULL;
	enum store_err err;
	char *cause = NULL, keyid[17];
	int level = tui_ctx(t)->kdf;

	if (u->n == 0) {
		tui_message(t, "%s", _("an empty passphrase is not allowed"));
		return TUI_DONE;
	}
	pass = crypt_mem_new(u->n);
	memcpy(pass->p, u->typed->p, u->n);
	crypt_mem_wipe(u->typed->p, u->typed->len);
	u->n = 0;
	if (u->step == UNLOCK_NEW && passphrase_check_new(pass, &cause) != 0) {
		tui_message(t, "%s", cause);
		free(cause);
		crypt_mem_free(pass);
		return TUI_DONE;
	}
	if (u->step == UNLOCK_NEW) {
		u->first = pass;
		u->step = UNLOCK_AGAIN;
		return TUI_DONE;
	}
	if (u->step == UNLOCK_AGAIN) {
		if (!crypt_mem_equal(pass, u->first)) {
			tui_message(t, "%s",
			    _("the two passphrases differ; start again"));
			crypt_mem_free(pass);
			crypt_mem_free(u->first);
			u->first = NULL;
			u->step = UNLOCK_NEW;
			return TUI_DONE;
		}
		err = store_create(tui_db_path(t), pass,
		    level < 0 ? CRYPT_KDF_MODERATE
		              : (enum crypt_kdf_level)level,
		    unlock_fill, keyid, &s, &cause);
	} else
		err = store_open(tui_db_path(t), pass, &s, &cause);
	crypt_mem_free(pass);
	if (err != STORE_OK) {
		tui_message(t, "%s", cause);
		free(cause);
		if (err == STORE_EPASS) {
			/* A growing delay makes guessing slow. */
			u->fails++;
			sleep(u->fails < 6 ? (unsigned)(1 << (u->fails - 1))
			                   : 30);
			flushinp();
			return TUI_DONE;
		}
		return TUI_DONE;
	}
	tui_set_store(t, s);
	if (tui_replace(t, &screen_visits, NULL) != 0)
		return TUI_QUIT;
	return TUI_DONE;
}

static enum tui_action
unlock_key(struct tui *t, void *state, int ch, int iskey)
{
	struct unlock *u = state;

	if (u->step == UNLOCK_ASK_CREATE) {
		if (ch == 'y' || ch == 'Y') {
			u->step = UNLOCK_NEW;
			return TUI_DONE;
		}
		if (ch == 'n' || ch == 'N' || ch == 'q' || ch == TUI_ESC)
			return TUI_QUIT;
		return TUI_DONE;
	}
	if (!iskey && ch == TUI_CTRL('c'))
		return TUI_QUIT;
	if (ch == '\r' || ch == '\n' || (iskey && ch == KEY_ENTER))
		return unlock_enter(t, u);
	if ((iskey && ch == KEY_BACKSPACE) ||
	    (!iskey && (ch == 127 || ch == 8))) {
		u->n = utf8_prev((const char *)u->typed->p, u->n);
		return TUI_DONE;
	}
	if (!iskey && ch == TUI_ESC) {
		if (u->n == 0 && u->step == UNLOCK_PASS)
			return TUI_QUIT;
		u->n = 0;
		return TUI_DONE;
	}
	if (!iskey && ch == 'q' && u->n == 0 && u->step == UNLOCK_PASS)
		return TUI_QUIT;
	if (iskey || ch < 32)
		return TUI_DONE;
	/* UTF-8 straight into guarded memory (nothing if it is full) */
	u->n +=
	    utf8_encode(ch, (char *)u->typed->p + u->n, u->typed->len - u->n);
	return TUI_DONE;
}

static const char *
unlock_heading(struct tui *t, void *state)
{
	(void)t;
	return ((struct unlock *)state)->step == UNLOCK_PASS
	           ? _("unlock")
	           : _("new database");
}

static const struct tui_key unlock_keys[] = {
	{ 0, 0, NULL, NULL, NULL },
};

const struct screen screen_unlock = {
	.title = N_("unlock"),
	.keys = unlock_keys,
	.open = unlock_open,
	.close = unlock_close,
	.draw = unlock_draw,
	.key = unlock_key,
	.typing = unlock_typing,
	.heading = unlock_heading,
};
