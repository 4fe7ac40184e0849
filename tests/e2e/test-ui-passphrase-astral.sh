#!/usr/bin/env bash
# Passphrases with characters beyond the Basic Multilingual Plane (four
# bytes of UTF-8: an emoji, CJK Extension B) are the same typed in the
# terminal UI as given to --passphrase-fd: a database made from the command
# line unlocks in the UI (the unlock screen and the panic lock), and one
# made in the UI opens from the command line.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

n=0
for pass in 'a😀b night 7' '𠀀𠀁x𪜀 7 秘密口令'; do
	n=$((n + 1))
	UI_DB=$T_TMP/db/astral-$n.db
	UI_PASS=$pass
	ui_init
	ui_start
	ui_unlock "'$pass' made by init: the unlock screen"
	tui_keys C-l
	assert_screen_gone "'$pass': locked" "anfang  visits (0)"
	tui_type "$UI_PASS"
	tui_keys Enter
	assert_screen "'$pass': the panic lock opens with it" \
	    "anfang  visits (0)" 20
	tui_keys q
	assert_eq "'$pass': quit, status 0" 0 "$(tui_exit_status 20)"
done

# A non-BMP passphrase with one character short is still wrong: the
# emoji is not dropped on either side.
UI_DB=$T_TMP/db/astral-1.db
UI_PASS='ab night 7'
ui_start
assert_screen "'ab night 7' for 'a😀b night 7': the prompt" "Passphrase:" 20
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "'ab night 7' for 'a😀b night 7': wrong passphrase" "wrong passphrase" 30
tui_keys Escape
assert_eq "Esc on an empty prompt quits: status 0" 0 "$(tui_exit_status 20)"

# Made in the UI (typed twice), opened from the command line.
UI_DB=$T_TMP/db/astral-ui.db
UI_PASS='𠀀𠀁x😀 口令 9'
ui_start --kdf interactive
assert_screen "first run" "Create it, encrypted with a new passphrase? (y/n)" 20
tui_keys y
assert_screen "new passphrase" "New passphrase:"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "again" "The same again:"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "created" "No visits yet: press n to start one." 30
tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_check "the database made in the UI opens from the command line" an list

t_done
