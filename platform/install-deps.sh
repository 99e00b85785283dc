#!/bin/sh
# The one install step for inloop's Debian packages, used by `make run`, `make test`,
# `make demo` and `.ci/run`. As root it installs what is missing (and brings OpenSSL up
# to Debian's current 3.0 security release, SEAL.md P9); otherwise it prints the exact
# apt-get line and stops.
set -eu

PKGS="build-essential pkg-config gettext tzdata ca-certificates
libsdl2-dev libsdl2-ttf-dev libfribidi-dev libespeak-ng-dev espeak-ng-data
fonts-noto-core libsqlite3-dev sqlite3 libqrencode-dev
openssl libssl-dev libssl3 libcurl4-openssl-dev libjansson-dev libevent-dev
libcmocka-dev xvfb xauth imagemagick procps
fonts-font-awesome zbar-tools
libcairo2-dev libpango1.0-dev libcups2-dev cups-daemon cups-client cups-filters poppler-utils strace
curl jq perl python3 iproute2
libsodium-dev liboath-dev oathtool nodejs chromium
cage xwayland grim systemd
clang-14 libclang-rt-14-dev
libpq-dev postgresql
libsystemd-dev dbus-daemon dbus-bin libglib2.0-bin"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

# npm comes with nodejs from some sources (NodeSource), as its own package in Debian's.
command -v npm >/dev/null 2>&1 || missing="$missing npm"

# OpenSSL older than the candidate in the archive (a security release) counts as missing.
upgrade=""
for p in openssl libssl3 libssl-dev; do
	inst=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
	cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
	if [ -n "$inst" ] && [ -n "$cand" ] && [ "$cand" != "(none)" ] &&
	   dpkg --compare-versions "$inst" lt "$cand"; then
		upgrade="$upgrade $p"
	fi
done

office_npm="$(dirname "$0")/../assets/office/install.sh"
[ -z "$missing$upgrade" ] && exec sh "$office_npm"

if [ "$(id -u)" != 0 ]; then
	echo "inloop needs these Debian packages:$missing$upgrade" >&2
	echo "Run as root:  apt-get install --no-install-recommends$missing$upgrade" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || echo "install-deps: apt-get update failed, trying the cached lists" >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing $upgrade >/dev/null
echo "install-deps: installed$missing$upgrade" >&2
exec sh "$office_npm"
