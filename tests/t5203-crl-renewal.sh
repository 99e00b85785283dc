#!/bin/sh
# Issue 9, D5: the revocation list is renewed, not a time bomb. `inloopctl crl renew`
# re-signs crl.pem when under 60 days are left (--force / --days N always), publishing it
# to casestore/ and office/; the case store warns loudly from 30 days before it expires
# (twin: a fresh CRL gives no warning) and says ERROR once it has; a device refused
# because of the expired CRL reports that (not "certificate expired"), keeps its records,
# and is served again after `crl renew` without a restart of the case store.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
pki "$T/cs"
S="$T/cs/device"
C() { "$B/inloopctl" --dir "$T/cs" "$@"; }
days_left() { # FILE: whole days until nextUpdate
	n=$(date -d "$(openssl crl -in "$1" -noout -nextupdate | cut -d= -f2)" +%s)
	echo $(( (n - $(date +%s)) / 86400 ))
}
check "a fresh demo CRL is valid for about 90 days" test "$(days_left "$T/cs/casestore/crl.pem")" -ge 89
C crl renew >"$T/r1" 2>&1
check "crl renew with 89 days left does nothing (exit 0)" grep -q "not renewed" "$T/r1"
n1=$(openssl crl -in "$T/cs/casestore/crl.pem" -noout -crlnumber)
check "crl renew --force re-signs it" C crl renew --force
check "... a new CRL number" test "$(openssl crl -in "$T/cs/casestore/crl.pem" -noout -crlnumber)" != "$n1"
check "... the office got the same CRL" cmp -s "$T/cs/casestore/crl.pem" "$T/cs/office/crl.pem"
check "... signed by the CA" openssl crl -in "$T/cs/casestore/crl.pem" -CAfile "$T/cs/ca/ca.pem" -noout
refuse "crl renew without --dir is a usage error" "$B/inloopctl" crl renew
refuse "crl renew --days -1 is refused" C crl renew --days -1

check "crl renew --days 10 (as if renewal had stopped for 80 days)" C crl renew --days 10
SRV_QUIET=1
check "server starts" server_start "$T/cs"
check "it warns loudly: WARNING, crl.pem expires in 9 or 10 days" grep -q "WARNING: crl.pem expires in \(9\|10\) days" "$SRV_LOG"
check "... saying how to renew it" grep -q "inloopctl --dir ROOT crl renew" "$SRV_LOG"
server_stop
check "crl renew (fewer than 60 days left) renews it" sh -c "'$B/inloopctl' --dir '$T/cs' crl renew | grep -q 'renewed: valid for'"
check "server starts again" server_start "$T/cs"
refuse "no warning with a fresh CRL (twin)" grep -q "WARNING: crl.pem" "$SRV_LOG"

# The CRL expires while the case store runs.
check "two records in the outbox" "$B/tests/mkrecords" "$S" 2
check "crl renew --days 0: it expires now" C crl renew --days 0
sleep 1.1
sync_() { "$B/inloop" --state "$S" sync --url "$URL" --timeout 3 >"$T/$1.out" 2>&1; }
refuse "sync with the case store's CRL expired fails" sync_ expired
sed 's/^/# /' "$T/expired.out"
check "... the device says the revocation list expired" grep -q "revocation list (CRL) has expired" "$T/expired.out"
check "... and that its own certificate is valid" grep -q "certificate is valid until 20" "$T/expired.out"
check "... the records are kept" test "$(outbox_rows "$S")" = 2
check "... the case store logged an ERROR for the expired CRL" grep -q "ERROR: crl.pem has expired" "$SRV_LOG"
check "crl renew" C crl renew
check "the next sync stores both (no restart)" sync_ renewed
check "... the case store holds them" test "$(store_rows "$T/cs")" = 2
refuse "... and the device no longer talks of the CRL (twin)" grep -q "revocation list" "$T/renewed.out"
check "SIGTERM: exit 0" server_stop
done_testing
