# shellcheck shell=bash
# Helpers for the tests of the interface languages.  Source it after lib.sh.
#
# The tests run in zh_CN.UTF-8 and zh_TW.UTF-8, compiled into build/locales
# by `make locales` (a fresh machine need not have them): LOCPATH points
# there.  The catalogues are the ones beside the binary under test
# (build/locale or build/san/locale), as the program finds them.

I18N_LOCALES=$T_ROOT/build/locales
I18N_CATALOGUES=$(dirname "$ANFANG")/locale
I18N_LANGS="zh_CN zh_TW"

# i18n_ready: the locales and catalogues exist; a check each.  A test stops
# when they do not (`make locales` and `make` make them).
i18n_ready()
{
	local l ok=0
	for l in $I18N_LANGS; do
		t_check "locale $l.UTF-8 compiled (make locales)" \
		    test -f "$I18N_LOCALES/$l.UTF-8/LC_CTYPE" || ok=1
		t_check "catalogue $l beside the binary" \
		    test -f "$I18N_CATALOGUES/$l/LC_MESSAGES/anfang.mo" || ok=1
	done
	export LOCPATH=$I18N_LOCALES
	return $ok
}

# i18n_use LANG: the interface in LANG (zh_CN or zh_TW), or C.
i18n_use()
{
	unset LANGUAGE LC_MESSAGES
	# (bash itself cannot load a locale from LOCPATH: silence its warning)
	if [ "$1" = C ]; then
		export LANG=C LC_ALL=C
	else
		{ export LANG=$1.UTF-8 LC_ALL=$1.UTF-8; } 2>/dev/null
	fi
}

# i18n_tr MSGID: MSGID in the current LANG, from the catalogue under test.
i18n_tr()
{
	TEXTDOMAINDIR=$I18N_CATALOGUES gettext -d anfang -- "$1"
}

# i18n_width: the widest line of stdin, in terminal columns (wc -L counts
# columns by the locale's character widths: a CJK character is two).
i18n_width()
{
	wc -L | tr -d ' '
}
