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
"$B/inloop-casestore" --dir "$S/cs" --listen 127.0.0.1:0 --quiet --rate 0 2>"$S/cs.log" & cs=$!   # no per-device limit: one device sends 10,000
sleep 0.5; port=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$S/cs.log")
fs=$("$B/bench/fsyncrate" "$S" | sed -n 's/.*, \([0-9]*\)\/s$/\1/p')
"$B/bench/drain" "$S/cs/device" "https://127.0.0.1:$port" 10000 "$fs"
"$B/bench/server_rate" "$S/cs/device" "https://127.0.0.1:$port" 1 5000 "$fs"
"$B/bench/server_rate" "$S/cs/device" "https://127.0.0.1:$port" 8 1000 "$fs"
kill -TERM $cs; wait $cs
sed -n 's/^casestore: stopped: /case store: /p' "$S/cs.log"

# Network back -> record stored (sync, issue 8): a crisis record waiting on the kiosk, the
# way to the case store cut and brought back at a random moment; beside the floor of an
# uploader told at once, in the same run. Loopback store restart (no network event: the
# crisis probe), then a veth link down/up in a private namespace (the netlink wake).
NB=${NETBACK_TRIALS:-10}
rm -rf "$S/nb"; "$B/inloopctl" init-demo "$S/nb" >/dev/null || exit 1
nbport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"https://127.0.0.1:$nbport\"|" "$S/nb/device/config.json"
"$B/bench/netback" "$S/nb/device" "$NB" --store "$B/inloop-casestore" "$S/nb" "$nbport"
ns=-n; [ "$(id -u)" = 0 ] || ns=-rn
if unshare $ns true 2>/dev/null; then
	unshare $ns sh "$TOP/bench/netback.sh" "$B" "$S/nbl" "$NB"
else
	echo "network back -> record stored (netlink): no network namespace here (unshare $ns), skipped"
fi

# The office (issue 11): 50-row worklist pages and the first index build, beside one envelope's opening time.
INLOOP_BUILD="$B" sh "$TOP/bench/office.sh"
