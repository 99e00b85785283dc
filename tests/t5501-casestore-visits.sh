#!/bin/sh
# The case store's visit endpoints (issue 12, wire.h) with a real server on loopback and
# curl with the demo device's client certificate: GET /v1/consultants/ID/visits answers
# the spool (ROOT/casestore/visits/ID/*.cms) as JSON with base64 DER, the oldest first, at
# most 64; DELETE .../visits/VISITID answers 204, also twice. The registry
# (casestore/consultants/ID.json) decides: unknown and another device's consultant get one
# answer (404), disabled 410, a broken entry 503. Negative twins: no client certificate, a
# certificate never enrolled (403), a revoked device, bad ids (path tricks, 33 characters,
# upper case, bad visit ids), other methods (405), files that are not visits (temp files,
# symlinks, other names) never served.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
CS="$T/cs/casestore"
check "server starts" server_start "$T/cs"
V="$URL/v1/consultants"

# curl as the demo device: prints the HTTP code, the body into $T/body
vc() { curl -s --path-as-is -o "$T/body" -w '%{http_code}' --cacert "$S/ca.pem" --capath /dev/null \
	--cert "$S/device.pem" --key "$S/device.key" "$@"; }
registry() { # ID DEVICE STATE: the entry as the CA writes it
	mkdir -p "$CS/consultants"
	printf '{"id":"%s","device":"%s","state":"%s","changed":"2026-12-01T10:00:00+01:00"}\n' "$1" "$2" "$3" \
		>"$CS/consultants/$1.json"
}
vid() { openssl rand -hex 16; }
spool() { # ID VISITID [BYTES]: a visit file (ciphertext is opaque to the server: random bytes)
	mkdir -p "$CS/visits/$1"; chmod 750 "$CS/visits" "$CS/visits/$1"
	head -c "${3:-1500}" /dev/urandom >"$CS/visits/$1/$2.cms"; chmod 640 "$CS/visits/$1/$2.cms"
}

registry anna kiosk-demo-1 active
v1=$(vid); v2=$(vid)
spool anna "$v1" 1800
spool anna "$v2" 2100
touch -d '2 hours ago' "$CS/visits/anna/$v2.cms"   # v2 is the older: it comes first
check "GET of an active consultant's visits: 200" test "$(vc "$V/anna/visits")" = 200
check "... application/json" sh -c "curl -s -D - -o /dev/null --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' '$V/anna/visits' | grep -qi '^Content-Type: application/json'"
check "... the consultant and two visits" test "$(jq -r '.consultant + " " + (.visits | length | tostring)' "$T/body")" = "anna 2"
check "... the oldest first, by id" test "$(jq -r '[.visits[].id] | join(" ")' "$T/body")" = "$v2 $v1"
jq -r '.visits[0].envelope' "$T/body" | base64 -d >"$T/got2.der"
jq -r '.visits[1].envelope' "$T/body" | base64 -d >"$T/got1.der"
check "... each envelope is the spool file's bytes (base64 DER)" sh -c "cmp -s '$T/got2.der' '$CS/visits/anna/$v2.cms' && cmp -s '$T/got1.der' '$CS/visits/anna/$v1.cms'"
check "... and nothing else in the answer" test "$(jq -c '[keys, (.visits[0] | keys)]' "$T/body")" = '[["consultant","visits"],["envelope","id"]]'

# What is not a visit is never served: a write under way, a symlink, other names, a folder.
echo secret >"$T/outside"
ln -s "$T/outside" "$CS/visits/anna/$(vid).cms"
head -c 100 /dev/urandom >"$CS/visits/anna/$(vid).cms.tmp.4242"
head -c 100 /dev/urandom >"$CS/visits/anna/$(vid | tr a-f A-F).cms"
head -c 100 /dev/urandom >"$CS/visits/anna/notes.txt"
mkdir "$CS/visits/anna/$(vid).cms"
check "temp files, symlinks, other names and folders are not served" sh -c "test \"\$(curl -s --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' '$V/anna/visits' | jq '.visits | length')\" = 2"

# A consultant without visits, unknown, another device's, disabled.
registry bram kiosk-demo-1 active
check "an active consultant with no spool: 200 and an empty list" sh -c "test \"\$(curl -s --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' '$V/bram/visits' | jq -c .)\" = '{\"consultant\":\"bram\",\"visits\":[]}'"
check "an unknown consultant: 404" test "$(vc "$V/nobody/visits")" = 404
registry carla kiosk-other active
spool carla "$(vid)"
check "another device's consultant: 404 (the same answer)" test "$(vc "$V/carla/visits")" = 404
check "... and its visits stay: DELETE is 404 too" test "$(vc -X DELETE "$V/carla/visits/$(ls "$CS/visits/carla" | sed 's/.cms$//')")" = 404
check "... the file is still there" test "$(ls "$CS/visits/carla" | wc -l)" = 1
registry dirk kiosk-other disabled
check "another device's disabled consultant: 404, not 410 (a device learns nothing of others)" test "$(vc "$V/dirk/visits")" = 404
registry eva kiosk-demo-1 disabled
spool eva "$(vid)"
check "a disabled consultant: GET 410" test "$(vc "$V/eva/visits")" = 410
check "... and DELETE 410" test "$(vc -X DELETE "$V/eva/visits/$(vid)")" = 410
check "... no envelope in a 410" sh -c "! grep -q envelope '$T/body'"

# The registry as the CA writes it (inloopctl consultant enroll / disable), read while the
# server runs.
openssl ecparam -name prime256v1 -genkey -noout -out "$T/lina.key" 2>/dev/null
openssl req -new -key "$T/lina.key" -subj "/CN=lina" -out "$T/lina.csr" 2>/dev/null
check "inloopctl consultant enroll lina for the demo device" "$B/inloopctl" --dir "$T/cs" consultant enroll "$T/lina.csr" --device kiosk-demo-1 --out "$T/lina.pem"
spool lina "$(vid)"
check "... her visits: 200, one" test "$(vc "$V/lina/visits"; jq '.visits | length' "$T/body")" = 2001
check "inloopctl consultant disable lina" "$B/inloopctl" --dir "$T/cs" consultant disable lina
check "... the next GET: 410" test "$(vc "$V/lina/visits")" = 410

# A registry entry the case store cannot trust: 503 (the device tries again), never served.
mkdir -p "$CS/consultants"; echo 'not json' >"$CS/consultants/fred.json"; spool fred "$(vid)"
check "a registry entry that is not JSON: 503" test "$(vc "$V/fred/visits")" = 503
printf '{"id":"anna","device":"kiosk-demo-1","state":"active"}\n' >"$CS/consultants/gert.json"; spool gert "$(vid)"
check "an entry whose id is another consultant's: 503" test "$(vc "$V/gert/visits")" = 503
printf '{"id":"hans","device":"kiosk-demo-1","state":"maybe"}\n' >"$CS/consultants/hans.json"
check "an entry with an unknown state: 503" test "$(vc "$V/hans/visits")" = 503
ln -s "$CS/consultants/anna.json" "$CS/consultants/ines.json"
check "an entry that is a symlink: 503" test "$(vc "$V/ines/visits")" = 503
rm "$CS/consultants/fred.json" "$CS/consultants/gert.json" "$CS/consultants/hans.json" "$CS/consultants/ines.json"

# Bad ids: never a path outside the spool.
check "../x as the id: 400" test "$(vc "$V/../x/visits")" = 400
check "%2e%2e as the id: 400" test "$(vc "$V/%2e%2e/visits")" = 400
check "an id of 33 characters: 400" test "$(vc "$V/$(printf 'a%.0s' $(seq 33))/visits")" = 400
check "an id of 32 characters is an id (404: unknown)" test "$(vc "$V/$(printf 'a%.0s' $(seq 32))/visits")" = 404
check "an upper-case id: 400" test "$(vc "$V/Anna/visits")" = 400
check "an id starting with a dot: 400" test "$(vc "$V/.anna/visits")" = 400
check "an empty id: 400" test "$(vc "$V//visits")" = 400
check "anna/.. as the path: 404" test "$(vc "$V/anna/..")" = 404
check "another path below a consultant: 404" test "$(vc "$V/anna/records")" = 404
check "a visit id of 31 hex digits: 400" test "$(vc -X DELETE "$V/anna/visits/$(vid | cut -c2-)")" = 400
check "a visit id of 33 hex digits: 400" test "$(vc -X DELETE "$V/anna/visits/$(vid)a")" = 400
check "an upper-case visit id: 400" test "$(vc -X DELETE "$V/anna/visits/$(echo "$v1" | tr a-f A-F)")" = 400
check "a visit id with ../: 400" test "$(vc -X DELETE "$V/anna/visits/../../consultants/anna.json")" = 400
check "... the registry entry is still there" test -f "$CS/consultants/anna.json"

# Methods.
check "POST to the visits: 405" test "$(vc -X POST -d x "$V/anna/visits")" = 405
check "... with Allow: GET" sh -c "curl -s -D - -o /dev/null -X POST -d x --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' '$V/anna/visits' | grep -qi '^Allow: GET'"
check "PUT to the visits: 405" test "$(vc -X PUT -d x "$V/anna/visits")" = 405
check "DELETE of all the visits: 405" test "$(vc -X DELETE "$V/anna/visits")" = 405
check "GET of one visit: 405 (Allow: DELETE)" test "$(vc "$V/anna/visits/$v1")" = 405
check "POST to the health probe: 405" test "$(vc -X POST -d x "$URL/v1/health")" = 405
check "PATCH: refused" test "$(vc -X PATCH "$V/anna/visits")" -ge 400

# DELETE: 204, also when already gone; the rest stays.
check "DELETE of a visit: 204" test "$(vc -X DELETE "$V/anna/visits/$v2")" = 204
check "... with no body" test ! -s "$T/body"
check "... the spool file is gone" test ! -e "$CS/visits/anna/$v2.cms"
check "DELETE again: 204" test "$(vc -X DELETE "$V/anna/visits/$v2")" = 204
check "DELETE of a visit that never was: 204" test "$(vc -X DELETE "$V/anna/visits/$(vid)")" = 204
check "GET now lists the one left" sh -c "test \"\$(curl -s --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' '$V/anna/visits' | jq -r '[.visits[].id] | join(\" \")')\" = '$v1'"
check "the symlink's target was never touched" test "$(cat "$T/outside")" = secret

# At most 64 per answer; the next answer brings the rest once those are deleted.
registry joop kiosk-demo-1 active
for i in $(seq 70); do spool joop "$(vid)" 200; done
check "70 spooled visits: the answer holds 64" test "$(vc "$V/joop/visits"; jq '.visits | length' "$T/body")" = "20064"
for id in $(jq -r '.visits[].id' "$T/body"); do vc -X DELETE "$V/joop/visits/$id" >/dev/null; done
check "... after deleting those, the other 6" test "$(vc "$V/joop/visits"; jq '.visits | length' "$T/body")" = "2006"

# Identities, as for uploads.
refuse "no client certificate: refused in the handshake" curl -sf --cacert "$S/ca.pem" "$V/anna/visits"
cat >"$T/ext.cnf" <<'CNF'
[dev]
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
CNF
openssl ecparam -name prime256v1 -genkey -noout -out "$T/ghost.key" 2>/dev/null
openssl req -new -key "$T/ghost.key" -subj "/O=Gemeente/CN=kiosk-demo-1x" -out "$T/ghost.csr" 2>/dev/null
openssl x509 -req -in "$T/ghost.csr" -CA "$CS/ca.pem" -CAkey "$T/cs/ca/ca.key" -CAcreateserial -days 30 \
	-extfile "$T/ext.cnf" -extensions dev -out "$T/ghost.pem" 2>/dev/null
registry kees kiosk-demo-1x active
check "a device of our CA that was never enrolled: 403 (even for a consultant registered to its name)" \
	test "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$S/ca.pem" --cert "$T/ghost.pem" --key "$T/ghost.key" "$V/kees/visits")" = 403
check "inloopctl revoke kiosk-demo-1" "$B/inloopctl" --dir "$T/cs" revoke kiosk-demo-1
refuse "a revoked device gets no visits" sh -c "test \"\$(curl -s -o /dev/null -w '%{http_code}' --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' '$V/anna/visits')\" = 200"
check "... (the revocation disabled anna and took her visits from the spool)" sh -c "! test -e '$CS/visits/anna/$v1.cms' && ! test -e '$CS/visits/anna/$v2.cms'"
mkdir -p "$CS/visits/anna" && printf 'x' >"$CS/visits/anna/$v1.cms"
check "... nor deletes one" sh -c "curl -s -o /dev/null -X DELETE --cacert '$S/ca.pem' --cert '$S/device.pem' --key '$S/device.key' '$V/anna/visits/$v1'; test -f '$CS/visits/anna/$v1.cms'"
check "the log names consultants and codes, no envelope bytes" sh -c "server_log() { cat '$T'/server.*.log; }; server_log | grep -q 'GET visits anna kiosk-demo-1 200' && ! server_log | grep -q \"\$(jq -r '.visits[0].envelope' '$T/body' | cut -c1-24)\""
check "SIGTERM: exit 0" server_stop
done_testing
