#!/bin/sh
# bench/netback.sh — the netlink half of "network back -> record stored", run inside a
# private network namespace by bench/run.sh (unshare -n, or -rn without root): the case
# store in a second namespace across a veth pair, the fault proxy on this side's loopback
# (the store's certificate names 127.0.0.1), and bench/netback toggling the veth link.
#   sh bench/netback.sh BUILD SCRATCH TRIALS
set -u
B=$1 W=$2 N=$3
rm -rf "$W" && mkdir -p "$W" || exit 1
"$B/inloopctl" init-demo "$W/cs" >/dev/null || exit 1
ip link set lo up || exit 1
unshare -n sleep 3600 & peer=$!
trap 'kill $srv $px $peer 2>/dev/null' EXIT
sleep 0.1
ip link add va type veth peer name vb netns "$peer" 2>/dev/null || { echo "netback (netlink): no veth here, skipped"; exit 0; }
nsenter --preserve-credentials -t "$peer" -n sh -c 'ip link set lo up && ip addr add 10.200.0.1/24 dev vb && ip link set vb up'
ip addr add 10.200.0.2/24 dev va && ip link set va up
nsenter --preserve-credentials -t "$peer" -n "$B/inloop-casestore" --dir "$W/cs" --listen 10.200.0.1:0 --quiet 2>"$W/srv.log" & srv=$!
sleep 0.5; sport=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$W/srv.log")
"$B/tests/faultproxy" --store "$W/cs" --device "$W/cs/device" --to "10.200.0.1:$sport" 2>"$W/px.log" & px=$!
sleep 0.3; pport=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$W/px.log")
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"https://127.0.0.1:$pport\"|" "$W/cs/device/config.json"
"$B/bench/netback" "$W/cs/device" "$N" --link va
