#!/bin/sh
# A crisis is not lost when Send fails (the store's commit fails, as on a full disk):
# nothing is stored, but the answers are kept for the host, the host banner is up, the
# crisis phone number shows, and one tap hands over to the host, whose Send then stores
# it once the fault is gone. Enter or a wait never wipes the kept crisis. Without a
# crisis the answers are wiped at once, as before (t4009; the negative twin here).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
phone=$(jq -r .crisis_phone "$S/config.json")
# the crisis flow of all-screens up to the review
sed -n '1,/^expect review$/p' "$R/all-screens.replay" | grep -v '^shot \|^dump ' | sed "$(soon_sed)" >"$T/body"
{ echo "fail-store commit"; cat "$T/body"; printf 'tap opt-yes\ntap-if next\ntap-if next\ntap-if next\ntap-if next\n'
  echo "tap send"; echo "expect ask-host"; echo "dump $T/fail.dump"
  echo "key Return"; echo "wait 3600000"; echo "expect ask-host"
  echo "tap handover"; echo "expect staff"; echo "dump $T/staff.dump"
  echo "fail-store"; echo "tap host-send"; echo "expect receipt"; echo "dump $T/receipt.dump"; } >"$T/crisis.replay"
check "crisis + failing store: kept, handed over, sent by the host" kiosk nl 1280x800 "$T/crisis.replay"
check "the failed screen: host banner" grep -q 'id=host-banner ' "$T/fail.dump"
check "... the crisis phone number ($phone)" grep -q "id=crisis-phone .*$phone" "$T/fail.dump"
check "... and the one-tap handover" grep -q 'id=handover .*role=button' "$T/fail.dump"
refuse "... and no 'start again' that would wipe it" grep -q 'id=next ' "$T/fail.dump"
refuse "the failed screen shows no personal data" grep -q 'Kanarie' "$T/fail.dump"
check "the staff screen keeps the banner" grep -q 'id=host-banner ' "$T/staff.dump"
check "the host's Send stored it: the receipt" grep -q '^screen receipt' "$T/receipt.dump"
check "one row in the outbox" test "$(outbox_ids | wc -l)" = 1
# negative twin: no crisis, the answers are wiped at once and Start again is offered
sed -n '/^expect welcome$/,/^expect review$/p' "$R/full-nl.replay" >"$T/plain-body"
{ echo "fail-store commit"; cat "$T/plain-body"; printf 'tap opt-yes\ntap-if next\ntap-if next\ntap-if next\ntap-if next\n'
  echo "tap send"; echo "expect ask-host"; echo "dump $T/plain.dump"; echo "expect-no-text Kanarie"; } >"$T/plain.replay"
check "no crisis: the calm screen, the answers wiped" kiosk nl 1280x800 "$T/plain.replay"
check "... with Start again" grep -q 'id=next ' "$T/plain.dump"
refuse "... and no host banner" grep -q 'id=host-banner' "$T/plain.dump"
done_testing
