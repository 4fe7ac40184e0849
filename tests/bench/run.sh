#!/usr/bin/env bash
# Benchmarks: figures to read, never pass/fail.
#
#   ANFANG=build/anfang tests/bench/run.sh [NAME...]
#
# Run by `make bench`, which has built $ANFANG and build/bench/bench-run;
# this script builds nothing.  With no NAME every benchmark runs, in the
# order of BENCHES; `tests/bench/run.sh forms_check` runs one (and
# `tests/bench/run.sh batch_import` the import beside the sqlcipher shell
# alone, BATCH_DB=FILE BATCH_RUNS=N as for batch).  Each prints a
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

BENCHES="forms_check store_commit unlock list_100k list_pages batch export import_100k tui report"
# Run by name only: a part of one above, alone.
BENCHES_PART="batch_import"

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
BENCH_TUI=$(abs "${BENCH_TUI:-$root/build/bench/bench-tui}")
BENCH_CEILING=$(abs "${BENCH_CEILING:-$root/build/bench/bench-ceiling}")
TOOLS=$(abs "${ANFANG_TOOLS:-$root/build/tools}")
case ${BATCH_DB:-/} in
/*) ;;
*) BATCH_DB=$PWD/$BATCH_DB ;;
esac
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

# verdict KEY OP LIMIT TEXT LINE: print a bench-store LINE with its target
# (OP is <, <= or >=).
verdict()
{
	local value v="MISSED"
	value=$(field "$1" "$5") || value=""
	if [ -n "$value" ] && awk -v v="$value" -v l="$3" -v op="$2" 'BEGIN {
	    if (op == "<") exit !(v + 0 < l + 0)
	    if (op == ">=") exit !(v + 0 >= l + 0)
	    exit !(v + 0 <= l + 0) }'; then
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
visits_100k()
{
	local db=$out/visits-100k.db
	mkdir -p "$out"
	if [ ! -f "$db" ]; then
		heading "(building $db: 100,000 visits, once; this takes minutes)"
		newdb "$db.tmp" interactive &&
		    "$TOOLS/db-fill" "$db.tmp" forms service-window \
			tests/bench/answers-zh.json 100000 <<<benchpass &&
		    mv "$db.tmp" "$db" || return 1
	fi
}

# The same 100,000 visits, every one finalized (db-fill's FINAL-EVERY 1),
# for the batch benchmark: list_100k's database finalizes one in two, and
# export takes only finalized visits.  Built once, like it.
visits_100k_final()
{
	visits_final 100000
}

bench_list_100k()
{
	local db=$out/visits-100k.db pass=$BENCH_HOME/pass line
	visits_100k || return 1
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

# list_db N: build/bench/list-N.db, N visits for the visits screen, built
# once.  1,000 are recorded by db-fill (every second finalized); past that
# their summary rows are copied in SQL, newer than those, received, with
# ids and times of their own: what the list reads is those rows (answers
# and trails are not read), and db-fill would take an hour for a million.
# The 500 drafts are then the oldest visits, the hardest case for a page
# of drafts.
list_db()
{
	local n=$1 db=$out/list-$1.db base=$out/list-1000.db
	mkdir -p "$out"
	[ -f "$db" ] && return 0
	if [ ! -f "$base" ]; then
		newdb "$base.tmp" interactive &&
		    "$TOOLS/db-fill" "$base.tmp" forms service-window \
			tests/bench/answers-zh.json 1000 2 <<<benchpass &&
		    mv "$base.tmp" "$base" || return 1
	fi
	[ "$n" = 1000 ] && return 0
	heading "(building $db: $n visits, once)"
	cp "$base" "$db.tmp" || return 1
	"$TOOLS/db-sql" "$db.tmp" "PRAGMA cache_size = -262144;
	    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k
	        WHERE i < $((n / 1000 - 1)))
	    INSERT INTO visits (id, form_hash, unit_id, unit_name, division,
	        person, started, finalized, status, origin, answered, visible,
	        alerts, took, took_offset)
	    SELECT printf('c%05d%s', k.i, substr(v.id, 1, 6)), v.form_hash,
	        v.unit_id, v.unit_name, v.division, v.person,
	        v.started + k.i * 60000000, v.finalized, 3, 'bench', v.answered,
	        v.visible, v.alerts, v.took + k.i * 60000000, v.took_offset
	    FROM k, visits v" <<<benchpass >/dev/null &&
	    mv "$db.tmp" "$db"
}

# The visits screen with 1,000, 100,000 and 1,000,000 visits (LIST_SIZES
# to choose): what it reads to show the list (the count, to 10,000, and
# the first page), to go to its end, and to show the drafts (the 500
# oldest), and a text filter that matches nothing.  The store is open;
# each figure is the median of 5 runs (the first is cold).
bench_list_pages()
{
	local n db line k
	heading "visits screen, a page at a time (first page, end, drafts; bench-store page):"
	for n in ${LIST_SIZES:-1000 100000 1000000}; do
		list_db "$n" || return 1
		db=$out/list-$n.db
		# opened once untimed: a database from before is migrated
		"$ANFANG" key show --db "$db" --passphrase-fd 0 <<<benchpass \
		    >/dev/null || return 1
		printf '  %d visits (%d MiB):\n' "$n" \
		    "$(($(wc -c <"$db") / 1048576))"
		line=$("$BENCH_STORE" page "$db" 5 <<<benchpass) || return 1
		for k in page_first page_end page_first_drafts; do
			verdict median_ms "<" 20 "median < 20 ms, whatever N" \
			    "$(grep "^$k " <<<"$line")"
		done
		printf '  %s  (no target: a text no visit has reads them all)\n' \
		    "$(grep "^page_first_text_nomatch " <<<"$line")"

	done
}

# time_once FILE CMD...: CMD under /usr/bin/time -v (its stats in FILE);
# prints "wall_s=... cpu_s=... maxrss_mib=...".
time_once()
{
	local f=$1
	shift
	if ! /usr/bin/time -v -o "$f" "$@" >/dev/null 2>"$f.err"; then
		printf 'the command failed: %s: %s' "$*" "$(cat "$f.err")"
		return 1
	fi
	awk -F': ' '
	    /Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); w = 0
		for (i = 1; i <= n; i++) w = w * 60 + p[i]
	    }
	    /Maximum resident set size/ { r = $2 / 1024 }
	    /User time/ { u = $2 }
	    /System time/ { s = $2 }
	    END { printf "wall_s=%.2f cpu_s=%.2f maxrss_mib=%.1f", w, u + s, r }' "$f"
}

# medians FILE: the time_once lines in FILE as one line: the median wall
# and CPU time and the largest peak memory.
medians()
{
	awk '{
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			v[kv[1], NR] = kv[2]
		}
		if (v["maxrss_mib", NR] + 0 > rss) rss = v["maxrss_mib", NR] + 0
	    }
	    function med(k,   a, i, j, t) {
		for (i = 1; i <= NR; i++) a[i] = v[k, i] + 0
		for (i = 2; i <= NR; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	    }
	    END { printf "runs=%d wall_s=%.2f cpu_s=%.2f maxrss_mib=%.1f",
		NR, med("wall_s"), med("cpu_s"), rss }' "$1"
}

# visits_final N: build/bench/visits-Nk-final.db, N finalized visits of
# the shipped Chinese form, built once (slow: minutes for 100,000).
visits_final()
{
	local db=$out/visits-$(($1 / 1000))k-final.db
	mkdir -p "$out"
	if [ ! -f "$db" ]; then
		heading "(building $db: $1 finalized visits, once)"
		newdb "$db.tmp" interactive &&
		    "$TOOLS/db-fill" "$db.tmp" forms service-window \
			tests/bench/answers-zh.json "$1" 1 <<<benchpass &&
		    mv "$db.tmp" "$db" || return 1
	fi
}

# Export of 10,000 and 100,000 finalized visits (EXPORT_SIZES to choose)
# beside import of the batch it wrote, each under /usr/bin/time -v: wall
# and CPU time and peak memory (unlock included), each run on a fresh copy
# of the database.  EXPORT_RUNS turns of export then import (default 3);
# medians, and the ratios of the medians.  Export streams: its memory must
# not grow with the visits, and it must be no slower than import.
bench_export()
{
	local n db w=$BENCH_HOME/export pass=$BENCH_HOME/pass e i r
	local runs=${EXPORT_RUNS:-3}
	printf 'benchpass\n' >"$pass"
	heading "export beside import of the same visits (/usr/bin/time -v, $runs turns, unlock included):"
	for n in ${EXPORT_SIZES:-10000 100000}; do
		visits_final "$n" || return 1
		db=$out/visits-$((n / 1000))k-final.db
		: >"$BENCH_HOME/export.runs"
		: >"$BENCH_HOME/import.runs"
		for ((r = 0; r < runs; r++)); do
			rm -rf "$w"
			mkdir -p "$w/out"
			batch_fresh_copy "$db" "$w/insp.db" || return 1
			# untimed: a database from before is migrated here
			"$ANFANG" key show --db "$w/insp.db" --passphrase-fd 0 \
			    <"$pass" >"$w/insp.pub" || return 1
			e=$(time_once "$w/export.time" "$ANFANG" export \
			    --db "$w/insp.db" --passphrase-fd 0 \
			    --out "$w/out" <"$pass") || {
				printf '  %s\n' "$e"
				return 1
			}
			newdb "$w/sup.db" interactive &&
			    "$ANFANG" keyring add "$w/insp.pub" \
				--label inspector --db "$w/sup.db" \
				--passphrase-fd 0 <"$pass" >/dev/null ||
			    return 1
			i=$(time_once "$w/import.time" "$ANFANG" import \
			    --db "$w/sup.db" --passphrase-fd 0 \
			    "$w"/out/*.jsonl <"$pass") || {
				printf '  %s\n' "$i"
				return 1
			}
			printf '%s\n' "$e" >>"$BENCH_HOME/export.runs"
			printf '%s\n' "$i" >>"$BENCH_HOME/import.runs"
		done
		e=$(medians "$BENCH_HOME/export.runs")
		i=$(medians "$BENCH_HOME/import.runs")
		printf '  %d visits (%d MiB of batch):\n' "$n" \
		    "$(($(cat "$w"/out/*.jsonl | wc -c) / 1048576))"
		printf '    export  %s\n    import  %s\n' "$e" "$i"
		verdict ratio "<=" 1 "export no slower than import (wall)" \
		    "$(awk -v a="$(field wall_s "$e")" -v b="$(field wall_s "$i")" \
			'BEGIN { printf "ratio=%.2f", a / b }')"
		verdict ratio "<=" 1 "export no slower than import (CPU)" \
		    "$(awk -v a="$(field cpu_s "$e")" -v b="$(field cpu_s "$i")" \
			'BEGIN { printf "ratio=%.2f", a / b }')"
	done
	rm -rf "$w"
}

# one_run FILE [bench-run options] -- CMD...: time CMD once with bench-run
# and append "MS MAXRSS_MIB CPU_MS" to FILE.  For commands that change what
# they run on, so that each run can start from a fresh copy made untimed,
# and for taking turns between two commands.  CPU_MS is the user and system
# time of the run (from this shell's children times, so nothing is added
# to the command's own process): steadier than wall time on a busy machine.
one_run()
{
	local file=$1 line
	shift
	times >"$BENCH_HOME/times.0"
	if ! line=$("$BENCH_RUN" -n 1 -w 0 "$@"); then
		printf '  %s\n  the command failed; run it by hand: %s\n' \
		    "$line" "$*"
		return 1
	fi
	times >"$BENCH_HOME/times.1"
	printf '%s %s %s\n' "$(field median_ms "$line")" \
	    "$(field maxrss_mib "$line")" \
	    "$(cat "$BENCH_HOME/times.0" "$BENCH_HOME/times.1" | awk '
		function s(t) { split(t, p, "m"); return p[1] * 60 + p[2] }
		NR == 2 { a = s($1) + s($2) }
		NR == 4 { b = s($1) + s($2) }
		END { printf "%.0f", (b - a) * 1000 }')" >>"$file"
}

# summary FILE: the runs of one_run FILE as a bench-run line, with the
# median CPU time after it.
summary()
{
	local cpu
	cpu=$(sort -g -k 3 "$1" | awk '{ c[NR] = $3 } END {
	    printf "%.0f", NR % 2 ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2 }')
	sort -g "$1" | awk -v cpu="$cpu" '{ ms[NR] = $1; if ($2 + 0 > rss) rss = $2 + 0 }
	    END {
		n = NR
		med = n % 2 ? ms[(n + 1) / 2] : (ms[n / 2] + ms[n / 2 + 1]) / 2
		r = int((99 * n + 99) / 100)
		printf "runs=%d median_ms=%.2f p99_ms=%.2f min_ms=%.2f " \
		    "max_ms=%.2f maxrss_mib=%.1f cpu_median_ms=%d\n", n, med,
		    ms[r], ms[1], ms[n], rss, cpu
	    }'
}

# runs N FILE [bench-run options] -- CMD...: one_run N times.
runs()
{
	local n=$1 i
	shift
	rm -f "$1"
	for ((i = 0; i < n; i++)); do
		one_run "$@" || return 1
	done
}

# batch_fresh_copy FROM TO: a copy of database FROM (and its WAL) at TO,
# on disk, so that writing it back is not charged to the next command.
batch_fresh_copy()
{
	rm -f "$2" "$2-wal" "$2-shm"
	cp "$1" "$2" || return 1
	if [ -f "$1-wal" ]; then
		cp "$1-wal" "$2-wal" && sync "$2-wal" || return 1
	fi
	sync "$2"
}

# Signed batches of 100,000 finalized visits of the shipped Chinese form
# (the list_100k visits, all finalized): export (on a copy of that
# database), verify (against a supervisor's keyring; with --key and
# no database, beside the stock minisign -V), import (into a new supervisor
# database).  Export and import change their database, so each of their
# runs starts from a fresh copy, made and synced outside the timed part;
# verify changes nothing and runs as usual.  BATCH_RUNS runs of each
# (default 3: export and import are single big operations); BATCH_DB=FILE
# (passphrase "benchpass") instead of the 100,000 visits, for a quick look.
bench_batch()
{
	local src=$root/$out/visits-100k-final.db pass=$BENCH_HOME/pass
	local w=$BENCH_HOME/batch runs=${BATCH_RUNS:-3} i batch sig nvisits
	local line unlock_sup vk ratio rate med
	if [ -n "${BATCH_DB:-}" ]; then
		src=$BATCH_DB
	else
		visits_100k_final || return 1
	fi
	mkdir -p "$w/out"
	printf 'benchpass\n' >"$pass"
	heading "signed batch of the finalized visits of $src ($(($(wc -c <"$src") / 1048576)) MiB; $runs runs each; on $(df -P "$BENCH_HOME" | awk 'NR == 2 { print $1 }')):"

	# The unlock (Argon2id with the interactive limits, then opening) is
	# inside every command that opens a database; alone, for reading the
	# figures below.
	batch_fresh_copy "$src" "$w/insp.db" || return 1
	"$ANFANG" key show --db "$w/insp.db" --passphrase-fd 0 \
	    <"$pass" >"$w/insp.pub" || return 1
	runs 5 "$w/unlock.runs" -i "$pass" -- "$ANFANG" key show \
	    --db "$w/insp.db" --passphrase-fd 0 || return 1
	printf '  unlock alone (key show on that database):\n'
	printf '    %s\n' "$(summary "$w/unlock.runs")"

	printf '  export (a fresh copy of the database each run; unlock included):\n'
	rm -f "$w/export.runs"
	for ((i = 0; i < runs; i++)); do
		rm -f "$w/out/"*
		batch_fresh_copy "$src" "$w/insp.db" || return 1
		one_run "$w/export.runs" -i "$pass" -- "$ANFANG" export \
		    --db "$w/insp.db" --passphrase-fd 0 --out "$w/out" ||
		    return 1
	done
	printf '    %s  (no target)\n' "$(summary "$w/export.runs")"
	rm -f "$w/insp.db" "$w/insp.db-wal" "$w/insp.db-shm"
	batch=$(find "$w/out" -name '*.jsonl')
	sig=$batch.minisig
	if [ ! -f "$batch" ] || [ ! -f "$sig" ]; then
		printf '  export wrote no batch\n'
		return 1
	fi
	nvisits=$(head -n 1 "$batch" | sed -n 's/.*"visits":\([0-9]*\).*/\1/p')
	printf '  the batch: %s visits, %d bytes (%d MiB), signature %d bytes\n' \
	    "$nvisits" "$(wc -c <"$batch")" \
	    "$(($(wc -c <"$batch") / 1048576))" "$(wc -c <"$sig")"

	batch_supervisor "$w" || return 1
	unlock_sup=$(summary "$w/unlock_sup.runs")

	# No warm-up runs (each is long): the batch is read once instead,
	# so that every run finds it in the page cache.
	cat "$batch" "$sig" >/dev/null
	printf '  verify, signer from the supervisor'"'"'s keyring (unlock included):\n'
	runs "$runs" "$w/verify.runs" -i "$pass" -- "$ANFANG" verify \
	    --db "$w/sup0.db" --passphrase-fd 0 "$batch" || return 1
	printf '    %s  (no target)\n' "$(summary "$w/verify.runs")"

	# verify --key (no database) and minisign -V, one run of each in
	# turn, so that both see the same machine.
	printf '  verify --key (no database) beside minisign -Vm FILE -p KEY.pub, alternating:\n'
	rm -f "$w/vk.runs" "$w/mini.runs"
	for ((i = 0; i < runs; i++)); do
		one_run "$w/vk.runs" -- "$ANFANG" verify --key "$w/insp.pub" \
		    "$batch" || return 1
		one_run "$w/mini.runs" -- minisign -Vm "$batch" \
		    -p "$w/insp.pub" || return 1
	done
	vk=$(summary "$w/vk.runs")
	printf '    anfang verify --key  %s\n' "$vk"
	line=$(summary "$w/mini.runs")
	printf '    minisign -V          %s\n' "$line"
	ratio=$(awk -v a="$(field median_ms "$vk")" \
	    -v b="$(field median_ms "$line")" \
	    -v c="$(field cpu_median_ms "$vk")" \
	    -v d="$(field cpu_median_ms "$line")" 'BEGIN {
		printf "ratio=%.2f cpu_ratio=%.2f", a / b, (d > 0 ? c / d : 0) }')
	verdict ratio "<=" 1.5 "anfang verify --key within 1.5x of minisign -V" \
	    "medians: $ratio"

	printf '  import into a new supervisor database (a fresh copy each run; unlock included):\n'
	rm -f "$w/import.runs"
	for ((i = 0; i < runs; i++)); do
		batch_fresh_copy "$w/sup0.db" "$w/sup.db" || return 1
		one_run "$w/import.runs" -i "$pass" -- "$ANFANG" import \
		    --db "$w/sup.db" --passphrase-fd 0 "$batch" || return 1
	done
	line=$(summary "$w/import.runs")
	med=$(field median_ms "$line")
	rate=$(awk -v n="$nvisits" -v ms="$med" 'BEGIN { printf "%.0f", n * 1000 / ms }')
	printf '    %s\n' "$line"
	verdict visits_per_s ">=" 20000 ">= 20,000 visits/s" \
	    "visits_per_s=$rate (from the median wall time)"
	rate=$(awk -v n="$nvisits" -v ms="$med" \
	    -v u="$(field median_ms "$unlock_sup")" \
	    'BEGIN { printf "%.0f", n * 1000 / (ms - u) }')
	printf '    (the median less the supervisor unlock median: %s visits/s)\n' "$rate"

	# The peer a user would otherwise use: the sqlcipher shell storing the
	# same visit lines into one table in one transaction, with anfang's
	# page size (1 KiB), a raw key, a rollback journal, synchronous FULL
	# and a 64 MiB cache, beside import (unlock included), in turns.
	batch_shell "$batch" "$w" "$runs" "$unlock_sup" || return 1

	# What bounds the import: the parts it cannot do without, each alone
	# on the same visit lines (tests/bench/bench-ceiling.c says how).
	printf '  ceilings, each part alone on these visit lines (%s runs, median visits/s):\n' "$runs"
	ceiling "$runs" "jansson reads every line" parse "$batch" || return 1
	ceiling "$runs" "SQLCipher stores every line, anfang's settings (1 KiB pages)" \
	    store "$batch" "$w" 1024 || return 1
	ceiling "$runs" "SQLCipher stores every line, 4 KiB pages" \
	    store "$batch" "$w" 4096 || return 1
	ceiling "$runs" "a plain file of the lines, fsync'd" file "$batch" "$w" ||
	    return 1
	rm -f "$w/sup.db" "$w/sup.db-wal" "$w/sup.db-shm"
	rm -rf "$w"
}

# 100,000 visits of the service-window twins over 24 months and 400 units,
# made by 3 inspectors and signed as 3 batches (tests/tools/gen-visits'
# defaults otherwise), with the truth file of what each holds: built once
# into build/bench/gen-100k (slow: every visit goes through the visit
# core), the same data as the report benchmark's.
gen_100k()
{
	local dir=$out/gen-100k
	mkdir -p "$out"
	if [ ! -f "$dir/truth.jsonl" ]; then
		heading "(generating $dir: 100,000 visits, once; this takes minutes)"
		rm -rf "$dir.tmp"
		"$TOOLS/gen-visits" "$dir.tmp" forms --visits 100000 \
		    --months 24 --units 400 <<<benchpass >/dev/null &&
		    mv "$dir.tmp" "$dir" || return 1
	fi
}

# sup_100k DB: a new supervisor database DB trusting gen_100k's inspectors.
sup_100k()
{
	local k pub label
	newdb "$1" interactive || return 1
	# gen_100k made the keys in a directory it then renamed: the
	# paths in inspectors.tsv name that directory
	while IFS=$'\t' read -r k pub label; do
		"$ANFANG" keyring add "$out/gen-100k/${pub##*/}" \
		    --label "$label" --db "$1" \
		    --passphrase-fd 0 <<<benchpass >/dev/null || return 1
	done <"$out/gen-100k/inspectors.tsv"
}

# Import of gen_100k's batches at once into a new supervisor database (a
# fresh copy each run, unlock included): what schema 5's report rows cost
# on the way in.  The last run's database is kept as
# build/bench/reports-100k.db (passphrase "benchpass") for the report
# benchmark.  IMPORT_RUNS runs (default 3).
bench_import_100k()
{
	local w=$BENCH_HOME/imp100k runs=${IMPORT_RUNS:-3} i line med rate
	gen_100k || return 1
	mkdir -p "$w"
	printf 'benchpass\n' >"$BENCH_HOME/pass"
	heading "import of 100,000 visits in 3 batches (24 months, 400 units; $runs runs; on $(df -P "$BENCH_HOME" | awk 'NR == 2 { print $1 }')):"
	sup_100k "$w/sup0.db" || return 1
	cat "$out"/gen-100k/batches/* >/dev/null
	rm -f "$w/import.runs"
	for ((i = 0; i < runs; i++)); do
		batch_fresh_copy "$w/sup0.db" "$w/sup.db" || return 1
		one_run "$w/import.runs" -i "$BENCH_HOME/pass" -- "$ANFANG" \
		    import --db "$w/sup.db" --passphrase-fd 0 \
		    "$out"/gen-100k/batches/*.jsonl || return 1
	done
	line=$(summary "$w/import.runs")
	med=$(field median_ms "$line")
	rate=$(awk -v ms="$med" 'BEGIN { printf "%.0f", 100000 * 1000 / ms }')
	printf '    %s  (visits_per_s=%s; no target)\n' "$line" "$rate"
	rm -f "$out/reports-100k.db"
	mv "$w/sup.db" "$out/reports-100k.db" || return 1
	rm -rf "$w"
}

# batch_supervisor DIR: DIR/sup0.db, a new supervisor database whose
# keyring has the inspector's key (DIR/insp.pub), and its unlock alone
# (key show, 5 runs) in DIR/unlock_sup.runs.
batch_supervisor()
{
	local w=$1 pass=$BENCH_HOME/pass
	newdb "$w/sup0.db" interactive || return 1
	"$ANFANG" keyring add "$w/insp.pub" --label inspector \
	    --db "$w/sup0.db" --passphrase-fd 0 <"$pass" >/dev/null ||
	    return 1
	runs 5 "$w/unlock_sup.runs" -i "$pass" -- "$ANFANG" key show \
	    --db "$w/sup0.db" --passphrase-fd 0 || return 1
	printf '  unlock alone (key show on the new supervisor database):\n'
	printf '    %s\n' "$(summary "$w/unlock_sup.runs")"
}

# The import alone beside the sqlcipher shell (what batch prints under
# "import beside the sqlcipher shell"), for measuring a change to import
# without the rest: the same database as batch (or BATCH_DB, whose
# finalized visits must not be exported yet), exported once untimed,
# then BATCH_RUNS runs of each in turn.
bench_batch_import()
{
	local src=$root/$out/visits-100k-final.db pass=$BENCH_HOME/pass
	local w=$BENCH_HOME/batch runs=${BATCH_RUNS:-3} batch
	if [ -n "${BATCH_DB:-}" ]; then
		src=$BATCH_DB
	else
		visits_100k_final || return 1
	fi
	mkdir -p "$w/out"
	printf 'benchpass\n' >"$pass"
	heading "import of the signed batch of the finalized visits of $src ($runs runs each; on $(df -P "$BENCH_HOME" | awk 'NR == 2 { print $1 }')):"
	batch_fresh_copy "$src" "$w/insp.db" || return 1
	"$ANFANG" key show --db "$w/insp.db" --passphrase-fd 0 \
	    <"$pass" >"$w/insp.pub" || return 1
	"$ANFANG" export --db "$w/insp.db" --passphrase-fd 0 \
	    --out "$w/out" <"$pass" >/dev/null || return 1
	rm -f "$w/insp.db" "$w/insp.db-wal" "$w/insp.db-shm"
	batch=$(find "$w/out" -name '*.jsonl')
	if [ ! -f "$batch" ]; then
		printf '  export wrote no batch\n'
		return 1
	fi
	batch_supervisor "$w" || return 1
	cat "$batch" "$batch.minisig" >/dev/null
	batch_shell "$batch" "$w" "$runs" "$(summary "$w/unlock_sup.runs")" ||
	    return 1
	rm -rf "$w"
}

# batch_shell BATCH DIR RUNS UNLOCK: anfang import of BATCH (into a copy of
# DIR/sup0.db) beside the sqlcipher shell's .import of its visit lines,
# RUNS of each in turn; the medians and their ratio, and the ratio with
# anfang's unlock median (UNLOCK, a summary line) taken off.
batch_shell()
{
	local batch=$1 w=$2 runs=$3 unlock=$4 nforms n i a b ratio
	if ! command -v sqlcipher >/dev/null 2>&1; then
		printf '  the sqlcipher shell is not installed (packaging/deps.sh installs it)\n'
		return 1
	fi
	nforms=$(head -n 1 "$batch" | sed -n 's/.*"forms":\([0-9]*\).*/\1/p')
	tail -n +$((nforms + 2)) "$batch" >"$w/lines"
	n=$(grep -c '' "$w/lines")
	# JSON text never holds a raw control character: 0x1e splits no line
	cat >"$w/shell.sql" <<EOF
PRAGMA key = "x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'";
PRAGMA cipher_page_size = 1024;
PRAGMA journal_mode = DELETE;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -65536;
CREATE TABLE v (line BLOB);
.mode ascii
.separator "\\036" "\\n"
BEGIN;
.import $w/lines v
COMMIT;
EOF
	printf '  import beside the sqlcipher shell storing the same %d visit lines (one table, one transaction, same page size and key settings), in turns:\n' "$n"
	rm -f "$w/imp2.runs" "$w/shell.runs"
	for ((i = 0; i < runs; i++)); do
		batch_fresh_copy "$w/sup0.db" "$w/sup.db" || return 1
		one_run "$w/imp2.runs" -i "$BENCH_HOME/pass" -- "$ANFANG" \
		    import --db "$w/sup.db" --passphrase-fd 0 "$batch" ||
		    return 1
		rm -f "$w/shell.db" "$w/shell.db-journal"
		one_run "$w/shell.runs" -i "$w/shell.sql" -- sqlcipher \
		    "$w/shell.db" || return 1
	done
	a=$(summary "$w/imp2.runs")
	b=$(summary "$w/shell.runs")
	printf '    anfang import     %s visits_per_s=%s\n' "$a" \
	    "$(awk -v n="$n" -v ms="$(field median_ms "$a")" \
		'BEGIN { printf "%.0f", n * 1000 / ms }')"
	printf '    sqlcipher shell   %s\n' "$b"
	if [ "$({ head -n 1 "$w/shell.sql"
		echo "SELECT count(*) FROM v;"; } | sqlcipher "$w/shell.db")" != "$n" ]; then
		printf '  the sqlcipher shell did not store every line\n'
		return 1
	fi
	rm -f "$w/shell.db" "$w/shell.db-journal" "$w/lines"
	ratio=$(awk -v a="$(field median_ms "$a")" -v b="$(field median_ms "$b")" \
	    -v c="$(field cpu_median_ms "$a")" -v d="$(field cpu_median_ms "$b")" \
	    -v u="$(field median_ms "$unlock")" 'BEGIN {
		printf "ratio=%.2f cpu_ratio=%.2f ratio_less_unlock=%.2f",
		    a / b, (d > 0 ? c / d : 0), (a - u) / b }')
	verdict ratio "<=" 1.3 "anfang import within 1.3x of the sqlcipher shell" \
	    "medians: $ratio"
}

# ceiling RUNS TEXT ARGS...: bench-ceiling ARGS RUNS times; the median of
# its visits_per_s, with TEXT.
ceiling()
{
	local n=$1 text=$2 i line rates=""
	shift 2
	for ((i = 0; i < n; i++)); do
		line=$("$BENCH_CEILING" "$@") || return 1
		rates+="$(field visits_per_s "$line")
"
	done
	printf '    %-66s %s\n' "$text" "$(printf '%s' "$rates" | sort -n |
	    awk '{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      print m }')"
}

# The terminal UI: a scripted session of 10,000 keystrokes through an 80x24
# pseudo-terminal (tests/bench/bench-tui.c says how), over a generated form
# of 1000 questions whose units are the shipped sites list, once with an
# English form and once with a Chinese one (TUI_LANGS to choose).  The forms
# are made once into build/bench/ui-forms-LANG; the database is new each
# run.  In the first run, the peer: dialog --form moving between 12 fields.
bench_tui()
{
	local db=$BENCH_HOME/ui.db line kv main rest lang dir form peer=1000
	local f mv dm=""
	heading "terminal UI, ${TUI_KEYS:-10,000} keystrokes over 1000 questions and $(grep -c '^  - ' forms/sites/service-centres.yaml) units, 80x24 pseudo-terminal:"
	for lang in ${TUI_LANGS:-en zh}; do
		dir=$out/ui-forms-$lang
		form=$dir/bench-1000.yaml
		mkdir -p "$dir/sites"
		if [ ! -f "$form" ] || [ tests/bench/gen-form.sh -nt "$form" ]; then
			tests/bench/gen-form.sh 1000 "$lang" | awk '
			    /^units:$/ { print "units: sites/service-centres.yaml"; s = 1; next }
			    s && /^  - / { next }
			    { s = 0; print }' >"$form.tmp" &&
			    mv "$form.tmp" "$form" || return 1
		fi
		cp forms/sites/*.yaml "$dir/sites/" || return 1
		if ! "$ANFANG" forms check "$form" >/dev/null; then
			printf '  the form does not pass forms check (above)\n'
			return 1
		fi
		newdb "$db" interactive || return 1
		if ! line=$("$BENCH_TUI" -d "$peer" ${TUI_KEYS:+-k "$TUI_KEYS"} \
		    "$db" "$dir" "$ANFANG" <<<benchpass); then
			printf '  could not run: %s %s %s %s\n' "$BENCH_TUI" \
			    "$db" "$dir" "$ANFANG"
			return 1
		fi
		if [ "$peer" -gt 0 ]; then
			dm=$(field dialog_move_bytes_median "$line")
			printf '  dialog --form, 12 fields, move: bytes median=%s p99=%s\n' \
			    "$dm" "$(field dialog_move_bytes_p99 "$line")"
			peer=0
		fi
		printf '  the form in %s:\n' \
		    "$([ "$lang" = zh ] && echo Chinese || echo English)"
		main=""
		rest=""
		# shellcheck disable=SC2086 # split into its pairs
		for kv in $line; do
			case ${kv%%=*} in
			keys | cpu_median_ms | cpu_p99_ms | bytes_median | \
			    bytes_mean | maxrss_mib | total_s)
				main="$main${main:+ }$kv"
				;;
			dialog_*) ;;
			*) rest="$rest${rest:+ }$kv" ;;
			esac
		done
		verdict cpu_p99_ms "<" 2 "CPU per keystroke, p99 < 2 ms" "$main"
		# Bytes to the terminal (what a slow link pays), beside the
		# peer's.
		for f in move answer typing; do
			printf '  %s: bytes median=%s p99=%s\n' "$f" \
			    "$(field "${f}_bytes_median" "$line")" \
			    "$(field "${f}_bytes_p99" "$line")"
		done
		printf '  move: of those bytes, the characters it changes on the screen (an estimate of the least any draw sends): median=%s\n' \
		    "$(field move_floor_median "$line")"
		mv=$(field move_bytes_median "$line")
		verdict ratio "<=" 0.5 "bytes per move at most half of dialog's" \
		    "$(awk -v a="$mv" -v b="$dm" 'BEGIN { printf "ratio=%.2f", (b > 0 ? a / b : 0) }')"
		verdict typing_bytes_median "<" 20 "typed character < 20 bytes" \
		    "typing_bytes_median=$(field typing_bytes_median "$line")"
		printf '  for reference: %s\n' "$rest"
	done
}

# The supervisor's database of the report benchmark: gen-visits' 100,000
# visits of the service-window twins over 24 months and 400 units, its
# inspectors trusted and their batches imported with the real commands.
# Built once.
reports_100k()
{
	local db=$out/reports-100k.db dir=$out/gen-100k pub label
	mkdir -p "$out"
	[ -f "$db" ] && return 0
	if [ ! -x "$TOOLS/gen-visits" ]; then
		printf '  could not run: %s is missing\n' "$TOOLS/gen-visits"
		return 1
	fi
	heading "(building $db: 100,000 generated visits, imported, once; this takes minutes)"
	rm -rf "$dir"
	"$TOOLS/gen-visits" "$dir" forms --visits 100000 --months 24 \
	    --units 400 <<<benchpass >/dev/null || return 1
	newdb "$db.tmp" interactive || return 1
	while IFS=$'\t' read -r _ pub label; do
		"$ANFANG" --db "$db.tmp" keyring add "$pub" --label "$label" \
		    --passphrase-fd 0 <<<benchpass >/dev/null || return 1
	done <"$dir/inspectors.tsv"
	"$ANFANG" --db "$db.tmp" import "$dir"/batches/*.jsonl \
	    --passphrase-fd 0 <<<benchpass >/dev/null || return 1
	mv "$db.tmp" "$db"
}

# timev N CMD...: CMD run N times under /usr/bin/time -v, its standard
# input the benchmark's passphrase: the median wall time and the largest
# peak resident set, as a bench-run line.
timev()
{
	local n=$1 i log=$BENCH_HOME/time.log
	shift
	: >"$BENCH_HOME/timev"
	for ((i = 0; i < n; i++)); do
		/usr/bin/time -v -o "$log" "$@" <<<benchpass >/dev/null ||
		    return 1
		awk -F': ' '
		    /Elapsed \(wall clock\)/ { k = split($2, t, ":"); s = 0
			for (j = 1; j <= k; j++) s = s * 60 + t[j] }
		    /Maximum resident set size/ { r = $2 }
		    END { printf "%.0f %.1f\n", s * 1000, r / 1024 }' \
		    "$log" >>"$BENCH_HOME/timev"
	done
	sort -g "$BENCH_HOME/timev" | awk '{ ms[NR] = $1; if ($2 > rss) rss = $2 }
	    END { printf "runs=%d median_ms=%.0f maxrss_mib=%.1f\n", NR,
		NR % 2 ? ms[(NR + 1) / 2] : (ms[NR / 2] + ms[NR / 2 + 1]) / 2,
		rss }'
}

# anfang report over 100,000 visits: the last month and everything.
bench_report()
{
	local db=$out/reports-100k.db line month p
	reports_100k || return 1
	# A database of an older schema is upgraded when opened: once,
	# here, not in the first run timed.
	"$ANFANG" --db "$db" key show --passphrase-fd 0 <<<benchpass \
	    >/dev/null || return 1
	heading "report over 100,000 visits, 24 months, 400 units ($(($(wc -c <"$db") / 1048576)) MiB database):"
	line=$("$BENCH_STORE" report "$db" 5 month <<<benchpass) || return 1
	verdict median_ms "<" 1000 \
	    "text report of one month, key derivation excluded, < 1 s" "$line"
	verdict maxrss_mib "<" 64 "its peak memory < 64 MiB" "$line"
	line=$("$BENCH_STORE" report "$db" 3 all <<<benchpass) || return 1
	verdict median_ms "<" 3000 "text report of all of them, < 3 s" "$line"
	# Constant memory: the table of all of them in what one month's takes.
	month=$("$BENCH_STORE" csv "$db" 3 month <<<benchpass) || return 1
	printf '  %s  (for reference)\n' "$month"
	line=$("$BENCH_STORE" csv "$db" 3 all <<<benchpass) || return 1
	verdict growth_mib "<" 2 "csv visits table of all of them in constant memory: its peak less one month's table's < 2 MiB" \
	    "$line growth_mib=$(awk -v a="$(field maxrss_mib "$line")" \
		-v m="$(field maxrss_mib "$month")" 'BEGIN { printf "%.1f", a - m }')"
	printf '  whole command under /usr/bin/time -v, Argon2id (64 MiB) included:\n'
	for p in month all; do
		line=$(timev 3 "$ANFANG" --db "$db" report --period "$p" \
		    --passphrase-fd 0) || return 1
		printf '  --period %s: %s\n' "$p" "$line"
	done
	line=$(timev 3 "$ANFANG" --db "$db" report --period all --format csv \
	    --table visits --passphrase-fd 0) || return 1
	printf '  csv visits table of all of them: %s\n' "$line"
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
	case " $BENCHES $BENCHES_PART " in
	*" $name "*) ;;
	*)
		echo "bench: no benchmark '$name' (there are: $BENCHES $BENCHES_PART)" >&2
		status=1
		continue
		;;
	esac
	"bench_$name" || status=1
done
exit "$status"
