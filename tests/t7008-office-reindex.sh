#!/bin/sh
# The office tries its refused records again (sync/office/oindex.c, issue 11): a record
# sealed to the next recipient key (rotate-recipient) while the office's folder lacks that
# key is refused at index time (table unopened, with its reason); once the key is back,
# `inloop-office reindex --retry` and the next start of the office open it, move it into the
# worklist with its sealed list fields, and the worklist shows its name. The twins: with the
# key still away the retry leaves it refused with its reason, and a record uploaded under an
# id that is not its signed one stays refused through every retry; nothing crashes and no
# log or command output holds a name. Then rows indexed before the sealed `person` column
# are given their sealed fields once at start (an erased row is not), and the worklist
# shows their names with every envelope gone from the case store.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
pki "$T/cs"
S="$T/cs/device"
OD="$T/cs/office/office.sqlite"
CANARY="Zq$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n' | tr 0-9 g-p)"
q() { sqlite3 "$OD" "$1"; }

# submit STATE NAME: a registration through the device's submit path; prints its id
submit() {
	printf '{"crisis":["none"],"name":"%s","contact":"come_back","postcode":"1234AB","house_number":"12","privacy_read":true}\n' \
		"$2" >"$T/sub.json"
	"$B/inloop" --state "$1" submit "$T/sub.json" | sed -n 's/^record: //p'
}
check "rotate-recipient makes the next recipient key" sh -c "'$B/inloopctl' --dir '$T/cs' rotate-recipient >/dev/null"
mkdir -p "$T/aside"
key_away() { mv "$T/cs/office/casestore-next.key" "$T/cs/office/casestore-next.pem" "$T/aside/"; }
key_back() { mv "$T/aside/casestore-next.key" "$T/aside/casestore-next.pem" "$T/cs/office/"; }
key_away
# a device copy that pins only the next recipient (a bundle issued after the rotation)
cp -a "$S" "$T/next"
cp "$T/aside/casestore-next.pem" "$T/next/recipients.pem"
rm -f "$T/next/outbox.sqlite"*
id_ok=$(submit "$S" "$CANARY Eerlijk")
id_next=$(submit "$T/next" "$CANARY Volgende")
# an envelope uploaded under an id that is not the one signed inside (refused whatever the keys)
id_junk=$(submit "$S" "$CANARY Verkeerd")
"$B/inloop" --state "$S" outbox --dump "$id_junk" >"$T/junk.der"
sqlite3 "$S/outbox.sqlite" "DELETE FROM outbox WHERE id = '$id_junk'"   # (sent only under the made-up id)
junk=99999999-9999-4999-8999-999999999999
check "server starts" server_start "$T/cs"
check "the kiosk's records are uploaded" sh -c "'$B/inloop' --state '$S' sync --url '$URL' >/dev/null"
check "the record sealed to the next recipient is uploaded" sh -c "'$B/inloop' --state '$T/next' sync --url '$URL' >/dev/null"
check "an envelope under a made-up id is stored (the case store cannot look inside)" \
	test "$(curl_dev "$S" -X PUT --data-binary "@$T/junk.der" "$URL/v1/records/$junk")" = 201
server_stop
"$B/inloop-office" --dir "$T/cs" setup >/dev/null
echo "$PW" | "$B/inloop-office" --dir "$T/cs" user add coord --role coordinator --password-stdin >"$T/user.coord"

check "the office starts without the next key" office_start
office_stop
check "... and indexes the honest record" test "$(q "SELECT count(*) FROM records WHERE id = '$id_ok'")" = 1
check "... but refuses the one sealed to the next key (unopened, with a reason)" \
	test -n "$(q "SELECT why FROM unopened WHERE id = '$id_next'")"
check "... and the one under a made-up id" test -n "$(q "SELECT why FROM unopened WHERE id = '$junk'")"
q "SELECT why FROM unopened WHERE id = '$id_next'" >"$T/why-next"
echo "# refused: $(cat "$T/why-next")"

"$B/inloop-office" --dir "$T/cs" reindex --retry >"$T/retry0.out" 2>&1
check "twin: reindex --retry with the key still away succeeds (no crash)" test $? = 0
check "... tries both and indexes none" grep -qx 'tried 2 refused record(s) again: 0 now indexed, 2 still refused' "$T/retry0.out"
check "... both stay in unopened with their reasons" \
	test "$(q "SELECT count(*) FROM unopened WHERE why != '' AND id IN ('$id_next', '$junk')")" = 2

key_back
check "with the key back, reindex --retry" sh -c "'$B/inloop-office' --dir '$T/cs' reindex --retry >'$T/retry1.out' 2>&1"
check "... opens the record sealed to the next key" grep -qx 'tried 2 refused record(s) again: 1 now indexed, 1 still refused' "$T/retry1.out"
check "... it is in the worklist index with its sealed list fields" \
	test "$(q "SELECT count(*) FROM records WHERE id = '$id_next' AND person IS NOT NULL")" = 1
check "... and no longer in unopened" test "$(q "SELECT count(*) FROM unopened WHERE id = '$id_next'")" = 0
check "the made-up id stays refused, with its reason (twin)" test -n "$(q "SELECT why FROM unopened WHERE id = '$junk'")"

# at start: another record sealed to the next key while it is away, then a start with it back
key_away
id_next2=$(submit "$T/next" "$CANARY Later")
check "server starts again" server_start "$T/cs"
check "a second record sealed to the next key is uploaded" sh -c "'$B/inloop' --state '$T/next' sync --url '$URL' >/dev/null"
server_stop
check "the office starts (the key away again)" office_start
office_stop
check "... the new record is refused" test "$(q "SELECT count(*) FROM unopened WHERE id = '$id_next2'")" = 1
check "... after the old refused one was tried again: a record refused at a start is not tried twice" sh -c "
	! grep -q 'tried again' '$T/office.1.log' &&
	grep -q 'index: 1 refused record(s) tried again: 0 now indexed, 1 still refused' '$T/office.2.log'"
key_back
check "the office starts with the key back" office_start
check "... its start tried the refused records again" \
	grep -q 'index: 2 refused record(s) tried again: 1 now indexed, 1 still refused' "$OFF_LOG"
check "... the second record is indexed now" test "$(q "SELECT count(*) FROM records WHERE id = '$id_next2' AND person IS NOT NULL")" = 1
signin coord >/dev/null
oc coord -o "$T/list.html" "$OURL/worklist"
check "the worklist shows both retried records by name" sh -c "grep -q '$CANARY Volgende' '$T/list.html' && grep -q '$CANARY Later' '$T/list.html'"
check "... and lists the made-up id apart as not opened" grep -q "id=\"refused\".*data-id=\"$junk\"" "$T/list.html"
refuse "... and neither retried record there (twin)" grep -q -e "data-id=\"$id_next\"" -e "data-id=\"$id_next2\"" "$T/list.html"
office_stop

# rows indexed before the sealed person column (an old office database): filled once at start
erased=$id_ok
q "UPDATE records SET person = NULL; UPDATE records SET erased_at = 1, status = 'erased' WHERE id = '$erased';
   DELETE FROM meta WHERE key = 'person_filled'"
n_open=$(q "SELECT count(*) FROM records WHERE erased_at IS NULL")
check "the office starts over rows without sealed list fields" office_start
check "... and seals the fields of every row not erased, once" \
	grep -q "index: sealed the list fields of $n_open older row(s)" "$OFF_LOG"
check "... every such row has them" test "$(q "SELECT count(*) FROM records WHERE erased_at IS NULL AND person IS NULL")" = 0
check "... the erased row does not (twin)" test "$(q "SELECT count(*) FROM records WHERE id = '$erased' AND person IS NULL")" = 1
office_stop
sqlite3 "$T/cs/casestore/store.sqlite" "DELETE FROM records"
check "the next start does not fill again, and copes with every envelope gone" office_start
refuse "... (no second fill)" grep -q 'sealed the list fields' "$OFF_LOG"
signin coord '+30 seconds' >/dev/null
oc coord -o "$T/gone.html" "$OURL/worklist"
check "with the envelopes gone the worklist still shows the filled names" \
	sh -c "grep -q '$CANARY Volgende' '$T/gone.html' && grep -q '$CANARY Later' '$T/gone.html'"
office_stop

refuse "no office log, command output or reason holds a name" \
	sh -c "grep -rq -e '$CANARY' '$T'/office.*.log '$T'/retry*.out; q \"SELECT why FROM unopened\" | grep -q '$CANARY'"
refuse "no office file holds a name in plaintext" grep -a -q -e "$CANARY" "$T"/cs/office/*
done_testing
