#!/bin/sh
# The case store's SQLite store through 200 simulated power cuts (cmocka, TAP;
# tests/unit/powercut_vfs.h), used as the server uses it (group commit, single puts,
# replays, restarts): after each reboot every record answered 201 is there and whole,
# nothing is there twice or unknown. Negative twin: a disk that ignores sync loses
# records and the test sees it. POWERCUT_SEED=N repeats a run.
. "$(dirname "$0")/lib.sh"
TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_store_powercut" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' "$T/err" | tail -40
exit $rc
