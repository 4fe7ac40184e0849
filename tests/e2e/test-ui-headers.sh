#!/usr/bin/env bash
# Long names at 80 columns: the form's heading keeps the progress (N/M)
# and the alert flag, cutting the unit's name first, with "…"; the visits
# list gives the form's title the room there is (all of it at 120
# columns) and marks every cut with "…".
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

UNIT=市住房公積金管理中心經濟技術開發區管理部
TITLE=政務服務窗口暗訪檢查表

ui_init
t_check "a draft visit at a unit with a long name" an record \
    --form service-window --unit jingkai-housing-fund \
    --answers "$T_ROOT/tests/bench/answers-zh.json"

ui_start
ui_unlock
assert_screen "80 columns: the visit listed" "市住房公積金"
row=$(tui_screen | grep '^> draft')
assert_contains "80: the unit's name, cut with an ellipsis" "市住房公積金管理中心" "$row"
assert_contains "80: ... and the title after it" "政務服務" "$row"
assert_eq "80: every cut marked" 2 "$(printf '%s' "$row" | grep -o '…' | wc -l)"
tui_keys Enter
assert_screen "the form" "$TITLE  |  "
head=$(tui_screen | sed -n 1p)
assert_contains "the heading keeps N/M and the alert flag" "  |  22/22  alerts!" \
    "$head"
assert_contains "... the whole title" "anfang  $TITLE  |  市住房" "$head"
assert_contains "... the unit's name cut with an ellipsis" "…  |  22/22" "$head"
tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

tui_start -x 120 "$ANFANG" --db "$UI_DB" --forms "$UI_FORMS"
ui_unlock "120 columns"
assert_screen "120: the visit listed" "$UNIT"
row=$(tui_screen | grep '^> draft')
assert_contains "120: the whole unit's name" "$UNIT" "$row"
assert_contains "120: the whole title" "$TITLE" "$row"
tui_keys q
assert_eq "quit: status 0 again" 0 "$(tui_exit_status 20)"
t_done
