#!/bin/sh
# ICT revokes a device in the web office of the production layout, where the office holds
# no CA key (README "Where state lives"): ROOT/ca/ca.key is moved away for the office. The
# revoke goes through: revoked.txt is written (the case store refuses the device's next PUT
# with 403 while another device is still served), the device's consultant is disabled (the
# other device's stays active), the audit log has the line, and the page says the CRL
# follows at the CA's next renewal (data-revoke="crl-pending"). Then the CA's plain
# `inloopctl crl renew` (the daily timer: no --force, CRL still 90 days valid) re-signs
# because the CRL lacks that serial, and leaves it alone once every serial is in. Twins:
# before the revoke the device's PUT is served; an unknown device gets 409 and changes
# nothing; with ca.key readable the office's revoke renews the CRL at once ("done"). A
# revoke waits for another holding devices/revoked.lock, and gives up after 5 s unchanged.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
check "fixture: records through the case store, office cert, three accounts" office_fixture
CS="$T/cs/casestore"
S="$T/cs/device"
D2="$T/dev2"
"$B/inloop" --state "$D2" enroll-request kiosk-0002 >/dev/null
check "a second device is enrolled" sh -c "'$B/inloopctl' --dir '$T/cs' enroll '$D2/device.csr' --location Tweede --out '$T/b2.json' >/dev/null && '$B/inloop' --state '$D2' enroll '$T/b2.json' >/dev/null"
csr() { openssl ecparam -name prime256v1 -genkey -noout -out "$T/$1.key" 2>/dev/null; openssl req -new -key "$T/$1.key" -subj "/CN=$1" -out "$T/$1.csr" 2>/dev/null; }
csr lina; csr bram
check "consultant lina on the demo device, bram on the second" sh -c "'$B/inloopctl' --dir '$T/cs' consultant enroll '$T/lina.csr' --device kiosk-demo-1 --out '$T/lina.pem' >/dev/null && '$B/inloopctl' --dir '$T/cs' consultant enroll '$T/bram.csr' --device kiosk-0002 --out '$T/bram.pem' >/dev/null"
serial() { openssl x509 -in "$CS/devices/$1.pem" -noout -serial | sed 's/^serial=//' | tr a-f A-F; }
in_crl() { openssl crl -in "$CS/crl.pem" -noout -text | tr -d ' ' | grep -qix "SerialNumber:$1"; }
S1=$(serial kiosk-demo-1); S2=$(serial kiosk-0002)

# the production layout: the office's user cannot read ca.key
mv "$T/cs/ca/ca.key" "$T/ca.key.aside"
check "case store starts" server_start "$T/cs"
office_start || { echo "not ok - office start"; done_testing; exit 1; }
check "ICT signs in" test "$(signin ict)" = 303

n=0
put() { # STATE DEVICE: seals one record of DEVICE and PUTs it; prints the HTTP code
	n=$((n + 1)); id=$(cat /proc/sys/kernel/random/uuid)
	printf '{"schema":"inloop-registration/1","record_id":"%s","seq":%d,"created_at":"2026-05-04T10:00:00+02:00","device_id":"%s","location":"Test","language":"nl","mode":"kiosk","answers":{"crisis":[],"name":"Naam","contact":"phone","phone":"0612345678","postcode":"1234AB","house_number":"12","privacy_read":true},"crisis":{"crisis":false,"kinds":[],"unknown":false,"known_date":null,"acuut":false,"priority":0},"deadline":{"kind":"x","target":"2026-05-11","legal":"2026-05-11","holidays_version":"atw-2025-2028.1"}}' \
		"$id" "$((100 + n))" "$2" >"$T/p$n.json"
	"$B/tests/seal_tool" "$1" "$T/p$n.json" "$T/p$n.der" >/dev/null && curl_dev "$1" -X PUT --data-binary "@$T/p$n.der" "$URL/v1/records/$id"
}
check "before the revoke the demo device is served: 201" test "$(put "$S" kiosk-demo-1)" = 201

revoke() { # NAME CONFIRM: posts the devices page's form as ICT; prints the HTTP code
	oc ict -o "$T/dev.html" "$OURL/devices"
	oc ict -o "$T/rev.html" -w '%{http_code}' --data-urlencode "csrf=$(field csrf "$T/dev.html")" \
		--data-urlencode "name=$1" --data-urlencode "confirm=$2" "$OURL/devices"
}
cp "$CS/devices/revoked.txt" "$T/revoked.before" 2>/dev/null || : >"$T/revoked.before"
check "revoking a device never enrolled: 409" test "$(revoke kiosk-9999 kiosk-9999)" = 409
check "... revoked.txt unchanged" sh -c "cmp -s '$T/revoked.before' '$CS/devices/revoked.txt' || { [ ! -s '$T/revoked.before' ] && [ ! -e '$CS/devices/revoked.txt' ]; }"
check "... and the audit log says it failed" test "$(sqlite3 "$T/cs/office/office.sqlite" "select count(*) from audit where action = 'device-revoke-failed' and target = 'kiosk-9999'")" = 1

check "ICT revokes the demo device without ca.key: 200" test "$(revoke kiosk-demo-1 kiosk-demo-1)" = 200
check "... the page says: refused now, the CRL follows at the CA's renewal" grep -q 'id="revoked" data-revoke="crl-pending" data-device="kiosk-demo-1"' "$T/rev.html"
check "... the table shows it revoked" grep -q 'data-device="kiosk-demo-1" data-revoked="1"' "$T/rev.html"
check "... revoked.txt lists its serial" grep -qi "^$S1 kiosk-demo-1\$" "$CS/devices/revoked.txt"
check "... the audit line: ict, device-revoke, kiosk-demo-1" test "$(sqlite3 "$T/cs/office/office.sqlite" "select user || ' ' || action || ' ' || target from audit where action = 'device-revoke' and target = 'kiosk-demo-1'")" = "ict device-revoke kiosk-demo-1"
check "... its consultant lina is disabled" test "$(jq -r .state "$CS/consultants/lina.json")" = disabled
check "... the other device's consultant bram is still active" test "$(jq -r .state "$CS/consultants/bram.json")" = active
check "the case store refuses the demo device's next PUT: 403" test "$(put "$S" kiosk-demo-1)" = 403
check "... while the second device is still served: 201" test "$(put "$D2" kiosk-0002)" = 201
refuse "the CRL does not list it yet (no CA key where the office runs)" in_crl "$S1"

# the CA's daily renewal, where ca.key is
mv "$T/ca.key.aside" "$T/cs/ca/ca.key"
check "inloopctl crl renew (no --force, the CRL still 90 days valid)" sh -c "'$B/inloopctl' --dir '$T/cs' crl renew >'$T/renew.out'"
check "... re-signed the CRL: it now lists the serial" in_crl "$S1"
check "... in office/ too" sh -c "openssl crl -in '$T/cs/office/crl.pem' -noout -text | tr -d ' ' | grep -qix 'SerialNumber:$S1'"
check "a second crl renew leaves the CRL alone (every serial is in)" sh -c "'$B/inloopctl' --dir '$T/cs' crl renew | grep -q 'not renewed'"

# the registry lock (devices/revoked.lock): the CA and the office never lose each other's line
flock "$CS/devices/revoked.lock" sleep 6.5 & LK=$!
sleep 0.3
cp "$CS/devices/revoked.txt" "$T/revoked.held"
refuse "a revoke that cannot get the registry lock within 5 s gives up" "$B/inloopctl" --dir "$T/cs" revoke kiosk-demo-1
check "... having changed nothing" cmp "$T/revoked.held" "$CS/devices/revoked.txt"
wait $LK
flock "$CS/devices/revoked.lock" sleep 3 & LK=$!
sleep 0.3
t0=$(date +%s%N)
code=$(revoke kiosk-0002 kiosk-0002)
t1=$(date +%s%N)
wait $LK
check "a revoke while another holds the lock for a moment waits for it ($(( (t1 - t0) / 1000000 )) ms)" test $(( (t1 - t0) / 1000000 )) -ge 2000
check "with ca.key readable the office's revoke renews the CRL at once (done)" test "$code" = 200
check "... the page says done" grep -q 'data-revoke="done" data-device="kiosk-0002"' "$T/rev.html"
check "... the CRL lists the second device" in_crl "$S2"
check "... bram is disabled now" test "$(jq -r .state "$CS/consultants/bram.json")" = disabled
c2=$(put "$D2" kiosk-0002)
check "... and the second device is refused too (403, or no TLS handshake now that the CRL lists it): $c2" sh -c "[ $c2 = 403 ] || [ $c2 = 000 ]"
check "no name or phone in the office's log" sh -c "! grep -q -e 0612345678 -e Naam '$OFF_LOG'"
done_testing
