#!/bin/sh
# Welcome's status line for the host (what waits to be sent) is in the host's language
# (config host_lang, default Dutch) and, on an Arabic screen, laid out left to right
# (the dump's ltr-text), fitting at body size at 1280x800 and in portrait. The flow:
# tests/replays/host-status.replay (a registration, the case store not answering). Twins:
# a Dutch screen needs no ltr-text, nor an Arabic screen for an Arabic host, and the
# resident's Arabic texts on Welcome are not forced left to right.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
sed -i 's|"url": *"[^"]*"|"url": "https://127.0.0.1:9"|' "$S/config.json"   # nobody answers
run() {   # run NAME LANG WxH
	mkdir -p "$T/$1"
	sed "s|@OUT@|$T/$1|g; /^shot /d" "$R/host-status.replay" >"$T/$1/r.replay"
	kiosk "$2" "$3" "$T/$1/r.replay" 2>"$T/$1/err"
}
for sz in 1280x800 1080x1920; do
	dp="$T/ar-$sz/welcome-host-status.dump"
	check "ar $sz: Welcome shows the host's status line" run ar-$sz ar $sz
	check "ar $sz: ... in the host's Dutch (a record waits)" grep -q '^widget id=host-status .*Nog te versturen: [1-9]' "$dp"
	check "ar $sz: ... laid out left to right" grep -q '^widget id=host-status .* ltr-text' "$dp"
	check "ar $sz: ... on an Arabic screen" grep -q '^screen welcome lang=ar dir=rtl' "$dp"
	refuse "ar $sz: the resident's Arabic texts are not forced left to right" grep -q '^widget id=\(title\|intro\|talk\) .* ltr-text' "$dp"
	awk -f "$R/check-tree.awk" "$dp" >"$T/ar-$sz/problems"
	check "ar $sz: every text fits" sh -c "! test -s '$T/ar-$sz/problems' || { head -5 '$T/ar-$sz/problems'; exit 1; }"
	check "ar $sz: at body size" sh -c "! grep -q '^screen .* squeeze=[1-9]' '$dp'"
done
check "nl: the flow" run nl nl 1280x800
check "nl: the status line is there" grep -q '^widget id=host-status ' "$T/nl/welcome-host-status.dump"
refuse "nl: a Dutch screen needs no ltr-text (twin)" grep -q '^widget id=host-status .* ltr-text' "$T/nl/welcome-host-status.dump"
jq '.host_lang = "ar"' "$S/config.json" >"$T/c.json" && cp "$T/c.json" "$S/config.json"
check "host_lang ar: the flow" run arar ar 1280x800
check "host_lang ar: the status line is there" grep -q '^widget id=host-status ' "$T/arar/welcome-host-status.dump"
refuse "host_lang ar: an Arabic host line stays right to left (twin)" grep -q '^widget id=host-status .* ltr-text' "$T/arar/welcome-host-status.dump"
done_testing
