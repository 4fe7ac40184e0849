#!/usr/bin/env bash
# anfang passwd: the new passphrase opens the database and the old one no
# longer does, with the content intact; and the change is atomic: killed
# (SIGKILL) at any moment, the database opens with exactly one of the two
# passphrases and holds every visit.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${ANFANG_TOOLS:=$(dirname "$ANFANG")/tools}"
ANFANG_TOOLS=$(cd "$ANFANG_TOOLS" 2>/dev/null && pwd -P) || ANFANG_TOOLS=
FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
P=$T_TMP/pass
mkdir -p "$P"
printf 'first pass\n' >"$P/a"
printf 'second pass\n' >"$P/b"
# passwd reads the current passphrase, then the new one twice
printf 'first pass\nsecond pass\nsecond pass\n' >"$P/a-b"
printf 'second pass\nfirst pass\nfirst pass\n' >"$P/b-a"
ITERATIONS=${PASSWD_KILL_ITERATIONS:-20}

# opens DB WHICH: list DB with passphrase WHICH (a or b) into $T_OUT
opens()
{
	t_run "$ANFANG" list --db "$1" --passphrase-fd 3 3<"$P/$2"
}

now_ms()
{
	local us=${EPOCHREALTIME//[!0-9]/}
	echo $((10#$us / 1000))
}

# --- a plain change
db=$T_TMP/data/small.db
assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$P/a"
assert_exit "record" 0 "$ANFANG" record --db "$db" --forms "$FORMS" \
    --form service-window --unit dongcheng-gov-centre --answers "$ANSWERS"\
    --finalize --passphrase-fd 3 3<"$P/a"
visit=$T_OUT
assert_exit "record another" 0 "$ANFANG" record --db "$db" --forms "$FORMS" \
    --form service-window --unit city-tax-02 --answers "$ANSWERS" \
    --passphrase-fd 3 3<"$P/a"
opens "$db" a
list=$T_OUT
t_run "$ANFANG" show "$visit" --json --db "$db" --passphrase-fd 3 3<"$P/a"
show=$T_OUT
t_run "$ANFANG" key show --db "$db" --passphrase-fd 3 3<"$P/a"
key=$T_OUT

assert_exit "passwd: exit 0" 0 "$ANFANG" passwd --db "$db" \
    --passphrase-fd 3 3<"$P/a-b"
assert_contains "passwd: says so" "passphrase changed" "$T_OUT"
opens "$db" a
assert_eq "old passphrase: exit 77" 77 "$T_STATUS"
opens "$db" b
assert_eq "new passphrase opens it" 0 "$T_STATUS"
assert_eq "same list" "$list" "$T_OUT"
t_run "$ANFANG" show "$visit" --json --db "$db" --passphrase-fd 3 3<"$P/b"
assert_eq "same visit, answers and audit trail" "$show" "$T_OUT"
t_run "$ANFANG" key show --db "$db" --passphrase-fd 3 3<"$P/b"
assert_eq "same signing key" "$key" "$T_OUT"
assert_eq "still 0600" 600 "$(stat -c %a "$db")"
assert_eq "no file left beside it" "small.db" \
    "$(find "$T_TMP/data" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ' |
    sed 's/ $//')"

assert_exit "passwd to an empty passphrase: refused" 64 "$ANFANG" passwd \
    --db "$db" --passphrase-fd 3 3<<<'second pass
'
opens "$db" b
assert_eq "after the refusal the passphrase is unchanged" 0 "$T_STATUS"
assert_exit "passwd --kdf bogus: exit 64" 64 "$ANFANG" passwd --db "$db" \
    --kdf bogus --passphrase-fd 3 3<"$P/b-a"
assert_exit "passwd --kdf interactive back to the first: exit 0" 0 \
    "$ANFANG" passwd --db "$db" --kdf interactive --passphrase-fd 3 \
    3<"$P/b-a"
opens "$db" a
assert_eq "back to the first passphrase" "$list" "$T_OUT"

# --- killed at any moment
# (what a kill leaves is the files' doing: the sanitizer build adds nothing
# to it but time, as much as the rest of the suite's runs of that build)
if t_sanitized; then
	t_skip "killed at any moment" "normal build only"
	t_done
	exit
fi
if [ ! -x "$ANFANG_TOOLS/db-fill" ]; then
	t_fail "db-fill tool" "not found in '$ANFANG_TOOLS'"
	t_done
	exit
fi
big=$T_TMP/big/anfang.db
mkdir -p "$T_TMP/big" # init --db makes no directory
assert_exit "init the big database" 0 "$ANFANG" init --db "$big" \
    --kdf interactive --passphrase-fd 3 3<"$P/a"
start=$(now_ms)
assert_exit "db-fill 800 visits" 0 "$ANFANG_TOOLS/db-fill" "$big" "$FORMS" \
    service-window "$ANSWERS" 800 <"$P/a"
t_diag "db-fill took $(($(now_ms) - start)) ms;" \
    "database $(stat -c %s "$big") bytes"
opens "$big" a
assert_eq "800 visits" 800 "$(printf '%s\n' "$T_OUT" | grep -c .)"
printf '%s\n' "$T_OUT" >"$T_TMP/big.list"

# Time it twice: the first run on a fresh file is the slow one.
start=$(now_ms)
assert_exit "passwd on the big database" 0 "$ANFANG" passwd \
    --db "$big" --passphrase-fd 3 3<"$P/a-b"
took1=$(($(now_ms) - start))
start=$(now_ms)
assert_exit "passwd on the big database again" 0 "$ANFANG" passwd \
    --db "$big" --passphrase-fd 3 3<"$P/b-a"
took=$(($(now_ms) - start))
t_diag "passwd took $took1 ms, then $took ms"
[ "$took1" -lt "$took" ] && took=$took1
cur=a
# Kill after 0 .. 1.3 x the shorter, evenly spaced: early kills land during
# the key derivation and the copy, late ones after the rename or not at all.
# When a run is still going near the end of the span (the machine is slower
# now than when measured), the span grows; and the loop goes on, at most 6
# more times, until one run has finished.
span=$((took * 13 / 10))
old=0 new=0 finished=0 i=0
while [ "$i" -lt "$ITERATIONS" ] || { [ "$finished" -eq 0 ] &&
    [ "$i" -lt $((ITERATIONS + 6)) ]; }; do
	delay=$((span * i / (ITERATIONS - 1)))
	i=$((i + 1))
	other=a
	[ "$cur" = a ] && other=b
	"$ANFANG" passwd --db "$big" --passphrase-fd 3 \
	    3<"$P/$cur-$other" >/dev/null 2>&1 &
	pid=$!
	[ "$delay" -gt 0 ] && sleep "$((delay / 1000)).$(printf '%03d' \
	    $((delay % 1000)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		finished=$((finished + 1))
	elif [ $((delay * 10)) -ge $((span * 8)) ]; then
		span=$((delay * 13 / 10))
	fi

	opens "$big" "$cur"
	rc_cur=$T_STATUS
	out_cur=$T_OUT
	opens "$big" "$other"
	rc_other=$T_STATUS
	out_other=$T_OUT
	name="kill after $delay ms (passwd exit $rc)"
	if [ "$rc_cur" -eq 0 ] && [ "$rc_other" -eq 77 ]; then
		t_ok "$name: opens with the old passphrase only"
		old=$((old + 1))
		got=$out_cur
	elif [ "$rc_cur" -eq 77 ] && [ "$rc_other" -eq 0 ]; then
		t_ok "$name: opens with the new passphrase only"
		new=$((new + 1))
		got=$out_other
		cur=$other
	else
		t_fail "$name: opens with exactly one passphrase" \
		    "old: exit $rc_cur, new: exit $rc_other"
		find "$(dirname "$big")" -mindepth 1 -printf '%f %s\n' |
		    _t_indent
		continue
	fi
	if [ "$got" = "$(cat "$T_TMP/big.list")" ]; then
		t_ok "$name: list unchanged (800 visits)"
	else
		t_fail "$name: list unchanged" \
		    "$(printf '%s\n' "$got" | grep -c .) lines"
	fi
done
t_diag "kill loop: $i iterations, $old on the old passphrase," \
    "$new on the new one; $finished passwd runs finished before the kill"
if [ "$old" -gt 0 ] && [ "$new" -gt 0 ]; then
	t_ok "kills landed on both sides (old $old, new $new)"
else
	t_fail "kills landed on both sides" "old $old, new $new"
fi
left=$(find "$(dirname "$big")" -mindepth 1 ! -name anfang.db \
    ! -name anfang.db-wal ! -name anfang.db-shm -printf '%f %s\n')
if [ -n "$left" ]; then
	t_diag "files left beside the database by killed runs:"
	printf '%s\n' "$left" | _t_indent
fi

# a clean passwd after all that still works
other=a
[ "$cur" = a ] && other=b
assert_exit "a clean passwd after the kills" 0 "$ANFANG" passwd --db "$big" \
    --passphrase-fd 3 3<"$P/$cur-$other"
opens "$big" "$other"
assert_eq "and the list is still the same" "$(cat "$T_TMP/big.list")" \
    "$T_OUT"

t_done
