#!/bin/sh
# The kiosk's own catalogue reader (cmocka unit test, TAP): nl/en/ar load from the built
# locale folder, ngettext plural forms per the Plural-Forms headers (Arabic has six),
# host texts in the host's language, no setenv, damaged catalogues refused.
. "$(dirname "$0")/lib.sh"
INLOOP_LOCALEDIR="$B/locale" TMPDIR="$T" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_i18n"
