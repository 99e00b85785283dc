#!/bin/sh
# The office's HTTP rules with curl against the real build/inloop-office over TLS: headers
# on every reply, sign-in with Argon2id password + TOTP (and each negative twin: wrong
# password, wrong code, replayed code, missing login token, throttle), __Host- cookie
# attributes, forged cookie, CSRF (missing, wrong, cross-origin), roles (team vs audit, ICT
# vs records), unknown reference, static-file whitelist, body limits, %00, escaped answers,
# no personal data in the log, the database private, the audit chain and its tampering.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
check "fixture: records through the case store, office cert, three accounts" office_fixture
refuse "setup refuses to overwrite the office certificate" "$B/inloop-office" --dir "$T/cs" setup
refuse "user add refuses a bad name" sh -c "echo '$PW' | '$B/inloop-office' --dir '$T/cs' user add 'Bad Name' --role team --password-stdin"
refuse "user add refuses an unknown role" "$B/inloop-office" --dir "$T/cs" user add zed --role admin
refuse "user add refuses a short password" sh -c "echo short | '$B/inloop-office' --dir '$T/cs' user add zed --role team --password-stdin"
refuse "user add refuses an existing account" sh -c "echo '$PW' | '$B/inloop-office' --dir '$T/cs' user add team --role team --password-stdin"
check "the office database is 0600" test "$(stat -c %a "$T/cs/office/office.sqlite")" = 600
check "no name or phone in the office database" sh -c "! grep -a -q -e 'window.xss' -e 0612345678 '$T/cs/office/office.sqlite'"
office_start || { echo "not ok - office start"; done_testing; exit 1; }
check "... the index holds 5 rows" test "$(sqlite3 "$T/cs/office/office.sqlite" 'select count(*) from records')" = 5

code() { oc "$@" -o /dev/null -w '%{http_code}'; }
C=$(curl -s --cacert "$T/cs/ca/ca.pem" -D - -o /dev/null "$OURL/login")
for h in "Content-Security-Policy: default-src 'self'" "X-Content-Type-Options: nosniff" "Cache-Control: no-store" \
	 "X-Frame-Options: DENY" "Strict-Transport-Security:" "Referrer-Policy: same-origin"; do
	check "login page carries $h" sh -c "printf '%s' \"\$1\" | grep -qi \"\$2\"" - "$C" "$h"
done
check "login token cookie is __Host-, Secure, HttpOnly, SameSite=Strict" sh -c "printf '%s' \"\$1\" | grep -q '__Host-pre=.*; Path=/; Secure; HttpOnly; SameSite=Strict'" - "$C"
refuse "plain HTTP gets no page" curl -s -f --max-time 3 "http://127.0.0.1:${OURL##*:}/login"
refuse "TLS 1.1 is refused" curl -s -f --max-time 3 --cacert "$T/cs/ca/ca.pem" --tlsv1.1 --tls-max 1.1 "$OURL/login"
check "without a session the worklist redirects to sign-in" test "$(code nobody "$OURL/worklist")" = 303

check "wrong password: 401" test "$(signin team '' 'wrong password here')" = 401
check "... and no session cookie" sh -c "! grep -q __Host-sid '$T/jar.team'"
rm -f "$T/jar.x"; oc x -o "$T/login.html" "$OURL/login"
check "wrong TOTP code: 401" test "$(oc x -o /dev/null -w '%{http_code}' --data-urlencode "pre=$(field pre "$T/login.html")" \
	--data-urlencode user=team --data-urlencode "password=$PW" --data-urlencode code=000000 "$OURL/login")" = 401
check "missing login token: 403" test "$(oc x -o /dev/null -w '%{http_code}' --data-urlencode user=team \
	--data-urlencode "password=$PW" --data-urlencode "code=$(totp team)" "$OURL/login")" = 403
check "team signs in with password + TOTP: 303" test "$(signin team)" = 303
check "... session cookie is __Host-, Secure, HttpOnly, SameSite=Strict" grep -q "#HttpOnly_127.0.0.1.*TRUE.*__Host-sid" "$T/jar.team"
check "... the same code again is refused (no replay)" test "$(cp "$T/jar.team" "$T/jar.t2"; rm -f "$T/jar.r"; \
	oc r -o "$T/login.html" "$OURL/login"; oc r -o /dev/null -w '%{http_code}' --data-urlencode "pre=$(field pre "$T/login.html")" \
	--data-urlencode user=team --data-urlencode "password=$PW" --data-urlencode "code=$(cat "$T/code.team")" "$OURL/login")" = 401
check "coordinator signs in" test "$(signin coord)" = 303
check "ICT signs in" test "$(signin ict)" = 303

check "team sees the worklist" test "$(code team "$OURL/worklist")" = 200
oc team -o "$T/wl.html" "$OURL/worklist"
check "... 5 rows, the crisis record first and acuut" sh -c "grep -o 'data-ref=\"[^\"]*\" data-acuut=\"[01]\"' '$T/wl.html' | head -1 | grep -q \"$(echo "$CRISIS_REF" | tr -d -)\\\" data-acuut=\\\"1\""
check "... each name in its own direction (dir=auto: an Arabic name reads right to left)" test "$(grep -o 'office-name" dir="auto"' "$T/wl.html" | wc -l)" = 5
check "... planted markup shown as text" grep -q '&lt;script&gt;window.xss=1&lt;/script&gt;&quot;&#39;&gt;&lt;img' "$T/wl.html"
check "... never as markup" sh -c "! grep -q -e '<script>window' -e '<img src=x' '$T/wl.html'"
lower=$(echo "$CRISIS_REF" | tr 'A-Z' 'a-z' | tr -d -)
check "search by reference ignores dashes and case" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.team' -o '$T/s.html' '$OURL/worklist?q=$lower' && grep -c 'data-ref=' '$T/s.html' | grep -qx 1"
check "a reference that does not exist: 404, no rows" test "$(code team "$OURL/worklist?q=ZZZZ-ZZZZ")" = 404
check "an unknown filter value: 400" test "$(code team "$OURL/worklist?kind=fire")" = 400
check "team opens the record" test "$(code team "$OURL/r/$CRISIS_ID")" = 200
oc team -o "$T/rec.html" "$OURL/r/$CRISIS_ID"
row_head() { sed -n "s/.*data-answer=\"$1\"><th[^>]*>\([^<]*\)<.*/\1/p" "$T/rec.html"; }
check "... postcode and house number each under its own word, not the question twice" \
	sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$1" != "$2" ]' - "$(row_head postcode)" "$(row_head house_number)"
check "... every answer with its question (name, phone, crisis, crisis_date)" sh -c "for a in name phone crisis crisis_date privacy_read; do grep -q \"data-answer=\\\"\$a\\\"\" '$T/rec.html' || exit 1; done"
check "... each answer in its own direction (dir=auto)" test "$(grep -o 'data-answer="[a-z_]*"><th[^>]*>[^<]*</th><td class="utrecht-table__cell" dir="auto">' "$T/rec.html" | wc -l)" -ge 6
check "... escaped there too" sh -c "grep -q '&lt;script&gt;' '$T/rec.html' && ! grep -q '<script>window' '$T/rec.html'"
check "a record id that does not exist: 404" test "$(code team "$OURL/r/00000000-0000-4000-8000-000000000000")" = 404
check "a malformed record path: 404" test "$(code team "$OURL/r/..%2f..%2fetc")" = 404
check "team opening the audit log: 403" test "$(code team "$OURL/audit")" = 403
check "team opening stats: 403" test "$(code team "$OURL/stats")" = 403
check "ICT opening a record: 403" test "$(code ict "$OURL/r/$CRISIS_ID")" = 403
check "... with no record data in the reply" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.ict' '$OURL/r/$CRISIS_ID' | grep -v -q -e xss -e 0612345678"
check "ICT opening the worklist: 403" test "$(code ict "$OURL/worklist")" = 403
check "ICT sees the devices page" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.ict' '$OURL/devices' | grep -q 'data-device=\"kiosk-demo-1\" data-revoked=\"0\" data-missing=\"0\"'"
check "coordinator reads the audit log" test "$(code coord "$OURL/audit")" = 200

sed 's/__Host-sid\t.*/__Host-sid\tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/' "$T/jar.team" >"$T/jar.forged"
check "a forged session cookie: redirected to sign-in" test "$(code forged "$OURL/worklist")" = 303
csrf=$(oc team "$OURL/r/$CRISIS_ID" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
post() { u=$1; shift; oc "$u" -o /dev/null -w '%{http_code}' "$@" "$OURL/r/$CRISIS_ID"; }
check "a note without CSRF token: 403" test "$(post team -d action=note -d note=x)" = 403
check "a note with a wrong CSRF token: 403" test "$(post team -d action=note -d note=x -d csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)" = 403
check "a note from another origin: 403" test "$(post team -H 'Origin: https://evil.example' -d action=note -d note=x -d "csrf=$csrf")" = 403
check "a note with %00: 400" test "$(post team -d action=note -d 'note=a%00b' -d "csrf=$csrf")" = 400
check "a JSON body: 415" test "$(post team -H 'Content-Type: application/json' -d '{}')" = 415
check "a 17000-byte body: 413" test "$(post team --data-binary "@$(head -c 17000 /dev/zero | tr '\0' a >"$T/big"; echo "$T/big")")" = 413
check "PUT is not served" test "$(code team -X PUT "$OURL/worklist")" -ge 405
check "team may not assign: 403" test "$(post team -d action=assign -d to=team -d "csrf=$csrf")" = 403
check "a note with the token: 303" test "$(post team -d action=note --data-urlencode "note=<b>belt terug</b>" -d "csrf=$csrf")" = 303
check "... kept in the history, escaped" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.team' '$OURL/r/$CRISIS_ID' | grep -q 'data-kind=\"note\".*&lt;b&gt;belt terug'"
check "a first conversation in the future: 400" test "$(post team -d action=first_conversation -d date=2099-01-01 -d "csrf=$csrf")" = 400

check "static: theme CSS served as text/css" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -D - -o /dev/null '$OURL/static/nlds/theme.css' | grep -qi '^Content-Type: text/css'"
check "static: gzip twin when accepted" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -H 'Accept-Encoding: gzip' -D - -o /dev/null '$OURL/static/nlds/components.css' | grep -qi '^Content-Encoding: gzip'"
for p in /static/../office/office.sqlite /static/%2e%2e/x /static/nlds/../../x /static/Theme.css /static/nlds; do
	check "static: $p is 404" test "$(curl -s --path-as-is --cacert "$T/cs/ca/ca.pem" -o /dev/null -w '%{http_code}' "$OURL$p")" = 404
done

# export and hand-over: the code of inloopctl export, then marked handed over
check "team may not open the hand-over: 403" test "$(code team "$OURL/handover")" = 403
check "a first conversation today: 303" test "$(post team -d action=first_conversation -d "date=$(TZ=Europe/Amsterdam date +%F)" -d "csrf=$csrf")" = 303
oc coord -o "$T/ho.html" "$OURL/handover"
check "the hand-over page counts the one record ready" grep -q 'id="waiting" data-count="1"' "$T/ho.html"
"$B/inloopctl" --dir "$T/cs" contacted "$CRISIS_ID" "$(TZ=Europe/Amsterdam date +%F)" >/dev/null
"$B/inloopctl" --dir "$T/cs" export --format csv >"$T/ctl.csv" 2>/dev/null
"$B/inloopctl" --dir "$T/cs" export --format json >"$T/ctl.json" 2>/dev/null
oc coord -D "$T/csv.h" -o "$T/office.csv" "$OURL/handover?format=csv"
check "a CSV download: text/csv as an attachment" sh -c "grep -qi '^Content-Type: text/csv' '$T/csv.h' && grep -qi '^Content-Disposition: attachment; filename=\"overdracht-' '$T/csv.h'"
check "... its header row is inloopctl export's" test "$(head -1 "$T/office.csv")" = "$(head -1 "$T/ctl.csv")"
check "... and its one row is inloopctl's row of that record, cell for cell" sh -c "test \"\$(sed -n 2p '$T/office.csv')\" = \"\$(grep -F '$CRISIS_ID' '$T/ctl.csv')\" && test \$(wc -l <'$T/office.csv') = 2"
check "... a download marks nothing" sh -c "oc() { :; }; curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.coord' '$OURL/handover' | grep -q 'data-count=\"1\"'"
check "an unknown format: 400" test "$(code coord "$OURL/handover?format=xls")" = 400
ccsrf=$(field csrf "$T/ho.html")
check "a hand-over without CSRF token: 403" test "$(oc coord -o /dev/null -w '%{http_code}' -d format=json "$OURL/handover")" = 403
check "hand-over as JSON: 200" test "$(oc coord -o "$T/office.json" -w '%{http_code}' -d format=json -d "csrf=$ccsrf" "$OURL/handover")" = 200
check "... the record as inloopctl export --format json has it" sh -c "test \"\$(jq -S '.records[0].record' '$T/office.json')\" = \"\$(jq -S '.records[] | select(.record_id == \"$CRISIS_ID\") | .record' '$T/ctl.json')\" && test \$(jq '.records | length' '$T/office.json') = 1"
check "... marked handed over" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.coord' '$OURL/r/$CRISIS_ID' | grep -q 'data-status=\"handed_over\"'"
check "... so the next hand-over is empty" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.coord' '$OURL/handover' | grep -q 'data-count=\"0\"'"

# English second: ?lang= switches (and is remembered in a cookie), ?lang=nl switches back
oc team -D "$T/en.h" -o "$T/en.html" "$OURL/worklist?lang=en"
check "?lang=en: the page is English (html lang)" grep -q '<html lang="en"' "$T/en.html"
check "... the choice is kept in a __Host- cookie (Secure, HttpOnly, SameSite=Strict)" grep -qi '^Set-Cookie: __Host-lang=en; Path=/; Secure; HttpOnly; SameSite=Strict' "$T/en.h"
badge() { sed -n 's/.*office-acuut">\([^<]*\)<.*/\1/p' "$1" | head -1; }
check "... its acuut badge too (not the Dutch word)" sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$1" != "$2" ]' - "$(badge "$T/en.html")" "$(badge "$T/wl.html")"
oc team -o "$T/en2.html" "$OURL/r/$CRISIS_ID"
check "... and holds for the next page without ?lang" grep -q '<html lang="en"' "$T/en2.html"
check "... whose words differ from the Dutch page's" sh -c "test \"\$(sed -n 's/.*<title>\([^<]*\)<.*/\1/p' '$T/en2.html')\" != \"\$(sed -n 's/.*<title>\([^<]*\)<.*/\1/p' '$T/rec.html')\""
check "... the switch offers Dutch" grep -q 'id="lang-switch" href="/r/[0-9a-f-]*?lang=nl" hreflang="nl" lang="nl"' "$T/en2.html"
oc team -o "$T/nl.html" "$OURL/worklist?lang=nl"
check "?lang=nl switches back to Dutch" grep -q '<html lang="nl"' "$T/nl.html"
oc team -o "$T/xx.html" "$OURL/worklist?lang=xx"
check "an unknown language is ignored (Dutch stays)" grep -q '<html lang="nl"' "$T/xx.html"
rm -f "$T/jar.anon"; oc anon -o "$T/login-en.html" "$OURL/login?lang=en"
check "the sign-in page too" grep -q '<html lang="en"' "$T/login-en.html"

# retention: after the first conversation and the hand-over, the contents go (0 days here)
ST="$T/cs/casestore/store.sqlite"
sqlite3 "$ST" "SELECT writefile('$T/env.der', body) FROM records WHERE id = '$CRISIS_ID'" >/dev/null
sqlite3 "$ST" "SELECT writefile('$T/other.der', body) FROM records WHERE id != '$CRISIS_ID' LIMIT 1" >/dev/null
OD="$T/cs/office/office.sqlite"
sqlite3 "$OD" "SELECT writefile('$T/person.bin', person) FROM records WHERE id = '$CRISIS_ID'" >/dev/null
check "the record's list fields are sealed in the office index (no plaintext)" sh -c "test -s '$T/person.bin' && ! grep -a -q -e 0612345678 -e window.xss '$T/person.bin'"
office_stop
office_start --retention-days 0 || { echo "not ok - office restart"; done_testing; exit 1; }
i=0; while [ $i -lt 50 ] && ! grep -q 'retention: contents of 1 records erased' "$OFF_LOG"; do sleep 0.1; i=$((i + 1)); done
check "the office erased the one record due" grep -q 'retention: contents of 1 records erased' "$OFF_LOG"
check "... its envelope left the case store, a tombstone stays" test "$(sqlite3 "$ST" "SELECT (SELECT count(*) FROM records WHERE id = '$CRISIS_ID') || '/' || (SELECT count(*) FROM erased WHERE id = '$CRISIS_ID')")" = 0/1
check "... the records not handed over stay" test "$(sqlite3 "$ST" 'SELECT count(*) FROM records')" = 4
check "... no piece of the envelope is left in the store's files" python3 -c "
import sys; e = open('$T/env.der', 'rb').read(); p = e[len(e) // 2:len(e) // 2 + 48]
sys.exit(any(p in open(f, 'rb').read() for f in ['$ST', '$ST-wal'] if __import__('os').path.exists(f)))"
check "... its sealed list fields left the office index" test "$(sqlite3 "$OD" "SELECT count(*) FROM records WHERE id = '$CRISIS_ID' AND person IS NULL")" = 1
check "... and no piece of them is left in the office database's files" python3 -c "
import os, sys; p = open('$T/person.bin', 'rb').read()[:40]
sys.exit(any(p in open(f, 'rb').read() for f in ['$OD', '$OD-wal'] if os.path.exists(f)))"
check "a coordinator signs in again" test "$(signin coord '+30 seconds')" = 303
oc coord -o "$T/erased.html" "$OURL/r/$CRISIS_ID"
check "... the record page says erased, with no answer shown" sh -c "grep -q 'id=\"erased\"' '$T/erased.html' && grep -q 'data-status=\"erased\"' '$T/erased.html' && ! grep -q -e xss -e 0612345678 -e 'data-answer=' '$T/erased.html'"
check "... the stats still count it" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.coord' '$OURL/stats' | grep -q 'id=\"total\" data-value=\"5\"'"
check "... an audit line says so" sh -c "sqlite3 '$T/cs/office/office.sqlite' \"SELECT user, action, target FROM audit\" | grep -q \"^retention|erase|$(echo "$CRISIS_REF" | tr -d -)\$\""
server_start "$T/cs" >/dev/null
R="$URL/v1/records"
check "a device uploading the erased record again gets 200" test "$(curl_dev "$T/cs/device" -X PUT --data-binary "@$T/env.der" "$R/$CRISIS_ID")" = 200
check "... other bytes under that id get 409" test "$(curl_dev "$T/cs/device" -X PUT --data-binary "@$T/other.der" "$R/$CRISIS_ID")" = 409
check "... and nothing is stored again" test "$(sqlite3 "$ST" "SELECT count(*) FROM records WHERE id = '$CRISIS_ID'")" = 0
server_stop

# an expired session (idle timeout) is the negative twin of a live one
office_stop
office_start --idle 2 || { echo "not ok - office restart"; done_testing; exit 1; }
check "signed in again (office with a 2 s idle timeout)" test "$(signin team '+30 seconds')" = 303
sleep 1; a=$(code team "$OURL/worklist"); sleep 1; b=$(code team "$OURL/worklist"); sleep 1
check "requests every second keep the session alive" test "$a$b$(code team "$OURL/worklist")" = 200200200
sleep 3
check "after 3 s without a request the session has expired: redirected to sign-in" test "$(code team "$OURL/worklist")" = 303
oc team -o "$T/expired.html" "$OURL/r/$CRISIS_ID"
check "... with no record data in the reply" sh -c "! grep -q -e xss -e 0612345678 -e Persoon '$T/expired.html'"
check "... and it stays expired" test "$(code team "$OURL/r/$CRISIS_ID")" = 303

for i in 1 2 3 4 5; do signin coord '' 'not the password' >/dev/null; done
check "after 5 failures the right password is throttled: 429" test "$(signin coord '+30 seconds')" = 429
check "the office log holds no name or phone" sh -c "! grep -q -e xss -e 0612345678 -e Persoon '$OFF_LOG'"
office_stop
check "the audit log is intact" "$B/inloop-office" --dir "$T/cs" audit-verify
check "... and holds references, not names" sh -c "sqlite3 '$T/cs/office/office.sqlite' 'select * from audit' | grep -q \"view|$(echo "$CRISIS_REF" | tr -d -)\" && ! sqlite3 '$T/cs/office/office.sqlite' 'select * from audit' | grep -q xss"
refuse "the audit log refuses an UPDATE" sqlite3 "$T/cs/office/office.sqlite" "UPDATE audit SET user='x' WHERE n=2"
cp "$T/cs/office/office.sqlite" "$T/good.sqlite"
sqlite3 "$T/cs/office/office.sqlite" "DROP TRIGGER audit_no_update; UPDATE audit SET target='other' WHERE n=3"
refuse "a changed audit line is detected" "$B/inloop-office" --dir "$T/cs" audit-verify
cp "$T/good.sqlite" "$T/cs/office/office.sqlite"; rm -f "$T/cs/office/office.sqlite-wal" "$T/cs/office/office.sqlite-shm"
sqlite3 "$T/cs/office/office.sqlite" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE n=(SELECT max(n) FROM audit)"
refuse "a truncated audit log is detected" "$B/inloop-office" --dir "$T/cs" audit-verify
done_testing
