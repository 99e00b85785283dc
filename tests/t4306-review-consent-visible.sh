#!/bin/sh
# Send tapped on the review without the privacy box ticked: the message ("problem") comes
# and the privacy text the person is asked to confirm stays on the screen above it, the
# message above the box, nothing overlapping, every text fitting at body size (squeeze=0),
# in all seven languages at 1280x800 and in portrait 1080x1920, on the page with Send; the
# box then stays where it is when ticked (the message's room is kept), and a review of one
# page stays one page (the title gives the message its room). The twin: a dump where the
# message took the text's place is refused.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
# y and y+h of widget $1 in dump $2
top_of() { sed -n "s/^widget id=$1 .* y=\([0-9]*\) .*/\1/p" "$2" | head -1; }
end_of() { sed -n "s/^widget id=$1 .* y=\([0-9]*\) w=[0-9]* h=\([0-9]*\) .*/\1 \2/p" "$2" | head -1 | awk '{ print $1 + $2 }'; }
# both_shown DUMP: the privacy text, then the message, then the box, in that order
both_shown() {
	p=$(top_of privacy-text "$1"); pe=$(end_of privacy-text "$1")
	m=$(top_of problem "$1"); me=$(end_of problem "$1"); b=$(top_of opt-yes "$1")
	[ -n "$p" ] && [ -n "$m" ] && [ -n "$b" ] && [ "$pe" -le "$m" ] && [ "$me" -le "$b" ]
}
for l in nl en ar tr pl uk ti; do
	for sz in 1280x800 1080x1920; do
		o="$T/$l-$sz"
		mkdir -p "$o"
		sed "s|@OUT@|$o|g; /^shot /d" "$R/all-screens.replay" >"$o/all.replay"
		check "$l $sz: every screen reached" kiosk $l $sz "$o/all.replay"
		dp="$o/16-review-consent.dump"
		check "$l $sz: the message and the privacy text both shown, in order" both_shown "$dp"
		check "$l $sz: the message is on the review with the box" grep -q "^screen review " "$dp"
		check "$l $sz: ... on the page with Send" grep -q "^widget id=send " "$dp"
		if grep -q '^widget id=send ' "$o/15-review.dump"; then   # one page before the message
			check "$l $sz: ... still one page with every answer" \
				test "$(grep -c '^widget id=title-' "$dp")" = "$(grep -c '^widget id=title-' "$o/15-review.dump")"
		fi
		check "$l $sz: the box stays where it was once ticked" \
			test "$(top_of opt-yes "$dp")" = "$(top_of opt-yes "$o/16-review-last.dump")"
		awk -f "$R/check-tree.awk" "$dp" >"$o/problems"
		check "$l $sz: every text fits" sh -c "! test -s '$o/problems' || { head -5 '$o/problems'; exit 1; }"
		check "$l $sz: at body size" sh -c "! grep -q '^screen .* squeeze=[1-9]' '$dp'"
	done
done
grep -v 'id=privacy-text ' "$T/nl-1280x800/16-review-consent.dump" >"$T/replaced.dump"
refuse "a message in the privacy text's place is found (twin)" both_shown "$T/replaced.dump"
done_testing
