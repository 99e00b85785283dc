#!/bin/sh
# Visits from the office on a field laptop (issue 12), end to end: consultants anna and
# bram share one laptop; each makes a key pair (sealed under their data key) and a CSR, the
# CA's certificate is installed after its checks; visits sealed to anna wait in the case
# store's spool, `inloop sync` fetches them over the device's mutual TLS, keeps them as
# received and deletes them on the server. Through the real program (replays, widget-tree
# dumps): anna's list shows her visits (crisis first), bram sees none, a visit sealed to
# bram placed in anna's folder is refused and kept aside, a wrong passphrase opens nothing,
# the sign-in and lock screens hold no canary; an intake started from a visit follows its
# reference, carries the name, and erases the visit once sealed; a visit past visit_days
# is erased; the office disabling anna (410) removes her from the laptop. Canary: the
# name is never in plaintext under the state folder, in logs or in /tmp.
# The unit tests (tests/unit/test_visitbox.c) run first.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/field-lib.sh"
VNAME="Kanarie Bezoeksma"   # the visit's name: this test's own canary
touch "$T/start"
check "visitbox unit tests (keep, open, aside, erase, expire, key and certificate checks)" \
	env TEST_SCRATCH="$T" CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/test_visitbox"
P="$T/cs"
S="$P/device"
CS="$P/casestore"
VB="$B/tests/test_visitbox"
field_device "$P" >"$T/add.out" || { echo "not ok - consultants enrolled"; echo "1..2"; exit 1; }
DEV=$(jq -r .device_id "$S/config.json")

# ---- keys, requests and certificates ----
check "add made anna's key, sealed (0600), and her CSR" sh -c "[ \$(stat -c %a '$S/consultants/anna.key.sealed') = 600 ] && openssl req -in '$S/consultants/anna.csr' -noout -verify -subject 2>&1 | grep -q 'CN *= *anna'"
refuse "no private key in the clear under the state folder (but the device's own)" sh -c "grep -rl 'PRIVATE KEY' '$S' | grep -v 'device.key$'"
refuse "the sealed key is not DER or PEM of a key" sh -c "openssl pkey -inform DER -in '$S/consultants/anna.key.sealed' -noout 2>/dev/null"
for c in anna bram; do "$VB" --issue "$P" "$S/consultants/$c.csr" "$T/$c.pem"; done
refuse "bram's certificate is refused for anna" "$B/inloop" --state "$S" consultant cert anna "$T/bram.pem"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/x.key" -subj /CN=anna -out "$T/x.csr" 2>/dev/null
"$VB" --issue "$P" "$T/x.csr" "$T/x.pem"
refuse "a CA certificate for another key named anna is refused" "$B/inloop" --state "$S" consultant cert anna "$T/x.pem"
check "anna's certificate installs" "$B/inloop" --state "$S" consultant cert anna "$T/anna.pem"
check "bram's certificate installs" "$B/inloop" --state "$S" consultant cert bram "$T/bram.pem"
printf '%s\n' "$ANNA_PASS" | "$B/inloop" --state "$S" consultant request anna >"$T/req.out" 2>&1
check "request refuses a consultant with a certificate" grep -q "has a certificate already" "$T/req.out"

# ---- visits in the case store's spool (sealed as the office does) ----
registry() { mkdir -p "$CS/consultants"
	printf '{"id":"%s","device":"%s","state":"%s","changed":"2026-12-01T10:00:00Z"}\n' "$1" "$DEV" "$2" >"$CS/consultants/$1.json"; }
visit() { # CONSULTANT_IN_JSON CERT_OWNER ID REF CRISIS DEADLINE [FOLDER]
	crisis='["none"]' cd=''
	[ "$5" = 1 ] && crisis='["eviction"]' cd=',"crisis_date":"2026-12-09"'
	printf '{"schema":"inloop.visit","version":1,"visit_id":"%s","consultant":"%s","record_id":"5f0c6d2e-1111-4222-8333-444455556666","reference":"%s","location":"Bibliotheek Centrum","name":"%s","contact":"phone","phone":"0612345678","postcode":"1234AB","crisis":%s%s,"deadline":"%s","acuut":%s,"assigned_at":"2026-12-01T10:00:00Z"}' \
		"$3" "$1" "$4" "$VNAME" "$crisis" "$cd" "$6" "$([ "$5" = 1 ] && echo true || echo false)" >"$T/v.json"
	mkdir -p "$CS/visits/${7:-$1}"
	"$VB" --seal "$P" "$S/consultants/$2.pem" "$T/v.json" "$CS/visits/${7:-$1}/$3.cms"
	rm -f "$T/v.json"
}
V1=a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1 V2=a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2 VB1=b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1
registry anna active
registry bram active
visit anna anna "$V1" K7QF-2M9D 0 2026-12-28
visit anna anna "$V2" R4ND-0M22 1 2026-12-04
visit bram bram "$VB1" BR4M-BR4M 0 2026-12-20 anna     # sealed to bram, in anna's spool
cp "$CS/visits/anna/$V1.cms" "$T/v1.spool"
server_start "$P" || { echo "not ok - case store starts"; done_testing; exit 1; }
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"$URL\"|" "$S/config.json"
"$B/inloop" --state "$S" sync >"$T/sync.out" 2>"$T/sync.err"
check "sync fetches the three visits in anna's spool" grep -q "visits: 3 received" "$T/sync.out"
check "kept as received, 0600 in a 0700 folder" sh -c "cmp -s '$T/v1.spool' '$S/visits/anna/$V1.cms' && [ \$(stat -c %a '$S/visits/anna/$V1.cms') = 600 ] && [ \$(stat -c %a '$S/visits/anna') = 700 ]"
check "deleted on the server once kept" sh -c "! ls '$CS/visits/anna/'*.cms 2>/dev/null | grep -q ."
refuse "bram got nothing" test -d "$S/visits/bram"

# ---- the field program ----
signin() { printf 'expect field-signin\ndump %s\ntap cons-%s\ntype %s\nkey Return\n' "$T/signin.dump" "$1" "$2"; }
{ signin anna "$ANNA_PASS"; echo "expect field-drafts"; echo "dump $T/anna.dump"; echo "tap lock"; echo "expect field-locked"; echo "dump $T/locked.dump"; } >"$T/a.replay"
run_logged() { field "$1" 2>"$2"; }
check "anna signs in and locks" run_logged "$T/a.replay" "$T/a.log"
check "anna's list: her visit with the name" grep -q "id=visit-1 .*K7QF-2M9D.*$VNAME" "$T/anna.dump"
check "the crisis visit first" grep -q "id=visit-0 .*R4ND-0M22" "$T/anna.dump"
check "two visits only" sh -c "! grep -q 'id=visit-2 ' '$T/anna.dump'"
check "the visit sealed to bram is refused: the list says so" grep -q "id=visits-aside " "$T/anna.dump"
check "... and it is kept aside, not dropped" test -f "$S/visits/anna/aside/$VB1.cms"
check "... the log says why, by id" grep -q "visit $VB1 of anna does not open" "$T/a.log"
refuse "the sign-in screen holds no canary" grep -q "$VNAME\|K7QF" "$T/signin.dump"
refuse "the lock screen holds no canary" grep -q "$VNAME\|K7QF\|R4ND" "$T/locked.dump"
{ signin bram "$BRAM_PASS"; echo "expect field-drafts"; echo "dump $T/bram.dump"; } >"$T/b.replay"
check "bram signs in" field "$T/b.replay"
refuse "bram sees no visit of anna's" grep -q "id=visit-\|$VNAME\|K7QF" "$T/bram.dump"
{ signin anna "wrong passphrase"; echo "expect field-signin"; echo "dump $T/wrong.dump"; } >"$T/w.replay"
check "a wrong passphrase stays at sign-in" field "$T/w.replay"
refuse "... and opens nothing" grep -q "id=visit-\|$VNAME" "$T/wrong.dump"

# an intake from visit-1 (K7QF-2M9D): the name is filled in, the rest typed as t4604
# ... with the program's own uploader running (sync-start): its first pass fetches a visit
# waiting for bram, and it sends the intake (wait-sync)
visit bram bram "$VB1" BR4M-BR4M 0 2026-12-20
intake_replay "$T/intake.replay"
{ echo sync-start; cat "$T/intake.replay"; echo "wait-sync 20000"; } >"$T/intake2.replay"
mv "$T/intake2.replay" "$T/intake.replay"
sed -i "s|^tap new\$|dump $T/list.dump\ntap visit-1|; /^type $CANARY_NAME\$/d; s|^expect field-page-2\$|expect field-page-2\ndump $T/page2.dump|" "$T/intake.replay"
check "an intake from the visit goes through the field program" run_logged "$T/intake.replay" "$T/intake.log"
check "its name field holds the visit's name" grep -q "id=field-name .*$VNAME" "$T/page2.dump"
check "the visit is erased once the intake is sealed" sh -c "! ls '$S'/visits/anna/$V1.cms 2>/dev/null"
check "the other visit stays" test -f "$S/visits/anna/$V2.cms"
check "the program's uploader fetched bram's visit and deleted it on the server" sh -c "test -f '$S/visits/bram/$VB1.cms' && ! test -f '$CS/visits/bram/$VB1.cms'"
"$B/inloop" --state "$S" sync >"$T/sync2.out" 2>&1
ref=$(sqlite3 -readonly "$(store_db "$P")" 'SELECT id FROM records' | head -1)
"$B/inloopctl" --dir "$P" list >"$T/list" 2>&1
r=$(grep -o '[A-Z0-9]\{4\}-[A-Z0-9]\{4\}' "$T/list" | head -1)
"$B/inloopctl" --dir "$P" show "$r" >"$T/show" 2>&1
check "the office opens the intake: it follows the visit's reference" grep -q '"follows": "K7QF-2M9D"' "$T/show"
check "... with anna's id and the name from the visit" sh -c "grep -q '\"consultant_id\": \"anna\"' '$T/show' && grep -q '$VNAME' '$T/show'"

# ---- visit_days: a visit kept 15 days ago is erased at the next sync or unlock ----
touch -d '15 days ago' "$S/visits/anna/$V2.cms"
{ signin anna "$ANNA_PASS"; echo "expect field-drafts"; echo "dump $T/expired.dump"; } >"$T/e.replay"
check "anna signs in" field "$T/e.replay"
check "the expired visit is erased" sh -c "! ls '$S'/visits/anna/$V2.cms 2>/dev/null"
refuse "... and not listed" grep -q "id=visit-0 " "$T/expired.dump"

# ---- canary ----
refuse "no visit name in plaintext under the state folder" grep -rqa "$VNAME" "$S"
refuse "no visit phone number in plaintext under the state folder" grep -rqa 0612345678 "$S"
refuse "no canary in the program's, the sync's or the case store's logs" grep -qa "$VNAME" "$T"/*.log "$T/sync.err" "$T"/server.*.log
find /tmp -xdev -newer "$T/start" -type f -size -20M ! -path "$T/show" ! -path "$T/list" ! -path "$T/*.dump" ! -path "$T/*.replay" ! -path "$T/check*" \
	! -path "$T/.out" 2>/dev/null >"$T/newfiles"
refuse "no canary in any file written in /tmp meanwhile (but the test's own dumps)" sh -c "xargs -r -d '\n' grep -lsa '$VNAME' <'$T/newfiles' | grep ."

# ---- the office disables anna: 410 at the next sync removes her from the laptop ----
visit anna anna "$V1" K7QF-2M9D 0 2026-12-28
registry anna disabled
"$B/inloop" --state "$S" sync >"$T/sync3.out" 2>"$T/sync3.err"
check "410: the sync says a consultant was removed" grep -q "1 consultant(s) removed" "$T/sync3.out"
check "anna is gone: key, certificate, drafts and visits" sh -c "! ls '$S'/consultants/anna.* 2>/dev/null && [ ! -d '$S/visits/anna' ] && [ ! -d '$S/drafts/anna' ]"
check "bram stays" sh -c "'$B/inloop' --state '$S' consultant list | grep -qx bram"
printf 'expect field-signin\ndump %s\n' "$T/after410.dump" >"$T/s.replay"
field "$T/s.replay" 2>/dev/null
check "the sign-in screen offers bram, not anna" sh -c "grep -q 'id=cons-bram ' '$T/after410.dump' && ! grep -q 'id=cons-anna ' '$T/after410.dump'"
registry bram active
rm -f "$CS/consultants/bram.json"
"$B/inloop" --state "$S" sync >"$T/sync4.out" 2>"$T/sync4.err"
check "404 (not registered here): bram is left alone, one line in the log" sh -c "'$B/inloop' --state '$S' consultant list | grep -qx bram && [ \$(grep -c 'visits for bram' '$T/sync4.err') = 1 ]"
done_testing
