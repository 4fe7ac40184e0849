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

/* "2026-11-26T21:23:24.123+08:00" and NUL: a local time with its offset. */
#define CLOCK_ISO_OFFSET_LEN 30

/* The local UTC offset at ms, in minutes east of UTC. */
int clock_offset(int64_t ms);
/* ms as the local time of a place offset minutes east of UTC. */
void clock_iso_offset(char out[CLOCK_ISO_OFFSET_LEN], int64_t ms, int offset);
/* Parse clock_iso_offset's form; -1 when it is not that. */
int clock_parse_iso_offset(const char *, int64_t *ms, int *offset);
/* "2026-11-26 21:23 +08:00", for people. */
void clock_local_offset(char *out, size_t len, int64_t ms, int offset);
/*
 * "YYYY-MM-DD HH:MM" in this machine's local time zone: the time and the
 * zone's offset then.  -1 when it is not that form or no such local time.
 */
int clock_parse_local(const char *, int64_t *ms, int *offset);

#endif
