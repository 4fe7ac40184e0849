#!/usr/bin/env bash
# e2e: normal build only: the code of the other UI files, which run sanitized
# The English service-window form under LANG=C LC_ALL=C at 80x24: a locale
# that is not UTF-8, so every screen (first run, visits, the form and unit
# lists whose Chinese names cannot be shown, the form, help, review, the
# lock) must be drawn in ASCII only.  A visit is filled, finalized, and
# show --json holds its answers.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

export LANG=C LC_ALL=C

# non_ascii: the bytes of the screen outside ASCII (none: empty).
non_ascii()
{
	tui_screen | LC_ALL=C tr -d '\000-\177' | od -An -c | head -n 3
}

# assert_ascii NAME: the screen now is ASCII only.
assert_ascii()
{
	local bad
	bad=$(non_ascii)
	if [ -z "$bad" ]; then
		t_ok "$1: ASCII only"
		return 0
	fi
	t_fail "$1: ASCII only" "bytes >= 0x80 on the screen:"
	printf '%s\n' "$bad" | _t_indent
	tui_screen | LC_ALL=C grep -n '[^ -~]' | _t_indent
	return 1
}

# --- the check itself sees a non-ASCII byte in this locale
tui_start sh -c 'printf "x \346\274\242 y\n"; exec sleep 30'
tui_wait "y" 10
if [ -n "$(non_ascii)" ]; then
	t_ok "control: a UTF-8 byte on the screen is seen under LC_ALL=C"
else
	t_fail "control: a UTF-8 byte on the screen is seen under LC_ALL=C" \
	    "$(tui_screen | head -n 1)"
fi
tui_stop

# --- first run in the C locale
ui_start --kdf interactive
assert_screen "first run: create?" "Create it, encrypted with a new passphrase? (y/n)" 20
assert_ascii "first run"
tui_keys y
assert_screen "new passphrase" "New passphrase:"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "again" "The same again:"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "visits screen" "No visits yet: press n to start one." 30
assert_ascii "visits screen"

tui_keys n
assert_screen "form list" "4 match"
assert_contains "the English form listed" \
    "Government service window covert inspection  (service-window-en 1, en)" \
    "$(tui_screen)"
assert_ascii "form list with a Chinese title"
tui_type "service-window-en"
assert_screen "typing the id leaves one form" "1 match"
tui_keys Enter
assert_screen "unit list" "386 match"
assert_ascii "unit list of Chinese names"
tui_type "dongcheng-gov"
assert_screen "the unit found by its id" "1 match"
tui_keys Enter
assert_screen "division" "Division (optional, Enter to skip):"
tui_keys Enter
assert_screen "person" "Window or badge number (optional, Enter to skip):"
tui_keys Enter
assert_screen "the English form" \
    "anfang  Government service window covert inspection  |  "
assert_screen "its first section" "Arrival and waiting"
assert_contains "the rule is ASCII dashes" "$(printf '%080d' 0 | tr 0 -)" \
    "$(tui_screen)"
assert_ascii "form screen"

# --- answers
tui_keys Down
assert_current "arrival time" "* Time of arrival"
tui_keys Enter C-u
tui_type "10:05"
assert_detail_line "time typed" " > 10:05"
tui_keys Enter
assert_current "people queuing" "People queuing when you arrived"
tui_keys + +
assert_answer "count 2" "2"
tui_keys Down
assert_current "waiting time" "Waiting time"
tui_keys Space
assert_detail "stopwatch running" "(running)"
assert_ascii "a running stopwatch"
sleep 1.1
tui_keys Space
assert_detail_gone "stopwatch stopped" "(running)"
wait_s=$(ui_mmss_s "$(ui_detail)")
tui_keys Down
assert_current "staff present" "* When your turn came, was someone at the window?"
tui_keys y
assert_current "badge" "Did the staff member wear a badge"
tui_keys y
assert_current "competent" "* Could the staff member answer your questions?"
assert_detail "numbered choices" "( ) 1 Answered correctly on the spot"
tui_keys 1
assert_current "engaged" "* Was the staff member attentive"
tui_keys y
assert_current "first asked" "* What did the first staff member you asked do?"
tui_keys 2
assert_current "service time" "Service time"
tui_keys Down
assert_current "trips" "How many trips has this request taken"
tui_keys 2 Enter
assert_detail "trips 2: a reason is asked" "Reason:"
assert_screen "the warn message" \
    "More than the one trip promised; note why each earlier trip failed"
assert_ascii "reason editor"
tui_type "first trip: documents missing"
tui_keys Enter
assert_current "settled" "* Was the request settled on the spot?"
tui_keys y
assert_current "integrity note" "If someone hints at or asks for a favour"
tui_keys Down
assert_current "favours" "* Were you asked for favours or gifts"
tui_keys n
assert_current "favours no: straight to what was posted" \
    "Which information was posted"
tui_keys 1 3
assert_detail "two ticked" "[x] 3 List of documents needed"
tui_keys Down
assert_current "posted quality" "Was the posted information complete"
tui_keys 2
assert_current "attitude (a scale)" "Overall attitude"
tui_keys 4
assert_current "notes" "Notes"
tui_keys Enter
tui_type "Queue moved fast; 3 windows open."
assert_detail "notes typed" "Queue moved fast; 3 windows open."
tui_keys C-d
assert_answer "notes kept" "Queue moved fast; 3 windows open."
assert_ascii "form screen, answered"

tui_keys '?'
assert_screen "help" "anfang  help"
assert_ascii "help screen"
tui_keys q
assert_current "help closed" "Notes"

tui_keys r
assert_screen "review" "ready: f finalizes the visit"
assert_screen "the reason listed" "? How many trips has this request taken, counting this one?: More than"
assert_ascii "review screen"
tui_keys f
assert_screen "confirm" "Finalize? It cannot be changed afterwards"
tui_keys y
assert_screen "finalized" "visit finalized" 20
assert_screen "listed final" "> final    "
assert_ascii "visits screen with a final visit"
tui_keys C-l
assert_screen_gone "Ctrl-L: locked" "visits (1)"
assert_ascii "lock screen"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "unlocked" "anfang  visits (1)" 20
tui_keys q
assert_eq "q quits with 0" 0 "$(tui_exit_status 20)"

id=$(ui_visit_id)
ui_show_flat "$id"
want=$(LC_ALL=C sort <<EOF
arrival_time=s:10:05
attitude=n:4
badge_shown=s:yes
competent=s:answered
engaged=s:yes
favours=s:no
first_asked=s:guided
notes=s:Queue moved fast; 3 windows open.
people_waiting=n:2
posted[0]=s:legal_basis
posted[1]=s:documents
posted_quality=s:incomplete
settled=s:yes
staff_present=s:yes
trips=n:2
wait=n:${wait_s:-?}
EOF
)
assert_eq "show --json: exactly the answers given" "$want" "$(ui_answers)"
assert_contains "final" ".status=s:final" "$UI_SHOW"
assert_contains "the English form" ".form.id=s:service-window-en" "$UI_SHOW"
assert_contains "the unit" ".unit.id=s:dongcheng-gov-centre" "$UI_SHOW"
assert_contains "the reason" \
    ".warnings[0].reason=s:first trip: documents missing" "$UI_SHOW"
assert_contains "no alert" ".alerts=[]" "$UI_SHOW"

t_done
