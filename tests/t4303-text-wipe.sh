#!/bin/sh
# The text measuring buffer (app/ui/text.c) keeps the last line measured — a typed name —
# until the visit is wiped. tests/unit/test_text.c measures a canary through the real
# renderer, finds it in the buffer and in a scan of the process's writable memory (the
# twins), calls render_forget (what kiosk_wipe calls) and finds it nowhere. Then through
# the kiosk: a long typed name leaves no trace in the buffer after the idle wipe (test
# hook text_holds via expect-not-measured).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
check "unit: the canary leaves the buffer and the process's memory with the visit" \
	env SDL_VIDEODRIVER=dummy CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_text"
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
# a long name (the form allows 100 characters), longer than any line measured later
canary="Zq$(od -An -N49 -tx1 /dev/urandom | tr -d ' \n' | tr 0-9 g-p)"
cat >"$T/wipe.replay" <<EOR
tap start
tap opt-none
tap next
expect q-name
type $canary
tap next
expect q-contact
tap back
expect q-name
wait 61000
expect still-there
wait 21000
expect welcome
expect-not-measured $canary
EOR
check "idle wipe: the name leaves the measuring buffer" kiosk nl 1280x800 "$T/wipe.replay"
for l in ar en; do   # (the twins are the unit test's: the buffer and the scan do find it)
	check "$l: the wipe empties the buffer too" kiosk $l 1280x800 "$T/wipe.replay"
done
done_testing
