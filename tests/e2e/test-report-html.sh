#!/usr/bin/env bash
# e2e: normal build only: the HTML report runs sanitized in unit/test-report-html
# `anfang report --format html` opened in a real browser: Debian's
# chromium, headless, dumps the DOM it built and a screenshot of what it
# drew.  The DOM holds the figures Python works out on its own from the
# generator's truth file (never from the program's output) and one SVG bar
# per ranked unit, worst first and highlighted; hostile names are text in
# it, not elements; the screenshot is not blank and shows the bars; printed,
# its pages are A4 (chromium's own default is Letter).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"
# shellcheck source=gen-lib.sh
. "$(dirname "$0")/gen-lib.sh"

if ! command -v chromium >/dev/null 2>&1; then
	t_fail "chromium" "not installed (packaging/deps.sh installs it)"
	t_done
	exit 1
fi

gen_supervisor sup --visits 300 --seed 7
OUT=$T_TMP/out
mkdir -p "$OUT"

# The default period: the last month with visits, against the one before.
assert_exit "html report" 0 an "$GEN_DB" report --format html \
    --out "$OUT/month.html"
# The generator leaves the second of its months empty.
assert_exit "html report of an empty month" 0 an "$GEN_DB" report \
    --format html --period month --from 2026-06-15 --out "$OUT/empty.html"

# One browser run gives the DOM, the screenshot and the page printed to
# PDF; the empty page is read by Python alone (starting the browser is most
# of this test's time).  Its profile stays in T_TMP; --no-sandbox because
# tests run as root in CI; no host name resolves and no background service
# runs, so the page is drawn with nothing from the network.  Half scale:
# the first 4000 pixels of the page, the unit ranking among them.
browse()
{
	local name=$1
	t_run timeout 60 chromium --headless --no-sandbox --disable-gpu \
	    --hide-scrollbars --no-first-run --user-data-dir="$T_TMP/chromium" \
	    --host-resolver-rules="MAP * ~NOTFOUND" --disable-extensions \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --disable-default-apps --no-pings --disable-breakpad \
	    --window-size=1000,4000 --force-device-scale-factor=0.5 \
	    --screenshot="$OUT/$name.png" --print-to-pdf="$OUT/$name.pdf" \
	    --no-pdf-header-footer --dump-dom "file://$OUT/$name.html"
	if [ "$T_STATUS" -eq 0 ] && [ -s "$T_OUTFILE" ] &&
	    [ -s "$OUT/$name.png" ] && [ -s "$OUT/$name.pdf" ]; then
		cp "$T_OUTFILE" "$OUT/$name.dom"
		t_ok "chromium opens $name.html"
	else
		t_fail "chromium opens $name.html" "exit $T_STATUS"
		_t_show_output
	fi
}
browse month

python3 - "$GEN_TRUTH" "$OUT" <<'EOF' >"$T_TMP/check.out" 2>&1
import datetime, html.parser, json, struct, sys, zlib
from functools import cmp_to_key

truth_path, out = sys.argv[1], sys.argv[2]
truth = [json.loads(l) for l in open(truth_path, encoding="utf-8")]
problems = []

def check(what, ok, detail=""):
    if not ok:
        problems.append(what + (": " + detail if detail else ""))

# ---- what the truth file says ----

EPOCH = datetime.datetime(1970, 1, 1)

def ms(y, m, d, hh=0, mm=0):
    return int((datetime.datetime(y, m, d, hh, mm) - EPOCH)
               .total_seconds()) * 1000

for v in truth:
    t = v["took"]
    v["local"] = ms(int(t[0:4]), int(t[5:7]), int(t[8:10]),
                    int(t[11:13]), int(t[14:16]))

def month(t):
    d = EPOCH + datetime.timedelta(milliseconds=t)
    return (ms(d.year, d.month, 1),
            ms(d.year + (d.month == 12), d.month % 12 + 1, 1))

period = month(max(v["local"] for v in truth))
cur = [v for v in truth if period[0] <= v["local"] < period[1]]
SEV = {"low": 1, "medium": 2, "high": 3}

def units(vs):
    e = {}
    for v in vs:
        x = e.setdefault(v["unit_id"], {"key": v["unit_id"], "vs": []})
        x["vs"].append(v)
    for x in e.values():
        s = [v for v in x["vs"] if v["score_max"] > 0]
        x["visits"] = len(x["vs"])
        x["scored"] = len(s)
        x["score"] = (100.0 * sum(v["score"] / v["score_max"] for v in s)
                      / len(s)) if s else None
        x["alerts"] = [0, 0, 0, 0]
        for v in x["vs"]:
            for q, sev in v["alerts"]:
                x["alerts"][SEV[sev]] += 1
    return e

def worse(a, c):
    # Worst first: lower mean score, those without one last, then more
    # high, medium, low alerts, then the key's bytes.
    if (a["score"] is None) != (c["score"] is None):
        return 1 if a["score"] is None else -1
    if a["score"] is not None and abs(a["score"] - c["score"]) > 1e-7:
        return -1 if a["score"] < c["score"] else 1
    for s in (3, 2, 1):
        if a["alerts"][s] != c["alerts"][s]:
            return -1 if a["alerts"][s] > c["alerts"][s] else 1
    ka, kc = a["key"].encode(), c["key"].encode()
    return (ka > kc) - (ka < kc)

all_units = units(cur)
ranked = sorted([x for x in all_units.values() if x["visits"] >= 3],
                key=cmp_to_key(worse))
unranked = [x for x in all_units.values() if x["visits"] < 3]
scored = [v for v in cur if v["score_max"] > 0]
mean = 100.0 * sum(v["score"] / v["score_max"] for v in scored) / len(scored)

def nearest_rank(xs, p):
    xs = sorted(xs)
    return xs[max(1, -(-p * len(xs) // 10)) - 1]

waits = [v["answers"]["wait"] for v in cur
         if v["answers"].get("wait") is not None]
settled = [v["answers"]["settled"] for v in cur
           if v["answers"].get("settled") is not None]
want_median = nearest_rank(waits, 5)
want_share = 100.0 * settled.count("yes") / len(settled)

# ---- what the browser built ----

class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.text = [], [], []
        self.section = None
        self.bars = []            # (section, attrs) of each bar rect
        self.rows = {}            # table class -> [[cell text]]
        self.table = None
        self.row = None
        self.cell = None
        self.lang = None
        self.svgs = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "section":
            self.section = a.get("id")
        if tag == "svg":
            self.svgs.append((self.section, a.get("class", "")))
        if tag == "rect" and "bar" in a.get("class", "").split():
            self.bars.append((self.section, a))
        if tag == "table":
            self.table = (self.section, a.get("class", ""))
        if tag == "tr" and self.table:
            self.row = []
            self.rows.setdefault(self.table, []).append(self.row)
        if tag in ("td", "th") and self.row is not None:
            self.cell = []
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        if tag == "tr":
            self.row = None
        if tag == "table":
            self.table = None
        if tag == "section":
            self.section = None
    def handle_data(self, d):
        self.text.append(d)
        if self.cell is not None:
            self.cell.append(d)

def load(name):
    raw = open(out + "/" + name, encoding="utf-8").read()
    d = Dom()
    d.feed(raw)
    d.raw = raw
    d.alltext = "".join(d.text)
    return d

def pct(s):
    return float(s.replace("%", "").strip())

dom = load("month.dom")
check("lang of the English twin (C.UTF-8)", dom.lang == "en", repr(dom.lang))

# Headline.
fig = {r[0]: r[1:] for r in dom.rows.get(("headline", "figures"), [])}
check("headline visits", fig.get("Visits", [None])[0] == str(len(cur)),
      "%r, want %d" % (fig.get("Visits"), len(cur)))
got = fig.get("Mean score", ["nan"])[0]
check("headline mean score", abs(pct(got) - mean) <= 0.05 + 1e-9,
      "%s, want %.4f" % (got, mean))

# One bar per ranked unit, in the order of the ranking, the worst (and only
# it) highlighted; none for the unranked.
bars = [a for s, a in dom.bars if s == "ranking-unit"]
check("one bar per ranked unit", len(bars) == len(ranked),
      "%d bars, %d ranked" % (len(bars), len(ranked)))
check("bars worst first", [a.get("data-key") for a in bars] ==
      [x["key"] for x in ranked],
      "%r\nwant %r" % ([a.get("data-key") for a in bars],
                       [x["key"] for x in ranked]))
worst = [a for a in bars if "worst" in a.get("class", "").split()]
check("the worst highlighted, alone", len(worst) == 1 and
      worst[0].get("data-rank") == "1" and
      worst[0].get("data-key") == ranked[0]["key"], repr(worst))
keys = {a.get("data-key") for a in bars}
check("no bar for an unranked unit",
      not any(x["key"] in keys for x in unranked))
check("some units unranked (fewer than 3 visits)", len(unranked) > 0)

# The ranking table: visits and mean score of each ranked unit.
rows = dom.rows.get(("ranking-unit", "ranked"), [])[1:]
check("a row per ranked unit", len(rows) == len(ranked),
      "%d rows" % len(rows))
for r, x in zip(rows, ranked):
    check("rank of %s" % x["key"], r[0] == str(ranked.index(x) + 1), r[0])
    check("unit key in its row", r[1].endswith("(%s)" % x["key"]), r[1])
    check("visits of %s" % x["key"], r[2] == str(x["visits"]), r[2])
    check("score of %s" % x["key"], abs(pct(r[3]) - x["score"]) <= 0.05 + 1e-9,
          "%s, want %.4f" % (r[3], x["score"]))

# Targets: the 即辦率 share and the median wait.
tg = {r[0]: r for r in dom.rows.get(("targets", "targets"), [])[1:]}
share = [r for r in tg.values() if r[1].startswith("share of yes")]
check("settled target shown", len(share) == 1)
if share:
    check("settled share", abs(pct(share[0][2]) - want_share) <= 0.05 + 1e-9,
          "%s, want %.4f" % (share[0][2], want_share))
    check("settled met or not", share[0][3].endswith(
        "met" if want_share >= 70 else "not met"), share[0][3])
med = [r for r in tg.values() if r[1].startswith("median")]
check("wait target shown", len(med) == 1)
if med:
    w = int(want_median)
    check("median wait", med[0][2] == "%d:%02d" % (w // 60, w % 60),
          "%s, want %d s" % (med[0][2], w))

# Trend: the mean score and each of the two targets, the target drawn.
check("three trend charts",
      sum(1 for s, c in dom.svgs if c == "trend") == 3)
check("a target line in each target's chart",
      sum(1 for t, a in dom.tags if a.get("class") == "target-line") == 2)

# Hostile names: text, never elements.  Every unit name and inspector of
# the month is in the document's text as it is, controls made visible as
# the program's diag_visible writes them (\x1b, \u202e).
from report_visible import visible

check("no script element", not any(t == "script" for t, a in dom.tags))
check("no element from a name",
      not any(t in ("b", "co", "tomorrow") for t, a in dom.tags))
for name in sorted({v["unit"] for v in cur} | {v["inspector"] for v in cur}):
    check("name as text: %r" % name, visible(name) in dom.alltext)
check("the month has a <script> name",
      any("<script>" in v["unit"] for v in cur) and
      "<script>" in dom.alltext)
check("the month has a name with a control character",
      any(any(ord(c) < 0x20 for c in v["unit"]) for v in cur))
check("no control character in the text",
      not any(ord(c) < 0x20 and c not in "\n\t" for c in dom.alltext))
check("nothing from outside", "http:" not in dom.raw and
      "https:" not in dom.raw and
      not any("src" in a or "href" in a for t, a in dom.tags))

# The empty month: a page that says so.
empty = load("empty.html")
check("empty: says so", "No visits in this period." in empty.alltext)
check("empty: no chart", not empty.svgs)

# ---- what the browser drew ----

def png_pixels(path):
    data = open(path, "rb").read()
    check("png signature", data[:8] == b"\x89PNG\r\n\x1a\n")
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6):
        problems.append("png: depth %d colour type %d" % (depth, ctype))
        return w, h, set()
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        for i in range(0, stride, bpp):
            colours.add(bytes(line[i:i + 3]))
        prev = line
    return w, h, colours

w, h, colours = png_pixels(out + "/month.png")
check("screenshot size", w > 100 and h > 100, "%dx%d" % (w, h))
check("screenshot not blank", len(colours) >= 16,
      "%d colours" % len(colours))
check("the worst bar's red drawn", bytes((0xb3, 0x26, 0x1e)) in colours)
check("the other bars' blue drawn", bytes((0x5b, 0x7f, 0xa6)) in colours)
# ---- what the browser printed ----

import re
pdf = open(out + "/month.pdf", "rb").read()
pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
boxes = [tuple(float(x) for x in m.split())
         for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)]
# A4 is 210 x 297 mm: 595.3 x 841.9 points.
check("printed on A4", boxes and all(
    abs(b[2] - b[0] - 595.3) < 1.5 and abs(b[3] - b[1] - 841.9) < 1.5
    for b in boxes), repr(boxes[:3]))
check("a page or more per section", pages >= 9, "%d pages" % pages)

print("%d visits, %d ranked, %d unranked, %d colours, %d A4 pages" %
      (len(cur), len(ranked), len(unranked), len(colours), pages))
for p in problems:
    print("PROBLEM", p)
sys.exit(1 if problems else 0)
EOF
status=$?
if [ "$status" -eq 0 ]; then
	t_ok "DOM and screenshot as Python expects: $(tail -n 1 "$T_TMP/check.out")"
else
	t_fail "DOM and screenshot as Python expects" "see below"
	_t_indent <"$T_TMP/check.out"
fi
t_done
