#!/bin/sh
# A monkey: 20,000 random taps, keys, typing and (virtual) waits on the running kiosk,
# from a fixed seed (logged): no crash, no sanitizer report, and Welcome still comes back.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20 INLOOP_RECEIPT_SECONDS=90
seed=${MONKEY_SEED:-4242}
n=${MONKEY_N:-20000}
printf 'monkey %s %s\nwait 200000\nexpect welcome\ntap start\nexpect q-crisis\n' "$n" "$seed" >"$T/m.replay"
echo "# monkey seed $seed, $n actions"
kiosk nl 1280x800 "$T/m.replay" >"$T/m.out" 2>"$T/m.err"
rc=$?
check "the monkey ran $n actions and Welcome came back (rc $rc)" test "$rc" -eq 0
check "the seed is logged" grep -q "monkey: $n actions, seed $seed" "$T/m.err"
refuse "no sanitizer report" grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/m.err"
printf 'monkey 500 7\nwait 200000\nexpect receipt\n' >"$T/twin.replay"
refuse "after the monkey and a long wait it is not on the receipt (twin)" kiosk ar 1280x800 "$T/twin.replay"
done_testing
