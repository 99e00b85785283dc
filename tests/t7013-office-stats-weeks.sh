#!/bin/sh
# The stats' per-week chart (issue 11 "Stats with pictures") shows the last 26 weeks, oldest
# first: with one record a week for 40 weeks, the chart draws 26 bars from the week 25
# weeks before this one to this week, and its table lists the same 26 weeks, in the same
# order (its caption says so). Twin: the weeks before those 26 are in the index (40 weeks)
# but in neither the chart nor its table.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
pki "$T/cs"
S="$T/cs/device"
"$B/inloop-office" --dir "$T/cs" setup >/dev/null
echo "$PW" | "$B/inloop-office" --dir "$T/cs" user add coord --role coordinator --password-stdin >"$T/user.coord"
check "case store starts" server_start "$T/cs"
n=0
put() { # DAY: seals one regular record made on DAY and PUTs it
	n=$((n + 1)); id=$(cat /proc/sys/kernel/random/uuid)
	printf '{"schema":"inloop-registration/1","record_id":"%s","seq":%d,"created_at":"%sT10:00:00+01:00","device_id":"kiosk-demo-1","location":"Test","language":"nl","mode":"kiosk","answers":{"crisis":["none"],"name":"Naam %d","contact":"phone","phone":"0612345678","postcode":"1234AB","house_number":"12","privacy_read":true,"interpreter":"no"},"crisis":{"crisis":false,"kinds":[],"unknown":false,"known_date":null,"acuut":false,"priority":0},"deadline":{"kind":"x","target":"%s","legal":"%s","holidays_version":"atw-2025-2028.1"}}' \
		"$id" "$n" "$1" "$n" "$1" "$1" >"$T/r$n.json"
	"$B/tests/seal_tool" "$S" "$T/r$n.json" "$T/r$n.der" >/dev/null &&
	test "$(curl_dev "$S" -X PUT --data-binary "@$T/r$n.der" "$URL/v1/records/$id")" = 201
}
w=39
while [ $w -ge 0 ]; do put "$(date -d "-$((w * 7)) days" +%F)" || echo "# put $w failed"; w=$((w - 1)); done
check "40 records, one a week, in the case store" test "$(store_rows "$T/cs")" = 40
server_stop
office_start || { echo "not ok - office start"; done_testing; exit 1; }
check "... all 40 in the office's index" test "$(sqlite3 "$T/cs/office/office.sqlite" 'SELECT count(DISTINCT week) FROM records')" = 40
check "coordinator signs in" test "$(signin coord)" = 303
oc coord -o "$T/stats.html" "$OURL/stats"
chart() { sed -n 's/.*<svg[^>]*id="in-time-week-chart">\(.*\)/\1/p' "$1" | sed 's#</svg>.*##'; }
bars() { chart "$1" | grep -o '<rect class="office-bar"' | wc -l; }
rows() { sed -n 's/.*<table[^>]*id="in-time-week">//p' "$1" | sed 's#</table>.*##' | grep -o 'data-label="[^"]*"' | sed 's/data-label="\(.*\)"/\1/'; }
iso() { date -d "$1" +%G-W%V; }
check "the chart draws 26 bars, not every week there has been" test "$(bars "$T/stats.html")" = 26
check "... the table lists 26 weeks" test "$(rows "$T/stats.html" | wc -l)" = 26
check "... oldest first: 25 weeks ago" test "$(rows "$T/stats.html" | head -1)" = "$(iso '-175 days')"
check "... newest last: this week" test "$(rows "$T/stats.html" | tail -1)" = "$(iso today)"
check "... in order" sh -c "[ \"\$(printf '%s\n' \"\$1\" | sort)\" = \"\$1\" ]" - "$(rows "$T/stats.html")"
check "... the chart's description names the same weeks" sh -c "grep -o '<desc id=\"in-time-week-d\">[^<]*' '$T/stats.html' | grep -q '$(iso '-175 days'): .*$(iso today): '"
check "... and no older week, though the index has 14 more" sh -c "! grep -o '<desc id=\"in-time-week-d\">[^<]*' '$T/stats.html' | grep -q '$(iso '-182 days'):'"
done_testing
