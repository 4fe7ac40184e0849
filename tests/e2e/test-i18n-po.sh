#!/usr/bin/env bash
# The message catalogues: each compiles with msgfmt --check (formats agree
# with their msgids) and has no untranslated and no fuzzy message; the
# template holds exactly the strings marked in src/ today (a stale template,
# one that misses a new _() or keeps a removed one, fails), and each
# catalogue translates every one of them.  `make po` brings both up to date.
# e2e: normal build only
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

po=$T_ROOT/packaging/po

for l in zh_CN zh_TW; do
	t_check "$l.po: msgfmt --check" msgfmt --check --statistics \
	    -o "$T_TMP/$l.mo" "$po/$l.po"
	# "N translated messages." alone: no ", N fuzzy", no ", N untranslated"
	assert_eq "$l.po: every message translated, none fuzzy" \
	    "translated" \
	    "$(printf '%s\n' "$T_ERR" | sed -n 's/^[0-9]* \([a-z]*\) messages*\.$/\1/p')"
	n=$(printf '%s\n' "$T_ERR" | sed -n 's/^\([0-9]*\) translated.*/\1/p')
	t_diag "$l: ${n:-0} messages"
done

# The template as `make po` makes it from src/ now.
unset MAKEFLAGS MFLAGS MAKELEVEL
t_check "make pot: the template from src/ now" make -s -C "$T_ROOT" \
    --no-print-directory pot POT="$T_TMP/now.pot"

# The msgids of a catalogue, one per line (plural forms with their plural).
msgids()
{
	msgcat --no-wrap --sort-output --no-location "$1" |
	    awk '/^msgid /{ id = $0; in_id = 1; next }
	         /^msgid_plural /{ id = id " " $0; next }
	         /^msgstr/{ if (id != "" && id != "msgid \"\"") print id
	                   id = ""; in_id = 0 }
	         /^"/{ if (in_id) id = id $0 }' |
	    sort -u
}
msgids "$T_TMP/now.pot" >"$T_TMP/now.ids"
msgids "$po/anfang.pot" >"$T_TMP/pot.ids"
t_check "strings marked in src/: some" test -s "$T_TMP/now.ids"
t_diag "$(wc -l <"$T_TMP/now.ids") strings marked in src/"
assert_eq "template: no string marked in src/ is missing (make po)" "" \
    "$(comm -23 "$T_TMP/now.ids" "$T_TMP/pot.ids")"
assert_eq "template: no string that src/ no longer marks (make po)" "" \
    "$(comm -13 "$T_TMP/now.ids" "$T_TMP/pot.ids")"
for l in zh_CN zh_TW; do
	msgattrib --translated --no-fuzzy "$po/$l.po" >"$T_TMP/$l.done.po"
	msgids "$T_TMP/$l.done.po" >"$T_TMP/$l.ids"
	assert_eq "$l.po translates every string marked in src/" "" \
	    "$(comm -23 "$T_TMP/now.ids" "$T_TMP/$l.ids")"
done

t_done
