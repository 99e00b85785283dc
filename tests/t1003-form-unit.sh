#!/bin/sh
# The form model (cmocka unit test, TAP): the shipped form loads, every broken form of
# tests/forms-bad/ is refused with its message, validation per type with negative twins.
. "$(dirname "$0")/lib.sh"
INLOOP_ASSETS="$TOP/assets" TEST_FORMS_BAD="$TOP/tests/forms-bad" CMOCKA_MESSAGE_OUTPUT=TAP \
	exec "$B/tests/test_form"
