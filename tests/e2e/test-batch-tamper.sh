#!/usr/bin/env bash
# e2e: normal build only: hostile batches meet the sanitizer in fuzz-batch, fuzz-minisig and fuzz-sealed
# Changed, cut, mixed, swapped, replayed and missing batches are refused,
# each with one clear line and an exit status below 128, and import adds
# nothing from them: every single-byte change of a one-visit batch's .jsonl
# and of its .minisig after the untrusted comment line (which may change
# freely but for its prefix, as with minisign), truncations, swapped and
# extra lines, an empty file, a 50 MB line, a file over the size limit, a
# missing or another batch's signature, another batch's trusted comment, a
# signer not in the keyring (77), a batch imported before (nothing
# changed; verify says duplicate), a sequence gap (naming the missing
# batch), and a batch made from a copy of the inspector's database that
# reuses an old sequence number (replay).  A trusted signer's batch with
# one bad visit (a broken audit trail, an answer to no question) is
# imported not at all.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

# A one-question form keeps the batch small (about 1.6 KB) so that every
# byte can be changed.
FORMS=$T_TMP/forms
mkdir -p "$FORMS"
cat >"$FORMS/tiny.yaml" <<'EOF'
form: tiny
version: 1
title: Tiny
language: en
units:
  - {id: u1, name: Unit one}
sections:
  - title: S
    questions:
      - id: ok
        type: yesno
        label: OK?
EOF
printf '{"ok": "yes"}\n' >"$T_TMP/answers.json"
insp=$T_TMP/db/inspector.db
sup=$T_TMP/db/supervisor.db
stranger=$T_TMP/db/stranger.db
fork=$T_TMP/db/fork.db
KEY=$T_TMP/inspector.pub
O=$T_TMP/out

# visit DB: record one finalized visit
visit()
{
	assert_exit "record ($(basename "$1" .db))" 0 an "$1" record \
	    --form tiny --unit u1 --answers "$T_TMP/answers.json" --finalize
}

# batch DB DIR: export into DIR (made); BATCH is the id, BJ the .jsonl
batch()
{
	mkdir -p "$2"
	assert_exit "export ($(basename "$1" .db) into ${2##*/})" 0 an "$1" \
	    export --out "$2"
	BATCH=$(printf '%s\n' "$T_OUT" | sed -n 's|^.*/\([a-z0-9]*\)\.jsonl$|\1|p')
	BJ=$2/$BATCH.jsonl
	if [ ! -f "$BJ" ] || [ ! -f "$BJ.minisig" ]; then
		t_fail "export ($(basename "$1" .db)): the files" "'$T_OUT'"
	fi
}

# all_fail NAME COUNT CMD... (CMD takes the files last): one process, COUNT
# lines, each one FAILED, exit 65.
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

# supervisor_has N: the supervisor's list has N visits
supervisor_has()
{
	assert_exit "list (supervisor)" 0 an "$sup" list
	assert_eq "${1#* }: the supervisor has ${1%% *} visits" "${1%% *}" \
	    "$(printf '%s' "$T_OUT" | grep -c .)"
}

for n in inspector supervisor stranger; do
	bt_init "$n"
done
bt_key "$insp" "$KEY"
bt_key "$stranger" "$T_TMP/stranger.pub"
assert_exit "keyring add" 0 an "$sup" keyring add "$KEY" --label inspector

visit "$insp"
batch "$insp" "$O/b1"
B1=$BJ
id1=$BATCH
cp "$insp" "$fork"
for n in 1 2; do
	visit "$insp"
done
batch "$insp" "$O/b2"
B2=$BJ
id2=$BATCH
visit "$insp"
batch "$insp" "$O/b3"
B3=$BJ
visit "$fork"
batch "$fork" "$O/fork"
F2=$BJ
visit "$stranger"
batch "$stranger" "$O/stranger"
S1=$BJ

assert_eq "batch 2 has two visit lines" 4 "$(grep -c '' "$B2")"
assert_exit "all three verify with --key" 0 "$ANFANG" verify --key "$KEY" \
    "$B1" "$B2" "$B3"
assert_contains "the fork's batch reuses sequence 2" "sequence 2 visits 1" \
    "$(sed -n 3p "$F2.minisig")"
size=$(wc -c <"$B1")
if [ "$size" -gt 4096 ] || [ "$size" -lt 500 ]; then
	t_fail "batch 1 is small" "$size bytes"
fi
# the files' bytes exactly (text, no NUL), for writing copies without a fork
IFS= read -r -d '' text1 <"$B1"
IFS= read -r -d '' sig1 <"$B1.minisig"

# --- every byte of the .jsonl
mkdir -p "$T_TMP/fj"
flip_each "$B1" "$T_TMP/fj/" .jsonl
for ((i = 0; i < size; i++)); do
	printf '%s' "$sig1" >"$T_TMP/fj/$i.jsonl.minisig"
done
files=()
for ((i = 0; i < size; i++)); do
	files+=("$T_TMP/fj/$i.jsonl")
done
t_check "flipped copies differ from batch 1 in one byte" \
    test "$(cmp -l "$B1" "$T_TMP/fj/$((size / 2)).jsonl" | grep -c '')" = 1
all_fail "each changed byte of the .jsonl: verify --key fails" "$size" \
    "$ANFANG" verify --key "$KEY" "${files[@]}"
all_fail "each changed byte of the .jsonl: import refuses" "$size" \
    an "$sup" import "${files[@]}"
supervisor_has "0 after importing every changed .jsonl"
# a few, one process each: exit status and a single line
seqat=$(grep -bo '"sequence":1' "$B1" | cut -d : -f 1)
sigat=$(grep -bo '"signer":"' "$B1" | cut -d : -f 1)
for i in 0 1 $((seqat + 11)) $((sigat + 10)) $((size / 3)) $((size / 2)) \
    $((size - 3)) $((size - 2)) $((size - 1)); do
	assert_refused "byte $i changed: verify --key" 65 "FAILED (signature)" \
	    "$ANFANG" verify --key "$KEY" "$T_TMP/fj/$i.jsonl"
done
for i in $((seqat + 11)) $((size / 2)) $((size - 1)); do
	assert_refused "byte $i changed: import" 65 "FAILED (signature)" \
	    an "$sup" import "$T_TMP/fj/$i.jsonl"
done

# --- every byte of the .minisig after the untrusted comment line
ssize=$(wc -c <"$B1.minisig")
l1=$(($(head -n 1 "$B1.minisig" | wc -c)))
mkdir -p "$T_TMP/fs"
flip_each "$B1.minisig" "$T_TMP/fs/" .jsonl.minisig
files=()
for ((i = 0; i < ssize; i++)); do
	printf '%s' "$text1" >"$T_TMP/fs/$i.jsonl"
	[ "$i" -ge $((l1 - 1)) ] && files+=("$T_TMP/fs/$i.jsonl")
done
all_fail "each changed byte of the .minisig after line 1: verify --key" \
    "${#files[@]}" "$ANFANG" verify --key "$KEY" "${files[@]}"
all_fail "each changed byte of the .minisig after line 1: import" \
    "${#files[@]}" an "$sup" import "${files[@]}"
supervisor_has "0 after importing every changed .minisig"
for i in $((l1 + 2)) $((l1 + 50)) $((ssize - 2)) $((ssize - 1)); do
	assert_refused "signature byte $i changed: verify --key" fail "FAILED (" \
	    "$ANFANG" verify --key "$KEY" "$T_TMP/fs/$i.jsonl"
done
# the untrusted comment's text is not signed
files=()
for ((i = 19; i < l1 - 1; i++)); do
	files+=("$T_TMP/fs/$i.jsonl")
done
assert_exit "a changed untrusted comment text still verifies" 0 \
    "$ANFANG" verify --key "$KEY" "${files[@]}"
assert_eq "... every one of them (${#files[@]})" "${#files[@]}" \
    "$(grep -c ': verified: ' "$T_OUTFILE")"
assert_exit "minisign agrees" 0 minisign -Vm "$T_TMP/fs/20.jsonl" -p "$KEY"
# its prefix is checked, by minisign too
files=()
for ((i = 0; i < 19; i++)); do
	files+=("$T_TMP/fs/$i.jsonl")
done
all_fail "a changed 'untrusted comment: ' prefix fails" 19 \
    "$ANFANG" verify --key "$KEY" "${files[@]}"
t_run minisign -Vm "$T_TMP/fs/3.jsonl" -p "$KEY"
if [ "$T_STATUS" -ne 0 ]; then
	t_ok "minisign refuses a changed prefix too"
else
	t_fail "minisign refuses a changed prefix too" "exit 0"
fi

# --- cut, swapped, extra, empty, huge, missing, mixed
mkdir -p "$T_TMP/cut"
hl=$(head -n 1 "$B1" | wc -c)
cut_each "$B1" "$T_TMP/cut/" .jsonl 1 10 "$hl" $((hl - 1)) $((size / 2)) \
    $((size - 2)) $((size - 1))
for n in 1 10 "$hl" $((hl - 1)) $((size / 2)) $((size - 2)) $((size - 1)); do
	printf '%s' "$sig1" >"$T_TMP/cut/$n.jsonl.minisig"
	assert_refused "cut to $n of $size bytes" 65 "FAILED (signature)" \
	    "$ANFANG" verify --key "$KEY" "$T_TMP/cut/$n.jsonl"
done
assert_refused "cut: import refuses" 65 "FAILED (signature)" an "$sup" \
    import "$T_TMP/cut/$((size - 1)).jsonl"

mkdir -p "$T_TMP/x"
X=$T_TMP/x/b.jsonl
IFS= read -r -d '' sig2 <"$B2.minisig"
printf '%s' "$sig2" >"$X.minisig"
{
	sed -n 1,2p "$B2"
	sed -n 4p "$B2"
	sed -n 3p "$B2"
} >"$X"
assert_eq "swapped: the same lines" "$(sort "$B2")" "$(sort "$X")"
if cmp -s "$B2" "$X"; then
	t_fail "swapped: not the same file" "the same"
fi
assert_refused "two visit lines swapped" 65 "FAILED (signature)" \
    "$ANFANG" verify --key "$KEY" "$X"
assert_refused "two visit lines swapped: import" 65 "FAILED (signature)" \
    an "$sup" import "$X"

printf '%s' "$sig1" >"$X.minisig"
{
	cat "$B1"
	tail -n 1 "$B1"
} >"$X"
assert_refused "a visit line repeated at the end" 65 "FAILED (signature)" \
    "$ANFANG" verify --key "$KEY" "$X"
{
	cat "$B1"
	printf '\n'
} >"$X"
assert_refused "an empty line appended" 65 "FAILED (signature)" \
    "$ANFANG" verify --key "$KEY" "$X"
: >"$X"
assert_refused "an empty .jsonl" 65 "FAILED (" \
    "$ANFANG" verify --key "$KEY" "$X"
assert_refused "an empty .jsonl: import" 65 "FAILED (" an "$sup" import "$X"

{
	cat "$B1"
	head -c 50000000 /dev/zero | tr '\0' 'x'
	printf '\n'
} >"$X"
t0=$(_t_now_ms)
assert_refused "a 50 MB line appended" 65 "FAILED (signature)" \
    "$ANFANG" verify --key "$KEY" "$X"
t1=$(_t_now_ms)
t_diag "verify of the 50 MB file: $((t1 - t0)) ms"
if [ $((t1 - t0)) -gt 15000 ]; then
	t_fail "a 50 MB file is refused in under 15 s" "$((t1 - t0)) ms"
fi
assert_refused "a 50 MB line appended: import" 65 "FAILED (signature)" \
    an "$sup" import "$X"
rm -f "$X"
truncate -s $((2 * 1024 * 1024 * 1024 + 1)) "$X"
assert_refused "a file over 2 GiB: too large, not read" 65 \
    "FAILED (unreadable)" "$ANFANG" verify --key "$KEY" "$X"
rm -f "$X"

cp "$B1" "$X"
rm -f "$X.minisig"
assert_refused "no .minisig" 65 "FAILED (signature): no signature" \
    "$ANFANG" verify --key "$KEY" "$X"
assert_refused "no .minisig: import" 65 "FAILED (signature)" an "$sup" \
    import "$X"
assert_refused "no such batch" 65 "FAILED (unreadable)" \
    "$ANFANG" verify --key "$KEY" "$T_TMP/x/none.jsonl"
cp "$B3.minisig" "$X.minisig"
assert_refused "another batch's .minisig" 65 "FAILED (signature)" \
    "$ANFANG" verify --key "$KEY" "$X"
{
	sed -n 1,2p "$B1.minisig"
	sed -n 3,4p "$B3.minisig"
} >"$X.minisig"
assert_refused "another batch's trusted comment" 65 \
    "FAILED (trusted comment)" "$ANFANG" verify --key "$KEY" "$X"
{
	sed -n 1,2p "$B1.minisig"
	sed -n 3p "$B3.minisig"
	sed -n 4p "$B1.minisig"
} >"$X.minisig"
assert_refused "another batch's trusted comment text" 65 \
    "FAILED (trusted comment)" "$ANFANG" verify --key "$KEY" "$X"
supervisor_has "0 after all that"

# --- a signer not in the keyring
assert_refused "unknown signer: verify (exit 77)" 77 \
    "FAILED (signer): unknown signer" an "$sup" verify "$S1"
assert_refused "unknown signer: import (exit 77)" 77 \
    "FAILED (signer): unknown signer" an "$sup" import "$S1"
assert_refused "verify --key with another key (exit 77)" 77 \
    "FAILED (signer)" "$ANFANG" verify --key "$KEY" "$S1"
assert_exit "...while its own key verifies it" 0 "$ANFANG" verify --key \
    "$T_TMP/stranger.pub" "$S1"
supervisor_has "0 after the unknown signer"

# --- sequence: replay, gap, an old number reused
assert_exit "import batch 1" 0 an "$sup" import "$B1"
assert_contains "import batch 1: imported" "imported 1 visit" "$T_OUT"
supervisor_has "1 after batch 1"
assert_exit "import batch 1 again: exit 0" 0 an "$sup" import "$B1"
assert_eq "import batch 1 again: nothing changed" \
    "$B1: batch $id1 was imported before: nothing changed" "$T_OUT"
assert_refused "verify batch 1 again: duplicate" 65 \
    "FAILED (duplicate): batch $id1 was received before" an "$sup" verify \
    "$B1"
supervisor_has "1 after batch 1 again"
assert_refused "batch 3 after batch 1: gap, naming batch 2" 65 \
    "FAILED (sequence): gap: batch 2 of this signer is missing" \
    an "$sup" import "$B3"
assert_refused "verify batch 3: the same gap" 65 \
    "gap: batch 2 of this signer is missing" an "$sup" verify "$B3"
supervisor_has "1 after the gap"
assert_exit "verify batches 2 and 3 together: exit 0" 0 an "$sup" verify \
    "$B2" "$B3"
assert_eq "verify 2 and 3: both verified" 2 "$(grep -c ': verified: ' \
    <<<"$T_OUT")"
assert_exit "import batches 2 and 3" 0 an "$sup" import "$B2" "$B3"
assert_eq "import 2 and 3: both imported" 2 "$(grep -c ': imported ' \
    <<<"$T_OUT")"
supervisor_has "4 after batches 2 and 3"
assert_exit "batch 1 after batch 3: nothing changed" 0 an "$sup" import "$B1"
assert_contains "batch 1 after batch 3: says so" "nothing changed" "$T_OUT"
assert_refused "verify batch 2 after batch 3: duplicate" 65 \
    "FAILED (duplicate): batch $id2 was received before" an "$sup" verify \
    "$B2"
assert_refused "a copy's batch reusing sequence 2: replay" 65 \
    "FAILED (sequence): replay: sequence 2, but 3" an "$sup" verify "$F2"
assert_refused "a copy's batch: import refuses" 65 "FAILED (sequence)" \
    an "$sup" import "$F2"
supervisor_has "4 at the end"

# --- a trusted signer's malformed batch: import takes all visits or none
# A minisign key (the stock tool signs what anfang verifies) re-signs
# batch 2 for a fresh supervisor, once as it was and twice with its second
# visit broken: import refuses those whole, then takes the intact one.
sup2=$T_TMP/db/supervisor2.db
bt_init supervisor2
t_check "minisign -G" minisign -G -W -p "$T_TMP/m.pub" -s "$T_TMP/m.key"
# minisign prints the key id without leading zeros; a batch names all 16
mkid=$(sed -n 's/^untrusted comment: minisign public key //p' "$T_TMP/m.pub")
mkid=$(printf '%16s' "$mkid" | tr ' ' 0)
assert_exit "keyring add the minisign key" 0 an "$sup2" keyring add \
    "$T_TMP/m.pub" --label minisign
mkdir -p "$T_TMP/m"
# resign NAME SED-SCRIPT-FOR-LINE-4: batch 2, signer the minisign key,
# sequence 1, line 4 changed by the script, signed; RB is the file
resign()
{
	RB=$T_TMP/m/$1/$id2.jsonl
	mkdir -p "$T_TMP/m/$1"
	sed "1s/\"signer\":\"[0-9A-F]*\"/\"signer\":\"$mkid\"/
	    1s/\"sequence\":2/\"sequence\":1/
	    4{$2}" "$B2" >"$RB"
	assert_exit "minisign -S ($1)" 0 minisign -S -s "$T_TMP/m.key" \
	    -m "$RB" -t "anfang batch $id2 sequence 1 visits 2"
}
resign intact ''
resign trail "$FLIP_HEAD"
assert_eq "trail: one line changed" 1 "$(diff "$T_TMP/m/intact/$id2.jsonl" \
    "$RB" | grep -c '^>')"
assert_refused "a visit's broken audit trail: import refuses the batch" 65 \
    "FAILED (import): line 4: visit" an "$sup2" import "$RB"
assert_contains "... saying the trail is broken" "audit trail" "$T_OUT"
assert_eq "... and imports neither visit" 0 "$(an "$sup2" list 2>/dev/null |
    grep -c .)"
resign question 's/"answers":{/"answers":{"nosuch":"yes",/'
assert_refused "an answer to no question: import refuses the batch" 65 \
    "FAILED (import): line 4: answer to an unknown question" an "$sup2" \
    import "$RB"
assert_eq "... and imports neither visit" 0 "$(an "$sup2" list 2>/dev/null |
    grep -c .)"
assert_exit "the intact one: import" 0 an "$sup2" import \
    "$T_TMP/m/intact/$id2.jsonl"
assert_eq "the intact one: both visits" 2 "$(an "$sup2" list 2>/dev/null |
    grep -c ' received ')"

t_done
