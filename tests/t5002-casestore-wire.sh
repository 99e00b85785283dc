#!/bin/sh
# The case-store server on the wire (DESIGN.md "The wire"), driven with the curl CLI as a
# device: 201 once durable, 200 for the same bytes again, 409 for other bytes under the
# same id, 400 for garbage or a bad id, 413 above the size limit, 405 for other methods;
# no client certificate, a certificate from another CA, a certificate of this CA that is
# not enrolled, and a revoked device (revoked while the server runs) are refused. Nothing
# is stored twice or changed by a refused request.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
check "two records in the device outbox" "$B/tests/mkrecords" "$S" 2
ids=$(sqlite3 -readonly "$S/outbox.sqlite" 'SELECT id FROM outbox ORDER BY seq')
id1=$(echo "$ids" | sed -n 1p); id2=$(echo "$ids" | sed -n 2p)
"$B/inloop" --state "$S" outbox --dump "$id1" >"$T/e1.der"
"$B/inloop" --state "$S" outbox --dump "$id2" >"$T/e2.der"
check "server starts" server_start "$T/cs"
R="$URL/v1/records"
put() { curl_dev "$S" -X PUT --data-binary "@$2" "$R/$1"; }
stored_hex() { sqlite3 -readonly "$(store_db "$T/cs")" "SELECT hex(body) FROM records WHERE id='$1'"; }

check "a new envelope gets 201" test "$(put "$id1" "$T/e1.der")" = 201
check "the same bytes again get 200" test "$(put "$id1" "$T/e1.der")" = 200
check "other bytes under the same id get 409" test "$(put "$id1" "$T/e2.der")" = 409
check "... and the stored bytes are the first ones" test "$(stored_hex "$id1")" = "$(od -An -v -tx1 "$T/e1.der" | tr -d ' \n' | tr a-f A-F)"
check "the store holds the record once, with the device and size" \
	test "$(sqlite3 -readonly "$(store_db "$T/cs")" "SELECT count(*), device, size FROM records WHERE id='$id1'")" = "1|kiosk-demo-1|$(wc -c <"$T/e1.der" | tr -d ' ')"
head -c 3000 /dev/urandom >"$T/garbage"
check "a garbage body gets 400" test "$(put "$id2" "$T/garbage")" = 400
check "a JSON body gets 400" test "$(printf '{"name":"x"}' >"$T/j"; put "$id2" "$T/j")" = 400
check "an empty body gets 400" test "$(: >"$T/empty"; put "$id2" "$T/empty")" = 400
check "a bad record id gets 400" test "$(put "not-a-uuid" "$T/e2.der")" = 400
check "an upper-case id gets 400 (one spelling per record)" test "$(put "$(echo "$id2" | tr a-f A-F)" "$T/e2.der")" = 400
head -c 300000 /dev/urandom >"$T/big"
check "a 300 KB body gets 413" test "$(put "$id2" "$T/big")" = 413
check "DELETE of a record gets 405 (records are never deleted by a device)" test "$(curl_dev "$S" -X DELETE "$R/$id1")" = 405
check "an unknown path gets 404" test "$(curl_dev "$S" -X PUT --data-binary "@$T/e2.der" "$URL/v2/x/$id2")" = 404
check "none of the refused bodies was stored" test "$(store_rows "$T/cs")" = 1
check "GET of its own record gives the envelope back" sh -c "curl -s --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' '$R/$id1' | cmp -s - '$T/e1.der'"
check "GET of an absent record gets 404" test "$(curl_dev "$S" "$R/$id2")" = 404

# Identities. A rogue CA with a device of the same name; a device of our CA never enrolled;
# a second certificate for the enrolled name that is not the one in the registry.
cat >"$T/ext.cnf" <<'CNF'
[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
[dev]
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
CNF
mkcert() { # NAME CN CA-PEM CA-KEY
	openssl ecparam -name prime256v1 -genkey -noout -out "$T/$1.key" 2>/dev/null
	openssl req -new -key "$T/$1.key" -subj "/O=Gemeente/CN=$2" -out "$T/$1.csr" 2>/dev/null
	openssl x509 -req -in "$T/$1.csr" -CA "$3" -CAkey "$4" -CAcreateserial -days 30 \
		-extfile "$T/ext.cnf" -extensions dev -out "$T/$1.pem" 2>/dev/null
}
openssl ecparam -name prime256v1 -genkey -noout -out "$T/rogue.key" 2>/dev/null
openssl req -new -x509 -key "$T/rogue.key" -subj "/CN=Rogue CA" -days 30 -extensions ca -config /dev/null \
	-extfile "$T/ext.cnf" -out "$T/rogue.pem" 2>/dev/null ||
	openssl req -new -x509 -key "$T/rogue.key" -subj "/CN=Rogue CA" -days 30 -out "$T/rogue.pem"
mkcert evil kiosk-demo-1 "$T/rogue.pem" "$T/rogue.key"
mkcert ghost kiosk-ghost "$T/cs/casestore/ca.pem" "$T/cs/ca/ca.key"
mkcert twin kiosk-demo-1 "$T/cs/casestore/ca.pem" "$T/cs/ca/ca.key"
as() { curl -s -o /dev/null -w '%{http_code}' --cacert "$T/cs/casestore/ca.pem" --cert "$T/$1.pem" --key "$T/$1.key" \
	-H 'Expect:' -H 'Content-Type: application/pkcs7-mime' -X PUT --data-binary "@$T/e2.der" "$R/$id2"; }
refuse "no client certificate: refused in the handshake" curl -sf --cacert "$T/cs/casestore/ca.pem" -X PUT --data-binary "@$T/e2.der" "$R/$id2"
refuse "no client certificate, TLS 1.2: refused" curl -sf --tls-max 1.2 --cacert "$T/cs/casestore/ca.pem" -X PUT --data-binary "@$T/e2.der" "$R/$id2"
refuse "a device of another CA (same name): refused in the handshake" test "$(as evil)" = 201
check "... the server logs the verify error" grep -q "handshake refused: certificate verify error" "$SRV_LOG"
check "a device of our CA that was never enrolled gets 403" test "$(as ghost)" = 403
check "a second certificate for an enrolled name (not the registered one) gets 403" test "$(as twin)" = 403
check "nothing was stored by them" test "$(store_rows "$T/cs")" = 1

# Revocation while the server runs: the next connection is refused, without a restart.
check "before revocation the device is served" test "$(put "$id2" "$T/e2.der")" = 201
check "inloopctl revoke" "$B/inloopctl" --dir "$T/cs" revoke kiosk-demo-1
refuse "after revocation the next connection is refused" test "$(put "$id1" "$T/e1.der")" = 200
check "... the server reloaded the CRL" grep -q "revocation list reloaded" "$SRV_LOG"
check "... and logged the revoked certificate" grep -q "verify error 23" "$SRV_LOG"
check "the server still runs (no restart)" kill -0 "$SRV_PID"
check "the store holds two records" test "$(store_rows "$T/cs")" = 2
refuse "no log line holds record content (a name)" grep -q "Test Persoon" "$SRV_LOG"
check "SIGTERM: exit 0" server_stop
done_testing
