#!/usr/bin/env bash
# e2e: normal build only
# Two processes recording into one database at the same time: the one that
# finds it busy waits its turn.  Two loops of N records each, side by side:
# every record exits 0 with a visit id, none says "locked" or "malformed",
# and the database lists N * 2 visits, all readable.  A third loop lists
# meanwhile: each list exits 0.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# (before the busy timeout, about one record in twelve failed)
N=${T_BUSY_RECORDS:-40}
FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
PASS=$T_TMP/pass
printf 'busy database pass\n' >"$PASS"
db=$T_TMP/data/visits.db

an()
{
	"$ANFANG" --db "$db" --forms "$FORMS" "$@" --passphrase-fd 3 3<"$PASS"
}

# loop NAME: N records, finalized every other one; one line per record in
# $T_TMP/NAME.log: "EXIT ID-OR-NOTHING", stderr in $T_TMP/NAME.err
loop()
{
	local i out rc
	for ((i = 0; i < N; i++)); do
		rc=0
		if ((i % 2)); then
			out=$(an record --form service-window \
			    --unit dongcheng-gov-centre --answers "$ANSWERS" \
			    --finalize 2>>"$T_TMP/$1.err") || rc=$?
		else
			out=$(an record --form service-window \
			    --unit dongcheng-gov-centre --answers "$ANSWERS" \
			    2>>"$T_TMP/$1.err") || rc=$?
		fi
		printf '%s %s\n' "$rc" "$out" >>"$T_TMP/$1.log"
	done
}

# readers: N / 2 lists, their exit statuses in $T_TMP/r.log
readers()
{
	local i rc
	for ((i = 0; i < N / 2; i++)); do
		rc=0
		an list >/dev/null 2>>"$T_TMP/r.err" || rc=$?
		printf '%s\n' "$rc" >>"$T_TMP/r.log"
	done
}

assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
: >"$T_TMP/a.log"
: >"$T_TMP/b.log"
: >"$T_TMP/a.err"
: >"$T_TMP/b.err"
: >"$T_TMP/r.log"
: >"$T_TMP/r.err"
loop a &
pa=$!
loop b &
pb=$!
readers &
pr=$!
wait "$pa"
wait "$pb"
wait "$pr"

cat "$T_TMP/a.log" "$T_TMP/b.log" >"$T_TMP/all.log"
assert_eq "every record ran" $((N * 2)) "$(grep -c . "$T_TMP/all.log")"
assert_eq "every record exited 0" "" "$(grep -v '^0 ' "$T_TMP/all.log")"
assert_eq "every record printed an id" $((N * 2)) \
    "$(grep -cE '^0 [a-z0-9]{8,}$' "$T_TMP/all.log")"
assert_eq "every list meanwhile exited 0" "$((N / 2)) 0" \
    "$(grep -c . "$T_TMP/r.log") $(grep -vc '^0$' "$T_TMP/r.log")"
errs=$(cat "$T_TMP/a.err" "$T_TMP/b.err" "$T_TMP/r.err")
assert_not_contains "no 'locked'" "locked" "$errs"
assert_not_contains "no 'malformed'" "malformed" "$errs"
assert_not_contains "no 'busy'" "busy" "$errs"
assert_exit "list" 0 an list
assert_eq "the database lists every visit" $((N * 2)) \
    "$(printf '%s\n' "$T_OUT" | grep -c .)"
assert_eq "... as many final as recorded" "$N" \
    "$(printf '%s\n' "$T_OUT" | grep -c ' final ')"
ids=$(sed -n 's/^0 //p' "$T_TMP/all.log" | sort)
assert_eq "... the ids recorded" "$ids" \
    "$(printf '%s\n' "$T_OUT" | awk '{ print $1 }' | sort)"
t_done
