#!/bin/sh
# The case-store server at start and stop: it logs its OpenSSL version, refuses to start
# (exit 1, a clear error naming the file) with a missing or unreadable key, a key readable
# by others, a missing certificate, CRL or a database that is not a database, and a
# folder that holds the CA key or the record-opening key (the server faces the network:
# issue 9, D11); SIGTERM stops it with exit 0. Its twin: with everything in place it
# starts, answers, and its database is 0600.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"

# refuses DESC FILE-PATTERN SETUP...: the server exits 1 and names the pattern
refuses() {
	d=$1; want=$2; shift 2
	rm -rf "$T/x"; cp -a "$T/cs/casestore" "$T/x"
	(cd "$T/x" && eval "$@")
	if timeout 10 "$B/inloop-casestore" --dir "$T/x" --listen 127.0.0.1:0 >"$T/x.out" 2>&1; then
		not_ok "$d (it started)"
	elif [ $? -ne 1 ]; then
		not_ok "$d (exit code not 1)"; sed 's/^/# /' "$T/x.out"
	elif ! grep -q "error: .*$want" "$T/x.out"; then
		not_ok "$d (no clear error naming $want)"; sed 's/^/# /' "$T/x.out"
	elif grep -q "listening on" "$T/x.out"; then
		not_ok "$d (it listened)"
	else
		ok "$d"
	fi
}
refuses "missing server key" "server.key" rm server.key
refuses "server key readable by others" "server.key" chmod 644 server.key
refuses "server key that is not a key" "server.key" "echo junk >server.key"
refuses "missing server certificate" "server.pem" rm server.pem
refuses "server certificate of another key" "server.pem" cp "$T/cs/office/casestore.pem" server.pem
refuses "missing CA" "ca.pem" rm ca.pem
refuses "missing CRL" "crl.pem" rm crl.pem
refuses "CRL that is not a CRL" "crl.pem" "echo junk >crl.pem"
refuses "database that is not a database" "store.sqlite" "head -c 8192 /dev/urandom >store.sqlite"
refuses "database that cannot be read (a folder)" "store.sqlite" mkdir store.sqlite
refuses "missing folder" "server" rm -rf "$T/x"
refuses "the CA key in the server's folder" "ca.key" cp "$T/cs/ca/ca.key" .
refuses "the record-opening key in the server's folder" "casestore.key" cp "$T/cs/office/casestore.key" .
refuses "the next opening key in the server's folder" "casestore-next.key" cp "$T/cs/office/casestore.key" casestore-next.key
rm -rf "$T/x"
check "init-demo keeps the CA key and the opening key out of casestore/" \
	sh -c 'test -f "$0/ca/ca.key" && test -f "$0/office/casestore.key" && ! ls "$0/casestore" | grep -q "ca.key\|casestore"' "$T/cs"
check "the layout folders are 0700" test "$(stat -c %a "$T/cs/casestore" "$T/cs/office" "$T/cs/ca" | sort -u)" = 700

check "the complete folder starts" server_start "$T/cs"
check "it logs its OpenSSL version" grep -q "casestore: OpenSSL 3\." "$SRV_LOG"
if [ "$(openssl version | awk '{print $2}')" \< "3.0.22" ]; then
	check "it warns about an OpenSSL older than 3.0.22" grep -q "older than 3.0.22" "$SRV_LOG"
else
	refuse "no warning with OpenSSL 3.0.22 or newer" grep -q "older than 3.0.22" "$SRV_LOG"
fi
check "it answers a device" test "$(curl_dev "$T/cs/device" "$URL/v1/health")" = 200
check "the store it created is 0600" test "$(stat -c %a "$T/cs/casestore/store.sqlite")" = 600
check "... and so are its WAL files" sh -c 'for f in "$0"-wal "$0"-shm; do [ ! -e "$f" ] || [ "$(stat -c %a "$f")" = 600 ] || exit 1; done' "$T/cs/casestore/store.sqlite"
check "SIGTERM stops it with exit 0" server_stop
check "... and it says so" grep -q "stopped:" "$SRV_LOG"
check "inloop-casestore --help" "$B/inloop-casestore" --help
chmod 644 "$T/cs/casestore/store.sqlite"
check "a store left 0644 by an older version starts" server_start "$T/cs"
check "... and is tightened to 0600" test "$(stat -c %a "$T/cs/casestore/store.sqlite")" = 600
check "... SIGTERM" server_stop
refuse "no --dir is a usage error" "$B/inloop-casestore"
done_testing
