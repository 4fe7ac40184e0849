#!/usr/bin/env bash
# e2e: normal build only
# make install into a temporary prefix: the program installed there finds
# its own message catalogues (PREFIX/share/locale, compiled in, with no
# build tree beside it) and speaks zh_CN, zh_TW or English as the locale
# says, and finds the installed forms; make uninstall takes it all away.
# A DESTDIR install lays out the same files under DESTDIR.  The build is
# its own (BUILD in the test's directory), so build/anfang is not touched.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=i18n-lib.sh
. "$(dirname "$0")/i18n-lib.sh"

# A whole build (from a tree not built yet) on a busy machine takes a while.
T_CMD_TIMEOUT=500
# Called from `make check`, this make is not one of its jobs.
unset MAKEFLAGS MFLAGS MAKELEVEL

i18n_ready || { t_done; exit 1; }

# The private build starts from the tree's own objects and catalogues (make
# check has just built them), their dependency lines pointed at it: only
# what compiles the install paths in is built again, not the whole program.
if [ -d "$T_ROOT/build/obj" ]; then
	mkdir -p "$T_TMP/build"
	cp -a "$T_ROOT/build/obj" "$T_TMP/build/"
	[ -d "$T_ROOT/build/locale" ] && cp -a "$T_ROOT/build/locale" "$T_TMP/build/"
	sed -i "s|^build/obj/|$T_TMP/build/obj/|" "$T_TMP"/build/obj/*.d
fi

prefix=$T_TMP/usr
mk()
{
	make -s -C "$T_ROOT" --no-print-directory BUILD="$T_TMP/build" "$@"
}
t_check "make install PREFIX=$prefix" mk PREFIX="$prefix" install ||
    { t_done; exit 1; }

installed()
{
	local root=$1
	(cd "$root" && find . -type f | sed 's|^\./||' | sort)
}
want="bin/anfang
share/anfang/forms/restaurant-hygiene.yaml
share/anfang/forms/service-window.en.yaml
share/anfang/forms/service-window.zh-Hans.yaml
share/anfang/forms/service-window.zh.yaml
share/anfang/forms/sites/service-centres.yaml
share/anfang/forms/sites/service-centres.zh-Hans.yaml
share/bash-completion/completions/anfang
share/locale/zh_CN/LC_MESSAGES/anfang.mo
share/locale/zh_TW/LC_MESSAGES/anfang.mo
share/man/man1/anfang.1
share/man/man5/anfang-batch.5
share/man/man5/anfang-forms.5"
assert_eq "installed: the program, forms, sites, catalogues, pages" \
    "$want" "$(installed "$prefix")"
bin=$prefix/bin/anfang
t_check "no locale directory beside the installed binary" \
    test ! -e "$prefix/bin/locale"

for l in zh_CN zh_TW C; do
	i18n_use "$l"
	# shellcheck disable=SC2059 # the format is the catalogue's
	msg="anfang: $(printf "$(i18n_tr 'unknown command "%s" (see anfang --help)')" frobnicate)"
	assert_exit "$l: installed: an unknown command" 64 "$bin" frobnicate
	assert_eq "$l: installed: the error in $l" "$msg" "$T_ERR"
	case $l in
	zh_CN) assert_contains "zh_CN: Simplified" '未知命令“frobnicate”' "$T_ERR" ;;
	zh_TW) assert_contains "zh_TW: Traditional" '未知命令「frobnicate」' "$T_ERR" ;;
	esac
done

# The installed forms, without --forms (and no user forms).
export XDG_CONFIG_HOME=$T_TMP/config
assert_exit "installed: forms list" 0 "$bin" forms list
assert_eq "installed: each form from $prefix/share/anfang/forms" 4 \
    "$(printf '%s\n' "$T_OUT" | grep -c -F " $prefix/share/anfang/forms/")"

t_check "make uninstall" mk PREFIX="$prefix" uninstall
assert_eq "uninstalled: nothing left" "" "$(installed "$prefix")"

# DESTDIR: the same files under it, for the installed prefix.
t_check "make install DESTDIR" mk PREFIX=/usr DESTDIR="$T_TMP/stage" install
assert_eq "DESTDIR: the same files under DESTDIR/usr" "$want" \
    "$(installed "$T_TMP/stage/usr")"
t_check "DESTDIR: the binary looks in /usr/share/locale" \
    grep -q -a -F /usr/share/locale "$T_TMP/stage/usr/bin/anfang"

t_done
