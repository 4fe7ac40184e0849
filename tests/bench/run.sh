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

BENCHES="forms_check store_commit unlock list_100k"

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
BENCH_STORE=$(abs "${BENCH_STORE:-$root/build/bench/bench-store}")
TOOLS=$(abs "${ANFANG_TOOLS:-$root/build/tools}")
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

# verdict KEY OP LIMIT TEXT LINE: print a bench-store LINE with its target.
verdict()
{
	local value v="MISSED"
	value=$(field "$1" "$5") || value=""
	if [ -n "$value" ] && awk -v v="$value" -v l="$3" -v op="$2" 'BEGIN {
	    exit !(op == "<" ? v + 0 < l + 0 : v + 0 <= l + 0) }'; then
		v="met"
	fi
	printf '  %s  (target: %s; %s)\n' "$5" "$4" "$v"
}

# newdb PATH LEVEL: a new database with the passphrase "benchpass".
newdb()
{
	rm -f "$1" "$1-wal" "$1-shm"
	printf 'benchpass\n' | "$ANFANG" init --db "$1" --kdf "$2" \
	    --passphrase-fd 0 >/dev/null
}

# Committing one answer: what the terminal UI does for each answer given
# (its own transaction, WAL with synchronous = FULL, audit entry included).
bench_store_commit()
{
	local db=$BENCH_HOME/commit.db line
	heading "commit one answer (2000 answers, one per transaction, on $(df -P "$BENCH_HOME" | awk 'NR == 2 { print $1 }')):"
	newdb "$db" interactive || return 1
	line=$("$BENCH_STORE" commit "$db" 2000 <<<benchpass) || return 1
	verdict median_ms "<" 5 "median < 5 ms" "$line"
}

# Unlocking with the default limits (moderate): Argon2id, then opening.
bench_unlock()
{
	local db=$BENCH_HOME/unlock.db pass=$BENCH_HOME/pass
	heading "unlock with the default KDF (moderate), anfang key show:"
	newdb "$db" moderate || return 1
	printf 'benchpass\n' >"$pass"
	measure median_ms "<" 1000 "noticeable, median < 1 s" \
	    -- -n 10 -w 1 -i "$pass" -- "$ANFANG" key show --db "$db" \
	    --passphrase-fd 0
}

# 100,000 visits of the shipped Chinese form, built once into build/bench
# (slow: every answer goes through the visit core and its audit entry).
bench_list_100k()
{
	local db=$out/visits-100k.db pass=$BENCH_HOME/pass line
	mkdir -p "$out"
	if [ ! -f "$db" ]; then
		heading "(building $db: 100,000 visits, once; this takes minutes)"
		newdb "$db.tmp" interactive &&
		    "$TOOLS/db-fill" "$db.tmp" forms service-window \
			tests/bench/answers-zh.json 100000 <<<benchpass &&
		    mv "$db.tmp" "$db" || return 1
	fi
	heading "list with 100,000 visits ($(($(wc -c <"$db") / 1048576)) MiB database):"
	line=$("$BENCH_STORE" list "$db" 30 <<<benchpass) || return 1
	verdict median_ms "<" 100 "first page from a known key, median < 100 ms" "$line"
	line=$("$BENCH_STORE" listall "$db" 5 <<<benchpass) || return 1
	verdict maxrss_mib "<" 32 "peak memory of the whole list < 32 MiB" "$line"
	printf 'benchpass\n' >"$pass"
	printf '  whole command, Argon2id (64 MiB) included:\n'
	measure median_ms "<" 100000 "for reference" \
	    -- -n 3 -i "$pass" -- "$ANFANG" list --db "$db" --passphrase-fd 0
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
