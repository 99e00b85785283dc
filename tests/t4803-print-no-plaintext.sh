#!/bin/sh
# The printed PDF is personal data: inloop never writes it (or anything else) to disk
# outside the CUPS job. Measured with strace over the kiosk and its print helper through
# a whole registration: the only files they open for writing are the outbox's SQLite files
# (sealed records), and the helper did run and the job did come out (twin: a replay `shot`
# is seen by the same filter). In the private cupsd with the recommended PreserveJobFiles
# No, the spool keeps no document after the job and the job history holds no reference;
# nothing under the state folder or CUPS's folders shows the reference in plaintext. Twin:
# with PreserveJobFiles Yes (CUPS's default keeps them a day) the spool keeps the receipt
# and pdftotext reads the reference back out of it.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/print-lib.sh"
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20 INLOOP_RECEIPT_SECONDS=90
make_state
check "a private cupsd starts" cups_start
check "an 80 mm roll queue" cups_queue bon "$PPD80" "$C/out/bon.pdf"
set_printer "$S" bon

# traced NAME REPLAY: the kiosk under strace -f; NAME.files lists what it opened to write.
traced() {   # LeakSanitizer cannot run under ptrace: no leak check in this test (SAN=1)
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq -e trace=openat,open,creat,rename,renameat,renameat2,link,linkat,execve \
		-o "$T/$1.trace" "$B/inloop" --state "$S" --lang nl --windowed 1280x800 --replay "$2" \
		>"$T/$1.log" 2>&1 || { cat "$T/$1.log"; return 1; }
	grep -E 'O_CREAT|O_WRONLY|O_RDWR|rename|link' "$T/$1.trace" | grep -v '= -1 ' |
		sed -n 's/^[0-9]* *[a-z0-9_]*([^"]*"\([^"]*\)".*/\1/p' | sort -u >"$T/$1.files"
}
# unexpected NAME: the written files other than the outbox's and devices (status 0: some).
unexpected() { grep -Ev '/outbox\.sqlite(-wal|-shm|-journal)?$|^/dev/' "$T/$1.files"; }

{ cat "$R/full-nl.replay" "$R/send.replay"; echo "wait-print 20000"; } >"$T/flow.replay"
check "the registration is printed under strace" traced flow "$T/flow.replay"
check "the print helper ran" grep -q 'execve(".*/inloop-print"' "$T/flow.trace"
check "and the job came out" sh -c "head -c 5 '$C/out/bon.pdf' | grep -q '%PDF-'"
check "the trace shows the outbox being written" grep -q '/outbox\.sqlite$' "$T/flow.files"
refuse "inloop and its helper wrote no file but the outbox's" unexpected flow
printf 'expect welcome\nshot %s/seen.png\n' "$T" >"$T/shot.replay"
traced shot "$T/shot.replay"
check "(twin) the same filter sees a file the kiosk writes" sh -c "grep -qx '$T/seen.png' '$T/shot.files'"
check "(twin) and reports it" unexpected shot

ref=$(qr_of "$C/out/bon.pdf" | sed -n 's/^Referentie: //p')
check "the printed receipt's reference ($ref)" test -n "$ref"
check "CUPS kept no document file after the job (PreserveJobFiles No)" \
	sh -c "test -z \"\$(find '$C/spool' -name 'd*' -type f)\""
check "the reference is nowhere in plaintext in the state folder or CUPS's folders" \
	sh -c "test -n '$ref' && ! grep -rlF '$ref' '$S' '$C/spool' '$C/cache' '$C/state' '$C/log' '$C/etc'"

# twin: CUPS's default keeps the job files; the spool then holds the receipt
cups_stop
sed -i 's/^PreserveJobFiles No/PreserveJobFiles Yes/' "$C/etc/cupsd.conf"
cupsd -f -c "$C/etc/cupsd.conf" -s "$C/etc/cups-files.conf" >>"$C/log/out" 2>&1 &
CUPSD_PID=$!
for _i in $(seq 200); do lpstat -r 2>/dev/null | grep -q "scheduler is running" && break; sleep 0.05; done
cups_empty "$C/out/bon.pdf"
check "(twin) printed again with PreserveJobFiles Yes" traced again "$T/flow.replay"
doc=$(find "$C/spool" -name 'd*' -type f | head -1)
ref2=$(qr_of "$C/out/bon.pdf" | sed -n 's/^Referentie: //p')
check "(twin) then the spool keeps the receipt, reference and all" \
	sh -c "test -n '$doc' && test -n '$ref2' && pdftotext '$doc' - 2>/dev/null | grep -qF '$ref2'"
done_testing
