#!/bin/sh
# make run: a demo PKI on first run, the demo case store on loopback, the kiosk in a window.
# When the kiosk is closed, the case store's worklist is printed and the store stopped.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
DEMO="${INLOOP_DEMO_DIR:-$TOP/demo}"
PORT="${INLOOP_DEMO_PORT:-8443}"

if [ ! -f "$DEMO/ca/ca.pem" ]; then
	"$B/inloopctl" init-demo "$DEMO" --url "https://127.0.0.1:$PORT"
fi
# renew the revocation list where the CA key lives, before the case store starts (D5)
"$B/inloopctl" --dir "$DEMO" crl renew
"$B/inloop-casestore" --dir "$DEMO" --listen "127.0.0.1:$PORT" 2>"$DEMO/casestore.log" &
srv=$!
. "$TOP/sync/office/demo.sh"
trap 'office_demo_stop; kill $srv 2>/dev/null; wait $srv 2>/dev/null || true' EXIT INT TERM
sleep 0.3
if ! kill -0 $srv 2>/dev/null; then
	echo "make run: the demo case store did not start; see $DEMO/casestore.log" >&2
	exit 1
fi
echo "make run: case store on https://127.0.0.1:$PORT (log: $DEMO/casestore.log)"
echo "make run: close the kiosk's window to end (then: sync, worklist); Ctrl+C stops it all"
office_demo_start "${INLOOP_OFFICE_PORT:-8444}" || exit 1
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
	echo "make run: no display (DISPLAY/WAYLAND_DISPLAY unset). Try 'make demo', or run under Xvfb." >&2
	exit 1
fi
"$B/inloop" --state "$DEMO/device" --windowed "${INLOOP_WINDOW:-1280x800}" || true
"$B/inloop" --state "$DEMO/device" sync || true
echo
"$B/inloopctl" --dir "$DEMO" list
