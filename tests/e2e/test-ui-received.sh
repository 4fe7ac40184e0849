#!/usr/bin/env bash
# A supervisor opens a received visit in the terminal UI: the visits screen
# lists it as received, and its review, read from the line it arrived in,
# shows its answers' progress, score and alerts, says it is read only, and
# f explains that only a draft is finalized.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

insp=$T_TMP/db/inspector.db
OUT=$T_TMP/out
mkdir -p "$OUT"

# ai ARGS...: anfang on the inspector's database
ai()
{
	_ui_passfile
	"$ANFANG" --db "$insp" --forms "$UI_FORMS" "$@" \
	    --passphrase-fd 3 3<"$UI_PASSFILE"
}

ui_init
assert_exit "inspector: init" 0 ai init --kdf interactive
assert_exit "inspector: a finalized visit" 0 ai record --form service-window \
    --unit dongcheng-gov-centre \
    --answers "$T_ROOT/tests/bench/answers-zh.json" --finalize
v=$T_OUT
assert_exit "inspector: export" 0 ai export --out "$OUT"
B=$(sed -n '/\.jsonl$/p' <<<"$T_OUT")
assert_exit "inspector: key show" 0 ai key show
printf '%s\n' "$T_OUT" >"$T_TMP/inspector.pub"
assert_exit "supervisor: keyring add" 0 an keyring add "$T_TMP/inspector.pub" \
    --label inspector
assert_exit "supervisor: import" 0 an import "$B"
assert_exit "supervisor: show --json" 0 an show --json "$v"
score=$(json_flat <<<"$T_OUT" | sed -n 's/^\.score=n://p')
alerts=$(json_flat <<<"$T_OUT" | grep -c '^\.alerts\[[0-9]*\]\.question=')

ui_start
ui_unlock
assert_screen "visits: the visit, received" "> received"
tui_keys Enter
assert_screen "Enter: its review" "review: 政務服務窗口暗訪檢查表"
assert_screen "... answered, score and alerts as show says" \
    "received  answered 22 of 22  score $score  alerts $alerts"
assert_screen "... read only" "received from an inspector: read only"
assert_screen "... its alerts, from the line it came in" \
    "! [high] 是否被索要好處、禮品或收取不合理費用？: 疑似吃拿卡要，請立即核查"
tui_keys f
assert_screen "f: only a draft is finalized" \
    "only a draft is finalized; this visit is received"
tui_keys q
assert_screen "q: back to the visits" "> received"
tui_keys q
assert_eq "q quits with 0" 0 "$(tui_exit_status 20)"
assert_exit "the visit is still as received" 0 an list --status received
assert_contains "... listed" "$v" "$T_OUT"

t_done
