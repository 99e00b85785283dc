# tests/sync-lib.sh — helpers for the sync and back-office tests (t5*, t6*), sourced after
# lib.sh: a demo case store, a real server on a free loopback port, and clean shutdown.
#   pki DIR                    inloopctl init-demo DIR (dies on failure): DIR/casestore
#                              (the server's folder), DIR/office, DIR/ca, DIR/device
#   server_start DIR [PORT]    starts build/inloop-casestore; sets SRV_PID, SRV_PORT, URL
#   server_stop                SIGTERM, waits; returns the server's exit code
#   server_kill                SIGKILL, waits
# Servers still running when the test ends are stopped by the EXIT trap.
SRV_PID=""
SRV_PORT=""
URL=""
_sync_pids=""
trap '_sync_cleanup; rm -rf "$T"' EXIT

_sync_cleanup() {
	for p in $_sync_pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $_sync_pids; do wait "$p" 2>/dev/null; done
}

pki() {
	"$B/inloopctl" init-demo "$1" >"$T/init.out" 2>&1 || {
		echo "not ok 1 - inloopctl init-demo"; sed 's/^/# /' "$T/init.out"; echo "1..1"; exit 1; }
}

# waits until LOG says "listening on HOST:PORT" (or the process died); prints the port.
# LOG may not exist yet: `cmd >LOG &` opens it in the child, after the parent goes on.
_wait_listen() { # LOG PID
	i=0
	while [ $i -lt 100 ]; do
		port=""
		[ -f "$1" ] && port=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\)$/\1/p' "$1" | tail -1)
		[ -n "$port" ] && { echo "$port"; return 0; }
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

_srv_n=0
server_start() { # DIR [PORT]; each start logs to its own file, all appended to $T/server.log
	_srv_n=$((_srv_n + 1))
	SRV_LOG="$T/server.$_srv_n.log"
	"$B/inloop-casestore" --dir "$1" --listen "127.0.0.1:${2:-0}" ${SRV_QUIET:+--quiet} >"$SRV_LOG" 2>&1 &
	SRV_PID=$!
	_sync_pids="$_sync_pids $SRV_PID"
	SRV_PORT=$(_wait_listen "$SRV_LOG" "$SRV_PID")
	[ -n "$SRV_PORT" ] || { sed 's/^/# server: /' "$SRV_LOG" | tail -20; return 1; }
	URL="https://127.0.0.1:$SRV_PORT"
}

# every server log line so far
server_log() { cat "$T"/server.*.log 2>/dev/null; }

server_stop() {
	kill -TERM "$SRV_PID" 2>/dev/null
	wait "$SRV_PID"
}

server_kill() {
	kill -KILL "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	return 0
}

# rows in the case store / the device outbox (sqlite3 CLI; -readonly never creates)
store_rows() { sqlite3 -readonly "$1/casestore/store.sqlite" 'SELECT count(*) FROM records'; }
outbox_rows() { sqlite3 -readonly "$1/outbox.sqlite" "SELECT count(*) FROM outbox${2:+ WHERE $2}"; }

# curl as a device (CLI): curl_dev DIR/device EXTRA... ; prints the HTTP code
curl_dev() {
	s=$1; shift
	curl -s -o /dev/null -w '%{http_code}' --cacert "$s/ca.pem" --capath /dev/null \
		--cert "$s/device.pem" --key "$s/device.key" -H 'Expect:' \
		-H 'Content-Type: application/pkcs7-mime' "$@"
}
