#!/bin/sh
# bench/pg.sh — part of `make bench` (issue 14 "Speed"): the case store's acknowledged
# writes per second with 1, 8 and 32 devices through 1 and 2 front-ends, SQLite and
# PostgreSQL side by side, beside the disk's fsync rate measured in the same run.
# PostgreSQL: a throwaway cluster on the same disk (fsync on, synchronous_commit on, no
# standby; tests/pg-lib.sh), 8 connections per front-end, up to 16 waiting PUTs committed
# together (group commit; a last row shows 2 front-ends x 32 devices without it). SQLite with 2 front-ends means
# two servers on one file (not a deployment: shown for the comparison). Figures, not
# pass/fail. Goal: PostgreSQL with 2 front-ends and 32 devices >= SQLite with 8 devices.
#   INLOOP_BUILD=build sh bench/pg.sh
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
S="$B/bench-scratch/pg"
rm -rf "$S"; mkdir -p "$S"
"$B/inloopctl" init-demo "$S/cs" >/dev/null || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/inloop-bench.XXXXXX")
_sync_cleanup() { for p in ${fes:-}; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
. "$TOP/tests/pg-lib.sh"
{ pg_init bench durable && pg_start bench && pg_schema bench bench; } >"$S/pg.out" 2>&1 ||
	{ echo "case store on PostgreSQL: no cluster (see $S/pg.out), skipped"; exit 0; }
pgurl=$(pg_url bench casestore_bench)
fs=$("$B/bench/fsyncrate" "$S" | sed -n 's/.*, \([0-9]*\)\/s$/\1/p')
echo "case store, acknowledged writes (201 after a durable commit) beside fsync ${fs}/s:"

start_fes() { # BACKEND COUNT: sets fes (pids) and urls
	fes=""; urls=""
	for i in $(seq 1 "$2"); do
		log="$S/fe.$1.$2.$i.log"
		if [ "$1" = pg ]; then store="--store $pgurl --store-conns ${PG_CONNS:-8} --store-group ${3:-16}"; else store=""; fi
		"$B/inloop-casestore" --dir "$S/cs" --listen 127.0.0.1:0 --quiet --rate 0 $store 2>"$log" &
		fes="$fes $!"
		n=0; port=""
		while [ -z "$port" ] && [ $n -lt 100 ]; do
			sleep 0.05; n=$((n + 1))
			port=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$log")
		done
		urls="$urls https://127.0.0.1:$port"
	done
}

for backend in sqlite pg; do
	for nfe in 1 2; do
		rm -f "$S/cs/casestore/store.sqlite"*
		pg_sql bench "TRUNCATE inloop.records" >/dev/null
		start_fes "$backend" "$nfe"
		for k in 1 8 32; do
			total=$((k == 1 ? 1000 : k == 8 ? 2000 : 3200))
			printf '  %-10s ' "$([ "$backend" = pg ] && echo PostgreSQL || echo SQLite)"
			"$B/bench/pg_rate" "$S/cs/device" "$total" "$k" $urls
		done
		_sync_cleanup
	done
done
# the same without group commit (each PUT its own transaction, as before it): the difference it makes
pg_sql bench "TRUNCATE inloop.records" >/dev/null
start_fes pg 2 1
printf '  %-10s ' "PostgreSQL"
"$B/bench/pg_rate" "$S/cs/device" 3200 32 $urls | sed 's/$/ (--store-group 1: no group commit)/'
_sync_cleanup
echo "  (goal: PostgreSQL, 2 front-ends, 32 devices >= SQLite, 1 front-end, 8 devices)"
_pg_cleanup; rm -rf "$T"
