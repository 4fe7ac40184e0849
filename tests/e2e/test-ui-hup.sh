#!/usr/bin/env bash
# SIGHUP (the SSH link or the terminal going away) and SIGTERM while a text
# answer is being typed, before Enter: the program exits 0, restores the
# terminal and leaves nothing of the visit on it, and what was typed is
# saved as if Enter had been pressed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# assert_gone NAME: the program has left nothing on the screen.
assert_gone()
{
	local screen s
	screen=$(tui_screen -S - -E -)
	assert_eq "$1: the final screen is blank" "" \
	    "$(printf '%s' "$screen" | tr -d ' \n')"
	for s in 備註 東城區政務服務中心 政務服務窗口暗訪檢查表 "r/F9" "$2"; do
		assert_not_contains "$1: no '$s' left" "$s" "$screen"
	done
	assert_eq "$1: the terminal is back to the normal screen" 0 \
	    "$(tmux -L "$T_TUI_SOCK" display-message -p -t anfang \
	    '#{alternate_on}')"
}

typed1="HUP 之前打的字，還沒按回車"
typed2="，TERM 之前再加"

# --- SIGHUP
ui_init
ui_start
ui_unlock
ui_new_visit 政務 東城區政務
tui_keys End
assert_current "the notes" "備註"
tui_keys Enter
tui_type "$typed1"
assert_detail_line "typed, no Enter" " > $typed1"
assert_eq "the alternate screen is in use" 1 \
    "$(tmux -L "$T_TUI_SOCK" display-message -p -t anfang '#{alternate_on}')"
tui_kill HUP
assert_eq "SIGHUP: exit status 0" 0 "$(tui_exit_status 10)"
assert_gone "SIGHUP" "$typed1"
tui_stop

id=$(ui_visit_id)
ui_show_flat "$id"
assert_eq "SIGHUP: what was typed is saved" "notes=s:$typed1" \
    "$(ui_answers | grep '^notes=')"
assert_contains "still a draft" ".status=s:draft" "$UI_SHOW"

# --- SIGTERM, editing the saved answer
ui_start
ui_unlock "again"
tui_keys Enter
assert_screen "the draft opened" "東城區政務服務中心  |  1/16"
tui_keys End Enter
assert_detail_line "Enter edits the saved text" " > $typed1"
tui_type "$typed2"
assert_detail_line "more typed, no Enter" " > $typed1$typed2"
tui_kill TERM
assert_eq "SIGTERM: exit status 0" 0 "$(tui_exit_status 10)"
assert_gone "SIGTERM" "$typed2"
tui_stop

ui_show_flat "$id"
assert_eq "SIGTERM: the whole text is saved" "notes=s:$typed1$typed2" \
    "$(ui_answers | grep '^notes=')"
# (trips' default was never reached: a suggestion, not an answer)
assert_eq "and nothing else changed" "" \
    "$(ui_answers | grep -v '^notes=')"
assert_contains "audit trail intact" ".audit.intact=true" "$UI_SHOW"

t_done
