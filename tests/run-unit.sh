#!/usr/bin/env bash
# Run cmocka unit-test binaries and record their counts.
#
#   tests/run-unit.sh RESULTS BIN...
#
# Each binary's own output is shown (cmocka's "[==========] N test(s) run.",
# "[  PASSED  ] N test(s)." and "[  FAILED  ] ..." lines included), then one
# line per binary is appended to RESULTS:
#
#   unit NAME PASSED FAILED
#
# NAME is the file name, prefixed with the build variant for builds other
# than the default one: build/unit/test-form is "test-form",
# build/san/unit/test-form is "san/test-form".
#
# A binary that crashes, hangs (UNIT_TIMEOUT seconds, default 300), cannot be
# run, prints no cmocka summary, or exits non-zero although every test passed
# (a LeakSanitizer report at exit, say) counts one failure more, with a
# line saying why.  All binaries run, UNIT_JOBS of them at once (default
# 1), the longest first (tests/costs), each one's output shown whole when
# it ends; the exit status is 1 when any of them failed.

# shellcheck disable=SC2317 # the functions pool_run calls
set -u

# shellcheck source=tests/pool.sh
. "$(dirname "$0")/pool.sh"

if [ $# -lt 1 ]; then
	echo "usage: tests/run-unit.sh RESULTS BIN..." >&2
	exit 64
fi
results=$1
shift

timeout_s=${UNIT_TIMEOUT:-300}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/anfang-unit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# unit_name PATH: the name recorded for a binary, in pool_name.
unit_name()
{
	local path=$1 base dir variant
	base=${path##*/}
	dir=${path%/*}
	[ "$dir" = "$path" ] && dir=.
	# build/VARIANT/unit/test-x -> VARIANT/test-x
	case $dir in
	build/*/unit | */build/*/unit)
		variant=${dir%/unit}
		variant=${variant##*/}
		pool_name=$variant/$base
		;;
	*)
		pool_name=$base
		;;
	esac
}

# sum_counts REGEX FILE: add up the first number of every matching line.
sum_counts()
{
	local line n total=0
	while IFS= read -r line; do
		n=${line#*\] }
		n=${n%% *}
		case $n in
		'' | *[!0-9]*) continue ;;
		esac
		total=$((total + n))
	done < <(grep -E "$1" "$2")
	echo "$total"
}

# run_bin BIN DIR: run one binary, its output to DIR/show and its record
# line to DIR/verdict.
run_bin()
{
	local bin=$1 dir=$2 name out err all note rc runs passed failed
	unit_name "$bin"
	name=$pool_name
	out=$dir/out
	err=$dir/err
	all=$dir/show
	: >"$out"
	: >"$err"
	note=""
	if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
		rc=127
		note="not found or not executable"
	else
		# stdout and stderr apart: cmocka prints its progress to a
		# (buffered) stdout and its summary to stderr, and shown in
		# that order they read as cmocka meant them to.
		CMOCKA_MESSAGE_OUTPUT=stdout timeout -k 10 "$timeout_s" \
		    "$bin" >"$out" 2>"$err"
		rc=$?
		[ "$rc" -eq 124 ] && note="timed out after ${timeout_s}s"
	fi
	cat "$out" "$err" >"$all"

	runs=$(grep -cE '^\[==========\] [0-9]+ test\(s\) run\.' "$all")
	passed=$(sum_counts '^\[  PASSED  \] [0-9]+ test\(s\)\.' "$all")
	failed=$(sum_counts '^\[  FAILED  \] [0-9]+ test\(s\), listed below' \
	    "$all")

	if [ "$runs" -eq 0 ] || { [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] &&
	    [ "$rc" -ne 0 ]; }; then
		# No summary: it crashed (or never started).  Credit the
		# tests that reported OK and count the binary as one failure.
		passed=$(grep -cE '^\[       OK \] ' "$out")
		failed=1
		[ -z "$note" ] && note="no cmocka summary (exit status $rc)"
	elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1
		[ -z "$note" ] && note="exit status $rc although no test failed"
	fi
	if [ -n "$note" ]; then
		echo "run-unit: $bin: $note" >>"$all"
	fi
	echo "unit $name $passed $failed" >"$dir/verdict"
}

pool_order unit unit_name "$@"
pool_run "${UNIT_JOBS:-1}" run_bin unit "$tmp" "${POOL_ORDER[@]}"

exit "$pool_failed"
