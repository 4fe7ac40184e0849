#!/usr/bin/env bash
# anfang key show prints a minisign public key file for the database's
# signing key, and the stock minisign tool accepts what that key signs
# (signed here by tests/tools/db-sign, through the same store and signing
# calls as anfang export): with -p FILE and with -P KEY, trusted comment
# shown; any changed byte of the file or of the trusted comment, or another
# database's key, fails.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${ANFANG_TOOLS:=$(dirname "$ANFANG")/tools}"
ANFANG_TOOLS=$(cd "$ANFANG_TOOLS" 2>/dev/null && pwd -P) || ANFANG_TOOLS=
PASS=$T_TMP/pass
printf 'key test pass\n' >"$PASS"
K=$T_TMP/keys
mkdir -p "$K"
db=$T_TMP/data/one.db
db2=$T_TMP/data/two.db

if ! command -v minisign >/dev/null 2>&1; then
	t_fail "minisign" "not installed (packaging/deps.sh installs it)"
fi
if [ ! -x "$ANFANG_TOOLS/db-sign" ]; then
	t_fail "db-sign tool" "not found in '$ANFANG_TOOLS'"
fi

assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
init_id=$(printf '%s\n' "$T_OUT" |
    sed -n 's/.*signing key id \([0-9A-F]*\)$/\1/p')
assert_exit "init a second database" 0 "$ANFANG" init --db "$db2" \
    --kdf interactive --passphrase-fd 3 3<"$PASS"

# --- the public key file
assert_exit "key show: exit 0" 0 "$ANFANG" key show --db "$db" \
    --passphrase-fd 3 3<"$PASS"
assert_eq "key show: nothing on stderr" "" "$T_ERR"
printf '%s\n' "$T_OUT" >"$K/one.pub"
assert_eq "key show: two lines" 2 "$(grep -c '' "$K/one.pub")"
line1=$(sed -n 1p "$K/one.pub")
line2=$(sed -n 2p "$K/one.pub")
if [[ $line1 =~ ^untrusted\ comment:\ minisign\ public\ key\ ([0-9A-F]{16})$ ]]
then
	t_ok "line 1: untrusted comment: minisign public key <16 hex>"
	id=${BASH_REMATCH[1]}
else
	t_fail "line 1: untrusted comment: minisign public key <16 hex>" \
	    "'$line1'"
	id=
fi
assert_eq "the key id is the one init printed" "$init_id" "$id"
if [[ $line2 =~ ^[A-Za-z0-9+/]{56}$ ]]; then
	t_ok "line 2: 56 base64 characters"
else
	t_fail "line 2: 56 base64 characters" "'$line2'"
fi
raw=$(printf '%s' "$line2" | base64 -d 2>/dev/null | od -An -v -tx1 |
    tr -d ' \n')
assert_eq "line 2 decodes to 42 bytes" 84 "${#raw}"
assert_eq "line 2 starts with Ed (Ed25519)" 4564 "${raw:0:4}"
# the key id is stored little-endian; minisign prints it reversed
le=${raw:4:16}
be=
for i in 14 12 10 8 6 4 2 0; do
	be=$be${le:$i:2}
done
assert_eq "the key id in line 2 matches line 1" "$id" "${be^^}"
assert_exit "key show again" 0 "$ANFANG" key show --db "$db" \
    --passphrase-fd 3 3<"$PASS"
assert_eq "key show is stable" "$(cat "$K/one.pub")" "$T_OUT"
assert_exit "key show of the second database" 0 "$ANFANG" key show \
    --db "$db2" --passphrase-fd 3 3<"$PASS"
printf '%s\n' "$T_OUT" >"$K/two.pub"
if cmp -s "$K/one.pub" "$K/two.pub"; then
	t_fail "two databases have two keys" "the same key"
else
	t_ok "two databases have two keys"
fi

# --- minisign verifies what the key signs
F=$K/batch.jsonl
{
	printf '{"format":"anfang-batch","note":"窗口 5 號"}\n'
	LC_ALL=C awk 'BEGIN { for (i = 0; i < 20000; i++)
	    printf "{\"n\":%d,\"pad\":\"%040d\"}\n", i, i }'
} >"$F"
assert_exit "db-sign" 0 "$ANFANG_TOOLS/db-sign" "$db" "$F" <"$PASS"
assert_eq "signature: untrusted comment line" \
    "untrusted comment: signature from anfang" "$(sed -n 1p "$F.minisig")"
assert_eq "signature: trusted comment line" \
    "trusted comment: trusted comment text" "$(sed -n 3p "$F.minisig")"
sig=$(sed -n 2p "$F.minisig" | base64 -d 2>/dev/null | od -An -v -tx1 |
    tr -d ' \n')
assert_eq "signature: prehashed Ed25519 (ED)" 4544 "${sig:0:4}"
assert_eq "signature: names this key" "$le" "${sig:4:16}"

assert_exit "minisign -Vm FILE -p key.pub: exit 0" 0 \
    minisign -Vm "$F" -p "$K/one.pub"
assert_contains "minisign shows the trusted comment" \
    "Trusted comment: trusted comment text" "$T_OUT"
assert_exit "minisign -Vm FILE -P <base64>: exit 0" 0 \
    minisign -Vm "$F" -P "$line2"
assert_contains "minisign -P shows the trusted comment" \
    "Trusted comment: trusted comment text" "$T_OUT"

# one changed byte in the file
cp "$F" "$K/orig"
printf 'X' | dd of="$F" bs=1 seek=5000 conv=notrunc status=none
if cmp -s "$F" "$K/orig"; then
	t_fail "test bug: the byte did not change" "same file"
fi
assert_exit "one changed byte: minisign fails" 1 \
    minisign -Vm "$F" -p "$K/one.pub"
assert_exit "one changed byte: minisign -P fails" 1 \
    minisign -Vm "$F" -P "$line2"
cp "$K/orig" "$F"
assert_exit "restored: minisign accepts it again" 0 \
    minisign -Vm "$F" -p "$K/one.pub"
printf '\n' >>"$F"
assert_exit "one byte appended: minisign fails" 1 \
    minisign -Vm "$F" -p "$K/one.pub"
cp "$K/orig" "$F"

# the trusted comment is signed; the untrusted one is not (by design)
cp "$F.minisig" "$K/sig.orig"
sed -i '3s/text$/texT/' "$F.minisig"
assert_exit "changed trusted comment: minisign fails" 1 \
    minisign -Vm "$F" -p "$K/one.pub"
cp "$K/sig.orig" "$F.minisig"
sed -i '1s/anfang$/someone else/' "$F.minisig"
assert_exit "changed untrusted comment: still verifies" 0 \
    minisign -Vm "$F" -p "$K/one.pub"
cp "$K/sig.orig" "$F.minisig"

# another database's key does not verify it
assert_exit "the other database's key: minisign fails" 1 \
    minisign -Vm "$F" -p "$K/two.pub"

# a different trusted comment, and a small file
printf 'hello\n' >"$K/small.txt"
assert_exit "db-sign with a trusted comment" 0 "$ANFANG_TOOLS/db-sign" \
    "$db2" "$K/small.txt" 'batch b1 seq 1 count 0' <"$PASS"
assert_exit "minisign with the second key" 0 \
    minisign -Vm "$K/small.txt" -p "$K/two.pub"
assert_contains "its trusted comment" \
    "Trusted comment: batch b1 seq 1 count 0" "$T_OUT"

t_done
