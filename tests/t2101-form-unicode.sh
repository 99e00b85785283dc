#!/bin/sh
# Issue 9, D7: invisible and format characters in typed answers, and a name without a
# letter, are refused by the form check the kiosk and the office share (cmocka, TAP).
. "$(dirname "$0")/lib.sh"
INLOOP_ASSETS="$TOP/assets" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_form_unicode"
