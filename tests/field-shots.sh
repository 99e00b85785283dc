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
pki() { "$B/inloopctl" init-demo "$1" >/dev/null; }
. "$TOP/tests/field-lib.sh"
for l in nl en; do
	rm -rf "$W/pki"
	field_device "$W/pki"
	S="$W/pki/device"
	o="$OUT/field-$l"
	mkdir -p "$o"
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
