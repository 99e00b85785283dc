#!/bin/sh
# One way to read a JSON file (platform/util.c util_json_load_file): every loader gives
# "PATH:LINE:COL: reason", and the reason never quotes the file (answers are personal).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
canary="Zq$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | tr 0-9 g-p)"
printf '{"name": "%s",\n "contact": %s}\n' "$canary" "$canary" >"$T/bad.json"
"$B/inloop" --state "$S" submit "$T/bad.json" >"$T/sub.out" 2>"$T/sub.err"
check "malformed answers: PATH:LINE:COL: reason" grep -q "$T/bad.json:2:[0-9]*: " "$T/sub.err"
refuse "... and the message does not quote the file" grep -q "$canary" "$T/sub.err" "$T/sub.out"
printf '{"a": 1, "a": 2}' >"$T/dup.json"
"$B/inloop" --state "$S" submit "$T/dup.json" 2>"$T/dup.err"
check "a key given twice is refused by name" grep -q "dup.json:1:[0-9]*: duplicate object key" "$T/dup.err"
echo "{}" >"$T/ok.json"
cp "$S/config.json" "$T/config.good"
printf '{"location": "x",' >"$S/config.json"
"$B/inloop" --state "$S" submit "$T/ok.json" 2>"$T/cfg.err"
check "config.json the same way" grep -q "config.json:1:[0-9]*: string or .}. expected" "$T/cfg.err"
cp "$T/config.good" "$S/config.json"
mkdir -p "$T/assets" && cp -r "$TOP/assets/forms" "$TOP/assets/icons.json" "$T/assets/"
printf '{"version": ' >"$T/assets/holidays.json"
INLOOP_ASSETS="$T/assets" "$B/inloop" --state "$S" submit "$T/ok.json" 2>"$T/hol.err"

check "the holiday table the same way" grep -q "holidays.json:1:[0-9]*: [a-z]" "$T/hol.err"
done_testing
