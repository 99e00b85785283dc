#!/bin/sh
# Host texts are in the host's language (config host_lang, default nl) whatever the
# resident chose: the receipt's banner and the not-ready reason; in an Arabic screen a
# Dutch host text runs left to right (the banners, the receipt's printer line). And one word for the
# host everywhere: nl "medewerker", en "staff member", ar «الموظف» — never "gastvrouw",
# "gastheer", "host" or «المضيف» on any screen or in any catalogue.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
for l in nl ar en; do
	mkdir -p "$T/$l"
	sed "s|@OUT@|$T/$l|g; /^shot /d" "$R/all-screens.replay" >"$T/$l.replay"
	check "$l: every screen of the crisis flow" kiosk $l 1280x800 "$T/$l.replay"
done
check "Arabic resident: the receipt's banner is in Dutch" grep -q 'id=host-banner .*Voor de medewerker' "$T/ar/17-receipt.dump"
check "... while the receipt itself is Arabic" grep -q '^screen receipt lang=ar dir=rtl' "$T/ar/17-receipt.dump"
refuse "... and the banner is not in Arabic" grep -q 'id=host-banner .*للموظف' "$T/ar/17-receipt.dump"
# a Dutch host text in an Arabic screen is laid out left to right (its full stop at its end)
check "Arabic resident: the receipt's printer line for the host runs left to right" \
	grep -q '^widget id=print-[a-z]* .* ltr-text' "$T/ar/17-receipt.dump"
check "... the banner too" grep -q '^widget id=host-banner .* ltr-text' "$T/ar/17-receipt.dump"
check "... and Welcome's crisis banner after it" \
	grep -q '^widget id=host-banner .* ltr-text' "$T/ar/17-welcome-crisis-alert.dump"
refuse "... while the Arabic texts do not (twin)" grep -q '^widget id=title .* ltr-text' "$T/ar/17-receipt.dump"
refuse "... nor a Dutch resident's printer line (twin)" grep -q '^widget id=print-[a-z]* .* ltr-text' "$T/nl/17-receipt.dump"
jq '.host_lang = "en"' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
mkdir -p "$T/h"
sed "s|@OUT@|$T/h|g; /^shot /d" "$R/all-screens.replay" >"$T/h.replay"
check "host_lang en: the flow" kiosk nl 1280x800 "$T/h.replay"
check "host_lang en: a Dutch resident's receipt has an English banner" grep -q 'id=host-banner .*For the staff member' "$T/h/17-receipt.dump"
jq '.host_lang = "Dutch!"' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
"$B/inloop" --state "$S" --lang ar --windowed 1280x800 --dump-tree >"$T/bad.dump" 2>"$T/bad.err"
check "a host_lang that is no language code: not ready (settings)" grep -q 'id=reason-settings ' "$T/bad.dump"
check "... the reason in the default host language, Dutch" grep -q 'id=reason-settings .*Voor de medewerker' "$T/bad.dump"
check "... the log names the key" grep -q 'host_lang' "$T/bad.err"
mkdir -p "$T/empty"
"$B/inloop" --state "$T/empty" --lang ar --windowed 1280x800 --dump-tree >"$T/nr.dump" 2>/dev/null
check "not enrolled, Arabic resident: the reason for the host in Dutch" grep -q 'id=reason-not-enrolled .*Voor de medewerker' "$T/nr.dump"
check "... the resident's sentence in Arabic" grep -q 'id=ask-host .*الموظف' "$T/nr.dump"
# one word for the host
refuse "nl screens never say gastvrouw/gastheer" grep -qi 'gastvrouw\|gastheer' "$T"/nl/*.dump
check "nl screens say medewerker" grep -q 'medewerker' "$T/nl/06-staff.dump"
refuse "ar screens never say المضيف" grep -q 'المضيف' "$T"/ar/*.dump
check "ar screens say الموظف" grep -q 'الموظف' "$T/ar/06-staff.dump"
refuse "en screens never say host" grep -qi 'text="[^"]*\bhost\b' "$T"/en/*.dump
refuse "no catalogue translation says gastvrouw, gastheer or المضيف" \
	grep -q '^msgstr.*\(gastvrouw\|gastheer\|المضيف\)' "$TOP"/assets/po/*.po
refuse "the form names no host either" grep -q 'gastvrouw\|gastheer\|المضيف\|\bhost\b' "$TOP/assets/forms/registration.json"
done_testing
