# shellcheck shell=bash
# Helpers for the terminal UI tests (test-ui-*.sh).  Source it after lib.sh:
#
#   # shellcheck source-path=SCRIPTDIR source=lib.sh
#   . "$(dirname "$0")/lib.sh"
#   # shellcheck source-path=SCRIPTDIR source=ui-lib.sh
#   . "$(dirname "$0")/ui-lib.sh"
#
# UI_DB is the database (in T_TMP), UI_PASS its passphrase (a test may
# change both before calling anything here), UI_FORMS the shipped forms.
# The form screen draws the list of questions on top and the current
# question's detail below a rule ("────" or, without UTF-8, "----").  A
# row of the list is ">" on the current one, a flag, a blank, "*" when the
# question is required, its label, and its answer at the row's end, two
# blanks or more after the label.  Below the rule is what the current row
# does not show: its label whole when the row cuts it ("* " first when it
# is required), its hint, its choices, its answer whole when the row does
# not show all of it, and its check message.  ui_current, ui_answer and
# ui_detail read the current question's row and that part of the screen.

UI_FORMS=$T_ROOT/forms
UI_DB=$T_TMP/db/anfang.db
UI_PASS='inspector pass 7'
UI_PASSFILE=$T_TMP/ui-pass
mkdir -p "$T_TMP/db"

# _ui_passfile: the passphrase as a file for --passphrase-fd.
_ui_passfile()
{
	printf '%s\n' "$UI_PASS" >"$UI_PASSFILE"
}

# an ARGS...: anfang on UI_DB with UI_PASS (for init, list, show).
an()
{
	_ui_passfile
	"$ANFANG" --db "$UI_DB" --forms "$UI_FORMS" "$@" \
	    --passphrase-fd 3 3<"$UI_PASSFILE"
}

# ui_init: create UI_DB from the command line (fast KDF); a check.
ui_init()
{
	t_check "init the database" an init --kdf interactive
}

# ui_start [ARGS...]: the UI on UI_DB with the shipped forms.
# shellcheck disable=SC2120 # the arguments are optional
ui_start()
{
	tui_start "$ANFANG" --db "$UI_DB" --forms "$UI_FORMS" "$@"
}

# ui_unlock [NAME]: type UI_PASS at the unlock prompt and reach the visits
# screen; two checks.  Argon2 is slow under the sanitizer: generous waits.
# shellcheck disable=SC2120 # the name is optional
ui_unlock()
{
	local name=${1:-unlock}
	assert_screen "$name: passphrase prompt" "Passphrase:" 20 || return 1
	tui_type "$UI_PASS"
	tui_keys Enter
	assert_screen "$name: visits screen" "anfang  visits (" 20
}

# _ui_detail_of SCREEN: set _UI_ROW to the current question's row of the
# list in SCREEN (the line marked ">" above the detail rule, the first
# line of at least 40 of ─ or -), and _UI_DETAIL to that row then the
# lines after the rule (both empty without a rule), in this shell: the
# polls below run it many times a second, and a pipeline forks.
_ui_detail_of()
{
	local line f=0
	_UI_DETAIL=
	_UI_ROW=
	while IFS= read -r line; do
		if [ "$f" -eq 1 ]; then
			_UI_DETAIL+=$line$'\n'
		elif [ "${#line}" -ge 40 ] && [[ $line =~ ^(─|-)+$ ]]; then
			f=1
		elif [ -z "$_UI_ROW" ] && [[ $line == '>'* ]]; then
			_UI_ROW=$line
		fi
	done <<<"$1"
	[ "$f" -eq 1 ] || _UI_ROW=
	_UI_DETAIL=${_UI_ROW:+$_UI_ROW$'\n'}$_UI_DETAIL
	_UI_DETAIL=${_UI_DETAIL%$'\n'}
}

# _ui_row_split ROW: set _UI_LABEL and _UI_ANSWER from a row of the list:
# after the mark, the flag and a blank, the label ("*" first when it is
# required), then the answer after the last two blanks or more.
_ui_row_split()
{
	local row=${1:3}
	_UI_LABEL=$row
	_UI_ANSWER=
	if [[ $row == *"  "* ]]; then
		_UI_LABEL=${row%  *}
		_UI_ANSWER=${row##*  }
	fi
	_UI_LABEL=${_UI_LABEL%"${_UI_LABEL##*[! ]}"}
}

# _ui_current: set _UI_CURRENT to the current question's label line, from
# what _ui_detail_of read: below the rule when its row cuts it (the row's
# label then ends in "…", or "~" without UTF-8), else as the row shows it,
# with its required mark as the detail writes it (" * 到達時間").
_ui_current()
{
	_ui_row_split "$_UI_ROW"
	case $_UI_LABEL in
	*… | *"~")
		_UI_CURRENT=
		if [[ $_UI_DETAIL == *$'\n'* ]]; then
			_UI_CURRENT=${_UI_DETAIL#*$'\n'}
			_UI_CURRENT=${_UI_CURRENT%%$'\n'*}
		fi
		;;
	"*"*) _UI_CURRENT=" * ${_UI_LABEL#\*}" ;;
	*) _UI_CURRENT=" ${_UI_LABEL# }" ;;
	esac
}

# ui_detail: the current question on the screen: its row in the list, then
# the detail below the rule.
ui_detail()
{
	local screen
	tui_screen_v || { printf '%s\n' "$T_SCREEN" >&2; return 1; }
	screen=$T_SCREEN
	_ui_detail_of "$screen"
	[ -z "$_UI_DETAIL" ] || printf '%s\n' "$_UI_DETAIL"
}

# ui_current: the current question's label line (see _ui_current).
ui_current()
{
	local screen
	tui_screen_v || { printf '%s\n' "$T_SCREEN" >&2; return 1; }
	screen=$T_SCREEN
	_ui_detail_of "$screen"
	_ui_current
	printf '%s\n' "$_UI_CURRENT"
}

# ui_answer: the current question's answer as its row shows it ("" when
# there is none to show, as on a note).
ui_answer()
{
	local screen
	tui_screen_v || { printf '%s\n' "$T_SCREEN" >&2; return 1; }
	screen=$T_SCREEN
	_ui_detail_of "$screen"
	_ui_row_split "$_UI_ROW"
	printf '%s\n' "$_UI_ANSWER"
}

# _ui_poll_detail MODE TEXT [TIMEOUT]: wait until the current label
# (MODE label) contains TEXT, or the current question's answer in its row
# is TEXT (MODE answer), or some line of the current question (its row,
# or one below the rule: MODE line) is exactly TEXT, or they contain TEXT
# (MODE any), or no longer do (MODE gone).
_ui_poll_detail()
{
	local mode=$1 text=$2 timeout=${3:-$T_WAIT_TIMEOUT} deadline got ok
	local screen
	_t_deadline "$timeout"
	deadline=$_T_DEADLINE
	while :; do
		screen=
		tui_screen_v && screen=$T_SCREEN
		_ui_detail_of "$screen"
		got=$_UI_DETAIL
		ok=0
		case $mode in
		label)
			_ui_current
			[[ $_UI_CURRENT == *"$text"* ]] && ok=1
			;;
		answer)
			_ui_row_split "$_UI_ROW"
			[ -n "$_UI_ROW" ] && [ "$_UI_ANSWER" = "$text" ] && ok=1
			;;
		line) [[ $'\n'$got$'\n' == *$'\n'"$text"$'\n'* ]] && ok=1 ;;
		any) [[ $got == *"$text"* ]] && ok=1 ;;
		gone) [[ $got != *"$text"* ]] && ok=1 ;;
		esac
		[ "$ok" -eq 1 ] && return 0
		if _t_past "$deadline"; then
			echo "# ui: timed out after ${timeout}s waiting for" \
			    "($mode) $text" >&2
			echo "# screen:" >&2
			tui_screen 2>&1 | sed 's/^/#   |/' >&2
			return 1
		fi
		_t_nap 0.05
	done
}

# assert_current NAME LABEL [TIMEOUT]: the current question is LABEL.
assert_current()
{
	if _ui_poll_detail label "$2" "${3:-}" 2>"$T_TMP/wait.err"; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "current question is not '$2'"
	sed 's/^# /#   /' "$T_TMP/wait.err"
	return 1
}

# assert_answer NAME TEXT [TIMEOUT]: the current question's row shows the
# answer TEXT.
assert_answer()
{
	if _ui_poll_detail answer "$2" "${3:-}" 2>"$T_TMP/wait.err"; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "the current row's answer is not '$2'"
	sed 's/^# /#   /' "$T_TMP/wait.err"
	return 1
}

# _ui_row_answer SCREEN LABEL: set _UI_ANSWER to the answer that the row of
# the question whose label holds LABEL shows in SCREEN (the first such row
# of the list, under its two heading rows).
_ui_row_answer()
{
	local line n=0
	_UI_ANSWER=
	while IFS= read -r line; do
		n=$((n + 1))
		[ "${#line}" -ge 40 ] && [[ $line =~ ^(─|-)+$ ]] && return
		if [ "$n" -gt 2 ] && [[ $line == *"$2"* ]]; then
			_ui_row_split "$line"
			return
		fi
	done <<<"$1"
}

# assert_row_answer NAME LABEL ANSWER [TIMEOUT]: the row of the question
# whose label holds LABEL shows the answer ANSWER.
assert_row_answer()
{
	local deadline screen
	_t_deadline "${4:-$T_WAIT_TIMEOUT}"
	deadline=$_T_DEADLINE
	while :; do
		screen=
		tui_screen_v && screen=$T_SCREEN
		_ui_row_answer "$screen" "$2"
		if [ "$_UI_ANSWER" = "$3" ]; then
			t_ok "$1"
			return 0
		fi
		if _t_past "$deadline"; then
			t_fail "$1" "the row of '$2' shows '$_UI_ANSWER', not '$3'"
			tui_screen 2>&1 | sed 's/^/#   |/'
			return 1
		fi
		_t_nap 0.05
	done
}

# assert_detail_line NAME LINE [TIMEOUT]: a line of the current question
# (its row, or one below the rule) is exactly LINE.
assert_detail_line()
{
	if _ui_poll_detail line "$2" "${3:-}" 2>"$T_TMP/wait.err"; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "no detail line '$2'"
	sed 's/^# /#   /' "$T_TMP/wait.err"
	return 1
}

# assert_detail NAME TEXT [TIMEOUT]: the current question's row or the
# detail below the rule shows TEXT.
assert_detail()
{
	if _ui_poll_detail any "$2" "${3:-}" 2>"$T_TMP/wait.err"; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "'$2' not in the detail"
	sed 's/^# /#   /' "$T_TMP/wait.err"
	return 1
}

# assert_detail_gone NAME TEXT [TIMEOUT]: neither the current question's row
# nor the detail below the rule shows TEXT.
assert_detail_gone()
{
	if _ui_poll_detail gone "$2" "${3:-}" 2>"$T_TMP/wait.err"; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "'$2' still in the detail"
	sed 's/^# /#   /' "$T_TMP/wait.err"
	return 1
}

# ui_new_visit FORM_FILTER UNIT_FILTER: from the visits screen, n, type
# FORM_FILTER, Enter (the first match), type UNIT_FILTER, Enter (the first
# match), skip division and person; the form screen is shown.  Checks.
ui_new_visit()
{
	tui_keys n
	assert_screen "new visit: form list" "Form (type to filter):" ||
	    return 1
	tui_type "$1"
	assert_screen "new visit: form filtered" "1 match" || return 1
	tui_keys Enter
	assert_screen "new visit: unit list" "Unit observed (type to filter):" ||
	    return 1
	tui_type "$2"
	assert_screen "new visit: unit filter typed" \
	    "Unit observed (type to filter): $2" || return 1
	tui_keys Enter
	assert_screen "new visit: division prompt" "Division (optional" ||
	    return 1
	tui_keys Enter
	assert_screen "new visit: person prompt" "Window or badge number" ||
	    return 1
	tui_keys Enter
	# nothing answered yet (a default is a suggestion, not an answer)
	assert_screen "new visit: the form" "  |  0/" 10
}

# ui_visit_id: the id of the only (or newest) visit, from anfang list.
ui_visit_id()
{
	an list 2>/dev/null | awk 'NR == 1 { print $1 }'
}

# ui_show_flat ID: show --json of visit ID, flattened (json_flat); a check.
# Sets UI_SHOW.
ui_show_flat()
{
	UI_SHOW=
	t_check "show --json $1" an show "$1" --json || return 1
	UI_SHOW=$(printf '%s\n' "$T_OUT" | json_flat)
}

# ui_answers: the answers of UI_SHOW, as "id=value" lines, sorted.
ui_answers()
{
	printf '%s\n' "$UI_SHOW" | sed -n 's/^\.answers\.//p' | LC_ALL=C sort
}

# ui_mmss_s TEXT: the seconds of the first mm:ss in TEXT (empty if none).
ui_mmss_s()
{
	local m
	m=$(printf '%s\n' "$1" | grep -oE '[0-9]{2,}:[0-9]{2}' | head -n 1)
	[ -n "$m" ] || return 1
	echo $((10#${m%%:*} * 60 + 10#${m#*:}))
}

# ui_tap_start FILE: copy all the program writes from now on into FILE (to
# see frames the screen no longer shows); ui_tap_stop ends it.
ui_tap_start()
{
	: >"$1"
	_tmux pipe-pane -t anfang "cat >>'$1'"
}

ui_tap_stop()
{
	_tmux pipe-pane -t anfang
}

# ui_tap_wait FILE TEXT [TIMEOUT]: wait until FILE holds TEXT (a frame
# already on the screen): tmux copies the output to the tap a little after
# it draws it, and what is not yet copied when ui_tap_stop ends the copy is
# lost.  Returns 1 after TIMEOUT seconds (default T_WAIT_TIMEOUT).
ui_tap_wait()
{
	local deadline
	_t_deadline "${3:-$T_WAIT_TIMEOUT}"
	deadline=$_T_DEADLINE
	until grep -qaF -- "$2" "$1" 2>/dev/null; do
		if _t_past "$deadline"; then
			echo "# ui_tap_wait: '$2' not in $1" >&2
			return 1
		fi
		_t_nap 0.05
	done
}
