#!/usr/bin/env bash
# e2e: normal build only: passphrase reading runs sanitized in unit/test-passphrase and test-cli-tty
# A wrong passphrase is a one-line message and exit 77, nothing else: the
# database (and a -wal left by a killed process) stays byte for byte the
# same, for every command that opens it, and the right passphrase still
# works.  A file that is not an anfang database is exit 65 and left alone;
# a missing one is exit 66 with a hint to run anfang init.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${ANFANG_TOOLS:=$(dirname "$ANFANG")/tools}"
ANFANG_TOOLS=$(cd "$ANFANG_TOOLS" 2>/dev/null && pwd -P) || ANFANG_TOOLS=
FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
PASS=$T_TMP/pass
WRONG=$T_TMP/wrong
printf 'the right one\n' >"$PASS"
printf 'the wrong one\n' >"$WRONG"
D=$T_TMP/db
mkdir -p "$D"
db=$D/anfang.db

# state FILE...: a line per file: name and sha256, or name "absent"
state()
{
	local f
	for f in "$@"; do
		if [ -e "$f" ]; then
			printf '%s %s\n' "${f##*/}" "$(sha256sum <"$f" |
			    cut -d ' ' -f 1)"
		else
			printf '%s absent\n' "${f##*/}"
		fi
	done
}

# dir_state DIR: every file in DIR with its hash
dir_state()
{
	local f
	for f in "$1"/* "$1"/.[!.]*; do
		[ -e "$f" ] && state "$f"
	done
	return 0
}

# assert_wrong NAME CMD...: CMD with the wrong passphrase exits 77 with one
# line on stderr and nothing on stdout, and changes nothing in $D.
assert_wrong()
{
	local name=$1 before
	shift
	before=$(dir_state "$D")
	assert_exit "$name: exit 77" 77 "$@" --passphrase-fd 3 \
	    3<"${WRONGF:-$WRONG}"
	assert_eq "$name: one line, wrong passphrase" \
	    "anfang: wrong passphrase" "$T_ERR"
	assert_eq "$name: nothing on stdout" "" "$T_OUT"
	assert_eq "$name: every file in the directory unchanged" "$before" \
	    "$(dir_state "$D")"
}

assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
assert_exit "record a visit" 0 "$ANFANG" record --db "$db" --forms "$FORMS" \
    --form service-window --unit dongcheng-gov-centre --answers "$ANSWERS" \
    --finalize --passphrase-fd 3 3<"$PASS"
visit=$T_OUT
assert_exit "list" 0 "$ANFANG" list --db "$db" --passphrase-fd 3 3<"$PASS"
list=$T_OUT

# --- every command that opens the database
assert_wrong "list" "$ANFANG" list --db "$db"
assert_wrong "show" "$ANFANG" show "$visit" --db "$db"
assert_wrong "key show" "$ANFANG" key show --db "$db"
assert_wrong "record" "$ANFANG" record --db "$db" --forms "$FORMS" \
    --form service-window --unit dongcheng-gov-centre --answers "$ANSWERS"
assert_wrong "amend" "$ANFANG" amend "$visit" attitude 4 --reason x \
    --db "$db"
assert_wrong "backup" "$ANFANG" backup "$D/backup.db" --db "$db"
printf 'the wrong one\nnew pass\nnew pass\n' >"$T_TMP/wrong-passwd"
before=$(dir_state "$D")
assert_exit "passwd with a wrong current passphrase: exit 77" 77 \
    "$ANFANG" passwd --db "$db" --passphrase-fd 3 3<"$T_TMP/wrong-passwd"
assert_eq "passwd: one line" "anfang: wrong passphrase" "$T_ERR"
assert_eq "passwd: every file unchanged" "$before" "$(dir_state "$D")"
# a passphrase that differs only by a trailing space is wrong too
printf 'the right one \n' >"$T_TMP/space"
WRONGF=$T_TMP/space assert_wrong "trailing space" "$ANFANG" list --db "$db"
assert_exit "right passphrase still works" 0 \
    "$ANFANG" list --db "$db" --passphrase-fd 3 3<"$PASS"
assert_eq "right passphrase: same visits" "$list" "$T_OUT"
assert_exit "new passphrase from the failed passwd does not open it" 77 \
    "$ANFANG" list --db "$db" --passphrase-fd 3 3<<<'new pass'

# --- a hot -wal left by a killed writer
if [ -x "$ANFANG_TOOLS/db-fill" ]; then
	"$ANFANG_TOOLS/db-fill" "$db" "$FORMS" service-window "$ANSWERS" \
	    5000 <"$PASS" >/dev/null 2>&1 &
	fill=$!
	for _ in $(seq 1 600); do
		size=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
		[ "$size" -gt 300000 ] && break
		kill -0 "$fill" 2>/dev/null || break
		sleep 0.02
	done
	kill -KILL "$fill" 2>/dev/null
	wait "$fill" 2>/dev/null
	if [ -s "$db-wal" ]; then
		t_ok "a killed writer left a -wal ($(stat -c %s "$db-wal") bytes)"
	else
		t_fail "a killed writer left a -wal" "none"
	fi
	before=$(state "$db" "$db-wal")
	assert_exit "hot wal: wrong passphrase exit 77" 77 \
	    "$ANFANG" list --db "$db" --passphrase-fd 3 3<"$WRONG"
	assert_eq "hot wal: database and -wal unchanged" "$before" \
	    "$(state "$db" "$db-wal")"
	assert_exit "hot wal: right passphrase opens it" 0 \
	    "$ANFANG" list --db "$db" --passphrase-fd 3 3<"$PASS"
	assert_contains "hot wal: the first visit is still there" "$visit" \
	    "$T_OUT"
else
	t_fail "db-fill tool" "not found in '$ANFANG_TOOLS'"
fi

# --- files that are not anfang databases: 65, unchanged, nothing beside
N=$T_TMP/notdb
mkdir -p "$N"
LC_ALL=C awk 'BEGIN { x = 3; for (i = 0; i < 9000; i++) {
    x = (x * 75 + 74) % 65537; printf "%c", x % 256 } }' |
    head -c 8192 >"$N/random.db"
: >"$N/empty.db"
printf 'not a database at all\n' >"$N/text.db"
if command -v sqlcipher >/dev/null 2>&1; then
	sqlcipher "$N/plain.db" \
	    'CREATE TABLE t(x); INSERT INTO t VALUES (1);' >/dev/null
	assert_eq "the plain SQLite file is one" "SQLite format 3" \
	    "$(head -c 15 "$N/plain.db")"
else
	t_fail "plain SQLite file" \
	    "no sqlcipher command (packaging/deps.sh installs it)"
fi
for f in "$N"/*.db; do
	k=$(basename "$f" .db)
	before=$(dir_state "$N")
	assert_exit "$k file: exit 65" 65 \
	    "$ANFANG" list --db "$f" --passphrase-fd 3 3<"$PASS"
	assert_eq "$k file: one line, not an anfang database" \
	    "anfang: $f: not an anfang database" "$T_ERR"
	assert_exit "$k file, key show: exit 65" 65 \
	    "$ANFANG" key show --db "$f" --passphrase-fd 3 3<"$PASS"
	assert_exit "$k file, passwd: exit 65" 65 \
	    "$ANFANG" passwd --db "$f" --passphrase-fd 3 3<<<'a
b'
	assert_eq "$k file: unchanged, nothing created beside it" "$before" \
	    "$(dir_state "$N")"
done
assert_exit "a directory: exit 65" 65 \
    "$ANFANG" list --db "$N" --passphrase-fd 3 3<"$PASS"

# --- no database
assert_exit "missing --db: exit 66" 66 \
    "$ANFANG" list --db "$T_TMP/none/x.db" --passphrase-fd 3 3<"$PASS"
assert_eq "missing --db: one line" 1 \
    "$(printf '%s\n' "$T_ERR" | grep -c .)"
assert_contains "missing --db: suggests anfang init" "anfang init" "$T_ERR"
assert_contains "missing --db: names the path" "$T_TMP/none/x.db" "$T_ERR"
assert_exit "missing default database: exit 66" 66 \
    "$ANFANG" list --passphrase-fd 3 3<"$PASS"
assert_contains "missing default database: suggests anfang init" \
    "anfang init" "$T_ERR"
assert_exit "missing database, show: exit 66" 66 \
    "$ANFANG" show abc --db "$T_TMP/none/x.db" --passphrase-fd 3 3<"$PASS"
if [ -e "$T_TMP/none" ] || [ -e "$XDG_DATA_HOME/anfang" ]; then
	t_fail "a missing database creates nothing" "$(ls -d "$T_TMP/none" \
	    "$XDG_DATA_HOME/anfang" 2>/dev/null)"
else
	t_ok "a missing database creates nothing"
fi

t_done
