#!/usr/bin/env bash
# e2e: normal build only: the form screen runs sanitized in test-ui-bar-fit and ui-zh
# A move between questions changes on the screen what it concerns and
# nothing else, as a whole redraw would show it: the draw puts again only
# the rows that changed and leaves the others as curses has them, so a
# row left stale (a choice list after a question without one, a longer
# label, a shifted wide character) would show here.  Each move's screen,
# with its attributes (capture-pane -e), is compared with the same screen
# redrawn whole (after a resize there and back, every row is put again);
# the first moves also with the rows they must change.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

# shot FILE: the screen as it shows, a row a line (all 24): each cell's
# character, and its attributes where they change ("{1;7}": bold and
# reverse, "{}": none), without the blanks that end a row.  (capture-pane
# -e says the same screen in more than one way: a blank written or one
# erased, an attribute ended at a row's end or at the next row's start.)
shot()
{
	tui_screen -e -N | awk '
	function sgr(p,   n, i, a, k, v, m) {
		n = split(p == "" ? "0" : p, a, ";")
		for (i = 1; i <= n; i++) {
			k = a[i] + 0
			if (k == 0) { split("", on); fg = bg = "" }
			else if (k == 22) { delete on[1]; delete on[2] }
			else if (k >= 21 && k <= 29) delete on[k - 20]
			else if (k < 10) on[k] = 1
			else if (k == 39) fg = ""
			else if (k == 49) bg = ""
			else if (k == 38 || k == 48) {
				# 38;5;N or 38;2;R;G;B: the colour as said
				v = k; m = a[i + 1] == 5 ? 2 : a[i + 1] == 2 ? 4 : 0
				while (m-- > 0 && i < n) v = v ":" a[++i]
				if (k == 38) fg = v; else bg = v
			} else if (k >= 30 && k < 38 || k >= 90 && k < 98) fg = k
			else if (k >= 40 && k < 48 || k >= 100) bg = k
		}
	}
	function state(   s, k) {
		s = ""
		for (k = 1; k < 10; k++)
			if (k in on) s = s (s == "" ? "" : ";") k
		if (fg != "") s = s (s == "" ? "" : ";") fg
		if (bg != "") s = s (s == "" ? "" : ";") bg
		return s
	}
	{
		line = $0; out = ""; last = ""; keep = 0
		while (line != "") {
			if (substr(line, 1, 2) == "\033[") {
				match(line, /^\033\[[0-9;]*[A-Za-z]/)
				seq = substr(line, 3, RLENGTH - 3)
				if (substr(line, RLENGTH, 1) == "m")
					sgr(seq)
				line = substr(line, RLENGTH + 1)
				continue
			}
			# the text up to the next escape, in one state
			i = index(line, "\033")
			if (i == 0) i = length(line) + 1
			else if (i == 1) i = 2 # an escape that starts no sequence
			c = substr(line, 1, i - 1); line = substr(line, i)
			st = state()
			if (st != last) { out = out "{" st "}"; last = st }
			if (st != "")
				keep = length(out) + length(c)
			else if (match(c, /[^ ] *$/))
				keep = length(out) + RSTART
			out = out c
		}
		print substr(out, 1, keep)
	}
	END { for (i = NR; i < 24; i++) print "" }' >"$1"
}

# rows A B: the numbers of the rows that differ between shots A and B.
rows()
{
	awk 'NR == FNR { a[FNR] = $0; next }
	    a[FNR] != $0 { printf "%s%d", n++ ? " " : "", FNR } END { print "" }' \
	    "$1" "$2"
}

# settle [BEFORE]: wait for the draw after a key.  With BEFORE (the shot
# taken before the key or resize, which must change the screen), first
# until the screen differs from it: however slow the draw, the screen from
# before the key is never taken for the one after.  Then until it stops
# changing (a draw may reach tmux in more than one piece).  Generous: 30 s
# each, for a loaded machine; 1 when it does not happen.
settle()
{
	local before=${1-} a=$T_TMP/settle.a b=$T_TMP/settle.b deadline
	deadline=$(($(_t_now_ms) + 30000))
	shot "$a"
	if [ -n "$before" ]; then
		while cmp -s "$before" "$a"; do
			if [ "$(_t_now_ms)" -gt "$deadline" ]; then
				t_diag "settle: the screen did not change in 30 s"
				return 1
			fi
			_t_nap 0.05
			shot "$a"
		done
	fi
	deadline=$(($(_t_now_ms) + 30000))
	while :; do
		_t_nap 0.1
		shot "$b"
		cmp -s "$a" "$b" && return 0
		mv "$b" "$a"
		if [ "$(_t_now_ms)" -gt "$deadline" ]; then
			t_diag "settle: the screen kept changing for 30 s"
			return 1
		fi
	done
}

# like WANT: wait until the screen is the shot WANT (30 s at most, then
# settle); 1 when it is not.
like()
{
	local deadline
	deadline=$(($(_t_now_ms) + 30000))
	shot "$T_TMP/like"
	while ! cmp -s "$1" "$T_TMP/like"; do
		if [ "$(_t_now_ms)" -gt "$deadline" ]; then
			settle
			return 1
		fi
		_t_nap 0.05
		shot "$T_TMP/like"
	done
}

# whole SHOT WANT: the screen redrawn whole (a resize there and back: every
# row is put again), into SHOT.  Back at 80 columns tmux shows at once the
# 81-column screen cut to 80, before the program draws again: a screen
# that changed and then stayed is not yet the redraw, so wait for WANT
# (what SHOT should be) instead, however slow the redraw.
whole()
{
	shot "$T_TMP/whole.0"
	tui_resize 81 24 && settle "$T_TMP/whole.0" &&
	    tui_resize 80 24 && { like "$2" || :; } && shot "$1"
}

# move NAME KEY [ROWS]: press KEY; the screen must be the same as redrawn
# whole, and when ROWS is given, exactly those rows must have changed.
move()
{
	local name=$1 key=$2 want=${3-}
	shot "$T_TMP/before"
	tui_keys "$key"
	settle "$T_TMP/before"
	shot "$T_TMP/after"
	if [ -n "$want" ]; then
		assert_eq "$name: the rows that changed" "$want" \
		    "$(rows "$T_TMP/before" "$T_TMP/after")"
	fi
	whole "$T_TMP/whole" "$T_TMP/after"
	assert_eq "$name: as redrawn whole (rows that differ)" "" \
	    "$(rows "$T_TMP/after" "$T_TMP/whole")"
}

ui_init
t_check "a draft visit" an record --form service-window \
    --unit dongcheng-gov-centre --answers "$T_ROOT/tests/bench/answers-zh.json"
ui_start
ui_unlock
tui_keys Enter
assert_screen "the visit opened" "  |  22/22"
settle
# A note (cut in its row: whole below the rule, over two rows) to a time,
# a count, a stopwatch: the ">" leaves one row for the next, below the
# rule is what the new row does not show (a hint, or nothing: its label
# and answer are whole in the row), and the bar's keys change; nothing
# else does.
move "Down from the note" Down "3 4 14 15 24"
assert_contains "... the mark on the second row" ">  *到達時間" \
    "$(tui_screen | sed -n 4p)"
shot "$T_TMP/now"
assert_eq "... no attribute in the list: the mark alone says it" "" \
    "$(sed -n 3,12p "$T_TMP/now" | grep -F '{')"
assert_eq "... below the rule its hint, not its label again" \
    " 進入大廳的時間（時:分）" "$(sed -n 14p "$T_TMP/now")"
assert_contains "... the bar reversed over the keys every screen has" \
    "{7}^L lock  ? help  q back{}  r review  " "$(sed -n 24p "$T_TMP/now")"
move "Down to the count" Down "4 5 14 24"
move "Down to the stopwatch" Down "5 6 14 24"
# Every question down to the last (choice lists come and go, the list
# scrolls, labels of every length), then pages, the ends and back up.
for i in $(seq 4 22); do
	move "Down to question $i" Down
done
move "PgUp" PPage
move "Up" Up
move "Home" Home
move "End" End
move "PgUp again" PPage
move "PgDn" NPage
tui_keys q q
assert_eq "quit: status 0" 0 "$(tui_exit_status 20)"
t_done
