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
	time_t t = (time_t)(ms / 1000);
	char buf[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	/* through a roomy buffer: the compiler cannot see tm's ranges */
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
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
	char z;

	memset(&tm, 0, sizeof tm);
	if (strlen(s) != CLOCK_ISO_LEN - 1 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c%n", &tm.tm_year,
	        &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	        &frac, &z, &n) != 8 ||
	    z != 'Z' || n != CLOCK_ISO_LEN - 1)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*ms = (int64_t)timegm(&tm) * 1000 + frac;
	return 0;
}
