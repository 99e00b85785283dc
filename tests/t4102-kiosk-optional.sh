#!/bin/sh
# Every optional question offers "don't know / skip", and an optional answer left alone
# is absent from the record, never a default. With every optional question of the
# shipped form switched on (a copy of the form), Next on each without a choice.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
F="$TOP/assets/forms/registration.json"
check "every optional question of the shipped form allows \"unknown\"" \
	jq -e '[.questions[] | select(.required == false) | .allow_unknown == true] | all' "$F"
refuse "the twin: a required one may not (the consent)" \
	jq -e '.questions[] | select(.id == "privacy_read") | .allow_unknown == true' "$F"
cp -r "$TOP/assets" "$T/assets"
jq '.questions |= map(del(.enabled))' "$F" >"$T/assets/forms/registration.json"
cat >"$T/skip.replay" <<EOR
tap start
tap opt-none
tap next
type Kanarie Vogelzang
tap next
tap opt-come_back
tap next
expect q-best_time
dump $T/best_time.dump
tap next
expect q-address
tap opt-unknown
tap next
expect q-birth_date
dump $T/birth_date.dump
tap next
expect q-topics
dump $T/topics.dump
tap next
expect q-interpreter
dump $T/interpreter.dump
tap next
expect review
tap-if next
tap-if next
tap opt-yes
tap send
expect receipt
EOR
outbox_ids >"$T/before"
check "every optional question skipped with Next" with_form kiosk nl 1280x800 "$T/skip.replay"
for q in best_time birth_date topics interpreter; do
	check "$q offers don't know" grep -q 'id=opt-unknown ' "$T/$q.dump"
	refuse "$q: nothing chosen before the person chooses" grep -q ' selected .*role=choice\|role=choice .* selected' "$T/$q.dump"
done
id=$(outbox_ids | grep -vxF -f "$T/before" | head -1)
open_record "$id" "$T/rec.json"
check "the record was opened" test -s "$T/rec.json"
check "no optional answer in the record" \
	jq -e '.answers | (has("best_time") or has("birth_date") or has("topics") or has("interpreter") or has("interpreter_language")) | not' "$T/rec.json"
check "the twin: the required answers are there" jq -e '.answers.name and .answers.contact == "come_back"' "$T/rec.json"
done_testing
