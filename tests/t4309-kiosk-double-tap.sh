#!/bin/sh
# A double tap on an option (a shaky or tired finger, two taps within 400 ms on the same
# screen) counts once: the crisis option and the review's privacy box stay ticked. The
# twins: two taps 600 ms apart untick again, a double tap on a letter key types it twice
# ("ll").
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=120 INLOOP_COUNTDOWN_SECONDS=20
sel() { grep -q "^widget id=$1 role=choice .* selected" "$2"; }
cat >"$T/r.replay" <<EOR
expect welcome
tap start
expect q-crisis
tap opt-eviction
tap opt-eviction
dump $T/double.dump
tap opt-water
wait 600
tap opt-water
dump $T/twice.dump
tap opt-eviction
tap opt-none
tap next
expect q-name
tap key-l
tap key-l
dump $T/keys.dump
EOR
check "the flow" kiosk nl 1280x800 "$T/r.replay"
check "a double tap on an option leaves it ticked" sel opt-eviction "$T/double.dump"
refuse "two taps 600 ms apart untick it (twin)" sel opt-water "$T/twice.dump"
check "a double tap on a letter key types it twice" grep -q '^widget id=field-0 .*text="ll|"' "$T/keys.dump"
# the review's privacy box: the whole Dutch flow with its one tap on the box doubled
sed '/^tap opt-yes/p' "$R/full-nl.replay" >"$T/consent.replay"
printf 'dump %s\n' "$T/review.dump" >>"$T/consent.replay"
check "the review, its box tapped twice" kiosk nl 1280x800 "$T/consent.replay"
check "the privacy box stays ticked" sel opt-yes "$T/review.dump"
done_testing
