#!/bin/sh
# Failover without loss: a primary with a synchronous streaming standby (fsync on). 8
# devices upload 2,000 records (250 each) through 2 front-ends; once several hundred are
# stored the primary is SIGKILLed and the standby promoted; the front-ends reconnect on
# their own (two hosts in the URL, target_session_attrs=read-write). Every record a device
# saw acknowledged before the kill is in the promoted database, every record exactly
# once with the bytes its device sealed, and every outbox drains. Its twin: the old
# primary is down and the promoted one accepts writes (it is no longer a standby).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/pg-lib.sh"
N=${FAILOVER_DEVICES:-8}; PER=${FAILOVER_PER_DEVICE:-250}; TOTAL=$((N * PER))
pki "$T/cs"
{ pg_init p durable && pg_start p && pg_schema p region; } >"$T/pg.out" 2>&1
check "a durable primary with the schema" test $? -eq 0
check "a synchronous standby streaming from it" pg_standby s p
url="postgresql:///inloop?host=$(_pg_dir p)/sock,$(_pg_dir s)/sock&port=$(_pg_portof p),$(_pg_portof s)"
url="$url&user=casestore_region&target_session_attrs=read-write&connect_timeout=2"
echo "$url" >"$T/cs/casestore/store.url"
echo "$url" | sed 's/casestore_region/office_region/' >"$T/cs/office/store.url"

# the devices: the demo one and N-1 more of the same CA
devs="$T/cs/device"
i=2
while [ $i -le "$N" ]; do
	d="$T/dev$i"
	"$B/inloop" --state "$d" enroll-request "kiosk-fo-$i" >/dev/null 2>&1 &&
		"$B/inloopctl" --dir "$T/cs" enroll "$d/device.csr" --out "$T/b$i.json" >/dev/null 2>&1 &&
		"$B/inloop" --state "$d" enroll "$T/b$i.json" >/dev/null 2>&1 || not_ok "enrol device $i"
	devs="$devs $d"
	i=$((i + 1))
done
made=0
for d in $devs; do
	"$B/tests/mkrecords" "$d" "$PER" >/dev/null 2>&1 && made=$((made + PER))
	sqlite3 "$d/outbox.sqlite" ".backup '$d.sealed'"
done
check "$TOTAL records sealed in $N outboxes" test "$made" = "$TOTAL"

SRV_QUIET=1
check "front-end 1 starts" server_start "$T/cs"
U1=$URL
check "front-end 2 starts" server_start "$T/cs"
U2=$URL
k=0; devpids=""
for d in $devs; do
	k=$((k + 1)); u=$U1; [ $((k % 2)) -eq 0 ] && u=$U2
	(
		n=0
		while [ $n -lt 60 ]; do
			"$B/inloop" --state "$d" sync --url "$u" --timeout 3 >>"$d.sync" 2>&1 && exit 0
			n=$((n + 1)); sleep 0.2
		done
		exit 1
	) &
	devpids="$devpids $!"
done

# wait for a few hundred stored, then the crash
n=0
while [ $n -lt 300 ]; do
	c=$(pg_sql p "SELECT count(*) FROM inloop.records" 2>/dev/null || echo 0)
	[ "${c:-0}" -ge $((TOTAL / 4)) ] && break
	sleep 0.1; n=$((n + 1))
done
check "the primary is SIGKILLed mid-upload (after $c stored)" pg_kill p
# what the devices saw acknowledged by now: every sealed id no longer in its outbox
for d in $devs; do
	sqlite3 "$d.sealed" "ATTACH '$d/outbox.sqlite' AS now; SELECT id FROM outbox WHERE id NOT IN (SELECT id FROM now.outbox)"
done >"$T/acked"
t0=$(date +%s.%N)
check "the standby is promoted" pg_promote s
echo "# promoted $(awk "BEGIN { printf \"%.2f\", $(date +%s.%N) - $t0 }") s after the kill; $(wc -l <"$T/acked") records acknowledged before it"
ok_devs=0
for p in $devpids; do wait "$p" && ok_devs=$((ok_devs + 1)); done
check "all $N devices finished syncing" test "$ok_devs" = "$N"
left=0
for d in $devs; do left=$((left + $(outbox_rows "$d"))); done
check "every outbox drained" test "$left" = 0
check "the front-ends reconnected (their logs say so)" sh -c "server_log() { cat '$T'/server.*.log; }; test \$(server_log | grep -c 'connected to PostgreSQL') -ge 2"

# the promoted database: each id once, with its sealed bytes; every acknowledged one there
db=$(pg_copy_sqlite "$T/cs")
for d in $devs; do echo "ATTACH '$d.sealed' AS s; INSERT INTO sealed SELECT id, envelope FROM s.outbox; DETACH s;"; done >"$T/join.sql"
sqlite3 "$T/sealed.sqlite" "CREATE TABLE sealed(id TEXT PRIMARY KEY, envelope BLOB)"
sqlite3 "$T/sealed.sqlite" <"$T/join.sql"
check "the promoted database holds $TOTAL records" test "$(sqlite3 "$db" 'SELECT count(*) FROM records')" = "$TOTAL"
check "... each exactly once with the bytes its device sealed" test "$(sqlite3 "$db" \
	"ATTACH '$T/sealed.sqlite' AS z; SELECT count(DISTINCT r.id) FROM records r JOIN z.sealed s ON s.id = r.id AND s.envelope = r.body")" = "$TOTAL"
sqlite3 "$db" "CREATE TABLE acked(id TEXT)"
sed "s/.*/INSERT INTO acked VALUES('&');/" "$T/acked" | sqlite3 "$db"
check "every record acknowledged before the kill is there" test "$(sqlite3 "$db" \
	"SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM records)")" = 0
check "... and there were some" test "$(wc -l <"$T/acked")" -gt 0
refuse "the twin: the old primary is gone" pg_sql p "SELECT 1"
check "... the promoted one is a primary" test "$(pg_sql s "SELECT pg_is_in_recovery()")" = f
check "SIGTERM to both front-ends" sh -c "kill -TERM $(echo $_sync_pids | cut -d' ' -f1) $SRV_PID"
done_testing
