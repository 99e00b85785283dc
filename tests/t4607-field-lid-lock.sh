#!/bin/sh
# Lid close and suspend lock field mode BEFORE the laptop sleeps (issue 12): the real
# program on a private system bus (dbus-daemon) where a stand-in (tests/unit/fake_logind.c)
# owns org.freedesktop.login1. The program holds a delay inhibitor lock; on
# PrepareForSleep(true) the lock screen comes within 1 s, its widget tree, the text cache
# and the measuring buffer hold no canary, and only then is the delay lock released; after the resume it takes a new one.
# Negative twins: PrepareForSleep(false) does not unlock; the same signal from a program
# that does not own org.freedesktop.login1 (broadcast, or sent to each connection) is
# ignored; without a system bus the program runs as before and says so in one log line.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/field-lib.sh"
P="$T/cs"
S="$P/device"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
field_device "$P" || { echo "not ok 1 - consultants enrolled"; echo "1..1"; exit 1; }

# until FILE PID SECONDS: waits until FILE is there (0), or PID ended or time ran out (1)
until_file() {
	_i=0
	while [ ! -s "$1" ]; do
		kill -0 "$2" 2>/dev/null && [ $_i -lt $(($3 * 100)) ] || return 1
		_i=$((_i + 1))
		sleep 0.01
	done
}

cat >"$T/bus.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$T/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="org.freedesktop.login1"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOC
dbus-daemon --config-file="$T/bus.conf" --nofork --print-address=1 >"$T/addr" 2>"$T/bus.log" &
pids="$!"
until_file "$T/addr" "$!" 10 || { echo "not ok 1 - a private system bus starts"; echo "1..1"; exit 1; }
DBUS_SYSTEM_BUS_ADDRESS=$(head -1 "$T/addr")
export DBUS_SYSTEM_BUS_ADDRESS
"$B/tests/fake_logind" >"$T/logind.out" 2>&1 &
logind=$!
pids="$logind $pids"
until_file "$T/logind.out" $logind 10
check "the stand-in owns org.freedesktop.login1" grep -qx ready "$T/logind.out"

cat >"$T/a.replay" <<EOR
tap cons-anna
type $ANNA_PASS
key Return
expect field-drafts
tap new
tap opt-crisis-none
tap next
expect field-page-2
tap field-name
type $CANARY_NAME
dump $T/ready-spoof.dump
wait-real 1500
dump $T/after-spoof.dump
dump $T/ready-sleep.dump
wait-screen field-locked 1000
dump $T/locked.dump
expect-not-cached $CANARY_NAME
expect-not-measured $CANARY_NAME
dump $T/ready-wake.dump
wait-real 1000
dump $T/after-wake.dump
type $ANNA_PASS
key Return
expect field-page-2
expect-text $CANARY_NAME
EOR
(exec "$B/inloop-test" --state "$S" --mode field --lang nl --windowed 1366x768 \
	--replay "$T/a.replay") 2>"$T/field.log" &
fpid=$!   # the program itself (exec)
pids="$fpid $pids"
if until_file "$T/ready-spoof.dump" $fpid 30; then
	# the same signal from connections that do not own the name: broadcast, then to each
	G="--address $DBUS_SYSTEM_BUS_ADDRESS --object-path /org/freedesktop/login1"
	gdbus emit $G --signal org.freedesktop.login1.Manager.PrepareForSleep true
	gdbus call --address "$DBUS_SYSTEM_BUS_ADDRESS" --dest org.freedesktop.DBus \
		--object-path /org/freedesktop/DBus --method org.freedesktop.DBus.ListNames |
		grep -o "':1\.[0-9]*'" | tr -d "'" >"$T/names"
	while read -r n; do
		gdbus emit $G --dest "$n" --signal org.freedesktop.login1.Manager.PrepareForSleep true 2>/dev/null
	done <"$T/names"
fi
grep -c '^inhibit sleep delay$' "$T/logind.out" >"$T/locks.before"
until_file "$T/ready-sleep.dump" $fpid 10 && kill -USR1 $logind
until_file "$T/ready-wake.dump" $fpid 10 && kill -USR2 $logind
wait $fpid
rc=$?
pids=$(echo "$pids" | sed "s/^$fpid //")
check "the program runs the replay through (sign-in, sleep, resume, unlock)" test "$rc" = 0
check "it took a delay lock for sleep at start" test "$(cat "$T/locks.before")" = 1
check "a spoofed PrepareForSleep (not from logind's owner) changes nothing" \
	grep -q '^screen field-page-2 ' "$T/after-spoof.dump"
check "the spoof was sent to the program's own connection too" test "$(wc -l <"$T/names")" -ge 2
check "PrepareForSleep(true): the lock screen within 1 s" grep -q '^screen field-locked ' "$T/locked.dump"
refuse "the lock screen's widget tree holds no canary" grep -q "$CANARY_NAME" "$T/locked.dump"
check "the lock screen asks for the passphrase" grep -q "id=pass role=field" "$T/locked.dump"
check "the delay lock was held when the sleep was announced" grep -qx 'sleep 1' "$T/logind.out"
# the first release after the sleep: MS after PrepareForSleep(true)
ms=$(awk '/^sleep/ { s = 1 } s && /^released/ { print $2; exit }' "$T/logind.out")
check "and released after the lock, within 1 s (${ms:-never} ms)" test "${ms:-9999}" -ge 0 -a "${ms:-9999}" -lt 1000
check "the log says it locked for sleep (no content)" grep -q "field: locked for sleep" "$T/field.log"
check "PrepareForSleep(false), the resume, does not unlock" grep -q '^screen field-locked ' "$T/after-wake.dump"
check "after the resume it holds a new delay lock" test "$(grep -c '^inhibit sleep delay$' "$T/logind.out")" = 2
refuse "no canary in the program's log" grep -q "$CANARY_NAME" "$T/field.log"

# no system bus: the program runs as today and says so once
cat >"$T/b.replay" <<EOR
tap cons-anna
type $ANNA_PASS
key Return
expect field-drafts
EOR
DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/no-such-bus" field "$T/b.replay" 2>"$T/nobus.log"
check "without a system bus the field program signs in as before" test $? = 0
check "and logs one line about it" test "$(grep -c 'no system bus' "$T/nobus.log")" = 1
done_testing
