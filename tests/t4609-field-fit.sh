#!/bin/sh
# Every field screen fits a laptop (issue 12): at 1366x768 and 1920x1080, in Dutch and
# English, the widget trees of sign-in, a wrong passphrase, the draft list (also with a long
# name and the warning before erasure), each intake page (also a second and a third
# creditor: their questions get pages of their own, never below the bottom bar), a problem,
# Sent and the lock screen pass tests/replays/check-tree.awk: contrast 7:1, targets of 48 px,
# nothing outside the window or cut by a bar, no text running out of its box, every glyph
# there; and no screen had to shrink its text to fit (squeeze=0).
# Negative twins: the checker flags a widget pushed below the window and a squeezed tree.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/field-lib.sh"
P="$T/cs"
S="$P/device"
field_device "$P" || { echo "not ok 1 - consultants enrolled"; echo "1..1"; exit 1; }
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/no-bus"
sed -i 's/^{/{\n "draft_days": 1,/' "$S/config.json"   # every draft shows the erase warning
soon=$(date -d '+10 days' +%d-%m-%Y)
# a dump after each `expect` of the full intake, then the screens it does not pass
# (D is filled in per run)
intake_replay "$T/i.replay"
grep -v '^expect-text ' "$T/i.replay" | awk '{ print } /^expect / { n++; printf "dump @D@/%02d-%s.dump\n", n, $2 }' >"$T/fit.replay"
cat >>"$T/fit.replay" <<EOR
tap next
tap new
tap opt-crisis-eviction
tap field-crisis_date
type 31-02-2020
tap next
dump @D@/20-problem.dump
tap field-crisis_date
key BackSpace
key BackSpace
key BackSpace
key BackSpace
key BackSpace
key BackSpace
key BackSpace
key BackSpace
key BackSpace
key BackSpace
type $soon
tap next
tap field-name
type Mohammed Abdelrahman van den Berg-Oosterhuis
tap opt-household-alone
tap next
tap opt-income-benefit
tap next
tap opt-housing-social_rent
tap next
tap opt-arrears-rent
tap opt-arrears-energy
tap opt-arrears-water
tap opt-arrears-health_insurance
dump @D@/21-arrears-all.dump
tap next
tap opt-debt1_kind-tax
tap opt-debt1_letters-reminder
tap opt-debt1_more-yes
dump @D@/22-debt1-more.dump
tap next
expect field-page-7
tap opt-debt2_letters-bailiff
tap opt-debt2_more-yes
dump @D@/23-debt2.dump
tap next
expect field-page-8
tap opt-debt3_letters-summons
dump @D@/24-debt3.dump
tap next
expect field-page-9
tap drafts
dump @D@/25-drafts-long-name.dump
tap lock
dump @D@/26-locked.dump
type wrong passphrase
key Return
dump @D@/27-locked-wrong.dump
tap other
tap cons-bram
type wrong passphrase
key Return
dump @D@/28-signin-wrong.dump
EOR
for sz in 1366x768 1920x1080; do
	for l in nl en; do
		D="$T/$l-$sz"
		mkdir -p "$D"
		rm -rf "$S/drafts"
		sed "s|@D@|$D|" "$T/fit.replay" >"$T/run.replay"
		check "$l $sz: the field screens run through" env FIELD_SIZE=$sz FIELD_LANG=$l sh -c \
			". '$TOP/tests/lib.sh'; B='$B'; S='$S'; . '$TOP/tests/field-lib.sh'; field '$T/run.replay'"
		awk -f "$TOP/tests/replays/check-tree.awk" "$D"/*.dump >"$D/problems"
		n=$(ls "$D"/*.dump 2>/dev/null | wc -l)
		check "$l $sz: no fit problem on any of $n screens" sh -c "[ $n -ge 20 ] && ! grep . '$D/problems'"
		check "$l $sz: no screen squeezed its text to fit" sh -c "! grep -l '^screen .* squeeze=[1-9]' '$D'/*.dump"
	done
done
check "the second creditor's page is its own (step 7 of 10)" grep -q 'id=step .*text="Stap 7 van 10"' "$T/nl-1366x768/23-debt2.dump"
check "a typed date that does not exist (31-02) is told as such, with the form to type" \
	grep -q 'id=problem .*text="This date does not exist. Type it as day-month-year' "$T/en-1366x768/20-problem.dump"
refuse "... not with the kiosk's words for picking a date (twin)" grep -q 'id=problem .*Please choose a date' "$T/en-1366x768/20-problem.dump"
check "the long name's draft is listed" grep -q 'id=draft-0 .*Berg-Oosterhuis' "$T/nl-1366x768/25-drafts-long-name.dump"
# negative twins: the checker sees a widget pushed off the screen and a squeezed tree
sed '0,/^widget id=next /s/^\(widget id=next .* y=\)[0-9]*/\1790/' "$T/nl-1366x768/05-field-page-3.dump" >"$T/off.dump"
check "twin: a widget pushed below the window is flagged" sh -c "awk -f '$TOP/tests/replays/check-tree.awk' '$T/off.dump' | grep -q 'leaves'"
sed '1s/squeeze=0/squeeze=2/' "$T/nl-1366x768/05-field-page-3.dump" >"$T/sq.dump"
check "twin: a squeezed tree is flagged" grep -q '^screen .* squeeze=[1-9]' "$T/sq.dump"
done_testing
