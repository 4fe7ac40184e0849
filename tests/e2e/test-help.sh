#!/usr/bin/env bash
# `anfang COMMAND --help` for every command: exit 0 and a usage text on
# stdout, with no database anywhere, no passphrase asked (no terminal, no
# --passphrase-fd), and nothing created.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# No terminal to ask a passphrase on: a command that tried would fail (or
# wait) instead of printing its help.
T_CMD_TIMEOUT=10

commands=(init passwd record list show amend key backup forms report)
for c in "${commands[@]}"; do
	assert_exit "$c --help: exit 0" 0 setsid -w "$ANFANG" "$c" --help \
	    </dev/null
	assert_contains "$c --help: usage on stdout" "Usage: anfang $c" \
	    "$T_OUT"
	assert_eq "$c --help: nothing on stderr" "" "$T_ERR"
	# -h is the short form, and --help wins over a missing argument
	assert_exit "$c -h: exit 0" 0 setsid -w "$ANFANG" "$c" -h </dev/null
	assert_contains "$c -h: usage" "Usage: anfang $c" "$T_OUT"
done

# ... and over a database path that does not exist
for c in "${commands[@]}"; do
	assert_exit "$c --help with --db nowhere: exit 0" 0 setsid -w \
	    "$ANFANG" --db "$T_TMP/nowhere/x.db" "$c" --help </dev/null
	assert_contains "$c --help with --db nowhere: usage" \
	    "Usage: anfang $c" "$T_OUT"
done

# and after a subcommand
for c in "key show" "forms check" "forms list"; do
	# shellcheck disable=SC2086 # two words wanted
	assert_exit "$c --help: exit 0" 0 setsid -w "$ANFANG" $c --help \
	    </dev/null
	assert_contains "$c --help: usage" "anfang $c" "$T_OUT"
done

# the top-level help names every command
assert_exit "--help: exit 0" 0 "$ANFANG" --help
top=$T_OUT
for c in "${commands[@]}"; do
	assert_contains "--help names $c" "  $c" "$top"
done

# nothing was created: no database, no directory for one
assert_eq "no database directory created" "" \
    "$(find "$XDG_DATA_HOME" "$T_TMP/nowhere" -mindepth 1 2>/dev/null)"

t_done
