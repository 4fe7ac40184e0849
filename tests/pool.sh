# shellcheck shell=bash
# A pool of background jobs for the test runners (tests/run-unit.sh,
# tests/fuzz/run.sh), sourced by them.
#
#   pool_run JOBS START FINISH TMP ARG...
#
# runs "START ARG DIR" in the background for each ARG, DIR a new directory
# TMP/N, at most JOBS at once, and "FINISH DIR" in the calling shell as each
# ends, so that FINISH can print its output whole and set the caller's
# variables.
pool_run()
{
	local jobs_max=$1 start=$2 finish=$3 tmp=$4 n=0 pid arg
	local -A running=()
	shift 4
	for arg in "$@"; do
		while [ "${#running[@]}" -ge "$jobs_max" ]; do
			wait -n 2>/dev/null
			for pid in "${!running[@]}"; do
				if ! kill -0 "$pid" 2>/dev/null; then
					wait "$pid" 2>/dev/null
					"$finish" "${running[$pid]}"
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
		"$finish" "${running[$pid]}"
	done
}
