#!/bin/sh
# Visits from the office (issue 12) with the real build/inloop-office and case store: a
# coordinator assigns a crisis record to a consultant (an office user with an enrolled,
# active consultant certificate) and a sealed visit appears in the case store's spool. It
# opens only with that consultant's key (openssl cms -decrypt; another consultant's key
# fails), is signed by the office's visit signer, and holds the record's reference, the
# office's deadline and acuut; the device fetches it through the case store byte for byte.
# A canary name never appears in plaintext in the spool, the office's files, its log or
# the audit log. Reassigning withdraws the unfetched visit; a user without a consultant
# certificate, a disabled consultant (registry or certificate), an office without a visit
# signer and a record that does not open make no visit. The consultants page (ICT) lists
# them and disables one behind a typed confirmation and CSRF; team and coordinator are
# refused.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
# random per run: another checkout running this test at the same time has its own canary
CANARY="Kanarie-$(openssl rand -hex 4)"
PHONE=$(printf '06%08d' $(( $(od -An -N4 -tu4 /dev/urandom) % 100000000 )))
R="$T/cs"
CS="$R/casestore"
check "fixture: records through the case store, office cert, three accounts" office_fixture
soon=$(TZ=Europe/Amsterdam date -d '+1 day' +%F)
printf '{"crisis":["eviction"],"crisis_date":"%s","name":"%s Zwaluw","contact":"phone","phone":"%s","postcode":"1234AB","house_number":"7","privacy_read":true}\n' \
	"$soon" "$CANARY" "$PHONE" >"$T/canary.json"
"$B/inloop" --state "$R/device" submit "$T/canary.json" >"$T/canary.out"
CID=$(sed -n 's/^record: //p' "$T/canary.out")
CREF=$(sed -n 's/^reference: //p' "$T/canary.out" | tr -d -)
server_start "$R" >/dev/null && "$B/inloop" --state "$R/device" sync --url "$URL" >/dev/null; server_stop
check "the canary crisis record is in the case store" test "$(sqlite3 "$CS/store.sqlite" "SELECT count(*) FROM records WHERE id = '$CID'")" = 1
for u in anna bram carla dirk; do
	echo "$PW" | "$B/inloop-office" --dir "$R" user add "$u" --role team --password-stdin >"$T/user.$u" || echo "# user add $u failed"
done

# The consultants, enrolled by the CA (inloopctl consultant enroll: the CSR their laptop
# makes, P-256, CN = the id) on the demo device; init-demo made the office's visit signer.
check "init-demo made the office's visit signer" test -s "$R/office/visit-signer.key"
csr() { # ID: $T/ID.key + $T/ID.csr, as a laptop makes them
	openssl ecparam -name prime256v1 -genkey -noout -out "$T/$1.key" 2>/dev/null &&
		openssl req -new -key "$T/$1.key" -subj "/CN=$1" -out "$T/$1.csr" 2>/dev/null
}
enrol() { # ID: certificate in office/consultants and $T/ID.pem, registry entry active
	csr "$1" && "$B/inloopctl" --dir "$R" consultant enroll "$T/$1.csr" --device kiosk-demo-1 --out "$T/$1.pem" >/dev/null
}
registry() { # ID STATE: the registry entry changed by hand (the office must not trust its own files alone)
	printf '{"id":"%s","device":"kiosk-demo-1","state":"%s","changed":"2026-12-01T10:00:00+01:00"}\n' "$1" "$2" \
		>"$CS/consultants/$1.json"
}
enrol anna; enrol dirk; enrol carla
check "consultants anna, dirk and carla enrolled (certificate in office/, registry entry)" sh -c "test -s '$R/office/consultants/anna.pem' && grep -q active '$CS/consultants/dirk.json'"
check "carla disabled by the CA tool" "$B/inloopctl" --dir "$R" consultant disable carla
# a consultant certificate of the same CA that no visit is sealed to (another laptop's)
printf '[consultant]\nkeyUsage=critical,keyAgreement\nextendedKeyUsage=1.3.6.1.4.1.99999.7.3.2\n' >"$T/ext.cnf"
csr eve && openssl x509 -req -in "$T/eve.csr" -CA "$R/ca/ca.pem" -CAkey "$R/ca/ca.key" -CAcreateserial -days 30 \
	-extfile "$T/ext.cnf" -extensions consultant -out "$T/eve.pem" 2>/dev/null

office_start || { echo "not ok - office start"; done_testing; exit 1; }
check "coordinator signs in" test "$(signin coord)" = 303
spool() { ls "$CS/visits/$1" 2>/dev/null | grep -c '\.cms$'; }
page() { oc coord -o "$T/rec.html" "$OURL/r/$CID"; }
assign() { # USER: prints the HTTP code
	page; oc coord -o "$T/assign.html" -w '%{http_code}' -d action=assign -d "to=$1" \
		--data-urlencode "csrf=$(field csrf "$T/rec.html")" "$OURL/r/$CID"
}
assignee() { sqlite3 "$R/office/office.sqlite" "SELECT coalesce(assignee, '-') FROM records WHERE id = '$CID'"; }

page
check "the assign form marks anna as a consultant (a visit goes to her laptop), bram not" sh -c "grep -q '<option value=\"anna\" data-consultant=\"1\">' '$T/rec.html' && grep -q '<option value=\"bram\">' '$T/rec.html'"
check "assign the crisis record to anna: 303" test "$(assign anna)" = 303
check "... a visit is in anna's spool" test "$(spool anna)" = 1
V1=$(ls "$CS/visits/anna" | sed 's/\.cms$//')
F1="$CS/visits/anna/$V1.cms"
check "... named by a 32-hex visit id" sh -c "echo '$V1' | grep -qx '[0-9a-f]\{32\}'"
check "... the file 0640, its folder 0750" test "$(stat -c %a "$F1") $(stat -c %a "$CS/visits/anna")" = "640 750"
check "... no canary in plaintext in the spool file" sh -c "! grep -a -q -e '$CANARY' -e '$PHONE' '$F1'"
check "it opens with anna's key (openssl cms -decrypt)" sh -c "openssl cms -decrypt -binary -inform DER -in '$F1' \
	-inkey '$T/anna.key' -recip '$T/anna.pem' -out '$T/v1.sd'"
check "... a SignedData by the visit signer that verifies against the CA" sh -c "openssl cms -verify -binary \
	-inform DER -in '$T/v1.sd' -CAfile '$R/office/ca.pem' -purpose any -out '$T/v1.json' 2>/dev/null"
check "... signed by the office's visit signer" sh -c "openssl cms -cmsout -print -inform DER -in '$T/v1.sd' | grep -q 'CN=office'"
check "... the visit JSON: schema, version, visit id, consultant" test "$(jq -r '[.schema, .version, .visit_id, .consultant] | join(" ")' "$T/v1.json")" = "inloop.visit 1 $V1 anna"
check "... the record's id and reference" test "$(jq -r '.record_id + " " + .reference' "$T/v1.json")" = "$CID $CREF"
check "... the office's deadline (its index) and acuut" test "$(jq -r '.deadline + " " + (.acuut | tostring)' "$T/v1.json")" = \
	"$(sqlite3 "$R/office/office.sqlite" "SELECT effective FROM records WHERE id = '$CID'") true"
check "... the crisis and its date" test "$(jq -c '[.crisis, .crisis_date]' "$T/v1.json")" = "[[\"eviction\"],\"$soon\"]"
check "... the name, contact and address (inside the envelope only)" test "$(jq -r '[.name, .contact, .phone, .postcode, .house_number] | join(" ")' "$T/v1.json")" = "$CANARY Zwaluw phone $PHONE 1234AB 7"
refuse "another consultant's key does not open it" openssl cms -decrypt -binary -inform DER -in "$F1" -inkey "$T/eve.key" -recip "$T/eve.pem" -out "$T/eve.sd"
refuse "... nor dirk's, also enrolled here" openssl cms -decrypt -binary -inform DER -in "$F1" -inkey "$T/dirk.key" -recip "$T/dirk.pem" -out "$T/dirk.sd"
page
check "the record page says the visit waits for anna's laptop" grep -q 'id="visit" data-visit="pending" data-consultant="anna"' "$T/rec.html"
check "... in English too (?lang=en)" sh -c "curl -s --cacert '$R/ca/ca.pem' -b '$T/jar.coord' '$OURL/r/$CID?lang=en' | grep -q 'laptop at the next sync'"
check "the audit log has visit-sent with the reference and the consultant" test \
	"$(sqlite3 "$R/office/office.sqlite" "SELECT target FROM audit WHERE action = 'visit-sent'")" = "$CREF anna"

# The case store serves it to the device anna is registered to, as spooled.
server_start "$R" >/dev/null
dev() { curl -s --cacert "$R/device/ca.pem" --cert "$R/device/device.pem" --key "$R/device/device.key" "$@"; }
dev "$URL/v1/consultants/anna/visits" >"$T/visits.json"
check "GET /v1/consultants/anna/visits gives the visit, byte for byte" sh -c "jq -r '.visits[0].envelope' '$T/visits.json' | base64 -d | cmp -s - '$F1' && test \"\$(jq -r '.visits[0].id' '$T/visits.json')\" = '$V1'"

# Reassigning withdraws the unfetched visit; a user without a certificate gets none.
check "reassign to bram (no consultant certificate): 303" test "$(assign bram)" = 303
check "... anna's unfetched visit is withdrawn from the spool" test "$(spool anna)" = 0
check "... bram gets no visit" test ! -e "$CS/visits/bram"
check "... the audit log says so (reference and consultant)" test "$(sqlite3 "$R/office/office.sqlite" "SELECT target FROM audit WHERE action = 'visit-withdrawn'")" = "$CREF anna"
page
check "... and the record page shows no visit" sh -c "! grep -q 'id=\"visit\"' '$T/rec.html'"
check "... the device's GET now lists none" test "$(dev "$URL/v1/consultants/anna/visits" | jq '.visits | length')" = 0

# Fetched by the laptop (deleted on the server): the page says so; a reassignment cannot
# recall it, and removes nothing.
check "assign to anna again: 303" test "$(assign anna)" = 303
V2=$(ls "$CS/visits/anna" | sed 's/\.cms$//')
check "... a new visit id" sh -c "test -n '$V2' && test '$V2' != '$V1'"
check "the device deletes it after keeping its copy: 204" test "$(dev -o /dev/null -w '%{http_code}' -X DELETE "$URL/v1/consultants/anna/visits/$V2")" = 204
page
check "... the record page says anna's laptop fetched it" grep -q 'id="visit" data-visit="fetched" data-consultant="anna"' "$T/rec.html"
server_stop

# Disabled consultants and other refusals make no visit.
check "assign to carla (disabled: registry and certificate): 303" test "$(assign carla)" = 303
check "... carla is the assignee, with no spool" sh -c "test \"\$(sqlite3 '$R/office/office.sqlite' \"SELECT assignee FROM records WHERE id = '$CID'\")\" = carla && test ! -e '$CS/visits/carla'"
registry dirk disabled
check "assign to dirk, disabled in the registry while his certificate is still in office/: 303" test "$(assign dirk)" = 303
check "... no visit made" test "$(spool dirk)" = 0
registry dirk active; rm "$CS/consultants/dirk.json"
assign anna >/dev/null
check "a certificate without a registry entry (dirk): 303" test "$(assign dirk)" = 303
check "... and no visit" test "$(spool dirk)" = 0
registry dirk active
mv "$R/office/visit-signer.key" "$T/signer.away"
check "without a visit signer, assigning to a consultant is refused: 503" test "$(assign anna)" = 503
check "... and changes nothing (the assignee stays dirk)" test "$(assignee)" = dirk
check "... the log says why (no visit signer), with no content" grep -q "visit for $CREF to anna not made: no usable visit signer" "$OFF_LOG"
mv "$T/signer.away" "$R/office/visit-signer.key"
assign anna >/dev/null
check "with the signer back, assign to dirk: 303" test "$(assign dirk)" = 303
check "... a visit in dirk's spool" test "$(spool dirk)" = 1
VD=$(ls "$CS/visits/dirk" 2>/dev/null | head -1)
check "... it opens with dirk's key, not anna's" sh -c "openssl cms -decrypt -binary -inform DER -in '$CS/visits/dirk/$VD' -inkey '$T/dirk.key' -recip '$T/dirk.pem' -out /dev/null && \
	! openssl cms -decrypt -binary -inform DER -in '$CS/visits/dirk/$VD' -inkey '$T/anna.key' -recip '$T/anna.pem' -out /dev/null 2>/dev/null"
check "... and anna's visit (not fetched) was withdrawn" test "$(spool anna)" = 0

# The consultants page (ICT).
check "team signs in" test "$(signin team)" = 303
check "ICT signs in" test "$(signin ict)" = 303
code() { oc "$@" -o /dev/null -w '%{http_code}'; }
check "a team member opening the consultants page: 403" test "$(code team "$OURL/consultants")" = 403
check "a coordinator opening it: 403" test "$(code coord "$OURL/consultants")" = 403
oc ict -o "$T/cons.html" "$OURL/consultants"
check "... and the visits waiting (dirk: 1)" grep -q 'data-consultant="dirk" .*data-waiting="1"' "$T/cons.html"
check "ICT sees every consultant with device and state" sh -c "grep -q 'data-consultant=\"anna\" data-device=\"kiosk-demo-1\" data-state=\"active\"' '$T/cons.html' && \
	grep -q 'data-consultant=\"carla\" data-device=\"kiosk-demo-1\" data-state=\"disabled\"' '$T/cons.html'"
check "... and the certificate's expiry" grep -q "data-consultant=\"anna\".*data-expiry=\"$(openssl x509 -in "$T/anna.pem" -noout -enddate | sed 's/notAfter=//' | xargs -I{} date -u -d {} +%F)\"" "$T/cons.html"
check "... the nav links to it" grep -q 'href="/consultants"' "$T/cons.html"
echo 'not json' >"$CS/consultants/zz.json"
check "a damaged registry entry: the page says so instead of a short list" sh -c "curl -s --cacert '$R/ca/ca.pem' -b '$T/jar.ict' '$OURL/consultants' | grep -q 'id=\"registry-damaged\"'"
rm "$CS/consultants/zz.json"
check "... and without it no such alert" sh -c "! grep -q registry-damaged '$T/cons.html'"
ict_csrf=$(field csrf "$T/cons.html")
dis() { oc ict -o /dev/null -w '%{http_code}' "$@" "$OURL/consultants"; }
check "disable without CSRF: 403" test "$(dis -d id=dirk -d confirm=dirk)" = 403
check "disable with a confirmation that differs: 400" test "$(dis -d id=dirk -d confirm=dirc --data-urlencode "csrf=$ict_csrf")" = 400
check "disable of an unknown consultant: 400" test "$(dis -d id=zoe -d confirm=zoe --data-urlencode "csrf=$ict_csrf")" = 400
check "disable a bad id: 400" test "$(dis -d id=../x -d confirm=../x --data-urlencode "csrf=$ict_csrf")" = 400
check "a team member's disable: 403" test "$(oc team -o /dev/null -w '%{http_code}' -d id=dirk -d confirm=dirk --data-urlencode "csrf=$(oc team "$OURL/worklist" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)" "$OURL/consultants")" = 403
check "... dirk is still active" grep -q '"state": *"active"' "$CS/consultants/dirk.json"
check "ICT disables dirk with the typed confirmation: 303" test "$(dis -d id=dirk -d confirm=dirk --data-urlencode "csrf=$ict_csrf")" = 303
check "... the registry says disabled" grep -q '"state": *"disabled"' "$CS/consultants/dirk.json"
check "... his certificate no longer seals visits (moved aside)" sh -c "test ! -e '$R/office/consultants/dirk.pem' && test -e '$R/office/consultants/dirk.pem.disabled'"
check "... his unfetched visit left the spool" test "$(spool dirk)" = 0
check "... audited" test "$(sqlite3 "$R/office/office.sqlite" "SELECT count(*) FROM audit WHERE action = 'consultant-disable' AND target = 'dirk' AND user = 'ict'")" = 1
server_start "$R" >/dev/null
check "... and the case store now answers 410 for him" test "$(dev -o /dev/null -w '%{http_code}' "$URL/v1/consultants/dirk/visits")" = 410
server_stop
assign anna >/dev/null
check "assigning to dirk now: 303" test "$(assign dirk)" = 303
check "... and no visit" test "$(spool dirk)" = 0

# A record that no longer opens (its envelope gone from the case store) goes to no laptop.
sqlite3 "$CS/store.sqlite" "DELETE FROM records WHERE id = '$CID'"
check "assigning a record that does not open to a consultant: 409" test "$(assign anna)" = 409
check "... no visit, and the assignee stays dirk" sh -c "test \"\$(ls '$CS/visits/anna' | grep -c '\.cms\$')\" = 0 && test \"\$(sqlite3 '$R/office/office.sqlite' \"SELECT assignee FROM records WHERE id = '$CID'\")\" = dirk"

# Retention: a record's contents erased take its unfetched visit out of the spool too.
act() { # RECORD ACTION ARGS...: as the coordinator; prints the HTTP code
	r=$1; a=$2; shift 2
	oc coord -o /dev/null -w '%{http_code}' -d "action=$a" --data-urlencode "csrf=$(field csrf "$T/rec.html")" "$@" "$OURL/r/$r"
}
check "before: anna's spool holds no visit" sh -c "test \"\$(ls '$CS/visits/anna' | grep -c '\.cms\$')\" = 0"
act "$CRISIS_ID" assign -d to=anna >/dev/null
check "... one in anna's spool" test "$(spool anna)" = 1
check "... first conversation and hand-over recorded" test "$(act "$CRISIS_ID" first_conversation -d "date=$(TZ=Europe/Amsterdam date +%F)") $(act "$CRISIS_ID" handover)" = "303 303"
check "... the first conversation withdrew the visit not yet fetched" test "$(spool anna) $(sqlite3 "$R/office/office.sqlite" "SELECT ended FROM visits WHERE record_id = '$CRISIS_ID' ORDER BY sent_at DESC LIMIT 1")" = "0 withdrawn"
act "$CRISIS_ID" assign -d to=anna >/dev/null   # assigned again after the hand-over: a visit waits
check "... assigned again after the hand-over: one in anna's spool" test "$(spool anna)" = 1
check "the office stops" office_stop
office_start --retention-days 0 || { echo "not ok - office restart"; done_testing; exit 1; }
i=0; while [ $i -lt 200 ] && ! grep -q 'retention: contents of' "$OFF_LOG"; do sleep 0.05; i=$((i + 1)); done   # it runs just after listening
check "retention ran at start" grep -q 'retention: contents of 1 records erased' "$OFF_LOG"
check "after retention erased the record, its visit left the spool" test "$(spool anna)" = 0
check "... and the office's visits table says erased" test "$(sqlite3 "$R/office/office.sqlite" "SELECT ended FROM visits WHERE record_id = '$CRISIS_ID' AND ended_at = (SELECT max(ended_at) FROM visits WHERE record_id = '$CRISIS_ID')")" = erased

# Nowhere in plaintext: the canary name and number.
check "the office stops cleanly: exit 0 (under SAN=1: no leak)" office_stop
refuse "no spool file holds the canary" grep -a -r -q -e "$CANARY" -e "$PHONE" "$CS/visits"
refuse "no office file holds it (database, audit, keys)" grep -a -r -q -e "$CANARY" -e "$PHONE" "$R/office"
refuse "the office's logs do not" grep -a -q -e "$CANARY" -e "$PHONE" "$T"/office.*.log
refuse "the audit log does not" sh -c "sqlite3 '$R/office/office.sqlite' 'SELECT * FROM audit' | grep -q -e '$CANARY' -e '$PHONE'"
refuse "no file under /tmp written during this test (outside its own folder) does" sh -c "find /tmp -xdev -type f -newer '$T/canary.json' -size -8M 2>/dev/null | grep -v '^$T/' | xargs -r grep -a -l -e '$CANARY' 2>/dev/null | grep -q ."
done_testing
