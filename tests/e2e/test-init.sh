#!/usr/bin/env bash
# anfang init: creates the database at the default path (making its 0700
# directories) or at --db or $ANFANG_DB (in a directory that must exist:
# none is made), with a 0600 file whatever the umask;
# prints the signing key id; never overwrites anything (exit 73, file
# unchanged); refuses an empty or missing passphrase and a bad --kdf without
# creating anything.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PASS=$T_TMP/pass
printf 'correct horse battery\n' >"$PASS"

# mode PATH: octal permission bits, as stat prints them
mode()
{
	stat -c %a "$1" 2>/dev/null || echo missing
}

sha()
{
	sha256sum <"$1" | cut -d ' ' -f 1
}

# keyid_of TEXT: the 16 hex digits after "signing key id"
keyid_of()
{
	printf '%s\n' "$1" | sed -n 's/.*signing key id \([0-9A-F]\{16\}\)$/\1/p'
}

# --- the default path
db=$XDG_DATA_HOME/anfang/anfang.db
assert_exit "init (default path): exit 0" 0 \
    "$ANFANG" init --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_eq "init: nothing on stderr" "" "$T_ERR"
if [ -f "$db" ]; then
	t_ok "database at \$XDG_DATA_HOME/anfang/anfang.db"
else
	t_fail "database at \$XDG_DATA_HOME/anfang/anfang.db" "not there"
	find "$T_TMP" -name '*.db*' | _t_indent
fi
assert_eq "data directory is 0700" 700 "$(mode "$XDG_DATA_HOME/anfang")"
assert_eq "database file is 0600" 600 "$(mode "$db")"
assert_contains "init names the file it created" "$db" "$T_OUT"
id=$(keyid_of "$T_OUT")
if [ -n "$id" ]; then
	t_ok "init prints the signing key id (16 hex digits)"
else
	t_fail "init prints the signing key id (16 hex digits)" "'$T_OUT'"
fi
assert_eq "only the database in its directory" "anfang.db" \
    "$(ls -A "$XDG_DATA_HOME/anfang")"

# it opens, empty, and its key is the one printed
assert_exit "new database opens (list)" 0 \
    "$ANFANG" list --passphrase-fd 3 3<"$PASS"
assert_eq "new database has no visits" "" "$T_OUT"
assert_exit "key show on the new database" 0 \
    "$ANFANG" key show --passphrase-fd 3 3<"$PASS"
assert_contains "key show has the key id init printed" \
    "minisign public key $id" "$T_OUT"

# --- never overwrite
before=$(sha "$db")
assert_exit "init again: exit 73" 73 \
    "$ANFANG" init --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_eq "init again: one line on stderr" 1 "$(printf '%s\n' "$T_ERR" |
    grep -c .)"
assert_contains "init again: says it exists" "$db" "$T_ERR"
assert_eq "init again: file unchanged" "$before" "$(sha "$db")"
assert_exit "init again, another passphrase: exit 73" 73 \
    "$ANFANG" init --kdf interactive --passphrase-fd 3 3<<<'other pass'
assert_eq "still unchanged" "$before" "$(sha "$db")"
assert_exit "old passphrase still opens it" 0 \
    "$ANFANG" list --passphrase-fd 3 3<"$PASS"

# not over another file either, nor through a dangling link
printf 'precious\n' >"$T_TMP/notes.txt"
before=$(sha "$T_TMP/notes.txt")
assert_exit "init over a text file: exit 73" 73 "$ANFANG" init \
    --db "$T_TMP/notes.txt" --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_eq "text file unchanged" "$before" "$(sha "$T_TMP/notes.txt")"
ln -s "$T_TMP/target.db" "$T_TMP/link.db"
assert_exit "init over a dangling link: exit 73" 73 "$ANFANG" init \
    --db "$T_TMP/link.db" --kdf interactive --passphrase-fd 3 3<"$PASS"
if [ -e "$T_TMP/target.db" ]; then
	t_fail "the link's target was not created" "it was"
else
	t_ok "the link's target was not created"
fi

# --- the default path's missing directories made 0700 whatever the umask
assert_exit "init at the default path with umask 000: exit 0" 0 \
    env XDG_DATA_HOME="$T_TMP/xdg/share" sh -c 'umask 000; exec "$@"' sh \
    "$ANFANG" init --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_eq "default: first new directory 0700" 700 "$(mode "$T_TMP/xdg")"
assert_eq "default: second new directory 0700" 700 \
    "$(mode "$T_TMP/xdg/share")"
assert_eq "default: third new directory 0700" 700 \
    "$(mode "$T_TMP/xdg/share/anfang")"
assert_eq "default: file 0600 under umask 000" 600 \
    "$(mode "$T_TMP/xdg/share/anfang/anfang.db")"

# --- --db: its directory must exist (a mistyped path, an unmounted disk);
# the file is 0600 whatever the umask
other=$T_TMP/deep/er/visits.db
assert_exit "init --db in a missing directory: exit 73" 73 "$ANFANG" init \
    --db "$other" --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_contains "init --db: says the directory must exist" \
    "directory must exist" "$T_ERR"
assert_eq "init --db: no directory made" missing "$(mode "$T_TMP/deep")"
mkdir -p "$T_TMP/deep/er"
assert_exit "init --db with umask 000: exit 0" 0 sh -c \
    'umask 000; exec "$@"' sh "$ANFANG" init --db "$other" \
    --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_eq "--db: file 0600 under umask 000" 600 "$(mode "$other")"
id2=$(keyid_of "$T_OUT")
if [ -n "$id2" ] && [ "$id2" != "$id" ]; then
	t_ok "--db: a new key id, not the first one"
else
	t_fail "--db: a new key id, not the first one" "'$id2' vs '$id'"
fi
assert_exit "--db database opens" 0 \
    "$ANFANG" list --db "$other" --passphrase-fd 3 3<"$PASS"

# --- $ANFANG_DB, and --db over it
envdb=$T_TMP/env/by-env.db
assert_exit "init with ANFANG_DB in a missing directory: exit 73" 73 \
    env ANFANG_DB="$envdb" "$ANFANG" init --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
assert_eq "ANFANG_DB: no directory made" missing "$(mode "$T_TMP/env")"
mkdir "$T_TMP/env"
assert_exit "init with ANFANG_DB: exit 0" 0 env ANFANG_DB="$envdb" \
    "$ANFANG" init --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_eq "ANFANG_DB: created there" 600 "$(mode "$envdb")"
assert_exit "--db wins over ANFANG_DB" 0 env ANFANG_DB="$T_TMP/env/no.db" \
    "$ANFANG" init --db "$T_TMP/env/flag.db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
assert_eq "--db wins: file at --db" 600 "$(mode "$T_TMP/env/flag.db")"
assert_eq "--db wins: none at ANFANG_DB" missing \
    "$(mode "$T_TMP/env/no.db")"

# --- refusals that create nothing
mkdir "$T_TMP/fresh"
fresh=$T_TMP/fresh/x.db
assert_exit "empty passphrase: refused" 64 "$ANFANG" init --db "$fresh" \
    --kdf interactive --passphrase-fd 3 3<<<''
assert_contains "empty passphrase: says so" "empty passphrase" "$T_ERR"
assert_exit "no passphrase at all (empty input): refused" 64 \
    "$ANFANG" init --db "$fresh" --kdf interactive --passphrase-fd 3 \
    3</dev/null
assert_exit "--kdf bogus: exit 64" 64 "$ANFANG" init --db "$fresh" \
    --kdf bogus --passphrase-fd 3 3<"$PASS"
assert_contains "--kdf bogus: names the value" "bogus" "$T_ERR"
assert_exit "no terminal and no --passphrase-fd: refused" 64 \
    setsid -w "$ANFANG" init --db "$fresh" --kdf interactive </dev/null
assert_exit "--passphrase-fd on a closed descriptor: refused" 64 \
    "$ANFANG" init --db "$fresh" --kdf interactive --passphrase-fd 9
assert_eq "refusals created no file" "" "$(ls -A "$T_TMP/fresh")"

t_done
