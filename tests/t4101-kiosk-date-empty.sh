#!/bin/sh
# A date screen starts empty and stores only what the person set: no pre-filled day,
# month or year; Next with nothing chosen is refused on the required crisis date (a plain
# message) and stores nothing on an optional birth date; a date set in three taps is
# stored as set; half a date is refused; the message does not move the picker.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
cat >"$T/empty.replay" <<EOR
tap start
tap opt-eviction
tap next
expect q-crisis_date
dump $T/fresh.dump
tap next
expect q-crisis_date
dump $T/refused.dump
tap day-15
tap next
expect q-crisis_date
dump $T/half.dump
tap month-6
tap year-next
dump $T/set.dump
tap next
expect q-name
EOR
check "the date replay runs (three taps set a date)" kiosk nl 1280x800 "$T/empty.replay"
refuse "nothing pre-filled: no date in words" grep -q 'id=date-words ' "$T/fresh.dump"
refuse "nothing pre-filled: no day, month or year chosen" grep -Eq 'id=(day|month|year)-[a-z0-9]* .* selected' "$T/fresh.dump"
check "the parts say they are not set (their names, no value)" grep -q 'id=pick-day .*text="Dag"' "$T/fresh.dump"
check "Next without a date: a plain message, still on the date" grep -q 'id=problem ' "$T/refused.dump"
check "half a date is refused too" grep -q 'id=problem ' "$T/half.dump"
check "the whole date, once set, in words" grep -q 'id=date-words .*15 juni' "$T/set.dump"
# the picker does not move when the message shows: every target keeps its place
targets() { grep ' target' "$1" | grep -v 'id=pick-' | sed 's/ fg=.*//'; }
targets "$T/fresh.dump" | grep -E 'id=day-' >"$T/a"; targets "$T/refused.dump" | grep -E 'id=day-' >"$T/b"
check "the day grid is where it was when the message shows" cmp -s "$T/a" "$T/b"
check "... and holds 31 days" test "$(wc -l <"$T/a")" -eq 31
# the record holds the date that was set
{ sed -n '1,/^expect q-name$/p' "$T/empty.replay"; sed -n '/^type /,$p' "$R/full-nl.replay" | sed '/^expect-text/d'; cat "$R/send.replay"; } >"$T/send.replay"
outbox_ids >"$T/before"
check "a crisis with the date set is sent" kiosk nl 1280x800 "$T/send.replay"
id=$(outbox_ids | grep -vxF -f "$T/before" | head -1)
open_record "$id" "$T/rec.json"
next=$(($(TZ=Europe/Amsterdam date +%Y) + 1))
check "the record's crisis date is the one set ($next-06-15)" jq -e ".answers.crisis_date == \"$next-06-15\"" "$T/rec.json"
refuse "not today (nothing invented)" jq -e ".answers.crisis_date == \"$(today_nl)\"" "$T/rec.json"
# an optional date (birth date, switched on in a copy of the form) left alone stores nothing
cp -r "$TOP/assets" "$T/assets"
jq '(.questions[] | select(.id == "birth_date")) |= del(.enabled)' "$TOP/assets/forms/registration.json" >"$T/assets/forms/registration.json"
cat >"$T/birth.replay" <<EOR
tap start
tap opt-none
tap next
type Kanarie Vogelzang
tap next
tap opt-come_back
tap next
expect q-address
tap opt-unknown
tap next
expect q-birth_date
dump $T/birth.dump
tap next
expect q-interpreter
tap next
expect review
tap opt-yes
tap send
expect receipt
EOR
outbox_ids >"$T/before"
check "the optional birth date left alone: the flow goes on" with_form kiosk nl 1280x800 "$T/birth.replay"
check "the birth date starts empty too" sh -c "test -s '$T/birth.dump' && ! grep -q 'id=date-words ' '$T/birth.dump'"
id=$(outbox_ids | grep -vxF -f "$T/before" | head -1)
open_record "$id" "$T/rec2.json"
check "the record was opened" test -s "$T/rec2.json"
refuse "no birth date in the record (never 1986-01-01)" jq -e '.answers | has("birth_date")' "$T/rec2.json"
done_testing
