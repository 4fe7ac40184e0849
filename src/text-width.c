/* Columns of UTF-8 text, with wcwidth's tables when the locale has them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "anfang/text-width.h"
#include "anfang/xmalloc.h"

static int text_width_is_utf8 = 1;

void
text_width_init(int utf8)
{
	text_width_is_utf8 = utf8;
}

int
text_width_utf8(void)
{
	return text_width_is_utf8;
}

long
text_width_decode(const char *s, size_t len, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	long cp, min;
	size_t need, i;

	*n = 1;
	if (len == 0)
		return -1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else
		return -1;
	if (len < need)
		return -1;
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*n = need;
	return cp;
}

/* Bidi controls: they reorder what follows on the line. */
static int
text_width_bidi(long cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The columns of a code point's escape, or 0 when it has none. */
static int
text_width_escaped(long cp)
{
	if (cp < 0 || cp < 0x20 || cp == 0x7f)
		return 4; /* \x1b: a control, or a byte that is not UTF-8 */
	if ((cp >= 0x80 && cp < 0xa0) || text_width_bidi(cp))
		return 6; /* \u0085 */
	return 0;
}

size_t
text_width_escape(const char *s, long cp, char *out)
{
	char buf[8];
	int w = text_width_escaped(cp);

	if (w == 0)
		return 0;
	if (w == 4)
		snprintf(buf, sizeof buf, "\\x%02x", (unsigned char)s[0]);
	else
		snprintf(buf, sizeof buf, "\\u%04lx", cp);
	memcpy(out, buf, (size_t)w);
	return (size_t)w;
}

int
text_width_char(long cp)
{
	int w;

	if ((w = text_width_escaped(cp)) != 0)
		return w;
	if (cp < 0x7f)
		return 1;
	if (!text_width_is_utf8)
		return 1; /* '?' */
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1; /* unknown to the locale: shown as U+FFFD */
	return w;
}

size_t
text_width(const char *s)
{
	size_t len = strlen(s), off = 0, n, cols = 0;

	while (off < len) {
		cols += (size_t)text_width_char(
		    text_width_decode(s + off, len - off, &n));
		off += n;
	}
	return cols;
}

size_t
text_width_fit(const char *s, size_t cols, size_t *used)
{
	size_t len = strlen(s), off = 0, n, w = 0, cw;

	while (off < len) {
		cw = (size_t)text_width_char(
		    text_width_decode(s + off, len - off, &n));
		if (w + cw > cols)
			break;
		w += cw;
		off += n;
	}
	/* Combining marks (width 0) stay with the character before them. */
	while (off < len &&
	       text_width_char(text_width_decode(s + off, len - off, &n)) == 0)
		off += n;
	if (used != NULL)
		*used = w;
	return off;
}

/* Append the displayable form of one character. */
static void
text_width_put(
    char **buf, size_t *len, size_t *cap, const char *s, size_t n, long cp)
{
	static const char repl[] = "\xef\xbf\xbd"; /* U+FFFD */
	const char *src = s;
	char esc[8];
	size_t e;

	if ((e = text_width_escape(s, cp, esc)) > 0) {
		src = esc;
		n = e;
	} else if (text_width_is_utf8 && cp >= 0x7f &&
	           wcwidth((wchar_t)cp) < 0) {
		src = repl; /* unknown to the locale */
		n = strlen(src);
	} else if (!text_width_is_utf8 && cp >= 0x80) {
		src = "?";
		n = 1;
	}
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	memcpy(*buf + *len, src, n);
	*len += n;
	(*buf)[*len] = '\0';
}

char *
text_width_cell(const char *s, size_t cols, int pad, int ellipsis)
{
	size_t slen = strlen(s), off = 0, n, w = 0, cw, len = 0, cap = 0;
	size_t total = text_width(s), room = cols;
	const char *mark = text_width_is_utf8 ? "\xe2\x80\xa6" : "~";
	char *buf;
	long cp;

	cap = slen + cols + 8;
	buf = xmalloc(cap);
	buf[0] = '\0';
	if (ellipsis && total > cols && cols > 0)
		room = cols - 1;
	while (off < slen) {
		cp = text_width_decode(s + off, slen - off, &n);
		cw = (size_t)text_width_char(cp);
		if (w + cw > room)
			break;
		text_width_put(&buf, &len, &cap, s + off, n, cp);
		w += cw;
		off += n;
	}
	if (ellipsis && total > cols && cols > 0) {
		text_width_put(&buf, &len, &cap, mark, strlen(mark),
		    text_width_is_utf8 ? 0x2026 : '~');
		w++;
	}
	while (pad && w < cols) {
		text_width_put(&buf, &len, &cap, " ", 1, ' ');
		w++;
	}
	return buf;
}

size_t
text_width_wrap(const char *s, size_t cols, char ***lines)
{
	size_t slen = strlen(s), start = 0, off, n, w, cw, brk, nl = 0;
	char **v = NULL, *line;
	long cp;

	if (cols == 0)
		cols = 1;
	while (start <= slen) {
		off = start;
		w = 0;
		brk = 0;
		while (off < slen && s[off] != '\n') {
			cp = text_width_decode(s + off, slen - off, &n);
			cw = (size_t)text_width_char(cp);
			if (w + cw > cols && off > start)
				break;
			if (cp == ' ')
				brk = off + 1;
			w += cw;
			off += n;
		}
		/* Break after the last space when a word would be cut. */
		if (off < slen && s[off] == ' ') {
			line = xstrndup(s + start, off - start);
			v = xreallocarray(v, nl + 1, sizeof *v);
			v[nl++] = text_width_cell(line, text_width(line), 0, 0);
			free(line);
			start = off + 1;
			continue;
		}
		if (off < slen && s[off] != '\n' && brk > start)
			off = brk;
		line = xstrndup(s + start, off - start);
		v = xreallocarray(v, nl + 1, sizeof *v);
		v[nl++] = text_width_cell(line, text_width(line), 0, 0);
		free(line);
		if (off >= slen)
			break;
		start = s[off] == '\n' ? off + 1 : off;
		if (start == slen && s[off] == '\n') {
			v = xreallocarray(v, nl + 1, sizeof *v);
			v[nl++] = xstrdup("");
			break;
		}
	}
	if (nl == 0) {
		v = xcalloc(1, sizeof *v);
		v[nl++] = xstrdup("");
	}
	*lines = v;
	return nl;
}

char *
text_width_right(const char *s, size_t cols)
{
	size_t w = text_width(s);
	char *out;

	if (w >= cols)
		return xstrdup(s);
	out = xmalloc(cols - w + strlen(s) + 1);
	memset(out, ' ', cols - w);
	strcpy(out + (cols - w), s);
	return out;
}

char *
text_width_bar(double value, double max, size_t width)
{
	static const char *const eighths[] = { "", "\u258f", "\u258e", "\u258d",
		"\u258c", "\u258b", "\u258a", "\u2589" };
	size_t full, i, len = 0;
	double share = value / max;
	long e;
	char *out;

	/* Written so that NaN (scores that overflowed) draws nothing:
	 * lround of it would be a bar of any length. */
	if (!(max > 0) || !(value > 0) || !(share > 0))
		return xstrdup("");
	if (!(share < 1))
		share = 1;
	e = lround(share * (double)width * 8);
	full = (size_t)e / 8;
	out = xmalloc(width * 3 + 4);
	for (i = 0; i < full; i++) {
		if (text_width_utf8()) {
			memcpy(out + len, "\u2588", 3);
			len += 3;
		} else
			out[len++] = '#';
	}
	if (e % 8 != 0) {
		if (text_width_utf8()) {
			memcpy(out + len, eighths[e % 8], 3);
			len += 3;
		} else if (e % 8 >= 4)
			out[len++] = '#';
	}
	out[len] = '\0';
	return out;
}
