/* What every command shares: the common options and the error printer. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anfang/cmd.h"
#include "anfang/crypt-kdf.h"
#include "anfang/diag.h"
#include "anfang/form-dir.h"
#include "anfang/form.h"
#include "anfang/i18n.h"
#include "anfang/passphrase.h"
#include "anfang/report.h"
#include "anfang/store.h"
#include "anfang/utf8.h"
#include "anfang/xmalloc.h"

void
cmd_error(const char *fmt, ...)
{
	va_list ap, ap2;
	char *msg, *vis;
	int n;

	/* What was typed, a file name or a batch's text may hold controls:
	 * shown as escapes, never sent to the terminal. */
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	msg[0] = '\0';
	if (n > 0)
		vsnprintf(msg, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	vis = diag_visible(msg, 0);
	fprintf(stderr, "anfang: %s\n", vis);
	free(vis);
	free(msg);
}

int
cmd_date(const char *what, const char *s, int64_t *out)
{
	if (report_date_parse(s, out) == 0)
		return 0;
	cmd_error(_("%s: \"%s\" is not a date (YYYY-MM-DD)"), what, s);
	return -1;
}

int
cmd_number(const char *what, const char *s, long min, long max, long *out)
{
	const char *p = s;
	long v = 0;

	/* Plain decimal digits only: strtol would take " 3", "+3" and
	 * "0x3", and saturate past its range instead of refusing. */
	if (*p == '\0')
		goto bad;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > (max - (*p - '0')) / 10)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v < min)
		goto bad;
	*out = v;
	return 0;
bad:
	cmd_error(_("%s: \"%s\" is not a whole number from %ld to %ld"), what,
	    s, min, max);
	return -1;
}

int
cmd_text(const char *what, const char *s, size_t max)
{
	size_t len = strlen(s), n, i;

	if (utf8_check(s, len) != len) {
		cmd_error(_("%s: not valid UTF-8 text"), what);
		return -1;
	}
	if ((n = utf8_length(s, len)) > max) {
		cmd_error(_("%s: %zu characters, more than the %zu allowed"),
		    what, n, max);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* C0, DEL and C1 (C2 80..C2 9F): they could drive the
		 * terminal of whoever is shown the text later. */
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && (unsigned char)s[i + 1] >= 0x80 &&
		        (unsigned char)s[i + 1] <= 0x9f)) {
			cmd_error(
			    _("%s: control characters are not allowed"), what);
			return -1;
		}
	}
	return 0;
}

int
cmd_options(struct cmd_ctx *ctx, int argc, char **argv)
{
	int i, n = 1;
	const char *arg, *val;
	size_t len;
	long fd;

	/* Hand-rolled rather than getopt so that each command keeps its own
	 * options in order for its own parsing. */
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			ctx->help = 1;
			continue;
		}
		val = NULL;
		len = strcspn(arg, "=");
		if (strncmp(arg, "--db", len) == 0 && len == 4)
			;
		else if (strncmp(arg, "--forms", len) == 0 && len == 7)
			;
		else if (strncmp(arg, "--passphrase-fd", len) == 0 && len == 15)
			;
		else {
			argv[n++] = argv[i];
			continue;
		}
		if (arg[len] == '=')
			val = arg + len + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			cmd_error(_("%.*s needs a value"), (int)len, arg);
			return -1;
		}
		if (len == 4)
			ctx->db = val;
		else if (len == 7)
			ctx->forms_dir = val;
		else if (cmd_number("--passphrase-fd", val, 0, 1024, &fd) != 0)
			return -1;
		else
			ctx->passphrase_fd = (int)fd;
	}
	argv[n] = NULL;
	return n;
}

int
cmd_usage(const char *name, const char *usage)
{
	cmd_error(_("usage: anfang %s %s (anfang %s --help tells more)"), name,
	    usage, name);
	return CMD_USAGE;
}

int
cmd_open_regular(const char *path, char **cause)
{
	struct stat st;
	int fd, flags;

	memset(&st, 0, sizeof st);
	/* Without O_NONBLOCK, opening a FIFO waits for a writer for ever. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: %s", path,
		    S_ISDIR(st.st_mode) ? _("is a directory")
		                        : _("not a regular file"));
		close(fd);
		return -1;
	}
	if ((flags = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

int
cmd_read_key(const char *path, char **text, size_t *len)
{
	char *cause = NULL;
	ssize_t r;
	int fd;

	if ((fd = cmd_open_regular(path, &cause)) < 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_NOINPUT;
	}
	*text = xmalloc(4096);
	*len = 0;
	while (*len < 4095) {
		r = read(fd, *text + *len, 4095 - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		*len += (size_t)r;
	}
	(*text)[*len] = '\0';
	close(fd);
	return CMD_OK;
}

int
cmd_kdf(const char *value)
{
	enum crypt_kdf_level level;

	if (crypt_kdf_level_from_name(value, &level) != 0) {
		cmd_error(_("--kdf: \"%s\" is not interactive, moderate or "
		            "sensitive"),
		    value);
		return -1;
	}
	return (int)level;
}

int
cmd_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

char *
cmd_db_path(const struct cmd_ctx *ctx)
{
	if (ctx->db != NULL && *ctx->db != '\0')
		return xstrdup(ctx->db);
	return store_default_path();
}

int
cmd_store_exit(int err)
{
	switch ((enum store_err)err) {
	case STORE_OK:
		return CMD_OK;
	case STORE_EPASS:
		return CMD_NOPERM;
	case STORE_ENOTDB:
	case STORE_ENEWER:
		return CMD_DATAERR;
	case STORE_EEXISTS:
		return CMD_CANTCREAT;
	case STORE_ENOENT:
		return CMD_NOINPUT;
	case STORE_EIO:
		break;
	}
	return CMD_IOERR;
}

void
cmd_busy(const char *word)
{
	static int shown;
	const char *dots;

	if (word == NULL) {
		if (shown > 0)
			fprintf(stderr, "\r%*s\r", shown, "");
		shown = 0;
		return;
	}
	if (!isatty(STDERR_FILENO))
		return;
	dots = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? "\u2026" : "...";
	fprintf(stderr, "%s%s", word, dots);
	fflush(stderr);
	shown = (int)strlen(word) + 3;
}

int
cmd_open(struct cmd_ctx *ctx, struct store **s)
{
	struct crypt_mem *pass;
	enum store_err err;
	char *path = cmd_db_path(ctx), *cause = NULL;

	if (access(path, F_OK) != 0) {
		cmd_error(
		    _("%s: no database (create one with anfang init)"), path);
		free(path);
		return CMD_NOINPUT;
	}
	if ((err = store_check(path, &cause)) != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		free(path);
		return cmd_store_exit(err);
	}
	pass = passphrase_read(
	    ctx->passphrase_fd, _("Passphrase: "), NULL, &cause);
	if (pass == NULL) {
		cmd_error("%s", cause);
		free(cause);
		free(path);
		return CMD_USAGE; /* no passphrase given: not a wrong one */
	}
	cmd_busy(_("unlocking"));
	err = store_open(path, pass, s, &cause);
	cmd_busy(NULL);
	if (!ctx->hold_tty)
		passphrase_release();
	crypt_mem_free(pass);
	free(path);
	if (err != STORE_OK) {
		cmd_error("%s", cause);
		free(cause);
		return cmd_store_exit(err);
	}
	return CMD_OK;
}

int
cmd_find_form(const struct cmd_ctx *ctx, const char *id, struct form **out)
{
	struct diag_list diags = { 0 };
	struct form_dir_list l;
	struct form *best = NULL;
	const char *at = strchr(id, '@');
	size_t idlen = at ? (size_t)(at - id) : strlen(id), i;
	long version = 0;

	if (at != NULL &&
	    cmd_number("--form ID@VERSION", at + 1, 1, INT_MAX, &version) != 0)
		return CMD_USAGE;
	/* Broken forms elsewhere in the path are not this command's
	 * business: forms check reports them. */
	form_dir_load(ctx->forms_dir, &l, &diags);
	diag_clear(&diags);
	for (i = 0; i < l.n; i++) {
		struct form *f = l.forms[i];

		if (strlen(f->id) != idlen || strncmp(f->id, id, idlen) != 0)
			continue;
		if (version != 0 ? f->version == version
		                 : best == NULL || f->version > best->version)
			best = f;
	}
	for (i = 0; i < l.n; i++) {
		if (l.forms[i] == best)
			l.forms[i] = NULL;
	}
	for (i = 0; i < l.n; i++)
		form_free(l.forms[i]);
	l.n = 0;
	form_dir_free(&l);
	if (best == NULL) {
		cmd_error(_("no form \"%s\" (see anfang forms list)"), id);
		return CMD_DATAERR;
	}
	*out = best;
	return CMD_OK;
}
