#!/usr/bin/env bash
# The key bar at 80x24 in English, zh_CN and zh_TW: on every screen, on a
# question of every type, while editing and picking, the bar is drawn whole
# (at most 80 columns, no "…" at its end), ? help is in it, it shows the
# same keys in the same order in every language (the letters do not
# change with the words), and the keys it shows work.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"
# shellcheck source-path=SCRIPTDIR source=i18n-lib.sh
. "$(dirname "$0")/i18n-lib.sh"

UI_FORMS=$T_TMP/forms
mkdir -p "$UI_FORMS"
# One question of every type; a yes/no and a count with a default (their
# bars also offer Enter to keep it).
cat >"$UI_FORMS/all-types.yaml" <<'YAML'
form: all-types
version: 1
title: 全部题型
language: zh
units:
  - {id: dongcheng, name: 东城区政务服务中心}
visit:
  division: optional
  person: optional
sections:
  - title: 第一部分
    questions:
      - {id: intro, type: note, label: 请以普通群众身份办事。}
      - {id: on_duty, type: yesno, label: 工作人员是否在岗, default: yes}
      - id: attitude
        type: choice
        label: 服务态度
        choices: [{value: good, label: 好}, {value: poor, label: 差}]
      - id: public_info
        type: multi
        label: 公开了哪些信息
        choices: [{value: guide, label: 办事指南}, {value: fees, label: 收费标准}]
      - {id: fee, type: number, label: 收费金额, unit: 元}
      - id: satisfaction
        type: scale
        label: 满意度
        min: 1
        max: 5
        labels: [很差, 差, 一般, 好, 很好]
      - {id: notes, type: text, label: 备注}
      - {id: visit_date, type: date, label: 暗访日期}
      - {id: arrival, type: time, label: 到达时间}
      - {id: waiting, type: timer, label: 等候时长}
      - {id: queue, type: count, label: 排队人数, default: 1}
YAML

i18n_ready || { t_done; exit 1; }

# tr_ MSGID: MSGID in the interface language, trailing blanks dropped.
tr_()
{
	local s
	s=$(i18n_tr "$1")
	printf '%s\n' "${s%"${s##*[! ]}"}"
}

# bar_keys BAR: the keys of BAR, one line ("KEY label" items, two
# blanks apart; a label may have a blank, a key has none).
bar_keys()
{
	local s=$1 items it out=
	while [[ $s == *"   "* ]]; do
		s=${s//   /  }
	done
	mapfile -t items <<<"${s//  /$'\n'}"
	for it in "${items[@]}"; do
		it=${it# }
		[ -n "$it" ] && out+=${out:+ }${it%% *}
	done
	printf '%s\n' "$out"
}

# check_bar NAME KEYS: the bar is whole, at most 80 columns, and shows
# KEYS ("^L ? q r y n": the keys of its items, in that order), ? help
# among them unless the screen is typing or unlocking.
check_bar()
{
	local name="$L: $1" want=$2 bar w rows
	mapfile -t rows < <(tui_screen)
	bar=${rows[23]-}
	bar=${bar%"${bar##*[! ]}"}
	w=$(i18n_width <<<"$bar")
	if [ "$w" -le 80 ] && [[ $bar != *"…" ]]; then
		t_ok "$name: the bar whole ($w columns)"
	else
		t_fail "$name: the bar whole" "$w columns: '$bar'"
	fi
	assert_eq "$name: the bar's keys" "$want" "$(bar_keys "$bar")"
}

# help_works NAME: ? opens the help of this screen, q closes it.
help_works()
{
	tui_keys '?'
	assert_screen "$L: $1: ? opens the help" "anfang  $(tr_ help)"
	tui_keys q
	assert_screen_gone "$L: $1: q closes it" "anfang  $(tr_ help)"
}

FORM="^L ? q r"
for L in C zh_CN zh_TW; do
	UI_DB=$T_TMP/db-$L/anfang.db
	mkdir -p "${UI_DB%/*}"
	i18n_use C
	ui_init
	if [ "$L" = C ]; then
		# English, and UTF-8 for the form's Chinese
		export LANG=C.UTF-8 LC_ALL=C.UTF-8
	else
		i18n_use "$L"
	fi

	tui_start "$ANFANG" --db "$UI_DB" --forms "$UI_FORMS"
	assert_screen "$L: unlock" "$(tr_ "Passphrase: ")" 20
	check_bar unlock "^L"
	tui_type "$UI_PASS"
	tui_keys Enter
	assert_screen "$L: visits" "$(tr_ "No visits yet: press n to start one.")" 20
	check_bar visits "^L ? n e d r s / q"
	help_works visits
	tui_keys C-l
	assert_screen_gone "$L: ^L locks" "$(tr_ "No visits yet: press n to start one.")"
	tui_type "$UI_PASS"
	tui_keys Enter
	assert_screen "$L: unlocked" "$(tr_ "No visits yet: press n to start one.")" 20
	tui_keys s
	# shellcheck disable=SC2059 # the format is the catalogue's
	assert_screen "$L: s: drafts only" \
	    "$(printf "$(tr_ "show: %s")" "$(tr_ draft)")"
	tui_keys s s s s
	# shellcheck disable=SC2059
	assert_screen "$L: s s s s: all again" \
	    "$(printf "$(tr_ "show: %s")" "$(tr_ all)")"
	tui_keys /
	tui_type zz
	assert_screen "$L: /: a filter typed" "$(tr_ "filter:") zz"
	tui_keys BSpace BSpace Enter

	# --- new visit
	tui_keys n
	assert_screen "$L: n: a new visit" "$(tr_ "Form (type to filter):")"
	check_bar "new visit" "^L Enter Esc"
	tui_keys Escape
	assert_screen "$L: Esc cancels" "$(tr_ "No visits yet: press n to start one.")"
	tui_keys n
	assert_screen "$L: a new visit again" "$(tr_ "Form (type to filter):")"
	tui_keys Enter
	assert_screen "$L: Enter chose the form" "$(tr_ "Unit observed (type to filter):")"
	tui_keys Enter Enter Enter
	assert_screen "$L: the form" "  |  0/10"

	# --- every question type
	assert_current "$L: note" "请以普通群众身份办事。"
	check_bar note "$FORM"
	help_works note
	tui_keys r
	assert_screen "$L: r: review" "anfang  $(tr_ "review: %s  |  %s" | sed 's/%s.*//')"
	check_bar review "^L ? q Enter f"
	help_works review
	tui_keys q
	assert_current "$L: q: back to the form" "请以普通群众身份办事。"

	tui_keys Down
	assert_current "$L: yesno" "工作人员是否在岗"
	check_bar yesno "$FORM y n Enter"
	tui_keys Enter
	assert_current "$L: Enter kept the default, on" "服务态度"
	# one key at a time: the choice is current before Up and after y or n
	tui_keys Up
	assert_current "$L: Up: back on the yesno" "工作人员是否在岗"
	tui_keys n
	assert_current "$L: n answered, on" "服务态度"
	assert_eq "$L: n answered no" 否 \
	    "$(tui_screen | awk '$1 == "工作人员是否在岗" { print $2 }')"
	tui_keys Up
	assert_current "$L: Up: back on the yesno again" "工作人员是否在岗"
	tui_keys y
	assert_current "$L: y answered, on" "服务态度"
	assert_eq "$L: y answered yes" 是 \
	    "$(tui_screen | awk '$1 == "工作人员是否在岗" { print $2 }')"

	check_bar choice "$FORM 1-9 Enter"
	tui_keys Enter
	assert_detail "$L: choice: Enter picks" ">( ) 1 好"
	check_bar "choice: picking" "^L ? q Down Enter Esc"
	tui_keys Escape
	assert_screen "$L: choice: Esc is back" "r $(tr_ review)"
	check_bar "choice: Esc is back" "$FORM 1-9 Enter"
	tui_keys Enter Down Enter
	assert_current "$L: chosen, on" "公开了哪些信息"
	tui_keys Up
	assert_current "$L: Up: back on the choice" "服务态度"
	tui_keys 1
	assert_current "$L: 1 answered, on" "公开了哪些信息"
	assert_eq "$L: 1 answered the first" 好 \
	    "$(tui_screen | awk '$1 == "服务态度" { print $2 }')"

	check_bar multi "$FORM 1-9 Space"
	tui_keys 2
	assert_detail "$L: multi: 2 toggles" "[x] 2 收费标准"
	tui_keys Space
	assert_detail "$L: multi: Space picks" ">[ ] 1 办事指南"
	check_bar "multi: picking" "^L ? q Down Space Enter 1-9"
	tui_keys Space
	assert_detail "$L: multi: Space toggles" "[x] 1 办事指南"
	tui_keys Enter
	# the cursor mark goes when the picking is done
	assert_detail_line "$L: multi: Enter is done" \
	    "   [x] 1 办事指南   [x] 2 收费标准"
	check_bar "multi: Enter done" "$FORM 1-9 Space"

	tui_keys Down
	assert_current "$L: number" "收费金额"
	check_bar number "$FORM Enter"
	tui_keys Enter
	assert_screen "$L: number: Enter edits" "$(tr_ "keep")"
	check_bar "number: editing" "^L Enter Esc"
	tui_type 25
	tui_keys Enter
	assert_current "$L: kept, on" "满意度"

	check_bar scale "$FORM 1-9"
	tui_keys 4
	assert_current "$L: 4 answered, on" "备注"

	check_bar text "$FORM Enter"
	tui_keys Enter
	assert_screen "$L: text: Enter edits" "$(tr_ "keep")"
	check_bar "text: editing" "^L Enter Esc"
	tui_type "窗口有人"
	tui_keys Enter
	assert_current "$L: kept, on" "暗访日期"

	check_bar date "$FORM Enter"
	tui_keys Enter Enter
	assert_current "$L: date kept, on" "到达时间"
	check_bar time "$FORM Enter"
	tui_keys Enter C-u
	tui_type 09:30
	tui_keys Enter
	assert_current "$L: time kept, on" "等候时长"

	tui_keys Down
	assert_current "$L: count" "排队人数"
	check_bar count "$FORM + - Bksp Enter"
	tui_keys Enter
	assert_screen "$L: Enter kept the default" "9/10"
	check_bar "count: answered" "$FORM + - Bksp"
	tui_keys +
	assert_answer "$L: + adds one" "2"
	tui_keys -
	assert_answer "$L: - takes one back" "1"
	tui_keys BSpace
	assert_screen "$L: Bksp asks first" "(y/n)"
	tui_keys y
	assert_screen "$L: Bksp reset the count" "$(tr_ "count cleared")"

	tui_keys Up
	assert_current "$L: timer" "等候时长"
	check_bar timer "$FORM Enter Space Bksp"
	tui_keys Space
	assert_detail "$L: Space starts the stopwatch" "$(tr_ " (running)" | sed 's/^ *//')"
	tui_keys Space
	assert_detail_gone "$L: Space stops it" "$(tr_ " (running)" | sed 's/^ *//')"
	tui_keys Enter
	assert_screen "$L: timer: Enter edits" "$(tr_ "keep")"
	check_bar "timer: editing" "^L Enter Esc"
	tui_keys C-u
	tui_type 5
	tui_keys Enter
	tui_keys Up
	assert_detail "$L: Enter: 5 minutes typed" "05:00"
	tui_keys BSpace
	assert_screen "$L: Bksp asks first" "(y/n)"
	tui_keys y
	assert_answer "$L: Bksp reset the stopwatch" "-"

	# --- review, the visits again, the report
	tui_keys r
	assert_screen "$L: review: ready" "$(tr_ "ready: f finalizes the visit")"
	check_bar "review: ready" "^L ? q Enter f"
	tui_keys f
	assert_screen "$L: f asks first" "(y/n)"
	tui_keys y
	assert_screen "$L: finalized" "$(tr_ "visit finalized")" 20
	check_bar "visits, one final" "^L ? n e d r s / q"
	tui_keys r
	assert_screen "$L: r: the report" "anfang  $(tr_ "report: %s  |  %s" | sed 's/%s.*//')"
	check_bar report "^L ? q Tab < > Enter"
	help_works report
	tui_keys Tab
	# "division" is also a tab of the view before: wait for this view's line
	# shellcheck disable=SC2059 # the format is the catalogue's
	assert_screen "$L: Tab: the next view" \
	    "$(printf "$(tr_ "%zu visit(s) name no division")" 1)"
	tui_keys '<'
	assert_screen "$L: <: the period before, none" "$(tr_ "no visits before this period")"
	tui_keys '>'
	assert_screen_gone "$L: >: the period after" "$(tr_ "no visits before this period")"
	tui_keys a
	assert_screen "$L: a: the alerts" "$(tr_ "No alert in this period.")"
	check_bar "report: alerts" "^L ? q Tab < > Enter"
	tui_keys q
	# "visits" alone is also on the report: wait for the list's heading
	# shellcheck disable=SC2059 # the format is the catalogue's
	assert_screen "$L: q: back to the visits" \
	    "anfang  $(printf "$(tr_ "visits (%zu)")" 1)"
	tui_keys q
	assert_eq "$L: q quits" 0 "$(tui_exit_status 20)"
done

t_done
