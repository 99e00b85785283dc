#!/bin/sh
# assets/office/copy-assets.sh SRC OUT — builds the office's static folder OUT from the npm
# packages installed in SRC/node_modules (the install step runs `npm ci` there) and the
# office's own files in SRC/static: NL Design System CSS, the voorbeeld theme, the Noto
# webfonts with an @font-face file (the theme's font.css is empty, OFFICE.md §1), and a
# gzip -9 twin of every text file. Nothing is fetched here.
set -eu
src=$1 out=$2
nm="$src/node_modules"
if [ ! -f "$nm/@utrecht/component-library-css/dist/index.css" ]; then
	echo "office: $nm lacks the NL Design System packages; run platform/install-deps.sh (npm ci)" >&2
	exit 1
fi
rm -rf "$out.tmp"
mkdir -p "$out.tmp/nlds" "$out.tmp/fonts"
cp "$nm/@utrecht/component-library-css/dist/index.css" "$out.tmp/nlds/components.css"
cp "$nm/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css" "$out.tmp/nlds/theme.css"
for f in noto-sans-latin-wght-normal noto-sans-latin-ext-wght-normal; do
	cp "$nm/@fontsource-variable/noto-sans/files/$f.woff2" "$out.tmp/fonts/"
done
for f in noto-serif-latin-wght-normal noto-serif-latin-ext-wght-normal; do
	cp "$nm/@fontsource-variable/noto-serif/files/$f.woff2" "$out.tmp/fonts/"
done
{
	for fam in sans serif; do
		name="Noto Sans"; [ $fam = serif ] && name="Noto Serif"
		printf "@font-face{font-family:'%s';font-style:normal;font-display:swap;font-weight:100 900;src:url(fonts/noto-%s-latin-ext-wght-normal.woff2) format('woff2');unicode-range:U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF}\n" "$name" $fam
		printf "@font-face{font-family:'%s';font-style:normal;font-display:swap;font-weight:100 900;src:url(fonts/noto-%s-latin-wght-normal.woff2) format('woff2');unicode-range:U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD}\n" "$name" $fam
	done
} >"$out.tmp/fonts.css"
cp "$src/static/"*.css "$out.tmp/"
find "$out.tmp" -name '*.css' -exec gzip -9kn {} +
touch "$out.tmp/.stamp"
rm -rf "$out"
mv "$out.tmp" "$out"
