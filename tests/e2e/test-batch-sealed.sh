#!/usr/bin/env bash
# e2e: normal build only: sealing runs sanitized in unit/test-crypt-seal and fuzz-sealed
# export --seal: one BATCH.sealed file, for the supervisor whose box key
# (key show --box) it names; that supervisor verifies and imports it; a
# database with the inspector in its keyring but another box key cannot
# ("sealed for another recipient"), nor one without a box key, nor verify
# --key without a database; the file hides the batch; every single-byte
# change and every truncation of a small sealed file fails, and imports
# nothing; export --again writes the batch again, sealed or plain.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

FORMS=$T_TMP/forms
mkdir -p "$FORMS"
cat >"$FORMS/tiny.yaml" <<'EOF'
form: tiny
version: 1
title: Tiny
language: en
units:
  - {id: u1, name: Unit one 第一單位}
sections:
  - title: S
    questions:
      - id: ok
        type: yesno
        label: OK?
EOF
printf '{"ok": "no"}\n' >"$T_TMP/answers.json"
insp=$T_TMP/db/inspector.db
sup=$T_TMP/db/supervisor.db
other=$T_TMP/db/other.db
nobox=$T_TMP/db/nobox.db
KEY=$T_TMP/inspector.pub
O=$T_TMP/out

# sealed_batch DIR: record a visit, export it sealed to sup.box into DIR;
# SEALED is the file, SID the batch id, VID the visit
sealed_batch()
{
	mkdir -p "$1"
	assert_exit "record" 0 an "$insp" record --form tiny --unit u1 \
	    --answers "$T_TMP/answers.json" --finalize
	VID=$T_OUT
	assert_exit "export --seal" 0 an "$insp" export --seal "$T_TMP/sup.box" \
	    --out "$1"
	SEALED=$T_OUT
	SID=$(basename "$SEALED" .sealed)
	assert_eq "export --seal: one file, BATCH.sealed" "$1/$SID.sealed" \
	    "$SEALED"
	assert_eq "export --seal: nothing else in the directory" "$SID.sealed" \
	    "$(ls -A "$1")"
}

# all_fail NAME COUNT CMD... (files last): one process, COUNT lines, each
# FAILED, exit 65, nothing on stderr
all_fail()
{
	local name=$1 count=$2 failed
	shift 2
	t_run "$@"
	failed=$(grep -c ': FAILED (' "$T_OUTFILE")
	if [ "$T_STATUS" -eq 65 ] && [ "$failed" -eq "$count" ] &&
	    [ "$(grep -c '' "$T_OUTFILE")" -eq "$count" ] &&
	    [ -z "$T_ERR" ]; then
		t_ok "$name ($count)"
		return 0
	fi
	t_fail "$name" "exit $T_STATUS, $failed of $count lines FAILED"
	grep -v ': FAILED (' "$T_OUTFILE" | head -n 10 | _t_indent
	head -n 5 "$T_ERRFILE" | _t_indent
	return 1
}

# why: the reasons the last all_fail gave, counted
why()
{
	sed 's/^[^:]*: FAILED //; s/box key [0-9A-F]*/box key K/;
	    s|/[^ ]*/|.../|' "$T_OUTFILE" | sort | uniq -c | sort -rn |
	    tr -s ' ' | tr '\n' ';'
}

# count_visits DB: how many visits DB lists
count_visits()
{
	an "$1" list 2>/dev/null | grep -c .
}

for n in inspector supervisor other nobox; do
	bt_init "$n"
done
bt_key "$insp" "$KEY"
for db in "$sup" "$other" "$nobox"; do
	assert_exit "keyring add ($(basename "$db" .db))" 0 an "$db" keyring \
	    add "$KEY" --label inspector
done

# --- box keys
assert_exit "key show --box" 0 an "$sup" key show --box
printf '%s\n' "$T_OUT" >"$T_TMP/sup.box"
assert_eq "box key: two lines" 2 "$(grep -c '' "$T_TMP/sup.box")"
if [[ $(sed -n 1p "$T_TMP/sup.box") =~ ^untrusted\ comment:\ anfang\ box\ public\ key\ ([0-9A-F]{16})$ ]]
then
	t_ok "box key: its comment line names the key id"
	boxid=${BASH_REMATCH[1]}
else
	t_fail "box key: its comment line names the key id" \
	    "$(sed -n 1p "$T_TMP/sup.box")"
	boxid=
fi
assert_exit "key show --box again" 0 an "$sup" key show --box
assert_eq "key show --box is stable" "$(cat "$T_TMP/sup.box")" "$T_OUT"
assert_exit "key show --box (other)" 0 an "$other" key show --box
printf '%s\n' "$T_OUT" >"$T_TMP/other.box"
if cmp -s "$T_TMP/sup.box" "$T_TMP/other.box"; then
	t_fail "two databases, two box keys" "the same"
else
	t_ok "two databases, two box keys"
fi
assert_refused "export --seal with a signing key" 65 "not a box key" \
    an "$insp" export --seal "$KEY" --out "$T_TMP"
assert_refused "export --seal with no such file" 66 "none.box" \
    an "$insp" export --seal "$T_TMP/none.box" --out "$T_TMP"
assert_eq "a refused --seal exports nothing" 0 "$(an "$insp" list --status \
    exported 2>/dev/null | grep -c .)"

# --- the first sealed batch
sealed_batch "$O/one"
S1=$SEALED
id1=$SID
v1=$VID
assert_eq "the file starts with ANFSEAL1" ANFSEAL1 "$(head -c 8 "$S1")"
for secret in anfang-batch "$v1" "Unit one" "第一單位" "$id1" minisig \
    "trusted comment"; do
	if grep -aqF "$secret" "$S1"; then
		t_fail "the sealed file hides '$secret'" "found"
	else
		t_ok "the sealed file hides '$secret'"
	fi
done
assert_eq "the inspector's visit is exported" "$v1 exported" \
    "$(an "$insp" list 2>/dev/null | awk '{ print $1, $2 }')"
assert_refused "verify --key: sealed, no database to open it" 65 \
    "FAILED (sealed)" "$ANFANG" verify --key "$KEY" "$S1"
t_run minisign -Vm "$S1" -p "$KEY"
if [ "$T_STATUS" -ne 0 ]; then
	t_ok "minisign cannot check it either"
else
	t_fail "minisign cannot check it either" "exit 0"
fi
assert_refused "another database: sealed for another recipient" 65 \
    "FAILED (sealed): sealed for another recipient" an "$other" verify "$S1"
assert_contains "... naming the recipient's box key" "$boxid" "$T_OUT"
assert_refused "another database: import refused" 65 \
    "sealed for another recipient" an "$other" import "$S1"
assert_refused "a database without a box key" 65 \
    "FAILED (sealed)" an "$nobox" verify "$S1"
assert_contains "... says it has no box key" "no box key" "$T_OUT"
assert_eq "the others imported nothing" "0 0" \
    "$(count_visits "$other") $(count_visits "$nobox")"
assert_exit "the supervisor verifies it" 0 an "$sup" verify "$S1"
assert_eq "verify: one line" \
    "$S1: verified: batch $id1, signer \"inspector\" $(sed -n \
    's/.*key //p' "$KEY"), sequence 1, 1 visit" "$T_OUT"
assert_exit "the supervisor imports it" 0 an "$sup" import "$S1"
assert_contains "import: 1 visit" "imported 1 visit (batch $id1" "$T_OUT"
assert_eq "the supervisor has the visit, received" "$v1 received" \
    "$(an "$sup" list 2>/dev/null | awk '{ print $1, $2 }')"
assert_exit "show --json (supervisor)" 0 an "$sup" show "$v1" --json
assert_contains "the answer came through" '"ok": "no"' "$T_OUT"
assert_contains "the unit's name came through" "Unit one 第一單位" "$T_OUT"
assert_exit "import it again: exit 0" 0 an "$sup" import "$S1"
assert_contains "import it again: nothing changed" "nothing changed" "$T_OUT"

# --- export --again: sealed anew (other bytes, the same batch), or plain
mkdir -p "$O/again"
assert_exit "export --again --seal" 0 an "$insp" export --again "$id1" \
    --seal "$T_TMP/sup.box" --out "$O/again"
if cmp -s "$S1" "$O/again/$id1.sealed"; then
	t_fail "sealed again: other bytes (a new file key)" "the same"
else
	t_ok "sealed again: other bytes (a new file key)"
fi
assert_refused "sealed again: the same batch (duplicate)" 65 \
    "FAILED (duplicate): batch $id1 was received before" an "$sup" verify \
    "$O/again/$id1.sealed"
assert_exit "export --again, plain" 0 an "$insp" export --again "$id1" \
    --out "$O/again"
assert_exit "the plain copy verifies with --key" 0 "$ANFANG" verify \
    --key "$KEY" "$O/again/$id1.jsonl"
assert_exit "minisign accepts the plain copy" 0 minisign -Vm \
    "$O/again/$id1.jsonl" -p "$KEY"

# --- a second, small sealed batch: every changed byte, every truncation
sealed_batch "$O/two"
S2=$SEALED
size=$(wc -c <"$S2")
if [ "$size" -gt 4096 ]; then
	t_fail "the sealed batch is small" "$size bytes"
fi
t_diag "sealed batch: $size bytes"
mkdir -p "$T_TMP/flip" "$T_TMP/cut"
flip_each "$S2" "$T_TMP/flip/" .sealed
cut_each "$S2" "$T_TMP/cut/" .sealed
flips=()
cuts=()
for ((i = 0; i < size; i++)); do
	flips+=("$T_TMP/flip/$i.sealed")
	cuts+=("$T_TMP/cut/$i.sealed")
done
t_check "a flipped copy differs in one byte" \
    test "$(cmp -l "$S2" "$T_TMP/flip/100.sealed" | grep -c '')" = 1
all_fail "each changed byte: verify fails" "$size" an "$sup" verify \
    "${flips[@]}"
t_diag "why: $(why)"
all_fail "each changed byte: import refuses" "$size" an "$sup" import \
    "${flips[@]}"
all_fail "every truncation: verify fails" "$size" an "$sup" verify \
    "${cuts[@]}"
t_diag "why: $(why)"
all_fail "every truncation: import refuses" "$size" an "$sup" import \
    "${cuts[@]}"
assert_eq "the supervisor still has one visit" 1 "$(count_visits "$sup")"
for i in 0 8 20 100 $((size / 2)) $((size - 1)); do
	assert_refused "byte $i changed, alone" 65 "FAILED (" \
	    an "$sup" verify "$T_TMP/flip/$i.sealed"
done
for n in 0 7 16 120 $((size / 2)) $((size - 1)); do
	assert_refused "cut to $n bytes, alone" 65 "FAILED (" \
	    an "$sup" verify "$T_TMP/cut/$n.sealed"
done
assert_exit "the intact one still imports" 0 an "$sup" import "$S2"
assert_contains "... sequence 2" "sequence 2)" "$T_OUT"
assert_eq "the supervisor has both visits" 2 "$(count_visits "$sup")"

t_done
