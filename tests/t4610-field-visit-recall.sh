#!/bin/sh
# A visit the laptop already fetched is recalled (issue 12, session 18): the coordinator
# reassigns the record to another consultant, or records its first conversation; the office
# spools a recall signed by its visit signer (ids only) and the laptop, at its next sync and
# before anyone unlocks, verifies it against its pinned CA and erases the visit. The forged
# twins erase nothing and are kept aside: a recall signed by the laptop's own device key
# (no visit-signer EKU), a recall of another CA's visit signer, and an unsigned "delete"
# (plain JSON in the recall's place). The real programs: kiosk records, case store, office.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/field-lib.sh"
. "$TOP/tests/office/lib.sh"
R="$T/cs"
S="$R/device"
CS="$R/casestore"
check "fixture: records through the case store, the office, accounts" office_fixture
DEV=$(jq -r .device_id "$S/config.json")
server_start "$R" >/dev/null || { echo "not ok - the case store starts"; done_testing; exit 1; }
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"$URL\"|" "$S/config.json"
for c in anna:"$ANNA_PASS" bram:"$BRAM_PASS"; do
	printf '%s\n' "${c#*:}" | "$B/inloop" --state "$S" consultant add "${c%%:*}" >/dev/null
	"$B/inloopctl" --dir "$R" consultant enroll "$S/consultants/${c%%:*}.csr" --device "$DEV" --out "$T/${c%%:*}.pem" >/dev/null
	"$B/inloop" --state "$S" consultant cert "${c%%:*}" "$T/${c%%:*}.pem" >/dev/null
	echo "$PW" | "$B/inloop-office" --dir "$R" user add "${c%%:*}" --role team --password-stdin >/dev/null
done
office_start || { echo "not ok - office starts"; done_testing; exit 1; }
check "coordinator signs in" test "$(signin coord)" = 303
act() { # RECORD ARGS...: a POST on the record page, prints the HTTP code
	_r=$1; shift
	oc coord -o "$T/rec.html" "$OURL/r/$_r"
	oc coord -o /dev/null -w '%{http_code}' "$@" --data-urlencode "csrf=$(field csrf "$T/rec.html")" "$OURL/r/$_r"
}
ids=$(sqlite3 "$R/office/office.sqlite" "SELECT id FROM records ORDER BY id LIMIT 2")
R1=$(echo "$ids" | sed -n 1p) R2=$(echo "$ids" | sed -n 2p)
check "assign record 1 to anna" test "$(act "$R1" -d action=assign -d to=anna)" = 303
check "assign record 2 to anna" test "$(act "$R2" -d action=assign -d to=anna)" = 303
"$B/inloop" --state "$S" sync >"$T/sync1.out" 2>"$T/sync1.err"
check "the laptop fetched both visits" sh -c "[ \$(ls '$S'/visits/anna/*.cms | wc -l) = 2 ]"
V1=$(sqlite3 "$R/office/office.sqlite" "SELECT visit_id FROM visits WHERE record_id = '$R1'")
V2=$(sqlite3 "$R/office/office.sqlite" "SELECT visit_id FROM visits WHERE record_id = '$R2'")
check "visit 1 is on the laptop" test -f "$S/visits/anna/$V1.cms"

# ---- reassigned: record 1 to bram; the first conversation of record 2 ----
check "reassign record 1 to bram" test "$(act "$R1" -d action=assign -d to=bram)" = 303
check "the office spooled a recall for anna's laptop" sh -c "ls '$CS/visits/anna/'*.recall >/dev/null 2>&1"
check "... and bram's visit" sh -c "[ \$(ls '$CS'/visits/bram/*.cms | wc -l) = 1 ]"
check "... the office marks anna's visit recalled" test "$(sqlite3 "$R/office/office.sqlite" "SELECT ended FROM visits WHERE visit_id = '$V1'")" = recalled
check "... and audits it: reference and consultant" sh -c "sqlite3 '$R/office/office.sqlite' \"SELECT target FROM audit WHERE action = 'visit-recalled'\" | grep -qx '[A-Z0-9]* anna'"
cp "$CS"/visits/anna/*.recall "$T/good.recall"
"$B/inloop" --state "$S" sync >"$T/sync2.out" 2>"$T/sync2.err"
check "the next sync erases the recalled visit (no unlock needed)" test ! -e "$S/visits/anna/$V1.cms"
check "... leaving a marker, so a late copy is not kept again" test -e "$S/visits/anna/$V1.done"
check "... the other visit stays" test -f "$S/visits/anna/$V2.cms"
check "... bram has his" sh -c "[ \$(ls '$S'/visits/bram/*.cms | wc -l) = 1 ]"
check "... the recall is gone from the spool" sh -c "! ls '$CS/visits/anna/'*.recall >/dev/null 2>&1"
check "... the log names ids only" grep -q "visit $V1 of anna recalled by the office" "$T/sync2.err"
today=$(TZ=Europe/Amsterdam date +%F)
check "record 2: first conversation" test "$(act "$R2" -d action=first_conversation -d "date=$today")" = 303
check "... a recall for anna's laptop" sh -c "ls '$CS/visits/anna/'*.recall >/dev/null 2>&1"
check "... the office marks it recalled" test "$(sqlite3 "$R/office/office.sqlite" "SELECT ended FROM visits WHERE visit_id = '$V2'")" = recalled
office_stop

# ---- forged twins, with the real recall held back: each in anna's spool alone ----
RREAL=$(ls "$CS"/visits/anna/*.recall)
mv "$RREAL" "$T/real2.recall"
# the device's own key (a stolen laptop); with its certificate attached, so only the EKU refuses it
rid=$(openssl rand -hex 16)
printf '{"schema":"inloop.visit-recall","version":1,"recall_id":"%s","consultant":"anna","visits":["%s"],"reason":"contacted","at":"2026-12-01T10:00:00Z"}' "$rid" "$V2" >"$T/dev.json"
openssl cms -sign -binary -nodetach -cades -md sha256 -outform DER -in "$T/dev.json" -signer "$S/device.pem" \
	-inkey "$S/device.key" -econtent_type 1.3.6.1.4.1.99999.7.1.2 -out "$CS/visits/anna/$rid.recall" 2>"$T/openssl.err"
check "fixture: a recall signed with the device key" test -s "$CS/visits/anna/$rid.recall"
"$B/inloop" --state "$S" sync >"$T/sync3.out" 2>"$T/sync3.err"
check "a recall signed by the device key erases nothing" test -f "$S/visits/anna/$V2.cms"
check "... it is refused for its signer, kept aside" sh -c "grep -q 'recall $rid for anna refused' '$T/sync3.err' && test -f '$S/visits/anna/aside/$rid.recall'"
# another CA's visit signer (another municipality's office)
"$B/inloopctl" init-demo "$T/other" >/dev/null
"$B/inloopctl" --dir "$T/other" office-signer >/dev/null 2>&1
rid=$(openssl rand -hex 16)
sed "s/\"recall_id\":\"[0-9a-f]*\"/\"recall_id\":\"$rid\"/" "$T/dev.json" >"$T/other.json"
openssl cms -sign -binary -nodetach -cades -md sha256 -outform DER -in "$T/other.json" -signer "$T/other/office/visit-signer.pem" \
	-inkey "$T/other/office/visit-signer.key" -econtent_type 1.3.6.1.4.1.99999.7.1.2 -out "$CS/visits/anna/$rid.recall" 2>>"$T/openssl.err"
check "fixture: a recall by another CA's visit signer" test -s "$CS/visits/anna/$rid.recall"
"$B/inloop" --state "$S" sync >"$T/sync4.out" 2>"$T/sync4.err"
check "another CA's visit signer erases nothing" sh -c "test -f '$S/visits/anna/$V2.cms' && grep -q 'recall $rid for anna refused' '$T/sync4.err'"
# an unsigned "delete"
rid=$(openssl rand -hex 16)
sed "s/\"recall_id\":\"[0-9a-f]*\"/\"recall_id\":\"$rid\"/" "$T/dev.json" >"$CS/visits/anna/$rid.recall"
"$B/inloop" --state "$S" sync >"$T/sync5.out" 2>"$T/sync5.err"
check "an unsigned delete erases nothing" sh -c "test -f '$S/visits/anna/$V2.cms' && grep -q 'recall $rid for anna refused' '$T/sync5.err'"
# the office's real recall, moved to bram's spool: signed, but for anna
mv "$T/real2.recall" "$CS/visits/bram/$(basename "$RREAL")"
"$B/inloop" --state "$S" sync >"$T/sync6.out" 2>"$T/sync6.err"
check "anna's recall in bram's spool erases nothing" sh -c "test -f '$S/visits/anna/$V2.cms' && grep -q 'for bram refused (recall: addressed to another consultant)' '$T/sync6.err'"
# and in its own place, the real one works
mv "$S/visits/bram/aside/"*.recall "$CS/visits/anna/$(basename "$RREAL")"
"$B/inloop" --state "$S" sync >"$T/sync7.out" 2>"$T/sync7.err"
check "the office's own recall of visit 2 erases it" test ! -e "$S/visits/anna/$V2.cms"
done_testing
