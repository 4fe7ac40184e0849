/*
 * clock: milliseconds since the epoch and their ISO 8601 form, both ways,
 * and nothing but that form accepted.
 */
#include "unit.h"

#include <stdlib.h>
#include <time.h>

#include "anfang/clock.h"

/* clock_iso then clock_parse_iso gives ms back; the text is want. */
static void
round_trip(int64_t ms, const char *want)
{
	char out[CLOCK_ISO_LEN];
	int64_t back = -42;

	memset(out, 'x', sizeof out);
	clock_iso(out, ms);
	assert_int_equal(strlen(out), CLOCK_ISO_LEN - 1);
	assert_string_equal(out, want);
	assert_int_equal(clock_parse_iso(out, &back), 0);
	assert_int_equal(back, ms);
}

static void
test_iso_known(void **state)
{
	(void)state;
	round_trip(0, "1970-01-01T00:00:00.000Z");
	round_trip(1, "1970-01-01T00:00:00.001Z");
	round_trip(999, "1970-01-01T00:00:00.999Z");
	round_trip(86400000, "1970-01-02T00:00:00.000Z");
	round_trip(1795728204123LL, "2026-11-26T21:23:24.123Z");
	round_trip(1709164800000LL, "2024-02-29T00:00:00.000Z");
	round_trip(4102444799999LL, "2099-12-31T23:59:59.999Z");
	round_trip(4070908800000LL, "2099-01-01T00:00:00.000Z");
	round_trip(951782400000LL, "2000-02-29T00:00:00.000Z");
}

static void
test_iso_many(void **state)
{
	char out[CLOCK_ISO_LEN];
	int64_t ms, back;

	(void)state;
	/* every ms remainder and an awkward step through 130 years */
	for (ms = 0; ms < 4102444800000LL; ms += 977777777777LL / 1000 + 7) {
		clock_iso(out, ms);
		assert_int_equal(clock_parse_iso(out, &back), 0);
		assert_int_equal(back, ms);
	}
}

static void
rejects(const char *s)
{
	int64_t ms = 12345;

	if (clock_parse_iso(s, &ms) != -1) {
		fprintf(stderr, "  accepted \"%s\"\n", s);
		fail();
	}
	assert_int_equal(ms, 12345);
}

static void
test_parse_malformed(void **state)
{
	(void)state;
	rejects("");
	rejects("2026-11-26");
	rejects("2026-11-26T21:23:24Z");
	rejects("2026-11-26T21:23:24.123");
	rejects("2026-11-26T21:23:24.123+");
	rejects("2026-11-26T21:23:24.123z");
	rejects("2026-11-26 21:23:24.123Z");
	rejects("2026/11/26T21:23:24.123Z");
	rejects("2026-11-26T21:23:24,123Z");
	rejects("2026-11-26T21:23:24.123Z ");
	rejects("2026-11-26T21:23:24.123ZZ");
	rejects("2026-11-26T21:23:24.1234Z");
	rejects("2026-11-26T21:23:24.12Z");
	rejects("20261126T212324.123Z000");
	rejects("xxxx-11-26T21:23:24.123Z");
	rejects("2026-11-26T21:23:24.12aZ");
}

static void
test_parse_out_of_range(void **state)
{
	(void)state;
	/* the shape is right but the fields are not a real time: clock_iso
	 * never writes these, and they must not be normalised into some
	 * other time */
	rejects("2026-02-30T00:00:00.000Z");
	rejects("2026-13-01T00:00:00.000Z");
	rejects("2026-00-01T00:00:00.000Z");
	rejects("2026-01-00T00:00:00.000Z");
	rejects("2026-01-01T24:00:00.000Z");
	rejects("2026-01-01T00:60:00.000Z");
	rejects("2026-01-01T00:00:61.000Z");
	rejects("2026-01-01T00:00:60.000Z");
	rejects("2026-04-31T00:00:00.000Z");
	/* 29 February only in leap years: by 4, not by 100, by 400 */
	rejects("2025-02-29T00:00:00.000Z");
	rejects("2100-02-29T00:00:00.000Z");
	rejects("1900-02-29T00:00:00.000Z");
}

static void
test_parse_leap_days(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(clock_parse_iso("2024-02-29T12:00:00.000Z", &ms), 0);
	assert_int_equal(ms, 1709208000000LL);
	assert_int_equal(clock_parse_iso("2000-02-29T00:00:00.000Z", &ms), 0);
	assert_int_equal(ms, 951782400000LL);
	/* the day after is 1 March, 86,400 s on */
	assert_int_equal(clock_parse_iso("2000-03-01T00:00:00.000Z", &ms), 0);
	assert_int_equal(ms, 951782400000LL + 86400000);
	/* before 1970 too */
	assert_int_equal(clock_parse_iso("1969-12-31T23:59:59.999Z", &ms), 0);
	assert_int_equal(ms, -1);
	assert_int_equal(clock_parse_iso("1600-02-29T00:00:00.000Z", &ms), 0);
	assert_int_equal(ms, -11670998400000LL);
}

static void
test_parse_signs_spaces(void **state)
{
	(void)state;
	/* sscanf would take these: digits only */
	rejects(" 999-01-01T00:00:00.000Z");
	rejects("+999-01-01T00:00:00.000Z");
	rejects("2026-01-01T00:00:00.-01Z");
	rejects("2026-01-01T00:00:00.+12Z");
	rejects("2026-01-01T00:00: 0.000Z");
	rejects("2026-01-01T-1:00:00.000Z");
}

static void
test_now(void **state)
{
	int64_t before, now, after;

	(void)state;
	before = (int64_t)time(NULL) * 1000;
	now = clock_now();
	after = (int64_t)time(NULL) * 1000;
	assert_true(now >= before);
	assert_true(now < after + 1000);
	assert_true(now - before < 2000);
	/* later calls do not go back (barring a clock step) */
	assert_true(clock_now() >= now);
}

static void
test_local(void **state)
{
	char out[32];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	clock_local(out, sizeof out, 1795728204123LL);
	assert_string_equal(out, "2026-11-26 21:23");
	/* a fixed offset needs no zone database: UTC+8 */
	setenv("TZ", "CST-8", 1);
	tzset();
	clock_local(out, sizeof out, 1795728204123LL);
	assert_string_equal(out, "2026-11-27 05:23");
	unsetenv("TZ");
	tzset();
}

/* A local time with its offset: written, read back, and refused when it
 * is not exactly that form. */
static void
test_offset(void **state)
{
	static const char *const bad[] = { "2026-11-27T05:23:24.123Z",
		"2026-11-27T05:23:24.123+8:00", "2026-11-27T05:23:24.123+08:60",
		"2026-11-27T05:23:24.123+19:00",
		"2026-11-27T05:23:24.123 08:00", "2026-11-27T05:23:24+08:00",
		"2026-02-30T05:23:24.123+08:00",
		"2026-11-27T05:23:24.123+08:00x" };
	char out[CLOCK_ISO_OFFSET_LEN];
	int64_t ms;
	int off;
	size_t i;

	(void)state;
	clock_iso_offset(out, 1795728204123LL, 480);
	assert_string_equal(out, "2026-11-27T05:23:24.123+08:00");
	assert_int_equal(clock_parse_iso_offset(out, &ms, &off), 0);
	assert_true(ms == 1795728204123LL);
	assert_int_equal(off, 480);
	clock_iso_offset(out, 1795728204123LL, -210);
	assert_string_equal(out, "2026-11-26T17:53:24.123-03:30");
	assert_int_equal(clock_parse_iso_offset(out, &ms, &off), 0);
	assert_true(ms == 1795728204123LL);
	assert_int_equal(off, -210);
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (clock_parse_iso_offset(bad[i], &ms, &off) == 0)
			fail_msg("accepted %s", bad[i]);
	}
	clock_local_offset(out, sizeof out, 1795728204123LL, 480);
	assert_string_equal(out, "2026-11-27 05:23 +08:00");
}

/* "YYYY-MM-DD HH:MM" in the local zone, with the zone's offset then. */
static void
test_parse_local(void **state)
{
	static const char *const bad[] = { "2026-11-27", "2026-11-27 5:23",
		"2026-11-27T05:23", "2026-11-27 05:23:00", "2026-02-30 05:23",
		"2026-11-27 24:00", "2026-13-01 00:00", "2026-11-27 05:60",
		" 2026-11-27 05:23", "2026-11-27 05:2x" };
	int64_t ms;
	int off;
	size_t i;

	(void)state;
	setenv("TZ", "CST-8", 1);
	tzset();
	assert_int_equal(clock_parse_local("2026-11-27 05:23", &ms, &off), 0);
	assert_true(ms == 1795728180000LL);
	assert_int_equal(off, 480);
	assert_int_equal(clock_offset(ms), 480);
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (clock_parse_local(bad[i], &ms, &off) == 0)
			fail_msg("accepted %s", bad[i]);
	}
	unsetenv("TZ");
	tzset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_known),
		cmocka_unit_test(test_iso_many),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_out_of_range),
		cmocka_unit_test(test_parse_leap_days),
		cmocka_unit_test(test_parse_signs_spaces),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_parse_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
