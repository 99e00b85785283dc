#!/bin/sh
# Never 201 without a durable commit, with PostgreSQL killed while the PUT is in flight.
# A PUT whose INSERT waits (a lock held by another session) when PostgreSQL is SIGKILLed
# gets 503, not 201, and nothing of it was stored; once PostgreSQL is back the device's
# retry gets 201 and the record is there once. Its twin: a PUT whose commit reached the
# disk but waited for a synchronous standby when PostgreSQL was killed gets 503 too, and
# the retry finds the row (200), stored once.
. "$(dirname "$0")/lib.sh"
INLOOP_TEST_STORE=pg
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
check "three records in the outbox" "$B/tests/mkrecords" "$S" 3
sqlite3 -readonly "$S/outbox.sqlite" 'SELECT id FROM outbox ORDER BY seq' >"$T/ids"
i=0
while read -r id; do
	i=$((i + 1)); eval "id$i=$id"
	"$B/inloop" --state "$S" outbox --dump "$id" >"$T/e$i.der"
done <"$T/ids"
check "server starts" server_start "$T/cs"
put() { curl_dev "$S" -D "$T/h$2" -X PUT --data-binary "@$T/e$2.der" "$URL/v1/records/$1"; }
check "PostgreSQL up: 201" test "$(put "$id1" 1)" = 201
waiting() { # WAIT_EVENT: 1 once a backend waits on it (up to 10 s)
	n=0
	while [ $n -lt 100 ]; do
		[ "$(pg_sql main "SELECT count(*) FROM pg_stat_activity WHERE wait_event = '$1'")" -ge 1 ] && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}

# 1: the INSERT waits on a lock another session holds; PostgreSQL dies under it.
pg_sql main "BEGIN; LOCK TABLE inloop.records IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60)" >/dev/null 2>&1 &
LP=$!
n=0; while [ $n -lt 100 ] && [ "$(pg_sql main "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'inloop.records'::regclass")" != 1 ]; do sleep 0.1; n=$((n + 1)); done
put "$id2" 2 >"$T/c2" &
CP=$!
check "the put waits inside PostgreSQL (no answer yet)" kill -0 "$CP"
check "... on the lock" waiting relation
check "PostgreSQL SIGKILLed while the put is in flight" pg_kill main
wait $CP; wait $LP 2>/dev/null
check "the in-flight put gets 503, not 201" test "$(cat "$T/c2")" = 503
check "... with Retry-After" grep -qi "^Retry-After: [0-9]" "$T/h2"
check "PostgreSQL started again" pg_start main
check "... the record is not there (never committed)" test "$(pg_sql main "SELECT count(*) FROM inloop.records WHERE id = '$id2'")" = 0
got=""; n=0
while [ $n -lt 50 ]; do got=$(put "$id2" 2); [ "$got" = 201 ] && break; sleep 0.2; n=$((n + 1)); done
check "the device's retry gets 201" test "$got" = 201

# 2 (the twin): the commit is on the primary's disk, waiting for a standby, when it dies.
pg_sql main "ALTER SYSTEM SET synchronous_standby_names = 'nobody'" >/dev/null
pg_sql main "SELECT pg_reload_conf()" >/dev/null
put "$id3" 3 >"$T/c3" &
CP=$!
check "the put's commit waits for the standby" waiting SyncRep
check "PostgreSQL SIGKILLed during that wait" pg_kill main
wait $CP
check "the in-flight put gets 503, not 201" test "$(cat "$T/c3")" = 503
check "PostgreSQL started again" pg_start main
pg_sql main "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null
pg_sql main "SELECT pg_reload_conf()" >/dev/null
check "... the row is there (it was on disk)" test "$(pg_sql main "SELECT count(*) FROM inloop.records WHERE id = '$id3'")" = 1
got=""; n=0
while [ $n -lt 50 ]; do got=$(put "$id3" 3); [ "$got" = 200 ] && break; sleep 0.2; n=$((n + 1)); done
check "the device's retry finds it: 200" test "$got" = 200
check "the store holds three records, each once" test "$(store_rows "$T/cs")" = 3
check "SIGTERM: exit 0" server_stop
done_testing
