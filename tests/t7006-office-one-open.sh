#!/bin/sh
# One way to open a stored record (issue 10; sync/office/openrec.h): inloopctl list, show,
# export and open, the web worklist, the record page and the hand-over all open a record
# through openrec, so each refuses what the others refuse. Records sealed by the (stolen)
# demo device key: one with ESC/OSC/CR/LF in its name (breaks the form), one whose device
# lies about crisis and deadline, one uploaded under an id that is not its signed one; and
# the honest twin, which opens everywhere. Before openrec, `show` printed the envelope
# under a made-up id, `open` printed the ESC record raw, and the web pages showed the
# refused and the lying records as if fine.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
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
id_lie=$(mk 2 '"Bep Liegt"' "$lying" "2000-01-01")
id_ok=$(mk 3 '"Kees Eerlijk"' "$honest" "$legal")
id_junk=$(mk 4 '"Ruben Replay"' "$honest" "$legal")
junk=99999999-9999-4999-8999-999999999999
check "server starts" server_start "$T/cs"
put() { curl_dev "$S" -X PUT --data-binary "@$2" "$URL/v1/records/$1"; }
put "$id_esc" "$T/r1.der" >/dev/null; put "$id_lie" "$T/r2.der" >/dev/null; put "$id_ok" "$T/r3.der" >/dev/null
check "an envelope under a made-up id is stored (the case store cannot look inside)" test "$(put $junk "$T/r4.der")" = 201
server_stop
L() { "$B/inloopctl" --dir "$T/cs" "$@"; }
esc=$(printf '\033')

# inloopctl show: the checks list applies
L show "$junk" >"$T/show.junk" 2>&1
check "show of the envelope under a made-up id: refused, naming the signed id" grep -q "NOT SHOWN: stored under id $junk but signed as record $id_junk" "$T/show.junk"
refuse "... and none of its answers printed" grep -q "Ruben Replay" "$T/show.junk"
check "show of the honest record prints it (twin)" sh -c "'$B/inloopctl' --dir '$T/cs' show '$id_ok' | grep -q 'Kees Eerlijk'"
check "show of the lying record: the office's deadline, noted" sh -c "'$B/inloopctl' --dir '$T/cs' show '$id_lie' >'$T/show.lie' && grep -q 'the office.s is shown' '$T/show.lie' && grep -q '\"legal\": \"$legal\"' '$T/show.lie'"
# inloopctl open FILE: the seal, then the form's rules
L open "$T/r1.der" >"$T/open.esc" 2>"$T/open.esc.err"
check "open of the ESC record: refused by the form check (exit 1)" sh -c "! '$B/inloopctl' --dir '$T/cs' open '$T/r1.der' >/dev/null 2>&1"
check "... naming the answer id" grep -q "refused: the answers break the form's rules (1: name)" "$T/open.esc.err"
refuse "... with no ESC on stdout or stderr" grep -q "$esc" "$T/open.esc" "$T/open.esc.err"
check "open of the honest record prints it as signed (twin)" sh -c "'$B/inloopctl' --dir '$T/cs' open '$T/r3.der' | grep -q '\"name\":\"Kees Eerlijk\"'"
check "open of the lying record prints it, with a note on stderr" sh -c "'$B/inloopctl' --dir '$T/cs' open '$T/r2.der' 2>&1 >/dev/null | grep -q 'computed another crisis/deadline'"
# list and export: the same verdicts
L list >"$T/list" 2>&1
check "list: 2 records, 2 not opened (the ESC record and the made-up id)" grep -q "^WORKLIST: 2 records, 0 acuut, .* 2 not opened" "$T/list"
L export --format json >"$T/x.json" 2>/dev/null
check "export: the same 2 records, the same 2 not opened" python3 -c "
import json; d = json.load(open('$T/x.json'))
assert sorted(r['record_id'] for r in d['records']) == sorted(['$id_lie', '$id_ok']), d['records']
assert sorted(r['record_id'] for r in d['not_opened']) == sorted(['$id_esc', '$junk'])"

# the web office: the index, the worklist, the record page
"$B/inloop-office" --dir "$T/cs" setup >/dev/null
echo "$PW" | "$B/inloop-office" --dir "$T/cs" user add team --role team --password-stdin >"$T/user.team"
office_start || { echo "not ok - office start"; done_testing; exit 1; }
check "signed in" test "$(signin team)" = 303
oc team -o "$T/wl.html" "$OURL/worklist"
check "worklist: the 2 records the office accepts" test "$(grep -o 'data-ref=' "$T/wl.html" | wc -l)" = 2
check "... the lying record not acuut, with the office's deadline" python3 -c "
import re; h = open('$T/wl.html').read()
row = [r for r in re.findall(r'<tr class=\"utrecht-table__row[^>]*>.*?</tr>', h) if 'Bep Liegt' in r][0]
assert 'data-acuut=\"0\"' in row and '$legal' in row, row"
check "... the refused ones listed apart as not opened, each with its reason" python3 -c "
h = open('$T/wl.html').read(); t = h[h.index('id=\"refused\"'):]
assert 'data-id=\"$id_esc\"' in t and 'the answers break the form' in t, t
assert 'data-id=\"$junk\"' in t and 'stored under id' in t, t"
refuse "... and no ESC, nor the ESC record's text, on the page" grep -q -e "$esc" -e PWNED -e ZZZZ-ZZZZ "$T/wl.html"
oc team -o "$T/r-esc.html" -w '%{http_code}' "$OURL/r/$id_esc" >"$T/r-esc.code"
check "the record page of the refused record: 200, refused with its reason" sh -c "test \"\$(cat '$T/r-esc.code')\" = 200 && grep -q 'id=\"not-opened\" data-refused=\"1\"' '$T/r-esc.html' && grep -q 'the answers break the form' '$T/r-esc.html'"
refuse "... none of its text" grep -q -e "$esc" -e PWNED -e 'data-answer=' "$T/r-esc.html"
oc team -o "$T/r-junk.html" "$OURL/r/$junk"
check "the page of the envelope under a made-up id: refused, naming the signed id" grep -q "stored under id $junk but signed as record $id_junk" "$T/r-junk.html"
refuse "... none of its text" grep -q "Ruben Replay" "$T/r-junk.html"
oc team -o "$T/r-lie.html" "$OURL/r/$id_lie"
check "the lying record's page: opened, with the note that the device computed otherwise" sh -c "grep -q 'id=\"triage-note\"' '$T/r-lie.html' && grep -q 'Bep Liegt' '$T/r-lie.html'"
oc team -o "$T/r-ok.html" "$OURL/r/$id_ok"
check "the honest record's page: opened, no note, no refusal (twin)" sh -c "grep -q 'Kees Eerlijk' '$T/r-ok.html' && ! grep -q -e triage-note -e not-opened '$T/r-ok.html'"
# a record page re-checks at opening too: an index row whose envelope was swapped for the ESC one
office_stop
sqlite3 "$T/cs/casestore/store.sqlite" "UPDATE records SET body = (SELECT body FROM records WHERE id = '$id_esc') WHERE id = '$id_ok'" 2>/dev/null ||
	echo "# the store refused the swap"
office_start || { echo "not ok - office restart"; done_testing; exit 1; }
signin team '+30 seconds' >/dev/null
oc team -o "$T/r-swap.html" "$OURL/r/$id_ok"
check "a record page whose envelope changed under the index is refused when opened" sh -c "grep -q 'id=\"not-opened\" data-refused=\"1\"' '$T/r-swap.html' && ! grep -q -e PWNED -e '$esc' '$T/r-swap.html'"
office_stop
done_testing
