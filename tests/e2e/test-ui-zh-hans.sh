#!/usr/bin/env bash
# e2e: normal build only: the screens of test-ui-zh-cn, which runs sanitized
# The Simplified Chinese service-window form at 80x24: a whole visit, its
# units from the Simplified sites file, and yes/no answers read 是/否 (the
# form's language, whatever the interface's) on the form screen, in the
# detail pane and on the review; no screen line wider than 80 columns
# (counted by column width: a Chinese character takes two).  Then show's
# text in the C locale reads 是/否 too, while show --json keeps yes/no;
# and the form recorded with record --answers reads the same.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# assert_fits NAME: 24 rows, none wider than 80 columns.  -J joins a row
# the terminal wrapped, so a line written too wide shows as one; wc -L
# counts columns in this UTF-8 locale.
assert_fits()
{
	local screen
	screen=$(tui_screen -J)
	assert_eq "$1: 24 rows" 24 "$(printf '%s\n' "$screen" | wc -l)"
	if [ "$(printf '%s\n' "$screen" | wc -L)" -le 80 ]; then
		t_ok "$1: no line wider than 80 columns"
	else
		t_fail "$1: no line wider than 80 columns" \
		    "$(printf '%s\n' "$screen" | wc -L) columns"
		printf '%s\n' "$screen" | _t_indent
	fi
}

# --- the measure itself: two Chinese characters are four columns
assert_eq "control: wc -L counts a Chinese character as two columns" 4 \
    "$(printf '是否\n' | wc -L)"

ui_init
ui_start
ui_unlock
tui_keys n
assert_screen "the form list" "4 match"
tui_keys Escape
assert_screen "back to the visits" "anfang  visits (0)"
# 政务 (Simplified) is not 政務 (Traditional): one form only
ui_new_visit 政务 东城区政务
assert_screen "the Simplified form" "anfang  政务服务窗口暗访检查表  |  "
assert_screen "its first section" "到达与等候"
assert_fits "form screen"

tui_keys Down
assert_current "arrival time" "* 到达时间"
tui_keys Enter C-u
tui_type "09:30"
tui_keys Enter
assert_current "people queuing" "到达时排队等候的人数"
tui_keys +
tui_keys Down
assert_current "waiting time" "等候时间"
tui_keys Down
assert_current "staff present" "* 轮到自己时，窗口人员是否在岗？"
tui_keys n
assert_current "staff present no: how long they were away" \
    "等待窗口人员回到岗位的时间"
tui_keys Up
assert_current "back on staff present" "* 轮到自己时，窗口人员是否在岗？"
assert_answer "its row: 否" "否"
assert_fits "form screen, an answer 否"
tui_keys Down Down
assert_current "badge" "工作人员是否佩戴工作牌"
tui_keys y
assert_current "competent" "* 对所咨询的问题，工作人员能否答复（在行）？"
tui_keys Up
assert_answer "its row: 是" "是"
# (the bar's "y yes  n no" are the keys, in the interface's language)
assert_not_contains "... not yes" "yes" "$(ui_detail | sed '$d')"
tui_keys Down
tui_keys 1
assert_current "engaged" "* 工作人员是否专心办事、态度主动（在状态）？"
tui_keys y
assert_current "first asked" "* 第一个被询问的工作人员怎样处理（首问负责）？"
tui_keys 1
assert_current "service time" "办理时间"
tui_keys Down
assert_current "trips" "为办成这件事，一共跑了几次（包括本次）？"
tui_keys 1 Enter
assert_current "settled" "* 是否当场办结（即办）？"
tui_keys y
assert_current "the integrity note" "如被暗示或索要好处"
tui_keys Down
assert_current "favours" "* 是否被索要好处、礼品或收取不合理费用？"
tui_keys n
assert_current "favours no: straight to what was posted" \
    "窗口或大厅公开了哪些信息（办事公开）？"
tui_keys 1 4
tui_keys Down
assert_current "posted quality" "公开的信息是否完整、准确、及时更新？"
tui_keys 1
assert_current "attitude" "总体服务态度"
tui_keys 4
assert_current "notes" "备注"
screen=$(tui_screen)
assert_not_contains "the question list: no yes" " yes" "$screen"
assert_not_contains "the question list: no no" " no" "$screen"
assert_fits "form screen, all answered"

tui_keys r
assert_screen "review" "ready: f finalizes the visit"
assert_fits "review of the draft"
tui_keys f
assert_screen "confirm" "Finalize? It cannot be changed afterwards"
tui_keys y
assert_screen "finalized" "visit finalized" 20
assert_fits "visits screen"
# a final visit's review lists every answer
tui_keys Enter
assert_screen "its review" "review: 政务服务窗口暗访检查表"
review=$(tui_screen)
assert_contains "review: staff present 否" \
    "  轮到自己时，窗口人员是否在岗？: 否" "$review"
assert_contains "review: badge 是" \
    "  工作人员是否佩戴工作牌或摆放桌牌（亮证上岗）？: 是" "$review"
assert_not_contains "review: no yes" ": yes" "$review"
assert_not_contains "review: no no" ": no" "$review"
assert_fits "review of the final visit"
tui_keys q q
assert_eq "q quits with 0" 0 "$(tui_exit_status 20)"

id=$(ui_visit_id)
ui_show_flat "$id"
assert_contains "the Simplified form" ".form.id=s:service-window-zh-hans" \
    "$UI_SHOW"
assert_contains "the unit" ".unit.id=s:dongcheng-gov-centre" "$UI_SHOW"
assert_contains "its Simplified name" ".unit.name=s:东城区政务服务中心" \
    "$UI_SHOW"
assert_contains "JSON keeps yes" ".answers.settled=s:yes" "$UI_SHOW"
assert_contains "JSON keeps no" ".answers.staff_present=s:no" "$UI_SHOW"

# show's text in the C locale: the form's words, not the interface's
# answer_line TEXT ID: the answer line under question ID in show's text
answer_line()
{
	printf '%s\n' "$1" | awk -v id="$2" \
	    '$1 == id || $1 == id "*" { getline; sub(/^ +/, ""); print; exit }'
}
t_check "show in the C locale" env LANG=C LC_ALL=C \
    "$ANFANG" --db "$UI_DB" --forms "$UI_FORMS" show "$id" \
    --passphrase-fd 3 3<"$UI_PASSFILE"
text=$T_OUT
assert_eq "show: staff_present 否" "否" "$(answer_line "$text" staff_present)"
assert_eq "show: badge_shown 是" "是" "$(answer_line "$text" badge_shown)"
assert_eq "show: settled 是" "是" "$(answer_line "$text" settled)"
assert_eq "show: favours 否" "否" "$(answer_line "$text" favours)"
assert_eq "show: a choice as before" "answered (能当场准确答复)" \
    "$(answer_line "$text" competent)"

# --- the same form from the command line
cat >"$T_TMP/answers.json" <<'EOF'
{"arrival_time": "14:10", "staff_present": "yes", "competent": "could_not",
 "engaged": "no", "distractions": ["phone"], "first_asked": "passed_on",
 "settled": "no", "not_settled_reason": "referred", "favours": "no",
 "trips": 1}
EOF
t_check "record --answers on the Simplified form" an record \
    --form service-window-zh-hans --unit dongcheng-tax-01 \
    --answers "$T_TMP/answers.json" --finalize
rid=$T_OUT
t_check "show the recorded visit" an show "$rid"
text=$T_OUT
assert_contains "its form" "form service-window-zh-hans version 1" "$text"
assert_contains "its unit, named from the Simplified sites file" \
    "unit      东城区税务局第一办税服务厅 (dongcheng-tax-01)" "$text"
assert_eq "recorded: staff_present 是" "是" \
    "$(answer_line "$text" staff_present)"
assert_eq "recorded: engaged 否" "否" "$(answer_line "$text" engaged)"
assert_eq "recorded: settled 否" "否" "$(answer_line "$text" settled)"
assert_contains "the alert in Simplified" "首问未负责，被推给他人" "$text"
ui_show_flat "$rid"
assert_contains "recorded: JSON keeps yes" ".answers.staff_present=s:yes" \
    "$UI_SHOW"
assert_contains "recorded: JSON keeps no" ".answers.engaged=s:no" "$UI_SHOW"
# and the English twin reads yes/no, whatever the locale
t_check "record --answers on the English twin" an record \
    --form service-window-en --unit dongcheng-tax-01 \
    --answers "$T_TMP/answers.json"
t_check "show the English visit" env LANG=C LC_ALL=C \
    "$ANFANG" --db "$UI_DB" --forms "$UI_FORMS" show "$T_OUT" \
    --passphrase-fd 3 3<"$UI_PASSFILE"
assert_eq "English: staff_present yes" "yes" \
    "$(answer_line "$T_OUT" staff_present)"
assert_eq "English: engaged no" "no" "$(answer_line "$T_OUT" engaged)"

t_done
