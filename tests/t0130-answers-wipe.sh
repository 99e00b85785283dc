#!/bin/sh
# The person's answers and typed text live in one struct (app/kiosk/answers.h) with one
# wipe, which the kiosk's "forget everything" (kiosk_wipe) calls: tests/unit/test_answers.c
# plants a canary as an answer, in an edit buffer, in a jansson copy and in the text
# measurer's buffer, finds it in the process's memory (the twin), wipes, and finds none.
. "$(dirname "$0")/lib.sh"
check "unit: answers_wipe forgets every copy; without it the canary stays" \
	env SDL_VIDEODRIVER=dummy CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_answers"
check "the kiosk's forget path calls it" grep -q 'answers_wipe(&k->person)' "$TOP/app/kiosk/kiosk.c"
done_testing
