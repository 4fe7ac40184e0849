/*
 * passphrase: lines read from a descriptor (--passphrase-fd), one per
 * call and nothing more, and the refusals; without a descriptor and
 * without a terminal, a clear message.
 */
#include "unit.h"

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "anfang/crypt.h"
#include "anfang/passphrase.h"
#include "anfang/xmalloc.h"

static int
pass_setup(void **state)
{
	char *cause = NULL;

	(void)state;
	if (crypt_init(&cause) != 0) {
		fprintf(stderr, "crypt_init: %s\n", cause);
		return -1;
	}
	return 0;
}

/* A pipe holding len bytes of s, its writing end closed when close_w. */
static int
pipe_of(const char *s, size_t len, int close_w, int *wfd)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], s, len), (ssize_t)len);
	if (close_w) {
		close(p[1]);
		p[1] = -1;
	}
	if (wfd != NULL)
		*wfd = p[1];
	else if (p[1] >= 0)
		close(p[1]);
	return p[0];
}

/* Read one passphrase from fd; it must be want. */
static void
reads(int fd, const char *want, size_t wantlen)
{
	struct crypt_mem *m;
	char *cause = NULL;

	m = passphrase_read(fd, "unused: ", NULL, &cause);
	if (m == NULL) {
		fprintf(stderr, "  refused: %s\n", cause);
		free(cause);
		fail();
	}
	assert_null(cause);
	assert_int_equal(m->len, wantlen);
	assert_memory_equal(m->p, want, wantlen);
	crypt_mem_free(m);
}

/* Reading from fd is refused with a message holding want. */
static void
refuses(int fd, const char *want)
{
	struct crypt_mem *m;
	char *cause = NULL;

	m = passphrase_read(fd, "unused: ", NULL, &cause);
	if (m != NULL) {
		fprintf(stderr, "  accepted %zu bytes\n", m->len);
		crypt_mem_free(m);
		fail();
	}
	assert_non_null(cause);
	if (strstr(cause, want) == NULL) {
		fprintf(stderr, "  \"%s\" lacks \"%s\"\n", cause, want);
		free(cause);
		fail();
	}
	free(cause);
}

static void
test_one_line(void **state)
{
	int fd;

	(void)state;
	fd = pipe_of("secret\n", 7, 1, NULL);
	reads(fd, "secret", 6);
	close(fd);
	/* spaces are part of it, UTF-8 is bytes */
	fd = pipe_of(" 暗訪 pass \n", 14, 1, NULL);
	reads(fd, " 暗訪 pass ", 13);
	close(fd);
	/* the last line may lack its newline */
	fd = pipe_of("no newline", 10, 1, NULL);
	reads(fd, "no newline", 10);
	close(fd);
}

static void
test_successive_lines(void **state)
{
	char rest[64];
	ssize_t n;
	int fd, w;

	(void)state;
	/* the old passphrase, then the new one (passwd) */
	fd = pipe_of("old one\nnew one\nafter\n", 22, 0, &w);
	reads(fd, "old one", 7);
	reads(fd, "new one", 7);
	/* nothing past the second line was consumed */
	close(w);
	n = read(fd, rest, sizeof rest);
	assert_int_equal(n, 6);
	assert_memory_equal(rest, "after\n", 6);
	close(fd);

	/* with the writer still open, a line is complete at its newline:
	 * the read does not wait for more */
	fd = pipe_of("first\n", 6, 0, &w);
	reads(fd, "first", 5);
	assert_int_equal(write(w, "second\n", 7), 7);
	reads(fd, "second", 6);
	close(w);
	refuses(fd, "no passphrase");
	close(fd);
}

static void
test_crlf(void **state)
{
	int fd;

	(void)state;
	fd = pipe_of("dos\r\nunix\n", 10, 1, NULL);
	reads(fd, "dos", 3);
	reads(fd, "unix", 4);
	close(fd);
	/* only a final CR goes */
	fd = pipe_of("a\rb\r\n", 5, 1, NULL);
	reads(fd, "a\rb", 3);
	close(fd);
}

static void
test_empty_refused(void **state)
{
	int fd;

	(void)state;
	fd = pipe_of("\nlater\n", 7, 1, NULL);
	refuses(fd, "empty");
	/* the empty line was consumed, and only it */
	reads(fd, "later", 5);
	close(fd);
	fd = pipe_of("\r\n", 2, 1, NULL);
	refuses(fd, "empty");
	close(fd);
}

static void
test_eof_refused(void **state)
{
	int fd;

	(void)state;
	fd = pipe_of("", 0, 1, NULL);
	refuses(fd, "no passphrase");
	close(fd);
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd >= 0);
	refuses(fd, "no passphrase");
	close(fd);
}

static void
test_unreadable(void **state)
{
	int fd;

	(void)state;
	/* a descriptor that is not open */
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	refuses(fd, "cannot read");
	/* one open for writing only */
	fd = open("/dev/null", O_WRONLY);
	assert_true(fd >= 0);
	refuses(fd, "cannot read");
	close(fd);
}

static void
test_too_long(void **state)
{
	char *buf = xmalloc(PASSPHRASE_MAX + 2);
	int fd;

	(void)state;
	/* exactly the maximum is fine */
	memset(buf, 'x', PASSPHRASE_MAX);
	buf[PASSPHRASE_MAX] = '\n';
	fd = pipe_of(buf, PASSPHRASE_MAX + 1, 1, NULL);
	reads(fd, buf, PASSPHRASE_MAX);
	close(fd);
	/* a CR before the newline is not part of the passphrase */
	memset(buf, 'z', PASSPHRASE_MAX - 1);
	memcpy(buf + PASSPHRASE_MAX - 1, "\r\n", 2);
	fd = pipe_of(buf, PASSPHRASE_MAX + 1, 1, NULL);
	reads(fd, buf, PASSPHRASE_MAX - 1);
	close(fd);
	/* one more byte is not */
	memset(buf, 'x', PASSPHRASE_MAX + 1);
	buf[PASSPHRASE_MAX + 1] = '\n';
	fd = pipe_of(buf, PASSPHRASE_MAX + 2, 1, NULL);
	refuses(fd, "longer than 1024");
	close(fd);
	free(buf);
}

static void
test_no_terminal(void **state)
{
	pid_t pid;
	int status, tty;

	(void)state;
	/*
	 * In a child with a session of its own, /dev/tty is no terminal:
	 * exit 0 when the message is right, 1 when not, 77 when /dev/tty
	 * opened all the same (then the case cannot be checked here).
	 */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct crypt_mem *m;
		char *cause = NULL;

		(void)setsid();
		if ((tty = open("/dev/tty", O_RDWR | O_NOCTTY)) >= 0) {
			close(tty);
			_exit(77);
		}
		m = passphrase_read(-1, "Passphrase: ", NULL, &cause);
		if (m != NULL || cause == NULL)
			_exit(1);
		if (strstr(cause, "no terminal") == NULL ||
		    strstr(cause, "--passphrase-fd") == NULL) {
			fprintf(stderr, "  message: %s\n", cause);
			_exit(1);
		}
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A new passphrase needs PASSPHRASE_MIN characters, not bytes. */
static void
test_new_minimum(void **state)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{ "x", 0 },
		{ "seven77", 0 },
		{ "eight888", 1 },
		{ "\u4e03\u500b\u4e2d\u6587\u5b57\u7b26\u865f",
		    0 }, /* 7, 21 bytes */
		{ "\u516b\u500b\u4e2d\u6587\u5b57\u7b26\u865f\u78bc", 1 },
		{ "a\U0001F600b\U0001F600c\U0001F600d", 0 }, /* 7, 16 bytes */
		{ "a\U0001F600b\U0001F600c\U0001F600de", 1 },
	};
	struct crypt_mem *m;
	char *cause = NULL;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		len = strlen(cases[i].s);
		m = crypt_mem_new(len + 1);
		memcpy(m->p, cases[i].s, len);
		m->len = len;
		if (cases[i].ok)
			assert_int_equal(passphrase_check_new(m, &cause), 0);
		else {
			assert_int_equal(passphrase_check_new(m, &cause), -1);
			assert_non_null(strstr(cause, "at least 8"));
			free(cause);
			cause = NULL;
		}
		crypt_mem_free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_successive_lines),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_empty_refused),
		cmocka_unit_test(test_eof_refused),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_no_terminal),
		cmocka_unit_test(test_new_minimum),
	};

	return cmocka_run_group_tests(tests, pass_setup, NULL);
}
