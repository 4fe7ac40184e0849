#!/usr/bin/env bash
# The unlock screen: a wrong passphrase three times says "wrong passphrase"
# each time, after a growing delay (1 s, 2 s, 4 s), echoes nothing, and
# the right one (after Esc cleared a half-typed one) opens the visits.
# On a first run, two different new passphrases and an empty one are
# refused.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

ui_init
ui_start
assert_screen "the unlock prompt" "Passphrase:" 20
assert_screen "says nothing is shown" \
    "(nothing is shown while you type; Esc clears)"

# Nothing typed shows, so the screen says that typing was taken only by
# clearing the message before: an empty Enter (no attempt) gives the first
# one a message too.
tui_keys Enter
last="an empty passphrase is not allowed"
assert_screen "an empty passphrase is refused" "$last"
n=0
for delay in 1 2 4; do
	n=$((n + 1))
	wrong="wrong guess $n"
	tui_type "$wrong"
	assert_screen_gone "attempt $n: the last message cleared by typing" \
	    "$last"
	last="wrong passphrase"
	assert_not_contains "attempt $n: nothing echoed" "guess" "$(tui_screen)"
	t0=$(_t_now_ms)
	tui_keys Enter
	assert_screen "attempt $n: wrong passphrase" "wrong passphrase" 30
	ms=$(($(_t_now_ms) - t0))
	if [ "$ms" -ge $((delay * 1000 - 50)) ]; then
		t_ok "attempt $n: after a delay of ${delay} s (${ms} ms)"
	else
		t_fail "attempt $n: after a delay of ${delay} s" "${ms} ms"
	fi
	assert_screen "attempt $n: still the unlock prompt" "Passphrase:"
done

tui_type "half typed"
assert_screen_gone "typing clears the message" "wrong passphrase"
tui_keys Escape
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "Esc cleared it; the right one opens the visits" \
    "anfang  visits (0)" 20
tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

# --- first run: the new passphrase twice, the same, not empty
UI_DB=$T_TMP/db/new.db
ui_start --kdf interactive
assert_screen "first run" "Create it, encrypted with a new passphrase? (y/n)" 20
tui_keys y
assert_screen "new passphrase" "New passphrase:"
tui_keys Enter
assert_screen "empty: refused" "an empty passphrase is not allowed"
assert_screen "still asked" "New passphrase:"
tui_type "first version"
tui_keys Enter
assert_screen "again" "The same again:"
tui_type "second version"
tui_keys Enter
assert_screen "different: refused" "the two passphrases differ; start again"
assert_screen "asked anew" "New passphrase:"
if [ -e "$UI_DB" ]; then
	t_fail "no database made yet" "$UI_DB exists"
else
	t_ok "no database made yet"
fi
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "again" "The same again:"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "the same twice: created" "No visits yet: press n to start one." 30
tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_check "the new database opens with that passphrase" an list

t_done
