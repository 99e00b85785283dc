#!/bin/sh
# Never 201 without a durable commit. PostgreSQL stopped under a running front-end: a PUT
# gets 503 with Retry-After, and once PostgreSQL is back the front-end reconnects by
# itself and the retry gets 201. A commit that waits for a synchronous standby which
# never answers, cancelled (committed locally, "WARNING: canceling wait for synchronous
# replication"): 503, not 201; the device's retry then finds the row (200). PostgreSQL
# SIGKILLed while a PUT is in flight: its INSERT waiting on a lock another session holds
# gets 503, nothing of it stored, and the retry 201; its commit on disk but waiting for a
# synchronous standby gets 503 too, and the retry finds the row (200). Each record once.
. "$(dirname "$0")/lib.sh"
INLOOP_TEST_STORE=pg
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
check "five records in the outbox" "$B/tests/mkrecords" "$S" 5
sqlite3 -readonly "$S/outbox.sqlite" 'SELECT id FROM outbox ORDER BY seq' >"$T/ids"
i=0
while read -r id; do
	i=$((i + 1)); eval "id$i=$id"
	"$B/inloop" --state "$S" outbox --dump "$id" >"$T/e$i.der"
done <"$T/ids"
check "server starts" server_start "$T/cs"
put() { curl_dev "$S" -D "$T/h" -X PUT --data-binary "@$T/e$2.der" "$URL/v1/records/$1"; }
waiting() { # WAIT_EVENT: once a backend waits on it (up to 10 s)
	n=0
	while [ $n -lt 100 ]; do
		[ "$(pg_sql main "SELECT count(*) FROM pg_stat_activity WHERE wait_event = '$1'")" -ge 1 ] && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}
check "PostgreSQL up: 201" test "$(put "$id1" 1)" = 201

check "PostgreSQL stopped" pg_stop main
check "a PUT meanwhile gets 503" test "$(put "$id2" 2)" = 503
check "... with Retry-After" grep -qi "^Retry-After: [0-9]" "$T/h"
check "... and the front-end still runs" kill -0 "$SRV_PID"
check "PostgreSQL started again" pg_start main
got=""; n=0
while [ $n -lt 50 ]; do got=$(put "$id2" 2); [ "$got" = 201 ] && break; sleep 0.2; n=$((n + 1)); done
check "the front-end reconnected by itself: the retry gets 201" test "$got" = 201
check "... it said so in its log" grep -q "lost the PostgreSQL connection\|connected to PostgreSQL" "$SRV_LOG"

# A synchronous standby that never answers; the waiting commit is cancelled.
pg_sql main "ALTER SYSTEM SET synchronous_standby_names = 'nobody'" >/dev/null
pg_sql main "SELECT pg_reload_conf()" >/dev/null
put "$id3" 3 >"$T/c3" &
CP=$!
n=0
while [ $n -lt 100 ]; do
	w=$(pg_sql main "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'")
	[ "$w" = 1 ] && break; sleep 0.1; n=$((n + 1))
done
check "the put waits for the standby (no answer yet)" sh -c "test '$w' = 1 && kill -0 $CP"
pg_sql main "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event = 'SyncRep'" >/dev/null
wait $CP
check "the cancelled wait (committed only locally) gets 503, not 201" test "$(cat "$T/c3")" = 503
check "... the front-end saw PostgreSQL's warning" grep -q "PostgreSQL warning 01000" "$SRV_LOG"
check "... the row is there (local commit)" test "$(pg_sql main "SELECT count(*) FROM inloop.records WHERE id = '$id3'")" = 1
pg_sql main "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null
pg_sql main "SELECT pg_reload_conf()" >/dev/null
check "the device's retry finds it: 200" test "$(put "$id3" 3)" = 200

# In flight 1: the INSERT waits on a lock another session holds; PostgreSQL dies under it.
pg_sql main "BEGIN; LOCK TABLE inloop.records IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60)" >/dev/null 2>&1 &
LP=$!
n=0
while [ $n -lt 100 ] && [ "$(pg_sql main "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'inloop.records'::regclass")" != 1 ]; do
	sleep 0.1; n=$((n + 1))
done
put "$id4" 4 >"$T/c4" &
CP=$!
check "a put waits inside PostgreSQL on the lock" waiting relation
check "... no answer yet" kill -0 "$CP"
check "PostgreSQL SIGKILLed while the put is in flight" pg_kill main
wait $CP; wait $LP 2>/dev/null
check "the in-flight put gets 503, not 201" test "$(cat "$T/c4")" = 503
check "... with Retry-After" grep -qi "^Retry-After: [0-9]" "$T/h"
check "PostgreSQL started again" pg_start main
check "... the record is not there (never committed)" test "$(pg_sql main "SELECT count(*) FROM inloop.records WHERE id = '$id4'")" = 0
got=""; n=0
while [ $n -lt 50 ]; do got=$(put "$id4" 4); [ "$got" = 201 ] && break; sleep 0.2; n=$((n + 1)); done
check "the device's retry gets 201" test "$got" = 201

# In flight 2 (the twin): the commit is on the primary's disk, waiting for a standby, when it dies.
pg_sql main "ALTER SYSTEM SET synchronous_standby_names = 'nobody'" >/dev/null
pg_sql main "SELECT pg_reload_conf()" >/dev/null
put "$id5" 5 >"$T/c5" &
CP=$!
check "a put's commit waits for the standby" waiting SyncRep
check "PostgreSQL SIGKILLed during that wait" pg_kill main
wait $CP
check "the in-flight put gets 503, not 201" test "$(cat "$T/c5")" = 503
check "PostgreSQL started again" pg_start main
pg_sql main "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null
pg_sql main "SELECT pg_reload_conf()" >/dev/null
check "... the row is there (it was on disk)" test "$(pg_sql main "SELECT count(*) FROM inloop.records WHERE id = '$id5'")" = 1
got=""; n=0
while [ $n -lt 50 ]; do got=$(put "$id5" 5); [ "$got" = 200 ] && break; sleep 0.2; n=$((n + 1)); done
check "the device's retry finds it: 200" test "$got" = 200
check "the store holds five records, each once" test "$(store_rows "$T/cs")" = 5
check "SIGTERM: exit 0" server_stop
done_testing
