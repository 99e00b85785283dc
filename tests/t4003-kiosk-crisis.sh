#!/bin/sh
# A crisis with a date: the receipt shows the Wgs deadline of 3 working days (computed
# here with inloopctl), "tell the host now", the crisis phone from the config, the host
# banner and the alert chime; a plain registration shows the 4-week date and none of it.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20 INLOOP_RECEIPT_SECONDS=90
today=$(today_nl)
crisis=$("$B/inloopctl" deadline "$today" --crisis | head -1)
plain=$("$B/inloopctl" deadline "$today" | head -1)
phone=$(jq -r .crisis_phone "$S/config.json")
sed "s|@OUT@|$T|g; /^shot /d; $(soon_sed)" "$R/all-screens.replay" >"$T/crisis.replay"
check "crisis flow reaches the receipt" kiosk nl 1280x800 "$T/crisis.replay"
# the replay's crisis date (today + 2 days) is before the Wgs deadline: acuut (t4201)
check "an acuut receipt promises a call today" grep -q "id=callback-today " "$T/17-receipt.dump"
check "tell the staff member now" grep -q 'id=tell-host .*Zeg het nu' "$T/17-receipt.dump"
check "the crisis phone from the config ($phone)" grep -q "id=crisis-phone .*$phone" "$T/17-receipt.dump"
check "the host banner" grep -q 'id=host-banner' "$T/17-receipt.dump"
check "the host chime was started (or no audio said so)" grep -Eq '^alert sound=(played|no-audio)' "$T/17-receipt.dump"
# the same with the chime switched off in the config
jq '.alert_sound = false' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
sed "s|@OUT@|$T/quiet|g; /^shot /d; $(soon_sed)" "$R/all-screens.replay" >"$T/quiet.replay"
mkdir -p "$T/quiet"
check "crisis flow with the sound off" kiosk nl 1280x800 "$T/quiet.replay"
check "no chime when the config turns it off" grep -q '^alert sound=off' "$T/quiet/17-receipt.dump"
check "the banner still shows" grep -q 'id=host-banner' "$T/quiet/17-receipt.dump"
# no crisis: four weeks, no alert
{ cat "$R/full-nl.replay" "$R/send.replay"; echo "dump $T/plain.dump"; } >"$T/plain.replay"
check "plain flow reaches the receipt" kiosk nl 1280x800 "$T/plain.replay"
check "the plain deadline $(dmy "$plain")" grep -q "id=callback-date .*$(dmy "$plain")" "$T/plain.dump"
refuse "no crisis date on a plain receipt" grep -q "id=callback-.*$(dmy "$crisis")" "$T/plain.dump"
refuse "no 'tell the host' on a plain receipt" grep -q 'id=tell-host' "$T/plain.dump"
# the receipt returns to Welcome on its own after receipt_seconds
{ cat "$R/full-nl.replay" "$R/send.replay"; echo "wait 95000"; echo "expect welcome"; } >"$T/back.replay"
check "the receipt returns to Welcome after its time" kiosk nl 1280x800 "$T/back.replay"
{ cat "$R/full-nl.replay" "$R/send.replay"; echo "wait 60000"; echo "expect receipt"; } >"$T/stay.replay"
check "but not before" kiosk nl 1280x800 "$T/stay.replay"
done_testing
