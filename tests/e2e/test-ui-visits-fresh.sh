#!/usr/bin/env bash
# The visits list and its count are current whenever the list is shown:
# after a visit recorded from the command line while the list is on the
# screen, after a new visit started in the UI, and after the panic lock.
# A draft asked about for deletion is the one deleted, even when the list
# reloads under the question.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

ANSWERS=$T_ROOT/tests/bench/answers-zh.json

# assert_rows NAME N [TAP]: the heading says N visits and N rows are
# listed; with TAP, no frame since ui_tap_start wrote another count (a
# heading drawn from the list before it was reloaded, which the next
# second's redraw would hide).
assert_rows()
{
	assert_screen "$1: the heading says $2" "anfang  visits ($2)" || return 1
	assert_eq "$1: $2 rows" "$2" \
	    "$(tui_screen | grep -cE '^[> ] (draft|final) ')"
	[ -n "${3:-}" ] || return 0
	ui_tap_wait "$3" "visits ($2)"
	ui_tap_stop
	assert_eq "$1: no frame drawn with another count" "visits ($2)" \
	    "$(grep -aoE 'visits \([0-9]+\)' "$3" | sort -u)"
}

ui_init
t_check "a first draft" an record --form service-window \
    --unit dongcheng-gov-centre --answers "$ANSWERS"
ui_start
ui_unlock
assert_rows "unlocked" 1

t_check "a second draft, from the command line" an record \
    --form service-window --unit dongcheng-gov-centre --answers "$ANSWERS"
assert_rows "recorded from the command line while the list is shown" 2

TAP=$T_TMP/tap
ui_new_visit 政務 東城區政務
ui_tap_start "$TAP"
tui_keys q
assert_rows "after a new visit in the UI" 3 "$TAP"

tui_keys C-l
assert_screen_gone "locked" "anfang  visits ("
ui_tap_start "$TAP"
tui_type "$UI_PASS"
tui_keys Enter
assert_rows "after unlocking" 3 "$TAP"

# d on the newest draft; while the question is shown, another process
# records a newer one and the list reloads under it; y deletes the draft
# asked about, not the one now in its row.
asked=$(ui_visit_id)
tui_keys d
assert_screen "asked to delete" "Delete this draft and its answers? (y/n)"
t_check "a draft recorded during the question" an record \
    --form service-window --unit dongcheng-gov-centre --answers "$ANSWERS"
newer=$(ui_visit_id)
assert_screen "the list reloaded under the question" "anfang  visits (4)"
tui_keys y
assert_rows "after deleting" 3
assert_exit "list" 0 an list
assert_not_contains "the draft asked about is gone" "$asked" "$T_OUT"
assert_contains "the newer draft stays" "$newer" "$T_OUT"

tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
