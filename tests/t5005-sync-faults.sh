#!/bin/sh
# Faults: 2,000 records go through a proxy that drops connections, loses answers after
# the commit, stalls past the client's timeout and answers 503 at random (fixed seed),
# while the server is SIGKILLed and restarted twice. Afterwards the store holds every
# record exactly once with the bytes the device sealed, integrity_check is ok, the outbox
# is empty, and the back office reports no sequence gap.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
N=${FAULT_RECORDS:-2000}
pki "$T/cs"
S="$T/cs/device"
check "$N records in the outbox" "$B/tests/mkrecords" "$S" "$N"
sqlite3 "$S/outbox.sqlite" ".backup '$T/sealed.sqlite'"
SRV_QUIET=1
check "server starts" server_start "$T/cs"
PORT=$SRV_PORT

"$B/tests/faultproxy" --store "$T/cs/casestore" --device "$S" --to "127.0.0.1:$PORT" --seed 5005 \
	--503 4 --drop 3 --drop-after 3 --stall 0.5 --stall-ms 1500 --retry-after 0 2>"$T/proxy.log" &
PX=$!
_sync_pids="$_sync_pids $PX"
PXPORT=$(_wait_listen "$T/proxy.log" "$PX")
check "fault proxy listens" test -n "$PXPORT"

# The device keeps syncing (one pass after another) until its outbox is empty.
(
	i=0
	while [ $i -lt 40 ]; do
		"$B/inloop" --state "$S" sync --url "https://127.0.0.1:$PXPORT" --timeout 1 >>"$T/sync.out" 2>&1 && exit 0
		i=$((i + 1))
	done
	exit 1
) &
DEV=$!

# Two crashes while it runs.
for k in 1 2; do
	sleep 1
	server_kill
	sleep 0.3
	server_start "$T/cs" "$PORT" || server_start "$T/cs" "$PORT"
done
wait $DEV
check "the device finished syncing" test $? -eq 0
kill -TERM "$PX" 2>/dev/null; wait "$PX" 2>/dev/null
sed -n 's/^faultproxy: \([0-9]* requests.*\)/# \1/p' "$T/proxy.log"
check "faults were injected (503, drops, lost answers, stalls)" \
	grep -q "requests: [1-9][0-9]* 503, [1-9][0-9]* dropped, [1-9][0-9]* dropped after commit, [1-9][0-9]* stalled" "$T/proxy.log"
check "some records were acknowledged only on a re-send (200)" grep -q "already stored)" "$T/sync.out"
grep -q "([0-9]* new, [1-9][0-9]* already stored)" "$T/sync.out" || not_ok "no 200 for a re-sent record seen"
check "the server was really killed twice (3 starts)" test "$_srv_n" -ge 3
server_stop

check "the store holds $N records" test "$(store_rows "$T/cs")" = "$N"
check "each exactly once with the sealed bytes" test "$(sqlite3 -readonly "$T/cs/casestore/store.sqlite" \
	"ATTACH '$T/sealed.sqlite' AS s; SELECT count(DISTINCT r.id) FROM records r JOIN s.outbox o ON o.id = r.id AND o.envelope = r.body")" = "$N"
check "store integrity_check ok" test "$(sqlite3 -readonly "$T/cs/casestore/store.sqlite" 'PRAGMA integrity_check')" = ok
check "the outbox is empty" test "$(outbox_rows "$S")" = 0
"$B/inloopctl" --dir "$T/cs" list >"$T/list.out" 2>&1
check "the worklist has all $N records, none unopened" grep -q "^WORKLIST: $N records, .* 0 not opened" "$T/list.out"
refuse "no sequence gap reported" grep -q "never arrived\|arrived twice" "$T/list.out"
done_testing
