#!/bin/sh
# In portrait (1080x1920) the on-screen keyboards use the room under the field: the
# letter keys of the Latin, Arabic, Cyrillic and Ge'ez keyboards (and a Ge'ez consonant's
# page of vowel orders) and the digits of the phone pad grow taller than the landscape cap
# (104 logical px) with bigger labels (above body size 30), while the word keys (space,
# delete, the script key) keep body size; every text fits its key (check-tree.awk) and no
# screen is drawn smaller (squeeze=0). The twin: at 1280x800 the keys keep the landscape
# cap and body-size labels.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
# key_h ID DUMP / key_size ID DUMP: the key's height / label size
key_h() { sed -n "s/^widget id=$1 role=key .* h=\([0-9]*\) .*/\1/p" "$2" | head -1; }
key_size() { sed -n "s/^widget id=$1 role=key .* size=\([0-9]*\) .*/\1/p" "$2" | head -1; }
grown() { h=$(key_h "$1" "$2"); s=$(key_size "$1" "$2"); [ "${h:-0}" -gt 104 ] && [ "${s:-0}" -gt 30 ]; }
body() { h=$(key_h "$1" "$2"); s=$(key_size "$1" "$2"); [ -n "$h" ] && [ "$h" -le 104 ] && [ "$s" -eq 30 ]; }
run() {   # run LANG WxH OUT: the name screen, (Ge'ez) an orders page, the phone pad
	mkdir -p "$3"
	{ echo "expect welcome"; echo "tap start"; echo "expect q-crisis"; echo "tap opt-none"; echo "tap next"
	  echo "expect q-name"; echo "dump $3/name.dump"
	  [ "$1" = ti ] && { echo "tap key-c1208"; echo "dump $3/orders.dump"; echo "tap key-u1208"; }
	  echo "type An"; echo "tap next"; echo "expect q-contact"; echo "tap opt-phone"; echo "dump $3/phone.dump"
	} >"$3/r.replay"
	kiosk "$1" "$2" "$3/r.replay" 2>"$3/err"
}
for c in nl:key-q ar:key-u0636 uk:key-u0439 ti:key-c1200; do
	l=${c%%:*}; k=${c#*:}; o="$T/$l-p"
	check "$l portrait: the name and phone screens" run $l 1080x1920 "$o"
	check "$l portrait: the letter keys grow, bigger labels" grown $k "$o/name.dump"
	check "$l portrait: the delete key keeps body size" sh -c "grep -q '^widget id=key-backspace .* size=30 ' '$o/name.dump'"
	check "$l portrait: the digits grow too" grown key-5 "$o/phone.dump"
	awk -f "$R/check-tree.awk" "$o"/*.dump >"$o/problems"
	check "$l portrait: every key's text fits" sh -c "! test -s '$o/problems' || { head -5 '$o/problems'; exit 1; }"
	check "$l portrait: at body size" sh -c "! grep -l '^screen .* squeeze=[1-9]' '$o'/*.dump"
	o="$T/$l-l"
	check "$l 1280x800: the name and phone screens" run $l 1280x800 "$o"
	check "$l 1280x800: the letter keys keep the landscape size (twin)" body $k "$o/name.dump"
	check "$l 1280x800: the digits too (twin)" body key-5 "$o/phone.dump"
done
check "ti portrait: a consonant's vowel orders grow too" grown key-u1208 "$T/ti-p/orders.dump"
done_testing
