#!/usr/bin/env bash
# A newcomer's first run at 80x24 in UTF-8: the UI offers to create the
# database (at the default place, 0600 in a 0700 directory), then a visit
# with the Chinese service-window form, the unit found by typing Chinese,
# and every question type answered by its own keys: time (edited), count
# (+ and -), timer (Space, Space), yes/no, choice and scale by number,
# multi toggles, number by typing digits, multi-line Chinese text.  On the
# way: a show_if question appears after an answer, a constraint message,
# soft checks asking for a reason (empty refused), alerts; review refuses
# to finalize while a problem is listed, Enter jumps to it, f finalizes
# after a confirm.  show --json then holds exactly those answers.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

UI_PASS='暗訪 spring 2026'
UI_DB=$XDG_DATA_HOME/anfang/anfang.db

# --- first run: create the database (no --db: the default place)
tui_start "$ANFANG" --forms "$UI_FORMS" --kdf interactive
assert_screen "first run: offers to create the database" \
    "Create it, encrypted with a new passphrase? (y/n)" 20
assert_screen "first run: says there is none yet" \
    "There is no database here yet."
tui_keys y
assert_screen "y: asks for a new passphrase" "New passphrase:"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "asks for it again" "The same again:"
assert_not_contains "the passphrase is not echoed" "spring" "$(tui_screen)"
tui_type "$UI_PASS"
tui_keys Enter
assert_screen "created: the empty visits screen" \
    "No visits yet: press n to start one." 30
if [ -f "$UI_DB" ]; then
	t_ok "database at \$XDG_DATA_HOME/anfang/anfang.db"
else
	t_fail "database at \$XDG_DATA_HOME/anfang/anfang.db" \
	    "$(find "$T_TMP" -name '*.db' 2>/dev/null)"
fi
assert_eq "database file mode 600" 600 "$(stat -c %a "$UI_DB" 2>/dev/null)"
assert_eq "database directory mode 700" 700 \
    "$(stat -c %a "$(dirname "$UI_DB")" 2>/dev/null)"

# --- a new visit: the Chinese form, the unit filtered by typing Chinese
tui_keys n
assert_screen "n: the form list" "Form (type to filter):"
assert_screen "four forms" "4 match"
tui_type "政務"
assert_screen "typing 政務 leaves one form" "1 match"
assert_contains "the Chinese form is the one" "> 政務服務窗口暗訪檢查表" \
    "$(tui_screen)"
tui_keys Enter
assert_screen "the unit list" "Unit observed (type to filter):"
assert_screen "all 386 units before typing" "386 match"
tui_type "東城"
assert_screen "typing 東城 filters the units" \
    "Unit observed (type to filter): 東城"
assert_screen_gone "no longer all the units" "386 match"
units=$(tui_screen | sed -n '4,22p' | grep -v '^ *$')
assert_eq "every unit listed has 東城 in its name" "" \
    "$(printf '%s\n' "$units" | grep -v '東城')"
assert_contains "the first is selected" "> 東城區政務服務中心" "$units"
tui_keys Enter
assert_screen "division prompt" "Division (optional, Enter to skip):"
tui_keys Enter
assert_screen "person prompt" \
    "Window or badge number (optional, Enter to skip):"
tui_keys Enter
# nothing answered yet: trips' default is a suggestion, not an answer
assert_screen "the form, its title and the unit in the heading" \
    "anfang  政務服務窗口暗訪檢查表  |  東城區政務服務中心  |  0/16"
assert_screen "the first section" "到達與等候"
assert_current "the first question is the briefing note" "請以普通群眾身份辦事"

# --- time: Enter edits (now is offered), Ctrl-U clears, Enter keeps
tui_keys Down
assert_current "Down: arrival time, required" "* 到達時間"
tui_keys Enter
if _ui_poll_detail any " > " 10 2>/dev/null &&
    ui_detail | grep -qE '^ > [0-9]{2}:[0-9]{2}$'; then
	t_ok "time: the editor offers the time now"
else
	t_fail "time: the editor offers the time now" "$(ui_detail)"
fi
tui_keys C-u
tui_type "09:30"
assert_detail_line "time: typed" " > 09:30"
tui_keys Enter
assert_current "Enter keeps the time and goes on" "到達時排隊等候的人數"
assert_screen "progress 1/16" "  |  1/16"

# --- count: + and -
tui_keys + + + +
assert_answer "count: + four times" "4"
tui_type -
assert_answer "count: - takes one back" "3"

# --- timer: Space starts, Space stops
tui_keys Down
assert_current "the waiting-time stopwatch" "等候時間"
tui_keys Space
assert_detail "Space starts the stopwatch" "(running)"
sleep 1.3
tui_keys Space
assert_detail_gone "Space stops it" "(running)"
wait_s=$(ui_mmss_s "$(ui_detail)")
if [ -n "$wait_s" ] && [ "$wait_s" -ge 1 ] && [ "$wait_s" -le 3 ]; then
	t_ok "the stopwatch shows about 1 s ($wait_s)"
else
	t_fail "the stopwatch shows about 1 s" "$(ui_detail)"
fi

# --- yesno, and a show_if question appearing
tui_keys Down
assert_current "staff present, required" "* 輪到自己時，窗口人員是否在崗？"
assert_not_contains "absent_wait hidden before the answer" \
    "等待窗口人員回到崗位的時間" "$(tui_screen)"
tui_keys n
assert_current "n: absent_wait appears and is next" "等待窗口人員回到崗位的時間"
assert_screen "one more question visible" "  |  4/17"
tui_keys Space
assert_detail "absent_wait stopwatch started" "(running)"
sleep 1.2
tui_keys Space
assert_detail_gone "absent_wait stopwatch stopped" "(running)"
absent_s=$(ui_mmss_s "$(ui_detail)")
tui_keys Down
assert_current "badge question" "工作人員是否佩戴工作牌"
tui_keys y
assert_current "y answers and goes on: competent (a choice)" \
    "* 對所諮詢的問題，工作人員能否答覆（在行）？"
assert_detail "the choices are numbered" "( ) 1 能當場準確答覆"

# --- choice by number
tui_keys 2
assert_current "2 chooses and goes on: engaged" "* 工作人員是否專心辦事"
tui_keys y
assert_current "engaged yes: distractions stay hidden" \
    "* 第一個被詢問的工作人員怎樣處理"
tui_keys 1
assert_current "1 chooses: the service stopwatch" "辦理時間"

# --- number by digits, and its soft check with a reason
tui_keys Down
assert_current "trips (a number)" "為辦成這件事，一共跑了幾次"
assert_answer "its default is shown, as a suggestion" "1 次 (default)"
tui_keys 3
assert_detail_line "a digit starts the edit with it" " > 3"
tui_keys Enter
assert_detail "trips 3: the soft check asks for a reason" "Reason:"
assert_screen "the warn message" "超過「最多跑一次」，請記錄之前各次未辦成的原因"
tui_type "前兩次材料不全"
tui_keys Enter
assert_current "the reason kept, next: settled" "* 是否當場辦結（即辦）？"
tui_keys y
assert_current "settled yes: the integrity note" "如被暗示或索要好處"
tui_keys Down
assert_current "favours" "* 是否被索要好處、禮品或收取不合理費用？"
assert_not_contains "favour_kind hidden before" "被索要的是什麼？" \
    "$(tui_screen)"

# --- an alert, and multi toggles
tui_keys y
assert_screen "favours yes: the alert message" "疑似吃拿卡要，請立即核查"
assert_screen "the heading says alerts" "alerts!"
assert_current "favour_kind appears (a multi)" "* 被索要的是什麼？"
tui_keys 1
assert_detail "1 ticks cash" "[x] 1 現金或轉賬"
tui_keys 4
assert_detail "4 ticks unlisted fee" "[x] 4 未公示的收費"
tui_keys 2
assert_detail "2 ticks gifts" "[x] 2 禮品或購物卡"
tui_keys 2
assert_detail "2 again unticks gifts" "[ ] 2 禮品或購物卡"
assert_current "toggling stays on the question" "* 被索要的是什麼？"

# --- a constraint
tui_keys Down
assert_current "fee_amount appears (favours yes)" "索要或收取的金額"
tui_keys 0 Enter
assert_screen "fee 0: the constraint message" \
    "金額必須大於 0；不涉及金錢時請留空"
assert_detail "shown in place too" "x 金額必須大於 0；不涉及金錢時請留空"
assert_current "a failing constraint does not go on" "索要或收取的金額"
# Left failing on purpose: the review must list it.
tui_keys Down
assert_current "receipt (unlisted fee ticked)" "收費後是否開具正式票據？"
tui_keys n
assert_screen "receipt no: the second alert" "收取未公示費用且未開具票據"
assert_current "posted (a multi)" "窗口或大廳公開了哪些信息"
tui_keys 2
assert_detail "posted: 2" "[x] 2 辦事程序"
tui_keys 4
assert_detail "posted: 4" "[x] 4 收費標準"
tui_keys 6
assert_detail "posted: 6" "[x] 6 投訴監督電話"
tui_keys Down
assert_current "posted quality (a choice)" "公開的信息是否完整、準確、及時更新？"
tui_keys 1
assert_current "1: complete, with fees posted no soft check; attitude" \
    "總體服務態度"

# --- scale, and a soft check whose reason cannot be empty
assert_detail "the scale points with their labels" "1 很差"
tui_keys 2
assert_detail "scale 2 chosen" "(*) 2 差"
assert_detail "attitude 2 with engaged: the reason editor" "Reason:"
assert_screen "its warn message" "態度評為差卻記錄為「在狀態」，請確認"
tui_keys Enter
assert_screen "an empty reason is refused" "a reason is needed here"
assert_current "still on attitude" "總體服務態度"
tui_type "整體尚可，個別態度差"
tui_keys Enter
assert_current "the reason kept: notes" "備註"

# --- multi-line Chinese text: Enter is a new line, Ctrl-D keeps
tui_keys Enter
assert_detail_line "notes: the editor opens" " >"
tui_type "大廳秩序良好，叫號正常"
tui_keys Enter
tui_type "第二行：環境整潔"
assert_detail "the second line typed" "第二行：環境整潔"
tui_keys C-d
assert_detail_line "Ctrl-D keeps it: its first line" "  大廳秩序良好，叫號正常"
assert_detail_line "... and its second" "  第二行：環境整潔"
assert_screen "progress 19/20 (service left unanswered)" "  |  19/20  alerts!"

# --- review: the problem blocks finalizing; Enter jumps to it
tui_keys r
assert_screen "r: review" "anfang  review: 政務服務窗口暗訪檢查表  |  東城區政務服務中心"
assert_screen "one problem to settle" "1 to settle before finalizing:"
assert_screen "the failing constraint listed first" \
    "> x 索要或收取的金額: 金額必須大於 0；不涉及金錢時請留空"
assert_screen "the high alert listed" "! [high] 是否被索要好處、禮品或收取不合理費用？: 疑似吃拿卡要，請立即核查"
tui_keys f
assert_screen "f with a problem: refused" "settle the listed problems first"
tui_keys Enter
assert_current "Enter jumps to the problem" "索要或收取的金額"
tui_keys 1
tui_type "50.5"
assert_detail_line "a new amount typed" " > 150.5"
tui_keys Enter
assert_current "150.5 kept, on to the receipt" "收費後是否開具正式票據？"
assert_screen_gone "the constraint message is gone" "金額必須大於 0"
tui_keys F9
assert_screen "F9: review again, ready" "ready: f finalizes the visit"
assert_screen "reasons listed" "? 為辦成這件事，一共跑了幾次（包括本次）？: 超過「最多跑一次」"
assert_screen "second alert listed" "! [high] 收費後是否開具正式票據？: 收取未公示費用且未開具票據"
assert_screen "score and counts" "draft  answered 19 of 20"
tui_keys f
assert_screen "f asks first" \
    "Finalize? It cannot be changed afterwards, only amended. (y/n)"
tui_keys n
assert_screen_gone "n: not finalized" "Finalize?"
assert_screen "still the draft's review" "ready: f finalizes the visit"
tui_keys f
assert_screen "f asks again" "Finalize? It cannot be changed"
tui_keys y
assert_screen "y: finalized, back to the visits" "visit finalized" 20
assert_screen "the visit is listed final" "> final    "
assert_screen "with its unit" "東城區政務服務中心"
tui_keys q
assert_eq "q quits with status 0" 0 "$(tui_exit_status 20)"
assert_eq "the screen is left blank" "" "$(tui_screen | tr -d ' \n')"

# --- what was stored
id=$(ui_visit_id)
if [[ $id =~ ^[a-z0-9]{8,}$ ]]; then
	t_ok "list: one visit ($id)"
else
	t_fail "list: one visit" "'$id'"
fi
assert_eq "list: final" "final" "$(an list | awk 'NR == 1 { print $2 }')"
ui_show_flat "$id"
want=$(LC_ALL=C sort <<EOF
absent_wait=n:${absent_s:-?}
arrival_time=s:09:30
attitude=n:2
badge_shown=s:yes
competent=s:asked_others
engaged=s:yes
favour_kind[0]=s:cash
favour_kind[1]=s:unlisted_fee
favours=s:yes
fee_amount=n:150.5
first_asked=s:responsible
notes=s:大廳秩序良好，叫號正常\n第二行：環境整潔
people_waiting=n:3
posted[0]=s:procedure
posted[1]=s:fees
posted[2]=s:complaints
posted_quality=s:complete
receipt_given=s:no
settled=s:yes
staff_present=s:no
trips=n:3
wait=n:${wait_s:-?}
EOF
)
assert_eq "show --json: exactly the answers given" "$want" "$(ui_answers)"
assert_contains "status final" ".status=s:final" "$UI_SHOW"
assert_contains "form" ".form.id=s:service-window" "$UI_SHOW"
assert_contains "unit" ".unit.id=s:dongcheng-gov-centre" "$UI_SHOW"
assert_contains "no division" ".division=null" "$UI_SHOW"
assert_contains "no person" ".person=null" "$UI_SHOW"
assert_contains "alert 1: favours" ".alerts[0].question=s:favours" "$UI_SHOW"
assert_contains "alert 2: receipt" ".alerts[1].question=s:receipt_given" \
    "$UI_SHOW"
assert_contains "trips reason" \
    ".warnings[0].reason=s:前兩次材料不全" "$UI_SHOW"
assert_contains "attitude reason" \
    ".warnings[1].reason=s:整體尚可，個別態度差" "$UI_SHOW"
assert_contains "audit trail intact" ".audit.intact=true" "$UI_SHOW"
assert_contains "the stopwatch in the audit" "=s:timer stopped" "$UI_SHOW"
assert_contains "the rejected amount in the audit too" \
    "=s:fee_amount: 0 -> 150.5" "$UI_SHOW"

t_done
