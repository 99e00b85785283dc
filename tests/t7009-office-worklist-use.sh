#!/bin/sh
# The office as a consultant with many cases and a coordinator use it (issue 11 "Worklist",
# "Record page", "Act on it", "Sign in"), with curl against the real build/inloop-office:
# each filter narrows to what the index says (location, status, crisis kind, assignee,
# week, also typed in lower case), the reference found as printed, typed, lower case and
# with O/I/L for 0/1, paging past 50 rows keeping the filters, the gap warning on the
# record page and the devices page when a record never arrived, every kind of contact
# attempt kept with who logged it, the history refusing changes in the database itself,
# overdue rows marked in words and sorted right after the acuut ones, and the sign-in
# throttle per address (many accounts tried from one address).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
check "fixture: 5 records at the library through the case store" office_fixture
D="$T/cs/device"
jq '.location = "Wijkcentrum Noord"' "$D/config.json" >"$T/c.json" && cp "$T/c.json" "$D/config.json"
check "61 more at a second location (every 5th a crisis)" "$B/tests/mkrecords" "$D" 61 5
gap=$(sqlite3 "$D/outbox.sqlite" "SELECT seq FROM outbox ORDER BY seq LIMIT 1 OFFSET 10")
check "one of them is lost before it is sent (seq $gap never arrives)" sqlite3 "$D/outbox.sqlite" "DELETE FROM outbox WHERE seq = $gap"
server_start "$T/cs" && "$B/inloop" --state "$D" sync --url "$URL" >/dev/null; server_stop
office_start || { echo "not ok - office start"; done_testing; exit 1; }
OD="$T/cs/office/office.sqlite"
check "the index holds 65 records" test "$(sqlite3 "$OD" 'SELECT count(*) FROM records')" = 65
check "coordinator signs in" test "$(signin coord)" = 303

page() { oc coord -o "$T/p.html" -w '%{http_code}' "$OURL/worklist$1"; }
count() { sqlite3 "$OD" "SELECT min(50, count(*)) FROM records WHERE $1"; }
filter() { # QUERY SQL [NOTE]: a 200 page with the rows the index has under that condition, not all
	want=$(count "$2")
	rm -f "$T/p.html"
	check "filter $1${3:+ ($3)}: $want rows, as the index says" sh -c "[ '$(page "$1")' = 200 ] && [ '$want' -gt 0 ] && [ '$want' -lt 65 ] && [ \$(grep -o 'data-ref=\"' '$T/p.html' | wc -l) = '$want' ]"
}
csrf=$(oc coord "$OURL/worklist" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
act() { id=$1; shift; oc coord -o /dev/null -w '%{http_code}' -d "csrf=$csrf" "$@" "$OURL/r/$id"; }
two=$(sqlite3 "$OD" "SELECT id FROM records WHERE location = 'Wijkcentrum Noord' ORDER BY id LIMIT 2")
for id in $two; do act "$id" -d action=assign -d to=team >/dev/null; done
week=$(sqlite3 "$OD" 'SELECT week FROM records LIMIT 1')
filter "?loc=Bibliotheek%20Centrum%20(demo)" "location = 'Bibliotheek Centrum (demo)'"
filter "?loc=Wijkcentrum%20Noord&kind=eviction" "location = 'Wijkcentrum Noord' AND ',' || kinds || ',' LIKE '%,eviction,%'"
filter "?kind=water" "',' || kinds || ',' LIKE '%,water,%'"
filter "?status=assigned" "status = 'assigned'"
filter "?assignee=team" "assignee = 'team'"
filter "?loc=Bibliotheek%20Centrum%20(demo)&assignee=-" "location = 'Bibliotheek Centrum (demo)' AND assignee IS NULL"
filter "?status=today&loc=Bibliotheek%20Centrum%20(demo)" "location = 'Bibliotheek Centrum (demo)' AND first_conv IS NULL AND effective <= '$(TZ=Europe/Amsterdam date +%F)'"
filter "?loc=Bibliotheek%20Centrum%20(demo)&week=$week" "location = 'Bibliotheek Centrum (demo)' AND week = '$week'"
lw=$(echo "$week" | tr W w)
filter "?loc=Bibliotheek%20Centrum%20(demo)&week=$lw" "location = 'Bibliotheek Centrum (demo)' AND week = '$week'" "typed in lower case"
filter "?loc=Bibliotheek%20Centrum%20(demo)&week=${week%-W*}W$(echo "${week#*-W}" | sed 's/^0//')" \
	"location = 'Bibliotheek Centrum (demo)' AND week = '$week'" "without the dash or the leading zero"
check "a week with no records: none" sh -c "[ \$(curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.coord' '$OURL/worklist?week=2001-W01' | grep -c 'data-ref=') = 0 ]"
check "a week that does not exist: 400" test "$(page '?week=2026-W60')" = 400
check "a week that is not one: 400" test "$(page '?week=next')" = 400

# paging: 65 rows, 50 a page, the filters kept in the links
check "page 1: 200" test "$(page '')" = 200
check "... 50 rows and a link to the next page" sh -c "[ \$(grep -o 'data-ref=\"' '$T/p.html' | wc -l) = 50 ] && grep -q 'rel=\"next\"' '$T/p.html' && ! grep -q 'rel=\"prev\"' '$T/p.html'"
grep -o 'data-ref="[^"]*"' "$T/p.html" | sort >"$T/p1"
check "page 2: 200" test "$(page '?page=2')" = 200
check "... the other 15 rows, a link back and none further" sh -c "[ \$(grep -o 'data-ref=\"' '$T/p.html' | wc -l) = 15 ] && grep -q 'rel=\"prev\"' '$T/p.html' && ! grep -q 'rel=\"next\"' '$T/p.html'"
grep -o 'data-ref="[^"]*"' "$T/p.html" | sort >"$T/p2"
check "... no row on both pages" test "$(comm -12 "$T/p1" "$T/p2" | wc -l)" = 0
page "?loc=Wijkcentrum%20Noord" >/dev/null
check "a filtered page links its next page with the filter" grep -q 'rel="next" id="page-next" href="/worklist?page=2&amp;loc=Wijkcentrum%20Noord"' "$T/p.html"
check "a page past the end: no rows" sh -c "[ \$(curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.coord' '$OURL/worklist?page=9' | grep -c 'data-ref=') = 0 ]"
check "page 0: 400" test "$(page '?page=0')" = 400

# search: as printed, as typed, lower case, spaces, and O/I/L where 0/1 are meant
ref=$(sqlite3 "$OD" "SELECT ref FROM records WHERE ref GLOB '*[01]*' ORDER BY ref LIMIT 1")
printed="$(echo "$ref" | cut -c1-4)-$(echo "$ref" | cut -c5-8)"
for typed in "$printed" "$(echo "$printed" | tr A-Z a-z)" "$(echo "$ref" | cut -c1-4) $(echo "$ref" | cut -c5-8)" \
	"$(echo "$printed" | tr 01 OI)" "$(echo "$printed" | tr A-Z01 a-zol)"; do
	e=$(printf '%s' "$typed" | jq -sRr @uri)
	check "search '$typed' finds $printed: 200, that one row" sh -c "[ '$(page "?q=$e")' = 200 ] && [ \"\$(grep -o 'data-ref=\"[^\"]*\"' '$T/p.html')\" = 'data-ref=\"$ref\"' ]"
done
check "a reference one letter off: 404, no rows" sh -c "[ '$(page "?q=$(echo "$ref" | cut -c1-7)U")' = 404 ] && ! grep -q 'data-ref=' '$T/p.html'"

# the gap: the record after the lost one warns, the one before does not; the devices page counts it
after=$(sqlite3 "$OD" "SELECT id FROM records WHERE seq = $((gap + 1))")
before=$(sqlite3 "$OD" "SELECT id FROM records WHERE seq = $((gap - 1))")
oc coord -o "$T/after.html" "$OURL/r/$after"
check "the record after the lost one warns of a gap, naming seq $gap" grep -q "id=\"gap\" data-missing=\"$gap\"" "$T/after.html"
oc coord -o "$T/before.html" "$OURL/r/$before"
check "... the record before it does not" sh -c "! grep -q 'id=\"gap\"' '$T/before.html'"
check "ICT signs in" test "$(signin ict)" = 303
check "the devices page counts the missing record" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.ict' '$OURL/devices' | grep -q 'data-device=\"kiosk-demo-1\" data-revoked=\"0\" data-missing=\"1\"'"

# every kind of contact attempt, who logged it, and the history kept as it was
check "team signs in" test "$(signin team)" = 303
oc team -o "$T/mine.html" "$OURL/worklist"
check "the team member's worklist links to their own cases" grep -q 'id="mine" href="/worklist?assignee=team"' "$T/mine.html"
check "... which are the two assigned to them" test "$(oc team "$OURL/worklist?assignee=team" | grep -o 'data-ref="' | wc -l)" = 2
tcsrf=$(oc team "$OURL/r/$CRISIS_ID" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
for o in not_reached voicemail wrong_number reached; do
	check "team logs a contact attempt: $o (303)" test "$(oc team -o /dev/null -w '%{http_code}' -d "csrf=$tcsrf" -d action=contact -d "outcome=$o" "$OURL/r/$CRISIS_ID")" = 303
done
check "a contact attempt in the future: 400" test "$(oc team -o /dev/null -w '%{http_code}' -d "csrf=$tcsrf" -d action=contact -d outcome=reached -d "when=$(TZ=Europe/Amsterdam date -d '+2 days' +%FT10:00)" "$OURL/r/$CRISIS_ID")" = 400
check "a contact attempt before the registration: 400" test "$(oc team -o /dev/null -w '%{http_code}' -d "csrf=$tcsrf" -d action=contact -d outcome=reached -d "when=$(TZ=Europe/Amsterdam date -d '-2 days' +%FT10:00)" "$OURL/r/$CRISIS_ID")" = 400
check "... one this morning with its time: 303" test "$(oc team -o /dev/null -w '%{http_code}' -d "csrf=$tcsrf" -d action=contact -d outcome=voicemail -d "when=$(TZ=Europe/Amsterdam date +%FT00:01)" "$OURL/r/$CRISIS_ID")" = 303
check "an outcome that is not one: 400" test "$(oc team -o /dev/null -w '%{http_code}' -d "csrf=$tcsrf" -d action=contact -d outcome=maybe "$OURL/r/$CRISIS_ID")" = 400
oc team -o "$T/rec.html" "$OURL/r/$CRISIS_ID"
check "... the five attempts in the history, in order, each by team" test "$(grep -o 'data-kind="contact" data-value="[a-z_]*" data-user="team"' "$T/rec.html" | sed 's/.*value="\([a-z_]*\)".*/\1/' | tr '\n' ,)" = "not_reached,voicemail,wrong_number,reached,voicemail,"
a1=$(echo "$two" | head -1)
act "$a1" -d action=assign -d to=coord >/dev/null
check "a second assignment is added to the history, the first kept" test "$(oc coord "$OURL/r/$a1" | grep -o 'data-kind="assign" data-value="[a-z]*"' | tr '\n' ,)" = 'data-kind="assign" data-value="team",data-kind="assign" data-value="coord",'
office_stop
refuse "the history refuses a changed line, even in the database itself" sqlite3 "$OD" "UPDATE events SET value = 'reached' WHERE kind = 'contact' AND value = 'wrong_number'"
refuse "... and a deleted one" sqlite3 "$OD" "DELETE FROM events WHERE kind = 'contact'"
check "... but lets retention wipe a note" sqlite3 "$OD" "UPDATE events SET note = NULL WHERE kind = 'note'"

# overdue: two records whose deadline passed two days ago (their index rows aged by hand)
ago=$(TZ=Europe/Amsterdam date -d '-2 days' +%F)
sqlite3 "$OD" "UPDATE records SET effective = '$ago' WHERE id IN (SELECT id FROM records WHERE acuut = 0 AND first_conv IS NULL ORDER BY id DESC LIMIT 2)"
office_start || { echo "not ok - office restart"; done_testing; exit 1; }
check "coordinator signs in again" test "$(signin coord '+30 seconds')" = 303
page "" >/dev/null
check "the banner counts the two overdue" grep -q 'id="today" data-acuut="[0-9]*" data-due="[0-9]*" data-overdue="2"' "$T/p.html"
check "... the two rows are marked overdue in words (a badge), not by colour alone" \
	test "$(grep -o 'data-overdue="1">.*' "$T/p.html" | grep -o 'office-overdue">[^<][^<]*<' | wc -l)" = 2
check "... right after the acuut rows, before every record not yet due" test "$(grep -o 'data-acuut="[01]" data-overdue="[01]"' "$T/p.html" | uniq | tr '\n' ,)" = 'data-acuut="1" data-overdue="0",data-acuut="0" data-overdue="1",data-acuut="0" data-overdue="0",'
late=$(sqlite3 "$OD" "SELECT id FROM records WHERE effective = '$ago' LIMIT 1")
check "... the record page says overdue in words, with the day it was due" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.coord' '$OURL/r/$late' | grep -q 'id=\"due\" data-due=\"overdue\"><span class=\"[^\"]*office-overdue\">[^<][^<]*</span>[^<]*$ago'"
later=$(sqlite3 "$OD" "SELECT id FROM records WHERE acuut = 0 AND first_conv IS NULL AND effective > '$(TZ=Europe/Amsterdam date +%F)' LIMIT 1")
check "... one not yet due says by when" sh -c "curl -s --cacert '$T/cs/ca/ca.pem' -b '$T/jar.coord' '$OURL/r/$later' | grep -q 'id=\"due\" data-due=\"later\">'"
check "status 'overdue' lists just those two" test "$(page '?status=overdue' >/dev/null; grep -o 'data-overdue="1"' "$T/p.html" | wc -l)/$(grep -o 'data-ref=' "$T/p.html" | wc -l)" = 2/2
office_stop

# the throttle per address: many accounts tried from one address, each fewer than 5 times
office_start || { echo "not ok - office restart"; done_testing; exit 1; }
for i in $(seq 20); do echo "totp-secret: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" >"$T/user.nobody$i"; done
for i in $(seq 19); do signin "nobody$i" '' 'not the password' >/dev/null; done
check "after 19 failures from one address (19 accounts) a good sign-in still works" test "$(signin team '+30 seconds')" = 303
signin nobody20 '' 'not the password' >/dev/null
check "after the 20th the address is throttled: 429 for the right password" test "$(signin ict '+30 seconds')" = 429
check "... and says so in the audit log" sqlite3 "$OD" "SELECT 1 FROM audit WHERE action = 'sign-in-throttled'" 
office_stop

# retention's configured days: a record handed over today stays with 1 day; a days value
# that is not a whole number is refused, never read as 0 (which erases at once)
for bad in x 9O -1 ''; do
	refuse "--retention-days '$bad' is refused" "$B/inloop-office" --dir "$T/cs" --retention-days "$bad" audit-verify
done
refuse "--idle 'ten' is refused" "$B/inloop-office" --dir "$T/cs" --idle ten audit-verify
echo "$PW" | "$B/inloop-office" --dir "$T/cs" user add keeper --role coordinator --password-stdin >"$T/user.keeper"
office_start --retention-days 1 || { echo "not ok - office restart"; done_testing; exit 1; }
check "a coordinator signs in" test "$(signin keeper)" = 303
kcsrf=$(oc keeper "$OURL/r/$CRISIS_ID" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
check "the crisis record's first conversation today" test "$(oc keeper -o /dev/null -w '%{http_code}' -d "csrf=$kcsrf" -d action=first_conversation -d "date=$(TZ=Europe/Amsterdam date +%F)" "$OURL/r/$CRISIS_ID")" = 303
check "... handed over" test "$(oc keeper -o /dev/null -w '%{http_code}' -d "csrf=$kcsrf" -d format=json "$OURL/handover")" = 200
office_stop
office_start --retention-days 1 || { echo "not ok - office restart"; done_testing; exit 1; }
i=0; while [ $i -lt 100 ] && ! grep -q 'retention: none due (1 days' "$OFF_LOG"; do sleep 0.1; i=$((i + 1)); done
check "with 1 day of retention the run after the hand-over finds none due" grep -q 'retention: none due (1 days' "$OFF_LOG"
check "... the envelope stays in the case store" test "$(sqlite3 "$T/cs/casestore/store.sqlite" "SELECT count(*) FROM records WHERE id = '$CRISIS_ID'")" = 1
check "... the index row is not erased, no audit line says erase" test "$(sqlite3 "$OD" "SELECT count(*) FROM records WHERE id = '$CRISIS_ID' AND erased_at IS NULL AND person IS NOT NULL")/$(sqlite3 "$OD" "SELECT count(*) FROM audit WHERE action = 'erase'")" = 1/0
office_stop
done_testing
