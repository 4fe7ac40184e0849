#!/usr/bin/env bash
# Run the end-to-end tests.
#
#   ANFANG=build/anfang tests/e2e/run.sh RESULTS [TEST...]
#   E2E_BUILDS="build/san/anfang build/anfang" tests/e2e/run.sh RESULTS
#
# Runs each tests/e2e/test-*.sh (or the TESTs named) with bash, in its own
# process and its own TMPDIR, with ANFANG made absolute and RESULTS exported,
# once for each binary of E2E_BUILDS (default: $ANFANG alone), with
# ANFANG_TOOLS the tools beside it (build/san/tools for build/san/anfang)
# unless one build is run and ANFANG_TOOLS is set.  All builds' runs share
# one pool, so the slow sanitizer runs fill the time the normal ones spend
# waiting on a terminal.
#
# Each test appends "e2e NAME PASSED FAILED" to RESULTS through lib.sh; one
# that records nothing (killed, or never got as far as sourcing lib.sh)
# counts as one failure, and so does one that exits non-zero while claiming
# no failure.  A test running longer than E2E_TIMEOUT seconds (default 600)
# is stopped.  E2E_JOBS tests (default: one more than the cores, as a test
# also waits on a terminal or a disk; on two cores four at once spent a
# fifth more CPU, in each other's way, and ended later than three) run at
# once, the longest first (tests/costs); each one's output is printed whole
# when it ends, with its time.
# A test whose file has a line
# "# e2e: normal build only[: WHY]" is not run for build/san/anfang: what
# it checks is the files' or the clock's doing, or its code meets the
# sanitizer in a unit test or a fuzzer already (WHY says which), and the
# sanitizer build's runs are most of make check's time.  It is then listed
# as not run, and counts as neither passed nor failed.  Exits 1 if any test
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
# shellcheck source=tests/pool.sh
. "$root/tests/pool.sh"

# absolute BINARY: the binary's path made absolute.
absolute()
{
	local d
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*/*)
		d=$(cd "$(dirname "$1")" 2>/dev/null && pwd -P) ||
		    d=$(dirname "$1")
		printf '%s/%s\n' "$d" "${1##*/}"
		;;
	*) command -v "$1" || printf '%s\n' "$1" ;;
	esac
}

# variant_of BINARY: set variant to the prefix a test records under: ""
# for test-x, "san/" for build/san/anfang's san/test-x (the same rule as
# lib.sh).
variant_of()
{
	variant=
	case $1 in
	"$root"/build/*/anfang)
		variant=${1#"$root"/build/}
		variant=${variant%anfang}
		;;
	esac
}

if [ $# -eq 0 ]; then
	set -- "$root"/tests/e2e/test-*.sh
	[ -e "$1" ] || set --
fi
if [ $# -eq 0 ]; then
	echo "e2e: no tests in tests/e2e/" >&2
	exit 0
fi

# The builds to run, each with its variant and tools; a missing binary is
# recorded as one failure and its tests are not run.
builds=()
missing=0
for b in ${E2E_BUILDS:-${ANFANG:-$root/build/anfang}}; do
	b=$(absolute "$b")
	if [ ! -x "$b" ]; then
		echo "e2e: $b is not an executable file" >&2
		variant_of "$b"
		echo "e2e ${variant}anfang-missing 0 1" >>"$results"
		missing=$((missing + 1))
		continue
	fi
	builds+=("$b")
done
[ "${#builds[@]}" -gt 0 ] || exit 1
one_tools=
if [ "${#builds[@]}" -eq 1 ] && [ -n "${ANFANG_TOOLS:-}" ]; then
	one_tools=$(cd "$ANFANG_TOOLS" 2>/dev/null && pwd -P) ||
	    one_tools=$ANFANG_TOOLS
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
jobs_max=${E2E_JOBS:-$(($(nproc 2>/dev/null || echo 2) + 1))}

# cpu_of TIMES: the user and system seconds of the children in the output
# of `times` (taken in the shell that waited for them: a command
# substitution's subshell has no children yet).
cpu_of()
{
	awk 'function sec(x, m) {
		m = x; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", x); sub(/s$/, "", x)
		return m * 60 + x
	} NR == 2 { printf "%.1f", sec($1) + sec($2) }' "$1"
}

# One test with one build in its own directory; its verdict line goes to
# $dir/verdict.
run_one()
{
	local t=$1 dir=$2 variant=$3 name rc line suite tname passed failed start
	name=$(basename "$t" .sh)
	mkdir -p "$dir/tmp"
	: >"$dir/results"
	start=$SECONDS
	{
		echo "== ${variant}$name"
		RESULTS=$dir/results TMPDIR=$dir/tmp ANFANG=$ANFANG \
		    ANFANG_TOOLS=$ANFANG_TOOLS timeout -k 10 "$timeout_s" bash "$t" </dev/null
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
		# the test and what it ran itself; programs started inside tmux
		# belong to tmux's server and are not counted
		times >"$dir/times"
		echo "== ${variant}$name: $((SECONDS - start)) s" \
		    "(CPU $(cpu_of "$dir/times") s outside tmux)"
	} >"$dir/show" 2>&1
	rm -rf "$dir/tmp"
}

# e2e_name "BUILD<TAB>TEST": the name it records under, in pool_name.
e2e_name()
{
	local t=${1#*$'\t'} variant
	t=${t##*/}
	variant_of "${1%%$'\t'*}"
	pool_name=$variant${t%.sh}
}

# e2e_one "BUILD<TAB>TEST" DIR: one test with one build, for pool_run.
e2e_one()
{
	local b=${1%%$'\t'*} t=${1#*$'\t'} variant

	variant_of "$b"
	ANFANG=$b ANFANG_TOOLS=${one_tools:-${b%/*}/tools} \
	    run_one "$t" "$2" "$variant"
}

# Each test with each build, but for the sanitizer build the tests marked
# normal build only.
items=()
for t in "$@"; do
	for b in "${builds[@]}"; do
		variant_of "$b"
		if [ "$variant" = san/ ] &&
		    grep -q '^# e2e: normal build only' "$t" 2>/dev/null; then
			echo "== ${variant}$(basename "$t" .sh): not run" \
			    "(normal build only)"
			continue
		fi
		items+=("$b"$'\t'"$t")
	done
done
pool_order e2e e2e_name "${items[@]}"
pool_run "$jobs_max" e2e_one e2e "$runtmp" "${POOL_ORDER[@]}"

[ "$pool_failed" -eq 0 ] && [ "$missing" -eq 0 ]
