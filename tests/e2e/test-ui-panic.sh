#!/usr/bin/env bash
# The panic key in the middle of a visit: Ctrl-L (and F12) blank the screen
# to a bare "$ " prompt with nothing of the visit left on it or in the
# scrollback; a wrong passphrase leaves it locked and blank; the right one
# comes back to the same question.  Ctrl-L while typing keeps what was
# typed.  The idle lock (--lock-after 2) falls after about 2 s without a
# key, and not while keys come.  After a lock, the visits list is fresh.
# A passphrase with Chinese in it unlocks the panic lock as it does the
# unlock screen.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# Strings that would give the visit away.
SECRETS=(東城區政務服務中心 政務服務窗口暗訪檢查表 對所諮詢的問題 09:30
    窗口人員 "r review" anfang 16)

# assert_blank NAME: the screen and its scrollback show "$" and nothing
# else, with the cursor just after "$ ".
assert_blank()
{
	local name=$1 screen all s
	screen=$(tui_screen)
	all=$(tui_screen -S - -E -)
	assert_eq "$name: only \"\$\" on the screen" '$' \
	    "$(printf '%s\n' "$screen" | grep -v '^ *$')"
	assert_eq "$name: \"\$\" on the first row" '$' \
	    "$(printf '%s\n' "$screen" | head -n 1 | sed 's/ *$//')"
	for s in "${SECRETS[@]}"; do
		if [[ $all == *"$s"* ]]; then
			t_fail "$name: '$s' gone (screen and scrollback)" \
			    "still there"
			printf '%s\n' "$all" | _t_indent
		else
			t_ok "$name: '$s' gone (screen and scrollback)"
		fi
	done
	assert_eq "$name: the cursor after \"\$ \"" "2 0" \
	    "$(tmux -L "$T_TUI_SOCK" display-message -p -t anfang \
	    '#{cursor_x} #{cursor_y}')"
}

ui_init
ui_start
ui_unlock
ui_new_visit 政務 東城區政務
tui_keys Down Enter C-u
tui_type "09:30"
tui_keys Enter
assert_current "arrival time answered" "到達時排隊等候的人數"
tui_keys + + Down Down y y
assert_current "on the competent question" \
    "* 對所諮詢的問題，工作人員能否答覆（在行）？"
assert_screen "the visit is on the screen" "東城區政務服務中心"

# --- Ctrl-L
tui_keys C-l
assert_screen_gone "Ctrl-L: the form goes" "對所諮詢的問題"
assert_blank "Ctrl-L"
tui_type "not the passphrase"
tui_keys Enter
sleep 0.5
assert_blank "a wrong passphrase"
# The failure is followed by a delay (1 s, then longer) that swallows
# what is typed meanwhile: wait it out before the right one.
sleep 2.5
assert_blank "still locked after the delay"
tui_type "$UI_PASS"
tui_keys Enter
assert_current "the right one: back on the same question" \
    "* 對所諮詢的問題，工作人員能否答覆（在行）？" 20
assert_screen "the heading is back" "政務服務窗口暗訪檢查表  |  東城區政務服務中心"
assert_screen "the answers are back" "09:30"

# --- F12, and the form still works afterwards
tui_keys F12
assert_screen_gone "F12: the form goes" "對所諮詢的問題"
assert_blank "F12"
tui_type "$UI_PASS"
tui_keys Enter
assert_current "unlocked after F12: the same question" "* 對所諮詢的問題" 20
tui_keys 1
assert_current "answering goes on" "* 工作人員是否專心辦事"
tui_keys y 1 Down Down y Down n
assert_current "the required questions answered" "窗口或大廳公開了哪些信息"

# --- Ctrl-L while typing: what was typed is kept
tui_keys End Enter
tui_type "秘密備註"
assert_detail_line "typing in the notes" " > 秘密備註"
tui_keys C-l
assert_screen_gone "Ctrl-L while typing: the form goes" "備註"
SECRETS+=(秘密備註)
assert_blank "Ctrl-L while typing"
tui_type "$UI_PASS"
tui_keys Enter
assert_current "unlocked: the notes" "備註" 20
assert_answer "what was typed was kept" "秘密備註"

# --- after a lock, finalizing shows the visit final in the list
tui_keys r
assert_screen "review" "ready: f finalizes the visit"
tui_keys f
assert_screen "confirm" "Finalize?"
tui_keys y
assert_screen "finalized" "visit finalized" 20
# ("visit finalized" is drawn with the list: no need to wait long)
assert_screen "the list shows it final (not the state before the lock)" \
    "> final    " 3
tui_keys q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"

# --- the idle lock
ui_start --lock-after 2
ui_unlock "idle"
tui_keys Enter
# the list shows the unit too: wait for the form's heading
assert_screen "the visit opened" "政務服務窗口暗訪檢查表  |  東城區政務服務中心"
# keys keep it open
for _ in 1 2 3 4; do
	sleep 0.8
	tui_keys Down
done
assert_screen "keys every 0.8 s: still unlocked after 3 s" "東城區政務服務中心"
t0=$(_t_now_ms)
assert_screen_gone "no key: the idle lock falls" "東城區政務服務中心" 10
elapsed=$(($(_t_now_ms) - t0))
if [ "$elapsed" -ge 1500 ] && [ "$elapsed" -le 4500 ]; then
	t_ok "it fell about 2 s after the last key (${elapsed} ms)"
else
	t_fail "it fell about 2 s after the last key" "${elapsed} ms"
fi
assert_blank "idle lock"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "unlocked after the idle lock" "東城區政務服務中心" 20
tui_keys q q
assert_eq "quit: status 0 again" 0 "$(tui_exit_status 20)"

# --- a passphrase that is not ASCII unlocks the panic lock too
UI_DB=$T_TMP/db/zh.db
UI_PASS="暗訪 密碼 2026" # 10 characters: new passphrases need 8
ui_init
ui_start
ui_unlock "a Chinese passphrase"
tui_keys C-l
assert_screen_gone "locked" "anfang  visits (0)"
assert_blank "Chinese passphrase: locked"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "the Chinese passphrase unlocks the panic lock" \
    "anfang  visits (0)" 10

t_done
