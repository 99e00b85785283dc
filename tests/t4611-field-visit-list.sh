#!/bin/sh
# The visit list pages (session 18): fourteen visits from the office on anna's laptop, at
# 1366x768 and 1920x1080. The list shows what fits above the drafts, crisis first and then
# by the date to make contact, each row with reference, name, crisis kind and that date;
# "More"/"Earlier" page it (Tab reaches them, Return pages), Down/PageDown move the focus
# through it and scroll, the mouse wheel over it scrolls it; so the last visit is reached
# each way, and Return on it starts its intake. The drafts' "New intake" stays on screen.
# Visits are sealed by build/tests/test_visitbox with the office's visit signer.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki() { "$B/inloopctl" init-demo "$1" >/dev/null; }
. "$TOP/tests/field-lib.sh"
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/no-bus"
field_device "$T/pki"
S="$T/pki/device"
"$B/inloopctl" --dir "$T/pki" consultant enroll "$S/consultants/anna.csr" --device "$(jq -r .device_id "$S/config.json")" \
	--out "$T/anna.pem" >/dev/null
"$B/inloop" --state "$S" consultant cert anna "$T/anna.pem" >/dev/null
mkdir -p -m 700 "$S/visits" "$S/visits/anna"
# n REF NAME CRISIS-KIND(or none) DAYS-TO-DEADLINE
mk() {
	id=$(printf 'd%031d' "$1")
	due=$(date -d "+$5 days" +%F)
	if [ "$4" = none ]; then c='["none"]' cd='' acuut=false; else c="[\"$4\"]" cd="\"crisis_date\":\"$(date -d "+$(($5 + 2)) days" +%F)\"," acuut=true; fi
	printf '{"schema":"inloop.visit","version":1,"visit_id":"%s","consultant":"anna","record_id":"5f0c6d2e-1111-4222-8333-4444555566%02d","reference":"%s","location":"Bibliotheek Centrum","name":"%s","contact":"phone","phone":"06123456%02d","crisis":%s,%s"deadline":"%s","acuut":%s,"assigned_at":"2026-12-01T10:00:00Z"}' \
		"$id" "$1" "$2" "$3" "$1" "$c" "$cd" "$due" "$acuut" >"$T/v.json"
	"$B/tests/test_visitbox" --seal "$T/pki" "$S/consultants/anna.pem" "$T/v.json" "$S/visits/anna/$id.cms" && chmod 600 "$S/visits/anna/$id.cms"
}
i=0
for v in "AAAA-0001|Plain Eleven|none|25" "CRIS-0002|Crisis Second|energy|3" "BBBB-0003|Plain Three|none|9" \
	 "CCCC-0004|Plain Four|none|10" "DDDD-0005|Plain Five|none|11" "CRIS-0001|Crisis First|eviction|1" \
	 "EEEE-0007|Plain Seven|none|13" "FFFF-0008|Plain Eight|none|14" "GGGG-0009|Plain Nine|none|15" \
	 "ZZZZ-0014|Zoe Laatste|none|28" "HHHH-0010|Plain Ten|none|16" "CRIS-0003|Crisis Third|water|2" \
	 "JJJJ-0012|Plain Twelve|none|26" "KKKK-0013|Plain Thirteen|none|27"; do
	i=$((i + 1))
	IFS='|' read -r ref name kind days <<EOV
$v
EOV
	mk "$i" "$ref" "$name" "$kind" "$days"
done
check "fixture: fourteen visits in anna's folder" test "$(ls "$S"/visits/anna/*.cms | wc -l)" = 14
signin() { printf 'tap cons-anna\ntype %s\nkey Return\nexpect field-drafts\n' "$ANNA_PASS"; }
for size in 1366x768 1920x1080; do
	D="$T/$size"
	mkdir -p "$D"
	{ signin; echo "dump $D/first.dump"; } >"$D/a.replay"
	export FIELD_SIZE=$size
	check "$size: anna signs in" field "$D/a.replay"
	grep -o 'id=visit-[0-9]* ' "$D/first.dump" | sed 's/id=visit-//' >"$D/shown"
	shown=$(wc -l <"$D/shown")
	check "$size: the list shows some visits ($shown) and pages the rest" sh -c "[ $shown -ge 3 ] && [ $shown -lt 14 ] && grep -q 'id=visits-down ' '$D/first.dump'"
	check "$size: crisis first, by date: the three crisis rows lead, earliest first" sh -c \
		"grep -q 'id=visit-0 .*CRIS-0001' '$D/first.dump' && grep -q 'id=visit-1 .*CRIS-0003' '$D/first.dump' && grep -q 'id=visit-2 .*CRIS-0002' '$D/first.dump'"
	check "$size: a row holds reference, name, crisis kind and the date to make contact" \
		grep -q "id=visit-0 .*CRIS-0001   Crisis First   CRISIS: Ontruiming $(date -d '+3 days' +%d-%m-%Y)   contact uiterlijk $(date -d '+1 days' +%d-%m-%Y)" "$D/first.dump"
	check "$size: New intake and the reference field stay on the screen" sh -c "grep -q 'id=new ' '$D/first.dump' && grep -q 'id=follows ' '$D/first.dump'"
	refuse "$size: the last visit is not shown yet" grep -q 'id=visit-13 ' "$D/first.dump"
	# keyboard: into the list, PageDown to its end, Return starts the last visit's intake
	{ signin; echo "key Down"; for n in 1 2 3 4 5; do echo "key PageDown"; done; echo "dump $D/keys.dump"; echo "key Return"
	  echo "expect field-page-1"; echo "tap opt-crisis-none"; echo "tap next"; echo "expect field-page-2"; echo "dump $D/page2.dump"; } >"$D/k.replay"
	check "$size: Down and PageDown through the list" field "$D/k.replay"
	check "$size: PageDown reaches the last visit (latest date)" grep -q 'id=visit-13 .*ZZZZ-0014' "$D/keys.dump"
	check "$size: ... and scrolled the first out of view" sh -c "! grep -q 'id=visit-0 ' '$D/keys.dump'"
	check "$size: Return on it starts its intake (its name filled in)" grep -q 'id=field-name .*Zoe Laatste' "$D/page2.dump"
	# the wheel over the list, and back up
	{ signin; echo "wheel visit-0 -20"; echo "dump $D/wheel.dump"; echo "wheel visit-13 3"; echo "dump $D/wheel-up.dump"; } >"$D/w.replay"
	field "$D/w.replay" 2>"$D/w.log"
	check "$size: the wheel scrolls the list to its end" grep -q 'id=visit-13 ' "$D/wheel.dump"
	check "$size: ... and back up three rows" sh -c "[ \$(grep -o 'id=visit-[0-9]* ' '$D/wheel-up.dump' | head -1) != \$(grep -o 'id=visit-[0-9]* ' '$D/wheel.dump' | head -1) ]"
	# More, as Tab and Return reach it
	{ signin; for n in 1 2 3 4 5 6; do echo "tap-if visits-down"; done; echo "dump $D/more.dump"; echo "tap visits-up"; echo "dump $D/earlier.dump"; } >"$D/m.replay"
	field "$D/m.replay" 2>"$D/m.log"
	check "$size: More pages to the last visit" grep -q 'id=visit-13 ' "$D/more.dump"
	check "$size: ... and then is gone (nothing more), Earlier is there" sh -c "! grep -q 'id=visits-down ' '$D/more.dump' && grep -q 'id=visits-up ' '$D/more.dump'"
	refuse "$size: at the start there is no Earlier" grep -q 'id=visits-up ' "$D/first.dump"
	check "$size: Earlier pages back" sh -c "! grep -q 'id=visit-13 ' '$D/earlier.dump'"
	check "$size: the pager is in the Tab order (focusable)" sh -c "grep 'id=visits-down ' '$D/first.dump' | grep -q target"
done
done_testing
