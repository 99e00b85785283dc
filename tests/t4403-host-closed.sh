#!/bin/sh
# Close for today (issue 13): the staff menu's "close for today" shows the closed screen
# with the next walk-in hours (config walk_in_hours, in the resident's language), Start is
# refused (no Start, Enter does nothing), a restart keeps it closed (status.json
# closed_on = today), the staff member opens it again from the closed screen, and that
# survives a restart too. Twins: closed on another day is open; a damaged status.json is
# open (with the alert up).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/host-lib.sh"
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
make_state
set_pin 2468
jq '.walk_in_hours = {"nl": "dinsdag 9.00-12.00 uur", "ar": "الثلاثاء ٩-١٢"}' "$S/config.json" >"$T/c" &&
	cp "$T/c" "$S/config.json"
run() { kiosk "$1" 1280x800 "$T/r"; }
replay() { cat >"$T/r"; }
start_screen() { "$B/inloop" --state "$S" --lang "${1:-nl}" --windowed 1280x800 --dump-tree 2>/dev/null | sed -n 's/^screen \([^ ]*\) .*/\1/p'; }

check "open at first" test "$(start_screen)" = welcome
{ echo "$HOLD"; pin_taps 2468; echo "expect host"; echo "tap host-close"; echo "expect closed"
  echo "dump $T/closed.dump"; echo "shot $T/closed.png"; echo "key Return"; echo "expect closed"
  echo "wait 600000"; echo "expect closed"; } | replay
check "close for today: the closed screen, Enter and time change nothing" run nl
check "... it shows the walk-in hours" grep -q '^widget id=walk-in .*dinsdag 9.00-12.00 uur' "$T/closed.dump"
refuse "... and has no Start" grep -q '^widget id=start ' "$T/closed.dump"
check "... status.json says closed today" test "$(status closed_on)" = "$(today_nl)"
printf 'tap start\n' | replay
refuse "after a restart: still closed, Start refused" run nl
check "... the first screen is the closed one" test "$(start_screen)" = closed
check "... in Arabic with the Arabic walk-in hours" sh -c "'$B/inloop' --state '$S' --lang ar --windowed 1280x800 --dump-tree | grep -q '^widget id=walk-in .*الثلاثاء'"
printf 'tap lang-menu\ntap lang-ar\nexpect closed\nexpect-text الثلاثاء\nwait 61000\nexpect still-there\nwait 21000\nexpect closed\nexpect-text dinsdag\n' | replay
check "a resident's language change on the closed screen, then back to Dutch after the idle time" run nl
check "... every text fits, contrast and targets hold" sh -c "[ -z \"\$(awk -f '$R/check-tree.awk' '$T/closed.dump')\" ]"
{ echo "$HOLD"; pin_taps 2468; echo "expect host"; echo "dump $T/host-closed.dump"; echo "tap host-reopen"; echo "expect welcome"; echo "tap start"; echo "expect q-crisis"; } | replay
check "the staff menu opens from the closed screen and opens the kiosk again" run nl
check "... it said the kiosk is closed" grep -q '^widget id=fact-closed ' "$T/host-closed.dump"
refuse "... and offered no second close" grep -q '^widget id=host-close ' "$T/host-closed.dump"
check "after a restart: open" test "$(start_screen)" = welcome
check "... status.json has no closed_on" test -z "$(status closed_on)"
jq '.closed_on = "2001-01-01"' "$S/status.json" >"$T/s" && cp "$T/s" "$S/status.json"
check "twin: closed on another day is open today" test "$(start_screen)" = welcome
jq --arg d "$(today_nl)" '.closed_on = $d' "$S/status.json" >"$T/s" && cp "$T/s" "$S/status.json"
check "twin: closed_on today (written by hand) is closed" test "$(start_screen)" = closed
jq 'del(.walk_in_hours)' "$S/config.json" >"$T/c" && cp "$T/c" "$S/config.json"
check "without walk-in hours the closed screen says come back another day" sh -c "'$B/inloop' --state '$S' --windowed 1280x800 --dump-tree | grep -q '^widget id=walk-in-none '"
echo '{"closed_on": 12' >"$S/status.json"
check "a damaged status.json: open" test "$(start_screen)" = welcome
done_testing
