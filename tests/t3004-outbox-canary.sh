#!/bin/sh
# Canary: 100 records whose name is a unique random string are sealed and stored; the
# whole state folder (database, WAL, -shm, anything else) and the programs' stdout/stderr
# hold no trace of it as bytes, while every sealed record does carry it inside (opened with
# the case-store key). Negative twin: a planted plain file with the canary is found.
. "$(dirname "$0")/lib.sh"
D="$B/tests/test_outbox_driver"
check "inloopctl init-demo" "$B/inloopctl" init-demo "$T/pki"
S="$T/pki/device"
canary="canary$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
found_in() { grep -r -a -i -F -l -e "$canary" "$@" >/dev/null 2>&1; }

# Stored through the outbox API; the process leaves without closing so the WAL stays.
check "100 canary records stored" "$D" store "$S" "$S/outbox.sqlite" 100 "$canary" --leave-wal
cp "$T/.out" "$T/store.out"
check "the WAL file is there to be searched" test -s "$S/outbox.sqlite-wal"
refuse "no trace in the state folder (database, WAL, -shm)" found_in "$S"
refuse "no trace in the driver's output" found_in "$T/store.out"
n=$("$D" count-name "$T/pki" "$S/outbox.sqlite" "$canary" 2>"$T/count.err")
if [ "$n" = 100 ]; then ok "all 100 sealed records carry the canary inside"; else not_ok "sealed records with the canary: '$n'"; fi

# The commands: listing and dumping envelopes shows no content either.
"$B/inloop" --state "$S" outbox >"$T/list.out" 2>&1
check "inloop outbox lists 100 rows" test "$(grep -c '^[0-9a-f]\{8\}-' "$T/list.out")" = 100
refuse "no trace in inloop outbox" found_in "$T/list.out"
id=$(grep -m1 -o '^[0-9a-f-]\{36\}' "$T/list.out")
"$B/inloop" --state "$S" outbox --dump "$id" >"$T/one.der" 2>"$T/dump.err"
check "outbox --dump writes an envelope" test -s "$T/one.der"
refuse "no trace in a dumped envelope" found_in "$T/one.der" "$T/dump.err"
refuse "still no trace in the state folder after the commands" found_in "$S"

# Negative twin: the search does find the canary when it is there in plain bytes.
printf 'x%sx' "$canary" >"$S/planted"
check "a planted plain file with the canary is found" found_in "$S"
rm -f "$S/planted"
done_testing
