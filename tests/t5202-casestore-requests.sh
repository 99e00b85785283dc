#!/bin/sh
# Issue 9: the case store's checks per request.
#  D2  a keep-alive connection opened before `inloopctl revoke` gets 403 right after it
#      (the registry verdict is re-checked when the registry changes); twin: without the
#      revocation the same connection is served.
#  D8  a PUT that is not application/pkcs7-mime gets 415; an envelope already stored
#      under another id gets 409 (a replay under a made-up id); a device above the
#      configured rate gets 429 with Retry-After; twins for each.
#  D9  TLS 1.2 offers only ECDHE-ECDSA with AES-GCM or ChaCha20-Poly1305: CBC suites are
#      refused (openssl s_client -cipher), an AEAD suite connects.
#  D10 two different Content-Length headers get 400 (twin: the same one twice is served);
#      a body announced over the limit gets 413 at once and the connection closes without
#      the body being read to its end.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
check "five records in the device outbox" "$B/tests/mkrecords" "$S" 5
i=0
for id in $(sqlite3 -readonly "$S/outbox.sqlite" 'SELECT id FROM outbox ORDER BY seq'); do
	i=$((i + 1)); eval "id$i=$id"
	"$B/inloop" --state "$S" outbox --dump "$id" >"$T/e$i.der"
done
W() { ph=$1; shift; python3 "$TOP/tests/casestore_wire.py" "$ph" "$SRV_PORT" "$S" "$@" 2>&1; }
val() { sed -n "s/^$1=//p" "$T/$2"; }
SRV_QUIET=1
check "server starts" server_start "$T/cs"
R="$URL/v1/records"
put_ct() { curl -s -o /dev/null -w '%{http_code}' --cacert "$S/ca.pem" --cert "$S/device.pem" --key "$S/device.key" \
	-H 'Expect:' -H "Content-Type: $1" -X PUT --data-binary "@$3" "$R/$2"; }

# D8: Content-Type, a replay under another id
check "a PUT as text/plain gets 415" test "$(put_ct text/plain "$id1" "$T/e1.der")" = 415
check "a PUT with no media type of ours (curl's form default) gets 415" \
	test "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$S/ca.pem" --cert "$S/device.pem" --key "$S/device.key" -X PUT --data-binary "@$T/e1.der" "$R/$id1")" = 415
check "... the same as application/pkcs7-mime gets 201 (twin)" test "$(put_ct 'application/pkcs7-mime; smime-type=authEnveloped-data' "$id1" "$T/e1.der")" = 201
check "the stored envelope under a made-up id gets 409" test "$(put_ct application/pkcs7-mime 0f0f0f0f-1111-4222-8333-444444444444 "$T/e1.der")" = 409
check "... under its own id again 200 (twin)" test "$(put_ct application/pkcs7-mime "$id1" "$T/e1.der")" = 200
check "... and the made-up id was not stored" test "$(store_rows "$T/cs")" = 1
check "... the server logged the replay" grep -q "same envelope is stored under another id" "$SRV_LOG"

# D10: framing and the early 413
W framing "$id2" "$T/e2.der" 1 >"$T/fr1"
check "two different Content-Length headers get 400" test "$(val status fr1)" = 400
W framing "$id2" "$T/e2.der" 0 >"$T/fr0"
check "... the same Content-Length twice is served (201, twin)" test "$(val status fr0)" = 201
W oversize "$id3" 50000000 >"$T/big"
sed 's/^/# /' "$T/big"
check "a body announced at 50 MB gets 413" test "$(val status big)" = 413
check "... at once (under 1 s), not after reading the body" test "$(val ms big)" -lt 1000
check "... and the connection is closed right after" test "$(val closed big)" = 1
W oversize "$id3" 2000 >"$T/small"
refuse "a body announced at 2000 bytes but not sent is not answered early (twin)" test "$(val status small)" = 413

# D9: TLS 1.2 suites
sc() { echo | timeout 10 openssl s_client -connect "127.0.0.1:$SRV_PORT" -tls1_2 -cipher "$1" \
	-CAfile "$S/ca.pem" -cert "$S/device.pem" -key "$S/device.key" 2>&1; }
suite_is() { sc "$1" | grep -q "Cipher is $1"; }
for c in ECDHE-ECDSA-AES128-SHA256 ECDHE-ECDSA-AES256-SHA384 ECDHE-ECDSA-AES128-SHA ECDHE-ECDSA-AES256-SHA; do
	refuse "TLS 1.2 with the CBC suite $c is refused" suite_is "$c"
done
for c in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-CHACHA20-POLY1305; do
	check "TLS 1.2 with the AEAD suite $c connects (twin)" suite_is "$c"
done

# D2: a keep-alive connection and inloopctl revoke
W keepalive "$id4" "$T/e4.der" "$id4" "$T/e4.der" >"$T/ka0"
check "keep-alive without a revocation: 201 then 200 (twin)" test "$(val first ka0) $(val second ka0)" = "201 200"
W keepalive "$id5" "$T/e5.der" "$id3" "$T/e3.der" "$B/inloopctl" --dir "$T/cs" revoke kiosk-demo-1 >"$T/ka1"
sed 's/^/# /' "$T/ka1"
check "keep-alive: the PUT before the revocation gets 201" test "$(val first ka1)" = 201
check "... the PUT right after it, on the same connection, gets 403" test "$(val second ka1)" = 403
check "... it was the same connection" test "$(val same_connection ka1)" = 1
check "... and that record was not stored" test "$(sqlite3 -readonly "$T/cs/casestore/store.sqlite" "SELECT count(*) FROM records WHERE id='$id3'")" = 0
check "SIGTERM: exit 0" server_stop

# D8: the per-device rate
_srv_n=$((_srv_n + 1)); SRV_LOG="$T/server.$_srv_n.log"
pki "$T/cs2"; S="$T/cs2/device"
"$B/tests/mkrecords" "$S" 4 >/dev/null
# One PUT each 5 s after a burst of 3: a loaded machine (each PUT a TLS handshake) cannot
# let the bucket refill between the four PUTs, so the fourth is refused by the rate alone.
"$B/inloop-casestore" --dir "$T/cs2" --listen 127.0.0.1:0 --rate 0.2 --burst 3 >"$SRV_LOG" 2>&1 &
SRV_PID=$!; _sync_pids="$_sync_pids $SRV_PID"; SRV_PORT=$(_wait_listen "$SRV_LOG" "$SRV_PID"); R="https://127.0.0.1:$SRV_PORT/v1/records"
check "a server with --rate 0.2 --burst 3 starts" test -n "$SRV_PORT"
ids=$(sqlite3 -readonly "$S/outbox.sqlite" 'SELECT id FROM outbox ORDER BY seq')
for id in $ids; do "$B/inloop" --state "$S" outbox --dump "$id" >"$T/r-$id.der"; done
codes=""
for id in $ids; do codes="$codes $(put_ct application/pkcs7-mime "$id" "$T/r-$id.der")"; done
check "the first three PUTs inside the burst are served (twin)" test "$(echo $codes | cut -d' ' -f1-3)" = "201 201 201"
check "the fourth, above the rate, gets 429" test "$(echo $codes | cut -d' ' -f4)" = 429
check "... with a Retry-After of at least 1 s" sh -c "curl -s -D - -o /dev/null --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' -H 'Content-Type: application/pkcs7-mime' -X PUT --data-binary '@$T/r-$id.der' '$R/$id' | tr -d '\r' | grep -qi '^retry-after: [1-9]'"
sleep 5.5
check "... and after waiting it is served" test "$(put_ct application/pkcs7-mime "$id" "$T/r-$id.der")" = 201
check "SIGTERM: exit 0" server_stop
done_testing
