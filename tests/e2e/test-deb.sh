#!/usr/bin/env bash
# e2e: normal build only
# The Debian package: `make deb` builds it (or finds it up to date), lintian
# finds no error in it, and unpacked with dpkg -x into a temporary root its
# binary runs and lists the packaged forms, its man pages format without a
# warning, and its bash completion offers every command, each command's
# options, the form ids and files.  The package builds its own binary
# (PREFIX=/usr), so this test does not use $ANFANG except as the reference
# for the forms' ids.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# A package build from scratch takes a while on a busy machine.
T_CMD_TIMEOUT=500
# Called from `make check`, this make is not one of its jobs.
unset MAKEFLAGS MFLAGS MAKELEVEL

version=$(sed -n 's/^VERSION *= *//p' "$T_ROOT/Makefile")
deb=$T_ROOT/build/anfang_${version}_$(dpkg --print-architecture).deb

# A failed build may leave an older package behind: stop here.
if ! t_check "make deb" make -C "$T_ROOT" --no-print-directory deb ||
    [ ! -f "$deb" ]; then
	[ -f "$deb" ] || t_fail "package built" "no $deb"
	t_done
	exit 1
fi
t_ok "package built: ${deb#"$T_ROOT"/}"

# lintian exits non-zero on an error; warnings are shown, not failed.
t_check "lintian: no error" lintian --fail-on error "$deb"
if [ -n "$T_OUT" ]; then
	t_diag "lintian:"
	_t_indent <"$T_OUTFILE"
fi

root=$T_TMP/root
t_check "dpkg -x" dpkg -x "$deb" "$root"
bin=$root/usr/bin/anfang
comp=$root/usr/share/bash-completion/completions/anfang
for f in usr/bin/anfang usr/share/anfang/forms/sites/service-centres.yaml \
    usr/share/anfang/forms/service-window.zh-Hans.yaml \
    usr/share/anfang/forms/sites/service-centres.zh-Hans.yaml \
    usr/share/bash-completion/completions/anfang \
    usr/share/doc/anfang/copyright \
    usr/share/locale/zh_CN/LC_MESSAGES/anfang.mo \
    usr/share/locale/zh_TW/LC_MESSAGES/anfang.mo; do
	t_check "packaged: /$f" test -s "$root/$f"
done

assert_exit "unpacked: --version" 0 "$bin" --version
assert_eq "unpacked: --version names $version" "anfang $version" "$T_OUT"

# The installed forms directory is compiled in as /usr/share/anfang/forms,
# which does not exist under a temporary root (nor, run from there, do the
# build tree's forms): --forms names the unpacked one.
t_check "binary looks in /usr/share/anfang/forms" \
    grep -q -a -F /usr/share/anfang/forms "$bin"
forms=$root/usr/share/anfang/forms

# The catalogues: the binary looks for them in /usr/share/locale (compiled
# in); run from a directory with the packaged ones beside it, it speaks
# Chinese with them.
t_check "binary looks in /usr/share/locale" \
    grep -q -a -F /usr/share/locale "$bin"
mkdir -p "$T_TMP/beside"
cp "$bin" "$T_TMP/beside/anfang"
ln -s "$root/usr/share/locale" "$T_TMP/beside/locale"
for l in zh_CN zh_TW; do
	t_check "$l: packaged catalogue compiled" \
	    msgunfmt -o /dev/null "$root/usr/share/locale/$l/LC_MESSAGES/anfang.mo"
done
if [ -f "$T_ROOT/build/locales/zh_TW.UTF-8/LC_CTYPE" ]; then
	t_run env LOCPATH="$T_ROOT/build/locales" LANG=zh_TW.UTF-8 \
	    LC_ALL=zh_TW.UTF-8 "$T_TMP/beside/anfang" frobnicate
	assert_contains "the packaged catalogue speaks Traditional Chinese" \
	    "未知命令「frobnicate」" "$T_ERR"
else
	t_skip "the packaged catalogue speaks Chinese" "no build/locales"
fi
assert_exit "unpacked: forms list" 0 "$bin" --forms "$forms" forms list
listed=$(printf '%s\n' "$T_OUT" | while read -r id _; do echo "$id"; done)
in_root=$(printf '%s\n' "$T_OUT" | grep -c -F " $forms/")
t_run "$ANFANG" --forms "$T_ROOT/forms" forms list
shipped=$(printf '%s\n' "$T_OUT" | while read -r id _; do echo "$id"; done)
assert_eq "unpacked: forms list lists the shipped forms" "$shipped" "$listed"
assert_eq "unpacked: each form read from the package" \
    "$(printf '%s\n' "$listed" | wc -l)" "$in_root"

# Every man page, gzipped, formats without a warning.
pages=("$root"/usr/share/man/man*/*.gz)
assert_eq "man pages packaged" \
    "anfang-batch.5.gz anfang-forms.5.gz anfang.1.gz" \
    "$(for p in "${pages[@]}"; do basename "$p"; done | sort | xargs)"
for p in "${pages[@]}"; do
	n=$(basename "$p")
	assert_exit "man -l $n" 0 env MANWIDTH=80 man --warnings -l "$p"
	assert_contains "man -l $n: formatted" "NAME" "$T_OUT"
	assert_eq "man -l $n: no warning" "" "$T_ERR"
done

# Completion: source the packaged file in a bare bash, complete the words
# given, print COMPREPLY sorted.
complete_words()
{
	bash --norc --noprofile -c '
		source "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_anfang || exit 1
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$comp" "$@"
}

# The commands are those --help lists ("  name ..." lines).
t_run "$bin" --help
commands=$(printf '%s\n' "$T_OUT" | sed -n 's/^  \([a-z][a-z]*\).*/\1/p' |
    sort)
t_run complete_words anfang ""
assert_eq "completion: the commands of --help" "$commands" "$T_OUT"
t_run complete_words anfang --db x.db ke
assert_eq "completion: a command after --db PATH" "key
keyring" "$T_OUT"

# Each command's options, as its --help's usage lines name them.
for c in $commands; do
	words=("$c")
	case $c in
	forms) words=(forms list) ;;
	key) words=(key show) ;;
	keyring) words=(keyring add) ;;
	esac
	t_run "$bin" "${words[@]}" --help
	want=$(printf '%s\n' "$T_OUT" | sed '/^$/q' |
	    grep -o -e '--[a-z][a-z-]*' | sort -u)
	t_run complete_words anfang "${words[@]}" --
	missing=$(comm -23 <(printf '%s\n' "$want") \
	    <(printf '%s\n' "$T_OUT"))
	assert_eq "completion: ${words[*]} -- offers its usage's options" \
	    "" "$missing"
done

t_run complete_words anfang init --kdf ""
assert_eq "completion: --kdf levels" "interactive
moderate
sensitive" "$T_OUT"

# Form ids come from `anfang forms list` of the program being completed,
# with the --forms given on the line.
t_run complete_words "$bin" --forms "$forms" record --unit x --form ""
assert_eq "completion: record --form offers the form ids" \
    "$(printf '%s\n' "$shipped" | sort)" "$T_OUT"

# Files where a command takes a FILE.
mkdir -p "$T_TMP/files/sub" && : >"$T_TMP/files/batch-7.jsonl"
complete_words_in()
{
	(cd "$T_TMP/files" && complete_words "$@")
}
t_run complete_words_in anfang import ba
assert_eq "completion: import offers files" "batch-7.jsonl" "$T_OUT"
t_run complete_words_in anfang record --answers ""
assert_eq "completion: --answers offers files" "batch-7.jsonl
sub" "$T_OUT"
t_run complete_words_in anfang export --out ""
assert_eq "completion: --out offers directories" "sub" "$T_OUT"

t_done
