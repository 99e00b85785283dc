#!/bin/sh
# A missing or failing printer never holds a registration back. Through the real kiosk
# flow, each time: the receipt is shown, the record is in the outbox, and the receipt
# screen tells the host (widget print-off / print-failed) while the kiosk's log names the
# reason code. No printer in config.json (and no job reaches cupsd); a stopped queue (no
# job is left to come out later for the next person); a queue name cupsd does not know;
# no scheduler at all; a device that fails (the job is cancelled, not left pending); and
# a print service that accepts the connection and never answers: the receipt is on
# screen at once with "printing" and the helper is killed at its deadline. A bad "paper"
# in config.json is refused by name.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/print-lib.sh"
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20 INLOOP_RECEIPT_SECONDS=90
make_state
check "a private cupsd starts" cups_start
check "an 80 mm roll queue" cups_queue bon "$PPD80" "$C/out/bon.pdf"
n=0

# flow NAME: one registration; dumps the receipt right after Send and after the printer.
flow() {
	{ cat "$R/full-nl.replay" "$R/send.replay"; echo "dump $T/$1.now"
	  echo "wait-print 20000"; echo "expect receipt"; echo "dump $T/$1.dump"; } >"$T/$1.replay"
	kiosk nl 1280x800 "$T/$1.replay" >"$T/$1.log" 2>&1 || { cat "$T/$1.log"; return 1; }
}
# flow_with VAR=VALUE [VAR=VALUE] NAME: flow NAME with those variables set.
flow_with() { ( while [ $# -gt 1 ]; do export "$1"; shift; done; flow "$1" ); }
# stored NAME: the outbox holds one more record than before.
stored() { n=$((n + 1)); test "$(outbox_ids | grep -c .)" -eq "$n"; }
jobs_on() { lpstat -o "$1" 2>/dev/null | grep -c .; }

check "no printer: the flow reaches the receipt" flow none
check "no printer: the record is in the outbox" stored
check "no printer: the host is told there is none" grep -q '^widget id=print-off ' "$T/none.dump"
check "no printer: no job reached cupsd" sh -c "test \$(lpstat -W all -o 2>/dev/null | grep -c .) -eq 0"
refuse "no printer: (twin) not 'printed'" grep -q '^widget id=print-done ' "$T/none.dump"

set_printer "$S" bon
cupsdisable bon
check "stopped queue: the flow reaches the receipt" flow stopped
check "stopped queue: the record is in the outbox" stored
check "stopped queue: the host is told it failed" grep -q '^widget id=print-failed ' "$T/stopped.dump"
check "stopped queue: the log names the reason" grep -q 'not printed on "bon" (stopped)' "$T/stopped.log"
check "stopped queue: no job waits to come out later" test "$(jobs_on bon)" -eq 0
check "stopped queue: nothing came out" test ! -s "$C/out/bon.pdf"
cupsenable bon

set_printer "$S" no-such-queue
check "unknown queue: the flow reaches the receipt" flow unknown
check "unknown queue: the record is in the outbox" stored
check "unknown queue: failed, reason no-queue" \
	sh -c "grep -q '^widget id=print-failed ' '$T/unknown.dump' && grep -q '(no-queue)' '$T/unknown.log'"

set_printer "$S" bon
check "no scheduler: the flow reaches the receipt" flow_with "CUPS_SERVER=$T/none.sock" nosched
check "no scheduler: the record is in the outbox" stored
check "no scheduler: failed, reason no-service" \
	sh -c "grep -q '^widget id=print-failed ' '$T/nosched.dump' && grep -q '(no-service)' '$T/nosched.log'"

rm -f "$C/out/bon.pdf"    # the device can no longer be opened: CUPS stops the job
check "failing device: the flow reaches the receipt" flow broken
check "failing device: the record is in the outbox" stored
check "failing device: failed, reason job-failed" sh -c "grep -q '^widget id=print-failed ' '$T/broken.dump' && grep -q '(job-failed)' '$T/broken.log'"
check "failing device: the job was cancelled, not left pending" test "$(jobs_on bon)" -eq 0
cupsenable bon; cups_empty "$C/out/bon.pdf"

# a print service that takes the connection and never answers
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8); time.sleep(60)' "$T/hung.sock" &
hung=$!
for _i in $(seq 100); do [ -S "$T/hung.sock" ] && break; sleep 0.05; done
start=$(date +%s)
flow_with "CUPS_SERVER=$T/hung.sock" INLOOP_PRINT_TIMEOUT_MS=500 hung
took=$(($(date +%s) - start))
kill "$hung" 2>/dev/null; wait "$hung" 2>/dev/null
check "hung service: the receipt showed at once, still printing" grep -q '^widget id=print-busy ' "$T/hung.now"
check "hung service: the record is in the outbox" stored
check "hung service: the helper was stopped at its deadline (failed after ${took}s)" \
	sh -c "grep -q '^widget id=print-failed ' '$T/hung.dump' && test $took -lt 15"

# config.json: a paper the kiosk does not know is refused by name, not guessed
jq '.paper = "letter"' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
refuse "a paper other than 80mm or a4 is refused" sh -c "'$B/inloop' --state '$S' print-test 2>'$T/paper.err'"
check "... with the key's name" grep -q '"paper" must be' "$T/paper.err"
done_testing
