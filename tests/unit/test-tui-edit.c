/*
 * tui-edit: the line editor's key handling, without a terminal (only
 * curses' key codes are used): UTF-8 and wide characters, cursor moves,
 * deleting whole characters, limits, accepted characters, several lines;
 * full-width digits and stops in numbers, keys refused where it shows, a
 * suggestion that typing replaces, and times of one-digit hours; what a
 * typed filter finds; and a long run of mixed keys that never leaves the
 * text invalid.
 */
#include "unit.h"

#include <locale.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/tui-edit.h"
#include "anfang/tui.h"
#include "anfang/utf8.h"

static void
type(struct tui_edit *e, const wchar_t *s)
{
	for (; *s != L'\0'; s++)
		assert_int_equal(tui_edit_key(e, (int)*s, 0), TUI_EDIT_GOING);
}

static void
test_typing_chinese(void **state)
{
	struct tui_edit e = { 0 };

	(void)state;
	tui_edit_init(&e, "", 0, 0, NULL);
	type(&e, L"窗口5號");
	assert_string_equal(e.buf, "窗口5號");
	assert_int_equal(e.len, strlen("窗口5號"));
	assert_int_equal(e.cursor, e.len);
	/* Backspace takes a whole character, not a byte */
	assert_int_equal(tui_edit_key(&e, 127, 0), TUI_EDIT_GOING);
	assert_string_equal(e.buf, "窗口5");
	assert_int_equal(tui_edit_key(&e, KEY_BACKSPACE, 1), TUI_EDIT_GOING);
	assert_string_equal(e.buf, "窗口");
	tui_edit_free(&e);
}

static void
test_cursor_moves(void **state)
{
	struct tui_edit e = { 0 };

	(void)state;
	tui_edit_init(&e, "甲乙丙", 0, 0, NULL);
	assert_int_equal(e.cursor, 9);
	tui_edit_key(&e, KEY_LEFT, 1);
	assert_int_equal(e.cursor, 6);
	tui_edit_key(&e, KEY_LEFT, 1);
	type(&e, L"x");
	assert_string_equal(e.buf, "甲x乙丙");
	tui_edit_key(&e, KEY_HOME, 1);
	assert_int_equal(e.cursor, 0);
	tui_edit_key(&e, KEY_LEFT, 1); /* stays at the start */
	assert_int_equal(e.cursor, 0);
	tui_edit_key(&e, KEY_DC, 1); /* delete under the cursor */
	assert_string_equal(e.buf, "x乙丙");
	tui_edit_key(&e, KEY_END, 1);
	tui_edit_key(&e, KEY_RIGHT, 1); /* stays at the end */
	assert_int_equal(e.cursor, e.len);
	tui_edit_key(&e, TUI_CTRL('a'), 0);
	assert_int_equal(e.cursor, 0);
	tui_edit_key(&e, TUI_CTRL('e'), 0);
	tui_edit_key(&e, KEY_LEFT, 1);
	tui_edit_key(&e, TUI_CTRL('u'), 0); /* kill to the start */
	assert_string_equal(e.buf, "丙");
	tui_edit_free(&e);
}

static void
test_enter_escape(void **state)
{
	struct tui_edit e = { 0 };

	(void)state;
	tui_edit_init(&e, "a", 0, 0, NULL);
	assert_int_equal(tui_edit_key(&e, '\r', 0), TUI_EDIT_DONE);
	assert_int_equal(tui_edit_key(&e, KEY_ENTER, 1), TUI_EDIT_DONE);
	assert_int_equal(tui_edit_key(&e, TUI_ESC, 0), TUI_EDIT_CANCEL);
	assert_int_equal(tui_edit_key(&e, KEY_F(5), 1), TUI_EDIT_IGNORED);
	assert_int_equal(tui_edit_key(&e, TUI_CTRL('l'), 0), TUI_EDIT_IGNORED);
	assert_string_equal(e.buf, "a");
	tui_edit_free(&e);

	/* several lines: Enter is a new line, Ctrl-D keeps it */
	tui_edit_init(&e, "", 1, 0, NULL);
	type(&e, L"一");
	assert_int_equal(tui_edit_key(&e, '\r', 0), TUI_EDIT_GOING);
	type(&e, L"二");
	assert_string_equal(e.buf, "一\n二");
	assert_int_equal(tui_edit_key(&e, TUI_CTRL('d'), 0), TUI_EDIT_DONE);
	tui_edit_free(&e);
}

static void
test_limits(void **state)
{
	struct tui_edit e = { 0 };

	(void)state;
	/* max_chars counts characters, not bytes */
	tui_edit_init(&e, "", 0, 3, NULL);
	type(&e, L"政務服");
	tui_edit_key(&e, L'務', 0);
	assert_string_equal(e.buf, "政務服");
	tui_edit_free(&e);

	/* a number takes digits, '.' and '-' only */
	tui_edit_init(&e, "", 0, 0, "0123456789.-");
	type(&e, L"1a2.5x");
	assert_string_equal(e.buf, "12.5");
	tui_edit_key(&e, L'元', 0); /* nor anything beyond ASCII */
	assert_string_equal(e.buf, "12.5");
	tui_edit_free(&e);

	/* surrogates and out-of-range code points are not inserted */
	tui_edit_init(&e, "", 0, 0, NULL);
	tui_edit_key(&e, 0xd800, 0);
	tui_edit_key(&e, 0x110000, 0);
	assert_string_equal(e.buf, "");
	tui_edit_key(&e, 0x1f600, 0);
	assert_string_equal(e.buf, "\xf0\x9f\x98\x80");
	tui_edit_free(&e);
}

/* Typed into a number editor, from empty. */
static void
number(const wchar_t *typed, const char *want)
{
	struct tui_edit e = { 0 };

	tui_edit_init(&e, "", 0, 32, "0123456789.-");
	type(&e, typed);
	assert_string_equal(e.buf, want);
	tui_edit_free(&e);
}

static void
test_number_fullwidth(void **state)
{
	(void)state;
	/* what a Chinese input method gives: full-width digits, the
	 * ideographic full stop (and the full-width one), full-width minus */
	number(L"２００", "200");
	number(L"12。5", "12.5");
	number(L"１２。５", "12.5");
	number(L"３．１４", "3.14");
	number(L"１２｡５", "12.5");
	number(L"－７", "-7");
	number(L"\x2212"
	       L"7",
	    "-7");
	assert_int_equal(tui_edit_takes("0123456789.-", L'９'), '9');
	assert_int_equal(tui_edit_takes("0123456789.-", L'。'), '.');
	assert_int_equal(tui_edit_takes("0123456789:", L'：'), ':');
	/* only what the field takes: no point in a time, no colon in a
	 * number, no letters, no full-width letters */
	assert_int_equal(tui_edit_takes("0123456789:", L'。'), 0);
	assert_int_equal(tui_edit_takes("0123456789.-", L'：'), 0);
	assert_int_equal(tui_edit_takes("0123456789.-", 'e'), 0);
	assert_int_equal(tui_edit_takes("0123456789.-", L'ｅ'), 0);
	assert_int_equal(tui_edit_takes("0123456789.-", ' '), 0);
}

static void
test_refused_visibly(void **state)
{
	struct tui_edit e = { 0 };

	(void)state;
	tui_edit_init(&e, "", 0, 32, "0123456789.-");
	type(&e, L"1");
	assert_string_equal(e.note, "");
	/* 'e' is not taken, and the note says so and what is */
	assert_int_equal(tui_edit_key(&e, 'e', 0), TUI_EDIT_GOING);
	assert_string_equal(e.buf, "1");
	assert_non_null(strstr(e.note, "\"e\""));
	assert_non_null(strstr(e.note, "0-9 . -"));
	/* a Chinese character too, shown back as typed */
	tui_edit_key(&e, L'元', 0);
	assert_non_null(strstr(e.note, "\"元\""));
	/* the next key taken clears the note */
	type(&e, L"3");
	assert_string_equal(e.buf, "13");
	assert_string_equal(e.note, "");
	tui_edit_free(&e);

	/* a date, a time */
	tui_edit_init(&e, "", 0, 32, "0123456789-");
	tui_edit_key(&e, '/', 0);
	assert_non_null(strstr(e.note, "0-9 -"));
	tui_edit_free(&e);
	tui_edit_init(&e, "", 0, 32, "0123456789:");
	tui_edit_key(&e, '.', 0);
	assert_non_null(strstr(e.note, "0-9 :"));
	tui_edit_free(&e);

	/* past the limit: said, not dropped unseen */
	tui_edit_init(&e, "", 0, 2, NULL);
	type(&e, L"窗口");
	assert_string_equal(e.note, "");
	tui_edit_key(&e, L'人', 0);
	assert_string_equal(e.buf, "窗口");
	assert_non_null(strstr(e.note, "2"));
	tui_edit_free(&e);
}

static void
test_suggestion(void **state)
{
	struct tui_edit e = { 0 };

	(void)state;
	/* the time editor opens with now selected: typing replaces it */
	tui_edit_init(&e, "19:40", 0, 32, "0123456789:");
	tui_edit_select(&e);
	type(&e, L"11:49");
	assert_string_equal(e.buf, "11:49");
	assert_int_equal(e.selected, 0);
	/* after the first character, typing goes on as usual */
	tui_edit_key(&e, KEY_BACKSPACE, 1);
	assert_string_equal(e.buf, "11:4");
	tui_edit_free(&e);

	/* Enter keeps the suggestion */
	tui_edit_init(&e, "2026-12-04", 0, 32, "0123456789-");
	tui_edit_select(&e);
	assert_int_equal(tui_edit_key(&e, '\r', 0), TUI_EDIT_DONE);
	assert_string_equal(e.buf, "2026-12-04");
	tui_edit_free(&e);

	/* a refused key leaves it selected */
	tui_edit_init(&e, "19:40", 0, 32, "0123456789:");
	tui_edit_select(&e);
	tui_edit_key(&e, 'x', 0);
	assert_string_equal(e.buf, "19:40");
	assert_int_equal(e.selected, 1);
	/* Backspace takes it all */
	tui_edit_key(&e, 127, 0);
	assert_string_equal(e.buf, "");
	type(&e, L"９:05");
	assert_string_equal(e.buf, "9:05");
	tui_edit_free(&e);

	/* a move ends the selection: the suggestion is edited */
	tui_edit_init(&e, "2026-12-04", 0, 32, "0123456789-");
	tui_edit_select(&e);
	tui_edit_key(&e, KEY_LEFT, 1);
	assert_int_equal(e.selected, 0);
	tui_edit_key(&e, KEY_BACKSPACE, 1);
	type(&e, L"1");
	assert_string_equal(e.buf, "2026-12-14");
	tui_edit_free(&e);

	/* nothing to select in an empty field */
	tui_edit_init(&e, "", 0, 32, "0123456789:");
	tui_edit_select(&e);
	assert_int_equal(e.selected, 0);
	tui_edit_free(&e);
}

/* tui_edit_pad_time of text. */
static void
padded(const char *text, const char *want)
{
	struct tui_edit e = { 0 };

	tui_edit_init(&e, text, 0, 32, "0123456789:");
	tui_edit_pad_time(&e);
	assert_string_equal(e.buf, want);
	tui_edit_free(&e);
}

static void
test_time_one_digit_hour(void **state)
{
	(void)state;
	padded("9:05", "09:05");
	padded("0:00", "00:00");
	padded("09:05", "09:05");
	padded("19:05", "19:05");
	/* not a time of that shape: left for the form to refuse */
	padded("9:5", "9:5");
	padded("905", "905");
	padded(":905", ":905");
	padded("", "");
}

static void
test_match(void **state)
{
	(void)state;
	/* a plain substring, in the name or the id */
	assert_int_equal(tui_edit_match("稅務", "西城區稅務局", "xc-tax"), 1);
	assert_int_equal(tui_edit_match("xc-t", "西城區稅務局", "xc-tax"), 1);
	assert_int_equal(tui_edit_match("", "西城區稅務局", NULL), 1);
	assert_int_equal(tui_edit_match("  ", "西城區稅務局", NULL), 1);
	/* every word, in any order, each in the name or the id */
	assert_int_equal(tui_edit_match("稅務 西城", "西城區稅務局", NULL), 1);
	assert_int_equal(tui_edit_match("稅務　西城", "西城區稅務局", NULL), 1);
	assert_int_equal(
	    tui_edit_match("tax 西城", "西城區稅務局", "xc-tax"), 1);
	assert_int_equal(
	    tui_edit_match("office TAX", "West City Tax Office", NULL), 1);
	assert_int_equal(
	    tui_edit_match("office rates", "West City Tax Office", NULL), 0);
	assert_int_equal(tui_edit_match("稅務 東城", "西城區稅務局", NULL), 0);
	/* Chinese without spaces: the characters in order, others between */
	assert_int_equal(tui_edit_match("西城稅務", "西城區稅務局", NULL), 2);
	assert_int_equal(
	    tui_edit_match("海淀稅務所", "海淀區稅務局第一稅務所", "hd-tax-1"),
	    2);
	assert_int_equal(tui_edit_match("稅務西城", "西城區稅務局", NULL), 0);
	assert_int_equal(tui_edit_match("西城稅所", "西城區稅務局", NULL), 0);
	/* ASCII is never matched with letters left out */
	assert_int_equal(
	    tui_edit_match("wcto", "West City Tax Office", NULL), 0);
	assert_int_equal(tui_edit_match("西城x", "西城區x", NULL), 0);
}

static unsigned long rnd_state = 20261204;

static unsigned long
rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
	return rnd_state >> 33;
}

/* Keys of every sort, the editing ones more often. */
static void
random_key(int *ch, int *iskey)
{
	static const long chars[] = { 'a', '1', '9', '.', '-', ':', ' ', 'e',
		0x7a97, 0x3002, 0xff10, 0xff19, 0xff0e, 0xff0d, 0xff1a, 0x3000,
		0x1f600, 0x20000, 0xd800, 0x110000, 0x0301, 0x85, 1, 8, 21, 127,
		'\r', 4, 27 };
	static const int keys[] = { KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END,
		KEY_BACKSPACE, KEY_DC, KEY_ENTER, KEY_F(3) };

	*iskey = rnd() % 4 == 0;
	if (*iskey)
		*ch = keys[rnd() % (sizeof keys / sizeof keys[0])];
	else
		*ch = (int)chars[rnd() % (sizeof chars / sizeof chars[0])];
}

static void
test_random_keys(void **state)
{
	static const char *const accepts[] = { NULL, "0123456789.-",
		"0123456789-", "0123456789:" };
	struct tui_edit e = { 0 };
	size_t a, i, j;
	int ch, iskey;

	(void)state;
	for (a = 0; a < 4; a++) {
		for (i = 0; i < 20; i++) {
			/* several lines only for text, as in the form */
			tui_edit_init(&e, i % 2 ? "1940" : "",
			    accepts[a] == NULL && i % 3 == 0, i % 5 ? 12 : 0,
			    accepts[a]);
			if (i % 4 == 0)
				tui_edit_select(&e);
			for (j = 0; j < 2000; j++) {
				random_key(&ch, &iskey);
				tui_edit_key(&e, ch, iskey);
				assert_int_equal(strlen(e.buf), e.len);
				assert_int_equal(
				    utf8_check(e.buf, e.len), e.len);
				assert_true(e.cursor <= e.len);
				assert_true(e.cursor == e.len ||
				            (e.buf[e.cursor] & 0xc0) != 0x80);
				assert_true(strlen(e.note) < sizeof e.note);
				if (e.max_chars)
					assert_true(utf8_length(e.buf, e.len) <=
					            e.max_chars);
				if (accepts[a] != NULL)
					assert_int_equal(
					    strspn(e.buf, accepts[a]), e.len);
				if (j % 97 == 0)
					(void)tui_edit_match(
					    e.buf, "西城區稅務局", "xc-tax");
			}
		}
	}
	tui_edit_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing_chinese),
		cmocka_unit_test(test_cursor_moves),
		cmocka_unit_test(test_enter_escape),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_number_fullwidth),
		cmocka_unit_test(test_refused_visibly),
		cmocka_unit_test(test_suggestion),
		cmocka_unit_test(test_time_one_digit_hour),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_random_keys),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
