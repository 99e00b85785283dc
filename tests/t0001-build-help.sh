#!/bin/sh
# The three programs exist, answer --help, and refuse an unknown command.
. "$(dirname "$0")/lib.sh"
check "inloop --help" "$B/inloop" --help
check "inloopctl --help" "$B/inloopctl" --help
refuse "inloop refuses an unknown command" "$B/inloop" --state "$T/s" no-such-command
refuse "inloopctl refuses an unknown command" "$B/inloopctl" no-such-command
done_testing
