#!/bin/sh
# tests/field-shots.sh BUILD OUT WORK (called by tests/shots.sh): a PNG of every field-mode
# screen at 1366x768 in Dutch and English under OUT/field-LANG/: sign-in, drafts, the eight
# intake screens (the full intake of tests/replays/field/intake.replay, a shot after each
# `expect`), Sent, the draft list with a draft, a problem on a page, and the lock screen;
# then visits from the office (anna enrolled by inloopctl consultant enroll, the visits sealed
# by build/tests/test_visitbox with the office's visit signer): the list
# above the drafts (a crisis, one erased tomorrow) and an intake started from a visit.
set -eu
B=$1 OUT=$2 W=$3
TOP=$(cd "$(dirname "$0")/.." && pwd)
T=$W
mkdir -p "$W"
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
EOR
	FIELD_LANG=$3 field "$W/visits.replay" 2>/dev/null
}
for l in nl en; do
	rm -rf "$W/pki"
	field_device "$W/pki"
	S="$W/pki/device"
	o="$OUT/field-$l"
	mkdir -p "$o"
	visit_shots "$W/vpki" "$o" "$l"
	S="$W/pki/device"
	intake_replay "$W/i.replay"
	n=0
	while IFS= read -r line; do
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
tap drafts
shot $o/21-field-drafts-one.png
tap lock
shot $o/22-field-locked.png
EOR
	FIELD_LANG=$l field "$W/shots.replay" 2>/dev/null
done
