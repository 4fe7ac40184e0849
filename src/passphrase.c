/* Passphrases from the terminal (no echo) or a file descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "anfang/passphrase.h"
#include "anfang/xmalloc.h"

static volatile sig_atomic_t passphrase_signal;

static void
passphrase_on_signal(int sig)
{
	passphrase_signal = sig;
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
			                     ? "interrupted"
			                     : "cannot read the passphrase");
			goto fail;
		}
		if (r == 0 || c == '\n')
			break;
		if (n == PASSPHRASE_MAX + 1) {
			*cause = xasprintf(
			    "passphrase longer than %d bytes", PASSPHRASE_MAX);
			goto fail;
		}
		m->p[n++] = (unsigned char)c;
	}
	if (r == 0 && n == 0) {
		*cause = xstrdup("no passphrase given");
		goto fail;
	}
	if (n > 0 && m->p[n - 1] == '\r')
		n--;
	if (n > PASSPHRASE_MAX) {
		*cause = xasprintf(
		    "passphrase longer than %d bytes", PASSPHRASE_MAX);
		goto fail;
	}
	if (n == 0) {
		*cause = xstrdup("an empty passphrase is not allowed");
		goto fail;
	}
	m->len = n;
	return m;
fail:
	crypt_mem_free(m);
	return NULL;
}

static struct crypt_mem *
passphrase_tty(int tty, const char *prompt, char **cause)
{
	struct sigaction sa, old[3];
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct termios t, saved;
	struct crypt_mem *m;
	int i;

	if (tcgetattr(tty, &saved) != 0) {
		*cause = xstrdup("cannot set up the terminal");
		return NULL;
	}
	/* Restore echo even when interrupted: catch, then re-raise. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = passphrase_on_signal;
	passphrase_signal = 0;
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	t = saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	tcsetattr(tty, TCSAFLUSH, &t);
	(void)!write(tty, prompt, strlen(prompt));
	m = passphrase_line(tty, cause);
	(void)!write(tty, "\n", 1);
	tcsetattr(tty, TCSAFLUSH, &saved);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (passphrase_signal != 0) {
		crypt_mem_free(m);
		raise(passphrase_signal);
		*cause = xstrdup("interrupted");
		return NULL;
	}
	return m;
}

struct crypt_mem *
passphrase_read(int fd, const char *prompt, const char *confirm, char **cause)
{
	struct crypt_mem *a, *b;
	int tty;

	if (fd >= 0)
		return passphrase_line(fd, cause);
	if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0) {
		*cause = xstrdup("no terminal to ask for the passphrase (use "
		                 "--passphrase-fd N)");
		return NULL;
	}
	a = passphrase_tty(tty, prompt, cause);
	if (a != NULL && confirm != NULL) {
		b = passphrase_tty(tty, confirm, cause);
		if (b == NULL || !crypt_mem_equal(a, b)) {
			if (b != NULL)
				*cause = xstrdup("the passphrases differ");
			crypt_mem_free(a);
			a = NULL;
		}
		crypt_mem_free(b);
	}
	close(tty);
	return a;
}
