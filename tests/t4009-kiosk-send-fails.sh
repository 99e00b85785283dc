#!/bin/sh
# Send fails (the store's commit fails, as on a full disk): the person is told calmly to ask
# the host, every answer is wiped (the canary name is in no tree and no text cache), and
# nothing is half-stored: no outbox row and no sequence number used. The next person's
# registration then stores as sequence 1 (negative twin: the same flow without the fault
# stores a row).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
canary="Kanarie$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
body() {
	sed -n '/^expect welcome$/,/^expect review$/p' "$R/full-nl.replay" | sed "s/Kanarie Vogelzang/$canary/"
	printf 'tap opt-yes\ntap-if next\ntap-if next\ntap-if next\ntap-if next\n'
}
{ echo "fail-store commit"; body; echo "tap send"; echo "expect ask-host"
  echo "dump $T/fail.dump"; echo "expect-no-text $canary"; echo "expect-not-cached $canary"
  echo "tap next"; echo "expect welcome"; echo "expect-no-text $canary"; } >"$T/fail.replay"
check "Send with a failing store shows the calm ask-the-host screen, the name gone" \
	kiosk nl 1280x800 "$T/fail.replay"
refuse "the canary is in no dump" grep -q "$canary" "$T/fail.dump"
check "the ask-host screen says to ask the host" grep -qi 'id=.*text=".*\(gastvrouw\|gastheer\|medewerker\)' "$T/fail.dump"
check "nothing was stored" test "$(outbox_ids | wc -l)" = 0

{ body; echo "tap send"; echo "expect receipt"; } >"$T/ok.replay"
check "the same flow without the fault stores its record" kiosk nl 1280x800 "$T/ok.replay"
check "one row in the outbox" test "$(outbox_ids | wc -l)" = 1
check "... with sequence number 1 (the failed Send used none)" \
	sh -c "'$B/inloop' --state '$S' outbox | grep -Eq '^[0-9a-f-]{36} +1 '"
done_testing
