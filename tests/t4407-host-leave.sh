#!/bin/sh
# "Leave the kiosk (for ICT)" in host mode stays left (issue 13): the program ends, and
# under the kiosk unit (Restart=always, RestartSec=2) it does not come back 2 s later:
# status.json keeps this boot's id (left_boot) and `inloop kiosk-may-start`, the unit's
# ExecCondition, says no until the next boot or `inloop host-return`. Twins: a kiosk
# nobody left may start; left in another boot (the machine restarted) it starts again; a
# damaged status.json does not keep the kiosk down.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/host-lib.sh"
make_state
set_pin 2468
may() { "$B/inloop" --state "$S" kiosk-may-start; }
boot=$(cat /proc/sys/kernel/random/boot_id)

check "twin: a kiosk nobody left may start" may
{ echo "$HOLD"; pin_taps 2468; echo "expect host"; echo "tap host-leave"; } >"$T/r"
check "the staff member leaves the kiosk: the program ends (status 0)" kiosk nl 1280x800 "$T/r"
check "... status.json keeps this boot's id" test "$(status left_boot)" = "$boot"
refuse "... the unit's condition now says no" may
check "... and says why, and how back" sh -c "'$B/inloop' --state '$S' kiosk-may-start 2>&1 | grep -q 'host-return'"
check "the unit runs that condition before cage" grep -q "^ExecCondition=/bin/sh -c 'exec @BINDIR@/inloop kiosk-may-start'\$" \
	"$TOP/platform/linux/inloop-kiosk.service.in"

jq '.left_boot = "00000000-0000-0000-0000-000000000000"' "$S/status.json" >"$T/s" && cp "$T/s" "$S/status.json"
check "twin: left in another boot (the machine restarted): it may start" may
jq --arg b "$boot" '.left_boot = $b' "$S/status.json" >"$T/s" && cp "$T/s" "$S/status.json"
refuse "left in this boot again: no" may
check "inloop host-return" "$B/inloop" --state "$S" host-return
check "... then it may start" may
check "... and status.json keeps no left_boot" test -z "$(status left_boot)"

jq --arg b "$boot" '.left_boot = $b | .pin_failures = "x"' "$S/status.json" >"$T/s" && cp "$T/s" "$S/status.json"
check "twin: a damaged status.json does not keep the kiosk down" may
echo '{"left_boot": "../../etc"}' >"$S/status.json"
check "... nor a left_boot that is no boot id" may
done_testing
