#!/bin/sh
# Past the years of the holiday table the Wgs calendar never stops the kiosk (issue 8): a
# registration still gets a deadline, computed from the statutory holidays, and the record
# says `"deadline_provisional": true`; the worklist marks it ("?", counted on the first
# line) and show says so. The host is warned on Welcome once the table has run out (90
# days ahead: the unit test t1001). Negative twin: with the shipped table, nothing is
# provisional and the host sees no warning. The office computes the deadline again with
# its own table (issue 9): provisional only when its table has run out too.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
year=$(TZ=Europe/Amsterdam date +%Y)
old=$((year - 1))
cp -r "$TOP/assets" "$T/old"
printf '{"version": "test-%s", "first_year": %s, "last_year": %s, "decree_days": []}\n' \
	"$old" "$old" "$old" >"$T/old/holidays.json"
pki "$T/cs"
S="$T/cs/device"
cat >"$T/a.json" <<JSON
{"crisis":["none"],"name":"Anna","contact":"phone","phone":"0612345678",
 "postcode":"1234AB","house_number":"12","privacy_read":true}
JSON
check "a registration past the table ($old) is accepted" sh -c \
	"INLOOP_ASSETS='$T/old' '$B/inloop' --state '$S' submit '$T/a.json' >'$T/old.out'"
check "... with a deadline" grep -q "^deadline: $year-" "$T/old.out"
check "the same with the shipped table" sh -c "'$B/inloop' --state '$S' submit '$T/a.json' >'$T/new.out'"
refold=$(sed -n 's/^reference: //p' "$T/old.out"); refnew=$(sed -n 's/^reference: //p' "$T/new.out")
check "case store starts" server_start "$T/cs"
check "sync" "$B/inloop" --state "$S" sync --url "$URL"
server_stop
# The office computes the deadline again from the answers (issue 9, D3), with its own
# table: an office whose table has run out too keeps both provisional; one with the
# shipped table resolves the kiosk's provisional deadline (negative twin).
export INLOOP_ASSETS="$T/old"
"$B/inloopctl" --dir "$T/cs" show "$refold" >"$T/show.old"
check "the record says deadline_provisional: true" grep -q '"deadline_provisional": true' "$T/show.old"
check "... and show says provisional" grep -q "^deadline: .* provisional" "$T/show.old"
"$B/inloopctl" --dir "$T/cs" list >"$T/list"
check "the worklist counts the provisional deadlines" grep -q "^WORKLIST: 2 records, .*, 2 provisional" "$T/list"
check "... and marks them with ?" grep -q "$refold *| $year-[0-9-]*? |" "$T/list"
"$B/inloopctl" --dir "$T/cs" export --format csv >"$T/csv"
check "CSV: deadline_provisional yes" python3 -c "
import csv; rows = list(csv.DictReader(open('$T/csv', newline=''), delimiter=';'))
p = {r['reference']: r['deadline_provisional'] for r in rows}
assert p == {'$refold': 'yes', '$refnew': 'yes'}, p"
unset INLOOP_ASSETS
"$B/inloopctl" --dir "$T/cs" show "$refold" >"$T/show.old2"
"$B/inloopctl" --dir "$T/cs" show "$refnew" >"$T/show.new"
refuse "with the shipped table the office resolves it: not provisional" grep -q "provisional" "$T/show.old2"
refuse "a deadline inside the table is not provisional" grep -q "provisional" "$T/show.new"
"$B/inloopctl" --dir "$T/cs" list >"$T/list2"
refuse "... no provisional count in the worklist" grep -q "provisional" "$T/list2"
refuse "... and no ?" grep -q "| [0-9-]*? |" "$T/list2"
"$B/inloopctl" --dir "$T/cs" export --format csv >"$T/csv2"
check "CSV: deadline_provisional no for both" python3 -c "
import csv; rows = list(csv.DictReader(open('$T/csv2', newline=''), delimiter=';'))
p = {r['reference']: r['deadline_provisional'] for r in rows}
assert p == {'$refold': 'no', '$refnew': 'no'}, p"

# Welcome: the host line warns once the table has run out; not with the shipped table.
welcome() { # ASSETS DUMP
	printf 'sync-start\nwait-status 5000\ndump %s\n' "$2" >"$T/w.replay"
	INLOOP_ASSETS="$1" "$B/inloop" --state "$S" --lang nl --windowed 1280x800 --replay "$T/w.replay" 2>/dev/null
}
welcome "$T/old" "$T/old.dump"
check "Welcome warns the host: the table ran out on 31-12-$old" grep -q "id=host-status .*31-12-$old" "$T/old.dump"
welcome "$TOP/assets" "$T/new.dump"
check "... the shipped table gives a host line" grep -q "id=host-status" "$T/new.dump"
refuse "... without a table warning" grep -q "id=host-status .*31-12-" "$T/new.dump"
done_testing
