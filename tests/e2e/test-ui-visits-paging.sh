#!/usr/bin/env bash
# e2e: normal build only: the pages' store code runs sanitized in unit/test-store, the list screen in the other UI files
# The visits list is read a page at a time, with no cap: with more than
# 20,000 visits (the old cap), End reaches the oldest, d deletes it, and
# Home, page down and up, the status and the filter all land on the right
# visit.  A visit recorded or removed by another process while the list is
# shown moves the list, not the cursor's visit.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

ANSWERS=$T_ROOT/tests/bench/answers-zh.json
N=20050

if [ ! -x "$ANFANG_TOOLS/db-fill" ]; then
	t_fail "db-fill tool" "not found in '$ANFANG_TOOLS'"
	t_done
fi

# row I: the start ("YYYY-MM-DD HH:MM") of the I-th visit of `anfang list`
# (1 the newest), which is what the screen shows of it; the list is newest
# first, as the screen's.
row()
{
	awk -v i="$1" 'NR == i { print $3, $4 }' "$T_TMP/list"
}

# assert_at NAME I: the cursor's row is the I-th visit.
assert_at()
{
	assert_screen "$1: the cursor on visit $2 ($(row "$2"))" \
	    "> draft    $(row "$2")"
}

ui_init
# Three finalized visits, then N empty drafts a minute apart (older: the
# newest of them started a minute ago, the oldest N minutes ago).
t_check "3 finalized visits" "$ANFANG_TOOLS/db-fill" "$UI_DB" "$UI_FORMS" \
    service-window "$ANSWERS" 3 1 <"$UI_PASSFILE"
printf '{}\n' >"$T_TMP/empty.json"
# Filling takes seconds alone, minutes under the sanitizer on a busy
# machine: the command timeout is there to catch a hang, not to time it.
T_CMD_TIMEOUT=600 t_check "$N drafts" "$ANFANG_TOOLS/db-fill" "$UI_DB" \
    "$UI_FORMS" service-window "$T_TMP/empty.json" "$N" 0 <"$UI_PASSFILE"
an list >"$T_TMP/list"
total=$(grep -c '' "$T_TMP/list")
assert_eq "the list has them all" $((N + 3)) "$total"

ui_start
ui_unlock
assert_screen "counted no further than 10000" "anfang  visits (10000+)"

tui_keys End
assert_at "End: the oldest, past the old cap of 20,000" "$total"
tui_keys Up
assert_at "Up from the end" $((total - 1))
tui_keys Down Down
assert_at "Down stops at the oldest" "$total"
tui_keys PPage
assert_at "page up from the end" $((total - 18))

# Removed under the cursor by another process: the list reloads and the
# cursor is on the visit after it.
under=$(awk -v i=$((total - 18)) 'NR == i { print $1 }' "$T_TMP/list")
t_check "another process removes the visit under the cursor" \
    "$ANFANG_TOOLS/db-sql" "$UI_DB" \
    "DELETE FROM visits WHERE id = '$under'" <"$UI_PASSFILE"
an list >"$T_TMP/list"
total=$(grep -c '' "$T_TMP/list")
assert_at "the cursor on the visit after it" $((total - 17))
# Recorded by another process: the list grows above, the cursor stays.
t_check "another process records a newer visit" an record \
    --form service-window --unit dongcheng-gov-centre --answers "$ANSWERS"
an list >"$T_TMP/list"
total=$(grep -c '' "$T_TMP/list")
# Nothing in sight changes when the list grows above, so the cursor's row
# is as it was whether or not the list was read again: the help opened and
# closed draws the list anew (and reads it again) before it is looked at.
tui_keys '?'
assert_screen "the help over the list" "anfang  help"
tui_keys q
assert_screen_gone "... closed: the list drawn anew" "anfang  help"
assert_at "the cursor stays on its visit" $((total - 17))

tui_keys End
assert_at "End again" "$total"
oldest=$(awk 'END { print $1 }' "$T_TMP/list")
tui_keys d
assert_screen "d on the oldest asks" "Delete this draft and its answers? (y/n)"
tui_keys y
assert_screen "deleted" "draft deleted"
t_run an list
assert_not_contains "the oldest is the one deleted" "$oldest" "$T_OUT"
assert_eq "and only it" $((total - 1)) "$(printf '%s\n' "$T_OUT" | grep -c '')"
an list >"$T_TMP/list"
total=$(grep -c '' "$T_TMP/list")
assert_at "the cursor on the new oldest" "$total"

tui_keys Home
assert_screen "Home: the newest" "> draft    $(row 1)"
tui_keys NPage NPage NPage
assert_at "three pages down from the top" $((1 + 3 * 18))
tui_keys Up NPage
assert_at "up one, a page down" $((3 * 18 + 18))

# The status: a few finalized among the drafts, none exported.
tui_keys s
assert_screen "s: drafts" "show: draft"
assert_screen "s: drafts, counted to 10000" "anfang  visits (10000+)"
tui_keys s
assert_screen "s: final" "show: final"
assert_screen "s: the 3 finalized" "anfang  visits (3)"
assert_eq "3 rows listed" 3 "$(tui_screen | grep -cE '^[> ] final ')"
tui_keys End
assert_screen "End among them: the last of the 3" \
    "> final    $(an list --status final | awk 'END { print $3, $4 }')"
tui_keys s
assert_screen "s: exported, none" "No visit matches."
tui_keys s s
assert_screen "s: all again" "show: all"

# A filter by how the id begins: the oldest visit, whole list searched.
first=$(awk 'END { print $1 }' "$T_TMP/list")
tui_keys /
tui_type "$first"
assert_screen "filtered by the oldest's id" "anfang  visits (1)"
assert_at "its row" "$total"
tui_keys Escape
assert_screen "Esc clears the filter" "anfang  visits (10000+)"

tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
