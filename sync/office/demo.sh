# sync/office/demo.sh — the web office beside the demo case store, for `make run` and
# `make demo` (sourced by platform/run.sh and platform/demo.sh after B and DEMO are set).
#   office_demo_start PORT   the office's certificate and a demo coordinator account on
#                            first use (DEMO/office/demo-login.txt, 0600: the password and
#                            TOTP secret are printed once by `user add` and kept there for
#                            the demo only), then build/inloop-office on 127.0.0.1:PORT
#                            (0 picks one); sets OFFICE_PID and OFFICE_URL, prints both and
#                            the demo login with the current TOTP code
#   office_demo_stop         stops it
office_demo_ca() { # the CA certificate a browser or curl needs to trust the office
	if [ -f "$DEMO/ca/ca.pem" ]; then echo "$DEMO/ca/ca.pem"; else echo "$DEMO/ca.pem"; fi
}

office_demo_start() {
	login="$DEMO/office/demo-login.txt"
	[ -f "$DEMO/office/tls.pem" ] || "$B/inloop-office" --dir "$DEMO" setup >/dev/null || return 1
	if [ ! -s "$login" ]; then
		(umask 077; "$B/inloop-office" --dir "$DEMO" user add demo --role coordinator >"$login.new") &&
			mv "$login.new" "$login" || { rm -f "$login.new"; return 1; }
	fi
	"$B/inloop-office" --dir "$DEMO" --listen "127.0.0.1:$1" 2>"$DEMO/office.log" &
	OFFICE_PID=$!
	OFFICE_URL=""
	for _ in $(seq 600); do   # up to 60 s on a loaded machine
		p=$(sed -n 's/.*listening on https:\/\/[^ ]*:\([0-9][0-9]*\)$/\1/p' "$DEMO/office.log")
		[ -n "$p" ] && { OFFICE_URL="https://127.0.0.1:$p"; break; }
		kill -0 "$OFFICE_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$OFFICE_URL" ]; then
		echo "office: did not start; see $DEMO/office.log" >&2
		return 1
	fi
	secret=$(sed -n 's/^totp-secret: //p' "$login")
	echo "== office (the debt-help team's web office): $OFFICE_URL  (log: $DEMO/office.log)"
	echo "   the certificate is from the demo CA: trust $(office_demo_ca) in the browser, or curl --cacert it"
	echo "   sign in as: demo   password: $(sed -n 's/^password: //p' "$login")"
	echo "   TOTP secret: $secret  (add it to an authenticator app, or: oathtool --totp -b $secret)"
	echo "   $(sed -n 's/^otpauth: //p' "$login")"
	if command -v oathtool >/dev/null 2>&1; then
		echo "   code right now: $(oathtool --totp -b "$secret")"
	fi
}

office_demo_stop() {
	[ -n "${OFFICE_PID:-}" ] || return 0
	kill -TERM "$OFFICE_PID" 2>/dev/null
	wait "$OFFICE_PID" 2>/dev/null || true
	OFFICE_PID=""
}

# Signs in as the demo account with curl and prints what the worklist's top says (make demo,
# without a browser). Quiet when curl or oathtool is missing.
office_demo_peek() {
	command -v curl >/dev/null 2>&1 && command -v oathtool >/dev/null 2>&1 || return 0
	jar=$(mktemp); page=$(mktemp)
	c="curl -s --cacert $(office_demo_ca) -b $jar -c $jar"
	$c -o "$page" "$OFFICE_URL/login"
	pre=$(sed -n 's/.*name="pre" value="\([^"]*\)".*/\1/p' "$page" | head -n 1)
	$c -o /dev/null --data-urlencode "pre=$pre" --data-urlencode user=demo \
		--data-urlencode "password=$(sed -n 's/^password: //p' "$DEMO/office/demo-login.txt")" \
		--data-urlencode "code=$(oathtool --totp -b "$(sed -n 's/^totp-secret: //p' "$DEMO/office/demo-login.txt")")" \
		"$OFFICE_URL/login"
	$c -o "$page" "$OFFICE_URL/worklist"
	rows=$(grep -o 'data-ref="' "$page" | wc -l)
	today=$(sed -n 's/.*id="today" data-acuut="\([0-9]*\)" data-due="\([0-9]*\)" data-overdue="\([0-9]*\)".*/\1 acuut, \2 due today, \3 overdue/p' "$page")
	if [ -z "$today" ]; then   # the login was refused: a TOTP code is good only once
		echo "   (curl could not sign in now: each TOTP code works once; sign in yourself with the next code)"
	else
		echo "   signed in with curl: the office's worklist shows $rows records; call today: $today"
	fi
	rm -f "$jar" "$page"
}
