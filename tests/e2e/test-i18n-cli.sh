#!/usr/bin/env bash
# e2e: normal build only: the code of the English messages, which other files run sanitized
# Command-line messages follow the locale as gettext reads it: usage errors,
# errors of a command and --help are in Chinese under zh_CN.UTF-8 (Simplified)
# and zh_TW.UTF-8 (Traditional), in English under C; LANGUAGE picks the
# language before LC_ALL / LC_MESSAGES / LANG, LC_ALL=C wins over all.  The
# catalogues are found beside the binary (the build tree); a copy of the
# binary with none beside it and none installed speaks English.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=i18n-lib.sh
. "$(dirname "$0")/i18n-lib.sh"

i18n_ready || { t_done; exit 1; }

db=$T_TMP/none/anfang.db
unknown='unknown command "%s" (see anfang --help)'
nodb='%s: no database (create one with anfang init)'
badkdf='--kdf: "%s" is not interactive, moderate or sensitive'

# The commands, as --help lists them ("  name ..." lines).
commands=$(LANG=C LC_ALL=C "$ANFANG" --help |
    sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
t_diag "commands: $(printf "%s\n" "$commands" | xargs)"

for l in zh_CN zh_TW; do
	i18n_use "$l"
	# shellcheck disable=SC2059 # the format is the catalogue's
	want=$(printf "$(i18n_tr "$unknown")" frobnicate)
	assert_not_contains "$l: the catalogue translates the message" \
	    "unknown command" "$want"
	assert_exit "$l: an unknown command: usage" 64 "$ANFANG" frobnicate
	assert_eq "$l: the error in $l" "anfang: $want" "$T_ERR"

	assert_exit "$l: list without a database: no input" 66 \
	    "$ANFANG" --db "$db" list
	# shellcheck disable=SC2059
	assert_eq "$l: no database, in $l" \
	    "anfang: $(printf "$(i18n_tr "$nodb")" "$db")" "$T_ERR"

	assert_exit "$l: init --kdf bad: usage" 64 \
	    "$ANFANG" --db "$db" init --kdf fast
	# shellcheck disable=SC2059
	assert_eq "$l: a bad option value, in $l" \
	    "anfang: $(printf -- "$(i18n_tr "$badkdf")" fast)" "$T_ERR"

	assert_exit "$l: --help" 0 "$ANFANG" --help
	assert_eq "$l: --help starts with the translated usage" \
	    "$(i18n_tr "Usage: anfang [--db PATH] [--forms DIR] COMMAND [ARGS]
       anfang [--db PATH] [--forms DIR] [--kdf LEVEL] [--lock-after SECONDS]

anfang records unannounced inspection visits on checklist forms.
With no command it opens the terminal UI.

Commands:
" | head -n 3)" "$(printf '%s\n' "$T_OUT" | head -n 3)"
	assert_contains "$l: each command's summary translated" \
	    "$(i18n_tr "the visits, newest first")" "$T_OUT"
	assert_not_contains "$l: no English summary left" \
	    "the visits, newest first" "$T_OUT"
	# Lines wider than 80 columns: only a synopsis left as it is in
	# English (commands, options and metavariables are not translated).
	zh_help=$T_OUT
	wide=$(printf '%s\n' "$zh_help" | while IFS= read -r line; do
		[ "$(printf '%s\n' "$line" | i18n_width)" -le 80 ] ||
		    printf '%s\n' "$line"
	done)
	t_run env LANG=C LC_ALL=C "$ANFANG" --help
	assert_eq "$l: --help: every translated line fits 80 columns" "" \
	    "$(printf '%s\n' "$wide" | grep -vxF -f <(printf '%s\n' "$T_OUT") |
	    grep -v '^$')"
	T_OUT=$zh_help
	for c in $commands; do
		t_run "$ANFANG" "$c" --help
		w=$(printf '%s\n' "$T_OUT" | i18n_width)
		t_run env LANG=C LC_ALL=C "$ANFANG" "$c" --help
		en=$(printf '%s\n' "$T_OUT" | i18n_width)
		t_run "$ANFANG" "$c" --help
		# no wider than 80 columns, or than the English
		[ "$en" -gt 80 ] || en=80
		if [ "$T_STATUS" -eq 0 ] && [ "$w" -le "$en" ] &&
		    printf '%s\n' "$T_OUT" | head -n 1 | grep -q '^用法：'; then
			t_ok "$l: $c --help translated, $w columns"
		else
			t_fail "$l: $c --help translated, fits 80 columns" \
			    "exit $T_STATUS, $w columns"
			_t_show_output
		fi
	done
done

# The two scripts differ: 数据库 (Simplified) and 資料庫 (Traditional).
i18n_use zh_CN
t_run "$ANFANG" --db "$db" list
assert_contains "zh_CN: Simplified characters" "数据库" "$T_ERR"
i18n_use zh_TW
t_run "$ANFANG" --db "$db" list
assert_contains "zh_TW: Traditional characters" "資料庫" "$T_ERR"

# English under C, word for word.
i18n_use C
assert_exit "C: an unknown command" 64 "$ANFANG" frobnicate
assert_eq "C: the error in English" \
    'anfang: unknown command "frobnicate" (see anfang --help)' "$T_ERR"
assert_exit "C: list without a database" 66 "$ANFANG" --db "$db" list
assert_eq "C: no database, in English" \
    "anfang: $db: no database (create one with anfang init)" "$T_ERR"

# The order gettext reads the variables in.
t_run env LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE=zh_TW "$ANFANG" frobnicate
assert_contains "LANGUAGE=zh_TW before LANG=zh_CN" "未知命令「frobnicate」" \
    "$T_ERR"
t_run env LANG=C.UTF-8 LC_ALL= LC_MESSAGES=zh_TW.UTF-8 "$ANFANG" frobnicate
assert_contains "LC_MESSAGES=zh_TW over LANG" "未知命令「frobnicate」" "$T_ERR"
t_run env LANG=zh_CN.UTF-8 LC_MESSAGES= LC_ALL=zh_CN.UTF-8 "$ANFANG" frobnicate
assert_contains "LC_ALL=zh_CN" '未知命令“frobnicate”' "$T_ERR"
t_run env LANG=zh_CN.UTF-8 LANGUAGE=zh_TW LC_ALL=C "$ANFANG" frobnicate
assert_eq "LC_ALL=C: English whatever LANGUAGE says" \
    'anfang: unknown command "frobnicate" (see anfang --help)' "$T_ERR"

# The catalogues beside the binary are the ones it uses: a copy alone in a
# directory (and none installed under its compiled-in path) speaks English.
mkdir -p "$T_TMP/alone"
cp "$ANFANG" "$T_TMP/alone/anfang"
t_run env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 "$T_TMP/alone/anfang" frobnicate
installed=$(strings -a "$ANFANG" | grep -m 1 '/share/locale$')
if [ -n "$installed" ] && [ -e "$installed/zh_CN/LC_MESSAGES/anfang.mo" ]; then
	t_skip "a lone copy speaks English" "catalogues installed in $installed"
else
	assert_eq "a lone copy with no catalogue speaks English" \
	    'anfang: unknown command "frobnicate" (see anfang --help)' "$T_ERR"
fi
ln -s "$I18N_CATALOGUES" "$T_TMP/alone/locale"
t_run env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 "$T_TMP/alone/anfang" frobnicate
assert_contains "with a locale directory beside it, Chinese" \
    '未知命令“frobnicate”' "$T_ERR"

t_done
