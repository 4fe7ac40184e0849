#!/bin/sh
# Add up a results file and print the verdict.
#
#   tests/summary.sh RESULTS
#
# RESULTS has one line per test file: SUITE NAME PASSED FAILED (written by
# tests/run-unit.sh, tests/e2e/lib.sh and tests/fuzz/run.sh).  Prints a line
# per suite, the files that failed, and as the very last line exactly
#
#   N passed, N failed
#
# Exits 1 when anything failed, when a line cannot be read (counted as one
# failure), or when nothing passed at all: a run that tested nothing is a
# failure.

if [ $# -ne 1 ]; then
	echo "usage: tests/summary.sh RESULTS" >&2
	exit 64
fi

if [ ! -f "$1" ]; then
	echo "summary: $1: no results (did any test run?)"
	echo "0 passed, 0 failed"
	exit 1
fi

awk '
NF == 0 { next }
NF != 4 || $3 !~ /^[0-9]+$/ || $4 !~ /^[0-9]+$/ {
	printf "summary: line %d unreadable, counted as a failure: %s\n", \
	    NR, $0
	bad++
	next
}
{
	if (!($1 in files))
		order[++nsuites] = $1
	files[$1]++
	pass[$1] += $3
	fail[$1] += $4
	total_pass += $3
	total_fail += $4
	if ($4 > 0)
		failures = failures sprintf("  FAILED: %s %s (%d failed)\n", \
		    $1, $2, $4)
}
END {
	for (i = 1; i <= nsuites; i++) {
		s = order[i]
		printf "%-5s %d file%s, %d passed, %d failed\n", s ":", \
		    files[s], files[s] == 1 ? "" : "s", pass[s], fail[s]
	}
	printf "%s", failures
	total_fail += bad
	if (total_pass == 0)
		print "summary: no test passed: a run that tests nothing fails"
	printf "%d passed, %d failed\n", total_pass, total_fail
	exit (total_fail > 0 || total_pass == 0) ? 1 : 0
}' "$1"
