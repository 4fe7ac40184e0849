#!/usr/bin/env bash
# e2e: normal build only: the code of the English messages, which other files run sanitized
# What the commands print about a database follows the interface language
# too: report's periods as Chinese writes them (2026年11月, 2026年第4季度,
# 2026年) in zh_CN and zh_TW, as numbers in C; a target on a yes/no question
# in the words of the form it shows (是, or the English twin's yes), and
# show's answers in the words of each visit's form (是 or yes), whatever
# the interface's language; show's trail of the alerts handled, and
# verify's name of the check that failed, in the interface language (JSON
# keeps the English name).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"
# shellcheck source-path=SCRIPTDIR source=i18n-lib.sh
. "$(dirname "$0")/i18n-lib.sh"

i18n_ready || { t_done; exit 1; }

# tr_ MSGID: MSGID in the current interface language.
tr_()
{
	i18n_tr "$1"
}

# answer_line TEXT ID: the answer line under question ID in show's text
answer_line()
{
	printf '%s\n' "$1" | awk -v id="$2" \
	    '$1 == id || $1 == id "*" { getline; sub(/^ +/, ""); print; exit }'
}

ui_init
# Two months of the Simplified form; settled "no" misses its target.
cat >"$T_TMP/answers.json" <<'EOF'
{"arrival_time": "14:10", "staff_present": "yes", "competent": "could_not",
 "engaged": "yes", "first_asked": "passed_on", "settled": "no",
 "not_settled_reason": "referred", "favours": "no"}
EOF
for at in "2026-10-12 09:30" "2026-11-20 09:30"; do
	t_check "record a visit at $at" an record --form service-window-zh-hans \
	    --unit dongcheng-tax-01 --answers "$T_TMP/answers.json" \
	    --finalize --at "$at"
done
id=$T_OUT
t_check "record a visit on the English twin" an record \
    --form service-window-en --unit dongcheng-tax-01 \
    --answers "$T_TMP/answers.json" --at "2026-11-21 09:30"
en_id=$T_OUT
t_check "alerts close" an alerts close "$id" first_asked --note 已核查
t_check "alerts reopen" an alerts reopen "$id" first_asked

for l in zh_CN zh_TW C; do
	i18n_use "$l"
	# English in a UTF-8 locale, where the form's Chinese prints as it is
	[ "$l" = C ] && export LANG=C.UTF-8 LC_ALL=C.UTF-8
	# (the catalogue's formats, filled as the program fills them)
	# shellcheck disable=SC2059
	period()
	{
		printf "$(tr_ "Period: %s, compared with %s")" "$1" "$2"
	}
	case $l in
	# (the report reads the family's twin in the reader's language)
	C) month=2026-11 before=2026-10 q="2026 Q4" qb="2026 Q3" y=2026 yb=2025
	   yes=yes ;;
	*) month=2026年11月 before=2026年10月 q=2026年第4季度 qb=2026年第3季度
	   y=2026年 yb=2025年 yes=是 ;;
	esac
	t_check "$l: report" an report
	assert_eq "$l: report: the month in $l" "$(period $month $before)" \
	    "$(printf '%s\n' "$T_OUT" | sed -n 2p)"
	# shellcheck disable=SC2059
	assert_contains "$l: report: the target in the form's words" \
	    "$(printf "$(tr_ "share of %s at least %s")" $yes "70.0 %")" "$T_OUT"
	t_check "$l: report --period quarter" an report --period quarter
	assert_eq "$l: report: the quarter in $l" "$(period "$q" "$qb")" \
	    "$(printf '%s\n' "$T_OUT" | sed -n 2p)"
	t_check "$l: report --period year" an report --period year
	assert_eq "$l: report: the year in $l" "$(period $y $yb)" \
	    "$(printf '%s\n' "$T_OUT" | sed -n 2p)"

	t_check "$l: show" an show "$id"
	assert_contains "$l: show: an alert closed, in $l" \
	    "  $(tr_ "alert closed"): $id first_asked: 已核查" "$T_OUT"
	assert_contains "$l: show: and reopened, in $l" \
	    "  $(tr_ "alert reopened"): $id first_asked" "$T_OUT"

	# the interface's language is not the form's: yes/no as each form
	# says them, 是 on the Chinese form, yes on the English one
	t_check "$l: show, English form" an show "$en_id"
	assert_eq "$l: show: the English form's yes" "yes" \
	    "$(answer_line "$T_OUT" staff_present)"
	assert_contains "$l: show: the English form's label" \
	    "When your turn came, was someone at the window?" "$T_OUT"
	t_check "$l: show, Chinese form" an show "$id"
	assert_eq "$l: show: the Chinese form's yes" "是" \
	    "$(answer_line "$T_OUT" staff_present)"

	assert_exit "$l: verify a missing batch" 65 an verify "$T_TMP/none.jsonl"
	# shellcheck disable=SC2059
	assert_contains "$l: verify: the check that failed, in $l" \
	    "$(printf "$(tr_ $'%s: FAILED (%s): %s\n')" "$T_TMP/none.jsonl" \
	        "$(tr_ unreadable)" "$T_TMP/none.jsonl")" "$T_OUT"
	assert_exit "$l: verify --json" 65 an verify --json "$T_TMP/none.jsonl"
	assert_contains "$l: verify --json: the check's English name" \
	    '"failed":"unreadable"' "$T_OUT"
done
i18n_use zh_CN
assert_not_contains "zh_CN: the catalogue names the check" unreadable \
    "$(tr_ unreadable)"
assert_not_contains "zh_CN: the catalogue names the event" "alert closed" \
    "$(tr_ "alert closed")"

t_done
