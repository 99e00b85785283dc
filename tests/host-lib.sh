# tests/host-lib.sh — shared by the host-mode tests (t44xx), after lib.sh and kiosk-lib.sh.
# set_pin PIN: the device's host PIN (inloop host-pin, the digits on stdin).
set_pin() { echo "$1" | "$B/inloop" --state "$S" host-pin >/dev/null; }
# pin_taps PIN: replay lines that tap the PIN's digits and OK on the PIN pad.
pin_taps() { echo "$1" | fold -w1 | sed 's/^/tap pin-/'; echo "tap pin-ok"; }
# status KEY: a value of the device status (status.json), "" when absent.
status() { jq -r "if has(\"$1\") then .$1 else empty end" "$S/status.json" 2>/dev/null; }
# The gesture: 3.1 s on the top-left corner (virtual time).
HOLD="hold 20 20 3100"
