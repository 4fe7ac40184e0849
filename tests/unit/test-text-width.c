/*
 * text-width: columns of UTF-8 text in C.UTF-8 (wide CJK and emoji,
 * zero-width combining marks, control characters, bidi controls and
 * invalid bytes shown as their escapes "\x1b", "\u202e", as diag_visible
 * prints them), cutting without splitting a character or an escape, cells
 * padded and cut with an ellipsis, wrapping at spaces or between CJK
 * characters, and the ASCII mode where everything else is '?'.
 */
#include "unit.h"

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "anfang/text-width.h"
#include "anfang/utf8.h"

#define ELL "\xe2\x80\xa6" /* U+2026 */

/* A mixed string: ASCII, CJK, emoji, a combining mark, fullwidth forms,
 * a control character and an invalid byte. */
static const char mixed[] = "ab 政務 e\xcc\x81 \xf0\x9f\x98\x80 "
                            "\xef\xbc\xa1\xef\xbc\xa2 x\ty\xff z 服務中心";

static int
group_setup(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "no C.UTF-8 locale\n");
		return -1;
	}
	return 0;
}

static int
utf8_setup(void **state)
{
	(void)state;
	text_width_init(1);
	return 0;
}

static int
ascii_setup(void **state)
{
	(void)state;
	text_width_init(0);
	return 0;
}

/* Whether s is valid UTF-8 with no C0, DEL or C1 control character: safe
 * to send to a terminal. */
static int
displayable(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i;

	if (utf8_check(s, len) != len)
		return 0;
	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return 0;
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] < 0xa0)
			return 0;
	}
	return 1;
}

/* Whether s is pure ASCII with no control character. */
static int
printable_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	}
	return 1;
}

/* s without the characters in drop.  Caller frees. */
static char *
without(const char *s, const char *drop)
{
	char *r = malloc(strlen(s) + 1), *o = r;

	assert_non_null(r);
	for (; *s != '\0'; s++) {
		if (strchr(drop, *s) == NULL)
			*o++ = *s;
	}
	*o = '\0';
	return r;
}

static void
assert_cell(
    const char *s, size_t cols, int pad, int ellipsis, const char *expect)
{
	char *c = text_width_cell(s, cols, pad, ellipsis), got[256];

	/* copied and freed first: a failing assertion leaks nothing */
	snprintf(got, sizeof got, "%s", c);
	free(c);
	assert_string_equal(got, expect);
}

static void
assert_fit(const char *s, size_t cols, size_t bytes, size_t used)
{
	size_t u = 12345;

	assert_int_equal(text_width_fit(s, cols, &u), bytes);
	assert_int_equal(u, used);
	/* used may be NULL */
	assert_int_equal(text_width_fit(s, cols, NULL), bytes);
}

static void
free_lines(char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/*
 * The lines of s wrapped in cols, joined with '|' (trailing spaces dropped
 * when trim), in a static buffer: a failing assertion leaks nothing.
 */
static const char *
wrap_join(const char *s, size_t cols, int trim)
{
	static char buf[1024];
	char **lines;
	size_t n, i, len = 0, k;

	buf[0] = '\0';
	n = text_width_wrap(s, cols, &lines);
	for (i = 0; i < n; i++) {
		k = strlen(lines[i]);
		while (trim && k > 0 && lines[i][k - 1] == ' ')
			k--;
		if (len + k + 2 < sizeof buf) {
			if (i > 0)
				buf[len++] = '|';
			memcpy(buf + len, lines[i], k);
			len += k;
			buf[len] = '\0';
		}
	}
	free_lines(lines, n);
	return buf;
}

/* A small fixed-seed PRNG (xorshift32): the same strings on every run. */
static uint32_t prng_state = 2463534242u;

static uint32_t
prng(void)
{
	prng_state ^= prng_state << 13;
	prng_state ^= prng_state >> 17;
	prng_state ^= prng_state << 5;
	return prng_state;
}

/* A random mix of words, CJK, emoji, marks, controls and bad bytes. */
static char *
generate(size_t pieces)
{
	static const char *const piece[] = { "the", "quick", "brown", "fox",
		"a", "inspection", " ", " ", " ", "  ", "政務", "服務中心",
		"窗口人員是否在崗", "\xf0\x9f\x98\x80", "e\xcc\x81", "\xcc\x81",
		"\n", "\n\n", "\t", "\x1b[31m", "\xff", "\xe6\x94",
		"\xef\xbc\xa1\xef\xbc\xa2", "-",
		"supercalifragilisticexpialidocious", "，", "12:30", "é" };
	size_t npiece = sizeof piece / sizeof piece[0], i, len = 0;
	char *s = malloc(pieces * 40 + 1);

	assert_non_null(s);
	for (i = 0; i < pieces; i++) {
		const char *p = piece[prng() % npiece];

		memcpy(s + len, p, strlen(p));
		len += strlen(p);
	}
	s[len] = '\0';
	return s;
}

/* ------------------------------------------------------------------ */

static void
test_width_ascii(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("a"), 1);
	assert_int_equal(text_width("hello, world"), 12);
	assert_int_equal(text_width(" ~"), 2);
	assert_int_equal(text_width_char('A'), 1);
	assert_int_equal(text_width_char(' '), 1);
	assert_int_equal(text_width_char('~'), 1);
	assert_int_equal(text_width_utf8(), 1);
}

static void
test_width_cjk(void **state)
{
	(void)state;
	assert_int_equal(text_width("政務"), 4);
	assert_int_equal(text_width("政"), 2);
	assert_int_equal(text_width("東城區政務服務中心"), 18);
	assert_int_equal(text_width("ab政務"), 6);
	/* CJK punctuation is wide too */
	assert_int_equal(text_width("，。"), 4);
	assert_int_equal(text_width_char(0x653f), 2); /* 政 */
}

static void
test_width_combining(void **state)
{
	(void)state;
	/* e + U+0301 COMBINING ACUTE ACCENT: one column */
	assert_int_equal(text_width("e\xcc\x81"), 1);
	assert_int_equal(text_width_char(0x301), 0);
	/* precomposed é is one column too */
	assert_int_equal(text_width("\xc3\xa9"), 1);
	/* two marks on one base */
	assert_int_equal(text_width("a\xcc\x81\xcc\x82z"), 2);
	/* a mark with no base takes no column */
	assert_int_equal(text_width("\xcc\x81"), 0);
}

static void
test_width_emoji(void **state)
{
	(void)state;
	assert_int_equal(text_width("\xf0\x9f\x98\x80"), 2); /* U+1F600 */
	assert_int_equal(text_width_char(0x1f600), 2);
	assert_int_equal(text_width("ok \xf0\x9f\x98\x80!"), 6);
}

static void
test_width_fullwidth(void **state)
{
	(void)state;
	/* U+FF21 FULLWIDTH LATIN CAPITAL LETTER A, U+FF11 FULLWIDTH ONE */
	assert_int_equal(text_width("\xef\xbc\xa1"), 2);
	assert_int_equal(text_width("\xef\xbc\x91\xef\xbc\x92"), 4);
	assert_int_equal(text_width_char(0xff21), 2);
	/* U+FF61 HALFWIDTH IDEOGRAPHIC FULL STOP is one column */
	assert_int_equal(text_width_char(0xff61), 1);
}

static void
test_width_controls(void **state)
{
	(void)state;
	/* each control character is shown as its escape: \x1b, \u0085 */
	assert_int_equal(text_width("\t"), 4);
	assert_int_equal(text_width("a\tb"), 6);
	assert_int_equal(text_width("\x1b[31m"), 8);
	assert_int_equal(text_width("\x7f"), 4);
	assert_int_equal(text_width("\r\n"), 8);
	assert_int_equal(text_width("\xc2\x85"), 6);     /* U+0085, C1 */
	assert_int_equal(text_width("\xc2\x9b"), 6);     /* U+009B, CSI */
	assert_int_equal(text_width("\xe2\x80\xae"), 6); /* U+202E, RLO */
	assert_int_equal(text_width_char(0), 4);
	assert_int_equal(text_width_char(0x1f), 4);
	assert_int_equal(text_width_char(0x7f), 4);
	assert_int_equal(text_width_char(0x9f), 6);
	assert_int_equal(text_width_char(0x2066), 6);
	assert_int_equal(text_width_char(-1), 4);
}

static void
test_width_invalid(void **state)
{
	(void)state;
	assert_int_equal(text_width("\xff"), 4);
	assert_int_equal(text_width("a\xffz"), 6);
	assert_int_equal(text_width("\x80"), 4);
	/* overlong and surrogate forms are invalid, at least one column */
	assert_true(text_width("\xc0\x80") >= 1);
	assert_true(text_width("\xed\xa0\x80") >= 1);
	/* a truncated 政 at the end, and in the middle */
	assert_true(text_width("\xe6\x94") >= 1);
	assert_true(text_width("\xe6\x94z") >= 2);
}

static void
test_decode(void **state)
{
	size_t n;

	(void)state;
	assert_int_equal(text_width_decode("A", 1, &n), 'A');
	assert_int_equal(n, 1);
	assert_int_equal(text_width_decode("\xc3\xa9", 2, &n), 0xe9);
	assert_int_equal(n, 2);
	assert_int_equal(text_width_decode("政", 3, &n), 0x653f);
	assert_int_equal(n, 3);
	assert_int_equal(text_width_decode("\xf0\x9f\x98\x80", 4, &n), 0x1f600);
	assert_int_equal(n, 4);
	/* invalid: -1, one byte consumed so that decoding goes on */
	assert_int_equal(text_width_decode("\xff", 1, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(text_width_decode("\xe6\x94", 2, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(text_width_decode("\xc0\x80", 2, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(text_width_decode("\xed\xa0\x80", 3, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(text_width_decode("\xf4\x90\x80\x80", 4, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(text_width_decode("", 0, &n), -1);
	assert_int_equal(n, 1);
}

/* ------------------------------------------------------------------ */

static void
test_fit_wide(void **state)
{
	(void)state;
	/* 政 does not fit in the third column: "ab" only */
	assert_fit("ab政務", 3, 2, 2);
	assert_fit("ab政務", 4, 5, 4);
	assert_fit("ab政務", 5, 5, 4);
	assert_fit("ab政務", 6, 8, 6);
	assert_fit("ab政務", 100, 8, 6);
	assert_fit("a政務", 3, 4, 3);
	assert_fit("政務", 1, 0, 0);
	assert_fit("政務", 2, 3, 2);
	assert_fit("政務", 3, 3, 2);
	assert_fit("政務", 0, 0, 0);
	assert_fit("\xf0\x9f\x98\x80z", 1, 0, 0);
	assert_fit("\xf0\x9f\x98\x80z", 2, 4, 2);
	assert_fit("", 5, 0, 0);
	assert_fit("abc", 0, 0, 0);
}

static void
test_fit_combining(void **state)
{
	(void)state;
	/* the mark stays with its base */
	assert_fit("e\xcc\x81x", 1, 3, 1);
	assert_fit("e\xcc\x81\xcc\x82x", 1, 5, 1);
	assert_fit("ae\xcc\x81", 1, 1, 1);
	assert_fit("ae\xcc\x81", 2, 4, 2);
	assert_fit("政\xcc\x81x", 2, 5, 2);
}

static void
test_fit_controls(void **state)
{
	(void)state;
	/* an escape is never cut */
	assert_fit("a\tb", 2, 1, 1);
	assert_fit("a\tb", 5, 2, 5);
	assert_fit("\xff\xffz", 7, 1, 4);
	assert_fit("\xff\xffz", 9, 3, 9);
}

/* For every width: a prefix on a character boundary, as long as it can be,
 * that never ends before a combining mark. */
static void
test_fit_property(void **state)
{
	const char *strings[] = { mixed, "ab政務", "政務服務中心",
		"e\xcc\x81\xcc\x82政\xf0\x9f\x98\x80ok", "" };
	size_t i, cols, off, used, n, len;
	long cp;
	char *prefix;

	(void)state;
	for (i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		len = strlen(strings[i]);
		for (cols = 0; cols <= 40; cols++) {
			off = text_width_fit(strings[i], cols, &used);
			assert_true(off <= len);
			assert_true(used <= cols);
			prefix = strndup(strings[i], off);
			assert_non_null(prefix);
			assert_int_equal(text_width(prefix), used);
			free(prefix);
			if (off == len)
				continue;
			/* the next character would not fit, and is not a
			 * mark left behind */
			cp = text_width_decode(strings[i] + off, len - off, &n);
			assert_true(text_width_char(cp) > 0);
			assert_true(used + (size_t)text_width_char(cp) > cols);
			/* off is at the start of a character */
			assert_true(
			    ((unsigned char)strings[i][off] & 0xc0) != 0x80);
		}
	}
}

/* ------------------------------------------------------------------ */

static void
test_cell_pad(void **state)
{
	(void)state;
	assert_cell("ab", 5, 1, 0, "ab   ");
	assert_cell("ab", 5, 0, 0, "ab");
	assert_cell("政務", 6, 1, 1, "政務  ");
	assert_cell("", 3, 1, 1, "   ");
	assert_cell("", 0, 1, 1, "");
	assert_cell("abc", 3, 1, 1, "abc");
	assert_cell("e\xcc\x81", 3, 1, 0, "e\xcc\x81  ");
}

static void
test_cell_cut(void **state)
{
	(void)state;
	/* without an ellipsis: cut at the width, wide characters whole */
	assert_cell("abcdef", 4, 1, 0, "abcd");
	assert_cell("ab政務", 3, 1, 0, "ab ");
	assert_cell("ab政務", 3, 0, 0, "ab");
	assert_cell("政務", 3, 1, 0, "政 ");
	/* with one: "…" takes the last column */
	assert_cell("abcdef", 4, 1, 1, "abc" ELL);
	assert_cell("abcdef", 1, 1, 1, ELL);
	assert_cell("abcdef", 0, 1, 1, "");
	assert_cell("ab政務", 3, 1, 1, "ab" ELL);
	assert_cell("ab政務", 4, 1, 1, "ab" ELL " ");
	assert_cell("ab政務", 4, 0, 1, "ab" ELL);
	assert_cell("政務", 3, 1, 1, "政" ELL);
	assert_cell("政務", 2, 1, 1, ELL " ");
	/* a mark stays with its base when cutting */
	assert_cell("e\xcc\x81"
	            "fgh",
	    2, 1, 1, "e\xcc\x81" ELL);
}

static void
test_cell_replaces(void **state)
{
	(void)state;
	assert_cell("a\tb", 6, 1, 0, "a\\x09b");
	assert_cell("\x1b[31m", 8, 0, 0, "\\x1b[31m");
	assert_cell("a\xffz", 6, 0, 0, "a\\xffz");
	assert_cell("x\xc2\x9by", 8, 0, 0, "x\\u009by");
	assert_cell("a\xe2\x80\xae"
	            "b",
	    8, 0, 0, "a\\u202eb");
	assert_cell("\x7f", 5, 1, 0, "\\x7f ");
	assert_cell("line\nbreak", 20, 0, 0, "line\\x0abreak");
	/* an escape that does not fit is left out whole, never cut */
	assert_cell("a\x1b", 3, 1, 0, "a  ");
	assert_cell("a\x1b"
	            "bcdef",
	    6, 0, 1, "a\\x1b" ELL);
	assert_cell("a\x1b"
	            "bcdef",
	    5, 0, 1, "a" ELL);
}

/* Exactly N columns when padded, never more than N; the ellipsis exactly
 * when something was cut; always displayable. */
static void
test_cell_property(void **state)
{
	const char *strings[] = { mixed, "ab政務", "政務服務中心",
		"e\xcc\x81\xcc\x82政\xf0\x9f\x98\x80ok", "\x1b\xff\t", "" };
	size_t i, cols, total;
	int pad, ell;
	char *c;

	(void)state;
	for (i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		total = text_width(strings[i]);
		for (cols = 0; cols <= 12; cols++) {
			for (pad = 0; pad <= 1; pad++) {
				for (ell = 0; ell <= 1; ell++) {
					c = text_width_cell(
					    strings[i], cols, pad, ell);
					assert_true(displayable(c));
					if (pad)
						assert_int_equal(
						    text_width(c), cols);
					else
						assert_true(
						    text_width(c) <= cols);
					if (ell && cols > 0)
						assert_int_equal(
						    strstr(c, ELL) != NULL,
						    total > cols);
					free(c);
				}
			}
		}
	}
}

/* ------------------------------------------------------------------ */

static void
test_wrap_english(void **state)
{
	char **lines;
	size_t n, i;
	int ok = 1;

	(void)state;
	assert_string_equal(wrap_join("the quick brown fox jumps", 10, 0),
	    "the quick |brown fox |jumps");
	assert_string_equal(wrap_join("short line", 10, 0), "short line");
	assert_string_equal(wrap_join("", 10, 0), "");
	/* a word longer than the line is cut between characters */
	assert_string_equal(wrap_join("inspection", 4, 0), "insp|ecti|on");
	/* words stay whole where they can */
	n = text_width_wrap("was the counter staffed at nine", 12, &lines);
	for (i = 0; i < n; i++)
		ok = ok && text_width(lines[i]) <= 12 && lines[i][0] != ' ';
	free_lines(lines, n);
	assert_true(ok);
	assert_int_equal(n, 4);
	assert_string_equal(wrap_join("was the counter staffed at nine", 12, 1),
	    "was the|counter|staffed at|nine");
}

static void
test_wrap_cjk(void **state)
{
	(void)state;
	/* no spaces: between characters, never a half character */
	assert_string_equal(wrap_join("政務服務中心", 5, 0), "政務|服務|中心");
	assert_string_equal(wrap_join("政務服務中心", 6, 0), "政務服|務中心");
	assert_string_equal(wrap_join("ab政務cd", 5, 0), "ab政|務cd");
	assert_string_equal(wrap_join("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 3, 0),
	    "\xf0\x9f\x98\x80|\xf0\x9f\x98\x80");
	/* a combining mark stays with its base */
	assert_string_equal(wrap_join("abe\xcc\x81"
	                              "f",
	                        3, 0),
	    "abe\xcc\x81|f");
}

static void
test_wrap_newlines(void **state)
{
	(void)state;
	assert_string_equal(wrap_join("ab\ncd", 10, 0), "ab|cd");
	assert_string_equal(wrap_join("ab\n\ncd", 10, 0), "ab||cd");
	assert_string_equal(wrap_join("政務\n服", 10, 0), "政務|服");
	assert_string_equal(wrap_join("\nab", 10, 0), "|ab");
}

static void
test_wrap_replaces(void **state)
{
	(void)state;
	assert_string_equal(wrap_join("a\tb", 10, 0), "a\\x09b");
	assert_string_equal(wrap_join("a\xffz", 10, 0), "a\\xffz");
	assert_string_equal(wrap_join("\x1b[2J", 10, 0), "\\x1b[2J");
	/* an escape goes to the next line whole */
	assert_string_equal(wrap_join("abc\x1b", 5, 0), "abc|\\x1b");
}

/* A few hundred generated strings, widths 4 to 30 (an escape of the
 * generated controls and bytes, 4 columns, fits on a line): no line is
 * wider than the limit or holds a newline or a control character, and no
 * text other than spaces and newlines is lost or repeated. */
static void
test_wrap_property(void **state)
{
	char **lines, *s, *kept, *joined, *expect;
	size_t round, cols, n, i, len;

	(void)state;
	for (round = 0; round < 400; round++) {
		s = generate(1 + prng() % 24);
		cols = 4 + prng() % 27;
		n = text_width_wrap(s, cols, &lines);
		assert_true(n >= 1);
		len = 0;
		for (i = 0; i < n; i++) {
			if (text_width(lines[i]) > cols)
				fprintf(stderr, "  wrap(\"%s\", %zu): \"%s\"\n",
				    s, cols, lines[i]);
			assert_true(text_width(lines[i]) <= cols);
			assert_true(displayable(lines[i]));
			len += strlen(lines[i]);
		}
		joined = calloc(1, len + 1);
		assert_non_null(joined);
		for (i = 0; i < n; i++)
			strcat(joined, lines[i]);
		kept = without(s, " \n");
		expect = text_width_cell(kept, text_width(kept), 0, 0);
		free(kept);
		kept = without(joined, " ");
		assert_string_equal(kept, expect);
		free(kept);
		free(expect);
		free(joined);
		free_lines(lines, n);
		free(s);
	}
}

/*
 * Regression (text_width_wrap): when the character that does not fit is
 * a space, the line ends there.  The break used to go back to the
 * previous space: "hello world" in 5 columns gives
 * "hello", " ", "world" (a line holding only a space), and "hello world
 * foo" in 11 gives "hello ", "world foo" although "hello world" fits.  The
 * form screen shows only the first two lines of a label, so a label of
 * exactly COLS - 2 columns before a space loses its second line.
 * Trailing spaces are not compared.
 */
static void
test_wrap_break_at_overflowing_space(void **state)
{
	(void)state;
	assert_string_equal(wrap_join("hello world", 5, 1), "hello|world");
	assert_string_equal(
	    wrap_join("hello world foo", 11, 1), "hello world|foo");
}

/* The sanitizer build cannot run with a limit on its address space. */
#if defined(__SANITIZE_ADDRESS__)
#define UNIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNIT_ASAN 1
#endif
#endif

/*
 * text_width_wrap(s, cols) in a child that may take a quarter of a second
 * of CPU (a busy machine does not make it fail) and, outside the sanitizer
 * build, 256 MiB; whether it returned at most max lines.
 */
static int
wrap_returns(const char *s, size_t cols, size_t max)
{
	struct itimerval cpu = { { 0, 0 }, { 0, 250000 } };
	struct rlimit mem = { 256 << 20, 256 << 20 };
	char **lines;
	size_t n;
	int status;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0) {
#ifndef UNIT_ASAN
		setrlimit(RLIMIT_AS, &mem);
#endif
		setitimer(ITIMER_PROF, &cpu, NULL);
		alarm(30);
		n = text_width_wrap(s, cols, &lines);
		_exit(n >= 1 && n <= max ? 0 : 1);
	}
	(void)mem;
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fprintf(stderr,
		    "  text_width_wrap(\"%s\", %zu): killed by signal %d "
		    "(no progress: out of memory or out of time)\n",
		    s, cols, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		fprintf(stderr,
		    "  text_width_wrap(\"%s\", %zu): exit %d (out of "
		    "memory, or too many lines)\n",
		    s, cols, WEXITSTATUS(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Regression (text_width_wrap): a character wider than
 * the limit (政 or an emoji in 1 column; cols 0 is taken as 1) makes no
 * progress: the loop adds empty lines forever until memory runs out
 * ("anfang: out of memory").  Whatever it does with such a character, it
 * must return, with no more lines than characters.  Run in a child with a
 * time and memory limit so that the hang is a failure.
 */
static void
test_wrap_too_narrow(void **state)
{
	(void)state;
	assert_true(wrap_returns("ab", 1, 2));
	assert_true(wrap_returns("政務", 1, 2));
	assert_true(wrap_returns("政務", 0, 2));
	assert_true(wrap_returns("a\xf0\x9f\x98\x80z", 1, 3));
}

/* ------------------------------------------------------------------ */

static void
test_ascii_mode(void **state)
{
	(void)state;
	assert_int_equal(text_width_utf8(), 0);
	/* every non-ASCII character is '?', one column */
	assert_int_equal(text_width("政務"), 2);
	assert_int_equal(text_width("\xf0\x9f\x98\x80"), 1);
	assert_int_equal(text_width("e\xcc\x81"), 2);
	assert_int_equal(text_width("\xef\xbc\xa1"), 1);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width_char(0x653f), 1);
	assert_int_equal(text_width_char(0x301), 1);
	assert_cell("政務", 4, 1, 0, "??  ");
	assert_cell("ab政務", 3, 0, 0, "ab?");
	assert_cell("\xf0\x9f\x98\x80 ok", 10, 0, 0, "? ok");
	assert_cell("e\xcc\x81", 5, 0, 0, "e?");
	assert_cell("caf\xc3\xa9", 4, 0, 0, "caf?");
	/* controls and invalid bytes are their escapes, ASCII anyway */
	assert_cell("a\tb\xff", 10, 0, 0, "a\\x09b\\xff");
	assert_fit("政務", 1, 3, 1);
	assert_fit("ab政務", 3, 5, 3);
}

static void
test_ascii_mode_property(void **state)
{
	size_t cols, n, i;
	char **lines, *c;

	(void)state;
	for (cols = 0; cols <= 12; cols++) {
		c = text_width_cell(mixed, cols, 1, 0);
		assert_true(printable_ascii(c));
		assert_int_equal(strlen(c), cols);
		free(c);
	}
	n = text_width_wrap(mixed, 7, &lines);
	for (i = 0; i < n; i++) {
		assert_true(printable_ascii(lines[i]));
		assert_true(strlen(lines[i]) <= 7);
	}
	free_lines(lines, n);
}

/*
 * Regression (text_width_cell): in ASCII mode the
 * ellipsis should be "~" (text-width.h), but text_width_put turns it into
 * '?' because it is passed as code point U+2026: a cut "abcdef" in 4
 * columns reads "abc?", as if the text had a character it cannot show.
 */
static void
test_ascii_ellipsis(void **state)
{
	(void)state;
	assert_cell("abcdef", 4, 1, 1, "abc~");
	assert_cell("政務服務", 3, 1, 1, "??~");
}

/* Right-aligned by columns: a CJK name takes two per character. */
static void
test_right(void **state)
{
	char *s;

	(void)state;
	s = text_width_right("政務", 6);
	assert_string_equal(s, "  政務");
	free(s);
	s = text_width_right("abcdef", 3); /* wider: not cut */
	assert_string_equal(s, "abcdef");
	free(s);
}

/* Bars in eighths of a column, clamped to the scale. */
static void
test_bar_utf8(void **state)
{
	char *s;

	(void)state;
	s = text_width_bar(50, 100, 4); /* two whole columns */
	assert_string_equal(s, "\u2588\u2588");
	assert_int_equal(text_width(s), 2);
	free(s);
	s = text_width_bar(1, 8, 1); /* one eighth */
	assert_string_equal(s, "\u258f");
	free(s);
	s = text_width_bar(300, 100, 3); /* clamped to width */
	assert_int_equal(text_width(s), 3);
	free(s);
	s = text_width_bar(-5, 100, 3);
	assert_string_equal(s, "");
	free(s);
	s = text_width_bar(5, 0, 3); /* nothing to measure against */
	assert_string_equal(s, "");
	free(s);
}

/* A figure that is not a number (a mean over scores that overflowed)
 * draws no bar, and an infinite one at most the width, never more. */
static void
test_bar_not_finite(void **state)
{
	char *s;

	(void)state;
	s = text_width_bar(NAN, 100, 3);
	assert_string_equal(s, "");
	free(s);
	s = text_width_bar(50, NAN, 3);
	assert_string_equal(s, "");
	free(s);
	s = text_width_bar(INFINITY, INFINITY, 3);
	assert_string_equal(s, "");
	free(s);
	s = text_width_bar(INFINITY, 100, 3);
	assert_int_equal(text_width(s), 3);
	free(s);
	s = text_width_bar(50, INFINITY, 3);
	assert_string_equal(s, "");
	free(s);
}

/* Without UTF-8, '#' per whole column, a half or more rounds up. */
static void
test_bar_ascii(void **state)
{
	char *s;

	(void)state;
	s = text_width_bar(50, 100, 4);
	assert_string_equal(s, "##");
	free(s);
	s = text_width_bar(62.5, 100, 4); /* 2.5 columns */
	assert_string_equal(s, "###");
	free(s);
	s = text_width_bar(55, 100, 4); /* 2.2 columns */
	assert_string_equal(s, "##");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_width_ascii, utf8_setup),
		cmocka_unit_test_setup(test_width_cjk, utf8_setup),
		cmocka_unit_test_setup(test_width_combining, utf8_setup),
		cmocka_unit_test_setup(test_width_emoji, utf8_setup),
		cmocka_unit_test_setup(test_width_fullwidth, utf8_setup),
		cmocka_unit_test_setup(test_width_controls, utf8_setup),
		cmocka_unit_test_setup(test_width_invalid, utf8_setup),
		cmocka_unit_test_setup(test_decode, utf8_setup),
		cmocka_unit_test_setup(test_fit_wide, utf8_setup),
		cmocka_unit_test_setup(test_fit_combining, utf8_setup),
		cmocka_unit_test_setup(test_fit_controls, utf8_setup),
		cmocka_unit_test_setup(test_fit_property, utf8_setup),
		cmocka_unit_test_setup(test_cell_pad, utf8_setup),
		cmocka_unit_test_setup(test_cell_cut, utf8_setup),
		cmocka_unit_test_setup(test_cell_replaces, utf8_setup),
		cmocka_unit_test_setup(test_cell_property, utf8_setup),
		cmocka_unit_test_setup(test_wrap_english, utf8_setup),
		cmocka_unit_test_setup(test_wrap_cjk, utf8_setup),
		cmocka_unit_test_setup(test_wrap_newlines, utf8_setup),
		cmocka_unit_test_setup(test_wrap_replaces, utf8_setup),
		cmocka_unit_test_setup(test_wrap_property, utf8_setup),
		cmocka_unit_test_setup(
		    test_wrap_break_at_overflowing_space, utf8_setup),
		cmocka_unit_test_setup(test_wrap_too_narrow, utf8_setup),
		cmocka_unit_test_setup(test_ascii_mode, ascii_setup),
		cmocka_unit_test_setup(test_ascii_mode_property, ascii_setup),
		cmocka_unit_test_setup(test_ascii_ellipsis, ascii_setup),
		cmocka_unit_test_setup(test_right, utf8_setup),
		cmocka_unit_test_setup(test_bar_utf8, utf8_setup),
		cmocka_unit_test_setup(test_bar_not_finite, utf8_setup),
		cmocka_unit_test_setup(test_bar_ascii, ascii_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
