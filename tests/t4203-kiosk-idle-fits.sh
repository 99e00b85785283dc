#!/bin/sh
# Idle timing fits the screen: the crisis date screen (the person may look for the letter)
# waits idle_seconds_by_type.date (default 180 s), a yes/no screen the plain 60 s; the
# config can change both. The warning is read aloud as well as shown (SDL's disk audio
# driver records it), and the countdown's words are grammatical: "1 seconde" and
# "20 seconden" in Dutch.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
printf 'tap start\ntap opt-eviction\ntap next\nexpect q-crisis_date\nwait 61000\nexpect q-crisis_date\nwait 120000\nexpect still-there\n' >"$T/date.replay"
check "the date screen waits 180 s, not 60" kiosk nl 1280x800 "$T/date.replay"
printf 'tap start\nexpect q-crisis\nwait 61000\nexpect still-there\n' >"$T/yesno.replay"
check "a yes/no screen warns after 60 s (twin)" kiosk nl 1280x800 "$T/yesno.replay"
jq '.idle_seconds_by_type = {"date": 30}' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
printf 'tap start\ntap opt-eviction\ntap next\nexpect q-crisis_date\nwait 31000\nexpect still-there\n' >"$T/cfg.replay"
check "the config sets the date screen's time" kiosk nl 1280x800 "$T/cfg.replay"
jq '.idle_seconds_by_type = {"date": "long"}' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
"$B/inloop" --state "$S" --windowed 1280x800 --dump-tree >"$T/bad.dump" 2>"$T/bad.err"
check "a time that is not a number: not ready, the log names the key" grep -q 'idle_seconds_by_type' "$T/bad.err"
jq 'del(.idle_seconds_by_type)' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"

# plural forms in the countdown
printf 'tap start\nwait 60100\nexpect still-there\ndump %s/c20.dump\nwait 19000\ndump %s/c1.dump\n' "$T" "$T" >"$T/plural.replay"
check "countdown replay" kiosk nl 1280x800 "$T/plural.replay"
check "20 seconden" grep -q 'id=countdown .* 20 seconden' "$T/c20.dump"
check "1 seconde (singular)" grep -q 'id=countdown .* 1 seconde\b' "$T/c1.dump"
refuse "never '1 seconden'" grep -q 'id=countdown .* 1 seconden' "$T/c1.dump"
kiosk ar 1280x800 "$T/plural.replay" 2>/dev/null
check "Arabic: the dual/plural form for 20" grep -q 'id=countdown .*20 ثانية' "$T/c20.dump"
check "Arabic: one second in words" grep -q 'id=countdown .*ثانية واحدة' "$T/c1.dump"

# the warning is heard: speech to SDL's disk audio driver
voiced() {
	[ -s "$1" ] || { echo 0; return; }
	od -An -v -td2 -w2 "$1" | awk '$1 > 512 || $1 < -512 {n++} END {printf "%d\n", n * 1000 / 22050}'
}
printf 'tap start\nwait 61000\nexpect still-there\nshot %s/w.png\nexpect still-there\n' "$T" >"$T/warn.replay"
printf 'tap start\nwait 59000\nexpect q-crisis\nshot %s/q.png\nexpect q-crisis\n' "$T" >"$T/quiet.replay"
for l in nl ar; do
	SDL_AUDIODRIVER=disk SDL_DISKAUDIODELAY=1 SDL_DISKAUDIOFILE="$T/$l.raw" kiosk $l 1280x800 "$T/warn.replay" >/dev/null 2>&1
	ms=$(voiced "$T/$l.raw"); echo "# $l: $ms ms of voiced warning"
	check "$l: the warning is read aloud (more than a second of speech)" test "$ms" -gt 1000
done
SDL_AUDIODRIVER=disk SDL_DISKAUDIODELAY=1 SDL_DISKAUDIOFILE="$T/quiet.raw" kiosk nl 1280x800 "$T/quiet.replay" >/dev/null 2>&1
check "before the warning nothing is played (twin)" test "$(voiced "$T/quiet.raw")" -eq 0
done_testing
