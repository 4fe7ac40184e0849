#!/usr/bin/env bash
# e2e: normal build only: the report rows run sanitized in unit/test-store-report
# What reports read (schema 5's rows) agrees with what the visits hold:
# generated visits with known answers (tests/tools/gen-visits), imported by
# a supervisor with the real `anfang import`, compared in Python with the
# generator's truth file: each visit's score and the most it could reach,
# the current (amended) value of each question shown and nothing for the
# hidden ones (packed in report_visits: read back through the report's
# csv visits table), each alert.  And the generated data has what the report
# tests need: both twin forms, amendments, hostile names and answers
# (controls, lines, a bidi override, a formula), an empty month,
# units and a person with fewer than 3 visits.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"
# shellcheck source-path=SCRIPTDIR source=gen-lib.sh
. "$(dirname "$0")/gen-lib.sh"

gen_supervisor sup --visits 300 --months 6 --seed 11
sql()
{
	"$ANFANG_TOOLS/db-sql" "$1" "$2" <"$PASS"
}
sql "$GEN_DB" "SELECT id, score, score_max, status FROM visits" \
    >"$T_TMP/visits.txt"
assert_exit "the report's visits table" 0 an "$GEN_DB" report \
    --form service-window --period all --format csv --table visits \
    --out "$T_TMP/values.csv"
sql "$GEN_DB" "SELECT visit, question, severity FROM report_alerts" \
    >"$T_TMP/alerts.txt"

assert_exit "the rows agree with the truth file" 0 python3 - \
    "$GEN_TRUTH" "$T_TMP" <<'EOF'
import csv, json, sys
from report_visible import visible
truth = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
d = sys.argv[2]
sev = {"low": 1, "medium": 2, "high": 3}
bad = []
rows = {}
for l in open(d + "/visits.txt"):
    i, score, mx, status = l.rstrip("\n").split("|")
    rows[i] = (float(score), float(mx), int(status))
vals = {}
with open(d + "/values.csv", newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        vals[r["visit"]] = r
alerts = {}
for l in open(d + "/alerts.txt"):
    v, q, s = l.rstrip("\n").split("|")
    alerts.setdefault(v, set()).add((q, int(s)))
if len(rows) != len(truth):
    bad.append("%d visits stored, %d generated" % (len(rows), len(truth)))
for t in truth:
    i = t["id"]
    if rows.get(i) != (t["score"], t["score_max"], 3):
        bad.append("%s: score %s, want %s" % (i, rows.get(i), (t["score"], t["score_max"])))
    got = vals.get(i)
    if got is None:
        bad.append("%s: not in the report" % i)
        continue
    # The csv writes no answer and an empty one alike: both "".
    for q, a in t["answers"].items():
        g = got.get(q)
        if a is None or a == []:
            ok = g == ""
        elif isinstance(a, list):
            ok = sorted(g.split(";")) == sorted(a)
        elif isinstance(a, (int, float)) and not isinstance(a, bool):
            ok = g != "" and float(g) == float(a)
        elif isinstance(a, str):
            # controls made visible, a newline kept, a formula defused
            a = visible(a, newlines=True)
            ok = g == ("'" + a if a[:1] and a[:1] in "=+-@" else a)
        else:
            ok = g == a
        if not ok:
            bad.append("%s: %s is %r, want %r" % (i, q, g, a))
    for q in got:
        if q in t["answers"] or q in ("visit", "form", "form_version",
                "status", "took", "finalized", "unit_id", "unit_name",
                "division", "person", "inspector", "score", "score_max",
                "alerts"):
            continue
        if got[q] != "":
            bad.append("%s: %s is %r, not shown or unanswered" % (i, q, got[q]))
    wa = {(q, sev[s]) for q, s in t["alerts"]}
    if alerts.get(i, set()) != wa:
        bad.append("%s: alerts %s, want %s" % (i, alerts.get(i), wa))
for b in bad[:10]:
    print(b)
sys.exit(1 if bad else 0)
EOF

assert_exit "the generated data has what report tests need" 0 python3 - \
    "$GEN_TRUTH" <<'EOF'
import json, sys, collections
truth = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
forms = {t["form"] for t in truth}
months = {t["took"][:7] for t in truth}
units = collections.Counter(t["unit_id"] for t in truth)
persons = collections.Counter(t["person"] for t in truth)
names = " ".join(t["unit"] + (t["person"] or "") for t in truth)
texts = " ".join(a for t in truth for a in t["answers"].values()
                 if isinstance(a, str))
problems = []
if forms != {"service-window", "service-window-en"}:
    problems.append("forms %s" % forms)
# six months ending 2026-10, the second empty
if sorted(months) != ["2026-05", "2026-07", "2026-08", "2026-09", "2026-10"]:
    problems.append("months %s" % sorted(months))
if sorted(units.values())[:2] != [1, 2]:
    problems.append("no units with 1 and 2 visits")
if min(persons.values()) > 2:
    problems.append("no person with fewer than 3 visits")
for needle in ["<script>", '"', "&", "\x1b", "\x07", "\x7f", "\u0085",
               "\u202e"]:
    if needle not in names:
        problems.append("no %r in the names" % needle)
for needle in ["\n", "\t", "\u202e", "="]:
    if needle not in texts:
        problems.append("no %r in the text answers" % needle)
if not any(len(t["unit"]) >= 40 for t in truth):
    problems.append("no long name")
if not any(t["alerts"] for t in truth):
    problems.append("no alerts")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF

n=0
for db in "$GEN_DIR"/inspector-*.db; do
	n=$((n + $(sql "$db" "SELECT count(DISTINCT visit) FROM amendments")))
done
assert_eq "some visits were amended" 1 "$((n > 0))"

t_done
