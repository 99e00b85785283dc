#!/bin/sh
# No text runs outside its button or box: every screen of a whole crisis registration in
# all seven languages (nl en ar tr pl uk ti) at 1024x768, 1280x800, 1366x768, 1920x1080
# and 1080x1920,
# dumped by the real program with each text measured as it draws it (SDL2_ttf + HarfBuzz
# + FriBidi over the Noto chain: room= and ink=), checked by check-tree.awk (text inside
# its box, nothing cut by a bar or the window's edge, contrast, targets, glyphs). At
# 1280x800 (what `make run` opens) and 1080x1920 (portrait) every screen also fits at
# body size: none is drawn with its text shrunk (the dump's squeeze=0), Welcome after a
# crisis (the host's banner up) included.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20
for l in nl en ar tr pl uk ti; do
	for sz in 1024x768 1280x800 1366x768 1920x1080 1080x1920; do
		o="$T/$l-$sz"
		mkdir -p "$o"
		sed "s|@OUT@|$o|g; /^shot /d" "$R/all-screens.replay" >"$o/all.replay"
		check "$l $sz: every screen reached" kiosk $l $sz "$o/all.replay"
		check "$l $sz: texts measured with the real fonts" grep -q ' room=[0-9]*x[0-9]* ink=' "$o/02-crisis.dump"
		awk -f "$R/check-tree.awk" "$o"/*.dump >"$o/problems"
		check "$l $sz: every text fits its box on $(ls "$o"/*.dump | wc -l) screens" \
			sh -c "! test -s '$o/problems' || { head -20 '$o/problems'; exit 1; }"
		case $sz in 1280x800|1080x1920)
			check "$l $sz: no screen drawn with smaller text" \
				sh -c "! grep -l '^screen .* squeeze=[1-9]' '$o'/*.dump" ;;
		esac
	done
done
mkdir -p "$T/shrunk"
sed 's/ squeeze=0/ squeeze=1/' "$T/nl-1280x800/01-welcome.dump" >"$T/shrunk/01-welcome.dump"
refuse "a screen drawn smaller is found (twin)" sh -c "! grep -l '^screen .* squeeze=[1-9]' '$T/shrunk'/*.dump"
check "Welcome after a crisis was dumped with the host's banner" grep -q 'id=host-banner' "$T/nl-1280x800/17-welcome-crisis-alert.dump"
# the checker's negative twins: a label wider or taller than its box, a box cut by a bar
printf 'widget id=opt-energy role=choice x=0 y=0 w=394 h=88 fg=#000000 bg=#ffffff size=30 target room=309x88 ink=300x123 text="x"\n' >"$T/tall.dump"
check "a label of three lines in a two-line button is reported" sh -c "awk -f '$R/check-tree.awk' '$T/tall.dump' | grep -q 'opt-energy text 300x123 runs outside its 309x88 box'"
printf 'widget id=key-a role=key x=0 y=0 w=60 h=60 fg=#000000 bg=#ffffff size=30 target room=28x60 ink=40x41 text="x"\n' >"$T/wide.dump"
check "a key label wider than its key is reported" sh -c "awk -f '$R/check-tree.awk' '$T/wide.dump' | grep -q 'key-a text 40x41 runs outside'"
printf 'widget id=fits role=key x=0 y=0 w=60 h=60 fg=#000000 bg=#ffffff size=30 target room=28x60 ink=28x60 text="x"\n' >"$T/fits.dump"
check "a label exactly as big as its box is not reported" sh -c "! awk -f '$R/check-tree.awk' '$T/fits.dump' | grep -q ."
printf 'screen s lang=nl dir=ltr size=1280x800 bg=#ffffff widgets=2\nwidget id= role=panel x=0 y=688 w=1280 h=112 fg=#000000 bg=#e6e0d2 size=28 text=""\nwidget id=box role=panel x=32 y=446 w=729 h=244 fg=#000000 bg=#7d2a0a size=28 text=""\n' >"$T/cut.dump"
check "a box running into the bottom bar is reported" sh -c "awk -f '$R/check-tree.awk' '$T/cut.dump' | grep -q 'box .* crosses the edge of the panel'"
printf 'screen s lang=nl dir=ltr size=1280x800 bg=#ffffff widgets=2\nwidget id= role=panel x=0 y=688 w=1280 h=112 fg=#000000 bg=#e6e0d2 size=28 text=""\nwidget id=next role=button x=1028 y=700 w=220 h=88 fg=#ffffff bg=#1d4a70 size=30 target room=188x88 ink=80x41 text="Klaar"\n' >"$T/inbar.dump"
check "a button inside the bar is not reported" sh -c "! awk -f '$R/check-tree.awk' '$T/inbar.dump' | grep -q ."
done_testing
