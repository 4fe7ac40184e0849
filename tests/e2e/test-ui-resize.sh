#!/usr/bin/env bash
# Resizing while typing Chinese in the multi-line notes: 80x24 -> 100x30
# -> 80x24 -> 40x10 ("terminal too small", nothing of the visit) -> 80x24,
# typing between; the editor keeps its text through every size, the layout
# follows the new size, and Ctrl-D stores the text exactly.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# the rule under the question list, N columns wide
rule()
{
	local i s=
	for ((i = 0; i < $1; i++)); do
		s+="─"
	done
	printf '%s' "$s"
}

# assert_size NAME COLS ROWS: the screen has ROWS rows, none wider than
# COLS columns, the rule is COLS wide and the key bar is on the last row.
assert_size()
{
	local screen
	screen=$(tui_screen)
	assert_eq "$1: $3 rows" "$3" "$(tui_screen | wc -l)"
	assert_eq "$1: no row wider than $2" "$2" \
	    "$(printf '%s\n' "$screen" | wc -L | awk -v c="$2" \
	    '{ print ($1 <= c) ? c : $1 }')"
	assert_contains "$1: the rule is $2 wide" "$(rule "$2")" "$screen"
	assert_not_contains "$1: and no wider" "$(rule $(($2 + 1)))" "$screen"
	assert_contains "$1: the key bar on the last row" "^L lock" \
	    "$(tui_screen | sed -n "$3p")"
}

ui_init
ui_start
ui_unlock
ui_new_visit 政務 東城區政務
tui_keys End
assert_current "End: the notes" "備註"

# 48 wide characters (96 columns) on the first line: one line in the
# editor at 100 columns, two at 80.
p1="大廳裡有二十多人排隊，"
p2="叫號屏幕顯示正常，但只開了三個窗口，"
p3="保安態度和善，群眾議論等候太久。"
p4="第二行：環境整潔 ABC"
tui_keys Enter
assert_detail_line "the editor opens" " >"
tui_type "$p1"
assert_detail_line "typed at 80x24" " > $p1"

tui_resize 100 30
assert_screen "100x30: redrawn" "$(rule 100)"
assert_size "100x30" 100 30
assert_detail_line "100x30: the text kept" " > $p1"
tui_type "$p2"
assert_detail_line "100x30: typing goes on" " > $p1$p2"

tui_resize 80 24
# tmux itself crops the old screen to 80 columns (the rule too) and keeps
# the bar on the last row: wait for a cut only the program draws
assert_screen "80x24: redrawn, a long label cut" "離開後立即…"
assert_screen "80x24: the rule" "$(rule 80)"
assert_screen_gone "80x24: no 100-column rule" "$(rule 81)"
assert_size "80x24" 80 24
assert_detail_line "80x24: the text kept" " > $p1$p2"
tui_type "$p3"
assert_detail "80x24: the end is shown" "等候太久。"
assert_detail "80x24: typing goes on (the start)" " > $p1$p2"
assert_not_contains "80x24: on the next row (wrapped)" "等候太久" \
    "$(ui_detail | grep -F ' > ')"

tui_resize 100 30
assert_detail_line "100x30 again: one line" " > $p1$p2$p3"
assert_size "100x30 again" 100 30

tui_resize 40 10
assert_screen "40x10: terminal too small" \
    "terminal too small (40x10; needs 50x12)"
screen=$(tui_screen)
for s in 備註 大廳裡有 "r/F9" 政務服務窗口 東城區 "─"; do
	assert_not_contains "40x10: '$s' not shown" "$s" "$screen"
done
assert_eq "40x10: one line of text" 1 "$(printf '%s\n' "$screen" | grep -c .)"

tui_resize 80 24
assert_screen "80x24 once more: redrawn" "^L lock"
assert_size "80x24 once more" 80 24
assert_current "still the notes" "備註"
assert_detail "the text is still there" " > $p1$p2"
tui_keys Enter
tui_type "$p4"
assert_detail "a second line" "$p4"
tui_keys C-d
assert_detail_gone "Ctrl-D keeps it: the editor closes" " > "
assert_detail "the answer shown" "  $p1$p2"
tui_keys q
assert_screen "q: the visits" "anfang  visits (1)"
tui_keys q
assert_eq "exit status 0" 0 "$(tui_exit_status 20)"

id=$(ui_visit_id)
ui_show_flat "$id"
assert_eq "the stored notes are intact" "notes=s:$p1$p2$p3\\n$p4" \
    "$(ui_answers | grep '^notes=')"

t_done
