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
# question's detail below a rule ("────" or, without UTF-8, "----"); the
# first line under the rule is the current question's label ("* " first
# when it is required), then its hint, its answer or choices, and its
# check message.  ui_current and ui_detail read that part of the screen.

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

# _ui_detail_of SCREEN: set _UI_DETAIL to the lines of SCREEN after the
# detail rule (the first line of at least 40 of ─ or -), in this shell:
# the polls below run it many times a second, and a pipeline forks.
_ui_detail_of()
{
	local line f=0
	_UI_DETAIL=
	while IFS= read -r line; do
		if [ "$f" -eq 1 ]; then
			_UI_DETAIL+=$line$'\n'
		elif [ "${#line}" -ge 40 ] && [[ $line =~ ^(─|-)+$ ]]; then
			f=1
		fi
	done <<<"$1"
	_UI_DETAIL=${_UI_DETAIL%$'\n'}
}

# ui_detail: the detail part of the screen (below the rule).
ui_detail()
{
	local screen
	screen=$(tui_screen) || return 1
	_ui_detail_of "$screen"
	[ -z "$_UI_DETAIL" ] || printf '%s\n' "$_UI_DETAIL"
}

# ui_current: the current question's label line, as drawn.
ui_current()
{
	ui_detail | head -n 1
}

# _ui_poll_detail MODE TEXT [TIMEOUT]: wait until the current label
# (MODE label) contains TEXT, or some detail line (MODE line) is exactly
# TEXT, or the detail area contains TEXT (MODE any), or no longer does
# (MODE gone).
_ui_poll_detail()
{
	local mode=$1 text=$2 timeout=${3:-$T_WAIT_TIMEOUT} deadline got ok
	local screen
	deadline=$(($(_t_now_ms) + $(_t_ms "$timeout")))
	while :; do
		screen=$(tui_screen 2>/dev/null)
		_ui_detail_of "$screen"
		got=$_UI_DETAIL
		ok=0
		case $mode in
		label) [[ ${got%%$'\n'*} == *"$text"* ]] && ok=1 ;;
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

# assert_detail_line NAME LINE [TIMEOUT]: a detail line is exactly LINE.
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

# assert_detail NAME TEXT [TIMEOUT]: the detail area shows TEXT.
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

# assert_detail_gone NAME TEXT [TIMEOUT]: the detail no longer shows TEXT.
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
	deadline=$(($(_t_now_ms) + $(_t_ms "${3:-$T_WAIT_TIMEOUT}")))
	until grep -qaF -- "$2" "$1" 2>/dev/null; do
		if _t_past "$deadline"; then
			echo "# ui_tap_wait: '$2' not in $1" >&2
			return 1
		fi
		_t_nap 0.05
	done
}
