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
# is stopped.  Exits 1 if any test failed.

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
	local sock
	for sock in "$runtmp"/tmp/*/tmux-*/anfang-test-* \
	    "$runtmp"/tmp/tmux-*/anfang-test-*; do
		[ -S "$sock" ] && tmux -S "$sock" kill-server >/dev/null 2>&1
	done
	return 0
}
trap 'sweep; rm -rf "$runtmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

timeout_s=${E2E_TIMEOUT:-600}
failed_tests=0
for t in "$@"; do
	name=$(basename "$t" .sh)
	echo "== ${variant}$name"
	mkdir -p "$runtmp/tmp"
	: >"$runtmp/results"
	RESULTS=$runtmp/results TMPDIR=$runtmp/tmp \
	    timeout -k 10 "$timeout_s" bash "$t"
	rc=$?
	sweep
	rm -rf "$runtmp/tmp"

	line=$(grep '^e2e ' "$runtmp/results" | tail -n 1)
	if [ -z "$line" ]; then
		[ "$rc" -eq 124 ] && echo "e2e: $name: timed out after" \
		    "${timeout_s}s" >&2
		echo "e2e: $name: recorded no result (exit status $rc)" >&2
		line="e2e ${variant}$name 0 1"
	elif [ "$rc" -ne 0 ]; then
		read -r suite tname passed failed <<<"$line"
		if [ "$failed" -eq 0 ]; then
			echo "e2e: $name: exit status $rc with no failure" \
			    "recorded" >&2
			line="$suite $tname $passed 1"
		fi
	fi
	echo "$line" >>"$results"
	case $line in
	*" 0") ;;
	*) failed_tests=$((failed_tests + 1)) ;;
	esac
done

[ "$failed_tests" -eq 0 ]
