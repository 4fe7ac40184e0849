#!/usr/bin/env bash
# The form's bar shows the keys of the current question's type, from the
# table that dispatches them: y/n on a yes/no question, Space and Bksp on
# a stopwatch, Enter on a time, the digits on a choice; and a key of
# another type does nothing.  While editing or picking, the bar shows the
# keys of that mode, not the question's.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

bar()
{
	tui_screen | sed -n '24p'
}

ui_init
t_check "a draft visit" an record --form service-window \
    --unit dongcheng-gov-centre --answers "$T_ROOT/tests/bench/answers-zh.json"
ui_start
ui_unlock
tui_keys Enter
assert_screen "the visit opened" "  |  22/22"
assert_screen "on the opening note: all of it" "離開後再補全。"
assert_not_contains "note: no w reason" "w reason" "$(bar)"
assert_not_contains "note: no Del clear" "Del clear" "$(bar)"
assert_not_contains "note: no v view" "v view" "$(bar)"
tui_keys Down
assert_current "on the arrival time (a time)" "* 到達時間"
assert_contains "time: Enter edit in the bar" "Enter edit" "$(bar)"
assert_not_contains "time: no y in the bar" "y yes" "$(bar)"
# y changes nothing to see: the Enter after it shows where it left us
tui_keys y Enter
# (wait for the editor's bar to be drawn before reading the bar)
assert_screen "editing: Enter keep in the bar" "Enter keep"
assert_current "time: y does nothing, the time is edited" "* 到達時間"
assert_detail_line "... its answer as it was" " > 09:15"
assert_contains "editing: Esc cancel in the bar" "Esc cancel" "$(bar)"
assert_not_contains "editing: no r review" "r review" "$(bar)"
tui_keys Escape
# (Esc is known only after the terminal's escape delay: wait for it)
assert_screen "edit cancelled: Enter edit again" "Enter edit"
assert_contains "... in the bar" "Enter edit" "$(bar)"
tui_keys Down Down
assert_current "on the wait (a stopwatch)" "等候時間"
assert_contains "stopwatch: Space start/stop in the bar" "Space start/stop" \
    "$(bar)"
tui_keys Down
assert_current "on staff_present (yes/no)" "* 輪到自己時，窗口人員是否在崗？"
assert_contains "yes/no: y yes in the bar" "y yes" "$(bar)"
assert_contains "yes/no: n no in the bar" "n no" "$(bar)"
assert_not_contains "yes/no: no Enter edit" "Enter edit" "$(bar)"
tui_keys Down Down
assert_current "on competent (one choice)" \
    "* 對所諮詢的問題，工作人員能否答覆（在行）？"
assert_contains "choice: 1-9 answer in the bar" "1-9 answer" "$(bar)"
assert_contains "choice: Enter pick in the bar" "Enter pick" "$(bar)"
tui_keys Enter
assert_screen "picking: Down move in the bar" "Down move"
assert_contains "picking: Enter choose in the bar" "Enter choose" "$(bar)"
assert_contains "picking: Esc back in the bar" "Esc back" "$(bar)"
assert_not_contains "picking: no 1-9 on a choice" "1-9" "$(bar)"
assert_not_contains "picking: no r review" "r review" "$(bar)"
tui_keys Down Down Enter Up
# (the question was current before the keys: wait for the new answer)
assert_detail_line "Down Down Enter chose the third" \
    "   (*) 3 無法答覆或答覆錯誤"
assert_current "chosen: on to the next, and back" \
    "* 對所諮詢的問題，工作人員能否答覆（在行）？"
tui_keys 1 Up
assert_detail "1 chose the first" "(*) 1 能當場準確答覆"
assert_current "1 answered and went on, and back" \
    "* 對所諮詢的問題，工作人員能否答覆（在行）？"
tui_keys Up Up
assert_current "back on staff_present" "* 輪到自己時，窗口人員是否在崗？"
tui_keys n
assert_current "n answers and goes on (to what no shows)" \
    "等待窗口人員回到崗位的時間"
# (the move and the answer it follows are one draw)
assert_eq "the answer, in the form's language" "否" \
    "$(tui_screen | grep -F '輪到自己時，窗口人員是否在崗？' | awk '{ print $NF }')"
tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
