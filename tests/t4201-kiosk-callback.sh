#!/bin/sh
# The date the resident is told is the date that counts. A crisis date on or before the
# Wgs deadline (acuut): the receipt promises a call today, before the crisis date, and
# never shows the later legal deadline. "I'll come back myself" is promised no call: the
# receipt says where and when the walk-in hours are (config walk_in_hours) and what to
# bring. A plain registration keeps the legal date (the negative twin).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
today=$(today_nl)
legal=$("$B/inloopctl" deadline "$today" --crisis | head -1)
plain=$("$B/inloopctl" deadline "$today" | head -1)
crisis_date=$(TZ=Europe/Amsterdam date -d "$today + 2 days" +%F)   # the replay's date, set by soon_sed

sed "s|@OUT@|$T|g; /^shot /d; $(soon_sed)" "$R/all-screens.replay" >"$T/acuut.replay"
check "crisis flow (crisis date today + 2 days) reaches the receipt" kiosk nl 1280x800 "$T/acuut.replay"
check "acuut: the receipt promises a call today" grep -q 'id=callback-today ' "$T/17-receipt.dump"
check "... before the crisis date $(dmy "$crisis_date")" grep -q "id=callback-today .*$(dmy "$crisis_date")" "$T/17-receipt.dump"
if [ "$legal" != "$crisis_date" ]; then
	refuse "... and never the later legal deadline $(dmy "$legal")" grep -q "$(dmy "$legal")" "$T/17-receipt.dump"
fi
refuse "acuut: no 'on or before' date promise" grep -q 'id=callback-date ' "$T/17-receipt.dump"

# I'll come back myself: walk-in hours from the config, per language
jq '.walk_in_hours = {"nl": "dinsdag 9.00-12.00 uur", "en": "Tuesday 9am-12"}' "$S/config.json" >"$T/c.json" &&
	cp "$T/c.json" "$S/config.json"
awk '/^tap opt-phone$/ { print "tap opt-come_back"; print "tap next"; skip = 1; next }
     skip && /^expect q-address$/ { skip = 0 } !skip' "$R/full-nl.replay" "$R/send.replay" >"$T/cb.replay"
echo "dump $T/cb.dump" >>"$T/cb.replay"
check "come-back flow reaches the receipt" kiosk nl 1280x800 "$T/cb.replay"
check "come back: the walk-in receipt" grep -q 'id=callback-walk-in ' "$T/cb.dump"
check "... with the hours from the config" grep -q 'id=callback-walk-in .*dinsdag 9.00-12.00 uur' "$T/cb.dump"
check "... and the location" grep -q 'id=callback-walk-in .*Bibliotheek Centrum' "$T/cb.dump"
refuse "come back: no promise of a call" grep -q 'id=callback-date \|id=callback-today ' "$T/cb.dump"
sed "s|$T/cb.dump|$T/cb-en.dump|" "$T/cb.replay" | sed 's/^expect-text Kanarie.*//' >"$T/cb-en.replay"
jq 'del(.walk_in_hours.nl)' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
check "come-back flow without Dutch hours" kiosk nl 1280x800 "$T/cb-en.replay"
check "... falls back to the hours given" grep -q 'id=callback-walk-in .*Tuesday 9am-12' "$T/cb-en.dump"

# the negative twin: a plain registration by phone keeps its 4-week date
{ cat "$R/full-nl.replay" "$R/send.replay"; echo "dump $T/plain.dump"; } >"$T/plain.replay"
check "plain flow reaches the receipt" kiosk nl 1280x800 "$T/plain.replay"
check "plain: contact on or before $(dmy "$plain")" grep -q "id=callback-date .*$(dmy "$plain")" "$T/plain.dump"
refuse "plain: no call today" grep -q 'id=callback-today ' "$T/plain.dump"

# a bad walk_in_hours is refused with the key's name (the kiosk is then not ready)
jq '.walk_in_hours = 12' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
"$B/inloop" --state "$S" --windowed 1280x800 --dump-tree >"$T/bad.dump" 2>"$T/bad.err"
check "walk_in_hours that is not text: not ready (settings)" grep -q 'id=reason-settings ' "$T/bad.dump"
check "... the log names the key" grep -q 'walk_in_hours' "$T/bad.err"
done_testing
