#!/bin/sh
# Visits from the office on a field laptop (issue 12; cmocka unit test, TAP): consultant key
# pairs sealed under the data key, certificate checks, a visit opens for its consultant only,
# refused visits kept aside, erased by the intake's reference and after visit_days.
. "$(dirname "$0")/lib.sh"
TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_visitbox"
