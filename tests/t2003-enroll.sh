#!/bin/sh
# Enrolment without secrets in transit, and revocation: enroll-request makes the key on
# the device (0600) and a CSR; inloopctl enroll checks the CSR (signature, P-256 only,
# no duplicate name) and returns a bundle with no private key; inloop enroll installs it
# only when it fits this device's key and its CA; the enrolled device seals records the
# case store opens; revoke puts the serial in a CRL that openssl accepts and that makes
# the opener and `openssl verify -crl_check` refuse the device.
. "$(dirname "$0")/lib.sh"
P=$T/pki
S=$T/dev2
cd "$T" || exit 1
in_crl() { # SERIAL: listed in crl.pem
	openssl crl -in "$P/casestore/crl.pem" -noout -text | tr -d ' :' | grep -qi "SerialNumber$1"
}
check "init-demo with --url" "$B/inloopctl" init-demo "$P" --url https://127.0.0.1:9443
check "the URL reaches the demo device's config" grep -q '"https://127.0.0.1:9443"' "$P/device/config.json"
check "crl.pem is a CRL signed by the CA" openssl crl -in "$P/casestore/crl.pem" -CAfile "$P/ca/ca.pem" -noout
check "the server certificate is for localhost / 127.0.0.1, serverAuth" sh -c \
	'openssl x509 -in "$0/casestore/server.pem" -noout -ext subjectAltName,extendedKeyUsage | grep -q "IP Address:127.0.0.1" &&
	 openssl verify -purpose sslserver -CAfile "$0/ca/ca.pem" "$0/casestore/server.pem"' "$P"
check "the case-store certificate is for key agreement" sh -c \
	'openssl x509 -in "$0/office/casestore.pem" -noout -ext keyUsage | grep -q "Key Agreement"' "$P"

check "enroll-request makes a key and a CSR" sh -c '"$0" --state "$1" enroll-request kiosk-0002 >csr.path' "$B/inloop" "$S"
check "... and prints the CSR's path" test "$(cat csr.path)" = "$S/device.csr"
check "the device key is mode 0600" test "$(stat -c %a "$S/device.key")" = 600
check "the CSR is for CN=kiosk-0002 and verifies" sh -c \
	'openssl req -in "$0" -noout -verify -subject 2>&1 | grep -q "CN *= *kiosk-0002"' "$S/device.csr"
refuse "enroll-request refuses a name that is not a plain device name" "$B/inloop" --state "$T/x" enroll-request ../evil
check "inloopctl enroll issues a bundle" "$B/inloopctl" --dir "$P" enroll "$S/device.csr" \
	--location "Wijkcentrum Noord" --crisis-phone 0800-1111111 --out bundle.json
refuse "the bundle holds no private key" grep -q PRIVATE bundle.json
check "the issued certificate is kept in devices/" test -f "$P/casestore/devices/kiosk-0002.pem"
refuse "a second enrolment of the same name is refused" "$B/inloopctl" --dir "$P" enroll "$S/device.csr" --out again.json

"$B/inloop" --state "$T/dev3" enroll-request kiosk-0003 >/dev/null
refuse "a bundle made for another device's key is refused" "$B/inloop" --state "$T/dev3" enroll bundle.json
refuse "... and nothing was installed" test -e "$T/dev3/device.pem"
"$B/inloopctl" init-demo other >/dev/null
awk 'NR == FNR { if ($0 ~ /^  "ca": /) ca = $0; next } /^  "ca": / { print ca; next } { print }' \
	other/device/enrolment-bundle.json bundle.json >foreign.json
check "(a bundle whose CA was swapped for another PKI's)" sh -c '! cmp -s bundle.json foreign.json'
check "a bundle whose device certificate does not chain to its CA is refused" sh -c \
	'! "$0" --state "$1" enroll foreign.json 2>why.txt && grep -q "does not chain" why.txt' "$B/inloop" "$S"
check "inloop enroll installs the right bundle" "$B/inloop" --state "$S" enroll bundle.json
for f in device.pem ca.pem recipients.pem config.json; do
	check "$f installed" test -s "$S/$f"
done
check "config.json holds the device id, location, crisis phone" sh -c \
	'grep -q "\"kiosk-0002\"" "$0" && grep -q "Wijkcentrum Noord" "$0" && grep -q 0800-1111111 "$0"' "$S/config.json"
check "the device cert is for signing and TLS client use" sh -c \
	'openssl x509 -in "$0" -noout -ext extendedKeyUsage | grep -q "E-mail Protection, TLS Web Client Authentication"' "$S/device.pem"
refuse "a second enroll on an enrolled device is refused" "$B/inloop" --state "$S" enroll bundle.json
refuse "enroll-request on an enrolled device is refused" "$B/inloop" --state "$S" enroll-request kiosk-0002

printf '%s' '{"schema":"inloop-registration/1","record_id":"7d2c4b1a-9e8f-4a3b-8c6d-5e4f3a2b1c0d","seq":1,"created_at":"2026-11-23T10:00:00+01:00","device_id":"kiosk-0002","location":"Wijkcentrum Noord","language":"en","mode":"field","answers":{},"crisis":{"kinds":[]},"deadline":"2026-12-21"}' >rec.json
check "config.json says kiosk mode by default" grep -q '"mode": "kiosk"' "$S/config.json"
"$B/inloop" --state "$T/lap" enroll-request laptop-01 >/dev/null
check "enroll --mode field for a consultant's laptop" "$B/inloopctl" --dir "$P" enroll "$T/lap/device.csr" \
	--location "Huisbezoek" --mode field --out lap.json
check "... reaches the laptop's config.json" sh -c '"$0" --state "$1" enroll lap.json >/dev/null && grep -q "\"mode\": \"field\"" "$1/config.json"' "$B/inloop" "$T/lap"
refuse "enroll --mode other is refused" "$B/inloopctl" --dir "$P" enroll "$S/device.csr" --mode desk --out x.json
check "the enrolled device seals a record" "$B/tests/seal_tool" "$S" rec.json rec.der
check "the case store opens it" "$B/inloopctl" --dir "$P" open rec.der

# CSRs the CA must refuse
openssl req -new -newkey rsa:2048 -nodes -keyout rsa.key -subj /CN=kiosk-rsa -out rsa.csr 2>/dev/null
refuse "an RSA CSR is refused (P-256 only)" "$B/inloopctl" --dir "$P" enroll rsa.csr --out x.json
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout p384.key -subj /CN=kiosk-p384 -out p384.csr 2>/dev/null
refuse "a P-384 CSR is refused (P-256 only)" "$B/inloopctl" --dir "$P" enroll p384.csr --out x.json
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ok.key -subj /CN=kiosk-cli -out ok.csr 2>/dev/null
openssl req -in ok.csr -outform DER -out ok.csr.der
flipped=$(($(stat -c %s ok.csr.der) - 3))
b=$(od -An -tu1 -j "$flipped" -N1 ok.csr.der | tr -d ' ')
printf "$(printf '\\%03o' $((b ^ 1)))" | dd of=ok.csr.der bs=1 seek="$flipped" conv=notrunc 2>/dev/null
openssl req -inform DER -in ok.csr.der -out bad.csr 2>/dev/null
refuse "a CSR with a broken signature is refused" "$B/inloopctl" --dir "$P" enroll bad.csr --out x.json
check "the same CSR unbroken, made by openssl, is accepted (twin)" "$B/inloopctl" --dir "$P" enroll ok.csr --out ok.json
openssl req -new -key ok.key -subj "/CN=Kiosk 9" -out badname.csr
refuse "a CSR whose CN is not a device name is refused" "$B/inloopctl" --dir "$P" enroll badname.csr --out x.json

# Revocation
serial=$(openssl x509 -in "$S/device.pem" -noout -serial | cut -d= -f2)
refuse "(the serial is not in the CRL before revoke)" in_crl "$serial"
check "openssl verify -crl_check accepts the device before revoke" \
	openssl verify -crl_check -CAfile "$P/ca/ca.pem" -CRLfile "$P/casestore/crl.pem" "$S/device.pem"
check "revoke kiosk-0002" "$B/inloopctl" --dir "$P" revoke kiosk-0002
check "its serial is in crl.pem (openssl crl -text)" in_crl "$serial"
check "crl.pem still verifies against the CA" openssl crl -in "$P/casestore/crl.pem" -CAfile "$P/ca/ca.pem" -noout
refuse "openssl verify -crl_check now refuses the device" \
	openssl verify -crl_check -CAfile "$P/ca/ca.pem" -CRLfile "$P/casestore/crl.pem" "$S/device.pem"
check "the opener refuses its record, saying the certificate is revoked" sh -c \
	'! "$0" --dir "$1" open rec.der >/dev/null 2>why.txt && grep -q "certificate revoked" why.txt' "$B/inloopctl" "$P"
sed 's/kiosk-0002/kiosk-demo-1/' rec.json >demo.json
"$B/tests/seal_tool" "$P/device" demo.json demo.der
check "records of the other, unrevoked device still open" "$B/inloopctl" --dir "$P" open demo.der
refuse "revoking an unknown device is refused" "$B/inloopctl" --dir "$P" revoke kiosk-none
check "a revoked name may be enrolled again (new key)" sh -c \
	'"$0" --state "$2" enroll-request kiosk-0002 >/dev/null && "$1" --dir "$3" enroll "$2/device.csr" --out re.json' \
	"$B/inloop" "$B/inloopctl" "$T/dev2b" "$P"
done_testing
