#!/bin/sh
# Every screen of a whole crisis registration, in Dutch and Arabic, at laptop, full HD,
# portrait and 4K sizes: every text / background pair at least 7:1, text at least 24 px,
# every touch target at least 48 logical px (main choices 72), no missing glyph, every
# widget inside the window, no two widgets on top of each other, no box cut by a bar and
# every text inside its box as the real fonts measure it (room=, ink=; t4301 has more sizes).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
for l in nl ar; do
	for sz in 1280x800 1920x1080 1080x1920 3840x2160; do
		o="$T/$l-$sz"
		mkdir -p "$o"
		sed "s|@OUT@|$o|g; /^shot /d" "$R/all-screens.replay" >"$o/all.replay"
		check "$l $sz: every screen reached" kiosk $l $sz "$o/all.replay"
		awk -f "$R/check-tree.awk" "$o"/*.dump >"$o/problems"
		check "$l $sz: contrast, sizes and glyphs hold on $(ls "$o"/*.dump | wc -l) screens" \
			sh -c "! test -s '$o/problems' || { head -20 '$o/problems'; exit 1; }"
	done
done
# the checker's negative twins
printf 'widget id=grey role=text x=0 y=0 w=100 h=40 fg=#777777 bg=#ffffff size=30 missing=0 text="x"\n' >"$T/grey.dump"
check "a grey text on white (4.5:1) is reported" sh -c "awk -f '$R/check-tree.awk' '$T/grey.dump' | grep -q 'contrast 4.48'"
printf 'widget id=tiny role=button x=0 y=0 w=40 h=40 fg=#000000 bg=#ffffff size=30 target missing=0 text="x"\n' >"$T/tiny.dump"
check "a 40 px target is reported" sh -c "awk -f '$R/check-tree.awk' '$T/tiny.dump' | grep -q 'target 40x40'"
printf 'widget id=box role=text x=0 y=0 w=40 h=40 fg=#000000 bg=#ffffff size=30 missing=1 text="x"\n' >"$T/box.dump"
check "a missing glyph is reported" sh -c "awk -f '$R/check-tree.awk' '$T/box.dump' | grep -q 'without a glyph'"
printf 'screen s lang=nl dir=ltr size=1280x800 bg=#ffffff widgets=1\nwidget id=low role=button x=10 y=764 w=100 h=64 fg=#000000 bg=#ffffff size=30 target missing=0 text="x"\n' >"$T/out.dump"
check "a button below the window's edge is reported" sh -c "awk -f '$R/check-tree.awk' '$T/out.dump' | grep -q 'low .* leaves the 1280x800 window'"
printf 'screen s lang=nl dir=ltr size=1280x800 bg=#ffffff widgets=2\nwidget id=a role=button x=10 y=10 w=100 h=64 fg=#000000 bg=#ffffff size=30 target missing=0 text="x"\nwidget id=b role=text x=60 y=40 w=100 h=64 fg=#000000 bg=#ffffff size=30 missing=0 text="y"\n' >"$T/over.dump"
check "a text on top of a button is reported" sh -c "awk -f '$R/check-tree.awk' '$T/over.dump' | grep -q 'b overlaps a'"
done_testing
