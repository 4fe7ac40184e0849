#!/usr/bin/env bash
# e2e: normal build only: what differs between terminals is ncurses' doing
# The UI on the terminals an inspector meets (xterm-256color, screen,
# tmux-256color, the Linux console, vt100) and with NO_COLOR=1: the unlock
# prompt, then the visits screen with its heading on the first row and its
# key bar on the last, nothing past 80 columns, no colour with NO_COLOR;
# q leaves a blank screen and exit status 0.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# colours: the SGR colour parameters on the screen (30-38, 40-48, 90-107:
# 39 and 49, back to the default, tmux writes itself).
colours()
{
	tui_screen -e | grep -oE $'\e\\[[0-9;]*m' |
	    grep -E '[[;](3[0-8]|4[0-8]|9[0-7]|10[0-7])(;|m)' | sort -u
}

# try NAME: the visits screen on the current T_TERM; checks.
try()
{
	local name=$1 screen
	ui_start
	if ! ui_unlock "$name"; then
		tui_stop
		return 1
	fi
	assert_eq "$name: the program's TERM" "TERM=$T_TERM" \
	    "$(tr '\0' '\n' <"/proc/$(tui_pid)/environ" 2>/dev/null |
	    grep '^TERM=')"
	screen=$(tui_screen)
	assert_eq "$name: the heading on the first row" "anfang  visits (0)" \
	    "$(printf '%s\n' "$screen" | sed -n '1p' | sed 's/ *$//')"
	assert_contains "$name: the empty list" \
	    "No visits yet: press n to start one." "$screen"
	assert_contains "$name: the key bar on the last row" "n new" \
	    "$(tui_screen | sed -n '24p')"
	assert_contains "$name: the bar has q quit" "q quit" \
	    "$(tui_screen | sed -n '24p')"
	assert_eq "$name: 24 rows" 24 "$(tui_screen | wc -l)"
	assert_eq "$name: no row past 80 columns" "" \
	    "$(printf '%s\n' "$screen" | awk 'length($0) > 80')"
	tui_keys n
	assert_screen "$name: n opens the form list" "4 match"
	tui_keys Escape
	assert_screen "$name: Esc goes back" "No visits yet"
	COLOURS=$(colours)
	tui_keys q
	assert_eq "$name: q quits with 0" 0 "$(tui_exit_status 20)"
	assert_eq "$name: the screen is left blank" "" \
	    "$(tui_screen | tr -d ' \n')"
	tui_stop
}

ui_init
for term in xterm-256color screen tmux-256color linux vt100; do
	if ! infocmp "$term" >/dev/null 2>&1; then
		t_skip "$term" "no terminfo entry"
		continue
	fi
	T_TERM=$term
	try "$term"
done

T_TERM=xterm-256color
export NO_COLOR=1
try "NO_COLOR=1 xterm-256color"
assert_eq "NO_COLOR=1: no colour on the screen" "" "$COLOURS"
unset NO_COLOR

t_done
