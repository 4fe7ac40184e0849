# shellcheck shell=bash
# Helpers for the batch tests (test-batch-*.sh).  Source it after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/batch-lib.sh"
#
# It sets PASS (a passphrase file in T_TMP) and FORMS (the repository's
# forms; a test may point it elsewhere), and defines:
#
#   an DB ARGS...       anfang on database DB (--forms $FORMS), passphrase
#                       from PASS on fd 3
#   bt_init NAME        a new database $T_TMP/db/NAME.db (--kdf interactive),
#                       recorded as a check; prints nothing
#   bt_key DB OUT       `key show` of DB into the file OUT (a check)
#   bt_fill NAME N      bt_init NAME, then N finalized visits of the
#                       service-window form in it (tests/tools/db-fill);
#                       ends the test when the tool is missing
#   json_flat           JSON on stdin as one "PATH=VALUE" line per scalar
#                       (the flattener of test-record.sh)
#   flip_each SRC PRE SUF [FROM [TO]]
#                       for each byte offset i in [FROM, TO) of SRC (any
#                       bytes, NUL too) write PRE<i>SUF: a copy of SRC with
#                       byte i XOR 0x01 (so never the same file); no fork
#                       per file
#   cut_each SRC PRE SUF [LENGTHS...]
#                       PRE<n>SUF for each length n (default: every length
#                       from 0 to size-1): SRC cut to its first n bytes
#   assert_refused NAME CODE NEEDLE CMD...
#                       CMD exits with CODE (or, for CODE "fail", with any
#                       status from 1 to 127), prints one line in all
#                       (stdout and stderr together) holding NEEDLE, and no
#                       sanitizer report on stderr

# A sed script for a visit line of format 2: one digit of its trail's
# head hash changed (0 to 1, anything else to 0).
# shellcheck disable=SC2034
FLIP_HEAD='s/"audit_head":"0/"audit_head":"X/
s/"audit_head":"[1-9a-f]/"audit_head":"0/
s/"audit_head":"X/"audit_head":"1/'

PASS=$T_TMP/pass
printf 'batch test pass\n' >"$PASS"
FORMS=$T_ROOT/forms
mkdir -p "$T_TMP/db"

an()
{
	local db=$1
	shift
	"$ANFANG" --db "$db" --forms "$FORMS" "$@" --passphrase-fd 3 3<"$PASS"
}

bt_init()
{
	assert_exit "init $1" 0 "$ANFANG" init --db "$T_TMP/db/$1.db" \
	    --kdf interactive --passphrase-fd 3 3<"$PASS"
}

bt_fill()
{
	if [ ! -x "$ANFANG_TOOLS/db-fill" ]; then
		t_fail "db-fill tool" "not found in '$ANFANG_TOOLS'"
		t_done
	fi
	bt_init "$1"
	assert_exit "$1: $2 finalized visits" 0 "$ANFANG_TOOLS/db-fill" \
	    "$T_TMP/db/$1.db" "$FORMS" service-window \
	    "$T_ROOT/tests/bench/answers-zh.json" "$2" 1 <"$PASS"
}

bt_key()
{
	assert_exit "key show ($(basename "$1" .db))" 0 an "$1" key show
	printf '%s\n' "$T_OUT" >"$2"
}

# _bt_escaped SRC: the bytes of SRC as "\xHH" escapes in _BT_ESC.
_bt_escaped()
{
	local -a hx
	local h
	read -r -a hx <<<"$(od -An -v -tx1 "$1" | tr '\n' ' ')"
	_BT_ESC=
	for h in "${hx[@]}"; do
		_BT_ESC+="\\x$h"
	done
}

flip_each()
{
	local pre=$2 suf=$3 from=${4:-0} to=${5:-} i b e
	_bt_escaped "$1"
	[ -n "$to" ] || to=$((${#_BT_ESC} / 4))
	for ((i = from; i < to; i++)); do
		e=${_BT_ESC:4*i+2:2}
		printf -v b '%02x' $((16#$e ^ 1))
		printf '%b' "${_BT_ESC:0:4*i}\\x$b${_BT_ESC:4*i+4}" \
		    >"$pre$i$suf"
	done
}

cut_each()
{
	local pre=$2 suf=$3 n
	_bt_escaped "$1"
	shift 3
	if [ $# -eq 0 ]; then
		for ((n = 0; n < ${#_BT_ESC} / 4; n++)); do
			printf '%b' "${_BT_ESC:0:4*n}" >"$pre$n$suf"
		done
		return 0
	fi
	for n in "$@"; do
		printf '%b' "${_BT_ESC:0:4*n}" >"$pre$n$suf"
	done
}

assert_refused()
{
	local name=$1 code=$2 needle=$3 all lines
	shift 3
	t_run "$@"
	all=$(cat "$T_OUTFILE" "$T_ERRFILE")
	lines=$(printf '%s' "$all" | grep -c '')
	if [ "$code" = fail ] &&
	    { [ "$T_STATUS" -eq 0 ] || [ "$T_STATUS" -ge 128 ]; }; then
		t_fail "$name" "exit $T_STATUS, not a refusal (1 to 127)"
	elif [ "$code" != fail ] && [ "$T_STATUS" -ne "$code" ]; then
		t_fail "$name" "exit $T_STATUS, not $code"
	elif [ "$lines" -ne 1 ]; then
		t_fail "$name" "$lines lines of output, not one"
	elif [[ $all != *"$needle"* ]]; then
		t_fail "$name" "'$needle' not in the line"
	elif [[ $T_ERR == *Sanitizer* || $T_ERR == *"runtime error"* ]]; then
		t_fail "$name" "sanitizer output"
	else
		t_ok "$name"
		return 0
	fi
	printf '%s\n' "$all" | _t_indent
	return 1
}
