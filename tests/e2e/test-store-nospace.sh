#!/usr/bin/env bash
# e2e: normal build only: the store's full-disk paths run sanitized in unit/test-store-fault
# A full disk: record --finalize in a loop on a small file system (a
# 1.5 MB tmpfs; where mounting is not allowed, a file-size limit, ulimit
# -f, stands in for it) until there is no room.  The record that finds no
# room exits 74 saying so and prints no visit id; while the disk is full,
# reading still works; once there is room again the database opens
# normally (no "malformed"), every visit reported saved is there, whole,
# and recording works again.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
PASS=$T_TMP/pass
printf 'full disk pass\n' >"$PASS"
SMALL=$T_TMP/small
mkdir -p "$SMALL"
db=$SMALL/visits.db
LIMIT=

if mount -t tmpfs -o size=1500k,mode=0700 tmpfs "$SMALL" 2>/dev/null; then
	trap 'rc=$?; umount "$SMALL" 2>/dev/null; (exit $rc); _t_exit' EXIT
	t_diag "on a 1.5 MB tmpfs"
	# room taken now, given back later
	head -c 1100000 /dev/zero >"$SMALL/filler"
else
	# no mount: files of the database may not grow past 1 MB
	LIMIT=1024
	t_diag "mount not permitted: a file-size limit of $LIMIT KiB"
fi

# an ARGS...: anfang on the test database (under the limit, if any)
an()
{
	(
		if [ -n "$LIMIT" ]; then
			ulimit -f "$LIMIT"
		fi
		exec "$ANFANG" --db "$db" --forms "$FORMS" "$@" \
		    --passphrase-fd 3 3<"$PASS"
	)
}

assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
: >"$T_TMP/saved"
status=0
for ((i = 0; i < 400; i++)); do
	t_run an record --form service-window --unit dongcheng-gov-centre \
	    --answers "$ANSWERS" --finalize
	if [ "$T_STATUS" -ne 0 ]; then
		status=$T_STATUS
		break
	fi
	printf '%s\n' "$T_OUT" >>"$T_TMP/saved"
done
saved=$(grep -c . "$T_TMP/saved")
t_diag "$saved visits saved before the disk was full"
assert_eq "the record that found no room: exit 74" 74 "$status"
assert_contains "... says there is no space" "No space left on device" \
    "$T_ERR"
assert_eq "... one line" 1 "$(printf '%s\n' "$T_ERR" | grep -c .)"
assert_eq "... prints no visit id" "" "$T_OUT"
assert_not_contains "... not 'malformed'" "malformed" "$T_ERR"
if [ "$saved" -lt 10 ]; then
	t_fail "some visits were saved first" "only $saved"
fi

assert_exit "full: list still works" 0 an list
assert_eq "... every visit reported saved" "$saved" \
    "$(printf '%s\n' "$T_OUT" | grep -c ' final ')"
# (list's closing checkpoint may have made room by emptying the WAL)
t_run an record --form service-window --unit dongcheng-gov-centre \
    --answers "$ANSWERS" --finalize
if [ "$T_STATUS" -eq 0 ] && [[ $T_OUT =~ ^[a-z0-9]{8,}$ ]]; then
	t_ok "full: another record: saved, its id printed"
	printf '%s\n' "$T_OUT" >>"$T_TMP/saved"
	saved=$((saved + 1))
elif [ "$T_STATUS" -eq 74 ] && [ -z "$T_OUT" ]; then
	assert_contains "full: another record: exit 74, no room" \
	    "No space left on device" "$T_ERR"
else
	t_fail "full: another record: saved or exit 74" \
	    "exit $T_STATUS, '$T_OUT', '$T_ERR'"
fi
assert_not_contains "... not 'malformed'" "malformed" "$T_ERR"

# room again
if [ -z "$LIMIT" ]; then
	rm -f "$SMALL/filler"
else
	LIMIT=
fi
assert_exit "room again: list" 0 an list
assert_eq "... every visit reported saved, no other" \
    "$(sort "$T_TMP/saved")" \
    "$(printf '%s\n' "$T_OUT" | awk '{ print $1 }' | sort)"
last=$(tail -n 1 "$T_TMP/saved")
assert_exit "... the last one shows" 0 an show "$last"
assert_contains "... whole, its trail intact" "intact" "$T_OUT"
assert_contains "... every answer" "answered 22 of 22" "$T_OUT"
assert_exit "... record works again" 0 an record --form service-window \
    --unit dongcheng-gov-centre --answers "$ANSWERS" --finalize
assert_exit "... and list" 0 an list
assert_eq "... one more" "$((saved + 1))" \
    "$(printf '%s\n' "$T_OUT" | grep -c .)"
t_done
