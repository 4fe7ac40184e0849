#!/usr/bin/env bash
# The number, time and date editors as an inspector with a Chinese input
# method meets them.  A number takes full-width digits and the ideographic
# (or full-width) full stop and minus as digits, point and minus: "12。5" is
# 12.5, "２００" is 200.  Anything else is refused where it shows ("1e3":
# the "e" is said to be not taken), never dropped unseen.  Enter on an
# emptied field keeps the saved answer (x clears it).  A time takes "9:05"
# as 09:05; the time and date editors open with a suggestion (now, or the
# saved answer) that the first key typed replaces and Enter keeps.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

UI_FORMS=$T_TMP/forms
mkdir -p "$UI_FORMS"
cat >"$UI_FORMS/probe.yaml" <<'EOF'
form: probe-editors
version: 1
title: "Probe of the editors (編輯測試)"
language: en
units:
  - {id: xc-tax, name: 西城區稅務局}
visit:
  division: optional
  person: optional
sections:
  - title: Editors
    questions:
      - id: fee
        type: number
        label: Fee paid
        min: -100
        max: 100000
        decimals: 2
      - id: arrived
        type: time
        label: Time of arrival
      - id: seen
        type: date
        label: Date of the visit
      - id: remark
        type: text
        label: Remark
EOF

# assert_suggests NAME FORMAT: Enter opens the editor with the clock's
# time in date(1)'s FORMAT (read before and after, for a minute or a day
# that turns meanwhile).
assert_suggests()
{
	local before after shown
	before=$(date +"$2")
	tui_keys Enter
	assert_detail "$1: the editor opens" " > " 5 || return 1
	after=$(date +"$2")
	shown=$(ui_detail | sed -n 's/^ > \([0-9:-]*\).*/\1/p' | head -n 1)
	if [ "$shown" = "$before" ] || [ "$shown" = "$after" ]; then
		t_ok "$1 ($shown)"
	else
		t_fail "$1" "shown '$shown', the clock said $before / $after"
	fi
}

# answer Q: the stored answer to Q of the only visit, as json_flat has it.
answer()
{
	an show "$(ui_visit_id)" --json 2>/dev/null | json_flat |
	    sed -n "s/^\.answers\.$1=//p"
}

ui_init
ui_start
ui_unlock
tui_keys n
assert_screen "new visit: form list" "Form (type to filter):"
tui_type probe
tui_keys Enter
assert_screen "new visit: unit list" "Unit observed (type to filter):"
tui_type 西城
tui_keys Enter Enter Enter
assert_current "the form, on the number question" "Fee paid"

# --- a number typed with a Chinese input method
tui_type "12。5"
assert_detail_line "12。5 is shown as 12.5 while typing" " > 12.5"
tui_keys Enter
assert_current "kept, the next question" "Time of arrival"
assert_eq "12。5 is stored as 12.5" "n:12.5" "$(answer fee)"

tui_keys Up
assert_current "back on the number" "Fee paid"
tui_type "２００"
assert_detail_line "full-width ２００ is shown as 200" " > 200"
tui_keys Enter
assert_current "kept" "Time of arrival"
assert_eq "２００ is stored as 200" "n:200" "$(answer fee)"

tui_keys Up
assert_current "back on the number again" "Fee paid"
tui_type "－３．５"
assert_detail_line "full-width －３．５ is shown as -3.5" " > -3.5"
tui_keys Enter
assert_current "kept again" "Time of arrival"
assert_eq "－３．５ is stored as -3.5" "n:-3.5" "$(answer fee)"

# --- refused where it shows
tui_keys Up
tui_type "1e"
assert_detail "the e is refused, visibly" \
    '"e" is not taken here (only 0-9 . -)'
assert_detail_line "the field holds what was taken" \
    ' > 1  "e" is not taken here (only 0-9 . -)'
tui_type "3"
assert_detail_gone "the next digit clears the note" "is not taken here"
tui_keys Escape
assert_detail_gone "Esc closes the editor" " > 13"
assert_eq "Esc: the saved answer stays" "n:-3.5" "$(answer fee)"

# --- an empty Enter keeps the saved answer
tui_keys Enter
assert_detail_line "Enter opens the saved answer" " > -3.5"
tui_keys C-u
assert_detail_line "emptied" " >"
tui_keys Enter
assert_screen "says the answer is kept and how to clear" \
    "nothing typed: the saved answer is kept (x clears it)"
assert_eq "the empty Enter kept -3.5" "n:-3.5" "$(answer fee)"
assert_current "and went on" "Time of arrival"

# --- time: the suggestion (now) is replaced by what is typed; 9:05
assert_suggests "the time editor suggests now" %H:%M
tui_type "9:05"
assert_detail_line "typing replaced the suggestion" " > 9:05"
tui_keys Enter
assert_current "9:05 kept" "Date of the visit"
assert_eq "9:05 is stored as 09:05" "s:09:05" "$(answer arrived)"

tui_keys Up Enter
assert_detail_line "the saved time is suggested" " > 09:05"
tui_type "１４：３０"
assert_detail_line "full-width １４：３０ is shown as 14:30" " > 14:30"
tui_keys Enter
assert_current "14:30 kept" "Date of the visit"
assert_eq "a new time replaced the saved one" "s:14:30" "$(answer arrived)"

# --- date: Enter keeps the suggestion (today); typing replaces it
assert_suggests "the date editor suggests today" %Y-%m-%d
today=$(ui_detail | sed -n 's/^ > \([0-9-]*\).*/\1/p' | head -n 1)
tui_keys Enter
assert_current "today kept" "Remark"
assert_eq "Enter stored the suggested date" "s:$today" "$(answer seen)"
tui_keys Up Enter
tui_type "2026-01-05"
assert_detail_line "typing replaced the date" " > 2026-01-05"
tui_keys Enter
assert_current "the date kept" "Remark"
assert_eq "the typed date is stored" "s:2026-01-05" "$(answer seen)"

# --- clearing has its own key, in the help (the bar keeps to the keys of
# the question's type)
tui_keys Home
assert_current "back on the number" "Fee paid"
tui_keys "?"
assert_screen "the help says how clearing goes" \
    "clear the answer, asks first (an emptied edit keeps it)"
tui_keys q x
assert_screen "x asks first" "Clear this answer? (y/n)"
tui_keys y
assert_screen "x cleared it" "answer cleared"
assert_eq "the answer is gone" "" "$(answer fee)"

tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

t_done
