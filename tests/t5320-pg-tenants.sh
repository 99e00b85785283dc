#!/bin/sh
# One region, two municipalities on one PostgreSQL: each has its own CA, devices, case-
# store front-end and office role. A record of one is never listed, opened, exported,
# changed or overwritten by the other: by the back office (inloopctl list/show/export)
# and by SQL as the other's roles (row-level security in the database, whatever the
# WHERE clause). Its twin: the superuser sees both (the rows are there; the policy hides
# them).
. "$(dirname "$0")/lib.sh"
INLOOP_TEST_STORE=pg
. "$TOP/tests/sync-lib.sh"
pki "$T/a"   # tenant t1
pki "$T/b"   # tenant t2
check "A's device: 3 records" "$B/tests/mkrecords" "$T/a/device" 3
check "B's device: 2 records" "$B/tests/mkrecords" "$T/b/device" 2
aid=$(sqlite3 -readonly "$T/a/device/outbox.sqlite" 'SELECT id FROM outbox ORDER BY seq LIMIT 1')
"$B/inloop" --state "$T/a/device" outbox --dump "$aid" >"$T/a1.der"
check "A's front-end starts" server_start "$T/a"
UA=$URL
check "B's front-end starts" server_start "$T/b"
UB=$URL
check "A's device syncs to A" "$B/inloop" --state "$T/a/device" sync --url "$UA"
check "B's device syncs to B" "$B/inloop" --state "$T/b/device" sync --url "$UB"

# by page: the back office of each municipality
"$B/inloopctl" --dir "$T/a" list >"$T/la" 2>&1
"$B/inloopctl" --dir "$T/b" list >"$T/lb" 2>&1
# all records of the worklist, opened or listed as not opened
listed() { sed -n 's/^WORKLIST: \([0-9]*\) records, .* \([0-9]*\) not opened$/\1 \2/p' "$1" | { read -r x y; echo $((x + y)); }; }
check "A's worklist: its 3 records" test "$(listed "$T/la")" = 3
check "B's worklist: its 2 records" test "$(listed "$T/lb")" = 2
refuse "A's record id is nowhere in B's worklist" grep -q "$aid" "$T/lb"
"$B/inloopctl" --dir "$T/a" show "$aid" >"$T/sa" 2>&1
"$B/inloopctl" --dir "$T/b" show "$aid" >"$T/sb" 2>&1
check "A's record opens in A's office" grep -q "^record $aid" "$T/sa"
refuse "... and not in B's (by id)" grep -q "^record $aid" "$T/sb"
"$B/inloopctl" --dir "$T/b" export --format json >"$T/xb.json" 2>"$T/xb.err"
"$B/inloopctl" --dir "$T/a" export --format json >"$T/xa.json" 2>"$T/xa.err"
check "A's export mentions A's record" grep -q "$aid" "$T/xa.json" "$T/xa.err"
refuse "B's export does not" grep -q "$aid" "$T/xb.json" "$T/xb.err"

# by SQL, as B's roles
sb() { pg_sql main "$1" "$2"; }
check "B's office: count(*) sees 2" test "$(sb office_t2 'SELECT count(*) FROM inloop.records')" = 2
check "B's office: A's id by WHERE: nothing" test "$(sb office_t2 "SELECT count(*) FROM inloop.records WHERE id = '$aid'")" = 0
check "B's office: WHERE tenant = 't1' OR true: still only its own 2" test "$(sb office_t2 "SELECT count(*) FROM inloop.records WHERE tenant = 't1' OR true")" = 2
refuse "B's office: row_security = off is refused" sb office_t2 "SET row_security = off; SELECT count(*) FROM inloop.records"
check "B's office: an UPDATE of A's record changes nothing" test "$(psql "$(cat "$T/b/office/store.url")" -XAt -c "UPDATE inloop.records SET contacted = now() WHERE id = '$aid'")" = "UPDATE 0"
check "B's office: erase_record of A's id: no such id (1)" test "$(sb office_t2 "SELECT inloop.erase_record('$aid')")" = 1
check "B's case store: put_record of A's id with A's very bytes: 409, nothing leaks" \
	test "$(sb casestore_t2 "SELECT inloop.put_record('$aid', 'kiosk-demo-1', decode('$(od -An -v -tx1 "$T/a1.der" | tr -d ' \n')', 'hex'))")" = 409
refuse "B's case store: a row inserted for A's municipality is refused" \
	sb casestore_t2 "INSERT INTO inloop.records (id, tenant, device, envelope, sha256) VALUES (gen_random_uuid(), 't1', 'x', '\\x00', '\\x00')"
refuse "B's case store cannot read the tombstones' or roles' other rows" \
	sh -c "test \"\$(psql '$(cat "$T/b/casestore/store.url")' -XAt -c 'SELECT count(*) FROM inloop.tenant_roles')\" != 1"
check "through B's front-end, A's id with A's bytes gets 409" \
	test "$(curl_dev "$T/b/device" -X PUT --data-binary "@$T/a1.der" "$UB/v1/records/$aid")" = 409
check "A's row is unchanged, A still sees 3" test "$(sb office_t1 "SELECT count(*) FROM inloop.records")" = 3
check "the twin: the superuser sees all 5 rows in two tenants" \
	test "$(pg_sql main "SELECT count(*) || '/' || count(DISTINCT tenant) FROM inloop.records")" = "5/2"

# retention on PostgreSQL: A's office erases one; a tombstone answers the device as before
check "B's office may write a tombstone of its own under A's id (its rows only)" \
	sb office_t2 "INSERT INTO inloop.erased (id, tenant, device, received_at, size, sha256) VALUES ('$aid', 't2', 'x', now(), 1, '\\x01')"
refuse "... but none for A's municipality" \
	sb office_t2 "INSERT INTO inloop.erased (id, tenant, device, received_at, size, sha256) VALUES (gen_random_uuid(), 't1', 'x', now(), 1, '\\x02')"
check "A's office erases A's record (0), despite B's tombstone under that id" test "$(sb office_t1 "SELECT inloop.erase_record('$aid')")" = 0
check "... it is gone from A's rows" test "$(sb office_t1 "SELECT count(*) FROM inloop.records")" = 2
again=$(curl_dev "$T/a/device" -X PUT --data-binary "@$T/a1.der" "$UA/v1/records/$aid")
check "... the device sending it again gets 200 (the tombstone), nothing stored again" test "$again" = 200
check "... still 2 rows, one tombstone" test "$(sb office_t1 "SELECT (SELECT count(*) FROM inloop.records) || '/' || (SELECT count(*) FROM inloop.erased)")" = "2/1"
check "B's office sees no tombstone of A's (only its own)" test "$(sb office_t2 "SELECT count(*) FROM inloop.erased WHERE tenant <> 't2'")" = 0
done_testing
