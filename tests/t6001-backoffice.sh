#!/bin/sh
# The back office (inloopctl --dir DIR list/show/contacted/export/stats) on a store filled
# through the real server: acuut first then by deadline, overdue marked as of --today; a
# record that does not open is listed apart with its reason, never dropped; a missing
# sequence number is reported per device; contacted feeds "within the legal deadline";
# CSV export quotes properly and defuses formulas; JSON export parses.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
soon=$(TZ=Europe/Amsterdam date -d '+2 days' +%F)
cat >"$T/a.json" <<JSON
{"crisis":["none"],"name":"=HYPERLINK(\"http://x\"), \"Jan\"","contact":"phone","phone":"0612345678",
 "postcode":"1234AB","house_number":"12","privacy_read":true}
JSON
cat >"$T/b.json" <<JSON
{"crisis":["water"],"crisis_date":"$soon","name":"Bep","contact":"come_back",
 "postcode":"1234AB","house_number":"12","privacy_read":true}
JSON
check "submit" sh -c "'$B/inloop' --state '$S' submit '$T/a.json' >'$T/a.out' && '$B/inloop' --state '$S' submit '$T/b.json' >'$T/b.out'"
check "three synthetic records too" "$B/tests/mkrecords" "$S" 3 0
refa=$(sed -n 's/^reference: //p' "$T/a.out"); refb=$(sed -n 's/^reference: //p' "$T/b.out")
ida=$(sed -n 's/^record: //p' "$T/a.out")
dla=$(sed -n 's/^deadline: \([0-9-]*\).*/\1/p' "$T/a.out")
check "server starts" server_start "$T/cs"
check "sync" "$B/inloop" --state "$S" sync --url "$URL"
server_stop
L() { "$B/inloopctl" --dir "$T/cs" "$@"; }

L list --today 2000-01-01 >"$T/l1"
check "5 records, none overdue in 2000" grep -q "^WORKLIST: 5 records, 1 acuut, 0 overdue, 0 not opened" "$T/l1"
check "the acuut one is first" test "$(sed -n 3p "$T/l1" | grep -c "$refb .*ACUUT")" = 1
L list --today 2099-01-01 >"$T/l2"
check "all 5 overdue in 2099, marked" test "$(grep -c '^! .*OVERDUE' "$T/l2")" = 5
check "contacted by reference" L contacted "$refa" "$(TZ=Europe/Amsterdam date +%F)"
refuse "contacted in the future is refused" L contacted "$refa" 2099-01-01
refuse "contacted for an unknown reference is refused" L contacted ZZZZ-ZZZZ 2026-01-01
L list --today 2099-01-01 >"$T/l3"
check "the contacted one is no longer overdue and comes last" sh -c "tail -1 '$T/l3' | grep -q '$refa .*done.*contacted'"
L stats --today 2099-01-01 >"$T/st"
check "stats: 5 opened" grep -q "^registrations: 5 opened, 0 not opened" "$T/st"
check "stats: per location and ISO week" grep -q "Bibliotheek Centrum (demo) *[0-9]\{4\}-W[0-9][0-9] *5" "$T/st"
check "stats: crises 1 of 5" grep -q "^crises: 1 of 5 (20.0%)" "$T/st"
check "stats: contacted within the deadline 1 of 5 due" grep -q "^contacted within the legal deadline: 1 of 5 due (20.0%)" "$T/st"

L export --format csv >"$T/x.csv"
check "CSV: header and 5 rows (CRLF)" test "$(grep -c "$(printf '\r')\$" "$T/x.csv")" = 6
check "CSV: a formula-like name is defused and quoted" grep -q "\"'=HYPERLINK(\"\"http://x\"\"), \"\"Jan\"\"\"" "$T/x.csv"
check "CSV: python's csv module reads 29 columns in every row" python3 -c "
import csv,sys
rows=list(csv.reader(open('$T/x.csv',newline=''),delimiter=';'))
assert len(rows)==6 and all(len(r)==29 for r in rows), rows
assert any(r[0]=='$ida' and r[23]=='$dla' for r in rows)"
L export --format json >"$T/x.json"
check "JSON: parses, 5 records, deadline kept" python3 -c "
import json
d=json.load(open('$T/x.json'))
assert len(d['records'])==5 and d['not_opened']==[]
assert any(r['record_id']=='$ida' and r['record']['deadline']['legal']=='$dla' for r in d['records'])"
check "show by record id" sh -c "'$B/inloopctl' --dir '$T/cs' show '$ida' | grep -q HYPERLINK"

# A record that does not open, and a sequence gap (seq 3 of the device removed).
sqlite3 "$T/cs/casestore/store.sqlite" "INSERT INTO records(id, device, received_at, size, body) VALUES('00000000-0000-4000-8000-000000000000', 'kiosk-demo-1', 0, 4, x'30800000')"
seq3=$(L export --format json 2>/dev/null | python3 -c "import json,sys; print([r['record_id'] for r in json.load(sys.stdin)['records'] if r['record']['seq']==3][0])")
sqlite3 "$T/cs/casestore/store.sqlite" "DELETE FROM records WHERE id='$seq3'"
L list >"$T/l4"
check "the broken record is listed apart with its reason" grep -q "^NOT OPENED (1)" "$T/l4"
check "... by id and device" grep -q "00000000-0000-4000-8000-000000000000 from kiosk-demo-1: ." "$T/l4"
check "the gap is reported" grep -q "^device kiosk-demo-1: record 3 never arrived" "$T/l4"
L export --format csv >/dev/null 2>"$T/xerr"
check "export warns about the record it could not export" grep -q "00000000-0000-4000-8000-000000000000.*not exported" "$T/xerr"
refuse "list without --dir is refused" "$B/inloopctl" list
refuse "export without a format is a usage error" L export
done_testing
