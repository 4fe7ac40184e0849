# shellcheck shell=bash
# The terminal UI in a Chinese interface at 80x24, for test-ui-zh-cn.sh and
# test-ui-zh-tw.sh (which set I18N_LANG and source this after lib.sh,
# ui-lib.sh and i18n-lib.sh).  A first run creates the database, then a
# whole visit on a form with one question of every type, review, finalize,
# the report screen (its month as 2026年12月), the lock, and the unlock
# screen of a second start.  Each screen shows its heading and key bar in
# the interface language (the catalogue's words, with Han characters, no
# English label left) and no line wider than the terminal by columns; help
# lines, and the bars of the screens and of every question type, are
# drawn whole.
# Afterwards show and list give the visit in Chinese, then under LANG=C in
# English, with the answers given.

UI_PASS='pass 7 for the test'
UI_FORMS=$T_TMP/forms
UI_DB=$T_TMP/db/anfang.db
mkdir -p "$UI_FORMS"
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
      - {id: on_duty, type: yesno, label: 工作人员是否在岗, required: true}
      - id: attitude
        type: choice
        label: 服务态度
        choices: [{value: good, label: 好}, {value: poor, label: 差}]
      - id: public_info
        type: multi
        label: 公开了哪些信息
        choices: [{value: guide, label: 办事指南}, {value: fees, label: 收费标准}]
      - {id: fee, type: number, label: 收费金额, unit: 元}
  - title: 第二部分
    questions:
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
      - {id: queue, type: count, label: 排队人数, warn_if: . > 1,
         warn_message: 排队人数较多}
YAML

i18n_ready || { t_done; exit 1; }
i18n_use "$I18N_LANG"
L=$I18N_LANG

# tr MSGID: MSGID in the interface language, trailing blanks dropped (the
# screen has none).
tr_()
{
	local s
	s=$(i18n_tr "$1")
	printf '%s\n' "${s%"${s##*[! ]}"}"
}

# han TEXT: TEXT has a Han character.
han()
{
	LC_ALL=C.UTF-8 grep -qP '\p{Han}' <<<"$1"
}

# check_screen NAME [LASTITEM]: the screen's heading and key bar are
# Chinese, no English word of the bar's labels is left, no line is wider
# than 80 columns; with LASTITEM, the bar ends with it (drawn whole).
check_screen()
{
	local name="$L: $1" last=${2:-} rows screen head bar w
	# one capture: heading, bar and widths of the same screen
	mapfile -t rows < <(tui_screen)
	printf -v screen '%s\n' "${rows[@]}"
	head=${rows[0]-}
	bar=${rows[23]-}
	if han "$head" && han "$bar"; then
		t_ok "$name: Chinese heading and bar"
	else
		t_fail "$name: Chinese heading and bar" "heading '$head', bar '$bar'"
	fi
	# the bar's labels, as the catalogue has them in English
	if grep -qwE \
	    'lock|help|back|quit|new|export|delete|status|filter|review|yes|no|edit|clear|view|reason|keep|cancel|choose|pick|toggle|answer|finalize|go|report|ranking|previous|next|visits|open' \
	    <<<"$bar"; then
		t_fail "$name: no English label in the bar" "$bar"
	else
		t_ok "$name: no English label in the bar"
	fi
	w=$(i18n_width <<<"$screen")
	if [ "$w" -le 80 ]; then
		t_ok "$name: widest line $w columns"
	else
		t_fail "$name: no line wider than 80 columns" "$w columns"
		printf '%s\n' "$screen" | _t_indent
	fi
	if [ -n "$last" ]; then
		bar=${bar%"${bar##*[! ]}"}
		if [[ $bar == *"  $last" ]]; then
			t_ok "$name: the bar drawn whole, to '$last'"
		else
			t_fail "$name: the bar drawn whole, to '$last'" "$bar"
		fi
	fi
}

KEYS_SAME="The keys are the same in every interface language."

# check_help NAME TITLE: ? opens the help for the screen below, titled TITLE
# in the interface language; every line is whole (narrower than the 76
# columns a help line is cut at); the last page says that the keys are
# the same in every language; q closes it.
check_help()
{
	local name="$L: $1 help" title=$2 screen w i
	tui_keys '?'
	assert_screen "$name: opened" "anfang  $(tr_ help)" || return 1
	assert_eq "$name: for this screen" "  $(tr_ "$title")" \
	    "$(tui_screen | sed -n 2p)"
	check_screen "$1 help" "q $(tr_ back)"
	for i in 1 2; do
		screen=$(tui_screen | sed -n '3,22p')
		w=$(printf '%s\n' "$screen" | i18n_width)
		if [ "$w" -lt 76 ] && ! printf '%s\n' "$screen" | grep -q '…$'; then
			t_ok "$name: page $i whole ($w columns)"
		else
			t_fail "$name: page $i whole" "$w columns"
			printf '%s\n' "$screen" | _t_indent
		fi
		# the last page ends with the word on keys
		[[ $screen == *"$(tr_ "$KEYS_SAME")"* ]] && break
		tui_keys j j j j j j j j j j
		# (wait for the next page before reading it)
		tui_wait "$(tr_ "$KEYS_SAME")" 2>/dev/null || break
	done
	assert_screen "$name: says the keys are the same in every language" \
	    "$(tr_ "$KEYS_SAME")"
	tui_keys q
	assert_screen_gone "$name: q closes it" "anfang  $(tr_ help)"
}

# --- first run: the database is offered, created with a passphrase twice
tui_start "$ANFANG" --db "$UI_DB" --forms "$UI_FORMS" --kdf interactive
assert_screen "$L: first run: offers to create" \
    "$(tr_ "Create it, encrypted with a new passphrase? (y/n)")" 20
assert_screen "$L: first run: no database yet" \
    "$(tr_ "There is no database here yet.")"
check_screen "first run" "q $(tr_ back)"
tui_keys y
assert_screen "$L: first run: new passphrase" "$(tr_ "New passphrase: ")"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "$L: first run: again" "$(tr_ "The same again: ")"
check_screen "first run, again"
tui_type "$UI_PASS"
tui_keys Enter

# --- visits
# shellcheck disable=SC2059 # the format is the catalogue's
assert_screen "$L: visits: heading" "anfang  $(printf "$(tr_ "visits (%zu)")" 0)" 30
assert_screen "$L: visits: none yet" \
    "$(tr_ "No visits yet: press n to start one.")"
# shellcheck disable=SC2059
assert_screen "$L: visits: which are shown, in $L" \
    " $(printf "$(tr_ "show: %s")" "$(tr_ all)") "
check_screen "visits" "q $(tr_ quit)"
check_help visits visits

# --- new visit
tui_keys n
assert_screen "$L: new visit: the forms" "$(tr_ "Form (type to filter):")"
check_screen "new visit: form"
tui_keys Enter
assert_screen "$L: new visit: the units" \
    "$(tr_ "Unit observed (type to filter):")"
check_screen "new visit: unit"
tui_keys Enter
assert_screen "$L: new visit: division" \
    "$(tr_ "Division (optional, Enter to skip):")"
check_screen "new visit: division"
tui_keys Enter
assert_screen "$L: new visit: person" \
    "$(tr_ "Window or badge number (optional, Enter to skip):")"
tui_keys Enter
assert_screen "$L: the form" "anfang  全部题型  |  东城区政务服务中心  |  0/10"
assert_current "$L: form: the note" "请以普通群众身份办事。"
check_screen "form: note" "r $(tr_ review)"

# --- every question type, by its own keys
tui_keys Down
assert_current "$L: yesno" "* 工作人员是否在岗"
check_screen "form: yesno" "n $(tr_ no)"
tui_keys y
assert_current "$L: y answers and goes on: choice" "服务态度"
check_screen "form: choice" "Enter $(tr_ pick)"
tui_keys 1
assert_current "$L: 1 answers: multi" "公开了哪些信息"
check_screen "form: multi" "Space $(tr_ pick)"
tui_keys 1 2
assert_detail "$L: multi: both toggled" "[x] 2 收费标准"
tui_keys Down
assert_current "$L: number" "收费金额"
check_screen "form: number" "Enter $(tr_ edit)"
tui_type 25
assert_detail_line "$L: number typed" " > 25"
check_screen "form: editing" "Esc $(tr_ cancel)"
tui_keys Enter
assert_current "$L: scale" "满意度"
check_screen "form: scale" "1-9 $(tr_ answer)"
tui_keys 4
assert_current "$L: text" "备注"
check_screen "form: text" "Enter $(tr_ edit)"
tui_keys Enter
tui_type "窗口有人"
tui_keys Enter
assert_current "$L: date" "暗访日期"
check_screen "form: date" "Enter $(tr_ edit)"
tui_keys Enter C-u
tui_type 2026-12-01
tui_keys Enter
assert_current "$L: time" "到达时间"
check_screen "form: time" "Enter $(tr_ edit)"
tui_keys Enter C-u
tui_type 09:30
tui_keys Enter
assert_current "$L: timer" "等候时长"
check_screen "form: timer" "Bksp $(tr_ reset)"
tui_keys Space
assert_detail "$L: the stopwatch runs" "$(tr_ " (running)" | sed 's/^ *//')"
tui_keys Space
assert_detail_gone "$L: the stopwatch stops" "$(tr_ " (running)" | sed 's/^ *//')"
tui_keys Down
assert_current "$L: count" "排队人数"
check_screen "form: count" "Bksp $(tr_ reset)"
tui_keys + +
# the soft check asks for its reason at once
assert_detail "$L: count: the reason asked" "$(tr_ "Reason: ")"
tui_type "高峰时段"
tui_keys Enter
assert_detail "$L: the reason given" "高峰时段"
assert_screen "$L: all answered" "10/10"
check_help "form" "filling the form"

# --- review, finalize
tui_keys r
assert_screen "$L: review: ready" "$(tr_ "ready: f finalizes the visit")"
# shellcheck disable=SC2059
assert_screen "$L: review: heading" \
    "anfang  $(printf "$(tr_ "review: %s  |  %s")" 全部题型 东城区政务服务中心)"
check_screen "review" "f $(tr_ finalize)"
check_help review "review and finalize"
tui_keys f
assert_screen "$L: finalize asks" \
    "$(tr_ "Finalize? It cannot be changed afterwards, only amended.")"
check_screen "review: confirm"
tui_keys y
assert_screen "$L: finalized" "$(tr_ "visit finalized")" 20
assert_screen "$L: listed final" "> $(tr_ final)"
check_screen "visits, one final" "q $(tr_ quit)"

# --- export asks where, in the interface language
tui_keys e
assert_screen "$L: export: the folder asked" "$(tr_ "Export to folder: ")"
check_screen "export: folder"
tui_keys Escape
assert_screen_gone "$L: export: Esc cancels" "$(tr_ "Export to folder: ")"

# --- the report screen: the month in the interface language
tui_keys r
month=$(date +%Y年%m月)
# shellcheck disable=SC2059
assert_screen "$L: report: heading, the month as Chinese writes it" \
    "anfang  $(printf "$(tr_ "report: %s  |  %s")" 全部题型 "$month")"
assert_screen "$L: report: the unit ranked" "东城区政务服务中心"
check_screen "report" "Enter $(tr_ visits)"
# shellcheck disable=SC2059
assert_screen "$L: report: the alerts' tab, with their number" \
    "  $(printf "$(tr_ "alerts (%zu)")" 0)"
check_help report report
# the unit's visits of the month
tui_keys Enter
# shellcheck disable=SC2059
assert_screen "$L: report: Enter, the unit's visits" \
    "anfang  $(printf "$(tr_ "visits of: %s  |  %s")" 东城区政务服务中心 "$month")"
check_screen "report: a unit's visits"
# its review, and one answer on a screen of its own
tui_keys Enter
# shellcheck disable=SC2059
assert_screen "$L: report: Enter, the visit's review" \
    "anfang  $(printf "$(tr_ "review: %s  |  %s")" 全部题型 东城区政务服务中心)"
check_screen "report: a visit's review"
tui_keys Enter
# shellcheck disable=SC2059
assert_screen "$L: report: Enter, an answer" \
    "anfang  $(printf "$(tr_ "answer: %s  |  %s")" 全部题型 东城区政务服务中心)"
check_screen "report: an answer"
tui_keys q q
# shellcheck disable=SC2059
assert_screen "$L: report: q q, back to the unit's visits" \
    "anfang  $(printf "$(tr_ "visits of: %s  |  %s")" 东城区政务服务中心 "$month")"
tui_keys q
# shellcheck disable=SC2059
assert_screen "$L: report: q, back to the report" \
    "anfang  $(printf "$(tr_ "report: %s  |  %s")" 全部题型 "$month")"
# the alert queue
tui_keys a
assert_screen "$L: report: a, the alerts" "$(tr_ "No alert in this period.")"
check_screen "report: alerts"
tui_keys q
assert_screen "$L: report: q goes back to the visits" "> $(tr_ final)"

# --- the lock, and back
tui_keys C-l
assert_screen_gone "$L: lock: the list goes" "东城区政务服务中心"
assert_eq "$L: lock: only \"\$\" on the screen" '$' \
    "$(tui_screen | grep -v '^ *$')"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "$L: unlocked: the list again" "东城区政务服务中心" 20
check_screen "visits after the lock"
tui_keys q
# gone before the next start opens the same database
assert_eq "$L: q quits" 0 "$(tui_exit_status 20)"

# --- a second start: the unlock screen
tui_start "$ANFANG" --db "$UI_DB" --forms "$UI_FORMS"
assert_screen "$L: unlock: heading" "anfang  $(tr_ unlock)" 20
assert_screen "$L: unlock: prompt" "$(tr_ "Passphrase: ")"
check_screen "unlock"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "$L: unlocked: the visit final" "> $(tr_ final)" 30

# --- show in the interface language: the stored English events translated
id=$(ui_visit_id)
t_check "$L: show in $L" an show "$id"
assert_contains "$L: show: the audit events in $L" \
    "$(tr_ "visit started"): form all-types version 1" "$T_OUT"
assert_not_contains "$L: show: no English event left" "visit started" \
    "$T_OUT"
assert_contains "$L: show: the status in $L" "$id  $(tr_ final)  " "$T_OUT"

t_check "$L: list in $L" an list
assert_contains "$L: list: the status in $L" "$id  $(tr_ final)  " "$T_OUT"

# --- the same visit in English
i18n_use C
t_check "$L: show in C" an show "$id"
assert_contains "$L: show: English" "unit      东城区政务服务中心 (dongcheng)" \
    "$T_OUT"
assert_contains "$L: show: English audit line" "audit trail: intact" "$T_OUT"
assert_contains "$L: show: English status" "visit $id  final  form" "$T_OUT"
assert_contains "$L: show: English events" "visit started: form all-types" \
    "$T_OUT"
assert_contains "$L: show: the reason, in English words" \
    "queue: 排队人数较多; reason: 高峰时段" "$T_OUT"
t_check "$L: list in C" an list
assert_contains "$L: list: English status" "$id  final     " "$T_OUT"
ui_show_flat "$id"
assert_eq "$L: the answers given in $L" "arrival=s:09:30
attitude=s:good
fee=n:25
notes=s:窗口有人
on_duty=s:yes
public_info[0]=s:guide
public_info[1]=s:fees
queue=n:2
satisfaction=n:4
visit_date=s:2026-12-01" "$(ui_answers | grep -v '^waiting=')"
assert_contains "$L: status final" ".status=s:final" "$UI_SHOW"
