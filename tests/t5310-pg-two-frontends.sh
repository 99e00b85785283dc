#!/bin/sh
# Two case-store front-ends on one PostgreSQL: the same record sent through both at the
# same moment is stored once, decided by the database: the same bytes get one 201 and
# one 200, other bytes under the same id one 201 and one 409 (its twin), and the stored
# bytes are those of the 201. A GET through either front-end gives them back. Then again
# with one connection per front-end, so the PUTs queue and are committed in groups (group
# commit): the same answers, none lost or mixed up.
. "$(dirname "$0")/lib.sh"
INLOOP_TEST_STORE=pg
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
round() { # N [hold]: round N, 60 new records, 50 sent through both front-ends at once, the answers checked
	check "60 records in the outbox" "$B/tests/mkrecords" "$S" 60
	sqlite3 -readonly "$S/outbox.sqlite" 'SELECT id FROM outbox ORDER BY seq' >"$T/ids"
	i=0
	while read -r id; do
		i=$((i + 1))
		"$B/inloop" --state "$S" outbox --dump "$id" >"$T/e$i.der"
	done <"$T/ids"
	sqlite3 "$S/outbox.sqlite" 'DELETE FROM outbox'   # the next round makes its own
	SRV_QUIET=1
	check "front-end 1 starts" server_start "$T/cs"
	U1=$URL FE1=$SRV_PID
	check "front-end 2 starts (same folder, same database)" server_start "$T/cs"
	U2=$URL
	put() { curl_dev "$S" -X PUT --data-binary "@$3" "$1/v1/records/$2" >"$4"; }

	# round 2: a table lock holds the one worker of each front-end for a moment, so the
	# PUTs arriving meanwhile wait in its queue and are committed together
	[ "${2:-}" = hold ] && { pg_sql main "BEGIN; LOCK TABLE inloop.records IN SHARE ROW EXCLUSIVE MODE;
		SELECT pg_sleep(1.5); COMMIT" >/dev/null & lockpid=$!; sleep 0.3; }
	# 1..40: the same bytes through both at once; 41..50: other bytes (those of 51..60) via U2
	i=0
	while read -r id; do
		i=$((i + 1))
		[ $i -gt 50 ] && break
		other=$i; [ $i -gt 40 ] && other=$((i + 10))
		put "$U1" "$id" "$T/e$i.der" "$T/c1.$i" &
		pids="${pids:-} $!"
		put "$U2" "$id" "$T/e$other.der" "$T/c2.$i" &
		pids="$pids $!"
		[ $((i % 10)) -eq 0 ] && { wait $pids; pids=""; }
	done <"$T/ids"
	[ -n "${pids:-}" ] && wait $pids
	[ "${2:-}" = hold ] && wait $lockpid
	pair() { i=$1; cat "$T/c1.$i" "$T/c2.$i" | tr -d '\n' | fold -w3 | sort | tr '\n' ' '; }
	same=0; other=0; bad=""
	for i in $(seq 1 50); do
		p=$(pair $i)
		if [ $i -le 40 ] && [ "$p" = "200 201 " ]; then same=$((same + 1))
		elif [ $i -gt 40 ] && [ "$p" = "201 409 " ]; then other=$((other + 1))
		else bad="$bad $i:$p"; fi
	done
	check "the same bytes through two front-ends: one 201 and one 200, for all 40" test "$same" = 40
	check "other bytes under the same id: one 201 and one 409, for all 10" test "$other" = 10
	[ -z "$bad" ] || echo "# unexpected pairs:$bad"
	check "the store holds each of the $((50 * $1)) ids once" test "$(store_rows "$T/cs")" = $((50 * $1))
	# the stored bytes are those the 201 went with
	won=0; i=0
	while read -r id; do
		i=$((i + 1)); [ $i -le 40 ] && continue; [ $i -gt 50 ] && break
		if [ "$(cat "$T/c1.$i")" = 201 ]; then f="$T/e$i.der"; else f="$T/e$((i + 10)).der"; fi
		curl -s --cacert "$S/ca.pem" --cert "$S/device.pem" --key "$S/device.key" "$U2/v1/records/$id" | cmp -s - "$f" && won=$((won + 1))
	done <"$T/ids"
	check "a GET gives back the bytes of the 201, for all 10 contested ids" test "$won" = 10
	check "SIGTERM to both" sh -c "kill -TERM $FE1 && kill -TERM $SRV_PID"
	wait $FE1 $SRV_PID
}
round 1
SRV_ARGS="--store-conns 1"   # one worker per front-end: the PUTs queue, and go in groups
round 2 hold
check "with one connection per front-end the PUTs were committed in groups" sh -c "cat '$T'/server.*.log | grep -q 'PUTs committed in [1-9][0-9]* group commits'"
server_log | sed -n 's/^case store: \([0-9]* PUTs committed in .*\)/# \1/p'
done_testing
