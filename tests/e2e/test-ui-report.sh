#!/usr/bin/env bash
# The report screen at 80x24: r on the visits screen says there is nothing
# to report on an empty database (and on drafts only) and stays there;
# with visits recorded in several months and units it opens on the latest
# month: the headline, the ranking by unit worst first with bars as long
# as the scores, then by division, person, inspector and the alert queue;
# the period before and after, a quarter; Enter lists a ranked unit's (or
# a division's, within its unit) visits of the period, and Enter again
# reads one, read only; q backs out; the panic key locks it and the
# passphrase brings it back; no row is wider than the terminal, at 80x24
# and after resizing.  Without UTF-8 the bars are '#'.  Names that came in
# a batch (a form title and a unit name with escapes) are drawn with their
# control characters made visible, the inspector by the keyring's label.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

export TZ=Asia/Taipei
BAD=$T_ROOT/tests/bench/answers-zh.json # high and low alerts, low score
GOOD=$T_TMP/good.json
cat >"$GOOD" <<'EOF'
{"arrival_time": "09:15", "people_waiting": 2, "wait": 120,
 "staff_present": "yes", "badge_shown": "yes", "competent": "answered",
 "engaged": "yes", "first_asked": "responsible", "service": 300, "trips": 1,
 "settled": "yes", "favours": "no", "posted": ["procedure", "fees"],
 "posted_quality": "complete", "attitude": 5}
EOF
# The report's labels are those of the form the visits used (the family's
# twin in the reader's language when visits used it too).
TITLE=政務服務窗口暗訪檢查表
ZH_TITLE=$TITLE
DC=東城區政務服務中心
CITY=市政務服務中心（市民中心）
TAX=市稅務局第一辦稅服務廳

# assert_fits NAME [COLS]: no row of the screen wider than COLS (80).
assert_fits()
{
	local cols=${2:-80} w
	w=$(tui_screen | wc -L)
	if [ "$w" -le "$cols" ]; then
		t_ok "$1: no row wider than $cols columns"
	else
		t_fail "$1: no row wider than $cols columns" "$w"
		tui_screen | _t_indent
	fi
}

# rec UNIT DIVISION PERSON ANSWERS "YYYY-MM-DD HH:MM": a finalized visit.
rec()
{
	an record --form service-window --unit "$1" --division "$2" \
	    --person "$3" --answers "$4" --at "$5" --finalize >/dev/null
}

# row TEXT: the screen's first row holding TEXT.
row()
{
	tui_screen | grep -F -- "$1" | head -n 1
}

# --- an empty database: nothing to report, the visits screen stays
ui_init
ui_start
ui_unlock "empty"
assert_screen "the visits screen offers r report" "r report"
tui_keys r
assert_screen "empty: r says there is nothing to report" \
    "nothing to report: no visit has been finalized or received yet"
assert_screen "... and stays on the visits screen" "anfang  visits (0)"
tui_keys q
assert_eq "empty: quit with 0" 0 "$(tui_exit_status 20)"

# A draft is not reported.
t_check "a draft" an record --form service-window --unit city-tax-01 \
    --answers "$GOOD" --at "2025-11-20 10:00"
ui_start
ui_unlock "a draft only"
tui_keys r
assert_screen "a draft only: nothing to report" "nothing to report"
tui_keys q
assert_eq "draft only: quit with 0" 0 "$(tui_exit_status 20)"

# --- visits in 2025-08, -10 and -11 (none in September): two units of
# three visits each month (the east centre the worse), one of one.
ok=1
for m in 08 10 11; do
	rec city-gov-centre "window 3" "No. 12" "$GOOD" "2025-$m-05 10:00" &&
	    rec city-gov-centre "window 3" "No. 12" "$BAD" "2025-$m-06 10:00" &&
	    rec city-gov-centre 綜合窗口 王小明 "$GOOD" "2025-$m-07 10:00" &&
	    rec dongcheng-gov-centre 綜合窗口 李四 "$BAD" "2025-$m-08 10:00" &&
	    rec dongcheng-gov-centre 綜合窗口 李四 "$BAD" "2025-$m-09 10:00" &&
	    rec dongcheng-gov-centre 綜合窗口 張三 "$GOOD" "2025-$m-10 11:00" &&
	    rec city-tax-01 tax "No. 1" "$GOOD" "2025-$m-11 10:00" || ok=0
done
rec city-tax-01 tax "No. 1" "$GOOD" "2025-11-12 10:00" || ok=0
assert_eq "22 visits recorded" 1 "$ok"

ui_start
ui_unlock "report"
tui_keys r
assert_screen "r: the report of the latest month" \
    "anfang  report: $TITLE  |  2025-11"
assert_screen "the headline: visits, units, inspectors and changes" \
    "2025-11  visits 8 (+1)  units 3 (=)  inspectors 1 (=)"
assert_screen "... alerts of the month" \
    "alerts: high 6, medium 0, low 3; 9 open"
assert_screen "the bar offers the views and the periods" \
    "Tab ranking  < previous  > next  Enter visits"
assert_fits "the report"
r1=$(row " 1 $DC")
r2=$(row " 2 $CITY")
assert_contains "rank 1, the worst: the east centre, 3 visits, cursor on it" \
    "> " "${r1:0:2}"
assert_contains "rank 2: the city centre" "$CITY" "$r2"
assert_contains "... its 3 visits" " 3 " "$r2"
assert_contains "... rank change against October: the same" " =" "$r2"
assert_screen "fewer than 3 visits: listed apart" \
    "fewer than 3 visits, not ranked:"
assert_contains "... the tax hall there, 2 visits" " 2 " "$(row "$TAX")"
assert_screen "the worst unit's most failed questions" "most failed:"

# The bars: a 16-column bar of blocks as long as the score says, in
# eighths (worked out here from the figure on the row).
for r in "$r1" "$r2"; do
	pct=$(grep -oE '[0-9]+\.[0-9]%' <<<"$r" | tr -d %)
	e=$(awk -v p="$pct" 'BEGIN { printf "%d", p / 100 * 128 + 0.5 }')
	full=$(grep -o '█' <<<"$r" | wc -l)
	assert_eq "a bar of $pct%: $((e / 8)) full blocks" $((e / 8)) "$full"
done
r1_score=$(grep -oE '[0-9]+\.[0-9]%' <<<"$r1" | tr -d %)
r2_score=$(grep -oE '[0-9]+\.[0-9]%' <<<"$r2" | tr -d %)
assert_eq "worst first: rank 1 scores lower" 1 \
    "$(awk -v a="$r1_score" -v b="$r2_score" 'BEGIN { print (a < b) }')"

tui_keys "?"
assert_screen "?: the report's help" "anfang  help"
help=$(tui_screen)
for k in Tab S-Tab "</Left" ">/Right" Enter u d p i a m Down/j Up/k; do
	assert_contains "... explains $k" "  $k " "$help"
done
tui_keys q
assert_screen "q: the report again" ">  1 $DC"

# --- the other rankings and the alerts
tui_keys Tab
assert_screen "Tab: by division, within each unit" "1 綜合窗口 / $DC"
assert_screen "... the centre's own 綜合窗口 apart" "綜合窗口 / 市政務服務中心（…"
tui_keys p
assert_screen "p: by person" "李四 / $DC"
tui_keys i
assert_screen "i: by inspector, this database's key" \
    "$(an key show 2>/dev/null | grep -oE '[0-9A-F]{16}' | head -n 1)"
tui_keys a
assert_screen "a: the alert queue" "level  state  date"
assert_screen "... high first, open, with its unit" \
    "> high   open   2025-11-06 市政務服務中心（市民中…"
assert_screen "Enter opens an alert's visit" "Enter open"
assert_fits "the alerts"

# --- closing an alert with a note, and reopening it
av=$(tui_screen | sed -n 's/^ open; visit \([a-z0-9]*\) by .*/\1/p')
assert_eq "the first alert's visit named below the list" 12 "${#av}"
assert_screen "the bar offers c close on an open alert" "c close"
tui_keys c
assert_screen "c asks how it was handled" "Closed, how:"
assert_eq "... the bar: only the lock while the note is typed" "^L lock" \
    "$(tui_screen | sed -n '24p' | sed 's/ *$//')"
tui_type "x"
tui_keys Escape
assert_screen "Esc cancels" "cancelled: the alert is as it was"
assert_screen "... it is open still" "> high   open   2025-11-06"
tui_keys c
assert_screen "c again" "Closed, how:"
tui_keys Enter
assert_screen "an empty note is not taken" \
    "a note is needed: how was it handled?"
tui_type "half a note"
# shown first, or its going says nothing of the lock
assert_screen "the note typed" "Closed, how: half a note"
tui_keys C-l
assert_screen_gone "Ctrl-L while typing the note: locked" "half a note"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "unlocked: the alerts, no note asked" "level  state  date" 20
assert_screen_gone "... the half note dropped" "Closed, how:" 5
assert_screen "... and the alert open" "> high   open   2025-11-06"
tui_keys c
tui_type "退款 200 元；窗口主任已約談"
tui_keys Enter
assert_screen "Enter: the alert closed" "alert closed"
assert_screen "... drawn closed, after the open high ones" \
    "  high   closed 2025-11-06 市政務服務中心（市民中…"
tui_keys Down Down Down Down Down
assert_screen "... with who handled it and how" \
    "by $(an key show 2>/dev/null | grep -oE '[0-9A-F]{16}' | head -n 1): 退款 200 元；窗口主任已約談"
assert_screen "... the headline counts one open fewer" "low 3; 8 open"
tui_keys c
assert_screen "c on a closed alert says o reopens it" \
    "this alert is closed: o reopens it"
assert_screen "the bar offers o reopen on a closed alert" "o reopen"
tui_keys o
assert_screen "o asks why" "Reopened, why:"
tui_type "收據未見"
tui_keys Enter
assert_screen "Enter: reopened" "alert reopened"
assert_screen "... 9 open again" "low 3; 9 open"
tui_keys Home
tui_keys Tab
assert_screen "Tab after the alerts: by unit again" ">  1 $DC" 5

# --- periods
tui_keys "<"
assert_screen "<: October" "anfang  report: $TITLE  |  2025-10"
assert_screen "... its headline" "2025-10  visits 7 (+7)"
tui_keys "<"
assert_screen "<: September, empty" \
    "No visits in this period: < and > go to another."
tui_keys Left
assert_screen "Left: August" "2025-08  visits 7"
tui_keys "<"
assert_screen "nothing before the first visit" "no visits before this period"
tui_keys ">" Right Right
assert_screen "> Right Right: November again" "2025-11  visits 8"
tui_keys m
assert_screen "m: the quarter" "2025 Q4  visits 15"
tui_keys m m
assert_screen "m m: the year, then the month of its last visit" \
    "anfang  report: $TITLE  |  2025-11"

# --- drill down: a unit's visits, one visit, back out
tui_keys u Enter
assert_screen "Enter: the worst unit's visits of the month" \
    "anfang  visits of: $DC  |  2025-11"
assert_screen "... 3 of them" "3 visit(s); Enter reads one"
assert_screen "... in order" "> 2025-11-08 10:00"
assert_screen "... each" "  2025-11-10 11:00"
assert_eq "... and no other unit's" 0 \
    "$(tui_screen | grep -cF -e "$CITY" -e "$TAX")"
assert_fits "the unit's visits"
tui_keys Down Enter
assert_screen "Enter: that visit's answers, read only" \
    "review: $ZH_TITLE  |  $DC"
assert_screen "... finalized, read only" "finalized: read only"
assert_screen "... its answers" "到達時排隊等候的人數: 7"
assert_fits "the visit"
tui_keys q
assert_screen "q: the unit's visits" "anfang  visits of: $DC"
tui_keys q
assert_screen "q: the report, where it was" ">  1 $DC"

# A division's visits are those of the division in its unit.
tui_keys d Enter
assert_screen "a division's visits" \
    "anfang  visits of: 綜合窗口 / $DC  |  2025-11"
assert_screen "... its 3" "3 visit(s)"
assert_eq "... none of the same division of the other centre" 0 \
    "$(tui_screen | grep -cF "$CITY")"
tui_keys q

# --- the panic key and back
tui_keys C-l
assert_screen_gone "Ctrl-L: the report goes" "$DC"
assert_eq "locked: only \"\$\" on the screen" '$' \
    "$(tui_screen | grep -v '^ *$')"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "unlocked: the report again" "anfang  report: $TITLE  |  2025-11" 20
assert_screen "... the division ranking as it was" ">  1 綜合窗口 / $DC"

# --- resizing
tui_resize 100 30
assert_screen "100x30: more room for names" "$(printf '%-40s' '')"
assert_fits "100x30" 100
tui_resize 60 20
# the row as drawn at 80 columns holds "1 綜合窗口" too: wait for its cut
assert_screen "60x20: still the ranking, the name cut to fit" \
    ">  1 綜合窗口 / 東城…"
assert_fits "60x20" 60
tui_resize 80 24
assert_screen "80x24 again" ">  1 綜合窗口 / $DC"
assert_fits "80x24 again"

tui_keys q
assert_screen "q: the visits screen" "anfang  visits ("
tui_keys q
assert_eq "quit with 0" 0 "$(tui_exit_status 20)"
t_check "alerts, after the UI has gone" an alerts
assert_contains "the alert closed and reopened: open" \
    "high    open    2025-11-06 10:00  $av" "$T_OUT"
t_check "show the visit" an show "$av"
assert_contains "the audit trail: closed, with the note" \
    "退款 200 元；窗口主任已約談" "$T_OUT"
assert_contains "... reopened, with its note" "收據未見" "$T_OUT"

# --- without UTF-8: bars of '#'
LANG=C LC_ALL=C ui_start
ui_unlock "C locale"
tui_keys r
assert_screen "C locale: the report" "2025-11  visits 8"
assert_screen "... bars of '#'" "########"
assert_eq "... no block characters" 0 "$(tui_screen | grep -c '█')"
assert_fits "C locale"
tui_keys q q
assert_eq "C locale: quit with 0" 0 "$(tui_exit_status 20)"

# --- names from a batch, with escapes in them, made visible
HF=$T_TMP/hforms
mkdir -p "$HF" "$T_TMP/out"
cat >"$HF/rules.yaml" <<'YAML'
form: rules
version: 1
title: "Rules\e]0;TITLE\a"
language: en
units:
  - {id: u1, name: Unit one}
  - {id: u2, name: "Unit\e[2J two"}
sections:
  - title: S
    questions:
      - id: fee
        type: number
        label: Fee
      - id: hot
        type: yesno
        label: Hot holding?
        score: {yes: 1, no: 0}
YAML
printf '{"fee": 200, "hot": "no"}\n' >"$T_TMP/rules.json"
insp=$T_TMP/db/inspector.db
ai()
{
	UI_DB=$insp UI_FORMS=$HF an "$@"
}
t_check "inspector: init" ai init --kdf interactive
for d in 03 04 05; do
	t_check "inspector: a visit at the unit of escapes" ai record \
	    --form rules --unit u2 --answers "$T_TMP/rules.json" \
	    --at "2025-11-$d 10:00" --finalize
done
t_check "inspector: key show" ai key show
printf '%s\n' "$T_OUT" >"$T_TMP/inspector.pub"
t_check "inspector: export" ai export --out "$T_TMP/out"
batch=$(printf '%s\n' "$T_OUT" | grep '\.jsonl$' | head -n 1)
UI_DB=$T_TMP/db/supervisor.db
UI_FORMS=$HF
ui_init
t_check "supervisor: keyring add" an keyring add "$T_TMP/inspector.pub" \
    --label "inspector 7"
t_check "supervisor: import" an import "$batch"
ui_start
ui_unlock "supervisor"
tui_keys r
assert_screen "the title's escapes made visible" \
    'report: Rules\x1b]0;TITLE\x07  |  2025-11'
assert_screen "the unit's escapes made visible in the ranking" \
    '>  1 Unit\x1b[2J two'
tui_keys i
assert_screen "the inspector by the keyring's label" ">  1 inspector 7"
tui_keys u Enter
assert_screen "the unit's visits: its name made visible" \
    'visits of: Unit\x1b[2J two  |  2025-11'
assert_screen "... its 3 visits" "3 visit(s)"
assert_screen "... the inspector's label" "inspector 7"
# the visits screen and a visit's review show them as the report does
tui_keys q q
assert_screen "the visits screen: the unit's escapes made visible" \
    'Unit\x1b[2J two'
tui_keys Enter
assert_screen "the review: the title's and unit's escapes made visible" \
    'review: Rules\x1b]0;TITLE\x07  |  Unit\x1b[2J two'
tui_keys q q
assert_eq "supervisor: quit with 0" 0 "$(tui_exit_status 20)"

# --- generated visits: the ranking on screen against figures Python works
# out from the generator's truth file (batch-lib's an takes the database
# first: it replaces ui-lib's from here on)
# shellcheck source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"
# shellcheck source=gen-lib.sh
. "$(dirname "$0")/gen-lib.sh"
gen_supervisor gen --visits 300 --seed 7
UI_DB=$GEN_DB
UI_FORMS=$GEN_DIR/forms
UI_PASS=$(cat "$PASS")
ui_start
ui_unlock "generated"
tui_keys r
# "visits " alone is also on the visits screen: wait for the report's own
# heading and its headline, or the capture may still be the list
assert_screen "generated: the report of the last month" "anfang  report: "
assert_screen "generated: its headline" " inspectors "
tui_screen >"$T_TMP/gen-screen.txt"
tui_keys q q
assert_eq "generated: quit with 0" 0 "$(tui_exit_status 20)"
if python3 - "$GEN_TRUTH" "$T_TMP/gen-screen.txt" <<'PY' >"$T_TMP/gen.out" 2>&1; then
import datetime, json, re, sys
from functools import cmp_to_key

truth = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
screen = open(sys.argv[2], encoding="utf-8").read().splitlines()
SEV = {"low": 1, "medium": 2, "high": 3}
for v in truth:
    v["month"] = v["took"][0:7]
last = max(v["month"] for v in truth)
cur = [v for v in truth if v["month"] == last]
units = {}
for v in cur:
    u = units.setdefault(v["unit_id"], {"id": v["unit_id"], "vs": []})
    u["vs"].append(v)
for u in units.values():
    s = [v for v in u["vs"] if v["score_max"] > 0]
    u["score"] = (100.0 * sum(v["score"] / v["score_max"] for v in s)
                  / len(s)) if s else None
    u["alerts"] = [0, 0, 0, 0]
    for v in u["vs"]:
        for q, sev in v["alerts"]:
            u["alerts"][SEV[sev]] += 1

def worse(a, c):
    if (a["score"] is None) != (c["score"] is None):
        return -1 if a["score"] is not None else 1
    if a["score"] is not None and abs(a["score"] - c["score"]) > 1e-9:
        return -1 if a["score"] < c["score"] else 1
    for s in (3, 2, 1):
        if a["alerts"][s] != c["alerts"][s]:
            return -1 if a["alerts"][s] > c["alerts"][s] else 1
    ka, kc = a["id"].encode(), c["id"].encode()
    return (ka > kc) - (ka < kc)

ranked = sorted([u for u in units.values() if len(u["vs"]) >= 3],
                key=cmp_to_key(worse))
want = ["%d %d %s" % (i + 1, len(u["vs"]),
        "-" if u["score"] is None else "%.1f%%" % u["score"])
        for i, u in enumerate(ranked)]
got = []
for line in screen:
    m = re.match(r"^[> ] *(\d+) .*? +(\d+) +(\d+\.\d%|-) ", line)
    if m and not line.startswith("  fewer"):
        got.append("%s %s %s" % m.groups())
head = re.search(r"visits (\d+) .* inspectors (\d+)", screen[1])
problems = []
if head is None or head.groups() != (str(len(cur)),
                                     str(len({v["inspector"] for v in cur}))):
    problems.append("headline %r, want %d visits, %d inspectors" % (
        screen[1], len(cur), len({v["inspector"] for v in cur})))
if not got or got != want[:len(got)]:
    problems.append("ranking %r, want %r" % (got, want))
if last not in screen[0]:
    problems.append("heading %r, want the month %s" % (screen[0], last))
print("\n".join(problems) or "ranks, visits and scores of %d units" % len(got))
sys.exit(1 if problems else 0)
PY
	t_ok "generated: as worked out from the truth file: $(cat "$T_TMP/gen.out")"
else
	t_fail "generated: the ranking on screen as the truth file says" \
	    "$(cat "$T_TMP/gen.out")"
fi

t_done
