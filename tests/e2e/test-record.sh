#!/usr/bin/env bash
# anfang record, list, show and amend: a complete set of answers is stored
# exactly (show --json holds those answers and no others); --finalize makes
# the visit final; every invalid visit is refused with exit 65 and nothing
# stored; a soft check needs --reason; a final visit is amended with a
# reason kept beside the original, a draft is not; an amendment must leave
# what finalizing accepts (required follow-ups, constraints, soft checks
# with --warn-reason), else it is refused with every problem listed; show
# has the amended values, each marked with its original.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

FORMS=$T_ROOT/forms
ANSWERS=$T_ROOT/tests/bench/answers-zh.json
UNIT=dongcheng-gov-centre
PASS=$T_TMP/pass
printf 'record test pass\n' >"$PASS"
J=$T_TMP/answers
mkdir -p "$J"
db=$T_TMP/data/visits.db

# an ARGS...: anfang on the test database with the passphrase
an()
{
	"$ANFANG" --db "$db" --forms "$FORMS" "$@" --passphrase-fd 3 3<"$PASS"
}

# answers NAME SED-SCRIPT: a variant of the fixture in $J/NAME.json
answers()
{
	sed "$2" "$ANSWERS" >"$J/$1.json"
	if cmp -s "$ANSWERS" "$J/$1.json"; then
		t_fail "answers $1" "the sed script changed nothing"
		return 1
	fi
}

assert_exit "init" 0 "$ANFANG" init --db "$db" --kdf interactive \
    --passphrase-fd 3 3<"$PASS"

# --- the flattener itself
assert_eq "json_flat normalises numbers and layout" \
    '.a=n:200
.b[0]=s:x
.b[1]=s:y z
.c.d=null
.e=[]' "$(printf '{"a": 200.0, "b": ["x",\n "y z"], "c": {"d": null}, "e": []}' |
    json_flat)"

# --- a complete visit
assert_exit "record: exit 0" 0 an record --form service-window --unit "$UNIT" \
    --answers "$ANSWERS"
v1=$T_OUT
if [[ $v1 =~ ^[a-z0-9]{8,}$ ]]; then
	t_ok "record prints a visit id ($v1)"
else
	t_fail "record prints a visit id" "'$v1'"
fi
assert_exit "list: exit 0" 0 an list
assert_eq "list: one visit" 1 "$(printf '%s\n' "$T_OUT" | grep -c .)"
assert_eq "list: it is the recorded one, a draft" "$v1 draft" \
    "$(printf '%s\n' "$T_OUT" | awk '{ print $1, $2 }')"
assert_contains "list: the unit's name" "東城區政務服務中心" "$T_OUT"
assert_exit "list --json: exit 0" 0 an list --json
assert_contains "list --json: the id" "\"id\":\"$v1\"" "$T_OUT"

assert_exit "show --json: exit 0" 0 an show "$v1" --json
show=$(printf '%s\n' "$T_OUT" | json_flat)
want=$(json_flat <"$ANSWERS" | sort)
got=$(printf '%s\n' "$show" | sed -n 's/^\.answers\././p' | sort)
assert_eq "show --json: exactly the answers given" "$want" "$got"
assert_eq "show --json: 22 answers in the fixture" 22 \
    "$(printf '%s\n' "$want" | cut -d = -f 1 | sed 's/\[.*//' | sort -u |
    grep -c .)"
assert_contains "show --json: id" ".id=s:$v1" "$show"
assert_contains "show --json: status draft" ".status=s:draft" "$show"
assert_contains "show --json: form" ".form.id=s:service-window" "$show"
assert_contains "show --json: unit id" ".unit.id=s:$UNIT" "$show"
assert_contains "show --json: not finalized" ".finalized=null" "$show"
assert_contains "show --json: the high alert" \
    ".alerts[1].severity=s:high" "$show"
assert_contains "show --json: audit intact" ".audit.intact=true" "$show"
assert_exit "show: exit 0" 0 an show "$v1"
assert_contains "show: the detail text" "說下週再來，沒有理由" "$T_OUT"
assert_contains "show: audit trail intact" "audit trail: intact" "$T_OUT"
assert_exit "show by a unique prefix" 0 an show "${v1:0:6}"
assert_contains "show by prefix: that visit" "visit $v1" "$T_OUT"

# --- --finalize
assert_exit "record --finalize: exit 0" 0 an record --form service-window \
    --unit "$UNIT" --answers "$ANSWERS" --finalize
v2=$T_OUT
assert_exit "list after --finalize" 0 an list
assert_eq "list: the final one" "$v2 final" \
    "$(printf '%s\n' "$T_OUT" | awk -v id="$v2" '$1 == id { print $1, $2 }')"
assert_exit "list --status final" 0 an list --status final
assert_eq "list --status final: only it" "$v2" \
    "$(printf '%s\n' "$T_OUT" | awk '{ print $1 }')"
assert_exit "list --status draft" 0 an list --status draft
assert_eq "list --status draft: only the first" "$v1" \
    "$(printf '%s\n' "$T_OUT" | awk '{ print $1 }')"
assert_exit "show --json of the final one" 0 an show "$v2" --json
flat2=$(printf '%s\n' "$T_OUT" | json_flat)
assert_contains "final: status" ".status=s:final" "$flat2"
assert_not_contains "final: finalized is set" ".finalized=null" "$flat2"
assert_eq "final: same answers" "$want" \
    "$(printf '%s\n' "$flat2" | sed -n 's/^\.answers\././p' | sort)"

# --- invalid visits: exit 65, one line, nothing stored
an list >"$T_TMP/list.before"
# assert_refused NAME NEEDLE ARGS...: record ARGS fails with exit 65 and a
# one-line message containing NEEDLE, and the list is unchanged.
assert_refused()
{
	local name=$1 needle=$2
	shift 2
	assert_exit "$name: exit 65" 65 an record "$@"
	assert_eq "$name: one line on stderr" 1 \
	    "$(printf '%s\n' "$T_ERR" | grep -c .)"
	assert_contains "$name: says why" "$needle" "$T_ERR"
	assert_eq "$name: no id printed" "" "$T_OUT"
	an list >"$T_TMP/list.after"
	if cmp -s "$T_TMP/list.before" "$T_TMP/list.after"; then
		t_ok "$name: nothing stored"
	else
		t_fail "$name: nothing stored" "list changed"
		_t_indent <"$T_TMP/list.after"
	fi
}
common=(--form service-window --unit "$UNIT")

answers missing 's/"staff_present": "yes",//'
assert_refused "missing required answer" "staff_present" "${common[@]}" \
    --answers "$J/missing.json"
assert_refused "missing required answer, --finalize" "staff_present" \
    "${common[@]}" --answers "$J/missing.json" --finalize
answers fee0 's/"fee_amount": 200/"fee_amount": 0/'
assert_refused "constraint (fee_amount 0)" "fee_amount" "${common[@]}" \
    --answers "$J/fee0.json"
answers unknown 's/"notes":/"no_such_question": "x", "notes":/'
assert_refused "unknown question id" "no_such_question" "${common[@]}" \
    --answers "$J/unknown.json"
answers type 's/"staff_present": "yes"/"staff_present": 3/'
assert_refused "wrong type (staff_present 3)" "staff_present" \
    "${common[@]}" --answers "$J/type.json"
answers choice 's/"competent": "asked_others"/"competent": "maybe"/'
assert_refused "choice that does not exist" "competent" "${common[@]}" \
    --answers "$J/choice.json"
answers multi 's/\["phone", "chatting"\]/["phone", "juggling"]/'
assert_refused "multi value that does not exist" "distractions" \
    "${common[@]}" --answers "$J/multi.json"
answers max 's/"trips": 1/"trips": 51/'
assert_refused "number above max" "trips" "${common[@]}" \
    --answers "$J/max.json"
answers time 's/"09:15"/"9h15"/'
assert_refused "malformed time" "arrival_time" "${common[@]}" \
    --answers "$J/time.json"
assert_refused "unknown form id" "no-such-form" --form no-such-form \
    --unit "$UNIT" --answers "$ANSWERS"
assert_refused "unknown unit" "no-such-unit" --form service-window \
    --unit no-such-unit --answers "$ANSWERS"
answers hidden 's/"staff_present": "yes"/"staff_present": "yes", "absent_wait": 30/'
assert_refused "answer to a question hidden by show_if" "absent_wait" \
    "${common[@]}" --answers "$J/hidden.json"
answers soft 's/"wait": 900/"wait": 2000/'
assert_refused "soft check without --reason (wait 2000)" "wait" \
    "${common[@]}" --answers "$J/soft.json"
assert_refused "soft check with an empty reason" "wait" "${common[@]}" \
    --answers "$J/soft.json" --reason 'wait='
printf '{"staff_present": "yes",\n' >"$J/broken.json"
assert_refused "malformed JSON" "broken.json" "${common[@]}" \
    --answers "$J/broken.json"
printf '["yes"]\n' >"$J/array.json"
assert_refused "answers not an object" "array.json" "${common[@]}" \
    --answers "$J/array.json"
assert_exit "answers file missing: exit 66" 66 an record "${common[@]}" \
    --answers "$J/none.json"
assert_exit "record without --unit: exit 64" 64 an record \
    --form service-window --answers "$ANSWERS"

# --- the soft check with a reason
assert_exit "soft check with --reason: exit 0" 0 an record "${common[@]}" \
    --answers "$J/soft.json" --reason 'wait=只開了一個窗口'
v3=$T_OUT
assert_exit "show the soft-checked visit" 0 an show "$v3" --json
flat3=$(printf '%s\n' "$T_OUT" | json_flat)
assert_contains "the warning is stored" ".warnings[0].question=s:wait" \
    "$flat3"
assert_contains "with its reason" ".warnings[0].reason=s:只開了一個窗口" \
    "$flat3"
assert_contains "and the answer" ".answers.wait=n:2000" "$flat3"

# --- amend
assert_exit "amend a final visit: exit 0" 0 an amend "$v2" attitude 4 \
    --reason '記錯了，應為好'
assert_exit "show the amended visit" 0 an show "$v2"
assert_contains "show: the amendment with its reason" \
    "attitude: 4 (好), because: 記錯了，應為好" "$T_OUT"
assert_contains "show: the audit entry" "amended: attitude: 3 -> 4" "$T_OUT"
assert_contains "show: audit trail still intact" "audit trail: intact" \
    "$T_OUT"
assert_exit "show --json of the amended visit" 0 an show "$v2" --json
flat2=$(printf '%s\n' "$T_OUT" | json_flat)
assert_contains "amendment: question" ".amendments[0].question=s:attitude" \
    "$flat2"
assert_contains "amendment: value" ".amendments[0].value=n:4" "$flat2"
assert_contains "amendment: reason" ".amendments[0].reason=s:記錯了，應為好" \
    "$flat2"
assert_contains "answers: the amended value, as the score reads it" \
    ".answers.attitude=n:4" "$flat2"
assert_contains "amended: the original answer is kept" \
    ".amended.attitude.original=n:3" "$flat2"
assert_contains "amended: with the amendment's reason" \
    ".amended.attitude.reason=s:記錯了，應為好" "$flat2"
assert_contains "still final" ".status=s:final" "$flat2"
assert_exit "show the amended visit (text)" 0 an show "$v2"
assert_eq "show: the body has the amended value, then the mark" \
    "4 (好)|(amended" "$(grep -A2 '^  attitude  ' <<<"$T_OUT" | tail -n 2 |
        sed 's/^ *//; s/^\((amended\) .*/\1/' | paste -sd '|')"
assert_contains "show: marked with the original and the reason" \
    "; originally 3 (一般); because: 記錯了，應為好)" "$T_OUT"

# refused amendments change nothing
# assert_amend_refused NAME CODE VISIT ARGS...: amend fails with CODE and
# the visit's show --json is unchanged.
assert_amend_refused()
{
	local name=$1 code=$2 visit=$3 before after
	shift 3
	# the show after one refusal is the show before the next one
	if [ "$visit" = "${last_visit:-}" ]; then
		before=$last_show
	else
		before=$(an show "$visit" --json)
	fi
	assert_exit "$name: exit $code" "$code" an amend "$visit" "$@"
	assert_eq "$name: one line on stderr" 1 \
	    "$(printf '%s\n' "$T_ERR" | grep -c .)"
	after=$(an show "$visit" --json)
	last_visit=$visit
	last_show=$after
	if [ "$before" = "$after" ]; then
		t_ok "$name: visit unchanged"
	else
		t_fail "$name: visit unchanged" "show --json differs"
		diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") |
		    _t_indent
	fi
}
assert_amend_refused "amend a draft" 65 "$v1" attitude 4 --reason x
assert_contains "amend a draft: says it is a draft" "draft" "$T_ERR"
assert_amend_refused "amend without --reason" 64 "$v2" attitude 5
assert_amend_refused "amend out of range" 65 "$v2" attitude 9 --reason x
assert_amend_refused "amend an unknown question" 65 "$v2" nosuch 1 \
    --reason x
assert_amend_refused "amend a hidden question" 65 "$v2" absent_wait 30 \
    --reason x

# --- an amendment must leave what finalizing would accept
# v4: no favours asked, the staff attentive (attitude's soft check,
# ". <= 2 and engaged", can fire)
answers clean 's/"favours": "yes"/"favours": "no"/; s/"favour_kind": \["unlisted_fee"\], "fee_amount": 200, "receipt_given": "no",//; s/"engaged": "no"/"engaged": "yes"/; s/"distractions": \["phone", "chatting"\], //'
assert_exit "record a clean final visit" 0 an record "${common[@]}" \
    --answers "$J/clean.json" --finalize
v4=$T_OUT
# answered N of M in the list: every shown question answered
list_counts()
{
	an list | awk -v id="$1" '$1 == id { for (i = 1; i <= NF; i++)
	    if ($i ~ /^[0-9]+\/[0-9]+$/) print $i }'
}
assert_amend_refused "favours yes without its required follow-up" 65 \
    "$v4" favours yes --reason "忘了記"
assert_contains "... names favour_kind" "favour_kind: required" "$T_ERR"
assert_amend_refused "attitude 2 without the soft check's reason" 65 \
    "$v4" attitude 2 --reason "記錯"
assert_contains "... names attitude's soft check" "attitude:" "$T_ERR"
assert_contains "... and asks for a reason" "give a reason" "$T_ERR"
assert_amend_refused "both at once: every problem listed" 65 "$v4" \
    favours yes attitude 2 --reason "記錯"
assert_contains "... 2 problems" "2 problems" "$T_ERR"
assert_contains "... favour_kind" "favour_kind: required" "$T_ERR"
assert_contains "... attitude" "attitude:" "$T_ERR"
assert_amend_refused "a constraint broken by the follow-up" 65 "$v4" \
    favours yes favour_kind '["cash"]' fee_amount 0 --reason "記錯"
assert_contains "... fee_amount's constraint" "fee_amount:" "$T_ERR"
assert_amend_refused "--warn-reason where no soft check fires" 65 "$v4" \
    attitude 4 --reason "記錯" --warn-reason 'attitude=沒有'
assert_contains "... says so" "no soft check" "$T_ERR"
assert_amend_refused "--warn-reason of an unknown question" 65 "$v4" \
    attitude 4 --reason "記錯" --warn-reason 'nosuch=x'
assert_amend_refused "a question and no value" 64 "$v4" attitude \
    --reason "記錯"
assert_eq "refused: the list's counts unchanged" "18/18" \
    "$(list_counts "$v4")"

assert_exit "favours, favour_kind and attitude in one amendment" 0 \
    an amend "$v4" favours yes favour_kind '["cash","gift"]' attitude 2 \
    --reason "當時漏記" --warn-reason 'attitude=態度確實差，但有在聽'
assert_contains "... names what it amended" \
    "amended favours, favour_kind, attitude" "$T_OUT"
# favour_kind (required) answered; fee_amount (optional) shown, empty
assert_eq "the amended visit: its follow-ups counted" "19/20" \
    "$(list_counts "$v4")"
assert_exit "show --json of it" 0 an show "$v4" --json
flat4=$(printf '%s\n' "$T_OUT" | json_flat)
assert_contains "answers: favours as amended" ".answers.favours=s:yes" \
    "$flat4"
assert_contains "answers: its follow-up" ".answers.favour_kind[1]=s:gift" \
    "$flat4"
assert_contains "amended: favours was no" ".amended.favours.original=s:no" \
    "$flat4"
assert_contains "amended: favour_kind had no answer" \
    ".amended.favour_kind.original=null" "$flat4"
assert_contains "the high alert, from the amended answer" \
    ".question=s:favours" "$(grep '^\.alerts' <<<"$flat4")"
assert_contains "the soft check with its reason" \
    ".warnings[0].reason=s:態度確實差，但有在聽" "$flat4"
assert_contains "three amendments, one reason" \
    ".amendments[2].reason=s:當時漏記" "$flat4"
assert_contains "the trail intact" ".audit.intact=true" "$flat4"
assert_exit "show (text) of it" 0 an show "$v4"
assert_contains "the trail has the soft check's reason" \
    'reason given: attitude: "態度確實差，但有在聽"' "$T_OUT"
assert_contains "the trail has each amendment" \
    "amended: favours: no -> yes, because: 當時漏記" "$T_OUT"

assert_exit "show an unknown visit: fails (no input)" 66 an show zzzzzzzz
assert_contains "show an unknown visit: says so" "zzzzzzzz" "$T_ERR"

assert_exit "final list" 0 an list
assert_eq "four visits stored in all" 4 "$(printf '%s\n' "$T_OUT" | grep -c .)"

t_done
