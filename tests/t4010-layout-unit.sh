#!/bin/sh
# Screens and the right-to-left mirror built without a display (fake text measure; cmocka,
# TAP), with the kiosk's own fit check (layout_tree_problems) and its negative twins.
. "$(dirname "$0")/lib.sh"
INLOOP_ASSETS="$TOP/assets" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_layout"
