#!/usr/bin/env bash
# Special files never make a command wait: a FIFO as a form file, in the
# forms directory (forms list, record), as a form's sites file, as record's
# --answers or as a key file is refused at once as not a regular file.
# Each command runs under timeout (exit 124 would mean it blocked).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

T_CMD_TIMEOUT=15
FORMS=$T_TMP/forms
PASS=$T_TMP/pass
printf 'fifo test pass\n' >"$PASS"
db=$T_TMP/data/visits.db
mkdir -p "$FORMS" "$T_TMP/sites/sites"
cp "$T_ROOT/forms/service-window.zh.yaml" "$FORMS/"
cp -r "$T_ROOT/forms/sites" "$FORMS/"
mkfifo "$FORMS/pipe.yaml" "$T_TMP/form.yaml" "$T_TMP/answers.json" \
    "$T_TMP/key.pub" "$T_TMP/sites/sites/units.yaml"

an()
{
	"$ANFANG" --db "$db" --forms "$FORMS" "$@" --passphrase-fd 3 3<"$PASS"
}

# not_blocked NAME: the last t_run ended by itself (not by the timeout).
not_blocked()
{
	if [ "$T_STATUS" -ne 124 ] && [ "$T_STATUS" -ne 137 ]; then
		t_ok "$1: did not block"
	else
		t_fail "$1: did not block" "stopped by timeout"
	fi
}

assert_exit "forms check of a FIFO: exit 65" 65 "$ANFANG" forms check \
    "$T_TMP/form.yaml"
not_blocked "forms check"
assert_contains "forms check: says why" \
    "$T_TMP/form.yaml: not a regular file" "$T_ERR"

assert_exit "forms list beside a FIFO: exit 65" 65 "$ANFANG" forms list \
    --forms "$FORMS"
not_blocked "forms list"
assert_contains "forms list: the good form is listed" "service-window" \
    "$T_OUT"
assert_contains "forms list: the FIFO is named" \
    "pipe.yaml: not a regular file" "$T_ERR"

sed 's/^units: .*/units: sites\/units.yaml/' \
    "$T_ROOT/forms/service-window.en.yaml" >"$T_TMP/sites/form.yaml"
assert_exit "forms check of a form whose sites file is a FIFO: exit 65" 65 \
    "$ANFANG" forms check "$T_TMP/sites/form.yaml"
not_blocked "sites file"
assert_contains "sites file: says why" "not a regular file" "$T_ERR"

assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
cp "$T_ROOT/tests/bench/answers-zh.json" "$T_TMP/a.json"
assert_exit "record with a FIFO in the forms directory: exit 0" 0 \
    an record --form service-window --unit dongcheng-gov-centre \
    --answers "$T_TMP/a.json"
not_blocked "record beside a FIFO"

assert_exit "record --answers FIFO: exit 66" 66 an record \
    --form service-window --unit dongcheng-gov-centre \
    --answers "$T_TMP/answers.json"
not_blocked "record --answers"
assert_contains "record --answers: says why" \
    "answers.json: not a regular file" "$T_ERR"
assert_exit "record --answers - still reads standard input" 0 an record \
    --form service-window --unit dongcheng-gov-centre --answers - \
    <"$T_TMP/a.json"

assert_exit "keyring add FIFO: exit 66" 66 an keyring add "$T_TMP/key.pub" \
    --label x
not_blocked "keyring add"
assert_exit "export --seal FIFO: exit 66" 66 an export --seal "$T_TMP/key.pub"
not_blocked "export --seal"

t_done
