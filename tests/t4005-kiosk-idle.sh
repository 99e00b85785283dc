#!/bin/sh
# Idle: after the quiet time "Are you still there?" counts down and then every answer is
# wiped and Welcome returns; the previous person's name is then in no widget tree, no
# cached text texture and no shot. "Yes" keeps everything (the negative twin).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
name="Kanarie Vogelzang"
cat >"$T/idle.replay" <<EOR
tap start
tap opt-none
tap next
expect q-name
type $name
expect-cached $name
dump $T/before.dump
shot $T/before.bmp
wait 59000
expect q-name
wait 2000
expect still-there
dump $T/still.dump
wait 10000
expect still-there
wait 11000
expect welcome
dump $T/after.dump
expect-no-text $name
expect-not-cached $name
tap start
expect q-crisis
dump $T/fresh.dump
tap opt-none
tap next
expect q-name
dump $T/name-after.dump
shot $T/after.bmp
EOR
check "idle replay: countdown, wipe, Welcome" kiosk nl 1280x800 "$T/idle.replay"
check "before the wipe the name is on screen (twin)" grep -q "$name" "$T/before.dump"
check "the countdown says the seconds left" grep -Eq 'id=countdown .*(19|20) seconden' "$T/still.dump"
refuse "after the wipe the name is in no tree" grep -q "$name" "$T/after.dump" "$T/fresh.dump" "$T/name-after.dump"
check "the name field is empty again" grep -q 'id=field-0 .*text="|"' "$T/name-after.dump"
refuse "no answer survived (crisis not chosen)" grep -q 'id=opt-none .* selected' "$T/fresh.dump"
check "Welcome is back in the default language" grep -q '^screen welcome lang=nl' "$T/after.dump"
refuse "the name screen's shot after the wipe differs from the one with the name" cmp -s "$T/before.bmp" "$T/after.bmp"
cat >"$T/yes.replay" <<EOR
tap start
tap opt-none
tap next
type $name
wait 61000
expect still-there
tap yes
expect q-name
expect-text $name
EOR
check "Yes keeps the answers and the screen" kiosk nl 1280x800 "$T/yes.replay"
printf 'tap start\ntap opt-none\ntap next\ntype %s\nwait 90000\nexpect-text %s\n' "$name" "$name" >"$T/gone.replay"
refuse "without Yes the name is gone (expect-text fails)" kiosk nl 1280x800 "$T/gone.replay"
printf 'tap start\ntap opt-none\ntap next\ntype %s\nwait 90000\nexpect-cached %s\n' "$name" "$name" >"$T/gone2.replay"
refuse "and not cached (expect-cached fails)" kiosk nl 1280x800 "$T/gone2.replay"
done_testing
