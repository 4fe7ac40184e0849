# shellcheck shell=bash
# A pool of background jobs for the test runners (tests/run-unit.sh,
# tests/fuzz/run.sh, tests/e2e/run.sh), sourced by them.
#
#   pool_run JOBS START SUITE TMP ARG...
#
# runs "START ARG DIR" in the background for each ARG, DIR a new directory
# TMP/N, at most JOBS at once.  START leaves what to show in DIR/show and
# its record line ("SUITE NAME PASSED FAILED") in DIR/verdict.  As each
# ends, this shell prints DIR/show whole and appends the line to $results;
# one that left none counts as "SUITE N 0 1".  pool_failed is 1 when any
# record has a failure.
# shellcheck disable=SC2034 # read by the runner that sources this
pool_failed=0

# pool_record DIR SUITE: show and record one finished job.
pool_record()
{
	local line
	cat "$1/show" 2>/dev/null
	line=$(cat "$1/verdict" 2>/dev/null)
	[ -n "$line" ] || line="$2 $(basename "$1") 0 1"
	# shellcheck disable=SC2154 # the runner's RESULTS file
	echo "$line" >>"$results"
	case $line in
	*" 0") ;;
	*) pool_failed=1 ;;
	esac
	rm -rf "$1"
}

pool_run()
{
	local jobs_max=$1 start=$2 suite=$3 tmp=$4 n=0 pid arg
	local -A running=()
	shift 4
	for arg in "$@"; do
		while [ "${#running[@]}" -ge "$jobs_max" ]; do
			wait -n 2>/dev/null
			for pid in "${!running[@]}"; do
				if ! kill -0 "$pid" 2>/dev/null; then
					wait "$pid" 2>/dev/null
					pool_record "${running[$pid]}" "$suite"
					unset "running[$pid]"
				fi
			done
		done
		n=$((n + 1))
		mkdir -p "$tmp/$n"
		"$start" "$arg" "$tmp/$n" &
		running[$!]=$tmp/$n
	done
	for pid in "${!running[@]}"; do
		wait "$pid" 2>/dev/null
		pool_record "${running[$pid]}" "$suite"
	done
}
