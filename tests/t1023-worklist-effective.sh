#!/bin/sh
# The worklist's deadline column is the EFFECTIVE deadline (DESIGN.md "Deadlines", issue 8):
# for an acuut record the day of registration, and never a date after the crisis date; it
# sorts by it; list, show and CSV/JSON export agree. The interpreter's language (agreed
# answer `interpreter_language`) is shown in list, show and export. Records are sealed by
# the demo device with the project's seal helper and stored through the real server.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
check "case store starts" server_start "$T/cs"
n=0
# put ID CREATED KINDS KNOWN ACUUT LEGAL INTERPRETER [LANG]: seals one record, PUTs it
put() {
	n=$((n + 1))
	crisis=true; [ "$3" = none ] && crisis=false
	kinds="\"$3\""; [ "$3" = none ] && kinds=""
	known="\"$4\""; [ "$4" = - ] && known=null
	answers="\"crisis\":[\"$3\"],\"name\":\"Naam $n\",\"contact\":\"phone\",\"phone\":\"0612345678\",\"postcode\":\"1234AB\",\"house_number\":\"12\",\"privacy_read\":true,\"interpreter\":\"$7\""
	[ "$4" != - ] && answers="$answers,\"crisis_date\":\"$4\""
	[ -n "${8:-}" ] && answers="$answers,\"interpreter_language\":\"$8\""
	printf '{"schema":"inloop-registration/1","record_id":"%s","seq":%d,"created_at":"%sT10:00:00+02:00","device_id":"kiosk-demo-1","location":"Test","language":"nl","mode":"kiosk","answers":{%s},"crisis":{"crisis":%s,"kinds":[%s],"unknown":false,"known_date":%s,"acuut":%s,"priority":%d},"deadline":{"kind":"x","target":"%s","legal":"%s","holidays_version":"atw-2025-2028.1"}}' \
		"$1" "$n" "$2" "$answers" "$crisis" "$kinds" "$known" "$5" "$([ "$5" = true ] && echo 2 || echo 0)" "$6" "$6" >"$T/r$n.json"
	"$B/tests/seal_tool" "$S" "$T/r$n.json" "$T/r$n.der" >/dev/null &&
	test "$(curl_dev "$S" -X PUT --data-binary "@$T/r$n.der" "$URL/v1/records/$1")" = 201
}
check "acuut: Fri 24 Apr 2026, eviction Wed 29 Apr, Wgs deadline Thu 30 Apr" \
	put 11111111-1111-4111-8111-111111111111 2026-04-24 eviction 2026-04-29 true 2026-04-30 no
check "acuut, eviction the day before registration" \
	put 22222222-2222-4222-8222-222222222222 2026-04-24 eviction 2026-04-23 true 2026-04-30 no
check "regular, interpreter in Arabic" \
	put 33333333-3333-4333-8333-333333333333 2026-04-16 none - false 2026-05-18 yes ar
check "crisis, not acuut (eviction 1 Jun), interpreter language unknown" \
	put 44444444-4444-4444-8444-444444444444 2026-04-01 water 2026-06-01 false 2026-04-08 yes unknown
check "regular, no interpreter" \
	put 55555555-5555-4555-8555-555555555555 2026-04-02 none - false 2026-04-30 no
server_stop

L() { "$B/inloopctl" --dir "$T/cs" "$@"; }
L list --today 2026-04-24 >"$T/list"
sed 's/^/# /' "$T/list"
check "acuut: due on the day of registration, not the Wgs date" sh -c "grep 'Naam 1 ' '$T/list' | grep -q '| 2026-04-24 | ACUUT'"
check "acuut with the eviction already past: due on the eviction date" sh -c "grep 'Naam 2 ' '$T/list' | grep -q '| 2026-04-23 | ACUUT'"
check "not acuut: the Wgs deadline" sh -c "grep 'Naam 4 ' '$T/list' | grep -q '| 2026-04-08 |'"
check "order: acuut by effective deadline, then the rest by effective deadline" \
	test "$(sed -n 's/.*Naam \([0-9]\) .*/\1/p' "$T/list" | tr -d '\n')" = 21453
check "none shows a date after its crisis date" python3 -c "
import re
for line in open('$T/list'):
    m = re.search(r'\| (\d{4}-\d\d-\d\d) \|.*\| [a-z+]+ (\d{4}-\d\d-\d\d) ', line)
    assert not m or m.group(1) <= m.group(2), line"
check "overdue is judged on the effective deadline (2 overdue on 24 Apr)" \
	grep -q "^WORKLIST: 5 records, 2 acuut, 2 overdue" "$T/list"
check "interpreter: the language is shown" sh -c "grep 'Naam 3 ' '$T/list' | grep -q '| ar\$'"
check "interpreter wanted, language unknown: said so" sh -c "grep 'Naam 4 ' '$T/list' | grep -q '| ? (language unknown)\$'"
check "no interpreter: -" sh -c "grep 'Naam 5 ' '$T/list' | grep -q '| -\$'"

L show 11111111-1111-4111-8111-111111111111 >"$T/show1"
L show 33333333-3333-4333-8333-333333333333 >"$T/show3"
check "show: the effective deadline, acuut" grep -q "^deadline: 2026-04-24 (acuut" "$T/show1"
check "show: the interpreter language" grep -q "^interpreter: ar$" "$T/show3"

L export --format csv --today 2026-04-24 >"$T/csv"
check "CSV: effective deadline and interpreter language per record" python3 -c "
import csv; rows = {r['name']: r for r in csv.DictReader(open('$T/csv', newline=''), delimiter=';')}
assert rows['Naam 1']['deadline_effective'] == '2026-04-24' and rows['Naam 1']['deadline_legal'] == '2026-04-30'
assert rows['Naam 2']['deadline_effective'] == '2026-04-23'
assert rows['Naam 3']['interpreter_language'] == 'ar' and rows['Naam 5']['interpreter_language'] == ''
assert [r['name'] for r in csv.DictReader(open('$T/csv', newline=''), delimiter=';')] == ['Naam 2', 'Naam 1', 'Naam 4', 'Naam 5', 'Naam 3']"
L export --format json --today 2026-04-24 >"$T/json"
check "JSON: deadline_effective beside the record" python3 -c "
import json; d = json.load(open('$T/json'))
e = {r['record']['answers']['name']: r['deadline_effective'] for r in d['records']}
assert e['Naam 1'] == '2026-04-24' and e['Naam 4'] == '2026-04-08', e"
L stats --today 2026-04-24 >"$T/stats"
check "stats: 2 overdue on the effective deadline" grep -q "overdue, not contacted: 2" "$T/stats"
done_testing
