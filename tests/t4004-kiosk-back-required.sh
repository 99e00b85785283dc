#!/bin/sh
# Back keeps every answer; a required answer left empty gives its plain message next to
# the field and the person stays; the language changes on any screen without losing them.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
cat >"$T/back.replay" <<EOR
tap start
tap opt-energy
tap next
expect q-crisis_date
tap opt-unknown
tap next
expect q-name
tap next
expect q-name
dump $T/empty.dump
type Kanarie Vogelzang
tap next
expect q-contact
tap opt-email
tap back
expect q-name
dump $T/name-again.dump
tap back
expect q-crisis_date
tap back
expect q-crisis
dump $T/crisis-again.dump
tap lang-menu
expect language
tap lang-ar
expect q-crisis
dump $T/crisis-ar.dump
tap next
expect q-crisis_date
dump $T/date-ar.dump
tap next
expect q-name
dump $T/name-ar.dump
tap next
expect q-contact
dump $T/contact-ar.dump
EOR
check "the back-and-forth replay runs" kiosk nl 1280x800 "$T/back.replay"
check "empty name: the plain message next to the field" grep -q 'id=problem .*Typ de naam die u gebruikt' "$T/empty.dump"
refuse "the message is not red" grep -q 'id=problem .*fg=#[cdef][0-9a-f]0000' "$T/empty.dump"
check "Back: the name is still typed" grep -q 'id=field-0 .*Kanarie Vogelzang' "$T/name-again.dump"
check "Back: the crisis choice is still chosen" grep -q 'id=opt-energy .* selected' "$T/crisis-again.dump"
refuse "Back: no other choice got chosen" grep -q 'id=opt-eviction .* selected' "$T/crisis-again.dump"
check "switching to Arabic keeps the choice" grep -q 'id=opt-energy .* selected' "$T/crisis-ar.dump"
check "...and the date's don't know" grep -q 'id=opt-unknown .* selected' "$T/date-ar.dump"
check "...and the name" grep -q 'id=field-0 .*Kanarie Vogelzang' "$T/name-ar.dump"
check "...and the contact choice" grep -q 'id=opt-email .* selected' "$T/contact-ar.dump"
check "the screen is Arabic now" grep -q '^screen q-contact lang=ar dir=rtl' "$T/contact-ar.dump"
refuse "no problem message once the name is typed" grep -q 'id=problem' "$T/name-again.dump"
done_testing
