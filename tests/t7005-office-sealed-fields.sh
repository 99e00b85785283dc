#!/bin/sh
# The worklist's sealed list fields (issue 11 "Scale and speed", sync/office/vault.h): the
# index keeps each row's name and contact sealed under the office's own key
# (office/fields.key, 0600), so a page opens no envelope. A canary name and number are on
# the page but in no office file; a page still shows every name when the envelopes are
# gone from the case store (so it did not open them); blobs swapped between two rows, or a
# foreign key, do not open: each row then opens its own envelope and shows its own name,
# never the other's (the negative twins).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
CANARY=Canary-Vq7x
PHONE=0687654329
check "fixture: records through the case store, office cert, three accounts" office_fixture
printf '{"crisis":["none"],"name":"%s Kanarie","contact":"phone","phone":"%s","postcode":"1234AB","house_number":"7","privacy_read":true}\n' "$CANARY" "$PHONE" >"$T/canary.json"
"$B/inloop" --state "$T/cs/device" submit "$T/canary.json" >"$T/canary.out"
CID=$(sed -n 's/^record: //p' "$T/canary.out")
server_start "$T/cs" >/dev/null && "$B/inloop" --state "$T/cs/device" sync --url "$URL" >/dev/null; server_stop
check "the canary record is in the case store" test "$(sqlite3 "$T/cs/casestore/store.sqlite" "SELECT count(*) FROM records WHERE id = '$CID'")" = 1
office_start || { echo "not ok - office start"; done_testing; exit 1; }
OD="$T/cs/office/office.sqlite"
check "the office made its key for the list fields: 32 bytes, 0600" sh -c "test \"\$(stat -c %a.%s '$T/cs/office/fields.key')\" = 600.32"
check "every indexed row keeps sealed list fields" test "$(sqlite3 "$OD" 'SELECT count(*) FROM records WHERE person IS NOT NULL')" = 6
check "signed in" test "$(signin team)" = 303
oc team -o "$T/wl.html" "$OURL/worklist"
check "the worklist shows the canary's name and number (twin: the data is there)" sh -c "grep -q '$CANARY Kanarie' '$T/wl.html' && grep -q '$PHONE' '$T/wl.html'"
refuse "... but no office file holds the canary in plaintext" grep -a -q -e "$CANARY" -e "$PHONE" "$T"/cs/office/*
refuse "... nor the office's log" grep -a -q -e "$CANARY" -e "$PHONE" "$OFF_LOG"

# negative twins: a blob moved to another row, and blobs under another key, do not open
other=$(sqlite3 "$OD" "SELECT id FROM records WHERE id != '$CID' LIMIT 1")
sqlite3 "$OD" "SELECT writefile('$T/other.bin', person) FROM records WHERE id = '$other'" >/dev/null
sqlite3 "$OD" "UPDATE records SET person = (SELECT person FROM records WHERE id = '$CID') WHERE id = '$other'"
oc team -o "$T/swap.html" "$OURL/worklist"
check "a blob copied onto another row does not open there (the record id is bound in)" grep -q "sealed list fields of a row do not open (record $other)" "$OFF_LOG"
check "... that row shows its own name from its envelope, not the canary's" test "$(grep -o "$CANARY" "$T/swap.html" | wc -l)" = 1
check "... and every row has a name" test "$(grep -o 'office-name' "$T/swap.html" | wc -l)" = 6
sqlite3 "$OD" "UPDATE records SET person = readfile('$T/other.bin') WHERE id = '$other'"
office_stop
cp -p "$T/cs/office/fields.key" "$T/good.key"
head -c 32 /dev/urandom >"$T/cs/office/fields.key"
office_start || { echo "not ok - office restart"; done_testing; exit 1; }
signin coord '+30 seconds' >/dev/null
oc coord -o "$T/key.html" "$OURL/worklist"
check "blobs under another key do not open: each row opens its envelope" test "$(grep -c 'sealed list fields of a row do not open' "$OFF_LOG")" = 6
check "... and still shows its own name" sh -c "grep -q '$CANARY Kanarie' '$T/key.html' && test \$(grep -o 'office-name' '$T/key.html' | wc -l) = 6"
office_stop

# the page reads the sealed fields, not the envelopes: with the envelopes gone it still lists every name
cp -p "$T/good.key" "$T/cs/office/fields.key"
sqlite3 "$T/cs/casestore/store.sqlite" "DELETE FROM records"
office_start || { echo "not ok - office restart"; done_testing; exit 1; }
signin team '+30 seconds' >/dev/null
oc team -o "$T/gone.html" "$OURL/worklist"
check "with every envelope gone from the case store the worklist still shows all 6 names" sh -c "grep -q '$CANARY Kanarie' '$T/gone.html' && test \$(grep -o 'office-name' '$T/gone.html' | wc -l) = 6"
check "... so the page opened no envelope (and no row was refused)" sh -c "! grep -q 'data-refused' '$T/gone.html' && ! grep -q 'do not open' '$OFF_LOG'"
oc team -o "$T/gone-r.html" "$OURL/r/$CID"
check "... while the record page, which opens the envelope, says it is not in the case store" grep -q 'id="not-opened" data-refused="0"' "$T/gone-r.html"
office_stop
refuse "no office file holds the canary in plaintext at the end either" grep -a -q -e "$CANARY" -e "$PHONE" "$T"/cs/office/*
done_testing
