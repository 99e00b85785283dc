#!/bin/sh
# Read-aloud in every language: what each screen says (every option, the review's answers,
# the receipt's reference letter by letter and the crisis phone number, the idle warning)
# synthesizes to non-silent audio of a plausible length in nl, en, ar, tr, pl and uk, and
# Tigrinya says it has no voice (tests/unit/test_readaloud.c). On the real kiosk (SDL's
# disk audio driver): the speaker plays in tr, pl and uk, shows "stop" while it reads and
# stops on a second tap; "always read aloud" reads the next screen by itself (twin: not
# without it); in Tigrinya the button is disabled, on Welcome and on a question, shows
# the muted speaker with "not available in this language", and nothing is played (twin).
. "$(dirname "$0")/lib.sh"
INLOOP_LOCALEDIR="$B/locale" "$B/tests/test_readaloud" "$TOP/assets/forms/registration.json" \
	nl en ar tr pl uk ti >"$T/unit.tap" 2>"$T/unit.err"
while read -r line; do
	case $line in
	"ok "*) ok "${line#ok [0-9]* - }" ;;
	"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$T/unit.tap"
check "every language's checks ran (6 voices x 12, Tigrinya 1)" test "$(grep -c '^ok' "$T/unit.tap")" -eq 73

export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=disk SDL_DISKAUDIODELAY=1
"$B/inloopctl" init-demo "$T/pki" --url "https://127.0.0.1:9" >"$T/init.log" 2>&1
voiced() {   # ms of samples louder than -36 dBFS in a raw S16 file at 22050 Hz
	[ -s "$1" ] || { echo 0; return; }
	od -An -v -td2 -w2 "$1" | awk '$1 > 512 || $1 < -512 {n++} END {printf "%d\n", n * 1000 / 22050}'
}
run() {   # NAME LANG REPLAY-LINES
	printf '%b' "$3" >"$T/$1.replay"
	SDL_DISKAUDIOFILE="$T/$1.raw" "$B/inloop-test" --state "$T/pki/device" --lang "$2" \
		--windowed 1280x800 --replay "$T/$1.replay" >"$T/$1.log" 2>&1
}
for l in tr pl uk; do
	check "$l: the speaker tapped on Welcome" run "$l" "$l" \
		"expect welcome\ntap read-aloud\ndump $T/$l-on.dump\nshot $T/$l.png\nexpect welcome\n"
	ms=$(voiced "$T/$l.raw"); echo "# $l: $ms ms of voiced audio"
	check "$l: more than a second of speech was played" test "$ms" -gt 1000
	check "$l: while it reads the button shows stop (selected)" grep -q '^widget id=read-aloud .* selected' "$T/$l-on.dump"
done
check "uk: a second tap stops it" run stop uk \
	"expect welcome\ntap read-aloud\ntap read-aloud\ndump $T/stop.dump\nexpect welcome\n"
refuse "... and the button no longer shows stop" grep -q '^widget id=read-aloud .* selected' "$T/stop.dump"
check "nl: always read aloud, then Start" run always nl \
	"expect welcome\ntap always-read-aloud\ndump $T/always.dump\nwait 10\ntap start\nexpect q-crisis\nshot $T/always.png\n"
check "... the switch shows it is on" grep -q '^widget id=always-read-aloud .* selected' "$T/always.dump"
check "... the question was read by itself" test "$(voiced "$T/always.raw")" -gt 1000
check "nl: Start without always read aloud" run never nl "expect welcome\ntap start\nexpect q-crisis\nshot $T/never.png\n"
refuse "... plays nothing (twin)" test -s "$T/never.raw"
check "ti: Welcome" run ti ti "expect welcome\ndump $T/ti.dump\nshot $T/ti.png\n"
check "ti: the speaker button is disabled (no Tigrinya voice)" grep -q '^widget id=read-aloud .* disabled' "$T/ti.dump"
check "ti: so is always read aloud, with the muted speaker (U+F026) too" \
	grep -q '^widget id=always-read-aloud .* disabled icon=U+F026 ' "$T/ti.dump"
refuse "ti: no audio in another language (twin)" test -s "$T/ti.raw"
# on a question too: the speaker says there is no voice (the muted speaker, disabled), and a
# tap on it reads nothing
check "ti: the crisis question, the speaker tapped" run tiq ti \
	"expect welcome\ntap start\nexpect q-crisis\ntap read-aloud\ndump $T/tiq.dump\nexpect q-crisis\n"
check "ti: its speaker button is the disabled, muted one (U+F026)" \
	grep -q '^widget id=read-aloud .* disabled icon=U+F026 ' "$T/tiq.dump"
refuse "ti: the tap played nothing" test -s "$T/tiq.raw"
check "nl: the crisis question's speaker is the live one (twin)" run nlq nl \
	"expect welcome\ntap start\nexpect q-crisis\ndump $T/nlq.dump\n"
refuse "... not disabled" grep -q '^widget id=read-aloud .* disabled' "$T/nlq.dump"
done_testing
