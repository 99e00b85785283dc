# tests/replays/kiosk-lib.sh — shared by the kiosk UI tests (t4*.sh), after lib.sh.
# A demo state (init-demo), a headless run of the kiosk, and opening the newest record.
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
R="$TOP/tests/replays"
P="$T/pki"
S="$P/device"

# make_state: the demo PKI with an enrolled device in $P (state folder $S).
make_state() { "$B/inloopctl" init-demo "$P" >/dev/null 2>&1; }

# kiosk LANG WxH REPLAY [more args]: runs the kiosk headless on a replay.
kiosk() { l=$1; sz=$2; rp=$3; shift 3; "$B/inloop" --state "$S" --lang "$l" --windowed "$sz" --replay "$rp" "$@"; }

# outbox_ids: the record ids in the outbox, one a line.
outbox_ids() { "$B/inloop" --state "$S" outbox 2>/dev/null | grep -o '^[0-9a-f]\{8\}-[0-9a-f-]*'; }

# open_record ID OUT: the record's JSON through stock openssl cms (decrypt, verify CAdES).
open_record() {
	"$B/inloop" --state "$S" outbox --dump "$1" >"$T/env.der" 2>/dev/null &&
	openssl cms -decrypt -binary -inform DER -in "$T/env.der" -inkey "$P/office/casestore.key" \
		-out "$T/env.inner" 2>/dev/null &&
	openssl cms -verify -cades -binary -inform DER -in "$T/env.inner" -CAfile "$P/ca/ca.pem" \
		-out "$2" 2>/dev/null
}

# today_nl: today's date in the Netherlands (the Wgs clock).
today_nl() { TZ=Europe/Amsterdam date +%F; }

# dmy YYYY-MM-DD: DD-MM-YYYY as the receipt shows it.
dmy() { echo "$1" | awk -F- '{ print $3 "-" $2 "-" $1 }'; }

# with_form CMD...: runs CMD with the assets copy in $T/assets (a test's own form file).
with_form() { ( INLOOP_ASSETS="$T/assets"; export INLOOP_ASSETS; "$@" ); }

# soon_sed: a sed script turning the replays' crisis date taps (15 June next year) into
# the taps for today + 2 days: a crisis date before the Wgs deadline (acuut).
soon_sed() {
	set -- $(TZ=Europe/Amsterdam date -d '+2 days' +'%-d %-m %Y')
	_y=this; [ "$3" = "$(TZ=Europe/Amsterdam date +%Y)" ] || _y=next
	echo "s/^tap day-15\$/tap day-$1/; s/^tap month-6\$/tap month-$2/; s/^tap year-next\$/tap year-$_y/"
}
