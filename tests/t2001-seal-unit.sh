#!/bin/sh
# The seal through its C API (cmocka, TAP) against a fresh demo PKI: round trip, every
# byte flip refused, truncation/trailing bytes, signed attributes vs JSON, device id
# pinned, key file mode, and the device config.
. "$(dirname "$0")/lib.sh"
"$B/inloopctl" init-demo "$T/pki" >/dev/null || { echo "Bail out! init-demo failed"; exit 1; }
SEAL_PKI="$T/pki" CMOCKA_MESSAGE_OUTPUT=TAP exec "$B/tests/test_seal"
