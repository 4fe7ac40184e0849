#!/usr/bin/env bash
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
ui_init
an record --form service-window --unit dongcheng-gov-centre --answers "$T_ROOT/tests/bench/answers-zh.json" >/dev/null
ui_start
ui_unlock
tui_keys Enter
sleep 0.5
tui_screen
for k in ${PEEK_KEYS:-}; do if [ $k = S1 ] || [ $k = S2 ]; then tui_screen | tail -12; continue; fi; tui_keys $k; sleep 0.2; done
tui_screen
t_done
