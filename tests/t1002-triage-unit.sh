#!/bin/sh
# Crisis triage (cmocka unit test, TAP): none -> 4 weeks, a crisis kind or "unknown" ->
# 3 working days, acuut on or before the deadline, a contract-end notice is not a crisis.
. "$(dirname "$0")/lib.sh"
INLOOP_ASSETS="$TOP/assets" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_triage"
