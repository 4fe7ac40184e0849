#!/usr/bin/env bash
# e2e: normal build only: what it checks is the calls made to the file system
# Every file the program publishes under a new name (init, backup, passwd,
# export, report --out) has that name written out too: after the rename or
# link that gives the name, an fsync of the directory that holds it.
# Without it a power cut can leave the old file, or no file, where the
# program said it wrote one.  The log-sync shim records the calls.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
PASS=$T_TMP/pass
printf 'durable test pass\n' >"$PASS"
SHIM=$ANFANG_TOOLS/log-sync.so
[ -e "$SHIM" ] || t_fail "the log-sync shim" "not found: $SHIM"
LOG=$T_TMP/sync.log
mkdir -p "$T_TMP/data" "$T_TMP/backups" "$T_TMP/out" "$T_TMP/reports"
db=$T_TMP/data/a.db

# logged ARGS...: anfang under the shim, with the passphrase; a fresh log
logged()
{
	rm -f "$LOG"
	ANFANG_SYNC_LOG=$LOG LD_PRELOAD=$SHIM \
	    ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} \
	    "$ANFANG" --forms "$FORMS" "$@"
}

# published DEST: "yes" when the log gives DEST its name (rename or link)
# and then syncs DEST's directory; else what it did
published()
{
	local dest dir
	dest=$(realpath -m "$1")
	dir=${dest%/*}
	[ -f "$LOG" ] || {
		printf 'no log\n'
		return
	}
	awk -v dest="$dest" -v dir="$dir" '
		($1 == "rename" || $1 == "link") && $3 == dest { named = NR }
		named && NR > named && $1 == "sync" && $2 == dir { synced = 1 }
		END {
			if (!named) print "never named"
			else if (!synced) print "named, directory not synced"
			else print "yes"
		}' "$LOG"
}

assert_exit "init" 0 logged init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
assert_eq "init: the new database's name is synced" yes "$(published "$db")"

assert_exit "record a final visit" 0 "$ANFANG" --forms "$FORMS" record \
    --db "$db" --form service-window --unit city-tax-01 \
    --answers "$ANSWERS" --finalize --passphrase-fd 3 3<"$PASS"

copy=$T_TMP/backups/copy.db
assert_exit "backup" 0 logged backup "$copy" --db "$db" \
    --passphrase-fd 3 3<"$PASS"
assert_eq "backup: the copy's name is synced" yes "$(published "$copy")"

printf 'durable test pass\ndurable test pass 2\ndurable test pass 2\n' \
    >"$T_TMP/passwd"
assert_exit "passwd" 0 logged passwd --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$T_TMP/passwd"
assert_eq "passwd: the re-encrypted file's name is synced" yes \
    "$(published "$db")"
printf 'durable test pass 2\n' >"$PASS"

assert_exit "export" 0 logged export --db "$db" --out "$T_TMP/out" \
    --passphrase-fd 3 3<"$PASS"
batch=$(find "$T_TMP/out" -name '*.jsonl')
assert_eq "export: one batch" 1 "$(grep -c . <<<"$batch")"
assert_eq "export: the batch's name is synced" yes "$(published "$batch")"
assert_eq "export: its signature's name is synced" yes \
    "$(published "$batch.minisig")"

for fmt in text csv html; do
	out=$T_TMP/reports/r.$fmt
	assert_exit "report --format $fmt --out" 0 logged report \
	    --format "$fmt" --out "$out" --db "$db" \
	    --passphrase-fd 3 3<"$PASS"
	assert_eq "report --format $fmt: the file's name is synced" yes \
	    "$(published "$out")"
done

t_done
