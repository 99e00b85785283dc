#!/bin/sh
# An option that is not selected shows no tick, and selected differs from not selected in
# more than colour (WCAG 1.4.1): in the widget tree no unselected option carries the tick
# pictogram; in the pixels, the unselected option's check box is an empty outlined box (one
# colour inside) and the selected one holds a tick (a second colour inside), and the
# selected option has a thick ink outline.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
tick=$(jq -r '.icons.check' "$TOP/assets/icons.json" | tr a-f A-F)
for l in nl ar; do
	printf 'tap start\nexpect q-crisis\ntap opt-eviction\ndump %s\nshot %s\n' "$T/$l.dump" "$T/$l.png" >"$T/$l.replay"
	check "$l: the crisis screen with one option chosen" kiosk $l 1280x800 "$T/$l.replay"
	refuse "$l: no unselected option shows the tick (U+$tick)" sh -c "grep 'role=choice' '$T/$l.dump' | grep -v ' selected' | grep -q 'icon=U+$tick'"
	refuse "$l: the chosen option keeps its own pictogram (no tick in its place)" grep -q "id=opt-eviction .*icon=U+$tick" "$T/$l.dump"
done
# pixels (1280x800 is one pixel per logical unit): the check box is 36 px on the start
# side, 16 px in; look 6 px inside it
box() {  # box DUMP PNG ID -> number of colours inside the check box
	set -- "$1" "$2" "$(grep "id=$3 " "$1")"
	x=$(echo "$3" | sed 's/.* x=\([0-9]*\) .*/\1/'); y=$(echo "$3" | sed 's/.* y=\([0-9]*\) .*/\1/')
	w=$(echo "$3" | sed 's/.* w=\([0-9]*\) .*/\1/'); h=$(echo "$3" | sed 's/.* h=\([0-9]*\) .*/\1/')
	case "$1" in *ar.dump) bx=$((x + w - 16 - 36));; *) bx=$((x + 16));; esac
	convert "$2" -crop 24x24+$((bx + 6))+$((y + (h - 36) / 2 + 6)) +repage -format %k info:
}
edge() {  # edge DUMP PNG ID -> the colour 2 px inside the option's top edge, mid-way
	set -- "$1" "$2" "$(grep "id=$3 " "$1")"
	x=$(echo "$3" | sed 's/.* x=\([0-9]*\) .*/\1/'); y=$(echo "$3" | sed 's/.* y=\([0-9]*\) .*/\1/')
	w=$(echo "$3" | sed 's/.* w=\([0-9]*\) .*/\1/')
	convert "$2" -crop 1x1+$((x + w / 2))+$((y + 4)) +repage -format '%[hex:p{0,0}]' info: | cut -c1-6
}
for l in nl ar; do
	check "$l: the unselected check box is empty (one colour inside)" test "$(box "$T/$l.dump" "$T/$l.png" opt-water)" -eq 1
	check "$l: the selected one holds a tick (shape, not only colour)" test "$(box "$T/$l.dump" "$T/$l.png" opt-eviction)" -ge 2
	check "$l: the selected option has a thick ink outline" test "$(edge "$T/$l.dump" "$T/$l.png" opt-eviction)" = 1A2230
	refuse "$l: the unselected one has not (twin)" test "$(edge "$T/$l.dump" "$T/$l.png" opt-water)" = 1A2230
done
done_testing
