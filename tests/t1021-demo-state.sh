#!/bin/sh
# `make run` and `make demo` keep their state where the README says (demo/), and the README
# says which port `make run` uses and how to close the kiosk (issue 8). make demo's script
# runs for real in a scratch folder: a second run keeps the PKI and adds three residents.
. "$(dirname "$0")/lib.sh"
default_dir() { sed -n 's/^DEMO="\${INLOOP_DEMO_DIR:-\(.*\)}"$/\1/p' "$TOP/platform/$1"; }
check "make demo's folder is \$TOP/demo" test "$(default_dir demo.sh)" = '$TOP/demo'
check "make run's folder is \$TOP/demo" test "$(default_dir run.sh)" = '$TOP/demo'
check "the README names demo/ for both" grep -q '`make run` and `make demo` keep their demo PKI.*`demo/`' "$TOP/README.md"
refuse "the README names no build/demo" grep -q 'build/demo' "$TOP/README.md"
port=$(sed -n 's/^PORT="\${INLOOP_DEMO_PORT:-\([0-9]*\)}"$/\1/p' "$TOP/platform/run.sh")
check "the README gives make run's port ($port)" grep -q "https://127.0.0.1:$port" "$TOP/README.md"
check "the README says how to close the kiosk" grep -q "close the kiosk's window" "$TOP/README.md"

export INLOOP_DEMO_DIR="$T/demo" INLOOP_BUILD="$B"
check "make demo runs" sh -c "sh '$TOP/platform/demo.sh' >'$T/demo1.out' 2>&1"
check "... the worklist shows three residents" grep -q "^WORKLIST: 3 records" "$T/demo1.out"
cp "$T/demo/ca/ca.pem" "$T/ca1.pem"
check "a second make demo runs" sh -c "sh '$TOP/platform/demo.sh' >'$T/demo2.out' 2>&1"
check "... in the same folder with the same PKI" cmp -s "$T/ca1.pem" "$T/demo/ca/ca.pem"
check "... and six residents, no sequence gap" sh -c \
	"grep -q '^WORKLIST: 6 records, .* 0 not opened' '$T/demo2.out' && ! grep -q 'never arrived' '$T/demo2.out'"
check "the worklist reads back with the README's command" sh -c \
	"'$B/inloopctl' --dir '$T/demo' list | grep -q '^WORKLIST: 6 records'"
tail -n 5 "$T/demo1.out" "$T/demo2.out" | sed "s/^/# /"
done_testing
