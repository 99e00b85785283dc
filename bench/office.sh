#!/bin/sh
# bench/office.sh — the office's worklist at scale (issue 11 "Scale and speed"), from
# bench/run.sh. Figures, not pass/fail; each beside the time to open one envelope
# measured in the same run.
#   1. office_gen seals N1 distinct records (2 threads) into a case store and times
#      opening 2,000 of them (the envelope-opening rate);
#   2. the office's first start over that store builds its index (its log gives the rate;
#      it opens envelopes on one thread per core, so on an idle machine it passes the
#      one-thread opening rate of step 1);
#   3. a signed-in curl fetches the worklist's first 50-row page R times over one
#      keep-alive connection: server time ~ time to first byte - time to send (loopback);
#      (unfiltered, filtered by location, status, crisis kind and week, and a deep page);
#   4. the index is grown to N2 rows by inserting rows straight into the office database,
#      sorted after the real ones and without envelopes (sealing N2 would take minutes on
#      2 cores): the page shown is still 50 real rows, whose names and contacts come
#      from the index's sealed list fields (vault.h), not from their envelopes.
# OFFICE_BENCH_N1 (20000), OFFICE_BENCH_N2 (100000), OFFICE_BENCH_R (40) change the sizes.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
S="$B/bench-scratch/office"
N1=${OFFICE_BENCH_N1:-20000} N2=${OFFICE_BENCH_N2:-100000} R=${OFFICE_BENCH_R:-40}
PW='bench password for the office'
rm -rf "$S"; mkdir -p "$S"
"$B/inloopctl" init-demo "$S/cs" >/dev/null || exit 1
gen=$("$B/bench/office_gen" "$S/cs" "$N1" 2) || exit 1
echo "$gen" | sed 's/^/office: /'
open_ms=$(echo "$gen" | sed -n 's/.*, \([0-9.]*\) ms each$/\1/p')
open_rate=$(echo "$gen" | sed -n 's/^open: .*: \([0-9]*\)\/s.*/\1/p')
"$B/inloop-office" --dir "$S/cs" setup >/dev/null || exit 1
echo "$PW" | "$B/inloop-office" --dir "$S/cs" user add bench --role coordinator --password-stdin >"$S/user" || exit 1

start() { # starts the office; sets PID, URL
	: >"$S/office.log"   # exists before the background job's own redirection
	"$B/inloop-office" --dir "$S/cs" --listen 127.0.0.1:0 2>"$S/office.log" &
	PID=$!
	URL=""
	while [ -z "$URL" ] && kill -0 $PID 2>/dev/null; do
		p=$(sed -n 's/.*listening on https:\/\/[^ ]*:\([0-9][0-9]*\)$/\1/p' "$S/office.log")
		[ -n "$p" ] && URL="https://127.0.0.1:$p" || sleep 0.2
	done
	[ -n "$URL" ]
}
stop() { kill -TERM $PID; wait $PID 2>/dev/null; }
signin() {
	rm -f "$S/jar"
	c="curl -s --cacert $S/cs/ca/ca.pem -b $S/jar -c $S/jar"
	$c -o "$S/login.html" "$URL/login"
	$c -o /dev/null --data-urlencode "pre=$(sed -n 's/.*name="pre" value="\([^"]*\)".*/\1/p' "$S/login.html")" \
		--data-urlencode user=bench --data-urlencode "password=$PW" \
		--data-urlencode "code=$(oathtool --totp -b "$(sed -n 's/^totp-secret: //p' "$S/user")" ${1:+--now "$1"})" "$URL/login"
}
pages() { # LABEL QUERY: R fetches of the worklist page, p50/p99 of the server time
	i=0; : >"$S/urls"
	while [ $i -lt "$R" ]; do printf 'url = "%s"\noutput = "/dev/null"\n' "$URL/worklist$2" >>"$S/urls"; i=$((i + 1)); done
	curl -s --cacert "$S/cs/ca/ca.pem" -b "$S/jar" -K "$S/urls" -w '%{http_code} %{time_pretransfer} %{time_starttransfer}\n' >"$S/times"
	ok=$(grep -c '^200 ' "$S/times")
	awk '{ printf "%.3f\n", ($3 - $2) * 1000 }' "$S/times" | sort -n >"$S/ms"
	p50=$(sed -n "$(( (R + 1) / 2 ))p" "$S/ms"); p99=$(sed -n "$(( (R * 99 + 99) / 100 ))p" "$S/ms")
	echo "office: worklist $1: p50 $p50 ms, p99 $p99 ms server time ($ok/$R answered 200; goal < 50 ms; one envelope opens in $open_ms ms)"
}

start || { cat "$S/office.log"; exit 1; }
idx=$(sed -n 's/^office: index: \([0-9]*\) new records in \([0-9.]*\) s (\([0-9]*\)\/s)$/\1 \2 \3/p' "$S/office.log")
set -- $idx
echo "office: first start over a store of $1 records built its index in $2 s: $3/s on $(nproc) cores (opening alone, one thread: $open_rate/s)"
signin
pages "page 1 of 50 rows, $N1 records in the index" ""
pages "page 2 of 50 rows, $N1 records in the index" "?page=2"
pages "filtered (location), $N1 records" "?loc=Wijkcentrum%20Noord"
pages "filtered (status none has: every row to look at), $N1 records" "?status=handed_over"
pages "filtered (crisis kind), $N1 records" "?kind=water"
pages "filtered (week), $N1 records" "?week=$(date +%G-W%V)"
pages "deep page 100 (OFFSET 4950), $N1 records" "?page=100"
stop
extra=$((N2 - N1))
sqlite3 "$S/cs/office/office.sqlite" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $extra)
 INSERT INTO records(id, ref, received_at, created_at, created_day, week, hour, device, seq, location, language, mode,
  crisis, acuut, kinds, legal, effective, dl_kind, holidays)
 SELECT printf('bench-%08d', i), printf('B%07d', i), 0, '2099-01-01T10:00:00+01:00', '2099-01-01', '2099-W01', 10,
  'bench-direct', i, 'Bibliotheek Centrum', 'nl', 'kiosk', 0, 0, '', '2099-01-29', '2099-01-29', '4_weeks', '-' FROM n" || exit 1
start || { cat "$S/office.log"; exit 1; }
echo "office: the index now holds $N2 rows: $N1 with envelopes, $extra inserted into the office index directly (sorted after them, no envelopes)"
signin "$(date -u -d '+30 seconds' '+%Y-%m-%d %H:%M:%S UTC')"
pages "page 1 of 50 rows, $N2 rows in the index" ""
pages "page 2 of 50 rows, $N2 rows in the index" "?page=2"
pages "filtered (location), $N2 rows" "?loc=Wijkcentrum%20Noord"
pages "filtered (status none has: every row to look at), $N2 rows" "?status=handed_over"
pages "filtered (crisis kind), $N2 rows" "?kind=water"
pages "filtered (week), $N2 rows" "?week=$(date +%G-W%V)"
pages "deep page 100 (OFFSET 4950), $N2 rows" "?page=100"
stop
