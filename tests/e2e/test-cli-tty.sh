#!/usr/bin/env bash
# The command line on a terminal: what is typed during passwd's key
# derivation never shows (echo stays off, the typed-ahead text is dropped
# before the next prompt); stderr says "unlocking..." while a key is
# derived, and nothing of the kind when stderr is not a terminal; the UI's
# first run refuses a new passphrase under 8 characters; the UI's
# "terminal too small" is readable whole at 30 columns; a database path
# that cannot be one is refused before a passphrase is asked for.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PASS=$T_TMP/pass
P1='tty test pass'
P2='tty test pass 2'
printf '%s\n' "$P1" >"$PASS"
db=$T_TMP/data/moderate.db

# The moderate key cost (the default): a derivation long enough to type in.
assert_exit "init (moderate)" 0 "$ANFANG" init --db "$db" \
    --passphrase-fd 3 3<"$PASS"

# --- passwd: typing during the derivation shows nothing
tui_start "$ANFANG" passwd --db "$db"
assert_screen "passwd: asks the current passphrase" "Passphrase:"
tui_type "$P1"
tui_keys Enter
# Type until the next prompt is up: whatever lands during the derivation
# must not be echoed.
typed=0
for _ in $(seq 1 200); do
	tui_screen | grep -q "New passphrase" && break
	tui_type "AHEAD"
	typed=$((typed + 1))
	sleep 0.05
done
assert_screen "passwd: asks the new passphrase" "New passphrase"
t_diag "typed AHEAD $typed times before the prompt"
if [ "$typed" -gt 0 ]; then
	t_ok "something was typed during the derivation"
else
	t_fail "something was typed during the derivation" "none"
fi
assert_not_contains "nothing typed ahead is on the screen" "AHEAD" \
    "$(tui_screen)"
assert_not_contains "nor in the scroll-back" "AHEAD" \
    "$(tui_screen -S -1000)"
# The last AHEAD may have been sent just as the prompt came up, and so be
# typed at it: Ctrl-U (the terminal's line kill) clears the line first.
tui_keys C-u
tui_type "$P2"
tui_keys Enter
assert_screen "passwd: asks again" "Again:"
tui_type "$P2"
tui_keys Enter
assert_screen "passwd: done" "passphrase changed" 60
assert_not_contains "still nothing typed ahead on the screen" "AHEAD" \
    "$(tui_screen -S -1000)"
tui_stop
printf '%s\n' "$P2" >"$PASS"
assert_exit "the new passphrase opens it" 0 "$ANFANG" list --db "$db" \
    --passphrase-fd 3 3<"$PASS"

# --- "unlocking..." on a terminal's stderr only
assert_exit "list, stderr not a terminal" 0 "$ANFANG" list --db "$db" \
    --passphrase-fd 3 3<"$PASS"
assert_eq "nothing on stderr" "" "$T_ERR"
# shellcheck disable=SC2016 # expanded by script's shell
t_run script -q -e -c "$(printf '%q ' "$ANFANG" list --db "$db" \
    --passphrase-fd 3)3<$(printf '%q' "$PASS")" "$T_TMP/typescript"
assert_eq "list on a terminal: exit 0" 0 "$T_STATUS"
assert_contains "list on a terminal: unlocking… while the key is derived" \
    "unlocking…" "$(cat "$T_TMP/typescript")"

# --- the UI's first run refuses a short new passphrase too
tui_start "$ANFANG" --db "$T_TMP/data/ui.db" --kdf interactive
assert_screen "UI: offers to create the database" \
    "Create it, encrypted with a new passphrase? (y/n)" 20
tui_keys y
assert_screen "UI: asks for a new passphrase" "New passphrase:"
tui_type "short"
tui_keys Enter
assert_screen "UI: a 5-character passphrase is refused" \
    "at least 8 characters"
assert_not_contains "UI: not asked again for it" "The same again:" \
    "$(tui_screen)"
tui_stop
if [ -e "$T_TMP/data/ui.db" ]; then
	t_fail "UI: no database made" "made"
else
	t_ok "UI: no database made"
fi

# --- terminal too small, at 30 columns: the whole message
tui_start -x 30 -y 24 "$ANFANG" --db "$db"
assert_screen "30x24: terminal too small" "terminal too small"
assert_screen "30x24: the needed size is shown too" "needs 50x12)"
tui_stop

# --- a database path that cannot be one (a directory, a short file) is
# said at once: nobody types a passphrase for it
mkdir -p "$T_TMP/adir"
printf 'not a database\n' >"$T_TMP/short.db"
tui_start "$ANFANG" list --db "$T_TMP/adir"
assert_eq "list --db DIR: exit 65 without a prompt" 65 "$(tui_exit_status 20)"
assert_screen "... says it is a directory" "adir: Is a directory"
assert_not_contains "... asked no passphrase" "Passphrase:" "$(tui_screen)"
tui_stop
tui_start -x 200 "$ANFANG" list --db "$T_TMP/short.db"
assert_eq "list --db a short file: exit 65 without a prompt" 65 \
    "$(tui_exit_status 20)"
assert_screen "... not a database" "short.db: not an anfang database"
tui_stop
tui_start "$ANFANG" --db "$T_TMP/adir"
assert_eq "the UI on a directory: exit 65 before the unlock screen" 65 \
    "$(tui_exit_status 20)"
assert_screen "... says it is a directory" "adir: Is a directory"
tui_stop

t_done
