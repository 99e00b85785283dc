#!/bin/sh
# The staff menu's "Last sent" survives a restart although nobody opened the menu (issue
# 13): the kiosk keeps the uploader's last accepted record in status.json (last_sync) as
# it runs, from Welcome's status line. A registration goes out through the kiosk's own
# uploader to the real case store on loopback; the kiosk ends; after a restart with the
# case store gone the staff menu still says when. Twin: a kiosk whose case store never
# answered keeps no time and says "not known".
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/host-lib.sh"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
P="$T/cs"
S="$P/device"
pki "$P"
set_pin 2468
cp -a "$S" "$T/offline"
server_start "$P" || { echo "not ok 1 - case store starts"; echo "1..1"; exit 1; }
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"$URL\"|" "$S/config.json"

# sent REPLAY STATE: the demo registration through the kiosk's uploader, then Welcome a moment.
sent() {
	{ echo "sync-start"; cat "$TOP/platform/demo/2-none-en.replay"; echo "wait-sync ${3:-20000}"
	  echo "expect welcome"; echo "wait 1500"; } >"$T/r.replay"
	"$B/inloop-test" --state "$2" --lang en --windowed 1280x800 --replay "$T/r.replay"
}
t0=$(date +%s)
check "a registration leaves through the kiosk's own uploader" sent "$T/r.replay" "$S"
check "... the case store holds it" test "$(store_rows "$P")" = 1
last=$(status last_sync)
check "status.json keeps when (no staff menu was opened)" test "${last:-0}" -ge "$t0"
server_stop

menu() {
	{ echo "$HOLD"; pin_taps 2468; echo "expect host"; echo "dump $2"; } >"$T/m.replay"
	"$B/inloop-test" --state "$1" --lang nl --windowed 1280x800 --replay "$T/m.replay"
}
check "after a restart, the case store gone: the staff menu opens" menu "$S" "$T/menu.dump"
day=$(date +%d-%m-%Y)
check "... and says when the last record left (today, with the time)" grep -q "^widget id=fact-last-sync .*$day [0-9][0-9]:[0-9][0-9]" "$T/menu.dump"

# Twin: the case store never answered.
sed -i 's|"url": *"[^"]*"|"url": "https://127.0.0.1:9"|' "$T/offline/config.json"
S="$T/offline"
refuse "twin: with no case store the record does not leave" sent "$T/r.replay" "$S" 3000
last=$(status last_sync)
check "... status.json keeps no time" test "${last:-0}" = 0
check "... the staff menu opens" menu "$S" "$T/menu-offline.dump"
check "... it has the line" grep -q '^widget id=fact-last-sync ' "$T/menu-offline.dump"
refuse "... and claims no time" grep -q "^widget id=fact-last-sync .*$day" "$T/menu-offline.dump"
done_testing
