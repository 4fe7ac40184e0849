/* Passphrases from the terminal (no echo) or a file descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "anfang/i18n.h"
#include "anfang/passphrase.h"
#include "anfang/utf8.h"
#include "anfang/xmalloc.h"

static volatile sig_atomic_t passphrase_signal;

static const int passphrase_sigs[] = { SIGINT, SIGTERM, SIGHUP };

/*
 * The terminal from the first prompt until passphrase_release: echo stays
 * off in between, while the key is derived, so that nothing typed ahead
 * shows on the screen.  tty is -1 when not held.
 */
static struct {
	int tty;
	volatile sig_atomic_t reading;
	struct termios saved;
	struct sigaction old[3];
} passphrase_held = { .tty = -1 };

static void
passphrase_restore(void)
{
	int i;

	/* TCSAFLUSH: what was typed while echo was off is dropped unseen. */
	tcsetattr(passphrase_held.tty, TCSAFLUSH, &passphrase_held.saved);
	for (i = 0; i < 3; i++)
		sigaction(passphrase_sigs[i], &passphrase_held.old[i], NULL);
}

static void
passphrase_on_signal(int sig)
{
	/* In a read: end it, and let the reader clean up.  Elsewhere (a
	 * key being derived): restore the terminal here, then die of the
	 * signal as before. */
	passphrase_signal = sig;
	if (passphrase_held.reading)
		return;
	passphrase_restore();
	raise(sig);
}

void
passphrase_release(void)
{
	if (passphrase_held.tty < 0)
		return;
	passphrase_restore();
	close(passphrase_held.tty);
	passphrase_held.tty = -1;
}

/* Echo off on the terminal, from now until passphrase_release. */
static int
passphrase_hold(char **cause)
{
	static int registered;
	struct sigaction sa;
	struct termios t;
	int tty, i;

	if (passphrase_held.tty >= 0)
		return passphrase_held.tty;
	if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0) {
		*cause = xstrdup(_("no terminal to ask for the passphrase (use "
		                   "--passphrase-fd N)"));
		return -1;
	}
	if (tcgetattr(tty, &passphrase_held.saved) != 0) {
		*cause = xstrdup(_("cannot set up the terminal"));
		close(tty);
		return -1;
	}
	if (!registered) {
		/* Echo comes back however the program ends. */
		atexit(passphrase_release);
		registered = 1;
	}
	passphrase_held.tty = tty;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = passphrase_on_signal;
	passphrase_signal = 0;
	for (i = 0; i < 3; i++)
		sigaction(passphrase_sigs[i], &sa, &passphrase_held.old[i]);
	t = passphrase_held.saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	tcsetattr(tty, TCSAFLUSH, &t);
	return tty;
}

/*
 * Read a line a byte at a time, so that nothing past it is consumed (the
 * next passphrase may follow on the same descriptor).
 */
static struct crypt_mem *
passphrase_line(int fd, char **cause)
{
	/* Room for a CR after the longest passphrase. */
	struct crypt_mem *m = crypt_mem_new(PASSPHRASE_MAX + 2);
	size_t n = 0;
	ssize_t r;
	char c;

	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR && !passphrase_signal)
			continue;
		if (r < 0) {
			*cause = xstrdup(passphrase_signal
			                     ? _("interrupted")
			                     : _("cannot read the passphrase"));
			goto fail;
		}
		if (r == 0 || c == '\n')
			break;
		if (n == PASSPHRASE_MAX + 1) {
			*cause = xasprintf(_("passphrase longer than %d bytes"),
			    PASSPHRASE_MAX);
			goto fail;
		}
		m->p[n++] = (unsigned char)c;
	}
	if (r == 0 && n == 0) {
		*cause = xstrdup(_("no passphrase given"));
		goto fail;
	}
	if (n > 0 && m->p[n - 1] == '\r')
		n--;
	if (n > PASSPHRASE_MAX) {
		*cause = xasprintf(
		    _("passphrase longer than %d bytes"), PASSPHRASE_MAX);
		goto fail;
	}
	if (n == 0) {
		*cause = xstrdup(_("an empty passphrase is not allowed"));
		goto fail;
	}
	m->len = n;
	return m;
fail:
	crypt_mem_free(m);
	return NULL;
}

static struct crypt_mem *
passphrase_tty(const char *prompt, char **cause)
{
	struct crypt_mem *m;
	int tty, sig;

	if ((tty = passphrase_hold(cause)) < 0)
		return NULL;
	/* Anything typed before the prompt is not this passphrase. */
	tcflush(tty, TCIFLUSH);
	(void)!write(tty, prompt, strlen(prompt));
	passphrase_held.reading = 1;
	m = passphrase_line(tty, cause);
	passphrase_held.reading = 0;
	(void)!write(tty, "\n", 1);
	if ((sig = passphrase_signal) != 0) {
		crypt_mem_free(m);
		passphrase_release();
		raise(sig);
		*cause = xstrdup(_("interrupted"));
		return NULL;
	}
	return m;
}

struct crypt_mem *
passphrase_read(int fd, const char *prompt, const char *confirm, char **cause)
{
	struct crypt_mem *a, *b;

	if (fd >= 0)
		return passphrase_line(fd, cause);
	a = passphrase_tty(prompt, cause);
	if (a != NULL && confirm != NULL) {
		b = passphrase_tty(confirm, cause);
		if (b == NULL || !crypt_mem_equal(a, b)) {
			if (b != NULL)
				*cause = xstrdup(_("the passphrases differ"));
			crypt_mem_free(a);
			a = NULL;
		}
		crypt_mem_free(b);
	}
	if (a == NULL)
		passphrase_release();
	return a;
}

int
passphrase_check_new(const struct crypt_mem *m, char **cause)
{
	size_t n = utf8_length((const char *)m->p, m->len);

	if (n < PASSPHRASE_MIN) {
		*cause = xasprintf(_("a new passphrase needs at least %d "
		                     "characters (this one has %zu)"),
		    PASSPHRASE_MIN, n);
		return -1;
	}
	return 0;
}

char *
passphrase_new_prompt(void)
{
	return xasprintf(
	    _("New passphrase (%d characters or more): "), PASSPHRASE_MIN);
}
