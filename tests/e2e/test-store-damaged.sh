#!/usr/bin/env bash
# One damaged page of the database (a byte flipped in the file, so that its
# MAC fails) is an error, never missing data: show and amend of the visit
# whose answers are on it exit 74 instead of showing a visit with no
# answers and an intact trail; list exits 74 when the visits' rows are on
# it.  The undamaged database still shows every answer.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

TOOLS=${ANFANG_TOOLS:-$T_ROOT/build/tools}
FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
PASS=$T_TMP/pass
printf 'damaged page pass\n' >"$PASS"
db=$T_TMP/data/visits.db

# an DB ARGS...: anfang on DB with the passphrase
an()
{
	local d=$1
	shift
	"$ANFANG" --db "$d" --forms "$FORMS" "$@" --passphrase-fd 3 3<"$PASS"
}

# damaged TABLE: a copy of the database with a byte flipped in the first
# page of TABLE; prints its path
damaged()
{
	local copy=$T_TMP/damaged-$1.db page
	cp "$db" "$copy"
	page=$("$TOOLS/db-sql" "$copy" \
	    "SELECT rootpage FROM sqlite_master WHERE name = '$1'" \
	    <"$PASS") || return 1
	[ -n "$page" ] || return 1
	# the byte 300 into the page, inverted
	local at=$(((page - 1) * 1024 + 300)) b
	b=$(od -An -tu1 -j "$at" -N1 "$copy" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o' $((b ^ 255)))" |
	    dd of="$copy" bs=1 seek="$at" conv=notrunc status=none
	cmp -s "$db" "$copy" && return 1
	printf '%s\n' "$copy"
}

assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"
assert_exit "record" 0 an "$db" record --form service-window \
    --unit dongcheng-gov-centre --answers "$ANSWERS" --finalize
v=$T_OUT
assert_exit "show before: exit 0" 0 an "$db" show "$v"
whole=$T_OUT
assert_contains "show before: every answer" "answered 22 of 22" "$whole"

# --- the answers' page
d=$(damaged answers) || t_fail "damage the answers' page" "no copy made"
assert_exit "show, answers damaged: exit 74" 74 an "$d" show "$v"
assert_not_contains "... no visit printed" "answered" "$T_OUT"
assert_contains "... says the database is damaged" "malformed" "$T_ERR"
assert_exit "show --json, answers damaged: exit 74" 74 an "$d" show "$v" \
    --json
assert_eq "... nothing printed" "" "$T_OUT"
assert_exit "amend, answers damaged: exit 74" 74 an "$d" amend "$v" \
    attitude 4 --reason again
assert_not_contains "... not amended" "amended" "$T_OUT"

# --- the visits' rows
d=$(damaged visits) || t_fail "damage the visits' page" "no copy made"
assert_exit "list, visits damaged: exit 74" 74 an "$d" list
assert_eq "... nothing listed" "" "$T_OUT"
assert_exit "show, visits damaged: exit 74 (not 'no visit')" 74 \
    an "$d" show "$v"

# --- the trail's heads
d=$(damaged audit_heads) || t_fail "damage the heads' page" "no copy made"
assert_exit "show, audit heads damaged: exit 74" 74 an "$d" show "$v"
assert_not_contains "... no 'intact'" "intact" "$T_OUT"

assert_exit "the database itself: show exit 0" 0 an "$db" show "$v"
assert_eq "... the same as before" "$whole" "$T_OUT"
t_done
