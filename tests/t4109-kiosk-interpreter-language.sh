#!/bin/sh
# "Interpreter needed?" asks which language on the same screen (agreed answer
# interpreter_language); Next without one is refused; the review shows it and the record
# holds its code. No interpreter: no language asked, none stored (the twin).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
cat >"$T/yes.replay" <<EOR
tap start
tap opt-none
tap next
type Kanarie Vogelzang
tap next
tap opt-come_back
tap next
tap opt-unknown
tap next
expect q-interpreter
dump $T/before.dump
tap opt-yes
expect q-interpreter
dump $T/asked.dump
tap next
expect q-interpreter
dump $T/refused.dump
tap sub-ti
tap next
expect review
dump $T/review.dump
tap opt-yes
tap send
expect receipt
EOR
outbox_ids >"$T/before"
check "interpreter yes, then a language, then Send" kiosk nl 1280x800 "$T/yes.replay"
refuse "no language list before yes" grep -q 'id=sub-' "$T/before.dump"
check "yes: the languages on the same screen" grep -q 'id=sub-ti .*target' "$T/asked.dump"
check "... with don't know" grep -q 'id=sub-unknown ' "$T/asked.dump"
check "Next without a language: a message" grep -q 'id=problem ' "$T/refused.dump"
check "the review shows the language" grep -q 'id=answer-interpreter .*ትግርኛ' "$T/review.dump"
id=$(outbox_ids | grep -vxF -f "$T/before" | head -1)
open_record "$id" "$T/rec.json"
check "the record: interpreter yes, language ti" jq -e '.answers.interpreter == "yes" and .answers.interpreter_language == "ti"' "$T/rec.json"
cat >"$T/no.replay" <<EOR
tap start
tap opt-none
tap next
type Kanarie Vogelzang
tap next
tap opt-come_back
tap next
tap opt-unknown
tap next
expect q-interpreter
tap opt-no
dump $T/no.dump
tap next
expect review
tap opt-yes
tap send
expect receipt
EOR
outbox_ids >"$T/before"
check "interpreter no goes straight on" kiosk nl 1280x800 "$T/no.replay"
check "no: no language asked" sh -c "test -s '$T/no.dump' && ! grep -q 'id=sub-' '$T/no.dump'"
id=$(outbox_ids | grep -vxF -f "$T/before" | head -1)
open_record "$id" "$T/rec-no.json"
check "no: interpreter no and no language in the record" jq -e '.answers.interpreter == "no" and (.answers | has("interpreter_language") | not)' "$T/rec-no.json"
done_testing
