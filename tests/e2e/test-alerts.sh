#!/usr/bin/env bash
# The alert queue: import prints the high-severity alerts each batch has
# just brought in (and not those of an earlier batch); `alerts` lists them
# all, high first then newest, as the generator's truth file says; close
# and reopen are kept across runs of the program, shown by `show` with the
# database's audit trail, and leave a received visit's own trail intact;
# wrong visits, questions and a missing note give one line and the right
# exit code.  Names from batches are hostile: printed, controls are made
# visible.  --period and dates select as in anfang report.  An open alert
# is called so in each language (not the key's "open").  Every line
# fits 80 columns with Chinese names and words, and an alert says what the
# report says, in the language of the form the report shows (a Chinese
# form's words in an English interface; a twin in the reader's language).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"
# shellcheck source-path=SCRIPTDIR source=gen-lib.sh
. "$(dirname "$0")/gen-lib.sh"
# shellcheck source-path=SCRIPTDIR source=i18n-lib.sh
. "$(dirname "$0")/i18n-lib.sh"

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
	sed -n 's/^\(high\|medium\|low\) *\(open\|closed\) *[0-9-]* [0-9:]*  \([a-z0-9]\{12\}\)  \([a-z_]*\)$/\3 \4/p' |
	    sort
}
# alert_of VISIT QUESTION: that alert of the output on stdin, its first
# line and the lines under it (wrapped at spaces to fit) joined by spaces.
alert_of()
{
	awk -v head="  $1  $2" '
	on && /^        / { sub(/^ +/, ""); out = out " " $0; next }
	on { exit }
	length($0) >= length(head) &&
	    substr($0, length($0) - length(head) + 1) == head { on = 1; out = $0 }
	END { print out }'
}
# widest NAME: stdin fits 80 columns (in the locale's widths).
widest()
{
	local w
	w=$(i18n_width)
	if [ "$w" -le 80 ]; then
		t_ok "$1: no line wider than 80 columns"
	else
		t_fail "$1: no line wider than 80 columns" "$w"
	fi
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
	widest "import $((i + 1)), its warning" <<<"$(sed 1d <<<"$out")"
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
    "$(alert_of "$visit" "$question" <<<"$T_OUT")"
keyid=$(an "$GEN_DB" key show | sed -n 's/^untrusted comment: minisign public key \([0-9A-F]*\)$/\1/p')
assert_contains "... with who and how" "by $keyid: $note" \
    "$(alert_of "$visit" "$question" <<<"$T_OUT")"
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
    "$(alert_of "$visit" "$question" <<<"$T_OUT")"
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


# --- 80 columns with Chinese names, words and notes
assert_exit "the data has an alert on a unit wider than a line" 0 \
    python3 -c '
import json, sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
sys.exit(0 if any(t["alerts"] and cols(t["unit"]) > 72
                  for t in map(json.loads, open(sys.argv[1], encoding="utf-8")))
         else 1)' "$GEN_TRUTH"
read -r v2 q2 <<<"$(head -n 1 <<<"${highs[1]}")"
long=$(printf '已致電該單位負責人，%.0s' {1..12})
assert_exit "close an alert with a long Chinese note" 0 an "$GEN_DB" alerts \
    close "$v2" "$q2" --note "$long"
i18n_ready || { t_done; exit 1; }
for l in C zh_CN zh_TW; do
	if [ "$l" = C ]; then
		export LANG=C.UTF-8 LC_ALL=C.UTF-8
	else
		i18n_use "$l"
	fi
	assert_exit "$l: alerts" 0 an "$GEN_DB" alerts
	widest "$l: alerts" <<<"$T_OUT"
	# an open alert is one not yet handled, not the key's "open" (read)
	case $l in
	C) open=open verb=- ;;
	zh_CN) open=未处理 verb=打开 ;;
	zh_TW) open=未處理 verb=開啟 ;;
	esac
	assert_contains "$l: an open alert's state" "  $open  " "$T_OUT"
	assert_not_contains "$l: ... not the verb" "  $verb  " "$T_OUT"
	assert_contains "$l: the note whole, wrapped" "${long:0:40}" \
	    "$(alert_of "$v2" "$q2" <<<"$T_OUT" | tr -d ' ')"
done
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# --- the words of an alert are the report's: from the form it shows
# (here the twin in the reader's language), whatever form the visit used
twin_visit()
{
	python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(l)
    if t["form"] == sys.argv[2] and ["favours", "high"] in t["alerts"]:
        print(t["id"])
        break' "$GEN_TRUTH" "$1"
}
# report_message VISIT QUESTION: what report --format json (stdin) says
report_message()
{
	python3 -c '
import json, sys
for a in json.load(sys.stdin)["alerts"]:
    if a["visit"] == sys.argv[1] and a["question"] == sys.argv[2]:
        print(a["message"])' "$1" "$2"
}
zh_visit=$(twin_visit service-window)
en_visit=$(twin_visit service-window-en)
en_msg="Suspected request for favours; investigate at once"
zh_msg="疑似吃拿卡要，請立即核查"
assert_eq "visits on both twins with a favours alert" 1 \
    "$([ -n "$zh_visit" ] && [ -n "$en_visit" ] && echo 1)"
# same_words LANG MSG: in LANG, alerts and the report say MSG of the
# favours alert of both visits, whichever twin each was recorded on.
same_words()
{
	local v alerts report
	assert_exit "$1: alerts" 0 an "$GEN_DB" alerts
	alerts=$T_OUT
	assert_exit "$1: report" 0 an "$GEN_DB" report --period all \
	    --format json
	report=$T_OUT
	for v in "$zh_visit" "$en_visit"; do
		assert_contains "$1: alerts, visit $v: the twin's words" "$2" \
		    "$(alert_of "$v" favours <<<"$alerts")"
		assert_eq "$1: the report says the same" "$2" \
		    "$(report_message "$v" favours <<<"$report")"
	done
}
same_words English "$en_msg"
i18n_use zh_TW
same_words zh_TW "$zh_msg"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# --- a Chinese form with no twin, in an English interface: its words in
# Chinese everywhere (alerts, import's warning, the report), the
# program's in English
ZF=$T_TMP/zh-forms
mkdir -p "$ZF"
cat >"$ZF/zh-only.yaml" <<'YAML'
form: zh-only
version: 1
title: 窗口檢查
language: zh-Hant
units: [{id: u1, name: 第一窗口}]
sections:
  - title: 廉潔
    questions:
      - id: favours
        type: yesno
        label: 是否被索要好處？
        alert_if: . == yes
        severity: high
        alert_message: 疑似吃拿卡要，請立即核查
      - id: fee
        type: yesno
        label: 是否收取未公示費用？
        alert_if: . == yes
        severity: medium
        alert_message: 收取未公示費用
YAML
printf '{"favours": "yes", "fee": "yes"}\n' >"$ZF/answers.json"
bt_init zhonly
zdb=$T_TMP/db/zhonly.db
zan()
{
	"$ANFANG" --db "$zdb" --forms "$ZF" "$@" --passphrase-fd 3 3<"$PASS"
}
assert_exit "record a visit on the Chinese form" 0 zan record --form zh-only \
    --unit u1 --answers "$ZF/answers.json" --finalize
zv=$T_OUT
assert_exit "English: alerts" 0 zan alerts
assert_contains "... the program's words in English" "high    open    " \
    "$(alert_of "$zv" favours <<<"$T_OUT")"
assert_contains "... the form's message in Chinese" "$zh_msg" \
    "$(alert_of "$zv" favours <<<"$T_OUT")"
assert_contains "... each" "收取未公示費用" "$(alert_of "$zv" fee <<<"$T_OUT")"
assert_exit "English: the report" 0 zan report --format json
assert_eq "... the same words" "$zh_msg|收取未公示費用" \
    "$(report_message "$zv" favours <<<"$T_OUT")|$(report_message "$zv" fee \
    <<<"$T_OUT")"
assert_exit "English: the text report" 0 zan report
assert_contains "... its heading in English" "ALERTS (2), high first" "$T_OUT"
assert_contains "... the form's message in Chinese" "$zh_msg" "$T_OUT"

t_done
