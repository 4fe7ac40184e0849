/*
 * utf8: validity by RFC 3629 (the offset of the first invalid byte, which
 * for a malformed sequence is the byte that starts it), line:column
 * positions and lengths, both counted in characters; the one encoder (every
 * length, and nothing for what is not a character or does not fit) and
 * stepping over whole characters.
 */
#include "unit.h"

#include "anfang/utf8.h"

/* utf8_check over the whole of a string literal, NULs included. */
#define CHECK(lit) utf8_check((lit), sizeof(lit) - 1)

static void
test_ascii(void **state)
{
	(void)state;
	assert_int_equal(CHECK(""), 0);
	assert_int_equal(CHECK("hello, world\n"), 13);
	assert_int_equal(CHECK("\x01\x7f"), 2);
	/* NUL is a valid code point; the loader rejects it separately. */
	assert_int_equal(CHECK("a\0b"), 3);
}

static void
test_valid_multibyte(void **state)
{
	(void)state;
	/* 2 bytes: é (U+00E9), and the smallest, U+0080. */
	assert_int_equal(CHECK("caf\xc3\xa9"), 5);
	assert_int_equal(CHECK("\xc2\x80"), 2);
	assert_int_equal(CHECK("\xdf\xbf"), 2);
	/* 3 bytes: 政務, U+0800 and the last before/after the surrogates. */
	assert_int_equal(CHECK("政務"), 6);
	assert_int_equal(CHECK("\xe6\x94\xbf\xe5\x8b\x99"), 6);
	assert_int_equal(CHECK("\xe0\xa0\x80"), 3);
	assert_int_equal(CHECK("\xed\x9f\xbf"), 3);
	assert_int_equal(CHECK("\xee\x80\x80"), 3);
	assert_int_equal(CHECK("\xef\xbf\xbf"), 3);
	/* 4 bytes: 😀 (U+1F600), U+10000 and U+10FFFF. */
	assert_int_equal(CHECK("\xf0\x9f\x98\x80"), 4);
	assert_int_equal(CHECK("ok 😀!"), 8);
	assert_int_equal(CHECK("\xf0\x90\x80\x80"), 4);
	assert_int_equal(CHECK("\xf4\x8f\xbf\xbf"), 4);
	/* All mixed. */
	assert_int_equal(CHECK("a\xc3\xa9政😀z"), 11);
}

static void
test_overlong(void **state)
{
	(void)state;
	/* C0 80 and C1 BF: two-byte forms of ASCII. */
	assert_int_equal(CHECK("\xc0\x80"), 0);
	assert_int_equal(CHECK("ab\xc0\x80"), 2);
	assert_int_equal(CHECK("\xc1\xbf"), 0);
	/* E0 80 80 (U+0000) and E0 9F BF (U+07FF) in three bytes. */
	assert_int_equal(CHECK("\xe0\x80\x80"), 0);
	assert_int_equal(CHECK("x\xe0\x80\x80"), 1);
	assert_int_equal(CHECK("xy\xe0\x9f\xbf"), 2);
	/* F0 80 80 80 and F0 8F BF BF (U+FFFF) in four bytes. */
	assert_int_equal(CHECK("\xf0\x80\x80\x80"), 0);
	assert_int_equal(CHECK("政\xf0\x8f\xbf\xbf"), 3);
}

static void
test_surrogates(void **state)
{
	(void)state;
	assert_int_equal(CHECK("\xed\xa0\x80"), 0);    /* U+D800 */
	assert_int_equal(CHECK("abc\xed\xa0\x80"), 3); /* U+D800 */
	assert_int_equal(CHECK("a\xed\xbf\xbf"), 1);   /* U+DFFF */
	/* A CESU-8 pair for 😀 is two surrogates, not a character. */
	assert_int_equal(CHECK("\xed\xa0\xbd\xed\xb8\x80"), 0);
}

static void
test_beyond_unicode(void **state)
{
	(void)state;
	assert_int_equal(CHECK("\xf4\x90\x80\x80"), 0); /* U+110000 */
	assert_int_equal(CHECK("ab\xf4\x90\x80\x80"), 2);
	assert_int_equal(CHECK("\xf5\x80\x80\x80"), 0);
	assert_int_equal(CHECK("\xf7\xbf\xbf\xbf"), 0);
	/* Old five- and six-byte forms, and bytes never used. */
	assert_int_equal(CHECK("a\xf8\x88\x80\x80\x80"), 1);
	assert_int_equal(CHECK("a\xfc\x84\x80\x80\x80\x80"), 1);
	assert_int_equal(CHECK("ok\xfe"), 2);
	assert_int_equal(CHECK("ok\xff"), 2);
}

static void
test_truncated(void **state)
{
	(void)state;
	assert_int_equal(CHECK("a\xc3"), 1);
	assert_int_equal(CHECK("ab\xe6\x94"), 2);
	assert_int_equal(CHECK("ab\xe6"), 2);
	assert_int_equal(CHECK("\xf0\x9f\x98"), 0);
	assert_int_equal(CHECK("政\xf0\x9f"), 3);
	/* len cuts a sequence that the buffer goes on to complete. */
	assert_int_equal(utf8_check("政務", 5), 3);
	assert_int_equal(utf8_check("\xf0\x9f\x98\x80", 3), 0);
	assert_int_equal(utf8_check("ab\xc3\xa9", 3), 2);
	/* A sequence interrupted by ASCII before its end. */
	assert_int_equal(CHECK("x\xe6\x94y"), 1);
	assert_int_equal(CHECK("\xf0\x9f\x98 "), 0);
}

static void
test_stray_continuation(void **state)
{
	(void)state;
	assert_int_equal(CHECK("\x80"), 0);
	assert_int_equal(CHECK("a\x80"
	                       "b"),
	    1);
	assert_int_equal(CHECK("abc\xbf"), 3);
	/* One continuation byte too many after a complete character. */
	assert_int_equal(CHECK("\xc3\xa9\xa9"), 2);
	assert_int_equal(CHECK("政\x8b"), 3);
	assert_int_equal(CHECK("😀\x80"), 4);
}

static void
test_first_of_several(void **state)
{
	(void)state;
	/* The first bad byte is reported, not a later one. */
	assert_int_equal(CHECK("ok\x80 then \xff"), 2);
	assert_int_equal(CHECK("政務 \xed\xa0\x80 \xc0\x80"), 7);
}

static void
test_position_ascii(void **state)
{
	int line, col;

	(void)state;
	utf8_position("abc", 3, 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	utf8_position("abc", 3, 2, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 3);
	/* The end of the text is a position too. */
	utf8_position("abc", 3, 3, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 4);
}

static void
test_position_characters(void **state)
{
	const char s[] = "政務x";
	const char e[] = "😀y";
	int line, col;

	(void)state;
	/* x is at byte 6 but column 3. */
	utf8_position(s, sizeof s - 1, 6, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 3);
	utf8_position(s, sizeof s - 1, 3, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 2);
	utf8_position(e, sizeof e - 1, 4, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 2);
	utf8_position("caf\xc3\xa9!", 6, 5, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 5);
}

static void
test_position_lines(void **state)
{
	const char s[] = "ab\n政務\n\nx政y";
	int line, col;

	(void)state;
	/* The newline itself ends its line. */
	utf8_position(s, sizeof s - 1, 2, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 3);
	/* 政 starts line 2, 務 is its second column. */
	utf8_position(s, sizeof s - 1, 3, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	utf8_position(s, sizeof s - 1, 6, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	/* An empty line. */
	utf8_position(s, sizeof s - 1, 10, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	/* y, after x and 政 on line 4: column counts restart per line. */
	utf8_position(s, sizeof s - 1, 15, &line, &col);
	assert_int_equal(s[15], 'y');
	assert_int_equal(line, 4);
	assert_int_equal(col, 3);
}

static void
test_position_past_end(void **state)
{
	int line, col;

	(void)state;
	/* An offset past the end is the end. */
	utf8_position("a\nbc", 4, 100, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 3);
	utf8_position("", 0, 5, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
}

static void
test_position_of_bad_byte(void **state)
{
	const char s[] = "id: 政\n  x: \xff";
	size_t bad = utf8_check(s, sizeof s - 1);
	int line, col;

	(void)state;
	/* How the loader reports invalid UTF-8: check, then position. */
	assert_int_equal(bad, 13);
	utf8_position(s, sizeof s - 1, bad, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 6);
}

static void
test_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length("abc", 3), 3);
	assert_int_equal(utf8_length("caf\xc3\xa9", 5), 4);
	assert_int_equal(utf8_length("政務x", 7), 3);
	assert_int_equal(utf8_length("😀😀", 8), 2);
	assert_int_equal(utf8_length("a\nb", 3), 3);
	/* Only len bytes count. */
	assert_int_equal(utf8_length("政務x", 3), 1);
}

/* utf8_encode of cp is the n bytes of want, and checks as valid. */
static void
encodes(long cp, const char *want)
{
	char out[4] = { 0 };
	size_t n = strlen(want);

	assert_int_equal(utf8_encode(cp, out, sizeof out), n);
	assert_memory_equal(out, want, n);
	assert_int_equal(utf8_check(out, n), n);
	/* one byte short of room: nothing written, nothing counted */
	memset(out, 0, sizeof out);
	assert_int_equal(utf8_encode(cp, out, n - 1), 0);
	assert_memory_equal(out, "\0\0\0\0", 4);
}

static void
test_encode(void **state)
{
	char out[4];

	(void)state;
	encodes('a', "a");
	encodes(0x7f, "\x7f");
	encodes(0x80, "\xc2\x80");
	encodes(0xe9, "é");
	encodes(0x7ff, "\xdf\xbf");
	encodes(0x800, "\xe0\xa0\x80");
	encodes(0x653f, "政");
	encodes(0x3002, "。");
	encodes(0xffff, "\xef\xbf\xbf");
	/* beyond the BMP: emoji and CJK Extension B, as passphrases use */
	encodes(0x10000, "\xf0\x90\x80\x80");
	encodes(0x1f600, "😀");
	encodes(0x20000, "𠀀");
	encodes(0x20001, "𠀁");
	encodes(0x10ffff, "\xf4\x8f\xbf\xbf");
	/* not characters */
	assert_int_equal(utf8_encode(-1, out, sizeof out), 0);
	assert_int_equal(utf8_encode(0xd800, out, sizeof out), 0);
	assert_int_equal(utf8_encode(0xdfff, out, sizeof out), 0);
	assert_int_equal(utf8_encode(0x110000, out, sizeof out), 0);
}

static void
test_prev_next(void **state)
{
	const char *s = "a😀政b";
	size_t len = strlen(s);

	(void)state;
	assert_int_equal(utf8_next(s, len, 0), 1);
	assert_int_equal(utf8_next(s, len, 1), 5);
	assert_int_equal(utf8_next(s, len, 5), 8);
	assert_int_equal(utf8_next(s, len, 8), 9);
	assert_int_equal(utf8_next(s, len, 9), 9);
	assert_int_equal(utf8_prev(s, 9), 8);
	assert_int_equal(utf8_prev(s, 8), 5);
	assert_int_equal(utf8_prev(s, 5), 1);
	assert_int_equal(utf8_prev(s, 1), 0);
	assert_int_equal(utf8_prev(s, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_valid_multibyte),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_surrogates),
		cmocka_unit_test(test_beyond_unicode),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_stray_continuation),
		cmocka_unit_test(test_first_of_several),
		cmocka_unit_test(test_position_ascii),
		cmocka_unit_test(test_position_characters),
		cmocka_unit_test(test_position_lines),
		cmocka_unit_test(test_position_past_end),
		cmocka_unit_test(test_position_of_bad_byte),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_prev_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
