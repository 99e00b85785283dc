#!/bin/sh
# Issue 9, D3/D4/D6/D8 at the office. Records sealed by the (stolen) demo device key with
# answers the kiosk would never send: the office re-checks each against the form and
# refuses those with ESC/OSC/CR/LF or a bidi override (listed apart by answer id, never
# printed raw: no ESC, CR or U+202E reaches the terminal), recomputes crisis/acuut/deadline
# instead of trusting the device's, and counts envelopes uploaded under an id that is not
# the signed one against the device. CSV: ';', every cell quoted, formula starts defused
# after any separator, valid UTF-8, nothing cut. Each with its twin: honest records pass
# unchanged.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
today=$(TZ=Europe/Amsterdam date +%F)
now="${today}T10:00:00+01:00"
mk() { # N NAME-JSON CRISIS-JSON DEADLINE-LEGAL: record N sealed as $T/rN.der; prints its id
	n=$1; shift
	id=$(python3 -c 'import uuid; print(uuid.uuid4())')
	cat >"$T/r$n.json" <<JSON
{"schema":"inloop-registration/1","record_id":"$id","seq":$n,"created_at":"$now","device_id":"kiosk-demo-1",
 "location":"Bibliotheek Centrum (demo)","language":"nl","mode":"kiosk",
 "answers":{"crisis":["none"],"name":$1,"contact":"come_back","postcode":"1234AB","house_number":"12","privacy_read":true},
 "crisis":$2,"deadline":{"kind":"4_weeks","target":"$3","legal":"$3","holidays_version":"x"}}
JSON
	"$B/tests/seal_tool" "$S" "$T/r$n.json" "$T/r$n.der" >/dev/null || echo "seal failed" >&2
	echo "$id"
}
honest='{"crisis":false,"kinds":[],"unknown":false,"known_date":null,"acuut":false,"priority":0}'
lying='{"crisis":true,"kinds":["eviction"],"unknown":false,"known_date":"2000-01-01","acuut":true,"priority":2}'
legal=$("$B/inloopctl" deadline "$today" | head -1)
id_esc=$(mk 1 '"Jan\u001b]0;PWNED\u0007\r\n! ZZZZ-ZZZZ | ACUUT"' "$honest" "$legal")
id_bidi=$(mk 2 '"Jan \u202eseirV"' "$honest" "$legal")
id_lie=$(mk 3 '"Bep Liegt"' "$lying" "2000-01-01")
id_ok=$(mk 4 '"Kees Eerlijk"' "$honest" "$legal")
id_csv=$(mk 5 '"Jan;=2+3;Jansen,@SUM(A1);-1"' "$honest" "$legal")
id_long=$(mk 6 "\"$(python3 -c 'print("\U0001D400" * 100)')\"" "$honest" "$legal")
id_cut=$(mk 7 "\"$(python3 -c 'print("\u00e9" * 300)')\"" "$honest" "$legal")
id_junk=$(mk 8 '"Ruben Replay"' "$honest" "$legal")
check "the stolen key sealed 8 records" test -f "$T/r8.der"
check "server starts" server_start "$T/cs"
put() { curl_dev "$S" -X PUT --data-binary "@$2" "$URL/v1/records/$1"; }
i=0
for id in $id_esc $id_bidi $id_lie $id_ok $id_csv $id_long $id_cut; do
	i=$((i + 1)); put "$id" "$T/r$i.der" >/dev/null
done
check "an envelope under a made-up id is stored by the case store (it cannot look inside)" \
	test "$(put 99999999-9999-4999-8999-999999999999 "$T/r8.der")" = 201
server_stop
L() { "$B/inloopctl" --dir "$T/cs" "$@"; }
L list >"$T/list" 2>"$T/list.err"
sed 's/^/# /' "$T/list" | cut -c1-160
check "list: 4 records pass, 4 not opened" grep -q "^WORKLIST: 4 records, 0 acuut, .* 4 not opened" "$T/list"
check "the ESC/CR/LF record is refused by the form check, naming the answer id" grep -q "$id_esc from kiosk-demo-1: the answers break the form's rules (1: name)" "$T/list"
check "the bidi-override record is refused too" grep -q "$id_bidi from kiosk-demo-1: the answers break the form's rules (1: name)" "$T/list"
check "the 300-character name is refused (over max_chars)" grep -q "$id_cut from kiosk-demo-1: the answers break" "$T/list"
refuse "no ESC byte reaches the terminal" grep -q "$(printf '\033')" "$T/list" "$T/list.err"
refuse "no CR reaches the terminal" grep -q "$(printf '\r')" "$T/list"
refuse "no U+202E reaches the terminal" grep -q "$(printf '\342\200\256')" "$T/list"
refuse "no forged ACUUT row" grep -q "ZZZZ-ZZZZ" "$T/list"
check "the lying device's record: not ACUUT, the office's deadline" sh -c "grep 'Bep Liegt' '$T/list' | grep -v ACUUT | grep -q '| $legal |'"
check "... with a note that the device computed otherwise" grep -q "computed another crisis/deadline" "$T/list"
check "the honest record is listed with the same deadline and no note (twin)" sh -c "grep 'Kees Eerlijk' '$T/list' | grep -q '| $legal |'"
check "the envelope under a made-up id is not opened" grep -q "99999999-9999-4999-8999-999999999999 from kiosk-demo-1: stored under id" "$T/list"
check "... and counted against the device" grep -q "device kiosk-demo-1: 1 record(s) uploaded under an id that is not the one signed inside" "$T/list"
L show "$id_lie" >"$T/show" 2>&1
check "show: the office's crisis (false) replaces the device's" python3 -c "
import json,re
t=open('$T/show').read(); j=json.loads(t[t.index('{'):])
assert j['crisis']['acuut'] is False and j['deadline']['legal']=='$legal', j['crisis']"
check "show of a refused record names the reason, not the answers" sh -c "'$B/inloopctl' --dir '$T/cs' show '$id_esc' | grep -q 'NOT SHOWN: the answers break'"
refuse "... and prints no ESC" sh -c "'$B/inloopctl' --dir '$T/cs' show '$id_esc' | grep -q '$(printf '\033')'"

L export --format csv >"$T/x.csv" 2>"$T/x.err"
check "CSV export: 4 records + header" test "$(grep -c "$(printf '\r')\$" "$T/x.csv")" = 5
check "CSV: valid UTF-8, nothing cut mid-character" python3 -c "open('$T/x.csv','rb').read().decode('utf-8')"
check "CSV: separator ';', every cell quoted" python3 -c "
import csv
for line in open('$T/x.csv',newline='').read().split('\r\n')[:-1]:
    assert line.startswith('\"') and line.endswith('\"'), line
rows=list(csv.reader(open('$T/x.csv',newline=''),delimiter=';'))
assert all(len(r)==29 for r in rows), [len(r) for r in rows]"
check "CSV: the ';=' name is one cell, formula starts defused after ; and ," python3 -c "
import csv
rows=list(csv.reader(open('$T/x.csv',newline=''),delimiter=';'))
name=[r[8] for r in rows if r[0]=='$id_csv'][0]
assert name==\"Jan;'=2+3;Jansen,'@SUM(A1);'-1\", repr(name)"
check "CSV: read with ',' or ';' and quotes ignored, no piece starts a formula" python3 -c "
import re
for line in open('$T/x.csv',encoding='utf-8').read().split('\r\n'):
    for piece in re.split('[;,\t]', line):
        assert not re.match(r'^\"?[=+@-]', piece), piece"
check "CSV: the 100-character 4-byte name is there in full (400 bytes)" python3 -c "
import csv
rows=list(csv.reader(open('$T/x.csv',newline='',encoding='utf-8'),delimiter=';'))
assert [r[8] for r in rows if r[0]=='$id_long'][0]=='\U0001D400'*100"
check "CSV export warns about the records it left out" test "$(grep -c 'was not exported' "$T/x.err")" = 4
L export --format json >"$T/x.json" 2>/dev/null
check "JSON export: parses, 4 records, the lie corrected" python3 -c "
import json
d=json.load(open('$T/x.json'))
assert len(d['records'])==4 and len(d['not_opened'])==4
assert [r for r in d['records'] if r['record_id']=='$id_lie'][0]['record']['crisis']['acuut'] is False"
done_testing
