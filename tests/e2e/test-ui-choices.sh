#!/usr/bin/env bash
# Choice lists at 80x24: one choice a line, never wrapped inside its mark;
# round marks for a single choice, boxes for a multi; seven choices all
# shown (or scrolled to the answer); the cursor of Enter's picking moves
# through them.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

ui_init
t_check "a draft visit" an record --form service-window \
    --unit dongcheng-gov-centre --answers "$T_ROOT/tests/bench/answers-zh.json"
ui_start
ui_unlock
tui_keys Enter
assert_screen "the visit opened" "  |  22/22"

tui_keys Down Down Down Down Down Down
assert_current "on competent (one choice)" \
    "* 對所諮詢的問題，工作人員能否答覆（在行）？"
assert_detail_line "a round mark, not chosen" "   ( ) 1 能當場準確答覆"
assert_detail_line "a round mark, chosen" "   (*) 2 需查閱資料或請教他人後才能答覆"
assert_detail_line "the third on its own line" "   ( ) 3 無法答覆或答覆錯誤"
assert_eq "no box on a single choice" "" "$(ui_detail | grep -F '[x]')"

tui_keys Down Down
assert_current "on distractions (several)" "觀察到的不在狀態表現"
assert_detail_line "a box, chosen" "   [x] 1 玩手機或處理私人電話"
assert_detail_line "a box, chosen, own line" "   [x] 2 與同事閒聊"
assert_detail_line "a box, not chosen" "   [ ] 4 辦理私事或瀏覽與工作無關的網頁"
assert_detail_line "the last one" "   [ ] 6 其他"
tui_keys Enter
assert_detail_line "Enter: the cursor on the first" \
    "  >[x] 1 玩手機或處理私人電話"
tui_keys Down Down Space
assert_detail_line "Down Down Space: the third chosen" \
    "  >[x] 3 在窗口吃東西"
tui_keys Escape

tui_keys Down Down Down Down Down
assert_current "on not_settled_reason (seven choices)" "* 未能當場辦結的原因"
assert_detail_line "the answer, in sight" "   (*) 6 讓改日再來，未說明理由"
assert_detail_line "the first, in sight" "   ( ) 1 材料不全，且未一次性告知所需材料"
assert_eq "no choice cut or wrapped" "" \
    "$(ui_detail | grep -E '^ +[[(]' | grep -vE '^  [ >][[(][ x*][])] [1-9] ')"

tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
