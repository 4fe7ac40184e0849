#!/usr/bin/env bash
# The command line's options and exit codes: numbers parsed strictly with
# their range; free text capped; new passphrases of 8 characters or more
# (counted in characters), passwd's new one read twice from
# --passphrase-fd; init makes no missing directory for --db but does make
# the default one; export exits 65 for a visit not final and 66 for an
# unknown visit or batch, and makes --out DIR (0700); record lists every
# problem of its answers at once; --help names the UI's options; no
# message names its question twice, and none sends a control character
# typed on the command line to the terminal; output that cannot be
# written is exit 74.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
UNIT=dongcheng-gov-centre
PASS=$T_TMP/pass
printf 'options test pass\n' >"$PASS"
db=$T_TMP/data/visits.db
mkdir -p "$T_TMP/data"

an()
{
	"$ANFANG" --db "$db" --forms "$FORMS" "$@" --passphrase-fd 3 3<"$PASS"
}

# --- init: --db's directory must exist; the default one is made
assert_exit "init --db in a missing directory: exit 73" 73 "$ANFANG" init \
    --db "$T_TMP/nodir/sub/x.db" --kdf interactive --passphrase-fd 3 \
    3<"$PASS"
assert_contains "init: says the directory must exist" \
    "$T_TMP/nodir/sub: No such file or directory" "$T_ERR"
if [ -e "$T_TMP/nodir" ]; then
	t_fail "init: created no directory" "$T_TMP/nodir exists"
else
	t_ok "init: created no directory"
fi
assert_exit "init with ANFANG_DB in a missing directory: exit 73" 73 \
    env ANFANG_DB="$T_TMP/nodir2/x.db" "$ANFANG" init --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
if [ -e "$T_TMP/nodir2" ]; then
	t_fail "ANFANG_DB: no directory made" "made"
else
	t_ok "ANFANG_DB: no directory made"
fi
assert_exit "init at the default place makes its directory" 0 \
    env XDG_DATA_HOME="$T_TMP/xdg/data" "$ANFANG" init --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
assert_eq "the default directory is 0700" 700 \
    "$(stat -c %a "$T_TMP/xdg/data/anfang" 2>&1)"

# --- new passphrases: at least 8 characters, in characters
assert_exit "init with a 1-character passphrase: exit 64" 64 "$ANFANG" \
    init --db "$T_TMP/data/short.db" --kdf interactive --passphrase-fd 3 \
    3<<<'x'
assert_contains "says the minimum" "at least 8 characters" "$T_ERR"
assert_exit "init with 7 characters: exit 64" 64 "$ANFANG" init \
    --db "$T_TMP/data/short.db" --kdf interactive --passphrase-fd 3 \
    3<<<'seven77'
# 7 CJK characters are 21 bytes: still too short
assert_exit "init with 7 Chinese characters (21 bytes): exit 64" 64 \
    "$ANFANG" init --db "$T_TMP/data/short.db" --kdf interactive \
    --passphrase-fd 3 3<<<'七個中文字符號'
if [ -e "$T_TMP/data/short.db" ]; then
	t_fail "no database made for a short passphrase" "made"
else
	t_ok "no database made for a short passphrase"
fi
assert_exit "init with 8 Chinese characters: exit 0" 0 "$ANFANG" init \
    --db "$T_TMP/data/cjk.db" --kdf interactive --passphrase-fd 3 \
    3<<<'八個中文字符號碼'
assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"

# --- passwd: the new passphrase twice
assert_exit "passwd, new passphrases differ: exit 64" 64 "$ANFANG" passwd \
    --db "$db" --passphrase-fd 3 3<<<'options test pass
new passphrase 1
new passphrase 2'
assert_contains "passwd: says they differ" "differ" "$T_ERR"
assert_exit "passwd, the new one only once: exit 64" 64 "$ANFANG" passwd \
    --db "$db" --passphrase-fd 3 3<<<'options test pass
new passphrase 1'
assert_exit "passwd to a short one: exit 64" 64 "$ANFANG" passwd \
    --db "$db" --passphrase-fd 3 3<<<'options test pass
short
short'
assert_exit "after the refusals the passphrase is unchanged" 0 an list
assert_exit "passwd with the new one twice: exit 0" 0 "$ANFANG" passwd \
    --db "$db" --passphrase-fd 3 3<<<'options test pass
options test pass 2
options test pass 2'
printf 'options test pass 2\n' >"$PASS"
assert_exit "the new passphrase opens it" 0 an list

# --- numbers: strict, with their range
for bad in 99999999999999999999999 -1 +3 ' 3' 0x10 1e3 ''; do
	assert_exit "list --limit '$bad': exit 64" 64 an list --limit "$bad"
	assert_contains "list --limit '$bad': says the range" \
	    "is not a whole number from 0 to" "$T_ERR"
done
assert_exit "list --limit 3: exit 0" 0 an list --limit 3
# an escape typed or pasted into a number is shown, not sent to the terminal
assert_exit "list --limit with an escape: exit 64" 64 an list --limit $'1\e[2J'
assert_contains "list --limit: the escape made visible" '"1\x1b[2J"' "$T_ERR"
# ... and in every other message that names what was typed
for args in "show zx"$'\e[2J' "list --status x"$'\e[2J' \
    "alerts --severity x"$'\e[2J' "x"$'\e[2J' \
    "amend zx"$'\e[2J'" q 1 --reason r" \
    "record --form x"$'\e[2J'" --unit u --answers a.json"; do
	# shellcheck disable=SC2086 # the words of each command line
	t_run an $args
	assert_contains "${args%%$'\e'*}...: the escape made visible" \
	    'x\x1b[2J' "$T_ERR"
	assert_not_contains "${args%%$'\e'*}...: no raw escape" $'\e' "$T_ERR"
done
assert_exit "--db with an escape: exit 66" 66 "$ANFANG" --db "$T_TMP/x"$'\e[2J' \
    list
assert_contains "--db: the escape made visible" "x\x1b[2J: no database" \
    "$T_ERR"
assert_exit "--passphrase-fd 99999999999999999999: exit 64" 64 \
    "$ANFANG" list --db "$db" --passphrase-fd 99999999999999999999
assert_exit "--lock-after 1e3: exit 64" 64 "$ANFANG" --db "$db" \
    --lock-after 1e3
assert_exit "--lock-after 86401: exit 64" 64 "$ANFANG" --db "$db" \
    --lock-after 86401
assert_exit "record --form ID@VERSION not a number: exit 64" 64 an record \
    --form service-window@x --unit "$UNIT" --answers "$ANSWERS"

# --- free text: capped
# 131,000 bytes: about the most one argument can be
long=$(head -c 131000 /dev/zero | tr '\0' a)
assert_exit "record --division of 131,000 bytes: exit 64" 64 an record \
    --form service-window --unit "$UNIT" --answers "$ANSWERS" \
    --division "$long"
assert_contains "--division: says the cap" "more than the 200 allowed" \
    "$T_ERR"
assert_exit "record --reason of 131,000 bytes: exit 64" 64 an record \
    --form service-window --unit "$UNIT" --answers "$ANSWERS" \
    --reason "wait=$long"
assert_contains "--reason: says the cap" "more than the 1000 allowed" \
    "$T_ERR"
assert_exit "record --person with an escape: exit 64" 64 an record \
    --form service-window --unit "$UNIT" --answers "$ANSWERS" \
    --person $'a\e]0;x\a'
assert_exit "keyring add --label of 131,000 bytes: exit 64" 64 an keyring add \
    "$T_TMP/none.pub" --label "$long"
assert_contains "--label: says the cap" "more than the 100 allowed" \
    "$T_ERR"
cjk=$(printf '名%.0s' $(seq 1 200))
assert_exit "record --division of 200 Chinese characters (600 bytes): ok" \
    0 an record --form service-window --unit "$UNIT" --answers "$ANSWERS" \
    --division "$cjk"

# --- record: every problem at once
sed -e 's/"people_waiting": 7/"people_waiting": -4/' \
    -e 's/"attitude": 3/"attitude": 9/' "$ANSWERS" >"$T_TMP/range.json"
assert_exit "record, two answers out of range: exit 65" 65 an record \
    --form service-window --unit "$UNIT" --answers "$T_TMP/range.json"
assert_contains "people_waiting named" "people_waiting: -4" "$T_ERR"
assert_contains "attitude named" "attitude: 9" "$T_ERR"
sed -e 's/"people_waiting": 7/"people_waiting": "many"/' \
    -e 's/"attitude": 3/"attitude": "x", "nosuch": 1/' "$ANSWERS" \
    >"$T_TMP/types.json"
assert_exit "record, two wrong types and an unknown question: exit 65" 65 \
    an record --form service-window --unit "$UNIT" \
    --answers "$T_TMP/types.json"
assert_contains "people_waiting named" "people_waiting: a count answer" \
    "$T_ERR"
assert_contains "attitude named" "attitude: a scale answer" "$T_ERR"
assert_contains "the unknown question named" "nosuch: no such question" \
    "$T_ERR"
assert_eq "one line each" 3 "$(printf '%s\n' "$T_ERR" | grep -c .)"

# --- export: exit codes, and --out made
assert_exit "record a draft" 0 an record --form service-window \
    --unit "$UNIT" --answers "$ANSWERS"
draft=$T_OUT
assert_exit "export of a draft: exit 65" 65 an export --out "$T_TMP/out" \
    "$draft"
assert_contains "export: says it is a draft" "is draft" "$T_ERR"
assert_exit "export of an unknown visit: exit 66" 66 an export \
    --out "$T_TMP/out" zzzzzzzzzzzz
assert_exit "export of an unknown visit with an escape: exit 66" 66 an export \
    --out "$T_TMP/out" $'zz\e[2J'
assert_contains "export: the escape made visible" 'no visit "zz\x1b[2J"' "$T_ERR"
assert_exit "export --again of an unknown batch: exit 66" 66 an export \
    --again zzzzzzzzzzzz --out "$T_TMP/out"
sed -e 's/"favours": "yes"/"favours": "no"/' \
    -e 's/ "favour_kind": \["unlisted_fee"\], "fee_amount": 200, "receipt_given": "no",//' \
    "$ANSWERS" >"$T_TMP/nofee.json"
assert_exit "record a final visit without a fee" 0 an record \
    --form service-window --unit "$UNIT" --answers "$T_TMP/nofee.json" \
    --finalize
final=$T_OUT
assert_exit "export --out a missing directory whose parent is missing: 74" \
    74 an export --out "$T_TMP/nope/out" "$final"
if [ -e "$T_TMP/nope" ]; then
	t_fail "its parent not made" "made"
else
	t_ok "its parent not made"
fi
assert_exit "export --out a missing directory: exit 0" 0 an export \
    --out "$T_TMP/out" "$final"
assert_eq "the directory is made 0700" 700 "$(stat -c %a "$T_TMP/out")"
assert_eq "the batch is in it" 1 "$(find "$T_TMP/out" -name '*.jsonl' |
    grep -c .)"

# --- messages name their question once
assert_exit "record a final visit" 0 an record --form service-window \
    --unit "$UNIT" --answers "$T_TMP/nofee.json" --finalize
v=$T_OUT
assert_exit "amend a hidden question: exit 65" 65 an amend "$v" fee_amount \
    100 --reason x
assert_eq "fee_amount named once" 1 "$(grep -o fee_amount <<<"$T_ERR" |
    grep -c .)"
assert_exit "amend with a wrong type: exit 65" 65 an amend "$v" attitude \
    '"x"' --reason x
assert_eq "attitude named once" 1 "$(grep -o attitude <<<"$T_ERR" |
    grep -c .)"

# --- --help names the UI's options
assert_exit "--help" 0 "$ANFANG" --help
assert_contains "--help: --lock-after" "--lock-after SECONDS" "$T_OUT"
assert_contains "--help: --kdf" "--kdf LEVEL" "$T_OUT"

# --- output that cannot be written is an error, not a silent loss
if [ -w /dev/full ]; then
	to_full()
	{
		"$@" >/dev/full
	}
	for cmd in "list" "show $v" "show $v --json" "alerts" "report" \
	    "report --format csv --table visits" "forms list"; do
		# shellcheck disable=SC2086 # the words of the command
		assert_exit "$cmd to a full disk: exit 74" 74 to_full an $cmd
		assert_contains "$cmd to a full disk: says so" \
		    "writing" "$T_ERR"
		assert_eq "$cmd to a full disk: one line" 1 \
		    "$(grep -c . <<<"$T_ERR")"
	done
	for cmd in "report" "report --format json"; do
		# shellcheck disable=SC2086 # the words of the command
		t_run to_full an $cmd
		assert_eq "$cmd to a full disk: says why" \
		    "anfang: writing to standard output failed: No space left on device" \
		    "$T_ERR"
	done
	assert_exit "--help to a full disk: exit 74" 74 to_full "$ANFANG" \
	    --help
else
	t_skip "output to a full disk" "no writable /dev/full"
fi

t_done
