#!/usr/bin/env bash
# A stopwatch the inspector forgot to start takes its time typed: Enter,
# then m:ss or minutes.  What is not a duration is refused with a message;
# the answer is stored in seconds, the audit trail has it as an answer set
# with the text as typed, not as a stopwatch event; a running stopwatch is
# stopped first.  The batch exported with those times imports.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

sed -e 's/"wait": 900, //' -e 's/"service": 600, *//' \
    "$T_ROOT/tests/bench/answers-zh.json" >"$T_TMP/answers.json"
ui_init
t_check "a draft, its stopwatches not run" an record --form service-window \
    --unit dongcheng-gov-centre --answers "$T_TMP/answers.json"
id=$(ui_visit_id)
ui_start
ui_unlock
tui_keys Enter
assert_screen "the visit opened" "  |  20/22"

tui_keys Down Down Down
assert_current "on the wait (a stopwatch)" "等候時間"
tui_keys Enter
assert_detail_line "Enter opens an editor" " >"
tui_type "12:75"
tui_keys Enter
assert_screen "12:75 is refused" "a duration: minutes:seconds (12:30) or minutes"
tui_keys C-u
tui_type "12:34"
tui_keys Enter
assert_row_answer "12:34 kept" "等候時間" "12:34"
assert_screen "progress" "  |  21/22"

tui_keys Down Down Down Down Down Down
assert_current "on the service time (a stopwatch)" "辦理時間"
tui_keys Space
assert_detail "started" "(running)"
tui_keys Enter
assert_screen "a running one: stop it first" \
    "the stopwatch is running: Space stops it"
tui_keys Space BSpace
assert_screen "reset asks" "Reset this stopwatch to zero?"
tui_keys y
tui_keys Enter
tui_type "7"
tui_keys Enter
assert_row_answer "7 (minutes) kept as 07:00" "辦理時間" "07:00"
tui_keys F9
assert_screen "review: ready" "ready: f finalizes the visit"
tui_keys f
assert_screen "f asks first" "Finalize? It cannot be changed"
tui_keys y
assert_screen "finalized, back to the visits" "visit finalized" 20
tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

ui_show_flat "$id"
assert_contains "wait stored as 754 s" ".answers.wait=n:754" "$UI_SHOW"
assert_contains "service stored as 420 s" ".answers.service=n:420" "$UI_SHOW"
t_check "show" an show "$id"
assert_contains "the audit trail: the wait as typed" \
    "wait: - -> 754 (typed 12:34)" "$T_OUT"
assert_contains "the audit trail: the service as typed" \
    "service: - -> 420 (typed 7)" "$T_OUT"

# A batch with the times as typed imports: its trail replays.
sup=$T_TMP/db/supervisor.db
# sv ARGS...: anfang on a supervisor's database
sv()
{
	_ui_passfile
	"$ANFANG" --db "$sup" --forms "$UI_FORMS" "$@" \
	    --passphrase-fd 3 3<"$UI_PASSFILE"
}
mkdir -p "$T_TMP/out"
assert_exit "export" 0 an export --out "$T_TMP/out"
B=$(sed -n '/\.jsonl$/p' <<<"$T_OUT")
assert_exit "key show" 0 an key show
printf '%s\n' "$T_OUT" >"$T_TMP/inspector.pub"
assert_exit "supervisor: init" 0 sv init --kdf interactive
assert_exit "supervisor: keyring add" 0 sv keyring add \
    "$T_TMP/inspector.pub" --label inspector
assert_exit "supervisor: import" 0 sv import "$B"
assert_exit "supervisor: show" 0 sv show "$id"
assert_contains "received: the wait as typed" \
    "wait: - -> 754 (typed 12:34)" "$T_OUT"
t_done
