#!/usr/bin/env bash
# Where something is typed, the cursor stands there: after the passphrase
# prompt, and in an answer's editor; not after the bar, which is drawn
# last.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

cursor()
{
	_tmux display -p '#{cursor_x} #{cursor_y}'
}

ui_init
t_check "a draft visit" an record --form service-window \
    --unit dongcheng-gov-centre --answers "$T_ROOT/tests/bench/answers-zh.json"
ui_start
assert_screen "the passphrase prompt" "Passphrase:" 20
prompt=$(tui_screen | sed -n '5p' | sed 's/[[:space:]]*$//')
assert_eq "the cursor after the prompt" "$((${#prompt} + 1)) 4" "$(cursor)"
# Nothing typed shows: an empty Enter puts up a message, and its going
# says that the typing was taken.
tui_keys Enter
assert_screen "an empty Enter: a message" "an empty passphrase is not allowed"
tui_type "$UI_PASS"
assert_screen_gone "typing clears it" "an empty passphrase is not allowed"
assert_eq "... and there while typing" "$((${#prompt} + 1)) 4" "$(cursor)"
tui_keys Enter
assert_screen "unlocked: the visits screen" "anfang  visits (" 20
tui_keys Enter
assert_screen "the visit opened" "  |  22/22"
tui_keys Down
assert_current "on the arrival time" "* 到達時間"
tui_keys Enter
# typing: the bar keeps only the lock of the global keys
assert_screen_gone "its editor" "? help"
read -r x y <<<"$(cursor)"
assert_contains "the cursor on the editor's row" "> 09:15" \
    "$(tui_screen | sed -n "$((y + 1))p")"
tui_type 1
assert_screen "typed" "> 1"
read -r x y <<<"$(cursor)"
assert_eq "... the cursor after it" "> 1" \
    "$(tui_screen | sed -n "$((y + 1))p" | cut -c 1-$((x)) | sed 's/^ *//')"
tui_keys Escape
tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
