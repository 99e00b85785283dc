#!/bin/sh
# inloopctl consultant enroll|disable|list and office-signer (issue 12, CA side). A
# consultant's CSR (made here with openssl req; on a laptop `inloop consultant add ID`
# makes it) becomes a consultant certificate (CN=ID, keyAgreement, EKU
# id-kp-inloopConsultant, 2 years) in ca/consultants/ (or --out) and office/consultants/,
# with the registry entry casestore/consultants/ID.json; disable marks the entry and moves
# the office's copy aside. Negative twins: an RSA or P-384 CSR, a broken CSR signature, a
# CN with '/', upper case or too long, an unknown device, a revoked device, an active
# consultant enrolled twice; none of them leaves a file behind. A visit sealed to the
# office's copy (tests/visit_tool, the office's visit_seal) opens with the consultant's
# key; after disable none can be sealed to them.
. "$(dirname "$0")/lib.sh"
P=$T/pki
cd "$T" || exit 1
ctl() { "$B/inloopctl" --dir "$P" "$@"; }
# says EXIT WORD command...: the command exits EXIT and its stderr names WORD (the rule).
says() { _e=$1 _w=$2; shift 2; "$@" >says.out 2>says.err; _rc=$?; [ "$_rc" -eq "$_e" ] && grep -qi -- "$_w" says.err; }
csr() { # ID [KEYOPTS...]: a P-256 key ID.key and CSR ID.csr with CN=ID
	_id=$1
	shift
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$_id.key" \
		-subj "/CN=$_id" -out "$_id.csr" 2>/dev/null
}
entry() { # ID FIELD: the registry entry's field
	sed -n "s/.*\"$2\": \"\\([^\"]*\\)\".*/\\1/p" "$P/casestore/consultants/$1.json"
}
pubkey() { openssl "$1" -in "$2" -noout -pubkey 2>/dev/null; }

check "init-demo makes a PKI" "$B/inloopctl" init-demo "$P"
check "init-demo makes the office's visit signer" test -f "$P/office/visit-signer.pem"
check "visit-signer.key is mode 0600" test "$(stat -c %a "$P/office/visit-signer.key")" = 600
openssl x509 -in "$P/office/visit-signer.pem" -noout -text >signer.txt
check "the visit signer: CN=office, digitalSignature, EKU id-kp-inloopVisitSigner" sh -c \
	'grep -q "CN = office" signer.txt && grep -q "Digital Signature" signer.txt && grep -q "1.3.6.1.4.1.99999.7.3.1" signer.txt'
check "... issued by the CA" openssl verify -purpose any -CAfile "$P/ca/ca.pem" "$P/office/visit-signer.pem"
openssl x509 -in "$P/device/device.pem" -noout -text >dev.txt
refuse "the demo device's certificate never carries that EKU" grep -q "1.3.6.1.4.1.99999.7.3.1" dev.txt
check "office-signer refuses an office that has its signer" says 1 "already holds" ctl office-signer
rm "$P/office/visit-signer.key" "$P/office/visit-signer.pem"
check "office-signer makes it for an existing root" sh -c '"$0" --dir "$1" office-signer >signer.out' "$B/inloopctl" "$P"
check "... and says where" grep -q "visit signer: .*/office/visit-signer.pem" signer.out
check "... key mode 0600" test "$(stat -c %a "$P/office/visit-signer.key")" = 600
check "office-signer --help" "$B/inloopctl" office-signer --help
check "consultant --help" "$B/inloopctl" consultant --help
check "consultant without --dir is a usage error (2)" says 2 "usage" "$B/inloopctl" consultant list
check "consultant list of an empty registry is empty" sh -c '[ -z "$("$0" --dir "$1" consultant list)" ]' "$B/inloopctl" "$P"

# Enrol anna on the demo device.
csr anna
check "enroll anna's CSR" sh -c '"$0" --dir "$1" consultant enroll anna.csr --device kiosk-demo-1 >anna.out' "$B/inloopctl" "$P"
check "... prints certificate: PATH (ca/consultants/anna.pem by default)" \
	grep -qx "certificate: $P/ca/consultants/anna.pem" anna.out
check "... the office's copy (visits are sealed to it)" cmp "$P/ca/consultants/anna.pem" "$P/office/consultants/anna.pem"
openssl x509 -in "$P/ca/consultants/anna.pem" -noout -text >anna.txt
check "certificate: CN=anna" grep -q "Subject: CN = anna" anna.txt
check "certificate: keyUsage keyAgreement, critical" sh -c 'grep -A1 "Key Usage: critical" anna.txt | grep -q "Key Agreement"'
check "certificate: EKU id-kp-inloopConsultant" grep -q "1.3.6.1.4.1.99999.7.3.2" anna.txt
check "certificate: not the visit-signer EKU" sh -c '! grep -q "1.3.6.1.4.1.99999.7.3.1" anna.txt'
check "certificate: chains to the CA" openssl verify -purpose any -CAfile "$P/ca/ca.pem" "$P/ca/consultants/anna.pem"
check "certificate: carries the CSR's key" sh -c '[ "$(openssl req -in anna.csr -noout -pubkey)" = "$(openssl x509 -in "$0" -noout -pubkey)" ]' "$P/ca/consultants/anna.pem"
check "certificate: valid about 2 years" sh -c \
	'openssl x509 -in "$0" -noout -checkend $((729 * 86400)) && ! openssl x509 -in "$0" -noout -checkend $((731 * 86400))' \
	"$P/ca/consultants/anna.pem"
check "registry: id, device, state active" test "$(entry anna id) $(entry anna device) $(entry anna state)" = "anna kiosk-demo-1 active"
check "registry: changed is ISO 8601" sh -c 'printf "%s\n" "$0" | grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)$"' "$(entry anna changed)"
check "registry: mode 0644" test "$(stat -c %a "$P/casestore/consultants/anna.json")" = 644
check "registry: valid JSON, nothing else in it" python3 -c \
	'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(sorted(d) != ["changed","device","id","state"])' \
	"$P/casestore/consultants/anna.json"
check "enrolling an active consultant again is refused" says 1 "already enrolled" ctl consultant enroll anna.csr --device kiosk-demo-1
# The office seals a visit to the enrolled certificate; anna's key opens it against the laptop's CA.
visit() { printf '{"schema":"inloop.visit","version":1,"visit_id":"00112233445566778899aabbccddeeff","consultant":"%s","record_id":"6a1f0c9e-3b7d-4e21-a8f5-0c2d9e7b1a44","reference":"K7QF2M9D","name":"Canary-Cq81z","deadline":"2026-12-04","acuut":false,"assigned_at":"2026-12-01T10:00:00+01:00"}' "$1" >"$1.visit.json"; }
visit anna
check "the office seals a visit to office/consultants/anna.pem" \
	"$B/tests/visit_tool" seal "$P/office" "$P/office/consultants/anna.pem" anna.visit.json anna.visit.der
check "... anna's key opens it (the laptop's ca.pem)" sh -c \
	'"$0" open anna.visit.der anna.key "$1/ca/consultants/anna.pem" "$1/device/ca.pem" anna | grep -q Canary-Cq81z' \
	"$B/tests/visit_tool" "$P"
refuse "... the plaintext is not in the visit" grep -q Canary-Cq81z anna.visit.der

# bert with --out; list.
csr bert
check "enroll --out FILE" sh -c '"$0" --dir "$1" consultant enroll bert.csr --device kiosk-demo-1 --out bert.pem >bert.out' "$B/inloopctl" "$P"
check "... writes FILE and says so" sh -c 'test -s bert.pem && grep -qx "certificate: bert.pem" bert.out'
check "... and the office's copy" cmp bert.pem "$P/office/consultants/bert.pem"
ctl consultant list >list.txt
check "list: anna and bert, sorted, with device and state" sh -c \
	'awk "{ print \$1, \$2, \$3 }" list.txt | tr "\n" ";" | grep -qx "anna kiosk-demo-1 active;bert kiosk-demo-1 active;"'

# Disable anna: her waiting visits leave the spool, bert's stay (the twin).
mkdir -p "$P/casestore/visits/anna" "$P/casestore/visits/bert"
v1=0123456789abcdef0123456789abcdef v2=fedcba9876543210fedcba9876543210
printf 'x' >"$P/casestore/visits/anna/$v1.cms"; printf 'x' >"$P/casestore/visits/anna/$v2.cms"
printf 'x' >"$P/casestore/visits/bert/$v1.cms"
check "disable anna" ctl consultant disable anna
check "registry: anna disabled" test "$(entry anna state)" = disabled
check "... and her waiting visits are gone from the spool" sh -c '! ls "$0"/*.cms 2>/dev/null | grep -q .' "$P/casestore/visits/anna"
check "... but bert's stay (twin)" test -f "$P/casestore/visits/bert/$v1.cms"
rm -f "$P/casestore/visits/bert/$v1.cms"
check "the office's copy moved to anna.pem.disabled" sh -c \
	'! test -e "$0/office/consultants/anna.pem" && test -s "$0/office/consultants/anna.pem.disabled"' "$P"
check "no visit can be sealed to disabled anna at the office" sh -c \
	'! "$0" seal "$1/office" "$1/office/consultants/anna.pem" anna.visit.json again.der 2>/dev/null && ! test -e again.der' \
	"$B/tests/visit_tool" "$P"
visit bert
check "... while bert still gets visits (twin)" \
	"$B/tests/visit_tool" seal "$P/office" "$P/office/consultants/bert.pem" bert.visit.json bert.visit.der
check "list shows anna disabled, bert active" sh -c \
	'"$0" --dir "$1" consultant list | awk "{ print \$1, \$3 }" | tr "\n" ";" | grep -qx "anna disabled;bert active;"' "$B/inloopctl" "$P"
check "disabling again changes nothing and succeeds" ctl consultant disable anna
check "disabling an unknown consultant is refused" says 1 "no consultant" ctl consultant disable carla
check "disabling a bad id is refused" says 1 "consultant id" ctl consultant disable ../anna
mv anna.key old-anna.key
rm anna.csr
csr anna
check "a disabled consultant may be enrolled again (new key)" ctl consultant enroll anna.csr --device kiosk-demo-1
check "... active again" test "$(entry anna state)" = active
check "... the office's copy back" test -s "$P/office/consultants/anna.pem"
check "... a visit to the new certificate opens with the new key" sh -c \
	'"$0" seal "$1/office" "$1/office/consultants/anna.pem" anna.visit.json new.der && "$0" open new.der anna.key "$1/office/consultants/anna.pem" "$1/device/ca.pem" anna >/dev/null' \
	"$B/tests/visit_tool" "$P"
check "... and not with the key and certificate of before" says 1 "not sealed to this consultant" \
	"$B/tests/visit_tool" open new.der old-anna.key "$P/office/consultants/anna.pem.disabled" "$P/device/ca.pem" anna

# CSRs and devices the CA must refuse; none leaves a file.
openssl req -new -newkey rsa:2048 -nodes -keyout rsa.key -subj /CN=rsa -out rsa.csr 2>/dev/null
check "an RSA CSR is refused (P-256 only)" says 1 "P-256" ctl consultant enroll rsa.csr --device kiosk-demo-1
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout p384.key -subj /CN=p384 -out p384.csr 2>/dev/null
check "a P-384 CSR is refused (P-256 only)" says 1 "P-256" ctl consultant enroll p384.csr --device kiosk-demo-1
csr dora
openssl req -in dora.csr -outform DER -out dora.der
at=$(($(stat -c %s dora.der) - 3))
b=$(od -An -tu1 -j "$at" -N1 dora.der | tr -d ' ')
printf "$(printf '\\%03o' $((b ^ 1)))" | dd of=dora.der bs=1 seek="$at" conv=notrunc 2>/dev/null
openssl req -inform DER -in dora.der -out broken.csr 2>/dev/null
check "a CSR with a broken signature is refused" says 1 "signature" ctl consultant enroll broken.csr --device kiosk-demo-1
openssl req -new -key dora.key -subj '/CN=do\/ra' -out slash.csr
check "a CN with '/' is refused" says 1 "consultant id" ctl consultant enroll slash.csr --device kiosk-demo-1
openssl req -new -key dora.key -subj '/CN=Dora' -out upper.csr
check "a CN with upper case is refused" says 1 "consultant id" ctl consultant enroll upper.csr --device kiosk-demo-1
openssl req -new -key dora.key -subj "/CN=$(printf 'd%.0s' $(seq 33))" -out long.csr
check "a CN of 33 characters is refused" says 1 "consultant id" ctl consultant enroll long.csr --device kiosk-demo-1
openssl req -new -key dora.key -subj '/CN=.dora' -out dot.csr
check "a CN starting with '.' is refused" says 1 "consultant id" ctl consultant enroll dot.csr --device kiosk-demo-1
check "an unknown device is refused" says 1 "no device" ctl consultant enroll dora.csr --device kiosk-nowhere
check "a bad device name is refused" says 1 "device" ctl consultant enroll dora.csr --device ../kiosk-demo-1
check "--device is required (usage, 2)" says 2 "usage" ctl consultant enroll dora.csr
# A second device: its consultant enrols while it is active, not once it is revoked.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout lap.key -subj /CN=laptop-07 -out lap.csr 2>/dev/null
check "enrol the laptop laptop-07" ctl enroll lap.csr --location Huisbezoek --mode field --out lap.json
csr emma
check "a consultant on the active laptop-07 enrols (twin)" ctl consultant enroll emma.csr --device laptop-07
check "... registered to laptop-07" test "$(entry emma device)" = laptop-07
mkdir -p "$P/casestore/visits/emma"; printf 'x' >"$P/casestore/visits/emma/$v1.cms"
check "revoke laptop-07" ctl revoke laptop-07
check "... disables emma, whose key is on it" test "$(entry emma state)" = disabled
check "... and empties her visit spool" sh -c '! ls "$0"/*.cms 2>/dev/null | grep -q .' "$P/casestore/visits/emma"
check "... and moves her office copy aside" sh -c \
	'! test -e "$0/office/consultants/emma.pem" && test -s "$0/office/consultants/emma.pem.disabled"' "$P"
check "... but not anna and bert of kiosk-demo-1 (twin)" test "$(entry anna state) $(entry bert state)" = "active active"
check "a consultant on the revoked laptop-07 is refused" says 1 "revoked" ctl consultant enroll dora.csr --device laptop-07
for id in rsa p384 dora do.ra Dora .dora; do
	refuse "no registry entry or certificate left for $id" sh -c \
		'ls "$0"/casestore/consultants "$0"/office/consultants "$0"/ca/consultants | grep -q "^$1"' "$P" "$id"
done
refuse "the visit's name is nowhere in the PKI folders (no plaintext on disk)" grep -rq Canary-Cq81z "$P"
refuse "no temporary file left in the registry" sh -c 'ls -a "$0/casestore/consultants" | grep -q tmp' "$P"
done_testing
