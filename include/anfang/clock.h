/* Wall-clock time in milliseconds since the epoch, and its ISO 8601 form. */
#ifndef ANFANG_CLOCK_H
#define ANFANG_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define CLOCK_ISO_LEN 25 /* "2026-11-26T21:23:24.123Z" and NUL */

int64_t clock_now(void);
/* UTC, with milliseconds. */
void clock_iso(char out[CLOCK_ISO_LEN], int64_t ms);
/* Local time "2026-11-26 21:23", for people. */
void clock_local(char *out, size_t len, int64_t ms);
/* Parse clock_iso's form; -1 when it is not that. */
int clock_parse_iso(const char *, int64_t *ms);

#endif
