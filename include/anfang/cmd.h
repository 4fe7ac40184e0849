/*
 * Commands: one file each (cmd-NAME.c exporting cmd_NAME_entry), listed in
 * one table in main.c.
 */
#ifndef ANFANG_CMD_H
#define ANFANG_CMD_H

#include <stdint.h>

/* sysexits.h codes, named here so every command uses the same ones. */
#define CMD_OK        0
#define CMD_USAGE     64
#define CMD_DATAERR   65
#define CMD_NOINPUT   66
#define CMD_SOFTWARE  70
#define CMD_CANTCREAT 73
#define CMD_IOERR     74
#define CMD_NOPERM    77

/* Options that every command accepts. */
struct cmd_ctx {
	const char *db;        /* --db, or ANFANG_DB */
	const char *forms_dir; /* --forms */
	int passphrase_fd;     /* --passphrase-fd, or -1 */
	int help;              /* --help or -h was given */
	int kdf;               /* the UI's --kdf for a new database, or -1 */
	int hold_tty;          /* cmd_open leaves echo off for a next prompt */
};

struct cmd_entry {
	const char *name;
	const char *usage;   /* arguments, after "anfang NAME" */
	const char *summary; /* one line for anfang --help */
	int (*exec)(struct cmd_ctx *, int argc, char **argv);
	void (*help)(void); /* anfang NAME --help */
};

/* Print "anfang: msg" on stderr, its control characters made visible
 * (diag_visible); the one place command errors are shown. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Take the common options (--db, --forms, --passphrase-fd, --help) out of
 * argv, leaving the rest in order.  Returns the new argc, or -1 on a usage
 * error (already reported).
 */
int cmd_options(struct cmd_ctx *, int argc, char **argv);

struct store;
struct form;

/*
 * A usage error of command name: one line on stderr pointing to its
 * --help; returns CMD_USAGE.
 */
int cmd_usage(const char *name, const char *usage);
/*
 * Open a file to read, refusing at once (without blocking on a FIFO)
 * anything that is not a regular file.  The descriptor, or -1 with
 * *cause ("PATH: why").
 */
int cmd_open_regular(const char *path, char **cause);
/*
 * Read a key file (at most a few KiB) into *text (caller frees).  CMD_OK,
 * or the exit code after saying why.
 */
int cmd_read_key(const char *path, char **text, size_t *len);
/*
 * The value s of option what: a whole number from min to max (0 <= min),
 * in decimal digits only.  0, or -1 after saying why.
 */
int cmd_number(const char *what, const char *s, long min, long max, long *out);
/*
 * The value s of option what: a date YYYY-MM-DD, as the local ms of its
 * midnight (report_date_parse).  0, or -1 after saying why.
 */
int cmd_date(const char *what, const char *s, int64_t *out);
/*
 * Limits of the free text given as options, in characters: a reason for a
 * soft check or an amendment; a unit, division or person; a key's label.
 */
#define CMD_MAX_REASON 1000
#define CMD_MAX_FIELD  200
#define CMD_MAX_LABEL  100
/*
 * The text s of option what: valid UTF-8, at most max characters, no
 * control characters.  0, or -1 after saying why.
 */
int cmd_text(const char *what, const char *s, size_t max);
/* A --kdf value: its level (enum crypt_kdf_level), or -1 after saying
 * why. */
int cmd_kdf(const char *value);
/* Whether path exists (even as a dangling link). */
int cmd_exists(const char *path);
/* The database path: --db, $ANFANG_DB or the default. Caller frees. */
char *cmd_db_path(const struct cmd_ctx *);
/*
 * Ask for the passphrase and open the database.  Returns CMD_OK, or the
 * exit code after printing why.
 */
int cmd_open(struct cmd_ctx *, struct store **);
/*
 * On a terminal, "word..." on stderr while a key is derived (seconds with
 * the stronger settings); NULL wipes it.  Nothing when stderr is not one.
 */
void cmd_busy(const char *word);
/* The exit code for a store error. */
int cmd_store_exit(int store_err);
/*
 * The form with this id ("id" for its highest version, or "id@version")
 * from the forms search path.  CMD_OK, or an exit code after printing.
 */
int cmd_find_form(const struct cmd_ctx *, const char *id, struct form **);
/*
 * Print the high-severity alerts of the visits received in batch (import's
 * early warning, cmd-alerts.c): 0, or -1 with *cause.
 */
int cmd_alerts_print_batch(struct store *, const char *batch, char **cause);

#endif
