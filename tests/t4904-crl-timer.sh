#!/bin/sh
# The daily CRL renewal ships as a unit and a timer (issue 9: a CRL that runs out makes the
# case store refuse every device). Installed by make install, both pass systemd-analyze
# verify; the timer fires daily and catches up after a missed day; the service's own
# ExecStart, run against a demo root whose CRL runs short, renews it, and leaves a CRL
# with days enough alone. Broken twins: an unknown key, a timer without a schedule.
. "$(dirname "$0")/lib.sh"

D="$T/root"
make -C "$TOP" -s --no-print-directory install B="$B" DESTDIR="$D" 2>/dev/null
UD="$D/usr/local/lib/systemd/system"
S="$UD/inloop-crl-renew.service"

# verify_quiet UNIT...: verify exits 0 and prints nothing. The service's program is looked
# up in the install tree, not on this machine: ExecStart is rewritten into $D for that.
verify_quiet() {
	systemd-analyze verify --man=no "$@" >"$T/verify.out" 2>&1 || { cat "$T/verify.out"; return 1; }
	[ ! -s "$T/verify.out" ] || { cat "$T/verify.out"; return 1; }
}
mkdir -p "$T/u" "$T/bad"
sed "s|^ExecStart=/usr/local/bin/|ExecStart=$D/usr/local/bin/|" "$S" >"$T/u/inloop-crl-renew.service"
cp "$UD/inloop-crl-renew.timer" "$T/u/"
check "systemd-analyze verify: service and timer, no complaint" \
	verify_quiet "$T/u/inloop-crl-renew.timer" "$T/u/inloop-crl-renew.service"
check "daily, catching up after a missed day" sh -c \
	'grep -qx "OnCalendar=daily" "$1" && grep -qx "Persistent=true" "$1" && grep -qx "WantedBy=timers.target" "$1"' - "$UD/inloop-crl-renew.timer"
check "runs as inloop-ca from the sysusers snippet, never root" sh -c \
	'grep -qx "User=inloop-ca" "$1" && grep -q "^u inloop-ca " "$2"' - "$S" "$D/usr/local/lib/sysusers.d/inloop-ca.conf"
check "no network, no core dumps, writes only its root" sh -c \
	'grep -qx "PrivateNetwork=yes" "$1" && grep -qx "LimitCORE=0" "$1" && grep -qx "ProtectSystem=strict" "$1" && grep -qx "ReadWritePaths=/var/lib/inloop-ca" "$1"' - "$S"

# The service's command line, pointed at a demo root and at the installed program.
ROOT="$T/ca-root"
"$B/inloopctl" init-demo "$ROOT" >/dev/null 2>&1
cmd=$(sed -n 's/^ExecStart=//p' "$S" | sed "s|^/usr/local/bin/|$D/usr/local/bin/|; s|/var/lib/inloop-ca|$ROOT|")
days() { openssl crl -in "$ROOT/casestore/crl.pem" -noout -nextupdate | sed 's/^nextUpdate=//' |
	xargs -I{} date -d {} +%s | awk -v now="$(date +%s)" '{ print int(($1 - now) / 86400) }'; }
"$B/inloopctl" --dir "$ROOT" crl renew --days 20 >/dev/null
check "a CRL with 20 days left (set up)" test "$(days)" -le 20
check "the unit's command runs" sh -c "$cmd"
check "... and renews it to about 90 days" test "$(days)" -ge 85
cp "$ROOT/casestore/crl.pem" "$T/crl.before"
check "run again, it leaves a CRL with days enough alone" sh -c "$cmd"
check "... byte for byte" cmp -s "$T/crl.before" "$ROOT/casestore/crl.pem"
check "the office's copy is the renewed one" cmp -s "$ROOT/casestore/crl.pem" "$ROOT/office/crl.pem"

sed 's/^Persistent=/Persistant=/' "$T/u/inloop-crl-renew.timer" >"$T/bad/inloop-crl-renew.timer"
cp "$T/u/inloop-crl-renew.service" "$T/bad/"
refuse "an unknown key in the timer is reported" verify_quiet "$T/bad/inloop-crl-renew.timer"
sed '/^OnCalendar=/d' "$T/u/inloop-crl-renew.timer" >"$T/bad/inloop-crl-renew.timer"
refuse "a timer without a schedule is reported" verify_quiet "$T/bad/inloop-crl-renew.timer"
done_testing
