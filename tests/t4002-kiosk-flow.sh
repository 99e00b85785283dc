#!/bin/sh
# The whole registration in Dutch, English and Arabic through the real event path: after
# Send the outbox has one more row, and stock openssl cms opens it to the typed answers.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
names="nl:Kanarie Vogelzang en:Canary Birdsong ar:سارة"
for l in nl en ar; do
	name=$(echo "$names" | tr ' ' '\n' | sed -n "s/^$l://p")
	[ "$l" = ar ] || name=$(echo "$names" | grep -o "$l:[A-Za-z]* [A-Za-z]*" | cut -d: -f2)
	outbox_ids >"$T/before"
	{ cat "$R/full-$l.replay"; cat "$R/send.replay"; echo "dump $T/receipt-$l.dump"; } >"$T/$l.replay"
	check "full flow in $l reaches the receipt" kiosk $l 1280x800 "$T/$l.replay"
	outbox_ids >"$T/after"
	check "one more outbox row ($l)" test "$(wc -l <"$T/after")" -eq $(($(wc -l <"$T/before") + 1))
	id=$(grep -vxF -f "$T/before" "$T/after" | head -1)
	check "the receipt shows the record's reference ($l)" grep -q 'id=reference ' "$T/receipt-$l.dump"
	check "openssl cms opens the record ($l)" open_record "$id" "$T/rec-$l.json"
	check "the record holds the typed name ($l)" \
		sh -c "jq -e --arg n '$name' '.answers.name == \$n' '$T/rec-$l.json' >/dev/null"
	check "phone, postcode, house number as typed ($l)" sh -c "jq -e '.answers.phone == \"0612345678\" and (.answers.postcode | ascii_upcase | gsub(\" \"; \"\")) == \"1234AB\" and .answers.house_number == \"12\"' '$T/rec-$l.json' >/dev/null"
	check "the choices as tapped ($l)" sh -c "jq -e '.answers.crisis == [\"none\"] and .answers.privacy_read == true and .answers.interpreter == \"no\"' '$T/rec-$l.json' >/dev/null"
	check "nothing the form switches off or the person left alone ($l)" sh -c "jq -e '.answers | has(\"topics\") or has(\"best_time\") or has(\"birth_date\") or has(\"interpreter_language\") | not' '$T/rec-$l.json' >/dev/null"
	check "the record's language is $l" sh -c "jq -e '.lang == \"$l\" or .language == \"$l\"' '$T/rec-$l.json' >/dev/null"
	refuse "no crisis: no host banner ($l)" grep -q 'id=host-banner' "$T/receipt-$l.dump"
done
refuse "a wrong name is not what was typed (negative twin)" \
	sh -c "jq -e '.answers.name == \"Someone Else\"' '$T/rec-nl.json' >/dev/null"
done_testing
