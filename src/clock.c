/* Time in milliseconds, UTC in files, local time on screen. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "anfang/clock.h"

int64_t
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
clock_iso(char out[CLOCK_ISO_LEN], int64_t ms)
{
	/* Floor division: -1 ms is 23:59:59.999 the day before. */
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
	int frac = (int)(ms - (int64_t)t * 1000);
	char buf[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	/* through a roomy buffer: the compiler cannot see tm's ranges */
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac);
	memcpy(out, buf, CLOCK_ISO_LEN - 1);
	out[CLOCK_ISO_LEN - 1] = '\0';
}

void
clock_local(char *out, size_t len, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M", &tm);
}

int
clock_parse_iso(const char *s, int64_t *ms)
{
	struct tm tm;
	int frac, n = 0;
	char z, back[CLOCK_ISO_LEN];
	int64_t t;

	memset(&tm, 0, sizeof tm);
	if (strlen(s) != CLOCK_ISO_LEN - 1 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c%n", &tm.tm_year,
	        &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	        &frac, &z, &n) != 8 ||
	    z != 'Z' || n != CLOCK_ISO_LEN - 1)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = (int64_t)timegm(&tm) * 1000 + frac;
	/* Only the canonical form: no 30 February, 24:00, signs or spaces
	 * that sscanf and timegm would quietly turn into another time. */
	clock_iso(back, t);
	if (strcmp(back, s) != 0)
		return -1;
	*ms = t;
	return 0;
}
