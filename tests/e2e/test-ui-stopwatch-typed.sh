#!/usr/bin/env bash
# A stopwatch the inspector forgot to start takes its time typed: Enter,
# then m:ss or minutes.  What is not a duration is refused with a message;
# the answer is stored in seconds, the audit trail has it as an answer set
# (typed), not as a stopwatch event; a running stopwatch is stopped first.
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
assert_screen "12:34 kept" "等候時間                                    12:34"
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
assert_screen "7 (minutes) kept as 07:00" "辦理時間                                    07:00"
tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

ui_show_flat "$id"
assert_contains "wait stored as 754 s" ".answers.wait=n:754" "$UI_SHOW"
assert_contains "service stored as 420 s" ".answers.service=n:420" "$UI_SHOW"
t_check "show" an show "$id"
assert_contains "the audit trail: the wait typed" "wait: - -> 754" "$T_OUT"
t_done
