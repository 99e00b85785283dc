#!/bin/sh
# Pictograms (cmocka unit test, TAP): the shipped icon map loads, every codepoint has a
# glyph in the FontAwesome font, every icon the registration form uses resolves, and
# malformed maps are refused with a clear message while the old map stays.
. "$(dirname "$0")/lib.sh"
INLOOP_ASSETS="$TOP/assets" TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_icons"
