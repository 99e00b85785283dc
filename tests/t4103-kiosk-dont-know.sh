#!/bin/sh
# "Don't know" behaves the same on every screen: it selects (the person stays and sees it
# chosen), Next moves on. On a choice (crisis), a date (crisis date), the address and a
# choice with a follow-up (interpreter).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
cat >"$T/dk.replay" <<EOR
tap start
expect q-crisis
tap opt-unknown
expect q-crisis
dump $T/crisis.dump
tap next
expect q-crisis_date
tap opt-unknown
expect q-crisis_date
dump $T/date.dump
tap next
expect q-name
type Kanarie Vogelzang
tap next
tap opt-come_back
tap next
expect q-address
tap opt-unknown
expect q-address
dump $T/address.dump
tap next
expect q-interpreter
tap opt-unknown
expect q-interpreter
dump $T/interpreter.dump
tap next
expect review
tap opt-yes
tap send
expect receipt
EOR
outbox_ids >"$T/before"
check "don't know on four screens: each stays until Next" kiosk nl 1280x800 "$T/dk.replay"
for s in crisis date address interpreter; do
	check "$s: don't know is shown chosen" grep -q 'id=opt-unknown .* selected' "$T/$s.dump"
done
id=$(outbox_ids | grep -vxF -f "$T/before" | head -1)
open_record "$id" "$T/rec.json"
check "the record says unknown where the person said so" \
	jq -e '.answers.crisis == "unknown" and .answers.crisis_date == "unknown" and .answers.postcode == "unknown" and .answers.house_number == "unknown" and .answers.interpreter == "unknown"' "$T/rec.json"
# typing after don't know replaces it
printf 'tap start\ntap opt-none\ntap next\ntype An\ntap next\ntap opt-come_back\ntap next\nexpect q-address\ntap opt-unknown\ntype 1234AB\ndump %s\n' "$T/typed.dump" >"$T/t.replay"
check "typing after don't know runs" kiosk nl 1280x800 "$T/t.replay"
refuse "typing clears don't know (twin)" grep -q 'id=opt-unknown .* selected' "$T/typed.dump"
done_testing
