#!/bin/sh
# "Talk to a staff member" pauses the idle wipe: the answers wait on a screen with no
# personal data for the host's long wait (host_wait_seconds), not the 60 s idle time. A
# host tap continues (the answers are all there) or sends. When the wait ends with a
# crisis in the answers, nothing is wiped: the host banner goes up and stays. Without a
# crisis the usual countdown follows and the answers go (the negative twin).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20 INLOOP_HOST_WAIT_SECONDS=600
name="Kanarie Vogelzang"
cat >"$T/wait.replay" <<EOR
tap start
tap opt-none
tap next
expect q-name
type $name
tap staff
expect staff
dump $T/staff.dump
wait 300000
expect staff
tap host-continue
expect q-name
expect-text $name
EOR
check "staff screen: 5 minutes later the answers are still there" kiosk nl 1280x800 "$T/wait.replay"
refuse "the staff screen shows no personal data" grep -q "$name" "$T/staff.dump"
check "the host's row: continue, send, clear" grep -q 'id=host-send ' "$T/staff.dump"
refuse "no host banner before the wait ends" grep -q 'id=host-banner' "$T/staff.dump"

cat >"$T/plain.replay" <<EOR
tap start
tap opt-none
tap next
type $name
tap staff
wait 601000
expect still-there
wait 21000
expect welcome
expect-no-text $name
EOR
check "no crisis: after the host's wait, the countdown and the wipe" kiosk nl 1280x800 "$T/plain.replay"

cat >"$T/crisis.replay" <<EOR
tap start
tap opt-eviction
tap next
tap staff
expect staff
wait 601000
expect staff
dump $T/banner.dump
wait 3600000
expect staff
tap host-continue
expect q-crisis_date
tap back
expect q-crisis
dump $T/kept.dump
EOR
check "crisis: the wait ends, the screen stays" kiosk nl 1280x800 "$T/crisis.replay"
check "... with the host banner" grep -q 'id=host-banner ' "$T/banner.dump"
check "... and the alert (chime or no-audio)" grep -Eq '^alert sound=(played|no-audio)' "$T/banner.dump"
check "an hour later the crisis answer is still there" grep -q 'id=opt-eviction .*selected' "$T/kept.dump"

# the host sends from the staff screen: a complete registration is stored
{ sed '/^tap send$/,$d' "$R/full-nl.replay"; printf 'tap staff\nexpect staff\ntap host-send\nexpect receipt\n'; } >"$T/send.replay"
check "host-send from the staff screen stores the registration" kiosk nl 1280x800 "$T/send.replay"
check "one row in the outbox" test "$(outbox_ids | wc -l)" = 1
# host-clear forgets the person at once
printf 'tap start\ntap opt-none\ntap next\ntype %s\ntap staff\ntap host-clear\nexpect welcome\nexpect-no-text %s\n' "$name" "$name" >"$T/clear.replay"
check "host-clear wipes the answers" kiosk nl 1280x800 "$T/clear.replay"
done_testing
