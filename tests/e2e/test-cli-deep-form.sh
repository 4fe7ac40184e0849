#!/usr/bin/env bash
# A form that forms check accepts never crashes anything: 200 yes/no
# questions, each shown if the next one, written 400 times with "or" (the
# form that once overflowed the stack in record and import).  It passes
# forms check; record of a visit on it works, the visit is final with
# every question shown; and its batch, which carries the form, imports.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

FORMS=$T_TMP/forms
mkdir -p "$FORMS"

# chain_form N TERMS: N yes/no questions; question i is shown if q(i+1) or
# q(i+1) ... (TERMS times).
chain_form()
{
	local n=$1 terms=$2 i k e
	printf 'form: deep\nversion: 1\ntitle: Deep\nlanguage: en\n'
	printf 'units:\n  - {id: u1, name: Unit one}\n'
	printf 'sections:\n  - title: All\n    questions:\n'
	for ((i = 1; i <= n; i++)); do
		printf '      - id: q%d\n        type: yesno\n' "$i"
		printf '        label: Q%d\n' "$i"
		[ "$i" -eq "$n" ] && break
		e="q$((i + 1))"
		for ((k = 1; k < terms; k++)); do
			e="$e or q$((i + 1))"
		done
		printf '        show_if: %s\n' "$e"
	done
}
chain_form 200 400 >"$FORMS/deep.yaml"

assert_exit "forms check accepts it" 0 "$ANFANG" forms check \
    "$FORMS/deep.yaml"
assert_contains "200 questions" "200 questions" "$T_OUT"

bt_init insp
bt_init sup
# every question answered yes
{
	printf '{"q1": "yes"'
	for ((i = 2; i <= 200; i++)); do
		printf ', "q%d": "yes"' "$i"
	done
	printf '}\n'
} >"$T_TMP/a.json"
assert_exit "record on it: exit 0" 0 an "$T_TMP/db/insp.db" record \
    --form deep --unit u1 --answers "$T_TMP/a.json" --finalize
visit=$T_OUT
assert_exit "list" 0 an "$T_TMP/db/insp.db" list
assert_contains "final, 200 of 200 shown questions answered" \
    "$visit  final" "$T_OUT"
assert_contains "200/200" " 200/200 " "$T_OUT"
assert_exit "show" 0 an "$T_TMP/db/insp.db" show "$visit"

assert_exit "key show" 0 an "$T_TMP/db/insp.db" key show
printf '%s\n' "$T_OUT" >"$T_TMP/insp.pub"
assert_exit "keyring add" 0 an "$T_TMP/db/sup.db" keyring add \
    "$T_TMP/insp.pub" --label inspector
mkdir -p "$T_TMP/out"
assert_exit "export: exit 0" 0 an "$T_TMP/db/insp.db" export \
    --out "$T_TMP/out"
batch=$(printf '%s\n' "$T_OUT" | grep '\.jsonl$')
assert_exit "import of the batch carrying it: exit 0" 0 \
    an "$T_TMP/db/sup.db" import "$batch"
assert_contains "imported 1 visit" "imported 1 visit" "$T_OUT"
assert_exit "the supervisor's list" 0 an "$T_TMP/db/sup.db" list
assert_contains "received, 200/200" " 200/200 " "$T_OUT"

t_done
