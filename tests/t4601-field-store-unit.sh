#!/bin/sh
# Consultants and sealed drafts on a field device (issue 12; cmocka unit test, TAP):
# Argon2id-wrapped data keys, wrong passphrases counted on disk, slowed down and locked at
# the limit; drafts open for their own consultant only; a changed byte is refused and kept
# aside; old drafts expire after a warning; the office's disabled list removes a consultant.
. "$(dirname "$0")/lib.sh"
TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_field_store"
