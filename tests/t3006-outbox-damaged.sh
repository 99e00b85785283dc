#!/bin/sh
# A damaged outbox file (a worn flash card, a torn page; found by fuzz_outbox_rows: an
# index out of step with its table made the uploader hand out a row the list did not
# show) is refused at open with a clear reason, and left exactly as it was, records and
# all, for ICT. Twin: a sound outbox, the same rows, opens and lists.
. "$(dirname "$0")/lib.sh"
"$B/inloopctl" init-demo "$T/pki" >/dev/null 2>&1
S="$T/pki/device"
for f in regress-corrupt-index regress-list-next-differ; do
	cp "$TOP/tests/fuzz/seeds/outbox_rows/$f.sqlite" "$S/outbox.sqlite"
	cp "$S/outbox.sqlite" "$T/before"
	refuse "$f: the outbox refuses to open" "$B/inloop" --state "$S" outbox
	cp "$T/.out" "$T/open.out"
	check "... saying it is damaged, not a bare SQLite code" grep -q "is damaged (SQLite quick_check" "$T/open.out"
	check "... and the file is left as it was" cmp -s "$T/before" "$S/outbox.sqlite"
	refuse "... the upload refuses too, and says why" "$B/inloop" --state "$S" sync --url https://127.0.0.1:9
	cp "$T/.out" "$T/sync.out"
	check "... damaged" grep -q "is damaged" "$T/sync.out"
	check "... and the file is still as it was" cmp -s "$T/before" "$S/outbox.sqlite"
	rm -f "$S/outbox.sqlite"*
done
cp "$TOP/tests/fuzz/seeds/outbox_rows/outbox1.sqlite" "$S/outbox.sqlite"
check "a sound outbox opens and lists (twin)" "$B/inloop" --state "$S" outbox
done_testing
