#!/usr/bin/env bash
# A page of the visits list that cannot be read (the disk fails under the
# program: the fail-read shim) is said on the screen and is no end of the
# list: once reads work again, moving on reads the rest.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

N=400
SHIM=$ANFANG_TOOLS/fail-read.so
if [ ! -e "$SHIM" ]; then
	t_fail "fail-read shim" "not found in '$ANFANG_TOOLS'"
	t_done
fi

ui_init
printf '{}\n' >"$T_TMP/empty.json"
t_check "$N drafts" "$ANFANG_TOOLS/db-fill" "$UI_DB" "$UI_FORMS" \
    service-window "$T_TMP/empty.json" "$N" 0 <"$UI_PASSFILE"
an list >"$T_TMP/list"
# the start of the I-th visit of the list (1 the newest), as shown
row()
{
	awk -v i="$1" 'NR == i { print $3, $4 }' "$T_TMP/list"
}

FLAG=$T_TMP/fail-reads
ANFANG_FAIL_READS=$FLAG LD_PRELOAD=$SHIM \
    ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} \
    ui_start
ui_unlock
assert_screen "the newest first" "> draft    $(row 1)"
# Reads fail from now: the next page, past the 128 rows read, is not in
# the program's cache.
: >"$FLAG"
for _ in 1 2 3 4 5 6 7 8; do
	tui_keys NPage
done
assert_screen "the failed read is said" "I/O error" 20
rm -f "$FLAG"
# Reads work again: paging on down reaches the oldest visit (pages of 18
# rows, the list read 128 at a time).
for _ in $(seq 1 30); do
	tui_keys NPage
done
assert_screen "the list goes on past the failed page, to the oldest" \
    "> draft    $(row "$(grep -c '' "$T_TMP/list")")" 20
tui_keys q
t_done
