#!/bin/sh
# Issue 9 D1, D9, D10 against the web office's own HTTPS listener (build/inloop-office faces
# the municipality's network), on loopback, bounded in count and time: TLS 1.2 offers AEAD
# suites only (a CBC-only client is refused, its GCM twin served) and no TLS 1.0/1.1; a
# ClientHello dripped byte by byte is cut at the absolute 5 s handshake deadline; under
# `ulimit -n 300` the cap stays 200 below the fd limit and a flood of silent sockets from 50
# addresses does not lock a browser out (its p99 is reported), nor do 150 connections that
# finish TLS (no client certificate needed here) and then send nothing; with the fd limit exhausted
# the listener backs off instead of spinning and logs once a second; two different
# Content-Lengths, or Content-Length with Transfer-Encoding, get 400 and the connection
# closes; a body over the limit gets 413 and the connection closes at once.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/attack-lib.sh"
pki "$T/cs"
CA="$T/cs/ca/ca.pem"
GOOD=$CA
check "fixture: a store and the office certificate" sh -c "'$B/inloop-office' --dir '$T/cs' setup >/dev/null"
SRV_QUIET=1 server_start "$T/cs/casestore" && server_stop   # creates the (empty) store
OFF_LOG="$T/office.log"
(ulimit -n 300 && exec "$B/inloop-office" --dir "$T/cs" --listen 127.0.0.1:0) >"$OFF_LOG" 2>&1 &
OFF_PID=$!; _sync_pids="$_sync_pids $OFF_PID"
PORT=$(_wait_listen "$OFF_LOG" "$OFF_PID")
check "the office listens under ulimit -n 300" test -n "$PORT"
check "... its cap is 200 below the fd limit, and it has deadlines" grep -q "connection cap 100 (192 per address), deadlines: handshake 5000 ms" "$OFF_LOG"
tls() { echo | timeout 5 openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$CA" "$@" 2>&1 | grep -q "^New, TLSv"; }   # "New, (NONE)" when refused

refuse "a TLS 1.2 client offering only CBC suites (HMAC-SHA1/SHA2) is refused" tls -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA:AES128-SHA'
check "... its twin offering AES-GCM is served" tls -tls1_2 -cipher 'ECDHE-ECDSA-AES128-GCM-SHA256'
check "... and one offering ChaCha20-Poly1305" tls -tls1_2 -cipher 'ECDHE-ECDSA-CHACHA20-POLY1305'
refuse "TLS 1.0 is refused" tls -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
refuse "TLS 1.1 is refused" tls -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'

A framing >"$T/framing"
sed 's/^/# /' "$T/framing"
check "two different Content-Lengths: 400 and the connection closes" test "$(val two_lengths framing)" = 400,closed
check "... the same Content-Length twice is no error (RFC 9112)" test "$(val same_length_twice framing)" = 303,open
check "... nor one Content-Length" test "$(val one_length framing)" = 303,open
check "Content-Length with Transfer-Encoding: 400 and closed" test "$(val length_and_chunked framing)" = 400,closed
check "a body announced over the limit: 413 and closed at once" test "$(val over_limit framing)" = 413,closed

A slowloris 4 7.0 >"$T/slow"
check "a ClientHello dripped byte by byte is cut (4 of 4)" test "$(val closed slow)" = 4
check "... at the 5 s handshake deadline, though bytes kept coming" test "$(val last_close_ms slow)" -lt 6500

A flood 600 60 >"$T/flood"
sed 's/^/# /' "$T/flood"
echo "# browser p99 during the flood: $(val good_p99_ms flood) ms (p50 $(val good_p50_ms flood) ms, $(val good flood) requests, $(val attack_connects flood) attack connects)"
check "a browser was served throughout the flood (no failed request)" test "$(val good_failed flood)" = 0
check "... at least 20 requests made" test "$(val good flood)" -ge 20
check "... with p99 under 1000 ms" test "$(val good_p99_ms flood)" -lt 1000
check "... the cap was reached and the oldest handshakes made room" grep -q "connection cap reached: the oldest handshake made room" "$OFF_LOG"

A tlsidle 150 20 >"$T/idle"
sed 's/^/# /' "$T/idle"
check "150 connections that finish TLS and then stay silent: a browser is still served" test "$(val good_failed idle)" = 0
check "... the oldest idle connection made room for it (cap 100)" grep -q "connection cap reached: the oldest idle connection made room" "$OFF_LOG"

emfile_checks "$OFF_PID" "$OFF_LOG"
kill -TERM "$OFF_PID"; wait "$OFF_PID"; rc=$?
check "SIGTERM: the office stops with exit 0" test "$rc" = 0
done_testing
