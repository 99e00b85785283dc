#!/bin/sh
# Field mode's lock and sign-in (issue 12), through the real program: the idle lock comes
# on time (lock_seconds) and the lock screen's widget tree holds no canary; unlocking
# brings the draft back with every answer; a wrong passphrase opens nothing; a second
# consultant sees none of the first's drafts; a tampered draft is refused with a message
# and kept aside; focus lost (suspend, lid) locks at once.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/field-lib.sh"
P="$T/cs"
S="$P/device"
field_device "$P" || { echo "not ok 1 - consultants enrolled"; echo "1..1"; exit 1; }
sed -i 's/^{/{\n "lock_seconds": 30,/' "$S/config.json"
cat >"$T/a.replay" <<EOR
tap cons-anna
type $ANNA_PASS
tap next
expect field-drafts
tap new
tap opt-crisis-none
tap next
expect field-page-2
tap field-name
type $CANARY_NAME
wait 25000
expect field-page-2
wait 7000
expect field-locked
dump $T/locked.dump
expect-no-text $CANARY_NAME
type wrong passphrase
key Return
expect field-locked
dump $T/wrong.dump
type $ANNA_PASS
key Return
expect field-page-2
expect-text $CANARY_NAME
EOR
check "idle lock after lock_seconds, not before; unlock brings the answers back" field "$T/a.replay"
refuse "the lock screen's tree holds no canary" grep -q "$CANARY_NAME" "$T/locked.dump"
check "the lock screen has the passphrase field" grep -q "id=pass role=field" "$T/locked.dump"
check "a wrong passphrase: the message, still locked" grep -q "id=message " "$T/wrong.dump"
refuse "a wrong passphrase shows no answer" grep -q "$CANARY_NAME" "$T/wrong.dump"
cat >"$T/b.replay" <<EOR
tap cons-bram
type $BRAM_PASS
key Return
expect field-drafts
dump $T/bram.dump
EOR
check "bram signs in" field "$T/b.replay"
check "bram's list: no drafts" grep -q "id=none " "$T/bram.dump"
refuse "bram's list holds nothing of anna's" grep -q "$CANARY_NAME\|draft-0" "$T/bram.dump"
cat >"$T/c.replay" <<EOR
tap cons-anna
type $ANNA_PASS
key Return
expect field-drafts
dump $T/anna.dump
EOR
field "$T/c.replay" 2>/dev/null
check "anna's list shows her draft with the name" grep -q "id=draft-0 .*$CANARY_NAME" "$T/anna.dump"
f=$(ls "$S"/drafts/anna/*.draft | head -1)
printf '\001' | dd of="$f" bs=1 seek=70 conv=notrunc 2>/dev/null
field "$T/c.replay" 2>"$T/tamper.log"
check "a tampered draft: the list says it was kept aside" grep -q "id=aside " "$T/anna.dump"
refuse "a tampered draft is not listed" grep -q "id=draft-0" "$T/anna.dump"
check "it is kept aside, not dropped" sh -c "ls '$S'/drafts/anna/aside/*.draft"
check "the log says why (ids only)" grep -q "does not open" "$T/tamper.log"
refuse "the log holds no canary" grep -q "$CANARY_NAME" "$T/tamper.log"
done_testing
