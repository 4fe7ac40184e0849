#!/usr/bin/env bash
# The review of a finalized visit: it names questions by their labels, not
# their ids; its alerts come most severe first; it lists the answers, and
# Enter opens the chosen one whole, read only; the bar does not offer f
# (which only says why not).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

ui_init
t_check "a finalized visit" an record --form service-window \
    --unit dongcheng-gov-centre \
    --answers "$T_ROOT/tests/bench/answers-zh.json" --finalize
ui_start
ui_unlock
assert_screen "the visit, final" "> final"
tui_keys Enter
assert_screen "Enter: its review" "review: 政務服務窗口暗訪檢查表"
assert_screen "an alert, by the question's label" \
    "! [high] 是否被索要好處、禮品或收取不合理費用？: 疑似吃拿卡要"
screen=$(tui_screen)
assert_not_contains "no question id in the review" "favours:" "$screen"
assert_not_contains "... nor first_asked" "first_asked" "$screen"
high=$(printf '%s\n' "$screen" | grep -n '\[high\]' | tail -n 1 | cut -d: -f1)
low=$(printf '%s\n' "$screen" | grep -n '\[low\]' | head -n 1 | cut -d: -f1)
if [ -n "$high" ] && [ -n "$low" ] && [ "$high" -lt "$low" ]; then
	t_ok "the high alerts before the low one"
else
	t_fail "the high alerts before the low one" "high at $high, low at $low"
	printf '%s\n' "$screen" | _t_indent
fi
bar=$(printf '%s\n' "$screen" | sed -n '24p')
assert_not_contains "the bar does not offer f" "finalize" "$bar"
assert_contains "the bar offers Enter open" "Enter open" "$bar"
assert_contains "the answers are listed" "  到達時間: 09:15" "$screen"

tui_keys f
assert_screen "f says why not" "only a draft is finalized; this visit is final"
tui_keys Down Down Down
assert_screen "on the first answer" ">   到達時間: 09:15"
tui_keys Enter
assert_screen "Enter opens the answer" "answer: 政務服務窗口暗訪檢查表"
assert_screen "... with its question" "* 到達時間"
assert_screen "... and its answer" "   09:15"
tui_keys Escape
assert_screen "Esc: back to the review" ">   到達時間: 09:15"
tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
