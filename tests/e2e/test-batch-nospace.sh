#!/usr/bin/env bash
# e2e: normal build only: the store's full-disk paths run sanitized in unit/test-store-fault
# Export and import where the files cannot be written: a missing or
# unusable directory, and no room (a file-size limit, ulimit -f, stands in
# for a full disk: root passes permission checks, and mounting a small
# file system needs privileges CI may not have).  Each time: exit 74, one
# line naming what failed, nothing exported or imported, no temporary file
# left; then the same works with room.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

N=300
insp=$T_TMP/db/inspector.db
sup=$T_TMP/db/supervisor.db
OUT=$T_TMP/out
mkdir -p "$OUT"

# limited KIB ARGS...: anfang under a file-size limit of KIB KiB
limited()
{
	local kib=$1
	shift
	(
		ulimit -f "$kib"
		exec "$ANFANG" "$@" --passphrase-fd 3 3<"$PASS"
	)
}

# count DB STATUS: how many visits DB lists with STATUS
count()
{
	an "$1" list --status "$2" | grep -c " $2 "
}

bt_fill inspector "$N"
bt_init supervisor
db_kib=$(($(stat -c %s "$insp") / 1024))

# --- export: nowhere to write (a missing --out is made, not its parent)
assert_refused "export into a missing directory's child" 74 "$T_TMP/none" \
    an "$insp" export --out "$T_TMP/none/sub"
printf 'a file\n' >"$T_TMP/afile"
assert_refused "export into a file's path" 74 "$T_TMP/afile/sub" \
    an "$insp" export --out "$T_TMP/afile/sub"
assert_eq "nothing exported" "0 $N" \
    "$(count "$insp" exported) $(count "$insp" final)"

# --- export: no room for the batch file (its 2 MB over a 1 MB limit)
assert_refused "no room for the batch: exit 74" 74 "File too large" \
    limited 1024 --db "$insp" --forms "$FORMS" export --out "$OUT"
assert_eq "... nothing in the directory, no temporary file" "" \
    "$(ls -A "$OUT")"
assert_eq "... nothing exported" "0 $N" \
    "$(count "$insp" exported) $(count "$insp" final)"

# --- export: room for the files, not for the database to keep the batch
assert_refused "no room for the database: exit 74" 74 "database" \
    limited $((db_kib + 1024)) --db "$insp" --forms "$FORMS" export \
    --out "$OUT"
assert_eq "... the files written are taken back" "" "$(ls -A "$OUT")"
assert_eq "... nothing exported" "0 $N" \
    "$(count "$insp" exported) $(count "$insp" final)"

assert_exit "with room: export" 0 an "$insp" export --out "$OUT"
B=$(sed -n '/\.jsonl$/p' <<<"$T_OUT")
assert_eq "with room: all of them exported" "$N 0" \
    "$(count "$insp" exported) $(count "$insp" final)"

# --- import: no room for the visits
bt_key "$insp" "$T_TMP/inspector.pub"
assert_exit "keyring add" 0 an "$sup" keyring add "$T_TMP/inspector.pub" \
    --label inspector
sup_kib=$(($(stat -c %s "$sup") / 1024))
assert_refused "no room to import: exit 74" 74 "database" \
    limited $((sup_kib + 512)) --db "$sup" --forms "$FORMS" import "$B"
assert_eq "... nothing imported" "0" "$(count "$sup" received)"
assert_eq "... no journal left" "-" "$(ls "$sup-journal" 2>/dev/null || echo -)"
assert_exit "... the batch still verifies (not received)" 0 \
    an "$sup" verify "$B"
assert_exit "with room: import" 0 an "$sup" import "$B"
assert_eq "with room: all of them imported" "$N" "$(count "$sup" received)"

t_done
