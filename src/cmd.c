/* What every command shares: the common options and the error printer. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/cmd.h"

void
cmd_error(const char *fmt, ...)
{
	va_list ap;

	fputs("anfang: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
cmd_fd(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 1024)
		return -1;
	*out = (int)v;
	return 0;
}

int
cmd_options(struct cmd_ctx *ctx, int argc, char **argv)
{
	int i, n = 1;
	const char *arg, *val;
	size_t len;

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
			cmd_error("%.*s needs a value", (int)len, arg);
			return -1;
		}
		if (len == 4)
			ctx->db = val;
		else if (len == 7)
			ctx->forms_dir = val;
		else if (cmd_fd(val, &ctx->passphrase_fd) != 0) {
			cmd_error("--passphrase-fd: \"%s\" is not a file "
			          "descriptor number",
			    val);
			return -1;
		}
	}
	argv[n] = NULL;
	return n;
}
