#!/bin/sh
# Arabic proves the layout: every shown string's characters have glyphs in the font
# chain (missing=0 on every widget of every screen), the screen is mirrored (Back on the
# right, Next on the left, the languages from the right), dates stay in order inside
# Arabic (LRI ... PDI); in Dutch Back sits on the left (the twin).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
for l in ar nl; do
	mkdir -p "$T/$l"
	sed "s|@OUT@|$T/$l|g; /^shot /d" "$R/all-screens.replay" >"$T/$l.replay"
	check "$l: every screen reached" kiosk $l 1920x1080 "$T/$l.replay"
done
check "ar: no widget with a missing glyph" sh -c "! grep -h ' missing=[1-9]' '$T'/ar/*.dump"
check "ar: Arabic text is shown (not English)" grep -q 'text="التالي"' "$T/ar/02-crisis.dump"
half=$(( $(sed -n 's/^screen .* size=\([0-9]*\)x.*/\1/p' "$T/ar/02-crisis.dump") / 2 ))
x_of() { sed -n "s/^widget id=$1 .* x=\([0-9]*\) .*/\1/p" "$2" | head -1; }
for f in 02-crisis 05-name 10-address 14-interpreter-language 15-review; do
	check "ar $f: Back on the right" test "$(x_of back "$T/ar/$f.dump")" -gt "$half"
	n=next; [ "$f" = 15-review ] && n=send   # the review's one page ends with Send
	check "ar $f: $n on the left" test "$(x_of $n "$T/ar/$f.dump")" -lt "$half"
	check "nl $f: Back on the left (twin)" test "$(x_of back "$T/nl/$f.dump")" -lt "$half"
done
check "ar: the first language button sits right of the last" \
	test "$(x_of lang-nl "$T/ar/01-welcome.dump")" -gt "$(x_of lang-ar "$T/ar/01-welcome.dump")"
check "ar: the date's digits are isolated left to right (LRI...PDI)" \
	grep -q "id=date-words .*$(printf '\342\201\246')[0-9][0-9]-[0-9][0-9]-20[0-9][0-9]$(printf '\342\201\251')" "$T/ar/03-crisis-date.dump"
check "ar: the progress is mirrored" grep -q '^screen q-crisis lang=ar dir=rtl' "$T/ar/02-crisis.dump"
check "ar: the Arabic keyboard for the name" grep -q 'id=key-u0636 ' "$T/ar/05-name.dump"
check "ar: with a switch to Latin" grep -q 'id=key-mode .*A B C' "$T/ar/05-name.dump"
refuse "nl: no Arabic keyboard for a Dutch name" grep -q 'id=key-u0636 ' "$T/nl/05-name.dump"
done_testing
