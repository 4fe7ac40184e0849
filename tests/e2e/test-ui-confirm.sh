#!/usr/bin/env bash
# A yes/no question is asked in the one event loop: while it waits, a
# running stopwatch goes on on the screen; the panic key locks at once
# and counts as "no"; any key but y is "no"; y does it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

sed -e 's/"service": 600, *//' "$T_ROOT/tests/bench/answers-zh.json" \
    >"$T_TMP/answers.json"
ui_init
t_check "a draft, its service stopwatch not run" an record \
    --form service-window --unit dongcheng-gov-centre \
    --answers "$T_TMP/answers.json"
ui_start
ui_unlock
tui_keys Enter
assert_screen "the visit opened" "  |  21/22"
for _ in 1 2 3 4 5 6 7 8 9 10; do tui_keys Down; done
assert_current "on the service time" "辦理時間"
tui_keys Space
assert_detail "the stopwatch runs" "(running)"
assert_detail "... past a second" "00:01 (running)"

tui_keys BSpace
assert_screen "Backspace asks" "Reset this stopwatch to zero? (y/n)"
t1=$(ui_mmss_s "$(ui_detail)")
sleep 2.5
assert_screen "still asking" "Reset this stopwatch to zero? (y/n)"
t2=$(ui_mmss_s "$(ui_detail)")
if [ -n "$t1" ] && [ -n "$t2" ] && [ "$t2" -ge $((t1 + 2)) ]; then
	t_ok "the stopwatch goes on on the screen while asking ($t1 s, $t2 s)"
else
	t_fail "the stopwatch goes on on the screen while asking" \
	    "'$t1' then '$t2' seconds"
fi

tui_keys C-l
assert_screen_gone "Ctrl-L while asking: locked" "辦理時間"
tui_type "$UI_PASS"
tui_keys Enter
assert_current "unlocked: the same question" "辦理時間" 20
assert_screen_gone "the question is gone" "Reset this stopwatch"
assert_detail "not reset: the lock was a no" "(running)"

tui_keys BSpace
assert_screen "asked again" "Reset this stopwatch to zero? (y/n)"
tui_keys n
assert_screen_gone "n: not asked any more" "Reset this stopwatch"
assert_detail "n: not reset" "(running)"
tui_keys BSpace
assert_screen "asked a third time" "Reset this stopwatch to zero? (y/n)"
tui_keys y
assert_detail_gone "y: reset" "(running)"
assert_answer "y: no time left" "-"
tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
