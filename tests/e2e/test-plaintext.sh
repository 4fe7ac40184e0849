#!/usr/bin/env bash
# e2e: normal build only: what reaches the disk is the files' doing
# Nothing about a visit touches disk unencrypted: after visits with
# distinctive ASCII and Chinese text (answers, division, person, a soft
# check's reason, an amendment's reason), no file under the test's
# directory -- database, -wal, -shm, -journal, temporary files, a hot -wal
# left by a killed writer, a backup, a passwd's new file -- holds that text;
# and the text is really stored (show decrypts it, the backup opens with the
# same passphrase).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${ANFANG_TOOLS:=$(dirname "$ANFANG")/tools}"
ANFANG_TOOLS=$(cd "$ANFANG_TOOLS" 2>/dev/null && pwd -P) || ANFANG_TOOLS=
FORMS=$T_ROOT/forms
ASCII=ZQX-7731-canary
HAN=秘密樣本甲乙丙
PASS=$T_TMP/pass
printf 'plaintext test pass\n' >"$PASS"
# SQLite puts its temporary files in TMPDIR: keep them where we look.
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
# The test's own inputs hold the canaries: outside what is scanned.
IN=$T_TMP/inputs
mkdir -p "$IN"
db=$XDG_DATA_HOME/anfang/anfang.db

sed -e "s/\"notes\": \"[^\"]*\"/\"notes\": \"$ASCII $HAN\"/" \
    -e "s/說下週再來，沒有理由/$HAN $ASCII/" \
    "$T_ROOT/tests/bench/answers-zh.json" >"$IN/canary.json"
sed 's/"wait": 900/"wait": 2000/' "$IN/canary.json" >"$IN/canary-slow.json"

# scan NAME: no file under T_TMP but the inputs and the harness's captures
# of stdout and stderr holds either canary.
scan()
{
	local hits
	hits=$(find "$T_TMP" -type f ! -path "$IN/*" ! -path "$T_OUTFILE" \
	    ! -path "$T_ERRFILE" -print0 |
	    xargs -0 grep -a -l -F -e "$ASCII" -e "$HAN" 2>/dev/null)
	assert_eq "$1: no file holds the canaries" "" "$hits"
}

# --- the scan can fail: it finds the canaries in the inputs
assert_eq "control: both canaries found in the answers file" \
    "$IN/canary.json" \
    "$(grep -a -l -F -e "$ASCII" "$IN/canary.json" |
    xargs grep -a -l -F -e "$HAN")"

assert_exit "init (default path)" 0 \
    "$ANFANG" init --kdf interactive --passphrase-fd 3 3<"$PASS"
assert_exit "record a draft with canaries" 0 "$ANFANG" record \
    --forms "$FORMS" --form service-window --unit dongcheng-gov-centre \
    --division "$HAN 科" --person "$ASCII-9" \
    --answers "$IN/canary.json" --passphrase-fd 3 3<"$PASS"
v1=$T_OUT
assert_exit "record a final visit with a canary reason" 0 "$ANFANG" record \
    --forms "$FORMS" --form service-window --unit dongcheng-gov-centre \
    --answers "$IN/canary-slow.json" --reason "wait=$HAN $ASCII" \
    --finalize --passphrase-fd 3 3<"$PASS"
v2=$T_OUT
assert_exit "amend with a canary reason" 0 "$ANFANG" amend "$v2" notes \
    "\"$ASCII amended $HAN\"" --reason "$ASCII $HAN" \
    --passphrase-fd 3 3<"$PASS"

scan "after record and amend"

# --- a hot -wal: a writer killed in the middle of a transaction
if [ -x "$ANFANG_TOOLS/db-fill" ]; then
	"$ANFANG_TOOLS/db-fill" "$db" "$FORMS" service-window \
	    "$IN/canary.json" 3000 <"$PASS" >/dev/null 2>&1 &
	fill=$!
	for _ in $(seq 1 600); do
		size=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
		[ "$size" -gt 500000 ] && break
		kill -0 "$fill" 2>/dev/null || break
		sleep 0.02
	done
	kill -KILL "$fill" 2>/dev/null
	wait "$fill" 2>/dev/null
	size=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
	if [ "$size" -gt 500000 ]; then
		t_ok "a killed writer left a big -wal ($size bytes)"
	else
		t_fail "a killed writer left a big -wal" "$size bytes"
	fi
	scan "with a hot -wal and -shm"
else
	t_fail "db-fill tool" "not found in '$ANFANG_TOOLS'"
fi
assert_eq "the files scanned include the database and its -wal" \
    "anfang.db anfang.db-shm anfang.db-wal" \
    "$(find "$XDG_DATA_HOME/anfang" -type f -printf '%f\n' | sort |
    tr '\n' ' ' | sed 's/ $//')"

# --- a backup
mkdir -p "$T_TMP/backup"
assert_exit "backup" 0 "$ANFANG" backup "$T_TMP/backup/copy.db" \
    --passphrase-fd 3 3<"$PASS"
scan "after backup"
assert_exit "the backup opens with the same passphrase" 0 \
    "$ANFANG" list --db "$T_TMP/backup/copy.db" --passphrase-fd 3 3<"$PASS"
assert_contains "the backup lists the first visit" "$v1" "$T_OUT"

# --- a passphrase change writes a whole new file
printf 'plaintext test pass\nanother pass\nanother pass\n' \
    >"$T_TMP/passwd-in"
assert_exit "passwd" 0 "$ANFANG" passwd --passphrase-fd 3 3<"$T_TMP/passwd-in"
scan "after passwd"

# --- the canaries are really there (so the scans meant something)
printf 'another pass\n' >"$PASS"
assert_exit "show the first visit" 0 "$ANFANG" show "$v1" \
    --passphrase-fd 3 3<"$PASS"
assert_contains "stored: ASCII canary in notes" "$ASCII $HAN" "$T_OUT"
assert_contains "stored: Chinese canary in the detail" "$HAN $ASCII" "$T_OUT"
assert_contains "stored: division" "$HAN 科" "$T_OUT"
assert_contains "stored: person" "$ASCII-9" "$T_OUT"
assert_exit "show the final visit" 0 "$ANFANG" show "$v2" \
    --passphrase-fd 3 3<"$PASS"
assert_contains "stored: the soft check's reason" "reason: $HAN $ASCII" \
    "$T_OUT"
assert_contains "stored: the amendment's reason" "because: $ASCII $HAN" \
    "$T_OUT"
printf 'plaintext test pass\n' >"$PASS"
assert_exit "show from the backup" 0 "$ANFANG" show "$v1" \
    --db "$T_TMP/backup/copy.db" --passphrase-fd 3 3<"$PASS"
assert_contains "the backup holds the canary" "$ASCII $HAN" "$T_OUT"

t_done
