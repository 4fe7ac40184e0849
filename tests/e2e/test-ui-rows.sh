#!/usr/bin/env bash
# Every row of the form's list is as wide as the terminal: the label on the
# left, cut with "…" when it is long, and the answer ending at the last
# column, a short answer ("-", a yes) beside a long label included.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# rows_whole NAME: no row between the form's heading and its rule is
# wider than 80 columns, and a row whose label is cut (then its answer,
# two blanks on) is exactly 80: its answer ends at the last column.
rows_whole()
{
	if tui_screen | python3 -c '
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
rows = sys.stdin.read().split("\n")
bad = []
for r in rows[2:]:
    if r.startswith("──") or r.startswith("--"):
        break
    w = width(r)
    if w > 80 or (re.search("…  \\S", r) and w != 80):
        bad.append("%d columns: %r" % (width(r), r))
print("\n".join(bad))
sys.exit(1 if bad else 0)
' >"$T_TMP/rows.out"; then
		t_ok "$1"
	else
		t_fail "$1" "$(cat "$T_TMP/rows.out")"
	fi
}

ui_init
ui_start
ui_unlock
tui_keys n
assert_screen "new visit: form list" "Form (type to filter):"
tui_type hygiene
assert_screen "new visit: form filtered" "1 match"
tui_keys Enter
assert_screen "new visit: unit list" "Unit observed (type to filter):"
tui_type Golden
assert_screen "new visit: unit filtered" "Unit observed (type to filter): Golden"
tui_keys Enter Enter Enter
assert_screen "the form" "  |  0/20"
assert_screen "the long label cut" "(vomiting, diarrho…  -"
rows_whole "nothing answered: '-' at the last column of every row"
tui_keys End
assert_screen "the last page" "Notes and advice given"
rows_whole "... on the last page too"
tui_keys q
assert_screen "back to the visits" "anfang  visits (1)"
tui_keys q
assert_eq "quit with 0" 0 "$(tui_exit_status 20)"

t_check "a Chinese visit, every question answered" an record \
    --form service-window --unit dongcheng-gov-centre \
    --answers "$T_ROOT/tests/bench/answers-zh.json"
ui_start
ui_unlock
tui_keys Enter
assert_screen "the visit opened" "  |  22/22"
rows_whole "answers at the last column beside Chinese labels"
tui_keys q q
assert_eq "Chinese: quit with 0" 0 "$(tui_exit_status 20)"

t_done
