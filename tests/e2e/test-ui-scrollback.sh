#!/usr/bin/env bash
# e2e: normal build only: what the terminal keeps is the terminal's doing
# No visit text in the terminal's scroll-back, on every terminal an
# inspector meets (xterm-256color, screen, tmux-256color, the Linux console,
# vt100): neither after the panic lock (Ctrl-L) nor after quitting.  tmux
# keeps 5,000 lines of history; capture-pane -S -1000 reads them back.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# Strings that would give the visit away: the unit, the form, an answer,
# and the visits list's own words.
SECRETS=(東城區政務服務中心 政務服務窗口暗訪檢查表 "窗口 5 號" "visits (" draft)

# assert_no_trace NAME: neither the screen nor 1,000 lines of history show
# any of SECRETS.
assert_no_trace()
{
	local name=$1 all s
	all=$(tui_screen -S -1000)
	for s in "${SECRETS[@]}"; do
		if [[ $all == *"$s"* ]]; then
			t_fail "$name: no '$s' in the scroll-back" "still there"
			printf '%s\n' "$all" | grep -v '^ *$' | head -n 30 |
			    _t_indent
		else
			t_ok "$name: no '$s' in the scroll-back"
		fi
	done
}

ui_init
t_check "a draft visit" an record --form service-window \
    --unit dongcheng-gov-centre --answers "$T_ROOT/tests/bench/answers-zh.json"

for term in xterm-256color screen tmux-256color linux vt100; do
	if ! infocmp "$term" >/dev/null 2>&1; then
		t_skip "$term" "no terminfo entry"
		continue
	fi
	T_TERM=$term
	ui_start
	if ! ui_unlock "$term"; then
		tui_stop
		continue
	fi
	assert_screen "$term: the visit in the list" "東城區政務服務中心"
	tui_keys Enter
	# the list row names the form too: wait for the form's heading
	assert_screen "$term: the visit opened" \
	    "政務服務窗口暗訪檢查表  |  東城區政務服務中心"
	tui_keys C-l
	assert_screen_gone "$term: Ctrl-L blanks the screen" "政務服務窗口暗訪檢查表"
	assert_no_trace "$term: locked"
	tui_type "$UI_PASS"
	tui_keys Enter
	assert_screen "$term: unlocked" "政務服務窗口暗訪檢查表" 20
	tui_keys q
	assert_screen "$term: back on the list" "anfang  visits (1)"
	tui_keys q
	assert_eq "$term: q quits with 0" 0 "$(tui_exit_status 20)"
	assert_no_trace "$term: quit"
	tui_stop
done

t_done
