#!/usr/bin/env bash
# The end-to-end harness itself: tmux start, screen capture, exit status,
# waiting (and failing to wait), resizing, keys, and the private HOME.
# shellcheck disable=SC2016 # $ in single quotes is for the inner sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# --- the private environment
assert_contains "HOME is inside T_TMP" "$T_TMP/" "$HOME/"
assert_contains "XDG_DATA_HOME is inside T_TMP" "$T_TMP/" "$XDG_DATA_HOME"
assert_contains "XDG_CONFIG_HOME is inside T_TMP" "$T_TMP/" "$XDG_CONFIG_HOME"
case $ANFANG in
/*) t_ok "ANFANG is absolute" ;;
*) t_fail "ANFANG is absolute" "$ANFANG" ;;
esac

# --- t_run and assert_exit
assert_exit "assert_exit sees a status" 3 sh -c 'echo out; echo err >&2; exit 3'
assert_eq "t_run captures stdout" "out" "$T_OUT"
assert_eq "t_run captures stderr" "err" "$T_ERR"

# --- --help in an 80x24 pane
# The help is longer than 24 rows: wait for its last line, then look at
# the whole of it with the scrollback (-S -), wrapped rows joined (-J) so
# that a line the program wrote wider than 80 columns shows as one.
tui_start -x 80 -y 24 "$ANFANG" --help
assert_screen "help shows its last line" "anfang-forms(5)" 10
assert_eq "tui_exit_status of --help" 0 "$(tui_exit_status 10)"
screen=$(tui_screen -S - -J)
assert_contains "capture-pane has Usage:" "Usage:" "$screen"
assert_contains "capture-pane has forms check" "forms check" "$screen"
assert_eq "tui_screen has 24 rows" 24 "$(tui_screen | wc -l)"
# The program wrote to column 80 at most.
long=$(printf '%s\n' "$screen" | awk 'length($0) > 80' | head -n 1)
assert_eq "no row wider than 80 columns" "" "$long"
assert_eq "pane is 80x24" "80 24" \
    "$(tmux -L "$T_TUI_SOCK" display-message -p -t anfang \
    '#{pane_width} #{pane_height}')"
tui_stop

# --- exit status, also of a quick exit and of a signal
tui_start sh -c 'echo bye; exit 7'
assert_eq "tui_exit_status of exit 7" 7 "$(tui_exit_status 10)"
assert_contains "final screen kept" "bye" "$(tui_screen)"
tui_stop
tui_start sh -c 'kill -TERM $$'
assert_eq "tui_exit_status of SIGTERM is 143" 143 "$(tui_exit_status 10)"
tui_stop

# --- tui_wait gives up on time, and on a program that has exited
tui_start sh -c 'echo waiting; exec sleep 30'
tui_wait "waiting" 10
start=${EPOCHREALTIME//[!0-9]/}
if tui_wait "this text never appears" 1 2>"$T_TMP/wait.err"; then
	t_fail "tui_wait times out" "it succeeded"
else
	t_ok "tui_wait returns non-zero on timeout"
fi
elapsed=$(((${EPOCHREALTIME//[!0-9]/} - start) / 1000))
if [ "$elapsed" -ge 900 ] && [ "$elapsed" -lt 3000 ]; then
	t_ok "tui_wait 1 took about 1 s (${elapsed} ms)"
else
	t_fail "tui_wait 1 took about 1 s" "${elapsed} ms"
fi
assert_contains "timeout prints the screen" "#   |waiting" \
    "$(cat "$T_TMP/wait.err")"
assert_screen_gone "tui_wait_gone on absent text" "never" 1
if tui_wait_gone "waiting" 0.5 2>/dev/null; then
	t_fail "tui_wait_gone times out" "it succeeded"
else
	t_ok "tui_wait_gone returns non-zero on timeout"
fi
pid=$(tui_pid)
assert_eq "tui_pid is the program, not the wrapper" "sleep" \
    "$(cat "/proc/$pid/comm" 2>/dev/null)"
tui_stop
if t_running "$pid"; then
	t_fail "tui_stop ends the program" "process $pid still running"
else
	t_ok "tui_stop ends the program"
fi

tui_start sh -c 'echo quick'
start=${EPOCHREALTIME//[!0-9]/}
tui_wait "never shown" 8 2>/dev/null
rc=$?
elapsed=$(((${EPOCHREALTIME//[!0-9]/} - start) / 1000))
if [ "$rc" -ne 0 ] && [ "$elapsed" -lt 3000 ]; then
	t_ok "tui_wait stops early when the program has exited"
else
	t_fail "tui_wait stops early when the program has exited" \
	    "status $rc after ${elapsed} ms"
fi
tui_stop

# --- keys, typing, resizing
tui_start -x 80 -y 24 sh -c 'while :; do stty size; sleep 0.1; done'
assert_screen "stty sees 24 80" "24 80"
tui_resize 100 30
assert_eq "tui_resize returns 0" 0 "$?"
assert_screen "stty sees 30 100 after tui_resize" "30 100"
tui_stop

tui_start sh -c 'printf "name? "; read -r a; printf "got <%s>\n" "$a";
    read -r b; printf "then <%s>\n" "$b"'
tui_wait "name?"
tui_type "漢字 x;y Enter"
tui_keys Enter
assert_screen "tui_type is literal, UTF-8 included" "got <漢字 x;y Enter>"
tui_keys a b C-m
assert_screen "tui_keys sends key names" "then <ab>"
tui_stop

# --- the environment inside the pane
tui_start -x 200 sh -c 'echo "T=$TERM L=$LC_ALL H=$HOME"; sleep 30'
assert_screen "pane environment" "T=$T_TERM L=C.UTF-8 H=$HOME"
tui_stop
LC_ALL=C tui_start sh -c 'echo "L=$LC_ALL"; sleep 30'
assert_screen "caller's LC_ALL passed through" "L=C"
tui_stop

t_done
