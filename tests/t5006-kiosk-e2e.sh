#!/bin/sh
# End to end (issue "3 of 3"): residents register at the real kiosk program (replays, headless),
# the kiosk's own background uploader sends the sealed records to the real case store on
# loopback, and the team's worklist shows them with the right Wgs deadline; the outbox is
# empty afterwards. Negative twin: with the case store down the registration still
# completes and the record waits safely in the outbox, then leaves when the store is back.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
P="$T/cs"
S="$P/device"
pki "$P"
server_start "$P" || { echo "not ok 1 - case store starts"; echo "1..1"; exit 1; }
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"$URL\"|" "$S/config.json"
check "device points at the test case store" grep -q "$URL" "$S/config.json"

today=$(TZ=Europe/Amsterdam date +%F)
crisis_dl=$("$B/inloopctl" deadline "$today" --crisis | head -n 1)
plain_dl=$("$B/inloopctl" deadline "$today" | head -n 1)

# kiosk_with_sync REPLAY LANG WAIT: the demo replay, wrapped in the kiosk's own uploader.
kiosk_with_sync() {
	{ echo "sync-start"; cat "$1"; [ -n "$3" ] && echo "wait-sync $3"; } >"$T/r.replay"
	"$B/inloop-test" --state "$S" --lang "$2" --windowed 1280x800 --replay "$T/r.replay"
}

# the demo's eviction is two days away here (acuut): the date picker's taps for that day
mkdir -p "$T/demo"
. "$TOP/platform/demo/soon.sh"
sed "$(soon_sed)" "$TOP/platform/demo/1-eviction-nl.replay" >"$T/demo/1-eviction-nl.replay"
cp "$TOP"/platform/demo/2-*.replay "$TOP"/platform/demo/3-*.replay "$T/demo/"
for r in "$T"/demo/*.replay; do
	lang=$(basename "$r" .replay | sed 's/.*-//')
	check "kiosk ($lang) registers and its uploader sends: $(basename "$r")" \
		kiosk_with_sync "$r" "$lang" 20000
done
check "outbox on the device is empty" test "$(outbox_rows "$S")" = 0
check "case store holds 3 records" test "$(store_rows "$P")" = 3

"$B/inloopctl" --dir "$P" list --today "$today" >"$T/list" 2>"$T/list.err"
check "worklist lists 3 records, none unopened" grep -q "3 records, 1 acuut, 0 overdue, 0 not opened" "$T/list"
check "eviction: ACUUT, due today (the effective deadline)" grep -q "$today | ACUUT .*Demo Jansen" "$T/list"
check "no crisis: 4-week deadline $plain_dl" grep -q "$plain_dl | .*Demo Smith" "$T/list"
check "crisis unknown (Arabic): crisis deadline $crisis_dl" grep -q "$crisis_dl | .*سارة" "$T/list"
check "acuut first in the worklist" sh -c "grep -n 'Demo' '$T/list' | head -n 1 | grep -q 'Demo Jansen'"
refuse "worklist output has no sealed bytes or errors" test -s "$T/list.err"
refuse "server log holds no name" grep -q "Demo\|Jansen\|Smith" "$T"/server.*.log

# Negative twin: the case store is down. The registration completes, the record stays.
server_stop
check "kiosk completes a registration while the case store is down" \
	kiosk_with_sync "$TOP/platform/demo/2-none-en.replay" en ""
check "the record waits in the outbox (not lost)" test "$(outbox_rows "$S")" = 1
printf 'wait-status 10000\ndump %s\n' "$T/down.dump" >"$T/st.replay"
{ echo sync-start; cat "$T/st.replay"; } >"$T/st2.replay"
"$B/inloop-test" --state "$S" --lang nl --windowed 1280x800 --replay "$T/st2.replay" 2>/dev/null
check "Welcome tells the host: 1 waiting, no connection, kept safely" \
	grep -q 'id=host-status .*Nog te versturen: 1 (geen verbinding)' "$T/down.dump"
refuse "wait-sync fails honestly while the store is down" \
	kiosk_with_sync /dev/null en 1500
server_start "$P" || not_ok "case store restarts"
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"$URL\"|" "$S/config.json"
check "kiosk's uploader sends it once the store is back" kiosk_with_sync /dev/null en 20000
check "outbox empty again" test "$(outbox_rows "$S")" = 0
sed "s|$T/down.dump|$T/up.dump|" "$T/st2.replay" >"$T/st3.replay"
"$B/inloop-test" --state "$S" --lang ar --windowed 1280x800 --replay "$T/st3.replay" 2>/dev/null
check "Welcome in Arabic tells the host in the host's language (nl): everything has been sent" \
	grep -q 'id=host-status .*Alles is verstuurd' "$T/up.dump"
check "case store holds 4 records, each once" test "$(store_rows "$P")" = 4

# A revoked kiosk (stolen, then found): the host is told plainly, the record is kept.
check "inloopctl revoke" "$B/inloopctl" --dir "$P" revoke kiosk-demo-1
check "kiosk completes a registration after its revocation" \
	kiosk_with_sync "$TOP/platform/demo/2-none-en.replay" en ""
sed "s|$T/down.dump|$T/blocked.dump|" "$T/st2.replay" >"$T/st4.replay"
"$B/inloop-test" --state "$S" --lang nl --windowed 1280x800 --replay "$T/st4.replay" 2>/dev/null
check "Welcome tells the host: this device is not accepted, call ICT" \
	grep -q 'id=host-status .*niet toegelaten' "$T/blocked.dump"
check "the refused record stays in the outbox" test "$(outbox_rows "$S")" = 1
check "the case store still holds 4 records" test "$(store_rows "$P")" = 4
done_testing
