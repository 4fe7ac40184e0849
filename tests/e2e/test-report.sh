#!/usr/bin/env bash
# e2e: normal build only: the report's code runs sanitized in unit/test-report, unit/test-store-report and test-ui-report
# `anfang report` over a supervisor's database of generated visits: every
# figure the program prints (text, CSV read back with Python's csv module,
# JSON parsed) is compared with figures Python works out on its own from
# the generator's truth file, never from the program's output.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"
# shellcheck source=gen-lib.sh
. "$(dirname "$0")/gen-lib.sh"

gen_supervisor sup --visits 300 --seed 7
OUT=$T_TMP/out
mkdir -p "$OUT"

rep()
{
	an "$GEN_DB" report "$@"
}

# The default: the last month with visits, against the month before.
assert_exit "text report" 0 rep --out "$OUT/month.txt"
assert_eq "--out: nothing on stdout" "" "$T_OUT"
assert_eq "--out: the file is the user's alone" "600" \
    "$(stat -c %a "$OUT/month.txt")"
assert_exit "json report" 0 rep --format json --out "$OUT/month.json"
assert_exit "csv rankings, with a BOM" 0 rep --format csv --table rankings \
    --bom --out "$OUT/rankings.csv"
assert_exit "csv questions" 0 rep --format csv --table questions \
    --out "$OUT/questions.csv"
assert_exit "csv alerts" 0 rep --format csv --table alerts \
    --out "$OUT/alerts.csv"
assert_exit "csv visits of every period" 0 rep --format csv --table visits \
    --period all --out "$OUT/visits.csv"
# The same figures for other periods and another --min-visits.
assert_exit "json, quarter" 0 rep --format json --period quarter \
    --out "$OUT/quarter.json"
assert_exit "json, all" 0 rep --format json --period all \
    --out "$OUT/all.json"
assert_exit "json, min 2" 0 rep --format json --min-visits 2 \
    --out "$OUT/min2.json"
assert_exit "json, a range of days" 0 rep --format json \
    --from 2026-07-10 --to 2026-08-20 --out "$OUT/range.json"
assert_exit "json, by unit and inspector only" 0 rep --format json \
    --by unit --by inspector --out "$OUT/by.json"

# The generator leaves the second of its months empty: an empty report,
# said so, exit 0.
assert_exit "empty month: exit 0" 0 rep --period month --from 2026-06-15
assert_contains "empty month: said so" "No visits in this period." "$T_OUT"
assert_contains "empty month: the month" "Period: 2026-06, compared with 2026-05" \
    "$T_OUT"
assert_exit "empty month, json" 0 rep --format json --period month \
    --from 2026-06-15 --out "$OUT/empty.json"
assert_eq "empty month, json: said on stderr" "anfang: no visits in 2026-06" \
    "$T_ERR"

# A form that exists (shipped) but was never visited is an empty report
# too, in every format: said in one line, exit 0; an unknown one is not.
never=restaurant-hygiene
assert_exit "never visited, text: exit 0" 0 rep --form "$never"
assert_contains "... said so" "No visits in this period." "$T_OUT"
assert_contains "... of that form" "($never)" "$T_OUT"
assert_eq "... nothing on stderr (the text says it)" "" "$T_ERR"
for f in "text" "csv" "csv --table questions" "csv --table alerts" \
    "csv --table visits" "json" "html"; do
	ext=${f// --table /-}
	# shellcheck disable=SC2086 # the words of the format
	assert_exit "never visited, $f: exit 0" 0 rep --form "$never" \
	    --format $f --out "$OUT/never.$ext"
	if [[ $T_ERR =~ ^"anfang: no visits in "[0-9]{4}-[0-9]{2}$ ]]; then
		t_ok "... one line on stderr says so"
	else
		t_fail "... one line on stderr says so" "$T_ERR"
	fi
done
assert_exit "never visited, alerts: exit 0" 0 an "$GEN_DB" alerts \
    --form "$never"
assert_eq "... none" "no alerts" "$T_OUT"
# A member of a visited family not itself stored names that family.
assert_exit "a shipped twin never visited names its family" 0 rep \
    --form service-window-zh-hans --format json --out "$OUT/hans.json"
assert_eq "... whose visits it reports" "service-window yes" \
    "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
print(r["family"], "yes" if r["headline"]["now"]["visits"] > 0 else "no")' \
    "$OUT/hans.json")"

python3 - "$GEN_TRUTH" "$OUT" <<'EOF' >"$T_TMP/check.out" 2>&1
import csv, datetime, json, math, re, sys, unicodedata
from functools import cmp_to_key
from report_visible import visible

truth_path, out = sys.argv[1], sys.argv[2]
truth = [json.loads(l) for l in open(truth_path, encoding="utf-8")]
problems = []

def check(what, got, want):
    if isinstance(want, float) or isinstance(got, float):
        ok = got is not None and want is not None and \
            abs(got - want) <= 1e-9 * max(1.0, abs(want))
    else:
        ok = got == want
    if not ok:
        problems.append("%s: got %r, want %r" % (what, got, want))

EPOCH = datetime.datetime(1970, 1, 1)
DAY = 86400000

def ms(y, m, d, hh=0, mm=0):
    return int((datetime.datetime(y, m, d, hh, mm) - EPOCH).total_seconds()) * 1000

def local(v):
    return ms(int(v["took"][0:4]), int(v["took"][5:7]), int(v["took"][8:10]),
              int(v["took"][11:13]), int(v["took"][14:16]))

for v in truth:
    v["local"] = local(v)
    v["utc"] = v["local"] - v["offset"] * 60000
# The order the source gives: when they took place, then id.
truth.sort(key=lambda v: (v["utc"], v["id"]))

def day(t):
    return (EPOCH + datetime.timedelta(milliseconds=t)).strftime("%Y-%m-%d")

def month(t):
    d = EPOCH + datetime.timedelta(milliseconds=t)
    y, m = d.year, d.month
    return (ms(y, m, 1), ms(y + (m == 12), m % 12 + 1, 1))

def month_before(p):
    return month(p[0] - 1)

def quarter(t):
    d = EPOCH + datetime.timedelta(milliseconds=t)
    m0 = (d.month - 1) // 3 * 3 + 1
    y2, m2 = (d.year + 1, 1) if m0 == 10 else (d.year, m0 + 3)
    return (ms(d.year, m0, 1), ms(y2, m2, 1))

def visits_in(p):
    return [v for v in truth if p[0] <= v["local"] < p[1]]

SEV = {"low": 1, "medium": 2, "high": 3}

def mean_score(vs):
    s = [v for v in vs if v["score_max"] > 0]
    if not s:
        return None, 0
    tot = 0.0
    for v in s:
        tot += v["score"] / v["score_max"]
    return tot, len(s)

def entries(vs, by):
    e = {}
    for v in vs:
        if by == "unit":
            k = (v["unit_id"], None)
        elif by == "inspector":
            k = (v["inspector"], None)
        else:
            name = v[by]
            if not name:
                continue
            k = (name, v["unit_id"])
        x = e.setdefault(k, {"key": k[0], "unit_id": k[1], "vs": []})
        x["vs"].append(v)
    for x in e.values():
        x["visits"] = len(x["vs"])
        x["sum"], x["scored"] = mean_score(x["vs"])
        x["alerts"] = [0, 0, 0, 0]
        for v in x["vs"]:
            for q, sev in v["alerts"]:
                x["alerts"][SEV[sev]] += 1
        x["name"] = x["vs"][-1]["unit"] if by == "unit" else x["key"]
    return e

def b(s):
    return (s or "").encode("utf-8")

def worse(a, c):
    # Worst first: lower mean score (equal within 1e-9), entries
    # without a score last, more high, medium, low alerts, then key.
    if (a["scored"] > 0) != (c["scored"] > 0):
        return -1 if a["scored"] > 0 else 1
    if a["scored"] > 0:
        x, y = a["sum"] / a["scored"], c["sum"] / c["scored"]
        if abs(x - y) > 1e-9:
            return -1 if x < y else 1
    for s in (3, 2, 1):
        if a["alerts"][s] != c["alerts"][s]:
            return -1 if a["alerts"][s] > c["alerts"][s] else 1
    ka, kc = (b(a["key"]), b(a["unit_id"])), (b(c["key"]), b(c["unit_id"]))
    return (ka > kc) - (ka < kc)

def ranking(vs, by, minv):
    e = entries(vs, by)
    ranked = sorted([x for x in e.values() if x["visits"] >= minv],
                    key=cmp_to_key(worse))
    for i, x in enumerate(ranked):
        x["rank"] = i + 1
    unranked = sorted([x for x in e.values() if x["visits"] < minv],
                      key=lambda x: (b(x["key"]), b(x["unit_id"])))
    for x in unranked:
        x["rank"] = None
    return ranked, unranked, e

def nearest_rank(xs, p10):
    xs = sorted(xs)
    k = max(1, -(-p10 * len(xs) // 10))
    return float(xs[k - 1])

def target_values(vs):
    waits = [v["answers"]["wait"] for v in vs
             if v["answers"].get("wait") is not None]
    settled = [v["answers"]["settled"] for v in vs
               if v["answers"].get("settled") is not None]
    return (nearest_rank(waits, 5) if waits else None,
            100.0 * settled.count("yes") / len(settled) if settled else None)

def check_report(name, rep, p, prev, minv=3, bys=("unit", "division",
                                                      "person", "inspector")):
    cur = visits_in(p)
    before = visits_in(prev) if prev else []
    h = rep["headline"]
    check(name + ": period from", rep["period"]["from"], day(p[0]))
    check(name + ": period to", rep["period"]["to"], day(p[1] - 1))
    check(name + ": visits", h["now"]["visits"], len(cur))
    check(name + ": units", h["now"]["units"], len({v["unit_id"] for v in cur}))
    check(name + ": inspectors", h["now"]["inspectors"],
          len({v["inspector"] for v in cur}))
    s, n = mean_score(cur)
    check(name + ": mean score", h["now"]["score"],
          100.0 * s / n if n else None)
    for sev in ("high", "medium", "low"):
        check(name + ": alerts " + sev, h["now"]["alerts"][sev],
              sum(1 for v in cur for q, x in v["alerts"] if x == sev))
    if prev:
        check(name + ": visits before", h["before"]["visits"], len(before))
        check(name + ": visits change", h["change"]["visits"],
              len(cur) - len(before))
        s0, n0 = mean_score(before)
        if n and n0:
            check(name + ": score change", h["change"]["score"],
                  100.0 * s / n - 100.0 * s0 / n0)
    else:
        check(name + ": no previous", rep["previous"], None)
    # Alerts: high first, then when, then visit.
    want = []
    for v in cur:
        for q, sev in v["alerts"]:
            want.append((-SEV[sev], v["local"], v["id"], q))
    want.sort()
    check(name + ": alerts", [(a["visit"], a["question"], a["severity"])
                              for a in rep["alerts"]],
          [(w[2], w[3], [k for k in SEV if SEV[k] == -w[0]][0])
           for w in want])
    # Targets: the median wait and the share settled, now and before.
    med, share = target_values(cur)
    tg = {t["question"]: t for t in rep["targets"]}
    check(name + ": target wait", tg["wait"]["value"], med)
    check(name + ": target settled", tg["settled"]["value"], share)
    if med is not None:
        check(name + ": wait met", tg["wait"]["met"], med <= 900)
    if share is not None:
        check(name + ": settled met", tg["settled"]["met"], share >= 70)
    if prev and before:
        med0, share0 = target_values(before)
        check(name + ": settled before", tg["settled"]["previous"], share0)
        if share is not None:
            check(name + ": settled change", tg["settled"]["change"],
                  share - share0)
    # Rankings, with the change in rank against the period before.
    check(name + ": rankings present", sorted(rep["rankings"]), sorted(bys))
    for by in bys:
        ranked, unranked, _ = ranking(cur, by, minv)
        r0 = {}
        if prev:
            rk0, _, _ = ranking(before, by, minv)
            r0 = {(x["key"], x["unit_id"]): x["rank"] for x in rk0}
        got = rep["rankings"][by]
        check(name + ": " + by + " ranked",
              [(e["key"], e["unit_id"], e["rank"], e["visits"])
               for e in got["ranked"]],
              [(x["key"], x["unit_id"], x["rank"], x["visits"])
               for x in ranked])
        check(name + ": " + by + " unranked",
              [(e["key"], e["unit_id"], e["visits"]) for e in got["unranked"]],
              [(x["key"], x["unit_id"], x["visits"]) for x in unranked])
        for e, x in zip(got["ranked"], ranked):
            w = name + ": " + by + " " + x["key"]
            check(w + " score", e["score"],
                  100.0 * x["sum"] / x["scored"] if x["scored"] else None)
            check(w + " high alerts", e["alerts"]["high"], x["alerts"][3])
            old = r0.get((x["key"], x["unit_id"]))
            check(w + " previous rank", e["previous_rank"], old)
            check(w + " rank change", e["rank_change"],
                  old - x["rank"] if old else None)
    # Every question, both twins together.
    for q in rep["questions"]:
        saw = [v for v in cur if q["id"] in v["answers"]]
        ans = [v["answers"][q["id"]] for v in saw
               if v["answers"][q["id"]] is not None]
        w = name + ": question " + q["id"]
        check(w + " saw", q["saw"], len(saw))
        check(w + " answered", q["answered"], len(ans))
        if q["type"] == "yesno":
            check(w + " yes", q["yes"], ans.count("yes"))
            check(w + " yes share", q["yes_share"],
                  100.0 * ans.count("yes") / len(ans) if ans else None)
        if q["type"] == "choice":
            check(w + " counts", {c["value"]: c["n"] for c in q["counts"]},
                  {c["value"]: ans.count(c["value"]) for c in q["counts"]})
        if q["type"] == "multi":
            check(w + " counts", {c["value"]: c["n"] for c in q["counts"]},
                  {c["value"]: sum(1 for a in ans if c["value"] in a)
                   for c in q["counts"]})
        if q["type"] in ("number", "count", "timer", "scale"):
            check(w + " median", q["median"],
                  nearest_rank(ans, 5) if ans else None)
            check(w + " p90", q["p90"], nearest_rank(ans, 9) if ans else None)
    return cur

# The default month and its figures.
last = max(v["local"] for v in truth)
first = min(v["local"] for v in truth)
p = month(last)
rep = json.load(open(out + "/month.json", encoding="utf-8"))
cur = check_report("month", rep, p, month_before(p))
# Twins counted together: both forms are in this month.
check("month: both twins", sorted({v["form"] for v in cur}),
      ["service-window", "service-window-en"])
# The trend: back to the first month with visits, at most 12.
months, q = [], p
while len(months) < 12 and q[1] > first:
    months.insert(0, q)
    q = month_before(q)
check("trend periods", [t["period"]["from"] for t in rep["trend"]],
      [day(m[0]) for m in months])
for t, m in zip(rep["trend"], months):
    vs = visits_in(m)
    s, n = mean_score(vs)
    check("trend " + day(m[0]) + " visits", t["visits"], len(vs))
    check("trend " + day(m[0]) + " score", t["score"],
          100.0 * s / n if n else None)
    med, share = target_values(vs)
    check("trend " + day(m[0]) + " targets", t["targets"], [med, share])

qp = quarter(last)
check_report("quarter", json.load(open(out + "/quarter.json")), qp,
             quarter(qp[0] - 1))
allp = (first // DAY * DAY, (last // DAY + 1) * DAY)
check_report("all", json.load(open(out + "/all.json")), allp, None)
check_report("min 2", json.load(open(out + "/min2.json")), p,
             month_before(p), minv=2)
rp = (ms(2026, 7, 10), ms(2026, 8, 21))
check_report("range", json.load(open(out + "/range.json")), rp,
             (2 * rp[0] - rp[1], rp[0]))
check_report("by", json.load(open(out + "/by.json")), p, month_before(p),
             bys=("unit", "inspector"))
# A form never visited: the formats hold nothing but its questions.
def rows_of(name):
    with open(out + "/never." + name, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))
check("never: csv rankings, a header only", len(rows_of("csv")), 1)
check("never: csv alerts, a header only", len(rows_of("csv-alerts")), 1)
check("never: csv visits, a header with its questions",
      (len(rows_of("csv-visits")), "handwash" in rows_of("csv-visits")[0]),
      (1, True))
qs = rows_of("csv-questions")
check("never: csv questions, each seen by none",
      {r[3] for r in qs[1:]} if len(qs) > 1 else None, {"0"})
nv = json.load(open(out + "/never.json", encoding="utf-8"))
check("never: json", (nv["family"], nv["form"]["id"],
                      nv["headline"]["now"]["visits"], nv["alerts"],
                      [nv["rankings"][b]["ranked"] + nv["rankings"][b]["unranked"]
                       for b in sorted(nv["rankings"])]),
      ("restaurant-hygiene", "restaurant-hygiene", 0, [], [[]] * 4))
page = open(out + "/never.html", encoding="utf-8").read()
check("never: html, a whole page that says so",
      (page.startswith("<!DOCTYPE html>"), '<html lang="en"' in page,
       page.rstrip().endswith("</html>"),
       "No visits in this period." in page), (True, True, True, True))
never_text = open(out + "/never.text", encoding="utf-8").read()
check("never: text file says so", "No visits in this period." in never_text,
      True)

empty = json.load(open(out + "/empty.json"))
check("empty: visits", empty["headline"]["now"]["visits"], 0)
check("empty: visits before", empty["headline"]["before"]["visits"],
      len(visits_in(month(ms(2026, 5, 1)))))
check("empty: no ranked unit", empty["rankings"]["unit"]["ranked"], [])

# Text: never wider than 80 columns, hostile names shown as text, the
# headline and the unit ranking as JSON and Python have them.
def cols(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w

text = open(out + "/month.txt", encoding="utf-8").read()
for i, line in enumerate(text.split("\n")):
    if cols(line) > 80:
        problems.append("text line %d is %d columns: %s" % (i + 1, cols(line), line))
if "\x1b" in text or "\x07" in text:
    problems.append("text holds a raw control character")
s, n = mean_score(cur)
check("text: visits line", re.search(r"^Visits +(\d+)  \(([-+]\d+)\)$", text,
                                     re.M).groups(),
      (str(len(cur)), "%+d" % (len(cur) - len(visits_in(month_before(p))))))
check("text: mean score", re.search(r"^Mean score +([\d.]+) %", text,
                                    re.M).group(1), "%.1f" % (100.0 * s / n))
ranked, unranked, _ = ranking(cur, "unit", 3)
sect = text.split("RANKING BY UNIT")[1].split("RANKING BY")[0]
rows = [l for l in sect.split("\n") if re.match(r"^ {0,2}\d+ ", l)]
got = []
for l in rows:
    m = list(re.finditer(r" (\d+) +([\d.]+)% ", l))[-1]
    got.append((int(l[:3]), int(m.group(1)), m.group(2)))
check("text: unit ranking", got,
      [(x["rank"], x["visits"], "%.1f" % (100.0 * x["sum"] / x["scored"]))
       for x in ranked])
med, share = target_values(cur)
check("text: settled target",
      re.search(r"share of yes at least 70\.0 %: ([\d.]+) %", text).group(1),
      "%.1f" % share)
# A hostile unit, wherever it is listed this month.
hostile = [v["unit"] for v in cur if "\x1b" in v["unit"]]
for u in hostile:
    shown = u.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    if shown[:8] not in text:
        problems.append("hostile name not shown as text: %r" % shown)

# CSV read back: the unit rows of the rankings table, then the flat table.
with open(out + "/rankings.csv", encoding="utf-8", newline="") as f:
    raw = f.read()
check("csv: BOM", raw[:1], "\ufeff")
check("csv: CRLF", "\r\n" in raw, True)
rows = list(csv.DictReader(raw[1:].splitlines(True)))
units = [r for r in rows if r["ranking"] == "unit" and r["rank"]]
check("csv: unit ranking", [(r["rank"], r["key"], r["visits"]) for r in units],
      [(str(x["rank"]), x["key"], str(x["visits"])) for x in ranked])
for r, x in zip(units, ranked):
    check("csv: score of " + x["key"], float(r["mean_score"]),
          100.0 * x["sum"] / x["scored"])
with open(out + "/questions.csv", encoding="utf-8", newline="") as f:
    qs = list(csv.DictReader(f))
settled = [r for r in qs if r["question"] == "settled" and r["answer"] == "yes"]
check("csv: settled share", float(settled[0]["share"]), share)
wait = [r for r in qs if r["question"] == "wait"]
check("csv: wait median", float(wait[0]["median"]), med)
with open(out + "/alerts.csv", encoding="utf-8", newline="") as f:
    al = list(csv.DictReader(f))
check("csv: alerts", [(r["visit"], r["question"]) for r in al],
      [(a["visit"], a["question"]) for a in rep["alerts"]])

def cell(v):
    # Controls shown as the text report shows them, a newline kept, then
    # a formula defused.
    if v is None:
        return ""
    if isinstance(v, list):
        v = ";".join(v)
    if isinstance(v, str):
        v = visible(v, newlines=True)
        return "'" + v if v[:1] in ("=", "+", "-", "@") else v
    return v

# No raw control reaches a table but the CRLF ending a row and a newline
# in a quoted field: none of C0, DEL, C1 (U+0085) or the bidi overrides.
for name in ("rankings", "questions", "alerts", "visits"):
    raw = open(out + "/" + name + ".csv", encoding="utf-8", newline="").read()
    bare = raw.replace("\r\n", "").replace("\n", "")
    if visible(bare) != bare:
        problems.append("csv %s: a raw control %r" %
                        (name, [c for c in bare if visible(c) != c][:3]))

with open(out + "/visits.csv", encoding="utf-8-sig", newline="") as f:
    flat = list(csv.DictReader(f))
check("csv visits: one row each", len(flat), len(truth))
byid = {v["id"]: v for v in truth}
for r in flat:
    v = byid[r["visit"]]
    for col, key in (("unit_id", "unit_id"), ("division", "division"),
                     ("person", "person"), ("inspector", "inspector")):
        check("csv visits %s %s" % (v["id"], col), r[col], cell(v[key]) or "")
    check("csv visits %s score" % v["id"], float(r["score"]), v["score"])
    check("csv visits %s alerts" % v["id"], int(r["alerts"]), len(v["alerts"]))
    for qid, a in v["answers"].items():
        want = cell(a)
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            check("csv visits %s %s" % (v["id"], qid), float(r[qid]), float(want))
        else:
            check("csv visits %s %s" % (v["id"], qid), r[qid], want)

for p in problems[:40]:
    print(p)
print("%d problems" % len(problems))
sys.exit(1 if problems else 0)
EOF
rc=$?
if [ "$rc" -eq 0 ]; then
	t_ok "figures as computed from the truth file"
else
	t_fail "figures as computed from the truth file" "$(cat "$T_TMP/check.out")"
fi

# Errors: one line each, with the exit codes anfang(1) gives.
assert_exit "unknown form" 66 rep --form nope
assert_contains "unknown form: said" "no visits of a form or family called nope" \
    "$T_ERR"
assert_exit "a bad date" 64 rep --from 2026-02-30
assert_contains "a bad date: said" '--from: "2026-02-30" is not a date' "$T_ERR"
assert_exit "a hostile date" 64 rep --to $'2026\e[2J-01'
assert_contains "a hostile date: shown visible" \
    '--to: "2026\x1b[2J-01" is not a date' "$T_ERR"
assert_not_contains "a hostile date: no control reaches the terminal" \
    $'\e' "$T_ERR"
assert_exit "--from after --to" 64 rep --from 2026-08-01 --to 2026-07-01
assert_exit "--table without csv" 64 rep --table visits
assert_exit "a bad --by" 64 rep --by units
# What was given is quoted with its controls made visible, never sent raw
# to the terminal.
for opt in --form --from --period --by --format --table; do
	t_run rep "$opt" $'x\e]0;owned\a'
	assert_eq "$opt with controls: one line, shown as escapes" \
	    "1 1 0" "$(grep -c . <<<"$T_ERR") $(grep -cF 'x\x1b]0;owned\x07' \
	    <<<"$T_ERR") $(grep -c $'\e' <<<"$T_ERR")"
done
# --out is written whole or not at all: a failed report leaves no file.
assert_exit "failed report: nothing written" 66 rep --form nope \
    --out "$OUT/none.txt"
assert_eq "failed report: no file, no temporary" "" \
    "$(find "$OUT" -name '*none*' -o -name '.*tmp*')"

# --- --out on a full disk (a 64 KiB tmpfs filled up; skipped where
# mounting is not permitted: a file-size limit cannot stand in for it, as
# the database is larger than any report): exit 74, one line naming the
# file and the reason, no file and no temporary left, an older file of
# that name kept as it was.
FULL=$T_TMP/full
mkdir -p "$FULL"
if mount -t tmpfs -o size=64k,mode=0700 tmpfs "$FULL" 2>/dev/null; then
	trap 'rc=$?; umount "$FULL" 2>/dev/null; (exit $rc); _t_exit' EXIT
	printf 'an older report\n' >"$FULL/kept.txt"
	head -c 65536 /dev/zero >"$FULL/filler" 2>/dev/null
	before=$(ls -A "$FULL")
	for f in "text" "csv" "csv --table visits" "json" "html"; do
		# shellcheck disable=SC2086 # the words of the format
		assert_refused "full disk, $f: exit 74, the file and why" 74 \
		    "anfang: $FULL/r: No space left on device" \
		    rep --period all --format $f --out "$FULL/r"
		assert_eq "... no file, no temporary" "$before" \
		    "$(ls -A "$FULL")"
	done
	assert_refused "full disk, over an older file: exit 74" 74 \
	    "anfang: $FULL/kept.txt: No space left on device" \
	    rep --period all --out "$FULL/kept.txt"
	assert_eq "... the older file kept" "an older report" \
	    "$(cat "$FULL/kept.txt")"
else
	t_skip "--out on a full disk" "mounting a tmpfs is not permitted"
fi

t_done
