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
# record has a failure.  With POOL_TIMES set, each job's seconds in the
# pool are appended to that file too, as "SUITE NAME SECONDS".
#
# Run by make as a recipe marked "+" (MAKEFLAGS then names make's job
# server), the pool also takes one of make's job slots for each job beyond
# its first and gives it back when that job ends: runners that one make
# starts side by side (make check's unit tests and end-to-end tests) then
# run as many jobs at once over all of them as make -jN says.
#
#   pool_order SUITE NAMEFN ARG...
#
# sets POOL_ORDER to the ARGs, the longest first as tests/costs says
# ("SUITE NAME SECONDS" lines; NAMEFN ARG sets pool_name to the name ARG
# records under): a long job started last would run alone at the end
# while the other cores wait.  An ARG with no line there (a new test)
# comes first, as it may be long; ARGs of equal cost keep their order.
# shellcheck disable=SC2034 # read by the runner that sources this
pool_failed=0
pool_name=

_pool_costs=${BASH_SOURCE[0]%/*}/costs
# make's job server: the descriptors to take a slot from and give it back
# to (a slot is one byte), when there is one this shell may use
_pool_js_r=
_pool_js_w=

_pool_jobserver()
{
	local auth
	case " ${MAKEFLAGS:-} " in
	*" --jobserver-auth="*) ;;
	*) return 0 ;;
	esac
	auth=${MAKEFLAGS##*--jobserver-auth=}
	auth=${auth%% *}
	case $auth in
	fifo:*)
		# make 4.4: a named pipe
		exec {_pool_js_r}<>"${auth#fifo:}" 2>/dev/null || return 0
		_pool_js_w=$_pool_js_r
		;;
	[0-9]*,[0-9]*)
		# make 4.3: inherited descriptors, open only in a recipe
		# marked "+" (else closed, or other files by now)
		if { : <&"${auth%,*}" && : >&"${auth#*,}"; } 2>/dev/null; then
			_pool_js_r=${auth%,*}
			_pool_js_w=${auth#*,}
		fi
		;;
	esac
}
_pool_jobserver

# pool_record DIR SUITE STARTED: show and record one finished job.
pool_record()
{
	local line name us
	cat "$1/show" 2>/dev/null
	line=$(cat "$1/verdict" 2>/dev/null)
	[ -n "$line" ] || line="$2 $(basename "$1") 0 1"
	# shellcheck disable=SC2154 # the runner's RESULTS file
	echo "$line" >>"$results"
	case $line in
	*" 0") ;;
	*) pool_failed=1 ;;
	esac
	if [ -n "${POOL_TIMES:-}" ]; then
		name=${line#* }
		us=${EPOCHREALTIME//[!0-9]/}
		us=$((10#$us - 10#${3//[!0-9]/}))
		printf '%s %s %d.%d\n' "$2" "${name%% *}" \
		    $((us / 1000000)) $((us / 100000 % 10)) >>"$POOL_TIMES"
	fi
	rm -rf "$1"
}

pool_order()
{
	local suite=$1 namefn=$2 s name secs i=0
	local -A cost=()
	local -a keyed=() args
	shift 2
	args=("$@")
	POOL_ORDER=()
	[ $# -gt 0 ] || return 0
	if [ -r "$_pool_costs" ]; then
		while read -r s name secs _; do
			[ "$s" = "$suite" ] && cost[$name]=$secs
		done <"$_pool_costs"
	fi
	for i in "${!args[@]}"; do
		"$namefn" "${args[i]}"
		keyed+=("${cost[$pool_name]:-999999} $i")
	done
	while read -r secs i; do
		POOL_ORDER+=("${args[i]}")
	done < <(printf '%s\n' "${keyed[@]}" | sort -s -k1,1nr)
}

pool_run()
{
	local jobs_max=$1 start=$2 suite=$3 tmp=$4 n=0 pid arg slot held=''
	local -A running=() started=()
	shift 4

	# _pool_reap: record the jobs that have ended, and give back to make's
	# job server the slots no longer needed (one for each job running but
	# the first).
	_pool_reap()
	{
		for pid in "${!running[@]}"; do
			kill -0 "$pid" 2>/dev/null && continue
			wait "$pid" 2>/dev/null
			pool_record "${running[$pid]}" "$suite" "${started[$pid]}"
			unset "running[$pid]" "started[$pid]"
		done
		while [ "${#held}" -gt 0 ] &&
		    [ "${#held}" -ge "${#running[@]}" ]; do
			printf '%s' "${held:0:1}" >&"$_pool_js_w"
			held=${held:1}
		done
	}

	for arg in "$@"; do
		# room for one more: fewer than JOBS running and, with make's
		# job server, a slot from it for each job running (waiting for
		# one a tenth of a second at a time, to give back meanwhile the
		# slots of the jobs that end)
		while :; do
			if [ "${#running[@]}" -ge "$jobs_max" ]; then
				wait -n 2>/dev/null
				_pool_reap
				continue
			fi
			[ -z "$_pool_js_r" ] && break
			[ "${#held}" -ge "${#running[@]}" ] && break
			if IFS= read -r -N 1 -t 0.1 -u "$_pool_js_r" slot; then
				held+=$slot
				continue
			fi
			_pool_reap
		done
		n=$((n + 1))
		mkdir -p "$tmp/$n"
		"$start" "$arg" "$tmp/$n" &
		running[$!]=$tmp/$n
		started[$!]=$EPOCHREALTIME
	done
	while [ "${#running[@]}" -gt 0 ]; do
		wait -n 2>/dev/null
		_pool_reap
	done
}
