#!/bin/sh
# The new screens fit at every size the kiosk meets (1024x768, 1280x800, 1366x768,
# 1920x1080, 1080x1920), in Dutch and Arabic: the longest path (date picker, contact with
# its number, interpreter with its language, review with the privacy confirmation) with
# the layout checks of check-tree.awk (inside the window, no overlaps, 48 px targets,
# contrast, glyphs), and from 1280x800 up the review on one page with Send and the
# confirmation (at 1024x768 it takes two pages: the privacy text does not fit beside the
# answers).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
for l in nl ar; do
	for sz in 1024x768 1280x800 1366x768 1920x1080 1080x1920; do
		o="$T/$l-$sz"
		mkdir -p "$o"
		sed "s|@OUT@|$o|g; /^shot /d; /^wait 61000/,\$d" "$R/all-screens.replay" >"$o/r"
		check "$l $sz: the longest path" kiosk $l $sz "$o/r"
		[ "$sz" = 1024x768 ] || check "$l $sz: the review on one page (Send on the first)" \
			grep -q 'id=send ' "$o/15-review.dump"
		rm -f "$o/17-receipt.dump"   # the receipt is checked by its own tests (t42xx)
		awk -f "$R/check-tree.awk" "$o"/*.dump >"$o/problems"
		check "$l $sz: every question and review screen fits ($(ls "$o"/*.dump | wc -l) screens)" \
			sh -c "! test -s '$o/problems' || { head -10 '$o/problems'; exit 1; }"
	done
done
check "the review shows Send and the confirmation together" \
	sh -c "grep -q 'id=send ' '$T/nl-1280x800/15-review.dump' && grep -q 'id=opt-yes ' '$T/nl-1280x800/15-review.dump'"
refuse "a review split over pages would show Next (twin)" grep -q 'id=next ' "$T/ar-1280x800/15-review.dump"
done_testing
