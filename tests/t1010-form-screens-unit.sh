#!/bin/sh
# The shipped form's screens and progress (cmocka unit test, TAP): shared screens, the
# switched-off questions, the crisis date's "don't know" wording, and a progress that only
# grows over the shortest and the longest path (the old count's jump as the twin).
. "$(dirname "$0")/lib.sh"
INLOOP_ASSETS="$TOP/assets" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_screens"
