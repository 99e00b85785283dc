#!/bin/sh
# The Ukrainian keyboard: in Ukrainian the name question opens on the Cyrillic keys as
# printed (й ц у к е н top left, ї і є ґ, the apostrophe, a shift that holds for one
# letter); the script key ("A B C") switches to Latin and, on the Latin page ("А Б В"), back.
# E-mail and phone keep their Latin and numeric layouts; Dutch has no Cyrillic keys and the
# Arabic keyboard still opens Arabic with its own switch (twins). Names typed by taps through
# the real kiosk (Мар'яна Ґудзь, and "Lee Ірина" across the switch) are in the sealed record
# exactly as typed, read back with stock openssl and opened by the office
# (`inloopctl open`, the office's opener with its re-check); the name is nowhere in
# plaintext in the state folder or the log. Every key at least 48 px, labels inside.
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
# typed_name WANT TAPS...: a Ukrainian registration with the name typed by taps; the
# record opened with openssl ($T/rec.json) and by the office ($T/office.json)
typed_name() {
	want=$1; shift
	name_replay "$T/name.replay" "$@"
	outbox_ids >"$T/before"
	check "uk: the registration with '$want' typed on the keyboard" \
		kiosk uk 1280x800 "$T/name.replay" 2>>"$T/kiosk.log"
	outbox_ids >"$T/after"
	id=$(newest)
	open_record "$id" "$T/rec.json"
	check "... the sealed record (stock openssl) holds '$want' exactly" \
		jq -e --arg n "$want" '.answers.name == $n and .language == "uk"' "$T/rec.json"
	"$B/inloopctl" --dir "$P" open "$T/env.der" >"$T/office.json" 2>"$T/office.err"
	check "... the office opens it (its re-check passes) and reads '$want'" \
		jq -e --arg n "$want" '.answers.name == $n' "$T/office.json"
}
typed_name "Мар'яна Ґудзь" key-shift key-u041c key-u0430 key-u0440 key-u0027 key-u044f key-u043d \
	key-u0430 key-space key-shift key-u0490 key-u0443 key-u0434 key-u0437 key-u044c
refuse "twin: the record is not 'Мар'яна Гудзь' (г for ґ)" \
	jq -e '.answers.name == "Мар'"'"'яна Гудзь"' "$T/rec.json"
typed_name "Lee Ірина" key-mode key-shift key-L key-e key-e key-space key-mode key-shift key-u0406 \
	key-u0440 key-u0438 key-u043d key-u0430
refuse "twin: the Latin part is Latin, not Cyrillic look-alikes" \
	jq -e '.answers.name | test("[\u0400-\u04ff]ee")' "$T/rec.json"
check "the names are nowhere in plaintext in the state folder or the log" sh -c "
	! grep -rlF 'Ґудзь' '$S' '$T/kiosk.log' && ! grep -rlF 'Ірина' '$S' '$T/kiosk.log'"

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
	{ echo "$to_name"; echo "dump $o/uk.dump"; echo "tap key-shift"; echo "dump $o/uk-shift.dump"
	  echo "tap key-u0419"; echo "dump $o/uk-after.dump"; echo "tap key-mode"; echo "dump $o/uk-latin.dump"
	  echo "tap key-mode"; echo "dump $o/uk-back.dump"; echo "tap next"; echo "expect q-contact"
	  echo "tap opt-email"; echo "dump $o/uk-email.dump"; echo "tap opt-phone"; echo "dump $o/uk-phone.dump"
	} >"$o/uk.replay"
	{ echo "$to_name"; echo "dump $o/ar.dump"; echo "tap key-mode"; echo "dump $o/ar-latin.dump"; } >"$o/ar.replay"
	{ echo "$to_name"; echo "dump $o/nl.dump"; } >"$o/nl.replay"
	check "$sz: the keyboards shown (uk, ar, nl)" sh -c "'$B/inloop-test' --state '$S' --lang uk --windowed $sz --replay '$o/uk.replay' && \
		'$B/inloop-test' --state '$S' --lang ar --windowed $sz --replay '$o/ar.replay' && \
		'$B/inloop-test' --state '$S' --lang nl --windowed $sz --replay '$o/nl.replay'"
	u="$o/uk.dump"
	top=$(sed -n 's/^widget id=key-.* role=key .* y=\([-0-9]*\) .*/\1/p' "$u" | sort -n | head -1)
	left=$(grep "^widget id=key-.* y=$top " "$u" | sed -n 's/.* x=\([-0-9]*\) .*/\1/p' | sort -n | head -1)
	check "uk $sz: the name opens on Cyrillic: й is the top row's leftmost key, left of ц" sh -c "
		test '$(y_of key-u0439 "$u")' = '$top' && test '$(x_of key-u0439 "$u")' = '$left' &&
		test $(x_of key-u0439 "$u") -lt $(x_of key-u0446 "$u")"
	for k in u0457 u0456 u0454 u0491 u044c u0027 u002d shift space backspace; do
		check "uk $sz: a key key-$k" grep -q "^widget id=key-$k role=key" "$u"
	done
	check "uk $sz: ф starts the second row, я the third after shift (as printed)" sh -c "
		test $(x_of key-u0444 "$u") -lt $(x_of key-u0456 "$u") &&
		test $(x_of key-shift "$u") -lt $(x_of key-u044f "$u") &&
		test $(y_of key-u0444 "$u") -lt $(y_of key-u044f "$u")"
	check "uk $sz: the script key says A B C" test "$(label key-mode "$u")" = "A B C"
	check "uk $sz: shift shows capitals (Й), selected" sh -c "grep -q '^widget id=key-u0419 ' '$o/uk-shift.dump' &&
		grep -q '^widget id=key-shift .* selected' '$o/uk-shift.dump'"
	check "uk $sz: after one capital the small letters are back" grep -q '^widget id=key-u0439 ' "$o/uk-after.dump"
	check "uk $sz: A B C gives the Latin page (q left of p), its script key says А Б В" sh -c "
		test $(x_of key-q "$o/uk-latin.dump") -lt $(x_of key-p "$o/uk-latin.dump") &&
		test '$(label key-mode "$o/uk-latin.dump")' = 'А Б В' && ! grep -q '^widget id=key-u0439 ' '$o/uk-latin.dump'"
	check "uk $sz: А Б В gives the Cyrillic page back" grep -q '^widget id=key-u0439 ' "$o/uk-back.dump"
	check "uk $sz: the e-mail keeps its Latin layout (@, no Cyrillic, no script key)" sh -c "
		grep -q '^widget id=key-u0040 ' '$o/uk-email.dump' && ! grep -q '^widget id=key-u0439 ' '$o/uk-email.dump' &&
		! grep -q '^widget id=key-mode ' '$o/uk-email.dump'"
	check "uk $sz: the phone keeps its numeric pad" sh -c "
		grep -q '^widget id=key-0 ' '$o/uk-phone.dump' && ! grep -q '^widget id=key-u0439 ' '$o/uk-phone.dump'"
	refuse "nl $sz: no Cyrillic keys for a Dutch name (twin)" grep -q '^widget id=key-u0439 ' "$o/nl.dump"
	refuse "nl $sz: and no script key" grep -q '^widget id=key-mode ' "$o/nl.dump"
	check "ar $sz: Arabic still opens Arabic (ض), its script key goes to Latin and says أ ب ج there" sh -c "
		grep -q '^widget id=key-u0636 ' '$o/ar.dump' && ! grep -q '^widget id=key-u0439 ' '$o/ar.dump' &&
		grep -q '^widget id=key-q ' '$o/ar-latin.dump' && test '$(label key-mode "$o/ar-latin.dump")' = 'أ ب ج'"
	awk -f "$R/check-tree.awk" "$o"/*.dump >"$o/problems"
	check "$sz: every key at least 48 px, every label inside its key, every glyph there" \
		sh -c "! test -s '$o/problems' || { head -20 '$o/problems'; exit 1; }"
done
done_testing
