#!/bin/sh
# The kiosk's uploader wakes when the network comes back (issue 8, PLATFORM.md §4): a real
# rtnetlink event, made in a private network namespace. The uploader's namespace reaches
# the case store, in a second namespace, over a veth pair through the project's fault
# proxy (the store's certificate is for 127.0.0.1). The crisis row has failed for an hour
# (next try in 50 min); link down, nothing moves; link up: it is stored within 5 s.
# Where no namespace can be made (no unshare, no veth), the same wake path is driven through
# upload_network_changed (what the watcher calls) and the test says so.
ns=-n; [ "$(id -u)" = 0 ] || ns=-rn   # non-root: a user namespace too (PLATFORM.md §4)
if [ -z "${T5102_IN_NS:-}" ] && command -v unshare >/dev/null && command -v nsenter >/dev/null &&
   command -v ip >/dev/null && unshare $ns true 2>/dev/null; then
	T5102_IN_NS=1 exec unshare $ns sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
ms() { echo $(($(date +%s%N) / 1000000)); }
aged_crisis_row() {
	sqlite3 "$S/outbox.sqlite" "DELETE FROM outbox" 2>/dev/null
	"$B/tests/mkrecords" "$S" 1 1 >/dev/null
	sqlite3 "$S/outbox.sqlite" "UPDATE outbox SET attempts = 12, next_attempt_at = strftime('%s','now') + 3000"
}
stored_within() { # MS
	t0=$(ms)
	while [ $(($(ms) - t0)) -lt "$1" ]; do
		[ "$(store_rows "$T/cs" 2>/dev/null || echo 0)" -ge 1 ] && { echo $(($(ms) - t0)); return 0; }
		sleep 0.02
	done
	return 1
}

netns_setup() {
	ip link set lo up || return 1
	unshare -n sleep 600 &
	PEER=$!
	_sync_pids="$_sync_pids $PEER"
	sleep 0.1
	ip link add va type veth peer name vb netns "$PEER" 2>"$T/veth.err" || return 1
	nsenter --preserve-credentials -t "$PEER" -n sh -c 'ip link set lo up && ip addr add 10.200.0.1/24 dev vb && ip link set vb up' &&
	ip addr add 10.200.0.2/24 dev va && ip link set va up
}

if [ -n "${T5102_IN_NS:-}" ] && netns_setup; then
	# the case store in the peer namespace, the proxy here on 127.0.0.1
	nsenter --preserve-credentials -t "$PEER" -n "$B/inloop-casestore" --dir "$T/cs/casestore" --listen 10.200.0.1:0 >"$T/srv.log" 2>&1 &
	SRV=$!; _sync_pids="$_sync_pids $SRV"
	SPORT=$(_wait_listen "$T/srv.log" "$SRV")
	"$B/tests/faultproxy" --store "$T/cs/casestore" --device "$S" --to "10.200.0.1:$SPORT" 2>"$T/proxy.log" &
	PX=$!; _sync_pids="$_sync_pids $PX"
	PXPORT=$(_wait_listen "$T/proxy.log" "$PX")
	check "case store across the veth, proxy on loopback" test -n "$SPORT" -a -n "$PXPORT"
	sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"https://127.0.0.1:$PXPORT\"|" "$S/config.json"
	ip link set va down
	aged_crisis_row
	"$B/tests/uploadwait" "$S" 20 >"$T/up.out" 2>&1 &
	up=$!
	sleep 2
	check "link down: the crisis row waits in the outbox" test "$(outbox_rows "$S" 'held = 0')" = 1
	check "... nothing reached the store" test "$(store_rows "$T/cs" 2>/dev/null || echo 0)" = 0
	ip link set va up
	took=$(stored_within 5000) && ok "link up (netlink): the crisis row is stored in ${took} ms (< 5 s)" ||
		not_ok "link up (netlink): the crisis row was not stored within 5 s"
	wait $up
	check "... and leaves the outbox" test "$(outbox_rows "$S")" = 0
	sed 's/^/# /' "$T/up.out"
else
	[ -n "${T5102_IN_NS:-}" ] && ip link set lo up 2>/dev/null   # in a namespace without a veth
	ok "# SKIP no network namespace here ($(cat "$T/veth.err" 2>/dev/null)); the wake path via upload_network_changed follows"
	server_start "$T/cs" || not_ok "case store starts"
	sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"$URL\"|" "$S/config.json"
	aged_crisis_row
	"$B/tests/uploadwait" "$S" 20 --network-changed-after 2000 >"$T/up.out" 2>&1 &
	up=$!
	sleep 1.5
	check "no change yet: the crisis row waits (next try in 50 min)" test "$(store_rows "$T/cs")" = 0
	took=$(stored_within 5000) && ok "network changed: the crisis row is stored within 5 s (${took} ms)" ||
		not_ok "network changed: the crisis row was not stored within 5 s"
	wait $up
	server_stop
fi
done_testing
