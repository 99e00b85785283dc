#!/bin/sh
# `inloop submit FILE.json` end to end with the shipped form: good answers are sealed and
# stored (record id, reference, legal deadline printed; the envelope opens as the back
# office opens it and carries the answers); missing required, bad phone, bad postcode,
# unknown question id and wrong type are refused with the question id and a message,
# never the value, and the outbox is unchanged. No answer leaks into state or output.
. "$(dirname "$0")/lib.sh"
check "inloopctl init-demo" "$B/inloopctl" init-demo "$T/pki"
S="$T/pki/device"
canary="canary$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
today=$(TZ=Europe/Amsterdam date +%F)
soon=$(TZ=Europe/Amsterdam date -d '+60 days' +%F)
rows() { "$B/inloop" --state "$S" outbox 2>/dev/null | grep -c '^[0-9a-f]\{8\}-'; }

cat >"$T/good.json" <<JSON
{"crisis":["eviction"],"crisis_date":"$soon","name":"$canary","contact":"phone",
 "phone":"06 1234 5678","postcode":"1234 ab","house_number":"12","privacy_read":true}
JSON
check "good answers are stored" "$B/inloop" --state "$S" submit "$T/good.json"
cp "$T/.out" "$T/good.out"
id=$(sed -n 's/^record: \([0-9a-f-]\{36\}\)$/\1/p' "$T/good.out")
check "it prints the record id" test -n "$id"
check "it prints a reference like K7QF-2M9D" grep -q '^reference: [0-9A-HJKMNP-TV-Z]\{4\}-[0-9A-HJKMNP-TV-Z]\{4\}$' "$T/good.out"
want=$("$B/inloopctl" deadline "$today" --crisis 2>/dev/null | head -1)
check "it prints the crisis deadline ($want, 3 working days)" grep -q "^deadline: $want (crisis" "$T/good.out"
check "the outbox holds one row" test "$(rows)" = 1
check "the outbox file is private (0600)" test "$(stat -c %a "$S/outbox.sqlite")" = 600
"$B/inloop" --state "$S" outbox --dump "$id" >"$T/rec.der"
check "the envelope opens as the back office opens it" sh -c "'$B/inloopctl' --dir '$T/pki' open '$T/rec.der' >'$T/rec.json'"
check "the opened record carries the answers" grep -q "$canary" "$T/rec.json"
check "the opened record carries its id and schema" grep -q "\"record_id\": *\"$id\"" "$T/rec.json"
check "the phone was stored normalised" grep -q '"0612345678"' "$T/rec.json"

cat >"$T/unknown.json" <<JSON
{"crisis":"unknown","crisis_date":"unknown","name":"$canary","contact":"come_back","postcode":"unknown",
 "house_number":"unknown","privacy_read":true}
JSON
check "crisis \"unknown\" is stored" "$B/inloop" --state "$S" submit "$T/unknown.json"
cp "$T/.out" "$T/unknown.out"
check "... with the crisis deadline" grep -q "^deadline: $want (crisis" "$T/unknown.out"
check "the outbox holds two rows" test "$(rows)" = 2

tomorrow=$(TZ=Europe/Amsterdam date -d '+1 day' +%F)
cat >"$T/acuut.json" <<JSON
{"crisis":["water"],"crisis_date":"$tomorrow","name":"A","contact":"come_back","postcode":"1234AB",
 "house_number":"1","privacy_read":true}
JSON
check "a crisis date before the deadline is stored" "$B/inloop" --state "$S" submit "$T/acuut.json"
cp "$T/.out" "$T/acuut.out"
check "... marked ACUUT" grep -q "^deadline: $want (crisis.*ACUUT" "$T/acuut.out"
cat >"$T/plain.json" <<JSON
{"crisis":["none"],"name":"B","contact":"email","email":"b@example.nl","postcode":"1234AB",
 "house_number":"1","privacy_read":true}
JSON
check "no crisis is stored" "$B/inloop" --state "$S" --lang en submit "$T/plain.json"
cp "$T/.out" "$T/plain.out"
want4=$("$B/inloopctl" deadline "$today" 2>/dev/null | head -1)
check "... with the 4-week legal deadline ($want4), not acuut" grep -q "^deadline: $want4 (4 weeks)\$" "$T/plain.out"
"$B/inloop" --state "$S" outbox >"$T/list.out" 2>&1
check "all rows open, seqs without gaps" sh -c "'$B/tests/test_outbox_driver' verify '$T/pki' '$S/outbox.sqlite' /dev/null"
check "the outbox lists four rows, priorities 1 1 2 0" test "$(grep '^[0-9a-f]\{8\}-' "$T/list.out" | awk '{printf "%s ", $4}')" = "1 1 2 0 "
refuse "a language the form does not have is refused" "$B/inloop" --state "$S" --lang xx submit "$T/plain.json"

# Refusals: each names the question and exits 1; the outbox stays as it was.
bad() { # bad "what" question-id value-that-must-not-echo  json
	printf '%s\n' "$4" >"$T/bad.json"
	before=$(rows)
	if "$B/inloop" --state "$S" submit "$T/bad.json" >"$T/bad.out" 2>"$T/bad.err"; then
		not_ok "$1 is refused (was accepted)"
	elif ! grep -q "refused: $2:" "$T/bad.err"; then
		not_ok "$1 is refused naming $2"; sed 's/^/# /' "$T/bad.err"
	elif [ -n "$3" ] && grep -q -F -e "$3" "$T/bad.out" "$T/bad.err"; then
		not_ok "$1: the refusal echoes the value"
	elif [ "$(rows)" != "$before" ]; then
		not_ok "$1: the outbox changed"
	else
		ok "$1 is refused naming $2, value not echoed, outbox unchanged"
	fi
}
base='"crisis":["none"],"name":"Piet","contact":"phone","postcode":"1234AB","house_number":"12"'
bad "missing required privacy_read" privacy_read "" "{$base,\"phone\":\"0612345678\"}"
bad "missing phone when contact is phone" phone "" "{$base,\"privacy_read\":true}"
bad "a bad phone" phone "12ab99" "{$base,\"phone\":\"12ab99\",\"privacy_read\":true}"
bad "a bad postcode" postcode "99999Q" '{"crisis":["none"],"name":"Piet","contact":"come_back","postcode":"99999Q","house_number":"12","privacy_read":true}'
bad "an unknown question id" shoe_size "size47x" "{$base,\"phone\":\"0612345678\",\"privacy_read\":true,\"shoe_size\":\"size47x\"}"
bad "a wrong type" privacy_read "" "{$base,\"phone\":\"0612345678\",\"privacy_read\":\"yes\"}"
bad "crisis_date when crisis is none" crisis_date "" "{$base,\"phone\":\"0612345678\",\"privacy_read\":true,\"crisis_date\":\"$soon\"}"

refuse "a file that is not JSON is refused" "$B/inloop" --state "$S" submit "$T/rec.der"
printf '[1,2]' >"$T/array.json"
refuse "answers that are not an object are refused" "$B/inloop" --state "$S" submit "$T/array.json"
refuse "a missing state folder is refused" "$B/inloop" --state "$T/nowhere" submit "$T/good.json"
cp "$T/.out" "$T/nowhere.out"
check "... with a clear message" grep -q "state folder $T/nowhere" "$T/nowhere.out"
refuse "outbox --dump of an unknown id is refused" "$B/inloop" --state "$S" outbox --dump 00000000-0000-4000-8000-000000000000
refuse "outbox with a stray argument is refused" "$B/inloop" --state "$S" outbox --bogus

# Nothing personal on disk or in what the commands printed.
refuse "no answer in the state folder" grep -r -a -F -q -e "$canary" "$S"
refuse "no answer in the commands' output" grep -a -F -q -e "$canary" "$T/good.out" "$T/unknown.out" "$T/bad.out" "$T/bad.err"
done_testing
