#!/usr/bin/env bash
# A batch of format version 1, as anfang 0.1.0 wrote it before format 2
# (tests/fixtures/batch-1: three visits, Chinese text, an amendment of
# attitude on 44u4fkm66zxs), still verifies and imports: stock minisign
# accepts it, verify --key and verify (keyring) pass, import takes every
# visit with its text, amendment and audit trail, and the stored visits
# read back intact.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

FX=$T_ROOT/tests/fixtures/batch-1
id=dbkc3wzgf2p6
kid=5A75AAA7DCD449EE
sup=$T_TMP/db/supervisor.db
mkdir -p "$T_TMP/in"
cp "$FX/$id.jsonl" "$FX/$id.jsonl.minisig" "$T_TMP/in/"
B=$T_TMP/in/$id.jsonl

assert_contains "the fixture is format 1" '"version":1,' "$(head -n 1 "$B")"
if command -v minisign >/dev/null 2>&1; then
	assert_exit "minisign -Vm accepts it" 0 minisign -Vm "$B" \
	    -p "$FX/inspector.pub"
else
	t_fail "minisign" "not installed (packaging/deps.sh installs it)"
fi
assert_exit "verify --key: exit 0" 0 "$ANFANG" verify \
    --key "$FX/inspector.pub" "$B"
assert_eq "verify --key: one line" \
    "$B: verified: batch $id, signer $kid, sequence 1, 3 visits" "$T_OUT"

bt_init supervisor
assert_exit "keyring add" 0 an "$sup" keyring add "$FX/inspector.pub" \
    --label "檢查員 F"
assert_exit "verify (keyring): exit 0" 0 an "$sup" verify "$B"
assert_exit "import: exit 0" 0 an "$sup" import "$B"
assert_eq "import: one line, then the high alerts it brought in" \
    "$B: imported 3 visits (batch $id, signer $kid, sequence 1)" \
    "$(head -n 1 <<<"$T_OUT")"
assert_eq "... each alert a high one" "" \
    "$(sed -n '2,$p' <<<"$T_OUT" | grep -v -e '^high-severity alerts' \
        -e '^high  ' -e '^        ')"
assert_exit "list" 0 an "$sup" list
assert_eq "the three visits, received" \
    "44u4fkm66zxs received
bgd5tm6wmhrt received
w7w2axbn5m4v received" \
    "$(awk '{ print $1, $2 }' <<<"$T_OUT" | sort)"
for v in 44u4fkm66zxs bgd5tm6wmhrt w7w2axbn5m4v; do
	assert_exit "show $v" 0 an "$sup" show "$v"
	assert_contains "$v: audit trail intact" "audit trail: intact" "$T_OUT"
done
assert_exit "show --json w7w2axbn5m4v" 0 an "$sup" show --json w7w2axbn5m4v
flat=$(json_flat <<<"$T_OUT")
assert_contains "Chinese text as given" \
    ".answers.notes=s:一切正常 — all in order; 廚房地面乾淨" "$flat"
assert_contains "Chinese division" ".division=s:kitchen 廚房" "$flat"
assert_exit "show --json 44u4fkm66zxs" 0 an "$sup" show --json 44u4fkm66zxs
flat=$(json_flat <<<"$T_OUT")
assert_contains "the amendment's reason" \
    ".amended.attitude.reason=s:重新評分：輸入錯誤" "$flat"
assert_contains "the amended answer counts" ".answers.attitude=n:4" "$flat"
assert_exit "import again: exit 0" 0 an "$sup" import "$B"
assert_contains "import again: nothing changed" "nothing changed" "$T_OUT"
t_done
