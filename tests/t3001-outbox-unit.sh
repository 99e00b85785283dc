#!/bin/sh
# The outbox API (cmocka unit test, TAP): WAL + synchronous=FULL, crisis-first order,
# defer/hold/delete, sequence numbers without gaps, malformed input refused, and a fault
# loop that fails each step of seal-and-store in turn.
. "$(dirname "$0")/lib.sh"
"$B/inloopctl" init-demo "$T/pki" >"$T/init.out" 2>&1 || { echo "not ok 1 - inloopctl init-demo"; sed 's/^/# /' "$T/init.out"; echo "1..1"; exit 1; }
INLOOP_TEST_PKI="$T/pki" TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_outbox" 2>"$T/err"
rc=$?
# Injected faults are reported on stderr by design; show them only when something failed.
[ $rc -eq 0 ] || sed 's/^/# /' "$T/err" | tail -40
exit $rc
