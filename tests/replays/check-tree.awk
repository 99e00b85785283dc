# check-tree.awk — reads widget-tree dumps (ui_tree_dump) and prints one line per
# problem: a text whose colour pair is below 7:1 (WCAG AAA), a touch target under 48
# logical px, a main choice under 72 px high, a character without a glyph, a widget that
# leaves the window, two widgets (other than background panels) that overlap, a widget
# that crosses the edge of a panel (a box cut by the bottom bar), and a text whose lines,
# measured with the real fonts as drawn (room= and ink=), run outside its box.
function lin(c) { c = c / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ^ 2.4 }
function hex(h, i) { return index("0123456789abcdef", substr(h, i, 1)) - 1 }
function byte(h, i) { return hex(h, i) * 16 + hex(h, i + 1) }
function lum(h) { return 0.2126 * lin(byte(h, 2)) + 0.7152 * lin(byte(h, 4)) + 0.0722 * lin(byte(h, 6)) }
function ratio(a, b,  la, lb) { la = lum(a); lb = lum(b); return la > lb ? (la + .05) / (lb + .05) : (lb + .05) / (la + .05) }
function val(k,  m) { return match($0, " " k "=[^ ]*") ? substr($0, RSTART + length(k) + 2, RLENGTH - length(k) - 2) : "" }
FNR == 1 { nw = 0 }
/^screen / { split(val("size"), wh, "x"); W = wh[1] + 0; H = wh[2] + 0 }
/^widget / {
	n++
	id = val("id"); role = val("role")
	x = val("x") + 0; y = val("y") + 0; w = val("w") + 0; h = val("h") + 0
	if (W && (x < 0 || y < 0 || x + w > W || y + h > H))
		printf "%s: %s (%d,%d %dx%d) leaves the %dx%d window\n", FILENAME, id, x, y, w, h, W, H
	if (w > 0 && h > 0) {
		for (i = 0; i < nw; i++) {
			if (!(x < X[i] + WW[i] && X[i] < x + w && y < Y[i] + HH[i] && Y[i] < y + h))
				continue
			if (role != "panel" && !PAN[i])
				printf "%s: %s overlaps %s\n", FILENAME, id, ID[i]
			else if (!(x >= X[i] && y >= Y[i] && x + w <= X[i] + WW[i] && y + h <= Y[i] + HH[i]) &&
				 !(X[i] >= x && Y[i] >= y && X[i] + WW[i] <= x + w && Y[i] + HH[i] <= y + h))
				printf "%s: %s (%d,%d %dx%d) crosses the edge of the panel %s(%d,%d %dx%d)\n", FILENAME, id, x, y, w, h, ID[i], X[i], Y[i], WW[i], HH[i]
		}
		X[nw] = x; Y[nw] = y; WW[nw] = w; HH[nw] = h; ID[nw] = id; PAN[nw] = role == "panel"; nw++
	}
	if (val("room") != "") {
		split(val("room"), rm, "x"); split(val("ink"), ik, "x")
		if (ik[1] + 0 > rm[1] + 0 || ik[2] + 0 > rm[2] + 0)
			printf "%s: %s text %s runs outside its %s box\n", FILENAME, id, val("ink"), val("room")
	}
	if ($0 !~ / text=""$/ && role != "panel") {
		r = ratio(val("fg"), val("bg"))
		if (r < 7) printf "%s: %s contrast %.2f < 7\n", FILENAME, id, r
		if (val("size") + 0 < 24) printf "%s: %s text size %s < 24\n", FILENAME, id, val("size")
	}
	if ($0 ~ / target/ && (val("w") + 0 < 48 || val("h") + 0 < 48))
		printf "%s: %s target %sx%s < 48\n", FILENAME, id, val("w"), val("h")
	if ($0 ~ / main/ && val("h") + 0 < 72) printf "%s: %s main choice %s high < 72\n", FILENAME, id, val("h")
	if (val("missing") + 0 > 0) printf "%s: %s has %s characters without a glyph\n", FILENAME, id, val("missing")
}
END { if (!n) print "no widgets read" }
