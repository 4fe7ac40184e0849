#!/usr/bin/env bash
# Benchmarks: figures to read, never pass/fail.
#
#   ANFANG=build/anfang tests/bench/run.sh [NAME...]
#
# Run by `make bench`, which has built $ANFANG and build/bench/bench-run;
# this script builds nothing.  With no NAME every benchmark runs, in the
# order of BENCHES; `tests/bench/run.sh forms_check` runs one.  Each prints a
# heading line, then its figures with the target beside them.  The exit
# status is 1 only when a benchmark could not run (its command failed).
#
# Adding one: write a function bench_NAME that prints its heading with
# `heading`, measures with
#   measure KEY OP LIMIT TEXT -- [bench-run options] -- CMD...
# and returns non-zero if it could not run; then add NAME to BENCHES.
# Generated data goes to build/bench/.  HOME, XDG_DATA_HOME and
# XDG_CONFIG_HOME point into $BENCH_HOME, a fresh directory removed at exit,
# so a benchmark that needs a database makes it there.

# Benchmarks are called by name: bench_$name.
# shellcheck disable=SC2317
set -u

BENCHES="forms_check"

root=$(cd "$(dirname "$0")/../.." && pwd -P)
# Paths given relative to the caller's directory, before moving to the root.
abs()
{
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*/*) printf '%s/%s\n' "$PWD" "$1" ;;
	*) command -v "$1" || printf '%s\n' "$1" ;;
	esac
}
ANFANG=$(abs "${ANFANG:-$root/build/anfang}")
BENCH_RUN=$(abs "${BENCH_RUN:-$root/build/bench/bench-run}")
cd "$root" || exit 1
out=build/bench

BENCH_HOME=$(mktemp -d "${TMPDIR:-/tmp}/anfang-bench.XXXXXX") || exit 1
trap 'rm -rf "$BENCH_HOME"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export HOME=$BENCH_HOME/home
export XDG_DATA_HOME=$BENCH_HOME/data
export XDG_CONFIG_HOME=$BENCH_HOME/config
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
unset ANFANG_DB
export LC_ALL=C.UTF-8

# heading TEXT: a benchmark's first line.
heading()
{
	printf '%s\n' "$*"
}

# field KEY LINE: the value of KEY=value in a bench-run result line.
field()
{
	local kv
	# shellcheck disable=SC2086 # split into its pairs
	for kv in $2; do
		case $kv in
		"$1"=*)
			printf '%s\n' "${kv#*=}"
			return 0
			;;
		esac
	done
	return 1
}

# measure KEY OP LIMIT TEXT -- [bench-run options] -- CMD...
# Runs bench-run and prints its figures, then "(target: TEXT)" and whether
# the figure KEY (median_ms, p99_ms, maxrss_mib, ...) met "KEY OP LIMIT"
# (OP is < or <=).  Returns non-zero when the command failed.
measure()
{
	local key=$1 op=$2 limit=$3 text=$4 result rc value verdict
	shift 4
	[ "${1:-}" = -- ] && shift
	local -a opts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	result=$("$BENCH_RUN" "${opts[@]}" -- "$@")
	rc=$?
	if [ -z "$result" ]; then
		printf '  could not run: %s\n' "$*"
		return 1
	fi
	verdict=""
	if value=$(field "$key" "$result"); then
		if awk -v v="$value" -v l="$limit" -v op="$op" 'BEGIN {
		    exit !(op == "<" ? v + 0 < l + 0 : v + 0 <= l + 0) }'; then
			verdict="met"
		else
			verdict="MISSED"
		fi
	fi
	printf '  %s  (target: %s; %s)\n' "$result" "$text" "$verdict"
	if [ "$rc" -ne 0 ]; then
		printf '  the command failed; run it by hand: %s\n' "$*"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------------------

# forms check of a generated form of 2000 questions (sections of 50, every
# type, show_if and checks throughout, 100 inline units).
bench_forms_check()
{
	local form=$out/form-2000.yaml size
	mkdir -p "$out"
	tests/bench/gen-form.sh 2000 >"$form" || return 1
	size=$(wc -c <"$form")
	heading "forms check, 2000 questions ($form, $((size / 1024)) KiB):"
	if ! "$ANFANG" forms check "$form" >/dev/null; then
		printf '  the form does not pass forms check (above)\n'
		return 1
	fi
	measure median_ms "<" 50 "median < 50 ms" \
	    -- -n 30 -w 3 -- "$ANFANG" forms check "$form"
}

# ---------------------------------------------------------------------------

if [ ! -x "$ANFANG" ]; then
	echo "bench: ANFANG=$ANFANG is not an executable file" >&2
	exit 1
fi
if [ ! -x "$BENCH_RUN" ]; then
	echo "bench: $BENCH_RUN is missing (make build/bench/bench-run)" >&2
	exit 1
fi

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2086 # a list of names
	set -- $BENCHES
fi
status=0
for name in "$@"; do
	case " $BENCHES " in
	*" $name "*) ;;
	*)
		echo "bench: no benchmark '$name' (there are: $BENCHES)" >&2
		status=1
		continue
		;;
	esac
	"bench_$name" || status=1
done
exit "$status"
