#!/bin/sh
# Short enough for a stressed person: with the shipped form, Welcome to receipt takes at
# most 8 screens on the crisis path (Welcome not counted, the receipt and every review
# page counted). The real program is driven over the longest path (crisis with a date,
# phone, interpreter with language) and the shortest (no crisis, come back, no address,
# no interpreter) in Dutch and Arabic at 1280x800; a dump after every step, and the
# distinct screens in a row are counted.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
# every_step REPLAY OUT: REPLAY with a dump after every line
every_step() { awk -v o="$2" '{ print; if ($1 != "expect") printf "dump %s/%03d.dump\n", o, NR }' "$1"; }
# count OUT: the distinct screens in a row, Welcome and the staff detour left out; a review
# page is told apart by its first row
count() {
	for f in "$1"/*.dump; do
		s=$(sed -n 's/^screen \([^ ]*\) .*/\1/p' "$f")
		p=$(grep -o '^widget id=title-[a-z_]*' "$f" | head -1)
		echo "$s$p"
	done | grep -v '^welcome$\|^staff$\|^still-there$' | uniq | wc -l
}
sed "/^shot /d; /^dump /d; /^tap staff$/,/^tap back$/d" "$R/all-screens.replay" |
	awk '{ print } /^expect receipt$/ { exit }' >"$T/long.src"
{ sed '/^expect-text/d' "$R/full-nl.replay" | sed 's/^tap opt-phone$/tap opt-come_back/; /^tap key-/d; /^type 1234/d' |
  sed 's/^type 12345678$//; s/^type 12$//; s/^tap field-1$/tap opt-unknown/; s/^tap opt-no$//'; cat "$R/send.replay"; } | grep -v '^$' >"$T/short.src"
for l in nl ar; do
	for p in long short; do
		mkdir -p "$T/$l-$p"
		sed "s/^type Kanarie Vogelzang$/type An/" "$T/$p.src" | every_step /dev/stdin "$T/$l-$p" >"$T/$l-$p.replay"
		check "$l: the $p path reaches the receipt" sh -c "'$B/inloop-test' --state '$S' --lang $l --windowed 1280x800 --replay '$T/$l-$p.replay' && grep -l '^screen receipt' '$T/$l-$p'/*.dump >/dev/null"
	done
	long=$(count "$T/$l-long"); short=$(count "$T/$l-short")
	check "$l: the longest (crisis) path takes $long screens, at most 8" test "$long" -le 8
	check "$l: the shortest path takes $short screens, fewer" test "$short" -lt "$long"
	check "$l: the receipt is the last screen counted" sh -c "cat '$T/$l-long'/*.dump | grep '^screen ' | tail -1 | grep -q '^screen receipt'"
done
# the counter's negative twin: a path through two review pages counts one more screen
mkdir -p "$T/twin"
cp "$T/nl-long"/*.dump "$T/twin/"
rev=$(grep -l '^screen review' "$T/twin"/*.dump | tail -1)
[ -n "$rev" ] && sed "s/id=title-crisis /id=title-zz /" "$rev" >"${rev%.dump}b.dump"
check "a second review page is counted (twin)" test "$(count "$T/twin")" -eq $(($(count "$T/nl-long") + 1))
done_testing
