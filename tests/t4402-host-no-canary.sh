#!/bin/sh
# The staff menu never shows a resident's data (issue 13): a registration with a random
# canary name, phone and postcode is sent, the receipt left with Done, and host mode
# opened at once. The staff menu's widget tree (dump) holds none of the canary, nor the
# receipt's reference; neither do the text caches behind its pixels; and its shot is
# pixel-identical to the shot after a registration with another canary (twin: the review
# pages of the two differ, and the review's dump does hold the canary). In nl and ar, at
# 1280x800 and 800x1280, every text of the menu fits its box (check-tree.awk).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/host-lib.sh"
make_state
set_pin 2468
canary() { echo "Zq$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n' | tr 0-9 g-p)"; }
digits() { od -An -N4 -tu4 /dev/urandom | tr -d ' \n' | cut -c1-8; }

# visit N NAME PHONE LANG SIZE: a registration, Done, host mode; dumps and shots as N-*.
visit() {
	n=$1 name=$2 phone=$3 l=$4 sz=$5
	rm -f "$S/outbox.sqlite"*
	cat >"$T/v.replay" <<-EOR
	tap start
	tap opt-none
	tap next
	type $name
	tap next
	tap opt-phone
	type 06$phone
	tap next
	type 9$(echo "$phone" | cut -c1-3)zq
	tap field-1
	type 7
	tap next
	tap opt-no
	tap next
	expect review
	tap opt-yes
	dump $T/$n-review.dump
	shot $T/$n-review.png
	EOR
	cat "$R/send.replay" >>"$T/v.replay"
	cat >>"$T/v.replay" <<-EOR
	dump $T/$n-receipt.dump
	tap next
	expect welcome
	$HOLD
	expect host-pin
	$(pin_taps 2468)
	expect host
	dump $T/$n-host.dump
	shot $T/$n-host.png
	expect-not-cached $name
	expect-not-measured $name
	expect-not-cached $phone
	EOR
	kiosk "$l" "$sz" "$T/v.replay"
}
ref_of() { sed -n 's/^widget id=reference .* text="\(.*\)"$/\1/p' "$1"; }

a=$(canary) pa=$(digits) b=$(canary) pb=$(digits)
check "a registration, then the staff menu (a)" visit a "$a" "$pa" nl 1280x800
check "the same with other data (b)" visit b "$b" "$pb" nl 1280x800
ref=$(ref_of "$T/a-receipt.dump")
check "twin: the review's dump holds the canary name" grep -q "$a" "$T/a-review.dump"
check "twin: the receipt's dump holds its reference" test -n "$ref"
refuse "the staff menu's dump holds no name" grep -q "$a" "$T/a-host.dump"
refuse "... no phone number" grep -q "$pa" "$T/a-host.dump"
refuse "... no postcode" grep -qi "9$(echo "$pa" | cut -c1-3)zq" "$T/a-host.dump"
refuse "... no reference" grep -q "$ref" "$T/a-host.dump"
refuse "... no widget marked personal" grep -q ' personal' "$T/a-host.dump"
check "... but the device and one record waiting" sh -c "grep -q '^widget id=fact-device .*kiosk-demo' '$T/a-host.dump' && grep -q '^widget id=fact-waiting .*: 1 ' '$T/a-host.dump'"
ae() { compare -metric AE "$1" "$2" null: 2>&1 | cut -d' ' -f1; }
# mask DUMP PNG OUT: the shot with the free-disk line blacked out (other engineers' builds
# change the free space between the two runs).
mask() {
	r=$(sed -n 's/^widget id=fact-disk .* x=\([0-9]*\) y=\([0-9]*\) w=\([0-9]*\) h=\([0-9]*\) .*/\1,\2 \3,\4/p' "$1")
	set -- "$2" "$3" ${r%% *} ${r##* }
	convert "$1" -fill black -draw "rectangle ${3%,*},${3#*,} $(( ${3%,*} + ${4%,*} )),$(( ${3#*,} + ${4#*,} ))" "$2"
}
mask "$T/a-host.dump" "$T/a-host.png" "$T/a-mask.png"
mask "$T/b-host.dump" "$T/b-host.png" "$T/b-mask.png"
check "the two staff menus' shots are pixel-identical (no trace of either visit)" test "$(ae "$T/a-mask.png" "$T/b-mask.png")" = 0
check "twin: the masked shot still differs from the unmasked one" test "$(ae "$T/a-mask.png" "$T/a-host.png")" != 0
check "twin: the two review pages' shots differ" test "$(ae "$T/a-review.png" "$T/b-review.png")" != 0
"$B/inloop" --state "$S" --lang nl --windowed 1280x800 --dump-tree >"$T/start.dump"
refuse "--dump-tree after the visits holds no canary either" grep -q "$a\|$b" "$T/start.dump"
for l in nl ar; do
	for sz in 1280x800 800x1280; do
		check "$l $sz: the staff menu" visit "$l$sz" "$(canary)" "$(digits)" $l $sz
		check "$l $sz: every text fits, contrast and targets hold" \
			sh -c "p=\$(awk -f '$R/check-tree.awk' '$T/$l$sz-host.dump'); [ -z \"\$p\" ] || { echo \"\$p\"; exit 1; }"
		check "$l $sz: not squeezed" grep -q ' squeeze=0$' "$T/$l$sz-host.dump"
	done
done
jq '.host_lang = "ar"' "$S/config.json" >"$T/c" && cp "$T/c" "$S/config.json"
check "host_lang ar, a Dutch resident: the menu" visit har "$(canary)" "$(digits)" nl 1280x800
check "... is in Arabic, right to left" grep -q '^screen host lang=ar dir=rtl ' "$T/har-host.dump"
check "... every text fits" sh -c "[ -z \"\$(awk -f '$R/check-tree.awk' '$T/har-host.dump')\" ]"
done_testing
