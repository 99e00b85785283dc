#!/bin/sh
# A stolen kiosk is revoked (SEAL.md P12): the records it sent BEFORE the revocation are real
# registrations and must still open in the worklist (marked so the team looks twice); a
# record the store received AFTER the revocation is refused with the reason, never dropped;
# a tampered crl.pem is refused outright (it must neither revoke nor clear a device).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
cat >"$T/a.json" <<JSON
{"crisis":["none"],"name":"Revoked Later","contact":"come_back",
 "postcode":"1234AB","house_number":"12","privacy_read":true}
JSON
check "submit" "$B/inloop" --state "$S" submit "$T/a.json"
check "server starts" server_start "$T/cs"
check "sync" "$B/inloop" --state "$S" sync --url "$URL"
server_stop
sleep 1.2   # the revocation lands in a later second than the receipt
check "revoke the device (stolen)" "$B/inloopctl" --dir "$T/cs" revoke kiosk-demo-1
L() { "$B/inloopctl" --dir "$T/cs" "$@"; }

L list >"$T/l1" 2>&1
check "its earlier record still opens: 1 record, 0 not opened" grep -q "^WORKLIST: 1 records, .* 0 not opened" "$T/l1"
check "... listed with the resident's name" grep -q "Revoked Later" "$T/l1"
check "... and marked: device revoked after it arrived" grep -q "revoked after this record arrived" "$T/l1"
id=$(sqlite3 -readonly "$T/cs/casestore/store.sqlite" 'SELECT id FROM records')
check "show opens it too, with the note" sh -c "'$B/inloopctl' --dir '$T/cs' show '$id' | grep -q 'revoked after this record arrived'"
sqlite3 -readonly "$T/cs/casestore/store.sqlite" "SELECT writefile('$T/rec.der', body) FROM records" >/dev/null
check "the stored envelope is extracted" test -s "$T/rec.der"
refuse "inloopctl open (judged now) refuses it" L open "$T/rec.der"
check "... saying certificate revoked" sh -c "'$B/inloopctl' --dir '$T/cs' open '$T/rec.der' 2>&1 | grep -q 'certificate revoked'"

# The same envelope as if received after the revocation: refused, listed apart with why.
sqlite3 "$T/cs/casestore/store.sqlite" "UPDATE records SET received_at = strftime('%s','now') + 5"
L list >"$T/l2" 2>&1
check "received after the revocation: listed apart, not dropped" grep -q "^WORKLIST: 0 records, .* 1 not opened" "$T/l2"
check "... with the reason: certificate revoked before it was received" \
	grep -q "certificate revoked on .* before the record was received" "$T/l2"
refuse "... and the name is not shown" grep -q "Revoked Later" "$T/l2"
check "stats with no openable record" L stats
check "CSV export with no openable record" L export --format csv

# A tampered CRL (one byte of its signature flipped) is refused at load.
sqlite3 "$T/cs/casestore/store.sqlite" "UPDATE records SET received_at = 0"
openssl crl -in "$T/cs/casestore/crl.pem" -outform DER -out "$T/crl.der"
n=$(stat -c %s "$T/crl.der")
printf '\001' | dd of="$T/crl.der" bs=1 seek=$((n - 3)) conv=notrunc 2>/dev/null
openssl crl -inform DER -in "$T/crl.der" -out "$T/cs/office/crl.pem" 2>/dev/null
refuse "a tampered crl.pem is refused (list fails with a clear error)" L list
check "... naming the CRL" sh -c "'$B/inloopctl' --dir '$T/cs' list 2>&1 | grep -q 'not a PEM CRL signed by the CA'"
done_testing
