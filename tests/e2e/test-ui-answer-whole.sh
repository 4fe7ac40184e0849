#!/usr/bin/env bash
# A saved answer is read back whole without editing it: the detail pane
# shows every line of a multi-line text, as much of a long text and of a
# reason as fits with "…" where it is cut, and v opens the whole of it
# (scrolled when longer than the screen); the list shows a text's first line with "…".
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

long=
for _ in $(seq 1 20); do
	long="${long}the clerk said come back next week "
done
long="${long}END-OF-TEXT"
reason=
for _ in $(seq 1 8); do
	reason="${reason}twice sent away for a missing copy "
done
reason="${reason}REASON-END"
sed -e "s/\"說下週再來，沒有理由\"/\"$long\"/" \
    -e 's/"trips": 1/"trips": 3/' \
    -e 's/"窗口 5 號"/"第一行\\n第二行\\n第三行\\n第四行末"/' \
    "$T_ROOT/tests/bench/answers-zh.json" >"$T_TMP/answers.json"

ui_init
t_check "a draft visit with long answers" an record --form service-window \
    --unit dongcheng-gov-centre --answers "$T_TMP/answers.json" \
    --reason "trips=$reason"
ui_start
ui_unlock
tui_keys Enter
assert_screen "the visit opened" "  |  22/22"

# the reason of a soft check
tui_keys Down Down Down Down Down Down Down Down Down Down Down
assert_current "on trips" "為辦成這件事"
assert_detail "the reason shown" "reason: twice sent away"
assert_detail "... cut with an ellipsis" "…"
tui_keys v
assert_screen "v: the answer screen" "answer: 政務服務窗口暗訪檢查表"
assert_screen "... the whole reason" "REASON-END"
tui_keys Escape
assert_current "Esc: back on trips" "為辦成這件事"

# a long text
tui_keys Down Down Down
assert_current "on the long text" "* 請具體說明未能辦結的經過"
assert_detail "the text shown over several rows" \
    "come back next week the clerk said come back next week"
assert_eq "several rows of it" 1 \
    "$(($(ui_detail | grep -c 'the clerk said') >= 5))"
assert_detail "... cut with an ellipsis" "…"
assert_screen "the list row cut with an ellipsis" \
    "*請具體說明未能辦結的經過  the clerk said come back next week the clerk said…"
tui_keys v
assert_screen "v: the whole text" "END-OF-TEXT"
tui_keys Escape

# a text of several lines
tui_keys End
assert_current "on the notes" "備註"
assert_detail_line "its first line" "  第一行"
assert_detail_line "its second line" "  第二行"
assert_detail_line "its last line" "  第四行末"
assert_screen "the list: the first line and an ellipsis" "第一行…"

tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
