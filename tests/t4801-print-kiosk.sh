#!/bin/sh
# The printed receipt through the real kiosk flow and a private cupsd (tests/print-lib.sh):
# Dutch on an 80 mm roll queue, Arabic on an A4 queue, each a file: device. The job is
# turned into PNG (pdftoppm, 203 dpi) and its QR code read back (zbarimg): the reference on
# screen, today's date and the config's phone number; the screen's QR carries the same
# text. The Arabic PDF holds Arabic text in logical order (pdftotext) in an embedded Noto
# Sans Arabic; the Dutch one holds none (twin). The receipt screen tells the host: printed.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
. "$TOP/tests/print-lib.sh"
export INLOOP_IDLE_SECONDS=60 INLOOP_COUNTDOWN_SECONDS=20 INLOOP_RECEIPT_SECONDS=90
make_state
check "a private cupsd starts" cups_start
check "an 80 mm roll queue" cups_queue bon "$PPD80" "$C/out/bon.pdf"
check "an A4 queue" cups_queue a4 "$PPDA4" "$C/out/a4.pdf"
phone=$(jq -r .crisis_phone "$S/config.json")
location=$(jq -r .location "$S/config.json")
today=$(dmy "$(today_nl)")

# flow LANG: the whole registration, Send, wait for the printer, dump and shot.
flow() {
	{ cat "$R/full-$1.replay" "$R/send.replay"; echo "wait-print 20000"; echo "expect receipt"
	  echo "dump $T/$1.dump"; echo "shot $T/$1-screen.png"; } >"$T/$1.replay"
	kiosk "$1" 1280x800 "$T/$1.replay" >"$T/$1.log" 2>&1 || { cat "$T/$1.log"; return 1; }
}
ref_of() { sed -n 's/^widget id=reference .* text="\(.*\)"$/\1/p' "$1" 2>/dev/null; }

set_printer "$S" bon
check "nl: the flow reaches the receipt and the printer answers" flow nl
ref=$(ref_of "$T/nl.dump")
check "nl: the host is told the receipt was printed" grep -q '^widget id=print-done ' "$T/nl.dump"
check "nl: one job, completed" sh -c "lpstat -W completed -o bon | grep -c . | grep -qx 1"
check "nl: the paper is 80 mm wide" sh -c "pdfinfo '$C/out/bon.pdf' | grep -Eq 'Page size: +22[67](\.[0-9]+)? x'"
qr=$(qr_of "$C/out/bon.pdf")
check "nl: the printed QR code holds the reference ($ref)" sh -c "echo '$qr' | grep -qx 'Referentie: $ref'"
check "nl: ... the registration date ($today)" sh -c "echo '$qr' | grep -q '^Aangemeld: $today [0-2][0-9]:[0-5][0-9]$'"
check "nl: ... the debt-help phone ($phone)" sh -c "echo '$qr' | grep -qx 'Telefoon schuldhulp: $phone'"
check "nl: the screen's QR code carries the same text" \
	sh -c "test -n '$ref' && test \"\$(zbarimg -q --raw '$T/nl-screen.png' 2>/dev/null)\" = '$qr'"
pdftotext "$C/out/bon.pdf" "$T/nl.txt" 2>/dev/null
check "nl: the paper shows the reference and the location" \
	sh -c "grep -q '$ref' '$T/nl.txt' && grep -q \"\$(echo '$location' | cut -c1-10)\" '$T/nl.txt'"
check "nl: (twin) no Arabic on the Dutch receipt" sh -c "! grep -qP '[\x{0600}-\x{06FF}]' '$T/nl.txt'"

cups_empty "$C/out/a4.pdf"
set_printer "$S" a4 a4
check "ar: the flow reaches the receipt and the printer answers" flow ar
ref=$(ref_of "$T/ar.dump")
check "ar: the host is told the receipt was printed" grep -q '^widget id=print-done ' "$T/ar.dump"
check "ar: the paper is A4" sh -c "pdfinfo '$C/out/a4.pdf' | grep -q 'Page size: *595 x 842'"
qr=$(qr_of "$C/out/a4.pdf")
check "ar: the printed QR code holds the reference ($ref)" sh -c "echo '$qr' | grep -qx 'Referentie: $ref'"
pdftotext "$C/out/a4.pdf" "$T/ar.txt" 2>/dev/null
# "Your reference" as the Arabic translation has it, without its colon, in logical order
want=$(awk '/^msgid "Your reference:"/ { getline; print; exit }' "$TOP/assets/po/ar.po" |
	sed 's/^msgstr "\(.*\)"$/\1/; s/:$//')
check "ar: the PDF text holds the Arabic label in logical order" sh -c "test -n '$want' && grep -q '$want' '$T/ar.txt'"
check "ar: and the reference whole" grep -q "$ref" "$T/ar.txt"
check "ar: Noto Sans Arabic is embedded" sh -c "pdffonts '$C/out/a4.pdf' | grep -q 'NotoSansArabic'"
check "ar: the Dutch proof line for offices is there too" grep -q "Bewijs van aanmelding" "$T/ar.txt"
done_testing
