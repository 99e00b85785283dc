#!/bin/sh
# End to end: registrations stored with `inloop submit` (the Send button's path) are
# uploaded by `inloop sync` to the real server on loopback, the outbox is empty after,
# and `inloopctl list` shows each with the deadline the device printed on the receipt,
# the crisis one first. A second sync has nothing to send. Its twin: with the server
# down, sync fails, keeps every row and says what is left.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
soon=$(TZ=Europe/Amsterdam date -d '+2 days' +%F)
cat >"$T/a.json" <<JSON
{"crisis":["none"],"name":"Anna de Vries","contact":"email","email":"anna@example.nl",
 "postcode":"1234AB","house_number":"12","privacy_read":true}
JSON
cat >"$T/b.json" <<JSON
{"crisis":["eviction"],"crisis_date":"$soon","name":"Bram Bakker","contact":"phone",
 "phone":"0612345678","postcode":"unknown","house_number":"unknown","privacy_read":true}
JSON
check "submit a regular registration" sh -c "'$B/inloop' --state '$S' submit '$T/a.json' >'$T/a.out'"
check "submit a crisis registration" sh -c "'$B/inloop' --state '$S' submit '$T/b.json' >'$T/b.out'"
refa=$(sed -n 's/^reference: //p' "$T/a.out"); refb=$(sed -n 's/^reference: //p' "$T/b.out")
dla=$(sed -n 's/^deadline: \([0-9-]*\).*/\1/p' "$T/a.out"); dlb=$(sed -n 's/^deadline: \([0-9-]*\).*/\1/p' "$T/b.out")
check "the receipts carry references and deadlines" test -n "$refa" -a -n "$refb" -a -n "$dla" -a -n "$dlb"

# server down: nothing is lost
check "a free port" server_start "$T/cs"
server_stop
refuse "sync with the server down fails" sh -c "'$B/inloop' --state '$S' sync --url '$URL' --timeout 2 >'$T/s0.out'"
check "... and says two are left" grep -q "^left: 2" "$T/s0.out"
check "... and keeps both rows" test "$(outbox_rows "$S")" = 2

check "server starts" server_start "$T/cs" "$SRV_PORT"
check "sync sends both" sh -c "'$B/inloop' --state '$S' sync --url '$URL' >'$T/s1.out'"
check "... reporting 2 sent, 0 kept aside, 0 left" sh -c "grep -q '^sent: 2 (2 new' '$T/s1.out' && grep -q '^kept aside: 0' '$T/s1.out' && grep -q '^left: 0' '$T/s1.out'"
check "the outbox is empty" test "$(outbox_rows "$S")" = 0
check "a second sync has nothing to send" sh -c "'$B/inloop' --state '$S' sync --url '$URL' >'$T/s2.out'"
check "... sent: 0" grep -q "^sent: 0" "$T/s2.out"
check "the store holds both" test "$(store_rows "$T/cs")" = 2
"$B/inloopctl" --dir "$T/cs" list >"$T/list.out" 2>&1
check "the worklist lists the regular record with its receipt deadline" grep -q "$refa *| $dla |" "$T/list.out"
today=$(TZ=Europe/Amsterdam date +%F)
check "the worklist lists the acuut crisis record due today (its effective deadline)" grep -q "$refb *| $today | ACUUT |" "$T/list.out"
check "the crisis record comes first" test "$(grep -n "$refb" "$T/list.out" | cut -d: -f1)" -lt "$(grep -n "$refa" "$T/list.out" | cut -d: -f1)"
check "it shows how to contact them" grep -q "$refa.*email anna@example.nl" "$T/list.out"
check "the record opens with show" sh -c "'$B/inloopctl' --dir '$T/cs' show '$refb' >'$T/show.out'"
check "... with its answers" grep -q "Bram Bakker" "$T/show.out"
check "no sequence gap" sh -c "! grep -q 'never arrived' '$T/list.out'"
refuse "the server log holds no names" sh -c "server_log() { cat '$T'/server.*.log; }; server_log | grep -q 'Anna\|Bram'"
server_stop
done_testing
