#!/bin/sh
# The seal against stock `openssl cms` (SEAL.md §8 profile and pitfalls): the case store
# opens and verifies with the CLI, the device cannot; flipped bytes, EnvelopedData/CBC
# (P4), the SHA-1 KDF (P3), BER, trailing bytes, a detached envelope (P5), another CA,
# attributes that disagree with the JSON and a revoked device are refused by
# `inloopctl open`, each with its reason; two recipients during rotation both open.
. "$(dirname "$0")/lib.sh"
P=$T/pki
cd "$T" || exit 1
ssl_open() { # ENVELOPE KEY: decrypt and verify like the back office would with the CLI
	openssl cms -decrypt -binary -inform DER -in "$1" -inkey "$2" -out "$1.inner" 2>/dev/null &&
	openssl cms -verify -cades -binary -inform DER -in "$1.inner" -CAfile "$P/ca/ca.pem" \
		-out "$1.json" 2>"$1.verify" && grep -q "CAdES Verification successful" "$1.verify"
}
open_says() { # ENVELOPE TEXT: inloopctl open refuses and names TEXT in its reason
	! "$B/inloopctl" --dir "$P" open "$1" >/dev/null 2>"$1.why" && grep -q -- "$2" "$1.why"
}
flip() { # IN OUT OFFSET: copy with one bit flipped
	cp "$1" "$2"
	b=$(od -An -tu1 -j "$3" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$2" bs=1 seek="$3" conv=notrunc 2>/dev/null
}
printf '%s' '{"schema":"inloop-registration/1","record_id":"1c9e3f0a-5b2d-4c7e-9a61-3f8e2d4b7c10","seq":3,"created_at":"2026-11-23T10:00:00+01:00","device_id":"kiosk-demo-1","location":"Bibliotheek Centrum (demo)","language":"nl","mode":"kiosk","answers":{"name":"Canary-P2k8","crisis":["energy"]},"crisis":{"kinds":["energy"],"date":"unknown"},"deadline":"2026-11-26"}' >rec.json

check "init-demo makes a PKI" "$B/inloopctl" init-demo "$P"
for k in ca/ca.key office/casestore.key casestore/server.key device/device.key; do
	check "$k is mode 0600" test "$(stat -c %a "$P/$k")" = 600
done
refuse "init-demo refuses to overwrite an existing PKI" "$B/inloopctl" init-demo "$P"
check "seal a record with the demo device" "$B/tests/seal_tool" "$P/device" rec.json env.der

check "openssl cms -decrypt + -verify -cades opens it (CAdES Verification successful)" ssl_open env.der "$P/office/casestore.key"
check "the JSON openssl recovers equals the input" cmp env.der.json rec.json
check "inloopctl open prints the verified JSON" sh -c '"$0" --dir "$1" open env.der >opened.json' "$B/inloopctl" "$P"
check "... equal to the input" sh -c 'printf "%s\n" "$(cat rec.json)" | cmp - opened.json'
refuse "the device's own key cannot decrypt it" openssl cms -decrypt -binary -inform DER -in env.der -inkey "$P/device/device.key"
refuse "the TLS server key cannot decrypt it" openssl cms -decrypt -binary -inform DER -in env.der -inkey "$P/casestore/server.key"
refuse "the plaintext is not in the envelope" grep -q Canary-P2k8 env.der
openssl cms -cmsout -print -inform DER -in env.der >env.txt 2>&1
check "profile: AuthEnvelopedData" grep -q "id-smime-ct-authEnvelopedData" env.txt
check "profile: ECDH with the SHA-256 KDF (not SHA-1)" grep -q "dhSinglePass-stdDH-sha256kdf-scheme" env.txt
check "profile: AES-256 key wrap" grep -q "id-aes256-wrap" env.txt
check "profile: AES-256-GCM content, id-data inside" sh -c 'grep -q "aes-256-gcm" env.txt && grep -q "contentType: pkcs7-data" env.txt'
openssl cms -cmsout -print -inform DER -in env.der.inner >inner.txt 2>&1
check "inner: private eContentType, signed device id, schema and seq" sh -c \
	'grep -q "1.3.6.1.4.1.99999.7.1.1" inner.txt && grep -q "UTF8STRING:kiosk-demo-1" inner.txt && grep -q "UTF8STRING:inloop-registration/1" inner.txt && grep -q "INTEGER:3" inner.txt'
check "inner: contentIdentifier, signingTime, signingCertificateV2, ecdsa-with-SHA256" sh -c \
	'grep -q contentIdentifier inner.txt && grep -q signingTime inner.txt && grep -q signingCertificateV2 inner.txt && grep -q ecdsa-with-SHA256 inner.txt'

# Flipped bytes: header, recipient info (ephemeral key, wrapped key), ciphertext, tag.
len=$(stat -c %s env.der)
ekey=$(openssl asn1parse -inform DER -in env.der | awk -F: '/l=  40 prim: OCTET STRING/ { print $1 + 10; exit }')
eph=$(openssl asn1parse -inform DER -in env.der | awk -F: '/l=  66 prim: BIT STRING/ { print $1 + 20; exit }')
for pos in 0 1 "$eph" "$ekey" $((len / 2)) $((len - 40)) $((len - 8)) $((len - 1)); do
	flip env.der "flip$pos.der" "$pos"
	refuse "openssl refuses the envelope with byte $pos flipped" ssl_open "flip$pos.der" "$P/office/casestore.key"
	refuse "inloopctl open refuses the envelope with byte $pos flipped" "$B/inloopctl" --dir "$P" open "flip$pos.der"
done
cat env.der rec.json >trailing.der
check "trailing bytes refused" open_says trailing.der "trailing bytes"

# P4, P3, BER: envelopes made by the CLI around the validly signed inner record.
openssl cms -encrypt -binary -aes-256-cbc -in env.der.inner -outform DER -out cbc.der \
	-recip "$P/office/casestore.pem" -keyopt ecdh_kdf_md:sha256 2>/dev/null
check "openssl itself opens the EnvelopedData/AES-CBC envelope (why P4 matters)" \
	openssl cms -decrypt -binary -inform DER -in cbc.der -inkey "$P/office/casestore.key" -out /dev/null
check "EnvelopedData (AES-CBC) refused before decrypting (P4)" open_says cbc.der "EnvelopedData"
openssl cms -encrypt -binary -aes-256-gcm -in env.der.inner -outform DER -out sha1kdf.der \
	-recip "$P/office/casestore.pem" 2>/dev/null
check "AuthEnvelopedData with the default SHA-1 KDF refused (P3)" open_says sha1kdf.der "sha1kdf"
openssl cms -encrypt -binary -aes-256-gcm -in env.der.inner -outform DER -out cli.der \
	-recip "$P/office/casestore.pem" -keyopt ecdh_kdf_md:sha256 2>/dev/null
check "the same made by the CLI with the SHA-256 KDF is accepted (twin)" "$B/inloopctl" --dir "$P" open cli.der
openssl cms -encrypt -binary -stream -aes-256-gcm -in env.der.inner -outform DER -out ber.der \
	-recip "$P/office/casestore.pem" -keyopt ecdh_kdf_md:sha256 2>/dev/null
check "an indefinite-length (BER) envelope refused" open_says ber.der "DER"
check "P5: the bare AuthEnvelopedData_create sequence makes a detached envelope" \
	"$B/tests/seal_tool" --p5 env.der.inner "$P/office/casestore.pem" p5.der
check "... which is refused as detached (P5)" open_says p5.der "detached"

# Signed by a device of another CA; signed attributes that disagree with the JSON.
"$B/inloopctl" init-demo other >/dev/null
"$B/tests/seal_tool" other/device rec.json other.der
openssl cms -decrypt -binary -inform DER -in other.der -inkey other/office/casestore.key -out other.inner
openssl cms -encrypt -binary -aes-256-gcm -in other.inner -outform DER -out foreign.der \
	-recip "$P/office/casestore.pem" -keyopt ecdh_kdf_md:sha256 2>/dev/null
check "a record signed by another CA's device refused" open_says foreign.der "unable to get local issuer certificate"
refuse "... and by openssl -verify against our CA" ssl_open foreign.der "$P/office/casestore.key"
"$B/tests/seal_tool" "$P/device" rec.json badid.der --record-id 00000000-0000-4000-8000-000000000000
check "a signed record id that differs from the JSON's refused" open_says badid.der "record_id"
check "... though its signature is valid (openssl verifies it)" ssl_open badid.der "$P/office/casestore.key"
refuse "the reason never holds content" grep -rq Canary-P2k8 --include='*.why' .

# Rotation: two pinned recipients, either key opens.
check "rotate-recipient makes casestore-next" "$B/inloopctl" --dir "$P" rotate-recipient
check "casestore-next.key is mode 0600" test "$(stat -c %a "$P/office/casestore-next.key")" = 600
refuse "a second rotation is refused while one is under way" "$B/inloopctl" --dir "$P" rotate-recipient
cat "$P/office/casestore-next.pem" >>"$P/device/recipients.pem"
check "seal to two recipients" "$B/tests/seal_tool" "$P/device" rec.json two.der
check "openssl opens it with the current key" ssl_open two.der "$P/office/casestore.key"
check "openssl opens it with the next key" ssl_open two.der "$P/office/casestore-next.key"
mkdir -p next/office && cp "$P/ca/ca.pem" "$P/casestore/crl.pem" "$P/office/casestore-next.key" "$P/office/casestore-next.pem" next/office/
check "an opener holding only casestore-next.key opens it" "$B/inloopctl" --dir next open two.der
refuse "... but not a record sealed to the current key alone" "$B/inloopctl" --dir next open env.der

# Revocation: the opener says the device is revoked.
check "revoke the demo device" "$B/inloopctl" --dir "$P" revoke kiosk-demo-1
check "a revoked device's record refused, saying so" open_says env.der "revoked"
done_testing
