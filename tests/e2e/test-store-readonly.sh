#!/usr/bin/env bash
# e2e: normal build only: permissions are the files' doing
# A database that cannot be written: a file at 0400, a directory at 0500
# (as an unprivileged user: root passes permission checks), a -shm left at
# 0400 beside it, and a read-only mount (as root).  Each time: exit 74 with
# one line naming the file or directory and why, nothing made beside the
# database; and once it is writable again, every command works as before.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
PASS=$T_TMP/pass
printf 'read-only pass\n' >"$PASS"
chmod 0644 "$PASS"

# A directory the unprivileged user owns, outside T_TMP (0700, root's).
U=$(mktemp -d /tmp/anfang-ro.XXXXXX)
RO=
trap 'rc=$?; [ -n "$RO" ] && umount "$RO" 2>/dev/null; rm -rf "$U";
    (exit $rc); _t_exit' EXIT
chmod 0755 "$U"
mkdir "$U/data"
db=$U/data/visits.db

if [ "$(id -u)" -eq 0 ] && getent passwd nobody >/dev/null &&
    setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups true \
        2>/dev/null; then
	chown -R nobody "$U"
	# as ARGS...: run as nobody, with its own HOME and XDG directories;
	# a sanitizer build's reports go where nobody may write, and are
	# moved to T_TMP for t_done
	mkdir "$U/san"
	chown nobody "$U/san"
	as()
	{
		local rc=0 f
		HOME=$U XDG_CONFIG_HOME=$U/config XDG_DATA_HOME=$U/share \
		    XDG_CACHE_HOME=$U/cache XDG_STATE_HOME=$U/state \
		    ASAN_OPTIONS=${ASAN_OPTIONS//$T_TMP/$U/san} \
		    UBSAN_OPTIONS=${UBSAN_OPTIONS//$T_TMP/$U/san} \
		    setpriv --reuid=nobody --regid="$(id -g nobody)" \
		    --clear-groups "$@" || rc=$?
		for f in "$U"/san/sanitizer.*; do
			[ -e "$f" ] && mv "$f" "$T_TMP/"
		done
		return "$rc"
	}
elif [ "$(id -u)" -ne 0 ]; then
	as() { "$@"; }
else
	t_fail "an unprivileged user to run as" "no nobody, or setpriv fails"
	t_done
	exit 1
fi

an()
{
	as "$ANFANG" --db "$db" --forms "$FORMS" "$@" --passphrase-fd 3 3<"$PASS"
}

# beside: the names in the database's directory
beside()
{
	ls -A "$U/data" | tr '\n' ' '
}

assert_exit "init (as $(as id -un))" 0 as "$ANFANG" init --db "$db" \
    --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_exit "record" 0 an record --form service-window \
    --unit dongcheng-gov-centre --answers "$ANSWERS"
v=$T_OUT
assert_eq "only the database" "visits.db " "$(beside)"

# --- the file at 0400
chmod 0400 "$db"
assert_exit "database at 0400: list exits 74" 74 an list
assert_contains "... says why" "Permission denied" "$T_ERR"
assert_contains "... names the file" "$db" "$T_ERR"
assert_eq "... one line" 1 "$(printf '%s\n' "$T_ERR" | grep -c .)"
assert_eq "... nothing made beside it" "visits.db " "$(beside)"
assert_exit "database at 0400: show exits 74" 74 an show "$v"
assert_eq "... nothing made beside it" "visits.db " "$(beside)"
chmod 0600 "$db"
assert_exit "back at 0600: list" 0 an list
assert_contains "... the visit" "$v" "$T_OUT"
assert_exit "... record" 0 an record --form service-window \
    --unit dongcheng-gov-centre --answers "$ANSWERS"

# --- the directory at 0500
chmod 0500 "$U/data"
assert_exit "directory at 0500: list exits 74" 74 an list
assert_contains "... says why" "Permission denied" "$T_ERR"
assert_contains "... names the directory" "$U/data:" "$T_ERR"
assert_eq "... one line" 1 "$(printf '%s\n' "$T_ERR" | grep -c .)"
chmod 0700 "$U/data"
assert_eq "... nothing made beside it" "visits.db " "$(beside)"
assert_exit "back at 0700: list" 0 an list
assert_eq "... both visits" 2 "$(printf '%s\n' "$T_OUT" | grep -c .)"

# --- a -shm left at 0400 (as an older anfang did)
as sh -c "umask 0377; : >'$db-shm'"
assert_exit "a -shm at 0400 beside it: list exits 74" 74 an list
assert_contains "... names it" "$db-shm" "$T_ERR"
assert_contains "... says why" "Permission denied" "$T_ERR"
rm -f "$db-shm"
assert_exit "... without it: list" 0 an list

# --- a read-only mount (root only)
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p "$T_TMP/ro"
	if mount --bind "$U/data" "$T_TMP/ro" 2>/dev/null &&
	    RO=$T_TMP/ro && mount -o remount,bind,ro "$RO" 2>/dev/null; then
		assert_exit "read-only mount: list exits 74" 74 \
		    "$ANFANG" --db "$RO/visits.db" list --passphrase-fd 3 \
		    3<"$PASS"
		assert_contains "... says why" "Read-only file system" "$T_ERR"
		assert_eq "... one line" 1 \
		    "$(printf '%s\n' "$T_ERR" | grep -c .)"
		assert_eq "... nothing made beside it" "visits.db " "$(beside)"
		umount "$RO"
		RO=
	else
		t_skip "read-only mount" "mount --bind not permitted here"
	fi
fi
assert_exit "at the end: list" 0 an list
t_done
