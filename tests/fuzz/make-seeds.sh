#!/bin/sh
# tests/fuzz/make-seeds.sh — (re)makes the fuzz targets' test PKI and seed corpora with the
# project's own tools: `inloopctl init-demo` for the keys, `inloop submit` for sealed
# envelopes and a real outbox, the shipped form and tests/forms-bad for the form loader.
# The output is committed (small); run it again only when a format changes:
#   INLOOP_BUILD=$PWD/build sh tests/fuzz/make-seeds.sh
# The PKI under tests/fuzz/pki/ is a TEST-ONLY key pair, public in this repository: it
# opens only the seeds below and must never be used on a device or a case store.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
F="$TOP/tests/fuzz"
T=$(mktemp -d "${TMPDIR:-/tmp}/inloop-seeds.XXXXXX")
trap 'rm -rf "$T"' EXIT
export INLOOP_ASSETS="$TOP/assets"

"$B/inloopctl" init-demo "$T/pki" >/dev/null
S="$T/pki/device"
# The opener's key and CA: in the case-store folder, or (split layout) office/ and ca/.
key=$(ls "$T/pki/casestore.key" "$T/pki/office/casestore.key" 2>/dev/null | head -1)
ca=$(ls "$T/pki/ca.pem" "$T/pki/ca/ca.pem" 2>/dev/null | head -1)
rm -rf "$F/pki" "$F"/seeds
mkdir -p "$F/pki" "$F/seeds/seal_open" "$F/seeds/seal_inner" "$F/seeds/form_load" "$F/seeds/form_check" \
	"$F/seeds/outbox_rows" "$F/seeds/server"
cp "$key" "$F/pki/casestore.key"
cp "$ca" "$F/pki/ca.pem"
cp "$S/recipients.pem" "$F/pki/recipient.pem"
# The moment the seeds were sealed: the targets judge envelopes at this time, so the
# certificates stay valid for the fuzzer however old the seeds get.
date +%s >"$F/pki/at"

today=$(TZ=Europe/Amsterdam date +%F)
soon=$(TZ=Europe/Amsterdam date -d '+60 days' +%F)
cat >"$T/a1.json" <<JSON
{"crisis":["eviction"],"crisis_date":"$soon","name":"Fuzz Seed","contact":"phone",
 "phone":"06 1234 5678","postcode":"1234 ab","house_number":"12","privacy_read":true}
JSON
cat >"$T/a2.json" <<JSON
{"crisis":"unknown","crisis_date":"unknown","name":"Zaad","contact":"come_back","postcode":"unknown",
 "house_number":"unknown","privacy_read":true}
JSON
cat >"$T/a3.json" <<JSON
{"crisis":["none"],"name":"E Mail","contact":"email","email":"Iemand@Example.NL",
 "postcode":"9999ZZ","house_number":"1-2","interpreter":"yes","interpreter_language":"ar","privacy_read":true}
JSON
n=0
for a in "$T"/a1.json "$T"/a2.json "$T"/a3.json; do
	n=$((n + 1))
	"$B/inloop" --state "$S" submit "$a" >"$T/out"
	id=$(sed -n 's/^record: \([0-9a-f-]\{36\}\)$/\1/p' "$T/out")
	"$B/inloop" --state "$S" outbox --dump "$id" >"$F/seeds/seal_open/envelope$n.der"
	# The signed record inside (fuzz_seal_inner wraps it again per input).
	openssl cms -decrypt -binary -inform DER -in "$F/seeds/seal_open/envelope$n.der" \
		-inkey "$key" -out "$F/seeds/seal_inner/signed$n.der"
	# The record as the back office opens it: the record checker's seed.
	"$B/inloopctl" --dir "$T/pki" open "$F/seeds/seal_open/envelope$n.der" >"$F/seeds/form_check/record$n.json" 2>/dev/null ||
		"$B/inloopctl" --dir "$T/pki/office" open "$F/seeds/seal_open/envelope$n.der" >"$F/seeds/form_check/record$n.json"
	cp "$a" "$F/seeds/form_check/answers$n.json"
	# The wire: PUT of the envelope, a GET of it, the health check, and both in one go.
	len=$(wc -c <"$F/seeds/seal_open/envelope$n.der")
	{
		printf 'PUT /v1/records/%s HTTP/1.1\r\nHost: casestore\r\nContent-Type: application/pkcs7-mime\r\nContent-Length: %d\r\n\r\n' "$id" "$len"
		cat "$F/seeds/seal_open/envelope$n.der"
	} >"$F/seeds/server/put$n.http"
	printf 'GET /v1/records/%s HTTP/1.1\r\nHost: casestore\r\n\r\n' "$id" >"$T/get$n.http"
	cat "$F/seeds/server/put$n.http" "$T/get$n.http" >"$F/seeds/server/put-get$n.http"
done
printf 'GET /v1/health HTTP/1.1\r\nHost: casestore\r\nConnection: close\r\n\r\n' >"$F/seeds/server/health.http"
printf 'GET /v1/consultants/anna/visits HTTP/1.1\r\nHost: casestore\r\n\r\nDELETE /v1/consultants/anna/visits/0123456789abcdef0123456789abcdef HTTP/1.1\r\nHost: casestore\r\n\r\nGET /v1/consultants/bram/visits HTTP/1.1\r\nHost: casestore\r\nConnection: close\r\n\r\n' >"$F/seeds/server/visits.http"

# A real outbox (three rows, one deferred, one held), vacuumed into small pages.
"$B/inloop" --state "$S" outbox >"$T/list"
ids=$(grep -o '^[0-9a-f]\{8\}-[0-9a-f-]\{27\}' "$T/list")
set -- $ids
sqlite3 "$S/outbox.sqlite" "UPDATE outbox SET attempts=2, last_error='connect: timeout', next_attempt_at=99 WHERE id='$1';
	UPDATE outbox SET held=1, last_error='409 Conflict' WHERE id='$2';"
sqlite3 "$S/outbox.sqlite" "PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM;" >/dev/null
cp "$S/outbox.sqlite" "$F/seeds/outbox_rows/outbox3.sqlite"
sqlite3 "$S/outbox.sqlite" "DELETE FROM outbox WHERE id<>'$3'; VACUUM;"
cp "$S/outbox.sqlite" "$F/seeds/outbox_rows/outbox1.sqlite"

# The form loader: the shipped form and the refused forms of tests/forms-bad.
cp "$TOP/assets/forms/registration.json" "$F/seeds/form_load/registration.json"
for f in "$TOP"/tests/forms-bad/bad-utf8.json "$TOP"/tests/forms-bad/cond-forward.json \
	"$TOP"/tests/forms-bad/duplicate-key.json "$TOP"/tests/forms-bad/exclusive-single.json \
	"$TOP"/tests/forms-bad/missing-text.json "$TOP"/tests/forms-bad/range-text.json; do cp "$f" "$F/seeds/form_load/bad-$(basename "$f")"; done
# The visits (fuzz_visit_inner): their own consultant key and seeds.
INLOOP_BUILD="$B" sh "$F/make-visit-seeds.sh" >/dev/null
du -sh "$F/seeds"/* "$F/pki"
