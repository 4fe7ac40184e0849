#!/usr/bin/env bash
# e2e: normal build only: what a kill leaves is the files' doing
# SIGKILL in the middle of a visit, with the waiting-time stopwatch
# running: every answer given is in the database (each is its own
# transaction), and when the draft is opened again the stopwatch is still
# running, counted from when it was started (not from zero, not from the
# reopening); stopping it then stores the whole time.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

ui_init
ui_start
ui_unlock
ui_new_visit 政務 東城區政務
tui_keys Down Enter C-u
tui_type "08:45"
tui_keys Enter
assert_current "arrival time answered" "到達時排隊等候的人數"
tui_keys + + + +
assert_answer "four people waiting" "4"
tui_keys Down Down
assert_current "staff present" "* 輪到自己時"
tui_keys y n 3
assert_current "three more answered" "* 工作人員是否專心辦事"
tui_keys Up Up Up Up
assert_current "back up to the waiting time" "等候時間"
tui_keys Space
t0=$(_t_now_ms)
assert_detail "the stopwatch runs" "(running)"
assert_detail "counting: 3 s" "00:03 (running)" 10

# --- SIGKILL
tui_kill KILL
assert_eq "killed: 128+9" 137 "$(tui_exit_status 10)"
tui_stop

id=$(ui_visit_id)
if [[ $id =~ ^[a-z0-9]{8,}$ ]]; then
	t_ok "list: the draft is there ($id)"
else
	t_fail "list: the draft is there" "'$id'"
fi
assert_eq "list: a draft" draft "$(an list | awk 'NR == 1 { print $2 }')"
ui_show_flat "$id"
want=$(LC_ALL=C sort <<EOF
arrival_time=s:08:45
badge_shown=s:no
competent=s:could_not
people_waiting=n:4
staff_present=s:yes
EOF
)
assert_eq "show --json: every answer given, no more" "$want" "$(ui_answers)"
assert_contains "the stopwatch start is in the audit trail" \
    "=s:wait: 0 ms" "$UI_SHOW"
assert_not_contains "and no stop" "=s:timer stopped" "$UI_SHOW"
assert_contains "audit trail intact" ".audit.intact=true" "$UI_SHOW"

# --- start again, open the draft
ui_start
ui_unlock "again"
assert_screen "the draft in the list" "> draft    "
assert_screen "with its progress" "  5/16  "
tui_keys Enter
assert_screen "Enter opens it" "政務服務窗口暗訪檢查表  |  東城區政務服務中心  |  5/16"
assert_screen "the answers are shown" "08:45"
tui_keys Down Down Down
assert_current "the waiting time" "等候時間"
assert_detail "the stopwatch is still running" "(running)"
shown=$(ui_mmss_s "$(ui_detail)")
elapsed=$((($(_t_now_ms) - t0) / 1000))
# The screen is redrawn every 0.25 s: allow a second behind.
if [ -n "$shown" ] && [ "$shown" -ge $((elapsed - 1)) ] &&
    [ "$shown" -le $((elapsed + 1)) ]; then
	t_ok "it counts from the first start (${shown} s shown, ${elapsed} s since)"
else
	t_fail "it counts from the first start" \
	    "'$(ui_detail | grep running)' shown, ${elapsed} s since the start"
fi
if [ -n "$shown" ] && [ "$shown" -ge 3 ]; then
	t_ok "at least the 3 s shown before the kill"
else
	t_fail "at least the 3 s shown before the kill" "${shown:-nothing} s"
fi
assert_contains "the list row says running too" "(running)" \
    "$(tui_screen | grep '等候時間')"
tui_keys Space
t1=$(_t_now_ms)
assert_detail_gone "Space stops it" "(running)"
stopped=$(ui_mmss_s "$(ui_detail)")
tui_keys q
assert_screen "back to the visits" "anfang  visits (1)"
tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

ui_show_flat "$id"
got=$(printf '%s\n' "$UI_SHOW" | sed -n 's/^\.answers\.wait=n://p')
total=$(((t1 - t0) / 1000))
if [ -n "$got" ] && [ "$got" = "$stopped" ] && [ "$got" -ge $((total - 1)) ] &&
    [ "$got" -le $((total + 1)) ]; then
	t_ok "the stored time is the whole time (${got} s, as shown)"
else
	t_fail "the stored time is the whole time" \
	    "stored '${got}', shown '${stopped}', ${total} s between the keys"
fi
assert_contains "the stop in the audit trail" "=s:timer stopped" "$UI_SHOW"

t_done
