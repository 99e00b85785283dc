#!/bin/sh
# tests/shots.sh (`make shots`): a PNG of every screen, in Dutch, English and Arabic at
# 1280x800 (what `make run` opens), 1366x768, 1920x1080 and 1080x1920, and in Turkish,
# Polish, Ukrainian and Tigrinya at 1280x800 and 1080x1920 (portrait), under
# <build>/shots/LANG-WxH/ (INLOOP_BUILD, else build): the crisis registration
# (all-screens.replay), then the e-mail question, the staff screen with the host called,
# the idle warning, a failed Send of a crisis and its handover (more-screens.replay), the
# not-ready screen, and host mode in the host's language (PIN pad, its wait and no-PIN
# states, staff menu, closed screen); then every page of the web office (office-*.png). Uses a
# throw-away demo state; needs ImageMagick's convert.
# SHOTS_LANGS / SHOTS_SIZES narrow the set (e.g. SHOTS_SIZES=1280x800).
# The printed receipt, 80 mm and A4, in all seven languages, is under <build>/shots/print/.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
OUT="$B/shots"
W=$(mktemp -d "${TMPDIR:-/tmp}/inloop-shots.XXXXXX")
trap 'rm -rf "$W"' EXIT
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20 INLOOP_RECEIPT_SECONDS=90
export INLOOP_HOST_WAIT_SECONDS=900
"$B/inloopctl" init-demo "$W/pki" >/dev/null
rm -rf "$OUT"
echo 2468 | "$B/inloop" --state "$W/pki/device" host-pin >/dev/null   # host-screens.replay
mkdir -p "$W/empty"
cp "$W/pki/device/config.json" "$W/config.json"   # the resident's runs: host texts in the default host language
for l in ${SHOTS_LANGS:-nl en ar tr pl uk ti}; do
	sizes="1280x800 1366x768 1920x1080 1080x1920"
	case $l in tr|pl|uk|ti) sizes="1280x800 1080x1920" ;; esac
	for sz in ${SHOTS_SIZES:-$sizes}; do
		o="$OUT/$l-$sz"
		mkdir -p "$o"
		cp "$W/config.json" "$W/pki/device/config.json"
		for r in all-screens more-screens; do
			rm -f "$W/pki/device/outbox.sqlite"*   # each run starts with an empty outbox
			sed "s|@OUT@|$o|g" "$TOP/tests/replays/$r.replay" >"$W/r"
			"$B/inloop-test" --state "$W/pki/device" --lang "$l" --windowed "$sz" --replay "$W/r" 2>/dev/null
		done
		# the language chooser behind a question's language button
		printf 'expect welcome\ntap start\nexpect q-crisis\ntap lang-menu\nexpect language\nshot %s/20-language.png\n' "$o" >"$W/lg"
		"$B/inloop-test" --state "$W/pki/device" --lang "$l" --windowed "$sz" --replay "$W/lg" 2>/dev/null
		rm -f "$o"/*.dump
		# the not-ready screen: a state folder without enrolment
		printf 'shot %s/19-not-ready.png\n' "$o" >"$W/nr"
		"$B/inloop-test" --state "$W/empty" --lang "$l" --windowed "$sz" --replay "$W/nr" 2>/dev/null
		# host mode (PIN pad, staff menu, closed screen) with the host's language = $l
		jq --arg l "$l" '.host_lang = $l' "$W/pki/device/config.json" >"$W/c" && cp "$W/c" "$W/pki/device/config.json"
		sed "s|@OUT@|$o|g" "$TOP/tests/replays/host-screens.replay" >"$W/r"
		"$B/inloop-test" --state "$W/pki/device" --lang "$l" --windowed "$sz" --replay "$W/r" 2>/dev/null
		# the PIN pad's other states, on copies of the state: the wait after five wrong PINs,
		# and a kiosk without a staff PIN
		rm -rf "$W/s2" && cp -a "$W/pki/device" "$W/s2"
		{ echo "expect welcome"; echo "hold 20 20 3100"
		  for n in 1 2 3 4 5; do printf 'tap pin-1\ntap pin-1\ntap pin-1\ntap pin-1\ntap pin-ok\n'; done
		  echo "shot $o/38-host-pin-wait.png"; } >"$W/r"
		"$B/inloop-test" --state "$W/s2" --lang "$l" --windowed "$sz" --replay "$W/r" 2>/dev/null
		rm -rf "$W/s2" && cp -a "$W/pki/device" "$W/s2"
		jq 'del(.host_pin)' "$W/pki/device/config.json" >"$W/s2/config.json"
		printf 'expect welcome\nhold 20 20 3100\nshot %s/39-host-pin-none.png\n' "$o" >"$W/r"
		"$B/inloop-test" --state "$W/s2" --lang "$l" --windowed "$sz" --replay "$W/r" 2>/dev/null
	done
done
# field mode (issue 12) at 1366x768 and 1920x1080, Dutch and English: every field screen
sh "$TOP/tests/field-shots.sh" "$B" "$OUT" "$W/field"
# the printed receipt (a crisis sample, TEST-0000): the PDF goes through a pipe, never a file
mkdir -p "$OUT/print"
for l in ${SHOTS_LANGS:-nl en ar tr pl uk ti}; do
	for p in 80mm a4; do
		"$B/inloop" --state "$W/pki/device" --lang "$l" print-test --crisis --paper "$p" --stdout |
			pdftoppm -r 150 -png -singlefile - "$OUT/print/$l-$p"
	done
done
# the web office: every page in headless Chromium (t7002 writes $OUT/office-*.png)
INLOOP_BUILD="$B" sh "$TOP/tests/t7002-office-browser.sh" >"$W/office.tap" 2>&1 ||
	{ echo "shots: the office's browser run failed:" >&2; grep -v '^ok' "$W/office.tap" >&2; }
echo "shots: $(ls "$OUT"/*/*.png "$OUT"/office-*.png 2>/dev/null | wc -l) PNGs in $OUT"
