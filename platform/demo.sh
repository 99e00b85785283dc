#!/bin/sh
# make demo: the whole chain without a display. The demo PKI of `make run` in demo/ (made
# on first use, the same folder the README names), the case store on a free loopback port,
# three sample residents registered through replays of the real kiosk program (headless),
# a sync, and the team's worklist. Each run adds three residents; rm -rf demo to start over.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
DEMO="${INLOOP_DEMO_DIR:-$TOP/demo}"
PORT="${INLOOP_DEMO_PORT:-8443}"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

if [ ! -f "$DEMO/ca/ca.pem" ]; then
	mkdir -p "$(dirname "$DEMO")"
	"$B/inloopctl" init-demo "$DEMO" --url "https://127.0.0.1:$PORT" >/dev/null
fi
"$B/inloop-casestore" --dir "$DEMO" --listen 127.0.0.1:0 2>"$DEMO/casestore.log" &
srv=$!
. "$TOP/sync/office/demo.sh"
trap 'office_demo_stop; kill $srv 2>/dev/null; wait $srv 2>/dev/null || true' EXIT INT TERM
port=""
for _ in $(seq 200); do   # up to 20 s on a loaded machine
	port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$DEMO/casestore.log" | head -n 1)
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "make demo: the case store did not start:" >&2; cat "$DEMO/casestore.log" >&2; exit 1; }
echo "== case store listening on https://127.0.0.1:$port"

for r in "$TOP"/platform/demo/*.replay; do
	lang=$(basename "$r" .replay | sed 's/.*-//')
	echo "== kiosk ($lang): $(sed -n '1s/^# //p' "$r")"
	"$B/inloop" --state "$DEMO/device" --lang "$lang" --windowed 1280x800 --replay "$r"
done
echo "== outbox on the device"
"$B/inloop" --state "$DEMO/device" outbox
echo "== sync"
"$B/inloop" --state "$DEMO/device" sync --url "https://127.0.0.1:$port"
echo "== worklist of the debt-help team"
"$B/inloopctl" --dir "$DEMO" list
office_demo_start "${INLOOP_OFFICE_PORT:-0}"
office_demo_peek
if [ -t 0 ]; then
	printf '   the office keeps running: press Enter to stop it. '
	read -r _
fi
