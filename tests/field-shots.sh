#!/bin/sh
# tests/field-shots.sh BUILD OUT WORK (called by tests/shots.sh): a PNG of every field-mode
# screen at 1366x768 in Dutch and English under OUT/field-LANG/: sign-in, drafts, the eight
# intake screens (the full intake of tests/replays/field/intake.replay, a shot after each
# `expect`), Sent, the draft list with a draft, a problem on a page, and the lock screen.
set -eu
B=$1 OUT=$2 W=$3
TOP=$(cd "$(dirname "$0")/.." && pwd)
T=$W
mkdir -p "$W"
# 1366x768, then (the same script again) 1920x1080: OUT/field-LANG-WxH/. Also the focus ring
# on a page, a wrong passphrase on the lock screen and on the sign-in, a second creditor's
# page and drafts about to be erased (one with a long name). No logind: one log line.
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$W/no-bus" FIELD_SIZE="${FIELD_SIZE:-1366x768}"
pki() { "$B/inloopctl" init-demo "$1" >/dev/null; }
. "$TOP/tests/field-lib.sh"
for l in nl en; do
	rm -rf "$W/pki"
	field_device "$W/pki"
	S="$W/pki/device"
	o="$OUT/field-$l-$FIELD_SIZE"
	mkdir -p "$o"
	intake_replay "$W/i.replay"
	n=0
	while IFS= read -r line; do
		case $line in expect-text\ *) continue;; esac   # Dutch words: the test's, not the shots'
		echo "$line"
		case $line in expect\ *) n=$((n + 1)); printf 'shot %s/%02d-%s.png\n' "$o" "$n" "${line#expect }";; esac
	done <"$W/i.replay" >"$W/shots.replay"
	cat >>"$W/shots.replay" <<EOR
tap next
tap new
tap opt-crisis-eviction
tap field-crisis_date
type 31-02-2020
tap next
shot $o/20-field-page-problem.png
tap field-crisis_date
key Tab
key Tab
shot $o/25-field-page-focus.png
tap drafts
shot $o/21-field-drafts-one.png
tap lock
shot $o/22-field-locked.png
type wrong passphrase
key Return
shot $o/26-field-locked-wrong.png
tap other
tap cons-bram
type wrong passphrase
key Return
shot $o/27-field-signin-wrong.png
EOR
	FIELD_LANG=$l field "$W/shots.replay" 2>"$W/field.log" ||
		{ echo "field-shots: the $l $FIELD_SIZE replay failed:" >&2; cat "$W/field.log" >&2; exit 1; }
	# a second creditor (a page of its own) and drafts about to be erased, one with a long name
	sed -i 's/^{/{\n "draft_days": 1,/' "$S/config.json"
	cat >"$W/more.replay" <<EOR
tap cons-anna
type $ANNA_PASS
key Return
tap new
tap opt-crisis-none
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
tap next
tap opt-debt1_kind-tax
tap opt-debt1_more-yes
shot $o/28-field-debt1-more.png
tap next
shot $o/29-field-debt2.png
tap drafts
shot $o/30-field-drafts-erase-warning.png
EOR
	FIELD_LANG=$l field "$W/more.replay" 2>"$W/field.log" ||
		{ echo "field-shots: the $l $FIELD_SIZE replay failed:" >&2; cat "$W/field.log" >&2; exit 1; }
done
[ "$FIELD_SIZE" = 1920x1080 ] || FIELD_SIZE=1920x1080 exec sh "$0" "$B" "$OUT" "$W"
