#!/bin/sh
# Visits from the office on a field laptop (issue 12), the whole chain with the real
# programs: a resident registers at the kiosk; consultants anna and bram share one laptop,
# each makes a key pair there (sealed under their own data key) and a CSR, the CA enrols it
# (inloopctl consultant enroll) and the laptop installs the certificate after its checks; a
# coordinator assigns the registration to anna in the web office, which seals a visit to
# her; `inloop sync` (and the field program's own uploader) fetches it over the device's
# mutual TLS, keeps it as received and deletes it on the server. Through the real field
# program (replays, widget-tree dumps): anna's list shows her visits (crisis first), bram
# sees none, a visit sealed to bram placed in anna's spool is refused and kept aside, a
# wrong passphrase opens nothing, the sign-in and lock screens hold no canary; an intake
# started from a visit follows its reference, carries the name and erases the visit once
# sealed, and the office opens it; a visit past visit_days is erased; the CA disabling anna
# (410) removes her from the laptop, an unknown consultant (404) is left alone. Canary: the
# name is never in plaintext under the state folder, in logs or in /tmp.
# The unit tests (tests/unit/test_visitbox.c) run first.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/field-lib.sh"
. "$TOP/tests/office/lib.sh"        # its field() reads HTML; the program runs as fieldapp
VNAME="Kanarie Bezoeksma"           # this test's own canary (a visit's name)
PHONE=0687654329
touch "$T/start"
check "visitbox unit tests (keep, open, aside, erase, expire, key and certificate checks)" \
	env TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_visitbox"
fieldapp() { "$B/inloop-test" --state "$S" --mode field --lang "${FIELD_LANG:-nl}" --windowed 1366x768 --replay "$@"; }
logged() { _l=$1; shift; "$@" 2>"$_l"; }
R="$T/cs"
S="$R/device"
CS="$R/casestore"
check "fixture: records through the case store, the office, accounts" office_fixture
DEV=$(jq -r .device_id "$S/config.json")

# ---- a resident at the kiosk (the canary), into the case store ----
soon=$(TZ=Europe/Amsterdam date -d '+1 day' +%F)
printf '{"crisis":["eviction"],"crisis_date":"%s","name":"%s","contact":"phone","phone":"%s","postcode":"1234AB","house_number":"7","privacy_read":true}\n' \
	"$soon" "$VNAME" "$PHONE" >"$T/canary.json"
"$B/inloop" --state "$S" submit "$T/canary.json" >"$T/canary.out"
rm -f "$T/canary.json"
CID=$(sed -n 's/^record: //p' "$T/canary.out")
CREF=$(sed -n 's/^reference: //p' "$T/canary.out")
server_start "$R" >/dev/null && "$B/inloop" --state "$S" sync --url "$URL" >/dev/null
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"$URL\"|" "$S/config.json"

# ---- consultants on the laptop: key pair, CSR, the CA's certificate ----
for c in anna:"$ANNA_PASS" bram:"$BRAM_PASS"; do
	printf '%s\n' "${c#*:}" | "$B/inloop" --state "$S" consultant add "${c%%:*}" >"$T/add.${c%%:*}"
done
check "add prints the CSR's path" grep -qx "csr: $S/consultants/anna.csr" "$T/add.anna"
check "the key is sealed (0600), the CSR is anna's" sh -c "[ \$(stat -c %a '$S/consultants/anna.key.sealed') = 600 ] && openssl req -in '$S/consultants/anna.csr' -noout -verify -subject 2>&1 | grep -q 'CN *= *anna'"
refuse "no private key in the clear under the state folder (but the device's own)" sh -c "grep -rl 'PRIVATE KEY' '$S' | grep -v 'device.key$'"
refuse "the sealed key is no DER key" sh -c "openssl pkey -inform DER -in '$S/consultants/anna.key.sealed' -noout 2>/dev/null"
for c in anna bram; do
	"$B/inloopctl" --dir "$R" consultant enroll "$S/consultants/$c.csr" --device "$DEV" --out "$T/$c.pem" >/dev/null
done
check "the CA enrolled both (certificates for the office, registry entries)" sh -c "test -s '$R/office/consultants/anna.pem' && grep -q active '$CS/consultants/bram.json'"
refuse "bram's certificate is refused for anna" "$B/inloop" --state "$S" consultant cert anna "$T/bram.pem"
refuse "a device certificate is refused as anna's" "$B/inloop" --state "$S" consultant cert anna "$S/device.pem"
check "anna's certificate installs" "$B/inloop" --state "$S" consultant cert anna "$T/anna.pem"
check "bram's certificate installs" "$B/inloop" --state "$S" consultant cert bram "$T/bram.pem"
printf '%s\n' "$ANNA_PASS" | "$B/inloop" --state "$S" consultant request anna >"$T/req.out" 2>&1
check "request refuses a consultant whose certificate has 2 years left (renewal opens 30 days before)" grep -q "valid until" "$T/req.out"

# ---- the office assigns: the canary (crisis) and a plain record to anna, the fixture's
# crisis record to bram; bram's visit is then put in anna's spool ----
for u in anna bram; do
	echo "$PW" | "$B/inloop-office" --dir "$R" user add "$u" --role team --password-stdin >/dev/null
done
office_start || { echo "not ok - office starts"; done_testing; exit 1; }
check "coordinator signs in" test "$(signin coord)" = 303
assign() { # RECORD USER: prints the HTTP code
	oc coord -o "$T/rec.html" "$OURL/r/$1"
	oc coord -o /dev/null -w '%{http_code}' -d action=assign -d "to=$2" --data-urlencode "csrf=$(field csrf "$T/rec.html")" "$OURL/r/$1"
}
PLAIN=$(sqlite3 "$R/office/office.sqlite" "SELECT id FROM records WHERE id NOT IN ('$CID', '$CRISIS_ID') LIMIT 1")
check "assign the canary's record to anna" test "$(assign "$CID" anna)" = 303
check "assign a plain record to anna" test "$(assign "$PLAIN" anna)" = 303
check "assign the fixture's crisis record to bram" test "$(assign "$CRISIS_ID" bram)" = 303
office_stop
VB1=$(ls "$CS/visits/bram" | sed 's/\.cms$//')
mv "$CS/visits/bram/$VB1.cms" "$CS/visits/anna/"
cp "$CS"/visits/anna/*.cms "$T/" 2>/dev/null
"$B/inloop" --state "$S" sync >"$T/sync.out" 2>"$T/sync.err"
check "sync fetches the three visits in anna's spool" grep -q "visits: 3 received" "$T/sync.out"
check "kept as received, 0600 in a 0700 folder" sh -c "for f in '$S'/visits/anna/*.cms; do cmp -s \"\$f\" '$T/'\$(basename \"\$f\") || exit 1; done && [ \$(stat -c %a '$S/visits/anna/$VB1.cms') = 600 ] && [ \$(stat -c %a '$S/visits/anna') = 700 ]"
check "deleted on the server once kept" sh -c "! ls '$CS/visits/anna/'*.cms 2>/dev/null | grep -q ."
refuse "bram got nothing" test -d "$S/visits/bram"

# ---- the field program ----
signin_r() { printf 'expect field-signin\ndump %s\ntap cons-%s\ntype %s\nkey Return\n' "$T/signin.dump" "$1" "$2"; }
{ signin_r anna "$ANNA_PASS"; echo "expect field-drafts"; echo "dump $T/anna.dump"; echo "tap lock"; echo "expect field-locked"; echo "dump $T/locked.dump"; } >"$T/a.replay"
check "anna signs in and locks" logged "$T/a.log" fieldapp "$T/a.replay"
check "anna's list: the canary's visit first (crisis), reference and name" grep -q "id=visit-0 .*$CREF.*$VNAME" "$T/anna.dump"
check "... naming the crisis in the form's words, with its date" grep -q "id=visit-0 .*CRISIS: Ontruiming [0-9][0-9]-[0-9][0-9]-20" "$T/anna.dump"
check "... then the plain one" grep -q "id=visit-1 " "$T/anna.dump"
refuse "... which names no crisis (twin)" grep -q "id=visit-1 .*CRISIS" "$T/anna.dump"
check "two visits only" sh -c "! grep -q 'id=visit-2 ' '$T/anna.dump'"
check "the visit sealed to bram is refused: the list says so" grep -q "id=visits-aside " "$T/anna.dump"
check "... and it is kept aside, not dropped" test -f "$S/visits/anna/aside/$VB1.cms"
check "... the log says why, by id" grep -q "visit $VB1 of anna does not open" "$T/a.log"
refuse "the sign-in screen holds no canary" grep -q "$VNAME\|$CREF" "$T/signin.dump"
refuse "the lock screen holds no canary" grep -q "$VNAME\|$CREF\|id=visit" "$T/locked.dump"
{ signin_r bram "$BRAM_PASS"; echo "expect field-drafts"; echo "dump $T/bram.dump"; } >"$T/b.replay"
check "bram signs in" fieldapp "$T/b.replay"
refuse "bram sees no visit of anna's" grep -q "id=visit-\|$VNAME\|$CREF" "$T/bram.dump"
{ signin_r anna "wrong passphrase"; echo "expect field-signin"; echo "dump $T/wrong.dump"; } >"$T/w.replay"
check "a wrong passphrase stays at sign-in" fieldapp "$T/w.replay"
refuse "... and opens nothing" grep -q "id=visit-\|$VNAME" "$T/wrong.dump"

# An intake from visit-0, with the program's own uploader running (sync-start): its first
# pass also fetches a visit the office put in bram's spool meanwhile; the name comes from
# the visit (the replay does not type it); wait-sync: the intake reached the case store.
VB2=b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2
mkdir -p "$CS/visits/bram" && cp "$T/$VB1.cms" "$CS/visits/bram/$VB2.cms"
intake_replay "$T/intake.replay"
sed -i "s|^tap new\$|tap visit-0|; /^type $CANARY_NAME\$/d; s|^expect field-page-2\$|expect field-page-2\ndump $T/page2.dump|" "$T/intake.replay"
{ echo sync-start; cat "$T/intake.replay"; echo "wait-sync 20000"; } >"$T/run.replay"
check "an intake from the visit goes through the field program and its uploader" logged "$T/intake.log" fieldapp "$T/run.replay"
check "its name field holds the visit's name" grep -q "id=field-name .*$VNAME" "$T/page2.dump"
check "the visit is erased once the intake is sealed" sh -c "[ \$(ls '$S'/visits/anna/*.cms | wc -l) = 1 ]"
check "the program's uploader fetched bram's visit and deleted it on the server" sh -c "test -f '$S/visits/bram/$VB2.cms' && ! test -f '$CS/visits/bram/$VB2.cms'"
check "the case store holds the intake" test "$(store_rows "$R")" = 7
"$B/inloopctl" --dir "$R" list >"$T/list" 2>&1
for r in $(grep -o '[A-Z0-9]\{4\}-[A-Z0-9]\{4\}' "$T/list" | sort -u); do
	"$B/inloopctl" --dir "$R" show "$r" 2>/dev/null | grep -q '"form": "intake"' && "$B/inloopctl" --dir "$R" show "$r" >"$T/show" 2>&1
done
check "the office opens the intake: it follows the visit's registration" grep -q "\"follows\": \"$CREF\"" "$T/show"
check "... with anna's id and the name from the visit" sh -c "grep -q '\"consultant_id\": \"anna\"' '$T/show' && grep -q '$VNAME' '$T/show'"

# ---- visit_days: a visit kept 15 days ago is erased at the next unlock ----
left=$(ls "$S"/visits/anna/*.cms)
touch -d '15 days ago' "$left"
{ signin_r anna "$ANNA_PASS"; echo "expect field-drafts"; echo "dump $T/expired.dump"; } >"$T/e.replay"
check "anna signs in" fieldapp "$T/e.replay"
check "the expired visit is erased" test ! -e "$left"
refuse "... and not listed" grep -q "id=visit-0 " "$T/expired.dump"

# ---- canary ----
refuse "no visit name in plaintext under the state folder" grep -rqa "$VNAME" "$S"
refuse "no visit phone number in plaintext under the state folder" grep -rqa "$PHONE" "$S"
refuse "no canary in the programs' or the case store's logs" grep -qa "$VNAME" "$T"/*.log "$T/sync.err" "$T"/server.*.log
find /tmp -xdev -newer "$T/start" -type f -size -20M ! -path "$T/show" ! -path "$T/list" ! -path "$T/*.dump" ! -path "$T/*.replay" \
	! -path "$T/check*" ! -path "$T/.out" 2>/dev/null >"$T/newfiles"
refuse "no canary in any file written in /tmp meanwhile (but the test's own dumps)" sh -c "xargs -r -d '\n' grep -lsa '$VNAME' <'$T/newfiles' | grep ."

# ---- the CA disables anna: 410 at the next sync removes her from the laptop ----
"$B/inloopctl" --dir "$R" consultant disable anna >/dev/null
"$B/inloop" --state "$S" sync >"$T/sync3.out" 2>"$T/sync3.err"
check "410: the sync says a consultant was removed" grep -q "1 consultant(s) removed" "$T/sync3.out"
check "anna is gone: key, certificate, drafts and visits" sh -c "! ls '$S'/consultants/anna.* 2>/dev/null && [ ! -d '$S/visits/anna' ] && [ ! -d '$S/drafts/anna' ]"
printf 'expect field-signin\ndump %s\n' "$T/after410.dump" >"$T/s.replay"
fieldapp "$T/s.replay" 2>/dev/null
check "the sign-in screen offers bram, not anna" sh -c "grep -q 'id=cons-bram ' '$T/after410.dump' && ! grep -q 'id=cons-anna ' '$T/after410.dump'"
mv "$CS/consultants/bram.json" "$T/bram.json"
"$B/inloop" --state "$S" sync >"$T/sync4.out" 2>"$T/sync4.err"
check "404 (not registered here): bram is left alone, one line in the log" sh -c "'$B/inloop' --state '$S' consultant list | grep -qx bram && [ \$(grep -c 'visits for bram' '$T/sync4.err') = 1 ]"
refuse "... the line names no resident" grep -qa "$VNAME" "$T/sync4.err"
done_testing
