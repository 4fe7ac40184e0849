#!/usr/bin/env bash
# e2e: normal build only: a copy made by SQLite's backup; its code runs sanitized in unit/test-store
# anfang backup: a 0600 copy that opens with the same passphrase and holds
# the same visits, signing key and audit trails, independent of the
# original afterwards; never overwrites (exit 73, file unchanged); a
# destination it cannot write fails cleanly: non-zero, one line, no file
# and no temporary file left anywhere.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
PASS=$T_TMP/pass
printf 'backup test pass\n' >"$PASS"
db=$T_TMP/data/orig.db
B=$T_TMP/backups
mkdir -p "$B"

# an ARGS...: anfang with the passphrase (add --db)
an()
{
	"$ANFANG" --forms "$FORMS" "$@" --passphrase-fd 3 3<"$PASS"
}

sha()
{
	sha256sum <"$1" | cut -d ' ' -f 1
}

# leftovers: files under T_TMP that look like an unfinished copy
leftovers()
{
	find "$T_TMP" -name '*.new*' -o -name '*.tmp*' -o -name '*-journal'
}

assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
assert_exit "record a draft" 0 an record --db "$db" --form service-window \
    --unit dongcheng-gov-centre --answers "$ANSWERS"
v1=$T_OUT
assert_exit "record a final visit" 0 an record --db "$db" \
    --form service-window --unit city-tax-01 --answers "$ANSWERS" --finalize
v2=$T_OUT
assert_exit "amend it" 0 an amend "$v2" attitude 5 --reason better --db "$db"
an list --db "$db" >"$T_TMP/list.orig"
an show "$v2" --json --db "$db" >"$T_TMP/show.orig"
an key show --db "$db" >"$T_TMP/key.orig"
assert_eq "original lists two visits" 2 "$(grep -c . "$T_TMP/list.orig")"

# --- a backup
copy=$B/copy.db
assert_exit "backup: exit 0" 0 an backup "$copy" --db "$db"
assert_eq "backup: one line on stdout" 1 "$(printf '%s\n' "$T_OUT" |
    grep -c .)"
assert_eq "backup: nothing on stderr" "" "$T_ERR"
assert_eq "backup file is 0600" 600 "$(stat -c %a "$copy" 2>/dev/null)"
assert_exit "backup opens with the same passphrase" 0 an list --db "$copy"
assert_eq "backup lists the same visits" "$(cat "$T_TMP/list.orig")" \
    "$T_OUT"
assert_contains "backup lists the draft" "$v1  draft" "$T_OUT"
assert_exit "show from the backup" 0 an show "$v2" --json --db "$copy"
if [ "$T_OUT" = "$(cat "$T_TMP/show.orig")" ]; then
	t_ok "backup: the same visit, amendment and audit trail"
else
	t_fail "backup: the same visit, amendment and audit trail" "differs"
	diff "$T_TMP/show.orig" "$T_OUTFILE" | _t_indent
fi
assert_exit "key show from the backup" 0 an key show --db "$copy"
assert_eq "backup: the same signing key" "$(cat "$T_TMP/key.orig")" "$T_OUT"
assert_exit "backup: another passphrase does not open it" 77 \
    "$ANFANG" list --db "$copy" --passphrase-fd 3 3<<<'not it'
assert_eq "no temporary files left" "" "$(leftovers)"

# --- independent of the original afterwards
assert_exit "record into the original" 0 an record --db "$db" \
    --form service-window --unit city-property --answers "$ANSWERS"
assert_exit "list the backup again" 0 an list --db "$copy"
assert_eq "the backup did not change" "$(cat "$T_TMP/list.orig")" "$T_OUT"
assert_exit "record into the backup" 0 an record --db "$copy" \
    --form service-window --unit city-marriage --answers "$ANSWERS"
assert_exit "list the original" 0 an list --db "$db"
assert_eq "the original has its three, not the backup's" 3 \
    "$(printf '%s\n' "$T_OUT" | grep -c .)"
assert_not_contains "the backup's new visit is not in the original" \
    "市民政局涉外婚姻登記處" "$T_OUT"

# a backup of a backup, to a relative path
mkdir -p "$B/rel"
# shellcheck disable=SC2016 # for the inner sh
assert_exit "backup to a relative path" 0 sh -c 'cd "$1" && shift &&
    exec "$@"' sh "$B/rel" "$ANFANG" backup again.db --db "$copy" \
    --passphrase-fd 3 3<"$PASS"
assert_exit "the backup of the backup opens" 0 an list --db "$B/rel/again.db"
assert_eq "the backup of the backup: three visits" 3 \
    "$(printf '%s\n' "$T_OUT" | grep -c .)"

# --- never overwrite
before=$(sha "$copy")
assert_exit "backup over the backup: exit 73" 73 an backup "$copy" --db "$db"
assert_eq "backup over the backup: one line" 1 "$(printf '%s\n' "$T_ERR" |
    grep -c .)"
assert_eq "backup over the backup: unchanged" "$before" "$(sha "$copy")"
printf 'precious\n' >"$B/notes.txt"
before=$(sha "$B/notes.txt")
assert_exit "backup over another file: exit 73" 73 \
    an backup "$B/notes.txt" --db "$db"
assert_eq "other file unchanged" "$before" "$(sha "$B/notes.txt")"
before=$(sha "$db")
assert_exit "backup over the database itself: exit 73" 73 \
    an backup "$db" --db "$db"
assert_eq "database unchanged" "$before" "$(sha "$db")"
ln -s "$B/target.db" "$B/link.db"
assert_exit "backup over a dangling link: exit 73" 73 \
    an backup "$B/link.db" --db "$db"
if [ -e "$B/target.db" ]; then
	t_fail "the link's target was not created" "it was"
else
	t_ok "the link's target was not created"
fi

# --- destinations that cannot be written (tests may run as root, so no
# permission tricks: a directory that does not exist, and a file used as a
# directory)
for dest in "$B/no-such-dir/copy.db" "$B/notes.txt/copy.db"; do
	assert_exit "backup to $dest: fails" 74 an backup "$dest" --db "$db"
	assert_eq "backup to $dest: one line on stderr" 1 \
	    "$(printf '%s\n' "$T_ERR" | grep -c .)"
	assert_contains "backup to $dest: message starts anfang:" "anfang: " \
	    "$T_ERR"
	assert_eq "backup to $dest: nothing on stdout" "" "$T_OUT"
done
if [ -e "$B/no-such-dir" ]; then
	t_fail "the missing directory was not created" "it was"
else
	t_ok "the missing directory was not created"
fi
assert_eq "no partial or temporary file anywhere" "" "$(leftovers)"
assert_eq "the backups directory holds only what the test made" \
    "copy.db link.db notes.txt rel" \
    "$(find "$B" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort |
    tr '\n' ' ' | sed 's/ $//')"

assert_exit "backup without FILE: exit 64" 64 an backup --db "$db"

t_done
