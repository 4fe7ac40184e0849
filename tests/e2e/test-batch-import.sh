#!/usr/bin/env bash
# e2e: normal build only: import's checks run sanitized in unit/test-batch-check and fuzz-batch
# What import checks beyond verify, with batches a trusted key signed:
# batches given in any order are taken in their signers' sequence; a batch
# that fails leaves its sequence number free (the next one is a gap, the
# corrected one goes in); one signer cannot send another signer's visits;
# one batch named twice (its .jsonl and .minisig) is no replay;
# a visit whose audit trail does not give its answers, or that is not
# final, is refused with the visit, question and reason; ids outside
# their alphabet are refused and received text is printed with its
# control characters made visible.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

if [ ! -x "$ANFANG_TOOLS/db-sign" ]; then
	t_fail "db-sign tool" "not found in '$ANFANG_TOOLS'"
	t_done
fi

FORMS=$T_TMP/forms
mkdir -p "$FORMS"
cat >"$FORMS/rules.yaml" <<'YAML'
form: rules
version: 1
title: "Rules\e]0;TITLE\a"
language: en
units:
  - {id: u1, name: Unit one}
  - {id: u2, name: "Unit\e[2J two"}
sections:
  - title: S
    questions:
      - id: fee
        type: number
        label: Fee
        constraint: . > 0
        constraint_message: must be more than 0
      - id: name
        type: text
        label: Name
        required: true
      - id: temp
        type: number
        label: Temperature
        warn_if: . > 5
        warn_message: too warm
      - id: hot
        type: yesno
        label: Hot holding?
      - id: hot_temp
        type: number
        label: Hot temperature
        show_if: hot
YAML
printf '{"fee": 200, "name": "Ann", "temp": 7, "hot": "no"}\n' \
    >"$T_TMP/answers.json"
insp=$T_TMP/db/inspector.db
KEY=$T_TMP/inspector.pub
O=$T_TMP/out
ESC=$(printf '\033')

visit()
{
	assert_exit "record ($(basename "$1" .db))" 0 an "$1" record \
	    --form rules --unit "${2:-u1}" --answers "$T_TMP/answers.json" \
	    --reason temp=checked --finalize
}

# batch DB DIR: export into DIR; BATCH is the id, BJ the .jsonl
batch()
{
	mkdir -p "$2"
	assert_exit "export ($(basename "$1" .db) into ${2##*/})" 0 an "$1" \
	    export --out "$2"
	BATCH=$(printf '%s\n' "$T_OUT" | sed -n 's|^.*/\([a-z0-9]*\)\.jsonl$|\1|p')
	BJ=$2/$BATCH.jsonl
}

# resign SRC DST SED-SCRIPT [DB]: SRC changed by the script, signed again
# by the inspector's key (or DB's) with the trusted comment its header
# calls for
resign()
{
	local id seq n db=${4:-$insp}
	mkdir -p "$(dirname "$2")"
	if [ -n "${REHEAD:-}" ]; then
		sed "$3" "$1" | "$ANFANG_TOOLS/batch-rehead" >"$2"
	else
		sed "$3" "$1" >"$2"
	fi
	id=$(sed -n '1s/.*"batch":"\([^"]*\)".*/\1/p' "$2")
	seq=$(sed -n '1s/.*"sequence":\([0-9]*\).*/\1/p' "$2")
	n=$(sed -n '1s/.*"visits":\([0-9]*\).*/\1/p' "$2")
	assert_exit "db-sign $(basename "$(dirname "$2")")" 0 \
	    "$ANFANG_TOOLS/db-sign" "$db" "$2" \
	    "anfang batch $(printf '%b' "$id") sequence $seq visits $n" \
	    <"$PASS"
}

# has DB N: the database's list has N visits
has()
{
	assert_eq "${2#* }: $(basename "$1" .db) has ${2%% *} visits" \
	    "${2%% *}" "$(an "$1" list 2>/dev/null | grep -c .)"
}

bt_init inspector
bt_key "$insp" "$KEY"
for n in 1 2 3; do
	visit "$insp"
	batch "$insp" "$O/b$n"
	eval "B$n=\$BJ id$n=\$BATCH"
done

# --- files in any order: taken by signer and sequence
bt_init order
assert_exit "keyring add (order)" 0 an "$T_TMP/db/order.db" keyring add \
    "$KEY" --label inspector
assert_exit "verify 3 2 1 (as the shell may list them): exit 0" 0 \
    an "$T_TMP/db/order.db" verify "$B3" "$B2" "$B1"
assert_eq "verify 3 2 1: all three verified" 3 \
    "$(grep -c ': verified: ' <<<"$T_OUT")"
assert_exit "import 3 1 2: exit 0" 0 an "$T_TMP/db/order.db" import \
    "$B3" "$B1" "$B2"
assert_eq "import 3 1 2: all three imported" 3 \
    "$(grep -c ': imported 1 visit ' <<<"$T_OUT")"
assert_eq "import 3 1 2: in their sequence" "1 2 3" \
    "$(sed -n 's/.*sequence \([0-9]*\))$/\1/p' <<<"$T_OUT" | tr '\n' ' ' |
        sed 's/ $//')"
has "$T_TMP/db/order.db" "3 after importing them in any order"

# --- one batch under two names (a glob of the folder gives its .minisig
# too, or the same file named twice) is no replay
bt_init twice
assert_exit "keyring add (twice)" 0 an "$T_TMP/db/twice.db" keyring add \
    "$KEY" --label inspector
assert_exit "verify b1/* (the batch and its .minisig): exit 0" 0 \
    an "$T_TMP/db/twice.db" verify "$O/b1/"*
assert_eq "... verified under both names" 2 \
    "$(grep -c ": verified: batch $id1," <<<"$T_OUT")"
assert_exit "verify B2 B1 B1: exit 0" 0 an "$T_TMP/db/twice.db" verify \
    "$B2" "$B1" "$B1"
assert_not_contains "... no replay" "FAILED" "$T_OUT"
# a file's name comes from elsewhere too: shown with its controls visible
mkdir -p "$O/named"
cp "$B1" "$O/named/b${ESC}[2J.jsonl"
cp "$B1.minisig" "$O/named/b${ESC}[2J.jsonl.minisig"
assert_exit "verify a batch whose name holds an escape: exit 0" 0 \
    an "$T_TMP/db/twice.db" verify "$O/named/b${ESC}[2J.jsonl"
assert_contains "... its name shown with the escape visible" \
    "named/b\\x1b[2J.jsonl: verified" "$T_OUT"
assert_not_contains "... and not raw" "$ESC" "$T_OUT"
assert_exit "import b1/*: exit 0" 0 an "$T_TMP/db/twice.db" import \
    "$O/b1/"*
assert_contains "... the second name changes nothing" \
    "$B1.minisig: batch $id1 was imported before: nothing changed" "$T_OUT"
assert_exit "verify B1 once imported: exit 65" 65 \
    an "$T_TMP/db/twice.db" verify "$B1"
assert_contains "... received before" "$B1: FAILED (duplicate)" "$T_OUT"
has "$T_TMP/db/twice.db" "1 after importing one batch under two names"

# --- a batch that fails import moves nothing
sup=$T_TMP/db/supervisor.db
bt_init supervisor
assert_exit "keyring add" 0 an "$sup" keyring add "$KEY" --label inspector
# its trail's head hash, one digit changed
resign "$B1" "$O/bad1/$id1.jsonl" "3{$FLIP_HEAD}"
assert_exit "a bad batch 1 with batch 2: exit 65" 65 an "$sup" import \
    "$O/bad1/$id1.jsonl" "$B2"
assert_contains "... batch 1 fails at import" \
    "$O/bad1/$id1.jsonl: FAILED (import): line 3: visit" "$T_OUT"
assert_contains "... batch 2 is then a gap" \
    "$B2: FAILED (sequence): gap: batch 1 of this signer is missing" "$T_OUT"
has "$sup" "0 after the failed batch"
assert_exit "the corrected batch 1, then 2: exit 0" 0 an "$sup" import \
    "$B1" "$B2"
assert_eq "... both imported" 2 "$(grep -c ': imported 1 visit ' <<<"$T_OUT")"
has "$sup" "2 after the corrected batch"

# --- rules of the form and the audit trail: each refused, whole
# (line 3 is the visit of a one-visit batch)
rules=$T_TMP/db/rules.db
bt_init rules
assert_exit "keyring add (rules)" 0 an "$rules" keyring add "$KEY" \
    --label inspector
vid=$(sed -n '3s/^{"visit":"\([^"]*\)".*/\1/p' "$B1")
refused()
{
	# a trusted signer can give a changed trail its head hash
	REHEAD=1 resign "$B1" "$O/$1/$id1.jsonl" "$3"
	assert_refused "$1: refused" 65 \
	    "FAILED (import): line 3: visit $vid: $2" \
	    an "$rules" import "$O/$1/$id1.jsonl"
}
refused fee0 "fee: the answer is not the one its audit trail gives" \
    '3s/"fee":200/"fee":0/'
refused missing "name: the answer is not the one" '3s/"name":"Ann",//'
refused no-reason "temp: the reason is not the one" \
    '3s/"reasons":{[^}]*}/"reasons":{}/'
refused hidden "hot_temp: the answer is not the one" \
    '3s/"answers":{/"answers":{"hot_temp":70,/'
refused no-trail "it has no audit trail" \
    '3s/"audit":\[.*\],"audit_head"/"audit":[],"audit_head"/'
refused cut-trail "its audit trail does not finalize it" \
    '3s/\("audit":\[{[^{}]*},{[^{}]*}\),{.*\],"audit_head"/\1],"audit_head"/'
refused draft "it is draft, not final" \
    '3s/"status":"final"/"status":"draft"/; 3s/"finalized":"[^"]*"/"finalized":null/'
refused amended "amendment 1 is not in the audit trail" \
    '3s/"amendments":\[\]/"amendments":[{"question":"fee","value":1,"reason":"x","at":"2026-01-01T00:00:00.000Z"}]/'
has "$rules" "0 after the crafted batches"
assert_exit "the batch as it was: imported" 0 an "$rules" import "$B1" \
    "$B2" "$B3"
has "$rules" "3 after the genuine batches"

# --- one signer cannot send another's visits
# A second inspector's key (a minisign key) signs inspector batch 1 as its
# own first; the genuine batch is then refused, naming both keys.
claim=$T_TMP/db/claim.db
bt_init claim
assert_exit "keyring add (claim)" 0 an "$claim" keyring add "$KEY" \
    --label inspector
t_check "minisign -G" minisign -G -W -p "$T_TMP/m.pub" -s "$T_TMP/m.key"
mkid=$(sed -n 's/^untrusted comment: minisign public key //p' "$T_TMP/m.pub")
mkid=$(printf '%16s' "$mkid" | tr ' ' 0)
ikid=$(sed -n '1s/.*"signer":"\([0-9A-F]*\)".*/\1/p' "$B1")
assert_exit "keyring add the other key" 0 an "$claim" keyring add \
    "$T_TMP/m.pub" --label other
mkdir -p "$O/copy"
sed "1s/\"signer\":\"[0-9A-F]*\"/\"signer\":\"$mkid\"/
    1s/\"batch\":\"$id1\"/\"batch\":\"222222222222\"/" "$B1" \
    >"$O/copy/222222222222.jsonl"
assert_exit "minisign -S (a copy of batch 1)" 0 minisign -S \
    -s "$T_TMP/m.key" -m "$O/copy/222222222222.jsonl" \
    -t "anfang batch 222222222222 sequence 1 visits 1"
assert_exit "the copy: imported first" 0 an "$claim" import \
    "$O/copy/222222222222.jsonl"
v1=$(sed -n '3s/^{"visit":"\([^"]*\)".*/\1/p' "$B1")
assert_refused "the genuine batch: refused, naming both keys" 65 \
    "visit $v1 came from signer $mkid: signer $ikid cannot send it" \
    an "$claim" import "$B1"

# --- ids and control characters
esc=$T_TMP/db/esc.db
bt_init esc
assert_exit "keyring add (esc)" 0 an "$esc" keyring add "$KEY" \
    --label inspector
resign "$B1" "$O/badvid/$id1.jsonl" "3s/\"visit\":\"$v1\"/\"visit\":\"..\\/..\\/etc\\/pa\"/"
assert_refused "a visit id outside its alphabet: refused" 65 \
    "a visit id is 12 of the characters" an "$esc" import \
    "$O/badvid/$id1.jsonl"
bad_id='\033]0;T\007xyz'
resign "$B3" "$O/badbid/x.jsonl" "1s/\"batch\":\"$id3\"/\"batch\":\"\\\\u001b]0;T\\\\u0007xyz\"/"
: "$bad_id"
assert_refused "a batch id outside its alphabet: refused" 65 \
    "FAILED (format): line 1: a batch id is 12 of the characters" \
    an "$esc" verify "$O/badbid/x.jsonl"
assert_not_contains "... printed without ESC" "$ESC" "$T_OUT$T_ERR"
# The form the inspector used has escapes in its title and a unit's name
# (control characters in answers are refused where they are typed); the
# supervisor sees them made visible everywhere.
visit "$insp" u2
batch "$insp" "$O/b4"
B4=$BJ
assert_exit "import batches 1 to 3" 0 an "$esc" import "$B1" "$B2" "$B3"
assert_exit "verify the batch of escapes" 0 an "$esc" verify "$B4"
assert_not_contains "verify: no ESC" "$ESC" "$T_OUT$T_ERR"
assert_exit "import it" 0 an "$esc" import "$B4"
assert_not_contains "import: no ESC" "$ESC" "$T_OUT$T_ERR"
assert_exit "list" 0 an "$esc" list
assert_not_contains "list: no ESC" "$ESC" "$T_OUT$T_ERR"
assert_contains "list: the escape shown" 'Unit\x1b[2J two' "$T_OUT"
v4=$(sed -n '3s/^{"visit":"\([^"]*\)".*/\1/p' "$B4")
assert_exit "show" 0 an "$esc" show "$v4"
assert_not_contains "show: no ESC" "$ESC" "$T_OUT$T_ERR"
assert_contains "show: the unit's escape shown" 'Unit\x1b[2J two' "$T_OUT"

# --- an exported visit amended goes out again and takes the place of
# the copy received
printf '{"fee": 200, "name": "Ann", "temp": 7, "hot": "no"}\n' \
    >"$T_TMP/answers.json"
am=$T_TMP/db/amender.db
bt_init amender
bt_key "$am" "$T_TMP/amender.pub"
visit "$am"
batch "$am" "$O/e1"
E1=$BJ
ev=$(sed -n '3s/^{"visit":"\([^"]*\)".*/\1/p' "$E1")
assert_exit "amend the exported visit" 0 an "$am" amend "$ev" fee 150 \
    --reason "typed 200 for 150"
assert_exit "list --status final" 0 an "$am" list --status final
assert_contains "... it is final again" "$ev" "$T_OUT"
batch "$am" "$O/e2"
E2=$BJ
assert_eq "the next batch carries it" "$ev" \
    "$(sed -n '3s/^{"visit":"\([^"]*\)".*/\1/p' "$E2")"
sup3=$T_TMP/db/receiver.db
bt_init receiver
assert_exit "keyring add (receiver)" 0 an "$sup3" keyring add \
    "$T_TMP/amender.pub" --label amender
assert_exit "import both batches" 0 an "$sup3" import "$E2" "$E1"
assert_eq "... both imported" 2 "$(grep -c ': imported 1 visit ' <<<"$T_OUT")"
has "$sup3" "1 after the visit and its amended copy"
assert_exit "show the received visit" 0 an "$sup3" show "$ev"
assert_contains "... with its amendment" \
    "fee: 150, because: typed 200 for 150" "$T_OUT"
assert_contains "... and its trail intact" "audit trail: intact" "$T_OUT"
assert_contains "... the copy replaced" "in place of the copy received" \
    "$T_OUT"
# the first copy again, as a later batch: it does not go on from the
# stored trail
e1id=$(sed -n '1s/.*"batch":"\([^"]*\)".*/\1/p' "$E1")
resign "$E1" "$O/again/333333333333.jsonl" \
    "1s/\"batch\":\"$e1id\"/\"batch\":\"333333333333\"/; 1s/\"sequence\":1/\"sequence\":3/" \
    "$am"
assert_refused "an older copy in a later batch: refused" 65 \
    "visit $ev is in this database already (or twice in the batch), and this copy does not go on from its audit trail" \
    an "$sup3" import "$O/again/333333333333.jsonl"
assert_exit "show: still the amended copy" 0 an "$sup3" show "$ev"
assert_contains "... with its amendment" "because: typed 200 for 150" \
    "$T_OUT"

t_done
