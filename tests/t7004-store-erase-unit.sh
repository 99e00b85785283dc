#!/bin/sh
# The store calls of the office (cmocka unit test, TAP): store_list_since gives only new
# rows, also after the newest was erased; store_erase leaves a tombstone that answers a
# re-upload of the same bytes with SAME and of others with CONFLICT, storing nothing again.
. "$(dirname "$0")/lib.sh"
TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_store_erase" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' "$T/err" | tail -20
exit $rc
