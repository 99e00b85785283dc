#!/bin/sh
# SEAL.md pitfalls not covered by t2002: P1 (X25519 recipient) and P10 (unpinned or
# unfit recipient certificates) are refused when the device loads its recipients;
# P2 (Ed25519 device keys) is refused at enrolment; P6 (an inner content type other
# than id-data) is refused by the opener; P14 (the device certificate's purpose) holds.
. "$(dirname "$0")/lib.sh"
P=$T/pki
cd "$T" || exit 1
seal_says() { # STATE TEXT: sealing with STATE fails and names TEXT
	! "$B/tests/seal_tool" "$1" rec.json out.der 2>"$1.why" && grep -q -- "$2" "$1.why"
}
with_recipients() { # NAME PEM: a copy of the demo device pinning PEM instead
	rm -rf "$1" && cp -a "$P/device" "$1" && cp "$2" "$1/recipients.pem"
}
printf '%s' '{"schema":"inloop-registration/1","record_id":"4b2e8f1c-7a3d-4e5b-9c0f-1a2b3c4d5e6f","seq":9,"created_at":"2026-11-23T10:00:00+01:00","device_id":"kiosk-demo-1","location":"Bibliotheek Centrum (demo)","language":"nl","mode":"kiosk","answers":{},"crisis":{"kinds":[]},"deadline":"2026-12-21"}' >rec.json
"$B/inloopctl" init-demo "$P" >/dev/null
check "the demo device seals (twin of the refusals below)" "$B/tests/seal_tool" "$P/device" rec.json ok.der

# P1: an X25519 case-store certificate, issued by our CA with keyAgreement.
printf '[v3]\nkeyUsage = critical,keyAgreement\n' >ext.cnf
openssl genpkey -algorithm X25519 -out x25519.key 2>/dev/null
openssl pkey -in x25519.key -pubout -out x25519.pub
openssl req -new -key "$P/ca/ca.key" -subj /CN=x -out dummy.csr
openssl x509 -req -in dummy.csr -CA "$P/ca/ca.pem" -CAkey "$P/ca/ca.key" -set_serial 4242 \
	-force_pubkey x25519.pub -subj /CN=casestore-x25519 -days 30 -extfile ext.cnf -extensions v3 \
	-out x25519.pem 2>/dev/null
check "(an X25519 recipient certificate of our CA)" openssl verify -CAfile "$P/ca/ca.pem" x25519.pem
with_recipients x "$PWD/x25519.pem"
check "P1: an X25519 recipient is refused (not EC P-256)" seal_says x "not EC P-256"

# P10: only pinned, fit recipients: not the TLS server cert, not another CA's store.
with_recipients srv "$P/casestore/server.pem"
check "P10: a certificate not for key agreement is refused as recipient" seal_says srv "not for key agreement"
"$B/inloopctl" init-demo other >/dev/null
with_recipients foreign "$PWD/other/office/casestore.pem"
check "P10: another CA's case-store certificate is refused as recipient" seal_says foreign "unable to get local issuer"
cat "$P/office/casestore.pem" "$P/office/casestore.pem" "$P/office/casestore.pem" "$P/office/casestore.pem" >four.pem
with_recipients four "$PWD/four.pem"
check "P13: more than three recipients is refused" seal_says four "at most 3"

# P2: Ed25519 (and any non-P-256) device keys are refused at enrolment.
openssl req -new -newkey ed25519 -nodes -keyout ed.key -subj /CN=kiosk-ed -out ed.csr 2>/dev/null
refuse "P2: an Ed25519 CSR is refused" "$B/inloopctl" --dir "$P" enroll ed.csr --out x.json

# P6: the envelope's inner content type must be id-data.
openssl cms -decrypt -binary -inform DER -in ok.der -inkey "$P/office/casestore.key" -out inner.der
check "(an AuthEnvelopedData whose inner type is id-signedData)" \
	"$B/tests/seal_tool" --p6 inner.der "$P/office/casestore.pem" p6.der
check "P6: refused by the opener, naming id-data" sh -c \
	'! "$0" --dir "$1" open p6.der 2>why6.txt && grep -q "id-data" why6.txt' "$B/inloopctl" "$P"
check "P14: the device certificate verifies for S/MIME signing and TLS client use" sh -c \
	'openssl verify -purpose smimesign -CAfile "$0/ca/ca.pem" "$0/device/device.pem" &&
	 openssl verify -purpose sslclient -CAfile "$0/ca/ca.pem" "$0/device/device.pem"' "$P"
refuse "P14: ... but not as a TLS server" openssl verify -purpose sslserver -CAfile "$P/ca/ca.pem" "$P/device/device.pem"
done_testing
