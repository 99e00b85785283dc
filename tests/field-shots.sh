#!/bin/sh
# tests/field-shots.sh BUILD OUT WORK (called by tests/shots.sh): a PNG of every field-mode
# screen at 1366x768 in Dutch and English under OUT/field-LANG/: sign-in, drafts, the eight
# intake screens (the full intake of tests/replays/field/intake.replay, a shot after each
# `expect`), Sent, the draft list with a draft, a problem on a page, and the lock screen;
# then visits from the office (anna enrolled by inloopctl consultant enroll, the visits sealed
# by build/tests/test_visitbox with the office's visit signer): the list
# above the drafts (a crisis, one erased tomorrow, fourteen in all: the list pages), an
# intake started from a visit, and the list paged down by the keyboard.
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
# visit_shots ROOT OUT LANG: a laptop of its own in ROOT, anna's certificate, three visits
# in her folder, two shots.
visit_shots() {
	rm -rf "$1"
	field_device "$1"
	S="$1/device"
	"$B/inloopctl" --dir "$1" consultant enroll "$S/consultants/anna.csr" --device "$(jq -r .device_id "$S/config.json")" \
		--out "$W/anna.pem" >/dev/null
	"$B/inloop" --state "$S" consultant cert anna "$W/anna.pem" >/dev/null
	mkdir -p -m 700 "$S/visits" "$S/visits/anna"
	n=0
	for v in "K7QF-2M9D|Fatima el Amrani|false|[\"none\"]||$(date -d '+20 days' +%F)" \
		 "R4ND-0M22|Jan de Vries|true|[\"eviction\"]|\"crisis_date\":\"$(date -d '+6 days' +%F)\",|$(date -d '+3 days' +%F)" \
		 "PL8H-QX3T|Oksana Kovalenko|false|[\"none\"]||$(date -d '+26 days' +%F)"; do
		n=$((n + 1))
		IFS='|' read -r ref name acuut crisis cdate due <<EOV
$v
EOV
		id=$(printf 'c%031d' "$n")
		printf '{"schema":"inloop.visit","version":1,"visit_id":"%s","consultant":"anna","record_id":"5f0c6d2e-1111-4222-8333-44445555666%d","reference":"%s","location":"Bibliotheek Centrum","name":"%s","contact":"phone","phone":"061234567%d","crisis":%s,%s"deadline":"%s","acuut":%s,"assigned_at":"2026-12-01T10:00:00Z"}' \
			"$id" "$n" "$ref" "$name" "$n" "$crisis" "$cdate" "$due" "$acuut" >"$W/v.json"
		"$B/tests/test_visitbox" --seal "$1" "$S/consultants/anna.pem" "$W/v.json" "$S/visits/anna/$id.cms"
		chmod 600 "$S/visits/anna/$id.cms"
	done
	for n in 4 5 6 7 8 9 10 11 12 13 14; do   # a day's worth more: the list pages
		id=$(printf 'c%031d' "$n")
		printf '{"schema":"inloop.visit","version":1,"visit_id":"%s","consultant":"anna","record_id":"5f0c6d2e-1111-4222-8333-4444555566%02d","reference":"V%03d-TEST","location":"Bibliotheek Centrum","name":"Bewoner %d","contact":"phone","phone":"06123456%02d","crisis":["none"],"deadline":"%s","acuut":false,"assigned_at":"2026-12-01T10:00:00Z"}' \
			"$id" "$n" "$n" "$n" "$n" "$(date -d "+$((n + 6)) days" +%F)" >"$W/v.json"
		"$B/tests/test_visitbox" --seal "$1" "$S/consultants/anna.pem" "$W/v.json" "$S/visits/anna/$id.cms"
		chmod 600 "$S/visits/anna/$id.cms"
	done
	touch -d '13 days ago' "$S/visits/anna/$(printf 'c%031d' 3).cms"   # erased tomorrow
	cat >"$W/visits.replay" <<EOR
tap cons-anna
type $ANNA_PASS
key Return
expect field-drafts
shot $2/23-field-visits.png
tap visit-1
tap opt-crisis-none
tap next
expect field-page-2
shot $2/24-field-visit-intake.png
tap drafts
key Down
key PageDown
key PageDown
shot $2/31-field-visits-paged.png
EOR
	FIELD_LANG=$3 field "$W/visits.replay" 2>/dev/null
}
for l in nl en; do
	rm -rf "$W/pki"
	field_device "$W/pki"
	S="$W/pki/device"
	o="$OUT/field-$l-$FIELD_SIZE"
	mkdir -p "$o"
	visit_shots "$W/vpki" "$o" "$l"
	S="$W/pki/device"
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
