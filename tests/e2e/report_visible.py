"""Text from batches as the program shows it (diag_visible in src/diag.c):
C0 controls and DEL as \\x1b, C1 controls and the bidi controls as
\\u202e; a newline kept when newlines is set.  For the report tests, which
compare what the program wrote with names and answers from the truth
file."""


def visible(s, newlines=False):
    out = []
    for c in s:
        o = ord(c)
        if (o < 0x20 and not (newlines and c == "\n")) or o == 0x7f:
            out.append("\\x%02x" % o)
        elif 0x80 <= o <= 0x9f or o in (0x61c, 0x200e, 0x200f) or \
                0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
            out.append("\\u%04x" % o)
        else:
            out.append(c)
    return "".join(out)
