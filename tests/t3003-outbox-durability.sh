#!/bin/sh
# Durability: a process storing 500 records is SIGKILLed at a random moment, 20 times, on
# the same outbox. The driver logs "ID SEQ" only after each store call returned; after
# every kill: integrity_check ok, every logged record there and opening with the case-store
# key, seqs 1..n without gap or repeat (test_outbox_driver verify).
. "$(dirname "$0")/lib.sh"
D="$B/tests/test_outbox_driver"
check "inloopctl init-demo" "$B/inloopctl" init-demo "$T/pki"
# Odd rounds store through the outbox API, even rounds through submit_answers (the Send
# button's path) with the shipped form; both into the device's outbox.
OB="$T/pki/device/outbox.sqlite"
export INLOOP_ASSETS="$TOP/assets"
rand() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }
mid=0
empty=0
total=0
for i in $(seq 1 20); do
	log="$T/log.$i"
	: >"$log"
	if [ $((i % 2)) = 1 ]; then
		"$D" store "$T/pki/device" "$OB" 500 >"$log" 2>"$T/err.$i" &
	else
		"$D" submit "$T/pki/device" 500 >"$log" 2>"$T/err.$i" &
	fi
	pid=$!
	# Wait until storing has begun (first id logged), then kill at a random moment.
	n=0
	while [ ! -s "$log" ] && [ $n -lt 1000 ] && kill -0 $pid 2>/dev/null; do sleep 0.01; n=$((n + 1)); done
	sleep "0.$(printf '%03d' "$(rand 250)")"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	lines=$(wc -l <"$log")
	[ "$lines" -lt 500 ] && mid=$((mid + 1))
	[ "$lines" -gt 0 ] || empty=$((empty + 1))
	total=$((total + lines))
	check "round $i: $lines logged records there and opening, seqs without gaps, integrity ok" \
		"$D" verify "$T/pki" "$OB" "$log"
done
if cat "$T"/err.* | grep -q .; then not_ok "the drivers reported errors"; sed 's/^/# /' "$T"/err.* | head; else ok "the drivers reported no error before the kills"; fi
echo "# $mid of 20 kills landed while storing; $total records logged in all"
if [ $empty -eq 0 ]; then ok "every round stored records before its kill"; else not_ok "$empty rounds stored nothing"; fi
if [ $mid -ge 10 ]; then ok "at least 10 kills landed mid-run ($mid)"; else not_ok "only $mid kills landed mid-run"; fi
# Two processes storing at once into the same outbox (busy_timeout, BEGIN IMMEDIATE): both
# finish, and the sequence stays without gap or repeat.
"$D" store "$T/pki/device" "$OB" 200 >"$T/par.1" 2>"$T/par.err1" &
p1=$!
"$D" submit "$T/pki/device" 200 >"$T/par.2" 2>"$T/par.err2" &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
check "two writers at once both finish" test "$r1.$r2.$(cat "$T/par.1" "$T/par.2" | wc -l)" = "0.0.400"
cat "$T/par.1" "$T/par.2" >"$T/par.log"
check "their 400 records are there and open, seqs without gaps" "$D" verify "$T/pki" "$OB" "$T/par.log"
# Negative twin: a log that promises a record the outbox never stored is caught.
echo "00000000-0000-4000-8000-000000000000 1" >"$T/forged.log"
refuse "verify catches a promised record that is missing" "$D" verify "$T/pki" "$OB" "$T/forged.log"
# Negative twin: a gap in the sequence numbers is caught.
cp "$OB" "$T/gap.sqlite"
sqlite3 "$T/gap.sqlite" "DELETE FROM outbox WHERE seq = 3"
: >"$T/empty.log"
refuse "verify catches a missing sequence number" "$D" verify "$T/pki" "$T/gap.sqlite" "$T/empty.log"
done_testing
