#!/bin/sh
# An answer of two parts joined with the language's comma (Arabic U+060C, Tigrinya U+1363,
# else ", "), and FriBidi keeps the Arabic line's postcode and house number whole and in
# reading order (cmocka, TAP; test_words.c).
. "$(dirname "$0")/lib.sh"
INLOOP_ASSETS="$TOP/assets" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_words"
