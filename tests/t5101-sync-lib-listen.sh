#!/bin/sh
# tests/sync-lib.sh's _wait_listen: a program started as `cmd >LOG &` opens LOG in the child,
# so the test can look before the file exists. The wait must find the port once the line
# comes, print nothing on stderr meanwhile (no "sed: can't read"), and fail (not hang) when
# the program dies without listening.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"

sh -c 'sleep 0.3; echo "casestore: listening on 127.0.0.1:4567" >"$1"; sleep 3' _ "$T/late.log" &
late=$!
_sync_pids="$_sync_pids $late"
port=$(_wait_listen "$T/late.log" "$late" 2>"$T/late.err")
check "the port is found in a log that appears late" test "$port" = 4567
refuse "... with nothing on stderr while the log did not exist" test -s "$T/late.err"
sed 's/^/# /' "$T/late.err"

sh -c 'sleep 0.2; echo "casestore: error: cannot listen" >"$1"' _ "$T/dead.log" &
dead=$!
refuse "a program that dies without listening: the wait fails" _wait_listen "$T/dead.log" "$dead"
done_testing
