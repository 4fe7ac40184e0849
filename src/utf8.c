/* UTF-8 validity, positions and encoding, by the rules of RFC 3629. */
#include <stddef.h>

#include "anfang/utf8.h"

/* Length of the valid sequence at s, or 0 when it is invalid. */
static size_t
utf8_sequence(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

size_t
utf8_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off = 0, n;

	while (off < len) {
		if ((n = utf8_sequence(p + off, len - off)) == 0)
			return off;
		off += n;
	}
	return len;
}

void
utf8_position(const char *s, size_t len, size_t offset, int *line, int *col)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	*line = 1;
	*col = 1;
	if (offset > len)
		offset = len;
	for (i = 0; i < offset; i++) {
		if (p[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((p[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

size_t
utf8_length(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

size_t
utf8_encode(long cp, char *out, size_t room)
{
	unsigned char *p = (unsigned char *)out;
	size_t n;

	if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	if (n > room)
		return 0;
	switch (n) {
	case 1:
		p[0] = (unsigned char)cp;
		break;
	case 2:
		p[0] = (unsigned char)(0xc0 | (cp >> 6));
		p[1] = (unsigned char)(0x80 | (cp & 0x3f));
		break;
	case 3:
		p[0] = (unsigned char)(0xe0 | (cp >> 12));
		p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (unsigned char)(0x80 | (cp & 0x3f));
		break;
	default:
		p[0] = (unsigned char)(0xf0 | (cp >> 18));
		p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		p[3] = (unsigned char)(0x80 | (cp & 0x3f));
		break;
	}
	return n;
}

size_t
utf8_prev(const char *s, size_t off)
{
	if (off == 0)
		return 0;
	off--;
	while (off > 0 && ((unsigned char)s[off] & 0xc0) == 0x80)
		off--;
	return off;
}

size_t
utf8_next(const char *s, size_t len, size_t off)
{
	if (off >= len)
		return len;
	off++;
	while (off < len && ((unsigned char)s[off] & 0xc0) == 0x80)
		off++;
	return off;
}
