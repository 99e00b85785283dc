#!/bin/sh
# Read-aloud (cmocka unit test, TAP): nl/en/ar synthesize non-silent audio of a plausible
# length, ti and unknown codes and empty text are refused, and a clip played through SDL's
# disk audio driver is non-silent and pauses the device when done.
. "$(dirname "$0")/lib.sh"
SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$T/speech.raw" CMOCKA_MESSAGE_OUTPUT=TAP \
	exec "$B/tests/test_speech"
