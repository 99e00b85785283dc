. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/print-lib.sh"
make_state
cups_start; cups_queue bon "$PPD80" "$C/out/bon.pdf"
set_printer "$S" bon
{ cat "$R/full-nl.replay" "$R/send.replay"; echo "wait-print 20000"; } > $T/r
strace -f -qq -e trace=openat,creat,rename,renameat,renameat2,link,linkat -o $T/trace "$B/inloop" --state "$S" --lang nl --windowed 1280x800 --replay $T/r
grep -E "O_CREAT|O_WRONLY|O_RDWR|rename|link" $T/trace | grep -v ENOENT | awk '{$1=""; print}' | sort | uniq -c | sort -rn | head -40
