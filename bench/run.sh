#!/bin/sh
# bench/run.sh — `make bench`: runs every benchmark and prints its figures beside its floor.
# Figures, not pass/fail. One entry per bench below; add yours as a few lines.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="${INLOOP_BUILD:-${B:-$TOP/build}}"
case "$B" in /*) ;; *) B="$TOP/$B" ;; esac
S="$B/bench-scratch"
mkdir -p "$S"
[ -d "$S/pki/device" ] || "$B/inloopctl" init-demo "$S/pki" >/dev/null || exit 1

# The physical floor: raw 4 KB append + fdatasync on the disk that holds the outbox.
floor=$("$B/bench/fsyncrate" "$S") || exit 1
echo "$floor"
rate=$(echo "$floor" | sed -n 's/.*, \([0-9]*\)\/s$/\1/p')

# Seal-and-store (outbox): p50/p99 per record, fsync included; goal p99 < 20 ms.
"$B/bench/seal_store" "$S/pki/device" "$S/outbox.sqlite" 1000 | sed "\$s/\$/ | floor fsync ${rate}\/s (goal p99 < 20 ms)/"
INLOOP_BUILD="$B" sh "$TOP/bench/ui.sh"   # kiosk UI beside the bare SDL floor (media)

# Sync (sync): drain of 10,000 queued records over TLS on loopback, and the case store's
# acknowledged writes with 1 and 8 devices, beside the fsync rate measured right before.
rm -rf "$S/cs"; "$B/inloopctl" init-demo "$S/cs" >/dev/null || exit 1
"$B/inloop-casestore" --dir "$S/cs" --listen 127.0.0.1:0 --quiet 2>"$S/cs.log" & cs=$!
sleep 0.5; port=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$S/cs.log")
fs=$("$B/bench/fsyncrate" "$S" | sed -n 's/.*, \([0-9]*\)\/s$/\1/p')
"$B/bench/drain" "$S/cs/device" "https://127.0.0.1:$port" 10000 "$fs"
"$B/bench/server_rate" "$S/cs/device" "https://127.0.0.1:$port" 1 5000 "$fs"
"$B/bench/server_rate" "$S/cs/device" "https://127.0.0.1:$port" 8 1000 "$fs"
kill -TERM $cs; wait $cs
sed -n 's/^casestore: stopped: /case store: /p' "$S/cs.log"

# The office (issue 11): 50-row worklist pages and the first index build, beside one envelope's opening time.
INLOOP_BUILD="$B" sh "$TOP/bench/office.sh"
