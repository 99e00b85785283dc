#!/bin/sh
# Read-aloud on the real kiosk: tapping the speaker on Welcome in Dutch, English and Arabic
# sends non-silent speech of a plausible length to the audio device (SDL's disk driver
# writes it to a file, ~40x faster than real time); without the tap nothing is played at all.
. "$(dirname "$0")/lib.sh"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=disk SDL_DISKAUDIODELAY=1
"$B/inloopctl" init-demo "$T/pki" --url "https://127.0.0.1:9" >"$T/init.log" 2>&1 ||
	{ not_ok "init-demo"; sed 's/^/# /' "$T/init.log"; done_testing; exit 1; }

# voiced FILE: milliseconds of samples louder than -36 dBFS in a raw S16 file at 22050 Hz
# (the driver at full speed also writes silence until the device is paused).
voiced() {
	[ -s "$1" ] || { echo 0; return; }
	od -An -v -td2 -w2 "$1" | awk '$1 > 512 || $1 < -512 {n++} END {printf "%d\n", n * 1000 / 22050}'
}

# run NAME LANG TAP: Welcome, optionally the speaker tapped, a shot (it takes real time, so the
# audio thread drains the queue) and the end of the replay.
run() {
	printf 'expect welcome\n%s\nshot %s/%s.png\nexpect welcome\n' "$3" "$T" "$1" >"$T/$1.replay"
	SDL_DISKAUDIOFILE="$T/$1.raw" "$B/inloop-test" --state "$T/pki/device" --lang "$2" \
		--windowed 1280x800 --replay "$T/$1.replay" >"$T/$1.log" 2>&1
}

for lang in nl en ar; do
	check "$lang: Welcome with the speaker tapped" run "$lang" "$lang" "tap read-aloud"
	ms=$(voiced "$T/$lang.raw")
	echo "# $lang: $ms ms of voiced audio"
	check "$lang: read-aloud played more than a second of speech" test "$ms" -gt 1000
done
check "nl: Welcome without the tap" run quiet nl "# no tap"
refuse "nl: without the tap no audio is played" test -s "$T/quiet.raw"
done_testing
