/*
 * tui-edit: the line editor's key handling, without a terminal (only
 * curses' key codes are used): UTF-8 and wide characters, cursor moves,
 * deleting whole characters, limits, accepted characters, several lines.
 */
#include "unit.h"

#include <locale.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "anfang/tui-edit.h"
#include "anfang/tui.h"

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
	tui_edit_key(&e, L'５', 0); /* a fullwidth digit is not one */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing_chinese),
		cmocka_unit_test(test_cursor_moves),
		cmocka_unit_test(test_enter_escape),
		cmocka_unit_test(test_limits),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
