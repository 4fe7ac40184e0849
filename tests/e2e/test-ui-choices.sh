#!/usr/bin/env bash
# Choice lists at 80x24: across the row in reading order, two blanks apart,
# as many as fit, never cut or wrapped inside an item; round marks for a
# single choice, boxes for a multi; seven choices all shown (or scrolled
# to the answer); the cursor of Enter's picking moves through them in
# reading order.
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
assert_detail_line "round marks, the second chosen, two on a row" \
    "   ( ) 1 能當場準確答覆   (*) 2 需查閱資料或請教他人後才能答覆"
assert_detail_line "the third on the next row: it does not fit" \
    "   ( ) 3 無法答覆或答覆錯誤"
assert_eq "no box on a single choice" "" "$(ui_detail | grep -F '[x]')"

tui_keys Down Down
assert_current "on distractions (several)" "觀察到的不在狀態表現"
assert_detail_line "boxes, the first two chosen" \
    "   [x] 1 玩手機或處理私人電話   [x] 2 與同事閒聊   [ ] 3 在窗口吃東西"
assert_detail_line "a row of two" \
    "   [ ] 4 辦理私事或瀏覽與工作無關的網頁   [ ] 5 不耐煩、推諉或冷言冷語"
assert_detail_line "the last one" "   [ ] 6 其他"
tui_keys Enter
assert_detail_line "Enter: the cursor on the first" \
    "  >[x] 1 玩手機或處理私人電話   [x] 2 與同事閒聊   [ ] 3 在窗口吃東西"
tui_keys Down Down Space
assert_detail_line "Down Down Space: the third chosen" \
    "   [x] 1 玩手機或處理私人電話   [x] 2 與同事閒聊  >[x] 3 在窗口吃東西"
tui_keys Down
assert_detail_line "Down: the fourth, on the next row" \
    "  >[ ] 4 辦理私事或瀏覽與工作無關的網頁   [ ] 5 不耐煩、推諉或冷言冷語"
tui_keys Escape

tui_keys Down Down Down Down Down
assert_current "on not_settled_reason (seven choices)" "* 未能當場辦結的原因"
assert_detail "the answer, in sight" "(*) 6 讓改日再來，未說明理由"
assert_detail_line "the first, alone on its row" \
    "   ( ) 1 材料不全，且未一次性告知所需材料"
assert_detail "the last, in sight" "( ) 7 其他"
# every item whole: a row is items two blanks apart, each a mark, its
# number and its text
assert_eq "no choice cut or wrapped" "" \
    "$(ui_detail | sed 1d | grep -E '^ +[[(]' |
	grep -vE '^  [ >][[(][ x*][])] [1-9] [^ ]+(  [ >][[(][ x*][])] [1-9] [^ ]+)*$')"

tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
