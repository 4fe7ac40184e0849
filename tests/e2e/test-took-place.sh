#!/usr/bin/env bash
# e2e: normal build only: record --at runs sanitized in test-ui-report, show and list in test-record
# When a visit took place: record --at "YYYY-MM-DD HH:MM" takes local time
# and keeps its UTC offset (shown as given, in any zone); by default it is
# the start; a malformed, impossible or future time is refused and nothing
# stored; show, show --json and list give it; the trail records it; it
# travels in a batch (verify, import) to the supervisor unchanged; a line
# whose time its trail does not give is refused.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

if [ ! -x "$ANFANG_TOOLS/db-sign" ]; then
	t_fail "db-sign tool" "not found in '$ANFANG_TOOLS'"
	t_done
fi
export TZ=Asia/Taipei
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
UNIT=dongcheng-gov-centre
insp=$T_TMP/db/inspector.db
sup=$T_TMP/db/supervisor.db
bt_init inspector
bt_init supervisor

rec()
{
	an "$insp" record --form service-window --unit "$UNIT" \
	    --answers "$ANSWERS" "$@"
}

# --- record --at
assert_exit "record --at: exit 0" 0 rec --at "2026-11-20 09:30" --finalize
v1=$T_OUT
assert_exit "show" 0 an "$insp" show "$v1"
assert_contains "show: took place, with its offset" \
    "took place 2026-11-20 09:30 +08:00" "$T_OUT"
assert_contains "show: the trail records it" "took place" \
    "$(grep -A1000 -i 'audit' <<<"$T_OUT")"
assert_exit "show --json" 0 an "$insp" show --json "$v1"
assert_contains "show --json: took_place" \
    '.took_place=s:2026-11-20T09:30:00.000+08:00' "$(json_flat <<<"$T_OUT")"
assert_exit "show in another zone" 0 env TZ=UTC "$ANFANG" --db "$insp" \
    --forms "$FORMS" show "$v1" --passphrase-fd 3 3<"$PASS"
assert_contains "... still the time and offset of the place" \
    "took place 2026-11-20 09:30 +08:00" "$T_OUT"
assert_exit "list" 0 an "$insp" list
assert_contains "list: when it took place" "$v1  final     2026-11-20 09:30" \
    "$T_OUT"

# --- by default, the start
assert_exit "record without --at: exit 0" 0 rec --finalize
v2=$T_OUT
assert_exit "show --json" 0 an "$insp" show --json "$v2"
flat=$(json_flat <<<"$T_OUT")
started=$(sed -n 's/^\.started=s://p' <<<"$flat")
took=$(sed -n 's/^\.took_place=s://p' <<<"$flat")
assert_eq "without --at it took place when it started" \
    "$(date -u -d "$started" +%s%3N)" \
    "$(date -u -d "$took" +%s%3N)"
assert_contains "... at this zone's offset" "+08:00" "$took"
assert_exit "show" 0 an "$insp" show "$v2"
assert_eq "... and no took-place entry in its trail" "" \
    "$(grep ' took place ' <<<"$T_OUT")"

# --- refused: nothing stored
for bad in "2026-02-30 10:00" "2026-11-20" "2026-11-20 9:30" \
    "2026-11-20T09:30" "2026-11-20 24:00" "yesterday"; do
	assert_refused "--at \"$bad\": usage" 64 "--at" rec --at "$bad"
done
assert_refused "--at in the future: data" 65 "future" \
    rec --at "2999-01-01 00:00"
assert_eq "nothing more stored" 2 "$(an "$insp" list | grep -c .)"

# --- in a batch
mkdir -p "$T_TMP/out"
assert_exit "export" 0 an "$insp" export --out "$T_TMP/out"
B=$(sed -n 's|^\(.*\.jsonl\)$|\1|p' <<<"$T_OUT")
assert_contains "the batch line has took_place" \
    '"took_place":"2026-11-20T09:30:00.000+08:00"' "$(cat "$B")"
bt_key "$insp" "$T_TMP/insp.pub"
assert_exit "keyring add" 0 an "$sup" keyring add "$T_TMP/insp.pub" \
    --label inspector
assert_exit "verify" 0 an "$sup" verify "$B"
assert_exit "import" 0 an "$sup" import "$B"
for v in "$v1" "$v2"; do
	assert_exit "inspector's show --json $v" 0 an "$insp" show --json "$v"
	want=$(json_flat <<<"$T_OUT" | grep '^\.took_place=')
	assert_exit "supervisor's show --json $v" 0 an "$sup" show --json "$v"
	assert_eq "supervisor: $v took place as the inspector said" "$want" \
	    "$(json_flat <<<"$T_OUT" | grep '^\.took_place=')"
done
assert_exit "supervisor: list" 0 env TZ=UTC "$ANFANG" --db "$sup" \
    --forms "$FORMS" list --passphrase-fd 3 3<"$PASS"
assert_contains "supervisor: list, in the place's time" \
    "$v1  received  2026-11-20 09:30" "$T_OUT"

# --- a line whose time its trail does not give
mkdir -p "$T_TMP/bad"
C=$T_TMP/bad/$(basename "$B")
sed 's/"took_place":"2026-11-20T09:30:00.000+08:00"/"took_place":"2026-11-19T09:30:00.000+08:00"/' \
    "$B" >"$C"
id=$(sed -n '1s/.*"batch":"\([^"]*\)".*/\1/p' "$C")
seq=$(sed -n '1s/.*"sequence":\([0-9]*\).*/\1/p' "$C")
n=$(sed -n '1s/.*"visits":\([0-9]*\).*/\1/p' "$C")
assert_exit "db-sign the changed batch" 0 "$ANFANG_TOOLS/db-sign" "$insp" \
    "$C" "anfang batch $id sequence $seq visits $n" <"$PASS"
bt_init other
assert_exit "keyring add (other)" 0 an "$T_TMP/db/other.db" keyring add \
    "$T_TMP/insp.pub" --label inspector
assert_refused "another time than its trail's: refused" 65 \
    "the time it took place is not the one its audit trail gives" \
    an "$T_TMP/db/other.db" import "$C"

t_done
