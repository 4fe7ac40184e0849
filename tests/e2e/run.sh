#!/usr/bin/env bash
# Run the end-to-end tests.
#
#   ANFANG=build/anfang tests/e2e/run.sh RESULTS [TEST...]
#
# Runs each tests/e2e/test-*.sh (or the TESTs named) with bash, in its own
# process and its own TMPDIR, with ANFANG made absolute and RESULTS exported.
# Each test appends "e2e NAME PASSED FAILED" to RESULTS through lib.sh; one
# that records nothing (killed, or never got as far as sourcing lib.sh)
# counts as one failure, and so does one that exits non-zero while claiming
# no failure.  A test running longer than E2E_TIMEOUT seconds (default 600)
# is stopped.  E2E_JOBS tests (default 3: most of a test's time is waiting
# on a terminal, a KDF or a disk) run at once; each one's output is printed
# whole when it ends, with its time.  A test whose file says
# "# e2e: normal build only" is not run for build/san/anfang (it does not
# exercise the binary's code, or only its timing); it is then listed as
# not run, and counts as neither passed nor failed.  Exits 1 if any test
# failed.

set -u

if [ $# -lt 1 ]; then
	echo "usage: tests/e2e/run.sh RESULTS [TEST...]" >&2
	exit 64
fi
results=$1
shift
case $results in
/*) ;;
*) results=$PWD/$results ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd -P)
: "${ANFANG:=$root/build/anfang}"
case $ANFANG in
/*) ;;
*/*) ANFANG=$(cd "$(dirname "$ANFANG")" 2>/dev/null && pwd -P)/${ANFANG##*/} ;;
*) ANFANG=$(command -v "$ANFANG" || echo "$ANFANG") ;;
esac
export ANFANG

# The name a test records under: test-x, or san/test-x for build/san/anfang
# (the same rule as lib.sh).
variant=
case $ANFANG in
"$root"/build/*/anfang)
	variant=${ANFANG#"$root"/build/}
	variant=${variant%/anfang}/
	;;
esac

if [ $# -eq 0 ]; then
	set -- "$root"/tests/e2e/test-*.sh
	[ -e "$1" ] || set --
fi
if [ $# -eq 0 ]; then
	echo "e2e: no tests in tests/e2e/" >&2
	exit 0
fi

if [ ! -x "$ANFANG" ]; then
	echo "e2e: ANFANG=$ANFANG is not an executable file" >&2
	echo "e2e ${variant}anfang-missing 0 1" >>"$results"
	exit 1
fi

runtmp=$(mktemp -d "${TMPDIR:-/tmp}/anfang-e2e-run.XXXXXX") || exit 1
# Stop any tmux server a test left behind (one killed before its EXIT trap
# ran): their sockets are all under the test's TMPDIR.
sweep()
{
	local sock dir=$1
	for sock in "$dir"/tmp/*/tmux-*/anfang-test-* \
	    "$dir"/tmp/tmux-*/anfang-test-*; do
		[ -S "$sock" ] && tmux -S "$sock" kill-server >/dev/null 2>&1
	done
	return 0
}
cleanup()
{
	local d
	for d in "$runtmp"/*/; do
		[ -d "$d" ] && sweep "$d"
	done
	rm -rf "$runtmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

timeout_s=${E2E_TIMEOUT:-600}
jobs_max=${E2E_JOBS:-3}

# One test in its own directory; its verdict line goes to $dir/verdict.
run_one()
{
	local t=$1 dir=$2 name rc line suite tname passed failed start
	name=$(basename "$t" .sh)
	mkdir -p "$dir/tmp"
	: >"$dir/results"
	start=$SECONDS
	{
		echo "== ${variant}$name"
		RESULTS=$dir/results TMPDIR=$dir/tmp \
		    timeout -k 10 "$timeout_s" bash "$t" </dev/null
		rc=$?
		sweep "$dir"
		line=$(grep '^e2e ' "$dir/results" | tail -n 1)
		if [ -z "$line" ]; then
			[ "$rc" -eq 124 ] && echo "e2e: $name: timed out" \
			    "after ${timeout_s}s"
			echo "e2e: $name: recorded no result (exit status $rc)"
			line="e2e ${variant}$name 0 1"
		elif [ "$rc" -ne 0 ]; then
			read -r suite tname passed failed <<<"$line"
			if [ "$failed" -eq 0 ]; then
				echo "e2e: $name: exit status $rc with no" \
				    "failure recorded"
				line="$suite $tname $passed 1"
			fi
		fi
		echo "$line" >"$dir/verdict"
		echo "== ${variant}$name: $((SECONDS - start)) s"
	} >"$dir/log" 2>&1
	rm -rf "$dir/tmp"
}

# Print and record a finished test.
finish_one()
{
	local dir=$1 line
	cat "$dir/log"
	line=$(cat "$dir/verdict" 2>/dev/null)
	[ -n "$line" ] || line="e2e ${variant}$(basename "$dir") 0 1"
	echo "$line" >>"$results"
	case $line in
	*" 0") ;;
	*) failed_tests=$((failed_tests + 1)) ;;
	esac
	rm -rf "$dir"
}

failed_tests=0
n=0
declare -A running=()
for t in "$@"; do
	if [ "$variant" = san/ ] &&
	    grep -qx '# e2e: normal build only' "$t" 2>/dev/null; then
		echo "== ${variant}$(basename "$t" .sh): not run (normal build only)"
		continue
	fi
	while [ "${#running[@]}" -ge "$jobs_max" ]; do
		wait -n 2>/dev/null
		for pid in "${!running[@]}"; do
			if ! kill -0 "$pid" 2>/dev/null; then
				wait "$pid" 2>/dev/null
				finish_one "${running[$pid]}"
				unset "running[$pid]"
			fi
		done
	done
	n=$((n + 1))
	dir=$runtmp/$n
	mkdir -p "$dir"
	run_one "$t" "$dir" &
	running[$!]=$dir
done
for pid in "${!running[@]}"; do
	wait "$pid" 2>/dev/null
	finish_one "${running[$pid]}"
done

[ "$failed_tests" -eq 0 ]
