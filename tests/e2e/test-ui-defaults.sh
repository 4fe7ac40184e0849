#!/usr/bin/env bash
# A default is a suggestion until the inspector has seen it.  `record`
# stores only the answers its file gives.  In the UI a question's default
# (trips: 1 on the service-window forms) is shown marked "(default)" and
# counts as unanswered; moving off the question, or Enter on it, makes it
# the answer (stored, counted, with its audit entry).  A visit left without
# reaching the question has no answer there: show --json, the list's
# counts and the score leave it out.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

ANSWERS=$T_ROOT/tests/bench/answers-zh.json
ui_init

# --- record: only what the file gives
sed 's/"trips": 1, //' "$ANSWERS" >"$T_TMP/no-trips.json"
assert_exit "record without trips, finalized" 0 an record \
    --form service-window --unit dongcheng-gov-centre \
    --answers "$T_TMP/no-trips.json" --finalize
rec=$T_OUT
ui_show_flat "$rec"
assert_not_contains "record: trips' default is not an answer" \
    ".answers.trips=" "$UI_SHOW"
assert_contains "record: the other answers are" ".answers.settled=s:no" \
    "$UI_SHOW"
assert_exit "show (text)" 0 an show "$rec"
assert_eq "show: trips unanswered" "-" \
    "$(grep -A1 '^  trips  ' <<<"$T_OUT" | tail -n 1 | tr -d ' ')"
assert_contains "show: 21 of 22 answered" "answered 21 of 22" "$T_OUT"

# --- the UI: a default shown, not answered, until the question is left
ui_start
ui_unlock
ui_new_visit 政務 東城區政務
assert_screen "a new visit: nothing answered" "  |  0/16"
# the briefing note, arrival_time, people_waiting, wait, staff_present,
# badge_shown, competent, engaged, first_asked, service, trips
tui_keys Down Down Down Down Down Down Down Down Down Down
assert_current "trips, reached by moving past unanswered questions" \
    "為辦成這件事，一共跑了幾次"
assert_answer "its default shown as a suggestion" "1 次 (default)"
assert_screen "still nothing answered" "  |  0/16"
id=$(ui_visit_id)
assert_eq "nothing stored yet" "0/16" \
    "$(an list | awk -v id="$id" '$1 == id { for (i = 1; i <= NF; i++)
        if ($i ~ /^[0-9]+\/[0-9]+$/) print $i }')"
tui_keys Down
assert_current "Down: the next question" "* 是否當場辦結（即辦）？"
assert_screen "trips now answered" "  |  1/16"
assert_contains "its row no longer says default" "1 次" \
    "$(tui_screen | grep '為辦成這件事')"
assert_not_contains "... and no (default) on the screen" "(default)" \
    "$(tui_screen)"
ui_show_flat "$id"
assert_eq "show --json: trips and nothing else" "trips=n:1" "$(ui_answers)"
assert_exit "show (text)" 0 an show "$id"
assert_contains "the trail: trips answered by moving on" \
    "answer set: trips: - -> 1" "$T_OUT"

# Enter on a default keeps it too (a number: the editor opens on it)
tui_keys Up
assert_current "back on trips" "為辦成這件事，一共跑了幾次"
tui_keys x
assert_screen "clear asks first" "Clear this answer?"
tui_keys y
assert_answer "cleared: the suggestion is back" "1 次 (default)"
assert_screen "trips unanswered again" "  |  0/16"
tui_keys Enter
assert_detail_line "Enter: the editor opens on the default" " > 1"
tui_keys Enter
assert_current "Enter keeps it and goes on" "* 是否當場辦結（即辦）？"
assert_screen "answered again" "  |  1/16"

# a visit left before reaching the question: no answer there
tui_keys q
assert_screen "back on the visits screen" "anfang  visits (" 10
ui_new_visit 政務 東城區政務
tui_keys Down
assert_current "arrival time" "* 到達時間"
tui_keys q
assert_screen "left at once" "anfang  visits (" 10
tui_keys q
assert_eq "q quits with 0" 0 "$(tui_exit_status 20)"
id2=$(ui_visit_id)
ui_show_flat "$id2"
assert_contains "the second visit: no answers at all" ".answers={}" \
    "$UI_SHOW"
assert_contains "... a score of 0" ".score=n:0" "$UI_SHOW"

t_done
