# shellcheck shell=bash
# Helpers for end-to-end tests of the real binary.  Source it first thing:
#
#   #!/usr/bin/env bash
#   . "$(dirname "$0")/lib.sh"
#   assert_exit "version" 0 "$ANFANG" --version
#   tui_start "$ANFANG" --help
#   assert_screen "help shown" "Usage:"
#   t_done
#
# What sourcing does:
#   - ANFANG is the binary under test, made absolute (default: build/anfang
#     of this repository); the script stops at once when it is not there.
#   - T_TMP is a fresh directory, removed when the script exits.  HOME,
#     XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_STATE_HOME and
#     TMUX_TMPDIR point inside it, ANFANG_DB is unset: a test never touches
#     the real user's files.
#   - LANG and LC_ALL are C.UTF-8 (the one UTF-8 locale every Debian has);
#     LANGUAGE, the other LC_* variables, COLUMNS and LINES are unset.  A test
#     may change them; each tui_start passes the values it sees.
#   - ASAN_OPTIONS and UBSAN_OPTIONS send a sanitizer build's reports to
#     files in T_TMP; t_done counts each as a failure and shows it.
#   - An EXIT trap stops every tmux server the test started, records the
#     result if t_done was never reached (a test that dies early fails) and
#     removes T_TMP.
#
# Checks print TAP-like lines, "ok - NAME" or "not ok - NAME: REASON" with
# details as "# " lines after it, and are counted; t_done appends
# "e2e NAME PASSED FAILED" to $RESULTS (when set; NAME is the script's name
# without .sh, san/NAME for build/san/anfang) and returns 1 if any check
# failed.  No function here turns on set -e or set -u, and all of them work
# under either (under set -e, a failing check ends the script, and the EXIT
# trap still records it).
#
# Settings (environment, all optional):
#   T_CMD_TIMEOUT   seconds a command run by t_run and friends may take (60)
#   T_WAIT_TIMEOUT  default seconds for tui_wait and friends (10)
#   T_TERM          TERM inside tmux (tmux-256color if its terminfo exists,
#                   else screen)
#   T_KEEP_TMP      set to 1 to keep T_TMP for a post-mortem

# Debian's own tools (packaging/deps.sh installs what the tests use) come
# before whatever a login's PATH puts first: a version manager's python3
# shim costs 0.4 s of CPU a call, Debian's python3 a tenth of that.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
T_NAME=$(basename "$0" .sh)
T_PASSED=0
T_FAILED=0
T_DONE=0
T_CMD_TIMEOUT=${T_CMD_TIMEOUT:-60}
T_WAIT_TIMEOUT=${T_WAIT_TIMEOUT:-10}

# ---------------------------------------------------------------------------
# Bookkeeping

# t_diag MSG...: print a diagnostic line ("# MSG") to stdout.
t_diag()
{
	printf '# %s\n' "$*"
}

# _t_indent: copy stdin to stdout as "#   " lines (at most 40 of them).
_t_indent()
{
	local n=0 line
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		if [ "$n" -gt 40 ]; then
			printf '#   ...\n'
			cat >/dev/null
			return 0
		fi
		printf '#   %s\n' "$line"
	done
}

# t_ok NAME: record a passed check.  Returns 0.
t_ok()
{
	T_PASSED=$((T_PASSED + 1))
	printf 'ok - %s\n' "$1"
	return 0
}

# t_fail NAME MSG: record a failed check.  Returns 1.
t_fail()
{
	T_FAILED=$((T_FAILED + 1))
	printf 'not ok - %s: %s\n' "$1" "${2:-failed}"
	return 1
}

# t_skip NAME REASON: print "ok - NAME # SKIP REASON"; counted neither way.
t_skip()
{
	printf 'ok - %s # SKIP %s\n' "$1" "${2:-}"
	return 0
}

# t_sanitized: true when ANFANG is the sanitizer build (build/san/anfang).
# A part that checks what the files or the clock do, not the program's
# memory, runs in the normal build only and says so with t_skip.
t_sanitized()
{
	[ "$ANFANG" = "$T_ROOT/build/san/anfang" ]
}

# t_run CMD...: run a command with stdout and stderr captured; never fails.
# Sets T_STATUS (exit status; 124 when it ran past T_CMD_TIMEOUT seconds),
# T_OUT and T_ERR (its stdout and stderr, trailing newlines removed) and
# leaves them in the files $T_OUTFILE and $T_ERRFILE.  Standard input is the
# caller's, so `t_run cmd <file` and `t_run cmd 3<file` work.  A shell
# function runs in this shell (no timeout).
t_run()
{
	T_STATUS=0
	# a path is a program: the usual case, told without a subshell
	if [[ $1 != */* ]] && { declare -F "$1" >/dev/null ||
	    [ "$(type -t "$1")" = builtin ]; }; then
		"$@" >"$T_OUTFILE" 2>"$T_ERRFILE" || T_STATUS=$?
	else
		timeout -k 5 "$T_CMD_TIMEOUT" "$@" >"$T_OUTFILE" \
		    2>"$T_ERRFILE" || T_STATUS=$?
	fi
	T_OUT=$(<"$T_OUTFILE")
	T_ERR=$(<"$T_ERRFILE")
	return 0
}

# _t_show_output: the captured stdout and stderr as diagnostics.
_t_show_output()
{
	if [ -s "$T_OUTFILE" ]; then
		t_diag "stdout:"
		_t_indent <"$T_OUTFILE"
	fi
	if [ -s "$T_ERRFILE" ]; then
		t_diag "stderr:"
		_t_indent <"$T_ERRFILE"
	fi
}

# t_check NAME CMD...: run CMD (as t_run does); ok when it exits 0.
# Returns 0 when ok, 1 otherwise.
t_check()
{
	local name=$1
	shift
	t_run "$@"
	if [ "$T_STATUS" -eq 0 ]; then
		t_ok "$name"
		return 0
	fi
	t_fail "$name" "exit status $T_STATUS from: $*"
	_t_show_output
	return 1
}

# assert_exit NAME CODE CMD...: run CMD (as t_run does, so T_OUT, T_ERR and
# T_STATUS can be looked at afterwards); ok when its exit status is CODE.
# Returns 0 when ok, 1 otherwise.
assert_exit()
{
	local name=$1 code=$2
	shift 2
	t_run "$@"
	if [ "$T_STATUS" = "$code" ]; then
		t_ok "$name"
		return 0
	fi
	t_fail "$name" "expected exit status $code, got $T_STATUS from: $*"
	_t_show_output
	return 1
}

# assert_eq NAME EXPECTED ACTUAL: ok when the two strings are equal.
assert_eq()
{
	if [ "$2" = "$3" ]; then
		t_ok "$1"
		return 0
	fi
	case "$2$3" in
	*"
"*)
		t_fail "$1" "strings differ"
		t_diag "expected:"
		printf '%s\n' "$2" | _t_indent
		t_diag "actual:"
		printf '%s\n' "$3" | _t_indent
		;;
	*)
		t_fail "$1" "expected '$2', got '$3'"
		;;
	esac
	return 1
}

# assert_contains NAME NEEDLE HAYSTACK: ok when HAYSTACK contains NEEDLE
# (a plain string, not a pattern).
assert_contains()
{
	if [[ $3 == *"$2"* ]]; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "'$2' not found in:"
	printf '%s\n' "$3" | _t_indent
	return 1
}

# assert_not_contains NAME NEEDLE HAYSTACK: ok when NEEDLE is absent.
assert_not_contains()
{
	if [[ $3 != *"$2"* ]]; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "'$2' found in:"
	printf '%s\n' "$3" | _t_indent
	return 1
}

# _t_sanitizer_reports: a failure for each sanitizer report the program
# left in T_TMP (see ASAN_OPTIONS below), shown as diagnostics.
_t_sanitizer_reports()
{
	local f
	for f in "$T_TMP"/sanitizer.*; do
		[ -f "$f" ] || continue
		t_fail "sanitizer" "report from process ${f##*.}:" || :
		_t_indent <"$f"
		rm -f "$f"
	done
	return 0
}

# _t_record: stop the programs still running, look for sanitizer reports,
# and append this script's line to $RESULTS (once).
_t_record()
{
	local name=${T_RESULT_NAME:-$T_NAME} variant
	[ "$T_DONE" -eq 1 ] && return 0
	T_DONE=1
	_tui_stop_all
	_t_sanitizer_reports
	# The sanitizer build (build/san/anfang) records as san/NAME.
	case $ANFANG in
	"$T_ROOT"/build/*/anfang)
		variant=${ANFANG#"$T_ROOT"/build/}
		variant=${variant%/anfang}
		name=$variant/$name
		;;
	esac
	printf '# %s: passed %d, failed %d\n' "$name" "$T_PASSED" "$T_FAILED"
	if [ -n "${RESULTS:-}" ]; then
		printf 'e2e %s %d %d\n' "$name" "$T_PASSED" "$T_FAILED" \
		    >>"$RESULTS"
	fi
}

# t_done: stop every tmux server started (the programs in them get SIGHUP),
# count a failure for each sanitizer report left by the program, record the
# result, and return 1 if any check failed or none ran.  Make it the
# script's last command, so that the script's exit status says it.
t_done()
{
	if [ "$T_PASSED" -eq 0 ] && [ "$T_FAILED" -eq 0 ]; then
		t_fail "$T_NAME" "no check ran" || :
	fi
	_t_record
	[ "$T_FAILED" -eq 0 ]
}

# ---------------------------------------------------------------------------
# Time

# _t_now_ms: milliseconds on the shell's clock.
_t_now_ms()
{
	local us=${EPOCHREALTIME//[!0-9]/}
	echo $((10#$us / 1000))
}

# _t_past DEADLINE: succeeds once the shell's clock has reached DEADLINE
# (milliseconds).  Polling loops call it and _t_nap many times a second:
# neither forks, where $(_t_now_ms) and sleep would, and forking a test's
# shell was most of a UI test's CPU.
_t_past()
{
	local us=${EPOCHREALTIME//[!0-9]/}
	[ $((10#$us / 1000)) -ge "$1" ]
}

# _t_nap SECONDS: sleep without a process: read with a timeout from a pipe
# that this shell holds open at both ends, so nothing ever arrives.
_T_NAP_FD=
_t_nap()
{
	[ -n "$_T_NAP_FD" ] || exec {_T_NAP_FD}<> <(:)
	read -r -t "$1" -u "$_T_NAP_FD" _ || :
}

# _t_ms SECONDS: "1.5" -> 1500, printed and in _T_MS.
_t_ms()
{
	local s=$1 int frac
	int=${s%%.*}
	frac=
	[ "$int" != "$s" ] && frac=${s#*.}
	frac=${frac}000
	frac=${frac:0:3}
	_T_MS=$((10#${int:-0} * 1000 + 10#$frac))
	echo "$_T_MS"
}

# _t_deadline SECONDS: _T_DEADLINE, the shell's clock (milliseconds) SECONDS
# from now, for _t_past; set in this shell, where $(...) would fork.
_t_deadline()
{
	local us=${EPOCHREALTIME//[!0-9]/}
	_t_ms "$1" >/dev/null
	_T_DEADLINE=$((10#$us / 1000 + _T_MS))
}

# t_running PID: succeeds while process PID runs.  One that has exited but
# is not yet waited for (a zombie) has ended: an orphan, such as a tmux
# server, waits for init, which on some machines takes 2 s to reap it.
t_running()
{
	local stat
	kill -0 "$1" 2>/dev/null || return 1
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 0
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# ---------------------------------------------------------------------------
# tmux: a private server per tui_start
#
# tui_start starts a new tmux server (socket anfang-test-PID-N under
# $TMUX_TMPDIR, that is inside T_TMP) running CMD in one 80x24 pane with no
# status line, and makes it the current one: the other tui_* functions act
# on the current server, named by T_TUI_SOCK (save and restore it to drive
# two at once).  The pane stays after CMD exits (remain-on-exit, with an
# empty remain-on-exit-format so that tmux writes nothing over the final
# screen).
#
# CMD runs under a small sh wrapper that writes its exit status to a file:
# tmux 3.3a sometimes loses #{pane_dead_status} when a program exits very
# quickly (measured: about 1 in 20 for an immediate exit), so
# tui_exit_status reads that file first and #{pane_dead_status} only when it
# is missing.  The wrapper shares CMD's terminal and process group, so CMD
# gets SIGWINCH, and SIGHUP when the server goes away, as it would alone;
# tui_pid gives CMD's own process id.
#
# The tui_* functions send their tmux commands through one control-mode
# client per server (tmux -C, attached to the session with no size of its
# own, so the window keeps its size): the command as a line into a FIFO,
# the reply read back from the file the client writes.  A command then
# costs this shell no process, where a tmux client each time cost a fork,
# an exec and a client's set-up in the server: most of a UI test's CPU
# outside the program.  When that client has gone (the server stopped) or
# an argument cannot go on one command line, tmux runs as a command.

T_TUI_N=0
T_TUI_SOCK=
T_TUI_STATUS=
T_TUI_SOCKS=()
T_TUI_PIDS=()
# by socket: the control client's process id, and this shell's descriptors
# for its FIFO (written) and its reply file (read)
declare -A _T_CC_PID=() _T_CC_IN=() _T_CC_OUT=()

if [ -z "${T_TERM:-}" ]; then
	if infocmp tmux-256color >/dev/null 2>&1; then
		T_TERM=tmux-256color
	else
		T_TERM=screen
	fi
fi

# _tmux_cc_start: attach a control client to the current server's session.
_tmux_cc_start()
{
	local fifo=$T_TMP/tmux-$T_TUI_N.in out=$T_TMP/tmux-$T_TUI_N.out fd
	rm -f "$fifo"
	mkfifo "$fifo" || return 1
	: >"$out"
	# no-output: the pane's output is not copied to the client
	tmux -L "$T_TUI_SOCK" -C attach-session -f no-output -t anfang \
	    <"$fifo" >"$out" 2>&1 &
	_T_CC_PID[$T_TUI_SOCK]=$!
	# Opened for reading too, so that a write never meets a FIFO without
	# a reader (SIGPIPE) once the client has gone; closed when this
	# shell exits, which ends the client.
	exec {fd}<>"$fifo"
	_T_CC_IN[$T_TUI_SOCK]=$fd
	exec {fd}<"$out"
	_T_CC_OUT[$T_TUI_SOCK]=$fd
}

# _tmux_cc_close: forget the current server's control client (gone with
# its server), closing this shell's descriptors for it.
_tmux_cc_close()
{
	local fd
	for fd in "${_T_CC_IN[$T_TUI_SOCK]:-}" "${_T_CC_OUT[$T_TUI_SOCK]:-}"; do
		[ -n "$fd" ] && exec {fd}>&-
	done
	unset "_T_CC_PID[$T_TUI_SOCK]" "_T_CC_IN[$T_TUI_SOCK]" \
	    "_T_CC_OUT[$T_TUI_SOCK]"
}

# _tmux_cc ARGS...: one tmux command through the current server's control
# client.  Sets _T_TMUX to its output (every line ending in a newline) or
# its error message; returns 0, 1 for an error, 2 when it cannot be sent
# that way or the client went away before the reply (the command may then
# have run or not).
_tmux_cc()
{
	local pid=${_T_CC_PID[$T_TUI_SOCK]:-} line part='' tag='' out='' a cmd=
	local limit=${EPOCHREALTIME//[!0-9]/} dead=''
	_T_TMUX=
	[ -n "$pid" ] || return 2
	for a in "$@"; do
		# A line holds one command: no newline or other control
		# character in it; and tmux run as a command takes a
		# trailing ";" as the end of a command, a quoted one not.
		case $a in
		*[[:cntrl:]]* | *";") return 2 ;;
		esac
		cmd+=" '${a//\'/\'\\\'\'}'"
	done
	kill -0 "$pid" 2>/dev/null || return 2
	printf '%s\n' "${cmd# }" >&"${_T_CC_IN[$T_TUI_SOCK]}"
	limit=$((10#$limit / 1000 + 20000))
	# Lines outside a block are notifications; a block from this client
	# (flags 1) is the reply: "%begin TIME NUMBER 1", the output, then
	# "%end" or "%error" with the same TIME NUMBER 1.  The reply may be
	# half written: read returns that much at the end of the file.
	while :; do
		if IFS= read -r -u "${_T_CC_OUT[$T_TUI_SOCK]}" line; then
			line=$part$line
			part=
			if [ -z "$tag" ]; then
				[[ $line == "%begin "*" 1" ]] && tag=${line#%begin }
			elif [ "$line" = "%end $tag" ]; then
				_T_TMUX=$out
				return 0
			elif [ "$line" = "%error $tag" ]; then
				_T_TMUX=$out
				return 1
			else
				out+=$line$'\n'
			fi
			continue
		fi
		part+=$line
		if [ -n "$dead" ]; then
			_tmux_cc_close
			return 2
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			# all it wrote is in the file now: read to its end
			# once more
			dead=1
			continue
		fi
		if _t_past "$limit"; then
			_T_TMUX="tmux control client: no reply in 20 s to:$cmd"$'\n'
			return 1
		fi
		_t_nap 0.001
	done
}

# _tmux_v ARGS...: tmux on the current server, its output in _T_TMUX
# without the newlines at its end (as $(...) would leave it, without a
# subshell); its error message there instead when it fails.  Returns tmux's
# status.
_tmux_v()
{
	local rc=0
	if [ -z "$T_TUI_SOCK" ]; then
		_T_TMUX="lib.sh: no tmux server: call tui_start first"
		return 1
	fi
	_tmux_cc "$@" || rc=$?
	if [ "$rc" -eq 2 ]; then
		rc=0
		tmux -L "$T_TUI_SOCK" "$@" >"$T_TMP/.tmux" 2>&1 || rc=$?
		_T_TMUX=$(<"$T_TMP/.tmux")
		return "$rc"
	fi
	while [[ $_T_TMUX == *$'\n' ]]; do
		_T_TMUX=${_T_TMUX%$'\n'}
	done
	return "$rc"
}

# _tmux ARGS...: tmux on the current server, its output on stdout and its
# errors on stderr.
_tmux()
{
	local rc=0
	if [ -z "$T_TUI_SOCK" ]; then
		echo "lib.sh: no tmux server: call tui_start first" >&2
		return 1
	fi
	_tmux_cc "$@" || rc=$?
	case $rc in
	0) printf '%s' "$_T_TMUX" ;;
	1) printf '%s' "$_T_TMUX" >&2 ;;
	*) tmux -L "$T_TUI_SOCK" "$@" ;;
	esac
}

# tui_start [-x COLS] [-y ROWS] CMD...: start CMD in a new private tmux
# server, COLS x ROWS (default 80x24), in the current directory, with TERM
# T_TERM and the current LANG and LC_ALL.  The rest of the environment is
# the test's as exported now (the server is new), so `NO_COLOR=1 tui_start
# ...` or an exported ANFANG_DB reach CMD.  Returns tmux's status (0 when
# the server started); CMD failing to start shows as exit status 127.
tui_start()
{
	local cols=80 rows=24
	local -a env
	while [ $# -gt 0 ]; do
		case $1 in
		-x)
			cols=$2
			shift 2
			;;
		-y)
			rows=$2
			shift 2
			;;
		--)
			shift
			break
			;;
		*)
			break
			;;
		esac
	done
	if [ $# -eq 0 ]; then
		echo "usage: tui_start [-x COLS] [-y ROWS] CMD..." >&2
		return 2
	fi

	T_TUI_N=$((T_TUI_N + 1))
	T_TUI_SOCK=anfang-test-$$-$T_TUI_N
	T_TUI_STATUS=$T_TMP/tui-$T_TUI_N.status
	T_TUI_SOCKS+=("$T_TUI_SOCK")
	rm -f "$T_TUI_STATUS"

	env=(-e "TERM=$T_TERM")
	[ -n "${LANG+x}" ] && env+=(-e "LANG=$LANG")
	[ -n "${LC_ALL+x}" ] && env+=(-e "LC_ALL=$LC_ALL")

	local rc=0
	# shellcheck disable=SC2016 # expanded by the wrapper's sh
	tmux -L "$T_TUI_SOCK" -f /dev/null start-server \; \
	    set-option -g remain-on-exit on \; \
	    set-option -g remain-on-exit-format '' \; \
	    set-option -g status off \; \
	    set-option -g default-terminal "$T_TERM" \; \
	    set-option -g history-limit 5000 \; \
	    set-option -s escape-time 0 \; \
	    new-session -d -s anfang -x "$cols" -y "$rows" -c "$PWD" \
	    "${env[@]}" -- \
	    sh -c 'st=$1; shift; "$@"; s=$?; echo "$s" >"$st.tmp" &&
		mv -f "$st.tmp" "$st"; exit "$s"' \
	    tui-wrap "$T_TUI_STATUS" "$@" || rc=$?
	[ "$rc" -eq 0 ] && _tmux_cc_start
	if _tmux_v display-message -p '#{pid}'; then
		T_TUI_PIDS+=("$_T_TMUX")
	fi
	return "$rc"
}

# tui_keys KEYS...: send keys by tmux name (Enter, Escape, Up, C-l, F12,
# BSpace, Space, or plain characters).  Returns tmux's status.
tui_keys()
{
	_tmux send-keys -t anfang "$@"
}

# tui_type TEXT: type TEXT literally (no key-name lookup).
tui_type()
{
	_tmux send-keys -t anfang -l -- "$1"
}

# tui_screen [capture-pane options]: print the visible screen, one line per
# row, all rows (trailing blanks trimmed by tmux; $(tui_screen) drops the
# empty rows at the bottom).  Returns 1 if the server is gone.
# shellcheck disable=SC2120 # options are for callers
tui_screen()
{
	_tmux capture-pane -p -t anfang "$@"
}

# tui_screen_v: the screen as $(tui_screen) has it, in T_SCREEN, without a
# subshell (for polling loops).  Returns 1 if the server is gone, its
# message in T_SCREEN.
tui_screen_v()
{
	local rc=0
	_tmux_v capture-pane -p -t anfang || rc=$?
	T_SCREEN=$_T_TMUX
	return "$rc"
}

# _tui_dead: succeeds when the program (and its wrapper) has exited and tmux
# has read all it wrote.
_tui_dead()
{
	_tmux_v display-message -p -t anfang '#{pane_dead}' &&
	    [ "$_T_TMUX" = 1 ]
}

# _tui_poll present|gone TEXT TIMEOUT
_tui_poll()
{
	local want=$1 text=$2 timeout=${3:-$T_WAIT_TIMEOUT}
	local deadline screen found exited=0 why i
	_t_deadline "$timeout"
	deadline=$_T_DEADLINE
	while :; do
		if ! tui_screen_v; then
			echo "# tui: tmux server gone: $T_SCREEN" >&2
			return 1
		fi
		screen=$T_SCREEN
		found=0
		[[ $screen == *"$text"* ]] && found=1
		if { [ "$want" = present ] && [ "$found" -eq 1 ]; } ||
		    { [ "$want" = gone ] && [ "$found" -eq 0 ]; }; then
			return 0
		fi
		[ "$exited" -eq 1 ] && break
		if _t_past "$deadline"; then
			why="timed out after ${timeout}s"
			break
		fi
		if [ -e "$T_TUI_STATUS" ]; then
			# The program has exited: once tmux has read the
			# rest of its output the screen cannot change, so
			# look once more and stop there.
			for ((i = 0; i < 20; i++)); do
				_tui_dead && break
				_t_nap 0.05
			done
			exited=1
			why="program exited (status $(<"$T_TUI_STATUS"))"
			continue
		fi
		_t_nap 0.05
	done
	if [ "$want" = present ]; then
		echo "# tui_wait: $why waiting for: $text" >&2
	else
		echo "# tui_wait_gone: $why waiting for this to go: $text" >&2
	fi
	echo "# screen:" >&2
	printf '%s\n' "$screen" | sed 's/^/#   |/' >&2
	return 1
}

# tui_wait TEXT [TIMEOUT]: poll the screen every 0.05 s until TEXT (a plain
# string, within one screen row) is on it.  Returns 0 when it is; 1 after
# TIMEOUT seconds (default T_WAIT_TIMEOUT, 10; fractions allowed), or as
# soon as the program has exited without showing it, printing the reason and
# the screen to stderr.  Records nothing: see assert_screen.
tui_wait()
{
	_tui_poll present "$1" "${2:-}"
}

# tui_wait_gone TEXT [TIMEOUT]: the same, until TEXT is no longer shown.
tui_wait_gone()
{
	_tui_poll gone "$1" "${2:-}"
}

# assert_screen NAME TEXT [TIMEOUT]: tui_wait, recorded as a check.
assert_screen()
{
	if tui_wait "$2" "${3:-}" 2>"$T_TMP/wait.err"; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "'$2' not shown"
	sed 's/^# /#   /' "$T_TMP/wait.err"
	return 1
}

# assert_screen_gone NAME TEXT [TIMEOUT]: tui_wait_gone, recorded.
assert_screen_gone()
{
	if tui_wait_gone "$2" "${3:-}" 2>"$T_TMP/wait.err"; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "'$2' still shown"
	sed 's/^# /#   /' "$T_TMP/wait.err"
	return 1
}

# tui_exit_status [TIMEOUT]: wait (default T_WAIT_TIMEOUT seconds) for the
# program to exit and print its exit status: the code it exited with, or
# 128+N when signal N killed it.  Returns 0 when it printed one, 1 on
# timeout (printing nothing on stdout, the reason on stderr).
tui_exit_status()
{
	local timeout=${1:-$T_WAIT_TIMEOUT} deadline info st sig
	_t_deadline "$timeout"
	deadline=$_T_DEADLINE
	while :; do
		if ! _tmux_v display-message -p -t anfang \
		    '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}'; then
			echo "# tui_exit_status: tmux server gone: $_T_TMUX" >&2
			return 1
		fi
		info=$_T_TMUX
		# pane_dead: the wrapper has exited and tmux has read all of
		# the output, so the screen is final.
		if [ "${info%%:*}" = 1 ]; then
			if [ -s "$T_TUI_STATUS" ]; then
				printf '%s\n' "$(<"$T_TUI_STATUS")"
				return 0
			fi
			info=${info#*:}
			st=${info%%:*}
			sig=${info#*:}
			if [ -n "$sig" ]; then
				echo $((128 + sig))
				return 0
			elif [ -n "$st" ]; then
				echo "$st"
				return 0
			fi
		fi
		if _t_past "$deadline"; then
			echo "# tui_exit_status: still running after" \
			    "${timeout}s" >&2
			return 1
		fi
		_t_nap 0.05
	done
}

# tui_pid: print the process id of the program (the child of the wrapper)
# while it runs.  Returns 1 when it has exited or cannot be found in 2 s.
tui_pid()
{
	local ppid pid f line rest i
	_tmux_v display-message -p -t anfang '#{pane_pid}' || return 1
	ppid=$_T_TMUX
	for ((i = 0; i < 40; i++)); do
		[ -e "$T_TUI_STATUS" ] && return 1
		pid=
		if [ -r "/proc/$ppid/task/$ppid/children" ]; then
			read -r pid _ <"/proc/$ppid/task/$ppid/children" ||
			    :
		else
			for f in /proc/[0-9]*/stat; do
				read -r line <"$f" 2>/dev/null || continue
				rest=${line##*) }
				# shellcheck disable=SC2086 # fields wanted
				set -- $rest
				if [ "$2" = "$ppid" ]; then
					pid=${f#/proc/}
					pid=${pid%/stat}
					break
				fi
			done
		fi
		if [ -n "$pid" ]; then
			echo "$pid"
			return 0
		fi
		_t_nap 0.05
	done
	return 1
}

# tui_kill SIGNAL: send SIGNAL (HUP, TERM, ...) to the program.
tui_kill()
{
	local pid
	pid=$(tui_pid) || return 1
	kill -s "$1" "$pid"
}

# tui_resize COLS ROWS: resize the window (the program gets SIGWINCH).
# Returns 0 once the pane has that size, 1 if it has not within 2 s.
tui_resize()
{
	local i
	_tmux resize-window -t anfang -x "$1" -y "$2" || return 1
	for ((i = 0; i < 40; i++)); do
		_tmux_v display-message -p -t anfang \
		    '#{pane_width} #{pane_height}' &&
		    [ "$_T_TMUX" = "$1 $2" ] && return 0
		_t_nap 0.05
	done
	echo "# tui_resize: pane is not ${1}x$2" >&2
	return 1
}

# tui_stop: stop the current tmux server.  The program, if still running,
# gets SIGHUP (as when its terminal closes: tmux 3.3a itself takes about 2 s
# to get round to that, so tui_stop sends it first) and loses its terminal;
# tui_stop waits up to 5 s for it to be gone, so what it saves on SIGHUP is
# on disk when tui_stop returns.  Returns 1 if it is still running then.
tui_stop()
{
	local pid="" i
	[ -n "$T_TUI_SOCK" ] || return 0
	if [ ! -e "$T_TUI_STATUS" ] && ! _tui_dead; then
		pid=$(tui_pid 2>/dev/null) || pid=""
	fi
	[ -n "$pid" ] && kill -s HUP "$pid" 2>/dev/null
	tmux -L "$T_TUI_SOCK" kill-server >/dev/null 2>&1
	_tmux_cc_close
	[ -n "$pid" ] || return 0
	for ((i = 0; i < 100; i++)); do
		t_running "$pid" || return 0
		_t_nap 0.05
	done
	echo "# tui_stop: process $pid still running after SIGHUP" >&2
	return 1
}

# _tui_stop_all: tui_stop every server this script started (so that the
# programs in them have exited), then wait for the servers to be gone,
# killing any left after 5 s.
_tui_stop_all()
{
	local s p alive i
	for s in "${T_TUI_SOCKS[@]}"; do
		T_TUI_SOCK=$s
		T_TUI_STATUS=$T_TMP/tui-${s##*-}.status
		tui_stop 2>/dev/null || :
	done
	for ((i = 0; i < 100; i++)); do
		alive=
		for p in "${T_TUI_PIDS[@]}"; do
			t_running "$p" && alive="$alive $p"
		done
		[ -z "$alive" ] && return 0
		_t_nap 0.05
	done
	# shellcheck disable=SC2086 # a list of pids
	kill -s KILL $alive 2>/dev/null
	return 0
}

# ---------------------------------------------------------------------------
# Set-up

_t_exit()
{
	local rc=$?
	trap - EXIT
	set +eu
	if [ "$T_DONE" -eq 0 ]; then
		if [ "$rc" -ne 0 ] && [ "$T_FAILED" -eq 0 ]; then
			t_fail "$T_NAME" \
			    "script exited with status $rc before t_done"
		elif [ "$T_PASSED" -eq 0 ] && [ "$T_FAILED" -eq 0 ]; then
			t_fail "$T_NAME" "no check ran"
		fi
		_t_record
		[ "$rc" -eq 0 ] && [ "$T_FAILED" -ne 0 ] && rc=1
	fi
	_tui_stop_all
	if [ "${T_KEEP_TMP:-0}" = 1 ]; then
		echo "# kept $T_TMP" >&2
	else
		rm -rf "$T_TMP"
	fi
	exit "$rc"
}

T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/anfang-e2e.XXXXXX") || {
	echo "lib.sh: cannot make a temporary directory" >&2
	exit 1
}
T_TMP=$(cd "$T_TMP" && pwd -P)
# A sanitizer build's reports go to files, which t_done turns into failures:
# one from a program inside tmux would otherwise be lost with its screen.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$T_TMP/sanitizer"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1"
export UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$T_TMP/sanitizer"
T_OUTFILE=$T_TMP/.stdout
T_ERRFILE=$T_TMP/.stderr
# shellcheck disable=SC2034 # for the test scripts
{
	T_STATUS=0
	T_OUT=
	T_ERR=
}
trap _t_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

export HOME=$T_TMP/home
export XDG_DATA_HOME=$T_TMP/data
export XDG_CONFIG_HOME=$T_TMP/config
export XDG_CACHE_HOME=$T_TMP/cache
export XDG_STATE_HOME=$T_TMP/state
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" \
    "$XDG_STATE_HOME"
unset ANFANG_DB TMUX TMUX_PANE COLUMNS LINES LANGUAGE
unset LC_CTYPE LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY LC_MESSAGES \
    LC_PAPER LC_NAME LC_ADDRESS LC_TELEPHONE LC_MEASUREMENT LC_IDENTIFICATION
export LANG=C.UTF-8
export LC_ALL=C.UTF-8
# tmux's socket lives inside T_TMP unless that path would be too long for a
# socket (108 bytes); then in tmux's default place, still private by name.
if [ ${#T_TMP} -lt 60 ]; then
	export TMUX_TMPDIR=$T_TMP
fi

: "${ANFANG:=$T_ROOT/build/anfang}"
case $ANFANG in
/*) ;;
*/*) ANFANG=$(cd "$(dirname "$ANFANG")" 2>/dev/null && pwd -P)/${ANFANG##*/} ;;
*) ANFANG=$(command -v "$ANFANG" || echo "$ANFANG") ;;
esac
export ANFANG
if [ ! -f "$ANFANG" ] || [ ! -x "$ANFANG" ]; then
	t_fail "$T_NAME" "ANFANG=$ANFANG is not an executable file"
	exit 1
fi

# json_flat: JSON on stdin as one "PATH=VALUE" line per scalar (s:string,
# n:number normalised, or the literal), so two JSON texts compare with diff
# whatever their layout, and values can be picked out without jq.  Enough
# JSON for these tests, not a validator.
json_flat()
{
	LC_ALL=C awk '
	function ws() { while (pos <= n && index(" \t\r\n", substr(b, pos, 1)))
		pos++ }
	function str(   s, c) {
		s = ""; pos++
		while (pos <= n) {
			c = substr(b, pos, 1)
			if (c == "\\") { s = s substr(b, pos, 2); pos += 2; continue }
			pos++
			if (c == "\"") return s
			s = s c
		}
		return s
	}
	function val(path,   c, k, i, s) {
		ws(); c = substr(b, pos, 1)
		if (c == "{") {
			pos++; ws()
			if (substr(b, pos, 1) == "}") { pos++; print path "={}"; return }
			while (pos <= n) {
				ws(); k = str(); ws(); pos++
				val(path "." k); ws()
				c = substr(b, pos, 1); pos++
				if (c != ",") return
			}
		} else if (c == "[") {
			pos++; ws()
			if (substr(b, pos, 1) == "]") { pos++; print path "=[]"; return }
			for (i = 0; pos <= n; i++) {
				val(path "[" i "]"); ws()
				c = substr(b, pos, 1); pos++
				if (c != ",") return
			}
		} else if (c == "\"") {
			print path "=s:" str()
		} else {
			s = ""
			while (pos <= n && !index(",]} \t\r\n", substr(b, pos, 1))) {
				s = s substr(b, pos, 1); pos++
			}
			if (s ~ /^-?[0-9]/) print path "=n:" sprintf("%.15g", s + 0)
			else print path "=" s
		}
	}
	{ b = b $0 "\n" }
	END { n = length(b); pos = 1; val("") }'
}
