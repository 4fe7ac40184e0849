#!/bin/sh
# Install every build and test dependency of anfang from Debian's packages.
# Idempotent and quiet when everything is already there; uses sudo when not
# run as root.  `--check` only reports whether something is missing (exit 1).
# chromium opens the html report in the end-to-end tests (--headless), and
# python3 works out what they expect; fonts-wqy-zenhei draws its Chinese.
# gettext brings msgfmt, xgettext and msgmerge; locales the sources that
# localedef (libc-bin) compiles the tests' zh_CN and zh_TW locales from.
set -eu

PACKAGES="
gcc libc6-dev make pkg-config
libncurses-dev libsqlcipher-dev libsodium-dev libyaml-dev libjansson-dev
libcmocka-dev
clang libclang-rt-dev
tmux minisign sqlcipher gettext ncurses-term dialog locales
build-essential debhelper dpkg-dev fakeroot lintian man-db
chromium python3 fonts-wqy-zenhei
"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
	echo "deps.sh: missing:$missing" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps.sh: need root or sudo to install:$missing" >&2
	exit 77
fi

echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet; refresh them once when the
# first attempt cannot find something.
if ! $SUDO apt-get install -y -q --no-install-recommends $missing \
    >/dev/null 2>&1; then
	echo "deps.sh: refreshing the package lists" >&2
	$SUDO apt-get update -q >/dev/null
	$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
