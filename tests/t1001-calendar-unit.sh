#!/bin/sh
# The Wgs deadline calendar (cmocka unit test, TAP): worked examples, the 2025-2028 sweep,
# a changed holiday table, malformed tables refused.
. "$(dirname "$0")/lib.sh"
INLOOP_ASSETS="$TOP/assets" TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_calendar"
