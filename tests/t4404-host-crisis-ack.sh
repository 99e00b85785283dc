#!/bin/sh
# The crisis alert stays until the staff member acknowledges it (issue 13): after a crisis
# registration the host banner is on Welcome after the receipt, after the idle wipe and
# after a restart (status.json crisis_alert), and in the staff menu with "seen". The
# acknowledgement clears it everywhere, also after a restart, and lands in status.json
# (acknowledged_at) — which never holds the name, phone, reference or record id. Twins:
# a registration without a crisis raises no alert; a second crisis counts 2.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/host-lib.sh"
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20 INLOOP_RECEIPT_SECONDS=90
make_state
set_pin 2468
run() { kiosk nl 1280x800 "$T/r"; }
replay() { cat >"$T/r"; }
first_dump() { "$B/inloop" --state "$S" --lang "${1:-nl}" --windowed 1280x800 --dump-tree 2>/dev/null; }

cat "$R/full-nl.replay" "$R/send.replay" >"$T/plain.replay"
printf 'tap next\nexpect welcome\ndump %s/plain-welcome.dump\n' "$T" >>"$T/plain.replay"
check "twin: a registration without a crisis" kiosk nl 1280x800 "$T/plain.replay"
refuse "... raises no alert on Welcome" grep -q '^widget id=host-banner ' "$T/plain-welcome.dump"
check "... status.json: no alert" test "$(status crisis_alert)" != true

mkdir -p "$T/a"
sed "s|@OUT@|$T/a|g; /^shot /d" "$R/all-screens.replay" >"$T/crisis.replay"
printf 'dump %s/a/19-welcome-after.dump\n' "$T" >>"$T/crisis.replay"
check "a crisis registration to the receipt, Done, the idle wipe" kiosk nl 1280x800 "$T/crisis.replay"
ref=$(sed -n 's/^widget id=reference .* text="\(.*\)"$/\1/p' "$T/a/17-receipt.dump")
check "... Welcome shows the alert for the staff member" grep -q '^widget id=host-banner .*Voor de medewerker: 1 dringende aanmelding wacht' "$T/a/19-welcome-after.dump"
check "... Welcome still fits" sh -c "[ -z \"\$(awk -f '$R/check-tree.awk' '$T/a/19-welcome-after.dump')\" ]"
check "status.json: the alert is up, 1" test "$(status crisis_alert)" = true -a "$(status crisis_alerts)" = 1
first_dump ar >"$T/restart.dump"
check "after a restart the alert is still up (in the host's language, Dutch)" grep -q '^widget id=host-banner .*Voor de medewerker' "$T/restart.dump"
refuse "status.json holds no name" grep -qi 'kanarie\|vogelzang' "$S/status.json"
refuse "... no phone number" grep -q '12345678' "$S/status.json"
check "... (the reference is known)" test -n "$ref"
refuse "... no reference" grep -q "$ref" "$S/status.json"
for id in $(outbox_ids); do
	refuse "... no record id" grep -q "$id" "$S/status.json"
done
check "... only the status keys" sh -c "jq -r 'keys[]' '$S/status.json' | sort | tr '\n' ' ' | grep -qx 'acknowledged_at crisis_alert crisis_alerts last_sync pin_failures pin_wait_until '"

{ echo "$HOLD"; pin_taps 2468; echo "expect host"; echo "dump $T/host.dump"; echo "tap host-ack"
  echo "expect host"; echo "dump $T/host-acked.dump"; echo "tap back"; echo "expect welcome"; echo "dump $T/welcome-acked.dump"; } | replay
t0=$(date +%s)
check "the staff member acknowledges it in the staff menu" run
check "... the menu showed the alert and the button" sh -c "grep -q '^widget id=host-banner ' '$T/host.dump' && grep -q '^widget id=host-ack ' '$T/host.dump'"
check "... after it: the banner and the button are gone, the note says so" sh -c "! grep -q '^widget id=host-banner \|^widget id=host-ack ' '$T/host-acked.dump' && grep -q '^widget id=note-acknowledged ' '$T/host-acked.dump'"
refuse "... Welcome has no banner" grep -q '^widget id=host-banner ' "$T/welcome-acked.dump"
check "status.json: no alert, the acknowledgement's time" sh -c "[ \"\$(jq -r .crisis_alert '$S/status.json')\" = false ] && [ \$(jq -r .acknowledged_at '$S/status.json') -ge $((t0 - 5)) ]"
refuse "after a restart: no banner" sh -c "'$B/inloop' --state '$S' --lang nl --windowed 1280x800 --dump-tree | grep -q '^widget id=host-banner '"

{ cat "$T/crisis.replay"; } | sed "s|$T/a/|$T/b-|" >"$T/r"
run >/dev/null 2>&1
cp "$T/r" "$T/r1"; cat "$T/r1" >"$T/r"
run >/dev/null 2>&1
check "two crisis registrations: the alert counts 2" test "$(status crisis_alerts)" = 2
check "... the banner says 2 (plural)" sh -c "'$B/inloop' --state '$S' --lang nl --windowed 1280x800 --dump-tree | grep -q 'id=host-banner .*2 dringende aanmeldingen wachten'"
done_testing
