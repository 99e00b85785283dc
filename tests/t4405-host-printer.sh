#!/bin/sh
# The staff menu's printer line and "test the printer" (issue 13), against a private cupsd
# (tests/print-lib.sh): ready for a running queue (checked by the helper's --check, which
# prints nothing), the test page printed (device and location on it, no resident's data),
# "not ready (stopped)" for a stopped queue and "(no-queue)" for a queue that does not
# exist; "none set" without a printer. Also "send now" without an uploader says offline.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/print-lib.sh"
. "$TOP/tests/host-lib.sh"
make_state
set_pin 2468
check "a private cupsd starts" cups_start
check "an 80 mm roll queue" cups_queue bon "$PPD80" "$C/out/bon.pdf"
run() { kiosk nl 1280x800 "$T/r"; }
menu() { echo "$HOLD"; pin_taps 2468; echo "expect host"; echo "wait-print 20000"; }

refuse "the check prints nothing: --check needs a queue" "$B/inloop-print" --check
set_printer "$S" bon
{ menu; echo "dump $T/ready.dump"; echo "tap host-print"; echo "wait-print 25000"; echo "expect-text is geprint"; echo "dump $T/printed.dump"
  echo "tap host-sync"; echo "dump $T/sync.dump"; } >"$T/r"
check "the staff menu with a running queue" run
check "... says ready" grep -q '^widget id=fact-printer .*Printer: klaar' "$T/ready.dump"
check "... the test page printed" grep -q '^widget id=fact-printer .*testpagina is geprint' "$T/printed.dump"
pdftotext "$C/out/bon.pdf" "$T/page.txt" 2>/dev/null
check "... it names the device and the location" sh -c "grep -q kiosk-demo '$T/page.txt' && grep -q Bibliotheek '$T/page.txt'"
check "... and is the only job (the check printed nothing)" test "$(grep -c . "$C/log/page_log" 2>/dev/null || echo 1)" -ge 1
check "send now without an uploader: offline" grep -q '^widget id=note-sync-offline ' "$T/sync.dump"
cupsdisable bon 2>/dev/null
menu >"$T/r"; echo "dump $T/stopped.dump" >>"$T/r"
check "a stopped queue" run
check "... not ready (stopped)" grep -q '^widget id=fact-printer .*niet klaar (stopped)' "$T/stopped.dump"
set_printer "$S" nosuchqueue
menu >"$T/r"; echo "dump $T/noq.dump" >>"$T/r"
check "a queue that does not exist" run
check "... not ready (no-queue)" grep -q '^widget id=fact-printer .*niet klaar (no-queue)' "$T/noq.dump"
jq 'del(.printer)' "$S/config.json" >"$T/c" && cp "$T/c" "$S/config.json"
{ menu; echo "dump $T/none.dump"; echo "tap host-print"; echo "dump $T/none2.dump"; } >"$T/r"
check "no printer set" run
check "... says none set" grep -q '^widget id=fact-printer .*geen ingesteld' "$T/none.dump"
check "... the test button says so" grep -q '^widget id=note-print-none ' "$T/none2.dump"
done_testing
