#!/bin/sh
# The outbox on failing storage (cmocka, TAP): a shim SQLite VFS fails the Nth write,
# truncate or fsync (once, and from then on) for every N; nothing stored is lost or half
# stored, and sequence numbers stay without gaps.
. "$(dirname "$0")/lib.sh"
"$B/inloopctl" init-demo "$T/pki" >"$T/init.out" 2>&1 || { echo "not ok 1 - inloopctl init-demo"; sed 's/^/# /' "$T/init.out"; echo "1..1"; exit 1; }
INLOOP_TEST_PKI="$T/pki" TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_outbox_vfs" 2>"$T/err"
rc=$?
# Injected I/O errors are reported on stderr by design; show them only when something failed.
[ $rc -eq 0 ] || sed 's/^/# /' "$T/err" | tail -40
exit $rc
