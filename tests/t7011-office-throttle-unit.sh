#!/bin/sh
# The office's sign-in throttle table (cmocka unit test, TAP; tests/unit/test_throttle.c):
# a locked account stays locked however many fresh keys pass through the 1,024 slots (a
# locked entry is never evicted), and a table full of locks answers a new key as throttled.
. "$(dirname "$0")/lib.sh"
CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_throttle" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' "$T/err" | tail -20
exit $rc
