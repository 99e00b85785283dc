#!/bin/sh
# The receipt's QR code (cmocka unit test, TAP): encode, draw, decode with zbarimg to the
# same text; a smashed finder pattern does not decode; empty and oversized text refused.
. "$(dirname "$0")/lib.sh"
TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_qr"
