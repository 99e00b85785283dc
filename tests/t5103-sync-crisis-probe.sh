#!/bin/sh
# A crisis record reaches the case store within seconds of the store coming back, even
# after a long outage (issue 8): the kiosk's uploader caps a crisis row's backoff at 3 s,
# so a store restarted on the same network (no network event: loopback) is found on the
# next probe. Negative twin: an ordinary row keeps its long backoff (no hammering).
# And the uploader's waits run on CLOCK_MONOTONIC: with the wall clock stepped back an hour
# while it waits (NTP), the crisis row still leaves within seconds (see uploadwait.c for
# how the step is made).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
server_start "$T/cs" || { echo "not ok 1 - case store starts"; echo "1..1"; exit 1; }
PORT=$SRV_PORT
server_stop
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"https://127.0.0.1:$PORT\"|" "$S/config.json"

ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_attempts N: until the outbox row has failed N times (up to 10 s)
wait_attempts() {
	i=0
	while [ $i -lt 200 ]; do
		[ "$(outbox_rows "$S" "attempts >= $1")" -ge 1 ] && return 0
		sleep 0.05; i=$((i + 1))
	done
	return 1
}
# stored_within MS: the store holds one more record within MS of now; prints the ms taken
stored_within() {
	t0=$(ms)
	while [ $(($(ms) - t0)) -lt "$1" ]; do
		[ "$(store_rows "$T/cs" 2>/dev/null || echo 0)" -gt "$before" ] && { echo $(($(ms) - t0)); return 0; }
		sleep 0.05
	done
	return 1
}
# round NAME CRISIS_EVERY ATTEMPTS FAILS [uploadwait options]: one row, failed ATTEMPTS
# times already (a long outage), the uploader running with the store down until it failed
# FAILS more times; then the store is back.
round() {
	name=$1; every=$2; aged=$3; fails=$4; shift 4
	sqlite3 "$S/outbox.sqlite" "DELETE FROM outbox" 2>/dev/null
	"$B/tests/mkrecords" "$S" 1 "$every" >/dev/null
	sqlite3 "$S/outbox.sqlite" "UPDATE outbox SET attempts = $aged, next_attempt_at = 0"
	"$B/tests/uploadwait" "$S" 15 "$@" >"$T/up-$name.out" 2>&1 &
	up=$!
	wait_attempts $((aged + fails)) || echo "# $name: the uploader never tried"
	sleep 0.5
	before=$(store_rows "$T/cs" 2>/dev/null || echo 0)
	server_start "$T/cs" "$PORT"
}

round crisis 1 12 1
took=$(stored_within 5000) && ok "crisis row after a long outage: stored ${took} ms after the store is back (< 5 s)" ||
	not_ok "crisis row after a long outage: not stored within 5 s of the store coming back"
server_stop; wait $up

round plain 0 12 1
refuse "an ordinary row keeps its long backoff: not retried within 5 s" stored_within 5000
check "... and it waits safely in the outbox" test "$(outbox_rows "$S" 'held = 0')" = 1
server_stop; kill -TERM $up 2>/dev/null; wait $up 2>/dev/null

round wallstep 1 0 3 --wall-step 3600   # the waits after the 3rd failure start after the step
took=$(stored_within 5000) && ok "wall clock stepped back 1 h: crisis row still stored in ${took} ms (< 5 s)" ||
	not_ok "wall clock stepped back 1 h: the crisis row was not stored within 5 s"
server_stop; wait $up
sed "s/^/# /" "$T"/up-*.out
done_testing
