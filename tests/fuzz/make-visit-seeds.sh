#!/bin/sh
# tests/fuzz/make-visit-seeds.sh — (re)makes fuzz_visit_inner's test PKI and seeds with the
# project's own tools: `inloopctl init-demo` (CA and the office's visit signer),
# `inloopctl consultant enroll` for a consultant "fuzz" (key made by openssl req, as the
# laptop would), visits sealed by the office's visit_seal (tests/unit/visit_tool) and
# decrypted with stock openssl to the signed visit inside. make-seeds.sh runs it too.
#   INLOOP_BUILD=$PWD/build sh tests/fuzz/make-visit-seeds.sh
# tests/fuzz/pki/visit/ is a TEST-ONLY consultant key, public in this repository. The
# certificates are valid for 2 years from when this ran; after that the seeds are refused
# as expired and the target reaches less deep: run this again.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
F="$TOP/tests/fuzz"
T=$(mktemp -d "${TMPDIR:-/tmp}/inloop-visit-seeds.XXXXXX")
trap 'rm -rf "$T"' EXIT

"$B/inloopctl" init-demo "$T/pki" >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/fuzz.key" \
	-subj /CN=fuzz -out "$T/fuzz.csr" 2>/dev/null
"$B/inloopctl" --dir "$T/pki" consultant enroll "$T/fuzz.csr" --device kiosk-demo-1 --out "$T/fuzz.pem" >/dev/null
rm -rf "$F/pki/visit" "$F/seeds/visit_inner"
mkdir -p "$F/pki/visit" "$F/seeds/visit_inner"
cp "$T/fuzz.key" "$F/pki/visit/consultant.key"
cp "$T/fuzz.pem" "$F/pki/visit/consultant.pem"
cp "$T/pki/device/ca.pem" "$F/pki/visit/ca.pem"
cat >"$T/v1.json" <<'JSON'
{"schema":"inloop.visit","version":1,"visit_id":"9c0e5a4b3f2d1e0a9b8c7d6e5f4a3b2c","consultant":"fuzz","record_id":"1c9e3f0a-5b2d-4c7e-9a61-3f8e2d4b7c10","reference":"K7QF2M9D","location":"Bibliotheek Centrum (demo)","name":"Fuzz Seed","contact":"phone","phone":"06 1234 5678","postcode":"1234 AB","house_number":"12","crisis":["eviction","energy"],"crisis_date":"2026-12-10","deadline":"2026-12-04","acuut":true,"assigned_at":"2026-12-01T10:00:00+01:00"}
JSON
cat >"$T/v2.json" <<'JSON'
{"schema":"inloop.visit","version":1,"visit_id":"00000000000000000000000000000001","consultant":"fuzz","record_id":"7d2c4b1a-9e8f-4a3b-8c6d-5e4f3a2b1c0d","reference":"0000AAAA","location":"Huisbezoek","name":"Z","contact":"email","email":"a@example.nl","crisis":"unknown","deadline":"2026-12-29","acuut":false,"assigned_at":"2026-12-01T10:00:00Z"}
JSON
for n in 1 2; do
	"$B/tests/visit_tool" seal "$T/pki/office" "$T/fuzz.pem" "$T/v$n.json" "$T/v$n.der"
	openssl cms -decrypt -binary -inform DER -in "$T/v$n.der" -inkey "$T/fuzz.key" \
		-out "$F/seeds/visit_inner/signed$n.der"
done
du -sh "$F/seeds/visit_inner" "$F/pki/visit"
