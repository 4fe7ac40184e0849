#!/usr/bin/env bash
# The alert queue: import prints the high-severity alerts each batch has
# just brought in (and not those of an earlier batch); `alerts` lists them
# all, high first then newest, as the generator's truth file says; close
# and reopen are kept across runs of the program, shown by `show` with the
# database's audit trail, and leave a received visit's own trail intact;
# wrong visits, questions and a missing note give one line and the right
# exit code.  Names from batches are hostile: printed, controls are made
# visible.  --period and dates select as in anfang report.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"
# shellcheck source-path=SCRIPTDIR source=gen-lib.sh
. "$(dirname "$0")/gen-lib.sh"

GEN_IMPORT=0 gen_supervisor sup --visits 400 --months 4 --inspectors 2 \
    --seed 5
mapfile -t batches < <(ls "$GEN_DIR"/batches/*.jsonl)
assert_eq "two batches" 2 "${#batches[@]}"

# The high alerts of a batch's visits, "VISIT QUESTION" sorted, from the
# truth file and the batch's own lines.
want_highs()
{
	python3 - "$GEN_TRUTH" "$1" <<'EOF'
import json, re, sys
ids = set(re.findall(r'^\{"visit":"([a-z0-9]{12})"', open(sys.argv[2], encoding="utf-8").read(), re.M))
out = []
for l in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(l)
    if t["id"] in ids:
        out += ["%s %s" % (t["id"], q) for q, s in t["alerts"] if s == "high"]
print("\n".join(sorted(out)))
EOF
}
# "VISIT QUESTION" of each alert line of the output on stdin, sorted.
got_alerts()
{
	sed -n 's/^\(high\|medium\|low\) *\(open\|closed\) *[0-9-]* [0-9:]*  \([a-z0-9]\{12\}\)  \([a-z_]*\)  .*$/\3 \4/p' |
	    sort
}

for i in 0 1; do
	assert_exit "import batch $((i + 1))" 0 an "$GEN_DB" import \
	    "${batches[$i]}"
	out=$T_OUT
	want=$(want_highs "${batches[$i]}")
	assert_eq "import $((i + 1)) prints the high alerts it brought in" \
	    "$want" "$(got_alerts <<<"$out")"
	if [ -n "$want" ]; then
		assert_contains "... under a heading" \
		    "high-severity alerts just brought in" "$out"
	fi
	assert_not_contains "... controls made visible" $'\e' "$out"
	highs[i]=$want
done
assert_eq "the batches hold high alerts to print" 1 \
    "$([ -n "${highs[0]}" ] && [ -n "${highs[1]}" ] && echo 1 || echo 0)"

# --- the queue
assert_exit "alerts" 0 an "$GEN_DB" alerts
all=$T_OUT
assert_not_contains "alerts: controls made visible" $'\e' "$all"
assert_eq "alerts: every alert of the truth file" \
    "$(python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(l)
    for q, s in t["alerts"]:
        print(t["id"], q)' "$GEN_TRUTH" | sort)" \
    "$(got_alerts <<<"$all")"
assert_eq "alerts: high first, then the newest" \
    "$(grep -E '^(high|medium|low) ' <<<"$all" | awk '
	{ r = $1 == "high" ? 3 : $1 == "medium" ? 2 : 1; print r, $3 " " $4 }')" \
    "$(grep -E '^(high|medium|low) ' <<<"$all" | awk '
	{ r = $1 == "high" ? 3 : $1 == "medium" ? 2 : 1; print r, $3 " " $4 }' |
        sort -s -k1,1nr -k2,3r)"
assert_exit "alerts --severity high" 0 an "$GEN_DB" alerts --severity high
assert_eq "... only the high ones" \
    "$(printf '%s\n%s\n' "${highs[0]}" "${highs[1]}" | sort)" \
    "$(got_alerts <<<"$T_OUT")"

# --- close and reopen, each in its own run of the program
read -r visit question <<<"$(head -n 1 <<<"${highs[0]}")"
note='called the unit: "refund" & <apology>'
assert_exit "close an alert" 0 an "$GEN_DB" alerts close "$visit" \
    "$question" --note "$note"
assert_exit "alerts --open" 0 an "$GEN_DB" alerts --open
assert_not_contains "a closed alert is not open" "$visit  $question" \
    "$T_OUT"
assert_exit "alerts" 0 an "$GEN_DB" alerts
assert_contains "it is listed closed" "closed" \
    "$(grep "  $visit  $question  " <<<"$T_OUT")"
keyid=$(an "$GEN_DB" key show | sed -n 's/^untrusted comment: minisign public key \([0-9A-F]*\)$/\1/p')
assert_contains "... with who and how" "by $keyid: $note" "$T_OUT"
assert_exit "show the visit" 0 an "$GEN_DB" show "$visit"
shown=$T_OUT
assert_contains "show: closed, by whom and how" "by $keyid: $note" "$shown"
assert_contains "show: in the database's audit trail" \
    "alert closed: $visit $question: $note" "$shown"
assert_contains "show: that trail intact" \
    "alerts handled, in the database's audit trail: intact (1 entries)" \
    "$shown"
assert_contains "show: the received visit's own trail intact" \
    "audit trail: intact" "$shown"
# show --json: the alert's state and its last handling, as JSON
alert_json()
{
	python3 -c '
import json, sys
v = json.load(sys.stdin)
for a in v["alerts"]:
    if a["question"] == sys.argv[1]:
        print(a["state"], a["handled_by"], a["note"], sep="|")
        print(a["handled_at"][:2], a["handled_at"][-1:])' "$1"
}
assert_exit "show --json" 0 an "$GEN_DB" show "$visit" --json
assert_eq "show --json: closed, by whom and how" \
    "closed|$keyid|$note"$'\n'"20 Z" "$(alert_json "$question" <<<"$T_OUT")"
assert_refused "closing it again" 65 "already closed" \
    an "$GEN_DB" alerts close "$visit" "$question" --note again

assert_exit "reopen it" 0 an "$GEN_DB" alerts reopen "$visit" "$question" \
    --note "not settled after all"
assert_exit "alerts --open" 0 an "$GEN_DB" alerts --open
assert_contains "open again" "open    " \
    "$(grep "  $visit  $question  " <<<"$T_OUT")"
assert_exit "show the visit" 0 an "$GEN_DB" show "$visit"
assert_contains "show: reopened" "reopened" "$T_OUT"
assert_contains "show: both entries in the trail" \
    "alert reopened: $visit $question: not settled after all" "$T_OUT"
assert_contains "show: the trail intact with both" \
    "audit trail: intact (2 entries)" "$T_OUT"
assert_exit "show --json" 0 an "$GEN_DB" show "$visit" --json
assert_eq "show --json: open again, who reopened it and why" \
    "open|$keyid|not settled after all"$'\n'"20 Z" \
    "$(alert_json "$question" <<<"$T_OUT")"

# --- one line and the right exit code
assert_refused "close: no such visit" 66 "no final or received visit" \
    an "$GEN_DB" alerts close zzzzzzzzzzzz "$question" --note x
assert_refused "close: no such alert" 65 "has no alert" \
    an "$GEN_DB" alerts close "$visit" no_such_question --note x
assert_refused "close: no note" 64 "--note" \
    an "$GEN_DB" alerts close "$visit" "$question"
assert_refused "close: an empty note" 64 "--note" \
    an "$GEN_DB" alerts close "$visit" "$question" --note ""
assert_refused "close: a note with controls" 64 "--note" \
    an "$GEN_DB" alerts close "$visit" "$question" --note $'a\e[31mb'
assert_refused "reopen an open alert" 65 "is open" \
    an "$GEN_DB" alerts reopen "$visit" "$question"
assert_refused "alerts: bad severity" 64 "severity" \
    an "$GEN_DB" alerts --severity urgent
assert_refused "alerts: bad date" 64 "not a date" \
    an "$GEN_DB" alerts --from 2026-02-30
assert_refused "alerts: unknown form, as report says it" 66 \
    "no visits of a form or family called nothing" \
    an "$GEN_DB" alerts --form nothing

# --- periods: the last month with visits, and dates
assert_exit "alerts --period month" 0 an "$GEN_DB" alerts --period month
assert_eq "the last month's alerts" \
    "$(python3 -c '
import json, sys
ts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
last = max(t["took"][:7] for t in ts)
for t in ts:
    if t["took"][:7] == last:
        for q, s in t["alerts"]:
            print(t["id"], q)' "$GEN_TRUTH" | sort)" \
    "$(got_alerts <<<"$T_OUT")"
assert_exit "alerts --from --to" 0 an "$GEN_DB" alerts --from 2026-08-01 \
    --to 2026-08-31 --form service-window
assert_eq "August's alerts, both twins" \
    "$(python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(l)
    if t["took"][:7] == "2026-08":
        for q, s in t["alerts"]:
            print(t["id"], q)' "$GEN_TRUTH" | sort)" \
    "$(got_alerts <<<"$T_OUT")"
# --period with a day: the calendar quarter holding it, as in report
assert_exit "alerts --period quarter --from" 0 an "$GEN_DB" alerts \
    --period quarter --from 2026-08-15
assert_eq "the third quarter's alerts" \
    "$(python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(l)
    if "2026-07" <= t["took"][:7] <= "2026-09":
        for q, s in t["alerts"]:
            print(t["id"], q)' "$GEN_TRUTH" | sort)" \
    "$(got_alerts <<<"$T_OUT")"
quarter=$(got_alerts <<<"$T_OUT")
assert_exit "report --period quarter --from" 0 an "$GEN_DB" report \
    --period quarter --from 2026-08-15 --format json
assert_eq "the same alerts as the report's" "$quarter" \
    "$(python3 -c '
import json, sys
for a in json.load(sys.stdin)["alerts"]:
    print(a["visit"], a["question"])' <<<"$T_OUT" | sort)"
assert_refused "alerts: --period with --from and --to" 64 "not both" \
    an "$GEN_DB" alerts --period month --from 2026-08-01 --to 2026-08-02
assert_refused "alerts: --period all with a day" 64 "--period all" \
    an "$GEN_DB" alerts --period all --from 2026-08-01

# --- the period as `report` takes it: --period month with --from is the
# month holding that day, not a month's length from it
month=$(python3 -c '
import json, sys
ms = sorted({json.loads(l)["took"][:7] for l in open(sys.argv[1], encoding="utf-8")})
print(ms[1])' "$GEN_TRUTH")
month_alerts()
{
	python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(l)
    if t["took"][:7] == sys.argv[2]:
        for q, s in t["alerts"]:
            print(t["id"], q)' "$GEN_TRUTH" "$1" | sort
}
assert_exit "alerts --period month --from mid-month" 0 an "$GEN_DB" alerts \
    --period month --from "$month-15"
assert_eq "the month holding --from, as report takes it" \
    "$(month_alerts "$month")" "$(got_alerts <<<"$T_OUT")"
assert_exit "alerts --period month --to mid-month" 0 an "$GEN_DB" alerts \
    --period month --to "$month-15"
assert_eq "the month holding --to" \
    "$(month_alerts "$month")" "$(got_alerts <<<"$T_OUT")"
assert_refused "alerts: --from after --to" 64 "--from is after --to" \
    an "$GEN_DB" alerts --from "$month-15" --to "$month-01"
assert_refused "alerts: a hostile date, made visible" 64 \
    '--to: "x\x1b[2J" is not a date' an "$GEN_DB" alerts --to $'x\e[2J'

t_done
