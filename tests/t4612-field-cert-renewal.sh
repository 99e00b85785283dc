#!/bin/sh
# Consultant certificates last 2 years (session 18): from 30 days before the end the laptop
# says so (`inloop consultant list`, and the field program after sign-in), `inloop consultant
# request ID` makes the renewal's CSR of the same key, the CA issues it for the same device
# although the id is active, and the new certificate installs; visits sealed to the old one
# still open. Twins: bram's certificate (2 years left) gets no warning, no renewal CSR, and
# the CA refuses his CSR for an active id; anna's renewal from another device is refused.
# The near-end certificate is issued with stock `openssl x509` by the demo CA's key.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki() { "$B/inloopctl" init-demo "$1" >/dev/null; }
. "$TOP/tests/field-lib.sh"
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/no-bus"
R="$T/pki"
field_device "$R"
S="$R/device"
DEV=$(jq -r .device_id "$S/config.json")
for c in anna bram; do
	"$B/inloopctl" --dir "$R" consultant enroll "$S/consultants/$c.csr" --device "$DEV" --out "$T/$c.pem" >/dev/null
done
# anna's certificate: 20 days left
cat >"$T/ext" <<EOX
keyUsage=critical,keyAgreement
extendedKeyUsage=1.3.6.1.4.1.99999.7.3.2
EOX
openssl x509 -req -in "$S/consultants/anna.csr" -CA "$R/ca/ca.pem" -CAkey "$R/ca/ca.key" -CAcreateserial \
	-days 20 -sha256 -extfile "$T/ext" -out "$T/anna20.pem" 2>/dev/null
cp "$T/anna20.pem" "$R/office/consultants/anna.pem"
cp "$T/anna20.pem" "$R/ca/consultants/anna.pem" 2>/dev/null
check "fixture: anna's 20-day certificate installs" "$B/inloop" --state "$S" consultant cert anna "$T/anna20.pem"
check "fixture: bram's 2-year certificate installs" "$B/inloop" --state "$S" consultant cert bram "$T/bram.pem"
"$B/inloop" --state "$S" consultant list >"$T/list" 2>&1
end=$(date -u -d "$(openssl x509 -in "$T/anna20.pem" -noout -enddate | cut -d= -f2)" +%F)
check "consultant list warns for anna: her certificate's end and how to renew" grep -qx "anna (certificate ends on $end: renew with inloop consultant request anna)" "$T/list"
check "... and not for bram (2 years left)" grep -qx bram "$T/list"
# the field program after sign-in
for c in anna:"$ANNA_PASS" bram:"$BRAM_PASS"; do
	printf 'tap cons-%s\ntype %s\nkey Return\nexpect field-drafts\ndump %s\n' "${c%%:*}" "${c#*:}" "$T/${c%%:*}.dump" >"$T/${c%%:*}.replay"
	field "$T/${c%%:*}.replay" 2>/dev/null
done
check "the field program tells anna, with the date" grep -q "id=cert-expiry .*$(date -u -d "$end" +%d-%m-%Y)" "$T/anna.dump"
refuse "... and not bram" grep -q "id=cert-expiry" "$T/bram.dump"
# the renewal's CSR
old=$(openssl req -in "$S/consultants/anna.csr" -noout -pubkey)
rm "$S/consultants/anna.csr"
printf '%s\n' "$ANNA_PASS" | "$B/inloop" --state "$S" consultant request anna >"$T/req.out" 2>&1
check "request makes anna's renewal CSR" grep -qx "csr: $S/consultants/anna.csr" "$T/req.out"
check "... of the same key (visits sealed to the old certificate keep opening)" test "$(openssl req -in "$S/consultants/anna.csr" -noout -pubkey)" = "$old"
printf '%s\n' "$BRAM_PASS" | "$B/inloop" --state "$S" consultant request bram >"$T/reqb.out" 2>&1
check "bram's request is refused: his certificate has 2 years left (it says until when)" sh -c "grep -q 'valid until' '$T/reqb.out' && ! grep -q '^csr:' '$T/reqb.out'"
# the CA
"$B/inloop" --state "$T/laptop2" enroll-request laptop-0009 >/dev/null 2>&1
"$B/inloopctl" --dir "$R" enroll "$T/laptop2/device.csr" --location Elders --mode field --out "$T/bundle2.json" >/dev/null 2>&1
check "fixture: a second laptop enrolled" test -s "$T/bundle2.json"
refuse "the CA refuses anna's renewal for the second laptop (not hers)" "$B/inloopctl" --dir "$R" consultant enroll "$S/consultants/anna.csr" --device laptop-0009 --out "$T/x.pem"
refuse "the CA refuses bram's CSR: he is active, with 2 years left" "$B/inloopctl" --dir "$R" consultant enroll "$S/consultants/bram.csr" --device "$DEV" --out "$T/bram2.pem"
check "the CA issues anna's renewal (same device, same key, 20 days left)" "$B/inloopctl" --dir "$R" consultant enroll "$S/consultants/anna.csr" --device "$DEV" --out "$T/anna2.pem"
check "... a 2-year certificate" sh -c "openssl x509 -in '$T/anna2.pem' -noout -checkend $((700 * 86400))"
check "... the office seals visits to the new one" cmp -s "$T/anna2.pem" "$R/office/consultants/anna.pem"
check "the laptop installs it" "$B/inloop" --state "$S" consultant cert anna "$T/anna2.pem"
"$B/inloop" --state "$S" consultant list >"$T/list2" 2>&1
check "... and warns no more" grep -qx anna "$T/list2"
done_testing
