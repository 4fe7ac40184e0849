#!/usr/bin/env bash
# Run libFuzzer targets for a while each.
#
#   tests/fuzz/run.sh SECONDS RESULTS FUZZER...
#
# FUZZER is a libFuzzer binary build/fuzz/fuzz-NAME.  Each runs for SECONDS
# over two corpus directories: build/fuzz/corpus-NAME (scratch, created; new
# inputs are written there, as it comes first) and the committed seeds in
# tests/fuzz/corpus/fuzz-NAME (only read), with tests/fuzz/NAME.dict as its
# dictionary when there is one.  Crash, leak and timeout inputs go to
# build/fuzz/artifacts/NAME-*.  libFuzzer's output goes to
# build/fuzz/NAME.log; shown are its final statistics and, when it found
# something, the report.  Records "fuzz NAME 1 0" (nothing found) or
# "fuzz NAME 0 1" in RESULTS.  FUZZ_JOBS fuzzers (default 1) run at once,
# each one's output shown whole when it ends.  Exits 1 if any fuzzer found
# something.

# shellcheck disable=SC2317 # the functions pool_run calls
set -u

# shellcheck source=tests/pool.sh
. "$(dirname "$0")/../pool.sh"

if [ $# -lt 2 ]; then
	echo "usage: tests/fuzz/run.sh SECONDS RESULTS FUZZER..." >&2
	exit 64
fi
seconds=$1
results=$2
shift 2
case $seconds in
'' | *[!0-9]* | 0)
	echo "fuzz: SECONDS must be a positive integer, not '$seconds'" >&2
	exit 64
	;;
esac
if [ $# -eq 0 ]; then
	echo "fuzz: no fuzzers"
	exit 0
fi

root=$(cd "$(dirname "$0")/../.." && pwd -P)
out=$root/build/fuzz
artifacts=$out/artifacts
mkdir -p "$artifacts"

# fuzz_one FUZZER DIR: run one fuzzer; what to show goes to DIR/out and its
# record line to DIR/verdict.
fuzz_one()
{
	local fuzzer=$1 dir=$2 base name scratch seeds log rc start unit args dirs
	base=${fuzzer##*/}
	name=${base#fuzz-}
	scratch=$out/corpus-$name
	# the committed seeds are named after the fuzzer: corpus/fuzz-NAME
	seeds=$root/tests/fuzz/corpus/$base
	log=$out/$name.log
	mkdir -p "$scratch"

	args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
	    -print_final_stats=1 -artifact_prefix="$artifacts/$name-")
	if [ -f "$root/tests/fuzz/$name.dict" ]; then
		args+=(-dict="$root/tests/fuzz/$name.dict")
	fi
	dirs=("$scratch")
	if [ -d "$seeds" ]; then
		dirs+=("$seeds")
	fi

	# (run in a subshell of its own: the redirection ends with it)
	exec >"$dir/show" 2>&1
	echo "fuzz: $name for ${seconds}s (log: ${log#"$root"/})"
	if [ ! -x "$fuzzer" ]; then
		echo "fuzz: $fuzzer: not found or not executable"
		rc=127
	else
		# A stuck fuzzer (libFuzzer's own limits failing) is stopped
		# well after its time.
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
		    timeout -k 10 $((seconds + 300)) \
		    "$fuzzer" "${args[@]}" "${dirs[@]}" >"$log" 2>&1
		rc=$?
	fi

	if [ "$rc" -eq 0 ]; then
		grep -aE '^(Done [0-9]+ runs|stat::)' "$log" | sed 's/^/  /'
		echo "fuzz $name 1 0" >"$dir/verdict"
		return
	fi
	echo "fuzz: $name FAILED (exit status $rc); the report:"
	if [ -f "$log" ]; then
		# The report runs from the sanitizer's or libFuzzer's
		# "==PID==ERROR" (or UBSan's "runtime error:") line to its
		# SUMMARY line: show that, at most 50 lines, or the end of the
		# log when there is none.
		start=$(grep -nE '^==[0-9]+== ?ERROR|runtime error:' \
		    "$log" | head -n 1 | cut -d: -f1)
		if [ -n "$start" ]; then
			tail -n +"$start" "$log" |
			    awk '{ print } /^SUMMARY:/ { exit }' |
			    head -n 50
		else
			tail -n 30 "$log"
		fi
		unit=$(sed -n 's/.*Test unit written to //p' "$log" |
		    tail -n 1)
		if [ -n "$unit" ]; then
			echo "fuzz: input saved as ${unit#"$root"/};" \
			    "to reproduce: $fuzzer ${unit#"$root"/}"
		fi
	fi
	echo "fuzz $name 0 1" >"$dir/verdict"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/anfang-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pool_run "${FUZZ_JOBS:-1}" fuzz_one fuzz "$tmp" "$@"

exit "$pool_failed"
