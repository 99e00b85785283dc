#!/bin/sh
# Drafts survive a kill (issue 12): a driver using sync/device/draft.c saves the draft after
# each answer and is SIGKILLed at 50 random moments; every answer it reported saved before
# the kill is in the draft after the restart and unlock (the draft opens, never torn).
# Negative twin: the wrong passphrase opens nothing.
. "$(dirname "$0")/lib.sh"
S="$T/state"
mkdir -p "$S"
PASS='kill test pass'
printf '%s\n' "$PASS" | "$B/inloop" --state "$S" consultant add anna >/dev/null 2>&1
[ -f "$S/consultants/anna.json" ] || { echo "not ok 1 - consultant enrolled"; echo "1..1"; exit 1; }
seed=${KILL_SEED:-$$}
echo "# seed $seed"
lost=0 torn=0 runs=0 i=0
while [ $i -lt 50 ]; do
	i=$((i + 1))
	n=$(awk -v s="$seed" -v i="$i" 'BEGIN { srand(s * 100 + i); print int(rand() * 400) }')
	printf '%s\n' "$PASS" | "$B/tests/test_field_store" --answer "$S" 60 >"$T/out" 2>/dev/null &
	pid=$!
	# kill at a random moment: after the unlock, while answers are being saved
	while ! grep -q saved "$T/out" 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 0.01; done
	sleep "0.$(printf '%03d' "$n")"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	reported=$(grep -c saved "$T/out")
	have=$(printf '%s\n' "$PASS" | "$B/tests/test_field_store" --check "$S" 2>/dev/null) || { torn=$((torn + 1)); continue; }
	runs=$((runs + 1))
	[ "$have" -ge "$reported" ] || { lost=$((lost + 1)); echo "# run $i: reported $reported, draft holds $have"; }
done
check "50 kills: every draft opens afterwards" test "$torn" = 0
check "50 kills: no answer reported saved is lost ($runs runs)" test "$lost" = 0
check "no temporary plaintext or leftovers besides the draft" \
	sh -c "! find '$S' -type f | grep -v '\\.draft$\\|anna.json$\\|anna.key.sealed$\\|anna.csr$\\|\\.draft\\.tmp\\.'"
refuse "wrong passphrase opens nothing" sh -c "printf 'not the pass\n' | '$B/tests/test_field_store' --check '$S'"
done_testing
