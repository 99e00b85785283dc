#!/bin/sh
# The progress line never jumps or goes backwards: over the real paths (the shortest, the
# longest and "don't know" on the crisis), each question screen shows the next step number
# ("Vraag 1", "Vraag 2", ...) and no total that could grow ("1 van 9" becoming "1 van
# 10"). The bar's fraction is checked in t1010 (form_progress).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
# with_dumps REPLAY OUT: REPLAY with a dump after every arrival on a question screen
with_dumps() { awk -v o="$2" '{ print } /^expect q-/ { n++; printf "dump %s/%02d.dump\n", o, n }' "$1"; }
steps() { for f in "$1"/*.dump; do sed -n 's/^widget id=progress-text .*text="\(.*\)"$/\1/p' "$f" | tail -1; done; }
sed "s|@OUT@|$T/junk|g; /^shot /d; /^dump /d; /^wait 61000/,\$d" "$R/all-screens.replay" >"$T/long.src"
mkdir -p "$T/junk"
sed '/^expect-text/d' "$R/full-nl.replay" >"$T/short.src"
cat >"$T/unknown.src" <<EOR
tap start
expect q-crisis
tap opt-unknown
tap next
expect q-crisis_date
tap opt-unknown
tap next
expect q-name
type An
tap next
expect q-contact
tap opt-email
type an@example.nl
tap next
expect q-address
tap opt-unknown
tap next
expect q-interpreter
tap next
expect review
EOR
for p in long short unknown; do
	mkdir -p "$T/$p"
	with_dumps "$T/$p.src" "$T/$p" >"$T/$p.replay"
	check "$p path runs" kiosk nl 1280x800 "$T/$p.replay"
	steps "$T/$p" | awk '!seen[$0]++' >"$T/$p.steps"   # a screen dumped twice counts once
	check "$p: steps 1, 2, 3 ... one by one ($(tr '\n' ' ' <"$T/$p.steps"))" \
		sh -c "awk '{ n = \$0; gsub(/[^0-9]/, \"\", n); if (n != NR) exit 1 } END { if (NR < 4) exit 1 }' '$T/$p.steps'"
	refuse "$p: no total shown (one number a line)" grep -Eq '[0-9][^0-9]+[0-9]' "$T/$p.steps"
done
check "the longest path has more steps than the shortest" test "$(wc -l <"$T/long.steps")" -gt "$(wc -l <"$T/short.steps")"
done_testing
