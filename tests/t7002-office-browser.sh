#!/bin/sh
# The office in a real browser: headless Chromium (Debian's) driven by puppeteer-core signs
# in with password + TOTP, finds the crisis record by its receipt reference, assigns it,
# logs a failed and a successful contact, records the first conversation and sees the stats
# change; axe-core on every page; planted <script>/<img onerror> shown as text; ICT and team
# refused what their roles may not see. Screenshots in build/shots/office-*.png.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
office_fixture >"$T/fixture.out" 2>&1 || { echo "not ok 1 - fixture"; sed 's/^/# /' "$T/fixture.out"; echo 1..1; exit 1; }
# a consultant on the demo device, for the ICT's consultants page
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/anna.key" -subj /CN=anna \
	-out "$T/anna.csr" 2>/dev/null
"$B/inloopctl" --dir "$T/cs" consultant enroll "$T/anna.csr" --device kiosk-demo-1 --out "$T/anna.pem" >/dev/null ||
	{ echo "not ok 1 - consultant enrolled"; echo 1..1; exit 1; }
office_start >/dev/null || { echo "not ok 1 - office start"; echo 1..1; exit 1; }
export PW REF="$CRISIS_REF" XSS="$XSS_NAME" SHOTS="$B/shots"
for u in coord team ict; do export "SECRET_$u=$(sed -n 's/^totp-secret: //p' "$T/user.$u")"; done
node "$TOP/tests/office/browser.mjs" "$OURL"
