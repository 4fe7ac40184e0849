#!/usr/bin/env bash
# Type-to-filter in the new-visit choosers.  A '/' typed first is the
# filter key (as in the visits list), not text: "/Probe" finds the form
# titled Probe.  The unit search matches every word in any order, in names
# and ids; when no line has the words as typed, a Chinese word matches with
# characters left out, in order ("西城稅務" finds 西城區稅務局).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# The shipped forms, and one more.
forms=$T_TMP/forms
mkdir -p "$forms"
cp -R "$UI_FORMS"/. "$forms"/
UI_FORMS=$forms
cat >"$UI_FORMS/probe.yaml" <<'EOF'
form: probe-filter
version: 1
title: "Probe of the filters (篩選測試)"
language: en
units:
  - {id: xc-gov, name: 西城區政務服務中心}
  - {id: bj-tax-office, name: 北京市稅務局辦公所}
  - {id: xc-tax, name: 西城區稅務局}
  - {id: hd-tax-1, name: 海淀區稅務局第一稅務所}
  - {id: tax-office-west, name: West City Tax Office}
visit:
  division: optional
  person: optional
sections:
  - title: Only
    questions:
      - id: seen
        type: yesno
        label: Seen
EOF

# assert_units NAME QUERY COUNT FIRST: typing QUERY (after clearing the
# filter) leaves COUNT lines, FIRST the chosen one.
assert_units()
{
	tui_keys C-u
	tui_type "$2"
	assert_screen "$1: typed" "Unit observed (type to filter): $2" ||
	    return 1
	assert_screen "$1: $3 match" "$3 match"
	[ -z "$4" ] || assert_screen "$1: $4 first" "> $4"
}

ui_init
ui_start
ui_unlock
tui_keys n
assert_screen "new visit: the forms" "Form (type to filter):"
tui_type "/Probe"
assert_screen "'/' first is the filter key: /Probe finds it" "1 match"
assert_screen "the Probe form is chosen" "> Probe of the filters"
assert_screen "the '/' is not in the filter" \
    "Form (type to filter): Probe"
tui_keys C-u
tui_type "filters/"
assert_screen "a '/' later is text" "nothing matches what you typed"
tui_keys C-u
tui_type "probe"
tui_keys Enter
assert_screen "the units" "Unit observed (type to filter):"
# '/' alone changes nothing on the screen: what follows it shows it was
# taken as the filter key
tui_type "/西城"
assert_screen "'/' first in the units is the filter key" \
    "Unit observed (type to filter): 西城"
assert_screen "... and not text: 西城 matches" "2 match"

assert_units "words in any order" "稅務 西城" 1 西城區稅務局
assert_units "an ideographic space between words" "稅務　西城" 1 西城區稅務局
assert_units "Chinese with characters left out" "西城稅務" 1 西城區稅務局
assert_units "characters left out, another" "北京稅所" 1 北京市稅務局辦公所
assert_units "as typed, when some are: no characters left out" "稅務所" 1 \
    海淀區稅務局第一稅務所
assert_units "two characters as typed" "西城" 2 西城區政務服務中心
assert_units "a word of the id, one of the name" "tax-1 海淀" 1 \
    海淀區稅務局第一稅務所
assert_units "English words in any order, either case" "office TAX west" 1 \
    "West City Tax Office"
assert_units "out of order is not a match" "稅務西城" 0 ""
assert_screen "says so" "nothing matches what you typed"

assert_units "the chosen line" "西城稅務" 1 西城區稅務局
tui_keys Enter Enter Enter
assert_current "the visit is made" "Seen" 10
tui_keys q
assert_screen "the visits" "anfang  visits (" 10
assert_contains "at 西城區稅務局" "西城區稅務局" "$(an list 2>/dev/null)"
tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

t_done
