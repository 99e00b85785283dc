#!/bin/sh
# The Tigrinya keyboard (Ge'ez script): in Tigrinya the name question opens on the
# consonants in the order of the fidel chart (ሀ top left, then ለ ሐ መ ...); a consonant key
# (key-cXXXX) opens the page of its seven vowel orders (ለ ሉ ሊ ላ ሌ ል ሎ) and its -wa form
# (ሏ; ቋ ኳ ጓ for ቀ ከ ገ), a syllable tapped there is typed and the consonants come back;
# key-consonants goes back without typing. The script key ("A B C") switches to Latin and,
# on the Latin page ("ሀ ለ ሐ"), back. E-mail and phone keep their layouts; Dutch has no
# Ge'ez keys (twins). A name typed by taps through the real kiosk (ሰላም ገብረ, and "ጓል Lee"
# across the switch) is in the sealed record exactly as typed, read back with stock
# openssl and opened by the office (`inloopctl open`, with its re-check); it is nowhere in
# plaintext in the state folder or the log. Every key at least 48 px, its label inside,
# every glyph in the font, at 1024x768, 1280x800 and 1080x1920.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
taps() { for k in "$@"; do echo "tap $k"; done; }
# name_replay FILE TAPS...: the whole registration of full-en.replay with the name typed by
# the taps given (in place of its own typing), then Send.
name_replay() {
	out=$1; shift
	taps "$@" >"$T/name-taps"
	awk -v f="$T/name-taps" '
		/^expect q-name$/ { print; while ((getline line < f) > 0) print line; skip = 1; next }
		skip && /^type / { next }
		/^expect-text / { next }
		{ skip = 0; print }' "$R/full-en.replay" >"$out"
	cat "$R/send.replay" >>"$out"
}
newest() { grep -vxF -f "$T/before" "$T/after" | head -1; }
# typed_name WANT TAPS...: a Tigrinya registration with the name typed by taps; the record
# opened with openssl ($T/rec.json) and by the office ($T/office.json)
typed_name() {
	want=$1; shift
	name_replay "$T/name.replay" "$@"
	outbox_ids >"$T/before"
	check "ti: the registration with '$want' typed on the keyboard" \
		kiosk ti 1280x800 "$T/name.replay" 2>>"$T/kiosk.log"
	outbox_ids >"$T/after"
	id=$(newest)
	open_record "$id" "$T/rec.json"
	check "... the sealed record (stock openssl) holds '$want' exactly" \
		jq -e --arg n "$want" '.answers.name == $n and .language == "ti"' "$T/rec.json"
	"$B/inloopctl" --dir "$P" open "$T/env.der" >"$T/office.json" 2>"$T/office.err"
	check "... the office opens it (its re-check passes) and reads '$want'" \
		jq -e --arg n "$want" '.answers.name == $n' "$T/office.json"
}
# ሰ ላ ም, space, ገ ብ ረ: each syllable is its consonant's key, then its order
typed_name "ሰላም ገብረ" key-c1230 key-u1230 key-c1208 key-u120b key-c1218 key-u121d key-space \
	key-c1308 key-u1308 key-c1260 key-u1265 key-c1228 key-u1228
refuse "twin: the record is not 'ሰለም ገብረ' (the first order for ላ)" \
	jq -e '.answers.name == "ሰለም ገብረ"' "$T/rec.json"
typed_name "ጓል Lee" key-c1308 key-u1313 key-c1208 key-u120d key-space key-mode key-shift key-L key-e key-e
check "the names are nowhere in plaintext in the state folder or the log" sh -c "
	! grep -rlF 'ሰላም' '$S' '$T/kiosk.log' && ! grep -rlF 'ጓል' '$S' '$T/kiosk.log'"

# The layouts, at three sizes
x_of() { sed -n "s/^widget id=$1 .* x=\([-0-9]*\) y=\([-0-9]*\) .*/\1/p" "$2" | head -1; }
y_of() { sed -n "s/^widget id=$1 .* x=\([-0-9]*\) y=\([-0-9]*\) .*/\2/p" "$2" | head -1; }
label() { sed -n "s/^widget id=$1 .* text=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }
to_name='expect welcome
tap start
tap opt-none
tap next
expect q-name'
for sz in 1024x768 1280x800 1080x1920; do
	o="$T/k-$sz"
	mkdir -p "$o"
	{ echo "$to_name"; echo "dump $o/ti.dump"; echo "tap key-c1208"; echo "dump $o/ti-orders.dump"
	  echo "tap key-consonants"; echo "dump $o/ti-back.dump"; echo "tap key-c1240"; echo "dump $o/ti-qe.dump"
	  echo "tap key-u124b"; echo "dump $o/ti-after.dump"; echo "tap key-mode"; echo "dump $o/ti-latin.dump"
	  echo "tap key-mode"; echo "dump $o/ti-again.dump"; echo "tap next"; echo "expect q-contact"
	  echo "tap opt-email"; echo "dump $o/ti-email.dump"; echo "tap opt-phone"; echo "dump $o/ti-phone.dump"
	} >"$o/ti.replay"
	{ echo "$to_name"; echo "dump $o/nl.dump"; } >"$o/nl.replay"
	check "$sz: the keyboards shown (ti, nl)" sh -c "'$B/inloop-test' --state '$S' --lang ti --windowed $sz --replay '$o/ti.replay' && \
		'$B/inloop-test' --state '$S' --lang nl --windowed $sz --replay '$o/nl.replay'"
	u="$o/ti.dump"
	top=$(sed -n 's/^widget id=key-.* role=key .* y=\([-0-9]*\) .*/\1/p' "$u" | sort -n | head -1)
	left=$(grep "^widget id=key-.* y=$top " "$u" | sed -n 's/.* x=\([-0-9]*\) .*/\1/p' | sort -n | head -1)
	check "ti $sz: the name opens on the consonants: ሀ is the top row's leftmost key, left of ለ" sh -c "
		test '$(y_of key-c1200 "$u")' = '$top' && test '$(x_of key-c1200 "$u")' = '$left' &&
		test $(x_of key-c1200 "$u") -lt $(x_of key-c1208 "$u")"
	check "ti $sz: every Tigrinya consonant has its key (34)" \
		test "$(grep -c '^widget id=key-c1[23][0-9a-f]* role=key' "$u")" -eq 34
	check "ti $sz: ... and no syllable is typed from the consonants' page (they open orders)" \
		sh -c "! grep -q '^widget id=key-u12' '$u'"
	for k in u002d space backspace mode; do
		check "ti $sz: a key key-$k" grep -q "^widget id=key-$k role=key" "$u"
	done
	check "ti $sz: the script key says A B C" test "$(label key-mode "$u")" = "A B C"
	for k in 1208 1209 120a 120b 120c 120d 120e 120f; do
		check "ti $sz: ለ's page has key-u$k" grep -q "^widget id=key-u$k role=key" "$o/ti-orders.dump"
	done
	check "ti $sz: ... in order, left to right (ለ before ሎ)" \
		test "$(x_of key-u1208 "$o/ti-orders.dump")" -lt "$(x_of key-u120e "$o/ti-orders.dump")"
	check "ti $sz: ... and a way back to the consonants" grep -q '^widget id=key-consonants ' "$o/ti-orders.dump"
	check "ti $sz: the way back shows the consonants again" grep -q '^widget id=key-c1208 ' "$o/ti-back.dump"
	check "ti $sz: ቀ's page has ቋ (its -wa form)" grep -q '^widget id=key-u124b ' "$o/ti-qe.dump"
	check "ti $sz: after a syllable the consonants are back" grep -q '^widget id=key-c1208 ' "$o/ti-after.dump"
	check "ti $sz: A B C gives the Latin page (q left of p), its script key says ሀ ለ ሐ" sh -c "
		test $(x_of key-q "$o/ti-latin.dump") -lt $(x_of key-p "$o/ti-latin.dump") &&
		test '$(label key-mode "$o/ti-latin.dump")' = 'ሀ ለ ሐ' && ! grep -q '^widget id=key-c1200 ' '$o/ti-latin.dump'"
	check "ti $sz: ሀ ለ ሐ gives the consonants back" grep -q '^widget id=key-c1200 ' "$o/ti-again.dump"
	check "ti $sz: the e-mail keeps its Latin layout (@, no Ge'ez, no script key)" sh -c "
		grep -q '^widget id=key-u0040 ' '$o/ti-email.dump' && ! grep -q '^widget id=key-c1200 ' '$o/ti-email.dump' &&
		! grep -q '^widget id=key-mode ' '$o/ti-email.dump'"
	check "ti $sz: the phone keeps its numeric pad" sh -c "
		grep -q '^widget id=key-0 ' '$o/ti-phone.dump' && ! grep -q '^widget id=key-c1200 ' '$o/ti-phone.dump'"
	refuse "nl $sz: no Ge'ez keys for a Dutch name (twin)" grep -q '^widget id=key-c1200 ' "$o/nl.dump"
	awk -f "$R/check-tree.awk" "$o"/*.dump >"$o/problems"
	check "$sz: every key at least 48 px, every label inside its key, every glyph there" \
		sh -c "! test -s '$o/problems' || { head -20 '$o/problems'; exit 1; }"
done
done_testing
