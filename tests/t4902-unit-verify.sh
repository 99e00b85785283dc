#!/bin/sh
# The installed kiosk unit passes `systemd-analyze verify` without a word, and what verify
# does not check holds too: the program after cage's "--" is installed, User= is the
# user the sysusers snippet makes, PAMName= is the installed PAM service and its modules
# exist. Broken twins are reported: an unknown key, a missing cage, a wrong user or path.
. "$(dirname "$0")/lib.sh"

D="$T/root"
make -C "$TOP" -s --no-print-directory install B="$B" DESTDIR="$D" 2>/dev/null
U="$D/usr/local/lib/systemd/system/inloop-kiosk.service"

# verify_quiet UNIT: verify exits 0 and prints nothing (unknown keys only warn, with rc 0).
verify_quiet() {
	systemd-analyze verify --man=no "$1" >"$T/verify.out" 2>&1 || { cat "$T/verify.out"; return 1; }
	[ ! -s "$T/verify.out" ] || { cat "$T/verify.out"; return 1; }
}
key() { sed -n "s/^$1=//p" "$2" | tail -1; }
# holds UNIT: the checks verify leaves to us, against the install tree $D.
holds() {
	app=$(sed -n 's/^ExecStart=.* -- //p' "$1")
	pam=$(key PAMName "$1")
	[ -n "$app" ] && [ -x "$D$app" ] || { echo "ExecStart's program '$app' is not installed"; return 1; }
	[ "$(key User "$1")" = "$(awk '$1 == "u" { print $2 }' "$D/usr/local/lib/sysusers.d/inloop.conf")" ] ||
		{ echo "User= is not the sysusers user"; return 1; }
	[ -n "$pam" ] && [ -f "$D/etc/pam.d/$pam" ] || { echo "no PAM service '$pam'"; return 1; }
	for m in $(awk '$1 !~ /^#/ && NF >= 3 { print $3 }' "$D/etc/pam.d/$pam"); do
		ls /lib/*/security/"$m" /usr/lib/*/security/"$m" >/dev/null 2>&1 ||
			{ echo "PAM module $m is not on this system"; return 1; }
	done
}

check "systemd-analyze verify: the installed unit, no complaint" verify_quiet "$U"
check "ExecStart's kiosk installed, User= from sysusers, PAM service and modules there" holds "$U"
check "runs as inloop, never as root" grep -qx 'User=inloop' "$U"
check "restarts whenever it ends (cage's status means nothing)" grep -qx 'Restart=always' "$U"
cond=$(sed -n "s/^ExecCondition=\/bin\/sh -c 'exec \(.*\) kiosk-may-start'\$/\1/p" "$U")
check "... unless the host left it for ICT: the condition's program is installed" test -n "$cond" -a -x "$D$cond"
check "starts at boot (graphical.target)" grep -qx 'WantedBy=graphical.target' "$U"
check "owns tty1 with a logind session" sh -c 'grep -qx "TTYPath=/dev/tty1" "$1" && grep -qx "Conflicts=getty@tty1.service" "$1"' - "$U"
check "SDL on Wayland, not Xwayland" grep -q '^Environment=SDL_VIDEODRIVER=wayland' "$U"
check "no core dumps" grep -qx 'LimitCORE=0' "$U"

mkdir -p "$T/bad"
sed 's/^RestartSec=/RestartSecs=/' "$U" >"$T/bad/inloop-kiosk.service"
refuse "an unknown key is reported" verify_quiet "$T/bad/inloop-kiosk.service"
check "by name" grep -q "Unknown key 'RestartSecs'" "$T/verify.out"
sed 's|^ExecStart=/usr/bin/cage|ExecStart=/usr/bin/no-such-cage|' "$U" >"$T/bad/inloop-kiosk.service"
refuse "a missing compositor is reported" verify_quiet "$T/bad/inloop-kiosk.service"
check "by path" grep -q 'no-such-cage is not executable' "$T/verify.out"
sed 's|-- /usr/local/bin/inloop|-- /usr/local/bin/no-such-inloop|' "$U" >"$T/bad/inloop-kiosk.service"
check "verify passes a unit whose kiosk path is wrong" verify_quiet "$T/bad/inloop-kiosk.service"
refuse "but our check does not" holds "$T/bad/inloop-kiosk.service"
sed 's|^User=inloop|User=kiosk|' "$U" >"$T/bad/inloop-kiosk.service"
refuse "a user the sysusers snippet does not make is refused" holds "$T/bad/inloop-kiosk.service"
sed 's|^PAMName=inloop-kiosk|PAMName=no-such-service|' "$U" >"$T/bad/inloop-kiosk.service"
refuse "a PAM service that is not installed is refused" holds "$T/bad/inloop-kiosk.service"
done_testing
