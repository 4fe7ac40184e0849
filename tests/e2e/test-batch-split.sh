#!/usr/bin/env bash
# Export never writes a batch that verify and import refuse for its size:
# visits that would take a batch past the limit go on in the next batch,
# with the next sequence number; a visit too large for any batch is refused
# up front with nothing written.  The limit (2 GiB) is lowered for the test
# with ANFANG_BATCH_MAX_BYTES, which verify and import read too.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

insp=$T_TMP/db/inspector.db
sup=$T_TMP/db/supervisor.db
OUT=$T_TMP/out
mkdir -p "$OUT" "$T_TMP/none" "$T_TMP/one"
N=12
# a service-window batch: about 45 KB of form line, 3 KB per visit
MAX=25000
export ANFANG_BATCH_MAX_BYTES=$MAX

bt_fill inspector "$N"
bt_init supervisor
bt_key "$insp" "$T_TMP/inspector.pub"
assert_exit "keyring add" 0 an "$sup" keyring add "$T_TMP/inspector.pub" \
    --label inspector

# --- a limit no visit fits under: refused before anything is written
assert_refused "a limit below one visit: refused" 65 \
    "over the " env ANFANG_BATCH_MAX_BYTES=4000 \
    "$ANFANG" --db "$insp" --forms "$FORMS" export --out "$T_TMP/none" \
    --passphrase-fd 3 3<"$PASS"
assert_contains "... naming the visit and its size" "alone makes a batch" \
    "$T_OUT$T_ERR"
assert_eq "... nothing written" "" "$(ls -A "$T_TMP/none")"
assert_exit "list" 0 an "$insp" list
assert_eq "... every visit still final" "$N" \
    "$(grep -c ' final ' <<<"$T_OUT")"

# --- split into consecutive batches, each under the limit
assert_exit "export: exit 0" 0 an "$insp" export --out "$OUT"
files=$(grep '\.jsonl$' <<<"$T_OUT")
nb=$(grep -c . <<<"$files")
if [ "$nb" -lt 3 ]; then
	t_fail "export: split into several batches" "$nb batch(es)"
else
	t_ok "export: split into several batches ($nb)"
fi
seqs='' total=0 big=0
for f in $files; do
	size=$(wc -c <"$f")
	[ "$size" -le "$MAX" ] || big=$((big + 1))
	seqs+="$(sed -n '1s/.*"sequence":\([0-9]*\).*/\1/p' "$f") "
	total=$((total + $(sed -n '1s/.*"visits":\([0-9]*\).*/\1/p' "$f")))
	assert_exit "minisign -Vm $(basename "$f")" 0 minisign -Vm "$f" \
	    -p "$T_TMP/inspector.pub"
done
assert_eq "no batch over the limit" 0 "$big"
assert_eq "sequences 1 to $nb" "$(seq -s ' ' 1 "$nb") " \
    "$(tr ' ' '\n' <<<"$seqs" | sort -n | tr '\n' ' ' | sed 's/^ //')"
assert_eq "every visit in one batch" "$N" "$total"
# shellcheck disable=SC2086 # the file names have no spaces
assert_eq "no visit twice" "$N" "$(cat $files | sed -n \
    's/^{"visit":"\([^"]*\)".*/\1/p' | sort -u | grep -c .)"
assert_exit "list (inspector)" 0 an "$insp" list
assert_eq "every visit exported" "$N" "$(grep -c ' exported ' <<<"$T_OUT")"

# shellcheck disable=SC2086 # the file names have no spaces
assert_exit "verify them all at the limit" 0 an "$sup" verify $files
# shellcheck disable=SC2086
assert_exit "import them all at the limit" 0 an "$sup" import $files
assert_exit "list (supervisor)" 0 an "$sup" list
assert_eq "supervisor: every visit" "$N" "$(grep -c ' received ' <<<"$T_OUT")"

# --- over the limit: refused
f=$(head -n 1 <<<"$files")
assert_refused "verify: a batch over the limit is refused" 65 "too large" \
    env ANFANG_BATCH_MAX_BYTES=$(($(wc -c <"$f") - 1)) "$ANFANG" verify \
    --key "$T_TMP/inspector.pub" "$f"
t_done
