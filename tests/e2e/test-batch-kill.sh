#!/usr/bin/env bash
# e2e: normal build only: what a kill leaves is the files' doing
# An export killed while it writes leaves nothing behind and changes
# nothing.  An import killed halfway imports nothing: a big import writes through a
# rollback journal (not WAL), and the next open rolls the journal back.  A
# wrong passphrase leaves that journal alone.  The same batch then imports
# whole, once.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

N=2000
insp=$T_TMP/db/inspector.db
sup=$T_TMP/db/supervisor.db
OUT=$T_TMP/out
mkdir -p "$OUT"

# state FILE...: size and checksum of each file ("-" when absent)
state()
{
	local f
	for f in "$@"; do
		if [ -e "$f" ]; then
			printf '%s %s\n' "$(stat -c %s "$f")" \
			    "$(sha256sum <"$f" | cut -d ' ' -f 1)"
		else
			printf -- '-\n'
		fi
	done
}

# Filling 2000 visits with the sanitizer build on a loaded machine takes
# longer than t_run's default minute; the limit only guards against a hang.
T_CMD_TIMEOUT=300 bt_fill inspector "$N"
bt_init supervisor

# --- an export killed while it writes the batch file
# Export streams the batch out of the store into the file; killed then,
# it leaves no file (not even a temporary one), no batch and no visit
# marked exported.  The kill comes at its first write into the folder,
# every time: the kill-on-write shim raises SIGKILL there.
SHIM=$ANFANG_TOOLS/kill-on-write.so
[ -e "$SHIM" ] || t_fail "the kill-on-write shim" "not found: $SHIM"
ANFANG_KILL_DIR=$OUT LD_PRELOAD=$SHIM \
    ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} \
    "$ANFANG" --db "$insp" export --out "$OUT" --passphrase-fd 3 \
    3<"$PASS" >/dev/null 2>&1
st=$?
assert_eq "export killed at its first write into the folder" 137 "$st"
assert_eq "killed export: nothing in the folder, not even a temporary file" \
    "" "$(ls -A "$OUT")"
assert_exit "killed export: the database opens" 0 an "$insp" list \
    --status exported
assert_eq "killed export: no visit marked exported" "" "$T_OUT"
assert_exit "killed export: list the finalized" 0 an "$insp" list \
    --status final
assert_eq "killed export: all $N still finalized" "$N" \
    "$(grep -c ' final ' <<<"$T_OUT")"
assert_eq "killed export: no batch recorded" 0 \
    "$("$ANFANG_TOOLS/db-sql" "$insp" "SELECT count(*) FROM batches" <"$PASS")"

# --- an export killed as it names its files (on a copy of the database)
# The files are whole on the disk before the commit, and take their names
# only after it: killed between, the database says the visits went out
# and no batch file is in the folder; export --again writes that batch.
# (Named before the commit, a kill left a signed batch the database knew
# nothing of, and the next export sent the visits again under the same
# sequence number.)
copy=$T_TMP/db/copy.db
cp "$insp" "$copy"
[ -e "$insp-wal" ] && cp "$insp-wal" "$copy-wal"
OUT2=$T_TMP/out2
mkdir -p "$OUT2"
ANFANG_KILL_NAME_DIR=$OUT2 LD_PRELOAD=$SHIM \
    ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} \
    "$ANFANG" --db "$copy" export --out "$OUT2" --passphrase-fd 3 \
    3<"$PASS" >/dev/null 2>&1
st=$?
assert_eq "export killed as it names its files" 137 "$st"
assert_eq "killed naming: nothing in the folder" "" "$(ls -A "$OUT2")"
assert_eq "killed naming: the batch is recorded" 1 \
    "$("$ANFANG_TOOLS/db-sql" "$copy" "SELECT count(*) FROM batches" <"$PASS")"
assert_exit "killed naming: list the exported" 0 an "$copy" list \
    --status exported
assert_eq "killed naming: all $N exported" "$N" \
    "$(grep -c ' exported ' <<<"$T_OUT")"
id=$("$ANFANG_TOOLS/db-sql" "$copy" "SELECT id FROM batches" <"$PASS")
assert_exit "killed naming: export --again writes it" 0 an "$copy" export \
    --again "$id" --out "$OUT2"
bt_key "$copy" "$T_TMP/copy.pub"
assert_exit "killed naming: the batch written again verifies" 0 \
    "$ANFANG" verify --key "$T_TMP/copy.pub" "$OUT2/$id.jsonl"
assert_contains "killed naming: ... with all $N visits" "$N visits" "$T_OUT"

assert_exit "export them" 0 an "$insp" export --out "$OUT"
B=$(sed -n '/\.jsonl$/p' <<<"$T_OUT")
bt_key "$insp" "$T_TMP/inspector.pub"
assert_exit "keyring add" 0 an "$sup" keyring add "$T_TMP/inspector.pub" \
    --label inspector
empty=$(state "$sup")

# --- killed while its commit writes the file
# The commit's window is short, so a kill can land before it or after it
# (while the journal mode goes back to WAL): those runs import all or
# nothing too, and the kill is tried again, up to 8 times.
cp "$sup" "$T_TMP/pristine.db"
torn=0
for attempt in 1 2 3 4 5 6 7 8; do
	cp "$T_TMP/pristine.db" "$sup"
	rm -f "$sup-journal" "$sup-wal" "$sup-shm"
	# Not through an(): $! must be anfang itself, not a subshell.
	"$ANFANG" --db "$sup" import "$B" --passphrase-fd 3 3<"$PASS" \
	    >/dev/null 2>&1 &
	imp=$!
	for _ in $(seq 1 3000); do
		[ -s "$sup-journal" ] &&
		    [ "$(stat -c %s "$sup")" -gt $((${empty%% *} + 1048576)) ] &&
		    break
		kill -0 "$imp" 2>/dev/null || break
		sleep 0.005
	done
	kill -KILL "$imp" 2>/dev/null
	wait "$imp" 2>/dev/null
	st=$?
	if [ "$st" != 137 ] || [ ! -e "$sup-journal" ]; then
		t_diag "attempt $attempt: the kill came too late (exit $st)"
		continue
	fi
	# The batch's text, in the half-written file or its journal, would
	# be a visit on disk unencrypted.
	assert_eq "attempt $attempt: no visit text in the file or journal" "" \
	    "$(grep -a -l -F -e '說下週再來' -e 'dongcheng' "$sup" \
	        "$sup-journal")"
	before=$(state "$sup" "$sup-journal")
	assert_exit "attempt $attempt: a wrong passphrase: exit 77" 77 \
	    "$ANFANG" list --db "$sup" --passphrase-fd 3 3<<<'wrong pass'
	assert_eq "attempt $attempt: ... database and journal unchanged" \
	    "$before" "$(state "$sup" "$sup-journal")"
	assert_exit "attempt $attempt: the right passphrase opens it" 0 \
	    an "$sup" list
	n=$(grep -c ' received ' <<<"$T_OUT")
	assert_eq "attempt $attempt: the journal is played back and gone" \
	    "-" "$(state "$sup-journal")"
	if [ "$n" = 0 ]; then
		torn=$attempt
		break
	fi
	assert_eq "attempt $attempt: killed after its commit: all of them" \
	    "$N" "$n"
done
if [ "$torn" = 0 ]; then
	t_fail "a kill during the commit" "8 attempts, none landed there"
else
	t_ok "attempt $torn: killed during the commit, nothing imported"
fi
assert_exit "the batch verifies: not received before" 0 an "$sup" verify "$B"

# --- then whole, once
assert_exit "import again: exit 0" 0 an "$sup" import "$B"
assert_contains "import again: all of them" "imported $N visits" "$T_OUT"
assert_exit "list" 0 an "$sup" list --status received
assert_eq "$N received" "$N" "$(grep -c ' received ' <<<"$T_OUT")"
v=$(head -n 1 <<<"$T_OUT" | cut -d ' ' -f 1)
assert_exit "show one" 0 an "$sup" show "$v"
assert_contains "its trail intact" "audit trail: intact" "$T_OUT"
assert_exit "back in WAL mode: a reader beside a writer" 0 an "$sup" list \
    --limit 1
assert_eq "no journal left" "-" "$(state "$sup-journal")"
assert_exit "a third import: exit 0" 0 an "$sup" import "$B"
assert_contains "... and changes nothing" "imported before: nothing changed" \
    "$T_OUT"

t_done
