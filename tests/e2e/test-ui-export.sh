#!/usr/bin/env bash
# e on the visits screen asks where to export (the folder anfang was
# started in the first time, the last one afterwards, also after a
# restart: it is kept in the database) and for a supervisor's box key to
# seal to (the last one offered again); a missing folder is made; the
# files are 0600; nothing is written where anfang was started; Esc
# cancels.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

ANSWERS=$T_ROOT/tests/bench/answers-zh.json
# the stick is mounted; the folder on it is made by the export
mkdir -p "$T_TMP/usb"
USB=$T_TMP/usb/visits
final()
{
	t_check "$1" an record --form service-window \
	    --unit dongcheng-gov-centre --answers "$ANSWERS" --finalize
}

ui_init
final "a finalized visit"
# the supervisor's box key
sup=$T_TMP/db/sup.db
t_check "supervisor: init" "$ANFANG" --db "$sup" init --kdf interactive \
    --passphrase-fd 3 3<"$UI_PASSFILE"
t_check "supervisor: key show --box" "$ANFANG" --db "$sup" key show --box \
    --passphrase-fd 3 3<"$UI_PASSFILE"
printf '%s\n' "$T_OUT" >"$T_TMP/sup-box.pub"

mkdir -p "$T_TMP/cwd"
cd "$T_TMP/cwd" || exit 1
ui_start
ui_unlock
tui_keys e
assert_screen "e asks where, from the folder anfang started in" \
    "Export to folder: $T_TMP/cwd"
# While a folder is typed, the bar says how it ends, and shows no letter
# as a key: each is text.
assert_screen "the bar while a folder is typed" "^L lock  Enter keep  Esc cancel"
assert_not_contains "... no letter keys in it" "n new" "$(tui_screen)"
tui_keys Escape
assert_screen "Esc cancels" "export cancelled"
assert_screen "the bar's keys back" "n new  e export"
tui_keys /
assert_screen "the bar while a filter is typed" "^L lock  Enter keep  Esc cancel"
tui_keys Escape
assert_screen "... and after it" "n new  e export"
tui_keys e
assert_screen "e asks again" "Export to folder: "
tui_keys C-u
tui_type "$USB"
tui_keys Enter
assert_screen "then for a key to seal to" "Seal to key (.pub; empty: none):"
tui_keys Enter
assert_screen "exported" "exported to $T_TMP/usb"
batch=$(ls "$USB"/*.jsonl 2>/dev/null)
assert_eq "one batch in the new folder" 1 "$(printf '%s' "$batch" | grep -c .)"
assert_eq "the batch is 0600" 600 "$(stat -c %a "$batch" 2>/dev/null)"
assert_eq "its signature is 0600" 600 "$(stat -c %a "$batch.minisig" 2>/dev/null)"
assert_eq "the new folder is 0700" 700 "$(stat -c %a "$USB" 2>/dev/null)"
assert_eq "nothing where anfang started" "" "$(ls -A "$T_TMP/cwd")"

# A folder whose parent is missing (a stick not mounted) is not made:
# the same rule as export --out.
final "a visit for a stick not mounted"
assert_screen "the list shows it" "anfang  visits (2)"
tui_keys e
assert_screen "e again" "Export to folder: "
tui_keys C-u
tui_type "$T_TMP/nostick/out"
tui_keys Enter
assert_screen "the key question" "Seal to key (.pub; empty: none):"
tui_keys Enter
# (the message ends in "No such file or directory", cut at 80 columns
# after a long temporary path)
assert_screen "a missing parent: refused" "export failed: $T_TMP/nost"
assert_eq "no folder made for the stick" "no" \
    "$([ -e "$T_TMP/nostick" ] && echo yes || echo no)"
tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

final "another finalized visit"
ui_start
ui_unlock "again"
tui_keys e
# (the editor shows the end of a long path: the folder is seen by where
# the batch goes)
assert_screen "after a restart, e asks where" "Export to folder: "
tui_keys Enter
assert_screen "no key before" "Seal to key (.pub; empty: none):"
tui_type "$T_TMP/nokey.pub"
tui_keys Enter
assert_screen "a missing key file: said, still asking" "nokey.pub: "
tui_keys C-u
tui_type "$T_TMP/sup-box.pub"
tui_keys Enter
assert_screen "exported, sealed" "exported, sealed, to /"
sealed=$(ls "$USB"/*.sealed 2>/dev/null)
assert_eq "one sealed file, in the last folder" 1 \
    "$(printf '%s' "$sealed" | grep -c .)"
assert_eq "the sealed file is 0600" 600 "$(stat -c %a "$sealed" 2>/dev/null)"
tui_keys q
assert_eq "quit: status 0 again" 0 "$(tui_exit_status 20)"

final "a third finalized visit"
ui_start
ui_unlock "third"
tui_keys e
assert_screen "e asks where" "Export to folder: "
tui_keys Enter
assert_screen "the key offered" "sup-box.pub"
tui_keys Enter
assert_screen "exported, sealed again" "exported, sealed, to /"
sealed=("$USB"/*.sealed)
assert_eq "two sealed files in the last folder" 2 "${#sealed[@]}"
tui_keys q
assert_eq "quit: status 0 a third time" 0 "$(tui_exit_status 20)"
t_done
