#!/bin/sh
# The kiosk starts headless, shows Welcome in the asked language with the languages named
# in themselves, and a device that is not ready gets the calm "not ready" screen, not a crash.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
for l in nl en ar; do
	"$B/inloop" --state "$S" --lang $l --windowed 1280x800 --dump-tree >"$T/w-$l.dump" 2>"$T/w-$l.err"
	check "Welcome in $l (dump-tree exits 0)" grep -q '^screen welcome lang='$l "$T/w-$l.dump"
	check "the languages named in themselves ($l)" grep -q 'text="العربية"' "$T/w-$l.dump"
done
check "Dutch Welcome says Beginnen" grep -q 'id=start .*text="Beginnen"' "$T/w-nl.dump"
check "Arabic Welcome is right to left" grep -q '^screen welcome lang=ar dir=rtl' "$T/w-ar.dump"
refuse "English Welcome is not in Dutch" grep -q 'text="Beginnen"' "$T/w-en.dump"
check "a replay that expects Welcome passes" kiosk nl 1280x800 "$R/welcome.replay"
printf 'expect receipt\n' >"$T/wrong.replay"
refuse "a wrong expect fails the replay" kiosk nl 1280x800 "$T/wrong.replay"
kiosk nl 1280x800 "$T/wrong.replay" 2>"$T/wrong.err"
check "the failure names the line" grep -q 'wrong.replay:1: expected screen receipt' "$T/wrong.err"
printf 'tap no-such-widget\n' >"$T/nowidget.replay"
refuse "a tap on a widget that is not there fails" kiosk nl 1280x800 "$T/nowidget.replay"
# not enrolled: an empty state folder
mkdir -p "$T/empty"
"$B/inloop" --state "$T/empty" --windowed 1280x800 --dump-tree >"$T/nr.dump" 2>/dev/null
check "not enrolled: the not-ready screen" grep -q '^screen not-ready' "$T/nr.dump"
check "with the plain reason for the host" grep -q 'id=reason-not-enrolled ' "$T/nr.dump"
refuse "never a file path on the screen" grep -q 'text=".*/' "$T/nr.dump"
# a broken form file
mkdir -p "$T/assets/forms"
cp -r "$TOP/assets/." "$T/assets/"
echo '{ "form": "registration", "questions": [' >"$T/assets/forms/registration.json"
INLOOP_ASSETS="$T/assets" "$B/inloop" --state "$S" --windowed 1280x800 --dump-tree >"$T/bf.dump" 2>/dev/null
check "a broken form: not ready, no crash" grep -q '^screen not-ready' "$T/bf.dump"
check "the reason says the program files are damaged" grep -q 'id=reason-program ' "$T/bf.dump"
refuse "and shows no file name" grep -q 'registration.json' "$T/bf.dump"
refuse "--windowed wants WxH" "$B/inloop" --state "$S" --windowed banana --dump-tree
done_testing
