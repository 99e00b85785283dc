#!/bin/sh
# A full field intake end to end (issue 12): the real program in field mode at 1366x768,
# driven by keyboard and mouse through a replay, seals the intake, its own uploader sends it
# to the real case store on loopback, and the office opens it (re-checked against the
# intake form) with the consultant's id and the kiosk registration it follows. The draft is
# gone once the record is in the outbox. Canary: the name and the amount typed never
# appear in plaintext under the state folder, in the logs or in /tmp.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/field-lib.sh"
P="$T/cs"
S="$P/device"
touch "$T/start"
field_device "$P" || { echo "not ok 1 - consultants enrolled"; echo "1..1"; exit 1; }
server_start "$P" || { echo "not ok 1 - case store starts"; echo "1..1"; exit 1; }
sed -i "s|\"url\": *\"[^\"]*\"|\"url\": \"$URL\"|" "$S/config.json"
intake_replay "$T/intake.replay"
# the draft list's reference field: this intake follows kiosk registration K7QF-2M9D
sed -i 's/^tap new$/tap follows\ntype K7QF-2M9D\ntap new/' "$T/intake.replay"
{ echo sync-start; cat "$T/intake.replay"; echo "dump $T/sent.dump"; echo "wait-sync 20000"; } >"$T/run.replay"
run_field() { field "$1" 2>"$T/field.log"; }
check "the intake goes through the field program and its uploader" run_field "$T/run.replay"
ref=$(sed -n 's/.*id=sent-ref .*text="[^"]* \([A-Z0-9]\{4\}-[A-Z0-9]\{4\}\)\..*/\1/p' "$T/sent.dump")
check "the sent screen names the reference" test -n "$ref"
check "the outbox is empty" test "$(outbox_rows "$S")" = 0
check "the case store holds the record" test "$(store_rows "$P")" = 1
check "no draft is left" sh -c "! ls '$S'/drafts/anna/*.draft 2>/dev/null | grep -q ."
"$B/inloopctl" --dir "$P" show "$ref" >"$T/show" 2>"$T/show.err"
check "the office opens it" test -s "$T/show"
check "with the consultant's id" grep -q '"consultant_id": "anna"' "$T/show"
check "and the registration it follows" grep -q '"follows": "K7QF-2M9D"' "$T/show"
check "made in field mode with the intake form" sh -c "grep -q '\"mode\": \"field\"' '$T/show' && grep -q '\"form\": \"intake\"' '$T/show'"
check "its answers: the amount as typed" grep -q "\"arrears_rent\": \"$CANARY_AMOUNT\"" "$T/show"
refuse "the office's re-check did not refuse it" grep -qi "not trusted\|NOT OPENED" "$T/show" "$T/show.err"
"$B/inloopctl" --dir "$P" list >"$T/list" 2>&1
check "the worklist lists it as a crisis (eviction within days)" grep -q "ACUUT\|$ref" "$T/list"
# the canary
refuse "no name in plaintext under the state folder" grep -rqa "$CANARY_NAME" "$S"
refuse "no amount in plaintext under the state folder" grep -rqa "$CANARY_AMOUNT" "$S"
refuse "no canary in the program's log or the case store's" grep -qa "$CANARY_NAME\|$CANARY_AMOUNT" "$T/field.log" "$T"/server.*.log
find /tmp -xdev -newer "$T/start" -type f -size -20M ! -path "$T/show" ! -path "$T/list" ! -path "$T/*.replay" \
	! -path "$T/.out" 2>/dev/null >"$T/newfiles"
refuse "no canary in any file written in /tmp meanwhile" sh -c "xargs -r -d '\n' grep -lsa '$CANARY_NAME' <'$T/newfiles' | grep ."
done_testing
