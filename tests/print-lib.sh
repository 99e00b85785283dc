# tests/print-lib.sh — a private CUPS scheduler for the print tests (t48xx), after lib.sh.
# Never the system's cupsd: its own ServerRoot, spool, cache, logs and a Unix socket, all
# under $T/cups; FileDevice Yes so a queue can write to a file: URI; no job files kept.
# cups_start; cups_queue NAME PPD FILE; ...; cups_stop (also on exit).
CUPSD_PID=""
C="$T/cups"
PPD80="$TOP/assets/print/receipt80-pdf.ppd"
PPDA4=/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd

cups_start() {
	mkdir -p "$C/etc/ppd" "$C/spool/tmp" "$C/cache" "$C/state" "$C/log" "$C/out"
	chmod 0711 "$T" "$C"       # cupsd runs filters as lp: they must reach the spool
	chmod 0777 "$C/out"        # root cupsd writes file: output as lp
	group=$(id -gn)
	cat >"$C/etc/cupsd.conf" <<-EOF
	Listen $C/cups.sock
	Browsing No
	DefaultAuthType None
	LogLevel info
	PreserveJobFiles No
	PreserveJobHistory 300
	MaxJobTime 30
	<Location />
	  Order allow,deny
	  Allow all
	</Location>
	<Policy default>
	  <Limit All>
	    Order allow,deny
	    Allow all
	  </Limit>
	</Policy>
	EOF
	cat >"$C/etc/cups-files.conf" <<-EOF
	ServerRoot $C/etc
	RequestRoot $C/spool
	TempDir $C/spool/tmp
	CacheDir $C/cache
	StateDir $C/state
	ErrorLog $C/log/error_log
	AccessLog $C/log/access_log
	PageLog $C/log/page_log
	Printcap $C/printcap
	FileDevice Yes
	SystemGroup $group
	EOF
	cupsd -f -c "$C/etc/cupsd.conf" -s "$C/etc/cups-files.conf" >"$C/log/out" 2>&1 &
	CUPSD_PID=$!
	export CUPS_SERVER="$C/cups.sock"
	# lpstat -r exits 0 with no scheduler (PLATFORM.md): wait for the words, with a deadline.
	for _i in $(seq 200); do
		lpstat -r 2>/dev/null | grep -q "scheduler is running" && return 0
		sleep 0.05
	done
	echo "# cupsd did not start:" && sed 's/^/# /' "$C/log/out" "$C/log/error_log" 2>/dev/null | head -20
	return 1
}

# cups_queue NAME PPD FILE: a queue that writes what it prints to FILE (a PDF). CUPS 2.4
# opens a file: device O_WRONLY|O_EXCL without O_CREAT or O_TRUNC: the file must exist, and
# cups_empty FILE must empty it before each job.
cups_queue() {
	cups_empty "$3"
	_out=$(lpadmin -p "$1" -E -v "file://$3" -P "$2" 2>&1); _rc=$?
	echo "$_out" | grep -v "drivers are deprecated"
	return $_rc
}
cups_empty() { : >"$1"; chmod 0666 "$1"; }

cups_stop() {
	[ -n "$CUPSD_PID" ] || return 0
	kill "$CUPSD_PID" 2>/dev/null
	wait "$CUPSD_PID" 2>/dev/null
	CUPSD_PID=""
}
trap 'cups_stop; rm -rf "$T"' EXIT

# set_printer STATE_DIR QUEUE [PAPER]: the printer (and paper) in config.json.
set_printer() {
	jq --arg q "$2" --arg p "${3:-}" '.printer = $q | if $p == "" then del(.paper) else .paper = $p end' \
		"$1/config.json" >"$1/config.json.new" && mv "$1/config.json.new" "$1/config.json"
}

# qr_of PDF: the QR code's text read back from the PDF at 203 dpi (a receipt printer).
qr_of() {
	pdftoppm -r 203 -png -singlefile "$1" "$1.scan" 2>/dev/null &&
	zbarimg -q --raw "$1.scan.png" 2>/dev/null
}
