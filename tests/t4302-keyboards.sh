#!/bin/sh
# The keyboards: the Arabic one as printed on Arabic keyboards (ض top left, not mirrored
# with the screen) with ذ أ إ آ ء ة ى لا; the Latin one with a shift key and a page of
# accented letters; names typed by taps are stored exactly as typed (no capitals added):
# أحمد, "van der Berg" and "Şükrü Łącki" through the real kiosk, read back from the
# sealed record with stock openssl. Every key at least 48 px at every size.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
taps() { for k in "$@"; do echo "tap $k"; done; }
# name_replay LANG FILE TAPS...: the whole registration of full-LANG.replay with the name
# typed by the taps given (replacing its own typing of the name), then Send.
name_replay() {
	l=$1; out=$2; shift 2
	taps "$@" >"$T/name-taps"
	awk -v f="$T/name-taps" '
		/^expect q-name$/ { print; while ((getline line < f) > 0) print line; skip = 1; next }
		skip && /^(type|tap key-)/ { next }
		/^expect-text / { next }   # the replay'"'"'s own name on the review
		{ skip = 0; print }' "$R/full-$l.replay" >"$out"
	cat "$R/send.replay" >>"$out"
}
# stored NAME LANG: the newest record's name is exactly NAME
stored() {
	id=$(grep -vxF -f "$T/before" "$T/after" | head -1)
	open_record "$id" "$T/rec.json" && jq -e --arg n "$1" '.answers.name == $n' "$T/rec.json" >/dev/null
}
run_name() {
	l=$1; want=$2; shift 2
	name_replay "$l" "$T/name.replay" "$@"
	outbox_ids >"$T/before"
	check "$l: the registration with the name '$want' typed by taps" kiosk "$l" 1280x800 "$T/name.replay"
	outbox_ids >"$T/after"
	check "$l: the record holds '$want' as typed" stored "$want"
}
run_name ar "أحمد" key-u0623 key-u062d key-u0645 key-u062f
run_name nl "van der Berg" key-v key-a key-n key-space key-d key-e key-r key-space \
	key-shift key-B key-e key-r key-g
run_name en "Şükrü Łącki" key-accents key-shift key-u015e key-u00fc key-letters key-k key-r \
	key-accents key-u00fc key-letters key-space key-accents key-shift key-u0141 key-u0105 \
	key-letters key-c key-k key-i
refuse "negative twin: the record is not 'Van Der Berg'" sh -c "
	jq -e '.answers.name == \"Van Der Berg\"' '$T/rec.json' >/dev/null"

# Key positions from the widget tree, at three sizes, Arabic and Dutch
x_of() { sed -n "s/^widget id=$1 .* x=\([-0-9]*\) y=\([-0-9]*\) .*/\1/p" "$2" | head -1; }
y_of() { sed -n "s/^widget id=$1 .* x=\([-0-9]*\) y=\([-0-9]*\) .*/\2/p" "$2" | head -1; }
for sz in 1024x768 1280x800 1080x1920; do
	o="$T/k-$sz"
	mkdir -p "$o"
	{ echo "expect welcome"; echo "tap start"; echo "tap opt-none"; echo "tap next"
	  echo "expect q-name"; echo "dump $o/ar.dump"; echo "tap key-mode"; echo "dump $o/ar-latin.dump"
	  echo "tap key-accents"; echo "dump $o/ar-accents.dump"; } >"$o/ar.replay"
	{ echo "expect welcome"; echo "tap start"; echo "tap opt-none"; echo "tap next"
	  echo "expect q-name"; echo "dump $o/nl.dump"; echo "tap key-shift"; echo "dump $o/nl-shift.dump"
	  echo "tap key-accents"; echo "dump $o/nl-accents.dump"; echo "tap key-shift"
	  echo "dump $o/nl-accents-shift.dump"; } >"$o/nl.replay"
	check "$sz: the keyboards shown" sh -c "'$B/inloop-test' --state '$S' --lang ar --windowed $sz --replay '$o/ar.replay' && \
		'$B/inloop-test' --state '$S' --lang nl --windowed $sz --replay '$o/nl.replay'"
	a="$o/ar.dump"
	top=$(sed -n 's/^widget id=key-.* role=key .* y=\([-0-9]*\) .*/\1/p' "$a" | sort -n | head -1)
	check "ar $sz: ض is on the top row, left of ص; ج left of د at its end" sh -c "
		test '$(y_of key-u0636 "$a")' = '$top' && test '$(y_of key-u062f "$a")' = '$top' &&
		test $(x_of key-u0636 "$a") -lt $(x_of key-u0635 "$a") &&
		test $(x_of key-u062c "$a") -lt $(x_of key-u062f "$a")"
	left=$(grep "^widget id=key-.* y=$top " "$a" | sed -n 's/.* x=\([-0-9]*\) .*/\1/p' | sort -n | head -1)
	check "ar $sz: ض is the leftmost key of the top row" test "$(x_of key-u0636 "$a")" = "$left"
	check "ar $sz: ش starts the second row, below ض (as printed)" \
		test "$(x_of key-u0634 "$a")" -lt "$(x_of key-u0633 "$a")"
	for k in u0630 u0623 u0625 u0622 u0621 u0629 u0649 lam-alef; do
		check "ar $sz: a key key-$k" grep -q "^widget id=key-$k role=key" "$a"
	done
	check "ar $sz: the Latin keyboard keeps q left of p" test "$(x_of key-q "$o/ar-latin.dump")" -lt "$(x_of key-p "$o/ar-latin.dump")"
	check "nl $sz: a shift key" grep -q '^widget id=key-shift role=key' "$o/nl.dump"
	check "nl $sz: shift shows capitals, selected" sh -c "grep -q '^widget id=key-B ' '$o/nl-shift.dump' && grep -q '^widget id=key-shift .* selected' '$o/nl-shift.dump'"
	for k in u00e9 u00eb u00ef u00f6 u00fc u00e7 u015f u011f u0131 u0142 u0105 u0119 u00f3 u017c; do
		check "nl $sz: an accented key key-$k" grep -q "^widget id=key-$k role=key" "$o/nl-accents.dump"
	done
	check "nl $sz: capital accents (Ş Ł İ)" sh -c "grep -q '^widget id=key-u015e ' '$o/nl-accents-shift.dump' && grep -q '^widget id=key-u0141 ' '$o/nl-accents-shift.dump' && grep -q '^widget id=key-u0130 ' '$o/nl-accents-shift.dump'"
	awk -f "$R/check-tree.awk" "$o"/*.dump >"$o/problems"
	check "$sz: every key at least 48 px, every label inside its key" \
		sh -c "! test -s '$o/problems' || { head -20 '$o/problems'; exit 1; }"
done
# negative twin of the position check: in the mirrored layout of before, ض was on the right
printf 'widget id=key-u0636 role=key x=660 y=166 w=52 h=104\nwidget id=key-u062c role=key x=36 y=166 w=52 h=104\n' >"$T/mirrored.dump"
refuse "twin: a mirrored Arabic keyboard (ض right of ج) is caught" \
	test "$(x_of key-u0636 "$T/mirrored.dump")" -lt "$(x_of key-u062c "$T/mirrored.dump")"
done_testing
