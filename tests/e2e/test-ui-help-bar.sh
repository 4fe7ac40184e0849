#!/usr/bin/env bash
# e2e: normal build only: the help and bars run sanitized in test-ui-bar-fit and ui-zh
# The key bar and the help at 80x24.  The bottom row lists the keys of the
# screen (visits, form, review), the panic key among them; ? (or F1) opens
# the help, which lists every key of the screen below it, Ctrl-L included,
# and every key of the bar, what each does wrapped whole; q closes it and
# the screen below is as it was.
# While typing, ? is just a character.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# bar: the bottom row.
bar()
{
	tui_screen | sed -n '24p'
}

# assert_bar SCREEN ITEM...: each "KEY label" item is in the bar.
assert_bar()
{
	local what=$1 b item
	shift
	b=$(bar)
	for item in "$@"; do
		assert_contains "$what bar: $item" "$item" "$b"
	done
}

# assert_help SCREEN TITLE KEY...: ? opens the help for SCREEN, titled
# TITLE, with a line for each KEY and for each key of the bar below; q
# closes it.
assert_help()
{
	local what=$1 title=$2 b help key keys
	shift 2
	b=$(bar)
	tui_keys '?'
	if ! assert_screen "$what: ? opens the help" "anfang  help"; then
		return 1
	fi
	help=$(tui_screen)
	assert_eq "$what help: for this screen" "  $title" \
	    "$(printf '%s\n' "$help" | sed -n '2p')"
	for key in "$@"; do
		if printf '%s\n' "$help" | grep -qE "^  $(printf '%s' "$key" |
		    sed 's/[][\.*^$+?(){}|/]/\\&/g') +[^ ]"; then
			t_ok "$what help: $key"
		else
			t_fail "$what help: $key" "no line for it:"
			printf '%s\n' "$help" | _t_indent
		fi
	done
	# every key of the bar is explained (the bar's items are "KEY label",
	# two spaces apart; the last is left out when the bar is cut off)
	keys=$(printf '%s\n' "$b" | sed 's/   */\n/g' | awk '{ print $1 }')
	[ "${#b}" -ge 80 ] && keys=$(printf '%s\n' "$keys" | sed '$d')
	while IFS= read -r key; do
		[ -n "$key" ] || continue
		# the bar shows a key's first name, the help both ("r/F9")
		if printf '%s\n' "$help" | grep -qF -e "  $key " -e "  $key/"; then
			t_ok "$what help: the bar's $key"
		else
			t_fail "$what help: the bar's $key" "not in the help"
		fi
	done <<<"$keys"
	assert_contains "$what help: its own bar" "? help" \
	    "$(bar)"
	# what a key does wraps, not cut at 80 columns: nothing ends in "…"
	assert_not_contains "$what help: no line cut short" "…" "$help"
	tui_keys q
	assert_screen_gone "$what help: q closes it" "anfang  help"
}

ui_init
ui_start
ui_unlock

# --- visits
assert_bar "visits" "n new" "e export" "d delete" "r report" "/ filter" \
    "q quit" "? help"
assert_contains "visits bar: the panic key fits in 80 columns" \
    "^L lock" "$(bar)"
assert_help visits visits Enter n e d r s / Down/j Up/k PgDn PgUp Home End \
    q/F10 "?/F1" "^L/F12" Esc
assert_screen "visits again" "No visits yet: press n to start one."
tui_keys '?'
assert_screen "the help of e whole, on a second line" \
    "               supervisor's key if given (asks where)"
tui_keys q
assert_screen "visits once more" "No visits yet: press n to start one."
tui_keys F1
assert_screen "F1 opens the help too" "anfang  help"
tui_keys q
assert_screen "q closes it" "No visits yet"

# --- the form
ui_new_visit 政務 東城區政務
tui_keys Down
assert_current "on the arrival time" "* 到達時間"
assert_bar "form" "r review" "Enter edit" "? help" "q back" \
    "^L lock"
# the keys every type has are in the help only: the bar keeps to 80
# columns with a stopwatch's keys
assert_not_contains "form bar: w in the help only" "w reason" "$(bar)"
assert_help form "filling the form" "r/F9" Down/j Up/k PgDn PgUp Home End \
    w Del/x y 1-9 Space + Bksp Enter "?/F1" q/F10 "^L/F12" Esc
assert_current "the same question after the help" "* 到達時間"
assert_screen "the form heading after the help" "  |  東城區政務服務中心  |  0/16"

# --- ? while typing is a character
tui_keys End Enter
tui_type "為什麼?"
assert_detail_line "? typed into the notes" " > 為什麼?"
assert_screen_gone "no help while typing" "anfang  help" 1
tui_keys C-d
assert_answer "kept" "為什麼?"

# --- review
tui_keys r
assert_screen "review" "anfang  review: "
assert_bar "review" "Enter go to" "f finalize" "? help" "q back" \
    "^L lock"
assert_help review "review and finalize" Enter f Down/j Up/k "?/F1" q/F10 \
    "^L/F12" Esc
assert_screen "review after the help" "to settle before finalizing:"
tui_keys q
assert_current "q: back to the form" "備註"
tui_keys q
assert_screen "q: back to the visits" "anfang  visits (1)"
tui_keys q
assert_eq "q quits" 0 "$(tui_exit_status 20)"

t_done
