#!/bin/sh
# Issue 9, D1: the case store under connection attacks, on loopback, bounded in count and
# time (a few seconds; 2 cores suffice). A ClientHello dripped one byte at a time is cut
# at the absolute handshake deadline (it does not restart per byte); one address gets no
# more than its per-address cap; a flood of silent connections from 50 addresses does not
# lock a device out (the oldest handshake makes room) and the device's p99 is reported;
# with the fd limit exhausted the listener backs off instead of spinning, logs at most
# once a second with a count, and serves again once the attack ends.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/attack-lib.sh"
pki "$T/cs"
S="$T/cs/device"
GOOD=$S
printf '%s\n' '--handshake-ms 1000 --request-ms 2000 --max-conns 64 --max-conns-per-addr 8' >"$T/limits"
server_start_limits() {
	_srv_n=$((_srv_n + 1)); SRV_LOG="$T/server.$_srv_n.log"
	# shellcheck disable=SC2046
	"$B/inloop-casestore" --dir "$T/cs" --listen 127.0.0.1:0 --quiet $(cat "$T/limits") >"$SRV_LOG" 2>&1 &
	SRV_PID=$!; _sync_pids="$_sync_pids $SRV_PID"
	SRV_PORT=$(_wait_listen "$SRV_LOG" "$SRV_PID"); PORT=$SRV_PORT
	[ -n "$SRV_PORT" ]
}
check "server starts with small caps" server_start_limits
check "... and logs its caps and deadlines" grep -q "connection cap 64 (8 per address), deadlines: handshake 1000 ms" "$SRV_LOG"

A slowloris 8 >"$T/slow"
check "a ClientHello dripped byte by byte is cut (8 of 8)" test "$(val closed slow)" = 8
check "... within the 1 s handshake deadline plus slack, though bytes kept coming" test "$(val last_close_ms slow)" -lt 2200

A peraddr 40 >"$T/addr"
check "40 sockets from one address: at least 32 closed at once (cap 8)" test "$(val closed addr)" -ge 32
check "... and the refusals are logged as one line per second, with a count" grep -q "too many connections from one address.*in the last second" "$SRV_LOG"

A flood 1500 60 >"$T/flood"
sed 's/^/# /' "$T/flood"
echo "# good-client p99 during the flood: $(val good_p99_ms flood) ms (p50 $(val good_p50_ms flood) ms, $(val good flood) requests, $(val attack_connects flood) attack connects)"
check "the device was served throughout the flood (no failed request)" test "$(val good_failed flood)" = 0
check "... at least 20 requests made" test "$(val good flood)" -ge 20
check "... with p99 under 1000 ms (not waiting for the attackers' deadlines)" test "$(val good_p99_ms flood)" -lt 1000
check "the server still runs" kill -0 "$SRV_PID"

# fd exhaustion: the running server's fd limit lowered just above what it holds
emfile_checks "$SRV_PID" "$SRV_LOG"
check "SIGTERM: exit 0" server_stop
done_testing
