#!/bin/sh
# The receipt's QR code on the real kiosk: after the whole flow (Dutch, and Arabic with its
# mirrored screen) zbarimg reads the receipt shot's QR code back as plain text holding the
# reference printed beside it (with the registration date and phone, qr_receipt_text), and module for module it is the code qr_make gives (not mirrored in
# the right-to-left layout: many phone scanners do not read a mirrored code, zbar does);
# with the top-left quarter painted over it no longer reads (negative twin); after Done,
# Welcome shows no code any more.
. "$(dirname "$0")/lib.sh"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
"$B/inloopctl" init-demo "$T/pki" --url "https://127.0.0.1:9" >"$T/init.log" 2>&1 ||
	{ not_ok "init-demo"; sed 's/^/# /' "$T/init.log"; done_testing; exit 1; }

# field NAME LINE: the value of NAME=... in a widget line of a tree dump.
field() { echo "$2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# (lib.sh's check and refuse use $d: this loop keeps its folder in $dir.)
for lang in ${QR_LANGS:-nl ar}; do
	dir="$T/$lang"
	mkdir -p "$dir"
	# The review may take more than one page (Arabic lines are taller): one more Next each try.
	for pages in 0 1 2 3; do
		{
			cat "$TOP/tests/replays/full-$lang.replay"
			for _p in $(seq "$pages"); do echo "tap next"; done
			echo "tap send"
			echo "expect receipt"
			echo "shot $dir/receipt.png"
			echo "dump $dir/receipt.tree"
			echo "tap next"
			echo "expect welcome"
			echo "shot $dir/welcome.png"
		} >"$dir/flow.replay"
		"$B/inloop-test" --state "$T/pki/device" --lang "$lang" --windowed 1920x1080 \
			--replay "$dir/flow.replay" >"$dir/flow.log" 2>&1 && break
		grep -q "no widget on this screen: send" "$dir/flow.log" || break
	done
	check "$lang: the whole flow reaches the receipt and returns to Welcome" \
		sh -c "test -s '$dir/welcome.png' || { cat '$dir/flow.log'; exit 1; }"
	ref=$(sed -n 's/^widget id=reference .* text="\(.*\)"$/\1/p' "$dir/receipt.tree" 2>/dev/null)
	check "$lang: the receipt shows a reference ($ref)" sh -c "echo '$ref' | grep -Eq '^[A-Z0-9-]{6,}$'"
	got=$(zbarimg -q --raw "$dir/receipt.png" 2>/dev/null)
	check "$lang: the QR code reads back with the reference" \
		sh -c "test -n '$ref' && echo '$got' | grep -qx 'Referentie: $ref'"

	# The QR widget's rectangle in screen pixels (the tree is in logical units).
	qr=$(grep '^widget id=qr ' "$dir/receipt.tree" 2>/dev/null)
	lw=$(sed -n '1s/.* size=\([0-9]*\)x.*/\1/p' "$dir/receipt.tree" 2>/dev/null)
	px() { awk -v lw="${lw:-1}" -v x="$(field x "$qr")" -v y="$(field y "$qr")" \
		-v w="$(field w "$qr")" "BEGIN {s = 1920 / lw; $1}"; }

	# Module for module: crop, black/white, trim the quiet zone, one pixel a module.
	"$B/tests/test_qr" --pgm "$got" "$dir/want.pgm" 2>/dev/null
	n=$(identify -format %w "$dir/want.pgm" 2>/dev/null)
	convert "$dir/receipt.png" -crop "$(px 'printf "%dx%d+%d+%d", w*s, w*s, x*s, y*s')" +repage \
		-threshold 50% -trim +repage -sample "${n}x${n}!" "$dir/got.pgm" 2>/dev/null
	convert "$dir/want.pgm" -flop "$dir/mirrored.pgm" 2>/dev/null
	diffs() { compare -metric AE "$1" "$2" null: 2>&1; }
	check "$lang: the code on screen is qr_make's, module for module, not mirrored" \
		test -n "$n" -a "$(diffs "$dir/got.pgm" "$dir/want.pgm")" = 0
	check "$lang: (twin) a mirrored code would differ" \
		test -s "$dir/got.pgm" -a "$(diffs "$dir/got.pgm" "$dir/mirrored.pgm")" != 0

	# Negative twin: the code's top-left quarter painted over (a finder pattern in either
	# orientation) and it no longer reads.
	box=$(px 'printf "rectangle %d,%d %d,%d", x*s, y*s, (x + w/2)*s, (y + w/2)*s')
	convert "$dir/receipt.png" -fill white -draw "$box" "$dir/covered.png" 2>/dev/null
	check "$lang: with a finder pattern covered the code does not read" \
		sh -c "test -s '$dir/covered.png' && ! zbarimg -q --raw '$dir/covered.png' 2>/dev/null | grep -q 'Referentie: $ref'"
	check "$lang: Welcome after Done shows no QR code" \
		sh -c "test -s '$dir/welcome.png' && ! zbarimg -q --raw '$dir/welcome.png' 2>/dev/null | grep -q ."
done
done_testing
