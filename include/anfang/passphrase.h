/*
 * Reading a passphrase: from the terminal without echo, or from a file
 * descriptor (--passphrase-fd) for scripts.  Never from argv or the
 * environment.  The result is in guarded memory.
 */
#ifndef ANFANG_PASSPHRASE_H
#define ANFANG_PASSPHRASE_H

#include "anfang/crypt-mem.h"

#define PASSPHRASE_MAX 1024

/*
 * One passphrase.  fd >= 0 reads one line from it (several calls read
 * successive lines); otherwise the terminal is asked with prompt, and with
 * confirm the passphrase is asked twice.  Empty passphrases are refused.
 * NULL with *cause on failure.
 */
struct crypt_mem *passphrase_read(
    int fd, const char *prompt, const char *confirm, char **cause);

#endif
