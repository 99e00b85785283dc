#!/bin/sh
# Seven languages end to end: the whole crisis registration (all-screens.replay) reaches
# the receipt in nl, en, ar, tr, pl, uk and ti, every screen's tree without a missing
# glyph or a layout problem (check-tree.awk), and the stored record carries the language.
# Then the language changes mid-registration (lang-switch.replay): on Welcome, and through
# the language button on the name question; the typed name, the crisis choice and its date
# are kept, Back on the language screen keeps the language (the twin), and the record is
# stored in the last language chosen.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
for l in nl en ar tr pl uk ti; do
	mkdir -p "$T/$l"
	rm -f "$S/outbox.sqlite"*
	sed "s|@OUT@|$T/$l|g; /^shot /d" "$R/all-screens.replay" >"$T/$l.replay"
	check "$l: every screen up to the receipt and back to Welcome" kiosk $l 1280x800 "$T/$l.replay"
	check "$l: the receipt was shown in $l" grep -q "^screen receipt lang=$l " "$T/$l/17-receipt.dump"
	check "$l: no missing glyph, no layout problem on any screen" sh -c "awk -f '$R/check-tree.awk' '$T/$l'/*.dump | grep . && exit 1 || exit 0"
	id=$(outbox_ids | head -1)
	open_record "$id" "$T/rec-$l.json" 2>/dev/null
	check "$l: the record says language $l" jq -e ".language == \"$l\"" "$T/rec-$l.json"
done
check "ti: the read-aloud button says it has no Tigrinya voice (disabled)" \
	grep -q '^widget id=read-aloud .* disabled ' "$T/ti/02-crisis.dump"
refuse "tr: read-aloud is not disabled where a voice exists" \
	grep -q '^widget id=read-aloud .* disabled ' "$T/tr/02-crisis.dump"
check "Welcome offers all seven languages" \
	test "$(grep -c '^widget id=lang-\(nl\|en\|ar\|tr\|pl\|uk\|ti\) ' "$T/nl/01-welcome.dump")" -eq 7
check "a question screen has the one language button" grep -q '^widget id=lang-menu ' "$T/nl/05-name.dump"

# mid-registration
mkdir -p "$T/sw"
rm -f "$S/outbox.sqlite"*
sed "s|@OUT@|$T/sw|g" "$R/lang-switch.replay" >"$T/sw.replay"
check "switching languages mid-registration reaches the receipt" kiosk nl 1280x800 "$T/sw.replay"
check "the language screen offers all seven" test "$(grep -c '^widget id=lang-[a-z][a-z] ' "$T/sw/a-language.dump")" -eq 7
check "... with Turkish chosen on Welcome selected" grep -q '^widget id=lang-tr .* selected' "$T/sw/a-language.dump"
check "Back on the language screen keeps Turkish (twin)" grep -q '^screen q-name lang=tr ' "$T/sw/b-name-tr.dump"
check "after choosing Ukrainian the name question is in Ukrainian" grep -q '^screen q-name lang=uk ' "$T/sw/c-name-uk.dump"
check "... and the typed name is still there" grep -q '^widget id=field-0 .*text="Kanarie Vogelzang|\?"' "$T/sw/c-name-uk.dump"
check "... the crisis choice too" grep -q '^widget id=opt-eviction .* selected' "$T/sw/d-crisis-uk.dump"
check "the review in Ukrainian shows the typed name" grep -q '^widget id=answer-name .*Kanarie Vogelzang' "$T/sw/e-review-uk.dump"
open_record "$(outbox_ids | head -1)" "$T/rec-sw.json"
check "the record is in Ukrainian with every answer kept" jq -e '.language == "uk" and .answers.name == "Kanarie Vogelzang" and .answers.crisis == ["eviction"] and (.answers.crisis_date | test("-06-15$"))' "$T/rec-sw.json"
done_testing
