#!/usr/bin/env bash
# A change shown is a change saved: with the database refusing writes
# underneath the running UI (a trigger added behind its back that aborts
# every write of an answer, a stopwatch or a reason), an answer, a
# stopwatch start or a count shows an error and the screen keeps showing
# what is on disk: no answer, no stopwatch running, no question the answer
# would have shown, the same progress.  Once the database takes writes
# again, the same keys work.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

if [ ! -x "$ANFANG_TOOLS/db-sql" ]; then
	t_fail "db-sql tool" "not found in '$ANFANG_TOOLS'"
	t_done
fi

# db_sql SQL: run SQL on UI_DB behind the UI's back; a check.
db_sql()
{
	_ui_passfile
	t_check "db-sql: $1" "$ANFANG_TOOLS/db-sql" "$UI_DB" "$1" \
	    <"$UI_PASSFILE"
}

# break_writes / mend_writes: every write of an answer, a stopwatch or a
# reason fails inside SQLite, or works again.
break_writes()
{
	local t sql=
	for t in answers timers reasons; do
		sql="$sql CREATE TRIGGER broken_$t BEFORE INSERT ON $t"
		sql="$sql BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
	done
	db_sql "$sql"
}
mend_writes()
{
	db_sql "DROP TRIGGER broken_answers; DROP TRIGGER broken_timers;
	    DROP TRIGGER broken_reasons;"
}

ui_init
ui_start
ui_unlock
ui_new_visit 政務 東城區政務
id=$(ui_visit_id)
tui_keys Down Down Down
assert_current "the waiting-time stopwatch" "等候時間"
tui_keys Down
assert_current "staff present (yes/no)" "* 輪到自己時，窗口人員是否在崗？"

break_writes
# --- an answer that cannot be stored
tui_keys n
assert_screen "n: the failure is said" "injected failure"
assert_current "the cursor stays on the question" \
    "* 輪到自己時，窗口人員是否在崗？"
assert_answer "no answer shown" "-"
assert_not_contains "the question no would show is not shown" \
    "等待窗口人員回到崗位的時間" "$(tui_screen)"
assert_screen "the progress unchanged" "  |  0/16"
ui_show_flat "$id"
assert_contains "on disk: no answer either" ".answers={}" "$UI_SHOW"
tui_keys Down
assert_current "moving on" "工作人員是否佩戴工作牌"
tui_keys Up
assert_current "and back" "* 輪到自己時，窗口人員是否在崗？"
assert_answer "still no answer" "-"

# --- a stopwatch that cannot be started
tui_keys Up
assert_current "the stopwatch" "等候時間"
tui_keys Space
assert_screen "Space: the failure is said" "injected failure"
sleep 1.2
assert_detail_gone "the stopwatch is not running" "(running)"
assert_not_contains "nor counting" "00:01" "$(ui_detail)"

# --- a count that cannot be stored
tui_keys Up
assert_current "the count of people queuing" "到達時排隊等候的人數"
tui_keys +
assert_screen "+: the failure is said" "injected failure"
assert_answer "the count not shown" "-"
assert_screen "the progress still unchanged" "  |  0/16"

# --- writes work again: the same keys
mend_writes
tui_keys +
assert_answer "+ now counts" "1"
tui_keys Down
assert_current "the stopwatch" "等候時間"
tui_keys Space
assert_detail "Space now starts it" "(running)"
tui_keys Space
tui_keys Down
assert_current "staff present" "* 輪到自己時，窗口人員是否在崗？"
tui_keys n
assert_current "n: the question it shows comes next" \
    "等待窗口人員回到崗位的時間"
assert_screen "three answers, one more question shown" "  |  3/17"
tui_keys q
assert_screen "the visits screen" "anfang  visits (" 10
tui_keys q
assert_eq "q quits with 0" 0 "$(tui_exit_status 20)"
ui_show_flat "$id"
assert_contains "on disk: the count" ".answers.people_waiting=n:1" "$UI_SHOW"
assert_contains "on disk: the answer" ".answers.staff_present=s:no" \
    "$UI_SHOW"
assert_contains "the trail intact" ".audit.intact=true" "$UI_SHOW"

t_done
