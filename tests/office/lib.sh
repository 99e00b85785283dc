# tests/office/lib.sh — helpers for the office tests (t7xxx), sourced after lib.sh and
# sync-lib.sh: a case store with records that went through the real kiosk path and server,
# the office's certificate and accounts, a running build/inloop-office, and curl sign-in.
#   office_fixture          $T/cs with a crisis record (planted <script> answers) + 4 more;
#                           accounts coord, team, ict (password $PW); sets CRISIS_REF, CRISIS_ID
#   office_start [ARGS]     starts the office; sets OFF_PID, OURL
#   totp USER [OFFSET]      the current TOTP code of USER (oathtool), OFFSET e.g. "+30 seconds"
#   signin USER [OFFSET]    curl sign-in into the jar $T/jar.USER; prints the HTTP code
#   oc USER ARGS...         curl with USER's jar (prints nothing by itself)
PW='correct horse battery staple'
XSS_NAME='<script>window.xss=1</script>"'"'"'><img src=x onerror=window.xss=2>'

office_fixture() {
	pki "$T/cs"
	soon=$(TZ=Europe/Amsterdam date -d '+2 days' +%F)
	python3 - "$T/crisis.json" "$soon" "$XSS_NAME" <<'PY'
import json, sys
x = sys.argv[3]
json.dump({"crisis": ["eviction", "water"], "crisis_date": sys.argv[2], "name": x, "contact": "phone",
           "phone": "0612345678", "postcode": "1234AB", "house_number": "12",
           "privacy_read": True}, open(sys.argv[1], "w"))
PY
	"$B/inloop" --state "$T/cs/device" submit "$T/crisis.json" >"$T/crisis.out" || return 1
	CRISIS_REF=$(sed -n 's/^reference: //p' "$T/crisis.out")
	CRISIS_ID=$(sed -n 's/^record: //p' "$T/crisis.out")
	"$B/tests/mkrecords" "$T/cs/device" 4 0 >/dev/null || return 1
	server_start "$T/cs" || return 1
	"$B/inloop" --state "$T/cs/device" sync --url "$URL" >/dev/null || return 1
	server_stop
	"$B/inloop-office" --dir "$T/cs" setup >/dev/null || return 1
	for u in coord:coordinator team:team ict:ict; do
		echo "$PW" | "$B/inloop-office" --dir "$T/cs" user add "${u%%:*}" --role "${u#*:}" --password-stdin \
			>"$T/user.${u%%:*}" || return 1
	done
}

_off_n=0
office_start() {
	_off_n=$((_off_n + 1))
	OFF_LOG="$T/office.$_off_n.log"
	: >"$OFF_LOG"   # exists before the background job's own redirection (no "sed: can't read")
	"$B/inloop-office" --dir "$T/cs" --listen 127.0.0.1:0 "$@" >"$OFF_LOG" 2>&1 &
	OFF_PID=$!
	_sync_pids="$_sync_pids $OFF_PID"
	i=0
	while [ $i -lt 600 ]; do   # up to 30 s on a loaded machine
		p=$(sed -n 's/.*listening on https:\/\/[^ ]*:\([0-9][0-9]*\)$/\1/p' "$OFF_LOG")
		[ -n "$p" ] && { OURL="https://127.0.0.1:$p"; return 0; }
		kill -0 "$OFF_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	sed 's/^/# office: /' "$OFF_LOG"
	return 1
}

office_stop() { kill -TERM "$OFF_PID" 2>/dev/null; wait "$OFF_PID"; }

totp() { oathtool --totp -b ${2:+--now "$(date -u -d "$2" '+%Y-%m-%d %H:%M:%S UTC')"} "$(sed -n 's/^totp-secret: //p' "$T/user.$1")"; }

oc() { u=$1; shift; curl -s --cacert "$T/cs/ca/ca.pem" -b "$T/jar.$u" -c "$T/jar.$u" "$@"; }

# the hidden field NAME of an HTML file
field() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }

signin() { # USER [OFFSET] [PASSWORD]
	rm -f "$T/jar.$1"
	oc "$1" -o "$T/login.html" "$OURL/login"
	oc "$1" -o "$T/signin.html" -w '%{http_code}' --data-urlencode "pre=$(field pre "$T/login.html")" \
		--data-urlencode "user=$1" --data-urlencode "password=${3:-$PW}" \
		--data-urlencode "code=$(totp "$1" "${2:-}" | tee "$T/code.$1")" "$OURL/login"
}
