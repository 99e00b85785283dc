#!/bin/sh
# No missing-glyph boxes in any of the seven languages: every catalogue string, every form
# text and every language name has a glyph in the kiosk's font chain at every pixel size
# the screens use (tests/unit/test_glyphs.c). The twins: a CJK character counts as missing,
# and without Noto Sans Ethiopic in the font folder the Tigrinya strings fail (the check
# sees the font the kiosk would choose; every language fails then, since every screen names
# ትግርኛ among the languages).
. "$(dirname "$0")/lib.sh"
G="$B/tests/test_glyphs"
F="$TOP/assets/forms/registration.json"
"$G" "$TOP/assets/po" "$F" nl en ar tr pl uk ti | grep -v '^1\.\.' >"$T/all.tap"
while read -r line; do
	case $line in
	"ok "*) ok "${line#ok [0-9]* - }" ;;
	"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
	*) echo "$line" ;;
	esac
done <"$T/all.tap"
check "seven languages and the twin were checked" test "$(grep -c '^ok' "$T/all.tap")" -eq 8
mkdir -p "$T/fonts"
for f in /usr/share/fonts/truetype/noto/*.ttf; do
	case $f in *Ethiopic*) ;; *) ln -s "$f" "$T/fonts/" ;; esac
done
refuse "without Noto Sans Ethiopic, Tigrinya has characters without a glyph" \
	env INLOOP_FONT_DIR="$T/fonts" "$G" "$TOP/assets/po" "$F" ti
env INLOOP_FONT_DIR="$T/fonts" "$G" "$TOP/assets/po" "$F" ti >"$T/noeth.tap" 2>&1
check "... and it names a Tigrinya string" grep -q '^# ti at [0-9]* px: [0-9]* character(s) without a glyph' "$T/noeth.tap"
check "fonts-noto-core is in the install step" grep -q 'fonts-noto-core' "$TOP/platform/install-deps.sh"
done_testing
