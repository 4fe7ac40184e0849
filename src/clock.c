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

/* n decimal digits at s; -1 if any is not one. */
static int
clock_digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
clock_days(int y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/*
 * By hand, not sscanf and timegm: batches hold millions of these, and
 * only the canonical form is accepted (no 30 February, 24:00, signs or
 * spaces that sscanf and timegm would quietly turn into another time).
 */
int
clock_parse_iso(const char *s, int64_t *ms)
{
	static const char shape[] = "0000-00-00T00:00:00.000Z";
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int y, mo, d, h, mi, sec, frac, leap;
	size_t i;

	for (i = 0; i < sizeof shape - 1; i++) {
		if (s[i] == '\0' || (shape[i] != '0' && s[i] != shape[i]))
			return -1;
	}
	if (s[i] != '\0')
		return -1;
	y = clock_digits(s, 4);
	mo = clock_digits(s + 5, 2);
	d = clock_digits(s + 8, 2);
	h = clock_digits(s + 11, 2);
	mi = clock_digits(s + 14, 2);
	sec = clock_digits(s + 17, 2);
	frac = clock_digits(s + 20, 3);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 59 || frac < 0)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap))
		return -1;
	*ms = (((clock_days(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec) * 1000 +
	      frac;
	return 0;
}

int
clock_offset(int64_t ms)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
	struct tm tm;

	localtime_r(&t, &tm);
	return (int)(tm.tm_gmtoff / 60);
}

void
clock_iso_offset(char out[CLOCK_ISO_OFFSET_LEN], int64_t ms, int offset)
{
	char iso[CLOCK_ISO_LEN];
	int a = offset < 0 ? -offset : offset;

	/* The wall clock there is UTC moved by the offset. */
	clock_iso(iso, ms + (int64_t)offset * 60000);
	snprintf(out, CLOCK_ISO_OFFSET_LEN, "%.23s%c%02d:%02d", iso,
	    offset < 0 ? '-' : '+', (a / 60) % 100, a % 60);
}

int
clock_parse_iso_offset(const char *s, int64_t *ms, int *offset)
{
	char iso[CLOCK_ISO_LEN];
	int h, m;

	if (strlen(s) != CLOCK_ISO_OFFSET_LEN - 1 ||
	    (s[23] != '+' && s[23] != '-') || s[26] != ':')
		return -1;
	memcpy(iso, s, 23);
	iso[23] = 'Z';
	iso[24] = '\0';
	h = clock_digits(s + 24, 2);
	m = clock_digits(s + 27, 2);
	/* Offsets in use run from -12:00 to +14:00. */
	if (clock_parse_iso(iso, ms) != 0 || h < 0 || m < 0 || m > 59 ||
	    h * 60 + m > 18 * 60)
		return -1;
	*offset = (s[23] == '-' ? -1 : 1) * (h * 60 + m);
	*ms -= (int64_t)*offset * 60000;
	return 0;
}

void
clock_local_offset(char *out, size_t len, int64_t ms, int offset)
{
	char iso[CLOCK_ISO_OFFSET_LEN];

	clock_iso_offset(iso, ms, offset);
	snprintf(out, len, "%.10s %.5s %s", iso, iso + 11, iso + 23);
}

int
clock_parse_local(const char *s, int64_t *ms, int *offset)
{
	static const char shape[] = "0000-00-00 00:00";
	struct tm tm;
	time_t t;
	size_t i;

	for (i = 0; i < sizeof shape - 1; i++) {
		if (s[i] == '\0' || (shape[i] != '0' && s[i] != shape[i]) ||
		    (shape[i] == '0' && (s[i] < '0' || s[i] > '9')))
			return -1;
	}
	if (s[i] != '\0')
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = clock_digits(s, 4) - 1900;
	tm.tm_mon = clock_digits(s + 5, 2) - 1;
	tm.tm_mday = clock_digits(s + 8, 2);
	tm.tm_hour = clock_digits(s + 11, 2);
	tm.tm_min = clock_digits(s + 14, 2);
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	/* mktime moves 30 February to March and a time a clock change
	 * skipped to another hour: neither is the time given. */
	if (tm.tm_year != clock_digits(s, 4) - 1900 ||
	    tm.tm_mon != clock_digits(s + 5, 2) - 1 ||
	    tm.tm_mday != clock_digits(s + 8, 2) ||
	    tm.tm_hour != clock_digits(s + 11, 2) ||
	    tm.tm_min != clock_digits(s + 14, 2))
		return -1;
	*ms = (int64_t)t * 1000;
	*offset = (int)(tm.tm_gmtoff / 60);
	return 0;
}
