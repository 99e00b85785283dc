#!/bin/sh
# A worklist page shows up to 50 names and phone numbers, so each view is audited: one
# `worklist-view` line per page view with who (the account), when, from where (the
# address), which filter (page, kind, status, search as its normalised reference) and the
# references shown, and never a name or phone number (nor the text typed in the search
# box). Twins: a filtered view lists only the rows it showed; a refused filter (400) shows
# no names and writes no view line; the record page keeps its own `view` line.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/office/lib.sh"
check "fixture: records through the case store, office cert, three accounts" office_fixture
office_start || { echo "not ok - office start"; done_testing; exit 1; }
OD="$T/cs/office/office.sqlite"
check "team signs in" test "$(signin team)" = 303
views() { sqlite3 "$OD" "SELECT count(*) FROM audit WHERE action = 'worklist-view'"; }
last() { sqlite3 "$OD" "SELECT $1 FROM audit WHERE action = 'worklist-view' ORDER BY n DESC LIMIT 1"; }
refs_of() { grep -o 'data-ref="[^"]*"' "$1" | sed 's/data-ref="\(.*\)"/\1/' | paste -sd, -; }

check "no view line before any worklist view" test "$(views)" = 0
oc team -o "$T/wl.html" "$OURL/worklist"
check "one worklist view: one audit line" test "$(views)" = 1
check "... who and from where: team at 127.0.0.1" test "$(last "user || ' ' || addr")" = "team 127.0.0.1"
check "... when: now (within a minute)" sh -c "t=\$(sqlite3 '$OD' \"SELECT at FROM audit WHERE action = 'worklist-view'\"); [ \$((\$(date +%s) - t)) -lt 60 ]"
check "... the page and the five references shown, in the order shown" test "$(last target)" = "page=1 refs=$(refs_of "$T/wl.html")"
check "... five of them" test "$(last target | tr , '\n' | wc -l)" = 5
check "... never a name or phone number" sh -c "! sqlite3 '$OD' 'SELECT target FROM audit' | grep -q -e xss -e 0612345678 -e script"

oc team -o "$T/wl2.html" "$OURL/worklist?kind=eviction"
check "a filtered view: a second line, with the filter and only the row shown" test "$(views)/$(last target)" = "2/page=1 kind=eviction refs=$(echo "$CRISIS_REF" | tr -d -)"
oc team -o /dev/null "$OURL/worklist?q=$(echo "$CRISIS_REF" | tr 'A-Z' 'a-z')"
check "a search: the normalised reference, never the text typed" test "$(last target)" = "page=1 q=$(echo "$CRISIS_REF" | tr -d -) refs=$(echo "$CRISIS_REF" | tr -d -)"
oc team -o /dev/null "$OURL/worklist?q=Jan%20Jansen"
check "a search for a name: (invalid), no rows, the name nowhere in the log" sh -c "[ \"\$(sqlite3 '$OD' \"SELECT target FROM audit WHERE action = 'worklist-view' ORDER BY n DESC LIMIT 1\")\" = 'page=1 q=(invalid) refs=-' ] && ! sqlite3 '$OD' 'SELECT target FROM audit' | grep -qi jansen"
n=$(views)
check "a refused filter: 400" test "$(oc team -o "$T/bad.html" -w '%{http_code}' "$OURL/worklist?kind=fire")" = 400
check "... no names shown and no view line" sh -c "! grep -q office-name '$T/bad.html' && [ \"$n\" = \"\$(sqlite3 '$OD' \"SELECT count(*) FROM audit WHERE action = 'worklist-view'\")\" ]"
oc team -o /dev/null "$OURL/r/$CRISIS_ID"
check "the record page keeps its own view line" test "$(sqlite3 "$OD" "SELECT count(*) FROM audit WHERE action = 'view'")" = 1
check "the audit chain is intact" "$B/inloop-office" --dir "$T/cs" audit-verify
done_testing
