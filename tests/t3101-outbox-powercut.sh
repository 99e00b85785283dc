#!/bin/sh
# The outbox through 200 simulated power cuts (cmocka, TAP; tests/unit/powercut_vfs.h): a
# SQLite VFS keeps the writes since the last sync in memory and, at a random write or
# sync, drops or tears them; after each reboot every record whose receipt was shown is
# there and opens, nothing removed is back, nothing is there twice. Negative twin: a disk
# that ignores sync loses records and the test sees it. POWERCUT_SEED=N repeats a run.
. "$(dirname "$0")/lib.sh"
"$B/inloopctl" init-demo "$T/pki" >"$T/init.out" 2>&1 || { echo "not ok 1 - inloopctl init-demo"; sed 's/^/# /' "$T/init.out"; echo "1..1"; exit 1; }
INLOOP_TEST_PKI="$T/pki" TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_outbox_powercut" 2>"$T/err"
rc=$?
# The failed writes after each cut are reported on stderr by design; shown only on failure.
[ $rc -eq 0 ] || sed 's/^/# /' "$T/err" | tail -40
exit $rc
