/*
 * Reading a passphrase: from the terminal without echo, or from a file
 * descriptor (--passphrase-fd) for scripts.  Never from argv or the
 * environment.  The result is in guarded memory.
 */
#ifndef ANFANG_PASSPHRASE_H
#define ANFANG_PASSPHRASE_H

#include "anfang/crypt-mem.h"

#define PASSPHRASE_MAX 1024
/* The shortest new passphrase, in characters (not bytes). */
#define PASSPHRASE_MIN 8

/*
 * One passphrase.  fd >= 0 reads one line from it (several calls read
 * successive lines); otherwise the terminal is asked with prompt, and with
 * confirm the passphrase is asked twice.  Empty passphrases are refused.
 * NULL with *cause on failure.
 */
struct crypt_mem *passphrase_read(
    int fd, const char *prompt, const char *confirm, char **cause);
/*
 * After a passphrase from the terminal, echo stays off (and typed-ahead
 * input is dropped) until this is called: call it once the key is derived.
 * Also called at exit and on SIGINT, SIGTERM, SIGHUP.
 */
void passphrase_release(void);
/* Whether m may be a new passphrase (PASSPHRASE_MIN characters); -1 with
 * *cause if not. */
int passphrase_check_new(const struct crypt_mem *, char **cause);
/* The prompt for a new passphrase, which says how long it must be, in the
 * interface language.  Caller frees. */
char *passphrase_new_prompt(void);

#endif
