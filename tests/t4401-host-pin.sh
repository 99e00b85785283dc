#!/bin/sh
# Host mode's way in (issue 13): a 3 s hold on the top-left corner (or Ctrl+Alt+H) and the
# host PIN (Argon2id in config.json, set by `inloop host-pin`). Twins: a shorter hold, a
# hold elsewhere, a plain tap, a bare H, a hold during a registration; a wrong PIN; no PIN
# set ("ask ICT", no pad). Five wrong PINs make every further try wait (measured on the
# virtual clock and in status.json), the wait grows, and a restart keeps it.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/host-lib.sh"
make_state
run() { kiosk nl 1280x800 "$T/r"; }
replay() { cat >"$T/r"; }

# ---- no PIN set: host mode says so and does not open
printf 'expect welcome\n%s\nexpect host-pin\ndump %s/none.dump\n' "$HOLD" "$T" | replay
check "no PIN: the hold shows the PIN screen" run
check "... saying no PIN is set (ask ICT)" grep -q '^widget id=pin-none ' "$T/none.dump"
refuse "... without a pad" grep -q '^widget id=pin-1 ' "$T/none.dump"
printf '%s\ntap pin-ok\n' "$HOLD" | replay
refuse "... and without OK" run

# ---- inloop host-pin
check "host-pin sets a PIN" set_pin 2468
check "... as an Argon2id hash in config.json" sh -c "jq -r .host_pin '$S/config.json' | grep -q '^\\\$argon2id\\\$v=19\\\$'"
refuse "... never the digits" grep -q 2468 "$S/config.json"
check "config.json is still a valid config (the kiosk starts)" sh -c "'$B/inloop' --state '$S' --windowed 1280x800 --dump-tree | grep -q '^screen welcome '"
cp "$S/config.json" "$T/config.good"
for bad in 123 12a45 "" 1234567890123 "12 34"; do
	refuse "host-pin refuses \"$bad\"" sh -c "echo '$bad' | '$B/inloop' --state '$S' host-pin"
done
check "... and keeps the PIN set before" cmp -s "$S/config.json" "$T/config.good"
jq '.host_pin = "2468"' "$T/config.good" >"$S/config.json"
"$B/inloop" --state "$S" --windowed 1280x800 --dump-tree >"$T/bad.dump" 2>"$T/bad.err"
check "a host_pin that is no Argon2id hash: not ready (settings)" grep -q '^widget id=reason-settings ' "$T/bad.dump"
check "... the log names the key" grep -q host_pin "$T/bad.err"
cp "$T/config.good" "$S/config.json"

# ---- the gesture and its twins
printf 'expect welcome\n%s\nexpect host-pin\ndump %s/pin.dump\n' "$HOLD" "$T" | replay
check "a 3.1 s hold on the corner opens the PIN pad" run
check "... with large digits (0-9, at least 88 px)" sh -c "for d in 0 1 2 3 4 5 6 7 8 9; do grep -q \"^widget id=pin-\$d role=button .* h=104 \" '$T/pin.dump' || exit 1; done"
check "... in the host's language (nl)" grep -q '^screen host-pin lang=nl ' "$T/pin.dump"
check "... every text fits, contrast and targets hold" sh -c "[ -z \"\$(awk -f '$R/check-tree.awk' '$T/pin.dump')\" ]"
printf 'hold 20 20 2500\nexpect welcome\n' | replay
check "a 2.5 s hold does not" run
printf 'hold 640 400 4000\nexpect welcome\n' | replay
check "a hold in the middle does not" run
printf 'hold 1200 700 4000\nexpect welcome\n' | replay
check "a hold on the opposite corner does not" run
printf 'key ctrl+alt+h\nexpect host-pin\n' | replay
check "Ctrl+Alt+H opens the PIN pad" run
printf 'key h\nexpect welcome\nkey ctrl+h\nexpect welcome\nkey alt+h\nexpect welcome\n' | replay
check "H, Ctrl+H, Alt+H do not" run
printf 'tap start\nexpect q-crisis\ntap opt-eviction\n%s\nexpect q-crisis\nkey ctrl+alt+h\nexpect q-crisis\n' "$HOLD" | replay
check "during a registration neither opens host mode" run
printf '%s\nexpect host-pin\ntap back\nexpect welcome\n%s\nexpect host-pin\nkey Escape\nexpect welcome\n' "$HOLD" "$HOLD" | replay
check "Cancel and Escape go back to Welcome" run

# ---- right and wrong PIN
{ echo "$HOLD"; pin_taps 2468; echo "expect host"; } | replay
check "the right PIN opens the staff menu" run
{ echo "$HOLD"; pin_taps 2469; echo "expect host-pin"; echo "dump $T/wrong.dump"; } | replay
check "a wrong PIN does not" run
check "... it says so" grep -q '^widget id=pin-wrong ' "$T/wrong.dump"
refuse "... and the dots never show the digits" grep -q 'id=pin-dots .*2469' "$T/wrong.dump"
{ echo "$HOLD"; echo "type 2468"; echo "key Return"; echo "expect host"; } | replay
check "the PIN typed on a keyboard opens it too" run
{ echo "$HOLD"; pin_taps 24; echo "expect host-pin"; } | replay
check "a PIN of two digits does not" run

# ---- five wrong PINs: every further try waits
rm -f "$S/status.json"
{ echo "$HOLD"; for i in 1 2 3 4; do pin_taps 1111; done; pin_taps 2468; echo "expect host"; } | replay
check "twin: four wrong PINs, then the right one opens at once" run
check "... and resets the count" test "$(status pin_failures)" = 0
t0=$(date +%s.%N)
{ echo "$HOLD"; for i in 1 2 3 4 5; do pin_taps 1111; done; echo "expect host-pin"; echo "dump $T/wait.dump"
  echo "type 2468"; echo "key Return"; echo "expect host-pin"
  echo "wait 28000"; echo "expect host-pin"; echo "dump $T/wait28.dump"; echo "type 2468"; echo "key Return"; echo "expect host-pin"
  echo "wait 3000"; echo "dump $T/after.dump"; pin_taps 2468; echo "expect host"; } | replay
check "five wrong PINs: the right PIN (typed: the pad is gone) waits 30 s, then opens" run
t1=$(date +%s.%N)
echo "# five wrong PINs, a refused try and two waits took $(echo "$t1 - $t0" | bc) s of real time (Argon2id verifies)"
check "... the pad is gone while waiting" sh -c "grep -q '^widget id=pin-wait ' '$T/wait.dump' && ! grep -q '^widget id=pin-1 ' '$T/wait.dump'"
# the wait runs on the wall clock, and each typed PIN is an Argon2id verify: under load a
# second or two passes between the dumps and the replay's waits, so allow for it
check "... the wait shown: about 30 s, then a few" sh -c "grep -Eq 'id=pin-wait .* (2[6-9]|30) ' '$T/wait.dump' && grep -Eq 'id=pin-wait .* [1-4] ' '$T/wait28.dump'"
check "... the pad back after the wait" grep -q '^widget id=pin-1 ' "$T/after.dump"

{ echo "$HOLD"; for i in 1 2 3 4 5; do pin_taps 1111; done; } | replay
run >/dev/null 2>&1
now=$(date +%s)
check "status.json counts 5 wrong PINs" test "$(status pin_failures)" = 5
w=$(( $(status pin_wait_until) - now ))
echo "# wait after 5 wrong PINs: $w s (the replay's clock is 3 s ahead: the hold)"
check "... and a wait of 30 s" test "$w" -ge 32 -a "$w" -le 34
{ echo "$HOLD"; echo "expect host-pin"; echo "dump $T/restart.dump"; echo "type 2468"; echo "key Return"; echo "expect host-pin"; } | replay
check "a restart keeps the wait: the right PIN is refused" run
check "... the wait is shown at once" grep -q '^widget id=pin-wait ' "$T/restart.dump"
{ echo "$HOLD"; echo "wait 31000"; pin_taps 1111; echo "expect host-pin"; echo "dump $T/w60.dump"; } | replay
run >/dev/null 2>&1
now=$(date +%s)
w=$(( $(status pin_wait_until) - now ))
echo "# wait after 6 wrong PINs: $w s (the replay's clock is 34 s ahead: the hold and the wait)"
check "the sixth wrong PIN: the wait doubles (60 s)" test "$(status pin_failures)" = 6 -a "$w" -ge 93 -a "$w" -le 95
jq '.pin_failures = 20 | .pin_wait_until = 0' "$S/status.json" >"$T/s" && cp "$T/s" "$S/status.json"
{ echo "$HOLD"; pin_taps 1111; } | replay
run >/dev/null 2>&1
w=$(( $(status pin_wait_until) - $(date +%s) ))
check "the wait stops growing at one hour" test "$w" -ge 3602 -a "$w" -le 3604
echo '{"pin_failures": "none"' >"$S/status.json"
{ echo "$HOLD"; echo "dump $T/damaged.dump"; pin_taps 1111; } | replay
run >/dev/null 2>&1
check "a damaged status.json counts as five wrong PINs: the next one is the sixth" test "$(status pin_failures)" = 6
check "... and waits" test "$(( $(status pin_wait_until) - $(date +%s) ))" -ge 60
check "host-pin ends the wait (ICT set a new PIN)" set_pin 1357
check "... the count is 0" test "$(status pin_failures)" = 0
{ echo "$HOLD"; pin_taps 1357; echo "expect host"; } | replay
check "... and the new PIN opens" run
check "status.json is 0600" test "$(stat -c %a "$S/status.json")" = 600
check "host-pin --clear removes the PIN" sh -c "'$B/inloop' --state '$S' host-pin --clear && ! jq -e .host_pin '$S/config.json' >/dev/null"
done_testing
