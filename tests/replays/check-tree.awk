# check-tree.awk — reads widget-tree dumps (ui_tree_dump) and prints one line per
# problem: a text whose colour pair is below 7:1 (WCAG AAA), a touch target under 48
# logical px, a main choice under 72 px high, a character without a glyph.
function lin(c) { c = c / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ^ 2.4 }
function hex(h, i) { return index("0123456789abcdef", substr(h, i, 1)) - 1 }
function byte(h, i) { return hex(h, i) * 16 + hex(h, i + 1) }
function lum(h) { return 0.2126 * lin(byte(h, 2)) + 0.7152 * lin(byte(h, 4)) + 0.0722 * lin(byte(h, 6)) }
function ratio(a, b,  la, lb) { la = lum(a); lb = lum(b); return la > lb ? (la + .05) / (lb + .05) : (lb + .05) / (la + .05) }
function val(k,  m) { return match($0, " " k "=[^ ]*") ? substr($0, RSTART + length(k) + 2, RLENGTH - length(k) - 2) : "" }
/^widget / {
	n++
	id = val("id"); role = val("role")
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
