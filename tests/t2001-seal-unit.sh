#!/bin/sh
# The seal through its C API (cmocka, TAP) against a fresh demo PKI: round trip, every
# byte flip refused, truncation/trailing bytes, signed attributes vs JSON, device id
# pinned, key file mode, and the device config.
. "$(dirname "$0")/lib.sh"
if ! "$B/inloopctl" init-demo "$T/pki" >/dev/null; then
	not_ok "inloopctl init-demo makes the PKI the unit test needs"
	done_testing
	exit 1
fi
SEAL_PKI="$T/pki" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_seal"
