#!/bin/sh
# Visits (issue 12) through their C API (tests/unit/test_visit.c, cmocka) against a fresh
# demo PKI and another CA's: sealed to consultant anna, opened only with anna's key; the
# negative twins (bert's key, a device or foreign signer, flipped and trailing bytes, the
# wrong consultant or schema, a record envelope) refused. Then the same visit with stock
# `openssl cms`: anna's key decrypts it, the CAdES signature verifies against the CA, the
# JSON is the one sealed; bert's key and the case store's do not decrypt it. The
# consultant id's rule is one function that the CA's check agrees with.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
mkdir v
if ! "$B/inloopctl" init-demo pki >/dev/null || ! "$B/inloopctl" init-demo other >/dev/null; then
	not_ok "inloopctl init-demo makes the PKIs the unit test needs"
	done_testing
	exit 1
fi
# The unit test's TAP lines, renumbered into this script's plan.
VISIT_PKI=$T/pki VISIT_OTHER=$T/other VISIT_DIR=$T/v CMOCKA_MESSAGE_OUTPUT=TAP \
	"$B/tests/test_visit" >unit.tap 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) ok "unit: ${line#ok * - }" ;;
	"not ok "*) not_ok "unit: ${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done <unit.tap
check "test_visit exits 0" test "$rc" -eq 0
grep -c '^ok ' unit.tap >count
check "all 14 unit tests ran" test "$(cat count)" -eq 14
# The consultant id's rule is written once (visit_consultant_id_ok, sync/record/visit.c):
# the case store's, the CA's and the laptop's own copies are gone, and every archive that
# checks an id links the one function.
nm -A "$B/libinloop.a" 2>/dev/null | grep -E ' T (visits_id_ok|consultant_valid_id)$' >copies
check "no second copy of the consultant id rule (visits_id_ok, consultant_valid_id)" test ! -s copies
for a in casestore office kiosk ctl; do
	check "lib$a.a uses the one rule" sh -c "nm '$B/lib$a.a' 2>/dev/null | grep -q ' U visit_consultant_id_ok\$'"
done

ssl_decrypt() { # KEY: decrypt v/visit.der with the CLI
	openssl cms -decrypt -binary -inform DER -in v/visit.der -inkey "$1" -out v/inner.der 2>/dev/null
}
check "openssl cms -decrypt opens the visit with anna's key" ssl_decrypt v/anna.key
check "openssl cms -verify -cades verifies the office's signature against the CA" sh -c \
	'openssl cms -verify -cades -binary -inform DER -in v/inner.der -CAfile pki/ca/ca.pem -purpose any -out v/visit.json 2>v/verify && grep -q "CAdES Verification successful" v/verify'
check "... and gives the visit JSON" grep -q '"schema":"inloop.visit","version":1' v/visit.json
check "... for anna" grep -q '"consultant":"anna"' v/visit.json
openssl cms -cmsout -print -inform DER -in v/visit.der >env.txt 2>&1
check "profile: AuthEnvelopedData, ECDH with the SHA-256 KDF, AES-256-GCM" sh -c \
	'grep -q id-smime-ct-authEnvelopedData env.txt && grep -q dhSinglePass-stdDH-sha256kdf-scheme env.txt && grep -q aes-256-gcm env.txt'
openssl cms -cmsout -print -inform DER -in v/inner.der >inner.txt 2>&1
check "inner: eContentType id-ct-inloopVisit (1.3.6.1.4.1.99999.7.1.2)" grep -q "1.3.6.1.4.1.99999.7.1.2" inner.txt
refuse "bert's key does not decrypt it" ssl_decrypt v/bert.key
refuse "the case store's key does not decrypt it" ssl_decrypt pki/office/casestore.key
refuse "the plaintext is not in the envelope" grep -q Canary-Vt4qR v/visit.der
refuse "another CA does not verify it" sh -c \
	'openssl cms -verify -cades -binary -inform DER -in v/inner.der -CAfile other/ca/ca.pem -purpose any -out /dev/null 2>/dev/null'
done_testing
