#!/bin/sh
# platform/linux/install.sh — what `make install` runs: copies what `make` built, never
# builds (so it can run as root after a build as yourself).
#
#   B=build DESTDIR= PREFIX=/usr/local SYSCONFDIR=/etc sh platform/linux/install.sh
#   (also UNITDIR, SYSUSERSDIR, TMPFILESDIR; defaults under PREFIX/lib, where systemd looks)
#
# Layout: the programs find their assets as <program's folder>/../assets and their
# catalogues as <program's folder>/locale (through /proc/self/exe, so a link is enough):
#   PREFIX/lib/inloop/bin/{inloop,inloop-print,inloop-casestore,inloopctl,inloop-office} 0755
#   PREFIX/lib/inloop/bin/locale/LANG/LC_MESSAGES/inloop.mo                   0644
#   PREFIX/lib/inloop/bin/office/static/...                                    0644
#   PREFIX/lib/inloop/assets/{forms/registration.json,holidays.json,icons.json} 0644
#   PREFIX/bin/NAME -> ../lib/inloop/bin/NAME (not the print helper)
#   PREFIX/share/ppd/inloop/receipt80-pdf.ppd (a roll printer that takes PDF, for lpadmin -P)
#   UNITDIR/inloop-kiosk.service, SYSCONFDIR/pam.d/inloop-kiosk,
#   SYSUSERSDIR/inloop.conf (user inloop), TMPFILESDIR/inloop.conf (/var/lib/inloop 0700)
#   UNITDIR/inloop-crl-renew.{service,timer}, SYSUSERSDIR/inloop-ca.conf (user inloop-ca):
#   the daily CRL renewal where ca.key lives (not enabled by default)
# Without DESTDIR, as root, it then creates the user and the state folder (as a package's
# postinst would) and reloads systemd when systemd runs.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B="$TOP/$B" ;; esac
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
SYSCONFDIR=${SYSCONFDIR:-/etc}
UNITDIR=${UNITDIR:-$PREFIX/lib/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-$PREFIX/lib/sysusers.d}
TMPFILESDIR=${TMPFILESDIR:-$PREFIX/lib/tmpfiles.d}
PROGS="inloop inloop-casestore inloopctl inloop-office"
HELPERS="inloop-print"   # run by the kiosk from beside itself: not linked into PREFIX/bin
LIB="$PREFIX/lib/inloop"
D=$DESTDIR

die() { echo "install: $*" >&2; exit 1; }

case $PREFIX in /*) ;; *) die "PREFIX must be an absolute path (got '$PREFIX')" ;; esac
case $PREFIX in *[!A-Za-z0-9/._+-]*) die "PREFIX has characters a unit file cannot carry: '$PREFIX'" ;; esac
for p in $PROGS $HELPERS; do
	[ -x "$B/$p" ] || die "$B/$p is not built: run make -j2 first"
done
[ -d "$B/locale" ] || die "$B/locale is not built: run make -j2 first"
[ -f "$B/office/static/.stamp" ] || die "$B/office/static is not built: run make -j2 first"

# data DIR FILE...: installs each FILE mode 0644 into DIR (made 0755).
data() { dir=$1; shift; install -d -m 0755 "$D$dir"; install -m 0644 "$@" "$D$dir/"; }

# tree SRC DST: SRC's files (not dot files) mode 0644 into DST, folders 0755.
tree() {
	(cd "$1" && find . -type f ! -name '.*' | sort) | while read -r f; do
		data "$2/$(dirname "$f")" "$1/$f"
	done
}

install -d -m 0755 "$D$LIB/bin" "$D$PREFIX/bin"
for p in $PROGS; do
	install -m 0755 "$B/$p" "$D$LIB/bin/$p"
	ln -sfn "../lib/inloop/bin/$p" "$D$PREFIX/bin/$p"
done
for p in $HELPERS; do
	install -m 0755 "$B/$p" "$D$LIB/bin/$p"
done
tree "$B/locale" "$LIB/bin/locale"
tree "$B/office/static" "$LIB/bin/office/static"
data "$LIB/assets" "$TOP/assets/holidays.json" "$TOP/assets/icons.json"
data "$LIB/assets/forms" "$TOP/assets/forms/registration.json"
data "$PREFIX/share/ppd/inloop" "$TOP/assets/print/receipt80-pdf.ppd"

install -d -m 0755 "$D$UNITDIR"
sed "s|@BINDIR@|$PREFIX/bin|g" "$TOP/platform/linux/inloop-kiosk.service.in" \
	>"$D$UNITDIR/inloop-kiosk.service"
chmod 0644 "$D$UNITDIR/inloop-kiosk.service"
sed "s|@BINDIR@|$PREFIX/bin|g" "$TOP/platform/linux/inloop-crl-renew.service.in" \
	>"$D$UNITDIR/inloop-crl-renew.service"
chmod 0644 "$D$UNITDIR/inloop-crl-renew.service"
install -m 0644 "$TOP/platform/linux/inloop-crl-renew.timer" "$D$UNITDIR/inloop-crl-renew.timer"
install -d -m 0755 "$D$SYSCONFDIR/pam.d" "$D$SYSUSERSDIR" "$D$TMPFILESDIR"
install -m 0644 "$TOP/platform/linux/inloop-kiosk.pam" "$D$SYSCONFDIR/pam.d/inloop-kiosk"
install -m 0644 "$TOP/platform/linux/inloop.sysusers" "$D$SYSUSERSDIR/inloop.conf"
install -m 0644 "$TOP/platform/linux/inloop-ca.sysusers" "$D$SYSUSERSDIR/inloop-ca.conf"
install -m 0644 "$TOP/platform/linux/inloop.tmpfiles" "$D$TMPFILESDIR/inloop.conf"
echo "install: inloop in $D$PREFIX (programs in $LIB/bin), kiosk unit in $D$UNITDIR" >&2

[ -z "$D" ] && [ "$(id -u)" = 0 ] || exit 0
if command -v systemd-sysusers >/dev/null 2>&1; then
	systemd-sysusers "$SYSUSERSDIR/inloop.conf"
	systemd-tmpfiles --create "$TMPFILESDIR/inloop.conf"
	echo "install: user inloop and /var/lib/inloop (0700) are there" >&2
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
fi
